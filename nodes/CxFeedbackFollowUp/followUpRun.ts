/**
 * Carrying out feedback follow-up against Supabase and SendGrid.
 *
 * Recording: one feedback_items row per (source, source_id), inserted only when missing, so a rerun never
 * opens an item twice and never moves its owner or due date.
 *
 * Reminding and escalating, exactly once per item and stage: each email's items are claimed first, in one
 * conditional update (reminded_at, or escalated_at, still null -> now) that returns the rows it changed, so
 * of two runs at once each mails only the items it claimed itself. Then the email goes out. When SendGrid
 * refuses it for certain (a 4xx, or a gateway 502/503/504 that sendgrid.ts already retried: neither was
 * accepted), the claim is taken back and the next run sends it. When the answer is unclear (a 500 or a
 * dropped connection, after which SendGrid may have accepted the message) the claim stays and the item is
 * reported unconfirmed with the error in last_error: a missing reminder is better than a second one, and
 * an overdue item is escalated by its own stage all the same.
 */
import { afterSendFailure, claimRows, newClaim, released, settleClaim, type ClaimColumns } from '../shared/ledger';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { refusesOnlyThisMessage, type SendGridService } from '../shared/services/sendgrid';
import type { Row, RowFilter, SupabaseService } from '../shared/services/supabase';
import { filterChunks } from '../shared/idChunks';
import { renderOverdueEmail, renderReminderEmail, type FeedbackLine } from './feedbackEmail';
import { isEmail } from './feedbackInput';
import { escalationBatches, OPEN_STATUSES, reminderBatches, stageFor, type MailBatch, type OpenFeedback, type PlannedFeedback, type Stage, type StageDecision } from './followUp';
import { FEEDBACK_ITEMS_KEY, FEEDBACK_ITEMS_TABLE } from '../shared/store/feedbackItems';

/** Items listed in one email; an owner with more gets several emails (the pack's default). */
export const ITEMS_PER_EMAIL = 200;

/* ------------------------------------------------------------------------------------------------ */
/* Recording                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

export interface RecordOutcome {
	planned: PlannedFeedback;
	status: 'recorded' | 'already_recorded';
	/** the stored row: for an item recorded before, its owner and due date as they were first set */
	row?: Row;
}

const keyOf = (source: unknown, sourceId: unknown) => `${String(source)}\u0000${String(sourceId)}`;

/** The stored rows of these (source, source id) keys, 100 ids a request. */
async function storedRows(supabase: SupabaseService, keys: Array<{ source: string; sourceId: string }>): Promise<Map<string, Row>> {
	const bySource = new Map<string, string[]>();
	for (const { source, sourceId } of keys) {
		const ids = bySource.get(source);
		if (ids) ids.push(sourceId);
		else bySource.set(source, [sourceId]);
	}
	const rows = new Map<string, Row>();
	for (const [source, ids] of bySource) {
		for (const chunk of filterChunks(ids)) {
			const found = await supabase.readWhere(FEEDBACK_ITEMS_TABLE, { filters: [{ column: 'source', op: 'eq', value: source }, { column: 'source_id', op: 'in', value: chunk }] });
			for (const row of found) rows.set(keyOf(row.source, row.source_id), row);
		}
	}
	return rows;
}

/**
 * The latest source time recorded for a source (survey answers' created_at, tickets' updated_at) up to now:
 * where the next read of that source starts. Items recorded as of a later Now do not count.
 */
export async function lastRecordedChange(supabase: SupabaseService, source: string, now: Date): Promise<Date | undefined> {
	const [row] = await supabase.selectAll(`read ${FEEDBACK_ITEMS_TABLE}`, FEEDBACK_ITEMS_TABLE, 'source_changed_at', (query) =>
		query.eq('source', source).lte('source_changed_at', now.toISOString()).order('source_changed_at', { ascending: false }), 1);
	return dateOf(row?.source_changed_at);
}

/** Records every planned item not recorded yet; returns one outcome per planned item, in order. */
export async function recordFeedback(supabase: SupabaseService, planned: PlannedFeedback[]): Promise<RecordOutcome[]> {
	const unique = new Map<string, PlannedFeedback>();
	for (const item of planned) if (!unique.has(keyOf(item.source, item.sourceId))) unique.set(keyOf(item.source, item.sourceId), item);
	const keys = [...unique.values()].map(({ source, sourceId }) => ({ source, sourceId }));
	const before = await storedRows(supabase, keys);
	const missing = [...unique.entries()].filter(([key]) => !before.has(key)).map(([, item]) => item);
	await supabase.insertMissing(
		FEEDBACK_ITEMS_TABLE,
		missing.map((item) => ({
			source: item.source,
			source_id: item.sourceId,
			customer_id: item.customerId ?? null,
			summary: item.summary,
			owner: item.owner,
			owner_reason: item.ownerReason,
			feedback_at: item.feedbackAt.toISOString(),
			due_at: item.dueAt.toISOString(),
			issue_type: item.issueType ?? null,
			tier: item.tier ?? null,
			source_changed_at: item.sourceChangedAt?.toISOString() ?? null,
			status: 'open',
		})),
		FEEDBACK_ITEMS_KEY,
	);
	const after = missing.length ? await storedRows(supabase, missing.map(({ source, sourceId }) => ({ source, sourceId }))) : new Map<string, Row>();
	const seen = new Set<string>();
	return planned.map((item) => {
		const key = keyOf(item.source, item.sourceId);
		// a key given twice in one run is recorded by its first occurrence
		const first = !seen.has(key);
		seen.add(key);
		const row = before.get(key) ?? after.get(key);
		return { planned: item, status: first && !before.has(key) ? 'recorded' : 'already_recorded', ...(row ? { row } : {}) };
	});
}

/* ------------------------------------------------------------------------------------------------ */
/* Reminding and escalating                                                                          */
/* ------------------------------------------------------------------------------------------------ */

export interface FollowUpSettings {
	escalateTo: string[];
	remindDaysBefore: number;
	storeName?: string;
	timeZone: string;
	itemsPerEmail: number;
}

export interface FollowUpServices {
	supabase: SupabaseService;
	sendgrid: SendGridService;
}

/** sent; unconfirmed: SendGrid's answer was unclear, not sent again; failed: refused, the next run sends it; not_sent: the run stopped before it */
export type SendStatus = 'sent' | 'unconfirmed' | 'failed' | 'not_sent';

export interface ActedOn {
	item: OpenFeedback;
	stage: Stage;
	decision: StageDecision;
	recipients: string[];
	status: SendStatus;
	unowned: boolean;
	messageId?: string;
	error?: NodeApiError;
}

export interface FollowUpReport {
	acted: ActedOn[];
	/** items due soon and not reminded, overdue and not escalated, as read */
	found: { remind: number; escalate: number };
	/** items another run claimed between the read and the claim: that run mails them */
	claimedElsewhere: number;
	emails: { remind: number; escalate: number };
}

const STAGE_COLUMNS: Record<Stage, { claim: string; token: string; messageId: string; name: string }> = {
	remind: { claim: 'reminded_at', token: 'reminder_claim', messageId: 'reminder_message_id', name: 'reminder' },
	escalate: { claim: 'escalated_at', token: 'escalation_claim', messageId: 'escalation_message_id', name: 'escalation' },
};

const OPEN_FILTERS: RowFilter[] = [
	{ column: 'resolved_at', op: 'is', value: null },
	{ column: 'status', op: 'in', value: [...OPEN_STATUSES] },
];

const dateOf = (value: unknown): Date | undefined => {
	if (typeof value !== 'string' || !value) return undefined;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? undefined : date;
};

export function openFeedback(row: Row): OpenFeedback {
	const dueAt = dateOf(row.due_at);
	const remindedAt = dateOf(row.reminded_at);
	const escalatedAt = dateOf(row.escalated_at);
	const resolvedAt = dateOf(row.resolved_at);
	return {
		id: String(row.id),
		source: String(row.source),
		sourceId: String(row.source_id),
		...(typeof row.customer_id === 'string' && row.customer_id ? { customerId: row.customer_id } : {}),
		summary: typeof row.summary === 'string' ? row.summary : '',
		...(typeof row.owner === 'string' && row.owner.trim() ? { owner: row.owner.trim() } : {}),
		status: String(row.status ?? 'open'),
		...(dueAt ? { dueAt } : {}),
		...(remindedAt ? { remindedAt } : {}),
		...(escalatedAt ? { escalatedAt } : {}),
		...(resolvedAt ? { resolvedAt } : {}),
	};
}



/** Reads the items due for a reminder or an escalation now, and mails them once per item and stage. */
export async function remindAndEscalate(ctx: IExecuteFunctions, services: FollowUpServices, settings: FollowUpSettings, now: Date): Promise<FollowUpReport> {
	const { supabase } = services;
	const at = now.toISOString();
	const remindUntil = new Date(now.getTime() + settings.remindDaysBefore * 86_400_000).toISOString();
	// two reads, each only what is still to do: a years-old table of escalated items is not read every day
	const [dueSoon, overdue] = await Promise.all([
		supabase.readWhere(FEEDBACK_ITEMS_TABLE, {
			filters: [...OPEN_FILTERS, { column: 'reminded_at', op: 'is', value: null }, { column: 'due_at', op: 'gte', value: at }, { column: 'due_at', op: 'lte', value: remindUntil }],
		}),
		supabase.readWhere(FEEDBACK_ITEMS_TABLE, { filters: [...OPEN_FILTERS, { column: 'escalated_at', op: 'is', value: null }, { column: 'due_at', op: 'lt', value: at }] }),
	]);
	const decide = (rows: Row[], stage: Stage) =>
		rows.map(openFeedback).flatMap((item) => {
			const decision = stageFor(item, now, settings);
			return decision.stage === stage ? [{ item, decision, owner: item.owner }] : [];
		});
	const toRemind = decide(dueSoon, 'remind');
	const toEscalate = decide(overdue, 'escalate');
	const batches = [
		...reminderBatches(toRemind, settings.escalateTo, settings.itemsPerEmail, isEmail),
		...escalationBatches(toEscalate, settings.escalateTo, settings.itemsPerEmail),
	];
	// items whose reminder has nobody to go to (no owner, no escalation recipient) are left for the next run
	const report: FollowUpReport = { acted: [], found: { remind: toRemind.length, escalate: toEscalate.length }, claimedElsewhere: 0, emails: { remind: 0, escalate: 0 } };
	let stopped: NodeApiError | undefined;
	for (const batch of batches) {
		if (stopped) {
			for (const { item, decision } of batch.items) report.acted.push({ item, stage: batch.stage, decision, recipients: batch.recipients, status: 'not_sent', unowned: !!batch.unowned, error: stopped });
			continue;
		}
		stopped = await mailBatch(ctx, services, settings, batch, report, now);
	}
	return report;
}

/** Claims, mails and settles one email's items; returns the failure that should stop the run's other emails. */
async function mailBatch(
	ctx: IExecuteFunctions,
	services: FollowUpServices,
	settings: FollowUpSettings,
	batch: MailBatch<{ item: OpenFeedback; decision: StageDecision }>,
	report: FollowUpReport,
	now: Date,
): Promise<NodeApiError | undefined> {
	const columns = STAGE_COLUMNS[batch.stage];
	const place: ClaimColumns = { table: FEEDBACK_ITEMS_TABLE, key: 'id', at: columns.claim, token: columns.token };
	const claim = newClaim(now);
	const claimedIds = await claimRows(services.supabase, place, batch.items.map(({ item }) => item.id), claim, OPEN_FILTERS, batch.stage === 'escalate' ? { escalated_to: batch.recipients } : {});
	const claimed = batch.items.filter(({ item }) => claimedIds.has(item.id));
	report.claimedElsewhere += batch.items.length - claimed.length;
	if (!claimed.length) return undefined;

	const lines: FeedbackLine[] = claimed.map(({ item, decision }) => ({
		source: item.source,
		sourceId: item.sourceId,
		...(item.customerId ? { customerId: item.customerId } : {}),
		summary: item.summary,
		...(item.owner ? { owner: item.owner } : {}),
		dueAt: item.dueAt!.toISOString(),
		...(decision.daysLeft !== undefined ? { daysLeft: decision.daysLeft } : {}),
		...(decision.daysOverdue !== undefined ? { daysOverdue: decision.daysOverdue } : {}),
	}));
	const store = settings.storeName ? { storeName: settings.storeName } : {};
	const email =
		batch.stage === 'remind'
			? renderReminderEmail({ items: lines, remindDaysBefore: settings.remindDaysBefore, ...(batch.unowned ? { unowned: true } : {}), ...store, timeZone: settings.timeZone })
			: renderOverdueEmail({ items: lines, ...store, timeZone: settings.timeZone });
	const settle = (patch: Row) => settleClaim(services.supabase, place, [...claimedIds], claim, patch);
	const outcome = (status: SendStatus, extra: { messageId?: string; error?: NodeApiError } = {}) => {
		for (const { item, decision } of claimed) report.acted.push({ item, stage: batch.stage, decision, recipients: batch.recipients, status, unowned: !!batch.unowned, ...extra });
	};

	let messageId: string | undefined;
	try {
		messageId = await services.sendgrid.send({
			to: batch.recipients,
			subject: email.subject,
			html: email.html,
			text: email.text,
			customArgs: { cx_feedback_stage: columns.name, cx_feedback_items: String(claimed.length) },
			categories: ['cx-feedback', `cx-feedback-${columns.name}`],
		});
	} catch (error) {
		const failure = error instanceof NodeApiError ? error : new NodeApiError(ctx.getNode(), { message: String(error) } as JsonObject);
		const lastError = `${columns.name}: ${failure.message}`.slice(0, 500);
		if (afterSendFailure(failure) === 'release') {
			// not accepted: the claim is taken back, so the next run sends this email again
			await settle({ ...released(place), last_error: lastError, ...(batch.stage === 'escalate' ? { escalated_to: null } : {}) });
			outcome('failed', { error: failure });
		} else {
			// maybe accepted: the claim stays, so nobody is mailed twice; last_error tells a person to check SendGrid
			await settle({ last_error: `unconfirmed ${lastError}`.slice(0, 500) });
			outcome('unconfirmed', { error: failure });
		}
		return refusesOnlyThisMessage(failure) ? undefined : failure;
	}
	report.emails[batch.stage]++;
	await settle({ [columns.messageId]: messageId ?? null, last_error: null });
	outcome('sent', messageId ? { messageId } : {});
	return undefined;
}

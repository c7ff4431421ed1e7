/**
 * Feedback follow-up decisions (seeds/000 "Implement feedback within 30 days"): which survey comments and
 * tickets are feedback, who owns each item, when it is due, and which stage applies on a given day: a
 * reminder to its owner within the last days before the due date, an escalation once it is overdue.
 * Pure: no n8n, no I/O, no clock (now is passed in).
 */
import { CUSTOMER_TIERS, ISSUE_TYPES, type CustomerTier, type IssueType } from '../shared/contract/request';
import { SATISFACTION_POLICY } from '../shared/policy';
import { excerpt, oneLine } from '../shared/email/text';

const DAY = 86_400_000;

/** An item is followed up while it is in one of these states; anything else (resolved, closed) is done. */
export const OPEN_STATUSES = ['open', 'in_progress'] as const;

/** Stored summaries are plain text of at most this many characters; emails show less. */
export const SUMMARY_LIMIT = 1000;

/** The tags that make a ticket feedback: triage's intent tag, and a plain tag a person or help desk sets. */
export const FEEDBACK_TICKET_TAGS = ['intent:feedback', 'feedback'];

export interface FollowUpPolicy {
	/** Days from the customer's feedback to its due date (seeds/000: 30). */
	dueDays: number;
	/** Owners are reminded this many days before the due date. */
	remindDaysBefore: number;
}

/** A piece of feedback before it is recorded: a survey comment, a ticket or an input item. */
export interface FeedbackCandidate {
	source: string;
	sourceId: string;
	customerId?: string;
	summary: string;
	/** When the customer gave the feedback; the due date counts from it. */
	feedbackAt?: Date;
	issueType?: IssueType;
	tier?: CustomerTier;
	/** An owner the item itself names (input items only): it wins over every routing rule. */
	owner?: string;
	/** When the source row was stored or last changed, as read (a survey answer's created_at, a ticket's updated_at): the next run reads from the latest one recorded. */
	sourceChangedAt?: Date;
}

export interface OwnerRouting {
	defaultOwner: string;
	byTier: Partial<Record<CustomerTier, string>>;
	byIssueType: Partial<Record<IssueType, string>>;
}

export interface PlannedFeedback {
	source: string;
	sourceId: string;
	customerId?: string;
	summary: string;
	owner: string;
	/** item, tier:<tier>, issue_type:<type> or default */
	ownerReason: string;
	feedbackAt: Date;
	dueAt: Date;
	issueType?: IssueType;
	tier?: CustomerTier;
	/** as on the candidate */
	sourceChangedAt?: Date;
	reasons: string[];
}

/** The due date: the feedback's time plus dueDays calendar days (the seed counts days, not business days). */
export function dueDate(feedbackAt: Date, dueDays: number): Date {
	return new Date(feedbackAt.getTime() + dueDays * DAY);
}

/**
 * Who owns a piece of feedback: the owner the item names; else the owner of the customer's tier (a VIP's
 * feedback goes to whoever looks after VIPs, as VIP issues come first across the pack); else the owner of
 * the issue type; else the default owner.
 */
export function ownerFor(candidate: Pick<FeedbackCandidate, 'owner' | 'tier' | 'issueType'>, routing: OwnerRouting): { owner: string; reason: string } {
	if (candidate.owner) return { owner: candidate.owner, reason: 'item' };
	const byTier = candidate.tier ? routing.byTier[candidate.tier] : undefined;
	if (byTier) return { owner: byTier, reason: `tier:${candidate.tier}` };
	const byIssue = candidate.issueType ? routing.byIssueType[candidate.issueType] : undefined;
	if (byIssue) return { owner: byIssue, reason: `issue_type:${candidate.issueType}` };
	return { owner: routing.defaultOwner, reason: 'default' };
}

/** Owner and due date of one piece of feedback; a time in the future (a wrong clock) counts from now. */
export function planFeedback(candidate: FeedbackCandidate, routing: OwnerRouting, policy: Pick<FollowUpPolicy, 'dueDays'>, now: Date): PlannedFeedback {
	const reasons: string[] = [];
	let feedbackAt = candidate.feedbackAt;
	if (!feedbackAt) {
		feedbackAt = now;
		reasons.push('feedback_time_unknown:counted_from_now');
	} else if (feedbackAt.getTime() > now.getTime()) {
		feedbackAt = now;
		reasons.push('feedback_time_in_future:counted_from_now');
	}
	const { owner, reason } = ownerFor(candidate, routing);
	reasons.push(`owner:${reason}`, `due_in_${policy.dueDays}_days`);
	return {
		source: candidate.source,
		sourceId: candidate.sourceId,
		...(candidate.customerId ? { customerId: candidate.customerId } : {}),
		summary: candidate.summary,
		owner,
		ownerReason: reason,
		feedbackAt,
		dueAt: dueDate(feedbackAt, policy.dueDays),
		...(candidate.issueType ? { issueType: candidate.issueType } : {}),
		...(candidate.tier ? { tier: candidate.tier } : {}),
		...(candidate.sourceChangedAt ? { sourceChangedAt: candidate.sourceChangedAt } : {}),
		reasons,
	};
}

/* ------------------------------------------------------------------------------------------------ */
/* Reading: from what was last recorded                                                              */
/* ------------------------------------------------------------------------------------------------ */

/** A source row stored up to this long before the last one recorded is read again: a write that committed late is not lost. */
export const READ_OVERLAP_MS = 60 * 60 * 1000;

export interface ReadFrom {
	since: Date;
	/** look_back: no run recorded anything yet (the first run) or the last run was recent; catch_up: a missed run is made good */
	reason: 'look_back' | 'catch_up';
}

/**
 * Where a run reads a source from: the latest source time it recorded (less READ_OVERLAP_MS), so runs missed
 * for days lose nothing; never less than the look-back window before now, which also bounds the first run.
 * A recorded time after now (another run's Now ran ahead of this one's) does not count.
 */
export function readFrom(now: Date, lookbackDays: number, lastRecorded?: Date, overlapMs = READ_OVERLAP_MS): ReadFrom {
	const lookBack = now.getTime() - lookbackDays * DAY;
	if (!lastRecorded || lastRecorded.getTime() > now.getTime()) return { since: new Date(lookBack), reason: 'look_back' };
	const fromMark = lastRecorded.getTime() - overlapMs;
	return fromMark < lookBack ? { since: new Date(fromMark), reason: 'catch_up' } : { since: new Date(lookBack), reason: 'look_back' };
}

/**
 * Plain text on one line, cut at a word boundary: what is stored; escaping happens only when rendering.
 * A survey comment alone; a ticket's subject and the opening of its body, since a subject such as
 * "Suggestion" alone tells the owner nothing.
 */
export function feedbackSummary(head: unknown, body?: unknown): string {
	const first = oneLine(head);
	const rest = oneLine(body);
	let text = first || rest;
	// a body that begins with its subject is shown once
	if (first && rest) text = rest.toLowerCase().startsWith(first.toLowerCase()) ? rest : `${first}: ${rest}`;
	return excerpt(text, SUMMARY_LIMIT);
}

/** Whether a ticket's tags (triage's `intent:<intent>` tags or a person's own) mark it as feedback. */
export function isFeedbackTicket(tags: unknown, feedbackTags: string[] = FEEDBACK_TICKET_TAGS): boolean {
	if (!Array.isArray(tags)) return false;
	const wanted = new Set(feedbackTags.map((tag) => tag.trim().toLowerCase()).filter(Boolean));
	return tags.some((tag) => typeof tag === 'string' && wanted.has(tag.trim().toLowerCase()));
}

/**
 * Whether a survey answer is unhappy: an NPS detractor (0-6), CSAT below satisfied (1-3), CES below agreeing
 * (1-4), by the scales of SATISFACTION_POLICY. An answer without a score counts as unhappy: its comment is
 * all there is to go by.
 */
export function isUnhappyAnswer(type: unknown, score: unknown): boolean {
	const value = typeof score === 'number' ? score : typeof score === 'string' && score.trim() ? Number(score) : NaN;
	if (!Number.isFinite(value)) return true;
	const { nps, csat, ces } = SATISFACTION_POLICY.scales;
	if (type === 'nps') return value <= nps.detractorUpTo;
	if (type === 'csat') return value < csat.satisfiedFrom;
	if (type === 'ces') return value < ces.agreeFrom;
	return true;
}

export const asTier = (value: unknown): CustomerTier | undefined =>
	typeof value === 'string' && (CUSTOMER_TIERS as readonly string[]).includes(value.trim().toLowerCase()) ? (value.trim().toLowerCase() as CustomerTier) : undefined;
export const asIssueType = (value: unknown): IssueType | undefined =>
	typeof value === 'string' && (ISSUE_TYPES as readonly string[]).includes(value.trim().toLowerCase()) ? (value.trim().toLowerCase() as IssueType) : undefined;

/* ------------------------------------------------------------------------------------------------ */
/* Stages                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

/** A recorded item as the daily run sees it. */
export interface OpenFeedback {
	id: string;
	source: string;
	sourceId: string;
	customerId?: string;
	summary: string;
	owner?: string;
	status: string;
	dueAt?: Date;
	remindedAt?: Date;
	escalatedAt?: Date;
	resolvedAt?: Date;
}

export type Stage = 'remind' | 'escalate';

export interface StageDecision {
	stage?: Stage;
	reason: string;
	/** Whole days left until the due date (0: due within the day). */
	daysLeft?: number;
	/** Whole days past the due date, at least 1 once it has passed. */
	daysOverdue?: number;
}

/** Whole days left until the due date, as a calendar counts them: 6 days and 20 hours is 6 days left. */
export function daysLeft(dueAt: Date, now: Date): number {
	return Math.max(0, Math.floor((dueAt.getTime() - now.getTime()) / DAY));
}

/** Whole days past the due date; within the first day it is 1 day overdue, not 0. */
export function daysOverdue(dueAt: Date, now: Date): number {
	const late = now.getTime() - dueAt.getTime();
	return late > 0 ? Math.max(1, Math.floor(late / DAY)) : 0;
}

/**
 * The stage that applies to an item now. Overdue (past the due date, the due instant itself still on time):
 * an escalation, once. Due within remindDaysBefore days (both ends included): a reminder to the owner, once.
 * An item that became overdue before it was ever reminded is escalated only: a reminder after the due date
 * tells the owner nothing the escalation does not.
 */
export function stageFor(item: OpenFeedback, now: Date, policy: Pick<FollowUpPolicy, 'remindDaysBefore'>): StageDecision {
	if (item.resolvedAt || !(OPEN_STATUSES as readonly string[]).includes(item.status)) return { reason: 'not_open' };
	if (!item.dueAt) return { reason: 'no_due_date' };
	const untilDue = item.dueAt.getTime() - now.getTime();
	if (untilDue < 0) {
		const overdue = daysOverdue(item.dueAt, now);
		return item.escalatedAt ? { reason: 'already_escalated', daysOverdue: overdue } : { stage: 'escalate', reason: `overdue_${overdue}_days`, daysOverdue: overdue };
	}
	const left = daysLeft(item.dueAt, now);
	if (untilDue > policy.remindDaysBefore * DAY) return { reason: 'not_due_yet', daysLeft: left };
	return item.remindedAt ? { reason: 'already_reminded', daysLeft: left } : { stage: 'remind', reason: `due_in_${left}_days`, daysLeft: left };
}

/* ------------------------------------------------------------------------------------------------ */
/* Emails: who gets which items                                                                      */
/* ------------------------------------------------------------------------------------------------ */

/** One email: its recipients and the items it lists. */
export interface MailBatch<T> {
	stage: Stage;
	recipients: string[];
	items: T[];
	/** reminders of items without a usable owner go to the escalation recipients, so none is lost */
	unowned?: boolean;
}

/** One address per mailbox: the case of an address's domain and (in practice) local part does not matter. */
const mailbox = (email: string) => email.trim().toLowerCase();

/**
 * Reminder emails: one per owner listing all their items (never one per item), up to maxPerEmail items each.
 * Items whose owner is not an email address go, in one email of their own, to the escalation recipients.
 */
export function reminderBatches<T extends { owner?: string }>(items: T[], escalateTo: string[], maxPerEmail: number, isEmail: (text: string) => boolean): Array<MailBatch<T>> {
	const byOwner = new Map<string, { owner: string; items: T[] }>();
	const unowned: T[] = [];
	for (const item of items) {
		const owner = item.owner?.trim();
		if (!owner || !isEmail(owner)) {
			unowned.push(item);
			continue;
		}
		const key = mailbox(owner);
		const group = byOwner.get(key);
		if (group) group.items.push(item);
		else byOwner.set(key, { owner, items: [item] });
	}
	const batches: Array<MailBatch<T>> = [];
	for (const { owner, items: owned } of byOwner.values()) batches.push(...split({ stage: 'remind', recipients: [owner], items: owned }, maxPerEmail));
	if (unowned.length && escalateTo.length) batches.push(...split({ stage: 'remind', recipients: escalateTo, items: unowned, unowned: true }, maxPerEmail));
	return batches;
}

/** Escalation emails: every overdue item to the escalation recipients, up to maxPerEmail items each. */
export function escalationBatches<T>(items: T[], escalateTo: string[], maxPerEmail: number): Array<MailBatch<T>> {
	return items.length ? split({ stage: 'escalate', recipients: escalateTo, items }, maxPerEmail) : [];
}

function split<T>(batch: MailBatch<T>, maxPerEmail: number): Array<MailBatch<T>> {
	const out: Array<MailBatch<T>> = [];
	for (let i = 0; i < batch.items.length; i += maxPerEmail) out.push({ ...batch, items: batch.items.slice(i, i + maxPerEmail) });
	return out;
}

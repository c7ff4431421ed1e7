/**
 * Telling customers once that their order is running late: each order that will miss its promise gets a row
 * in Supabase `late_notices` (unique by order, ever) before anything is sent; the row is claimed (shared/ledger.ts),
 * the email goes out, and the claim is settled with SendGrid's message id, or released when SendGrid took
 * nothing. Orders already compensated for their delay are read from `compensation_ledger` and told nothing.
 */
import type { NodeApiError } from 'n8n-workflow';
import { claimRows, newClaim, sendUnderClaim, settleClaim, type ClaimColumns } from '../shared/ledger';
import type { OrderToCheck } from '../shared/contract/order';
import type { PromisePolicy } from '../shared/delivery';
import type { SendGridService } from '../shared/services/sendgrid';
import type { Row, SupabaseService } from '../shared/services/supabase';
import { COMPENSATION_LEDGER_TABLE } from '../shared/store/compensationLedger';
import { LATE_NOTICES_KEY, LATE_NOTICES_TABLE } from '../shared/store/lateNotices';
import { decideLateNotice, type LateNoticeDecision } from './lateNotice';
import { lateNoticeTemplateData, renderLateNoticeEmail, type LateNoticeFacts } from './lateNoticeEmail';

export interface NoticeSettings {
	templateId?: string;
	unsubscribeGroupId?: number;
	storeName?: string;
	dryRun: boolean;
}

/** None in a dry run, which decides only. */
export interface NoticeServices {
	supabase?: SupabaseService;
	sendgrid?: SendGridService;
}

/**
 * notified: sent this run; already_notified: sent by an earlier run; unconfirmed: an earlier send got an unclear
 * answer or another run holds the claim, so it is not sent again; not_notified: no notice is due or possible.
 */
export type NoticeStatus = 'notified' | 'already_notified' | 'unconfirmed' | 'not_notified' | 'dry_run';

export interface NoticeOutcome {
	order: OrderToCheck;
	decision: LateNoticeDecision;
	status: NoticeStatus;
	noticeId?: string;
	messageId?: string;
	sentAt?: string;
	/** A send that failed: the row is released (nothing went out) or kept (unclear), as the ledger's rule says. */
	failure?: NodeApiError;
}

const NOTICE_CLAIM: ClaimColumns = { table: LATE_NOTICES_TABLE, key: 'id', at: 'notify_claimed_at', token: 'notification_claim' };

/** Orders with a compensation for their delay already recorded and completed: their customer has heard from the store. */
async function compensatedOrders(supabase: SupabaseService, orderIds: string[]): Promise<Set<string>> {
	if (!orderIds.length) return new Set();
	const rows = await supabase.rowsWhereIn(COMPENSATION_LEDGER_TABLE, 'order_id', orderIds);
	return new Set(rows.filter((row) => row.reason === 'shipping_delay' && row.status === 'completed').map((row) => String(row.order_id)));
}

/** Decides every order, records the notices due, and sends each once. One outcome per order, in order. */
export async function notifyLateOrders(services: NoticeServices, orders: OrderToCheck[], policy: PromisePolicy, settings: NoticeSettings, now: Date): Promise<NoticeOutcome[]> {
	const supabase = services.supabase;
	const compensated = supabase ? await compensatedOrders(supabase, orders.map((order) => order.facts.orderId)) : new Set<string>();
	const decided = orders.map((order) => {
		const decision = decideLateNotice(order.facts, policy, now, { compensated: compensated.has(order.facts.orderId) });
		if (decision.outcome === 'notify' && !order.customer.email) {
			return { order, decision: { ...decision, outcome: 'no_notice' as const, reasons: [...decision.reasons, 'no_customer_email'], summary: `${decision.summary.replace(/: the customer is told before asking\.$/, '')}, but the order has no customer email: no notice.` } };
		}
		return { order, decision };
	});
	if (settings.dryRun || !supabase || !services.sendgrid) return decided.map(({ order, decision }) => ({ order, decision, status: decision.outcome === 'notify' ? 'dry_run' : 'not_notified' }));

	const due = decided.filter(({ decision }) => decision.outcome === 'notify');
	// the row first, for every notice due: nothing is sent that is not written down
	const rows = new Map<string, Row>();
	if (due.length) {
		await supabase.insertMissing(
			LATE_NOTICES_TABLE,
			due.map(({ order, decision }) => ({
				order_id: order.facts.orderId,
				order_name: order.facts.name,
				customer_id: order.customer.id ?? null,
				customer_email: order.customer.email ?? null,
				reason: decision.lateReasons[0],
				promised_delivery_date: decision.promisedDeliveryDate,
				expected_delivery_at: decision.expectedDeliveryAt ?? null,
				decision,
				created_at: now.toISOString(),
			})),
			LATE_NOTICES_KEY,
		);
		for (const row of await supabase.rowsWhereIn(LATE_NOTICES_TABLE, 'order_id', due.map(({ order }) => order.facts.orderId))) rows.set(String(row.order_id), row);
	}
	// claimed in one go: of two runs at once, each row goes to one
	const fresh = due.map(({ order }) => rows.get(order.facts.orderId)).filter((row): row is Row => !!row && !row.notify_claimed_at && !row.sent_at);
	const claim = newClaim(now);
	const held = fresh.length ? await claimRows(supabase, NOTICE_CLAIM, fresh.map((row) => String(row.id)), claim) : new Set<string>();

	const outcomes: NoticeOutcome[] = [];
	for (const { order, decision } of decided) {
		if (decision.outcome !== 'notify') {
			outcomes.push({ order, decision, status: 'not_notified' });
			continue;
		}
		const row = rows.get(order.facts.orderId)!;
		const noticeId = String(row.id);
		if (row.sent_at) {
			outcomes.push({ order, decision, status: 'already_notified', noticeId, sentAt: new Date(String(row.sent_at)).toISOString(), ...(row.message_id ? { messageId: String(row.message_id) } : {}) });
			continue;
		}
		if (!held.has(noticeId)) {
			outcomes.push({ order, decision, status: 'unconfirmed', noticeId });
			continue;
		}
		try {
			const messageId = await sendUnderClaim(
				supabase,
				NOTICE_CLAIM,
				noticeId,
				claim,
				() => send(services.sendgrid!, settings, order, decision, policy.calendar.timeZone),
				'SendGrid may have accepted the running-late notice, so it is not sent again: check SendGrid\'s activity for the custom argument cx_order.',
			);
			await settleClaim(supabase, NOTICE_CLAIM, [noticeId], claim, { sent_at: now.toISOString(), message_id: messageId ?? null, last_error: null });
			outcomes.push({ order, decision, status: 'notified', noticeId, sentAt: now.toISOString(), ...(messageId ? { messageId } : {}) });
		} catch (error) {
			const failure = error as NodeApiError;
			await supabase.updateById(LATE_NOTICES_TABLE, noticeId, { last_error: String(failure.message).slice(0, 500) });
			outcomes.push({ order, decision, status: failure.context?.unconfirmed ? 'unconfirmed' : 'not_notified', noticeId, failure });
		}
	}
	return outcomes;
}

async function send(sendgrid: SendGridService, settings: NoticeSettings, order: OrderToCheck, decision: LateNoticeDecision, timeZone: string): Promise<string | undefined> {
	const facts: LateNoticeFacts = {
		...(order.customer.firstName ? { firstName: order.customer.firstName } : {}),
		orderName: order.facts.name,
		promisedDeliveryDate: decision.promisedDeliveryDate,
		...(decision.expectedDeliveryAt ? { expectedDeliveryAt: decision.expectedDeliveryAt } : {}),
		notShipped: decision.lateReasons.includes('production_not_started_in_time'),
		timeZone,
		...(settings.storeName ? { storeName: settings.storeName } : {}),
	};
	// transactional, as the delay apology: the store's service group when it names one, never a marketing list
	const common = {
		to: order.customer.email!,
		customArgs: { cx_order: order.facts.orderId, cx_reason: 'running_late' },
		categories: ['cx-late-notice'],
		...(settings.unsubscribeGroupId ? { asm: { groupId: settings.unsubscribeGroupId } } : {}),
	};
	if (settings.templateId) {
		return sendgrid.send({ ...common, templateId: settings.templateId, dynamicTemplateData: lateNoticeTemplateData(facts) } as Parameters<SendGridService['send']>[0]);
	}
	const email = renderLateNoticeEmail(facts);
	return sendgrid.send({ ...common, subject: email.subject, html: email.html, text: email.text });
}

/**
 * "Where is my order" answered at once, against Shopify, Supabase and SendGrid.
 *
 * Every order the run's tickets name, and the latest orders of the customers who name none, are read from
 * Shopify in one batch (services/shopify/orderStatus.ts); wismo.ts decides which order each ticket means and
 * what to say of it. An order that cannot be identified goes to a person: no email, the reason in the output.
 *
 * The answer takes the place of the plain acknowledgement and goes out under its claim (tickets.acknowledged_at
 * + acknowledgement_claim, shared/ledger.ts): claimed only while the ticket is open and unanswered and nothing
 * was sent for it yet, sent, settled with SendGrid's message id, and recorded as the ticket's first response
 * (first_responded_at, only where none is recorded: a reply the helpdesk already reported is never moved). A
 * refusal gives the claim back for the next triage; an unclear answer keeps it, so nobody hears twice. In draft
 * mode nothing is sent: the answer is handed to the helpdesk for an agent, and the ticket is not answered yet.
 */
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { claimRows, newClaim, released, sendUnderClaim, settleClaim, type Claim, type ClaimColumns } from '../shared/ledger';
import type { PromisePolicy } from '../shared/delivery';
import { filterChunks } from '../shared/idChunks';
import { refusesOnlyThisMessage, type SendGridService } from '../shared/services/sendgrid';
import type { ShopifyService } from '../shared/services/shopify/client';
import { findOrder } from '../shared/services/shopify/orders';
import { trackedOrders } from '../shared/services/shopify/orderStatus';
import type { Row, RowFilter, SupabaseService } from '../shared/services/supabase';
import { OPEN_TICKET_STATUSES, TICKETS_TABLE } from '../shared/store/tickets';
import { customerGid } from '../shared/contract/customer';
import { identifyOrder, orderNumbersIn, orderStatusAnswer, type Asker, type OrderStatusAnswer, type PersonReason } from './wismo';
import { renderWismoEmail, type WismoStore } from './wismoEmail';

/** The acknowledgement's claim: one message per ticket, whichever of the two it is. */
const PLACE: ClaimColumns = { table: TICKETS_TABLE, key: 'external_id', at: 'acknowledged_at', token: 'acknowledgement_claim' };
const OPEN_FILTERS: RowFilter[] = [
	{ column: 'first_responded_at', op: 'is', value: null },
	{ column: 'status', op: 'in', value: [...OPEN_TICKET_STATUSES] },
];
export const WISMO_CATEGORY = 'cx-order-status';

export type WismoMode = 'email' | 'draft';

export interface WismoSettings {
	mode: WismoMode;
	store: WismoStore;
	promise: PromisePolicy;
}

export interface ToAnswer extends Asker {
	ticketId: string;
	firstName?: string;
	/** The ticket's first reply is due already (a backlog import): drafted, never mailed. */
	firstResponseOverdue: boolean;
}

/**
 * sent: mailed and recorded as the first response; drafted: for an agent (draft mode, or no address, or the first
 * reply already due); to_person: the order could not be identified (see reason); already_acknowledged: the
 * customer had the acknowledgement or this answer from an earlier run; skipped: the ticket is answered, closed or
 * not stored (see reason); failed: refused, the next triage sends it; unconfirmed: SendGrid's answer was unclear,
 * not sent again; not_sent: the run stopped at an earlier failure.
 */
export type WismoStatus = 'sent' | 'drafted' | 'to_person' | 'already_acknowledged' | 'skipped' | 'failed' | 'unconfirmed' | 'not_sent';

export interface WismoOutcome {
	status: WismoStatus;
	reason?: PersonReason | string;
	/** Orders the ticket could mean, when a person must choose. */
	candidates?: string[];
	identifiedBy?: 'order_number' | 'latest_open_order';
	answer?: OrderStatusAnswer;
	draft?: { subject: string; text: string; html: string };
	to?: string;
	messageId?: string;
	answeredAt?: string;
	error?: NodeApiError;
}

export interface WismoReport {
	outcomes: Map<string, WismoOutcome>;
	/** The failure that stopped the run's other answers (a service failure, not one message's refusal). */
	stopped?: NodeApiError;
}

/** Decides and (in email mode) sends the answer for each ticket; one outcome per ticket id. */
export async function answerOrderStatus(
	ctx: IExecuteFunctions,
	services: { shopify: ShopifyService; supabase?: SupabaseService; sendgrid?: SendGridService },
	settings: WismoSettings,
	tickets: ToAnswer[],
	now: Date,
): Promise<WismoReport> {
	const unique = [...new Map(tickets.map((ticket) => [ticket.ticketId, ticket])).values()];
	const report: WismoReport = { outcomes: new Map() };
	if (!unique.length) return report;

	// one batch for the run: the orders named, and the latest orders of the customers who name none
	const named = (ticket: ToAnswer) => [...(ticket.orderId ? [ticket.orderId] : []), ...orderNumbersIn(ticket.text)];
	const customerOf = (ticket: ToAnswer) => ticket.customerIds.map(customerGid).find((id): id is string => id !== undefined);
	const { orders, byCustomer } = await trackedOrders(services.shopify, {
		references: unique.flatMap(named),
		customerIds: unique.flatMap((ticket) => {
			const customer = customerOf(ticket);
			return !named(ticket).length && customer ? [customer] : [];
		}),
	});

	const toSend: Array<{ ticket: ToAnswer; email: string; answer: OrderStatusAnswer; identifiedBy: WismoOutcome['identifiedBy']; draft: WismoOutcome['draft'] & object }> = [];
	for (const ticket of unique) {
		const customer = customerOf(ticket);
		const identified = identifyOrder(ticket, (reference) => findOrder(orders, reference), customer ? byCustomer.get(customer) : undefined);
		if (!identified.found) {
			report.outcomes.set(ticket.ticketId, { status: 'to_person', reason: identified.reason, ...(identified.candidates.length ? { candidates: identified.candidates } : {}) });
			continue;
		}
		const answer = orderStatusAnswer(identified.order, settings.promise, now);
		const draft = renderWismoEmail({ ticketId: ticket.ticketId, ...(ticket.firstName ? { firstName: ticket.firstName } : {}), answer }, settings.store);
		const base = { identifiedBy: identified.by, answer, draft };
		if (settings.mode === 'draft') report.outcomes.set(ticket.ticketId, { status: 'drafted', reason: 'draft_mode', ...base });
		else if (!ticket.email) report.outcomes.set(ticket.ticketId, { status: 'drafted', reason: 'no_customer_email', ...base });
		else if (ticket.firstResponseOverdue) report.outcomes.set(ticket.ticketId, { status: 'drafted', to: ticket.email, reason: 'first_response_already_due', ...base });
		else toSend.push({ ticket, email: ticket.email, answer, identifiedBy: identified.by, draft });
	}
	if (!toSend.length) return report;
	if (!services.supabase || !services.sendgrid) throw new Error('emailing the order status needs Supabase and SendGrid');
	const supabase = services.supabase;
	const sendgrid = services.sendgrid;

	const stamp = newClaim(now);
	const claimed = await claimRows(supabase, PLACE, toSend.map(({ ticket }) => ticket.ticketId), stamp, OPEN_FILTERS);
	const others = toSend.filter(({ ticket }) => !claimed.has(ticket.ticketId));
	if (others.length) await reportUnclaimed(supabase, others, report);

	for (const entry of toSend.filter(({ ticket }) => claimed.has(ticket.ticketId))) {
		const { ticket, email, answer, identifiedBy, draft } = entry;
		const base = { identifiedBy, answer, draft, to: email };
		if (report.stopped) {
			await settleClaim(supabase, PLACE, [ticket.ticketId], stamp, released(PLACE));
			report.outcomes.set(ticket.ticketId, { status: 'not_sent', ...base, error: report.stopped });
			continue;
		}
		try {
			const messageId = await sendUnderClaim(
				supabase,
				PLACE,
				ticket.ticketId,
				stamp,
				async () =>
					sendgrid.send({
						to: { email, ...(ticket.firstName ? { name: ticket.firstName } : {}) },
						subject: draft.subject,
						html: draft.html,
						text: draft.text,
						categories: [WISMO_CATEGORY],
						customArgs: { cx_ticket: ticket.ticketId },
					} as Parameters<SendGridService['send']>[0]),
				`SendGrid's answer was unclear, so the order status is not sent again: check SendGrid's activity for category ${WISMO_CATEGORY}.`,
			);
			await settle(supabase, ticket.ticketId, stamp, messageId);
			report.outcomes.set(ticket.ticketId, { status: 'sent', ...base, answeredAt: stamp.at, ...(messageId ? { messageId } : {}) });
		} catch (error) {
			const failure = error instanceof NodeApiError ? error : new NodeApiError(ctx.getNode(), { message: String(error) } as JsonObject);
			const unclear = failure.context.unconfirmed === true;
			if (unclear) await settleClaim(supabase, PLACE, [ticket.ticketId], stamp, { acknowledgement_error: `unconfirmed ${failure.message}`.slice(0, 500) });
			report.outcomes.set(ticket.ticketId, { status: unclear ? 'unconfirmed' : 'failed', ...base, error: failure });
			if (!refusesOnlyThisMessage(failure)) report.stopped = failure;
		}
	}
	return report;
}

/** Settles the claim with SendGrid's message id and records the answer as the first response, where none is. */
async function settle(supabase: SupabaseService, ticketId: string, stamp: Claim, messageId: string | undefined): Promise<void> {
	await settleClaim(supabase, PLACE, [ticketId], stamp, { acknowledgement_message_id: messageId ?? null, acknowledgement_error: null });
	await supabase.updateWhere(TICKETS_TABLE, [{ column: 'external_id', op: 'eq', value: ticketId }, { column: 'first_responded_at', op: 'is', value: null }], { first_responded_at: stamp.at });
}

/** Why a ticket was not claimed: something was sent for it before, it is answered or closed, or not stored. */
async function reportUnclaimed(supabase: SupabaseService, entries: Array<{ ticket: ToAnswer; email: string; answer: OrderStatusAnswer; identifiedBy: WismoOutcome['identifiedBy']; draft: WismoOutcome['draft'] }>, report: WismoReport): Promise<void> {
	const rows = new Map<string, Row>();
	for (const ids of filterChunks(entries.map(({ ticket }) => ticket.ticketId))) {
		for (const row of await supabase.rowsWhereIn(TICKETS_TABLE, 'external_id', ids)) rows.set(String(row.external_id), row);
	}
	for (const { ticket, email, answer, identifiedBy, draft } of entries) {
		const row = rows.get(ticket.ticketId);
		const base = { identifiedBy, answer, draft, to: email };
		if (row?.acknowledged_at) {
			report.outcomes.set(ticket.ticketId, {
				status: 'already_acknowledged',
				...base,
				answeredAt: new Date(String(row.acknowledged_at)).toISOString(),
				...(row.acknowledgement_message_id ? { messageId: String(row.acknowledgement_message_id) } : {}),
			});
		} else {
			const reason = !row ? 'ticket_not_stored' : row.first_responded_at ? 'already_answered' : `ticket_${String(row.status)}`;
			report.outcomes.set(ticket.ticketId, { status: 'skipped', ...base, reason });
		}
	}
}

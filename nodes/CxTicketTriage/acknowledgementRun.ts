/**
 * Acknowledging tickets to their customers, exactly once per ticket, against Supabase and SendGrid.
 *
 * Each email's tickets are claimed first, in one conditional update of their `tickets` rows (acknowledged_at
 * still null, the ticket open and not answered yet -> now) that returns the rows it changed: of two runs at
 * once, each mails only the tickets it claimed itself, and a replay of a ticket mails nobody. Then the email
 * goes out, up to 1000 customers per request. When SendGrid refuses it for certain (a 4xx, or a gateway
 * 502/503/504 that sendgrid.ts already retried) the claim is taken back, so a later triage of the ticket sends
 * it; a batch refused for its content (400, 413) is tried again one ticket per request, so one bad address
 * holds back only its own ticket. When the answer is unclear (a 500, a dropped connection: SendGrid may have
 * accepted the message) the claim stays and the ticket is reported unconfirmed: a missing acknowledgement is
 * better than a second one. A claim left that way, or by a run that stopped between the claim and the write after
 * SendGrid's answer (n8n stopped, a worker died), is judged by SendGrid's Email Activity once it is old enough to
 * be complete (ledger.ts checkLeftClaim): shown there, the ticket is recorded acknowledged; surely absent, this run
 * takes the claim over and sends it; unknown, the ticket is reported unconfirmed, not acknowledged.
 */
import { afterSendFailure, checkLeftClaims, claimRows, newClaim, released, settleClaim, takeOverClaim, type Claim, type ClaimColumns, type LeftClaim } from '../shared/ledger';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { mailBatches, refusesOnlyThisMessage, type Recipient, type SendGridService } from '../shared/services/sendgrid';
import type { Row, RowFilter, SupabaseService } from '../shared/services/supabase';
import {
	acknowledgementSubject,
	acknowledgementSubstitutions,
	promiseSentence,
	renderAcknowledgementEmail,
	type AcknowledgementFacts,
	type AcknowledgementStore,
} from './acknowledgementEmail';
import { filterChunks } from '../shared/idChunks';
import { OPEN_TICKET_STATUSES, TICKETS_TABLE } from '../shared/store/tickets';

/** Where a ticket's acknowledgement claim lives: released, the ticket is unacknowledged again, for a later triage. */
const PLACE: ClaimColumns = { table: TICKETS_TABLE, key: 'external_id', at: 'acknowledged_at', token: 'acknowledgement_claim' };
const RELEASE = released(PLACE);


export interface ToAcknowledge {
	ticketId: string;
	email: string;
	facts: AcknowledgementFacts;
}

/**
 * sent; already_acknowledged: an earlier run sent it; skipped: not to be sent (see reason); failed: refused,
 * a later triage of the ticket sends it; unconfirmed: SendGrid's answer was unclear, not sent again;
 * not_sent: the run stopped at an earlier failure before this ticket.
 */
export type AcknowledgementStatus = 'sent' | 'already_acknowledged' | 'skipped' | 'failed' | 'unconfirmed' | 'not_sent';

export interface AcknowledgementOutcome {
	status: AcknowledgementStatus;
	to?: string;
	promisedBy?: string;
	promise?: string;
	messageId?: string;
	acknowledgedAt?: string;
	reason?: string;
	error?: NodeApiError;
}

export interface AcknowledgementReport {
	outcomes: Map<string, AcknowledgementOutcome>;
	/** The failure that stopped the run's other emails (a service failure, not one message's refusal). */
	stopped?: NodeApiError;
}




const OPEN_FILTERS: RowFilter[] = [
	{ column: 'first_responded_at', op: 'is', value: null },
	{ column: 'status', op: 'in', value: [...OPEN_TICKET_STATUSES] },
];

/** Claims, mails and settles every ticket given (each once, whatever the run repeats); returns an outcome per ticket id. */
export async function acknowledgeTickets(
	ctx: IExecuteFunctions,
	services: { supabase: SupabaseService; sendgrid: SendGridService },
	store: AcknowledgementStore,
	tickets: ToAcknowledge[],
	now: Date,
): Promise<AcknowledgementReport> {
	const unique = [...new Map(tickets.map((ticket) => [ticket.ticketId, ticket])).values()];
	const report: AcknowledgementReport = { outcomes: new Map() };
	const body = renderAcknowledgementEmail(store);
	const promised = (ticket: ToAcknowledge) => ({ to: ticket.email, promisedBy: ticket.facts.firstResponseDueAt, promise: promiseSentence(ticket.facts, store) });

	for (const batch of mailBatches(unique, (ticket) => ticket.email)) {
		if (report.stopped) {
			for (const ticket of batch) report.outcomes.set(ticket.ticketId, { status: 'not_sent', ...promised(ticket), error: report.stopped });
			continue;
		}
		const stamp = newClaim(now);
		const claimed = await claimRows(services.supabase, PLACE, batch.map((ticket) => ticket.ticketId), stamp, OPEN_FILTERS);
		const others = batch.filter((ticket) => !claimed.has(ticket.ticketId));
		if (others.length) for (const id of await reportUnclaimed(services, others, report, promised, stamp, now)) claimed.add(id);
		const mine = batch.filter((ticket) => claimed.has(ticket.ticketId));
		if (mine.length) report.stopped = await mail(ctx, services, body, store, mine, stamp, report, promised);
	}
	return report;
}

/**
 * Why a ticket was not claimed: acknowledged before, answered or closed, or not stored. A claim left unsettled
 * (no message id: the run stopped, or SendGrid's answer was unclear) is judged by SendGrid's activity; the ids
 * this run took over, to mail under `stamp`, are returned.
 */
async function reportUnclaimed(
	services: { supabase: SupabaseService; sendgrid: SendGridService },
	tickets: ToAcknowledge[],
	report: AcknowledgementReport,
	promised: (ticket: ToAcknowledge) => Partial<AcknowledgementOutcome>,
	stamp: Claim,
	now: Date,
): Promise<string[]> {
	const { supabase } = services;
	const rows = new Map<string, Row>();
	const retaken: string[] = [];
	for (const ids of filterChunks(tickets.map((ticket) => ticket.ticketId))) {
		for (const row of await supabase.rowsWhereIn(TICKETS_TABLE, 'external_id', ids)) rows.set(String(row.external_id), row);
	}
	// claimed and never settled (no message id), on a ticket still waiting for its first reply
	const leftOpen = (row: Row | undefined): boolean =>
		!!row?.acknowledged_at && !row.acknowledgement_message_id && !!row.acknowledgement_claim && !row.first_responded_at && (OPEN_TICKET_STATUSES as readonly string[]).includes(String(row.status));
	const left = tickets.filter((ticket) => leftOpen(rows.get(ticket.ticketId)));
	const verdicts = left.length ? await checkLeftClaims(services.sendgrid, 'cx_ticket', left.map((ticket) => ({ id: ticket.ticketId, to: ticket.email, claimedAt: rows.get(ticket.ticketId)!.acknowledged_at })), now) : new Map<string, LeftClaim>();
	for (const ticket of tickets) {
		const row = rows.get(ticket.ticketId);
		if (row && leftOpen(row)) {
			const found = verdicts.get(ticket.ticketId)!;
			if (found.verdict === 'sent') {
				await settleClaim(supabase, PLACE, [ticket.ticketId], { at: String(row.acknowledged_at), token: String(row.acknowledgement_claim) }, { acknowledgement_message_id: found.messageId, acknowledgement_error: null });
				report.outcomes.set(ticket.ticketId, { status: 'already_acknowledged', to: ticket.email, acknowledgedAt: new Date(String(row.acknowledged_at)).toISOString(), messageId: found.messageId });
			} else if (found.verdict === 'not_sent' && (await takeOverClaim(supabase, PLACE, ticket.ticketId, String(row.acknowledgement_claim), stamp))) {
				retaken.push(ticket.ticketId);
			} else {
				const why = found.verdict === 'unknown' ? found.why : 'another run took it up at the same time';
				report.outcomes.set(ticket.ticketId, { status: 'unconfirmed', ...promised(ticket), reason: `an earlier attempt claimed the acknowledgement and never recorded SendGrid's answer; not sent again: ${why}` });
			}
		} else if (row?.acknowledged_at) {
			report.outcomes.set(ticket.ticketId, {
				status: 'already_acknowledged',
				to: ticket.email,
				acknowledgedAt: new Date(String(row.acknowledged_at)).toISOString(),
				...(row.acknowledgement_message_id ? { messageId: String(row.acknowledgement_message_id) } : {}),
			});
		} else {
			const reason = !row ? 'ticket_not_stored' : row.first_responded_at ? 'already_answered' : `ticket_${String(row.status)}`;
			report.outcomes.set(ticket.ticketId, { status: 'skipped', ...promised(ticket), reason });
		}
	}
	return retaken;
}

/** Sends one claimed batch and settles its rows; returns the failure that should stop the run's other emails. */
async function mail(
	ctx: IExecuteFunctions,
	services: { supabase: SupabaseService; sendgrid: SendGridService },
	body: { html: string; text: string },
	store: AcknowledgementStore,
	tickets: ToAcknowledge[],
	stamp: Claim,
	report: AcknowledgementReport,
	promised: (ticket: ToAcknowledge) => Partial<AcknowledgementOutcome>,
): Promise<NodeApiError | undefined> {
	const settle = (patch: Row) => settleClaim(services.supabase, PLACE, tickets.map((ticket) => ticket.ticketId), stamp, patch);
	const recipients: Recipient[] = tickets.map((ticket) => ({
		email: ticket.email,
		...(ticket.facts.firstName ? { name: ticket.facts.firstName } : {}),
		subject: acknowledgementSubject(ticket.facts),
		substitutions: acknowledgementSubstitutions(ticket.facts, store),
		customArgs: { cx_ticket: ticket.ticketId },
	}));
	let messageId: string | undefined;
	try {
		messageId = await services.sendgrid.sendBatch({ html: body.html, text: body.text, categories: ['cx-acknowledgement'] } as Parameters<SendGridService['sendBatch']>[0], recipients);
	} catch (error) {
		const failure = error instanceof NodeApiError ? error : new NodeApiError(ctx.getNode(), { message: String(error) } as JsonObject);
		if (refusesOnlyThisMessage(failure) && tickets.length > 1) {
			// one address or text may be what SendGrid refuses: each ticket on its own, under the same claim
			let stopped: NodeApiError | undefined;
			for (const ticket of tickets) {
				if (stopped) {
					await settleClaim(services.supabase, PLACE, [ticket.ticketId], stamp, RELEASE);
					report.outcomes.set(ticket.ticketId, { status: 'not_sent', ...promised(ticket), error: stopped });
					continue;
				}
				stopped = await mail(ctx, services, body, store, [ticket], stamp, report, promised);
			}
			return stopped;
		}
		const lastError = failure.message.slice(0, 500);
		const definite = afterSendFailure(failure) === 'release';
		// refused: the claim is taken back for a later triage; unclear: it stays, so nobody is mailed twice
		await settle(definite ? { ...RELEASE, acknowledgement_error: lastError } : { acknowledgement_error: `unconfirmed ${lastError}`.slice(0, 500) });
		for (const ticket of tickets) report.outcomes.set(ticket.ticketId, { status: definite ? 'failed' : 'unconfirmed', ...promised(ticket), error: failure });
		return refusesOnlyThisMessage(failure) ? undefined : failure;
	}
	await settle({ acknowledgement_message_id: messageId ?? null, acknowledgement_error: null });
	for (const ticket of tickets) report.outcomes.set(ticket.ticketId, { status: 'sent', ...promised(ticket), acknowledgedAt: stamp.at, ...(messageId ? { messageId } : {}) });
	return undefined;
}

/**
 * Sending the surveys exactly once per order and question. Every order to ask gets a row in Supabase
 * `survey_invites` (unique per order and type) with its random token before anything else happens; the
 * row then moves pending -> sending (claimed, in one statement that takes only rows still pending) ->
 * sent. A rerun sends rows left pending and never mails a row that reached sending: after a crash between
 * SendGrid's answer and the write, a missing survey is better than a second one.
 */
import { afterSendFailure, moveStatus } from '../shared/ledger';
import { randomBytes } from 'node:crypto';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import type { Row, SupabaseService } from '../shared/services/supabase';
import { mailBatches, type Recipient, type SendGridService } from '../shared/services/sendgrid';
import type { KnownInvite, SurveyDecision, SurveyType } from './survey';
import type { SolvedTicket, TicketSurveyDecision } from './ticketSurvey';
import type { DeliveredOrder } from '../shared/contract/order';
import { renderSurveyEmail, surveySubstitutions, type SurveyAbout } from './surveyEmail';
import { SURVEY_INVITES_KEY, SURVEY_INVITES_TABLE, SURVEY_INVITES_TICKET_KEY } from '../shared/store/surveyInvites';

/** Ids per statement: PostgREST takes an `in` filter in the URL, which proxies cap at 8 KB. */

/** RFC 4648 base32, lower case: no padding is needed for 15 bytes (120 bits = 24 characters). */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A survey token: 120 random bits, unguessable, safe in a URL, in HTML and in text as it is. */
export function surveyToken(): string {
	let out = '';
	let value = 0;
	let bits = 0;
	for (const byte of randomBytes(15)) {
		value = (value << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			out += BASE32[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
		value &= (1 << bits) - 1;
	}
	return out;
}

export interface SurveySettings {
	type: SurveyType;
	answerUrl: string;
	unsubscribeGroupId: number;
	storeName?: string;
	/** What the question is about: delivered orders (default) or solved tickets. */
	about?: SurveyAbout;
}

export interface ToSurvey {
	itemIndex: number;
	/** The order asked about; for a ticket, its customer as an order's (orderId empty). */
	order: DeliveredOrder;
	decision: SurveyDecision | TicketSurveyDecision;
	/** Satisfaction after support: the ticket asked about (the ledger row is the ticket's). */
	ticket?: SolvedTicket;
}

/** The ledger key of a survey: the ticket's id for a question after support, else the order's id. */
const ledgerKey = (entry: ToSurvey) => entry.ticket?.ticketId ?? entry.order.orderId;

export type SendStatus = 'sent' | 'unconfirmed' | 'failed';

export interface SendOutcome {
	entry: ToSurvey;
	status: SendStatus;
	inviteId?: string;
	messageId?: string;
	error?: NodeApiError;
}

const lowerEmail = (email: string | undefined) => email?.trim().toLowerCase();

/** Invitations that bear on these orders: theirs (any question) and every one of their customers', by id or email. */
export async function invitesFor(supabase: SupabaseService, orders: DeliveredOrder[]): Promise<Row[]> {
	const ids = [...new Set(orders.map((order) => order.customerId).filter((id): id is string => Boolean(id)))];
	const emails = [...new Set(orders.map((order) => lowerEmail(order.email)).filter((email): email is string => Boolean(email)))];
	const [byOrder, byCustomer, byEmail] = await Promise.all([
		supabase.rowsWhereIn(SURVEY_INVITES_TABLE, 'order_id', orders.map((order) => order.orderId)),
		ids.length ? supabase.rowsWhereIn(SURVEY_INVITES_TABLE, 'customer_id', ids) : Promise.resolve([]),
		emails.length ? supabase.rowsWhereIn(SURVEY_INVITES_TABLE, 'customer_email', emails) : Promise.resolve([]),
	]);
	const byId = new Map<string, Row>();
	for (const row of [...byOrder, ...byCustomer, ...byEmail]) byId.set(String(row.id), row);
	return [...byId.values()];
}

export function knownInvite(row: Row): KnownInvite {
	const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
	return {
		orderId: text(row.order_id) ?? '',
		...(text(row.ticket_id) ? { ticketId: text(row.ticket_id) } : {}),
		type: String(row.type),
		status: String(row.status),
		...(text(row.customer_id) ? { customerId: text(row.customer_id) } : {}),
		...(text(row.customer_email) ? { customerEmail: text(row.customer_email) } : {}),
		...(text(row.sent_at) ? { sentAt: text(row.sent_at) } : {}),
		...(text(row.created_at) ? { createdAt: text(row.created_at) } : {}),
	};
}

/**
 * Writes the invitations of the orders to ask, each with a new token; a row already there (an earlier or a
 * concurrent run) keeps its token and status. Returns the rows as stored, by order id.
 */
export async function recordInvites(supabase: SupabaseService, toSurvey: ToSurvey[], type: SurveyType, now: Date): Promise<Map<string, Row>> {
	const rows = toSurvey.map(({ order }) => ({
		token: surveyToken(),
		order_id: order.orderId,
		order_name: order.orderName ?? null,
		customer_id: order.customerId ?? null,
		customer_email: lowerEmail(order.email),
		type,
		tier: order.tier ?? null,
		delivered_at: order.deliveredAt ?? null,
		status: 'pending',
		created_at: now.toISOString(),
	}));
	await supabase.insertMissing(SURVEY_INVITES_TABLE, rows, SURVEY_INVITES_KEY);
	const stored = await supabase.rowsWhereIn(SURVEY_INVITES_TABLE, 'order_id', toSurvey.map(({ order }) => order.orderId));
	return new Map(stored.filter((row) => row.type === type).map((row) => [String(row.order_id), row]));
}

/** Invitations that bear on these tickets: theirs, and every one of their customers' (any survey), by id or email. */
export async function invitesForTickets(supabase: SupabaseService, tickets: SolvedTicket[]): Promise<Row[]> {
	const ids = [...new Set(tickets.map((ticket) => ticket.customerId).filter((id): id is string => Boolean(id)))];
	const emails = [...new Set(tickets.map((ticket) => lowerEmail(ticket.email)).filter((email): email is string => Boolean(email)))];
	const [byTicket, byCustomer, byEmail] = await Promise.all([
		supabase.rowsWhereIn(SURVEY_INVITES_TABLE, 'ticket_id', tickets.map((ticket) => ticket.ticketId)),
		ids.length ? supabase.rowsWhereIn(SURVEY_INVITES_TABLE, 'customer_id', ids) : Promise.resolve([]),
		emails.length ? supabase.rowsWhereIn(SURVEY_INVITES_TABLE, 'customer_email', emails) : Promise.resolve([]),
	]);
	const byId = new Map<string, Row>();
	for (const row of [...byTicket, ...byCustomer, ...byEmail]) byId.set(String(row.id), row);
	return [...byId.values()];
}

/**
 * Writes the invitations of the solved tickets to ask (CSAT, no order), each with a new token, the agent and
 * the solve they are for; a row already there keeps its token and status. Returns the rows as stored, by ticket id.
 */
export async function recordTicketInvites(supabase: SupabaseService, toSurvey: ToSurvey[], now: Date): Promise<Map<string, Row>> {
	const tickets = toSurvey.map((entry) => entry.ticket).filter((ticket): ticket is SolvedTicket => ticket !== undefined);
	const rows = tickets.map((ticket) => ({
		token: surveyToken(),
		order_id: null,
		order_name: null,
		ticket_id: ticket.ticketId,
		agent: ticket.agent ?? null,
		ticket_resolved_at: ticket.resolvedAt ?? null,
		customer_id: ticket.customerId ?? null,
		customer_email: lowerEmail(ticket.email),
		type: 'csat',
		tier: ticket.tier ?? null,
		delivered_at: null,
		status: 'pending',
		created_at: now.toISOString(),
	}));
	await supabase.insertMissing(SURVEY_INVITES_TABLE, rows, SURVEY_INVITES_TICKET_KEY);
	const stored = await supabase.rowsWhereIn(SURVEY_INVITES_TABLE, 'ticket_id', tickets.map((ticket) => ticket.ticketId));
	return new Map(stored.filter((row) => row.type === 'csat').map((row) => [String(row.ticket_id), row]));
}



/**
 * Sends the pending invitations, up to 1000 customers per request, each batch claimed (pending -> sending)
 * before the request and marked sent after it. Stops at the first failed batch: what is left stays pending
 * for the next run.
 */
export async function sendInvites(ctx: IExecuteFunctions, services: { supabase: SupabaseService; sendgrid: SendGridService }, settings: SurveySettings, toSurvey: ToSurvey[], ledger: Map<string, Row>, now: Date): Promise<SendOutcome[]> {
	const outcomes: SendOutcome[] = [];
	const ready: Array<{ entry: ToSurvey; row: Row }> = [];
	for (const entry of toSurvey) {
		const row = ledger.get(ledgerKey(entry));
		const inviteId = row ? String(row.id) : undefined;
		if (!row) {
			const what = entry.ticket ? `ticket ${entry.ticket.ticketId}` : `order ${entry.order.orderId}`;
			outcomes.push({ entry, status: 'failed', error: new NodeApiError(ctx.getNode(), { message: 'no ledger row' }, { message: `The survey invitation of ${what} could not be read back from Supabase` }) });
		} else if (row.status === 'sent') {
			// mailed by a run at the same time, after this run's ledger read
			outcomes.push({ entry, status: 'sent', inviteId, ...(row.message_id ? { messageId: String(row.message_id) } : {}) });
		} else if (row.status === 'sending') {
			outcomes.push({ entry, status: 'unconfirmed', inviteId });
		} else {
			ready.push({ entry, row });
		}
	}
	const body = renderSurveyEmail(settings.type, settings.answerUrl, { ...(settings.storeName ? { storeName: settings.storeName } : {}), ...(settings.about ? { about: settings.about } : {}) });
	let stopped: NodeApiError | undefined;
	for (const candidates of mailBatches(ready, ({ entry, row }) => entry.order.email ?? String(row.customer_email))) {
		if (stopped) {
			for (const { entry, row } of candidates) outcomes.push({ entry, status: 'failed', inviteId: String(row.id), error: stopped });
			continue;
		}
		// claimed in one statement per chunk: a row another run claimed first is mailed by that run alone
		const claimed = new Set((await moveStatus(services.supabase, SURVEY_INVITES_TABLE, candidates.map(({ row }) => String(row.id)), 'pending', { status: 'sending' })).map((row) => String(row.id)));
		const batch = candidates.filter(({ row }) => claimed.has(String(row.id)));
		for (const { entry, row } of candidates.filter(({ row }) => !claimed.has(String(row.id)))) outcomes.push({ entry, status: 'unconfirmed', inviteId: String(row.id) });
		if (!batch.length) continue;
		const ids = batch.map(({ row }) => String(row.id));
		const recipients: Recipient[] = batch.map(({ entry, row }) => ({
			email: entry.order.email ?? String(row.customer_email),
			...(entry.order.firstName ? { name: entry.order.firstName } : {}),
			customArgs: (entry.ticket ? { cx_survey: String(row.id), cx_ticket: entry.ticket.ticketId } : { cx_survey: String(row.id), cx_order: String(row.order_id) }) as Record<string, string>,
			substitutions: surveySubstitutions({
				...(entry.order.firstName ? { firstName: entry.order.firstName } : {}),
				...(entry.order.orderName ? { orderName: entry.order.orderName } : {}),
				...(entry.ticket?.subject ? { ticketSubject: entry.ticket.subject } : {}),
				token: String(row.token),
			}),
		}));
		try {
			const messageId = await services.sendgrid.sendBatch(
				{
					categories: ['cx-survey', `cx-survey-${settings.type}`, ...(settings.about === 'ticket' ? ['cx-survey-support'] : [])],
					asm: { groupId: settings.unsubscribeGroupId },
					subject: body.subject,
					html: body.html,
					text: body.text,
				} as Parameters<SendGridService['sendBatch']>[0],
				recipients,
			);
			await moveStatus(services.supabase, SURVEY_INVITES_TABLE, ids, 'sending', { status: 'sent', message_id: messageId ?? null, sent_at: now.toISOString(), last_error: null });
			for (const { entry, row } of batch) outcomes.push({ entry, status: 'sent', inviteId: String(row.id), ...(messageId ? { messageId } : {}) });
		} catch (error) {
			const failure = error instanceof NodeApiError ? error : new NodeApiError(ctx.getNode(), { message: String(error) } as JsonObject);
			// refused outright: back to pending for the next run; an unclear answer stays sending, so it is not mailed twice
			const definite = afterSendFailure(failure) === 'release';
			await moveStatus(services.supabase, SURVEY_INVITES_TABLE, ids, 'sending', { ...(definite ? { status: 'pending' } : {}), last_error: failure.message.slice(0, 500) });
			stopped = failure;
			for (const { entry, row } of batch) outcomes.push({ entry, status: definite ? 'failed' : 'unconfirmed', inviteId: String(row.id), error: failure });
		}
	}
	return outcomes;
}

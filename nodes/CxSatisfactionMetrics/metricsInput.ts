/**
 * Tickets, orders and decided returns as the metrics see them, read from Supabase rows, Shopify's bulk JSONL or input items.
 * Pure: each reader turns one record into facts (or an InputProblem naming the field), nothing is kept.
 */
import { InputProblem, decimalOf } from '../shared/items';
import { isCurrency, moneyFromDecimal } from '../shared/money';
import { customerKeyOf, RETURN_STATUSES, type OrderSale } from '../shared/contract/order';
import { epochOrNull } from '../shared/time';
import type { DecidedReturn, PackCompensation, TicketFacts } from './metrics';

/** A compensation_ledger row paid (or being paid) as a Shopify refund: the order, the refund once known, the amount. */
export function compensationFacts(row: Record<string, unknown>): PackCompensation {
	const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : null);
	const cents = typeof row.amount_cents === 'number' ? row.amount_cents : typeof row.amount_cents === 'string' && row.amount_cents.trim() ? decimalOf(row.amount_cents) : null;
	return { orderId: text(row.order_id), refundId: text(row.payout_reference), cents: cents !== null && Number.isFinite(cents) ? cents : null };
}

/** One of the words a column allows (lower case), or null. */
const wordOf = <T extends string>(value: unknown, words: readonly T[]): T | null => {
	const word = typeof value === 'string' ? value.trim().toLowerCase() : '';
	return (words as readonly string[]).includes(word) ? (word as T) : null;
};

/**
 * A return_decisions row of the decide step (RETURN_REPORT_COLUMNS): when it was decided, how, why (its lines'
 * Shopify reasons, upper case) and what the lines were worth. The table's checks hold the words to their lists;
 * a reason is read as stored and counted by the tally.
 */
export function decidedReturnFacts(row: Record<string, unknown>): DecidedReturn {
	const currency = typeof row.currency === 'string' ? row.currency.trim().toUpperCase() : '';
	const cents = typeof row.returned_cents === 'string' && row.returned_cents.trim() ? decimalOf(row.returned_cents) : row.returned_cents;
	return {
		decidedAt: epochOrNull(row.created_at),
		outcome: wordOf(row.outcome, ['approve', 'decline', 'review'] as const),
		resolution: wordOf(row.resolution, ['exchange', 'store_credit', 'refund'] as const),
		fault: wordOf(row.fault, ['store', 'customer'] as const),
		reasons: Array.isArray(row.return_reasons) ? row.return_reasons.filter((reason): reason is string => typeof reason === 'string').map((reason) => reason.trim().toUpperCase()) : [],
		currency: isCurrency(currency) ? currency : null,
		returnedCents: typeof cents === 'number' && Number.isFinite(cents) ? Math.round(cents) : 0,
	};
}

const countOrNull = (value: unknown): number | null => {
	const number = typeof value === 'string' && value.trim() ? decimalOf(value) : value;
	return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : null;
};

/**
 * A tickets row: created when the help desk says (ticket_created_at), else when the row was written; with
 * the lifecycle its helpdesk events fold in (first solve, time waiting on the customer, reopens, replies).
 */
export function ticketFacts(row: Record<string, unknown>): TicketFacts {
	return {
		createdAt: epochOrNull(row.ticket_created_at) ?? epochOrNull(row.created_at),
		firstRespondedAt: epochOrNull(row.first_responded_at),
		resolvedAt: epochOrNull(row.resolved_at),
		status: typeof row.status === 'string' ? row.status.trim().toLowerCase() : null,
		firstResolvedAt: epochOrNull(row.first_resolved_at),
		pausedSeconds: countOrNull(row.paused_seconds),
		reopenCount: countOrNull(row.reopen_count),
		repliesToResolution: countOrNull(row.replies_to_resolution),
	};
}

/** The columns ticketFacts reads. */
export const TICKET_FACT_COLUMNS = 'ticket_created_at, created_at, first_responded_at, resolved_at, status, first_resolved_at, paused_seconds, reopen_count, replies_to_resolution';

/** The fields of a ticket item (the tickets table's names). */
export const TICKET_ITEM_FIELDS =
	'created_at (or ticket_created_at), status (open, pending, on_hold, solved, closed), and optionally first_responded_at, resolved_at (latest solve), first_resolved_at, paused_seconds (waiting on the customer), reopen_count, replies_to_resolution (agent replies before the first solve)';

const TICKET_DATE_FIELDS = ['ticket_created_at', 'created_at', 'first_responded_at', 'resolved_at', 'first_resolved_at'] as const;
const TICKET_COUNT_FIELDS = ['paused_seconds', 'reopen_count', 'replies_to_resolution'] as const;
const TICKET_STATUS_WORDS = ['open', 'pending', 'on_hold', 'solved', 'closed'];

/** One ticket item: dates, counts and the status checked, each bad one named with what to fix. */
export function readTicketItem(json: Record<string, unknown>, where: string): TicketFacts | InputProblem {
	for (const field of TICKET_DATE_FIELDS) {
		const value = dateField(json, field, where, false);
		if (value instanceof InputProblem) return value;
	}
	if (isBlank(json.ticket_created_at) && isBlank(json.created_at)) {
		return new InputProblem('created_at', `${where}: field "created_at" is missing`, 'Give every ticket the time the customer wrote, "created_at", such as 2026-11-02T14:30:00Z.');
	}
	const status = typeof json.status === 'string' ? json.status.trim().toLowerCase().replace(/[\s-]+/g, '_') : '';
	if (!TICKET_STATUS_WORDS.includes(status)) {
		return new InputProblem('status', `${where}: field "status" is ${JSON.stringify(json.status)}, not one of ${TICKET_STATUS_WORDS.join(', ')}`, 'Map the helpdesk\'s status to open, pending, on_hold, solved or closed.');
	}
	for (const field of TICKET_COUNT_FIELDS) {
		if (!isBlank(json[field]) && countOrNull(json[field]) === null) {
			return new InputProblem(field, `${where}: field "${field}" is ${JSON.stringify(json[field])}, not a count`, `Map "${field}" to a whole number, 0 or more, or leave it out.`);
		}
	}
	const dates = Object.fromEntries(TICKET_DATE_FIELDS.map((field) => [field, isBlank(json[field]) ? null : new Date(dateField(json, field, where, false) as number).toISOString()]));
	return ticketFacts({ ...json, ...dates, status });
}

/** The fields of an order item. */
export const ORDER_ITEM_FIELDS = 'processed_at, total, and optionally order_id, customer_id, currency, total_refunded, refunded_at, refund_note, return_status, cancelled_at, test';

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function dateField(json: Record<string, unknown>, field: string, where: string, required: boolean): number | null | InputProblem {
	const value = json[field];
	if (isBlank(value)) {
		return required ? new InputProblem(field, `${where}: field "${field}" is missing`, `Give every order a "${field}" time, such as 2026-11-02T14:30:00Z.`) : null;
	}
	const epoch = typeof value === 'number' ? (value < 1e12 ? value * 1000 : value) : typeof value === 'string' ? Date.parse(value) : Number.NaN;
	if (!Number.isFinite(epoch)) return new InputProblem(field, `${where}: field "${field}" is not a date: ${JSON.stringify(value)}`, 'Use an ISO 8601 time such as 2026-11-02T14:30:00Z.');
	return epoch;
}

function amountField(json: Record<string, unknown>, field: string, currency: string, where: string, required: boolean): number | InputProblem {
	const value = json[field];
	if (isBlank(value)) {
		return required ? new InputProblem(field, `${where}: field "${field}" is missing`, `Give every order its "${field}" as a decimal amount such as 129.90.`) : 0;
	}
	try {
		const cents = moneyFromDecimal(typeof value === 'number' || typeof value === 'string' ? value : Number.NaN, currency).cents;
		if (cents < 0) return new InputProblem(field, `${where}: field "${field}" is negative: ${JSON.stringify(value)}`, `"${field}" is an amount paid or refunded, 0 or more.`);
		return cents;
	} catch {
		return new InputProblem(field, `${where}: field "${field}" is not an amount: ${JSON.stringify(value)}`, `Map "${field}" to a decimal amount such as 129.90.`);
	}
}

/**
 * One order item. Lifetime value is only as complete as the orders given: a customer's first order must be
 * among them for the cohort to be right. A refund without refunded_at is taken as made with the order.
 */
export function readOrderItem(json: Record<string, unknown>, where: string, defaultCurrency: string): OrderSale | InputProblem {
	const processedAt = dateField(json, 'processed_at', where, true);
	if (processedAt instanceof InputProblem) return processedAt;
	const rawCurrency = isBlank(json.currency) ? defaultCurrency : String(json.currency).trim().toUpperCase();
	if (!isCurrency(rawCurrency)) return new InputProblem('currency', `${where}: field "currency" is ${JSON.stringify(json.currency)}, not an ISO 4217 code`, 'Use a currency code such as USD, or leave it empty for the node\'s currency option.');
	const total = amountField(json, 'total', rawCurrency, where, true);
	if (total instanceof InputProblem) return total;
	const refunded = amountField(json, 'total_refunded', rawCurrency, where, false);
	if (refunded instanceof InputProblem) return refunded;
	const refundedAt = dateField(json, 'refunded_at', where, false);
	if (refundedAt instanceof InputProblem) return refundedAt;
	const cancelledAt = dateField(json, 'cancelled_at', where, false);
	if (cancelledAt instanceof InputProblem) return cancelledAt;
	const returnStatus = isBlank(json.return_status) ? '' : String(json.return_status).trim().toUpperCase();
	const customer = customerKeyOf(json.customer_id);
	const refundNote = isBlank(json.refund_note) ? null : String(json.refund_note).trim();
	return {
		...(isBlank(json.order_id) ? {} : { orderId: String(json.order_id).trim() }),
		processedAt: processedAt as number,
		cancelled: cancelledAt !== null,
		test: json.test === true || json.test === 'true',
		customerKey: customer,
		totalCents: total,
		currency: rawCurrency,
		refunds: refunded > 0 ? [{ at: refundedAt, cents: refunded, ...(refundNote ? { note: refundNote } : {}) }] : [],
		returned: RETURN_STATUSES.includes(returnStatus),
	};
}

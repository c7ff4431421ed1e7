/**
 * Tickets and orders as the metrics see them, read from Supabase rows, Shopify's bulk JSONL or input items.
 * Pure: each reader turns one record into facts (or an InputProblem naming the field), nothing is kept.
 */
import { InputProblem } from '../shared/items';
import { isCurrency, moneyFromDecimal } from '../shared/money';
import { RETURN_STATUSES, type OrderFacts, type TicketFacts } from './metrics';

const epochOrNull = (value: unknown): number | null => {
	if (typeof value !== 'string' || !value) return null;
	const epoch = Date.parse(value);
	return Number.isNaN(epoch) ? null : epoch;
};

/** A tickets row: created when the help desk says (ticket_created_at), else when the row was written. */
export function ticketFacts(row: Record<string, unknown>): TicketFacts {
	return {
		createdAt: epochOrNull(row.ticket_created_at) ?? epochOrNull(row.created_at),
		firstRespondedAt: epochOrNull(row.first_responded_at),
		resolvedAt: epochOrNull(row.resolved_at),
		status: typeof row.status === 'string' ? row.status.trim().toLowerCase() : null,
	};
}

/**
 * Every order processed before `until`, one JSONL line each (no nested connection, so no line depends on
 * another and Shopify's line order, which it does not promise, does not matter): the period's return rate
 * and every customer's first order and net spend for lifetime value. Lifetime value is built from orders,
 * not from Customer.amountSpent: amountSpent is today's figure, so the value at the previous period's end
 * (and so the growth) cannot be had from it, while each order's total and its dated refunds give the value
 * at any instant. Fields checked against the Admin API 2026-10 schema.
 */
export function ordersBulkQuery(until: Date): string {
	return `{
	orders(query: "processed_at:<'${until.toISOString()}'") {
		edges {
			node {
				id
				processedAt
				cancelledAt
				test
				returnStatus
				customer { id }
				totalPriceSet { shopMoney { amount currencyCode } }
				refunds { createdAt totalRefundedSet { shopMoney { amount currencyCode } } }
			}
		}
	}
}`;
}

interface MoneyBag {
	shopMoney?: { amount?: string; currencyCode?: string } | null;
}

interface OrderLine {
	id?: string;
	processedAt?: string | null;
	cancelledAt?: string | null;
	test?: boolean;
	returnStatus?: string | null;
	customer?: { id?: string } | null;
	totalPriceSet?: MoneyBag | null;
	refunds?: Array<{ createdAt?: string | null; totalRefundedSet?: MoneyBag | null }> | null;
}

const centsOf = (bag: MoneyBag | null | undefined) => (bag?.shopMoney?.amount && bag.shopMoney.currencyCode ? moneyFromDecimal(bag.shopMoney.amount, bag.shopMoney.currencyCode).cents : 0);

/** A Shopify customer GID or its number, as a number: one key for both forms, and a fraction of the text's memory. */
function customerKeyOf(id: unknown): string | number | null {
	if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
	if (typeof id !== 'string' || !id.trim()) return null;
	const number = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,15})$/.exec(id.trim())?.[1];
	return number ? Number(number) : id.trim();
}

/** One line of the orders bulk query; null for a line that is not an order (none are expected). */
export function orderFromShopifyLine(value: Record<string, unknown>): OrderFacts | null {
	const line = value as OrderLine;
	const processedAt = epochOrNull(line.processedAt);
	if (typeof line.id !== 'string' || !line.id.startsWith('gid://shopify/Order/') || processedAt === null) return null;
	return {
		processedAt,
		cancelled: Boolean(line.cancelledAt),
		test: line.test === true,
		customerKey: customerKeyOf(line.customer?.id),
		totalCents: centsOf(line.totalPriceSet),
		currency: line.totalPriceSet?.shopMoney?.currencyCode ?? null,
		refunds: (line.refunds ?? []).map((refund) => ({ at: epochOrNull(refund.createdAt), cents: centsOf(refund.totalRefundedSet) })),
		returned: typeof line.returnStatus === 'string' && RETURN_STATUSES.includes(line.returnStatus),
	};
}

/** The fields of an order item. */
export const ORDER_ITEM_FIELDS = 'processed_at, total, and optionally order_id, customer_id, currency, total_refunded, refunded_at, return_status, cancelled_at, test';

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
export function readOrderItem(json: Record<string, unknown>, where: string, defaultCurrency: string): OrderFacts | InputProblem {
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
	return {
		processedAt: processedAt as number,
		cancelled: cancelledAt !== null,
		test: json.test === true || json.test === 'true',
		customerKey: customer,
		totalCents: total,
		currency: rawCurrency,
		refunds: refunded > 0 ? [{ at: refundedAt, cents: refunded }] : [],
		returned: RETURN_STATUSES.includes(returnStatus),
	};
}

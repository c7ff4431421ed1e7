/**
 * Customers to score, from items or from Shopify's bulk read, turned into the decision's `HealthInput`:
 * recency, frequency, spend, returns and refunds from the customer's orders; open tickets, the latest CSAT and NPS,
 * late deliveries and the previous score from Supabase, unless the item gives them. Problems name the item
 * field to fix.
 */
import type { IDataObject } from 'n8n-workflow';
import { customerToItem, readCustomerItem } from '../shared/customerInput';
import { customerGid, visitStarts, type RetentionCustomer } from '../shared/contract/customer';
import { VISIT_GAP_HOURS } from '../shared/policy';
import { InputProblem, optionalWholeNumber } from '../shared/items';
import { checkHealthInput, type HealthInput } from './health';

const DAY = 86_400_000;
/** Frequency, returns and refunds, and late deliveries count the last year (HEALTH_POLICY scales). */
export const HEALTH_WINDOW_DAYS = 365;

/** Signals an item may carry; given, they win over what Supabase holds. */
export interface HealthExtras {
	latestCsat?: number;
	latestNps?: number;
	openTickets?: number;
	lateDeliveriesLast365?: number;
}

/** What Supabase holds about a customer. */
export interface StoredSignals {
	latestCsat?: number;
	latestNps?: number;
	openTickets: number;
	lateDeliveriesLast365: number;
	previousScore?: number;
	/** The day (YYYY-MM-DD, UTC) of the previous score. */
	previousScoredOn?: string;
}

export interface CustomerToScore {
	customer: RetentionCustomer;
	extras: HealthExtras;
}

/** The item fields this node reads beside the customer's (CUSTOMER_ITEM_FIELDS). */
export const HEALTH_ITEM_FIELDS = 'latest_csat, latest_nps, open_tickets, late_deliveries_last_365';

/** One key per customer: a Shopify customer's GID whether it came as a GID or as the bare number. */
export function customerKey(id: string): string {
	return customerGid(id) ?? id;
}

/** The signals the item gives (latest_csat, latest_nps, open_tickets, late_deliveries_last_365); throws an InputProblem naming the field. */
export function readHealthExtras(json: IDataObject): HealthExtras {
	// the problem says what the field means (ITEM_FIELDS' fix), not only the range
	const whole = (field: string, min: number, max?: number) => {
		try {
			return optionalWholeNumber(json, field, min, max);
		} catch (problem) {
			const fix = Object.values(ITEM_FIELDS).find((entry) => entry.field === field)?.fix;
			throw problem instanceof InputProblem && fix ? new InputProblem(problem.field, problem.message, fix) : problem;
		}
	};
	const latestCsat = whole('latest_csat', 1, 5);
	const latestNps = whole('latest_nps', 0, 10);
	const openTickets = whole('open_tickets', 0);
	const lateDeliveries = whole('late_deliveries_last_365', 0);
	return {
		...(latestCsat !== undefined ? { latestCsat } : {}),
		...(latestNps !== undefined ? { latestNps } : {}),
		...(openTickets !== undefined ? { openTickets } : {}),
		...(lateDeliveries !== undefined ? { lateDeliveriesLast365: lateDeliveries } : {}),
	};
}

/** A customer and the signals the item gives; problems name the field. */
export function tryReadHealthItem(json: IDataObject, defaultCurrency: string, now?: Date): CustomerToScore | InputProblem {
	try {
		const customer = readCustomerItem(json, defaultCurrency, now);
		return { customer, extras: readHealthExtras(json) };
	} catch (error) {
		if (error instanceof InputProblem) return error;
		return new InputProblem('', `Could not read the customer: ${(error as Error).message}`, 'Check the item\'s fields.');
	}
}

/**
 * The decision's input: the customer's own facts as of `now`, item signals first, then Supabase's. Frequency
 * counts visits in the window: orders within `visitGapHours` of a visit's first order are one (HEALTH_POLICY).
 */
export function healthInputOf(customer: RetentionCustomer, extras: HealthExtras, stored: StoredSignals | undefined, now: Date, visitGapHours = VISIT_GAP_HOURS): HealthInput {
	const since = now.getTime() - HEALTH_WINDOW_DAYS * DAY;
	const orderTimes = customer.orderDates.map((date) => Date.parse(date));
	// a loop, not Math.max(...): a customer can carry more order dates than a call has room for arguments
	const lastOrder = orderTimes.length ? orderTimes.reduce((latest, time) => Math.max(latest, time)) : undefined;
	return {
		customerId: customer.customerId,
		lastOrderAt: lastOrder === undefined ? null : new Date(lastOrder).toISOString(),
		ordersLast365: visitStarts(customer.orderDates.filter((date) => Date.parse(date) >= since), visitGapHours).length,
		lifetimeSpend: customer.amountSpent,
		latestCsat: extras.latestCsat ?? stored?.latestCsat ?? null,
		latestNps: extras.latestNps ?? stored?.latestNps ?? null,
		openTickets: extras.openTickets ?? stored?.openTickets ?? 0,
		// a returned order is in returnDates only, its refunds with it: no return counts twice (contract/customer.ts)
		returnsLast365: customer.returnDates.filter((date) => Date.parse(date) >= since).length,
		refundsLast365: customer.refundDates.filter((date) => Date.parse(date) >= since).length,
		lateDeliveriesLast365: extras.lateDeliveriesLast365 ?? stored?.lateDeliveriesLast365 ?? 0,
		previousScore: stored?.previousScore ?? null,
	};
}

/** The item field behind each decision input, and how to fix it. */
const ITEM_FIELDS: Record<string, { field: string; fix: string }> = {
	customerId: { field: 'customer_id', fix: 'Give every item a "customer_id".' },
	lastOrderAt: { field: 'order_dates', fix: 'Map "order_dates" to ISO 8601 times of the customer\'s orders.' },
	ordersLast365: { field: 'order_dates', fix: 'Map "order_dates" to ISO 8601 times of the customer\'s orders.' },
	lifetimeSpend: { field: 'amount_spent', fix: 'Map "amount_spent" to the lifetime spend, 0 or more.' },
	'lifetimeSpend.cents': { field: 'amount_spent', fix: 'Map "amount_spent" to the lifetime spend, 0 or more.' },
	'lifetimeSpend.currency': { field: 'currency', fix: 'Map "currency" to a code such as USD, or set the node\'s Default Currency.' },
	latestCsat: { field: 'latest_csat', fix: 'Map "latest_csat" to the latest CSAT rating, 1 to 5, or leave it out to read it from Supabase.' },
	latestNps: { field: 'latest_nps', fix: 'Map "latest_nps" to the latest NPS answer, 0 to 10, or leave it out to read it from Supabase.' },
	openTickets: { field: 'open_tickets', fix: 'Map "open_tickets" to a whole number, 0 or more, or leave it out to count them in Supabase.' },
	returnsLast365: { field: 'return_dates', fix: 'Map "return_dates" to one ISO 8601 time per order the customer returned from (its latest refund, else the order\'s time), or leave it out.' },
	refundsLast365: { field: 'refund_dates', fix: 'Map "refund_dates" to ISO 8601 times of the customer\'s refunds, leaving out refunds on orders in "return_dates".' },
	lateDeliveriesLast365: { field: 'late_deliveries_last_365', fix: 'Map "late_deliveries_last_365" to a whole number, 0 or more, or leave it out to count them in Supabase.' },
	previousScore: { field: 'customer_health_scores.score', fix: 'Correct the stored score in Supabase table customer_health_scores (0 to 100).' },
};

/** The first problem the decision would refuse, as a problem with the item field to fix. */
export function healthInputProblem(input: HealthInput): InputProblem | undefined {
	const problem = checkHealthInput(input);
	if (!problem) return undefined;
	const { field, fix } = ITEM_FIELDS[problem.field] ?? { field: problem.field, fix: 'Check the customer\'s fields.' };
	return new InputProblem(field, `Field "${field}": ${problem.problem}`, fix);
}

/** The item the customer flows on as: CX Win-Back reads the same names; the signals used sit beside them. */
export function healthItemOf(customer: RetentionCustomer, input: HealthInput): IDataObject {
	return {
		...customerToItem(customer),
		latest_csat: input.latestCsat ?? null,
		latest_nps: input.latestNps ?? null,
		open_tickets: input.openTickets,
		late_deliveries_last_365: input.lateDeliveriesLast365,
	};
}

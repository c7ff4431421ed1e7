/**
 * The shipping-delay decision: (order, policy, now) -> compensate, ask a person, or not eligible, with the
 * amount, the perks and the reasons for each. Pure: no n8n, no I/O, no clock (`now` is given, for replays).
 * Lateness is measured against the date the customer was promised, not the order date: the store makes
 * to order (DESIGN.md "Delay"). Timestamps are expected valid; the node's input reader rejects others.
 */
import type { DeliveryFacts } from '../shared/contract/order';
import type { CompensationReason } from '../shared/contract/compensation';
import { createHash } from 'node:crypto';
import { convertAtOrderRate, formatMoney, isOver, moneyFromDecimal, moneyToDecimal, type Money } from '../shared/money';
import { DELAY_POLICY } from '../shared/policy';
import { instant, orderDeliveredAt, promisedDeliveryDate, wholeDaysLate, type PromiseSource } from '../shared/delivery';

export { promisedDeliveryDate, type PromiseSource };

/** The amounts of a delay policy in one currency. */
export interface DelayAmounts {
	tierAmounts: { regular: number; premium: number; vip: number };
	/** Each band applies from its lower bound (inclusive) up to the next band's. */
	valueBands: Array<{ from: number; amount: number }>;
	instantCap: number;
}

export interface DelayPolicy {
	/**
	 * The currency tierAmounts, valueBands and instantCap are written in (ISO 4217); absent, the shop's own
	 * currency (the order's shop money).
	 */
	currency?: string;
	/** The same amounts written for other currencies, by ISO 4217 code (JPY: { tierAmounts: { regular: 3000, ... } }). */
	amountsByCurrency?: Record<string, DelayAmounts>;
	thresholdDays: number;
	productionBusinessDays: number;
	transitDays: number;
	calendar: { timeZone: string; days: number[]; holidays: string[] };
	tierAmounts: { regular: number; premium: number; vip: number };
	vipPerks: string[];
	/** Each band applies from its lower bound (inclusive) up to the next band's. */
	valueBands: Array<{ from: number; amount: number }>;
	instantCap: number;
}

export const DEFAULT_DELAY_POLICY: DelayPolicy = {
	currency: DELAY_POLICY.currency,
	thresholdDays: DELAY_POLICY.thresholdDays,
	productionBusinessDays: DELAY_POLICY.productionBusinessDays,
	transitDays: DELAY_POLICY.transitDays,
	calendar: { timeZone: DELAY_POLICY.timeZone, days: [...DELAY_POLICY.workingDays], holidays: [...DELAY_POLICY.holidays] },
	tierAmounts: { ...DELAY_POLICY.tierAmounts },
	vipPerks: [...DELAY_POLICY.vipPerks],
	valueBands: DELAY_POLICY.valueBands.map((band) => ({ ...band })),
	instantCap: DELAY_POLICY.instantCap,
};



export type DelayOutcome = 'compensate' | 'needs_approval' | 'not_eligible';

export interface DeliveryIssue {
	status: string;
	happenedAt: string;
	message?: string;
}

export interface DelayDecision {
	outcome: DelayOutcome;
	reason: CompensationReason;
	policyVersion: string;
	promisedDeliveryDate: string;
	/** checkout_promise: the delivery date checkout showed; production_window: the store's window. */
	promisedFrom: PromiseSource;
	/** The carrier's latest estimate, as information: it is never the promise. */
	carrierEstimate?: string;
	/** Set only when every fulfillment has been delivered. */
	deliveredAt?: string;
	daysLate: number;
	deliveryIssues: DeliveryIssue[];
	/**
	 * Set when the order is eligible and its currency has amounts: paid at once (compensate) or proposed to a
	 * person (needs_approval). In the currency the customer paid in.
	 */
	amount?: Money;
	/** The same credit in the shop's currency, when the customer paid in another (a discount code's amount is in it). */
	shopAmount?: Money;
	perks: string[];
	reasons: string[];
	summary: string;
}

/** Shopify fulfillment event statuses that tell of trouble on the way. */
const ISSUE_STATUSES = new Set(['DELAYED', 'FAILURE', 'ATTEMPTED_DELIVERY']);

function sortedKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortedKeys);
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return Object.fromEntries(entries.map(([key, inner]) => [key, sortedKeys(inner)]));
	}
	return value;
}

/**
 * A short version string that changes whenever a policy value does: recorded on the ledger row as the policy a
 * compensation was decided under (the row's key is order and reason alone, so a new version pays no order
 * twice). Orderless lists (bands, weekdays, holidays) are sorted first, so the
 * same policy written in another order keeps its version.
 */
export function policyVersionOf(policy: DelayPolicy): string {
	const canonical = {
		...policy,
		calendar: {
			...policy.calendar,
			days: [...policy.calendar.days].sort((a, b) => a - b),
			holidays: [...policy.calendar.holidays].sort(),
		},
		valueBands: [...policy.valueBands].sort((a, b) => a.from - b.from),
	};
	const hash = createHash('sha256').update(JSON.stringify(sortedKeys(canonical))).digest('hex');
	return `delay-v1-${hash.slice(0, 8)}`;
}

function deliveryIssuesOf(order: DeliveryFacts): DeliveryIssue[] {
	const issues: DeliveryIssue[] = [];
	for (const fulfillment of order.fulfillments) {
		for (const event of fulfillment.events) {
			const status = event.status.toUpperCase();
			if (!ISSUE_STATUSES.has(status)) continue;
			const happenedAt = instant(event.happenedAt)?.toISOString() ?? event.happenedAt;
			issues.push(event.message ? { status, happenedAt, message: event.message } : { status, happenedAt });
		}
	}
	return issues.sort((a, b) => (a.happenedAt < b.happenedAt ? -1 : a.happenedAt > b.happenedAt ? 1 : 0));
}

function valueBandOf(total: Money, bands: DelayPolicy['valueBands']): { from: number; amount: number } | undefined {
	let found: { from: number; amount: number } | undefined;
	for (const band of bands) {
		const reached = !isOver(moneyFromDecimal(band.from, total.currency), total);
		if (reached && (!found || band.from > found.from)) found = band;
	}
	return found;
}

export function decideDelayCompensation(order: DeliveryFacts, policy: DelayPolicy, now: Date): DelayDecision {
	const promised = promisedDeliveryDate(order, policy);
	const deliveredAt = orderDeliveredAt(order);
	const daysLate = wholeDaysLate(promised.date, deliveredAt ?? now, policy.calendar.timeZone);
	const base = {
		reason: 'shipping_delay' as const,
		policyVersion: policyVersionOf(policy),
		promisedDeliveryDate: promised.date.toISOString(),
		promisedFrom: promised.from,
		...(promised.carrierEstimate ? { carrierEstimate: promised.carrierEstimate.toISOString() } : {}),
		...(deliveredAt ? { deliveredAt: deliveredAt.toISOString() } : {}),
		daysLate,
		deliveryIssues: deliveryIssuesOf(order),
	};
	const promisedDay = base.promisedDeliveryDate.slice(0, 10);
	const lateness = deliveredAt
		? `${order.name} arrived ${daysLate} day${daysLate === 1 ? '' : 's'} after the promised ${promisedDay}`
		: `${order.name} is ${daysLate} day${daysLate === 1 ? '' : 's'} past the promised ${promisedDay} and not delivered`;
	const notEligible = (why: string, summary: string): DelayDecision => ({ ...base, outcome: 'not_eligible', perks: [], reasons: [why], summary });

	if (order.cancelledAt) return notEligible('order_cancelled', `${order.name} was cancelled: no delay compensation.`);
	if (order.total.cents <= 0) return notEligible('order_total_zero', `${order.name} cost nothing: no delay compensation.`);
	if (order.refunded && order.refunded.currency === order.total.currency && order.refunded.cents >= order.total.cents) {
		return notEligible('order_fully_refunded', `${order.name} is refunded in full already: no delay compensation.`);
	}
	if (daysLate <= policy.thresholdDays) {
		return notEligible(`late_${daysLate}_days_not_over_${policy.thresholdDays}`, `${lateness}, not over ${policy.thresholdDays}: no delay compensation.`);
	}
	const basis = moneyBasis(order, policy);
	if (!basis) {
		const paidIn = order.presentment && order.presentment.total.currency !== order.total.currency ? `${order.presentment.total.currency} (shop ${order.total.currency})` : order.total.currency;
		const why = `no_delay_amounts_for_${order.total.currency}`;
		return {
			...base,
			outcome: 'needs_approval',
			perks: [],
			reasons: [`late_${daysLate}_days_over_${policy.thresholdDays}`, why],
			summary: `${lateness}: the delay policy names no amounts in ${paidIn}, so nothing is paid raw; a person decides (${why}). Write the policy's amounts in ${order.total.currency} to pay such orders.`,
		};
	}
	const { total, amounts } = basis;
	const refunded = basis.refunded && basis.refunded.cents > 0 ? basis.refunded : undefined;
	const sameCurrency = !refunded || refunded.currency === total.currency;
	if (refunded && sameCurrency && refunded.cents >= total.cents) {
		return notEligible('order_fully_refunded', `${order.name} is refunded in full already: no delay compensation.`);
	}

	const reasons = [`late_${daysLate}_days_over_${policy.thresholdDays}`];
	const tierAmount = amounts.tierAmounts[order.tier];
	reasons.push(`tier_${order.tier}:${tierAmount}`);
	let amount = moneyFromDecimal(tierAmount, total.currency);
	const band = valueBandOf(total, amounts.valueBands);
	if (band) {
		reasons.push(`order_value_band_${band.from}:${band.amount}`);
		const bandAmount = moneyFromDecimal(band.amount, total.currency);
		if (isOver(bandAmount, amount)) amount = bandAmount;
	}
	// Never more than the customer paid and was not refunded: credit and refund do not stack.
	const unrefunded = refunded && sameCurrency ? { cents: total.cents - refunded.cents, currency: total.currency } : total;
	if (isOver(amount, unrefunded)) {
		amount = unrefunded;
		reasons.push(`${unrefunded === total ? 'capped_at_order_total' : 'capped_at_unrefunded_total'}:${moneyToDecimal(unrefunded)}`);
	}
	const perks = order.tier === 'vip' ? [...policy.vipPerks] : [];
	for (const perk of perks) reasons.push(`vip_perk:${perk}`);

	const approvals: string[] = [];
	if (refunded && !sameCurrency) approvals.push('refund_currency_differs');
	else if (refunded) approvals.push('order_partly_refunded');
	if (isOver(amount, moneyFromDecimal(amounts.instantCap, total.currency))) approvals.push(`over_instant_cap_${amounts.instantCap}`);
	reasons.push(...approvals);

	// decided in the shop's currency, paid in the customer's: converted at this order's own rate
	const paid = basis.convertTo ? convertAtOrderRate(amount, total, basis.convertTo) : amount;
	const money = basis.convertTo ? { amount: paid, shopAmount: amount } : { amount };
	if (basis.convertTo) reasons.push(`converted_at_order_rate:${moneyToDecimal(amount)}_${amount.currency}_to_${moneyToDecimal(paid)}_${paid.currency}`);
	const offer = `${formatMoney(paid)} credit${perks.length ? ` and ${perks.join(', ')}` : ''}`;
	if (approvals.length) {
		return { ...base, outcome: 'needs_approval', ...money, perks, reasons, summary: `${lateness}: ${offer} proposed, a person approves (${approvals.join(', ')}).` };
	}
	return { ...base, outcome: 'compensate', ...money, perks, reasons, summary: `${lateness}: ${offer}.` };
}

/** The policy's amounts in `currency`: its own table for it, or its main amounts when they are written in it. */
function amountsIn(policy: DelayPolicy, currency: string, shopCurrency: string): DelayAmounts | undefined {
	const table = policy.amountsByCurrency?.[currency];
	if (table) return table;
	if ((policy.currency ?? shopCurrency).toUpperCase() === currency) return { tierAmounts: policy.tierAmounts, valueBands: policy.valueBands, instantCap: policy.instantCap };
	return undefined;
}

/**
 * Which money the order is decided on. Amounts written in the currency the customer paid in decide on the
 * order's amounts in it; else amounts in the shop's currency decide on the shop money, and the credit is
 * converted to the customer's currency at the order's own rate; else none (a person decides).
 */
function moneyBasis(order: DeliveryFacts, policy: DelayPolicy): { total: Money; refunded?: Money; amounts: DelayAmounts; convertTo?: Money } | undefined {
	const shop = order.total;
	const presented = order.presentment && order.presentment.total.currency !== shop.currency && order.presentment.total.cents > 0 ? order.presentment : undefined;
	if (presented) {
		const inPresented = amountsIn(policy, presented.total.currency, shop.currency);
		if (inPresented) {
			const refunded = presented.refunded ?? (order.refunded && order.refunded.currency === shop.currency ? convertAtOrderRate(order.refunded, shop, presented.total) : undefined);
			return { total: presented.total, ...(refunded ? { refunded } : {}), amounts: inPresented };
		}
	}
	const inShop = amountsIn(policy, shop.currency, shop.currency);
	if (!inShop) return undefined;
	return { total: shop, ...(order.refunded ? { refunded: order.refunded } : {}), amounts: inShop, ...(presented ? { convertTo: presented.total } : {}) };
}

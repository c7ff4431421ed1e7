/**
 * The shipping-delay decision: (order, policy, now) -> compensate, ask a person, or not eligible, with the
 * amount, the perks and the reasons for each. Pure: no n8n, no I/O, no clock (`now` is given, for replays).
 * Lateness is measured against the date the customer was promised, not the order date: the store makes
 * to order (DESIGN.md "Delay"). Timestamps are expected valid; the node's input reader rejects others.
 */
import type { DeliveryFacts, FulfillmentFacts } from '../shared/contract/order';
import type { CompensationReason } from '../shared/contract/compensation';
import { createHash } from 'node:crypto';
import { formatMoney, isOver, moneyFromDecimal, moneyToDecimal, type Money } from '../shared/money';
import { DELAY_POLICY } from '../shared/policy';
import { addBusinessDays, daysBetween, type WorkingCalendar } from '../shared/time';

export interface DelayPolicy {
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
	promisedFrom: 'estimated_delivery' | 'production_window';
	/** Set only when every fulfillment has been delivered. */
	deliveredAt?: string;
	daysLate: number;
	deliveryIssues: DeliveryIssue[];
	/** Set when the order is eligible: paid at once (compensate) or proposed to a person (needs_approval). */
	amount?: Money;
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
 * A short version string that changes whenever a policy value does: it is part of the ledger's unique key
 * (order, reason, policy version). Orderless lists (bands, weekdays, holidays) are sorted first, so the
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

function instant(text?: string | null): Date | undefined {
	if (!text) return undefined;
	const date = new Date(text);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

function latest(dates: Array<Date | undefined>): Date | undefined {
	let found: Date | undefined;
	for (const date of dates) if (date && (!found || date.getTime() > found.getTime())) found = date;
	return found;
}

/** Every day of the week, no days off: calendar days that keep the wall-clock time across DST. */
function everyDay(timeZone: string): WorkingCalendar {
	return { timeZone, days: [1, 2, 3, 4, 5, 6, 7] };
}

/**
 * The date the customer was promised: the latest estimated delivery among the fulfillments (the last date
 * they were told), else processedAt + the production window in business days + transit in calendar days.
 */
export function promisedDeliveryDate(order: DeliveryFacts, policy: DelayPolicy): { date: Date; from: 'estimated_delivery' | 'production_window' } {
	const estimate = latest(order.fulfillments.map((fulfillment) => instant(fulfillment.estimatedDeliveryAt)));
	if (estimate) return { date: estimate, from: 'estimated_delivery' };
	const produced = addBusinessDays(new Date(order.processedAt), policy.productionBusinessDays, policy.calendar);
	return { date: addBusinessDays(produced, policy.transitDays, everyDay(policy.calendar.timeZone)), from: 'production_window' };
}

/** When a fulfillment arrived: its deliveredAt, else its DELIVERED event. */
function arrivedAt(fulfillment: FulfillmentFacts): Date | undefined {
	return (
		instant(fulfillment.deliveredAt) ??
		latest(fulfillment.events.filter((event) => event.status.toUpperCase() === 'DELIVERED').map((event) => instant(event.happenedAt)))
	);
}

/** The last arrival when every live fulfillment has arrived; a cancelled fulfillment will never arrive. */
function orderDeliveredAt(order: DeliveryFacts): Date | undefined {
	const live = order.fulfillments.filter((fulfillment) => (fulfillment.displayStatus ?? '').toUpperCase() !== 'CANCELED');
	if (!live.length) return undefined;
	const arrivals = live.map(arrivedAt);
	return arrivals.every((arrival) => arrival !== undefined) ? latest(arrivals) : undefined;
}

/** Whole days late in the store's calendar (a DST day counts as one day), never negative. */
function wholeDaysLate(promised: Date, arrived: Date, timeZone: string): number {
	if (arrived.getTime() <= promised.getTime()) return 0;
	const calendar = everyDay(timeZone);
	let days = Math.max(0, Math.floor(daysBetween(promised, arrived)));
	// The 24-hour estimate can be off by one across a DST change; the calendar settles it.
	while (days > 0 && addBusinessDays(promised, days, calendar).getTime() > arrived.getTime()) days--;
	while (addBusinessDays(promised, days + 1, calendar).getTime() <= arrived.getTime()) days++;
	return days;
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
		...(deliveredAt ? { deliveredAt: deliveredAt.toISOString() } : {}),
		daysLate,
		deliveryIssues: deliveryIssuesOf(order),
	};
	const promisedDay = base.promisedDeliveryDate.slice(0, 10);
	const lateness = deliveredAt
		? `${order.name} arrived ${daysLate} day${daysLate === 1 ? '' : 's'} after the promised ${promisedDay}`
		: `${order.name} is ${daysLate} day${daysLate === 1 ? '' : 's'} past the promised ${promisedDay} and not delivered`;
	const notEligible = (why: string, summary: string): DelayDecision => ({ ...base, outcome: 'not_eligible', perks: [], reasons: [why], summary });

	const { total } = order;
	const refunded = order.refunded && order.refunded.cents > 0 ? order.refunded : undefined;
	if (order.cancelledAt) return notEligible('order_cancelled', `${order.name} was cancelled: no delay compensation.`);
	if (total.cents <= 0) return notEligible('order_total_zero', `${order.name} cost nothing: no delay compensation.`);
	const sameCurrency = !refunded || refunded.currency === total.currency;
	if (refunded && sameCurrency && refunded.cents >= total.cents) {
		return notEligible('order_fully_refunded', `${order.name} is refunded in full already: no delay compensation.`);
	}
	if (daysLate <= policy.thresholdDays) {
		return notEligible(`late_${daysLate}_days_not_over_${policy.thresholdDays}`, `${lateness}, not over ${policy.thresholdDays}: no delay compensation.`);
	}

	const reasons = [`late_${daysLate}_days_over_${policy.thresholdDays}`];
	const tierAmount = policy.tierAmounts[order.tier];
	reasons.push(`tier_${order.tier}:${tierAmount}`);
	let amount = moneyFromDecimal(tierAmount, total.currency);
	const band = valueBandOf(total, policy.valueBands);
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
	if (isOver(amount, moneyFromDecimal(policy.instantCap, total.currency))) approvals.push(`over_instant_cap_${policy.instantCap}`);
	reasons.push(...approvals);

	const offer = `${formatMoney(amount)} credit${perks.length ? ` and ${perks.join(', ')}` : ''}`;
	if (approvals.length) {
		return { ...base, outcome: 'needs_approval', amount, perks, reasons, summary: `${lateness}: ${offer} proposed, a person approves (${approvals.join(', ')}).` };
	}
	return { ...base, outcome: 'compensate', amount, perks, reasons, summary: `${lateness}: ${offer}.` };
}

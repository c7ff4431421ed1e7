/**
 * When an order was promised and when it arrived: the promise rule every node that speaks of lateness
 * shares (delay compensation, the "where is my order" answer, the running-late notice). Pure: no I/O, no
 * clock. The promise is what the customer was told at checkout, never a carrier's later estimate.
 */
import type { DeliveryFacts, FulfillmentFacts } from './contract/order';
import { addBusinessDays, daysBetween, type WorkingCalendar } from './time';

/** What the promise rule reads of a delay policy: the production window, transit and the store's calendar. */
export interface PromisePolicy {
	productionBusinessDays: number;
	transitDays: number;
	calendar: { timeZone: string; days: number[]; holidays: string[] };
}

export function instant(text?: string | null): Date | undefined {
	if (!text) return undefined;
	const date = new Date(text);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

export function latest(dates: Array<Date | undefined>): Date | undefined {
	let found: Date | undefined;
	for (const date of dates) if (date && (!found || date.getTime() > found.getTime())) found = date;
	return found;
}

/** Every day of the week, no days off: calendar days that keep the wall-clock time across DST. */
export function everyDay(timeZone: string): WorkingCalendar {
	return { timeZone, days: [1, 2, 3, 4, 5, 6, 7] };
}

export type PromiseSource = 'checkout_promise' | 'production_window';

/**
 * The date the customer was promised, which is what they were told at checkout: the delivery date checkout
 * showed for the order where Shopify holds one (checkoutPromiseAt), else the store's window, processedAt + the
 * production window in business days + transit in calendar days. A carrier's estimated delivery is set only
 * when the parcel ships, after production: it is returned as information (carrierEstimate), never taken as the
 * promise, so a production delay still counts once the parcel is on its way.
 */
export function promisedDeliveryDate(order: DeliveryFacts, policy: PromisePolicy): { date: Date; from: PromiseSource; carrierEstimate?: Date } {
	const estimate = latest(order.fulfillments.map((fulfillment) => instant(fulfillment.estimatedDeliveryAt)));
	const info = estimate ? { carrierEstimate: estimate } : {};
	const atCheckout = instant(order.checkoutPromiseAt);
	if (atCheckout) return { date: atCheckout, from: 'checkout_promise', ...info };
	const produced = addBusinessDays(new Date(order.processedAt), policy.productionBusinessDays, policy.calendar);
	return { date: addBusinessDays(produced, policy.transitDays, everyDay(policy.calendar.timeZone)), from: 'production_window', ...info };
}

/** When a fulfillment arrived: its deliveredAt, else its DELIVERED event. */
export function arrivedAt(fulfillment: FulfillmentFacts): Date | undefined {
	return (
		instant(fulfillment.deliveredAt) ??
		latest(fulfillment.events.filter((event) => event.status.toUpperCase() === 'DELIVERED').map((event) => instant(event.happenedAt)))
	);
}

/** A fulfillment that may still arrive or has: not cancelled. */
const isLive = (fulfillment: FulfillmentFacts): boolean => (fulfillment.displayStatus ?? '').toUpperCase() !== 'CANCELED';

/** The last arrival when every live fulfillment has arrived; a cancelled fulfillment will never arrive. */
export function orderDeliveredAt(order: DeliveryFacts): Date | undefined {
	const live = order.fulfillments.filter(isLive);
	if (!live.length) return undefined;
	const arrivals = live.map(arrivedAt);
	return arrivals.every((arrival) => arrival !== undefined) ? latest(arrivals) : undefined;
}

/** Whole days late in the store's calendar (a DST day counts as one day), never negative. */
export function wholeDaysLate(promised: Date, arrived: Date, timeZone: string): number {
	if (arrived.getTime() <= promised.getTime()) return 0;
	const calendar = everyDay(timeZone);
	let days = Math.max(0, Math.floor(daysBetween(promised, arrived)));
	// The 24-hour estimate can be off by one across a DST change; the calendar settles it.
	while (days > 0 && addBusinessDays(promised, days, calendar).getTime() > arrived.getTime()) days--;
	while (addBusinessDays(promised, days + 1, calendar).getTime() <= arrived.getTime()) days++;
	return days;
}

/**
 * Whether an order's decision or report needs its tracking events, read without them: a live parcel with no
 * recorded arrival (a DELIVERED event may tell it, a carrier exception may explain the wait), or an order that
 * arrived after its promise (its delivery issues go with the compensation). An order delivered on time needs none.
 */
export function needsTrackingEvents(order: DeliveryFacts, policy: PromisePolicy): boolean {
	const arrived = orderDeliveredAt(order);
	if (!arrived) return order.fulfillments.some(isLive);
	return arrived.getTime() > promisedDeliveryDate(order, policy).date.getTime();
}

/**
 * Whether a compensation decision taken at `now` needs the order's tracking events: only when, read without them,
 * the order is late by more than `overDays` (arrived that late, or still on its way and that late by now). Events
 * can only make it less late (a DELIVERED event is an arrival no later than now), so an order not late enough
 * without them is not late enough with them, and its decision is the same; an order that is goes out with its
 * delivery issues. On a big store this leaves the events of the few late orders to read, not of every parcel on
 * its way.
 */
export function needsTrackingEventsToCompensate(order: DeliveryFacts, policy: PromisePolicy, now: Date, overDays: number): boolean {
	const arrived = orderDeliveredAt(order);
	// nothing on its way and nothing arrived: no parcel has events to read
	if (!arrived && !order.fulfillments.some(isLive)) return false;
	// late at all is after the promise, so this holds only where needsTrackingEvents does
	return wholeDaysLate(promisedDeliveryDate(order, policy).date, arrived ?? now, policy.calendar.timeZone) > overDays;
}

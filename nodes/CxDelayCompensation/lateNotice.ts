/**
 * The running-late decision: (order, policy, now) -> tell the customer now that the order will miss its
 * promise, or not, with the reasons. Pure: no n8n, no I/O, no clock (`now` is given, for replays).
 *
 * The promise is the shared rule (shared/delivery.ts: checkout's date, else the store's window; a carrier's
 * estimate is never the promise). An order will miss it when, in the store's calendar days:
 * - nothing has shipped and shipping now, with the store's transit days, lands after the promised day
 *   (for the store's window: production did not finish within the production business days);
 * - a parcel on its way carries a carrier estimate on a later day than the promised one;
 * - it is not delivered and the promised day is over.
 * Delivered, cancelled, fully refunded and already compensated orders get no notice: they need none.
 */
import type { DeliveryFacts, FulfillmentFacts } from '../shared/contract/order';
import { arrivedAt, everyDay, instant, latest, orderDeliveredAt, promisedDeliveryDate, type PromisePolicy, type PromiseSource } from '../shared/delivery';
import { addBusinessDays, wallClock } from '../shared/time';

export type LateNoticeOutcome = 'notify' | 'no_notice';

/** Why an order will miss its promise. */
export type LateReason = 'production_not_started_in_time' | 'carrier_estimate_after_promise' | 'past_promise_undelivered';

export interface LateNoticeDecision {
	outcome: LateNoticeOutcome;
	promisedDeliveryDate: string;
	promisedFrom: PromiseSource;
	/** The latest estimate of the parcels still on their way, when a carrier gave one (information; it may have passed). */
	carrierEstimate?: string;
	/** The carrier's estimate when it is today or later: the new expected date the email gives. A passed one is no date to give. */
	expectedDeliveryAt?: string;
	/** For an order not yet shipped: the last moment it could ship and still arrive by the promised day. */
	shipBy?: string;
	/** The first reason is the one the email speaks of; empty when no notice is due. */
	lateReasons: LateReason[];
	reasons: string[];
	summary: string;
}

/** What the run knows beyond the order: whether the order was compensated for its delay already. */
export interface LateNoticeHistory {
	compensated?: boolean;
}

/** The store's calendar day of an instant, as YYYY-MM-DD (compared as text). */
function dayOf(date: Date, timeZone: string): string {
	const clock = wallClock(date, timeZone);
	return `${String(clock.year).padStart(4, '0')}-${String(clock.month).padStart(2, '0')}-${String(clock.day).padStart(2, '0')}`;
}

const isLive = (fulfillment: FulfillmentFacts) => (fulfillment.displayStatus ?? '').toUpperCase() !== 'CANCELED';

function fullyRefunded(order: DeliveryFacts): boolean {
	if (order.refunded && order.refunded.currency === order.total.currency && order.total.cents > 0 && order.refunded.cents >= order.total.cents) return true;
	const presented = order.presentment;
	return !!(presented?.refunded && presented.refunded.currency === presented.total.currency && presented.total.cents > 0 && presented.refunded.cents >= presented.total.cents);
}

export function decideLateNotice(order: DeliveryFacts, policy: PromisePolicy, now: Date, history: LateNoticeHistory = {}): LateNoticeDecision {
	const timeZone = policy.calendar.timeZone;
	const promised = promisedDeliveryDate(order, policy);
	const promisedDay = dayOf(promised.date, timeZone);
	const live = order.fulfillments.filter(isLive);
	// the parcels still on their way: their latest estimate is when the order is now expected
	const expected = latest(live.filter((fulfillment) => !arrivedAt(fulfillment)).map((fulfillment) => instant(fulfillment.estimatedDeliveryAt)));
	const today = dayOf(now, timeZone);
	const base = {
		promisedDeliveryDate: promised.date.toISOString(),
		promisedFrom: promised.from,
		...(expected ? { carrierEstimate: expected.toISOString() } : {}),
		...(expected && dayOf(expected, timeZone) >= today ? { expectedDeliveryAt: expected.toISOString() } : {}),
	};
	const none = (why: string, summary: string): LateNoticeDecision => ({ ...base, outcome: 'no_notice', lateReasons: [], reasons: [why], summary });

	if (order.cancelledAt) return none('order_cancelled', `${order.name} was cancelled: no running-late notice.`);
	if (fullyRefunded(order)) return none('order_fully_refunded', `${order.name} is refunded in full: no running-late notice.`);
	const deliveredAt = orderDeliveredAt(order);
	if (deliveredAt) return none('delivered', `${order.name} was delivered on ${dayOf(deliveredAt, timeZone)}: no running-late notice.`);
	if (history.compensated) return none('already_compensated', `${order.name} was compensated for its delay already: no running-late notice.`);

	const lateReasons: LateReason[] = [];
	const reasons: string[] = [];
	let shipBy: Date | undefined;
	if (!live.length) {
		// shipped today, it arrives after the store's transit days: past the promised day, it cannot make it
		const arrivesIfShippedNow = addBusinessDays(now, policy.transitDays, everyDay(timeZone));
		shipBy = promised.from === 'production_window'
			? addBusinessDays(new Date(order.processedAt), policy.productionBusinessDays, policy.calendar)
			: undefined;
		if (dayOf(arrivesIfShippedNow, timeZone) > promisedDay) {
			lateReasons.push('production_not_started_in_time');
			reasons.push(`not_shipped_${today}_with_${policy.transitDays}_transit_days_arrives_${dayOf(arrivesIfShippedNow, timeZone)}_after_promised_${promisedDay}`);
		}
	}
	if (expected && dayOf(expected, timeZone) > promisedDay) {
		lateReasons.push('carrier_estimate_after_promise');
		reasons.push(`carrier_estimate_${dayOf(expected, timeZone)}_after_promised_${promisedDay}`);
	}
	if (today > promisedDay) {
		lateReasons.push('past_promise_undelivered');
		reasons.push(`past_promised_${promisedDay}_undelivered_on_${today}`);
	}
	const withShipBy = shipBy ? { shipBy: shipBy.toISOString() } : {};
	if (!lateReasons.length) {
		return { ...base, ...withShipBy, outcome: 'no_notice', lateReasons, reasons: [`on_track_for_${promisedDay}`], summary: `${order.name} is on track for the promised ${promisedDay}: no running-late notice.` };
	}
	const newDate = base.expectedDeliveryAt ? `, now expected ${dayOf(expected!, timeZone)}` : '';
	return {
		...base,
		...withShipBy,
		outcome: 'notify',
		lateReasons,
		reasons,
		summary: `${order.name} will miss the promised ${promisedDay} (${lateReasons.join(', ')})${newDate}: the customer is told before asking.`,
	};
}

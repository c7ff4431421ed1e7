/**
 * "Where is my order", answered at once: which order a ticket asks about, and what to tell the customer of it.
 * Pure: no n8n, no I/O, no clock (`now` is given).
 *
 * The order is the one the ticket names (its order field or an order number in its text), else the customer's
 * one open order (not cancelled, not delivered). It is answered only when exactly one order is meant and it is
 * the asking customer's; otherwise a person answers, and the decision says why. Lateness is the promise rule
 * every node shares (shared/delivery.ts): the date checkout showed, else the store's window; a carrier's
 * estimate is told as information, never taken as the promise.
 */
import { customerGid } from '../shared/contract/customer';
import type { TrackedOrder } from '../shared/contract/orderStatus';
import { orderDeliveredAt, promisedDeliveryDate, wholeDaysLate, latest, instant, type PromisePolicy, type PromiseSource } from '../shared/delivery';
import type { Intent } from './language';

/** The intents that ask where an order is: its status, or why it has not come yet. */
export const ORDER_STATUS_INTENTS: readonly Intent[] = ['shipping_status', 'shipping_delay'];

export function asksOrderStatus(intent: Intent): boolean {
	return ORDER_STATUS_INTENTS.includes(intent);
}

/**
 * Order numbers a customer writes: "#1013", "# 1013", "order 1013", "order no. 1013", "order number: 1013".
 * Three digits at least, so "order 2 prints" is no order number; a ticket's, case's or invoice's own number
 * ("ticket #4521") is none either. Returned as Shopify names them ("#1013").
 */
export function orderNumbersIn(text: string): string[] {
	const found = new Set<string>();
	const pattern = /(?<!\b(?:ticket|case|request|invoice|ref|reference)\s?)(?:#\s?|\border\s*(?:number|no\.?|nr\.?|num\.?|id)?\s*[:#]?\s*#?)(\d{3,12})\b/gi;
	for (const match of text.matchAll(pattern)) found.add(`#${match[1]}`);
	return [...found];
}

export type PersonReason =
	| 'order_not_found'
	| 'order_not_this_customers'
	| 'order_cancelled'
	| 'several_orders_named'
	| 'customer_not_identified'
	| 'no_open_order'
	| 'several_open_orders';

export type Identified =
	| { found: true; order: TrackedOrder; by: 'order_number' | 'latest_open_order' }
	| { found: false; reason: PersonReason; candidates: string[] };

export interface Asker {
	/** The ticket's order field, when the helpdesk gave one. */
	orderId?: string;
	/** Subject and body: where the customer may have written the number. */
	text: string;
	email?: string;
	/** Shopify customer ids (number or GID) known for the asker: the ticket's and the profile's. */
	customerIds: string[];
}

/** Whether an order was placed by this customer: by its Shopify customer, else by the email on the order. */
export function isCustomersOrder(order: TrackedOrder, asker: Pick<Asker, 'email' | 'customerIds'>): boolean {
	const gids = asker.customerIds.map(customerGid).filter((id): id is string => id !== undefined);
	if (order.customerId && gids.includes(order.customerId)) return true;
	const email = asker.email?.trim().toLowerCase();
	return !!email && !!order.email && order.email.trim().toLowerCase() === email;
}

/** Not cancelled and not delivered: the order a customer may be waiting for. */
export function isOpenOrder(order: TrackedOrder): boolean {
	return !order.cancelledAt && orderDeliveredAt(order) === undefined;
}

/**
 * The order the ticket asks about. `lookup` finds a named order in any form it was named in; `recent` is the
 * asking customer's latest orders, newest first (undefined when the customer is not known to Shopify).
 */
export function identifyOrder(asker: Asker, lookup: (reference: string) => TrackedOrder | undefined, recent: TrackedOrder[] | undefined): Identified {
	const references = [...new Set([...(asker.orderId ? [asker.orderId.trim()] : []), ...orderNumbersIn(asker.text)].filter(Boolean))];
	if (references.length) {
		// one order named in several forms ("1013" in the field, "#1013" in the text) is one candidate
		const candidates = new Map<string, TrackedOrder | undefined>();
		for (const reference of references) {
			const order = lookup(reference);
			candidates.set(order ? order.orderId : `unknown:${reference}`, order);
		}
		const names = [...candidates.entries()].map(([key, order]) => order?.name ?? key.slice('unknown:'.length));
		if (candidates.size > 1) return { found: false, reason: 'several_orders_named', candidates: names };
		const [order] = candidates.values();
		if (!order) return { found: false, reason: 'order_not_found', candidates: names };
		if (!asker.email && !asker.customerIds.length) return { found: false, reason: 'customer_not_identified', candidates: names };
		if (!isCustomersOrder(order, asker)) return { found: false, reason: 'order_not_this_customers', candidates: names };
		if (order.cancelledAt) return { found: false, reason: 'order_cancelled', candidates: names };
		return { found: true, order, by: 'order_number' };
	}
	if (!recent) return { found: false, reason: 'customer_not_identified', candidates: [] };
	const open = recent.filter((order) => isCustomersOrder(order, asker) && isOpenOrder(order));
	if (!open.length) return { found: false, reason: 'no_open_order', candidates: [] };
	if (open.length > 1) return { found: false, reason: 'several_open_orders', candidates: open.map((order) => order.name) };
	return { found: true, order: open[0], by: 'latest_open_order' };
}

export type ShippingState = 'delivered' | 'on_its_way' | 'partly_shipped' | 'being_prepared';

export interface OrderStatusAnswer {
	orderId: string;
	orderName: string;
	state: ShippingState;
	/** Shopify's display fulfillment status, as it stands. */
	fulfillmentStatus: string;
	/** The latest parcel's own status (Shopify FulfillmentDisplayStatus: IN_TRANSIT, DELAYED, DELIVERED, ...). */
	deliveryStatus?: string;
	carrier?: string;
	trackingNumber?: string;
	/** Shopify's tracking URL when it is https; never a link from the ticket. */
	trackingUrl?: string;
	/** The carrier's estimate: information, never the promise. */
	estimatedDeliveryAt?: string;
	promisedDeliveryDate: string;
	promisedFrom: PromiseSource;
	deliveredAt?: string;
	/** Whole days past the promise (arrived, or not yet arrived as of now), in the store's calendar. */
	daysLate: number;
	/** A whole day or more past the promise: the answer apologises. */
	late: boolean;
	reasons: string[];
}

/** An https link, or nothing: a tracking URL is linked only when it is one. */
export function httpsLink(url: string | null | undefined): string | undefined {
	if (!url) return undefined;
	try {
		const parsed = new URL(url.trim());
		return parsed.protocol === 'https:' && !parsed.username && !parsed.password ? parsed.toString() : undefined;
	} catch {
		return undefined;
	}
}

/** What the customer is told of the order as of `now`: where it is, its tracking, and whether it is late. */
export function orderStatusAnswer(order: TrackedOrder, policy: PromisePolicy, now: Date): OrderStatusAnswer {
	const promised = promisedDeliveryDate(order, policy);
	const deliveredAt = orderDeliveredAt(order);
	const daysLate = wholeDaysLate(promised.date, deliveredAt ?? now, policy.calendar.timeZone);
	const live = order.fulfillments.filter((fulfillment) => (fulfillment.displayStatus ?? '').toUpperCase() !== 'CANCELED');
	// the parcel the customer waits for: the latest one not yet arrived, else the latest one
	const byNewest = [...live].sort((a, b) => (instant(b.createdAt)?.getTime() ?? 0) - (instant(a.createdAt)?.getTime() ?? 0));
	const parcel = byNewest.find((fulfillment) => !fulfillment.deliveredAt && (fulfillment.displayStatus ?? '').toUpperCase() !== 'DELIVERED') ?? byNewest[0];
	const trackings = parcel?.tracking ?? [];
	const tracking = trackings.find((info) => info.number || info.url) ?? trackings[0];
	// an order read without Shopify's display status: fulfilled when every live parcel went out, by the parcels
	const fulfillmentStatus = order.displayFulfillmentStatus ?? (live.length ? 'FULFILLED' : 'UNFULFILLED');
	const status = fulfillmentStatus.toUpperCase();
	const state: ShippingState = deliveredAt
		? 'delivered'
		: !live.length
			? 'being_prepared'
			: status === 'FULFILLED'
				? 'on_its_way'
				: 'partly_shipped';
	const estimate = latest(live.filter((fulfillment) => !fulfillment.deliveredAt).map((fulfillment) => instant(fulfillment.estimatedDeliveryAt)));
	const trackingUrl = httpsLink(tracking?.url);
	const late = daysLate >= 1;
	const reasons = [
		`order_${state}`,
		`promise_${promised.from}:${promised.date.toISOString().slice(0, 10)}`,
		late ? `late_${daysLate}_days:apology` : 'not_late:no_apology',
		...(tracking?.url && !trackingUrl ? ['tracking_link_left_out:not_https'] : []),
	];
	return {
		orderId: order.orderId,
		orderName: order.name,
		state,
		fulfillmentStatus,
		...(parcel?.displayStatus ? { deliveryStatus: parcel.displayStatus } : {}),
		...(tracking?.company ? { carrier: tracking.company } : {}),
		...(tracking?.number ? { trackingNumber: tracking.number } : {}),
		...(trackingUrl ? { trackingUrl } : {}),
		...(estimate && !deliveredAt ? { estimatedDeliveryAt: estimate.toISOString() } : {}),
		promisedDeliveryDate: promised.date.toISOString(),
		promisedFrom: promised.from,
		...(deliveredAt ? { deliveredAt: deliveredAt.toISOString() } : {}),
		daysLate,
		late,
		reasons,
	};
}

/**
 * What a Shopify order event means for the store's follow-ups: the decision, pure (no n8n, no I/O, no clock). The
 * payloads are Shopify's webhook bodies (the REST resource of each topic). A route says who acts next; the order
 * itself is read from Shopify again by whoever acts (a webhook may come late or out of order, Shopify's current
 * state is the truth), so a route only needs to be right about what could have changed.
 *
 *   delivered        a parcel or the whole order arrived: the survey, and delay compensation (was it late?)
 *   shipping_update  a parcel was created or moved and has not arrived: delay compensation's late notice
 *   order_update     an order changed without a parcel (placed, paid, edited): nothing to do now
 *   refund           a refund: recorded only (compensation never stacks on a refund and reads refunds itself)
 *   cancelled        an order was cancelled: recorded only
 *   return_request   a customer asked to return items (returns/request): CX Returns Desk decides the return it names
 *   privacy          one of Shopify's mandatory compliance topics (customers/data_request, customers/redact,
 *                    shop/redact): the customer's data is exported or erased (`privacy` names whose and which)
 *   other            a topic the pack does not follow
 */

import { RETURN_GID, returnGid } from '../shared/contract/returnRequest';

export const EVENT_ROUTES = ['delivered', 'shipping_update', 'order_update', 'refund', 'cancelled', 'return_request', 'privacy', 'other'] as const;
export const PRIVACY_TOPICS = ['customers/data_request', 'customers/redact', 'shop/redact'] as const;
export type PrivacyTopic = (typeof PRIVACY_TOPICS)[number];

/** Whose data a compliance webhook is about: the customer's ids, addresses and orders (none for shop/redact). */
export interface PrivacyAsk {
	topic: PrivacyTopic;
	customerIds: string[];
	emails: string[];
	orderIds: string[];
	/** Shopify's id of a data request, when it gives one. */
	requestId?: string;
}
export type EventRoute = (typeof EVENT_ROUTES)[number];

export interface EventReading {
	route: EventRoute;
	/** The order the event is about, as Shopify's numeric ID, when it names one. */
	orderId?: string;
	/** The return a returns/request event is about, as its GID (gid://shopify/Return/<id>). */
	returnId?: string;
	privacy?: PrivacyAsk;
	reasons: string[];
}

type Payload = Record<string, unknown>;

const numericId = (value: unknown): string | undefined => {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
	if (typeof value === 'string' && /^\d+$/.test(value.trim())) return value.trim();
	const gid = typeof value === 'string' ? /^gid:\/\/shopify\/Order\/(\d+)$/.exec(value.trim()) : null;
	return gid ? gid[1] : undefined;
};

/** A parcel that went out and was not called off (Shopify's fulfillment statuses cancelled, error and failure). */
const wentOut = (fulfillment: Payload) => !['cancelled', 'error', 'failure'].includes(String(fulfillment.status ?? '').toLowerCase());
const arrived = (shipmentStatus: unknown) => String(shipmentStatus ?? '').toLowerCase() === 'delivered';

/** A return's GID from a returns/request payload: its admin_graphql_api_id, else its numeric id. */
const returnOf = (payload: Payload): string | undefined => {
	const gid = typeof payload.admin_graphql_api_id === 'string' ? payload.admin_graphql_api_id.trim() : '';
	if (RETURN_GID.test(gid)) return gid;
	const id = typeof payload.id === 'number' || typeof payload.id === 'string' ? String(payload.id).trim() : '';
	return /^\d+$/.test(id) ? returnGid(id) : undefined;
};

/** The ids Shopify lists (numbers or numeric strings), as strings; anything else is left out. */
const idList = (value: unknown, numeric: (value: unknown) => string | undefined): string[] =>
	(Array.isArray(value) ? value : []).map(numeric).filter((id): id is string => !!id);
const anyNumericId = (value: unknown): string | undefined =>
	(typeof value === 'number' && Number.isSafeInteger(value) && value > 0) || (typeof value === 'string' && /^\d+$/.test(value.trim())) ? String(value).trim() : undefined;

/** A compliance webhook's ask: the customer (id, email) and orders Shopify names. */
function privacyAsk(topic: PrivacyTopic, payload: Payload): PrivacyAsk {
	const customer = (payload.customer && typeof payload.customer === 'object' ? payload.customer : {}) as Payload;
	const customerId = anyNumericId(customer.id);
	const email = typeof customer.email === 'string' && customer.email.trim() ? customer.email.trim().toLowerCase() : undefined;
	const request = (payload.data_request && typeof payload.data_request === 'object' ? payload.data_request : {}) as Payload;
	const requestId = anyNumericId(request.id);
	return {
		topic,
		customerIds: customerId ? [customerId, `gid://shopify/Customer/${customerId}`] : [],
		emails: email ? [email] : [],
		orderIds: idList(topic === 'customers/redact' ? payload.orders_to_redact : payload.orders_requested, numericId).flatMap((id) => [id, `gid://shopify/Order/${id}`]),
		...(requestId ? { requestId } : {}),
	};
}

/** The route of an event of `topic` with this payload, the order it names, and why. */
export function readEvent(topic: string, payload: Payload): EventReading {
	if ((PRIVACY_TOPICS as readonly string[]).includes(topic)) {
		const privacy = privacyAsk(topic as PrivacyTopic, payload);
		return { route: 'privacy', privacy, reasons: [`topic:${topic}`, topic === 'customers/data_request' ? 'export_customer_data' : 'erase_personal_data'] };
	}
	if (topic === 'returns/request') {
		// the return names its order as an object ({ id, admin_graphql_api_id }); order_id is read too
		const order = payload.order && typeof payload.order === 'object' ? (payload.order as Payload) : {};
		const orderId = numericId(order.id) ?? numericId(order.admin_graphql_api_id) ?? numericId(payload.order_id);
		const returnId = returnOf(payload);
		return { route: 'return_request', ...(orderId ? { orderId } : {}), ...(returnId ? { returnId } : {}), reasons: [`topic:${topic}`, 'return_requested'] };
	}
	const family = topic.split('/')[0];
	if (family === 'orders') {
		const orderId = numericId(payload.id);
		const named = orderId ? { orderId } : {};
		if (topic === 'orders/cancelled' || payload.cancelled_at) return { route: 'cancelled', ...named, reasons: [`topic:${topic}`, 'order_cancelled'] };
		const parcels = (Array.isArray(payload.fulfillments) ? (payload.fulfillments as Payload[]) : []).filter(wentOut);
		if (!parcels.length) return { route: 'order_update', ...named, reasons: [`topic:${topic}`, 'no_parcel_yet'] };
		const delivered = parcels.filter((parcel) => arrived(parcel.shipment_status)).length;
		if (delivered > 0) return { route: 'delivered', ...named, reasons: [`topic:${topic}`, `parcels_delivered:${delivered}_of_${parcels.length}`] };
		return { route: 'shipping_update', ...named, reasons: [`topic:${topic}`, `parcels_on_the_way:${parcels.length}`] };
	}
	const orderId = numericId(payload.order_id);
	const named = orderId ? { orderId } : {};
	if (topic === 'fulfillments/create' || topic === 'fulfillments/update') {
		if (!wentOut(payload)) return { route: 'shipping_update', ...named, reasons: [`topic:${topic}`, `parcel_${String(payload.status).toLowerCase()}`] };
		return arrived(payload.shipment_status)
			? { route: 'delivered', ...named, reasons: [`topic:${topic}`, 'parcel_delivered'] }
			: { route: 'shipping_update', ...named, reasons: [`topic:${topic}`, `parcel_${String(payload.shipment_status ?? 'unknown').toLowerCase()}`] };
	}
	if (topic === 'fulfillment_events/create') {
		return arrived(payload.status)
			? { route: 'delivered', ...named, reasons: [`topic:${topic}`, 'tracking_delivered'] }
			: { route: 'shipping_update', ...named, reasons: [`topic:${topic}`, `tracking_${String(payload.status ?? 'unknown').toLowerCase()}`] };
	}
	if (topic === 'refunds/create') return { route: 'refund', ...named, reasons: [`topic:${topic}`, 'refund_recorded_only'] };
	return { route: 'other', ...named, reasons: [`topic:${topic}`, 'topic_not_followed'] };
}

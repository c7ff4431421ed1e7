/**
 * A Shopify webhook delivery as n8n's Webhook node hands it over ({ headers, body, ... } with the raw body as
 * binary data): its headers read and its body taken, or an InputProblem naming the header or field and what to fix.
 * The signature is checked before (CxShopifyEvents.node.ts): what is read here is what Shopify signed, so a header
 * or field of the wrong shape is refused, never guessed at or left out without a word.
 */
import type { IDataObject } from 'n8n-workflow';
import { dateValue, describeValue, InputProblem, isBlank, isEmailAddress, readPath, wellFormed } from '../shared/items';
import {
	API_VERSION_HEADER,
	EVENT_ID_HEADER,
	SHOP_DOMAIN_HEADER,
	TOPIC_HEADER,
	TRIGGERED_AT_HEADER,
	WEBHOOK_ID_HEADER,
} from '../shared/services/shopify/webhooks';
import { PRIVACY_TOPICS } from './shopifyEvents';

export interface ShopifyDelivery {
	topic: string;
	eventId: string;
	webhookId?: string;
	shopDomain?: string;
	triggeredAt?: Date;
	apiVersion?: string;
	payload: IDataObject;
}

/** The item's headers (the Webhook node's `headers`). */
export function headersOf(json: IDataObject): Record<string, unknown> {
	const headers = json.headers;
	return headers && typeof headers === 'object' && !Array.isArray(headers) ? (headers as Record<string, unknown>) : {};
}

/** A Shopify topic: words of letters, digits and "_" joined by "/" (orders/updated, customers/data_request). */
const TOPIC = /^[a-z0-9_]+(?:\/[a-z0-9_]+)+$/i;

/** The longest value each header may have: Shopify's are short (a topic, a UUID, a domain, a time). */
const HEADER_LIMITS: Record<string, number> = {
	[TOPIC_HEADER]: 100,
	[EVENT_ID_HEADER]: 200,
	[WEBHOOK_ID_HEADER]: 200,
	[SHOP_DOMAIN_HEADER]: 255,
	[TRIGGERED_AT_HEADER]: 64,
	[API_VERSION_HEADER]: 32,
};


/**
 * A header's text whatever the header's case: the first value when it came twice (a list); undefined when it is
 * absent or blank. A value that is not text, or longer than Shopify's, is a problem naming the header.
 */
function headerText(headers: Record<string, unknown>, name: string): string | undefined {
	const given = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
	const fix = `Connect this node to a Webhook node that Shopify calls, and map nothing over its headers: Shopify sends "${name}" as text.`;
	if (Array.isArray(given) && typeof given[0] !== 'string') {
		throw new InputProblem(`headers.${name}`, `Header "${name}" must be text but is ${given.length ? `a list starting with ${describeValue(given[0])}` : 'an empty list'}`, fix);
	}
	const value = Array.isArray(given) ? given[0] : given;
	if (isBlank(value)) return undefined;
	if (typeof value !== 'string') throw new InputProblem(`headers.${name}`, `Header "${name}" must be text but is ${describeValue(value)}`, fix);
	const text = value.trim();
	const limit = HEADER_LIMITS[name] ?? 1000;
	if (text.length > limit) throw new InputProblem(`headers.${name}`, `Header "${name}" is ${text.length.toLocaleString('en-US')} characters long; Shopify's is at most ${limit}`, fix);
	return wellFormed(text);
}

/** A Shopify numeric ID as a payload gives it: a positive whole number, or its digits as text; `gid`: also that kind's GID. */
function isShopifyId(value: unknown, gid?: string): boolean {
	if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0;
	if (typeof value !== 'string') return false;
	const text = value.trim();
	return /^[1-9]\d{0,19}$/.test(text) || (gid !== undefined && new RegExp(`^gid://shopify/${gid}/[1-9]\\d{0,19}$`).test(text));
}

/** The topics whose payload names the order the event is about, and the field that names it. */
function orderField(topic: string): string | undefined {
	if (topic.startsWith('orders/')) return 'id';
	return ['fulfillments/create', 'fulfillments/update', 'fulfillment_events/create', 'refunds/create'].includes(topic) ? 'order_id' : undefined;
}

/** An order event names its order: `body.<field>` is Shopify's numeric order ID (or its GID). */
function checkOrderNamed(payload: IDataObject, field: string): void {
	const value = readPath(payload, field);
	if (isShopifyId(value, 'Order')) return;
	const what = isBlank(value) ? 'is missing' : `is ${describeValue(value)}, not a Shopify order ID`;
	throw new InputProblem(`body.${field}`, `Field "body.${field}" ${what}`, `Shopify names the order of every order event in "${field}": check that the webhook is Shopify's, in JSON, and that nothing between Shopify and this node changed its body.`);
}

/**
 * A returns/request delivery names its return: `body.admin_graphql_api_id` (its GID), else `body.id`. A GID of another
 * kind is refused rather than read past: the desk would decide the wrong thing.
 */
function checkReturnNamed(payload: IDataObject): void {
	const fix = 'Shopify names the return of every returns/request delivery in "admin_graphql_api_id" (gid://shopify/Return/<id>) and "id": check that the webhook is Shopify\'s, in JSON, and that nothing between Shopify and this node changed its body.';
	const gid = payload.admin_graphql_api_id;
	if (!isBlank(gid)) {
		if (typeof gid === 'string' && /^gid:\/\/shopify\/Return\/[1-9]\d{0,19}$/.test(gid.trim())) return;
		throw new InputProblem('body.admin_graphql_api_id', `Field "body.admin_graphql_api_id" is ${describeValue(gid)}, not a Shopify return's GID`, fix);
	}
	if (isShopifyId(payload.id)) return;
	const what = isBlank(payload.id) ? 'is missing' : `is ${describeValue(payload.id)}, not a Shopify return ID`;
	throw new InputProblem('body.id', `Field "body.id" ${what}`, fix);
}

/**
 * A compliance webhook names whose data (customers/redact, customers/data_request): the customer (a numeric id, an
 * email address, or both) and a list of order IDs. An erasure or export of the wrong person, or of nobody while the
 * request is marked done, is worse than a refusal: a field of the wrong shape is a problem naming it.
 */
function checkPrivacyAsk(topic: string, payload: IDataObject): void {
	if (topic === 'shop/redact') return;
	const fix = 'Shopify\'s compliance webhooks name the customer (customer.id, customer.email) and the orders: check that nothing between Shopify and this node changed the body. Until it is read, the request is not carried out.';
	const customer = payload.customer;
	if (!customer || typeof customer !== 'object' || Array.isArray(customer)) {
		throw new InputProblem('body.customer', `Field "body.customer" ${isBlank(customer) ? 'is missing' : `is ${describeValue(customer)}, not the customer the request is about`}`, fix);
	}
	const { id, email } = customer as IDataObject;
	if (!isBlank(id) && !isShopifyId(id)) throw new InputProblem('body.customer.id', `Field "body.customer.id" is ${describeValue(id)}, not a Shopify customer ID`, fix);
	if (!isBlank(email) && (typeof email !== 'string' || !isEmailAddress(email.trim()))) {
		throw new InputProblem('body.customer.email', `Field "body.customer.email" is ${describeValue(email)}, which is not one email address`, fix);
	}
	if (isBlank(id) && isBlank(email)) throw new InputProblem('body.customer', 'Field "body.customer" names nobody: it has neither "id" nor "email"', fix);
	const ordersField = topic === 'customers/redact' ? 'orders_to_redact' : 'orders_requested';
	const orders = payload[ordersField];
	if (!isBlank(orders)) {
		if (!Array.isArray(orders)) throw new InputProblem(`body.${ordersField}`, `Field "body.${ordersField}" must be a list of order IDs but is ${describeValue(orders)}`, fix);
		const wrong = orders.findIndex((order) => !isShopifyId(order, 'Order'));
		if (wrong >= 0) throw new InputProblem(`body.${ordersField}`, `Field "body.${ordersField}" has an entry that is not a Shopify order ID (position ${wrong + 1}): ${describeValue(orders[wrong])}`, fix);
	}
	if (topic === 'customers/data_request' && !isBlank(payload.data_request)) {
		const request = payload.data_request;
		if (typeof request !== 'object' || Array.isArray(request)) throw new InputProblem('body.data_request', `Field "body.data_request" is ${describeValue(request)}, not Shopify's data request`, fix);
		const requestId = (request as IDataObject).id;
		if (!isBlank(requestId) && !isShopifyId(requestId)) throw new InputProblem('body.data_request.id', `Field "body.data_request.id" is ${describeValue(requestId)}, not a Shopify request ID`, fix);
	}
}

function delivery(json: IDataObject): ShopifyDelivery {
	const headers = headersOf(json);
	const topicText = headerText(headers, TOPIC_HEADER);
	if (!topicText) throw new InputProblem(`headers.${TOPIC_HEADER}`, `Header "${TOPIC_HEADER}" is missing`, 'Connect this node to a Webhook node that Shopify calls: Shopify names the topic of every delivery.');
	if (!TOPIC.test(topicText)) {
		throw new InputProblem(`headers.${TOPIC_HEADER}`, `Header "${TOPIC_HEADER}" is ${describeValue(topicText)}, which is not a Shopify webhook topic (such as orders/updated)`, 'Check that Shopify, not another sender, calls this webhook.');
	}
	const topic = topicText.toLowerCase();
	const webhookId = headerText(headers, WEBHOOK_ID_HEADER);
	// a compliance webhook is known by its webhook id when it names no event
	const eventId = headerText(headers, EVENT_ID_HEADER) ?? ((PRIVACY_TOPICS as readonly string[]).includes(topic) ? webhookId : undefined);
	if (!eventId) throw new InputProblem(`headers.${EVENT_ID_HEADER}`, `Header "${EVENT_ID_HEADER}" is missing`, 'Shopify names the event of every delivery: check that Shopify, not another sender, calls this webhook.');
	const triggered = headerText(headers, TRIGGERED_AT_HEADER);
	const triggeredAt = triggered === undefined ? undefined : dateValue(triggered);
	if (triggered !== undefined && !triggeredAt) {
		throw new InputProblem(`headers.${TRIGGERED_AT_HEADER}`, `Header "${TRIGGERED_AT_HEADER}" is ${describeValue(triggered)}, which is not a time`, 'Shopify sends an ISO 8601 time such as 2026-11-02T14:30:00Z: check that nothing between Shopify and this node changed the header.');
	}
	const shopDomain = headerText(headers, SHOP_DOMAIN_HEADER);
	const apiVersion = headerText(headers, API_VERSION_HEADER);
	const body = json.body;
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw new InputProblem('body', `Field "body" is ${isBlank(body) ? 'missing' : describeValue(body)}, not a JSON object`, 'Subscribe the webhook in JSON format (Shopify\'s default), not XML.');
	}
	const payload = body as IDataObject;
	const named = orderField(topic);
	if (named) checkOrderNamed(payload, named);
	if (topic === 'returns/request') checkReturnNamed(payload);
	if ((PRIVACY_TOPICS as readonly string[]).includes(topic)) checkPrivacyAsk(topic, payload);
	return {
		topic,
		eventId,
		...(webhookId ? { webhookId } : {}),
		...(shopDomain ? { shopDomain } : {}),
		...(triggeredAt ? { triggeredAt } : {}),
		...(apiVersion ? { apiVersion } : {}),
		payload,
	};
}

export function readDelivery(json: IDataObject): ShopifyDelivery | InputProblem {
	try {
		return delivery(json);
	} catch (error) {
		if (error instanceof InputProblem) return error;
		return new InputProblem('', `Could not read the delivery: ${(error as Error).message}`, 'Check the item\'s headers and body.');
	}
}

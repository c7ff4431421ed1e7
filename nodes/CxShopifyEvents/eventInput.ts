/**
 * A Shopify webhook delivery as n8n's Webhook node hands it over ({ headers, body, ... } with the raw body as
 * binary data): its headers read and its body taken, or an InputProblem naming what is missing.
 */
import type { IDataObject } from 'n8n-workflow';
import { InputProblem } from '../shared/items';
import {
	API_VERSION_HEADER,
	EVENT_ID_HEADER,
	SHOP_DOMAIN_HEADER,
	TOPIC_HEADER,
	TRIGGERED_AT_HEADER,
	WEBHOOK_ID_HEADER,
	headerValue,
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

export function readDelivery(json: IDataObject): ShopifyDelivery | InputProblem {
	const headers = headersOf(json);
	const topic = headerValue(headers, TOPIC_HEADER);
	if (!topic) return new InputProblem(`headers.${TOPIC_HEADER}`, `The delivery has no ${TOPIC_HEADER} header`, 'Connect this node to a Webhook node that Shopify calls: Shopify names the topic of every delivery.');
	// a compliance webhook is known by its webhook id when it names no event
	const eventId = headerValue(headers, EVENT_ID_HEADER) ?? ((PRIVACY_TOPICS as readonly string[]).includes(topic.toLowerCase()) ? headerValue(headers, WEBHOOK_ID_HEADER) : undefined);
	if (!eventId) return new InputProblem(`headers.${EVENT_ID_HEADER}`, `The delivery has no ${EVENT_ID_HEADER} header`, 'Shopify names the event of every delivery: check that Shopify, not another sender, calls this webhook.');
	const body = json.body;
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		return new InputProblem('body', 'The delivery\'s body is not a JSON object', 'Subscribe the webhook in JSON format (Shopify\'s default), not XML.');
	}
	const triggered = headerValue(headers, TRIGGERED_AT_HEADER);
	const triggeredAt = triggered ? new Date(triggered) : undefined;
	const webhookId = headerValue(headers, WEBHOOK_ID_HEADER);
	const shopDomain = headerValue(headers, SHOP_DOMAIN_HEADER);
	const apiVersion = headerValue(headers, API_VERSION_HEADER);
	return {
		topic: topic.toLowerCase(),
		eventId,
		...(webhookId ? { webhookId } : {}),
		...(shopDomain ? { shopDomain } : {}),
		...(triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? { triggeredAt } : {}),
		...(apiVersion ? { apiVersion } : {}),
		payload: body as IDataObject,
	};
}

/**
 * Shopify webhooks as Shopify documents them (shopify.dev, "Verify webhooks" and "Webhook headers"). Pure: the raw
 * body, the headers and the secret in, a verdict or the delivery's facts out.
 *
 * X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the raw body with the app's client secret (a Dev Dashboard
 * app) or the key shown for webhooks made in the admin. Every delivery names its topic (X-Shopify-Topic), the shop
 * (X-Shopify-Shop-Domain), the subscription (X-Shopify-Webhook-Id), when the event happened
 * (X-Shopify-Triggered-At) and the event itself (X-Shopify-Event-Id): a retry of a delivery, or the same event
 * delivered to a second subscription, carries the same event ID. Shopify counts a delivery failed when the answer
 * takes more than five seconds, and retries it eight times over four hours.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HMAC_HEADER = 'x-shopify-hmac-sha256';
export const TOPIC_HEADER = 'x-shopify-topic';
export const EVENT_ID_HEADER = 'x-shopify-event-id';
export const WEBHOOK_ID_HEADER = 'x-shopify-webhook-id';
export const SHOP_DOMAIN_HEADER = 'x-shopify-shop-domain';
export const TRIGGERED_AT_HEADER = 'x-shopify-triggered-at';
export const API_VERSION_HEADER = 'x-shopify-api-version';

/** The signature Shopify sends for this body. */
export function shopifyWebhookSignature(secret: string, rawBody: Buffer): string {
	return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/** A header's value whatever its case; the first when it came twice. */
export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
	const value = Array.isArray(found) ? found[0] : found;
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export type WebhookVerdict = { ok: true } | { ok: false; problem: string; fix: string };

/** Whether a delivery is signed by Shopify with `secret` over its raw body; compared in constant time. */
export function checkShopifyWebhook(headers: Record<string, unknown>, rawBody: Buffer | undefined, secret: string): WebhookVerdict {
	if (!rawBody) {
		return { ok: false, problem: 'the raw body (binary property "data") is missing, so the signature cannot be checked', fix: 'Turn on the Webhook node\'s Raw Body option: Shopify signs the bytes it sent.' };
	}
	const given = headerValue(headers, HMAC_HEADER);
	if (!given) return { ok: false, problem: `the Shopify signature header "${HMAC_HEADER}" is missing`, fix: 'Only Shopify can call this webhook: check that the subscription in Shopify points here.' };
	if (!secret) return { ok: false, problem: 'the Shopify credential has no secret to check signatures with', fix: 'Set the credential\'s Client Secret (a Dev Dashboard app) or its Webhook Signing Secret.' };
	const expected = Buffer.from(shopifyWebhookSignature(secret, rawBody));
	const received = Buffer.from(given);
	if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
		return { ok: false, problem: `the Shopify signature (header "${HMAC_HEADER}") does not match the body`, fix: 'Check that the credential holds the secret of the app the webhook belongs to; a delivery someone else made or changed is refused.' };
	}
	return { ok: true };
}

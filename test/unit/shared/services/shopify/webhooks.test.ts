import { createHmac } from 'node:crypto';
import { checkShopifyWebhook, shopifyWebhookSignature } from '../../../../../nodes/shared/services/shopify/webhooks';

const secret = 'shpss_synthetic_client_secret_0001';
const body = Buffer.from('{"id":820982911946154500,"name":"#9999","fulfillments":[]}');
// Shopify's documented recipe: base64 of HMAC-SHA256 over the raw body with the app's secret
const signed = createHmac('sha256', secret).update(body).digest('base64');

describe('Shopify webhook signatures', () => {
	it('are the base64 HMAC-SHA256 of the raw body with the app\'s secret', () => {
		expect(shopifyWebhookSignature(secret, body)).toBe(signed);
	});

	it('let a delivery signed with the secret through, whatever the header\'s case', () => {
		expect(checkShopifyWebhook({ 'X-Shopify-Hmac-Sha256': signed }, body, secret)).toEqual({ ok: true });
		expect(checkShopifyWebhook({ 'x-shopify-hmac-sha256': [signed] }, body, secret)).toEqual({ ok: true });
	});

	it('refuse a changed body, another app\'s signature, a missing header, a missing raw body or a missing secret, saying which', () => {
		const changed = Buffer.from(body.toString().replace('#9999', '#9998'));
		expect(checkShopifyWebhook({ 'x-shopify-hmac-sha256': signed }, changed, secret)).toMatchObject({ ok: false, problem: 'the Shopify signature (header "x-shopify-hmac-sha256") does not match the body' });
		const other = createHmac('sha256', 'another-app-secret').update(body).digest('base64');
		expect(checkShopifyWebhook({ 'x-shopify-hmac-sha256': other }, body, secret)).toMatchObject({ ok: false, problem: 'the Shopify signature (header "x-shopify-hmac-sha256") does not match the body' });
		expect(checkShopifyWebhook({}, body, secret)).toMatchObject({ ok: false, problem: 'the Shopify signature header "x-shopify-hmac-sha256" is missing' });
		expect(checkShopifyWebhook({ 'x-shopify-hmac-sha256': signed }, undefined, secret)).toMatchObject({ ok: false, fix: expect.stringContaining('Raw Body') });
		expect(checkShopifyWebhook({ 'x-shopify-hmac-sha256': signed }, body, '')).toMatchObject({ ok: false, problem: 'the Shopify credential has no secret to check signatures with' });
	});

	it('never echo the secret or the expected signature in a refusal', () => {
		const verdict = checkShopifyWebhook({ 'x-shopify-hmac-sha256': 'forged' }, body, secret);
		expect(JSON.stringify(verdict)).not.toContain(secret);
		expect(JSON.stringify(verdict)).not.toContain(signed);
	});
});

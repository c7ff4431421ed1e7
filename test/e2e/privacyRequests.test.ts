/**
 * The shopify-privacy-requests template in a real n8n: Shopify's three compliance webhooks, signed as Shopify signs
 * them. A forged call is answered 401 and changes nothing; a data request is answered with its due date and the
 * customer's rows come out for the store owner; a redaction erases the customer from every table, and Shopify's
 * retry of it changes nothing more.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder, type RunningN8n } from './n8n';
import { repoRoot, standinsEnv } from '../support/standins';

const WORKFLOW = join(repoRoot, 'workflows', 'shopify-privacy-requests.json');
const SECRET = `shpss_${randomUUID().replace(/-/g, '')}`;
const run = randomUUID().slice(0, 8);
const customer = { id: 640000 + Math.floor(Math.random() * 1000), email: `lena.${run}@example-store.test` };

function delivery(topic: string, body: Record<string, unknown>, secret: string = SECRET) {
	const text = JSON.stringify(body);
	return {
		text,
		headers: {
			'content-type': 'application/json',
			'x-shopify-topic': topic,
			'x-shopify-shop-domain': 'example-store.myshopify.com',
			'x-shopify-webhook-id': randomUUID(),
			'x-shopify-api-version': '2026-10',
			'x-shopify-hmac-sha256': createHmac('sha256', secret).update(text).digest('base64'),
		},
	};
}

describe('shopify-privacy-requests template in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	let server: RunningN8n | undefined;
	const post = async (call: ReturnType<typeof delivery>) => {
		const response = await fetch(`${server!.url}/webhook/cx-shopify-privacy`, { method: 'POST', headers: call.headers, body: call.text });
		return { status: response.status, json: (await response.json()) as Record<string, unknown> };
	};
	const ticketId = `privacy-e2e-${run}`;

	beforeAll(async () => {
		const { error } = await supabase.from('tickets').insert({ external_id: ticketId, channel: 'email', subject: 'My order', body: `Hi, it is Lena ${run}`, customer_id: `gid://shopify/Customer/${customer.id}`, customer_email: customer.email, status: 'open' });
		expect(error).toBeNull();
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		await n8n.importCredentials({ userFolder: folder.path, credentials: [
			{ id: 'cxShopifyLocal', name: 'Shopify (local stand-in)', type: 'cxShopifyAdminApi', data: { shopDomain: env.shopify.shopDomain, accessToken: env.shopify.accessToken, apiVersion: env.shopify.apiVersion, webhookSecret: SECRET } },
		] });
		await n8n.importWorkflows({ userFolder: folder.path, files: [WORKFLOW] });
		await n8n.publishWorkflow({ userFolder: folder.path, id: 'cxShopifyPrivacy1' });
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
		await supabase.from('tickets').delete().eq('external_id', ticketId);
		folder.done(1);
	});

	it('refuses a forged call, answers a data request with its due date, and erases the customer once', async () => {
		server = await n8n.startN8n({ userFolder: folder.path, port: await n8n.freePort() });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-shopify-privacy' });
		const ask = { shop_id: 1, shop_domain: 'example-store.myshopify.com', customer: { id: customer.id, email: customer.email, phone: null } };

		const forged = await post(delivery('customers/redact', { ...ask, orders_to_redact: [] }, 'shpss_another_apps_secret'));
		expect(forged).toMatchObject({ status: 401, json: { refused: ['Item 0: delivery refused: the Shopify signature (header "x-shopify-hmac-sha256") does not match the body'] } });
		expect((await supabase.from('tickets').select('customer_email').eq('external_id', ticketId).single()).data).toEqual({ customer_email: customer.email });

		const requested = await post(delivery('customers/data_request', { ...ask, orders_requested: [], data_request: { id: customer.id + 1 } }));
		expect(requested.status).toBe(200);
		expect(requested.json).toMatchObject({ received: 1, requests: [{ kind: 'customers/data_request', due_at: expect.stringMatching(/^\d{4}-/), completed_at: expect.stringMatching(/^\d{4}-/) }] });
		const { due_at: dueAt, completed_at: doneAt } = (requested.json.requests as Array<{ due_at: string; completed_at: string }>)[0];
		expect(Date.parse(dueAt) - Date.parse(doneAt)).toBe(30 * 86_400_000);

		const redact = delivery('customers/redact', { ...ask, orders_to_redact: [] });
		expect(await post(redact)).toMatchObject({ status: 200, json: { received: 1, requests: [{ kind: 'customers/redact' }] } });
		const { data: erased } = await supabase.from('tickets').select('customer_id, customer_email, subject, body').eq('external_id', ticketId).single();
		expect(erased).toEqual({ customer_id: expect.stringMatching(/^erased:/), customer_email: null, subject: null, body: '[erased]' });
		// Shopify delivers it again: the same
		expect(await post(redact)).toMatchObject({ status: 200 });
		expect((await supabase.from('tickets').select('customer_id').eq('external_id', ticketId).single()).data).toEqual({ customer_id: erased!.customer_id });
		const { data: requests } = await supabase.from('privacy_requests').select('kind, completed_at').in('kind', ['customers/data_request', 'customers/redact']).not('completed_at', 'is', null);
		expect(requests!.length).toBeGreaterThanOrEqual(2);
		folder.passed();
	}, 300_000);
});

/**
 * The shopify-order-events template in a real n8n: Shopify's signed webhook calls for the sample store's orders.
 * A call signed with another secret, or not at all, is answered 401 and leaves no trace; a delivered order that
 * came late is compensated once (one ledger row, one email) and a parcel past its promise is told once, however
 * often Shopify delivers the same event (a retry, or the same event through a second subscription); each event is
 * one shopify_events row; Shopify is answered well inside its five seconds.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder, workflowAsOf, type RunningN8n } from './n8n';
import { standin } from '../support/context';
import { repoRoot, standinsEnv } from '../support/standins';

const WORKFLOW = join(repoRoot, 'workflows', 'shopify-order-events.json');
const SECRET = `shpss_${randomUUID().replace(/-/g, '')}`;
const LATE_DELIVERED = 'gid://shopify/Order/5013';
const PAST_PROMISE = 'gid://shopify/Order/5016';
interface Message { body: { custom_args?: Record<string, string> }; deliveries: Array<{ to: Array<{ email: string }>; subject: string }> }

/** A Shopify webhook call: the topic's REST body, the headers Shopify sends, signed with `secret` (null: unsigned). */
function delivery(topic: string, body: Record<string, unknown>, eventId: string, shopDomain: string, secret: string | null = SECRET, webhookId = 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043') {
	const text = JSON.stringify(body);
	return {
		text,
		headers: {
			'content-type': 'application/json',
			'x-shopify-topic': topic,
			'x-shopify-shop-domain': shopDomain,
			'x-shopify-event-id': eventId,
			'x-shopify-webhook-id': webhookId,
			'x-shopify-triggered-at': '2026-11-29T10:00:00.000Z',
			'x-shopify-api-version': '2026-10',
			...(secret ? { 'x-shopify-hmac-sha256': createHmac('sha256', secret).update(text).digest('base64') } : {}),
		},
	};
}

const order = (id: number, name: string, shipmentStatus: string) => ({
	id,
	admin_graphql_api_id: `gid://shopify/Order/${id}`,
	name,
	cancelled_at: null,
	financial_status: 'paid',
	fulfillment_status: 'fulfilled',
	fulfillments: [{ id: id * 10, order_id: id, status: 'success', shipment_status: shipmentStatus, tracking_company: 'Royal Mail' }],
});

describe('shopify-order-events template in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const run = randomUUID();
	const eventIds = { delivered: `${run}-delivered`, shipping: `${run}-shipping`, refund: `${run}-refund`, forged: `${run}-forged` };
	let server: RunningN8n | undefined;

	const cleanUp = async () => {
		await supabase.from('shopify_events').delete().in('event_id', Object.values(eventIds)).throwOnError();
		await supabase.from('compensation_ledger').delete().eq('order_id', LATE_DELIVERED).throwOnError();
		await supabase.from('late_notices').delete().eq('order_id', PAST_PROMISE).throwOnError();
	};
	const post = async (call: ReturnType<typeof delivery>) => {
		const started = Date.now();
		const response = await fetch(`${server!.url}/webhook/cx-shopify-events`, { method: 'POST', headers: call.headers, body: call.text });
		return { status: response.status, json: (await response.json()) as Record<string, unknown>, ms: Date.now() - started };
	};
	const mails = async (orderId: string) => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.custom_args?.cx_order === orderId);
	/** Waits until `check` holds (the work after the answer runs on), up to a minute. */
	const eventually = async (check: () => Promise<boolean>) => {
		for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 500))) if (await check()) return;
		throw new Error('the workflow did not finish its work within a minute');
	};

	beforeAll(async () => {
		await cleanUp();
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		// the store's Shopify credential with the app's webhook signing secret
		await n8n.importCredentials({ userFolder: folder.path, credentials: [
			{ id: 'cxShopifyLocal', name: 'Shopify (local stand-in)', type: 'cxShopifyAdminApi', data: { shopDomain: env.shopify.shopDomain, accessToken: env.shopify.accessToken, apiVersion: env.shopify.apiVersion, webhookSecret: SECRET } },
		] });
		// as of the stand-ins' anchor, the day the sample store's history ends: #1013 came late, #1016 is past its promise
		await n8n.importWorkflows({ userFolder: folder.path, files: [workflowAsOf(WORKFLOW, folder.path, env.anchor)] });
		await n8n.publishWorkflow({ userFolder: folder.path, id: 'cxShopifyEvents1' });
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
		await cleanUp();
		folder.done(1);
	});

	it('refuses unsigned and forged calls; acts once on each event however often Shopify delivers it, after answering', async () => {
		server = await n8n.startN8n({ userFolder: folder.path, port: Number(process.env.N8N_PORT) || (await n8n.freePort()) });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-shopify-events' });
		const shop = env.shopify.shopDomain;

		// not signed, or signed with another app's secret: 401 with the reason, nothing recorded or done
		const unsigned = await post(delivery('orders/updated', order(5013, '#1013', 'delivered'), eventIds.forged, shop, null));
		expect(unsigned).toMatchObject({ status: 401, json: { refused: ['Item 0: delivery refused: the Shopify signature header "x-shopify-hmac-sha256" is missing'] } });
		const forged = await post(delivery('orders/updated', order(5013, '#1013', 'delivered'), eventIds.forged, shop, 'shpss_another_apps_secret'));
		expect(forged).toMatchObject({ status: 401, json: { refused: ['Item 0: delivery refused: the Shopify signature (header "x-shopify-hmac-sha256") does not match the body'] } });

		// #1013 delivered, 8 days after its promise: answered at once, then compensated
		const delivered = delivery('orders/updated', order(5013, '#1013', 'delivered'), eventIds.delivered, shop);
		const first = await post(delivered);
		expect(first).toMatchObject({ status: 200, json: { received: 1, routes: ['delivered'] } });
		expect(first.ms).toBeLessThan(5000);
		await eventually(async () => (await mails(LATE_DELIVERED)).length > 0);
		// Shopify retries the call, and the same event comes through a second subscription: duplicates, nothing again
		expect(await post(delivered)).toMatchObject({ status: 200, json: { received: 1, routes: ['duplicate'] } });
		expect(await post(delivery('orders/updated', order(5013, '#1013', 'delivered'), eventIds.delivered, shop, SECRET, '0f6f1a7e-7d3b-4c1b-9a55-2f0e9d8c7b61'))).toMatchObject({ status: 200, json: { routes: ['duplicate'] } });

		// #1016's parcel still in transit past its promise: told once, before the customer asks
		const moving = delivery('fulfillments/update', { id: 50160, order_id: 5016, status: 'success', shipment_status: 'in_transit' }, eventIds.shipping, shop);
		expect(await post(moving)).toMatchObject({ status: 200, json: { received: 1, routes: ['shipping_update'] } });
		await eventually(async () => (await mails(PAST_PROMISE)).length > 0);
		expect(await post(moving)).toMatchObject({ status: 200, json: { routes: ['duplicate'] } });

		// a refund is recorded, nothing else
		expect(await post(delivery('refunds/create', { id: 9001, order_id: 5020, note: 'Customer changed their mind' }, eventIds.refund, shop))).toMatchObject({ status: 200, json: { routes: ['refund'] } });

		// give a duplicate's work, had there been any, the time the first one's took
		await new Promise((resolve) => setTimeout(resolve, 5000));
		const { data: ledger } = await supabase.from('compensation_ledger').select('order_id, status, payout_reference').eq('order_id', LATE_DELIVERED);
		expect(ledger).toEqual([{ order_id: LATE_DELIVERED, status: 'completed', payout_reference: expect.any(String) }]);
		const apology = await mails(LATE_DELIVERED);
		expect(apology).toHaveLength(1);
		const { data: notices } = await supabase.from('late_notices').select('order_id, reason').eq('order_id', PAST_PROMISE);
		expect(notices).toEqual([{ order_id: PAST_PROMISE, reason: 'past_promise_undelivered' }]);
		const told = await mails(PAST_PROMISE);
		expect(told.map((message) => message.deliveries[0].subject)).toEqual(['Your order #1016 is running late']);

		const { data: events } = await supabase.from('shopify_events').select('event_id, topic, order_id, route, shop_domain').in('event_id', Object.values(eventIds)).order('event_id');
		expect(events).toEqual([
			{ event_id: eventIds.delivered, topic: 'orders/updated', order_id: LATE_DELIVERED, route: 'delivered', shop_domain: shop },
			{ event_id: eventIds.refund, topic: 'refunds/create', order_id: 'gid://shopify/Order/5020', route: 'refund', shop_domain: shop },
			{ event_id: eventIds.shipping, topic: 'fulfillments/update', order_id: PAST_PROMISE, route: 'shipping_update', shop_domain: shop },
		]);
		folder.passed();
	}, 600_000);
});

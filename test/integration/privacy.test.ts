/**
 * Privacy requests through Shopify's compliance webhooks, signed as Shopify signs them, into CX Shopify Events
 * against the stand-ins: customers/data_request exports every row the pack holds about the customer, recorded with
 * its 30-day due date; customers/redact erases the customer's personal data in every table (a scan of every row of
 * every table finds nothing of theirs, while another customer's rows and the amounts stay), keeps them from being
 * contacted again, and a repeated delivery changes nothing; shop/redact erases everyone's.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxShopifyEvents } from '../../nodes/CxShopifyEvents/CxShopifyEvents.node';
import { CxTicketTriage } from '../../nodes/CxTicketTriage/CxTicketTriage.node';
import { CxWinBack } from '../../nodes/CxWinBack/CxWinBack.node';
import { executeContext } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

const SECRET = 'privacy-webhook-secret';
const run = randomUUID().slice(0, 8);
const NOW = fromAnchor(1, '09:00');
/** Two synthetic customers: the one who asks, and one who does not. */
const asker = { id: 770000 + Math.floor(Math.random() * 1000), email: `nadia.${run}@example-store.test`, note: `nadia-private-${run}`, key: randomUUID().slice(0, 8), order: 5100001 };
const other = { id: 880000 + Math.floor(Math.random() * 1000), email: `omar.${run}@example-store.test`, note: `omar-private-${run}`, key: randomUUID().slice(0, 8), order: 5200001 };
const gid = (id: number) => `gid://shopify/Customer/${id}`;
const orderGid = (id: number) => `gid://shopify/Order/${id}`;

/** A delivery as n8n's Webhook node hands it over (Raw Body on), signed with SECRET. */
function delivery(topic: string, body: IDataObject, eventId = randomUUID()): INodeExecutionData {
	const raw = Buffer.from(JSON.stringify(body));
	return {
		json: {
			headers: {
				'x-shopify-topic': topic,
				'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(raw).digest('base64'),
				'x-shopify-shop-domain': 'example-store.myshopify.com',
				'x-shopify-webhook-id': randomUUID(),
				'x-shopify-event-id': eventId,
				'x-shopify-triggered-at': NOW,
			},
			body,
		},
		binary: { data: { data: raw.toString('base64'), mimeType: 'application/json' } as never },
	};
}

describe('privacy requests from Shopify\'s compliance webhooks', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const receive = async (input: INodeExecutionData[]) => {
		const context = executeContext({ parameters: { options: { now: NOW } }, shopifyCredential: { shopDomain: env.shopify.shopDomain, accessToken: env.shopify.accessToken, apiVersion: env.shopify.apiVersion, webhookSecret: SECRET } });
		(context as unknown as { getInputData: () => INodeExecutionData[] }).getInputData = () => input;
		(context as unknown as { helpers: IDataObject }).helpers = { getBinaryDataBuffer: async (index: number) => Buffer.from(String((input[index].binary!.data as unknown as { data: string }).data), 'base64') };
		const [items] = (await new CxShopifyEvents().execute.call(context)) as INodeExecutionData[][];
		return items.map((item) => item.json);
	};
	/** Every row of every table of the pack's schema, as text: what a scan for a customer reads. */
	const everything = async () => {
		const { Client } = require('pg') as { Client: new (options: { connectionString: string }) => { connect(): Promise<void>; query(text: string): Promise<{ rows: Array<Record<string, string>> }>; end(): Promise<void> } };
		const db = new Client({ connectionString: env.supabase.dbUrl });
		await db.connect();
		try {
			const { rows: tables } = await db.query(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`);
			const text: Record<string, string> = {};
			for (const { table_name: table } of tables) {
				const { rows } = await db.query(`select coalesce(string_agg(to_jsonb(t)::text, E'\\n'), '') as dump from public."${table}" t`);
				text[table] = rows[0].dump;
			}
			return text;
		} finally {
			await db.end();
		}
	};
	const traces = (dump: Record<string, string>, who: typeof asker) =>
		Object.entries(dump).filter(([, text]) => [who.email, String(who.id), who.note].some((needle) => text.toLowerCase().includes(needle.toLowerCase()))).map(([table]) => table);

	/** One customer's rows in every table the pack writes, each carrying their address, id, order or words. */
	async function seed(who: typeof asker, orderId: number): Promise<void> {
		const insert = async (table: string, rows: IDataObject[]) => {
			const { error } = await supabase.from(table).insert(rows);
			if (error) throw new Error(`${table}: ${error.message}`);
		};
		// the records' own ids (ticket, key, token) are the store's, not the customer's: nothing in them names the customer
		const ticket = `priv-${who.key}`;
		await insert('tickets', [{ external_id: ticket, channel: 'email', subject: `About ${who.note}`, body: `Hello, this is ${who.note}, my frame arrived cracked`, customer_id: gid(who.id), customer_email: who.email.toUpperCase(), order_id: orderGid(orderId), status: 'open', request: { body: who.note }, triage: { words: [who.note] } }]);
		await insert('ticket_events', [{ source: 'helpdesk', event_id: `ev-${ticket}`, ticket_external_id: ticket, kind: 'customer_reply', actor: who.email, occurred_at: NOW, payload: { text: who.note } }]);
		await insert('escalations', [{ ticket_external_id: ticket, level: 1, customer_id: gid(who.id), customer_email: who.email, tier: 'vip', priority: 'high', reasons: ['vip'], recipients: ['support-lead@example-store.test'], status: 'notified' }]);
		await insert('compensation_ledger', [{ order_id: orderGid(orderId), reason: 'shipping_delay', policy_version: 'v1', customer_id: gid(who.id), customer_email: who.email, amount_cents: 1500, currency: 'USD', method: 'discountCode', status: 'completed', idempotency_key: `cx-priv-${who.key}`, order_name: `#P${who.key}` }]);
		await insert('late_notices', [{ order_id: orderGid(orderId), order_name: `#P${who.key}`, customer_id: gid(who.id), customer_email: who.email, reason: 'past_promise_undelivered', promised_delivery_date: fromAnchor(-3) }]);
		await insert('survey_invites', [
			{ token: `tok-sent-${ticket}`, order_id: orderGid(orderId), order_name: `#P${who.key}`, customer_id: gid(who.id), customer_email: who.email, type: 'csat', status: 'sent' },
			{ token: `tok-pending-${ticket}`, order_id: orderGid(orderId + 1), customer_id: String(who.id), customer_email: who.email, type: 'nps', status: 'pending' },
		]);
		await insert('survey_responses', [{ external_id: `resp-${ticket}`, customer_id: gid(who.id), customer_email: who.email, order_id: orderGid(orderId), type: 'csat', score: 2, comment: `Not happy, ${who.note}`, responded_at: NOW }]);
		await insert('feedback_items', [{ source: 'ticket', source_id: ticket, customer_id: gid(who.id), summary: `Customer ${who.note} wants a call`, status: 'open' }]);
		await insert('winback_sends', [{ customer_id: gid(who.id), customer_email: who.email, campaign_window: `2026-W-${who.key}`, segment: 'at_risk', offer: '15%', status: 'sent', message_id: `m-${ticket}` }]);
		await insert('customer_health_scores', [{ customer_id: gid(who.id), score: 40, band: 'red', components: {}, scored_on: NOW.slice(0, 10), scored_at: NOW }]);
		await insert('customer_context', [{ customer_id: gid(who.id), customer_email: who.email.toUpperCase(), first_name: who.note, tags: ['VIP'], amount_spent_cents: 150000, currency: 'USD', number_of_orders: 4, latest_order: { id: orderGid(orderId), name: `#P${who.key}`, fulfillmentStatus: 'FULFILLED' }, fetched_at: NOW, last_name: who.note, phone: '+15555550100', recent_orders: [{ id: orderGid(orderId), name: `#P${who.key}`, fulfillmentStatus: 'FULFILLED', total: { cents: 4500, currency: 'USD' } }], detail_fetched_at: NOW }]);
		// nothing of the customer but their order's id: exported with the order, nothing to erase
		await insert('return_decisions', [{ return_key: `gid://shopify/Return/${orderId}`, step: 'decide', return_id: `gid://shopify/Return/${orderId}`, order_id: orderGid(orderId), source: 'shopify_return', outcome: 'approve', resolution: 'exchange', fault: 'customer', return_reasons: ['COLOR'], currency: 'USD', returned_cents: 4200, decision: { outcome: 'approve' }, created_at: NOW }]);
	}

	beforeAll(async () => {
		await seed(asker, asker.order);
		await seed(other, other.order);
	});

	it('a data request exports every row held about the customer, and is recorded with its due date 30 days on', async () => {
		const [item] = await receive([delivery('customers/data_request', { shop_id: 1, shop_domain: 'example-store.myshopify.com', orders_requested: [asker.order], customer: { id: asker.id, email: asker.email, phone: null }, data_request: { id: 4242 + asker.id } })]);
		const privacy = item.privacy as IDataObject & { export: Record<string, IDataObject[]> };
		expect(item.route).toBe('privacy');
		expect(privacy).toMatchObject({ kind: 'customers/data_request', received_at: NOW, due_at: fromAnchor(31, '09:00'), completed_at: NOW });
		expect(privacy.exported).toEqual({
			tickets: 1, ticket_events: 1, escalations: 1, compensation_ledger: 1, compensation_ledger_superseded: 0, late_notices: 1,
			survey_invites: 2, survey_responses: 1, feedback_items: 1, winback_sends: 1, customer_health_scores: 1, customer_context: 1,
			return_decisions: 1,
		});
		expect(JSON.stringify(privacy.export)).toContain(asker.note);
		expect(JSON.stringify(privacy.export)).not.toContain(other.email);
		const { data: requests } = await supabase.from('privacy_requests').select('kind, reference, due_at, completed_at').eq('reference', String(4242 + asker.id));
		expect(requests).toEqual([{ kind: 'customers/data_request', reference: String(4242 + asker.id), due_at: expect.stringMatching(/^\d{4}-/), completed_at: expect.stringMatching(/^\d{4}-/) }]);
	});

	it('a redaction leaves nothing of the customer in any table, keeps the amounts and the other customer, and a repeat changes nothing', async () => {
		expect(traces(await everything(), asker).sort()).toEqual(['compensation_ledger', 'customer_context', 'customer_health_scores', 'escalations', 'feedback_items', 'late_notices', 'privacy_requests', 'survey_invites', 'survey_responses', 'ticket_events', 'tickets', 'winback_sends'].filter((table) => table !== 'privacy_requests'));
		const redact = delivery('customers/redact', { shop_id: 1, shop_domain: 'example-store.myshopify.com', customer: { id: asker.id, email: asker.email, phone: null }, orders_to_redact: [asker.order, asker.order + 1] });
		const [item] = await receive([redact]);
		expect((item.privacy as IDataObject).erased).toEqual({
			tickets: 1, ticket_events: 1, escalations: 1, compensation_ledger: 1, compensation_ledger_superseded: 0, late_notices: 1,
			survey_invites: 2, survey_responses: 1, feedback_items: 1, winback_sends: 1, customer_health_scores: 1, customer_context: 1,
		});
		const dump = await everything();
		expect(traces(dump, asker)).toEqual([]);
		// the other customer is untouched, in every table that held them
		expect(traces(dump, other).sort()).toEqual(['compensation_ledger', 'customer_context', 'customer_health_scores', 'escalations', 'feedback_items', 'late_notices', 'survey_invites', 'survey_responses', 'ticket_events', 'tickets', 'winback_sends']);
		// what accounting keeps: the amount paid, under a pseudonym shared by the customer's rows
		const { data: paid } = await supabase.from('compensation_ledger').select('customer_id, customer_email, amount_cents, status').eq('idempotency_key', `cx-priv-${asker.key}`).single();
		expect(paid).toMatchObject({ customer_email: null, amount_cents: 1500, status: 'completed', customer_id: expect.stringMatching(/^erased:/) });
		const { data: ticket } = await supabase.from('tickets').select('customer_id').eq('external_id', `priv-${asker.key}`).single();
		expect(ticket!.customer_id).toBe(paid!.customer_id);

		// Shopify delivers it again: nothing more to change, and no error
		const [again] = await receive([redact]);
		expect(again.route).toBe('duplicate');
		expect(Object.values((again.privacy as IDataObject).erased as Record<string, number>).every((count) => count === 0)).toBe(true);
	});

	it('an erased customer is not mailed by a win-back campaign, though the store still lists them', async () => {
		const customer = { customer_id: gid(asker.id), email: asker.email, first_name: 'Nadia', marketing_consent: 'SUBSCRIBED', currency: 'USD', orders_count: 4, total_spent: 420, order_dates: [fromAnchor(-400), fromAnchor(-300), fromAnchor(-250), fromAnchor(-200)] };
		const [customers, summary] = (await new CxWinBack().execute.call(
			executeContext({ items: [customer], parameters: { source: 'items', dryRun: true, unsubscribeGroupId: 1, options: { now: NOW } } }),
		)) as INodeExecutionData[][];
		expect(customers).toEqual([]);
		expect((summary[0].json.suppressed as IDataObject).erased_on_request).toBe(1);
	});

	it('an erased customer\'s Shopify profile is not cached again when they write to the store', async () => {
		const ticket = { id: `priv-again-${asker.key}`, channel: 'email', customer_id: String(asker.id), customer_email: asker.email, subject: 'Hello again', body: 'Where are your shops?' };
		await new CxTicketTriage().execute.call(executeContext({ items: [ticket], parameters: { enrichFromShopify: true, storeInSupabase: true, options: { now: NOW, customerCacheMinutes: 15 } } }));
		// as a triage that read Shopify before the erasure would write it: the table refuses the erased customer
		const { error } = await supabase.from('customer_context').upsert([{ customer_id: gid(asker.id), customer_email: asker.email, tags: [], amount_spent_cents: 1, currency: 'USD', number_of_orders: 1, fetched_at: NOW }]);
		expect(error).toBeNull();
		expect(traces(await everything(), asker).filter((table) => table !== 'tickets')).toEqual([]);
		await supabase.from('tickets').delete().eq('external_id', ticket.id);
	});

	it('a shop redaction erases every customer\'s personal data', async () => {
		const [item] = await receive([delivery('shop/redact', { shop_id: 1, shop_domain: 'example-store.myshopify.com' })]);
		expect(item.route).toBe('privacy');
		const dump = await everything();
		expect(traces(dump, other)).toEqual([]);
		expect(traces(dump, asker)).toEqual([]);
		expect((item.privacy as IDataObject).erased).toMatchObject({ customer_context: 1 });
		expect((await supabase.from('customer_context').select('customer_id')).data).toEqual([]);
	});
});

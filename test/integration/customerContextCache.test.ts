/**
 * CX Ticket Triage's customer cache (customer_context) against the stand-ins, through the real SDKs: a burst of
 * tickets, each in its own run as the intake webhook runs them, asks Shopify once per customer within the window
 * and not at all for a customer read inside it; an entry older than the window is read again; the decisions (tier,
 * VIP escalation, everything triage says) are the same with the cache as without it; an erased customer is never
 * cached.
 */
import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxTicketTriage } from '../../nodes/CxTicketTriage/CxTicketTriage.node';
import { CxVipEscalation } from '../../nodes/CxVipEscalation/CxVipEscalation.node';
import { subjectKeys } from '../../nodes/shared/store/privacy';
import { executeContext, standin } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

interface ShopifyState {
	graphqlRequests: number;
	queryPoints: { pointsSpent: number; throttled: number; byOperation: Record<string, { requests: number; points: number }> };
}
interface Message { body: { custom_args?: Record<string, string> }; deliveries: Array<{ content: Array<{ type: string; value: string }> }> }

const NOW = fromAnchor(19, '12:00');
const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** Four customers of the sample store (by address, and one also by id), three tickets each: twelve tickets. */
const CUSTOMERS = [
	{ customer_email: 'vip.tagged@example-store.test' },
	{ customer_id: '1002' },
	{ customer_email: 'Premium.Buyer@example-store.test' },
	{ customer_email: 'regular.buyer@example-store.test' },
];
const BODIES = [
	{ subject: 'Sizes', body: 'What sizes do you offer for the large print?' },
	{ subject: 'Wrong size', body: 'I received the wrong size, please exchange it.' },
	{ subject: 'Damaged', body: 'The frame arrived cracked and I want a refund.' },
];
const BURST: IDataObject[] = BODIES.flatMap((text, round) =>
	CUSTOMERS.map((customer, index) => ({ id: `cache-${round}-${index}`, channel: 'email', created_at: fromAnchor(19, '11:00'), ...customer, ...text })),
);

describe('CX Ticket Triage\'s customer cache, against the stand-ins', () => {
	const env = standinsEnv();
	const admin = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const shopify = () => standin<ShopifyState>('shopify', '/__standin/state');

	const triage = async (items: IDataObject[], options: IDataObject) =>
		(await new CxTicketTriage().execute.call(
			executeContext({ items, parameters: { enrichFromShopify: true, storeInSupabase: true, options } }),
		)) as INodeExecutionData[][];
	/** Each ticket in its own run, one after the other, as the intake webhook runs them; what Shopify was asked. */
	const burst = async (options: IDataObject) => {
		const before = await shopify();
		const results: Record<string, IDataObject> = {};
		for (const ticket of BURST) {
			const outputs = await triage([ticket], options);
			const [item] = outputs.flat();
			results[String(ticket.id)] = { ...item.json, output: outputs[0].length ? 'escalate' : 'queue' };
		}
		const after = await shopify();
		return {
			results,
			requests: after.graphqlRequests - before.graphqlRequests,
			points: after.queryPoints.pointsSpent - before.queryPoints.pointsSpent,
			throttled: after.queryPoints.throttled - before.queryPoints.throttled,
		};
	};
	const forget = async () => {
		await admin.from('tickets').delete().like('external_id', 'cache-%');
		await admin.from('escalations').delete().like('ticket_external_id', 'cache-%');
		await admin.from('customer_context').delete().neq('customer_id', '');
	};

	let uncached: Awaited<ReturnType<typeof burst>>;

	beforeAll(async () => {
		await forget();
		uncached = await burst({ now: NOW, customerCacheMinutes: 0 });
	});
	afterAll(forget);

	it('without the cache every ticket asks Shopify: 12 requests, 4 points each', () => {
		expect(uncached).toMatchObject({ requests: 12, points: 48, throttled: 0 });
		// the tiers the sample store gives, and the VIP's issue escalated
		expect(Object.fromEntries(Object.entries(uncached.results).map(([id, item]) => [id, (item.triage as IDataObject).tier]))).toMatchObject({
			'cache-0-0': 'vip', 'cache-0-1': 'vip', 'cache-0-2': 'premium', 'cache-0-3': 'regular',
		});
		expect(uncached.results['cache-1-0']).toMatchObject({ output: 'escalate', triage: { escalationReasons: expect.arrayContaining(['tier_vip']) } });
	});

	it('with the cache the burst asks Shopify once per customer (4 requests, 16 points), and decides every ticket the same', async () => {
		await forget();
		const cached = await burst({ now: NOW, customerCacheMinutes: 15 });
		expect(cached).toMatchObject({ requests: 4, points: 16, throttled: 0 });
		expect(cached.results).toEqual(uncached.results);

		const { data: rows } = await admin.from('customer_context').select('customer_id, customer_email, tags, amount_spent_cents, number_of_orders, fetched_at').order('customer_id');
		expect(rows!.map((row) => row.customer_id)).toEqual(['gid://shopify/Customer/1001', 'gid://shopify/Customer/1002', 'gid://shopify/Customer/1003', 'gid://shopify/Customer/1004']);
		expect(new Set(rows!.map((row) => new Date(String(row.fetched_at)).toISOString()))).toEqual(new Set([NOW]));
		// a customer's row holds no last name or phone: triage reads neither
		const { data: whole } = await admin.from('customer_context').select('*').eq('customer_id', 'gid://shopify/Customer/1001').single();
		expect(whole).toMatchObject({ last_name: null, phone: null, recent_orders: null, detail_fetched_at: null });
		expect(Object.keys(whole!).sort()).toEqual(['amount_spent_cents', 'currency', 'customer_email', 'customer_id', 'detail_fetched_at', 'email_key', 'fetched_at', 'first_name', 'last_name', 'latest_order', 'number_of_orders', 'phone', 'recent_orders', 'tags']);
	});

	it('within the window a second burst asks Shopify nothing; past it, each customer is read again', async () => {
		await admin.from('tickets').delete().like('external_id', 'cache-%');
		const warm = await burst({ now: minutesAfter(NOW, 14), customerCacheMinutes: 15 });
		expect(warm).toMatchObject({ requests: 0, points: 0 });

		// 15 minutes on the entries are stale: the whole burst in one run asks once, for all four, and stores them anew
		const before = await shopify();
		const later = minutesAfter(NOW, 15);
		await triage(BURST, { now: later, customerCacheMinutes: 15 });
		const after = await shopify();
		expect([after.graphqlRequests - before.graphqlRequests, after.queryPoints.pointsSpent - before.queryPoints.pointsSpent]).toEqual([1, 16]);
		const { data: rows } = await admin.from('customer_context').select('fetched_at');
		expect(rows!.map((row) => new Date(String(row.fetched_at)).toISOString())).toEqual(Array(4).fill(later));
	});

	it('a change in Shopify reaches triage once its customer\'s entry is older than the window', async () => {
		const at = minutesAfter(NOW, 60);
		const ticket = { ...BURST[3], id: 'cache-tagged' };
		expect((await triage([ticket], { now: at, customerCacheMinutes: 15 })).flat()[0].json.triage).toMatchObject({ tier: 'regular' });
		// the store tags the customer VIP
		await standin('shopify', `/admin/api/${env.shopify.apiVersion}/graphql.json`, {
			method: 'POST',
			body: JSON.stringify({ query: 'mutation { tagsAdd(id: "gid://shopify/Customer/1004", tags: ["VIP"]) { userErrors { message } } }' }),
		});
		expect((await triage([ticket], { now: minutesAfter(at, 10), customerCacheMinutes: 15 })).flat()[0].json.triage).toMatchObject({ tier: 'regular' });
		expect((await triage([ticket], { now: minutesAfter(at, 10), customerCacheMinutes: 0 })).flat()[0].json.triage).toMatchObject({ tier: 'vip' });
		expect((await triage([ticket], { now: minutesAfter(at, 16), customerCacheMinutes: 15 })).flat()[0].json.triage).toMatchObject({ tier: 'vip', tierSource: 'shopify' });
		await standin('shopify', '/__standin/reset', { method: 'POST' });
	});

	it('never holds a customer the pack has erased, even one written after the erasure', async () => {
		await forget();
		const erased = { id: 'gid://shopify/Customer/1003', email: 'premium.buyer@example-store.test' };
		await admin.from('erased_customers').insert(subjectKeys({ customerIds: [erased.id], emails: [erased.email] }).map((key) => ({ key_hash: key, erased_at: NOW })));
		try {
			const [item] = (await triage([BURST[2]], { now: NOW, customerCacheMinutes: 15 })).flat();
			// a customer who writes again is triaged from Shopify as before
			expect(item.json.triage).toMatchObject({ tier: 'premium', tierSource: 'shopify' });
			expect((await admin.from('customer_context').select('customer_id')).data).toEqual([]);
			// a triage that read Shopify before the erasure and writes after it: the table refuses the row
			await admin.from('customer_context').upsert([{ customer_id: erased.id, customer_email: 'Premium.Buyer@example-store.test', tags: [], amount_spent_cents: 1, currency: 'USD', number_of_orders: 1, fetched_at: NOW }]);
			await admin.from('customer_context').upsert([{ customer_id: 'gid://shopify/Customer/1004', customer_email: 'regular.buyer@example-store.test', tags: [], amount_spent_cents: 1, currency: 'USD', number_of_orders: 1, fetched_at: NOW }]);
			expect((await admin.from('customer_context').select('customer_id')).data).toEqual([{ customer_id: 'gid://shopify/Customer/1004' }]);
		} finally {
			await admin.from('erased_customers').delete().gte('erased_at', '1970-01-01');
		}
	});
});

describe('CX VIP Escalation reads the same cache, against the stand-ins', () => {
	const env = standinsEnv();
	const admin = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const VIP = 'gid://shopify/Customer/1001';
	const wrongSize = (n: number): IDataObject => ({ id: `cache-esc-${n}`, channel: 'email', created_at: fromAnchor(19, '11:00'), customer_email: 'vip.tagged@example-store.test', subject: 'Wrong size', body: 'I received the wrong size, please exchange it.' });
	const escalate = async (items: IDataObject[], now: string, customerCacheMinutes: number) =>
		(await new CxVipEscalation().execute.call(
			executeContext({
				items,
				parameters: { operation: 'escalate', recordInSupabase: true, notifyByEmail: true, useShopify: true, tagInShopify: true, tag: 'cx-escalated', recipientsLevel1: 'support-lead@example-store.test', options: { now, customerCacheMinutes } },
			}),
		)) as INodeExecutionData[][];
	/** What `work` asked of Shopify: customer reads, tag mutations, requests in all. */
	const asked = async <T>(work: () => Promise<T>) => {
		const before = await standin<ShopifyState>('shopify', '/__standin/state');
		const result = await work();
		const after = await standin<ShopifyState>('shopify', '/__standin/state');
		const of = (operation: string) => (after.queryPoints.byOperation[operation]?.requests ?? 0) - (before.queryPoints.byOperation[operation]?.requests ?? 0);
		return { result, profiles: of('CxCustomerProfiles'), tags: of('CxAddTags'), requests: after.graphqlRequests - before.graphqlRequests };
	};
	const escalationOf = (outputs: INodeExecutionData[][]) => outputs[0].map((item) => item.json.escalation as IDataObject);
	/** The escalation email's HTML for a ticket, its id written as TICKET so two tickets' emails compare. */
	const mailOf = async (ticketId: string) => {
		const [message] = (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((entry) => entry.body.custom_args?.cx_ticket === ticketId);
		return message.deliveries[0].content.find((block) => block.type === 'text/html')!.value.split(ticketId).join('TICKET');
	};
	const forget = async () => {
		await admin.from('tickets').delete().like('external_id', 'cache-esc-%');
		await admin.from('escalations').delete().like('ticket_external_id', 'cache-esc-%');
		await admin.from('customer_context').delete().neq('customer_id', '');
	};

	beforeAll(async () => {
		await forget();
		await standin('shopify', '/__standin/reset', { method: 'POST' });
	});
	afterAll(async () => {
		await forget();
		await standin('shopify', '/__standin/reset', { method: 'POST' });
	});

	it('a VIP triage read a moment before is read once more with the detail; escalated again in the window Shopify is asked nothing, the tag not added twice; past it, read again', async () => {
		await new CxTicketTriage().execute.call(executeContext({ items: [wrongSize(1)], parameters: { enrichFromShopify: true, storeInSupabase: true, options: { now: NOW } } }));
		// triage's row holds no last name, phone or orders: the escalation reads the customer with them, and tags them
		const first = await asked(() => escalate([wrongSize(1)], NOW, 15));
		expect(first).toMatchObject({ profiles: 1, tags: 1, requests: 2 });
		expect(escalationOf(first.result)).toEqual([expect.objectContaining({ status: 'notified', level: 1, tier: 'vip', tagged: [VIP] })]);
		const { data: row } = await admin.from('customer_context').select('tags, last_name, recent_orders, detail_fetched_at, fetched_at').eq('customer_id', VIP).single();
		expect(row!.tags).toContain('cx-escalated');
		expect(row!.last_name).toEqual(expect.any(String));
		expect(row!.recent_orders).toEqual(expect.arrayContaining([expect.objectContaining({ id: expect.stringMatching(/^gid:\/\/shopify\/Order\//), total: { cents: expect.any(Number), currency: 'USD' } })]));
		expect([row!.detail_fetched_at, row!.fetched_at].map((at) => new Date(String(at)).toISOString())).toEqual([NOW, NOW]);

		// 14 minutes on: the customer, the tag they carry and their orders from the cache; Shopify is asked nothing
		const again = await asked(() => escalate([wrongSize(2)], minutesAfter(NOW, 14), 15));
		expect(again).toMatchObject({ profiles: 0, tags: 0, requests: 0 });
		expect(escalationOf(again.result)).toEqual([expect.objectContaining({ status: 'notified', level: 1, tier: 'vip', tagged: [VIP] })]);

		// the same escalation without the cache decides and writes the same email
		const uncached = await asked(() => escalate([wrongSize(3)], minutesAfter(NOW, 14), 0));
		expect(uncached).toMatchObject({ profiles: 1, tags: 0 });
		const decided = (outputs: INodeExecutionData[][]) => escalationOf(outputs).map(({ ledgerId, messageId, ...rest }) => rest);
		expect(decided(uncached.result)).toEqual(decided(again.result));
		expect(await mailOf('cache-esc-2')).toEqual(await mailOf('cache-esc-3'));
		expect(await mailOf('cache-esc-2')).toContain('Recent orders');

		// 16 minutes on the entry is stale: read again, and stored anew
		const stale = await asked(() => escalate([wrongSize(4)], minutesAfter(NOW, 16), 15));
		expect(stale).toMatchObject({ profiles: 1, tags: 0 });
		const { data: renewed } = await admin.from('customer_context').select('detail_fetched_at').eq('customer_id', VIP).single();
		expect(new Date(String(renewed!.detail_fetched_at)).toISOString()).toBe(minutesAfter(NOW, 16));
	});
});

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
import { subjectKeys } from '../../nodes/shared/store/privacy';
import { executeContext, standin } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

interface ShopifyState {
	graphqlRequests: number;
	queryPoints: { pointsSpent: number; throttled: number };
}

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
		expect(Object.keys(whole!).sort()).toEqual(['amount_spent_cents', 'currency', 'customer_email', 'customer_id', 'email_key', 'fetched_at', 'first_name', 'latest_order', 'number_of_orders', 'tags']);
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

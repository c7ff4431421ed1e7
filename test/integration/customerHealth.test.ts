import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxCustomerHealth } from '../../nodes/CxCustomerHealth/CxCustomerHealth.node';
import { executeContext } from '../support/context';
import { standinsEnv } from '../support/standins';

// this run's own customers, tickets and ledger rows: nothing another suite wrote is counted or removed
const run = `${Date.now() % 1_000_000}${Math.floor(Math.random() * 1000)}`;
const firstId = `77${run}1`;
const secondId = `77${run}2`;
const firstGid = `gid://shopify/Customer/${firstId}`;
const secondGid = `gid://shopify/Customer/${secondId}`;
const dayOne = '2026-10-01T09:00:00.000Z';
const dayTwo = '2026-10-08T09:00:00.000Z';

const score = (now: string, items: IDataObject[], parameters: IDataObject = {}) =>
	new CxCustomerHealth().execute.call(
		executeContext({ items, parameters: { source: 'items', supabaseSignals: true, storeScores: true, ...parameters, options: { now } } }),
	);
const all = (outputs: INodeExecutionData[][]) => outputs.flat();
const healthOf = (outputs: INodeExecutionData[][], customerId: string) => {
	const item = all(outputs).find((entry) => entry.json.customer_id === customerId);
	if (!item) throw new Error(`no output item for ${customerId}`);
	return item.json.health as IDataObject & { components: Record<string, IDataObject> };
};

// the first customer's signals live in Supabase, stored under both id forms; the second's item carries its own
const first: IDataObject = {
	customer_id: firstGid,
	email: `first.${run}@example-store.test`,
	first_name: 'Fay',
	amount_spent: 300,
	currency: 'USD',
	email_marketing_consent: 'SUBSCRIBED',
	order_dates: ['2026-08-15T00:00:00Z', '2026-05-01T00:00:00Z', '2026-01-10T00:00:00Z'],
};
const second: IDataObject = {
	customer_id: secondId,
	email: `second.${run}@example-store.test`,
	amount_spent: '1200.00',
	order_dates: ['2026-09-25T00:00:00Z', '2026-08-01T00:00:00Z', '2026-06-01T00:00:00Z', '2026-04-01T00:00:00Z', '2026-02-01T00:00:00Z', '2025-12-01T00:00:00Z'],
	latest_csat: 5,
	open_tickets: 0,
};

describe('CX Customer Health against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const storedRows = async (customerId: string) => {
		const { data, error } = await supabase.from('customer_health_scores').select('customer_id, score, band, components, scored_on, scored_at').eq('customer_id', customerId).order('scored_on');
		if (error) throw new Error(error.message);
		return data as IDataObject[];
	};
	const insert = async (table: string, rows: IDataObject[]) => {
		const { error } = await supabase.from(table).insert(rows);
		if (error) throw new Error(`${table}: ${error.message}`);
	};

	beforeAll(async () => {
		await insert('tickets', [
			{ external_id: `health-${run}-1`, customer_id: firstId, status: 'open' },
			{ external_id: `health-${run}-2`, customer_id: firstGid, status: 'pending' },
			{ external_id: `health-${run}-3`, customer_id: firstId, status: 'solved' },
			// the second customer's item says 0 open tickets: the item wins
			{ external_id: `health-${run}-4`, customer_id: secondGid, status: 'open' },
		]);
		await insert('survey_responses', [
			{ external_id: `health-${run}-csat-1`, customer_id: firstId, type: 'csat', score: 2, responded_at: '2026-09-01T10:00:00Z' },
			{ external_id: `health-${run}-csat-2`, customer_id: firstGid, type: 'csat', score: 4, responded_at: '2026-09-20T10:00:00Z' },
			{ external_id: `health-${run}-nps-1`, customer_id: firstId, type: 'nps', score: 3, responded_at: '2026-09-10T10:00:00Z' },
			// answered between the two days: the second day's score sees it, the first day's does not
			{ external_id: `health-${run}-csat-3`, customer_id: firstId, type: 'csat', score: 1, responded_at: '2026-10-05T10:00:00Z' },
			{ external_id: `health-${run}-csat-4`, customer_id: secondId, type: 'csat', score: 1, responded_at: '2026-09-28T10:00:00Z' },
		]);
		const ledger = (order: string, change: IDataObject) => ({
			order_id: `health-${run}-${order}`,
			reason: 'shipping_delay',
			policy_version: 'v1',
			customer_id: firstGid,
			amount_cents: 2500,
			currency: 'USD',
			method: 'discountCode',
			status: 'completed',
			created_at: '2026-08-01T12:00:00Z',
			...change,
		});
		await insert('compensation_ledger', [
			ledger('late', {}),
			// the same late order under another policy version is still one late delivery
			ledger('late', { policy_version: 'v2', status: 'needs_approval', customer_id: firstId }),
			ledger('skipped', { status: 'skipped' }),
			ledger('last-year', { created_at: '2025-09-01T12:00:00Z' }),
			ledger('fault', { reason: 'product_fault' }),
		]);
	});

	afterAll(async () => {
		await supabase.from('tickets').delete().like('external_id', `health-${run}-%`);
		await supabase.from('survey_responses').delete().like('external_id', `health-${run}-%`);
		await supabase.from('compensation_ledger').delete().like('order_id', `health-${run}-%`);
		await supabase.from('customer_health_scores').delete().in('customer_id', [firstGid, secondGid]);
	});

	it('reads the Supabase signals, scores with every component, and stores one row per customer and day', async () => {
		const outputs = await score(dayOne, [first, second]);
		const [red, yellow, green] = outputs;
		expect([red.length, yellow.length, green.length]).toEqual([0, 1, 1]);
		const firstHealth = healthOf(outputs, firstGid);
		// recency 47 days: 87.12 -> 21.78; 3 orders: 7.5; $300: 4.5; latest CSAT 4 (Sep 20): 15;
		// 2 open tickets (open, pending; solved left out): 3.2; no refunds: 10; 1 late order: 2.5 -> 64.48
		expect(firstHealth).toMatchObject({ score: 64, band: 'yellow', trend: 'new', change: null, previousScore: null, scoredOn: '2026-10-01', stored: true });
		expect(firstHealth.components).toMatchObject({
			satisfaction: { value: 75, detail: 'csat_4_of_5' },
			openTickets: { value: 32, detail: '2_open_tickets' },
			delays: { value: 50, detail: '1_late_delivery_in_last_365_days' },
		});
		expect(yellow[0].json).toMatchObject({ customer_id: firstGid, first_name: 'Fay', latest_csat: 4, latest_nps: 3, open_tickets: 2, late_deliveries_last_365: 1 });
		expect(yellow[0].pairedItem).toEqual({ item: 0 });
		// the item's CSAT 5 and 0 open tickets win over Supabase's 1 and 1
		expect(healthOf(outputs, secondId)).toMatchObject({ score: 100, band: 'green', components: { satisfaction: { detail: 'csat_5_of_5' }, openTickets: { value: 100 } } });
		expect(green[0].pairedItem).toEqual({ item: 1 });

		// an operator's check: the table holds today's score with its components, under the customer's GID
		expect(await storedRows(firstGid)).toEqual([
			{ customer_id: firstGid, score: 64, band: 'yellow', components: firstHealth.components, scored_on: '2026-10-01', scored_at: '2026-10-01T09:00:00+00:00' },
		]);
		expect(await storedRows(secondGid)).toEqual([expect.objectContaining({ score: 100, band: 'green', scored_on: '2026-10-01' })]);
	});

	it('a rerun the same day replaces the day\'s score and still has no earlier score to compare with', async () => {
		await supabase.from('tickets').update({ status: 'solved' }).eq('external_id', `health-${run}-2`);
		const outputs = await score('2026-10-01T18:00:00.000Z', [first, second]);
		// one open ticket now: 66 -> 6.6 instead of 3.2 -> 67.88
		expect(healthOf(outputs, firstGid)).toMatchObject({ score: 68, band: 'yellow', trend: 'new', previousScore: null });
		expect(await storedRows(firstGid)).toEqual([expect.objectContaining({ score: 68, scored_on: '2026-10-01', scored_at: '2026-10-01T18:00:00+00:00' })]);
		expect(await storedRows(secondGid)).toHaveLength(1);
	});

	it('a run on a later day shows the trend against the stored score and keeps both days', async () => {
		await supabase.from('tickets').update({ status: 'open' }).eq('external_id', `health-${run}-2`);
		const outputs = await score(dayTwo, [first, second]);
		const firstHealth = healthOf(outputs, firstGid);
		// recency 54 days: 85.21 -> 21.3; the CSAT 1 of Oct 5 is now the latest: 0; the ticket reopened, two open
		// again: 3.2 -> 21.3 + 7.5 + 4.5 + 0 + 3.2 + 10 + 2.5 = 49, red, 19 below 68
		expect(firstHealth).toMatchObject({ score: 49, band: 'red', trend: 'down', change: -19, previousScore: 68, previousScoredOn: '2026-10-01', scoredOn: '2026-10-08' });
		expect(firstHealth.reasons).toEqual(expect.arrayContaining(['weak_satisfaction:csat_1_of_5', 'trend_down:-19']));
		expect(firstHealth.summary).toBe('Health 49 of 100 (red), down 19 from 68; weakest: satisfaction, spend, openTickets.');
		expect(outputs[0].map((item) => item.json.customer_id)).toEqual([firstGid]);
		// the second customer was given as the bare number; its stored score was found all the same (13 days: 99)
		expect(healthOf(outputs, secondId)).toMatchObject({ score: 99, trend: 'stable', change: -1, previousScore: 100 });
		expect((await storedRows(firstGid)).map((row) => [row.scored_on, row.score, row.band])).toEqual([
			['2026-10-01', 68, 'yellow'],
			['2026-10-08', 49, 'red'],
		]);
	});

	it('without Store Scores reads the trend and leaves the table as it was', async () => {
		const outputs = await score('2026-10-09T09:00:00.000Z', [first], { storeScores: false });
		expect(healthOf(outputs, firstGid)).toMatchObject({ previousScore: 49, previousScoredOn: '2026-10-08', stored: false });
		expect(await storedRows(firstGid)).toHaveLength(2);
	});

	it('scores the whole Shopify store from one bulk read and stores every customer once', async () => {
		const day = '2026-11-01';
		const fetchSpy = jest.spyOn(globalThis, 'fetch');
		let supabaseRequests = 0;
		const outputs = await score(`${day}T12:00:00.000Z`, [{}], { source: 'shopify', storeScores: true }).finally(() => {
			supabaseRequests = fetchSpy.mock.calls.filter(([url]) => String(url instanceof Request ? url.url : url).startsWith(env.supabase.url)).length;
			fetchSpy.mockRestore();
		});
		const items = all(outputs);
		const ids = items.map((item) => String(item.json.customer_id));
		try {
			expect(items.length).toBeGreaterThanOrEqual(300);
			// every id in two forms, 100 a request: four reads of ceil(2N / 100) requests each, and one upsert per 500 scores
			expect(supabaseRequests).toBe(4 * Math.ceil((2 * ids.length) / 100) + Math.ceil(ids.length / 500));
			expect(new Set(ids).size).toBe(ids.length);
			expect(new Set(items.map((item) => JSON.stringify(item.pairedItem)))).toEqual(new Set(['{"item":0}']));
			expect(outputs.map((output) => [...new Set(output.map((item) => (item.json.health as IDataObject).band))])).toEqual([['red'], ['yellow'], ['green']]);
			const refunded = healthOf(outputs, 'gid://shopify/Customer/1010');
			expect(refunded.components.refunds).toMatchObject({ value: 50, detail: '1_refund_in_last_365_days' });
			expect(healthOf(outputs, 'gid://shopify/Customer/1005').components.recency).toMatchObject({ detail: '300_days_since_last_order' });
			const { count } = await supabase.from('customer_health_scores').select('*', { count: 'exact', head: true }).eq('scored_on', day).like('customer_id', 'gid://shopify/Customer/%');
			expect(count).toBe(ids.length);
		} finally {
			for (let i = 0; i < ids.length; i += 100) await supabase.from('customer_health_scores').delete().eq('scored_on', day).in('customer_id', ids.slice(i, i + 100));
		}
	});
});

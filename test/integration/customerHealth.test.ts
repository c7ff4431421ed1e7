import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxCustomerHealth } from '../../nodes/CxCustomerHealth/CxCustomerHealth.node';
import { readStoredSignals } from '../../nodes/CxCustomerHealth/healthRun';
import { SupabaseService } from '../../nodes/shared/services/supabase';
import { executeContext } from '../support/context';
import { dayFromAnchor, fromAnchor, standinsEnv, storedTime } from '../support/standins';

// this run's own customers, tickets and ledger rows: nothing another suite wrote is counted or removed
const run = `${Date.now() % 1_000_000}${Math.floor(Math.random() * 1000)}`;
const firstId = `77${run}1`;
const secondId = `77${run}2`;
const firstGid = `gid://shopify/Customer/${firstId}`;
const secondGid = `gid://shopify/Customer/${secondId}`;
const dayOne = fromAnchor(-31, '09:00');
const dayTwo = fromAnchor(-24, '09:00');

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
	order_dates: [fromAnchor(-78), fromAnchor(-184), fromAnchor(-295)],
};
const second: IDataObject = {
	customer_id: secondId,
	email: `second.${run}@example-store.test`,
	amount_spent: '1200.00',
	order_dates: [fromAnchor(-37), fromAnchor(-92), fromAnchor(-153), fromAnchor(-214), fromAnchor(-273), fromAnchor(-335)],
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
	/** What `work` asked of Supabase, in HTTP requests. */
	const supabaseRequestsOf = async <T>(work: () => Promise<T>): Promise<{ result: T; requests: number }> => {
		const fetchSpy = jest.spyOn(globalThis, 'fetch');
		try {
			const result = await work();
			return { result, requests: fetchSpy.mock.calls.filter(([url]) => String(url instanceof Request ? url.url : url).startsWith(env.supabase.url)).length };
		} finally {
			fetchSpy.mockRestore();
		}
	};
	/** The rows a whole-store read takes at `now`, per signal: what Supabase holds, whoever the customers are. */
	const wholeReadRows = async (now: string) => {
		const since = new Date(Date.parse(now) - 365 * 86_400_000).toISOString();
		const counted = async (query: PromiseLike<{ count: number | null; error: { message: string } | null }>) => {
			const { count, error } = await query;
			if (error) throw new Error(error.message);
			return count ?? 0;
		};
		const head = { count: 'exact', head: true } as const;
		// page by page after the last customer id: a read answers at most 1,000 rows, as hosted Supabase does
		let previousScores = 0;
		for (let after: string | null = null; ; ) {
			const page: { data: unknown; error: { message: string } | null } = await supabase.rpc('cx_previous_health_scores', { customer_ids: null, before_day: now.slice(0, 10), after_customer_id: after, max_rows: 1000 }).select('customer_id');
			if (page.error) throw new Error(page.error.message);
			const ids: string[] = (page.data as Array<{ customer_id: string }>).map((row) => row.customer_id);
			previousScores += ids.length;
			if (ids.length < 1000) break;
			after = ids[ids.length - 1];
		}
		return {
			openTickets: await counted(supabase.from('tickets').select('id', head).in('status', ['open', 'pending']).not('customer_id', 'is', null)),
			surveyAnswers: await counted(supabase.from('survey_responses').select('id', head).in('type', ['csat', 'nps']).lte('responded_at', now).not('customer_id', 'is', null)),
			compensations: await counted(
				supabase.from('compensation_ledger').select('id', head).in('reason', ['shipping_delay']).neq('status', 'skipped').gte('created_at', since).lte('created_at', now).not('customer_id', 'is', null),
			),
			previousScores,
		};
	};
	// a whole read pages 1,000 rows a request until a page comes back short: rows / 1000, rounded down, plus one
	const wholeReadRequests = (rows: Record<string, number>) => Object.values(rows).reduce((sum, count) => sum + Math.floor(count / 1000) + 1, 0);

	beforeAll(async () => {
		await insert('tickets', [
			{ external_id: `health-${run}-1`, customer_id: firstId, status: 'open' },
			{ external_id: `health-${run}-2`, customer_id: firstGid, status: 'pending' },
			{ external_id: `health-${run}-3`, customer_id: firstId, status: 'solved' },
			// the second customer's item says 0 open tickets: the item wins
			{ external_id: `health-${run}-4`, customer_id: secondGid, status: 'open' },
		]);
		await insert('survey_responses', [
			{ external_id: `health-${run}-csat-1`, customer_id: firstId, type: 'csat', score: 2, responded_at: fromAnchor(-61, '10:00') },
			{ external_id: `health-${run}-csat-2`, customer_id: firstGid, type: 'csat', score: 4, responded_at: fromAnchor(-42, '10:00') },
			{ external_id: `health-${run}-nps-1`, customer_id: firstId, type: 'nps', score: 3, responded_at: fromAnchor(-52, '10:00') },
			// answered between the two days: the second day's score sees it, the first day's does not
			{ external_id: `health-${run}-csat-3`, customer_id: firstId, type: 'csat', score: 1, responded_at: fromAnchor(-27, '10:00') },
			{ external_id: `health-${run}-csat-4`, customer_id: secondId, type: 'csat', score: 1, responded_at: fromAnchor(-34, '10:00') },
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
			created_at: fromAnchor(-92, '12:00'),
			...change,
		});
		await insert('compensation_ledger', [
			// one row per order and reason: the ledger refuses the same late order under another policy version
			ledger('late', {}),
			ledger('skipped', { status: 'skipped' }),
			ledger('last-year', { created_at: fromAnchor(-426, '12:00') }),
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
		expect(firstHealth).toMatchObject({ score: 64, band: 'yellow', trend: 'new', change: null, previousScore: null, scoredOn: dayFromAnchor(-31), stored: true });
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
			{ customer_id: firstGid, score: 64, band: 'yellow', components: firstHealth.components, scored_on: dayFromAnchor(-31), scored_at: storedTime(fromAnchor(-31, '09:00')) },
		]);
		expect(await storedRows(secondGid)).toEqual([expect.objectContaining({ score: 100, band: 'green', scored_on: dayFromAnchor(-31) })]);
	});

	it('a rerun the same day replaces the day\'s score and still has no earlier score to compare with', async () => {
		await supabase.from('tickets').update({ status: 'solved' }).eq('external_id', `health-${run}-2`);
		const outputs = await score(fromAnchor(-31, '18:00'), [first, second]);
		// one open ticket now: 66 -> 6.6 instead of 3.2 -> 67.88
		expect(healthOf(outputs, firstGid)).toMatchObject({ score: 68, band: 'yellow', trend: 'new', previousScore: null });
		expect(await storedRows(firstGid)).toEqual([expect.objectContaining({ score: 68, scored_on: dayFromAnchor(-31), scored_at: storedTime(fromAnchor(-31, '18:00')) })]);
		expect(await storedRows(secondGid)).toHaveLength(1);
	});

	it('a run on a later day shows the trend against the stored score and keeps both days', async () => {
		await supabase.from('tickets').update({ status: 'open' }).eq('external_id', `health-${run}-2`);
		const outputs = await score(dayTwo, [first, second]);
		const firstHealth = healthOf(outputs, firstGid);
		// recency 54 days: 85.21 -> 21.3; the CSAT 1 of Oct 5 is now the latest: 0; the ticket reopened, two open
		// again: 3.2 -> 21.3 + 7.5 + 4.5 + 0 + 3.2 + 10 + 2.5 = 49, red, 19 below 68
		expect(firstHealth).toMatchObject({ score: 49, band: 'red', trend: 'down', change: -19, previousScore: 68, previousScoredOn: dayFromAnchor(-31), scoredOn: dayFromAnchor(-24) });
		expect(firstHealth.reasons).toEqual(expect.arrayContaining(['weak_satisfaction:csat_1_of_5', 'trend_down:-19']));
		expect(firstHealth.summary).toBe('Health 49 of 100 (red), down 19 from 68; weakest: satisfaction, spend, openTickets.');
		expect(outputs[0].map((item) => item.json.customer_id)).toEqual([firstGid]);
		// the second customer was given as the bare number; its stored score was found all the same (13 days: 99)
		expect(healthOf(outputs, secondId)).toMatchObject({ score: 99, trend: 'stable', change: -1, previousScore: 100 });
		expect((await storedRows(firstGid)).map((row) => [row.scored_on, row.score, row.band])).toEqual([
			[dayFromAnchor(-31), 68, 'yellow'],
			[dayFromAnchor(-24), 49, 'red'],
		]);
	});

	it('without Store Scores reads the trend and leaves the table as it was', async () => {
		const outputs = await score(fromAnchor(-23, '09:00'), [first], { storeScores: false });
		expect(healthOf(outputs, firstGid)).toMatchObject({ previousScore: 49, previousScoredOn: dayFromAnchor(-24), stored: false });
		expect(await storedRows(firstGid)).toHaveLength(2);
	});

	it('a director\'s retention request with only Dora\'s id scores her from her Shopify orders and her open ticket in Supabase, not as a customer without orders', async () => {
		const ticket = `health-${run}-dora`;
		await insert('tickets', [{ external_id: ticket, customer_id: '1005', status: 'open' }]);
		try {
			// the request as the director's contract has it (seeds/000 "Input Requirements"): nothing about her but the id
			const request = {
				trigger_source: 'retention_agent',
				interaction_type: 'retention_campaign',
				customer_details: { customer_id: '1005', tier: 'regular', issue_type: 'general', sentiment: 'neutral' },
				action_parameters: { priority: 'low', resolution_type: 'information', follow_up: 'optional' },
			};
			const outputs = await score(fromAnchor(0), [request], { storeScores: false });
			const dora = all(outputs).find((item) => item.json.customer_id === '1005')!;
			expect(dora.json).toMatchObject({ email: 'dormant.once@example-store.test', first_name: 'Dora', orders_count: 1, amount_spent: '189.00', order_dates: [fromAnchor(-300).replace('.000Z', 'Z')], open_tickets: 1 });
			// recency 300 days: 17.81 -> 4.45; one visit: 2.5; $189: 2.84; no CSAT or NPS: 10; one open ticket: 6.6; no refunds 10, no delays 5
			const health = dora.json.health as IDataObject & { components: Record<string, IDataObject> };
			expect(health).toMatchObject({ score: 41, band: 'red', stored: false });
			expect(Object.fromEntries(Object.entries(health.components).map(([name, component]) => [name, component.points]))).toEqual({
				recency: 4.45, frequency: 2.5, spend: 2.84, satisfaction: 10, openTickets: 6.6, refunds: 10, delays: 5,
			});
			expect(health.reasons).toEqual(expect.arrayContaining(['weak_recency:300_days_since_last_order']));
			expect(health.reasons).not.toEqual(expect.arrayContaining([expect.stringMatching(/no_order_on_record/)]));
		} finally {
			await supabase.from('tickets').delete().eq('external_id', ticket);
		}
	});

	it('a customer id Shopify does not know is an error item naming customer_id under Continue On Fail', async () => {
		const outputs = await new CxCustomerHealth().execute.call(
			executeContext({ items: [{ customer_id: 'gid://shopify/Customer/999999999' }], continueOnFail: true, parameters: { source: 'items', supabaseSignals: false, options: { now: fromAnchor(0) } } }),
		);
		expect(all(outputs).map((item) => [item.pairedItem, item.json.error])).toEqual([[{ item: 0 }, 'Item 0: Field "customer_id": Shopify has no customer gid://shopify/Customer/999999999']]);
	});

	it('scores the whole Shopify store from one bulk read and stores every customer once', async () => {
		const day = dayFromAnchor(0);
		const wholeRows = await wholeReadRows(`${day}T12:00:00.000Z`);
		let supabaseRequests = 0;
		const outputs = await supabaseRequestsOf(async () => score(`${day}T12:00:00.000Z`, [{}], { source: 'shopify', storeScores: true })).then(({ result, requests }) => {
			supabaseRequests = requests;
			return result;
		});
		const items = all(outputs);
		const ids = items.map((item) => String(item.json.customer_id));
		try {
			// the seeded store holds no signal rows of its own: the rows are this file's (the stand-ins are reset before it): the
			// first and second customers' open and pending tickets, their five answers, the one late
			// order (one ledger row per order and reason), and the scores the tests above stored for the two (kept until the
			// file ends; alone, with -t, 0)
			expect(wholeRows).toEqual({ openTickets: 3, surveyAnswers: 5, compensations: 1, previousScores: 2 });
			expect(items).toHaveLength(300);
			// the four signal tables read whole, 1,000 rows a request, and one upsert per 500 scores
			expect(supabaseRequests).toBe(wholeReadRequests(wholeRows) + Math.ceil(ids.length / 500));
			expect(new Set(ids).size).toBe(ids.length);
			expect(new Set(items.map((item) => JSON.stringify(item.pairedItem)))).toEqual(new Set(['{"item":0}']));
			expect(outputs.map((output) => [...new Set(output.map((item) => (item.json.health as IDataObject).band))])).toEqual([['red'], ['yellow'], ['green']]);
			const refunded = healthOf(outputs, 'gid://shopify/Customer/1010');
			expect(refunded.components.refunds).toMatchObject({ value: 50, detail: '0_returns_and_1_refund_in_last_365_days' });
			// the stand-in's six return requests (scripts/standins/shopify-returns.js), none refunded yet: each order is one
			// return dated by its processedAt, and the only returns in the store
			const returned = Object.fromEntries(items.filter((item) => (item.json.return_dates as string[]).length).map((item) => [item.json.customer_id, item.json.return_dates]));
			expect(returned).toEqual({
				'gid://shopify/Customer/1001': [fromAnchor(-25).replace('.000Z', 'Z')],
				'gid://shopify/Customer/1003': [fromAnchor(-90).replace('.000Z', 'Z')],
				'gid://shopify/Customer/1004': [fromAnchor(-45).replace('.000Z', 'Z')],
				'gid://shopify/Customer/1007': [fromAnchor(-40).replace('.000Z', 'Z')],
				'gid://shopify/Customer/1148': [fromAnchor(-15, '08:00').replace('.000Z', 'Z')],
				'gid://shopify/Customer/1160': [fromAnchor(-9, '09:00').replace('.000Z', 'Z')],
			});
			// a requested return is a return: 100 - 50 = 50, 5 of the 10 points; none of the six has a refund as well
			for (const customerId of Object.keys(returned)) {
				expect([customerId, healthOf(outputs, customerId).components.refunds]).toEqual([customerId, { value: 50, weight: 10, points: 5, detail: '1_return_and_0_refunds_in_last_365_days' }]);
			}
			expect(healthOf(outputs, 'gid://shopify/Customer/1005').components.recency).toMatchObject({ detail: '300_days_since_last_order' });
			const { count } = await supabase.from('customer_health_scores').select('*', { count: 'exact', head: true }).eq('scored_on', day).like('customer_id', 'gid://shopify/Customer/%');
			expect(count).toBe(ids.length);
		} finally {
			for (let i = 0; i < ids.length; i += 100) await supabase.from('customer_health_scores').delete().eq('scored_on', day).in('customer_id', ids.slice(i, i + 100));
		}
	});

	describe('many customers: the signal tables read whole', () => {
		const now = fromAnchor(1, '12:00');
		const gid = (id: number) => `gid://shopify/Customer/${id}`;
		// more than a page of answers and of earlier scores, of customers no run here scores; their ids sort
		// first (answers page by id, scores by customer id), so the rows that count come on a later page
		const padding = Array.from({ length: 1_100 }, (_, index) => `0health${run}pad${index}`);
		const lastId = (index: number) => `ffffffff-ffff-4fff-8fff-${run.padStart(9, '0').slice(-9)}${String(index).padStart(3, '0')}`;

		beforeAll(async () => {
			await insert('tickets', [
				{ external_id: `health-${run}-w-1`, customer_id: '1001', status: 'open' },
				{ external_id: `health-${run}-w-2`, customer_id: gid(1001), status: 'pending' },
				{ external_id: `health-${run}-w-3`, customer_id: gid(1002), status: 'solved' },
				{ external_id: `health-${run}-w-4`, customer_id: '1003', status: 'open' },
			]);
			await insert('survey_responses', [
				{ id: lastId(1), external_id: `health-${run}-w-1`, customer_id: '1001', type: 'csat', score: 2, responded_at: fromAnchor(-61, '10:00') },
				{ id: lastId(2), external_id: `health-${run}-w-2`, customer_id: gid(1001), type: 'csat', score: 4, responded_at: fromAnchor(-12, '10:00') },
				{ id: lastId(3), external_id: `health-${run}-w-3`, customer_id: gid(1002), type: 'nps', score: 7, responded_at: fromAnchor(-31, '10:00') },
				// off the scale: the answer before it counts
				{ id: lastId(4), external_id: `health-${run}-w-4`, customer_id: '1003', type: 'csat', score: 9, responded_at: fromAnchor(-2, '10:00') },
				{ id: lastId(5), external_id: `health-${run}-w-5`, customer_id: gid(1003), type: 'csat', score: 3, responded_at: fromAnchor(-22, '10:00') },
				// answered after the run's now: not read
				{ id: lastId(6), external_id: `health-${run}-w-6`, customer_id: gid(1004), type: 'csat', score: 5, responded_at: fromAnchor(4, '10:00') },
				// older than a year and still the latest: it counts
				{ id: lastId(7), external_id: `health-${run}-w-7`, customer_id: '1005', type: 'csat', score: 2, responded_at: fromAnchor(-518, '10:00') },
			]);
			await insert('survey_responses', padding.map((customerId) => ({ external_id: `health-${run}-${customerId}`, customer_id: customerId, type: 'csat', score: 3, responded_at: fromAnchor(-153, '10:00') })));
			const ledger = (order: string, change: IDataObject) => ({
				order_id: `health-${run}-w-${order}`,
				reason: 'shipping_delay',
				policy_version: 'v1',
				amount_cents: 1000,
				currency: 'USD',
				method: 'discountCode',
				status: 'completed',
				created_at: fromAnchor(-92, '12:00'),
				...change,
			});
			await insert('compensation_ledger', [
				ledger('a', { customer_id: gid(1001) }),
				ledger('b', { customer_id: gid(1002), created_at: fromAnchor(-426, '12:00') }),
				ledger('c', { customer_id: '1003', status: 'skipped' }),
				ledger('d', { customer_id: gid(1004), reason: 'product_fault' }),
			]);
			const earlier = (customerId: string, day: string, points: number) => ({ customer_id: customerId, score: points, band: 'red', components: {}, scored_on: day });
			await insert('customer_health_scores', [
				earlier('1001', dayFromAnchor(-12), 40),
				earlier(gid(1001), dayFromAnchor(-7), 55),
				earlier(gid(1002), dayFromAnchor(-1), 90),
				// the run's own day: not an earlier score
				earlier(gid(1003), dayFromAnchor(1), 10),
				earlier('1004', dayFromAnchor(-61), 70),
				...padding.map((customerId) => earlier(customerId, dayFromAnchor(-31), 50)),
			]);
		});

		afterAll(async () => {
			await supabase.from('tickets').delete().like('external_id', `health-${run}-w-%`);
			await supabase.from('survey_responses').delete().like('external_id', `health-${run}-%`);
			await supabase.from('compensation_ledger').delete().like('order_id', `health-${run}-w-%`);
			await supabase.from('customer_health_scores').delete().in('customer_id', ['1001', '1004', gid(1001), gid(1002), gid(1003)]).lte('scored_on', dayFromAnchor(1));
			for (let i = 0; i < padding.length; i += 100) await supabase.from('customer_health_scores').delete().in('customer_id', padding.slice(i, i + 100));
		});

		it('scores the whole store as reading by customer id does, in requests that count rows, not customers', async () => {
			const rows = await wholeReadRows(now);
			// the padding makes the answers and the earlier scores two pages: 5 + 6 answers up to now (not the one after it) + 1,100;
			// earlier scores of '1001', 1001, 1002 and '1004' (not 1003's, of the run's own day) + 1,100, and the first and second
			// customers' that the tests above stored and the file keeps until it ends (run alone, with -t, it is 1,104); tickets
			// open or pending: this file's 3 + 3, the late orders: 1 + 1001's one
			expect(rows).toEqual({ openTickets: 6, surveyAnswers: 1_111, compensations: 2, previousScores: 1_106 });

			const whole = await supabaseRequestsOf(async () => score(now, [{}], { source: 'shopify', storeScores: false }));
			const wholeItems = all(whole.result);
			const ids = wholeItems.map((item) => String(item.json.customer_id));
			expect(ids).toHaveLength(300);
			expect(whole.requests).toBe(wholeReadRequests(rows));

			// the same customers as items, fewer than the threshold: read by id, 100 ids (each in two forms) a request
			const signalFields = ['health', 'latest_csat', 'latest_nps', 'open_tickets', 'late_deliveries_last_365'];
			const items = wholeItems.map((item) => Object.fromEntries(Object.entries(item.json).filter(([field]) => !signalFields.includes(field))) as IDataObject);
			const keyed = await supabaseRequestsOf(async () => score(now, items, { source: 'items', storeScores: false }));
			expect(keyed.requests).toBe(4 * Math.ceil((2 * ids.length) / 100));

			const byCustomer = (outputs: INodeExecutionData[][]) => new Map(all(outputs).map((item) => [String(item.json.customer_id), item.json]));
			const wholeByCustomer = byCustomer(whole.result);
			const keyedByCustomer = byCustomer(keyed.result);
			expect([...keyedByCustomer.keys()].sort()).toEqual([...ids].sort());
			for (const id of ids) {
				const fromWhole = wholeByCustomer.get(id)!;
				const fromKeyed = keyedByCustomer.get(id)!;
				expect([id, fromWhole.health, ...signalFields.slice(1).map((field) => fromWhole[field])]).toEqual([id, fromKeyed.health, ...signalFields.slice(1).map((field) => fromKeyed[field])]);
			}

			// the rows above, matched in both id forms (the seeded store holds no tickets, answers, ledger rows or scores of its own)
			const signals = (id: number) => {
				const json = wholeByCustomer.get(gid(id))!;
				const health = json.health as IDataObject;
				return { latest_csat: json.latest_csat, latest_nps: json.latest_nps, previousScore: health.previousScore, previousScoredOn: health.previousScoredOn };
			};
			expect(signals(1001)).toEqual({ latest_csat: 4, latest_nps: null, previousScore: 55, previousScoredOn: dayFromAnchor(-7) });
			// 1001: the open and the pending ticket, not 1002's solved one; the one late order under two versions, not last year's
			expect([1001, 1002, 1003, 1004, 1005].map((id) => [id, wholeByCustomer.get(gid(id))!.open_tickets, wholeByCustomer.get(gid(id))!.late_deliveries_last_365])).toEqual([
				[1001, 2, 1],
				[1002, 0, 0],
				[1003, 1, 0],
				[1004, 0, 0],
				[1005, 0, 0],
			]);
			expect(signals(1002)).toEqual({ latest_csat: null, latest_nps: 7, previousScore: 90, previousScoredOn: dayFromAnchor(-1) });
			expect(signals(1003)).toEqual({ latest_csat: 3, latest_nps: null, previousScore: null, previousScoredOn: null });
			expect(signals(1004)).toEqual({ latest_csat: null, latest_nps: null, previousScore: 70, previousScoredOn: dayFromAnchor(-61) });
			expect(signals(1005)).toEqual({ latest_csat: 2, latest_nps: null, previousScore: null, previousScoredOn: null });
		});

		it('makes as many requests for three customers as for the whole store when it reads whole', async () => {
			const service = await SupabaseService.connect(executeContext());
			const at = new Date(now);
			const rows = await wholeReadRows(now);
			const customers = all(await score(now, [{}], { source: 'shopify', storeScores: false, supabaseSignals: false })).map((item) => String(item.json.customer_id));
			const three = [gid(1001), '1003', gid(1005)];

			const wholeOfThree = await supabaseRequestsOf(async () => readStoredSignals(service, three, at, true));
			const wholeOfAll = await supabaseRequestsOf(async () => readStoredSignals(service, customers, at, true));
			const keyedOfThree = await supabaseRequestsOf(async () => readStoredSignals(service, three, at));
			expect([wholeOfThree.requests, wholeOfAll.requests]).toEqual([wholeReadRequests(rows), wholeReadRequests(rows)]);
			// three customers in two forms each: one request per signal
			expect(keyedOfThree.requests).toBe(4);
			expect(wholeOfThree.result).toEqual(keyedOfThree.result);
			expect([...wholeOfThree.result.keys()].sort()).toEqual([gid(1001), gid(1003), gid(1005)]);
			expect(wholeOfAll.result.get(gid(1001))).toEqual(wholeOfThree.result.get(gid(1001)));
		});
	});
});

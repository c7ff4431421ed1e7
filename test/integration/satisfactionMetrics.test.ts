import { createClient } from '@supabase/supabase-js';
import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { CxKpiReport } from '../../nodes/CxKpiReport/CxKpiReport.node';
import { CxSatisfactionMetrics } from '../../nodes/CxSatisfactionMetrics/CxSatisfactionMetrics.node';
import type { MetricsReport } from '../../nodes/shared/contract/metricsReport';
import { executeContext, rejectionOf, setShopifyBucket, standin } from '../support/context';
import { shopifyGraphqlClient } from '../support/shopify';
import { fromAnchor, standinsEnv } from '../support/standins';

// this run's own rows, in March 2016 where no other suite writes: nothing another suite wrote is counted or removed
const run = `${Date.now() % 1_000_000}${Math.floor(Math.random() * 1000)}`;
const tag = `sm-${run}`;
const report = (outputs: INodeExecutionData[][]) => outputs[0][0].json.metrics as unknown as MetricsReport;
const measure = (parameters: IDataObject, items: IDataObject[] = [], continueOnFail = false) =>
	new CxSatisfactionMetrics().execute.call(executeContext({ items, parameters: { options: { timeZone: 'UTC' }, ...parameters }, continueOnFail }));

const march2016 = { period: 'custom', periodStart: '2016-03-08T00:00:00Z', periodEnd: '2016-03-15T00:00:00Z' };

// what the seeded store holds (scripts/standins/shopify-seed.js, a fixed seed): every order before the anchor;
// the return cohorts (orders, returned or refunded) of the 30 days before the anchor and the 30 before them;
// customers with an order by each period's end; new customers of the three value cohorts
const SEEDED_ORDERS = 858;
const SEEDED_RETURN_COHORTS = [81, 7, 80, 4];
const SEEDED_CUSTOMERS_WITH_ORDERS = [288, 279];
const SEEDED_NEW_CUSTOMER_COHORTS = [23, 15, 12];

describe('CX Satisfaction Metrics against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const insert = async (table: string, rows: IDataObject[]) => {
		const { error } = await supabase.from(table).insert(rows);
		if (error) throw new Error(`${table}: ${error.message}`);
	};
	let serial = 0;
	const answers = (type: string, scores: Array<number | null>, respondedAt: string, extra: IDataObject = {}) =>
		scores.map((score) => ({ external_id: `${tag}-${serial++}`, type, score, responded_at: respondedAt, ...extra }));
	const ticket = (name: string, fields: IDataObject) => ({ external_id: `${tag}-${name}`, channel: 'email', ...fields });
	const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

	beforeAll(async () => {
		await insert('survey_responses', [
			// this week: NPS 5 promoters, 2 passives, 2 detractors, 1 unrated = 33.3; CSAT 4 of 5 = 80%; CES 2 of 3
			...answers('nps', [10, 10, 9], '2016-03-09T10:00:00Z', { tier: 'vip', channel: 'email', issue_type: 'shipping' }),
			...answers('nps', [9, 9, 8, 7, 6, 3, null], '2016-03-14T23:59:59Z', { tier: 'regular', channel: 'chat', issue_type: 'product' }),
			...answers('csat', [5, 5, 4, 4, 3, null], '2016-03-08T00:00:00Z', { tier: 'regular', channel: 'email' }),
			...answers('ces', [7, 6, 2], '2016-03-11T12:00:00Z'),
			// last week: NPS 4 of 5 promoters = 80, CSAT 100%; 1,100 CES answers, so the read takes two pages
			...answers('nps', [10, 9, 9, 9, 8], '2016-03-02T10:00:00Z'),
			...answers('csat', [5, 5, 5], '2016-03-07T23:59:59Z'),
			...answers('ces', Array.from({ length: 1_100 }, () => 7), '2016-03-05T10:00:00Z'),
			// outside both weeks: never read
			...answers('nps', [0, 0, 0], '2016-03-15T00:00:00Z'),
			...answers('nps', [0], '2016-02-29T23:59:59Z'),
		]);
		const created = '2016-03-10T08:00:00Z';
		await insert('tickets', [
			// first responses this week: 30 min, 2 h, 3 h, 5 h, 10 h
			...[30, 120, 180, 300, 600].map((minutes, n) =>
				ticket(`fr-${n}`, { status: 'solved', ticket_created_at: created, first_responded_at: plus(created, minutes), resolved_at: '2016-03-12T00:00:00Z' }),
			),
			// last week: 1 h
			ticket('fr-prev', { status: 'solved', ticket_created_at: '2016-03-03T08:00:00Z', first_responded_at: '2016-03-03T09:00:00Z', resolved_at: '2016-03-04T00:00:00Z' }),
			// the backlog: three opened this week, one pending since last week, one open at last week's end and solved since
			...[0, 1, 2].map((n) => ticket(`open-${n}`, { status: 'open', ticket_created_at: '2016-03-09T10:00:00Z' })),
			ticket('pending', { status: 'pending', ticket_created_at: '2016-03-02T10:00:00Z' }),
			ticket('solved-since', { status: 'solved', ticket_created_at: '2016-03-02T10:00:00Z', resolved_at: '2016-03-10T10:00:00Z' }),
		]);
	});

	afterAll(async () => {
		await supabase.from('survey_responses').delete().like('external_id', `${tag}-%`);
		await supabase.from('tickets').delete().like('external_id', `${tag}-%`);
	});

	describe('survey answers and tickets from Supabase', () => {
		let metrics: MetricsReport;
		let outputs: INodeExecutionData[][];

		beforeAll(async () => {
			outputs = await measure({ ...march2016, responsesFrom: 'supabase', includeTickets: true, ordersFrom: 'none' });
			metrics = report(outputs);
		});

		it('scores the week and the week before from every stored answer, the unrated left out', () => {
			expect(outputs[0]).toHaveLength(1);
			expect(metrics.current.nps).toMatchObject({ value: 33.3, sampleSize: 9, unrated: 1, counts: { promoters: 5, passives: 2, detractors: 2 }, lowSample: true });
			expect(metrics.current.nps.interval).toMatchObject({ method: 'adjusted_wald', confidence: 0.95 });
			expect(metrics.current.csat).toMatchObject({ value: 80, sampleSize: 5, unrated: 1, counts: { positive: 4, other: 1 } });
			expect(metrics.current.ces).toMatchObject({ value: 66.7, sampleSize: 3 });
			expect(metrics.previous.nps).toMatchObject({ value: 80, sampleSize: 5 });
			expect(metrics.previous.csat).toMatchObject({ value: 100, sampleSize: 3 });
			expect(metrics.previous.ces).toMatchObject({ value: 100, sampleSize: 1_100, lowSample: false });
		});

		it('breaks the week down by tier, channel and issue type', () => {
			expect(metrics.current.breakdowns.tier.vip.nps).toMatchObject({ value: 100, sampleSize: 3 });
			expect(metrics.current.breakdowns.tier.regular.nps).toMatchObject({ value: 0, sampleSize: 6 });
			expect(metrics.current.breakdowns.channel.email.csat).toMatchObject({ value: 80, sampleSize: 5 });
			expect(metrics.current.breakdowns.issue_type.unknown.ces).toMatchObject({ sampleSize: 3 });
		});

		it('measures first responses and the backlog at each week\'s end', () => {
			// the three tickets opened this week that nobody has answered are misses beside the five answered: 3 of 8 in time;
			// the one pending since last week without a reply is last week's miss: 1 of 2
			expect(metrics.current.firstResponse).toEqual({ responded: 5, medianHours: 3, p90Hours: 8, withinTargetPercent: 37.5, p50Hours: 3, withinTarget: 3, unansweredPastTarget: 3, targetHours: 4, metPercent: 90 });
			expect(metrics.previous.firstResponse).toEqual({ responded: 1, medianHours: 1, p90Hours: 1, withinTargetPercent: 50, p50Hours: 1, withinTarget: 1, unansweredPastTarget: 1, targetHours: 4, metPercent: 90 });
			expect(metrics.current.backlog).toBe(4);
			expect(metrics.previous.backlog).toBe(2);
		});

		it('rates the KPIs and raises the CSAT and NPS drops', () => {
			const kpi = (key: string) => metrics.kpis.find((entry) => entry.key === key)!;
			// the median is 3 h, under 4 h, but two of the five answered tickets waited 5 and 10 h and three are still waiting:
			// 37.5% in time, not the 90% that counts as met
			expect(kpi('first_response')).toMatchObject({ label: 'Tickets answered within 4 h', value: 37.5, previous: 50, change: -12.5, target: 90, status: 'missed' });
			expect(kpi('csat')).toMatchObject({ value: 80, previous: 100, change: -20, status: 'missed' });
			expect(kpi('nps')).toMatchObject({ value: 33.3, previous: 80, status: 'missed' });
			expect(kpi('return_rate').status).toBe('no_data');
			expect(metrics.alerts.map((alert) => [alert.key, alert.value])).toEqual([
				['csat_drop', 20],
				['nps_drop', 46.7],
			]);
			expect(metrics.summary).toMatch(/^2016-03-08 to 2016-03-14 \(7 days\): 1 of 5 KPIs met, Tickets answered within 4 h 37.5% \(missed\)/);
			// rows triage wrote, never followed through their helpdesk events: solved, but how many replies is not known
			expect(kpi('resolution_time')).toMatchObject({ value: 83.3, status: 'missed' });
			expect(kpi('first_contact_resolution')).toMatchObject({ value: null, status: 'no_data' });
			expect(metrics.reasons).toContain('first_contact_unknown:6');
		});
	});

	describe('a score out of range in survey_responses', () => {
		let badId: string;

		beforeAll(async () => {
			const { data, error } = await supabase
				.from('survey_responses')
				.insert({ external_id: `${tag}-bad`, type: 'nps', score: 11, responded_at: '2016-03-12T10:00:00Z' })
				.select('id')
				.single();
			if (error) throw new Error(error.message);
			badId = String(data.id);
		});

		afterAll(async () => {
			await supabase.from('survey_responses').delete().eq('external_id', `${tag}-bad`);
		});

		it('stops the run with an error naming the row and the field', async () => {
			const error = await rejectionOf<NodeOperationError>(measure({ ...march2016, responsesFrom: 'supabase', includeTickets: false, ordersFrom: 'none' }));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(`survey_responses row ${badId}: field "score" is 11, outside the NPS scale 0-10 (whole numbers)`);
		});

		it('with Continue On Fail, counts the other rows and lists the bad one', async () => {
			const outputs = await measure({ ...march2016, responsesFrom: 'supabase', includeTickets: false, ordersFrom: 'none' }, [], true);
			expect(outputs[0]).toHaveLength(2);
			// error and details only: n8n routes it to the error output when the node has one
			expect(outputs[0][1].json).toEqual({ error: `survey_responses row ${badId}: field "score" is 11, outside the NPS scale 0-10 (whole numbers)`, details: 'Send NPS scores as whole numbers from 0 to 10; a score on another scale must be converted before it is counted.' });
			const metrics = report(outputs);
			expect(metrics.current.nps.sampleSize).toBe(9);
			expect(metrics.rejected).toBe(1);
		});
	});

	describe('the tickets\' life as their helpdesk events left it, the week before the anchor', () => {
		// the 7 days before the anchor against the 7 before them, as of noon on the anchor
		const lastWeek = { period: 'last7Days', options: { timeZone: 'UTC', now: fromAnchor(0, '12:00') } };
		// every row with every column: one insert of rows that differ would write null where a column is left out
		const lived = (name: string, fields: IDataObject): IDataObject => ({
			external_id: `${tag}-life-${name}`,
			channel: 'email',
			first_responded_at: null,
			resolved_at: null,
			paused_seconds: 0,
			on_hold_seconds: 0,
			reopen_count: 0,
			agent_replies: fields.replies_to_resolution,
			event_count: 4,
			...fields,
		});
		const tickets = [
			// one agent reply, solved 10 h after the customer wrote
			lived('one-touch', { status: 'solved', ticket_created_at: fromAnchor(-6, '09:00'), first_responded_at: fromAnchor(-6, '09:30'), first_resolved_at: fromAnchor(-6, '19:00'), resolved_at: fromAnchor(-6, '19:00'), replies_to_resolution: 1 }),
			// two agent replies before the solve, 30 h
			lived('two-touch', { status: 'closed', ticket_created_at: fromAnchor(-6, '09:00'), first_responded_at: fromAnchor(-6, '10:00'), first_resolved_at: fromAnchor(-5, '15:00'), resolved_at: fromAnchor(-5, '15:00'), replies_to_resolution: 2 }),
			// solved 60 h after it was written, 20 of them on hold waiting for the customer: 40 h
			lived('on-hold', { status: 'solved', ticket_created_at: fromAnchor(-5), first_resolved_at: fromAnchor(-3, '12:00'), resolved_at: fromAnchor(-3, '12:00'), paused_seconds: 72_000, on_hold_seconds: 72_000, replies_to_resolution: 1 }),
			// solved in 5 h, reopened by the customer and open again (the latest solve kept)
			lived('reopened-open', { status: 'open', ticket_created_at: fromAnchor(-4), first_resolved_at: fromAnchor(-4, '05:00'), resolved_at: fromAnchor(-4, '05:00'), reopen_count: 1, replies_to_resolution: 1 }),
			// reopened and open again, the solve cleared
			lived('reopened-cleared', { status: 'open', ticket_created_at: fromAnchor(-3), first_resolved_at: fromAnchor(-2), reopen_count: 1, replies_to_resolution: 1 }),
			// solved in 2 h, reopened, solved again 72 h after it was written
			lived('reopened-solved', { status: 'closed', ticket_created_at: fromAnchor(-4), first_resolved_at: fromAnchor(-4, '02:00'), resolved_at: fromAnchor(-1), reopen_count: 1, replies_to_resolution: 1 }),
			// first solved this week, reopened, solved again after the week: in this week's rates, not its resolution times
			lived('solved-after', { status: 'solved', ticket_created_at: fromAnchor(-2), first_resolved_at: fromAnchor(-1, '06:00'), resolved_at: fromAnchor(0, '06:00'), reopen_count: 1, replies_to_resolution: 1 }),
			// first solved the week before, reopened, solved again this week after 9 days: last week's rates, this week's resolution times
			lived('last-week-again', { status: 'solved', ticket_created_at: fromAnchor(-11), first_resolved_at: fromAnchor(-10), resolved_at: fromAnchor(-2), reopen_count: 1, replies_to_resolution: 1 }),
			// the week before: one reply, 1 h
			lived('last-week', { status: 'solved', ticket_created_at: fromAnchor(-9), first_resolved_at: fromAnchor(-9, '01:00'), resolved_at: fromAnchor(-9, '01:00'), replies_to_resolution: 1 }),
		];
		// an item names the time the customer wrote created_at
		const asItems = () => tickets.map(({ ticket_created_at: created, ...rest }) => ({ ...rest, created_at: created }));
		const RESOLUTION_DEFINITION = 'each ticket solved in the period (its latest solve), from creation to solve less the time it waited on the customer (pending, on hold), against 48 h; met when at least 90% of tickets are resolved in time';
		const FIRST_CONTACT = 'tickets first solved in the period with exactly one agent reply before the solve and never reopened, over the tickets first solved in the period whose replies are known';
		const REOPENS = 'tickets first solved in the period that were opened again, over the tickets first solved in the period';
		const expectTheWeek = (metrics: MetricsReport) => {
			// 10, 30, 40 (60 less 20 on hold), 72 and 216 h: three within 48 h
			expect(metrics.current.resolution).toEqual({ resolved: 5, p50Hours: 40, p90Hours: 158.4, withinTargetPercent: 60, withinTarget: 3, targetHours: 48, metPercent: 90, waitingHoursExcluded: 20, definition: RESOLUTION_DEFINITION });
			expect(metrics.previous.resolution).toEqual({ resolved: 1, p50Hours: 1, p90Hours: 1, withinTargetPercent: 100, withinTarget: 1, targetHours: 48, metPercent: 90, waitingHoursExcluded: 0, definition: RESOLUTION_DEFINITION });
			// seven first solved this week: the one-touch and the on-hold ticket at first contact; four reopened
			expect(metrics.current.firstContactResolution).toEqual({ solved: 7, count: 2, ratePercent: 28.6, unknown: 0, definition: FIRST_CONTACT });
			expect(metrics.current.reopens).toEqual({ solved: 7, count: 4, ratePercent: 57.1, definition: REOPENS });
			expect(metrics.previous.firstContactResolution).toEqual({ solved: 2, count: 1, ratePercent: 50, unknown: 0, definition: FIRST_CONTACT });
			expect(metrics.previous.reopens).toEqual({ solved: 2, count: 1, ratePercent: 50, definition: REOPENS });
			const kpi = (key: string) => metrics.kpis.find((entry) => entry.key === key)!;
			expect(kpi('resolution_time')).toMatchObject({ label: 'Tickets resolved within 48 h', value: 60, previous: 100, change: -40, target: 90, status: 'missed' });
			expect(kpi('first_contact_resolution')).toMatchObject({ value: 28.6, previous: 50, change: -21.4, target: 80, status: 'missed' });
			expect(kpi('reopen_rate')).toMatchObject({ value: 57.1, previous: 50, change: 7.1, target: 10, status: 'missed' });
		};

		beforeAll(async () => {
			await insert('tickets', tickets);
		});

		afterAll(async () => {
			await supabase.from('tickets').delete().like('external_id', `${tag}-life-%`);
		});

		it('from the tickets table: resolution time less the wait on the customer, first-contact resolution and reopens, each ticket in the week it was first solved', async () => {
			expectTheWeek(report(await measure({ ...lastWeek, responsesFrom: 'supabase', includeTickets: true, ordersFrom: 'none' })));
		});

		it('the same tickets given as items count the same', async () => {
			const items = asItems();
			const outputs = await measure({ ...lastWeek, responsesFrom: 'supabase', includeTickets: true, ticketsFrom: 'items', ordersFrom: 'none' }, items);
			expect(outputs[0]).toHaveLength(1);
			expectTheWeek(report(outputs));
		});

		it('a ticket item with a status the pack does not know is named, with its field, and left out with Continue On Fail', async () => {
			const items = [{ created_at: fromAnchor(-3), status: 'waiting', first_resolved_at: fromAnchor(-2) }, ...asItems()];
			const outputs = await measure({ ...lastWeek, responsesFrom: 'supabase', includeTickets: true, ticketsFrom: 'items', ordersFrom: 'none' }, items, true);
			expect(outputs[0][1]).toEqual({ json: { error: 'Item 0: field "status" is "waiting", not one of open, pending, on_hold, solved, closed', details: expect.any(String) }, pairedItem: { item: 0 } });
			const metrics = report(outputs);
			expect(metrics.rejected).toBe(1);
			expect(metrics.current.reopens).toMatchObject({ solved: 7, count: 4 });
		});
	});

	describe('the returns CX Returns Desk decided, from return_decisions', () => {
		// a week of April 2015 against the week before, where no other suite writes returns
		const april2015 = { period: 'custom', periodStart: '2015-04-06T00:00:00Z', periodEnd: '2015-04-13T00:00:00Z' };
		let returnSerial = 0;
		// every row with every column: one insert of rows that differ would write null where a column is left out
		const decision = (createdAt: string, outcome: string, resolution: string | null, fault: string, reasons: string[], currency: string, cents: number, step = 'decide'): IDataObject => {
			const key = `${tag}-return-${returnSerial++}`;
			return { return_key: key, step, return_id: key, order_id: `${key}-order`, source: 'shopify_return', outcome, resolution, fault, return_reasons: reasons, currency, returned_cents: cents, decision: {}, created_at: createdAt };
		};
		const rows = [
			// this week, 7 returns decided; the first at the week's first instant, one with two lines too small, one with two reasons
			decision('2015-04-06T00:00:00Z', 'approve', 'exchange', 'customer', ['SIZE_TOO_SMALL'], 'USD', 4000),
			decision('2015-04-07T09:00:00Z', 'approve', 'exchange', 'customer', ['SIZE_TOO_SMALL', 'SIZE_TOO_SMALL'], 'USD', 2500),
			decision('2015-04-08T09:00:00Z', 'approve', 'store_credit', 'customer', ['SIZE_TOO_SMALL', 'COLOR'], 'USD', 3000),
			decision('2015-04-09T09:00:00Z', 'approve', 'refund', 'store', ['DEFECTIVE'], 'EUR', 5000),
			decision('2015-04-10T09:00:00Z', 'decline', null, 'customer', ['STYLE'], 'USD', 1500),
			decision('2015-04-11T09:00:00Z', 'review', 'refund', 'store', ['DEFECTIVE', 'WRONG_ITEM'], 'EUR', 12000),
			decision('2015-04-12T23:59:59.999Z', 'approve', 'exchange', 'customer', ['COLOR'], 'USD', 2000),
			// a return processed this week: the process step is not a decision
			decision('2015-04-09T12:00:00Z', 'processed', 'exchange', 'customer', ['SIZE_TOO_SMALL'], 'USD', 4000, 'process'),
			// the week's end and the instant before last week: outside both
			decision('2015-04-13T00:00:00Z', 'approve', 'exchange', 'customer', ['COLOR'], 'USD', 999_999),
			decision('2015-03-29T23:59:59.999Z', 'decline', null, 'customer', ['UNWANTED'], 'USD', 777_777),
			// last week: 1,000 exchanges for a size too large (more than one page of rows), a decline at its first instant,
			// a refund in Canadian dollars at its last millisecond
			...Array.from({ length: 1_000 }, (_, n) => decision(`2015-04-0${1 + (n % 5)}T10:00:00Z`, 'approve', 'exchange', 'customer', ['SIZE_TOO_LARGE'], 'USD', 1000)),
			decision('2015-03-30T00:00:00Z', 'decline', null, 'customer', ['UNWANTED'], 'USD', 500),
			decision('2015-04-05T23:59:59.999Z', 'approve', 'refund', 'store', ['DEFECTIVE'], 'CAD', 4200),
		];
		let outputs: INodeExecutionData[][];

		beforeAll(async () => {
			await insert('return_decisions', rows);
			outputs = await measure({ ...april2015, responsesFrom: 'supabase', includeTickets: false, ordersFrom: 'none' });
		});

		afterAll(async () => {
			await supabase.from('return_decisions').delete().like('return_key', `${tag}-return-%`);
		});

		it('counts the week\'s 7 decisions by outcome, resolution, fault, reason and currency', () => {
			expect(report(outputs).current.returns).toEqual({
				decided: 7,
				outcomes: { approved: 5, declined: 1, review: 1 },
				resolutions: { exchange: 3, store_credit: 1, refund: 1 },
				exchangeSharePercent: 60,
				fault: { store: 2, customer: 5 },
				topReasons: [
					{ reason: 'SIZE_TOO_SMALL', count: 3 },
					{ reason: 'COLOR', count: 2 },
					{ reason: 'DEFECTIVE', count: 2 },
					{ reason: 'STYLE', count: 1 },
					{ reason: 'WRONG_ITEM', count: 1 },
				],
				returnedValue: [
					{ currency: 'EUR', cents: 17_000, returns: 2 },
					{ currency: 'USD', cents: 13_000, returns: 5 },
				],
				definition: 'returns CX Returns Desk decided 2015-04-06 to 2015-04-12; resolutions and the exchange share are of the approved ones, each reason counted once per return, value per currency',
			});
		});

		it('reads the week before page by page: 1,002 decisions, 1,000 of 1,001 approved by exchange', () => {
			expect(report(outputs).previous.returns).toMatchObject({
				decided: 1_002,
				outcomes: { approved: 1_001, declined: 1, review: 0 },
				resolutions: { exchange: 1_000, store_credit: 0, refund: 1 },
				exchangeSharePercent: 99.9,
				fault: { store: 1, customer: 1_001 },
				topReasons: [
					{ reason: 'SIZE_TOO_LARGE', count: 1_000 },
					{ reason: 'DEFECTIVE', count: 1 },
					{ reason: 'UNWANTED', count: 1 },
				],
				returnedValue: [
					{ currency: 'CAD', cents: 4200, returns: 1 },
					{ currency: 'USD', cents: 1_000_500, returns: 1_001 },
				],
			});
			expect(report(outputs).reasons).not.toContain('returns:not_read');
		});

		it('a week without rows has 0 returns, not an error', async () => {
			const empty = report(await measure({ period: 'custom', periodStart: '2015-05-04T00:00:00Z', periodEnd: '2015-05-11T00:00:00Z', responsesFrom: 'supabase', includeTickets: false, ordersFrom: 'none' }));
			expect(empty.current.returns).toMatchObject({ decided: 0, outcomes: { approved: 0, declined: 0, review: 0 }, exchangeSharePercent: null, topReasons: [], returnedValue: [] });
			expect(empty.previous.returns).toMatchObject({ decided: 0 });
		});

		it('CX KPI Report shows the Returns section from the metrics node\'s item: the top three reasons, the exchange share and the declines', async () => {
			const [[item]] = await new CxKpiReport().execute.call(executeContext({ items: [outputs[0][0].json], parameters: { sendEmail: false, storeInSupabase: false, options: { now: '2015-04-13T08:00:00Z', timeZone: 'UTC' } } }));
			const email = (item.json.report as IDataObject).email as { text: string; html: string };
			const lines = email.text.split('\n');
			const from = lines.indexOf('RETURNS');
			expect(lines.slice(from, from + 7)).toEqual([
				'RETURNS',
				'- Returns decided: 7 (last week 1,002)',
				'  Returns CX Returns Desk decided 2015-04-06 to 2015-04-12; resolutions and the exchange share are of the approved ones, each reason counted once per return, value per currency.',
				'- Top reasons: Size too small 3, Color 2, Defective 2 (last week Size too large 1,000, Defective 1, Unwanted 1)',
				'- Resolved by exchange: 60%, 3 of 5 approved (last week 99.9%, 1,000 of 1,001 approved)',
				'  Exchanges over approved returns: the store keeps the sale.',
				'- Declined: 1 (last week 1)',
			]);
			expect(email.html).toContain('>Returns</h2>');
			expect(email.html).toContain('>Size too small 3, Color 2, Defective 2</td>');
		});
	});

	describe('orders from Shopify in one bulk operation', () => {
		const october = { period: 'custom', periodStart: fromAnchor(-30), periodEnd: fromAnchor(0) };
		const DAY = 86_400_000;
		const bounds = { previousStart: Date.parse(fromAnchor(-60)), start: Date.parse(fromAnchor(-30)), end: Date.parse(fromAnchor(0)) };
		type Order = {
			id: string;
			processedAt: string;
			cancelledAt: string | null;
			test: boolean;
			returnStatus: string;
			customer: { id: string } | null;
			totalPriceSet: { shopMoney: { amount: string } };
			refunds: Array<{ id: string; note: string | null; createdAt: string | null; totalRefundedSet: { shopMoney: { amount: string } } }>;
		};
		/** The store's orders read the slow way, a page at a time, to check the node's numbers against. */
		const everyOrder = async () => {
			const client = shopifyGraphqlClient();
			const orders: Order[] = [];
			for (let after: string | null = null; ; ) {
				// the check's own reads, not the node's: refill the cost bucket rather than wait for it
				await setShopifyBucket(2000);
				const response: { data?: { orders: { nodes: Order[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } = await client.request(
					`query Orders($after: String) { orders(first: 50, after: $after, query: "processed_at:<'${fromAnchor(0)}'") {
						nodes { id processedAt cancelledAt test returnStatus customer { id } totalPriceSet { shopMoney { amount } } refunds { id note createdAt totalRefundedSet { shopMoney { amount } } } }
						pageInfo { hasNextPage endCursor } } }`,
					{ variables: { after } },
				);
				orders.push(...response.data!.orders.nodes);
				if (!response.data!.orders.pageInfo.hasNextPage) return orders;
				after = response.data!.orders.pageInfo.endCursor;
			}
		};
		const cents = (amount: string) => Math.round(Number(amount) * 100);
		const sales = (list: Order[]) => list.filter((order) => !order.cancelledAt && !order.test);
		/** Orders placed `age` days before [from, to), and those returned or refunded by `to` (the store's own delay compensations aside). */
		const returnCohort = (list: Order[], from: number, to: number, age = 46, compensationRefunds = new Set<string>()) => {
			const cohort = sales(list).filter((order) => Date.parse(order.processedAt) >= from - age * DAY && Date.parse(order.processedAt) < to - age * DAY);
			const undone = cohort.filter(
				(order) =>
					['IN_PROGRESS', 'INSPECTION_COMPLETE', 'RETURNED'].includes(order.returnStatus) ||
					order.refunds.some((refund) => Date.parse(refund.createdAt ?? order.processedAt) < to && !(refund.note ?? '').startsWith('Delay compensation ') && !compensationRefunds.has(refund.id)),
			);
			return { cohort, undone };
		};

		let metrics: MetricsReport;
		let orders: Order[];
		let graphqlRequests: number;
		const run = () => measure({ ...october, responsesFrom: 'items', includeTickets: false, ordersFrom: 'shopify' }, [{ type: 'csat', score: 5, responded_at: fromAnchor(-22, '10:00') }]);

		beforeAll(async () => {
			await setShopifyBucket(2000);
			const before = await standin<{ graphqlRequests: number }>('shopify', '/__standin/state');
			metrics = report(await run());
			graphqlRequests = (await standin<{ graphqlRequests: number }>('shopify', '/__standin/state')).graphqlRequests - before.graphqlRequests;
			orders = await everyOrder();
		});

		it('reads every order through one bulk operation: a run request and a few polls, not a page per 250 orders', () => {
			expect(orders).toHaveLength(SEEDED_ORDERS);
			expect(graphqlRequests).toBeLessThanOrEqual(10);
		});

		it('counts the return / refund rate over the orders placed 46 days before each period, whose return window has closed, as an operator counting the admin would', () => {
			const current = returnCohort(orders, bounds.start, bounds.end);
			const previous = returnCohort(orders, bounds.previousStart, bounds.start);
			expect([current.cohort.length, current.undone.length, previous.cohort.length, previous.undone.length]).toEqual(SEEDED_RETURN_COHORTS);
			expect(metrics.current.orders).toEqual({
				count: current.cohort.length,
				returnedOrRefunded: current.undone.length,
				ratePercent: Math.round((current.undone.length / current.cohort.length) * 1000) / 10,
				ageDays: 46,
				cohortStart: new Date(bounds.start - 46 * DAY).toISOString(),
				cohortEnd: new Date(bounds.end - 46 * DAY).toISOString(),
				compensationsExcluded: 0,
			});
			expect(metrics.previous.orders).toMatchObject({ count: previous.cohort.length, returnedOrRefunded: previous.undone.length, compensationsExcluded: 0 });
			// the last 46 days' orders, the newest of which are still being made, are in no cohort yet
			const young = sales(orders).filter((order) => Date.parse(order.processedAt) >= bounds.end - 46 * DAY);
			expect(young.some((order) => current.cohort.includes(order))).toBe(false);
		});

		it('leaves out a refund the compensation ledger says was the store\'s own delay compensation', async () => {
			const current = returnCohort(orders, bounds.start, bounds.end);
			const refunded = current.undone.find((order) => order.returnStatus === 'NO_RETURN' && order.refunds.length === 1)!;
			const refund = refunded.refunds[0];
			const ledgerKey = `${tag}-ledger`;
			await insert('compensation_ledger', [
				{ order_id: refunded.id, reason: 'shipping_delay', policy_version: ledgerKey, amount_cents: cents(refund.totalRefundedSet.shopMoney.amount), currency: 'USD', method: 'partialRefund', status: 'completed', idempotency_key: ledgerKey, payout_reference: refund.id },
			]);
			try {
				await setShopifyBucket(2000);
				const again = report(await run());
				const expected = returnCohort(orders, bounds.start, bounds.end, 46, new Set([refund.id]));
				expect(expected.undone).toHaveLength(current.undone.length - 1);
				expect(again.current.orders).toMatchObject({ count: current.cohort.length, returnedOrRefunded: current.undone.length - 1, compensationsExcluded: 1 });
			} finally {
				await supabase.from('compensation_ledger').delete().eq('idempotency_key', ledgerKey);
			}
		});

		it('computes lifetime value per customer and by first-order month, net of refunds made by each period\'s end', () => {
			const valueAt = (instant: number) => {
				const customers = new Map<string, { first: number; net: number }>();
				for (const order of orders) {
					const processed = Date.parse(order.processedAt);
					if (!order.customer || order.cancelledAt || order.test || processed >= instant) continue;
					const refunded = order.refunds.filter((refund) => Date.parse(refund.createdAt ?? order.processedAt) < instant).reduce((sum, refund) => sum + cents(refund.totalRefundedSet.shopMoney.amount), 0);
					const entry = customers.get(order.customer.id) ?? { first: processed, net: 0 };
					entry.first = Math.min(entry.first, processed);
					entry.net += cents(order.totalPriceSet.shopMoney.amount) - refunded;
					customers.set(order.customer.id, entry);
				}
				const all = [...customers.values()];
				const cohorts = new Map<string, { customers: number; net: number }>();
				for (const customer of all) {
					const cohort = new Date(customer.first).toISOString().slice(0, 7);
					const entry = cohorts.get(cohort) ?? { customers: 0, net: 0 };
					entry.customers++;
					entry.net += customer.net;
					cohorts.set(cohort, entry);
				}
				return {
					customers: all.length,
					perCustomer: Math.round(all.reduce((sum, customer) => sum + customer.net, 0) / all.length),
					byCohort: [...cohorts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([cohort, entry]) => ({ cohort, customers: entry.customers, perCustomer: Math.round(entry.net / entry.customers) })),
				};
			};
			const now = valueAt(bounds.end);
			const before = valueAt(bounds.start);
			expect(metrics.current.lifetimeValue).toMatchObject({ currency: 'USD', ...now });
			expect(metrics.previous.lifetimeValue).toMatchObject({ currency: 'USD', ...before });
			expect([now.customers, before.customers]).toEqual(SEEDED_CUSTOMERS_WITH_ORDERS);
			// Remy (1010) first bought 50 days before the anchor (order #1011): that month's cohort is there
			expect(metrics.current.lifetimeValue.byCohort.some((entry) => entry.cohort === fromAnchor(-50).slice(0, 7))).toBe(true);
		});

		it('grows lifetime value by new customers\' net spend in their first 90 days, this cohort against the one before', () => {
			const firsts = new Map<string, number>();
			for (const order of sales(orders)) if (order.customer) firsts.set(order.customer.id, Math.min(firsts.get(order.customer.id) ?? Infinity, Date.parse(order.processedAt)));
			const valueOf = (from: number, to: number) => {
				const customers = [...firsts.entries()].filter(([, first]) => first >= from - 90 * DAY && first < to - 90 * DAY);
				let total = 0;
				for (const [id, first] of customers) {
					for (const order of sales(orders)) {
						const processed = Date.parse(order.processedAt);
						if (order.customer?.id !== id || processed >= first + 90 * DAY) continue;
						total += cents(order.totalPriceSet.shopMoney.amount) - order.refunds.filter((refund) => Date.parse(refund.createdAt ?? order.processedAt) < first + 90 * DAY).reduce((sum, refund) => sum + cents(refund.totalRefundedSet.shopMoney.amount), 0);
					}
				}
				return { customers: customers.length, perCustomer: customers.length ? Math.round(total / customers.length) : null };
			};
			const now = valueOf(bounds.start, bounds.end);
			const before = valueOf(bounds.previousStart, bounds.start);
			const earlier = valueOf(bounds.previousStart - 30 * DAY, bounds.previousStart);
			expect([now.customers, before.customers, earlier.customers]).toEqual(SEEDED_NEW_CUSTOMER_COHORTS);
			expect(metrics.current.lifetimeValue.cohortValue).toMatchObject({ ageDays: 90, ...now });
			expect(metrics.previous.lifetimeValue.cohortValue).toMatchObject({ ageDays: 90, ...before });
			const growth = (value: number | null, base: number | null) => (value === null || base === null ? null : Math.round(((value - base) / base) * 1000) / 10);
			expect(metrics.kpis.find((kpi) => kpi.key === 'ltv_growth')).toMatchObject({ value: growth(now.perCustomer, before.perCustomer), previous: growth(before.perCustomer, earlier.perCustomer) });
		});

		it('rates the return rate and lifetime value growth against their targets', () => {
			const rate = metrics.kpis.find((kpi) => kpi.key === 'return_rate')!;
			expect(rate.status).toBe(rate.value! < 5 ? 'met' : 'missed');
			expect(metrics.reasons).toEqual(expect.arrayContaining(['tickets:not_read', `return_rate:${rate.status}`]));
		});
	});
});

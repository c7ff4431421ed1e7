import { fakeContext, NO_SERVICE } from '../../../support/fakeContext';
import { NodeOperationError, type IDataObject, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { CxSatisfactionMetrics } from '../../../../nodes/CxSatisfactionMetrics/CxSatisfactionMetrics.node';
import type { MetricsReport } from '../../../../nodes/shared/contract/metricsReport';
import { SATISFACTION_POLICY } from '../../../../nodes/shared/policy';
import { rejectionOf } from '../../../support/context';

const description = new CxSatisfactionMetrics().description;
const property = (name: string) => description.properties.find((candidate) => candidate.name === name)!;
const defaultsOf = (name: string) => Object.fromEntries((property(name).options as INodeProperties[]).map((option) => [option.name, option.default]));

/** A run on input items alone (no tickets, no orders): nothing asks for a credential unless a test says so. */
function run(items: IDataObject[], parameters: IDataObject = {}, continueOnFail = false, credentialsAsked: string[] = []) {
	const all: IDataObject = { period: 'last7Days', responsesFrom: 'items', includeTickets: false, ordersFrom: 'none', ...parameters, options: { now: '2026-11-16T12:00:00Z', timeZone: 'UTC', ...(parameters.options as IDataObject) } };
	const context = fakeContext({ node: 'CX Satisfaction Metrics', items, parameters: all, continueOnFail: continueOnFail, credentialsAsked: credentialsAsked });
	return new CxSatisfactionMetrics().execute.call(context);
}
const reportOf = (outputs: INodeExecutionData[][]) => outputs[0][0].json.metrics as unknown as MetricsReport;
const response = (type: string, score: string | number | null, respondedAt = '2026-11-10T10:00:00Z', extra: IDataObject = {}): IDataObject => ({ type, score, responded_at: respondedAt, ...extra });

describe('CX Satisfaction Metrics node description', () => {
	it('shows the policy defaults (n8n reads literal defaults; these must equal SATISFACTION_POLICY)', () => {
		expect(defaultsOf('targets')).toEqual(SATISFACTION_POLICY.targets);
		expect(defaultsOf('alerts')).toEqual(SATISFACTION_POLICY.alerts);
		expect(defaultsOf('options')).toMatchObject({ confidence: SATISFACTION_POLICY.confidence, lowSampleBelow: SATISFACTION_POLICY.lowSampleBelow, now: '', timeZone: '' });
		expect(property('period').default).toBe('last7Days');
		expect(property('responsesFrom').default).toBe('supabase');
		expect(property('includeTickets').default).toBe(true);
		expect(property('ordersFrom').default).toBe('shopify');
		expect(property('ticketsFrom')).toMatchObject({ default: 'supabase', displayOptions: { show: { includeTickets: [true] } } });
	});

	it('asks for Shopify only when orders come from Shopify', () => {
		expect(description.credentials).toEqual([
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'], ordersFrom: ['shopify'] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'], ordersFrom: ['shopify'] } } },
		]);
		expect(property('periodStart').displayOptions).toEqual({ show: { period: ['custom'] } });
		expect(property('periodEnd').displayOptions).toEqual({ show: { period: ['custom'] } });
	});
});

describe('CX Satisfaction Metrics node on input items', () => {
	it('reports the week before "now" against the week before it, from items alone', async () => {
		const asked: string[] = [];
		const outputs = await run(
			[
				response('nps', 10, '2026-11-10T10:00:00Z', { tier: 'vip' }),
				response('nps', 9),
				response('nps', 3),
				response('csat', '5'),
				response('csat', 4),
				response('csat', ''),
				response('nps', 10, '2026-11-03T10:00:00Z'),
			],
			{},
			false,
			asked,
		);
		expect(asked).toEqual([]);
		expect(outputs).toHaveLength(1);
		expect(outputs[0]).toHaveLength(1);
		expect(outputs[0][0].pairedItem).toEqual([0, 1, 2, 3, 4, 5, 6].map((item) => ({ item })));
		const report = reportOf(outputs);
		expect(report.current).toMatchObject({ start: '2026-11-09T00:00:00.000Z', end: '2026-11-16T00:00:00.000Z' });
		expect(report.current.nps).toMatchObject({ value: 33.3, sampleSize: 3, lowSample: true });
		expect(report.current.csat).toMatchObject({ value: 100, sampleSize: 2, unrated: 1 });
		expect(report.previous.nps).toMatchObject({ value: 100, sampleSize: 1 });
		expect(report.current.breakdowns.tier.vip.nps.value).toBe(100);
		expect(report.kpis.find((kpi) => kpi.key === 'nps')).toMatchObject({ value: 33.3, previous: 100, status: 'missed' });
		expect(report.alerts.map((alert) => alert.key)).toEqual(['nps_drop']);
		expect(report.reasons).toEqual(expect.arrayContaining(['tickets:not_read', 'orders:not_read']));
	});

	it('uses the targets and alert thresholds it is given', async () => {
		const outputs = await run([response('csat', 4), response('csat', 2)], { targets: { csatPercent: 40 }, alerts: { csatDropPoints: 5 } });
		expect(reportOf(outputs).kpis.find((kpi) => kpi.key === 'csat')).toMatchObject({ value: 50, target: 40, status: 'met' });
	});

	it('a custom period without an offset is in the store\'s time zone', async () => {
		const outputs = await run([response('csat', 5, '2026-11-01T04:30:00Z')], { period: 'custom', periodStart: '2026-11-01T00:00:00', periodEnd: '2026-11-02T00:00:00', options: { timeZone: 'America/New_York' } });
		const report = reportOf(outputs);
		expect(report.current).toMatchObject({ start: '2026-11-01T04:00:00.000Z', end: '2026-11-02T05:00:00.000Z' });
		expect(report.current.csat.sampleSize).toBe(1);
	});
});

describe('CX Satisfaction Metrics node errors', () => {
	it('an out-of-range score stops the run with an error naming the item and the field', async () => {
		const error = await rejectionOf<NodeOperationError>(run([response('nps', 9), response('nps', 12)]));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Item 1: field "score" is 12, outside the NPS scale 0-10 (whole numbers)');
		expect(error.context.itemIndex).toBe(1);
		expect(error.description).toContain('whole numbers from 0 to 10');
	});

	it('a score that is not a number stops the run too', async () => {
		const error = await rejectionOf<NodeOperationError>(run([response('csat', 'five')]));
		expect(error.message).toBe('Item 0: field "score" is "five", not a number on the CSAT scale 1-5');
	});

	it('with Continue On Fail, a bad response becomes an error item paired with its item and is counted as rejected', async () => {
		const outputs = await run([response('csat', 5), response('csat', 9), response('ces', 'x')], {}, true);
		expect(outputs[0]).toHaveLength(3);
		expect(outputs[0][1]).toEqual({
			json: { error: 'Item 1: field "score" is 9, outside the CSAT scale 1-5 (whole numbers)', details: expect.any(String) },
			pairedItem: { item: 1 },
		});
		expect(outputs[0][2].pairedItem).toEqual({ item: 2 });
		const report = reportOf(outputs);
		expect(report.current.csat.sampleSize).toBe(1);
		expect(report.rejected).toBe(2);
		expect(report.reasons).toContain('rejected:2');
	});

	it('input items carry responses or orders, not both', async () => {
		const error = await rejectionOf<NodeOperationError>(run([], { ordersFrom: 'items' }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Input items carry survey responses or orders, not both in one run');
	});

	it('input items carry tickets, or responses, not both', async () => {
		const error = await rejectionOf<NodeOperationError>(run([], { includeTickets: true, ticketsFrom: 'items' }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Input items carry one kind of record per run: tickets, survey responses or orders');
	});

	it.each([
		[{ options: { timeZone: 'Mars/Olympus' } }, 'Option "Store Time Zone" is "Mars/Olympus", not an IANA time zone'],
		[{ options: { now: 'yesterday' } }, 'Option "Now" is not a date: yesterday'],
		[{ period: 'custom', periodStart: '2026-11-09T00:00:00Z', periodEnd: '2026-11-02T00:00:00Z' }, 'The period must end after it starts'],
		[{ period: 'custom', periodStart: 'soon', periodEnd: '2026-11-02T00:00:00Z' }, '"Period Start" is not a date'],
		[{ targets: { csatPercent: 120 } }, 'Targets > CSAT Over (%) is 120; it must be a percent from 0 to 100'],
		[{ options: { confidence: 1 } }, 'Options > Confidence is 1; it must be from 0.5 to below 1, e.g. 0.95'],
		[{ targets: { firstResponseMetPercent: 120 } }, 'Targets > Tickets Answered in Time (%) is 120; it must be a percent from 0 to 100'],
		[{ options: { valueAgeDays: 0 } }, 'Options > Customer Value Within (Days) is 0; it must be more than 0 days'],
		[{ targets: { resolutionHours: 0 } }, 'Targets > Resolution Under (Hours) is 0; it must be more than 0'],
		[{ targets: { firstContactResolutionPercent: 101 } }, 'Targets > First-Contact Resolution Over (%) is 101; it must be a percent from 0 to 100'],
	])('refuses %j before reading anything', async (parameters, message) => {
		const asked: string[] = [];
		const error = await rejectionOf<NodeOperationError>(run([response('csat', 5)], parameters as IDataObject, false, asked));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(message);
		expect(asked).toEqual([]);
	});

	it('asks for Supabase for stored responses, tickets, or the store\'s own compensations before its orders', async () => {
		const asked: string[] = [];
		expect((await rejectionOf<Error>(run([], { responsesFrom: 'supabase' }, false, asked))).message).toBe(NO_SERVICE);
		expect((await rejectionOf<Error>(run([], { includeTickets: true }, false, asked))).message).toBe(NO_SERVICE);
		// orders read the pack's own compensations from Supabase first, then Shopify
		expect((await rejectionOf<Error>(run([], { ordersFrom: 'shopify' }, false, asked))).message).toBe(NO_SERVICE);
		expect(asked).toEqual(['cxSupabaseApi', 'cxSupabaseApi', 'cxSupabaseApi']);
	});
});

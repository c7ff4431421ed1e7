/** The returns CX Returns Desk decided, counted per period beside the return rate: pure, from rows the test writes out. */
import type { INodeExecutionData } from 'n8n-workflow';
import { CxSatisfactionMetrics } from '../../../../nodes/CxSatisfactionMetrics/CxSatisfactionMetrics.node';
import { ReturnTally, SatisfactionMetrics, type DecidedReturn, type MetricsSources, type Periods } from '../../../../nodes/CxSatisfactionMetrics/metrics';
import { decidedReturnFacts } from '../../../../nodes/CxSatisfactionMetrics/metricsInput';
import type { MetricsReport } from '../../../../nodes/shared/contract/metricsReport';
import { SATISFACTION_POLICY } from '../../../../nodes/shared/policy';
import { fakeContext } from '../../../support/fakeContext';

const at = (iso: string) => Date.parse(iso);
// the week of 16-22 November 2026 against the week before (UTC)
const week: Periods = { current: { start: at('2026-11-16T00:00:00Z'), end: at('2026-11-23T00:00:00Z') }, previous: { start: at('2026-11-09T00:00:00Z'), end: at('2026-11-16T00:00:00Z') } };
const SOURCES: MetricsSources = { responses: 'supabase', tickets: false, orders: 'none', returns: true };

/** A return_decisions row of the decide step, as PostgREST gives it (RETURN_REPORT_COLUMNS). */
const row = (createdAt: string, outcome: string, resolution: string | null, fault: string, reasons: string[], currency: string, cents: number | string) => ({
	id: 1,
	created_at: createdAt,
	outcome,
	resolution,
	fault,
	return_reasons: reasons,
	currency,
	returned_cents: cents,
});

function measure(rows: Array<Record<string, unknown>>, sources = SOURCES): MetricsReport {
	const metrics = new SatisfactionMetrics({ periods: week, policy: SATISFACTION_POLICY, timeZone: 'UTC' });
	for (const each of rows) metrics.addReturn(decidedReturnFacts(each));
	return metrics.report(sources);
}

const decided = (fields: Partial<DecidedReturn>): DecidedReturn => ({ decidedAt: at('2026-11-17T10:00:00Z'), outcome: 'approve', resolution: 'exchange', fault: 'customer', reasons: [], currency: 'USD', returnedCents: 1000, ...fields });

describe('returns decided: outcomes, exchange first, fault, reasons and value per period', () => {
	const rows = [
		// this week, 7 returns; the first at the week's first instant
		row('2026-11-16T00:00:00+00:00', 'approve', 'exchange', 'customer', ['SIZE_TOO_SMALL'], 'USD', 4000),
		// two lines both too small: one return, one reason
		row('2026-11-17T09:00:00+00:00', 'approve', 'exchange', 'customer', ['SIZE_TOO_SMALL', 'SIZE_TOO_SMALL'], 'USD', 2500),
		// two lines, two reasons: each counts once
		row('2026-11-18T09:00:00+00:00', 'approve', 'store_credit', 'customer', ['SIZE_TOO_SMALL', 'COLOR'], 'USD', 3000),
		row('2026-11-19T09:00:00+00:00', 'approve', 'refund', 'store', ['DEFECTIVE'], 'EUR', 5000),
		row('2026-11-20T09:00:00+00:00', 'decline', null, 'customer', ['STYLE'], 'USD', 1500),
		// a person decides: the refund proposed is not a resolution yet
		row('2026-11-21T09:00:00+00:00', 'review', 'refund', 'store', ['DEFECTIVE', 'WRONG_ITEM'], 'EUR', '12000'),
		// the week's last millisecond
		row('2026-11-22T23:59:59.999+00:00', 'approve', 'exchange', 'customer', ['COLOR'], 'USD', 2000),
		// the week's end belongs to no period
		row('2026-11-23T00:00:00+00:00', 'approve', 'exchange', 'customer', ['COLOR'], 'USD', 999_999),
		// last week: its first instant and its last millisecond
		row('2026-11-09T00:00:00+00:00', 'decline', null, 'customer', ['UNWANTED'], 'USD', 1000),
		row('2026-11-15T23:59:59.999+00:00', 'approve', 'refund', 'customer', ['UNWANTED', 'OTHER'], 'USD', 2000),
		// the millisecond before last week: counted nowhere
		row('2026-11-08T23:59:59.999+00:00', 'approve', 'refund', 'customer', ['UNWANTED'], 'USD', 777_777),
	];
	const report = measure(rows);

	it('seven returns this week: 5 approved, 1 declined, 1 for a person; 3 of the 5 approved by exchange, 60%', () => {
		expect(report.current.returns).toMatchObject({
			decided: 7,
			outcomes: { approved: 5, declined: 1, review: 1 },
			resolutions: { exchange: 3, store_credit: 1, refund: 1 },
			exchangeSharePercent: 60,
			fault: { store: 2, customer: 5 },
		});
	});

	it('reasons once per return, most first, a tie by name: 3 too small, then color and defective at 2 each', () => {
		expect(report.current.returns!.topReasons).toEqual([
			{ reason: 'SIZE_TOO_SMALL', count: 3 },
			{ reason: 'COLOR', count: 2 },
			{ reason: 'DEFECTIVE', count: 2 },
			{ reason: 'STYLE', count: 1 },
			{ reason: 'WRONG_ITEM', count: 1 },
		]);
	});

	it('the value sent back per currency, never added across them', () => {
		expect(report.current.returns!.returnedValue).toEqual([
			{ currency: 'EUR', cents: 17_000, returns: 2 },
			{ currency: 'USD', cents: 13_000, returns: 5 },
		]);
	});

	it('a period is [start, end): its first instant counts, its end is the next period\'s, the instant before its start the one before', () => {
		expect(report.previous.returns).toEqual({
			decided: 2,
			outcomes: { approved: 1, declined: 1, review: 0 },
			resolutions: { exchange: 0, store_credit: 0, refund: 1 },
			exchangeSharePercent: 0,
			fault: { store: 0, customer: 2 },
			topReasons: [
				{ reason: 'UNWANTED', count: 2 },
				{ reason: 'OTHER', count: 1 },
			],
			returnedValue: [{ currency: 'USD', cents: 3000, returns: 2 }],
			definition: 'returns CX Returns Desk decided 2026-11-09 to 2026-11-15; resolutions and the exchange share are of the approved ones, each reason counted once per return, value per currency',
		});
	});

	it('leaves the return rate KPI as it is: measured from the orders, not from these rows', () => {
		expect(report.kpis.find((kpi) => kpi.key === 'return_rate')).toMatchObject({ value: null, status: 'no_data' });
		expect(report.reasons).not.toContain('returns:not_read');
	});
});

describe('the return tally', () => {
	it('breaks a tie by name whatever order the returns come in', () => {
		const tally = new ReturnTally();
		for (const reasons of [['WRONG_ITEM'], ['STYLE'], ['WRONG_ITEM', 'COLOR'], ['STYLE', 'COLOR']]) tally.add(decided({ reasons }));
		expect(tally.metric('').topReasons).toEqual([
			{ reason: 'COLOR', count: 2 },
			{ reason: 'STYLE', count: 2 },
			{ reason: 'WRONG_ITEM', count: 2 },
		]);
	});

	it('a reason Shopify may add later counts as UNKNOWN, once per return with an UNKNOWN line', () => {
		const tally = new ReturnTally();
		tally.add(decided({ reasons: ['CHANGED_MIND', 'UNKNOWN'] }));
		tally.add(decided({ reasons: ['CHANGED_MIND'] }));
		expect(tally.metric('').topReasons).toEqual([{ reason: 'UNKNOWN', count: 2 }]);
	});

	it('no approved return: no exchange share, not 0%', () => {
		const tally = new ReturnTally();
		tally.add(decided({ outcome: 'decline', resolution: null }));
		tally.add(decided({ outcome: 'review', resolution: 'exchange' }));
		expect(tally.metric('')).toMatchObject({ decided: 2, outcomes: { approved: 0, declined: 1, review: 1 }, resolutions: { exchange: 0, store_credit: 0, refund: 0 }, exchangeSharePercent: null });
	});

	it('a value without a known currency is kept apart under XXX', () => {
		const tally = new ReturnTally();
		tally.add(decided({ currency: 'JPY', returnedCents: 5000 }));
		tally.add(decided({ currency: null, returnedCents: 300 }));
		tally.add(decided({ currency: 'JPY', returnedCents: 1200 }));
		expect(tally.metric('').returnedValue).toEqual([
			{ currency: 'JPY', cents: 6200, returns: 2 },
			{ currency: 'XXX', cents: 300, returns: 1 },
		]);
	});
});

describe('reading a return_decisions row', () => {
	it('reads words in any case, reasons upper case, a bigint given as text, and the decision time', () => {
		expect(decidedReturnFacts(row('2026-11-17T09:30:00+00:00', 'Approve', 'STORE_CREDIT', 'Store', ['size_too_large', ' color '], 'eur', '4599'))).toEqual({
			decidedAt: at('2026-11-17T09:30:00Z'),
			outcome: 'approve',
			resolution: 'store_credit',
			fault: 'store',
			reasons: ['SIZE_TOO_LARGE', 'COLOR'],
			currency: 'EUR',
			returnedCents: 4599,
		});
	});

	it('a row without reasons, currency or value counts as a return with none of them', () => {
		expect(decidedReturnFacts({ created_at: '2026-11-17T09:30:00Z', outcome: 'decline', return_reasons: null, currency: 'dollars', returned_cents: null })).toEqual({
			decidedAt: at('2026-11-17T09:30:00Z'),
			outcome: 'decline',
			resolution: null,
			fault: null,
			reasons: [],
			currency: null,
			returnedCents: 0,
		});
	});
});

describe('returns when the run does not read Supabase', () => {
	const zero = { decided: 0, outcomes: { approved: 0, declined: 0, review: 0 }, resolutions: { exchange: 0, store_credit: 0, refund: 0 }, exchangeSharePercent: null, fault: { store: 0, customer: 0 }, topReasons: [], returnedValue: [] };

	it('the report has 0 returns in both periods and says they were not read', () => {
		const report = measure([], { ...SOURCES, returns: false });
		expect(report.current.returns).toMatchObject(zero);
		expect(report.previous.returns).toMatchObject(zero);
		expect(report.reasons).toContain('returns:not_read');
	});

	it('a run on input items alone asks for no credential and reports 0 returns, not an error', async () => {
		const asked: string[] = [];
		const context = fakeContext({
			node: 'CX Satisfaction Metrics',
			items: [{ type: 'csat', score: 5, responded_at: '2026-11-17T10:00:00Z' }],
			parameters: { period: 'last7Days', responsesFrom: 'items', includeTickets: false, ordersFrom: 'none', options: { now: '2026-11-23T12:00:00Z', timeZone: 'UTC' } },
			credentialsAsked: asked,
		});
		const outputs: INodeExecutionData[][] = await new CxSatisfactionMetrics().execute.call(context);
		const report = outputs[0][0].json.metrics as unknown as MetricsReport;
		expect(asked).toEqual([]);
		expect(report.current.returns).toMatchObject(zero);
		expect(report.reasons).toContain('returns:not_read');
	});
});

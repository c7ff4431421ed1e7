/** The KPI report's Returns section, from a report CX Satisfaction Metrics made of the returns CX Returns Desk decided. */
import { kpiReportTemplateData, renderKpiReportEmail } from '../../../../nodes/CxKpiReport/kpiReportEmail';
import { tryReadMetricsReport } from '../../../../nodes/CxKpiReport/reportInput';
import { SatisfactionMetrics, type DecidedReturn } from '../../../../nodes/CxSatisfactionMetrics/metrics';
import type { MetricsReport } from '../../../../nodes/shared/contract/metricsReport';
import { InputProblem } from '../../../../nodes/shared/items';
import { SATISFACTION_POLICY } from '../../../../nodes/shared/policy';
import { metricsReportFixture } from '../../../support/metricsReportFixture';

const at = (iso: string) => Date.parse(iso);
const options = { storeName: 'Example Store', timeZone: 'UTC', preparedAt: '2026-11-23T08:00:00.000Z' };

/** The week of 16-22 November 2026: seven returns decided; the week before, two. */
function returnsReport(read = true): MetricsReport {
	const metrics = new SatisfactionMetrics({
		periods: { current: { start: at('2026-11-16T00:00:00Z'), end: at('2026-11-23T00:00:00Z') }, previous: { start: at('2026-11-09T00:00:00Z'), end: at('2026-11-16T00:00:00Z') } },
		policy: SATISFACTION_POLICY,
		timeZone: 'UTC',
	});
	const decided = (day: string, outcome: DecidedReturn['outcome'], resolution: DecidedReturn['resolution'], reasons: string[]): DecidedReturn => ({
		decidedAt: at(`${day}T10:00:00Z`),
		outcome,
		resolution,
		fault: reasons.includes('DEFECTIVE') ? 'store' : 'customer',
		reasons,
		currency: 'USD',
		returnedCents: 2500,
	});
	if (read) {
		for (const each of [
			decided('2026-11-16', 'approve', 'exchange', ['SIZE_TOO_SMALL']),
			decided('2026-11-17', 'approve', 'exchange', ['SIZE_TOO_SMALL', 'SIZE_TOO_SMALL']),
			decided('2026-11-18', 'approve', 'store_credit', ['SIZE_TOO_SMALL', 'COLOR']),
			decided('2026-11-19', 'approve', 'refund', ['DEFECTIVE']),
			decided('2026-11-20', 'decline', null, ['STYLE']),
			decided('2026-11-21', 'review', 'refund', ['DEFECTIVE', 'WRONG_ITEM']),
			decided('2026-11-22', 'approve', 'exchange', ['COLOR']),
			decided('2026-11-10', 'decline', null, ['UNWANTED']),
			decided('2026-11-11', 'approve', 'refund', ['UNWANTED']),
		]) {
			metrics.addReturn(each);
		}
	}
	return metrics.report({ responses: 'supabase', tickets: false, orders: 'none', returns: read });
}

const sectionOf = (text: string) => text.slice(text.indexOf('\nRETURNS\n') + 1, text.indexOf('CUSTOMER LIFETIME VALUE')).trimEnd().split('\n');

describe('the KPI report shows the returns decided', () => {
	const { html, text } = renderKpiReportEmail(returnsReport(), options);

	it('the text part: 7 returns, the top three reasons with their counts, 3 of 5 approved by exchange, 1 declined', () => {
		expect(sectionOf(text)).toEqual([
			'RETURNS',
			'- Returns decided: 7 (last week 2)',
			'  Returns CX Returns Desk decided 2026-11-16 to 2026-11-22; resolutions and the exchange share are of the approved ones, each reason counted once per return, value per currency.',
			'- Top reasons: Size too small 3, Color 2, Defective 2 (last week Unwanted 2)',
			'- Resolved by exchange: 60%, 3 of 5 approved (last week 0%, 0 of 1 approved)',
			'  Exchanges over approved returns: the store keeps the sale.',
			'- Declined: 1 (last week 1)',
		]);
	});

	it('the HTML has a Returns section after orders and returns, the same rows', () => {
		expect(html.indexOf('>Returns</h2>')).toBeGreaterThan(html.indexOf('>Orders and returns</h2>'));
		expect(html).toContain('>Size too small 3, Color 2, Defective 2</td>');
		expect(html).toContain('>60%, 3 of 5 approved</td>');
		expect(html).toContain('>Returns decided<div');
	});

	it('a dynamic template gets the same rows', () => {
		const rows = kpiReportTemplateData(returnsReport(), options).returns as Array<Record<string, string>>;
		expect(rows.map((row) => [row.name, row.now, row.before])).toEqual([
			['Returns decided', '7', '2'],
			['Top reasons', 'Size too small 3, Color 2, Defective 2', 'Unwanted 2'],
			['Resolved by exchange', '60%, 3 of 5 approved', '0%, 0 of 1 approved'],
			['Declined', '1', '1'],
		]);
	});

	it('a run that did not read Supabase says 0 returns', () => {
		const rendered = renderKpiReportEmail(returnsReport(false), options);
		expect(sectionOf(rendered.text)).toEqual([
			'RETURNS',
			'- Returns decided: 0 (last week 0)',
			'  Returns CX Returns Desk decided 2026-11-16 to 2026-11-22; resolutions and the exchange share are of the approved ones, each reason counted once per return, value per currency.',
			'- Top reasons: none (last week none)',
			'- Resolved by exchange: no data (last week no data)',
			'  Exchanges over approved returns: the store keeps the sale.',
			'- Declined: 0 (last week 0)',
		]);
		expect(rendered.html).toContain('>Returns</h2>');
	});

	it('a report made before returns were counted has no Returns section', () => {
		const older = renderKpiReportEmail(metricsReportFixture(), options);
		expect(older.html).not.toContain('>Returns</h2>');
		expect(older.text).not.toContain('\nRETURNS\n');
		expect(kpiReportTemplateData(metricsReportFixture(), options).returns).toEqual([]);
	});

	it('escapes a reason from the data like every other text', () => {
		const report = returnsReport();
		(report.current.returns!.topReasons[0] as { reason: string }).reason = '<img src=x onerror=alert(1)>';
		const rendered = renderKpiReportEmail(report, options);
		expect(rendered.html).not.toContain('<img');
		expect(rendered.html).toContain('&lt;img src=x onerror=alert(1)&gt; 3, Color 2, Defective 2');
	});

	it('reads the returns of a report, and names a bad part', () => {
		const report = returnsReport();
		expect(tryReadMetricsReport({ metrics: report } as never)).toBe(report);
		(report.previous.returns!.outcomes as Record<string, unknown>).declined = -1;
		expect((tryReadMetricsReport({ metrics: report } as never) as InputProblem).message).toBe('"metrics.previous.returns.outcomes.declined" must be a count but is number -1');
		const other = returnsReport();
		(other.current.returns!.topReasons as unknown[]).push({ reason: 'COLOR' });
		expect(tryReadMetricsReport({ metrics: other } as never)).toBeInstanceOf(InputProblem);
		const share = returnsReport();
		share.current.returns!.exchangeSharePercent = 140;
		expect((tryReadMetricsReport({ metrics: share } as never) as InputProblem).message).toBe('"metrics.current.returns.exchangeSharePercent" must be a percentage from 0 to 100, or null but is number 140');
	});
});

/** The KPI report's ticket-resolution rows, from a report CX Satisfaction Metrics made of the tickets' lifecycle. */
import { kpiReportTemplateData, renderKpiReportEmail } from '../../../../nodes/CxKpiReport/kpiReportEmail';
import { tryReadMetricsReport } from '../../../../nodes/CxKpiReport/reportInput';
import { SatisfactionMetrics, type TicketFacts } from '../../../../nodes/CxSatisfactionMetrics/metrics';
import type { MetricsReport } from '../../../../nodes/shared/contract/metricsReport';
import { InputProblem } from '../../../../nodes/shared/items';
import { SATISFACTION_POLICY } from '../../../../nodes/shared/policy';
import { metricsReportFixture } from '../../../support/metricsReportFixture';

const at = (iso: string) => Date.parse(iso);
const options = { storeName: 'Example Store', timeZone: 'UTC', preparedAt: '2026-11-23T08:00:00.000Z' };

/** The week of 16-22 November 2026: four tickets first solved, one of them reopened; the week before, one. */
function lifecycleReport(): MetricsReport {
	const metrics = new SatisfactionMetrics({
		periods: { current: { start: at('2026-11-16T00:00:00Z'), end: at('2026-11-23T00:00:00Z') }, previous: { start: at('2026-11-09T00:00:00Z'), end: at('2026-11-16T00:00:00Z') } },
		policy: SATISFACTION_POLICY,
		timeZone: 'UTC',
	});
	const ticket = (created: string, status: string, first: string, latest: string, life: Partial<TicketFacts> = {}): TicketFacts => ({
		createdAt: at(created),
		firstRespondedAt: null,
		resolvedAt: at(latest),
		status,
		firstResolvedAt: at(first),
		pausedSeconds: 0,
		reopenCount: 0,
		repliesToResolution: 1,
		...life,
	});
	// one reply, solved in 10 h
	metrics.addTicket(ticket('2026-11-16T08:00:00Z', 'solved', '2026-11-16T18:00:00Z', '2026-11-16T18:00:00Z'));
	// one reply, solved 60 h after it was written, 20 h of them on hold for the customer: 40 h
	metrics.addTicket(ticket('2026-11-17T00:00:00Z', 'solved', '2026-11-19T12:00:00Z', '2026-11-19T12:00:00Z', { pausedSeconds: 20 * 3600 }));
	// two replies, solved in 50 h: late, and not at first contact
	metrics.addTicket(ticket('2026-11-18T00:00:00Z', 'closed', '2026-11-20T02:00:00Z', '2026-11-20T02:00:00Z', { repliesToResolution: 2 }));
	// one reply, solved in 3 h, reopened by the customer and open again
	metrics.addTicket(ticket('2026-11-20T00:00:00Z', 'open', '2026-11-20T03:00:00Z', '2026-11-20T03:00:00Z', { reopenCount: 1 }));
	// the week before: one reply, solved in 1 h
	metrics.addTicket(ticket('2026-11-10T00:00:00Z', 'solved', '2026-11-10T01:00:00Z', '2026-11-10T01:00:00Z'));
	return metrics.report({ responses: 'supabase', tickets: true, orders: 'none' });
}

describe('the KPI report shows the tickets\' resolution, each row with its definition', () => {
	const { html, text, subject } = renderKpiReportEmail(lifecycleReport(), options);

	it('a week where a ticket on hold for the customer still made 48 hours, one needed two replies and one was reopened: the rows say so', () => {
		const section = text.slice(text.indexOf('TICKET RESOLUTION'), text.indexOf('ORDERS AND RETURNS'));
		expect(section.split('\n')).toEqual([
			'TICKET RESOLUTION',
			'- Resolution time, median (p50): 40 h (last week 1 h)',
			'- Resolution time, 90th percentile (p90): 48 h (last week 1 h)',
			'- Resolved within 48 h: 66.7%, 2 of 3 (last week 100%, 1 of 1)',
			'  Each ticket solved in the period (its latest solve), from creation to solve less the time it waited on the customer (pending, on hold), against 48 h; met when at least 90% of tickets are resolved in time. 20 h waiting on customers left out this week.',
			'- First-contact resolution: 50%, 2 of 4 (last week 100%, 1 of 1)',
			'  Tickets first solved in the period with exactly one agent reply before the solve and never reopened, over the tickets first solved in the period whose replies are known.',
			'- Reopen rate: 25%, 1 of 4 (last week 0%, 0 of 1)',
			'  Tickets first solved in the period that were opened again, over the tickets first solved in the period.',
			'',
			'',
		]);
	});

	it('the three KPIs are headline tiles with their targets: 48 h for 90% of tickets, first contact over 80%, reopens under 10%', () => {
		expect(subject).toBe('Example Store: weekly CX report, Nov 16, 2026 to Nov 22, 2026: 0 of 8 KPIs met');
		expect(text).toContain('- Tickets resolved within 48 h: 66.7% [each ticket solved in the period (its latest solve), from creation to solve less the time it waited on the customer (pending, on hold), against 48 h; met when at least 90% of tickets are resolved in time (2 of 3; p50 40 h, p90 48 h)], target ≥ 90%: Missed;');
		expect(text).toContain('- First-contact resolution: 50% [tickets first solved in the period with exactly one agent reply before the solve and never reopened, over the tickets first solved in the period whose replies are known (2 of 4)], target > 80%: Missed;');
		expect(text).toContain('- Reopen rate: 25% [tickets first solved in the period that were opened again, over the tickets first solved in the period (1 of 4)], target < 10%: Missed;');
		expect(html).toContain('>Tickets resolved within 48 h</div>');
		expect(html).toContain('Target &lt; 10%');
	});

	it('the HTML has the same rows, the definition under each name', () => {
		expect(html).toContain('>Ticket resolution</h2>');
		expect(html).toContain('>Resolution time, median (p50)</td>');
		expect(html).toContain('>40 h</td>');
		expect(html).toContain('Resolved within 48 h<div style="font-size:11px;color:#5f6368;padding-top:2px">Each ticket solved in the period (its latest solve), from creation to solve less the time it waited on the customer (pending, on hold), against 48 h; met when at least 90% of tickets are resolved in time. 20 h waiting on customers left out this week.</div></td>');
		expect(html).toContain('>66.7%, 2 of 3</td>');
		expect(html).toContain('>50%, 2 of 4</td>');
		expect(html).toContain('>25%, 1 of 4</td>');
	});

	it('a dynamic template gets the same rows', () => {
		const rows = kpiReportTemplateData(lifecycleReport(), options).ticket_resolution as Array<Record<string, string>>;
		expect(rows.map((row) => [row.name, row.now, row.before])).toEqual([
			['Resolution time, median (p50)', '40 h', '1 h'],
			['Resolution time, 90th percentile (p90)', '48 h', '1 h'],
			['Resolved within 48 h', '66.7%, 2 of 3', '100%, 1 of 1'],
			['First-contact resolution', '50%, 2 of 4', '100%, 1 of 1'],
			['Reopen rate', '25%, 1 of 4', '0%, 0 of 1'],
		]);
		expect(kpiReportTemplateData(metricsReportFixture(), options).ticket_resolution).toEqual([]);
	});

	it('a report made before the lifecycle was measured renders as before, with no resolution section', () => {
		const older = renderKpiReportEmail(metricsReportFixture(), options);
		expect(older.html).not.toContain('Ticket resolution');
		expect(older.text).not.toContain('TICKET RESOLUTION');
		expect(older.subject).toBe('Example Store: weekly CX report, Nov 16, 2026 to Nov 22, 2026: 1 of 5 KPIs met, 3 alerts');
		expect(tryReadMetricsReport({ metrics: metricsReportFixture() as unknown as Record<string, unknown> } as never)).not.toBeInstanceOf(InputProblem);
	});

	it('reads the new parts of a report, and names a bad one', () => {
		const report = lifecycleReport();
		expect(tryReadMetricsReport({ metrics: report } as never)).toBe(report);
		(report.current.resolution as unknown as Record<string, unknown>).p90Hours = 'late';
		const problem = tryReadMetricsReport({ metrics: report } as never) as InputProblem;
		expect(problem).toBeInstanceOf(InputProblem);
		expect(problem.message).toBe('"metrics.current.resolution.p90Hours" must be a number of 0 or more, or null but is "late"');
	});
});

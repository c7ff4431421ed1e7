import type { MetricsReport } from '../../../../nodes/shared/contract/metricsReport';
import {
	MAX_SEGMENTS,
	bar,
	barWidth,
	formatChange,
	kpiReportTemplateData,
	periodLabel,
	renderKpiReportEmail,
	reportSubject,
	shares,
} from '../../../../nodes/CxKpiReport/kpiReportEmail';
import { metricsReportFixture, score } from '../../../support/metricsReportFixture';

const HOSTILE = '<script>alert("x")</script>';
const options = { storeName: 'Example Store', timeZone: 'UTC', preparedAt: '2026-11-23T08:00:00.000Z' };

/** Every bar row's painted cells: their widths, one list per bar. */
function barRows(html: string): number[][] {
	const rows = html.match(/<tr>(?:<td width="\d+%" height="12"[^>]*>&nbsp;<\/td>)+<\/tr>/g) ?? [];
	return rows.map((row) => [...row.matchAll(/<td width="(\d+)%"/g)].map((match) => Number(match[1])));
}

function hostileReport(): MetricsReport {
	const report = metricsReportFixture();
	const segment = report.current.breakdowns.channel.email;
	report.current.breakdowns.channel = { [HOSTILE]: segment, 'Tom & "Jerry"': segment };
	report.current.breakdowns.tier = { "vip's <b>best</b>": segment };
	report.current.breakdowns.issue_type = { '<img src=x onerror=alert(1)>': segment };
	report.current.lifetimeValue.byCohort = [{ cohort: '<i>2026-10</i>', customers: 3, perCustomer: 1000 }];
	report.kpis[1].label = 'CSAT <u>weekly</u>';
	report.alerts[0].message = `NPS fell ${HOSTILE}`;
	report.summary = 'Summary with <a href="https://evil.example">a link</a>';
	report.reasons = ['reason:<script>'];
	return report;
}

describe('renderKpiReportEmail: escaping', () => {
	const store = 'Tom & Jerry\'s <Art> Shop';
	const { html, text, subject } = renderKpiReportEmail(hostileReport(), { ...options, storeName: store });

	it('puts no markup from the data into the HTML: channels, tiers, issue types, cohorts, labels, alerts, summary, reasons, store name', () => {
		expect(html).not.toMatch(/<script|<img|<b>|<i>|<u>|<a href/i);
		for (const escaped of [
			'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;',
			'Tom &amp; &quot;Jerry&quot;',
			'vip&#39;s &lt;b&gt;best&lt;/b&gt;',
			'&lt;img src=x onerror=alert(1)&gt;',
			'&lt;i&gt;2026-10&lt;/i&gt;',
			'CSAT &lt;u&gt;weekly&lt;/u&gt;',
			'NPS fell &lt;script&gt;',
			'&lt;a href=&quot;https://evil.example&quot;&gt;',
			'reason:&lt;script&gt;',
			'Tom &amp; Jerry&#39;s &lt;Art&gt; Shop',
		]) {
			expect(html).toContain(escaped);
		}
	});

	it('keeps the data as written in the text part and the subject', () => {
		expect(text).toContain(HOSTILE);
		expect(text).toContain('Tom & "Jerry"');
		expect(text).toContain('<img src=x onerror=alert(1)>');
		expect(subject.startsWith(store)).toBe(true);
	});

	it('keeps the subject on one line whatever the store name holds', () => {
		expect(reportSubject(metricsReportFixture(), { storeName: 'Example\r\nBcc: someone@example.test' })).not.toMatch(/[\r\n]/);
	});
});

describe('renderKpiReportEmail: what email clients need', () => {
	const { html } = renderKpiReportEmail(metricsReportFixture(), options);

	it('has no script, SVG, style sheet, class, flex box or grid: tables and inline styles only', () => {
		expect(html).not.toMatch(/<script|<svg|<style|<link|<iframe|<form|class=|javascript:/i);
		expect(html).not.toMatch(/flex|grid/i);
		expect(html).not.toMatch(/position\s*:/i);
		expect(html).toMatch(/^<!DOCTYPE html>/);
		expect(html).toContain('role="presentation"');
	});

	it('stays well under the size at which Gmail clips a message (102 KB), even with many segments', () => {
		const report = metricsReportFixture();
		const segment = report.current.breakdowns.channel.email;
		for (const dimension of ['tier', 'channel', 'issue_type'] as const) {
			report.current.breakdowns[dimension] = Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`segment-${index}`, segment]));
		}
		const rendered = renderKpiReportEmail(report, options);
		expect(Buffer.byteLength(rendered.html)).toBeLessThan(90_000);
		expect(rendered.html).toContain(`And ${40 - MAX_SEGMENTS} more with fewer answers.`);
		expect(rendered.html).not.toContain('segment-39');
	});
});

describe('renderKpiReportEmail: headline KPIs', () => {
	const { html, text } = renderKpiReportEmail(metricsReportFixture(), options);

	it('tells each status with a word and a sign, not colour alone', () => {
		expect(html).toContain('✓ Met</span>');
		expect(html).toContain('✗ Missed</span>');
		expect(html).toContain('– No data</span>');
		expect((html.match(/✗ Missed<\/span>/g) ?? []).length).toBe(3);
		expect(text).toContain('- Tickets answered within 4 h: 92.1% [each ticket against 4 h; p50 3.2 h, p90 9.6 h], target ≥ 90%: Met;');
		expect(text).toContain('- Lifetime value growth: no data, target > 0%: No data;');
	});

	it('shows value, target and the change against last week with an arrow, its sign and whether it is better', () => {
		expect(html).toContain('Target ≥ 90%');
		expect(html).toContain('Target &gt; 90%');
		expect(html).toContain('▲ +6.4 pts vs last week (better)');
		expect(html).toContain('▼ -4.5 pts vs last week (worse)');
		expect(html).toContain('▲ +4.4 pts vs last week (worse)');
		expect(html).toContain('no comparison with last week');
		expect(text).toContain('- NPS: 35 [95% CI 23 to 46, n 120], target > 50: Missed; ▼ -17 pts vs last week (worse); last week 52');
	});

	it('formats changes by unit: hours in h, percentages and scores in points', () => {
		expect(formatChange(-0.8, 'hours')).toBe('▼ -0.8 h');
		expect(formatChange(2.46, 'percent')).toBe('▲ +2.5 pts');
		expect(formatChange(0.01, 'score')).toBe('no change');
		expect(formatChange(null, 'score')).toBe('no comparison');
	});

	it('puts the alerts at the top, before the KPIs, each with its value and threshold', () => {
		const alerts = html.indexOf('3 alerts this week');
		expect(alerts).toBeGreaterThan(0);
		expect(alerts).toBeLessThan(html.indexOf('Headline KPIs'));
		expect((html.match(/<li /g) ?? []).length).toBe(3);
		expect(html).toContain('NPS fell 17 points against the previous week <span style="color:#5f6368">(now 17 pts, threshold 15 pts)</span>');
		expect(html).toContain('(now 8%, threshold 7%)');
		expect(text.indexOf('ALERTS (3)')).toBeLessThan(text.indexOf('HEADLINE KPIS'));
	});

	it('shows no alert box when there are no alerts', () => {
		const report = metricsReportFixture();
		report.alerts = [];
		const rendered = renderKpiReportEmail(report, options);
		expect(rendered.html).not.toContain('alerts this week');
		expect(rendered.html).not.toContain('alert this week');
		expect(rendered.text).not.toContain('ALERTS');
		expect(rendered.subject).toBe('Example Store: weekly CX report, Nov 16, 2026 to Nov 22, 2026: 1 of 5 KPIs met');
	});

	it('names the store, the week and the KPIs met and alerts in the subject', () => {
		expect(renderKpiReportEmail(metricsReportFixture(), options).subject).toBe('Example Store: weekly CX report, Nov 16, 2026 to Nov 22, 2026: 1 of 5 KPIs met, 3 alerts');
	});
});

describe('renderKpiReportEmail: charts', () => {
	it('clamps bar widths to 0-100 and rounds them', () => {
		expect(barWidth(-5)).toBe(0);
		expect(barWidth(150)).toBe(100);
		expect(barWidth(42.6)).toBe(43);
		expect(barWidth(null)).toBe(0);
		expect(barWidth(Number.NaN)).toBe(0);
		expect(barRows(bar(150, '#000000'))).toEqual([[100]]);
		expect(barRows(bar(-10, '#000000'))).toEqual([[100]]);
		expect(barRows(bar(30, '#000000'))).toEqual([[30, 70]]);
	});

	it('draws every bar, out-of-range data included, as cells whose widths add up to 100%', () => {
		const report = metricsReportFixture();
		report.current.csat = score(130, 10, { positive: 10, other: 0 });
		report.previous.csat = score(-20, 10, { positive: 0, other: 10 });
		report.current.nps = score(-250, 10, { promoters: 0, passives: 0, detractors: 10 });
		report.current.firstResponse.withinTargetPercent = 1e9;
		const rows = barRows(renderKpiReportEmail(report, options).html);
		// six score bars, two NPS mixes, six breakdown bars, two response bars, three cohorts
		expect(rows.length).toBe(19);
		for (const widths of rows) {
			expect(widths.every((width) => width > 0 && width <= 100)).toBe(true);
			expect(widths.reduce((sum, width) => sum + width, 0)).toBe(100);
		}
	});

	it('charts NPS, CSAT and CES this week against last week, with intervals and low-sample marks', () => {
		const { html } = renderKpiReportEmail(metricsReportFixture(), options);
		const chart = html.slice(html.indexOf('Satisfaction: this week against last week'), html.indexOf('By customer tier'));
		expect(chart).toContain('<strong>NPS</strong>');
		expect(chart).toContain('<strong>CSAT</strong>');
		expect(chart).toContain('<strong>CES</strong>');
		expect((chart.match(/>This week</g) ?? []).length).toBe(3);
		expect((chart.match(/>Last week</g) ?? []).length).toBe(3);
		// CSAT 86.5% this week: a bar of 87% and its track; NPS 35 on -100..100: 68%
		expect(chart).toContain('<td width="87%"');
		expect(chart).toContain('<td width="68%"');
		expect(chart).toContain('95% CI 79.5% to 91.5%, n 96');
		expect(chart).toContain('&#8224; low sample');
		expect(chart).toContain('promoters 55%</span>, passives 25%, <span style="color:#d93025">detractors 20%');
	});

	it('breaks satisfaction down by tier, channel and issue type, most answers first, against last week', () => {
		const report = metricsReportFixture();
		report.previous.breakdowns.tier.vip.csat = score(90.5, 20, { positive: 18, other: 2 });
		report.previous.breakdowns.tier.vip.ces = score(null, 0, {});
		const { html, text } = renderKpiReportEmail(report, options);
		for (const title of ['By customer tier', 'By channel', 'By issue type']) expect(html).toContain(title);
		expect(html.indexOf('>regular<')).toBeLessThan(html.indexOf('>vip<'));
		expect(html).toContain('last week 90.5%</div>');
		expect(text).toContain('- vip: CSAT 96% (n 25, low sample, last week 90.5%), NPS 72 (n 25, low sample, last week 72), CES 80% (n 5, low sample)');
		expect(text).toContain('BY ISSUE TYPE');
	});

	it('splits a whole into percents that add up to 100', () => {
		expect(shares([1, 1, 1])).toEqual([34, 33, 33]);
		expect(shares([66, 30, 24])).toEqual([55, 25, 20]);
		expect(shares([0, 0, 0])).toEqual([0, 0, 0]);
	});
});

describe('renderKpiReportEmail: the text part says the same facts', () => {
	const { text } = renderKpiReportEmail(metricsReportFixture(), options);

	it('has the week, the scores, response times, returns, lifetime value by cohort and the backlog', () => {
		for (const line of [
			'Weekly customer experience report: Example Store',
			'Nov 16, 2026 to Nov 22, 2026, against Nov 9, 2026 to Nov 15, 2026',
			'1 of 5 KPIs met. One of five KPIs met; NPS fell 17 points and returns are up.',
			'- NPS fell 17 points against the previous week (now 17 pts, threshold 15 pts)',
			'- CES (share agreeing the issue was easy to handle): this week 77.3% (95% CI 57.3% to 89.3%, n 22, low sample); last week 75%',
			'  NPS mix this week: promoters 55% (66), passives 25% (30), detractors 20% (24)',
			'- Median (p50): 3.2 h (last week 4 h)',
			'- 90th percentile (p90): 9.6 h (last week 12 h)',
			'- Answered within 4 h: 92.1% (last week 85.7%)',
			"  Each ticket's first response is held to 4 h; met when at least 90% of tickets are answered in time.",
			'- Return rate: 8%, target < 5% (last week 3.6%)',
			"  Orders placed Oct 1, 2026 to Oct 7, 2026 (46 days before the period, so their return window has closed), returned or refunded by the week's end. 2 with the store's own delay compensation, which is not a return.",
			"- New customers' value at 90 days: $98.70, 88 customers (last week no data, 0 customers)",
			'  Growth compares net spend per new customer within 90 days of their first order.',
			'- Per customer: $142.10 (last week $139.80)',
			'- Cohort 2026-09: $184.50 per customer, 210 customers',
			"- Open tickets at the week's end: 57 (last week 41)",
			'Confidence intervals: NPS adjusted Wald at 95%, CSAT Wilson at 95%, CES Wilson at 95%. Unrated answers are not counted.',
			'Prepared by CX KPI Report on Nov 23, 2026, 08:00 UTC.',
		]) {
			expect(text).toContain(line);
		}
		expect(text).not.toMatch(/<[a-z]/i);
	});

	it('shows dates in the store\'s time zone; the period end is exclusive', () => {
		expect(periodLabel({ start: '2026-11-16T00:00:00.000Z', end: '2026-11-23T00:00:00.000Z' }, 'UTC')).toBe('Nov 16, 2026 to Nov 22, 2026');
		expect(periodLabel({ start: '2026-11-16T05:00:00.000Z', end: '2026-11-23T05:00:00.000Z' }, 'America/New_York')).toBe('Nov 16, 2026 to Nov 22, 2026');
		expect(periodLabel({ start: '2026-11-16T00:00:00.000Z', end: '2026-11-23T00:00:00.000Z' }, 'Not/AZone')).toBe('Nov 16, 2026 to Nov 22, 2026');
	});

	it('says so when input items could not be counted', () => {
		const report = metricsReportFixture();
		report.rejected = 2;
		const rendered = renderKpiReportEmail(report, options);
		expect(rendered.text).toContain('2 input items could not be counted.');
		expect(rendered.html).toContain('2 input items could not be counted');
	});

	it('renders a report whose optional parts are missing as "no data"', () => {
		const report = metricsReportFixture() as unknown as Record<string, Record<string, unknown>>;
		for (const period of ['current', 'previous']) {
			delete report[period].firstResponse;
			delete report[period].orders;
			delete report[period].lifetimeValue;
			delete report[period].breakdowns;
			report[period].backlog = null;
		}
		const rendered = renderKpiReportEmail(report as unknown as MetricsReport, options);
		expect(rendered.html).toContain('No first-response data.');
		expect(rendered.text).toContain("- Open tickets at the week's end: no data (last week no data)");
		expect(rendered.html).not.toContain('By channel');
	});
});

describe('renderKpiReportEmail: periods other than a week', () => {
	it('speaks of this period and the previous one, not of weeks', () => {
		const report = metricsReportFixture();
		Object.assign(report.current, { start: '2026-10-24T00:00:00.000Z', end: '2026-11-23T00:00:00.000Z' });
		Object.assign(report.previous, { start: '2026-09-24T00:00:00.000Z', end: '2026-10-24T00:00:00.000Z' });
		report.alerts[0].message = 'NPS fell 17 points';
		const { subject, html, text } = renderKpiReportEmail(report, options);
		expect(subject).toBe('Example Store: CX report, Oct 24, 2026 to Nov 22, 2026: 1 of 5 KPIs met, 3 alerts');
		expect(html).toContain('>Customer experience report</div>');
		expect(html).toContain('3 alerts this period');
		expect(html).toContain('▲ +6.4 pts vs previous period (better)');
		expect(html).toContain('>Previous period<');
		expect(text).toContain("- Open tickets at the period's end: 57 (previous period 41)");
		expect(`${html}${text}`).not.toMatch(/week/i);
	});

	it('counts a week across a daylight saving change as a week', () => {
		const report = metricsReportFixture();
		Object.assign(report.current, { start: '2026-10-26T04:00:00.000Z', end: '2026-11-02T05:00:00.000Z' });
		expect(renderKpiReportEmail(report, { ...options, timeZone: 'America/New_York' }).subject).toContain('weekly CX report, Oct 26, 2026 to Nov 1, 2026');
	});
});

describe('renderKpiReportEmail: unrated answers', () => {
	it('says how many answers were left unrated beside the sample size', () => {
		const report = metricsReportFixture();
		report.current.csat.unrated = 7;
		const { html, text } = renderKpiReportEmail(report, options);
		expect(html).toContain('95% CI 79.5% to 91.5%, n 96, 7 unrated');
		expect(text).toContain('- CSAT: 86.5% [95% CI 79.5% to 91.5%, n 96, 7 unrated], target > 90%: Missed;');
	});
});

describe('kpiReportTemplateData', () => {
	it('gives a dynamic template the report and the words the built-in email shows', () => {
		const data = kpiReportTemplateData(metricsReportFixture(), options);
		expect(data).toMatchObject({
			subject: 'Example Store: weekly CX report, Nov 16, 2026 to Nov 22, 2026: 1 of 5 KPIs met, 3 alerts',
			store_name: 'Example Store',
			period: { start: '2026-11-16T00:00:00.000Z', end: '2026-11-23T00:00:00.000Z', label: 'Nov 16, 2026 to Nov 22, 2026' },
			kpis_met: 1,
			kpis_counted: 5,
			has_alerts: true,
		});
		expect((data.kpis as Array<Record<string, unknown>>)[0]).toMatchObject({ key: 'first_response', formatted_value: '92.1%', formatted_target: '≥ 90%', formatted_change: '▲ +6.4 pts', status_word: 'Met', trend: 'up', better: true });
		expect((data.alerts as Array<Record<string, unknown>>)[2]).toMatchObject({ key: 'backlog', facts: 'now 57, threshold 50' });
	});
});

describe('renderKpiReportEmail: how response time, returns and customer value are judged', () => {
	it('six tickets in 1 h and four in 30 h: the email shows p50 1 h, p90 30 h and 60% answered within 4 h, missed against 90%', () => {
		const report = metricsReportFixture();
		report.current.firstResponse = { responded: 10, medianHours: 1, p90Hours: 30, withinTargetPercent: 60, p50Hours: 1, withinTarget: 6, targetHours: 4, metPercent: 90 };
		report.kpis[0] = { ...report.kpis[0], value: 60, change: -25.7, status: 'missed', definition: 'each ticket\'s first response against 4 h; met when at least 90% of tickets are answered in time (6 of 10; p50 1 h, p90 30 h)' };
		const { html, text } = renderKpiReportEmail(report, options);
		for (const line of [
			'- Tickets answered within 4 h: 60% [each ticket\'s first response against 4 h; met when at least 90% of tickets are answered in time (6 of 10; p50 1 h, p90 30 h)], target ≥ 90%: Missed;',
			'- Median (p50): 1 h (last week 4 h)',
			'- 90th percentile (p90): 30 h (last week 12 h)',
			'- Answered within 4 h: 60% (last week 85.7%)',
		]) {
			expect(text).toContain(line);
		}
		expect(html).toContain('>Median (p50)</td>');
		expect(html).toContain('>90th percentile (p90)</td>');
		expect(html).toContain('Target ≥ 90%');
	});

	it('a report made when the KPI was the median in hours still shows its 4 h target and its tile as before', () => {
		const report = metricsReportFixture();
		for (const period of [report.current, report.previous]) period.firstResponse = { responded: 140, medianHours: period.firstResponse.medianHours, p90Hours: period.firstResponse.p90Hours, withinTargetPercent: 71.4 };
		report.kpis[0] = { key: 'first_response', label: 'First response (median)', value: 3.2, previous: 4, change: -0.8, target: 4, direction: 'below', unit: 'hours', status: 'met' };
		const { html, text } = renderKpiReportEmail(report, options);
		expect(text).toContain('- First response (median): 3.2 h, target < 4 h: Met; ▼ -0.8 h vs last week (better); last week 4 h');
		expect(text).toContain('- Answered within 4 h: 71.4% (last week 71.4%)');
		expect(text).not.toContain('held to');
		expect(html).toContain('Target &lt; 4 h');
	});

	it('with another per-ticket target, the table and the rule name its hours, not the share', () => {
		const report = metricsReportFixture();
		report.current.firstResponse = { ...report.current.firstResponse, targetHours: 2, metPercent: 80 };
		const { text } = renderKpiReportEmail(report, options);
		expect(text).toContain('- Answered within 2 h: 92.1% (last week 85.7%)');
		expect(text).toContain("  Each ticket's first response is held to 2 h; met when at least 80% of tickets are answered in time.");
	});
});

/**
 * CX KPI Report against the stand-ins, through the real SDKs: the report row written to kpi_reports before
 * the email, the email accepted by SendGrid with the report's HTML, and a rerun of the week that sends
 * nothing twice.
 */
import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { MetricsReport } from '../../nodes/shared/contract/metricsReport';
import { CxKpiReport } from '../../nodes/CxKpiReport/CxKpiReport.node';
import { executeContext, rejectionOf, standin } from '../support/context';
import { metricsReportFixture } from '../support/metricsReportFixture';
import { SatisfactionMetrics, type TicketFacts } from '../../nodes/CxSatisfactionMetrics/metrics';
import { SATISFACTION_POLICY } from '../../nodes/shared/policy';
import { standinsEnv } from '../support/standins';

interface Message {
	messageId: string;
	body: { categories?: string[]; template_id?: string };
	deliveries: Array<{ to: Array<{ email: string }>; subject: string | null; content: Array<{ type: string; value: string }>; customArgs: Record<string, string>; templateId: string | null; dynamicTemplateData: IDataObject | null }>;
}
interface Outcome {
	id: string | null;
	period: { start: string; end: string };
	status: string;
	sentTo: string[];
	messageId: string | null;
	stored: boolean;
	subject: string;
	email: { html: string; text: string };
}

const MANAGER = 'manager@example-store.test';
const OWNER = 'owner@example-store.test';

/** A week of its own per test, far from any other suite's data: the weeks of 2031. */
function reportForWeek(week: number): MetricsReport {
	const report = metricsReportFixture();
	const monday = Date.UTC(2031, 0, 6) + week * 7 * 86_400_000;
	const iso = (time: number) => new Date(time).toISOString();
	report.current.start = iso(monday);
	report.current.end = iso(monday + 7 * 86_400_000);
	report.previous.start = iso(monday - 7 * 86_400_000);
	report.previous.end = iso(monday);
	return report;
}

const kpiReport = (parameters: IDataObject, items: IDataObject[], continueOnFail = false) =>
	new CxKpiReport().execute.call(
		executeContext({
			items,
			continueOnFail,
			parameters: { sendEmail: true, storeInSupabase: true, recipients: `${MANAGER}, ${OWNER}`, storeName: 'Example Store', templateId: '', ...parameters, options: { now: '2031-03-03T08:00:00Z', ...(parameters.options as IDataObject) } },
		}),
	);
const outcome = (item: INodeExecutionData) => item.json.report as unknown as Outcome;

describe('CX KPI Report against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const reportMails = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-kpi-report'));
	const rowOf = async (report: MetricsReport) => {
		const { data } = await supabase.from('kpi_reports').select('*').eq('period_start', report.current.start).eq('period_end', report.current.end).throwOnError();
		return data!;
	};
	const clear = async () => {
		await supabase.from('kpi_reports').delete().gte('period_start', '2031-01-01T00:00:00Z').lt('period_start', '2032-01-01T00:00:00Z').throwOnError();
	};

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await clear();
	});
	afterAll(async () => {
		await standin('sendgrid', '/__standin/faults', { method: 'DELETE' });
		await clear();
	});

	it('stores the week, emails each business manager the HTML report once, and records the message id', async () => {
		const report = reportForWeek(0);
		const [[item]] = await kpiReport({}, [{ metrics: report as unknown as IDataObject }]);
		const sent = outcome(item);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(sent).toMatchObject({ status: 'sent', stored: true, sentTo: [MANAGER, OWNER], period: { start: '2031-01-06T00:00:00.000Z', end: '2031-01-13T00:00:00.000Z' } });
		expect(sent.messageId).toEqual(expect.any(String));
		expect(sent.id).toMatch(/^[0-9a-f-]{36}$/);

		// what SendGrid accepted: one request, a copy to each manager, HTML and text parts with the report
		const mails = await reportMails();
		expect(mails).toHaveLength(1);
		expect(mails[0].messageId).toBe(sent.messageId);
		expect(mails[0].deliveries.map((delivery) => delivery.to[0].email)).toEqual([MANAGER, OWNER]);
		const delivery = mails[0].deliveries[0];
		expect(delivery.subject).toBe('Example Store: weekly CX report, Jan 6, 2031 to Jan 12, 2031: 1 of 5 KPIs met, 3 alerts');
		expect(delivery.customArgs).toMatchObject({ cx_kpi_report: '2031-01-06T00:00:00.000Z/2031-01-13T00:00:00.000Z' });
		const html = delivery.content.find((part) => part.type === 'text/html')!.value;
		const text = delivery.content.find((part) => part.type === 'text/plain')!.value;
		expect(html).toBe(sent.email.html);
		for (const fact of ['Weekly customer experience report', 'Headline KPIs', 'Tickets answered within 4 h', 'Target ≥ 90%', 'Median (p50)', '90th percentile (p90)', '✓ Met', '✗ Missed', '3 alerts this week', 'By channel']) expect(html).toContain(fact);
		expect(text).toContain('- NPS: 35 [95% CI 23 to 46, n 120], target > 50: Missed;');

		// the row: the report as computed, the HTML as sent, who got it and SendGrid's message id
		const rows = await rowOf(report);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ id: sent.id, report: JSON.parse(JSON.stringify(report)), html, sent_to: [MANAGER, OWNER], message_id: sent.messageId });
		expect(rows[0].sent_at).toEqual(expect.any(String));
	});

	it('a rerun of the same week sends nothing and says it was already sent', async () => {
		const report = reportForWeek(0);
		const before = (await reportMails()).length;
		const [[item]] = await kpiReport({ recipients: 'someone-else@example-store.test' }, [{ metrics: report as unknown as IDataObject }]);
		expect(outcome(item)).toMatchObject({ status: 'already_sent', stored: true, sentTo: [MANAGER, OWNER] });
		expect(outcome(item).messageId).toBe((await rowOf(report))[0].message_id);
		expect(await reportMails()).toHaveLength(before);
		expect(await rowOf(report)).toHaveLength(1);
	});

	it('two items of one week in one run: the second is not sent again', async () => {
		const report = reportForWeek(1);
		const before = (await reportMails()).length;
		const [items] = await kpiReport({}, [{ metrics: report as unknown as IDataObject }, { metrics: report as unknown as IDataObject }]);
		expect(items.map((item) => outcome(item).status)).toEqual(['sent', 'already_sent']);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(await reportMails()).toHaveLength(before + 1);
	});

	it('stores without sending, keeps the latest report until it is sent, then sends once; data text arrives escaped', async () => {
		const report = reportForWeek(2);
		const [[stored]] = await kpiReport({ sendEmail: false }, [{ metrics: report as unknown as IDataObject }]);
		expect(outcome(stored)).toMatchObject({ status: 'stored', stored: true, sentTo: [], messageId: null });
		expect((await rowOf(report))[0]).toMatchObject({ message_id: null, sent_at: null, sent_to: null });

		// the same week again, corrected before anyone saw it: the row follows
		report.current.breakdowns.channel = { '<b>Instagram</b> & "DMs"': report.current.breakdowns.channel.email };
		report.summary = 'Corrected summary.';
		const [[restored]] = await kpiReport({ sendEmail: false }, [{ metrics: report as unknown as IDataObject }]);
		expect(outcome(restored).id).toBe(outcome(stored).id);
		expect(((await rowOf(report))[0].report as MetricsReport).summary).toBe('Corrected summary.');

		const before = (await reportMails()).length;
		const [[sent]] = await kpiReport({ recipients: MANAGER }, [{ metrics: report as unknown as IDataObject }]);
		expect(outcome(sent)).toMatchObject({ status: 'sent', id: outcome(stored).id, sentTo: [MANAGER] });
		const mails = await reportMails();
		expect(mails).toHaveLength(before + 1);
		const html = mails[mails.length - 1].deliveries[0].content.find((part) => part.type === 'text/html')!.value;
		expect(html).toContain('&lt;b&gt;Instagram&lt;/b&gt; &amp; &quot;DMs&quot;');
		expect(html).not.toContain('<b>Instagram');
	});

	it('with a dynamic template, SendGrid gets the report data instead of the built-in body', async () => {
		const report = reportForWeek(3);
		const [[item]] = await kpiReport({ templateId: 'd-kpireport0000000000000000000001', recipients: MANAGER }, [{ metrics: report as unknown as IDataObject }]);
		expect(outcome(item).status).toBe('sent');
		const mails = await reportMails();
		const delivery = mails[mails.length - 1].deliveries[0];
		expect(delivery.templateId).toBe('d-kpireport0000000000000000000001');
		expect(delivery.content).toEqual([]);
		expect(delivery.dynamicTemplateData).toMatchObject({ store_name: 'Example Store', kpis_met: 1, has_alerts: true, period: { label: 'Jan 27, 2031 to Feb 2, 2031' } });
		expect((delivery.dynamicTemplateData!.kpis as IDataObject[])[1]).toMatchObject({ key: 'csat', status: 'missed', status_word: 'Missed', formatted_value: '86.5%' });
		// the row keeps the built-in rendering too, to read the report later
		expect((await rowOf(report))[0].html).toContain('Weekly customer experience report');
	});

	it('SendGrid not taking the email (a gateway failure past its retries) leaves the week unsent in the row; the next run sends it once', async () => {
		const report = reportForWeek(4);
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 503, count: 4 }) });
		const error = await rejectionOf<Error & { description?: string }>(kpiReport({}, [{ metrics: report as unknown as IDataObject }]));
		expect(error.message).toMatch(/SendGrid did not send the email \(HTTP 503\)/);
		expect(error.description).toMatch(/^Item 0: SendGrid did not accept the message.* Nothing was marked sent: the next run of this week sends the report\.$/);
		expect((await rowOf(report))[0]).toMatchObject({ message_id: null, sent_at: null });

		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 503, count: 4 }) });
		const [[failed, other]] = await kpiReport({}, [{ metrics: report as unknown as IDataObject }, { nothing: 'here' }], true);
		expect(failed.json.error).toMatch(/HTTP 503/);
		expect(other.json.error).toBe('Item 1: no "metrics" field');

		const before = (await reportMails()).length;
		const [[sent]] = await kpiReport({}, [{ metrics: report as unknown as IDataObject }]);
		expect(outcome(sent).status).toBe('sent');
		const [[again]] = await kpiReport({}, [{ metrics: report as unknown as IDataObject }]);
		expect(outcome(again).status).toBe('already_sent');
		expect(await reportMails()).toHaveLength(before + 1);
	});

	it('an unclear SendGrid answer (HTTP 500) is not mailed again: the next run of the week reports it unconfirmed', async () => {
		const report = reportForWeek(5);
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1 }) });
		const error = await rejectionOf<Error & { description?: string }>(kpiReport({}, [{ metrics: report as unknown as IDataObject }]));
		expect(error.description).toMatch(/SendGrid may have accepted it, so it is not sent again/);
		const before = (await reportMails()).length;
		const [[again]] = await kpiReport({}, [{ metrics: report as unknown as IDataObject }]);
		expect(outcome(again).status).toBe('unconfirmed');
		expect(await reportMails()).toHaveLength(before);
		expect((await rowOf(report))[0]).toMatchObject({ message_id: null, sent_at: null, send_claimed_at: expect.any(String) });
	});

	it('the business manager receives the ticket-resolution rows, each with its definition, as CX Satisfaction Metrics measured them', async () => {
		// a week of its own (week 10 of 2031): one ticket solved at first contact in 10 h, one after 60 h of which
		// 20 h on hold for the customer (40 h), one with two replies in 50 h, one reopened and open again
		const monday = Date.UTC(2031, 0, 6) + 10 * 7 * 86_400_000;
		const hours = (h: number) => monday + h * 3_600_000;
		const metrics = new SatisfactionMetrics({ periods: { current: { start: monday, end: hours(7 * 24) }, previous: { start: hours(-7 * 24), end: monday } }, policy: SATISFACTION_POLICY, timeZone: 'UTC' });
		const ticket = (created: number, status: string, solvedAfter: number, life: Partial<TicketFacts> = {}): TicketFacts => ({
			createdAt: hours(created),
			firstRespondedAt: null,
			resolvedAt: hours(created + solvedAfter),
			status,
			firstResolvedAt: hours(created + solvedAfter),
			pausedSeconds: 0,
			reopenCount: 0,
			repliesToResolution: 1,
			...life,
		});
		metrics.addTicket(ticket(8, 'solved', 10));
		metrics.addTicket(ticket(24, 'solved', 60, { pausedSeconds: 20 * 3600 }));
		metrics.addTicket(ticket(48, 'closed', 50, { repliesToResolution: 2 }));
		metrics.addTicket(ticket(96, 'open', 3, { reopenCount: 1 }));
		const report = metrics.report({ responses: 'supabase', tickets: true, orders: 'none' });
		const before = (await reportMails()).length;
		const [[item]] = await kpiReport({ recipients: MANAGER }, [{ metrics: report as unknown as IDataObject }]);
		expect(outcome(item).status).toBe('sent');
		const mails = await reportMails();
		expect(mails).toHaveLength(before + 1);
		const delivery = mails[mails.length - 1].deliveries[0];
		expect(delivery.subject).toBe('Example Store: weekly CX report, Mar 17, 2031 to Mar 23, 2031: 0 of 8 KPIs met');
		const text = delivery.content.find((part) => part.type === 'text/plain')!.value;
		const html = delivery.content.find((part) => part.type === 'text/html')!.value;
		for (const line of [
			'- Resolution time, median (p50): 40 h (last week no data)',
			'- Resolution time, 90th percentile (p90): 48 h (last week no data)',
			'- Resolved within 48 h: 66.7%, 2 of 3 (last week no data)',
			'  Each ticket solved in the period (its latest solve), from creation to solve less the time it waited on the customer (pending, on hold), against 48 h; met when at least 90% of tickets are resolved in time. 20 h waiting on customers left out this week.',
			'- First-contact resolution: 50%, 2 of 4 (last week no data)',
			'  Tickets first solved in the period with exactly one agent reply before the solve and never reopened, over the tickets first solved in the period whose replies are known.',
			'- Reopen rate: 25%, 1 of 4 (last week no data)',
			'  Tickets first solved in the period that were opened again, over the tickets first solved in the period.',
		]) {
			expect(text).toContain(line);
		}
		expect(html).toContain('>Ticket resolution</h2>');
		expect(html).toContain('>66.7%, 2 of 3</td>');
		expect((await rowOf(report))[0]).toMatchObject({ sent_to: [MANAGER], message_id: outcome(item).messageId });
	});

	it('the anon key cannot read kpi_reports', async () => {
		const anon = createClient(env.supabase.url, env.supabase.anonKey, { auth: { persistSession: false } });
		const { data, error } = await anon.from('kpi_reports').select('id');
		expect(data ?? []).toEqual([]);
		expect(error?.code).toBe('42501');
	});
});

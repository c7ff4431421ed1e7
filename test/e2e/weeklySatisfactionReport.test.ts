/**
 * The weekly satisfaction report template in a real n8n, run twice against the stand-ins: two weeks of
 * synthetic survey answers and tickets in Supabase, the sample store's orders in Shopify. The first run
 * emails the business manager the HTML report and stores it in kpi_reports; the second mails nobody.
 */
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder } from './n8n';
import { standin } from '../support/context';
import { repoRoot, standinsEnv } from '../support/standins';

const WORKFLOW = join(repoRoot, 'workflows', 'weekly-satisfaction-report.json');
const MANAGER = 'business.manager@example-store.test';
const DAY = 86_400_000;
type Report = { id: string; status: string; sentTo: string[]; messageId: string | null; stored: boolean; period: { start: string; end: string }; subject: string };
interface Message { messageId: string; body: { categories?: string[] }; deliveries: Array<{ to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }> }> }

/**
 * The template measures the 7 full days before today in the workflow's time zone against the 7 before
 * them. Answers 1.5 to 6.5 days ago fall in the current week and 8.5 to 13.5 days ago in the previous
 * one, wherever today's midnight is; the current week's are worse, so NPS and CSAT fall past their alerts.
 */
const NPS = { current: [10, 9, 3, 2, 7, 10], previous: [10, 10, 9, 9, 8, 10] };
const CSAT = { current: [5, 4, 2, 3, 5], previous: [5, 5, 4, 5, 4] };
const CES = { current: [6, 3, 7], previous: [7, 6, 5] };
const CHANNELS = ['email', 'chat', 'social'];
const TIERS = ['regular', 'premium', 'vip'];
const ISSUES = ['shipping', 'product', 'order'];

describe('weekly-satisfaction-report workflow in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const run = `kpi-e2e-${Date.now()}`;
	const started = Date.now();
	const reportMails = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-kpi-report'));
	const clearReports = () => supabase.from('kpi_reports').delete().gte('period_end', new Date(started - 3 * DAY).toISOString()).throwOnError();
	let workflowId: string;

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await clearReports();
		const answers: Array<Record<string, unknown>> = [];
		const tickets: Array<Record<string, unknown>> = [];
		for (const [week, offset] of [['current', 1.5], ['previous', 8.5]] as const) {
			for (let day = 0; day < 6; day++) {
				const at = (hours: number) => new Date(started - (offset + day) * DAY + hours * 3_600_000).toISOString();
				const add = (type: string, scores: number[]) =>
					scores.forEach((score, index) =>
						answers.push({ external_id: `${run}-${week}-${day}-${type}-${index}`, customer_id: `${run}-customer-${index}`, type, score, responded_at: at(index / 10), channel: CHANNELS[index % 3], tier: TIERS[(index + day) % 3], issue_type: ISSUES[(index + 2 * day) % 3] }),
					);
				add('nps', NPS[week]);
				add('csat', CSAT[week]);
				add('ces', CES[week]);
				// two tickets a day, answered in 2 h (current week) or 5 h (previous week)
				for (let index = 0; index < 2; index++) {
					tickets.push({ external_id: `${run}-${week}-${day}-ticket-${index}`, subject: 'Synthetic ticket', body: 'Synthetic', status: 'solved', ticket_created_at: at(-(week === 'current' ? 2 : 5)), first_responded_at: at(0), resolved_at: at(1) });
				}
			}
		}
		// still open at the end of the week
		for (let index = 0; index < 3; index++) tickets.push({ external_id: `${run}-open-${index}`, subject: 'Synthetic open ticket', body: 'Synthetic', status: 'open', ticket_created_at: new Date(started - 2 * DAY).toISOString() });
		await supabase.from('survey_responses').insert(answers).throwOnError();
		await supabase.from('tickets').insert(tickets).throwOnError();

		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		[{ id: workflowId }] = await n8n.importWorkflows({ userFolder: folder.path, files: [WORKFLOW] });
	}, 300_000);

	afterAll(async () => {
		await supabase.from('survey_responses').delete().like('external_id', `${run}-%`);
		await supabase.from('tickets').delete().like('external_id', `${run}-%`);
		await clearReports();
		folder.done(1);
	});

	it('emails the business manager the weekly HTML report once and keeps it in kpi_reports', async () => {
		const reports: Report[] = [];
		for (let attempt = 0; attempt < 2; attempt++) {
			const result = await n8n.executeWorkflow({ userFolder: folder.path, id: workflowId, timeoutMs: 240_000 });
			expect(result.data.resultData.error).toBeUndefined();
			expect(result.status).toBe('success');
			const out = n8n.nodeOutput(result, 'CX KPI Report') as Array<{ report: Report }>;
			expect(out).toHaveLength(1);
			reports.push(out[0].report);
			expect(n8n.nodeOutput(result, 'Report sent')).toHaveLength(1);
		}
		const [first, second] = reports;
		expect(first).toMatchObject({ status: 'sent', sentTo: [MANAGER], stored: true });
		expect(first.messageId).toEqual(expect.any(String));
		// the 7 full days before today
		expect(Date.parse(first.period.end) - Date.parse(first.period.start)).toBeGreaterThanOrEqual(7 * DAY - 3_600_000);
		expect(Date.parse(first.period.end)).toBeLessThanOrEqual(Date.now());
		expect(Date.parse(first.period.end)).toBeGreaterThan(Date.now() - 2 * DAY);

		// the second run of the week: found the row, sent nothing
		expect(second).toMatchObject({ status: 'already_sent', id: first.id, messageId: first.messageId, period: first.period });

		// what the business manager received: one email, with the headline KPIs, charts and the alerts
		const mails = await reportMails();
		expect(mails).toHaveLength(1);
		expect(mails[0].messageId).toBe(first.messageId);
		const delivery = mails[0].deliveries[0];
		expect(delivery.to).toEqual([{ email: MANAGER }]);
		expect(delivery.subject).toBe(first.subject);
		expect(delivery.subject).toMatch(/^Example Store: weekly CX report, .+: \d of 8 KPIs met, \d alerts?$/);
		const html = delivery.content.find((part) => part.type === 'text/html')!.value;
		const text = delivery.content.find((part) => part.type === 'text/plain')!.value;
		for (const fact of ['Weekly customer experience report', 'Headline KPIs', 'Tickets answered within 4 h', 'Median (p50)', '90th percentile (p90)', '>CSAT<', '>NPS<', 'Return / refund rate', 'By channel', 'By customer tier', 'By issue type', 'Customer lifetime value', 'Backlog', 'Ticket resolution', 'First-contact resolution', 'Reopen rate']) {
			expect(html).toContain(fact);
		}
		expect(html).toMatch(/✗ Missed|✓ Met/);
		expect(html).toMatch(/\d alerts? this week/);
		expect(html).toContain('NPS fell');
		expect(html).toContain('CSAT fell');
		expect(html).toMatch(/<td width="\d+%" height="12" bgcolor=/);
		expect(html).not.toMatch(/<script|<svg|flex|grid/i);
		expect(text).toContain('HEADLINE KPIS');
		expect(text).toContain('- CSAT: ');

		// the row of the week: the report as computed, the HTML as sent, the manager and the message id
		const { data: rows } = await supabase.from('kpi_reports').select('*').eq('period_start', first.period.start).eq('period_end', first.period.end).throwOnError();
		expect(rows).toHaveLength(1);
		expect(rows![0]).toMatchObject({ id: first.id, sent_to: [MANAGER], message_id: first.messageId, html });
		const stored = rows![0].report as { kpis: unknown[]; current: { nps: { sampleSize: number }; csat: { sampleSize: number } }; alerts: Array<{ key: string }> };
		expect(stored.kpis).toHaveLength(8);
		expect(stored.current.nps.sampleSize).toBe(NPS.current.length * 6);
		expect(stored.current.csat.sampleSize).toBe(CSAT.current.length * 6);
		expect(stored.alerts.map((alert) => alert.key)).toEqual(expect.arrayContaining(['nps_drop', 'csat_drop']));
		folder.passed();
	}, 900_000);
});

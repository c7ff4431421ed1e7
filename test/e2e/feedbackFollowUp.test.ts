/**
 * The feedback 30-day follow-up template in a real n8n, run twice: the first run records survey comments and
 * feedback tickets, reminds each owner once of their items due soon and escalates the overdue ones; the
 * second records nothing new and mails nobody.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder, type WorkflowRun } from './n8n';
import { standin } from '../support/context';
import { repoRoot, standinsEnv } from '../support/standins';

const WORKFLOW = join(repoRoot, 'workflows', 'feedback-30-day-followup.json');
const DAY = 86_400_000;
// the template's own example addresses
const TEMPLATE_OWNER = 'feedback-owner@example-store.test';
const DIRECTOR = 'cx-director@example-store.test';

type Feedback = { status: string; stage?: string; source: string; sourceId: string; owner: string | null; dueAt: string; recipients?: string[]; daysLeft?: number; daysOverdue?: number };
interface Delivery { to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }>; customArgs: Record<string, string> }
interface Message { body: { categories?: string[] }; deliveries: Delivery[] }

describe('feedback-30-day-followup workflow in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const run = randomUUID().slice(0, 8);
	const sid = (name: string) => `fb-e2e-${run}-${name}`;
	const STUDIO = `studio-lead-${run}@example-store.test`;
	const now = Date.now();
	const ago = (days: number) => new Date(now - days * DAY).toISOString();
	const ahead = (days: number) => new Date(now + days * DAY).toISOString();
	const surveyIds: Record<string, string> = {};
	let workflowId: string;

	const feedbackMails = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-feedback'));
	const textOf = (delivery: Delivery) => delivery.content.find((block) => block.type === 'text/plain')!.value;
	const isMine = (item: Feedback) => item.sourceId.startsWith(`fb-e2e-${run}-`) || Object.values(surveyIds).includes(item.sourceId);

	const cleanUp = async () => {
		await supabase.from('feedback_items').delete().like('source_id', `fb-e2e-${run}-%`);
		if (Object.keys(surveyIds).length) await supabase.from('feedback_items').delete().in('source_id', Object.values(surveyIds));
		await supabase.from('survey_responses').delete().like('external_id', `fb-e2e-${run}-%`);
		await supabase.from('tickets').delete().like('external_id', `fb-e2e-${run}-%`);
	};

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		const surveys = [
			// answered yesterday: due in 29 days, recorded only
			{ key: 'fresh', external_id: sid('s-fresh'), type: 'nps', score: 4, comment: 'The hanging kit was missing screws', customer_id: 'gid://shopify/Customer/1004', responded_at: ago(1) },
			// answered 25 days ago, delivered late: due in 5 days, so recorded and reminded in the same run
			{ key: 'late', external_id: sid('s-late'), type: 'csat', score: 2, comment: 'Colours <b>duller</b> than on screen & "muddy"', customer_id: 'gid://shopify/Customer/1003', responded_at: ago(25) },
			// answered 35 days ago, delivered late: already overdue, so recorded and escalated
			{ key: 'overdue', external_id: sid('s-overdue'), type: 'nps', score: 2, comment: 'Nobody answered my question about framing', customer_id: 'gid://shopify/Customer/1002', responded_at: ago(35) },
			{ key: 'blank', external_id: sid('s-blank'), type: 'nps', score: 9, comment: '   ', responded_at: ago(1) },
		];
		const { data, error } = await supabase.from('survey_responses').insert(surveys.map(({ key, ...row }) => row)).select('id, external_id');
		expect(error).toBeNull();
		for (const row of data!) surveyIds[surveys.find((survey) => survey.external_id === row.external_id)!.key] = row.id;
		const { error: ticketError } = await supabase.from('tickets').insert([
			{ external_id: sid('t-idea'), subject: 'Suggestion', body: 'Would be great if you sold gift cards.', customer_email: 'regular.buyer@example-store.test', tags: ['intent:feedback', 'channel:email'], ticket_created_at: ago(2) },
			{ external_id: sid('t-praise'), subject: 'Thanks', body: 'Beautiful print.', tags: ['intent:praise'], ticket_created_at: ago(1) },
		]);
		expect(ticketError).toBeNull();
		const { error: itemError } = await supabase.from('feedback_items').insert([
			{ source: 'review', source_id: sid('r-soon'), owner: STUDIO, summary: 'Offer A2 prints', status: 'open', due_at: ahead(2) },
			{ source: 'review', source_id: sid('r-late'), owner: STUDIO, summary: 'Matte finish option', status: 'in_progress', due_at: ago(3), reminded_at: ago(10) },
			{ source: 'review', source_id: sid('r-done'), owner: STUDIO, summary: 'Already done', status: 'resolved', resolved_at: ago(1), due_at: ago(4) },
		]);
		expect(itemError).toBeNull();

		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		[{ id: workflowId }] = await n8n.importWorkflows({ userFolder: folder.path, files: [WORKFLOW] });
	}, 300_000);
	afterAll(async () => {
		await cleanUp();
		folder.done(1);
	});

	const execute = async () => {
		const result: WorkflowRun = await n8n.executeWorkflow({ userFolder: folder.path, id: workflowId, timeoutMs: 240_000 });
		expect(result.data.resultData.error).toBeUndefined();
		expect(result.status).toBe('success');
		// the node's own outputs: n8n does not run a NoOp after an empty output
		const recorded = (n8n.nodeOutput(result, 'Record feedback', { output: 0 }).map((item) => item.feedback) as Feedback[]).filter(isMine);
		const acted = (n8n.nodeOutput(result, 'Remind and escalate', { output: 0 }).map((item) => item.feedback) as Feedback[]).filter(isMine);
		const summary = n8n.nodeOutput(result, 'Follow-up summary')[0];
		return { recorded, acted, summary };
	};

	it('run twice: the first records, reminds and escalates once; the second records nothing new and mails nobody', async () => {
		const first = await execute();
		const recorded = Object.fromEntries(first.recorded.map((item) => [item.sourceId, item]));
		expect(Object.keys(recorded).sort()).toEqual([surveyIds.fresh, surveyIds.late, surveyIds.overdue, sid('t-idea')].sort());
		expect(first.recorded.every((item) => item.status === 'recorded' && item.owner === TEMPLATE_OWNER)).toBe(true);
		expect(Date.parse(recorded[surveyIds.late].dueAt)).toBe(Date.parse(ago(25)) + 30 * DAY);

		const acted = Object.fromEntries(first.acted.map((item) => [item.sourceId, item]));
		expect(Object.fromEntries(first.acted.map((item) => [item.sourceId, `${item.stage}:${item.status}`]))).toEqual({
			[surveyIds.late]: 'reminded:sent',
			[sid('r-soon')]: 'reminded:sent',
			[surveyIds.overdue]: 'escalated:sent',
			[sid('r-late')]: 'escalated:sent',
		});
		expect(acted[surveyIds.late]).toMatchObject({ recipients: [TEMPLATE_OWNER], daysLeft: 4 });
		expect(acted[sid('r-soon')]).toMatchObject({ recipients: [STUDIO], daysLeft: 1 });
		expect(acted[surveyIds.overdue]).toMatchObject({ recipients: [DIRECTOR], daysOverdue: 5 });
		expect(acted[sid('r-late')]).toMatchObject({ recipients: [DIRECTOR], daysOverdue: 3 });
		expect(first.summary).toMatchObject({ operation: 'remind', remindDaysBefore: 7 });

		// what the people see: one email per owner, one escalation listing the overdue items with their owners
		const mails = await feedbackMails();
		const to = (email: string) => mails.filter((message) => message.deliveries.some((delivery) => delivery.to.some((recipient) => recipient.email === email)));
		const [ownerMail] = to(TEMPLATE_OWNER);
		expect(to(TEMPLATE_OWNER)).toHaveLength(1);
		expect(ownerMail.deliveries[0].subject).toMatch(/^\[Example Store\] Feedback to follow up: 1 feedback item due soon/);
		expect(textOf(ownerMail.deliveries[0])).toContain('Colours <b>duller</b> than on screen & "muddy"');
		const html = ownerMail.deliveries[0].content.find((block) => block.type === 'text/html')!.value;
		expect(html).toContain('Colours &lt;b&gt;duller&lt;/b&gt; than on screen &amp; &quot;muddy&quot;');
		expect(to(STUDIO)).toHaveLength(1);
		expect(textOf(to(STUDIO)[0].deliveries[0])).toContain('Offer A2 prints');
		const escalations = to(DIRECTOR).filter((message) => message.deliveries[0].customArgs.cx_feedback_stage === 'escalation');
		expect(escalations).toHaveLength(1);
		const escalation = textOf(escalations[0].deliveries[0]);
		expect(escalation).toContain('Nobody answered my question about framing');
		expect(escalation).toContain(`Owner: ${STUDIO}`);
		expect(escalation).not.toContain('Already done');
		const mailsAfterFirst = mails.length;

		const second = await execute();
		expect(second.recorded.map((item) => item.status)).toEqual(first.recorded.map(() => 'already_recorded'));
		expect(second.acted).toEqual([]);
		expect(await feedbackMails()).toHaveLength(mailsAfterFirst);

		const { data: rows } = await supabase.from('feedback_items').select('source_id, reminded_at, escalated_at, reminder_message_id, escalation_message_id').in('source_id', [surveyIds.late, surveyIds.overdue, surveyIds.fresh, sid('r-soon'), sid('r-late'), sid('r-done')]);
		const byId = Object.fromEntries(rows!.map((row) => [row.source_id, row]));
		expect(byId[surveyIds.late].reminder_message_id).toEqual(expect.any(String));
		expect(byId[surveyIds.overdue]).toMatchObject({ reminded_at: null, escalation_message_id: expect.any(String) });
		expect(byId[surveyIds.fresh]).toMatchObject({ reminded_at: null, escalated_at: null });
		expect(byId[sid('r-done')]).toMatchObject({ reminded_at: null, escalated_at: null });
		folder.passed();
	}, 900_000);
});

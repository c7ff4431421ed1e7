/**
 * Satisfaction after support in a real n8n: the template CX: satisfaction after support reads the tickets solved
 * in Supabase (seeded as of the stand-in anchor), mails one CSAT question about the help (run twice: the second
 * run mails nobody), and the link from that email, followed through the published answer webhook, records the
 * answer with the ticket and its agent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder, type RunningN8n } from './n8n';
import { standin } from '../support/context';
import { fromAnchor, repoRoot, standinsEnv } from '../support/standins';

const TEMPLATE = join(repoRoot, 'workflows', 'support-satisfaction-survey.json');
const ANSWERS = join(repoRoot, 'workflows', 'survey-answer-webhook.json');
const NOW = fromAnchor(150, '12:00');
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0';

interface Message { body: { categories?: string[]; asm?: { group_id: number } }; deliveries: Array<{ to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }> }> }

describe('satisfaction after support in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const prefix = `ss-e2e-${Date.now()}`;
	const email = (who: string) => `${prefix}-${who}@example-store.test`;
	const supportMails = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-survey-support'));
	let server: RunningN8n | undefined;

	const forget = async () => {
		await supabase.from('survey_responses').delete().like('ticket_id', `${prefix}%`).throwOnError();
		await supabase.from('survey_invites').delete().like('ticket_id', `${prefix}%`).throwOnError();
		await supabase.from('tickets').delete().like('external_id', `${prefix}%`).throwOnError();
	};

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		const ticket = (key: string, resolvedAt: string, tags: string[] = []) => ({
			external_id: `${prefix}-${key}`, channel: 'email', subject: 'Wrong size', customer_id: `${prefix}-customer-${key}`, customer_email: email(key),
			tags, status: 'solved', resolved_at: resolvedAt, assignee: 'maria@example-store.test',
		});
		await supabase.from('tickets').insert([
			ticket('solved', fromAnchor(149, '08:00')),
			ticket('spam', fromAnchor(148, '08:00'), ['spam']),
			ticket('merged', fromAnchor(147, '08:00'), ['merged']),
		]).throwOnError();
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		// the template as a store imports it, with the run's time pinned to the seeded tickets' days
		const workflow = JSON.parse(readFileSync(TEMPLATE, 'utf8'));
		const node = workflow.nodes.find((candidate: { name: string }) => candidate.name === 'CX Customer Survey');
		node.parameters.supportOptions = { ...node.parameters.supportOptions, now: NOW };
		const pinned = join(folder.path, 'support-satisfaction-survey.json');
		writeFileSync(pinned, JSON.stringify(workflow));
		await n8n.importWorkflows({ userFolder: folder.path, files: [pinned, ANSWERS] });
		expect(n8n.webhookWorkflowIds([TEMPLATE, ANSWERS])).toEqual(['cxSurveyAnswer1']);
		await n8n.publishWorkflow({ userFolder: folder.path, id: 'cxSurveyAnswer1' });
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
		await forget();
		folder.done(2);
	});

	it('run twice, asks the solved ticket\'s customer once and never the spam or merged ones', async () => {
		const runs: Array<{ asked: Array<Record<string, unknown>>; summary: Record<string, unknown> }> = [];
		for (let run = 0; run < 2; run++) {
			const result = await n8n.executeWorkflow({ userFolder: folder.path, id: 'cxSupportSatisfaction1', timeoutMs: 240_000 });
			expect(result.status).toBe('success');
			// the node's own outputs (as JSON): with nobody asked, n8n does not run the node after an empty output
			runs.push({ asked: n8n.nodeOutput(result, 'CX Customer Survey', { output: 0 }), summary: n8n.nodeOutput(result, 'Support survey summary')[0] });
		}
		const [first, second] = runs;
		expect(first.summary).toMatchObject({ survey: 'csat', about: 'ticket', tickets: 3, solvedInWindow: 3, toSurvey: 1, sent: 1, skipped: { spam_or_merged: 2 } });
		expect(first.asked.map((item) => [item.ticket_id, item.agent, item.email])).toEqual([[`${prefix}-solved`, 'maria@example-store.test', email('solved')]]);
		expect(second.asked).toEqual([]);
		expect(second.summary).toMatchObject({ sent: 0, toSurvey: 0, skipped: { already_surveyed: 1, spam_or_merged: 2 } });
		const mails = await supportMails();
		expect(mails.flatMap((message) => message.deliveries.map((delivery) => [delivery.to[0].email, delivery.subject]))).toEqual([[email('solved'), 'Your request "Wrong size": how did we do?']]);
		// the local runner filled in the stand-ins' unsubscribe group
		expect(mails.map((message) => message.body.asm?.group_id)).toEqual([4100]);
		folder.passed();
	}, 600_000);

	it('the link for 5 from the email opens the page; its button records the answer with the ticket and its agent', async () => {
		server = await n8n.startN8n({ userFolder: folder.path, port: await n8n.freePort() });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-survey', method: 'GET' });
		const [mail] = (await supportMails()).flatMap((message) => message.deliveries);
		const html = mail.content.find((part) => part.type === 'text/html')!.value;
		const links = [...html.matchAll(/href="(http:\/\/localhost:\d+\/webhook\/cx-survey\?[^"]+)"/g)].map((match) => match[1].replace(/&amp;/g, '&'));
		expect(links).toHaveLength(5);
		const onServer = (link: string) => {
			const url = new URL(link);
			url.host = new URL(server!.url).host;
			return url.toString();
		};
		const five = links.find((link) => link.endsWith('&s=5'))!;
		const token = new URL(five).searchParams.get('t')!;
		const page = await (await fetch(onServer(five), { headers: { 'user-agent': BROWSER, accept: 'text/html' } })).text();
		expect(page).toContain('How satisfied are you with the help you received?');
		expect(page).toContain('<input type="radio" name="s" value="5" checked required>');
		expect((await supabase.from('survey_responses').select('*').eq('external_id', token)).data).toEqual([]);
		const fields = new URLSearchParams({ t: token, s: '5', comment: '' });
		const sent = await fetch(onServer(five), { method: 'POST', headers: { 'user-agent': BROWSER, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
		expect(sent.status).toBe(200);
		expect(await sent.text()).toContain('You gave us 5 out of 5.');
		const { data } = await supabase.from('survey_responses').select('ticket_id, agent, order_id, customer_email, type, score').eq('external_id', token);
		expect(data).toEqual([{ ticket_id: `${prefix}-solved`, agent: 'maria@example-store.test', order_id: null, customer_email: email('solved'), type: 'csat', score: 5 }]);
		folder.passed();
	}, 300_000);
});

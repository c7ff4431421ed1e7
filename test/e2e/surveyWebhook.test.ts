/**
 * The two survey templates in a real n8n: the post-purchase workflow mails the sample store's customers
 * (run twice: the second run mails nobody), then n8n serves the answer webhook and the links from those
 * emails are followed as a customer's browser would: a thank-you page, one survey_responses row per token.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder, type RunningN8n } from './n8n';
import { standin } from '../support/context';
import { fromAnchor, repoRoot, standinsEnv } from '../support/standins';

const OUTREACH = join(repoRoot, 'workflows', 'post-purchase-outreach.json');
const ANSWERS = join(repoRoot, 'workflows', 'survey-answer-webhook.json');
// the sample store's deliveries are counted back from its anchor: the run acts two weeks before it
const NOW = fromAnchor(-15, '12:00');
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0';

type Surveyed = { order_id: string; email: string; survey: { status: string } };
type Summary = { survey: string; deliveredInWindow: number; toSurvey: number; sent: number; skipped: Record<string, number> };
interface Message { body: { categories?: string[]; asm?: { group_id: number } }; deliveries: Array<{ to: Array<{ email: string }>; content: Array<{ type: string; value: string }> }> }

describe('post-purchase survey and its answer webhook in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const surveyMails = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-survey'));
	let server: RunningN8n | undefined;

	const forget = async () => {
		const { data: invites } = await supabase.from('survey_invites').select('token').like('order_id', 'gid://shopify/Order/%');
		const tokens = (invites ?? []).map((row) => row.token as string);
		for (let i = 0; i < tokens.length; i += 100) await supabase.from('survey_responses').delete().in('external_id', tokens.slice(i, i + 100)).throwOnError();
		await supabase.from('survey_invites').delete().like('order_id', 'gid://shopify/Order/%').throwOnError();
	};

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await forget();
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		// the template as a store imports it, with the run's time pinned to the sample store's October
		const outreach = JSON.parse(readFileSync(OUTREACH, 'utf8'));
		const node = outreach.nodes.find((candidate: { name: string }) => candidate.name === 'CX Customer Survey');
		node.parameters.options = { ...node.parameters.options, now: NOW };
		const pinned = join(folder.path, 'post-purchase-outreach.json');
		writeFileSync(pinned, JSON.stringify(outreach));
		await n8n.importWorkflows({ userFolder: folder.path, files: [pinned, ANSWERS] });
		expect(n8n.webhookWorkflowIds([OUTREACH, ANSWERS])).toEqual(['cxSurveyAnswer1']);
		await n8n.publishWorkflow({ userFolder: folder.path, id: 'cxSurveyAnswer1' });
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
		await forget();
		folder.done(2);
	});

	it('run twice, asks each subscribed customer once: the second run mails nobody', async () => {
		const runs: Array<{ surveyed: Surveyed[]; summary: Summary }> = [];
		for (let run = 0; run < 2; run++) {
			const result = await n8n.executeWorkflow({ userFolder: folder.path, id: 'cxPostPurchaseOutreach1', timeoutMs: 240_000 });
			expect(result.status).toBe('success');
			runs.push({
				// the node's own outputs: with nobody asked, n8n does not run the node after an empty output
				surveyed: n8n.nodeOutput(result, 'CX Customer Survey', { output: 0 }) as unknown as Surveyed[],
				summary: (n8n.nodeOutput(result, 'Survey summary') as unknown as Summary[])[0],
			});
		}
		const [first, second] = runs;
		expect(first.summary.survey).toBe('csat');
		expect(first.summary.sent).toBeGreaterThan(5);
		expect(first.surveyed).toHaveLength(first.summary.sent);
		expect(first.surveyed.every((item) => item.survey.status === 'sent')).toBe(true);
		expect(first.surveyed.some((item) => item.order_id === 'gid://shopify/Order/5014')).toBe(true);
		expect(first.summary.skipped.consent_unsubscribed).toBeGreaterThan(0);
		expect(second.surveyed).toHaveLength(0);
		expect(second.summary).toMatchObject({ sent: 0, toSurvey: 0 });
		expect(second.summary.skipped.already_surveyed).toBe(first.summary.sent);

		const mails = await surveyMails();
		const recipients = mails.flatMap((message) => message.deliveries.map((delivery) => delivery.to[0].email));
		expect(recipients.sort()).toEqual(first.surveyed.map((item) => item.email).sort());
		// the local runner filled in the stand-ins' unsubscribe group
		expect(mails.every((message) => message.body.asm?.group_id === 4100)).toBe(true);
		folder.passed();
	}, 600_000);

	it('a link from the email records the answer and shows the thank-you page; a second click replaces it; a bad link stores nothing', async () => {
		server = await n8n.startN8n({ userFolder: folder.path, port: await n8n.freePort() });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-survey', method: 'GET' });

		const vera = (await surveyMails()).flatMap((message) => message.deliveries).find((delivery) => delivery.to[0].email === 'vip.tagged@example-store.test')!;
		const html = vera.content.find((part) => part.type === 'text/html')!.value;
		const links = [...html.matchAll(/href="(http:\/\/localhost:\d+\/webhook\/cx-survey\?[^"]+)"/g)].map((match) => match[1].replace(/&amp;/g, '&'));
		expect(links).toHaveLength(5);
		// the email links to the answer URL the store configured; here that n8n runs on a free port
		const onServer = (link: string) => {
			const url = new URL(link);
			const local = new URL(server!.url);
			url.host = local.host;
			return url.toString();
		};
		const click = (link: string) => fetch(onServer(link), { headers: { 'user-agent': BROWSER, accept: 'text/html' } });
		const token = new URL(links[0]).searchParams.get('t')!;
		const stored = async () => (await supabase.from('survey_responses').select('*').eq('external_id', token)).data!;

		const four = await click(links.find((link) => link.endsWith('&s=4'))!);
		expect(four.status).toBe(200);
		expect(four.headers.get('content-type')).toMatch(/^text\/html/);
		const page = await four.text();
		expect(page).toContain('<title>Thank you for your answer</title>');
		expect(page).toContain('You gave us 4 out of 5.');
		expect(page).toContain(`<input type="hidden" name="t" value="${token}">`);
		expect(await stored()).toEqual([expect.objectContaining({ order_id: 'gid://shopify/Order/5014', customer_id: 'gid://shopify/Customer/1001', type: 'csat', score: 4, channel: 'email', tier: 'vip' })]);

		// the customer changes their mind, then sends a comment from the thank-you page's form
		expect((await click(links.find((link) => link.endsWith('&s=2'))!)).status).toBe(200);
		const comment = new URL(onServer(links[0]));
		comment.searchParams.set('s', '2');
		comment.searchParams.set('comment', 'The frame arrived <scratched>');
		const commented = await fetch(comment, { headers: { 'user-agent': BROWSER } });
		expect(await commented.text()).toContain('Thank you for your comment');
		expect(await stored()).toEqual([expect.objectContaining({ score: 2, comment: 'The frame arrived <scratched>' })]);

		// a made-up token and a score the question does not allow: the error page, nothing stored or changed
		const guessed = await click(links[0].replace(token, 'abcdefghijklmnopqrstuvwx'));
		expect(guessed.status).toBe(400);
		expect(await guessed.text()).toContain('This link does not work');
		const outOfScale = await click(links[0].replace(/s=\d+$/, 's=9'));
		expect(outOfScale.status).toBe(400);
		const { count } = await supabase.from('survey_responses').select('*', { count: 'exact', head: true }).eq('external_id', 'abcdefghijklmnopqrstuvwx');
		expect(count).toBe(0);
		expect(await stored()).toEqual([expect.objectContaining({ score: 2 })]);
		const { data: invite } = await supabase.from('survey_invites').select('answered_at').eq('token', token).single();
		expect(invite!.answered_at).not.toBeNull();
		folder.passed();
	}, 300_000);
});

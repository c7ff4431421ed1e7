/**
 * The two survey templates in a real n8n: the post-purchase workflow mails the sample store's customers
 * (run twice: the second run mails nobody), then n8n serves the answer webhook and the links from those
 * emails are followed as a customer's browser would: the link's page records nothing (a mail scanner opens
 * it too), its button sends the form, and that records one survey_responses row per token.
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
		// the sample store two weeks before its anchor: 28 orders delivered 3 to 10 days before, 19 customers asked
		expect(first.summary).toMatchObject({ survey: 'csat', deliveredInWindow: 28, toSurvey: 19, sent: 19, skipped: { consent_not_subscribed: 2, throttled: 2, consent_unsubscribed: 5 } });
		expect(first.surveyed).toHaveLength(19);
		expect(first.surveyed.every((item) => item.survey.status === 'sent')).toBe(true);
		expect(first.surveyed.some((item) => item.order_id === 'gid://shopify/Order/5014')).toBe(true);
		expect(second.surveyed).toHaveLength(0);
		expect(second.summary).toMatchObject({ sent: 0, toSurvey: 0, deliveredInWindow: 28, skipped: { already_surveyed: 19, consent_not_subscribed: 2, throttled: 2, consent_unsubscribed: 5 } });

		const mails = await surveyMails();
		const recipients = mails.flatMap((message) => message.deliveries.map((delivery) => delivery.to[0].email));
		expect(recipients.sort()).toEqual(first.surveyed.map((item) => item.email).sort());
		// the local runner filled in the stand-ins' unsubscribe group
		expect(mails.every((message) => message.body.asm?.group_id === 4100)).toBe(true);
		folder.passed();
	}, 600_000);

	it('a link from the email opens the answer page and records nothing (a mail scanner follows it too); the page\'s one button records the answer; a second send replaces it; a bad link stores nothing', async () => {
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
		/** What a browser sends when the page's button is pressed: the form's fields, POSTed to the page's own address (action=""). */
		const press = (link: string, page: string, comment = '') => {
			const form = page.slice(page.indexOf('<form method="post" action=""'), page.indexOf('</form>'));
			expect(form).not.toBe('');
			const fields = new URLSearchParams();
			for (const [, name, value] of form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) fields.set(name, value);
			const checked = /<input type="radio" name="s" value="(\d+)" checked/.exec(form);
			if (checked) fields.set('s', checked[1]);
			if (form.includes('name="comment"')) fields.set('comment', comment);
			return fetch(onServer(link), { method: 'POST', headers: { 'user-agent': BROWSER, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
		};
		const token = new URL(links[0]).searchParams.get('t')!;
		const stored = async () => (await supabase.from('survey_responses').select('*').eq('external_id', token)).data!;
		const four = links.find((link) => link.endsWith('&s=4'))!;

		// the link for 4, opened by a mail scanner and then by Vera: the page, and nothing stored
		for (let opened = 0; opened < 2; opened++) {
			const page = await click(four);
			expect(page.status).toBe(200);
			expect(page.headers.get('content-type')).toMatch(/^text\/html/);
			const body = await page.text();
			expect(body).toContain('<title>Your answer</title>');
			expect(body).toContain('<input type="radio" name="s" value="4" checked required>');
			expect(body).toContain(`<input type="hidden" name="t" value="${token}">`);
		}
		expect(await stored()).toEqual([]);
		expect((await supabase.from('survey_invites').select('answered_at').eq('token', token).single()).data!.answered_at).toBeNull();

		// Vera presses "Send my answer": recorded, once, with the thank-you page
		const pageForFour = await (await click(four)).text();
		const sent = await press(four, pageForFour);
		expect(sent.status).toBe(200);
		const thanks = await sent.text();
		expect(thanks).toContain('<title>Thank you for your answer</title>');
		expect(thanks).toContain('You gave us 4 out of 5.');
		expect(thanks).toContain('<form method="post" action=""');
		expect(await stored()).toEqual([expect.objectContaining({ order_id: 'gid://shopify/Order/5014', customer_id: 'gid://shopify/Customer/1001', type: 'csat', score: 4, channel: 'email', tier: 'vip' })]);
		// the same form sent again (a double click, the back button): one row
		expect((await press(four, pageForFour)).status).toBe(200);
		expect(await stored()).toEqual([expect.objectContaining({ score: 4 })]);

		// she changes her mind with the link for 2, then sends a comment from the thank-you page's form
		const two = links.find((link) => link.endsWith('&s=2'))!;
		const thanksForTwo = await (await press(two, await (await click(two)).text())).text();
		expect(thanksForTwo).toContain('You gave us 2 out of 5.');
		expect(await stored()).toEqual([expect.objectContaining({ score: 2, comment: null })]);
		const commented = await press(two, thanksForTwo, 'The frame arrived <scratched>');
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

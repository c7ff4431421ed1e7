/**
 * CX Customer Survey against the stand-ins, through the real SDKs: delivered orders read from the sample
 * store in one Shopify bulk operation, every invitation in survey_invites before its email, SendGrid
 * batches with the unsubscribe group and one token per customer in the answer links, reruns that mail
 * nobody twice, and answers recorded in survey_responses once per token.
 */
import { createClient } from '@supabase/supabase-js';
import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { CxCustomerSurvey } from '../../nodes/CxCustomerSurvey/CxCustomerSurvey.node';
import { executeContext, rejectionOf, standin } from '../support/context';
import { dayFromAnchor, fromAnchor, standinsEnv, storedTime } from '../support/standins';

interface Delivery { to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }>; customArgs: Record<string, string> }
interface Message { messageId: string; body: { asm?: { group_id: number }; categories?: string[] }; deliveries: Delivery[] }
type Summary = { survey: string; orders: number; deliveredInWindow: number; toSurvey: number; sent: number; unconfirmed: number; failed: number; skipped: Record<string, number>; skippedTotal: number };

const GROUP = 4343;
const ANSWER_URL = 'https://n8n.example-store.test/webhook/cx-survey';
// the sample store's deliveries are counted back from its anchor: these runs act two weeks before it
const FIRST_RUN = fromAnchor(-15, '12:00');
const LATER_RUN = fromAnchor(-12, '12:00');

const survey = (parameters: IDataObject, items: IDataObject[] = [{}], continueOnFail = false) =>
	new CxCustomerSurvey().execute.call(
		executeContext({
			items,
			continueOnFail,
			parameters: {
				operation: 'sendSurveys',
				source: 'shopify',
				questionType: 'csat',
				answerUrl: ANSWER_URL,
				unsubscribeGroupId: GROUP,
				...parameters,
				options: { now: FIRST_RUN, storeName: 'Example Store', ...(parameters.options as IDataObject) },
			},
		}),
	);
/** The answer page's form, sent (POST) to the link's own address: the fields in the body, the link's query left in place. */
const answer = (fields: IDataObject, continueOnFail = false, now = fromAnchor(-11, '09:00')) =>
	new CxCustomerSurvey().execute.call(
		executeContext({ items: [{ headers: {}, params: {}, query: { t: fields.t, s: '5' }, body: fields }], continueOnFail, parameters: { operation: 'recordAnswer', answerOptions: { now, storeName: 'Example Store' } } }),
	);
/** A link in the email followed (GET), by the customer's browser or a mail scanner: the query only. */
const openLink = (query: IDataObject, continueOnFail = false) =>
	new CxCustomerSurvey().execute.call(
		executeContext({ items: [{ headers: {}, params: {}, query, body: {} }], continueOnFail, parameters: { operation: 'recordAnswer', answerOptions: { now: fromAnchor(-11, '08:00'), storeName: 'Example Store' } } }),
	);
const surveyOf = (item: INodeExecutionData) => item.json.survey as IDataObject;
const tierCount = (surveyed: INodeExecutionData[]) => {
	const counts: Record<string, number> = { vip: 0, premium: 0, regular: 0 };
	for (const item of surveyed) counts[String(item.json.tier)]++;
	return counts;
};

describe('CX Customer Survey against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const messages = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-survey'));
	const deliveries = async () => (await messages()).flatMap((message) => message.deliveries);
	const prefix = `sv-${Date.now()}`;

	const forget = async () => {
		const { data: invites } = await supabase.from('survey_invites').select('token').or(`order_id.like.gid://shopify/Order/*,order_id.like.${prefix}*`);
		const tokens = (invites ?? []).map((row) => row.token as string);
		for (let i = 0; i < tokens.length; i += 100) await supabase.from('survey_responses').delete().in('external_id', tokens.slice(i, i + 100)).throwOnError();
		await supabase.from('survey_invites').delete().like('order_id', 'gid://shopify/Order/%').throwOnError();
		await supabase.from('survey_invites').delete().like('order_id', `${prefix}%`).throwOnError();
	};

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await forget();
	});

	afterAll(async () => {
		await standin('sendgrid', '/__standin/faults', { method: 'DELETE' });
		await forget();
	});

	let first: { surveyed: INodeExecutionData[]; summary: Summary };

	it('asks each subscribed customer whose order arrived 3 to 10 days ago once, writing the invitation first', async () => {
		const [surveyed, [summary]] = await survey({});
		first = { surveyed, summary: summary.json as unknown as Summary };
		const s = first.summary;
		// the sample store as of two weeks before its anchor: 219 orders read, 28 delivered 3 to 10 days ago, 19 asked
		expect(s).toEqual({
			survey: 'csat',
			deliveredFrom: fromAnchor(-25, '12:00'),
			deliveredTo: fromAnchor(-18, '12:00'),
			orders: 219,
			deliveredInWindow: 28,
			toSurvey: 19,
			sent: 19,
			unconfirmed: 0,
			failed: 0,
			skipped: { consent_not_subscribed: 2, throttled: 2, consent_unsubscribed: 5 },
			skippedTotal: 9,
			consent: 'subscribed',
		});
		expect(surveyed).toHaveLength(19);
		// tiers by the default policy: the "VIP" tag or over 1000 spent is vip, over 500 premium
		expect(tierCount(surveyed)).toEqual({ vip: 8, premium: 4, regular: 7 });

		// the named fixtures: Vera's order #1014 arrived 19 days before the anchor, Lars's late #1013 22 days before it
		const vera = surveyed.find((item) => item.json.order_id === 'gid://shopify/Order/5014')!;
		expect(vera.json).toMatchObject({ order_name: '#1014', customer_id: 'gid://shopify/Customer/1001', email: 'vip.tagged@example-store.test', tier: 'vip' });
		expect(surveyOf(vera)).toMatchObject({ type: 'csat', status: 'sent', reasons: [`delivered:${dayFromAnchor(-19)}:3d_ago`, 'ask:csat'] });
		expect(surveyed.some((item) => item.json.order_id === 'gid://shopify/Order/5013')).toBe(true);

		// the ledger: one sent row per order, each with its own token and SendGrid's message id
		const { data: rows } = await supabase.from('survey_invites').select('*').like('order_id', 'gid://shopify/Order/%');
		expect(rows).toHaveLength(s.sent);
		expect(rows!.every((row) => row.status === 'sent' && row.sent_at && row.message_id && row.type === 'csat')).toBe(true);
		expect(rows!.every((row) => /^[a-z2-7]{24}$/.test(row.token))).toBe(true);
		expect(new Set(rows!.map((row) => row.token)).size).toBe(rows!.length);
		expect(new Set(rows!.map((row) => row.customer_id)).size).toBe(rows!.length);

		// SendGrid: one request, the unsubscribe group, each customer's own token in every answer link
		const sent = await messages();
		expect(sent).toHaveLength(1);
		expect(sent[0].body.asm?.group_id).toBe(GROUP);
		expect(sent[0].body.categories).toEqual(['cx-survey', 'cx-survey-csat']);
		expect(sent[0].deliveries.map((delivery) => delivery.to[0].email).sort()).toEqual(surveyed.map((item) => item.json.email).sort());
		const veraRow = rows!.find((row) => row.order_id === 'gid://shopify/Order/5014')!;
		const veraMail = sent[0].deliveries.find((delivery) => delivery.to[0].email === 'vip.tagged@example-store.test')!;
		const html = veraMail.content.find((part) => part.type === 'text/html')!.value;
		for (const score of [1, 2, 3, 4, 5]) expect(html).toContain(`href="${ANSWER_URL}?t=${veraRow.token}&amp;s=${score}"`);
		expect(html).toContain('Hi Vera,');
		expect(veraMail.subject).toBe('Thank you for your order #1014: how did we do?');
		expect(veraMail.customArgs).toMatchObject({ cx_survey: veraRow.id, cx_order: 'gid://shopify/Order/5014' });
		// nobody else's token is in Vera's email
		for (const row of rows!.filter((other) => other.id !== veraRow.id)) expect(html).not.toContain(row.token);
	});

	it('never mails an unsubscribed customer', async () => {
		const { data: rows } = await supabase.from('survey_invites').select('customer_id').like('order_id', 'gid://shopify/Order/%');
		const ids = rows!.map((row) => String(row.customer_id).split('/').pop());
		const consent = await standin<{ data: { nodes: Array<{ id: string; emailMarketingConsent: { marketingState: string } }> } }>('shopify', `/admin/api/${env.shopify.apiVersion}/graphql.json`, {
			method: 'POST',
			body: JSON.stringify({ query: `{ nodes(ids: ${JSON.stringify(ids.map((id) => `gid://shopify/Customer/${id}`))}) { ... on Customer { id emailMarketingConsent { marketingState } } } }` }),
		});
		expect(consent.data.nodes.map((node) => node.emailMarketingConsent.marketingState)).toEqual(Array(ids.length).fill('SUBSCRIBED'));
	});

	it('a rerun as of the same time mails nobody: every order was asked already', async () => {
		const before = (await deliveries()).length;
		const [surveyed, [summary]] = await survey({});
		expect(surveyed).toHaveLength(0);
		expect(summary.json).toMatchObject({ toSurvey: 0, sent: 0 });
		expect((summary.json.skipped as IDataObject).already_surveyed).toBe(first.summary.sent);
		expect(await deliveries()).toHaveLength(before);
	});

	it('three days later: new deliveries are asked, customers asked in the last 30 days are not', async () => {
		const before = await deliveries();
		const [surveyed, [summary]] = await survey({ options: { now: LATER_RUN } });
		const s = summary.json as unknown as Summary;
		// 24 delivered in the window, 12 of them asked about in the first run, 3 new customers asked
		expect(s).toMatchObject({ orders: 207, deliveredInWindow: 24, toSurvey: 3, sent: 3, unconfirmed: 0, failed: 0, skippedTotal: 21 });
		expect(s.skipped).toEqual({ already_surveyed: 12, throttled: 4, consent_unsubscribed: 3, consent_not_subscribed: 1, consent_pending: 1 });
		expect(surveyed.map((item) => [item.json.order_id, item.json.customer_id])).toEqual([
			['gid://shopify/Order/5842', 'gid://shopify/Customer/1289'],
			['gid://shopify/Order/5872', 'gid://shopify/Customer/1320'],
			['gid://shopify/Order/5882', 'gid://shopify/Customer/1330'],
		]);
		// customer 1202's order #1880 arrived 17 days before the anchor; they were asked about #1861 in the first run
		expect(surveyed.some((item) => item.json.customer_id === 'gid://shopify/Customer/1202')).toBe(false);
		const firstCustomers = new Set(first.surveyed.map((item) => item.json.customer_id));
		expect(surveyed.filter((item) => firstCustomers.has(item.json.customer_id))).toHaveLength(0);
		// across both runs, every customer got one survey
		const recipients = (await deliveries()).map((delivery) => delivery.to[0].email);
		expect(recipients.length).toBe(before.length + 3);
		expect(new Set(recipients).size).toBe(recipients.length);
	});

	const itemOrders = (tag: string, consent = 'SUBSCRIBED'): IDataObject[] => [
		{ order_id: `${prefix}-${tag}-1`, order_name: '#A1', customer_id: `${prefix}-${tag}-c1`, email: `${prefix}-${tag}-1@example-store.test`, first_name: 'Ada <b>', delivered_at: fromAnchor(30, '10:00'), email_marketing_consent: consent },
		{ order_id: `${prefix}-${tag}-2`, customer_id: `${prefix}-${tag}-c2`, email: `${prefix}-${tag}-2@example-store.test`, delivered_at: fromAnchor(31, '10:00'), email_marketing_consent: 'NOT_SUBSCRIBED' },
		{ order_id: `${prefix}-${tag}-3`, customer_id: `${prefix}-${tag}-c3`, email: `${prefix}-${tag}-3@example-store.test`, delivered_at: fromAnchor(31, '10:00'), email_marketing_consent: 'UNSUBSCRIBED' },
		{ order_id: `${prefix}-${tag}-4`, customer_id: `${prefix}-${tag}-c4`, delivered_at: fromAnchor(31, '10:00'), email_marketing_consent: 'SUBSCRIBED' },
	];
	const itemsNow = fromAnchor(35, '12:00');

	it('from items, NPS, "not opted out": customers who never chose are asked too, unsubscribed and email-less ones never', async () => {
		const [surveyed, [summary]] = await survey({ source: 'items', questionType: 'nps', options: { now: itemsNow, consent: 'notOptedOut' } }, itemOrders('nps'));
		expect(summary.json).toMatchObject({ survey: 'nps', deliveredInWindow: 4, sent: 2, skipped: { consent_unsubscribed: 1, no_email: 1 }, consent: 'notOptedOut' });
		expect(surveyed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const mails = (await messages()).filter((message) => message.body.categories?.includes('cx-survey-nps'));
		const ada = mails.flatMap((message) => message.deliveries).find((delivery) => delivery.to[0].email === `${prefix}-nps-1@example-store.test`)!;
		const html = ada.content.find((part) => part.type === 'text/html')!.value;
		expect(html).toContain('Hi Ada &lt;b&gt;,');
		expect(html).not.toContain('Ada <b>');
		expect(html.match(/href="https:\/\/n8n\.example-store\.test\/webhook\/cx-survey\?t=[a-z2-7]{24}&amp;s=\d+"/g)).toHaveLength(11);
	});

	it('a mail scanner follows the link for 4 before Vera reads her email: it gets the page with 4 preselected, and nothing is recorded', async () => {
		const { data: invite } = await supabase.from('survey_invites').select('*').eq('order_id', 'gid://shopify/Order/5014').single();
		const [[page]] = await openLink({ t: invite!.token, s: '4' });
		expect(page.json.answer).toEqual({ step: 'confirm', recorded: false, type: 'csat', score: 4, orderId: 'gid://shopify/Order/5014', orderName: '#1014', pageHtml: expect.any(String) });
		const html = (page.json.answer as IDataObject).pageHtml as string;
		expect(html).toContain('<form method="post" action=""');
		expect(html).toContain('<input type="radio" name="s" value="4" checked required>');
		expect(html).toContain(`<input type="hidden" name="t" value="${invite!.token}">`);
		// opened twice more (the scanner, then Vera): still nothing stored, and the invitation is not answered
		await openLink({ t: invite!.token, s: '4' });
		await openLink({ t: invite!.token, s: '4' });
		expect((await supabase.from('survey_responses').select('*').eq('external_id', invite!.token)).data).toEqual([]);
		expect((await supabase.from('survey_invites').select('answered_at').eq('id', invite!.id).single()).data!.answered_at).toBeNull();
		// a made-up token or a score off the scale gets no page, as before
		expect((await rejectionOf<NodeOperationError>(openLink({ t: 'abcdefghijklmnopqrstuvwx', s: '4' }))).message).toBe('Item 0: The survey link\'s token is not one this store sent (query parameter "t")');
		expect((await rejectionOf<NodeOperationError>(openLink({ t: invite!.token, s: '9' }))).message).toMatch(/outside the CSAT scale of 1 to 5/);
	});

	it('records an answer once per token when the page\'s button is pressed: a second send replaces the first, the same form sent twice stores one row', async () => {
		const { data: invite } = await supabase.from('survey_invites').select('*').eq('order_id', 'gid://shopify/Order/5014').single();
		const [[recorded]] = await answer({ t: invite!.token, s: '4' });
		expect(recorded.json.answer).toMatchObject({ step: 'recorded', recorded: true, type: 'csat', score: 4, orderId: 'gid://shopify/Order/5014', orderName: '#1014', commented: false, respondedAt: fromAnchor(-11, '09:00') });
		expect((recorded.json.answer as IDataObject).thankYouHtml).toContain('You gave us 4 out of 5.');
		const stored = async () => (await supabase.from('survey_responses').select('*').eq('external_id', invite!.token)).data!;
		expect(await stored()).toEqual([expect.objectContaining({ customer_id: 'gid://shopify/Customer/1001', customer_email: 'vip.tagged@example-store.test', order_id: 'gid://shopify/Order/5014', type: 'csat', score: 4, channel: 'email', tier: 'vip', comment: null, responded_at: storedTime(fromAnchor(-11, '09:00')) })]);
		const { data: answered } = await supabase.from('survey_invites').select('answered_at').eq('id', invite!.id).single();
		expect(answered!.answered_at).toBe(storedTime(fromAnchor(-11, '09:00')));

		await answer({ t: invite!.token, s: '2' }, false, fromAnchor(-11, '09:05'));
		await answer({ t: invite!.token, s: '2' }, false, fromAnchor(-11, '09:06'));
		expect(await stored()).toEqual([expect.objectContaining({ score: 2, responded_at: storedTime(fromAnchor(-11, '09:06')) })]);
		// answered_at keeps the first answer's time
		expect((await supabase.from('survey_invites').select('answered_at').eq('id', invite!.id).single()).data!.answered_at).toBe(storedTime(fromAnchor(-11, '09:00')));
	});

	it('keeps a comment, and a later click without one leaves it in place', async () => {
		const { data: invite } = await supabase.from('survey_invites').select('*').eq('order_id', 'gid://shopify/Order/5013').single();
		const [[withComment]] = await answer({ t: invite!.token, s: '2', comment: 'The canvas came <late>' });
		expect((withComment.json.answer as IDataObject).thankYouHtml).toContain('Thank you for your comment');
		await answer({ t: invite!.token, s: '3' });
		const { data: rows } = await supabase.from('survey_responses').select('score, comment').eq('external_id', invite!.token);
		expect(rows).toEqual([{ score: 3, comment: 'The canvas came <late>' }]);
	});

	it('NPS answers take 0-10; a CSAT answer of 6 is refused, naming the parameter, and nothing changes', async () => {
		const { data: nps } = await supabase.from('survey_invites').select('token').eq('order_id', `${prefix}-nps-1`).single();
		const [[ten]] = await answer({ t: nps!.token, s: '10' });
		expect(ten.json.answer).toMatchObject({ type: 'nps', score: 10 });

		const { data: csat } = await supabase.from('survey_invites').select('token').eq('order_id', 'gid://shopify/Order/5014').single();
		const error = await rejectionOf<NodeOperationError>(answer({ t: csat!.token, s: '6' }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Item 0: The survey link\'s score is not an answer to this question (query parameter "s"): the score 6 is outside the CSAT scale of 1 to 5');
		const { data: rows } = await supabase.from('survey_responses').select('score').eq('external_id', csat!.token);
		expect(rows).toEqual([{ score: 2 }]);
	});

	it('refuses a token the store never sent, naming the parameter, and stores nothing; with "continue" it is an error item', async () => {
		const guess = 'abcdefghijklmnopqrstuvwx';
		const error = await rejectionOf<NodeOperationError>(answer({ t: guess, s: '5' }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Item 0: The survey link\'s token is not one this store sent (query parameter "t")');
		const [[item]] = await answer({ t: guess, s: '5' }, true);
		expect(Object.keys(item.json).sort()).toEqual(['details', 'error']);
		expect(item.json.error).toMatch(/query parameter "t"/);
		const { count } = await supabase.from('survey_responses').select('*', { count: 'exact', head: true }).eq('external_id', guess);
		expect(count).toBe(0);
	});

	it('after an unclear SendGrid failure the run fails and the invitation is never sent again', async () => {
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1 }) });
		const orders = itemOrders('fault');
		const error = await rejectionOf<Error>(survey({ source: 'items', options: { now: itemsNow } }, orders));
		expect(error.message).toMatch(/SendGrid did not send the email \(HTTP 500\)/);
		const { data: rows } = await supabase.from('survey_invites').select('status, last_error').like('order_id', `${prefix}-fault-%`);
		expect(rows).toEqual([{ status: 'sending', last_error: expect.stringMatching(/HTTP 500/) }]);

		const before = (await deliveries()).length;
		const [surveyed, [summary]] = await survey({ source: 'items', options: { now: itemsNow } }, orders);
		expect(summary.json).toMatchObject({ sent: 0, skipped: { already_surveyed: 1 } });
		expect(surveyed).toHaveLength(0);
		expect(await deliveries()).toHaveLength(before);
	});

	it('after SendGrid refuses a batch outright the invitations go back to pending and the next run sends them, once', async () => {
		const orders = itemOrders('refused');
		// an address SendGrid refuses (a domain label that starts with a hyphen): the whole request is answered 400
		const refused = [{ ...orders[0], email: `${prefix}-refused-1@-refused.example-store.test` }];
		const error = await rejectionOf<Error>(survey({ source: 'items', options: { now: itemsNow } }, refused));
		expect(error.message).toMatch(/SendGrid did not send the email \(HTTP 400\)/);
		const { data: rows } = await supabase.from('survey_invites').select('status, token').like('order_id', `${prefix}-refused-%`);
		expect(rows).toEqual([{ status: 'pending', token: expect.stringMatching(/^[a-z2-7]{24}$/) }]);

		const [surveyed, [summary]] = await survey({ source: 'items', options: { now: itemsNow } }, [orders[0]]);
		expect(summary.json).toMatchObject({ sent: 1 });
		expect(surveyOf(surveyed[0]).reasons).toEqual([`delivered:${dayFromAnchor(30)}:5d_ago`, 'resume:invite_recorded_not_sent']);
		const html = (await deliveries()).find((delivery) => delivery.to[0].email === orders[0].email)!.content.find((part) => part.type === 'text/html')!.value;
		// the token recorded before the refused attempt is the one mailed
		expect(html).toContain(`t=${rows![0].token}&amp;s=1`);
		const [again] = await survey({ source: 'items', options: { now: itemsNow } }, [orders[0]]);
		expect(again).toHaveLength(0);
	});

	it('two runs at once mail each order once: each sends only the invitations it claimed', async () => {
		const orders = itemOrders('race');
		const before = (await deliveries()).length;
		const [a, b] = await Promise.all([survey({ source: 'items', options: { now: itemsNow } }, orders), survey({ source: 'items', options: { now: itemsNow } }, orders)]);
		const statuses = [...a[0], ...b[0]].map((item) => surveyOf(item).status);
		// the run that claimed the one order that may be asked sent it; the other saw it claimed (unconfirmed) or sent, or,
		// reading after the first had finished, found it invited already and says nothing of it (as any later run does)
		expect([['sent'], ['sent', 'sent'], ['sent', 'unconfirmed']]).toContainEqual([...statuses].sort());
		const mailed = (await deliveries()).slice(before).map((delivery) => delivery.to[0].email);
		expect(mailed).toEqual([`${prefix}-race-1@example-store.test`]);
		const { data: rows } = await supabase.from('survey_invites').select('status').like('order_id', `${prefix}-race-%`);
		expect(rows).toEqual([{ status: 'sent' }]);
	});
	it('a run, then 12 days without a run, then a run: the orders delivered in those days are asked about, each once', async () => {
		const gapOrder = (key: string, deliveredAt: string): IDataObject => ({
			order_id: `${prefix}-gap-${key}`,
			customer_id: `${prefix}-gap-c-${key}`,
			email: `${prefix}-gap-${key}@example-store.test`,
			delivered_at: deliveredAt,
			email_marketing_consent: 'SUBSCRIBED',
		});
		const lastAsked = gapOrder('asked', fromAnchor(46, '10:00'));
		const [firstSurveyed] = await survey({ source: 'items', questionType: 'nps', options: { now: fromAnchor(50, '12:00') } }, [lastAsked]);
		expect(firstSurveyed.map((item) => [item.json.order_id, surveyOf(item).status])).toEqual([[lastAsked.order_id, 'sent']]);

		// the scheduler was down from day 51 to day 61: a fixed 7 catch-up days would start at day 52, 12:00
		const orders = [lastAsked, gapOrder('day48', fromAnchor(48, '10:00')), gapOrder('day52', fromAnchor(52, '10:00')), gapOrder('day57', fromAnchor(57, '10:00'))];
		const before = (await deliveries()).length;
		const [surveyed, [summary]] = await survey({ source: 'items', questionType: 'nps', options: { now: fromAnchor(62, '12:00') } }, orders);
		expect(surveyed.map((item) => [item.json.order_id, surveyOf(item).status])).toEqual([
			[`${prefix}-gap-day48`, 'sent'],
			[`${prefix}-gap-day52`, 'sent'],
			[`${prefix}-gap-day57`, 'sent'],
		]);
		expect(summary.json).toMatchObject({ deliveredFrom: fromAnchor(46, '09:00'), deliveredTo: fromAnchor(59, '12:00'), caughtUpFrom: fromAnchor(46, '10:00'), deliveredInWindow: 4, toSurvey: 3, sent: 3, skipped: { already_surveyed: 1 } });
		expect((await deliveries()).slice(before).map((delivery) => delivery.to[0].email).sort()).toEqual([`${prefix}-gap-day48@example-store.test`, `${prefix}-gap-day52@example-store.test`, `${prefix}-gap-day57@example-store.test`]);

		// run again as of the same day: the catch-up is made (the latest delivery asked about is day 57), nobody is asked twice
		const [again, [againSummary]] = await survey({ source: 'items', questionType: 'nps', options: { now: fromAnchor(62, '12:00') } }, orders);
		expect(again).toHaveLength(0);
		expect(againSummary.json).toMatchObject({ deliveredFrom: fromAnchor(52, '12:00'), deliveredInWindow: 1, sent: 0, skipped: { already_surveyed: 1 } });
		expect(againSummary.json).not.toHaveProperty('caughtUpFrom');
		const { data: rows } = await supabase.from('survey_invites').select('order_id, status').like('order_id', `${prefix}-gap-%`).order('order_id');
		expect(rows).toEqual(orders.map((order) => ({ order_id: order.order_id, status: 'sent' })).sort((a, b) => String(a.order_id).localeCompare(String(b.order_id))));
	});

	it('a store whose VIP tag is "Gold Member", with VIPs over 2000 spent and premium over 300, records its own tiers with each survey', async () => {
		// the same first run, asked afresh, with the store's tier options
		await forget();
		const [surveyed] = await survey({ options: { vipTag: 'Gold Member', vipLifetimeSpend: 2000, premiumLifetimeSpend: 300 } });
		expect(surveyed).toHaveLength(19);
		// nobody is tagged "Gold Member" nor spent over 2000: the 8 default VIPs are premium here, as is one
		// customer who spent between 300 and 500 (regular by the default 500)
		expect(tierCount(surveyed)).toEqual({ vip: 0, premium: 13, regular: 6 });
		expect(surveyed.find((item) => item.json.customer_id === 'gid://shopify/Customer/1113')!.json.tier).toBe('premium');
		// Vera is tagged "VIP", which this store does not use: what she spent (over 300) makes her premium here,
		// in the ledger too, whose tier her answer is recorded with
		const vera = surveyed.find((item) => item.json.customer_id === 'gid://shopify/Customer/1001')!;
		expect(vera.json.tier).toBe('premium');
		const { data: veraInvite } = await supabase.from('survey_invites').select('tier').eq('order_id', 'gid://shopify/Order/5014').single();
		expect(veraInvite).toEqual({ tier: 'premium' });
	});
});

/**
 * Satisfaction after support against the stand-ins: tickets solved in Supabase `tickets` (seeded as of the
 * stand-in anchor), CX Customer Survey's Ask After Support asking each customer once about the help (never about
 * spam or merged tickets, never a customer surveyed in the last 30 days), the invitation and the email read back
 * from the SendGrid stand-in's mailbox, a reopened ticket never asked twice, runs missed for days caught up, and
 * the answer recorded with the ticket and its agent.
 */
import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxCustomerSurvey } from '../../nodes/CxCustomerSurvey/CxCustomerSurvey.node';
import { executeContext, standin } from '../support/context';
import { fromAnchor, standinsEnv, storedTime } from '../support/standins';

interface Delivery { to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }>; customArgs: Record<string, string> }
interface Message { body: { asm?: { group_id: number }; categories?: string[] }; deliveries: Delivery[] }

const GROUP = 4343;
const ANSWER_URL = 'https://n8n.example-store.test/webhook/cx-survey';
// counted from the anchor, far from the sample store's days and the other suites' tickets
const NOW = fromAnchor(120, '12:00');

describe('CX Customer Survey: satisfaction after support, against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const prefix = `ss-${Date.now()}`;
	const email = (who: string) => `${prefix}-${who}@example-store.test`;
	const supportMails = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-survey-support'));
	const deliveries = async () => (await supportMails()).flatMap((message) => message.deliveries);

	const ask = (now: string, options: IDataObject = {}) =>
		new CxCustomerSurvey().execute.call(
			executeContext({
				items: [{}],
				parameters: { operation: 'askAfterSupport', answerUrl: ANSWER_URL, unsubscribeGroupId: GROUP, supportOptions: { now, storeName: 'Example Store', ...options } },
			}),
		);
	const record = (body: IDataObject, now: string) =>
		new CxCustomerSurvey().execute.call(executeContext({ items: [{ headers: {}, params: {}, query: {}, body }], parameters: { operation: 'recordAnswer', answerOptions: { now } } }));
	const openLink = (query: IDataObject) =>
		new CxCustomerSurvey().execute.call(executeContext({ items: [{ headers: {}, params: {}, query, body: {} }], parameters: { operation: 'recordAnswer', answerOptions: { now: NOW } } }));

	const ticket = (key: string, row: IDataObject) => ({
		external_id: `${prefix}-${key}`,
		channel: 'email',
		subject: 'Where is my parcel?',
		customer_id: `${prefix}-customer-${key}`,
		customer_email: email(key),
		tags: [],
		status: 'solved',
		assignee: 'maria@example-store.test',
		...row,
	});

	const forget = async () => {
		await supabase.from('survey_responses').delete().like('ticket_id', `${prefix}%`).throwOnError();
		await supabase.from('survey_invites').delete().like('ticket_id', `${prefix}%`).throwOnError();
		await supabase.from('survey_invites').delete().like('order_id', `${prefix}%`).throwOnError();
		await supabase.from('tickets').delete().like('external_id', `${prefix}%`).throwOnError();
	};

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await forget();
		await supabase.from('tickets').insert([
			ticket('parcel', { subject: 'Where is my parcel <#1042>?', resolved_at: fromAnchor(119, '08:00'), assignee: 'maria@example-store.test', tier: 'vip' }),
			ticket('spam', { status: 'closed', resolved_at: fromAnchor(118, '15:00'), tags: ['Spam'], assignee: null }),
			ticket('merged', { resolved_at: fromAnchor(117, '10:00'), tags: ['shipping', 'closed_by_merge'] }),
			ticket('surveyed', { resolved_at: fromAnchor(116, '10:00'), assignee: 'jon@example-store.test' }),
			ticket('noemail', { resolved_at: fromAnchor(115, '10:00'), customer_email: null }),
			ticket('recent', { resolved_at: fromAnchor(120, '10:00') }),
			ticket('reopened', { status: 'open', resolved_at: null }),
		]).throwOnError();
		// the customer of "surveyed" was asked about an order ten days before
		await supabase.from('survey_invites').insert({
			token: 'aaaaaaaaaaaaaaaaaaaaaaa2', order_id: `${prefix}-order`, customer_id: `${prefix}-customer-surveyed`, customer_email: email('surveyed'),
			type: 'nps', status: 'sent', sent_at: fromAnchor(110, '11:00'), created_at: fromAnchor(110, '11:00'), delivered_at: fromAnchor(107, '10:00'),
		}).throwOnError();
	});

	afterAll(async () => {
		await forget();
	});

	let token = '';

	it('a ticket solved yesterday gets one CSAT question about the help; the spam, the merged, the recently surveyed and the email-less ones do not', async () => {
		const [surveyed, [summary]] = await ask(NOW);
		expect(summary.json).toEqual({
			survey: 'csat',
			about: 'ticket',
			solvedFrom: fromAnchor(112, '12:00'),
			solvedTo: fromAnchor(119, '12:00'),
			tickets: 5,
			solvedInWindow: 5,
			toSurvey: 1,
			sent: 1,
			unconfirmed: 0,
			failed: 0,
			skipped: { spam_or_merged: 2, throttled: 1, no_email: 1 },
			skippedTotal: 4,
			consent: 'notOptedOut',
		});
		expect(surveyed.map((item) => item.json)).toEqual([{
			ticket_id: `${prefix}-parcel`,
			agent: 'maria@example-store.test',
			customer_id: `${prefix}-customer-parcel`,
			email: email('parcel'),
			subject: 'Where is my parcel <#1042>?',
			resolved_at: storedTime(fromAnchor(119, '08:00')),
			order_id: null,
			tier: 'vip',
			survey: { type: 'csat', status: 'sent', inviteId: expect.any(String), messageId: expect.any(String), reasons: [`solved:${fromAnchor(119).slice(0, 10)}`, 'ask:csat_after_support'] },
		}]);

		// the ledger: the ticket's invitation, with its agent and solve, and no order
		const { data: rows } = await supabase.from('survey_invites').select('*').like('ticket_id', `${prefix}%`);
		expect(rows).toEqual([expect.objectContaining({
			ticket_id: `${prefix}-parcel`, agent: 'maria@example-store.test', ticket_resolved_at: storedTime(fromAnchor(119, '08:00')), order_id: null, delivered_at: null,
			customer_id: `${prefix}-customer-parcel`, customer_email: email('parcel'), type: 'csat', tier: 'vip', status: 'sent', sent_at: storedTime(NOW), created_at: storedTime(NOW),
		})]);
		token = rows![0].token;
		expect(token).toMatch(/^[a-z2-7]{24}$/);

		// the mailbox: one email, to the customer, about the request, with the survey unsubscribe group
		const mails = await supportMails();
		expect(mails).toHaveLength(1);
		expect(mails[0].body.categories).toEqual(['cx-survey', 'cx-survey-csat', 'cx-survey-support']);
		expect(mails[0].body.asm?.group_id).toBe(GROUP);
		expect(mails[0].deliveries).toHaveLength(1);
		const [mail] = mails[0].deliveries;
		expect(mail.to).toEqual([{ email: email('parcel') }]);
		expect(mail.subject).toBe('Your request "Where is my parcel <#1042>?": how did we do?');
		expect(mail.customArgs).toEqual({ cx_survey: rows![0].id, cx_ticket: `${prefix}-parcel` });
		const html = mail.content.find((part) => part.type === 'text/html')!.value;
		expect(html).toContain('Your request &quot;Where is my parcel &lt;#1042&gt;?&quot; is solved');
		expect(html).not.toContain('<#1042>');
		expect(html).toContain('How satisfied are you with the help you received?');
		for (const score of [1, 2, 3, 4, 5]) expect(html).toContain(`href="${ANSWER_URL}?t=${token}&amp;s=${score}"`);
		expect(html.match(/href="https:\/\/n8n\.example-store\.test\/webhook\/cx-survey\?t=/g)).toHaveLength(5);
	});

	it('a rerun as of the same time mails nobody: the ticket was asked about already', async () => {
		const [surveyed, [summary]] = await ask(NOW);
		expect(surveyed).toHaveLength(0);
		expect(summary.json).toMatchObject({ tickets: 5, toSurvey: 0, sent: 0, skipped: { already_surveyed: 1, spam_or_merged: 2, throttled: 1, no_email: 1 } });
		expect(await deliveries()).toHaveLength(1);
	});

	it('the customer reopens the ticket and it is solved again: still asked once; the ticket reopened before it was asked is asked after its solve', async () => {
		await supabase.from('tickets').update({ status: 'open', resolved_at: null }).eq('external_id', `${prefix}-parcel`).throwOnError();
		// a day later: the ticket solved two hours before the first run is 26 hours old now, and asked about
		const [whileOpen, [openSummary]] = await ask(fromAnchor(121, '12:00'));
		expect(whileOpen.map((item) => item.json.ticket_id)).toEqual([`${prefix}-recent`]);
		expect(openSummary.json).toMatchObject({ tickets: 5, sent: 1, skipped: { spam_or_merged: 2, throttled: 1, no_email: 1 } });
		await supabase.from('tickets').update({ status: 'solved', resolved_at: fromAnchor(121, '09:00') }).eq('external_id', `${prefix}-parcel`).throwOnError();
		await supabase.from('tickets').update({ status: 'solved', resolved_at: fromAnchor(121, '10:00'), assignee: 'jon@example-store.test' }).eq('external_id', `${prefix}-reopened`).throwOnError();
		const [surveyed, [summary]] = await ask(fromAnchor(122, '12:00'));
		expect(surveyed.map((item) => [item.json.ticket_id, item.json.agent])).toEqual([[`${prefix}-reopened`, 'jon@example-store.test']]);
		expect(summary.json).toMatchObject({ tickets: 7, solvedInWindow: 7, sent: 1, skipped: { already_surveyed: 2, spam_or_merged: 2, throttled: 1, no_email: 1 } });
		expect((await deliveries()).map((delivery) => delivery.to[0].email)).toEqual([email('parcel'), email('recent'), email('reopened')]);
		const { data: rows } = await supabase.from('survey_invites').select('ticket_id, status, ticket_resolved_at').like('ticket_id', `${prefix}%`).order('ticket_id');
		// the parcel ticket's invitation keeps the solve it was made for
		expect(rows).toEqual([
			{ ticket_id: `${prefix}-parcel`, status: 'sent', ticket_resolved_at: storedTime(fromAnchor(119, '08:00')) },
			{ ticket_id: `${prefix}-recent`, status: 'sent', ticket_resolved_at: storedTime(fromAnchor(120, '10:00')) },
			{ ticket_id: `${prefix}-reopened`, status: 'sent', ticket_resolved_at: storedTime(fromAnchor(121, '10:00')) },
		]);
	});

	it('after 12 days without a run, the tickets solved in those days are asked about, each once', async () => {
		await supabase.from('tickets').insert([
			ticket('gap1', { resolved_at: fromAnchor(124, '09:00') }),
			ticket('gap2', { resolved_at: fromAnchor(130, '09:00'), assignee: 'jon@example-store.test' }),
		]).throwOnError();
		const [surveyed, [summary]] = await ask(fromAnchor(134, '12:00'));
		// a fixed week of catch-up would start on day 126, noon: the ticket solved on day 124 would be lost
		expect(summary.json).toMatchObject({ solvedFrom: fromAnchor(121, '09:00'), solvedTo: fromAnchor(133, '12:00'), caughtUpFrom: fromAnchor(121, '10:00'), tickets: 3, solvedInWindow: 3, sent: 2, skipped: { already_surveyed: 1 } });
		expect(surveyed.map((item) => item.json.ticket_id)).toEqual([`${prefix}-gap1`, `${prefix}-gap2`]);
		expect((await deliveries()).map((delivery) => delivery.to[0].email).slice(3)).toEqual([email('gap1'), email('gap2')]);
	});

	it('the answer page asks about the help and records nothing; the page\'s button records the answer with the ticket and its agent', async () => {
		const [[page]] = await openLink({ t: token, s: '4' });
		expect(page.json.answer).toEqual({ step: 'confirm', recorded: false, type: 'csat', score: 4, orderId: '', ticketId: `${prefix}-parcel`, pageHtml: expect.stringContaining('How satisfied are you with the help you received?') });
		expect((await supabase.from('survey_responses').select('*').eq('external_id', token)).data).toEqual([]);

		const [[recorded]] = await record({ t: token, s: '2', comment: 'Took three emails' }, fromAnchor(123, '09:00'));
		expect(recorded.json.answer).toMatchObject({ step: 'recorded', recorded: true, type: 'csat', score: 2, orderId: '', ticketId: `${prefix}-parcel`, agent: 'maria@example-store.test', commented: true });
		const { data: responses } = await supabase.from('survey_responses').select('external_id, ticket_id, agent, order_id, customer_id, customer_email, type, score, comment, channel, tier, responded_at').eq('external_id', token);
		expect(responses).toEqual([{
			external_id: token, ticket_id: `${prefix}-parcel`, agent: 'maria@example-store.test', order_id: null, customer_id: `${prefix}-customer-parcel`, customer_email: email('parcel'),
			type: 'csat', score: 2, comment: 'Took three emails', channel: 'email', tier: 'vip', responded_at: storedTime(fromAnchor(123, '09:00')),
		}]);
		// a second answer replaces the first: one row, still the ticket's and its agent's
		await record({ t: token, s: '5' }, fromAnchor(123, '09:05'));
		const { data: again } = await supabase.from('survey_responses').select('ticket_id, agent, score, comment').eq('external_id', token);
		expect(again).toEqual([{ ticket_id: `${prefix}-parcel`, agent: 'maria@example-store.test', score: 5, comment: 'Took three emails' }]);
	});

	it('the post-purchase survey still asks a customer about an order as before, and a ticket survey in the last 30 days throttles it', async () => {
		const order = (key: string, who: string): IDataObject => ({ order_id: `${prefix}-o-${key}`, customer_id: `${prefix}-customer-${who}`, email: email(who), delivered_at: fromAnchor(131, '10:00'), email_marketing_consent: 'SUBSCRIBED' });
		const [surveyed, [summary]] = await new CxCustomerSurvey().execute.call(
			executeContext({
				items: [order('asked', 'gap2'), order('new', 'fresh')],
				parameters: { operation: 'sendSurveys', source: 'items', questionType: 'csat', answerUrl: ANSWER_URL, unsubscribeGroupId: GROUP, options: { now: fromAnchor(134, '12:00') } },
			}),
		) as INodeExecutionData[][];
		expect(summary.json).toMatchObject({ deliveredInWindow: 2, sent: 1, skipped: { throttled: 1 } });
		expect(surveyed.map((item) => item.json.order_id)).toEqual([`${prefix}-o-new`]);
	});
});

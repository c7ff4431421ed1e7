/**
 * CX Feedback Follow-Up against the stand-ins: survey comments and feedback tickets in Supabase become
 * feedback items once, with their owner and due date; reminders and escalations go out once per item and
 * stage, to the right people, also when two runs overlap; a refused email is sent by the next run, an
 * unclear answer is not sent twice.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { NodeApiError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { CxFeedbackFollowUp } from '../../nodes/CxFeedbackFollowUp/CxFeedbackFollowUp.node';
import { executeContext, rejectionOf, standin } from '../support/context';
import { fromAnchor, standinsEnv, storedTime } from '../support/standins';

interface Delivery { to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }>; customArgs: Record<string, string>; categories: string[] }
interface Message { messageId: string; deliveries: Delivery[] }

const DAY = 86_400_000;
const run = randomUUID().slice(0, 8);
const mail = (name: string) => `${name}-${run}@example-store.test`;
const sid = (name: string) => `fb-${run}-${name}`;
const OWNERS = { fallback: mail('owner'), vip: mail('vip'), product: mail('product') };
const DIRECTOR = mail('director');
const hostile = '<script>alert("x")</script> & "quotes"';

/**
 * The time every run of this file acts as of, unless a test says otherwise: the day after the sample store's
 * anchor, at noon. The stand-ins are emptied before the file (test/support/freshStandins.ts), and every row
 * the file writes is dated from this time, so no calendar day changes what a run reads or decides.
 */
const NOW = fromAnchor(1, '12:00');
const recordParameters = (extra: IDataObject = {}): IDataObject => ({
	operation: 'record',
	source: 'supabase',
	surveyComments: true,
	feedbackTickets: true,
	defaultOwner: OWNERS.fallback,
	ownersByTier: { vip: OWNERS.vip },
	ownersByIssueType: { product: OWNERS.product },
	...extra,
	options: { now: NOW, ...(extra.options as IDataObject) },
});
const remindParameters = (extra: IDataObject = {}): IDataObject => ({ operation: 'remind', escalateTo: DIRECTOR, ...extra, options: { now: NOW, storeName: 'Example Store', ...(extra.options as IDataObject) } });

type Feedback = IDataObject & { status: string; source: string; sourceId: string; owner: string; dueAt: string; stage?: string; recipients?: string[] };
const feedbackOf = (outputs: INodeExecutionData[][]) => outputs[0].map((item) => item.json.feedback as Feedback);
const summaryOf = (outputs: INodeExecutionData[][]) => outputs[1][0].json;

describe('CX Feedback Follow-Up against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const now = Date.parse(NOW);
	const ago = (days: number) => new Date(now - days * DAY).toISOString();
	const ahead = (days: number) => new Date(now + days * DAY).toISOString();
	const surveyIds: Record<string, string> = {};

	const node = (parameters: IDataObject, extra: { items?: IDataObject[]; continueOnFail?: boolean; context?: (context: IExecuteFunctions) => IExecuteFunctions } = {}) => {
		const context = executeContext({ items: extra.items ?? [{}], parameters, ...(extra.continueOnFail ? { continueOnFail: true } : {}) });
		return new CxFeedbackFollowUp().execute.call(extra.context ? extra.context(context) : context);
	};
	/** This suite's feedback: other rows the table may hold are not looked at. */
	const mine = (items: Feedback[]) => items.filter((item) => item.sourceId.startsWith(`fb-${run}-`) || Object.values(surveyIds).includes(item.sourceId));
	const messagesTo = async (email: string) => standin<Message[]>('sendgrid', `/__standin/messages?to=${encodeURIComponent(email)}`);
	const htmlOf = (delivery: Delivery) => delivery.content.find((block) => block.type === 'text/html')!.value;
	const textOf = (delivery: Delivery) => delivery.content.find((block) => block.type === 'text/plain')!.value;
	const rowsOf = async (sourceIds: string[]) => {
		const { data, error } = await supabase.from('feedback_items').select('*').in('source_id', sourceIds).order('source_id');
		expect(error).toBeNull();
		return data!;
	};
	const insertItems = async (rows: IDataObject[]) => {
		const { error } = await supabase.from('feedback_items').insert(rows.map((row) => ({ source: 'itest', status: 'open', ...row })));
		expect(error).toBeNull();
	};

	beforeAll(async () => {
		// answers and tickets stored (tickets last changed, by triage) half a day before the run: within its 2 look-back days
		const stored = ago(1 / 2);
		const surveys = [
			{ key: 'vip', external_id: sid('s-vip'), type: 'nps', score: 3, comment: `  The frame cracked ${hostile}\n\n in transit  `, tier: 'vip', issue_type: 'shipping', customer_id: 'gid://shopify/Customer/1001', responded_at: ago(1), created_at: stored },
			{ key: 'product', external_id: sid('s-product'), type: 'csat', score: 5, comment: 'More frame sizes, please', tier: 'regular', issue_type: 'product', customer_id: 'gid://shopify/Customer/1004', responded_at: ago(3), created_at: stored },
			{ key: 'blank', external_id: sid('s-blank'), type: 'nps', score: 9, comment: ' \n ', responded_at: ago(1), created_at: stored },
			{ key: 'none', external_id: sid('s-none'), type: 'nps', score: 10, comment: null, responded_at: ago(1), created_at: stored },
		];
		const { data, error } = await supabase.from('survey_responses').insert(surveys.map(({ key, ...row }) => row)).select('id, external_id');
		expect(error).toBeNull();
		for (const row of data!) surveyIds[surveys.find((survey) => survey.external_id === row.external_id)!.key] = row.id;
		const { error: ticketError } = await supabase.from('tickets').insert([
			{ external_id: sid('t-triaged'), subject: 'Suggestion', body: 'It would be great if you offered gift wrapping.', customer_id: 'gid://shopify/Customer/1003', tier: 'premium', issue_type: 'general', tags: ['intent:feedback', 'channel:email'], ticket_created_at: ago(2), updated_at: stored },
			{ external_id: sid('t-person'), subject: 'Idea for the shop', body: 'A wishlist would help me plan gifts.', customer_email: 'vip.tagged@example-store.test', tier: 'vip', issue_type: 'general', tags: ['Feedback'], ticket_created_at: ago(4), updated_at: stored },
			{ external_id: sid('t-praise'), subject: 'Thank you', body: 'Lovely print!', tier: 'regular', issue_type: 'general', tags: ['intent:praise'], ticket_created_at: ago(1), updated_at: stored },
		]);
		expect(ticketError).toBeNull();
	});

	afterAll(async () => {
		await standin('sendgrid', '/__standin/faults', { method: 'DELETE' });
		await supabase.from('feedback_items').delete().like('owner', `%-${run}@%`);
		await supabase.from('feedback_items').delete().like('source_id', `fb-${run}-%`);
		await supabase.from('feedback_items').delete().in('source_id', Object.values(surveyIds));
		await supabase.from('survey_responses').delete().like('external_id', `fb-${run}-%`);
		await supabase.from('tickets').delete().like('external_id', `fb-${run}-%`);
	});

	describe('Record Feedback', () => {
		let first: Feedback[];

		it('records each survey comment and feedback ticket once, with its owner and a due date 30 days after the feedback', async () => {
			const outputs = await node(recordParameters());
			first = mine(feedbackOf(outputs));
			const bySource = Object.fromEntries(first.map((item) => [item.sourceId, item]));
			expect(Object.keys(bySource).sort()).toEqual([surveyIds.vip, surveyIds.product, sid('t-triaged'), sid('t-person')].sort());
			expect(first.every((item) => item.status === 'recorded')).toBe(true);
			expect(bySource[surveyIds.vip]).toMatchObject({ source: 'survey', owner: OWNERS.vip, ownerReason: 'tier:vip', customerId: 'gid://shopify/Customer/1001', summary: `The frame cracked ${hostile} in transit` });
			expect(bySource[surveyIds.product]).toMatchObject({ source: 'survey', owner: OWNERS.product, ownerReason: 'issue_type:product' });
			expect(bySource[sid('t-triaged')]).toMatchObject({ source: 'ticket', owner: OWNERS.fallback, ownerReason: 'default', summary: 'Suggestion: It would be great if you offered gift wrapping.' });
			expect(bySource[sid('t-person')]).toMatchObject({ source: 'ticket', owner: OWNERS.vip, customerId: 'vip.tagged@example-store.test' });
			// due 30 days after the customer's own time (the survey answer, the ticket's creation)
			expect(Date.parse(bySource[surveyIds.product].dueAt)).toBe(Date.parse(ago(3)) + 30 * DAY);
			expect(Date.parse(bySource[sid('t-person')].dueAt)).toBe(Date.parse(ago(4)) + 30 * DAY);

			const summary = summaryOf(outputs);
			// the first run reads its 2 look-back days; the tables hold this file's rows only (emptied before it): 3 survey
			// answers with a comment (one of null is not read), the blank one skipped, and 3 tickets, the praise skipped
			expect(summary).toEqual({
				operation: 'record',
				source: 'supabase',
				since: ago(2),
				readFrom: { survey: { since: ago(2), reason: 'look_back' }, ticket: { since: ago(2), reason: 'look_back' } },
				read: { surveyComments: 3, tickets: 3, items: 0 },
				candidates: 4,
				recorded: 4,
				alreadyRecorded: 0,
				skipped: { empty_comment: 1, not_feedback_ticket: 1 },
				dueDays: 30,
			});

			const rows = await rowsOf([surveyIds.vip, surveyIds.product, sid('t-triaged'), sid('t-person'), sid('t-praise'), surveyIds.blank, surveyIds.none]);
			expect(rows).toHaveLength(4);
			// stored as plain text: escaping is for emails only
			expect(rows.find((row) => row.source_id === surveyIds.vip)).toMatchObject({ status: 'open', summary: `The frame cracked ${hostile} in transit`, owner: OWNERS.vip, owner_reason: 'tier:vip', tier: 'vip', issue_type: 'shipping', reminded_at: null, escalated_at: null });
		});

		it('run again with other settings, opens nothing twice and moves no owner or due date', async () => {
			const before = await rowsOf(first.map((item) => item.sourceId));
			const outputs = await node(recordParameters({ defaultOwner: mail('someone-else'), ownersByTier: {}, options: { dueDays: 10 } }));
			const again = mine(feedbackOf(outputs));
			expect(again.map((item) => item.status)).toEqual(first.map(() => 'already_recorded'));
			// what it reports is what is stored, not what it would decide today
			expect(again.map((item) => [item.sourceId, item.owner, item.dueAt])).toEqual(first.map((item) => [item.sourceId, item.owner, item.dueAt]));
			expect(await rowsOf(first.map((item) => item.sourceId))).toEqual(before);
			// the same rows as the run before (this test follows it): its 4 recorded, the same 2 skipped
			expect(summaryOf(outputs)).toMatchObject({ recorded: 0, alreadyRecorded: 4, skipped: { empty_comment: 1, not_feedback_ticket: 1 } });
		});

		it('records input items once, also when one comes twice in a run, and reports a bad item under Continue On Fail', async () => {
			const items = [
				{ source: 'review', source_id: sid('r-1'), summary: 'Colours differ from the photos', customer_id: 'c-1', feedback_at: ago(5) },
				{ source: 'review', source_id: sid('r-1'), summary: 'Colours differ from the photos (again)' },
				{ source: 'review', source_id: sid('r-2'), summary: 'Bigger frames', owner: mail('lena') },
				{ source: 'review', summary: 'No id' },
			];
			const outputs = await node(recordParameters({ source: 'items' }), { items, continueOnFail: true });
			expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 3 }, { item: 0 }, { item: 1 }, { item: 2 }]);
			expect(outputs[0][0].json.error).toBe('Item 3: Field "source_id" is missing or empty');
			const feedback = feedbackOf(outputs).slice(1);
			expect(feedback.map((item) => [item.sourceId, item.status, item.owner])).toEqual([
				[sid('r-1'), 'recorded', OWNERS.fallback],
				[sid('r-1'), 'already_recorded', OWNERS.fallback],
				[sid('r-2'), 'recorded', mail('lena')],
			]);
			expect(await rowsOf([sid('r-1'), sid('r-2')])).toHaveLength(2);
			await supabase.from('feedback_items').delete().in('source_id', [sid('r-1'), sid('r-2')]);
		});

		it('a run, then three days without a run, then a run: the comments and feedback tickets of those three days are recorded, each once', async () => {
			// the daily run reads 2 days back by default; the shop's scheduler was down from day -9 to day -7
			const comments = [
				{ key: 'gap-before', at: fromAnchor(-10, '08:50') },
				{ key: 'gap-day1', at: fromAnchor(-9, '10:00') },
				{ key: 'gap-day2', at: fromAnchor(-8, '10:00') },
				{ key: 'gap-day3', at: fromAnchor(-7, '10:00') },
			];
			const { data, error } = await supabase
				.from('survey_responses')
				.insert(comments.map(({ key, at }) => ({ external_id: sid(key), type: 'csat', score: 2, comment: `Comment ${key}`, responded_at: at, created_at: at })))
				.select('id, external_id');
			expect(error).toBeNull();
			const gapIds = Object.fromEntries(data!.map((row) => [String(row.external_id).slice(`fb-${run}-`.length), String(row.id)]));
			Object.assign(surveyIds, Object.fromEntries(Object.entries(gapIds).map(([key, id]) => [`survey-${key}`, id])));
			const { error: ticketError } = await supabase.from('tickets').insert([
				{ external_id: sid('gap-t-before'), subject: 'Idea', body: 'Sell frames in oak.', tags: ['feedback'], ticket_created_at: fromAnchor(-10, '08:40'), updated_at: fromAnchor(-10, '08:40') },
				{ external_id: sid('gap-t-day2'), subject: 'Idea', body: 'Sell frames in walnut.', tags: ['feedback'], ticket_created_at: fromAnchor(-8, '12:00'), updated_at: fromAnchor(-8, '12:00') },
			]);
			expect(ticketError).toBeNull();
			const gapOf = (outputs: INodeExecutionData[][]) =>
				feedbackOf(outputs)
					.filter((item) => Object.values(gapIds).includes(item.sourceId) || item.sourceId.startsWith(`fb-${run}-gap-`))
					.map((item) => [item.sourceId, item.status])
					.sort((a, b) => a[0].localeCompare(b[0]));
			const sorted = (pairs: string[][]) => pairs.sort((a, b) => a[0].localeCompare(b[0]));

			const first = await node(recordParameters({ options: { now: fromAnchor(-10, '09:00') } }));
			expect(gapOf(first)).toEqual(sorted([[gapIds['gap-before'], 'recorded'], [sid('gap-t-before'), 'recorded']]));

			// three days later: read back to the last comment and ticket recorded (less an hour), not 2 days
			const second = await node(recordParameters({ options: { now: fromAnchor(-6, '09:00') } }));
			expect(gapOf(second)).toEqual(
				sorted([
					[gapIds['gap-before'], 'already_recorded'],
					[gapIds['gap-day1'], 'recorded'],
					[gapIds['gap-day2'], 'recorded'],
					[gapIds['gap-day3'], 'recorded'],
					[sid('gap-t-before'), 'already_recorded'],
					[sid('gap-t-day2'), 'recorded'],
				]),
			);
			expect(summaryOf(second).readFrom).toEqual({
				survey: { since: fromAnchor(-10, '07:50'), reason: 'catch_up' },
				ticket: { since: fromAnchor(-10, '07:40'), reason: 'catch_up' },
			});

			// the next day's run reads its 2 days (tickets: back to the last one recorded) and records nothing twice
			const third = await node(recordParameters({ options: { now: fromAnchor(-5, '09:00') } }));
			expect(gapOf(third)).toEqual(sorted([[gapIds['gap-day3'], 'already_recorded'], [sid('gap-t-day2'), 'already_recorded']]));
			expect(summaryOf(third).readFrom).toEqual({ survey: { since: fromAnchor(-7, '09:00'), reason: 'look_back' }, ticket: { since: fromAnchor(-8, '11:00'), reason: 'catch_up' } });

			const rows = await rowsOf([...Object.values(gapIds), sid('gap-t-before'), sid('gap-t-day2')]);
			expect(rows.map((row) => [row.source_id, row.source_changed_at === null ? null : new Date(String(row.source_changed_at)).toISOString()])).toEqual(
				sorted([
					[gapIds['gap-before'], fromAnchor(-10, '08:50')],
					[gapIds['gap-day1'], fromAnchor(-9, '10:00')],
					[gapIds['gap-day2'], fromAnchor(-8, '10:00')],
					[gapIds['gap-day3'], fromAnchor(-7, '10:00')],
					[sid('gap-t-before'), fromAnchor(-10, '08:40')],
					[sid('gap-t-day2'), fromAnchor(-8, '12:00')],
				]),
			);
		});
	});

	describe('Remind and Escalate', () => {
		const ANA = mail('ana');
		const BEN = mail('ben');

		beforeAll(async () => {
			await insertItems([
				{ source_id: sid('a'), owner: ANA, summary: `Frame arrived cracked ${hostile}`, customer_id: 'c-a', due_at: ahead(3) },
				{ source_id: sid('b'), owner: ANA, summary: 'Wants matte paper', due_at: ahead(6.9) },
				{ source_id: sid('h'), owner: ANA, summary: 'Asked for a size guide', status: 'in_progress', due_at: ahead(2) },
				{ source_id: sid('c'), owner: BEN, summary: 'Packaging too big', due_at: ahead(1) },
				{ source_id: sid('d'), owner: ANA, summary: 'Not due for a while', due_at: ahead(10) },
				{ source_id: sid('i'), owner: null, summary: 'Nobody owns this', due_at: ahead(2) },
				{ source_id: sid('e'), owner: BEN, summary: 'Overdue, never reminded', due_at: ago(2) },
				{ source_id: sid('f'), owner: ANA, summary: 'Overdue, reminded before', due_at: ago(1 / 24), reminded_at: ago(7) },
				{ source_id: sid('g'), owner: ANA, summary: 'Resolved already', status: 'resolved', resolved_at: ago(1), due_at: ago(5) },
				{ source_id: sid('j'), owner: ANA, summary: 'Escalated already', due_at: ago(3), reminded_at: ago(10), escalated_at: ago(2) },
			]);
		});

		it('reminds each owner once with all their items due soon, and escalates the overdue ones to the escalation recipients', async () => {
			const outputs = await node(remindParameters());
			const acted = mine(feedbackOf(outputs));
			const stages = Object.fromEntries(acted.map((item) => [item.sourceId, `${item.stage}:${item.status}`]));
			expect(stages).toEqual({
				[sid('a')]: 'reminded:sent',
				[sid('b')]: 'reminded:sent',
				[sid('h')]: 'reminded:sent',
				[sid('c')]: 'reminded:sent',
				[sid('i')]: 'reminded:sent',
				[sid('e')]: 'escalated:sent',
				[sid('f')]: 'escalated:sent',
			});
			const byId = Object.fromEntries(acted.map((item) => [item.sourceId, item]));
			// due 3 days after the run's Now
			expect(byId[sid('a')]).toMatchObject({ recipients: [ANA], daysLeft: 3, owner: ANA });
			expect(byId[sid('i')]).toMatchObject({ recipients: [DIRECTOR], unowned: true, owner: null });
			expect(byId[sid('e')]).toMatchObject({ recipients: [DIRECTOR], daysOverdue: 2 });
			expect(byId[sid('f')]).toMatchObject({ daysOverdue: 1 });

			// one email per owner listing all their items, not one per item
			const [anaMail, ...moreAna] = await messagesTo(ANA);
			expect(moreAna).toHaveLength(0);
			const anaDelivery = anaMail.deliveries[0];
			expect(anaDelivery.to.map((to) => to.email)).toEqual([ANA]);
			expect(anaDelivery.subject).toMatch(/^\[Example Store\] Feedback to follow up: 3 feedback items due soon, the first on /);
			expect(anaDelivery.customArgs).toMatchObject({ cx_feedback_stage: 'reminder', cx_feedback_items: '3' });
			expect(anaDelivery.categories).toEqual(['cx-feedback', 'cx-feedback-reminder']);
			for (const text of ['Wants matte paper', 'Asked for a size guide', 'Frame arrived cracked']) expect(textOf(anaDelivery)).toContain(text);
			expect(textOf(anaDelivery)).not.toContain('Not due for a while');
			// the customer's words are escaped in the HTML and kept as written in the text
			expect(htmlOf(anaDelivery)).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
			expect(htmlOf(anaDelivery)).not.toMatch(/<script/);
			expect(textOf(anaDelivery)).toContain(hostile);
			expect(anaMail.messageId).toBe(byId[sid('a')].messageId);

			const benMails = await messagesTo(BEN);
			expect(benMails).toHaveLength(1);
			expect(textOf(benMails[0].deliveries[0])).toContain('Packaging too big');
			expect(textOf(benMails[0].deliveries[0])).not.toContain('Overdue, never reminded');

			const directorMails = await messagesTo(DIRECTOR);
			expect(directorMails).toHaveLength(2);
			const overdueMail = directorMails.find((message) => message.deliveries[0].customArgs.cx_feedback_stage === 'escalation')!.deliveries[0];
			expect(overdueMail.subject).toMatch(/^\[Example Store\] Overdue feedback: 2 feedback items past due, up to 2 days late$/);
			expect(textOf(overdueMail)).toContain(`Owner: ${BEN}`);
			expect(textOf(overdueMail)).toContain('Overdue, reminded before');
			expect(textOf(overdueMail)).not.toMatch(/Resolved already|Escalated already/);
			const unownedMail = directorMails.find((message) => message.deliveries[0].customArgs.cx_feedback_stage === 'reminder')!.deliveries[0];
			expect(unownedMail.subject).toMatch(/Feedback without an owner: 1 feedback item due soon/);

			const rows = Object.fromEntries((await rowsOf(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map(sid))).map((row) => [row.source_id, row]));
			for (const key of ['a', 'b', 'h']) expect(rows[sid(key)]).toMatchObject({ reminder_message_id: anaMail.messageId, escalated_at: null, last_error: null });
			// claimed as of the run's Now
			for (const key of ['a', 'b', 'c', 'h', 'i']) expect(rows[sid(key)].reminded_at).toBe(storedTime(NOW));
			for (const key of ['e', 'f']) expect(rows[sid(key)].escalated_at).toBe(storedTime(NOW));
			expect(rows[sid('d')]).toMatchObject({ reminded_at: null, escalated_at: null });
			for (const key of ['e', 'f']) expect(rows[sid(key)]).toMatchObject({ escalated_to: [DIRECTOR], escalation_message_id: expect.any(String) });
			// an item overdue before it was reminded is escalated only
			expect(rows[sid('e')].reminded_at).toBeNull();
			expect(rows[sid('g')]).toMatchObject({ reminded_at: null, escalated_at: null });

			const summary = summaryOf(outputs) as { reminders: IDataObject; escalations: IDataObject };
			expect(summary.reminders).toMatchObject({ failed: 0, unconfirmed: 0 });
			expect(summary.escalations).toMatchObject({ recipients: [DIRECTOR], failed: 0 });
		});

		it('run again, mails nobody: each item and stage once', async () => {
			const outputs = await node(remindParameters());
			expect(mine(feedbackOf(outputs))).toEqual([]);
			expect(await messagesTo(ANA)).toHaveLength(1);
			expect(await messagesTo(BEN)).toHaveLength(1);
			expect(await messagesTo(DIRECTOR)).toHaveLength(2);
		});

		it('two runs at once mail each item once between them', async () => {
			const FINN = mail('finn');
			await insertItems(['x1', 'x2', 'x3'].map((key) => ({ source_id: sid(key), owner: FINN, summary: `Overlap item ${key}`, due_at: ahead(4) })));
			const [one, two] = await Promise.all([node(remindParameters()), node(remindParameters())]);
			const acted = [...mine(feedbackOf(one)), ...mine(feedbackOf(two))];
			expect(acted.map((item) => item.sourceId).sort()).toEqual([sid('x1'), sid('x2'), sid('x3')]);
			const listed = (await messagesTo(FINN)).flatMap((message) => textOf(message.deliveries[0]).match(/Overlap item x\d/g) ?? []);
			expect(listed.sort()).toEqual(['Overlap item x1', 'Overlap item x2', 'Overlap item x3']);
		});

		it('a refused email (gateway 503 after every retry) is taken back, and the next run sends it once', async () => {
			const CORA = mail('cora');
			await insertItems([{ source_id: sid('k'), owner: CORA, summary: 'Gateway trouble', due_at: ahead(2) }]);
			// four attempts in all: the first and sendgrid.ts's three retries
			await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 503, count: 4 }) });
			const failure = await rejectionOf<NodeApiError>(node(remindParameters()));
			expect(failure).toBeInstanceOf(NodeApiError);
			expect(failure.message).toMatch(/^1 feedback item was neither reminded nor escalated: SendGrid did not send the email \(HTTP 503\)/);
			expect(failure.description).toContain('the next run sends them once');
			const [failed] = await rowsOf([sid('k')]);
			expect(failed).toMatchObject({ reminded_at: null, reminder_message_id: null });
			expect(failed.last_error).toMatch(/^reminder: SendGrid did not send the email \(HTTP 503\)/);
			expect(await messagesTo(CORA)).toHaveLength(0);

			const outputs = await node(remindParameters());
			expect(mine(feedbackOf(outputs)).map((item) => [item.sourceId, item.status])).toEqual([[sid('k'), 'sent']]);
			expect(await messagesTo(CORA)).toHaveLength(1);
			expect((await rowsOf([sid('k')]))[0]).toMatchObject({ last_error: null, reminded_at: storedTime(NOW) });
		});

		it('a 4xx (a revoked API key) is taken back too, and the next run sends it once', async () => {
			const DORA = mail('dora');
			await insertItems([{ source_id: sid('m'), owner: DORA, summary: 'Key trouble', due_at: ahead(2) }]);
			const revokedKey = (context: IExecuteFunctions) => {
				const credentials = context.getCredentials.bind(context);
				return Object.assign(context, {
					getCredentials: async (type: string) => (type === 'cxSendGridApi' ? { ...(await credentials(type)), apiKey: 'SG.revoked-key' } : credentials(type)),
				}) as IExecuteFunctions;
			};
			const outputs = await node(remindParameters(), { continueOnFail: true, context: revokedKey });
			const [refused] = mine(feedbackOf(outputs));
			expect(refused).toMatchObject({ sourceId: sid('m'), status: 'failed', note: 'SendGrid refused the email; the next run sends it again.' });
			expect(refused.error).toMatch(/HTTP 401/);
			expect((await rowsOf([sid('m')]))[0]).toMatchObject({ reminded_at: null });

			await node(remindParameters());
			expect(await messagesTo(DORA)).toHaveLength(1);
		});

		it('SendGrid out of reach (connection refused) is no unclear answer: nothing went out, the run fails saying so, and the next run sends it once', async () => {
			const HAL = mail('hal');
			await insertItems([{ source_id: sid('r'), owner: HAL, summary: 'Outage', due_at: ahead(2) }]);
			const unreachable = (context: IExecuteFunctions) => {
				const credentials = context.getCredentials.bind(context);
				return Object.assign(context, {
					getCredentials: async (type: string) => (type === 'cxSendGridApi' ? { ...(await credentials(type)), baseUrl: 'http://127.0.0.1:9' } : credentials(type)),
				}) as IExecuteFunctions;
			};
			const failure = await rejectionOf<NodeApiError>(node(remindParameters(), { context: unreachable }));
			expect(failure.message).toBe('1 feedback item was neither reminded nor escalated: SendGrid did not send the email: SendGrid could not be reached (the connection was refused)');
			expect((await rowsOf([sid('r')]))[0]).toMatchObject({ reminded_at: null, reminder_message_id: null });
			expect(await messagesTo(HAL)).toHaveLength(0);

			await node(remindParameters());
			expect(await messagesTo(HAL)).toHaveLength(1);
		});

		it('an address SendGrid refuses (400) fails alone: the other owners are still reminded', async () => {
			const odd = `odd-${run}@-odd.example-store.test`;
			const EVA = mail('eva');
			await insertItems([
				{ source_id: sid('o'), owner: odd, summary: 'Owner typed oddly', due_at: ahead(2) },
				{ source_id: sid('p'), owner: EVA, summary: 'Eva\'s item', due_at: ahead(3) },
			]);
			const outputs = await node(remindParameters(), { continueOnFail: true });
			const byId = Object.fromEntries(mine(feedbackOf(outputs)).map((item) => [item.sourceId, item.status]));
			expect(byId).toEqual({ [sid('o')]: 'failed', [sid('p')]: 'sent' });
			expect((await rowsOf([sid('o')]))[0]).toMatchObject({ reminded_at: null });
			expect(await messagesTo(EVA)).toHaveLength(1);
			await supabase.from('feedback_items').delete().eq('source_id', sid('o'));
		});

		it('an unclear answer (HTTP 500) keeps the claim: the item is reported unconfirmed and not mailed twice', async () => {
			const GIL = mail('gil');
			await insertItems([{ source_id: sid('u'), owner: GIL, summary: 'Unclear answer', due_at: ahead(2) }]);
			await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1 }) });
			const outputs = await node(remindParameters());
			const [unclear] = mine(feedbackOf(outputs));
			expect(unclear).toMatchObject({ sourceId: sid('u'), stage: 'reminded', status: 'unconfirmed' });
			expect(unclear.note).toMatch(/not sent again/);
			expect((summaryOf(outputs) as { reminders: IDataObject }).reminders).toMatchObject({ unconfirmed: 1 });
			const [row] = await rowsOf([sid('u')]);
			expect(row.reminded_at).toBe(storedTime(NOW));
			expect(row.last_error).toMatch(/^unconfirmed reminder: SendGrid did not send the email \(HTTP 500\)/);

			await node(remindParameters());
			expect(await messagesTo(GIL)).toHaveLength(0);
		});
	});
});

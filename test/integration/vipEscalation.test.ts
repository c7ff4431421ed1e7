import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { NodeApiError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { CxTicketTriage } from '../../nodes/CxTicketTriage/CxTicketTriage.node';
import { CxVipEscalation } from '../../nodes/CxVipEscalation/CxVipEscalation.node';
import { executeContext, shopifyRequests, standin } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

interface Delivery { to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }> }
interface Message { messageId: string; body: { custom_args?: Record<string, string> }; deliveries: Delivery[] }

const run = randomUUID().slice(0, 8);
const id = (n: number) => `esc-${run}-${n}`;
const recipients = { recipientsLevel1: 'support-lead@example-store.test', recipientsLevel2: 'cx-director@example-store.test', recipientsLevel3: 'founder@example-store.test' };
/** The run's time: after every ticket of this file (the sample store's anchor + 19 and + 21), so no calendar day changes what it reads. */
const NOW = fromAnchor(21, '12:00');
const escalationParameters = (extra: IDataObject = {}) => ({ operation: 'escalate', recordInSupabase: true, notifyByEmail: true, useShopify: true, tagInShopify: true, tag: 'cx-escalated', ...recipients, ...extra, options: { now: NOW, ...(extra.options as IDataObject) } });

const tickets: IDataObject[] = [
	{ id: id(1), channel: 'email', customer_email: 'vip.tagged@example-store.test', created_at: fromAnchor(19, '09:00'), subject: 'Exchange', body: 'I would like to exchange my print for the larger size, please.' },
	{ id: id(2), channel: 'email', customer_email: 'premium.buyer@example-store.test', created_at: fromAnchor(19, '09:05'), order_id: '#1009', subject: 'Cracked <b>frame</b>', body: 'It arrived damaged <script>alert("x")</script> & "quotes". I will file a chargeback.' },
	{ id: id(3), channel: 'chat', customer_email: 'regular.buyer@example-store.test', created_at: fromAnchor(19, '09:10'), subject: 'Tracking', body: 'Where is my order? Tracking number please.' },
	{ id: id(4), channel: 'email', customer_email: 'regular.buyer@example-store.test', created_at: fromAnchor(19, '09:20'), subject: 'Refund now', body: 'My lawyer will contact you about this order.' },
];

const items = (outputs: INodeExecutionData[][]) => outputs.flat().map((item) => item.json);
const escalationOf = (json: IDataObject) => json.escalation as IDataObject;
const ticketIdOf = (json: IDataObject) => (json.ticket as IDataObject).id as string;

describe('CX VIP Escalation against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	let triaged: IDataObject[];

	const escalate = async (input: IDataObject[], extra: IDataObject = {}) =>
		new CxVipEscalation().execute.call(executeContext({ items: input, parameters: escalationParameters(extra) }));
	const mailsFor = async (ticketId: string) =>
		(await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.custom_args?.cx_ticket === ticketId);
	const shopifyTags = async (gid: string) => {
		const response = await fetch(env.shopify.adminUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'X-Shopify-Access-Token': env.shopify.accessToken },
			body: JSON.stringify({ query: `{ node(id: "${gid}") { ... on Customer { tags } ... on Order { tags } } }` }),
		});
		return ((await response.json()) as { data: { node: { tags: string[] } } }).data.node.tags;
	};

	beforeAll(async () => {
		// the customer cache starts empty, so the escalations below read what their tests count
		await supabase.from('customer_context').delete().neq('customer_id', '');
		const [escalateOut, queueOut] = await new CxTicketTriage().execute.call(
			executeContext({ items: tickets, parameters: { enrichFromShopify: true, storeInSupabase: true, options: { now: NOW } } }),
		);
		triaged = [...items([escalateOut]), ...items([queueOut])];
	});
	afterAll(async () => {
		await supabase.from('escalations').delete().like('ticket_external_id', `esc-${run}-%`);
		await supabase.from('tickets').delete().like('external_id', `esc-${run}-%`);
	});

	it('escalates by rule and level, records, emails the level\'s people once, and tags the customer and order', async () => {
		const before = await shopifyRequests();
		const [escalated, notEscalated] = await escalate(triaged);
		// customers, orders and all tags: three Shopify requests for the whole run, not one per ticket
		expect((await shopifyRequests()) - before).toBe(3);
		const byId = Object.fromEntries(items([escalated]).map((json) => [ticketIdOf(json), escalationOf(json)]));
		expect(items([notEscalated]).map(ticketIdOf)).toEqual([id(3)]);
		expect(escalationOf(items([notEscalated])[0]).reasons).toEqual(['no_escalation_rule_met']);
		expect(byId[id(1)]).toMatchObject({ level: 1, levelName: 'team lead', tier: 'vip', status: 'notified', alreadyEscalated: false });
		expect(byId[id(2)]).toMatchObject({ level: 2, tier: 'premium', recipients: ['support-lead@example-store.test', 'cx-director@example-store.test'] });
		expect(byId[id(2)].reasons).toEqual(expect.arrayContaining(['threatening_language:chargeback', 'level_2:chargeback_threat']));
		expect(byId[id(4)]).toMatchObject({ level: 3, recipients: ['support-lead@example-store.test', 'cx-director@example-store.test', 'founder@example-store.test'] });

		const [mail] = await mailsFor(id(2));
		expect(mail.deliveries[0].to.map((to) => to.email)).toEqual(['support-lead@example-store.test', 'cx-director@example-store.test']);
		expect(mail.deliveries[0].subject).toContain('[Escalation L2 · URGENT · PREMIUM]');
		const html = mail.deliveries[0].content.find((block) => block.type === 'text/html')!.value;
		expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
		expect(html).not.toMatch(/<script|<b>frame/);
		expect(html).toContain('#1009');
		expect(html).toMatch(/https:\/\/127\.0\.0\.1:\d+\/admin\/orders\/\d+/);
		expect(html).toContain('premium.buyer@example-store.test');

		const { data: rows } = await supabase.from('escalations').select('ticket_external_id, level, status, message_id, tagged_at, notified_at').like('ticket_external_id', `esc-${run}-%`).order('ticket_external_id');
		expect(rows!.map((row) => [row.ticket_external_id, row.level, row.status])).toEqual([[id(1), 1, 'notified'], [id(2), 2, 'notified'], [id(4), 3, 'notified']]);
		expect(rows!.every((row) => row.message_id && row.notified_at && row.tagged_at)).toBe(true);
		const { data: ticketRow } = await supabase.from('tickets').select('escalation_level').eq('external_id', id(2)).single();
		expect(ticketRow!.escalation_level).toBe(2);
		expect(await shopifyTags('gid://shopify/Customer/1003')).toContain('cx-escalated');
		expect(await shopifyTags('gid://shopify/Order/5009')).toContain('cx-escalated');
	});

	it('a replay escalates nothing twice and says so', async () => {
		const [escalated] = await escalate(triaged);
		expect(items([escalated]).map((json) => escalationOf(json).status)).toEqual(['already_escalated', 'already_escalated', 'already_escalated']);
		expect(items([escalated]).every((json) => escalationOf(json).alreadyEscalated === true)).toBe(true);
		for (const n of [1, 2, 4]) expect(await mailsFor(id(n))).toHaveLength(1);
	});

	it('does not add a tag the customer and the order already carry: no tag mutation, and the escalation still says both are tagged', async () => {
		const ticket = (n: number) => ({ id: id(n), customer_email: 'vip.spender@example-store.test', order_id: '#1009', subject: 'Cracked', body: 'The glass of my frame arrived cracked.', channel: 'email' });
		// the first escalation tags whatever does not carry the tag yet; the second finds both tagged
		const [first] = await escalate([ticket(10)]);
		expect(escalationOf(items([first])[0])).toMatchObject({ status: 'notified', level: 1, tier: 'vip' });
		// the customer from the cache, with the tag the first escalation added to it there; the order read; nothing written
		let before = await shopifyRequests();
		const [second] = await escalate([ticket(11)]);
		expect((await shopifyRequests()) - before).toBe(1);
		// without the cache: the customer and the order read from Shopify, both carrying the tag; nothing written
		before = await shopifyRequests();
		const [third] = await escalate([ticket(12)], { options: { customerCacheMinutes: 0 } });
		expect((await shopifyRequests()) - before).toBe(2);
		for (const [n, outputs] of [[11, second], [12, third]] as const) {
			const escalation = escalationOf(items([outputs])[0]);
			expect(escalation).toMatchObject({ status: 'notified', level: 1 });
			expect(escalation.tagged).toHaveLength(2);
			expect(escalation.tagged).toContain('gid://shopify/Order/5009');
			for (const gid of escalation.tagged as string[]) expect((await shopifyTags(gid)).filter((tag) => tag === 'cx-escalated')).toHaveLength(1);
			const { data: row } = await supabase.from('escalations').select('status, tagged_at').eq('ticket_external_id', id(n)).single();
			expect(row).toMatchObject({ status: 'notified', tagged_at: expect.any(String) });
		}
	});

	it('SendGrid not taking the email (a gateway failure past its retries) leaves the escalation retryable: the next run sends it once', async () => {
		const raw = [{ id: id(5), customer_email: 'vip.spender@example-store.test', subject: 'Wrong size', body: 'I received the wrong size.', channel: 'phone' }];
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 503, count: 4 }) });
		const failure = await escalate(raw).catch((error: unknown) => error);
		await standin('sendgrid', '/__standin/faults', { method: 'DELETE' });
		expect(failure).toBeInstanceOf(NodeApiError);
		expect((failure as NodeApiError).message).toMatch(/^Item 0: SendGrid did not send the email \(HTTP 503\)/);
		const { data: failed } = await supabase.from('escalations').select('status, notified_at, attempts, last_error').eq('ticket_external_id', id(5)).single();
		expect(failed).toMatchObject({ status: 'failed', notified_at: null, attempts: 1 });
		expect(await mailsFor(id(5))).toHaveLength(0);

		const [escalated] = await escalate(raw);
		expect(escalationOf(items([escalated])[0])).toMatchObject({ status: 'notified', level: 1, tier: 'vip', tierSource: 'shopify' });
		expect(await mailsFor(id(5))).toHaveLength(1);
		const { data: done } = await supabase.from('escalations').select('status, attempts, last_error').eq('ticket_external_id', id(5)).single();
		expect(done).toMatchObject({ status: 'notified', attempts: 2, last_error: null });
	});

	it('an unclear SendGrid answer (HTTP 500) is not paged again: the next run reports the escalation unconfirmed', async () => {
		const raw = [{ id: id(9), customer_email: 'vip.spender@example-store.test', subject: 'Frame', body: 'The frame is cracked.', channel: 'email' }];
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1 }) });
		const failure = await escalate(raw).catch((error: unknown) => error);
		expect((failure as NodeApiError).message).toMatch(/^Item 0: SendGrid did not send the email \(HTTP 500\)/);
		expect((failure as NodeApiError).description).toMatch(/^SendGrid may have accepted the email, so it is not sent again/);
		const [escalated] = await escalate(raw);
		expect(escalationOf(items([escalated])[0])).toMatchObject({ status: 'unconfirmed', level: 1 });
		expect(await mailsFor(id(9))).toHaveLength(0);
		const { data: row } = await supabase.from('escalations').select('status, notified_at, notify_claimed_at').eq('ticket_external_id', id(9)).single();
		expect(row).toMatchObject({ status: 'failed', notified_at: null, notify_claimed_at: expect.any(String) });
	});

	it('under Continue On Fail a failed send is an error item and the other escalations go on', async () => {
		const raw = [
			{ id: id(6), customer_email: 'vip.tagged@example-store.test', subject: 'Scratched', body: 'My frame arrived scratched.', channel: 'email' },
			{ id: id(7), customer_email: 'vip.spender@example-store.test', subject: 'Late', body: 'My parcel is a week late.', channel: 'email' },
		];
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1 }) });
		const [escalated, notEscalated] = await new CxVipEscalation().execute.call(
			executeContext({ items: raw, parameters: escalationParameters(), continueOnFail: true }),
		);
		expect(notEscalated.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(notEscalated[0].json.error).toMatch(/^Item 0: SendGrid did not send the email \(HTTP 500\)/);
		expect(notEscalated[0].json.details).toContain('it is not sent again');
		expect(escalated.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
	});

	it('a ticket about a $780 order that does not say the order\'s total is escalated for the order\'s value on every path: intake, triage then escalation, and straight to escalation', async () => {
		const about = (n: number) => ({ id: id(n), channel: 'email', customer_email: 'regular.buyer@example-store.test', created_at: fromAnchor(19, '10:00'), order_id: '#1001', subject: 'My order', body: 'Can you tell me when my order ships?' });
		const triageNode = async (input: IDataObject[]) =>
			new CxTicketTriage().execute.call(executeContext({ items: input, parameters: { enrichFromShopify: true, storeInSupabase: true, options: { now: NOW } } }));
		// the level and the rules met (an untriaged ticket also says where its tier came from)
		const decisionOf = (outputs: INodeExecutionData[][]) => items(outputs).map((json) => [escalationOf(json).level, (escalationOf(json).reasons as string[]).filter((reason) => !reason.startsWith('tier_regular:'))]);
		const expected = [[1, ['order_value_over_500', 'level_1:one_rule']]];

		// the intake template: only triage's Escalate output reaches CX VIP Escalation
		const [intakeEscalate, intakeQueue] = await triageNode([about(20)]);
		expect(intakeQueue).toHaveLength(0);
		expect(intakeEscalate.map((item) => [(item.json.ticket as IDataObject).order_value, (item.json.triage as IDataObject).escalationReasons])).toEqual([['780.00', ['order_value_over_500']]]);
		const [intakeEscalated] = await escalate(items([intakeEscalate]));
		expect(decisionOf([intakeEscalated])).toEqual(expected);

		// the VIP escalation template: both of triage's outputs reach CX VIP Escalation
		const [bothEscalate, bothQueue] = await triageNode([about(21)]);
		const [bothEscalated, bothNot] = await escalate(items([bothEscalate, bothQueue]));
		expect(bothNot).toHaveLength(0);
		expect(decisionOf([bothEscalated])).toEqual(expected);

		// the director template: the ticket straight to CX VIP Escalation, untriaged
		const [directEscalated, directNot] = await escalate([about(22)]);
		expect(directNot).toHaveLength(0);
		expect(decisionOf([directEscalated])).toEqual(expected);

		const { data: rows } = await supabase.from('escalations').select('ticket_external_id, level, reasons').in('ticket_external_id', [id(20), id(21), id(22)]).order('ticket_external_id');
		expect(rows).toEqual([id(20), id(21), id(22)].map((ticketId) => ({ ticket_external_id: ticketId, level: 1, reasons: ['order_value_over_500'] })));
	});

	it('leaves out personal data beyond the first name when asked', async () => {
		const raw = [{ id: id(8), customer_email: 'vip.tagged@example-store.test', subject: 'Call me', body: 'The frame is cracked. Reach me at vip.tagged@example-store.test or +1 555 010 9999.', channel: 'email' }];
		await escalate(raw, { redactPersonalData: true });
		const [mail] = await mailsFor(id(8));
		const html = mail.deliveries[0].content.find((block) => block.type === 'text/html')!.value;
		const text = mail.deliveries[0].content.find((block) => block.type === 'text/plain')!.value;
		for (const content of [html, text, mail.deliveries[0].subject]) {
			expect(content).not.toContain('vip.tagged@example-store.test');
			expect(content).not.toContain('Tagsample');
			expect(content).not.toContain('555 010 9999');
		}
		expect(html).toContain('Vera');
	});
});

describe('SLA breach sweep against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const sweepRun = randomUUID().slice(0, 8);
	const ticket = (n: number, change: IDataObject) => ({
		external_id: `sla-${sweepRun}-${n}`,
		channel: 'email',
		subject: `Overdue ${n}`,
		body: 'Still waiting for an answer.',
		customer_email: 'regular.buyer@example-store.test',
		tier: 'regular',
		priority: 'medium',
		status: 'open',
		first_response_due_at: fromAnchor(19, '10:00'),
		resolution_due_at: fromAnchor(21, '09:00'),
		escalation_level: 0,
		first_responded_at: null,
		paused_since: null,
		paused_seconds: 0,
		...change,
	});
	const now = fromAnchor(19, '12:00');
	const sweep = async () =>
		new CxVipEscalation().execute.call(executeContext({ items: [{}], parameters: { ...escalationParameters({ operation: 'slaSweep' }), options: { now } } }));
	const swept = (outputs: INodeExecutionData[][]) =>
		Object.fromEntries(outputs[0].map((item) => [((item.json.ticket as IDataObject).id as string), item.json.escalation as IDataObject]));

	beforeAll(async () => {
		const { error } = await supabase.from('tickets').insert([
			ticket(1, {}),
			ticket(2, { escalation_level: 1 }),
			ticket(3, { escalation_level: 3 }),
			ticket(4, { first_responded_at: fromAnchor(19, '09:00') }),
			ticket(5, { first_responded_at: fromAnchor(19, '09:00'), resolution_due_at: fromAnchor(19, '11:00') }),
			ticket(6, { status: 'solved' }),
			// never answered, and past its resolution too
			ticket(7, { resolution_due_at: fromAnchor(19, '11:00') }),
			// answered, resolution overdue, but waiting on the customer
			ticket(8, { status: 'pending', first_responded_at: fromAnchor(19, '09:00'), resolution_due_at: fromAnchor(19, '11:00') }),
			ticket(9, { status: 'on_hold', paused_since: fromAnchor(19, '10:30'), first_responded_at: fromAnchor(19, '09:00'), resolution_due_at: fromAnchor(19, '11:00') }),
			// reopened after waiting 2 h: due 13:00, not yet; after waiting 30 min: due 11:30, overdue
			ticket(10, { first_responded_at: fromAnchor(19, '09:00'), resolution_due_at: fromAnchor(19, '11:00'), paused_seconds: 7_200 }),
			ticket(11, { first_responded_at: fromAnchor(19, '09:00'), resolution_due_at: fromAnchor(19, '11:00'), paused_seconds: 1_800 }),
			// answered exactly at its due time: met
			ticket(12, { first_responded_at: fromAnchor(19, '10:00') }),
		]);
		expect(error).toBeNull();
	});
	afterAll(async () => {
		await supabase.from('escalations').delete().like('ticket_external_id', `sla-${sweepRun}-%`);
		await supabase.from('tickets').delete().like('external_id', `sla-${sweepRun}-%`);
	});

	const mine = (outputs: INodeExecutionData[]) =>
		outputs
			.filter((item) => String((item.json.ticket as IDataObject).id).startsWith(`sla-${sweepRun}-`))
			.map((item) => [Number(String((item.json.ticket as IDataObject).id).split('-').pop()), (item.json.escalation as IDataObject).level, (item.json.escalation as IDataObject).reasons])
			.sort((x, y) => (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number));
	const levelsNow = async () => {
		const { data } = await supabase.from('tickets').select('external_id, escalation_level').like('external_id', `sla-${sweepRun}-%`);
		return Object.fromEntries(data!.map((row) => [Number(String(row.external_id).split('-').pop()), row.escalation_level]));
	};

	it('escalates each overdue open ticket one level up per missed target, each target on its own, never past 3, never twice per level', async () => {
		const [first] = await sweep();
		expect(mine(first)).toEqual([
			[1, 1, ['sla_breach:first_response']],
			[2, 2, ['sla_breach:first_response']],
			[5, 1, ['sla_breach:resolution']],
			// never answered and past both targets: it climbs for both, the first response first
			[7, 1, ['sla_breach:first_response']],
			[7, 2, ['sla_breach:resolution']],
			// waited 30 min on the customer: due 11:30, not 11:00
			[11, 1, ['sla_breach:resolution']],
		]);
		const byId = swept([first]);
		expect(byId[`sla-${sweepRun}-1`]).toMatchObject({ level: 1, status: 'notified', reasons: ['sla_breach:first_response'], breach: { kind: 'first_response', dueAt: fromAnchor(19, '10:00') } });
		expect(byId[`sla-${sweepRun}-2`]).toMatchObject({ level: 2, recipients: ['support-lead@example-store.test', 'cx-director@example-store.test'] });
		expect(byId[`sla-${sweepRun}-11`]).toMatchObject({ breach: { kind: 'resolution', dueAt: fromAnchor(19, '11:30') } });
		const [mail] = (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.custom_args?.cx_ticket === `sla-${sweepRun}-1`);
		expect(mail.deliveries[0].subject).toContain('SLA breach');

		expect(await levelsNow()).toEqual({ 1: 1, 2: 2, 3: 3, 4: 0, 5: 1, 6: 0, 7: 2, 8: 0, 9: 0, 10: 0, 11: 1, 12: 0 });

		// the next sweep finds the same tickets still overdue for the same breaches: no one is paged again
		const [again, stillOverdue] = await sweep();
		expect(mine(again)).toEqual([]);
		expect(mine(stillOverdue)).toEqual([
			[1, 1, ['already_escalated_for:sla_breach:first_response']],
			[2, 2, ['already_escalated_for:sla_breach:first_response']],
			[5, 1, ['already_escalated_for:sla_breach:resolution']],
			[7, 2, ['already_escalated_for:sla_breach:first_response', 'already_escalated_for:sla_breach:resolution']],
			[11, 1, ['already_escalated_for:sla_breach:resolution']],
		]);

		// a second missed target climbs once more: answered late, then the resolution is missed too
		await supabase.from('tickets').update({ first_responded_at: fromAnchor(19, '11:00'), resolution_due_at: fromAnchor(19, '11:30') }).eq('external_id', `sla-${sweepRun}-1`);
		const [third] = await sweep();
		expect(mine(third)).toEqual([[1, 2, ['sla_breach:resolution']]]);
		const { count } = await supabase.from('escalations').select('*', { count: 'exact', head: true }).like('ticket_external_id', `sla-${sweepRun}-%`);
		expect(count).toBe(7);
		const mails = (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.custom_args?.cx_ticket?.startsWith(`sla-${sweepRun}-`));
		expect(mails).toHaveLength(7);
	});

	it('a ticket back from waiting on the customer is escalated once its resolution, moved on by the wait, is missed', async () => {
		// ticket 9 waited on hold from 10:30 to 11:45 (75 min): due 11:00 + 75 min = 12:15; at 12:00 not yet
		await supabase.from('tickets').update({ status: 'open', paused_since: null, paused_seconds: 4_500 }).eq('external_id', `sla-${sweepRun}-9`);
		const [notYet] = await sweep();
		expect(mine(notYet)).toEqual([]);
		const [late] = await new CxVipEscalation().execute.call(executeContext({ items: [{}], parameters: { ...escalationParameters({ operation: 'slaSweep' }), options: { now: fromAnchor(19, '12:20') } } }));
		expect(mine(late)).toEqual([[9, 1, ['sla_breach:resolution']]]);
		expect(swept([late])[`sla-${sweepRun}-9`]).toMatchObject({ breach: { kind: 'resolution', dueAt: fromAnchor(19, '12:15') } });
	});

	it('a sweep escalation SendGrid did not take is sent by the next sweep, once', async () => {
		expect((await supabase.from('tickets').insert([ticket(13, { first_response_due_at: fromAnchor(19, '11:50') })])).error).toBeNull();
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 503, count: 4 }) });
		const failure = await sweep().catch((error: unknown) => error);
		await standin('sendgrid', '/__standin/faults', { method: 'DELETE' });
		expect(failure).toBeInstanceOf(NodeApiError);
		const { data: failed } = await supabase.from('escalations').select('level, status').eq('ticket_external_id', `sla-${sweepRun}-13`);
		expect(failed).toEqual([{ level: 1, status: 'failed' }]);

		const [retried] = await sweep();
		expect(mine(retried)).toEqual([[13, 1, ['sla_breach:first_response']]]);
		const { data: done } = await supabase.from('escalations').select('level, status, attempts').eq('ticket_external_id', `sla-${sweepRun}-13`);
		expect(done).toEqual([{ level: 1, status: 'notified', attempts: 2 }]);
		const mails = (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.custom_args?.cx_ticket === `sla-${sweepRun}-13`);
		expect(mails).toHaveLength(1);
	});

	it('a VIP\'s ticket whose escalation email failed, then past its first-reply time, climbs once: the sweep tells the team lead, and the next sweep does not page the director for the same late reply', async () => {
		const vipTicket = `sla-${sweepRun}-14`;
		expect((await supabase.from('tickets').insert([ticket(14, { customer_email: 'vip.tagged@example-store.test', tier: 'vip', priority: 'high', first_response_due_at: fromAnchor(19, '11:50') })])).error).toBeNull();
		// the Escalate operation at 11:40: a VIP, level 1; SendGrid does not take the email
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 503, count: 4 }) });
		const failure = await new CxVipEscalation().execute
			.call(executeContext({ items: [{ id: vipTicket, channel: 'email', customer_email: 'vip.tagged@example-store.test', created_at: fromAnchor(19, '11:20'), subject: 'Overdue 14', body: 'Still waiting for an answer.' }], parameters: { ...escalationParameters(), options: { now: fromAnchor(19, '11:40') } } }))
			.catch((error: unknown) => error);
		await standin('sendgrid', '/__standin/faults', { method: 'DELETE' });
		expect(failure).toBeInstanceOf(NodeApiError);
		const ledger = async () => (await supabase.from('escalations').select('level, status, reasons, attempts').eq('ticket_external_id', vipTicket).order('level')).data;
		expect(await ledger()).toEqual([{ level: 1, status: 'failed', reasons: ['tier_vip'], attempts: 1 }]);

		// 12:00, the first reply is 10 minutes late: the sweep climbs to level 1 and finishes that row, writing the breach on it
		const [swept12] = await sweep();
		expect(mine(swept12).filter(([n]) => n === 14)).toEqual([[14, 1, ['sla_breach:first_response']]]);
		expect(await ledger()).toEqual([{ level: 1, status: 'notified', reasons: ['tier_vip', 'sla_breach:first_response'], attempts: 2 }]);
		// the next sweep: the same late reply is held at level 1, nobody above the team lead is paged for it
		const [next, held] = await sweep();
		expect(mine(next).filter(([n]) => n === 14)).toEqual([]);
		expect(mine(held).filter(([n]) => n === 14)).toEqual([[14, 1, ['already_escalated_for:sla_breach:first_response']]]);
		expect(await ledger()).toEqual([{ level: 1, status: 'notified', reasons: ['tier_vip', 'sla_breach:first_response'], attempts: 2 }]);
		const mails = (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.custom_args?.cx_ticket === vipTicket);
		expect(mails.map((mail) => mail.deliveries[0].to.map((to) => to.email))).toEqual([['support-lead@example-store.test']]);
		expect((await levelsNow())[14]).toBe(1);
	});
});

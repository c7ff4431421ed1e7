/**
 * CX Ticket Triage's acknowledgement against the stand-ins: the customer hears once per ticket that their
 * message arrived and by when the first reply is due, also when the ticket is triaged again or twice at
 * once; customer text is escaped in the HTML; one refused address holds back only its own ticket; a refusal
 * gives the claim back for the next triage, an unclear answer keeps it so nobody hears twice.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { NodeApiError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { CxTicketTriage } from '../../nodes/CxTicketTriage/CxTicketTriage.node';
import { executeContext, rejectionOf, standin } from '../support/context';
import { standinsEnv } from '../support/standins';

interface Delivery { to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }>; customArgs: Record<string, string> }
interface Message { messageId: string; body: { categories?: string[] }; deliveries: Delivery[] }
type Acknowledgement = { status: string; to: string | null; promisedBy: string | null; promise?: string; messageId?: string; acknowledgedAt?: string; reason?: string; error?: string };
type Triaged = IDataObject & { ticket: { id: string }; triage: { sla: { firstResponseDueAt: string; firstResponseMinutes: number } }; acknowledgement: Acknowledgement };

const run = randomUUID().slice(0, 8);
const id = (name: string) => `ack-${run}-${name}`;
const mail = (name: string) => `${name}-${run}@example-store.test`;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const hostile = '<script>alert("x")</script> & "quotes"';

const parameters = (extra: IDataObject = {}): IDataObject => ({
	enrichFromShopify: false,
	storeInSupabase: true,
	acknowledgeCustomer: true,
	acknowledgementOptions: { storeName: 'Example Store', timeZone: 'Europe/Berlin' },
	...extra,
});
const triage = async (items: IDataObject[], extra: { continueOnFail?: boolean; parameters?: IDataObject } = {}) =>
	new CxTicketTriage().execute.call(executeContext({ items, parameters: extra.parameters ?? parameters(), ...(extra.continueOnFail ? { continueOnFail: true } : {}) }));
const byId = (outputs: INodeExecutionData[][]): Record<string, Triaged> =>
	Object.fromEntries(outputs.flat().map((item) => [(item.json as Triaged).ticket.id, item.json as Triaged]));

describe('CX Ticket Triage acknowledging customers, against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const acknowledgements = async (email: string) =>
		(await standin<Message[]>('sendgrid', `/__standin/messages?to=${encodeURIComponent(email)}`)).filter((message) => message.body.categories?.includes('cx-acknowledgement'));
	const part = (delivery: Delivery, type: string) => delivery.content.find((block) => block.type === type)!.value;
	const row = async (ticketId: string) => {
		const { data, error } = await supabase.from('tickets').select('external_id, acknowledged_at, acknowledgement_message_id, acknowledgement_error').eq('external_id', ticketId).single();
		expect(error).toBeNull();
		return data!;
	};

	afterEach(async () => {
		await standin('sendgrid', '/__standin/faults', { method: 'DELETE' });
	});
	afterAll(async () => {
		await supabase.from('tickets').delete().like('external_id', `ack-${run}-%`);
	});

	it('tells the customer once, with the ticket number and the promised reply time; a replay mails nobody', async () => {
		const ticket = { id: id('1'), channel: 'email', customer_email: mail('robin'), created_at: minutesAgo(5), subject: hostile, body: 'The print arrived damaged, the glass is cracked.' };
		const first = byId(await triage([ticket]))[id('1')];
		const { sla } = first.triage;
		expect(sla.firstResponseMinutes).toBe(60);
		expect(first.acknowledgement).toMatchObject({ status: 'sent', to: mail('robin'), promisedBy: sla.firstResponseDueAt, messageId: expect.any(String) });
		expect(first.acknowledgement.promise).toMatch(/^A member of our team will reply by \w{3}, \w{3} \d{1,2}, \d{4}, \d{2}:\d{2} \(Europe\/Berlin\), within 1 hour of your message\.$/);

		const [message] = await acknowledgements(mail('robin'));
		expect(message.messageId).toBe(first.acknowledgement.messageId);
		const [delivery] = message.deliveries;
		expect(delivery.to).toEqual([{ email: mail('robin') }]);
		expect(delivery.subject).toBe(`Re: ${hostile} [ticket ${id('1')}]`);
		expect(delivery.customArgs).toMatchObject({ cx_ticket: id('1') });
		const html = part(delivery, 'text/html');
		const text = part(delivery, 'text/plain');
		expect(text).toContain(first.acknowledgement.promise!);
		expect(html).toContain(`<strong>${first.acknowledgement.promise!}</strong>`);
		expect(text).toContain(`We have received your message "${hostile}" (ticket ${id('1')}).`);
		expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
		expect(html).not.toMatch(/<script/);

		const stored = await row(id('1'));
		expect(stored.acknowledgement_message_id).toBe(first.acknowledgement.messageId);
		expect(new Date(stored.acknowledged_at).toISOString()).toBe(first.acknowledgement.acknowledgedAt);

		const again = byId(await triage([ticket, ticket]))[id('1')];
		expect(again.acknowledgement).toMatchObject({ status: 'already_acknowledged', messageId: first.acknowledgement.messageId, acknowledgedAt: first.acknowledgement.acknowledgedAt });
		expect(await acknowledgements(mail('robin'))).toHaveLength(1);
	});

	it('two triage runs of one ticket at once: the customer hears once', async () => {
		const ticket = { id: id('2'), channel: 'social', customer_email: mail('sam'), created_at: minutesAgo(1), subject: 'Where is my order?', body: 'Where is my order? Tracking number please.' };
		const results = await Promise.all([triage([ticket]), triage([ticket]), triage([ticket])]);
		const answers = results.map((outputs) => byId(outputs)[id('2')].acknowledgement);
		expect(answers.filter((answer) => answer.status === 'sent')).toHaveLength(1);
		// a run that reads the ticket while the winner is still sending says so (its claim is too young to judge), or finds it sent
		for (const answer of answers.filter((entry) => entry.status !== 'sent')) {
			if (answer.status === 'unconfirmed') expect(answer.reason).toContain('too soon for SendGrid\'s activity to be complete');
			else expect(answer.status).toBe('already_acknowledged');
		}
		expect(await acknowledgements(mail('sam'))).toHaveLength(1);
	});

	it('skips tickets without an email and tickets whose first reply is already due, with the reason', async () => {
		const results = byId(
			await triage([
				{ id: id('3'), channel: 'phone', customer_id: `c-${run}`, created_at: minutesAgo(1), subject: 'Sizes', body: 'What sizes do you offer?' },
				{ id: id('4'), channel: 'email', customer_email: mail('late'), created_at: minutesAgo(600), subject: 'Sizes', body: 'What sizes do you offer?' },
			]),
		);
		expect(results[id('3')].acknowledgement).toEqual({ status: 'skipped', to: null, promisedBy: null, reason: 'no_customer_email' });
		expect(results[id('4')].acknowledgement).toMatchObject({ status: 'skipped', to: mail('late'), reason: 'first_response_already_due' });
		expect(await acknowledgements(mail('late'))).toHaveLength(0);
		expect((await row(id('4'))).acknowledged_at).toBeNull();
	});

	it('an address SendGrid refuses holds back only its own ticket, which keeps no claim', async () => {
		const bad = `odd-${run}@-odd.example-store.test`;
		const results = byId(
			await triage([
				{ id: id('5'), channel: 'email', customer_email: mail('kim'), created_at: minutesAgo(1), subject: 'Gift wrap', body: 'Can you gift wrap the print?' },
				{ id: id('6'), channel: 'email', customer_email: bad, created_at: minutesAgo(1), subject: 'Gift wrap', body: 'Can you gift wrap the print?' },
			]),
		);
		expect(results[id('5')].acknowledgement.status).toBe('sent');
		expect(results[id('6')].acknowledgement).toMatchObject({ status: 'failed', to: bad, error: expect.stringContaining('SendGrid did not send the email (HTTP 400)') });
		expect(await acknowledgements(mail('kim'))).toHaveLength(1);
		const refused = await row(id('6'));
		expect(refused.acknowledged_at).toBeNull();
		expect(refused.acknowledgement_error).toContain('HTTP 400');
	});

	it('a refusal gives the claim back: the next triage of the ticket sends it', async () => {
		const ticket = { id: id('7'), channel: 'email', customer_email: mail('lee'), created_at: minutesAgo(1), subject: 'Refund', body: 'I would like a refund for my order.' };
		// 503 answers until sendgrid.ts's retries run out: SendGrid accepted nothing
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 503, count: 4 }) });
		const failure = await rejectionOf<NodeApiError>(triage([ticket]));
		expect(failure).toBeInstanceOf(NodeApiError);
		expect(failure.message).toBe(`Ticket ${id('7')}: the customer's acknowledgement was not sent: SendGrid did not send the email (HTTP 503): service unavailable`);
		expect(failure.description).toContain('go out when the tickets are triaged again');
		expect((await row(id('7'))).acknowledged_at).toBeNull();
		expect(await acknowledgements(mail('lee'))).toHaveLength(0);

		const retried = byId(await triage([ticket]))[id('7')];
		expect(retried.acknowledgement.status).toBe('sent');
		expect(await acknowledgements(mail('lee'))).toHaveLength(1);
		expect((await row(id('7'))).acknowledgement_error).toBeNull();
	});

	it('an unclear answer keeps the claim: reported unconfirmed, never sent twice; under Continue On Fail the triage still comes out', async () => {
		const ticket = { id: id('8'), channel: 'email', customer_email: mail('ada'), created_at: minutesAgo(1), subject: 'Exchange', body: 'Can I exchange the frame for a black one?' };
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1 }) });
		const [escalate, queue] = await triage([ticket], { continueOnFail: true });
		const [item] = [...escalate, ...queue].map((entry) => entry.json as Triaged);
		expect(item.triage).toBeDefined();
		expect(item.acknowledgement).toMatchObject({ status: 'unconfirmed', to: mail('ada'), error: expect.stringContaining('HTTP 500') });
		const kept = await row(id('8'));
		expect(kept.acknowledged_at).not.toBeNull();
		expect(kept.acknowledgement_error).toMatch(/^unconfirmed SendGrid did not send the email \(HTTP 500\)/);

		// too soon after the claim for SendGrid's activity to tell: still unconfirmed, and not sent
		const again = byId(await triage([ticket]))[id('8')];
		expect(again.acknowledgement).toMatchObject({ status: 'unconfirmed', reason: expect.stringContaining('too soon for SendGrid\'s activity to be complete') });
		expect(await acknowledgements(mail('ada'))).toHaveLength(0);
	});

	it('a claim left unsettled is judged by SendGrid\'s activity once it is complete: absent, sent once; shown, recorded and not sent again', async () => {
		await standin('sendgrid', '/__standin/rate-limit', { method: 'POST', body: JSON.stringify({ activity: { limit: 600, windowSeconds: 60 } }) });
		const now = new Date();
		const asOf = (minutes: number) => parameters({ options: { now: new Date(now.getTime() + minutes * 60_000).toISOString() } });
		const lost = { id: id('9'), channel: 'email', customer_email: mail('noor'), created_at: minutesAgo(1), subject: 'Frame size', body: 'Which frame fits an A3 print?' };
		const taken = { id: id('10'), channel: 'email', customer_email: mail('kai'), created_at: minutesAgo(1), subject: 'Gift note', body: 'Can you add a gift note to my order?' };
		// one request SendGrid never took (500 before), one it took and answered 500 (after): both stay claimed, unconfirmed
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1 }) });
		await triage([lost], { continueOnFail: true, parameters: asOf(0) });
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1, when: 'after' }) });
		await triage([taken], { continueOnFail: true, parameters: asOf(0) });
		expect(await acknowledgements(mail('noor'))).toHaveLength(0);
		expect(await acknowledgements(mail('kai'))).toHaveLength(1);

		// fifteen minutes on, the activity is complete: the one SendGrid never took goes out, the other is recorded
		const later = byId(await triage([lost, taken], { parameters: asOf(15) }));
		expect(later[id('9')].acknowledgement.status).toBe('sent');
		expect(later[id('10')].acknowledgement).toMatchObject({ status: 'already_acknowledged', messageId: expect.stringMatching(/\S/) });
		expect(await acknowledgements(mail('noor'))).toHaveLength(1);
		expect(await acknowledgements(mail('kai'))).toHaveLength(1);
		expect((await row(id('10'))).acknowledgement_message_id).toBe(later[id('10')].acknowledgement.messageId);

		// and again: both settled, nobody mailed
		const again = byId(await triage([lost, taken], { parameters: asOf(30) }));
		expect([again[id('9')].acknowledgement.status, again[id('10')].acknowledgement.status]).toEqual(['already_acknowledged', 'already_acknowledged']);
		expect(await acknowledgements(mail('noor'))).toHaveLength(1);
		expect(await acknowledgements(mail('kai'))).toHaveLength(1);
		await standin('sendgrid', '/__standin/rate-limit', { method: 'DELETE' });
	});

	it('Settle Acknowledgements, on a schedule, sends the one a stopped run left claimed and records the one SendGrid took', async () => {
		await standin('sendgrid', '/__standin/rate-limit', { method: 'POST', body: JSON.stringify({ activity: { limit: 600, windowSeconds: 60 } }) });
		const now = new Date();
		const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
		const lost = { id: id('11'), channel: 'email', customer_email: mail('ines'), created_at: minutesAgo(1), subject: 'Poster size', body: 'Do you print A1 posters?' };
		const taken = { id: id('12'), channel: 'email', customer_email: mail('theo'), created_at: minutesAgo(1), subject: 'Invoice', body: 'Could I get an invoice for my order?' };
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1 }) });
		await triage([lost], { continueOnFail: true, parameters: parameters({ options: { now: at(0) } }) });
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1, when: 'after' }) });
		await triage([taken], { continueOnFail: true, parameters: parameters({ options: { now: at(0) } }) });
		const settle = async (minutes: number) => {
			const [settled] = (await new CxTicketTriage().execute.call(executeContext({ items: [{}], parameters: { operation: 'settleAcknowledgements', settleOptions: { now: at(minutes), storeName: 'Example Store' } } }))) as INodeExecutionData[][];
			return Object.fromEntries(settled.map((item) => [(item.json.ticket as IDataObject).id, item.json.acknowledgement as Acknowledgement]).filter(([ticketId]) => [id('11'), id('12')].includes(String(ticketId))));
		};
		// five minutes on, the claims are too young to judge: neither is in the run
		expect(await settle(5)).toEqual({});
		const settled = await settle(15);
		expect(settled[id('11')]).toMatchObject({ status: 'sent', to: mail('ines') });
		expect(settled[id('12')]).toMatchObject({ status: 'already_acknowledged', messageId: expect.stringMatching(/\S/) });
		expect(await acknowledgements(mail('ines'))).toHaveLength(1);
		expect(await acknowledgements(mail('theo'))).toHaveLength(1);
		// settled: the next sweep finds neither
		expect(await settle(30)).toEqual({});
		await standin('sendgrid', '/__standin/rate-limit', { method: 'DELETE' });
	});
});

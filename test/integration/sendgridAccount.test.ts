/**
 * What the SendGrid account lacks, as the pack meets it (the stand-in answers as SendGrid does). The store's sender is
 * not (or no longer) a verified Sender Identity: SendGrid answers every send with 403 and sends nothing; the pack asks
 * once, does not retry, gives the claims back (nothing went out) and says what to do: verify the sender under
 * Settings > Sender Authentication. Once it is verified, the next run sends each email once. A sender address, template
 * or unsubscribe group SendGrid refuses is the same in every message: the run stops at the first refusal and says
 * which setting to fix, instead of asking again message by message.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { NodeApiError, type IDataObject } from 'n8n-workflow';
import { CxTicketTriage } from '../../nodes/CxTicketTriage/CxTicketTriage.node';
import { CxWinBack } from '../../nodes/CxWinBack/CxWinBack.node';
import { executeContext, rejectionOf, standin } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

interface Message { body: { categories?: string[]; from: { email: string } }; deliveries: Array<{ to: Array<{ email: string }> }> }

const run = randomUUID().slice(0, 8);
const SENDER_ADVICE = /Verify the sender in SendGrid under Settings > Sender Authentication/;
const UNVERIFIED = 'from: The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements';

describe('what the SendGrid account lacks', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const messages = async (category: string) => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes(category));
	const refusedSenders = async () => (await standin<{ refused: number }>('sendgrid', '/__standin/senders')).refused;
	/** The account verifies another address than the credential's Sender Email (support@example-store.test). */
	const unverify = () => standin('sendgrid', '/__standin/senders', { method: 'POST', body: JSON.stringify({ emails: ['owner@example-store.test'] }) });
	const verify = () => standin('sendgrid', '/__standin/senders', { method: 'DELETE' });

	afterEach(async () => {
		await verify();
		await standin('sendgrid', '/__standin/templates', { method: 'DELETE' });
	});

	it('CX Win-Back under Continue On Fail: error items that say to verify the sender, the rows given back, and the next run mails each customer once', async () => {
		const now = fromAnchor(333);
		const prefix = `wb-sender-${run}`;
		const customers: IDataObject[] = [
			{ customer_id: `${prefix}-1`, email: `${prefix}-1@example-store.test`, first_name: 'Ada', orders_count: 5, amount_spent: 640, currency: 'USD', email_marketing_consent: 'SUBSCRIBED', order_dates: [fromAnchor(-300, '10:00'), fromAnchor(-269, '10:00'), fromAnchor(-241, '10:00'), fromAnchor(-210, '10:00'), fromAnchor(-180, '10:00')] },
			{ customer_id: `${prefix}-2`, email: `${prefix}-2@example-store.test`, first_name: 'Cy', orders_count: 1, amount_spent: 20, currency: 'USD', email_marketing_consent: 'SUBSCRIBED', order_dates: [fromAnchor(-153, '10:00')] },
		];
		const winBack = () =>
			new CxWinBack().execute.call(
				executeContext({
					items: customers,
					continueOnFail: true,
					parameters: { source: 'items', dryRun: false, codeMode: 'perCustomer', unsubscribeGroupId: 4242, options: { now, storeName: 'Example Store', storeUrl: 'https://shop.example-store.test' } },
				}),
			);
		const rows = async () => (await supabase.from('winback_sends').select('customer_id, status, last_error').like('customer_id', `${prefix}%`).order('customer_id').throwOnError()).data!;
		const sentBefore = (await messages('cx-winback')).length;

		await unverify();
		const refusedBefore = await refusedSenders();
		const [items, [summary]] = await winBack();
		// the first batch is refused once (403 is not retried) and the run stops there
		expect(await refusedSenders()).toBe(refusedBefore + 1);
		const errors = items.filter((item) => item.json.error);
		expect(errors.length).toBeGreaterThanOrEqual(1);
		for (const item of errors) {
			expect(Object.keys(item.json).sort()).toEqual(['details', 'error']);
			expect(item.json.error).toMatch(new RegExp(`^Customer ${prefix}-\\d: SendGrid did not send the email \\(HTTP 403\\): `));
			expect(item.json.error).toContain(UNVERIFIED);
			expect(item.json.details).toMatch(SENDER_ADVICE);
			expect(item.json.details).toContain('support@example-store.test (Sender Email in the SendGrid credential)');
			expect(item.json.details).toContain('Nothing was sent.');
		}
		expect(summary.json).toMatchObject({ toMail: 2, sent: 0, unconfirmed: 0 });
		expect((await messages('cx-winback')).length).toBe(sentBefore);
		// nothing went out: every row is coded again (no row is left sending, which would keep it from the next run)
		expect((await rows()).map((row) => row.status)).toEqual(['coded', 'coded']);

		await verify();
		const [, [fixed]] = await winBack();
		expect(fixed.json).toMatchObject({ sent: 2, failed: 0, unconfirmed: 0 });
		const [, [again]] = await winBack();
		expect(again.json).toMatchObject({ sent: 0 });
		const delivered = (await messages('cx-winback')).slice(sentBefore).flatMap((message) => message.deliveries.map((delivery) => delivery.to[0].email));
		expect(delivered.sort()).toEqual([`${prefix}-1@example-store.test`, `${prefix}-2@example-store.test`]);
		expect((await rows()).map((row) => row.status)).toEqual(['sent', 'sent']);
	});

	it('CX Ticket Triage\'s acknowledgement: the run fails saying to verify the sender, the claim is given back, and the next triage acknowledges once', async () => {
		const ticket = { id: `sender-${run}`, channel: 'email', customer_email: `sender-${run}@example-store.test`, created_at: new Date(Date.now() - 60_000).toISOString(), subject: 'Frame size', body: 'Which frame fits the large print?' };
		const triage = () =>
			new CxTicketTriage().execute.call(
				executeContext({ items: [ticket], parameters: { enrichFromShopify: false, storeInSupabase: true, acknowledgeCustomer: true, acknowledgementOptions: { storeName: 'Example Store', timeZone: 'Europe/Berlin' } } }),
			);
		const row = async () => (await supabase.from('tickets').select('acknowledged_at, acknowledgement_claim, acknowledgement_error').eq('external_id', ticket.id).single().throwOnError()).data!;
		const acknowledgements = async () => (await messages('cx-acknowledgement')).filter((message) => message.deliveries.some((delivery) => delivery.to[0].email === ticket.customer_email));

		await unverify();
		const refusedBefore = await refusedSenders();
		const failure = await rejectionOf<NodeApiError>(triage());
		expect(failure).toBeInstanceOf(NodeApiError);
		expect(failure.message).toBe(`Ticket ${ticket.id}: the customer's acknowledgement was not sent: SendGrid did not send the email (HTTP 403): ${UNVERIFIED}`);
		expect(failure.description).toMatch(SENDER_ADVICE);
		expect(failure.httpCode).toBe('403');
		expect(await refusedSenders()).toBe(refusedBefore + 1);
		expect(await row()).toMatchObject({ acknowledged_at: null, acknowledgement_claim: null, acknowledgement_error: expect.stringContaining('HTTP 403') });
		expect(await acknowledgements()).toEqual([]);

		await verify();
		const [escalate, queue] = await triage();
		const [item] = [...escalate, ...queue];
		expect(item.json.acknowledgement).toMatchObject({ status: 'sent', to: ticket.customer_email });
		const [againEscalate, againQueue] = await triage();
		expect([...againEscalate, ...againQueue][0].json.acknowledgement).toMatchObject({ status: 'already_acknowledged' });
		const sent = await acknowledgements();
		expect(sent).toHaveLength(1);
		expect(sent[0].body.from.email).toBe('support@example-store.test');
		expect((await row()).acknowledgement_error).toBeNull();
	});
	it('a sender address SendGrid cannot read (400 on from.email) stops the acknowledgements at the first request, not ticket by ticket', async () => {
		const tickets = ['a', 'b'].map((name) => ({ id: `sender-400-${name}-${run}`, channel: 'email', customer_email: `sender-400-${name}-${run}@example-store.test`, created_at: new Date(Date.now() - 60_000).toISOString(), subject: 'Gift card', body: 'Do you sell gift cards?' }));
		const triage = (continueOnFail: boolean) =>
			new CxTicketTriage().execute.call(
				executeContext({
					items: tickets,
					continueOnFail,
					sendGridCredential: { senderEmail: 'support.example-store.test' },
					parameters: { enrichFromShopify: false, storeInSupabase: true, acknowledgeCustomer: true, acknowledgementOptions: { storeName: 'Example Store', timeZone: 'Europe/Berlin' } },
				}),
			);
		// the run stops with the refusal: before, each ticket was asked alone, refused alone, and the run passed for done
		const failure = await rejectionOf<NodeApiError>(triage(false));
		expect(failure.message).toBe(`Ticket ${tickets[0].id}: the customer's acknowledgement was not sent: SendGrid did not send the email (HTTP 400): from.email: The from email does not contain a valid address.`);
		expect(failure.description).toContain('2 acknowledgement(s) not sent go out when the tickets are triaged again');
		const { data: rows } = await supabase.from('tickets').select('external_id, acknowledged_at, acknowledgement_claim').in('external_id', tickets.map((ticket) => ticket.id)).order('external_id').throwOnError();
		expect(rows).toEqual(tickets.map((ticket) => ({ external_id: ticket.id, acknowledged_at: null, acknowledgement_claim: null })));
		// under Continue On Fail both tickets say why, from the one refusal
		const outcomes = (await triage(true)).flat().map((item) => item.json.acknowledgement as IDataObject);
		expect(outcomes).toEqual([expect.objectContaining({ status: 'failed', error: expect.stringContaining('from.email') }), expect.objectContaining({ status: 'failed', error: expect.stringContaining('from.email') })]);
	});

	it('an unknown template or unsubscribe group: CX Win-Back\'s error items name the setting to fix, and nothing is sent', async () => {
		const now = fromAnchor(366);
		const prefix = `wb-account-${run}`;
		const customer: IDataObject = { customer_id: `${prefix}-1`, email: `${prefix}-1@example-store.test`, first_name: 'Ada', orders_count: 1, amount_spent: 20, currency: 'USD', email_marketing_consent: 'SUBSCRIBED', order_dates: [fromAnchor(-153, '10:00')] };
		const winBack = (parameters: IDataObject) =>
			new CxWinBack().execute.call(
				executeContext({ items: [customer], continueOnFail: true, parameters: { source: 'items', dryRun: false, codeMode: 'perCustomer', unsubscribeGroupId: 4242, ...parameters, options: { now, storeName: 'Example Store' } } }),
			);
		const sentBefore = (await messages('cx-winback')).length;
		const [[template]] = await winBack({ templateId: `d-${run}${'0'.repeat(24)}` });
		expect(template.json.error).toContain(`template_id: The Template ID must be a valid template id for your account. You provided d-${run}${'0'.repeat(24)}.`);
		expect(template.json.details).toMatch(/^The Template ID is not a template of this SendGrid account: copy the ID \(d-\.\.\.\) of a dynamic template from SendGrid \(Email API > Dynamic Templates\)/);
		const [[group]] = await winBack({ unsubscribeGroupId: 9191 });
		expect(group.json.error).toContain('asm.group_id: The ASM group ID must be a valid Group ID on your account. You provided 9191.');
		expect(group.json.details).toMatch(/^The Unsubscribe Group ID is not a group of this SendGrid account/);
		expect((await messages('cx-winback')).length).toBe(sentBefore);
		const { data: rows } = await supabase.from('winback_sends').select('status').like('customer_id', `${prefix}%`).throwOnError();
		expect(rows).toEqual([{ status: 'coded' }]);
	});
});

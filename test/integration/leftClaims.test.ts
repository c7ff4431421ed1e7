/**
 * What a run that stopped half way (n8n killed, a worker dead) leaves in CX Delay Compensation's ledger, and how the
 * next run settles it against the services before acting again: a payout left "paying" is looked up in Stripe (past
 * the 24 hours Stripe keeps an idempotency key) and not paid twice; an apology left claimed is judged by SendGrid's
 * Email Activity: shown there, recorded as sent; absent once the activity is complete, sent; too soon or unreadable,
 * reported unconfirmed and not sent. The crash itself, in a real n8n, is test/e2e/crashes.test.ts.
 */
import { randomUUID } from 'node:crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { createClient } from '@supabase/supabase-js';
import { CxDelayCompensation } from '../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { executeContext, standin } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

const run = randomUUID().slice(0, 8);
const AVA = 'ava.morgan@example-store.test';
/** The runs act as of a day after the anchor; an hour later is "the next run". */
const NOW = fromAnchor(1, '09:00');
const HOUR_LATER = fromAnchor(1, '10:00');
const orderOf = (name: string): IDataObject => ({
	order_id: `left-${run}-${name}`,
	name: `#L-${run}-${name}`,
	processed_at: fromAnchor(-41, '10:00'),
	total: 189,
	currency: 'USD',
	customer_email: AVA,
	first_name: 'Ava',
	checkout_promise_at: fromAnchor(-32, '12:00'),
	fulfillments: [{ estimated_delivery_at: fromAnchor(-32, '12:00'), delivered_at: fromAnchor(-22, '12:00') }],
});
interface Message { body: { custom_args?: Record<string, string>; personalizations?: Array<{ custom_args?: Record<string, string> }> } }
type Compensation = { status: string; payoutReference?: string; messageId?: string; apology?: string; note?: string; reasons: string[] };

describe('CX Delay Compensation after a run that stopped half way', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const compensate = async (order: IDataObject, now: string, notifyCustomer = true) => {
		const [compensated, needsApproval] = (await new CxDelayCompensation().execute.call(
			executeContext({ items: [order], parameters: { source: 'items', payoutMethod: 'stripeBalance', dryRun: false, notifyCustomer, options: { now, storeName: 'Example Store' } } }),
		)) as INodeExecutionData[][];
		return [...compensated, ...needsApproval].map((item) => item.json.compensation as Compensation)[0];
	};
	const ledgerRow = async (order: IDataObject) => (await supabase.from('compensation_ledger').select('*').eq('order_id', order.order_id as string).single()).data as IDataObject;
	const setRow = async (order: IDataObject, patch: IDataObject) => {
		const { error } = await supabase.from('compensation_ledger').update(patch).eq('order_id', order.order_id as string);
		expect(error).toBeNull();
	};
	const credits = async (order: IDataObject) => {
		const state = await standin<{ objects: Record<string, Array<{ id: string; metadata?: Record<string, string> }>> }>('stripe', '/__standin/state');
		return Object.values(state.objects).flat().filter((object) => object.metadata?.order_id === order.order_id);
	};
	const apologies = async (order: IDataObject) =>
		(await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => (message.body.personalizations?.[0]?.custom_args ?? message.body.custom_args)?.cx_order === order.order_id);

	beforeAll(async () => {
		// the feed allows 6 searches a minute; this file makes a few
		await standin('sendgrid', '/__standin/rate-limit', { method: 'POST', body: JSON.stringify({ activity: { limit: 600, windowSeconds: 60 } }) });
	});
	afterAll(async () => {
		await supabase.from('compensation_ledger').delete().like('order_id', `left-${run}-%`);
		await standin('sendgrid', '/__standin/rate-limit', { method: 'DELETE' });
		await standin('sendgrid', '/__standin/activity', { method: 'DELETE' });
		// the Stripe clock moved a day on: back, with the sample customers
		await standin('stripe', '/__standin/reset', { method: 'POST' });
	});

	it('a payout left paying is looked up in Stripe by its key, past the 24 hours Stripe keeps the key, and not paid again', async () => {
		const order = orderOf('stripe');
		const first = await compensate(order, NOW, false);
		expect(first.status).toBe('compensated');
		const [credit] = await credits(order);
		// the run stopped after Stripe's answer and before the ledger's write, and the next run comes after Stripe forgot the key
		await setRow(order, { status: 'paying', payout_reference: null, completed_at: null, payout_claimed_at: NOW });
		await standin('stripe', '/__standin/clock', { method: 'POST', body: JSON.stringify({ advanceSeconds: 25 * 3600 }) });

		const next = await compensate(order, HOUR_LATER, false);
		expect(next).toMatchObject({ status: 'compensated', payoutReference: credit.id });
		expect((await credits(order)).map((entry) => entry.id)).toEqual([credit.id]);
		expect(await ledgerRow(order)).toMatchObject({ status: 'completed', payout_reference: credit.id, attempts: 2 });
	});

	it('a payout claimed and never made is made by the next run, once', async () => {
		const order = orderOf('unpaid');
		// as a run that stopped right after its claim leaves it: written, claimed, nothing asked of Stripe
		await compensate(order, NOW, false);
		const [made] = await credits(order);
		await standin('stripe', '/__standin/reset', { method: 'POST' });
		expect(await credits(order)).toEqual([]);
		await setRow(order, { status: 'paying', payout_reference: null, completed_at: null, attempts: 1, payout_claimed_at: NOW });

		const next = await compensate(order, HOUR_LATER, false);
		expect(next.status).toBe('compensated');
		const after = await credits(order);
		expect(after).toHaveLength(1);
		expect(after[0].id).not.toBe(made.id);
		expect(next.payoutReference).toBe(after[0].id);
	});

	describe('an apology left claimed', () => {
		/** A compensated order whose apology a run claimed an hour before `now` and never settled; `sent`: whether SendGrid took it. */
		const leftClaimed = async (name: string, { sent, claimedAt }: { sent: boolean; claimedAt: string }) => {
			const order = orderOf(name);
			expect((await compensate(order, NOW)).status).toBe('compensated');
			expect(await apologies(order)).toHaveLength(1);
			if (!sent) await standin('sendgrid', `/__standin/messages?to=${encodeURIComponent(AVA)}`, { method: 'DELETE' });
			await setRow(order, { customer_notified_at: null, message_id: null, notify_claimed_at: claimedAt, notification_claim: randomUUID() });
			return order;
		};

		it('is sent by the next run when SendGrid\'s activity does not show it, once', async () => {
			const order = await leftClaimed('unsent', { sent: false, claimedAt: NOW });
			expect(await apologies(order)).toHaveLength(0);
			const next = await compensate(order, HOUR_LATER);
			expect(next).toMatchObject({ status: 'already_compensated', apology: 'sent' });
			expect(await apologies(order)).toHaveLength(1);
			expect((await ledgerRow(order)).customer_notified_at).not.toBeNull();
			// and the run after that finds it settled
			expect((await compensate(order, HOUR_LATER)).apology).toBeUndefined();
			expect(await apologies(order)).toHaveLength(1);
		});

		it('is recorded as sent, with SendGrid\'s message id, when the activity shows it: not sent again', async () => {
			const order = await leftClaimed('sent', { sent: true, claimedAt: NOW });
			const next = await compensate(order, HOUR_LATER);
			expect(next).toMatchObject({ status: 'already_compensated', apology: 'sent_before', messageId: expect.stringMatching(/\S/) });
			expect(await apologies(order)).toHaveLength(1);
			expect(await ledgerRow(order)).toMatchObject({ message_id: next.messageId, customer_notified_at: expect.any(String) });
		});

		it('stays unconfirmed, and unsent, while the claim is too young for the activity to be complete', async () => {
			const order = await leftClaimed('young', { sent: false, claimedAt: fromAnchor(1, '09:55') });
			const next = await compensate(order, HOUR_LATER);
			expect(next).toMatchObject({ apology: 'unconfirmed', note: expect.stringContaining('claimed 5 minutes before this run\'s Now') });
			expect(await apologies(order)).toHaveLength(0);
			expect((await ledgerRow(order)).customer_notified_at).toBeNull();
		});

		it('stays unconfirmed, and unsent, when the account cannot read its activity (no Email Activity add-on)', async () => {
			const order = await leftClaimed('no-feed', { sent: false, claimedAt: NOW });
			await standin('sendgrid', '/__standin/activity', { method: 'POST', body: JSON.stringify({ enabled: false }) });
			try {
				const next = await compensate(order, HOUR_LATER);
				expect(next).toMatchObject({ apology: 'unconfirmed', note: expect.stringContaining('Email Activity add-on') });
				expect(await apologies(order)).toHaveLength(0);
			} finally {
				await standin('sendgrid', '/__standin/activity', { method: 'DELETE' });
			}
		});
	});
});

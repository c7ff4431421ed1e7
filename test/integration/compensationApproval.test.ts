/**
 * Settle Approval of CX Delay Compensation against the stand-ins: an approval of an order compensated another way
 * since (paid under another ledger row) pays nothing and says so; an answer is recorded once, whoever clicks next;
 * an answer without its token, or to no request, is an error item naming what is wrong. The round trips through
 * n8n's Wait node are test/e2e/compensationApproval.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxDelayCompensation } from '../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { executeContext } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

const NOW = fromAnchor(0, '09:00');
const settle = (items: IDataObject[]) =>
	new CxDelayCompensation().execute.call(executeContext({ items, continueOnFail: true, parameters: { operation: 'settleApproval', discountValidDays: 90, notifyCustomer: true, unsubscribeGroupId: 0, options: { now: NOW, storeName: 'Example Store' } } }));
const jsonOf = (output: INodeExecutionData[]) => output.map((item) => item.json);

describe('settling an approval against the ledger', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const order = `approval-order-${randomUUID().slice(0, 8)}`;
	const token = `tok-${randomUUID()}`;

	beforeAll(async () => {
		await supabase.from('compensation_ledger').insert([
			// the delay compensation that waits for a person, asked about
			{ order_id: order, reason: 'shipping_delay', policy_version: 'delay-test', customer_email: 'late.delivery@example-store.test', amount_cents: 25000, currency: 'USD', method: 'discountCode', status: 'needs_approval', idempotency_key: `cx-${randomUUID().replace(/-/g, '')}`, decision: { reasons: ['late_12_days_over_7', 'over_instant_cap_200'] }, approval_token: token, approval_requested_to: 'owner@example-store.test', approval_requested_at: fromAnchor(-1), approval_expires_at: fromAnchor(2), order_name: '#A-1' },
			// and the same order compensated another way in the meantime
			{ order_id: order, reason: 'goodwill', policy_version: 'manual', amount_cents: 5000, currency: 'USD', method: 'storeCredit', status: 'completed', idempotency_key: `cx-${randomUUID().replace(/-/g, '')}`, payout_reference: 'manual-credit-1' },
		]).throwOnError();
	});
	afterAll(async () => {
		await supabase.from('compensation_ledger').delete().eq('order_id', order).throwOnError();
	});

	it('an approval of an order compensated another way pays nothing, and the row says why', async () => {
		const [paid, declined, expired, notPaid] = await settle([{ query: { decision: 'approve', token } }]);
		expect([paid, declined, expired]).toEqual([[], [], []]);
		expect(jsonOf(notPaid)).toEqual([expect.objectContaining({ order: { id: order, name: '#A-1' }, compensation: expect.objectContaining({ reasons: ['approved', 'compensated_another_way'] }), approval: expect.objectContaining({ status: 'not_paid', answer: 'approve', message: 'Nothing is paid for #A-1: approved, compensated another way.' }) })]);
		const { data } = await supabase.from('compensation_ledger').select('status, payout_reference, approval_decision, approval_decided_by, last_error').eq('order_id', order).eq('reason', 'shipping_delay');
		expect(data).toEqual([{ status: 'skipped', payout_reference: null, approval_decision: 'approved', approval_decided_by: 'owner@example-store.test', last_error: 'approved, compensated_another_way' }]);
	});

	it('a later answer to the same request changes nothing', async () => {
		const [, declined, , notPaid] = await settle([{ query: { decision: 'decline', token } }]);
		expect(declined).toEqual([]);
		expect(jsonOf(notPaid)).toEqual([expect.objectContaining({ compensation: expect.objectContaining({ reasons: ['already_approved'] }) })]);
	});

	it('an answer without a token, with another word, or to no request is an error item or says so', async () => {
		const [, , , notPaid] = await settle([{ query: { decision: 'approve' } }, { query: { decision: 'maybe', token } }, { query: { decision: 'approve', token: 'no-such-token' } }, { body: {} }]);
		expect(notPaid.map((item) => [item.pairedItem, item.json.error ?? (item.json.compensation as IDataObject).reasons])).toEqual([
			[{ item: 0 }, 'Item 0: the answer carries no token'],
			[{ item: 1 }, 'Item 1: the answer "maybe" is neither approve nor decline'],
			[{ item: 2 }, ['unknown_approval_request']],
			[{ item: 3 }, 'Item 3: the item is neither an approver\'s answer (query.decision and query.token) nor a request whose wait ran out (approval.token)'],
		]);
	});
});

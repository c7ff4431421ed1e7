/**
 * CX Delay Compensation's partial refund against Shopify's @idempotent answers (the Shopify stand-in answers a key it
 * has seen as Shopify does): a key whose attempt failed is never taken again (IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED), so
 * the next run asks under a new key and refunds once; a second run meeting the first's attempt still in progress under
 * the same key (IDEMPOTENCY_CONCURRENT_REQUEST) waits for it instead of refunding again; the ledger completes once.
 */
import { createClient } from '@supabase/supabase-js';
import { NodeApiError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { CxDelayCompensation } from '../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { compensationRefundNote } from '../../nodes/shared/contract/compensation';
import { refundKey } from '../../nodes/shared/services/shopify/moneyBack';
import { executeContext, rejectionOf, standin } from '../support/context';
import { dayFromAnchor, fromAnchor, standinsEnv } from '../support/standins';

interface ShopifyState {
	refundsCreated: Array<{ id: string; orderId: string }>;
	idempotencyKeys: Array<{ mutation: string; key: string; state: string }>;
	mutationLog: Array<{ mutation: string; idempotencyKey?: string; idempotencyError?: string; injected?: boolean; refundId?: string }>;
}

const anchor = fromAnchor(0);
// a holiday years after the anchor: a policy version (and so ledger keys) of this file alone
const holiday = dayFromAnchor(4380);

/** A late order of the sample store, paid in full in USD ($189: the $100-and-up band's $50). */
const lateOrder = (orderId: string, name: string): IDataObject => ({
	order_id: orderId,
	name,
	processed_at: fromAnchor(-41, '10:00'),
	total: 189.0,
	currency: 'USD',
	customer_id: '1007',
	customer_email: 'late.delivery@example-store.test',
	customer_first_name: 'Lars',
	checkout_promise_at: fromAnchor(-32, '12:00'),
	fulfillments: [{ estimated_delivery_at: fromAnchor(-32, '12:00'), delivered_at: fromAnchor(-22, '12:00'), events: [{ status: 'DELAYED', happened_at: fromAnchor(-31, '08:00') }] }],
});

const compensate = (item: IDataObject) =>
	new CxDelayCompensation().execute.call(
		executeContext({ items: [item], parameters: { source: 'items', payoutMethod: 'partialRefund', dryRun: false, notifyCustomer: false, options: { now: anchor, holidays: holiday } } }),
	);
const compensation = (outputs: INodeExecutionData[][], name: string) =>
	outputs.flat().map((item) => item.json).find((json) => (json.order as IDataObject)?.name === name)?.compensation as IDataObject;

describe('CX Delay Compensation refunds under Shopify\'s @idempotent answers', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const state = () => standin<ShopifyState>('shopify', '/__standin/state');
	const ledgerRow = async (orderId: string) =>
		(await supabase.from('compensation_ledger').select('status, attempts, idempotency_key, payout_reference, last_error').eq('order_id', orderId).single().throwOnError()).data!;
	/** The order's refunds that carry this compensation's note, as Shopify shows them. */
	const compensationRefunds = async (orderId: string, note: string) => {
		const response = await fetch(env.shopify.adminUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'X-Shopify-Access-Token': env.shopify.accessToken },
			body: JSON.stringify({ query: 'query($id: ID!) { order(id: $id) { refunds { id note } } }', variables: { id: orderId } }),
		});
		const { data } = (await response.json()) as { data: { order: { refunds: Array<{ id: string; note: string | null }> } } };
		return data.order.refunds.filter((refund) => refund.note === note);
	};

	afterEach(() => standin('shopify', '/__standin/faults', { method: 'DELETE' }));
	afterAll(async () => {
		await supabase.from('compensation_ledger').delete().in('order_id', ['gid://shopify/Order/5013', 'gid://shopify/Order/5014']);
	});

	it('a refund Shopify refused is made by the next run, once, under a new key: the first key is never taken again', async () => {
		const order = 'gid://shopify/Order/5013';
		const declined = 'The payment gateway declined the refund; try again later';
		await standin('shopify', '/__standin/faults', { method: 'POST', body: JSON.stringify({ userErrors: [{ field: ['transactions', '0'], message: declined }], match: 'refundCreate', count: 1 }) });
		const failure = await rejectionOf<NodeApiError>(compensate(lateOrder(order, '#1013')));
		expect(failure).toBeInstanceOf(NodeApiError);
		expect(failure.message).toBe(`Item 0 (order #1013): Shopify could not refund the order: transactions.0: ${declined}`);
		expect(failure.description).toMatch(/^Shopify refused the refund, so nothing was refunded/);
		const failed = await ledgerRow(order);
		expect(failed).toMatchObject({ status: 'failed', attempts: 1, payout_reference: null });
		const note = compensationRefundNote(String(failed.idempotency_key));
		const firstKey = refundKey(note);
		expect(firstKey).toBe(note.replace(/[^A-Za-z0-9_-]/g, '-'));
		expect((await state()).idempotencyKeys).toContainEqual({ mutation: 'refundCreate', key: firstKey, state: 'failed' });
		expect(await compensationRefunds(order, note)).toEqual([]);

		const [paid] = await compensate(lateOrder(order, '#1013'));
		const result = compensation([paid], '#1013');
		expect(result).toMatchObject({ status: 'compensated', method: 'partialRefund', amount: { cents: 5000, currency: 'USD' }, payoutReference: expect.stringMatching(/^gid:\/\/shopify\/Refund\//) });
		const refunds = await compensationRefunds(order, note);
		expect(refunds).toEqual([{ id: result.payoutReference, note }]);
		const after = await state();
		// the first key answered as Shopify does after a failed attempt; the second key made the refund
		expect(after.mutationLog.filter((entry) => entry.idempotencyKey === firstKey)).toEqual([expect.objectContaining({ idempotencyError: 'IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED' })]);
		expect(after.idempotencyKeys).toContainEqual({ mutation: 'refundCreate', key: refundKey(note, 1), state: 'done' });
		expect(await ledgerRow(order)).toMatchObject({ status: 'completed', attempts: 2, payout_reference: result.payoutReference, last_error: null });

		// and once only: a third run finds the row completed and asks Shopify for nothing
		const asked = after.mutationLog.length;
		const [again] = await compensate(lateOrder(order, '#1013'));
		expect(compensation([again], '#1013')).toMatchObject({ status: 'already_compensated', payoutReference: result.payoutReference });
		expect((await state()).mutationLog.length).toBe(asked);
		expect(await compensationRefunds(order, note)).toHaveLength(1);
	});

	it('a run that meets another run\'s attempt still in progress under the same key waits for it: one refund, both runs report it', async () => {
		const order = 'gid://shopify/Order/5014';
		const running = async () => (await state()).idempotencyKeys.find((entry) => entry.mutation === 'refundCreate' && entry.state === 'running' && entry.key.startsWith('Delay-compensation-'));
		// Shopify takes 2.5 s over the first attempt: its key stays running all that time
		await standin('shopify', '/__standin/faults', { method: 'POST', body: JSON.stringify({ delayMs: 2500, match: 'refundCreate', count: 1 }) });
		const first = compensate(lateOrder(order, '#1014'));
		let inFlight: Awaited<ReturnType<typeof running>>;
		while (!(inFlight = await running())) await new Promise((resolve) => setTimeout(resolve, 25));
		// the second run finds the row being paid and takes it over (a run that stopped would have left it so)
		expect(await ledgerRow(order)).toMatchObject({ status: 'paying', attempts: 1 });
		const second = compensate(lateOrder(order, '#1014'));
		const [[firstOut], [secondOut]] = await Promise.all([first, second]);
		const one = compensation([firstOut], '#1014');
		const other = compensation([secondOut], '#1014');
		expect(one).toMatchObject({ status: 'compensated', payoutReference: expect.stringMatching(/^gid:\/\/shopify\/Refund\//) });
		expect(other).toMatchObject({ status: 'compensated', payoutReference: one.payoutReference });

		const note = compensationRefundNote(String((await ledgerRow(order)).idempotency_key));
		expect(inFlight!.key).toBe(refundKey(note));
		expect(await compensationRefunds(order, note)).toEqual([{ id: one.payoutReference, note }]);
		const after = await state();
		expect(after.refundsCreated.filter((refund) => refund.orderId === order)).toHaveLength(1);
		// the second run was told the attempt was in progress, under the same key, and never asked under another
		expect(after.mutationLog.filter((entry) => entry.idempotencyKey === refundKey(note)).map((entry) => entry.idempotencyError ?? 'replayed')).toEqual(
			expect.arrayContaining(['IDEMPOTENCY_CONCURRENT_REQUEST', 'replayed']),
		);
		expect(after.idempotencyKeys.filter((entry) => entry.key.startsWith(refundKey(note)))).toEqual([{ mutation: 'refundCreate', key: refundKey(note), state: 'done' }]);
		expect(await ledgerRow(order)).toMatchObject({ status: 'completed', payout_reference: one.payoutReference });
	});
});

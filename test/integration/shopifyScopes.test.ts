/**
 * An app without a scope a node needs, against the Shopify stand-in, which refuses a mutation without its scope as
 * Shopify does (ACCESS_DENIED, the scope named, nothing changed): the node says which scope to add, nothing is paid,
 * and once the scope is granted the next run pays, once.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import type { IDataObject } from 'n8n-workflow';
import { CxDelayCompensation } from '../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { executeContext, standin } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

const order = `scope-order-${randomUUID().slice(0, 8)}`;
const lateOrder: IDataObject = {
	order_id: order,
	name: '#S-1',
	processed_at: fromAnchor(-41, '10:00'),
	total: 189.0,
	currency: 'USD',
	customer_id: '1007',
	customer_email: 'late.delivery@example-store.test',
	checkout_promise_at: fromAnchor(-32, '12:00'),
	fulfillments: [{ delivered_at: fromAnchor(-22, '12:00') }],
};
const compensate = () =>
	new CxDelayCompensation().execute.call(
		executeContext({ items: [lateOrder], continueOnFail: true, parameters: { source: 'items', payoutMethod: 'discountCode', discountValidDays: 90, dryRun: false, notifyCustomer: false, options: { now: fromAnchor(0) } } }),
	);

describe('an app without a scope a node needs', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const scopes = (value: unknown) => standin('shopify', '/__standin/access-scopes', { method: 'POST', body: JSON.stringify({ scopes: value }) });
	afterAll(async () => {
		await scopes('default');
		await supabase.from('compensation_ledger').delete().eq('order_id', order).throwOnError();
	});

	it('is told which scope to add, pays nothing, and pays once when the scope is granted', async () => {
		await scopes(['read_customers', 'read_orders', 'write_customers', 'write_orders']);
		const [compensated, , notEligible] = await compensate();
		expect(compensated).toEqual([]);
		expect(notEligible.map((item) => item.json.error)).toEqual(['Item 0 (order #S-1): Shopify denied the request: the app lacks the write_discounts scope']);
		expect(notEligible[0].json.details).toEqual(expect.stringContaining('Add write_discounts to the app\'s scopes'));
		const { data: failed } = await supabase.from('compensation_ledger').select('status, payout_reference').eq('order_id', order);
		expect(failed).toEqual([{ status: 'failed', payout_reference: null }]);

		await scopes('default');
		const [paid] = await compensate();
		expect(paid.map((item) => (item.json.compensation as IDataObject).status)).toEqual(['compensated']);
		const [again] = await compensate();
		expect(again.map((item) => (item.json.compensation as IDataObject).status)).toEqual(['already_compensated']);
		const { data: rows } = await supabase.from('compensation_ledger').select('status, payout_reference').eq('order_id', order);
		expect(rows).toEqual([{ status: 'completed', payout_reference: expect.any(String) }]);
	});
});

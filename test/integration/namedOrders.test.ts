/**
 * "Shopify, Orders Named in Items", the source CX Shopify Events hands orders to: each item names an order by its
 * numeric ID or GID (as a webhook gives it), and the node reads that order as Shopify holds it now, through the
 * same fields as its bulk read. A bad or unknown ID is an error item naming the field; an order named twice is
 * read and decided once. Against the stand-ins, through the real SDKs.
 */
import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxCustomerSurvey } from '../../nodes/CxCustomerSurvey/CxCustomerSurvey.node';
import { CxDelayCompensation } from '../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { executeContext, standin } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

const anchor = fromAnchor(0);
const named = (items: IDataObject[], parameters: IDataObject) => ({ items, continueOnFail: true, parameters: { source: 'shopifyOrders', orderIdField: 'order_id', ...parameters } });
const jsons = (output: INodeExecutionData[]) => output.map((item) => item.json);
const errorsOf = (output: INodeExecutionData[]) => output.filter((item) => item.json.error).map((item) => [item.pairedItem, item.json.error]);

describe('orders named in items, read from Shopify', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const forget = async () => {
		await supabase.from('survey_invites').delete().eq('order_id', 'gid://shopify/Order/5014').throwOnError();
	};
	beforeAll(forget);
	afterAll(forget);

	it('delay compensation decides the late order a webhook names as the daily run would, once however often it is named', async () => {
		const items = [{ order_id: 5013 }, { order_id: 'gid://shopify/Order/5013' }, { order_id: '5016' }, { order_id: 'not-an-id' }, { order_id: '999999999' }];
		const [compensated, needsApproval, notEligible] = await new CxDelayCompensation().execute.call(
			executeContext(named(items, { payoutMethod: 'discountCode', discountValidDays: 90, dryRun: true, notifyCustomer: true, options: { now: anchor, storeName: 'Example Store' } })),
		);
		// #1013: the same decision as the daily run's dry run (test/integration/delayCompensation.test.ts), for the first item naming it
		expect(compensated).toHaveLength(1);
		expect(compensated[0].pairedItem).toEqual({ item: 0 });
		expect(compensated[0].json).toMatchObject({ order: { id: 'gid://shopify/Order/5013', name: '#1013' }, compensation: { outcome: 'compensate', daysLate: 10, promisedFrom: 'checkout_promise', dryRun: true, amount: { cents: 10000, currency: 'USD' } } });
		expect(needsApproval).toHaveLength(0);
		expect(jsons(notEligible).filter((json) => !json.error)).toEqual([expect.objectContaining({ order: expect.objectContaining({ name: '#1016' }), compensation: expect.objectContaining({ daysLate: 4 }) })]);
		expect(errorsOf(notEligible)).toEqual([
			[{ item: 3 }, 'Item 3: Field "order_id" is "not-an-id", not a Shopify order ID'],
			[{ item: 4 }, 'Item 4: Shopify has no order gid://shopify/Order/999999999'],
		]);
	});

	it('the survey asks about the delivered order a webhook names, once, as of its time', async () => {
		const before = (await standin<unknown[]>('sendgrid', '/__standin/messages')).length;
		const survey = () =>
			new CxCustomerSurvey().execute.call(
				executeContext(named([{ order_id: 5014 }, { order_id: 5014 }, { order: 5014 }], { operation: 'sendSurveys', questionType: 'csat', answerUrl: 'https://n8n.example-store.test/webhook/cx-survey', unsubscribeGroupId: 4343, options: { now: fromAnchor(-15, '12:00'), storeName: 'Example Store' } })),
			);
		const [surveyed, [summary]] = await survey();
		// Vera's #1014 arrived 19 days before the anchor: 4 days before this run, inside the survey's window
		expect(jsons(surveyed).filter((json) => !json.error)).toEqual([expect.objectContaining({ order_id: 'gid://shopify/Order/5014', order_name: '#1014', email: 'vip.tagged@example-store.test', tier: 'vip' })]);
		expect(errorsOf(surveyed)).toEqual([[{ item: 2 }, 'Item 2: Field "order_id" is missing']]);
		expect(summary.json).toMatchObject({ orders: 1, deliveredInWindow: 1, toSurvey: 1, sent: 1 });
		expect(summary.pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// named again: already asked, nobody mailed twice
		const [again, [secondSummary]] = await survey();
		expect(jsons(again).filter((json) => !json.error)).toEqual([]);
		expect(secondSummary.json).toMatchObject({ toSurvey: 0, sent: 0 });
		expect((await standin<unknown[]>('sendgrid', '/__standin/messages')).length).toBe(before + 1);
	});

	it('an order given twice as items is decided once: the second item is refused, not reported paid again', async () => {
		const item = { order_id: 'twice-order-1', name: '#T-1', processed_at: fromAnchor(-41, '10:00'), total: 189, currency: 'USD', customer_id: '1007', customer_email: 'late.delivery@example-store.test', checkout_promise_at: fromAnchor(-32, '12:00'), fulfillments: [{ delivered_at: fromAnchor(-22, '12:00') }] };
		const [compensated, , notEligible] = await new CxDelayCompensation().execute.call(
			executeContext({ items: [item, item], continueOnFail: true, parameters: { source: 'items', payoutMethod: 'discountCode', discountValidDays: 90, dryRun: true, notifyCustomer: true, options: { now: anchor } } }),
		);
		expect(compensated.map((entry) => entry.pairedItem)).toEqual([{ item: 0 }]);
		expect(notEligible.map((entry) => [entry.pairedItem, entry.json.error])).toEqual([[{ item: 1 }, 'Item 1: Field "order_id" is "twice-order-1", the order item 0 of this run already names']]);
	});
});

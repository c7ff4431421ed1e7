/**
 * CX Delay Compensation's Notify Late Orders against the stand-ins: the sample store as of its anchor, the notice
 * recorded in late_notices once per order and read back from the SendGrid stand-in's mailbox.
 */
import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxDelayCompensation } from '../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { executeContext, setShopifyBucket, standin } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

interface Message { messageId: string; body: { custom_args?: Record<string, string>; asm?: { group_id: number }; categories?: string[] }; deliveries: Array<{ to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }> }> }

const anchor = fromAnchor(0);
/**
 * The sample store's orders processed in the 42 days before its anchor that will miss their promise:
 * #1015 not shipped 15 days after it was processed (its 7 business days of production ended 5 days before the
 * anchor: shipped now, it arrives 5 days after the promised anchor day), #1016 in transit 4 days past the date
 * checkout promised, and #1889 and #1895, two generated orders held up in transit past the store's window.
 */
const WILL_MISS = ['#1015', '#1016', '#1889', '#1895'];
const WILL_MISS_IDS = ['gid://shopify/Order/5015', 'gid://shopify/Order/5016', 'gid://shopify/Order/5889', 'gid://shopify/Order/5895'];
/** The other 136 of the 140 orders processed in that lookback (CX_SHOPIFY_CUSTOMERS 300, fixed seed): delivered or on track. */
const NOT_NOTIFIED_IN_LOOKBACK = 136;
const ITEM_ORDERS = ['late-notice-compensated-1', 'late-notice-gateway-1', 'late-notice-escaped-1'];

const notify = (parameters: IDataObject = {}, items: IDataObject[] = [{}]) =>
	new CxDelayCompensation().execute.call(
		executeContext({
			items,
			parameters: { operation: 'notifyLate', source: 'shopify', lookbackDays: 42, dryRun: false, unsubscribeGroupId: 777, ...parameters, options: { now: anchor, storeName: 'Example Store', ...(parameters.options as IDataObject) } },
		}),
	);
const byName = (output: INodeExecutionData[]) => Object.fromEntries(output.map((item) => [(item.json.order as IDataObject).name as string, item.json.lateNotice as IDataObject]));
const names = (output: INodeExecutionData[]) => output.map((item) => (item.json.order as IDataObject).name as string).sort();
/** An order given as an item: processed 20 days before the anchor, never shipped (its window ended long ago). */
const unshippedItem = (change: IDataObject = {}): IDataObject => ({
	order_id: 'late-notice-compensated-1',
	name: '#LN-1',
	processed_at: fromAnchor(-20, '10:00'),
	total: 80,
	currency: 'USD',
	customer_email: 'late.notice@example-store.test',
	customer_first_name: 'Lee',
	fulfillments: [],
	...change,
});

describe('CX Delay Compensation: Notify Late Orders against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const notices = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.custom_args?.cx_reason === 'running_late');
	const noticesFor = async (order: string) => (await notices()).filter((message) => message.body.custom_args?.cx_order === order);
	const forget = async () => {
		await supabase.from('late_notices').delete().in('order_id', [...WILL_MISS_IDS, ...ITEM_ORDERS]).throwOnError();
		await supabase.from('compensation_ledger').delete().in('order_id', ITEM_ORDERS).throwOnError();
	};

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await forget();
	});
	afterAll(async () => {
		await forget();
		await setShopifyBucket(2000);
	});

	it('a dry run names the orders that will miss their promise, with why, and records and sends nothing', async () => {
		const [notified, notNotified] = await notify({ dryRun: true });
		expect(names(notified)).toEqual(WILL_MISS);
		expect(notNotified).toHaveLength(NOT_NOTIFIED_IN_LOOKBACK);
		const late = byName(notified);
		expect(late['#1015']).toMatchObject({ status: 'dry_run', lateReasons: ['production_not_started_in_time'], promisedFrom: 'production_window', promisedDeliveryDate: fromAnchor(0), shipBy: fromAnchor(-5) });
		// the date checkout promised has passed 4 days ago, and the carrier's estimate with it: no new date to give
		expect(late['#1016']).toMatchObject({ status: 'dry_run', lateReasons: ['past_promise_undelivered'], promisedFrom: 'checkout_promise', promisedDeliveryDate: fromAnchor(-4), carrierEstimate: fromAnchor(-4) });
		expect(late['#1016'].expectedDeliveryAt).toBeUndefined();
		expect(late['#1889']).toMatchObject({ lateReasons: ['past_promise_undelivered'], promisedFrom: 'production_window' });
		expect(late['#1895']).toMatchObject({ lateReasons: ['past_promise_undelivered'], promisedFrom: 'production_window' });
		// delivered late, and compensated for it elsewhere: no notice
		expect(byName(notNotified)['#1013']).toMatchObject({ outcome: 'no_notice', reasons: ['delivered'] });
		const { data: rows } = await supabase.from('late_notices').select('order_id').in('order_id', WILL_MISS_IDS).throwOnError();
		expect(rows).toEqual([]);
		expect(await notices()).toHaveLength(0);
	});

	it('tells each customer once, transactionally, that the order is running late, and a second run sends nothing', async () => {
		const [notified, notNotified] = await notify();
		expect(names(notified)).toEqual(WILL_MISS);
		expect(notNotified).toHaveLength(NOT_NOTIFIED_IN_LOOKBACK);
		expect(notified.map((item) => (item.json.lateNotice as IDataObject).status)).toEqual(['notified', 'notified', 'notified', 'notified']);

		const { data: rows } = await supabase.from('late_notices').select('order_id, order_name, customer_email, reason, promised_delivery_date, sent_at, message_id').in('order_id', WILL_MISS_IDS).order('order_name').throwOnError();
		expect(rows).toEqual([
			expect.objectContaining({ order_id: 'gid://shopify/Order/5015', order_name: '#1015', customer_email: 'unfulfilled@example-store.test', reason: 'production_not_started_in_time', sent_at: expect.any(String), message_id: expect.any(String) }),
			expect.objectContaining({ order_id: 'gid://shopify/Order/5016', order_name: '#1016', customer_email: 'in.transit@example-store.test', reason: 'past_promise_undelivered', sent_at: expect.any(String), message_id: expect.any(String) }),
			expect.objectContaining({ order_id: 'gid://shopify/Order/5889', order_name: '#1889', reason: 'past_promise_undelivered', sent_at: expect.any(String) }),
			expect.objectContaining({ order_id: 'gid://shopify/Order/5895', order_name: '#1895', reason: 'past_promise_undelivered', sent_at: expect.any(String) }),
		]);
		expect(new Date(rows![0].sent_at as string).toISOString()).toBe(anchor);

		expect(await notices()).toHaveLength(4);
		const [unshipped] = await noticesFor('gid://shopify/Order/5015');
		expect(unshipped.deliveries[0].to).toEqual([{ email: 'unfulfilled@example-store.test' }]);
		expect(unshipped.deliveries[0].subject).toBe('Your order #1015 is running late');
		// the store's transactional group, as the delay apology: never a marketing list
		expect(unshipped.body.asm).toEqual({ group_id: 777 });
		expect(unshipped.body.categories).toEqual(['cx-late-notice']);
		const text = (message: Message) => message.deliveries[0].content.find((block) => block.type === 'text/plain')!.value;
		const promisedDay = new Date(anchor).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
		expect(text(unshipped)).toBe([
			'Hi Noor,',
			`Your order #1015 is running late: it will not reach you by ${promisedDay}, the date we promised.`,
			'It is still being made and has not shipped yet; we will send you the tracking details as soon as it does.',
			'We are sorry for the wait, and we wanted you to hear it from us first. You do not need to do anything.',
			'Example Store',
		].join('\n\n'));
		const [inTransit] = await noticesFor('gid://shopify/Order/5016');
		expect(text(inTransit).split('\n\n')[2]).toBe('It is on its way; we will let you know when the carrier gives a new delivery date.');

		const [again, againNot] = await notify();
		expect(names(again)).toEqual(WILL_MISS);
		expect(again.map((item) => (item.json.lateNotice as IDataObject).status)).toEqual(['already_notified', 'already_notified', 'already_notified', 'already_notified']);
		expect(byName(again)['#1015']).toMatchObject({ sentAt: anchor, messageId: (rows![0].message_id as string) });
		expect(againNot).toHaveLength(NOT_NOTIFIED_IN_LOOKBACK);
		expect(await notices()).toHaveLength(4);
	});

	it('an order already compensated for its delay is not told it is late; without a customer email nothing is sent', async () => {
		await supabase.from('compensation_ledger').insert({
			order_id: 'late-notice-compensated-1', reason: 'shipping_delay', policy_version: 'delay-v1-test', amount_cents: 2500, currency: 'USD', method: 'discountCode', status: 'completed', idempotency_key: 'cx-late-notice-compensated-1', created_at: fromAnchor(-1),
		}).throwOnError();
		const [notified, notNotified] = await notify({ source: 'items' }, [unshippedItem(), unshippedItem({ order_id: 'late-notice-escaped-1', name: '#LN-3', customer_email: undefined })]);
		expect(notified).toHaveLength(0);
		expect(byName(notNotified)['#LN-1']).toMatchObject({ outcome: 'no_notice', reasons: ['already_compensated'] });
		expect(byName(notNotified)['#LN-3']).toMatchObject({ outcome: 'no_notice', lateReasons: ['production_not_started_in_time', 'past_promise_undelivered'], reasons: expect.arrayContaining(['no_customer_email']) });
		expect(notNotified.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const { data: rows } = await supabase.from('late_notices').select('order_id').in('order_id', ITEM_ORDERS).throwOnError();
		expect(rows).toEqual([]);
		expect(await noticesFor('late-notice-compensated-1')).toHaveLength(0);
	});

	it('the notice is claimed before it is sent: after a gateway failure the next run sends it, once, with the customer\'s name escaped', async () => {
		const item = unshippedItem({ order_id: 'late-notice-gateway-1', name: '#LN-2', customer_first_name: 'Lee <script>' });
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 503, count: 4 }) });
		await expect(notify({ source: 'items' }, [item])).rejects.toThrow(/running-late notice failed: SendGrid did not send the email \(HTTP 503\)/);
		await standin('sendgrid', '/__standin/faults', { method: 'DELETE' });
		expect(await noticesFor('late-notice-gateway-1')).toHaveLength(0);
		const { data: released } = await supabase.from('late_notices').select('notify_claimed_at, sent_at').eq('order_id', 'late-notice-gateway-1').throwOnError();
		expect(released).toEqual([{ notify_claimed_at: null, sent_at: null }]);

		const [notified] = await notify({ source: 'items' }, [item]);
		expect(byName(notified)['#LN-2']).toMatchObject({ status: 'notified', messageId: expect.any(String) });
		const [again] = await notify({ source: 'items' }, [item]);
		expect(byName(again)['#LN-2']).toMatchObject({ status: 'already_notified' });
		const mails = await noticesFor('late-notice-gateway-1');
		expect(mails).toHaveLength(1);
		const html = mails[0].deliveries[0].content.find((block) => block.type === 'text/html')!.value;
		expect(html).toContain('Hi Lee &lt;script&gt;,');
		expect(html).not.toContain('<script>');
	});
});

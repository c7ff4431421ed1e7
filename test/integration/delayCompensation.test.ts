import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxDelayCompensation } from '../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { executeContext, setShopifyBucket, standin } from '../support/context';
import { dayFromAnchor, fromAnchor, standinsEnv } from '../support/standins';
import { moneyFromDecimal } from '../../nodes/shared/money';
import { ShopifyService } from '../../nodes/shared/services/shopify/client';
import { refundOrderAmount } from '../../nodes/shared/services/shopify/moneyBack';

interface Message { messageId: string; body: { custom_args?: Record<string, string>; asm?: { group_id: number } }; deliveries: Array<{ to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }> }> }

// a holiday years after the anchor changes nothing but the policy version
const holiday = dayFromAnchor(3650);
const anchor = fromAnchor(0);
/** The seeded store's orders processed in the 42-day lookback that the delay check reads (shopify-store.js). */
const SEEDED_LATE = ['#1013'];
/** The other orders processed in that lookback at the default store size (CX_SHOPIFY_CUSTOMERS 300, fixed seed): none late past the threshold. */
const NOT_ELIGIBLE_IN_LOOKBACK = 139;
const compensate = (parameters: IDataObject, items: IDataObject[] = [{}]) =>
	new CxDelayCompensation().execute.call(
		executeContext({
			items,
			parameters: { source: 'shopify', lookbackDays: 42, payoutMethod: 'discountCode', discountValidDays: 90, dryRun: false, notifyCustomer: true, unsubscribeGroupId: 777, ...parameters, options: { now: anchor, holidays: holiday, storeName: 'Example Store', ...(parameters.options as IDataObject) } },
		}),
	);
const byName = (output: INodeExecutionData[]) => Object.fromEntries(output.map((item) => [((item.json.order as IDataObject).name as string), item.json.compensation as IDataObject]));
const lateOrderItem = (change: IDataObject = {}): IDataObject => ({
	order_id: 'gid://shopify/Order/5013',
	name: '#1013',
	processed_at: fromAnchor(-41, '10:00'),
	total: 189.0,
	currency: 'USD',
	customer_id: '1007',
	customer_email: 'late.delivery@example-store.test',
	customer_first_name: 'Lars',
	// checkout promised delivery 32 days before the anchor; it arrived 10 days later
	checkout_promise_at: fromAnchor(-32, '12:00'),
	fulfillments: [{ estimated_delivery_at: fromAnchor(-32, '12:00'), delivered_at: fromAnchor(-22, '12:00'), events: [{ status: 'DELAYED', happened_at: fromAnchor(-31, '08:00') }] }],
	...change,
});

const ITEM_ORDERS = ['stripe-order-1', 'expired-code-order-1', 'apology-gateway-1', 'apology-unclear-1', 'store-credit-order-1', 'store-credit-order-drop', 'store-credit-order-502', 'gid://shopify/Order/5012', 'ledger-fault-1', 'ledger-fault-2'];

describe('CX Delay Compensation against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const mails = async (order: string) => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.custom_args?.cx_order === order);
	const allMails = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.custom_args?.cx_reason === 'shipping_delay');
	const codesMade = async () => (await standin<{ mutationLog: Array<{ mutation: string; userErrors?: unknown[] }> }>('shopify', '/__standin/state')).mutationLog.filter((entry) => entry.mutation === 'discountCodeBasicCreate' && !entry.userErrors?.length).length;
	/** Every order of the seeded store the 42-day delay check reads as eligible: the ledger rows of this suite. */
	let seededEligible: string[] = [];
	const forget = async () => {
		if (seededEligible.length) await supabase.from('compensation_ledger').delete().in('order_id', seededEligible);
		await supabase.from('compensation_ledger').delete().in('order_id', ITEM_ORDERS);
	};
	const ledgerRows = async () => (await supabase.from('compensation_ledger').select('order_id, status, policy_version').in('order_id', seededEligible).throwOnError()).data!;

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		const [compensated, needsApproval] = await compensate({ dryRun: true });
		seededEligible = [...compensated, ...needsApproval].map((item) => (item.json.order as IDataObject).id as string);
		await forget();
	});

	afterAll(async () => {
		await forget();
		// reading tracking events spends cost points: leave it full for the suites after this one
		await setShopifyBucket(2000);
	});

	it('a dry run decides with reasons and writes, pays and sends nothing', async () => {
		const [compensated, needsApproval, notEligible] = await compensate({ dryRun: true });
		expect(Object.keys(byName(compensated))).toEqual(SEEDED_LATE);
		expect(needsApproval).toHaveLength(0);
		const late = byName(compensated)['#1013'];
		// a $300-odd canvas, 10 days after the date checkout promised: the $250 band's $100 (more than the standard tier's $25)
		expect(late).toMatchObject({ outcome: 'compensate', daysLate: 10, promisedFrom: 'checkout_promise', promisedDeliveryDate: fromAnchor(-32), carrierEstimate: fromAnchor(-32), dryRun: true, amount: { cents: 10000, currency: 'USD' } });
		expect(late.reasons).toEqual(expect.arrayContaining(['late_10_days_over_7', 'order_value_band_250:100']));
		expect(late.deliveryIssues).toEqual([expect.objectContaining({ status: 'DELAYED' })]);
		// #1016 is 4 days past its checkout promise, #1015 (processed on a Saturday 15 days before) unshipped with its window ending at the anchor, the rest on time
		expect(byName(notEligible)['#1016']).toMatchObject({ promisedFrom: 'checkout_promise', daysLate: 4 });
		expect(byName(notEligible)['#1015']).toMatchObject({ promisedFrom: 'production_window', promisedDeliveryDate: fromAnchor(0), daysLate: 0 });
		expect(notEligible).toHaveLength(NOT_ELIGIBLE_IN_LOOKBACK);
		expect(await ledgerRows()).toEqual([]);
		expect(await allMails()).toHaveLength(0);
	});

	it('a store whose VIP line is $100 of lifetime spend compensates the late canvas buyer as VIP, read from Shopify as triage tiers them', async () => {
		const [defaults] = await compensate({ dryRun: true });
		expect(byName(defaults)['#1013']).toMatchObject({ perks: [], reasons: expect.arrayContaining(['tier_regular:25']) });
		const [vip] = await compensate({ dryRun: true, options: { now: anchor, holidays: holiday, vipLifetimeSpend: 100 } });
		expect(byName(vip)['#1013']).toMatchObject({ amount: { cents: 10000, currency: 'USD' }, perks: ['expedited_shipping_next_order'], reasons: expect.arrayContaining(['tier_vip:50', 'vip_perk:expedited_shipping_next_order']) });
		expect(await ledgerRows()).toEqual([]);
	});

	it('compensates each late order once with a single-use code for that customer, records it, and tells the customer', async () => {
		const [compensated] = await compensate({});
		const late = byName(compensated)['#1013'];
		expect(late).toMatchObject({ status: 'compensated', method: 'discountCode', discountCode: expect.stringMatching(/^SORRY-[0-9A-F]{10}$/) });
		const { data: rows } = await supabase.from('compensation_ledger').select('order_id, status, amount_cents, currency, payout_reference, customer_notified_at').eq('order_id', 'gid://shopify/Order/5013');
		expect(rows).toEqual([expect.objectContaining({ status: 'completed', amount_cents: 10000, currency: 'USD', payout_reference: expect.stringMatching(/^gid:\/\/shopify\/Discount/) })]);
		const [mail] = await mails('gid://shopify/Order/5013');
		expect(mail.deliveries[0].to).toEqual([{ email: 'late.delivery@example-store.test' }]);
		expect(mail.body.asm).toEqual({ group_id: 777 });
		expect(mail.deliveries[0].content.find((block) => block.type === 'text/plain')!.value).toContain(late.discountCode as string);

		// the code exists in the store, for that customer only, usable once
		const response = await fetch(env.shopify.adminUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'X-Shopify-Access-Token': env.shopify.accessToken },
			body: JSON.stringify({ query: `{ codeDiscountNodeByCode(code: "${late.discountCode as string}") { codeDiscount { ... on DiscountCodeBasic { usageLimit appliesOncePerCustomer context { ... on DiscountCustomers { customers { id } } } customerGets { value { ... on DiscountAmount { amount { amount currencyCode } } } } } } } }` }),
		});
		const { data } = (await response.json()) as { data: { codeDiscountNodeByCode: { codeDiscount: IDataObject } } };
		expect(data.codeDiscountNodeByCode.codeDiscount).toMatchObject({
			usageLimit: 1,
			appliesOncePerCustomer: true,
			context: { customers: [{ id: 'gid://shopify/Customer/1007' }] },
			customerGets: { value: { amount: { amount: expect.stringMatching(/^100(\.0+)?$/), currencyCode: 'USD' } } },
		});

		const [again] = await compensate({});
		expect(byName(again)['#1013']).toMatchObject({ status: 'already_compensated', alreadyCompensated: true });
		expect(await mails('gid://shopify/Order/5013')).toHaveLength(1);
		expect(await allMails()).toHaveLength(SEEDED_LATE.length);
		expect(await ledgerRows()).toEqual([expect.objectContaining({ order_id: 'gid://shopify/Order/5013', status: 'completed', policy_version: late.policyVersion })]);
	});

	it('after the store adds a holiday, sets its time zone and raises its amounts, an order compensated before gets no second code and no second apology', async () => {
		const codesBefore = await codesMade();
		const mailsBefore = (await allMails()).length;
		const [first] = await compensate({});
		const firstVersion = byName(first)['#1013'].policyVersion as string;
		expect(byName(first)['#1013']).toMatchObject({ status: 'already_compensated' });
		const changed = { now: anchor, holidays: `${holiday}, ${dayFromAnchor(3651)}`, timeZone: 'America/New_York', valueBands: '0:30, 250:150', storeName: 'Example Store' };
		const [again, held] = await compensate({ options: changed });
		const late = byName(again)['#1013'];
		expect(late.policyVersion).not.toBe(firstVersion);
		// what was paid, $100, not the $150 the new bands would give
		expect(late).toMatchObject({ status: 'already_compensated', alreadyCompensated: true, compensatedUnderPolicy: firstVersion, amount: { cents: 10000, currency: 'USD', formatted: '$100.00' } });
		expect(Object.keys(byName(again))).toEqual(SEEDED_LATE);
		expect(held).toHaveLength(0);
		expect(await codesMade()).toBe(codesBefore);
		expect(await allMails()).toHaveLength(mailsBefore);
		expect(await mails('gid://shopify/Order/5013')).toHaveLength(1);
		// one row for the order, still recording the policy it was paid under
		expect(await ledgerRows()).toEqual([expect.objectContaining({ order_id: 'gid://shopify/Order/5013', status: 'completed', policy_version: firstVersion })]);
	});

	it('pays a Stripe customer balance credit once per order, with the ledger key as idempotency key', async () => {
		const item = lateOrderItem({ order_id: 'stripe-order-1', name: '#S-1', customer_email: 'ava.morgan@example-store.test', customer_id: undefined });
		const before = await standin<{ objects: { customer: Array<{ email: string; balance: number }> } }>('stripe', '/__standin/state');
		const balanceBefore = before.objects.customer.find((customer) => customer.email === 'ava.morgan@example-store.test')!.balance;
		const [first] = await compensate({ source: 'items', payoutMethod: 'stripeBalance', notifyCustomer: false }, [item]);
		expect(byName(first)['#S-1']).toMatchObject({ status: 'compensated', payoutReference: expect.stringMatching(/^cbtxn_/) });
		const [second] = await compensate({ source: 'items', payoutMethod: 'stripeBalance', notifyCustomer: false }, [item]);
		expect(byName(second)['#S-1']).toMatchObject({ status: 'already_compensated' });
		const after = await standin<{ objects: { customer: Array<{ email: string; balance: number }> } }>('stripe', '/__standin/state');
		expect(after.objects.customer.find((customer) => customer.email === 'ava.morgan@example-store.test')!.balance).toBe(balanceBefore - 5000);
	});

	it('a ledger that will not take the payout claim: each order an error item naming it, nothing paid, and the next run pays each once', async () => {
		const items = [1, 2].map((n) => lateOrderItem({ order_id: `ledger-fault-${n}`, name: `#LF-${n}`, customer_email: 'leo.park@example-store.test', customer_id: undefined }));
		const run = (continueOnFail: boolean) =>
			new CxDelayCompensation().execute.call(
				executeContext({ items, continueOnFail, parameters: { source: 'items', payoutMethod: 'stripeBalance', dryRun: false, notifyCustomer: false, options: { now: anchor, holidays: holiday } } }),
			) as Promise<INodeExecutionData[][]>;
		const balance = async () => (await standin<{ objects: { customer: Array<{ email: string; balance: number }> } }>('stripe', '/__standin/state')).objects.customer.find((customer) => customer.email === 'leo.park@example-store.test')!.balance;
		const ledgerFaults = (init: RequestInit) => fetch(`${env.supabase.url}/__standin/random-faults`, init);
		const before = await balance();
		// every update of the ledger fails (503, nothing done) while its reads and inserts go through
		await ledgerFaults({ method: 'POST', body: JSON.stringify({ rate: 1, kinds: ['503-before'], paths: ['/rest/v1/compensation_ledger'], methods: ['PATCH'] }) });
		try {
			const [compensated, needsApproval, failures] = await run(true);
			expect([...compensated, ...needsApproval]).toEqual([]);
			expect(failures.map((item) => [item.pairedItem, item.json.error])).toEqual([
				[{ item: 0 }, expect.stringMatching(/^Item 0 \(order #LF-1\): .*compensation_ledger/)],
				[{ item: 1 }, expect.stringMatching(/^Item 1 \(order #LF-2\): .*compensation_ledger/)],
			]);
			// without Continue On Fail the run stops on the first order, with the same words
			await expect(run(false)).rejects.toThrow(/^Item 0 \(order #LF-1\): /);
		} finally {
			await ledgerFaults({ method: 'DELETE' });
		}
		expect(await balance()).toBe(before);
		const { data: waiting } = await supabase.from('compensation_ledger').select('order_id, status, attempts').in('order_id', ['ledger-fault-1', 'ledger-fault-2']).order('order_id');
		expect(waiting).toEqual([
			{ order_id: 'ledger-fault-1', status: 'pending', attempts: 0 },
			{ order_id: 'ledger-fault-2', status: 'pending', attempts: 0 },
		]);
		const [paid] = await run(false);
		expect(paid.map((item) => (item.json.compensation as IDataObject).status)).toEqual(['compensated', 'compensated']);
		expect(await balance()).toBe(before - 10000);
	});

	it('a Now too early for Shopify\'s clock makes no dead code: the order goes to a person with the reason, and a run as of today pays it once', async () => {
		const item = lateOrderItem({ order_id: 'expired-code-order-1', name: '#EX-1' });
		const creates = async () => (await standin<{ mutationLog: Array<{ mutation: string }> }>('shopify', '/__standin/state')).mutationLog.filter((entry) => entry.mutation === 'discountCodeBasicCreate').length;
		const createsBefore = await creates();
		// two days before the anchor, a code valid one day ends before the moment Shopify is at (the anchor or later)
		const [compensated, needsApproval] = await compensate({ source: 'items', discountValidDays: 1, options: { now: fromAnchor(-2) } }, [item]);
		expect(compensated).toHaveLength(0);
		const held = byName(needsApproval)['#EX-1'];
		expect(held).toMatchObject({ status: 'not_paid', reasons: expect.arrayContaining(['code_would_be_expired']) });
		expect(held.note).toMatch(new RegExp(`^The code would end ${fromAnchor(-1).replace(/\./g, '\\.')}, which is already past on Shopify's clock`));
		expect(await creates()).toBe(createsBefore);
		expect(await mails('expired-code-order-1')).toHaveLength(0);
		const { data: rows } = await supabase.from('compensation_ledger').select('status, payout_reference, last_error').eq('order_id', 'expired-code-order-1');
		expect(rows).toEqual([expect.objectContaining({ status: 'pending', payout_reference: null, last_error: expect.stringMatching(/already past on Shopify's clock/) })]);

		const [paid] = await compensate({ source: 'items' }, [item]);
		expect(byName(paid)['#EX-1']).toMatchObject({ status: 'compensated', discountCode: expect.stringMatching(/^SORRY-/) });
		expect(await creates()).toBe(createsBefore + 1);
		expect(await mails('expired-code-order-1')).toHaveLength(1);
	});

	it('the apology is claimed before it is sent: a gateway failure sends it on the next run, an unclear answer never again', async () => {
		const gateway = lateOrderItem({ order_id: 'apology-gateway-1', name: '#AP-1' });
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 503, count: 4 }) });
		await expect(compensate({ source: 'items' }, [gateway])).rejects.toThrow(/SendGrid did not send the email \(HTTP 503\)/);
		await standin('sendgrid', '/__standin/faults', { method: 'DELETE' });
		expect(await mails('apology-gateway-1')).toHaveLength(0);
		const [paid] = await compensate({ source: 'items' }, [gateway]);
		expect(byName(paid)['#AP-1']).toMatchObject({ status: 'compensated', messageId: expect.any(String) });
		expect(await mails('apology-gateway-1')).toHaveLength(1);

		const unclear = lateOrderItem({ order_id: 'apology-unclear-1', name: '#AP-2' });
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1 }) });
		await expect(compensate({ source: 'items' }, [unclear])).rejects.toThrow(/SendGrid did not send the email \(HTTP 500\)/);
		const [finished] = await compensate({ source: 'items' }, [unclear]);
		expect(byName(finished)['#AP-2']).toMatchObject({ status: 'compensated', reasons: expect.arrayContaining(['apology_unconfirmed']) });
		expect(await mails('apology-unclear-1')).toHaveLength(0);
		const { data: rows } = await supabase.from('compensation_ledger').select('status, customer_notified_at, notify_claimed_at').eq('order_id', 'apology-unclear-1');
		expect(rows).toEqual([expect.objectContaining({ status: 'completed', customer_notified_at: null, notify_claimed_at: expect.any(String) })]);
	});

	it('reads bad order items as errors naming the item and the field', async () => {
		await expect(compensate({ source: 'items' }, [lateOrderItem({ processed_at: 'soon' })])).rejects.toThrow('Item 0: Field "processed_at" is not a valid date');
		const [, , notEligible] = await new CxDelayCompensation().execute.call(
			executeContext({ items: [lateOrderItem({ total: 'x' })], parameters: { source: 'items', payoutMethod: 'discountCode', dryRun: true, notifyCustomer: false, options: { now: anchor } }, continueOnFail: true }),
		);
		expect(notEligible[0].json.error).toBe('Item 0: Field "total" is not a number: "x"');
	});
});

describe('the other payout methods, against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const other = dayFromAnchor(4015);
	const run = (payoutMethod: string, item: IDataObject) =>
		new CxDelayCompensation().execute.call(
			executeContext({ items: [item], parameters: { source: 'items', payoutMethod, dryRun: false, notifyCustomer: false, options: { now: anchor, holidays: other } } }),
		);
	afterAll(async () => {
		await supabase.from('compensation_ledger').delete().in('order_id', ITEM_ORDERS);
	});

	it('credits Shopify store credit once', async () => {
		const item = lateOrderItem({ order_id: 'store-credit-order-1', name: '#SC-1' });
		const [first] = await run('storeCredit', item);
		const result = byName(first)['#SC-1'];
		expect(result).toMatchObject({ status: 'compensated', method: 'storeCredit' });
		const [second] = await run('storeCredit', item);
		expect(byName(second)['#SC-1']).toMatchObject({ status: 'already_compensated' });
	});

	it.each([
		['the connection is cut before the answer (a lost response)', { when: 'drop' }, 'drop'],
		['Shopify answers 502 after making it', { when: 'after', status: 502 }, '502'],
	])('store credit takes no idempotency key: when %s, the credit is not sent again, and the next run hands it to a person', async (_, fault, name) => {
		const item = lateOrderItem({ order_id: `store-credit-order-${name}`, name: `#SC-${name}` });
		const credits = async () => (await standin<{ mutationLog: Array<{ mutation: string; userErrors?: unknown[] }> }>('shopify', '/__standin/state')).mutationLog.filter((entry) => entry.mutation === 'storeCreditAccountCredit' && !entry.userErrors?.length).length;
		const before = await credits();
		await standin('shopify', '/__standin/faults', { method: 'POST', body: JSON.stringify({ ...fault, match: 'storeCreditAccountCredit', count: 1 }) });
		const failure = await run('storeCredit', item).then(() => undefined, (error: unknown) => error as Error);
		await standin('shopify', '/__standin/faults', { method: 'DELETE' });
		expect(failure?.message).toMatch(new RegExp(`^Item 0 \\(order #SC-${name}\\): `));
		expect(await credits()).toBe(before + 1);
		const [, needsApproval] = await run('storeCredit', item);
		expect(needsApproval.map((entry) => (entry.json.compensation as IDataObject).reasons)).toEqual([expect.arrayContaining(['store_credit_outcome_unknown'])]);
		expect(await credits()).toBe(before + 1);
	});

	it('will not refund dollars on an order the customer paid in euros: the refund names the currency the customer paid in', async () => {
		const shopify = await ShopifyService.connect(executeContext());
		const before = (await standin<{ mutationLog: Array<{ mutation: string }> }>('shopify', '/__standin/state')).mutationLog.length;
		await expect(refundOrderAmount(shopify, 'gid://shopify/Order/5012', moneyFromDecimal('50.00', 'USD'), 'Delay compensation currency-check')).rejects.toThrow(
			/the refund is in USD but the customer paid in EUR: a refund is made in the currency the customer paid in/,
		);
		expect((await standin<{ mutationLog: Array<{ mutation: string }> }>('shopify', '/__standin/state')).mutationLog.length).toBe(before);
	});

	it('refunds part of an order the customer paid in euros once, in euros as Shopify requires, with the ledger key as Shopify\'s idempotency key', async () => {
		// an order of the sample store paid in EUR (0.92 per USD), given here as late: $189.00 of shop money, €173.88 paid
		const item = lateOrderItem({ order_id: 'gid://shopify/Order/5012', name: '#1012', customer_id: '1004', customer_email: 'regular.buyer@example-store.test', total: 173.88, currency: 'EUR', shop_total: 189, shop_currency: 'USD' });
		const env = standinsEnv();
		// the order's refunds as Shopify shows them: one for the compensation, whichever run made it
		const refunds = async () => {
			const response = await fetch(env.shopify.adminUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'X-Shopify-Access-Token': env.shopify.accessToken },
				body: JSON.stringify({ query: '{ order(id: "gid://shopify/Order/5012") { refunds { note totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } } } }' }),
			});
			const { data } = (await response.json()) as { data: { order: { refunds: Array<{ note: string | null; totalRefundedSet: IDataObject }> } } };
			return data.order.refunds.filter((refund) => refund.note?.startsWith('Delay compensation'));
		};
		const [first] = await run('partialRefund', item);
		const result = byName(first)['#1012'];
		// the $100-and-up band's $50, paid as €46.00 at the order's own rate
		expect(result).toMatchObject({ status: 'compensated', method: 'partialRefund', amount: { cents: 4600, currency: 'EUR' }, shopAmount: { cents: 5000, currency: 'USD' }, payoutReference: expect.stringMatching(/^gid:\/\/shopify\/Refund\//) });
		// €46.00 refunded in euros is $50.00 of the shop's money
		expect(await refunds()).toEqual([{ note: expect.stringMatching(/^Delay compensation cx-[0-9a-f]{32}$/), totalRefundedSet: { shopMoney: { amount: '50.0', currencyCode: 'USD' }, presentmentMoney: { amount: '46.0', currencyCode: 'EUR' } } }]);
		const { data: rows } = await supabase.from('compensation_ledger').select('amount_cents, currency, status').eq('order_id', 'gid://shopify/Order/5012');
		expect(rows).toEqual([{ amount_cents: 4600, currency: 'EUR', status: 'completed' }]);
		const [second] = await run('partialRefund', item);
		expect(byName(second)['#1012']).toMatchObject({ status: 'already_compensated', payoutReference: result.payoutReference });
		expect(await refunds()).toHaveLength(1);
	});
});

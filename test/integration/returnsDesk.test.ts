/**
 * CX Returns Desk against the stand-ins: the sample store's six requested returns (shopify-returns.js seedRequests)
 * decided by the default policy as of the store's anchor, carried out in Shopify once, recorded in return_decisions
 * before anything happens, told once by email; then processed on receipt once, and a ticket's return opened once.
 */
import '@shopify/shopify-api/adapters/node';
import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxReturnsDesk } from '../../nodes/CxReturnsDesk/CxReturnsDesk.node';
import { executeContext, resetStandins, standin } from '../support/context';
import { shopifyGraphqlClient } from '../support/shopify';
import { fromAnchor, standinsEnv } from '../support/standins';

interface Message { body: { custom_args?: Record<string, string>; categories?: string[] }; deliveries: Array<{ to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }> }> }

const anchor = fromAnchor(0);
const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;
/** The seeded requests (shopify-returns.js seedRequests), by order. */
const RETURNS = {
	'#1014': gid('Return', 94001), // COLOR, within 30 days, another frame colour in stock
	'#1013': gid('Return', 94002), // DEFECTIVE made-to-order canvas
	'#1009': gid('Return', 94003), // SIZE_TOO_SMALL, past the 30-day window
	'#1012': gid('Return', 94004), // WRONG_ITEM shipped to Berlin, past 30 days
	'#1905': gid('Return', 94005), // final-sale giclee shipped to Lyon, within the EU's 14 days
	'#1923': gid('Return', 94006), // UNWANTED, one of two prints
};
const STAFF = 'returns@example-store.test';

const decide = (parameters: IDataObject = {}, items: IDataObject[] = [{}], continueOnFail = false) =>
	new CxReturnsDesk().execute.call(
		executeContext({
			items,
			continueOnFail,
			parameters: { operation: 'decide', source: 'shopify', dryRun: false, notifyCustomer: true, staffEmail: STAFF, ...parameters, options: { now: anchor, storeName: 'Example Store', ...(parameters.options as IDataObject) } },
		}),
	);
const processReturns = (items: IDataObject[], parameters: IDataObject = {}, continueOnFail = false) =>
	new CxReturnsDesk().execute.call(
		executeContext({ items, continueOnFail, parameters: { operation: 'process', dryRun: false, notifyCustomer: true, ...parameters, options: { now: anchor, storeName: 'Example Store' } } }),
	);
const byOrder = (output: INodeExecutionData[], key = 'returnDecision') => Object.fromEntries(output.map((item) => [(item.json.order as IDataObject).name as string, item.json[key] as IDataObject]));
const orders = (output: INodeExecutionData[]) => output.map((item) => (item.json.order as IDataObject).name as string).sort();

describe('CX Returns Desk against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const shopify = shopifyGraphqlClient();
	const query = async <T = any>(document: string, variables?: Record<string, unknown>) => (await shopify.request<T>(document, { variables })).data as T;
	const returnState = async (id: string) => (await query<{ return: { status: string; decline: { reason: string; note: string } | null } }>('query($id: ID!) { return(id: $id) { status decline { reason note } } }', { id })).return;
	const mail = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-returns'));
	const rows = async (step: string) => (await supabase.from('return_decisions').select('*').eq('step', step).order('return_key').throwOnError()).data ?? [];

	beforeAll(async () => {
		await resetStandins();
	});

	it('a dry run decides the six requests by the default policy and changes nothing', async () => {
		const [approved, declined, review] = await decide({ dryRun: true });
		expect(orders(approved)).toEqual(['#1013', '#1014', '#1905', '#1923']);
		expect(orders(declined)).toEqual(['#1009']);
		expect(orders(review)).toEqual(['#1012']);
		const decided = { ...byOrder(approved), ...byOrder(declined), ...byOrder(review) };
		// size, colour or style with a variant in stock: the exchange first
		expect(decided['#1014']).toMatchObject({ status: 'dry_run', fault: 'customer', offers: ['exchange', 'store_credit', 'refund'], resolution: 'exchange', lines: [{ exchangeVariant: { id: gid('ProductVariant', 8108) } }] });
		// a made-to-order canvas comes back when it is defective; its replacement is out of stock
		expect(decided['#1013']).toMatchObject({ fault: 'store', offers: ['store_credit', 'refund'], resolution: 'store_credit', amountDue: { cents: 29_150 }, bonus: { cents: 2_650 }, reasons: ['within_window', 'made_to_order', 'store_fault', 'exchange_out_of_stock'] });
		// a final-sale item shipped to the EU, within 14 days of delivery: returnable by the EU floor
		expect(decided['#1905']).toMatchObject({ fault: 'customer', window: { euFloor: true }, lines: [{ finalSale: true }], resolution: 'store_credit', amountDue: { cents: 46_200 } });
		expect(decided['#1923']).toMatchObject({ resolution: 'store_credit', returnedValue: { cents: 3_800 }, amountDue: { cents: 4_180 } });
		expect(decided['#1009']).toMatchObject({ declineReason: 'RETURN_PERIOD_ENDED', declineNote: expect.stringMatching(/^The return window for order #1009 ended on .+, so we can't accept this return\.$/), offers: [] });
		// a wrong item reported after the window: a legal guarantee may apply, so a person decides
		expect(decided['#1012']).toMatchObject({ reviewReasons: ['fault_claim_after_window'] });
		for (const id of Object.values(RETURNS)) expect((await returnState(id)).status).toBe('REQUESTED');
		expect(await rows('decide')).toEqual([]);
		expect(await mail()).toEqual([]);
	});

	it('approves and declines in Shopify once, records every decision first, and tells each customer and the staff once', async () => {
		const [approved, declined, review] = await decide();
		expect(orders(approved)).toEqual(['#1013', '#1014', '#1905', '#1923']);
		expect(byOrder(approved)['#1014']).toMatchObject({ status: 'approved', customerEmail: { status: 'sent' } });
		// decided by this run: not reported as decided earlier
		for (const item of [...approved, ...declined, ...review]) expect((item.json.returnDecision as IDataObject).alreadyDecided).toBeUndefined();
		expect(byOrder(declined)['#1009']).toMatchObject({ status: 'declined', customerEmail: { status: 'sent' } });
		expect(byOrder(review)['#1012']).toMatchObject({ status: 'needs_review', customerEmail: { status: 'sent' }, staffEmail: { status: 'sent' } });
		for (const order of ['#1013', '#1014', '#1905', '#1923']) expect((await returnState(RETURNS[order as keyof typeof RETURNS])).status).toBe('OPEN');
		expect(await returnState(RETURNS['#1009'])).toEqual({ status: 'DECLINED', decline: { reason: 'RETURN_PERIOD_ENDED', note: byOrder(declined)['#1009'].declineNote } });
		// a person's to answer: still waiting in Shopify
		expect((await returnState(RETURNS['#1012'])).status).toBe('REQUESTED');

		const decided = await rows('decide');
		expect(decided.map((row) => [row.return_key, row.outcome, row.status])).toEqual(
			[
				[RETURNS['#1014'], 'approve', 'done'],
				[RETURNS['#1013'], 'approve', 'done'],
				[RETURNS['#1009'], 'decline', 'done'],
				[RETURNS['#1012'], 'review', 'needs_review'],
				[RETURNS['#1905'], 'approve', 'done'],
				[RETURNS['#1923'], 'approve', 'done'],
			].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
		);
		expect(decided.find((row) => row.return_key === RETURNS['#1014'])).toMatchObject({ resolution: 'exchange', return_reasons: ['COLOR'], fault: 'customer', currency: 'USD', returned_cents: 18_900, customer_email_status: 'sent', staff_email_status: null });

		const sent = await mail();
		expect(sent).toHaveLength(7);
		const staff = sent.filter((message) => message.body.custom_args?.cx_email === 'staff');
		expect(staff.map((message) => [message.deliveries[0].to[0].email, message.deliveries[0].subject])).toEqual([[STAFF, 'Return to review: #1012']]);
		const subjects = sent.filter((message) => message.body.custom_args?.cx_email === 'customer').map((message) => message.deliveries[0].subject).sort();
		expect(subjects).toEqual([
			'Your return for order #1013 is approved',
			'Your return for order #1014 is approved',
			'Your return for order #1905 is approved',
			'Your return for order #1923 is approved',
			'Your return request for order #1009',
			'We are looking at your return for order #1012',
		].sort());
		const exchange = sent.find((message) => message.body.custom_args?.cx_return === RETURNS['#1014'])!;
		expect(exchange.deliveries[0].content.find((part) => part.type === 'text/plain')!.value).toContain('Once it arrives, we send you the Coastal Lines / Black frame instead, at no cost.');
	});

	it('three reruns, of every request by id, approve, decline and email nothing again', async () => {
		const items = Object.values(RETURNS).map((id) => ({ return_id: id }));
		for (let rerun = 0; rerun < 3; rerun += 1) {
			const [approved, declined, review] = await decide({ source: 'shopifyReturns' }, items);
			expect([orders(approved), orders(declined), orders(review)]).toEqual([['#1013', '#1014', '#1905', '#1923'], ['#1009'], ['#1012']]);
			for (const item of [...approved, ...declined, ...review]) expect(item.json.returnDecision).toMatchObject({ alreadyDecided: true, customerEmail: { status: 'already_sent' } });
		}
		expect(await mail()).toHaveLength(7);
		expect(await rows('decide')).toHaveLength(6);
	});

	it('processes a received return once: store credit with its bonus, restocked, closed; a second run pays nothing', async () => {
		const balance = async () => {
			const { order } = await query<{ order: { customer: { storeCreditAccounts: { nodes: Array<{ balance: { amount: string } }> } } } }>('query($id: ID!) { order(id: $id) { customer { storeCreditAccounts(first: 5) { nodes { balance { amount } } } } } }', { id: gid('Order', 5923) });
			return order.customer.storeCreditAccounts.nodes.reduce((sum, account) => sum + Math.round(Number(account.balance.amount) * 100), 0);
		};
		const before = await balance();
		const [processed, review] = await processReturns([{ return_id: RETURNS['#1923'] }]);
		expect(review).toEqual([]);
		expect(processed[0].json.returnProcessing).toMatchObject({ status: 'processed', resolution: 'store_credit', storeCredit: { cents: 3_800 }, creditBonus: { cents: 380 }, lines: [{ quantity: 1, disposition: 'RESTOCKED' }], bonus: { status: 'credited' }, customerEmail: { status: 'sent' } });
		expect(await balance()).toBe(before + 4_180);
		expect((await returnState(RETURNS['#1923'])).status).toBe('CLOSED');
		for (let rerun = 0; rerun < 3; rerun += 1) {
			const [again] = await processReturns([{ return_id: RETURNS['#1923'] }]);
			expect(again[0].json.returnProcessing).toMatchObject({ status: 'processed', alreadyProcessed: true, bonus: { status: 'already_credited' }, customerEmail: { status: 'already_sent' } });
		}
		expect(await balance()).toBe(before + 4_180);
		expect((await mail()).filter((message) => message.body.custom_args?.cx_email === 'processed')).toHaveLength(1);
		expect(await rows('process')).toHaveLength(1);
	});

	it('refunds a defective item to the card when the customer takes the refund, and keeps it off the shelf', async () => {
		const [processed] = await processReturns([{ return_id: RETURNS['#1013'], resolution: 'refund' }]);
		expect(processed[0].json.returnProcessing).toMatchObject({ status: 'processed', resolution: 'refund', refunded: { cents: 26_500 }, lines: [{ disposition: 'NOT_RESTOCKED' }] });
		expect((await returnState(RETURNS['#1013'])).status).toBe('CLOSED');
		const { order } = await query<{ order: { totalRefundedSet: { shopMoney: { amount: string } } } }>('query($id: ID!) { order(id: $id) { totalRefundedSet { shopMoney { amount } } } }', { id: gid('Order', 5013) });
		expect(order.totalRefundedSet.shopMoney.amount).toBe('265.0');
	});

	it('sends an exchange offered without its item on the return, a choice not offered and a bad item to a person', async () => {
		const [processed, review] = await processReturns(
			[{ return_id: RETURNS['#1014'] }, { return_id: RETURNS['#1905'], resolution: 'exchange' }, { return_id: 'order 5' }, { return_id: RETURNS['#1009'] }],
			{},
			true,
		);
		expect(processed).toEqual([]);
		// the item that names no return fails as it is read, before the others are decided
		expect(review.map((item) => (item.json.returnProcessing as IDataObject | undefined)?.reason ?? item.json.error)).toEqual([
			'Item 2: Field "return_id" is "order 5", not a Shopify return ID',
			'exchange_not_on_return',
			'resolution_not_offered',
			'return_declined',
		]);
		expect(review.map((item) => item.pairedItem)).toEqual([{ item: 2 }, { item: 0 }, { item: 1 }, { item: 3 }]);
		expect((await returnState(RETURNS['#1014'])).status).toBe('OPEN');
	});

	it('opens a ticket\'s return in Shopify once, requests one for a person, and leaves a ticket from someone else or about something else to a person', async () => {
		type OrderReturns = { order: { customer: { email: string }; returns: { nodes: Array<{ id: string; status: string; returnLineItems: { nodes: Array<{ quantity: number; returnReason: string }> }; exchangeLineItems: { nodes: Array<{ quantity: number; variantId: string }> } }> } } };
		const orderOf = async (id: number) =>
			(await query<OrderReturns>('query($id: ID!) { order(id: $id) { customer { email } returns(first: 10) { nodes { id status returnLineItems(first: 5) { nodes { quantity returnReason } } exchangeLineItems(first: 5) { nodes { quantity variantId } } } } } }', { id: gid('Order', id) })).order;
		// #1926: one A4 print delivered the day before the anchor, never returned; #1923: one of its two prints came back already
		const [fresh, again] = [await orderOf(5926), await orderOf(5923)];
		const ticket = (id: string, order: string, email: string, intent = 'refund_request') => ({
			ticket: { id, subject: 'Damaged print', body: 'The print arrived torn at the corner. Can you help?', order_id: order, customer_email: email, created_at: fromAnchor(0, '00:00') },
			triage: { intent, secondaryIntent: null },
		});
		const items = [
			ticket('T-RET-1', '#1926', fresh.customer.email),
			ticket('T-RET-2', '#1926', 'someone.else@example.test'),
			ticket('T-RET-3', '#1926', fresh.customer.email, 'shipping_status'),
			ticket('T-RET-4', '#1923', again.customer.email),
		];
		const [approved, declined, review] = await decide({ source: 'tickets' }, items, true);
		expect(declined).toEqual([]);
		expect(approved.map((item) => item.json.return)).toEqual([{ id: expect.stringMatching(/^gid:\/\/shopify\/Return\/\d+$/), name: '#1926-R1', status: 'REQUESTED', requestedAt: fromAnchor(0, '00:00'), ticketId: 'T-RET-1' }]);
		// torn on arrival: the store's fault, a replacement of the same print first (in stock), no fees, shipping refunded
		expect(approved[0].json.returnDecision).toMatchObject({ status: 'approved', fault: 'store', offers: ['exchange', 'store_credit', 'refund'], resolution: 'exchange', restockingFee: { cents: 0 }, customerEmail: { status: 'sent' } });
		expect(review.map((item) => item.json.error ?? (item.json.returnDecision as IDataObject).reviewReasons)).toEqual([
			'Item 2: Ticket T-RET-3: its intent is "shipping_status", not a return, an exchange or a refund',
			'Item 1: ticket T-RET-2: the ticket comes from someone.else@example.test, not from the customer of order #1926',
			['second_return_on_order'],
		]);
		const opened = (await orderOf(5926)).returns.nodes;
		expect(opened).toEqual([{ id: (approved[0].json.return as IDataObject).id, status: 'OPEN', returnLineItems: { nodes: [{ quantity: 1, returnReason: 'DEFECTIVE' }] }, exchangeLineItems: { nodes: [{ quantity: 1, variantId: gid('ProductVariant', 8101) }] } }]);
		// the second return on #1923 waits in Shopify for a person
		const requested = (await orderOf(5923)).returns.nodes.filter((entry) => !again.returns.nodes.some((known) => known.id === entry.id));
		expect(requested.map((entry) => [entry.status, entry.returnLineItems.nodes])).toEqual([['REQUESTED', [{ quantity: 1, returnReason: 'DEFECTIVE' }]]]);
		expect((await rows('decide')).filter((row) => String(row.return_key).startsWith('ticket:')).map((row) => [row.return_key, row.outcome, row.status, row.return_id])).toEqual([
			['ticket:T-RET-1', 'approve', 'done', opened[0].id],
			['ticket:T-RET-4', 'review', 'needs_review', requested[0].id],
		]);

		// the same tickets again (a helpdesk resends): the first decisions stand, no second return, no second email
		const [approvedAgain, , reviewAgain] = await decide({ source: 'tickets' }, [items[0], items[3]]);
		expect(approvedAgain[0].json.returnDecision).toMatchObject({ alreadyDecided: true, customerEmail: { status: 'already_sent' } });
		expect(approvedAgain[0].json.return).toMatchObject({ id: opened[0].id });
		expect(reviewAgain[0].json.returnDecision).toMatchObject({ alreadyDecided: true, staffEmail: { status: 'already_sent' } });
		expect((await orderOf(5926)).returns.nodes).toHaveLength(1);
		expect((await orderOf(5923)).returns.nodes).toHaveLength(again.returns.nodes.length + 1);
		expect((await mail()).filter((message) => String(message.body.custom_args?.cx_return).startsWith('ticket:')).map((message) => message.body.custom_args?.cx_return).sort()).toEqual(['ticket:T-RET-1', 'ticket:T-RET-4', 'ticket:T-RET-4']);
	});

	it('processes a ticket\'s exchange by the decision its ticket recorded: the replacement goes out, the torn print stays off the shelf', async () => {
		const [row] = (await rows('decide')).filter((entry) => entry.return_key === 'ticket:T-RET-1');
		const [processed, review] = await processReturns([{ return_id: row.return_id }]);
		expect(review).toEqual([]);
		expect(processed[0].json.returnProcessing).toMatchObject({ status: 'processed', resolution: 'exchange', exchangeLineItems: [{ quantity: 1 }], lines: [{ quantity: 1, disposition: 'NOT_RESTOCKED' }], customerEmail: { status: 'sent' } });
		expect((await returnState(String(row.return_id))).status).toBe('CLOSED');
		const [again] = await processReturns([{ return_id: row.return_id }]);
		expect(again[0].json.returnProcessing).toMatchObject({ alreadyProcessed: true, customerEmail: { status: 'already_sent' } });
	});

	it('reports a return someone answered in Shopify, never decided here, to a person and changes nothing', async () => {
		// #1924: one A4 print delivered two days before the anchor; a return requested and approved in Shopify's admin
		const { order } = await query<{ order: { fulfillments: Array<{ fulfillmentLineItems: { nodes: Array<{ id: string }> } }> } }>('query($id: ID!) { order(id: $id) { fulfillments { fulfillmentLineItems(first: 5) { nodes { id } } } } }', { id: gid('Order', 5924) });
		const requested = await query<{ returnRequest: { return: { id: string } } }>(
			'mutation($input: ReturnRequestInput!) { returnRequest(input: $input) { return { id } userErrors { message } } }',
			{ input: { orderId: gid('Order', 5924), returnLineItems: [{ fulfillmentLineItemId: order.fulfillments[0].fulfillmentLineItems.nodes[0].id, quantity: 1, returnReason: 'UNWANTED' }] } },
		);
		const id = requested.returnRequest.return.id;
		await query('mutation($input: ReturnApproveRequestInput!) { returnApproveRequest(input: $input) { return { id } userErrors { message } } }', { input: { id } });
		const before = (await mail()).length;
		const [approved, declined, review] = await decide({ source: 'shopifyReturns' }, [{ return_id: id }]);
		expect([approved, declined]).toEqual([[], []]);
		expect(review[0].json.returnDecision).toMatchObject({ status: 'not_requested' });
		expect((await returnState(id)).status).toBe('OPEN');
		expect((await mail()).length).toBe(before);
		expect((await rows('decide')).some((row) => row.return_key === id)).toBe(false);
	});
});

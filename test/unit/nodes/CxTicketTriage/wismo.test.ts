import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { fakeContext } from '../../../support/fakeContext';
import { CxTicketTriage } from '../../../../nodes/CxTicketTriage/CxTicketTriage.node';
import type { TrackedOrder } from '../../../../nodes/shared/contract/orderStatus';
import type { ShopifyService } from '../../../../nodes/shared/services/shopify/client';
import { asksOrderStatus, httpsLink, identifyOrder, orderNumbersIn, orderStatusAnswer, type Asker } from '../../../../nodes/CxTicketTriage/wismo';
import { renderWismoEmail, wismoSubject } from '../../../../nodes/CxTicketTriage/wismoEmail';
import { answerOrderStatus } from '../../../../nodes/CxTicketTriage/wismoRun';
import { moneyFromDecimal } from '../../../../nodes/shared/money';

const POLICY = { productionBusinessDays: 7, transitDays: 5, calendar: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], holidays: [] } };
const NOW = new Date('2026-11-20T10:00:00Z');

/** An order in transit with FedEx, promised at checkout for `promise`. */
const order = (overrides: Partial<TrackedOrder> = {}): TrackedOrder => ({
	orderId: 'gid://shopify/Order/5016',
	name: '#1016',
	processedAt: '2026-11-05T09:00:00Z',
	cancelledAt: null,
	total: moneyFromDecimal('228', 'USD'),
	checkoutPromiseAt: '2026-11-22T00:00:00Z',
	tier: 'regular',
	displayFulfillmentStatus: 'FULFILLED',
	customerId: 'gid://shopify/Customer/1008',
	email: 'in.transit@example-store.test',
	fulfillments: [
		{
			createdAt: '2026-11-12T00:00:00Z',
			inTransitAt: '2026-11-12T12:00:00Z',
			estimatedDeliveryAt: '2026-11-21T00:00:00Z',
			deliveredAt: null,
			displayStatus: 'IN_TRANSIT',
			events: [{ status: 'IN_TRANSIT', happenedAt: '2026-11-12T12:00:00Z' }],
			tracking: [{ company: 'FedEx', number: '770000000042', url: 'https://www.fedex.com/fedextrack/?trknbr=770000000042' }],
		},
	],
	...overrides,
});
const delivered = order({
	orderId: 'gid://shopify/Order/5014',
	name: '#1014',
	displayFulfillmentStatus: 'FULFILLED',
	fulfillments: [{ ...order().fulfillments[0], deliveredAt: '2026-11-10T14:00:00Z', displayStatus: 'DELIVERED' }],
});
const asker = (overrides: Partial<Asker> = {}): Asker => ({ text: 'Where is my order?', email: 'in.transit@example-store.test', customerIds: ['gid://shopify/Customer/1008'], ...overrides });
const lookupOf = (...orders: TrackedOrder[]) => (reference: string) =>
	orders.find((one) => one.name === reference || one.name === `#${reference}` || one.orderId === reference || one.orderId === `gid://shopify/Order/${reference}`);

describe('which order a "where is my order" ticket means', () => {
	it('asks for order status on shipping status and shipping delay tickets only', () => {
		expect(asksOrderStatus('shipping_status')).toBe(true);
		expect(asksOrderStatus('shipping_delay')).toBe(true);
		expect(asksOrderStatus('damaged')).toBe(false);
		expect(asksOrderStatus('general')).toBe(false);
	});

	it('reads the order numbers customers write, and not quantities or prices', () => {
		expect(orderNumbersIn('Where is my order #1013?')).toEqual(['#1013']);
		expect(orderNumbersIn('order number: 1016, and order no. 1016 again')).toEqual(['#1016']);
		expect(orderNumbersIn('Order 1013 and # 1014')).toEqual(['#1013', '#1014']);
		expect(orderNumbersIn('I ordered 2 prints for $120 on Nov 3')).toEqual([]);
		expect(orderNumbersIn('About ticket #4521: where is order #1013?')).toEqual(['#1013']);
	});

	it('"Where is my order #1016?" from the customer who placed it: found by its number', () => {
		const result = identifyOrder(asker({ text: 'Where is my order #1016?' }), lookupOf(order()), undefined);
		expect(result).toEqual({ found: true, order: order(), by: 'order_number' });
	});

	it('a guest checkout is the customer\'s by the email on the order', () => {
		const guest = order({ customerId: undefined });
		const result = identifyOrder(asker({ text: 'Where is #1016', customerIds: [], email: 'IN.TRANSIT@example-store.test' }), lookupOf(guest), undefined);
		expect(result).toMatchObject({ found: true, by: 'order_number' });
	});

	it('"Where is my order?" without a number: the customer\'s one open order, not the delivered one', () => {
		const result = identifyOrder(asker(), lookupOf(), [order(), delivered]);
		expect(result).toEqual({ found: true, order: order(), by: 'latest_open_order' });
	});

	it('a number that is another customer\'s order goes to a person, with no answer about it', () => {
		const result = identifyOrder(asker({ text: 'Where is my order #1016?', email: 'someone.else@example-store.test', customerIds: ['1004'] }), lookupOf(order()), undefined);
		expect(result).toEqual({ found: false, reason: 'order_not_this_customers', candidates: ['#1016'] });
	});

	it.each([
		['a number Shopify does not know', asker({ text: 'Where is order #9999?' }), [order()], 'order_not_found', ['#9999']],
		['two different orders named', asker({ text: 'Where are #1016 and #1014?' }), [order(), delivered], 'several_orders_named', ['#1016', '#1014']],
		['the field and the text name different orders', asker({ orderId: '1014', text: 'Where is #1016?' }), [order(), delivered], 'several_orders_named', ['#1014', '#1016']],
	])('%s goes to a person', (_case, who, orders, reason, candidates) => {
		expect(identifyOrder(who, lookupOf(...orders), undefined)).toEqual({ found: false, reason, candidates });
	});

	it('the same order in the field and in the text is one order', () => {
		expect(identifyOrder(asker({ orderId: '1016', text: 'Where is #1016?' }), lookupOf(order()), undefined)).toMatchObject({ found: true, by: 'order_number' });
	});

	it.each([
		['every order delivered', [delivered], 'no_open_order', []],
		['two orders still open', [order(), order({ orderId: 'gid://shopify/Order/5020', name: '#1020' })], 'several_open_orders', ['#1016', '#1020']],
		['an open order that is cancelled', [order({ cancelledAt: '2026-11-06T00:00:00Z' })], 'no_open_order', []],
	])('no number and %s: a person answers', (_case, recent, reason, candidates) => {
		expect(identifyOrder(asker(), lookupOf(), recent)).toEqual({ found: false, reason, candidates });
	});

	it('no number and a customer Shopify does not know: a person answers', () => {
		expect(identifyOrder(asker({ customerIds: [] }), lookupOf(), undefined)).toEqual({ found: false, reason: 'customer_not_identified', candidates: [] });
	});
});

describe('what the customer is told of the order', () => {
	it('in transit before the promised date: carrier, tracking, estimate, and no apology', () => {
		const answer = orderStatusAnswer(order(), POLICY, NOW);
		expect(answer).toEqual({
			orderId: 'gid://shopify/Order/5016',
			orderName: '#1016',
			state: 'on_its_way',
			fulfillmentStatus: 'FULFILLED',
			deliveryStatus: 'IN_TRANSIT',
			carrier: 'FedEx',
			trackingNumber: '770000000042',
			trackingUrl: 'https://www.fedex.com/fedextrack/?trknbr=770000000042',
			estimatedDeliveryAt: '2026-11-21T00:00:00.000Z',
			promisedDeliveryDate: '2026-11-22T00:00:00.000Z',
			promisedFrom: 'checkout_promise',
			daysLate: 0,
			late: false,
			reasons: ['order_on_its_way', 'promise_checkout_promise:2026-11-22', 'not_late:no_apology'],
		});
		const email = renderWismoEmail({ ticketId: 'T-7', firstName: 'Ines', answer }, { storeName: 'Example Store' });
		expect(email.subject).toBe('Your order #1016 is on its way [ticket T-7]');
		expect(email.text).not.toContain('sorry');
	});

	it('three days past the date checkout promised and still travelling: the email apologises', () => {
		const answer = orderStatusAnswer(order({ checkoutPromiseAt: '2026-11-17T00:00:00Z' }), POLICY, NOW);
		expect(answer).toMatchObject({ late: true, daysLate: 3, promisedFrom: 'checkout_promise' });
		const email = renderWismoEmail({ ticketId: 'T-8', answer }, { timeZone: 'UTC' });
		expect(email.text).toContain('We are sorry: your order is 3 days past the delivery date we promised (Nov 17, 2026).');
		expect(email.html).toContain('<strong>We are sorry: your order is 3 days past the delivery date we promised (Nov 17, 2026).</strong>');
	});

	it('a carrier estimate after the promise is information: lateness counts from the promise, not the estimate', () => {
		const late = order({ checkoutPromiseAt: '2026-11-18T00:00:00Z' });
		late.fulfillments[0] = { ...late.fulfillments[0], estimatedDeliveryAt: '2026-11-25T00:00:00Z' };
		expect(orderStatusAnswer(late, POLICY, NOW)).toMatchObject({ late: true, daysLate: 2, estimatedDeliveryAt: '2026-11-25T00:00:00.000Z', promisedDeliveryDate: '2026-11-18T00:00:00.000Z' });
	});

	it('no date at checkout: the store\'s window (7 business days + 5 days) is the promise', () => {
		const made = order({ checkoutPromiseAt: null, processedAt: '2026-11-02T09:00:00Z', displayFulfillmentStatus: 'UNFULFILLED', fulfillments: [] });
		const answer = orderStatusAnswer(made, POLICY, NOW);
		// Mon Nov 2 + 7 business days = Wed Nov 11; + 5 days = Mon Nov 16: four whole days late on Nov 20, 10:00
		expect(answer).toMatchObject({ state: 'being_prepared', promisedFrom: 'production_window', promisedDeliveryDate: '2026-11-16T09:00:00.000Z', daysLate: 4, late: true });
		expect(answer.carrier).toBeUndefined();
		expect(wismoSubject({ ticketId: 'T-9', answer })).toBe('Your order #1016 is being prepared [ticket T-9]');
	});

	it('delivered after the promised date: it says when it arrived and apologises for the days late', () => {
		const answer = orderStatusAnswer(delivered, { ...POLICY }, NOW);
		expect(answer).toMatchObject({ state: 'delivered', deliveredAt: '2026-11-10T14:00:00.000Z', late: false, daysLate: 0 });
		const arrivedLate = orderStatusAnswer({ ...delivered, checkoutPromiseAt: '2026-11-07T00:00:00Z' }, POLICY, NOW);
		expect(arrivedLate).toMatchObject({ late: true, daysLate: 3 });
		expect(renderWismoEmail({ ticketId: 'T-10', answer: arrivedLate }).text).toContain('We are sorry: your order arrived 3 days after the delivery date we promised (Nov 7, 2026).');
	});

	it('an order handed over without Shopify\'s display status or tracking is still told, from its parcels', () => {
		const bare = order({ displayFulfillmentStatus: undefined });
		bare.fulfillments[0] = { ...bare.fulfillments[0], tracking: undefined };
		expect(orderStatusAnswer(bare, POLICY, NOW)).toMatchObject({ state: 'on_its_way', fulfillmentStatus: 'FULFILLED', late: false });
		expect(orderStatusAnswer(bare, POLICY, NOW).carrier).toBeUndefined();
	});

	it('a tracking link that is not https is left out; the number is still given', () => {
		const plain = order();
		plain.fulfillments[0] = { ...plain.fulfillments[0], tracking: [{ company: 'Local Courier', number: 'LC-1', url: 'http://courier.example/track?n=LC-1' }] };
		const answer = orderStatusAnswer(plain, POLICY, NOW);
		expect(answer.trackingUrl).toBeUndefined();
		expect(answer.trackingNumber).toBe('LC-1');
		expect(answer.reasons).toContain('tracking_link_left_out:not_https');
		expect(renderWismoEmail({ ticketId: 'T-11', answer }).html).not.toContain('href="http://');
		expect(httpsLink('javascript:alert(1)')).toBeUndefined();
	});

	it('customer and Shopify text is escaped in the HTML', () => {
		const answer = orderStatusAnswer(order({ name: '#1016<b>' }), POLICY, NOW);
		const email = renderWismoEmail({ ticketId: '<script>x</script>', firstName: '"Ines" & co', answer }, { storeName: 'A&B Prints' });
		expect(email.html).not.toContain('<script>');
		expect(email.html).toContain('&lt;script&gt;x&lt;/script&gt;');
		expect(email.html).toContain('Hi &quot;Ines&quot; &amp; co,');
		expect(email.html).toContain('A&amp;B Prints');
		expect(email.html).toContain('<a href="https://www.fedex.com/fedextrack/?trknbr=770000000042">Track your parcel</a>');
	});
});

describe('draft mode', () => {
	it('drafts the answer for an agent and emails nobody', async () => {
		const node = {
			id: 'gid://shopify/Order/5016', name: '#1016', email: 'in.transit@example-store.test', processedAt: '2026-11-05T09:00:00Z', cancelledAt: null,
			displayFulfillmentStatus: 'FULFILLED', customer: { id: 'gid://shopify/Customer/1008' }, totalPriceSet: { shopMoney: { amount: '228.0', currencyCode: 'USD' } },
			fulfillmentOrders: { nodes: [{ deliveryMethod: { maxDeliveryDateTime: '2026-11-17T00:00:00Z' } }] },
			fulfillments: [{ createdAt: '2026-11-12T00:00:00Z', inTransitAt: null, estimatedDeliveryAt: null, deliveredAt: null, displayStatus: 'IN_TRANSIT', trackingInfo: [{ company: 'FedEx', number: '7701', url: 'https://www.fedex.com/fedextrack/?trknbr=7701' }], events: { nodes: [] } }],
		};
		const queries: string[] = [];
		const shopify = { query: async (document: string) => { queries.push(document); return { data: { n0: { nodes: [node] } } }; } } as unknown as ShopifyService;
		const report = await answerOrderStatus(
			{} as IExecuteFunctions,
			{ shopify },
			{ mode: 'draft', store: { storeName: 'Example Store', timeZone: 'UTC' }, promise: POLICY },
			[{ ticketId: 'T-12', text: 'Where is my order #1016?', email: 'in.transit@example-store.test', customerIds: [], firstResponseOverdue: false }],
			NOW,
		);
		expect(queries).toHaveLength(1);
		const outcome = report.outcomes.get('T-12')!;
		expect(outcome).toMatchObject({ status: 'drafted', reason: 'draft_mode', identifiedBy: 'order_number', answer: { late: true, daysLate: 3, trackingNumber: '7701' } });
		expect(outcome.draft!.subject).toBe('Your order #1016 is on its way [ticket T-12]');
		expect(outcome.draft!.text).toContain('Tracking number: 7701');
		expect(outcome.draft!.html).toContain('href="https://www.fedex.com/fedextrack/?trknbr=7701"');
		expect(outcome.messageId).toBeUndefined();
	});
});

describe('the node\'s "where is my order" settings', () => {
	const run = (parameters: IDataObject) =>
		new CxTicketTriage().execute.call(
			fakeContext({ node: 'CX Ticket Triage', items: [{ id: 'T-1', body: 'Where is my order #1013?', channel: 'email', customer_email: 'robin@example-store.test' }], parameters }),
		);

	it('needs Enrich From Shopify: the answer is the order\'s live status in Shopify', async () => {
		await expect(run({ orderStatusAnswer: 'draft' })).rejects.toThrow('Answer "Where Is My Order" needs Enrich From Shopify');
	});

	it('emailing it needs Acknowledge Customer, whose claim it shares; drafting does not', async () => {
		await expect(run({ orderStatusAnswer: 'email', enrichFromShopify: true, storeInSupabase: true })).rejects.toThrow('Emailing the order status needs Acknowledge Customer');
	});

	it('refuses a production window that is not a whole number of days, naming the option', async () => {
		await expect(run({ orderStatusAnswer: 'draft', enrichFromShopify: true, orderStatusOptions: { productionBusinessDays: 2.5 } })).rejects.toThrow(
			'Order Status Options: productionBusinessDays must be a whole number of days from 0 to 365',
		);
	});

	it('is off by default', () => {
		expect(new CxTicketTriage().description.properties.find((property) => property.name === 'orderStatusAnswer')).toMatchObject({ type: 'options', default: 'off' });
	});
});

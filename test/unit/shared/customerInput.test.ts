import type { IDataObject } from 'n8n-workflow';
import { carriesOnlyCustomerId, customerToItem, lookedUpCustomer, readCustomerItem, tryReadCustomerItem } from '../../../nodes/shared/customerInput';
import { visitCount, visitStarts } from '../../../nodes/shared/contract/customer';
import type { RetentionCustomer } from '../../../nodes/shared/contract/customer';
import { InputProblem } from '../../../nodes/shared/items';
import { readJsonLines } from '../../../nodes/shared/services/shopify/client';
import { RetentionJsonlReader } from '../../../nodes/shared/services/shopify/customersJsonl';

/** The InputProblem a read throws; fails the test when the item reads. */
function problemOf(json: IDataObject): InputProblem {
	try {
		readCustomerItem(json);
	} catch (error) {
		if (error instanceof InputProblem) return error;
		throw error;
	}
	throw new Error('expected the item to be refused');
}

const item = (change: IDataObject = {}): IDataObject => ({
	customer_id: 'gid://shopify/Customer/501',
	email: 'sam.sample@example-store.test',
	first_name: 'Sam',
	amount_spent: '129.90',
	currency: 'USD',
	email_marketing_consent: 'subscribed',
	...change,
});

describe('readCustomerItem', () => {
	it('reads dates and tags given as comma-separated text or as lists', () => {
		const fromText = readCustomerItem(item({ order_dates: '2026-01-05T10:00:00Z, 2026-03-01T10:00:00Z', refund_dates: '2026-03-04T08:00:00Z', tags: 'VIP, wholesale ,, ' }));
		expect(fromText).toMatchObject({ orderDates: ['2026-01-05T10:00:00Z', '2026-03-01T10:00:00Z'], refundDates: ['2026-03-04T08:00:00Z'], tags: ['VIP', 'wholesale'] });
		const fromLists = readCustomerItem(item({ order_dates: [' 2026-01-05T10:00:00Z', '2026-03-01T10:00:00Z'], refund_dates: [], tags: [' VIP ', '', 'wholesale'] }));
		expect(fromLists).toMatchObject({ orderDates: fromText.orderDates, refundDates: [], tags: ['VIP', 'wholesale'] });
	});

	it('refuses an order date that is no date, naming the field and the entry: a day that does not exist, free text, a negative time', () => {
		for (const bad of ['2026-02-30T10:00:00Z', 'Ticket 12', -1, '12/03/2026']) {
			expect(() => readCustomerItem(item({ order_dates: ['2026-01-05T10:00:00Z', bad] }))).toThrow(`Field "order_dates" has an entry that is not a date (position 2): ${JSON.stringify(bad)}`);
		}
	});

	it('reads numbers as Unix seconds or milliseconds', () => {
		expect(readCustomerItem(item({ order_dates: [1767225600, 1772323200000] })).orderDates).toEqual(['2026-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
	});

	it('reads a customer without consent as not subscribed, and consent in any case as Shopify writes it', () => {
		expect(readCustomerItem(item({ email_marketing_consent: undefined })).marketingConsent).toBe('NOT_SUBSCRIBED');
		expect(readCustomerItem(item({ email_marketing_consent: '' })).marketingConsent).toBe('NOT_SUBSCRIBED');
		expect(readCustomerItem(item({ email_marketing_consent: 'Subscribed' })).marketingConsent).toBe('SUBSCRIBED');
	});

	it('names the field and the position of an entry that is not a date', () => {
		const problem = problemOf(item({ order_dates: ['2026-01-05T10:00:00Z', 'last spring'] }));
		expect(problem.field).toBe('order_dates');
		expect(problem.message).toBe('Field "order_dates" has an entry that is not a date (position 2): "last spring"');
		expect(problem.fix).toContain('ISO 8601');
		expect(problemOf(item({ refund_dates: '2026-03-04T08:00:00Z, soon' })).message).toMatch(/^Field "refund_dates" has an entry that is not a date \(position 2\): " ?soon"$/);
		expect(problemOf(item({ order_dates: [true] })).message).toBe('Field "order_dates" has an entry that is not a date (position 1): true');
		expect(problemOf(item({ order_dates: { first: '2026-01-05' } })).message).toBe('Field "order_dates" must be a list of dates');
	});

	it('names the field and the position of a number too large to be a date', () => {
		const problem = problemOf(item({ order_dates: [1767225600, 1e20] }));
		expect(problem).toMatchObject({ field: 'order_dates', message: 'Field "order_dates" has an entry that is not a date (position 2): 100000000000000000000' });
		expect(tryReadCustomerItem(item({ refund_dates: [1e20] }))).toMatchObject({ field: 'refund_dates' });
	});

	it('refuses a negative amount, a part or negative order count and an unknown currency', () => {
		expect(problemOf(item({ amount_spent: -1 }))).toMatchObject({ field: 'amount_spent', message: 'Field "amount_spent" is -1; an amount spent cannot be negative' });
		expect(problemOf(item({ orders_count: 2.5 }))).toMatchObject({ field: 'orders_count', message: 'Field "orders_count" is 2.5; it must be a whole number, 0 or more' });
		expect(problemOf(item({ orders_count: '-3' }))).toMatchObject({ field: 'orders_count' });
		expect(problemOf(item({ currency: 'DOLLARS' }))).toMatchObject({ field: 'currency', message: 'Field "currency" is "DOLLARS", which is not an ISO 4217 currency code' });
		expect(problemOf(item({ currency: 'XYZ' }))).toMatchObject({ field: 'currency' });
		expect(problemOf(item({ customer_id: ' ' }))).toMatchObject({ field: 'customer_id', message: 'Field "customer_id" is missing or empty' });
	});

	it('returns the problem instead of throwing when asked to try', () => {
		const read = tryReadCustomerItem(item({ amount_spent: 'lots' }));
		expect(read).toBeInstanceOf(InputProblem);
		expect(read).toMatchObject({ field: 'amount_spent', message: 'Field "amount_spent" is not a number: "lots"' });
	});

	it('counts at least as many orders as it has dates for', () => {
		const dates = ['2026-01-05T10:00:00Z', '2026-02-05T10:00:00Z', '2026-03-05T10:00:00Z'];
		expect(readCustomerItem(item({ orders_count: 1, order_dates: dates })).orderCount).toBe(3);
		expect(readCustomerItem(item({ orders_count: 12, order_dates: dates })).orderCount).toBe(12);
		expect(readCustomerItem(item({ order_dates: dates })).orderCount).toBe(3);
		expect(readCustomerItem(item()).orderCount).toBe(0);
	});

	it('keeps money in the currency\'s minor unit, with the node\'s currency for items without one', () => {
		expect(readCustomerItem(item()).amountSpent).toEqual({ cents: 12990, currency: 'USD' });
		expect(readCustomerItem(item({ amount_spent: 15000, currency: 'jpy' })).amountSpent).toEqual({ cents: 15000, currency: 'JPY' });
		expect(readCustomerItem(item({ currency: undefined }), 'EUR').amountSpent).toEqual({ cents: 12990, currency: 'EUR' });
		expect(readCustomerItem(item({ amount_spent: undefined })).amountSpent).toEqual({ cents: 0, currency: 'USD' });
	});
});

describe('customerToItem', () => {
	const customers: RetentionCustomer[] = [
		{
			customerId: 'gid://shopify/Customer/501',
			email: 'sam.sample@example-store.test',
			firstName: 'Sam',
			lastName: 'Sample',
			orderCount: 4,
			amountSpent: { cents: 4250, currency: 'USD' },
			marketingConsent: 'SUBSCRIBED',
			tags: ['VIP', 'wholesale'],
			orderDates: ['2026-01-05T10:00:00Z', '2026-03-01T10:00:00Z'],
			refundDates: ['2026-03-04T08:00:00Z'],
			returnDates: ['2026-02-20T09:00:00Z'],
		},
		{ customerId: '502', orderCount: 1, amountSpent: { cents: 15000, currency: 'JPY' }, marketingConsent: 'NOT_SUBSCRIBED', tags: [], orderDates: ['2026-02-01T00:00:00Z'], refundDates: [], returnDates: [] },
		{ customerId: '503', orderCount: 0, amountSpent: { cents: 12345, currency: 'KWD' }, marketingConsent: 'UNSUBSCRIBED', tags: [], orderDates: [], refundDates: [], returnDates: [] },
	];

	it('writes the item fields other nodes and exports use', () => {
		expect(customerToItem(customers[0])).toEqual({
			customer_id: 'gid://shopify/Customer/501',
			email: 'sam.sample@example-store.test',
			first_name: 'Sam',
			last_name: 'Sample',
			orders_count: 4,
			amount_spent: '42.50',
			currency: 'USD',
			email_marketing_consent: 'SUBSCRIBED',
			tags: ['VIP', 'wholesale'],
			order_dates: ['2026-01-05T10:00:00Z', '2026-03-01T10:00:00Z'],
			refund_dates: ['2026-03-04T08:00:00Z'],
			return_dates: ['2026-02-20T09:00:00Z'],
		});
		expect(customerToItem(customers[1])).toMatchObject({ email: null, first_name: null, amount_spent: '15000', currency: 'JPY' });
		expect(customerToItem(customers[2])).toMatchObject({ amount_spent: '12.345', currency: 'KWD' });
	});

	it('reads back as the same customer', () => {
		for (const customer of customers) expect(readCustomerItem(customerToItem(customer))).toEqual(customer);
	});
});

const customerLine = (id: number, change: IDataObject = {}): IDataObject => ({
	id: `gid://shopify/Customer/${id}`,
	email: `customer${id}@example-store.test`,
	firstName: 'Sam',
	lastName: null,
	numberOfOrders: '2',
	tags: ['VIP'],
	amountSpent: { amount: '99.99', currencyCode: 'USD' },
	emailMarketingConsent: { marketingState: 'SUBSCRIBED' },
	...change,
});
const orderLine = (id: number, parent: number, change: IDataObject = {}): IDataObject => ({
	id: `gid://shopify/Order/${id}`,
	processedAt: '2026-01-05T10:00:00Z',
	cancelledAt: null,
	refunds: [],
	__parentId: `gid://shopify/Customer/${parent}`,
	...change,
});

describe('RetentionJsonlReader', () => {
	function read(lines: IDataObject[]) {
		const reader = new RetentionJsonlReader();
		for (const line of lines) reader.add(line);
		return reader;
	}

	it('attaches order lines to the customer line before them, skipping cancelled orders and collecting refunds', () => {
		const reader = read([
			customerLine(1),
			orderLine(11, 1, { processedAt: '2026-01-05T10:00:00Z', refunds: [{ createdAt: '2026-01-09T12:00:00Z' }, { createdAt: null }] }),
			orderLine(12, 1, { processedAt: '2026-02-05T10:00:00Z', cancelledAt: '2026-02-05T11:00:00Z' }),
			orderLine(13, 1, { processedAt: '2026-03-05T10:00:00Z', refunds: [{ createdAt: '2026-03-08T12:00:00Z' }] }),
			orderLine(14, 1, { processedAt: null }),
		]);
		expect(reader.customers()).toEqual([{
			customerId: 'gid://shopify/Customer/1',
			email: 'customer1@example-store.test',
			firstName: 'Sam',
			orderCount: 2,
			amountSpent: { cents: 9999, currency: 'USD' },
			marketingConsent: 'SUBSCRIBED',
			tags: ['VIP'],
			orderDates: ['2026-01-05T10:00:00Z', '2026-03-05T10:00:00Z'],
			refundDates: ['2026-01-09T12:00:00Z', '2026-03-08T12:00:00Z'],
			returnDates: [],
		}]);
		expect(reader.lines).toBe(5);
	});

	it('keeps orders that arrive before their customer line', () => {
		const reader = read([
			orderLine(21, 2, { processedAt: '2026-01-02T00:00:00Z' }),
			customerLine(3),
			orderLine(22, 2, { processedAt: '2026-01-03T00:00:00Z', refunds: [{ createdAt: '2026-01-04T00:00:00Z' }] }),
			customerLine(2),
			orderLine(23, 2, { processedAt: '2026-01-05T00:00:00Z' }),
			orderLine(31, 3, { processedAt: '2026-02-01T00:00:00Z' }),
		]);
		const byId = new Map(reader.customers().map((customer) => [customer.customerId, customer]));
		expect(byId.get('gid://shopify/Customer/2')).toMatchObject({ orderDates: ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-05T00:00:00Z'], refundDates: ['2026-01-04T00:00:00Z'] });
		expect(byId.get('gid://shopify/Customer/3')).toMatchObject({ orderDates: ['2026-02-01T00:00:00Z'] });
		expect(byId.size).toBe(2);
	});

	it('reads a customer without a consent record or email as not subscribed, and ignores lines that are no customer', () => {
		const reader = read([
			customerLine(4, { email: null, firstName: null, emailMarketingConsent: null, amountSpent: null, numberOfOrders: '0', tags: [] }),
			{ id: 'gid://shopify/Shop/1', name: 'Example Store' },
			{ note: 'no id' },
		]);
		expect(reader.customers()).toEqual([{
			customerId: 'gid://shopify/Customer/4',
			orderCount: 0,
			amountSpent: { cents: 0, currency: 'USD' },
			marketingConsent: 'NOT_SUBSCRIBED',
			tags: [],
			orderDates: [],
			refundDates: [],
			returnDates: [],
		}]);
	});

	it('keeps spend in the currency\'s minor unit', () => {
		const reader = read([
			customerLine(5, { amountSpent: { amount: '12345.0', currencyCode: 'JPY' } }),
			customerLine(6, { amountSpent: { amount: '1234.5', currencyCode: 'EUR' } }),
			customerLine(7, { amountSpent: { amount: '1.2345', currencyCode: 'KWD' } }),
		]);
		expect(reader.customers().map((customer) => customer.amountSpent)).toEqual([
			{ cents: 12345, currency: 'JPY' },
			{ cents: 123450, currency: 'EUR' },
			{ cents: 1235, currency: 'KWD' },
		]);
	});
});

describe('readJsonLines', () => {
	const NAME = 'Zoë 山田 🌸';
	const lines = [
		customerLine(1, { firstName: NAME }),
		orderLine(11, 1, { processedAt: '2026-01-05T10:00:00Z' }),
		customerLine(2, { firstName: 'Ólafur' }),
		orderLine(21, 2, { processedAt: '2026-02-05T10:00:00Z' }),
	];
	// the last line without a newline, as a file may end
	const bytes = new TextEncoder().encode(lines.map((line) => JSON.stringify(line)).join('\n'));

	/** As the Shopify service downloads: chunks decoded as a stream, lines read as they complete. */
	function feed(chunks: Uint8Array[]): RetentionJsonlReader {
		const reader = new RetentionJsonlReader();
		const onLine = (value: Record<string, unknown>) => reader.add(value);
		const decoder = new TextDecoder();
		let pending = '';
		for (const chunk of chunks) pending = readJsonLines(pending + decoder.decode(chunk, { stream: true }), onLine);
		readJsonLines(`${pending}${decoder.decode()}\n`, onLine);
		return reader;
	}
	const names = (reader: RetentionJsonlReader) => reader.customers().map((customer) => [customer.firstName, customer.orderDates]);
	const expected = [[NAME, ['2026-01-05T10:00:00Z']], ['Ólafur', ['2026-02-05T10:00:00Z']]];

	it('reads the whole file in one chunk', () => {
		expect(names(feed([bytes]))).toEqual(expected);
	});

	it('reads the same wherever a chunk ends: inside a line, inside a multi-byte character', () => {
		const inside = (text: string) => bytes.indexOf(new TextEncoder().encode(text)[0]) + 1;
		// the splits that matter most, named: the middle of 山 (3 bytes), of 🌸 (4 bytes) and of ë (2 bytes)
		for (const cut of [inside('山'), inside('🌸'), inside('🌸') + 2, inside('ë')]) {
			expect(new TextDecoder().decode(bytes.subarray(0, cut))).toMatch(/\uFFFD$/);
			expect(names(feed([bytes.subarray(0, cut), bytes.subarray(cut)]))).toEqual(expected);
		}
		for (let cut = 1; cut < bytes.length; cut++) expect(names(feed([bytes.subarray(0, cut), bytes.subarray(cut)]))).toEqual(expected);
	});

	it('reads the same one byte at a time', () => {
		const reader = feed(Array.from(bytes, (byte) => Uint8Array.of(byte)));
		expect(names(reader)).toEqual(expected);
		expect(reader.lines).toBe(4);
	});

	it('returns what follows the last newline and skips blank and CRLF-ended lines', () => {
		const seen: Array<Record<string, unknown>> = [];
		const rest = readJsonLines('{"a":1}\r\n\n  \n{"b":2}\n{"c":', (value) => seen.push(value));
		expect(seen).toEqual([{ a: 1 }, { b: 2 }]);
		expect(rest).toBe('{"c":');
		expect(readJsonLines('{"c":', () => seen.push({}))).toBe('{"c":');
		expect(seen).toHaveLength(2);
	});
});

describe('customers named by id alone', () => {
	const dora: RetentionCustomer = {
		customerId: 'gid://shopify/Customer/1005',
		email: 'dormant.once@example.com',
		orderCount: 1,
		amountSpent: { cents: 18_900, currency: 'USD' },
		marketingConsent: 'SUBSCRIBED',
		tags: [],
		orderDates: ['2026-02-02T00:00:00Z'],
		refundDates: [],
		returnDates: [],
	};
	const found = new Map([[dora.customerId, dora]]);

	it('a retention request that carries only the customer id is looked up; an item with any of the customer\'s facts is read as given', () => {
		expect(carriesOnlyCustomerId({ customer_id: '1005' })).toBe(true);
		expect(carriesOnlyCustomerId({ customer_id: '1005', latest_csat: 4, tags: [], order_dates: [] })).toBe(true);
		expect(carriesOnlyCustomerId({ customer_id: '1005', order_dates: ['2026-02-02T00:00:00Z'] })).toBe(false);
		expect(carriesOnlyCustomerId({ customer_id: '1005', amount_spent: 0 })).toBe(false);
		// the director's request as it is (seeds/000): the id under customer_details
		const request = { trigger_source: 'retention_agent', interaction_type: 'retention_campaign', customer_details: { customer_id: 'gid://shopify/Customer/1005', tier: 'regular', issue_type: 'general', sentiment: 'neutral' }, action_parameters: { priority: 'low', resolution_type: 'information', follow_up: 'optional' } };
		expect(carriesOnlyCustomerId(request)).toBe(true);
		expect(lookedUpCustomer(request, found)).toEqual(dora);
		expect(carriesOnlyCustomerId({ email: 'dormant.once@example.com' })).toBe(false);
	});

	it('keeps the id in the form the request gave it, and names customer_id when Shopify cannot say who it is', () => {
		expect(lookedUpCustomer({ customer_id: 1005 }, found)).toEqual({ ...dora, customerId: '1005' });
		expect(lookedUpCustomer({ customer_id: 'gid://shopify/Customer/1005' }, found)).toEqual(dora);
		const unknown = lookedUpCustomer({ customer_id: '77' }, found) as InputProblem;
		expect([unknown.field, unknown.message]).toEqual(['customer_id', 'Field "customer_id": Shopify has no customer gid://shopify/Customer/77']);
		const foreign = lookedUpCustomer({ customer_id: 'crm-42' }, found) as InputProblem;
		expect(foreign.field).toBe('customer_id');
		expect(foreign.fix).toMatch(/Give a Shopify customer id .* or map the customer's fields/);
	});
});

describe('visits', () => {
	it('orders within 24 hours of a visit\'s first order are one visit; the next day\'s order 25 hours later is a new one', () => {
		const dates = ['2026-03-01T10:00:00Z', '2026-03-01T10:20:00Z', '2026-03-02T09:59:00Z', '2026-03-02T11:00:00Z', 'not a date'];
		expect(visitStarts(dates, 24)).toEqual([Date.parse('2026-03-01T10:00:00Z'), Date.parse('2026-03-02T11:00:00Z')]);
		expect(visitStarts(dates, 0)).toHaveLength(4);
		// Shopify counts 7 orders, the item lists 5 (one unreadable): the 2 unlisted are a visit each
		expect(visitCount({ orderDates: dates, orderCount: 7 }, 24)).toBe(4);
	});
});

/**
 * The malformed-input corpus of test/unit/reliability/badInput.test.ts, as data: per node one or more groups, each
 * with one valid base item and, per field the node reads, the bad values that fit the field's type. Each bad value
 * says what the promise demands of it:
 *   - "error": bad input; the item must become an error item (Continue On Fail) that names the item and the field;
 *   - "any":   acceptable or debatable input (an optional field left empty, text with markup, a sub-cent amount that
 *              the pack documents it rounds); the node may take it or refuse it, but a refusal must still be a clear
 *              error, and a result must be clean (no NaN, no Infinity, no negative money).
 * Nothing here runs a node; the test builds the items from it.
 */
import type { IDataObject } from 'n8n-workflow';
import { metricsReportFixture } from '../../support/metricsReportFixture';

/** The field is left out of the item. */
export const MISSING = Symbol('missing');

export type Expect = 'error' | 'any';

export interface BadValue {
	label: string;
	value: unknown;
	expect: Expect;
}

export interface FieldCases {
	/** Dot path in the item ("fulfillments.0.delivered_at"). */
	field: string;
	/** The field names an error about this field may quote (the first is the path as users write it). */
	names: string[];
	values: BadValue[];
}

export interface Group {
	name: string;
	base: () => IDataObject;
	/** Made unique per item (unless the case is about it), so items do not collide as duplicates by accident. */
	idField?: string;
	/** The id an item gets from its tag (a serial number, "DUP", "VALID-LAST"), when ids have a form of their own (a survey token). */
	idOf?: (tag: string) => string;
	fields: FieldCases[];
}

export interface NodeCorpus {
	node: string;
	groups: Group[];
}

// ---- values ----------------------------------------------------------------------------------------------

const v = (label: string, value: unknown, expect: Expect): BadValue => ({ label, value, expect });

function deepObject(levels: number): IDataObject {
	let object: IDataObject = { leaf: 'x' };
	for (let level = 1; level < levels; level++) object = { a: object };
	return object;
}

export const ONE_MB = 'x'.repeat(1024 * 1024);
const DEEP = deepObject(200);
/** An own "__proto__" key, as JSON.parse makes it (an object literal would set the prototype instead). */
const protoObject = () => JSON.parse('{"__proto__": {"x": 1}}') as IDataObject;
const RTL = '\u202Eمرحبا بالعالم\u202C';
const SCRIPT = '<script>alert(1)</script>';
const LONE_SURROGATE = '\ud83d';

/** The values every field gets: absent and blank, the wrong shape, numbers that are not numbers, a 1 MB text. */
function structural(required: boolean, options: { list?: boolean } = {}): BadValue[] {
	const blank: Expect = required ? 'error' : 'any';
	return [
		v('missing', MISSING, blank),
		v('null', null, blank),
		v('""', '', blank),
		v('"   "', '   ', blank),
		// an empty list is a list: only a scalar field is wrong as []
		v('[]', [], options.list ? 'any' : 'error'),
		v('["a","b"]', ['a', 'b'], 'error'),
		v('{}', {}, 'error'),
		v('deep object (200 levels)', DEEP, 'error'),
		v('{"__proto__":{"x":1}}', protoObject(), 'error'),
		v('NaN', Number.NaN, 'error'),
		v('Infinity', Number.POSITIVE_INFINITY, 'error'),
		v('1 MB string', ONE_MB, 'error'),
	];
}

/** Free text (subject, body, names). */
const text = (required = false): BadValue[] => [
	...structural(required),
	v('number 12', 12, 'error'),
	v(JSON.stringify(SCRIPT), SCRIPT, 'any'),
	v('right-to-left text', RTL, 'any'),
	v('lone surrogate "\\ud83d"', LONE_SURROGATE, 'any'),
];

/** An identifier: text, or a whole number as Shopify's legacy ids arrive. */
const id = (required = false): BadValue[] => [
	...structural(required),
	v('number 12', 12, 'any'),
	v('1.5', 1.5, 'error'),
	v(JSON.stringify(SCRIPT), SCRIPT, 'any'),
	v('right-to-left text', RTL, 'any'),
];

const email = (required = false): BadValue[] => [
	...structural(required),
	v('"not-an-email"', 'not-an-email', 'error'),
	v('"a@example.test, b@example.test"', 'a@example.test, b@example.test', 'error'),
	v('"a\\u200b@example.test" (zero-width space)', 'a\u200b@example.test', 'error'),
	v('lone surrogate "\\ud83d"', LONE_SURROGATE, 'error'),
	v(JSON.stringify(SCRIPT), SCRIPT, 'error'),
	v('right-to-left text', RTL, 'error'),
	v('number 12', 12, 'error'),
];

/** A time; `past`: one that has happened by the run's "now" (created, processed, delivered, answered). */
const date = (required = false, past = true): BadValue[] => [
	...structural(required),
	v('-Infinity', Number.NEGATIVE_INFINITY, 'error'),
	v('"2026-02-30"', '2026-02-30', 'error'),
	v('"Ticket 12"', 'Ticket 12', 'error'),
	v('-1', -1, 'error'),
	v('"-1"', '-1', 'error'),
	v('"1e1"', '1e1', 'error'),
	v('"0x9"', '0x9', 'error'),
	v('"12abc"', '12abc', 'error'),
	...(past ? [v('"2030-01-01" (future)', '2030-01-01', 'error' as Expect)] : []),
];

/** An amount of money, 0 or more. "10.005" is rounded by the pack's money parser (money.ts documents it): any. */
const money = (required = false): BadValue[] => [
	...structural(required),
	v('-Infinity', Number.NEGATIVE_INFINITY, 'error'),
	v('-5', -5, 'error'),
	v('"-10.00"', '-10.00', 'error'),
	v('"10.005"', '10.005', 'any'),
	v('"0x9"', '0x9', 'error'),
	v('"1e1"', '1e1', 'any'),
	v('"12abc"', '12abc', 'error'),
	v('"Ticket 12"', 'Ticket 12', 'error'),
];

/** A count: a whole number, 0 or more. `wholeOnly` false: fractions are fine (seconds). */
const count = (required = false, wholeOnly = true): BadValue[] => [
	...structural(required),
	v('-Infinity', Number.NEGATIVE_INFINITY, 'error'),
	v('-5', -5, 'error'),
	v('1.5', 1.5, wholeOnly ? 'error' : 'any'),
	v('"0x9"', '0x9', 'error'),
	v('"1e1"', '1e1', 'any'),
	v('"12abc"', '12abc', 'error'),
];

const csat = (required = false): BadValue[] => [
	...structural(required),
	v('CSAT 0', 0, 'error'),
	v('CSAT 6', 6, 'error'),
	v('CSAT 4.5', 4.5, 'error'),
	v('CSAT -1', -1, 'error'),
	v('"0x9"', '0x9', 'error'),
	v('"12abc"', '12abc', 'error'),
];

const nps = (required = false): BadValue[] => [
	...structural(required),
	v('NPS 11', 11, 'error'),
	v('NPS -1', -1, 'error'),
	v('NPS 4.5', 4.5, 'error'),
	v('"0x9"', '0x9', 'error'),
	v('"12abc"', '12abc', 'error'),
];

/** One of a fixed set of words. */
const choice = (required = false, wrongWord = 'gold'): BadValue[] => [
	...structural(required),
	v(JSON.stringify(wrongWord), wrongWord, 'error'),
	v(JSON.stringify(SCRIPT), SCRIPT, 'error'),
	v('right-to-left text', RTL, 'error'),
	v('number 12', 12, 'error'),
];

const currency = (): BadValue[] => [
	...structural(false),
	v('"ZZZ"', 'ZZZ', 'error'),
	v('"US Dollar"', 'US Dollar', 'error'),
	v('number 840', 840, 'error'),
	v(JSON.stringify(SCRIPT), SCRIPT, 'error'),
	v('"usd"', 'usd', 'any'),
];

/** Shopify tags: a list of texts or a comma-separated text. */
const tags = (): BadValue[] => [
	...structural(false, { list: true }).map((bad) => (bad.label === '["a","b"]' ? { ...bad, expect: 'any' as Expect } : bad)),
	v('[{}]', [{}], 'error'),
	v('[null]', [null], 'error'),
	v('number 12', 12, 'error'),
	v(JSON.stringify(SCRIPT), SCRIPT, 'any'),
];

/** A list of times that have happened, or a comma-separated text of them. */
const dateList = (): BadValue[] => [
	...structural(false, { list: true }),
	v('"Ticket 12"', 'Ticket 12', 'error'),
	v('["2026-02-30"]', ['2026-02-30'], 'error'),
	v('[-1]', [-1], 'error'),
	v('["2030-01-01"] (future)', ['2030-01-01'], 'error'),
	v('[null]', [null], 'error'),
	v('[{}]', [{}], 'error'),
	v('"2026-01-05, Ticket 12"', '2026-01-05, Ticket 12', 'error'),
	v('number 12', 12, 'error'),
];

/** A list of objects (fulfillments, events). */
const objectList = (): BadValue[] => [
	...structural(false, { list: true }),
	v('"soon"', 'soon', 'error'),
	v('[null]', [null], 'error'),
	v('[1]', [1], 'error'),
	v('[[]]', [[]], 'error'),
];

/** A number that may be null and may be negative (an NPS, a change). */
const signedNumberOrNull = (): BadValue[] => [
	...structural(true).map((bad) => (bad.label === 'null' ? { ...bad, expect: 'any' as Expect } : bad)),
	v('"35" (text)', '35', 'error'),
	v('-5', -5, 'any'),
	v('1.5', 1.5, 'any'),
];

const field = (path: string, values: BadValue[], names: string[] = [path]): FieldCases => ({ field: path, names, values });

// ---- the nodes ---------------------------------------------------------------------------------------------

const ticketBase = (): IDataObject => ({
	id: 'T-100',
	subject: 'Damaged print',
	body: 'My print arrived damaged, the frame is cracked.',
	channel: 'email',
	customer_email: 'robin.example@example-store.test',
	created_at: '2026-11-02T09:00:00Z',
	order_id: '1001',
	order_value: 120,
	currency: 'USD',
	tier: 'regular',
	status: 'pending',
	paused_since: '2026-11-02T10:00:00Z',
	paused_seconds: 600,
});

/** The ticket fields (shared/ticketInput.ts) with their default names; `channelOptional` for VIP Escalation, which defaults it. */
function ticketFields(channelOptional: boolean): FieldCases[] {
	const channel = choice(true, 'fax');
	return [
		field('id', id(false)),
		field('subject', text(false)),
		field('body', text(true)),
		field('channel', channelOptional ? channel.map((bad) => (bad.label === 'missing' ? { ...bad, expect: 'any' as Expect } : bad)) : channel),
		// the base item has no customer_id: without an email the ticket has no customer
		field('customer_email', email(true)),
		field('customer_id', id(false)),
		field('created_at', date(false)),
		field('order_id', id(false)),
		field('order_value', money(false)),
		field('currency', currency()),
		field('tier', choice(false)),
		field('status', choice(false, 'archived')),
		field('paused_since', date(false)),
		field('paused_seconds', count(false, false)),
	];
}

const triagedBase = (): IDataObject => ({
	ticket: {
		id: 'TT-1',
		subject: 'Late again',
		body: 'My parcel is a week late and nobody has answered my emails.',
		channel: 'email',
		customer_email: 'sam.sample@example-store.test',
		order_value: '120.00',
		currency: 'USD',
		created_at: '2026-11-02T09:00:00Z',
	},
	triage: {
		priority: 'high',
		tier: 'regular',
		tierSource: 'rule',
		intent: 'shipping_delay',
		sentiment: { label: 'negative' },
		flags: { threats: [] },
		summary: 'Parcel a week late, no answer.',
	},
});

const threats = (): BadValue[] => [
	...structural(false, { list: true }).map((bad) => (bad.label === '["a","b"]' ? { ...bad, expect: 'any' as Expect } : bad)),
	v('"chargeback" (text)', 'chargeback', 'error'),
	v('[1]', [1], 'error'),
	v('[null]', [null], 'error'),
];

/** A customer as items carry it (shared/customerInput.ts). */
const customerBase = (): IDataObject => ({
	customer_id: 'gid://shopify/Customer/1',
	email: 'loyal.buyer@example-store.test',
	first_name: 'Lena',
	last_name: 'Lindqvist',
	orders_count: 3,
	amount_spent: '250.00',
	currency: 'USD',
	email_marketing_consent: 'SUBSCRIBED',
	tags: 'newsletter',
	order_dates: ['2025-09-02T10:00:00Z', '2025-11-20T10:00:00Z', '2026-01-02T10:00:00Z'],
	refund_dates: ['2025-11-25T10:00:00Z'],
	return_dates: ['2025-09-20T10:00:00Z'],
});

const customerFields = (): FieldCases[] => [
	field('customer_id', id(true)),
	field('email', email(false)),
	field('first_name', text(false)),
	field('last_name', text(false)),
	field('orders_count', count(false)),
	field('amount_spent', money(false)),
	field('currency', currency()),
	field('email_marketing_consent', [...structural(false), v(JSON.stringify(SCRIPT), SCRIPT, 'any'), v('number 12', 12, 'error')]),
	field('tags', tags()),
	field('order_dates', dateList()),
	field('refund_dates', dateList()),
	field('return_dates', dateList()),
];

const orderBase = (): IDataObject => ({
	order_id: 'O-1',
	name: '#2001',
	processed_at: '2026-09-21T10:00:00Z',
	total: 120,
	refunded: 0,
	currency: 'USD',
	shop_currency: 'USD',
	shop_total: 120,
	tier: 'regular',
	customer_id: '7001',
	customer_email: 'sam.sample@example-store.test',
	customer_first_name: 'Sam',
	customer_tags: 'newsletter',
	customer_amount_spent: 300,
	checkout_promise_at: '2026-09-30T12:00:00Z',
	fulfillments: [
		{
			status: 'DELIVERED',
			estimated_delivery_at: '2026-09-30T12:00:00Z',
			in_transit_at: '2026-09-28T12:00:00Z',
			delivered_at: '2026-10-10T12:00:00Z',
			events: [{ status: 'DELAYED', happened_at: '2026-10-02T12:00:00Z', message: 'Weather' }],
		},
	],
});

const orderFields = (): FieldCases[] => [
	field('order_id', id(true)),
	field('name', text(false)),
	field('processed_at', date(true)),
	field('total', money(true)),
	field('refunded', money(false)),
	field('currency', currency()),
	field('shop_currency', currency()),
	field('shop_total', money(false)),
	field('tier', choice(false)),
	field('customer_id', id(false)),
	field('customer_email', email(false)),
	field('customer_first_name', text(false)),
	field('customer_tags', tags()),
	field('customer_amount_spent', money(false)),
	field('cancelled_at', date(false)),
	// the promise may lie ahead: no "past" demand
	field('checkout_promise_at', date(false, false)),
	field('fulfillments', objectList()),
	field('fulfillments.0.estimated_delivery_at', date(false, false), ['fulfillments[0].estimated_delivery_at', 'estimated_delivery_at']),
	field('fulfillments.0.delivered_at', date(false), ['fulfillments[0].delivered_at', 'delivered_at']),
	field('fulfillments.0.events', objectList(), ['fulfillments[0].events']),
	field('fulfillments.0.events.0.status', text(true), ['fulfillments[0].events[0].status', 'status']),
	field('fulfillments.0.events.0.happened_at', date(false), ['fulfillments[0].events[0].happened_at', 'happened_at']),
];

const responseBase = (type: 'csat' | 'nps') => (): IDataObject => ({
	type,
	score: type === 'csat' ? 4 : 9,
	responded_at: '2026-11-10T10:00:00Z',
	tier: 'vip',
	channel: 'email',
	issue_type: 'shipping',
});

const dimension = (): BadValue[] => [
	...structural(false),
	v('number 12', 12, 'any'),
	v(JSON.stringify(SCRIPT), SCRIPT, 'any'),
	v('right-to-left text', RTL, 'any'),
];

/** A report's number that is a count (sample sizes, backlog, rejected). */
const reportCount = (required: boolean): BadValue[] => [
	...structural(required),
	v('-5', -5, 'error'),
	v('1.5', 1.5, 'error'),
	v('"12" (text)', '12', 'error'),
];

const reportDate = (): BadValue[] => [
	...structural(true),
	v('"2026-02-30"', '2026-02-30', 'error'),
	v('"Ticket 12"', 'Ticket 12', 'error'),
	v('-1', -1, 'error'),
	v('"-1"', '-1', 'error'),
	v('"12abc"', '12abc', 'error'),
];

const kpiBase = (): IDataObject => ({ metrics: metricsReportFixture() as unknown as IDataObject });

// ---- CX Customer Survey: Record Answer ---------------------------------------------------------------------------

/**
 * A survey token (24 characters of a-z and 2-7) made from a tag: `type` first, so the stubbed store knows which
 * question its invitation asked; digits the alphabet lacks (0, 1, 8, 9) become letters.
 */
export function surveyToken(type: 'csat' | 'nps', tag: string): string {
	const spelled = tag.toLowerCase().replace(/[^a-z2-7]/g, (character) => 'abcdefghij'[Number(character)] ?? 'z');
	return `${type}tok${spelled}`.padEnd(24, 'q').slice(0, 24);
}

/** The answer page's form as the Webhook node gives it (POST, the answer in the body). */
const answerFormBase = (): IDataObject => ({ method: 'POST', body: { t: surveyToken('csat', 'base'), s: '4', comment: 'The print is lovely.' } });
/** A click on a link in the survey email (GET, the answer in the query string). */
const answerLinkBase = (): IDataObject => ({ query: { t: surveyToken('nps', 'base'), s: '9' } });

/** A survey token: the one the email carries, or something else. */
const token = (): BadValue[] => [
	...structural(true),
	v('"abc" (too short)', 'abc', 'error'),
	v('24 characters with "1" and "0"', 'a1b0c1d0e1f0a1b0c1d0e1f0', 'error'),
	v('a well-formed token no invitation has', 'a'.repeat(24), 'error'),
	v('number 12', 12, 'error'),
	v(JSON.stringify(SCRIPT), SCRIPT, 'error'),
	v('right-to-left text', RTL, 'error'),
];

/** A score as a link or form carries it (text or a number). */
const linkScore = (scale: 'csat' | 'nps'): BadValue[] => [
	...(scale === 'csat' ? csat(true) : nps(true)),
	v('" 4 " (spaces)', ' 4 ', 'any'),
	v('"4.0"', '4.0', 'error'),
	v('"1e1"', '1e1', 'error'),
	v('-Infinity', Number.NEGATIVE_INFINITY, 'error'),
];

/** How the answer came: the node tells a form from a link by the method, else by where the answer is. */
const httpMethod = (): BadValue[] => [
	...structural(false).map((bad) => ({ ...bad, expect: 'any' as Expect })),
	v('"GET" (a link: shows the page, records nothing)', 'GET', 'any'),
	v('"post"', 'post', 'any'),
	v('"DELETE"', 'DELETE', 'any'),
	v('number 12', 12, 'any'),
];

// ---- CX Feedback Follow-Up: Record (items) -----------------------------------------------------------------------

const feedbackBase = (): IDataObject => ({
	source: 'review',
	source_id: 'R-1',
	summary: 'The frame arrived with a scratch; the packaging could be better.',
	customer_id: '7001',
	owner: 'product.owner@example-store.test',
	issue_type: 'product',
	tier: 'vip',
	feedback_at: '2026-11-10T10:00:00Z',
});

// ---- CX Shopify Events: signed webhook deliveries -----------------------------------------------------------------

/**
 * Stands for the delivery's signature: the test signs the raw body with the credential's secret and puts the
 * signature where this is (a header, or an entry of a header given as a list).
 */
export const SIGNED = 'signed-by-the-test';
/**
 * Not a field of the delivery: the raw body as the Webhook node's binary "data" holds it. Absent: the bytes of the
 * item's `body` as JSON (what Shopify sent); null: no binary data (Raw Body off); text: these bytes.
 */
export const RAW_BODY = 'rawBody';

const shopifyHeaders = (topic: string): IDataObject => ({
	'x-shopify-topic': topic,
	'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
	'x-shopify-hmac-sha256': SIGNED,
	'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
	'x-shopify-shop-domain': 'example-store.myshopify.com',
	'x-shopify-triggered-at': '2026-11-16T11:59:00Z',
	'x-shopify-api-version': '2026-10',
});

const orderDeliveryBase = (): IDataObject => ({
	headers: shopifyHeaders('orders/updated'),
	body: { id: 5100000000001, name: '#1042', cancelled_at: null, fulfillments: [{ id: 1, status: 'success', shipment_status: 'delivered' }] },
});

const returnRequestBase = (): IDataObject => ({
	headers: shopifyHeaders('returns/request'),
	body: { id: 94001, admin_graphql_api_id: 'gid://shopify/Return/94001', name: '#1014-R1', status: 'requested', order: { id: 5014, admin_graphql_api_id: 'gid://shopify/Order/5014' }, return_line_items: [{ id: 95001, quantity: 1 }] },
});

const redactBase = (): IDataObject => ({
	headers: shopifyHeaders('customers/redact'),
	body: { shop_id: 1, shop_domain: 'example-store.myshopify.com', customer: { id: 207119551, email: 'nadia@example-store.test', phone: null }, orders_to_redact: [299938, '280263'] },
});

const dataRequestBase = (): IDataObject => ({
	headers: shopifyHeaders('customers/data_request'),
	body: { shop_id: 1, shop_domain: 'example-store.myshopify.com', customer: { id: 207119551, email: 'nadia@example-store.test', phone: null }, orders_requested: [299938], data_request: { id: 9999 } },
});

/** A header as the Webhook node gives it: text, or a list when it came twice (the first counts). */
const header = (required: boolean): BadValue[] => [
	...structural(required).map((bad) => (bad.label === '["a","b"]' ? { ...bad, expect: 'any' as Expect } : bad)),
	v('number 12', 12, 'error'),
	v('[12]', [12], 'error'),
	v('[null]', [null], 'error'),
	v('right-to-left text', RTL, 'any'),
	v('lone surrogate "\\ud83d"', LONE_SURROGATE, 'any'),
];

const topicHeader = (): BadValue[] => [
	...header(true).filter((bad) => !['right-to-left text', 'lone surrogate "\\ud83d"'].includes(bad.label)),
	v('"gold"', 'gold', 'error'),
	v(JSON.stringify(SCRIPT), SCRIPT, 'error'),
	v('right-to-left text', RTL, 'error'),
	v('"ORDERS/UPDATED"', 'ORDERS/UPDATED', 'any'),
	v('["orders/updated"]', ['orders/updated'], 'any'),
	v('"products/update" (not followed)', 'products/update', 'any'),
];

const signature = (): BadValue[] => [
	...structural(true),
	v('a signature of another body', 'JLQfnT+vBQ+VZxN4p4+qRiGvUsK+fGBqe1Qkb6pVgo0=', 'error'),
	v('"forged"', 'forged', 'error'),
	v('number 12', 12, 'error'),
	v('[signature] (a list)', [SIGNED], 'any'),
];

/** A Shopify numeric id in a payload: a number or its text; an order's GID is taken too, a customer's is not what Shopify sends. */
const shopifyId = (required: boolean, gid?: string): BadValue[] => [
	...structural(required),
	v('1.5', 1.5, 'error'),
	v('-5', -5, 'error'),
	v('0', 0, 'error'),
	v('"12abc"', '12abc', 'error'),
	v('"1e3"', '1e3', 'error'),
	v('2^60 (not a safe integer)', 2 ** 60, 'error'),
	v('"207119551" (text)', '207119551', 'any'),
	...(gid ? [v(JSON.stringify(gid), gid, (gid.includes('/Order/') ? 'any' : 'error') as Expect)] : []),
];

/** A list of Shopify order ids (orders_to_redact, orders_requested). */
const orderIdList = (): BadValue[] => [
	...structural(false, { list: true }),
	v('"299938" (text, not a list)', '299938', 'error'),
	v('["12abc"]', ['12abc'], 'error'),
	v('[null]', [null], 'error'),
	v('[1.5]', [1.5], 'error'),
	v('[-5]', [-5], 'error'),
	v('[{}]', [{}], 'error'),
	v('["280263", 299938]', ['280263', 299938], 'any'),
];

export const CORPUS: Record<string, NodeCorpus> = {
	triage: {
		node: 'CX Ticket Triage',
		groups: [{ name: 'ticket', base: ticketBase, idField: 'id', fields: ticketFields(false) }],
	},
	vip: {
		node: 'CX VIP Escalation',
		groups: [
			{ name: 'raw ticket', base: () => ({ ...ticketBase(), id: 'R-1', channel: 'email' }), idField: 'id', fields: [...ticketFields(true), field('priority', choice(false, 'whenever'))] },
			{
				name: 'triaged ticket',
				base: triagedBase,
				idField: 'ticket.id',
				fields: [
					field('ticket.id', id(true)),
					field('ticket.order_value', money(false)),
					field('ticket.currency', currency()),
					field('ticket.customer_email', email(false)),
					field('ticket.created_at', date(false)),
					field('triage.priority', choice(false, 'whenever')),
					field('triage.tier', choice(false)),
					field('triage.flags.threats', threats()),
					field('triage.summary', text(false)),
				],
			},
		],
	},
	health: {
		node: 'CX Customer Health',
		groups: [
			{
				name: 'customer',
				base: () => ({ ...customerBase(), latest_csat: 5, latest_nps: 9, open_tickets: 1, late_deliveries_last_365: 0 }),
				idField: 'customer_id',
				fields: [
					...customerFields(),
					field('latest_csat', csat(false)),
					field('latest_nps', nps(false)),
					field('open_tickets', count(false)),
					field('late_deliveries_last_365', count(false)),
				],
			},
		],
	},
	winback: {
		node: 'CX Win-Back',
		groups: [{ name: 'customer', base: customerBase, idField: 'customer_id', fields: customerFields() }],
	},
	metrics: {
		node: 'CX Satisfaction Metrics',
		groups: [
			{
				name: 'csat response',
				base: responseBase('csat'),
				fields: [
					field('type', choice(true, 'ces5')),
					// no score: a survey sent and not rated, counted as unrated
					field('score', csat(false)),
					field('responded_at', date(true)),
					field('tier', dimension()),
					field('channel', dimension()),
					field('issue_type', dimension()),
				],
			},
			{ name: 'nps response', base: responseBase('nps'), fields: [field('score', nps(false))] },
		],
	},
	delay: {
		node: 'CX Delay Compensation',
		groups: [{ name: 'order', base: orderBase, idField: 'order_id', fields: orderFields() }],
	},
	kpi: {
		node: 'CX KPI Report',
		groups: [
			{
				name: 'metrics report',
				base: kpiBase,
				fields: [
					field('metrics', structural(true)),
					field('metrics.current.start', reportDate(), ['metrics.current.start', 'metrics.current.end']),
					field('metrics.previous.end', reportDate(), ['metrics.previous.end']),
					field('metrics.current.nps', structural(true)),
					field('metrics.current.nps.value', signedNumberOrNull()),
					field('metrics.current.csat.sampleSize', reportCount(true)),
					field('metrics.current.csat.interval.confidence', [...structural(false).filter((bad) => !['missing', 'null'].includes(bad.label)), v('1', 1, 'error'), v('0', 0, 'error'), v('-5', -5, 'error')], ['metrics.current.csat.interval.confidence', 'metrics.current.csat.interval']),
					field('metrics.current.firstResponse.medianHours', [...structural(false), v('-5 hours', -5, 'error')]),
					field('metrics.current.orders.ratePercent', [...structural(false), v('-5 %', -5, 'error'), v('150 %', 150, 'error')]),
					field('metrics.current.lifetimeValue.perCustomer', [...structural(false), v('-5', -5, 'error')]),
					field('metrics.current.backlog', reportCount(false)),
					field('metrics.current.breakdowns.tier', [...structural(false).filter((bad) => bad.label !== '{}'), v('"vip"', 'vip', 'error')]),
					field('metrics.kpis', structural(true, { list: true })),
					field('metrics.kpis.0.value', signedNumberOrNull(), ['metrics.kpis[0].value']),
					field('metrics.kpis.0.target', [...structural(true), v('"90" (text)', '90', 'error')], ['metrics.kpis[0].target']),
					field('metrics.kpis.0.status', choice(true, 'great'), ['metrics.kpis[0].status']),
					field('metrics.kpis.0.label', text(true), ['metrics.kpis[0].label']),
					field('metrics.alerts', structural(true, { list: true })),
					field('metrics.alerts.0.message', text(true), ['metrics.alerts[0]']),
					field('metrics.summary', text(false)),
					field('metrics.rejected', reportCount(false)),
				],
			},
		],
	},
	survey: {
		node: 'CX Customer Survey',
		groups: [
			{
				name: 'answer form',
				base: answerFormBase,
				idField: 'body.t',
				idOf: (tag) => surveyToken('csat', tag),
				fields: [
					field('method', httpMethod()),
					field('body', structural(true), ['body', 't', 'body.t']),
					field('body.t', token(), ['body.t', 't']),
					field('body.s', linkScore('csat'), ['body.s', 's']),
					// the form allows 2000 characters: a longer comment is cut (recordAnswer.ts MAX_COMMENT_LENGTH)
					field('body.comment', text(false).map((bad) => (bad.label === '1 MB string' ? { ...bad, expect: 'any' as Expect } : bad)), ['body.comment', 'comment']),
				],
			},
			{
				name: 'answer link',
				base: answerLinkBase,
				idField: 'query.t',
				idOf: (tag) => surveyToken('nps', tag),
				fields: [
					field('query.t', token(), ['query.t', 't']),
					field('query.s', linkScore('nps'), ['query.s', 's']),
				],
			},
		],
	},
	feedback: {
		node: 'CX Feedback Follow-Up',
		groups: [
			{
				name: 'feedback',
				base: feedbackBase,
				idField: 'source_id',
				fields: [
					field('source', text(true)),
					field('source_id', id(true)),
					field('summary', text(true)),
					field('customer_id', id(false)),
					field('owner', email(false)),
					field('issue_type', choice(false, 'billing')),
					field('tier', choice(false)),
					// a time after Now is counted from Now (followUp.ts planFeedback): no "past" demand
					field('feedback_at', [...date(false, false), v('"2030-01-01" (future: counted from now)', '2030-01-01', 'any')]),
				],
			},
		],
	},
	shopifyEvents: {
		node: 'CX Shopify Events',
		groups: [
			{
				name: 'order delivery',
				base: orderDeliveryBase,
				idField: 'headers.x-shopify-event-id',
				fields: [
					field(RAW_BODY, [v('Raw Body off (no binary data)', null, 'error'), v('empty raw body, signed', '', 'any')], ['data', 'Raw Body']),
					field('headers', structural(true), ['headers', 'x-shopify-hmac-sha256']),
					field('headers.x-shopify-hmac-sha256', signature(), ['x-shopify-hmac-sha256', 'headers.x-shopify-hmac-sha256']),
					field('headers.x-shopify-topic', topicHeader(), ['x-shopify-topic', 'headers.x-shopify-topic']),
					field('headers.x-shopify-event-id', [...header(true), v(JSON.stringify(SCRIPT), SCRIPT, 'any')], ['x-shopify-event-id', 'headers.x-shopify-event-id']),
					field('headers.x-shopify-shop-domain', header(false), ['x-shopify-shop-domain', 'headers.x-shopify-shop-domain']),
					field('headers.x-shopify-triggered-at', [...header(false).filter((bad) => !['right-to-left text', 'lone surrogate "\\ud83d"'].includes(bad.label)), v('"2026-02-30"', '2026-02-30', 'error'), v('"Ticket 12"', 'Ticket 12', 'error')], ['x-shopify-triggered-at', 'headers.x-shopify-triggered-at']),
					field('body', [...structural(true), v('1 MB JSON object', { id: 5100000000002, note: ONE_MB }, 'any'), v('number 12', 12, 'error'), v('"<order/>" (XML)', '<order/>', 'error')], ['body', 'body.id']),
					field('body.id', shopifyId(true, 'gid://shopify/Order/5100000000001'), ['body.id']),
				],
			},
			{
				name: 'returns/request delivery',
				base: returnRequestBase,
				idField: 'headers.x-shopify-event-id',
				fields: [
					// the GID is read first; without it, the numeric id names the return
					field('body.admin_graphql_api_id', [...structural(false), v('an order\'s GID', 'gid://shopify/Order/5014', 'error'), v('"Return 94001"', 'Return 94001', 'error')], ['body.admin_graphql_api_id']),
				],
			},
			{
				name: 'customers/redact delivery',
				base: redactBase,
				idField: 'headers.x-shopify-event-id',
				fields: [
					field('body.customer', [...structural(true), v('{"phone":null} (no id, no email)', { phone: null }, 'error')], ['body.customer']),
					field('body.customer.id', shopifyId(false, 'gid://shopify/Customer/207119551'), ['body.customer.id']),
					field('body.customer.email', email(false), ['body.customer.email']),
					field('body.orders_to_redact', orderIdList(), ['body.orders_to_redact']),
				],
			},
			{
				name: 'customers/data_request delivery',
				base: dataRequestBase,
				idField: 'headers.x-shopify-event-id',
				fields: [
					field('body.orders_requested', orderIdList(), ['body.orders_requested']),
					field('body.data_request.id', shopifyId(false), ['body.data_request.id', 'body.data_request']),
				],
			},
		],
	},
};

// ---- building items ------------------------------------------------------------------------------------------

/** A copy of `json` with `path` set to `value` (or removed, for MISSING); the bad value itself is not copied. */
export function withField(json: IDataObject, path: string, value: unknown): IDataObject {
	const copy = structuredClone(json);
	const keys = path.split('.');
	let parent: Record<string, unknown> = copy;
	for (const key of keys.slice(0, -1)) {
		if (parent[key] === null || typeof parent[key] !== 'object') parent[key] = {};
		parent = parent[key] as Record<string, unknown>;
	}
	const last = keys[keys.length - 1];
	if (value === MISSING) delete parent[last];
	else parent[last] = value;
	return copy;
}

export interface CorpusItem {
	group: string;
	field: string;
	label: string;
	expect: Expect;
	names: string[];
	json: IDataObject;
}

/** Every malformed item of a node (ids unique unless the case is about the id), then two items sharing an id. */
export function corpusItems(corpus: NodeCorpus): CorpusItem[] {
	const items: CorpusItem[] = [];
	let serial = 0;
	for (const group of corpus.groups) {
		for (const cases of group.fields) {
			for (const bad of cases.values) {
				serial++;
				let json = group.base();
				if (group.idField && group.idField !== cases.field) json = withField(json, group.idField, idOf(group, String(serial)));
				json = withField(json, cases.field, bad.value);
				items.push({ group: group.name, field: cases.field, label: bad.label, expect: bad.expect, names: cases.names, json });
			}
		}
		// the same id twice in one run: each item still gets its own answer (or a clear refusal)
		if (group.idField) {
			for (const copy of ['first', 'second']) {
				const json = withField(group.base(), group.idField, idOf(group, 'DUP'));
				items.push({ group: group.name, field: `duplicate ${group.idField}`, label: `${copy} of two items with the same ${group.idField}`, expect: 'any', names: [group.idField], json });
			}
		}
	}
	return items;
}

/** The valid item that ends every run. */
export function validItem(corpus: NodeCorpus): IDataObject {
	const group = corpus.groups[0];
	return group.idField ? withField(group.base(), group.idField, group.idOf ? group.idOf('VALID-LAST') : 'VALID-LAST') : group.base();
}

/** The id of an item of `group` by its tag: the group's own form of id, else the group's name and the tag. */
function idOf(group: Group, tag: string): string {
	return group.idOf ? group.idOf(tag) : `${group.name.replace(/\W+/g, '-')}-${tag}`;
}

/** Every field name a node's corpus knows (an error must quote one of them). */
export function knownNames(corpus: NodeCorpus): string[] {
	return [...new Set(corpus.groups.flatMap((group) => group.fields.flatMap((cases) => [cases.field, ...cases.names])))];
}

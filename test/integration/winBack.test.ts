/**
 * CX Win-Back against the stand-ins, through the real SDKs: the whole store read in one Shopify bulk
 * operation, suppression from Supabase, unique codes made in Shopify, SendGrid batches with the marketing
 * unsubscribe group, every send in winback_sends, and a rerun that mails nobody twice.
 */
import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxWinBack } from '../../nodes/CxWinBack/CxWinBack.node';
import { campaignWindow } from '../../nodes/CxWinBack/winback';
import { segmentCode } from '../../nodes/CxWinBack/winbackRun';
import { executeContext, rejectionOf, standin } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

interface Message {
	messageId: string;
	body: { asm?: { group_id: number }; categories?: string[]; personalizations: Array<{ to: Array<{ email: string }>; substitutions?: Record<string, string>; custom_args?: Record<string, string> }>; subject?: string };
	deliveries: Array<{ to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }>; customArgs: Record<string, string> }>;
}
interface ShopifyState { graphqlRequests: number; mutationLog: Array<{ mutation: string; request?: string }> }

const anchor = fromAnchor(0);
const window = campaignWindow(new Date(anchor), 30);
const GROUP = 4242;

const winBack = (parameters: IDataObject, items: IDataObject[] = [{}], continueOnFail = false, sendGridCredential?: IDataObject) =>
	new CxWinBack().execute.call(
		executeContext({
			items,
			continueOnFail,
			...(sendGridCredential ? { sendGridCredential } : {}),
			parameters: { source: 'shopify', dryRun: false, codeMode: 'perCustomer', unsubscribeGroupId: GROUP, ...parameters, options: { now: anchor, storeName: 'Example Store', storeUrl: 'https://shop.example-store.test', ...(parameters.options as IDataObject) } },
		}),
	);
const winback = (item: INodeExecutionData) => item.json.winback as IDataObject;

/**
 * What the seeded store of 300 customers (fixed seed, every date counted from the anchor) holds for a win-back
 * as of the anchor: 82 dormant, 42 of them subscribed and mailed, by segment and offer.
 */
const SEEDED = {
	dormant: 82,
	toMail: 42,
	suppressed: { consent_unsubscribed: 21, consent_not_subscribed: 16, consent_pending: 3 },
	bySegment: {
		champions: { dormant: 6, toMail: 4 },
		loyal: { dormant: 13, toMail: 4 },
		at_risk: { dormant: 9, toMail: 7 },
		cant_lose: { dormant: 4, toMail: 0 },
		hibernating: { dormant: 5, toMail: 4 },
		lost: { dormant: 45, toMail: 23 },
	},
};

interface DiscountByCode {
	data: { codeDiscountNodeByCode: { id: string; codeDiscount: { title: string; usageLimit: number | null; customerGets: { value: { percentage?: number } } } } | null };
}

describe('CX Win-Back against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const messages = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-winback'));
	const shopifyState = () => standin<ShopifyState>('shopify', '/__standin/state');
	const windows = [window, campaignWindow(new Date(fromAnchor(120)), 30), campaignWindow(new Date(fromAnchor(181)), 30), campaignWindow(new Date(fromAnchor(242)), 30), campaignWindow(new Date(fromAnchor(-60)), 30), campaignWindow(new Date(fromAnchor(300)), 30)];
	const planted: { tickets: string[]; compensations: string[] } = { tickets: [], compensations: [] };

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await supabase.from('winback_sends').delete().in('campaign_window', windows);
	});

	afterAll(async () => {
		await standin('sendgrid', '/__standin/faults', { method: 'DELETE' });
		await supabase.from('winback_sends').delete().in('campaign_window', windows);
		if (planted.tickets.length) await supabase.from('tickets').delete().in('external_id', planted.tickets);
		if (planted.compensations.length) await supabase.from('compensation_ledger').delete().in('order_id', planted.compensations);
	});

	let planned: INodeExecutionData[] = [];

	it('a dry run reads the store in one bulk operation and plans with reasons, writing and sending nothing', async () => {
		const before = await shopifyState();
		const [customers, [summary]] = await winBack({ dryRun: true });
		const after = await shopifyState();
		planned = customers;
		expect(summary.json).toMatchObject({ campaignWindow: window, dryRun: true, customers: 300, dormant: SEEDED.dormant, toMail: SEEDED.toMail, suppressedTotal: 40 });
		expect(summary.json.suppressed).toEqual(SEEDED.suppressed);
		expect(summary.json.bySegment).toEqual(SEEDED.bySegment);
		expect(customers).toHaveLength(SEEDED.toMail);
		const offers = customers.reduce<Record<string, number>>((count, item) => ({ ...count, [`${String(winback(item).segment)}:${String(winback(item).offerPercent)}`]: (count[`${String(winback(item).segment)}:${String(winback(item).offerPercent)}`] ?? 0) + 1 }), {});
		expect(offers).toEqual({ 'champions:0': 4, 'loyal:10': 4, 'at_risk:15': 7, 'hibernating:10': 4, 'lost:0': 23 });
		// the one-time buyer 300 days ago: past the 180-day floor, subscribed, mailed
		const dora = customers.find((item) => item.json.customer_id === 'gid://shopify/Customer/1005');
		expect(winback(dora!)).toMatchObject({ status: 'planned', dryRun: true });
		expect(winback(dora!).reasons).toEqual(['dormant:300d_since_last_order:threshold_180d:one_time_buyer_floor', 'segment_lost:R2F1M2', 'offer:plain_we_miss_you']);
		// the unsubscribed one is never planned
		expect(customers.some((item) => item.json.customer_id === 'gid://shopify/Customer/1006')).toBe(false);
		// the bulk mutation, a few polls and nothing per customer
		expect(after.graphqlRequests - before.graphqlRequests).toBeLessThan(15);
		expect(after.mutationLog.slice(before.mutationLog.length).map((entry) => entry.mutation)).toEqual(['bulkOperationRunQuery']);
		const { count } = await supabase.from('winback_sends').select('*', { count: 'exact', head: true }).eq('campaign_window', window);
		expect(count).toBe(0);
		expect(await messages()).toHaveLength(0);
	});

	it('with Output "Summary Only" a dry run puts out the same summary and no item per customer', async () => {
		const [customers, [summary]] = await winBack({ dryRun: true, options: { output: 'summary' } });
		expect(customers).toEqual([]);
		expect(summary.json).toMatchObject({ campaignWindow: window, dryRun: true, customers: 300, dormant: SEEDED.dormant, toMail: SEEDED.toMail, suppressedTotal: 40 });
		expect(summary.json.bySegment).toEqual(SEEDED.bySegment);
	});

	it('a director\'s retention request that names Dora by her Shopify id alone plans her from her Shopify orders, as the whole store does (before anyone gets in touch): dormant, Lost, a plain we-miss-you', async () => {
		const before = await shopifyState();
		const [customers, [summary]] = await winBack({ source: 'items', dryRun: true }, [
			{ customer_id: 'gid://shopify/Customer/1005' },
			// a director's request handed over as it is: Victor (1002) is looked up too, and active (his rhythm is 220 days)
			{ trigger_source: 'retention_agent', interaction_type: 'retention_campaign', customer_details: { customer_id: '1002', tier: 'vip', issue_type: 'general', sentiment: 'neutral' }, action_parameters: { priority: 'low', resolution_type: 'information', follow_up: 'optional' } },
		]);
		const after = await shopifyState();
		expect(summary.json).toMatchObject({ customers: 2, dormant: 1, toMail: 1, suppressedTotal: 0 });
		expect(customers).toHaveLength(1);
		const dora = customers[0];
		expect(dora.json).toMatchObject({ customer_id: 'gid://shopify/Customer/1005', email: 'dormant.once@example-store.test', first_name: 'Dora', orders_count: 1, amount_spent: '189.00', email_marketing_consent: 'SUBSCRIBED', last_order_at: fromAnchor(-300).replace('.000Z', 'Z') });
		expect(winback(dora)).toMatchObject({ segment: 'lost', rfm: { recency: 2, frequency: 1, monetary: 2 }, offerPercent: 0, status: 'planned' });
		// the same decision the whole-store run made for her
		const inStore = planned.find((item) => item.json.customer_id === 'gid://shopify/Customer/1005')!;
		expect(winback(dora).reasons).toEqual(winback(inStore).reasons);
		// both customers in one Shopify request, no bulk operation
		expect(after.graphqlRequests - before.graphqlRequests).toBe(1);
		expect(after.mutationLog.length).toBe(before.mutationLog.length);
	});

	it('ten customers named by id alone are read from Shopify a few to a request, each with their own orders: the fixtures\' one-time buyers Dora and Uma are dormant, Uma unsubscribed', async () => {
		const before = await shopifyState();
		const items = Array.from({ length: 10 }, (_, index) => ({ customer_id: String(1001 + index) }));
		const [customers, [summary]] = await winBack({ source: 'items', dryRun: true }, items);
		const after = await shopifyState();
		expect(summary.json).toMatchObject({ customers: 10, dormant: 2, toMail: 1, suppressed: { consent_unsubscribed: 1 } });
		expect(customers.map((item) => [item.json.customer_id, item.pairedItem])).toEqual([['1005', { item: 4 }]]);
		// four customers with up to 100 orders each fit Shopify's cost limit of a request: 10 in 3
		expect(after.graphqlRequests - before.graphqlRequests).toBe(3);
	});

	it('sends each planned customer one email with their own code, records it, and suppresses open tickets and recent compensations', async () => {
		// two planned customers get in touch: one opens a ticket, one was compensated last week
		const [withTicket, compensated] = planned.slice(0, 2).map((item) => item.json);
		// both are Lost (a plain mail): the customers with an offer are all still mailed
		expect(planned.slice(0, 2).map((item) => winback(item).offerPercent)).toEqual([0, 0]);
		planted.tickets.push(`wb-test-${Date.now()}`);
		planted.compensations.push(`gid://shopify/Order/wb-test-${Date.now()}`);
		await supabase.from('tickets').insert({ external_id: planted.tickets[0], customer_id: String(withTicket.customer_id).replace(/\D/g, ''), customer_email: withTicket.email, subject: 'Where is my order?', body: 'Synthetic ticket', status: 'open' }).throwOnError();
		await supabase.from('compensation_ledger').insert({ order_id: planted.compensations[0], reason: 'late_delivery', policy_version: 'wb-test', customer_id: compensated.customer_id, amount_cents: 2500, currency: 'USD', method: 'discountCode', status: 'completed', idempotency_key: `wb-${Date.now()}`, created_at: fromAnchor(-7) }).throwOnError();

		const before = await shopifyState();
		const [customers, [summary]] = await winBack({});
		const after = await shopifyState();
		const s = summary.json as { toMail: number; sent: number; failed: number; unconfirmed: number; suppressed: Record<string, number> };
		expect(s.suppressed).toMatchObject({ open_ticket: 1, recent_compensation: 1 });
		expect(s).toMatchObject({ toMail: SEEDED.toMail - 2, sent: SEEDED.toMail - 2, failed: 0, unconfirmed: 0 });
		expect(customers).toHaveLength(SEEDED.toMail - 2);
		expect(customers.every((item) => winback(item).status === 'sent')).toBe(true);

		// the ledger: one sent row per customer, with the code and SendGrid's message id
		const { data: rows } = await supabase.from('winback_sends').select('*').eq('campaign_window', window);
		expect(rows).toHaveLength(s.sent);
		expect(rows!.every((row) => row.status === 'sent' && row.sent_at && row.message_id)).toBe(true);
		const coded = rows!.filter((row) => Number(row.offer_percent) > 0);
		// loyal 4 and hibernating 4 at 10%, at risk 7 at 15%
		expect(coded.map((row) => `${String(row.segment)}:${String(row.offer_percent)}`).sort()).toEqual([...Array(7).fill('at_risk:15'), ...Array(4).fill('hibernating:10'), ...Array(4).fill('loyal:10')]);
		expect(new Set(coded.map((row) => row.discount_code)).size).toBe(coded.length);
		expect(rows!.filter((row) => Number(row.offer_percent) === 0).every((row) => row.discount_code === null)).toBe(true);

		// Shopify: one discount per segment with an offer, all three made in one request; the codes added in bulk, all
		// in one request; and each code redeemable
		const made = after.mutationLog.slice(before.mutationLog.length);
		const requestsOf = (name: string) => new Set(made.filter((entry) => entry.mutation === name).map((entry) => entry.request));
		const segments = new Set(coded.map((row) => row.segment));
		expect(made.filter((entry) => entry.mutation === 'discountCodeBasicCreate')).toHaveLength(3);
		expect(made.filter((entry) => entry.mutation === 'discountRedeemCodeBulkAdd')).toHaveLength(3);
		expect(requestsOf('discountCodeBasicCreate')).toEqual(new Set([expect.any(String)]));
		expect(requestsOf('discountRedeemCodeBulkAdd')).toEqual(new Set([expect.any(String)]));
		// the bulk operation (started, looked at until done), one request of discounts, one of codes, and a look at the
		// codes' creations until done: 15 or more when every segment had its own (a look-up, a discount, codes, two looks)
		expect(after.graphqlRequests - before.graphqlRequests).toBeLessThanOrEqual(10);
		const sample = coded[0];
		const found = await standin<{ data: { codeDiscountNodeByCode: { id: string; codeDiscount: { title: string; usageLimit: number | null } } | null } }>('shopify', `/admin/api/${env.shopify.apiVersion}/graphql.json`, {
			method: 'POST',
			body: JSON.stringify({ query: 'query($code: String!) { codeDiscountNodeByCode(code: $code) { id codeDiscount { ... on DiscountCodeBasic { title usageLimit } } } }', variables: { code: sample.discount_code } }),
		});
		expect(found.data.codeDiscountNodeByCode).toMatchObject({ id: sample.discount_id, codeDiscount: { usageLimit: 1 } });
		// every segment's discount is in Shopify at that segment's percent, and each row's code belongs to it
		for (const segment of segments) {
			const row = coded.find((entry) => entry.segment === segment)!;
			const discount = await standin<DiscountByCode>('shopify', `/admin/api/${env.shopify.apiVersion}/graphql.json`, {
				method: 'POST',
				body: JSON.stringify({ query: 'query($code: String!) { codeDiscountNodeByCode(code: $code) { id codeDiscount { ... on DiscountCodeBasic { title usageLimit customerGets { value { ... on DiscountPercentage { percentage } } } } } } }', variables: { code: row.discount_code } }),
			});
			expect(discount.data.codeDiscountNodeByCode).toMatchObject({ id: row.discount_id, codeDiscount: { usageLimit: 1, customerGets: { value: { percentage: Number(row.offer_percent) / 100 } } } });
			expect(new Set(coded.filter((entry) => entry.segment === segment).map((entry) => entry.discount_id))).toEqual(new Set([row.discount_id]));
		}

		// SendGrid: batched, the marketing group on every request, each customer's own code in their email
		const sent = await messages();
		expect(sent.length).toBeLessThanOrEqual(6);
		expect(sent.every((message) => message.body.asm?.group_id === GROUP)).toBe(true);
		expect(sent.reduce((sum, message) => sum + message.deliveries.length, 0)).toBe(s.sent);
		const delivery = sent.flatMap((message) => message.deliveries).find((entry) => entry.to[0].email === sample.customer_email)!;
		const html = delivery.content.find((part) => part.type === 'text/html')!.value;
		expect(html).toContain(sample.discount_code);
		expect(html).toContain(`https://shop.example-store.test/discount/${sample.discount_code}`);
		expect(delivery.subject).toMatch(new RegExp(`${Number(sample.offer_percent)}% off`));
		expect(delivery.customArgs).toMatchObject({ cx_winback: sample.id, cx_window: window });
	});

	it('a rerun in the same window mails nobody twice', async () => {
		const sentBefore = (await messages()).length;
		const [customers, [summary]] = await winBack({});
		expect(customers).toHaveLength(0);
		expect(summary.json).toMatchObject({ toMail: 0, sent: 0 });
		expect((summary.json.suppressed as IDataObject).cooldown).toBe(SEEDED.toMail - 2);
		expect(await messages()).toHaveLength(sentBefore);
	});

	const itemCustomers = (prefix: string): IDataObject[] => [
		{ customer_id: `${prefix}-1`, email: `${prefix}-1@example-store.test`, first_name: 'Ada <b>', orders_count: 5, amount_spent: 640, currency: 'USD', email_marketing_consent: 'SUBSCRIBED', order_dates: [fromAnchor(-300, '10:00'), fromAnchor(-269, '10:00'), fromAnchor(-241, '10:00'), fromAnchor(-210, '10:00'), fromAnchor(-180, '10:00')] },
		{ customer_id: `${prefix}-2`, email: `${prefix}-2@example-store.test`, first_name: 'Ben', orders_count: 5, amount_spent: 700, currency: 'USD', email_marketing_consent: 'SUBSCRIBED', order_dates: [fromAnchor(-299, '10:00'), fromAnchor(-268, '10:00'), fromAnchor(-240, '10:00'), fromAnchor(-209, '10:00'), fromAnchor(-179, '10:00')] },
		{ customer_id: `${prefix}-3`, email: `${prefix}-3@example-store.test`, first_name: 'Cy', orders_count: 1, amount_spent: 20, currency: 'USD', email_marketing_consent: 'SUBSCRIBED', order_dates: [fromAnchor(-153, '10:00')] },
		{ customer_id: `${prefix}-4`, email: `${prefix}-4@example-store.test`, orders_count: 1, amount_spent: 10, currency: 'USD', email_marketing_consent: 'PENDING', order_dates: [fromAnchor(-153, '10:00')] },
	];

	it('one code per segment: customers of a segment share it, and customer text is escaped in the email', async () => {
		const now = fromAnchor(120);
		const prefix = `wb-seg-${Date.now()}`;
		const [customers, [summary]] = await winBack({ source: 'items', codeMode: 'perSegment', options: { now } }, itemCustomers(prefix));
		expect(summary.json).toMatchObject({ customers: 4, dormant: 4, toMail: 3, sent: 3, suppressed: { consent_pending: 1 } });
		// Ada and Ben bought monthly and much, long ago: Can't lose, 20% off, one shared code; Cy's one small order: Lost, a plain mail
		const code = segmentCode('cant_lose', 20, campaignWindow(new Date(now), 30));
		expect(Object.fromEntries(customers.map((item) => [item.json.customer_id, [winback(item).segment, winback(item).discountCode ?? null]]))).toEqual({
			[`${prefix}-1`]: ['cant_lose', code],
			[`${prefix}-2`]: ['cant_lose', code],
			[`${prefix}-3`]: ['lost', null],
		});
		// the code exists in Shopify, shared (no usage limit), at the segment's 20%
		const found = await standin<DiscountByCode>('shopify', `/admin/api/${env.shopify.apiVersion}/graphql.json`, {
			method: 'POST',
			body: JSON.stringify({ query: 'query($code: String!) { codeDiscountNodeByCode(code: $code) { id codeDiscount { ... on DiscountCodeBasic { title usageLimit customerGets { value { ... on DiscountPercentage { percentage } } } } } } }', variables: { code } }),
		});
		expect(found.data.codeDiscountNodeByCode?.codeDiscount).toMatchObject({ usageLimit: null, customerGets: { value: { percentage: 0.2 } } });
		// and the ledger holds it against that discount for the two who were mailed it
		const { data: rows } = await supabase.from('winback_sends').select('customer_id, status, discount_code, discount_id').like('customer_id', `${prefix}%`).order('customer_id');
		expect(rows).toEqual([
			{ customer_id: `${prefix}-1`, status: 'sent', discount_code: code, discount_id: found.data.codeDiscountNodeByCode!.id },
			{ customer_id: `${prefix}-2`, status: 'sent', discount_code: code, discount_id: found.data.codeDiscountNodeByCode!.id },
			{ customer_id: `${prefix}-3`, status: 'sent', discount_code: null, discount_id: null },
		]);
		const ada = (await messages()).flatMap((message) => message.deliveries).find((entry) => entry.to[0].email === `${prefix}-1@example-store.test`)!;
		const html = ada.content.find((part) => part.type === 'text/html')!.value;
		expect(html).toContain('Ada &lt;b&gt;');
		expect(html).not.toContain('Ada <b>');
		expect(customers.map((item) => item.pairedItem)).toEqual(expect.arrayContaining([{ item: 0 }, { item: 1 }]));
	});

	it('a first name that carries markup and substitution tags reaches the email as text: SendGrid cannot substitute it again into live markup', async () => {
		const prefix = `wb-tags-${Date.now()}`;
		const [hostile] = itemCustomers(prefix);
		hostile.first_name = '<script>alert(1)</script>{{cx_first_name}}{{cx_shop_link}}';
		const [customers] = await winBack({ source: 'items', codeMode: 'perSegment', options: { now: fromAnchor(121), storeUrl: 'https://shop.example-store.test' } }, [hostile]);
		expect(customers.map((item) => winback(item).status)).toEqual(['sent']);
		const delivery = (await messages()).flatMap((message) => message.deliveries).find((entry) => entry.to[0].email === `${prefix}-1@example-store.test`)!;
		const html = delivery.content.find((part) => part.type === 'text/html')!.value;
		expect(html).not.toMatch(/<script/i);
		expect(html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;{\u200c{cx_first_name}\u200c}{\u200c{cx_shop_link}\u200c},');
		expect(delivery.subject).toContain('<script>alert(1)</script>{\u200c{cx_first_name}\u200c}');
	});

	it('two customers who share an address are each mailed, in separate requests: SendGrid refuses an address twice in one request', async () => {
		const prefix = `wb-shared-${Date.now()}`;
		const customers = itemCustomers(prefix);
		customers[1].email = customers[0].email;
		const sentBefore = (await messages()).length;
		const [, [summary]] = await winBack({ source: 'items', options: { now: fromAnchor(123) } }, customers);
		expect(summary.json).toMatchObject({ toMail: 3, sent: 3, failed: 0 });
		const requests = (await messages()).slice(sentBefore).map((message) => message.deliveries.map((entry) => entry.to[0].email));
		expect(requests.flat().filter((email) => email === customers[0].email)).toHaveLength(2);
		expect(requests.every((emails) => new Set(emails).size === emails.length)).toBe(true);
	});

	it('with Output "Summary Only" a send mails and records as before, and puts out only the counts', async () => {
		const prefix = `wb-summary-${Date.now()}`;
		const sentBefore = (await messages()).length;
		const [customers, [summary]] = await winBack({ source: 'items', options: { now: fromAnchor(121), output: 'summary' } }, itemCustomers(prefix));
		expect(customers).toEqual([]);
		expect(summary.json).toMatchObject({ customers: 4, dormant: 4, toMail: 3, sent: 3, failed: 0, unconfirmed: 0, suppressed: { consent_pending: 1 } });
		const recipients = (await messages()).slice(sentBefore).flatMap((message) => message.deliveries.map((entry) => entry.to[0].email));
		expect(recipients.sort()).toEqual([1, 2, 3].map((n) => `${prefix}-${n}@example-store.test`));
		const { data: rows } = await supabase.from('winback_sends').select('status').like('customer_id', `${prefix}%`);
		expect(rows!.map((row) => row.status)).toEqual(['sent', 'sent', 'sent']);
	});

	it('refuses a Store URL that is not a web address: a javascript: link never reaches a button', async () => {
		const failure = await winBack({ source: 'items', options: { now: fromAnchor(122), storeUrl: 'javascript:alert(document.cookie)' } }, itemCustomers(`wb-js-${Date.now()}`)).catch((error: unknown) => error);
		expect((failure as Error).message).toBe('"Store URL" must be a web address (http or https), not "javascript:alert(document.cookie)"');
	});

	it('after a gateway failure that outlasts the retries (503) the batch is given back, as every ledger of the pack does, and the next run mails it once', async () => {
		const now = fromAnchor(300);
		const prefix = `wb-gateway-${Date.now()}`;
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 503, count: 4 }) });
		const error = await rejectionOf<Error>(winBack({ source: 'items', options: { now } }, itemCustomers(prefix)));
		expect(error.message).toMatch(/SendGrid did not send the email \(HTTP 503\)/);
		await standin('sendgrid', '/__standin/faults', { method: 'DELETE' });
		const { data: rows } = await supabase.from('winback_sends').select('status, last_error').like('customer_id', `${prefix}%`);
		expect(rows!.map((row) => row.status)).toEqual(['coded', 'coded', 'coded']);
		// the first batch (Ada and Ben, Can't lose) met the 503; Cy's (Lost) was never tried
		expect(rows!.filter((row) => /HTTP 503/.test(row.last_error ?? ''))).toHaveLength(2);

		const sentBefore = (await messages()).length;
		const [customers, [summary]] = await winBack({ source: 'items', options: { now } }, itemCustomers(prefix));
		expect(summary.json).toMatchObject({ sent: rows!.length, unconfirmed: 0, failed: 0 });
		const delivered = (await messages()).slice(sentBefore).flatMap((message) => message.deliveries.map((entry) => entry.to[0].email));
		expect(delivered.sort()).toEqual(customers.map((item) => String(item.json.email)).sort());
		expect(new Set(delivered).size).toBe(rows!.length);
	});

	it('when SendGrid cannot be reached nothing went out: the run fails saying so, the batch is given back, and the next run mails it once', async () => {
		const now = fromAnchor(302);
		const prefix = `wb-unreachable-${Date.now()}`;
		// a port nothing listens on: the connection is refused, as when SendGrid is down or the Base URL is wrong
		const error = await rejectionOf<Error>(winBack({ source: 'items', options: { now } }, itemCustomers(prefix), false, { baseUrl: 'http://127.0.0.1:9' }));
		expect(error.message).toBe(`Customer ${prefix}-1: SendGrid did not send the email: SendGrid could not be reached (the connection was refused)`);
		const { data: rows } = await supabase.from('winback_sends').select('status').like('customer_id', `${prefix}%`);
		expect(rows!.map((row) => row.status)).toEqual(['coded', 'coded', 'coded']);
		const sentBefore = (await messages()).length;
		const [, [summary]] = await winBack({ source: 'items', options: { now } }, itemCustomers(prefix));
		expect(summary.json).toMatchObject({ sent: 3, unconfirmed: 0, failed: 0 });
		const delivered = (await messages()).slice(sentBefore).flatMap((message) => message.deliveries.map((entry) => entry.to[0].email));
		expect(delivered.sort()).toEqual([`${prefix}-1@example-store.test`, `${prefix}-2@example-store.test`, `${prefix}-3@example-store.test`]);
	});

	it('after an unclear SendGrid failure the batch is not sent again: it is reported unconfirmed', async () => {
		const now = fromAnchor(181);
		const prefix = `wb-fault-${Date.now()}`;
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1 }) });
		const error = await rejectionOf<Error>(winBack({ source: 'items', options: { now } }, itemCustomers(prefix)));
		expect(error.message).toMatch(/SendGrid did not send the email \(HTTP 500\)/);
		// the batch in flight stays sending; the segments after it were never tried and stay coded
		const { data: rows } = await supabase.from('winback_sends').select('status, last_error').like('customer_id', `${prefix}%`);
		const inFlight = rows!.filter((row) => row.status === 'sending');
		const untried = rows!.filter((row) => row.status === 'coded');
		// Ada and Ben (Can't lose) were in flight; Cy (Lost) was never tried
		expect(inFlight).toHaveLength(2);
		expect(untried).toHaveLength(1);
		expect(inFlight.every((row) => /HTTP 500/.test(row.last_error))).toBe(true);
		expect(inFlight.length + untried.length).toBe(rows!.length);

		const sentBefore = (await messages()).length;
		const [customers, [summary]] = await winBack({ source: 'items', options: { now } }, itemCustomers(prefix));
		expect(customers.filter((item) => winback(item).status === 'unconfirmed')).toHaveLength(inFlight.length);
		expect(customers.filter((item) => winback(item).status === 'sent')).toHaveLength(untried.length);
		expect(summary.json).toMatchObject({ sent: untried.length, unconfirmed: inFlight.length });
		const sentAfter = await messages();
		expect(sentAfter.slice(sentBefore).reduce((sum, message) => sum + message.deliveries.length, 0)).toBe(untried.length);
	});

	it('two runs of the same campaign at once mail each customer once: each mails only the rows it claimed', async () => {
		const now = fromAnchor(242);
		const prefix = `wb-race-${Date.now()}`;
		const customers = itemCustomers(prefix);
		const sentBefore = (await messages()).length;
		const [a, b] = await Promise.all([winBack({ source: 'items', options: { now } }, customers), winBack({ source: 'items', options: { now } }, customers)]);
		const statuses = [...a[0], ...b[0]].map((item) => winback(item).status);
		const mailed = new Set([...a[0], ...b[0]].filter((item) => winback(item).status === 'sent').map((item) => item.json.customer_id));
		const delivered = (await messages()).slice(sentBefore).flatMap((message) => message.deliveries.map((entry) => entry.to[0].email));
		expect(delivered.sort()).toEqual([...mailed].map((id) => `${String(id)}@example-store.test`).sort());
		expect(new Set(delivered).size).toBe(delivered.length);
		expect(mailed.size).toBe(3);
		expect(statuses.filter((status) => status === 'sent').length + statuses.filter((status) => status === 'unconfirmed').length).toBe(statuses.length);
	});

	it('a Now too early for Shopify\'s clock makes no dead codes: customers with an offer are not mailed, with the reason', async () => {
		// 60 days before the anchor, a code valid 30 days ends before the moment Shopify is at (the anchor or later)
		const now = fromAnchor(-60);
		const prefix = `wb-early-${Date.now()}`;
		const creates = async () => (await shopifyState()).mutationLog.filter((entry) => entry.mutation === 'discountCodeBasicCreate').length;
		const createsBefore = await creates();
		const sentBefore = (await messages()).length;
		const [customers, [summary]] = await winBack({ source: 'items', options: { now } }, itemCustomers(prefix));
		const withOffer = customers.filter((item) => Number(winback(item).offerPercent) > 0);
		// Ada and Ben, dormant 120 days into a monthly rhythm, are Loyal (10%); Cy's one order 93 days ago is not dormant yet
		expect(withOffer.map((item) => [item.json.customer_id, winback(item).segment, winback(item).offerPercent])).toEqual([[`${prefix}-1`, 'loyal', 10], [`${prefix}-2`, 'loyal', 10]]);
		expect(customers).toHaveLength(2);
		for (const item of withOffer) {
			expect(winback(item)).toMatchObject({ status: 'not_sent', reason: expect.stringMatching(/^code_would_be_expired: The code would end .*, which is already past on Shopify's clock/) });
		}
		expect(summary.json).toMatchObject({ notSent: withOffer.length, failed: 0, codesNotMade: expect.stringMatching(/already past on Shopify's clock/) });
		expect(await creates()).toBe(createsBefore);
		const mailed = (await messages()).slice(sentBefore).flatMap((message) => message.deliveries.map((entry) => entry.to[0].email));
		expect(mailed.sort()).toEqual(customers.filter((item) => winback(item).status === 'sent').map((item) => String(item.json.email)).sort());
		const { data: rows } = await supabase.from('winback_sends').select('status, discount_code').like('customer_id', `${prefix}%`).not('discount_code', 'is', null);
		expect(rows!.map((row) => row.status)).toEqual(withOffer.map(() => 'pending'));
	});

	it('a customer named by an id Shopify does not know, or by an id that is not Shopify\'s, is an error naming customer_id, not a customer without orders', async () => {
		const [customers, [summary]] = await winBack({ source: 'items', dryRun: true }, [{ customer_id: '999999999' }, { customer_id: 'crm-42' }], true);
		expect(summary.json).toMatchObject({ customers: 0, dormant: 0, toMail: 0 });
		expect(customers.map((item) => [item.pairedItem, item.json.error])).toEqual([
			[{ item: 0 }, 'Item 0: Field "customer_id": Shopify has no customer gid://shopify/Customer/999999999'],
			[{ item: 1 }, 'Item 1: Field "customer_id" is "crm-42", which is not a Shopify customer id, and the item carries nothing else about the customer'],
		]);
	});

	it('bad items become error items naming the field under Continue On Fail; without it the run stops', async () => {
		const bad = [{ customer_id: 'wb-bad-1', email: 'x@example-store.test', order_dates: ['yesterday'] }];
		const error = await rejectionOf<Error>(winBack({ source: 'items', dryRun: true }, bad));
		expect(error.message).toMatch(/Item 0: Field "order_dates" has an entry that is not a date/);
		const [customers] = await winBack({ source: 'items', dryRun: true }, bad, true);
		expect(customers[0]).toMatchObject({ json: { error: expect.stringMatching(/order_dates/) }, pairedItem: { item: 0 } });
	});

	it('refuses to send marketing mail without an unsubscribe group', async () => {
		const error = await rejectionOf<Error>(winBack({ unsubscribeGroupId: 0 }));
		expect(error.message).toMatch(/needs a marketing unsubscribe group/);
	});
});

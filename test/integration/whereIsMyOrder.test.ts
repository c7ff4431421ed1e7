/**
 * CX Ticket Triage answering "where is my order" against the stand-ins: the order's live status read from the
 * Shopify stand-in, mailed through the SendGrid stand-in once per ticket in place of the acknowledgement, and
 * recorded in Supabase as the ticket's first response; orders that cannot be identified go to a person and get
 * the plain acknowledgement; draft mode mails nobody.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxTicketTriage } from '../../nodes/CxTicketTriage/CxTicketTriage.node';
import { formatTime } from '../../nodes/shared/email/text';
import { executeContext, standin } from '../support/context';
import { fromAnchor, standinsEnv, storedTime } from '../support/standins';

interface Delivery { to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }>; customArgs?: Record<string, string> }
interface Message { messageId: string; body: { categories?: string[]; custom_args?: Record<string, string> }; deliveries: Delivery[] }
type OrderStatus = IDataObject & { status: string; reason?: string; route?: string; order?: IDataObject; messageId?: string; answeredAt?: string; draft?: { subject: string; text: string; html: string } };
type Triaged = IDataObject & { ticket: { id: string }; triage: { intent: string }; acknowledgement?: IDataObject; orderStatus?: OrderStatus };

const run = randomUUID().slice(0, 8);
const id = (name: string) => `wismo-${run}-${name}`;
const NOW = fromAnchor(0, '10:00');
const CREATED = fromAnchor(0, '09:50');

const parameters = (extra: IDataObject = {}): IDataObject => ({
	enrichFromShopify: true,
	storeInSupabase: true,
	acknowledgeCustomer: true,
	acknowledgementOptions: { storeName: 'Example Store' },
	orderStatusAnswer: 'email',
	orderStatusOptions: { timeZone: 'UTC' },
	options: { now: NOW },
	...extra,
});
const triage = async (items: IDataObject[], extra: IDataObject = {}) => new CxTicketTriage().execute.call(executeContext({ items, parameters: parameters(extra) }));
const byId = (outputs: INodeExecutionData[][]): Record<string, Triaged> =>
	Object.fromEntries(outputs.flat().map((item) => [(item.json as Triaged).ticket.id, item.json as Triaged]));
const ticket = (name: string, email: string, subject: string, body: string, extra: IDataObject = {}) => ({ id: id(name), channel: 'email', customer_email: email, created_at: CREATED, subject, body, ...extra });

describe('CX Ticket Triage answering "where is my order", against the stand-ins', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	/** The messages of one category sent for one ticket, read back from the SendGrid stand-in's mailbox. */
	const mailFor = async (email: string, ticketId: string, category: string) =>
		(await standin<Message[]>('sendgrid', `/__standin/messages?to=${encodeURIComponent(email)}`))
			.filter((message) => message.body.categories?.includes(category))
			.flatMap((message) => message.deliveries.map((delivery) => ({ messageId: message.messageId, delivery })))
			.filter(({ delivery }) => (delivery.customArgs ?? {}).cx_ticket === ticketId);
	const part = (delivery: Delivery, type: string) => delivery.content.find((block) => block.type === type)!.value;
	const tracking = async (orderId: string) => {
		const { data } = await standin<{ data: { order: { fulfillments: Array<{ trackingInfo: Array<{ company: string; number: string; url: string }> }> } } }>(
			'shopify',
			`/admin/api/${env.shopify.apiVersion}/graphql.json`,
			{ method: 'POST', body: JSON.stringify({ query: `{ order(id: "${orderId}") { fulfillments(first: 1) { trackingInfo(first: 1) { company number url } } } }` }) },
		);
		return data.order.fulfillments[0].trackingInfo[0];
	};
	const row = async (ticketId: string) => {
		const { data, error } = await supabase.from('tickets').select('acknowledged_at, acknowledgement_message_id, first_responded_at').eq('external_id', ticketId).single();
		expect(error).toBeNull();
		return data!;
	};

	afterAll(async () => {
		await supabase.from('tickets').delete().like('external_id', `wismo-${run}-%`);
	});

	it('"Where is my order #1013?": the delivery, its tracking and an apology for the 10 days late, once over two runs, as the first response', async () => {
		const asked = ticket('1013', 'late.delivery@example-store.test', 'Where is my order #1013?', 'Hi, where is my order #1013? I would like the tracking number.');
		const first = byId(await triage([asked]))[id('1013')];
		expect(first.triage.intent).toBe('shipping_status');
		expect(first.orderStatus).toMatchObject({ status: 'sent', identifiedBy: 'order_number', to: 'late.delivery@example-store.test', answeredAt: NOW, order: { orderName: '#1013', state: 'delivered', daysLate: 10, late: true } });
		expect(first.acknowledgement).toMatchObject({ status: 'skipped', reason: 'answered_with_order_status' });

		const parcel = await tracking('gid://shopify/Order/5013');
		const mails = await mailFor('late.delivery@example-store.test', id('1013'), 'cx-order-status');
		expect(mails).toHaveLength(1);
		const [{ messageId, delivery }] = mails;
		expect(messageId).toBe(first.orderStatus!.messageId);
		expect(delivery.subject).toBe(`Your order #1013 is delivered [ticket ${id('1013')}]`);
		const text = part(delivery, 'text/plain');
		const html = part(delivery, 'text/html');
		expect(text).toContain(`We are sorry: your order arrived 10 days after the delivery date we promised (${formatTime(fromAnchor(-32), 'UTC', false)}).`);
		expect(text).toContain(`Carrier: UPS\nTracking number: ${parcel.number}\nDelivered: ${formatTime(fromAnchor(-22), 'UTC', false)}`);
		expect(text).toContain(`Track your parcel: ${parcel.url}`);
		expect(html).toContain(`<a href="${parcel.url}">Track your parcel</a>`);
		expect(await mailFor('late.delivery@example-store.test', id('1013'), 'cx-acknowledgement')).toHaveLength(0);

		const stored = await row(id('1013'));
		expect(stored).toEqual({ acknowledged_at: storedTime(NOW), acknowledgement_message_id: first.orderStatus!.messageId, first_responded_at: storedTime(NOW) });

		const again = byId(await triage([asked], { options: { now: fromAnchor(0, '10:30') } }))[id('1013')];
		expect(again.orderStatus).toMatchObject({ status: 'already_acknowledged', messageId: first.orderStatus!.messageId, answeredAt: NOW });
		expect(await mailFor('late.delivery@example-store.test', id('1013'), 'cx-order-status')).toHaveLength(1);
		expect((await row(id('1013'))).first_responded_at).toBe(storedTime(NOW));
	});

	it('"Where is my order?" without a number: the customer\'s open order #1016, in transit with FedEx, 4 days past its promise', async () => {
		const result = byId(await triage([ticket('open', 'in.transit@example-store.test', 'Where is my order?', 'Where is my order? It has been ages.')]))[id('open')];
		expect(result.orderStatus).toMatchObject({ status: 'sent', identifiedBy: 'latest_open_order', order: { orderName: '#1016', state: 'on_its_way', carrier: 'FedEx', daysLate: 4, late: true } });
		const parcel = await tracking('gid://shopify/Order/5016');
		const [{ delivery }] = await mailFor('in.transit@example-store.test', id('open'), 'cx-order-status');
		expect(delivery.subject).toBe(`Your order #1016 is on its way [ticket ${id('open')}]`);
		const text = part(delivery, 'text/plain');
		expect(text).toContain(`We are sorry: your order is 4 days past the delivery date we promised (${formatTime(fromAnchor(-4), 'UTC', false)}).`);
		expect(text).toContain(`Parcel status: delayed\nCarrier: FedEx\nTracking number: ${parcel.number}`);
		expect(text).toContain(`Track your parcel: ${parcel.url}`);
		expect((await row(id('open'))).first_responded_at).toBe(storedTime(NOW));
	});

	it('three triage runs of one ticket at once: the customer hears once', async () => {
		const asked = ticket('race', 'in.transit@example-store.test', 'Where is my order #1016?', 'Where is my order #1016?');
		const results = await Promise.all([triage([asked]), triage([asked]), triage([asked])]);
		const statuses = results.map((outputs) => byId(outputs)[id('race')].orderStatus!.status).sort();
		expect(statuses).toEqual(['already_acknowledged', 'already_acknowledged', 'sent']);
		expect(await mailFor('in.transit@example-store.test', id('race'), 'cx-order-status')).toHaveLength(1);
		expect(await mailFor('in.transit@example-store.test', id('race'), 'cx-acknowledgement')).toHaveLength(0);
	});

	it('#1015, not shipped yet and not past the store\'s window: the status without an apology', async () => {
		const result = byId(await triage([ticket('1015', 'unfulfilled@example-store.test', 'Order status', 'What is the order status of #1015?')]))[id('1015')];
		expect(result.orderStatus).toMatchObject({ status: 'sent', order: { orderName: '#1015', state: 'being_prepared', promisedFrom: 'production_window', promisedDeliveryDate: fromAnchor(0), daysLate: 0, late: false } });
		const [{ delivery }] = await mailFor('unfulfilled@example-store.test', id('1015'), 'cx-order-status');
		expect(delivery.subject).toBe(`Your order #1015 is being prepared [ticket ${id('1015')}]`);
		expect(part(delivery, 'text/plain')).not.toContain('sorry');
		expect(part(delivery, 'text/plain')).toContain(`Fulfilment status: Not shipped yet\nDelivery promised by: ${formatTime(fromAnchor(0), 'UTC', false)}`);
	});

	it('another customer\'s order number, or no open order: a person answers, and the plain acknowledgement goes out', async () => {
		const results = byId(
			await triage([
				ticket('theirs', 'in.transit@example-store.test', 'Where is my order #1013?', 'Where is my order #1013?'),
				ticket('none', 'vip.tagged@example-store.test', 'Where is my order?', 'Where is my order?'),
			]),
		);
		expect(results[id('theirs')].orderStatus).toEqual({ status: 'to_person', reason: 'order_not_this_customers', route: 'queue', note: 'The order could not be identified: a person answers.', candidates: ['#1013'] });
		expect(results[id('none')].orderStatus).toEqual({ status: 'to_person', reason: 'no_open_order', route: 'queue', note: 'The order could not be identified: a person answers.' });
		for (const [name, email] of [['theirs', 'in.transit@example-store.test'], ['none', 'vip.tagged@example-store.test']]) {
			expect(results[id(name)].acknowledgement).toMatchObject({ status: 'sent' });
			expect(await mailFor(email, id(name), 'cx-order-status')).toHaveLength(0);
			expect(await mailFor(email, id(name), 'cx-acknowledgement')).toHaveLength(1);
			expect((await row(id(name))).first_responded_at).toBeNull();
		}
	});

	it('a ticket the helpdesk already answered gets no answer, and its first response is not moved', async () => {
		const asked = ticket('answered', 'in.transit@example-store.test', 'Where is my order #1016?', 'Where is my order #1016?');
		await triage([asked], { acknowledgeCustomer: false, orderStatusAnswer: 'off' });
		const answeredAt = fromAnchor(0, '09:55');
		await supabase.from('tickets').update({ first_responded_at: answeredAt }).eq('external_id', id('answered'));
		const result = byId(await triage([asked]))[id('answered')];
		expect(result.orderStatus).toMatchObject({ status: 'skipped', reason: 'already_answered', order: { orderName: '#1016' } });
		expect(result.orderStatus!.draft!.subject).toBe(`Your order #1016 is on its way [ticket ${id('answered')}]`);
		expect(result.acknowledgement).toMatchObject({ status: 'skipped', reason: 'already_answered' });
		expect(await mailFor('in.transit@example-store.test', id('answered'), 'cx-order-status')).toHaveLength(0);
		expect(await row(id('answered'))).toEqual({ acknowledged_at: null, acknowledgement_message_id: null, first_responded_at: storedTime(answeredAt) });
	});

	it('draft mode: the answer is in the output for an agent, and no email goes out', async () => {
		const result = byId(await triage([ticket('draft', 'late.delivery@example-store.test', 'Where is my order #1013?', 'Where is my order #1013?')], { orderStatusAnswer: 'draft', acknowledgeCustomer: false }))[id('draft')];
		expect(result.orderStatus).toMatchObject({ status: 'drafted', reason: 'draft_mode', order: { orderName: '#1013', late: true } });
		expect(result.orderStatus!.draft!.subject).toBe(`Your order #1013 is delivered [ticket ${id('draft')}]`);
		expect(result.orderStatus!.draft!.text).toContain('We are sorry: your order arrived 10 days after the delivery date we promised');
		expect(await mailFor('late.delivery@example-store.test', id('draft'), 'cx-order-status')).toHaveLength(0);
		expect((await row(id('draft'))).first_responded_at).toBeNull();
	});
});

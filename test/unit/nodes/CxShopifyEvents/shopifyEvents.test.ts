import type { IDataObject } from 'n8n-workflow';
import { readDelivery } from '../../../../nodes/CxShopifyEvents/eventInput';
import { readEvent } from '../../../../nodes/CxShopifyEvents/shopifyEvents';
import { InputProblem } from '../../../../nodes/shared/items';

/** Payloads shaped as Shopify's webhook bodies (the REST resource of each topic), synthetic values. */
const order = (fulfillments: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({ id: 5100000000001, name: '#1042', cancelled_at: null, fulfillment_status: fulfillments.length ? 'fulfilled' : null, fulfillments, ...extra });

describe('what a Shopify order event means', () => {
	it('reads an order whose parcel arrived as delivered, naming the order', () => {
		expect(readEvent('orders/updated', order([{ id: 1, status: 'success', shipment_status: 'delivered' }]))).toEqual({ route: 'delivered', orderId: '5100000000001', reasons: ['topic:orders/updated', 'parcels_delivered:1_of_1'] });
		// one of two parcels arrived: delivered, and whoever acts reads the whole order from Shopify
		expect(readEvent('orders/fulfilled', order([{ status: 'success', shipment_status: 'delivered' }, { status: 'success', shipment_status: 'in_transit' }])).reasons).toContain('parcels_delivered:1_of_2');
	});

	it('reads parcels on their way as a shipping update, and an order without one as an order update', () => {
		expect(readEvent('orders/updated', order([{ status: 'success', shipment_status: 'in_transit' }])).route).toBe('shipping_update');
		expect(readEvent('orders/updated', order([{ status: 'cancelled', shipment_status: 'delivered' }])).route).toBe('order_update');
		expect(readEvent('orders/paid', order([])).route).toBe('order_update');
	});

	it('reads a cancelled order as cancelled, whatever its parcels say', () => {
		expect(readEvent('orders/updated', order([{ status: 'success', shipment_status: 'delivered' }], { cancelled_at: '2026-11-30T10:00:00Z' })).route).toBe('cancelled');
		expect(readEvent('orders/cancelled', order([])).route).toBe('cancelled');
	});

	it('reads fulfillment and tracking events by the order they name', () => {
		expect(readEvent('fulfillments/update', { id: 7, order_id: 5100000000002, status: 'success', shipment_status: 'delivered' })).toEqual({ route: 'delivered', orderId: '5100000000002', reasons: ['topic:fulfillments/update', 'parcel_delivered'] });
		expect(readEvent('fulfillments/create', { id: 8, order_id: 5100000000003, status: 'success', shipment_status: null }).route).toBe('shipping_update');
		expect(readEvent('fulfillment_events/create', { order_id: '5100000000004', status: 'delivered' })).toMatchObject({ route: 'delivered', orderId: '5100000000004' });
		expect(readEvent('fulfillment_events/create', { order_id: 5100000000004, status: 'out_for_delivery' }).reasons).toContain('tracking_out_for_delivery');
	});

	it('records refunds and other topics without acting', () => {
		expect(readEvent('refunds/create', { id: 9, order_id: 5100000000005 })).toEqual({ route: 'refund', orderId: '5100000000005', reasons: ['topic:refunds/create', 'refund_recorded_only'] });
		expect(readEvent('products/update', { id: 10 })).toEqual({ route: 'other', reasons: ['topic:products/update', 'topic_not_followed'] });
	});

	it('reads a return request as the return it names, by its GID, and its order', () => {
		const requested = { id: 94001, admin_graphql_api_id: 'gid://shopify/Return/94001', name: '#1014-R1', status: 'requested', order: { id: 5014, admin_graphql_api_id: 'gid://shopify/Order/5014' }, return_line_items: [{ id: 95001, quantity: 1, return_reason: 'color' }] };
		expect(readEvent('returns/request', requested)).toEqual({ route: 'return_request', orderId: '5014', returnId: 'gid://shopify/Return/94001', reasons: ['topic:returns/request', 'return_requested'] });
		// a payload without its GID: the numeric id names the return; an order_id names the order
		expect(readEvent('returns/request', { id: '94002', order_id: 5013, return_line_items: [] })).toMatchObject({ returnId: 'gid://shopify/Return/94002', orderId: '5013' });
		// other return topics are recorded only: the desk answers requests, Shopify's state says the rest
		expect(readEvent('returns/approve', requested).route).toBe('other');
	});
});

describe('Shopify\'s compliance webhooks', () => {
	it('reads a redaction as a privacy request naming every form of the customer\'s id, the address and the orders', () => {
		expect(readEvent('customers/redact', { shop_id: 1, shop_domain: 'example-store.myshopify.com', customer: { id: 207119551, email: ' Nadia@Example-Store.test ', phone: null }, orders_to_redact: [299938, '280263', 'not-an-id'] })).toEqual({
			route: 'privacy',
			privacy: {
				topic: 'customers/redact',
				customerIds: ['207119551', 'gid://shopify/Customer/207119551'],
				emails: ['nadia@example-store.test'],
				orderIds: ['299938', 'gid://shopify/Order/299938', '280263', 'gid://shopify/Order/280263'],
			},
			reasons: ['topic:customers/redact', 'erase_personal_data'],
		});
	});

	it('reads a data request with Shopify\'s request id and the orders requested; a shop redaction names nobody', () => {
		expect(readEvent('customers/data_request', { customer: { id: 207119551, email: 'nadia@example-store.test' }, orders_requested: [299938], data_request: { id: 9999 } }).privacy).toEqual({
			topic: 'customers/data_request',
			customerIds: ['207119551', 'gid://shopify/Customer/207119551'],
			emails: ['nadia@example-store.test'],
			orderIds: ['299938', 'gid://shopify/Order/299938'],
			requestId: '9999',
		});
		expect(readEvent('shop/redact', { shop_id: 1, shop_domain: 'example-store.myshopify.com' })).toEqual({
			route: 'privacy',
			privacy: { topic: 'shop/redact', customerIds: [], emails: [], orderIds: [] },
			reasons: ['topic:shop/redact', 'erase_personal_data'],
		});
	});
});

describe('a delivery as the Webhook node hands it over', () => {
	const headers = { 'x-shopify-topic': 'orders/updated', 'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5', 'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', 'x-shopify-shop-domain': 'synthetic-prints.myshopify.com', 'x-shopify-triggered-at': '2026-12-01T10:00:00.123Z', 'x-shopify-api-version': '2026-10' };

	it('is read from its headers and body', () => {
		expect(readDelivery({ headers, body: { id: 1 } })).toEqual({
			topic: 'orders/updated',
			eventId: '98880550-7158-44d4-b7cd-2c97c8a091b5',
			webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
			shopDomain: 'synthetic-prints.myshopify.com',
			triggeredAt: new Date('2026-12-01T10:00:00.123Z'),
			apiVersion: '2026-10',
			payload: { id: 1 },
		});
	});

	it('without a topic, an event ID or a JSON body is a problem naming what is missing', () => {
		const problem = (json: IDataObject) => readDelivery(json) as InputProblem;
		expect(problem({ headers: { ...headers, 'x-shopify-topic': undefined }, body: {} })).toMatchObject({ field: 'headers.x-shopify-topic' });
		expect(problem({ headers: { ...headers, 'x-shopify-event-id': '' }, body: {} })).toMatchObject({ field: 'headers.x-shopify-event-id' });
		expect(problem({ headers, body: '<order/>' })).toBeInstanceOf(InputProblem);
		expect(problem({ headers, body: '<order/>' }).fix).toContain('JSON');
	});

	it('a return request names its return: a GID of another kind, or no id at all, is a problem naming the field', () => {
		const returns = { ...headers, 'x-shopify-topic': 'returns/request' };
		expect(readDelivery({ headers: returns, body: { id: 94001, admin_graphql_api_id: 'gid://shopify/Return/94001' } })).toMatchObject({ topic: 'returns/request' });
		expect(readDelivery({ headers: returns, body: { id: 94001 } })).toMatchObject({ topic: 'returns/request' });
		expect(readDelivery({ headers: returns, body: { id: 94001, admin_graphql_api_id: 'gid://shopify/Order/5014' } })).toMatchObject({ field: 'body.admin_graphql_api_id' });
		expect(readDelivery({ headers: returns, body: { name: '#1014-R1' } })).toMatchObject({ field: 'body.id', message: 'Field "body.id" is missing' });
	});
});

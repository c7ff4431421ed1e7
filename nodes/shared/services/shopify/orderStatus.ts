/**
 * Shopify orders with their parcels' tracking, for the "where is my order" answer: the orders tickets name, and
 * each asking customer's latest orders, every look-up of a run packed into as few requests as the cost limit
 * allows.
 */
import { customerGid } from '../../contract/customer';
import type { TrackedOrder } from '../../contract/orderStatus';
import { moneyFromDecimal } from '../../money';
import { MAX_QUERY_COST, numericId, ordersByExactName, packByCost, type ShopifyService } from './client';

/** Points one order of ORDER_STATUS_FIELDS costs (object costs, shopify.dev): five orders ask for 227. */
const COST_PER_ORDER = 45;
/** Names per aliased search. */
const NAMES_PER_SEARCH = 10;
/** A customer's latest orders read when the ticket names none: the open one is among the newest. */
export const RECENT_ORDERS_PER_CUSTOMER = 5;

const ORDER_STATUS_FIELDS = `
	id
	name
	email
	processedAt
	cancelledAt
	displayFulfillmentStatus
	customer { id }
	totalPriceSet { shopMoney { amount currencyCode } }
	fulfillmentOrders(first: 3) { nodes { deliveryMethod { maxDeliveryDateTime } } }
	fulfillments(first: 3) {
		createdAt
		inTransitAt
		estimatedDeliveryAt
		deliveredAt
		displayStatus
		trackingInfo(first: 3) { company number url }
		events(first: 5, reverse: true) { nodes { status happenedAt message } }
	}`;

interface OrderNode {
	id: string;
	name: string;
	email: string | null;
	processedAt: string;
	cancelledAt: string | null;
	displayFulfillmentStatus: string;
	customer: { id: string } | null;
	totalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
	fulfillmentOrders: { nodes: Array<{ deliveryMethod: { maxDeliveryDateTime: string | null } | null }> };
	fulfillments: Array<{
		createdAt: string | null;
		inTransitAt: string | null;
		estimatedDeliveryAt: string | null;
		deliveredAt: string | null;
		displayStatus: string | null;
		trackingInfo: Array<{ company: string | null; number: string | null; url: string | null }>;
		events: { nodes: Array<{ status: string; happenedAt: string; message: string | null }> };
	}>;
}

/** The references a ticket may give, in the forms Shopify looks them up by: names ("#1013") and order GIDs. */
function lookups(references: string[]): { names: string[]; ids: string[] } {
	const names = new Set<string>();
	const ids = new Set<string>();
	for (const reference of references.map((one) => one.trim()).filter(Boolean)) {
		if (/^gid:\/\/shopify\/Order\/\d+$/.test(reference)) ids.add(reference);
		else if (/^\d{6,}$/.test(reference)) ids.add(`gid://shopify/Order/${reference}`);
		else names.add(reference.startsWith('#') ? reference : `#${reference}`);
	}
	return { names: [...names], ids: [...ids] };
}

/**
 * The orders these references name (names, numeric ids, GIDs) and the latest orders of these customers (GIDs or
 * numbers), newest first, in as few requests as the cost limit allows. Orders are keyed by name and GID;
 * customers by GID. A reference or customer Shopify does not know is absent.
 */
export async function trackedOrders(
	shopify: ShopifyService,
	refs: { references: string[]; customerIds: string[] },
): Promise<{ orders: Map<string, TrackedOrder>; byCustomer: Map<string, TrackedOrder[]> }> {
	const { names, ids } = lookups(refs.references);
	const customers = [...new Set(refs.customerIds.map(customerGid).filter((id): id is string => id !== undefined))];
	const orders = new Map<string, TrackedOrder>();
	const byCustomer = new Map<string, TrackedOrder[]>();
	const fragment = `fragment CxTrackedOrder on Order {${ORDER_STATUS_FIELDS}\n}`;
	const named = await ordersByExactName<OrderNode>(shopify, names, { perSearch: NAMES_PER_SEARCH, costPerOrder: COST_PER_ORDER, selection: '...CxTrackedOrder', fragment });
	for (const order of named.map(trackedOrder)) orders.set(order.orderId, order).set(order.name, order);
	const parts: Array<{ cost: number; text: string }> = [];
	for (let i = 0; i < ids.length; i += NAMES_PER_SEARCH) {
		const chunk = ids.slice(i, i + NAMES_PER_SEARCH);
		parts.push({ cost: chunk.length * COST_PER_ORDER, text: `i${i}: nodes(ids: ${JSON.stringify(chunk)}) { ... on Order { ...CxTrackedOrder } }` });
	}
	customers.forEach((gid, index) => {
		const search = `customer_id:${numericId(gid)}`;
		parts.push({
			cost: 2 + RECENT_ORDERS_PER_CUSTOMER * COST_PER_ORDER,
			text: `c${index}: orders(first: ${RECENT_ORDERS_PER_CUSTOMER}, sortKey: PROCESSED_AT, reverse: true, query: ${JSON.stringify(search)}) { nodes { ...CxTrackedOrder } }`,
		});
	});
	for (const batch of packByCost(parts, MAX_QUERY_COST)) {
		const document = `query CxTrackedOrders {\n${batch.join('\n')}\n}\n${fragment}`;
		const { data } = await shopify.query<Record<string, { nodes: Array<OrderNode | null> } | Array<OrderNode | null>>>(document);
		for (const [alias, result] of Object.entries(data ?? {})) {
			const found = (Array.isArray(result) ? result : result.nodes).filter((node): node is OrderNode => !!node?.id).map(trackedOrder);
			if (alias.startsWith('c')) {
				byCustomer.set(customers[Number(alias.slice(1))], found);
				continue;
			}
			for (const order of found) {
				orders.set(order.orderId, order);
				orders.set(order.name, order);
			}
		}
	}
	return { orders, byCustomer };
}

function trackedOrder(node: OrderNode): TrackedOrder {
	const promises = (node.fulfillmentOrders?.nodes ?? [])
		.map((fulfillmentOrder) => fulfillmentOrder.deliveryMethod?.maxDeliveryDateTime)
		.filter((at): at is string => !!at && !Number.isNaN(Date.parse(at)));
	return {
		orderId: node.id,
		name: node.name,
		processedAt: node.processedAt,
		cancelledAt: node.cancelledAt,
		total: moneyFromDecimal(node.totalPriceSet.shopMoney.amount, node.totalPriceSet.shopMoney.currencyCode),
		checkoutPromiseAt: promises.length ? promises.reduce((last, at) => (Date.parse(at) > Date.parse(last) ? at : last)) : null,
		// the answer names no tier: the delivery facts carry one, the default
		tier: 'regular',
		displayFulfillmentStatus: node.displayFulfillmentStatus,
		...(node.customer?.id ? { customerId: node.customer.id } : {}),
		...(node.email ? { email: node.email } : {}),
		fulfillments: node.fulfillments.map((fulfillment) => ({
			createdAt: fulfillment.createdAt,
			inTransitAt: fulfillment.inTransitAt,
			estimatedDeliveryAt: fulfillment.estimatedDeliveryAt,
			deliveredAt: fulfillment.deliveredAt,
			displayStatus: fulfillment.displayStatus,
			events: fulfillment.events.nodes,
			tracking: fulfillment.trackingInfo.map((info) => ({ company: info.company, number: info.number, url: info.url })),
		})),
	};
}

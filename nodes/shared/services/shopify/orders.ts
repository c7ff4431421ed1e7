/**
 * Shopify orders: looked up by name or id; read whole in one bulk operation for the delay check (tracking
 * events fetched after it for the orders that need them, paced by the cost bucket);
 * and read whole in one bulk operation for surveys (delivered orders) and metrics (every sale before a time).
 */
import { tierFromProfile } from '../../contract/customer';
import { customerKeyOf, RETURN_STATUSES, type DeliveredOrder, type OrderSale, type OrderToCheck } from '../../contract/order';
import type { CustomerTier } from '../../contract/request';
import { moneyFromDecimal, type Money } from '../../money';
import { TIER_POLICY, type TierPolicy } from '../../policy';
import { epochOrNull } from '../../time';
import { CUSTOMERS_PER_SEARCH, ordersByExactName, paceByCost, type QueryCost, type ShopifyService } from './client';

/**
 * The delay check's orders, read whole in one bulk operation (no cost points, however large the store): each
 * order with its parcels inline and its fulfillment orders (the checkout promise) as child lines. Bulk queries
 * take no variables, so the search holds a date only. Tracking events are read afterwards for the parcels
 * that need them (FULFILLMENT_EVENTS_QUERY): a connection under the fulfillments list has no documented
 * place in a bulk result.
 */
export function delayCheckQuery(since: string): string {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(since)) throw new RangeError(`not a date: ${since}`);
	const search = `processed_at:>=${since} AND -status:cancelled`;
	return `{
	orders(query: ${JSON.stringify(search)}) {
		edges {
			node {
				${DELAY_CHECK_FIELDS}
				fulfillmentOrders { edges { node { deliveryMethod { maxDeliveryDateTime } } } }
			}
		}
	}
}`;
}

/** The delay check's fields of an order, read in bulk or by ID (the checkout promise, a connection, is added by each). */
const DELAY_CHECK_FIELDS = 'id name processedAt cancelledAt displayFulfillmentStatus totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } customer { id email firstName tags amountSpent { amount currencyCode } } fulfillments { id createdAt inTransitAt estimatedDeliveryAt deliveredAt displayStatus }';

/** Fulfillments per events request: 100 fulfillments of up to five events ask for 800 of the 1,000 points. */
const FULFILLMENTS_PER_REQUEST = 100;

/** The latest five tracking events of each fulfillment asked for. */
const FULFILLMENT_EVENTS_QUERY = `query CxFulfillmentEvents($ids: [ID!]!) {
	nodes(ids: $ids) {
		... on Fulfillment { id events(first: 5, reverse: true) { nodes { status happenedAt message } } }
	}
}`;

interface MoneySet {
	shopMoney: { amount: string; currencyCode: string };
	presentmentMoney?: { amount: string; currencyCode: string } | null;
}

interface DelayCheckOrder {
	id: string;
	name: string;
	processedAt: string;
	cancelledAt: string | null;
	displayFulfillmentStatus: string;
	totalPriceSet: MoneySet;
	totalRefundedSet: MoneySet;
	customer: { id: string; email: string | null; firstName: string | null; tags: string[]; amountSpent: { amount: string; currencyCode: string } } | null;
	/** What checkout showed: each fulfillment order's delivery method with its latest promised delivery. */
	fulfillmentOrders?: { nodes: Array<{ deliveryMethod: { maxDeliveryDateTime: string | null } | null }> };
	fulfillments: Array<{
		id?: string;
		createdAt: string | null;
		inTransitAt: string | null;
		estimatedDeliveryAt: string | null;
		deliveredAt: string | null;
		displayStatus: string | null;
		events?: { nodes: Array<{ status: string; happenedAt: string; message: string | null }> };
	}>;
}

/** Points one order of ordersByReference's fields costs (the order, its customer, its total). */
const COST_PER_ORDER_REFERENCE = 3;

/** An order a ticket names, as ordersByReference reads it: its tags too, so a tag it already carries is not added again. */
export interface OrderReference {
	id: string;
	name: string;
	total: Money;
	customerId?: string;
	tags: string[];
}

/** Orders by their names ("#1012", exactly) or ids; keys: the name and the GID. */
export async function ordersByReference(shopify: ShopifyService, references: string[]): Promise<Map<string, OrderReference>> {
	const found = new Map<string, OrderReference>();
	const names = [...new Set(references.filter((reference) => !/^(gid:\/\/shopify\/Order\/)?\d{6,}$/.test(reference)).map((reference) => (reference.startsWith('#') ? reference : `#${reference}`)))];
	const ids = [...new Set(references.flatMap((reference) => (/^\d{6,}$/.test(reference) ? [`gid://shopify/Order/${reference}`] : /^gid:\/\/shopify\/Order\/\d+$/.test(reference) ? [reference] : [])))];
	if (!names.length && !ids.length) return found;
	const fields = 'id name tags customer { id } totalPriceSet { shopMoney { amount currencyCode } }';
	type OrderRef = { id: string; name: string; tags?: string[] | null; customer: { id: string } | null; totalPriceSet: { shopMoney: { amount: string; currencyCode: string } } };
	const results: Array<Array<OrderRef | null>> = [await ordersByExactName<OrderRef>(shopify, names, { perSearch: CUSTOMERS_PER_SEARCH, costPerOrder: COST_PER_ORDER_REFERENCE, selection: fields })];
	if (ids.length) {
		const { data } = await shopify.query<{ ids: Array<OrderRef | null> }>(`query CxOrders($ids: [ID!]!) {\n ids: nodes(ids: $ids) { ... on Order { ${fields} } }\n}`, { ids: ids.slice(0, 100) });
		results.push(data?.ids ?? []);
	}
	for (const result of results) {
		for (const order of result) {
			if (!order?.id) continue;
			const entry = {
				id: order.id,
				name: order.name,
				total: moneyFromDecimal(order.totalPriceSet.shopMoney.amount, order.totalPriceSet.shopMoney.currencyCode),
				...(order.customer ? { customerId: order.customer.id } : {}),
				tags: order.tags ?? [],
			};
			found.set(order.id, entry);
			found.set(order.name, entry);
		}
	}
	return found;
}

/** The order a ticket names, in any form it may name it: "#1009", "1009", a numeric ID or a GID. */
export function findOrder<T>(orders: Map<string, T>, reference?: string): T | undefined {
	if (!reference) return undefined;
	return orders.get(reference) ?? orders.get(reference.startsWith('#') ? reference : `#${reference}`) ?? orders.get(`gid://shopify/Order/${reference}`);
}

/**
 * Orders processed since `since` that may be late: open, in transit or delivered, with their fulfillments, the
 * promise checkout showed, and the tracking events of the orders `needsEvents` picks (by default those with a
 * parcel still on its way). The orders come from one bulk operation; the events from requests of 100
 * fulfillments each, paced by the cost bucket Shopify reports.
 */
export async function ordersForDelayCheck(
	shopify: ShopifyService,
	since: Date,
	tiers: TierPolicy,
	needsEvents: (facts: OrderToCheck['facts']) => boolean = (facts) => facts.fulfillments.some((fulfillment) => !fulfillment.deliveredAt),
): Promise<OrderToCheck[]> {
	const orders = new Map<string, DelayCheckOrder>();
	// Shopify does not promise a child line comes after its parent: children are joined once all lines are in
	const promises: Array<{ orderId: string; at: string | null }> = [];
	await shopify.bulkQuery(delayCheckQuery(since.toISOString().slice(0, 10)), (line) => {
		const parentId = typeof line.__parentId === 'string' ? line.__parentId : undefined;
		if (parentId) {
			const method = (line as { deliveryMethod?: { maxDeliveryDateTime?: string | null } | null }).deliveryMethod;
			promises.push({ orderId: parentId, at: method?.maxDeliveryDateTime ?? null });
		} else if (typeof line.id === 'string' && line.id.startsWith('gid://shopify/Order/')) {
			const order = line as unknown as DelayCheckOrder;
			orders.set(order.id, { ...order, fulfillments: order.fulfillments ?? [], fulfillmentOrders: { nodes: [] } });
		}
	});
	for (const { orderId, at } of promises) orders.get(orderId)?.fulfillmentOrders?.nodes.push({ deliveryMethod: { maxDeliveryDateTime: at } });
	const sorted = [...orders.values()].sort((a, b) => Date.parse(a.processedAt) - Date.parse(b.processedAt) || (a.id < b.id ? -1 : 1));
	return withTrackingEvents(shopify, sorted, tiers, needsEvents);
}

/** Order IDs per request when orders are read by ID: 50 orders with their parcels stay well inside the cost limit. */
const ORDERS_PER_REQUEST = 50;



/** Orders by ID, ORDERS_PER_REQUEST a request paced by the cost bucket; an ID Shopify does not know is left out. */
async function ordersById<T>(shopify: ShopifyService, ids: string[], fields: string): Promise<T[]> {
	const found: T[] = [];
	const unique = [...new Set(ids)];
	for (let i = 0; i < unique.length; i += ORDERS_PER_REQUEST) {
		const chunk = unique.slice(i, i + ORDERS_PER_REQUEST);
		const { data, cost }: { data: { nodes: Array<(T & { id?: string }) | null> }; cost?: QueryCost } = await shopify.query(
			`query CxOrdersById($ids: [ID!]!) {\n\tnodes(ids: $ids) {\n\t\t... on Order {\n${fields}\n\t\t}\n\t}\n}`,
			{ ids: chunk },
		);
		for (const node of data.nodes) if (node?.id) found.push(node);
		await paceByCost(cost);
	}
	return found;
}

/**
 * The orders with these IDs (GIDs), as the delay check reads them: what Shopify holds now, whatever an event
 * that named them said (webhooks may come late or out of order). In the order asked; an unknown ID is left out.
 */
export async function ordersForDelayCheckById(
	shopify: ShopifyService,
	ids: string[],
	tiers: TierPolicy,
	needsEvents: (facts: OrderToCheck['facts']) => boolean = (facts) => facts.fulfillments.some((fulfillment) => !fulfillment.deliveredAt),
): Promise<OrderToCheck[]> {
	// outside a bulk query a connection takes a page size
	const read = await ordersById<DelayCheckOrder>(shopify, ids, `${DELAY_CHECK_FIELDS} fulfillmentOrders(first: 20) { nodes { deliveryMethod { maxDeliveryDateTime } } }`);
	const byId = new Map(read.map((order) => [order.id, { ...order, fulfillments: order.fulfillments ?? [], fulfillmentOrders: order.fulfillmentOrders ?? { nodes: [] } }]));
	const inOrder = [...new Set(ids)].flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
	return withTrackingEvents(shopify, inOrder, tiers, needsEvents);
}

/** The orders' facts, with the tracking events of the parcels of the orders `needsEvents` picks. */
async function withTrackingEvents(
	shopify: ShopifyService,
	orders: DelayCheckOrder[],
	tiers: TierPolicy,
	needsEvents: (facts: OrderToCheck['facts']) => boolean,
): Promise<OrderToCheck[]> {
	const checked = orders.map((order) => ({ order, toCheck: orderToCheck(order, tiers) }));
	// each parcel's facts (orderToCheck keeps the fulfillments in order) take the events fetched for its id
	const wanted = checked
		.filter(({ toCheck }) => needsEvents(toCheck.facts))
		.flatMap(({ order, toCheck }) => order.fulfillments.flatMap((fulfillment, index) => (fulfillment.id ? [{ id: fulfillment.id, facts: toCheck.facts.fulfillments[index] }] : [])));
	for (let i = 0; i < wanted.length; i += FULFILLMENTS_PER_REQUEST) {
		const batch = wanted.slice(i, i + FULFILLMENTS_PER_REQUEST);
		type EventsNode = { id?: string; events?: DelayCheckOrder['fulfillments'][number]['events'] } | null;
		const { data, cost }: { data: { nodes: EventsNode[] }; cost?: QueryCost } = await shopify.query(FULFILLMENT_EVENTS_QUERY, { ids: batch.map((parcel) => parcel.id) });
		const byId = new Map(data.nodes.flatMap((node) => (node?.id ? [[node.id, node.events?.nodes ?? []] as const] : [])));
		for (const parcel of batch) parcel.facts.events = byId.get(parcel.id) ?? [];
		await paceByCost(cost);
	}
	return checked.map(({ toCheck }) => toCheck);
}


/** The orders with these IDs (GIDs) as the survey reads them (deliveredOrderFromLine), what Shopify holds now. */
export async function deliveredOrdersById(shopify: ShopifyService, ids: string[], tiers: TierPolicy = TIER_POLICY): Promise<DeliveredOrder[]> {
	const read = await ordersById<Record<string, unknown>>(shopify, ids, DELIVERED_ORDER_FIELDS);
	return read.flatMap((line) => {
		const order = deliveredOrderFromLine(line, tiers);
		return order ? [order] : [];
	});
}

/**
 * Every order delivered since `since` (YYYY-MM-DD), from one bulk operation, handed over as it downloads;
 * each customer's tier by the store's thresholds and VIP tag (`tiers`).
 */
export async function deliveredOrders(shopify: ShopifyService, since: string, onOrder: (order: DeliveredOrder) => void, tiers: TierPolicy = TIER_POLICY): Promise<{ requests: number }> {
	const { requests } = await shopify.bulkQuery(deliveredOrdersQuery(since), (line) => {
		const order = deliveredOrderFromLine(line, tiers);
		if (order) onOrder(order);
	});
	return { requests };
}

/** Every order processed before `until` as a sale, from one bulk operation, handed over as it downloads. */
export async function soldOrders(shopify: ShopifyService, until: Date, onOrder: (order: OrderSale) => void): Promise<{ requests: number }> {
	const { requests } = await shopify.bulkQuery(soldOrdersQuery(until), (line) => {
		const order = soldOrderFromLine(line);
		if (order) onOrder(order);
	});
	return { requests };
}

/**
 * Orders processed since `since` (YYYY-MM-DD), not cancelled, shipped. Bulk queries take no variables, so
 * the search text is written into the query; it holds a date only.
 */
/** The survey's fields of an order, read in bulk or by ID. */
const DELIVERED_ORDER_FIELDS = 'id name cancelledAt displayFulfillmentStatus customer { id email firstName tags amountSpent { amount currencyCode } emailMarketingConsent { marketingState } } fulfillments { status deliveredAt }';

export function deliveredOrdersQuery(since: string): string {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(since)) throw new RangeError(`not a date: ${since}`);
	const search = `processed_at:>=${since} AND -status:cancelled AND fulfillment_status:shipped`;
	return `{
	orders(query: ${JSON.stringify(search)}) {
		edges {
			node { ${DELIVERED_ORDER_FIELDS} }
		}
	}
}`;
}

interface DeliveredOrderLine {
	id?: string;
	name?: string;
	cancelledAt?: string | null;
	displayFulfillmentStatus?: string;
	customer?: {
		id: string;
		email?: string | null;
		firstName?: string | null;
		tags?: string[];
		amountSpent?: { amount: string; currencyCode: string } | null;
		emailMarketingConsent?: { marketingState: string } | null;
	} | null;
	fulfillments?: Array<{ status?: string | null; deliveredAt?: string | null }>;
}


/**
 * One line of the bulk result; undefined for a line that is not an order. Delivered when the order is
 * fulfilled in full and every parcel that went out (cancelled ones aside) has arrived: the last arrival counts.
 * The customer's tier is the store's (`tiers`: its VIP tag and spend thresholds), the defaults when not given.
 */
export function deliveredOrderFromLine(value: Record<string, unknown>, tiers: TierPolicy = TIER_POLICY): DeliveredOrder | undefined {
	const line = value as DeliveredOrderLine;
	if (typeof line.id !== 'string' || !line.id.startsWith('gid://shopify/Order/') || line.cancelledAt) return undefined;
	const parcels = (line.fulfillments ?? []).filter((fulfillment) => fulfillment.status !== 'CANCELLED' && fulfillment.status !== 'ERROR' && fulfillment.status !== 'FAILURE');
	const arrivals = parcels.map((fulfillment) => fulfillment.deliveredAt ?? null);
	const delivered = line.displayFulfillmentStatus === 'FULFILLED' && arrivals.length > 0 && arrivals.every((at) => at !== null)
		? (arrivals as string[]).reduce((latest, at) => (Date.parse(at) > Date.parse(latest) ? at : latest))
		: undefined;
	const customer = line.customer;
	const spent = customer?.amountSpent ?? { amount: '0', currencyCode: 'USD' };
	return {
		orderId: line.id,
		...(line.name ? { orderName: line.name } : {}),
		...(customer?.id ? { customerId: customer.id } : {}),
		...(customer?.email ? { email: customer.email } : {}),
		...(customer?.firstName ? { firstName: customer.firstName } : {}),
		...(delivered ? { deliveredAt: new Date(delivered).toISOString() } : {}),
		// no customer or no consent record: not subscribed, so asked only under the not-opted-out rule, and then only with an email
		marketingConsent: customer?.emailMarketingConsent?.marketingState ?? 'NOT_SUBSCRIBED',
		...(customer
			? { tier: tierFromProfile({ customerId: customer.id, lifetimeSpend: moneyFromDecimal(spent.amount, spent.currencyCode), orderCount: 0, tags: customer.tags ?? [] }, tiers).tier }
			: {}),
	};
}

/**
 * Every order processed before `until`, one JSONL line each (no nested connection, so no line depends on
 * another and Shopify's line order, which it does not promise, does not matter): the period's return rate
 * and every customer's first order and net spend for lifetime value. Lifetime value is built from orders,
 * not from Customer.amountSpent: amountSpent is today's figure, so the value at the previous period's end
 * (and so the growth) cannot be had from it, while each order's total and its dated refunds give the value
 * at any instant. Fields checked against the Admin API 2026-10 schema.
 */
export function soldOrdersQuery(until: Date): string {
	return `{
	orders(query: "processed_at:<'${until.toISOString()}'") {
		edges {
			node {
				id
				processedAt
				cancelledAt
				test
				returnStatus
				customer { id }
				totalPriceSet { shopMoney { amount currencyCode } }
				refunds { id createdAt note totalRefundedSet { shopMoney { amount currencyCode } } }
			}
		}
	}
}`;
}

interface MoneyBag {
	shopMoney?: { amount?: string; currencyCode?: string } | null;
}


interface SoldOrderLine {
	id?: string;
	processedAt?: string | null;
	cancelledAt?: string | null;
	test?: boolean;
	returnStatus?: string | null;
	customer?: { id?: string } | null;
	totalPriceSet?: MoneyBag | null;
	refunds?: Array<{ id?: string | null; createdAt?: string | null; note?: string | null; totalRefundedSet?: MoneyBag | null }> | null;
}


const centsOf = (bag: MoneyBag | null | undefined) => (bag?.shopMoney?.amount && bag.shopMoney.currencyCode ? moneyFromDecimal(bag.shopMoney.amount, bag.shopMoney.currencyCode).cents : 0);

/** One line of the orders bulk query; null for a line that is not an order (none are expected). */
export function soldOrderFromLine(value: Record<string, unknown>): OrderSale | null {
	const line = value as SoldOrderLine;
	const processedAt = epochOrNull(line.processedAt);
	if (typeof line.id !== 'string' || !line.id.startsWith('gid://shopify/Order/') || processedAt === null) return null;
	return {
		orderId: line.id,
		processedAt,
		cancelled: Boolean(line.cancelledAt),
		test: line.test === true,
		customerKey: customerKeyOf(line.customer?.id),
		totalCents: centsOf(line.totalPriceSet),
		currency: line.totalPriceSet?.shopMoney?.currencyCode ?? null,
		refunds: (line.refunds ?? []).map((refund) => ({ at: epochOrNull(refund.createdAt), cents: centsOf(refund.totalRefundedSet), id: refund.id ?? null, note: refund.note ?? null })),
		returned: typeof line.returnStatus === 'string' && RETURN_STATUSES.includes(line.returnStatus),
	};
}

/** One order of the delay check's pages in the pack's shape, its tier by the store's tier policy. */
function orderToCheck(order: DelayCheckOrder, tiers: TierPolicy): OrderToCheck {
	const money = (set: MoneySet) => moneyFromDecimal(set.shopMoney.amount, set.shopMoney.currencyCode);
	const presented = (set: MoneySet) => (set.presentmentMoney ? moneyFromDecimal(set.presentmentMoney.amount, set.presentmentMoney.currencyCode) : undefined);
	const presentedTotal = presented(order.totalPriceSet);
	const presentedRefund = presented(order.totalRefundedSet);
	// the delivery date checkout showed: the latest across the order's fulfillment orders
	const promises = (order.fulfillmentOrders?.nodes ?? []).map((node) => node.deliveryMethod?.maxDeliveryDateTime).filter((at): at is string => !!at && !Number.isNaN(Date.parse(at)));
	const checkoutPromiseAt = promises.length ? promises.reduce((last, at) => (Date.parse(at) > Date.parse(last) ? at : last)) : null;
	const customer = order.customer;
	const tier: CustomerTier = customer
		? tierFromProfile({ customerId: customer.id, lifetimeSpend: moneyFromDecimal(customer.amountSpent.amount, customer.amountSpent.currencyCode), orderCount: 0, tags: customer.tags }, tiers).tier
		: 'regular';
	return {
		facts: {
			orderId: order.id,
			name: order.name,
			processedAt: order.processedAt,
			cancelledAt: order.cancelledAt,
			total: money(order.totalPriceSet),
			refunded: money(order.totalRefundedSet),
			...(presentedTotal && presentedTotal.currency !== order.totalPriceSet.shopMoney.currencyCode
				? { presentment: { total: presentedTotal, ...(presentedRefund ? { refunded: presentedRefund } : {}) } }
				: {}),
			checkoutPromiseAt,
			tier,
			fulfillments: order.fulfillments.map((fulfillment) => ({
				createdAt: fulfillment.createdAt,
				inTransitAt: fulfillment.inTransitAt,
				estimatedDeliveryAt: fulfillment.estimatedDeliveryAt,
				deliveredAt: fulfillment.deliveredAt,
				displayStatus: fulfillment.displayStatus,
				events: fulfillment.events?.nodes ?? [],
			})),
		},
		customer: {
			...(customer ? { id: customer.id } : {}),
			...(customer?.email ? { email: customer.email } : {}),
			...(customer?.firstName ? { firstName: customer.firstName } : {}),
		},
	};
}

/**
 * Shopify customers: profiles for many tickets in as few requests as the cost limit allows, and every
 * customer of the store for retention in one bulk operation.
 */
import { customerGid, type CustomerProfile, type RetentionCustomer } from '../../contract/customer';
import { moneyFromDecimal } from '../../money';
import { CUSTOMERS_PER_SEARCH, MAX_QUERY_COST, packByCost, packVariablesByCost, type QueryPart, type ShopifyService } from './client';
import { RETENTION_BULK_QUERY, RETENTION_CUSTOMER_FIELDS, RETENTION_ORDER_FIELDS, RetentionJsonlReader } from './customersJsonl';

/**
 * Points one customer costs as asked (object costs, shopify.dev): the customer, amountSpent, lastOrder and its first
 * fulfillment, 1 each. Only the first fulfillment is read (its delivery state), so only one is asked for: three
 * cost 6 points a customer, and Shopify must have the requested points in the bucket before it runs a query.
 */
const COST_PER_CUSTOMER = 4;

/** What every caller reads: tier inputs (tags, spend, orders), the latest order's state, the address and first name. */
const CUSTOMER_FIELDS = `
	id
	email
	firstName
	numberOfOrders
	tags
	amountSpent { amount currencyCode }
	lastOrder {
		id
		name
		processedAt
		displayFulfillmentStatus
		fulfillments(first: 1) { displayStatus estimatedDeliveryAt deliveredAt }
	}`;
/** What an escalation adds for the person it notifies (scalars: no points). */
const CONTACT_FIELDS = `
	lastName
	phone`;

/** The customer's latest orders, newest first: what a person handling an escalation looks at first. */
const RECENT_ORDER_FIELDS = `
	orders(first: $recentOrders, sortKey: PROCESSED_AT, reverse: true) {
		nodes { id name processedAt displayFulfillmentStatus totalPriceSet { shopMoney { amount currencyCode } } }
	}`;

interface OrderNode {
	id: string;
	name: string;
	processedAt: string | null;
	displayFulfillmentStatus: string;
	totalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
}

interface CustomerNode {
	id: string;
	email: string | null;
	firstName: string | null;
	lastName?: string | null;
	phone?: string | null;
	orders?: { nodes: OrderNode[] };
	numberOfOrders: string;
	tags: string[];
	amountSpent: { amount: string; currencyCode: string };
	lastOrder: {
		id: string;
		name: string;
		processedAt: string | null;
		displayFulfillmentStatus: string;
		fulfillments: Array<{ displayStatus: string | null; estimatedDeliveryAt: string | null; deliveredAt: string | null }>;
	} | null;
}

/**
 * Every customer of the store with their orders' dates, returns and refunds, email consent and tags, from one
 * bulk operation: Shopify runs the query in the background and hands over a JSONL file, so a store of
 * 100,000 customers costs a handful of requests instead of thousands of pages.
 */
export async function retentionCustomers(shopify: ShopifyService, options: { timeoutMs?: number } = {}): Promise<RetentionCustomer[]> {
	const reader = new RetentionJsonlReader();
	await shopify.bulkQuery(RETENTION_BULK_QUERY, (line) => reader.add(line), options.timeoutMs);
	return reader.customers();
}


/** The latest orders read per customer looked up by id: enough for recency and the buying rhythm. */
const ORDERS_PER_CUSTOMER = 100;
/** Points one looked-up customer costs: the customer and up to 100 orders with their refunds. */
const COST_PER_RETENTION_CUSTOMER = 2 + ORDERS_PER_CUSTOMER * 2;

const RETENTION_FIELDS = `
	${RETENTION_CUSTOMER_FIELDS}
	orders(first: ${ORDERS_PER_CUSTOMER}, sortKey: PROCESSED_AT, reverse: true) {
		nodes { ${RETENTION_ORDER_FIELDS} }
	}`;

/**
 * The customers behind these ids as the retention nodes see them (what the bulk read gives for the whole
 * store: orders' dates, returns and refunds, spend, consent, tags), for items that carry only a customer id, such as
 * the director's retention_campaign request. Ids that are not Shopify's (number or GID) or that Shopify does
 * not know are absent from the map. Keyed by GID; a few customers per request, as the cost limit allows.
 */
export async function retentionCustomersByIds(shopify: ShopifyService, ids: string[]): Promise<Map<string, RetentionCustomer>> {
	const gids = [...new Set(ids.map(customerGid).filter((id): id is string => id !== undefined))];
	const parts = gids.map((gid, index) => ({ cost: COST_PER_RETENTION_CUSTOMER, text: `c${index}: node(id: ${JSON.stringify(gid)}) { ... on Customer { ...CxRetentionCustomer } }` }));
	const reader = new RetentionJsonlReader();
	for (const batch of packByCost(parts, MAX_QUERY_COST)) {
		const document = `query CxRetentionCustomers {\n${batch.join('\n')}\n}\nfragment CxRetentionCustomer on Customer {${RETENTION_FIELDS}\n}`;
		const { data } = await shopify.query<Record<string, (Record<string, unknown> & { id?: string; orders?: { nodes: Array<Record<string, unknown>> } }) | null>>(document);
		for (const node of Object.values(data ?? {})) {
			if (!node?.id) continue;
			const { orders, ...customer } = node;
			// the same lines a bulk read gives, so both reads make the same customer
			reader.add(customer);
			for (const order of orders?.nodes ?? []) reader.add({ ...order, __parentId: node.id });
		}
	}
	return new Map(reader.customers().map((customer) => [customer.customerId, customer]));
}

/**
 * Profiles for the customers of many tickets, in as few requests as the cost limit allows: every
 * email lookup and the id lookup are aliases of one document. Keys: lower-cased email and GID.
 * `contact: false` leaves out the last name and phone (triage reads neither); `recentOrders` adds the latest orders.
 */
export async function customerProfiles(shopify: ShopifyService, refs: { emails: string[]; ids: string[] }, options: { recentOrders?: number; contact?: boolean } = {}): Promise<Map<string, CustomerProfile>> {
	const recentOrders = Math.max(0, Math.min(10, options.recentOrders ?? 0));
	const contact = options.contact ?? true;
	// a recent order costs 3 (the order, totalPriceSet, shopMoney), the connection 2
	const perCustomer = COST_PER_CUSTOMER + (recentOrders ? 2 + recentOrders * 3 : 0);
	const emails = [...new Set(refs.emails.map((email) => email.toLowerCase()))];
	const ids = [...new Set(refs.ids.map(customerGid).filter((id): id is string => id !== undefined))];
	// an email is looked up exactly (customerByIdentifier), one alias each, carried in a variable: a search for
	// "_@example-store.test" matches every customer of the domain and would crowd the others out of a shared page
	const parts: QueryPart[] = emails.map((email, index) => ({
		cost: perCustomer,
		text: `e${index}: customerByIdentifier(identifier: { emailAddress: $e${index} }) { ...CxCustomer }`,
		variables: { [`e${index}`]: email },
	}));
	for (let i = 0; i < ids.length; i += CUSTOMERS_PER_SEARCH) {
		const chunk = ids.slice(i, i + CUSTOMERS_PER_SEARCH);
		parts.push({
			cost: chunk.length * perCustomer,
			text: `i${i}: nodes(ids: ${JSON.stringify(chunk)}) { ... on Customer { ...CxCustomer } }`,
		});
	}
	const profiles = new Map<string, CustomerProfile>();
	for (const batch of packVariablesByCost(parts, MAX_QUERY_COST)) {
		const declarations = [...batch.declarations, ...(recentOrders ? ['$recentOrders: Int!'] : [])];
		const fields = `${CUSTOMER_FIELDS}${contact ? CONTACT_FIELDS : ''}${recentOrders ? RECENT_ORDER_FIELDS : ''}`;
		const document = `query CxCustomerProfiles${declarations.length ? `(${declarations.join(', ')})` : ''} {\n${batch.texts.join('\n')}\n}\nfragment CxCustomer on Customer {${fields}\n}`;
		const { data } = await shopify.query<Record<string, { nodes: Array<CustomerNode | null> } | Array<CustomerNode | null> | CustomerNode | null>>(document, {
			...batch.variables,
			...(recentOrders ? { recentOrders } : {}),
		});
		for (const result of Object.values(data ?? {})) {
			const nodes = !result ? [] : Array.isArray(result) ? result : 'nodes' in result ? result.nodes : [result];
			for (const node of nodes) {
				if (!node?.id) continue;
				const profile = toProfile(node);
				profiles.set(node.id, profile);
				if (node.email) profiles.set(node.email.toLowerCase(), profile);
			}
		}
	}
	return profiles;
}


/** The profile `customerProfiles` found for a customer, by Shopify ID (number or GID) first, then by email. */
export function profileFor(profiles: Map<string, CustomerProfile>, customer: { customerId?: string; customerEmail?: string }): CustomerProfile | undefined {
	const gid = customer.customerId ? customerGid(customer.customerId) : undefined;
	const byId = gid ? profiles.get(gid) : undefined;
	return byId ?? (customer.customerEmail ? profiles.get(customer.customerEmail.toLowerCase()) : undefined);
}

function toProfile(node: CustomerNode): CustomerProfile {
	const order = node.lastOrder;
	const fulfillment = order?.fulfillments?.[0];
	return {
		customerId: node.id,
		...(node.email ? { email: node.email } : {}),
		...(node.firstName ? { firstName: node.firstName } : {}),
		...(node.lastName ? { lastName: node.lastName } : {}),
		...(node.phone ? { phone: node.phone } : {}),
		...(node.orders
			? {
					recentOrders: node.orders.nodes.map((recent) => ({
						id: recent.id,
						name: recent.name,
						...(recent.processedAt ? { processedAt: recent.processedAt } : {}),
						fulfillmentStatus: recent.displayFulfillmentStatus,
						total: moneyFromDecimal(recent.totalPriceSet.shopMoney.amount, recent.totalPriceSet.shopMoney.currencyCode),
					})),
				}
			: {}),
		lifetimeSpend: moneyFromDecimal(node.amountSpent.amount, node.amountSpent.currencyCode),
		orderCount: Number(node.numberOfOrders),
		tags: node.tags,
		...(order
			? {
					latestOrder: {
						id: order.id,
						name: order.name,
						...(order.processedAt ? { processedAt: order.processedAt } : {}),
						fulfillmentStatus: order.displayFulfillmentStatus,
						...(fulfillment?.displayStatus ? { deliveryStatus: fulfillment.displayStatus } : {}),
						...(fulfillment?.estimatedDeliveryAt ? { estimatedDeliveryAt: fulfillment.estimatedDeliveryAt } : {}),
						...(fulfillment?.deliveredAt ? { deliveredAt: fulfillment.deliveredAt } : {}),
					},
				}
			: {}),
	};
}


'use strict';
/**
 * The sample store behind the Shopify stand-in: deterministic (fixed seed, dates counted back from the anchor
 * (the latest Sunday, see shopify-records.js), in USD, sized by CX_SHOPIFY_CUSTOMERS (default 300 customers, about 3 orders each),
 * held in memory; mutations last until the process ends or POST /__standin/reset restores the seed.
 * Every email is on the reserved domain example-store.test; names are placeholders.
 *
 * Named fixtures, present at every size (definitions in shopify-fixtures.js):
 *
 *   Customer                      email (@example-store.test)   for
 *   gid://shopify/Customer/1001   vip.tagged                    VIP by tag: tags VIP + newsletter, spent $365 (3 orders)
 *   gid://shopify/Customer/1002   vip.spender                   VIP by spend without the tag: $1,465 (3 orders)
 *   gid://shopify/Customer/1003   premium.buyer                 premium tier: $647 (2 orders)
 *   gid://shopify/Customer/1004   regular.buyer                 regular tier: $128 (2 orders)
 *   gid://shopify/Customer/1005   dormant.once                  one-time buyer, last (only) order 300 days before the anchor
 *   gid://shopify/Customer/1006   unsubscribed                  email marketing UNSUBSCRIBED (also a one-time buyer, 310 days)
 *   gid://shopify/Customer/1007   late.delivery                 owns order #1013, delivered late
 *   gid://shopify/Customer/1008   in.transit                    owns order #1016, delayed in transit
 *   gid://shopify/Customer/1009   unfulfilled                   owns order #1015, not shipped
 *   gid://shopify/Customer/1010   refunded                      owns order #1011, partially refunded
 *   All fixture customers are SUBSCRIBED except 1006.
 *
 *   Order                         name    for
 *   gid://shopify/Order/5013      #1013   delivered 10 days after the date checkout promised (the fulfillment order's
 *                                         deliveryMethod.maxDeliveryDateTime 2026-09-30, the carrier's estimate the same;
 *                                         delivered 2026-10-10, a DELAYED event on 2026-10-01)
 *   gid://shopify/Order/5016      #1016   in transit, checkout promise and estimatedDeliveryAt 2026-10-28 passed, DELAYED
 *                                         event on 2026-10-29
 *   gid://shopify/Order/5012      #1012   paid in EUR at 0.92 per USD (presentmentCurrencyCode EUR, every money set's
 *                                         presentmentMoney in EUR): refundCreate refuses it without currency: EUR
 *   Other orders' fulfillment orders carry no checkout promise (maxDeliveryDateTime null): the store's window applies.
 *   gid://shopify/Order/5015      #1015   UNFULFILLED, processed 2026-10-17 (15 days before the anchor), $420
 *   gid://shopify/Order/5011      #1011   PARTIALLY_REFUNDED: $56 of $245 refunded on 2026-10-02 with a note
 *   gid://shopify/Order/5014      #1014   Vera's (1001) last order, delivered on time with the full event trail
 *   Orders 5001-5016 (#1001-#1016) all belong to fixture customers, in purchase order.
 *
 * Generated customers start at gid://shopify/Customer/1101, generated orders at gid://shopify/Order/5101 (#1101).
 *
 * Every order was paid in full at checkout: Order.transactions holds one successful SALE (gateway
 * shopify_payments), the parentId a refundCreate transaction names, then a REFUND per refund. Each order has
 * one shipping line (Standard Shipping, $8, or Free Shipping from $100). Nobody has store credit until
 * storeCreditAccountCredit gives some (shopify-payouts.js); POST /__standin/reset forgets it again.
 */
const { customerRecord, orderRecord, attachOrders, gid, iso, daysBefore, SHOP_DOMAIN, CURRENCY } = require('./shopify-records.js');
const { FIXTURE_CUSTOMERS, fixtureCustomerSpecs, fixtureOrderSpecs } = require('./shopify-fixtures.js');
const { generatePopulation } = require('./shopify-seed.js');
const { createLazyOrders, trackedAllocator } = require('./shopify-lazy-orders.js');

const DEFAULT_CUSTOMERS = 300;
const FIRST_GENERATED_CUSTOMER = 1101;
const FIRST_GENERATED_ORDER = 5101;
const FIRST_GENERATED_ORDER_NUMBER = 1101;

function shopRecord() {
	return {
		__typename: 'Shop',
		id: gid('Shop', 74001),
		name: 'CX Director Demo Studio',
		email: 'owner@example-store.test',
		contactEmail: 'hello@example-store.test',
		shopOwnerName: 'Sam Placeholder',
		myshopifyDomain: SHOP_DOMAIN,
		url: `https://${SHOP_DOMAIN}`,
		primaryDomain: { __typename: 'Domain', id: gid('Domain', 74001), host: SHOP_DOMAIN, url: `https://${SHOP_DOMAIN}`, sslEnabled: true },
		currencyCode: CURRENCY,
		enabledPresentmentCurrencies: [CURRENCY],
		// the shop keeps UTC so that day-based search filters and the anchor line up
		ianaTimezone: 'Etc/UTC',
		timezoneAbbreviation: 'UTC',
		timezoneOffset: '+0000',
		timezoneOffsetMinutes: 0,
		orderNumberFormatPrefix: '#',
		orderNumberFormatSuffix: '',
		weightUnit: 'POUNDS',
		unitSystem: 'IMPERIAL_SYSTEM',
		taxesIncluded: false,
		taxShipping: false,
		setupRequired: false,
		checkoutApiSupported: true,
		shipsToCountries: ['US'],
		createdAt: iso(daysBefore(1000)),
		updatedAt: iso(daysBefore(30)),
	};
}

function customerCount() {
	const wanted = Number.parseInt(process.env.CX_SHOPIFY_CUSTOMERS ?? '', 10);
	return Number.isFinite(wanted) && wanted > 0 ? wanted : DEFAULT_CUSTOMERS;
}

/**
 * Above this many customers the generated orders are lazy (shopify-lazy-orders.js): built once at start to
 * fix their ids, summaries and totals, then dropped and rebuilt on demand, so 100,000 customers fit in memory.
 * Smaller stores (the default 300 included) hold every record, as before; the data is the same either way.
 */
const LAZY_ABOVE = 20_000;

/** Builds every record of the seed; the same input gives the same store. */
function buildSeed(totalCustomers, { lazy = totalCustomers > LAZY_ABOVE } = {}) {
	// one allocator for the seed and for what mutations create later, so new records never reuse a seeded id
	const allocator = trackedAllocator({
		MailingAddress: 60001, LineItem: 20001, Fulfillment: 30001, FulfillmentEvent: 40001,
		FulfillmentLineItem: 45001, Refund: 50001, OrderTransaction: 70001, ShippingLine: 80001,
		RefundLineItem: 85001, RefundShippingLine: 87001, DiscountCodeNode: 9001, DiscountRedeemCode: 9501,
		DiscountRedeemCodeBulkCreation: 7701, StoreCreditAccount: 3001, StoreCreditAccountTransaction: 3501,
	});
	const { nextId } = allocator;
	const fixtureSpecs = fixtureCustomerSpecs();
	const fixtures = fixtureSpecs.map((spec) => customerRecord(nextId, spec));
	const fixturesByKey = Object.fromEntries(fixtures.map((record, index) => [fixtureSpecs[index].key, record]));
	const fixtureOrders = fixtureOrderSpecs(fixturesByKey).map((spec) => orderRecord(nextId, spec));

	const population = generatePopulation({
		count: Math.max(0, totalCustomers - FIXTURE_CUSTOMERS.length),
		firstCustomerId: FIRST_GENERATED_CUSTOMER,
		firstOrderId: FIRST_GENERATED_ORDER,
		firstOrderNumber: FIRST_GENERATED_ORDER_NUMBER,
	});
	const generated = population.customers.map((spec) => customerRecord(nextId, spec));
	const customers = [...fixtures, ...generated];
	const byNumericId = new Map(customers.map((record) => [Number(record.legacyResourceId), record]));
	const orderSpecs = population.orderSpecs(byNumericId);
	const lazyOrders = lazy ? createLazyOrders(orderSpecs, allocator) : null;
	const generatedOrders = lazy ? lazyOrders.orders : orderSpecs.map((spec) => orderRecord(nextId, spec));
	const orders = [...fixtureOrders, ...generatedOrders];

	const ordersByCustomer = new Map(customers.map((record) => [record.id, []]));
	for (const order of orders) ordersByCustomer.get(order.customer.id).push(order);
	for (const record of customers) attachOrders(record, ordersByCustomer.get(record.id));
	const eagerOrders = lazy ? fixtureOrders : orders;
	return { shop: shopRecord(), customers, orders, eagerOrders, lazyOrders, nextId };
}

/** Every record reachable by GID, nested ones included, so node(id) finds fulfillments and events too. */
function indexRecords(seed) {
	const index = new Map();
	const add = (record) => record?.id && index.set(record.id.split('?')[0], record);
	add(seed.shop);
	for (const customer of seed.customers) {
		add(customer);
		customer.addressesV2.forEach(add);
	}
	for (const order of seed.eagerOrders) {
		add(order);
		order.lineItems.forEach(add);
		order.transactions.forEach(add);
		order.shippingLines.forEach(add);
		order.refunds.forEach(add);
		for (const fulfillment of order.fulfillments) {
			add(fulfillment);
			fulfillment.events.forEach(add);
			fulfillment.fulfillmentLineItems.forEach(add);
		}
	}
	return index;
}

class ShopifyStore {
	constructor({ customers = customerCount() } = {}) {
		this.size = customers;
		this.reset();
	}

	/** Restores the seed: every mutation, discount, store credit, refund and log entry is forgotten. */
	reset() {
		const seed = buildSeed(this.size);
		this.shop = seed.shop;
		this.customers = seed.customers;
		this.orders = seed.orders;
		this.index = indexRecords(seed);
		this.lazyOrders = seed.lazyOrders;
		// bulk query operations (shopify-bulk.js), newest last
		this.bulkOperations = new Map();
		this.discounts = [];
		this.storeCreditAccounts = [];
		this.createdRefunds = [];
		// `${mutation}:${key}` of @idempotent mutations -> { fingerprint, state: running|done|failed, payload } (shopify-payouts.js)
		this.idempotency = new Map();
		this.mutationLog = [];
		this.nextId = seed.nextId;
	}

	/** The record behind a GID (query parameters such as ?model_name are ignored), or undefined. */
	find(id) {
		if (typeof id !== 'string') return undefined;
		const key = id.split('?')[0];
		return this.index.get(key) ?? this.bulkOperations.get(key) ?? this.lazyOrders?.find(key);
	}

	add(record) {
		this.index.set(record.id, record);
		return record;
	}

	customerByEmail(email) {
		const wanted = String(email).trim().toLowerCase();
		return this.customers.find((customer) => customer.email?.toLowerCase() === wanted);
	}

	customerByPhone(phone) {
		return this.customers.find((customer) => customer.phone && customer.phone === phone);
	}

	discountByCode(code) {
		const wanted = String(code).trim().toLowerCase();
		return this.discounts.find((node) => node._codes.some((redeem) => redeem.code.toLowerCase() === wanted));
	}

	log(entry) {
		// request: the X-Request-Id of the request that made it (set while a request's resolvers run at once; a mutation
		// made after a wait has none)
		this.mutationLog.push({ at: new Date().toISOString(), ...(this.requestId ? { request: this.requestId } : {}), ...entry });
	}

	summary() {
		return {
			customers: this.customers.length,
			orders: this.orders.length,
			discountCodes: this.discounts.length,
			storeCreditAccounts: this.storeCreditAccounts.map((account) => ({
				id: account.id,
				ownerId: account.owner.id,
				balance: account.balance,
				transactions: account.transactions.length,
			})),
			refundsCreated: this.createdRefunds.map((refund) => ({
				id: refund.id,
				orderId: refund.order.id,
				totalRefunded: refund.totalRefundedSet.shopMoney,
			})),
			idempotencyKeys: [...this.idempotency].map(([id, record]) => ({ mutation: id.slice(0, id.indexOf(':')), key: id.slice(id.indexOf(':') + 1), state: record.state })),
			mutations: this.mutationLog.length,
			mutationLog: this.mutationLog,
		};
	}
}

module.exports = { ShopifyStore, buildSeed };

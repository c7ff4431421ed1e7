'use strict';
/**
 * Shopify's Returns API (Admin GraphQL 2026-10) on the stand-in's store: returns on orders, their line items,
 * exchanges, reverse fulfillment orders and dispositions, the products and variants behind line items (for
 * exchanges and product tags), and the return mutations with Shopify's ReturnUserError codes and state rules.
 * Records are plain objects read by the generic resolver (shopify-resolvers.js); derived quantities are getters.
 *
 * Reads
 *   return(id), nodes/node (Return, ReturnLineItem, ExchangeLineItem, ReverseFulfillmentOrder(+LineItem), Product,
 *   ProductVariant, Location, ReturnReasonDefinition), Order.returns (query: status:, id:), Order.returnStatus,
 *   orders(query: "return_status:return_requested"), returnableFulfillments(orderId), returnableFulfillment(id),
 *   reverseFulfillmentOrder(id), returnReasonDefinitions, product(s), productVariant(s), location(s),
 *   LineItem.variant / LineItem.product (found by the line's SKU in the catalog, shopify-catalog.js PRODUCT_LINES).
 *   The stand-in checks no read scope for queries (only mutations, shopify-mutations.js), so `read_returns` is not
 *   enforced on reads; every return mutation needs `write_returns`.
 *
 * Mutations (userErrors are ReturnUserError { field, message, code }; a refused call changes nothing)
 *   returnRequest         REQUESTED; quantities <= fulfilled - on other returns (declined/canceled ones free theirs)
 *   returnCreate          OPEN at once, with its reverse fulfillment order; exchanges, fees; unarchives the order
 *   returnApproveRequest  REQUESTED -> OPEN (requestApprovedAt, reverse fulfillment order), else INVALID_STATE
 *   returnDeclineRequest  REQUESTED -> DECLINED { reason, note } (note at most 500 characters)
 *   returnProcess         OPEN only; line and exchange quantities <= processable; dispositions (RESTOCKED puts the
 *                         units back in stock and needs a locationId); financialTransfer.issueRefund (order
 *                         transactions, store credit) and refundShipping through refundCreate's logic
 *                         (shopify-payouts.js): one Refund on the order, linked to the return
 *   returnClose / returnReopen / returnCancel   OPEN <-> CLOSED; OPEN -> CANCELED before any work is done
 * Where Shopify's behaviour is not documented the stand-in takes the stricter reading; each such place says so.
 * Messages marked "captured" are Shopify's own words as recorded from a live store (2026-04); the others are the
 * stand-in's, in Shopify's style.
 *
 * Order.returnStatus (captured precedence): any REQUESTED return -> RETURN_REQUESTED, else any OPEN -> IN_PROGRESS,
 * else any CLOSED -> RETURNED, else NO_RETURN (declined and canceled returns count for nothing).
 *
 * Seed (every start and POST /__standin/reset; ids and names as in the default 300-customer store):
 *   Products 8001-8008 (one per catalog product) with variants from gid://shopify/ProductVariant/8101, location
 *   gid://shopify/Location/76001 "Studio Warehouse". Six REQUESTED returns (seedRequests below): on #1014 (COLOR),
 *   #1013 (DEFECTIVE, made-to-order canvas), #1009 (SIZE_TOO_SMALL, past a 30-day window), #1012 (WRONG_ITEM, shipped
 *   to Berlin DE, past 30 days), the latest generated order with a final-sale giclee delivered within 14 days
 *   (STYLE, shipped to Lyon FR; #1905 by default) and the latest generated order of two prints of one kind (UNWANTED,
 *   one of two; #1923 by default). No order total, count or date changes; those orders' returnStatus is
 *   RETURN_REQUESTED, and #1012 and #1905 get their EU shipping address (billing and the customer's own stay US).
 *
 * Generator of N more return requests, deterministic for a given store size and N (generateRequests below):
 *   CX_SHOPIFY_RETURN_REQUESTS=N in the stand-in's environment, or POST /__standin/return-requests { "count": N }
 *   (restores the seed with N generated requests; 0 removes them; POST /__standin/reset keeps the last count).
 *   Mixes every ReturnReason, about 60% within 30 days of delivery and the rest later, about 15% final-sale or
 *   made-to-order items, about 20% shipped to an EU country, and a few serial returners (customers with 4-5 CLOSED,
 *   refunded returns over the last 365 days and a new request). Requests land on generated orders delivered in the
 *   last 365 days, one per order: a small store yields fewer than N when it has fewer such orders.
 */
const { requireGid, parseGid, findTyped } = require('./shopify-gid.js');
const {
	ANCHOR, DAY_MS, gid, iso, money, moneyBag, decimal, centsOf, dollarText, daysBefore, addHours, sortedTags, idAllocator,
	presentOrder, refundRecord, refundTransaction,
} = require('./shopify-records.js');
const { refundCreate } = require('./shopify-payouts.js');
const { prng } = require('./shopify-seed.js');
const { PRODUCTS, PRODUCT_LINES, EU_PLACES } = require('./shopify-catalog.js');

const HOUR_MS = 3_600_000;
const VENDOR = 'CX Director Demo Studio';
/** shopify-store.js numbers generated orders from here; fixture orders come before. */
const FIRST_GENERATED_ORDER = 5101;
/** The PRNG seed of the return-request generator (the store's own is 20261101). */
const RETURNS_SEED = 20261102;
/** Ids of the records this module creates, apart from the store's allocator (shopify-store.js). */
const OWN_ID_STARTS = {
	Return: 94001, ReturnLineItem: 95001, ExchangeLineItem: 96001, ReverseFulfillmentOrder: 97001,
	ReverseFulfillmentOrderLineItem: 97501, ReverseFulfillmentOrderDisposition: 98001, RestockingFee: 91001,
	ReturnShippingFee: 92001, ProductVariant: 8101, InventoryItem: 8201, ProductOption: 8301, FulfillmentOrder: 990001,
	FulfillmentOrderLineItem: 991001,
};

/** ReturnInput / ReturnRequestLineItemInput documented maximum lengths; ReturnDeclineRequestInput.declineNote: 500. */
const CUSTOMER_NOTE_MAX = 300;
const REASON_NOTE_MAX = 255;
const DECLINE_NOTE_MAX = 500;

// ---- reasons ---------------------------------------------------------------------------------------------

/**
 * ReturnReason values and the ReturnReasonDefinition each stands for (returnReasonDefinitionId is accepted too).
 * Shopify's taxonomy handles are not all public: `other-reason` is captured, the others are the stand-in's.
 */
const REASONS = [
	['COLOR', 'color', 'Color'],
	['DEFECTIVE', 'defective', 'Damaged or defective'],
	['NOT_AS_DESCRIBED', 'not-as-described', 'Not as described'],
	['OTHER', 'other-reason', 'Other'],
	['SIZE_TOO_LARGE', 'too-large', 'Size was too large'],
	['SIZE_TOO_SMALL', 'too-small', 'Size was too small'],
	['STYLE', 'style', 'Style'],
	['UNKNOWN', 'unknown', 'Unknown'],
	['UNWANTED', 'unwanted', 'Changed my mind'],
	['WRONG_ITEM', 'wrong-item', 'Received the wrong item'],
];
const REASON_DEFINITIONS = REASONS.map(([reason, handle, name], index) => ({
	__typename: 'ReturnReasonDefinition', id: gid('ReturnReasonDefinition', 101 + index), handle, name, deleted: false, _reason: reason,
}));
const DEFINITION_BY_REASON = new Map(REASON_DEFINITIONS.map((definition) => [definition._reason, definition]));
const DEFINITION_BY_ID = new Map(REASON_DEFINITIONS.map((definition) => [definition.id, definition]));

// ---- small helpers ---------------------------------------------------------------------------------------

const userError = (field, message, code) => ({ field, message, code });
const nextOwn = (store, type) => store.returnsState.nextId(type);
const unitCents = (lineItem) => centsOf(lineItem.discountedUnitPriceAfterAllDiscountsSet.shopMoney);
const rateOf = (order) => order._presentment?.rate ?? 1;
/** Decimal input ("49.99") as integer cents; NaN when it is not a number. */
function inputCents(amount) {
	const value = Number.parseFloat(String(amount ?? ''));
	return Number.isFinite(value) ? Math.round(value * 100) : Number.NaN;
}
/** A money set of an order: shop cents, and the presentment amount at the order's rate when it was paid in another currency. */
function bagFor(order, cents) {
	const presented = order._presentment;
	if (!presented) return moneyBag(cents);
	return { shopMoney: money(cents), presentmentMoney: money(Math.round(cents * presented.rate), presented.currency) };
}
const amountText = (cents, currency) => (currency === 'USD' ? dollarText(cents) : `${(cents / 100).toFixed(2)} ${currency}`);
const earlier = (a, b) => (a < b ? a : b);

/** The line's catalog variant (LineItem.variant): by SKU, as the stand-in's line items carry no variant of their own. */
const variantFor = (store, sku) => store.returnsState?.catalog.bySku.get(sku) ?? null;

/** A return's fulfillment line item on its order, or undefined. */
function fulfillmentLineItemOf(order, id) {
	for (const fulfillment of order.fulfillments ?? []) {
		const found = fulfillment.fulfillmentLineItems.find((line) => line.id === id);
		if (found) return found;
	}
	return undefined;
}

const LIVE = new Set(['REQUESTED', 'OPEN', 'CLOSED']);

/** Units of a fulfillment line item that returns already claim: declined and canceled ones free theirs (Shopify's returnDeclineRequest doc). */
function claimedQuantity(order, fulfillmentLineItem) {
	let claimed = 0;
	for (const ret of order.returns ?? []) {
		if (!LIVE.has(ret.status)) continue;
		for (const line of ret.returnLineItems) if (line.fulfillmentLineItem === fulfillmentLineItem) claimed += line.quantity;
	}
	return claimed;
}

/** Units of a line item refunded by refunds that are not a return's (refundCreate with refundLineItems). */
function refundedOutsideReturns(order, lineItem) {
	let viaReturns = 0;
	for (const ret of order.returns ?? []) {
		for (const line of ret.returnLineItems) if (line.fulfillmentLineItem.lineItem === lineItem) viaReturns += line.refundedQuantity;
	}
	return Math.max(0, lineItem.quantity - lineItem.refundableQuantity - viaReturns);
}

/** What can still be returned of a fulfillment line item: fulfilled, less what returns claim and what was refunded otherwise. */
function returnableQuantity(order, fulfillmentLineItem) {
	return Math.max(0, fulfillmentLineItem.quantity - claimedQuantity(order, fulfillmentLineItem) - refundedOutsideReturns(order, fulfillmentLineItem.lineItem));
}

/** Order.returnStatus from the order's returns, in the precedence captured from Shopify (see the header). */
function refreshReturnStatus(order) {
	const statuses = new Set((order.returns ?? []).map((ret) => ret.status));
	order.returnStatus = statuses.has('REQUESTED') ? 'RETURN_REQUESTED'
		: statuses.has('OPEN') ? 'IN_PROGRESS'
			: statuses.has('CLOSED') ? 'RETURNED'
				: 'NO_RETURN';
}

/** Units of a return line item given a final disposition (PROCESSING_REQUIRED is not final). */
const finallyDisposed = (line) => (line._reverseLine?.dispositions ?? []).filter((one) => one.type !== 'PROCESSING_REQUIRED').reduce((sum, one) => sum + one.quantity, 0);
const disposed = (line) => (line._reverseLine?.dispositions ?? []).reduce((sum, one) => sum + one.quantity, 0);

// ---- records ---------------------------------------------------------------------------------------------

function returnRecord(store, order, { status, createdAt }) {
	const ret = {
		__typename: 'Return',
		id: gid('Return', nextOwn(store, 'Return')),
		// Shopify names returns after their order: #1001-R1, #1001-R2 ...
		name: `${order.name}-R${(order.returns?.length ?? 0) + 1}`,
		status,
		createdAt: iso(createdAt),
		requestApprovedAt: null,
		closedAt: null,
		decline: null,
		order,
		returnLineItems: [],
		exchangeLineItems: [],
		reverseFulfillmentOrders: [],
		refunds: [],
		returnShippingFees: [],
		transactions: [],
		staffMember: null,
		suggestedFinancialOutcome: null,
		suggestedRefund: null,
		get totalQuantity() {
			return this.returnLineItems.reduce((sum, line) => sum + line.quantity, 0);
		},
	};
	return ret;
}

/**
 * A return line item. processableQuantity is what returnProcess may still take: the unprocessed units while the
 * return is OPEN, none otherwise (stricter reading: Shopify documents only "the quantity that can be processed", and a
 * REQUESTED, DECLINED, CLOSED or CANCELED return cannot be processed). refundableQuantity: not yet refunded, on an
 * OPEN or CLOSED return.
 */
function returnLineItemRecord(store, ret, { fulfillmentLineItem, quantity, reason, reasonNote = '', customerNote = null, restockingPercentage = null }) {
	const order = ret.order;
	const unit = unitCents(fulfillmentLineItem.lineItem);
	const line = {
		__typename: 'ReturnLineItem',
		id: gid('ReturnLineItem', nextOwn(store, 'ReturnLineItem')),
		fulfillmentLineItem,
		quantity,
		processedQuantity: 0,
		refundedQuantity: 0,
		returnReason: reason,
		returnReasonNote: reasonNote ?? '',
		customerNote: customerNote ?? null,
		restockingFee: restockingPercentage === null ? null : store.add({
			__typename: 'RestockingFee',
			id: gid('RestockingFee', nextOwn(store, 'RestockingFee')),
			percentage: restockingPercentage,
			amountSet: bagFor(order, Math.round((unit * quantity * restockingPercentage) / 100)),
		}),
		withCodeDiscountedTotalPriceSet: bagFor(order, unit * quantity),
		totalWeight: null,
		get unprocessedQuantity() {
			return this.quantity - this.processedQuantity;
		},
		get processableQuantity() {
			return ret.status === 'OPEN' ? this.quantity - this.processedQuantity : 0;
		},
		get refundableQuantity() {
			return ret.status === 'OPEN' || ret.status === 'CLOSED' ? this.quantity - this.refundedQuantity : 0;
		},
		get returnReasonDefinition() {
			return DEFINITION_BY_REASON.get(this.returnReason) ?? null;
		},
		_return: ret,
		_reverseLine: null,
	};
	return store.add(line);
}

function exchangeLineItemRecord(store, ret, { variant, quantity, unitCents: unit, discount }) {
	const item = {
		__typename: 'ExchangeLineItem',
		id: gid('ExchangeLineItem', nextOwn(store, 'ExchangeLineItem')),
		variantId: variant.id,
		productId: variant.product.id,
		title: variant.product.title,
		variantTitle: variant.title,
		variantSku: variant.sku,
		quantity,
		processedQuantity: 0,
		// the order's line items for the exchange, added when it is processed
		lineItems: [],
		get lineItem() {
			return this.lineItems[0] ?? null;
		},
		get unprocessedQuantity() {
			return this.quantity - this.processedQuantity;
		},
		get processableQuantity() {
			return ret.status === 'OPEN' ? this.quantity - this.processedQuantity : 0;
		},
		_return: ret,
		_variant: variant,
		_unitCents: unit,
		_discount: discount,
	};
	return store.add(item);
}

/** The reverse fulfillment order of an OPEN return: one line per return line item (on returnCreate and on approval). */
function openReverseFulfillmentOrder(store, ret) {
	const reverse = {
		__typename: 'ReverseFulfillmentOrder',
		id: gid('ReverseFulfillmentOrder', nextOwn(store, 'ReverseFulfillmentOrder')),
		status: 'OPEN',
		order: ret.order,
		lineItems: [],
		reverseDeliveries: [],
		thirdPartyConfirmation: null,
		_return: ret,
	};
	for (const line of ret.returnLineItems) {
		const item = {
			__typename: 'ReverseFulfillmentOrderLineItem',
			id: gid('ReverseFulfillmentOrderLineItem', nextOwn(store, 'ReverseFulfillmentOrderLineItem')),
			fulfillmentLineItem: line.fulfillmentLineItem,
			get totalQuantity() {
				return line.quantity;
			},
			dispositions: [],
			_returnLineItem: line,
		};
		line._reverseLine = item;
		reverse.lineItems.push(store.add(item));
	}
	ret.reverseFulfillmentOrders.push(store.add(reverse));
	return reverse;
}

function setReverseStatus(ret, status) {
	for (const reverse of ret.reverseFulfillmentOrders) reverse.status = status;
}

/** Adds a return to its order and keeps Order.returnStatus right. */
function attach(order, ret) {
	if (!Array.isArray(order.returns)) order.returns = [];
	order.returns.push(ret);
	refreshReturnStatus(order);
}

// ---- catalog ---------------------------------------------------------------------------------------------

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Products and variants of shopify-catalog.js PRODUCT_LINES, with the stock they hold today. */
function buildCatalog(store) {
	const createdAt = iso(daysBefore(900));
	const products = [];
	const variants = [];
	const bySku = new Map();
	for (const [key, line] of Object.entries(PRODUCT_LINES)) {
		const base = PRODUCTS[key];
		const product = {
			__typename: 'Product',
			id: gid('Product', line.id),
			legacyResourceId: String(line.id),
			title: base.title,
			handle: slug(base.title),
			productType: line.productType,
			tags: sortedTags(line.tags),
			vendor: VENDOR,
			status: 'ACTIVE',
			createdAt,
			updatedAt: createdAt,
			publishedAt: createdAt,
			description: '',
			descriptionHtml: '',
			isGiftCard: false,
			tracksInventory: true,
			requiresSellingPlan: false,
			hasOnlyDefaultVariant: false,
			onlineStoreUrl: null,
			priceRangeV2: { minVariantPrice: money(base.cents), maxVariantPrice: money(base.cents) },
			options: line.options.map((name, index) => ({
				__typename: 'ProductOption',
				id: gid('ProductOption', nextOwn(store, 'ProductOption')),
				name,
				position: index + 1,
				values: [...new Set(line.variants.map(([title]) => title.split(' / ')[index] ?? title))],
			})),
			variants: [],
			get totalInventory() {
				return this.variants.reduce((sum, variant) => sum + Math.max(0, variant.inventoryQuantity), 0);
			},
			get totalVariants() {
				return this.variants.length;
			},
			get variantsCount() {
				return { count: this.variants.length, precision: 'EXACT' };
			},
			get hasOutOfStockVariants() {
				return this.variants.some((variant) => variant.inventoryQuantity <= 0);
			},
		};
		line.variants.forEach(([title, sku, inventory], index) => {
			const id = nextOwn(store, 'ProductVariant');
			const inventoryItemId = nextOwn(store, 'InventoryItem');
			const variant = {
				__typename: 'ProductVariant',
				id: gid('ProductVariant', id),
				legacyResourceId: String(id),
				title,
				displayName: `${base.title} - ${title}`,
				sku,
				price: decimal(base.cents),
				compareAtPrice: null,
				position: index + 1,
				taxable: true,
				barcode: null,
				createdAt,
				updatedAt: createdAt,
				inventoryQuantity: inventory,
				inventoryPolicy: line.inventoryPolicy ?? 'DENY',
				get availableForSale() {
					return this.inventoryPolicy === 'CONTINUE' || this.inventoryQuantity > 0;
				},
				get sellableOnlineQuantity() {
					return Math.max(0, this.inventoryQuantity);
				},
				selectedOptions: line.options.map((name, k) => ({ name, value: title.split(' / ')[k] ?? title })),
				product,
				inventoryItem: null,
			};
			variant.inventoryItem = store.add({
				__typename: 'InventoryItem', id: gid('InventoryItem', inventoryItemId), legacyResourceId: String(inventoryItemId),
				sku, tracked: true, requiresShipping: true, createdAt, updatedAt: createdAt, variant,
			});
			product.variants.push(store.add(variant));
			variants.push(variant);
			bySku.set(sku, variant);
		});
		products.push(store.add(product));
	}
	return { products, variants, bySku };
}

function locationRecord() {
	const createdAt = iso(daysBefore(1000));
	return {
		__typename: 'Location',
		id: gid('Location', 76001),
		legacyResourceId: '76001',
		name: 'Studio Warehouse',
		isActive: true,
		isPrimary: true,
		shipsInventory: true,
		fulfillsOnlineOrders: true,
		hasActiveInventory: true,
		hasUnfulfilledOrders: true,
		isFulfillmentService: false,
		activatable: false,
		deactivatable: false,
		deletable: false,
		addressVerified: true,
		deactivatedAt: null,
		createdAt,
		updatedAt: createdAt,
		address: {
			address1: '200 Sample Street', address2: null, city: 'Portland', province: 'Oregon', provinceCode: 'OR', zip: '97205',
			country: 'United States', countryCode: 'US', phone: null, latitude: null, longitude: null,
			formatted: ['200 Sample Street', 'Portland OR 97205', 'United States'],
		},
	};
}

/** An EU shipping address for an order (the customer's own address book stays as it is). */
function euAddress(store, customer, place) {
	return {
		__typename: 'MailingAddress',
		id: `${gid('MailingAddress', store.nextId('MailingAddress'))}?model_name=Address`,
		firstName: customer.firstName,
		lastName: customer.lastName,
		name: `${customer.firstName} ${customer.lastName}`,
		company: null,
		address1: place.street,
		address2: null,
		city: place.city,
		province: null,
		provinceCode: null,
		zip: place.zip,
		country: place.country,
		countryCodeV2: place.countryCode,
		phone: null,
		formatted: [place.street, `${place.zip} ${place.city}`, place.country],
		formattedArea: `${place.city}, ${place.country}`,
		coordinatesValidated: false,
		latitude: null,
		longitude: null,
		timeZone: null,
	};
}

function shipAbroad(store, order, place) {
	order.shippingAddress = euAddress(store, order.customer, place);
	order.billingAddressMatchesShippingAddress = false;
}

// ---- validation shared by returnRequest and returnCreate -------------------------------------------------

/** The reason of an input line: returnReasonDefinitionId wins over the deprecated returnReason. */
function reasonOfInput(entry) {
	if (entry.returnReasonDefinitionId) {
		requireGid(entry.returnReasonDefinitionId);
		const definition = DEFINITION_BY_ID.get(entry.returnReasonDefinitionId);
		return definition ? { reason: definition._reason } : { unknownDefinition: true };
	}
	return { reason: entry.returnReason ?? null };
}

/**
 * Shopify checks the reasons before it looks the order up (captured shapes): returnRequest says BLANK on the reason,
 * returnCreate NOT_FOUND on the line, and returnCreate wants a note with OTHER.
 */
function reasonErrors(root, lines) {
	const errors = [];
	lines.forEach((entry, index) => {
		const path = [root, 'returnLineItems', String(index)];
		const { reason, unknownDefinition } = reasonOfInput(entry);
		if (unknownDefinition) {
			errors.push(userError([...path, 'returnReasonDefinitionId'], 'Return reason definition does not exist.', 'NOT_FOUND'));
		} else if (!reason) {
			errors.push(root === 'returnInput'
				? userError(path, 'Return line items Either return reason or return reason definition must be provided', 'NOT_FOUND')
				: userError([...path, 'returnReason'], "Return reason can't be blank", 'BLANK'));
		} else if (root === 'returnInput' && reason === 'OTHER' && !String(entry.returnReasonNote ?? '').trim()) {
			errors.push(userError([...path, 'returnReasonNote'], 'Return line items return reason note The note is required when the return reason is "Other"', 'BLANK'));
		}
	});
	return errors;
}

/** The order a return input names, or a NOT_FOUND error. */
function orderOf(store, root, orderId) {
	requireGid(orderId);
	const order = store.find(orderId);
	return order?.__typename === 'Order' ? { order } : { error: userError([root, 'orderId'], 'Order does not exist.', 'NOT_FOUND') };
}

/** Validates the lines against the order; returns { errors, lines } with each line's fulfillment line item. */
function planLines(order, root, lines) {
	const errors = [];
	const planned = [];
	const wanted = new Map();
	lines.forEach((entry, index) => {
		const path = [root, 'returnLineItems', String(index)];
		requireGid(entry.fulfillmentLineItemId);
		const fulfillmentLineItem = fulfillmentLineItemOf(order, entry.fulfillmentLineItemId);
		if (!fulfillmentLineItem) {
			errors.push(userError([...path, 'fulfillmentLineItemId'], 'Fulfillment line item does not exist.', 'NOT_FOUND'));
			return;
		}
		// the same fulfillment line item twice in one input counts once, in full (captured message and code)
		const total = (wanted.get(fulfillmentLineItem) ?? 0) + entry.quantity;
		wanted.set(fulfillmentLineItem, total);
		if (entry.quantity <= 0 || total > returnableQuantity(order, fulfillmentLineItem)) {
			errors.push(userError([...path, 'quantity'], 'Return line item has an invalid quantity.', 'INVALID'));
		}
		if (entry.customerNote != null && entry.customerNote.length > CUSTOMER_NOTE_MAX) {
			errors.push(userError([...path, 'customerNote'], `Customer note is too long (maximum is ${CUSTOMER_NOTE_MAX} characters)`, 'TOO_LONG'));
		}
		if (entry.returnReasonNote != null && entry.returnReasonNote.length > REASON_NOTE_MAX) {
			errors.push(userError([...path, 'returnReasonNote'], `Return reason note is too long (maximum is ${REASON_NOTE_MAX} characters)`, 'TOO_LONG'));
		}
		const percentage = entry.restockingFee?.percentage;
		if (percentage != null && percentage < 0) {
			errors.push(userError([...path, 'restockingFee', 'percentage'], 'Percentage must be greater than or equal to 0', 'GREATER_THAN_OR_EQUAL_TO'));
		} else if (percentage != null && percentage > 100) {
			errors.push(userError([...path, 'restockingFee', 'percentage'], 'Percentage must be less than or equal to 100', 'LESS_THAN_OR_EQUAL_TO'));
		}
		planned.push({
			fulfillmentLineItem,
			quantity: entry.quantity,
			reason: reasonOfInput(entry).reason,
			reasonNote: entry.returnReasonNote ?? '',
			customerNote: entry.customerNote ?? null,
			restockingPercentage: percentage ?? null,
		});
	});
	return { errors, lines: planned };
}

/** ReturnShippingFeeInput: an amount of 0 or more in the order's presentment currency. */
function shippingFeeErrors(order, root, fee) {
	if (!fee) return [];
	const cents = inputCents(fee.amount.amount);
	const path = [root, 'returnShippingFee', 'amount'];
	if (!(cents >= 0)) return [userError([...path, 'amount'], 'Amount must be greater than or equal to 0', 'GREATER_THAN_OR_EQUAL_TO')];
	if (fee.amount.currencyCode !== order.presentmentCurrencyCode) {
		return [userError([...path, 'currencyCode'], `Currency code must be the order's presentment currency, ${order.presentmentCurrencyCode}`, 'INVALID')];
	}
	return [];
}

function addShippingFee(store, ret, fee) {
	if (!fee) return;
	const cents = Math.round(inputCents(fee.amount.amount) / rateOf(ret.order));
	ret.returnShippingFees.push(store.add({ __typename: 'ReturnShippingFee', id: gid('ReturnShippingFee', nextOwn(store, 'ReturnShippingFee')), amountSet: bagFor(ret.order, cents) }));
}

/**
 * ExchangeLineItemInput: an existing variant with the stock for it (a DENY variant), an optional appliedDiscount
 * (@oneOf amount | percentage). The store sells no gift cards. Returns { errors, exchanges }.
 */
function planExchanges(store, order, entries) {
	const errors = [];
	const exchanges = [];
	const wanted = new Map();
	entries.forEach((entry, index) => {
		const path = ['returnInput', 'exchangeLineItems', String(index)];
		if (entry.giftCardCodes?.length) errors.push(userError([...path, 'giftCardCodes'], 'Gift card codes are not valid: the store sells no gift cards.', 'INVALID'));
		let variant;
		if (!entry.variantId) {
			errors.push(userError([...path, 'variantId'], "Variant can't be blank", 'BLANK'));
		} else {
			requireGid(entry.variantId);
			variant = store.find(entry.variantId);
			if (variant?.__typename !== 'ProductVariant') {
				variant = undefined;
				errors.push(userError([...path, 'variantId'], 'Variant does not exist.', 'NOT_FOUND'));
			}
		}
		if (entry.quantity <= 0) {
			errors.push(userError([...path, 'quantity'], 'Quantity must be greater than 0', 'GREATER_THAN'));
			return;
		}
		if (!variant) return;
		const total = (wanted.get(variant) ?? 0) + entry.quantity;
		wanted.set(variant, total);
		if (variant.inventoryPolicy === 'DENY' && total > variant.inventoryQuantity) {
			errors.push(userError([...path, 'quantity'], `Not enough inventory: ${Math.max(0, variant.inventoryQuantity)} of ${variant.displayName} available, ${total} requested.`, 'INVALID'));
		}
		const price = inputCents(variant.price);
		let unit = price;
		const value = entry.appliedDiscount?.value;
		if (value?.percentage != null) {
			if (!(value.percentage > 0 && value.percentage <= 100)) {
				errors.push(userError([...path, 'appliedDiscount', 'value', 'percentage'], 'Percentage must be greater than 0 and at most 100', 'INVALID'));
			} else {
				unit = Math.round(price * (1 - value.percentage / 100));
			}
		} else if (value?.amount) {
			const cents = inputCents(value.amount.amount);
			if (value.amount.currencyCode !== order.presentmentCurrencyCode) {
				errors.push(userError([...path, 'appliedDiscount', 'value', 'amount', 'currencyCode'], `Currency code must be the order's presentment currency, ${order.presentmentCurrencyCode}`, 'INVALID'));
			} else if (!(cents > 0) || Math.round(cents / rateOf(order)) > price) {
				errors.push(userError([...path, 'appliedDiscount', 'value', 'amount', 'amount'], `Amount must be greater than 0 and at most the variant's price, ${amountText(price, 'USD')}`, 'INVALID'));
			} else {
				unit = price - Math.round(cents / rateOf(order));
			}
		}
		exchanges.push({ variant, quantity: entry.quantity, unitCents: unit, discount: entry.appliedDiscount ?? null });
	});
	return { errors, exchanges };
}

/** Builds a return from validated lines (also the seed's way of making returns). */
function createReturn(store, order, { status, createdAt, lines, exchanges = [], shippingFee = null }) {
	const ret = returnRecord(store, order, { status, createdAt });
	for (const line of lines) ret.returnLineItems.push(returnLineItemRecord(store, ret, line));
	for (const exchange of exchanges) ret.exchangeLineItems.push(exchangeLineItemRecord(store, ret, exchange));
	addShippingFee(store, ret, shippingFee);
	if (status === 'OPEN') {
		ret.requestApprovedAt = null;
		openReverseFulfillmentOrder(store, ret);
	}
	store.add(ret);
	store.returnsState.returns.push(ret);
	attach(order, ret);
	return ret;
}

// ---- mutations -------------------------------------------------------------------------------------------

function refused(store, mutation, userErrors, extra = {}) {
	store.log({ mutation, ...extra, userErrors });
	return { return: null, userErrors };
}

/** returnRequest(input: ReturnRequestInput!): a REQUESTED return, waiting for the merchant's approval. */
function returnRequest({ input }, { store }) {
	return openReturn(store, 'returnRequest', 'input', input, 'REQUESTED');
}

/** returnCreate(returnInput: ReturnInput!): an OPEN return (approved already) with its reverse fulfillment order. */
function returnCreate({ returnInput }, { store }) {
	return openReturn(store, 'returnCreate', 'returnInput', returnInput, 'OPEN');
}

function openReturn(store, mutation, root, input, status) {
	const lines = input.returnLineItems ?? [];
	const extra = { orderId: input.orderId };
	if (!lines.length) return refused(store, mutation, [userError(['returnLineItems'], 'Return must include at least one line item.', 'INVALID')], extra);
	const reasons = reasonErrors(root, lines);
	if (reasons.length) return refused(store, mutation, reasons, extra);
	const { order, error } = orderOf(store, root, input.orderId);
	if (error) return refused(store, mutation, [error], extra);
	const planned = planLines(order, root, lines);
	const exchanges = root === 'returnInput' ? planExchanges(store, order, input.exchangeLineItems ?? []) : { errors: [], exchanges: [] };
	const errors = [...planned.errors, ...shippingFeeErrors(order, root, input.returnShippingFee), ...exchanges.errors];
	if (errors.length) return refused(store, mutation, errors, extra);
	const now = new Date();
	const ret = createReturn(store, order, { status, createdAt: now, lines: planned.lines, exchanges: exchanges.exchanges, shippingFee: input.returnShippingFee });
	// "If you create a return on an archived order, then the order is automatically unarchived." (returnCreate)
	if (mutation === 'returnCreate' && order.closed && !order.cancelledAt) {
		order.closed = false;
		order.closedAt = null;
	}
	order.updatedAt = iso(now);
	store.log({ mutation, orderId: order.id, returnId: ret.id, name: ret.name, status: ret.status, totalQuantity: ret.totalQuantity, userErrors: [] });
	return { return: ret, userErrors: [] };
}

/** The Return an id names, or null; a string that is no GID fails the request as Shopify's ID coercion does. */
function findReturn(store, id) {
	requireGid(id);
	const found = store.find(id);
	return found?.__typename === 'Return' ? found : null;
}

const NOT_FOUND_MESSAGE = 'Return not found.';

/** returnApproveRequest: REQUESTED -> OPEN, with the reverse fulfillment order; anything else is INVALID_STATE (captured). */
function returnApproveRequest({ input }, { store }) {
	const ret = findReturn(store, input.id);
	if (!ret) return refused(store, 'returnApproveRequest', [userError(['input', 'id'], NOT_FOUND_MESSAGE, 'NOT_FOUND')], { returnId: input.id });
	if (ret.status !== 'REQUESTED') {
		return refused(store, 'returnApproveRequest', [userError(['input', 'id'], 'Return is not approvable. Only returns with status REQUESTED can be approved.', 'INVALID_STATE')], { returnId: ret.id, status: ret.status });
	}
	const now = new Date();
	ret.status = 'OPEN';
	ret.requestApprovedAt = iso(now);
	ret.decline = null;
	openReverseFulfillmentOrder(store, ret);
	refreshReturnStatus(ret.order);
	ret.order.updatedAt = iso(now);
	store.log({ mutation: 'returnApproveRequest', returnId: ret.id, status: ret.status, notifyCustomer: Boolean(input.notifyCustomer), userErrors: [] });
	return { return: ret, userErrors: [] };
}

/** returnDeclineRequest: REQUESTED -> DECLINED with the reason and note (captured messages for the other states). */
function returnDeclineRequest({ input }, { store }) {
	const ret = findReturn(store, input.id);
	const mutation = 'returnDeclineRequest';
	if (!ret) return refused(store, mutation, [userError(['input', 'id'], NOT_FOUND_MESSAGE, 'NOT_FOUND')], { returnId: input.id });
	if (input.declineNote != null && input.declineNote.length > DECLINE_NOTE_MAX) {
		return refused(store, mutation, [userError(['input', 'declineNote'], `Decline note is too long (maximum is ${DECLINE_NOTE_MAX} characters)`, 'TOO_LONG')], { returnId: ret.id });
	}
	if (ret.status === 'DECLINED') return refused(store, mutation, [userError(['input', 'id'], 'The return is already declined.', 'INVALID_STATE')], { returnId: ret.id, status: ret.status });
	if (ret.status !== 'REQUESTED') {
		return refused(store, mutation, [userError(['input', 'id'], 'Return is not declinable. Only non-refunded returns with status REQUESTED can be declined.', 'INVALID_STATE')], { returnId: ret.id, status: ret.status });
	}
	ret.status = 'DECLINED';
	ret.decline = { __typename: 'ReturnDecline', reason: input.declineReason, note: input.declineNote ?? null };
	refreshReturnStatus(ret.order);
	ret.order.updatedAt = iso(new Date());
	store.log({ mutation, returnId: ret.id, status: ret.status, declineReason: input.declineReason, notifyCustomer: Boolean(input.notifyCustomer), userErrors: [] });
	return { return: ret, userErrors: [] };
}

/** returnClose(id): OPEN -> CLOSED; a CLOSED return comes back unchanged; other states are refused (captured). */
function returnClose({ id }, { store }) {
	return transition(store, 'returnClose', id, (ret) => {
		if (ret.status === 'CLOSED') return null;
		if (ret.status !== 'OPEN') return 'Return status is invalid.';
		ret.status = 'CLOSED';
		ret.closedAt = iso(new Date());
		setReverseStatus(ret, 'CLOSED');
		return null;
	});
}

/** returnReopen(id): CLOSED -> OPEN; an OPEN return comes back unchanged; other states are refused (captured). */
function returnReopen({ id }, { store }) {
	return transition(store, 'returnReopen', id, (ret) => {
		if (ret.status === 'OPEN') return null;
		if (ret.status !== 'CLOSED') return 'Return status is invalid.';
		ret.status = 'OPEN';
		ret.closedAt = null;
		setReverseStatus(ret, 'OPEN');
		return null;
	});
}

/**
 * returnCancel(id): an OPEN return before any work on it (nothing processed, refunded or disposed) -> CANCELED; a
 * CANCELED one comes back unchanged. A REQUESTED return is refused too (stricter reading: a request is declined, not
 * canceled; Shopify: "Canceling a return is only available before any work has been done").
 */
function returnCancel({ id, notifyCustomer }, { store }) {
	return transition(store, 'returnCancel', id, (ret) => {
		if (ret.status === 'CANCELED') return null;
		const worked = ret.returnLineItems.some((line) => line.processedQuantity > 0 || line.refundedQuantity > 0 || disposed(line) > 0) ||
			ret.exchangeLineItems.some((item) => item.processedQuantity > 0) || ret.refunds.length > 0;
		if (ret.status !== 'OPEN' || worked) return 'Return is not cancelable.';
		ret.status = 'CANCELED';
		setReverseStatus(ret, 'CANCELED');
		return null;
	}, { notifyCustomer: Boolean(notifyCustomer) });
}

function transition(store, mutation, id, change, extra = {}) {
	const ret = findReturn(store, id);
	if (!ret) return refused(store, mutation, [userError(['id'], NOT_FOUND_MESSAGE, 'NOT_FOUND')], { returnId: id });
	const before = ret.status;
	const problem = change(ret);
	if (problem) return refused(store, mutation, [userError(['id'], problem, 'INVALID_STATE')], { returnId: ret.id, status: ret.status });
	if (ret.status !== before) {
		refreshReturnStatus(ret.order);
		ret.order.updatedAt = iso(new Date());
	}
	store.log({ mutation, returnId: ret.id, status: ret.status, ...extra, userErrors: [] });
	return { return: ret, userErrors: [] };
}

// ---- returnProcess ---------------------------------------------------------------------------------------

/** refundCreate (shopify-payouts.js) as returnProcess uses it: no @idempotent key (returnProcess takes none). */
const REFUND_CONTEXT_VERSION = '2025-10';
const NO_DIRECTIVES = { schema: { getDirective: () => null } };

/** Validates the return line items of a returnProcess input; fills `lines` (line -> quantity) and `dispositions`. */
function processLineErrors(store, ret, input, lines, dispositions) {
	const errors = [];
	const location = store.returnsState.location;
	(input.returnLineItems ?? []).forEach((entry, index) => {
		const path = ['input', 'returnLineItems', String(index)];
		requireGid(entry.id);
		const line = ret.returnLineItems.find((one) => one.id === entry.id);
		if (!line) {
			errors.push(userError([...path, 'id'], 'Return line item does not exist.', 'NOT_FOUND'));
			return;
		}
		if (entry.quantity <= 0) {
			errors.push(userError([...path, 'quantity'], 'Quantity must be greater than 0', 'GREATER_THAN'));
			return;
		}
		const total = (lines.get(line) ?? 0) + entry.quantity;
		if (total > line.processableQuantity) {
			errors.push(userError([...path, 'quantity'], `Quantity is not processable. The processable quantity is ${line.processableQuantity}.`, 'INVALID'));
			return;
		}
		lines.set(line, total);
		(entry.dispositions ?? []).forEach((disposition, k) => {
			const at = [...path, 'dispositions', String(k)];
			requireGid(disposition.reverseFulfillmentOrderLineItemId);
			const reverseLine = store.find(disposition.reverseFulfillmentOrderLineItemId);
			if (reverseLine?.__typename !== 'ReverseFulfillmentOrderLineItem' || reverseLine._returnLineItem._return !== ret) {
				errors.push(userError([...at, 'reverseFulfillmentOrderLineItemId'], 'Reverse fulfillment order line item was not found.', 'NOT_FOUND'));
				return;
			}
			if (reverseLine._returnLineItem !== line) {
				errors.push(userError([...at, 'reverseFulfillmentOrderLineItemId'], 'Reverse fulfillment order line item does not belong to the return line item.', 'INVALID'));
				return;
			}
			if (disposition.quantity <= 0) {
				errors.push(userError([...at, 'quantity'], 'Quantity is invalid.', 'INVALID'));
				return;
			}
			let place = null;
			if (disposition.locationId) {
				requireGid(disposition.locationId);
				place = store.find(disposition.locationId);
				if (place?.__typename !== 'Location') {
					errors.push(userError([...at, 'locationId'], 'Location does not exist.', 'NOT_FOUND'));
					return;
				}
			} else if (disposition.dispositionType === 'RESTOCKED') {
				// ReverseFulfillmentOrderDisposeInput.locationId: "This is required when the disposition type is RESTOCKED."
				errors.push(userError([...at, 'locationId'], 'Location is required when the disposition type is RESTOCKED.', 'BLANK'));
				return;
			}
			dispositions.push({ line, reverseLine, quantity: disposition.quantity, type: disposition.dispositionType, location: place ?? (disposition.dispositionType === 'RESTOCKED' ? location : null), path: at });
		});
	});
	// a unit is disposed of once, and only once it is processed (stricter reading: Shopify documents no such rule)
	const byLine = new Map();
	for (const one of dispositions) byLine.set(one.line, [...(byLine.get(one.line) ?? []), one]);
	for (const [line, ones] of byLine) {
		const after = disposed(line) + ones.reduce((sum, one) => sum + one.quantity, 0);
		if (after > line.processedQuantity + (lines.get(line) ?? 0)) {
			errors.push(userError([...ones.at(-1).path, 'quantity'], 'Quantity is invalid.', 'INVALID'));
		}
	}
	return errors;
}

function processExchangeErrors(ret, input, exchanges) {
	const errors = [];
	(input.exchangeLineItems ?? []).forEach((entry, index) => {
		const path = ['input', 'exchangeLineItems', String(index)];
		requireGid(entry.id);
		const item = ret.exchangeLineItems.find((one) => one.id === entry.id);
		if (!item) {
			errors.push(userError([...path, 'id'], 'Exchange line item does not exist.', 'NOT_FOUND'));
			return;
		}
		if (entry.quantity <= 0) {
			errors.push(userError([...path, 'quantity'], 'Quantity must be greater than 0', 'GREATER_THAN'));
			return;
		}
		const total = (exchanges.get(item) ?? 0) + entry.quantity;
		if (total > item.processableQuantity) {
			errors.push(userError([...path, 'quantity'], `Quantity is not processable. The processable quantity is ${item.processableQuantity}.`, 'INVALID'));
			return;
		}
		const variant = item._variant;
		if (variant.inventoryPolicy === 'DENY' && total > variant.inventoryQuantity) {
			errors.push(userError([...path, 'quantity'], `Not enough inventory: ${Math.max(0, variant.inventoryQuantity)} of ${variant.displayName} available, ${total} requested.`, 'INVALID'));
			return;
		}
		exchanges.set(item, total);
	});
	return errors;
}

/** Validates the money of a returnProcess input; returns { errors, plan } with shop cents. */
function processMoneyErrors(ret, input, lines) {
	const order = ret.order;
	const currency = order.presentmentCurrencyCode;
	const rate = rateOf(order);
	const errors = [];
	const plan = { transactions: [], storeCredits: [], shippingCents: 0, moneyCents: 0 };
	const transfer = input.financialTransfer?.issueRefund;
	if (transfer) {
		const root = ['input', 'financialTransfer', 'issueRefund'];
		const perParent = new Map();
		transfer.orderTransactions.forEach((entry, index) => {
			const path = [...root, 'orderTransactions', String(index)];
			requireGid(entry.parentId);
			const parent = order.transactions.find((one) => one.id === entry.parentId);
			if (!parent) {
				errors.push(userError([...path, 'parentId'], 'Parent transaction does not exist on this order.', 'NOT_FOUND'));
				return;
			}
			if (parent.kind !== 'SALE' && parent.kind !== 'CAPTURE') {
				errors.push(userError([...path, 'parentId'], 'The parent transaction must be of kind CAPTURE or SALE.', 'INVALID'));
				return;
			}
			const cents = inputCents(entry.transactionAmount.amount);
			if (entry.transactionAmount.currencyCode !== currency) {
				errors.push(userError([...path, 'transactionAmount', 'currencyCode'], `Currency code must be the order's presentment currency, ${currency}`, 'INVALID'));
				return;
			}
			if (!(cents > 0)) {
				errors.push(userError([...path, 'transactionAmount', 'amount'], 'Amount must be greater than 0', 'GREATER_THAN'));
				return;
			}
			const shopCents = Math.round(cents / rate);
			const total = (perParent.get(parent) ?? 0) + shopCents;
			perParent.set(parent, total);
			if (!transfer.allowOverRefunding && total > parent._refundableCents) {
				errors.push(userError([...path, 'transactionAmount', 'amount'], `Refund amount ${amountText(Math.round(total * rate), currency)} is greater than the refundable amount ${amountText(Math.round(parent._refundableCents * rate), currency)} of transaction ${parent.id}`, 'INVALID'));
				return;
			}
			plan.transactions.push({ parent, amount: entry.transactionAmount.amount });
			plan.moneyCents += shopCents;
		});
		(transfer.refundMethods ?? []).forEach((method, index) => {
			const credit = method.storeCreditRefund;
			if (!credit) return;
			const path = [...root, 'refundMethods', String(index), 'storeCreditRefund'];
			const cents = inputCents(credit.amount.amount);
			if (!order.customer) errors.push(userError(path, 'Store credit can only be issued to an order with a customer.', 'INVALID'));
			else if (credit.amount.currencyCode !== currency) errors.push(userError([...path, 'amount', 'currencyCode'], `Currency code must be the order's presentment currency, ${currency}`, 'INVALID'));
			else if (!(cents > 0)) errors.push(userError([...path, 'amount', 'amount'], 'A positive amount must be used to credit a store credit account', 'GREATER_THAN'));
			else if (credit.expiresAt && !(Date.parse(credit.expiresAt) > Date.now())) errors.push(userError([...path, 'expiresAt'], 'The expiry date must be in the future', 'INVALID'));
			else {
				plan.storeCredits.push(credit);
				plan.moneyCents += Math.round(cents / rate);
			}
		});
		const netPayment = centsOf(order.totalReceivedSet.shopMoney) - centsOf(order.totalRefundedSet.shopMoney);
		if (!errors.length && !transfer.allowOverRefunding && plan.moneyCents > netPayment) {
			errors.push(userError(root, `Refund amount ${dollarText(plan.moneyCents)} is greater than net payment received ${dollarText(Math.max(0, netPayment))}`, 'INVALID'));
		}
		// the returned units go back on the refund: they must still be refundable on the order
		for (const [line, quantity] of lines) {
			if (quantity > line.fulfillmentLineItem.lineItem.refundableQuantity) {
				errors.push(userError(['input', 'returnLineItems'], `Quantity cannot refund more items than were purchased: ${line.fulfillmentLineItem.lineItem.refundableQuantity} of ${line.fulfillmentLineItem.lineItem.name} refundable`, 'INVALID'));
			}
		}
	}
	const shipping = input.refundShipping;
	if (shipping) {
		const refundedShipping = centsOf(order.totalRefundedShippingSet.shopMoney);
		const refundable = Math.max(0, order.shippingLines.reduce((sum, line) => sum + line._cents, 0) - refundedShipping);
		const given = shipping.shippingRefundAmount;
		if (given && given.currencyCode !== currency) {
			errors.push(userError(['input', 'refundShipping', 'shippingRefundAmount', 'currencyCode'], `Currency code must be the order's presentment currency, ${currency}`, 'INVALID'));
		} else {
			const cents = given ? Math.round(inputCents(given.amount) / rate) : shipping.fullRefund ? refundable : 0;
			if (!(cents >= 0)) errors.push(userError(['input', 'refundShipping', 'shippingRefundAmount', 'amount'], 'Amount must be greater than or equal to 0', 'GREATER_THAN_OR_EQUAL_TO'));
			else if (cents > refundable) errors.push(userError(['input', 'refundShipping', 'shippingRefundAmount', 'amount'], `Shipping refund amount ${dollarText(cents)} is greater than the refundable shipping ${dollarText(refundable)}`, 'INVALID'));
			else plan.shippingCents = cents;
		}
	}
	if (input.refundDuties?.length) errors.push(userError(['input', 'refundDuties'], 'Duty does not exist: the order has no duties.', 'NOT_FOUND'));
	if (input.tipLineId) errors.push(userError(['input', 'tipLineId'], 'Tip line does not exist.', 'NOT_FOUND'));
	return { errors, plan, transfer };
}

/** The refund of a processed return, made by refundCreate's own logic; its log entry becomes returnProcess's. */
function refundForReturn(store, ret, input, plan, transfer, lines, restocked) {
	const order = ret.order;
	const presentment = order.presentmentCurrencyCode !== order.currencyCode ? order.presentmentCurrencyCode : undefined;
	const refundInput = {
		orderId: order.id,
		note: input.note ?? null,
		notify: Boolean(input.notifyCustomer),
		...(presentment ? { currency: presentment } : {}),
		allowOverRefunding: Boolean(transfer?.allowOverRefunding),
		transactions: plan.transactions.map(({ parent, amount }) => ({ orderId: order.id, parentId: parent.id, amount, kind: 'REFUND', gateway: parent.gateway })),
		refundMethods: plan.storeCredits.map((credit) => ({ storeCreditRefund: credit })),
		...(plan.shippingCents ? { shipping: { amount: decimal(plan.shippingCents) } } : {}),
		refundLineItems: transfer ? [...lines].map(([line, quantity]) => ({ lineItemId: line.fulfillmentLineItem.lineItem.id, quantity, restockType: restocked.has(line) ? 'RETURN' : 'NO_RESTOCK' })) : [],
	};
	const logged = store.mutationLog.length;
	const result = refundCreate({ input: refundInput }, { store, version: REFUND_CONTEXT_VERSION }, NO_DIRECTIVES);
	store.mutationLog.splice(logged);
	return result;
}

/** The order line items an exchange adds when it is processed, with a fulfillment order to ship them. */
function addExchangeItems(store, ret, item, quantity, now) {
	const order = ret.order;
	const variant = item._variant;
	const unit = item._unitCents;
	const lineItem = store.add({
		__typename: 'LineItem',
		id: gid('LineItem', store.nextId('LineItem')),
		title: variant.product.title,
		variantTitle: variant.title,
		name: variant.displayName,
		sku: variant.sku,
		vendor: VENDOR,
		quantity,
		currentQuantity: quantity,
		refundableQuantity: quantity,
		unfulfilledQuantity: quantity,
		nonFulfillableQuantity: 0,
		originalUnitPriceSet: bagFor(order, inputCents(variant.price)),
		discountedUnitPriceSet: bagFor(order, unit),
		discountedUnitPriceAfterAllDiscountsSet: bagFor(order, unit),
		originalTotalSet: bagFor(order, inputCents(variant.price) * quantity),
		discountedTotalSet: bagFor(order, unit * quantity),
		totalDiscountSet: bagFor(order, (inputCents(variant.price) - unit) * quantity),
		unfulfilledOriginalTotalSet: bagFor(order, inputCents(variant.price) * quantity),
		unfulfilledDiscountedTotalSet: bagFor(order, unit * quantity),
		requiresShipping: true,
		isGiftCard: false,
		taxable: true,
		restockable: true,
		merchantEditable: false,
		taxLines: [],
		discountAllocations: [],
		customAttributes: [],
		duties: [],
		product: variant.product,
		variant,
		_cents: unit * quantity,
	});
	item.lineItems.push(lineItem);
	order.lineItems.push(lineItem);
	const fulfillmentOrder = {
		__typename: 'FulfillmentOrder',
		id: gid('FulfillmentOrder', nextOwn(store, 'FulfillmentOrder')),
		status: 'OPEN',
		requestStatus: 'UNSUBMITTED',
		createdAt: iso(now),
		updatedAt: iso(now),
		orderId: order.id,
		orderName: order.name,
		order,
		deliveryMethod: order.fulfillmentOrders?.[0]?.deliveryMethod ?? null,
		lineItems: [],
	};
	fulfillmentOrder.lineItems.push(store.add({
		__typename: 'FulfillmentOrderLineItem', id: gid('FulfillmentOrderLineItem', nextOwn(store, 'FulfillmentOrderLineItem')),
		lineItem, totalQuantity: quantity, remainingQuantity: quantity, sku: variant.sku, variantTitle: variant.title, productTitle: variant.product.title, variant,
	}));
	if (!Array.isArray(order.fulfillmentOrders)) order.fulfillmentOrders = [];
	order.fulfillmentOrders.push(store.add(fulfillmentOrder));
	// the exchange waits to be shipped; the price difference is left to the merchant (the order's totals stay)
	if (order.displayFulfillmentStatus === 'FULFILLED') order.displayFulfillmentStatus = 'PARTIALLY_FULFILLED';
	variant.inventoryQuantity -= quantity;
	variant.updatedAt = iso(now);
}

/**
 * returnProcess(input): confirms what came back (returnLineItems, with dispositions) and what goes out (exchange line
 * items), and moves the money (financialTransfer.issueRefund, refundShipping). The return must be OPEN; a quantity
 * above the processable quantity is refused, so processing the same units twice is refused by quantities.
 *
 * Closing: Shopify closes a return once every item is processed, refunded or exchanged and restocked or disposed of
 * (its Flow docs: "fully refund and restock all items" closes it); a return processed without dispositions stays OPEN
 * (captured). So the return closes here when every return line item is processed and finally disposed of (anything
 * but PROCESSING_REQUIRED) and every exchange line item is processed. It closes right after the answer is sent, so
 * the payload still shows it OPEN (closedAt null, the order IN_PROGRESS), as if Shopify closed it in the background
 * (stricter reading: a client must read the return again, or call returnClose, which leaves a CLOSED return as it is).
 * A return that is not finished stays OPEN until returnClose.
 */
function returnProcess({ input }, { store }) {
	const mutation = 'returnProcess';
	const ret = findReturn(store, input.returnId);
	if (!ret) return refused(store, mutation, [userError(['input', 'returnId'], NOT_FOUND_MESSAGE, 'NOT_FOUND')], { returnId: input.returnId });
	if (ret.status !== 'OPEN') {
		return refused(store, mutation, [userError(['input', 'returnId'], 'Return is not processable. Only returns with status OPEN can be processed.', 'INVALID_STATE')], { returnId: ret.id, status: ret.status });
	}
	if (!(input.returnLineItems ?? []).length && !(input.exchangeLineItems ?? []).length) {
		return refused(store, mutation, [userError(['input', 'returnLineItems'], 'Return line items or exchange line items are required.', 'BLANK')], { returnId: ret.id });
	}
	const lines = new Map();
	const dispositions = [];
	const exchanges = new Map();
	const errors = [...processLineErrors(store, ret, input, lines, dispositions), ...processExchangeErrors(ret, input, exchanges)];
	const funds = processMoneyErrors(ret, input, lines);
	errors.push(...funds.errors);
	if (errors.length) return refused(store, mutation, errors, { returnId: ret.id });

	const now = new Date();
	const restocked = new Set(dispositions.filter((one) => one.type === 'RESTOCKED').map((one) => one.line));
	let refund = null;
	if (funds.transfer || funds.plan.shippingCents > 0) {
		const result = refundForReturn(store, ret, input, funds.plan, funds.transfer, lines, restocked);
		if (result.userErrors?.length) {
			// refundCreate checks everything before it changes anything: nothing has changed
			return refused(store, mutation, result.userErrors.map((one) => userError(['input', 'financialTransfer'], one.message, 'INVALID')), { returnId: ret.id });
		}
		refund = result.refund;
		refund.return = ret;
		ret.refunds.push(refund);
		ret.transactions.push(...refund.transactions);
	}
	for (const [line, quantity] of lines) {
		line.processedQuantity += quantity;
		if (funds.transfer) line.refundedQuantity += quantity;
	}
	for (const one of dispositions) {
		one.reverseLine.dispositions.push(store.add({
			__typename: 'ReverseFulfillmentOrderDisposition',
			id: gid('ReverseFulfillmentOrderDisposition', nextOwn(store, 'ReverseFulfillmentOrderDisposition')),
			createdAt: iso(now),
			location: one.location,
			quantity: one.quantity,
			type: one.type,
		}));
		if (one.type === 'RESTOCKED') {
			const variant = variantFor(store, one.line.fulfillmentLineItem.lineItem.sku);
			if (variant) {
				variant.inventoryQuantity += one.quantity;
				variant.updatedAt = iso(now);
			}
		}
	}
	for (const [item, quantity] of exchanges) {
		item.processedQuantity += quantity;
		addExchangeItems(store, ret, item, quantity, now);
	}
	const done = ret.returnLineItems.every((line) => line.processedQuantity === line.quantity && finallyDisposed(line) >= line.quantity) &&
		ret.exchangeLineItems.every((item) => item.processedQuantity === item.quantity);
	if (done) {
		// closed once the answer is on its way: the payload (and its order's returnStatus) still shows it OPEN
		setImmediate(() => {
			if (ret.status !== 'OPEN') return;
			ret.status = 'CLOSED';
			ret.closedAt = iso(new Date());
			setReverseStatus(ret, 'CLOSED');
			refreshReturnStatus(ret.order);
		});
	}
	refreshReturnStatus(ret.order);
	ret.order.updatedAt = iso(now);
	store.log({
		mutation, returnId: ret.id, status: ret.status, closing: done, refundId: refund?.id ?? null,
		refunded: refund ? refund.totalRefundedSet.shopMoney : null,
		lines: [...lines].map(([line, quantity]) => ({ id: line.id, quantity })),
		exchanges: [...exchanges].map(([item, quantity]) => ({ id: item.id, quantity })),
		dispositions: dispositions.map((one) => ({ reverseFulfillmentOrderLineItemId: one.reverseLine.id, type: one.type, quantity: one.quantity })),
		userErrors: [],
	});
	return { return: ret, userErrors: [] };
}

// ---- reads -----------------------------------------------------------------------------------------------

function returnableFulfillment(order, fulfillment) {
	const items = fulfillment.fulfillmentLineItems
		.map((line) => ({ __typename: 'ReturnableFulfillmentLineItem', fulfillmentLineItem: line, quantity: returnableQuantity(order, line) }))
		.filter((item) => item.quantity > 0);
	return items.length ? { __typename: 'ReturnableFulfillment', id: gid('ReturnableFulfillment', fulfillment.legacyResourceId), fulfillment, returnableFulfillmentLineItems: items } : null;
}

const byProcessingStatus = (items, status) => {
	if (status === 'PROCESSABLE') return items.filter((item) => item.processableQuantity > 0);
	if (status === 'PROCESSED') return items.filter((item) => item.processedQuantity > 0);
	return items;
};

/** Root query fields (merged into shopify-resolvers.js's). */
const ROOT_QUERIES = {
	return: (args, { store }) => findTyped(store, args.id, 'Return'),
	returnableFulfillments: (args, { store }) => {
		const order = findTyped(store, args.orderId, 'Order');
		return order ? (order.fulfillments ?? []).map((fulfillment) => returnableFulfillment(order, fulfillment)).filter(Boolean) : [];
	},
	returnableFulfillment: (args, { store }) => {
		requireGid(args.id);
		const { type, id } = parseGid(args.id);
		const fulfillment = type === 'ReturnableFulfillment' ? store.find(gid('Fulfillment', id)) : null;
		return fulfillment?.__typename === 'Fulfillment' ? returnableFulfillment(store.find(fulfillment.order.id), fulfillment) : null;
	},
	reverseFulfillmentOrder: (args, { store }) => findTyped(store, args.id, 'ReverseFulfillmentOrder'),
	returnReasonDefinitions: (args) => {
		const handles = args.handles ? new Set(args.handles) : null;
		const ids = args.ids ? new Set(args.ids) : null;
		return REASON_DEFINITIONS.filter((definition) => (!handles || handles.has(definition.handle)) && (!ids || ids.has(definition.id)));
	},
	product: (args, { store }) => findTyped(store, args.id, 'Product'),
	productVariant: (args, { store }) => findTyped(store, args.id, 'ProductVariant'),
	products: (args, { store }) => store.returnsState?.catalog.products ?? [],
	productVariants: (args, { store }) => store.returnsState?.catalog.variants ?? [],
	location: (args, { store }) => (args.id ? findTyped(store, args.id, 'Location') : store.returnsState?.location ?? null),
	locations: (args, { store }) => (store.returnsState ? [store.returnsState.location] : []),
};

/** Object fields answered by a function instead of the record's own value: by type, then field. */
const FIELD_RESOLVERS = {
	// every parcel leaves from the store's one warehouse (Shopify always names a fulfillment's location)
	Fulfillment: {
		location: (source, args, { store }) => source.location ?? store.returnsState?.location ?? null,
	},
	LineItem: {
		variant: (source, args, { store }) => source.variant ?? variantFor(store, source.sku),
		product: (source, args, { store }) => source.product ?? variantFor(store, source.sku)?.product ?? null,
	},
	Return: {
		returnLineItems: (source, args) => byProcessingStatus(source.returnLineItems, args.processingStatus),
		exchangeLineItems: (source, args) => byProcessingStatus(source.exchangeLineItems, args.processingStatus),
	},
};

// ---- the seed --------------------------------------------------------------------------------------------

const daysSince = (text) => (ANCHOR.getTime() - Date.parse(text)) / DAY_MS;
/** A request `days` after delivery, never after the store's "now" and never before the delivery. */
const requestedAt = (deliveredAt, days, hours = 0) => {
	const delivered = new Date(deliveredAt);
	const wanted = earlier(delivered.getTime() + days * DAY_MS + hours * HOUR_MS, ANCHOR.getTime() - HOUR_MS);
	return new Date(earlier(Math.max(delivered.getTime() + HOUR_MS, wanted), ANCHOR.getTime()));
};
const deliveredAtOf = (order) => order.fulfillments?.[0]?.deliveredAt ?? null;
const isGenerated = (order) => Number(order.legacyResourceId) >= FIRST_GENERATED_ORDER;
const delivered = (order) => !order.cancelledAt && order.displayFulfillmentStatus === 'FULFILLED' && Boolean(order.closedAt);
/** Products whose returns policies treat apart: final sale and made to order (shopify-catalog.js tags). */
const SPECIAL_SKUS = new Set(Object.values(PRODUCT_LINES).filter((line) => line.tags.includes('final-sale') || line.tags.includes('made-to-order')).flatMap((line) => line.variants.map(([, sku]) => sku)));

/** A REQUESTED return on one line of an order (seed). */
function requestOn(store, order, { sku, quantity = 1, reason, customerNote = null, reasonNote = '', at }) {
	const fulfillmentLineItem = order.fulfillments[0].fulfillmentLineItems.find((line) => line.lineItem.sku === sku);
	return createReturn(store, order, { status: 'REQUESTED', createdAt: at, lines: [{ fulfillmentLineItem, quantity, reason, customerNote, reasonNote }] });
}

/** The latest-delivered generated order that `test` accepts (summary fields first, so lazy stores build few records). */
function latestDelivered(store, test, taken) {
	const candidates = store.orders.filter((order) => isGenerated(order) && delivered(order) && !taken.has(order.id)).sort((a, b) => b.closedAt.localeCompare(a.closedAt) || b.number - a.number);
	for (const candidate of candidates) {
		const order = store.find(candidate.id);
		if (test(order)) return order;
	}
	return null;
}

/** The default store's REQUESTED returns (see the header); returns the ids of the orders they are on. */
function seedRequests(store) {
	const taken = new Set();
	const fixture = (id) => store.find(gid('Order', id));
	const seeds = [
		{ order: fixture(5014), sku: 'FRM-5070-COAST', reason: 'COLOR', after: 3, customerNote: 'The oak frame looks warmer than in the photos; could I have the black frame instead?' },
		{ order: fixture(5013), sku: 'CNV-6090-BLOOM', reason: 'DEFECTIVE', after: 2, customerNote: 'The canvas arrived with a dented corner and a scuff across the sky.' },
		{ order: fixture(5009), sku: 'FRM-5070-COAST', reason: 'SIZE_TOO_SMALL', after: 41, customerNote: 'Smaller on the wall than I pictured.' },
		{ order: fixture(5012), sku: 'PRT-A4-HARBOUR', reason: 'WRONG_ITEM', after: 33, customerNote: 'I ordered Harbour at Dawn but the print in the tube is Midnight Forest.', abroad: EU_PLACES[0] },
	];
	for (const seed of seeds) taken.add(seed.order.id);
	const finalSale = latestDelivered(store, (order) => daysSince(deliveredAtOf(order)) <= 14 && order.lineItems.some((line) => line.sku === 'LTD-GCL-LAKE'), taken);
	if (finalSale) {
		seeds.push({ order: finalSale, sku: 'LTD-GCL-LAKE', reason: 'STYLE', after: 2, customerNote: 'It does not suit my living room after all.', abroad: EU_PLACES[1] });
		taken.add(finalSale.id);
	}
	const twoPrints = latestDelivered(store, (order) => order.lineItems.length === 1 && order.lineItems[0].sku.startsWith('PRT-') && order.lineItems[0].quantity === 2, taken);
	if (twoPrints) {
		seeds.push({ order: twoPrints, sku: twoPrints.lineItems[0].sku, reason: 'UNWANTED', after: 1, customerNote: 'Bought two by mistake; I only need one.' });
		taken.add(twoPrints.id);
	}
	for (const seed of seeds) {
		if (seed.abroad) shipAbroad(store, seed.order, seed.abroad);
		requestOn(store, seed.order, { sku: seed.sku, reason: seed.reason, customerNote: seed.customerNote, at: requestedAt(deliveredAtOf(seed.order), seed.after, 10) });
	}
	return taken;
}

const GENERATED_REASONS = [
	['SIZE_TOO_SMALL', 12], ['SIZE_TOO_LARGE', 8], ['COLOR', 14], ['DEFECTIVE', 12], ['WRONG_ITEM', 6], ['UNWANTED', 20],
	['STYLE', 14], ['NOT_AS_DESCRIBED', 8], ['OTHER', 4], ['UNKNOWN', 2],
];
const NOTES = {
	SIZE_TOO_SMALL: ['Smaller on the wall than I pictured.', 'Too small for the space above the sofa.'],
	SIZE_TOO_LARGE: ['Too big for the hallway.', 'Larger than I expected; it does not fit the shelf.'],
	COLOR: ['The colours are duller than on screen.', 'The frame colour does not match my other frames.'],
	DEFECTIVE: ['Arrived with a crease across the corner.', 'The glass was cracked on arrival.', 'Ink smudge near the signature.'],
	WRONG_ITEM: ['Received a different artwork from the one I ordered.', 'Wrong size in the parcel.'],
	UNWANTED: ['Changed my mind, sorry.', 'It was a gift and they already have one.', 'Bought two by mistake.'],
	STYLE: ['Not my style after all.', 'Does not suit the room.'],
	NOT_AS_DESCRIBED: ['The paper is thinner than described.', 'Looks different from the product photos.'],
	OTHER: ['Moving abroad and cannot take it.'],
	UNKNOWN: [''],
};

/** The customer's words and the reason on a generated request. */
function generatedReason(random) {
	const reason = random.weighted(GENERATED_REASONS);
	const note = random.pick(NOTES[reason]);
	return { reason, customerNote: note || null, reasonNote: reason === 'OTHER' ? note : '' };
}

/** Refund and close an old return as the merchant did at the time: processed, restocked, money back to the card. */
function closeAsHistory(store, order, ret, at) {
	ret.status = 'OPEN';
	ret.requestApprovedAt = iso(addHours(new Date(ret.createdAt), 20));
	const reverse = openReverseFulfillmentOrder(store, ret);
	const location = store.returnsState.location;
	const sale = order.transactions.find((one) => one.kind === 'SALE');
	let cents = 0;
	const refund = refundRecord(store.nextId, order, { at, note: `Refund for return ${ret.name}`, cents: 0 });
	for (const line of ret.returnLineItems) {
		line.processedQuantity = line.quantity;
		line.refundedQuantity = line.quantity;
		const item = line.fulfillmentLineItem.lineItem;
		const unit = unitCents(item);
		cents += unit * line.quantity;
		item.refundableQuantity -= line.quantity;
		item.currentQuantity -= line.quantity;
		line._reverseLine.dispositions.push(store.add({
			__typename: 'ReverseFulfillmentOrderDisposition', id: gid('ReverseFulfillmentOrderDisposition', nextOwn(store, 'ReverseFulfillmentOrderDisposition')),
			createdAt: iso(at), location, quantity: line.quantity, type: 'RESTOCKED',
		}));
		refund.refundLineItems.push(store.add({
			__typename: 'RefundLineItem', id: gid('RefundLineItem', store.nextId('RefundLineItem')), lineItem: item, quantity: line.quantity,
			restockType: 'RETURN', restocked: true, location, priceSet: item.originalUnitPriceSet, price: decimal(unit),
			subtotalSet: moneyBag(unit * line.quantity), subtotal: decimal(unit * line.quantity), totalTaxSet: moneyBag(0), totalTax: '0.0',
		}));
	}
	cents = Math.min(cents, sale._refundableCents);
	refund.totalRefundedSet = moneyBag(cents);
	refund.totalRefunded = money(cents);
	const transaction = refundTransaction(store.nextId, order, sale, { cents, at });
	refund.transactions.push(store.add(transaction));
	refund.return = ret;
	order.transactions.push(transaction);
	order.transactionsCount = { count: order.transactions.length, precision: 'EXACT' };
	order.refunds.push(store.add(refund));
	ret.refunds.push(refund);
	ret.transactions.push(transaction);
	const refunded = centsOf(order.totalRefundedSet.shopMoney) + cents;
	const received = centsOf(order.totalReceivedSet.shopMoney);
	order.totalRefundedSet = moneyBag(refunded);
	order.netPaymentSet = moneyBag(received - refunded);
	order.currentTotalPriceSet = moneyBag(Math.max(0, order._totalCents - refunded));
	order.displayFinancialStatus = refunded >= received ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
	order.refundable = refunded < received;
	order.currentSubtotalLineItemsQuantity = order.lineItems.reduce((sum, item) => sum + item.currentQuantity, 0);
	presentOrder(order);
	order._netCents -= cents;
	order.customer.amountSpent = money(centsOf(order.customer.amountSpent) - cents);
	ret.status = 'CLOSED';
	ret.closedAt = iso(at);
	reverse.status = 'CLOSED';
	if (order.updatedAt < iso(at)) order.updatedAt = iso(at);
	refreshReturnStatus(order);
}

/** A generated request on one order: one line (or, now and then, every line), a reason, maybe shipped to the EU. */
function generatedRequest(store, order, random, { recent, special }) {
	const lines = order.fulfillments[0].fulfillmentLineItems;
	const pickable = special ? lines.filter((line) => SPECIAL_SKUS.has(line.lineItem.sku)) : lines;
	const chosen = !special && lines.length > 1 && random.chance(0.15) ? lines : [random.pick(pickable)];
	const { reason, customerNote, reasonNote } = generatedReason(random);
	const age = daysSince(deliveredAtOf(order));
	const after = recent ? random.int(0, Math.max(0, Math.min(29, Math.floor(age)))) : random.int(31, Math.max(31, Math.floor(age)));
	if (random.chance(0.2)) shipAbroad(store, order, random.pick(EU_PLACES));
	return createReturn(store, order, {
		status: 'REQUESTED',
		createdAt: requestedAt(deliveredAtOf(order), after, random.int(1, 20)),
		lines: chosen.map((line) => ({ fulfillmentLineItem: line, quantity: random.int(1, line.quantity), reason, customerNote, reasonNote })),
	});
}

function shuffled(list, random) {
	const out = [...list];
	for (let i = out.length - 1; i > 0; i--) {
		const j = random.int(0, i);
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

/**
 * N return requests over the generated orders (see the header). Serial returners first: customers with at least six
 * delivered orders in the last 365 days, whose older orders get CLOSED refunded returns and whose latest gets a
 * request; then requests on other delivered orders, 60% within 30 days of delivery.
 */
function generateRequests(store, count, taken) {
	const random = prng(RETURNS_SEED);
	const pool = store.orders.filter((order) => isGenerated(order) && delivered(order) && !taken.has(order.id) && daysSince(order.closedAt) <= 365)
		.sort((a, b) => b.closedAt.localeCompare(a.closedAt) || b.number - a.number);
	let made = 0;
	const used = new Set(taken);
	const byCustomer = new Map();
	for (const order of pool) byCustomer.set(order.customer.id, [...(byCustomer.get(order.customer.id) ?? []), order]);
	const serialCount = count >= 5 ? Math.min(4, Math.max(1, Math.round(count / 50))) : 0;
	const serial = shuffled([...byCustomer].filter(([, orders]) => orders.length >= 6).sort(([a], [b]) => a.localeCompare(b)), random).slice(0, serialCount);
	for (const [, orders] of serial) {
		const [latest, ...older] = orders.map((summary) => store.find(summary.id));
		for (const order of older.slice(0, random.int(4, 5))) {
			const ret = generatedRequest(store, order, random, { recent: true, special: false });
			const closedAt = earlier(addHours(new Date(ret.createdAt), 24 * random.int(5, 12)), addHours(ANCHOR, -2));
			closeAsHistory(store, order, ret, closedAt);
			used.add(order.id);
		}
		generatedRequest(store, latest, random, { recent: daysSince(latest.closedAt) <= 29, special: false });
		used.add(latest.id);
		for (const order of orders) used.add(order.id);
		made += 1;
	}
	const left = pool.filter((order) => !used.has(order.id));
	const recent = shuffled(left.filter((order) => daysSince(order.closedAt) <= 29), random);
	const older = shuffled(left.filter((order) => daysSince(order.closedAt) >= 32), random);
	const wanted = count - made;
	const recentQuota = Math.min(recent.length, Math.round(wanted * 0.6));
	const olderQuota = Math.min(older.length, wanted - recentQuota);
	const topUp = Math.min(recent.length - recentQuota, wanted - recentQuota - olderQuota);
	for (const [orders, quota, isRecent] of [[recent, recentQuota + topUp, true], [older, olderQuota, false]]) {
		// about 15% of each group on final-sale or made-to-order items, looked up in a sample of the group
		const sample = orders.slice(0, Math.max(quota * 4, 40)).map((summary) => store.find(summary.id));
		const specials = sample.filter((order) => order.lineItems.some((line) => SPECIAL_SKUS.has(line.sku)));
		const plain = sample.filter((order) => !specials.includes(order));
		const specialQuota = Math.min(specials.length, Math.ceil(quota * 0.15));
		const picks = [...specials.slice(0, specialQuota).map((order) => [order, true]), ...plain.slice(0, quota - specialQuota).map((order) => [order, false])];
		if (picks.length < quota) picks.push(...specials.slice(specialQuota, specialQuota + quota - picks.length).map((order) => [order, true]));
		for (const [order, special] of picks) {
			generatedRequest(store, order, random, { recent: isRecent, special });
			made += 1;
		}
	}
	return made;
}

function requestCountFromEnv() {
	const wanted = Number.parseInt(process.env.CX_SHOPIFY_RETURN_REQUESTS ?? '', 10);
	return Number.isFinite(wanted) && wanted > 0 ? wanted : 0;
}

/** The returns part of a freshly reset store: catalog, location, reasons, the seeded and generated requests. */
function seedStore(store) {
	store.returnsState = { nextId: idAllocator(OWN_ID_STARTS), location: null, catalog: null, returns: [], generated: 0 };
	store.returnsState.location = store.add(locationRecord());
	store.returnsState.catalog = buildCatalog(store);
	for (const definition of REASON_DEFINITIONS) store.add(definition);
	const taken = seedRequests(store);
	const count = store.returnRequestCount ?? requestCountFromEnv();
	store.returnsState.generated = count > 0 ? generateRequests(store, count, taken) : 0;
}

function returnsSummary(store) {
	const all = store.returnsState?.returns ?? [];
	const byStatus = {};
	for (const ret of all) byStatus[ret.status] = (byStatus[ret.status] ?? 0) + 1;
	return { total: all.length, byStatus, generatedRequests: store.returnsState?.generated ?? 0 };
}

/**
 * Gives a ShopifyStore (shopify-store.js) its returns: seeds now and after every reset, and adds the returns to
 * GET /__standin/state. shopify.js calls it once, right after building the store.
 */
function installReturns(store) {
	const reset = store.reset.bind(store);
	store.reset = () => {
		reset();
		seedStore(store);
	};
	const summary = store.summary.bind(store);
	store.summary = () => ({ ...summary(), returns: returnsSummary(store) });
	seedStore(store);
	return store;
}

/** POST /__standin/return-requests { count }: the seed again, with `count` generated requests. */
function setReturnRequests(store, count) {
	if (!Number.isInteger(count) || count < 0) throw new Error('count must be a whole number, 0 or more');
	store.returnRequestCount = count;
	store.reset();
	return returnsSummary(store);
}

module.exports = {
	installReturns,
	setReturnRequests,
	ROOT_QUERIES,
	FIELD_RESOLVERS,
	returnRequest,
	returnCreate,
	returnApproveRequest,
	returnDeclineRequest,
	returnProcess,
	returnClose,
	returnReopen,
	returnCancel,
};

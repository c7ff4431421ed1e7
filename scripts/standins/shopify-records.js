'use strict';
/**
 * Builders for the plain objects the stand-in serves. Field names are the Admin API's own, so a generic resolver
 * can read them; amounts are integer cents until they are written out as Shopify's Decimal strings.
 * Fields starting with `_` are internal and never reachable through the schema.
 */

/** Every date in the store is relative to this instant, so the data is the same at every start. */
/** The store's "now": its history ends here. Tests rely on the fixed default; the demo moves it to today. */
/**
 * The one anchor the stand-ins and the tests share (scripts/standins.js writes it to env.json): the day the
 * sample store's history ends. By default the latest Sunday, 00:00 UTC, on or before the day the stand-in
 * starts, so the store is always recent whatever the calendar says, and every order keeps its weekday relative
 * to the anchor (business days and weekends, and so every count the tests assert, stay the same).
 * CX_SHOPIFY_ANCHOR sets another day (the demo ends its store today).
 */
function storeAnchor() {
	if (process.env.CX_SHOPIFY_ANCHOR) return new Date(process.env.CX_SHOPIFY_ANCHOR);
	const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
	return new Date(today - new Date(today).getUTCDay() * 86_400_000);
}
const ANCHOR = storeAnchor();
if (Number.isNaN(ANCHOR.getTime())) throw new Error(`CX_SHOPIFY_ANCHOR is not a date: ${process.env.CX_SHOPIFY_ANCHOR}`);
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CURRENCY = 'USD';
const SHOP_DOMAIN = 'cx-director-demo.myshopify.com';
const VENDOR = 'CX Director Demo Studio';

const gid = (type, id) => `gid://shopify/${type}/${id}`;
const daysBefore = (days, hours = 0) => new Date(ANCHOR.getTime() - days * DAY_MS + hours * HOUR_MS);
const addHours = (date, hours) => new Date(date.getTime() + hours * HOUR_MS);
/** Shopify writes DateTime without milliseconds: 2026-10-17T00:00:00Z. */
function iso(date) {
	if (date == null) return null;
	// no regular expression and no copy of a Date: large stores call this millions of times at start
	const text = (date instanceof Date ? date : new Date(date)).toISOString();
	return text.length === 24 && text.charCodeAt(19) === 46 ? `${text.slice(0, 19)}Z` : text.replace(/\.\d{3}Z$/, 'Z');
}

/** decimal() of the amounts the store uses again and again (prices, totals), remembered. */
const decimals = new Map();

/** Shopify serialises Decimal as Ruby's BigDecimal does: "25.0", "12.5", "1044.95". */
function decimal(cents) {
	let text = decimals.get(cents);
	if (text === undefined) {
		text = formatDecimal(cents);
		if (decimals.size < 100_000) decimals.set(cents, text);
	}
	return text;
}

function formatDecimal(cents) {
	const sign = cents < 0 ? '-' : '';
	const abs = Math.abs(Math.round(cents));
	const fraction = String(abs % 100).padStart(2, '0').replace(/0$/, '');
	return `${sign}${Math.floor(abs / 100)}.${fraction || '0'}`;
}
const centsOf = (money) => Math.round(Number.parseFloat(money.amount) * 100);
const money = (cents, currencyCode = CURRENCY) => ({ amount: decimal(cents), currencyCode });
const moneyBag = (cents) => ({ shopMoney: money(cents), presentmentMoney: money(cents) });
/**
 * An order the customer paid in another currency (spec.presentment: { currency, rate }): every money set of the
 * order gets its presentmentMoney at that rate, as Shopify keeps both; call again after the shop amounts change.
 */
function presentOrder(order) {
	const presented = order._presentment;
	if (!presented) return;
	for (const value of Object.values(order)) {
		if (value && typeof value === 'object' && value.shopMoney && value.presentmentMoney) {
			value.presentmentMoney = money(Math.round(centsOf(value.shopMoney) * presented.rate), presented.currency);
		}
	}
}
/** `$56.00`, as Shopify writes amounts in user-facing messages. */
const dollarText = (cents) => `$${(cents / 100).toFixed(2)}`;
const tagOrder = new Intl.Collator('en', { sensitivity: 'base' });
/** Shopify returns tags de-duplicated and in alphabetical order. */
const sortedTags = (tags) => [...new Set(tags)].sort(tagOrder.compare);

/** Hands out numeric ids per resource type, so nested records get stable, distinct GIDs. */
function idAllocator(starts) {
	const next = { ...starts };
	return (type) => {
		if (next[type] === undefined) throw new Error(`no id range for ${type}`);
		return next[type]++;
	};
}

function mailingAddress(nextId, { firstName, lastName, street, city, province, provinceCode, zip, phone }) {
	const id = nextId('MailingAddress');
	return {
		__typename: 'MailingAddress',
		// Shopify's customer addresses carry the model name in the GID
		id: `${gid('MailingAddress', id)}?model_name=CustomerAddress`,
		firstName,
		lastName,
		name: `${firstName} ${lastName}`,
		company: null,
		address1: street,
		address2: null,
		city,
		province,
		provinceCode,
		zip,
		country: 'United States',
		countryCodeV2: 'US',
		phone: phone ?? null,
		formatted: [street, `${city} ${provinceCode} ${zip}`, 'United States'],
		formattedArea: `${city} ${provinceCode}, United States`,
		coordinatesValidated: false,
		latitude: null,
		longitude: null,
		timeZone: null,
	};
}

/** consent: { state: SUBSCRIBED | UNSUBSCRIBED | NOT_SUBSCRIBED | PENDING, updatedAt } */
function customerRecord(nextId, spec) {
	const { id, firstName, lastName, email, phone, createdAt, tags = [], note = null, consent, address } = spec;
	const optInLevel = { SUBSCRIBED: 'SINGLE_OPT_IN', PENDING: 'CONFIRMED_OPT_IN', UNSUBSCRIBED: 'SINGLE_OPT_IN' }[consent.state] ?? null;
	const consentUpdatedAt = consent.state === 'NOT_SUBSCRIBED' ? null : iso(consent.updatedAt);
	const defaultAddress = mailingAddress(nextId, { firstName, lastName, phone, ...address });
	const unsubscribeUrl = `https://${SHOP_DOMAIN}/unsubscribe?c=${id}`;
	return {
		__typename: 'Customer',
		id: gid('Customer', id),
		legacyResourceId: String(id),
		firstName,
		lastName,
		displayName: `${firstName} ${lastName}`,
		email,
		phone: phone ?? null,
		createdAt: iso(createdAt),
		updatedAt: iso(createdAt),
		tags: sortedTags(tags),
		note,
		locale: 'en',
		state: 'ENABLED',
		verifiedEmail: true,
		validEmailAddress: true,
		taxExempt: false,
		taxExemptions: [],
		dataSaleOptOut: false,
		canDelete: false,
		unsubscribeUrl,
		emailMarketingConsent: { marketingState: consent.state, marketingOptInLevel: optInLevel, consentUpdatedAt },
		defaultEmailAddress: {
			emailAddress: email,
			marketingState: consent.state,
			marketingOptInLevel: optInLevel,
			marketingUpdatedAt: consentUpdatedAt,
			marketingUnsubscribeUrl: unsubscribeUrl,
			openTrackingLevel: 'UNKNOWN',
			openTrackingUrl: `https://${SHOP_DOMAIN}/open-tracking?c=${id}`,
			validFormat: true,
		},
		smsMarketingConsent: phone ? { marketingState: 'NOT_SUBSCRIBED', marketingOptInLevel: null, consentUpdatedAt: null } : null,
		defaultPhoneNumber: phone
			? { phoneNumber: phone, smsMarketingConsent: { state: 'NEVER_SUBSCRIBED', optInLevel: null, updatedAt: null } }
			: null,
		defaultAddress,
		addresses: [defaultAddress],
		addressesV2: [defaultAddress],
		// accounts appear on the first storeCreditAccountCredit (shopify-payouts.js)
		storeCreditAccounts: [],
		// filled by attachOrders()
		orders: [],
		lastOrder: null,
		amountSpent: money(0),
		numberOfOrders: '0',
		lifetimeDuration: '',
	};
}

function lifetimeDuration(createdAt) {
	const days = Math.round((ANCHOR - new Date(createdAt)) / DAY_MS);
	if (days < 45) return `about ${Math.max(1, Math.round(days / 7))} weeks`;
	if (days < 365) return `about ${Math.round(days / 30)} months`;
	const years = Math.round(days / 365);
	return years === 1 ? 'about 1 year' : `about ${years} years`;
}

/** Lifetime figures Shopify derives from a customer's orders: spend net of refunds, count, last order. */
function attachOrders(customer, orders) {
	const byDate = [...orders].sort((a, b) => a.processedAt.localeCompare(b.processedAt) || a._number - b._number);
	const spent = byDate.filter((order) => !order.cancelledAt).reduce((sum, order) => sum + order._netCents, 0);
	customer.orders = byDate;
	customer.lastOrder = byDate.at(-1) ?? null;
	customer.amountSpent = money(spent);
	customer.numberOfOrders = String(byDate.length);
	customer.canDelete = byDate.length === 0;
	customer.lifetimeDuration = lifetimeDuration(customer.createdAt);
	const touched = [customer.createdAt, customer.emailMarketingConsent.consentUpdatedAt, customer.lastOrder?.processedAt].filter(Boolean);
	customer.updatedAt = touched.sort().at(-1);
}

const TRACKING = {
	UPS: (n) => ({ number: `1Z5X${n}`, url: `https://www.ups.com/track?tracknum=1Z5X${n}` }),
	USPS: (n) => ({ number: `9400${n}`, url: `https://tools.usps.com/go/TrackConfirmAction?tLabels=9400${n}` }),
	FedEx: (n) => ({ number: `77${n}`, url: `https://www.fedex.com/fedextrack/?trknbr=77${n}` }),
};

/**
 * One shipment. spec: { company, createdAt, inTransitAt, estimatedDeliveryAt, deliveredAt,
 * events: [{ status, at, message }] } with Date values; events after the anchor are dropped.
 */
function fulfillmentRecord(nextId, order, lineItems, index, spec) {
	const id = nextId('Fulfillment');
	const events = spec.events
		.filter((event) => event.at <= ANCHOR)
		.map((event) => ({
			__typename: 'FulfillmentEvent',
			id: gid('FulfillmentEvent', nextId('FulfillmentEvent')),
			status: event.status,
			message: event.message ?? null,
			happenedAt: iso(event.at),
			createdAt: iso(event.at),
			estimatedDeliveryAt: iso(spec.estimatedDeliveryAt),
			address1: null,
			city: event.city ?? null,
			province: event.province ?? null,
			country: event.city ? 'United States' : null,
			zip: null,
			latitude: null,
			longitude: null,
		}));
	const delivered = spec.deliveredAt && spec.deliveredAt <= ANCHOR ? spec.deliveredAt : null;
	const tracking = TRACKING[spec.company](String(id).padStart(12, '0'));
	const record = {
		__typename: 'Fulfillment',
		id: gid('Fulfillment', id),
		legacyResourceId: String(id),
		name: `${order.name}.${index + 1}`,
		status: 'SUCCESS',
		// the latest tracking event is what Shopify shows until the parcel is delivered
		displayStatus: delivered ? 'DELIVERED' : events.at(-1)?.status ?? 'FULFILLED',
		createdAt: iso(spec.createdAt),
		updatedAt: events.at(-1)?.happenedAt ?? iso(spec.createdAt),
		inTransitAt: spec.inTransitAt && spec.inTransitAt <= ANCHOR ? iso(spec.inTransitAt) : null,
		estimatedDeliveryAt: iso(spec.estimatedDeliveryAt),
		deliveredAt: iso(delivered),
		trackingInfo: [{ company: spec.company, ...tracking }],
		events,
		requiresShipping: true,
		totalQuantity: lineItems.reduce((sum, line) => sum + line.quantity, 0),
		order,
		location: null,
		service: null,
		originAddress: null,
	};
	record.fulfillmentLineItems = lineItems.map((line) => ({
		__typename: 'FulfillmentLineItem',
		id: gid('FulfillmentLineItem', nextId('FulfillmentLineItem')),
		lineItem: line,
		quantity: line.quantity,
		originalTotalSet: line.originalTotalSet,
		discountedTotalSet: line.discountedTotalSet,
	}));
	return record;
}

/**
 * A shipment's tracking story: confirmed when shipped, in transit half a day later, optional DELAYED events,
 * out for delivery and delivered (when deliveredAt is given).
 */
function shipment({ company, place, shippedAt, estimatedDeliveryAt, deliveredAt = null, delays = [] }) {
	const inTransitAt = addHours(shippedAt, 12);
	const events = [
		{ status: 'CONFIRMED', at: shippedAt, message: 'Shipping label created' },
		{ status: 'IN_TRANSIT', at: inTransitAt, message: 'Departed carrier facility', city: place.city, province: place.province },
		...delays.map((delay) => ({ status: 'DELAYED', at: delay.at, message: delay.message })),
	];
	if (deliveredAt) {
		events.push({ status: 'OUT_FOR_DELIVERY', at: addHours(deliveredAt, -5), message: 'Out for delivery', city: place.city, province: place.province });
		events.push({ status: 'DELIVERED', at: deliveredAt, message: 'Delivered, front door', city: place.city, province: place.province });
	}
	events.sort((a, b) => a.at - b.at);
	return { company, createdAt: shippedAt, inTransitAt, estimatedDeliveryAt, deliveredAt, events };
}

/** product: { title, variantTitle, sku, cents } */
function lineItemRecord(nextId, { product, quantity }, fulfilled) {
	const id = nextId('LineItem');
	return {
		__typename: 'LineItem',
		id: gid('LineItem', id),
		title: product.title,
		variantTitle: product.variantTitle,
		name: `${product.title} - ${product.variantTitle}`,
		sku: product.sku,
		vendor: VENDOR,
		quantity,
		currentQuantity: quantity,
		refundableQuantity: quantity,
		unfulfilledQuantity: fulfilled ? 0 : quantity,
		nonFulfillableQuantity: 0,
		originalUnitPriceSet: moneyBag(product.cents),
		discountedUnitPriceSet: moneyBag(product.cents),
		discountedUnitPriceAfterAllDiscountsSet: moneyBag(product.cents),
		originalTotalSet: moneyBag(product.cents * quantity),
		discountedTotalSet: moneyBag(product.cents * quantity),
		totalDiscountSet: moneyBag(0),
		unfulfilledOriginalTotalSet: moneyBag(fulfilled ? 0 : product.cents * quantity),
		unfulfilledDiscountedTotalSet: moneyBag(fulfilled ? 0 : product.cents * quantity),
		requiresShipping: true,
		isGiftCard: false,
		taxable: true,
		restockable: true,
		merchantEditable: false,
		taxLines: [],
		discountAllocations: [],
		customAttributes: [],
		duties: [],
		product: null,
		variant: null,
		_cents: product.cents * quantity,
	};
}

const GATEWAY_NAMES = { shopify_payments: 'Shopify Payments', shopify_store_credit: 'Store credit', manual: 'Manual' };

/**
 * One payment movement of an order (Order.transactions). kind: SALE for the purchase, REFUND for money paid
 * back (with the SALE as parentTransaction). `_refundableCents` is what a SALE can still give back.
 */
function transactionRecord(nextId, order, { kind, cents, at, gateway = 'shopify_payments', parent = null }) {
	const id = nextId('OrderTransaction');
	return {
		__typename: 'OrderTransaction',
		id: gid('OrderTransaction', id),
		kind,
		status: 'SUCCESS',
		gateway,
		formattedGateway: GATEWAY_NAMES[gateway] ?? gateway,
		amountSet: moneyBag(cents),
		amountV2: money(cents),
		createdAt: iso(at),
		processedAt: iso(at),
		test: false,
		manuallyCapturable: false,
		parentTransaction: parent,
		order,
		errorCode: null,
		authorizationCode: null,
		authorizationExpiresAt: null,
		paymentId: `rZ${String(id).padStart(8, '0')}`,
		receiptJson: '{}',
		maximumRefundableV2: kind === 'SALE' ? money(cents) : null,
		_cents: cents,
		_refundableCents: kind === 'SALE' ? cents : 0,
	};
}

/** Records money paid back against a SALE: the parent's refundable amount shrinks accordingly. */
function refundTransaction(nextId, order, sale, { cents, at, gateway }) {
	const transaction = transactionRecord(nextId, order, { kind: 'REFUND', cents, at, gateway: gateway ?? sale?.gateway, parent: sale });
	if (sale) {
		sale._refundableCents = Math.max(0, sale._refundableCents - cents);
		sale.maximumRefundableV2 = money(sale._refundableCents);
	}
	return transaction;
}

function shippingLineRecord(nextId, cents) {
	const price = moneyBag(cents);
	return {
		__typename: 'ShippingLine',
		id: gid('ShippingLine', nextId('ShippingLine')),
		title: cents ? 'Standard Shipping' : 'Free Shipping',
		code: cents ? 'STANDARD' : 'FREE',
		source: 'shopify',
		carrierIdentifier: null,
		custom: false,
		isRemoved: false,
		phone: null,
		deliveryCategory: null,
		shippingRateHandle: null,
		originalPriceSet: price,
		discountedPriceSet: price,
		currentDiscountedPriceSet: price,
		originalPrice: money(cents),
		discountedPrice: money(cents),
		price: decimal(cents),
		taxLines: [],
		discountAllocations: [],
		_cents: cents,
	};
}

/** A refund record; transactions, line items and shipping lines are filled by the caller. */
function refundRecord(nextId, order, { at, note, cents }) {
	const refundId = nextId('Refund');
	return {
		__typename: 'Refund',
		id: gid('Refund', refundId),
		legacyResourceId: String(refundId),
		createdAt: iso(at),
		processedAt: iso(at),
		updatedAt: iso(at),
		note: note ?? null,
		totalRefundedSet: moneyBag(cents),
		totalRefunded: money(cents),
		order,
		refundLineItems: [],
		refundShippingLines: [],
		orderAdjustments: [],
		transactions: [],
		duties: [],
		return: null,
		staffMember: null,
	};
}

/** Shipping is free from $100, as many small art shops do; otherwise a flat $8. */
const shippingFor = (subtotalCents) => (subtotalCents >= 10_000 ? 0 : 800);

/**
 * One order. spec: { id, number, customer, processedAt, lines: [{ product, quantity }], fulfillment?,
 * refunds?: [{ at, cents, note }], cancelledAt?, tags?, note?, checkoutPromiseAt?, presentment?: { currency, rate } }
 * with Date values.
 */
function orderRecord(nextId, spec) {
	const { id, number, customer, processedAt, fulfillment, refunds = [], cancelledAt = null, tags = [], note = null } = spec;
	const fulfilled = Boolean(fulfillment) && !cancelledAt;
	const lineItems = spec.lines.map((line) => lineItemRecord(nextId, line, fulfilled));
	const subtotal = lineItems.reduce((sum, line) => sum + line._cents, 0);
	const shipping = shippingFor(subtotal);
	const total = subtotal + shipping;
	const refundSpecs = cancelledAt ? [{ at: cancelledAt, cents: total, note: 'Order cancelled by customer' }] : refunds;
	const refundedCents = refundSpecs.filter((refund) => refund.at <= ANCHOR).reduce((sum, refund) => sum + refund.cents, 0);
	const financialStatus = refundedCents >= total ? 'REFUNDED' : refundedCents > 0 ? 'PARTIALLY_REFUNDED' : 'PAID';
	const quantity = lineItems.reduce((sum, line) => sum + line.quantity, 0);
	const name = `#${number}`;
	const order = {
		__typename: 'Order',
		id: gid('Order', id),
		legacyResourceId: String(id),
		name,
		number,
		confirmationNumber: `CX${String(id * 7919).slice(-7)}`,
		email: customer.email,
		phone: null,
		customer,
		createdAt: iso(processedAt),
		processedAt: iso(processedAt),
		updatedAt: iso(processedAt),
		cancelledAt: iso(cancelledAt),
		cancelReason: cancelledAt ? 'CUSTOMER' : null,
		cancellation: null,
		closed: false,
		closedAt: null,
		displayFinancialStatus: financialStatus,
		displayFulfillmentStatus: fulfilled ? 'FULFILLED' : 'UNFULFILLED',
		currencyCode: CURRENCY,
		presentmentCurrencyCode: spec.presentment?.currency ?? CURRENCY,
		_presentment: spec.presentment ?? null,
		subtotalPriceSet: moneyBag(subtotal),
		currentSubtotalPriceSet: moneyBag(subtotal),
		totalShippingPriceSet: moneyBag(shipping),
		currentShippingPriceSet: moneyBag(shipping),
		totalTaxSet: moneyBag(0),
		currentTotalTaxSet: moneyBag(0),
		totalDiscountsSet: moneyBag(0),
		currentTotalDiscountsSet: moneyBag(0),
		currentCartDiscountAmountSet: moneyBag(0),
		cartDiscountAmountSet: null,
		totalPriceSet: moneyBag(total),
		originalTotalPriceSet: moneyBag(total),
		currentTotalPriceSet: moneyBag(total - refundedCents),
		totalRefundedSet: moneyBag(refundedCents),
		totalRefundedShippingSet: moneyBag(cancelledAt ? shipping : 0),
		totalReceivedSet: moneyBag(total),
		netPaymentSet: moneyBag(total - refundedCents),
		totalOutstandingSet: moneyBag(0),
		totalCapturableSet: moneyBag(0),
		totalTipReceivedSet: moneyBag(0),
		refundDiscrepancySet: moneyBag(0),
		subtotalLineItemsQuantity: quantity,
		currentSubtotalLineItemsQuantity: quantity,
		lineItems,
		fulfillments: [],
		refunds: [],
		tags: sortedTags(tags),
		note,
		test: false,
		confirmed: true,
		fullyPaid: true,
		unpaid: false,
		capturable: false,
		canMarkAsPaid: false,
		canNotifyCustomer: true,
		refundable: refundedCents < total,
		restockable: !fulfilled,
		fulfillable: !fulfilled && !cancelledAt,
		requiresShipping: true,
		taxesIncluded: false,
		taxExempt: false,
		estimatedTaxes: false,
		dutiesIncluded: false,
		edited: false,
		merchantEditable: !cancelledAt,
		merchantEditableErrors: [],
		hasTimelineComment: false,
		customerAcceptsMarketing: customer.emailMarketingConsent.marketingState === 'SUBSCRIBED',
		customerLocale: 'en',
		sourceName: 'web',
		paymentGatewayNames: ['shopify_payments'],
		discountCode: null,
		discountCodes: [],
		shippingAddress: customer.defaultAddress,
		billingAddress: customer.defaultAddress,
		displayAddress: customer.defaultAddress,
		billingAddressMatchesShippingAddress: true,
		statusPageUrl: `https://${SHOP_DOMAIN}/orders/${id}/authenticate`,
		returnStatus: 'NO_RETURN',
		customAttributes: [],
		taxLines: [],
		currentTaxLines: [],
		disputes: [],
		additionalFees: [],
		_number: number,
		_totalCents: total,
		_netCents: total - refundedCents,
	};
	if (fulfilled) order.fulfillments.push(fulfillmentRecord(nextId, order, lineItems, 0, fulfillment));
	// what checkout showed: one fulfillment order whose delivery method carries the promised date when checkout
	// showed one (spec.checkoutPromiseAt), as stores with delivery dates at checkout do; null otherwise
	order.fulfillmentOrders = [{
		__typename: 'FulfillmentOrder',
		id: gid('FulfillmentOrder', id),
		status: fulfilled ? 'CLOSED' : cancelledAt ? 'CANCELLED' : 'OPEN',
		deliveryMethod: {
			__typename: 'DeliveryMethod',
			id: gid('DeliveryMethod', id),
			methodType: 'SHIPPING',
			presentedName: shipping ? 'Standard Shipping' : 'Free Shipping',
			minDeliveryDateTime: null,
			maxDeliveryDateTime: iso(spec.checkoutPromiseAt ?? null),
		},
	}];
	// every order was paid in full at checkout: one successful SALE, the parent of any refund
	const sale = transactionRecord(nextId, order, { kind: 'SALE', cents: total, at: processedAt });
	order.transactions = [sale];
	order.shippingLines = [shippingLineRecord(nextId, shipping)];
	for (const refund of refundSpecs.filter((one) => one.at <= ANCHOR)) {
		const record = refundRecord(nextId, order, refund);
		const transaction = refundTransaction(nextId, order, sale, { cents: refund.cents, at: refund.at });
		record.transactions.push(transaction);
		order.transactions.push(transaction);
		order.refunds.push(record);
	}
	order.transactionsCount = { count: order.transactions.length, precision: 'EXACT' };
	const delivered = order.fulfillments[0]?.deliveredAt;
	if (cancelledAt) {
		order.closed = true;
		order.closedAt = iso(cancelledAt);
	} else if (delivered) {
		// orders are archived once delivered, as with Shopify's "automatically archive" setting
		order.closed = true;
		order.closedAt = delivered;
	}
	presentOrder(order);
	const moments = [order.processedAt, order.closedAt, order.fulfillments[0]?.updatedAt, ...order.refunds.map((r) => r.createdAt)];
	order.updatedAt = moments.filter(Boolean).sort().at(-1);
	return order;
}

module.exports = {
	ANCHOR,
	DAY_MS,
	CURRENCY,
	SHOP_DOMAIN,
	gid,
	iso,
	daysBefore,
	addHours,
	decimal,
	centsOf,
	money,
	moneyBag,
	presentOrder,
	sortedTags,
	idAllocator,
	dollarText,
	customerRecord,
	orderRecord,
	attachOrders,
	shipment,
	transactionRecord,
	refundTransaction,
	refundRecord,
};

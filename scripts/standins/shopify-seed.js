'use strict';
/**
 * The generated part of the sample store: customers after the fixtures, each with about three orders spread
 * over the two years before the anchor. A seeded PRNG makes it the same at every start for a given size.
 */
const { PRODUCT_WEIGHTS, FIRST_NAMES, LAST_NAMES, PLACES, STREETS, CARRIERS, CUSTOMER_NOTES } = require('./shopify-catalog.js');
const { ANCHOR, DAY_MS, daysBefore, addHours, shipment } = require('./shopify-records.js');

const SEED = 20261101;

/** mulberry32: a tiny, well-distributed 32-bit PRNG; enough for sample data. */
function prng(seed) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
	const int = (min, max) => min + Math.floor(next() * (max - min + 1));
	const pick = (list) => list[Math.floor(next() * list.length)];
	const weighted = (pairs) => {
		let roll = next() * pairs.reduce((sum, [, weight]) => sum + weight, 0);
		for (const [value, weight] of pairs) {
			roll -= weight;
			if (roll < 0) return value;
		}
		return pairs.at(-1)[0];
	};
	return { next, int, pick, weighted, chance: (p) => next() < p };
}

/** Orders per customer; the mean is about 3. */
const ORDER_COUNTS = [[0, 5], [1, 28], [2, 20], [3, 15], [4, 11], [5, 8], [6, 6], [8, 4], [10, 3]];
const CONSENT_STATES = [['SUBSCRIBED', 55], ['NOT_SUBSCRIBED', 25], ['UNSUBSCRIBED', 15], ['PENDING', 5]];
const DELAY_MESSAGES = ['Weather delay at carrier hub', 'Delayed: carrier capacity at the regional hub', 'Address verification needed'];

function customerSpec(random, id, index) {
	const firstName = random.pick(FIRST_NAMES);
	const lastName = random.pick(LAST_NAMES);
	const place = random.pick(PLACES);
	const createdDaysBefore = random.int(20, 900);
	const consentState = random.weighted(CONSENT_STATES);
	const tags = [];
	if (random.chance(0.05)) tags.push('VIP');
	if (random.chance(0.05)) tags.push('wholesale');
	if (consentState === 'SUBSCRIBED' && random.chance(0.7)) tags.push('newsletter');
	// 1,000 distinct numbers in the reserved 555-01xx range (ten area codes); later customers have none
	const phone = index < 1_000 && random.chance(0.6) ? `+1${PLACES[index % 10].area}55501${String(Math.floor(index / 10) % 100).padStart(2, '0')}` : null;
	return {
		id,
		firstName,
		lastName,
		email: `${firstName}.${lastName}.${id}@example-store.test`.toLowerCase(),
		phone,
		createdAt: daysBefore(createdDaysBefore, random.int(8, 20)),
		createdDaysBefore,
		tags,
		note: random.chance(0.08) ? random.pick(CUSTOMER_NOTES) : null,
		consent: { state: consentState, updatedAt: daysBefore(random.int(0, createdDaysBefore - 1), 9) },
		address: { street: `${random.int(1, 999)} ${random.pick(STREETS)}`, ...place },
	};
}

function orderLines(random) {
	const lines = [];
	const count = random.weighted([[1, 60], [2, 30], [3, 10]]);
	for (let i = 0; i < count; i++) {
		const product = random.weighted(PRODUCT_WEIGHTS);
		if (lines.some((line) => line.product === product)) continue;
		lines.push({ product, quantity: random.chance(0.15) ? 2 : 1 });
	}
	return lines;
}

/** What happened to an order after purchase, by its age: recent ones may still wait for shipping or travel. */
function orderStory(random, processedAt, place) {
	if (random.chance(0.02)) {
		const cancelledAt = addHours(processedAt, random.int(2, 30));
		if (cancelledAt < ANCHOR) return { cancelledAt };
	}
	const shippedAt = addHours(processedAt, random.int(30, 110));
	// made to order: a shipment that would leave after the anchor has not left yet
	if (shippedAt > addHours(ANCHOR, -12)) return { fulfillment: null };
	const estimatedDeliveryAt = new Date(shippedAt.getTime() + random.int(4, 6) * DAY_MS);
	const delayed = random.chance(0.1);
	const deliveredAt = delayed
		? new Date(estimatedDeliveryAt.getTime() + random.int(2, 14) * DAY_MS)
		: addHours(estimatedDeliveryAt, -random.int(0, 30));
	const delays = delayed
		? [{ at: addHours(estimatedDeliveryAt, -20), message: random.pick(DELAY_MESSAGES) }]
		: [];
	const fulfillment = shipment({
		company: random.pick(CARRIERS),
		place,
		shippedAt,
		estimatedDeliveryAt,
		deliveredAt: deliveredAt <= ANCHOR ? deliveredAt : null,
		delays,
	});
	const refundAt = fulfillment.deliveredAt && random.chance(0.05) ? new Date(deliveredAt.getTime() + random.int(2, 20) * DAY_MS) : null;
	return { fulfillment, refundAt };
}

/**
 * Generated customers (ids from firstCustomerId) and their orders (ids from firstOrderId, names from
 * firstOrderNumber, both in purchase order). Returns specs for customerRecord() and a function that makes
 * order specs once the customer records exist.
 */
function generatePopulation({ count, firstCustomerId, firstOrderId, firstOrderNumber }) {
	const random = prng(SEED);
	const customers = [];
	const orders = [];
	for (let index = 0; index < count; index++) {
		const customer = customerSpec(random, firstCustomerId + index, index);
		customers.push(customer);
		const orderCount = random.weighted(ORDER_COUNTS);
		for (let n = 0; n < orderCount; n++) {
			// an order comes at least a day after sign-up, so it never predates its customer
			const processedAt = daysBefore(random.int(1, customer.createdDaysBefore - 1), random.int(0, 10));
			const lines = orderLines(random);
			const story = orderStory(random, processedAt, customer.address);
			orders.push({ customerId: customer.id, processedAt, at: processedAt.getTime(), lines, story, gift: random.chance(0.05) });
		}
	}
	orders.sort((a, b) => a.at - b.at || a.customerId - b.customerId);
	const orderSpecs = (customerRecordsById) =>
		orders.map((order, index) => ({
			id: firstOrderId + index,
			number: firstOrderNumber + index,
			customer: customerRecordsById.get(order.customerId),
			processedAt: order.processedAt,
			lines: order.lines,
			fulfillment: order.story.fulfillment ?? null,
			cancelledAt: order.story.cancelledAt ?? null,
			refunds: order.story.refundAt
				? [{ at: order.story.refundAt, cents: order.lines[0].product.cents, note: 'Damaged in transit; partial refund' }]
				: [],
			tags: order.gift ? ['gift'] : [],
			note: order.gift ? 'Gift: please leave out the invoice.' : null,
		}));
	return { customers, orderSpecs };
}

module.exports = { generatePopulation, prng, SEED };

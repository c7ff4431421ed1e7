'use strict';
/**
 * The named fixtures: customers and orders that tests and demos refer to by email or GID. They are the same
 * whatever the store size; shopify-store.js documents each one. Days are counted back from the anchor
 * (2026-11-01T00:00:00Z).
 */
const { PRODUCTS, PLACES, STREETS } = require('./shopify-catalog.js');
const { daysBefore, shipment } = require('./shopify-records.js');

const FIXTURE_CUSTOMERS = [
	{ key: 'vipTagged', id: 1001, firstName: 'Vera', lastName: 'Tagsample', email: 'vip.tagged@example-store.test', tags: ['VIP', 'newsletter'], createdDaysBefore: 700 },
	{ key: 'vipBySpend', id: 1002, firstName: 'Victor', lastName: 'Bigspend', email: 'vip.spender@example-store.test', tags: ['newsletter'], createdDaysBefore: 650 },
	{ key: 'premium', id: 1003, firstName: 'Priya', lastName: 'Midtier', email: 'premium.buyer@example-store.test', tags: [], createdDaysBefore: 500 },
	{ key: 'regular', id: 1004, firstName: 'Rory', lastName: 'Everyday', email: 'regular.buyer@example-store.test', tags: ['newsletter'], createdDaysBefore: 400 },
	{ key: 'dormantOneTime', id: 1005, firstName: 'Dora', lastName: 'Longago', email: 'dormant.once@example-store.test', tags: [], createdDaysBefore: 320 },
	{ key: 'unsubscribed', id: 1006, firstName: 'Uma', lastName: 'Optedout', email: 'unsubscribed@example-store.test', tags: [], createdDaysBefore: 420, consent: 'UNSUBSCRIBED', consentDaysBefore: 200 },
	{ key: 'lateDelivery', id: 1007, firstName: 'Lars', lastName: 'Waitlonger', email: 'late.delivery@example-store.test', tags: [], createdDaysBefore: 150 },
	{ key: 'delayedInTransit', id: 1008, firstName: 'Ines', lastName: 'Stillcoming', email: 'in.transit@example-store.test', tags: [], createdDaysBefore: 120 },
	{ key: 'unfulfilled', id: 1009, firstName: 'Noor', lastName: 'Notshipped', email: 'unfulfilled@example-store.test', tags: [], createdDaysBefore: 100 },
	{ key: 'refunded', id: 1010, firstName: 'Remy', lastName: 'Partback', email: 'refunded@example-store.test', tags: [], createdDaysBefore: 200 },
];

/** An uneventful delivery: shipped two days after purchase, delivered a day before the estimate. */
const onTime = (processedDaysBefore, company = 'UPS') => ({ place }) =>
	shipment({
		company,
		place,
		shippedAt: daysBefore(processedDaysBefore - 2),
		estimatedDeliveryAt: daysBefore(processedDaysBefore - 7),
		deliveredAt: daysBefore(processedDaysBefore - 6, 14),
	});

const P = PRODUCTS;
const FIXTURE_ORDERS = [
	{ key: 'vipBySpendOriginal', id: 5001, number: 1001, customer: 'vipBySpend', days: 500, lines: [[P.original, 1]], ship: onTime(500) },
	{ key: 'vipTaggedFirst', id: 5002, number: 1002, customer: 'vipTagged', days: 400, lines: [[P.printA4, 1], [P.cards, 1]], ship: onTime(400, 'USPS') },
	{ key: 'unsubscribedOnly', id: 5003, number: 1003, customer: 'unsubscribed', days: 310, lines: [[P.printA3, 1], [P.cards, 1]], ship: onTime(310, 'USPS') },
	{ key: 'dormantOnly', id: 5004, number: 1004, customer: 'dormantOneTime', days: 300, lines: [[P.framed, 1]], ship: onTime(300) },
	{ key: 'premiumGiclee', id: 5005, number: 1005, customer: 'premium', days: 290, lines: [[P.giclee, 1]], ship: onTime(290, 'FedEx') },
	{ key: 'vipBySpendGiclee', id: 5006, number: 1006, customer: 'vipBySpend', days: 280, lines: [[P.giclee, 1]], ship: onTime(280, 'FedEx') },
	{ key: 'vipTaggedSecond', id: 5007, number: 1007, customer: 'vipTagged', days: 200, lines: [[P.printA3, 2]], ship: onTime(200, 'USPS') },
	{ key: 'regularFirst', id: 5008, number: 1008, customer: 'regular', days: 190, lines: [[P.printA3, 1]], ship: onTime(190, 'USPS') },
	{ key: 'premiumFramed', id: 5009, number: 1009, customer: 'premium', days: 90, lines: [[P.framed, 1], [P.printA4, 1]], ship: onTime(90) },
	{ key: 'vipBySpendCanvas', id: 5010, number: 1010, customer: 'vipBySpend', days: 60, lines: [[P.canvas, 1]], ship: onTime(60) },
	{
		key: 'partiallyRefunded', id: 5011, number: 1011, customer: 'refunded', days: 50, lines: [[P.framed, 1], [P.printA3, 1]], ship: onTime(50),
		refunds: [{ at: daysBefore(30), cents: 5_600, note: 'Print arrived creased; refunded the A3 print' }],
	},
	// paid in euros at checkout (0.92 EUR per USD): Shopify keeps both amounts, and a refund must name the euro
	{ key: 'regularSecond', id: 5012, number: 1012, customer: 'regular', days: 45, lines: [[P.printA4, 1], [P.cards, 1]], ship: onTime(45, 'USPS'), presentment: { currency: 'EUR', rate: 0.92 } },
	{
		key: 'deliveredLate', id: 5013, number: 1013, customer: 'lateDelivery', days: 40, lines: [[P.canvas, 1]],
		// checkout promised delivery 32 days before the anchor, delivered 22 days before it: 10 days late
		promise: daysBefore(32),
		ship: ({ place }) => shipment({
			company: 'UPS', place, shippedAt: daysBefore(38), estimatedDeliveryAt: daysBefore(32), deliveredAt: daysBefore(22),
			delays: [{ at: daysBefore(31), message: 'Delayed: carrier capacity at the regional hub' }],
		}),
	},
	{ key: 'vipTaggedOnTime', id: 5014, number: 1014, customer: 'vipTagged', days: 25, lines: [[P.framed, 1]], ship: onTime(25) },
	{ key: 'unfulfilledFor15Days', id: 5015, number: 1015, customer: 'unfulfilled', days: 15, lines: [[P.giclee, 1]], ship: null },
	{
		key: 'inTransitDelayed', id: 5016, number: 1016, customer: 'delayedInTransit', days: 12, lines: [[P.framed, 1]],
		promise: daysBefore(4),
		ship: ({ place }) => shipment({
			company: 'FedEx', place, shippedAt: daysBefore(10), estimatedDeliveryAt: daysBefore(4),
			delays: [{ at: daysBefore(3), message: 'Weather delay at carrier hub' }],
		}),
	},
];

/** Customer specs ready for customerRecord(). */
function fixtureCustomerSpecs() {
	return FIXTURE_CUSTOMERS.map((fixture, index) => {
		const place = PLACES[index % PLACES.length];
		const createdAt = daysBefore(fixture.createdDaysBefore);
		return {
			...fixture,
			createdAt,
			phone: `+1${place.area}55501${String(index).padStart(2, '0')}`,
			consent: {
				state: fixture.consent ?? 'SUBSCRIBED',
				updatedAt: fixture.consentDaysBefore ? daysBefore(fixture.consentDaysBefore) : createdAt,
			},
			address: { street: `${100 + index} ${STREETS[index % STREETS.length]}`, ...place },
		};
	});
}

/** Order specs ready for orderRecord(), given the built customers by fixture key. */
function fixtureOrderSpecs(customersByKey) {
	return FIXTURE_ORDERS.map((fixture) => {
		const customer = customersByKey[fixture.customer];
		const place = { city: customer.defaultAddress.city, province: customer.defaultAddress.province };
		return {
			id: fixture.id,
			number: fixture.number,
			customer,
			processedAt: daysBefore(fixture.days),
			lines: fixture.lines.map(([product, quantity]) => ({ product, quantity })),
			fulfillment: fixture.ship ? fixture.ship({ place }) : null,
			refunds: fixture.refunds ?? [],
			checkoutPromiseAt: fixture.promise ?? null,
			...(fixture.presentment ? { presentment: fixture.presentment } : {}),
		};
	});
}

module.exports = { FIXTURE_CUSTOMERS, FIXTURE_ORDERS, fixtureCustomerSpecs, fixtureOrderSpecs };

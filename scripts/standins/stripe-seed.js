'use strict';
/**
 * Two sample customers with a paid order each, built through the same code as API requests so their
 * shapes are Stripe's. Ids are fixed so that demos and documentation can name them; nothing here is secret.
 */
const { createCustomer } = require('./stripe-customers.js');
const { createCharge, createPaymentIntent } = require('./stripe-payments.js');

const SAMPLE_IDS = [
	'cus_SampleAvaMorgan',
	'pi_SampleAvaMorgan0000000001',
	'ch_SampleAvaMorgan0000000001',
	'txn_SampleAvaMorgan000000001',
	'cus_SampleLeoPark',
	'ch_SampleLeoPark000000000001',
	'txn_SampleLeoPark00000000001',
];

function seed(store) {
	const ids = [...SAMPLE_IDS];
	store.newId = () => ids.shift();
	try {
		const ava = createCustomer(store, {
			email: 'ava.morgan@example-store.test',
			name: 'Ava Morgan',
			metadata: { sample: 'true' },
		});
		createPaymentIntent(store, {
			amount: '12900',
			currency: 'usd',
			customer: ava.id,
			description: 'Order #1001',
			metadata: { order_id: '1001' },
			payment_method: 'pm_card_visa',
			confirm: 'true',
		});
		const leo = createCustomer(store, {
			email: 'leo.park@example-store.test',
			name: 'Leo Park',
			metadata: { sample: 'true' },
		});
		createCharge(store, {
			amount: 4500,
			currency: 'usd',
			customer: leo.id,
			description: 'Order #1002',
			metadata: { order_id: '1002' },
			paymentMethod: 'tok_visa',
		});
	} finally {
		delete store.newId;
	}
}

module.exports = { seed };

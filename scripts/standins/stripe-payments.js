'use strict';
/**
 * Just enough of payments to refund them: charges (https://docs.stripe.com/api/charges), payment intents
 * (https://docs.stripe.com/api/payment_intents), refunds (https://docs.stripe.com/api/refunds) and the
 * account balance (https://docs.stripe.com/api/balance). Stripe's test payment methods decide the outcome
 * (https://docs.stripe.com/testing): `pm_card_visa` / `tok_visa` succeed, `*chargeDeclined` is declined.
 */
const { StripeError, invalidRequest } = require('./stripe-errors.js');
const p = require('./stripe-params.js');
const { randomString } = require('./stripe-store.js');

const CARD_BRANDS = { visa: '4242', mastercard: '4444', amex: '8431', discover: '1117' };
const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];
const CANCELABLE = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];

/** `$12.50` for dollars, `12.50 EUR` otherwise: the form Stripe's amount errors use. */
function money(amount, currency) {
	const value = (amount / 100).toFixed(2);
	return currency === 'usd' ? `$${value}` : `${value} ${currency.toUpperCase()}`;
}

function cardDetails(paymentMethod) {
	const brand = Object.keys(CARD_BRANDS).find((name) => paymentMethod.toLowerCase().includes(name)) ?? 'visa';
	return {
		card: { brand, country: 'US', exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, funding: 'credit', last4: CARD_BRANDS[brand], network: brand },
		type: 'card',
	};
}

const isDeclined = (paymentMethod) => /declined/i.test(paymentMethod);

function declineError(charge, extra = {}) {
	return Object.assign(
		new StripeError(402, {
			type: 'card_error',
			code: 'card_declined',
			decline_code: 'generic_decline',
			message: 'Your card was declined.',
			charge: charge.id,
			...extra,
		}),
		// a decline is a completed request: Stripe saves it for idempotent replays
		{ replayable: true },
	);
}

function createCharge(store, { amount, currency, customer, description, metadata, paymentIntent, paymentMethod, receiptEmail }) {
	const declined = isDeclined(paymentMethod);
	return store.insert({
		id: store.newId('ch'),
		object: 'charge',
		amount,
		amount_captured: declined ? 0 : amount,
		amount_refunded: 0,
		application: null,
		application_fee: null,
		application_fee_amount: null,
		balance_transaction: declined ? null : store.newId('txn'),
		billing_details: { address: null, email: null, name: null, phone: null },
		calculated_statement_descriptor: 'EXAMPLE STORE',
		captured: !declined,
		created: store.now(),
		currency,
		customer: customer ?? null,
		description: description ?? null,
		disputed: false,
		failure_balance_transaction: null,
		failure_code: declined ? 'card_declined' : null,
		failure_message: declined ? 'Your card was declined.' : null,
		fraud_details: {},
		livemode: false,
		metadata: metadata ?? {},
		on_behalf_of: null,
		outcome: declined
			? { network_status: 'declined_by_network', reason: 'generic_decline', risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' }
			: { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
		paid: !declined,
		payment_intent: paymentIntent ?? null,
		payment_method: paymentMethod.startsWith('pm_') ? paymentMethod : `card_${randomString(24)}`,
		payment_method_details: cardDetails(paymentMethod),
		receipt_email: receiptEmail ?? null,
		receipt_number: null,
		receipt_url: null,
		refunded: false,
		review: null,
		shipping: null,
		source: null,
		source_transfer: null,
		statement_descriptor: null,
		statement_descriptor_suffix: null,
		status: declined ? 'failed' : 'succeeded',
		transfer_data: null,
		transfer_group: null,
	});
}

function chargeFromParams(store, params) {
	p.allowOnly(params, [
		'amount', 'application_fee', 'application_fee_amount', 'capture', 'currency', 'customer', 'description',
		'destination', 'metadata', 'on_behalf_of', 'radar_options', 'receipt_email', 'shipping', 'source',
		'statement_descriptor', 'statement_descriptor_suffix', 'transfer_data', 'transfer_group',
	]);
	const amount = p.integer(params, 'amount', { required: true, min: 1 });
	const currency = p.currency(params, 'currency', { required: true });
	const customer = p.string(params, 'customer');
	if (customer) store.mustFind('customer', customer, 'customer');
	const source = p.string(params, 'source');
	if (!customer && !source) throw invalidRequest('Must provide source or customer.', undefined, 'missing');
	const charge = createCharge(store, {
		amount,
		currency,
		customer,
		description: p.string(params, 'description'),
		metadata: p.metadata(params),
		paymentMethod: source ?? 'tok_visa',
		receiptEmail: p.email(params, 'receipt_email'),
	});
	if (charge.status === 'failed') throw declineError(charge);
	return charge;
}

function createPaymentIntent(store, params) {
	p.allowOnly(params, [
		'amount', 'currency', 'allowed_payment_method_types', 'amount_details', 'application_fee_amount',
		'automatic_payment_methods', 'capture_method', 'confirm', 'confirmation_method', 'confirmation_token', 'customer',
		'customer_account', 'description', 'error_on_requires_action', 'excluded_payment_method_types', 'hooks', 'mandate',
		'mandate_data', 'metadata', 'off_session', 'on_behalf_of', 'payment_details', 'payment_method',
		'payment_method_configuration', 'payment_method_data', 'payment_method_options', 'payment_method_types',
		'radar_options', 'receipt_email', 'return_url', 'setup_future_usage', 'shipping', 'statement_descriptor',
		'statement_descriptor_suffix', 'transfer_data', 'transfer_group', 'use_stripe_sdk',
	]);
	const amount = p.integer(params, 'amount', { required: true, min: 1 });
	const currency = p.currency(params, 'currency', { required: true });
	const customer = p.string(params, 'customer') ?? null;
	if (customer) store.mustFind('customer', customer, 'customer');
	const paymentMethod = p.string(params, 'payment_method') ?? null;
	const confirm = p.boolean(params, 'confirm');
	const id = store.newId('pi');
	const intent = store.insert({
		id,
		object: 'payment_intent',
		amount,
		amount_capturable: 0,
		amount_details: { tip: {} },
		amount_received: 0,
		application: null,
		application_fee_amount: null,
		automatic_payment_methods: null,
		canceled_at: null,
		cancellation_reason: null,
		capture_method: 'automatic',
		client_secret: `${id}_secret_${randomString(25)}`,
		confirmation_method: 'automatic',
		created: store.now(),
		currency,
		customer,
		customer_account: null,
		description: p.string(params, 'description') ?? null,
		excluded_payment_method_types: null,
		last_payment_error: null,
		latest_charge: null,
		livemode: false,
		metadata: p.metadata(params),
		next_action: null,
		on_behalf_of: null,
		payment_method: paymentMethod,
		payment_method_configuration_details: null,
		payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
		payment_method_types: ['card'],
		processing: null,
		receipt_email: p.email(params, 'receipt_email') ?? null,
		review: null,
		setup_future_usage: null,
		shipping: null,
		source: null,
		statement_descriptor: null,
		statement_descriptor_suffix: null,
		status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
		transfer_data: null,
		transfer_group: null,
	});
	if (confirm) confirmPaymentIntent(store, intent, {});
	return intent;
}

function confirmPaymentIntent(store, intent, params) {
	const paymentMethod = p.string(params, 'payment_method') ?? intent.payment_method;
	if (!['requires_payment_method', 'requires_confirmation'].includes(intent.status)) {
		throw invalidRequest(
			`This PaymentIntent's payment_method could not be updated because it has a status of ${intent.status}. You may only update the payment_method of a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action.`,
			undefined,
			'payment_intent_unexpected_state',
		);
	}
	if (!paymentMethod) {
		throw invalidRequest(
			"You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with a customer, you must provide the `payment_method` parameter.",
			'payment_method',
			'payment_intent_unexpected_state',
		);
	}
	intent.payment_method = paymentMethod;
	const charge = createCharge(store, {
		amount: intent.amount,
		currency: intent.currency,
		customer: intent.customer,
		description: intent.description,
		metadata: intent.metadata,
		paymentIntent: intent.id,
		paymentMethod,
		receiptEmail: intent.receipt_email,
	});
	intent.latest_charge = charge.id;
	if (charge.status === 'failed') {
		intent.status = 'requires_payment_method';
		intent.last_payment_error = { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.', charge: charge.id };
		throw declineError(charge, { payment_intent: { ...intent } });
	}
	intent.status = 'succeeded';
	intent.amount_received = intent.amount;
	return intent;
}

function createRefund(store, params) {
	p.allowOnly(params, [
		'amount', 'charge', 'currency', 'customer', 'instructions_email', 'metadata', 'origin', 'payment_intent', 'reason',
		'refund_application_fee', 'reverse_transfer',
	]);
	const chargeId = p.string(params, 'charge');
	const intentId = p.string(params, 'payment_intent');
	if (chargeId && intentId) {
		throw invalidRequest('You cannot pass both charge and payment_intent. Please pass only one of them.', 'payment_intent');
	}
	if (!chargeId && !intentId) {
		throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', undefined, 'parameter_missing');
	}
	let charge;
	if (intentId) {
		const intent = store.mustFind('payment_intent', intentId, 'payment_intent', 'payment_intent');
		charge = intent.status === 'succeeded' ? store.find('charge', intent.latest_charge) : undefined;
		if (!charge) throw invalidRequest('This PaymentIntent does not have a successful charge to refund.', 'payment_intent');
	} else {
		charge = store.mustFind('charge', chargeId, 'charge');
	}
	if (charge.status !== 'succeeded') {
		throw invalidRequest(`Charge ${charge.id} has not succeeded and cannot be refunded.`, 'charge');
	}
	const remaining = charge.amount_captured - charge.amount_refunded;
	if (remaining <= 0) {
		throw invalidRequest(`Charge ${charge.id} has already been refunded.`, undefined, 'charge_already_refunded');
	}
	const amount = p.integer(params, 'amount', { min: 1 }) ?? remaining;
	if (amount > remaining) {
		const what = charge.amount_refunded > 0 ? 'unrefunded amount on charge' : 'charge amount';
		throw invalidRequest(
			`Refund amount (${money(amount, charge.currency)}) is greater than ${what} (${money(remaining, charge.currency)})`,
			'amount',
			'amount_too_large',
		);
	}
	const reason = p.oneOf(params, 'reason', REFUND_REASONS) ?? null;
	const metadata = p.metadata(params);
	charge.amount_refunded += amount;
	charge.refunded = charge.amount_refunded === charge.amount_captured;
	return store.insert({
		id: store.newId('re'),
		object: 'refund',
		amount,
		balance_transaction: store.newId('txn'),
		charge: charge.id,
		created: store.now(),
		currency: charge.currency,
		destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
		metadata,
		payment_intent: charge.payment_intent,
		reason,
		receipt_number: null,
		source_transfer_reversal: null,
		status: 'succeeded',
		transfer_reversal: null,
	});
}

/** What succeeded charges minus their refunds leave, per currency. */
function balance(store) {
	const byCurrency = new Map([['usd', 0]]);
	for (const charge of store.all('charge')) {
		if (charge.status !== 'succeeded') continue;
		byCurrency.set(charge.currency, (byCurrency.get(charge.currency) ?? 0) + charge.amount_captured - charge.amount_refunded);
	}
	const entries = [...byCurrency];
	return {
		object: 'balance',
		available: entries.map(([currency, amount]) => ({ amount, currency, source_types: { card: amount } })),
		livemode: false,
		pending: entries.map(([currency]) => ({ amount: 0, currency, source_types: { card: 0 } })),
	};
}

const listBy = (store, kind, params, url, label, filters) => {
	p.allowOnly(params, ['created', 'ending_before', 'limit', 'starting_after', ...filters]);
	const items = store.newestFirst(kind, (object) => filters.every((name) => params[name] === undefined || object[name] === params[name]));
	return store.paginate(items, params, url, label);
};

const routes = [
	{ method: 'GET', path: '/v1/balance', handler: ({ store }) => balance(store) },
	{ method: 'POST', path: '/v1/charges', handler: ({ store, params }) => chargeFromParams(store, params) },
	{
		method: 'GET',
		path: '/v1/charges',
		handler: ({ store, params }) => listBy(store, 'charge', params, '/v1/charges', 'charge', ['customer', 'payment_intent', 'transfer_group']),
	},
	{ method: 'GET', path: '/v1/charges/:id', handler: ({ store, path }) => store.mustFind('charge', path.id) },
	{
		method: 'POST',
		path: '/v1/charges/:id',
		handler: ({ store, path, params }) => {
			p.allowOnly(params, ['customer', 'description', 'fraud_details', 'metadata', 'receipt_email', 'shipping', 'transfer_group']);
			const charge = store.mustFind('charge', path.id);
			const description = p.string(params, 'description');
			if (description !== undefined) charge.description = description;
			charge.metadata = p.metadata(params, charge.metadata);
			return charge;
		},
	},
	{ method: 'POST', path: '/v1/payment_intents', handler: ({ store, params }) => createPaymentIntent(store, params) },
	{
		method: 'GET',
		path: '/v1/payment_intents',
		handler: ({ store, params }) => listBy(store, 'payment_intent', params, '/v1/payment_intents', 'payment_intent', ['customer']),
	},
	{
		method: 'GET',
		path: '/v1/payment_intents/:id',
		handler: ({ store, path }) => store.mustFind('payment_intent', path.id, 'id', 'payment_intent'),
	},
	{
		method: 'POST',
		path: '/v1/payment_intents/:id/confirm',
		handler: ({ store, path, params }) => {
			p.allowOnly(params, ['payment_method', 'return_url', 'off_session', 'receipt_email', 'payment_method_options', 'use_stripe_sdk']);
			return confirmPaymentIntent(store, store.mustFind('payment_intent', path.id, 'id', 'payment_intent'), params);
		},
	},
	{
		method: 'POST',
		path: '/v1/payment_intents/:id/cancel',
		handler: ({ store, path, params }) => {
			p.allowOnly(params, ['cancellation_reason']);
			const intent = store.mustFind('payment_intent', path.id, 'id', 'payment_intent');
			if (!CANCELABLE.includes(intent.status)) {
				throw invalidRequest(
					`You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
					undefined,
					'payment_intent_unexpected_state',
				);
			}
			intent.status = 'canceled';
			intent.canceled_at = store.now();
			intent.cancellation_reason = p.oneOf(params, 'cancellation_reason', ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer']) ?? null;
			return intent;
		},
	},
	{ method: 'POST', path: '/v1/refunds', handler: ({ store, params }) => createRefund(store, params) },
	{
		method: 'GET',
		path: '/v1/refunds',
		handler: ({ store, params }) => listBy(store, 'refund', params, '/v1/refunds', 'refund', ['charge', 'payment_intent']),
	},
	{ method: 'GET', path: '/v1/refunds/:id', handler: ({ store, path }) => store.mustFind('refund', path.id) },
	{
		method: 'POST',
		path: '/v1/refunds/:id',
		handler: ({ store, path, params }) => {
			p.allowOnly(params, ['metadata']);
			const refund = store.mustFind('refund', path.id);
			refund.metadata = p.metadata(params, refund.metadata);
			return refund;
		},
	},
];

module.exports = { routes, createCharge, createPaymentIntent };

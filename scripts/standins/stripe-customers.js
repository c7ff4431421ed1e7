'use strict';
/**
 * Customers (https://docs.stripe.com/api/customers) and customer balance transactions
 * (https://docs.stripe.com/api/customer_balance_transactions). A balance transaction's `amount` is added
 * to the customer's `balance`; a negative balance is credit the customer can spend, so a credit is a
 * negative amount, exactly as in Stripe.
 */
const { invalidRequest, resourceMissing } = require('./stripe-errors.js');
const p = require('./stripe-params.js');
const { search } = require('./stripe-search.js');
const { randomString } = require('./stripe-store.js');

const CUSTOMER_CREATE_PARAMS = [
	'address', 'balance', 'business_name', 'cash_balance', 'description', 'email', 'individual_name', 'invoice_prefix',
	'invoice_settings', 'metadata', 'name', 'next_invoice_sequence', 'payment_method', 'phone', 'preferred_locales',
	'shipping', 'source', 'tax', 'tax_exempt', 'tax_id_data', 'test_clock', 'validate',
];
const CUSTOMER_UPDATE_PARAMS = [
	'address', 'balance', 'business_name', 'cash_balance', 'default_source', 'description', 'email', 'individual_name',
	'invoice_prefix', 'invoice_settings', 'metadata', 'name', 'next_invoice_sequence', 'phone', 'preferred_locales',
	'shipping', 'source', 'tax', 'tax_exempt', 'validate',
];
const SEARCH_FIELDS = ['created', 'email', 'name', 'phone'];

/** Fields a create or an update may set, read the same way for both. */
function customerFields(params, existing) {
	const fields = {};
	const email = p.email(params, 'email');
	if (email !== undefined) fields.email = email;
	for (const name of ['name', 'description', 'phone']) {
		const value = p.string(params, name, { maxLength: name === 'description' ? 350 : 256 });
		if (value !== undefined) fields[name] = value;
	}
	if (params.address !== undefined) fields.address = params.address === '' ? null : params.address;
	if (params.shipping !== undefined) fields.shipping = params.shipping === '' ? null : params.shipping;
	if (params.preferred_locales !== undefined) fields.preferred_locales = p.stringList(params, 'preferred_locales');
	const taxExempt = p.oneOf(params, 'tax_exempt', ['exempt', 'none', 'reverse']);
	if (taxExempt !== undefined) fields.tax_exempt = taxExempt;
	const balance = p.integer(params, 'balance');
	if (balance !== undefined) fields.balance = balance;
	fields.metadata = p.metadata(params, existing?.metadata);
	return fields;
}

function createCustomer(store, params) {
	p.allowOnly(params, CUSTOMER_CREATE_PARAMS);
	const customer = {
		id: store.newId('cus', 14),
		object: 'customer',
		address: null,
		balance: 0,
		created: store.now(),
		currency: null,
		default_source: null,
		delinquent: false,
		description: null,
		discount: null,
		email: null,
		invoice_prefix: randomString(8, 'ABCDEF0123456789'),
		invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
		livemode: false,
		metadata: {},
		name: null,
		next_invoice_sequence: 1,
		phone: null,
		preferred_locales: [],
		shipping: null,
		tax_exempt: 'none',
		test_clock: null,
		...customerFields(params),
	};
	return store.insert(customer);
}

function updateCustomer(store, id, params) {
	p.allowOnly(params, CUSTOMER_UPDATE_PARAMS);
	const customer = store.mustFind('customer', id);
	Object.assign(customer, customerFields(params, customer));
	return customer;
}

/** Stripe keeps answering a deleted customer's id with a stub rather than 404. */
function deleteCustomer(store, id) {
	store.mustFind('customer', id);
	const stub = { id, object: 'customer', deleted: true };
	store.collection('customer').set(id, stub);
	return stub;
}

function createBalanceTransaction(store, customerId, params) {
	p.allowOnly(params, ['amount', 'currency', 'description', 'metadata']);
	const customer = store.mustFind('customer', customerId);
	const amount = p.integer(params, 'amount', { required: true });
	const currency = p.currency(params, 'currency', { required: true });
	if (customer.currency && customer.currency !== currency) {
		throw invalidRequest(
			`You cannot create a customer balance transaction in ${currency} because the customer's currency is ${customer.currency}.`,
			'currency',
		);
	}
	const description = p.string(params, 'description', { maxLength: 350 }) ?? null;
	const metadata = p.metadata(params);
	customer.currency = currency;
	customer.balance += amount;
	return store.insert({
		id: store.newId('cbtxn'),
		object: 'customer_balance_transaction',
		amount,
		checkout_session: null,
		created: store.now(),
		credit_note: null,
		currency,
		customer: customer.id,
		customer_account: null,
		description,
		ending_balance: customer.balance,
		invoice: null,
		livemode: false,
		metadata,
		type: 'adjustment',
	});
}

function findBalanceTransaction(store, customerId, id) {
	store.mustFind('customer', customerId);
	const transaction = store.find('customer_balance_transaction', id);
	if (!transaction || transaction.customer !== customerId) {
		throw resourceMissing('customer balance transaction', id);
	}
	return transaction;
}

const routes = [
	{ method: 'POST', path: '/v1/customers', handler: ({ store, params }) => createCustomer(store, params) },
	{
		method: 'GET',
		path: '/v1/customers/search',
		handler: ({ store, params }) => search(store.newestFirst('customer'), params, '/v1/customers/search', SEARCH_FIELDS),
	},
	{
		method: 'GET',
		path: '/v1/customers',
		handler: ({ store, params }) => {
			p.allowOnly(params, ['created', 'email', 'ending_before', 'limit', 'starting_after', 'test_clock']);
			// the email filter is exact and case-sensitive (https://docs.stripe.com/api/customers/list)
			const items = store.newestFirst('customer', (c) => params.email === undefined || c.email === params.email);
			return store.paginate(items, params, '/v1/customers', 'customer');
		},
	},
	{
		method: 'GET',
		path: '/v1/customers/:id',
		handler: ({ store, path }) => {
			const customer = store.find('customer', path.id);
			return customer?.deleted ? customer : store.mustFind('customer', path.id);
		},
	},
	{ method: 'POST', path: '/v1/customers/:id', handler: ({ store, path, params }) => updateCustomer(store, path.id, params) },
	{ method: 'DELETE', path: '/v1/customers/:id', handler: ({ store, path }) => deleteCustomer(store, path.id) },
	{
		method: 'POST',
		path: '/v1/customers/:id/balance_transactions',
		handler: ({ store, path, params }) => createBalanceTransaction(store, path.id, params),
	},
	{
		method: 'GET',
		path: '/v1/customers/:id/balance_transactions',
		handler: ({ store, path, params }) => {
			store.mustFind('customer', path.id);
			const items = store.newestFirst('customer_balance_transaction', (t) => t.customer === path.id);
			const url = `/v1/customers/${path.id}/balance_transactions`;
			return store.paginate(items, params, url, 'customer balance transaction');
		},
	},
	{
		method: 'GET',
		path: '/v1/customers/:id/balance_transactions/:txn',
		handler: ({ store, path }) => findBalanceTransaction(store, path.id, path.txn),
	},
	{
		method: 'POST',
		path: '/v1/customers/:id/balance_transactions/:txn',
		handler: ({ store, path, params }) => {
			p.allowOnly(params, ['description', 'metadata']);
			const transaction = findBalanceTransaction(store, path.id, path.txn);
			const description = p.string(params, 'description', { maxLength: 350 });
			if (description !== undefined) transaction.description = description;
			transaction.metadata = p.metadata(params, transaction.metadata ?? {});
			return transaction;
		},
	},
];

module.exports = { routes, createCustomer, createBalanceTransaction };

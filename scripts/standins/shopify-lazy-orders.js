'use strict';
/**
 * Lazy generated orders, for large stores (CX_SHOPIFY_CUSTOMERS above 20,000; see shopify-store.js). A full
 * order record with its line items, fulfillment, events and transactions takes about 13 KB, so 100,000
 * customers (about 300,000 orders) would need 4 GB. Instead each order is built once at start, in seed order
 * and with the seed's id allocator, to note where its ids start and to keep a few summary fields; the record
 * is then dropped. Each order is a Proxy over its summary: reading a summary field (id, name, processedAt,
 * totals ...) costs nothing, reading anything else rebuilds the record from its spec and noted id starts (the
 * same record the eager store holds), kept in a bounded cache. An order reached through store.find (which is
 * how mutations reach records) is pinned, so changes to it last.
 */
const { orderRecord, idAllocator } = require('./shopify-records.js');

/** Fields read by attachOrders, sorting and most filters, kept on the summary. */
const SUMMARY_FIELDS = [
	'__typename', 'id', 'legacyResourceId', 'name', 'number', '_number', 'processedAt', 'createdAt', 'updatedAt',
	'cancelledAt', 'email', 'customer', '_totalCents', '_netCents', 'displayFinancialStatus', 'displayFulfillmentStatus',
	'closed', 'closedAt',
];
const CACHE_SIZE = 20_000;
const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/;

/** idAllocator that lets the caller read where each type stands (the same ids, in the same order). */
function trackedAllocator(starts) {
	const types = Object.keys(starts);
	const current = { ...starts };
	const nextId = (type) => {
		if (current[type] === undefined) throw new Error(`no id range for ${type}`);
		return current[type]++;
	};
	return { nextId, types, current };
}

function nestedRecords(order) {
	const out = [...order.lineItems, ...order.transactions, ...order.shippingLines, ...order.refunds];
	for (const fulfillment of order.fulfillments) out.push(fulfillment, ...fulfillment.events, ...fulfillment.fulfillmentLineItems);
	return out;
}

/** specs: generated order specs in seed order; allocator: the seed's trackedAllocator, advanced past them. */
function createLazyOrders(specs, allocator) {
	const { nextId, types, current } = allocator;
	const width = types.length;
	const starts = new Float64Array((specs.length + 1) * width);
	const orders = new Array(specs.length);
	const pinned = new Map();
	const cache = new Map();
	const firstOrderId = specs[0]?.id ?? 0;
	let fullKeys = new Set();

	const materialize = (index) => {
		const local = {};
		types.forEach((type, k) => {
			local[type] = starts[index * width + k];
		});
		return orderRecord(idAllocator(local), specs[index]);
	};

	function load(index, pin) {
		let full = pinned.get(index);
		if (full) return full;
		full = cache.get(index);
		if (full) cache.delete(index);
		else full = materialize(index);
		if (pin) {
			pinned.set(index, full);
		} else {
			cache.set(index, full);
			if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value);
		}
		return full;
	}

	const own = (target, prop) => Object.prototype.hasOwnProperty.call(target, prop);
	const proxyFor = (summary, index) => new Proxy(summary, {
		get(target, prop) {
			if (own(target, prop)) return target[prop];
			if (pinned.has(index)) return pinned.get(index)[prop];
			// graphql-js asks every value for `then` (is it a promise?): no order has it, nothing to build
			return fullKeys.has(prop) ? load(index, false)[prop] : undefined;
		},
		set(target, prop, value) {
			load(index, true)[prop] = value;
			if (own(target, prop)) target[prop] = value;
			return true;
		},
		has: (target, prop) => prop in load(index, false),
		ownKeys: () => Reflect.ownKeys(load(index, false)),
		getOwnPropertyDescriptor(target, prop) {
			const descriptor = Reflect.getOwnPropertyDescriptor(load(index, false), prop);
			return descriptor ? { ...descriptor, configurable: true } : undefined;
		},
		deleteProperty(target, prop) {
			delete load(index, true)[prop];
			delete target[prop];
			return true;
		},
	});

	for (let index = 0; index < specs.length; index++) {
		types.forEach((type, k) => {
			starts[index * width + k] = current[type];
		});
		const full = orderRecord(nextId, specs[index]);
		// every order record has the same fields (orderRecord builds one shape)
		if (index === 0) fullKeys = new Set(Object.keys(full));
		const summary = {};
		for (const field of SUMMARY_FIELDS) summary[field] = full[field];
		orders[index] = proxyFor(summary, index);
	}
	types.forEach((type, k) => {
		starts[specs.length * width + k] = current[type];
	});

	/** The order behind an Order GID, or the nested record (line item, fulfillment, event ...) behind its GID. */
	function find(key) {
		const match = GID.exec(key);
		if (!match) return undefined;
		const [, type, digits] = match;
		const id = Number(digits);
		if (type === 'Order') {
			const index = id - firstOrderId;
			if (index < 0 || index >= orders.length) return undefined;
			load(index, true);
			return orders[index];
		}
		const k = types.indexOf(type);
		if (k < 0 || !specs.length) return undefined;
		if (id < starts[k] || id >= starts[specs.length * width + k]) return undefined;
		// the last order whose range of this type starts at or before id
		let low = 0;
		let high = specs.length - 1;
		while (low < high) {
			const mid = (low + high + 1) >> 1;
			if (starts[mid * width + k] <= id) low = mid;
			else high = mid - 1;
		}
		return nestedRecords(load(low, true)).find((record) => record.id.split('?')[0] === key);
	}

	return { orders, find };
}

module.exports = { createLazyOrders, trackedAllocator };

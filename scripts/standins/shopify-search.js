'use strict';
/**
 * Shopify's search syntax for the `query:` argument of connections (https://shopify.dev/docs/api/usage/search-syntax):
 * terms `field:value`, comparators `>` `<` `>=` `<=` and ranges `a..b`, `AND`, `OR`, `NOT` or a leading `-`,
 * parentheses, quoted phrases and `*` prefix wildcards. A field the connection does not accept is dropped
 * from the filter and reported in `extensions.search`, as Shopify does.
 */
const { centsOf } = require('./shopify-records.js');

// ---- lexing and parsing -------------------------------------------------------------------------------

/** Reads one run of non-space characters, keeping quoted parts (with backslash escapes) whole. */
function readChunk(text, start) {
	let i = start;
	let out = '';
	let quoted = false;
	while (i < text.length && !/\s/.test(text[i]) && text[i] !== ')' && !(text[i] === '(' && i === start)) {
		const quote = text[i];
		if (quote === '"' || quote === "'") {
			quoted = true;
			i++;
			while (i < text.length && text[i] !== quote) {
				if (text[i] === '\\' && i + 1 < text.length) i++;
				out += text[i++];
			}
			i++;
			continue;
		}
		out += text[i++];
	}
	return { text: out, quoted, end: i };
}

function lex(query) {
	const tokens = [];
	let i = 0;
	while (i < query.length) {
		const char = query[i];
		if (/\s/.test(char)) {
			i++;
		} else if (char === '(' || char === ')') {
			tokens.push({ type: char });
			i++;
		} else if (char === '-' && (query[i + 1] === '(')) {
			tokens.push({ type: 'NOT' });
			i++;
		} else {
			const negated = char === '-' && i + 1 < query.length && !/\s/.test(query[i + 1]);
			const start = negated ? i + 1 : i;
			const raw = query.slice(start);
			const field = /^([A-Za-z_][A-Za-z0-9_.]*):/.exec(raw);
			if (!field) {
				const chunk = readChunk(query, start);
				i = chunk.end;
				if (!chunk.quoted && !negated && ['AND', 'OR', 'NOT'].includes(chunk.text)) tokens.push({ type: chunk.text });
				else tokens.push({ type: 'TERM', negated, field: 'default', comparator: '', value: chunk.text, quoted: chunk.quoted });
				continue;
			}
			i = start + field[0].length;
			// `customer_date: >='2024-01-01'`: Shopify tolerates a space after the colon
			while (i < query.length && query[i] === ' ') i++;
			const comparator = /^(>=|<=|>|<|=)/.exec(query.slice(i))?.[1] ?? '';
			i += comparator.length;
			const chunk = readChunk(query, i);
			i = chunk.end;
			tokens.push({ type: 'TERM', negated, field: field[1].toLowerCase(), comparator, value: chunk.text, quoted: chunk.quoted });
		}
	}
	return tokens;
}

function parse(query) {
	const tokens = lex(query);
	let position = 0;
	const peek = () => tokens[position];
	const parseUnary = () => {
		const token = tokens[position++];
		if (!token) return null;
		if (token.type === 'NOT') {
			const inner = parseUnary();
			return inner ? { not: inner } : null;
		}
		if (token.type === '(') {
			const inner = parseOr();
			if (peek()?.type === ')') position++;
			return inner;
		}
		if (token.type === 'TERM') return token.negated ? { not: { term: token } } : { term: token };
		// a connective where a term belongs: skip it
		return parseUnary();
	};
	const parseAnd = () => {
		const items = [];
		while (peek() && peek().type !== 'OR' && peek().type !== ')') {
			if (peek().type === 'AND') {
				position++;
				continue;
			}
			const item = parseUnary();
			if (item) items.push(item);
		}
		return items.length === 1 ? items[0] : items.length ? { and: items } : null;
	};
	// empty groups (`()`, a dangling OR) are left out; an empty query matches everything
	const parseOr = () => {
		const items = [parseAnd()];
		while (peek()?.type === 'OR') {
			position++;
			items.push(parseAnd());
		}
		const kept = items.filter(Boolean);
		return kept.length === 1 ? kept[0] : kept.length ? { or: kept } : { and: [] };
	};
	let tree = parseOr();
	while (position < tokens.length) {
		// a stray closing parenthesis: skip it and read on, as a forgiving search box would
		position++;
		tree = { and: [tree, parseOr()] };
	}
	return tree;
}

// ---- value matchers ------------------------------------------------------------------------------------

const lower = (value) => String(value ?? '').toLowerCase();
const present = (values) => values.filter((value) => value !== null && value !== undefined && value !== '');

function stringMatch(candidates, term) {
	const wanted = lower(term.value);
	const values = present(candidates).map(lower);
	if (wanted === '*') return values.length > 0;
	if (wanted.endsWith('*')) return values.some((value) => value.startsWith(wanted.slice(0, -1)));
	return values.includes(wanted);
}

const words = (value) => lower(value).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** Tokenized fields (email, the default search) match a run of whole words, so `email:example-store.test` works. */
function tokenMatch(candidates, term) {
	if (term.value === '*' || term.value.endsWith('*')) return stringMatch(candidates, term);
	const wanted = words(term.value);
	if (wanted.length === 0) return true;
	return present(candidates).some((candidate) => {
		const have = words(candidate);
		for (let i = 0; i + wanted.length <= have.length; i++) {
			if (wanted.every((word, j) => have[i + j] === word)) return true;
		}
		return false;
	});
}

/** A time value as the half-open interval it names: a year, a month, a day or an instant (shop time is UTC). */
function timeInterval(raw) {
	const value = raw.trim();
	if (lower(value) === 'now') {
		const now = Date.now();
		return [now, now + 1];
	}
	let match = /^(\d{4})$/.exec(value);
	if (match) return [Date.UTC(+match[1], 0, 1), Date.UTC(+match[1] + 1, 0, 1)];
	match = /^(\d{4})-(\d{2})$/.exec(value);
	if (match) return [Date.UTC(+match[1], +match[2] - 1, 1), Date.UTC(+match[1], +match[2], 1)];
	match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (match) return [Date.UTC(+match[1], +match[2] - 1, +match[3]), Date.UTC(+match[1], +match[2] - 1, +match[3] + 1)];
	const instant = Date.parse(value);
	return Number.isNaN(instant) ? null : [instant, instant + 1000];
}

/** Compares against [start, end) with date rounding: `>2026-01-01` means from the next day on. */
function inInterval(value, comparator, [start, end]) {
	switch (comparator) {
		case '>': return value >= end;
		case '>=': return value >= start;
		case '<': return value < start;
		case '<=': return value < end;
		default: return value >= start && value < end;
	}
}

function rangeMatch(candidates, term, toInterval, toValue) {
	const values = present(candidates).map(toValue).filter((value) => !Number.isNaN(value));
	if (term.value === '*') return values.length > 0;
	const range = /^(.*?)\.\.(.*)$/.exec(term.value);
	if (range) {
		const from = range[1] ? toInterval(range[1]) : null;
		const to = range[2] ? toInterval(range[2]) : null;
		return values.some((value) => (!from || value >= from[0]) && (!to || value < to[1]));
	}
	const interval = toInterval(term.value);
	if (!interval) return false;
	return values.some((value) => inInterval(value, term.comparator, interval));
}

const numberInterval = (raw) => {
	const number = Number.parseFloat(raw);
	return Number.isNaN(number) ? null : [number, number + Number.EPSILON * Math.max(1, Math.abs(number))];
};

const text = (get) => (record, term) => {
	if (term.value === '*') return present(get(record)).length > 0;
	const wanted = lower(term.value).replace(/\*$/, '');
	return present(get(record)).some((value) => lower(value).includes(wanted));
};
const keyword = (get) => (record, term) => stringMatch(get(record), term);
const tokenized = (get) => (record, term) => tokenMatch(get(record), term);
const time = (get) => (record, term) => rangeMatch(get(record), term, timeInterval, (value) => Date.parse(value));
const number = (get) => (record, term) => rangeMatch(get(record), term, numberInterval, Number);
const bool = (get) => (record, term) => lower(term.value) === String(Boolean(get(record)));
/** `tag:'Wholesale,Repeat'` matches records carrying any of the listed tags. */
const anyTag = (get) => (record, term) => {
	const wanted = term.value.split(',').map((tag) => lower(tag.trim())).filter(Boolean);
	const tags = get(record).map(lower);
	return wanted.some((tag) => (tag.endsWith('*') ? tags.some((have) => have.startsWith(tag.slice(0, -1))) : tags.includes(tag)));
};
const none = (match) => (record, term) => !match(record, term);
/** `product_type:'Canvas,Art Print'`, `status:active,draft`: any of a comma-separated list. */
const anyOf = (get) => (record, term) => {
	const wanted = term.value.split(',').map((value) => lower(value.trim())).filter(Boolean);
	return get(record).some((value) => wanted.includes(lower(value)));
};

const dollars = (moneyBag) => centsOf(moneyBag.shopMoney) / 100;

/** The order status words Shopify's `status` and `fulfillment_status` filters accept. */
function orderStatusWords(order) {
	if (order.cancelledAt) return ['cancelled', 'closed'];
	return order.closed ? ['closed'] : ['open', 'not_closed'];
}
function fulfillmentStatusWords(order) {
	const status = order.displayFulfillmentStatus;
	if (status === 'FULFILLED') return ['fulfilled', 'shipped'];
	if (status === 'PARTIALLY_FULFILLED') return ['partial', 'shipped', 'unfulfilled'];
	return [lower(status), 'unshipped', 'unfulfilled'];
}

const FIELDS = {
	Customer: {
		default: text((c) => [c.displayName, c.email, c.phone, c.note, ...c.tags]),
		accepts_marketing: bool((c) => c.emailMarketingConsent?.marketingState === 'SUBSCRIBED'),
		country: keyword((c) => [c.defaultAddress?.country, c.defaultAddress?.countryCodeV2]),
		customer_date: time((c) => [c.createdAt]),
		email: tokenized((c) => [c.email]),
		first_name: keyword((c) => [c.firstName]),
		last_name: keyword((c) => [c.lastName]),
		id: number((c) => [c.legacyResourceId]),
		last_abandoned_order_date: time(() => []),
		order_date: time((c) => c.orders.map((order) => order.processedAt)),
		orders_count: number((c) => [c.numberOfOrders]),
		phone: keyword((c) => [c.phone, c.phone?.replace(/^\+1/, '')]),
		state: keyword((c) => [c.state]),
		tag: anyTag((c) => c.tags),
		tag_not: none(anyTag((c) => c.tags)),
		total_spent: number((c) => [centsOf(c.amountSpent) / 100]),
		updated_at: time((c) => [c.updatedAt]),
	},
	Order: {
		default: text((o) => [o.name, o.email, o.customer?.displayName, o.note, ...o.tags, ...o.lineItems.flatMap((l) => [l.sku, l.title])]),
		confirmation_number: keyword((o) => [o.confirmationNumber]),
		created_at: time((o) => [o.createdAt]),
		current_total_price: number((o) => [dollars(o.currentTotalPriceSet)]),
		customer_id: number((o) => [o.customer?.legacyResourceId]),
		delivery_method: keyword(() => ['shipping']),
		discount_code: keyword((o) => o.discountCodes),
		email: tokenized((o) => [o.email]),
		financial_status: keyword((o) => [o.displayFinancialStatus]),
		fulfillment_status: keyword(fulfillmentStatusWords),
		gateway: keyword((o) => o.paymentGatewayNames),
		id: number((o) => [o.legacyResourceId]),
		name: keyword((o) => [o.name, o.name.replace(/^#/, '')]),
		processed_at: time((o) => [o.processedAt]),
		return_status: keyword((o) => [o.returnStatus]),
		sales_channel: keyword(() => ['online_store']),
		sku: keyword((o) => o.lineItems.map((line) => line.sku)),
		source_name: keyword((o) => [o.sourceName]),
		status: keyword(orderStatusWords),
		subtotal_line_items_quantity: number((o) => [o.subtotalLineItemsQuantity]),
		tag: anyTag((o) => o.tags),
		tag_not: none(anyTag((o) => o.tags)),
		test: bool((o) => o.test),
		updated_at: time((o) => [o.updatedAt]),
	},
	// Order.returns(query:)
	Return: {
		id: number((r) => [r.id.split('/').pop()]),
		status: keyword((r) => [r.status]),
	},
	Product: {
		default: text((p) => [p.title, p.productType, p.vendor, ...p.tags, ...p.variants.flatMap((v) => [v.title, v.sku])]),
		handle: anyOf((p) => [p.handle]),
		id: number((p) => [p.legacyResourceId]),
		inventory_total: number((p) => [p.totalInventory]),
		product_type: anyOf((p) => [p.productType]),
		sku: keyword((p) => p.variants.map((v) => v.sku)),
		status: anyOf((p) => [p.status]),
		tag: anyTag((p) => p.tags),
		tag_not: none(anyTag((p) => p.tags)),
		title: text((p) => [p.title]),
		variant_id: number((p) => p.variants.map((v) => v.legacyResourceId)),
		variant_title: text((p) => p.variants.map((v) => v.title)),
		vendor: keyword((p) => [p.vendor]),
	},
	ProductVariant: {
		default: text((v) => [v.title, v.sku, v.displayName]),
		id: number((v) => [v.legacyResourceId]),
		inventory_quantity: number((v) => [v.inventoryQuantity]),
		product_id: number((v) => [v.product.legacyResourceId]),
		product_type: anyOf((v) => [v.product.productType]),
		sku: keyword((v) => [v.sku]),
		tag: anyTag((v) => v.product.tags),
		tag_not: none(anyTag((v) => v.product.tags)),
		title: text((v) => [v.title]),
		vendor: keyword((v) => [v.product.vendor]),
	},
	StoreCreditAccount: {
		currency_code: keyword((a) => [a.balance.currencyCode]),
		id: number((a) => [a.id.split('/').pop()]),
	},
	StoreCreditAccountTransaction: {
		expires_at: time((t) => [t.expiresAt]),
		id: number((t) => [t.id.split('/').pop()]),
		type: keyword((t) => [t.__typename === 'StoreCreditAccountCreditTransaction' ? 'credit' : 'debit']),
	},
};

/** The field names a connection accepts, read from the table in its `query` argument's description. */
function acceptedFields(description) {
	const rows = String(description ?? '').matchAll(/^\| ([a-z_]+) \| (?:string|boolean|time|id|integer|float) \|/gm);
	return [...rows].map((match) => match[1]);
}

/** Shopify's `parsed` echo of a query, as it appears next to warnings in extensions.search. */
function describe(node) {
	if (node.and) return { and: node.and.map(describe) };
	if (node.or) return { or: node.or.map(describe) };
	if (node.not) return { not: describe(node.not) };
	const { field, comparator, value, quoted } = node.term;
	const ranges = { '>': 'range_gt', '>=': 'range_gte', '<': 'range_lt', '<=': 'range_lte' };
	if (ranges[comparator]) return { field, [ranges[comparator]]: value };
	return { field, [quoted ? 'match_phrase' : 'match_all']: value };
}

/**
 * Filters records with a search query. `typeName` picks the field table (Customer, Order); `description` is
 * the connection's `query` argument description, whose table lists the fields Shopify accepts there.
 * Returns { records, warnings } where warnings follow Shopify's `{ field, message, code }` shape.
 */
function search(records, query, { typeName, description }) {
	if (!query || !query.trim()) return { records, warnings: [], parsed: null };
	const tree = parse(query);
	const implemented = FIELDS[typeName] ?? {};
	const accepted = new Set(acceptedFields(description));
	const warnings = [];
	// a dropped term (unknown field) matches everything, negated or not, as Shopify removes it from the filter
	const always = () => true;
	const compile = (node) => {
		if (node.and) {
			const parts = node.and.map(compile);
			return (record) => parts.every((part) => part(record));
		}
		if (node.or) {
			const parts = node.or.map(compile);
			return (record) => parts.some((part) => part(record));
		}
		if (node.not) {
			const inner = compile(node.not);
			return inner === always ? always : (record) => !inner(record);
		}
		const { term } = node;
		const known = term.field === 'default' || accepted.has(term.field);
		if (known && implemented[term.field]) return (record) => implemented[term.field](record, term);
		warnings.push(known
			? { field: term.field, message: 'Search field not supported by the local stand-in; the term was ignored.', code: 'unsupported_field' }
			: { field: term.field, message: 'Invalid search field for this query.', code: 'invalid_field' });
		return always;
	};
	const predicate = compile(tree);
	return { records: records.filter(predicate), warnings, parsed: describe(tree) };
}

module.exports = { search, parse, acceptedFields };

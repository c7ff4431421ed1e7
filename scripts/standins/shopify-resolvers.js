'use strict';
/**
 * Execution over the sample store. One generic field resolver reads plain records by field name, turns arrays
 * into Relay connections (first/last/after/before, opaque cursors, nodes, edges, pageInfo) with `query:`
 * searches and sort keys, and answers non-null fields the store has no data for with an empty value of the
 * right type. Root fields that need a lookup are in ROOT_QUERIES (returns, products and locations in
 * shopify-returns.js, with the few object fields it computes); mutations live in shopify-mutations.js.
 */
const {
	GraphQLError,
	getNamedType,
	isAbstractType,
	isEnumType,
	isListType,
	isNonNullType,
	isScalarType,
	responsePathAsArray,
} = require('graphql');
const { isConnectionType } = require('./shopify-cost.js');
const { search } = require('./shopify-search.js');
const { ANCHOR, SHOP_DOMAIN, centsOf, iso } = require('./shopify-records.js');
const { parseGid, requireGid, findTyped } = require('./shopify-gid.js');
// returns, products and locations: their root queries and computed fields
const returns = require('./shopify-returns.js');

/** graphql-ruby's max_page_size, which Shopify sets to 250: larger pages are cut, not refused. */
const MAX_PAGE_SIZE = 250;
/** The default `limit` of customersCount / ordersCount; `limit: null` counts everything. */
const COUNT_LIMIT = 10_000;

const numericId = (record) => {
	const id = parseGid(record?.id)?.id;
	return id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined;
};
const lower = (value) => String(value ?? '').toLowerCase();

const SORT_KEYS = {
	ID: numericId,
	RELEVANCE: numericId,
	CREATED_AT: (r) => r.createdAt,
	UPDATED_AT: (r) => r.updatedAt,
	PROCESSED_AT: (r) => r.processedAt,
	HAPPENED_AT: (r) => r.happenedAt,
	EXPIRES_AT: (r) => r.expiresAt,
	NAME: (r) => lower(r.displayName ?? r.name ?? r.title),
	ORDER_NUMBER: (r) => r.number,
	TOTAL_PRICE: (r) => centsOf(r.totalPriceSet.shopMoney),
	CURRENT_TOTAL_PRICE: (r) => centsOf(r.currentTotalPriceSet.shopMoney),
	CUSTOMER_NAME: (r) => lower(r.customer?.displayName),
	FINANCIAL_STATUS: (r) => r.displayFinancialStatus ?? '',
	FULFILLMENT_STATUS: (r) => r.displayFulfillmentStatus ?? '',
	TOTAL_ITEMS_QUANTITY: (r) => r.subtotalLineItemsQuantity,
	LOCATION: (r) => lower([r.defaultAddress?.country, r.defaultAddress?.province, r.defaultAddress?.city].join(' ')),
};

const camelCase = (key) => key.toLowerCase().replace(/_([a-z])/g, (_, letter) => letter.toUpperCase());

function compare(a, b) {
	if (a === b) return 0;
	if (a === undefined || a === null) return -1;
	if (b === undefined || b === null) return 1;
	return a < b ? -1 : 1;
}

const encodeCursor = (entry) => Buffer.from(JSON.stringify({ last_id: entry.id, last_value: entry.value })).toString('base64');
function decodeCursor(cursor) {
	try {
		const decoded = JSON.parse(Buffer.from(String(cursor), 'base64').toString('utf8'));
		if (decoded && 'last_id' in decoded) return { id: decoded.last_id, value: decoded.last_value };
	} catch {
		// fall through to the error below
	}
	throw new GraphQLError('Invalid cursor for current pagination sort.', { extensions: { code: 'BAD_REQUEST' } });
}

function nodeTypeOf(connectionType) {
	const fields = connectionType.getFields();
	if (fields.nodes) return getNamedType(fields.nodes.type);
	return getNamedType(getNamedType(fields.edges.type).getFields().node.type);
}

/** A Relay connection over `items`, the way Shopify pages: search, sort, then slice around the cursors. */
function connection(items, args, ctx, info) {
	const { first, last, after, before, query, sortKey, reverse } = args;
	// a bulk query (shopify-bulk.js) reads every page: first/last are optional and ignored, the root
	// connection is searched and sorted once and handed out in slices
	const bulk = ctx.bulk;
	const bulkRoot = bulk && !info.path.prev;
	if (bulkRoot && bulk.rootEntries) return bulkPage(bulk.rootEntries, bulk);
	if (first == null && last == null && !bulk) {
		throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
	}
	const nodeType = nodeTypeOf(getNamedType(info.returnType));
	const keyOf = sortKey ? SORT_KEYS[sortKey] ?? ((record) => record[camelCase(sortKey)]) : null;
	// natural order is the stored order; the position keeps cursors stable across searches
	let entries = items.map((item, position) => ({
		item,
		value: keyOf ? keyOf(item) : position,
		id: numericId(item) ?? position,
	}));
	if (query) {
		const description = info.parentType.getFields()[info.fieldName].args.find((arg) => arg.name === 'query')?.description;
		const found = search(items, query, { typeName: nodeType.name, description });
		const kept = new Set(found.records);
		entries = entries.filter((entry) => kept.has(entry.item));
		if (found.warnings.length) {
			ctx.searchWarnings.push({ path: responsePathAsArray(info.path).filter((key) => typeof key === 'string'), query, parsed: found.parsed, warnings: found.warnings });
		}
	}
	const direction = reverse ? -1 : 1;
	const order = (a, b) => direction * (compare(a.value, b.value) || compare(a.id, b.id));
	entries.sort(order);
	if (bulkRoot) {
		bulk.rootEntries = entries;
		return bulkPage(entries, bulk);
	}
	if (bulk) return page(entries, 0, entries.length, entries.length);
	let start = 0;
	let end = entries.length;
	if (after != null) {
		const cursor = decodeCursor(after);
		while (start < end && order(entries[start], cursor) <= 0) start++;
	}
	if (before != null) {
		const cursor = decodeCursor(before);
		while (end > start && order(entries[end - 1], cursor) >= 0) end--;
	}
	if (first != null) end = Math.min(end, start + Math.max(0, Math.min(first, MAX_PAGE_SIZE)));
	if (last != null) start = Math.max(start, end - Math.max(0, Math.min(last, MAX_PAGE_SIZE)));
	return page(entries, start, end, entries.length);
}

function page(entries, start, end, total) {
	const slice = entries.slice(start, end);
	const edges = slice.map((entry) => ({ cursor: encodeCursor(entry), node: entry.item }));
	return {
		edges,
		nodes: slice.map((entry) => entry.item),
		pageInfo: {
			hasNextPage: end < total,
			hasPreviousPage: start > 0,
			startCursor: edges[0]?.cursor ?? null,
			endCursor: edges.at(-1)?.cursor ?? null,
		},
	};
}

/** The slice [bulk.start, bulk.end) of a bulk query's root connection. */
function bulkPage(entries, bulk) {
	const end = Math.min(bulk.end, entries.length);
	return page(entries, Math.min(bulk.start, end), end, entries.length);
}

function count(items, args, ctx, info, typeName) {
	const description = info.parentType.getFields()[info.fieldName].args.find((arg) => arg.name === 'query')?.description;
	const found = args.query ? search(items, args.query, { typeName, description }) : { records: items, warnings: [] };
	if (found.warnings.length) {
		ctx.searchWarnings.push({ path: responsePathAsArray(info.path).filter((key) => typeof key === 'string'), query: args.query, parsed: found.parsed, warnings: found.warnings });
	}
	const limit = args.limit === undefined ? COUNT_LIMIT : args.limit;
	const total = found.records.length;
	return limit !== null && total > limit ? { count: limit, precision: 'AT_LEAST' } : { count: total, precision: 'EXACT' };
}

function customerByIdentifier(store, identifier) {
	if (identifier.id) return findTyped(store, identifier.id, 'Customer');
	if (identifier.emailAddress) return store.customerByEmail(identifier.emailAddress) ?? null;
	if (identifier.phoneNumber) return store.customerByPhone(identifier.phoneNumber) ?? null;
	return null;
}

const ROOT_QUERIES = {
	shop: (args, { store }) => store.shop,
	// the app making the request: the scopes it was granted (shopify.js sets them)
	currentAppInstallation: (args, { store }) => ({
		__typename: 'AppInstallation',
		id: 'gid://shopify/AppInstallation/1',
		accessScopes: store.accessScopes.map((handle) => ({ __typename: 'AccessScope', handle, description: `The ${handle} access scope` })),
	}),
	customer: (args, { store }) => findTyped(store, args.id, 'Customer'),
	order: (args, { store }) => findTyped(store, args.id, 'Order'),
	node: (args, { store }) => {
		requireGid(args.id);
		return store.find(args.id) ?? null;
	},
	nodes: (args, { store }) => args.ids.map((id) => {
		requireGid(id);
		return store.find(id) ?? null;
	}),
	customers: (args, ctx, info) => connection(ctx.store.customers, args, ctx, info),
	orders: (args, ctx, info) => connection(ctx.store.orders, args, ctx, info),
	customerByIdentifier: (args, { store }) => customerByIdentifier(store, args.identifier),
	customersCount: (args, ctx, info) => count(ctx.store.customers, args, ctx, info, 'Customer'),
	ordersCount: (args, ctx, info) => count(ctx.store.orders, args, ctx, info, 'Order'),
	codeDiscountNodeByCode: (args, { store }) => store.discountByCode(args.code) ?? null,
	codeDiscountNode: (args, { store }) => findTyped(store, args.id, 'DiscountCodeNode'),
	discountRedeemCodeBulkCreation: (args, { store }) => findTyped(store, args.id, 'DiscountRedeemCodeBulkCreation'),
	storeCreditAccount: (args, { store }) => findTyped(store, args.id, 'StoreCreditAccount'),
	refund: (args, { store }) => findTyped(store, args.id, 'Refund'),
	// bulk operations (shopify-bulk.js): the newest of a type, one by id, all of them newest first
	currentBulkOperation: (args, { store }) => [...store.bulkOperations.values()].filter((op) => op.type === (args.type ?? 'QUERY')).at(-1) ?? null,
	bulkOperation: (args, { store }) => findTyped(store, args.id, 'BulkOperation'),
	bulkOperations: (args, ctx, info) => connection([...ctx.store.bulkOperations.values()], { ...args, sortKey: args.sortKey ?? 'CREATED_AT', reverse: !args.reverse }, ctx, info),
};

const SCALAR_DEFAULTS = {
	Boolean: false,
	Int: 0,
	Float: 0,
	String: '',
	DateTime: iso(ANCHOR),
	Date: iso(ANCHOR).slice(0, 10),
	URL: `https://${SHOP_DOMAIN}/`,
	Decimal: '0.0',
	Money: '0.0',
	UnsignedInt64: '0',
	BigInt: '0',
	JSON: {},
	HTML: '',
	FormattedString: '',
	Color: '#000000',
	UtcOffset: '+00:00',
};

/** What a field the store has no data for returns: null when allowed, else an empty value of its type. */
function emptyValue(type, schema, info) {
	if (!isNonNullType(type)) return null;
	const inner = type.ofType;
	if (isListType(inner)) return [];
	if (isEnumType(inner)) return inner.getValues()[0].value;
	if (isScalarType(inner)) return inner.name === 'ID' ? `gid://shopify/${info.parentType.name}/0` : SCALAR_DEFAULTS[inner.name] ?? '';
	if (isAbstractType(inner)) return { __typename: schema.getPossibleTypes(inner)[0].name };
	return {};
}

function createResolvers({ mutations }) {
	function fieldResolver(source, args, ctx, info) {
		let value;
		if (info.parentType === info.schema.getQueryType()) {
			const root = ROOT_QUERIES[info.fieldName] ?? returns.ROOT_QUERIES[info.fieldName];
			value = root ? root(args, ctx, info) : undefined;
		} else if (info.parentType === info.schema.getMutationType()) {
			value = mutations[info.fieldName](args, ctx, info);
		} else {
			const own = returns.FIELD_RESOLVERS[info.parentType.name]?.[info.fieldName];
			value = own ? own(source, args, ctx, info) : source?.[info.fieldName];
		}
		const named = getNamedType(info.returnType);
		if (isConnectionType(named) && (value === undefined || Array.isArray(value))) return connection(value ?? [], args, ctx, info);
		if (value === undefined) return emptyValue(info.returnType, info.schema, info);
		// plain lists with a `first` argument (fulfillments, refunds, trackingInfo)
		if (Array.isArray(value) && typeof args.first === 'number') return value.slice(0, Math.max(0, args.first));
		return value;
	}

	/** Abstract types (Node, unions) resolve from the record's __typename, or from its GID. */
	function typeResolver(value) {
		return value?.__typename ?? parseGid(value?.id)?.type;
	}

	return { fieldResolver, typeResolver };
}

module.exports = { createResolvers, ROOT_QUERIES };

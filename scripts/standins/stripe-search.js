'use strict';
/**
 * Stripe's search query language (https://docs.stripe.com/search#search-query-language):
 * `email:'a@b.test'` exact (case-insensitive), `name~'mor'` substring, `-field:'x'` negation,
 * `created>1700000000` ranges, `metadata['key']:'value'`, `field:null`; clauses joined by AND or by OR
 * (not both, at most 10). Results come as a `search_result` page with a `next_page` token.
 */
const { invalidRequest } = require('./stripe-errors.js');
const { integer } = require('./stripe-params.js');

const CLAUSE = /^(-)?(metadata\[(?:'([^']*)'|"([^"]*)")\]|[a-z_]+)\s*(:|~|>=|<=|>|<)\s*(?:'([^']*)'|"([^"]*)"|(null)|(-?\d+(?:\.\d+)?))$/;

function parseQuery(query) {
	if (typeof query !== 'string' || !query.trim()) {
		throw invalidRequest('Missing required param: query.', 'query', 'parameter_missing');
	}
	const hasAnd = / AND /.test(query);
	const hasOr = / OR /.test(query);
	if (hasAnd && hasOr) throw invalidRequest('Search queries cannot mix AND and OR.', 'query');
	const parts = query.trim().split(hasOr ? / OR / : / AND /);
	if (parts.length > 10) throw invalidRequest('Search queries are limited to 10 clauses.', 'query');
	const clauses = parts.map((part) => {
		const match = CLAUSE.exec(part.trim());
		if (!match) throw invalidRequest(`We were unable to parse the query: ${part.trim()}`, 'query');
		const [, negated, field, metaSingle, metaDouble, operator, single, double, isNull, number] = match;
		const metadataKey = metaSingle ?? metaDouble;
		return {
			negated: Boolean(negated),
			field: metadataKey !== undefined ? 'metadata' : field,
			metadataKey,
			operator,
			value: isNull ? null : number !== undefined ? Number(number) : (single ?? double),
		};
	});
	return { clauses, any: hasOr };
}

function clauseMatches(object, clause, fields) {
	if (clause.field !== 'metadata' && !fields.includes(clause.field)) {
		throw invalidRequest(`Field \`${clause.field}\` is an unsupported search field for this resource.`, 'query');
	}
	const actual = clause.field === 'metadata' ? object.metadata?.[clause.metadataKey] : object[clause.field];
	const { operator, value } = clause;
	let result;
	if (value === null) result = actual === null || actual === undefined;
	else if (operator === ':') result = String(actual ?? '').toLowerCase() === String(value).toLowerCase();
	else if (operator === '~') result = String(actual ?? '').toLowerCase().includes(String(value).toLowerCase());
	else {
		const a = Number(actual);
		const b = Number(value);
		result = { '>': a > b, '<': a < b, '>=': a >= b, '<=': a <= b }[operator];
	}
	return clause.negated ? !result : result;
}

/** Filters `items` (newest first) by `params.query`; `page` is the offset of the next page, opaque to clients. */
function search(items, params, url, fields) {
	const { clauses, any } = parseQuery(params.query);
	const limit = integer(params, 'limit', { min: 1, max: 100 }) ?? 10;
	const offset = params.page ? Number(Buffer.from(String(params.page), 'base64url').toString()) || 0 : 0;
	const matches = items.filter((item) =>
		any ? clauses.some((c) => clauseMatches(item, c, fields)) : clauses.every((c) => clauseMatches(item, c, fields)),
	);
	const data = matches.slice(offset, offset + limit);
	const hasMore = matches.length > offset + limit;
	const result = {
		object: 'search_result',
		data,
		has_more: hasMore,
		next_page: hasMore ? Buffer.from(String(offset + limit)).toString('base64url') : null,
		url,
	};
	if ([].concat(params.expand ?? []).includes('total_count')) result.total_count = matches.length;
	return result;
}

module.exports = { search, parseQuery };

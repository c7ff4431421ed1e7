'use strict';
/**
 * One Admin GraphQL request, start to finish, in the order Shopify applies its checks: parse, validate against
 * the real schema, coerce variables, refuse what the stand-in cannot do, price the query (MAX_COST_EXCEEDED,
 * THROTTLED), refuse over-long list arguments (MAX_INPUT_SIZE_EXCEEDED), execute over the store, refund the unused
 * cost. Every outcome is HTTP 200 with `errors` except a missing query, which Shopify answers with 400.
 */
const { parse, validate, execute, getOperationAST, getVariableValues, getArgumentValues, getLocation, Kind } = require('graphql');
const { createResolvers } = require('./shopify-resolvers.js');
const { MUTATIONS } = require('./shopify-mutations.js');
const { operationCost, MAX_SINGLE_QUERY_COST } = require('./shopify-cost.js');
const { formatValidationErrors, formatParseError, formatVariableErrors, formatExecutionError } = require('./shopify-errors.js');
const { MAX_CODES } = require('./shopify-redeem-codes.js');

const RATE_LIMITS_DOC = 'https://shopify.dev/api/usage/rate-limits';

const ok = (body) => ({ status: 200, body });

function maxCostExceeded(cost) {
	return {
		message: `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\n` +
			'See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n' +
			'cost of a query is calculated.\n\n' +
			'To query larger amounts of data with fewer limits, bulk operations should be used instead.\n' +
			'See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n',
		extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost: MAX_SINGLE_QUERY_COST, documentation: RATE_LIMITS_DOC },
	};
}

/**
 * List arguments Shopify caps before running anything: a longer list fails the whole request with
 * MAX_INPUT_SIZE_EXCEEDED and no data (as a live shop answers discountRedeemCodeBulkAdd with 251 codes).
 */
const INPUT_LIMITS = { 'Mutation.discountRedeemCodeBulkAdd': { codes: MAX_CODES } };

function inputSizeErrors({ schema, document, operation, variables }) {
	const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
	const fragments = Object.fromEntries(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
	const errors = [];
	const walk = (selectionSet) => {
		for (const selection of selectionSet.selections) {
			if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
			else if (selection.kind === Kind.FRAGMENT_SPREAD) {
				if (fragments[selection.name.value]) walk(fragments[selection.name.value].selectionSet);
			} else {
				const limits = INPUT_LIMITS[`${root.name}.${selection.name.value}`];
				if (!limits) continue;
				const args = getArgumentValues(root.getFields()[selection.name.value], selection, variables);
				for (const [name, max] of Object.entries(limits)) {
					if (!Array.isArray(args[name]) || args[name].length <= max) continue;
					errors.push({
						message: `The input array size of ${args[name].length} is greater than the maximum allowed of ${max}.`,
						locations: [getLocation(document.loc.source, selection.loc.start)],
						path: [selection.alias?.value ?? selection.name.value, name],
						extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' },
					});
				}
			}
		}
	};
	walk(operation.selectionSet);
	return errors;
}

/** Root mutation fields the store cannot carry out. */
function unsupportedMutations(operation, document) {
	const names = [];
	const fragments = Object.fromEntries(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
	const walk = (selectionSet) => {
		for (const selection of selectionSet.selections) {
			if (selection.kind === Kind.FIELD) {
				if (!selection.name.value.startsWith('__') && !MUTATIONS[selection.name.value]) names.push(selection.name.value);
			} else if (selection.kind === Kind.INLINE_FRAGMENT) {
				walk(selection.selectionSet);
			} else if (fragments[selection.name.value]) {
				walk(fragments[selection.name.value].selectionSet);
			}
		}
	};
	walk(operation.selectionSet);
	return [...new Set(names)];
}

function readRequest(body) {
	const query = typeof body?.query === 'string' ? body.query : undefined;
	let variables = body?.variables ?? {};
	if (typeof variables === 'string') {
		try {
			variables = variables.trim() ? JSON.parse(variables) : {};
		} catch {
			variables = null;
		}
	}
	return { query, variables, operationName: body?.operationName || undefined };
}

/** origin: the stand-in's own https://host:port, for the download URLs of bulk operations. */
function createGraphqlHandler({ registry, store, bucket, origin }) {
	const { fieldResolver, typeResolver } = createResolvers({ mutations: MUTATIONS });

	/**
	 * body: the parsed JSON request ({ query, variables, operationName }); returns { status, body }, or a promise of it
	 * when the request runs late. `delayMs`: an @idempotent mutation waits that long with its key running
	 * (shopify-payouts.js), any other request is answered that late; `userErrors`: an @idempotent mutation is refused with
	 * them instead of being carried out.
	 */
	return function handle(version, body, requestId, { delayMs = 0, userErrors } = {}) {
		const schema = registry.get(version);
		const { query, variables, operationName } = readRequest(body);
		if (!query || !query.trim()) return { status: 400, body: { errors: { query: 'Required parameter missing or invalid' } } };
		if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
			return { status: 400, body: { errors: { variables: 'Required parameter missing or invalid' } } };
		}

		let document;
		try {
			document = parse(query);
		} catch (error) {
			return ok({ errors: formatParseError(error) });
		}
		const invalid = validate(schema, document);
		if (invalid.length) return ok({ errors: formatValidationErrors(invalid, document) });

		const operation = getOperationAST(document, operationName);
		if (!operation) {
			return ok({ errors: [{ message: operationName ? `No operation named "${operationName}"` : 'An operation name is required' }] });
		}
		if (operation.operation === 'subscription') {
			return ok({ errors: [{ message: 'Subscriptions are not supported by the Admin API over HTTP' }] });
		}
		const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
		if (coerced.errors) return ok({ errors: formatVariableErrors(coerced.errors, operation, variables) });

		if (operation.operation === 'mutation') {
			const unsupported = unsupportedMutations(operation, document);
			if (unsupported.length) return ok({ errors: unsupported.map((name) => ({ message: `${name} is not supported by the local stand-in` })) });
		}

		const priced = { schema, document, operation, variables: coerced.coerced };
		const requested = operationCost(priced);
		const cost = (actual) => ({ requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() });
		if (requested > MAX_SINGLE_QUERY_COST) return ok({ errors: [maxCostExceeded(requested)], extensions: { cost: cost(null) } });
		// the query's name, for the stand-in's count of points by operation
		const charged = operation.name?.value ?? '(anonymous)';
		if (!bucket.take(requested, charged)) {
			return ok({
				errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: RATE_LIMITS_DOC } }],
				extensions: { cost: cost(null) },
			});
		}

		// the points stay spent, as with Shopify (requestedQueryCost charged, actualQueryCost null)
		const tooLarge = inputSizeErrors(priced);
		if (tooLarge.length) return ok({ errors: tooLarge, extensions: { cost: cost(null) } });

		// the version decides version-dependent rules (refundCreate needs @idempotent from 2026-04)
		const context = { store, searchWarnings: [], version, origin, delayMs, userErrors };
		const answer = (result) => {
			const actual = Math.min(requested, operationCost(priced, result.data ?? null));
			bucket.refund(requested - actual, charged);
			const response = {};
			if (result.errors?.length) response.errors = result.errors.map((error) => formatExecutionError(error, requestId));
			response.data = result.data ?? null;
			response.extensions = { cost: cost(actual) };
			if (context.searchWarnings.length) response.extensions.search = context.searchWarnings;
			return ok(response);
		};
		// the mutations a request makes are logged with its X-Request-Id, so a test can tell one request from several
		store.requestId = requestId;
		const result = execute({ schema, document, operationName, variableValues: variables, contextValue: context, fieldResolver, typeResolver });
		store.requestId = undefined;
		// a resolver that waits (an @idempotent mutation given a delay) makes the execution a promise
		if (typeof result?.then === 'function') return result.then(answer);
		if (delayMs > 0) return new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => answer(result));
		return answer(result);
	};
}

module.exports = { createGraphqlHandler };

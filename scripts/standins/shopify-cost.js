'use strict';
/**
 * Query cost and the leaky bucket, as Shopify documents them (https://shopify.dev/docs/api/usage/limits):
 * scalars and enums cost 0, objects 1, a connection 2 plus first/last times the cost of one node, a mutation 10;
 * an interface or union costs its most expensive possible selection. The requested cost is computed from the
 * arguments before execution; the actual cost walks the result with the same rules, and the difference is
 * refunded to the bucket. A single query may not cost more than 1,000 points.
 */
const {
	Kind,
	getNamedType,
	getNullableType,
	isAbstractType,
	isLeafType,
	isListType,
	isObjectType,
	getArgumentValues,
	getDirectiveValues,
	GraphQLIncludeDirective,
	GraphQLSkipDirective,
} = require('graphql');

const MAX_SINGLE_QUERY_COST = 1000;
const BUCKET_SIZE = 2000;
const RESTORE_RATE = 100;
const MUTATION_COST = 10;

const isConnectionType = (type) =>
	isObjectType(type) && type.name.endsWith('Connection') && Boolean(type.getFields().pageInfo);

function included(node, variables) {
	if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
	return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** Flattens fragments: each field with the type condition it sits under (null when unconditional). */
function collectFields(ctx, selectionSet, condition = null, out = []) {
	for (const selection of selectionSet?.selections ?? []) {
		if (!included(selection, ctx.variables)) continue;
		if (selection.kind === Kind.FIELD) {
			out.push({ node: selection, condition });
		} else if (selection.kind === Kind.INLINE_FRAGMENT) {
			collectFields(ctx, selection.selectionSet, selection.typeCondition?.name.value ?? condition, out);
		} else if (selection.kind === Kind.FRAGMENT_SPREAD) {
			const fragment = ctx.fragments[selection.name.value];
			if (fragment) collectFields(ctx, fragment.selectionSet, fragment.typeCondition.name.value, out);
		}
	}
	return out;
}

function applies(ctx, condition, type) {
	if (!condition || condition === type.name) return true;
	const conditionType = ctx.schema.getType(condition);
	return Boolean(conditionType && isAbstractType(conditionType) && ctx.schema.isSubType(conditionType, type));
}

/** `data` is undefined for the requested cost, the returned object for the actual cost. */
function selectionCost(ctx, parentType, selectionSet, data) {
	const fields = collectFields(ctx, selectionSet);
	const candidates = isAbstractType(parentType) ? ctx.schema.getPossibleTypes(parentType) : [parentType];
	let best = 0;
	for (const type of candidates) {
		let cost = 0;
		for (const { node, condition } of fields) {
			if (applies(ctx, condition, type)) cost += fieldCost(ctx, type, node, data);
		}
		best = Math.max(best, cost);
	}
	return best;
}

function argumentsOf(ctx, definition, node) {
	try {
		return getArgumentValues(definition, node, ctx.variables);
	} catch {
		return {};
	}
}

function fieldCost(ctx, parentType, node, data) {
	const name = node.name.value;
	const definition = name.startsWith('__') ? undefined : parentType.getFields()[name];
	if (!definition) return 0;
	const named = getNamedType(definition.type);
	if (isLeafType(named)) return 0;
	const actual = data !== undefined;
	const value = actual ? data?.[node.alias?.value ?? name] : undefined;
	if (actual && value == null) return 0;
	if (isConnectionType(named)) return connectionCost(ctx, named, node, argumentsOf(ctx, definition, node), value);
	if (isListType(getNullableType(definition.type))) {
		if (actual) return value.reduce((sum, item) => sum + (item == null ? 0 : 1 + selectionCost(ctx, named, node.selectionSet, item)), 0);
		const args = argumentsOf(ctx, definition, node);
		const size = args.first ?? args.last ?? (Array.isArray(args.ids) ? args.ids.length : 1);
		return size * (1 + selectionCost(ctx, named, node.selectionSet));
	}
	return 1 + selectionCost(ctx, named, node.selectionSet, value);
}

/** 2 + size × one node, where a node is reached through `nodes` or `edges { node }` (the dearer of the two). */
function connectionCost(ctx, connectionType, node, args, value) {
	const nodeType = getNamedType(connectionType.getFields().nodes?.type ?? connectionType.getFields().edges.type);
	const paths = [];
	for (const { node: field } of collectFields(ctx, node.selectionSet)) {
		const key = field.alias?.value ?? field.name.value;
		if (field.name.value === 'nodes') {
			paths.push({ items: (v) => v?.[key] ?? [], selectionSet: field.selectionSet });
		} else if (field.name.value === 'edges') {
			for (const { node: inner } of collectFields(ctx, field.selectionSet)) {
				if (inner.name.value !== 'node') continue;
				const innerKey = inner.alias?.value ?? 'node';
				paths.push({ items: (v) => (v?.[key] ?? []).map((edge) => edge?.[innerKey]), selectionSet: inner.selectionSet });
			}
		}
	}
	const realNodeType = isObjectType(nodeType) && nodeType.getFields().node ? getNamedType(nodeType.getFields().node.type) : nodeType;
	const perNode = (item) => Math.max(0, ...paths.map((path) => (isLeafType(realNodeType) ? 0 : 1 + selectionCost(ctx, realNodeType, path.selectionSet, item))));
	if (value === undefined) return 2 + (args.first ?? args.last ?? 0) * perNode(undefined);
	const count = Math.max(0, ...paths.map((path) => path.items(value).length));
	let cost = 2;
	for (let i = 0; i < count; i++) {
		cost += Math.max(0, ...paths.map((path) => {
			const item = path.items(value)[i];
			return item == null || isLeafType(realNodeType) ? 0 : 1 + selectionCost(ctx, realNodeType, path.selectionSet, item);
		}));
	}
	return cost;
}

/** The cost of one operation; pass the execution result's data for the actual cost. */
function operationCost({ schema, document, operation, variables }, data) {
	const fragments = Object.fromEntries(
		document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
	);
	const ctx = { schema, fragments, variables: variables ?? {} };
	if (operation.operation === 'mutation') {
		const roots = collectFields(ctx, operation.selectionSet).filter(({ node }) => !node.name.value.startsWith('__'));
		return MUTATION_COST * roots.length;
	}
	return selectionCost(ctx, schema.getQueryType(), operation.selectionSet, data === undefined ? undefined : data ?? {});
}

/** Shopify's leaky bucket: 2,000 points, restoring 100 points a second. */
function createBucket({ size = BUCKET_SIZE, restoreRate = RESTORE_RATE, now = () => Date.now() } = {}) {
	let available = size;
	let checkedAt = now();
	// what the app has spent since the last reset (points charged, less refunds) and how many requests were
	// throttled: the stand-in's own count for tests and benchmarks, never part of Shopify's answer
	let spent = 0;
	let throttled = 0;
	let byOperation = new Map();
	const countFor = (operation) => {
		if (!byOperation.has(operation)) byOperation.set(operation, { points: 0, requests: 0, throttled: 0 });
		return byOperation.get(operation);
	};
	const refill = () => {
		const at = now();
		available = Math.min(size, available + ((at - checkedAt) / 1000) * restoreRate);
		checkedAt = at;
		return available;
	};
	return {
		available: refill,
		/** `operation`: the query's name, for the count by operation. */
		take(points, operation = '(anonymous)') {
			const counted = countFor(operation);
			if (refill() < points) {
				throttled += 1;
				counted.throttled += 1;
				return false;
			}
			available -= points;
			spent += points;
			counted.points += points;
			counted.requests += 1;
			return true;
		},
		refund(points, operation = '(anonymous)') {
			refill();
			available = Math.min(size, available + points);
			spent -= points;
			countFor(operation).points -= points;
		},
		set(points) {
			refill();
			available = Math.max(0, Math.min(size, points));
		},
		status: () => ({ maximumAvailable: size, currentlyAvailable: Math.floor(refill()), restoreRate }),
		usage: () => ({ pointsSpent: spent, throttled, byOperation: Object.fromEntries(byOperation) }),
		resetUsage() {
			spent = 0;
			throttled = 0;
			byOperation = new Map();
		},
	};
}

module.exports = { operationCost, createBucket, isConnectionType, MAX_SINGLE_QUERY_COST };

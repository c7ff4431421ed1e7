'use strict';
/**
 * Bulk query operations (https://shopify.dev/docs/api/usage/bulk-operations/queries): bulkOperationRunQuery
 * checks the inner query against the schema and Shopify's bulk rules (at least one connection, at most five,
 * connections nested at most two deep, `id` on a node whose nested connections need a __parentId, no top-level
 * node/nodes, no variables), then runs it in the background over the whole store, every page, `first` ignored.
 * The result is JSONL as Shopify writes it: one line per connection node, nested connection nodes on their own
 * lines after their parent's, with `__parentId`. Status goes CREATED -> RUNNING -> COMPLETED (FAILED,
 * CANCELING -> CANCELED). `url` is a signed link on the stand-in itself (GET /__standin/bulk/<id>.jsonl?token=,
 * no access token needed, as with Shopify's storage links). bulkOperationCancel stops a running operation.
 *
 * Concurrency follows the API version: up to 2025-10 one bulk query at a time per shop (OPERATION_IN_PROGRESS),
 * from 2026-01 up to five (LIMIT_REACHED). Only the mutation itself costs points; the background run is free.
 */
const { randomBytes, timingSafeEqual } = require('node:crypto');
const { parse, validate, getOperationAST, execute, Kind, getNamedType, isObjectType, isInterfaceType, isLeafType } = require('graphql');
const { createResolvers } = require('./shopify-resolvers.js');
const { requireGid } = require('./shopify-gid.js');
const { isConnectionType } = require('./shopify-cost.js');
const { gid, iso } = require('./shopify-records.js');

const MAX_CONNECTIONS = 5;
const MAX_CONNECTION_DEPTH = 2;
/** Root objects executed per slice; the event loop gets a turn between slices, so polls are answered. */
const SLICE = 1_000;
/** The operation stays CREATED this long, and takes at least RUN_MS in all, so clients see it progress. */
const START_DELAY_MS = 100;
const RUN_MS = 300;
const ACTIVE = new Set(['CREATED', 'RUNNING', 'CANCELING']);

let lastBulkId = 4_100_000;
const { fieldResolver, typeResolver } = createResolvers({ mutations: {} });

const concurrencyLimit = (version) => (version === 'unstable' || version >= '2026-01' ? 5 : 1);
const invalid = (message) => ({ field: ['query'], message, code: 'INVALID' });

// ---- the inner query: schema and bulk rules -------------------------------------------------------------

/** Fields of a selection set, fragments flattened, each with the type it is selected on. */
function fieldsOf(selectionSet, parentType, fragments, schema, out = []) {
	for (const selection of selectionSet?.selections ?? []) {
		if (selection.kind === Kind.FIELD) {
			out.push({ node: selection, parentType });
		} else {
			const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
			const typeName = fragment?.typeCondition?.name.value;
			if (fragment) fieldsOf(fragment.selectionSet, typeName ? schema.getType(typeName) : parentType, fragments, schema, out);
		}
	}
	return out;
}

const fieldDefinition = (type, name) => (isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined);
const responseKey = (node) => node.alias?.value ?? node.name.value;

/**
 * A plan of the selection on `type`: response key -> { kind: 'connection', nodesKey, edgesKey, nodeKey, node }
 * | { kind: 'object', plan } ; leaves are left out. Also counts connections and their depth into `stats`.
 */
function planSelection(selectionSet, type, ctx, depth, stats) {
	const plan = {};
	for (const { node, parentType } of fieldsOf(selectionSet, type, ctx.fragments, ctx.schema)) {
		const definition = fieldDefinition(parentType, node.name.value);
		if (!definition) continue;
		const named = getNamedType(definition.type);
		if (isLeafType(named)) continue;
		const key = responseKey(node);
		if (isConnectionType(named)) {
			stats.connections += 1;
			stats.depth = Math.max(stats.depth, depth + 1);
			const entry = { kind: 'connection', name: node.name.value, node: {} };
			for (const inner of fieldsOf(node.selectionSet, named, ctx.fragments, ctx.schema)) {
				const innerName = inner.node.name.value;
				const nodeType = getNamedType(fieldDefinition(named, innerName)?.type);
				if (innerName === 'nodes') {
					entry.nodesKey = responseKey(inner.node);
					Object.assign(entry.node, planNode(inner.node.selectionSet, nodeType, ctx, depth + 1, stats));
				} else if (innerName === 'edges') {
					entry.edgesKey = responseKey(inner.node);
					for (const edgeField of fieldsOf(inner.node.selectionSet, nodeType, ctx.fragments, ctx.schema)) {
						if (edgeField.node.name.value !== 'node') continue;
						entry.nodeKey = responseKey(edgeField.node);
						const realType = getNamedType(fieldDefinition(nodeType, 'node')?.type);
						Object.assign(entry.node, planNode(edgeField.node.selectionSet, realType, ctx, depth + 1, stats));
					}
				}
			}
			plan[key] = entry;
		} else {
			plan[key] = { kind: 'object', plan: planSelection(node.selectionSet, named, ctx, depth, stats) };
		}
	}
	return plan;
}

/** A connection's node: its plan, and whether it selects a plain `id` its nested connections can point to. */
function planNode(selectionSet, type, ctx, depth, stats) {
	const plan = planSelection(selectionSet, type, ctx, depth, stats);
	const fields = fieldsOf(selectionSet, type, ctx.fragments, ctx.schema);
	const hasId = fields.some(({ node }) => node.name.value === 'id' && !node.alias);
	const nested = nestedConnections(plan);
	if (nested.length && !hasId) stats.missingId.push(...nested);
	return plan;
}

function nestedConnections(plan) {
	return Object.values(plan).flatMap((entry) => (entry.kind === 'connection' ? [entry.name] : entry.kind === 'object' ? nestedConnections(entry.plan) : []));
}

/** Checks the inner query; returns { userErrors } or { document, plan }. */
function checkBulkQuery(query, schema) {
	let document;
	try {
		document = parse(query);
	} catch (error) {
		return { userErrors: [invalid(`Invalid bulk query: ${error.message}`)] };
	}
	const errors = validate(schema, document);
	if (errors.length) return { userErrors: [invalid(`Invalid bulk query: ${errors[0].message}`)] };
	const operation = getOperationAST(document);
	if (!operation) return { userErrors: [invalid('Invalid bulk query: a bulk query must contain exactly one operation')] };
	if (operation.operation !== 'query') return { userErrors: [invalid(`Invalid bulk query: bulkOperationRunQuery only runs queries, not a ${operation.operation}`)] };
	if (operation.variableDefinitions?.length) return { userErrors: [invalid('Invalid bulk query: variables are not supported in bulk queries')] };
	const fragments = Object.fromEntries(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
	const ctx = { schema, fragments };
	const roots = fieldsOf(operation.selectionSet, schema.getQueryType(), fragments, schema).filter(({ node }) => !node.name.value.startsWith('__'));
	const topLevelNode = roots.find(({ node }) => node.name.value === 'node' || node.name.value === 'nodes');
	if (topLevelNode) return { userErrors: [invalid(`Bulk queries cannot use the top-level \`${topLevelNode.node.name.value}\` field`)] };
	const stats = { connections: 0, depth: 0, missingId: [] };
	const plan = planSelection(operation.selectionSet, schema.getQueryType(), ctx, 0, stats);
	if (stats.connections === 0) return { userErrors: [invalid('Bulk queries must contain at least one connection.')] };
	if (stats.connections > MAX_CONNECTIONS) {
		return { userErrors: [invalid(`Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections (this one has ${stats.connections}).`)] };
	}
	if (stats.depth > MAX_CONNECTION_DEPTH) {
		return { userErrors: [invalid(`Bulk queries cannot contain connections with a nesting depth greater than ${MAX_CONNECTION_DEPTH}.`)] };
	}
	if (stats.missingId.length) {
		return {
			userErrors: [invalid("The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. " +
				`Connection fields without 'id': ${[...new Set(stats.missingId)].join(', ')}.`)],
		};
	}
	return { document, plan, root: roots.length === 1 && plan[responseKey(roots[0].node)]?.kind === 'connection' };
}

// ---- JSONL --------------------------------------------------------------------------------------------

function connectionNodes(value, entry) {
	if (!value) return [];
	if (entry.nodesKey && Array.isArray(value[entry.nodesKey])) return value[entry.nodesKey];
	if (entry.edgesKey && Array.isArray(value[entry.edgesKey])) return value[entry.edgesKey].map((edge) => edge?.[entry.nodeKey]);
	return [];
}

/** A copy of `object` without its connections, which are collected (with the object's plan) into `nested`. */
function strip(object, plan, nested) {
	if (Array.isArray(object)) return object.map((item) => strip(item, plan, nested));
	if (object === null || typeof object !== 'object') return object;
	const out = {};
	for (const [key, value] of Object.entries(object)) {
		const entry = plan[key];
		if (entry?.kind === 'connection') nested.push([value, entry]);
		else out[key] = entry?.kind === 'object' ? strip(value, entry.plan, nested) : value;
	}
	return out;
}

/** Appends the lines for `object` (and, after it, its nested connections' nodes) to `out`. */
function writeObject(object, plan, parentId, out) {
	const nested = [];
	const line = strip(object, plan, nested);
	if (parentId) line.__parentId = parentId;
	out.lines.push(JSON.stringify(line));
	out.objects += 1;
	for (const [value, entry] of nested) {
		for (const node of connectionNodes(value, entry)) if (node) writeObject(node, entry.node, object.id ?? parentId, out);
	}
}

function writeData(data, plan, out) {
	for (const [key, value] of Object.entries(data ?? {})) {
		const entry = plan[key];
		if (!entry || value == null) continue;
		if (entry.kind === 'connection') {
			for (const node of connectionNodes(value, entry)) {
				if (!node) continue;
				out.roots += 1;
				writeObject(node, entry.node, null, out);
			}
		} else {
			out.roots += 1;
			writeObject(value, entry.plan, null, out);
		}
	}
}

// ---- running ------------------------------------------------------------------------------------------

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const turn = () => new Promise((resolve) => setImmediate(resolve));

function finish(operation, status, out, errorCode = null) {
	const file = Buffer.from(out.lines.length ? `${out.lines.join('\n')}\n` : '', 'utf8');
	operation.status = status;
	operation.completedAt = iso(new Date());
	operation.errorCode = errorCode;
	operation.objectCount = String(out.objects);
	operation.rootObjectCount = String(out.roots);
	if (status === 'COMPLETED' || (status === 'FAILED' && file.length)) {
		operation._file = file;
		operation.fileSize = String(file.length);
		const link = `${operation._origin}/__standin/bulk/${operation._number}.jsonl?token=${operation._token}`;
		if (status === 'COMPLETED') operation.url = link;
		else operation.partialDataUrl = link;
	}
}

async function run(operation, { store, schema, version, document, plan, root }) {
	const startedAt = Date.now();
	await pause(START_DELAY_MS);
	const out = { lines: [], objects: 0, roots: 0 };
	if (operation.status === 'CANCELING') return finish(operation, 'CANCELED', out);
	operation.status = 'RUNNING';
	const bulk = { start: 0, end: root ? SLICE : Number.POSITIVE_INFINITY };
	try {
		for (;;) {
			const context = { store, searchWarnings: [], version, bulk };
			const result = execute({ schema, document, contextValue: context, fieldResolver, typeResolver });
			if (result.errors?.length) {
				console.error(`[shopify] bulk operation ${operation.id} failed: ${result.errors[0].message}`);
				return finish(operation, 'FAILED', out, 'INTERNAL_SERVER_ERROR');
			}
			writeData(result.data, plan, out);
			operation.objectCount = String(out.objects);
			operation.rootObjectCount = String(out.roots);
			if (!root || bulk.end >= (bulk.rootEntries?.length ?? 0)) break;
			bulk.start = bulk.end;
			bulk.end += SLICE;
			await turn();
			if (operation.status === 'CANCELING') return finish(operation, 'CANCELED', out);
		}
	} catch (error) {
		console.error(`[shopify] bulk operation ${operation.id} failed: ${error.stack}`);
		return finish(operation, 'FAILED', out, 'INTERNAL_SERVER_ERROR');
	}
	await pause(Math.max(0, RUN_MS - (Date.now() - startedAt)));
	if (operation.status === 'CANCELING') return finish(operation, 'CANCELED', out);
	return finish(operation, 'COMPLETED', out);
}

// ---- mutations ----------------------------------------------------------------------------------------

function bulkOperationRunQuery(args, ctx, info) {
	const { store, version, origin } = ctx;
	const schema = info.schema;
	const checked = checkBulkQuery(args.query, schema);
	if (checked.userErrors) {
		store.log({ mutation: 'bulkOperationRunQuery', userErrors: checked.userErrors });
		return { bulkOperation: null, userErrors: checked.userErrors };
	}
	const running = [...store.bulkOperations.values()].filter((op) => op.type === 'QUERY' && ACTIVE.has(op.status));
	const limit = concurrencyLimit(version);
	if (running.length >= limit) {
		const userErrors = [limit === 1
			? { field: null, message: `A bulk query operation for this app and shop is already in progress: ${running[0].id}.`, code: 'OPERATION_IN_PROGRESS' }
			: { field: null, message: `Bulk operations limit reached. You can run up to ${limit} bulk query operations at a time. Please try again later.`, code: 'LIMIT_REACHED' }];
		store.log({ mutation: 'bulkOperationRunQuery', userErrors });
		return { bulkOperation: null, userErrors };
	}
	lastBulkId += 1;
	const operation = {
		__typename: 'BulkOperation',
		id: gid('BulkOperation', lastBulkId),
		status: 'CREATED',
		errorCode: null,
		createdAt: iso(new Date()),
		completedAt: null,
		objectCount: '0',
		rootObjectCount: '0',
		fileSize: null,
		url: null,
		partialDataUrl: null,
		query: args.query,
		type: 'QUERY',
		_number: lastBulkId,
		_token: randomBytes(24).toString('hex'),
		_origin: origin,
		_file: null,
	};
	store.bulkOperations.set(operation.id, operation);
	store.log({ mutation: 'bulkOperationRunQuery', id: operation.id, userErrors: [] });
	run(operation, { store, schema, version, ...checked }).catch((error) => console.error(`[shopify] bulk run: ${error.stack}`));
	return { bulkOperation: operation, userErrors: [] };
}

function bulkOperationCancel({ id }, { store }) {
	requireGid(id);
	const operation = store.bulkOperations.get(id.split('?')[0]);
	let userErrors = [];
	if (!operation) userErrors = [{ field: ['id'], message: 'Bulk operation does not exist' }];
	else if (!ACTIVE.has(operation.status)) userErrors = [{ field: null, message: `A bulk operation cannot be canceled when it is ${operation.status.toLowerCase()}` }];
	else operation.status = 'CANCELING';
	store.log({ mutation: 'bulkOperationCancel', id, userErrors });
	return { bulkOperation: operation ?? null, userErrors };
}

/** GET /__standin/bulk/<n>.jsonl?token=...: the file, or null (404) for an unknown operation or a wrong token. */
function bulkDownload(store, number, token) {
	const operation = store.bulkOperations.get(gid('BulkOperation', number));
	if (!operation?._file || typeof token !== 'string') return null;
	const a = Buffer.from(token);
	const b = Buffer.from(operation._token);
	return a.length === b.length && timingSafeEqual(a, b) ? operation._file : null;
}

module.exports = { bulkOperationRunQuery, bulkOperationCancel, bulkDownload, checkBulkQuery };

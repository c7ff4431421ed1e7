#!/usr/bin/env node
'use strict';
/**
 * One measured win-back run, in a process of its own (started by bench/winback-scale.js with
 * CX_STANDINS_DIR pointing at a private stand-in set and NODE_EXTRA_CA_CERTS at its CA bundle): the
 * compiled node's execute() with credentials on the stand-ins, through the real SDKs, a real run (not dry).
 * Prints one JSON line: the summary, wall time, memory (peak RSS from the kernel, heap sampled during the
 * run), HTTP requests per service as this process made them, and where the time went.
 *
 * Requests are counted on the way out: globalThis.fetch (supabase-js, @shopify/shopify-api's node adapter
 * and the bulk result download use it) and http(s).request (axios under @sendgrid/client), both wrapped
 * before any SDK is loaded, since the Shopify adapter keeps the fetch it finds at load time.
 */
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const path = require('node:path');
const v8 = require('node:v8');
const { performance } = require('node:perf_hooks');

const root = path.resolve(__dirname, '..');
const env = JSON.parse(fs.readFileSync(path.join(process.env.CX_STANDINS_DIR, 'env.json'), 'utf8'));

// ---- requests, by host:port --------------------------------------------------------------------------

const requests = new Map();
const countRequest = (host) => requests.set(host, (requests.get(host) ?? 0) + 1);
const plainFetch = globalThis.fetch;
globalThis.fetch = function countedFetch(input, init) {
	const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : new URL(input.url);
	countRequest(`${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`);
	return plainFetch.call(this, input, init);
};
for (const [module, defaultPort] of [[http, 80], [https, 443]]) {
	for (const name of ['request', 'get']) {
		const original = module[name];
		module[name] = function countedRequest(first, second, ...rest) {
			const options = typeof first === 'string' || first instanceof URL ? new URL(first) : first ?? {};
			const extra = second && typeof second === 'object' && !(second instanceof URL) ? second : {};
			const hostname = extra.hostname ?? extra.host ?? options.hostname ?? options.host ?? 'localhost';
			countRequest(`${String(hostname).replace(/:\d+$/, '')}:${extra.port ?? options.port ?? defaultPort}`);
			return original.call(this, first, second, ...rest);
		};
	}
}

const hostOf = (url) => {
	const parsed = new URL(url);
	return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? 443 : 80)}`;
};
const services = {
	shopify: hostOf(`https://${env.shopify.shopDomain}`),
	supabase: hostOf(env.supabase.url),
	sendgrid: hostOf(env.sendgrid.baseUrl),
};

// ---- where the time goes ------------------------------------------------------------------------------

/**
 * label -> { calls, ms }, in the order registered. The node's steps run one after another; a service call
 * is labelled with the step it happens in ("execute" outside them), so each step's own CPU time is its
 * total minus its calls.
 */
const timings = new Map();
let currentStep;
function record(label, ms) {
	const entry = timings.get(label) ?? { calls: 0, ms: 0 };
	entry.calls++;
	entry.ms += ms;
	timings.set(label, entry);
}
function step(owner, name, label, sync = false) {
	const original = owner[name];
	timings.set(label, { calls: 0, ms: 0 });
	owner[name] = sync
		? function timedStep(...args) {
				const start = performance.now();
				currentStep = label;
				try {
					return original.apply(this, args);
				} finally {
					currentStep = undefined;
					record(label, performance.now() - start);
				}
			}
		: async function timedStep(...args) {
				const start = performance.now();
				currentStep = label;
				try {
					return await original.apply(this, args);
				} finally {
					currentStep = undefined;
					record(label, performance.now() - start);
				}
			};
}
function call(owner, name, label) {
	const original = owner[name];
	owner[name] = async function timedCall(...args) {
		const where = currentStep ?? 'execute';
		const start = performance.now();
		try {
			return await original.apply(this, args);
		} finally {
			record(`${where} > ${label}`, performance.now() - start);
		}
	};
}

const dist = (file) => require(path.join(root, 'dist', file));
const { ShopifyService } = dist('nodes/shared/services/shopify/client.js');
const shopifyCustomers = dist('nodes/shared/services/shopify/customers.js');
const shopifyDiscounts = dist('nodes/shared/services/shopify/discounts.js');
const ticketsStore = dist('nodes/shared/store/tickets.js');
const compensationStore = dist('nodes/shared/store/compensationLedger.js');
const winbackStore = dist('nodes/shared/store/winbackSends.js');
const { SupabaseService } = dist('nodes/shared/services/supabase.js');
const { SendGridService } = dist('nodes/shared/services/sendgrid.js');
const winbackRun = dist('nodes/CxWinBack/winbackRun.js');
const winback = dist('nodes/CxWinBack/winback.js');
const { CxWinBack } = dist('nodes/CxWinBack/CxWinBack.node.js');

// the steps of execute(), in order (the compiled node calls them through the module objects)
step(shopifyCustomers, 'retentionCustomers', 'customers: Shopify bulk export');
step(winbackRun, 'contactsFor', 'plan: contactsFor', true);
step(winback, 'planWinBack', 'plan: planWinBack', true);
step(winbackRun, 'recordPlannedSends', 'ledger: recordPlannedSends');
step(winbackRun, 'makeCodes', 'codes: makeCodes');
step(winbackRun, 'sendMail', 'send: sendMail');
// the service calls in and between them
call(ShopifyService.prototype, 'download', 'shopify: download + parse JSONL');
call(ticketsStore, 'openTicketCustomers', 'supabase: read open tickets');
call(compensationStore, 'compensationsSince', 'supabase: read compensations');
call(winbackStore, 'winbackSends', 'supabase: read winback_sends');
call(SupabaseService.prototype, 'insertMissing', 'supabase: insertMissing');
call(SupabaseService.prototype, 'upsert', 'supabase: upsert');
call(shopifyDiscounts, 'createDiscountCode', 'shopify: createDiscountCode');
call(shopifyDiscounts, 'addRedeemCodes', 'shopify: addRedeemCodes');
call(SendGridService.prototype, 'sendBatch', 'sendgrid: sendBatch');

/** The bulk operation as the node saw it: its id, and when each poll came back with which status. */
const bulk = { id: undefined, polls: [] };
{
	const query = ShopifyService.prototype.query;
	ShopifyService.prototype.query = async function watchedQuery(document, variables) {
		const answer = await query.call(this, document, variables);
		if (document.includes('bulkOperationRunQuery')) bulk.id = answer.data?.bulkOperationRunQuery?.bulkOperation?.id ?? bulk.id;
		if (document.includes('CxBulkOperation')) bulk.polls.push({ at: Date.now(), status: answer.data?.node?.status });
		return answer;
	};
}

// ---- memory --------------------------------------------------------------------------------------------

const memory = { heapUsedPeak: 0, rssPeak: 0, samples: 0 };
function sample() {
	const { rss, heapUsed } = process.memoryUsage();
	memory.samples++;
	if (heapUsed > memory.heapUsedPeak) memory.heapUsedPeak = heapUsed;
	if (rss > memory.rssPeak) memory.rssPeak = rss;
}

// ---- the run -------------------------------------------------------------------------------------------

const GROUP = 4242;
const parameters = {
	source: 'shopify',
	dryRun: false,
	codeMode: 'perCustomer',
	unsubscribeGroupId: GROUP,
	// the store's anchor (env.json): the run acts on the day the stand-in store's history ends, whatever the calendar says
	options: { now: env.anchor, storeName: 'Example Store', storeUrl: 'https://shop.example-store.test' },
};
const credentials = {
	cxShopifyAdminApi: { shopDomain: env.shopify.shopDomain, accessToken: env.shopify.accessToken, apiVersion: env.shopify.apiVersion },
	cxSupabaseApi: { url: env.supabase.url, serviceRoleKey: env.supabase.serviceRoleKey },
	cxSendGridApi: { apiKey: env.sendgrid.apiKey, senderEmail: env.sendgrid.senderEmail, senderName: 'Example Store Support', baseUrl: env.sendgrid.baseUrl },
};
const context = {
	getInputData: () => [{ json: {} }],
	getNodeParameter: (name, _index, fallback) => parameters[name] ?? fallback,
	getNode: () => ({ name: 'CX Win-Back', type: 'n8n-nodes-cx-director.cxWinBack', typeVersion: 1, position: [0, 0], parameters: {} }),
	continueOnFail: () => true,
	getTimezone: () => 'UTC',
	getCredentials: async (type) => {
		if (!credentials[type]) throw new Error(`no stand-in credential of type ${type}`);
		return credentials[type];
	},
};

/** A stand-in's test endpoint, through the plain fetch so that it is not counted. */
async function shopifyState() {
	const response = await plainFetch(`https://${env.shopify.shopDomain}/__standin/state`, { headers: { 'X-Shopify-Access-Token': env.shopify.accessToken } });
	if (!response.ok) throw new Error(`shopify /__standin/state: HTTP ${response.status}`);
	return response.json();
}

async function bulkOperation(id) {
	const response = await plainFetch(`https://${env.shopify.shopDomain}/admin/api/${env.shopify.apiVersion}/graphql.json`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': env.shopify.accessToken },
		body: JSON.stringify({ query: 'query($id: ID!) { node(id: $id) { ... on BulkOperation { createdAt completedAt objectCount fileSize } } }', variables: { id } }),
	});
	return (await response.json()).data?.node;
}

async function main() {
	const before = await shopifyState();
	global.gc?.();
	const baseline = process.memoryUsage();
	sample();
	const timer = setInterval(sample, 10);
	currentStep = undefined;
	const start = performance.now();
	const [customers, [summary]] = await new CxWinBack().execute.call(context);
	const wallMs = performance.now() - start;
	sample();
	clearInterval(timer);
	const after = await shopifyState();
	const operation = bulk.id ? await bulkOperation(bulk.id) : undefined;

	const mutations = {};
	for (const entry of after.mutationLog.slice(before.mutationLog.length)) mutations[entry.mutation] = (mutations[entry.mutation] ?? 0) + 1;
	const byHost = Object.fromEntries(requests);
	const result = {
		summary: summary.json,
		outputItems: customers.length,
		wallMs,
		memory: {
			// the kernel's high-water mark for the whole process (includes the SDKs and Node itself)
			maxRss: process.resourceUsage().maxRSS * 1024,
			rssPeak: memory.rssPeak,
			heapUsedPeak: memory.heapUsedPeak,
			heapUsedBefore: baseline.heapUsed,
			rssBefore: baseline.rss,
			heapSizeLimit: v8.getHeapStatistics().heap_size_limit,
			samples: memory.samples,
		},
		requests: {
			shopifyGraphql: after.graphqlRequests - before.graphqlRequests,
			shopifyFetch: byHost[services.shopify] ?? 0,
			supabase: byHost[services.supabase] ?? 0,
			sendgrid: byHost[services.sendgrid] ?? 0,
			other: Object.entries(byHost).filter(([host]) => !Object.values(services).includes(host)),
		},
		mutations,
		bulk: operation
			? {
					objectCount: Number(operation.objectCount),
					fileSize: Number(operation.fileSize),
					// created -> completed on the store's side, and how long after completion the node's poll saw it
					runMs: Date.parse(operation.completedAt) - Date.parse(operation.createdAt),
					seenAfterMs: (bulk.polls.find((poll) => poll.status === 'COMPLETED')?.at ?? NaN) - Date.parse(operation.completedAt),
					polls: bulk.polls.length,
				}
			: undefined,
		timings: Object.fromEntries(timings),
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});

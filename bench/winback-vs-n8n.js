#!/usr/bin/env node
'use strict';
/**
 * Win-back in a real n8n: CX Win-Back against the same job built from n8n's own nodes, the way stores build it
 * today (list the customers, filter them, one send per customer), both against stand-ins that add 20 ms to every
 * request; then the pack alone at 100,000 customers with Options > Output "Summary Only".
 * The requirements it checks: at 10,000 customers at least 100x fewer requests and 20x less wall time than the
 * n8n-built job; at 100,000 customers n8n's peak memory under 1 GB and a small execution saved.
 *
 *   node bench/winback-vs-n8n.js [--customers 10000] [--large 100000] [--runs 3] [--n8n-runs 0]
 *                                [--latency 20] [--base-port 31520] [--port <n8n port>] [--no-large-per-customer]
 *   (after `npm run build`; `npm run bench` runs it last)
 *
 * Each store size gets a private stand-in set (CX_STANDINS_DIR in a temporary directory, CX_STANDINS_BASE_PORT
 * from --base-port, CX_SHOPIFY_CUSTOMERS the size, CX_STANDINS_LATENCY_MS the latency), started before and
 * stopped after it, so shared stand-ins are never touched. n8n 2.x (scripts/provision.sh's) starts in a fresh user
 * folder with the pack installed as a community package, as a store installs it.
 *
 * The workflows, each started by a webhook that answers when the run has ended (timed from the POST to the last
 * byte of the answer):
 *
 *   pack      Webhook -> CX Win-Back (Customers From: Shopify, a code per customer, as of the store's anchor)
 *             -> Summary (No Operation) -> answer: the node's summary
 *   n8n-built Webhook -> List customers (HTTP Request, Admin GraphQL, paginated) -> Split Out -> Dormant and
 *             subscribed (Filter on the last order's date) -> Send (HTTP Request, POST /v3/mail/send, one per
 *             customer) -> Count (Summarize) -> answer: how many sends SendGrid accepted
 *
 * Why HTTP Request nodes and not n8n's Shopify and SendGrid nodes: n8n's Shopify node has no customer resource
 * (orders and products only) and calls a fixed https://<shop>.myshopify.com/admin/api/2024-07 REST address; its
 * SendGrid node calls a fixed https://api.sendgrid.com/v3. Neither can be pointed at a stand-in, and the Shopify
 * stand-in serves the Admin GraphQL API only (as Shopify asks new apps to use). So the customers are listed the
 * way n8n's docs show for GraphQL APIs: HTTP Request with n8n's own Shopify credential (Access Token) and its
 * Pagination option (the cursor in the body's variables), and the mail goes out through HTTP Request with n8n's
 * own SendGrid credential, one request per customer. Two consequences, both the real services':
 *  - a page of 200 customers costs about 800 of Shopify's query points (250 would cost 1,002, over the 1,000 a
 *    query may cost), and a standard store's bucket refills 100 points a second, so the workflow waits
 *    "Interval Between Requests" 8,000 ms between pages, as a store must (without it Shopify answers THROTTLED
 *    from the third page on, with HTTP 200, and the pagination stops with an error);
 *  - HTTP Request sends all its items' requests at once (n8n's SendGrid node would send them one after another,
 *    which is slower still).
 * The filter is what a store writes by hand: subscribed to email marketing and the last order more than 90 days
 * before the store's anchor. It mails a different number of customers than the pack's rule (each customer's own
 * rhythm, cooldowns, suppressions); both counts are printed. It makes no codes and keeps no ledger: the pack does
 * more work with fewer requests.
 *
 * Requests are counted on the stand-ins' side: Shopify's /__standin/state (GraphQL requests answered; the bulk
 * operation's JSONL download, one per bulk operation, is added), and a counting proxy in this process in front of
 * SendGrid and Supabase (both plain HTTP), which the credentials point at. Every request counts, refused or not.
 *
 * At 100,000 customers the pack runs once with Output "Summary Only" and then once with "One Item per Customer"
 * (unless --no-large-per-customer), each from an empty ledger. Memory: the n8n process's high-water mark
 * (/proc/<pid>/status VmHWM, its whole life to that point) and the peak of the process group's RSS (n8n and its
 * task runner), sampled every 200 ms. Execution data: the bytes n8n stored for the run (execution_data.data in
 * its SQLite database, read with the sqlite3 command) and how much the database file grew.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const { spawnSync, execFileSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const n8n = require('../scripts/n8n-local.js');

const root = path.resolve(__dirname, '..');
const PACKAGE_NAME = require(path.join(root, 'package.json')).name;
const standinsScript = path.join(root, 'scripts', 'standins.js');
const MARKETING_GROUP = 4100;
const MB = 1024 * 1024;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function parseArgs(argv) {
	const value = (name, fallback) => {
		const at = argv.indexOf(`--${name}`);
		return at === -1 ? fallback : Number(argv[at + 1]);
	};
	return {
		customers: value('customers', 10_000),
		large: value('large', 100_000),
		runs: value('runs', 3),
		// 0: as many as --runs when one run of the n8n-built job takes under 3 minutes, else one
		n8nRuns: value('n8n-runs', 0),
		latency: value('latency', 20),
		basePort: value('base-port', Number(process.env.CX_BENCH_WINBACK_N8N_BASE_PORT || 31520)),
		port: value('port', 0),
		largePerCustomer: !argv.includes('--no-large-per-customer'),
	};
}

// ---------------------------------------------------------------------------------------------------------
// Stand-ins, one private set per store size

const running = new Set();

function standins(command, set) {
	const result = spawnSync(process.execPath, [standinsScript, command], {
		env: { ...process.env, CX_STANDINS_DIR: set.dir, CX_STANDINS_BASE_PORT: String(set.basePort), CX_SHOPIFY_CUSTOMERS: String(set.customers), CX_STANDINS_LATENCY_MS: String(set.latency) },
		encoding: 'utf8',
		timeout: 15 * 60_000,
	});
	if (result.status !== 0) throw new Error(`stand-ins ${command} (${set.customers} customers, port ${set.basePort}) failed:\n${result.stdout}${result.stderr}`);
}

function startSet(customers, basePort, latency) {
	const set = { customers, basePort, latency, dir: fs.mkdtempSync(path.join(os.tmpdir(), `cx-bench-wb-n8n-${customers}-`)) };
	const began = Date.now();
	process.stderr.write(`stand-ins: ${customers} customers, ${latency} ms a request, on ${basePort} ...`);
	running.add(set);
	standins('start', set);
	process.stderr.write(` ${((Date.now() - began) / 1000).toFixed(0)} s\n`);
	set.env = JSON.parse(fs.readFileSync(path.join(set.dir, 'env.json'), 'utf8'));
	return set;
}

function stopSet(set) {
	if (!running.delete(set)) return;
	try {
		standins('stop', set);
	} finally {
		fs.rmSync(set.dir, { recursive: true, force: true });
	}
}

/** SendGrid's control endpoints (/__standin/...; these answer without the added latency), with the key. */
async function sendgridControl(set, route, init = {}) {
	const response = await fetch(`${set.env.sendgrid.baseUrl}${route}`, { ...init, headers: { authorization: `Bearer ${set.env.sendgrid.apiKey}` } });
	const text = await response.text();
	if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${route}: HTTP ${response.status} ${text.slice(0, 300)}`);
	return text ? JSON.parse(text) : undefined;
}

/** Shopify's control endpoints: https with the set's own CA, which this process was not started trusting. */
function shopifyControl(set, route, method = 'GET', body) {
	const { hostname, port } = new URL(set.env.shopify.adminUrl);
	return new Promise((resolve, reject) => {
		const request = https.request({ hostname, port, path: route, method, ca: fs.readFileSync(set.env.shopify.caFile), headers: { 'X-Shopify-Access-Token': set.env.shopify.accessToken, 'content-type': 'application/json' } }, (response) => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk) => (text += chunk));
			response.on('end', () => (response.statusCode < 300 ? resolve(text ? JSON.parse(text) : undefined) : reject(new Error(`Shopify ${route}: HTTP ${response.statusCode} ${text.slice(0, 300)}`))));
		});
		request.on('error', reject);
		request.end(body === undefined ? undefined : JSON.stringify(body));
	});
}

const shopifyRequests = async (set) => (await shopifyControl(set, '/__standin/state')).graphqlRequests;

/** Every run starts from an empty ledger and outbox: the same customers are due again. */
async function resetRun(set) {
	const { url, serviceRoleKey } = set.env.supabase;
	const response = await fetch(`${url}/rest/v1/winback_sends?customer_id=not.is.null`, { method: 'DELETE', headers: { apikey: serviceRoleKey, authorization: `Bearer ${serviceRoleKey}` } });
	if (!response.ok) throw new Error(`emptying winback_sends: HTTP ${response.status} ${await response.text()}`);
	await sendgridControl(set, '/__standin/messages', { method: 'DELETE' });
	// and Shopify's query-cost bucket full, as after a quiet spell
	await shopifyControl(set, '/__standin/bucket', 'POST', { currentlyAvailable: 2000 });
}

// ---------------------------------------------------------------------------------------------------------
// A counting proxy in front of a plain-HTTP stand-in: every request through it is counted, then forwarded.

function countingProxy(target) {
	const upstream = new URL(target);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const counts = { requests: 0 };
	const server = http.createServer((req, res) => {
		counts.requests += 1;
		const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent }, (answer) => {
			res.writeHead(answer.statusCode, answer.headers);
			answer.pipe(res);
		});
		forward.on('error', (error) => {
			res.destroy(error);
		});
		req.pipe(forward);
	});
	server.keepAliveTimeout = 30_000;
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			resolve({
				url: `http://127.0.0.1:${server.address().port}`,
				counts,
				close: () => new Promise((done) => {
					agent.destroy();
					server.closeAllConnections?.();
					server.close(() => done());
				}),
			});
		});
	});
}

// ---------------------------------------------------------------------------------------------------------
// The workflows

const uuid = () => crypto.randomUUID();
const at = (x) => [x * 240, 300];
const N8N_SHOPIFY = { id: 'n8nShopifyBench', name: 'Shopify (n8n\'s own credential)' };
const N8N_SENDGRID = { id: 'n8nSendGridBench', name: 'SendGrid (n8n\'s own credential)' };

function packWorkflow({ id, webhookPath, now, output }) {
	return {
		id,
		name: `bench: CX Win-Back (${output})`,
		active: false,
		nodes: [
			{ id: uuid(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: at(0), webhookId: uuid(), parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} } },
			{
				id: uuid(),
				name: 'CX Win-Back',
				type: `${PACKAGE_NAME}.cxWinBack`,
				typeVersion: 1,
				position: at(1),
				parameters: { source: 'shopify', dryRun: false, codeMode: 'perCustomer', unsubscribeGroupId: MARKETING_GROUP, options: { now, storeName: 'Example Store', storeUrl: 'https://shop.example-store.test', output } },
				credentials: {
					cxShopifyAdminApi: { id: n8n.CREDENTIAL_IDS.shopify, name: 'Shopify (local stand-in)' },
					cxSupabaseApi: { id: n8n.CREDENTIAL_IDS.supabase, name: 'Supabase (local stand-in)' },
					cxSendGridApi: { id: n8n.CREDENTIAL_IDS.sendgrid, name: 'SendGrid (local stand-in)' },
				},
			},
			{ id: uuid(), name: 'Summary', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: at(2), parameters: {} },
		],
		connections: {
			Webhook: { main: [[{ node: 'CX Win-Back', type: 'main', index: 0 }]] },
			// the Customers output (0) goes nowhere: its items are still saved with the run, as in a store's workflow
			'CX Win-Back': { main: [[], [{ node: 'Summary', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Customers of one page: 200 x (customer 1 + email address 1 + consent 1 + last order 1) + 2 = 802 points. */
const PAGE_SIZE = 200;
const CUSTOMERS_QUERY = `query Customers($after: String) { customers(first: ${PAGE_SIZE}, after: $after) { pageInfo { hasNextPage endCursor } nodes { id firstName defaultEmailAddress { emailAddress } emailMarketingConsent { marketingState } lastOrder { createdAt } } } }`;
/** A page's points at a standard plan's 100 points a second, rounded up: what a store sets between pages. */
const PAGE_INTERVAL_MS = 8_000;

function n8nBuiltWorkflow({ id, webhookPath, set, sendgridUrl, cutoff }) {
	const { shopify, sendgrid } = set.env;
	const mail = `={{ JSON.stringify({
  personalizations: [{ to: [{ email: $json.defaultEmailAddress.emailAddress }] }],
  from: { email: ${JSON.stringify(sendgrid.senderEmail)}, name: 'Example Store' },
  subject: 'We miss you' + ($json.firstName ? ', ' + $json.firstName : ''),
  content: [{ type: 'text/plain', value: 'Hi ' + ($json.firstName || 'there') + ', it has been a while. Come back and see what is new: https://shop.example-store.test' }],
  asm: { group_id: ${MARKETING_GROUP} },
  categories: ['n8n-winback']
}) }}`;
	return {
		id,
		name: 'bench: win-back from n8n\'s own nodes',
		active: false,
		nodes: [
			{ id: uuid(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: at(0), webhookId: uuid(), parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} } },
			{
				id: uuid(),
				name: 'List customers',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: at(1),
				parameters: {
					method: 'POST',
					url: shopify.adminUrl,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'shopifyAccessTokenApi',
					sendBody: true,
					specifyBody: 'json',
					jsonBody: JSON.stringify({ query: CUSTOMERS_QUERY, variables: { after: null } }),
					options: {
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: { parameters: [{ type: 'body', name: 'variables', value: '={{ { after: $response.body?.data?.customers?.pageInfo?.endCursor ?? null } }}' }] },
								paginationCompleteWhen: 'other',
								completeExpression: '={{ !$response.body.data.customers.pageInfo.hasNextPage }}',
								requestInterval: PAGE_INTERVAL_MS,
							},
						},
					},
				},
				credentials: { shopifyAccessTokenApi: N8N_SHOPIFY },
			},
			{ id: uuid(), name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: at(2), parameters: { fieldToSplitOut: 'data.customers.nodes', options: {} } },
			{
				id: uuid(),
				name: 'Dormant and subscribed',
				type: 'n8n-nodes-base.filter',
				typeVersion: 2,
				position: at(3),
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
						conditions: [
							{ id: uuid(), leftValue: '={{ $json.emailMarketingConsent?.marketingState }}', rightValue: 'SUBSCRIBED', operator: { type: 'string', operation: 'equals' } },
							// ISO times in UTC compare as text; a customer without an order is not dormant
							{ id: uuid(), leftValue: `={{ !!$json.lastOrder && $json.lastOrder.createdAt < '${cutoff}' }}`, rightValue: '', operator: { type: 'boolean', operation: 'true', singleValue: true } },
						],
						combinator: 'and',
					},
					options: {},
				},
			},
			{
				id: uuid(),
				name: 'Send',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: at(4),
				parameters: {
					method: 'POST',
					url: `${sendgridUrl}/v3/mail/send`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'sendGridApi',
					sendBody: true,
					specifyBody: 'json',
					jsonBody: mail,
					options: { response: { response: { fullResponse: true } } },
				},
				credentials: { sendGridApi: N8N_SENDGRID },
			},
			{ id: uuid(), name: 'Count', type: 'n8n-nodes-base.summarize', typeVersion: 1.1, position: at(5), parameters: { fieldsToSummarize: { values: [{ aggregation: 'count', field: 'statusCode' }] }, options: {} } },
		],
		connections: {
			Webhook: { main: [[{ node: 'List customers', type: 'main', index: 0 }]] },
			'List customers': { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Dormant and subscribed', type: 'main', index: 0 }]] },
			'Dormant and subscribed': { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
			Send: { main: [[{ node: 'Count', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

// ---------------------------------------------------------------------------------------------------------
// n8n: one user folder per store size; credentials pointing at that size's stand-ins (SendGrid and Supabase
// through the counting proxies)

async function prepareN8n(set, proxies, workflows) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `cx-bench-wb-n8n-folder-${set.customers}-`));
	// n8n-local reads the stand-ins' CA from here when it builds n8n's environment
	process.env.CX_STANDINS_DIR = set.dir;
	await n8n.installPack({ userFolder });
	const routed = { ...set.env, supabase: { ...set.env.supabase, url: proxies.supabase.url }, sendgrid: { ...set.env.sendgrid, baseUrl: proxies.sendgrid.url } };
	await n8n.writeCredentials({ userFolder, standins: routed });
	await n8n.importCredentials({
		userFolder,
		credentials: [
			{ ...N8N_SHOPIFY, type: 'shopifyAccessTokenApi', data: { shopSubdomain: 'example-store', accessToken: set.env.shopify.accessToken, appSecretKey: set.env.shopify.clientSecret } },
			{ ...N8N_SENDGRID, type: 'sendGridApi', data: { apiKey: set.env.sendgrid.apiKey } },
		],
	});
	const files = workflows.map((workflow) => {
		const file = path.join(userFolder, `${workflow.id}.json`);
		fs.writeFileSync(file, JSON.stringify(workflow));
		return file;
	});
	await n8n.importWorkflows({ userFolder, files });
	for (const workflow of workflows) await n8n.publishWorkflow({ userFolder, id: workflow.id });
	return userFolder;
}

/** RSS of a process group (n8n and its task runner), kB -> bytes. */
function groupRss(pgid) {
	try {
		const out = execFileSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' });
		return out.split('\n').filter(Boolean).reduce((sum, line) => sum + Number(line.trim()) * 1024, 0);
	} catch {
		return 0;
	}
}

function statusField(pid, field) {
	const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith(`${field}:`));
	return line ? Number(line.split(/\s+/)[1]) * 1024 : 0;
}

/** What n8n stored for its latest execution: the run's data (bytes), and the database file's size. */
function storedExecution(userFolder) {
	const db = path.join(userFolder, '.n8n', 'database.sqlite');
	const row = execFileSync('sqlite3', [db, 'SELECT executionId, length(CAST(data AS BLOB)) FROM execution_data ORDER BY executionId DESC LIMIT 1;'], { encoding: 'utf8' }).trim();
	const [executionId, bytes] = row.split('|').map(Number);
	const fileBytes = ['', '-wal'].reduce((sum, suffix) => sum + (fs.existsSync(db + suffix) ? fs.statSync(db + suffix).size : 0), 0);
	return { executionId, bytes, fileBytes };
}

/** POST with node:http: the n8n-built run answers after minutes, past fetch's 300-second wait for headers. */
function post(url) {
	const began = performance.now();
	return new Promise((resolve, reject) => {
		const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: 60 * 60_000 }, (response) => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk) => (text += chunk));
			response.on('end', () => {
				const ms = performance.now() - began;
				if (response.statusCode >= 300) return reject(new Error(`POST ${url}: HTTP ${response.statusCode} ${text.slice(0, 500)}`));
				resolve({ ms, body: JSON.parse(text) });
			});
		});
		request.on('timeout', () => request.destroy(new Error(`POST ${url}: no answer within an hour`)));
		request.on('error', reject);
		request.end('{}');
	});
}

/** One timed run of a workflow, with the requests each service answered and what n8n stored. */
async function timedRun({ server, set, proxies, userFolder, webhookPath, label, sampler }) {
	await resetRun(set);
	const before = { shopify: await shopifyRequests(set), supabase: proxies.supabase.counts.requests, sendgrid: proxies.sendgrid.counts.requests, db: storedExecution(userFolder).fileBytes };
	sampler?.reset();
	const { ms, body } = await post(`${server.url}/webhook/${webhookPath}`);
	const stored = storedExecution(userFolder);
	const requests = {
		shopify: (await shopifyRequests(set)) - before.shopify,
		supabase: proxies.supabase.counts.requests - before.supabase,
		sendgrid: proxies.sendgrid.counts.requests - before.sendgrid,
	};
	const memory = sampler ? { groupPeak: sampler.peak, hwm: statusField(server.pid, 'VmHWM') } : undefined;
	process.stderr.write(`  ${label}: ${(ms / 1000).toFixed(1)} s, ${JSON.stringify(body).slice(0, 200)}\n`);
	return { ms, body, requests, stored: { bytes: stored.bytes, dbGrowth: stored.fileBytes - before.db }, memory };
}

function memorySampler(pid) {
	const sampler = { peak: 0, reset: () => (sampler.peak = 0) };
	const timer = setInterval(() => {
		sampler.peak = Math.max(sampler.peak, groupRss(pid));
	}, 200);
	sampler.stop = () => clearInterval(timer);
	return sampler;
}

// ---------------------------------------------------------------------------------------------------------

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const int = (value) => Math.round(value).toLocaleString('en-US');
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;
const size = (bytes) => (bytes < MB ? `${(bytes / 1024).toFixed(1)} kB` : mb(bytes));
/** The pack's requests: Shopify's GraphQL plus the bulk operation's one JSONL download. */
const packTotal = (run) => run.requests.shopify + 1 + run.requests.supabase + run.requests.sendgrid;
const builtTotal = (run) => run.requests.shopify + run.requests.supabase + run.requests.sendgrid;

async function compare(options, n8nPort) {
	const set = startSet(options.customers, options.basePort, options.latency);
	const proxies = { supabase: await countingProxy(set.env.supabase.url), sendgrid: await countingProxy(set.env.sendgrid.baseUrl) };
	let server;
	let userFolder;
	try {
		const anchor = set.env.anchor;
		const cutoff = new Date(Date.parse(anchor) - 90 * 86_400_000).toISOString();
		const pack = packWorkflow({ id: 'cxBenchWinBackPack', webhookPath: 'cx-bench-winback-pack', now: anchor, output: 'perCustomer' });
		const built = n8nBuiltWorkflow({ id: 'cxBenchWinBackN8n', webhookPath: 'cx-bench-winback-n8n', set, sendgridUrl: proxies.sendgrid.url, cutoff });
		userFolder = await prepareN8n(set, proxies, [pack, built]);
		server = await n8n.startN8n({ userFolder, port: n8nPort });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-bench-winback-pack' });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-bench-winback-n8n' });
		process.stderr.write(`n8n on ${server.url}, ${options.customers} customers:\n`);
		const packRuns = [];
		for (let run = 0; run < options.runs; run++) packRuns.push(await timedRun({ server, set, proxies, userFolder, webhookPath: 'cx-bench-winback-pack', label: `CX Win-Back, run ${run + 1}` }));
		const builtRuns = [];
		const wanted = options.n8nRuns || options.runs;
		for (let run = 0; run < wanted; run++) {
			const result = await timedRun({ server, set, proxies, userFolder, webhookPath: 'cx-bench-winback-n8n', label: `n8n-built, run ${run + 1}` });
			builtRuns.push(result);
			// a run that takes minutes is run once: its time is its requests' and Shopify's refill, not noise
			if (!options.n8nRuns && result.ms > 180_000) break;
		}
		return { anchor, cutoff, packRuns, builtRuns };
	} finally {
		await server?.stop();
		await proxies.supabase.close();
		await proxies.sendgrid.close();
		stopSet(set);
		if (userFolder && !process.env.CX_BENCH_KEEP_FOLDER) fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

async function large(options, n8nPort) {
	const set = startSet(options.large, options.basePort, options.latency);
	const proxies = { supabase: await countingProxy(set.env.supabase.url), sendgrid: await countingProxy(set.env.sendgrid.baseUrl) };
	let server;
	let sampler;
	let userFolder;
	try {
		const outputs = ['summary', ...(options.largePerCustomer ? ['perCustomer'] : [])];
		const workflows = outputs.map((output) => packWorkflow({ id: `cxBenchWinBackLarge${output === 'summary' ? 'Summary' : 'Items'}`, webhookPath: `cx-bench-winback-large-${output}`, now: set.env.anchor, output }));
		userFolder = await prepareN8n(set, proxies, workflows);
		server = await n8n.startN8n({ userFolder, port: n8nPort });
		for (const output of outputs) await n8n.waitForWebhook({ url: server.url, path: `cx-bench-winback-large-${output}` });
		process.stderr.write(`n8n on ${server.url}, ${options.large} customers (idle RSS ${mb(statusField(server.pid, 'VmRSS'))}):\n`);
		sampler = memorySampler(server.pid);
		const idle = statusField(server.pid, 'VmRSS');
		const runs = {};
		for (const output of outputs) runs[output] = await timedRun({ server, set, proxies, userFolder, webhookPath: `cx-bench-winback-large-${output}`, label: `CX Win-Back, ${output}`, sampler });
		return { idle, runs };
	} finally {
		sampler?.stop();
		await server?.stop();
		await proxies.supabase.close();
		await proxies.sendgrid.close();
		stopSet(set);
		if (userFolder && !process.env.CX_BENCH_KEEP_FOLDER) fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

function report(options, version, small, big) {
	const lines = [];
	const say = (line = '') => lines.push(line);
	say(`n8n ${version}, stand-ins with ${options.latency} ms added to every request, ${os.cpus().length} cores`);
	if (small) compared(say, options, small);
	if (big) grown(say, options, big);
	return lines.join('\n');
}

function compared(say, options, small) {
	const { packRuns, builtRuns } = small;
	const packMs = median(packRuns.map((run) => run.ms));
	const builtMs = median(builtRuns.map((run) => run.ms));
	const packRequests = median(packRuns.map(packTotal));
	const builtRequests = median(builtRuns.map(builtTotal));
	const last = (runs) => runs[runs.length - 1];
	say();
	say(`${int(options.customers)} customers, end to end over a webhook (pack: median of ${packRuns.length}; n8n-built: ${builtRuns.length === 1 ? 'one run' : `median of ${builtRuns.length}`}):`);
	const row = (label, a, b, ratio = '') => say(`  ${label.padEnd(32)}${String(a).padEnd(34)}${String(b).padEnd(34)}${ratio}`);
	row('', 'CX Win-Back', 'n8n-built (HTTP Request x2)', 'ratio');
	row('wall time', seconds(packMs), seconds(builtMs), `${(builtMs / packMs).toFixed(1)}x less (target >= 20x: ${builtMs / packMs >= 20 ? 'met' : 'MISSED'})`);
	row('  every run', packRuns.map((run) => seconds(run.ms)).join(', '), builtRuns.map((run) => seconds(run.ms)).join(', '));
	row('requests in all', int(packRequests), int(builtRequests), `${(builtRequests / packRequests).toFixed(1)}x fewer (target >= 100x: ${builtRequests / packRequests >= 100 ? 'met' : 'MISSED'})`);
	row('  Shopify', `${int(last(packRuns).requests.shopify + 1)} (${last(packRuns).requests.shopify} GraphQL + 1 JSONL)`, `${int(last(builtRuns).requests.shopify)} GraphQL pages`);
	row('  Supabase', int(last(packRuns).requests.supabase), int(last(builtRuns).requests.supabase));
	row('  SendGrid', int(last(packRuns).requests.sendgrid), int(last(builtRuns).requests.sendgrid));
	const packSummary = last(packRuns).body;
	row('customers mailed', `${int(packSummary.sent)} (dormant ${int(packSummary.dormant)}, own rhythm)`, `${int(Object.values(last(builtRuns).body)[0])} (subscribed, > 90 days)`);
	row('  requests per customer mailed', (packRequests / packSummary.sent).toFixed(3), (builtRequests / Object.values(last(builtRuns).body)[0]).toFixed(3));
	row('execution data n8n stored', size(last(packRuns).stored.bytes), size(last(builtRuns).stored.bytes));
	say(`  n8n-built: ${Math.ceil(options.customers / PAGE_SIZE)} pages of ${PAGE_SIZE} customers, ${PAGE_INTERVAL_MS / 1000} s apart (Shopify's refill for ~800 points at 100 points/s)`);
}

function grown(say, options, big) {
	{
		say();
		say(`${int(options.large)} customers, CX Win-Back alone (n8n idle RSS ${mb(big.idle)} before the runs):`);
		for (const [output, run] of Object.entries(big.runs)) {
			say(`  Output ${output === 'summary' ? '"Summary Only"' : '"One Item per Customer"'}:`);
			say(`    wall time ${seconds(run.ms)}; customers ${int(run.body.customers)}, dormant ${int(run.body.dormant)}, mailed ${int(run.body.sent)}, failed ${int(run.body.failed)}, unconfirmed ${int(run.body.unconfirmed)}`);
			say(`    requests ${int(packTotal(run))} (Shopify ${run.requests.shopify} GraphQL + 1 JSONL, Supabase ${run.requests.supabase}, SendGrid ${run.requests.sendgrid})`);
			say(`    n8n peak RSS (VmHWM, its life so far) ${mb(run.memory.hwm)} (target < 1 GB: ${run.memory.hwm < 1024 * MB ? 'met' : 'MISSED'}); peak RSS of n8n + task runner during the run ${mb(run.memory.groupPeak)}`);
			say(`    execution data n8n stored ${size(run.stored.bytes)}; database file grew ${size(Math.max(0, run.stored.dbGrowth))}`);
		}
	}
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const n8nPort = options.port || (await n8n.freePort());
	const { version } = JSON.parse(fs.readFileSync(path.join(path.dirname(path.dirname(n8n.runtime().n8nBin)), 'n8n', 'package.json'), 'utf8'));
	const small = options.customers > 0 ? await compare(options, n8nPort) : undefined;
	const big = options.large > 0 ? await large(options, n8nPort) : undefined;
	console.log(report(options, version, small, big));
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		for (const set of [...running]) stopSet(set);
		process.exit(130);
	});
}

main().catch((error) => {
	for (const set of [...running]) stopSet(set);
	console.error(error);
	process.exit(1);
});

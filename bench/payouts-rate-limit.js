#!/usr/bin/env node
'use strict';
/**
 * Payouts under Stripe's rate limit: the compiled CX Delay Compensation node (Compensate Late Orders, Input Items,
 * Stripe Customer Balance, no apology email) pays N late orders, one Stripe customer each, against the Stripe
 * stand-in with its rate limit on. Each payout is two Stripe requests (find the customer by email, credit the
 * balance), so the run can go no faster than 2N / limit seconds: the floor. The requirement it checks: wall time
 * within 1.2x of the floor, no request spent on a 429, every customer credited exactly once.
 *
 *   node bench/payouts-rate-limit.js [--payouts 10000] [--limit 80] [--pace 76] [--runs 3]
 *
 *   --limit  the stand-in's limit, Stripe API requests per second (all endpoints together, a sliding second); 80 by
 *            default: the node pays one order after another, about 50 a second against the stand-ins on two cores
 *            with no limit, so a limit below that pace is what sets the run's length
 *   --pace   the node's option Stripe Requests per Second (default: 95 % of the limit, the headroom a user leaves)
 *   env CX_BENCH_PAYOUTS_BASE_PORT  the private stand-in set's base port (default 26320)
 *
 * The stand-ins are a private set (a temporary CX_STANDINS_DIR), started before the first run and stopped after the
 * last. Before each run the ledger is emptied, Stripe reset, the N customers made (limit off), then the limit set.
 * The node runs in a fresh Node process (it trusts the Shopify stand-in's CA, which the node connects to); its
 * wall time is execute() from call to return. After it, the stand-in says how many requests it saw, let through and
 * answered 429, and its records say how many credits each customer got.
 *
 * Output: one line per run, then the medians: wall time, floor, ratio, 429s answered, credits per customer.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');

function argument(name, fallback) {
	const at = process.argv.indexOf(`--${name}`);
	if (at === -1) return fallback;
	const value = Number(process.argv[at + 1]);
	if (!Number.isFinite(value) || value <= 0) {
		console.error(`--${name} must be a positive number`);
		process.exit(2);
	}
	return value;
}

/** Late orders, one customer each, as CX Delay Compensation reads input items. */
function lateOrders(env, count) {
	const anchor = new Date(env.anchor).getTime();
	const at = (days, hours) => new Date(anchor + days * 86_400_000 + hours * 3_600_000).toISOString();
	return Array.from({ length: count }, (_, n) => ({
		order_id: `bench-payout-${n}`,
		name: `#B-${n}`,
		processed_at: at(-41, 10),
		total: 40,
		currency: 'USD',
		customer_email: `payout.${n}@bench.example-store.test`,
		checkout_promise_at: at(-32, 12),
		fulfillments: [{ delivered_at: at(-22, 12) }],
	}));
}

// ---- the measured run, in a process of its own -------------------------------------------------------------

async function measuredRun() {
	const env = JSON.parse(fs.readFileSync(path.join(process.env.CX_STANDINS_DIR, 'env.json'), 'utf8'));
	const count = Number(process.env.CX_BENCH_PAYOUTS);
	const pace = Number(process.env.CX_BENCH_PAYOUTS_PACE);
	const { CxDelayCompensation } = require(path.join(root, 'dist', 'nodes', 'CxDelayCompensation', 'CxDelayCompensation.node.js'));
	const items = lateOrders(env, count).map((json) => ({ json }));
	const parameters = {
		operation: 'compensate',
		source: 'items',
		payoutMethod: 'stripeBalance',
		dryRun: false,
		notifyCustomer: false,
		options: { now: env.anchor, stripeRequestsPerSecond: pace },
	};
	const credentials = {
		cxShopifyAdminApi: { shopDomain: env.shopify.shopDomain, accessToken: env.shopify.accessToken, apiVersion: env.shopify.apiVersion },
		cxSupabaseApi: { url: env.supabase.url, serviceRoleKey: env.supabase.serviceRoleKey },
		cxStripeApi: { secretKey: env.stripe.secretKey, apiBase: env.stripe.apiBase },
	};
	const context = {
		getInputData: () => items,
		getNodeParameter: (name, _index, fallback) => parameters[name] ?? fallback,
		getNode: () => ({ name: 'CX Delay Compensation', type: 'n8n-nodes-cx-director.cxDelayCompensation', typeVersion: 1, position: [0, 0], parameters }),
		isToolExecution: () => false,
		continueOnFail: () => true,
		getTimezone: () => 'UTC',
		getCredentials: async (type) => {
			if (!credentials[type]) throw new Error(`no ${type} credential in this benchmark`);
			return credentials[type];
		},
		getExecutionCancelSignal: () => undefined,
		logger: { debug() {}, info() {}, warn() {}, error() {} },
	};
	const started = process.hrtime.bigint();
	const [compensated, needsApproval, other] = await new CxDelayCompensation().execute.call(context);
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const statuses = {};
	for (const item of compensated) statuses[item.json.compensation.status] = (statuses[item.json.compensation.status] ?? 0) + 1;
	const firstError = other.find((item) => item.json.error)?.json.error;
	process.stdout.write(`${JSON.stringify({ wallMs, compensated: compensated.length, statuses, needsApproval: needsApproval.length, other: other.length, firstError })}\n`);
}

// ---- the driver ---------------------------------------------------------------------------------------------

function standins(command, set) {
	const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'standins.js'), command], {
		env: { ...process.env, CX_STANDINS_DIR: set.dir, CX_STANDINS_BASE_PORT: String(set.basePort) },
		encoding: 'utf8',
		timeout: 10 * 60_000,
	});
	if (result.status !== 0) throw new Error(`stand-ins ${command} (port ${set.basePort}) failed:\n${result.stdout}${result.stderr}`);
}

async function stripe(env, method, route, body, json = true) {
	const response = await fetch(`${env.stripe.apiBase}${route}`, {
		method,
		headers: { Authorization: `Bearer ${env.stripe.secretKey}`, 'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
		...(body === undefined ? {} : { body: json ? JSON.stringify(body) : new URLSearchParams(body).toString() }),
	});
	if (!response.ok) throw new Error(`Stripe stand-in ${method} ${route}: HTTP ${response.status} ${await response.text()}`);
	return response.json();
}

/** Empties the ledger, puts Stripe back to its seed and makes one customer per order (the limit off). */
async function prepare(env, orders) {
	const { Client } = require('pg');
	const db = new Client({ connectionString: env.supabase.dbUrl });
	await db.connect();
	try {
		await db.query('truncate compensation_ledger restart identity cascade');
	} finally {
		await db.end();
	}
	await stripe(env, 'POST', '/__standin/reset', {});
	let next = 0;
	const worker = async () => {
		while (next < orders.length) {
			const order = orders[next++];
			await stripe(env, 'POST', '/v1/customers', { email: order.customer_email }, false);
		}
	};
	await Promise.all(Array.from({ length: 8 }, worker));
}

function measure(set, payouts, pace) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [__filename, '--measured-run'], {
			env: { ...process.env, CX_STANDINS_DIR: set.dir, NODE_EXTRA_CA_CERTS: path.join(set.dir, 'ca-bundle.pem'), CX_BENCH_PAYOUTS: String(payouts), CX_BENCH_PAYOUTS_PACE: String(pace) },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code !== 0) return reject(new Error(`the payout run ended with ${signal ?? `exit code ${code}`}`));
			resolve(JSON.parse(out.trim().split('\n').pop()));
		});
	});
}

/** Credits per order's customer, from the stand-in's records: [exactly once, none, more than once]. */
async function creditsPerCustomer(env, orders) {
	const state = await stripe(env, 'GET', '/__standin/state');
	const idByEmail = new Map(state.objects.customer.map((customer) => [customer.email, customer.id]));
	const credits = new Map();
	for (const transaction of state.objects.customer_balance_transaction ?? []) credits.set(transaction.customer, (credits.get(transaction.customer) ?? 0) + 1);
	const tally = { once: 0, none: 0, more: 0 };
	for (const order of orders) {
		const n = credits.get(idByEmail.get(order.customer_email)) ?? 0;
		tally[n === 1 ? 'once' : n === 0 ? 'none' : 'more'] += 1;
	}
	return tally;
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main() {
	const payouts = argument('payouts', 10_000);
	const limit = argument('limit', 80);
	const pace = argument('pace', Math.floor(limit * 0.95));
	const runs = argument('runs', 3);
	const set = { basePort: Number(process.env.CX_BENCH_PAYOUTS_BASE_PORT || 26320), dir: fs.mkdtempSync(path.join(os.tmpdir(), 'cx-bench-payouts-')) };
	let started = false;
	const stop = () => {
		if (started) standins('stop', set);
		started = false;
		fs.rmSync(set.dir, { recursive: true, force: true });
	};
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => {
			stop();
			process.exit(130);
		});
	}
	try {
		process.stderr.write(`payouts under a rate limit: starting stand-ins on ${set.basePort} ...\n`);
		standins('start', set);
		started = true;
		const env = JSON.parse(fs.readFileSync(path.join(set.dir, 'env.json'), 'utf8'));
		const orders = lateOrders(env, payouts);
		const floorMs = ((2 * payouts) / limit) * 1000;
		console.log(`${payouts} payouts (2 Stripe requests each), stand-in limit ${limit} requests/s, node paced at ${pace}/s; floor ${(floorMs / 1000).toFixed(1)} s`);
		const results = [];
		for (let run = 1; run <= runs; run++) {
			await prepare(env, orders);
			await stripe(env, 'POST', '/__standin/rate-limit', { perSecond: limit });
			const result = await measure(set, payouts, pace);
			const limiter = await stripe(env, 'GET', '/__standin/rate-limit');
			await stripe(env, 'DELETE', '/__standin/rate-limit');
			const credits = await creditsPerCustomer(env, orders);
			const row = { ...result, ratio: result.wallMs / floorMs, requests: limiter.requests, allowed: limiter.allowed, limited: limiter.limited, credits };
			results.push(row);
			console.log(
				`run ${run}: wall ${(row.wallMs / 1000).toFixed(1)} s, ratio ${row.ratio.toFixed(3)}, Stripe requests ${row.requests} (let through ${row.allowed}, 429 ${row.limited}), ` +
					`compensated ${row.compensated} ${JSON.stringify(row.statuses)}, failed ${row.other}, credits per customer: once ${credits.once}, none ${credits.none}, more ${credits.more}` +
					(row.firstError ? `; first error: ${row.firstError}` : ''),
			);
		}
		const medianOf = (pick) => median(results.map(pick));
		console.log(
			`median of ${runs}: wall ${(medianOf((r) => r.wallMs) / 1000).toFixed(1)} s, floor ${(floorMs / 1000).toFixed(1)} s, ratio ${medianOf((r) => r.ratio).toFixed(3)} (target <= 1.2), ` +
				`429s answered ${medianOf((r) => r.limited)}, customers credited exactly once ${medianOf((r) => r.credits.once)} of ${payouts} (none ${medianOf((r) => r.credits.none)}, more ${medianOf((r) => r.credits.more)})`,
		);
		const bad = results.filter((r) => r.credits.once !== payouts || r.limited > 0 || r.ratio > 1.2);
		if (bad.length) process.exitCode = 1;
	} finally {
		stop();
	}
}

if (process.argv.includes('--measured-run')) {
	measuredRun().catch((error) => {
		console.error(error);
		process.exit(1);
	});
} else {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}

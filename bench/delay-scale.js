#!/usr/bin/env node
'use strict';
/**
 * Delay compensation on a big store: the compiled CX Delay Compensation node (Compensate Late Orders, source
 * Shopify, dry run: every order decided, nothing paid or sent) against a stand-in store of 100,000 customers,
 * every request answered 20 ms late (CX_STANDINS_LATENCY_MS, as a store's n8n far from Shopify's servers meets
 * it), with two lookbacks side by side: about a tenth of the orders, and about 100,000 orders in the window.
 * The requirement it checks: 100,000 orders decided in under 60 s, with a request count that does not grow with
 * the orders.
 *
 *   node bench/delay-scale.js [--runs 3] [--customers 100000] [--lookbacks 10,105]
 *
 * Starts a private stand-in set (a temporary CX_STANDINS_DIR, CX_STANDINS_BASE_PORT from
 * CX_BENCH_DELAY_BASE_PORT, default 61320) and stops it afterwards. Each run is a fresh Node process (this file
 * with `run`), so its memory is its own; the runs of the two lookbacks alternate. Prints per lookback the
 * medians: orders decided, wall time, requests per service (counted on the way out of the process), tracking
 * events requests, peak RSS; then the ratios of the large lookback to the small one.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');

const root = path.resolve(__dirname, '..');

function argument(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : fallback;
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
};

// ---- one measured run, in its own process ----------------------------------------------------------------

async function measuredRun(lookbackDays) {
	const http = require('node:http');
	const https = require('node:https');
	const env = JSON.parse(fs.readFileSync(path.join(process.env.CX_STANDINS_DIR, 'env.json'), 'utf8'));
	// requests by host, counted before any SDK is loaded (the Shopify adapter keeps the fetch it finds at load)
	const requests = new Map();
	const count = (host) => requests.set(host, (requests.get(host) ?? 0) + 1);
	const plainFetch = globalThis.fetch;
	globalThis.fetch = function countedFetch(input, init) {
		const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : new URL(input.url);
		count(url.port);
		return plainFetch.call(this, input, init);
	};
	for (const module of [http, https]) {
		const original = module.request;
		module.request = function countedRequest(first, second, ...rest) {
			const options = typeof first === 'string' || first instanceof URL ? new URL(first) : first ?? {};
			count(String(options.port ?? ''));
			return original.call(this, first, second, ...rest);
		};
	}
	const dist = (file) => require(path.join(root, 'dist', file));
	const { ShopifyService } = dist('nodes/shared/services/shopify/client.js');
	const { CxDelayCompensation } = dist('nodes/CxDelayCompensation/CxDelayCompensation.node.js');
	// where the time goes: the bulk operation (asked, run by the store, polled), its download and parse, the
	// tracking events of late orders; the rest is the node's own work (decisions, items)
	const spent = { bulkMs: 0, downloadMs: 0, eventsMs: 0 };
	let eventsRequests = 0;
	const query = ShopifyService.prototype.query;
	ShopifyService.prototype.query = async function watchedQuery(document, variables) {
		const events = document.includes('CxFulfillmentEvents');
		const began = performance.now();
		try {
			return await query.call(this, document, variables);
		} finally {
			if (events) {
				eventsRequests++;
				spent.eventsMs += performance.now() - began;
			}
		}
	};
	for (const [name, key] of [['bulkQuery', 'bulkMs'], ['download', 'downloadMs']]) {
		const original = ShopifyService.prototype[name];
		ShopifyService.prototype[name] = async function timed(...args) {
			const began = performance.now();
			try {
				return await original.apply(this, args);
			} finally {
				spent[key] += performance.now() - began;
			}
		};
	}
	const parameters = {
		operation: 'compensate',
		source: 'shopify',
		lookbackDays,
		dryRun: true,
		payoutMethod: 'discountCode',
		notifyCustomer: false,
		// the store's anchor: the run acts on the day the stand-in store's history ends, whatever the calendar says
		options: { now: env.anchor, timeZone: 'America/New_York' },
	};
	const credentials = {
		cxShopifyAdminApi: { shopDomain: env.shopify.shopDomain, accessToken: env.shopify.accessToken, apiVersion: env.shopify.apiVersion },
		cxSupabaseApi: { url: env.supabase.url, serviceRoleKey: env.supabase.serviceRoleKey },
	};
	const context = {
		getInputData: () => [{ json: {} }],
		getNodeParameter: (name, _index, fallback) => parameters[name] ?? fallback,
		getNode: () => ({ name: 'CX Delay Compensation', type: 'n8n-nodes-cx-director.cxDelayCompensation', typeVersion: 1, position: [0, 0], parameters: {} }),
		continueOnFail: () => true,
		getTimezone: () => 'UTC',
		getCredentials: async (type) => {
			if (!credentials[type]) throw new Error(`no stand-in credential of type ${type}`);
			return credentials[type];
		},
		helpers: {},
	};
	const start = performance.now();
	const outputs = await new CxDelayCompensation().execute.call(context);
	const wallMs = performance.now() - start;
	const port = (url) => new URL(url).port;
	const byPort = Object.fromEntries(requests);
	const decided = outputs.reduce((sum, output) => sum + output.length, 0);
	const errors = outputs.flat().filter((item) => item.json.error).length;
	process.stdout.write(
		`${JSON.stringify({
			lookbackDays,
			decided,
			errors,
			compensate: outputs[0].length,
			needsApproval: outputs[1].length,
			notEligible: outputs[2].length - errors,
			wallMs,
			maxRss: process.resourceUsage().maxRSS * 1024,
			requests: { shopify: byPort[port(`https://${env.shopify.shopDomain}`)] ?? 0, supabase: byPort[port(env.supabase.url)] ?? 0 },
			eventsRequests,
			...spent,
		})}\n`,
	);
}

// ---- the benchmark ---------------------------------------------------------------------------------------

async function main() {
	const runs = Number(argument('runs', '3'));
	const customers = Number(argument('customers', '100000'));
	const lookbacks = String(argument('lookbacks', '10,105')).split(',').map(Number);
	const latency = Number(process.env.CX_STANDINS_LATENCY_MS ?? 20);
	const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-bench-delay-'));
	const env = { ...process.env, CX_STANDINS_DIR: stateDir, CX_STANDINS_BASE_PORT: process.env.CX_BENCH_DELAY_BASE_PORT ?? '61320', CX_SHOPIFY_CUSTOMERS: String(customers), CX_STANDINS_LATENCY_MS: String(latency) };
	const standins = (command) => {
		const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'standins.js'), command], { env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
		if (result.status !== 0) throw new Error(`stand-ins ${command} failed`);
	};
	const started = performance.now();
	standins('start');
	console.log(`delay compensation at scale: a store of ${customers.toLocaleString('en-US')} customers, ${latency} ms added to every request (stand-ins up in ${((performance.now() - started) / 1000).toFixed(0)} s), ${runs} runs each, medians`);
	const results = new Map(lookbacks.map((days) => [days, []]));
	try {
		for (let run = 0; run < runs; run++) {
			for (const days of lookbacks) {
				const child = spawn(process.execPath, [__filename, 'run', String(days)], { env: { ...env, NODE_EXTRA_CA_CERTS: path.join(stateDir, 'ca-bundle.pem') }, stdio: ['ignore', 'pipe', 'inherit'] });
				let out = '';
				child.stdout.on('data', (chunk) => (out += chunk));
				const code = await new Promise((resolve) => child.on('exit', resolve));
				if (code !== 0) throw new Error(`the run of ${days} days exited ${code}`);
				results.get(days).push(JSON.parse(out.trim().split('\n').pop()));
			}
		}
	} finally {
		standins('stop');
		fs.rmSync(stateDir, { recursive: true, force: true });
	}
	const rows = lookbacks.map((days) => {
		const all = results.get(days);
		const pick = (read) => median(all.map(read));
		return {
			days,
			decided: pick((r) => r.decided),
			errors: pick((r) => r.errors),
			compensate: pick((r) => r.compensate),
			needsApproval: pick((r) => r.needsApproval),
			seconds: pick((r) => r.wallMs) / 1000,
			shopify: pick((r) => r.requests.shopify),
			events: pick((r) => r.eventsRequests),
			supabase: pick((r) => r.requests.supabase),
			rssMb: pick((r) => r.maxRss) / 2 ** 20,
			bulkS: pick((r) => r.bulkMs - r.downloadMs) / 1000,
			downloadS: pick((r) => r.downloadMs) / 1000,
			eventsS: pick((r) => r.eventsMs) / 1000,
			ownS: pick((r) => r.wallMs - r.bulkMs - r.eventsMs) / 1000,
			times: all.map((r) => (r.wallMs / 1000).toFixed(1)).join(', '),
		};
	});
	console.log('| Lookback | Orders decided | Compensate / needs approval | Wall time (runs) | Bulk operation: run and polled / download and parse | Tracking events | The node\'s own work | Shopify requests (tracking events) | Supabase requests | Peak RSS |');
	console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
	for (const row of rows) {
		console.log(`| ${row.days} days | ${row.decided.toLocaleString('en-US')}${row.errors ? ` (${row.errors} errors)` : ''} | ${row.compensate} / ${row.needsApproval} | ${row.seconds.toFixed(1)} s (${row.times}) | ${row.bulkS.toFixed(1)} s / ${row.downloadS.toFixed(1)} s | ${row.eventsS.toFixed(1)} s | ${row.ownS.toFixed(1)} s | ${row.shopify} (${row.events}) | ${row.supabase} | ${row.rssMb.toFixed(0)} MB |`);
	}
	const [small, large] = [rows[0], rows[rows.length - 1]];
	console.log(`large / small: ${(large.decided / small.decided).toFixed(1)}x the orders, ${(large.seconds / small.seconds).toFixed(2)}x the time, ${(large.shopify / Math.max(1, small.shopify)).toFixed(2)}x the Shopify requests; ${Math.round(large.decided / large.seconds).toLocaleString('en-US')} orders/s`);
}

if (process.argv[2] === 'run') {
	measuredRun(Number(process.argv[3])).catch((error) => {
		console.error(error);
		process.exit(1);
	});
} else {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}

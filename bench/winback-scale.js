#!/usr/bin/env node
'use strict';
/**
 * Win-back at scale: one real run of the compiled CX Win-Back node (source Shopify, a code per customer,
 * an unsubscribe group, now = the stand-in store's anchor) against a store of 10,000 and one of 100,000
 * customers, side by side. The requirement it checks: 100,000 customers in one run within n8n's memory,
 * with far fewer requests than one per customer.
 *
 *   node bench/winback-scale.js [sizes...]      default 10000 100000 (or CX_BENCH_WINBACK_SIZES="10000 100000");
 *                                              `npm run bench` runs it after bench/run.js
 *
 * Each size gets a private stand-in set of its own (CX_STANDINS_DIR in a temporary directory,
 * CX_STANDINS_BASE_PORT 57320, 58320, ... or from CX_BENCH_WINBACK_BASE_PORT up in steps of 1000,
 * CX_SHOPIFY_CUSTOMERS = the size), started before and stopped after its run, so the shared stand-ins on
 * 24320 are never touched and each run starts from an empty Supabase. The run itself happens in a fresh Node process (bench/winback-scale-run.js), so its memory is
 * that run's alone; CX_BENCH_WINBACK_HEAP_MB=<n> gives that process --max-old-space-size=<n>, to show the
 * run fits in a smaller heap than Node's default.
 *
 * Output, one column per size, then the ratio of the last size to the first:
 *   customers / dormant / mailed / suppressed   the node's summary (mailed = sent; failed / unconfirmed are
 *                                              the other outcomes, 0 in a clean run)
 *   wall time                                   execute() from call to return
 *   peak RSS                                    the kernel's high-water mark of the run's process
 *   peak heap used                              process.memoryUsage().heapUsed, sampled every 10 ms
 *   heap limit                                  v8 heap_size_limit of that process (Node's default unless set)
 *   Shopify requests                            GraphQL requests the stand-in answered + the JSONL download
 *                                              (checked against the process's own fetch count); then the
 *                                              bulk operation: polls, lines and size of its JSONL, how long it
 *                                              ran on the store (createdAt -> completedAt, whole seconds) and
 *                                              how long after that the node's poll saw it completed, and how
 *                                              many discountRedeemCodeBulkAdd requests (250 codes each) there were
 *   Supabase requests                           fetch calls to the Supabase gateway (supabase-js uses fetch)
 *   SendGrid requests                           mail/send requests the stand-in accepted (checked against
 *                                              the process's http.request count: @sendgrid/client uses axios)
 *   requests per customer                       all of the above / customers
 * and then where the time went: the node's steps in order, each with the service calls made inside it
 * (calls, total ms) and its own work (the step's time less those calls); "execute:" lines are calls made
 * between the steps (the three cooldown reads run in parallel), and "the rest" is wall time less all that.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const standinsScript = path.join(root, 'scripts', 'standins.js');
const given = process.argv.slice(2).length ? process.argv.slice(2) : (process.env.CX_BENCH_WINBACK_SIZES ?? '').split(/[\s,]+/).filter(Boolean);
const sizes = (given.length ? given : ['10000', '100000']).map((size) => Number(size));
if (sizes.some((size) => !Number.isInteger(size) || size < 1)) {
	console.error('usage: node bench/winback-scale.js [customers...]');
	process.exit(2);
}
const FIRST_BASE_PORT = Number(process.env.CX_BENCH_WINBACK_BASE_PORT || 27320);
const PORT_STEP = 1000;

function standins(command, set) {
	const result = spawnSync(process.execPath, [standinsScript, command], {
		env: { ...process.env, CX_STANDINS_DIR: set.dir, CX_STANDINS_BASE_PORT: String(set.basePort), CX_SHOPIFY_CUSTOMERS: String(set.customers) },
		encoding: 'utf8',
		timeout: 10 * 60_000,
	});
	if (result.status !== 0) throw new Error(`stand-ins ${command} (${set.customers} customers, port ${set.basePort}) failed:\n${result.stdout}${result.stderr}`);
}

function measure(set) {
	const heapMb = process.env.CX_BENCH_WINBACK_HEAP_MB;
	const args = [...(heapMb ? [`--max-old-space-size=${heapMb}`] : []), path.join(__dirname, 'winback-scale-run.js')];
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, args, {
			env: { ...process.env, CX_STANDINS_DIR: set.dir, NODE_EXTRA_CA_CERTS: path.join(set.dir, 'ca-bundle.pem') },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code !== 0) return reject(new Error(`the win-back run at ${set.customers} customers ended with ${signal ?? `exit code ${code}`}`));
			resolve(JSON.parse(out.trim().split('\n').pop()));
		});
	});
}

/** What the SendGrid stand-in accepted: one line per request in its outbox file. */
function sendgridAccepted(set) {
	const file = path.join(set.dir, 'sendgrid', 'messages.jsonl');
	let requests = 0;
	let recipients = 0;
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		if (!line) continue;
		const message = JSON.parse(line);
		if (!message.body.categories?.includes('cx-winback')) continue;
		requests++;
		recipients += message.body.personalizations.length;
	}
	return { requests, recipients };
}

async function runSize(customers, index) {
	const set = { customers, basePort: FIRST_BASE_PORT + index * PORT_STEP, dir: fs.mkdtempSync(path.join(os.tmpdir(), `cx-bench-winback-${customers}-`)) };
	running.add(set);
	try {
		const started = Date.now();
		process.stderr.write(`win-back scale: starting stand-ins with ${customers} customers on ${set.basePort} ...`);
		standins('start', set);
		process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(0)} s; running the node ...`);
		const result = await measure(set);
		process.stderr.write(` ${(result.wallMs / 1000).toFixed(1)} s\n`);
		result.sendgridAccepted = sendgridAccepted(set);
		return result;
	} finally {
		stopSet(set);
	}
}

const running = new Set();
function stopSet(set) {
	if (!running.delete(set)) return;
	try {
		standins('stop', set);
	} finally {
		fs.rmSync(set.dir, { recursive: true, force: true });
	}
}
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		for (const set of [...running]) stopSet(set);
		process.exit(130);
	});
}

const MB = 1024 * 1024;
const int = (value) => Math.round(value).toLocaleString('en-US');
const mb = (bytes) => `${int(bytes / MB)} MB`;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function rows(results) {
	const total = (r) => r.requests.shopifyGraphql + 1 + r.requests.supabase + r.sendgridAccepted.requests;
	const table = [
		['customers', (r) => int(r.summary.customers)],
		['dormant', (r) => int(r.summary.dormant)],
		['mailed (sent)', (r) => int(r.summary.sent)],
		['failed / unconfirmed', (r) => `${int(r.summary.failed)} / ${int(r.summary.unconfirmed)}`],
		['suppressed total', (r) => int(r.summary.suppressedTotal)],
		['wall time', (r) => seconds(r.wallMs)],
		['peak RSS', (r) => mb(r.memory.maxRss)],
		['peak heap used', (r) => mb(r.memory.heapUsedPeak)],
		['heap limit', (r) => mb(r.memory.heapSizeLimit)],
		['peak heap / limit', (r) => `${((r.memory.heapUsedPeak / r.memory.heapSizeLimit) * 100).toFixed(0)} %`],
		['Shopify requests', (r) => `${int(r.requests.shopifyGraphql + 1)} (${r.requests.shopifyGraphql} GraphQL + 1 JSONL)`],
		['  Shopify, fetch count', (r) => int(r.requests.shopifyFetch)],
		['  bulk export polls', (r) => (r.bulk ? `${r.bulk.polls}, JSONL ${int(r.bulk.objectCount)} lines, ${mb(r.bulk.fileSize)}` : '')],
		['  bulk op on the store', (r) => (r.bulk ? `${seconds(r.bulk.runMs)}, seen ${seconds(r.bulk.seenAfterMs)} after it ended` : '')],
		['  redeem-code batches', (r) => int(r.mutations.discountRedeemCodeBulkAdd ?? 0)],
		['Supabase requests', (r) => int(r.requests.supabase)],
		['SendGrid requests', (r) => `${int(r.sendgridAccepted.requests)} (${int(r.sendgridAccepted.recipients)} recipients)`],
		['  SendGrid, http count', (r) => int(r.requests.sendgrid)],
		['requests in all', (r) => int(total(r))],
		['requests per customer', (r) => (total(r) / r.summary.customers).toFixed(4)],
	];
	return table;
}

function print(results) {
	const first = results[0];
	const last = results[results.length - 1];
	const widths = [24, ...results.map(() => 34)];
	const line = (cells) => cells.map((cell, n) => String(cell).padEnd(widths[n])).join('').trimEnd();
	console.log('win-back, one real run (stand-ins, real SDKs, compiled node):');
	console.log(line(['', ...results.map((r) => `${int(r.summary.customers)} customers`)]));
	for (const [label, cell] of rows(results)) console.log(line([label, ...results.map(cell)]));
	if (results.length > 1) {
		const factor = last.summary.customers / first.summary.customers;
		console.log(`ratio ${int(last.summary.customers)} / ${int(first.summary.customers)} (${factor.toFixed(0)}x the customers):`);
		console.log(`  wall time ${(last.wallMs / first.wallMs).toFixed(1)}x, peak RSS ${(last.memory.maxRss / first.memory.maxRss).toFixed(1)}x, peak heap used ${(last.memory.heapUsedPeak / first.memory.heapUsedPeak).toFixed(1)}x`);
		const heap = last.memory.heapUsedPeak;
		console.log(`  peak heap at ${int(last.summary.customers)}: ${mb(heap)} = ${((heap / (2048 * MB)) * 100).toFixed(0)} % of a 2 GB heap, ${((heap / (4096 * MB)) * 100).toFixed(0)} % of a 4 GB heap`);
	}
	console.log('where the time went (calls, total ms): the steps of execute() one after another, each with the service calls in it');
	console.log(`  ${''.padEnd(46)}${results.map((r) => `${int(r.summary.customers)} customers`.padStart(22).padEnd(26)).join('')}`.trimEnd());
	const cell = (entry) => (entry ? `${int(entry.calls).padStart(6)} ${int(entry.ms).padStart(9)} ms` : '').padStart(22).padEnd(26);
	const labels = [...new Set(results.flatMap((r) => Object.keys(r.timings)))];
	const steps = labels.filter((label) => !label.includes(' > '));
	for (const group of ['execute', ...steps]) {
		if (group !== 'execute') console.log(`  ${group.padEnd(46)}${results.map((r) => cell(r.timings[group])).join('')}`.trimEnd());
		const inside = labels.filter((name) => name.startsWith(`${group} > `));
		for (const label of inside) {
			const name = group === 'execute' ? `execute: ${label.slice(group.length + 3)}` : `  ${label.slice(group.length + 3)}`;
			console.log(`  ${name.padEnd(46)}${results.map((r) => cell(r.timings[label])).join('')}`.trimEnd());
		}
		if (group !== 'execute' && inside.length) {
			// the step's own work: its time less the service calls in it
			const own = (r) => (r.timings[group]?.ms ?? 0) - inside.reduce((sum, label) => sum + (r.timings[label]?.ms ?? 0), 0);
			console.log(`  ${'  (own work)'.padEnd(46)}${results.map((r) => `${int(Math.max(0, own(r))).padStart(16)} ms`.padStart(22).padEnd(26)).join('')}`.trimEnd());
		}
	}
	// what is left: building the output items, the ledger filter; the cooldown reads run in parallel, so this is a floor
	const rest = (r) => r.wallMs - Object.entries(r.timings).filter(([label]) => !label.includes(' > ') || label.startsWith('execute > ')).reduce((sum, [, entry]) => sum + entry.ms, 0);
	console.log(`  ${'execute: the rest (output items, ...)'.padEnd(46)}${results.map((r) => `${int(Math.max(0, rest(r))).padStart(16)} ms`.padStart(22).padEnd(26)).join('')}`.trimEnd());
	for (const r of results) {
		if (r.requests.other.length) console.log(`  requests to other hosts at ${int(r.summary.customers)}: ${JSON.stringify(r.requests.other)}`);
	}
}

async function main() {
	const results = [];
	for (const [index, size] of sizes.entries()) results.push(await runSize(size, index));
	print(results);
}

main().catch((error) => {
	for (const set of [...running]) stopSet(set);
	console.error(error);
	process.exit(1);
});

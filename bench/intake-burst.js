#!/usr/bin/env node
'use strict';
/**
 * A burst of tickets through the support-ticket intake template in a real n8n, against Shopify's standard API budget
 * (the stand-in's leaky bucket: 2,000 points, 100 points a second): tickets a second, Shopify points spent and
 * throttled answers, with CX Ticket Triage's customer cache off (Options > Customer Cache Minutes 0: every ticket
 * asks Shopify) and on (15 minutes: a customer is read once), cold and then warm.
 *
 *   node bench/intake-burst.js [--tickets 200] [--customers 60] [--concurrency 8] [--runs 3] [--bucket 2000] [--port 29900]
 *   (after `npm run build`, with the stand-ins running: CX_STANDINS_DIR names them, else .standins)
 *
 * n8n 2.x (scripts/provision.sh's) starts in a fresh user folder with the pack installed as a community package and
 * the stand-ins' credentials; workflows/support-ticket-intake.json is imported twice, as it ships (cache on, the
 * default) and with the cache off, each on its own webhook path, both published. Each burst starts from the
 * stand-ins' known state: the pack's tables emptied (tickets, acknowledgements, escalations, the cache), the sample
 * store reset and its bucket full, SendGrid's outbox emptied. A burst posts the tickets to the webhook, `concurrency`
 * at a time, and ends when every answer is in; tickets a second = tickets / that time. Points: what the stand-in
 * charged in the burst (requested cost taken, the unused part refunded, as Shopify does); throttled: the THROTTLED
 * answers it gave (each one waited for by the pack, never failed).
 *
 * Scenarios, each `runs` times in a rotating order, medians reported:
 *   before      cache off
 *   after-cold  cache on, the cache empty (the first burst of the day)
 *   after-warm  cache on, a second burst of new tickets from the same customers right after the cold one
 *
 * The tickets: `customers` customers of the sample store (the first ones Shopify lists, so the fixtures' VIPs are
 * among them), the tickets spread over them unevenly (some customers write several times), a realistic mix of
 * product questions, damage and wrong-item reports, refund requests with and without threats, praise, and a few
 * "where is my order" questions (answered with the order's live status, which is never cached). Seeded: the same
 * tickets in every run.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const https = require('node:https');
const { randomUUID } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const n8n = require('../scripts/n8n-local.js');

const root = path.resolve(__dirname, '..');
const INTAKE = path.join(root, 'workflows', 'support-ticket-intake.json');
const standinsDir = process.env.CX_STANDINS_DIR || path.join(root, '.standins');

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const at = args.indexOf(`--${name}`);
	return at === -1 ? fallback : Number(args[at + 1]);
};
const TICKETS = option('tickets', 200);
const CUSTOMERS = option('customers', 60);
const CONCURRENCY = option('concurrency', 8);
const RUNS = option('runs', 3);
const PORT = option('port', Number(process.env.CX_BENCH_N8N_PORT || 29900));
/** The bucket's points when each burst starts: full (2,000) by default; 0 is a burst that comes when it is spent. */
const BUCKET = option('bucket', 2000);

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function readEnv() {
	const file = path.join(standinsDir, 'env.json');
	if (!fs.existsSync(file)) throw new Error(`The stand-ins are not running (${file} missing): run \`node scripts/standins.js start\` first.`);
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** A request to the Shopify stand-in (https with its own CA, read from the file: this process started without it). */
function shopify(env, method, route, body) {
	const ca = fs.readFileSync(path.join(standinsDir, 'ca-bundle.pem'));
	const [host, port] = env.shopify.shopDomain.split(':');
	return new Promise((resolve, reject) => {
		const request = https.request({ host, port, method, path: route, ca, headers: { 'content-type': 'application/json', 'x-shopify-access-token': env.shopify.accessToken } }, (response) => {
			let text = '';
			response.on('data', (chunk) => (text += chunk));
			response.on('end', () => (response.statusCode < 300 ? resolve(JSON.parse(text || '{}')) : reject(new Error(`Shopify stand-in ${route}: HTTP ${response.statusCode} ${text}`))));
		});
		request.on('error', reject);
		request.end(body ? JSON.stringify(body) : undefined);
	});
}

/** Every stand-in back to its known start, as the tests' resetStandins does. */
async function resetStandins(env) {
	const { Client } = require('pg');
	const db = new Client({ connectionString: env.supabase.dbUrl });
	await db.connect();
	try {
		const { rows } = await db.query(`select format('%I.%I', table_schema, table_name) as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
		if (rows.length) await db.query(`truncate ${rows.map((row) => row.name).join(', ')} restart identity cascade`);
	} finally {
		await db.end();
	}
	await shopify(env, 'POST', '/__standin/reset');
	await fetch(`${env.sendgrid.baseUrl}/__standin/messages`, { method: 'DELETE', headers: { Authorization: `Bearer ${env.sendgrid.apiKey}` } });
}

/** The same tickets every run: a seeded generator over the store's first customers. */
function makeTickets(emails, prefix) {
	let seed = 20261205;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
	const pick = (list) => list[Math.floor(random() * list.length)];
	const texts = [
		[30, 'Sizes', 'Hello, what sizes do you offer for the botanical print? Is the frame included?'],
		[10, 'Paper', 'Which paper do you print on, and is it acid free?'],
		[12, 'Damaged on arrival', 'The frame arrived cracked and the glass is broken. Can you send a replacement?'],
		[8, 'Wrong item', 'I received the wrong print, I ordered the blue one and got the green one.'],
		[8, 'Refund please', 'The print is not what the photos showed. I would like a refund.'],
		[4, 'Refund now', 'This is the second damaged frame. Refund me or I will file a chargeback with my bank.'],
		[10, 'Thank you', 'Love the print, it looks beautiful in our living room. Thanks!'],
		[8, 'Change of address', 'Can I change the delivery address for my next order?'],
		[10, 'Where is my order?', 'Where is my order? I have not received any tracking number yet.'],
	];
	const total = texts.reduce((sum, [weight]) => sum + weight, 0);
	const text = () => {
		let roll = random() * total;
		for (const [weight, subject, body] of texts) if ((roll -= weight) < 0) return { subject, body };
		return { subject: texts[0][1], body: texts[0][2] };
	};
	// each customer writes at least once; the rest by a skewed draw (a few customers write several times)
	const writers = [...emails, ...Array.from({ length: Math.max(0, TICKETS - emails.length) }, () => emails[Math.floor(random() ** 2 * emails.length)])].slice(0, TICKETS);
	const channels = ['email', 'email', 'email', 'chat', 'social'];
	return writers.map((email, index) => ({ id: `${prefix}-${index}`, channel: pick(channels), customer_email: email, ...text() }));
}

/** Posts every ticket, `CONCURRENCY` at a time; returns the time it took and the answers' statuses. */
async function burst(url, tickets) {
	const statuses = {};
	const decisions = [];
	let next = 0;
	const start = performance.now();
	const worker = async () => {
		while (next < tickets.length) {
			const index = next++;
			const ticket = tickets[index];
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ticket), signal: AbortSignal.timeout(600_000) });
			statuses[response.status] = (statuses[response.status] ?? 0) + 1;
			const answer = await response.json().catch(() => ({}));
			decisions[index] = `${answer.tier}/${answer.decision}`;
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	return { ms: performance.now() - start, statuses, decisions };
}

async function measure(env, url, tickets) {
	await shopify(env, 'POST', '/__standin/bucket', { currentlyAvailable: BUCKET });
	const before = await shopify(env, 'GET', '/__standin/state');
	const result = await burst(url, tickets);
	const after = await shopify(env, 'GET', '/__standin/state');
	return {
		...result,
		ticketsPerSecond: tickets.length / (result.ms / 1000),
		requests: after.graphqlRequests - before.graphqlRequests,
		points: after.queryPoints.pointsSpent - before.queryPoints.pointsSpent,
		throttled: after.queryPoints.throttled - before.queryPoints.throttled,
		byOperation: Object.fromEntries(
			Object.entries(after.queryPoints.byOperation).map(([name, used]) => {
				const was = before.queryPoints.byOperation[name] ?? { points: 0, requests: 0 };
				return [name, { points: used.points - was.points, requests: used.requests - was.requests }];
			}),
		),
	};
}

async function main() {
	const env = readEnv();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-bench-intake-'));
	const template = JSON.parse(fs.readFileSync(INTAKE, 'utf8'));
	const variants = [
		{ key: 'off', id: 'cxBenchIntakeNoCache', webhookPath: 'cx-ticket-no-cache', minutes: 0 },
		{ key: 'on', id: 'cxBenchIntakeCache', webhookPath: 'cx-ticket-cache', minutes: 15 },
	];
	let server;
	try {
		const installed = await n8n.installPack({ userFolder });
		await n8n.writeCredentials({ userFolder, standins: env });
		const files = variants.map((variant) => {
			const workflow = structuredClone(template);
			workflow.id = variant.id;
			workflow.name = `${template.name} (customer cache ${variant.minutes} min)`;
			for (const node of workflow.nodes) {
				if (node.type === 'n8n-nodes-base.webhook') node.parameters = { ...node.parameters, path: variant.webhookPath };
				// both readers of the cache: triage, and the escalation of the tickets triage escalates
				if (node.type === 'n8n-nodes-cx-director.cxTicketTriage' || node.type === 'n8n-nodes-cx-director.cxVipEscalation') node.parameters = { ...node.parameters, options: { ...node.parameters.options, customerCacheMinutes: variant.minutes } };
				if (node.webhookId) node.webhookId = randomUUID();
			}
			const file = path.join(userFolder, `${variant.id}.json`);
			fs.writeFileSync(file, JSON.stringify(workflow));
			return file;
		});
		await n8n.importWorkflows({ userFolder, files });
		for (const variant of variants) await n8n.publishWorkflow({ userFolder, id: variant.id });
		server = await n8n.startN8n({ userFolder, port: PORT });
		for (const variant of variants) await n8n.waitForWebhook({ url: server.url, path: variant.webhookPath });
		process.stderr.write(`n8n on 127.0.0.1:${PORT}, ${installed.name}@${installed.version} installed in ${userFolder}\n`);

		await resetStandins(env);
		const listed = await shopify(env, 'POST', `/admin/api/${env.shopify.apiVersion}/graphql.json`, { query: `{ customers(first: ${CUSTOMERS}) { nodes { email } } }` });
		const emails = listed.data.customers.nodes.map((node) => node.email).filter(Boolean);
		const urlOf = (variant) => `${server.url}/webhook/${variant.webhookPath}`;

		// one untimed ticket through each, so n8n and the pack have loaded what they load once
		await resetStandins(env);
		for (const variant of variants) await burst(urlOf(variant), makeTickets(emails.slice(0, 1), `warmup-${variant.key}`).slice(0, 1));

		const results = { before: [], afterCold: [], afterWarm: [] };
		const scenarios = [
			async (run) => {
				await resetStandins(env);
				results.before.push(await measure(env, urlOf(variants[0]), makeTickets(emails, `off-${run}`)));
			},
			async (run) => {
				await resetStandins(env);
				results.afterCold.push(await measure(env, urlOf(variants[1]), makeTickets(emails, `cold-${run}`)));
				// the second burst: new tickets, the same customers, the bucket as the first one found it
				results.afterWarm.push(await measure(env, urlOf(variants[1]), makeTickets(emails, `warm-${run}`)));
			},
		];
		for (let run = 0; run < RUNS; run++) {
			const order = run % 2 ? [...scenarios].reverse() : scenarios;
			for (const scenario of order) await scenario(run);
			const last = (list) => list[list.length - 1];
			process.stderr.write(`run ${run + 1}: ${['before', 'afterCold', 'afterWarm'].map((key) => `${key} ${last(results[key]).ticketsPerSecond.toFixed(2)}/s ${last(results[key]).points} pts ${last(results[key]).throttled} throttled ${JSON.stringify(last(results[key]).statuses)}`).join('; ')}\n`);
		}

		// the same decisions with and without the cache (the answer's tier and route per ticket, matched by position)
		const same = (a, b) => a.decisions.join() === b.decisions.join();
		const decisionsMatch = results.before.every((run, index) => same(run, results.afterCold[index]) && same(run, results.afterWarm[index]));

		const row = (label, list) => {
			const rate = median(list.map((entry) => entry.ticketsPerSecond));
			return { label, rate, line: `  ${label.padEnd(28)} ${rate.toFixed(2).padStart(7)} tickets/s   ${String(median(list.map((entry) => entry.points))).padStart(6)} points   ${String(median(list.map((entry) => entry.requests))).padStart(5)} requests   ${String(median(list.map((entry) => entry.throttled))).padStart(4)} throttled   ${(median(list.map((entry) => entry.ms)) / 1000).toFixed(1).padStart(6)} s   runs: ${list.map((entry) => entry.ticketsPerSecond.toFixed(2)).join(', ')} tickets/s` };
		};
		const rows = [row('before (cache off)', results.before), row('after, cold cache', results.afterCold), row('after, warm cache', results.afterWarm)];
		console.log(`Intake burst in n8n: ${TICKETS} tickets from ${emails.length} customers, ${CONCURRENCY} at a time, Shopify's standard bucket (2,000 points, 100 points/s) holding ${BUCKET} points at each burst's start; medians of ${RUNS} runs (Shopify points spent after refunds, GraphQL requests, THROTTLED answers):`);
		for (const entry of rows) console.log(entry.line);
		console.log('  by query (points / requests, medians): what each part of the intake asks of Shopify');
		for (const [label, list] of [['before', results.before], ['after, cold', results.afterCold], ['after, warm', results.afterWarm]]) {
			const names = [...new Set(list.flatMap((entry) => Object.keys(entry.byOperation)))].sort();
			const cells = names.map((name) => `${name} ${median(list.map((entry) => entry.byOperation[name]?.points ?? 0))} / ${median(list.map((entry) => entry.byOperation[name]?.requests ?? 0))}`);
			console.log(`    ${label.padEnd(12)} ${cells.join(', ')}`);
		}
		console.log(`  ratios: cold ${(rows[1].rate / rows[0].rate).toFixed(2)}x, warm ${(rows[2].rate / rows[0].rate).toFixed(2)}x the tickets/s of the cache off`);
		console.log(`  answers: ${['before', 'afterCold', 'afterWarm'].map((key) => `${key} ${JSON.stringify(results[key].map((entry) => entry.statuses))}`).join('; ')}`);
		console.log(`  the same tier and decision for every ticket with and without the cache: ${decisionsMatch ? 'yes' : 'NO'}`);
		if (!decisionsMatch) process.exitCode = 1;
	} finally {
		if (server) await server.stop();
		if (process.env.CX_BENCH_KEEP_FOLDER) process.stderr.write(`user folder kept: ${userFolder}\n`);
		else fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});

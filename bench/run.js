#!/usr/bin/env node
'use strict';
/**
 * Benchmarks, measured side by side in one run so the ratios hold on a shared, noisy machine:
 *   1. triage decisions: tickets per second, around the clock against business hours;
 *   2. win-back planning at 10,000 and 100,000 customers (the ratio shows how it scales);
 *   3. Shopify enrichment: the node's batched lookup against one request per customer, through the same
 *      SDK and the same stand-in (request count and wall time).
 * Run with `npm run bench` (builds; scripts/bench.sh starts the stand-ins when they are not running). The
 * same command then runs bench/winback-scale.js: one real win-back run of the node at 10,000 and 100,000
 * customers, on stand-ins of its own (memory, requests per service, where the time goes).
 */
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const root = path.resolve(__dirname, '..');
const dist = (file) => require(path.join(root, 'dist', file));
const envFile = path.join(process.env.CX_STANDINS_DIR || path.join(root, '.standins'), 'env.json');

function syntheticTickets(count) {
	const bodies = [
		'Where is my order? Could you send the tracking number?',
		'My print arrived damaged, the glass is cracked. I want a replacement.',
		'I received the wrong size, not what I ordered.',
		'This is unacceptable, I will file a chargeback if I do not get a refund today!',
		'What sizes do you offer for the ocean print?',
		'Love it! Beautiful colours and great packaging.',
		'My order still has not arrived, two weeks late.',
	];
	const channels = ['email', 'chat', 'phone', 'social', 'whatsapp'];
	return Array.from({ length: count }, (_, n) => ({
		ticketId: `B-${n}`,
		subject: `Order #${1000 + (n % 500)}`,
		body: `${bodies[n % bodies.length]}\n\nOn Mon, 2 Nov 2026 at 09:00, Support wrote:\n> Thanks for your message.`,
		channel: channels[n % channels.length],
		customerEmail: `bench.${n % 3000}@example-store.test`,
		createdAt: new Date(Date.UTC(2026, 10, 2, n % 24, n % 60)),
	}));
}

function timeIt(fn, rounds = 5) {
	const times = [];
	for (let round = 0; round < rounds; round++) {
		const start = performance.now();
		fn();
		times.push(performance.now() - start);
	}
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)];
}

function benchTriage() {
	const { triageTicket, triageModel, DEFAULT_TRIAGE_POLICY } = dist('nodes/CxTicketTriage/triage.js');
	const tickets = syntheticTickets(20_000);
	const now = new Date('2026-11-02T12:00:00Z');
	const businessHours = { ...DEFAULT_TRIAGE_POLICY, businessHours: { timeZone: 'America/New_York', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } };
	const model = triageModel();
	const calendar = timeIt(() => tickets.forEach((ticket) => triageTicket(ticket, undefined, DEFAULT_TRIAGE_POLICY, now)));
	const hours = timeIt(() => tickets.forEach((ticket) => triageTicket(ticket, undefined, businessHours, now)));
	const learned = timeIt(() => tickets.forEach((ticket) => triageTicket(ticket, undefined, DEFAULT_TRIAGE_POLICY, now, model)), 3);
	console.log(`triage, ${tickets.length} tickets (median of 5; the learned model of 3):`);
	console.log(`  rules, calendar clock ${calendar.toFixed(0)} ms  (${Math.round(tickets.length / (calendar / 1000))} tickets/s)`);
	console.log(`  business hours (NY)   ${hours.toFixed(0)} ms  (${Math.round(tickets.length / (hours / 1000))} tickets/s)  ratio ${(hours / calendar).toFixed(2)}x`);
	console.log(`  learned model (default) ${learned.toFixed(0)} ms  (${Math.round(tickets.length / (learned / 1000))} tickets/s)  ratio ${(learned / calendar).toFixed(2)}x`);
	benchTriageOnCorpus(triageTicket, model, DEFAULT_TRIAGE_POLICY, businessHours, now);
}

/**
 * The learned model (the default) on the triage corpus's tickets as a store receives them: one-liners, long emails
 * with quoted history and signatures, typos, other languages. Throughput with and without business hours, and the
 * time per ticket at the median and the 99th percentile (each ticket timed alone, after a warm-up pass).
 */
function benchTriageOnCorpus(triageTicket, model, calendarPolicy, hoursPolicy, now) {
	const { readCorpus, triageInput } = require(path.join(root, 'scripts', 'corpus.js'));
	const { train, test } = readCorpus();
	const all = [...train, ...test].map((ticket) => ({ ...triageInput(ticket), language: ticket.language }));
	const english = all.filter((ticket) => ticket.language === 'en');
	const sets = { 'English tickets': english, [`all tickets (${Math.round((100 * (all.length - english.length)) / all.length)}% es/fr/de)`]: all };
	const chars = (set) => Math.round(set.reduce((sum, ticket) => sum + ticket.body.length, 0) / set.length);
	console.log(`triage on the corpus's tickets, learned model (median of 5 passes):`);
	for (const [name, tickets] of Object.entries(sets)) {
		tickets.forEach((ticket) => triageTicket(ticket, undefined, calendarPolicy, now, model));
		const calendar = timeIt(() => tickets.forEach((ticket) => triageTicket(ticket, undefined, calendarPolicy, now, model)));
		const hours = timeIt(() => tickets.forEach((ticket) => triageTicket(ticket, undefined, hoursPolicy, now, model)));
		const each = tickets.map((ticket) => {
			const start = performance.now();
			triageTicket(ticket, undefined, calendarPolicy, now, model);
			return performance.now() - start;
		}).sort((a, b) => a - b);
		const at = (share) => each[Math.min(each.length - 1, Math.floor(each.length * share))] * 1000;
		console.log(`  ${name} (${tickets.length}, body ${chars(tickets)} characters on average): ${Math.round(tickets.length / (calendar / 1000))} tickets/s; business hours ${Math.round(tickets.length / (hours / 1000))} tickets/s; per ticket p50 ${at(0.5).toFixed(0)} us, p99 ${at(0.99).toFixed(0)} us`);
	}
}

/** Win-back planning: 10,000 against 100,000 customers, to show the cost grows with the store, not faster. */
function benchWinBack() {
	const { planWinBack } = dist('nodes/CxWinBack/winback.js');
	const { WINBACK_POLICY } = dist('nodes/shared/policy.js');
	const now = new Date('2026-11-01T00:00:00Z');
	let seed = 42;
	const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
	const customers = (count) =>
		Array.from({ length: count }, (_, n) => {
			const orders = 1 + Math.floor(random() * 8);
			const orderDates = Array.from({ length: orders }, () => new Date(now.getTime() - Math.floor(random() * 900) * 86_400_000).toISOString());
			return {
				customerId: `gid://shopify/Customer/${n}`,
				email: `bench.${n}@example-store.test`,
				orderDates,
				orderCount: orders,
				amountSpent: { cents: Math.floor(random() * 300_000), currency: 'USD' },
				marketingConsent: random() < 0.8 ? 'SUBSCRIBED' : 'NOT_SUBSCRIBED',
				tags: [],
			};
		});
	const contacts = { openTicketCustomerIds: new Set(), compensatedSince: new Map(), lastWinBackAt: new Map() };
	const small = customers(10_000);
	const large = customers(100_000);
	const smallMs = timeIt(() => planWinBack(small, contacts, WINBACK_POLICY, now), 3);
	const largeMs = timeIt(() => planWinBack(large, contacts, WINBACK_POLICY, now), 3);
	console.log('win-back planning (median of 3):');
	console.log(`  10,000 customers      ${smallMs.toFixed(0)} ms`);
	console.log(`  100,000 customers     ${largeMs.toFixed(0)} ms  ratio ${(largeMs / smallMs).toFixed(1)}x for 10x the customers`);
}

async function benchEnrichment(env) {
	const { ShopifyService } = dist('nodes/shared/services/shopify/client.js');
	const { customerProfiles } = dist('nodes/shared/services/shopify/customers.js');
	const context = {
		getNode: () => ({ name: 'bench', type: 'bench', typeVersion: 1, position: [0, 0], parameters: {} }),
		// every parameter at its default: the Admin API credential with an access token
		getNodeParameter: (_name, _index, fallback) => fallback,
		getCredentials: async () => ({ shopDomain: env.shopify.shopDomain, accessToken: env.shopify.accessToken, apiVersion: env.shopify.apiVersion }),
	};
	const shopify = await ShopifyService.connect(context);
	const { data } = await shopify.query('{ customers(first: 200) { nodes { email } } }');
	const emails = data.customers.nodes.map((node) => node.email).filter(Boolean);

	let requests = 0;
	const query = shopify.query.bind(shopify);
	shopify.query = (...args) => {
		requests++;
		return query(...args);
	};
	let start = performance.now();
	const batched = await customerProfiles(shopify, { emails, ids: [] });
	const batchedMs = performance.now() - start;
	const batchedRequests = requests;

	requests = 0;
	start = performance.now();
	let found = 0;
	for (const email of emails) {
		// what a per-item node would do: one lookup per ticket
		const one = await customerProfiles(shopify, { emails: [email], ids: [] });
		found += one.size > 0 ? 1 : 0;
	}
	const naiveMs = performance.now() - start;
	console.log(`Shopify enrichment, ${emails.length} customers (stand-in, real SDK, one run):`);
	console.log(`  batched (the node)    ${batchedRequests} requests, ${batchedMs.toFixed(0)} ms, ${new Set([...batched.values()].map((profile) => profile.customerId)).size} profiles`);
	console.log(`  one per customer      ${requests} requests, ${naiveMs.toFixed(0)} ms, ${found} profiles`);
	console.log(`  ratio                 ${(requests / batchedRequests).toFixed(0)}x fewer requests, ${(naiveMs / batchedMs).toFixed(1)}x faster`);
}

async function main() {
	benchTriage();
	benchWinBack();
	if (!fs.existsSync(envFile)) throw new Error(`the stand-ins are not running (${envFile}); run \`npm run bench\`, which starts them`);
	await benchEnrichment(JSON.parse(fs.readFileSync(envFile, 'utf8')));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});

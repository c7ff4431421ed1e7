#!/usr/bin/env node
'use strict';
/**
 * The demo's history in the Supabase stand-in: support tickets and survey answers of the sample store's
 * customers, as a store would have them after a few weeks with the pack (`npm run demo` runs it after the
 * stand-ins start).
 *
 *   tickets            360 over the last 8 weeks, every channel; each triaged by the pack's own triage
 *                      (dist/, so `npm run build` first) and stored as CX Ticket Triage stores it. Most are
 *                      solved or closed; some open ones are past their SLA (the SLA breach sweep escalates
 *                      them); suggestions carry `intent:feedback` and some complaints a person's `feedback` tag.
 *   survey_responses   420 NPS, CSAT and CES answers over the last 8 weeks with tier, channel and issue type,
 *                      about a third with a comment; shipping answers dip in the last week (a carrier delay),
 *                      so the weekly report has something to say.
 *   return requests    in the Shopify stand-in, 200 generated requests (its generator, scripts/standins/shopify-returns.js:
 *                      every reason, in and past the 30-day window, final sale and made to order, about a fifth shipped
 *                      to the EU, a few serial returners) beside its six seeded ones, all waiting for CX: daily returns
 *                      desk. When the running store has another count, or the desk decided its requests before (rows in
 *                      return_decisions), the store is seeded again with them (the stand-in's reset: the whole store
 *                      back to its seed) and those rows and their escalations are deleted, so the demo decides them afresh.
 *
 * Customers, emails and orders are the Shopify stand-in's (the same seed, at the size the running stand-in
 * has), so customer health and win-back's open-ticket suppression find them. Everything is synthetic.
 * Deterministic: a fixed PRNG seed, dates counted back from the current UTC hour (the SLA sweep and the weekly
 * report measure against now). Idempotent: rows are upserted on tickets.external_id (DEMO-T-0001...) and
 * survey_responses.external_id (DEMO-S-0001...), so a second run rewrites the same rows.
 *
 * Usage: node scripts/demo-seed.js [--tickets N] [--responses N] [--return-requests N]   (the stand-ins must be running;
 *        --return-requests defaults to CX_SHOPIFY_RETURN_REQUESTS, else 200)
 */
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const { createClient } = require('@supabase/supabase-js');
const { buildSeed } = require('./standins/shopify-store.js');
const { prng } = require('./standins/shopify-seed.js');

const root = path.resolve(__dirname, '..');
const standinsDir = process.env.CX_STANDINS_DIR || path.join(root, '.standins');
const SEED = 20261123;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const WEEKS = 8;
const FIRST_GENERATED_CUSTOMER = 1101;

function loadTriage() {
	const dist = path.join(root, 'dist', 'nodes');
	try {
		const { triageTicket, DEFAULT_TRIAGE_POLICY } = require(path.join(dist, 'CxTicketTriage', 'triage.js'));
		const { tierFromProfile } = require(path.join(dist, 'shared', 'contract', 'customer.js'));
		const { ticketRow } = require(path.join(dist, 'CxTicketTriage', 'ticketRow.js'));
		const { moneyFromDecimal } = require(path.join(dist, 'shared', 'money.js'));
		const { triageModel } = require(path.join(dist, 'CxTicketTriage', 'triageModel.js'));
		return { triageTicket, tierFromProfile, DEFAULT_TRIAGE_POLICY, moneyFromDecimal, ticketRow, triageModel };
	} catch (error) {
		throw new Error(`the built pack is missing (${error.message}): run \`npm run build\` first`);
	}
}

function readStandinsEnv() {
	const file = path.join(standinsDir, 'env.json');
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		throw new Error(`the stand-ins are not running (${file} missing): run \`npm run standins start\` first`);
	}
}

/** A request to one of the Shopify stand-in's own routes (its state, its return requests), JSON in and out. */
function shopifyStandin(shopify, route, body) {
	return new Promise((resolve, reject) => {
		const request = https.request(
			`https://${shopify.shopDomain}${route}`,
			{ method: body === undefined ? 'GET' : 'POST', ca: fs.readFileSync(shopify.caFile), headers: { 'X-Shopify-Access-Token': shopify.accessToken, 'Content-Type': 'application/json' }, timeout: 60_000 },
			(response) => {
				let text = '';
				response.setEncoding('utf8').on('data', (chunk) => (text += chunk));
				response.on('end', () => {
					if (response.statusCode !== 200) return reject(new Error(`Shopify stand-in ${route}: HTTP ${response.statusCode}`));
					resolve(JSON.parse(text));
				});
			},
		);
		request.on('timeout', () => request.destroy(new Error(`Shopify stand-in ${route}: no answer in 60 s`)));
		request.on('error', reject);
		request.end(body === undefined ? undefined : JSON.stringify(body));
	});
}

/**
 * The store's return requests for the returns desk: `wanted` generated beside the seeded six, none decided yet. A store
 * with another count, or whose requests the desk decided before, is seeded again and the desk's rows of them deleted.
 * `returns`: what the stand-in's state says of its return requests now.
 */
async function seedReturnRequests(shopify, supabase, wanted, returns) {
	const { count, error } = await supabase.from('return_decisions').select('id', { count: 'exact', head: true }).like('return_key', 'gid://shopify/Return/%');
	if (error) throw new Error(`return_decisions: ${error.message} (apply supabase/migrations)`);
	if (returns.generatedRequests === wanted && !count) return { ...returns, reseeded: false };
	const seeded = await shopifyStandin(shopify, '/__standin/return-requests', { count: wanted });
	// the desk's rows of the requests, and the escalations of those a person was to review (CX: daily returns desk)
	for (const [table, column, pattern] of [['return_decisions', 'return_key', 'gid://shopify/Return/%'], ['escalations', 'ticket_external_id', 'return-%']]) {
		const { error: deleteError } = await supabase.from(table).delete().like(column, pattern);
		if (deleteError) throw new Error(`${table}: ${deleteError.message}`);
	}
	return { ...seeded.returns, reseeded: true, forgotten: count ?? 0 };
}

// ---------------------------------------------------------------------------------------------------------
// What customers write. {order} is the order's name, {product} a product of it.

const TICKET_TEXTS = [
	// [weight, subject, body]
	[10, 'Where is my order?', 'Hi, where is my order {order}? Could you send me the tracking number please?'],
	[6, 'Tracking for {order}', 'Hello, has my order shipped yet? I would like a tracking link for {order}.'],
	[8, 'Still waiting for {order}', 'My {product} still has not arrived. It was supposed to be here days ago.'],
	[4, 'Delivery is late', 'The delivery of {order} is running late and the tracking has not moved for a week. Disappointed.'],
	[3, 'Need it by Saturday', 'My {product} has not arrived yet and I need it by Saturday, it is a gift for my mother. Please help urgently.'],
	[7, 'Arrived damaged', 'The {product} arrived damaged, one corner is bent. Can you send a replacement?'],
	[3, 'Cracked glass', 'The frame came with cracked glass. This is really disappointing for a gift. I would like a replacement or a refund.'],
	[4, 'Wrong print', 'I received the wrong print in order {order}. I ordered the {product}.'],
	[3, 'Something is missing', 'The hanging hardware is missing from the box of {order}.'],
	[5, 'Refund request', 'I would like a refund for {order}, the colours are not what I expected.'],
	[5, 'Return', 'How do I return the {product}? It does not fit the wall I planned.'],
	[3, 'Exchange', 'Could I exchange it for the larger size? Order {order}.'],
	[4, 'Please cancel', 'Please cancel my order {order}, I ordered the same print twice by mistake.'],
	[3, 'Charged twice', 'I was charged twice for order {order}. Please fix this.'],
	[4, 'Change address', 'Can I change the shipping address on {order}? We are moving next week.'],
	[4, 'Discount code', 'My discount code did not work at checkout for {order}. Can you apply it?'],
	[9, 'Framing options', 'Hello! Do you offer framing options for the {product}? What sizes are available?'],
	[5, 'Paper question', 'What paper do you use for the art prints, and how do I clean the frame glass?'],
	[5, 'Suggestion', 'A suggestion: it would be great if you offered gift wrapping and a handwritten card.'],
	[3, 'Feedback on the packaging', 'Some feedback: the tube for the A3 print was a little thin. You could add a stiffer tube.'],
	[6, 'Thank you!', 'Love the {product}, it looks wonderful in our hallway. Great packaging too.'],
	[2, 'Chargeback', 'The {product} arrived broken and nobody answers my emails. If I do not get a refund this week I will file a chargeback.'],
	[1, 'Terrible service', 'Three weeks and still nothing. This is unacceptable, I will leave a one-star review on Trustpilot.'],
	[1, 'Final notice', 'Your store ignored my refund request for {order}. My lawyer will contact you if this is not resolved.'],
];

const CHANNELS = [['email', 45], ['chat', 24], ['phone', 10], ['whatsapp', 12], ['social', 9]];

const COMMENTS = {
	unhappy: [
		'Delivery took almost three weeks and nobody told me why.',
		'The print arrived with a creased corner.',
		'The tracking link never worked.',
		'Support took days to answer my question.',
		'The frame glass was cracked on arrival.',
		'The colours look much duller than on the website.',
		'Checkout refused my discount code twice.',
	],
	middling: [
		'Nice print, but the packaging could be sturdier.',
		'Good quality, shipping was slower than I hoped.',
		'Fine overall; the size guide could be clearer.',
		'It would be nice to have more frame colours.',
	],
	happy: [
		'Beautiful colours, I will order again.',
		'Fast shipping and lovely packaging.',
		'The support team sorted my question in minutes.',
		'Exactly like the photos, thank you!',
		'Great quality paper, it looks like an original.',
	],
};

const SURVEY_CHANNELS = [['email', 62], ['chat', 22], ['phone', 9], ['whatsapp', 7]];
const ISSUE_TYPES = [['order', 30], ['product', 25], ['shipping', 25], ['general', 20]];
const SURVEY_TYPES = [['nps', 40], ['csat', 45], ['ces', 15]];
/** Score weights per scale; shipping answers of the last week use the `delayed` row (a carrier delay). */
const SCORES = {
	nps: { usual: [2, 1, 1, 2, 2, 4, 5, 12, 16, 25, 30], delayed: [6, 3, 4, 5, 5, 8, 8, 14, 14, 17, 16] },
	csat: { usual: [3, 3, 7, 27, 60], delayed: [12, 10, 16, 28, 34] },
	ces: { usual: [2, 3, 5, 10, 20, 30, 30], delayed: [6, 8, 10, 14, 20, 22, 20] },
};
const MIN_SCORE = { nps: 0, csat: 1, ces: 1 };

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? '');
const pad = (n) => String(n).padStart(4, '0');
const iso = (epoch) => new Date(epoch).toISOString();
const countBy = (rows, key) => rows.reduce((counts, row) => ((counts[row[key]] = (counts[row[key]] ?? 0) + 1), counts), {});
const listCounts = (counts, order) => order.filter((key) => counts[key]).map((key) => `${key} ${counts[key]}`).join(', ');

function arg(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	if (index < 0) return fallback;
	const value = Number.parseInt(process.argv[index + 1], 10);
	if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a count`);
	return value;
}

// ---------------------------------------------------------------------------------------------------------

function profileOf(customer, moneyFromDecimal) {
	return {
		customerId: customer.id,
		email: customer.email,
		firstName: customer.firstName,
		lastName: customer.lastName,
		lifetimeSpend: moneyFromDecimal(customer.amountSpent.amount, customer.amountSpent.currencyCode),
		orderCount: Number(customer.numberOfOrders),
		tags: customer.tags,
	};
}

/** When the first response and the resolution happened, and the status now; null times have not happened yet. */
function ticketStory(random, createdAt, sla, anchor) {
	const ageDays = (anchor - createdAt) / DAY_MS;
	const firstMinutes = sla.firstResponseMinutes;
	const factor = random.weighted([[random.next() * 0.8 + 0.1, 72], [random.next() * 0.6 + 0.9, 18], [random.next() * 2.5 + 1.5, 10]]);
	// chat and WhatsApp targets are seconds: nobody answers in under a minute on average, so some miss it
	let respondedAt = createdAt + Math.max(firstMinutes * factor, firstMinutes < 1 ? random.next() * 6 : 0) * MINUTE_MS;
	const resolvedAt = createdAt + sla.resolutionHours * HOUR_MS * random.weighted([[random.next() * 0.8 + 0.1, 85], [random.next() * 1.5 + 0.9, 15]]);
	const roll = random.next();
	let status;
	if (ageDays < 2) status = roll < 0.55 ? 'open' : roll < 0.8 ? 'pending' : 'solved';
	else if (ageDays < 7) status = roll < 0.12 ? 'open' : roll < 0.18 ? 'pending' : roll < 0.85 ? 'solved' : 'closed';
	else status = roll < 0.02 ? 'open' : roll < 0.3 ? 'solved' : 'closed';
	if ((status === 'solved' || status === 'closed') && resolvedAt > anchor) status = 'pending';
	const open = status === 'open' || status === 'pending';
	// an open ticket a person forgot: some were never answered at all
	if (respondedAt > anchor || (open && ageDays >= 2 && random.chance(0.35))) respondedAt = null;
	if (!open && respondedAt === null) respondedAt = Math.min(resolvedAt, createdAt + firstMinutes * MINUTE_MS);
	return { status, respondedAt, resolvedAt: open ? null : resolvedAt };
}

/** The row CX Ticket Triage stores, with the life the ticket has had since (status, responses, tags). */
function ticketRow(ticket, decision, story, pack) {
	return {
		...pack.ticketRow(ticket, decision, ticket.createdAt),
		tags: story.tags,
		status: story.status,
		first_responded_at: story.respondedAt === null ? null : iso(story.respondedAt),
		resolved_at: story.resolvedAt === null ? null : iso(story.resolvedAt),
	};
}

function makeTickets(random, customers, anchor, count, pack) {
	const { triageTicket, DEFAULT_TRIAGE_POLICY, moneyFromDecimal, triageModel } = pack;
	const texts = TICKET_TEXTS.map(([weight, subject, body]) => [{ subject, body }, weight]);
	const rows = [];
	for (let n = 1; n <= count; n++) {
		const customer = random.pick(customers);
		const order = customer.orders.length ? customer.orders[customer.orders.length - 1 - Math.floor(random.next() * Math.min(2, customer.orders.length))] : null;
		const text = random.weighted(texts);
		const values = { order: order?.name ?? 'my last order', product: order?.lineItems?.[0]?.title ?? 'print' };
		// recent weeks are busier: half the tickets in the last three weeks
		const daysBack = random.chance(0.5) ? random.next() * 21 : random.next() * WEEKS * 7;
		const ticket = {
			ticketId: `DEMO-T-${pad(n)}`,
			subject: fill(text.subject, values),
			body: fill(text.body, values),
			channel: random.weighted(CHANNELS),
			customerEmail: customer.email,
			createdAt: new Date(anchor - Math.max(10 * MINUTE_MS, daysBack * DAY_MS)),
			...(order ? { orderId: order.name } : {}),
			...(order && random.chance(0.5) ? { orderValue: moneyFromDecimal(order.totalPriceSet.shopMoney.amount, order.totalPriceSet.shopMoney.currencyCode) } : {}),
		};
		// read as the node reads by default: the learned model
		const decision = triageTicket(ticket, profileOf(customer, moneyFromDecimal), DEFAULT_TRIAGE_POLICY, ticket.createdAt, triageModel());
		const story = ticketStory(random, ticket.createdAt.getTime(), decision.triage.sla, anchor);
		// a person tags some complaints as product feedback, beside triage's intent:feedback
		const personTagged = ['damaged', 'praise', 'shipping_delay'].includes(decision.triage.intent) && random.chance(0.2);
		story.tags = personTagged ? [...decision.triage.tags, 'feedback'] : decision.triage.tags;
		rows.push(ticketRow(ticket, decision, story, pack));
	}
	return rows;
}

function makeResponses(random, customers, anchor, count, pack) {
	const { tierFromProfile, DEFAULT_TRIAGE_POLICY, moneyFromDecimal } = pack;
	const rows = [];
	for (let n = 1; n <= count; n++) {
		const customer = random.pick(customers);
		const order = customer.orders.length ? customer.orders[customer.orders.length - 1] : null;
		const type = random.weighted(SURVEY_TYPES);
		const daysBack = random.next() * WEEKS * 7;
		const lastWeek = daysBack < 7;
		const issueType = random.weighted(lastWeek ? ISSUE_TYPES.map(([issue, weight]) => [issue, issue === 'shipping' ? weight * 2 : weight]) : ISSUE_TYPES);
		const weights = SCORES[type][lastWeek && issueType === 'shipping' ? 'delayed' : 'usual'];
		const rated = random.chance(0.97);
		const score = rated ? random.weighted(weights.map((weight, index) => [MIN_SCORE[type] + index, weight])) : null;
		const mood = score === null ? null : type === 'nps' ? (score <= 6 ? 'unhappy' : score <= 8 ? 'middling' : 'happy') : type === 'csat' ? (score <= 2 ? 'unhappy' : score === 3 ? 'middling' : 'happy') : score <= 3 ? 'unhappy' : score <= 5 ? 'middling' : 'happy';
		// unhappy customers say why more often
		const comment = mood && random.chance(mood === 'unhappy' ? 0.6 : mood === 'middling' ? 0.35 : 0.2) ? random.pick(COMMENTS[mood]) : null;
		rows.push({
			external_id: `DEMO-S-${pad(n)}`,
			customer_id: customer.id,
			customer_email: customer.email,
			order_id: order?.id ?? null,
			type,
			score,
			comment,
			channel: type === 'nps' ? 'email' : random.weighted(SURVEY_CHANNELS),
			tier: tierFromProfile(profileOf(customer, moneyFromDecimal), DEFAULT_TRIAGE_POLICY.tiers).tier,
			issue_type: issueType,
			responded_at: iso(anchor - Math.max(30 * MINUTE_MS, daysBack * DAY_MS)),
		});
	}
	return rows;
}

async function upsert(supabase, table, rows) {
	for (let i = 0; i < rows.length; i += 500) {
		const { error } = await supabase.from(table).upsert(rows.slice(i, i + 500), { onConflict: 'external_id' });
		if (error) throw new Error(`upsert ${table}: ${error.message}${error.hint ? ` (${error.hint})` : ''}`);
	}
}

async function main() {
	const started = Date.now();
	const ticketCount = arg('tickets', 360);
	const responseCount = arg('responses', 420);
	const returnRequests = arg('return-requests', Number.parseInt(process.env.CX_SHOPIFY_RETURN_REQUESTS ?? '', 10) >= 0 ? Number.parseInt(process.env.CX_SHOPIFY_RETURN_REQUESTS, 10) : 200);
	const pack = loadTriage();
	const env = readStandinsEnv();
	// the running store: how many customers it holds (CX_SHOPIFY_CUSTOMERS when it started) and its return requests
	const state = await shopifyStandin(env.shopify, '/__standin/state');
	const size = state.customers;
	// the fixtures stay as the templates' sample tickets describe them; generated customers with orders write in
	const customers = buildSeed(size).customers.filter((customer) => Number(customer.legacyResourceId) >= FIRST_GENERATED_CUSTOMER && customer.orders.length > 0);
	if (!customers.length) throw new Error(`the Shopify stand-in has no generated customers with orders (size ${size})`);
	const anchor = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
	const random = prng(SEED);
	const tickets = makeTickets(random, customers, anchor, ticketCount, pack);
	const responses = makeResponses(random, customers, anchor, responseCount, pack);

	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
	await upsert(supabase, 'tickets', tickets);
	await upsert(supabase, 'survey_responses', responses);
	const returns = await seedReturnRequests(env.shopify, supabase, returnRequests, state.returns);

	const now = Date.now();
	const overdue = tickets.filter((row) => ['open', 'pending'].includes(row.status) && (
		(!row.first_responded_at && Date.parse(row.first_response_due_at) < now) || (!row.resolved_at && Date.parse(row.resolution_due_at) < now)));
	const feedback = tickets.filter((row) => row.tags.includes('intent:feedback') || row.tags.includes('feedback'));
	console.log(
		[
			`seeded Supabase for the ${size}-customer sample store in ${((Date.now() - started) / 1000).toFixed(1)} s:`,
			`  tickets ${tickets.length}: ${listCounts(countBy(tickets, 'priority'), ['urgent', 'high', 'medium', 'low'])};`,
			`    ${listCounts(countBy(tickets, 'status'), ['open', 'pending', 'solved', 'closed'])}; ${overdue.length} open past their SLA; ${feedback.length} tagged feedback`,
			`  survey_responses ${responses.length}: ${listCounts(countBy(responses, 'type'), ['nps', 'csat', 'ces'])}; ${responses.filter((row) => row.comment).length} with a comment`,
			`  Shopify return requests ${returns.byStatus.REQUESTED ?? 0} waiting (${returns.generatedRequests} generated, the rest seeded)${returns.reseeded ? `; the store seeded again${returns.forgotten ? `, ${returns.forgotten} earlier decisions of the desk deleted` : ''}` : ''}`,
		].join('\n'),
	);
}

main().catch((error) => {
	console.error(`demo seed: ${error.message}`);
	process.exit(1);
});

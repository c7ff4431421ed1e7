#!/usr/bin/env node
'use strict';
/**
 * The returns desk in the headless demo (`npm run demo -- --headless`): CX: daily returns desk, already imported, is
 * run three times on the demo store's return requests (the stand-in's six seeded ones and the generated ones
 * scripts/demo-seed.js asks for), and after each run this prints what a store owner checks:
 *
 *   decisions        approved, declined, to a person (return_decisions, the desk's ledger), and what this run did
 *   exchange first   size, colour and style requests that were offered an exchange before credit or money back
 *   EU               requests shipped to the EU (Shopify's shipping address), and how many asked within 14 days of
 *                    delivery (Shopify's dates) were declined: the withdrawal right says none, made to order aside
 *   emails, Shopify  SendGrid's messages of category cx-returns and the desk's answers in Shopify (the stand-in's
 *                    mutation log): the second and third runs must add none
 *
 * It ends with an error when a later run approved, declined or emailed anything again, or an EU request within its
 * 14 days was declined. Usage: node scripts/demo-returns.js --user-folder <dir> [--runs 3]   (the stand-ins running)
 */
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const { createClient } = require('@supabase/supabase-js');
const n8n = require('./n8n-local.js');

const root = path.resolve(__dirname, '..');
const WORKFLOW_ID = 'cxDailyReturnsDesk1';
const DAY_MS = 86_400_000;
const RUN_TIMEOUT_MS = 20 * 60_000;
/** Shopify's reasons a different variant of the same product answers (nodes/CxReturnsDesk/returnDecision.ts). */
const VARIANT_REASONS = ['SIZE_TOO_SMALL', 'SIZE_TOO_LARGE', 'COLOR', 'STYLE'];
/** What the desk does in Shopify (scripts/standins/shopify-returns.js logs each mutation). */
const RETURN_MUTATIONS = { returnApproveRequest: 'approved', returnDeclineRequest: 'declined', returnCreate: 'opened', returnRequest: 'requested' };
const OUTPUTS = ['approved', 'declined', 'to a person'];

function arg(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index < 0 ? fallback : process.argv[index + 1];
}

function standinsEnv() {
	const file = path.join(process.env.CX_STANDINS_DIR || path.join(root, '.standins'), 'env.json');
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		throw new Error(`the stand-ins are not running (${file} missing): run \`npm run standins start\` first`);
	}
}

/** The EU countries of the desk's policy, from the built pack (one list, not a copy). */
function euCountries() {
	try {
		return new Set(require(path.join(root, 'dist', 'nodes', 'shared', 'policy.js')).RETURN_POLICY.euCountries);
	} catch (error) {
		throw new Error(`the built pack is missing (${error.message}): run \`npm run build\` first`);
	}
}

/** A request to the Shopify stand-in (its own CA), JSON in and out. */
function shopifyRequest(shopify, route, body) {
	return new Promise((resolve, reject) => {
		const request = https.request(
			`https://${shopify.shopDomain}${route}`,
			{
				method: body === undefined ? 'GET' : 'POST',
				ca: fs.readFileSync(shopify.caFile),
				headers: { 'X-Shopify-Access-Token': shopify.accessToken, 'Content-Type': 'application/json' },
				timeout: 30_000,
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8').on('data', (chunk) => (text += chunk));
				response.on('end', () => (response.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`Shopify stand-in ${route}: HTTP ${response.statusCode} ${text.slice(0, 200)}`))));
			},
		);
		request.on('timeout', () => request.destroy(new Error(`Shopify stand-in ${route}: no answer in 30 s`)));
		request.on('error', reject);
		request.end(body === undefined ? undefined : JSON.stringify(body));
	});
}

/** A GraphQL query, waiting out THROTTLED as an app must (the bucket refills at the stand-in's restore rate). */
async function graphql(shopify, query, variables) {
	for (let attempt = 0; ; attempt++) {
		const answer = await shopifyRequest(shopify, `/admin/api/${shopify.apiVersion}/graphql.json`, { query, variables });
		if (!answer.errors) return answer.data;
		if (attempt < 30 && answer.errors.some((error) => error.extensions?.code === 'THROTTLED')) {
			await new Promise((resolve) => setTimeout(resolve, 2000));
			continue;
		}
		throw new Error(`Shopify stand-in: ${answer.errors.map((error) => error.message).join('; ')}`);
	}
}

/** Each return's facts as Shopify holds them: when it was asked for, where its order went, when it arrived. */
async function returnFacts(shopify, ids) {
	const facts = new Map();
	for (let at = 0; at < ids.length; at += 25) {
		const data = await graphql(
			shopify,
			'query CxDemoReturns($ids: [ID!]!) { nodes(ids: $ids) { ... on Return { id createdAt order { shippingAddress { countryCodeV2 } fulfillments(first: 5) { deliveredAt } } } } }',
			{ ids: ids.slice(at, at + 25) },
		);
		for (const node of data.nodes) {
			if (!node) continue;
			const delivered = node.order.fulfillments.map((parcel) => parcel.deliveredAt).filter(Boolean).sort();
			facts.set(node.id, { country: node.order.shippingAddress?.countryCodeV2 ?? null, requestedAt: Date.parse(node.createdAt), deliveredAt: delivered.length === node.order.fulfillments.length && delivered.length ? Date.parse(delivered.at(-1)) : null });
		}
	}
	return facts;
}

async function sendgridMessages(sendgrid) {
	const response = await fetch(`${sendgrid.baseUrl}/__standin/messages`, { headers: { Authorization: `Bearer ${sendgrid.apiKey}` } });
	if (!response.ok) throw new Error(`SendGrid stand-in: HTTP ${response.status}`);
	return (await response.json()).filter((message) => message.body?.categories?.includes('cx-returns'));
}

/** Every row of a table that matches, a page at a time (Supabase answers at most 1,000 rows a request). */
async function allRows(supabase, table, columns, filter) {
	const rows = [];
	for (let from = 0; ; from += 1000) {
		const { data, error } = await filter(supabase.from(table).select(columns)).order('id').range(from, from + 999);
		if (error) throw new Error(`${table}: ${error.message}`);
		rows.push(...data);
		if (data.length < 1000) return rows;
	}
}

const tally = (values) => values.reduce((counts, value) => ((counts[value] = (counts[value] ?? 0) + 1), counts), {});
const list = (counts, order = Object.keys(counts)) => order.filter((key) => counts[key]).map((key) => `${key} ${counts[key]}`).join(', ') || 'none';
const OUTCOME_WORDS = { approve: 'approved', decline: 'declined', review: 'needs review' };

/** What a store owner checks, read from the ledger, Shopify, SendGrid and the escalations; `facts` keeps what Shopify said of each return (it does not change between runs). */
async function storeState(env, supabase, eu, facts) {
	const rows = await allRows(supabase, 'return_decisions', 'id, return_key, outcome, return_reasons, reasons, decision', (query) => query.eq('step', 'decide').eq('source', 'shopify_return'));
	const unknown = rows.map((row) => row.return_key).filter((id) => !facts.has(id));
	for (const [id, fact] of await returnFacts(env.shopify, unknown)) facts.set(id, fact);
	const messages = await sendgridMessages(env.sendgrid);
	const { mutationLog } = await shopifyRequest(env.shopify, '/__standin/state');
	const actions = mutationLog.filter((entry) => RETURN_MUTATIONS[entry.mutation] && !entry.userErrors?.length);
	const escalations = await allRows(supabase, 'escalations', 'id, level', (query) => query.like('ticket_external_id', 'return-%'));

	const variant = rows.filter((row) => row.return_reasons.some((reason) => VARIANT_REASONS.includes(reason)));
	const variantOpen = variant.filter((row) => row.outcome !== 'decline');
	const euRows = rows.filter((row) => eu.has(facts.get(row.return_key)?.country));
	const withinFloor = euRows.filter((row) => {
		const fact = facts.get(row.return_key);
		return fact.deliveredAt !== null && fact.requestedAt - fact.deliveredAt <= 14 * DAY_MS;
	});
	// the withdrawal right does not cover goods made to the buyer's specification (CRD art. 16(c)), unless faulty
	const madeToOrder = (row) => (row.decision?.lines ?? []).every((line) => line.madeToOrder);
	const declinedWithin = withinFloor.filter((row) => row.outcome === 'decline');
	return {
		decided: tally(rows.map((row) => OUTCOME_WORDS[row.outcome])),
		total: rows.length,
		variant: {
			total: variant.length,
			declined: variant.length - variantOpen.length,
			notDeclined: variantOpen.length,
			exchangeFirst: variantOpen.filter((row) => row.decision?.offers?.[0] === 'exchange').length,
			outOfStock: variantOpen.filter((row) => row.decision?.offers?.[0] !== 'exchange' && row.reasons.includes('exchange_out_of_stock')).length,
			noVariant: variantOpen.filter((row) => row.decision?.offers?.[0] !== 'exchange' && row.reasons.includes('exchange_not_applicable')).length,
		},
		eu: {
			total: euRows.length,
			decided: tally(euRows.map((row) => OUTCOME_WORDS[row.outcome])),
			within: withinFloor.length,
			declinedWithin: declinedWithin.filter((row) => !madeToOrder(row)).length,
			declinedMadeToOrder: declinedWithin.filter(madeToOrder).length,
		},
		emails: { total: messages.length, byKind: tally(messages.map((message) => message.body.custom_args?.cx_email ?? 'other')) },
		shopify: { total: actions.length, byKind: tally(actions.map((entry) => RETURN_MUTATIONS[entry.mutation])) },
		escalations: escalations.length,
	};
}

/** What one run put out, by output (n8n's run data of the desk node). */
function runOutputs(run) {
	const tasks = run.data.resultData.runData['CX Returns Desk'] ?? [];
	const outputs = [[], [], []];
	for (const task of tasks) (task.data?.main ?? []).forEach((items, index) => outputs[index]?.push(...(items ?? []).map((item) => item.json)));
	return outputs;
}

async function main() {
	const userFolder = arg('user-folder');
	if (!userFolder) throw new Error('--user-folder is required');
	const runs = Number(arg('runs', '3'));
	const env = standinsEnv();
	const eu = euCountries();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
	const { returns } = await shopifyRequest(env.shopify, '/__standin/state');
	console.log(`the store's returns: ${list(returns.byStatus)} (${returns.generatedRequests} generated requests)`);

	const began = Date.now();
	const facts = new Map();
	let before = await storeState(env, supabase, eu, facts);
	const added = [];
	for (let number = 1; number <= runs; number++) {
		const started = Date.now();
		const run = await n8n.executeWorkflow({ userFolder, id: WORKFLOW_ID, timeoutMs: RUN_TIMEOUT_MS });
		const seconds = Math.round((Date.now() - started) / 1000);
		const [approved, declined, review] = runOutputs(run);
		const failed = review.filter((json) => json.error);
		const now = await storeState(env, supabase, eu, facts);
		const newReviews = (now.decided['needs review'] ?? 0) - (before.decided['needs review'] ?? 0);
		const emails = now.emails.total - before.emails.total;
		const actions = now.shopify.total - before.shopify.total;
		added.push({ emails, actions });
		console.log(`\nCX: daily returns desk, run ${number} of ${runs}: ${run.status} in ${seconds} s`);
		console.log(`  this run: ${approved.length} approved, ${declined.length} declined, ${review.length - failed.length} to a person (${newReviews} new, ${review.length - failed.length - newReviews} waiting since an earlier run), ${failed.length} not decided (tried again next run)`);
		console.log(`  decided (return_decisions): ${now.total}: ${list(now.decided, ['approved', 'declined', 'needs review'])}`);
		console.log(`  exchange first: ${now.variant.exchangeFirst} of the ${now.variant.notDeclined} size, colour and style requests not declined; store credit first for ${now.variant.noVariant} whose item comes in no other size, colour or style and ${now.variant.outOfStock} whose other variants are out of stock; ${now.variant.declined} declined`);
		console.log(`  EU: ${now.eu.total} shipped to the EU: ${list(now.eu.decided, ['approved', 'declined', 'needs review'])}; ${now.eu.within} asked within 14 days of delivery, ${now.eu.declinedWithin} of them declined${now.eu.declinedMadeToOrder ? ` (and ${now.eu.declinedMadeToOrder} made to order, which the withdrawal right excludes)` : ''}`);
		console.log(`  emails (SendGrid, category cx-returns): ${now.emails.total} (${emails >= 0 ? '+' : ''}${emails} this run; ${list(now.emails.byKind, ['customer', 'staff'])})`);
		console.log(`  Shopify: ${now.shopify.total} answers to returns (${actions >= 0 ? '+' : ''}${actions} this run; ${list(now.shopify.byKind)}); team lead told of ${now.escalations} VIP or high-value return(s) waiting for a person`);
		if (now.eu.declinedWithin > 0) throw new Error(`${now.eu.declinedWithin} EU request(s) made within 14 days of delivery were declined`);
		before = now;
	}
	const again = added.slice(1).filter((run) => run.emails || run.actions);
	if (again.length) throw new Error(`a later run emailed or answered again: ${JSON.stringify(added)}`);
	if (runs > 1) console.log(`\nthe ${runs - 1} run(s) after the first emailed nobody and changed nothing in Shopify: every decision was taken and told once`);
	console.log(`(${runs} runs and the checks in ${Math.round((Date.now() - began) / 1000)} s)`);
}

main().catch((error) => {
	console.error(`demo returns: ${error.message}`);
	process.exit(1);
});

#!/usr/bin/env node
'use strict';
/**
 * The return decision alone: the compiled decideReturn (dist/nodes/CxReturnsDesk/returnDecision.js) over generated
 * return requests, pure and in-process, no stand-ins. What it shows: decisions per second, and the time of one
 * decision at the median and the tail (each decision timed alone, after a warm-up pass over the same cases).
 *
 *   node bench/returns-decision.js [--cases 100000] [--runs 5]      (after `npx tsc -p tsconfig.build.json`)
 *
 * Cases come from a seeded generator, the same on every run: 1 to 3 lines, every Shopify return reason, a third of
 * them shipped to the EU, a tenth without a delivery date, final-sale and made-to-order tags, exchange variants in
 * and out of stock, the risk signals (serial returners, second returns, the no-returns tag, delay compensation), and
 * one order in five in yen or euros, converted through toOrderCurrency as the run does. Throughput is the median
 * of the runs' whole passes; the percentiles are over every decision of the last run.
 */
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const root = path.resolve(__dirname, '..');
const DAY = 86_400_000;

function argument(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : fallback;
}

function load() {
	const { decideReturn } = require(path.join(root, 'dist', 'nodes', 'CxReturnsDesk', 'returnDecision.js'));
	const { RETURN_POLICY } = require(path.join(root, 'dist', 'nodes', 'shared', 'policy.js'));
	const { moneyFromDecimal } = require(path.join(root, 'dist', 'nodes', 'shared', 'money.js'));
	return { decideReturn, RETURN_POLICY, moneyFromDecimal };
}

const REASONS = ['COLOR', 'DEFECTIVE', 'NOT_AS_DESCRIBED', 'OTHER', 'SIZE_TOO_LARGE', 'SIZE_TOO_SMALL', 'STYLE', 'UNKNOWN', 'UNWANTED', 'WRONG_ITEM'];
const TAGS = [[], [], [], [], ['ocean', 'framed'], ['final-sale'], ['made-to-order'], ['Custom', 'gift']];
const COUNTRIES = ['US', 'US', 'GB', 'CA', 'DE', 'FR', 'NL', 'it', 'JP'];
/** Order currency, its minor units per unit, and the rate from the policy's dollars. */
const CURRENCIES = [
	['USD', 100, 1],
	['USD', 100, 1],
	['USD', 100, 1],
	['USD', 100, 1],
	['EUR', 100, 0.92],
	['JPY', 1, 150],
];

function generateCases(count) {
	let seed = 20261206;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
	const pick = (list) => list[Math.floor(random() * list.length)];
	const delivered0 = Date.UTC(2026, 9, 1, 15);
	return Array.from({ length: count }, (_, n) => {
		const [currency, unit, rate] = pick(CURRENCIES);
		const money = (units) => ({ cents: Math.round(units * unit), currency });
		const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, (_x, k) => {
			const variantId = `gid://shopify/ProductVariant/${n}-${k}`;
			const exchangeVariants = Array.from({ length: Math.floor(random() * 4) }, (_y, v) => ({
				variantId: v === 0 && random() < 0.3 ? variantId : `${variantId}-${v}`,
				title: `Size ${v}`,
				available: Math.floor(random() * 4),
				price: money(45 * rate),
			}));
			return {
				id: `gid://shopify/ReturnLineItem/${n}-${k}`,
				fulfillmentLineItemId: `gid://shopify/FulfillmentLineItem/${n}-${k}`,
				title: 'Ocean print',
				variantTitle: 'A3',
				variantId,
				productType: 'Print',
				productTags: pick(TAGS),
				quantity: 1 + Math.floor(random() * 2),
				unitPrice: money(Math.round((10 + random() * 140) * rate * 100) / 100),
				reason: pick(REASONS),
				exchangeVariants,
				...(random() < 0.2 ? { wantedVariantId: `${variantId}-1` } : {}),
			};
		});
		const deliveredAt = random() < 0.9 ? new Date(delivered0 + Math.floor(random() * 60 * DAY)) : undefined;
		const anchor = deliveredAt ? deliveredAt.getTime() : delivered0;
		return {
			returnId: `gid://shopify/Return/${n}`,
			source: random() < 0.8 ? 'shopify_return' : 'ticket',
			orderId: `gid://shopify/Order/${n}`,
			orderName: `#${1000 + n}`,
			orderTags: random() < 0.05 ? ['final-sale'] : [],
			countryCode: pick(COUNTRIES),
			currency,
			deliveredAt,
			fulfilledAt: random() < 0.95 ? new Date(anchor - 4 * DAY) : undefined,
			requestedAt: new Date(anchor + Math.floor((random() * 45 - 3) * DAY)),
			shippingPaid: money(8 * rate),
			customer: { id: `gid://shopify/Customer/${n % 20_000}`, email: `bench.${n % 20_000}@example-store.test`, tags: random() < 0.03 ? ['no-returns'] : [] },
			history: { returnsCount: Math.floor(random() * random() * 8), returnedValue: money(random() * 150 * rate), spentValue: money((100 + random() * 1500) * rate) },
			otherReturnsOnOrder: random() < 0.1 ? 1 : 0,
			...(random() < 0.05 ? { delayCompensationPaid: money(25 * rate) } : {}),
			lines,
			rate,
		};
	});
}

function main() {
	const count = Number(argument('cases', '100000'));
	const runs = Number(argument('runs', '5'));
	const { decideReturn, RETURN_POLICY, moneyFromDecimal } = load();
	const cases = generateCases(count);
	// the run's converter: policy dollars into the order's currency at its rate, in the order's minor units
	const converters = new Map();
	const converterOf = (request) => {
		let convert = converters.get(request.currency);
		if (!convert) {
			convert = (amount) => moneyFromDecimal((amount * request.rate).toFixed(4), request.currency);
			converters.set(request.currency, convert);
		}
		return convert;
	};
	const policy = { ...RETURN_POLICY, restockingPercent: 10, returnShippingFee: 6 };
	const now = new Date(Date.UTC(2026, 11, 20));
	const outcomes = { approve: 0, decline: 0, review: 0 };
	const resolutions = {};
	for (const request of cases) {
		const decision = decideReturn(request, policy, now, converterOf(request));
		outcomes[decision.outcome]++;
		if (decision.resolution) resolutions[decision.resolution] = (resolutions[decision.resolution] ?? 0) + 1;
	}
	const passes = [];
	let each = [];
	for (let run = 0; run < runs; run++) {
		const start = performance.now();
		for (const request of cases) decideReturn(request, policy, now, converterOf(request));
		passes.push(performance.now() - start);
	}
	each = cases.map((request) => {
		const convert = converterOf(request);
		const start = performance.now();
		decideReturn(request, policy, now, convert);
		return performance.now() - start;
	});
	passes.sort((a, b) => a - b);
	each.sort((a, b) => a - b);
	const median = passes[Math.floor(passes.length / 2)];
	const at = (share) => each[Math.min(each.length - 1, Math.floor(each.length * share))] * 1000;
	const share = (value) => `${((100 * value) / count).toFixed(1)}%`;
	console.log(`return decisions, ${count.toLocaleString('en-US')} generated cases (median of ${runs} passes; each decision timed alone in one more):`);
	console.log(`  ${Math.round(count / (median / 1000)).toLocaleString('en-US')} decisions/s  (${median.toFixed(0)} ms a pass; passes ${passes.map((ms) => ms.toFixed(0)).join(', ')} ms)`);
	console.log(`  per decision p50 ${at(0.5).toFixed(1)} us, p95 ${at(0.95).toFixed(1)} us, p99 ${at(0.99).toFixed(1)} us`);
	console.log(`  outcomes: approve ${share(outcomes.approve)}, review ${share(outcomes.review)}, decline ${share(outcomes.decline)}; resolutions ${Object.entries(resolutions).map(([name, n]) => `${name} ${share(n)}`).join(', ')}`);
}

main();

#!/usr/bin/env node
'use strict';
/**
 * Satisfaction metrics at scale: a million survey responses through the compiled accumulators
 * (dist/nodes/CxSatisfactionMetrics/metrics.js), against the floor, a bare single pass over the very same rows.
 * Pure and in-process, no stand-ins. The requirement it checks: the metrics within 2x of the floor, and memory
 * flat in the number of responses.
 *
 *   node bench/satisfaction-scale.js [--runs 3] [--rows 1000000]      `npm run bench` runs it (after a build)
 *
 * Rows are shaped as PostgREST returns survey_responses to CX Satisfaction Metrics (id and the columns it selects;
 * responded_at as PostgreSQL writes a timestamptz in JSON, microseconds and "+00:00"), in pages of 1,000 as its
 * Supabase reader hands them on; one in 20 unrated, times spread over both weeks.
 *
 * Time: each run is a fresh Node process that builds the pages once, holds them in memory, and then times passes
 * over them, floor and metrics alternating (floor first in odd rounds, metrics first in even ones, so that a
 * slow spell of the shared machine falls on both). Neither pass pays for making the rows.
 *   floor    the least work a report of these rows needs, in plain JS: each row's fields read once, its time
 *            parsed (Date.parse) to find its period, its score counted and summed per period and type, its
 *            tier, channel and issue type counted. No checks, no breakdown by score.
 *   metrics  the node's own reader, readStoredAnswers (metricsRun.ts), handed the pages by a stand-in for the
 *            Supabase service's eachPage: each row read and checked (readSurveyAnswer), counted (addAnswer),
 *            then the report.
 * Reported: the median of each pass over all runs and rounds, and the median of the per-round ratios
 * metrics / floor (target at most 2.0x). The two passes must count the same answers in each period and type.
 *
 * Memory: one more fresh process (--expose-gc) streams the rows through the same reader as the node does,
 * each page of 1,000 made, counted and dropped, and after a full GC records heapUsed and RSS at 100,000,
 * 500,000 and 1,000,000 rows, as growth over the baseline taken before the first row. Flat means those do not
 * grow with the rows (GC time not timed there, and that pass is not the timed one).
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');

const root = path.resolve(__dirname, '..');
const DAY = 86_400_000;

function load() {
	const { readSurveyAnswer, SatisfactionMetrics } = require(path.join(root, 'dist', 'nodes', 'CxSatisfactionMetrics', 'metrics.js'));
	const { InputProblem } = require(path.join(root, 'dist', 'nodes', 'shared', 'items.js'));
	const { SATISFACTION_POLICY } = require(path.join(root, 'dist', 'nodes', 'shared', 'policy.js'));
	const { readStoredAnswers } = require(path.join(root, 'dist', 'nodes', 'CxSatisfactionMetrics', 'metricsRun.js'));
	const start = Date.parse('2026-11-09T00:00:00Z');
	const periods = { current: { start, end: start + 7 * DAY }, previous: { start: start - 7 * DAY, end: start } };
	return { readSurveyAnswer, readStoredAnswers, SatisfactionMetrics, InputProblem, SATISFACTION_POLICY, periods };
}

/** Row n of the benchmark's deterministic stream; `random` is the stream's own generator. */
function makeRow(n, random, scales, periods) {
	const types = ['nps', 'csat', 'ces'];
	const tiers = ['regular', 'premium', 'vip'];
	const channels = ['email', 'chat', 'phone', 'social', 'whatsapp'];
	const issues = ['order', 'product', 'shipping', 'general'];
	const type = types[n % 3];
	const scale = scales[type];
	const score = random() < 0.05 ? null : scale.min + Math.floor(random() * (scale.max - scale.min + 1));
	// PostgreSQL's JSON for a timestamptz in UTC: microseconds, trailing zeros dropped, "+00:00"
	const micros = Math.floor(random() * 14 * DAY * 1000);
	const iso = new Date(periods.previous.start + Math.floor(micros / 1000)).toISOString().slice(0, 19);
	const fraction = String(micros % 1_000_000).padStart(6, '0').replace(/0+$/, '');
	return {
		id: `5e1d0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
		type,
		score,
		responded_at: `${iso}${fraction ? `.${fraction}` : ''}+00:00`,
		tier: tiers[n % tiers.length],
		channel: channels[n % channels.length],
		issue_type: issues[n % issues.length],
	};
}

function rowStream(scales, periods) {
	let seed = 20261116;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
	let n = 0;
	return () => makeRow(n++, random, scales, periods);
}

/** The floor: one bare pass, the least a report of these rows needs (see the header). */
function floorPass(pages, periods) {
	const { current, previous } = periods;
	const tally = () => ({ nps: { rated: 0, sum: 0, unrated: 0 }, csat: { rated: 0, sum: 0, unrated: 0 }, ces: { rated: 0, sum: 0, unrated: 0 } });
	const byPeriod = { current: tally(), previous: tally() };
	const segments = { tier: new Map(), channel: new Map(), issue_type: new Map() };
	let outside = 0;
	for (const rows of pages) {
		for (let i = 0; i < rows.length; i++) {
			const row = rows[i];
			const at = Date.parse(row.responded_at);
			const period = at >= current.start && at < current.end ? byPeriod.current : at >= previous.start && at < previous.end ? byPeriod.previous : null;
			if (period === null) {
				outside++;
				continue;
			}
			const counts = period[row.type];
			const score = row.score;
			if (score === null) counts.unrated++;
			else {
				counts.rated++;
				counts.sum += score;
			}
			segments.tier.set(row.tier, (segments.tier.get(row.tier) ?? 0) + 1);
			segments.channel.set(row.channel, (segments.channel.get(row.channel) ?? 0) + 1);
			segments.issue_type.set(row.issue_type, (segments.issue_type.get(row.issue_type) ?? 0) + 1);
		}
	}
	return { byPeriod, segments, outside };
}

/** The Supabase service as the node's reader sees it: eachPage hands on each page, here from memory. */
const pagesSource = (pages) => ({
	async eachPage(table, options, onPage) {
		let count = 0;
		for (const page of pages) {
			count += page.length;
			await onPage(page);
		}
		return count;
	},
});

/** What the node does with the rows (metricsRun.ts readStoredAnswers), then its report. */
async function metricsPass(pages, lib) {
	const { readStoredAnswers, SatisfactionMetrics, SATISFACTION_POLICY, periods } = lib;
	const metrics = new SatisfactionMetrics({ periods, policy: SATISFACTION_POLICY, timeZone: 'UTC' });
	await readStoredAnswers(pagesSource(pages), metrics, periods, (problem) => {
		throw problem;
	});
	return metrics.report({ responses: 'supabase', tickets: false, orders: 'none' });
}

/** The counts both passes must agree on: rated and unrated answers per period and type. */
function countsOfFloor(floor) {
	const out = {};
	for (const key of ['current', 'previous']) for (const type of ['nps', 'csat', 'ces']) out[`${key}.${type}`] = [floor.byPeriod[key][type].rated, floor.byPeriod[key][type].unrated];
	return out;
}

function countsOfReport(report) {
	const out = {};
	for (const key of ['current', 'previous']) for (const type of ['nps', 'csat', 'ces']) out[`${key}.${type}`] = [report[key][type].sampleSize, report[key][type].unrated];
	return out;
}

const PAGE_ROWS = 1000;

/** One timed run: the pages built once, then floor and metrics passes alternating over them. */
async function timeChild(size, rounds, order) {
	const lib = load();
	const next = rowStream(lib.SATISFACTION_POLICY.scales, lib.periods);
	const pages = [];
	for (let done = 0; done < size; done += PAGE_ROWS) {
		const page = [];
		for (let i = 0; i < PAGE_ROWS && done + i < size; i++) page.push(next());
		pages.push(page);
	}
	const passes = [];
	let floorCounts;
	let metricsCounts;
	for (let round = 0; round < rounds; round++) {
		const floorFirst = (round + order) % 2 === 0;
		const pair = {};
		for (const kind of floorFirst ? ['floor', 'metrics'] : ['metrics', 'floor']) {
			// each pass starts from a collected heap: neither pays for the rows just built or the other's garbage
			global.gc();
			const began = performance.now();
			const result = kind === 'floor' ? floorPass(pages, lib.periods) : await metricsPass(pages, lib);
			pair[kind] = performance.now() - began;
			if (kind === 'floor') floorCounts = countsOfFloor(result);
			else metricsCounts = countsOfReport(result);
		}
		passes.push(pair);
	}
	if (JSON.stringify(floorCounts) !== JSON.stringify(metricsCounts)) {
		throw new Error(`the floor and the metrics counted different answers:\n${JSON.stringify(floorCounts)}\n${JSON.stringify(metricsCounts)}`);
	}
	process.stdout.write(`${JSON.stringify({ size, passes })}\n`);
}

/** The memory run: rows streamed page by page through the node's reader, each page made, counted and dropped. */
async function memoryChild(size, checkpoints) {
	const lib = load();
	const { readStoredAnswers, SatisfactionMetrics, SATISFACTION_POLICY, periods } = lib;
	const next = rowStream(SATISFACTION_POLICY.scales, periods);
	const sample = () => {
		global.gc();
		const { heapUsed, rss } = process.memoryUsage();
		return { heapUsed, rss };
	};
	const metrics = new SatisfactionMetrics({ periods, policy: SATISFACTION_POLICY, timeZone: 'UTC' });
	// the baseline holds the empty accumulator: what grows after it is what the rows add
	const base = sample();
	const points = [];
	let done = 0;
	const source = {
		async eachPage(table, options, onPage) {
			while (done < size) {
				const page = [];
				for (let i = 0; i < PAGE_ROWS && done + i < size; i++) page.push(next());
				await onPage(page);
				done += page.length;
				if (checkpoints.includes(done)) {
					const now = sample();
					points.push({ rows: done, heap: now.heapUsed - base.heapUsed, rss: now.rss - base.rss });
				}
			}
			return done;
		},
	};
	await readStoredAnswers(source, metrics, periods, (problem) => {
		throw problem;
	});
	const report = metrics.report({ responses: 'supabase', tickets: false, orders: 'none' });
	const counted = ['current', 'previous'].reduce((sum, key) => sum + ['nps', 'csat', 'ces'].reduce((inner, type) => inner + report[key][type].sampleSize + report[key][type].unrated, 0), 0);
	// the accumulator stays referenced until here, so every sample includes what it holds
	void metrics;
	process.stdout.write(`${JSON.stringify({ size, points, counted })}\n`);
}

function spawnChild(args) {
	const result = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=2048', __filename, ...args], { encoding: 'utf8', timeout: 10 * 60_000 });
	if (result.status !== 0) throw new Error(`the run ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
	return JSON.parse(result.stdout.trim().split('\n').pop());
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function main() {
	const args = process.argv.slice(2);
	const option = (name, fallback) => {
		const at = args.indexOf(`--${name}`);
		return at === -1 ? fallback : Number(args[at + 1]);
	};
	const runs = option('runs', 3);
	const size = option('rows', 1_000_000);
	const rounds = option('rounds', 3);
	if (![runs, size, rounds].every((value) => Number.isInteger(value) && value > 0)) {
		console.error('usage: node bench/satisfaction-scale.js [--runs 3] [--rows 1000000] [--rounds 3]');
		process.exit(2);
	}
	const timed = [];
	for (let run = 0; run < runs; run++) timed.push(spawnChild(['--time', String(size), String(rounds), String(run % 2)]));
	const pairs = timed.flatMap((entry) => entry.passes);
	const floor = median(pairs.map((pair) => pair.floor));
	const metrics = median(pairs.map((pair) => pair.metrics));
	const ratio = median(pairs.map((pair) => pair.metrics / pair.floor));
	const checkpoints = [100_000, 500_000, 1_000_000].filter((point) => point <= size);
	if (!checkpoints.includes(size)) checkpoints.push(size);
	const memory = spawnChild(['--memory', String(size), checkpoints.join(',')]);
	if (memory.counted !== size) throw new Error(`${size} responses fed, ${memory.counted} counted`);

	const count = (value) => value.toLocaleString('en-US');
	const ms = (value) => `${value.toFixed(0)} ms`;
	const mb = (bytes) => `${(bytes / 1_048_576).toFixed(2)} MB`;
	console.log(`satisfaction metrics against the floor, ${count(size)} survey responses (${runs} runs, each a fresh process, ${rounds} rounds of both passes over the same rows in memory):`);
	console.log(`  floor (bare single pass)   median ${ms(floor).padStart(8)}   all: ${pairs.map((pair) => pair.floor.toFixed(0)).join(', ')} ms`);
	console.log(`  metrics (read, add, report) median ${ms(metrics).padStart(7)}   all: ${pairs.map((pair) => pair.metrics.toFixed(0)).join(', ')} ms`);
	console.log(`  responses / s (metrics)    ${count(Math.round(size / (metrics / 1000)))}`);
	console.log(`  metrics / floor            median ${ratio.toFixed(2)}x   per round: ${pairs.map((pair) => (pair.metrics / pair.floor).toFixed(2)).join(', ')}   (target <= 2.00x: ${ratio <= 2 ? 'met' : 'MISSED'})`);
	console.log(`memory, rows streamed through the accumulators page by page (fresh process, growth over the baseline after a full GC):`);
	const row = (label, cells) => console.log(`  ${label.padEnd(22)}${cells.map((cell) => cell.padStart(14)).join('')}`);
	row('responses', memory.points.map((point) => count(point.rows)));
	row('heap growth', memory.points.map((point) => mb(point.heap)));
	row('RSS growth', memory.points.map((point) => mb(point.rss)));
}

const fail = (error) => {
	console.error(error);
	process.exit(1);
};
if (process.argv[2] === '--time') timeChild(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])).catch(fail);
else if (process.argv[2] === '--memory') memoryChild(Number(process.argv[3]), process.argv[4].split(',').map(Number)).catch(fail);
else main();

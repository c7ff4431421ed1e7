#!/usr/bin/env node
'use strict';
/**
 * Satisfaction metrics at scale: 100,000 and 1,000,000 synthetic survey responses fed one at a time through
 * the compiled accumulators (dist/nodes/CxSatisfactionMetrics/metrics.js), as rows come from Supabase page by
 * page: each row is read and checked (readSurveyAnswer), counted (addAnswer) and dropped; then the report.
 * Pure and in-process, no stand-ins. The requirement it checks: linear time and flat memory in the number of
 * responses, a million in one run.
 *
 *   node bench/satisfaction-scale.js [sizes...]    default 100000 1000000; `npm run bench` runs it (after a build)
 *
 * Each size runs in a fresh Node process with --expose-gc, so its heap is its own. Output, one column per
 * size, then the ratio of the last size to the first:
 *   time                 reading, counting and the report, wall clock
 *   responses / s        the same, per second
 *   heap retained        heapUsed after a full GC with the accumulator alive, less the baseline before it: the
 *                        largest of the values taken every 100,000 responses and at the end (GC time not timed)
 *   peak heap used       process.memoryUsage().heapUsed sampled every 10,000 responses, garbage included (what
 *                        V8 lets pile up before it collects; not held by the accumulators)
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');

const root = path.resolve(__dirname, '..');

function child(size) {
	const { readSurveyAnswer, SatisfactionMetrics } = require(path.join(root, 'dist', 'nodes', 'CxSatisfactionMetrics', 'metrics.js'));
	const { SATISFACTION_POLICY } = require(path.join(root, 'dist', 'nodes', 'shared', 'policy.js'));
	const start = Date.parse('2026-11-09T00:00:00Z');
	const periods = { current: { start, end: start + 7 * 86_400_000 }, previous: { start: start - 7 * 86_400_000, end: start } };
	const types = ['nps', 'csat', 'ces'];
	const tiers = ['regular', 'premium', 'vip'];
	const channels = ['email', 'chat', 'phone', 'social', 'whatsapp'];
	const issues = ['order', 'product', 'shipping', 'general'];
	let seed = 20261116;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

	global.gc();
	const baseline = process.memoryUsage().heapUsed;
	let peak = baseline;
	let retained = 0;
	let paused = 0;
	const began = performance.now();
	const metrics = new SatisfactionMetrics({ periods, policy: SATISFACTION_POLICY, timeZone: 'UTC' });
	for (let n = 0; n < size; n++) {
		const type = types[n % 3];
		const scale = SATISFACTION_POLICY.scales[type];
		// a row as PostgREST returns it: one in 20 unrated; times spread over both weeks
		const row = {
			id: `row-${n}`,
			type,
			score: random() < 0.05 ? null : scale.min + Math.floor(random() * (scale.max - scale.min + 1)),
			responded_at: new Date(periods.previous.start + Math.floor(random() * 14 * 86_400_000)).toISOString(),
			tier: tiers[n % tiers.length],
			channel: channels[n % channels.length],
			issue_type: issues[n % issues.length],
		};
		const answer = readSurveyAnswer(row, `survey_responses row ${row.id}`, SATISFACTION_POLICY.scales);
		if (answer instanceof Error) throw answer;
		metrics.addAnswer(answer);
		if (n % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
		if (n % 100_000 === 99_999) {
			const pause = performance.now();
			global.gc();
			retained = Math.max(retained, process.memoryUsage().heapUsed - baseline);
			paused += performance.now() - pause;
		}
	}
	const report = metrics.report({ responses: 'supabase', tickets: false, orders: 'none' });
	const ms = performance.now() - began - paused;
	global.gc();
	retained = Math.max(retained, process.memoryUsage().heapUsed - baseline);
	const counted = report.current.nps.sampleSize + report.current.csat.sampleSize + report.current.ces.sampleSize + report.previous.nps.sampleSize + report.previous.csat.sampleSize + report.previous.ces.sampleSize;
	const unrated = ['nps', 'csat', 'ces'].reduce((sum, type) => sum + report.current[type].unrated + report.previous[type].unrated, 0);
	// the accumulator is still referenced here, so "retained" includes it
	void metrics;
	process.stdout.write(`${JSON.stringify({ size, ms, retained, peak: peak - baseline, counted, unrated })}\n`);
}

function measure(size) {
	const result = spawnSync(process.execPath, ['--expose-gc', __filename, '--child', String(size)], { encoding: 'utf8', timeout: 10 * 60_000 });
	if (result.status !== 0) throw new Error(`the run at ${size} responses failed:\n${result.stdout}${result.stderr}`);
	return JSON.parse(result.stdout.trim().split('\n').pop());
}

function main() {
	const given = process.argv.slice(2);
	const sizes = (given.length ? given : ['100000', '1000000']).map(Number);
	if (sizes.some((size) => !Number.isInteger(size) || size < 1)) {
		console.error('usage: node bench/satisfaction-scale.js [responses...]');
		process.exit(2);
	}
	const runs = sizes.map(measure);
	for (const entry of runs) {
		if (entry.counted + entry.unrated !== entry.size) throw new Error(`${entry.size} responses fed, ${entry.counted + entry.unrated} counted`);
	}
	const mb = (bytes) => `${(bytes / 1_048_576).toFixed(2)} MB`;
	const first = runs[0];
	const last = runs[runs.length - 1];
	const row = (label, cells, ratio) => console.log(`  ${label.padEnd(22)}${cells.map((cell) => cell.padStart(14)).join('')}${ratio ? `   ${ratio}` : ''}`);
	console.log('satisfaction metrics, survey responses read and counted one at a time (pure, in-process; each size in a fresh process):');
	row('responses', runs.map((entry) => entry.size.toLocaleString('en-US')), `${(last.size / first.size).toFixed(0)}x`);
	row('time', runs.map((entry) => `${entry.ms.toFixed(0)} ms`), `${(last.ms / first.ms).toFixed(1)}x`);
	row('responses / s', runs.map((entry) => Math.round(entry.size / (entry.ms / 1000)).toLocaleString('en-US')));
	row('heap retained', runs.map((entry) => mb(entry.retained)), `${(last.retained / first.retained).toFixed(2)}x`);
	row('peak heap used', runs.map((entry) => mb(entry.peak)), `${(last.peak / first.peak).toFixed(2)}x`);
}

if (process.argv[2] === '--child') child(Number(process.argv[3]));
else main();

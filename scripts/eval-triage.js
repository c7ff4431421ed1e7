'use strict';
/**
 * How well CX Ticket Triage reads tickets it was not tuned on (`npm run eval:triage`): the frozen test split of
 * corpus/triage (scripts/corpus.js), or with `--split holdout` the second held-out set (messages to shops of every
 * kind, corpus/triage/holdout), each ticket triaged with the node's defaults, against its labels. Prints
 * accuracy and macro-F1 for intent, issue type and sentiment, the issue-type confusion matrix, threat recall and
 * precision (legal and chargeback apart), calm tickets flagged as threats, and English against other languages.
 *
 *   node scripts/eval-triage.js [--split test|holdout|train] [--no-curve] [--json results.json]
 */
const fs = require('node:fs');
const path = require('node:path');
const { readCorpus, frozenSplit, frozenHoldout, fingerprint, triageInput } = require('./corpus');

const dist = path.join(__dirname, '..', 'dist', 'nodes', 'CxTicketTriage', 'triage.js');
if (!fs.existsSync(dist)) throw new Error('build the pack first (npm run build)');
const { triageTicket, DEFAULT_TRIAGE_POLICY } = require(dist);
const { modelFromFile } = require(path.join(path.dirname(dist), 'learnedModel.js'));
const { train } = require('./train-triage');
const MODEL_FILE = path.join(__dirname, '..', 'nodes', 'CxTicketTriage', 'model', 'triage-model.json');

/** The run's one clock: triage's SLA times do not enter the scores, so a fixed instant keeps runs identical. */
const NOW = new Date(process.env.CX_EVAL_NOW ?? '2026-01-05T12:00:00Z');

function argument(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : fallback;
}

/** Accuracy, macro-F1 over the labels present in truth or prediction, and the per-label F1. */
function scores(pairs) {
	const labels = [...new Set(pairs.flatMap(([truth, guess]) => [truth, guess]))].sort();
	const perLabel = {};
	for (const label of labels) {
		const tp = pairs.filter(([t, g]) => t === label && g === label).length;
		const fp = pairs.filter(([t, g]) => t !== label && g === label).length;
		const fn = pairs.filter(([t, g]) => t === label && g !== label).length;
		const precision = tp + fp ? tp / (tp + fp) : 0;
		const recall = tp + fn ? tp / (tp + fn) : 0;
		perLabel[label] = { support: tp + fn, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
	}
	const truthLabels = labels.filter((label) => perLabel[label].support > 0);
	const accuracy = pairs.filter(([t, g]) => t === g).length / pairs.length;
	const macroF1 = truthLabels.reduce((sum, label) => sum + perLabel[label].f1, 0) / truthLabels.length;
	return { n: pairs.length, accuracy, macroF1, perLabel };
}

function confusion(pairs, labels) {
	const matrix = Object.fromEntries(labels.map((truth) => [truth, Object.fromEntries(labels.map((guess) => [guess, 0]))]));
	for (const [truth, guess] of pairs) if (matrix[truth] && guess in matrix[truth]) matrix[truth][guess]++;
	return matrix;
}

const percent = (value) => `${(value * 100).toFixed(1)}%`;

/** CX Ticket Triage's decision, read by the hand-written rules (no model) or by a learned model. */
function byTriage(model) {
	return (ticket) => {
		const decision = triageTicket(
			triageInput(ticket),
			undefined,
			DEFAULT_TRIAGE_POLICY,
			NOW,
			model,
		);
		const { triage } = decision;
		return { intent: triage.intent, secondary: triage.secondaryIntent ? [triage.secondaryIntent] : [], issueType: decision.request.customer_details.issue_type, sentiment: triage.sentiment.label, threatening: triage.flags.threatening };
	};
}
const byRules = byTriage(undefined);
const byModel = (file) => byTriage(modelFromFile(file));

function evaluate(tickets, predict) {
	const rows = tickets.map((ticket) => {
		const guess = predict(ticket);
		return { ticket, triage: { intent: guess.intent, sentiment: { label: guess.sentiment }, flags: { threatening: guess.threatening } }, secondary: guess.secondary, issueType: guess.issueType };
	});
	const pairsOf = (truth, guess, subset = rows) => subset.map((row) => [truth(row), guess(row)]);
	const threatened = (row) => row.ticket.threat !== 'none';
	const flagged = (row) => row.triage.flags.threatening;
	const threatRows = rows.filter(threatened);
	const calmRows = rows.filter((row) => !threatened(row));
	const recallOf = (kinds) => {
		const wanted = rows.filter((row) => kinds.includes(row.ticket.threat));
		return { n: wanted.length, caught: wanted.filter(flagged).length };
	};
	const twoIssues = rows.filter((row) => row.ticket.secondary_intent);
	return {
		tickets: rows.length,
		intent: scores(pairsOf((row) => row.ticket.intent, (row) => row.triage.intent)),
		issueType: scores(pairsOf((row) => row.ticket.issue_type, (row) => row.issueType)),
		sentiment: scores(pairsOf((row) => row.ticket.sentiment, (row) => row.triage.sentiment.label)),
		issueTypeConfusion: confusion(pairsOf((row) => row.ticket.issue_type, (row) => row.issueType), ['order', 'product', 'shipping', 'general']),
		threats: {
			recall: threatRows.length ? threatRows.filter(flagged).length / threatRows.length : null,
			precision: rows.filter(flagged).length ? threatRows.filter(flagged).length / rows.filter(flagged).length : null,
			legal: recallOf(['legal']),
			chargeback: recallOf(['chargeback', 'dispute']),
			calmFlagged: { n: calmRows.length, flagged: calmRows.filter(flagged).length },
		},
		secondaryIntent: {
			n: twoIssues.length,
			found: twoIssues.filter((row) => row.secondary.includes(row.ticket.secondary_intent)).length,
			named: rows.filter((row) => row.secondary.length).length,
			namedRight: rows.filter((row) => row.secondary.includes(row.ticket.secondary_intent)).length,
		},
		byLanguage: Object.fromEntries(
			['en', 'es', 'fr', 'de'].map((language) => {
				const subset = rows.filter((row) => row.ticket.language === language);
				return [language, subset.length ? { n: subset.length, issueType: scores(pairsOf((row) => row.ticket.issue_type, (row) => row.issueType, subset)).accuracy } : null];
			}),
		),
	};
}

function print(split, name, result) {
	const line = (label, score) => `| ${label} | ${score.n} | ${percent(score.accuracy)} | ${percent(score.macroF1)} |`;
	console.log(`\n## ${name} on the ${split} split (${result.tickets} tickets)\n`);
	console.log('| Label | Tickets | Accuracy | Macro-F1 |\n| --- | --- | --- | --- |');
	console.log([line('Intent', result.intent), line('Issue type', result.issueType), line('Sentiment', result.sentiment)].join('\n'));
	console.log('\nIssue type, truth (rows) against triage (columns):\n');
	const labels = Object.keys(result.issueTypeConfusion);
	console.log(`| | ${labels.join(' | ')} |\n| --- |${labels.map(() => ' --- |').join('')}`);
	for (const truth of labels) console.log(`| ${truth} | ${labels.map((guess) => result.issueTypeConfusion[truth][guess]).join(' | ')} |`);
	const { threats } = result;
	console.log(`\nThreats: recall ${threats.recall === null ? 'n/a' : percent(threats.recall)}, precision ${threats.precision === null ? 'n/a' : percent(threats.precision)}; legal ${threats.legal.caught} of ${threats.legal.n} caught, chargeback or dispute ${threats.chargeback.caught} of ${threats.chargeback.n}; calm tickets flagged as threats ${threats.calmFlagged.flagged} of ${threats.calmFlagged.n}`);
	const second = result.secondaryIntent;
	console.log(`Second intent of two-issue tickets found: ${second.found} of ${second.n}; a second intent named on ${second.named} tickets, right on ${second.namedRight} (${second.named ? percent(second.namedRight / second.named) : 'n/a'})`);
	console.log(`Issue type by language: ${Object.entries(result.byLanguage).filter(([, value]) => value).map(([language, value]) => `${language} ${percent(value.issueType)} (${value.n})`).join(', ')}`);
}

/**
 * How far the labels themselves can be trusted: a second reading of the test split's sentiment, made blind (the
 * guide's rule and the tickets, without their labels; corpus/triage/agreement), against the labels. A model cannot
 * be expected to agree with the labels more often than a second careful reader does.
 */
function printSecondReading(tickets) {
	const dir = path.join(__dirname, '..', 'corpus', 'triage', 'agreement');
	if (!fs.existsSync(dir)) return;
	const byId = new Map(tickets.map((ticket) => [ticket.id, ticket]));
	for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.jsonl')).sort()) {
		const read = fs.readFileSync(path.join(dir, file), 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line)).filter((row) => byId.has(row.id));
		const same = read.filter((row) => byId.get(row.id).sentiment === row.sentiment).length;
		console.log(`\nA second, blind reading of the sentiment (${file}): agrees with the labels on ${same} of ${read.length} tickets (${percent(same / read.length)})`);
	}
}

function main() {
	const split = argument('split', 'test');
	const corpus = readCorpus();
	if (!['test', 'holdout', 'train'].includes(split)) throw new Error(`--split is test, holdout or train, not ${split}`);
	const tickets = corpus[split];
	const frozen = frozenSplit();
	if (split === 'test' && frozen && frozen.sha256 !== fingerprint(corpus.test)) throw new Error('the test split differs from the frozen one (corpus/triage/test-split.json)');
	const held = frozenHoldout();
	if (split === 'holdout' && (!held || held.sha256 !== fingerprint(corpus.holdout))) throw new Error('the held-out set is not the frozen one (corpus/triage/holdout-split.json)');
	if (!fs.existsSync(MODEL_FILE)) throw new Error('train the model first (node scripts/train-triage.js)');
	const results = {
		rules: evaluate(tickets, byRules),
		model: evaluate(tickets, byModel(JSON.parse(fs.readFileSync(MODEL_FILE, 'utf8')))),
	};
	print(split, 'Hand-written rules (Classifier: Hand-Written Rules)', results.rules);
	print(split, 'Learned model (Classifier: Learned Model, the default)', results.model);
	if (split === 'test') printSecondReading(tickets);
	// the learning curve: the model trained again on a share of the train split, scored on the same tickets
	const curve = [];
	if (!process.argv.includes('--no-curve')) {
		for (const share of [0.25, 0.5, 0.75, 1]) {
			const subset = corpus.train.filter((_, index) => index % 4 < share * 4);
			const result = evaluate(tickets, byModel(train(subset)));
			curve.push({ trainTickets: subset.length, intent: result.intent.accuracy, issueType: result.issueType.accuracy, sentiment: result.sentiment.accuracy });
		}
		console.log('\n## Learning curve (trained on a share of the train split)\n\n| Train tickets | Intent | Issue type | Sentiment |\n| --- | --- | --- | --- |');
		for (const point of curve) console.log(`| ${point.trainTickets} | ${percent(point.intent)} | ${percent(point.issueType)} | ${percent(point.sentiment)} |`);
	}
	const out = argument('json');
	if (out) fs.writeFileSync(out, `${JSON.stringify({ split, now: NOW.toISOString(), ...results, curve }, null, 2)}\n`);
}

main();

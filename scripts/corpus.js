'use strict';
/**
 * The triage corpus (docs/triage-corpus.md): every part in corpus/triage/parts read and checked, and split into
 * train and test by a hash of each ticket's id, so the split never depends on order or on who added what.
 * The test split is frozen: `node scripts/corpus.js freeze` writes the SHA-256 of its tickets once, before any
 * tuning, and a unit test holds the corpus to it; nothing is ever tuned on the test split. Tickets written after
 * the freeze (corpus/triage/train-only) are train tickets only: the test split stays the frozen one.
 *
 *   node scripts/corpus.js check    validate the parts, print counts
 *   node scripts/corpus.js freeze   record the test split's fingerprint (refuses when one is recorded)
 *   node scripts/corpus.js freeze-holdout
 *                                   the same for the second held-out set (corpus/triage/holdout)
 *   node scripts/corpus.js relabel corpus/triage/relabels/<file>.jsonl
 *                                   apply a revision of the guide to every ticket, train and test alike (one line a
 *                                   change: id, field, from, to, why); the test split keeps its ids and records the
 *                                   revision, with its fingerprint before, so the unit test can undo it and find the
 *                                   split as first frozen
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const DIR = path.join(__dirname, '..', 'corpus', 'triage');
const FROZEN = path.join(DIR, 'test-split.json');
/**
 * A second held-out set (corpus/triage/holdout): messages as public customer-care data has them, to shops of every
 * kind (clothes, electronics, cosmetics, food, furniture, ...), written apart from the train tickets and frozen
 * before any model was scored on it. Never read by the trainer.
 */
const HOLDOUT_DIR = path.join(DIR, 'holdout');
const HOLDOUT_FROZEN = path.join(DIR, 'holdout-split.json');
/** One ticket in five is held out for testing. */
const TEST_SHARE = 5;

const INTENT_ISSUE = {
	shipping_status: 'shipping', shipping_delay: 'shipping',
	damaged: 'product', product_question: 'product',
	wrong_item: 'order', missing_item: 'order', refund_request: 'order', return_request: 'order', exchange_request: 'order',
	cancellation: 'order', billing: 'order', order_change: 'order', discount_issue: 'order',
	feedback: 'general', praise: 'general', general: 'general',
};
const CHANNELS = ['email', 'chat', 'social', 'whatsapp', 'phone'];
const LANGUAGES = ['en', 'es', 'fr', 'de'];
const SENTIMENTS = ['positive', 'neutral', 'negative'];
const THREATS = ['none', 'chargeback', 'dispute', 'legal', 'regulator', 'public_review', 'social_media', 'fraud_claim'];
const STYLES = ['one_line', 'long_email', 'quoted_history', 'signature', 'social_post', 'typos', 'all_caps', 'sarcasm', 'non_native', 'two_issues', 'praise_with_complaint', 'negated_threat', 'quoted_threat', 'review_mention_praise', 'vip_thanks', 'emoji'];

/** Why a ticket breaks the guide, or undefined. */
function problemOf(ticket) {
	const oneOf = (field, values) => (values.includes(ticket[field]) ? undefined : `${field} "${ticket[field]}" is not one of ${values.join(', ')}`);
	if (typeof ticket.id !== 'string' || !/^[a-z]+-\d{4}$/.test(ticket.id)) return `id "${ticket.id}" is not <prefix>-<4 digits>`;
	if (typeof ticket.body !== 'string' || !ticket.body.trim()) return 'body is empty';
	if (ticket.subject !== null && typeof ticket.subject !== 'string') return 'subject is neither text nor null';
	const problem = oneOf('channel', CHANNELS) ?? oneOf('language', LANGUAGES) ?? oneOf('intent', Object.keys(INTENT_ISSUE)) ?? oneOf('sentiment', SENTIMENTS) ?? oneOf('threat', THREATS);
	if (problem) return problem;
	if (ticket.secondary_intent !== null && (!(ticket.secondary_intent in INTENT_ISSUE) || ticket.secondary_intent === ticket.intent)) return `secondary_intent "${ticket.secondary_intent}" is not another intent or null`;
	if (ticket.issue_type !== INTENT_ISSUE[ticket.intent]) return `issue_type "${ticket.issue_type}" is not the one of intent ${ticket.intent} (${INTENT_ISSUE[ticket.intent]})`;
	if (typeof ticket.safety !== 'boolean') return 'safety is not true or false';
	if (!Array.isArray(ticket.style) || ticket.style.some((tag) => !STYLES.includes(tag))) return `style ${JSON.stringify(ticket.style)} has a tag the guide does not list`;
	return undefined;
}

const isTest = (id) => crypto.createHash('sha256').update(`cx-triage-split:${id}`).digest().readUInt32BE(0) % TEST_SHARE === 0;

/**
 * The tickets of one file (`file`: its path under `dir`), each checked against the guide; throws naming the file,
 * line and field. `seen`: the ids taken so far, which a ticket must not reuse (it adds its own).
 */
function readPart(dir, file, seen) {
	const tickets = [];
	fs.readFileSync(path.join(dir, file), 'utf8').split('\n').forEach((line, index) => {
		if (!line.trim()) return;
		let ticket;
		try {
			ticket = JSON.parse(line);
		} catch (error) {
			throw new Error(`${file}:${index + 1}: not JSON (${error.message})`);
		}
		const problem = problemOf(ticket);
		if (problem) throw new Error(`${file}:${index + 1} (${ticket.id}): ${problem}`);
		if (seen.has(ticket.id)) throw new Error(`${file}:${index + 1}: id ${ticket.id} is used twice`);
		seen.add(ticket.id);
		tickets.push(ticket);
	});
	return tickets;
}

/**
 * Every ticket of every part, checked (throws naming the file, line and field), split into train and test; and the
 * second held-out set (holdout/), which is neither.
 */
function readCorpus(dir = DIR) {
	const listed = (folder) => (fs.existsSync(path.join(dir, folder)) ? fs.readdirSync(path.join(dir, folder)).filter((name) => name.endsWith('.jsonl')).sort().map((name) => path.join(folder, name)) : []);
	const files = [...listed('parts'), ...listed('train-only')];
	const seen = new Set();
	const trainOnly = new Set();
	const train = [];
	const test = [];
	for (const file of files) {
		const fileIsTrainOnly = file.startsWith('train-only');
		for (const ticket of readPart(dir, file, seen)) {
			if (fileIsTrainOnly) trainOnly.add(ticket.id);
			(!fileIsTrainOnly && isTest(ticket.id) ? test : train).push(ticket);
		}
	}
	const holdout = listed('holdout').flatMap((file) => readPart(dir, file, seen));
	const byId = (a, b) => (a.id < b.id ? -1 : 1);
	return { train: train.sort(byId), test: test.sort(byId), holdout: holdout.sort(byId), files, trainOnly };
}

/** The test split's fingerprint: its tickets, in id order, as written. */
/** A corpus ticket as CX Ticket Triage reads a ticket (its triageTicket's first argument). */
function triageInput(ticket) {
	return { ticketId: ticket.id, channel: ticket.channel, subject: ticket.subject ?? '', body: ticket.body, customerEmail: 'customer@example.com' };
}

function fingerprint(tickets) {
	const hash = crypto.createHash('sha256');
	for (const ticket of tickets) hash.update(`${JSON.stringify(ticket)}\n`);
	return hash.digest('hex');
}

function frozenSplit() {
	return fs.existsSync(FROZEN) ? JSON.parse(fs.readFileSync(FROZEN, 'utf8')) : undefined;
}

function frozenHoldout() {
	return fs.existsSync(HOLDOUT_FROZEN) ? JSON.parse(fs.readFileSync(HOLDOUT_FROZEN, 'utf8')) : undefined;
}

function tally(tickets, field) {
	const counts = {};
	for (const ticket of tickets) counts[ticket[field]] = (counts[ticket[field]] ?? 0) + 1;
	return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The changes a relabel file lists: { id, field, from, to, why }. */
function readRelabels(file) {
	return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
}

/**
 * Applies a relabel file to the parts: each change must find its ticket with the `from` value. Lines are edited in
 * place (one field's value), so the diff shows exactly what changed. Refuses a file already recorded.
 */
function relabel(file) {
	const frozen = frozenSplit();
	const name = path.relative(DIR, path.resolve(file));
	if (frozen?.revisions?.some((revision) => revision.file === name)) throw new Error(`${name} is applied already`);
	const changes = new Map(readRelabels(file).map((change) => [change.id, change]));
	const before = readCorpus();
	const { files } = before;
	// every part edited in memory first: a change that cannot be made leaves every file as it was
	const edited = files.map((part) => {
		const full = path.join(DIR, part);
		const lines = fs.readFileSync(full, 'utf8').split('\n').map((line) => {
			if (!line.trim()) return line;
			const ticket = JSON.parse(line);
			const change = changes.get(ticket.id);
			if (!change) return line;
			if (ticket[change.field] !== change.from) throw new Error(`${ticket.id}: ${change.field} is "${ticket[change.field]}", not "${change.from}"`);
			const written = new RegExp(`"${change.field}":\\s*${JSON.stringify(change.from)}`, 'g');
			if ((line.match(written) ?? []).length !== 1) throw new Error(`${ticket.id}: ${change.field} is not written once as "${change.field}": ${JSON.stringify(change.from)}`);
			changes.delete(ticket.id);
			return line.replace(written, (found) => found.replace(JSON.stringify(change.from), JSON.stringify(change.to)));
		});
		return { full, text: lines.join('\n') };
	});
	if (changes.size > 0) throw new Error(`no ticket ${[...changes.keys()].slice(0, 5).join(', ')}`);
	for (const { full, text } of edited) fs.writeFileSync(full, text);
	const after = readCorpus();
	if (frozen) {
		if (JSON.stringify(after.test.map((ticket) => ticket.id)) !== JSON.stringify(frozen.ids)) throw new Error('the test split\'s ids changed');
		const testIds = new Set(after.test.map((ticket) => ticket.id));
		const revision = { file: name, changed: readRelabels(file).length, changedInTest: readRelabels(file).filter((change) => testIds.has(change.id)).length, sha256Before: fingerprint(before.test) };
		fs.writeFileSync(FROZEN, `${JSON.stringify({ ...frozen, sha256: fingerprint(after.test), revisions: [...(frozen.revisions ?? []), revision] }, null, 2)}\n`);
		console.log(`relabelled ${revision.changed} tickets (${revision.changedInTest} in the test split); the test split's ids are unchanged`);
	}
}

function main(command) {
	if (command === 'relabel') return relabel(process.argv[3]);
	const { train, test, holdout, files } = readCorpus();
	if (command === 'freeze-holdout') {
		if (frozenHoldout()) throw new Error(`${path.relative(process.cwd(), HOLDOUT_FROZEN)} exists: the held-out set is frozen and stays so`);
		if (!holdout.length) throw new Error(`no tickets in ${path.relative(process.cwd(), HOLDOUT_DIR)}`);
		fs.writeFileSync(HOLDOUT_FROZEN, `${JSON.stringify({ tickets: holdout.length, sha256: fingerprint(holdout), ids: holdout.map((ticket) => ticket.id) }, null, 2)}\n`);
		console.log(`froze the held-out set: ${holdout.length} tickets (${fingerprint(holdout).slice(0, 12)}...)`);
		return;
	}
	if (command === 'freeze') {
		if (frozenSplit()) throw new Error(`${path.relative(process.cwd(), FROZEN)} exists: the test split is frozen and stays so`);
		fs.writeFileSync(FROZEN, `${JSON.stringify({ tickets: test.length, sha256: fingerprint(test), ids: test.map((ticket) => ticket.id) }, null, 2)}\n`);
		console.log(`froze the test split: ${test.length} tickets (${fingerprint(test).slice(0, 12)}...)`);
		return;
	}
	console.log(`${files.length} parts, ${train.length + test.length} tickets: ${train.length} train, ${test.length} test`);
	for (const field of ['intent', 'issue_type', 'sentiment', 'threat', 'language', 'channel']) console.log(`${field}: ${JSON.stringify(tally([...train, ...test], field))}`);
	const frozen = frozenSplit();
	if (frozen) console.log(`test split ${frozen.sha256 === fingerprint(test) ? 'matches' : 'DOES NOT MATCH'} the frozen one`);
	const frozenHeld = frozenHoldout();
	if (holdout.length) console.log(`held-out set (holdout/): ${holdout.length} tickets, ${frozenHeld ? (frozenHeld.sha256 === fingerprint(holdout) ? 'matches the frozen one' : 'DOES NOT MATCH the frozen one') : 'not frozen'}`);
}

if (require.main === module) {
	try {
		main(process.argv[2] ?? 'check');
	} catch (error) {
		console.error(error.message);
		process.exit(1);
	}
}

module.exports = { readCorpus, readRelabels, fingerprint, triageInput, frozenSplit, frozenHoldout, problemOf, INTENT_ISSUE, DIR };

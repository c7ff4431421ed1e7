/**
 * The triage corpus (docs/triage-corpus.md): every ticket labelled by the guide, the held-out test split frozen
 * before any tuning (a changed, added or removed test ticket fails here), and the split the same whoever runs it.
 */
import { ISSUE_BY_INTENT } from '../../../nodes/CxTicketTriage/triage';

interface CorpusTicket {
	id: string;
	intent: string;
	issue_type: string;
	language: string;
	secondary_intent: string | null;
}
interface Corpus {
	INTENT_ISSUE: Record<string, string>;
	readCorpus(dir?: string): { train: CorpusTicket[]; test: CorpusTicket[]; holdout: CorpusTicket[]; files: string[]; trainOnly: Set<string> };
	fingerprint(tickets: CorpusTicket[]): string;
	frozenSplit(): { tickets: number; sha256: string; ids: string[]; revisions?: Array<{ file: string; changed: number; changedInTest: number; sha256Before: string }> } | undefined;
	frozenHoldout(): { tickets: number; sha256: string; ids: string[] } | undefined;
	readRelabels(file: string): Array<{ id: string; field: string; from: unknown; to: unknown; why: string }>;
	DIR: string;
	problemOf(ticket: Record<string, unknown>): string | undefined;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const corpus = require('../../../scripts/corpus.js') as Corpus;

/** The second held-out set (corpus/triage/holdout). */
const HOLDOUT = 300;
/** Tickets written after the freeze, train only (corpus/triage/train-only). */
const TRAIN_ONLY = 8592;

const ok = {
	id: 'ship-0001', channel: 'chat', subject: null, body: 'where is my order?', language: 'en', intent: 'shipping_status',
	secondary_intent: null, issue_type: 'shipping', sentiment: 'neutral', threat: 'none', safety: false, style: ['one_line'],
};

describe('the triage corpus', () => {
	const { train, test, holdout, trainOnly } = corpus.readCorpus();

	it('holds at least 3,000 tickets, every intent and issue type in both splits, a fifth of the parts held out', () => {
		expect(train.length + test.length).toBeGreaterThanOrEqual(3000);
		const split = train.length - trainOnly.size + test.length;
		expect(test.length / split).toBeGreaterThan(0.17);
		expect(test.length / split).toBeLessThan(0.23);
		for (const split of [train, test]) {
			expect(new Set(split.map((ticket) => ticket.intent)).size).toBe(16);
			expect(new Set(split.map((ticket) => ticket.issue_type))).toEqual(new Set(['order', 'product', 'shipping', 'general']));
			expect(new Set(split.map((ticket) => ticket.language))).toEqual(new Set(['en', 'es', 'fr', 'de']));
		}
	});

	it('keeps the tickets written after the freeze (train-only) out of the test split', () => {
		expect(trainOnly.size).toBe(TRAIN_ONLY);
		expect(test.filter((ticket) => trainOnly.has(ticket.id))).toEqual([]);
		expect(train.filter((ticket) => trainOnly.has(ticket.id))).toHaveLength(TRAIN_ONLY);
	});

	it('holds no train-only ticket that repeats a held-out ticket (the test split, the second held-out set): neither its body nor half its three-word runs', () => {
		const held = [...test, ...holdout];
		const runsOf = (body: string) => {
			const words = body.toLowerCase().split(/[^\p{L}\p{N}']+/u).filter(Boolean);
			return new Set(words.slice(2).map((word, index) => `${words[index]} ${words[index + 1]} ${word}`));
		};
		const bodies = new Map(held.map((ticket) => [(ticket as CorpusTicket & { body: string }).body.trim(), ticket.id]));
		const heldWithRun = new Map<string, number[]>();
		held.forEach((ticket, index) => {
			for (const run of runsOf((ticket as CorpusTicket & { body: string }).body)) heldWithRun.set(run, [...(heldWithRun.get(run) ?? []), index]);
		});
		const repeats: string[] = [];
		for (const ticket of train.filter(({ id }) => trainOnly.has(id)) as Array<CorpusTicket & { body: string }>) {
			if (bodies.has(ticket.body.trim())) repeats.push(`${ticket.id}: the body of ${bodies.get(ticket.body.trim())}`);
			const runs = runsOf(ticket.body);
			const shared = new Map<number, number>();
			for (const run of runs) for (const index of heldWithRun.get(run) ?? []) shared.set(index, (shared.get(index) ?? 0) + 1);
			for (const [index, count] of shared) if (runs.size >= 4 && count / runs.size >= 0.5) repeats.push(`${ticket.id}: ${count} of ${runs.size} three-word runs of ${held[index].id}`);
		}
		expect(repeats).toEqual([]);
	});

	it('keeps the second held-out set (messages to shops of every kind) exactly as it was frozen, before any model was scored on it', () => {
		const frozen = corpus.frozenHoldout();
		expect(frozen).toBeDefined();
		expect(holdout).toHaveLength(HOLDOUT);
		expect(holdout.map((ticket) => ticket.id)).toEqual(frozen!.ids);
		expect(corpus.fingerprint(holdout)).toBe(frozen!.sha256);
		// never in the train split: the trainer reads readCorpus().train only
		const trainIds = new Set(train.map((ticket) => ticket.id));
		expect(holdout.filter((ticket) => trainIds.has(ticket.id))).toEqual([]);
	});

	it('keeps the test split exactly as it was frozen before any tuning', () => {
		const frozen = corpus.frozenSplit();
		expect(frozen).toBeDefined();
		expect(test.map((ticket) => ticket.id)).toEqual(frozen!.ids);
		expect(corpus.fingerprint(test)).toBe(frozen!.sha256);
	});

	it('differs from the split first frozen only by the recorded revisions of the guide, applied to train and test alike', () => {
		const frozen = corpus.frozenSplit()!;
		const revisions = frozen.revisions ?? [];
		expect(revisions.map(({ file }) => file)).toEqual(['relabels/2026-12-05-sentiment.jsonl']);
		// undo the revisions, last first: the test split comes back byte for byte as frozen before any tuning
		const undone = test.map((ticket) => ({ ...ticket })) as Array<CorpusTicket & Record<string, unknown>>;
		const byId = new Map(undone.map((ticket) => [ticket.id, ticket]));
		for (const revision of [...revisions].reverse()) {
			const changes = corpus.readRelabels(`${corpus.DIR}/${revision.file}`);
			expect(changes).toHaveLength(revision.changed);
			expect(changes.filter((change) => byId.has(change.id))).toHaveLength(revision.changedInTest);
			for (const change of changes) {
				const ticket = byId.get(change.id);
				if (!ticket) continue;
				expect(ticket[change.field]).toBe(change.to);
				ticket[change.field] = change.from;
			}
		}
		expect(corpus.fingerprint(undone)).toBe(revisions[0].sha256Before);
		expect(revisions[0].sha256Before).toBe('9d6d3cee27d3eb0701479610c15a2f0e2d6ddb7941b878c895ecc4fe9380cb86');
		// every other change is a train ticket's: the same guide for both splits
		const trainIds = new Set(train.map((ticket) => ticket.id));
		for (const revision of revisions) expect(corpus.readRelabels(`${corpus.DIR}/${revision.file}`).filter((change) => trainIds.has(change.id))).toHaveLength(revision.changed - revision.changedInTest);
	});

	it('refuses a ticket the guide would not label so, naming the field', () => {
		expect(corpus.problemOf(ok)).toBeUndefined();
		expect(corpus.problemOf({ ...ok, issue_type: 'order' })).toBe('issue_type "order" is not the one of intent shipping_status (shipping)');
		expect(corpus.problemOf({ ...ok, intent: 'complaint' })).toMatch(/^intent "complaint" is not one of /);
		expect(corpus.problemOf({ ...ok, secondary_intent: 'shipping_status' })).toBe('secondary_intent "shipping_status" is not another intent or null');
		expect(corpus.problemOf({ ...ok, style: ['angry'] })).toBe('style ["angry"] has a tag the guide does not list');
		expect(corpus.problemOf({ ...ok, threat: 'lawyer' })).toMatch(/^threat "lawyer" is not one of /);
	});

	it('labels issue types by the same table triage decides them with', () => {
		expect(corpus.INTENT_ISSUE).toEqual(ISSUE_BY_INTENT);
	});
});

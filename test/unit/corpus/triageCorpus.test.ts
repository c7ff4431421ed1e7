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
	readCorpus(dir?: string): { train: CorpusTicket[]; test: CorpusTicket[]; files: string[]; trainOnly: Set<string> };
	fingerprint(tickets: CorpusTicket[]): string;
	frozenSplit(): { tickets: number; sha256: string; ids: string[] } | undefined;
	problemOf(ticket: Record<string, unknown>): string | undefined;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const corpus = require('../../../scripts/corpus.js') as Corpus;

const ok = {
	id: 'ship-0001', channel: 'chat', subject: null, body: 'where is my order?', language: 'en', intent: 'shipping_status',
	secondary_intent: null, issue_type: 'shipping', sentiment: 'neutral', threat: 'none', safety: false, style: ['one_line'],
};

describe('the triage corpus', () => {
	const { train, test, trainOnly } = corpus.readCorpus();

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
		expect(trainOnly.size).toBe(1000);
		expect(test.filter((ticket) => trainOnly.has(ticket.id))).toEqual([]);
		expect(train.filter((ticket) => trainOnly.has(ticket.id))).toHaveLength(1000);
	});

	it('keeps the test split exactly as it was frozen before any tuning', () => {
		const frozen = corpus.frozenSplit();
		expect(frozen).toBeDefined();
		expect(test.map((ticket) => ticket.id)).toEqual(frozen!.ids);
		expect(corpus.fingerprint(test)).toBe(frozen!.sha256);
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

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { textFeatures } from '../../../../nodes/CxTicketTriage/ticketText';
import { classify, modelFromFile, type LearnedModelFile } from '../../../../nodes/CxTicketTriage/learnedModel';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const corpus = require('../../../../scripts/corpus.js') as { readCorpus(): { train: unknown[] }; fingerprint(tickets: unknown[]): string };

describe('the text features the learned classifier reads', () => {
	it('are the same for the same text whatever was read before (wink-nlp learns words as it reads)', () => {
		const text = "The frame's glass arrived cracked, and it isn't the first time";
		const before = [...textFeatures('Broken', text)];
		for (const other of ["my frame's corner is bent", "we're waiting, isn't it shipped?", 'the frame came without glass']) textFeatures('', other);
		expect([...textFeatures('Broken', text)]).toEqual(before);
	});

	it('read the customer\'s own words: lemmas, two-word runs and character n-grams, not the quoted reply or the signature', () => {
		const features = textFeatures('Refund', 'Charged twice for order 4412!\n\nOn Tue, 3 Nov 2026, Support wrote:\n> We will never issue a chargeback\n--\nAna\nLegal counsel');
		expect(features.has('w:charge')).toBe(true);
		expect(features.has('b:charge twice')).toBe(true);
		expect(features.has('w:#id')).toBe(true);
		expect(features.has('x:!')).toBe(true);
		expect(features.has('c: tw')).toBe(true);
		expect([...features.keys()].filter((name) => /chargeback|legal|counsel/.test(name))).toEqual([]);
	});
});

describe('the linear model', () => {
	const file: LearnedModelFile = {
		version: 'test',
		features: ['w:late', 'w:love'],
		// weights feature-major: late -> (negative 2, positive -1), love -> (negative -1, positive 2), at scale 0.5
		heads: { sentiment: { labels: ['negative', 'positive'], bias: [0, 0], codes: Buffer.from(Int8Array.from([4, -2, -2, 4]).buffer).toString('base64'), scale: 0.5 } },
	};
	const model = modelFromFile(file);

	it('ranks the labels by softmax probability and names the features that weighed for the top one', () => {
		const answer = classify(model, 'sentiment', new Map([['w:late', 1], ['w:unknown', 1]]));
		expect(answer.ranked.map((entry) => entry.label)).toEqual(['negative', 'positive']);
		expect(answer.ranked[0].probability).toBeCloseTo(Math.exp(2) / (Math.exp(2) + Math.exp(-1)), 12);
		expect(answer.evidence).toEqual([{ feature: 'w:late', weight: 2 }]);
	});

	it('is even-handed on a text it knows nothing of', () => {
		expect(classify(model, 'sentiment', new Map([['w:unknown', 1]])).ranked.map((entry) => entry.probability)).toEqual([0.5, 0.5]);
	});
});

describe('the shipped model', () => {
	const file = JSON.parse(readFileSync(join(__dirname, '../../../../nodes/CxTicketTriage/model/triage-model.json'), 'utf8')) as LearnedModelFile & { trainedOn: { sha256: string; tickets: number } };

	it('was trained on the corpus\'s train split as it stands: a changed corpus needs npm run train:triage', () => {
		const { train } = corpus.readCorpus();
		expect(file.trainedOn).toMatchObject({ tickets: train.length, sha256: corpus.fingerprint(train) });
	});

	it('has an intent head of the 16 intents and a sentiment head of three', () => {
		expect(file.heads.intent.labels).toHaveLength(16);
		expect(file.heads.sentiment.labels).toEqual(['negative', 'neutral', 'positive']);
	});
});

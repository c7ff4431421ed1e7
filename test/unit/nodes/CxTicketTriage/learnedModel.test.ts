import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { featureKey, featureVector, textFeatures } from '../../../../nodes/CxTicketTriage/ticketText';
import { customerWords, sentimentOf } from '../../../../nodes/CxTicketTriage/language';
import { classify, inputFromFeatures, modelFromFile, modelInput, type LearnedModelFile } from '../../../../nodes/CxTicketTriage/learnedModel';
import { triageModel } from '../../../../nodes/CxTicketTriage/triageModel';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const corpus = require('../../../../scripts/corpus.js') as { readCorpus(): { train: Array<{ subject: string | null; body: string }> }; fingerprint(tickets: unknown[]): string };

const lemmas = new Map([['charged', 'charge'], ['arrived', 'arrive']]);

describe('the text features the learned classifier reads', () => {
	it('are the same for the same text whatever was read before', () => {
		const text = "The frame's glass arrived cracked, and it isn't the first time";
		const before = [...textFeatures('Broken', text, lemmas)];
		for (const other of ["my frame's corner is bent", "we're waiting, isn't it shipped?", 'the frame came without glass']) textFeatures('', other, lemmas);
		expect([...textFeatures('Broken', text, lemmas)]).toEqual(before);
	});

	it('read the customer\'s own words: lemmas, two-word runs and character n-grams, not the quoted reply or the signature', () => {
		const features = textFeatures('Refund', 'Charged twice for order 4412!\n\nOn Tue, 3 Nov 2026, Support wrote:\n> We will never issue a chargeback\n--\nAna\nLegal counsel', lemmas);
		expect(features.has('w:charge')).toBe(true);
		expect(features.has('b:charge twice')).toBe(true);
		expect(features.has('w:#id')).toBe(true);
		expect(features.has('x:!')).toBe(true);
		expect(features.has('c: tw')).toBe(true);
		expect(features.has('c: twi')).toBe(true);
		expect(features.has('c:ce ')).toBe(true);
		expect([...features.keys()].filter((name) => /chargeback|legal|counsel/.test(name))).toEqual([]);
	});

	it('read each word, each two-word run and each n-gram once, words and n-grams each at their own length', () => {
		const features = textFeatures('', 'frame frame FRAME', lemmas);
		expect([...features.keys()].sort()).toEqual(['b:frame frame', 'c: fr', 'c: fra', 'c:fra', 'c:fram', 'c:ram', 'c:rame', 'c:ame', 'c:ame ', 'c:me ', 'w:frame'].sort());
		expect(features.get('w:frame')).toBeCloseTo(1 / Math.sqrt(2), 12);
		expect(features.get('c:ram')).toBeCloseTo(0.5 / 3, 12);
	});

	it('key every feature of every train ticket as its name hashes: the model finds what training named', () => {
		for (const ticket of corpus.readCorpus().train.slice(0, 300)) {
			const vector = featureVector(ticket.subject ?? '', customerWords(ticket.body), lemmas, -0.5, true);
			const keys = (vector.names ?? []).map((name) => featureKey(name));
			expect(keys).toEqual([...Array(vector.count).keys()].map((entry) => [vector.key1[entry], vector.key2[entry]]));
		}
	});

	it('give the shipped model the same input by key as by name', () => {
		const model = triageModel();
		const body = 'My print arrived bent and I was charged twice, please refund one of them';
		const byKey = modelInput(model, featureVector('Bent print', customerWords(body), model.lemmas, sentimentOf(`Bent print\n${body}`)));
		const byName = inputFromFeatures(model, textFeatures('Bent print', body, model.lemmas));
		expect([...byKey.rows.subarray(0, byKey.count)].sort()).toEqual([...byName.rows].sort());
		expect(classify(model, 'intent', byKey, 0).ranked).toEqual(classify(model, 'intent', byName, 0).ranked);
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
		const answer = classify(model, 'sentiment', inputFromFeatures(model, new Map([['w:late', 1], ['w:unknown', 1]])));
		expect(answer.ranked.map((entry) => entry.label)).toEqual(['negative', 'positive']);
		expect(answer.ranked[0].probability).toBeCloseTo(Math.exp(2) / (Math.exp(2) + Math.exp(-1)), 12);
		expect(answer.evidence).toEqual([{ feature: 'w:late', weight: 2 }]);
	});

	it('is even-handed on a text it knows nothing of', () => {
		expect(classify(model, 'sentiment', inputFromFeatures(model, new Map([['w:unknown', 1]]))).ranked.map((entry) => entry.probability)).toEqual([0.5, 0.5]);
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

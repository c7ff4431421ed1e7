import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { featureKey, namedFeatures, textFeatures } from '../../../../nodes/CxTicketTriage/ticketText';
import { customerWords, sentimentOf, threatsIn, urgencyIn } from '../../../../nodes/CxTicketTriage/language';
import { classify, inputFromFeatures, modelFromFile, readTicket, weighSentimentByIntent, type LearnedModelFile } from '../../../../nodes/CxTicketTriage/learnedModel';
import { triageModel } from '../../../../nodes/CxTicketTriage/triageModel';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const corpus = require('../../../../scripts/corpus.js') as {
	readCorpus(): Record<'train' | 'test', Array<{ id: string; subject: string | null; body: string; language: string }>>;
	fingerprint(tickets: unknown[]): string;
};

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

	it('read each word, each two-word run and each shape once, and the n-grams of each different word, words and n-grams each at their own length', () => {
		const features = textFeatures('', 'frame frame FRAME, framed frames', new Map([['frames', 'frame']]));
		expect([...features.keys()].sort()).toEqual(
			['b:frame frame', 'b:framed frame', 'w:frame', 'w:framed', 'c: fr', 'c: fra', 'c:fra', 'c:fram', 'c:ram', 'c:rame', 'c:ame', 'c:ame ', 'c:me ', 'c:amed', 'c:med', 'c:med ', 'c:ed '].sort(),
		);
		expect(features.get('w:frame')).toBeCloseTo(1 / Math.sqrt(4), 12);
		// "frame" and "framed" each bring their n-grams, 9 and 11 of them: "fram" is in both
		expect(features.get('c:fram')).toBeCloseTo((2 * 0.5) / Math.sqrt(20), 12);
		expect(features.get('c:ame ')).toBeCloseTo(0.5 / Math.sqrt(20), 12);
	});

	it('key a two-word run by its two words\' keys, in order', () => {
		expect(featureKey('b:not late')).not.toEqual(featureKey('b:late not'));
		expect(featureKey('b:not late')).not.toEqual(featureKey('w:not late'));
	});

	it('give the node\'s one-pass reading the same answers as the features by name, on every ticket of the corpus', () => {
		const model = triageModel();
		const tickets = corpus.readCorpus().train;
		let checked = 0;
		for (const ticket of tickets) {
			const ownWords = customerWords(ticket.body);
			const score = sentimentOf(`${ticket.subject ?? ''}\n${ownWords}`);
			const byName = inputFromFeatures(model, namedFeatures(ticket.subject ?? '', ownWords, model.lemmas, score));
			const reading = readTicket(model, ticket.subject ?? '', ownWords);
			expect(reading.sentimentScore).toBe(score);
			for (const head of ['intent', 'sentiment', 'threat']) {
				const explained = head === 'intent' || head === 'sentiment';
				let expected = classify(model, head, byName, explained ? 5 : 0);
				const got = reading.heads[head];
				if (head === 'sentiment') {
					// the sentiment weighed by the intent, explained by the words for the label it ends with
					expect(reading.sentimentAlone).toBe(expected.ranked[0].label);
					const ranked = weighSentimentByIntent(model.sentimentByIntent!, classify(model, 'intent', byName, 0).ranked, expected.ranked, model.heads.sentiment.labels);
					expected = { ranked, evidence: classify(model, head, byName, 5, ranked[0].label).evidence };
				}
				expect(got.ranked.map((entry) => entry.label)).toEqual(expected.ranked.map((entry) => entry.label));
				got.ranked.forEach((entry, at) => expect(entry.probability).toBeCloseTo(expected.ranked[at].probability, 9));
				if (explained) expect(got.evidence.map((entry) => entry.feature)).toEqual(expected.evidence.filter((entry) => !entry.feature.startsWith('c:')).map((entry) => entry.feature));
				else expect(got.evidence).toEqual([]);
			}
			checked++;
		}
		expect(checked).toBe(tickets.length);
	});

	it('say a threat or urgency cue\'s words are there whenever the cue would fire, so the cues are run only then', () => {
		const model = triageModel();
		const { train, test } = corpus.readCorpus();
		const texts = [...train, ...test].map((ticket) => [ticket.subject ?? '', customerWords(ticket.body)]);
		// every wording the rules' own tests use, and the threats the issue names
		texts.push(
			['', "if it's not back by friday i'm charging it back through my bank"],
			['', "cancel it and refund me. don't make me go to my bank."],
			['', "i've opened a dispute on paypal, so you can explain it to them"],
			['', 'posting this on x so everyone sees it'],
			['', 'see you in small claims court'],
			['Reklamation', 'Ich werde die Lastschrift zurückbuchen lassen und meinen Anwalt einschalten'],
			['', 'Je vais contester le paiement auprès de ma banque, et faire opposition sur ma carte'],
			['', 'Voy a pedir la devolución del cargo al banco'],
			['', 'will be telling all my friends to avoid you'],
			['', "i've submitted a section 75 claim"],
			['', 'taking legal advice on this. next step is legal'],
			['', "i'm going to sue"],
			['', "i've asked my bank to get my money back"],
			['', 'filed a claim with paypal, good luck'],
			['', "i've reported this to my credit card company"],
			['', 'scammed. never again'],
			['', 'this is my final warning before i involve my bank'],
			['', "i'm going to get my money back through my bank"],
			['', 'si no me devuelven el dinero, voy a hablar con mi banco para anular el pago'],
			['', 'Sans remboursement sous 48h, je fais opposition auprès de ma banque. Je vais porter plainte'],
			['', 'Ohne Erstattung buche ich die Zahlung über meine Bank zurück, sonst schalte ich die Verbraucherzentrale ein'],
			['', 'Ya abrí una disputa en PayPal y mi abogado lo sabe'],
			['', "J'ai ouvert un litige avec PayPal"],
			['', 'Ich habe bei PayPal einen Fall eröffnet, und die OCU weiß Bescheid'],
			['', 'need this a.s.a.p before the wedding'],
		);
		let threats = 0;
		let urgent = 0;
		for (const [subject, ownWords] of texts) {
			const reading = readTicket(model, subject, ownWords);
			const text = `${subject.toLowerCase()}\n${ownWords.toLowerCase()}`;
			if (threatsIn(text).length) {
				threats++;
				expect([text, reading.threatWords]).toEqual([text, true]);
			}
			// without a word the Spanish, French and German cues need, the English cues alone read the same threats
			expect([text, threatsIn(text, reading.otherLanguageThreatWords)]).toEqual([text, threatsIn(text)]);
			if (urgencyIn(text).length) {
				urgent++;
				expect([text, reading.urgencyWords]).toEqual([text, true]);
			}
		}
		expect(threats).toBeGreaterThanOrEqual(200);
		expect(urgent).toBeGreaterThanOrEqual(45);
	});

	it('ask the language detector about every ticket of the corpus not in English, and about few in English', () => {
		const model = triageModel();
		const { train, test } = corpus.readCorpus();
		const asked = { en: 0, other: 0 };
		const others = [...train, ...test].filter((ticket) => ticket.language !== 'en');
		for (const ticket of [...train, ...test]) {
			if (!readTicket(model, ticket.subject ?? '', customerWords(ticket.body)).plainlyEnglish) asked[ticket.language === 'en' ? 'en' : 'other']++;
		}
		expect(asked.other).toBe(others.length);
		// the detector is the slow step: at most one English ticket in 150 goes to it (58 of the corpus's 10,559, most
		// of them a few words long and in a chat's or a public post's shorthand: "avoid avoid avoid", "legends. absolute
		// legends", none of English's commonest words in them)
		const english = train.length + test.length - others.length;
		expect(asked.en / english).toBeLessThanOrEqual(1 / 150);
	});

	it('take one accented word in an English ticket (a "café", a "giclée") as English, but not a short text, nor a word of another language', () => {
		const model = triageModel();
		const plain = (text: string) => readTicket(model, '', text).plainlyEnglish;
		expect(plain("what's the difference between giclée and the standard print option? the price gap is quite big")).toBe(true);
		expect(plain('I run a small café and would like to order ten prints for the walls, do you offer a trade price?')).toBe(true);
		// a text mostly of English's commonest words is English whatever its accents, and with one word of another language
		expect(plain('I run a small café near the Musée and would like to order ten prints, do you offer a trade price?')).toBe(true);
		expect(plain('Your reply says the print is non returnable but it was sent in the wrong size, can you check?')).toBe(true);
		// two accented words in a text less plainly English, one in a text of three words, two words of another
		// language, or a Spanish text whose only accents are acute: the detector decides
		expect(plain("Musée d'Orsay poster, café wall, arrived bent, replacement needed soon")).toBe(false);
		expect(plain('merci, très joli')).toBe(false);
		expect(plain('the poster is lovely, muchas gracias por todo, it came really fast')).toBe(false);
		expect(plain('lámina rota al llegar, qué pena, reembolso')).toBe(false);
	});

	it('read a ticket the same whatever was read before, even after the word cache started again', () => {
		const model = triageModel();
		const body = 'My print arrived bent and I was charged twice, please refund one of them';
		const before = readTicket(model, 'Bent print', body);
		// more different words than the cache holds
		for (let batch = 0; batch < 70; batch++) readTicket(model, '', Array.from({ length: 1000 }, (_, word) => `w${batch}x${word}q`).join(' '));
		expect(readTicket(model, 'Bent print', body)).toEqual(before);
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

describe('the sentiment weighed by the intent read', () => {
	const labels = ['negative', 'neutral', 'positive'];
	// praise: positive 3 times as often as overall, the others a third as often; a late order the other way round
	const byIntent = { alpha: 1, ratios: new Map([['praise', Float64Array.from([1 / 3, 1 / 3, 3])], ['shipping_delay', Float64Array.from([3, 1 / 3, 1 / 3])]]) };
	const head = [{ label: 'neutral', probability: 0.5 }, { label: 'positive', probability: 0.3 }, { label: 'negative', probability: 0.2 }];

	it('tips a sentiment the head is unsure of toward what the intent read says', () => {
		const praised = weighSentimentByIntent(byIntent, [{ label: 'praise', probability: 1 }], head, labels);
		// 0.2 / 3, 0.5 / 3, 0.3 * 3, normalised
		expect(praised.map((entry) => entry.label)).toEqual(['positive', 'neutral', 'negative']);
		expect(praised[0].probability).toBeCloseTo(0.9 / (0.9 + 0.7 / 3), 12);
		const late = weighSentimentByIntent(byIntent, [{ label: 'shipping_delay', probability: 1 }], head, labels);
		expect(late[0].label).toBe('negative');
	});

	it('leaves the head\'s answer as it is for an intent the table does not know, or with the weight off', () => {
		const unknown = weighSentimentByIntent(byIntent, [{ label: 'general', probability: 1 }], head, labels);
		unknown.forEach((entry) => expect(entry.probability).toBeCloseTo(head.find((own) => own.label === entry.label)!.probability, 12));
		const off = weighSentimentByIntent({ ...byIntent, alpha: 0 }, [{ label: 'praise', probability: 1 }], head, labels);
		off.forEach((entry) => expect(entry.probability).toBeCloseTo(head.find((own) => own.label === entry.label)!.probability, 12));
	});
});

/**
 * The features the learned classifier reads from a ticket, and the one scan of the text both the trainer and the
 * node read them from. Pure and deterministic: the same text gives the same features on every machine. Only the
 * customer's own words count (language.ts customerWords: quoted history and the signature dropped).
 *
 * The features: each word's lemma from the model's lemma table (learned from wink-nlp's English model when the
 * model is trained, scripts/train-triage.js: "charged" and "charge", "arrived" and "arrive" are one feature), the
 * two-word runs, "!", "?" and ALL CAPS, and each word's character 3- and 4-grams, which carry misspellings,
 * compounds, words the table does not know and the Spanish, French and German tickets.
 *
 * A feature is named for people ("w:charge", "b:charge twice", "c:arg") and keyed for the model by two 32-bit
 * hashes (`featureKey`): a word's key is its name's hash, a two-word run's is mixed from its words' keys, so the
 * node (learnedModel.ts readTicket) keys a ticket without building a name. `textFeatures` names them (training,
 * explanations); the unit tests hold the two readings to the same numbers.
 */
import { detectAll } from 'tinyld';
import { customerWords, sentimentOf } from './language';
import { BANG, ID, NUMBER, QUESTION, SYMBOL, WORD, keyFrom, scanText, textKey, wordKey, type Scan } from './scan';

/** How much the character n-grams weigh beside the words (each part normalised to this length). */
export const CHARACTER_WEIGHT = 0.5;
/** How much the sentiment lexicon weighs: a score of 1 counts this much. */
export const LEXICON_WEIGHT = 0.5;

/** Text features by name: w: lemma, b: two lemmas, c: character n-gram, x: shape, s: the sentiment lexicon. */
export type Features = Map<string, number>;

/** The surface words whose lemma differs from them ("charged" -> "charge"), as the model was trained with. */
export type LemmaTable = ReadonlyMap<string, string>;

/** A 32-bit finaliser (murmur3's): spreads every bit of its input over the result. */
function spread(value: number): number {
	value ^= value >>> 16;
	value = Math.imul(value, 0x85ebca6b);
	value ^= value >>> 13;
	value = Math.imul(value, 0xc2b2ae35);
	return (value ^ (value >>> 16)) | 0;
}

/** A two-word run's key from its words' keys (order matters: "not late" is not "late not"). */
export function pairKey1(first: number, second: number): number {
	return spread(first ^ spread(second + 0x62));
}
export function pairKey2(first: number, second: number): number {
	return spread(first ^ spread(second + 0x2b3c));
}

/** The key of a feature name: [hash 1, hash 2]. */
export function featureKey(name: string): [number, number] {
	if (name.startsWith('b:')) {
		const space = name.indexOf(' ', 2);
		const [a1, a2] = wordKey(name, 2, space);
		const [b1, b2] = wordKey(name, space + 1);
		return [pairKey1(a1, b1), pairKey2(a2, b2)];
	}
	return textKey(name);
}

const [GRAM_1, GRAM_2] = textKey('c:');

/**
 * The character 3- and 4-grams of " word ", each with its key: the 4-gram starting at a place is its 3-gram and
 * one more character, so each is hashed on from the other. `visit` gets each key (and the n-gram, when `named`).
 */
export function characterGrams(word: string, visit: (k1: number, k2: number, gram: string | undefined) => void, named = false): void {
	const padded = ` ${word} `;
	for (let first = 0; first + 3 <= padded.length; first++) {
		const [g1, g2] = keyFrom(GRAM_1, GRAM_2, padded, first, first + 3);
		visit(g1, g2, named ? padded.slice(first, first + 3) : undefined);
		if (first + 4 > padded.length) break;
		const [f1, f2] = keyFrom(g1, g2, padded, first + 3, first + 4);
		visit(f1, f2, named ? padded.slice(first, first + 4) : undefined);
	}
}

/** A fifth of a text's words among English's commonest (language.ts ENGLISH) says English, with the conditions below. */
const ENGLISH_SHARE = 0.2;
/**
 * A third of them says English whatever the accents and with one common word of another language ("est", "con",
 * "il", "como", a "merci"): no ticket in another language on the corpus's train split has more than 0.3.
 */
const MOSTLY_ENGLISH_SHARE = 0.35;

/**
 * Whether a scanned text is plainly English and the language detector need not be asked: fewer than four words with
 * no accented letter and no common word of another language (language.ts FOREIGN: "cancel order pls"); a third of
 * its words English's commonest with at most one word of another language (a café owner's letter, "Lake Como", "il
 * use it"); or a fifth of them with no word of another language and at most one accented word (a "giclée", a name).
 * On the corpus's train split: 8,762 of its 8,801 English tickets (8,723 with the fifth alone), and none of its 1,062
 * in Spanish, French or German; on the test split 557 of 558 (555), none of the 91 others.
 */
export function plainlyEnglish(scan: Scan, englishWords: number, foreignWords: number): boolean {
	if (scan.words < 4) return foreignWords === 0 && scan.accentedWords === 0;
	const share = englishWords / scan.words;
	if (share >= MOSTLY_ENGLISH_SHARE && foreignWords <= 1) return true;
	return foreignWords === 0 && scan.accentedWords <= 1 && share >= ENGLISH_SHARE;
}

/** The names of the number and id tokens' features, and the shapes'. */
export const NUMBER_WORD = '#num';
export const ID_WORD = '#id';

/**
 * The features by name, with the values the model reads (`ownWords`: the body's customerWords): each word's lemma,
 * two-word run and shape once, at 1 / sqrt(how many of them), so long emails and one-liners weigh the same; the
 * character n-grams of each different word, counted, at CHARACTER_WEIGHT / sqrt(how many), so they back the words
 * up rather than drown them; and the sentiment lexicon's score (language.ts sentimentOf) as s:negative or
 * s:positive at LEXICON_WEIGHT per point.
 */
export function namedFeatures(subject: string, ownWords: string, lemmas: LemmaTable, sentimentScore: number): Features {
	const scan = scanText(subject, ownWords);
	const words = new Set<string>();
	const grams = new Map<string, number>();
	let gramTotal = 0;
	let previous: string | undefined;
	const term = (value: string, isWord: boolean) => {
		const name = `w:${value}`;
		if (!words.has(name)) {
			words.add(name);
			if (isWord) {
				characterGrams(value, (_k1, _k2, gram) => {
					grams.set(`c:${gram}`, (grams.get(`c:${gram}`) ?? 0) + 1);
					gramTotal++;
				}, true);
			}
		}
		if (previous !== undefined) words.add(`b:${previous} ${value}`);
		previous = value;
	};
	for (let token = 0; token < scan.count; token++) {
		const kind = scan.kind[token];
		const text = () => scan.text.slice(scan.start[token], scan.end[token]);
		if (kind === WORD) {
			const surface = text();
			term(lemmas.get(surface) ?? surface, true);
		} else if (kind === NUMBER || kind === ID) term(kind === ID ? ID_WORD : NUMBER_WORD, false);
		else if (kind === SYMBOL) term(text(), false);
		else {
			if (kind === BANG) words.add('x:!');
			if (kind === QUESTION) words.add('x:?');
			previous = undefined;
		}
	}
	if (scan.shouting) words.add('x:caps');
	const wordValue = 1 / (Math.sqrt(words.size) || 1);
	const gramValue = CHARACTER_WEIGHT / (Math.sqrt(gramTotal) || 1);
	const features: Features = new Map();
	for (const name of words) features.set(name, wordValue);
	for (const [name, count] of grams) features.set(name, count * gramValue);
	if (sentimentScore !== 0) features.set(sentimentScore < 0 ? 's:negative' : 's:positive', Math.abs(sentimentScore) * LEXICON_WEIGHT);
	return features;
}

/** The features by name of a ticket as it came (for training and for reading a model). */
export function textFeatures(subject: string, body: string, lemmas: LemmaTable): Features {
	const ownWords = customerWords(body ?? '');
	return namedFeatures(subject, ownWords, lemmas, sentimentOf(`${subject ?? ''}\n${ownWords}`));
}

/**
 * Where a customer turns to another request: a sentence's end, a new line, or a word that starts one ("also",
 * "and separately", "one more thing", "btw").
 */
const REQUEST_BREAK = /(?<=[.!?])\s+|\n+|\b(?:and also|also|and separately|separately|one more thing|another thing|plus|btw|secondly|second)\b[,:]?/i;
/** A piece shorter than this many words says too little to be read for a request of its own. */
const MIN_REQUEST_WORDS = 3;

/** The customer's own words (`ownWords`: the body's customerWords) in the pieces a second request is looked for in. */
export function requestPieces(ownWords: string): string[] {
	return (ownWords ?? '')
		.split(REQUEST_BREAK)
		.map((piece) => piece?.trim() ?? '')
		.filter((piece) => piece.split(/\s+/).length >= MIN_REQUEST_WORDS);
}

/** The words a ticket is read in, for building a lemma table: each different word as the scan reads it. */
export function ticketWords(subject: string, body: string): string[] {
	const scan = scanText(subject, customerWords(body ?? ''));
	const words = new Set<string>();
	for (let token = 0; token < scan.count; token++) if (scan.kind[token] === WORD) words.add(scan.text.slice(scan.start[token], scan.end[token]));
	return [...words];
}

/** The languages a ticket is told apart in (tinyld, a maintained detector); English unless another is clear. */
const DETECTED_LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'pl', 'sv', 'da'];
/** A detector score this high names another language; below it, short or mixed text reads as English. */
const OTHER_LANGUAGE_SCORE = 0.2;
/** Fewer letters than this say too little to tell a language. */
const MIN_LETTERS = 15;
/** The detector reads this much of the text: a language shows in its first lines, and the cost grows with length (on the train split, 200 characters tell the languages as well as 400, in 60% of the time). */
const LANGUAGE_SAMPLE = 200;

/**
 * The language of the customer's own words, as an ISO 639-1 code: 'en' unless tinyld is clear it is another of
 * DETECTED_LANGUAGES (on the corpus's first train split: 2,468 of 2,471 tickets right, one English one read as
 * another). `ownWords`: the body's customerWords; `isPlainlyEnglish` (plainlyEnglish's): the detector is not asked.
 */
export function ticketLanguage(subject: string, ownWords: string, isPlainlyEnglish = false): string {
	if (isPlainlyEnglish) return 'en';
	const text = `${subject ?? ''}\n${ownWords ?? ''}`;
	if (text.replace(/[^\p{L}]/gu, '').length < MIN_LETTERS) return 'en';
	const [top] = detectAll(text.slice(0, LANGUAGE_SAMPLE), { only: DETECTED_LANGUAGES });
	return top && top.lang !== 'en' && top.accuracy >= OTHER_LANGUAGE_SCORE ? top.lang : 'en';
}

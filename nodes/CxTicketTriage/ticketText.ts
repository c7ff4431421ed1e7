/**
 * The features the learned classifier reads from a ticket. Pure and deterministic: the same text gives the
 * same features on every machine. Only the customer's own words count (language.ts customerWords: quoted
 * history and the signature dropped).
 *
 * One pass over the text, no regular expression per word: a ticket is read in microseconds. Each word is
 * replaced by its lemma from the model's lemma table (learned from wink-nlp's English model when the model is
 * trained, scripts/train-triage.js: "charged" and "charge", "arrived" and "arrive" are one feature); every word
 * also gives its character 3- and 4-grams, which carry misspellings, compounds, words the table does not know
 * and the Spanish, French and German tickets.
 *
 * A feature is named for people ("w:charge", "b:charge twice", "c:arg") and keyed for the model by two 32-bit
 * hashes of that name, computed as the text is read; `textFeatures` gives the names (training, explanations).
 */
import { detectAll } from 'tinyld';
import { customerWords, sentimentOf } from './language';

/** How much the character n-grams weigh beside the words (each part normalised to this length). */
const CHARACTER_WEIGHT = 0.5;
/** How much the sentiment lexicon weighs: a score of 1 counts this much. */
const LEXICON_WEIGHT = 0.5;

/** Text features by name: w: lemma, b: two lemmas, c: character n-gram, x: shape, s: the sentiment lexicon. */
export type Features = Map<string, number>;

/** The surface words whose lemma differs from them ("charged" -> "charge"), as the model was trained with. */
export type LemmaTable = ReadonlyMap<string, string>;

/** A feature's key: FNV-1a and a second, differently mixed hash of its name (two names never share a key in practice). */
const BASIS_1 = 0x811c9dc5 | 0;
const BASIS_2 = 0x9747b28c | 0;
let h1 = 0;
let h2 = 0;
function feed(code: number): void {
	h1 = Math.imul(h1 ^ code, 0x01000193);
	h2 = Math.imul(h2 ^ code, 0x5bd1e995);
	h2 ^= h2 >>> 15;
}
function feedText(text: string): void {
	for (let i = 0; i < text.length; i++) feed(text.charCodeAt(i));
}

/** The key of a feature name, as the text reader computes it: [hash 1, hash 2]. */
export function featureKey(name: string): [number, number] {
	h1 = BASIS_1;
	h2 = BASIS_2;
	feedText(name);
	return [h1, h2];
}

/** The ticket's features as read: keys, whether each is a character n-gram, and a few counts about the words. */
interface Reading {
	count: number;
	key1: Int32Array;
	key2: Int32Array;
	isCharacter: Uint8Array;
	names: string[] | undefined;
	/** Word tokens, and how many are among English's commonest words. */
	words: number;
	englishWords: number;
	accented: boolean;
}

/** Scratch space, reused: a ticket's features are read, used and forgotten before the next ticket is read. */
let capacity = 0;
let slots1 = new Int32Array(0);
let slots2 = new Int32Array(0);
let slotStamp = new Uint32Array(0);
let stamp = 0;
const reading: Reading = { count: 0, key1: new Int32Array(0), key2: new Int32Array(0), isCharacter: new Uint8Array(0), names: undefined, words: 0, englishWords: 0, accented: false };

function grow(size: number): void {
	capacity = size;
	slots1 = new Int32Array(size);
	slots2 = new Int32Array(size);
	slotStamp = new Uint32Array(size);
	const key1 = new Int32Array(size >> 1);
	const key2 = new Int32Array(size >> 1);
	const isCharacter = new Uint8Array(size >> 1);
	key1.set(reading.key1.subarray(0, reading.count));
	key2.set(reading.key2.subarray(0, reading.count));
	isCharacter.set(reading.isCharacter.subarray(0, reading.count));
	Object.assign(reading, { key1, key2, isCharacter });
	stamp = 1;
	for (let entry = 0; entry < reading.count; entry++) place(reading.key1[entry], reading.key2[entry]);
}

function place(k1: number, k2: number): void {
	let slot = k1 & (capacity - 1);
	while (slotStamp[slot] === stamp) slot = (slot + 1) & (capacity - 1);
	slotStamp[slot] = stamp;
	slots1[slot] = k1;
	slots2[slot] = k2;
}

/**
 * Adds the feature just hashed (h1, h2), once: features are present or not, however often a word recurs. True
 * when it is new (the caller then names it, when names are asked for).
 */
function addHashed(character: boolean): boolean {
	if ((reading.count + 1) * 2 > capacity) grow(capacity * 2);
	let slot = h1 & (capacity - 1);
	while (slotStamp[slot] === stamp) {
		if (slots1[slot] === h1 && slots2[slot] === h2) return false;
		slot = (slot + 1) & (capacity - 1);
	}
	slotStamp[slot] = stamp;
	slots1[slot] = h1;
	slots2[slot] = h2;
	reading.key1[reading.count] = h1;
	reading.key2[reading.count] = h2;
	reading.isCharacter[reading.count] = character ? 1 : 0;
	reading.count++;
	return true;
}

/** The hash states after each kind's prefix ("w:", "b:", "c:", "x:"). */
const [W1, W2] = featureKey('w:');
const [B1, B2] = featureKey('b:');
const [C1, C2] = featureKey('c:');
const [X1, X2] = featureKey('x:');

/**
 * English's commonest words: a text of four words or more, a fifth of them these and no accented letter, is
 * English without asking the detector. On the corpus's first train split that is 2,100 of 2,471 tickets, none of
 * them in another language.
 */
const ENGLISH_WORDS = new Set(
	"the and to my i a of it is was for you your in on this that me have not be with but can please order its i'm im we are at so just an as do if get what when will would from has had no".split(' '),
);
const ENGLISH_SHARE = 0.2;
const ACCENTED = new Set([...'àâäçéèêëîïôöùûüÿñ¿¡ß'].map((letter) => letter.charCodeAt(0)));

const APOSTROPHE = 39;
const isAsciiLetter = (code: number) => code >= 97 && code <= 122;
/** A letter of a word: a-z, the Latin-1 and Latin Extended letters, and any other script's letters. */
function isLetter(code: number): boolean {
	if (code < 128) return isAsciiLetter(code);
	if (code < 0xc0) return false;
	if (code <= 0x24f) return code !== 0xd7 && code !== 0xf7;
	return code < 0xd800 && LETTER.test(String.fromCharCode(code));
}
const LETTER = /\p{L}/u;
const isDigit = (code: number) => code >= 48 && code <= 57;
/** Pictographs read as words: surrogate pairs (most emoji) and the dingbats and symbols (✨ ❤ ☺). */
const isSymbolWord = (code: number) => (code >= 0x2600 && code <= 0x27bf) || (code >= 0x2b00 && code <= 0x2bff);
/** Characters inside a word run that do not part it: an emoji's variation selector and joiner. */
const isJoiner = (code: number) => code === 0xfe0f || code === 0x200d;

/**
 * Reads the customer's words of a ticket into `reading`: the lemma of each word, the two-word runs (broken by
 * punctuation and new lines), each word's character 3- and 4-grams, "!" and "?", and ALL CAPS.
 */
function read(subject: string, ownWords: string, lemmas: LemmaTable, withNames: boolean): void {
	const raw = `${subject ?? ''}\n${ownWords ?? ''}`;
	const text = raw.toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'");
	reading.count = 0;
	if (capacity === 0) grow(2048);
	stamp++;
	if (stamp === 0xffffffff) grow(capacity);
	reading.names = withNames ? [] : undefined;
	reading.words = 0;
	reading.englishWords = 0;
	reading.accented = false;
	let previous: string | undefined;
	let letters = 0;
	let capitals = 0;
	const sameLength = text.length === raw.length;
	const term = (value: string, isWord: boolean) => {
		h1 = W1;
		h2 = W2;
		feedText(value);
		if (addHashed(false)) reading.names?.push(`w:${value}`);
		if (previous !== undefined) {
			h1 = B1;
			h2 = B2;
			feedText(previous);
			feed(32);
			feedText(value);
			if (addHashed(false)) reading.names?.push(`b:${previous} ${value}`);
		}
		previous = value;
		if (isWord) characterGrams(value);
	};
	let i = 0;
	while (i < text.length) {
		const code = text.charCodeAt(i);
		if (isLetter(code)) {
			let end = i + 1;
			for (;;) {
				const next = text.charCodeAt(end);
				if (isLetter(next)) end++;
				else if (next === APOSTROPHE && isLetter(text.charCodeAt(end + 1))) end += 2;
				else break;
			}
			for (let k = i; k < end; k++) {
				const letter = text.charCodeAt(k);
				if (letter >= 0xc0 && ACCENTED.has(letter)) reading.accented = true;
				if (sameLength && letter !== APOSTROPHE) {
					letters++;
					const original = raw.charCodeAt(k);
					if (original !== letter) capitals++;
				}
			}
			let word = text.slice(i, end);
			reading.words++;
			if (ENGLISH_WORDS.has(word)) reading.englishWords++;
			// "frame's": the frame
			if (word.endsWith("'s")) word = word.slice(0, -2);
			term(lemmas.get(word) ?? word, true);
			i = end;
		} else if (isDigit(code)) {
			let end = i + 1;
			while (isDigit(text.charCodeAt(end))) end++;
			term(end - i >= 4 ? '#id' : '#num', false);
			i = end;
		} else if (code >= 0xd800 && code <= 0xdbff) {
			term(text.slice(i, i + 2), false);
			i += 2;
		} else if (isSymbolWord(code)) {
			term(text[i], false);
			i++;
		} else if (code === 32 || code === 9 || code === 45 || isJoiner(code)) {
			// spaces and hyphens join words into runs ("one-star"); a joiner belongs to its emoji
			i++;
		} else {
			if (code === 33 || code === 63) {
				h1 = X1;
				h2 = X2;
				feed(code);
				if (addHashed(false)) reading.names?.push(`x:${text[i]}`);
			}
			previous = undefined;
			i++;
		}
	}
	if (letters >= 12 && capitals / letters > 0.6) {
		h1 = X1;
		h2 = X2;
		feedText('caps');
		if (addHashed(false)) reading.names?.push('x:caps');
	}
}

/**
 * The character 3- and 4-grams of " word ": the 4-gram starting at a place is its 3-gram and one more character,
 * so each is hashed on from the other.
 */
function characterGrams(word: string): void {
	const last = word.length + 1;
	const at = (k: number) => (k === 0 || k === last ? 32 : word.charCodeAt(k - 1));
	for (let first = 0; first + 2 <= last; first++) {
		h1 = C1;
		h2 = C2;
		feed(at(first));
		feed(at(first + 1));
		feed(at(first + 2));
		if (addHashed(true)) reading.names?.push(`c:${` ${word} `.slice(first, first + 3)}`);
		if (first + 3 > last) break;
		feed(at(first + 3));
		if (addHashed(true)) reading.names?.push(`c:${` ${word} `.slice(first, first + 4)}`);
	}
}

/** The ticket's features, keyed for a model: keys, values, and the language hints read on the way. */
export interface FeatureVector {
	count: number;
	key1: Int32Array;
	key2: Int32Array;
	values: Float64Array;
	/** Whether the customer's words look plainly English (no accent, a fifth of them English's commonest words). */
	plainlyEnglish: boolean;
}

const LEXICON_KEYS = { negative: featureKey('s:negative'), positive: featureKey('s:positive') };

/**
 * The ticket's features as values (`ownWords`: the body's customerWords): binary presence, each part at its own length (the words, two-word runs and
 * shapes; the character n-grams at CHARACTER_WEIGHT), so long emails and one-liners weigh the same and the many
 * n-grams back the words up rather than drown them; and the sentiment lexicon's score (language.ts sentimentOf)
 * as s:negative or s:positive.
 */
export function featureVector(subject: string, ownWords: string, lemmas: LemmaTable, sentimentScore: number, withNames = false): FeatureVector & { names?: string[] } {
	read(subject, ownWords, lemmas, withNames);
	const count = reading.count;
	let grams = 0;
	for (let entry = 0; entry < count; entry++) grams += reading.isCharacter[entry];
	const wordValue = 1 / (Math.sqrt(count - grams) || 1);
	const gramValue = CHARACTER_WEIGHT / (Math.sqrt(grams) || 1);
	const lexicon = sentimentScore < 0 ? 'negative' : sentimentScore > 0 ? 'positive' : undefined;
	const size = count + (lexicon ? 1 : 0);
	const vector: FeatureVector & { names?: string[] } = {
		count: size,
		key1: reading.key1.slice(0, size),
		key2: reading.key2.slice(0, size),
		values: new Float64Array(size),
		plainlyEnglish: !reading.accented && reading.words >= 4 && reading.englishWords / reading.words >= ENGLISH_SHARE,
	};
	for (let entry = 0; entry < count; entry++) vector.values[entry] = reading.isCharacter[entry] ? gramValue : wordValue;
	if (lexicon) {
		[vector.key1[count], vector.key2[count]] = LEXICON_KEYS[lexicon];
		vector.values[count] = Math.abs(sentimentScore) * LEXICON_WEIGHT;
	}
	if (reading.names) vector.names = lexicon ? [...reading.names, `s:${lexicon}`] : reading.names;
	return vector;
}

/** The features by name (for training and for reading a model): the same values featureVector gives the model. */
export function textFeatures(subject: string, body: string, lemmas: LemmaTable): Features {
	const ownWords = customerWords(body ?? '');
	const vector = featureVector(subject, ownWords, lemmas, sentimentOf(`${subject ?? ''}\n${ownWords}`), true);
	const names = vector.names ?? [];
	return new Map(names.map((name, entry) => [name, vector.values[entry]]));
}

/** The words a ticket is read in, for building a lemma table: each word as the reader sees it. */
export function ticketWords(subject: string, body: string): string[] {
	const names = featureVector(subject, customerWords(body ?? ''), new Map(), 0, true).names ?? [];
	return names.filter((name) => name.startsWith('w:') && !name.startsWith('w:#')).map((name) => name.slice(2));
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
 * another). `ownWords`: the body's customerWords; `plainlyEnglish` (featureVector's): the detector is not asked.
 */
export function ticketLanguage(subject: string, ownWords: string, plainlyEnglish = false): string {
	if (plainlyEnglish) return 'en';
	const text = `${subject ?? ''}\n${ownWords ?? ''}`;
	if (text.replace(/[^\p{L}]/gu, '').length < MIN_LETTERS) return 'en';
	const [top] = detectAll(text.slice(0, LANGUAGE_SAMPLE), { only: DETECTED_LANGUAGES });
	return top && top.lang !== 'en' && top.accuracy >= OTHER_LANGUAGE_SCORE ? top.lang : 'en';
}

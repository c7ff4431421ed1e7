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

/** How much the character n-grams weigh beside the words (each part normalised to this length). */
export const CHARACTER_WEIGHT = 0.5;
/** How much the sentiment lexicon weighs: a score of 1 counts this much. */
export const LEXICON_WEIGHT = 0.5;

/** Text features by name: w: lemma, b: two lemmas, c: character n-gram, x: shape, s: the sentiment lexicon. */
export type Features = Map<string, number>;

/** The surface words whose lemma differs from them ("charged" -> "charge"), as the model was trained with. */
export type LemmaTable = ReadonlyMap<string, string>;

/** FNV-1a and a second, differently mixed hash of a text (two names never share both in practice). */
const BASIS_1 = 0x811c9dc5 | 0;
const BASIS_2 = 0x9747b28c | 0;
let h1 = 0;
let h2 = 0;
function feed(code: number): void {
	h1 = Math.imul(h1 ^ code, 0x01000193);
	h2 = Math.imul(h2 ^ code, 0x5bd1e995);
	h2 ^= h2 >>> 15;
}
function hashFrom(start1: number, start2: number, text: string, from = 0, to = text.length): void {
	h1 = start1;
	h2 = start2;
	for (let i = from; i < to; i++) feed(text.charCodeAt(i));
}

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
		const [a1, a2] = featureKey(`w:${name.slice(2, space)}`);
		const [b1, b2] = featureKey(`w:${name.slice(space + 1)}`);
		return [pairKey1(a1, b1), pairKey2(a2, b2)];
	}
	hashFrom(BASIS_1, BASIS_2, name);
	return [h1, h2];
}

/** The hash states after the word and n-gram prefixes ("w:", "c:"): a word's key goes on from there. */
export const [WORD_1, WORD_2] = featureKey('w:');
export const [GRAM_1, GRAM_2] = featureKey('c:');

/** A word's key ("w:" and the word), from text[from, to). */
export function wordKey(text: string, from = 0, to = text.length): [number, number] {
	hashFrom(WORD_1, WORD_2, text, from, to);
	return [h1, h2];
}

/**
 * The character 3- and 4-grams of " word ", each with its key: the 4-gram starting at a place is its 3-gram and
 * one more character, so each is hashed on from the other. `visit` gets each key (and the n-gram, when `named`).
 */
export function characterGrams(word: string, visit: (k1: number, k2: number, gram: string | undefined) => void, named = false): void {
	const last = word.length + 1;
	const at = (k: number) => (k === 0 || k === last ? 32 : word.charCodeAt(k - 1));
	for (let first = 0; first + 2 <= last; first++) {
		h1 = GRAM_1;
		h2 = GRAM_2;
		feed(at(first));
		feed(at(first + 1));
		feed(at(first + 2));
		const g1 = h1;
		const g2 = h2;
		visit(g1, g2, named ? ` ${word} `.slice(first, first + 3) : undefined);
		if (first + 3 > last) break;
		h1 = g1;
		h2 = g2;
		feed(at(first + 3));
		visit(h1, h2, named ? ` ${word} `.slice(first, first + 4) : undefined);
	}
}

/** The kinds of token the scan reads. */
export const WORD = 1;
export const NUMBER = 2;
export const ID = 3;
export const SYMBOL = 4;
export const BANG = 5;
export const QUESTION = 6;
/** Punctuation or a line break: it ends a two-word run. */
export const BREAK = 7;

/**
 * A scanned text: its tokens side by side (kind, place in `text`, and for words and symbols the key of "w:" and
 * the token, which is the feature's key when the word is its own lemma), and what the scan saw on the way.
 */
export interface Scan {
	/** The text as read: lower case, curly apostrophes straight. */
	text: string;
	count: number;
	kind: Uint8Array;
	start: Int32Array;
	end: Int32Array;
	key1: Int32Array;
	key2: Int32Array;
	/** Word tokens. */
	words: number;
	accented: boolean;
	/** ALL CAPS: at least 12 letters, more than 60% of them capitals. */
	shouting: boolean;
}

/** The one scan, reused: a ticket is scanned, read and forgotten before the next is scanned. */
const scanned: Scan = { text: '', count: 0, kind: new Uint8Array(0), start: new Int32Array(0), end: new Int32Array(0), key1: new Int32Array(0), key2: new Int32Array(0), words: 0, accented: false, shouting: false };

function room(size: number): void {
	if (scanned.kind.length >= size) return;
	const capacity = Math.max(size, scanned.kind.length * 2, 256);
	scanned.kind = new Uint8Array(capacity);
	scanned.start = new Int32Array(capacity);
	scanned.end = new Int32Array(capacity);
	scanned.key1 = new Int32Array(capacity);
	scanned.key2 = new Int32Array(capacity);
}

const ACCENTED = new Set([...'àâäçéèêëîïôöùûüÿñ¿¡ß'].map((letter) => letter.charCodeAt(0)));
const APOSTROPHE = 39;
const S = 115;
const CURLY_APOSTROPHES = /[\u2018\u2019\u02bc]/g;
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
 * Scans the customer's words of a ticket (subject, then `ownWords`, the body's customerWords) in one pass: words
 * (a word's "'s" dropped: "frame's" is the frame), numbers (four digits or more an id), emoji and symbols, "!",
 * "?" and the punctuation and line breaks that end a two-word run; spaces, tabs and hyphens join ("one-star").
 * The result is the module's one Scan: read it before scanning again.
 */
export function scanText(subject: string, ownWords: string): Scan {
	const raw = `${subject ?? ''}\n${ownWords ?? ''}`;
	const text = raw.toLowerCase().replace(CURLY_APOSTROPHES, "'");
	room(text.length + 1);
	const { kind, start, end: ends, key1, key2 } = scanned;
	const sameLength = text.length === raw.length;
	let count = 0;
	let words = 0;
	let letters = 0;
	let capitals = 0;
	let accented = false;
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
			const wordEnd = end - i > 2 && text.charCodeAt(end - 1) === S && text.charCodeAt(end - 2) === APOSTROPHE ? end - 2 : end;
			let a = WORD_1;
			let b = WORD_2;
			for (let k = i; k < end; k++) {
				const letter = text.charCodeAt(k);
				if (k < wordEnd) {
					a = Math.imul(a ^ letter, 0x01000193);
					b = Math.imul(b ^ letter, 0x5bd1e995);
					b ^= b >>> 15;
				}
				if (letter >= 0xc0 && ACCENTED.has(letter)) accented = true;
				if (sameLength && letter !== APOSTROPHE) {
					letters++;
					if (raw.charCodeAt(k) !== letter) capitals++;
				}
			}
			kind[count] = WORD;
			start[count] = i;
			ends[count] = wordEnd;
			key1[count] = a;
			key2[count++] = b;
			words++;
			i = end;
		} else if (isDigit(code)) {
			let end = i + 1;
			while (isDigit(text.charCodeAt(end))) end++;
			kind[count] = end - i >= 4 ? ID : NUMBER;
			start[count] = i;
			ends[count++] = end;
			i = end;
		} else if ((code >= 0xd800 && code <= 0xdbff) || isSymbolWord(code)) {
			const end = code >= 0xd800 && code <= 0xdbff ? i + 2 : i + 1;
			let a = WORD_1;
			let b = WORD_2;
			for (let k = i; k < end && k < text.length; k++) {
				const unit = text.charCodeAt(k);
				a = Math.imul(a ^ unit, 0x01000193);
				b = Math.imul(b ^ unit, 0x5bd1e995);
				b ^= b >>> 15;
			}
			kind[count] = SYMBOL;
			start[count] = i;
			ends[count] = Math.min(end, text.length);
			key1[count] = a;
			key2[count++] = b;
			i = end;
		} else if (code === 32 || code === 9 || code === 45 || isJoiner(code)) {
			i++;
		} else {
			kind[count] = code === 33 ? BANG : code === 63 ? QUESTION : BREAK;
			start[count] = i;
			ends[count++] = i + 1;
			i++;
		}
	}
	scanned.text = text;
	scanned.count = count;
	scanned.words = words;
	scanned.accented = accented;
	scanned.shouting = letters >= 12 && capitals / letters > 0.6;
	return scanned;
}

/**
 * English's commonest words: a text of four words or more, a fifth of them these and no accented letter, is
 * English without asking the detector. On the corpus that is 3,310 of its 3,427 English tickets, none of its
 * tickets in another language.
 */
export const ENGLISH_WORDS = new Set(
	"the and to my i a of it is was for you your in on this that me have not be with but can please order its i'm im we are at so just an as do if get what when will would from has had no".split(' '),
);
const ENGLISH_SHARE = 0.2;

/** Whether a scanned text looks plainly English, `englishWords` of its words being ENGLISH_WORDS. */
export function plainlyEnglish(scan: Scan, englishWords: number): boolean {
	return !scan.accented && scan.words >= 4 && englishWords / scan.words >= ENGLISH_SHARE;
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

/**
 * The one scan of a ticket's text that every reader shares: the learned model's features (ticketText.ts,
 * learnedModel.ts), the sentiment lexicon and the cue look-outs (language.ts). One pass over the characters, no
 * regular expression per word, no string made per word: a word is kept as its place in the text and its key.
 *
 * A key is two 32-bit hashes of a text: FNV-1a and a second, differently mixed hash (two texts never share both
 * in practice). A word's key is the key of "w:" and the word, which is also its feature's name (ticketText.ts).
 */

const BASIS_1 = 0x811c9dc5 | 0;
const BASIS_2 = 0x9747b28c | 0;
const PRIME_1 = 0x01000193;
const PRIME_2 = 0x5bd1e995;

/** The key of text[from, to), hashed on from the state (start1, start2). */
export function keyFrom(start1: number, start2: number, text: string, from = 0, to = text.length): [number, number] {
	let a = start1;
	let b = start2;
	for (let i = from; i < to; i++) {
		const code = text.charCodeAt(i);
		a = Math.imul(a ^ code, PRIME_1);
		b = Math.imul(b ^ code, PRIME_2);
		b ^= b >>> 15;
	}
	return [a, b];
}

/** The key of a text. */
export function textKey(text: string): [number, number] {
	return keyFrom(BASIS_1, BASIS_2, text);
}

/** The hash state after the word prefix "w:": a word's key goes on from there. */
export const [WORD_1, WORD_2] = textKey('w:');

/** A word's key ("w:" and the word), from text[from, to). */
export function wordKey(text: string, from = 0, to = text.length): [number, number] {
	return keyFrom(WORD_1, WORD_2, text, from, to);
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
	/** Per word: 1 when it is SHOUTED (more than two letters, all capitals). */
	upper: Uint8Array;
	/** Word tokens. */
	words: number;
	/** Words with an accented letter (é, ñ, ü, ...). */
	accentedWords: number;
	/** ALL CAPS: at least 12 letters, more than 60% of them capitals. */
	shouting: boolean;
}

/** The one scan, reused: a ticket is scanned, read and forgotten before the next is scanned. */
const scanned: Scan = { text: '', count: 0, kind: new Uint8Array(0), start: new Int32Array(0), end: new Int32Array(0), key1: new Int32Array(0), key2: new Int32Array(0), upper: new Uint8Array(0), words: 0, accentedWords: 0, shouting: false };

function room(size: number): void {
	if (scanned.kind.length >= size) return;
	const capacity = Math.max(size, scanned.kind.length * 2, 256);
	scanned.kind = new Uint8Array(capacity);
	scanned.start = new Int32Array(capacity);
	scanned.end = new Int32Array(capacity);
	scanned.key1 = new Int32Array(capacity);
	scanned.key2 = new Int32Array(capacity);
	scanned.upper = new Uint8Array(capacity);
}

const ACCENTED = new Set([...'àáâãäåæçèéêëìíîïñòóôõöøœùúûüýÿßąćęłńśźż'].map((letter) => letter.charCodeAt(0)));
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
	const { kind, start, end: ends, key1, key2, upper } = scanned;
	const sameLength = text.length === raw.length;
	let count = 0;
	let words = 0;
	let letters = 0;
	let capitals = 0;
	let accentedWords = 0;
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
			let wordLetters = 0;
			let wordCapitals = 0;
			let wordAccented = 0;
			for (let k = i; k < end; k++) {
				const letter = text.charCodeAt(k);
				if (k < wordEnd) {
					a = Math.imul(a ^ letter, PRIME_1);
					b = Math.imul(b ^ letter, PRIME_2);
					b ^= b >>> 15;
				}
				if (letter >= 0xc0 && ACCENTED.has(letter)) wordAccented = 1;
				if (sameLength && letter !== APOSTROPHE) {
					wordLetters++;
					if (raw.charCodeAt(k) !== letter) wordCapitals++;
				}
			}
			letters += wordLetters;
			capitals += wordCapitals;
			accentedWords += wordAccented;
			upper[count] = end - i > 2 && wordCapitals === wordLetters ? 1 : 0;
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
				a = Math.imul(a ^ unit, PRIME_1);
				b = Math.imul(b ^ unit, PRIME_2);
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
	scanned.accentedWords = accentedWords;
	scanned.shouting = letters >= 12 && capitals / letters > 0.6;
	return scanned;
}


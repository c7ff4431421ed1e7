/**
 * The features the learned classifier reads from a ticket. Pure and deterministic: the same text gives the
 * same features on every machine. Only the customer's own words count (language.ts customerWords: quoted
 * history and the signature dropped).
 *
 * Words are lemmatised by wink-nlp's English model (a maintained NLP library: "charged" and "charge", "arrived"
 * and "arrive" are one feature); every word also gives its character 3- and 4-grams, which carry misspellings,
 * compounds and the Spanish, French and German tickets the English lemmas do not know.
 */
import { detectAll } from 'tinyld';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { customerWords, readSignals, type TextSignals } from './language';

// the part-of-speech step alone: the lemmas need it, and sentence, entity and sentiment steps would only cost time
const nlp = winkNLP(model, ['pos']);
const its = nlp.its;

/** How much the hand-written cues weigh: a cue at full strength counts this much. */
const RULE_WEIGHT = 0.5;

/** How much the character n-grams weigh beside the words (each part normalised to this length). */
const CHARACTER_WEIGHT = 0.5;

/**
 * Text features: name -> value. w: lemma, b: two lemmas, c: character n-gram, x: shape (each part L2-normalised);
 * r: a hand-written intent cue, s: the sentiment lexicon's score.
 */
export type Features = Map<string, number>;

export function textFeatures(subject: string, body: string, cues: TextSignals = readSignals(subject ?? '', body ?? '')): Features {
	const raw = `${subject ?? ''}\n${customerWords(body ?? '')}`;
	const counts = new Map<string, number>();
	const add = (name: string, value = 1) => counts.set(name, (counts.get(name) ?? 0) + value);
	// wink-nlp adds words it has not met to its lexicon as it reads, and a word it has met with a clitic ("frame's")
	// is then one token: the clitics are split off first, so a text's features never depend on what was read before
	const text = raw.toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'").replace(/([a-zà-ÿ])('(?:s|re|ve|ll|m|d)|n't)\b/g, '$1 $2');
	const doc = nlp.readDoc(text);
	const types = doc.tokens().out(its.type) as string[];
	// the lemma needs the model's add-ons, which wink's typings leave out of out()'s signature
	const lemmas = doc.tokens().out(its.lemma as unknown as typeof its.type) as string[];
	const words: string[] = [];
	let previous: string | undefined;
	types.forEach((type, index) => {
		const lemma = lemmas[index];
		if (type === 'word' || type === 'number' || type === 'emoji' || type === 'emoticon') {
			const term = type === 'number' ? (/^\d{4,}$/.test(lemma) ? '#id' : '#num') : lemma;
			add(`w:${term}`);
			if (previous) add(`b:${previous} ${term}`);
			previous = term;
			if (type === 'word') words.push(lemma);
		} else if (type === 'punctuation') {
			if (lemma === '!' || lemma === '?') add(`x:${lemma}`);
			previous = undefined;
		}
	});
	for (const word of words) {
		const padded = ` ${word} `;
		for (const size of [3, 4]) for (let i = 0; i + size <= padded.length; i++) add(`c:${padded.slice(i, i + size)}`);
	}
	const letters = raw.replace(/[^A-Za-zÀ-ÿ]/g, '');
	if (letters.length >= 12 && letters.replace(/[^A-ZÀ-Þ]/g, '').length / letters.length > 0.6) add('x:caps');
	// binary presence, each part at its own length: long emails and one-liners weigh the same, and the many
	// character n-grams back the words up rather than drown them
	const names = [...counts.keys()].sort();
	const grams = names.filter((name) => name.startsWith('c:')).length;
	const wordNorm = Math.sqrt(names.length - grams) || 1;
	const gramNorm = Math.sqrt(grams) || 1;
	const features: Features = new Map();
	for (const name of names) features.set(name, name.startsWith('c:') ? CHARACTER_WEIGHT / gramNorm : 1 / wordNorm);
	// the hand-written cues (language.ts) as evidence beside the words: the model learns how far to trust each
	const signals = cues;
	for (const match of signals.intents) features.set(`r:${match.intent}`, (RULE_WEIGHT * Math.min(match.score, 3)) / 3);
	if (signals.sentimentScore < 0) features.set('s:negative', -signals.sentimentScore * RULE_WEIGHT);
	if (signals.sentimentScore > 0) features.set('s:positive', signals.sentimentScore * RULE_WEIGHT);
	return features;
}

/** The languages a ticket is told apart in (tinyld, a maintained detector); English unless another is clear. */
const DETECTED_LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'pl', 'sv', 'da'];
/** A detector score this high names another language; below it, short or mixed text reads as English. */
const OTHER_LANGUAGE_SCORE = 0.2;
/** Fewer letters than this say too little to tell a language. */
const MIN_LETTERS = 15;
/** The detector reads this much of the text: a language shows in its first lines, and the cost grows with length. */
const LANGUAGE_SAMPLE = 400;
/**
 * English's commonest words: a text of four words or more, a fifth of them these and no accented letter, is
 * English without asking the detector (about 0.4 ms a ticket). On the corpus's train split that is 2,100 of 2,471
 * tickets, none of them in another language.
 */
const ENGLISH_WORDS = new Set(
	"the and to my i a of it is was for you your in on this that me have not be with but can please order its i'm im we are at so just an as do if get what when will would from has had no".split(' '),
);
const ENGLISH_SHARE = 0.2;
const ACCENTED = /[àâäçéèêëîïôöùûüÿñ¿¡ß]/;

/**
 * The language of the customer's own words, as an ISO 639-1 code: 'en' unless tinyld is clear it is another of
 * DETECTED_LANGUAGES (on the corpus's train split: 2,468 of 2,471 tickets right, one English one read as another).
 */
export function ticketLanguage(subject: string, body: string): string {
	const text = `${subject ?? ''}\n${customerWords(body ?? '')}`;
	if (text.replace(/[^\p{L}]/gu, '').length < MIN_LETTERS) return 'en';
	const lower = text.toLowerCase();
	const words = lower.match(/[\p{L}']+/gu) ?? [];
	if (!ACCENTED.test(lower) && words.length >= 4 && words.filter((word) => ENGLISH_WORDS.has(word)).length / words.length >= ENGLISH_SHARE) return 'en';
	const [top] = detectAll(text.slice(0, LANGUAGE_SAMPLE), { only: DETECTED_LANGUAGES });
	return top && top.lang !== 'en' && top.accuracy >= OTHER_LANGUAGE_SCORE ? top.lang : 'en';
}

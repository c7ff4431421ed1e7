/**
 * The learned classifier: a linear model (multinomial logistic regression) per head over the features of
 * ticketText.ts, trained by scripts/train-triage.js on the corpus's train split and shipped as data
 * (model/triage-model.json). Each answer carries the probabilities and the words that weighed most for it, so a
 * decision can say why.
 *
 * `readTicket` is the node's reading: one scan of the text, every head at once. What a word brings (its lemma's
 * row, the sum of its character n-grams' rows) is worked out the first time the word is seen and kept with the
 * model, so a ticket costs a look-up per word and per two-word run. The cache only remembers what the same
 * arithmetic gave before: answers never depend on what was read earlier (the unit tests hold readTicket to the
 * features by name).
 */
import { ENGLISH, FOREIGN, OTHER_LANGUAGE_THREAT_WORD, THREAT_WORD, URGENCY_WORD, lexiconScore, wordFlags, wordValence } from './language';
import { BANG, ID, NUMBER, QUESTION, SYMBOL, WORD, scanText, wordKey } from './scan';
import { CHARACTER_WEIGHT, ID_WORD, LEXICON_WEIGHT, NUMBER_WORD, characterGrams, featureKey, pairKey1, pairKey2, plainlyEnglish, type Features, type LemmaTable } from './ticketText';

export interface LinearHead {
	labels: string[];
	/** Per label: its bias. */
	bias: number[];
	/** Where the head's labels start in a row of the model's weights. */
	offset: number;
	/** Each label's place among the head's labels in sort order (ties between equal probabilities go to the first). */
	labelOrder: Int32Array;
}

/** What the words seen so far bring, kept with the model (see readTicket). */
interface WordCache {
	/** Surface word key -> entry + 1: four numbers a slot (key 1, key 2, entry + 1, the word's language.ts wordFlags). */
	surfaceMask: number;
	surfaces: Int32Array;
	surfaceCount: number;
	/** Per entry: its lemma's key, the lemma's row (-1: unknown), its character n-grams and their rows' sum (of int8 codes: a whole number, kept as one). */
	lemmaKey1: Int32Array;
	lemmaKey2: Int32Array;
	lemmaRow: Int32Array;
	gramCount: Int32Array;
	gramSums: Int32Array;
	/** Per entry: the surface word's (or emoji's) valence in the sentiment lexicon. */
	valence: Float64Array;
	entries: number;
}

/**
 * How the intent read weighs on the sentiment: the labelling guide ties some intents to a feeling (praise is
 * positive; damaged, late, wrong or missing items are negative however calmly told), so the sentiment head's answer
 * is weighed by what the intent head read: q(s) ~ p(s) * (sum over intents i of p(i) * P(s|i) / P(s)) ^ alpha,
 * P(s|i) and P(s) counted on the train split (scripts/train-triage.js).
 */
export interface SentimentByIntent {
	alpha: number;
	/** Per intent label, per sentiment label (the sentiment head's order): P(s|i) / P(s). */
	ratios: Map<string, Float64Array>;
}

export interface LearnedModel {
	version: string;
	/** The intent's weight on the sentiment, when the model file has it. */
	sentimentByIntent?: SentimentByIntent;
	/** The features by row, named for people. */
	names: string[];
	/**
	 * Each row's place among the names in sort order (made on the first explanation): ties between equal weights go
	 * to the name that sorts first, told by comparing two numbers instead of two strings.
	 */
	nameOrder?: Int32Array;
	/** Per row: 1 for a character n-gram (shown after the words when a decision says why). */
	isGram: Uint8Array;
	/**
	 * The rows by feature key (ticketText.ts featureKey): open addressing on the first hash, both hashes compared;
	 * a slot is three numbers side by side (hash 1, hash 2, row + 1; 0 is empty), one cache line for a look-up.
	 */
	rows: { mask: number; slots: Int32Array };
	/**
	 * A bit per hash of the second key, set for the model's features (2^20 bits, 128 KB): most two-word runs are not
	 * features, and a bit that is not set says so without a look in the larger table.
	 */
	known: Uint8Array;
	lemmas: LemmaTable;
	heads: Record<string, LinearHead>;
	/** The heads in the model file's order (the intent head first), with their names. */
	headList: Array<[string, LinearHead]>;
	/** Every head's biases side by side, where its labels start in a row (the logits a reading starts from). */
	biases: Float64Array;
	/**
	 * Every head's weights as the file's int8 codes, row-major: row r, head h's label l at r * stride + h.offset + l;
	 * the weight is the code times `scale[h.offset + l]` (its head's). A row is one cache line: a ticket's rows are
	 * summed as codes and scaled once.
	 */
	codes: Int8Array;
	scale: Float64Array;
	stride: number;
	words: WordCache;
}

/** The model file's shape: weights as base64 int8 codes, and the lemma table the features were read with. */
export interface LearnedModelFile {
	version: string;
	features: string[];
	lemmas?: Record<string, string>;
	heads: Record<string, { labels: string[]; bias: number[]; codes: string; scale: number }>;
	/** P(sentiment) and P(sentiment | intent) on the train split, by label, and the power the intent weighs with. */
	sentimentByIntent?: { alpha: number; prior: Record<string, number>; given: Record<string, Record<string, number>> };
	trainedOn?: Record<string, unknown>;
}

/** The words the cache holds at most before it starts again (about 170 bytes each with the shipped model's 21 labels). */
const MAX_CACHED_WORDS = 1 << 16;

function wordCache(stride: number, size = 1024): WordCache {
	return {
		surfaceMask: size * 2 - 1,
		surfaces: new Int32Array(size * 2 * 4),
		surfaceCount: 0,
		lemmaKey1: new Int32Array(size),
		lemmaKey2: new Int32Array(size),
		lemmaRow: new Int32Array(size),
		gramCount: new Int32Array(size),
		gramSums: new Int32Array(size * stride),
		valence: new Float64Array(size),
		entries: 0,
	};
}

export function modelFromFile(file: LearnedModelFile): LearnedModel {
	const heads: Record<string, LinearHead> = {};
	let stride = 0;
	for (const [name, head] of Object.entries(file.heads)) {
		heads[name] = { labels: head.labels, bias: head.bias, offset: stride, labelOrder: labelOrderOf(head.labels) };
		stride += head.labels.length;
	}
	const codes = new Int8Array(file.features.length * stride);
	const scale = new Float64Array(stride);
	for (const [name, head] of Object.entries(file.heads)) {
		const bytes = Buffer.from(head.codes, 'base64');
		const headCodes = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
		const size = head.labels.length;
		const { offset } = heads[name];
		scale.fill(head.scale, offset, offset + size);
		for (let at = 0; at < headCodes.length; at++) codes[Math.floor(at / size) * stride + offset + (at % size)] = headCodes[at];
	}
	let size = 16;
	while (size < file.features.length * 2) size *= 2;
	const rows = { mask: size - 1, slots: new Int32Array(size * 3) };
	const known = new Uint8Array(KNOWN_MASK + 1);
	file.features.forEach((name, row) => {
		const [k1, k2] = featureKey(name);
		let slot = k1 & rows.mask;
		while (rows.slots[slot * 3 + 2] !== 0) {
			if (rows.slots[slot * 3] === k1 && rows.slots[slot * 3 + 1] === k2) throw new Error(`the model names feature ${name} twice, or two of its features share a key`);
			slot = (slot + 1) & rows.mask;
		}
		rows.slots.set([k1, k2, row + 1], slot * 3);
		known[(k2 >>> 3) & KNOWN_MASK] |= 1 << (k2 & 7);
	});
	const isGram = Uint8Array.from(file.features, (name) => (name.startsWith('c:') ? 1 : 0));
	const lemmas = new Map(Object.entries(file.lemmas ?? {}));
	const byIntent = file.sentimentByIntent && heads.sentiment ? sentimentByIntentOf(file.sentimentByIntent, heads.sentiment.labels) : undefined;
	const biases = new Float64Array(stride);
	for (const head of Object.values(heads)) biases.set(head.bias, head.offset);
	return {
		version: file.version,
		names: file.features,
		isGram,
		rows,
		known,
		lemmas,
		heads,
		headList: Object.entries(heads),
		biases,
		codes,
		scale,
		stride,
		words: wordCache(stride),
		...(byIntent ? { sentimentByIntent: byIntent } : {}),
	};
}

function sentimentByIntentOf(table: NonNullable<LearnedModelFile['sentimentByIntent']>, labels: string[]): SentimentByIntent {
	const ratios = new Map<string, Float64Array>();
	for (const [intent, given] of Object.entries(table.given)) {
		ratios.set(intent, Float64Array.from(labels, (label) => {
			const prior = table.prior[label];
			if (!(prior > 0) || !(given[label] > 0)) throw new Error(`the model's sentimentByIntent has no share for ${label} (intent ${intent})`);
			return given[label] / prior;
		}));
	}
	return { alpha: table.alpha, ratios };
}

/**
 * The sentiment head's answer weighed by the intent head's (SentimentByIntent), ranked. `sentiment`: the head's own
 * ranking; `labels`: the head's labels in order (`order`: their LinearHead labelOrder, worked out when not given).
 */
export function weighSentimentByIntent(byIntent: SentimentByIntent, intent: HeadAnswer['ranked'], sentiment: HeadAnswer['ranked'], labels: string[], order?: Int32Array): HeadAnswer['ranked'] {
	const mixed = new Float64Array(labels.length);
	for (const { label, probability } of intent) {
		const ratios = byIntent.ratios.get(label);
		if (ratios) for (let at = 0; at < labels.length; at++) mixed[at] += probability * ratios[at];
	}
	const own = new Float64Array(labels.length);
	for (const { label, probability } of sentiment) {
		const at = labels.indexOf(label);
		if (at >= 0) own[at] = probability;
	}
	let sum = 0;
	for (let at = 0; at < labels.length; at++) sum += own[at] = own[at] * Math.pow(mixed[at] || 1, byIntent.alpha);
	for (let at = 0; at < labels.length; at++) own[at] = sum > 0 ? own[at] / sum : 0;
	return ranking(labels, order ?? labelOrderOf(labels), own, 0);
}

function labelOrderOf(labels: string[]): Int32Array {
	const order = new Int32Array(labels.length);
	[...labels.keys()].sort((a, b) => (labels[a] < labels[b] ? -1 : labels[a] > labels[b] ? 1 : 0)).forEach((label, place) => {
		order[label] = place;
	});
	return order;
}

/** Scratch for ranking: a head's label indices in rank order. */
let rankOrder = new Int32Array(32);

/**
 * The labels ranked by their probability (`probabilities[offset + label]`), highest first, ties by label (`order`:
 * each label's place in sort order): an insertion sort of their indices, a head has a few labels.
 */
function ranking(labels: string[], order: Int32Array, probabilities: Float64Array, offset: number): HeadAnswer['ranked'] {
	const size = labels.length;
	if (rankOrder.length < size) rankOrder = new Int32Array(size * 2);
	for (let label = 0; label < size; label++) {
		const probability = probabilities[offset + label];
		let at = label;
		while (at > 0) {
			const other = rankOrder[at - 1];
			const otherProbability = probabilities[offset + other];
			if (probability < otherProbability || (probability === otherProbability && order[label] > order[other])) break;
			rankOrder[at] = other;
			at--;
		}
		rankOrder[at] = label;
	}
	const ranked: HeadAnswer['ranked'] = new Array(size);
	for (let at = 0; at < size; at++) ranked[at] = { label: labels[rankOrder[at]], probability: probabilities[offset + rankOrder[at]] };
	return ranked;
}

const KNOWN_MASK = (1 << 17) - 1;

/** The model's row of a feature key, or -1 when the model does not know it. */
function rowOf(model: LearnedModel, k1: number, k2: number): number {
	if ((model.known[(k2 >>> 3) & KNOWN_MASK] & (1 << (k2 & 7))) === 0) return -1;
	const { mask, slots } = model.rows;
	let slot = k1 & mask;
	for (;;) {
		const at = slot * 3;
		const row = slots[at + 2];
		if (row === 0) return -1;
		if (slots[at] === k1 && slots[at + 1] === k2) return row - 1;
		slot = (slot + 1) & mask;
	}
}

/** A ticket's features as the model's rows and values: the features it does not know are left out. */
export interface ModelInput {
	rows: Int32Array;
	values: Float64Array;
	count: number;
}

/** Features by name (training's, a test's or an explanation's) as the model's input. */
export function inputFromFeatures(model: LearnedModel, features: Features): ModelInput {
	const known = [...features].map(([name, value]) => [rowOf(model, ...featureKey(name)), value] as const).filter(([row]) => row >= 0);
	return { rows: Int32Array.from(known.map(([row]) => row)), values: Float64Array.from(known.map(([, value]) => value)), count: known.length };
}

export interface HeadAnswer {
	/** Labels by probability, highest first. */
	ranked: Array<{ label: string; probability: number }>;
	/** The features that pushed the top label up most, with their weight (word and two-word features first). */
	evidence: Array<{ feature: string; weight: number }>;
}

/** Softmax of a head's logits (logits[offset ...]), ranked, ties by label. */
function rank(head: LinearHead, logits: Float64Array): Array<{ label: string; probability: number }> {
	const { labels, offset } = head;
	let top = -Infinity;
	for (let label = 0; label < labels.length; label++) top = Math.max(top, logits[offset + label]);
	let sum = 0;
	for (let label = 0; label < labels.length; label++) sum += logits[offset + label] = Math.exp(logits[offset + label] - top);
	for (let label = 0; label < labels.length; label++) logits[offset + label] /= sum;
	return ranking(labels, head.labelOrder, logits, offset);
}

/** `explainLabel`: the label whose evidence is wanted (the top one by default). */
export function classify(model: LearnedModel, head: string, input: ModelInput, evidenceCount = 5, explainLabel?: string): HeadAnswer {
	const linear = model.heads[head];
	const { offset, labels } = linear;
	const size = labels.length;
	const { codes, scale, stride } = model;
	const logits = new Float64Array(model.stride);
	for (let label = 0; label < size; label++) logits[offset + label] = linear.bias[label];
	const { rows, values, count } = input;
	for (let entry = 0; entry < count; entry++) {
		const base = rows[entry] * stride + offset;
		const value = values[entry];
		for (let label = 0; label < size; label++) logits[offset + label] += codes[base + label] * scale[offset + label] * value;
	}
	const ranked = rank(linear, logits);
	if (evidenceCount <= 0) return { ranked, evidence: [] };
	const best = offset + labels.indexOf(explainLabel ?? ranked[0].label);
	// the strongest words and the strongest character n-grams, each kept to `evidenceCount`: words read better,
	// so they come first when they weigh
	const words = new Strongest(evidenceCount);
	const grams = new Strongest(evidenceCount);
	for (let entry = 0; entry < count; entry++) {
		const weight = codes[rows[entry] * stride + best] * scale[best] * values[entry];
		if (weight > 0) (model.isGram[rows[entry]] ? grams : words).offer(rows[entry], weight, model.names);
	}
	return { ranked, evidence: [...words.entries(model.names), ...grams.entries(model.names)].slice(0, evidenceCount) };
}

/** The heaviest rows offered (ties by name), at most `limit`, heaviest first. */
class Strongest {
	private readonly rows: number[] = [];
	private readonly weights: number[] = [];
	constructor(private readonly limit: number) {}

	offer(row: number, weight: number, names: string[]): void {
		const { rows, weights } = this;
		// most rows weigh less than the lightest kept: turned away before anything else is done
		if (rows.length >= this.limit && weight <= weights[rows.length - 1] && (weight < weights[rows.length - 1] || names[row] >= names[rows[rows.length - 1]])) return;
		let at = rows.length;
		while (at > 0 && (weight > weights[at - 1] || (weight === weights[at - 1] && names[row] < names[rows[at - 1]]))) at--;
		this.rows.splice(at, 0, row);
		this.weights.splice(at, 0, weight);
		if (this.rows.length > this.limit) {
			this.rows.pop();
			this.weights.pop();
		}
	}

	entries(names: string[]): Array<{ feature: string; weight: number }> {
		return this.rows.map((row, at) => ({ feature: names[row], weight: Math.round(this.weights[at] * 1000) / 1000 }));
	}
}

/** The model's nameOrder, made the first time it is asked for. */
function nameOrderOf(model: LearnedModel): Int32Array {
	if (!model.nameOrder) {
		const { names } = model;
		const byName = Int32Array.from(names.keys()).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
		const order = new Int32Array(names.length);
		byName.forEach((row, place) => {
			order[row] = place;
		});
		model.nameOrder = order;
	}
	return model.nameOrder;
}

/** heaviestCodes' answer: rows by code, highest first (ties by name). */
let topRows = new Int32Array(8);
let topCodes = new Int32Array(8);

/**
 * The rows (of `rows`' first `count`) with the highest positive code in column `column`, at most `limit`, into
 * topRows and topCodes, highest first and ties by name; returns how many. Most rows are turned away by one compare.
 */
function heaviestCodes(codes: Int8Array, stride: number, column: number, rows: Int32Array, count: number, limit: number, order: Int32Array): number {
	if (topRows.length < limit) {
		topRows = new Int32Array(limit);
		topCodes = new Int32Array(limit);
	}
	let kept = 0;
	for (let at = 0; at < count; at++) {
		const row = rows[at];
		const code = codes[row * stride + column];
		if (code <= 0) continue;
		if (kept === limit && (code < topCodes[kept - 1] || (code === topCodes[kept - 1] && order[row] >= order[topRows[kept - 1]]))) continue;
		let place = kept < limit ? kept++ : kept - 1;
		while (place > 0 && (code > topCodes[place - 1] || (code === topCodes[place - 1] && order[row] < order[topRows[place - 1]]))) {
			topRows[place] = topRows[place - 1];
			topCodes[place] = topCodes[place - 1];
			place--;
		}
		topRows[place] = row;
		topCodes[place] = code;
	}
	return kept;
}

/** A new entry for a word or symbol seen for the first time: its lemma's key and row, its n-grams' rows summed, its valence. */
function addEntry(model: LearnedModel, surface: string, isWord: boolean): number {
	const lemma = isWord ? (model.lemmas.get(surface) ?? surface) : surface;
	let cache = model.words;
	if (cache.entries === cache.lemmaRow.length) {
		const size = cache.lemmaRow.length * 2;
		const grown = wordCache(model.stride, size);
		grown.lemmaKey1.set(cache.lemmaKey1);
		grown.lemmaKey2.set(cache.lemmaKey2);
		grown.lemmaRow.set(cache.lemmaRow);
		grown.gramCount.set(cache.gramCount);
		grown.gramSums.set(cache.gramSums);
		grown.valence.set(cache.valence);
		grown.entries = cache.entries;
		// the surface table is rebuilt at twice the size from the old one's slots
		for (let slot = 0; slot <= cache.surfaceMask; slot++) {
			const at = slot * 4;
			if (cache.surfaces[at + 2] !== 0) placeSurface(grown, cache.surfaces[at], cache.surfaces[at + 1], cache.surfaces[at + 2] - 1, cache.surfaces[at + 3]);
		}
		model.words = cache = grown;
	}
	const entry = cache.entries++;
	const [k1, k2] = wordKey(lemma);
	cache.lemmaKey1[entry] = k1;
	cache.lemmaKey2[entry] = k2;
	cache.lemmaRow[entry] = rowOf(model, k1, k2);
	let grams = 0;
	const { codes, stride } = model;
	const sums = cache.gramSums;
	const base = entry * stride;
	if (isWord) {
		characterGrams(lemma, (g1, g2) => {
			grams++;
			const row = rowOf(model, g1, g2);
			if (row < 0) return;
			for (let label = 0; label < stride; label++) sums[base + label] += codes[row * stride + label];
		});
	}
	cache.gramCount[entry] = grams;
	cache.valence[entry] = wordValence(surface);
	return entry;
}

function placeSurface(cache: WordCache, k1: number, k2: number, entry: number, flags: number): void {
	let slot = k1 & cache.surfaceMask;
	while (cache.surfaces[slot * 4 + 2] !== 0) slot = (slot + 1) & cache.surfaceMask;
	const at = slot * 4;
	cache.surfaces[at] = k1;
	cache.surfaces[at + 1] = k2;
	cache.surfaces[at + 2] = entry + 1;
	cache.surfaces[at + 3] = flags;
	cache.surfaceCount++;
}

/** The cache slot of a surface word, looked up by its key or added (the word read from the scan's text). */
function surfaceSlot(model: LearnedModel, k1: number, k2: number, text: string, from: number, to: number, isWord: boolean): number {
	let cache = model.words;
	let slot = k1 & cache.surfaceMask;
	for (;;) {
		const at = slot * 4;
		if (cache.surfaces[at + 2] === 0) break;
		if (cache.surfaces[at] === k1 && cache.surfaces[at + 1] === k2) return at;
		slot = (slot + 1) & cache.surfaceMask;
	}
	if (cache.entries >= MAX_CACHED_WORDS) {
		// a store's text has run past the cache: start it again rather than grow without end
		model.words = wordCache(model.stride);
	}
	const surface = text.slice(from, to);
	const entry = addEntry(model, surface, isWord);
	cache = model.words;
	placeSurface(cache, k1, k2, entry, isWord ? wordFlags(surface) : 0);
	slot = k1 & cache.surfaceMask;
	while (cache.surfaces[slot * 4] !== k1 || cache.surfaces[slot * 4 + 1] !== k2 || cache.surfaces[slot * 4 + 2] === 0) slot = (slot + 1) & cache.surfaceMask;
	return slot * 4;
}

/** Scratch for one reading: the ticket's feature keys seen (open addressing, stamped), the sums and logits, the rows to explain. */
let seenMask = 2047;
let seen1 = new Int32Array(seenMask + 1);
let seen2 = new Int32Array(seenMask + 1);
let seenStamp = new Uint32Array(seenMask + 1);
let stamp = 0;
let seenCount = 0;
let explained = new Int32Array(256);
let tokenValence = new Float64Array(256);
let tokenFlags = new Int32Array(256);
let sums = new Float64Array(0);
let logits = new Float64Array(0);

/** Adds a feature key to the ticket's; true when it is new. */
function firstSight(k1: number, k2: number): boolean {
	if ((seenCount + 1) * 2 > seenMask + 1) {
		const keys: Array<[number, number]> = [];
		for (let slot = 0; slot <= seenMask; slot++) if (seenStamp[slot] === stamp) keys.push([seen1[slot], seen2[slot]]);
		seenMask = seenMask * 2 + 1;
		seen1 = new Int32Array(seenMask + 1);
		seen2 = new Int32Array(seenMask + 1);
		seenStamp = new Uint32Array(seenMask + 1);
		stamp = 1;
		seenCount = 0;
		for (const [a, b] of keys) firstSight(a, b);
	}
	let slot = k1 & seenMask;
	while (seenStamp[slot] === stamp) {
		if (seen1[slot] === k1 && seen2[slot] === k2) return false;
		slot = (slot + 1) & seenMask;
	}
	seenStamp[slot] = stamp;
	seen1[slot] = k1;
	seen2[slot] = k2;
	seenCount++;
	return true;
}

const EXCLAMATION_KEY = featureKey('x:!');
const QUESTION_KEY = featureKey('x:?');
const CAPS_KEY = featureKey('x:caps');
const LEXICON_KEYS = { negative: featureKey('s:negative'), positive: featureKey('s:positive') };
const NUMBER_KEY = wordKey(NUMBER_WORD);
const ID_KEY = wordKey(ID_WORD);

/** The ticket as the model read it: each head's answer (evidence for the one asked), and what the scan saw on the way. */
export interface TicketReading {
	heads: Record<string, HeadAnswer>;
	/** The sentiment head's own top label, before the intent weighed on it (when the model weighs it so). */
	sentimentAlone?: string;
	/** Whether the customer's words look plainly English (ticketText.ts plainlyEnglish). */
	plainlyEnglish: boolean;
	/** The sentiment lexicon's score (language.ts lexiconScore), which the model also weighed. */
	sentimentScore: number;
	/** Whether any word a threat cue, or an urgency cue, needs is there (language.ts wordFlags). */
	threatWords: boolean;
	/** Whether any word a Spanish, French or German threat cue needs is there (language.ts OTHER_LANGUAGE_THREAT_WORD). */
	otherLanguageThreatWords: boolean;
	urgencyWords: boolean;
}

/** The heads whose answer a decision explains with the words that weighed most for it. */
export const EXPLAINED_HEADS: readonly string[] = ['intent', 'sentiment'];

/**
 * Reads a ticket with every head of the model (`ownWords`: the body's customerWords): the same numbers as classify
 * on namedFeatures with language.ts sentimentOf's score, in one pass. `explain`: the heads whose evidence is wanted
 * (the words, two-word runs and shapes that pushed their top label up most, at most `evidenceCount`).
 */
export function readTicket(model: LearnedModel, subject: string, ownWords: string, explain: readonly string[] = EXPLAINED_HEADS, evidenceCount = 5): TicketReading {
	const scan = scanText(subject, ownWords);
	const { stride, codes, scale } = model;
	if (sums.length < stride * 3) sums = new Float64Array(stride * 3);
	sums.fill(0);
	const words = sums.subarray(0, stride);
	const grams = sums.subarray(stride, stride * 2);
	stamp = stamp === 0xffffffff ? 1 : stamp + 1;
	if (stamp === 1) seenStamp.fill(0);
	seenCount = 0;
	let features = 0;
	let gramTotal = 0;
	let explainedCount = 0;
	let englishWords = 0;
	let foreignWords = 0;
	let seenFlags = 0;
	let hasPrevious = false;
	let previous1 = 0;
	let previous2 = 0;
	if (explained.length < scan.count * 2 + 4) explained = new Int32Array(scan.count * 2 + 4);
	if (tokenValence.length < scan.count) {
		tokenValence = new Float64Array(scan.count * 2);
		tokenFlags = new Int32Array(scan.count * 2);
	}
	for (let token = 0; token < scan.count; token++) {
		const kind = scan.kind[token];
		let k1: number;
		let k2: number;
		let entry = -1;
		if (kind === WORD || kind === SYMBOL) {
			const at = surfaceSlot(model, scan.key1[token], scan.key2[token], scan.text, scan.start[token], scan.end[token], kind === WORD);
			const cache = model.words;
			entry = cache.surfaces[at + 2] - 1;
			const flags = cache.surfaces[at + 3];
			englishWords += flags & ENGLISH;
			if (flags & FOREIGN) foreignWords++;
			seenFlags |= flags;
			tokenFlags[token] = flags;
			tokenValence[token] = cache.valence[entry];
			k1 = cache.lemmaKey1[entry];
			k2 = cache.lemmaKey2[entry];
		} else if (kind === NUMBER || kind === ID) {
			[k1, k2] = kind === ID ? ID_KEY : NUMBER_KEY;
		} else {
			if (kind === BANG || kind === QUESTION) {
				const [x1, x2] = kind === BANG ? EXCLAMATION_KEY : QUESTION_KEY;
				if (firstSight(x1, x2)) {
					features++;
					const row = rowOf(model, x1, x2);
					if (row >= 0) explained[explainedCount++] = row;
				}
			}
			hasPrevious = false;
			continue;
		}
		if (firstSight(k1, k2)) {
			features++;
			const row = entry >= 0 ? model.words.lemmaRow[entry] : rowOf(model, k1, k2);
			if (row >= 0) explained[explainedCount++] = row;
			if (entry >= 0 && model.words.gramCount[entry] > 0) {
				const cache = model.words;
				gramTotal += cache.gramCount[entry];
				const base = entry * stride;
				for (let label = 0; label < stride; label++) grams[label] += cache.gramSums[base + label];
			}
		}
		if (hasPrevious) {
			const p1 = pairKey1(previous1, k1);
			const p2 = pairKey2(previous2, k2);
			if (firstSight(p1, p2)) {
				features++;
				const row = rowOf(model, p1, p2);
				if (row >= 0) explained[explainedCount++] = row;
			}
		}
		hasPrevious = true;
		previous1 = k1;
		previous2 = k2;
	}
	if (scan.shouting && firstSight(CAPS_KEY[0], CAPS_KEY[1])) {
		features++;
		const row = rowOf(model, CAPS_KEY[0], CAPS_KEY[1]);
		if (row >= 0) explained[explainedCount++] = row;
	}
	// the rows of the words, runs and shapes the model knows, summed
	for (let at = 0; at < explainedCount; at++) {
		const base = explained[at] * stride;
		for (let label = 0; label < stride; label++) words[label] += codes[base + label];
	}
	const wordValue = 1 / (Math.sqrt(features) || 1);
	const gramValue = CHARACTER_WEIGHT / (Math.sqrt(gramTotal) || 1);
	const sentimentScore = lexiconScore(scan, tokenValence, tokenFlags);
	const lexiconRow = sentimentScore === 0 ? -1 : rowOf(model, ...LEXICON_KEYS[sentimentScore < 0 ? 'negative' : 'positive']);
	const lexiconValue = Math.abs(sentimentScore) * LEXICON_WEIGHT;
	if (logits.length !== stride) logits = new Float64Array(stride);
	logits.set(model.biases);
	for (let label = 0; label < stride; label++) {
		logits[label] += (words[label] * wordValue + grams[label] * gramValue) * scale[label];
		if (lexiconRow >= 0) logits[label] += codes[lexiconRow * stride + label] * scale[label] * lexiconValue;
	}
	const answers: Record<string, HeadAnswer> = {};
	let sentimentAlone: string | undefined;
	for (const [name, head] of model.headList) {
		let ranked = rank(head, logits);
		// the sentiment weighed by the intent read (the model file lists the intent head first)
		if (name === 'sentiment' && model.sentimentByIntent && answers.intent) {
			sentimentAlone = ranked[0].label;
			ranked = weighSentimentByIntent(model.sentimentByIntent, answers.intent.ranked, ranked, head.labels, head.labelOrder);
		}
		const evidence: HeadAnswer['evidence'] = [];
		if (evidenceCount > 0 && explain.includes(name)) {
			const best = head.offset + head.labels.indexOf(ranked[0].label);
			const strongest = new Strongest(evidenceCount);
			// every row here weighs its code times the same positive factor: the heaviest are the highest codes
			const kept = heaviestCodes(codes, stride, best, explained, explainedCount, evidenceCount, nameOrderOf(model));
			for (let at = 0; at < kept; at++) strongest.offer(topRows[at], topCodes[at] * scale[best] * wordValue, model.names);
			const lexiconWeight = lexiconRow >= 0 ? codes[lexiconRow * stride + best] * scale[best] * lexiconValue : 0;
			if (lexiconWeight > 0) strongest.offer(lexiconRow, lexiconWeight, model.names);
			evidence.push(...strongest.entries(model.names));
		}
		answers[name] = { ranked, evidence };
	}
	return {
		heads: answers,
		...(sentimentAlone !== undefined ? { sentimentAlone } : {}),
		plainlyEnglish: plainlyEnglish(scan, englishWords, foreignWords),
		sentimentScore,
		threatWords: (seenFlags & THREAT_WORD) !== 0,
		otherLanguageThreatWords: (seenFlags & OTHER_LANGUAGE_THREAT_WORD) !== 0,
		urgencyWords: (seenFlags & URGENCY_WORD) !== 0,
	};
}

/**
 * The learned classifier: a linear model (multinomial logistic regression) per head over the features of
 * ticketText.ts, trained by scripts/train-triage.js on the corpus's train split and shipped as data
 * (model/triage-model.json). Pure: the model is passed in. Each answer carries the probabilities and the words
 * that weighed most for it, so a decision can say why.
 */
import { featureKey, type Features, type FeatureVector, type LemmaTable } from './ticketText';

export interface LinearHead {
	labels: string[];
	/** Per label: its bias. */
	bias: number[];
	/** Weights, feature-major (feature f, label l at f * labels.length + l), as int8 codes times `scale`. */
	codes: Int8Array;
	scale: number;
}

export interface LearnedModel {
	version: string;
	/** The features by row, named for people. */
	names: string[];
	/**
	 * The rows by feature key (ticketText.ts featureKey): open addressing on the first hash, both hashes compared;
	 * a slot is three numbers side by side (hash 1, hash 2, row + 1; 0 is empty), one cache line for a look-up.
	 */
	rows: { mask: number; slots: Int32Array };
	lemmas: LemmaTable;
	heads: Record<string, LinearHead>;
}

/** The model file's shape: weights as base64 int8 codes, and the lemma table the features were read with. */
export interface LearnedModelFile {
	version: string;
	features: string[];
	lemmas?: Record<string, string>;
	heads: Record<string, { labels: string[]; bias: number[]; codes: string; scale: number }>;
	trainedOn?: Record<string, unknown>;
}

export function modelFromFile(file: LearnedModelFile): LearnedModel {
	const heads: Record<string, LinearHead> = {};
	for (const [name, head] of Object.entries(file.heads)) {
		const bytes = Buffer.from(head.codes, 'base64');
		heads[name] = { labels: head.labels, bias: head.bias, scale: head.scale, codes: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
	}
	let size = 16;
	while (size < file.features.length * 2) size *= 2;
	const rows = { mask: size - 1, slots: new Int32Array(size * 3) };
	file.features.forEach((name, row) => {
		const [k1, k2] = featureKey(name);
		let slot = k1 & rows.mask;
		while (rows.slots[slot * 3 + 2] !== 0) {
			if (rows.slots[slot * 3] === k1 && rows.slots[slot * 3 + 1] === k2) throw new Error(`the model names feature ${name} twice, or two of its features share a key`);
			slot = (slot + 1) & rows.mask;
		}
		rows.slots.set([k1, k2, row + 1], slot * 3);
	});
	return { version: file.version, names: file.features, rows, lemmas: new Map(Object.entries(file.lemmas ?? {})), heads };
}

/** The model's row of a feature key, or -1 when the model does not know it. */
function rowOf(model: LearnedModel, k1: number, k2: number): number {
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

export function modelInput(model: LearnedModel, vector: FeatureVector): ModelInput {
	const rows = new Int32Array(vector.count);
	const values = new Float64Array(vector.count);
	let count = 0;
	for (let entry = 0; entry < vector.count; entry++) {
		const row = rowOf(model, vector.key1[entry], vector.key2[entry]);
		if (row < 0) continue;
		rows[count] = row;
		values[count++] = vector.values[entry];
	}
	return { rows, values, count };
}

/** Features by name (a test's or an explanation's) as the model's input. */
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

export function classify(model: LearnedModel, head: string, input: ModelInput, evidenceCount = 5): HeadAnswer {
	const linear = model.heads[head];
	const size = linear.labels.length;
	const logits = new Float64Array(size);
	for (let label = 0; label < size; label++) logits[label] = linear.bias[label];
	const { rows, values, count } = input;
	for (let entry = 0; entry < count; entry++) {
		const base = rows[entry] * size;
		const value = values[entry] * linear.scale;
		for (let label = 0; label < size; label++) logits[label] += linear.codes[base + label] * value;
	}
	let top = -Infinity;
	for (let label = 0; label < size; label++) top = Math.max(top, logits[label]);
	let sum = 0;
	for (let label = 0; label < size; label++) sum += logits[label] = Math.exp(logits[label] - top);
	const ranked = linear.labels
		.map((label, index) => ({ label, probability: logits[index] / sum }))
		.sort((a, b) => b.probability - a.probability || (a.label < b.label ? -1 : 1));
	if (evidenceCount <= 0) return { ranked, evidence: [] };
	const best = linear.labels.indexOf(ranked[0].label);
	// the strongest words and the strongest character n-grams, each kept to `evidenceCount`: words read better,
	// so they come first when they weigh
	const words: Array<{ feature: string; weight: number }> = [];
	const grams: Array<{ feature: string; weight: number }> = [];
	for (let entry = 0; entry < count; entry++) {
		const weight = linear.codes[rows[entry] * size + best] * linear.scale * values[entry];
		if (weight <= 0) continue;
		const feature = model.names[rows[entry]];
		keepStrongest(feature.startsWith('c:') ? grams : words, { feature, weight }, evidenceCount);
	}
	return { ranked, evidence: [...words, ...grams].slice(0, evidenceCount).map((entry) => ({ feature: entry.feature, weight: Math.round(entry.weight * 1000) / 1000 })) };
}

/** Puts `entry` in its place in `strongest` (heaviest first, ties by name), keeping at most `limit`. */
function keepStrongest(strongest: Array<{ feature: string; weight: number }>, entry: { feature: string; weight: number }, limit: number): void {
	const heavier = (a: { feature: string; weight: number }, b: { feature: string; weight: number }) => a.weight > b.weight || (a.weight === b.weight && a.feature < b.feature);
	if (strongest.length >= limit && !heavier(entry, strongest[strongest.length - 1])) return;
	let at = strongest.length;
	while (at > 0 && heavier(entry, strongest[at - 1])) at--;
	strongest.splice(at, 0, entry);
	if (strongest.length > limit) strongest.pop();
}

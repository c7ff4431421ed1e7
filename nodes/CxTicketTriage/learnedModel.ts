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
	/** Weights, feature-major (feature f, label l at f * labels.length + l): the file's int8 codes times its scale. */
	weights: Float32Array;
}

export interface LearnedModel {
	version: string;
	/** The features by row, named for people. */
	names: string[];
	/** Per row: 1 for a character n-gram (shown after the words when a decision says why). */
	isGram: Uint8Array;
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
		const codes = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
		const weights = new Float32Array(codes.length);
		for (let at = 0; at < codes.length; at++) weights[at] = codes[at] * head.scale;
		heads[name] = { labels: head.labels, bias: head.bias, weights };
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
	const isGram = Uint8Array.from(file.features, (name) => (name.startsWith('c:') ? 1 : 0));
	return { version: file.version, names: file.features, isGram, rows, lemmas: new Map(Object.entries(file.lemmas ?? {})), heads };
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
	const weights = linear.weights;
	for (let entry = 0; entry < count; entry++) {
		const base = rows[entry] * size;
		const value = values[entry];
		for (let label = 0; label < size; label++) logits[label] += weights[base + label] * value;
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
	const words = new Strongest(evidenceCount);
	const grams = new Strongest(evidenceCount);
	for (let entry = 0; entry < count; entry++) {
		const weight = weights[rows[entry] * size + best] * values[entry];
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
		const heavier = (at: number) => weight > this.weights[at] || (weight === this.weights[at] && names[row] < names[this.rows[at]]);
		const last = this.rows.length - 1;
		if (this.rows.length >= this.limit && !heavier(last)) return;
		let at = this.rows.length;
		while (at > 0 && heavier(at - 1)) at--;
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

/**
 * The learned classifier: a linear model (multinomial logistic regression) per head over the features of
 * ticketText.ts, trained by scripts/train-triage.js on the corpus's train split and shipped as data
 * (model/triage-model.json). Pure: the model is passed in. Each answer carries the probabilities and the words
 * that weighed most for it, so a decision can say why.
 */
import type { Features } from './ticketText';

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
	features: Map<string, number>;
	heads: Record<string, LinearHead>;
}

/** The model file's shape: weights as base64 int8 codes. */
export interface LearnedModelFile {
	version: string;
	features: string[];
	heads: Record<string, { labels: string[]; bias: number[]; codes: string; scale: number }>;
	trainedOn?: Record<string, unknown>;
}

export function modelFromFile(file: LearnedModelFile): LearnedModel {
	const heads: Record<string, LinearHead> = {};
	for (const [name, head] of Object.entries(file.heads)) {
		const bytes = Buffer.from(head.codes, 'base64');
		heads[name] = { labels: head.labels, bias: head.bias, scale: head.scale, codes: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
	}
	return { version: file.version, features: new Map(file.features.map((name, index) => [name, index])), heads };
}

export interface HeadAnswer {
	/** Labels by probability, highest first. */
	ranked: Array<{ label: string; probability: number }>;
	/** The features that pushed the top label up most, with their weight (word and two-word features first). */
	evidence: Array<{ feature: string; weight: number }>;
}

export function classify(model: LearnedModel, head: string, features: Features, evidenceCount = 5): HeadAnswer {
	const linear = model.heads[head];
	const size = linear.labels.length;
	const logits = [...linear.bias];
	const known: Array<[string, number, number]> = [];
	for (const [name, value] of features) {
		const index = model.features.get(name);
		if (index === undefined) continue;
		known.push([name, index, value]);
		for (let label = 0; label < size; label++) logits[label] += linear.codes[index * size + label] * linear.scale * value;
	}
	const top = Math.max(...logits);
	const exps = logits.map((logit) => Math.exp(logit - top));
	const sum = exps.reduce((total, value) => total + value, 0);
	const ranked = linear.labels
		.map((label, index) => ({ label, probability: exps[index] / sum }))
		.sort((a, b) => b.probability - a.probability || (a.label < b.label ? -1 : 1));
	if (evidenceCount <= 0) return { ranked, evidence: [] };
	const best = linear.labels.indexOf(ranked[0].label);
	const evidence = known
		.map(([name, index, value]) => ({ feature: name, weight: linear.codes[index * size + best] * linear.scale * value }))
		.filter((entry) => entry.weight > 0)
		.sort((a, b) => b.weight - a.weight || (a.feature < b.feature ? -1 : 1));
	// words read better than character n-grams: show them first when they weigh
	const words = evidence.filter((entry) => !entry.feature.startsWith('c:'));
	const chosen = [...words, ...evidence.filter((entry) => entry.feature.startsWith('c:'))].slice(0, evidenceCount);
	return { ranked, evidence: chosen.map((entry) => ({ feature: entry.feature, weight: Math.round(entry.weight * 1000) / 1000 })) };
}

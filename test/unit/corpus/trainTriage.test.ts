/**
 * The trainer's Naive Bayes scaling (scripts/train-triage.js logCountRatios, used for the sentiment head): what a
 * feature says about each label on its own, and the weights handed back with the scaling folded in, so the node reads
 * them like any other head's.
 */
interface Row {
	indices: number[];
	values: number[];
	label: number;
}
interface Trainer {
	logCountRatios(rows: Row[], size: number, featureCount: number): Float64Array;
	trainHead(rows: Row[], labels: string[], featureCount: number, settings: Record<string, unknown>, scales?: Float64Array): { weights: Float64Array; bias: Float64Array };
	sentimentByIntent(tickets: Array<{ intent: string; sentiment: string }>, settings: { alpha: number; smoothing: number }): { alpha: number; prior: Record<string, number>; given: Record<string, Record<string, number>> };
	SETTINGS: Record<string, unknown>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const trainer = require('../../../scripts/train-triage.js') as Trainer;

// feature 0 in every negative ticket and no other; feature 1 in half of each label's; feature 2 in one positive ticket
const rows: Row[] = [
	{ indices: [0, 1], values: [1, 1], label: 0 },
	{ indices: [0], values: [1], label: 0 },
	{ indices: [1, 2], values: [1, 1], label: 1 },
	{ indices: [], values: [], label: 1 },
];

describe('logCountRatios', () => {
	const ratios = trainer.logCountRatios(rows, 2, 3);

	it('gives a feature only one label has a ratio toward that label and against the other, smoothed by one', () => {
		// share of negatives with it (2 + 1) / (2 + 2), of the others (0 + 1) / (2 + 2): log 3
		expect(ratios[0 * 2 + 0]).toBeCloseTo(Math.log(3), 12);
		expect(ratios[0 * 2 + 1]).toBeCloseTo(-Math.log(3), 12);
	});

	it('gives a feature both labels have alike no weight of its own', () => {
		expect(ratios[1 * 2 + 0]).toBe(0);
		expect(ratios[1 * 2 + 1]).toBe(0);
	});

	it('weighs a feature seen once less than one seen in every ticket of its label', () => {
		expect(ratios[2 * 2 + 1]).toBeCloseTo(Math.log(2), 12);
		expect(ratios[2 * 2 + 1]).toBeLessThan(ratios[0 * 2 + 0]);
	});
});

describe('trainHead with scales', () => {
	const settings = { ...trainer.SETTINGS, epochs: 5 };

	it('hands back the weights with the scales folded in: a feature scaled to nothing weighs nothing', () => {
		const scales = new Float64Array(3 * 2).fill(1);
		scales[0] = 0;
		scales[1] = 0;
		const { weights } = trainer.trainHead(rows, ['negative', 'positive'], 3, settings, scales);
		expect(weights[0]).toBe(0);
		expect(weights[1]).toBe(0);
		expect(weights[2 * 2 + 1]).toBeGreaterThan(0);
	});

	it('trains the same as without scales when every scale is one', () => {
		const plain = trainer.trainHead(rows, ['negative', 'positive'], 3, settings);
		const ones = trainer.trainHead(rows, ['negative', 'positive'], 3, settings, new Float64Array(6).fill(1));
		expect([...ones.weights]).toEqual([...plain.weights]);
		expect([...ones.bias]).toEqual([...plain.bias]);
	});
});

describe('sentimentByIntent', () => {
	// praise is always positive here; a late order negative twice and neutral once
	const tickets = [
		{ intent: 'praise', sentiment: 'positive' },
		{ intent: 'praise', sentiment: 'positive' },
		{ intent: 'shipping_delay', sentiment: 'negative' },
		{ intent: 'shipping_delay', sentiment: 'negative' },
		{ intent: 'shipping_delay', sentiment: 'neutral' },
	];
	const table = trainer.sentimentByIntent(tickets, { alpha: 0.75, smoothing: 0.5 });

	it('counts each label\'s share overall and, smoothed by half a ticket a label, within each intent', () => {
		expect(table.alpha).toBe(0.75);
		expect(table.prior).toEqual({ negative: 0.4, neutral: 0.2, positive: 0.4 });
		// praise: 2 positive of 2, so (2 + 0.5) / (2 + 1.5) positive and 0.5 / 3.5 each other label
		expect(table.given.praise).toEqual({ negative: 0.142857, neutral: 0.142857, positive: 0.714286 });
		expect(table.given.shipping_delay).toEqual({ negative: 0.555556, neutral: 0.333333, positive: 0.111111 });
	});
});

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

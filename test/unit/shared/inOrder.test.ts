import { inOrder } from '../../../nodes/shared/inOrder';

/** A task that finishes after `ms` of a fake clock, recording how many ran at once. */
function tracker() {
	let running = 0;
	let most = 0;
	const started: number[] = [];
	const work = async (ms: number, index: number) => {
		started.push(index);
		running++;
		most = Math.max(most, running);
		await new Promise((resolve) => setTimeout(resolve, ms));
		running--;
		return index * 10;
	};
	return { work, started, most: () => most };
}

describe('inOrder', () => {
	it('gives the results in the items\' order however the work finishes, never more than atOnce running', async () => {
		const run = tracker();
		const durations = [30, 5, 20, 1, 15, 2, 8];
		expect(await inOrder(durations, 3, run.work)).toEqual([0, 10, 20, 30, 40, 50, 60]);
		expect(run.most()).toBe(3);
		expect(run.started).toEqual([0, 1, 2, 3, 4, 5, 6]);
	});

	it('runs one at a time when asked, and copes with no items and a bad count', async () => {
		const run = tracker();
		expect(await inOrder([3, 1, 2], 1, run.work)).toEqual([0, 10, 20]);
		expect(run.most()).toBe(1);
		expect(await inOrder([], 4, run.work)).toEqual([]);
		expect(await inOrder([1, 1], Number.NaN, run.work)).toEqual([0, 10]);
	});

	it('starts nothing after a result that stops it; what was running finishes and is given', async () => {
		const run = tracker();
		// item 1 finishes first and stops the run: items 0 and 2 were already running, 3 and on are never started
		const results = await inOrder([20, 1, 20, 1, 1], 3, run.work, (result) => result === 10);
		expect(results).toEqual([0, 10, 20]);
		expect(run.started).toEqual([0, 1, 2]);
	});

	it('when a task throws, starts nothing more and throws only after the tasks already running have finished', async () => {
		const finished: number[] = [];
		const started: number[] = [];
		const work = async (ms: number, index: number) => {
			started.push(index);
			await new Promise((resolve) => setTimeout(resolve, ms));
			if (index === 1) throw new Error('item 1 failed');
			finished.push(index);
			return index;
		};
		// item 1 fails after 1 ms while items 0 and 2 run on for 30 ms: both finish before the failure is thrown
		await expect(inOrder([30, 1, 30, 1, 1], 3, work)).rejects.toThrow('item 1 failed');
		expect(started).toEqual([0, 1, 2]);
		expect(finished.sort()).toEqual([0, 2]);
	});
});

/**
 * Work on many items, a few at once, its results in the items' order: for side effects that are each their own
 * (one order's payout, claimed in the ledger by its own token), where one after another would leave a rate limit
 * unused while each waits on its round trips. The services' own pacers keep to their limits.
 */

/**
 * `work` on each item, at most `atOnce` running; resolves with the results in the items' order. Once `stop` says so
 * of a result, no further item is started; those already running finish, and their results are among those given.
 */
export async function inOrder<T, R>(items: readonly T[], atOnce: number, work: (item: T, index: number) => Promise<R>, stop: (result: R) => boolean = () => false): Promise<R[]> {
	const results: R[] = [];
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < items.length) {
			const index = next++;
			results[index] = await work(items[index], index);
			if (stop(results[index])) stopped = true;
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(Math.floor(atOnce) || 1, items.length)) }, worker));
	return results.slice(0, next);
}

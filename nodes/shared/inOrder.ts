/**
 * Work on many items, a few at once, its results in the items' order: for side effects that are each their own
 * (one order's payout, claimed in the ledger by its own token), where one after another would leave a rate limit
 * unused while each waits on its round trips. The services' own pacers keep to their limits.
 */

/**
 * `work` on each item, at most `atOnce` running; resolves with the results in the items' order. Once `stop` says so
 * of a result, no further item is started; those already running finish, and their results are among those given.
 * A `work` that throws stops it the same way: nothing more is started, and the first failure is thrown only when
 * the work already running has finished, so nothing goes on paying or writing after the caller has given up.
 */
export async function inOrder<T, R>(items: readonly T[], atOnce: number, work: (item: T, index: number) => Promise<R>, stop: (result: R) => boolean = () => false): Promise<R[]> {
	const results: R[] = [];
	let next = 0;
	let stopped = false;
	let failure: { error: unknown } | undefined;
	const worker = async () => {
		while (!stopped && next < items.length) {
			const index = next++;
			try {
				results[index] = await work(items[index], index);
			} catch (error) {
				failure ??= { error };
				stopped = true;
				return;
			}
			if (stop(results[index])) stopped = true;
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(Math.floor(atOnce) || 1, items.length)) }, worker));
	if (failure) throw failure.error;
	return results.slice(0, next);
}

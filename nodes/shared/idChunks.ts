/**
 * Id lists cut into filters a request can carry: PostgREST takes `in.(...)` filters in the URL, and a URL
 * has limits (proxies refuse past about 8 KB).
 */

/** Ids per `in.(...)` filter: 100 uuids keep a request URL near 4 KB, far below proxies' 8 KB. */
export const IDS_PER_FILTER = 100;
/** Source ids come from anywhere (up to 500 characters from an input item): a filter also stops at this many characters. */
export const FILTER_CHARACTERS = 4000;

/** Consecutive runs of ids, each at most IDS_PER_FILTER ids and FILTER_CHARACTERS characters (one id alone may exceed it). */
export function filterChunks(ids: string[]): string[][] {
	const chunks: string[][] = [];
	let chunk: string[] = [];
	let characters = 0;
	for (const id of ids) {
		if (chunk.length && (chunk.length >= IDS_PER_FILTER || characters + id.length + 1 > FILTER_CHARACTERS)) {
			chunks.push(chunk);
			chunk = [];
			characters = 0;
		}
		chunk.push(id);
		characters += id.length + 1;
	}
	if (chunk.length) chunks.push(chunk);
	return chunks;
}

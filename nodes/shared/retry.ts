/**
 * The pack's one retry helper: retries what the service says is transient (429, 5xx, a dropped
 * connection) with exponential backoff and full jitter, and waits at least what Retry-After asks.
 */
import { sleep } from 'n8n-workflow';

/**
 * Connection failures that mean the request never reached the service (refused, no such host, no route), each in
 * words: nothing was done there, so even a change that must not be made twice may be sent again. A reset or a
 * timeout is not among them: it may come after the service did the work.
 */
export const NEVER_REACHED: Readonly<Record<string, string>> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'no such host',
	EAI_AGAIN: 'the host name could not be looked up',
	EHOSTUNREACH: 'no route to the host',
	ENETUNREACH: 'no route to the network',
};

export interface RetryPolicy {
	/** Attempts in all, the first included (paced waits aside). */
	attempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** The most a request waits in all on paced answers (a budget that refills at a known rate) before it fails. */
	pacedWaitMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 20_000, pacedWaitMs: 120_000 };

/**
 * How a service reads its own failure: retry or not, and how long the service asked us to wait. `paced`: the
 * service is not failing, it is pacing (a rate budget that says when it refills): such a wait is not an attempt,
 * up to the policy's pacedWaitMs in all, so a burst waits its turn instead of failing.
 */
export type Transience = { retry: false } | { retry: true; afterMs?: number; paced?: boolean };

export async function withRetry<T>(
	operation: (attempt: number) => Promise<T>,
	classify: (error: unknown) => Transience,
	policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
	let paced = 0;
	for (let attempt = 1, tries = 1; ; attempt++) {
		let failure: unknown;
		try {
			return await operation(attempt);
		} catch (error) {
			failure = error;
		}
		// the caller turns the last failure into a NodeApiError that names the service
		const transience = classify(failure);
		if (!transience.retry) throw failure;
		if (transience.paced && transience.afterMs !== undefined && paced + transience.afterMs <= (policy.pacedWaitMs ?? 0)) {
			paced += transience.afterMs;
			await sleep(transience.afterMs);
			continue;
		}
		if (tries >= policy.attempts) throw failure;
		const backoff = Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (tries - 1));
		tries++;
		await sleep(Math.min(policy.maxDelayMs, Math.max(backoff, transience.afterMs ?? 0)));
	}
}

/** Retry-After is either seconds or an HTTP date. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
	if (!header) return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const at = Date.parse(header);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** 429 and 5xx are worth another try; other 4xx mean the request itself is wrong. */
export function isTransientStatus(status: number | undefined): boolean {
	return status === undefined || status === 0 || status === 408 || status === 429 || status >= 500;
}

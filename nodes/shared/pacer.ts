/**
 * Pacing requests to a service that limits requests per second: each request takes the next free slot, one every
 * 1/rate seconds, so a run of many requests stays at the rate instead of bursting into the limit and being answered
 * 429 (each such answer a request spent for nothing). When the service asks for a pause anyway (429 with
 * Retry-After, from other traffic on the same account), no slot starts before the pause ends.
 *
 * Time is a monotonic clock, passed in so the decisions can be tested without waiting; nothing here reads the
 * time of day.
 */
import { performance } from 'node:perf_hooks';
import { sleep } from 'n8n-workflow';

export interface PacerClock {
	/** Milliseconds on a clock that only moves forward. */
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const monotonicClock: PacerClock = { now: () => performance.now(), sleep: async (ms) => sleep(ms) };

export class RequestPacer {
	private readonly intervalMs: number;
	/** The earliest time the next slot may start. */
	private nextAt = Number.NEGATIVE_INFINITY;
	/** No request starts before this (the service asked for a pause). */
	private pausedUntil = Number.NEGATIVE_INFINITY;
	/** When the last `rate` requests started, a ring whose oldest entry is at `oldest`. */
	private readonly started: Float64Array;
	private oldest = 0;

	constructor(
		readonly perSecond: number,
		private readonly clock: PacerClock = monotonicClock,
	) {
		if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`requests per second must be a positive number, not ${perSecond}`);
		this.intervalMs = 1000 / perSecond;
		this.started = new Float64Array(Math.max(1, Math.floor(perSecond))).fill(Number.NEGATIVE_INFINITY);
	}

	/**
	 * Books the next slot and says how long from now until it starts (0: go now). The slot is booked when asked, so
	 * callers running side by side each get a slot of their own.
	 */
	reserve(): number {
		const now = this.clock.now();
		const start = Math.max(now, this.nextAt, this.pausedUntil);
		// strictly one slot per interval, no burst after a quiet spell: a burst is what a window-based limit counts
		this.nextAt = start + this.intervalMs;
		return start - now;
	}

	/** The service asked to wait `ms` (Retry-After): no slot starts before then, those booked already included. */
	pause(ms: number): void {
		const until = this.clock.now() + Math.max(0, ms);
		if (until > this.pausedUntil) this.pausedUntil = until;
		if (until > this.nextAt) this.nextAt = until;
	}

	/**
	 * Waits for a slot of one's own; a slot booked before a pause and falling inside it is booked again after it.
	 * Slots are booked ahead, so requests waiting side by side that wake late together (the process was busy) would
	 * start at once: a request starts only when the one `rate` starts back is a second old, so no second ever holds
	 * more than the rate, which is what a service's limit counts.
	 */
	async take(): Promise<void> {
		for (;;) {
			const wait = this.reserve();
			if (wait > 0) await this.clock.sleep(wait);
			const now = this.clock.now();
			// a timer may fire a fraction of a millisecond early: that is not inside the pause
			if (now < this.pausedUntil - 1) continue;
			const freeAt = this.started[this.oldest] + 1000;
			if (now < freeAt) {
				await this.clock.sleep(freeAt - now);
				continue;
			}
			this.started[this.oldest] = now;
			this.oldest = (this.oldest + 1) % this.started.length;
			return;
		}
	}
}

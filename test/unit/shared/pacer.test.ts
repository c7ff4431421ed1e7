import Stripe from 'stripe';
import { RequestPacer, type PacerClock } from '../../../nodes/shared/pacer';
import { classifyStripeError, DEFAULT_STRIPE_REQUESTS_PER_SECOND, isTestKey, PacedHttpClient } from '../../../nodes/shared/services/stripe';

/** A clock that moves only when something sleeps on it: the pacer's decisions without waiting. */
function manualClock(start = 1_000): PacerClock & { slept: number[]; advance(ms: number): void } {
	let now = start;
	const slept: number[] = [];
	return {
		slept,
		now: () => now,
		advance: (ms) => {
			now += ms;
		},
		sleep: async (ms) => {
			slept.push(ms);
			now += ms;
		},
	};
}

describe('RequestPacer', () => {
	it('lets the first request go at once and spaces the next ones 1/rate apart', () => {
		const clock = manualClock();
		const pacer = new RequestPacer(50, clock);
		expect([pacer.reserve(), pacer.reserve(), pacer.reserve()]).toEqual([0, 20, 40]);
	});

	it('keeps no credit from a quiet spell: after a pause in traffic the next requests are still spaced, never a burst', () => {
		const clock = manualClock();
		const pacer = new RequestPacer(10, clock);
		expect(pacer.reserve()).toBe(0);
		clock.advance(5_000);
		expect([pacer.reserve(), pacer.reserve(), pacer.reserve()]).toEqual([0, 100, 200]);
	});

	it('a request that comes later than its slot waits for nothing', () => {
		const clock = manualClock();
		const pacer = new RequestPacer(4, clock);
		expect(pacer.reserve()).toBe(0);
		clock.advance(100);
		expect(pacer.reserve()).toBe(150);
		clock.advance(1_000);
		expect(pacer.reserve()).toBe(0);
	});

	it('any second of a long run holds at most `rate` request starts', async () => {
		const clock = manualClock(0);
		const pacer = new RequestPacer(25, clock);
		const starts: number[] = [];
		for (let n = 0; n < 200; n++) {
			await pacer.take();
			starts.push(clock.now());
			// the request itself takes a little while, unevenly
			clock.advance(n % 7);
		}
		for (const [index, start] of starts.entries()) {
			const inWindow = starts.filter((other, j) => j >= index && other < start + 1000).length;
			expect(inWindow).toBeLessThanOrEqual(25);
		}
		// and it keeps to the rate rather than going slower: 200 requests at 25/s start within 8 s
		expect(starts[starts.length - 1]).toBeLessThanOrEqual(8_000);
	});

	it('after the service asks for a pause no request starts before it ends, slots booked earlier included', async () => {
		const clock = manualClock(0);
		const pacer = new RequestPacer(100, clock);
		expect(pacer.reserve()).toBe(0);
		pacer.pause(2_000);
		expect(pacer.reserve()).toBe(2_000);
		expect(pacer.reserve()).toBe(2_010);

		// a request that booked its slot before the pause came, and wakes inside it, books again after it
		const other = new RequestPacer(1, clock);
		await other.take();
		const booked = other.reserve();
		expect(booked).toBe(1_000);
		other.pause(5_000);
		await other.take();
		expect(clock.now()).toBeGreaterThanOrEqual(5_000);
	});

	it('requests waiting side by side that wake together after a stall still keep to `rate` starts in any second', async () => {
		// timers that fire in time order, and a stall: at 500 ms the process is busy for 300 ms, then every timer due
		// by then fires at once, as Node's do after a long synchronous stretch
		let now = 0;
		let stalled = false;
		const timers: Array<{ at: number; order: number; resolve: () => void }> = [];
		let order = 0;
		const clock: PacerClock = {
			now: () => now,
			sleep: (ms) => new Promise<void>((resolve) => void timers.push({ at: now + ms, order: order++, resolve })),
		};
		const pacer = new RequestPacer(20, clock);
		const starts: number[] = [];
		const worker = async () => {
			for (let n = 0; n < 15; n++) {
				await pacer.take();
				starts.push(now);
			}
		};
		const done = Promise.all(Array.from({ length: 8 }, worker));
		let finished = false;
		void done.then(() => (finished = true));
		while (!finished) {
			for (let turn = 0; turn < 20; turn++) await Promise.resolve();
			if (finished || !timers.length) continue;
			timers.sort((a, b) => a.at - b.at || a.order - b.order);
			const next = timers[0].at;
			now = Math.max(now, next);
			if (!stalled && now >= 500) {
				stalled = true;
				now += 300;
			}
			for (const timer of timers.filter((candidate) => candidate.at <= now)) {
				timers.splice(timers.indexOf(timer), 1);
				timer.resolve();
			}
		}
		expect(starts).toHaveLength(120);
		for (const start of starts) expect(starts.filter((other) => other >= start && other < start + 1000).length).toBeLessThanOrEqual(20);
		// and no slower than the rate and the stall allow: 120 starts at 20 a second, 300 ms lost
		expect(Math.max(...starts)).toBeLessThanOrEqual(6_300);
	});

	it('refuses a rate that is not a positive number', () => {
		expect(() => new RequestPacer(0)).toThrow(RangeError);
		expect(() => new RequestPacer(Number.NaN)).toThrow(RangeError);
	});
});

describe('Stripe pacing', () => {
	const response = (status: number, headers: Record<string, string> = {}) => ({
		getStatusCode: () => status,
		getHeaders: () => headers,
		getRawResponse: () => undefined,
		toStream: () => undefined,
		toJSON: async () => ({}),
	});

	it('paces every request of the SDK and pauses for the Retry-After of a 429', async () => {
		const clock = manualClock(0);
		const answers = [response(200), response(429, { 'retry-after': '2', 'stripe-should-retry': 'true' }), response(200)];
		const sentAt: number[] = [];
		const inner = {
			getClientName: () => 'node',
			makeRequest: async () => {
				sentAt.push(clock.now());
				return answers.shift()!;
			},
		} as unknown as Stripe.HttpClient;
		const client = new PacedHttpClient(inner, new RequestPacer(10, clock));
		const request = () => client.makeRequest('api.stripe.com', '443', '/v1/customers', 'GET', {}, '', 'https', 80_000);
		await request();
		await request();
		await request();
		// 100 ms apart, then the 429's two seconds before the next
		expect(sentAt).toEqual([0, 100, 2_100]);
	});

	it('reads a 429 as a wait of Retry-After, not as a failed attempt', () => {
		const limited = new Stripe.errors.StripeRateLimitError({ message: 'Request rate limit exceeded.', type: 'invalid_request_error', code: 'rate_limit', statusCode: 429, headers: { 'retry-after': '1' } } as never);
		expect(classifyStripeError(limited)).toEqual({ retry: true, afterMs: 1_000, paced: true });
		const unsaid = new Stripe.errors.StripeRateLimitError({ message: 'Request rate limit exceeded.', statusCode: 429, headers: {} } as never);
		expect(classifyStripeError(unsaid)).toEqual({ retry: true });
		const refused = new Stripe.errors.StripeInvalidRequestError({ message: 'No such customer', statusCode: 400 } as never);
		expect(classifyStripeError(refused)).toEqual({ retry: false });
	});

	it('chooses the pace by the key when the node does not: a share of the sandbox or live limit', () => {
		expect(isTestKey('sk_test_abc')).toBe(true);
		expect(isTestKey('rk_test_abc')).toBe(true);
		expect(isTestKey('sk_live_abc')).toBe(false);
		expect(DEFAULT_STRIPE_REQUESTS_PER_SECOND.test).toBeLessThan(25);
		expect(DEFAULT_STRIPE_REQUESTS_PER_SECOND.live).toBeLessThan(100);
	});
});

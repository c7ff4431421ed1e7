'use strict';
/**
 * Stripe's rate limiter, opt-in: off until a test turns it on, so the suites never meet it by chance.
 * Stripe limits API requests per second per account, all requests together (live mode 100, sandbox 25), and each
 * endpoint on its own (25 by default), an endpoint being a method and a route: GET /v1/customers/:id counts the
 * same for every id (https://docs.stripe.com/rate-limits). Beyond a limit Stripe answers 429 with
 * `{"error": {"type": "invalid_request_error", "code": "rate_limit", ...}}`, and the SDKs read 429 as a rate limit
 * error whatever the body.
 *
 * Here a limit is a sliding window of one second: a request is let through when fewer than the limit were let
 * through in the second before it. A request answered 429 does no work and does not count against the window. The
 * answer carries Retry-After (whole seconds until the window has room again, at least 1) and
 * Stripe-Should-Retry: true, so a client knows it may send the same request again and when. Every 429 is counted:
 * a client that paces itself well is answered none.
 */
const { performance } = require('node:perf_hooks');

const WINDOW_MS = 1000;

/** The times of the requests let through in the last second, oldest first. */
class Window {
	constructor(limit) {
		this.limit = limit;
		this.times = [];
		this.start = 0;
	}

	/** Milliseconds until this window has room at `now`: 0 when it has room now. */
	waitAt(now) {
		while (this.start < this.times.length && this.times[this.start] <= now - WINDOW_MS) this.start += 1;
		// drop the consumed head now and then, so the array does not grow for ever
		if (this.start > 4096) {
			this.times = this.times.slice(this.start);
			this.start = 0;
		}
		if (this.times.length - this.start < this.limit) return 0;
		return this.times[this.times.length - this.limit] + WINDOW_MS - now;
	}

	add(now) {
		this.times.push(now);
	}
}

class StripeRateLimit {
	/** @param {{now?: () => number}} [options] the clock, monotonic milliseconds (a test may give its own) */
	constructor({ now = () => performance.now() } = {}) {
		this.now = now;
		this.clear();
	}

	/**
	 * `perSecond`: every API request together; `endpointPerSecond`: each method and route on its own. Either may be
	 * left out (no such limit); giving neither turns the limit off. Counts start again from 0.
	 */
	set({ perSecond, endpointPerSecond } = {}) {
		const read = (value, name) => {
			if (value === undefined || value === null || value === '') return undefined;
			const number = Number(value);
			if (!Number.isInteger(number) || number < 1) throw new Error(`${name} must be a whole number of 1 or more`);
			return number;
		};
		const global = read(perSecond, 'perSecond');
		const endpoint = read(endpointPerSecond, 'endpointPerSecond');
		this.clear();
		this.perSecond = global;
		this.endpointPerSecond = endpoint;
		this.global = global ? new Window(global) : undefined;
		return this.state();
	}

	/**
	 * Counts one API request to `endpoint` ("POST /v1/customers/:id/balance_transactions"): undefined when it may go
	 * on, or the 429 to answer, {retryAfter (seconds), reason}.
	 */
	take(endpoint) {
		if (!this.global && !this.endpointPerSecond) return undefined;
		const now = this.now();
		this.requests += 1;
		let window;
		if (this.endpointPerSecond) {
			window = this.endpoints.get(endpoint);
			if (!window) this.endpoints.set(endpoint, (window = new Window(this.endpointPerSecond)));
		}
		const globalWait = this.global ? this.global.waitAt(now) : 0;
		const endpointWait = window ? window.waitAt(now) : 0;
		if (globalWait > 0 || endpointWait > 0) {
			const reason = globalWait >= endpointWait ? 'global-rate' : 'endpoint-rate';
			this.limited += 1;
			this.limitedBy[reason] = (this.limitedBy[reason] ?? 0) + 1;
			this.limitedByEndpoint[endpoint] = (this.limitedByEndpoint[endpoint] ?? 0) + 1;
			return { retryAfter: Math.max(1, Math.ceil(Math.max(globalWait, endpointWait) / 1000)), reason };
		}
		this.global?.add(now);
		window?.add(now);
		this.allowed += 1;
		return undefined;
	}

	/** The limits, the API requests seen since they were set, those let through, and the 429s answered. */
	state() {
		return {
			perSecond: this.perSecond ?? null,
			endpointPerSecond: this.endpointPerSecond ?? null,
			requests: this.requests,
			allowed: this.allowed,
			limited: this.limited,
			limitedBy: { ...this.limitedBy },
			limitedByEndpoint: { ...this.limitedByEndpoint },
		};
	}

	/** Off, counts back to 0. */
	clear() {
		this.perSecond = undefined;
		this.endpointPerSecond = undefined;
		this.global = undefined;
		this.endpoints = new Map();
		this.requests = 0;
		this.allowed = 0;
		this.limited = 0;
		this.limitedBy = {};
		this.limitedByEndpoint = {};
	}
}

/** Stripe's 429 body, as the API words it. */
function rateLimitBody() {
	return {
		error: {
			code: 'rate_limit',
			doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
			message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
			type: 'invalid_request_error',
		},
	};
}

module.exports = { StripeRateLimit, rateLimitBody };

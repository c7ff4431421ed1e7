'use strict';
/**
 * Rate limits and failures on demand. SendGrid reports its limit on every v3 response in
 * `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (unix seconds when the window
 * resets) and answers 429 beyond it (https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/rate-limits).
 */

const nowSeconds = () => Math.floor(Date.now() / 1000);

class RateLimiter {
	/** @param {{limit: number, windowSeconds: number}} options */
	constructor({ limit, windowSeconds }) {
		this.configure({ limit, windowSeconds });
	}

	configure({ limit, windowSeconds }) {
		if (!(Number(limit) > 0) || !(Number(windowSeconds) > 0)) throw new Error('limit and windowSeconds must be positive numbers');
		this.limit = Number(limit);
		this.windowSeconds = Number(windowSeconds);
		this.resetAt = nowSeconds() + this.windowSeconds;
		this.used = 0;
	}

	/** Counts one request; returns the headers to send and whether it is over the limit. */
	take() {
		if (nowSeconds() >= this.resetAt) {
			this.resetAt = nowSeconds() + this.windowSeconds;
			this.used = 0;
		}
		this.used += 1;
		return {
			limited: this.used > this.limit,
			headers: {
				'X-RateLimit-Limit': String(this.limit),
				'X-RateLimit-Remaining': String(Math.max(0, this.limit - this.used)),
				'X-RateLimit-Reset': String(this.resetAt),
			},
		};
	}
}

/** The next `count` sends fail with `status`; a 429 says when to come back through X-RateLimit-Reset. */
class SendFaults {
	constructor() {
		this.pending = [];
	}

	add({ status, count = 1, retryAfter }) {
		status = Number(status);
		if (![429, 500, 502, 503, 504].includes(status)) throw new Error('status must be 429, 500, 502, 503 or 504');
		const fault = { status, count: Math.max(1, Number(count)), retryAfter: retryAfter === undefined ? undefined : Number(retryAfter) };
		this.pending.push(fault);
		return fault;
	}

	take() {
		const fault = this.pending[0];
		if (!fault) return undefined;
		fault.count -= 1;
		if (fault.count <= 0) this.pending.shift();
		return fault;
	}

	clear() {
		this.pending = [];
	}
}

module.exports = { RateLimiter, SendFaults, nowSeconds };

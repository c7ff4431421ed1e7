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

/**
 * The next `count` sends fail with `status` (a 429 says when to come back through X-RateLimit-Reset): `when` "before"
 * (the default: nothing kept), "after" (the message kept, the answer a failure) or "drop" (kept, the connection cut).
 * `{hold: true, when}` instead never answers: "before" keeps nothing, "after" puts the message in the outbox first.
 */
class SendFaults {
	constructor() {
		this.pending = [];
	}

	add({ status, count = 1, retryAfter, when = 'before', hold }) {
		if (!['before', 'after', 'drop'].includes(when)) throw new Error('when must be "before", "after" or "drop"');
		if (hold !== undefined && hold !== true && hold !== false) throw new Error('hold must be true or false');
		if (hold) {
			if (status !== undefined) throw new Error('a held request is never answered: give hold or a status, not both');
			if (when === 'drop') throw new Error('when must be "before" or "after" for a held request');
		} else {
			status = Number(status);
			if (![429, 500, 502, 503, 504].includes(status)) throw new Error('status must be 429, 500, 502, 503 or 504 (or hold: true)');
		}
		const fault = {
			...(hold ? { hold: true } : { status }),
			when,
			count: Math.max(1, Number(count)),
			retryAfter: retryAfter === undefined ? undefined : Number(retryAfter),
		};
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

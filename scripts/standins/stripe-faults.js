'use strict';
/**
 * Failures on demand, for retry and idempotency tests. A fault applies to the next `count` API requests
 * (optionally only those matching `method` / `path`):
 *   when 'before' (default)  answers `status` without doing anything, as a Stripe outage would;
 *   when 'after'             does the work, saves the idempotent result, then answers `status`:
 *                            a response lost on the way back, which a retry with the same key must replay;
 *   delayMs                  holds the request (with its idempotency key claimed) that long first;
 *   hold: true               never answers (no status): with when 'before' nothing is done, with when 'after' the work
 *                            is done and its idempotent result saved (a retry with the key replays it); the request
 *                            stays open until the client's connection closes (held-requests.js, GET /__standin/held).
 */
const { invalidRequest } = require('./stripe-errors.js');

const STATUSES = [409, 429, 500, 502, 503, 504];

class FaultQueue {
	constructor() {
		this.pending = [];
	}

	add(spec) {
		const status = spec.status === undefined ? undefined : Number(spec.status);
		const delayMs = spec.delayMs === undefined ? 0 : Number(spec.delayMs);
		const hold = spec.hold === true || String(spec.hold) === 'true';
		if (hold && status !== undefined) throw invalidRequest('A held request is never answered: give hold or a status, not both.', 'hold');
		if (status === undefined && !delayMs && !hold) throw invalidRequest('A fault needs a status, a delayMs or hold.', 'status');
		if (status !== undefined && !STATUSES.includes(status)) {
			throw invalidRequest(`status must be one of ${STATUSES.join(', ')}`, 'status');
		}
		const when = spec.when ?? 'before';
		if (!['before', 'after'].includes(when)) throw invalidRequest("when must be 'before' or 'after'", 'when');
		const fault = {
			status,
			hold,
			count: Math.max(1, Number(spec.count ?? 1)),
			when,
			retryAfter: spec.retryAfter === undefined ? undefined : Number(spec.retryAfter),
			shouldRetry: spec.shouldRetry === undefined ? undefined : String(spec.shouldRetry) === 'true',
			method: spec.method ? String(spec.method).toUpperCase() : undefined,
			path: spec.path ? String(spec.path) : undefined,
			delayMs: Number.isFinite(delayMs) ? delayMs : 0,
		};
		this.pending.push(fault);
		return fault;
	}

	/** The fault this request meets, if any; counts it down. */
	take(method, path) {
		const fault = this.pending.find(
			(f) => (!f.method || f.method === method) && (!f.path || path.startsWith(f.path)),
		);
		if (!fault) return undefined;
		fault.count -= 1;
		if (fault.count <= 0) this.pending.splice(this.pending.indexOf(fault), 1);
		return fault;
	}

	list() {
		return this.pending.map((fault) => ({ ...fault }));
	}

	clear() {
		this.pending = [];
	}
}

module.exports = { FaultQueue };

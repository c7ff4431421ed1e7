'use strict';
/**
 * Idempotent requests as Stripe runs them (https://docs.stripe.com/api/idempotent_requests): a POST that
 * repeats an `Idempotency-Key` gets the first response again (same status and body, header
 * `Idempotent-Replayed: true`); the same key on another endpoint or with other parameters is a 400
 * `idempotency_error`; a key whose first request is still running is a 409. Keys belong to the API key
 * that used them and are forgotten after 24 hours. A request that failed validation saves nothing, so
 * it can be corrected and sent again under the same key.
 */
const crypto = require('node:crypto');
const { idempotencyError } = require('./stripe-errors.js');

const DAY_SECONDS = 24 * 60 * 60;

/** Parameters compared independently of the order they were sent in. */
function canonical(value) {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

class IdempotencyKeys {
	/** @param {{now: () => number, ttlSeconds?: number}} options `now` in unix seconds */
	constructor({ now, ttlSeconds = DAY_SECONDS }) {
		this.now = now;
		this.ttlSeconds = ttlSeconds;
		/** @type {Map<string, {state: 'running'|'done', method: string, path: string, fingerprint: string, createdAt: number, response?: object}>} */
		this.entries = new Map();
	}

	/**
	 * Claims `key` for a request. Returns `{replay}` with the saved response, or `{complete, release}` to
	 * call when the request has run (complete saves its response, release forgets the key); throws the
	 * Stripe error for a conflicting use.
	 */
	begin(apiKey, key, { method, path, params }) {
		if (key.length > 255) {
			throw idempotencyError(400, `Idempotency-Key must be no longer than 255 characters; you sent one of ${key.length}.`);
		}
		this.forgetExpired();
		const id = `${crypto.createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}:${key}`;
		const fingerprint = canonical(params);
		const entry = this.entries.get(id);
		if (entry) {
			if (entry.state === 'running') {
				throw idempotencyError(
					409,
					`There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
					'idempotency_key_in_use',
				);
			}
			if (entry.method !== method || entry.path !== path) {
				throw idempotencyError(
					400,
					`Keys for idempotent requests can only be used for the same endpoint they were first used for ('${entry.method} ${entry.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
				);
			}
			if (entry.fingerprint !== fingerprint) {
				throw idempotencyError(
					400,
					`Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
				);
			}
			return { replay: entry.response };
		}
		const running = { state: 'running', method, path, fingerprint, createdAt: this.now() };
		this.entries.set(id, running);
		return {
			complete: (response) => Object.assign(running, { state: 'done', response }),
			release: () => this.entries.delete(id),
		};
	}

	forgetExpired() {
		const oldest = this.now() - this.ttlSeconds;
		for (const [id, entry] of this.entries) {
			if (entry.state === 'done' && entry.createdAt <= oldest) this.entries.delete(id);
		}
	}

	get size() {
		return this.entries.size;
	}

	clear() {
		this.entries.clear();
	}
}

module.exports = { IdempotencyKeys };

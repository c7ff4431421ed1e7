'use strict';
/**
 * Stripe's error shape: `{"error": {"type", "code", "message", "param", "doc_url"}}` with the HTTP status that
 * goes with it (https://docs.stripe.com/api/errors): 400 invalid params, 401 bad key, 402 card errors,
 * 404 missing objects, 409 idempotency conflicts, 429 rate limits, 5xx Stripe's own failures.
 */

class StripeError extends Error {
	/**
	 * @param {number} status HTTP status
	 * @param {{type: string, code?: string, message: string, param?: string, [k: string]: unknown}} fields
	 */
	constructor(status, fields) {
		super(fields.message);
		this.status = status;
		this.fields = fields;
	}

	toBody() {
		const error = {};
		if (this.fields.code) {
			error.code = this.fields.code;
			error.doc_url = `https://stripe.com/docs/error-codes/${this.fields.code.replace(/_/g, '-')}`;
		}
		for (const [key, value] of Object.entries(this.fields)) {
			if (value !== undefined && key !== 'code') error[key] = value;
		}
		return { error };
	}
}

const invalidRequest = (message, param, code) =>
	new StripeError(400, { type: 'invalid_request_error', code, message, param });

/** A referenced object that does not exist: 404 when it is the URL's object, 400 when it is a parameter. */
const resourceMissing = (kind, id, param = 'id', status = param === 'id' ? 404 : 400) =>
	new StripeError(status, {
		type: 'invalid_request_error',
		code: 'resource_missing',
		message: `No such ${kind}: '${id}'`,
		param,
	});

const idempotencyError = (status, message, code) =>
	new StripeError(status, { type: 'idempotency_error', code, message });

/** What a fault returns, worded as Stripe words these statuses. */
function faultError(status) {
	if (status === 429) {
		return new StripeError(429, {
			type: 'invalid_request_error',
			code: 'rate_limit',
			message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
		});
	}
	if (status === 503) {
		return new StripeError(503, { type: 'api_error', message: 'Stripe is temporarily unavailable. Please try again later.' });
	}
	return new StripeError(status, {
		type: 'api_error',
		message: 'An unknown error occurred. Please try again later.',
	});
}

module.exports = { StripeError, invalidRequest, resourceMissing, idempotencyError, faultError };

'use strict';
/**
 * A local Stripe: the v1 endpoints the pack uses (customers and their balance transactions, coupons,
 * promotion codes, charges, payment intents, refunds, balance), stateful, answering with Stripe's object
 * shapes, errors and idempotency rules, for the real `stripe` SDK:
 *
 *   new Stripe(secretKey, { host: '127.0.0.1', port: 24360, protocol: 'http', maxNetworkRetries: 2 })
 *
 * Test endpoints (same key):
 *   GET    /__standin/state                      every object and counts per kind
 *   POST   /__standin/faults                     {status, count, when: 'before'|'after', retryAfter,
 *                                                 shouldRetry, method, path, delayMs}; see stripe-faults.js
 *   POST   /__standin/faults {hold: true, when, count, method, path}   the next matching requests are never answered:
 *                                                 'before' not carried out, 'after' carried out (idempotent result saved);
 *                                                 let go when the client's connection closes
 *   GET    /__standin/held                       {holding, held}: requests held now, and since the last release
 *   DELETE /__standin/faults                     drops pending faults, cuts the held connections, counts back to 0
 *   POST   /__standin/random-faults              {rate, seed, kinds}: a share of the API requests fails (random-faults.js)
 *   GET    /__standin/random-faults              the rate, the requests seen and the faults injected; DELETE: none
 *   POST   /__standin/rate-limit                 {perSecond, endpointPerSecond}: Stripe's rate limiter, off until set;
 *                                                 beyond it 429 with Retry-After and Stripe-Should-Retry (stripe-rate-limit.js)
 *   GET    /__standin/rate-limit                 the limits, API requests seen, let through, and 429s answered (`limited`)
 *   DELETE /__standin/rate-limit                 off again, counts back to 0
 *   POST   /__standin/reset                      back to the two sample customers, no keys, no faults, none held, no limit
 *   POST   /__standin/clock                      {advanceSeconds}: moves the clock (expiry, redeem_by, key TTL)
 *   POST   /__standin/promotion_codes/:id/redeem {customer}: what a checkout would do with the code
 */
const fs = require('node:fs');
const http = require('node:http');
const { withLatency } = require('./latency.js');
const path = require('node:path');
const express = require('express');
const { parseForm } = require('./stripe-form.js');
const { StripeError, faultError } = require('./stripe-errors.js');
const { StripeStore, randomString } = require('./stripe-store.js');
const { IdempotencyKeys } = require('./stripe-idempotency.js');
const { FaultQueue } = require('./stripe-faults.js');
const { HeldRequests } = require('./held-requests.js');
const { RandomFaults } = require('./random-faults.js');
const { StripeRateLimit, rateLimitBody } = require('./stripe-rate-limit.js');
const { seed } = require('./stripe-seed.js');
const customers = require('./stripe-customers.js');
const discounts = require('./stripe-discounts.js');
const payments = require('./stripe-payments.js');

/** The version answered when a request names none: the first with `promotion` on promotion codes. */
const ACCOUNT_API_VERSION = '2025-09-30.clover';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function apiKeyOf(req) {
	const header = req.get('Authorization') ?? '';
	if (/^Bearer\s/i.test(header)) return header.slice(7).trim();
	// the key as the Basic user name, empty password (https://docs.stripe.com/api/authentication)
	if (/^Basic\s/i.test(header)) return Buffer.from(header.slice(6).trim(), 'base64').toString().split(':')[0];
	return '';
}

/** `sk_test_********************wxyz`, as Stripe quotes a wrong key back. */
function maskKey(key) {
	const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
	const rest = key.slice(prefix.length);
	return prefix + '*'.repeat(Math.max(0, rest.length - 4)) + rest.slice(-4);
}

function authenticate(secretKey) {
	return (req, res, next) => {
		const key = apiKeyOf(req);
		if (key === secretKey) {
			req.apiKey = key;
			return next();
		}
		const message = key
			? `Invalid API Key provided: ${maskKey(key)}`
			: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";
		res.set('WWW-Authenticate', 'Bearer realm="Stripe"');
		res.status(401).json(new StripeError(401, { type: 'invalid_request_error', message }).toBody());
	};
}

/** API parameters: the query string for GET and DELETE, the form body otherwise. */
function paramsOf(req) {
	const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
	if (req.method === 'GET' || req.method === 'DELETE') return parseForm(query);
	return parseForm(typeof req.body === 'string' ? req.body : '');
}

/** Test endpoints also take JSON, which is easier to send from a test. */
function standinParamsOf(req) {
	const body = typeof req.body === 'string' ? req.body : '';
	if (!/json/i.test(req.get('Content-Type') ?? '')) return paramsOf(req);
	try {
		return body.trim() ? JSON.parse(body) : {};
	} catch {
		return {};
	}
}

function sendFault(res, fault) {
	if (fault.retryAfter !== undefined) res.set('Retry-After', String(fault.retryAfter));
	if (fault.shouldRetry !== undefined) res.set('Stripe-Should-Retry', String(fault.shouldRetry));
	const error = faultError(fault.status);
	res.status(error.status).json(error.toBody());
}

/** One API route: the rate limit, faults, idempotency, the handler, expansion, in that order. */
function apiRoute(route, { store, idempotency, faults, random, held, changed, rateLimit }) {
	const endpoint = `${route.method.toUpperCase()} ${route.path}`;
	return async (req, res) => {
		const method = req.method;
		// Stripe's limiter answers before anything else: a limited request is not carried out
		const limited = rateLimit.take(endpoint);
		if (limited) {
			res.set({ 'Retry-After': String(limited.retryAfter), 'Stripe-Should-Retry': 'true' });
			return res.status(429).json(rateLimitBody());
		}
		const fault = faults.take(method, req.path) ?? random.take();
		if ((fault?.status || fault?.hold) && fault.when === 'before') {
			if (fault.delayMs) await sleep(fault.delayMs);
			// a held request: not carried out, never answered
			if (fault.hold) return held.hold(req, res);
			return sendFault(res, fault);
		}
		const params = paramsOf(req);
		const key = method === 'POST' ? req.get('Idempotency-Key') : undefined;
		if (key) res.set('Idempotency-Key', key);
		let claim;
		if (key) {
			try {
				claim = idempotency.begin(req.apiKey, key, { method, path: req.path, params });
			} catch (error) {
				return res.status(error.status).json(error.toBody());
			}
			if (claim.replay) {
				// the replayed result, lost on the way back like the first answer
				if (fault?.hold) return held.hold(req, res);
				res.set({ 'Idempotent-Replayed': 'true', 'Original-Request': claim.replay.requestId });
				return res.status(claim.replay.status).json(claim.replay.body);
			}
		}
		if (fault?.delayMs) await sleep(fault.delayMs);
		let response;
		let completed = true;
		try {
			const ctx = { store, params, path: req.params, version: req.get('Stripe-Version') ?? ACCOUNT_API_VERSION };
			response = { status: 200, body: store.expand(route.handler(ctx), params.expand) };
		} catch (thrown) {
			const error = thrown instanceof StripeError ? thrown : faultError(500);
			if (!(thrown instanceof StripeError)) console.error(`[stripe] ${method} ${req.path}: ${thrown.stack}`);
			response = { status: error.status, body: error.toBody() };
			completed = Boolean(error.replayable);
		}
		if (claim) {
			if (completed) claim.complete({ ...response, requestId: res.get('Request-Id') });
			else claim.release();
		}
		if (completed && method !== 'GET') changed();
		if (fault?.when === 'drop') return req.socket.destroy();
		// carried out (the idempotent result saved above), never answered
		if (fault?.hold) return held.hold(req, res);
		if (fault?.status) return sendFault(res, fault);
		res.status(response.status).json(response.body);
	};
}

/** Writes the objects to `<dataDir>/state.json` shortly after changes, for people to read. */
function snapshotWriter(store, dataDir) {
	const file = path.join(dataDir, 'state.json');
	let timer;
	// at least 300 ms between writes, and ten times as long as the last write took: with thousands of objects the
	// snapshot costs the stand-in no more than a tenth of its time
	let delayMs = 300;
	const write = () => {
		clearTimeout(timer);
		timer = undefined;
		const started = Date.now();
		fs.writeFileSync(file, JSON.stringify(store.snapshot(), null, 2));
		delayMs = Math.max(300, 10 * (Date.now() - started));
	};
	return {
		changed: () => {
			if (!timer) timer = setTimeout(write, delayMs);
		},
		flush: () => timer && write(),
		write,
	};
}

function standinRoutes(app, { store, idempotency, faults, random, held, snapshot, rateLimit }) {
	app.post('/__standin/rate-limit', (req, res) => {
		try {
			res.json(rateLimit.set(standinParamsOf(req)));
		} catch (error) {
			res.status(400).json({ error: { type: 'invalid_request_error', message: error.message } });
		}
	});
	app.get('/__standin/rate-limit', (req, res) => res.json(rateLimit.state()));
	app.delete('/__standin/rate-limit', (req, res) => {
		rateLimit.clear();
		res.json(rateLimit.state());
	});
	app.post('/__standin/random-faults', (req, res) => {
		try {
			res.json(random.set(standinParamsOf(req)));
		} catch (error) {
			res.status(400).json({ error: { message: error.message } });
		}
	});
	app.get('/__standin/random-faults', (req, res) => res.json(random.state()));
	app.delete('/__standin/random-faults', (req, res) => {
		random.clear();
		res.json(random.state());
	});
	app.get('/__standin/state', (req, res) => {
		res.json({
			...store.snapshot(),
			idempotencyKeys: idempotency.size,
			faults: faults.list(),
			clock: { now: store.now(), offsetSeconds: store.clockOffsetSeconds },
		});
	});
	app.post('/__standin/faults', (req, res) => {
		try {
			res.json({ fault: faults.add(standinParamsOf(req)), pending: faults.list() });
		} catch (error) {
			res.status(error.status ?? 400).json(error.toBody?.() ?? { error: { message: error.message } });
		}
	});
	app.delete('/__standin/faults', (req, res) => {
		faults.clear();
		held.release();
		res.json({ pending: [] });
	});
	app.get('/__standin/held', (req, res) => res.json(held.state()));
	app.post('/__standin/reset', (req, res) => {
		store.clear();
		store.clockOffsetSeconds = 0;
		idempotency.clear();
		faults.clear();
		held.release();
		random.clear();
		rateLimit.clear();
		seed(store);
		snapshot.write();
		res.json(store.snapshot().counts);
	});
	app.post('/__standin/clock', (req, res) => {
		const advance = Number(standinParamsOf(req).advanceSeconds ?? 0);
		if (!Number.isFinite(advance)) return res.status(400).json({ error: { message: 'advanceSeconds must be a number' } });
		store.clockOffsetSeconds += advance;
		res.json({ now: store.now(), offsetSeconds: store.clockOffsetSeconds });
	});
	for (const route of discounts.standinRoutes) {
		app[route.method.toLowerCase()](route.path, (req, res) => {
			try {
				const ctx = { store, params: standinParamsOf(req), path: req.params, version: req.get('Stripe-Version') ?? ACCOUNT_API_VERSION };
				res.json(route.handler(ctx));
			} catch (error) {
				if (!(error instanceof StripeError)) throw error;
				res.status(error.status).json(error.toBody());
			}
		});
	}
}

/**
 * @param {{host: string, port: number, dataDir: string, idempotencyTtlSeconds?: number}} options
 * @returns {Promise<{env: {apiBase: string, secretKey: string}, stop: () => Promise<void>}>}
 */
async function start({ host, port, dataDir, idempotencyTtlSeconds }) {
	fs.mkdirSync(dataDir, { recursive: true });
	const secretKey = `sk_test_${randomString(48)}`;
	const store = new StripeStore();
	seed(store);
	const idempotency = new IdempotencyKeys({ now: () => store.now(), ttlSeconds: idempotencyTtlSeconds });
	const faults = new FaultQueue();
	const random = new RandomFaults();
	const held = new HeldRequests();
	const rateLimit = new StripeRateLimit();
	const snapshot = snapshotWriter(store, dataDir);
	snapshot.write();

	const app = express();
	app.disable('x-powered-by');
	app.set('etag', false);
	app.use((req, res, next) => {
		res.set({
			'Request-Id': `req_${randomString(14)}`,
			'Stripe-Version': req.get('Stripe-Version') ?? ACCOUNT_API_VERSION,
		});
		next();
	});
	app.use(authenticate(secretKey));
	app.use(express.text({ type: () => true, limit: '2mb' }));
	standinRoutes(app, { store, idempotency, faults, random, held, snapshot, rateLimit });
	for (const route of [...customers.routes, ...discounts.routes, ...payments.routes]) {
		app[route.method.toLowerCase()](route.path, apiRoute(route, { store, idempotency, faults, random, held, changed: snapshot.changed, rateLimit }));
	}
	app.use((req, res) => {
		const message = `Unrecognized request URL (${req.method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`;
		res.status(404).json(new StripeError(404, { type: 'invalid_request_error', message }).toBody());
	});
	// body-parser failures (too large, bad encoding) in Stripe's shape
	app.use((error, req, res, next) => {
		void next;
		const status = error.status ?? error.statusCode ?? 500;
		res.status(status).json(new StripeError(status, { type: status < 500 ? 'invalid_request_error' : 'api_error', message: error.message }).toBody());
	});

	const server = http.createServer(withLatency(app));
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, resolve);
	});
	return {
		env: { apiBase: `http://${host}:${port}`, secretKey },
		stop: async () => {
			snapshot.flush();
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

module.exports = { start, maskKey, apiKeyOf };

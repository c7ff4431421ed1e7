'use strict';
/**
 * A local SendGrid v3 API for the real `@sendgrid/mail` / `@sendgrid/client` SDKs: Mail Send with SendGrid's
 * validation, status codes and headers, the endpoints a credential test calls, rate limits, and an outbox
 * that tests read. Point a client at it with `client.setApiKey(apiKey)` first and only then
 * `client.setDefaultRequest('baseUrl', baseUrl)` (setApiKey resets the base URL).
 *
 * Test endpoints (same key):
 *   GET    /__standin/messages?to=<email>&subject=<substring>&messageId=<id>   accepted messages
 *   DELETE /__standin/messages                                                 empties the outbox
 *   POST   /__standin/faults {status: 429|500|502|503|504, count, retryAfter}  the next sends fail so
 *   DELETE /__standin/faults
 *   POST   /__standin/random-faults {rate, seed, kinds}  a share of the sends fail (random-faults.js); "after" and
 *                                                   "drop" keep the message (accepted, the answer lost); GET, DELETE
 *   GET    /__standin/rate-limit, POST {limit, windowSeconds}, DELETE (back to the default)
 * and, without a key, the mailbox page for a person (sendgrid-mailbox.js): GET /mailbox
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const express = require('express');
const { validateMail } = require('./sendgrid-validate.js');
const { Outbox } = require('./sendgrid-messages.js');
const { RateLimiter, SendFaults, nowSeconds } = require('./sendgrid-traffic.js');
const { mailboxRoutes } = require('./sendgrid-mailbox.js');
const { RandomFaults } = require('./random-faults.js');

const SENDER_EMAIL = 'support@example-store.test';
/** High enough never to get in the suites' way; lower it (env or POST /__standin/rate-limit) to test throttling. */
const DEFAULT_RATE_LIMIT = process.env.CX_SENDGRID_RATE_LIMIT ?? '10000/60';
const SCOPES = ['mail.send', 'scopes.read', 'user.account.read', 'user.email.read', 'user.profile.read'];

const sgErrors = (...errors) => ({ errors: errors.map(({ field = null, message, help = null }) => ({ field, message, help })) });
const UNAUTHORIZED = sgErrors({ message: 'The provided authorization grant is invalid, expired, or revoked' });
/** SendGrid's 429 body carries no `help`. */
const TOO_MANY_REQUESTS = { errors: [{ field: null, message: 'too many requests' }] };

/** SendGrid keys look like `SG.<22 characters>.<43 characters>`. */
function newApiKey() {
	return `SG.${crypto.randomBytes(16).toString('base64url')}.${crypto.randomBytes(32).toString('base64url')}`;
}

function parseRateLimit(text) {
	const [limit, windowSeconds] = String(text).split('/').map(Number);
	return { limit, windowSeconds: windowSeconds || 1 };
}

function sendFault(res, fault, limiter) {
	if (fault.status === 429) {
		res.set({
			'X-RateLimit-Limit': String(limiter.limit),
			'X-RateLimit-Remaining': '0',
			'X-RateLimit-Reset': String(nowSeconds() + (fault.retryAfter ?? 1)),
		});
		return res.status(429).json(TOO_MANY_REQUESTS);
	}
	if (fault.retryAfter !== undefined) res.set('Retry-After', String(fault.retryAfter));
	const message = fault.status === 503 ? 'service unavailable' : 'internal error';
	return res.status(fault.status).json(sgErrors({ message }));
}

function mailSend({ outbox, faults, random, limiter }) {
	return (req, res) => {
		const fault = faults.take() ?? random.take();
		if (fault && (fault.when ?? 'before') === 'before') return sendFault(res, fault, limiter);
		if (!/application\/json/i.test(req.get('Content-Type') ?? '')) {
			return res.status(415).json(sgErrors({ message: 'Content-Type should be application/json.' }));
		}
		let body;
		try {
			body = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
		} catch {
			return res.status(400).json(sgErrors({ message: 'Bad Request' }));
		}
		const errors = validateMail(body);
		if (errors.length > 0) return res.status(400).json({ errors });
		// sandbox mode validates and then discards the message (https://www.twilio.com/docs/sendgrid/for-developers/sending-email/sandbox-mode)
		if (body.mail_settings?.sandbox_mode?.enable === true) return res.status(200).end();
		const messageId = crypto.randomBytes(16).toString('base64url');
		outbox.add(messageId, body);
		// accepted, and the answer lost: a 5xx, or the connection cut
		if (fault?.when === 'drop') return req.socket.destroy();
		if (fault) return sendFault(res, fault, limiter);
		res.set('X-Message-Id', messageId);
		return res.status(202).end();
	};
}

function standinRoutes(app, { outbox, faults, random, limiter }) {
	app.get('/__standin/random-faults', (req, res) => res.json(random.state()));
	app.post('/__standin/random-faults', express.json(), (req, res) => {
		try {
			res.json(random.set(req.body ?? {}));
		} catch (error) {
			res.status(400).json(sgErrors({ message: error.message }));
		}
	});
	app.delete('/__standin/random-faults', (req, res) => {
		random.clear();
		res.json(random.state());
	});
	app.get('/__standin/messages', (req, res) => {
		res.json(outbox.find({ to: req.query.to, subject: req.query.subject, messageId: req.query.messageId }));
	});
	app.delete('/__standin/messages', (req, res) => {
		outbox.clear();
		res.status(204).end();
	});
	app.post('/__standin/faults', express.json(), (req, res) => {
		try {
			res.json({ fault: faults.add(req.body ?? {}), pending: faults.pending });
		} catch (error) {
			res.status(400).json(sgErrors({ message: error.message }));
		}
	});
	app.delete('/__standin/faults', (req, res) => {
		faults.clear();
		res.status(204).end();
	});
	const showLimit = (res) => res.json({ limit: limiter.limit, windowSeconds: limiter.windowSeconds });
	app.get('/__standin/rate-limit', (req, res) => showLimit(res));
	app.post('/__standin/rate-limit', express.json(), (req, res) => {
		try {
			limiter.configure(req.body ?? {});
			showLimit(res);
		} catch (error) {
			res.status(400).json(sgErrors({ message: error.message }));
		}
	});
	app.delete('/__standin/rate-limit', (req, res) => {
		limiter.configure(parseRateLimit(DEFAULT_RATE_LIMIT));
		showLimit(res);
	});
}

/**
 * @param {{host: string, port: number, dataDir: string}} options
 * @returns {Promise<{env: {baseUrl: string, apiKey: string, senderEmail: string}, stop: () => Promise<void>}>}
 */
async function start({ host, port, dataDir }) {
	fs.mkdirSync(dataDir, { recursive: true });
	const apiKey = newApiKey();
	const outbox = new Outbox(dataDir);
	const faults = new SendFaults();
	const random = new RandomFaults();
	const limiter = new RateLimiter(parseRateLimit(DEFAULT_RATE_LIMIT));

	const app = express();
	app.disable('x-powered-by');
	app.set('etag', false);
	mailboxRoutes(app, { outbox });
	app.use((req, res, next) => {
		const header = req.get('Authorization') ?? '';
		if (!/^Bearer\s/i.test(header) || header.slice(7).trim() !== apiKey) return res.status(401).json(UNAUTHORIZED);
		next();
	});
	standinRoutes(app, { outbox, faults, random, limiter });
	app.use('/v3', (req, res, next) => {
		const { limited, headers } = limiter.take();
		res.set(headers);
		if (limited) return res.status(429).json(TOO_MANY_REQUESTS);
		next();
	});
	// SendGrid takes mail bodies up to 30 MB (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send)
	app.post('/v3/mail/send', express.raw({ type: () => true, limit: '30mb' }), mailSend({ outbox, faults, random, limiter }));
	app.get('/v3/scopes', (req, res) => res.json({ scopes: SCOPES }));
	app.get('/v3/user/profile', (req, res) =>
		res.json({
			address: '', address2: '', city: '', company: 'Example Store', country: '', first_name: 'Store',
			last_name: 'Support', phone: '', state: '', website: 'https://example-store.test', zip: '',
		}),
	);
	app.get('/v3/user/account', (req, res) => res.json({ type: 'paid', reputation: 100 }));
	app.get('/v3/user/email', (req, res) => res.json({ email: SENDER_EMAIL }));
	app.use((req, res) => res.status(404).json(sgErrors({ message: 'resource not found' })));
	// body-parser failures (a body over 30 MB) in SendGrid's shape
	app.use((error, req, res, next) => {
		void next;
		res.status(error.status ?? 500).json(sgErrors({ message: error.status === 413 ? 'Request Entity Too Large' : error.message }));
	});

	const server = http.createServer(app);
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, resolve);
	});
	return {
		env: { baseUrl: `http://${host}:${port}`, apiKey, senderEmail: SENDER_EMAIL, mailboxUrl: `http://${host}:${port}/mailbox` },
		stop: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

module.exports = { start };

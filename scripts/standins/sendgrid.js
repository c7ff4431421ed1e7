'use strict';
/**
 * A local SendGrid v3 API for the real `@sendgrid/mail` / `@sendgrid/client` SDKs: Mail Send with SendGrid's
 * validation, status codes and headers, the endpoints a credential test calls, rate limits, and an outbox
 * that tests read. Point a client at it with `client.setApiKey(apiKey)` first and only then
 * `client.setDefaultRequest('baseUrl', baseUrl)` (setApiKey resets the base URL).
 *
 * The Email Activity Feed (a paid add-on at SendGrid), read from the outbox (sendgrid-activity.js):
 *   GET    /v3/messages?query=<url-encoded>&limit=<1..1000, default 10>   {messages: [{from_email, msg_id, subject, to_email,
 *          status, opens_count, clicks_count, last_event_time}]}, one per recipient, newest first; a query or limit it
 *          cannot take: 400 {errors: [{message}]}; the add-on off: 400 {errors: [{message: "authorization required"}]};
 *          a key without the email_activity.read scope: 403 access forbidden; over its own rate limit (SendGrid's:
 *          6 requests a minute): 429 with the X-RateLimit headers
 *
 * Mail Send checks the account behind the key as SendGrid does (sendgrid-account.js): a `from` that is no verified Sender
 * Identity is refused with 403 and SendGrid's own body; a `template_id` or an `asm.group_id` the account does not have
 * is a 400 (fields template_id, asm.group_id) among the request's other errors. Nothing refused is kept.
 *
 * Test endpoints (same key):
 *   GET    /__standin/messages?to=<email>&subject=<substring>&messageId=<id>   accepted messages
 *   DELETE /__standin/messages                                                 empties the outbox (and the activity feed)
 *   POST   /__standin/faults {status: 429|500|502|503|504, count, retryAfter, when}  the next sends fail so; when "before"
 *                                                   (default: nothing kept), "after" (kept, answered status), "drop"
 *   POST   /__standin/faults {hold: true, when: "before"|"after", count}   the next sends are never answered while the
 *                                                   client stays connected: "before" keeps nothing, "after" puts the
 *                                                   message in the outbox first; let go when the connection closes
 *   GET    /__standin/held                          {holding, held}: sends held now, and since the last release
 *   DELETE /__standin/faults                        no more faults; the held connections are cut, the counts back to 0
 *   POST   /__standin/random-faults {rate, seed, kinds}  a share of the sends fail (random-faults.js); "after" and
 *                                                   "drop" keep the message (accepted, the answer lost); GET, DELETE
 *   GET    /__standin/rate-limit                    {limit, windowSeconds, activity: {limit, windowSeconds}}
 *   POST   /__standin/rate-limit {limit, windowSeconds} every v3 route; {activity: {limit, windowSeconds}} GET /v3/messages
 *   DELETE /__standin/rate-limit                    both back to the default (env CX_SENDGRID_RATE_LIMIT, "10000/60";
 *                                                   CX_SENDGRID_ACTIVITY_RATE_LIMIT, "6/60" as SendGrid's)
 *   POST   /__standin/activity {enabled, visibleAfterMs, deliveredAfterMs}   the add-on on or off (on by default); a
 *                                                   message shows in the feed visibleAfterMs after it was accepted
 *                                                   (default 0), "processed" until deliveredAfterMs, then "delivered"
 *                                                   (default 0); GET: the settings; DELETE: the defaults
 *   POST   /__standin/scopes {scopes: [...] | "default"}   the key's scopes (GET /v3/scopes); DELETE: the default, all of SCOPES
 *   POST   /__standin/senders {emails: [...], domains: [...]}   the verified Sender Identities become exactly these: single
 *                                                   senders and authenticated domains (any address at one); GET: them and
 *                                                   how many sends each check refused; DELETE: the default, the stand-in's
 *                                                   own sender (env senderEmail, support@example-store.test) and no domain
 *   POST   /__standin/templates {ids: [...]}        the account's templates become exactly these; GET; DELETE: the default,
 *                                                   the dynamic templates the suites use (sendgrid-account.js)
 *   POST   /__standin/groups {ids: [...]}           the account's unsubscribe groups (integers) become exactly these; GET;
 *                                                   DELETE: the default, the groups the suites, the e2e workflows and bench use
 * and, without a key, the mailbox page for a person (sendgrid-mailbox.js): GET /mailbox
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const { withLatency } = require('./latency.js');
const express = require('express');
const { validateMail } = require('./sendgrid-validate.js');
const { Outbox } = require('./sendgrid-messages.js');
const { RateLimiter, SendFaults, nowSeconds } = require('./sendgrid-traffic.js');
const { mailboxRoutes } = require('./sendgrid-mailbox.js');
const { RandomFaults } = require('./random-faults.js');
const { HeldRequests } = require('./held-requests.js');
const { filterMessages, ActivitySettings } = require('./sendgrid-activity.js');
const { SendGridAccount, SENDER_EMAIL } = require('./sendgrid-account.js');

/** High enough never to get in the suites' way; lower it (env or POST /__standin/rate-limit) to test throttling. */
const DEFAULT_RATE_LIMIT = process.env.CX_SENDGRID_RATE_LIMIT ?? '10000/60';
/** The Email Activity API's own limit: "6 requests per minute" (https://www.twilio.com/docs/sendgrid/api-reference/email-activity#rate-limits). */
const DEFAULT_ACTIVITY_RATE_LIMIT = process.env.CX_SENDGRID_ACTIVITY_RATE_LIMIT ?? '6/60';
/** email_activity.read: the scope of the Email Activity API (https://www.twilio.com/docs/sendgrid/api-reference/api-key-permissions). */
const SCOPES = ['email_activity.read', 'mail.send', 'scopes.read', 'user.account.read', 'user.email.read', 'user.profile.read'];

const sgErrors = (...errors) => ({ errors: errors.map(({ field = null, message, help = null }) => ({ field, message, help })) });
const UNAUTHORIZED = sgErrors({ message: 'The provided authorization grant is invalid, expired, or revoked' });
/** SendGrid's 429 body carries no `help`. */
const TOO_MANY_REQUESTS = { errors: [{ field: null, message: 'too many requests' }] };
/** A key without the scope an endpoint needs. */
const ACCESS_FORBIDDEN = { errors: [{ field: null, message: 'access forbidden' }] };
/** /v3/messages for an account without the Email Activity add-on: a 400, as SendGrid answered it (sendgrid/sendgrid-csharp#689). */
const NO_ACTIVITY_ADDON = { errors: [{ message: 'authorization required' }] };

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

function mailSend({ outbox, faults, random, limiter, held, account }) {
	return (req, res) => {
		const fault = faults.take() ?? random.take();
		if (fault && (fault.when ?? 'before') === 'before') return fault.hold ? held.hold(req, res) : sendFault(res, fault, limiter);
		if (!/application\/json/i.test(req.get('Content-Type') ?? '')) {
			return res.status(415).json(sgErrors({ message: 'Content-Type should be application/json.' }));
		}
		let body;
		try {
			body = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
		} catch {
			return res.status(400).json(sgErrors({ message: 'Bad Request' }));
		}
		const errors = [...validateMail(body), ...account.unknownIds(body)];
		if (errors.length > 0) return res.status(400).json({ errors });
		const unverified = account.senderRefusal(body);
		if (unverified) return res.status(403).json(unverified);
		// sandbox mode validates and then discards the message (https://www.twilio.com/docs/sendgrid/for-developers/sending-email/sandbox-mode)
		if (body.mail_settings?.sandbox_mode?.enable === true) return res.status(200).end();
		const messageId = crypto.randomBytes(16).toString('base64url');
		outbox.add(messageId, body);
		// accepted, and the answer lost: never sent, a 5xx, or the connection cut
		if (fault?.hold) return held.hold(req, res);
		if (fault?.when === 'drop') return req.socket.destroy();
		if (fault) return sendFault(res, fault, limiter);
		res.set('X-Message-Id', messageId);
		return res.status(202).end();
	};
}

/** GET, POST (replace) and DELETE (defaults) for one part of the account: senders, templates or groups. */
function accountRoute(app, path, { show, set, reset }) {
	app.get(path, (req, res) => res.json(show()));
	app.post(path, express.json(), (req, res) => {
		try {
			set(req.body ?? {});
			res.json(show());
		} catch (error) {
			res.status(400).json(sgErrors({ message: error.message }));
		}
	});
	app.delete(path, (req, res) => {
		reset();
		res.json(show());
	});
}

function standinRoutes(app, { outbox, faults, random, limiter, activityLimiter, held, activity, scopes, account }) {
	accountRoute(app, '/__standin/senders', {
		show: () => ({ ...account.senders, refused: account.refused.sender }),
		set: (body) => account.setSenders(body),
		reset: () => account.resetSenders(),
	});
	accountRoute(app, '/__standin/templates', {
		show: () => ({ ids: account.templates, refused: account.refused.template }),
		set: (body) => account.setTemplates(body),
		reset: () => account.resetTemplates(),
	});
	accountRoute(app, '/__standin/groups', {
		show: () => ({ ids: account.groups, refused: account.refused.group }),
		set: (body) => account.setGroups(body),
		reset: () => account.resetGroups(),
	});
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
		held.release();
		res.status(204).end();
	});
	app.get('/__standin/held', (req, res) => res.json(held.state()));
	const showLimit = (res) =>
		res.json({ limit: limiter.limit, windowSeconds: limiter.windowSeconds, activity: { limit: activityLimiter.limit, windowSeconds: activityLimiter.windowSeconds } });
	app.get('/__standin/rate-limit', (req, res) => showLimit(res));
	app.post('/__standin/rate-limit', express.json(), (req, res) => {
		try {
			const { activity: activityLimit, ...general } = req.body ?? {};
			if (activityLimit === undefined || general.limit !== undefined || general.windowSeconds !== undefined) limiter.configure(general);
			if (activityLimit !== undefined) activityLimiter.configure(activityLimit ?? {});
			showLimit(res);
		} catch (error) {
			res.status(400).json(sgErrors({ message: error.message }));
		}
	});
	app.delete('/__standin/rate-limit', (req, res) => {
		limiter.configure(parseRateLimit(DEFAULT_RATE_LIMIT));
		activityLimiter.configure(parseRateLimit(DEFAULT_ACTIVITY_RATE_LIMIT));
		showLimit(res);
	});
	app.get('/__standin/activity', (req, res) => res.json(activity.state()));
	app.post('/__standin/activity', express.json(), (req, res) => {
		try {
			res.json(activity.configure(req.body ?? {}));
		} catch (error) {
			res.status(400).json(sgErrors({ message: error.message }));
		}
	});
	app.delete('/__standin/activity', (req, res) => res.json(activity.reset()));
	app.post('/__standin/scopes', express.json(), (req, res) => {
		const wanted = req.body?.scopes;
		if (wanted !== 'default' && (!Array.isArray(wanted) || !wanted.every((scope) => typeof scope === 'string'))) {
			return res.status(400).json(sgErrors({ message: 'scopes must be a list of scope names, or "default"' }));
		}
		scopes.splice(0, scopes.length, ...(wanted === 'default' ? SCOPES : wanted));
		res.json({ scopes });
	});
	app.delete('/__standin/scopes', (req, res) => {
		scopes.splice(0, scopes.length, ...SCOPES);
		res.json({ scopes });
	});
}

/** GET /v3/messages: its own rate limit, then the key's scope, the add-on, the query. */
function activityFeed({ outbox, activity, activityLimiter, scopes }) {
	return (req, res) => {
		const { limited, headers } = activityLimiter.take();
		res.set(headers);
		if (limited) return res.status(429).json(TOO_MANY_REQUESTS);
		if (!scopes.includes('email_activity.read')) return res.status(403).json(ACCESS_FORBIDDEN);
		if (!activity.enabled) return res.status(400).json(NO_ACTIVITY_ADDON);
		const { status, body } = filterMessages(outbox, activity, { query: req.query.query, limit: req.query.limit });
		res.status(status).json(body);
	};
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
	const activityLimiter = new RateLimiter(parseRateLimit(DEFAULT_ACTIVITY_RATE_LIMIT));
	const held = new HeldRequests();
	const activity = new ActivitySettings();
	const scopes = [...SCOPES];
	const account = new SendGridAccount();

	const app = express();
	app.disable('x-powered-by');
	app.set('etag', false);
	mailboxRoutes(app, { outbox });
	app.use((req, res, next) => {
		const header = req.get('Authorization') ?? '';
		if (!/^Bearer\s/i.test(header) || header.slice(7).trim() !== apiKey) return res.status(401).json(UNAUTHORIZED);
		next();
	});
	standinRoutes(app, { outbox, faults, random, limiter, activityLimiter, held, activity, scopes, account });
	app.use('/v3', (req, res, next) => {
		const { limited, headers } = limiter.take();
		res.set(headers);
		if (limited) return res.status(429).json(TOO_MANY_REQUESTS);
		next();
	});
	// SendGrid takes mail bodies up to 30 MB (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send)
	app.post('/v3/mail/send', express.raw({ type: () => true, limit: '30mb' }), mailSend({ outbox, faults, random, limiter, held, account }));
	app.get('/v3/messages', activityFeed({ outbox, activity, activityLimiter, scopes }));
	app.get('/v3/scopes', (req, res) => res.json({ scopes }));
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

	const server = http.createServer(withLatency(app));
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

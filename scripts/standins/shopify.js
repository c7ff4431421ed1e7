'use strict';
/**
 * The Shopify stand-in: the Admin GraphQL API over HTTPS on 127.0.0.1, answering from the real Admin schema
 * (validation, cost, throttling as Shopify does) and a seeded sample store (shopify-store.js lists its fixtures).
 *
 *   POST /admin/api/<version>/graphql.json   the Admin API; versions 2025-10 ... 2026-10 and unstable
 *   GET  /__standin/state                    counts, the mutation log, how many GraphQL requests were answered, and
 *                                            queryPoints { pointsSpent, throttled, byOperation }: the points charged
 *                                            (after refunds) and the THROTTLED answers since the last reset, in all
 *                                            and by the query's operation name
 *   POST /__standin/reset                    restores the seed (and refills the cost bucket); no faults, none held
 *   POST /__standin/bucket                   { "currentlyAvailable": n } sets the bucket, to provoke THROTTLED
 *   POST /__standin/return-requests          { "count": n }: restores the seed with n generated return requests on top of the
 *                                            seeded ones (shopify-returns.js; as CX_SHOPIFY_RETURN_REQUESTS=n at start); the
 *                                            count lasts through /__standin/reset; GET /__standin/state counts the returns
 *   GET  /__standin/bulk/<n>.jsonl?token=t   a bulk operation's JSONL (its `url`); signed by the token, no access token
 *   POST /admin/oauth/access_token           the client-credentials grant of a Dev Dashboard app (form or JSON body:
 *                                            grant_type=client_credentials, client_id, client_secret): an access token
 *                                            that expires ({access_token, scope, expires_in}, 86399 s as Shopify's);
 *                                            an app of another organization gets 400 shop_not_permitted, a wrong
 *                                            secret 401 invalid_client, another grant 400 unsupported_grant_type
 *   GET  /admin/oauth/authorize              an app's installation (authorization code grant): 302 to redirect_uri with
 *                                            code, shop, state, timestamp and Shopify's hmac of them; the code, posted
 *                                            with the app's ID and secret to /admin/oauth/access_token, gives an offline
 *                                            token once (another organization's app too: that is what OAuth is for)
 *   POST /__standin/faults                   { status, count, match, when, retryAfter }: the next `count` GraphQL requests
 *                                            whose query holds `match` fail as Shopify's can. `when` "before": answered
 *                                            `status` (429 with Retry-After, 500, 502, 503) and not run; "after": run,
 *                                            then answered `status` (the change is made, the answer says it failed);
 *                                            "drop": run, then the connection is cut with no answer (a lost response)
 *   POST /__standin/faults                   { hold: true, when, count, match }: the next `count` matching GraphQL requests are
 *                                            never answered while the client stays connected; "before": not run, "after":
 *                                            run (the mutation is made); let go when the client's connection closes
 *   POST /__standin/faults                   { delayMs, count, match }: the next `count` matching GraphQL requests take delayMs
 *                                            to run: an @idempotent mutation (refundCreate) holds its key running all that
 *                                            time, so a request with the same key meanwhile is answered
 *                                            IDEMPOTENCY_CONCURRENT_REQUEST (shopify-payouts.js); any other request is answered
 *                                            that late. delayMs also goes with a status, drop or hold fault (run late, then so)
 *   POST /__standin/faults                   { userErrors: [{ field, message }], count, match }: in the next `count` matching
 *                                            GraphQL requests an @idempotent mutation (refundCreate) is refused with these
 *                                            userErrors and changes nothing (a refusal the store has no rule for, such as a
 *                                            gateway declining a refund); the key's attempt is failed, so the same key is
 *                                            answered IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED from then on
 *   GET  /__standin/held                     { holding, held }: requests held now, and since the last release
 *   DELETE /__standin/faults                 no more faults; the held connections are cut and the counts go back to 0
 *   POST /__standin/random-faults            { rate, seed, kinds }: a share of the GraphQL requests fails (random-faults.js);
 *                                            GET: what was injected; DELETE: none
 *   POST /__standin/token-lifetime           { "seconds": n }: how long the tokens issued from now on live
 *   POST /__standin/expire-tokens            every client-credentials token issued so far expires now
 *   POST /__standin/access-scopes            { "scopes": [...] }: the scopes the apps hold (currentAppInstallation's
 *                                            accessScopes and the grant's `scope`); "default" (or reset) restores every
 *                                            one the pack uses
 *
 * Every other route wants an X-Shopify-Access-Token: the custom app's, generated at start, or a client-credentials
 * token not yet expired (an expired one gets 401, as Shopify answers). @shopify/shopify-api reaches the stand-in with
 * a session whose shop is env.shopDomain ("127.0.0.1:<port>"), given NODE_EXTRA_CA_CERTS=env.caFile.
 */
const https = require('node:https');
const { RandomFaults } = require('./random-faults.js');
const { HeldRequests } = require('./held-requests.js');
const { withLatency } = require('./latency.js');
const { createHmac, randomBytes, randomUUID, timingSafeEqual } = require('node:crypto');
const { createSchemaRegistry, DEFAULT_VERSION } = require('./shopify-schema.js');
const { ensureCertificates } = require('./shopify-tls.js');
const { ShopifyStore } = require('./shopify-store.js');
const { createBucket } = require('./shopify-cost.js');
const { createGraphqlHandler } = require('./shopify-graphql.js');
const { bulkDownload } = require('./shopify-bulk.js');
const { installReturns, setReturnRequests } = require('./shopify-returns.js');

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const GRAPHQL_PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;
const BULK_PATH = /^\/__standin\/bulk\/(\d+)\.jsonl$/;
const INVALID_TOKEN = '[API] Invalid API key or access token (unrecognized login or wrong password)';

function send(res, status, body, headers = {}) {
	const payload = JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload), ...headers });
	res.end(payload);
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(Object.assign(new Error('payload too large'), { status: 413 }));
				req.destroy();
			} else {
				chunks.push(chunk);
			}
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** JSON body, or a bare query for Content-Type: application/graphql (older clients send that). */
function parseGraphqlBody(req, raw) {
	if (/application\/graphql/i.test(req.headers['content-type'] ?? '')) return { query: raw };
	return raw.trim() ? JSON.parse(raw) : {};
}

function tokenMatches(given, expected) {
	const a = Buffer.from(String(given ?? ''));
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

async function start({ host, port, dataDir }) {
	const registry = createSchemaRegistry();
	const certificates = ensureCertificates(dataDir);
	// the Returns API's records (products, returns, the seeded requests) come with every seed (shopify-returns.js)
	const store = installReturns(new ShopifyStore());
	const bucket = createBucket();
	const accessToken = `shpat_${randomBytes(16).toString('hex')}`;
	// the Dev Dashboard apps: this store's organization's, and one of another organization (a partner's)
	const app = { clientId: randomBytes(16).toString('hex'), clientSecret: `shpss_${randomBytes(16).toString('hex')}` };
	const foreignApp = { clientId: randomBytes(16).toString('hex'), clientSecret: `shpss_${randomBytes(16).toString('hex')}` };
	const issued = new Map(); // token -> expires at (epoch ms)
	const codes = new Map(); // authorization code -> { clientId, scope, expiresAt }
	let tokenLifetimeSeconds = 86_399;
	let tokensIssued = 0;
	// the scopes the store's apps were granted: every one the pack uses, until a test takes some away
	const DEFAULT_SCOPES = ['read_customers', 'write_customers', 'read_orders', 'write_orders', 'read_discounts', 'write_discounts', 'read_fulfillments', 'write_store_credit_account_transactions', 'read_products', 'read_returns', 'write_returns'];
	store.accessScopes = [...DEFAULT_SCOPES];
	const authorized = (given) => {
		if (tokenMatches(given, accessToken)) return true;
		const expiresAt = issued.get(String(given ?? ''));
		return expiresAt !== undefined && Date.now() < expiresAt;
	};
	const handleGraphql = createGraphqlHandler({ registry, store, bucket, origin: `https://${host}:${port}` });
	// tests assert that a node batches: N tickets, one request
	let graphqlRequests = 0;
	/** Faults to inject into the next GraphQL requests that match (POST /__standin/faults). */
	let faults = [];
	/** Faults at a rate (POST /__standin/random-faults, random-faults.js). */
	const random = new RandomFaults();
	/** Requests a `hold` fault parks unanswered (held-requests.js). */
	const held = new HeldRequests();
	const takeFault = (query) => {
		const at = faults.findIndex((fault) => fault.count > 0 && (!fault.match || String(query ?? '').includes(fault.match)));
		if (at < 0) return undefined;
		faults[at].count -= 1;
		return faults[at];
	};

	async function route(req, res) {
		const url = new URL(req.url, `https://${req.headers.host ?? host}`);
		const requestId = randomUUID();
		// a bulk operation's result, signed by its token instead of the access token (shopify-bulk.js)
		const download = BULK_PATH.exec(url.pathname);
		if (download && req.method === 'GET') {
			const file = bulkDownload(store, Number(download[1]), url.searchParams.get('token'));
			if (!file) return send(res, 404, { errors: 'Not Found' });
			res.writeHead(200, { 'Content-Type': 'application/jsonl', 'Content-Length': file.length });
			return res.end(file);
		}
		if (url.pathname === '/admin/oauth/authorize' && req.method === 'GET') {
			// the merchant installs the app: Shopify sends the browser back to the app with a code, signed with the app's secret
			const client = [app, foreignApp].find((known) => known.clientId === url.searchParams.get('client_id'));
			const redirect = url.searchParams.get('redirect_uri');
			if (!client || !redirect) return send(res, 400, { errors: 'Oauth error invalid_request: The client_id or redirect_uri is missing or unknown.' });
			const code = randomBytes(16).toString('hex');
			const scope = String(url.searchParams.get('scope') ?? '').split(/[\s,]+/).filter(Boolean).join(',');
			codes.set(code, { clientId: client.clientId, scope, expiresAt: Date.now() + 10 * 60_000 });
			const query = new URLSearchParams({ code, host: Buffer.from(`${host}:${port}/admin`).toString('base64url'), shop: `${host}:${port}`, state: url.searchParams.get('state') ?? '', timestamp: String(Math.floor(Date.now() / 1000)) });
			query.sort();
			query.set('hmac', createHmac('sha256', client.clientSecret).update(query.toString()).digest('hex'));
			res.writeHead(302, { Location: `${redirect}${redirect.includes('?') ? '&' : '?'}${query}` });
			return res.end();
		}
		if (url.pathname === '/admin/oauth/access_token') {
			if (req.method !== 'POST') return send(res, 405, { errors: 'Method Not Allowed' });
			const raw = await readBody(req);
			let form;
			try {
				form = String(req.headers['content-type'] ?? '').includes('application/json') ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
			} catch {
				return send(res, 400, { error: 'invalid_request', error_description: 'The request body could not be parsed.' });
			}
			if (form.code !== undefined) {
				// the authorization code of an installation, once, within ten minutes, by the app it was given to: an offline token
				const grant = codes.get(String(form.code));
				codes.delete(String(form.code));
				const client = [app, foreignApp].find((known) => known.clientId === form.client_id);
				if (!client || !tokenMatches(form.client_secret, client.clientSecret)) return send(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
				if (!grant || grant.clientId !== client.clientId || Date.now() > grant.expiresAt) return send(res, 400, { error: 'invalid_request', error_description: 'The authorization code was not found or was already used' });
				const token = `shpat_${randomBytes(16).toString('hex')}`;
				issued.set(token, Number.POSITIVE_INFINITY);
				tokensIssued += 1;
				return send(res, 200, { access_token: token, scope: grant.scope });
			}
			if (form.grant_type !== 'client_credentials') return send(res, 400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported.' });
			if (form.client_id === foreignApp.clientId && tokenMatches(form.client_secret, foreignApp.clientSecret)) {
				return send(res, 400, { error: 'shop_not_permitted', error_description: 'Client credentials cannot be performed on this shop.' });
			}
			if (form.client_id !== app.clientId || !tokenMatches(form.client_secret, app.clientSecret)) {
				return send(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' });
			}
			const token = `shpat_${randomBytes(16).toString('hex')}`;
			issued.set(token, Date.now() + tokenLifetimeSeconds * 1000);
			tokensIssued += 1;
			return send(res, 200, { access_token: token, scope: store.accessScopes.join(','), expires_in: tokenLifetimeSeconds });
		}
		const graphql = GRAPHQL_PATH.exec(url.pathname);
		const helper = url.pathname.startsWith('/__standin/');
		if (!graphql && !helper) return send(res, 404, { errors: 'Not Found' });
		if (graphql && !registry.has(graphql[1])) return send(res, 404, { errors: 'Not Found' });
		if (!authorized(req.headers['x-shopify-access-token'])) return send(res, 401, { errors: INVALID_TOKEN });

		if (graphql) {
			if (req.method !== 'POST') return send(res, 405, { errors: 'Method Not Allowed' });
			let body;
			try {
				body = parseGraphqlBody(req, await readBody(req));
			} catch (error) {
				return send(res, error.status ?? 400, { errors: error.status ? 'Payload Too Large' : 'Invalid JSON in request body' });
			}
			graphqlRequests += 1;
			const fault = takeFault(body?.query) ?? random.take();
			const failed = (status) =>
				send(res, status, { errors: status === 429 ? 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' : 'Internal Server Error' }, {
					'X-Request-Id': requestId,
					...(status === 429 ? { 'Retry-After': String(fault.retryAfter ?? 1) } : {}),
				});
			const delayMs = fault?.delayMs ?? 0;
			if (fault?.when === 'before') {
				if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
				return fault.hold ? held.hold(req, res) : failed(fault.status);
			}
			const result = await handleGraphql(graphql[1], body, requestId, { delayMs, userErrors: fault?.userErrors });
			// run (the mutation made), never answered
			if (fault?.hold) return held.hold(req, res);
			if (fault?.when === 'after') return failed(fault.status);
			if (fault?.when === 'drop') return req.socket.destroy();
			return send(res, result.status, result.body, { 'X-Shopify-API-Version': graphql[1], 'X-Request-Id': requestId });
		}
		if (url.pathname === '/__standin/state' && req.method === 'GET') {
			return send(res, 200, { ...store.summary(), graphqlRequests, tokensIssued, throttleStatus: bucket.status(), queryPoints: bucket.usage() });
		}
		if (url.pathname === '/__standin/access-scopes' && req.method === 'POST') {
			const scopes = JSON.parse((await readBody(req)) || '{}').scopes;
			if (scopes !== 'default' && (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string'))) return send(res, 400, { errors: 'scopes must be a list of scope handles, or "default"' });
			store.accessScopes = scopes === 'default' ? [...DEFAULT_SCOPES] : [...scopes];
			return send(res, 200, { accessScopes: store.accessScopes });
		}
		if (url.pathname === '/__standin/reset' && req.method === 'POST') {
			store.reset();
			faults = [];
			held.release();
			random.clear();
			store.accessScopes = [...DEFAULT_SCOPES];
			bucket.set(Number.POSITIVE_INFINITY);
			bucket.resetUsage();
			return send(res, 200, { reset: true, customers: store.customers.length, orders: store.orders.length });
		}
		if (url.pathname === '/__standin/return-requests' && req.method === 'POST') {
			const count = Number(JSON.parse((await readBody(req)) || '{}').count);
			if (!Number.isInteger(count) || count < 0) return send(res, 400, { errors: 'count must be a whole number, 0 or more' });
			return send(res, 200, { returnRequests: count, returns: setReturnRequests(store, count) });
		}
		if (url.pathname === '/__standin/expire-tokens' && req.method === 'POST') {
			for (const token of issued.keys()) issued.set(token, Date.now() - 1);
			return send(res, 200, { expired: issued.size });
		}
		if (url.pathname === '/__standin/token-lifetime' && req.method === 'POST') {
			const seconds = Number(JSON.parse((await readBody(req)) || '{}').seconds);
			if (!Number.isFinite(seconds) || seconds < 0) return send(res, 400, { errors: 'seconds must be a number, 0 or more' });
			tokenLifetimeSeconds = seconds;
			return send(res, 200, { tokenLifetimeSeconds });
		}
		if (url.pathname === '/__standin/random-faults') {
			if (req.method === 'GET') return send(res, 200, random.state());
			if (req.method === 'DELETE') {
				random.clear();
				return send(res, 200, random.state());
			}
			try {
				return send(res, 200, random.set(JSON.parse((await readBody(req)) || '{}')));
			} catch (error) {
				return send(res, 400, { errors: error.message });
			}
		}
		if (url.pathname === '/__standin/faults' && req.method === 'DELETE') {
			faults = [];
			held.release();
			return send(res, 200, { faults });
		}
		if (url.pathname === '/__standin/held' && req.method === 'GET') return send(res, 200, held.state());
		if (url.pathname === '/__standin/faults' && req.method === 'POST') {
			const fault = JSON.parse((await readBody(req)) || '{}');
			const hold = fault.hold === true;
			const delayMs = fault.delayMs === undefined ? 0 : Number(fault.delayMs);
			// a delay alone, or injected userErrors, change how the request runs, not how it is answered
			const runsOnly = fault.status === undefined && !hold && fault.when === undefined && (delayMs > 0 || fault.userErrors !== undefined);
			const when = runsOnly ? undefined : (fault.when ?? 'before');
			const userErrors = Array.isArray(fault.userErrors) && fault.userErrors.length && fault.userErrors.every((error) => typeof error?.message === 'string' && (error.field == null || (Array.isArray(error.field) && error.field.every((part) => typeof part === 'string'))))
				? fault.userErrors.map((error) => ({ field: error.field ?? null, message: error.message }))
				: undefined;
			const valid = Number.isFinite(delayMs) && delayMs >= 0 && (fault.userErrors === undefined || (runsOnly && userErrors)) && (runsOnly || (hold
				? ['before', 'after'].includes(when) && fault.status === undefined
				: ['before', 'after', 'drop'].includes(when) && (when === 'drop' || [429, 500, 502, 503].includes(fault.status))));
			if (!valid) {
				return send(res, 400, { errors: 'a fault is { status: 429|500|502|503, when: "before"|"after", count, match }, { when: "drop", count, match }, { hold: true, when: "before"|"after", count, match } (each with an optional delayMs), { delayMs, count, match } or { userErrors: [{ field, message }], count, match }' });
			}
			faults.push({ status: hold ? undefined : fault.status, when, hold, count: Number(fault.count ?? 1), match: fault.match ? String(fault.match) : '', retryAfter: fault.retryAfter, delayMs, ...(userErrors ? { userErrors } : {}) });
			return send(res, 200, { faults });
		}
		if (url.pathname === '/__standin/bucket' && req.method === 'POST') {
			const wanted = Number(JSON.parse((await readBody(req)) || '{}').currentlyAvailable);
			if (!Number.isFinite(wanted)) return send(res, 400, { errors: 'currentlyAvailable must be a number' });
			bucket.set(wanted);
			return send(res, 200, { throttleStatus: bucket.status() });
		}
		return send(res, 404, { errors: 'Not Found' });
	}

	const server = https.createServer({ key: certificates.key, cert: certificates.cert }, withLatency((req, res) => {
		route(req, res).catch((error) => {
			console.error(`[shopify] ${req.method} ${req.url} failed: ${error.stack}`);
			if (!res.headersSent) send(res, 500, { errors: 'Internal Server Error' });
		});
	}));
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});

	const origin = `https://${host}:${port}`;
	return {
		env: {
			shopDomain: `${host}:${port}`,
			accessToken,
			clientId: app.clientId,
			clientSecret: app.clientSecret,
			foreignClientId: foreignApp.clientId,
			foreignClientSecret: foreignApp.clientSecret,
			apiVersion: DEFAULT_VERSION,
			caFile: certificates.caFile,
			adminUrl: `${origin}/admin/api/${DEFAULT_VERSION}/graphql.json`,
		},
		stop: () => new Promise((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		}),
	};
}

module.exports = { start };

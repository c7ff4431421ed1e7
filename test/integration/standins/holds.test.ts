/**
 * Held requests on the Stripe, SendGrid and Shopify stand-ins, as a crash test uses them: a fault with `hold: true`
 * parks the next matching request and never answers it; "before" leaves the work undone, "after" does it first. The
 * request is let go when the client's connection closes, and GET /__standin/held counts what is held. Requests are
 * sent with fetch so that the test aborts them when it chooses; what they did is read back with the real SDKs.
 */
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import Stripe from 'stripe';
import { standinsEnv } from '../../support/standins';
import { rejectionOf, standin } from '../../support/context';

type Service = 'stripe' | 'sendgrid' | 'shopify';

const env = standinsEnv();
const run = randomUUID().slice(0, 8);
const httpAgent = new Agent({ keepAlive: true });
const { hostname, port } = new URL(env.stripe.apiBase);
const stripe = new Stripe(env.stripe.secretKey, { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 0, httpAgent });

const held = (service: Service) => standin<{ holding: number; held: number }>(service, '/__standin/held');
const fault = (service: Service, spec: Record<string, unknown>) => standin<any>(service, '/__standin/faults', { method: 'POST', body: JSON.stringify(spec) });
const clearFaults = (service: Service) => standin<unknown>(service, '/__standin/faults', { method: 'DELETE' });

/** Polls until `read` gives what `done` wants (the stand-in sees a closed connection a moment after the client). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value) || Date.now() > deadline) return value;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

/** How a request ended: answered, or failed (`AbortError` when the test gave up, `TypeError` when the connection was cut). */
type Outcome = { response: Response } | { failure: string };
type Started = { settled: Promise<Outcome>; abort: () => void };

/** A request the test can abort: its promise settles only when the stand-in answers or the connection goes. */
function start(url: string, init: RequestInit): Started {
	const controller = new AbortController();
	// fetch's errors come from another realm than jest's: compared by name, not instanceof
	const settled = fetch(url, { ...init, signal: controller.signal }).then(
		(response): Outcome => ({ response }),
		(error: Error): Outcome => ({ failure: error.name }),
	);
	return { settled, abort: () => controller.abort() };
}

/** The request is held (and still is after a pause, unanswered); then the client gives up and the hold ends. */
async function holdThenAbort(service: Service, request: Started, before: { held: number }) {
	expect(await until(() => held(service), (state) => state.holding === 1)).toEqual({ holding: 1, held: before.held + 1 });
	const early = await Promise.race([request.settled, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 300))]);
	expect(early).toBe('still waiting');
	request.abort();
	expect(await request.settled).toEqual({ failure: 'AbortError' });
	expect(await until(() => held(service), (state) => state.holding === 0)).toEqual({ holding: 0, held: before.held + 1 });
}

function stripeCreate(email: string, idempotencyKey: string) {
	return start(`${env.stripe.apiBase}/v1/customers`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${env.stripe.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': idempotencyKey },
		body: new URLSearchParams({ email }).toString(),
	});
}

function sendgridSend(to: string) {
	return start(`${env.sendgrid.baseUrl}/v3/mail/send`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${env.sendgrid.apiKey}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({
			from: { email: env.sendgrid.senderEmail },
			subject: `Held ${run}`,
			content: [{ type: 'text/plain', value: 'Hello' }],
			personalizations: [{ to: [{ email: to }] }],
			custom_args: { run },
		}),
	});
}

function shopifyRequest(query: string, variables?: Record<string, unknown>) {
	return start(env.shopify.adminUrl, {
		method: 'POST',
		headers: { 'X-Shopify-Access-Token': env.shopify.accessToken, 'Content-Type': 'application/json' },
		body: JSON.stringify({ query, variables }),
	});
}

const TAGS_ADD = 'mutation Add($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { message } } }';
const CUSTOMER = 'gid://shopify/Customer/1004';

async function customerTags(): Promise<string[]> {
	const outcome = await shopifyRequest(`{ customer(id: "${CUSTOMER}") { tags } }`).settled;
	if (!('response' in outcome)) throw new Error(`the query failed: ${outcome.failure}`);
	return ((await outcome.response.json()) as any).data.customer.tags;
}

describe('held requests', () => {
	afterEach(async () => {
		for (const service of ['stripe', 'sendgrid', 'shopify'] as const) await clearFaults(service);
	});
	afterAll(() => httpAgent.destroy());

	it('report nothing held at first, on all three stand-ins', async () => {
		for (const service of ['stripe', 'sendgrid', 'shopify'] as const) {
			await clearFaults(service);
			expect(await held(service)).toEqual({ holding: 0, held: 0 });
		}
	});

	describe('Stripe', () => {
		it('holds a create "before": nothing is created, and the key is free for the retry', async () => {
			await fault('stripe', { hold: true, when: 'before', method: 'POST', path: '/v1/customers' });
			const email = `held.before.${run}@example-store.test`;
			const before = await held('stripe');
			await holdThenAbort('stripe', stripeCreate(email, `held-before-${run}`), before);
			expect((await stripe.customers.list({ email })).data).toEqual([]);

			// the retry with the same key is carried out for the first time: no replay
			const retried = await stripe.customers.create({ email }, { idempotencyKey: `held-before-${run}` });
			expect(retried.lastResponse.headers['idempotent-replayed']).toBeUndefined();
			expect((await stripe.customers.list({ email })).data.map((c) => c.id)).toEqual([retried.id]);
		});

		it('holds a create "after": the customer exists and a retry with the same key replays it', async () => {
			await fault('stripe', { hold: true, when: 'after', method: 'POST', path: '/v1/customers' });
			const email = `held.after.${run}@example-store.test`;
			const before = await held('stripe');
			await holdThenAbort('stripe', stripeCreate(email, `held-after-${run}`), before);
			const created = (await stripe.customers.list({ email })).data;
			expect(created).toHaveLength(1);

			const retried = await stripe.customers.create({ email }, { idempotencyKey: `held-after-${run}` });
			expect(retried.id).toBe(created[0].id);
			expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
		});

		it('holds only what the fault names and as many as its count; other requests are answered', async () => {
			await fault('stripe', { hold: true, when: 'before', count: 2, method: 'POST', path: '/v1/customers' });
			const before = await held('stripe');
			const first = stripeCreate(`held.one.${run}@example-store.test`, `held-one-${run}`);
			const second = stripeCreate(`held.two.${run}@example-store.test`, `held-two-${run}`);
			expect(await until(() => held('stripe'), (state) => state.holding === 2)).toEqual({ holding: 2, held: before.held + 2 });
			// a GET does not match the fault's method
			expect((await stripe.balance.retrieve()).object).toBe('balance');
			first.abort();
			expect(await until(() => held('stripe'), (state) => state.holding === 1)).toEqual({ holding: 1, held: before.held + 2 });
			second.abort();
			expect(await until(() => held('stripe'), (state) => state.holding === 0)).toEqual({ holding: 0, held: before.held + 2 });
			await Promise.all([first.settled, second.settled]);
			// the count is spent: the third is answered
			const third = await stripe.customers.create({ email: `held.three.${run}@example-store.test` });
			expect(third.id).toMatch(/^cus_/);
		});

		it('cuts a held connection on DELETE /__standin/faults and counts from 0 again', async () => {
			await fault('stripe', { hold: true, when: 'before', method: 'POST', path: '/v1/customers' });
			const request = stripeCreate(`held.cut.${run}@example-store.test`, `held-cut-${run}`);
			expect((await until(() => held('stripe'), (state) => state.holding === 1)).holding).toBe(1);
			await clearFaults('stripe');
			// fetch failed: the connection was cut
			expect(await request.settled).toEqual({ failure: 'TypeError' });
			expect(await held('stripe')).toEqual({ holding: 0, held: 0 });
		});

		it('refuses a fault that is both held and answered', async () => {
			const response = await fetch(`${env.stripe.apiBase}/__standin/faults`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${env.stripe.secretKey}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ hold: true, status: 500 }),
			});
			expect(response.status).toBe(400);
			expect(((await response.json()) as any).error).toMatchObject({ type: 'invalid_request_error', param: 'hold' });
		});
	});

	describe('SendGrid', () => {
		it('holds a send "before": nothing reaches the outbox', async () => {
			await fault('sendgrid', { hold: true, when: 'before' });
			const to = `held.before.${run}@example-store.test`;
			const before = await held('sendgrid');
			await holdThenAbort('sendgrid', sendgridSend(to), before);
			expect(await standin<unknown[]>('sendgrid', `/__standin/messages?to=${encodeURIComponent(to)}`)).toEqual([]);
		});

		it('holds a send "after": the message is in the outbox, though the client never heard so', async () => {
			await fault('sendgrid', { hold: true, when: 'after' });
			const to = `held.after.${run}@example-store.test`;
			const before = await held('sendgrid');
			await holdThenAbort('sendgrid', sendgridSend(to), before);
			const messages = await standin<any[]>('sendgrid', `/__standin/messages?to=${encodeURIComponent(to)}`);
			expect(messages).toHaveLength(1);
			expect(messages[0].deliveries[0].customArgs).toEqual({ run });
		});

		it('cuts a held send on DELETE /__standin/faults and refuses a fault both held and answered', async () => {
			await fault('sendgrid', { hold: true, when: 'after', count: 1 });
			const request = sendgridSend(`held.cut.${run}@example-store.test`);
			expect((await until(() => held('sendgrid'), (state) => state.holding === 1)).holding).toBe(1);
			await clearFaults('sendgrid');
			expect(await request.settled).toEqual({ failure: 'TypeError' });
			expect(await held('sendgrid')).toEqual({ holding: 0, held: 0 });

			const response = await fetch(`${env.sendgrid.baseUrl}/__standin/faults`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${env.sendgrid.apiKey}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ hold: true, status: 503 }),
			});
			expect(response.status).toBe(400);
			expect(await response.json()).toEqual({ errors: [{ field: null, message: expect.stringContaining('give hold or a status'), help: null }] });
		});

		it('answers GET /__standin/held only to the key', async () => {
			const response = await fetch(`${env.sendgrid.baseUrl}/__standin/held`, { headers: { Authorization: 'Bearer SG.wrong.wrong' } });
			expect(response.status).toBe(401);
		});
	});

	describe('Shopify', () => {
		it('holds a matching mutation "before": the tag is not added, other queries are answered meanwhile', async () => {
			const tag = `held-before-${run}`;
			await fault('shopify', { hold: true, when: 'before', match: 'tagsAdd' });
			const mutationsBefore = (await standin<any>('shopify', '/__standin/state')).mutations;
			const before = await held('shopify');
			const request = shopifyRequest(TAGS_ADD, { id: CUSTOMER, tags: [tag] });
			expect((await until(() => held('shopify'), (state) => state.holding === 1)).holding).toBe(1);
			// a query without the match is not held
			expect(await customerTags()).not.toContain(tag);
			await holdThenAbort('shopify', request, before);
			expect(await customerTags()).not.toContain(tag);
			expect((await standin<any>('shopify', '/__standin/state')).mutations).toBe(mutationsBefore);
		});

		it('holds a matching mutation "after": the tag is added, the answer never comes', async () => {
			const tag = `held-after-${run}`;
			await fault('shopify', { hold: true, when: 'after', match: 'tagsAdd' });
			const before = await held('shopify');
			await holdThenAbort('shopify', shopifyRequest(TAGS_ADD, { id: CUSTOMER, tags: [tag] }), before);
			expect(await customerTags()).toContain(tag);
		});

		it('cuts a held request on DELETE /__standin/faults; a fault both held and answered is refused', async () => {
			await fault('shopify', { hold: true, when: 'before', match: 'tagsAdd' });
			const request = shopifyRequest(TAGS_ADD, { id: CUSTOMER, tags: [`held-cut-${run}`] });
			expect((await until(() => held('shopify'), (state) => state.holding === 1)).holding).toBe(1);
			await clearFaults('shopify');
			expect(await request.settled).toEqual({ failure: 'TypeError' });
			expect(await held('shopify')).toEqual({ holding: 0, held: 0 });

			const refused = await rejectionOf<Error>(fault('shopify', { hold: true, when: 'drop' }));
			expect(refused.message).toMatch(/HTTP 400/);
		});
	});
});

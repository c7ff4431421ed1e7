/**
 * The SendGrid stand-in's Email Activity Feed (GET /v3/messages), driven through the real `@sendgrid/client`: one
 * message per recipient, msg_ids that start with the request's X-Message-Id, the query language a client uses, and
 * the answers of an account without the add-on, a key without the scope, a wrong key and too many requests.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { standinsEnv } from '../../support/standins';
import { rejectionOf, standin } from '../../support/context';

const env = standinsEnv().sendgrid;
const run = randomUUID().slice(0, 8);
const address = (name: string) => `${name}.${run}@example-store.test`;

interface ActivityMessage {
	from_email: string;
	msg_id: string;
	subject: string;
	to_email: string;
	status: string;
	opens_count: number;
	clicks_count: number;
	last_event_time: string;
}

interface ResponseErrorLike {
	code: number;
	response: { headers: Record<string, string>; body: { errors: Array<{ message: string; field?: string | null }> } };
}

function sendgrid(apiKey = env.apiKey): { mail: MailService; client: Client } {
	const client = new Client();
	client.setApiKey(apiKey);
	client.setDefaultRequest('baseUrl', env.baseUrl); // after setApiKey, which resets the base URL
	const mail = new MailService();
	mail.setClient(client);
	return { mail, client };
}

const { mail, client } = sendgrid();

async function activity(query?: string, limit?: number | string): Promise<ActivityMessage[]> {
	const qs: Record<string, string | number> = {};
	if (query !== undefined) qs.query = query;
	if (limit !== undefined) qs.limit = limit;
	const [response, body] = await client.request({ method: 'GET', url: '/v3/messages', qs });
	expect(response.statusCode).toBe(200);
	return (body as { messages: ActivityMessage[] }).messages;
}

const refusal = (query?: string, limit?: number | string, key?: string) =>
	rejectionOf<ResponseErrorLike>(sendgrid(key).client.request({ method: 'GET', url: '/v3/messages', qs: { ...(query !== undefined ? { query } : {}), ...(limit !== undefined ? { limit } : {}) } }));

const settings = (path: string, body?: unknown) => standin<any>('sendgrid', path, body === undefined ? { method: 'DELETE' } : { method: 'POST', body: JSON.stringify(body) });

let first: string;
let second: string;

describe('SendGrid stand-in: Email Activity Feed', () => {
	beforeAll(async () => {
		// SendGrid's own limit (6 a minute) would stop this file; the rate-limit test lowers it again
		await settings('/__standin/rate-limit', { activity: { limit: 1000, windowSeconds: 60 } });
		// one request, two personalizations, three recipients; the second personalization's custom_args over the message's
		const [one] = await mail.send({
			from: { email: env.senderEmail, name: 'Example Store' },
			subject: `Your ticket ${run}`,
			text: 'We are on it.',
			categories: ['cx-ack', `run-${run}`],
			customArgs: { run, ticket: 'T-1', attempt: '1' },
			personalizations: [
				{ to: address('ava'), cc: address('ava.manager') },
				{ to: address('ben'), customArgs: { attempt: '2' }, subject: `Your other ticket ${run}` },
			],
		});
		first = String(one.headers['x-message-id']);
		const [two] = await mail.send({
			from: env.senderEmail,
			to: address('ava'),
			subject: `Follow-up ${run}`,
			text: 'How did we do?',
			categories: ['cx-survey', `run-${run}`],
			customArgs: { run, ticket: 'T-2' },
		});
		second = String(two.headers['x-message-id']);
	});

	afterAll(async () => {
		await settings('/__standin/rate-limit');
		await settings('/__standin/activity');
		await settings('/__standin/scopes');
	});

	it('finds a request\'s recipients by a unique arg, one message each, in SendGrid\'s shape', async () => {
		const messages = await activity(`unique_args['ticket']="T-1"`);
		expect(messages.map((m) => m.to_email).sort()).toEqual([address('ava'), address('ava.manager'), address('ben')].sort());
		const ava = messages.find((m) => m.to_email === address('ava'))!;
		expect(Object.keys(ava).sort()).toEqual(['clicks_count', 'from_email', 'last_event_time', 'msg_id', 'opens_count', 'status', 'subject', 'to_email']);
		expect(ava).toMatchObject({ from_email: env.senderEmail, subject: `Your ticket ${run}`, status: 'delivered', opens_count: 0, clicks_count: 0 });
		expect(ava.last_event_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		expect(messages.find((m) => m.to_email === address('ben'))!.subject).toBe(`Your other ticket ${run}`);
		for (const message of messages) expect(message.msg_id.startsWith(`${first}.`)).toBe(true);
		expect(new Set(messages.map((m) => m.msg_id)).size).toBe(3);
		// the personalization's custom_args over the message's, as SendGrid shows them
		expect((await activity(`unique_args['attempt']="2"`)).map((m) => m.to_email)).toEqual([address('ben')]);
		expect((await activity(`unique_args['attempt']="1" AND unique_args['run']="${run}"`)).map((m) => m.to_email).sort()).toEqual([address('ava'), address('ava.manager')].sort());
	});

	it('finds all of one request with msg_id LIKE \'<X-Message-Id>%\', and one message by its msg_id', async () => {
		const all = await activity(`msg_id LIKE '${first}%'`);
		expect(all).toHaveLength(3);
		const other = await activity(`msg_id LIKE '${second}%'`);
		expect(other.map((m) => [m.to_email, m.subject])).toEqual([[address('ava'), `Follow-up ${run}`]]);
		expect((await activity(`msg_id="${all[1].msg_id}"`)).map((m) => m.msg_id)).toEqual([all[1].msg_id]);
	});

	it('joins terms with AND in any case and in parentheses; emails compare without case', async () => {
		const both = await activity(`to_email="${address('ava').toUpperCase()}" AND unique_args['ticket']="T-2"`);
		expect(both.map((m) => m.msg_id.split('.')[0])).toEqual([second]);
		const bracketed = await activity(`(to_email="${address('ava')}") and (unique_args['ticket']="T-1")`);
		expect(bracketed.map((m) => m.msg_id.split('.')[0])).toEqual([first]);
		expect(await activity(`to_email="${address('ben')}" AND unique_args['ticket']="T-2"`)).toEqual([]);
	});

	it('lists newest first, and filters on categories, subject, from_email and status', async () => {
		const mine = await activity(`categories="run-${run}"`);
		expect(mine.map((m) => m.msg_id.split('.')[0])).toEqual([second, first, first, first]);
		expect((await activity(`Contains(categories,"cx-survey") AND unique_args['run']="${run}"`)).map((m) => m.to_email)).toEqual([address('ava')]);
		expect((await activity(`subject="Follow-up ${run}"`)).map((m) => m.to_email)).toEqual([address('ava')]);
		expect(await activity(`from_email="${env.senderEmail}" AND status="delivered" AND unique_args['run']="${run}"`)).toHaveLength(4);
		expect(await activity(`status="not_delivered" AND unique_args['run']="${run}"`)).toEqual([]);
	});

	it('gives at most `limit` messages, 10 by default, and refuses a limit outside 1-1000 or not a number', async () => {
		await mail.send({
			from: env.senderEmail,
			subject: `Many ${run}`,
			text: 'Hello',
			customArgs: { run, batch: 'many' },
			personalizations: Array.from({ length: 12 }, (_, n) => ({ to: address(`many${n}`) })),
		});
		expect(await activity(`unique_args['batch']="many"`)).toHaveLength(10);
		expect(await activity(`unique_args['batch']="many"`, 12)).toHaveLength(12);
		expect(await activity(`unique_args['batch']="many"`, 1)).toHaveLength(1);
		for (const limit of [1001, 0, 'ten', '2.5']) {
			const error = await refusal(`unique_args['batch']="many"`, limit);
			expect(error.code).toBe(400);
			expect(error.response.body).toEqual({ errors: [{ field: 'limit', message: 'limit must be a whole number from 1 to 1000' }] });
		}
	});

	it('answers a query it cannot read with 400 and SendGrid\'s errors naming the problem', async () => {
		const cases: Array<[string, string]> = [
			['bad_field="x"', "invalid syntax: 'bad_field' is not a known field"],
			['to_email="unterminated', 'invalid syntax: the string at position 9 has no closing "'],
			[`to_email="${address('ava')}" subject="x"`, 'invalid syntax: unexpected \'subject\' at position'],
			['to_email', 'invalid syntax: expected an operator (=, !=, LIKE, IN) after to_email, found the end of the query'],
			['(to_email="x"', 'invalid syntax: expected ), found the end of the query'],
			['last_event_time="2026-01-01T00:00:00Z"', "invalid syntax: 'last_event_time' is a SendGrid field the stand-in does not filter on"],
		];
		for (const [query, message] of cases) {
			const error = await refusal(query);
			expect(error.code).toBe(400);
			expect(error.response.body.errors).toEqual([{ message: expect.stringContaining(message) }]);
		}
	});

	it('answers an account without the Email Activity add-on as SendGrid does, and serves it again once bought', async () => {
		expect(await settings('/__standin/activity', { enabled: false })).toMatchObject({ enabled: false });
		const error = await refusal(`unique_args['ticket']="T-1"`);
		expect(error.code).toBe(400);
		expect(error.response.body).toEqual({ errors: [{ message: 'authorization required' }] });
		await settings('/__standin/activity', { enabled: true });
		expect(await activity(`unique_args['ticket']="T-1"`)).toHaveLength(3);
	});

	it('answers 403 to a key without email_activity.read, which /v3/scopes shows', async () => {
		const [, scopes] = await client.request({ method: 'GET', url: '/v3/scopes' });
		expect((scopes as { scopes: string[] }).scopes).toEqual(expect.arrayContaining(['mail.send', 'email_activity.read']));
		await settings('/__standin/scopes', { scopes: ['mail.send', 'scopes.read'] });
		const error = await refusal(`unique_args['ticket']="T-1"`);
		expect(error.code).toBe(403);
		expect(error.response.body).toEqual({ errors: [{ field: null, message: 'access forbidden' }] });
		const [, narrowed] = await client.request({ method: 'GET', url: '/v3/scopes' });
		expect(narrowed).toEqual({ scopes: ['mail.send', 'scopes.read'] });
		await settings('/__standin/scopes');
		expect(await activity(`unique_args['ticket']="T-1"`)).toHaveLength(3);
	});

	it('answers 401 to a wrong key', async () => {
		const error = await refusal(`unique_args['ticket']="T-1"`, undefined, 'SG.not-the-key.not-the-key');
		expect(error.code).toBe(401);
		expect(error.response.body.errors).toEqual([{ field: null, message: 'The provided authorization grant is invalid, expired, or revoked', help: null }]);
	});

	it('keeps its own rate limit with 429 and the X-RateLimit headers', async () => {
		const limits = await settings('/__standin/rate-limit', { activity: { limit: 2, windowSeconds: 60 } });
		expect(limits.activity).toEqual({ limit: 2, windowSeconds: 60 });
		const [response] = await client.request({ method: 'GET', url: '/v3/messages', qs: { query: `unique_args['ticket']="T-2"` } });
		expect(response.headers['x-ratelimit-limit']).toBe('2');
		expect(response.headers['x-ratelimit-remaining']).toBe('1');
		await activity(`unique_args['ticket']="T-2"`);
		const error = await refusal(`unique_args['ticket']="T-2"`);
		expect(error.code).toBe(429);
		expect(error.response.body).toEqual({ errors: [{ field: null, message: 'too many requests' }] });
		expect(error.response.headers['x-ratelimit-remaining']).toBe('0');
		expect(Number(error.response.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
		// mail send is not held back by the feed's limit
		const [sent] = await mail.send({ from: env.senderEmail, to: address('after.limit'), subject: 'x', text: 'x' });
		expect(sent.statusCode).toBe(202);
		// back to SendGrid's documented 6 a minute
		expect((await settings('/__standin/rate-limit')).activity).toEqual({ limit: 6, windowSeconds: 60 });
		await settings('/__standin/rate-limit', { activity: { limit: 1000, windowSeconds: 60 } });
	});

	it('shows a message late and "processed" first when told to, as SendGrid\'s feed lags', async () => {
		await settings('/__standin/activity', { deliveredAfterMs: 60_000 });
		expect((await activity(`unique_args['ticket']="T-2"`)).map((m) => m.status)).toEqual(['processed']);
		await settings('/__standin/activity', { visibleAfterMs: 60_000 });
		expect(await activity(`unique_args['ticket']="T-2"`)).toEqual([]);
		expect(await settings('/__standin/activity')).toEqual({ enabled: true, visibleAfterMs: 0, deliveredAfterMs: 0 });
		expect((await activity(`unique_args['ticket']="T-2"`)).map((m) => m.status)).toEqual(['delivered']);
	});
});

/**
 * The SendGrid stand-in's account: verified Sender Identities, templates and unsubscribe groups, and the Mail Send
 * refusals for what the account does not have, as SendGrid words them: 403 with SendGrid's own body for an unverified
 * sender, 400 on template_id and asm.group_id for an unknown template or group. Driven through the real SDK, with one
 * raw request to compare the 403 byte for byte.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { standinsEnv } from '../../support/standins';
import { rejectionOf, standin } from '../../support/context';

const env = standinsEnv().sendgrid;
const run = randomUUID().slice(0, 8);
const address = (name: string) => `${name}.${run}@example-store.test`;

/** The body a real account answers an unverified sender with (sendgrid/sendgrid-ruby#489: 403, content-length 281). */
const UNVERIFIED_SENDER =
	'{"errors":[{"message":"The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements","field":"from","help":null}]}';

interface ResponseErrorLike {
	code: number;
	response: { headers: Record<string, string>; body: { errors: Array<{ message: string; field: string | null; help: string | null }> } };
}

function mailer(): MailService {
	const client = new Client();
	client.setApiKey(env.apiKey);
	client.setDefaultRequest('baseUrl', env.baseUrl);
	const mail = new MailService();
	mail.setClient(client);
	return mail;
}

const kept = async (to: string) => standin<unknown[]>('sendgrid', `/__standin/messages?to=${encodeURIComponent(to)}`);
const post = (path: string, body: unknown) => standin<any>('sendgrid', path, { method: 'POST', body: JSON.stringify(body) });

describe('SendGrid stand-in: what the account has', () => {
	const mail = mailer();
	afterEach(async () => {
		for (const part of ['senders', 'templates', 'groups']) await standin('sendgrid', `/__standin/${part}`, { method: 'DELETE' });
	});

	it('by default verifies the stand-in\'s own sender, the suites\' templates and unsubscribe groups', async () => {
		expect(await standin('sendgrid', '/__standin/senders')).toEqual({ emails: [env.senderEmail], domains: [], refused: expect.any(Number) });
		expect(env.senderEmail).toBe('support@example-store.test');
		expect((await standin<{ ids: string[] }>('sendgrid', '/__standin/templates')).ids).toEqual(['d-0000000000000000000000000000winback', 'd-kpireport0000000000000000000001']);
		expect((await standin<{ ids: number[] }>('sendgrid', '/__standin/groups')).ids).toEqual([42, 777, 4100, 4242, 4321, 4343]);
	});

	it('answers a from address that is no verified Sender Identity with 403 and SendGrid\'s own body, byte for byte, and keeps nothing', async () => {
		const to = address('unverified');
		const { refused: before } = await standin<{ refused: number }>('sendgrid', '/__standin/senders');
		const response = await fetch(`${env.baseUrl}/v3/mail/send`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${env.apiKey}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ personalizations: [{ to: [{ email: to }] }], from: { email: `marketing.${run}@example-store.test` }, subject: 'Hello', content: [{ type: 'text/plain', value: 'Hi' }] }),
		});
		expect(response.status).toBe(403);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(response.headers.get('content-length')).toBe('281');
		expect(await response.text()).toBe(UNVERIFIED_SENDER);

		// the SDK's view of it, as the pack's SendGrid service meets it: not retried, nothing kept
		const error = await rejectionOf<ResponseErrorLike>(mail.send({ to, from: `marketing.${run}@example-store.test`, subject: 'Hello', text: 'Hi' }));
		expect(error.code).toBe(403);
		expect(error.response.body).toEqual(JSON.parse(UNVERIFIED_SENDER));
		expect(await kept(to)).toEqual([]);
		expect((await standin<{ refused: number }>('sendgrid', '/__standin/senders')).refused).toBe(before + 2);
	});

	it('takes a single sender or any address of an authenticated domain, only those; DELETE restores the default sender', async () => {
		const to = address('senders');
		const send = (from: string) => mail.send({ to, from, subject: `Senders ${run}`, text: 'Hi' });
		expect(await post('/__standin/senders', { domains: ['Example-Store.test'] })).toEqual({ emails: [], domains: ['example-store.test'], refused: expect.any(Number) });
		expect((await send(`news.${run}@example-store.test`))[0].statusCode).toBe(202);
		expect((await send(env.senderEmail))[0].statusCode).toBe(202);
		expect((await rejectionOf<ResponseErrorLike>(send('support@other-store.test'))).code).toBe(403);

		await post('/__standin/senders', { emails: ['Care@Other-Store.test'] });
		expect((await rejectionOf<ResponseErrorLike>(send(env.senderEmail))).code).toBe(403);
		expect((await send('care@other-store.test'))[0].statusCode).toBe(202);

		expect(await standin('sendgrid', '/__standin/senders', { method: 'DELETE' })).toEqual({ emails: [env.senderEmail], domains: [], refused: expect.any(Number) });
		expect((await send(env.senderEmail))[0].statusCode).toBe(202);
		expect((await rejectionOf<ResponseErrorLike>(send('care@other-store.test'))).code).toBe(403);
		expect(await kept(to)).toHaveLength(4);
	});

	it('refuses a template the account does not have with a 400 on template_id, among the request\'s other errors', async () => {
		const unknown = `d-${run}${'0'.repeat(24)}`;
		const to = address('template');
		const withTemplate = (templateId: string, recipient = to) => mail.send({ to: recipient, from: env.senderEmail, templateId, dynamicTemplateData: { first_name: 'Ada' } });
		const error = await rejectionOf<ResponseErrorLike>(withTemplate(unknown));
		expect(error.code).toBe(400);
		expect(error.response.body.errors).toEqual([{
			message: `The Template ID must be a valid template id for your account. You provided ${unknown}.`,
			field: 'template_id',
			help: 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.template_id',
		}]);
		// every problem in one answer, as SendGrid reports them
		const both = await rejectionOf<ResponseErrorLike>(withTemplate(unknown, 'not-an-address'));
		expect(both.response.body.errors.map((item) => item.field)).toEqual(['personalizations.0.to.0.email', 'template_id']);

		expect((await post('/__standin/templates', { ids: [unknown] })).ids).toEqual([unknown]);
		expect((await withTemplate(unknown))[0].statusCode).toBe(202);
		// replaced, not added to: the default templates are gone until DELETE
		expect((await rejectionOf<ResponseErrorLike>(withTemplate('d-0000000000000000000000000000winback'))).code).toBe(400);
		await standin('sendgrid', '/__standin/templates', { method: 'DELETE' });
		expect((await withTemplate('d-0000000000000000000000000000winback'))[0].statusCode).toBe(202);
		expect(await kept(to)).toHaveLength(2);
	});

	it('refuses an unsubscribe group the account does not have with a 400 on asm.group_id; the default groups pass', async () => {
		const to = address('group');
		const withGroup = (groupId: number) => mail.send({ to, from: env.senderEmail, subject: `Group ${run}`, text: 'Hi', asm: { groupId } });
		const error = await rejectionOf<ResponseErrorLike>(withGroup(9191));
		expect(error.code).toBe(400);
		expect(error.response.body.errors).toEqual([{
			message: 'The ASM group ID must be a valid Group ID on your account. You provided 9191.',
			field: 'asm.group_id',
			help: 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.asm.group_id',
		}]);
		expect((await withGroup(4242))[0].statusCode).toBe(202);
		await post('/__standin/groups', { ids: [9191] });
		expect((await withGroup(9191))[0].statusCode).toBe(202);
		expect((await rejectionOf<ResponseErrorLike>(withGroup(4242))).code).toBe(400);
		expect(await kept(to)).toHaveLength(2);
	});

	it('judges the sender only of a request that is otherwise valid: its 400 errors come first', async () => {
		const to = address('order');
		const error = await rejectionOf<ResponseErrorLike>(mail.send({ to, from: 'someone@other-store.test', subject: 'x', text: 'x', asm: { groupId: 9191 } }));
		expect(error.code).toBe(400);
		expect(error.response.body.errors.map((item) => item.field)).toEqual(['asm.group_id']);
		expect(await kept(to)).toEqual([]);
	});

	it('refuses an account setting it cannot hold, and changes nothing', async () => {
		const refused = async (path: string, body: unknown) => (await rejectionOf<Error>(post(path, body))).message;
		expect(await refused('/__standin/senders', { emails: ['not an address'] })).toMatch(/HTTP 400 .*emails must be a list of email addresses/);
		expect(await refused('/__standin/templates', { ids: [7] })).toMatch(/HTTP 400/);
		expect(await refused('/__standin/groups', { ids: ['4242'] })).toMatch(/HTTP 400 .*positive integers/);
		expect((await standin<{ emails: string[] }>('sendgrid', '/__standin/senders')).emails).toEqual([env.senderEmail]);
		expect((await standin<{ ids: number[] }>('sendgrid', '/__standin/groups')).ids).toContain(4242);
	});
});

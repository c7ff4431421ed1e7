/**
 * The SendGrid stand-in, driven through the real SDK (`@sendgrid/mail` on its own `Client`), so that what
 * passes here is what the pack's SendGrid service will meet.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { standinsEnv } from '../../support/standins';
import { rejectionOf, standin } from '../../support/context';

const env = standinsEnv().sendgrid;
const run = randomUUID().slice(0, 8);
const address = (name: string) => `${name}.${run}@example-store.test`;

interface ResponseErrorLike {
	code: number;
	response: { headers: Record<string, string>; body: { errors: Array<{ message: string; field: string | null; help: string | null }> } };
}

/** A client of its own: the SDK's default export is shared by the whole process. */
function mailer(apiKey = env.apiKey): { mail: MailService; client: Client } {
	const client = new Client();
	client.setApiKey(apiKey);
	client.setDefaultRequest('baseUrl', env.baseUrl); // after setApiKey, which resets the base URL
	const mail = new MailService();
	mail.setClient(client);
	return { mail, client };
}

describe('SendGrid stand-in', () => {
	afterEach(() => standin<any>('sendgrid', '/__standin/faults', { method: 'DELETE' }));

	it('accepts a message with 202 and an X-Message-Id, and keeps it readable', async () => {
		const { mail } = mailer();
		const to = address('ava');
		const [response] = await mail.send({
			to,
			from: { email: env.senderEmail, name: 'Example Store' },
			subject: `Your order has shipped ${run}`,
			text: 'Hello {{first_name}}, your order is on its way.',
			html: '<p>Hello {{first_name}}, your order is on its way.</p>',
			substitutions: { first_name: 'Ava' },
			categories: ['shipping'],
		});
		expect(response.statusCode).toBe(202);
		const messageId = response.headers['x-message-id'];
		expect(messageId).toMatch(/^[\w-]{16,}$/);

		const messages = await standin<any>('sendgrid', `/__standin/messages?to=${encodeURIComponent(to)}&subject=${run}`);
		expect(messages).toHaveLength(1);
		expect(messages[0].messageId).toBe(messageId);
		expect(Date.parse(messages[0].receivedAt)).not.toBeNaN();
		expect(messages[0].body.personalizations[0].to[0].email).toBe(to);
		const [delivery] = messages[0].deliveries;
		expect(delivery.subject).toBe(`Your order has shipped ${run}`);
		expect(delivery.content).toEqual([
			{ type: 'text/plain', value: 'Hello Ava, your order is on its way.' },
			{ type: 'text/html', value: '<p>Hello Ava, your order is on its way.</p>' },
		]);
	});

	it('shows sent emails on a mailbox page without a key, escaped, the HTML in a sandboxed frame', async () => {
		const { mail } = mailer();
		const to = address('mailbox.reader');
		const [response] = await mail.send({
			to,
			from: { email: env.senderEmail, name: 'Example Store' },
			subject: `Escalation <b>${run}</b>`,
			text: 'Level 2: a chargeback threat.',
			html: '<p onclick="x()">Level 2: <script>alert(1)</script> a chargeback threat.</p>',
			categories: ['cx-escalation'],
		});
		const messageId = String(response.headers['x-message-id']);
		const list = await fetch(`${env.mailboxUrl}?to=${encodeURIComponent(to)}`);
		expect(list.status).toBe(200);
		expect(list.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
		const listHtml = await list.text();
		expect(listHtml).toContain(`Escalation &lt;b&gt;${run}&lt;/b&gt;`);
		expect(listHtml).toContain(`/mailbox/${messageId}/0`);
		expect(listHtml).toContain('cx-escalation');

		const email = await fetch(`${env.mailboxUrl}/${messageId}/0`);
		const emailHtml = await email.text();
		expect(email.status).toBe(200);
		expect(emailHtml).toContain('sandbox=""');
		// the email's HTML only as an escaped srcdoc: its script never becomes this page's markup
		expect(emailHtml).toContain('srcdoc="&lt;p onclick=&quot;x()&quot;&gt;Level 2: &lt;script&gt;alert(1)&lt;/script&gt; a chargeback threat.&lt;/p&gt;"');
		expect(emailHtml).not.toContain('<script>');
		expect(emailHtml).toContain('<pre>Level 2: a chargeback threat.</pre>');
		expect((await fetch(`${env.mailboxUrl}/no-such-message/0`)).status).toBe(404);
	});

	it('stores one delivery per personalization with its own dynamic template data', async () => {
		const { mail } = mailer();
		const [response] = await mail.send({
			from: env.senderEmail,
			templateId: 'd-0000000000000000000000000000winback',
			personalizations: [
				{ to: address('leo'), dynamicTemplateData: { first_name: 'Leo', code: 'COMEBACK-LEO' } },
				{ to: address('mia'), dynamicTemplateData: { first_name: 'Mia', code: 'COMEBACK-MIA' } },
			],
		});
		expect(response.statusCode).toBe(202);
		const [message] = await standin<any>('sendgrid', `/__standin/messages?to=${encodeURIComponent(address('mia'))}`);
		expect(message.deliveries).toHaveLength(1);
		expect(message.deliveries[0].dynamicTemplateData).toEqual({ first_name: 'Mia', code: 'COMEBACK-MIA' });
		expect(message.deliveries[0].templateId).toBe('d-0000000000000000000000000000winback');
	});

	it('rejects 1001 personalizations with the personalizations field error', async () => {
		const { mail } = mailer();
		const error = await rejectionOf<ResponseErrorLike>(
			mail.send({
				from: env.senderEmail,
				subject: 'Too many',
				text: 'Hello',
				personalizations: Array.from({ length: 1001 }, (_, i) => ({ to: address(`bulk${i}`) })),
			}),
		);
		expect(error.code).toBe(400);
		expect(error.response.body.errors).toContainEqual({
			field: 'personalizations',
			message: expect.stringContaining('limited to 1000 personalizations per API request. You have provided 1001'),
			help: expect.stringContaining('errors.html#message.personalizations'),
		});
		expect(await standin<any>('sendgrid', `/__standin/messages?to=${encodeURIComponent(address('bulk0'))}`)).toEqual([]);
	});

	it('refuses an address twice in one request, more than 10 categories, and custom_args or substitutions past 10,000 bytes, as SendGrid does, and keeps nothing', async () => {
		const { mail } = mailer();
		const refusal = async (message: Record<string, unknown>) => (await rejectionOf<ResponseErrorLike>(mail.send({ from: env.senderEmail, subject: 'Limits', text: 'Hello', ...message } as never))).response.body.errors.map((e) => [e.field, e.message]);
		expect(await refusal({ personalizations: [{ to: address('twice') }, { to: address('other') }, { to: address('twice').toUpperCase() }] })).toEqual([
			['personalizations', `Each unique email address in the personalizations array should only be included once. You have included [${address('twice')}] more than once.`],
		]);
		expect(await refusal({ to: address('cats'), categories: Array.from({ length: 11 }, (_, n) => `c${n}`) })).toEqual([['categories', 'You may not have more than 10 categories per request.']]);
		expect(await refusal({ personalizations: [{ to: address('args'), customArgs: { big: 'x'.repeat(10_000) } }] })).toEqual([
			['personalizations.0.custom_args', "The custom_args for each personalization, with the message's own, may not exceed 10,000 bytes."],
		]);
		expect(await refusal({ personalizations: [{ to: address('subs'), substitutions: { big: 'x'.repeat(10_000) } }] })).toEqual([
			['personalizations.0.substitutions', 'The substitutions for each personalization may not exceed 10,000 bytes.'],
		]);
		for (const name of ['twice', 'cats', 'args', 'subs']) expect(await standin<unknown[]>('sendgrid', `/__standin/messages?to=${encodeURIComponent(address(name))}`)).toEqual([]);
	});

	it('refuses a name holding a comma or semicolon unless it is wrapped in double quotes, as SendGrid reads a name and its address as one mailbox', async () => {
		const { mail } = mailer();
		const refusal = async (message: Record<string, unknown>) => (await rejectionOf<ResponseErrorLike>(mail.send({ subject: 'Names', text: 'Hello', ...message } as never))).response.body.errors.map((e) => [e.field, e.message]);
		expect(await refusal({ from: env.senderEmail, to: { email: address('comma'), name: 'Smith, Jo' } })).toEqual([['personalizations.0.to.0.name', 'Does not contain a valid address.']]);
		expect(await refusal({ from: { email: env.senderEmail, name: 'Paper; Pine' }, to: address('semi') })).toEqual([['from.name', 'The from email does not contain a valid address.']]);
		for (const name of ['comma', 'semi']) expect(await standin<unknown[]>('sendgrid', `/__standin/messages?to=${encodeURIComponent(address(name))}`)).toEqual([]);
		const [accepted] = await mail.send({ from: env.senderEmail, to: { email: address('quoted'), name: '"Smith, Jo \\"JJ\\""' }, subject: 'Names', text: 'Hello' });
		expect(accepted.statusCode).toBe(202);
	});

	it('words missing fields as SendGrid does', async () => {
		const { client } = mailer();
		const error = await rejectionOf<ResponseErrorLike>(
			client.request({
				method: 'POST',
				url: '/v3/mail/send',
				body: { personalizations: [{ cc: [{ email: 'not-an-address' }] }], content: [{ type: 'text/html', value: '' }], asm: { group_id: 'vip' } },
			}),
		);
		expect(error.code).toBe(400);
		const fields = error.response.body.errors.map((e) => e.field);
		expect(fields).toEqual(
			expect.arrayContaining(['from.email', 'personalizations.0.to', 'personalizations.0.cc.0.email', 'subject', 'content.0.value', 'asm.group_id']),
		);
		expect(error.response.body.errors.find((e) => e.field === 'from.email')?.message).toMatch(/^The from object must be provided for every email send/);
	});

	it('answers 401 to a wrong key, on sends and on the credential test', async () => {
		const { mail, client } = mailer('SG.not-the-key.not-the-key');
		const error = await rejectionOf<ResponseErrorLike>(mail.send({ to: address('x'), from: env.senderEmail, subject: 'x', text: 'x' }));
		expect(error.code).toBe(401);
		expect(error.response.body.errors).toEqual([
			{ field: null, message: 'The provided authorization grant is invalid, expired, or revoked', help: null },
		]);
		expect((await rejectionOf<ResponseErrorLike>(client.request({ method: 'GET', url: '/v3/scopes' }))).code).toBe(401);

		const [response, body] = await mailer().client.request({ method: 'GET', url: '/v3/scopes' });
		expect(response.statusCode).toBe(200);
		expect(body).toEqual({ scopes: expect.arrayContaining(['mail.send']) });
	});

	it('fails the next send with 429 and rate-limit headers when asked, then accepts the retry', async () => {
		await standin<any>('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 429, count: 1, retryAfter: 2 }) });
		const { mail } = mailer();
		const message = { to: address('retry'), from: env.senderEmail, subject: `Retry ${run}`, text: 'Hello' };
		const error = await rejectionOf<ResponseErrorLike>(mail.send(message));
		expect(error.code).toBe(429);
		expect(error.response.body).toEqual({ errors: [{ field: null, message: 'too many requests' }] });
		expect(error.response.headers['x-ratelimit-remaining']).toBe('0');
		expect(Number(error.response.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);

		const [response] = await mail.send(message);
		expect(response.statusCode).toBe(202);
		expect(await standin<any>('sendgrid', `/__standin/messages?to=${encodeURIComponent(address('retry'))}`)).toHaveLength(1);
	});

	it('validates but keeps nothing in sandbox mode', async () => {
		const { mail } = mailer();
		const [response] = await mail.send({
			to: address('sandbox'),
			from: env.senderEmail,
			subject: 'Sandbox',
			text: 'Hello',
			mailSettings: { sandboxMode: { enable: true } },
		});
		expect(response.statusCode).toBe(200);
		expect(await standin<any>('sendgrid', `/__standin/messages?to=${encodeURIComponent(address('sandbox'))}`)).toEqual([]);
	});
});

import { fakeContext } from '../../../support/fakeContext';
import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';
import { CxTicketTriage } from '../../../../nodes/CxTicketTriage/CxTicketTriage.node';
import {
	TOPIC_LIMIT,
	acknowledgementSubject,
	acknowledgementSubstitutions,
	promiseSentence,
	promiseWindow,
	renderAcknowledgement,
	renderAcknowledgementEmail,
	type AcknowledgementFacts,
} from '../../../../nodes/CxTicketTriage/acknowledgementEmail';
import { isDefiniteRefusal, refusesOnlyThisMessage } from '../../../../nodes/shared/services/sendgrid';

const hostile = '<script>alert("x")</script> & "quotes"';
const facts = (overrides: Partial<AcknowledgementFacts> = {}): AcknowledgementFacts => ({
	ticketId: 'T-1001',
	subject: 'Frame arrived cracked',
	firstName: 'Robin',
	firstResponseDueAt: '2026-11-20T10:15:00.000Z',
	firstResponseMinutes: 60,
	clock: 'calendar',
	...overrides,
});

describe('the SLA promise', () => {
	it.each([
		[0.5, 'calendar', '30 seconds'],
		[1, 'calendar', '1 minute'],
		[30, 'calendar', '30 minutes'],
		[60, 'calendar', '1 hour'],
		[120, 'calendar', '2 hours'],
		[150, 'calendar', '2 hours 30 minutes'],
		[240, 'business_hours', '4 business hours'],
		[30, 'business_hours', '30 business minutes'],
	] as const)('%s minutes on the %s clock read "%s"', (minutes, clock, text) => {
		expect(promiseWindow(minutes, clock)).toBe(text);
	});

	it('states the due time in the store\'s time zone and the window from the customer\'s message', () => {
		expect(promiseSentence(facts(), { timeZone: 'Europe/Berlin' })).toBe('A member of our team will reply by Fri, Nov 20, 2026, 11:15 (Europe/Berlin), within 1 hour of your message.');
		expect(promiseSentence(facts({ firstResponseMinutes: 30 }), { timeZone: 'Mars/Olympus' })).toBe('A member of our team will reply by Fri, Nov 20, 2026, 10:15 (UTC), within 30 minutes of your message.');
	});
});

describe('the acknowledgement email', () => {
	it('tells the customer the ticket number and the promised reply time, in both parts', () => {
		const email = renderAcknowledgement(facts(), { storeName: 'Example Store', timeZone: 'UTC' });
		expect(email.subject).toBe('Re: Frame arrived cracked [ticket T-1001]');
		expect(email.text).toBe(
			'Hi Robin,\n\nThank you for contacting Example Store. We have received your message "Frame arrived cracked" (ticket T-1001).\n\n' +
				'A member of our team will reply by Fri, Nov 20, 2026, 10:15 (UTC), within 1 hour of your message.\n\n' +
				'If you write to us again about this, please mention ticket T-1001.\n\nExample Store\n',
		);
		expect(email.html).toContain('<strong>A member of our team will reply by Fri, Nov 20, 2026, 10:15 (UTC), within 1 hour of your message.</strong>');
		expect(email.html).toContain('We have received your message &quot;Frame arrived cracked&quot; (ticket T-1001).');
		// every tag is filled
		expect(email.html).not.toContain('{{');
		expect(email.text).not.toContain('{{');
	});

	it('escapes customer text in the HTML and keeps it as written in the plain text', () => {
		const email = renderAcknowledgement(facts({ subject: hostile, firstName: '<b>Ro</b>', ticketId: 'T-<i>7</i>' }), { storeName: 'Shop & <Co>' });
		expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
		expect(email.html).toContain('Hi &lt;b&gt;Ro&lt;/b&gt;,');
		expect(email.html).toContain('(ticket T-&lt;i&gt;7&lt;/i&gt;)');
		expect(email.html).toContain('Thank you for contacting Shop &amp; &lt;Co&gt;.');
		expect(email.html).not.toMatch(/<script|<b>|<i>|<Co>/);
		expect(email.text).toContain(`We have received your message "${hostile}" (ticket T-<i>7</i>).`);
		expect(email.text).toContain('Hi <b>Ro</b>,');
	});

	it('keeps the subject on one line and short: a subject with a line break injects no header', () => {
		const subject = acknowledgementSubject(facts({ subject: `Help\r\nBcc: someone@example.test ${'word '.repeat(80)}` }));
		expect(subject).not.toMatch(/[\r\n]/);
		expect(subject.startsWith('Re: Help Bcc: someone@example.test word')).toBe(true);
		expect(Array.from(subject).length).toBeLessThanOrEqual(TOPIC_LIMIT + ' [ticket T-1001]'.length + 'Re: '.length + 1);
		expect(acknowledgementSubject(facts({ subject: '' }))).toBe('We received your message [ticket T-1001]');
	});

	it('does not let customer text fill in a tag of the email', () => {
		const values = acknowledgementSubstitutions(facts({ subject: 'see {{cx_ack_due}} and {{cx_ack_ticket_html}}' }));
		expect(Object.values(values).join(' ')).not.toMatch(/\{\{cx_ack_/);
		const email = renderAcknowledgement(facts({ subject: '{{cx_ack_due}}' }));
		expect(email.text).toContain('We have received your message "{ {cx_ack_due} }"');
	});

	it('greets without a name when none is known, and names no store when none is set', () => {
		const email = renderAcknowledgement(facts({ firstName: undefined }));
		expect(email.text.startsWith('Hi,\n\nThank you for contacting us.')).toBe(true);
		expect(email.html).toContain('Hi,');
	});

	it('is one body for every ticket of a run: what differs is in the substitutions, escaped for HTML and plain for text', () => {
		const body = renderAcknowledgementEmail({ storeName: 'Example Store' });
		expect(body.html).toContain('{{cx_ack_topic_html}}');
		expect(body.html).toContain('{{cx_ack_due_html}}');
		expect(body.html).not.toContain('{{cx_ack_topic}}');
		expect(body.text).toContain('{{cx_ack_topic}}');
		const values = acknowledgementSubstitutions(facts({ subject: 'a < b' }));
		expect(values.cx_ack_topic).toBe(' "a < b"');
		expect(values.cx_ack_topic_html).toBe(' &quot;a &lt; b&quot;');
	});
});

describe('which SendGrid failures give the claim back', () => {
	const failure = (httpCode?: string) => new NodeApiError({ name: 'n', type: 't', typeVersion: 1, position: [0, 0], parameters: {} } as never, { message: 'x' }, { message: 'x', ...(httpCode ? { httpCode } : {}) });
	it.each([
		['400', true, true],
		['413', true, true],
		['401', true, false],
		['429', true, false],
		['503', true, false],
		['500', false, false],
		[undefined, false, false],
	])('HTTP %s: definite %s, only this message %s', (code, definite, onlyThis) => {
		expect(isDefiniteRefusal(failure(code))).toBe(definite);
		expect(refusesOnlyThisMessage(failure(code))).toBe(onlyThis);
	});
});

describe('CX Ticket Triage with Acknowledge Customer', () => {
	const run = (parameters: IDataObject) =>
		new CxTicketTriage().execute.call(
			fakeContext({ node: 'CX Ticket Triage', items: [{ id: 'T-1', body: 'Where is my order?', channel: 'email', customer_email: 'robin@example-store.test' }], parameters }),
		);

	it('needs Store in Supabase: the ticket row keeps the once-per-ticket claim', async () => {
		const failure = run({ acknowledgeCustomer: true });
		await expect(failure).rejects.toThrow(NodeOperationError);
		await expect(failure).rejects.toThrow('Acknowledge Customer needs Store in Supabase');
	});

	it('refuses a time zone that is not one, naming the option', async () => {
		await expect(run({ acknowledgeCustomer: true, storeInSupabase: true, acknowledgementOptions: { timeZone: 'Mars/Olympus' } })).rejects.toThrow(
			'Option "Time Zone for Emails" is "Mars/Olympus", not an IANA time zone',
		);
	});

	it('shows the SendGrid credential only when the option is on', () => {
		const { credentials, properties } = new CxTicketTriage().description;
		expect(credentials).toContainEqual({ name: 'cxSendGridApi', required: true, displayOptions: { show: { acknowledgeCustomer: [true] } } });
		expect(properties.find((property) => property.name === 'acknowledgeCustomer')).toMatchObject({ type: 'boolean', default: false });
	});
});

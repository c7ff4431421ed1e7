import {
	describeReason,
	LEVEL_NAMES,
	renderEscalationEmail,
	type EscalationEmailInput,
} from '../../../../nodes/CxVipEscalation/escalationEmail';
import { excerpt } from '../../../../nodes/shared/email/text';
import { moneyFromDecimal } from '../../../../nodes/shared/money';

const usd = (amount: string) => moneyFromDecimal(amount, 'USD');
const ADMIN = 'https://admin.shopify.com/store/example-store';

const email = (overrides: Partial<EscalationEmailInput> = {}): EscalationEmailInput => ({
	level: 1,
	reasons: ['tier_vip', 'priority_urgent'],
	summary: 'Urgent priority damaged from a vip customer on email, sentiment negative.',
	priority: 'urgent',
	tier: 'vip',
	ticket: {
		id: 'T-1042',
		subject: 'Cracked frame on my ocean print',
		body: 'The print arrived damaged, the glass is cracked.\nPlease send a replacement.',
		channel: 'email',
		createdAt: '2026-11-02T09:00:00Z',
	},
	customer: {
		firstName: 'Sam',
		lastName: 'Sample',
		email: 'sam.sample@example-store.test',
		phone: '+1 555 010 0199',
		id: 'gid://shopify/Customer/7001',
		lifetimeSpend: usd('1465.00'),
		orderCount: 6,
		adminUrl: `${ADMIN}/customers/7001`,
	},
	recentOrders: [
		{
			name: '#1042',
			processedAt: '2026-10-20T23:30:00Z',
			total: usd('640.00'),
			fulfillmentStatus: 'PARTIALLY_FULFILLED',
			adminUrl: `${ADMIN}/orders/5001`,
		},
		{ name: '#1017', processedAt: '2026-06-01T12:00:00Z', total: usd('825.00'), fulfillmentStatus: 'FULFILLED' },
	],
	order: { name: '#1042', adminUrl: `${ADMIN}/orders/5001`, value: usd('640.00') },
	sla: { firstResponseDueAt: '2026-11-02T09:30:00Z', resolutionDueAt: '2026-11-03T09:00:00Z' },
	redactPersonalData: false,
	storeName: 'Example Store',
	timeZone: 'UTC',
	...overrides,
});

describe('subject', () => {
	it.each([1, 2, 3] as const)('names level %i, priority and tier, and the first name', (level) => {
		const { subject } = renderEscalationEmail(email({ level }));
		expect(subject).toBe(`[Escalation L${level} · URGENT · VIP] Cracked frame on my ocean print (Sam)`);
	});

	it('says SLA breach for the breach sweep', () => {
		const { subject } = renderEscalationEmail(
			email({ level: 2, priority: 'high', tier: 'premium', breach: { kind: 'first_response', dueAt: '2026-11-02T09:30:00Z' } }),
		);
		expect(subject).toBe('[Escalation L2 · HIGH · PREMIUM] SLA breach: Cracked frame on my ocean print (Sam)');
	});

	it('leaves the name out when no first name is known', () => {
		const { subject } = renderEscalationEmail(email({ customer: { email: 'kim@example-store.test' } }));
		expect(subject).toBe('[Escalation L1 · URGENT · VIP] Cracked frame on my ocean print');
	});

	it('cuts the ticket subject to 80 characters', () => {
		const long = 'word '.repeat(40).trim();
		const { subject } = renderEscalationEmail(email({ ticket: { id: 'T-1', subject: long, body: '' } }));
		const ticketSubject = subject.replace('[Escalation L1 · URGENT · VIP] ', '').replace(' (Sam)', '');
		expect(Array.from(ticketSubject)).toHaveLength(80);
		expect(ticketSubject.endsWith('…')).toBe(true);
	});

	it('strips CR/LF so no header can be injected', () => {
		const { subject } = renderEscalationEmail(
			email({
				ticket: { id: 'T-1', subject: 'Help\r\nBcc: everyone@example-store.test\r\n\r\nbody', body: '' },
				customer: { firstName: 'Sam\nX-Priority: 1' },
			}),
		);
		expect(subject).not.toMatch(/[\r\n]/);
		expect(subject).toBe('[Escalation L1 · URGENT · VIP] Help Bcc: everyone@example-store.test body (Sam X-Priority: 1)');
	});
});

describe('escaping', () => {
	const hostile = email({
		ticket: {
			id: 'T-<b>1</b>',
			subject: 'Broken <img src=x onerror=alert(1)> frame',
			body: 'Hello <script>alert(1)</script> I said "quotes" & more',
			channel: 'email',
		},
		customer: { firstName: '<i>Sam</i>', lastName: "O'Brien", email: 'sam@example-store.test' },
		storeName: 'Prints & <Posters>',
		summary: 'A "summary" with <b>tags</b>',
		reasons: ['tier_vip', '<script>x</script>'],
		recentOrders: [{ name: '#1042 <u>', fulfillmentStatus: '<em>FULFILLED</em>', adminUrl: 'https://admin.example-store.test/o?a=1&b="2"' }],
	});

	it('escapes every outside text in the HTML body', () => {
		const { html } = renderEscalationEmail(hostile);
		expect(html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt; I said &quot;quotes&quot; &amp; more');
		expect(html).toContain('Broken &lt;img src=x onerror=alert(1)&gt; frame');
		expect(html).toContain('&lt;i&gt;Sam&lt;/i&gt; O&#39;Brien');
		expect(html).toContain('Prints &amp; &lt;Posters&gt;');
		expect(html).toContain('A &quot;summary&quot; with &lt;b&gt;tags&lt;/b&gt;');
		expect(html).toContain('T-&lt;b&gt;1&lt;/b&gt;');
		expect(html).toContain('#1042 &lt;u&gt;');
		expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
		expect(html).toContain('href="https://admin.example-store.test/o?a=1&amp;b=%222%22"');
		expect(html).not.toMatch(/<script/i);
		expect(html).not.toMatch(/<img/i);
		expect(html).not.toContain('<i>');
		expect(html).not.toContain('<b>');
		expect(html).not.toContain('<u>');
		expect(html).not.toContain('<em>');
	});

	it('keeps the subject as plain text, escaped only inside the HTML title', () => {
		const { subject, html } = renderEscalationEmail(hostile);
		expect(subject).toContain('Broken <img src=x onerror=alert(1)> frame');
		expect(html).toContain('<title>[Escalation L1 · URGENT · VIP] Broken &lt;img src=x onerror=alert(1)&gt; frame');
	});

	it('uses only tables and inline styles: no script, stylesheet or image', () => {
		const { html } = renderEscalationEmail(email());
		expect(html).not.toMatch(/<(script|style|link|img|div)\b/i);
		expect(html).toContain('<table role="presentation"');
	});

	it('makes links only of http(s) addresses', () => {
		const { html, text } = renderEscalationEmail(
			email({
				order: { name: '#1042', adminUrl: 'javascript:alert(document.cookie)' },
				recentOrders: [
					{ name: '#1041', adminUrl: ' JavaScript:alert(1)' },
					{ name: '#1040', adminUrl: 'data:text/html,<script>alert(1)</script>' },
					{ name: '#1039', adminUrl: `${ADMIN}/orders/5039` },
				],
			}),
		);
		expect(html).not.toMatch(/href="\s*javascript/i);
		expect(html).not.toMatch(/href="data:/i);
		expect(html).toContain('Open order in Shopify admin (javascript:alert(document.cookie))');
		expect(html).toContain('#1041 (JavaScript:alert(1))');
		expect(html).toContain('data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).toContain(`<a href="${ADMIN}/orders/5039" style="color:#1d4ed8;text-decoration:underline;">#1039</a>`);
		const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
		expect(hrefs.every((href) => href.startsWith('https://'))).toBe(true);
		expect(text).toContain(`- #1039 · ${ADMIN}/orders/5039`);
		expect(text).toContain('Shopify admin: javascript:alert(document.cookie)');
	});
});

describe('content', () => {
	it('says who the email is for', () => {
		expect(LEVEL_NAMES).toEqual({ 1: 'team lead', 2: 'director', 3: 'executive' });
		expect(renderEscalationEmail(email({ level: 3 })).html).toContain('For the executive');
		expect(renderEscalationEmail(email({ level: 2 })).text).toContain('Escalation for the director at Example Store');
	});

	it.each([
		['tier_vip', 'VIP customer'],
		['tier_premium', 'premium customer'],
		['priority_urgent', 'urgent priority'],
		['priority_high', 'high priority'],
		['threatening_language', 'threatening language'],
		['threatening_language:chargeback+legal', 'threatening language (chargeback, legal)'],
		['threatening:chargeback+public_review', 'threatening language (chargeback, public review)'],
		['order_value_over_500', 'order value over 500'],
		['sla_breach:first_response', 'first response overdue'],
		['sla_breach:resolution', 'resolution overdue'],
		['repeat_contact', 'repeat contact'],
		['negative_sentiment:very_angry', 'negative sentiment (very angry)'],
	])('reason %s reads "%s"', (code, phrase) => {
		expect(describeReason(code)).toBe(phrase);
	});

	it('lists the reasons and the summary in both bodies', () => {
		const { html, text } = renderEscalationEmail(
			email({ reasons: ['tier_vip', 'threatening_language:chargeback+legal', 'order_value_over_500'] }),
		);
		expect(html).toContain('<li style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#18181b;">VIP customer</li>');
		expect(html).toContain('threatening language (chargeback, legal)</li>');
		expect(html).toContain('order value over 500</li>');
		expect(html).toContain('Urgent priority damaged from a vip customer on email, sentiment negative.');
		expect(text).toContain('- VIP customer\n- threatening language (chargeback, legal)\n- order value over 500\n');
		expect(text).toContain('Urgent priority damaged from a vip customer on email, sentiment negative.');
	});

	it('keeps line breaks of the body as <br>', () => {
		const { html, text } = renderEscalationEmail(email());
		expect(html).toContain('the glass is cracked.<br>Please send a replacement.');
		expect(text).toContain('> The print arrived damaged, the glass is cracked.\n> Please send a replacement.');
	});

	it('cuts the body to 1000 characters at a word boundary with an ellipsis', () => {
		const body = 'frame '.repeat(300);
		const { text } = renderEscalationEmail(email({ ticket: { id: 'T-1', subject: 'Long', body } }));
		const quoted = text.split('\n').find((line) => line.startsWith('> frame'));
		expect(quoted).toBeDefined();
		const shown = (quoted as string).slice(2);
		expect(shown.endsWith('frame…')).toBe(true);
		expect(Array.from(shown).length).toBeLessThanOrEqual(1001);
		expect(Array.from(shown).length).toBeGreaterThan(990);

		const cut = excerpt('a'.repeat(995) + ' abcdefghij', 1000);
		expect(cut).toBe('a'.repeat(995) + '…');
		expect(excerpt('short body', 1000)).toBe('short body');
		expect(excerpt('x'.repeat(1500), 1000)).toBe('x'.repeat(1000) + '…');
	});

	it('shows the customer, lifetime value and order count', () => {
		const { html, text } = renderEscalationEmail(email());
		for (const body of [html, text]) {
			expect(body).toContain('Sam Sample');
			expect(body).toContain('sam.sample@example-store.test');
			expect(body).toContain('+1 555 010 0199');
			expect(body).toContain('gid://shopify/Customer/7001');
			expect(body).toContain('$1,465.00');
		}
		expect(text).toContain('Lifetime value: $1,465.00\nOrder count: 6\nShopify admin: https://admin.shopify.com/store/example-store/customers/7001\n');
		expect(html).toContain(`<a href="${ADMIN}/customers/7001"`);
	});

	it('lists up to 5 recent orders with link, date, total and fulfillment', () => {
		const orders = Array.from({ length: 7 }, (_, index) => ({
			name: `#10${50 - index}`,
			processedAt: '2026-10-20T23:30:00Z',
			total: usd('100.00'),
			fulfillmentStatus: 'UNFULFILLED',
		}));
		const { text } = renderEscalationEmail(email({ recentOrders: orders }));
		expect(text).toContain('- #1046 · Oct 20, 2026 · $100.00 · unfulfilled');
		expect(text).not.toContain('#1045');

		const { html } = renderEscalationEmail(email({ timeZone: 'Asia/Tokyo' }));
		expect(html).toContain(`<a href="${ADMIN}/orders/5001" style="color:#1d4ed8;text-decoration:underline;">#1042</a>`);
		// 23:30 UTC on Oct 20 is already Oct 21 in Tokyo
		expect(html).toContain('Oct 21, 2026');
		expect(html).toContain('$640.00');
		expect(html).toContain('partially fulfilled');
	});

	it('links the order in question to the Shopify admin', () => {
		const { html, text } = renderEscalationEmail(email());
		expect(html).toContain(`<a href="${ADMIN}/orders/5001" style="color:#1d4ed8;text-decoration:underline;">Open order in Shopify admin</a>`);
		expect(text).toContain('Order in question\nOrder: #1042\nOrder value: $640.00\n');
		expect(text).toContain(`Order value: $640.00\nShopify admin: ${ADMIN}/orders/5001\n`);
	});

	it('shows SLA times in the given time zone', () => {
		const { html, text } = renderEscalationEmail(email({ timeZone: 'America/New_York' }));
		expect(text).toContain('First response due: Mon, Nov 2, 2026, 04:30 (America/New_York)');
		expect(text).toContain('Resolution due: Tue, Nov 3, 2026, 04:00 (America/New_York)');
		expect(text).toContain('Received: Mon, Nov 2, 2026, 04:00 (America/New_York)');
		expect(html).toContain('Mon, Nov 2, 2026, 04:30 (America/New_York)');
		expect(text).toContain('Times are shown in America/New_York.');

		const berlin = renderEscalationEmail(email({ timeZone: 'Europe/Berlin' })).text;
		expect(berlin).toContain('First response due: Mon, Nov 2, 2026, 10:30 (Europe/Berlin)');
	});

	it('defaults to UTC and falls back to it for an unknown zone', () => {
		const { text } = renderEscalationEmail(email({ timeZone: undefined }));
		expect(text).toContain('First response due: Mon, Nov 2, 2026, 09:30 (UTC)');
		expect(renderEscalationEmail(email({ timeZone: 'Mars/Olympus' })).text).toContain('09:30 (UTC)');
	});

	it('says which target a breach missed and when it was due', () => {
		const { html, text } = renderEscalationEmail(
			email({ reasons: ['tier_vip'], breach: { kind: 'resolution', dueAt: '2026-11-03T09:00:00Z' } }),
		);
		expect(text).toContain('SLA breach: resolution target missed, was due Tue, Nov 3, 2026, 09:00 (UTC)');
		expect(text).toContain('Missed target: resolution (due Tue, Nov 3, 2026, 09:00 (UTC))');
		expect(text).toContain('- resolution overdue');
		expect(html).toContain('SLA breach: resolution target missed');
	});

	it('shows an unknown currency rather than failing', () => {
		const { text } = renderEscalationEmail(email({ order: { name: '#1', value: { cents: 1250, currency: 'XXQ' } } }));
		expect(text).toContain('Order value: 12.50 XXQ');
	});

	it('is deterministic', () => {
		expect(renderEscalationEmail(email())).toEqual(renderEscalationEmail(email()));
	});
});

describe('redaction', () => {
	const redacted = email({
		redactPersonalData: true,
		ticket: {
			id: 'T-1042',
			subject: 'Call me at 555-010-0199 or sam.sample@example-store.test',
			body:
				'Hi, this is Sam Sample. Reach me on +1 (555) 010-0199, 0049 30 1234567 or sam.work@example-store.test.\n' +
				'Order #1042 placed 2026-10-20 for $640.00.\nSam Sample',
			channel: 'email',
		},
		summary: 'Customer sam.sample@example-store.test is angry.',
	});

	it('removes last name, email, phone and customer id everywhere', () => {
		const { subject, html, text } = renderEscalationEmail(redacted);
		for (const part of [subject, html, text]) {
			expect(part).not.toContain('Sample');
			expect(part).not.toContain('sam.sample@example-store.test');
			expect(part).not.toContain('sam.work@example-store.test');
			expect(part).not.toMatch(/555/);
			expect(part).not.toContain('7001');
			expect(part).not.toContain('Customer/');
		}
		expect(subject).toBe('[Escalation L1 · URGENT · VIP] Call me at [redacted] or [redacted] (Sam)');
		expect(text).toContain('Name: Sam\n');
		expect(text).toContain('Personal data beyond the first name is left out.');
		expect(text).not.toMatch(/^Email:|^Phone:|^Customer id:/m);
	});

	it('masks emails and phone numbers inside the body but keeps the issue', () => {
		const { html, text } = renderEscalationEmail(redacted);
		expect(text).toContain('> Hi, this is Sam [redacted]. Reach me on [redacted], [redacted] or [redacted].');
		expect(text).toContain('> Order #1042 placed 2026-10-20 for $640.00.');
		expect(html).toContain('Order #1042 placed 2026-10-20 for $640.00.');
		expect(text).toContain('Customer [redacted] is angry.');
		expect(text).toContain('$1,465.00');
	});

	it('stays fast on a huge hostile body', () => {
		const body = 'a.'.repeat(60_000) + '('.repeat(60_000) + '1 '.repeat(60_000);
		const started = Date.now();
		const { text } = renderEscalationEmail({ ...redacted, ticket: { id: 'T-1', subject: 'x', body } });
		expect(Date.now() - started).toBeLessThan(2000);
		expect(text).toContain('…');
	});

	it('does not mask what is not personal when redaction is off', () => {
		const { text } = renderEscalationEmail({ ...redacted, redactPersonalData: false });
		expect(text).toContain('Reach me on +1 (555) 010-0199');
		expect(text).toContain('Email: sam.sample@example-store.test');
	});
});

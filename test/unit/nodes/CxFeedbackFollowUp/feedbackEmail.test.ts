import { EMAIL_SUMMARY_LIMIT, renderOverdueEmail, renderReminderEmail, type FeedbackLine } from '../../../../nodes/CxFeedbackFollowUp/feedbackEmail';

const hostile = '<script>alert("x")</script> & "quotes" <img src=x onerror=alert(1)>';
const lines: FeedbackLine[] = [
	{ source: 'ticket', sourceId: 'T-7<b>', customerId: 'c-<i>2</i>', summary: 'Later one', owner: 'ana@example-store.test', dueAt: '2026-12-05T10:00:00Z', daysLeft: 6 },
	{ source: 'survey', sourceId: '5f0c', customerId: 'gid://shopify/Customer/7', summary: hostile, owner: 'ana@example-store.test', dueAt: '2026-12-01T10:00:00Z', daysLeft: 2 },
];

describe('the reminder email', () => {
	const email = renderReminderEmail({ items: lines, remindDaysBefore: 7, storeName: 'Example Store', timeZone: 'UTC' });

	it('escapes customer text in the HTML and keeps it as written in the plain text', () => {
		expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot; &lt;img src=x onerror=alert(1)&gt;');
		expect(email.html).not.toMatch(/<script|<img|<b>|<i>/);
		expect(email.html).toContain('Ticket T-7&lt;b&gt;');
		expect(email.html).toContain('c-&lt;i&gt;2&lt;/i&gt;');
		expect(email.text).toContain(hostile);
	});

	it('lists every item of the owner, the earliest due first, with days left; the subject names the count and the first date', () => {
		expect(email.subject).toBe('[Example Store] Feedback to follow up: 2 feedback items due soon, the first on Dec 1, 2026');
		expect(email.text.indexOf('Dec 1, 2026')).toBeLessThan(email.text.indexOf('Dec 5, 2026'));
		expect(email.text).toContain('2 feedback items you own are due within 7 days.');
		expect(email.text).toMatch(/- Due: Dec 1, 2026\n {2}Days left: 2\n {2}Feedback: <script>/);
		expect(email.text).toContain('Source: Survey comment\n');
		expect(email.text).toContain('Source: Ticket T-7<b>');
		expect(email.html).toContain('<th align="left"');
	});

	it('says "due today" on the due date and names the items without an owner as such', () => {
		const today = renderReminderEmail({ items: [{ ...lines[0], daysLeft: 0 }], remindDaysBefore: 7, unowned: true });
		expect(today.text).toContain('Days left: due today');
		expect(today.subject).toBe('Feedback without an owner: 1 feedback item due soon, the first on Dec 5, 2026');
		expect(today.text).toContain('1 feedback item due within 7 days has no owner with an email address.');
	});

	it('keeps the subject on one line: a store name with a line break injects no header', () => {
		const email = renderReminderEmail({ items: lines, remindDaysBefore: 7, storeName: 'Shop\r\nBcc: someone@example.test' });
		expect(email.subject).not.toMatch(/[\r\n]/);
	});

	it('shows a long summary cut, and dates in the time zone asked for (UTC when it is not one)', () => {
		const long = renderReminderEmail({ items: [{ ...lines[0], summary: 'word '.repeat(200), dueAt: '2026-12-01T23:30:00Z' }], remindDaysBefore: 7, timeZone: 'Pacific/Auckland' });
		const shown = /Feedback: (.*)\n/.exec(long.text)![1];
		expect(Array.from(shown).length).toBeLessThanOrEqual(EMAIL_SUMMARY_LIMIT + 1);
		expect(shown.endsWith('…')).toBe(true);
		expect(long.text).toContain('Due: Dec 2, 2026');
		expect(long.text).toContain('Dates are shown in Pacific/Auckland.');
		expect(renderReminderEmail({ items: lines, remindDaysBefore: 7, timeZone: 'Mars/Olympus' }).text).toContain('Dates are shown in UTC.');
	});
});

describe('the escalation email', () => {
	const overdue: FeedbackLine[] = [
		{ ...lines[0], owner: 'ben@example-store.test', daysLeft: undefined, daysOverdue: 2 },
		{ ...lines[1], daysLeft: undefined, daysOverdue: 9 },
		{ source: 'review', sourceId: 'r-1', summary: 'No owner here', dueAt: '2026-11-20T10:00:00Z', daysOverdue: 5 },
	];
	const email = renderOverdueEmail({ items: overdue, timeZone: 'UTC' });

	it('lists every overdue item, the latest first, with its owner and days overdue', () => {
		expect(email.subject).toBe('Overdue feedback: 3 feedback items past due, up to 9 days late');
		const order = ['Days overdue: 9', 'Days overdue: 5', 'Days overdue: 2'].map((text) => email.text.indexOf(text));
		expect(order).toEqual([...order].sort((a, b) => a - b));
		expect(order[0]).toBeGreaterThan(-1);
		expect(email.text).toContain('Owner: ana@example-store.test');
		expect(email.text).toContain('Owner: ben@example-store.test');
		expect(email.text).toContain('Owner: no owner');
		expect(email.text).toContain('Source: review r-1');
	});

	it('escapes customer text in the HTML', () => {
		expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
		expect(email.html).not.toMatch(/<script|<img/);
		expect(email.text).toContain(hostile);
	});

	it('speaks of one item in the singular', () => {
		expect(renderOverdueEmail({ items: [overdue[2]] }).subject).toBe('Overdue feedback: 1 feedback item past due, up to 5 days late');
		expect(renderOverdueEmail({ items: [{ ...overdue[2], daysOverdue: 1 }] }).subject).toBe('Overdue feedback: 1 feedback item past due, up to 1 day late');
	});
});

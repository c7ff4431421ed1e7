import { inertSubstitutions, mailBatches, mailboxName } from '../../../../nodes/shared/services/sendgrid';

describe('SendGrid substitutions', () => {
	it('break up a substitution tag in a value, so SendGrid cannot replace it again; other text is kept as given', () => {
		expect(inertSubstitutions({ cx_first_name: ' Ana {{cx_first_name}} }} {{', cx_first_name_html: ' Ana &lt;b&gt;', cx_link: 'https://shop.example.test/x?a={b}' })).toEqual({
			cx_first_name: ' Ana {\u200c{cx_first_name}\u200c} }\u200c} {\u200c{',
			cx_first_name_html: ' Ana &lt;b&gt;',
			cx_link: 'https://shop.example.test/x?a={b}',
		});
	});
});

describe('mail batches', () => {
	it('hold an address at most once per request and at most the size given, in order: a repeat goes to the next request without it', () => {
		const emails = ['a@x.test', 'b@x.test', 'A@x.test', 'c@x.test', 'a@x.test', 'd@x.test', 'e@x.test'];
		expect(mailBatches(emails, (email) => email, 3)).toEqual([
			['a@x.test', 'b@x.test', 'c@x.test'],
			['A@x.test', 'd@x.test', 'e@x.test'],
			['a@x.test'],
		]);
		expect(mailBatches(Array.from({ length: 2500 }, (_, n) => `c${n}@x.test`), (email) => email).map((batch) => batch.length)).toEqual([1000, 1000, 500]);
	});
});

describe('mailbox names', () => {
	it.each([
		['Jo', 'Jo'],
		['Smith, Jo', '"Smith, Jo"'],
		['Paper; Pine', '"Paper; Pine"'],
		['Ann; "Annie" Lee', '"Ann; \\"Annie\\" Lee"'],
		['back\\slash, x', '"back\\\\slash, x"'],
		['O"Neil', 'O"Neil'],
		['Maya\r\nRossi', 'Maya Rossi'],
		['  Zoë  ', 'Zoë'],
	])('%j is sent as %j', (name, sent) => expect(mailboxName(name)).toBe(sent));

	it.each([[''], ['   '], ['\n'], [undefined]])('%j is left out', (name) => expect(mailboxName(name)).toBeUndefined());
});

import { inertSubstitutions } from '../../../../nodes/shared/services/sendgrid';

describe('SendGrid substitutions', () => {
	it('break up a substitution tag in a value, so SendGrid cannot replace it again; other text is kept as given', () => {
		expect(inertSubstitutions({ cx_first_name: ' Ana {{cx_first_name}} }} {{', cx_first_name_html: ' Ana &lt;b&gt;', cx_link: 'https://shop.example.test/x?a={b}' })).toEqual({
			cx_first_name: ' Ana {\u200c{cx_first_name}\u200c} }\u200c} {\u200c{',
			cx_first_name_html: ' Ana &lt;b&gt;',
			cx_link: 'https://shop.example.test/x?a={b}',
		});
	});
});

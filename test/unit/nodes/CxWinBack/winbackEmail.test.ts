import { SEGMENTS } from '../../../../nodes/shared/policy';
import { renderWinBackEmail, shopLink, winBackSubstitutions, winBackTemplateData } from '../../../../nodes/CxWinBack/winbackEmail';

const UNSUBSCRIBE = '<%asm_group_unsubscribe_raw_url%>';

/** What SendGrid does with a body and one customer's substitutions. */
const fill = (body: string, substitutions: Record<string, string>) => body.replace(/\{\{(\w+)\}\}/g, (tag: string, key: string) => substitutions[key] ?? tag);

describe('winBackSubstitutions', () => {
	const hostile = { firstName: '<script>alert("x")</script> & Co', segment: 'at_risk' as const, offerPercent: 15, discountCode: 'WB-ABCDEFGHJK', storeUrl: 'https://example-store.test/shops/tom&jerry' };

	it('escapes the customer\'s name and the link for the HTML part and keeps them plain for the text part', () => {
		const values = winBackSubstitutions(hostile);
		expect(values).toEqual({
			cx_first_name: ' <script>alert("x")</script> & Co',
			cx_first_name_html: ' &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co',
			cx_discount_code: 'WB-ABCDEFGHJK',
			cx_discount_code_html: 'WB-ABCDEFGHJK',
			cx_shop_link: 'https://example-store.test/shops/tom&jerry/discount/WB-ABCDEFGHJK',
			cx_shop_link_html: 'https://example-store.test/shops/tom&amp;jerry/discount/WB-ABCDEFGHJK',
		});
	});

	it('puts no customer markup into the filled HTML, and the name as written into the text', () => {
		const body = renderWinBackEmail('at_risk', 15, { storeUrl: hostile.storeUrl });
		const values = winBackSubstitutions(hostile);
		const html = fill(body.html, values);
		expect(html).not.toContain('<script');
		expect(html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co,');
		expect(html).toContain('href="https://example-store.test/shops/tom&amp;jerry/discount/WB-ABCDEFGHJK"');
		expect(fill(body.text, values)).toContain('Hi <script>alert("x")</script> & Co,');
		expect(fill(body.subject, values)).toBe('We miss you <script>alert("x")</script> & Co: 15% off your next order');
	});

	it('leaves the greeting without a name when there is none', () => {
		const values = winBackSubstitutions({ segment: 'lost', offerPercent: 0 });
		expect(values).toMatchObject({ cx_first_name: '', cx_first_name_html: '', cx_discount_code: '', cx_discount_code_html: '', cx_shop_link: '', cx_shop_link_html: '' });
		expect(fill(renderWinBackEmail('lost', 0, {}).text, values)).toMatch(/^Hi,\n/);
	});
});

describe('shopLink', () => {
	it('is the store URL without trailing slashes, and with a code Shopify\'s /discount/<code> link', () => {
		expect(shopLink({ storeUrl: 'https://shop.example-store.test' })).toBe('https://shop.example-store.test');
		expect(shopLink({ storeUrl: 'https://shop.example-store.test///' })).toBe('https://shop.example-store.test');
		expect(shopLink({ storeUrl: 'https://shop.example-store.test/', discountCode: 'BACK15-ATRISK-20261103' })).toBe('https://shop.example-store.test/discount/BACK15-ATRISK-20261103');
	});

	it('URL-encodes the code', () => {
		expect(shopLink({ storeUrl: 'https://shop.example-store.test', discountCode: 'WELCOME BACK/10%&more' })).toBe('https://shop.example-store.test/discount/WELCOME%20BACK%2F10%25%26more');
	});

	it('is empty without a store URL, code or not', () => {
		expect(shopLink({})).toBe('');
		expect(shopLink({ discountCode: 'WB-ABCDEFGHJK' })).toBe('');
	});
});

describe('renderWinBackEmail', () => {
	const store = { storeName: 'Tom & Jerry <Cheese> Shop', storeUrl: 'https://shop.example-store.test', codeExpiresAt: '2026-12-16T00:00:00.000Z' };

	it('offers the percent with the code and its last day only when there is an offer', () => {
		const offer = renderWinBackEmail('cant_lose', 20, store);
		expect(offer.subject).toBe('We miss you{{cx_first_name}}: 20% off your next order');
		expect(offer.text).toContain('Here is 20% off your next order with the code {{cx_discount_code}}, valid until 2026-12-16. It works once.');
		expect(offer.html).toContain('Here is 20% off your next order with the code <strong>{{cx_discount_code_html}}</strong>, valid until 2026-12-16. It works once.');
		expect(offer.html).toContain('Shop with your code');
		for (const percent of [0, null]) {
			const plain = renderWinBackEmail('cant_lose', percent, store);
			expect(plain.subject).toBe('We miss you{{cx_first_name}}');
			expect(plain.text).not.toMatch(/% off|cx_discount_code|valid until/);
			expect(plain.html).not.toMatch(/% off|cx_discount_code|valid until/);
			expect(plain.html).toContain('Visit the shop');
		}
	});

	it('says when the code ends only when it is known', () => {
		const { text } = renderWinBackEmail('loyal', 10, { storeUrl: store.storeUrl });
		expect(text).toContain('Here is 10% off your next order with the code {{cx_discount_code}}. It works once.');
	});

	it('opens each segment in its own words', () => {
		const openings = SEGMENTS.map((segment) => renderWinBackEmail(segment, 10, store).text.split('\n\n')[1]);
		expect(new Set(openings).size).toBe(SEGMENTS.length);
		expect(renderWinBackEmail('champions', 0, store).text).toContain('You have been one of our best customers');
	});

	it('carries the unsubscribe link of the group in both parts, for every segment and offer', () => {
		for (const segment of SEGMENTS) {
			for (const percent of [0, 15, null]) {
				const { html, text } = renderWinBackEmail(segment, percent, {});
				expect(html).toContain(`href="${UNSUBSCRIBE}"`);
				expect(text).toContain(`Unsubscribe: ${UNSUBSCRIBE}`);
			}
		}
	});

	it('escapes the store name in the HTML and signs the text with it as written', () => {
		const { html, text } = renderWinBackEmail('hibernating', 10, store);
		expect(html).toContain('Tom &amp; Jerry &lt;Cheese&gt; Shop');
		expect(html).not.toContain('<Cheese>');
		expect(text).toContain('\n\nTom & Jerry <Cheese> Shop\n\n');
	});

	it('uses only the escaped substitutions in the HTML and only the plain ones in the text', () => {
		const { html, text } = renderWinBackEmail('at_risk', 15, store);
		expect(html).toContain('{{cx_first_name_html}}');
		expect(html).toContain('href="{{cx_shop_link_html}}"');
		expect(html).toContain('<strong>{{cx_discount_code_html}}</strong>');
		expect(html).not.toMatch(/\{\{cx_first_name\}\}|\{\{cx_shop_link\}\}|\{\{cx_discount_code\}\}/);
		expect(text).toContain('Hi{{cx_first_name}},');
		expect(text).toContain('{{cx_shop_link}}');
		expect(text).not.toMatch(/_html\}\}/);
	});

	it('has no button and no link line without a store URL', () => {
		const { html, text } = renderWinBackEmail('at_risk', 15, {});
		expect(html).not.toContain('cx_shop_link');
		expect(text).not.toContain('cx_shop_link');
	});

	it('has no button and no link line for a store URL that is not a web address, and no link in the substitutions', () => {
		for (const storeUrl of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'shop.example-store.test']) {
			const { html, text } = renderWinBackEmail('at_risk', 15, { storeUrl });
			expect(html).not.toContain('cx_shop_link');
			expect(text).not.toContain('cx_shop_link');
			expect(winBackSubstitutions({ segment: 'at_risk', offerPercent: 15, discountCode: 'WB-ABCDEFGHJK', storeUrl })).toMatchObject({ cx_shop_link: '', cx_shop_link_html: '' });
			expect(winBackTemplateData({ segment: 'at_risk', offerPercent: 15, storeUrl })).toMatchObject({ shop_link: '' });
		}
	});

	it('keeps a discount code that is not letters and digits out of the markup, and a name with a line break out of the subject\'s headers', () => {
		const values = winBackSubstitutions({ firstName: 'Ada\r\nBcc: victim@example-store.test', segment: 'at_risk', offerPercent: 15, discountCode: '"><img src=x onerror=alert(1)>' });
		expect(values.cx_discount_code_html).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
		expect(fill(renderWinBackEmail('at_risk', 15, {}).subject, values)).toBe('We miss you Ada Bcc: victim@example-store.test: 15% off your next order');
	});

	it('does not let a store name call for a customer\'s value', () => {
		const body = renderWinBackEmail('at_risk', 15, { storeName: 'Shop {{cx_first_name}}' });
		const html = fill(body.html, winBackSubstitutions({ firstName: '<script>alert(1)</script>', segment: 'at_risk', offerPercent: 15 }));
		expect(html).toContain('Shop { {cx_first_name} }');
		expect(html).not.toContain('<script');
	});
});

describe('winBackTemplateData', () => {
	it('gives a dynamic template every fact by the names its editor uses', () => {
		expect(winBackTemplateData({
			firstName: 'Sam',
			segment: 'at_risk',
			offerPercent: 15,
			discountCode: 'WB-ABCDEFGHJK',
			codeExpiresAt: '2026-12-16T00:00:00.000Z',
			storeName: 'Example Store',
			storeUrl: 'https://shop.example-store.test/',
		})).toEqual({
			first_name: 'Sam',
			segment: 'at_risk',
			offer_percent: 15,
			discount_code: 'WB-ABCDEFGHJK',
			code_expires_at: '2026-12-16T00:00:00.000Z',
			shop_link: 'https://shop.example-store.test/discount/WB-ABCDEFGHJK',
			store_name: 'Example Store',
		});
	});

	it('fills what is missing with empty text and no offer with 0', () => {
		expect(winBackTemplateData({ segment: 'lost', offerPercent: null })).toEqual({
			first_name: '',
			segment: 'lost',
			offer_percent: 0,
			discount_code: '',
			code_expires_at: '',
			shop_link: '',
			store_name: '',
		});
	});
});

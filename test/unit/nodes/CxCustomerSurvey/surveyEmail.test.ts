import { answerLink, renderAnswerPage, renderSurveyEmail, renderThankYouPage, scoresOf, surveySubstitutions } from '../../../../nodes/CxCustomerSurvey/surveyEmail';

const UNSUBSCRIBE = '<%asm_group_unsubscribe_raw_url%>';
const TOKEN = 'k3m7q2w5x4z6cavazbtdnrsy';
const ANSWER_URL = 'https://n8n.example-store.test/webhook/cx-survey';

/** What SendGrid does with a body and one customer's substitutions. */
const fill = (body: string, substitutions: Record<string, string>) => body.replace(/\{\{(\w+)\}\}/g, (tag: string, key: string) => substitutions[key] ?? tag);
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1].replace(/&amp;/g, '&'));

describe('answerLink', () => {
	it('adds the token and the score to the answer URL', () => {
		expect(answerLink(ANSWER_URL, TOKEN, 4)).toBe(`${ANSWER_URL}?t=${TOKEN}&s=4`);
	});

	it('keeps a query the URL already has', () => {
		expect(answerLink('https://n8n.example-store.test/webhook/cx-survey?store=eu', TOKEN, 0)).toBe(`https://n8n.example-store.test/webhook/cx-survey?store=eu&t=${TOKEN}&s=0`);
	});
});

describe('renderSurveyEmail', () => {
	const facts = { firstName: 'Ada', orderName: '#1014', token: TOKEN };

	it('CSAT: one button per answer 1-5, each linking with this customer\'s token', () => {
		const body = renderSurveyEmail('csat', ANSWER_URL, { storeName: 'Example Store' });
		const html = fill(body.html, surveySubstitutions(facts));
		const links = hrefs(html).filter((href) => href.startsWith(ANSWER_URL));
		expect(links).toEqual([1, 2, 3, 4, 5].map((score) => `${ANSWER_URL}?t=${TOKEN}&s=${score}`));
		expect(html).toContain('How satisfied are you with your order?');
		expect(html).toContain('1 = Very dissatisfied');
		expect(html).toContain('5 = Very satisfied');
		expect(html).toContain('Hi Ada,');
		expect(html).toContain('Your order #1014 has arrived');
		// the buttons are table cells with inline styles, as email clients render them
		expect(html.match(/<td align="center" style="padding:2px"><a href="[^"]+" style="display:block;/g)).toHaveLength(5);
		expect(html).not.toMatch(/class=|<style|<script/);
	});

	it('NPS: eleven buttons 0-10 in one row, naming the store in the question', () => {
		const body = renderSurveyEmail('nps', ANSWER_URL, { storeName: 'Example Store' });
		const html = fill(body.html, surveySubstitutions(facts));
		expect(hrefs(html).filter((href) => href.startsWith(ANSWER_URL))).toEqual(scoresOf('nps').map((score) => `${ANSWER_URL}?t=${TOKEN}&s=${score}`));
		expect(scoresOf('nps')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect(html).toContain('How likely are you to recommend Example Store to a friend or colleague?');
		expect(html.match(/<tr>(<td align="center"[^]*?)<\/tr>/)![1].match(/<td /g)).toHaveLength(11);
		expect(html).toContain('0 = Not at all likely');
		expect(html).toContain('10 = Extremely likely');
	});

	it('carries the unsubscribe link of the message\'s group in both parts', () => {
		const body = renderSurveyEmail('csat', ANSWER_URL, {});
		expect(body.html).toContain(`href="${UNSUBSCRIBE}"`);
		expect(body.text).toContain(`Unsubscribe: ${UNSUBSCRIBE}`);
	});

	it('the text part lists every answer link', () => {
		const text = fill(renderSurveyEmail('csat', ANSWER_URL, {}).text, surveySubstitutions(facts));
		expect(text).toContain(`1 (Very dissatisfied): ${ANSWER_URL}?t=${TOKEN}&s=1`);
		expect(text).toContain(`3: ${ANSWER_URL}?t=${TOKEN}&s=3`);
		expect(text).toContain(`5 (Very satisfied): ${ANSWER_URL}?t=${TOKEN}&s=5`);
		expect(text).toMatch(/^Hi Ada,\n/);
	});

	it('escapes the customer\'s name and order in the HTML part, and keeps them as written in the text and subject', () => {
		const hostile = { firstName: '<script>alert("x")</script> & Co', orderName: '#1<b>', token: TOKEN };
		const body = renderSurveyEmail('csat', ANSWER_URL, { storeName: 'Tom & Jerry\'s <Prints>' });
		const values = surveySubstitutions(hostile);
		const html = fill(body.html, values);
		expect(html).not.toContain('<script');
		expect(html).not.toContain('<b>');
		expect(html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co,');
		expect(html).toContain('Your order #1&lt;b&gt; has arrived');
		expect(html).toContain('Tom &amp; Jerry&#39;s &lt;Prints&gt;');
		expect(fill(body.text, values)).toContain('Hi <script>alert("x")</script> & Co,');
		expect(fill(body.subject, values)).toBe('Thank you for your order #1<b>: how did we do?');
	});

	it('links the answer URL as a URL parser writes it (quotes and angle brackets percent-encoded), escaped for the attribute', () => {
		const html = renderSurveyEmail('csat', 'https://n8n.example-store.test/webhook/cx-survey?a="x"&b=<y>', {}).html;
		expect(html).toContain('href="https://n8n.example-store.test/webhook/cx-survey?a=%22x%22&amp;b=%3Cy%3E&amp;t={{cx_token}}&amp;s=1"');
	});

	it('refuses an answer URL that is not a web address: every answer is a link', () => {
		for (const answerUrl of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'n8n.example-store.test/webhook']) {
			expect(() => renderSurveyEmail('csat', answerUrl, {})).toThrow('The survey answer URL must be a web address (http or https)');
		}
	});

	it('keeps substitution tags in the answer URL or the store name from calling for a customer\'s value', () => {
		const body = renderSurveyEmail('csat', `${ANSWER_URL}?x={{cx_first_name}}`, { storeName: 'Shop {{cx_order}}' });
		const values = surveySubstitutions({ firstName: '"><script>alert(1)</script>', orderName: '<b>#1</b>', token: TOKEN });
		expect(body.html).toContain(`href="${ANSWER_URL}?x=%7B%7Bcx_first_name%7D%7D&amp;t={{cx_token}}&amp;s=1"`);
		expect(fill(body.html, values)).not.toMatch(/<script|<b>/);
		expect(fill(body.text, values)).toContain('Thank you for shopping with Shop { {cx_order} }.');
	});

	it('keeps a ticket subject with a line break out of the subject\'s headers', () => {
		const values = surveySubstitutions({ ticketSubject: 'Broken\r\nBcc: victim@example-store.test', token: TOKEN });
		expect(fill(renderSurveyEmail('csat', ANSWER_URL, { about: 'ticket' }).subject, values)).toBe('Your request "Broken Bcc: victim@example-store.test": how did we do?');
	});

	it('reads well without a name, an order name or a store name', () => {
		const values = surveySubstitutions({ token: TOKEN });
		expect(values).toEqual({ cx_first_name: '', cx_first_name_html: '', cx_order: '', cx_order_html: '', cx_token: TOKEN });
		const body = renderSurveyEmail('nps', ANSWER_URL, {});
		expect(fill(body.html, values)).toContain('Hi,');
		expect(fill(body.html, values)).toContain('recommend us to a friend');
		expect(fill(body.subject, values)).toBe('Thank you for your order: how did we do?');
	});
});

describe('renderThankYouPage', () => {
	it('thanks the customer with the score and offers a comment form that sends the same token and score back', () => {
		const html = renderThankYouPage({ type: 'nps', score: 9, token: TOKEN, commented: false, storeName: 'Example Store' });
		expect(html).toMatch(/^<!doctype html>/);
		expect(html).toContain('<title>Thank you for your answer</title>');
		expect(html).toContain('You gave us 9 out of 10.');
		expect(html).toContain('<form method="post" action=""');
		expect(html).toContain(`<input type="hidden" name="t" value="${TOKEN}">`);
		expect(html).toContain('<input type="hidden" name="s" value="9">');
		expect(html).toContain('name="comment"');
		expect(html).not.toContain('<script');
	});

	it('after a comment: thanks for it, and no form again', () => {
		const html = renderThankYouPage({ type: 'csat', score: 2, token: TOKEN, commented: true });
		expect(html).toContain('Thank you for your comment');
		expect(html).not.toContain('<form');
	});

	it('escapes the store name', () => {
		const html = renderThankYouPage({ type: 'csat', score: 5, token: TOKEN, commented: false, storeName: '<img src=x onerror=alert(1)>' });
		expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
		expect(html).not.toContain('<img');
	});
});

describe('renderAnswerPage: what a link in the survey email opens', () => {
	it('the customer clicked 4: the question with 4 preselected and one button that sends the answer as a form (POST)', () => {
		const html = renderAnswerPage({ type: 'csat', score: 4, token: TOKEN, orderName: '#1014', storeName: 'Example Store' });
		expect(html).toMatch(/^<!doctype html>/);
		expect(html).toContain('<title>Your answer</title>');
		expect(html).toContain('How satisfied are you with your order?');
		expect(html).toContain('<form method="post" action=""');
		expect(html).toContain(`<input type="hidden" name="t" value="${TOKEN}">`);
		expect(html.match(/<input type="radio" name="s" value="\d+"[^>]*>/g)).toEqual([1, 2, 3, 4, 5].map((score) => `<input type="radio" name="s" value="${score}"${score === 4 ? ' checked' : ''} required>`));
		expect(html.match(/<button/g)).toHaveLength(1);
		expect(html).toContain('Send my answer');
		expect(html).not.toContain('<script');
		expect(html).not.toMatch(/method="get"/);
	});

	it('an NPS link for 0 offers 0 to 10 with 0 preselected', () => {
		const html = renderAnswerPage({ type: 'nps', score: 0, token: TOKEN });
		expect(html.match(/name="s" value="(\d+)"/g)).toHaveLength(11);
		expect(html).toContain('<input type="radio" name="s" value="0" checked required>');
		expect(html).toContain('How likely are you to recommend us to a friend or colleague?');
	});

	it('escapes the store name and the order name', () => {
		const html = renderAnswerPage({ type: 'nps', score: 9, token: TOKEN, orderName: '#1<b>x</b>', storeName: '<img src=x onerror=alert(1)>' });
		expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
		expect(html).toContain('Your order #1&lt;b&gt;x&lt;/b&gt;');
		expect(html).not.toContain('<img');
		expect(html).not.toContain('<b>');
	});
});

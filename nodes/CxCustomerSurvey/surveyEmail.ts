/**
 * The built-in survey email, the answer page its links open, and the thank-you page. One email body per question, sent to up to 1000
 * customers per request: what differs per customer (name, order, the token in every answer link) goes in
 * SendGrid substitutions, escaped for the HTML part and plain for the text part. The answer buttons are
 * table cells with inline styles, as email clients render them (no CSS classes, no scripts).
 */
import { letter, UNSUBSCRIBE_LINK } from '../shared/email/layout';
import { escapeHtml, safeLink } from '../shared/email/html';
import { oneLine, untagged } from '../shared/email/text';
import { SURVEY_SCALES, type SurveyType } from './survey';

/** Substitution keys (the SDK wraps them as {{key}}). */
const KEY = { name: 'cx_first_name', nameHtml: 'cx_first_name_html', order: 'cx_order', orderHtml: 'cx_order_html', token: 'cx_token' };
const tag = (key: string) => `{{${key}}}`;

export interface SurveyMailFacts {
	firstName?: string;
	orderName?: string;
	/** For a question after support: the ticket's subject, quoted where the order's name goes. */
	ticketSubject?: string;
	token: string;
}

export interface SurveyStore {
	storeName?: string;
	/** What the question is about: a delivered order (the default) or a solved support ticket. */
	about?: SurveyAbout;
}

/** order: the post-purchase survey; ticket: satisfaction after support (the order slot then holds the ticket's subject). */
export type SurveyAbout = 'order' | 'ticket';

/** The CSAT question after support: about the help, not the order. */
const SUPPORT_QUESTION = 'How satisfied are you with the help you received?';

/** The question as an email or page asks it. */
export function questionOf(type: SurveyType, storeName: string, about: SurveyAbout = 'order'): string {
	return about === 'ticket' && type === 'csat' ? SUPPORT_QUESTION : QUESTION[type](storeName);
}

const QUESTION: Record<SurveyType, (store: string) => string> = {
	csat: () => 'How satisfied are you with your order?',
	nps: (store) => `How likely are you to recommend ${store || 'us'} to a friend or colleague?`,
};

/** The words at the ends of the scale, as the questions are usually shown. */
const ENDS: Record<SurveyType, [string, string]> = {
	csat: ['Very dissatisfied', 'Very satisfied'],
	nps: ['Not at all likely', 'Extremely likely'],
};

/** The link for one answer: the answer webhook's URL with the token and the score. */
export function answerLink(answerUrl: string, token: string, score: number): string {
	const separator = answerUrl.includes('?') ? '&' : '?';
	return `${answerUrl}${separator}t=${token}&s=${score}`;
}

/** The scores a question offers, lowest first. */
export function scoresOf(type: SurveyType): number[] {
	const { min, max } = SURVEY_SCALES[type];
	return Array.from({ length: max - min + 1 }, (_, index) => min + index);
}

/** This customer's values for the question's body; one line each, as the order (or the ticket's subject) is also in the subject. */
export function surveySubstitutions(facts: SurveyMailFacts): Record<string, string> {
	const firstName = oneLine(facts.firstName);
	const ticketSubject = oneLine(facts.ticketSubject);
	const orderName = oneLine(facts.orderName);
	const name = firstName ? ` ${firstName}` : '';
	const order = ticketSubject ? ` "${ticketSubject}"` : orderName ? ` ${orderName}` : '';
	return {
		[KEY.name]: name,
		[KEY.nameHtml]: escapeHtml(name),
		[KEY.order]: order,
		[KEY.orderHtml]: escapeHtml(order),
		// base32: letters and digits only, the same in a URL, in HTML and in text; encoded, so nothing else could end the link
		[KEY.token]: encodeURIComponent(oneLine(facts.token)),
	};
}

/**
 * The body for a question, with substitution tags where each customer's values go. Store text and the
 * answer URL are escaped here; customer text is escaped in its substitution.
 */
export function renderSurveyEmail(type: SurveyType, answerUrl: string, store: SurveyStore): { subject: string; html: string; text: string } {
	// every answer is a link: a survey without web addresses to answer at is not sent (the operation reads the option as one)
	const answerAt = safeLink(answerUrl);
	if (!answerAt) throw new RangeError(`The survey answer URL must be a web address (http or https), not ${JSON.stringify(oneLine(answerUrl).slice(0, 200))}`);
	// store text in the body SendGrid fills in: untagged, so it cannot call for a customer's value
	const storeName = untagged(oneLine(store.storeName));
	const support = store.about === 'ticket';
	const subject = support ? `Your request${tag(KEY.order)}: how did we do?` : `Thank you for your order${tag(KEY.order)}: how did we do?`;
	const question = questionOf(type, storeName, store.about);
	const [low, high] = ENDS[type];
	const scores = scoresOf(type);
	const opening = support
		? `Thank you for contacting ${storeName || 'us'}. Your request${tag(KEY.order)} is solved, and we would love to know how we helped.`
		: `Thank you for shopping with ${storeName || 'us'}. Your order${tag(KEY.order)} has arrived, and we would love to know how it went.`;
	const hint = 'Click a number: a page opens with your answer ready to send, one more click and it is ours. You can change it there, or by clicking another number.';
	// NPS has eleven buttons: narrower cells keep the row on a phone screen
	const width = type === 'nps' ? 34 : 48;
	const buttons = scores
		.map((score) => {
			const href = escapeHtml(answerLink(answerAt, tag(KEY.token), score));
			return `<td align="center" style="padding:2px"><a href="${href}" style="display:block;width:${width}px;padding:10px 0;background:#1a73e8;color:#ffffff;text-decoration:none;font-weight:bold;border-radius:4px;font-family:Arial,Helvetica,sans-serif">${score}</a></td>`;
		})
		.join('');
	const scale =
		'<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:separate">' +
		`<tr>${buttons}</tr>` +
		`<tr><td colspan="${Math.ceil(scores.length / 2)}" style="padding-top:4px;font-size:12px;color:#666;text-align:left">${escapeHtml(`${scores[0]} = ${low}`)}</td>` +
		`<td colspan="${Math.floor(scores.length / 2)}" style="padding-top:4px;font-size:12px;color:#666;text-align:right">${escapeHtml(`${scores[scores.length - 1]} = ${high}`)}</td></tr>` +
		'</table>';
	const html = letter([
		`Hi${tag(KEY.nameHtml)},`,
		escapeHtml(opening).replace(escapeHtml(tag(KEY.order)), tag(KEY.orderHtml)),
		`<strong>${escapeHtml(question)}</strong>`,
		scale,
		`<span style="font-size:13px;color:#666">${escapeHtml(hint)}</span>`,
		...(storeName ? [escapeHtml(`Thank you, ${storeName}`)] : []),
		UNSUBSCRIBE_LINK,
	]);
	const links = scores.map((score) => {
		const label = score === scores[0] ? ` (${low})` : score === scores[scores.length - 1] ? ` (${high})` : '';
		return `${score}${label}: ${answerLink(answerAt, tag(KEY.token), score)}`;
	});
	const text = [`Hi${tag(KEY.name)},`, opening, question, links.join('\n'), hint, storeName ? `Thank you, ${storeName}` : '', 'Unsubscribe: <%asm_group_unsubscribe_raw_url%>']
		.filter(Boolean)
		.join('\n\n');
	return { subject, html, text };
}

export interface ThankYouFacts {
	type: SurveyType;
	score: number;
	storeName?: string;
	/** The survey token: the comment form sends it back with the score. */
	token: string;
	/** A comment came with this answer. */
	commented: boolean;
}

export interface AnswerPageFacts {
	type: SurveyType;
	/** The score the clicked link carried: preselected. */
	score: number;
	/** The survey token: the form sends it back with the score. */
	token: string;
	orderName?: string;
	storeName?: string;
	/** A question after support: the page asks about the help, and names the request instead of an order. */
	ticketSubject?: string;
	about?: SurveyAbout;
}

const PAGE_HEAD = (title: string) =>
	'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
	'<meta name="robots" content="noindex">' +
	`<title>${escapeHtml(title)}</title></head>` +
	'<body style="margin:0;padding:32px 16px;background:#f6f6f6;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#222">' +
	'<main style="max-width:520px;margin:0 auto;background:#ffffff;padding:24px;border-radius:8px">';

/**
 * The page a link in the survey email opens. Opening it records nothing: mail security scanners open every
 * link of an email. It shows the question with the clicked score preselected, an optional comment and one
 * button; the button sends the answer as a form (POST) to the same address (an empty action: the answer
 * webhook needs no second route, and its URL need not be known here), and that records it.
 */
export function renderAnswerPage(facts: AnswerPageFacts): string {
	const storeName = facts.storeName ?? '';
	const question = questionOf(facts.type, storeName, facts.about);
	const [low, high] = ENDS[facts.type];
	const scores = scoresOf(facts.type);
	const named = facts.about === 'ticket' ? (facts.ticketSubject ? `Your request "${facts.ticketSubject}"` : '') : facts.orderName ? `Your order ${facts.orderName}` : '';
	const choices = scores
		.map(
			(score) =>
				'<label style="display:inline-block;margin:0 4px 8px 0;padding:8px 10px;border:1px solid #c6c6c6;border-radius:4px;cursor:pointer">' +
				`<input type="radio" name="s" value="${score}"${score === facts.score ? ' checked' : ''} required> ${score}</label>`,
		)
		.join('');
	return (
		PAGE_HEAD('Your answer') +
		`<h1 style="font-size:22px;margin:0 0 12px">${escapeHtml(question)}</h1>` +
		(named ? `<p style="margin:0 0 12px">${escapeHtml(named)}</p>` : '') +
		'<form method="post" action="" style="margin:0">' +
		`<input type="hidden" name="t" value="${escapeHtml(facts.token)}">` +
		`<fieldset style="border:0;margin:0;padding:0"><legend style="padding:0;margin-bottom:8px">${escapeHtml(`${scores[0]} = ${low}, ${scores[scores.length - 1]} = ${high}`)}</legend>${choices}</fieldset>` +
		'<label for="comment" style="display:block;margin:16px 0 8px">Anything you would like to tell us? (optional)</label>' +
		'<textarea id="comment" name="comment" rows="4" maxlength="2000" style="width:100%;box-sizing:border-box;font:inherit;padding:8px"></textarea>' +
		'<button type="submit" style="margin-top:12px;padding:10px 18px;background:#1a73e8;color:#ffffff;border:0;border-radius:4px;font:inherit;font-weight:bold">Send my answer</button>' +
		'</form>' +
		`<p style="margin:16px 0 0;font-size:13px;color:#666">${escapeHtml('Your answer is saved when you press the button.')}</p>` +
		(storeName ? `<p style="margin:24px 0 0;color:#666">${escapeHtml(storeName)}</p>` : '') +
		'</main></body></html>'
	);
}

/**
 * The page the customer sees once the answer page's form has recorded the answer: a thank-you, and a form
 * for a comment that sends the same token and score back to the same address, as a POST like the answer.
 */
export function renderThankYouPage(facts: ThankYouFacts): string {
	const { max } = SURVEY_SCALES[facts.type];
	const title = facts.commented ? 'Thank you for your comment' : 'Thank you for your answer';
	const body = facts.commented
		? 'We read every comment. If there is anything we should put right, we will be in touch.'
		: `You gave us ${facts.score} out of ${max}. Picked the wrong number? Click another one in the email and send it: we will keep that one instead.`;
	const form = facts.commented
		? ''
		: '<form method="post" action="" style="margin-top:24px">' +
			`<input type="hidden" name="t" value="${escapeHtml(facts.token)}">` +
			`<input type="hidden" name="s" value="${escapeHtml(String(facts.score))}">` +
			'<label for="comment" style="display:block;margin-bottom:8px">Anything you would like to tell us? (optional)</label>' +
			'<textarea id="comment" name="comment" rows="4" maxlength="2000" style="width:100%;box-sizing:border-box;font:inherit;padding:8px"></textarea>' +
			'<button type="submit" style="margin-top:12px;padding:10px 18px;background:#1a73e8;color:#ffffff;border:0;border-radius:4px;font:inherit">Send comment</button>' +
			'</form>';
	return (
		PAGE_HEAD(title) +
		`<h1 style="font-size:22px;margin:0 0 12px">${escapeHtml(title)}</h1>` +
		`<p style="margin:0">${escapeHtml(body)}</p>` +
		form +
		(facts.storeName ? `<p style="margin:24px 0 0;color:#666">${escapeHtml(facts.storeName)}</p>` : '') +
		'</main></body></html>'
	);
}

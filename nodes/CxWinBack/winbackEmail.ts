/**
 * The built-in win-back email. One body per segment and offer, sent to up to 1000 customers per request:
 * what differs per customer (name, code, link) goes in SendGrid substitutions, escaped for the HTML part
 * and plain for the text part. Stores with their own design use a dynamic template with the same facts.
 */
import { letter, UNSUBSCRIBE_LINK } from '../shared/email/layout';
import { escapeHtml, safeLink } from '../shared/email/html';
import { oneLine, untagged } from '../shared/email/text';
import { wellFormed } from '../shared/items';
import type { Segment } from '../shared/policy';

export interface WinBackMailFacts {
	firstName?: string;
	segment: Segment;
	/** Percent off; 0 or null: no offer line. */
	offerPercent: number | null;
	discountCode?: string;
	codeExpiresAt?: string;
	storeName?: string;
	storeUrl?: string;
}

/** Substitution keys (the SDK wraps them as {{key}}). */
const KEY = { name: 'cx_first_name', nameHtml: 'cx_first_name_html', code: 'cx_discount_code', codeHtml: 'cx_discount_code_html', link: 'cx_shop_link', linkHtml: 'cx_shop_link_html' };
const tag = (key: string) => `{{${key}}}`;

const OPENING: Record<Segment, string> = {
	champions: 'You have been one of our best customers, and we have missed you lately.',
	loyal: 'It has been a while since your last order, and we have missed you.',
	at_risk: 'It has been a while since your last order. We would love to see you back.',
	cant_lose: 'You have been with us for a long time, and it has been too long since we last saw you.',
	hibernating: 'It has been some time since your last visit, so here is a little welcome back.',
	lost: 'It has been a long time. A lot has changed since your last visit, and we would love to show you.',
};

/** The facts a dynamic template receives (SendGrid dynamic_template_data): plain text, as Handlebars escapes it; one line, as a template's subject may show it. */
export function winBackTemplateData(facts: WinBackMailFacts): Record<string, unknown> {
	return {
		first_name: oneLine(facts.firstName),
		segment: facts.segment,
		offer_percent: facts.offerPercent ?? 0,
		discount_code: oneLine(facts.discountCode),
		code_expires_at: oneLine(facts.codeExpiresAt),
		shop_link: shopLink(facts),
		store_name: oneLine(facts.storeName),
	};
}

/** The store's link; with a code, Shopify's /discount/<code> link applies it at checkout. Empty when the store URL is not a web address. */
export function shopLink(facts: Pick<WinBackMailFacts, 'storeUrl' | 'discountCode'>): string {
	const link = safeLink(facts.storeUrl);
	if (!link) return '';
	const base = link.replace(/\/+$/, '');
	return facts.discountCode ? `${base}/discount/${encodeURIComponent(wellFormed(facts.discountCode))}` : base;
}

/** This customer's values for the segment's body; one line each, as the name is also in the subject. */
export function winBackSubstitutions(facts: WinBackMailFacts): Record<string, string> {
	const name = facts.firstName ? ` ${oneLine(facts.firstName)}`.trimEnd() : '';
	const code = oneLine(facts.discountCode);
	const link = shopLink(facts);
	return {
		[KEY.name]: name,
		[KEY.nameHtml]: escapeHtml(name),
		[KEY.code]: code,
		[KEY.codeHtml]: escapeHtml(code),
		[KEY.link]: link,
		[KEY.linkHtml]: escapeHtml(link),
	};
}

/**
 * The body for a segment and offer, with substitution tags where each customer's values go. Store text
 * is escaped here; customer text is escaped in its substitution.
 */
export function renderWinBackEmail(segment: Segment, offerPercent: number | null, store: { storeName?: string; storeUrl?: string; codeExpiresAt?: string }): { subject: string; html: string; text: string } {
	const hasOffer = offerPercent !== null && offerPercent > 0;
	const subject = hasOffer ? `We miss you${tag(KEY.name)}: ${offerPercent}% off your next order` : `We miss you${tag(KEY.name)}`;
	// store text in the body SendGrid fills in: untagged, so it cannot call for a customer's value
	const until = store.codeExpiresAt ? untagged(oneLine(store.codeExpiresAt.slice(0, 10))) : '';
	const offerLine = hasOffer ? `Here is ${offerPercent}% off your next order with the code ${tag(KEY.code)}${until ? `, valid until ${until}` : ''}. It works once.` : '';
	const lines = { greeting: `Hi${tag(KEY.name)},`, opening: OPENING[segment], offer: offerLine, closing: 'We hope to see you soon.' };
	const signature = untagged(oneLine(store.storeName));
	// the button only for a web address: each customer's link is made from it (shopLink), or is empty
	const hasLink = shopLink(store) !== '';
	const button = hasLink
		? `<a href="${tag(KEY.linkHtml)}" style="display:inline-block;padding:10px 18px;background:#1a73e8;color:#ffffff;text-decoration:none;border-radius:4px">${hasOffer ? 'Shop with your code' : 'Visit the shop'}</a>`
		: '';
	const html = letter([
		`Hi${tag(KEY.nameHtml)},`,
		escapeHtml(lines.opening),
		...(offerLine ? [escapeHtml(offerLine).replace(escapeHtml(tag(KEY.code)), `<strong>${tag(KEY.codeHtml)}</strong>`)] : []),
		...(hasLink ? [button] : []),
		escapeHtml(lines.closing),
		...(signature ? [escapeHtml(signature)] : []),
		UNSUBSCRIBE_LINK,
	]);
	const text = [lines.greeting, lines.opening, offerLine, hasLink ? tag(KEY.link) : '', lines.closing, signature, 'Unsubscribe: <%asm_group_unsubscribe_raw_url%>']
		.filter(Boolean)
		.join('\n\n');
	return { subject, html, text };
}

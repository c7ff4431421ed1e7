/**
 * The built-in win-back email. One body per segment and offer, sent to up to 1000 customers per request:
 * what differs per customer (name, code, link) goes in SendGrid substitutions, escaped for the HTML part
 * and plain for the text part. Stores with their own design use a dynamic template with the same facts.
 */
import { letter, UNSUBSCRIBE_LINK } from '../shared/email/layout';
import { escapeHtml } from '../shared/email/html';
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
const KEY = { name: 'cx_first_name', nameHtml: 'cx_first_name_html', code: 'cx_discount_code', link: 'cx_shop_link', linkHtml: 'cx_shop_link_html' };
const tag = (key: string) => `{{${key}}}`;

const OPENING: Record<Segment, string> = {
	champions: 'You have been one of our best customers, and we have missed you lately.',
	loyal: 'It has been a while since your last order, and we have missed you.',
	at_risk: 'It has been a while since your last order. We would love to see you back.',
	cant_lose: 'You have been with us for a long time, and it has been too long since we last saw you.',
	hibernating: 'It has been some time since your last visit, so here is a little welcome back.',
	lost: 'It has been a long time. A lot has changed since your last visit, and we would love to show you.',
};

/** The facts a dynamic template receives (SendGrid dynamic_template_data). */
export function winBackTemplateData(facts: WinBackMailFacts): Record<string, unknown> {
	return {
		first_name: facts.firstName ?? '',
		segment: facts.segment,
		offer_percent: facts.offerPercent ?? 0,
		discount_code: facts.discountCode ?? '',
		code_expires_at: facts.codeExpiresAt ?? '',
		shop_link: shopLink(facts),
		store_name: facts.storeName ?? '',
	};
}

/** The store's link; with a code, Shopify's /discount/<code> link applies it at checkout. */
export function shopLink(facts: Pick<WinBackMailFacts, 'storeUrl' | 'discountCode'>): string {
	if (!facts.storeUrl) return '';
	const base = facts.storeUrl.replace(/\/+$/, '');
	return facts.discountCode ? `${base}/discount/${encodeURIComponent(facts.discountCode)}` : base;
}

/** This customer's values for the segment's body. */
export function winBackSubstitutions(facts: WinBackMailFacts): Record<string, string> {
	const name = facts.firstName ? ` ${facts.firstName}` : '';
	const link = shopLink(facts);
	return {
		[KEY.name]: name,
		[KEY.nameHtml]: escapeHtml(name),
		[KEY.code]: facts.discountCode ?? '',
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
	const offerLine = hasOffer
		? `Here is ${offerPercent}% off your next order with the code ${tag(KEY.code)}${store.codeExpiresAt ? `, valid until ${store.codeExpiresAt.slice(0, 10)}` : ''}. It works once.`
		: '';
	const lines = { greeting: `Hi${tag(KEY.name)},`, opening: OPENING[segment], offer: offerLine, closing: 'We hope to see you soon.' };
	const signature = store.storeName ?? '';
	const button = store.storeUrl
		? `<a href="${tag(KEY.linkHtml)}" style="display:inline-block;padding:10px 18px;background:#1a73e8;color:#ffffff;text-decoration:none;border-radius:4px">${hasOffer ? 'Shop with your code' : 'Visit the shop'}</a>`
		: '';
	const html = letter([
		`Hi${tag(KEY.nameHtml)},`,
		escapeHtml(lines.opening),
		...(offerLine ? [escapeHtml(offerLine).replace(escapeHtml(tag(KEY.code)), `<strong>${tag(KEY.code)}</strong>`)] : []),
		...(store.storeUrl ? [button] : []),
		escapeHtml(lines.closing),
		...(signature ? [escapeHtml(signature)] : []),
		UNSUBSCRIBE_LINK,
	]);
	const text = [lines.greeting, lines.opening, offerLine, store.storeUrl ? tag(KEY.link) : '', lines.closing, signature, 'Unsubscribe: <%asm_group_unsubscribe_raw_url%>']
		.filter(Boolean)
		.join('\n\n');
	return { subject, html, text };
}

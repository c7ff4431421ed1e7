/**
 * The escalation email: (ticket, customer, reasons, level) -> subject, HTML and plain-text body for the
 * person the ticket is escalated to. Pure: no n8n, no I/O, no clock (times arrive as ISO strings).
 */
import { LAYOUT_TABLE } from '../shared/email/layout';
import { escapeHtml, safeLink } from '../shared/email/html';
import { formatMoney, type Money } from '../shared/money';
import { isValidTimeZone } from '../shared/time';
import { excerpt, formatTime, multiLine, oneLine, truncate, type RenderedEmail } from '../shared/email/text';

export type EscalationLevel = 1 | 2 | 3;

export interface EscalationEmailInput {
	level: EscalationLevel;
	/** machine-readable reasons, e.g. ['tier_vip', 'threatening_language:chargeback', 'sla_breach:first_response'] */
	reasons: string[];
	/** one human sentence from triage, when there is one */
	summary?: string;
	priority: 'low' | 'medium' | 'high' | 'urgent';
	tier: 'regular' | 'premium' | 'vip';
	ticket: { id: string; subject: string; body: string; channel?: string; createdAt?: string };
	customer: {
		firstName?: string;
		lastName?: string;
		email?: string;
		phone?: string;
		id?: string;
		lifetimeSpend?: Money;
		orderCount?: number;
		adminUrl?: string;
	};
	recentOrders: Array<{ name: string; processedAt?: string; total?: Money; fulfillmentStatus?: string; adminUrl?: string }>;
	/** the order the ticket is about, when known */
	order?: { name?: string; adminUrl?: string; value?: Money };
	sla?: { firstResponseDueAt?: string; resolutionDueAt?: string };
	/** set by the SLA breach sweep: which target was missed and when it was due */
	breach?: { kind: 'first_response' | 'resolution'; dueAt: string };
	/**
	 * The customer appears by first name only: no last name, email, phone or customer id anywhere, and
	 * email addresses and phone numbers inside the ticket subject and body become "[redacted]".
	 */
	redactPersonalData: boolean;
	storeName?: string;
	/** IANA time zone for displaying times; default 'UTC' */
	timeZone?: string;
}

export const LEVEL_NAMES: Record<EscalationLevel, string> = { 1: 'team lead', 2: 'director', 3: 'executive' };

export const SUBJECT_LIMIT = 80;
export const RECENT_ORDERS_SHOWN = 5;
export const REDACTED = '[redacted]';

const BREACH_NAMES: Record<'first_response' | 'resolution', string> = {
	first_response: 'first response',
	resolution: 'resolution',
};
const TIER_NAMES: Record<string, string> = { vip: 'VIP', premium: 'premium', regular: 'regular' };
// level colours rise with the level: blue for a team lead, amber for a director, red for an executive
const LEVEL_COLOURS: Record<EscalationLevel, string> = { 1: '#1d4ed8', 2: '#b45309', 3: '#b91c1c' };

/* ------------------------------------------------------------------------------------------------ */
/* Reasons                                                                                           */
/* ------------------------------------------------------------------------------------------------ */

function readable(code: string): string {
	return code.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
}

function details(detail: string): string {
	return detail
		.split('+')
		.map(readable)
		.filter((part) => part !== '')
		.join(', ');
}

/** Turns a machine-readable reason ('threatening_language:chargeback+legal') into a phrase a person reads. */
export function describeReason(reason: string): string {
	const code = oneLine(reason);
	const colon = code.indexOf(':');
	const head = (colon === -1 ? code : code.slice(0, colon)).trim();
	const detail = colon === -1 ? '' : details(code.slice(colon + 1));
	const withDetail = (phrase: string) => (detail ? `${phrase} (${detail})` : phrase);

	if (head === 'sla_breach') {
		const kind = code.slice(colon + 1).trim();
		if (kind === 'first_response' || kind === 'resolution') return `${BREACH_NAMES[kind]} overdue`;
		return withDetail('SLA breach');
	}
	const tier = /^tier_(vip|premium|regular)$/.exec(head);
	if (tier) return withDetail(`${TIER_NAMES[tier[1]]} customer`);
	const priority = /^priority_(low|medium|high|urgent)$/.exec(head);
	if (priority) return withDetail(`${priority[1]} priority`);
	if (head === 'threatening_language' || head === 'threatening') return withDetail('threatening language');
	if (head === 'urgent_language') return withDetail('urgent language');
	const orderValue = /^order_value_over_(\d+(?:\.\d+)?)$/.exec(head);
	if (orderValue) return withDetail(`order value over ${orderValue[1]}`);
	return withDetail(readable(head));
}

function reasonPhrases(input: EscalationEmailInput): string[] {
	const codes = [...(input.reasons ?? [])];
	// the breach sweep sets `breach`; the reader is told why even when the reasons do not repeat it
	if (input.breach && !codes.some((code) => code.trim().startsWith('sla_breach'))) {
		codes.push(`sla_breach:${input.breach.kind}`);
	}
	const phrases: string[] = [];
	for (const code of codes) {
		const phrase = describeReason(String(code ?? ''));
		if (phrase && !phrases.includes(phrase)) phrases.push(phrase);
	}
	return phrases;
}

/* ------------------------------------------------------------------------------------------------ */
/* Text clean-up and redaction                                                                       */
/* ------------------------------------------------------------------------------------------------ */

// the lookbehind anchors a match at the start of a run, so a long run of letters stays linear
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// digits with single separators or (area) groups; each step consumes a digit, so matching stays linear
const PHONE_LIKE = /(?<![\p{L}\p{N}_+])\+?(?:\(\d{1,5}\)|\d)(?:[ \u00a0.-]?(?:\(\d{1,5}\)|\d))*/gu;
const DATE_LIKE = /^(?:\d{4}[.-]\d{1,2}[.-]\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{4})$/;
// E.164 numbers carry at most 15 digits; 7 is the shortest local number worth masking
const PHONE_DIGITS = { min: 7, max: 15 };

function isPhoneLike(match: string, following: string): boolean {
	if (/^[\p{L}\p{N}_]/u.test(following)) return false;
	const digits = match.replace(/\D/g, '').length;
	return digits >= PHONE_DIGITS.min && digits <= PHONE_DIGITS.max && !DATE_LIKE.test(match);
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A masker for one customer: their own last name, email, phone and id, then any email or phone number. */
function personalDataMask(customer: EscalationEmailInput['customer']): (text: string) => string {
	const known = [customer.email, customer.phone, customer.id, customer.lastName]
		.map((value) => oneLine(value))
		.filter((value) => Array.from(value).length >= 2)
		// longest first, so an email is masked whole before a last name inside it
		.sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
	const literals = known.map(
		(value) => new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(value)}(?![\\p{L}\\p{N}_])`, 'giu'),
	);
	return (text) => {
		let masked = text;
		for (const literal of literals) masked = masked.replace(literal, REDACTED);
		masked = masked.replace(EMAIL, REDACTED);
		return masked.replace(PHONE_LIKE, (match: string, offset: number, whole: string) =>
			isPhoneLike(match, whole.charAt(offset + match.length)) ? REDACTED : match,
		);
	};
}

/* ------------------------------------------------------------------------------------------------ */
/* Values: money                                                                                     */
/* ------------------------------------------------------------------------------------------------ */

/** Money from a service with an unknown currency is still shown, never an error in the middle of an email. */
function money(value: Money): string {
	try {
		return formatMoney(value);
	} catch {
		return `${(value.cents / 100).toFixed(2)} ${oneLine(value.currency)}`;
	}
}

/* ------------------------------------------------------------------------------------------------ */
/* Content: one model, two renderings                                                                */
/* ------------------------------------------------------------------------------------------------ */

/** A value shown in the email: plain text, optionally a link (url is kept when it is not http(s)). */
interface Value {
	text: string;
	url?: string;
	/** the text only names the link ("Open order in Shopify admin"): the text body shows the address alone */
	linkLabel?: boolean;
}

interface Field {
	label: string;
	value: Value;
}

interface OrderRow {
	name: Value;
	date: string;
	total: string;
	fulfillment: string;
}

interface EmailContent {
	subject: string;
	levelName: string;
	storeName?: string;
	breach?: string;
	reasons: string[];
	summary?: string;
	ticketFields: Field[];
	ticketSubject: string;
	ticketBody: string;
	customerFields: Field[];
	redacted: boolean;
	recentOrders: OrderRow[];
	orderFields: Field[];
	slaFields: Field[];
	timeZone: string;
}

function field(label: string, text: string | undefined): Field[] {
	const shown = oneLine(text);
	return shown ? [{ label, value: { text: shown } }] : [];
}

function adminLink(linkText: string, url: string | undefined): Field[] {
	const address = oneLine(url);
	return address ? [{ label: 'Shopify admin', value: { text: linkText, url: address, linkLabel: true } }] : [];
}

function subjectLine(input: EscalationEmailInput, mask: (text: string) => string): string {
	const level = oneLine(input.level);
	const priority = oneLine(input.priority).toUpperCase();
	const tier = oneLine(input.tier).toUpperCase();
	const ticketSubject = truncate(mask(oneLine(input.ticket?.subject)) || '(no subject)', SUBJECT_LIMIT);
	const firstName = truncate(mask(oneLine(input.customer?.firstName)), 40);
	return oneLine(
		`[Escalation L${level} · ${priority} · ${tier}] ${input.breach ? 'SLA breach: ' : ''}${ticketSubject}` +
			`${firstName ? ` (${firstName})` : ''}`,
	);
}

function buildContent(input: EscalationEmailInput): EmailContent {
	const redacted = input.redactPersonalData !== false;
	const personalMask = personalDataMask(input.customer ?? {});
	const mask = redacted ? personalMask : (text: string) => text;
	const requestedZone = oneLine(input.timeZone) || 'UTC';
	const timeZone = isValidTimeZone(requestedZone) ? requestedZone : 'UTC';
	const time = (iso: string | undefined) => (iso ? formatTime(iso, timeZone) : '');
	const customer = input.customer ?? {};
	const ticket = input.ticket ?? { id: '', subject: '', body: '' };

	const ticketFields = [
		...field('Ticket', ticket.id),
		...field('Channel', ticket.channel),
		...field('Received', time(ticket.createdAt)),
		...field('Priority', oneLine(input.priority)),
		...field('Tier', TIER_NAMES[input.tier] ?? oneLine(input.tier)),
	];

	const name = redacted
		? oneLine(customer.firstName)
		: [oneLine(customer.firstName), oneLine(customer.lastName)].filter(Boolean).join(' ');
	const customerFields = [
		...field('Name', mask(name) || 'not given'),
		...(redacted
			? []
			: [
					...field('Email', customer.email),
					...field('Phone', customer.phone),
					...field('Customer id', customer.id),
				]),
		...field('Lifetime value', customer.lifetimeSpend ? money(customer.lifetimeSpend) : undefined),
		...field(
			'Order count',
			typeof customer.orderCount === 'number' && Number.isFinite(customer.orderCount)
				? String(customer.orderCount)
				: undefined,
		),
		// the customer's admin address carries the customer id, so it goes with the other personal data
		...(redacted ? [] : adminLink('Open customer in Shopify admin', customer.adminUrl)),
	];

	const recentOrders = (input.recentOrders ?? []).slice(0, RECENT_ORDERS_SHOWN).map(
		(order): OrderRow => ({
			name: { text: oneLine(order.name) || '(unnamed order)', ...(oneLine(order.adminUrl) ? { url: oneLine(order.adminUrl) } : {}) },
			date: order.processedAt ? formatTime(order.processedAt, timeZone, false) : '',
			total: order.total ? money(order.total) : '',
			fulfillment: readable(oneLine(order.fulfillmentStatus).toLowerCase()),
		}),
	);

	const order = input.order;
	const orderFields = order
		? [
				...field('Order', order.name),
				...field('Order value', order.value ? money(order.value) : undefined),
				...adminLink('Open order in Shopify admin', order.adminUrl),
			]
		: [];

	const missedTarget = input.breach
		? (BREACH_NAMES[input.breach.kind] ?? readable(oneLine(input.breach.kind))) || 'SLA'
		: undefined;
	const missedDue = input.breach ? time(input.breach.dueAt) : '';
	const breach = missedTarget
		? `${missedTarget} target missed${missedDue ? `, was due ${missedDue}` : ''}`
		: undefined;
	const slaFields = [
		...field('First response due', time(input.sla?.firstResponseDueAt)),
		...field('Resolution due', time(input.sla?.resolutionDueAt)),
		...(missedTarget ? field('Missed target', `${missedTarget}${missedDue ? ` (due ${missedDue})` : ''}`) : []),
	];

	const storeName = oneLine(input.storeName);
	const summary = mask(oneLine(input.summary));
	return {
		subject: subjectLine(input, mask),
		levelName: LEVEL_NAMES[input.level] ?? `level ${oneLine(input.level)}`,
		...(storeName ? { storeName } : {}),
		...(breach ? { breach } : {}),
		reasons: reasonPhrases(input).map(mask),
		...(summary ? { summary } : {}),
		ticketFields,
		ticketSubject: mask(oneLine(ticket.subject)) || '(no subject)',
		// masked before the cut, so the cut never leaves half an email address behind
		ticketBody: excerpt(mask(multiLine(ticket.body))),
		customerFields,
		redacted,
		recentOrders,
		orderFields,
		slaFields,
		timeZone,
	};
}

/* ------------------------------------------------------------------------------------------------ */
/* Plain text                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

function textValue(value: Value): string {
	if (!value.url) return value.text;
	return value.linkLabel ? value.url : `${value.text} (${value.url})`;
}

function textFields(fields: Field[]): string[] {
	return fields.map(({ label, value }) => `${label}: ${textValue(value)}`);
}

function renderText(content: EmailContent): string {
	const lines: string[] = [
		`Escalation for the ${content.levelName}${content.storeName ? ` at ${content.storeName}` : ''}`,
	];
	if (content.breach) lines.push(`SLA breach: ${content.breach}`);
	lines.push('', 'Why this reached you', ...content.reasons.map((reason) => `- ${reason}`));
	if (content.summary) lines.push('', content.summary);
	lines.push('', 'Ticket', ...textFields(content.ticketFields), `Subject: ${content.ticketSubject}`);
	if (content.ticketBody) lines.push('', ...content.ticketBody.split('\n').map((line) => `> ${line}`.trimEnd()));
	lines.push('', 'Customer', ...textFields(content.customerFields));
	if (content.redacted) lines.push('Personal data beyond the first name is left out.');
	if (content.orderFields.length > 0) lines.push('', 'Order in question', ...textFields(content.orderFields));
	if (content.recentOrders.length > 0) {
		lines.push('', 'Recent orders');
		for (const order of content.recentOrders) {
			const facts = [order.name.text, order.date, order.total, order.fulfillment, order.name.url].filter(Boolean);
			lines.push(`- ${facts.join(' · ')}`);
		}
	}
	if (content.slaFields.length > 0) lines.push('', 'Service level', ...textFields(content.slaFields));
	lines.push('', `Times are shown in ${content.timeZone}.`);
	return lines.join('\n') + '\n';
}

/* ------------------------------------------------------------------------------------------------ */
/* HTML: tables and inline styles only, every outside text through escapeHtml                        */
/* ------------------------------------------------------------------------------------------------ */

const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const CELL = `${FONT}font-size:14px;line-height:1.5;color:#18181b;`;
const HEADING = `${FONT}margin:0 0 8px 0;font-size:16px;line-height:1.3;color:#18181b;`;
const LABEL = `${FONT}font-size:14px;line-height:1.5;color:#52525b;padding:2px 12px 2px 0;white-space:nowrap;vertical-align:top;`;

function htmlValue(value: Value): string {
	const href = safeLink(value.url);
	if (href) return `<a href="${escapeHtml(href)}" style="color:#1d4ed8;text-decoration:underline;">${escapeHtml(value.text)}</a>`;
	return value.url ? `${escapeHtml(value.text)} (${escapeHtml(value.url)})` : escapeHtml(value.text);
}

function htmlFields(fields: Field[]): string {
	const rows = fields
		.map(
			({ label, value }) =>
				`<tr><td style="${LABEL}">${escapeHtml(label)}</td><td style="${CELL}padding:2px 0;word-break:break-word;">${htmlValue(value)}</td></tr>`,
		)
		.join('');
	return `<table ${LAYOUT_TABLE} style="border-collapse:collapse;">${rows}</table>`;
}

function section(title: string, inner: string): string {
	return (
		`<tr><td style="${CELL}padding:16px 24px;border-top:1px solid #e4e4e7;">` +
		`<h2 style="${HEADING}">${escapeHtml(title)}</h2>${inner}</td></tr>`
	);
}

function htmlOrders(orders: OrderRow[]): string {
	const head = ['Order', 'Date', 'Total', 'Fulfillment']
		.map((title) => `<th align="left" style="${CELL}padding:4px 8px;border-bottom:1px solid #e4e4e7;">${title}</th>`)
		.join('');
	const rows = orders
		.map((order) => {
			const cells = [htmlValue(order.name), escapeHtml(order.date), escapeHtml(order.total), escapeHtml(order.fulfillment)];
			return `<tr>${cells.map((cell) => `<td style="${CELL}padding:4px 8px;vertical-align:top;">${cell}</td>`).join('')}</tr>`;
		})
		.join('');
	return `<table ${LAYOUT_TABLE} width="100%" style="border-collapse:collapse;"><tr>${head}</tr>${rows}</table>`;
}

function renderHtml(content: EmailContent, level: EscalationLevel): string {
	const colour = LEVEL_COLOURS[level] ?? LEVEL_COLOURS[3];
	const banner =
		`<tr><td bgcolor="${colour}" style="${FONT}background-color:${colour};color:#ffffff;padding:16px 24px;">` +
		`<p style="margin:0;font-size:12px;letter-spacing:1px;text-transform:uppercase;">Escalation level ${escapeHtml(level)}` +
		`${content.storeName ? ` · ${escapeHtml(content.storeName)}` : ''}</p>` +
		`<h1 style="${FONT}margin:4px 0 0 0;font-size:20px;line-height:1.3;color:#ffffff;">For the ${escapeHtml(content.levelName)}</h1>` +
		(content.breach
			? `<p style="margin:8px 0 0 0;font-size:14px;font-weight:bold;">SLA breach: ${escapeHtml(content.breach)}</p>`
			: '') +
		`</td></tr>`;

	const reasons =
		content.reasons.length > 0
			? `<ul style="margin:0;padding:0 0 0 20px;">${content.reasons.map((reason) => `<li style="${CELL}">${escapeHtml(reason)}</li>`).join('')}</ul>`
			: `<p style="${CELL}margin:0;">No reason was given.</p>`;
	const summary = content.summary ? `<p style="${CELL}margin:8px 0 0 0;">${escapeHtml(content.summary)}</p>` : '';

	const body = content.ticketBody
		? `<table ${LAYOUT_TABLE} width="100%" style="margin-top:8px;"><tr><td style="${CELL}padding:8px 12px;border-left:3px solid #d4d4d8;background-color:#fafafa;word-break:break-word;">` +
			`${escapeHtml(content.ticketBody).replace(/\n/g, '<br>')}</td></tr></table>`
		: '';
	const ticket =
		htmlFields(content.ticketFields) +
		`<p style="${CELL}margin:8px 0 0 0;font-weight:bold;">${escapeHtml(content.ticketSubject)}</p>${body}`;

	const customer =
		htmlFields(content.customerFields) +
		(content.redacted
			? `<p style="${FONT}font-size:14px;line-height:1.5;color:#52525b;margin:8px 0 0 0;">Personal data beyond the first name is left out.</p>`
			: '');

	const sections = [
		section('Why this reached you', reasons + summary),
		section('Ticket', ticket),
		section('Customer', customer),
		...(content.orderFields.length > 0 ? [section('Order in question', htmlFields(content.orderFields))] : []),
		...(content.recentOrders.length > 0 ? [section('Recent orders', htmlOrders(content.recentOrders))] : []),
		...(content.slaFields.length > 0 ? [section('Service level', htmlFields(content.slaFields))] : []),
	].join('');
	const footer =
		`<tr><td style="${FONT}font-size:12px;line-height:1.5;color:#71717a;padding:12px 24px;border-top:1px solid #e4e4e7;">` +
		`Times are shown in ${escapeHtml(content.timeZone)}.</td></tr>`;

	return (
		'<!DOCTYPE html>' +
		'<html lang="en"><head><meta charset="utf-8">' +
		'<meta name="viewport" content="width=device-width, initial-scale=1">' +
		`<title>${escapeHtml(content.subject)}</title></head>` +
		'<body style="margin:0;padding:0;background-color:#f4f4f5;">' +
		`<table ${LAYOUT_TABLE} width="100%" bgcolor="#f4f4f5" style="background-color:#f4f4f5;"><tr><td align="center" style="padding:24px 12px;">` +
		`<table ${LAYOUT_TABLE} width="600" bgcolor="#ffffff" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #e4e4e7;">` +
		banner +
		sections +
		footer +
		'</table></td></tr></table></body></html>'
	);
}

/** Renders the escalation email: the same content as a plain-text subject, an HTML body and a text body. */
export function renderEscalationEmail(input: EscalationEmailInput): RenderedEmail {
	const content = buildContent(input);
	return { subject: content.subject, html: renderHtml(content, input.level), text: renderText(content) };
}

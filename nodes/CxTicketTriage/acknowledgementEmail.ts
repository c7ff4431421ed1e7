/**
 * The acknowledgement a customer receives when their ticket arrives: it was received, under which ticket
 * number, and by when the first reply is due (the SLA promise). Pure: no n8n, no I/O, no clock.
 *
 * One body for a whole run, sent to up to 1000 customers per request: what differs per ticket (name, ticket
 * number, subject, due time) goes in SendGrid substitutions, escaped for the HTML part and plain for the text
 * part; each customer's subject line is their own personalization's.
 */
import { letter } from '../shared/email/layout';
import { escapeHtml } from '../shared/email/html';
import { isValidTimeZone } from '../shared/time';
import { excerpt, formatTime, oneLine, untagged } from '../shared/email/text';

/** What the subject line and the body show of the customer's own subject. */
export const TOPIC_LIMIT = 120;

/** Substitution keys (the SDK wraps them as {{key}}). */
const KEY = {
	name: 'cx_ack_name',
	nameHtml: 'cx_ack_name_html',
	ticket: 'cx_ack_ticket',
	ticketHtml: 'cx_ack_ticket_html',
	topic: 'cx_ack_topic',
	topicHtml: 'cx_ack_topic_html',
	due: 'cx_ack_due',
	dueHtml: 'cx_ack_due_html',
	within: 'cx_ack_within',
	withinHtml: 'cx_ack_within_html',
};
const tag = (key: string) => `{{${key}}}`;

export interface AcknowledgementFacts {
	ticketId: string;
	/** The customer's subject line; may be empty. */
	subject: string;
	firstName?: string;
	/** ISO time the first reply is due (triage's SLA). */
	firstResponseDueAt: string;
	firstResponseMinutes: number;
	clock: 'business_hours' | 'calendar';
}

export interface AcknowledgementStore {
	storeName?: string;
	/** IANA time zone the due time is shown in; UTC when it is not one. */
	timeZone?: string;
}

const zoneOf = (timeZone: string | undefined) => {
	const requested = oneLine(timeZone) || 'UTC';
	return isValidTimeZone(requested) ? requested : 'UTC';
};

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** "30 seconds", "45 minutes", "1 hour", "2 hours 30 minutes"; "business hours" when the clock runs in business hours. */
export function promiseWindow(minutes: number, clock: AcknowledgementFacts['clock']): string {
	const business = clock === 'business_hours' ? 'business ' : '';
	if (minutes < 1) return `${plural(Math.max(1, Math.round(minutes * 60)), 'second')}`;
	const whole = Math.round(minutes);
	const hours = Math.floor(whole / 60);
	const rest = whole % 60;
	if (!hours) return plural(rest, `${business}minute`);
	return rest ? `${plural(hours, `${business}hour`)} ${plural(rest, 'minute')}` : plural(hours, `${business}hour`);
}

/** The SLA promise in one sentence, as the email states it and the workflow answers with it. */
export function promiseSentence(facts: AcknowledgementFacts, store: AcknowledgementStore = {}): string {
	return `A member of our team will reply by ${formatTime(facts.firstResponseDueAt, zoneOf(store.timeZone))}, within ${promiseWindow(facts.firstResponseMinutes, facts.clock)} of your message.`;
}

/** Substitution values never carry a tag of their own (untagged): customer text cannot fill itself in. */
function topicOf(facts: AcknowledgementFacts): string {
	return excerpt(untagged(oneLine(facts.subject)), TOPIC_LIMIT);
}

/** This customer's subject line: their own subject and the ticket number, on one line (no header injection). */
export function acknowledgementSubject(facts: AcknowledgementFacts): string {
	const topic = topicOf(facts);
	const ticket = untagged(excerpt(oneLine(facts.ticketId), 60));
	return oneLine(topic ? `Re: ${topic} [ticket ${ticket}]` : `We received your message [ticket ${ticket}]`);
}

/** This ticket's values for the body's tags. */
export function acknowledgementSubstitutions(facts: AcknowledgementFacts, store: AcknowledgementStore = {}): Record<string, string> {
	const name = facts.firstName ? ` ${untagged(excerpt(oneLine(facts.firstName), 60))}` : '';
	const topic = topicOf(facts);
	const quoted = topic ? ` "${topic}"` : '';
	const ticket = untagged(oneLine(facts.ticketId));
	const due = formatTime(facts.firstResponseDueAt, zoneOf(store.timeZone));
	const within = promiseWindow(facts.firstResponseMinutes, facts.clock);
	return {
		[KEY.name]: name,
		[KEY.nameHtml]: escapeHtml(name),
		[KEY.ticket]: ticket,
		[KEY.ticketHtml]: escapeHtml(ticket),
		[KEY.topic]: quoted,
		[KEY.topicHtml]: escapeHtml(quoted),
		[KEY.due]: due,
		[KEY.dueHtml]: escapeHtml(due),
		[KEY.within]: within,
		[KEY.withinHtml]: escapeHtml(within),
	};
}

/**
 * The body with substitution tags where each ticket's values go. Store text is escaped here; customer
 * text is escaped in its substitution.
 */
export function renderAcknowledgementEmail(store: AcknowledgementStore = {}): { html: string; text: string } {
	// in the body SendGrid fills in: a tag in the store's name would be filled with a customer's value
	const storeName = untagged(oneLine(store.storeName));
	const thanks = `Thank you for contacting ${storeName || 'us'}.`;
	const received = `We have received your message${tag(KEY.topic)} (ticket ${tag(KEY.ticket)}).`;
	const promise = `A member of our team will reply by ${tag(KEY.due)}, within ${tag(KEY.within)} of your message.`;
	const keep = `If you write to us again about this, please mention ticket ${tag(KEY.ticket)}.`;
	const text = [`Hi${tag(KEY.name)},`, `${thanks} ${received}`, promise, keep, storeName].filter(Boolean).join('\n\n') + '\n';
	// the tags are escaped along with the sentence, then swapped for their HTML-escaped counterparts
	const htmlTags: Array<[string, string]> = [
		[KEY.topic, KEY.topicHtml],
		[KEY.ticket, KEY.ticketHtml],
		[KEY.due, KEY.dueHtml],
		[KEY.within, KEY.withinHtml],
	];
	const html = (sentence: string) => htmlTags.reduce((out, [plain, escaped]) => out.split(tag(plain)).join(tag(escaped)), escapeHtml(sentence));
	const body = letter([
		`Hi${tag(KEY.nameHtml)},`,
		`${escapeHtml(thanks)} ${html(received)}`,
		`<strong>${html(promise)}</strong>`,
		`<span style="font-size:13px;color:#666">${html(keep)}</span>`,
		...(storeName ? [escapeHtml(storeName)] : []),
	]);
	return { html: body, text };
}

/** The email one customer receives: the body with their substitutions applied (for previews and tests). */
export function renderAcknowledgement(facts: AcknowledgementFacts, store: AcknowledgementStore = {}): { subject: string; html: string; text: string } {
	const body = renderAcknowledgementEmail(store);
	const values = acknowledgementSubstitutions(facts, store);
	// longest key first, so cx_ack_name never eats cx_ack_name_html
	const fill = (template: string) =>
		Object.keys(values)
			.sort((a, b) => b.length - a.length)
			.reduce((out, key) => out.split(tag(key)).join(values[key]), template);
	return { subject: acknowledgementSubject(facts), html: fill(body.html), text: fill(body.text) };
}

/**
 * The built-in running-late notice: sent before the customer asks, when an order will miss the date it was
 * promised. Pure; every piece of customer and store text is escaped. A transactional message about the
 * customer's own order, like the delay apology. Stores with their own design use a SendGrid dynamic template,
 * which receives the same facts as template data.
 */
import { letter } from '../shared/email/layout';
import { escapeHtml } from '../shared/email/html';
import { formatTime, oneLine } from '../shared/email/text';
import { isValidTimeZone } from '../shared/time';

export interface LateNoticeFacts {
	firstName?: string;
	orderName: string;
	/** The date the customer was promised (ISO). */
	promisedDeliveryDate: string;
	/** The carrier's estimate, when a parcel on its way carries one (ISO): the new expected date. */
	expectedDeliveryAt?: string;
	/** Not shipped yet: the email says it is still being made. */
	notShipped: boolean;
	timeZone: string;
	storeName?: string;
}

/** A date in the store's zone; in UTC when the zone is not one (the run reads it as an option, and refuses a bad one). */
const day = (iso: string, timeZone: string) => formatTime(iso, isValidTimeZone(timeZone) ? timeZone : 'UTC', false);

/** The facts a dynamic template receives (SendGrid dynamic_template_data): plain text, as Handlebars escapes it; one line, as a template's subject may show it. */
export function lateNoticeTemplateData(facts: LateNoticeFacts): Record<string, unknown> {
	return {
		first_name: oneLine(facts.firstName),
		order_name: oneLine(facts.orderName),
		promised_date: day(facts.promisedDeliveryDate, facts.timeZone),
		expected_date: facts.expectedDeliveryAt ? day(facts.expectedDeliveryAt, facts.timeZone) : '',
		not_shipped: facts.notShipped,
		store_name: oneLine(facts.storeName),
	};
}

export function renderLateNoticeEmail(facts: LateNoticeFacts): { subject: string; html: string; text: string } {
	const promised = day(facts.promisedDeliveryDate, facts.timeZone);
	const greeting = facts.firstName ? `Hi ${oneLine(facts.firstName)},` : 'Hello,';
	const lines = [
		greeting,
		`Your order ${oneLine(facts.orderName)} is running late: it will not reach you by ${promised}, the date we promised.`,
		facts.expectedDeliveryAt
			? `The carrier now expects to deliver it on ${day(facts.expectedDeliveryAt, facts.timeZone)}.`
			: facts.notShipped
				? 'It is still being made and has not shipped yet; we will send you the tracking details as soon as it does.'
				: 'It is on its way; we will let you know when the carrier gives a new delivery date.',
		'We are sorry for the wait, and we wanted you to hear it from us first. You do not need to do anything.',
		facts.storeName ? oneLine(facts.storeName) : '',
	].filter(Boolean);
	const subject = `Your order ${oneLine(facts.orderName)} is running late`;
	const html = letter(lines.map((line) => escapeHtml(line)));
	return { subject, html, text: lines.join('\n\n') };
}

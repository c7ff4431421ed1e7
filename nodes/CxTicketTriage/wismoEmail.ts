/**
 * The "where is my order" answer a customer receives: the order's live status from Shopify (fulfilment status,
 * carrier, tracking number and link, the carrier's estimate, the promised date) and an apology when it is late.
 * Content only: pure, no n8n, no I/O, no clock. Customer and Shopify text is escaped in the HTML; the tracking
 * link is Shopify's own https URL (wismo.ts httpsLink), never one from the ticket.
 */
import { letter } from '../shared/email/layout';
import { escapeHtml } from '../shared/email/html';
import { excerpt, formatTime, oneLine } from '../shared/email/text';
import { isValidTimeZone } from '../shared/time';
import { httpsLink, type OrderStatusAnswer, type ShippingState } from './wismo';

export interface WismoStore {
	storeName?: string;
	/** IANA time zone the dates are shown in; UTC when it is not one. */
	timeZone?: string;
}

export interface WismoFacts {
	ticketId: string;
	firstName?: string;
	answer: OrderStatusAnswer;
}

const HEADLINE: Record<ShippingState, string> = {
	delivered: 'delivered',
	on_its_way: 'on its way',
	partly_shipped: 'partly shipped',
	being_prepared: 'being prepared',
};

const FULFILMENT: Record<string, string> = {
	UNFULFILLED: 'Not shipped yet',
	SCHEDULED: 'Scheduled',
	ON_HOLD: 'On hold',
	IN_PROGRESS: 'Being prepared',
	OPEN: 'Being prepared',
	PENDING_FULFILLMENT: 'Being prepared',
	PARTIALLY_FULFILLED: 'Partly shipped',
	FULFILLED: 'Shipped',
	RESTOCKED: 'Restocked',
	REQUEST_DECLINED: 'Being prepared',
};

/** "IN_TRANSIT" -> "in transit". */
const words = (status: string) => oneLine(status).toLowerCase().replace(/_/g, ' ');
const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
const zoneOf = (timeZone: string | undefined) => (timeZone && isValidTimeZone(timeZone) ? timeZone : 'UTC');

/** The subject line: the order, where it is, and the ticket number, on one line. */
export function wismoSubject(facts: WismoFacts): string {
	const ticket = excerpt(oneLine(facts.ticketId), 60);
	return oneLine(`Your order ${oneLine(facts.answer.orderName)} is ${HEADLINE[facts.answer.state]} [ticket ${ticket}]`);
}

/** The apology, when the order is late: counted from the promised date by the shared promise rule. */
export function wismoApology(answer: OrderStatusAnswer, store: WismoStore = {}): string | undefined {
	if (!answer.late) return undefined;
	const promised = formatTime(answer.promisedDeliveryDate, zoneOf(store.timeZone), false);
	const days = plural(answer.daysLate, 'day');
	return answer.deliveredAt
		? `We are sorry: your order arrived ${days} after the delivery date we promised (${promised}).`
		: `We are sorry: your order is ${days} past the delivery date we promised (${promised}).`;
}

/** The status lines, label and value, in the order the email shows them. */
export function wismoLines(answer: OrderStatusAnswer, store: WismoStore = {}): Array<[string, string]> {
	const zone = zoneOf(store.timeZone);
	const day = (iso: string) => formatTime(iso, zone, false);
	const lines: Array<[string, string]> = [['Fulfilment status', FULFILMENT[answer.fulfillmentStatus.toUpperCase()] ?? words(answer.fulfillmentStatus)]];
	if (answer.deliveryStatus && !answer.deliveredAt) lines.push(['Parcel status', words(answer.deliveryStatus)]);
	if (answer.carrier) lines.push(['Carrier', oneLine(answer.carrier)]);
	if (answer.trackingNumber) lines.push(['Tracking number', oneLine(answer.trackingNumber)]);
	if (answer.deliveredAt) lines.push(['Delivered', day(answer.deliveredAt)]);
	else if (answer.estimatedDeliveryAt) lines.push(["Carrier's estimated delivery", day(answer.estimatedDeliveryAt)]);
	lines.push(['Delivery promised by', day(answer.promisedDeliveryDate)]);
	return lines;
}

/** The email one customer receives about one order. */
export function renderWismoEmail(facts: WismoFacts, store: WismoStore = {}): { subject: string; html: string; text: string } {
	const { answer } = facts;
	const storeName = oneLine(store.storeName);
	const name = facts.firstName ? ` ${excerpt(oneLine(facts.firstName), 60)}` : '';
	const ticket = oneLine(facts.ticketId);
	const order = oneLine(answer.orderName);
	const intro = `Thank you for contacting ${storeName || 'us'}. Here is the latest on your order ${order} (ticket ${ticket}): it is ${HEADLINE[answer.state]}.`;
	const apology = wismoApology(answer, store);
	const lines = wismoLines(answer, store);
	// the answer holds Shopify's https link only; read again here, as nothing else may become the link
	const trackingUrl = httpsLink(oneLine(answer.trackingUrl));
	const track = trackingUrl ? `Track your parcel: ${trackingUrl}` : undefined;
	const keep = `If you have any other question, reply to this email and mention ticket ${ticket}.`;
	const text =
		[
			`Hi${name},`,
			intro,
			...(apology ? [apology] : []),
			lines.map(([label, value]) => `${label}: ${value}`).join('\n'),
			...(track ? [track] : []),
			keep,
			storeName,
		]
			.filter(Boolean)
			.join('\n\n') + '\n';
	const table = lines.map(([label, value]) => `${escapeHtml(label)}: <strong>${escapeHtml(value)}</strong>`).join('<br>');
	const html = letter([
		`Hi${escapeHtml(name)},`,
		escapeHtml(intro),
		...(apology ? [`<strong>${escapeHtml(apology)}</strong>`] : []),
		table,
		...(trackingUrl ? [`<a href="${escapeHtml(trackingUrl)}">Track your parcel</a>`] : []),
		`<span style="font-size:13px;color:#666">${escapeHtml(keep)}</span>`,
		...(storeName ? [escapeHtml(storeName)] : []),
	]);
	return { subject: wismoSubject(facts), html, text };
}

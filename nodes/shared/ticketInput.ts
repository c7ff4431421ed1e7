/**
 * Reading a ticket from an input item: the field names are parameters, and each problem names the
 * field and says how to fix it.
 */
import { createHash } from 'node:crypto';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { CHANNELS, CUSTOMER_TIERS } from './contract/request';
import { InputProblem, isEmailAddress, oneOf, optionalAmount, optionalNumber, optionalString, pastDate, requiredString } from './items';
import { isCurrency, moneyFromDecimal } from './money';
import { TICKET_STATUSES, type Ticket, type TicketStatus } from './contract/ticket';

export const FIELD_DEFAULTS = {
	id: 'id',
	subject: 'subject',
	body: 'body',
	channel: 'channel',
	customerEmail: 'customer_email',
	customerId: 'customer_id',
	createdAt: 'created_at',
	orderId: 'order_id',
	tier: 'tier',
	orderValue: 'order_value',
	currency: 'currency',
	status: 'status',
	pausedSince: 'paused_since',
	pausedSeconds: 'paused_seconds',
};
export type FieldNames = typeof FIELD_DEFAULTS;


/** The "Input Fields" parameter of every node that reads tickets from items; its defaults are FIELD_DEFAULTS (a unit test holds them equal). */
export const TICKET_FIELDS_PROPERTY: INodeProperties = {
	displayName: 'Input Fields',
	name: 'fields',
	type: 'collection',
	placeholder: 'Change Field Name',
	default: {},
	description: 'Where each ticket field is in the incoming items; dot paths such as "ticket.body" work',
	options: [
		{ displayName: 'Body', name: 'body', type: 'string', default: 'body', description: 'The customer\'s message; required' },
		{ displayName: 'Channel', name: 'channel', type: 'string', default: 'channel', description: 'One of email, chat, phone, social, whatsapp; required' },
		{ displayName: 'Created Time', name: 'createdAt', type: 'string', default: 'created_at', description: 'When the customer wrote (ISO 8601 or Unix time); the SLA clock starts here' },
		{ displayName: 'Currency', name: 'currency', type: 'string', default: 'currency', description: 'ISO currency of the order value; USD when absent' },
		{ displayName: 'Customer Email', name: 'customerEmail', type: 'string', default: 'customer_email', description: 'The customer\'s email; email or ID is required' },
		{ displayName: 'Customer ID', name: 'customerId', type: 'string', default: 'customer_id', description: 'The customer\'s ID (a Shopify ID enables lookup by ID)' },
		{ displayName: 'Order ID', name: 'orderId', type: 'string', default: 'order_id', description: 'The order the ticket is about, if any' },
		{ displayName: 'Order Value', name: 'orderValue', type: 'string', default: 'order_value', description: 'The order\'s total, as a number; when absent and an order ID is given, the total is read from Shopify' },
		{ displayName: 'Paused Seconds', name: 'pausedSeconds', type: 'string', default: 'paused_seconds', description: 'Seconds the ticket waited on the customer in earlier pauses; they do not count towards the resolution target' },
		{ displayName: 'Paused Since', name: 'pausedSince', type: 'string', default: 'paused_since', description: 'When the ticket began waiting on the customer (ISO 8601); its resolution clock is paused since' },
		{ displayName: 'Status', name: 'status', type: 'string', default: 'status', description: 'The helpdesk\'s status: open, pending, on_hold (or hold), solved, closed; pending and on hold pause the resolution clock' },
		{ displayName: 'Subject', name: 'subject', type: 'string', default: 'subject', description: 'The ticket\'s subject line' },
		{ displayName: 'Ticket ID', name: 'id', type: 'string', default: 'id', description: 'The helpdesk\'s ticket ID; when absent, an ID is derived from the ticket\'s content' },
		{ displayName: 'Tier', name: 'tier', type: 'string', default: 'tier', description: 'Regular, premium or vip, when the source already knows it' },
	],
};

/** The ticket, or the problem that keeps this item from being one. `now`: the run's time; a ticket opened, or paused, after it is refused. */
export function tryReadTicket(json: IDataObject, fields: FieldNames, maxBodyLength: number, now?: Date): Ticket | InputProblem {
	try {
		return readTicket(json, fields, maxBodyLength, now);
	} catch (error) {
		if (error instanceof InputProblem) return error;
		return new InputProblem('', `Could not read the ticket: ${(error as Error).message}`, 'Check the item\'s fields.');
	}
}

function readTicket(json: IDataObject, fields: FieldNames, maxBodyLength: number, now?: Date): Ticket {
	const subject = optionalString(json, fields.subject, 2_000) ?? '';
	const body = requiredString(json, fields.body, maxBodyLength);
	const channel = oneOf(requiredString(json, fields.channel, 50), CHANNELS, fields.channel)!;
	const customerEmail = optionalString(json, fields.customerEmail, 320);
	const customerId = optionalString(json, fields.customerId, 200, true);
	if (!customerEmail && !customerId) {
		throw new InputProblem(
			fields.customerEmail,
			`Neither "${fields.customerEmail}" nor "${fields.customerId}" is set`,
			'Give every ticket the customer\'s email or ID, or point the node\'s Input Fields at them.',
		);
	}
	if (customerEmail && !isEmailAddress(customerEmail)) {
		throw new InputProblem(fields.customerEmail, `Field "${fields.customerEmail}" is not an email address: "${customerEmail.slice(0, 80)}"`, 'Map it to the customer\'s email address.');
	}
	const createdAt = pastDate(json, fields.createdAt, now);
	const orderValue = optionalAmount(json, fields.orderValue);
	const currency = optionalString(json, fields.currency, 3) ?? 'USD';
	if (!isCurrency(currency)) {
		throw new InputProblem(fields.currency, `Field "${fields.currency}" is "${currency}", not an ISO 4217 currency code`, 'Use a three-letter ISO currency code such as USD or EUR.');
	}
	const value = orderValue === undefined ? undefined : moneyFromDecimal(orderValue, currency);
	const id = optionalString(json, fields.id, 200, true);
	const orderId = optionalString(json, fields.orderId, 200, true);
	const tier = oneOf(optionalString(json, fields.tier, 20), CUSTOMER_TIERS, fields.tier);
	const status = readStatus(json, fields.status);
	const pausedSince = pastDate(json, fields.pausedSince, now);
	const pausedSeconds = optionalNumber(json, fields.pausedSeconds);
	if (pausedSeconds !== undefined && pausedSeconds < 0) {
		throw new InputProblem(fields.pausedSeconds, `Field "${fields.pausedSeconds}" is ${pausedSeconds}, a negative time`, 'Give the seconds the ticket waited on the customer, 0 or more.');
	}
	return {
		ticketId: id ?? derivedTicketId(channel, customerEmail ?? customerId ?? '', createdAt, subject, body),
		subject,
		body,
		channel,
		...(customerEmail ? { customerEmail: customerEmail.toLowerCase() } : {}),
		...(customerId ? { customerId } : {}),
		...(createdAt ? { createdAt } : {}),
		...(orderId ? { orderId } : {}),
		...(tier ? { tier } : {}),
		...(value ? { orderValue: value } : {}),
		...(status ? { status } : {}),
		...(pausedSince ? { pausedSince } : {}),
		...(pausedSeconds !== undefined ? { pausedSeconds: Math.round(pausedSeconds) } : {}),
	};
}

/** Helpdesks' own words for the same statuses: Zendesk's "new" and "hold", "on hold" written out. */
const STATUS_ALIASES: Record<string, TicketStatus> = { new: 'open', hold: 'on_hold', 'on hold': 'on_hold', 'on-hold': 'on_hold', onhold: 'on_hold' };

function readStatus(json: IDataObject, path: string): TicketStatus | undefined {
	const text = optionalString(json, path, 40);
	if (text === undefined) return undefined;
	const normalised = text.toLowerCase();
	return STATUS_ALIASES[normalised] ?? oneOf(normalised, TICKET_STATUSES, path);
}

/** The same ticket replayed gets the same ID, so storing it twice updates one row. */
function derivedTicketId(channel: string, customer: string, createdAt: Date | undefined, subject: string, body: string): string {
	const digest = createHash('sha256').update([channel, customer, createdAt?.toISOString() ?? '', subject, body].join('\u0000')).digest('hex');
	return `cx-${digest.slice(0, 24)}`;
}


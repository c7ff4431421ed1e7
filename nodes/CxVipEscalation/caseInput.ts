/**
 * Reading an escalation case from an item: a ticket triaged by CX Ticket Triage carries everything; any
 * other item with a customer and a text is read with the node's field names and triaged here.
 */
import type { IDataObject } from 'n8n-workflow';
import { CUSTOMER_TIERS, PRIORITIES, type CustomerTier, type Priority } from '../shared/contract/request';
import { InputProblem, oneOf, optionalAmount, optionalEmail, optionalString, pastDate } from '../shared/items';
import { isCurrency, moneyFromDecimal, type Money } from '../shared/money';
import { tryReadTicket, type FieldNames } from '../shared/ticketInput';
import type { BusinessHours } from '../shared/time';
import { DEFAULT_TRIAGE_POLICY, notAnIssue, triageModel, triageTicket } from '../CxTicketTriage/triage';

export interface EscalationInput {
	ticketId: string;
	subject: string;
	body: string;
	channel?: string;
	createdAt?: string;
	customerEmail?: string;
	customerId?: string;
	orderId?: string;
	orderValue?: Money;
	/** undefined when the item does not know it: Shopify decides. */
	tier?: CustomerTier;
	priority: Priority;
	threats: string[];
	/** Why the ticket is not an issue to put right (triage's notAnIssue), when it is not one. */
	notAnIssue?: string;
	sla?: { firstResponseDueAt?: string; resolutionDueAt?: string };
	summary?: string;
}

type Triaged = {
	ticket: IDataObject;
	triage: { tier?: CustomerTier; tierSource?: string; priority?: Priority; intent?: unknown; sentiment?: { label?: unknown }; flags?: { threats?: string[] }; sla?: IDataObject; summary?: string };
};

const isTriaged = (json: IDataObject): boolean =>
	typeof json.triage === 'object' && json.triage !== null && typeof json.ticket === 'object' && json.ticket !== null;

/** `businessHours`: the store's, when its SLA clocks run only inside them (an untriaged ticket's due times are counted on them). */
export function tryReadCase(json: IDataObject, fields: FieldNames & { priority: string }, maxBodyLength: number, now: Date, businessHours: BusinessHours | null = null): EscalationInput | InputProblem {
	try {
		return isTriaged(json) ? readTriaged(json, now) : readRaw(json, fields, maxBodyLength, now, businessHours);
	} catch (error) {
		if (error instanceof InputProblem) return error;
		return new InputProblem('', `Could not read the ticket: ${(error as Error).message}`, 'Check the item\'s fields.');
	}
}

function readTriaged(json: IDataObject, now: Date): EscalationInput {
	const { triage } = json as unknown as Triaged;
	// every field by its whole path in the item ("ticket.id"), so a problem names the field to fix
	const text = (name: string, limit = 1_000) => optionalString(json, `ticket.${name}`, limit, true);
	const ticketId = text('id', 200);
	if (!ticketId) throw new InputProblem('ticket.id', 'Field "ticket.id" is missing', 'Connect the node to CX Ticket Triage\'s output, which sets it.');
	const value = optionalAmount(json, 'ticket.order_value');
	const currency = (text('currency', 3) ?? 'USD').toUpperCase();
	if (!isCurrency(currency)) throw new InputProblem('ticket.currency', `Field "ticket.currency" is "${currency}", not an ISO 4217 currency code`, 'Use a code such as USD.');
	const createdAt = pastDate(json, 'ticket.created_at', now);
	const customerEmail = optionalEmail(json, 'ticket.customer_email');
	const tier = oneOf(optionalString(json, 'triage.tier', 20), CUSTOMER_TIERS, 'triage.tier');
	const summary = optionalString(json, 'triage.summary', SUMMARY_LIMIT);
	const sla = triage.sla ?? {};
	return {
		ticketId,
		subject: text('subject', 1_000_000) ?? '',
		body: text('body', 1_000_000) ?? '',
		...(text('channel') ? { channel: text('channel') } : {}),
		...(createdAt ? { createdAt: createdAt.toISOString() } : {}),
		...(customerEmail ? { customerEmail } : {}),
		...(text('customer_id', 200) ? { customerId: text('customer_id', 200) } : {}),
		...(text('order_id', 200) ? { orderId: text('order_id', 200) } : {}),
		...(value !== undefined ? { orderValue: moneyFromDecimal(value, currency) } : {}),
		// triage's own default ("unknown customer") is no knowledge: let the store say
		...(tier && triage.tierSource !== 'default' ? { tier } : {}),
		priority: oneOf(optionalString(json, 'triage.priority', 20) ?? 'medium', PRIORITIES, 'triage.priority')!,
		threats: threatList(triage.flags?.threats),
		...issueOf(triage.intent, triage.sentiment?.label),
		sla: {
			...(typeof sla.firstResponseDueAt === 'string' ? { firstResponseDueAt: sla.firstResponseDueAt } : {}),
			...(typeof sla.resolutionDueAt === 'string' ? { resolutionDueAt: sla.resolutionDueAt } : {}),
		},
		...(summary ? { summary } : {}),
	};
}

/** The longest summary a triaged item may carry into an escalation email. */
const SUMMARY_LIMIT = 10_000;

/** Triage's threats on a triaged item: a list of threat kinds (as CX Ticket Triage puts out), each named. */
function threatList(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value) || !value.every((threat) => typeof threat === 'string' && /^[a-z_]{1,40}$/.test(threat))) {
		throw new InputProblem(
			'triage.flags.threats',
			`Field "triage.flags.threats" is ${JSON.stringify(value)?.slice(0, 100)}, not a list of threat kinds`,
			'Connect the node to CX Ticket Triage\'s output, or map "triage.flags.threats" to a list such as ["chargeback"].',
		);
	}
	return value as string[];
}

/**
 * Triage's reading of what the ticket is, when the item carries it: praise or a calm question is no issue. Only
 * for triaged items, where triage read the customer's own words: an item sent here untriaged was sent to be
 * escalated (the director's escalation requests, whose text may be a summary rather than the customer's).
 */
function issueOf(intent: unknown, sentiment: unknown): { notAnIssue?: string } {
	if (typeof intent !== 'string') return {};
	const why = notAnIssue(intent, typeof sentiment === 'string' ? sentiment : 'neutral');
	return why ? { notAnIssue: why } : {};
}

function readRaw(json: IDataObject, fields: FieldNames & { priority: string }, maxBodyLength: number, now: Date, businessHours: BusinessHours | null): EscalationInput {
	// a raw item need not say its channel: email is what most escalated tickets arrive by
	const withChannel = json[fields.channel] === undefined ? { ...json, [fields.channel]: 'email' } : json;
	const ticket = tryReadTicket(withChannel, fields, maxBodyLength, now);
	if (ticket instanceof InputProblem) throw ticket;
	// read as CX Ticket Triage reads it by default, so a case escalates the same on either path
	const { triage } = triageTicket(ticket, undefined, { ...DEFAULT_TRIAGE_POLICY, businessHours }, now, triageModel());
	const priority = oneOf(optionalString(json, fields.priority, 20), PRIORITIES, fields.priority) ?? triage.priority;
	return {
		ticketId: ticket.ticketId,
		subject: ticket.subject,
		body: ticket.body,
		channel: ticket.channel,
		...(ticket.createdAt ? { createdAt: ticket.createdAt.toISOString() } : {}),
		...(ticket.customerEmail ? { customerEmail: ticket.customerEmail } : {}),
		...(ticket.customerId ? { customerId: ticket.customerId } : {}),
		...(ticket.orderId ? { orderId: ticket.orderId } : {}),
		...(ticket.orderValue ? { orderValue: ticket.orderValue } : {}),
		...(ticket.tier ? { tier: ticket.tier } : {}),
		priority,
		threats: triage.flags.threats,
		sla: { firstResponseDueAt: triage.sla.firstResponseDueAt, resolutionDueAt: triage.sla.resolutionDueAt },
		summary: triage.summary,
	};
}

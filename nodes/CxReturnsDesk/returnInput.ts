/**
 * The item reader of CX Returns Desk: an item names a Shopify return, as Shopify's `returns/request` webhook sends
 * it (admin_graphql_api_id, or its numeric id), or as a workflow does (return_id: a GID or the number). Pure.
 */
import type { IDataObject } from 'n8n-workflow';
import { RETURN_GID, returnGid } from '../shared/contract/returnRequest';
import { InputProblem, readPath } from '../shared/items';

/** The return's GID an item names, or the problem with it, naming the field. */
export function namedReturn(json: IDataObject, field: string): string | InputProblem {
	// a returns/request webhook: its GID beside its numeric id
	const webhook = json.admin_graphql_api_id;
	if (field === 'return_id' && typeof webhook === 'string' && RETURN_GID.test(webhook)) return webhook;
	const value = readPath(json, field);
	if (value === undefined || value === null || value === '') {
		if (field === 'return_id' && (typeof json.id === 'number' || (typeof json.id === 'string' && /^\d+$/.test(json.id))) && Array.isArray(json.return_line_items)) return `gid://shopify/Return/${String(json.id)}`;
		return new InputProblem(field, `Field "${field}" is missing`, `Give the return's ID (gid://shopify/Return/123 or 123) in "${field}", or set Return ID Field to where the item holds it.`);
	}
	const text = String(value).trim();
	return returnGid(text) ?? new InputProblem(field, `Field "${field}" is "${text.slice(0, 80)}", not a Shopify return ID`, 'A return ID looks like gid://shopify/Return/123 or 123; an order\'s ID or name is not one.');
}

/** A ticket asking for a return, as triage puts it out (or a helpdesk sends it): its id, order, intents and words. */
export interface TicketReturnInput {
	ticketId: string;
	orderReference: string;
	intents: string[];
	text: string;
	requestedAt?: Date;
	customerEmail?: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

/**
 * A ticket item read for a return: CX Ticket Triage's output (ticket.id, ticket.order_id, triage.intent and
 * triage.secondaryIntent) or a flat ticket (id or ticket_id, order_id or order_name, intent). Problems name the field.
 */
export function readTicketReturn(json: IDataObject, returnIntents: readonly string[]): TicketReturnInput | InputProblem {
	const ticket = (json.ticket && typeof json.ticket === 'object' ? json.ticket : json) as IDataObject;
	const triage = (json.triage && typeof json.triage === 'object' ? json.triage : {}) as IDataObject;
	const ticketId = text(ticket.id) ?? text(json.ticket_id) ?? text(json.id);
	if (!ticketId?.trim()) return new InputProblem('ticket.id', 'Field "ticket.id" is missing', 'Give the ticket\'s id (CX Ticket Triage puts it in ticket.id; a flat item may use ticket_id or id).');
	const orderReference = text(ticket.order_id) ?? text(json.order_id) ?? text(json.order_name);
	if (!orderReference?.trim()) return new InputProblem('ticket.order_id', `Ticket ${ticketId}: no order is named (field "ticket.order_id")`, 'A return needs its order: give the order\'s name (#1042) or ID in ticket.order_id or order_id, or ask the customer for it.');
	const intents = [triage.intent, triage.secondaryIntent, json.intent, json.secondary_intent].map(text).filter((intent): intent is string => !!intent);
	if (!intents.some((intent) => returnIntents.includes(intent))) {
		return new InputProblem('triage.intent', `Ticket ${ticketId}: its intent is "${intents[0] ?? 'missing'}", not a return, an exchange or a refund`, `Send only tickets whose triage.intent is one of ${returnIntents.join(', ')} (the director's support_ticket route does).`);
	}
	const created = text(ticket.created_at) ?? text(json.created_at);
	const requestedAt = created ? new Date(created) : undefined;
	if (requestedAt && Number.isNaN(requestedAt.getTime())) return new InputProblem('ticket.created_at', `Ticket ${ticketId}: field "ticket.created_at" is "${created}", not a date`, 'Give the time the ticket was received, in ISO 8601.');
	const email = text(ticket.customer_email) ?? text(json.customer_email);
	return {
		ticketId: ticketId.trim(),
		orderReference: orderReference.trim(),
		intents,
		text: [text(ticket.subject), text(ticket.body)].filter(Boolean).join('\n'),
		...(requestedAt ? { requestedAt } : {}),
		...(email ? { customerEmail: email } : {}),
	};
}

/**
 * Reading helpdesk events from items: a preset per helpdesk webhook (Zendesk, Gorgias, Freshdesk, Help Scout), or
 * the Input Fields for any other source. An item straight from n8n's Webhook node ({ headers, body, ... }) is read
 * from its body (and, for Help Scout, the event name in its header); an item that is the payload itself works too.
 * Each problem names the field and says how to fix it.
 */
import { createHash } from 'node:crypto';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { InputProblem, optionalDate, optionalString, readPath } from '../shared/items';
import { TICKET_STATUSES, type TicketStatus } from '../shared/contract/ticket';
import { HELPDESK_EVENT_KINDS, type HelpdeskEvent, type HelpdeskEventKind } from './lifecycle';

export const EVENT_SOURCES = ['zendesk', 'gorgias', 'freshdesk', 'helpscout', 'fields'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export const EVENT_FIELD_DEFAULTS = {
	eventId: 'event_id',
	ticketId: 'ticket_id',
	kind: 'kind',
	status: 'status',
	assignee: 'assignee',
	actor: 'actor',
	occurredAt: 'occurred_at',
	isPublic: 'public',
};
export type EventFieldNames = typeof EVENT_FIELD_DEFAULTS;

/** The "Input Fields" of Record Helpdesk Events (source "Input Fields"); its defaults are EVENT_FIELD_DEFAULTS. */
export const EVENT_FIELDS_PROPERTY: INodeProperties = {
	displayName: 'Input Fields',
	name: 'eventFields',
	type: 'collection',
	placeholder: 'Change Field Name',
	default: {},
	description: 'Where each event field is in the incoming items; dot paths into nested fields work (body.ticket_id)',
	options: [
		{ displayName: 'Actor', name: 'actor', type: 'string', default: 'actor', description: 'Who acted: the agent\'s or customer\'s ID or email' },
		{ displayName: 'Assignee', name: 'assignee', type: 'string', default: 'assignee', description: 'For an assignment: the agent now assigned; empty when unassigned' },
		{ displayName: 'Event ID', name: 'eventId', type: 'string', default: 'event_id', description: 'The helpdesk\'s ID of the event; required: an event received twice is kept once' },
		{ displayName: 'Kind', name: 'kind', type: 'string', default: 'kind', description: 'One of agent_reply, customer_reply, status_change, reopen, assignment, internal_note; required' },
		{ displayName: 'Occurred At', name: 'occurredAt', type: 'string', default: 'occurred_at', description: 'When it happened (ISO 8601 or Unix time); required' },
		{ displayName: 'Public', name: 'isPublic', type: 'string', default: 'public', description: 'For an agent reply: false makes it an internal note (no reply to the customer)' },
		{ displayName: 'Status', name: 'status', type: 'string', default: 'status', description: 'For a status change: open, pending, on_hold, solved or closed (helpdesks\' own words such as "resolved" or "hold" work)' },
		{ displayName: 'Ticket ID', name: 'ticketId', type: 'string', default: 'ticket_id', description: 'The helpdesk\'s ticket ID, as triage stores it; required' },
	],
};

/** What an item is: an event, or a helpdesk notification the lifecycle does not follow (a tag or priority change). */
export type ReadEvent = { event: HelpdeskEvent } | { ignored: string };

export interface ReadOptions {
	source: EventSource;
	fields?: EventFieldNames;
	/** The source name recorded for Input Fields items (default "helpdesk"). */
	sourceName?: string;
}

/** The event, the reason it is not one the lifecycle follows, or the problem that keeps the item from being read. */
export function tryReadHelpdeskEvent(json: IDataObject, options: ReadOptions): ReadEvent | InputProblem {
	try {
		return readHelpdeskEvent(json, options);
	} catch (error) {
		if (error instanceof InputProblem) return error;
		return new InputProblem('', `Could not read the helpdesk event: ${(error as Error).message}`, 'Check the item\'s fields, or the helpdesk preset chosen.');
	}
}

export function readHelpdeskEvent(json: IDataObject, options: ReadOptions): ReadEvent {
	const { payload, headers, prefix } = unwrap(json);
	switch (options.source) {
		case 'zendesk':
			return readZendesk(payload, prefix);
		case 'gorgias':
			return readGorgias(payload, prefix);
		case 'freshdesk':
			return readFreshdesk(payload, prefix);
		case 'helpscout':
			return readHelpScout(payload, headers, prefix);
		default:
			return readFields(json, options.fields ?? EVENT_FIELD_DEFAULTS, options.sourceName?.trim() || 'helpdesk');
	}
}

/** An item from n8n's Webhook node carries the payload in `body` and the headers (lower case) in `headers`. */
function unwrap(json: IDataObject): { payload: IDataObject; headers: IDataObject; prefix: string } {
	const body = json.body;
	if (body && typeof body === 'object' && !Array.isArray(body) && json.headers && typeof json.headers === 'object') {
		return { payload: body as IDataObject, headers: json.headers as IDataObject, prefix: 'body.' };
	}
	return { payload: json, headers: {}, prefix: '' };
}

/** Helpdesks' own words for the five statuses. */
const STATUS_WORDS: Record<string, TicketStatus> = {
	new: 'open',
	open: 'open',
	active: 'open',
	pending: 'pending',
	'waiting on customer': 'pending',
	snoozed: 'pending',
	hold: 'on_hold',
	'on hold': 'on_hold',
	'on-hold': 'on_hold',
	onhold: 'on_hold',
	on_hold: 'on_hold',
	'waiting on third party': 'on_hold',
	solved: 'solved',
	resolved: 'solved',
	closed: 'closed',
	spam: 'closed',
};
/** Freshdesk's status numbers (2 open, 3 pending, 4 resolved, 5 closed; 6 and 7 its waiting statuses). */
const FRESHDESK_STATUS_NUMBERS: Record<string, TicketStatus> = { '2': 'open', '3': 'pending', '4': 'solved', '5': 'closed', '6': 'pending', '7': 'on_hold' };

function statusOf(value: unknown, field: string, numbers: Record<string, TicketStatus> = {}): TicketStatus {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim().toLowerCase().replace(/_/g, ' ') : '';
	const status = numbers[text] ?? STATUS_WORDS[text] ?? STATUS_WORDS[text.replace(/ /g, '_')];
	if (!status) {
		throw new InputProblem(field, `Field "${field}" is ${value === undefined || value === null || value === '' ? 'missing' : `"${String(value)}"`}, which is not a ticket status`, `Map "${field}" to one of ${TICKET_STATUSES.join(', ')} (or the helpdesk's own word: new, hold, resolved, waiting on customer).`);
	}
	return status;
}

function text(payload: IDataObject, path: string, prefix: string, required: true): string;
function text(payload: IDataObject, path: string, prefix: string, required?: false): string | undefined;
function text(payload: IDataObject, path: string, prefix: string, required = false): string | undefined {
	const value = readPath(payload, path);
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		if (required) throw new InputProblem(prefix + path, `Field "${prefix + path}" is missing or empty`, `The helpdesk's payload must carry "${prefix + path}": check the webhook's body, or choose the right helpdesk preset.`);
		return undefined;
	}
	if (typeof value !== 'string') throw new InputProblem(prefix + path, `Field "${prefix + path}" must be text but is ${Array.isArray(value) ? 'a list' : typeof value}`, `Check the webhook's body at "${prefix + path}".`);
	return value.trim();
}

function when(payload: IDataObject, path: string, prefix: string): Date {
	const at = optionalDate(payload, path);
	if (!at) throw new InputProblem(prefix + path, `Field "${prefix + path}" is missing or empty`, `The event needs the time it happened in "${prefix + path}" (ISO 8601 or Unix time).`);
	return at;
}

function truthy(value: unknown): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'boolean') return value;
	return ['true', '1', 'yes'].includes(String(value).trim().toLowerCase());
}

/** A stable id for helpdesks whose webhooks carry none: the same notification delivered twice gets the same id. */
function derivedId(...parts: Array<string | undefined | null>): string {
	return `d-${createHash('sha256').update(parts.map((part) => part ?? '').join('\u0000')).digest('hex').slice(0, 24)}`;
}

/**
 * Zendesk event webhooks (Admin Center > Webhooks, subscribed to ticket events): { type:
 * "zen:event-type:ticket.<event>", id, time, subject: "zen:ticket:<id>", detail: { id, status, assignee_id, ... },
 * event: { ... } }. comment_added's event.comment has is_public and author.is_staff.
 */
function readZendesk(payload: IDataObject, prefix: string): ReadEvent {
	const type = text(payload, 'type', prefix, true);
	const eventType = type.replace(/^zen:event-type:/, '');
	const eventId = text(payload, 'id', prefix, true);
	const ticketId = text(payload, 'detail.id', prefix) ?? /^zen:ticket:(.+)$/.exec(text(payload, 'subject', prefix) ?? '')?.[1];
	if (!ticketId) throw new InputProblem(`${prefix}detail.id`, `Field "${prefix}detail.id" is missing or empty`, 'A Zendesk ticket event names its ticket in detail.id (or subject "zen:ticket:<id>"): subscribe the webhook to ticket events.');
	const occurredAt = when(payload, 'time', prefix);
	const base = { source: 'zendesk', eventId, ticketId, occurredAt };
	switch (eventType) {
		case 'ticket.created':
			return { event: { ...base, kind: 'status_change', status: statusOf(readPath(payload, 'detail.status') ?? 'open', `${prefix}detail.status`) } };
		case 'ticket.status_changed':
			return { event: { ...base, kind: 'status_change', status: statusOf(readPath(payload, 'event.current'), `${prefix}event.current`) } };
		case 'ticket.agent_assignment_changed':
			return { event: { ...base, kind: 'assignment', assignee: text(payload, 'event.current', prefix) ?? null } };
		case 'ticket.comment_added': {
			const isPublic = truthy(readPath(payload, 'event.comment.is_public')) ?? true;
			const staff = truthy(readPath(payload, 'event.comment.author.is_staff'));
			if (staff === undefined) throw new InputProblem(`${prefix}event.comment.author.is_staff`, `Field "${prefix}event.comment.author.is_staff" is missing`, 'A Zendesk comment event says whether its author is staff: check the webhook\'s subscription.');
			const actor = text(payload, 'event.comment.author.id', prefix);
			const kind: HelpdeskEventKind = !staff ? 'customer_reply' : isPublic ? 'agent_reply' : 'internal_note';
			return { event: { ...base, kind, ...(actor ? { actor } : {}) } };
		}
		default:
			return { ignored: `zendesk ${eventType}` };
	}
}

/**
 * Gorgias HTTP integrations (Settings > HTTP integrations) send the body the store writes with Gorgias' template
 * variables; the template's sticky note gives the one this preset reads: { trigger, ticket: { id, status,
 * snooze_datetime, assignee_user: { email }, created_datetime, updated_datetime }, message: { id, from_agent,
 * public, created_datetime, sender: { email } } }. Gorgias' statuses are open and closed (closed is solved); a
 * snoozed open ticket waits on the customer (pending).
 */
function readGorgias(payload: IDataObject, prefix: string): ReadEvent {
	const trigger = text(payload, 'trigger', prefix, true);
	const ticketId = text(payload, 'ticket.id', prefix, true);
	const statusNow = (): TicketStatus => {
		const status = statusOf(readPath(payload, 'ticket.status'), `${prefix}ticket.status`);
		if (status === 'closed') return 'solved';
		return status === 'open' && text(payload, 'ticket.snooze_datetime', prefix) ? 'pending' : status;
	};
	switch (trigger) {
		case 'ticket-created':
			return { event: { source: 'gorgias', eventId: `${ticketId}:created`, ticketId, kind: 'status_change', status: 'open', occurredAt: when(payload, 'ticket.created_datetime', prefix) } };
		case 'ticket-message-created': {
			const messageId = text(payload, 'message.id', prefix, true);
			const fromAgent = truthy(readPath(payload, 'message.from_agent'));
			if (fromAgent === undefined) throw new InputProblem(`${prefix}message.from_agent`, `Field "${prefix}message.from_agent" is missing`, 'Put "from_agent": {{message.from_agent}} in the HTTP integration\'s body (the template\'s note has the whole body).');
			const isPublic = truthy(readPath(payload, 'message.public')) ?? true;
			const actor = text(payload, 'message.sender.email', prefix);
			const kind: HelpdeskEventKind = !fromAgent ? 'customer_reply' : isPublic ? 'agent_reply' : 'internal_note';
			return { event: { source: 'gorgias', eventId: `message:${messageId}`, ticketId, kind, ...(actor ? { actor } : {}), occurredAt: when(payload, 'message.created_datetime', prefix) } };
		}
		case 'ticket-status-updated':
		case 'ticket-updated': {
			const status = statusNow();
			const occurredAt = when(payload, 'ticket.updated_datetime', prefix);
			return { event: { source: 'gorgias', eventId: derivedId(ticketId, 'status', status, occurredAt.toISOString()), ticketId, kind: 'status_change', status, occurredAt } };
		}
		case 'ticket-assignment-updated': {
			const assignee = text(payload, 'ticket.assignee_user.email', prefix) ?? null;
			const occurredAt = when(payload, 'ticket.updated_datetime', prefix);
			return { event: { source: 'gorgias', eventId: derivedId(ticketId, 'assignment', assignee, occurredAt.toISOString()), ticketId, kind: 'assignment', assignee, occurredAt } };
		}
		default:
			return { ignored: `gorgias ${trigger}` };
	}
}

/**
 * Freshdesk automation rules (Admin > Automations, action "Trigger webhook", JSON body) send the body the store
 * writes with Freshdesk's placeholders, one rule per event; the template's note gives the one this preset reads:
 * { freshdesk_webhook: { event, ticket_id, ticket_status, ticket_agent_email, triggered_at } }, event one of
 * agent_reply, customer_reply, note, status_change, assignment. Freshdesk's webhooks carry no event id: it is
 * derived from the notification's content, so a retried delivery is the same event.
 */
function readFreshdesk(payload: IDataObject, prefix: string): ReadEvent {
	const root = readPath(payload, 'freshdesk_webhook') && typeof readPath(payload, 'freshdesk_webhook') === 'object' ? 'freshdesk_webhook.' : '';
	const event = text(payload, `${root}event`, prefix, true).toLowerCase();
	const ticketId = text(payload, `${root}ticket_id`, prefix, true);
	const occurredAt = when(payload, `${root}triggered_at`, prefix);
	const at = occurredAt.toISOString();
	const actor = text(payload, `${root}actor_email`, prefix);
	const base = { source: 'freshdesk', ticketId, occurredAt, ...(actor ? { actor } : {}) };
	switch (event) {
		case 'agent_reply':
		case 'customer_reply':
			return { event: { ...base, eventId: derivedId(ticketId, event, at), kind: event } };
		case 'note':
		case 'internal_note':
			return { event: { ...base, eventId: derivedId(ticketId, 'note', at), kind: 'internal_note' } };
		case 'status_change': {
			const status = statusOf(readPath(payload, `${root}ticket_status`), `${prefix}${root}ticket_status`, FRESHDESK_STATUS_NUMBERS);
			return { event: { ...base, eventId: derivedId(ticketId, 'status', status, at), kind: 'status_change', status } };
		}
		case 'assignment': {
			const assignee = text(payload, `${root}ticket_agent_email`, prefix) ?? null;
			return { event: { ...base, eventId: derivedId(ticketId, 'assignment', assignee, at), kind: 'assignment', assignee } };
		}
		default:
			throw new InputProblem(`${prefix}${root}event`, `Field "${prefix}${root}event" is "${event}", which is not a Freshdesk event this node reads`, 'Set "event" in each automation rule\'s body to one of agent_reply, customer_reply, note, status_change, assignment.');
	}
}

/**
 * Help Scout webhooks (Manage > Apps > Webhooks): the event in the X-HelpScout-Event header, the conversation in
 * the body { id, status (active, pending, closed, spam), assignee: { id, email }, createdAt, userUpdatedAt,
 * _embedded: { threads: [newest first: { id, type (customer, reply, note), createdAt, createdBy: { email } }] } }.
 */
function readHelpScout(payload: IDataObject, headers: IDataObject, prefix: string): ReadEvent {
	const name = typeof headers['x-helpscout-event'] === 'string' ? String(headers['x-helpscout-event']) : text(payload, 'event', prefix);
	if (!name) throw new InputProblem('headers.x-helpscout-event', 'Header "x-helpscout-event" is missing', 'Connect the Webhook node directly (its items carry the headers), or put the event name in the item\'s "event".');
	const ticketId = text(payload, 'id', prefix, true);
	const thread = (type: string): { id: string; at: Date; actor?: string } => {
		const threads = readPath(payload, '_embedded.threads');
		const found = Array.isArray(threads) ? (threads as IDataObject[]).find((candidate) => candidate && candidate.type === type) : undefined;
		const field = `${prefix}_embedded.threads`;
		if (!found) throw new InputProblem(field, `Field "${field}" holds no thread of type "${type}"`, 'A Help Scout reply or note event carries the conversation with its threads: check the webhook\'s payload.');
		const id = text(found, 'id', `${field}[].`, true);
		const at = when(found, 'createdAt', `${field}[].`);
		const actor = text(found, 'createdBy.email', `${field}[].`);
		return { id, at, ...(actor ? { actor } : {}) };
	};
	switch (name) {
		case 'convo.created':
			return { event: { source: 'helpscout', eventId: `${ticketId}:created`, ticketId, kind: 'status_change', status: 'open', occurredAt: when(payload, 'createdAt', prefix) } };
		case 'convo.agent.reply.created':
		case 'convo.customer.reply.created':
		case 'convo.note.created': {
			const kind: HelpdeskEventKind = name === 'convo.note.created' ? 'internal_note' : name === 'convo.agent.reply.created' ? 'agent_reply' : 'customer_reply';
			const { id, at, actor } = thread(name === 'convo.note.created' ? 'note' : name === 'convo.agent.reply.created' ? 'reply' : 'customer');
			return { event: { source: 'helpscout', eventId: `thread:${id}`, ticketId, kind, ...(actor ? { actor } : {}), occurredAt: at } };
		}
		case 'convo.status': {
			const status = statusOf(readPath(payload, 'status'), `${prefix}status`);
			const occurredAt = when(payload, 'userUpdatedAt', prefix);
			return { event: { source: 'helpscout', eventId: derivedId(ticketId, 'status', status, occurredAt.toISOString()), ticketId, kind: 'status_change', status: status === 'closed' ? 'solved' : status, occurredAt } };
		}
		case 'convo.assigned': {
			const assignee = text(payload, 'assignee.email', prefix) ?? text(payload, 'assignee.id', prefix) ?? null;
			const occurredAt = when(payload, 'userUpdatedAt', prefix);
			return { event: { source: 'helpscout', eventId: derivedId(ticketId, 'assignment', assignee, occurredAt.toISOString()), ticketId, kind: 'assignment', assignee, occurredAt } };
		}
		default:
			return { ignored: `helpscout ${name}` };
	}
}

const KIND_WORDS: Record<string, HelpdeskEventKind> = { note: 'internal_note', status: 'status_change', assigned: 'assignment', reply: 'agent_reply' };

function readFields(json: IDataObject, fields: EventFieldNames, source: string): ReadEvent {
	const eventId = optionalString(json, fields.eventId, 200, true);
	if (!eventId) throw new InputProblem(fields.eventId, `Field "${fields.eventId}" is missing or empty`, `Give every event the helpdesk's event ID in "${fields.eventId}" (an event received twice is kept once), or point Input Fields at it.`);
	const ticketId = optionalString(json, fields.ticketId, 200, true);
	if (!ticketId) throw new InputProblem(fields.ticketId, `Field "${fields.ticketId}" is missing or empty`, `Give every event its ticket's ID in "${fields.ticketId}", or point Input Fields at it.`);
	const kindText = optionalString(json, fields.kind, 40)?.toLowerCase();
	const kind = kindText ? (KIND_WORDS[kindText] ?? (HELPDESK_EVENT_KINDS as readonly string[]).find((candidate) => candidate === kindText)) : undefined;
	if (!kind) {
		throw new InputProblem(fields.kind, `Field "${fields.kind}" is ${kindText ? `"${kindText}"` : 'missing'}, which is not an event kind`, `Map "${fields.kind}" to one of ${HELPDESK_EVENT_KINDS.join(', ')}.`);
	}
	const occurredAt = optionalDate(json, fields.occurredAt);
	if (!occurredAt) throw new InputProblem(fields.occurredAt, `Field "${fields.occurredAt}" is missing or empty`, `Give every event the time it happened in "${fields.occurredAt}" (ISO 8601 or Unix time).`);
	const actor = optionalString(json, fields.actor, 320, true);
	const isPublic = truthy(readPath(json, fields.isPublic));
	const base = { source, eventId, ticketId, occurredAt, ...(actor ? { actor } : {}) };
	if (kind === 'status_change') return { event: { ...base, kind, status: statusOf(readPath(json, fields.status), fields.status) } };
	if (kind === 'assignment') return { event: { ...base, kind, assignee: optionalString(json, fields.assignee, 320, true) ?? null } };
	if (kind === 'agent_reply' && isPublic === false) return { event: { ...base, kind: 'internal_note' } };
	return { event: { ...base, kind } };
}

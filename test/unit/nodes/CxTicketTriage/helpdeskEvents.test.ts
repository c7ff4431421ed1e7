import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { InputProblem } from '../../../../nodes/shared/items';
import { EVENT_FIELD_DEFAULTS, EVENT_FIELDS_PROPERTY, readHelpdeskEvent, tryReadHelpdeskEvent, type EventSource } from '../../../../nodes/CxTicketTriage/helpdeskEvents';
import { foldLifecycle, lifecycleColumns, type HelpdeskEvent } from '../../../../nodes/CxTicketTriage/lifecycle';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'support', 'helpdesk', `${name}-webhooks.json`), 'utf8')) as IDataObject[];
const readAll = (source: EventSource, items: IDataObject[]) => items.map((item) => readHelpdeskEvent(item, { source }));
const eventsOf = (source: EventSource, items: IDataObject[]) => readAll(source, items).flatMap((read) => ('event' in read ? [read.event] : []));
const summary = (events: HelpdeskEvent[]) => events.map((event) => [event.kind, event.status ?? event.assignee ?? event.actor ?? null, event.occurredAt.toISOString()]);

describe('helpdesk webhook presets, read from realistic payloads', () => {
	it('Zendesk ticket event webhooks: created, assignment, public and private comments by staff and customer, status changes; a priority change is not a lifecycle event', () => {
		const reads = readAll('zendesk', fixture('zendesk'));
		expect(reads[9]).toEqual({ ignored: 'zendesk ticket.priority_changed' });
		const events = eventsOf('zendesk', fixture('zendesk'));
		expect(events[0]).toEqual({ source: 'zendesk', eventId: '01JC9A0000000000000000001', ticketId: '35436', kind: 'status_change', status: 'open', occurredAt: new Date('2026-11-02T09:00:00Z') });
		expect(summary(events)).toEqual([
			['status_change', 'open', '2026-11-02T09:00:00.000Z'],
			['assignment', '384027146512', '2026-11-02T09:05:00.000Z'],
			['agent_reply', '384027146512', '2026-11-02T09:20:00.000Z'],
			['status_change', 'pending', '2026-11-02T09:20:05.000Z'],
			['customer_reply', '19823441201', '2026-11-02T11:00:00.000Z'],
			['status_change', 'open', '2026-11-02T11:00:02.000Z'],
			['internal_note', '384027146512', '2026-11-02T11:30:00.000Z'],
			['agent_reply', '384027146512', '2026-11-02T12:00:00.000Z'],
			['status_change', 'solved', '2026-11-02T12:00:05.000Z'],
		]);
		expect(lifecycleColumns(foldLifecycle(events))).toEqual({
			status: 'solved', first_responded_at: '2026-11-02T09:20:00.000Z', first_resolved_at: '2026-11-02T12:00:05.000Z', resolved_at: '2026-11-02T12:00:05.000Z',
			requester_wait_seconds: 4810, on_hold_seconds: 0, paused_seconds: 5995, paused_since: null, agent_replies: 2, customer_replies: 1,
			replies_to_resolution: 2, reopen_count: 0, assignee: '384027146512', last_event_at: '2026-11-02T12:00:05.000Z', event_count: 9,
		});
	});

	it('Gorgias HTTP integration: a closed ticket is solved, and the customer writing back the next morning reopens it once', () => {
		const events = eventsOf('gorgias', fixture('gorgias'));
		expect(events.map((event) => event.eventId).slice(0, 2)).toEqual(['48213201:created', 'message:771001']);
		expect(lifecycleColumns(foldLifecycle(events))).toEqual({
			status: 'solved', first_responded_at: '2026-11-03T14:30:00.000Z', first_resolved_at: '2026-11-03T14:31:00.000Z', resolved_at: '2026-11-04T08:21:00.000Z',
			requester_wait_seconds: 1860 + 1260, on_hold_seconds: 0, paused_seconds: 0, paused_since: null, agent_replies: 2, customer_replies: 2,
			replies_to_resolution: 1, reopen_count: 1, assignee: 'ana@example-store.test', last_event_at: '2026-11-04T08:21:00.000Z', event_count: 9,
		});
	});

	it('Freshdesk automation webhooks: "Waiting on Third Party" is on hold, "Resolved" solves, the retried delivery of a reply is the same event', () => {
		const events = eventsOf('freshdesk', fixture('freshdesk'));
		expect(events[2].eventId).toBe(events[3].eventId);
		expect(events[4]).toMatchObject({ kind: 'status_change', status: 'on_hold' });
		expect(lifecycleColumns(foldLifecycle(events))).toEqual({
			status: 'closed', first_responded_at: '2026-11-05T10:40:00.000Z', first_resolved_at: '2026-11-05T16:51:00.000Z', resolved_at: '2026-11-05T16:51:00.000Z',
			requester_wait_seconds: 2460 + 600, on_hold_seconds: 21600, paused_seconds: 21600, paused_since: null, agent_replies: 2, customer_replies: 0,
			replies_to_resolution: 2, reopen_count: 0, assignee: 'sam@example-store.test', last_event_at: '2026-11-07T16:51:00.000Z', event_count: 8,
		});
	});

	it('Help Scout webhooks: the event from its header, the reply from the newest thread of its type; closed is solved; a tag change is not a lifecycle event', () => {
		const reads = readAll('helpscout', fixture('helpscout'));
		expect(reads[8]).toEqual({ ignored: 'helpscout convo.tags' });
		const events = eventsOf('helpscout', fixture('helpscout'));
		expect(events.filter((event) => event.eventId.startsWith('thread:')).map((event) => event.eventId)).toEqual(['thread:1002', 'thread:1003', 'thread:1004', 'thread:1005']);
		expect(lifecycleColumns(foldLifecycle(events))).toEqual({
			status: 'solved', first_responded_at: '2026-11-06T08:45:00.000Z', first_resolved_at: '2026-11-06T13:21:00.000Z', resolved_at: '2026-11-06T13:21:00.000Z',
			requester_wait_seconds: 2730 + 1260, on_hold_seconds: 0, paused_seconds: 15270, paused_since: null, agent_replies: 2, customer_replies: 1,
			replies_to_resolution: 2, reopen_count: 0, assignee: 'lee@example-store.test', last_event_at: '2026-11-06T13:21:00.000Z', event_count: 8,
		});
	});

	it('reads the payload itself as well as the Webhook node\'s item around it', () => {
		const [delivery] = fixture('zendesk');
		expect(readHelpdeskEvent(delivery.body as IDataObject, { source: 'zendesk' })).toEqual(readHelpdeskEvent(delivery, { source: 'zendesk' }));
	});

	it('Input Fields: any other source, with the store\'s field names and its own words for statuses', () => {
		const item = { ev: { id: 991, ticket: 'T-7', type: 'status_change', to: 'Resolved', at: '2026-11-02T10:00:00Z' } };
		const fields = { ...EVENT_FIELD_DEFAULTS, eventId: 'ev.id', ticketId: 'ev.ticket', kind: 'ev.type', status: 'ev.to', occurredAt: 'ev.at' };
		expect(readHelpdeskEvent(item, { source: 'fields', fields, sourceName: 'shop-inbox' })).toEqual({
			event: { source: 'shop-inbox', eventId: '991', ticketId: 'T-7', kind: 'status_change', status: 'solved', occurredAt: new Date('2026-11-02T10:00:00Z') },
		});
		const privateReply = { event_id: 'x1', ticket_id: 'T-7', kind: 'agent_reply', public: false, occurred_at: '2026-11-02T10:00:00Z' };
		expect(readHelpdeskEvent(privateReply, { source: 'fields' })).toMatchObject({ event: { kind: 'internal_note', source: 'helpdesk' } });
	});

	it('the Input Fields parameter shows the defaults the reader uses', () => {
		const defaults = Object.fromEntries((EVENT_FIELDS_PROPERTY.options as Array<{ name: string; default: string }>).map((option) => [option.name, option.default]));
		expect(defaults).toEqual(EVENT_FIELD_DEFAULTS);
	});

	it.each([
		['fields', { ticket_id: 'T-1', kind: 'agent_reply', occurred_at: '2026-11-02T10:00:00Z' }, 'event_id', 'Field "event_id" is missing or empty'],
		['fields', { event_id: 'e1', ticket_id: 'T-1', kind: 'thumbs_up', occurred_at: '2026-11-02T10:00:00Z' }, 'kind', 'Field "kind" is "thumbs_up", which is not an event kind'],
		['fields', { event_id: 'e1', ticket_id: 'T-1', kind: 'status_change', status: 'archived', occurred_at: '2026-11-02T10:00:00Z' }, 'status', 'Field "status" is "archived", which is not a ticket status'],
		['fields', { event_id: 'e1', ticket_id: 'T-1', kind: 'agent_reply', occurred_at: 'yesterday' }, 'occurred_at', 'Field "occurred_at" is not a valid date: "yesterday"'],
		['zendesk', { headers: {}, body: { type: 'zen:event-type:ticket.status_changed', id: 'z1', subject: 'zen:ticket:9', detail: { id: '9' }, event: { current: 'SOLVED' } } }, 'body.time', 'Field "body.time" is missing or empty'],
		['helpscout', { headers: {}, body: { id: 5, status: 'active' } }, 'headers.x-helpscout-event', 'Header "x-helpscout-event" is missing'],
		['gorgias', { headers: {}, body: { trigger: 'ticket-message-created', ticket: { id: 1 }, message: { id: 2, created_datetime: '2026-11-02T10:00:00Z' } } }, 'body.message.from_agent', 'Field "body.message.from_agent" is missing'],
		['freshdesk', { headers: {}, body: { freshdesk_webhook: { event: 'escalated', ticket_id: 3, triggered_at: '2026-11-02T10:00:00Z' } } }, 'body.freshdesk_webhook.event', 'Field "body.freshdesk_webhook.event" is "escalated", which is not a Freshdesk event this node reads'],
	])('%s: a bad item names its field %#', (source, item, field, message) => {
		const read = tryReadHelpdeskEvent(item as IDataObject, { source: source as EventSource });
		expect(read).toBeInstanceOf(InputProblem);
		expect((read as InputProblem).field).toBe(field);
		expect((read as InputProblem).message).toBe(message);
		expect((read as InputProblem).fix.length).toBeGreaterThan(20);
	});
});

/**
 * Record Helpdesk Events, the run: keeps each event once, then folds every touched ticket again from ALL its
 * stored events (lifecycle.ts) and writes the lifecycle columns. A ticket not triaged yet gets a minimal row at
 * once (its id and created time), which triage fills in later without touching the lifecycle columns.
 */
import type { Row, SupabaseService } from '../shared/services/supabase';
import { TICKET_STATUSES, type TicketStatus } from '../shared/contract/ticket';
import { ensureTicketRows, eventsOfTickets, insertEvents, storedEventKeys, writeLifecycle } from '../shared/store/ticketEvents';
import { storedTicketTimes } from '../shared/store/tickets';
import { foldLifecycle, HELPDESK_EVENT_KINDS, lifecycleColumns, type HelpdeskEvent, type HelpdeskEventKind, type TicketLifecycle } from './lifecycle';

export const eventKey = (event: { source: string; eventId: string }) => `${event.source}\u0000${event.eventId}`;

export interface TicketOutcome {
	lifecycle: TicketLifecycle;
	/** Whether the row was created for a ticket not triaged yet. */
	rowCreated: boolean;
	/** Whether this run wrote the row (false when a fold of as many events was stored already). */
	written: boolean;
}

export interface RecordReport {
	/** By event key: new, or already stored (a delivery received again). */
	recorded: Map<string, 'recorded' | 'duplicate'>;
	tickets: Map<string, TicketOutcome>;
}

export async function recordHelpdeskEvents(supabase: SupabaseService, events: HelpdeskEvent[]): Promise<RecordReport> {
	const unique = [...new Map(events.map((event) => [eventKey(event), event])).values()];
	const recorded = new Map<string, 'recorded' | 'duplicate'>();
	const tickets = new Map<string, TicketOutcome>();
	if (!unique.length) return { recorded, tickets };

	const stored = await storedEventKeys(supabase, unique.map((event) => ({ source: event.source, event_id: event.eventId })));
	const fresh = unique.filter((event) => !stored.has(eventKey(event)));
	await insertEvents(supabase, fresh.map(eventRow));
	for (const event of unique) recorded.set(eventKey(event), stored.has(eventKey(event)) ? 'duplicate' : 'recorded');

	const ticketIds = [...new Set(unique.map((event) => event.ticketId))];
	const byTicket = new Map<string, HelpdeskEvent[]>();
	for (const row of await eventsOfTickets(supabase, ticketIds)) {
		const event = storedEvent(row);
		byTicket.set(event.ticketId, [...(byTicket.get(event.ticketId) ?? []), event]);
	}
	const rows = await storedTicketTimes(supabase, ticketIds);
	const missing = ticketIds.filter((id) => !rows.has(id));
	await ensureTicketRows(
		supabase,
		missing.map((id) => ({ external_id: id, ticket_created_at: earliest(byTicket.get(id) ?? []).toISOString() })),
	);
	for (const id of ticketIds) {
		const row = rows.get(id);
		const lifecycle = foldLifecycle(byTicket.get(id) ?? [], { createdAt: row?.createdAt ?? null, firstRespondedAt: row?.firstRespondedAt ?? null });
		const written = await writeLifecycle(supabase, id, lifecycleColumns(lifecycle), lifecycle.eventCount);
		tickets.set(id, { lifecycle, rowCreated: missing.includes(id), written });
	}
	return { recorded, tickets };
}

function eventRow(event: HelpdeskEvent): Row {
	return {
		source: event.source,
		event_id: event.eventId,
		ticket_external_id: event.ticketId,
		kind: event.kind,
		status: event.kind === 'status_change' ? (event.status ?? null) : null,
		assignee: event.kind === 'assignment' ? (event.assignee ?? null) : null,
		actor: event.actor ?? null,
		occurred_at: event.occurredAt.toISOString(),
	};
}

function storedEvent(row: Row): HelpdeskEvent {
	const status = (TICKET_STATUSES as readonly string[]).includes(String(row.status)) ? (row.status as TicketStatus) : undefined;
	const kind = (HELPDESK_EVENT_KINDS as readonly string[]).includes(String(row.kind)) ? (row.kind as HelpdeskEventKind) : 'internal_note';
	return {
		source: String(row.source),
		eventId: String(row.event_id),
		ticketId: String(row.ticket_external_id),
		kind,
		...(status ? { status } : {}),
		...(kind === 'assignment' ? { assignee: row.assignee === null || row.assignee === undefined ? null : String(row.assignee) } : {}),
		...(row.actor ? { actor: String(row.actor) } : {}),
		occurredAt: new Date(String(row.occurred_at)),
	};
}

function earliest(events: HelpdeskEvent[]): Date {
	return new Date(events.reduce((first, event) => Math.min(first, event.occurredAt.getTime()), Number.POSITIVE_INFINITY));
}

/**
 * `ticket_events` (migration 20261204200000_ticket_lifecycle): each helpdesk event once, unique by its source and
 * the source's event id; the ticket's lifecycle columns in `tickets` are folded from them (Record Helpdesk Events
 * of CX Ticket Triage writes both).
 */
import { KEYS_PER_FILTER, type Row, type SupabaseService } from '../services/supabase';
import { TICKETS_KEY, TICKETS_TABLE } from './tickets';

export const TICKET_EVENTS_TABLE = 'ticket_events';
/** The unique key an event received twice is kept once by. */
export const TICKET_EVENTS_KEY = 'source,event_id';

/** The keys (`source` + NUL + `event_id`) of these events already stored. */
export async function storedEventKeys(supabase: SupabaseService, events: Array<{ source: string; event_id: string }>): Promise<Set<string>> {
	const found = new Set<string>();
	const ids = [...new Set(events.map((event) => event.event_id))];
	for (let i = 0; i < ids.length; i += KEYS_PER_FILTER) {
		const rows = await supabase.readWhere(TICKET_EVENTS_TABLE, { columns: 'source, event_id', filters: [{ column: 'event_id', op: 'in', value: ids.slice(i, i + KEYS_PER_FILTER) }] });
		for (const row of rows) found.add(`${String(row.source)}\u0000${String(row.event_id)}`);
	}
	return found;
}

/** Inserts the events not stored yet (on conflict do nothing): a delivery received twice stays one row. */
export async function insertEvents(supabase: SupabaseService, rows: Row[]): Promise<void> {
	if (rows.length) await supabase.insertMissing(TICKET_EVENTS_TABLE, rows, TICKET_EVENTS_KEY);
}

/** Every stored event of these tickets (all sources), in no particular order: the fold orders them. */
export async function eventsOfTickets(supabase: SupabaseService, ticketIds: string[]): Promise<Row[]> {
	const rows: Row[] = [];
	const unique = [...new Set(ticketIds)];
	for (let i = 0; i < unique.length; i += KEYS_PER_FILTER) {
		rows.push(
			...(await supabase.readWhere(TICKET_EVENTS_TABLE, {
				columns: 'source, event_id, ticket_external_id, kind, status, assignee, actor, occurred_at',
				filters: [{ column: 'ticket_external_id', op: 'in', value: unique.slice(i, i + KEYS_PER_FILTER) }],
			})),
		);
	}
	return rows;
}

/**
 * A minimal row for each ticket not triaged yet (its id and created time; on conflict nothing): the lifecycle is
 * written into it at once, and triage fills in its own columns later without touching the lifecycle ones.
 */
export async function ensureTicketRows(supabase: SupabaseService, rows: Array<{ external_id: string; ticket_created_at: string }>): Promise<void> {
	if (rows.length) await supabase.insertMissing(TICKETS_TABLE, rows, TICKETS_KEY);
}

/**
 * Writes a ticket's folded lifecycle columns unless a fold of at least as many events is stored already: two
 * deliveries handled at once each fold what they read, and the fold that saw fewer events never overwrites the
 * other (events are only ever added, so the fold of more events is the later one). Returns whether it wrote.
 */
export async function writeLifecycle(supabase: SupabaseService, externalId: string, columns: Row, eventCount: number): Promise<boolean> {
	const written = await supabase.updateWhere(TICKETS_TABLE, [{ column: TICKETS_KEY, op: 'eq', value: externalId }, { column: 'event_count', op: 'lt', value: eventCount }], columns);
	return written.length > 0;
}

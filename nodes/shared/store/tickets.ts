/**
 * `tickets` (migrations: 20261122000000_cx_director, ..._ticket_acknowledgement, ..._claim_tokens): one row per
 * helpdesk ticket, unique by its external id; triage writes it, escalation, the SLA sweep, the metrics, health,
 * win-back and the feedback follow-up read it.
 */
import type { Row, SupabaseService } from '../services/supabase';

export const TICKETS_TABLE = 'tickets';
/** The unique key a triage replay upserts on. */
export const TICKETS_KEY = 'external_id';
/** Statuses of a ticket still waiting for the store. */
export const OPEN_TICKET_STATUSES = ['open', 'pending'];

/** Raises a ticket's escalation level; never lowers it, and a ticket not stored is left alone. */
export async function raiseTicketEscalationLevel(supabase: SupabaseService, externalId: string, level: number): Promise<void> {
	await supabase.updateWhere(TICKETS_TABLE, [{ column: 'external_id', op: 'eq', value: externalId }, { column: 'escalation_level', op: 'lt', value: level }], { escalation_level: level });
}

/**
 * Open tickets whose first response or resolution is past due at `now` and that can still climb
 * (escalation level below 3), oldest due first, page by page.
 */
export async function overdueTickets(supabase: SupabaseService, now: Date, limit = 5_000): Promise<Row[]> {
	const at = now.toISOString();
	return supabase.selectAll('read overdue tickets', TICKETS_TABLE, '*', (query) =>
		query
			.in('status', OPEN_TICKET_STATUSES)
			.lt('escalation_level', 3)
			.or(`and(first_responded_at.is.null,first_response_due_at.lt."${at}"),and(resolved_at.is.null,resolution_due_at.lt."${at}")`)
			.order('first_response_due_at', { ascending: true })
			.order('external_id', { ascending: true }),
	limit);
}

/**
 * Customer ids and emails on open or pending tickets: a store has hundreds of those, not one per
 * customer, so they are read whole instead of looked up customer by customer.
 */
export async function openTicketCustomers(supabase: SupabaseService): Promise<Row[]> {
	return supabase.selectAll('read open tickets', TICKETS_TABLE, 'id, customer_id, customer_email', (query) => query.in('status', OPEN_TICKET_STATUSES).order('id'));
}

/** Open and pending tickets of these customers (ids in every form they may be stored in); `whole` reads all and keeps theirs. */
export async function openTicketsOf(supabase: SupabaseService, customerIds: string[], whole = false): Promise<Row[]> {
	return supabase.readForCustomers('read open tickets', TICKETS_TABLE, 'customer_id', customerIds, whole, (query) => query.in('status', OPEN_TICKET_STATUSES));
}


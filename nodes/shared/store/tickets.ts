/**
 * `tickets` (migrations: 20261122000000_cx_director, ..._ticket_acknowledgement, ..._claim_tokens,
 * ..._ticket_waiting_clock): one row per
 * helpdesk ticket, unique by its external id; triage writes it, escalation, the SLA sweep, the metrics, health,
 * win-back and the feedback follow-up read it.
 */
import { OPEN_TICKET_STATUSES } from '../contract/ticket';
import { KEYS_PER_FILTER, type Row, type SupabaseService } from '../services/supabase';

export const TICKETS_TABLE = 'tickets';
/** The unique key a triage replay upserts on. */
export const TICKETS_KEY = 'external_id';
export { OPEN_TICKET_STATUSES };

/** A stored ticket's own times: when it was first seen, and its first response (triage's, the helpdesk's or the pack's own reply). */
export interface StoredTicketTimes {
	createdAt: Date | null;
	firstRespondedAt: Date | null;
	/** Whether the row's status and waiting clock are folded from helpdesk events (ticket_events): then they are theirs alone. */
	followsEvents: boolean;
}

/** The stored times of these tickets, by external id; tickets not stored are absent. */
export async function storedTicketTimes(supabase: SupabaseService, externalIds: string[]): Promise<Map<string, StoredTicketTimes>> {
	const found = new Map<string, StoredTicketTimes>();
	const unique = [...new Set(externalIds)];
	const instant = (value: unknown) => {
		const at = value ? new Date(String(value)) : null;
		return at && !Number.isNaN(at.getTime()) ? at : null;
	};
	for (let i = 0; i < unique.length; i += KEYS_PER_FILTER) {
		const rows = await supabase.readWhere(TICKETS_TABLE, {
			columns: 'external_id, ticket_created_at, first_responded_at, event_count',
			filters: [{ column: TICKETS_KEY, op: 'in', value: unique.slice(i, i + KEYS_PER_FILTER) }],
		});
		for (const row of rows) {
			found.set(String(row.external_id), { createdAt: instant(row.ticket_created_at), firstRespondedAt: instant(row.first_responded_at), followsEvents: Number(row.event_count ?? 0) > 0 });
		}
	}
	return found;
}

/** Raises a ticket's escalation level; never lowers it, and a ticket not stored is left alone. */
export async function raiseTicketEscalationLevel(supabase: SupabaseService, externalId: string, level: number): Promise<void> {
	await supabase.updateWhere(TICKETS_TABLE, [{ column: 'external_id', op: 'eq', value: externalId }, { column: 'escalation_level', op: 'lt', value: level }], { escalation_level: level });
}

/**
 * Open tickets whose first response or resolution may be past due at `now` and that can still climb
 * (escalation level below 3), oldest due first, page by page. The resolution is read by its stored due time:
 * time spent waiting on the customer (paused_seconds, paused_since) only moves it later, so the sweep's
 * decision (escalation.ts, missedTargets) settles whether it is missed.
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
 * Open tickets still waiting for their first reply whose acknowledgement was claimed at or before `claimedBefore` and
 * never settled (no SendGrid message id): left by a run that stopped, or answered unclearly. Oldest claim first.
 */
export async function leftAcknowledgements(supabase: SupabaseService, claimedBefore: Date): Promise<Row[]> {
	return supabase.selectAll('read unsettled acknowledgements', TICKETS_TABLE, 'id, external_id, subject, customer_email, first_response_due_at, triage, acknowledged_at, acknowledgement_claim, status', (query) =>
		query
			.in('status', OPEN_TICKET_STATUSES)
			.is('first_responded_at', null)
			.is('acknowledgement_message_id', null)
			.not('acknowledgement_claim', 'is', null)
			.lte('acknowledged_at', claimedBefore.toISOString())
			.order('acknowledged_at')
			.order('id'),
	);
}

/** Tickets of these customers open, pending or on hold, never solved or closed (ids in every form they may be stored in); `whole` reads all and keeps theirs. */
export async function openTicketsOf(supabase: SupabaseService, customerIds: string[], whole = false): Promise<Row[]> {
	return supabase.readForCustomers('read open tickets', TICKETS_TABLE, 'customer_id', customerIds, whole, (query) => query.in('status', OPEN_TICKET_STATUSES));
}


/**
 * Tickets solved or closed with their latest solve in (from, to], earliest first: the ones satisfaction after
 * support may ask about (a ticket reopened since is open again and not read).
 */
export async function solvedTicketsBetween(supabase: SupabaseService, from: Date, to: Date, limit = 10_000): Promise<Row[]> {
	return supabase.selectAll('read solved tickets', TICKETS_TABLE, 'external_id, status, resolved_at, customer_id, customer_email, subject, assignee, tags, order_id, tier, channel', (query) =>
		query
			.in('status', ['solved', 'closed'])
			.gt('resolved_at', from.toISOString())
			.lte('resolved_at', to.toISOString())
			.order('resolved_at', { ascending: true })
			.order('external_id', { ascending: true }),
	limit);
}

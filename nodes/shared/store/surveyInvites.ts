import type { SupabaseService } from '../services/supabase';

/** `survey_invites` (migrations: 20261125010000_survey_invites, 20261204140100_survey_invites_delivered, 20261204330000_ticket_surveys): one invitation per order (or solved ticket) and survey type, written before it is sent, with the token the answer links carry. */

export const SURVEY_INVITES_TABLE = 'survey_invites';
/** The table's unique key: what an insert or upsert conflicts on. */
export const SURVEY_INVITES_KEY = 'order_id,type';
/** The unique key of the invitations about tickets: one question per ticket and type. */
export const SURVEY_INVITES_TICKET_KEY = 'ticket_id,type';

/**
 * The latest delivery of a question's invitations sent (or claimed for sending) up to `now` (their created_at
 * is their run's Now): where the next run's catch-up starts. One left pending (its email was refused) does
 * not move it, so the next run still looks at its order; invitations recorded as of a later Now do not count.
 */
export async function latestDeliveryAsked(supabase: SupabaseService, type: string, now: Date): Promise<Date | undefined> {
	const [row] = await supabase.selectAll(`read ${SURVEY_INVITES_TABLE}`, SURVEY_INVITES_TABLE, 'delivered_at', (query) =>
		query.eq('type', type).in('status', ['sent', 'sending']).lte('created_at', now.toISOString()).not('delivered_at', 'is', null).order('delivered_at', { ascending: false }), 1);
	const at = typeof row?.delivered_at === 'string' ? new Date(row.delivered_at) : undefined;
	return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

/**
 * The latest solve asked about by satisfaction after support (sent, or claimed for sending, up to `now`):
 * where the next run's catch-up starts, as latestDeliveryAsked is for the post-purchase survey.
 */
export async function latestSolveAsked(supabase: SupabaseService, now: Date): Promise<Date | undefined> {
	const [row] = await supabase.selectAll(`read ${SURVEY_INVITES_TABLE}`, SURVEY_INVITES_TABLE, 'ticket_resolved_at', (query) =>
		query.not('ticket_id', 'is', null).in('status', ['sent', 'sending']).lte('created_at', now.toISOString()).not('ticket_resolved_at', 'is', null).order('ticket_resolved_at', { ascending: false }), 1);
	const at = typeof row?.ticket_resolved_at === 'string' ? new Date(row.ticket_resolved_at) : undefined;
	return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

/**
 * `survey_responses` (migrations 20261122000000_cx_director, 20261204330000_ticket_surveys): one row per answer, unique by its external id (the
 * survey token for answers the pack records; an answer after support carries ticket_id and agent); the survey writes it, metrics, health and the feedback follow-up read it.
 */
import type { Row, SupabaseService } from '../services/supabase';

export const SURVEY_RESPONSES_TABLE = 'survey_responses';
/** The unique key a repeated answer upserts on. */
export const SURVEY_RESPONSES_KEY = 'external_id';

/** These customers' survey answers of these types given up to `until`. */
export async function surveyAnswersOf(supabase: SupabaseService, customerIds: string[], types: string[], until: Date, whole = false): Promise<Row[]> {
	return supabase.readForCustomers('read survey_responses', SURVEY_RESPONSES_TABLE, 'customer_id, type, score, responded_at', customerIds, whole, (query) =>
		query.in('type', types).lte('responded_at', until.toISOString()),
	);
}

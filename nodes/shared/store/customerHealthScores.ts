/**
 * `customer_health_scores` (migrations: ..._customer_health, ..._customer_health_previous, ..._previous_all): one
 * score per customer and day, so a rerun the same day replaces it.
 */
import { KEYS_PER_FILTER, PAGE_ROWS, type Row, type SupabaseService } from '../services/supabase';

export const CUSTOMER_HEALTH_SCORES_TABLE = 'customer_health_scores';
/** One score per customer and day. */
export const CUSTOMER_HEALTH_SCORES_KEY = 'customer_id,scored_on';

/** Each of these customer ids' latest health score on a day before `day` (YYYY-MM-DD): one row per id at most. */
export async function previousHealthScores(supabase: SupabaseService, customerIds: string[], day: string, whole = false): Promise<Row[]> {
	const columns = 'customer_id, score, scored_on';
	const rows: Row[] = [];
	const unique = [...new Set(customerIds)];
	if (!whole) {
		for (let i = 0; i < unique.length; i += KEYS_PER_FILTER) {
			rows.push(...(await supabase.callFunction<Row[]>('read customer_health_scores', 'cx_previous_health_scores', { customer_ids: unique.slice(i, i + KEYS_PER_FILTER), before_day: day }, columns)));
		}
		return rows;
	}
	// every customer's, a page after the last customer id of the one before (the function orders by it)
	const wanted = new Set(unique);
	for (let after: string | null = null; ; ) {
		const page: Row[] = await supabase.callFunction<Row[]>('read customer_health_scores', 'cx_previous_health_scores', { customer_ids: null, before_day: day, after_customer_id: after, max_rows: PAGE_ROWS }, columns);
		rows.push(...page.filter((row) => wanted.has(String(row.customer_id))));
		if (page.length < PAGE_ROWS) return rows;
		after = String(page[page.length - 1].customer_id);
	}
}

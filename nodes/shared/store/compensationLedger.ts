/**
 * `compensation_ledger` (migrations: 20261122000000_cx_director, ..._compensation_notifications,
 * 20261204100000_compensation_once_per_order): one row per order and reason, ever, with the policy version it
 * was decided under, written before any payout; a later policy does not compensate the order again. CX Delay
 * Compensation writes it, win-back and health read who was compensated lately.
 */
import type { Row, SupabaseService } from '../services/supabase';

export const COMPENSATION_LEDGER_TABLE = 'compensation_ledger';
/** The unique key that makes a compensation happen once. */
export const COMPENSATION_LEDGER_KEY = 'order_id,reason';

/** Compensations recorded since `since` (any status but skipped): who was compensated lately. */
export async function compensationsSince(supabase: SupabaseService, since: Date): Promise<Row[]> {
	return supabase.selectAll('read compensation_ledger', COMPENSATION_LEDGER_TABLE, 'id, customer_id, customer_email, created_at, status', (query) =>
		query.gte('created_at', since.toISOString()).neq('status', 'skipped').order('id'),
	);
}

/** These customers' compensations for these reasons recorded between `since` and `until`, skipped ones left out. */
export async function compensationsOf(supabase: SupabaseService, customerIds: string[], reasons: string[], since: Date, until: Date, whole = false): Promise<Row[]> {
	return supabase.readForCustomers('read compensation_ledger', COMPENSATION_LEDGER_TABLE, 'customer_id, order_id', customerIds, whole, (query) =>
		query.in('reason', reasons).neq('status', 'skipped').gte('created_at', since.toISOString()).lte('created_at', until.toISOString()),
	);
}

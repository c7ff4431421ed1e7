/**
 * `compensation_ledger` (migrations: 20261122000000_cx_director, ..._compensation_notifications,
 * 20261204100000_compensation_once_per_order, 20261205010000_compensation_approval): one row per order and
 * reason, ever, with the policy version it was decided under, written before any payout; a later policy does not
 * compensate the order again. A row that waits for a person carries its approval request and answer. CX Delay
 * Compensation writes it, win-back and health read who was compensated lately.
 */
import type { Row, SupabaseService } from '../services/supabase';

export const COMPENSATION_LEDGER_TABLE = 'compensation_ledger';
/** The unique key that makes a compensation happen once. */
export const COMPENSATION_LEDGER_KEY = 'order_id,reason';

/** Rows that are not compensations: skipped, and declined or expired approvals (nothing was paid). */
export const NOT_COMPENSATION_STATUSES: readonly string[] = ['skipped', 'declined', 'expired'];
/** The same, as PostgREST's `not in` list. */
const NOT_COMPENSATIONS = `(${NOT_COMPENSATION_STATUSES.join(',')})`;

/** These customers' compensations for these reasons recorded between `since` and `until`, skipped ones left out. */
export async function compensationsOf(supabase: SupabaseService, customerIds: string[], reasons: string[], since: Date, until: Date, whole = false): Promise<Row[]> {
	return supabase.readForCustomers('read compensation_ledger', COMPENSATION_LEDGER_TABLE, 'customer_id, order_id', customerIds, whole, (query) =>
		query.in('reason', reasons).not('status', 'in', NOT_COMPENSATIONS).gte('created_at', since.toISOString()).lte('created_at', until.toISOString()),
	);
}

/**
 * Claims a row that waits for a person for one approval request: set only while the row still needs approval and
 * was never asked about, so of two runs (or a daily run repeating itself) one request goes out. True when claimed.
 */
export async function claimApprovalRequest(supabase: SupabaseService, ledgerId: string, request: { token: string; to: string; at: Date; expiresAt: Date; orderName: string }): Promise<boolean> {
	const claimed = await supabase.updateWhere(
		COMPENSATION_LEDGER_TABLE,
		[
			{ column: 'id', op: 'eq', value: ledgerId },
			{ column: 'status', op: 'eq', value: 'needs_approval' },
			{ column: 'approval_requested_at', op: 'is', value: null },
		],
		{ approval_token: request.token, approval_requested_to: request.to, approval_requested_at: request.at.toISOString(), approval_expires_at: request.expiresAt.toISOString(), order_name: request.orderName },
	);
	return claimed.length > 0;
}

/** Withdraws a request whose email certainly did not go out, so the next run asks again. */
export async function releaseApprovalRequest(supabase: SupabaseService, token: string): Promise<void> {
	await supabase.updateWhere(
		COMPENSATION_LEDGER_TABLE,
		[{ column: 'approval_token', op: 'eq', value: token }, { column: 'approval_decision', op: 'is', value: null }],
		{ approval_token: null, approval_requested_to: null, approval_requested_at: null, approval_expires_at: null },
	);
}

/** A ledger row by its id. */
export async function ledgerRow(supabase: SupabaseService, ledgerId: string): Promise<Row | undefined> {
	const [row] = await supabase.readWhere(COMPENSATION_LEDGER_TABLE, { filters: [{ column: 'id', op: 'eq', value: ledgerId }] });
	return row;
}

/** The row an approval token belongs to. */
export async function rowOfApproval(supabase: SupabaseService, token: string): Promise<Row | undefined> {
	const [row] = await supabase.readWhere(COMPENSATION_LEDGER_TABLE, { filters: [{ column: 'approval_token', op: 'eq', value: token }] });
	return row;
}

/**
 * Records the answer to an approval request once: only while the row still waits for it (needs approval, no
 * answer yet). Returns the row as updated, or undefined when another answer (a second click) came first.
 */
export async function answerApproval(supabase: SupabaseService, token: string, patch: Row): Promise<Row | undefined> {
	const [row] = await supabase.updateWhere(
		COMPENSATION_LEDGER_TABLE,
		[
			{ column: 'approval_token', op: 'eq', value: token },
			{ column: 'status', op: 'eq', value: 'needs_approval' },
			{ column: 'approval_decision', op: 'is', value: null },
		],
		patch,
	);
	return row;
}

/** Whether the order has a compensation paid under another row (another reason): compensated another way. */
export async function paidOtherwise(supabase: SupabaseService, orderId: string, ledgerId: string): Promise<boolean> {
	const rows = await supabase.readWhere(COMPENSATION_LEDGER_TABLE, { columns: 'status', filters: [{ column: 'order_id', op: 'eq', value: orderId }, { column: 'id', op: 'neq', value: ledgerId }, { column: 'status', op: 'eq', value: 'completed' }] });
	return rows.length > 0;
}

/** Compensations recorded on these orders (skipped, declined and expired rows aside): what a return must not stack on. */
export async function compensationsOnOrders(supabase: SupabaseService, orderIds: string[]): Promise<Row[]> {
	if (!orderIds.length) return [];
	const rows = await supabase.rowsWhereIn(COMPENSATION_LEDGER_TABLE, 'order_id', orderIds);
	return rows.filter((row) => !NOT_COMPENSATION_STATUSES.includes(String(row.status)));
}

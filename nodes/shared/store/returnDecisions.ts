/**
 * `return_decisions` (migration 20261206000000_return_decisions): one row per return and step (decide, process),
 * written before CX Returns Desk acts; the Shopify action and each email are claimed on the row first. The desk
 * writes it; metrics and health read the return reasons and outcomes from it.
 */
import type { ClaimColumns } from '../ledger';
import type { Row, SupabaseService } from '../services/supabase';

export const RETURN_DECISIONS_TABLE = 'return_decisions';
/** The unique key that makes each step of a return happen once. */
export const RETURN_DECISIONS_KEY = 'return_key,step';

export type ReturnStep = 'decide' | 'process';

/** The Shopify action of a row (approve, decline, process): claimed before it is sent. */
export const ACTION_CLAIM: ClaimColumns = { table: RETURN_DECISIONS_TABLE, key: 'id', at: 'action_claimed_at', token: 'action_token' };
/** Store credit's bonus of a processed return: claimed before it is credited. */
export const BONUS_CLAIM: ClaimColumns = { table: RETURN_DECISIONS_TABLE, key: 'id', at: 'bonus_claimed_at', token: 'bonus_token' };
/** The customer's email and the staff's, each claimed before it is sent. */
export const CUSTOMER_EMAIL_CLAIM: ClaimColumns = { table: RETURN_DECISIONS_TABLE, key: 'id', at: 'customer_email_claimed_at', token: 'customer_email_token' };
export const STAFF_EMAIL_CLAIM: ClaimColumns = { table: RETURN_DECISIONS_TABLE, key: 'id', at: 'staff_email_claimed_at', token: 'staff_email_token' };

/**
 * Writes the rows not written yet (a rerun keeps the first decision) and returns every row of these keys for the
 * step, as stored, with the keys this call wrote (of two runs at once, one writes each row).
 */
export async function recordReturnDecisions(supabase: SupabaseService, step: ReturnStep, rows: Row[]): Promise<{ rows: Map<string, Row>; written: Set<string> }> {
	const inserted = rows.length ? await supabase.insertNew(RETURN_DECISIONS_TABLE, rows.map((row) => ({ ...row, step })), RETURN_DECISIONS_KEY) : [];
	return { rows: await returnDecisionsOf(supabase, step, rows.map((row) => String(row.return_key))), written: new Set(inserted.map((row) => String(row.return_key))) };
}

/** The rows of these return keys for the step, by return key. */
export async function returnDecisionsOf(supabase: SupabaseService, step: ReturnStep, returnKeys: string[]): Promise<Map<string, Row>> {
	const stored = await supabase.rowsWhereIn(RETURN_DECISIONS_TABLE, 'return_key', returnKeys);
	return new Map(stored.filter((row) => row.step === step).map((row) => [String(row.return_key), row]));
}

/** The rows of these Shopify returns for the step, by return id (a ticket's row is keyed by the ticket, and names its return). */
export async function returnDecisionsByReturnId(supabase: SupabaseService, step: ReturnStep, returnIds: string[]): Promise<Map<string, Row>> {
	const stored = await supabase.rowsWhereIn(RETURN_DECISIONS_TABLE, 'return_id', returnIds);
	return new Map(stored.filter((row) => row.step === step).map((row) => [String(row.return_id), row]));
}

/** Writes `patch` on one row. */
export async function updateReturnDecision(supabase: SupabaseService, id: string, patch: Row): Promise<void> {
	await supabase.updateById(RETURN_DECISIONS_TABLE, id, patch);
}

/** What a report counts a decided return by: its outcome, resolution, fault, line reasons, value and when it was decided. */
export const RETURN_REPORT_COLUMNS = 'outcome, resolution, fault, return_reasons, currency, returned_cents, created_at';

/**
 * The decisions (step decide) written in [from, to), RETURN_REPORT_COLUMNS only, a page at a time in id order, each
 * page handed to `onPage` and then dropped (a year of returns never sits in memory at once). Returns the rows read.
 */
export async function eachReturnDecidedBetween(supabase: SupabaseService, from: Date, to: Date, onPage: (rows: Row[]) => void | Promise<void>): Promise<number> {
	return supabase.eachPage(
		RETURN_DECISIONS_TABLE,
		{
			columns: RETURN_REPORT_COLUMNS,
			filters: [
				{ column: 'step', op: 'eq', value: 'decide' satisfies ReturnStep },
				{ column: 'created_at', op: 'gte', value: from.toISOString() },
				{ column: 'created_at', op: 'lt', value: to.toISOString() },
			],
		},
		onPage,
	);
}

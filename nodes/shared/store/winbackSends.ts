/**
 * `winback_sends` (migrations: 20261122000000_cx_director, ..._winback_progress, ..._winback_claim, ..._move_tokens, ..._winback_sending_since, ..._winback_sent_and_claim, ..._winback_plan, ..._winback_context): one row per
 * customer and campaign window, moving pending -> coded -> sending -> sent, only forward.
 */
import { randomUUID } from 'node:crypto';
import { PAGE_ROWS, type Row, type SupabaseService } from '../services/supabase';

export const WINBACK_SENDS_TABLE = 'winback_sends';
/** One win-back per customer and campaign window. */
export const WINBACK_SENDS_KEY = 'customer_id,campaign_window';

/** What a win-back run reads before it plans (winbackContext). */
export interface WinbackContext {
	/** Tickets still open: id, customer_id, customer_email. */
	openTickets: Row[];
	/** Compensations recorded since the given time: id, customer_id, customer_email, created_at, status. */
	compensations: Row[];
	/** Win-back rows sent within the cooldown, and every row of the campaign window whatever its state. */
	sends: Row[];
	/** The erased customers' key hashes (privacy.ts erasedAmongKeys matches customers to them). */
	erasedKeys: Set<string>;
}

/**
 * Who was in touch lately and who was erased, in one call (migration 20261206120000_winback_context; one JSON value,
 * which max-rows does not cut). The filters come from where each table's rules live: the ticket statuses that are
 * open (contract/ticket.ts), the ledger statuses that are no compensation (compensationLedger.ts).
 */
export async function winbackContext(supabase: SupabaseService, filters: { openStatuses: readonly string[]; compensatedSince: Date; notCompensationStatuses: readonly string[]; sentSince: Date; window: string }): Promise<WinbackContext> {
	const context = await supabase.callFunction<{ open_tickets: Row[]; compensations: Row[]; sends: Row[]; erased_keys: string[] }>('read who was in touch lately', 'cx_winback_context', {
		open_statuses: filters.openStatuses,
		compensated_since: filters.compensatedSince.toISOString(),
		not_compensation_statuses: filters.notCompensationStatuses,
		sent_since: filters.sentSince.toISOString(),
		plan_window: filters.window,
	});
	return { openTickets: context.open_tickets, compensations: context.compensations, sends: context.sends, erasedKeys: new Set(context.erased_keys) };
}

/** Planned rows a call writes and reads back at most: about a megabyte of JSON each way. */
const PLANNED_ROWS_PER_CALL = 5_000;

/**
 * Writes the rows of a campaign window's customers that are not there yet (a row an earlier run of the window wrote
 * keeps its code and status) and returns those customers' rows as the ledger holds them, in one call per 5,000
 * customers (migration 20261206110000_winback_plan: the rows come back as one JSON value, which max-rows does not cut).
 */
export async function planWinbackSends(supabase: SupabaseService, window: string, planned: Row[]): Promise<Row[]> {
	const rows: Row[] = [];
	for (let i = 0; i < planned.length; i += PLANNED_ROWS_PER_CALL) {
		rows.push(...((await supabase.callFunction<Row[] | null>('write winback_sends', 'cx_winback_plan', { plan_window: window, planned: planned.slice(i, i + PLANNED_ROWS_PER_CALL) })) ?? []));
	}
	return rows;
}

/** A set of scalars comes back as plain values, or as one-column rows depending on the PostgREST version. */
const idsOf = (rows: Array<string | Row> | null): Set<string> => new Set((rows ?? []).map((entry) => (typeof entry === 'string' ? entry : String(Object.values(entry)[0]))));

/**
 * Moves win-back sends to `to` from one of the states `from`, in one statement per 1000 rows, and returns
 * the ids it moved (a move to sending records `sendingSince`; a move elsewhere clears it): a row another run moved first is not returned, so it is neither set back nor mailed twice.
 */
export async function moveWinbackSends(supabase: SupabaseService, ids: string[], from: string[], to: string, set: { discountId?: string; lastError?: string; sendingSince?: Date } = {}): Promise<Set<string>> {
	const moved = new Set<string>();
	for (let i = 0; i < ids.length; i += PAGE_ROWS) {
		// a token of this move: a retry after a lost answer finds the rows this move made `to` and counts them its own
		const token = randomUUID();
		const rows = await supabase.callFunction<Array<string | Row> | null>('update winback_sends', 'cx_move_winback_sends', {
			send_ids: ids.slice(i, i + PAGE_ROWS),
			from_statuses: from,
			to_status: to,
			new_discount_id: set.discountId ?? null,
			new_last_error: set.lastError ?? null,
			new_move_token: token,
			// to sending: when (the run's Now), so a row left sending can be judged by SendGrid's activity later
			new_sending_since: set.sendingSince?.toISOString() ?? null,
		});
		for (const id of idsOf(rows)) moved.add(id);
	}
	return moved;
}

/** A batch SendGrid took: its rows, the request's message id, and when (the run's Now). */
export interface SentBatch {
	ids: string[];
	messageId: string | null;
	sentAt: Date;
}

/**
 * One call, one transaction (migration 20261206100000_winback_sent_and_claim): marks `coded` rows coded (their codes
 * made: from pending or failed, as moveWinbackSends), the batch SendGrid took sent, and claims the next batch (coded
 * -> sending, recording `sendingSince`, as moveWinbackSends); returns the ids it claimed. Any part may be empty: the
 * first claim has no batch before it, the last batch no claim after it. At most PAGE_ROWS ids to claim (a batch of
 * mail is at most 1000 recipients).
 */
export async function markSentAndClaim(supabase: SupabaseService, step: { coded?: string[]; sent?: SentBatch; claim: string[]; sendingSince: Date }): Promise<Set<string>> {
	const { coded = [], sent, claim, sendingSince } = step;
	if (claim.length > PAGE_ROWS) throw new Error(`at most ${PAGE_ROWS} win-back sends are claimed at once, not ${claim.length}`);
	// a token of this claim: a retry after a lost answer finds the rows it claimed and counts them its own
	const token = randomUUID();
	const rows = await supabase
		.callFunction<Array<string | Row> | null>('update winback_sends', 'cx_winback_sent_and_claim', {
			coded_ids: coded,
			sent_ids: sent?.ids ?? [],
			sent_message_id: sent?.messageId ?? null,
			sent_at_time: sent?.sentAt.toISOString() ?? null,
			claim_ids: claim,
			claim_move_token: token,
			claim_sending_since: sendingSince.toISOString(),
		})
		.catch(async (failure: unknown) => {
			// the call may have been made with every answer lost: the claim is given back, so its rows are not left
			// claimed and unmailed (if this fails too, the next run settles them by SendGrid's activity)
			if (claim.length) await supabase.callFunction('update winback_sends', 'cx_winback_release_claim', { claim_move_token: token }).catch(() => undefined);
			return Promise.reject(failure);
		});
	return idsOf(rows);
}

/**
 * Exactly once, the one way every node that sends email keeps it: a row is claimed by a conditional update
 * before anything is sent (of two runs at once, one claims it), the email goes out, and the claim is settled
 * with what happened, or released by one rule when SendGrid did not take the message.
 *
 * The rule for a failure after the SendGrid service's own retries (afterSendFailure): a refusal (4xx, 429 once
 * its waits ran out) or a gateway failure (502, 503, 504) means nothing went out, so the claim is released and
 * the next run sends the email; anything else (a 500, no answer at all) may have been accepted, so the claim
 * stays and the email is reported unconfirmed, never sent again. Gateway failures count as "nothing went out"
 * because the SendGrid service itself retries them on that same reading: were they unclear, its own retry
 * could already have sent the message twice.
 */
import { randomUUID } from 'node:crypto';
import { NodeApiError, type JsonObject } from 'n8n-workflow';
import { filterChunks } from './idChunks';
import { isDefiniteRefusal, type SendGridService } from './services/sendgrid';
import type { Row, RowFilter, SupabaseService } from './services/supabase';

/** What a send failure leaves the claim as: released (nothing went out) or kept (it may have gone out). */
export type AfterFailure = 'release' | 'keep';

export function afterSendFailure(error: NodeApiError): AfterFailure {
	return isDefiniteRefusal(error) ? 'release' : 'keep';
}

/** A claim on rows: when (the run's Now) and whose (a token of this claim alone, so two runs as of one Now stay apart). */
export interface Claim {
	at: string;
	token: string;
}

export function newClaim(now: Date): Claim {
	return { at: now.toISOString(), token: randomUUID() };
}

/** Where a claim lives on a row: the key column, the time column (null while unclaimed) and the token column. */
export interface ClaimColumns {
	table: string;
	key: string;
	at: string;
	token: string;
}

/**
 * Claims the rows of `ids` whose `at` column is still null (and that match `filters`), in one statement per id
 * chunk; returns the ids this claim holds. `patch` is written with the claim.
 */
export async function claimRows(supabase: SupabaseService, columns: ClaimColumns, ids: string[], claim: Claim, filters: RowFilter[] = [], patch: Row = {}): Promise<Set<string>> {
	const claimed = new Set<string>();
	for (const chunk of filterChunks(ids)) {
		const rows = await supabase.updateWhere(columns.table, [{ column: columns.key, op: 'in', value: chunk }, { column: columns.at, op: 'is', value: null }, ...filters], {
			[columns.at]: claim.at,
			[columns.token]: claim.token,
			...patch,
		});
		for (const row of rows) claimed.add(String(row[columns.key]));
		if (claimed.size < chunk.length) {
			// the claim was made but its answer lost (a 5xx after the update, a cut connection): the retried update finds
			// the rows taken, by this very claim. The token tells them apart from another run's: they are this claim's.
			const own = await supabase.readWhere(columns.table, { columns: columns.key, filters: [{ column: columns.key, op: 'in', value: chunk }, { column: columns.token, op: 'eq', value: claim.token }] });
			for (const row of own) claimed.add(String(row[columns.key]));
		}
	}
	return claimed;
}

/** Writes `patch` on the rows this claim still holds: a claim another run made later is never touched. */
export async function settleClaim(supabase: SupabaseService, columns: ClaimColumns, ids: string[], claim: Claim, patch: Row): Promise<void> {
	for (const chunk of filterChunks(ids)) {
		await supabase.updateWhere(columns.table, [{ column: columns.key, op: 'in', value: chunk }, { column: columns.token, op: 'eq', value: claim.token }], patch);
	}
}

/** The patch that gives a claim back: the row is unclaimed again, for the next run. */
export function released(columns: ClaimColumns): Row {
	return { [columns.at]: null, [columns.token]: null };
}

/**
 * For ledgers whose status is the claim (pending -> sending -> sent; the table has a move_token column): moves the
 * rows of `ids` still in status `from`, one statement per id chunk, and returns the rows it moved, as updated.
 */
export async function moveStatus(supabase: SupabaseService, table: string, ids: string[], from: string, patch: Row): Promise<Row[]> {
	const moved: Row[] = [];
	for (const chunk of filterChunks(ids)) {
		// the rows keep this move's token (the table's move_token): a move made whose answer was lost, then retried,
		// finds them moved already; read back by the token, they are this move's
		const token = randomUUID();
		const rows = await supabase.updateWhere(table, [{ column: 'id', op: 'in', value: chunk }, { column: 'status', op: 'eq', value: from }], { ...patch, move_token: token });
		if (rows.length < chunk.length) {
			const have = new Set(rows.map((row) => String(row.id)));
			const own = await supabase.readWhere(table, { filters: [{ column: 'id', op: 'in', value: chunk }, { column: 'move_token', op: 'eq', value: token }] });
			rows.push(...own.filter((row) => !have.has(String(row.id))));
		}
		moved.push(...rows);
	}
	return moved;
}

/**
 * Sends one claimed email and applies the rule when SendGrid fails: a failure that means nothing went out gives
 * the claim back and fails as it came; an unclear one keeps the claim and fails with `whenUnclear` as what to do
 * (marked `context.unconfirmed`), so the caller neither sends it again nor says the next run will.
 */
export async function sendUnderClaim(
	supabase: SupabaseService,
	columns: ClaimColumns,
	key: string,
	claim: Claim,
	send: () => Promise<string | undefined>,
	whenUnclear: string,
): Promise<string | undefined> {
	try {
		return await send();
	} catch (error) {
		// the SendGrid service fails with NodeApiError only; anything else goes on as it came
		if (!(error instanceof NodeApiError)) return Promise.reject(error);
		if (afterSendFailure(error) === 'release') {
			await settleClaim(supabase, columns, [key], claim, released(columns));
			return Promise.reject(error);
		}
		const unclear = new NodeApiError(error.node, { message: error.message } as JsonObject, {
			message: error.message,
			description: whenUnclear,
			...(error.httpCode ? { httpCode: error.httpCode } : {}),
		});
		unclear.context.unconfirmed = true;
		return Promise.reject(unclear);
	}
}

/**
 * How long SendGrid's Email Activity may take to show an email it accepted: a claim younger than this (by the run's
 * Now) is not judged by the activity, so an email just sent is never taken for one that was not.
 */
export const ACTIVITY_SETTLES_MS = 10 * 60_000;

/**
 * What became of an email a run claimed and never settled (n8n stopped or its worker died between the claim and
 * the write after SendGrid's answer, or that answer was unclear): sent (SendGrid's activity shows it), not sent
 * (the activity, old enough to be complete, does not), or unknown (too soon to tell, or the activity cannot be read).
 */
export type LeftClaim = { verdict: 'sent'; messageId: string } | { verdict: 'not_sent' } | { verdict: 'unknown'; why: string };

/** An email left claimed: the value of its identifying custom argument, its address, and when it was claimed. */
export interface LeftEmail {
	id: string;
	to: string;
	claimedAt: unknown;
}

/** Emails judged by one activity search at most: SendGrid allows 6 searches a minute. */
const PER_SEARCH = 50;
/** The most messages one search returns: a search that fills it may have left some out. */
const SEARCH_LIMIT = 1000;

/**
 * Asks SendGrid's Email Activity what became of emails left claimed (see LeftClaim), one search per 50: those with
 * `argName` one of their ids (and `common` custom arguments), matched by address. An address two of them share and
 * the activity shows is unknown (either may have gone); absent, neither went.
 */
export async function checkLeftClaims(sendgrid: SendGridService, argName: string, emails: LeftEmail[], now: Date, common: Record<string, string> = {}): Promise<Map<string, LeftClaim>> {
	const verdicts = new Map<string, LeftClaim>();
	const ripe: LeftEmail[] = [];
	for (const email of emails) {
		const at = email.claimedAt ? new Date(String(email.claimedAt)) : undefined;
		if (!at || Number.isNaN(at.getTime())) verdicts.set(email.id, { verdict: 'unknown', why: 'the claim has no time' });
		else if (now.getTime() - at.getTime() < ACTIVITY_SETTLES_MS) {
			const minutes = Math.max(0, Math.round((now.getTime() - at.getTime()) / 60_000));
			verdicts.set(email.id, { verdict: 'unknown', why: `it was claimed ${minutes} minutes before this run's Now, too soon for SendGrid's activity to be complete; a run ${ACTIVITY_SETTLES_MS / 60_000} minutes after the claim checks it` });
		} else ripe.push(email);
	}
	for (let start = 0; start < ripe.length; start += PER_SEARCH) {
		const chunk = ripe.slice(start, start + PER_SEARCH);
		const unknown = (why: string) => chunk.forEach((email) => verdicts.set(email.id, { verdict: 'unknown', why }));
		let messages;
		try {
			messages = await sendgrid.activity({ customArgs: common, customArgIn: { name: argName, values: chunk.map((email) => email.id) } }, SEARCH_LIMIT);
		} catch (error) {
			unknown((error as Error).message);
			continue;
		}
		if (!messages) {
			unknown('SendGrid\'s email activity cannot be read with this key (it needs the Email Activity add-on and the email_activity.read scope): check SendGrid\'s activity by hand');
			continue;
		}
		if (messages.length >= SEARCH_LIMIT) {
			unknown('SendGrid\'s activity shows too many messages for these emails to tell');
			continue;
		}
		const shown = new Map<string, string>();
		for (const message of messages) if (!shown.has(message.to.toLowerCase())) shown.set(message.to.toLowerCase(), message.msgId);
		const sharing = new Map<string, number>();
		for (const email of chunk) sharing.set(email.to.toLowerCase(), (sharing.get(email.to.toLowerCase()) ?? 0) + 1);
		for (const email of chunk) {
			const address = email.to.toLowerCase();
			const messageId = shown.get(address);
			if (!messageId) verdicts.set(email.id, { verdict: 'not_sent' });
			else if (sharing.get(address)! > 1) verdicts.set(email.id, { verdict: 'unknown', why: `SendGrid's activity shows an email to ${email.to}, which another of these emails shares: either may have gone` });
			else verdicts.set(email.id, { verdict: 'sent', messageId });
		}
	}
	return verdicts;
}

/** One email left claimed (checkLeftClaims). */
export async function checkLeftClaim(sendgrid: SendGridService, argName: string, email: LeftEmail, now: Date, common: Record<string, string> = {}): Promise<LeftClaim> {
	return (await checkLeftClaims(sendgrid, argName, [email], now, common)).get(email.id)!;
}

/**
 * Takes over a claim another run left on a row (its token `leftToken`), in one conditional update: of two runs that
 * try, one holds it. True when this claim holds the row now (also when the answer was lost and the retry found it).
 */
export async function takeOverClaim(supabase: SupabaseService, columns: ClaimColumns, key: string, leftToken: string, claim: Claim): Promise<boolean> {
	const rows = await supabase.updateWhere(columns.table, [{ column: columns.key, op: 'eq', value: key }, { column: columns.token, op: 'eq', value: leftToken }], {
		[columns.at]: claim.at,
		[columns.token]: claim.token,
	});
	if (rows.length) return true;
	const own = await supabase.readWhere(columns.table, { columns: columns.key, filters: [{ column: columns.key, op: 'eq', value: key }, { column: columns.token, op: 'eq', value: claim.token }] });
	return own.length > 0;
}

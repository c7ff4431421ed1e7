/**
 * Carrying out a win-back plan exactly once per customer and campaign window. Every customer to mail gets
 * a row in Supabase `winback_sends` (unique per customer and window) before anything else happens; the row
 * then moves pending -> coded (discount code made in Shopify) -> sending -> sent, each step written before
 * the next. A rerun finishes rows left pending or coded. A row left sending (the run stopped between the claim
 * and the write after SendGrid's answer, or the answer was unclear) is mailed again only when SendGrid's Email
 * Activity, old enough to be complete, surely does not show it (ledger.ts checkLeftClaim); shown, it is marked
 * sent; when the activity cannot tell, it is reported unconfirmed and not mailed: a missing email is better than a
 * second one.
 */
import { afterSendFailure, checkLeftClaims } from '../shared/ledger';
import { randomBytes } from 'node:crypto';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { customerIdForms, type RetentionCustomer } from '../shared/contract/customer';
import type { Row, SupabaseService } from '../shared/services/supabase';
import { mailBatches, type Recipient, type SendGridService } from '../shared/services/sendgrid';
import type { ShopifyService } from '../shared/services/shopify/client';
import { addRedeemCodesToDiscounts, createDiscountCodes, DiscountEndsInPast } from '../shared/services/shopify/discounts';
import type { Contacts, WinBackDecision } from './winback';
import type { Segment } from '../shared/policy';
import { renderWinBackEmail, winBackSubstitutions, winBackTemplateData } from './winbackEmail';
import { markSentAndClaim, moveWinbackSends, planWinbackSends, WINBACK_SENDS_KEY, WINBACK_SENDS_TABLE, type SentBatch } from '../shared/store/winbackSends';

const DAY = 86_400_000;

export type CodeMode = 'perCustomer' | 'perSegment';

export interface WinBackSettings {
	codeMode: CodeMode;
	codeValidDays: number;
	templateId?: string;
	unsubscribeGroupId: number;
	storeName?: string;
	storeUrl?: string;
}

export interface WinBackServices {
	supabase: SupabaseService;
	shopify: ShopifyService;
	sendgrid: SendGridService;
}

export interface ToMail {
	itemIndex: number;
	customer: RetentionCustomer;
	decision: WinBackDecision;
}

/** not_sent: nothing was made or mailed, for the reason given (a code the run's Now would make already expired). */
export type SendStatus = 'sent' | 'unconfirmed' | 'failed' | 'not_sent';

export interface SendOutcome {
	entry: ToMail;
	status: SendStatus;
	discountCode?: string;
	messageId?: string;
	error?: NodeApiError;
	reason?: string;
}

/** What makeCodes could not do: Shopify's refusals by customer, and the rows left pending because their code would start expired. */
export interface CodeProblems {
	refused: Map<string, string>;
	expired?: DiscountEndsInPast;
	/** Rows whose codes this run made, coded in memory: written coded by the send's first call (markSentAndClaim). */
	codedUnwritten?: string[];
}

/**
 * Who was in touch lately, keyed by the customers' own ids: open tickets and compensations match by id
 * (GID or number) or email; win-back sends by id, counting only rows that were sent.
 */
export function contactsFor(customers: RetentionCustomer[], openTickets: Row[], compensations: Row[], sends: Row[]): Contacts {
	const byKey = new Map<string, string>();
	for (const customer of customers) {
		for (const key of customerIdForms(customer.customerId)) byKey.set(key, customer.customerId);
		if (customer.email) byKey.set(customer.email.toLowerCase(), customer.customerId);
	}
	const owner = (row: Row) => {
		for (const key of customerIdForms(row.customer_id)) if (byKey.has(key)) return byKey.get(key);
		return typeof row.customer_email === 'string' ? byKey.get(row.customer_email.toLowerCase()) : undefined;
	};
	const latest = (map: Map<string, string>, id: string | undefined, at: unknown) => {
		if (!id || typeof at !== 'string') return;
		const known = map.get(id);
		if (!known || Date.parse(at) > Date.parse(known)) map.set(id, at);
	};
	const contacts: Contacts = { openTicketCustomerIds: new Set(), compensatedSince: new Map(), lastWinBackAt: new Map() };
	for (const row of openTickets) {
		const id = owner(row);
		if (id) contacts.openTicketCustomerIds.add(id);
	}
	for (const row of compensations) latest(contacts.compensatedSince, owner(row), row.created_at);
	for (const row of sends) if (row.status === 'sent') latest(contacts.lastWinBackAt, byKey.get(String(row.customer_id)), row.sent_at);
	return contacts;
}

/** Unambiguous letters and digits: a code read aloud or typed from print still works. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function randomPart(length: number): string {
	const bytes = randomBytes(length);
	let out = '';
	for (const byte of bytes) out += CODE_ALPHABET[byte % CODE_ALPHABET.length];
	return out;
}

const SEGMENT_CODE: Record<Segment, string> = { champions: 'CHAMP', loyal: 'LOYAL', at_risk: 'ATRISK', cant_lose: 'VALUED', hibernating: 'HELLO', lost: 'AGAIN' };

/** One shared code per segment and window (the selectable mode): stable, so every run of the window finds it. */
export function segmentCode(segment: Segment, percent: number, window: string): string {
	return `BACK${percent}-${SEGMENT_CODE[segment]}-${window.slice(0, 10).replace(/-/g, '')}`;
}

/** A customer's own code: random, so it cannot be guessed; the ledger row remembers it for reruns. */
export function customerCode(): string {
	return `WB-${randomPart(10)}`;
}

const offerLabel = (percent: number | null) => (percent === null ? 'none' : percent === 0 ? 'plain' : `${percent}%`);
const hasOffer = (percent: number | null | undefined): percent is number => typeof percent === 'number' && percent > 0;

/**
 * Writes the rows of the customers to mail and returns their rows as the ledger holds them: a row already there (an
 * earlier run of the window) keeps its code and status; a new row with a code to make is pending, one without (no
 * offer) is coded at once, as nothing needs making before it is mailed.
 */
export async function recordPlannedSends(supabase: SupabaseService, toMail: ToMail[], window: string, codeMode: CodeMode): Promise<Row[]> {
	const rows = toMail.map(({ customer, decision }) => {
		const code = hasOffer(decision.offerPercent) ? (codeMode === 'perSegment' ? segmentCode(decision.segment, decision.offerPercent, window) : customerCode()) : null;
		return {
			customer_id: customer.customerId,
			customer_email: customer.email ?? null,
			segment: decision.segment,
			offer: offerLabel(decision.offerPercent),
			offer_percent: decision.offerPercent,
			rfm: `R${decision.rfm.recency}F${decision.rfm.frequency}M${decision.rfm.monetary}`,
			discount_code: code,
			status: code ? 'pending' : 'coded',
		};
	});
	return planWinbackSends(supabase, window, rows);
}

const statusRows = (rows: Row[], patch: Row) => rows.map((row) => ({ customer_id: row.customer_id, campaign_window: row.campaign_window, ...patch }));

/**
 * Makes the discount codes of rows still pending: per segment one Shopify discount, and either its one
 * shared code or the customers' own codes added to it in bulk. Every segment's discount is made in one
 * request and every code added in one (Shopify's limits allowing), so the requests do not grow with the
 * segments. Rows whose code Shopify refused are marked failed with the reason; the rest become coded.
 */
export async function makeCodes(services: WinBackServices, settings: WinBackSettings, ledger: Row[], now: Date): Promise<CodeProblems> {
	const problems = new Map<string, string>();
	const endsAt = codeEnd(now, settings);
	const ids = (rows: Row[]) => rows.map((row) => String(row.id));
	// moved only from the states before coded: a row another run already coded, claimed or sent is not set back
	const markCoded = async (rows: Row[], discountId?: string) => {
		if (!rows.length) return;
		await moveWinbackSends(services.supabase, ids(rows), ['pending', 'failed'], 'coded', discountId ? { discountId } : {});
		for (const row of rows) Object.assign(row, { status: 'coded', ...(discountId ? { discount_id: discountId } : {}) });
	};
	const needing = ledger.filter((row) => (row.status === 'pending' || row.status === 'failed') && row.discount_code);
	await markCoded(ledger.filter((row) => row.status === 'pending' && !row.discount_code));
	const bySegment = new Map<string, Row[]>();
	for (const row of needing) {
		const rows = bySegment.get(String(row.segment));
		if (rows) rows.push(row);
		else bySegment.set(String(row.segment), [row]);
	}
	const segments = [...bySegment];
	const discount = ([segment, rows]: [string, Row[]], code: string, usageLimit: number | null) => ({
		code,
		title: `Win-back ${segment.replace(/_/g, ' ')} ${String(rows[0].campaign_window)}`,
		value: { percent: Number(rows[0].offer_percent) },
		usageLimit,
		startsAt: now,
		endsAt,
	});
	if (settings.codeMode === 'perSegment') {
		const made = await createDiscountCodes(services.shopify, segments.map((entry) => discount(entry, String(entry[1][0].discount_code), null)));
		// the run's Now is too early for Shopify: rows stay pending and the customers are told nothing this run
		if (made instanceof DiscountEndsInPast) return { refused: problems, expired: made };
		for (const [index, [, rows]] of segments.entries()) await markCoded(rows, made[index].id);
		return { refused: problems };
	}
	// each segment's discount: the one an earlier run of this window made, else a new one with an unguessable code of its own
	const discountIds = new Map<string, string>();
	for (const [segment] of segments) {
		const known = ledger.find((row) => row.segment === segment && row.discount_id);
		if (known) discountIds.set(segment, String(known.discount_id));
	}
	const toMake = segments.filter(([segment]) => !discountIds.has(segment));
	const made = await createDiscountCodes(services.shopify, toMake.map((entry) => discount(entry, `WB-${randomPart(16)}`, 1)));
	if (made instanceof DiscountEndsInPast) return { refused: problems, expired: made };
	toMake.forEach(([segment], index) => discountIds.set(segment, made[index].id));
	// written before the codes are added, so a crash after this point reuses the discounts instead of making others
	const unrecorded = needing.filter((row) => !row.discount_id);
	if (unrecorded.length) {
		const updatedAt = now.toISOString();
		await services.supabase.upsert(
			WINBACK_SENDS_TABLE,
			unrecorded.map((row) => ({ customer_id: row.customer_id, campaign_window: row.campaign_window, discount_id: discountIds.get(String(row.segment)), updated_at: updatedAt })),
			WINBACK_SENDS_KEY,
		);
		for (const row of unrecorded) row.discount_id = discountIds.get(String(row.segment));
	}
	const added = await addRedeemCodesToDiscounts(services.shopify, segments.map(([segment, rows]) => ({ discountId: discountIds.get(segment)!, codes: rows.map((row) => String(row.discount_code)) })));
	const failedRows: Row[] = [];
	const coded: Row[] = [];
	for (const row of needing) {
		const problem = added.failed.get(String(row.discount_code));
		if (problem) problems.set(String(row.customer_id), problem);
		(problem ? failedRows : coded).push(row);
	}
	for (const row of failedRows) {
		const lastError = `discount code refused: ${problems.get(String(row.customer_id))}`.slice(0, 500);
		await moveWinbackSends(services.supabase, [String(row.id)], ['pending', 'failed'], 'failed', { lastError });
		Object.assign(row, { status: 'failed', last_error: lastError });
	}
	// every row carries its segment's discount id by now; they are written coded with the first claim (a crash before
	// it leaves them pending, and the next run adds the same codes again, which Shopify says are there)
	for (const row of coded) row.status = 'coded';
	return { refused: problems, codedUnwritten: ids(coded) };
}

/** A code made as of the run's day and valid for codeValidDays from it. */
const codeEnd = (now: Date, settings: WinBackSettings) => new Date(Math.floor(now.getTime() / DAY) * DAY + settings.codeValidDays * DAY);

/**
 * Sends to every row of the window that is coded, grouped by segment and offer (one body each), up to
 * 1000 customers per request, each batch claimed (coded -> sending) before the request and marked sent after it, in
 * the same call that claims the next batch (so a batch costs one Supabase request). Stops at the first failed batch:
 * what is left stays coded for the next run.
 */
export async function sendMail(
	ctx: IExecuteFunctions,
	services: WinBackServices,
	settings: WinBackSettings,
	toMail: ToMail[],
	ledger: Map<string, Row>,
	codeProblems: CodeProblems,
	now: Date,
): Promise<SendOutcome[]> {
	const outcomes: SendOutcome[] = [];
	const ready: Array<{ entry: ToMail; row: Row }> = [];
	const left: Array<{ entry: ToMail; row: Row }> = [];
	for (const entry of toMail) {
		const row = ledger.get(entry.customer.customerId);
		const code = row?.discount_code ? String(row.discount_code) : undefined;
		if (!row) {
			outcomes.push({ entry, status: 'failed', error: new NodeApiError(ctx.getNode(), { message: 'no ledger row' }, { message: `The win-back row of ${entry.customer.customerId} could not be read back from Supabase` }) });
		} else if (row.status === 'sent') {
			// mailed by an earlier run of this window, after the cooldown read (a concurrent run)
			outcomes.push({ entry, status: 'sent', ...(code ? { discountCode: code } : {}), ...(row.message_id ? { messageId: String(row.message_id) } : {}) });
		} else if (row.status === 'sending') {
			left.push({ entry, row });
		} else if ((row.status === 'pending' || row.status === 'failed') && codeProblems.expired && row.discount_code) {
			outcomes.push({ entry, status: 'not_sent', reason: `code_would_be_expired: ${codeProblems.expired.message}` });
		} else if (row.status !== 'coded') {
			const problem = codeProblems.refused.get(entry.customer.customerId) ?? String(row.last_error ?? `row is ${String(row.status)}`);
			outcomes.push({ entry, status: 'failed', error: new NodeApiError(ctx.getNode(), { message: problem } as JsonObject, { message: `No win-back email for ${entry.customer.customerId}: ${problem}`, description: 'The row stays in winback_sends; the next run tries the code again.' }) });
		} else {
			ready.push({ entry, row });
		}
	}
	ready.push(...(await settleLeftSending(services, left, outcomes, now)));
	const groups = new Map<string, Array<{ entry: ToMail; row: Row }>>();
	for (const item of ready) {
		const key = `${String(item.row.segment)}|${String(item.row.offer_percent)}`;
		const group = groups.get(key);
		if (group) group.push(item);
		else groups.set(key, [item]);
	}
	const codeExpiresAt = codeEnd(now, settings).toISOString();
	let stopped: NodeApiError | undefined;
	// the batch SendGrid took last: marked sent by the call that claims the next batch (or by the last call); the rows
	// whose codes were made are marked coded by the first
	let taken: SentBatch | undefined;
	let unwritten = codeProblems.codedUnwritten ?? [];
	for (const group of groups.values()) {
		const segment = String(group[0].row.segment) as Segment;
		const percent = group[0].row.offer_percent === null ? null : Number(group[0].row.offer_percent);
		const body = settings.templateId ? undefined : renderWinBackEmail(segment, percent, { ...store(settings), ...(hasOffer(percent) ? { codeExpiresAt } : {}) });
		for (const candidates of mailBatches(group, ({ entry, row }) => String(row.customer_email ?? entry.customer.email))) {
			if (stopped) {
				for (const { entry } of candidates) outcomes.push({ entry, status: 'failed', error: stopped });
				continue;
			}
			// claimed in one statement: a row another run of this campaign claimed first is mailed by that run alone
			const claimed = await markSentAndClaim(services.supabase, { coded: unwritten, sent: taken, claim: candidates.map((item) => String(item.row.id)), sendingSince: now });
			taken = undefined;
			unwritten = [];
			const batch = candidates.filter((item) => claimed.has(String(item.row.id)));
			for (const { entry } of candidates.filter((item) => !claimed.has(String(item.row.id)))) outcomes.push({ entry, status: 'unconfirmed' });
			if (!batch.length) continue;
			const rows = batch.map((item) => item.row);
			const recipients: Recipient[] = batch.map(({ entry, row }) => {
				const facts = {
					...(entry.customer.firstName ? { firstName: entry.customer.firstName } : {}),
					segment,
					offerPercent: percent,
					...(row.discount_code ? { discountCode: String(row.discount_code), codeExpiresAt } : {}),
					...store(settings),
				};
				return {
					email: String(row.customer_email ?? entry.customer.email),
					...(entry.customer.firstName ? { name: entry.customer.firstName } : {}),
					customArgs: { cx_winback: String(row.id), cx_window: String(row.campaign_window) },
					...(settings.templateId ? { data: winBackTemplateData(facts) } : { substitutions: winBackSubstitutions(facts) }),
				};
			});
			try {
				const messageId = await services.sendgrid.sendBatch(
					{
						categories: ['cx-winback', `cx-winback-${segment}`],
						asm: { groupId: settings.unsubscribeGroupId },
						...(settings.templateId ? { templateId: settings.templateId } : { subject: body!.subject, html: body!.html, text: body!.text }),
					} as Parameters<SendGridService['sendBatch']>[0],
					recipients,
				);
				taken = { ids: rows.map((row) => String(row.id)), messageId: messageId ?? null, sentAt: now };
				for (const { entry, row } of batch) outcomes.push({ entry, status: 'sent', ...(row.discount_code ? { discountCode: String(row.discount_code) } : {}), ...(messageId ? { messageId } : {}) });
			} catch (error) {
				const failure = error instanceof NodeApiError ? error : new NodeApiError(ctx.getNode(), { message: String(error) } as JsonObject);
				// refused outright: back to coded for the next run; an unclear answer stays sending, so it is not mailed twice
				const definite = afterSendFailure(failure) === 'release';
				await moveWinbackSends(services.supabase, rows.map((row) => String(row.id)), ['sending'], definite ? 'coded' : 'sending', { lastError: failure.message.slice(0, 500) });
				stopped = failure;
				for (const { entry } of batch) outcomes.push({ entry, status: definite ? 'failed' : 'unconfirmed', error: failure });
			}
		}
	}
	if (taken || unwritten.length) await markSentAndClaim(services.supabase, { coded: unwritten, sent: taken, claim: [], sendingSince: now });
	return outcomes;
}

/** Rows left sending checked against SendGrid's activity in one run at most: the rest wait for the next run. */
const LEFT_CHECKS_PER_RUN = 200;

/**
 * Rows an earlier run left sending, judged by SendGrid's Email Activity (a search per 50 rows, by their cx_winback
 * custom argument and address): shown there, they are marked sent; surely absent, they go back to coded and are
 * returned, to be mailed by this run; unknown, they are reported unconfirmed with why.
 */
async function settleLeftSending(services: WinBackServices, left: Array<{ entry: ToMail; row: Row }>, outcomes: SendOutcome[], now: Date): Promise<Array<{ entry: ToMail; row: Row }>> {
	const again: Array<{ entry: ToMail; row: Row }> = [];
	const addressOf = ({ entry, row }: { entry: ToMail; row: Row }) => String(row.customer_email ?? entry.customer.email);
	const verdicts = await checkLeftClaims(services.sendgrid, 'cx_winback', left.slice(0, LEFT_CHECKS_PER_RUN).map((item) => ({ id: String(item.row.id), to: addressOf(item), claimedAt: item.row.sending_since })), now);
	for (const { entry, row } of left) {
		const code = row.discount_code ? { discountCode: String(row.discount_code) } : {};
		const found = verdicts.get(String(row.id)) ?? { verdict: 'unknown' as const, why: `more than ${LEFT_CHECKS_PER_RUN} rows were left sending; the next run checks this one` };
		if (found.verdict === 'sent') {
			const sentAt = now.toISOString();
			await services.supabase.upsert(WINBACK_SENDS_TABLE, statusRows([row], { status: 'sent', message_id: found.messageId, sent_at: sentAt, last_error: null, updated_at: sentAt }), WINBACK_SENDS_KEY);
			outcomes.push({ entry, status: 'sent', ...code, messageId: found.messageId, reason: 'sent_by_an_earlier_run' });
		} else if (found.verdict === 'not_sent' && (await moveWinbackSends(services.supabase, [String(row.id)], ['sending'], 'coded', { lastError: 'left sending by a run that did not finish; not in SendGrid\'s activity' })).has(String(row.id))) {
			row.status = 'coded';
			again.push({ entry, row });
		} else {
			outcomes.push({ entry, status: 'unconfirmed', ...code, reason: found.verdict === 'unknown' ? found.why : 'another run took the row up at the same time' });
		}
	}
	return again;
}

function store(settings: WinBackSettings): { storeName?: string; storeUrl?: string } {
	return { ...(settings.storeName ? { storeName: settings.storeName } : {}), ...(settings.storeUrl ? { storeUrl: settings.storeUrl } : {}) };
}

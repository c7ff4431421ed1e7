/**
 * Deciding requested returns once: what the decision needs is read once per run (each customer's returns over
 * a year from Shopify, delay compensations already paid from the ledger), every return is decided, a row per
 * return is written in `return_decisions` before anything happens, and then, per return, the Shopify action
 * (approve or decline) and each email are claimed on the row and carried out. A rerun finds the rows and the
 * return's state in Shopify and does nothing twice; a run after a crash reads the return's state before it acts.
 */
import { NodeApiError, type JsonObject } from 'n8n-workflow';
import { returnKeyOf, type ReturnCase, type StoredReturn } from '../shared/contract/returnRequest';
import { claimRows, newClaim, sendUnderClaim, settleClaim, takeOverClaim, released, type Claim, type ClaimColumns } from '../shared/ledger';
import { minorUnitDigits, moneyFromDecimal, type Money } from '../shared/money';
import type { ReturnPolicy } from '../shared/policy';
import type { SendGridService } from '../shared/services/sendgrid';
import type { ShopifyService } from '../shared/services/shopify/client';
import { approveReturn, createReturn, customerReturnHistory, type CustomerReturnHistory, declineReturn, requestReturn, returnStatusOf, returnsOfOrder, type NewReturn } from '../shared/services/shopify/returns';
import type { Row, SupabaseService } from '../shared/services/supabase';
import { compensationsOnOrders } from '../shared/store/compensationLedger';
import { ACTION_CLAIM, CUSTOMER_EMAIL_CLAIM, STAFF_EMAIL_CLAIM, recordReturnDecisions, returnDecisionsOf, updateReturnDecision } from '../shared/store/returnDecisions';
import { decideReturn, type ReturnDecision } from './returnDecision';
import { renderCustomerEmail, renderReviewEmail } from './returnEmails';

/** A claim on a Shopify action older than this is taken over by the next run, which reads the return's state first. */
const ACTION_CLAIM_STALE_MS = 10 * 60_000;
const YEAR_MS = 365 * 86_400_000;

export interface DeskServices {
	shopify: ShopifyService;
	supabase?: SupabaseService;
	sendgrid?: SendGridService;
}

export interface DeskSettings {
	policy: ReturnPolicy;
	notifyCustomer: boolean;
	staffEmail?: string;
	storeName?: string;
	dryRun: boolean;
}

/**
 * approved, declined, needs_review: decided (now or by an earlier run, `alreadyDecided`); not_requested: the return
 * is no longer waiting for an answer and this desk never decided it (someone did in Shopify); in_progress: another
 * run holds the action; dry_run: decided, nothing done.
 */
export type DeskStatus = 'approved' | 'declined' | 'needs_review' | 'not_requested' | 'in_progress' | 'dry_run';

export interface EmailOutcome {
	status: 'sent' | 'already_sent' | 'unconfirmed' | 'not_sent';
	messageId?: string;
	why?: string;
}

export interface DeskOutcome {
	stored: StoredReturn;
	decision: ReturnDecision;
	status: DeskStatus;
	alreadyDecided?: boolean;
	ledgerId?: string;
	customerEmail?: EmailOutcome;
	staffEmail?: EmailOutcome;
	failure?: NodeApiError;
}

const STATUS_OF: Record<ReturnDecision['outcome'], DeskStatus> = { approve: 'approved', decline: 'declined', review: 'needs_review' };
/** The return's state once the desk's action is done. */
const DONE_STATE: Partial<Record<ReturnDecision['outcome'], string>> = { approve: 'OPEN', decline: 'DECLINED' };

/** The case a decision reads: the stored request with the customer's year of returns and the compensation paid on the order. */
export async function casesFor(services: DeskServices, returns: StoredReturn[], now: Date): Promise<ReturnCase[]> {
	const byCurrency = new Map<string, string[]>();
	for (const stored of returns) {
		const id = stored.request.customer.id;
		if (id) byCurrency.set(stored.request.currency, [...(byCurrency.get(stored.request.currency) ?? []), id]);
	}
	const since = new Date(now.getTime() - YEAR_MS);
	const history = new Map<string, CustomerReturnHistory>();
	for (const [currency, ids] of byCurrency) for (const [id, entry] of await customerReturnHistory(services.shopify, ids, since, currency)) history.set(`${currency}:${id}`, entry);
	const paid = services.supabase ? await compensationsOnOrders(services.supabase, returns.map((stored) => stored.request.orderId)) : [];
	return returns.map((stored) => {
		const request = stored.request;
		const zero = { cents: 0, currency: request.currency };
		const entry = request.customer.id ? history.get(`${request.currency}:${request.customer.id}`) : undefined;
		// this return is not part of its own history (nothing is refunded for it before it is decided)
		const own = entry?.returnIds.includes(request.returnId ?? '') ?? false;
		const compensation = paid.find((row) => row.order_id === request.orderId);
		return {
			...request,
			history: entry
				? { returnsCount: entry.returnsCount - (own ? 1 : 0), returnedValue: entry.returnedValue, spentValue: entry.spentValue }
				: { returnsCount: 0, returnedValue: zero, spentValue: zero },
			...(compensation ? { delayCompensationPaid: { cents: Number(compensation.amount_cents ?? 0), currency: String(compensation.currency ?? request.currency).trim() } } : {}),
		};
	});
}

/**
 * Policy amounts in the order's currency. Returns are read in the shop's currency (Shopify's shopMoney, as the
 * order's transactions and refunds are), so the policy's amounts are the shop's: written as the store works in it.
 */
export function toOrderCurrency(currency: string): (amount: number) => Money {
	return (amount) => moneyFromDecimal(amount.toFixed(minorUnitDigits(currency)), currency);
}

/** A decision as the ledger keeps it: amounts, reasons and offers, not the sentences a person reads. */
function storedDecision(decision: ReturnDecision): Row {
	const { summary: _summary, declineNote: _declineNote, ...kept } = decision;
	return kept as unknown as Row;
}

/**
 * The decision a row kept, with a sentence: today's when today's facts lead to the same outcome, else one saying it
 * was decided earlier (the decline note Shopify holds is the one sent).
 */
function keptDecision(row: Row, now: ReturnDecision): ReturnDecision {
	const kept = row.decision as unknown as ReturnDecision;
	if (kept.outcome === now.outcome) return { ...kept, summary: now.summary, ...(now.declineNote ? { declineNote: now.declineNote } : {}) };
	return { ...kept, summary: `Decided earlier: ${kept.outcome} (${kept.reasons.join(', ')}); the facts now would lead to ${now.outcome}, and the first decision stands.` };
}

function ledgerRowOf(stored: StoredReturn, decision: ReturnDecision, now: Date): Row {
	const request = stored.request;
	return {
		return_key: returnKeyOf(request),
		return_id: request.returnId ?? null,
		order_id: request.orderId,
		source: request.source,
		outcome: decision.outcome,
		resolution: decision.resolution ?? null,
		decline_reason: decision.declineReason ?? null,
		fault: decision.fault,
		return_reasons: [...new Set(request.lines.map((line) => line.reason))],
		reasons: decision.reasons,
		review_reasons: decision.reviewReasons,
		currency: request.currency,
		returned_cents: decision.returnedValue.cents,
		amount_due_cents: decision.amountDue.cents,
		// without its sentences: they name the order, and the ledger keeps no customer's words (see the privacy migration)
		decision: storedDecision(decision),
		status: 'pending',
		created_at: now.toISOString(),
	};
}

/** Decides every return and carries each decision out once. One outcome per return, in order. */
export async function decideReturns(services: DeskServices, settings: DeskSettings, returns: StoredReturn[], now: Date): Promise<DeskOutcome[]> {
	const cases = await casesFor(services, returns, now);
	const decided = returns.map((stored, at) => ({ stored, decision: decideReturn(cases[at], settings.policy, now, toOrderCurrency(stored.request.currency)) }));
	const supabase = services.supabase;
	if (settings.dryRun || !supabase) return decided.map(({ stored, decision }) => ({ stored, decision, status: 'dry_run' as const }));

	// the row first, for every return still waiting for an answer: nothing happens that is not written down
	const waiting = decided.filter(({ stored }) => stored.status === 'REQUESTED');
	const { rows, written } = await recordReturnDecisions(supabase, 'decide', waiting.map(({ stored, decision }) => ledgerRowOf(stored, decision, now)));
	// a return no longer waiting may have been decided by an earlier run (its row) or by someone in Shopify
	const answered = decided.filter(({ stored }) => stored.status !== 'REQUESTED').map(({ stored }) => returnKeyOf(stored.request));
	const earlier = answered.length ? await returnDecisionsOf(supabase, 'decide', answered) : new Map<string, Row>();

	const outcomes: DeskOutcome[] = [];
	for (const { stored, decision } of decided) {
		const key = returnKeyOf(stored.request);
		const row = rows.get(key) ?? earlier.get(key);
		if (!row) {
			outcomes.push({ stored, decision, status: 'not_requested' });
			continue;
		}
		// a ticket's return opened by an earlier run: known by the id its row keeps
		if (!stored.request.returnId && row.return_id) stored.request.returnId = String(row.return_id);
		// the first decision stands: a rerun reports what was decided, even if the facts have moved since
		const kept = keptDecision(row, decision);
		const alreadyDecided = !written.has(key);
		try {
			const acted = await act(services, stored, kept, row, now);
			if (acted === 'in_progress') {
				outcomes.push({ stored, decision: kept, status: 'in_progress', ledgerId: String(row.id), alreadyDecided });
				continue;
			}
			const outcome: DeskOutcome = { stored, decision: kept, status: STATUS_OF[kept.outcome], ledgerId: String(row.id), alreadyDecided };
			if (settings.notifyCustomer && services.sendgrid) outcome.customerEmail = await tellCustomer(services, settings, stored, kept, String(row.id), now);
			if (kept.outcome === 'review' && settings.staffEmail && services.sendgrid) outcome.staffEmail = await tellStaff(services, settings, stored, kept, String(row.id), now);
			outcomes.push(outcome);
		} catch (error) {
			outcomes.push({ stored, decision: kept, status: STATUS_OF[kept.outcome], ledgerId: String(row.id), failure: error as NodeApiError });
		}
	}
	return outcomes;
}

/**
 * A row's Shopify action, once: claimed on the row (a claim a stopped run left is taken over once it is stale), then
 * `work` runs, which reads the return's state in Shopify before it changes anything (an earlier run may have acted and
 * stopped before writing so) and gives what to write on the row. A failure gives the claim back, with why, and fails
 * as a NodeApiError. 'done_before' when an earlier run settled it, 'in_progress' when another run holds it.
 */
export async function underActionClaim(services: DeskServices, stored: StoredReturn, row: Row, now: Date, work: () => Promise<Row>): Promise<'done' | 'done_before' | 'in_progress'> {
	const supabase = services.supabase!;
	const id = String(row.id);
	if (row.action_done_at) return 'done_before';
	const claim = newClaim(now);
	let held = (await claimRows(supabase, ACTION_CLAIM, [id], claim, [{ column: 'action_done_at', op: 'is', value: null }])).has(id);
	if (!held) {
		const [current] = await supabase.readWhere(ACTION_CLAIM.table, { filters: [{ column: 'id', op: 'eq', value: id }] });
		if (current?.action_done_at) return 'done_before';
		const claimedAt = current?.action_claimed_at ? Date.parse(String(current.action_claimed_at)) : Number.NaN;
		// a claim left by a run that stopped: taken over once it is old enough that its run cannot still be acting
		if (!Number.isFinite(claimedAt) || now.getTime() - claimedAt < ACTION_CLAIM_STALE_MS) return 'in_progress';
		held = await takeOverClaim(supabase, ACTION_CLAIM, id, String(current!.action_token), claim);
		if (!held) return 'in_progress';
	}
	let patch: Row;
	try {
		patch = await work();
	} catch (error) {
		await settleClaim(supabase, ACTION_CLAIM, [id], claim, { ...released(ACTION_CLAIM), status: 'failed', action_error: String((error as Error).message).slice(0, 500) });
		if (error instanceof NodeApiError) return Promise.reject(error);
		return Promise.reject(new NodeApiError(services.shopify.ctx.getNode(), { message: (error as Error).message } as JsonObject, { message: `Return ${stored.name}: ${(error as Error).message}` }));
	}
	await settleClaim(supabase, ACTION_CLAIM, [id], claim, { action_done_at: now.toISOString(), action_error: null, ...patch });
	return 'done';
}

/** The decision carried out in Shopify once: a requested return answered, or a ticket's return opened. */
async function act(services: DeskServices, stored: StoredReturn, decision: ReturnDecision, row: Row, now: Date): Promise<'done' | 'done_before' | 'in_progress'> {
	return underActionClaim(services, stored, row, now, async () => {
		const status = decision.outcome === 'review' ? 'needs_review' : 'done';
		if (stored.request.source !== 'ticket') {
			await answerRequest(services, stored, decision);
			return { status };
		}
		const opened = await openForTicket(services, stored, decision, row);
		if (!opened) return { status };
		// the ticket's return now exists: later steps (processing) find it by its id
		stored.request.returnId = opened.id;
		stored.name = opened.name;
		return { status, return_id: opened.id };
	});
}

/** A requested return answered in Shopify, as its state now allows: a run that stopped after answering left it answered. */
async function answerRequest(services: DeskServices, stored: StoredReturn, decision: ReturnDecision): Promise<void> {
	const returnId = stored.request.returnId!;
	const state = await returnStatusOf(services.shopify, returnId);
	const target = DONE_STATE[decision.outcome];
	if (!target || state === target) return;
	if (state === 'REQUESTED') {
		if (decision.outcome === 'approve') await approveReturn(services.shopify, returnId);
		else await declineReturn(services.shopify, returnId, decision.declineReason ?? 'OTHER', decision.declineNote ?? '');
		return;
	}
	throw new NodeApiError(services.shopify.ctx.getNode(), { message: `return is ${state ?? 'gone'}` } as JsonObject, {
		message: `Return ${stored.name} is ${state ?? 'no longer in Shopify'}, so the desk's decision (${decision.outcome}) was not carried out`,
		description: 'Someone answered the return in Shopify after it was decided here; nothing was changed. Check the return in Shopify.',
	});
}

/**
 * A ticket's return opened in Shopify: approved at once (with the exchange items when the exchange is offered first),
 * or requested for a person to answer; a declined ticket opens nothing (the customer's email says why). The order's
 * returns are written on the row before the return is opened: a run after a crash takes a return with the same items
 * that is not among them for the one it opened, and never opens a second.
 */
async function openForTicket(services: DeskServices, stored: StoredReturn, decision: ReturnDecision, row: Row): Promise<{ id: string; name: string } | undefined> {
	if (decision.outcome === 'decline') return undefined;
	const request = stored.request;
	const returns = await returnsOfOrder(services.shopify, request.orderId);
	if (Array.isArray(row.known_return_ids)) {
		const known = new Set((row.known_return_ids as unknown[]).map(String));
		const items = (lines: Array<{ fulfillmentLineItemId: string; quantity: number }>) => lines.map((line) => `${line.fulfillmentLineItemId}x${line.quantity}`).sort().join(',');
		const wanted = items(request.lines);
		const opened = returns.find((entry) => !known.has(entry.id) && items(entry.lines) === wanted);
		if (opened) return opened;
	} else {
		await updateReturnDecision(services.supabase!, String(row.id), { known_return_ids: returns.map((entry) => entry.id) });
	}
	const input: NewReturn = {
		orderId: request.orderId,
		requestedAt: request.requestedAt,
		lines: request.lines.map((line) => ({ fulfillmentLineItemId: line.fulfillmentLineItemId, quantity: line.quantity, reason: line.reason, ...(line.note ? { note: line.note } : {}) })),
	};
	if (decision.outcome === 'review') return await requestReturn(services.shopify, input);
	const exchange = decision.resolution === 'exchange' ? decision.lines.filter((line) => line.exchangeVariant) : [];
	return await createReturn(services.shopify, {
		...input,
		...(exchange.length
			? {
					exchangeLineItems: exchange.map((line, at) => ({
						variantId: line.exchangeVariant!.variantId,
						quantity: request.lines.find((returned) => returned.id === line.id)?.quantity ?? 1,
						// the exchange bonus once, on the first exchange item
						...(at === 0 && decision.bonus.cents > 0 ? { discount: decision.bonus } : {}),
					})),
				}
			: {}),
		...(decision.fault === 'customer' && decision.returnShippingFee.cents > 0 ? { returnShippingFee: decision.returnShippingFee } : {}),
	});
}

/** One email claimed on the row and sent once; an email an earlier run sent (or may have sent) is not sent again. */
export async function sendOnce(services: DeskServices, columns: ClaimColumns, prefix: 'customer' | 'staff', rowId: string, now: Date, send: () => Promise<string | undefined>): Promise<EmailOutcome> {
	const supabase = services.supabase!;
	const claim: Claim = newClaim(now);
	const held = (await claimRows(supabase, columns, [rowId], claim)).has(rowId);
	if (!held) {
		const [current] = await supabase.readWhere(columns.table, { filters: [{ column: 'id', op: 'eq', value: rowId }] });
		const status = String(current?.[`${prefix}_email_status`] ?? '');
		if (status === 'sent') return { status: 'already_sent', ...(current?.[`${prefix}_message_id`] ? { messageId: String(current[`${prefix}_message_id`]) } : {}) };
		return { status: 'unconfirmed', why: 'an earlier run claimed this email and its result is not recorded: it is not sent again; check SendGrid\'s activity for the custom argument cx_return' };
	}
	const messageId = await sendUnderClaim(supabase, columns, rowId, claim, send, 'SendGrid may have accepted the email, so it is not sent again: check SendGrid\'s activity for the custom argument cx_return.');
	await settleClaim(supabase, columns, [rowId], claim, { [`${prefix}_email_status`]: 'sent', [`${prefix}_message_id`]: messageId ?? null });
	return { status: 'sent', ...(messageId ? { messageId } : {}) };
}

async function tellCustomer(services: DeskServices, settings: DeskSettings, stored: StoredReturn, decision: ReturnDecision, rowId: string, now: Date): Promise<EmailOutcome> {
	const to = stored.request.customer.email;
	if (!to) return { status: 'not_sent', why: 'the order has no customer email' };
	const exchange = decision.resolution === 'exchange' ? decision.lines.find((line) => line.exchangeVariant)?.exchangeVariant : undefined;
	const email = renderCustomerEmail({
		firstName: stored.request.customer.name?.split(' ')[0],
		orderName: stored.request.orderName,
		returnName: stored.name,
		outcome: decision.outcome,
		...(decision.declineNote ? { declineNote: decision.declineNote } : {}),
		...(decision.resolution ? { resolution: decision.resolution } : {}),
		...(exchange ? { exchangeTitle: exchange.title } : {}),
		amountDue: decision.amountDue,
		bonus: decision.bonus,
		restockingFee: decision.restockingFee,
		returnShippingFee: decision.returnShippingFee,
		...(settings.storeName ? { storeName: settings.storeName } : {}),
	});
	return sendOnce(services, CUSTOMER_EMAIL_CLAIM, 'customer', rowId, now, async () =>
		services.sendgrid!.send({ to, subject: email.subject, html: email.html, text: email.text, customArgs: { cx_return: returnKeyOf(stored.request), cx_email: 'customer' }, categories: ['cx-returns'] }),
	);
}

async function tellStaff(services: DeskServices, settings: DeskSettings, stored: StoredReturn, decision: ReturnDecision, rowId: string, now: Date): Promise<EmailOutcome> {
	const email = renderReviewEmail({
		orderName: stored.request.orderName,
		returnName: stored.name,
		...(stored.request.customer.name ? { customerName: stored.request.customer.name } : {}),
		...(stored.request.customer.email ? { customerEmail: stored.request.customer.email } : {}),
		reviewReasons: decision.reviewReasons,
		summary: decision.summary,
		returnedValue: decision.returnedValue,
	});
	return sendOnce(services, STAFF_EMAIL_CLAIM, 'staff', rowId, now, async () =>
		services.sendgrid!.send({ to: settings.staffEmail!, subject: email.subject, html: email.html, text: email.text, customArgs: { cx_return: returnKeyOf(stored.request), cx_email: 'staff' }, categories: ['cx-returns'] }),
	);
}

/**
 * Paying compensation exactly once: a row in Supabase `compensation_ledger` (unique per order and reason, ever;
 * the policy version it was decided under is kept on the row) is written before any payout and completed after
 * it. A run under a changed policy finds the row and pays nothing again. Every payout carries the row's
 * idempotency key (Stripe's Idempotency-Key, the discount code's name, the refund's note), so a rerun after
 * a crash or a failed answer finds what was paid instead of paying again; the email is marked sent on the
 * row, so it is not sent twice either.
 *
 * Each attempt claims the row first (claimPayout: pending, failed or paying -> paying, one more attempt, a token
 * of its own) in one conditional update on what the run read, so of two runs one pays; only the claim's holder
 * completes or fails the row. A row found "paying" was left by a run that did not finish: it is taken over, and
 * the payout is looked for before it is asked for again (Stripe's balance credits by the key, since Stripe keeps
 * a key 24 hours; Shopify's refunds by their note, discount codes by their name). A store credit Shopify may have
 * applied cannot be looked up by key, so it goes to a person instead.
 */
import { checkLeftClaim, claimRows, newClaim, sendUnderClaim, settleClaim, takeOverClaim, type ClaimColumns } from '../shared/ledger';
import { createHash, randomUUID } from 'node:crypto';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import type { Money } from '../shared/money';
import type { SendGridService } from '../shared/services/sendgrid';
import type { ShopifyService } from '../shared/services/shopify/client';
import { createDiscountCode, DiscountEndsInPast } from '../shared/services/shopify/discounts';
import { creditStoreCredit, refundOrderAmount } from '../shared/services/shopify/moneyBack';
import type { StripeService } from '../shared/services/stripe';
import type { Row, RowFilter, SupabaseService } from '../shared/services/supabase';
import { apologyTemplateData, renderApologyEmail, type PayoutMethod } from './apologyEmail';
import type { DelayDecision } from './delay';
import type { OrderCustomer, OrderToCheck } from '../shared/contract/order';
import { compensationRefundNote } from '../shared/contract/compensation';
import { COMPENSATION_LEDGER_KEY, COMPENSATION_LEDGER_TABLE } from '../shared/store/compensationLedger';

export interface PayoutSettings {
	method: PayoutMethod;
	discountValidDays: number;
	notify: boolean;
	templateId?: string;
	unsubscribeGroupId?: number;
	storeName?: string;
}

export interface CompensationServices {
	supabase: SupabaseService;
	shopify?: ShopifyService;
	stripe?: StripeService;
	sendgrid?: SendGridService;
}

export interface Compensation {
	order: OrderToCheck;
	decision: DelayDecision & { amount: Money };
}

/** not_paid: nothing was paid this run, for the reason in `note` (the row stays pending for a later run). */
export type CompensationStatus = 'compensated' | 'already_compensated' | 'needs_approval' | 'not_paid';

export interface CompensationOutcome {
	status: CompensationStatus;
	ledgerId: string;
	method: PayoutMethod;
	payoutReference?: string;
	discountCode?: string;
	messageId?: string;
	reasons: string[];
	note?: string;
}

/** The ledger's unique key: one compensation per order and reason, whatever the policy. */
const ledgerKey = (orderId: string, reason: string) => `${orderId}\u0000${reason}`;

/**
 * The payout key of a new row, from its order, reason and the policy version it is decided under; a row keeps
 * the key it was written with, so a later policy never makes a new one for a compensated order.
 */
export function idempotencyKey(orderId: string, reason: string, policyVersion: string): string {
	return `cx-${createHash('sha256').update(`${orderId}\u0000${reason}\u0000${policyVersion}`).digest('hex').slice(0, 32)}`;
}

/** A code a customer can type, named after the ledger row so that a retry finds it. */
export function discountCodeFor(key: string): string {
	return `SORRY-${key.slice(3, 13).toUpperCase()}`;
}

export async function recordInLedger(services: CompensationServices, entries: Array<Compensation & { status: 'pending' | 'needs_approval' }>, method: PayoutMethod, now: Date): Promise<Map<string, Row>> {
	const ledger = new Map<string, Row>();
	if (!entries.length) return ledger;
	await services.supabase.insertMissing(
		COMPENSATION_LEDGER_TABLE,
		entries.map(({ order, decision, status }) => ({
			order_id: order.facts.orderId,
			reason: decision.reason,
			policy_version: decision.policyVersion,
			customer_id: order.customer.id ?? null,
			customer_email: order.customer.email ?? null,
			// a discount code's fixed amount is in the shop's currency; the other payouts are in the customer's
			amount_cents: (method === 'discountCode' && decision.shopAmount ? decision.shopAmount : decision.amount).cents,
			currency: (method === 'discountCode' && decision.shopAmount ? decision.shopAmount : decision.amount).currency,
			method,
			status,
			idempotency_key: idempotencyKey(order.facts.orderId, decision.reason, decision.policyVersion),
			decision,
			// the run's Now: win-back and health read "compensated lately" from it
			created_at: now.toISOString(),
		})),
		COMPENSATION_LEDGER_KEY,
	);
	const rows = await services.supabase.rowsWhereIn(COMPENSATION_LEDGER_TABLE, 'order_id', entries.map(({ order }) => order.facts.orderId));
	for (const row of rows) ledger.set(ledgerKey(String(row.order_id), String(row.reason)), row);
	return ledger;
}

/** What a ledger row pays: its amount in its currency. */
export function rowAmount(row: Row): Money {
	return { cents: Number(row.amount_cents), currency: String(row.currency).trim() };
}

/** The order's row for the reason, whatever policy version it was decided under. */
export function ledgerRowFor(ledger: Map<string, Row>, { order, decision }: Compensation): Row | undefined {
	return ledger.get(ledgerKey(order.facts.orderId, decision.reason));
}

/** Pays one compensation whose row is recorded, tells the customer, completes the row. */
export async function payOut(
	ctx: IExecuteFunctions,
	services: CompensationServices,
	settings: PayoutSettings,
	compensation: Compensation,
	row: Row,
	now: Date,
): Promise<CompensationOutcome | NodeApiError> {
	const { order, decision } = compensation;
	const key = String(row.idempotency_key);
	const method = String(row.method) as PayoutMethod;
	const base = { ledgerId: String(row.id), method, reasons: decision.reasons };
	const done = (paid: Row) => ({ ...base, status: 'already_compensated' as const, ...(paid.payout_reference ? { payoutReference: String(paid.payout_reference) } : {}) });
	if (row.status === 'completed') return done(row);
	if (!PAYABLE.includes(String(row.status))) {
		return { ...base, status: 'not_paid', reasons: [...decision.reasons, `ledger_${String(row.status)}`], note: `The ledger row is ${String(row.status)}: nothing is paid for it.` };
	}
	// attempts made before this one: any may have paid, so the payout is looked for first
	const earlierAttempts = Number(row.attempts ?? 0);
	const claim = await claimPayout(services.supabase, row, now);
	if (!claim.held) {
		if (claim.current?.status === 'completed') return done(claim.current);
		return { ...base, status: 'not_paid', reasons: [...decision.reasons, 'payout_in_progress'], note: `Another run took this payout up after this run read the ledger (the row is ${String(claim.current?.status ?? 'gone')}): that run completes it.` };
	}
	const mine: RowFilter[] = [{ column: 'id', op: 'eq', value: String(row.id) }, { column: 'payout_claim', op: 'eq', value: claim.token }];
	const write = (patch: Row) => services.supabase.updateWhere(COMPENSATION_LEDGER_TABLE, mine, patch);
	const patch: Row = {};
	try {
		let payoutReference = row.payout_reference ? String(row.payout_reference) : undefined;
		let discountCode: string | undefined;
		let codeExpiresAt: string | undefined;
		const amount: Money = { cents: Number(row.amount_cents), currency: String(row.currency).trim() };
		if (!payoutReference && method === 'storeCredit' && earlierAttempts > 0) {
			// Shopify's store credit takes no idempotency key: after an attempt whose outcome is unknown, a person checks
			await write({ status: 'needs_approval', last_error: 'an earlier store credit attempt may have been applied' });
			return { ...base, status: 'needs_approval', reasons: [...decision.reasons, 'store_credit_outcome_unknown'] };
		}
		if (!payoutReference) {
			const paid = await pay(ctx, services, settings, method, order.customer, order.facts.orderId, amount, key, now, earlierAttempts > 0);
			if (paid instanceof DiscountEndsInPast) {
				// the run's Now is too early for Shopify: no dead code is made or mailed; a run as of the current time pays it
				await write({ status: 'pending', last_error: paid.message.slice(0, 500) });
				return { ...base, status: 'not_paid', reasons: [...decision.reasons, 'code_would_be_expired'], note: paid.message };
			}
			payoutReference = paid.reference;
			discountCode = paid.discountCode;
			codeExpiresAt = paid.codeExpiresAt;
			patch.payout_reference = payoutReference;
		} else if (method === 'discountCode') {
			discountCode = discountCodeFor(key);
		}
		const told = await tellOnce(services, settings, compensation, row, { amount, method, discountCode, codeExpiresAt }, now);
		const messageId = told.messageId ?? (row.message_id ? String(row.message_id) : undefined);
		Object.assign(patch, { status: 'completed', completed_at: now.toISOString(), last_error: null });
		await write(patch);
		return {
			...base,
			status: 'compensated',
			payoutReference,
			...(discountCode ? { discountCode } : {}),
			...(messageId ? { messageId } : {}),
			...(told.status === 'unconfirmed' ? { reasons: [...decision.reasons, 'apology_unconfirmed'], note: `The apology was claimed by an earlier attempt that did not settle it, and is not sent again: ${told.why}.` } : {}),
		};
	} catch (error) {
		const failure = error instanceof NodeApiError ? error : new NodeApiError(ctx.getNode(), { message: String(error) } as JsonObject);
		// the row keeps what was done: the next run finishes it with the same key
		await write({ ...patch, status: 'failed', last_error: failure.message.slice(0, 500) });
		return failure;
	}
}

async function pay(
	ctx: IExecuteFunctions,
	services: CompensationServices,
	settings: PayoutSettings,
	method: PayoutMethod,
	customer: OrderCustomer,
	orderId: string,
	amount: Money,
	key: string,
	now: Date,
	triedBefore: boolean,
): Promise<{ reference: string; discountCode?: string; codeExpiresAt?: string } | DiscountEndsInPast> {
	const missing = (what: string) =>
		new NodeApiError(ctx.getNode(), { message: what } as JsonObject, { message: `Cannot pay by ${method}: ${what}`, description: 'Choose another payout method for orders like this one, or fix the order\'s customer.' });
	if (method === 'stripeBalance') {
		if (!services.stripe) throw missing('no Stripe credential');
		if (!customer.email) throw missing('the order has no customer email to find the Stripe customer by');
		const stripeCustomer = await services.stripe.findCustomerByEmail(customer.email);
		if (!stripeCustomer) throw missing(`no Stripe customer has the email ${customer.email}`);
		const earlier = triedBefore ? await services.stripe.findBalanceCredit(stripeCustomer.id, key) : undefined;
		if (earlier) return { reference: earlier.id };
		const transaction = await services.stripe.creditBalance(stripeCustomer.id, amount, key, `Delay compensation for order ${orderId}`, { order_id: orderId, cx_ledger_key: key });
		return { reference: transaction.id };
	}
	if (!services.shopify) throw missing('no Shopify credential');
	if (method === 'partialRefund') {
		const refund = await refundOrderAmount(services.shopify, orderId, amount, compensationRefundNote(key));
		return { reference: refund.refundId };
	}
	if (!customer.id) throw missing('the order has no Shopify customer');
	if (method === 'storeCredit') {
		const credit = await creditStoreCredit(services.shopify, customer.id, amount);
		return { reference: credit.transactionId || `store-credit:${customer.id}` };
	}
	const endsAt = new Date(now.getTime() + settings.discountValidDays * 86_400_000);
	const code = await createDiscountCode(services.shopify, { code: discountCodeFor(key), title: `Delay compensation ${orderId}`, customerId: customer.id, value: { amount }, usageLimit: 1, startsAt: now, endsAt });
	if (code instanceof DiscountEndsInPast) return code;
	return { reference: code.id, discountCode: code.code, codeExpiresAt: endsAt.toISOString() };
}

/** The states a payout can be claimed from: recorded, failed, or left paying by a run that did not finish. */
const PAYABLE = ['pending', 'failed', 'paying'];

/**
 * Claims a ledger row for one payout attempt: moved to paying (one more attempt, a token of its own) only if it is
 * still as this run read it. `held: false` when another run moved it first, with the row as it is now.
 */
export async function claimPayout(supabase: SupabaseService, row: Row, now: Date): Promise<{ held: true; token: string } | { held: false; current?: Row }> {
	const token = randomUUID();
	const id = String(row.id);
	const attempts = Number(row.attempts ?? 0);
	const [claimed] = await supabase.updateWhere(
		COMPENSATION_LEDGER_TABLE,
		[{ column: 'id', op: 'eq', value: id }, { column: 'status', op: 'eq', value: String(row.status) }, { column: 'attempts', op: 'eq', value: attempts }],
		{ status: 'paying', attempts: attempts + 1, payout_claim: token, payout_claimed_at: now.toISOString() },
	);
	if (claimed) return { held: true, token };
	// the claim made but its answer lost finds the row moved already: by this very claim when it carries the token
	const [current] = await supabase.readWhere(COMPENSATION_LEDGER_TABLE, { filters: [{ column: 'id', op: 'eq', value: id }] });
	return current && String(current.payout_claim) === token ? { held: true, token } : { held: false, ...(current ? { current } : {}) };
}

/** Where a compensation's apology claim lives on its ledger row. */
const APOLOGY_CLAIM: ClaimColumns = { table: COMPENSATION_LEDGER_TABLE, key: 'id', at: 'notify_claimed_at', token: 'notification_claim' };

/**
 * A paid compensation whose apology an earlier attempt claimed and never settled (the run stopped between the claim
 * and the write after SendGrid's answer, or the answer was unclear): settled now as tellOnce does. Undefined when
 * the row has no such claim.
 */
export async function finishLeftApology(services: CompensationServices, settings: PayoutSettings, compensation: Compensation, row: Row, now: Date): Promise<Told | undefined> {
	if (row.customer_notified_at || !row.notify_claimed_at) return undefined;
	const method = String(row.method) as PayoutMethod;
	return tellOnce(services, settings, compensation, row, { amount: rowAmount(row), method, ...(method === 'discountCode' ? { discountCode: discountCodeFor(String(row.idempotency_key)) } : {}) }, now);
}

/** What the apology of a paid compensation came to: sent now, sent before (by this row's record or SendGrid's activity), not to be sent, or unconfirmed (why). */
export interface Told {
	status: 'sent' | 'sent_before' | 'none' | 'unconfirmed';
	messageId?: string;
	why?: string;
}

/**
 * Tells the customer about a paid compensation, once: the row's apology is claimed before the email goes out and
 * marked sent after. A claim found left by an attempt that never settled it is judged by SendGrid's activity
 * (ledger.ts checkLeftClaim): shown there, it is recorded as sent; surely not sent, this run takes the claim over
 * and sends it; unknown, it stays unconfirmed and is not sent.
 */
async function tellOnce(
	services: CompensationServices,
	settings: PayoutSettings,
	compensation: Compensation,
	row: Row,
	paid: { amount: Money; method: PayoutMethod; discountCode?: string; codeExpiresAt?: string },
	now: Date,
): Promise<Told> {
	const { order, decision } = compensation;
	const id = String(row.id);
	const sendgrid = services.sendgrid;
	if (!settings.notify || !sendgrid || !order.customer.email) return { status: 'none' };
	if (row.customer_notified_at) return { status: 'sent_before', ...(row.message_id ? { messageId: String(row.message_id) } : {}) };
	const claim = newClaim(now);
	let mine = (await claimRows(services.supabase, APOLOGY_CLAIM, [id], claim)).has(id);
	if (!mine) {
		const [left] = await services.supabase.readWhere(COMPENSATION_LEDGER_TABLE, { filters: [{ column: 'id', op: 'eq', value: id }] });
		if (left?.customer_notified_at) return { status: 'sent_before', ...(left.message_id ? { messageId: String(left.message_id) } : {}) };
		const found = left ? await checkLeftClaim(sendgrid, 'cx_order', { id: order.facts.orderId, to: order.customer.email, claimedAt: left.notify_claimed_at }, now, { cx_reason: decision.reason }) : { verdict: 'unknown' as const, why: 'the ledger row is gone' };
		if (found.verdict === 'sent') {
			await settleClaim(services.supabase, APOLOGY_CLAIM, [id], { at: String(left!.notify_claimed_at), token: String(left!.notification_claim) }, { customer_notified_at: now.toISOString(), message_id: found.messageId });
			return { status: 'sent_before', messageId: found.messageId };
		}
		if (found.verdict === 'unknown') return { status: 'unconfirmed', why: found.why };
		mine = await takeOverClaim(services.supabase, APOLOGY_CLAIM, id, String(left!.notification_claim), claim);
		if (!mine) return { status: 'unconfirmed', why: 'another run took the apology up at the same time' };
	}
	const messageId = await sendUnderClaim(
		services.supabase,
		APOLOGY_CLAIM,
		id,
		claim,
		() => tellCustomer(sendgrid, settings, compensation, paid.amount, paid.method, paid.discountCode, paid.codeExpiresAt),
		'SendGrid may have accepted the apology, so it is not sent again until SendGrid\'s activity shows whether it went out (a run 10 minutes on checks it, with the custom argument cx_order).',
	);
	await settleClaim(services.supabase, APOLOGY_CLAIM, [id], claim, { customer_notified_at: now.toISOString(), ...(messageId ? { message_id: messageId } : {}) });
	return { status: 'sent', ...(messageId ? { messageId } : {}) };
}

async function tellCustomer(
	sendgrid: SendGridService,
	settings: PayoutSettings,
	{ order, decision }: Compensation,
	amount: Money,
	method: PayoutMethod,
	discountCode?: string,
	codeExpiresAt?: string,
): Promise<string | undefined> {
	const facts = {
		...(order.customer.firstName ? { firstName: order.customer.firstName } : {}),
		orderName: order.facts.name,
		daysLate: decision.daysLate,
		amount,
		method,
		...(discountCode ? { discountCode } : {}),
		...(codeExpiresAt ? { codeExpiresAt } : {}),
		perks: decision.perks,
		...(settings.storeName ? { storeName: settings.storeName } : {}),
	};
	const common = {
		to: order.customer.email!,
		customArgs: { cx_order: order.facts.orderId, cx_reason: decision.reason },
		categories: ['cx-delay-compensation'],
		...(settings.unsubscribeGroupId ? { asm: { groupId: settings.unsubscribeGroupId } } : {}),
	};
	if (settings.templateId) {
		return sendgrid.send({ ...common, templateId: settings.templateId, dynamicTemplateData: apologyTemplateData(facts) } as Parameters<SendGridService['send']>[0]);
	}
	const email = renderApologyEmail(facts);
	return sendgrid.send({ ...common, subject: email.subject, html: email.html, text: email.text });
}

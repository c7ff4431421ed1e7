/**
 * Paying compensation exactly once: a row in Supabase `compensation_ledger` (unique per order and reason, ever;
 * the policy version it was decided under is kept on the row) is written before any payout and completed after
 * it. A run under a changed policy finds the row and pays nothing again. Every payout carries the row's
 * idempotency key (Stripe's Idempotency-Key, the discount code's name, the refund's note), so a rerun after
 * a crash or a failed answer finds what was paid instead of paying again; the email is marked sent on the
 * row, so it is not sent twice either.
 */
import { claimRows, newClaim, sendUnderClaim, type ClaimColumns } from '../shared/ledger';
import { createHash } from 'node:crypto';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import type { Money } from '../shared/money';
import type { SendGridService } from '../shared/services/sendgrid';
import type { ShopifyService } from '../shared/services/shopify/client';
import { createDiscountCode, DiscountEndsInPast } from '../shared/services/shopify/discounts';
import { creditStoreCredit, refundOrderAmount } from '../shared/services/shopify/moneyBack';
import type { StripeService } from '../shared/services/stripe';
import type { Row, SupabaseService } from '../shared/services/supabase';
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
	if (row.status === 'completed') {
		return { ...base, status: 'already_compensated', ...(row.payout_reference ? { payoutReference: String(row.payout_reference) } : {}) };
	}
	const patch: Row = { attempts: Number(row.attempts ?? 0) + 1 };
	try {
		let payoutReference = row.payout_reference ? String(row.payout_reference) : undefined;
		let discountCode: string | undefined;
		let codeExpiresAt: string | undefined;
		const amount: Money = { cents: Number(row.amount_cents), currency: String(row.currency).trim() };
		if (!payoutReference && method === 'storeCredit' && Number(row.attempts ?? 0) > 0) {
			// Shopify's store credit takes no idempotency key: after an attempt whose outcome is unknown, a person checks
			await services.supabase.updateById(COMPENSATION_LEDGER_TABLE, String(row.id), { status: 'needs_approval', last_error: 'an earlier store credit attempt may have been applied' });
			return { ...base, status: 'needs_approval', reasons: [...decision.reasons, 'store_credit_outcome_unknown'] };
		}
		if (!payoutReference) {
			const paid = await pay(ctx, services, settings, method, order.customer, order.facts.orderId, amount, key, now);
			if (paid instanceof DiscountEndsInPast) {
				// the run's Now is too early for Shopify: no dead code is made or mailed; a run as of the current time pays it
				await services.supabase.updateById(COMPENSATION_LEDGER_TABLE, String(row.id), { last_error: paid.message.slice(0, 500) });
				return { ...base, status: 'not_paid', reasons: [...decision.reasons, 'code_would_be_expired'], note: paid.message };
			}
			payoutReference = paid.reference;
			discountCode = paid.discountCode;
			codeExpiresAt = paid.codeExpiresAt;
			patch.payout_reference = payoutReference;
		} else if (method === 'discountCode') {
			discountCode = discountCodeFor(key);
		}
		let messageId = row.message_id ? String(row.message_id) : undefined;
		let apology: 'sent' | 'unconfirmed' | undefined;
		if (settings.notify && services.sendgrid && order.customer.email && !row.customer_notified_at) {
			// claimed first: of two runs, or after an unclear send, the customer hears once
			const claim = newClaim(now);
			if ((await claimRows(services.supabase, APOLOGY_CLAIM, [String(row.id)], claim)).has(String(row.id))) {
				messageId = await sendUnderClaim(
					services.supabase,
					APOLOGY_CLAIM,
					String(row.id),
					claim,
					() => tellCustomer(services.sendgrid!, settings, compensation, amount, method, discountCode, codeExpiresAt),
					'SendGrid may have accepted the apology, so it is not sent again: check SendGrid\'s activity for the custom argument cx_order.',
				);
				patch.customer_notified_at = now.toISOString();
				if (messageId) patch.message_id = messageId;
				apology = 'sent';
			} else {
				apology = 'unconfirmed';
			}
		}
		Object.assign(patch, { status: 'completed', completed_at: now.toISOString(), last_error: null });
		await services.supabase.updateById(COMPENSATION_LEDGER_TABLE, String(row.id), patch);
		return {
			...base,
			status: 'compensated',
			payoutReference,
			...(discountCode ? { discountCode } : {}),
			...(messageId ? { messageId } : {}),
			...(apology === 'unconfirmed' ? { reasons: [...decision.reasons, 'apology_unconfirmed'], note: 'An earlier apology got an unclear answer from SendGrid (or another run holds it): it is not sent again.' } : {}),
		};
	} catch (error) {
		const failure = error instanceof NodeApiError ? error : new NodeApiError(ctx.getNode(), { message: String(error) } as JsonObject);
		// the row stays pending with what was done: the next run finishes it with the same key
		await services.supabase.updateById(COMPENSATION_LEDGER_TABLE, String(row.id), { ...patch, status: 'failed', last_error: failure.message.slice(0, 500) });
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
): Promise<{ reference: string; discountCode?: string; codeExpiresAt?: string } | DiscountEndsInPast> {
	const missing = (what: string) =>
		new NodeApiError(ctx.getNode(), { message: what } as JsonObject, { message: `Cannot pay by ${method}: ${what}`, description: 'Choose another payout method for orders like this one, or fix the order\'s customer.' });
	if (method === 'stripeBalance') {
		if (!services.stripe) throw missing('no Stripe credential');
		if (!customer.email) throw missing('the order has no customer email to find the Stripe customer by');
		const stripeCustomer = await services.stripe.findCustomerByEmail(customer.email);
		if (!stripeCustomer) throw missing(`no Stripe customer has the email ${customer.email}`);
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

/** Where a compensation's apology claim lives on its ledger row. */
const APOLOGY_CLAIM: ClaimColumns = { table: COMPENSATION_LEDGER_TABLE, key: 'id', at: 'notify_claimed_at', token: 'notification_claim' };

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

/**
 * Money back to a customer in Shopify: store credit, and a partial refund of an order (with Shopify's
 * `@idempotent` key, so a retry never refunds twice).
 */
import { NodeApiError, sleep, type JsonObject } from 'n8n-workflow';
import { moneyFromDecimal, moneyToDecimal, type Money } from '../../money';
import { userErrorsToApiError, type ShopifyService } from './client';

interface RefundableOrder {
	id: string;
	currencyCode: string;
	presentmentCurrencyCode: string;
	refunds: Array<{ id: string; note: string | null }>;
	transactions: Array<{ id: string; kind: string; status: string; gateway: string | null }>;
}

/** Store credit in the order's currency; Shopify creates the customer's account on first use. */
export async function creditStoreCredit(shopify: ShopifyService, customerId: string, amount: Money, expiresAt?: Date): Promise<{ transactionId: string; balance: Money }> {
	const { data } = await shopify.query<{
		storeCreditAccountCredit: {
			storeCreditAccountTransaction: { id?: string; balanceAfterTransaction: { amount: string; currencyCode: string } } | null;
			userErrors: Array<{ code: string | null; message: string; field: string[] | null }>;
		};
	}>(
		`mutation CxStoreCredit($id: ID!, $credit: StoreCreditAccountCreditInput!) {
			storeCreditAccountCredit(id: $id, creditInput: $credit) {
				storeCreditAccountTransaction { ... on StoreCreditAccountCreditTransaction { id } balanceAfterTransaction { amount currencyCode } }
				userErrors { code field message }
			}
		}`,
		{
			id: customerId,
			credit: {
				creditAmount: { amount: moneyToDecimal(amount), currencyCode: amount.currency },
				...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
				notify: false,
			},
		},
		// no idempotency key: never sent again once Shopify may have made it
		{ once: true },
	);
	const result = data.storeCreditAccountCredit;
	if (!result.storeCreditAccountTransaction) throw userErrorsToApiError(shopify.ctx, 'credit store credit', result.userErrors);
	const balance = result.storeCreditAccountTransaction.balanceAfterTransaction;
	return { transactionId: result.storeCreditAccountTransaction.id ?? '', balance: moneyFromDecimal(balance.amount, balance.currencyCode) };
}


/**
 * What Shopify answers an `@idempotent` key it has seen (https://shopify.dev/docs/api/usage/implementing-idempotency; the
 * codes and words of the Admin schema's idempotency error codes): its first attempt still running, failed (the key never
 * works again: "Retry with a new idempotency key"), or made with other arguments. A first attempt that succeeded is
 * answered with its result. refundCreate's userErrors carry no code and the SDK keeps only a top-level error's message,
 * so each is known by its code where there is one and by its words.
 */
type KeyAnswer = 'in_progress' | 'previous_failed' | 'other_parameters';
const KEY_ANSWERS: Array<[KeyAnswer, string, RegExp]> = [
	['in_progress', 'IDEMPOTENCY_CONCURRENT_REQUEST', /request is currently in progress/i],
	['previous_failed', 'IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED', /previous request with this idempotency key failed/i],
	['other_parameters', 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH', /idempotency key cannot be used with different operation parameters/i],
];

function keyAnswer(errors: Array<{ code?: string | null; message: string }>): KeyAnswer | undefined {
	return KEY_ANSWERS.find(([, code, words]) => errors.some((error) => error.code === code || words.test(error.message)))?.[0];
}

/** Keys a refund is asked for under, each after Shopify said the one before failed: past these a person looks. */
const MAX_REFUND_KEYS = 10;
/** Waits for an earlier attempt Shopify is still making, before this run leaves the refund to the next. */
const IN_PROGRESS_WAITS_MS = [1000, 2000, 4000, 8000];

/**
 * Shopify's idempotency key for a refund: from its note (the ledger key), and for the nth key after the first a suffix.
 * Key 0 is the key the pack always used, so a refund an earlier version asked for is still found under it.
 */
export function refundKey(note: string, generation = 0): string {
	const base = note.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255);
	if (!generation) return base;
	const suffix = `-retry-${generation}`;
	return `${base.slice(0, 255 - suffix.length)}${suffix}`;
}

type RefundInput = Record<string, unknown>;

/** One refundCreate under `key`: the refund (made now, or by an earlier attempt under the key), a key answer, or a refusal. */
async function askRefund(shopify: ShopifyService, input: RefundInput, key: string): Promise<{ refundId: string } | { answer: KeyAnswer; failure: NodeApiError } | { refused: NodeApiError }> {
	type Created = { refundCreate: { refund: { id: string } | null; userErrors: Array<{ code?: string | null; message: string; field: string[] | null }> } | null };
	let created: Created;
	try {
		({ data: created } = await shopify.query<Created>(
			// 2026-04 and later require an idempotency key on refundCreate
			`mutation CxRefund($input: RefundInput!, $key: String!) { refundCreate(input: $input) @idempotent(key: $key) { refund { id } userErrors { field message } } }`,
			{ key, input },
		));
	} catch (error) {
		// the client fails with NodeApiError only
		const failure = error instanceof NodeApiError ? error : new NodeApiError(shopify.ctx.getNode(), { message: String(error) } as JsonObject);
		const answer = keyAnswer([{ message: failure.message }]);
		if (answer) return { answer, failure };
		throw failure;
	}
	if (created.refundCreate?.refund) return { refundId: created.refundCreate.refund.id };
	const errors = (created.refundCreate?.userErrors ?? []).map((error) => ({ code: error.code ?? null, field: error.field, message: error.message }));
	const failure = userErrorsToApiError(shopify.ctx, 'refund the order', errors);
	const answer = keyAnswer(errors);
	if (answer) return { answer, failure };
	failure.description = 'Shopify refused the refund, so nothing was refunded: check the order in Shopify (its payment, and what is left to refund) and the app\'s write_orders scope. A later run looks for a refund with this note first, then asks again under a new idempotency key (Shopify never takes again a key whose attempt failed).';
	return { refused: failure };
}

/**
 * Refunds an amount of an order against its payment, without returning items. The note carries the ledger key: a
 * retry first looks for a refund with that note and does not refund twice. The amount is in the currency the customer
 * paid in (the order's presentment currency); for an order paid in another currency than the shop's, Shopify requires
 * that currency named on the refund, and it is.
 *
 * Shopify's idempotency key comes from the note (refundKey), and changes only when Shopify says the attempt under it
 * failed (IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED: that key never works again, and nothing was refunded under it): each key
 * is asked in turn, so a refund an earlier attempt made under any of them is answered with that refund, and an attempt
 * Shopify is still making (IDEMPOTENCY_CONCURRENT_REQUEST, another run's) is waited for, never made a second time
 * under a new key. A key asked with other arguments than its first attempt's (IDEMPOTENCY_KEY_PARAMETER_MISMATCH)
 * hides what that attempt did: it goes to a person.
 */
export async function refundOrderAmount(shopify: ShopifyService, orderId: string, amount: Money, note: string): Promise<{ refundId: string; created: boolean }> {
	const { data } = await shopify.query<{ order: RefundableOrder | null }>(
		`query CxRefundable($id: ID!) {
			order(id: $id) {
				id
				currencyCode
				presentmentCurrencyCode
				refunds { id note }
				transactions { id kind status gateway }
			}
		}`,
		{ id: orderId },
	);
	if (!data.order) throw userErrorsToApiError(shopify.ctx, 'refund the order', [{ code: 'NOT_FOUND', field: ['orderId'], message: `order ${orderId} not found` }]);
	const done = data.order.refunds.find((refund) => refund.note?.includes(note));
	if (done) return { refundId: done.id, created: false };
	const presented = data.order.presentmentCurrencyCode;
	if (amount.currency !== presented) {
		throw userErrorsToApiError(shopify.ctx, 'refund the order', [{
			code: 'CURRENCY_MISMATCH',
			field: ['currency'],
			message: `the refund is in ${amount.currency} but the customer paid in ${presented}: a refund is made in the currency the customer paid in`,
		}]);
	}
	const parent = data.order.transactions.find((transaction) => (transaction.kind === 'SALE' || transaction.kind === 'CAPTURE') && transaction.status === 'SUCCESS');
	if (!parent) throw userErrorsToApiError(shopify.ctx, 'refund the order', [{ code: 'NO_PAYMENT', field: ['transactions'], message: 'the order has no successful payment to refund against' }]);
	const input: RefundInput = {
		orderId,
		note,
		notify: false,
		// required by Shopify when the customer paid in another currency than the shop's
		...(presented !== data.order.currencyCode ? { currency: presented } : {}),
		transactions: [{ orderId, parentId: parent.id, amount: moneyToDecimal(amount), gateway: parent.gateway, kind: 'REFUND' }],
	};
	const stop = (failure: NodeApiError, message: string, description: string) =>
		new NodeApiError(shopify.ctx.getNode(), { message: failure.message } as JsonObject, { message, description });
	for (let generation = 0; generation < MAX_REFUND_KEYS; generation++) {
		const key = refundKey(note, generation);
		for (let waited = 0; ; waited++) {
			const outcome = await askRefund(shopify, input, key);
			if ('refundId' in outcome) return { refundId: outcome.refundId, created: true };
			if ('refused' in outcome) throw outcome.refused;
			// that key's attempt failed for certain: nothing was refunded under it, and Shopify wants a new key
			if (outcome.answer === 'previous_failed') break;
			if (outcome.answer === 'other_parameters') {
				throw stop(
					outcome.failure,
					`Shopify could not refund the order: an earlier attempt of this refund (idempotency key ${key}) was made with other amounts or another payment`,
					'Nothing was refunded by this attempt, and whether the earlier one refunded cannot be told from here: check the order\'s refunds in Shopify before paying this compensation by hand.',
				);
			}
			if (waited >= IN_PROGRESS_WAITS_MS.length) {
				throw stop(
					outcome.failure,
					`Shopify could not refund the order yet: an earlier attempt of this refund (idempotency key ${key}) is still in progress in Shopify`,
					'Nothing more was refunded: the refund is not asked for twice while Shopify is making it. A later run finds it by its note, or asks again under the same key.',
				);
			}
			await sleep(IN_PROGRESS_WAITS_MS[waited]);
		}
	}
	throw userErrorsToApiError(shopify.ctx, 'refund the order', [{
		code: 'TOO_MANY_ATTEMPTS',
		field: null,
		message: `Shopify refused this refund under ${MAX_REFUND_KEYS} idempotency keys, one per failed attempt; it is not asked again: check the order in Shopify`,
	}]);
}

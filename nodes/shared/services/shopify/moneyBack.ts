/**
 * Money back to a customer in Shopify: store credit, and a partial refund of an order (with Shopify's
 * `@idempotent` key, so a retry never refunds twice).
 */
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
 * Refunds an amount of an order against its payment, without returning items. The note carries the
 * ledger key: a retry first looks for a refund with that note and does not refund twice. The amount is in the
 * currency the customer paid in (the order's presentment currency); for an order paid in another currency than
 * the shop's, Shopify requires that currency named on the refund, and it is.
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
	const { data: created } = await shopify.query<{ refundCreate: { refund: { id: string } | null; userErrors: Array<{ code?: string | null; message: string; field: string[] | null }> } }>(
		// 2026-10 requires an idempotency key on refundCreate: the ledger key makes a retry return the first refund
		`mutation CxRefund($input: RefundInput!, $key: String!) { refundCreate(input: $input) @idempotent(key: $key) { refund { id } userErrors { field message } } }`,
		{
			key: note.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255),
			input: {
				orderId,
				note,
				notify: false,
				// required by Shopify when the customer paid in another currency than the shop's
				...(presented !== data.order.currencyCode ? { currency: presented } : {}),
				transactions: [{ orderId, parentId: parent.id, amount: moneyToDecimal(amount), gateway: parent.gateway, kind: 'REFUND' }],
			},
		},
	);
	if (!created.refundCreate.refund) throw userErrorsToApiError(shopify.ctx, 'refund the order', created.refundCreate.userErrors.map((error) => ({ code: error.code ?? null, field: error.field, message: error.message })));
	return { refundId: created.refundCreate.refund.id, created: true };
}


'use strict';
/**
 * Money going back to customers: storeCreditAccountCredit and refundCreate, carried out on the in-memory store
 * (reset by POST /__standin/reset, listed in GET /__standin/state). Payload shapes, userErrors and their
 * field paths follow the Admin API reference and Shopify's documented examples.
 *
 *   storeCreditAccountCredit(id: <Customer or StoreCreditAccount GID>, creditInput: { creditAmount: { amount,
 *     currencyCode }, expiresAt?, notify? }): a customer's account in that currency is created on first use.
 *   refundCreate(input: RefundInput) @idempotent(key: "..."): money back through `transactions` (parentId: the
 *     order's SALE transaction), with optional refundLineItems, shipping and refundMethods.storeCreditRefund.
 *     From 2026-04 Shopify refuses refundCreate without the @idempotent directive (BAD_REQUEST).
 *
 * A key seen before, as Shopify's @idempotent mutations answer it (https://shopify.dev/docs/api/usage/implementing-idempotency;
 * the codes and words are those of the Admin schema's idempotency error codes, e.g. InventoryAdjustQuantitiesUserErrorCode,
 * 2026-10; refundCreate's userErrors carry no code, so they come as a top-level error with extensions.code):
 *   the first attempt made the refund          the same arguments replay its result; nothing is refunded again
 *   the first attempt is still running         IDEMPOTENCY_CONCURRENT_REQUEST "This request is currently in progress, please
 *                                              try again." (a fault's delayMs keeps it running, shopify.js)
 *   the first attempt failed (userErrors,      IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED "A previous request with this idempotency key
 *     or an error)                             failed. Retry with a new idempotency key.", however often it is asked again
 *   other arguments than the first attempt's   IDEMPOTENCY_KEY_PARAMETER_MISMATCH "The same idempotency key cannot be used with
 *                                              different operation parameters."
 * Every such answer is in the mutation log ({mutation, idempotencyKey, idempotencyError}), and GET /__standin/state lists
 * the keys with their state (running, done, failed).
 */
const { GraphQLError, getDirectiveValues } = require('graphql');
const { requireGid, parseGid } = require('./shopify-gid.js');
const { gid, iso, money, moneyBag, decimal, centsOf, dollarText, presentOrder, refundRecord, refundTransaction, transactionRecord } = require('./shopify-records.js');

// ---- shared ---------------------------------------------------------------------------------------------

/** Decimal input ("49.99", 49.99) as integer cents; NaN when it is not a number. */
function inputCents(amount) {
	const value = Number.parseFloat(String(amount ?? ''));
	return Number.isFinite(value) ? Math.round(value * 100) : Number.NaN;
}

/** Versions from 2026-04 on (and unstable) require @idempotent on refundCreate. */
const IDEMPOTENCY_REQUIRED_FROM = '2026-04';
const requiresIdempotency = (version) => version === 'unstable' || String(version) >= IDEMPOTENCY_REQUIRED_FROM;

function idempotencyKey(info) {
	const directive = info.schema.getDirective('idempotent');
	if (!directive) return undefined;
	const key = getDirectiveValues(directive, info.fieldNodes[0], info.variableValues)?.key;
	return typeof key === 'string' && key.trim() ? key.trim() : undefined;
}

/** Shopify's answers to a key seen before, by code (see the header). */
const IDEMPOTENCY_ERRORS = {
	IDEMPOTENCY_CONCURRENT_REQUEST: 'This request is currently in progress, please try again.',
	IDEMPOTENCY_KEY_PARAMETER_MISMATCH: 'The same idempotency key cannot be used with different operation parameters.',
	IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED: 'A previous request with this idempotency key failed. Retry with a new idempotency key.',
};

/** What a key seen before gets instead of its first result: a mismatch, a first attempt still running, or one that failed. */
function idempotencyRefusal(seen, fingerprint) {
	if (seen.fingerprint !== fingerprint) return 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH';
	if (seen.state === 'running') return 'IDEMPOTENCY_CONCURRENT_REQUEST';
	if (seen.state === 'failed') return 'IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED';
	return undefined;
}

/**
 * Carries the mutation out, or refuses it with the userErrors a fault injected (ctx.userErrors: a refusal the store has
 * no rule for, such as a payment gateway declining the refund): nothing changes then.
 */
function attempt(mutation, ctx, perform) {
	if (!ctx.userErrors) return perform();
	ctx.store.log({ mutation, injected: true, userErrors: ctx.userErrors });
	return { userErrors: ctx.userErrors };
}

/**
 * Runs `perform` at most once per idempotency key, as Shopify's @idempotent mutations do: the key is taken (running)
 * before the work starts and keeps its outcome (done with the payload, or failed). A request with a delay
 * (ctx.delayMs) runs that much later, its key running all the while.
 */
function oncePerKey(mutation, args, ctx, info, perform) {
	const key = idempotencyKey(info);
	if (!key) {
		if (requiresIdempotency(ctx.version)) {
			throw new GraphQLError('The @idempotent directive is required for this mutation but was not provided.', { extensions: { code: 'BAD_REQUEST' } });
		}
		return attempt(mutation, ctx, perform);
	}
	const id = `${mutation}:${key}`;
	const fingerprint = JSON.stringify(args);
	const seen = ctx.store.idempotency.get(id);
	if (seen) {
		const code = idempotencyRefusal(seen, fingerprint);
		if (code) {
			ctx.store.log({ mutation, idempotencyKey: key, idempotencyError: code });
			throw new GraphQLError(IDEMPOTENCY_ERRORS[code], { extensions: { code } });
		}
		ctx.store.log({ mutation, idempotencyKey: key, replayed: true });
		return seen.payload;
	}
	const record = { fingerprint, state: 'running' };
	ctx.store.idempotency.set(id, record);
	const run = () => {
		try {
			const payload = attempt(mutation, ctx, perform);
			record.payload = payload;
			record.state = payload?.userErrors?.length ? 'failed' : 'done';
			return payload;
		} catch (error) {
			record.state = 'failed';
			throw error;
		}
	};
	if (!(ctx.delayMs > 0)) return run();
	ctx.delayed = true;
	return new Promise((resolve) => setTimeout(resolve, ctx.delayMs)).then(run);
}

// ---- store credit ---------------------------------------------------------------------------------------

/** Shopify's per-account ceiling: a credit may not take the balance to 100,000 (in the account's currency). */
const STORE_CREDIT_LIMIT_CENTS = 100_000 * 100;
/** XXX (no currency) and XTS (testing) are the CurrencyCodes a store credit account cannot hold. */
const UNSUPPORTED_STORE_CREDIT_CURRENCIES = new Set(['XXX', 'XTS']);

const creditError = (field, message, code) => ({ field, message, code });

function storeCreditAccount(store, owner, currencyCode) {
	const account = {
		__typename: 'StoreCreditAccount',
		id: gid('StoreCreditAccount', store.nextId('StoreCreditAccount')),
		balance: money(0, currencyCode),
		owner,
		transactions: [],
		_cents: 0,
	};
	owner.storeCreditAccounts.push(account);
	store.storeCreditAccounts.push(store.add(account));
	return account;
}

/** Adds `cents` to an account: the StoreCreditAccountCreditTransaction Shopify records. */
function creditAccount(store, account, { cents, expiresAt = null, event = 'ADJUSTMENT', origin = null }) {
	const currencyCode = account.balance.currencyCode;
	account._cents += cents;
	account.balance = money(account._cents, currencyCode);
	const transaction = {
		__typename: 'StoreCreditAccountCreditTransaction',
		id: gid('StoreCreditAccountCreditTransaction', store.nextId('StoreCreditAccountTransaction')),
		account,
		amount: money(cents, currencyCode),
		balanceAfterTransaction: money(account._cents, currencyCode),
		remainingAmount: money(cents, currencyCode),
		createdAt: iso(new Date()),
		expiresAt: expiresAt ? iso(expiresAt) : null,
		event,
		origin,
	};
	account.transactions.push(store.add(transaction));
	return transaction;
}

/**
 * The account a credit goes to: an account GID as is, an owner GID (Customer) through its account in the
 * credited currency, created when missing. Returns { account } | { owner } (to create) | { error }.
 */
function creditTarget(store, id, currencyCode) {
	requireGid(id);
	const type = parseGid(id).type;
	const record = store.find(id);
	if (type === 'StoreCreditAccount') {
		return record ? { account: record } : { error: creditError(['id'], 'Store credit account does not exist', 'ACCOUNT_NOT_FOUND') };
	}
	if (record?.__typename !== 'Customer') return { error: creditError(['id'], 'Owner does not exist', 'OWNER_NOT_FOUND') };
	const account = record.storeCreditAccounts.find((one) => one.balance.currencyCode === currencyCode);
	return account ? { account } : { owner: record };
}

function storeCreditAccountCredit({ id, creditInput }, { store }) {
	const { creditAmount, expiresAt = null, notify = false } = creditInput;
	const cents = inputCents(creditAmount.amount);
	const currencyCode = creditAmount.currencyCode;
	const target = creditTarget(store, id, currencyCode);
	let error = target.error;
	if (!error && expiresAt && !(Date.parse(expiresAt) > Date.now())) {
		error = creditError(['creditInput', 'expiresAt'], 'The expiry date must be in the future', 'EXPIRES_AT_IN_PAST');
	}
	if (!error && !(cents > 0)) {
		error = creditError(['creditInput', 'creditAmount', 'amount'], 'A positive amount must be used to credit a store credit account', 'NEGATIVE_OR_ZERO_AMOUNT');
	}
	if (!error && UNSUPPORTED_STORE_CREDIT_CURRENCIES.has(currencyCode)) {
		error = creditError(['creditInput', 'creditAmount', 'currencyCode'], 'Currency is not supported', 'UNSUPPORTED_CURRENCY');
	}
	if (!error && target.account && target.account.balance.currencyCode !== currencyCode) {
		error = creditError(['creditInput', 'creditAmount', 'currencyCode'], 'The currency provided does not match the currency of the store credit account', 'MISMATCHING_CURRENCY');
	}
	if (!error && (target.account?._cents ?? 0) + cents >= STORE_CREDIT_LIMIT_CENTS) {
		error = creditError(['creditInput', 'creditAmount', 'amount'], "The operation would cause the account's credit limit to be exceeded", 'CREDIT_LIMIT_EXCEEDED');
	}
	if (error) {
		store.log({ mutation: 'storeCreditAccountCredit', id, amount: creditAmount, userErrors: [error] });
		return { storeCreditAccountTransaction: null, userErrors: [error] };
	}
	const account = target.account ?? storeCreditAccount(store, target.owner, currencyCode);
	const transaction = creditAccount(store, account, { cents, expiresAt });
	store.log({
		mutation: 'storeCreditAccountCredit', id, accountId: account.id, amount: transaction.amount,
		balance: account.balance, expiresAt: transaction.expiresAt, notify: Boolean(notify), userErrors: [],
	});
	return { storeCreditAccountTransaction: transaction, userErrors: [] };
}

// ---- refunds --------------------------------------------------------------------------------------------

const RESTOCKING = new Set(['RETURN', 'CANCEL', 'LEGACY_RESTOCK']);
const userError = (field, message) => ({ field, message });

/** The first problem with a refund input, as Shopify reports it, or null. */
function refundProblem(input, order, plan) {
	// RefundInput.currency: "required for orders where the currency and presentment currency differ", and must be
	// the presentment currency; the amounts are then in it
	if (order.presentmentCurrencyCode !== order.currencyCode && input.currency !== order.presentmentCurrencyCode) {
		return userError(['currency'], input.currency
			? `Currency ${input.currency} does not match the order's presentment currency ${order.presentmentCurrencyCode}`
			: `Currency is required: the order was paid in ${order.presentmentCurrencyCode}, not the shop's currency ${order.currencyCode}`);
	}
	if (input.currency && input.currency !== order.presentmentCurrencyCode) {
		return userError(['currency'], `Currency ${input.currency} does not match the order's presentment currency ${order.presentmentCurrencyCode}`);
	}
	for (const [index, transaction] of (input.transactions ?? []).entries()) {
		if (transaction.kind !== 'REFUND') return userError(null, `Kind ${transaction.kind.toLowerCase()} is not a valid transaction`);
		const parent = transaction.parentId ? order.transactions.find((one) => one.id === transaction.parentId) : null;
		if (transaction.orderId !== order.id || !parent || parent.kind === 'REFUND') {
			return userError(['transactions'], 'Transactions require a parent_id associated with the order');
		}
		if (!(inputCents(transaction.amount) > 0)) return userError(['transactions', String(index), 'amount'], 'Amount must be greater than 0');
	}
	for (const [index, method] of (input.refundMethods ?? []).entries()) {
		const credit = method.storeCreditRefund;
		if (!credit) continue;
		if (!order.customer) return userError(['refundMethods', String(index), 'storeCreditRefund'], 'Store credit can only be issued to an order with a customer');
		if (!(inputCents(credit.amount.amount) > 0)) {
			return userError(['refundMethods', String(index), 'storeCreditRefund', 'amount', 'amount'], 'A positive amount must be used to credit a store credit account');
		}
	}
	for (const [index, line] of (input.refundLineItems ?? []).entries()) {
		requireGid(line.lineItemId);
		const item = order.lineItems.find((one) => one.id === line.lineItemId);
		if (!item) return userError(['refundLineItems', String(index), 'lineItemId'], 'Line item does not exist');
		if (line.quantity <= 0) return userError(['refundLineItems', String(index), 'quantity'], 'Quantity must be greater than 0');
		if (line.quantity > item.refundableQuantity) return userError(['refundLineItems', String(index), 'quantity'], 'Quantity cannot refund more items than were purchased');
	}
	if (plan.shippingCents > plan.refundableShippingCents) {
		return userError(['shipping', 'amount'], `Shipping refund amount ${dollarText(plan.shippingCents)} is greater than the refundable shipping ${dollarText(plan.refundableShippingCents)}`);
	}
	const netPayment = centsOf(order.totalReceivedSet.shopMoney) - centsOf(order.totalRefundedSet.shopMoney);
	if (!input.allowOverRefunding && plan.moneyCents > netPayment) {
		return userError(null, `Refund amount ${dollarText(plan.moneyCents)} is greater than net payment received ${dollarText(Math.max(0, netPayment))}`);
	}
	return null;
}

/** What a refund input amounts to, in cents: money paid back (transactions, store credit) and shipping. */
function refundPlan(input, order) {
	// amounts come in the presentment currency; the store keeps shop cents
	const rate = order._presentment?.rate ?? 1;
	const transactionCents = Math.round((input.transactions ?? []).reduce((sum, one) => sum + (inputCents(one.amount) || 0), 0) / rate);
	const storeCreditCents = (input.refundMethods ?? []).reduce((sum, one) => sum + (inputCents(one.storeCreditRefund?.amount.amount) || 0), 0);
	const refundedShippingCents = centsOf(order.totalRefundedShippingSet.shopMoney);
	const refundableShippingCents = Math.max(0, order.shippingLines.reduce((sum, line) => sum + line._cents, 0) - refundedShippingCents);
	const shipping = input.shipping ?? {};
	const shippingCents = shipping.fullRefund ? refundableShippingCents : shipping.amount != null ? inputCents(shipping.amount) || 0 : 0;
	return { moneyCents: transactionCents + storeCreditCents, shippingCents, refundableShippingCents };
}

function applyLineItems(store, input, order, refund) {
	for (const line of input.refundLineItems ?? []) {
		const item = order.lineItems.find((one) => one.id === line.lineItemId);
		const restockType = line.restockType ?? 'NO_RESTOCK';
		const unitCents = centsOf(item.originalUnitPriceSet.shopMoney);
		item.refundableQuantity -= line.quantity;
		item.currentQuantity -= line.quantity;
		refund.refundLineItems.push(store.add({
			__typename: 'RefundLineItem',
			id: gid('RefundLineItem', store.nextId('RefundLineItem')),
			lineItem: item,
			quantity: line.quantity,
			restockType,
			restocked: RESTOCKING.has(restockType),
			location: null,
			priceSet: item.originalUnitPriceSet,
			price: decimal(unitCents),
			subtotalSet: moneyBag(unitCents * line.quantity),
			subtotal: decimal(unitCents * line.quantity),
			totalTaxSet: moneyBag(0),
			totalTax: '0.0',
		}));
	}
	order.currentSubtotalLineItemsQuantity = order.lineItems.reduce((sum, item) => sum + item.currentQuantity, 0);
}

function applyShipping(store, order, refund, cents) {
	if (!cents) return;
	refund.refundShippingLines.push(store.add({
		__typename: 'RefundShippingLine',
		id: gid('RefundShippingLine', store.nextId('RefundShippingLine')),
		shippingLine: order.shippingLines[0],
		subtotalAmountSet: moneyBag(cents),
		taxAmountSet: moneyBag(0),
	}));
	order.totalRefundedShippingSet = moneyBag(centsOf(order.totalRefundedShippingSet.shopMoney) + cents);
}

/** The money: REFUND transactions against their SALE, and store credit through the customer's account. */
function applyMoney(store, input, order, refund, at) {
	for (const transaction of input.transactions ?? []) {
		const parent = order.transactions.find((one) => one.id === transaction.parentId);
		const record = refundTransaction(store.nextId, order, parent, { cents: Math.round(inputCents(transaction.amount) / (order._presentment?.rate ?? 1)), at, gateway: parent.gateway ?? transaction.gateway });
		refund.transactions.push(record);
		order.transactions.push(store.add(record));
	}
	for (const method of input.refundMethods ?? []) {
		const credit = method.storeCreditRefund;
		if (!credit) continue;
		const cents = inputCents(credit.amount.amount);
		const record = transactionRecord(store.nextId, order, { kind: 'REFUND', cents, at, gateway: 'shopify_store_credit' });
		const owner = order.customer;
		const account = owner.storeCreditAccounts.find((one) => one.balance.currencyCode === credit.amount.currencyCode) ??
			storeCreditAccount(store, owner, credit.amount.currencyCode);
		creditAccount(store, account, { cents, expiresAt: credit.expiresAt ?? null, event: 'ORDER_REFUND', origin: record });
		refund.transactions.push(record);
		order.transactions.push(store.add(record));
	}
	order.transactionsCount = { count: order.transactions.length, precision: 'EXACT' };
}

/** The order's totals and status after a refund of `cents`; the customer's net spend follows. */
function settleOrder(order, cents, now) {
	const refunded = centsOf(order.totalRefundedSet.shopMoney) + cents;
	const received = centsOf(order.totalReceivedSet.shopMoney);
	order.totalRefundedSet = moneyBag(refunded);
	order.netPaymentSet = moneyBag(received - refunded);
	order.currentTotalPriceSet = moneyBag(Math.max(0, order._totalCents - refunded));
	presentOrder(order);
	if (refunded > 0) order.displayFinancialStatus = refunded >= received ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
	order.refundable = refunded < received;
	order.updatedAt = iso(now);
	if (!order.cancelledAt && order.customer) {
		order._netCents -= cents;
		order.customer.amountSpent = money(centsOf(order.customer.amountSpent) - cents);
	}
}

function createRefund(input, { store }) {
	requireGid(input.orderId);
	const order = store.find(input.orderId);
	if (order?.__typename !== 'Order') {
		const error = userError(['orderId'], 'Order does not exist');
		store.log({ mutation: 'refundCreate', orderId: input.orderId, userErrors: [error] });
		return { refund: null, order: null, userErrors: [error] };
	}
	const plan = refundPlan(input, order);
	const problem = refundProblem(input, order, plan);
	if (problem) {
		store.log({ mutation: 'refundCreate', orderId: order.id, amount: decimal(plan.moneyCents), userErrors: [problem] });
		return { refund: null, order, userErrors: [problem] };
	}
	const now = new Date();
	const at = input.processedAt ? new Date(input.processedAt) : now;
	const refund = refundRecord(store.nextId, order, { at, note: input.note, cents: plan.moneyCents });
	if (order._presentment) refund.totalRefundedSet.presentmentMoney = money(Math.round(plan.moneyCents * order._presentment.rate), order._presentment.currency);
	refund.createdAt = iso(now);
	refund.updatedAt = iso(now);
	applyLineItems(store, input, order, refund);
	applyShipping(store, order, refund, plan.shippingCents);
	applyMoney(store, input, order, refund, at);
	settleOrder(order, plan.moneyCents, now);
	order.refunds.push(store.add(refund));
	store.createdRefunds.push(refund);
	store.log({
		mutation: 'refundCreate', orderId: order.id, refundId: refund.id, amount: refund.totalRefundedSet.shopMoney,
		note: refund.note, notify: Boolean(input.notify), financialStatus: order.displayFinancialStatus, userErrors: [],
	});
	return { refund, order, userErrors: [] };
}

function refundCreate(args, ctx, info) {
	return oncePerKey('refundCreate', args, ctx, info, () => createRefund(args.input, ctx));
}

module.exports = { storeCreditAccountCredit, refundCreate };

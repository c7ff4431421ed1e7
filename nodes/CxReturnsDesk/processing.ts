/**
 * What processing a received return does, planned from its decision and what Shopify shows left to process:
 * each line's quantity and disposition, the exchange items, and the money (back to the original payment, or
 * store credit with its bonus). Pure: no n8n, no I/O, no clock.
 */
import type { Resolution, StoredReturn } from '../shared/contract/returnRequest';
import { convertAtOrderRate, formatMoney, type Money } from '../shared/money';
import type { ReturnDecision } from './returnDecision';

export interface ProcessingPlan {
	resolution: Resolution;
	lines: Array<{ id: string; quantity: number; reverseLineItemId?: string; disposition: 'RESTOCKED' | 'NOT_RESTOCKED' }>;
	exchangeLineItems: Array<{ id: string; quantity: number }>;
	/** Money to the original payment, spread over the order's sales, largest first. */
	refund?: { transactions: Array<{ parentId: string; amount: Money }> };
	/** Store credit through the return's refund (the returned value less fees, with the shipping refunded). */
	storeCredit?: Money;
	/** Store credit's bonus, credited apart: it is more than the order paid for the items. */
	creditBonus?: Money;
	shippingRefund?: Money;
	reasons: string[];
}

/** The money a plan sends back to the original payment, in minor units of its transactions' currency. */
export function refundedCents(plan: ProcessingPlan): number {
	return plan.refund?.transactions.reduce((total, transaction) => total + transaction.amount.cents, 0) ?? 0;
}

/** Why a return cannot be processed now; `review` when a person has to act, `done` when nothing is left. */
export type ProcessingProblem = { kind: 'done' | 'review' | 'not_open'; reason: string; message: string };

/**
 * The plan for a return Shopify shows OPEN, under the decision it was approved with (`chosen`: the resolution the
 * customer took among its offers, else the decision's first; store credit taken instead of the first offer earns
 * `creditBonusPercent`). Lines already processed are not processed again.
 */
export function planProcessing(stored: StoredReturn, decision: ReturnDecision, chosen: Resolution | undefined, creditBonusPercent: number): ProcessingPlan | ProcessingProblem {
	if (stored.status === 'CLOSED') return { kind: 'done', reason: 'return_closed', message: `Return ${stored.name} is closed: it was processed already.` };
	if (stored.status !== 'OPEN') return { kind: 'not_open', reason: `return_${stored.status.toLowerCase()}`, message: `Return ${stored.name} is ${stored.status.toLowerCase()}, not open: only an approved return is processed.` };
	const resolution = chosen ?? decision.resolution;
	if (!resolution || !decision.offers.includes(resolution)) {
		return { kind: 'review', reason: 'resolution_not_offered', message: `Return ${stored.name} was not offered ${resolution ?? 'any resolution'} (offered: ${decision.offers.join(', ') || 'none'}).` };
	}
	const faultOf = new Map(decision.lines.map((line) => [line.id, line.fault]));
	const lines = stored.request.lines.flatMap((line) => {
		const left = stored.quantities[line.id]?.processable ?? 0;
		if (left <= 0) return [];
		// a faulty item does not go back on sale; one returned by the customer's choice does
		// (a ticket's decision named its lines by their fulfillment line items: the return did not exist yet)
		const fault = faultOf.get(line.id) ?? faultOf.get(line.fulfillmentLineItemId);
		const disposition = fault === 'store' ? ('NOT_RESTOCKED' as const) : ('RESTOCKED' as const);
		const reverseLineItemId = stored.quantities[line.id]?.reverseLineItemId;
		return [{ id: line.id, quantity: left, ...(reverseLineItemId ? { reverseLineItemId } : {}), disposition }];
	});
	if (!lines.length) return { kind: 'done', reason: 'nothing_left_to_process', message: `Every item of return ${stored.name} is processed already.` };
	const reasons = [`resolution_${resolution}`];
	const currency = stored.request.currency;
	if (resolution === 'exchange') {
		const exchangeLineItems = stored.exchangeLineItems.filter((item) => item.processable > 0).map((item) => ({ id: item.id, quantity: item.processable }));
		if (!exchangeLineItems.length) {
			return { kind: 'review', reason: 'exchange_not_on_return', message: `Return ${stored.name} was offered an exchange but carries no exchange item: add the exchange in Shopify, or give the customer's choice of store_credit or refund.` };
		}
		return { resolution, lines, exchangeLineItems, reasons };
	}
	// what the decision owed for the resolution taken (the customer may take a later offer than the first), less
	// what refunds of this return already paid
	const net = Math.max(0, (decision.returnableValue ?? decision.returnedValue).cents - decision.restockingFee.cents - decision.returnShippingFee.cents + decision.shippingRefund.cents);
	const owed = Math.max(0, net - stored.refunded.cents);
	const bonusCents = resolution !== 'store_credit' ? 0 : resolution === decision.resolution ? decision.bonus.cents : Math.round((net * creditBonusPercent) / 100);
	// the shipping refunded is named apart (refundShipping) and paid within the same transfer
	const shippingRefund = decision.shippingRefund.cents > 0 ? decision.shippingRefund : undefined;
	if (resolution === 'store_credit') {
		return {
			resolution,
			lines,
			exchangeLineItems: [],
			...(owed > 0 ? { storeCredit: { cents: owed, currency } } : {}),
			...(bonusCents > 0 && stored.refunded.cents === 0 ? { creditBonus: { cents: bonusCents, currency } } : {}),
			...(shippingRefund ? { shippingRefund } : {}),
			reasons,
		};
	}
	const transactions: Array<{ parentId: string; amount: Money }> = [];
	let left = owed;
	for (const sale of [...stored.saleTransactions].sort((a, b) => b.amount.cents - a.amount.cents)) {
		if (left <= 0) break;
		const amount = Math.min(left, sale.amount.cents);
		transactions.push({ parentId: sale.id, amount: { cents: amount, currency: sale.amount.currency } });
		left -= amount;
	}
	if (left > 0) {
		const money = (cents: number) => formatMoney({ cents, currency });
		return { kind: 'review', reason: 'payment_not_enough', message: `Return ${stored.name}: the order's payments cover ${money(owed - left)} of the ${money(owed)} owed; a person refunds it.` };
	}
	return { resolution, lines, exchangeLineItems: [], ...(transactions.length ? { refund: { transactions } } : {}), ...(shippingRefund ? { shippingRefund } : {}), reasons };
}

/**
 * The plan in the currency the customer paid in, which Shopify takes a return's money in: each amount at the
 * order's own rate, each refund capped at what its payment took in that currency. The same plan when the order was
 * paid in the shop's currency.
 */
export function inPaidCurrency(plan: ProcessingPlan, stored: StoredReturn): ProcessingPlan {
	const rate = stored.presentment;
	if (!rate) return plan;
	const convert = (money: Money) => convertAtOrderRate(money, rate.shopTotal, rate.presentmentTotal);
	const paidOf = new Map(stored.saleTransactions.map((sale) => [sale.id, sale.presentmentAmount]));
	return {
		...plan,
		...(plan.storeCredit ? { storeCredit: convert(plan.storeCredit) } : {}),
		...(plan.creditBonus ? { creditBonus: convert(plan.creditBonus) } : {}),
		...(plan.shippingRefund ? { shippingRefund: convert(plan.shippingRefund) } : {}),
		...(plan.refund
			? {
					refund: {
						transactions: plan.refund.transactions.map((transaction) => {
							const converted = convert(transaction.amount);
							const paid = paidOf.get(transaction.parentId);
							return { parentId: transaction.parentId, amount: paid && paid.currency === converted.currency && paid.cents < converted.cents ? paid : converted };
						}),
					},
				}
			: {}),
	};
}

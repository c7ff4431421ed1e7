/**
 * A return request as the returns desk reads it: Shopify's requested return (or a ticket asking for one) with its
 * order, customer, lines and the variants an exchange could offer; from Shopify or from items, the same shape.
 */
import type { Money } from '../money';

/** Shopify's ReturnStatus. */
export type ReturnStatus = 'REQUESTED' | 'OPEN' | 'DECLINED' | 'CLOSED' | 'CANCELED';

/** What the desk can give back, in the policy's ladder. */
export type Resolution = 'exchange' | 'store_credit' | 'refund';

/** Shopify's ReturnReason (Admin API 2026-10). */
export type ReturnReason =
	| 'COLOR'
	| 'DEFECTIVE'
	| 'NOT_AS_DESCRIBED'
	| 'OTHER'
	| 'SIZE_TOO_LARGE'
	| 'SIZE_TOO_SMALL'
	| 'STYLE'
	| 'UNKNOWN'
	| 'UNWANTED'
	| 'WRONG_ITEM';

/** Every ReturnReason, by name: what a stored reason is checked against (a report counts per reason). */
export const RETURN_REASONS: readonly ReturnReason[] = ['COLOR', 'DEFECTIVE', 'NOT_AS_DESCRIBED', 'OTHER', 'SIZE_TOO_LARGE', 'SIZE_TOO_SMALL', 'STYLE', 'UNKNOWN', 'UNWANTED', 'WRONG_ITEM'];

/** A Shopify return's GID (gid://shopify/Return/<id>). */
export const RETURN_GID = /^gid:\/\/shopify\/Return\/\d+$/;

/** A return reference as Shopify's GID: its numeric ID (as webhooks give it) or a GID already; else undefined. */
export function returnGid(reference: unknown): string | undefined {
	if (typeof reference !== 'string' && typeof reference !== 'number') return undefined;
	const text = String(reference).trim();
	if (/^\d+$/.test(text)) return `gid://shopify/Return/${text}`;
	return RETURN_GID.test(text) ? text : undefined;
}

/** Shopify's ReturnDeclineReason. */
export type DeclineReason = 'FINAL_SALE' | 'RETURN_PERIOD_ENDED' | 'OTHER';

/** A variant the customer could have instead (same product), as the store holds it. */
export interface ExchangeVariant {
	variantId: string;
	title: string;
	/** Units the store can sell now; an exchange is offered only for a variant with at least the returned quantity. */
	available: number;
	price: Money;
}

/** One line of the return: what comes back, why, and what the item is. */
export interface ReturnLine {
	/** The return line item's id (a requested return), or the fulfillment line item's (a ticket: no return yet). */
	id: string;
	fulfillmentLineItemId: string;
	title: string;
	variantTitle?: string;
	variantId?: string;
	productType?: string;
	/** The product's tags and the line's own (Shopify keeps no line tags; the product's are read). */
	productTags: string[];
	quantity: number;
	/** What one unit cost the customer after discounts, in the order's currency. */
	unitPrice: Money;
	reason: ReturnReason;
	/** The customer's own words (returnReasonNote / customerNote, or the ticket's text). */
	note?: string;
	/** Other variants of the same product, for an exchange; empty when none is known. */
	exchangeVariants: ExchangeVariant[];
	/** A variant the customer named (a ticket: "a size M instead"), when it is one of exchangeVariants. */
	wantedVariantId?: string;
}

/** The customer's returns over the 365 days before now (this return not counted). */
export interface ReturnHistory {
	returnsCount: number;
	returnedValue: Money;
	spentValue: Money;
}

export interface ReturnCase {
	/** Shopify's return id (gid), or undefined for a ticket's request (no return exists yet). */
	returnId?: string;
	/** Where it came from: a requested return in Shopify, or a ticket. */
	source: 'shopify_return' | 'ticket';
	/** The ticket that asked (source ticket). */
	ticketId?: string;
	orderId: string;
	orderName: string;
	orderTags: string[];
	/** ISO country of the shipping address (else billing); decides the EU floor. */
	countryCode?: string;
	/** The order's currency (amounts below are in it); `toPolicy` converts policy amounts into it. */
	currency: string;
	/** When the items were delivered (the latest delivery among the returned lines' fulfilments), if recorded. */
	deliveredAt?: Date;
	/** When they were fulfilled (shipped), if recorded. */
	fulfilledAt?: Date;
	/** When the request was made (the return's createdAt, the ticket's time). */
	requestedAt: Date;
	/** Shipping the customer paid on the order, refunded when the store is at fault. */
	shippingPaid: Money;
	customer: { id?: string; email?: string; name?: string; tags: string[] };
	history: ReturnHistory;
	/** Other returns on this order (any status but declined or canceled), this one not counted. */
	otherReturnsOnOrder: number;
	/** A delay compensation already paid on this order (compensation_ledger, completed). */
	delayCompensationPaid?: Money;
	lines: ReturnLine[];
}

/** The ledger's key of a request: the ticket that asked (its return is opened later), else Shopify's return. */
export function returnKeyOf(request: { returnId?: string; ticketId?: string }): string {
	return request.ticketId ? `ticket:${request.ticketId}` : (request.returnId ?? '');
}

/** A return as Shopify holds it now: the request to decide, and what is left to process on it. */
export interface StoredReturn {
	request: Omit<ReturnCase, 'history' | 'delayCompensationPaid'>;
	status: ReturnStatus;
	name: string;
	/** Per return line item id: Shopify's quantities, and the reverse fulfillment order line its dispositions name. */
	quantities: Record<string, { processable: number; processed: number; refundable: number; refunded: number; reverseLineItemId?: string }>;
	exchangeLineItems: Array<{ id: string; variantId?: string; quantity: number; processable: number }>;
	/** The order's successful sales and captures: where a refund goes back to (amount in the shop's currency, and as paid). */
	saleTransactions: Array<{ id: string; amount: Money; presentmentAmount?: Money; gateway?: string }>;
	/**
	 * An order paid in another currency than the shop's: its total in both, the rate money back is converted at
	 * (Shopify takes a return's refund in the currency the customer paid in).
	 */
	presentment?: { shopTotal: Money; presentmentTotal: Money };
	/** Money already refunded by refunds of this return. */
	refunded: Money;
	/** The location the returned items were shipped from: where restocked items go back. */
	restockLocationId?: string;
}

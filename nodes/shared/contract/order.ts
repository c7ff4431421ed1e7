/**
 * Orders as the nodes that read many of them see them: an order and its parcels for the delay check, a
 * delivered order to ask about (surveys), and an order as a sale (satisfaction metrics: return rate, lifetime
 * value). From Shopify or from items, the same shape.
 */
import type { Money } from '../money';
import type { CustomerTier } from './request';

/** A parcel of an order, as the delay check reads it. */
export interface FulfillmentFacts {
	createdAt?: string | null;
	inTransitAt?: string | null;
	estimatedDeliveryAt?: string | null;
	deliveredAt?: string | null;
	/** Shopify's FulfillmentDisplayStatus: DELIVERED, IN_TRANSIT, CANCELED, ... */
	displayStatus?: string | null;
	events: Array<{ status: string; happenedAt: string; message?: string | null }>;
}

/** An order with its parcels: what the delay decision reads. */
export interface DeliveryFacts {
	orderId: string;
	name: string;
	processedAt: string;
	cancelledAt?: string | null;
	/** In the shop's currency (Shopify's shopMoney). */
	total: Money;
	refunded?: Money;
	/**
	 * The same order in the currency the customer paid in (Shopify's presentmentMoney), when that differs from
	 * the shop's: the credit is paid in it, converted at this order's own shop/presentment ratio.
	 */
	presentment?: { total: Money; refunded?: Money };
	/**
	 * The latest delivery date the customer was shown at checkout (Shopify: the order's fulfillment orders'
	 * deliveryMethod.maxDeliveryDateTime); none when checkout showed no date. A carrier's estimate is not this.
	 */
	checkoutPromiseAt?: string | null;
	tier: 'regular' | 'premium' | 'vip';
	fulfillments: FulfillmentFacts[];
}

/** Who the order is for: what a payout and an apology need. */
export interface OrderCustomer {
	id?: string;
	email?: string;
	firstName?: string;
}

/** An order for the delay check. */
export interface OrderToCheck {
	facts: DeliveryFacts;
	customer: OrderCustomer;
}

/** A delivered order the survey may ask about. */
export interface DeliveredOrder {
	orderId: string;
	orderName?: string;
	customerId?: string;
	email?: string;
	firstName?: string;
	/** When the last parcel arrived; none while any parcel is still on its way. */
	deliveredAt?: string;
	/** Shopify's CustomerEmailMarketingState: SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING, INVALID, REDACTED. */
	marketingConsent: string;
	tier?: CustomerTier;
}

/** An order as the metrics need it: money in minor units of the shop's currency, times in epoch milliseconds. */
export interface OrderSale {
	/** The Shopify order id (GID or number), when known: matched against compensation_ledger. */
	orderId?: string | null;
	processedAt: number;
	/** Cancelled and test orders are no sale: left out of the rate and of lifetime value. */
	cancelled: boolean;
	test: boolean;
	/** Guests have none: they count in the return rate, not in lifetime value. */
	customerKey: string | number | null;
	totalCents: number;
	currency: string | null;
	/**
	 * at: when the refund was made; null when unknown (taken as made with the order). id and note, when
	 * known, tell the pack's own compensations (goodwill, not a return) from the rest; compensation: already
	 * known to be one.
	 */
	refunds: Array<{ at: number | null; cents: number; id?: string | null; note?: string | null; compensation?: boolean }>;
	/** A return under way or done (Shopify returnStatus IN_PROGRESS, INSPECTION_COMPLETE, RETURNED). */
	returned: boolean;
}

/** Shopify's returnStatus values that mean a return is under way or done. */
export const RETURN_STATUSES = ['IN_PROGRESS', 'INSPECTION_COMPLETE', 'RETURNED'];

/**
 * Shopify's returnStatus values that mean the customer returned from the order, for the customer's own facts
 * (contract/customer.ts returnDates, read by health): RETURN_STATUSES and a request not yet approved. The return
 * rate measures the store's returns, so a request that may be declined waits; a customer who asked to send a
 * purchase back has said it disappointed them, which is what health watches for, and the earliest word of it.
 * A declined or canceled request drops out of returnStatus (Shopify's precedence), so it stops counting.
 */
export const CUSTOMER_RETURN_STATUSES = ['RETURN_REQUESTED', ...RETURN_STATUSES];

/** A Shopify customer GID or its number, as a number: one key for both forms, and a fraction of the text's memory. */
export function customerKeyOf(id: unknown): string | number | null {
	if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
	if (typeof id !== 'string' || !id.trim()) return null;
	const number = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,15})$/.exec(id.trim())?.[1];
	return number ? Number(number) : id.trim();
}

/** An order reference as Shopify's GID: a numeric ID (as webhooks and the REST API give it) or a GID already; else undefined. */
export function orderGid(reference: unknown): string | undefined {
	if (typeof reference !== 'string' && typeof reference !== 'number') return undefined;
	const text = String(reference).trim();
	if (/^\d+$/.test(text)) return `gid://shopify/Order/${text}`;
	return /^gid:\/\/shopify\/Order\/\d+$/.test(text) ? text : undefined;
}

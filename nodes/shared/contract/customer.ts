/**
 * The customer as every node sees them: what the store knows (from Shopify, or from items), and the tier
 * that knowledge gives (a VIP tag, lifetime spend or order count against the store's thresholds).
 */
import { formatMoney, isOver, moneyFromDecimal, type Money } from '../money';
import type { TierPolicy } from '../policy';
import type { CustomerTier } from './request';

/** What the store knows of the customer (from Shopify when enrichment is on). */
export interface CustomerProfile {
	customerId: string;
	email?: string;
	firstName?: string;
	lastName?: string;
	phone?: string;
	/** Newest first, when asked for. */
	recentOrders?: Array<{ id: string; name: string; processedAt?: string; fulfillmentStatus: string; total: Money }>;
	lifetimeSpend: Money;
	orderCount: number;
	tags: string[];
	latestOrder?: {
		id: string;
		name: string;
		processedAt?: string;
		fulfillmentStatus: string;
		deliveryStatus?: string;
		estimatedDeliveryAt?: string;
		deliveredAt?: string;
	};
}

/** The customer's tier with the reason: the VIP tag first, then lifetime spend and order count. */
export function tierFromProfile(profile: CustomerProfile, tiers: TierPolicy): { tier: CustomerTier; reason: string } {
	const currency = profile.lifetimeSpend.currency;
	const spend = formatMoney(profile.lifetimeSpend);
	const vipTag = tiers.vipTag.trim().toLowerCase();
	if (vipTag && profile.tags.some((tag) => tag.trim().toLowerCase() === vipTag)) {
		return { tier: 'vip', reason: `tier_vip:tag_${tiers.vipTag}` };
	}
	if (isOver(profile.lifetimeSpend, moneyFromDecimal(tiers.vipLifetimeSpend, currency))) {
		return { tier: 'vip', reason: `tier_vip:lifetime_spend_${spend}_over_${tiers.vipLifetimeSpend}` };
	}
	if (tiers.vipMinOrders > 0 && profile.orderCount >= tiers.vipMinOrders) {
		return { tier: 'vip', reason: `tier_vip:orders_${profile.orderCount}` };
	}
	if (isOver(profile.lifetimeSpend, moneyFromDecimal(tiers.premiumLifetimeSpend, currency))) {
		return { tier: 'premium', reason: `tier_premium:lifetime_spend_${spend}_over_${tiers.premiumLifetimeSpend}` };
	}
	if (tiers.premiumMinOrders > 0 && profile.orderCount >= tiers.premiumMinOrders) {
		return { tier: 'premium', reason: `tier_premium:orders_${profile.orderCount}` };
	}
	return { tier: 'regular', reason: `tier_regular:lifetime_spend_${spend}` };
}

/**
 * A customer as the retention nodes (win-back, health) see them: orders' dates, returns and refunds, spend, email
 * consent and tags (from Shopify in bulk, or from items in the same field names).
 */
export interface RetentionCustomer {
	/** Shopify's GID (gid://shopify/Customer/123) or the id the items carry. */
	customerId: string;
	email?: string;
	firstName?: string;
	lastName?: string;
	/** Shopify's numberOfOrders; may exceed orderDates when items list only recent orders. */
	orderCount: number;
	amountSpent: Money;
	/** Shopify's CustomerEmailMarketingState: SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING, INVALID, REDACTED. */
	marketingConsent: string;
	tags: string[];
	/** ISO times the customer's orders were processed (cancelled orders left out), in any order. */
	orderDates: string[];
	/** ISO times of refunds on those orders, except orders in returnDates (their refunds are the return's). */
	refundDates: string[];
	/**
	 * One ISO time per order the customer returned from (Shopify returnStatus in CUSTOMER_RETURN_STATUSES): its latest
	 * refund's, else the order's processedAt (an exchange or a request has no refund). An order is in one list or the other.
	 */
	returnDates: string[];
}

/** A Shopify customer id as a GID; numbers and GIDs only, other systems' ids are not Shopify's. */
export function customerGid(id: string): string | undefined {
	if (/^gid:\/\/shopify\/Customer\/\d+$/.test(id)) return id;
	if (/^\d+$/.test(id)) return `gid://shopify/Customer/${id}`;
	return undefined;
}

/**
 * The forms a customer's id may be stored in by tickets, ledgers and scores: as given, as Shopify's GID
 * and as the bare number; none for a blank or non-text id.
 */
export function customerIdForms(id: unknown): string[] {
	if (typeof id !== 'string' || !id) return [];
	const gid = customerGid(id);
	if (!gid) return [id];
	return [...new Set([id, gid, gid.slice(gid.lastIndexOf('/') + 1)])];
}

const HOUR = 3_600_000;

/**
 * The customer's visits: orders placed within `gapHours` of the first order of a visit are one visit (a
 * second order twenty minutes later for a forgotten item is the same purchase). Returns each visit's
 * first order time, oldest first; unreadable dates are left out. A gap of 0 makes every order a visit.
 */
export function visitStarts(orderDates: readonly string[], gapHours: number): number[] {
	const times: number[] = [];
	for (const text of orderDates) {
		const time = Date.parse(text);
		if (!Number.isNaN(time)) times.push(time);
	}
	times.sort((a, b) => a - b);
	const gap = Math.max(0, gapHours) * HOUR;
	const starts: number[] = [];
	for (const time of times) {
		if (starts.length && time - starts[starts.length - 1] < gap) continue;
		starts.push(time);
	}
	return starts;
}

/**
 * How many visits the customer made: the visits among the dates, plus the orders Shopify counts that the
 * dates do not list (items that carry only recent orders), each of those a visit of its own.
 */
export function visitCount(customer: { orderDates: readonly string[]; orderCount?: number }, gapHours: number): number {
	const listed = visitStarts(customer.orderDates, gapHours).length;
	const unlisted = Math.max(0, (customer.orderCount ?? 0) - customer.orderDates.length);
	return listed + unlisted;
}

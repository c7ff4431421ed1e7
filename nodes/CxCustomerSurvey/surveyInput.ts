/**
 * Delivered orders for the survey, from Shopify or from items, as one `DeliveredOrder` each. Shopify's are
 * read in one bulk operation (shopify.dev "Perform bulk operations"): orders and their fulfillments,
 * customer and email consent on the order's own line, so a store of any size costs a handful of requests.
 */
import type { IDataObject } from 'n8n-workflow';
import { CUSTOMER_TIERS } from '../shared/contract/request';
import { InputProblem, oneOf, optionalDate, optionalString } from '../shared/items';
import { moneyFromDecimal } from '../shared/money';
import { TIER_POLICY } from '../shared/policy';
import { tierFromProfile } from '../shared/contract/customer';
import type { DeliveredOrder } from './survey';

/** The item fields, as a user maps them in a Set node or an export. */
export const ORDER_ITEM_FIELDS = 'order_id, order_name, customer_id, email, first_name, delivered_at, email_marketing_consent, tier';

/**
 * Orders processed since `since` (YYYY-MM-DD), not cancelled, shipped. Bulk queries take no variables, so
 * the search text is written into the query; it holds a date only.
 */
export function deliveredOrdersBulkQuery(since: string): string {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(since)) throw new RangeError(`not a date: ${since}`);
	const search = `processed_at:>=${since} AND -status:cancelled AND fulfillment_status:shipped`;
	return `{
	orders(query: ${JSON.stringify(search)}) {
		edges {
			node {
				id
				name
				cancelledAt
				displayFulfillmentStatus
				customer { id email firstName tags amountSpent { amount currencyCode } emailMarketingConsent { marketingState } }
				fulfillments { status deliveredAt }
			}
		}
	}
}`;
}

interface OrderLine {
	id?: string;
	name?: string;
	cancelledAt?: string | null;
	displayFulfillmentStatus?: string;
	customer?: {
		id: string;
		email?: string | null;
		firstName?: string | null;
		tags?: string[];
		amountSpent?: { amount: string; currencyCode: string } | null;
		emailMarketingConsent?: { marketingState: string } | null;
	} | null;
	fulfillments?: Array<{ status?: string | null; deliveredAt?: string | null }>;
}

/**
 * One line of the bulk result; undefined for a line that is not an order. Delivered when the order is
 * fulfilled in full and every parcel that went out (cancelled ones aside) has arrived: the last arrival counts.
 */
export function orderFromShopifyLine(value: Record<string, unknown>): DeliveredOrder | undefined {
	const line = value as OrderLine;
	if (typeof line.id !== 'string' || !line.id.startsWith('gid://shopify/Order/') || line.cancelledAt) return undefined;
	const parcels = (line.fulfillments ?? []).filter((fulfillment) => fulfillment.status !== 'CANCELLED' && fulfillment.status !== 'ERROR' && fulfillment.status !== 'FAILURE');
	const arrivals = parcels.map((fulfillment) => fulfillment.deliveredAt ?? null);
	const delivered = line.displayFulfillmentStatus === 'FULFILLED' && arrivals.length > 0 && arrivals.every((at) => at !== null)
		? (arrivals as string[]).reduce((latest, at) => (Date.parse(at) > Date.parse(latest) ? at : latest))
		: undefined;
	const customer = line.customer;
	const spent = customer?.amountSpent ?? { amount: '0', currencyCode: 'USD' };
	return {
		orderId: line.id,
		...(line.name ? { orderName: line.name } : {}),
		...(customer?.id ? { customerId: customer.id } : {}),
		...(customer?.email ? { email: customer.email } : {}),
		...(customer?.firstName ? { firstName: customer.firstName } : {}),
		...(delivered ? { deliveredAt: new Date(delivered).toISOString() } : {}),
		// no customer or no consent record: not subscribed, so asked only under the not-opted-out rule, and then only with an email
		marketingConsent: customer?.emailMarketingConsent?.marketingState ?? 'NOT_SUBSCRIBED',
		...(customer
			? { tier: tierFromProfile({ customerId: customer.id, lifetimeSpend: moneyFromDecimal(spent.amount, spent.currencyCode), orderCount: 0, tags: customer.tags ?? [] }, TIER_POLICY).tier }
			: {}),
	};
}

/** A delivered order given as an item; problems name the field and say what to fix. */
export function readOrderItem(json: IDataObject): DeliveredOrder {
	// ids often arrive as numbers (Shopify's legacy ids in exports)
	const orderId = optionalString(json, 'order_id', 200, true);
	if (orderId === undefined) throw new InputProblem('order_id', 'Field "order_id" is missing or empty', 'Give every item an "order_id": the Shopify order id or your own.');
	const orderName = optionalString(json, 'order_name', 100);
	const customerId = optionalString(json, 'customer_id', 200, true);
	const email = optionalString(json, 'email', 320);
	if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
		throw new InputProblem('email', `Field "email" is "${email}", which is not an email address`, 'Map "email" to the customer\'s email address, or leave it empty.');
	}
	const firstName = optionalString(json, 'first_name', 200);
	const deliveredAt = optionalDate(json, 'delivered_at');
	const tier = oneOf(optionalString(json, 'tier', 20), CUSTOMER_TIERS, 'tier');
	return {
		orderId,
		...(orderName ? { orderName } : {}),
		// Shopify's numbers as GIDs, so an order from items and the same order from Shopify share one invitation
		...(customerId ? { customerId: /^\d+$/.test(customerId) ? `gid://shopify/Customer/${customerId}` : customerId } : {}),
		...(email ? { email } : {}),
		...(firstName ? { firstName } : {}),
		...(deliveredAt ? { deliveredAt: deliveredAt.toISOString() } : {}),
		marketingConsent: (optionalString(json, 'email_marketing_consent', 40) ?? 'NOT_SUBSCRIBED').toUpperCase(),
		...(tier ? { tier } : {}),
	};
}

export function tryReadOrderItem(json: IDataObject): DeliveredOrder | InputProblem {
	try {
		return readOrderItem(json);
	} catch (error) {
		if (error instanceof InputProblem) return error;
		return new InputProblem('', `Could not read the order: ${(error as Error).message}`, 'Check the item\'s fields.');
	}
}

/**
 * Orders for the delay check given as items: the facts for the decision plus what the payout and the email
 * need (the customer), as the Shopify service's orders area gives them. Problems name the field and say how to fix it.
 */
import { customerGid, tierFromProfile } from '../shared/contract/customer';
import { TIER_POLICY, type TierPolicy } from '../shared/policy';
import type { IDataObject } from 'n8n-workflow';
import { CUSTOMER_TIERS } from '../shared/contract/request';
import { InputProblem, oneOf, optionalDate, optionalNumber, optionalString, readPath, requiredString } from '../shared/items';
import { isCurrency, moneyFromDecimal } from '../shared/money';
import type { FulfillmentFacts, OrderToCheck } from '../shared/contract/order';




/**
 * An order given as an item: order_id, name, processed_at, total, currency, ... (see the node's description).
 * Its tier: the item's `tier` when it names one, else the store's tier rule (VIP tag, lifetime spend) applied to
 * customer_tags and customer_amount_spent, as triage and escalation apply it, else regular.
 */
export function tryReadOrder(json: IDataObject, tiers: TierPolicy = TIER_POLICY): OrderToCheck | InputProblem {
	try {
		return readOrder(json, tiers);
	} catch (error) {
		if (error instanceof InputProblem) return error;
		return new InputProblem('', `Could not read the order: ${(error as Error).message}`, 'Check the item\'s fields.');
	}
}

function isoOrUndefined(json: IDataObject, path: string): string | undefined {
	return optionalDate(json, path)?.toISOString();
}

function tagsOf(json: IDataObject, path: string): string[] | undefined {
	const value = readPath(json, path);
	if (value === undefined || value === null || value === '') return undefined;
	if (Array.isArray(value)) return value.map((tag) => String(tag).trim()).filter(Boolean);
	if (typeof value === 'string') return value.split(',').map((tag) => tag.trim()).filter(Boolean);
	throw new InputProblem(path, `Field "${path}" must be a list of tags or a comma-separated text`, 'Map it to the Shopify customer\'s tags, e.g. "VIP, newsletter".');
}

function readOrder(json: IDataObject, tiers: TierPolicy): OrderToCheck {
	const orderId = requiredString(json, 'order_id', 200);
	const processedAt = optionalDate(json, 'processed_at');
	if (!processedAt) throw new InputProblem('processed_at', 'Field "processed_at" is missing', 'Give the time the order was processed (ISO 8601).');
	const currency = (optionalString(json, 'currency', 3) ?? 'USD').toUpperCase();
	if (!isCurrency(currency)) throw new InputProblem('currency', `Field "currency" is "${currency}", not an ISO 4217 currency code`, 'Use a code such as USD.');
	const total = optionalNumber(json, 'total');
	if (total === undefined || total < 0) throw new InputProblem('total', 'Field "total" is missing or negative', 'Give the order total as a number, such as 129.90.');
	const refunded = optionalNumber(json, 'refunded') ?? 0;
	// an order paid in another currency than the shop's: total and currency are what the customer paid, shop_total in the shop's currency
	const shopCurrency = (optionalString(json, 'shop_currency', 3) ?? currency).toUpperCase();
	if (!isCurrency(shopCurrency)) throw new InputProblem('shop_currency', `Field "shop_currency" is "${shopCurrency}", not an ISO 4217 currency code`, 'Use the shop\'s currency code, such as USD.');
	const shopTotal = optionalNumber(json, 'shop_total');
	if (shopCurrency !== currency && (shopTotal === undefined || shopTotal <= 0)) {
		throw new InputProblem('shop_total', `Field "shop_total" is missing or not above 0 for an order paid in ${currency} in a ${shopCurrency} shop`, 'Give the order total in the shop\'s currency (Shopify\'s shopMoney), such as 129.90.');
	}
	const presented = shopCurrency !== currency;
	const itemTier = oneOf(optionalString(json, 'tier', 20), CUSTOMER_TIERS, 'tier');
	const tags = tagsOf(json, 'customer_tags');
	const spent = optionalNumber(json, 'customer_amount_spent');
	if (spent !== undefined && spent < 0) throw new InputProblem('customer_amount_spent', 'Field "customer_amount_spent" is negative', 'Give the customer\'s lifetime spend in the shop\'s currency, such as 1250.00.');
	const tier = itemTier
		?? (tags !== undefined || spent !== undefined
			? tierFromProfile({ customerId: optionalString(json, 'customer_id', 200, true) ?? orderId, lifetimeSpend: moneyFromDecimal(spent ?? 0, shopCurrency), orderCount: 0, tags: tags ?? [] }, tiers).tier
			: 'regular');
	const rawFulfillments = readPath(json, 'fulfillments') ?? [];
	if (!Array.isArray(rawFulfillments)) throw new InputProblem('fulfillments', 'Field "fulfillments" must be a list', 'Give a list of fulfillments, or leave it out for an unfulfilled order.');
	const fulfillments: FulfillmentFacts[] = rawFulfillments.map((raw, index) => {
		const fulfillment = raw as IDataObject;
		const events = readPath(fulfillment, 'events') ?? [];
		if (!Array.isArray(events)) throw new InputProblem(`fulfillments[${index}].events`, `Field "fulfillments[${index}].events" must be a list`, 'Give a list of { status, happened_at }.');
		return {
			estimatedDeliveryAt: isoOrUndefined(fulfillment, 'estimated_delivery_at') ?? null,
			deliveredAt: isoOrUndefined(fulfillment, 'delivered_at') ?? null,
			inTransitAt: isoOrUndefined(fulfillment, 'in_transit_at') ?? null,
			displayStatus: optionalString(fulfillment, 'status', 50) ?? null,
			events: events.map((event) => ({
				status: requiredString(event as IDataObject, 'status', 50).toUpperCase(),
				happenedAt: optionalDate(event as IDataObject, 'happened_at')?.toISOString() ?? processedAt.toISOString(),
				message: optionalString(event as IDataObject, 'message', 500) ?? null,
			})),
		};
	});
	const email = optionalString(json, 'customer_email', 320);
	const customerId = optionalString(json, 'customer_id', 200, true);
	const firstName = optionalString(json, 'customer_first_name', 200);
	return {
		facts: {
			orderId,
			name: optionalString(json, 'name', 100) ?? orderId,
			processedAt: processedAt.toISOString(),
			cancelledAt: isoOrUndefined(json, 'cancelled_at') ?? null,
			checkoutPromiseAt: isoOrUndefined(json, 'checkout_promise_at') ?? null,
			...(presented
				? {
					total: moneyFromDecimal(shopTotal!, shopCurrency),
					refunded: moneyFromDecimal((refunded * shopTotal!) / total, shopCurrency),
					presentment: { total: moneyFromDecimal(total, currency), refunded: moneyFromDecimal(refunded, currency) },
				}
				: { total: moneyFromDecimal(total, currency), refunded: moneyFromDecimal(refunded, currency) }),
			tier,
			fulfillments,
		},
		customer: {
			...(customerId ? { id: customerGid(customerId) ?? customerId } : {}),
			...(email ? { email } : {}),
			...(firstName ? { firstName } : {}),
		},
	};
}

/**
 * Orders for the delay check given as items: the facts for the decision plus what the payout and the email
 * need (the customer), as the Shopify service's orders area gives them. Problems name the field and say how to fix it.
 */
import { customerGid, tierFromProfile } from '../shared/contract/customer';
import { TIER_POLICY, type TierPolicy } from '../shared/policy';
import type { IDataObject } from 'n8n-workflow';
import { CUSTOMER_TIERS } from '../shared/contract/request';
import { InputProblem, notInFuture, oneOf, optionalAmount, optionalDate, optionalEmail, optionalNumber, optionalString, optionalTags, pastDate, readPath, requiredString } from '../shared/items';
import { isCurrency, moneyFromDecimal } from '../shared/money';
import type { FulfillmentFacts, OrderToCheck } from '../shared/contract/order';




/**
 * An order given as an item: order_id, name, processed_at, total, currency, ... (see the node's description).
 * Its tier: the item's `tier` when it names one, else the store's tier rule (VIP tag, lifetime spend) applied to
 * customer_tags and customer_amount_spent, as triage and escalation apply it, else regular.
 */
export function tryReadOrder(json: IDataObject, tiers: TierPolicy = TIER_POLICY, now?: Date): OrderToCheck | InputProblem {
	try {
		return readOrder(json, tiers, now);
	} catch (error) {
		if (error instanceof InputProblem) return error;
		return new InputProblem('', `Could not read the order: ${(error as Error).message}`, 'Check the item\'s fields.');
	}
}

function isoOrUndefined(json: IDataObject, path: string): string | undefined {
	return optionalDate(json, path)?.toISOString();
}

/** A list entry that must be an object (a fulfillment, an event), or the problem naming it. */
function entryObject(entry: unknown, path: string, fix: string): IDataObject {
	if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
		throw new InputProblem(path, `Field "${path}" must be an object, not ${entry === null ? 'null' : Array.isArray(entry) ? 'a list' : JSON.stringify(entry).slice(0, 40)}`, fix);
	}
	return entry as IDataObject;
}

/**
 * `now`: the run's time. An order's times must be in order and have passed: nothing is delivered before the order
 * was placed, or in a year to come (a late parcel is measured from them, and paid for).
 */
function readOrder(json: IDataObject, tiers: TierPolicy, now?: Date): OrderToCheck {
	const orderId = requiredString(json, 'order_id', 200);
	const processedAt = pastDate(json, 'processed_at', now);
	if (!processedAt) throw new InputProblem('processed_at', 'Field "processed_at" is missing', 'Give the time the order was processed (ISO 8601).');
	const currency = (optionalString(json, 'currency', 3) ?? 'USD').toUpperCase();
	if (!isCurrency(currency)) throw new InputProblem('currency', `Field "currency" is "${currency}", not an ISO 4217 currency code`, 'Use a code such as USD.');
	const total = optionalNumber(json, 'total');
	if (total === undefined || total < 0) throw new InputProblem('total', 'Field "total" is missing or negative', 'Give the order total as a number, such as 129.90.');
	const refunded = optionalAmount(json, 'refunded') ?? 0;
	if (refunded > total) throw new InputProblem('refunded', `Field "refunded" is ${refunded}, more than the order's total of ${total}`, 'Give the amount refunded on the order so far, no more than its total.');
	// an order paid in another currency than the shop's: total and currency are what the customer paid, shop_total in the shop's currency
	const shopCurrency = (optionalString(json, 'shop_currency', 3) ?? currency).toUpperCase();
	if (!isCurrency(shopCurrency)) throw new InputProblem('shop_currency', `Field "shop_currency" is "${shopCurrency}", not an ISO 4217 currency code`, 'Use the shop\'s currency code, such as USD.');
	const shopTotal = optionalAmount(json, 'shop_total');
	if (shopCurrency !== currency && (shopTotal === undefined || shopTotal <= 0)) {
		throw new InputProblem('shop_total', `Field "shop_total" is missing or not above 0 for an order paid in ${currency} in a ${shopCurrency} shop`, 'Give the order total in the shop\'s currency (Shopify\'s shopMoney), such as 129.90.');
	}
	const presented = shopCurrency !== currency;
	const itemTier = oneOf(optionalString(json, 'tier', 20), CUSTOMER_TIERS, 'tier');
	const tags = optionalTags(json, 'customer_tags');
	const spent = optionalAmount(json, 'customer_amount_spent');
	const tier = itemTier
		?? (tags !== undefined || spent !== undefined
			? tierFromProfile({ customerId: optionalString(json, 'customer_id', 200, true) ?? orderId, lifetimeSpend: moneyFromDecimal(spent ?? 0, shopCurrency), orderCount: 0, tags: tags ?? [] }, tiers).tier
			: 'regular');
	const rawFulfillments = readPath(json, 'fulfillments') ?? [];
	if (!Array.isArray(rawFulfillments)) throw new InputProblem('fulfillments', 'Field "fulfillments" must be a list', 'Give a list of fulfillments, or leave it out for an unfulfilled order.');
	// a time of the parcel: a date, not before the order, not after the run's time
	const parcelTime = (entry: IDataObject, at: string, field: string) => {
		const date = optionalDate(entry, field);
		if (!date) return undefined;
		const path = `${at}.${field}`;
		if (date.getTime() < processedAt.getTime()) {
			throw new InputProblem(path, `Field "${path}" is ${date.toISOString()}, before the order was processed (${processedAt.toISOString()})`, `Map "${path}" to the parcel's time, after "processed_at"; check the year and the time zone.`);
		}
		if (now) notInFuture(date, path, now);
		return date.toISOString();
	};
	const fulfillments: FulfillmentFacts[] = rawFulfillments.map((raw, index) => {
		const at = `fulfillments[${index}]`;
		const fulfillment = entryObject(raw, at, 'Give each fulfillment as an object: { status, delivered_at, estimated_delivery_at, events }.');
		const events = readPath(fulfillment, 'events') ?? [];
		if (!Array.isArray(events)) throw new InputProblem(`${at}.events`, `Field "${at}.events" must be a list`, 'Give a list of { status, happened_at }.');
		return {
			estimatedDeliveryAt: isoOrUndefined(fulfillment, 'estimated_delivery_at') ?? null,
			deliveredAt: parcelTime(fulfillment, at, 'delivered_at') ?? null,
			inTransitAt: parcelTime(fulfillment, at, 'in_transit_at') ?? null,
			displayStatus: optionalString(fulfillment, 'status', 50) ?? null,
			events: events.map((raw, eventIndex) => {
				const where = `${at}.events[${eventIndex}]`;
				const event = entryObject(raw, where, 'Give each event as an object: { status, happened_at, message }.');
				const status = optionalString(event, 'status', 50);
				if (!status) throw new InputProblem(`${where}.status`, `Field "${where}.status" is missing or empty`, 'Give each event the carrier\'s status, such as IN_TRANSIT or DELIVERED.');
				return {
					status: status.toUpperCase(),
					happenedAt: parcelTime(event, where, 'happened_at') ?? processedAt.toISOString(),
					message: optionalString(event, 'message', 500) ?? null,
				};
			}),
		};
	});
	const email = optionalEmail(json, 'customer_email');
	const customerId = optionalString(json, 'customer_id', 200, true);
	const firstName = optionalString(json, 'customer_first_name', 200);
	return {
		facts: {
			orderId,
			name: optionalString(json, 'name', 100) ?? orderId,
			processedAt: processedAt.toISOString(),
			cancelledAt: pastDate(json, 'cancelled_at', now)?.toISOString() ?? null,
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

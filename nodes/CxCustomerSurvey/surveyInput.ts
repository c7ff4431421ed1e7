/**
 * Delivered orders for the survey given as items, as one `DeliveredOrder` each (Shopify's come from the
 * Shopify service's orders area, in the same shape).
 */
import { customerGid } from '../shared/contract/customer';
import type { IDataObject } from 'n8n-workflow';
import { CUSTOMER_TIERS } from '../shared/contract/request';
import { InputProblem, isEmailAddress, oneOf, optionalDate, optionalString } from '../shared/items';
import type { DeliveredOrder } from '../shared/contract/order';

/** The item fields, as a user maps them in a Set node or an export. */
export const ORDER_ITEM_FIELDS = 'order_id, order_name, customer_id, email, first_name, delivered_at, email_marketing_consent, tier';




/** A delivered order given as an item; problems name the field and say what to fix. */
export function readOrderItem(json: IDataObject): DeliveredOrder {
	// ids often arrive as numbers (Shopify's legacy ids in exports)
	const orderId = optionalString(json, 'order_id', 200, true);
	if (orderId === undefined) throw new InputProblem('order_id', 'Field "order_id" is missing or empty', 'Give every item an "order_id": the Shopify order id or your own.');
	const orderName = optionalString(json, 'order_name', 100);
	const customerId = optionalString(json, 'customer_id', 200, true);
	const email = optionalString(json, 'email', 320);
	if (email !== undefined && !isEmailAddress(email)) {
		throw new InputProblem('email', `Field "email" is "${email}", which is not an email address`, 'Map "email" to the customer\'s email address, or leave it empty.');
	}
	const firstName = optionalString(json, 'first_name', 200);
	const deliveredAt = optionalDate(json, 'delivered_at');
	const tier = oneOf(optionalString(json, 'tier', 20), CUSTOMER_TIERS, 'tier');
	return {
		orderId,
		...(orderName ? { orderName } : {}),
		// Shopify's numbers as GIDs, so an order from items and the same order from Shopify share one invitation
		...(customerId ? { customerId: customerGid(customerId) ?? customerId } : {}),
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

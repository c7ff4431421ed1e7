/**
 * A customer as the retention nodes (win-back, health) see them: orders' dates, returns and refunds, spend, email
 * consent and tags. Read from Shopify in bulk (services/shopify.ts) or from items; written back to items
 * in the same field names, so a customer scored by CX Customer Health flows into CX Win-Back unchanged.
 */
import type { IDataObject } from 'n8n-workflow';
import { InputProblem, dateValue, notInFuture, optionalEmail, optionalNumber, optionalString, optionalTags, readPath } from './items';
import { isCurrency, moneyFromDecimal, moneyToDecimal } from './money';
import { customerGid, type RetentionCustomer } from './contract/customer';


/** The item fields, as a user maps them in a Set node or an export. */
export const CUSTOMER_ITEM_FIELDS = 'customer_id, email, first_name, last_name, orders_count, amount_spent, currency, email_marketing_consent, tags, order_dates, refund_dates, return_dates';

/** Items carry the customer under these names (top level). */
export function customerToItem(customer: RetentionCustomer): IDataObject {
	return {
		customer_id: customer.customerId,
		email: customer.email ?? null,
		first_name: customer.firstName ?? null,
		last_name: customer.lastName ?? null,
		orders_count: customer.orderCount,
		amount_spent: moneyToDecimal(customer.amountSpent),
		currency: customer.amountSpent.currency,
		email_marketing_consent: customer.marketingConsent,
		tags: customer.tags,
		order_dates: customer.orderDates,
		refund_dates: customer.refundDates,
		return_dates: customer.returnDates,
	};
}

function dateList(json: IDataObject, path: string, now: Date | undefined): string[] {
	const value = readPath(json, path);
	if (value === undefined || value === null || value === '') return [];
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
	if (!list) throw new InputProblem(path, `Field "${path}" must be a list of dates`, `Map "${path}" to a list of ISO 8601 times, or a comma-separated text of them.`);
	return list.map((entry, index) => {
		// the same dates as every date field (items.ts dateValue): "2026-02-30" or "Ticket 12" is no date
		const text = typeof entry === 'string' ? entry.trim() : entry;
		const date = dateValue(text);
		if (!date) {
			throw new InputProblem(path, `Field "${path}" has an entry that is not a date (position ${index + 1}): ${JSON.stringify(entry)?.slice(0, 100)}`, 'Use ISO 8601 times such as 2026-03-02T14:30:00Z, or Unix times.');
		}
		if (now) notInFuture(date, `${path}[${index}]`, now);
		return typeof text === 'string' ? text : date.toISOString();
	});
}

/**
 * A customer from an item; problems name the field and say what to fix. `now`: the run's time; an order, refund or
 * return after it is refused. return_dates is optional (one time per order returned from); refund_dates then holds
 * the refunds on other orders, as the Shopify read writes them, so no return counts twice.
 */
export function readCustomerItem(json: IDataObject, defaultCurrency = 'USD', now?: Date): RetentionCustomer {
	// ids often arrive as numbers (Shopify's legacy ids in exports)
	const customerId = optionalString(json, 'customer_id', 200, true);
	if (customerId === undefined) {
		throw new InputProblem('customer_id', 'Field "customer_id" is missing or empty', 'Give every item a "customer_id": the Shopify customer id or your own.');
	}
	const currency = (optionalString(json, 'currency', 10) ?? defaultCurrency).toUpperCase();
	if (!isCurrency(currency)) throw new InputProblem('currency', `Field "currency" is "${currency}", which is not an ISO 4217 currency code`, 'Use a code such as USD or EUR.');
	const spent = optionalNumber(json, 'amount_spent') ?? 0;
	if (spent < 0) throw new InputProblem('amount_spent', `Field "amount_spent" is ${spent}; an amount spent cannot be negative`, 'Map "amount_spent" to the customer\'s lifetime spend, 0 or more.');
	const orderDates = dateList(json, 'order_dates', now);
	const count = optionalNumber(json, 'orders_count');
	if (count !== undefined && (!Number.isInteger(count) || count < 0)) {
		throw new InputProblem('orders_count', `Field "orders_count" is ${count}; it must be a whole number, 0 or more`, 'Map "orders_count" to the number of orders.');
	}
	const email = optionalEmail(json, 'email');
	const firstName = optionalString(json, 'first_name', 200);
	const lastName = optionalString(json, 'last_name', 200);
	return {
		customerId,
		...(email ? { email } : {}),
		...(firstName ? { firstName } : {}),
		...(lastName ? { lastName } : {}),
		orderCount: Math.max(count ?? 0, orderDates.length),
		amountSpent: moneyFromDecimal(spent, currency),
		marketingConsent: (optionalString(json, 'email_marketing_consent', 40) ?? 'NOT_SUBSCRIBED').toUpperCase(),
		tags: optionalTags(json, 'tags') ?? [],
		orderDates,
		refundDates: dateList(json, 'refund_dates', now),
		returnDates: dateList(json, 'return_dates', now),
	};
}

/** The customer fields beside customer_id: an item with none of them names a customer to look up. */
const CUSTOMER_FACT_FIELDS = CUSTOMER_ITEM_FIELDS.split(', ').filter((field) => field !== 'customer_id');

/**
 * The customer id an item names: its customer_id, else the director's request's customer_details.customer_id
 * (seeds/000 "Input Requirements", contract/request.ts), so a request can be handed to the node as it is.
 */
export function customerIdOf(json: IDataObject): unknown {
	const given = json.customer_id;
	if (given !== undefined && given !== null && given !== '') return given;
	const details = json.customer_details;
	if (details && typeof details === 'object' && !Array.isArray(details)) {
		const fromRequest = (details as IDataObject).customer_id;
		if (fromRequest !== undefined && fromRequest !== null && fromRequest !== '') return fromRequest;
	}
	return undefined;
}

/**
 * Whether the item names the customer by id alone (the director's retention_campaign request carries only
 * customer_details.customer_id): such a customer is looked up in Shopify, not scored as one without orders.
 */
export function carriesOnlyCustomerId(json: IDataObject): boolean {
	if (customerIdOf(json) === undefined) return false;
	return CUSTOMER_FACT_FIELDS.every((field) => {
		const value = readPath(json, field);
		return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
	});
}

export function tryReadCustomerItem(json: IDataObject, defaultCurrency?: string, now?: Date): RetentionCustomer | InputProblem {
	try {
		return readCustomerItem(json, defaultCurrency, now);
	} catch (error) {
		if (error instanceof InputProblem) return error;
		return new InputProblem('', `Could not read the customer: ${(error as Error).message}`, 'Check the item\'s fields.');
	}
}

/**
 * The customer an id-only item names, from what Shopify gave for the ids (retentionCustomersByIds), keeping
 * the id in the form the item gave it; a problem naming customer_id when the id is not Shopify's or
 * Shopify does not know it.
 */
export function lookedUpCustomer(json: IDataObject, found: Map<string, RetentionCustomer>): RetentionCustomer | InputProblem {
	let customerId: string | undefined;
	try {
		customerId = optionalString({ customer_id: customerIdOf(json) as IDataObject[string] }, 'customer_id', 200, true);
	} catch (error) {
		if (error instanceof InputProblem) return error;
		return new InputProblem('customer_id', `Could not read "customer_id": ${(error as Error).message}`, 'Give the Shopify customer id as text or a number.');
	}
	if (customerId === undefined) {
		return new InputProblem('customer_id', 'Field "customer_id" is missing or empty', 'Give every item a "customer_id": the Shopify customer id or your own.');
	}
	const gid = customerGid(customerId);
	if (!gid) {
		return new InputProblem(
			'customer_id',
			`Field "customer_id" is "${customerId}", which is not a Shopify customer id, and the item carries nothing else about the customer`,
			`Give a Shopify customer id (a number or gid://shopify/Customer/...) to look the customer up, or map the customer's fields: ${CUSTOMER_ITEM_FIELDS}.`,
		);
	}
	const customer = found.get(gid);
	if (!customer) {
		return new InputProblem('customer_id', `Field "customer_id": Shopify has no customer ${gid}`, 'Check the id against the customer in the Shopify admin.');
	}
	return { ...customer, customerId };
}

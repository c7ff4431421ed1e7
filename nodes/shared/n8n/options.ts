/**
 * Parameters every node of the pack reads the same way. One reading, so the same mistake gets the same
 * error whichever node it is made in.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';
import { dateValue } from '../items';
import { isValidTimeZone } from '../time';

/** The time a run acts as of: the "Now" option (for replays and tests), else the current time. */
export function readNow(ctx: IExecuteFunctions, value: unknown): Date {
	const now = value ? dateValue(typeof value === 'string' ? value.trim() : value) : new Date();
	if (!now) {
		throw new NodeOperationError(ctx.getNode(), `Option "Now" is not a date: ${String(value)}`, {
			description: 'Fix Options > Now: an ISO 8601 time such as 2026-11-02T09:00:00Z, or empty for the current time.',
		});
	}
	return now;
}

/** A number option of at least `minimum`; empty takes the policy's `fallback`. The label names the option to fix. */
export function readNumberOption(ctx: IExecuteFunctions, label: string, value: unknown, fallback: number, minimum: number): number {
	const number = value === undefined || value === '' ? fallback : Number(value);
	if (!Number.isFinite(number) || number < minimum) {
		throw new NodeOperationError(ctx.getNode(), `Option "${label}" must be a number of ${minimum} or more, not ${String(value)}`, { description: `Fix Options > ${label}.` });
	}
	return number;
}

/** A count option (days, items): a whole number of at least `minimum`; empty takes the policy's `fallback`. */
export function readWholeNumberOption(ctx: IExecuteFunctions, label: string, value: unknown, fallback: number, minimum: number): number {
	return wholeNumber(ctx, `Option "${label}"`, `Options > ${label}`, value, fallback, minimum);
}

/**
 * A whole-number parameter of the node itself (not under Options), read once per run: an expression that gives
 * "abc" or 2.5 is an error naming the parameter, never NaN that silently turns a rule off.
 */
export function readWholeNumberParameter(ctx: IExecuteFunctions, name: string, label: string, fallback: number, minimum: number): number {
	return wholeNumber(ctx, `"${label}"`, `"${label}"`, ctx.getNodeParameter(name, 0, fallback), fallback, minimum);
}

function wholeNumber(ctx: IExecuteFunctions, named: string, fix: string, value: unknown, fallback: number, minimum: number): number {
	const number = value === undefined || value === null || value === '' ? fallback : typeof value === 'string' && !value.trim() ? Number.NaN : Number(value);
	if (!Number.isInteger(number) || number < minimum) {
		throw new NodeOperationError(ctx.getNode(), `${named} must be a whole number of ${minimum} or more, not ${JSON.stringify(value)}`, { description: `Fix ${fix}.` });
	}
	return number;
}

/** A web address option (a link in an email): http or https only; a `javascript:` or `data:` link is refused. Empty: undefined. */
export function readWebAddress(ctx: IExecuteFunctions, label: string, value: unknown, description: string): string | undefined {
	const text = String(value ?? '').trim();
	if (!text) return undefined;
	let parsed: URL | undefined;
	try {
		parsed = new URL(text);
	} catch {
		parsed = undefined;
	}
	if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || !parsed.hostname) {
		throw new NodeOperationError(ctx.getNode(), `"${label}" must be a web address (http or https), not ${JSON.stringify(text.slice(0, 200))}`, { description });
	}
	return text;
}

/**
 * A time zone option: the value given, else the fallback (another option's zone), else the workflow's time zone,
 * else UTC. One message for a bad one, naming the option.
 */
export function readTimeZone(ctx: IExecuteFunctions, label: string, value: unknown, fallback?: string): string {
	const timeZone = String(value || fallback || ctx.getTimezone() || 'UTC');
	if (!isValidTimeZone(timeZone)) {
		throw new NodeOperationError(ctx.getNode(), `Option "${label}" is "${timeZone}", not an IANA time zone`, {
			description: `Fix Options > ${label}: a name such as Europe/Berlin or America/New_York, or leave it empty for the workflow's time zone.`,
		});
	}
	return timeZone;
}

/** The "Orders From" choice of nodes that read orders: Shopify's current state of the orders the items name. */
export const NAMED_ORDERS_SOURCE: INodePropertyOptions = {
	name: 'Shopify, Orders Named in Items',
	value: 'shopifyOrders',
	description: 'Each item names an order (a Shopify webhook\'s order, say); the order is read from Shopify as it is now',
};

/** Where an item names its order, for NAMED_ORDERS_SOURCE (shown when `source` is shopifyOrders). */
export function orderIdFieldProperty(show: Record<string, unknown[]> = {}): INodeProperties {
	return {
		displayName: 'Order ID Field',
		name: 'orderIdField',
		type: 'string',
		default: 'order_id',
		placeholder: 'order_id',
		description: 'The item field holding the order\'s numeric ID or GID; a dot path reaches into nested fields',
		displayOptions: { show: { ...show, source: ['shopifyOrders'] } },
	};
}

/**
 * How a node reaches Shopify: the Admin API credential (an app of the store's own organization: client credentials
 * or a custom app's token), or n8n's OAuth2 (an app a partner built for the store). Shown on every node that reads
 * Shopify; its credential entries show by it.
 */
export const SHOPIFY_AUTHENTICATION_PROPERTY: INodeProperties = {
	displayName: 'Shopify Authentication',
	name: 'authentication',
	type: 'options',
	default: 'adminApi',
	options: [
		{ name: 'Admin API (Client Credentials or Token)', value: 'adminApi', description: 'An app of the store\'s own organization (Dev Dashboard), or an existing custom app\'s token' },
		{ name: 'OAuth2 (Partner App)', value: 'oAuth2', description: 'An app a partner built for the store, connected through n8n\'s OAuth2' },
	],
};

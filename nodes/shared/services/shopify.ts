/**
 * Shopify: the only module that talks to a store. Admin GraphQL through the official SDK, a client per
 * execution from the credential, lookups batched into as few requests as Shopify's query cost allows,
 * throttling and 5xx retried, failures turned into NodeApiError.
 */
import '@shopify/shopify-api/adapters/node';
import {
	GraphqlQueryError,
	HttpResponseError,
	HttpThrottlingError,
	LogSeverity,
	Session,
	shopifyApi,
	type ApiVersion,
} from '@shopify/shopify-api';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { moneyFromDecimal } from '../money';
import { DEFAULT_RETRY, isTransientStatus, withRetry, type Transience } from '../retry';
import type { CustomerProfile } from '../../CxTicketTriage/triage';

export const SHOPIFY_CREDENTIAL = 'cxShopifyAdminApi';

interface ShopifyCredentials {
	shopDomain: string;
	accessToken: string;
	apiVersion: string;
}

export interface QueryCost {
	requestedQueryCost?: number;
	actualQueryCost?: number;
	throttleStatus?: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

/** Shopify rejects a single query that asks for more than 1000 points (shopify.dev "API rate limits"). */
const MAX_QUERY_COST = 1000;
/** Customers looked up per aliased search; Shopify caps a search query's length, so keep it modest. */
const CUSTOMERS_PER_SEARCH = 25;
/** Points one customer with its latest order and three fulfillments costs (object costs, shopify.dev). */
const COST_PER_CUSTOMER = 6;

const CUSTOMER_FIELDS = `
	id
	email
	firstName
	numberOfOrders
	tags
	amountSpent { amount currencyCode }
	lastOrder {
		id
		name
		processedAt
		displayFulfillmentStatus
		fulfillments(first: 3) { displayStatus estimatedDeliveryAt deliveredAt }
	}`;

interface CustomerNode {
	id: string;
	email: string | null;
	firstName: string | null;
	numberOfOrders: string;
	tags: string[];
	amountSpent: { amount: string; currencyCode: string };
	lastOrder: {
		id: string;
		name: string;
		processedAt: string | null;
		displayFulfillmentStatus: string;
		fulfillments: Array<{ displayStatus: string | null; estimatedDeliveryAt: string | null; deliveredAt: string | null }>;
	} | null;
}

export function normaliseShopDomain(domain: string): string {
	return domain.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
}

/** A Shopify customer id as a GID; numbers and GIDs only, other systems' ids are not Shopify's. */
export function customerGid(id: string): string | undefined {
	if (/^gid:\/\/shopify\/Customer\/\d+$/.test(id)) return id;
	if (/^\d+$/.test(id)) return `gid://shopify/Customer/${id}`;
	return undefined;
}

/** Shopify's search syntax: quote the value, escape quotes and backslashes inside it. */
function searchValue(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export class ShopifyService {
	private readonly client;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		credentials: ShopifyCredentials,
	) {
		const shopify = shopifyApi({
			apiSecretKey: 'custom-app',
			adminApiAccessToken: credentials.accessToken,
			isCustomStoreApp: true,
			isEmbeddedApp: false,
			hostName: 'localhost',
			apiVersion: credentials.apiVersion as ApiVersion,
			logger: { level: LogSeverity.Error, log: async () => {} },
		});
		// a plain offline session: customAppSession accepts only *.myshopify.com names, not a custom domain or host:port
		const shop = normaliseShopDomain(credentials.shopDomain);
		const session = new Session({ id: `offline_${shop}`, shop, state: '', isOnline: false, accessToken: credentials.accessToken });
		this.client = new shopify.clients.Graphql({ session, apiVersion: credentials.apiVersion as ApiVersion });
	}

	static async connect(ctx: IExecuteFunctions): Promise<ShopifyService> {
		const credentials = (await ctx.getCredentials(SHOPIFY_CREDENTIAL)) as unknown as ShopifyCredentials;
		return new ShopifyService(ctx, { ...credentials, apiVersion: credentials.apiVersion || '2026-10' });
	}

	/** One GraphQL request, retried while Shopify throttles or fails transiently. */
	async query<T>(document: string, variables?: Record<string, unknown>): Promise<{ data: T; cost?: QueryCost }> {
		try {
			return await withRetry(async () => {
				const response = await this.client.request<T>(document, { variables });
				const cost = (response.extensions as { cost?: QueryCost } | undefined)?.cost;
				return { data: response.data as T, cost };
			}, classifyShopifyError, DEFAULT_RETRY);
		} catch (error) {
			throw shopifyApiError(this.ctx, error);
		}
	}

	/**
	 * Profiles for the customers of many tickets, in as few requests as the cost limit allows: every
	 * email search and the id lookup are aliases of one document. Keys: lower-cased email and GID.
	 */
	async customerProfiles(refs: { emails: string[]; ids: string[] }): Promise<Map<string, CustomerProfile>> {
		const emails = [...new Set(refs.emails.map((email) => email.toLowerCase()))];
		const ids = [...new Set(refs.ids.map(customerGid).filter((id): id is string => id !== undefined))];
		const parts: Array<{ cost: number; text: string }> = [];
		for (let i = 0; i < emails.length; i += CUSTOMERS_PER_SEARCH) {
			const chunk = emails.slice(i, i + CUSTOMERS_PER_SEARCH);
			const search = chunk.map((email) => `email:${searchValue(email)}`).join(' OR ');
			parts.push({
				cost: 2 + chunk.length * COST_PER_CUSTOMER,
				text: `e${i}: customers(first: ${chunk.length}, query: ${JSON.stringify(search)}) { nodes { ...CxCustomer } }`,
			});
		}
		for (let i = 0; i < ids.length; i += CUSTOMERS_PER_SEARCH) {
			const chunk = ids.slice(i, i + CUSTOMERS_PER_SEARCH);
			parts.push({
				cost: chunk.length * COST_PER_CUSTOMER,
				text: `i${i}: nodes(ids: ${JSON.stringify(chunk)}) { ... on Customer { ...CxCustomer } }`,
			});
		}
		const profiles = new Map<string, CustomerProfile>();
		for (const batch of packByCost(parts, MAX_QUERY_COST)) {
			const document = `query CxCustomerProfiles {\n${batch.join('\n')}\n}\nfragment CxCustomer on Customer {${CUSTOMER_FIELDS}\n}`;
			const { data } = await this.query<Record<string, { nodes: Array<CustomerNode | null> } | Array<CustomerNode | null>>>(document);
			for (const result of Object.values(data ?? {})) {
				const nodes = Array.isArray(result) ? result : result.nodes;
				for (const node of nodes) {
					if (!node?.id) continue;
					const profile = toProfile(node);
					profiles.set(node.id, profile);
					if (node.email) profiles.set(node.email.toLowerCase(), profile);
				}
			}
		}
		return profiles;
	}
}

function packByCost(parts: Array<{ cost: number; text: string }>, limit: number): string[][] {
	const batches: string[][] = [];
	let current: string[] = [];
	let cost = 0;
	for (const part of parts) {
		if (current.length && cost + part.cost > limit) {
			batches.push(current);
			current = [];
			cost = 0;
		}
		current.push(part.text);
		cost += part.cost;
	}
	if (current.length) batches.push(current);
	return batches;
}

function toProfile(node: CustomerNode): CustomerProfile {
	const order = node.lastOrder;
	const fulfillment = order?.fulfillments?.[0];
	return {
		customerId: node.id,
		...(node.email ? { email: node.email } : {}),
		...(node.firstName ? { firstName: node.firstName } : {}),
		lifetimeSpend: moneyFromDecimal(node.amountSpent.amount, node.amountSpent.currencyCode),
		orderCount: Number(node.numberOfOrders),
		tags: node.tags,
		...(order
			? {
					latestOrder: {
						id: order.id,
						name: order.name,
						...(order.processedAt ? { processedAt: order.processedAt } : {}),
						fulfillmentStatus: order.displayFulfillmentStatus,
						...(fulfillment?.displayStatus ? { deliveryStatus: fulfillment.displayStatus } : {}),
						...(fulfillment?.estimatedDeliveryAt ? { estimatedDeliveryAt: fulfillment.estimatedDeliveryAt } : {}),
						...(fulfillment?.deliveredAt ? { deliveredAt: fulfillment.deliveredAt } : {}),
					},
				}
			: {}),
	};
}

/** Throttled answers come two ways: HTTP 429, or 200 with a THROTTLED GraphQL error and the bucket's state. */
function classifyShopifyError(error: unknown): Transience {
	if (error instanceof HttpThrottlingError) {
		return { retry: true, afterMs: error.response.retryAfter ? error.response.retryAfter * 1000 : 1000 };
	}
	if (error instanceof GraphqlQueryError) {
		const body = error.body as { errors?: { graphQLErrors?: Array<{ extensions?: { code?: string } }> }; extensions?: { cost?: QueryCost } } | undefined;
		const throttled = body?.errors?.graphQLErrors?.some((item) => item.extensions?.code === 'THROTTLED');
		if (!throttled) return { retry: false };
		const cost = body?.extensions?.cost;
		const missing = (cost?.requestedQueryCost ?? 0) - (cost?.throttleStatus?.currentlyAvailable ?? 0);
		const restoreRate = cost?.throttleStatus?.restoreRate || 50;
		return { retry: true, afterMs: Math.max(1000, Math.ceil((missing / restoreRate) * 1000)) };
	}
	if (error instanceof HttpResponseError) return { retry: isTransientStatus(error.response.code) };
	return { retry: !(error instanceof Error) || /fetch failed|ECONNRESET|ETIMEDOUT|socket hang up/i.test(error.message) };
}

function shopifyApiError(ctx: IExecuteFunctions, error: unknown): NodeApiError {
	if (error instanceof NodeApiError) return error;
	if (error instanceof HttpResponseError) {
		const status = error.response.code;
		const description =
			status === 401 || status === 403
				? 'Check the Admin API access token and the app\'s scopes (read_customers, read_orders) in the Shopify credential.'
				: status === 404
					? 'Check the shop domain and the API version in the Shopify credential.'
					: 'Shopify answered with an error; the request was retried where that was safe.';
		return new NodeApiError(ctx.getNode(), { message: error.message, status } as JsonObject, {
			message: `Shopify request failed (HTTP ${status})`,
			description,
			httpCode: String(status),
		});
	}
	if (error instanceof GraphqlQueryError) {
		return new NodeApiError(ctx.getNode(), { message: error.message } as JsonObject, {
			message: `Shopify rejected the query: ${error.message}`,
			description: 'The Admin API version in the Shopify credential may not support a field the node asks for; try 2026-10.',
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		message: `Could not reach Shopify: ${message}`,
		description: 'Check the shop domain in the Shopify credential and that the store is reachable.',
	});
}

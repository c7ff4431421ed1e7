/**
 * Shopify's client: the only code that sends a request to a store. Admin GraphQL through the official SDK, a
 * client per execution from the credential, throttling and 5xx retried, cost pacing, bulk operations streamed
 * line by line, failures turned into NodeApiError. What is asked lives by area beside it (customers, orders,
 * discounts, money back, tags): nodes call those and receive the pack's own types, never GraphQL.
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
import { NodeApiError, NodeOperationError, sleep, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { DEFAULT_RETRY, NEVER_REACHED, isTransientStatus, withRetry, type Transience } from '../../retry';
import { clientCredentialsGrant, normaliseShopDomain } from './grant';

export { normaliseShopDomain };

export const SHOPIFY_CREDENTIAL = 'cxShopifyAdminApi';
/** A partner app's store connection through n8n's OAuth2 (the node's Shopify Authentication: OAuth2). */
export const SHOPIFY_PARTNER_APP_CREDENTIAL = 'cxShopifyOAuth2Api';

interface ShopifyCredentials {
	shopDomain: string;
	/** clientCredentials (a Dev Dashboard app: client ID and secret), accessToken (a custom app's shpat_ token) or oAuth2 (n8n's OAuth2 credential). */
	authMode?: string;
	clientId?: string;
	clientSecret?: string;
	accessToken?: string;
	apiVersion: string;
}

/** A client-credentials access token and when it stops working (epoch ms). */
interface IssuedToken {
	token: string;
	expiresAt: number;
}

/** Tokens by shop and client: one exchange serves every node of every run until shortly before it expires. */
const issuedTokens = new Map<string, IssuedToken>();
/** A token this close to its expiry is renewed before use, so a long run does not meet the expiry mid-way. */
const RENEW_BEFORE_MS = 5 * 60_000;

/** Whether the credential exchanges a client ID and secret (an existing credential without a client ID keeps its token). */
const usesClientCredentials = (credentials: ShopifyCredentials) => credentials.authMode !== 'accessToken' && !!credentials.clientId;

/**
 * The access token for client credentials (Shopify's client-credentials grant, POST /admin/oauth/access_token):
 * remembered until RENEW_BEFORE_MS before it expires, exchanged again when `renew` (Shopify refused it).
 */
async function clientCredentialsToken(ctx: IExecuteFunctions, shop: string, credentials: ShopifyCredentials, renew = false): Promise<string> {
	const key = `${shop}|${credentials.clientId}`;
	const known = issuedTokens.get(key);
	if (known && !renew && known.expiresAt - RENEW_BEFORE_MS > Date.now()) return known.token;
	const grant = clientCredentialsGrant(shop, credentials.clientId ?? '', credentials.clientSecret ?? '');
	let response: Response;
	try {
		response = await fetch(grant.url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body: grant.body });
	} catch (error) {
		throw new NodeApiError(ctx.getNode(), { message: (error as Error).message } as JsonObject, {
			message: `Could not reach ${shop} to exchange the app's client credentials for an access token: ${(error as Error).message}`,
			description: 'Check the Shop Domain in the Shopify credential.',
		});
	}
	const answer = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
	if (!response.ok || !answer.access_token) {
		const notPermitted = answer.error === 'shop_not_permitted';
		throw new NodeApiError(ctx.getNode(), answer as JsonObject, {
			message: notPermitted
				? `Shopify does not let this app use client credentials on ${shop} (shop_not_permitted): the app and the store belong to different organizations`
				: `Shopify refused the app's client credentials for ${shop} (HTTP ${response.status}${answer.error ? `, ${answer.error}` : ''})`,
			description: notPermitted
				? 'Client credentials work only for an app made in the Dev Dashboard of the store\'s own organization. For an app a partner built for this store, use its OAuth access token (Authentication: Access Token).'
				: 'Check the Client ID and Client Secret in the Shopify credential (Dev Dashboard > the app > Settings), and that the app is installed on the store.',
			httpCode: String(response.status),
		});
	}
	const token = { token: answer.access_token, expiresAt: Date.now() + Math.max(0, Number(answer.expires_in ?? 0)) * 1000 };
	issuedTokens.set(key, token);
	return token.token;
}

export interface QueryCost {
	requestedQueryCost?: number;
	actualQueryCost?: number;
	throttleStatus?: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

/** Shopify rejects a single query that asks for more than 1000 points (shopify.dev "API rate limits"). */
export const MAX_QUERY_COST = 1000;
/** Customers looked up per aliased search; Shopify caps a search query's length, so keep it modest. */
export const CUSTOMERS_PER_SEARCH = 25;


/** Shopify's search syntax: quote the value, escape quotes and backslashes inside it. */
export function searchValue(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export class ShopifyService {
	private client;

	private readonly shop: string;

	private readonly credentials: ShopifyCredentials;

	/** Shopify's clock as of its latest answer (the HTTP Date header), to check an end date against it. */
	private lastShopNow?: Date;

	private constructor(
		readonly ctx: IExecuteFunctions,
		credentials: ShopifyCredentials,
		accessToken: string,
	) {
		this.shop = normaliseShopDomain(credentials.shopDomain);
		this.credentials = credentials;
		this.client = this.clientFor(accessToken);
	}

	private clientFor(accessToken: string) {
		const shopify = shopifyApi({
			apiSecretKey: 'custom-app',
			adminApiAccessToken: accessToken,
			isCustomStoreApp: true,
			isEmbeddedApp: false,
			hostName: 'localhost',
			apiVersion: this.credentials.apiVersion as ApiVersion,
			logger: { level: LogSeverity.Error, log: async () => {} },
		});
		// a plain offline session: customAppSession accepts only *.myshopify.com names, not a custom domain or host:port
		const session = new Session({ id: `offline_${this.shop}`, shop: this.shop, state: '', isOnline: false, accessToken });
		return new shopify.clients.Graphql({ session, apiVersion: this.credentials.apiVersion as ApiVersion });
	}

	static async connect(ctx: IExecuteFunctions): Promise<ShopifyService> {
		if (ctx.getNodeParameter('authentication', 0, 'adminApi') === 'oAuth2') {
			// n8n's OAuth2 holds the offline token it got when the store installed the app
			const stored = (await ctx.getCredentials(SHOPIFY_PARTNER_APP_CREDENTIAL)) as unknown as { shopDomain: string; apiVersion?: string; oauthTokenData?: { access_token?: string } };
			const token = stored.oauthTokenData?.access_token;
			if (!token) {
				throw new NodeOperationError(ctx.getNode(), 'The Shopify OAuth2 credential is not connected to the store yet', { description: 'Open the credential and press Connect my account: Shopify asks the store to install the app, and n8n keeps its token.' });
			}
			return new ShopifyService(ctx, { shopDomain: stored.shopDomain, authMode: 'oAuth2', apiVersion: stored.apiVersion || '2026-10' }, token);
		}
		const stored = (await ctx.getCredentials(SHOPIFY_CREDENTIAL)) as unknown as ShopifyCredentials;
		const credentials = { ...stored, apiVersion: stored.apiVersion || '2026-10' };
		const token = usesClientCredentials(credentials) ? await clientCredentialsToken(ctx, normaliseShopDomain(credentials.shopDomain), credentials) : (credentials.accessToken ?? '');
		return new ShopifyService(ctx, credentials, token);
	}

	/**
	 * One GraphQL request, retried while Shopify throttles or fails transiently. With client credentials, a token
	 * Shopify refuses (expired, or revoked) is exchanged again once and the request repeated.
	 */
	/**
	 * `once`: a change Shopify takes no idempotency key for (store credit): retried only when Shopify surely did not
	 * run it (throttled, or never reached); after a 5xx, a reset or a timeout it may have been made, and the failure
	 * goes to the caller to settle rather than be made twice.
	 */
	async query<T>(document: string, variables?: Record<string, unknown>, options: { once?: boolean } = {}): Promise<{ data: T; cost?: QueryCost }> {
		const classify = options.once ? (error: unknown): Transience => (surelyNotRun(error) ? classifyShopifyError(error) : { retry: false }) : classifyShopifyError;
		const attempt = async () =>
			await withRetry(async () => {
				const response = await this.client.request<T>(document, { variables });
				this.noteShopClock(response.headers);
				const cost = (response.extensions as { cost?: QueryCost } | undefined)?.cost;
				return { data: response.data as T, cost };
			}, classify, DEFAULT_RETRY);
		for (let renewed = false; ; renewed = true) {
			try {
				return await attempt();
			} catch (error) {
				const refused = error instanceof HttpResponseError && error.response.code === 401 && usesClientCredentials(this.credentials);
				if (renewed || !refused) throw shopifyApiError(this.ctx, error);
			}
			this.client = this.clientFor(await clientCredentialsToken(this.ctx, this.shop, this.credentials, true));
		}
	}

	private noteShopClock(headers: Record<string, string | string[]> | undefined): void {
		const value = headers?.Date ?? headers?.date;
		const at = Date.parse(Array.isArray(value) ? value[0] : String(value ?? ''));
		if (Number.isFinite(at)) this.lastShopNow = new Date(at);
	}

	/** Shopify's clock as of its latest answer; undefined before the first. */
	get shopNow(): Date | undefined {
		return this.lastShopNow;
	}

	/** Where a person opens this order or customer in the Shopify admin. */
	adminUrl(kind: 'orders' | 'customers', gid: string): string {
		const handle = /^([a-z0-9][a-z0-9-]*)\.myshopify\.com$/i.exec(this.shop)?.[1];
		return handle
			? `https://admin.shopify.com/store/${handle}/${kind}/${numericId(gid)}`
			: `https://${this.shop}/admin/${kind}/${numericId(gid)}`;
	}

	/**
	 * Runs a bulk query and streams its JSONL result to `onLine`, one object per line. Waits for a free
	 * slot when the shop's bulk queries are busy (one at a time up to 2025-10, five from 2026-01).
	 */
	async bulkQuery(inner: string, onLine: (value: Record<string, unknown>) => void, timeoutMs = 30 * 60_000): Promise<{ objectCount: number; requests: number }> {
		const deadline = Date.now() + timeoutMs;
		const late = (what: string) =>
			userErrorsToApiError(this.ctx, 'run the bulk query', [{ code: 'TIMEOUT', field: null, message: `${what} after ${Math.round(timeoutMs / 1000)} s` }]);
		let requests = 0;
		let operationId: string | undefined;
		let wait = 500;
		while (!operationId) {
			const { data } = await this.query<{ bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: Array<{ code: string | null; message: string; field: string[] | null }> } }>(
				`mutation CxBulkQuery($query: String!) {
					bulkOperationRunQuery(query: $query) { bulkOperation { id } userErrors { code field message } }
				}`,
				{ query: inner },
			);
			requests++;
			const result = data.bulkOperationRunQuery;
			if (result.bulkOperation) {
				operationId = result.bulkOperation.id;
				break;
			}
			const busy = result.userErrors.some((error) => error.code === 'OPERATION_IN_PROGRESS' || error.code === 'LIMIT_REACHED');
			if (!busy) throw userErrorsToApiError(this.ctx, 'run the bulk query', result.userErrors);
			if (Date.now() > deadline) throw late('The shop\'s bulk queries were still busy');
			await sleep(wait);
			wait = Math.min(wait * 2, 10_000);
		}
		// a bulk operation is never done the moment it starts: the first look comes after a pause, then the pauses double
		wait = 500;
		for (;;) {
			await sleep(wait);
			wait = Math.min(wait * 2, 5_000);
			type Operation = { status: string; errorCode: string | null; objectCount: string; url: string | null };
			const { data } = await this.query<{ node: Operation | null }>(
				'query CxBulkOperation($id: ID!) { node(id: $id) { ... on BulkOperation { status errorCode objectCount url } } }',
				{ id: operationId },
			);
			requests++;
			const operation = data.node;
			if (operation?.status === 'COMPLETED') {
				// no objects: Shopify writes no file
				if (operation.url) await this.download(operation.url, onLine);
				return { objectCount: Number(operation.objectCount), requests: requests + (operation.url ? 1 : 0) };
			}
			if (!operation || ['FAILED', 'CANCELED', 'EXPIRED'].includes(operation.status)) {
				const code = operation?.errorCode ?? operation?.status ?? 'NOT_FOUND';
				throw userErrorsToApiError(this.ctx, 'run the bulk query', [{
					code,
					field: null,
					message: code === 'ACCESS_DENIED'
						? 'Shopify denied the bulk query: the app needs the read_customers and read_orders scopes'
						: `the bulk query ended ${operation?.status ?? 'missing'} (${code})`,
				}]);
			}
			if (Date.now() > deadline) throw late(`The bulk query was still ${operation.status}`);
		}
	}

	/** The result file is on Shopify's storage behind a signed URL: no access token goes with it. */
	private async download(url: string, onLine: (value: Record<string, unknown>) => void): Promise<void> {
		try {
			const response = await withRetry(async () => {
				const answer = await fetch(url);
				if (!answer.ok || !answer.body) throw new DownloadFailure(answer.status);
				return answer;
			}, (error) => ({ retry: !(error instanceof DownloadFailure) || isTransientStatus(error.status) }), DEFAULT_RETRY);
			const decoder = new TextDecoder();
			let pending = '';
			for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
				pending = readJsonLines(pending + decoder.decode(chunk, { stream: true }), onLine);
			}
			readJsonLines(`${pending}${decoder.decode()}\n`, onLine);
		} catch (error) {
			const message = error instanceof DownloadFailure ? `HTTP ${error.status}` : error instanceof Error ? error.message : String(error);
			throw new NodeApiError(this.ctx.getNode(), { message } as JsonObject, {
				message: `Could not download the bulk query's result from Shopify: ${message}`,
				description: 'The signed link is valid for a week; run the node again to start a new bulk query.',
			});
		}
	}
}

/** Waits while the cost bucket refills, when the next page would not fit in what is left. */
export async function paceByCost(cost: QueryCost | undefined): Promise<void> {
	const status = cost?.throttleStatus;
	if (!status || !cost?.requestedQueryCost) return;
	const missing = cost.requestedQueryCost - status.currentlyAvailable;
	if (missing > 0) await sleep(Math.ceil((missing / (status.restoreRate || 50)) * 1000));
}

export function userErrorsToApiError(ctx: IExecuteFunctions, what: string, errors: Array<{ code: string | null; message: string; field: string[] | null }>): NodeApiError {
	const detail = errors.map((error) => `${error.field?.join('.') ?? ''}${error.field?.length ? ': ' : ''}${error.message}`).join('; ') || 'no reason given';
	return new NodeApiError(ctx.getNode(), { message: detail } as JsonObject, {
		message: `Shopify could not ${what}: ${detail}`,
		description: 'Shopify refused the change; check the app\'s scopes (write_discounts, write_store_credit_account_transactions, write_orders) and the order or customer.',
	});
}

export function numericId(gid: string): string {
	return gid.slice(gid.lastIndexOf('/') + 1);
}

export function packByCost(parts: Array<{ cost: number; text: string }>, limit: number): string[][] {
	return packVariablesByCost(parts, limit).map((batch) => batch.texts);
}

/**
 * One aliased field of a document, and the values it reads as GraphQL variables (each a String!): what a customer
 * wrote (an email, an order name) goes into a variable, never into the document's text.
 */
export interface QueryPart {
	cost: number;
	text: string;
	variables?: Record<string, string>;
}

/** Parts packed as packByCost packs them, each batch with its variables and their declarations (`$e0: String!, ...`). */
export function packVariablesByCost(parts: QueryPart[], limit: number): Array<{ texts: string[]; variables: Record<string, string>; declarations: string[] }> {
	const batches: Array<{ texts: string[]; variables: Record<string, string>; declarations: string[] }> = [];
	let current = { texts: [] as string[], variables: {} as Record<string, string>, declarations: [] as string[] };
	let cost = 0;
	for (const part of parts) {
		if (current.texts.length && cost + part.cost > limit) {
			batches.push(current);
			current = { texts: [], variables: {}, declarations: [] };
			cost = 0;
		}
		current.texts.push(part.text);
		for (const [name, value] of Object.entries(part.variables ?? {})) {
			current.variables[name] = value;
			current.declarations.push(`$${name}: String!`);
		}
		cost += part.cost;
	}
	if (current.texts.length) batches.push(current);
	return batches;
}

/**
 * Orders by their names, exactly, in as few requests as the cost limit allows. Shopify's search can match more than
 * the name asked for (a wildcard, a name that is a prefix of others), which would crowd the others off a shared page:
 * each search keeps only the orders whose name is one it asked for, and a name whose page came back full without it
 * is asked again on a page of its own. Names travel in variables, never in the document's text.
 * `selection`: the fields of an order (or a fragment spread with `fragment` defining it).
 */
export async function ordersByExactName<T extends { id: string; name: string }>(
	shopify: ShopifyService,
	names: string[],
	read: { perSearch: number; costPerOrder: number; selection: string; fragment?: string },
): Promise<T[]> {
	const found = new Map<string, T>();
	const search = async (groups: string[][], pageSize: (group: string[]) => number) => {
		const crowded: string[] = [];
		const parts: QueryPart[] = groups.map((group, index) => ({
			cost: 2 + pageSize(group) * read.costPerOrder,
			text: `n${index}: orders(first: ${pageSize(group)}, query: $n${index}) { nodes { ${read.selection} } }`,
			variables: { [`n${index}`]: group.map((name) => `name:${searchValue(name)}`).join(' OR ') },
		}));
		for (const batch of packVariablesByCost(parts, MAX_QUERY_COST)) {
			const document = `query CxOrdersByName(${batch.declarations.join(', ')}) {\n${batch.texts.join('\n')}\n}${read.fragment ? `\n${read.fragment}` : ''}`;
			const { data } = await shopify.query<Record<string, { nodes: Array<T | null> }>>(document, batch.variables);
			for (const [alias, result] of Object.entries(data ?? {})) {
				const group = groups[Number(alias.slice(1))];
				const wanted = new Set(group.map((name) => name.toLowerCase()));
				for (const order of result?.nodes ?? []) if (order?.id && wanted.has(order.name.toLowerCase())) found.set(order.name.toLowerCase(), order);
				if ((result?.nodes.length ?? 0) >= pageSize(group)) crowded.push(...group.filter((name) => !found.has(name.toLowerCase())));
			}
		}
		return crowded;
	};
	const groups: string[][] = [];
	for (let i = 0; i < names.length; i += read.perSearch) groups.push(names.slice(i, i + read.perSearch));
	const crowded = await search(groups, (group) => group.length);
	const alone = Math.max(1, Math.min(CROWDED_PAGE, Math.floor((MAX_QUERY_COST - 2) / read.costPerOrder)));
	if (crowded.length) await search(crowded.map((name) => [name]), () => alone);
	return [...new Set(found.values())];
}

/** How many orders a name crowded off a shared page is asked for alone (as the cost limit allows): its own order among the first this many. */
const CROWDED_PAGE = 25;

class DownloadFailure extends Error {
	constructor(readonly status: number) {
		super(`HTTP ${status}`);
	}
}

/** Whether Shopify surely did not run the request: throttled (429, THROTTLED) or never reached (refused, no such host). */
function surelyNotRun(error: unknown): boolean {
	if (error instanceof HttpThrottlingError) return true;
	if (error instanceof GraphqlQueryError) return true;
	if (error instanceof HttpResponseError) return error.response.code === 429;
	if (!(error instanceof Error)) return false;
	const said = `${error.message} ${String((error as { cause?: { code?: string } }).cause?.code ?? '')}`;
	return Object.keys(NEVER_REACHED).some((code) => said.includes(code));
}

/** Throttled answers come two ways: HTTP 429, or 200 with a THROTTLED GraphQL error and the bucket's state. */
function classifyShopifyError(error: unknown): Transience {
	if (error instanceof HttpThrottlingError) {
		return { retry: true, paced: true, afterMs: error.response.retryAfter ? error.response.retryAfter * 1000 : 1000 };
	}
	if (error instanceof GraphqlQueryError) {
		const body = error.body as { errors?: { graphQLErrors?: Array<{ extensions?: { code?: string } }> }; extensions?: { cost?: QueryCost } } | undefined;
		const throttled = body?.errors?.graphQLErrors?.some((item) => item.extensions?.code === 'THROTTLED');
		if (!throttled) return { retry: false };
		const cost = body?.extensions?.cost;
		const missing = (cost?.requestedQueryCost ?? 0) - (cost?.throttleStatus?.currentlyAvailable ?? 0);
		const restoreRate = cost?.throttleStatus?.restoreRate || 50;
		// the bucket says when the query fits again: waited out, not counted as a failure
		return { retry: true, paced: true, afterMs: Math.max(1000, Math.ceil((missing / restoreRate) * 1000)) };
	}
	if (error instanceof HttpResponseError) return { retry: isTransientStatus(error.response.code) };
	return { retry: !(error instanceof Error) || /fetch failed|ECONNRESET|ETIMEDOUT|socket hang up/i.test(error.message) };
}

function shopifyApiError(ctx: IExecuteFunctions, error: unknown): NodeApiError {
	if (error instanceof NodeApiError) return error;
	const throttled = error instanceof HttpThrottlingError || (error instanceof GraphqlQueryError && JSON.stringify(error.body ?? {}).includes('"THROTTLED"'));
	if (throttled) {
		// a throttle is the store's API budget, never a wrong version or query: said so
		return new NodeApiError(ctx.getNode(), { message: (error as Error).message, code: 'THROTTLED' } as JsonObject, {
			message: 'Shopify throttled the request: the store\'s API budget was spent, and stayed spent for the two minutes the node waits for it',
			description: 'Too many requests at once for this store\'s Admin API budget (points refill each second; Shopify Plus stores have more). Nothing was changed by this request: run it again later, or spread the runs (fewer tickets per call, or Shopify enrichment off for bursts).',
			httpCode: '429',
		});
	}
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
		// the SDK's body holds the GraphQL errors as a list, or (its GraphQL client's shape) under graphQLErrors
		type GraphqlError = { message?: string; extensions?: { code?: string; requiredAccess?: string } };
		const errors = (error.body as { errors?: GraphqlError[] | { graphQLErrors?: GraphqlError[] } } | undefined)?.errors;
		const denied = (Array.isArray(errors) ? errors : (errors?.graphQLErrors ?? [])).find((entry) => entry.extensions?.code === 'ACCESS_DENIED');
		if (denied) {
			const scope = /`([a-z_]+)`/.exec(denied.extensions?.requiredAccess ?? denied.message ?? '')?.[1];
			return new NodeApiError(ctx.getNode(), { message: denied.message ?? error.message, code: 'ACCESS_DENIED' } as JsonObject, {
				message: `Shopify denied the request: the app lacks the ${scope ?? 'needed'} scope`,
				description: `Add ${scope ?? 'the scope'} to the app's scopes (Dev Dashboard > the app > Versions, or shopify.app.toml), release a version and install it again; the Shopify credential's test lists what each node needs. Nothing was changed in Shopify.`,
			});
		}
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

/** Splits a stream of text chunks into JSON lines; returns what is left after the last newline. */
export function readJsonLines(pending: string, onLine: (value: Record<string, unknown>) => void): string {
	let start = 0;
	for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n', start)) {
		const line = pending.slice(start, newline).trim();
		start = newline + 1;
		if (line) onLine(JSON.parse(line) as Record<string, unknown>);
	}
	return pending.slice(start);
}

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
import { NodeApiError, sleep, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { moneyFromDecimal, moneyToDecimal, type Money } from '../money';
import { DEFAULT_RETRY, isTransientStatus, withRetry, type Transience } from '../retry';
import { customerGid, type CustomerProfile, type RetentionCustomer } from '../contract/customer';
import { RETENTION_BULK_QUERY, RetentionJsonlReader, readJsonLines } from './shopifyJsonl';

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
/** discountRedeemCodeBulkAdd takes at most 250 codes (shopify.dev). */
const REDEEM_CODES_PER_REQUEST = 250;
/** A code already in the shop: Shopify answers with this message and no error code (seen on 2026-04). */
const TAKEN_CODE = /^must be unique\. Please try a different code\.$/;
/** A mutation costs 10 points: 50 of them stay well inside one request's 1000. */
const TAG_MUTATIONS_PER_REQUEST = 50;

const CUSTOMER_FIELDS = `
	id
	email
	firstName
	lastName
	phone
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

/** The customer's latest orders, newest first: what a person handling an escalation looks at first. */
const RECENT_ORDER_FIELDS = `
	orders(first: $recentOrders, sortKey: PROCESSED_AT, reverse: true) {
		nodes { id name processedAt displayFulfillmentStatus totalPriceSet { shopMoney { amount currencyCode } } }
	}`;

interface OrderNode {
	id: string;
	name: string;
	processedAt: string | null;
	displayFulfillmentStatus: string;
	totalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
}

interface CustomerNode {
	id: string;
	email: string | null;
	firstName: string | null;
	lastName: string | null;
	phone: string | null;
	orders?: { nodes: OrderNode[] };
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


/** Shopify's search syntax: quote the value, escape quotes and backslashes inside it. */
function searchValue(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A discount whose end the run's Now puts at or before Shopify's own clock: Shopify would make a code that is
 * already expired. Returned, not thrown: nothing was made, and the caller reports it with the reason instead of
 * handing out a dead code.
 */
export class DiscountEndsInPast extends Error {
	constructor(
		readonly endsAt: Date,
		readonly shopNow: Date,
	) {
		super(`The code would end ${endsAt.toISOString()}, which is already past on Shopify's clock (${shopNow.toISOString()}): the run's Now is too early. Leave Options > Now empty, or set it to the current time, to make this code.`);
		this.name = 'DiscountEndsInPast';
	}
}

export class ShopifyService {
	private readonly client;

	private readonly shop: string;

	/** Shopify's clock as of its latest answer (the HTTP Date header), to check an end date against it. */
	private shopNow?: Date;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		credentials: ShopifyCredentials,
	) {
		this.shop = normaliseShopDomain(credentials.shopDomain);
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
		const session = new Session({ id: `offline_${this.shop}`, shop: this.shop, state: '', isOnline: false, accessToken: credentials.accessToken });
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
				this.noteShopClock(response.headers);
				const cost = (response.extensions as { cost?: QueryCost } | undefined)?.cost;
				return { data: response.data as T, cost };
			}, classifyShopifyError, DEFAULT_RETRY);
		} catch (error) {
			throw shopifyApiError(this.ctx, error);
		}
	}

	private noteShopClock(headers: Record<string, string | string[]> | undefined): void {
		const value = headers?.Date ?? headers?.date;
		const at = Date.parse(Array.isArray(value) ? value[0] : String(value ?? ''));
		if (Number.isFinite(at)) this.shopNow = new Date(at);
	}

	/** Where a person opens this order or customer in the Shopify admin. */
	adminUrl(kind: 'orders' | 'customers', gid: string): string {
		const handle = /^([a-z0-9][a-z0-9-]*)\.myshopify\.com$/i.exec(this.shop)?.[1];
		return handle
			? `https://admin.shopify.com/store/${handle}/${kind}/${numericId(gid)}`
			: `https://${this.shop}/admin/${kind}/${numericId(gid)}`;
	}

	/** Orders by their names ("#1012") or ids, in one request; keys: the name and the GID. */
	async ordersByReference(references: string[]): Promise<Map<string, { id: string; name: string; total: Money; customerId?: string }>> {
		const found = new Map<string, { id: string; name: string; total: Money; customerId?: string }>();
		const names = [...new Set(references.filter((reference) => !/^(gid:\/\/shopify\/Order\/)?\d{6,}$/.test(reference)).map((reference) => (reference.startsWith('#') ? reference : `#${reference}`)))];
		const ids = [...new Set(references.flatMap((reference) => (/^\d{6,}$/.test(reference) ? [`gid://shopify/Order/${reference}`] : /^gid:\/\/shopify\/Order\/\d+$/.test(reference) ? [reference] : [])))];
		if (!names.length && !ids.length) return found;
		const fields = 'id name customer { id } totalPriceSet { shopMoney { amount currencyCode } }';
		const parts: string[] = [];
		for (let i = 0; i < names.length; i += CUSTOMERS_PER_SEARCH) {
			const chunk = names.slice(i, i + CUSTOMERS_PER_SEARCH);
			const search = chunk.map((name) => `name:${searchValue(name)}`).join(' OR ');
			parts.push(`n${i}: orders(first: ${chunk.length}, query: ${JSON.stringify(search)}) { nodes { ${fields} } }`);
		}
		if (ids.length) parts.push(`ids: nodes(ids: ${JSON.stringify(ids.slice(0, 100))}) { ... on Order { ${fields} } }`);
		type OrderRef = { id: string; name: string; customer: { id: string } | null; totalPriceSet: { shopMoney: { amount: string; currencyCode: string } } };
		const { data } = await this.query<Record<string, { nodes: Array<OrderRef | null> } | Array<OrderRef | null>>>(`query CxOrders {\n${parts.join('\n')}\n}`);
		for (const result of Object.values(data ?? {})) {
			for (const order of Array.isArray(result) ? result : result.nodes) {
				if (!order?.id) continue;
				const entry = {
					id: order.id,
					name: order.name,
					total: moneyFromDecimal(order.totalPriceSet.shopMoney.amount, order.totalPriceSet.shopMoney.currencyCode),
					...(order.customer ? { customerId: order.customer.id } : {}),
				};
				found.set(order.id, entry);
				found.set(order.name, entry);
			}
		}
		return found;
	}

	/**
	 * Adds tags to customers and orders (tagsAdd is idempotent: a tag already there stays once), many
	 * per request. Returns Shopify's user errors by id; transport failures throw.
	 */
	async addTags(targets: Array<{ id: string; tags: string[] }>): Promise<Map<string, string[]>> {
		const problems = new Map<string, string[]>();
		for (let i = 0; i < targets.length; i += TAG_MUTATIONS_PER_REQUEST) {
			const chunk = targets.slice(i, i + TAG_MUTATIONS_PER_REQUEST);
			const document = `mutation CxAddTags {\n${chunk
				.map((target, n) => `t${n}: tagsAdd(id: ${JSON.stringify(target.id)}, tags: ${JSON.stringify(target.tags)}) { userErrors { field message } }`)
				.join('\n')}\n}`;
			const { data } = await this.query<Record<string, { userErrors: Array<{ message: string }> }>>(document);
			chunk.forEach((target, n) => {
				const errors = data?.[`t${n}`]?.userErrors ?? [];
				if (errors.length) problems.set(target.id, errors.map((error) => error.message));
			});
		}
		return problems;
	}

	/**
	 * Orders processed since `since` that may be late: open, in transit or delivered, with their
	 * fulfillments and tracking events. Pages through Shopify's cursors and paces itself by the cost
	 * bucket Shopify reports, so a large store is read without being throttled.
	 */
	async ordersForDelayCheck(since: Date, maxOrders = 10_000): Promise<DelayCheckOrder[]> {
		const orders: DelayCheckOrder[] = [];
		const search = `processed_at:>=${since.toISOString().slice(0, 10)} AND -status:cancelled`;
		let after: string | null = null;
		do {
			const { data, cost }: { data: { orders: { nodes: DelayCheckOrder[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }; cost?: QueryCost } =
				await this.query(DELAY_CHECK_QUERY, { first: ORDERS_PER_PAGE, after, query: search });
			orders.push(...data.orders.nodes);
			after = data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null;
			await paceByCost(cost);
		} while (after && orders.length < maxOrders);
		return orders.slice(0, maxOrders);
	}

	/**
	 * A code discount: fixed amount or percent off, for one customer or for anyone with the code. The code
	 * is chosen by the caller from its ledger, so a retry finds the code it already made instead of making
	 * a second one.
	 */
	async createDiscountCode(input: {
		code: string;
		title: string;
		value: { amount: Money } | { percent: number };
		/** Only this customer may use it; none: anyone with the code. */
		customerId?: string;
		/** Uses in all (per code once a discount has several codes); null: unlimited. */
		usageLimit: number | null;
		/** The run's Now: the code is valid from the moment the run acts as of. */
		startsAt: Date;
		endsAt: Date;
	}): Promise<{ id: string; code: string; created: boolean } | DiscountEndsInPast> {
		const existing = await this.discountByCode(input.code);
		if (existing) return { ...existing, created: false };
		// the lookup above has just read Shopify's clock (second precision, as its Date header gives it)
		if (this.shopNow && input.endsAt.getTime() <= this.shopNow.getTime()) return new DiscountEndsInPast(input.endsAt, this.shopNow);
		const value = 'amount' in input.value
			? { discountAmount: { amount: moneyToDecimal(input.value.amount), appliesOnEachItem: false } }
			: { percentage: input.value.percent / 100 };
		const { data } = await this.query<{ discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: Array<{ code: string | null; message: string; field: string[] | null }> } }>(
			`mutation CxDiscountCode($discount: DiscountCodeBasicInput!) {
				discountCodeBasicCreate(basicCodeDiscount: $discount) { codeDiscountNode { id } userErrors { code field message } }
			}`,
			{
				discount: {
					title: input.title,
					code: input.code,
					startsAt: input.startsAt.toISOString(),
					endsAt: input.endsAt.toISOString(),
					...(input.customerId ? { context: { customers: { add: [input.customerId] } } } : {}),
					customerGets: { value, items: { all: true } },
					usageLimit: input.usageLimit,
					appliesOncePerCustomer: true,
				},
			},
		);
		const result = data.discountCodeBasicCreate;
		if (result.codeDiscountNode) return { id: result.codeDiscountNode.id, code: input.code, created: true };
		// TAKEN: an earlier attempt made it after all
		const again = await this.discountByCode(input.code);
		if (again) return { ...again, created: false };
		throw userErrorsToApiError(this.ctx, 'create the discount code', result.userErrors);
	}

	/**
	 * Adds unique codes to a discount: 250 per request as Shopify allows, created by Shopify in the
	 * background and waited for. A code Shopify reports as taken was added by an earlier attempt (codes
	 * come from the caller's ledger) and counts as there; other per-code errors are returned by code.
	 */
	async addRedeemCodes(discountId: string, codes: string[], timeoutMs = 10 * 60_000): Promise<{ added: number; failed: Map<string, string>; requests: number }> {
		const failed = new Map<string, string>();
		let added = 0;
		let requests = 0;
		const creations: string[] = [];
		for (let i = 0; i < codes.length; i += REDEEM_CODES_PER_REQUEST) {
			const chunk = codes.slice(i, i + REDEEM_CODES_PER_REQUEST);
			const { data } = await this.query<{ discountRedeemCodeBulkAdd: { bulkCreation: { id: string } | null; userErrors: Array<{ code: string | null; message: string; field: string[] | null }> } }>(
				`mutation CxRedeemCodes($discountId: ID!, $codes: [DiscountRedeemCodeInput!]!) {
					discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes) { bulkCreation { id } userErrors { code field message } }
				}`,
				{ discountId, codes: chunk.map((code) => ({ code })) },
			);
			requests++;
			const result = data.discountRedeemCodeBulkAdd;
			if (!result.bulkCreation) throw userErrorsToApiError(this.ctx, 'add the discount codes', result.userErrors);
			creations.push(result.bulkCreation.id);
		}
		const deadline = Date.now() + timeoutMs;
		for (const id of creations) {
			let wait = 250;
			for (;;) {
				type Creation = { done: boolean; importedCount: number; failedCount: number; codes?: { nodes: Array<{ code: string; errors: Array<{ code: string | null; message: string }> }> } };
				const { data } = await this.query<{ discountRedeemCodeBulkCreation: Creation | null }>(
					'query CxRedeemCodeCreation($id: ID!) { discountRedeemCodeBulkCreation(id: $id) { done importedCount failedCount } }',
					{ id },
				);
				requests++;
				const creation = data.discountRedeemCodeBulkCreation;
				if (creation?.done) {
					added += creation.importedCount;
					if (creation.failedCount > 0) {
						const { data: detail } = await this.query<{ discountRedeemCodeBulkCreation: Creation }>(
							`query CxRedeemCodeErrors($id: ID!) {
								discountRedeemCodeBulkCreation(id: $id) { done importedCount failedCount codes(first: ${REDEEM_CODES_PER_REQUEST}) { nodes { code errors { code message } } } }
							}`,
							{ id },
						);
						requests++;
						for (const entry of detail.discountRedeemCodeBulkCreation.codes?.nodes ?? []) {
							if (!entry.errors.length) continue;
							// codes come from the caller's ledger and are random: one already in the shop is this ledger's, added by an earlier attempt
							if (entry.errors.every((error) => TAKEN_CODE.test(error.message))) added++;
							else failed.set(entry.code, entry.errors.map((error) => error.message).join('; '));
						}
					}
					break;
				}
				if (Date.now() > deadline) {
					throw userErrorsToApiError(this.ctx, 'add the discount codes', [{ code: 'TIMEOUT', field: null, message: `Shopify had not finished creating codes (${id}) after ${Math.round(timeoutMs / 1000)} s` }]);
				}
				await sleep(wait);
				wait = Math.min(wait * 2, 5_000);
			}
		}
		return { added, failed, requests };
	}

	async discountByCode(code: string): Promise<{ id: string; code: string } | undefined> {
		const { data } = await this.query<{ codeDiscountNodeByCode: { id: string } | null }>(
			'query CxDiscountByCode($code: String!) { codeDiscountNodeByCode(code: $code) { id } }',
			{ code },
		);
		return data.codeDiscountNodeByCode ? { id: data.codeDiscountNodeByCode.id, code } : undefined;
	}

	/** Store credit in the order's currency; Shopify creates the customer's account on first use. */
	async creditStoreCredit(customerId: string, amount: Money, expiresAt?: Date): Promise<{ transactionId: string; balance: Money }> {
		const { data } = await this.query<{
			storeCreditAccountCredit: {
				storeCreditAccountTransaction: { id?: string; balanceAfterTransaction: { amount: string; currencyCode: string } } | null;
				userErrors: Array<{ code: string | null; message: string; field: string[] | null }>;
			};
		}>(
			`mutation CxStoreCredit($id: ID!, $credit: StoreCreditAccountCreditInput!) {
				storeCreditAccountCredit(id: $id, creditInput: $credit) {
					storeCreditAccountTransaction { ... on StoreCreditAccountCreditTransaction { id } balanceAfterTransaction { amount currencyCode } }
					userErrors { code field message }
				}
			}`,
			{
				id: customerId,
				credit: {
					creditAmount: { amount: moneyToDecimal(amount), currencyCode: amount.currency },
					...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
					notify: false,
				},
			},
		);
		const result = data.storeCreditAccountCredit;
		if (!result.storeCreditAccountTransaction) throw userErrorsToApiError(this.ctx, 'credit store credit', result.userErrors);
		const balance = result.storeCreditAccountTransaction.balanceAfterTransaction;
		return { transactionId: result.storeCreditAccountTransaction.id ?? '', balance: moneyFromDecimal(balance.amount, balance.currencyCode) };
	}

	/**
	 * Refunds an amount of an order against its payment, without returning items. The note carries the
	 * ledger key: a retry first looks for a refund with that note and does not refund twice.
	 */
	async refundOrderAmount(orderId: string, amount: Money, note: string): Promise<{ refundId: string; created: boolean }> {
		const { data } = await this.query<{ order: RefundableOrder | null }>(
			`query CxRefundable($id: ID!) {
				order(id: $id) {
					id
					refunds { id note }
					transactions { id kind status gateway }
				}
			}`,
			{ id: orderId },
		);
		if (!data.order) throw userErrorsToApiError(this.ctx, 'refund the order', [{ code: 'NOT_FOUND', field: ['orderId'], message: `order ${orderId} not found` }]);
		const done = data.order.refunds.find((refund) => refund.note?.includes(note));
		if (done) return { refundId: done.id, created: false };
		const parent = data.order.transactions.find((transaction) => (transaction.kind === 'SALE' || transaction.kind === 'CAPTURE') && transaction.status === 'SUCCESS');
		if (!parent) throw userErrorsToApiError(this.ctx, 'refund the order', [{ code: 'NO_PAYMENT', field: ['transactions'], message: 'the order has no successful payment to refund against' }]);
		const { data: created } = await this.query<{ refundCreate: { refund: { id: string } | null; userErrors: Array<{ code?: string | null; message: string; field: string[] | null }> } }>(
			// 2026-10 requires an idempotency key on refundCreate: the ledger key makes a retry return the first refund
			`mutation CxRefund($input: RefundInput!, $key: String!) { refundCreate(input: $input) @idempotent(key: $key) { refund { id } userErrors { field message } } }`,
			{
				key: note.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255),
				input: {
					orderId,
					note,
					notify: false,
					transactions: [{ orderId, parentId: parent.id, amount: moneyToDecimal(amount), gateway: parent.gateway, kind: 'REFUND' }],
				},
			},
		);
		if (!created.refundCreate.refund) throw userErrorsToApiError(this.ctx, 'refund the order', created.refundCreate.userErrors.map((error) => ({ code: error.code ?? null, field: error.field, message: error.message })));
		return { refundId: created.refundCreate.refund.id, created: true };
	}

	/**
	 * Every customer of the store with their orders' dates and refunds, email consent and tags, from one
	 * bulk operation: Shopify runs the query in the background and hands over a JSONL file, so a store of
	 * 100,000 customers costs a handful of requests instead of thousands of pages.
	 */
	async retentionCustomers(options: { timeoutMs?: number } = {}): Promise<RetentionCustomer[]> {
		const reader = new RetentionJsonlReader();
		await this.bulkQuery(RETENTION_BULK_QUERY, (line) => reader.add(line), options.timeoutMs);
		return reader.customers();
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
		wait = 250;
		for (;;) {
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
			await sleep(wait);
			wait = Math.min(wait * 2, 5_000);
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

	/**
	 * Profiles for the customers of many tickets, in as few requests as the cost limit allows: every
	 * email search and the id lookup are aliases of one document. Keys: lower-cased email and GID.
	 */
	async customerProfiles(refs: { emails: string[]; ids: string[] }, options: { recentOrders?: number } = {}): Promise<Map<string, CustomerProfile>> {
		const recentOrders = Math.max(0, Math.min(10, options.recentOrders ?? 0));
		const perCustomer = COST_PER_CUSTOMER + (recentOrders ? 2 + recentOrders : 0);
		const emails = [...new Set(refs.emails.map((email) => email.toLowerCase()))];
		const ids = [...new Set(refs.ids.map(customerGid).filter((id): id is string => id !== undefined))];
		const parts: Array<{ cost: number; text: string }> = [];
		for (let i = 0; i < emails.length; i += CUSTOMERS_PER_SEARCH) {
			const chunk = emails.slice(i, i + CUSTOMERS_PER_SEARCH);
			const search = chunk.map((email) => `email:${searchValue(email)}`).join(' OR ');
			parts.push({
				cost: 2 + chunk.length * perCustomer,
				text: `e${i}: customers(first: ${chunk.length}, query: ${JSON.stringify(search)}) { nodes { ...CxCustomer } }`,
			});
		}
		for (let i = 0; i < ids.length; i += CUSTOMERS_PER_SEARCH) {
			const chunk = ids.slice(i, i + CUSTOMERS_PER_SEARCH);
			parts.push({
				cost: chunk.length * perCustomer,
				text: `i${i}: nodes(ids: ${JSON.stringify(chunk)}) { ... on Customer { ...CxCustomer } }`,
			});
		}
		const profiles = new Map<string, CustomerProfile>();
		for (const batch of packByCost(parts, MAX_QUERY_COST)) {
			const document = recentOrders
				? `query CxCustomerProfiles($recentOrders: Int!) {\n${batch.join('\n')}\n}\nfragment CxCustomer on Customer {${CUSTOMER_FIELDS}${RECENT_ORDER_FIELDS}\n}`
				: `query CxCustomerProfiles {\n${batch.join('\n')}\n}\nfragment CxCustomer on Customer {${CUSTOMER_FIELDS}\n}`;
			const { data } = await this.query<Record<string, { nodes: Array<CustomerNode | null> } | Array<CustomerNode | null>>>(
				document,
				recentOrders ? { recentOrders } : undefined,
			);
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

/** Orders per page: 20 orders with three fulfillments of five events each cost about 620 of the 1000 points. */
const ORDERS_PER_PAGE = 20;

const DELAY_CHECK_QUERY = `query CxDelayCheck($first: Int!, $after: String, $query: String!) {
	orders(first: $first, after: $after, query: $query, sortKey: PROCESSED_AT) {
		nodes {
			id
			name
			processedAt
			cancelledAt
			displayFulfillmentStatus
			totalPriceSet { shopMoney { amount currencyCode } }
			totalRefundedSet { shopMoney { amount currencyCode } }
			customer { id email firstName tags amountSpent { amount currencyCode } }
			fulfillments(first: 3) {
				createdAt
				inTransitAt
				estimatedDeliveryAt
				deliveredAt
				displayStatus
				events(first: 5, reverse: true) { nodes { status happenedAt message } }
			}
		}
		pageInfo { hasNextPage endCursor }
	}
}`;

export interface DelayCheckOrder {
	id: string;
	name: string;
	processedAt: string;
	cancelledAt: string | null;
	displayFulfillmentStatus: string;
	totalPriceSet: { shopMoney: { amount: string; currencyCode: string } };
	totalRefundedSet: { shopMoney: { amount: string; currencyCode: string } };
	customer: { id: string; email: string | null; firstName: string | null; tags: string[]; amountSpent: { amount: string; currencyCode: string } } | null;
	fulfillments: Array<{
		createdAt: string | null;
		inTransitAt: string | null;
		estimatedDeliveryAt: string | null;
		deliveredAt: string | null;
		displayStatus: string | null;
		events: { nodes: Array<{ status: string; happenedAt: string; message: string | null }> };
	}>;
}

interface RefundableOrder {
	id: string;
	refunds: Array<{ id: string; note: string | null }>;
	transactions: Array<{ id: string; kind: string; status: string; gateway: string | null }>;
}

/** Waits while the cost bucket refills, when the next page would not fit in what is left. */
async function paceByCost(cost: QueryCost | undefined): Promise<void> {
	const status = cost?.throttleStatus;
	if (!status || !cost?.requestedQueryCost) return;
	const missing = cost.requestedQueryCost - status.currentlyAvailable;
	if (missing > 0) await sleep(Math.ceil((missing / (status.restoreRate || 50)) * 1000));
}

function userErrorsToApiError(ctx: IExecuteFunctions, what: string, errors: Array<{ code: string | null; message: string; field: string[] | null }>): NodeApiError {
	const detail = errors.map((error) => `${error.field?.join('.') ?? ''}${error.field?.length ? ': ' : ''}${error.message}`).join('; ') || 'no reason given';
	return new NodeApiError(ctx.getNode(), { message: detail } as JsonObject, {
		message: `Shopify could not ${what}: ${detail}`,
		description: 'Shopify refused the change; check the app\'s scopes (write_discounts, write_store_credit_account_transactions, write_orders) and the order or customer.',
	});
}

function numericId(gid: string): string {
	return gid.slice(gid.lastIndexOf('/') + 1);
}

/** The profile `customerProfiles` found for a customer, by Shopify ID (number or GID) first, then by email. */
export function profileFor(profiles: Map<string, CustomerProfile>, customer: { customerId?: string; customerEmail?: string }): CustomerProfile | undefined {
	const gid = customer.customerId ? customerGid(customer.customerId) : undefined;
	const byId = gid ? profiles.get(gid) : undefined;
	return byId ?? (customer.customerEmail ? profiles.get(customer.customerEmail.toLowerCase()) : undefined);
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
		...(node.lastName ? { lastName: node.lastName } : {}),
		...(node.phone ? { phone: node.phone } : {}),
		...(node.orders
			? {
					recentOrders: node.orders.nodes.map((recent) => ({
						id: recent.id,
						name: recent.name,
						...(recent.processedAt ? { processedAt: recent.processedAt } : {}),
						fulfillmentStatus: recent.displayFulfillmentStatus,
						total: moneyFromDecimal(recent.totalPriceSet.shopMoney.amount, recent.totalPriceSet.shopMoney.currencyCode),
					})),
				}
			: {}),
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

class DownloadFailure extends Error {
	constructor(readonly status: number) {
		super(`HTTP ${status}`);
	}
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

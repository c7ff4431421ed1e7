/**
 * Stripe: the only module that moves money through Stripe, with the official SDK. A client per
 * execution from the credential; every write carries an idempotency key derived from the ledger row,
 * so a retry, a rerun or a crash between request and answer never pays twice.
 *
 * Every request of the client, the SDK's own retries and list pages included, is paced below Stripe's rate limit
 * (pacer.ts), so a run of many payouts spends no request on a 429; a 429 that comes anyway (other traffic on the
 * account) pauses the client for the Retry-After Stripe gives.
 */
import Stripe from 'stripe';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import type { Money } from '../money';
import { RequestPacer, type PacerClock } from '../pacer';
import { isTransientStatus, retryAfterMs, withRetry, type Transience } from '../retry';

export const STRIPE_CREDENTIAL = 'cxStripeApi';

interface StripeCredentials {
	secretKey: string;
	apiBase?: string;
}

/**
 * Requests per second when the node does not say: a share of Stripe's limits, since the account's checkout and
 * other integrations spend from the same budget (Stripe asks background jobs to keep to "a subset of the maximum").
 * Live mode allows 100 requests a second in all and 25 a second to any one endpoint; a payout run alternates two
 * endpoints (find the customer, credit the balance), so 40 keeps each near 20. A sandbox allows 25 in all: 20.
 * https://docs.stripe.com/rate-limits
 */
export const DEFAULT_STRIPE_REQUESTS_PER_SECOND = { live: 40, test: 20 } as const;

/** A test-mode (sandbox) key: `sk_test_...` or a restricted `rk_test_...`. */
export function isTestKey(secretKey: string): boolean {
	return /^(sk|rk)_test_/.test(secretKey);
}

export interface StripeConnectOptions {
	/** Requests per second for this client; 0 or undefined: by the key (DEFAULT_STRIPE_REQUESTS_PER_SECOND). */
	requestsPerSecond?: number;
	/** The pacer's clock, for tests. */
	clock?: PacerClock;
}

/**
 * The SDK's HTTP client with a pacer in front: each request, a retry the SDK makes itself included, waits for its
 * slot; a 429 pauses every later request for what Retry-After asks (a second when it says nothing).
 */
export class PacedHttpClient extends Stripe.HttpClient {
	constructor(
		private readonly inner: Stripe.HttpClient,
		readonly pacer: RequestPacer,
	) {
		super();
	}

	getClientName(): string {
		return this.inner.getClientName();
	}

	async makeRequest(...args: Parameters<Stripe.HttpClient['makeRequest']>): ReturnType<Stripe.HttpClient['makeRequest']> {
		await this.pacer.take();
		const response = await this.inner.makeRequest(...args);
		if (response.getStatusCode() === 429) this.pacer.pause(retryAfterMs(headerText(response.getHeaders()['retry-after'])) ?? 1000);
		return response;
	}
}

function headerText(value: unknown): string | undefined {
	return Array.isArray(value) ? String(value[0]) : value === undefined || value === null ? undefined : String(value);
}

export class StripeService {
	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly stripe: Stripe,
		/** The pace this client keeps. */
		readonly requestsPerSecond: number,
	) {}

	static async connect(ctx: IExecuteFunctions, options: StripeConnectOptions = {}): Promise<StripeService> {
		const credentials = (await ctx.getCredentials(STRIPE_CREDENTIAL)) as unknown as StripeCredentials;
		const requestsPerSecond = options.requestsPerSecond || DEFAULT_STRIPE_REQUESTS_PER_SECOND[isTestKey(credentials.secretKey) ? 'test' : 'live'];
		const httpClient = new PacedHttpClient(Stripe.createNodeHttpClient(), new RequestPacer(requestsPerSecond, options.clock));
		const config: Stripe.StripeConfig = { maxNetworkRetries: 2, appInfo: { name: 'n8n-nodes-cx-director' }, httpClient };
		if (credentials.apiBase && !/^https:\/\/api\.stripe\.com\/?$/.test(credentials.apiBase)) {
			const base = new URL(credentials.apiBase);
			config.host = base.hostname;
			config.protocol = base.protocol === 'http:' ? 'http' : 'https';
			if (base.port) config.port = Number(base.port);
		}
		return new StripeService(ctx, new Stripe(credentials.secretKey, config), requestsPerSecond);
	}

	async findCustomerByEmail(email: string): Promise<Stripe.Customer | undefined> {
		const { data } = await this.call('find the customer', async () => this.stripe.customers.list({ email, limit: 1 }));
		return data[0];
	}

	/** A credit to the customer's balance, used on their next invoice; Stripe records credits as negative. */
	async creditBalance(customerId: string, amount: Money, idempotencyKey: string, description: string, metadata: Record<string, string>): Promise<Stripe.CustomerBalanceTransaction> {
		return this.call('credit the customer balance', async () =>
			this.stripe.customers.createBalanceTransaction(
				customerId,
				{ amount: -amount.cents, currency: amount.currency.toLowerCase(), description, metadata },
				{ idempotencyKey },
			),
		);
	}

	/**
	 * The balance credit an earlier attempt made under this key (its `cx_ledger_key` metadata), newest first, at most
	 * `scan` transactions back: Stripe keeps an idempotency key for 24 hours only, so a payout left unfinished longer
	 * is looked up before it is asked for again.
	 */
	async findBalanceCredit(customerId: string, key: string, scan = 1000): Promise<Stripe.CustomerBalanceTransaction | undefined> {
		return this.call('look up earlier balance credits', async () => {
			let seen = 0;
			for await (const transaction of this.stripe.customers.listBalanceTransactions(customerId, { limit: 100 })) {
				if (transaction.metadata?.cx_ledger_key === key) return transaction;
				if (++seen >= scan) break;
			}
			return undefined;
		});
	}

	/**
	 * The SDK retries network errors, 409 and 5xx itself (with the same idempotency key), and a 429 when Stripe says
	 * Stripe-Should-Retry (the pacer holding it for Retry-After); a 429 it gives up on is retried here after the wait
	 * Stripe asked for, as pacing rather than failure.
	 */
	private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
		try {
			return await withRetry(request, classifyStripeError);
		} catch (error) {
			throw stripeApiError(this.ctx, what, error);
		}
	}
}

export function classifyStripeError(error: unknown): Transience {
	if (error instanceof Stripe.errors.StripeRateLimitError) {
		const afterMs = retryAfterMs(headerText(error.headers?.['retry-after']));
		return afterMs === undefined ? { retry: true } : { retry: true, afterMs, paced: true };
	}
	return { retry: error instanceof Stripe.errors.StripeAPIError && isTransientStatus(error.statusCode) };
}

function stripeApiError(ctx: IExecuteFunctions, what: string, error: unknown): NodeApiError {
	if (error instanceof Stripe.errors.StripeError) {
		const description =
			error.type === 'StripeAuthenticationError'
				? 'Check the secret key in the Stripe credential.'
				: error.type === 'StripeIdempotencyError'
					? 'The same payout was asked for with different details; the ledger row and the request disagree.'
					: (error.param ? `Stripe names the parameter "${error.param}".` : 'Stripe refused the request.');
		return new NodeApiError(ctx.getNode(), { message: error.message, code: error.code ?? null, type: error.type } as JsonObject, {
			message: `Stripe could not ${what}: ${error.message}`,
			description,
			...(error.statusCode ? { httpCode: String(error.statusCode) } : {}),
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, { message: `Could not reach Stripe to ${what}: ${message}` });
}

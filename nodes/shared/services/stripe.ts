/**
 * Stripe: the only module that moves money through Stripe, with the official SDK. A client per
 * execution from the credential; every write carries an idempotency key derived from the ledger row,
 * so a retry, a rerun or a crash between request and answer never pays twice.
 */
import Stripe from 'stripe';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import type { Money } from '../money';
import { isTransientStatus, withRetry } from '../retry';

export const STRIPE_CREDENTIAL = 'cxStripeApi';

interface StripeCredentials {
	secretKey: string;
	apiBase?: string;
}

export class StripeService {
	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly stripe: Stripe,
	) {}

	static async connect(ctx: IExecuteFunctions): Promise<StripeService> {
		const credentials = (await ctx.getCredentials(STRIPE_CREDENTIAL)) as unknown as StripeCredentials;
		const config: Stripe.StripeConfig = { maxNetworkRetries: 2, appInfo: { name: 'n8n-nodes-cx-director' } };
		if (credentials.apiBase && !/^https:\/\/api\.stripe\.com\/?$/.test(credentials.apiBase)) {
			const base = new URL(credentials.apiBase);
			config.host = base.hostname;
			config.protocol = base.protocol === 'http:' ? 'http' : 'https';
			if (base.port) config.port = Number(base.port);
		}
		return new StripeService(ctx, new Stripe(credentials.secretKey, config));
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

	/** The SDK retries network errors, 409 and 5xx itself (with the same idempotency key); 429 is retried here. */
	private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
		try {
			return await withRetry(request, (error) => ({
				retry: error instanceof Stripe.errors.StripeRateLimitError || (error instanceof Stripe.errors.StripeAPIError && isTransientStatus(error.statusCode)),
			}));
		} catch (error) {
			throw stripeApiError(this.ctx, what, error);
		}
	}
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

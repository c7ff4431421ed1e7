/**
 * Stripe balance credits under Stripe's rate limit: the Stripe stand-in limits requests per second (429 with
 * Retry-After and Stripe-Should-Retry beyond it, each counted) and CX Delay Compensation pays a batch of late orders
 * through the real SDK. Paced under the limit it is answered no 429 at all; paced above it, it waits out each 429 as
 * Stripe asks. Either way every customer is credited exactly once.
 */
import { createClient } from '@supabase/supabase-js';
import type { IDataObject } from 'n8n-workflow';
import { CxDelayCompensation } from '../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { executeContext, standin } from '../support/context';
import { dayFromAnchor, fromAnchor, standinsEnv } from '../support/standins';

interface RateLimitState { perSecond: number | null; requests: number; allowed: number; limited: number; limitedBy: Record<string, number> }
interface StripeState { objects: { customer: Array<{ id: string; email: string; balance: number }>; customer_balance_transaction: Array<{ customer: string; amount: number; metadata: Record<string, string> }> } }

const anchor = fromAnchor(0);
// a holiday years after the anchor: a policy version (and so ledger keys) of this file alone
const holiday = dayFromAnchor(4017);

const lateOrder = (batch: string, n: number): IDataObject => ({
	order_id: `rate-${batch}-${n}`,
	name: `#R-${batch}-${n}`,
	processed_at: fromAnchor(-41, '10:00'),
	total: 40.0,
	currency: 'USD',
	customer_email: `rate.${batch}.${n}@example-store.test`,
	checkout_promise_at: fromAnchor(-32, '12:00'),
	fulfillments: [{ delivered_at: fromAnchor(-22, '12:00') }],
});

const compensate = (items: IDataObject[], options: IDataObject) =>
	new CxDelayCompensation().execute.call(
		executeContext({ items, parameters: { source: 'items', payoutMethod: 'stripeBalance', dryRun: false, notifyCustomer: false, options: { now: anchor, holidays: holiday, ...options } } }),
	);

describe('Stripe balance credits under a rate limit', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const setLimit = (perSecond: number) => standin<RateLimitState>('stripe', '/__standin/rate-limit', { method: 'POST', body: JSON.stringify({ perSecond }) });
	const limitState = () => standin<RateLimitState>('stripe', '/__standin/rate-limit');

	/** One Stripe customer per order, made before the limit is on. */
	async function customersFor(items: IDataObject[]): Promise<void> {
		for (const item of items) {
			const response = await fetch(`${env.stripe.apiBase}/v1/customers`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${env.stripe.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ email: String(item.customer_email) }).toString(),
			});
			if (!response.ok) throw new Error(`customer ${String(item.customer_email)}: HTTP ${response.status}`);
		}
	}

	/** Each order's customer and the balance credits they got. */
	async function creditsPerCustomer(items: IDataObject[]): Promise<number[]> {
		const state = await standin<StripeState>('stripe', '/__standin/state');
		const idByEmail = new Map(state.objects.customer.map((customer) => [customer.email, customer.id]));
		return items.map((item) => {
			const id = idByEmail.get(String(item.customer_email));
			return state.objects.customer_balance_transaction.filter((transaction) => transaction.customer === id && transaction.metadata?.order_id === item.order_id).length;
		});
	}

	afterEach(async () => {
		await standin('stripe', '/__standin/rate-limit', { method: 'DELETE' });
	});

	it('the stand-in answers a request beyond the limit 429 in Stripe\'s words, with Retry-After and Stripe-Should-Retry, and counts it', async () => {
		await setLimit(3);
		const statuses: number[] = [];
		let limited: Response | undefined;
		for (let n = 0; n < 5; n++) {
			const response = await fetch(`${env.stripe.apiBase}/v1/customers?limit=1`, { headers: { Authorization: `Bearer ${env.stripe.secretKey}` } });
			statuses.push(response.status);
			if (response.status === 429) limited ??= response;
			else await response.arrayBuffer();
		}
		expect(statuses).toEqual([200, 200, 200, 429, 429]);
		expect(limited!.headers.get('retry-after')).toBe('1');
		expect(limited!.headers.get('stripe-should-retry')).toBe('true');
		expect(await limited!.json()).toEqual({ error: { type: 'invalid_request_error', code: 'rate_limit', doc_url: 'https://stripe.com/docs/error-codes/rate-limit', message: expect.stringMatching(/^Request rate limit exceeded\./) } });
		expect(await limitState()).toMatchObject({ perSecond: 3, requests: 5, allowed: 3, limited: 2, limitedBy: { 'global-rate': 2 } });
		// test endpoints are not API requests: they are never limited
		await standin('stripe', '/__standin/state');
		await standin('stripe', '/__standin/state');
		await standin('stripe', '/__standin/state');
		expect((await limitState()).requests).toBe(5);
	});

	it('pays 300 late orders at a limit of 50 requests a second, paced at 45: every customer credited once, no 429 answered', async () => {
		const items = Array.from({ length: 300 }, (_, n) => lateOrder('paced', n));
		await customersFor(items);
		await setLimit(50);
		const [compensated, needsApproval, other] = await compensate(items, { stripeRequestsPerSecond: 45 });
		expect(other).toEqual([]);
		expect(needsApproval).toEqual([]);
		expect(compensated).toHaveLength(300);
		expect(compensated.every((item) => (item.json.compensation as IDataObject).status === 'compensated')).toBe(true);
		// one lookup and one credit per order, none refused
		expect(await limitState()).toMatchObject({ requests: 600, allowed: 600, limited: 0 });
		expect(await creditsPerCustomer(items)).toEqual(items.map(() => 1));
		const { data: rows } = await supabase.from('compensation_ledger').select('status').like('order_id', 'rate-paced-%').throwOnError();
		expect(rows!.map((row) => row.status)).toEqual(items.map(() => 'completed'));

		// a second run pays nothing again and asks Stripe nothing
		const [again] = await compensate(items, { stripeRequestsPerSecond: 45 });
		expect(again.every((item) => (item.json.compensation as IDataObject).status === 'already_compensated')).toBe(true);
		expect((await limitState()).requests).toBe(600);
		expect(await creditsPerCustomer(items)).toEqual(items.map(() => 1));
	});

	it('paced above the limit, it waits out each 429 for the Retry-After Stripe gives and still credits every customer once', async () => {
		const items = Array.from({ length: 60 }, (_, n) => lateOrder('eager', n));
		await customersFor(items);
		await setLimit(20);
		const [compensated, , other] = await compensate(items, { stripeRequestsPerSecond: 1000 });
		expect(other).toEqual([]);
		expect(compensated).toHaveLength(60);
		const state = await limitState();
		expect(state.limited).toBeGreaterThan(0);
		// each 429 pauses the client a whole second, which empties the window: per window filled, at most the requests
		// already on their way when it filled, one for each of the four payouts made at once
		expect(state.limited).toBeLessThanOrEqual((Math.ceil(120 / 20) + 1) * 4);
		expect(state.allowed).toBe(120);
		expect(await creditsPerCustomer(items)).toEqual(items.map(() => 1));
	});
});

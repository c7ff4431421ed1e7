/**
 * The Stripe stand-in, driven through the real `stripe` SDK: objects, errors and idempotency as the pack's
 * Stripe service will meet them.
 */
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import Stripe from 'stripe';
import { standinsEnv } from '../../support/standins';
import { rejectionOf, standin } from '../../support/context';

const env = standinsEnv().stripe;
const run = randomUUID().slice(0, 8);
const { hostname, port } = new URL(env.apiBase);
/** Keep-alive as the SDK's default agent, but ours to close, so jest can exit. */
const httpAgent = new Agent({ keepAlive: true });

function stripeClient(key = env.secretKey): Stripe {
	return new Stripe(key, { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 2, httpAgent });
}

const stripe = stripeClient();

async function paidCustomer(name: string, amount: number) {
	const customer = await stripe.customers.create({ email: `${name}.${run}@example-store.test`, name });
	const intent = await stripe.paymentIntents.create({
		amount,
		currency: 'usd',
		customer: customer.id,
		payment_method: 'pm_card_visa',
		confirm: true,
		metadata: { order_id: `${name}-${run}` },
	});
	return { customer, intent };
}

describe('Stripe stand-in', () => {
	afterEach(() => standin<any>('stripe', '/__standin/faults', { method: 'DELETE' }));
	afterAll(() => httpAgent.destroy());

	it('creates one customer for two requests with the same idempotency key', async () => {
		const email = `olivia.${run}@example-store.test`;
		const params = { email, name: 'Olivia Reed', metadata: { shopify_customer_id: `gid-${run}` } };
		const first = await stripe.customers.create(params, { idempotencyKey: `customer-${run}` });
		const second = await stripe.customers.create(params, { idempotencyKey: `customer-${run}` });
		expect(second.id).toBe(first.id);
		expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
		expect(first).toMatchObject({ object: 'customer', email, livemode: false, balance: 0, metadata: params.metadata });
		expect(first.id).toMatch(/^cus_/);

		const listed = await stripe.customers.list({ email, limit: 10 });
		expect(listed.data.map((c) => c.id)).toEqual([first.id]);
		const found = await stripe.customers.search({ query: `email:'${email}'` });
		expect(found.data.map((c) => c.id)).toEqual([first.id]);

		const changed = await rejectionOf<Stripe.errors.StripeError>(stripe.customers.create({ ...params, name: 'Someone Else' }, { idempotencyKey: `customer-${run}` }));
		expect(changed).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
		expect(changed.statusCode).toBe(400);
	});

	it('records a balance credit as a negative amount on the customer', async () => {
		const customer = await stripe.customers.create({ email: `noah.${run}@example-store.test` });
		const credit = await stripe.customers.createBalanceTransaction(customer.id, {
			amount: -2500,
			currency: 'usd',
			description: 'Shipping delay over 7 days',
			metadata: { order_id: `delay-${run}` },
		});
		expect(credit).toMatchObject({ object: 'customer_balance_transaction', amount: -2500, ending_balance: -2500, type: 'adjustment' });
		expect(credit.id).toMatch(/^cbtxn_/);
		const updated = await stripe.customers.retrieve(customer.id);
		expect((updated as Stripe.Customer).balance).toBe(-2500);
		const listed = await stripe.customers.listBalanceTransactions(customer.id);
		expect(listed.data.map((t) => t.id)).toEqual([credit.id]);
	});

	it('restricts a promotion code to a customer and refuses a duplicate code', async () => {
		const customer = await stripe.customers.create({ email: `emma.${run}@example-store.test` });
		const coupon = await stripe.coupons.create({ amount_off: 1500, currency: 'usd', duration: 'once', max_redemptions: 5 });
		const code = `WINBACK-${run}`.toUpperCase();
		const promotion = await stripe.promotionCodes.create({
			promotion: { type: 'coupon', coupon: coupon.id },
			code,
			customer: customer.id,
			max_redemptions: 1,
		});
		expect(promotion).toMatchObject({
			object: 'promotion_code',
			active: true,
			code,
			customer: customer.id,
			max_redemptions: 1,
			promotion: { type: 'coupon', coupon: coupon.id },
		});
		const listed = await stripe.promotionCodes.list({ code: code.toLowerCase() });
		expect(listed.data.map((p) => p.id)).toEqual([promotion.id]);

		const duplicate = await rejectionOf<Stripe.errors.StripeError>(stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code }));
		expect(duplicate).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
		expect(duplicate.statusCode).toBe(400);
		expect(duplicate.param).toBe('code');
	});

	it('refunds part of a payment and refuses to refund more than remains', async () => {
		const { intent } = await paidCustomer('liam', 5000);
		expect(intent.status).toBe('succeeded');
		const partial = await stripe.refunds.create({ payment_intent: intent.id, amount: 2000, reason: 'requested_by_customer' });
		expect(partial).toMatchObject({ object: 'refund', amount: 2000, status: 'succeeded', payment_intent: intent.id });

		const tooMuch = await rejectionOf<Stripe.errors.StripeError>(stripe.refunds.create({ payment_intent: intent.id, amount: 4000 }));
		expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
		expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });

		await stripe.refunds.create({ charge: partial.charge as string });
		const charge = await stripe.charges.retrieve(partial.charge as string);
		expect(charge).toMatchObject({ amount_refunded: 5000, refunded: true });
		const again = await rejectionOf<Stripe.errors.StripeError>(stripe.refunds.create({ charge: charge.id, amount: 100 }));
		expect(again.code).toBe('charge_already_refunded');
	});

	it('replays a refund whose response was lost, so a retry with the same key refunds once', async () => {
		const { intent } = await paidCustomer('sofia', 3000);
		await standin<any>('stripe', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1, when: 'after', path: '/v1/refunds' }) });
		const key = `refund-${run}`;
		const lost = await rejectionOf<Stripe.errors.StripeError>(stripe.refunds.create({ payment_intent: intent.id, amount: 1000 }, { idempotencyKey: key, maxNetworkRetries: 0 }));
		expect(lost.statusCode).toBe(500);

		const retried = await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 }, { idempotencyKey: key });
		expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
		const refunds = await stripe.refunds.list({ payment_intent: intent.id });
		expect(refunds.data.map((r) => r.id)).toEqual([retried.id]);
		expect((await stripe.charges.retrieve(retried.charge as string)).amount_refunded).toBe(1000);
	});

	it('lets the SDK retry a lost response on its own, still refunding once', async () => {
		const { intent } = await paidCustomer('mateo', 3000);
		await standin<any>('stripe', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 500, count: 1, when: 'after', path: '/v1/refunds' }) });
		const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 500 });
		expect(refund.lastResponse.headers['idempotent-replayed']).toBe('true');
		expect((await stripe.refunds.list({ payment_intent: intent.id })).data).toHaveLength(1);
	});

	it('answers 409 to a second request while the first with the same key is running', async () => {
		await standin<any>('stripe', '/__standin/faults', { method: 'POST', body: JSON.stringify({ delayMs: 600, count: 1, method: 'POST', path: '/v1/customers' }) });
		const params = { email: `zoe.${run}@example-store.test` };
		const first = stripe.customers.create(params, { idempotencyKey: `slow-${run}` });
		await new Promise((resolve) => setTimeout(resolve, 150));
		const conflict = await rejectionOf<Stripe.errors.StripeError>(stripe.customers.create(params, { idempotencyKey: `slow-${run}`, maxNetworkRetries: 0 }));
		expect(conflict.statusCode).toBe(409);
		expect(conflict.raw).toMatchObject({ type: 'idempotency_error' });
		expect((await first).email).toBe(params.email);
	});

	it('refuses a wrong key with a masked message and answers the credential test', async () => {
		const wrong = await rejectionOf<Stripe.errors.StripeError>(stripeClient('sk_test_wrongwrongwrong1234').balance.retrieve());
		expect(wrong).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
		expect(wrong.message).toMatch(/^Invalid API Key provided: sk_test_\*+1234$/);

		const balance = await stripe.balance.retrieve();
		expect(balance.object).toBe('balance');
		expect(balance.available[0]).toMatchObject({ currency: 'usd' });
	});

	it('answers a missing object with 404 resource_missing', async () => {
		const missing = await rejectionOf<Stripe.errors.StripeError>(stripe.customers.retrieve('cus_doesnotexist'));
		expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' });
	});
});

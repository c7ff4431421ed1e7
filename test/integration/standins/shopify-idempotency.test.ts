/**
 * The Shopify stand-in's answers to a refundCreate @idempotent key it has seen, as Shopify's idempotent mutations give
 * them (the codes and words of the Admin schema's idempotency error codes): the first result replayed when it made the
 * refund; IDEMPOTENCY_CONCURRENT_REQUEST while the first attempt still runs; IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED, ever
 * after, when it failed; IDEMPOTENCY_KEY_PARAMETER_MISMATCH for other arguments. Driven through the real
 * @shopify/shopify-api SDK in 2026-10; needs NODE_EXTRA_CA_CERTS pointing at the stand-in's CA (scripts/run.sh).
 */
import '@shopify/shopify-api/adapters/node';
import { randomUUID } from 'node:crypto';
import { GraphqlQueryError } from '@shopify/shopify-api';
import { shopifyGraphqlClient } from '../../support/shopify';
import { rejectionOf, standin } from '../../support/context';

const run = randomUUID().slice(0, 8);
/** #1010: paid in full, refunded by nothing else in this file. */
const ORDER = 'gid://shopify/Order/5010';
const client = shopifyGraphqlClient();

const REFUND = `mutation Refund($input: RefundInput!, $key: String!) {
	refundCreate(input: $input) @idempotent(key: $key) { refund { id note } userErrors { field message } }
}`;

interface State {
	refundsCreated: Array<{ id: string; orderId: string }>;
	idempotencyKeys: Array<{ mutation: string; key: string; state: string }>;
	mutationLog: Array<{ mutation: string; idempotencyKey?: string; idempotencyError?: string; replayed?: boolean; injected?: boolean }>;
}
const state = () => standin<State>('shopify', '/__standin/state');
const keyState = async (key: string) => (await state()).idempotencyKeys.find((entry) => entry.mutation === 'refundCreate' && entry.key === key)?.state;
const refundsOfOrder = async () => (await state()).refundsCreated.filter((refund) => refund.orderId === ORDER).length;

let sale: { id: string; gateway: string };
const input = (amount: string, note = `Idempotency ${run}`) => ({
	orderId: ORDER,
	note,
	notify: false,
	transactions: [{ orderId: ORDER, parentId: sale.id, amount, gateway: sale.gateway, kind: 'REFUND' }],
});
const refund = async (amount: string, key: string) => (await client.request<any>(REFUND, { variables: { input: input(amount), key } })).data.refundCreate;
/** The top-level errors Shopify answered instead of a payload. */
const refusal = async (amount: string, key: string) => {
	const error = await rejectionOf<GraphqlQueryError>(refund(amount, key));
	expect(error).toBeInstanceOf(GraphqlQueryError);
	return (error.body as any).errors.graphQLErrors.map(({ message, extensions }: any) => ({ message, code: extensions?.code }));
};
const PREVIOUS_FAILED = { message: 'A previous request with this idempotency key failed. Retry with a new idempotency key.', code: 'IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED' };
const IN_PROGRESS = { message: 'This request is currently in progress, please try again.', code: 'IDEMPOTENCY_CONCURRENT_REQUEST' };

describe('Shopify stand-in: refundCreate under a key it has seen (2026-10, @shopify/shopify-api)', () => {
	beforeAll(async () => {
		const { data } = await client.request<any>('query Sale($id: ID!) { order(id: $id) { transactions { id kind gateway } } }', { variables: { id: ORDER } });
		sale = data.order.transactions.find((transaction: any) => transaction.kind === 'SALE');
	});
	afterEach(() => standin('shopify', '/__standin/faults', { method: 'DELETE' }));

	it('replays a refund it made under the key, and never makes a second one', async () => {
		const key = randomUUID();
		const before = await refundsOfOrder();
		const first = await refund('1.00', key);
		expect(first.userErrors).toEqual([]);
		expect((await refund('1.00', key)).refund.id).toBe(first.refund.id);
		expect(await refundsOfOrder()).toBe(before + 1);
		expect(await keyState(key)).toBe('done');
	});

	it('a key whose attempt failed is answered IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED ever after, never the first answer again; a new key refunds', async () => {
		const key = randomUUID();
		const before = await refundsOfOrder();
		const tooMuch = await refund('99999.00', key);
		expect(tooMuch).toMatchObject({ refund: null, userErrors: [{ field: null, message: expect.stringMatching(/^Refund amount \$99999\.00 is greater than net payment received/) }] });
		expect(await keyState(key)).toBe('failed');
		expect(await refusal('99999.00', key)).toEqual([PREVIOUS_FAILED]);
		expect(await refusal('99999.00', key)).toEqual([PREVIOUS_FAILED]);

		const next = randomUUID();
		expect((await refund('2.00', next)).refund.id).toMatch(/^gid:\/\/shopify\/Refund\//);
		expect(await refundsOfOrder()).toBe(before + 1);
		const log = (await state()).mutationLog.filter((entry) => entry.idempotencyKey === key);
		expect(log).toEqual([expect.objectContaining({ idempotencyError: 'IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED' }), expect.objectContaining({ idempotencyError: 'IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED' })]);
	});

	it('a userErrors fault refuses the next refund, changes nothing, and fails its key', async () => {
		const key = randomUUID();
		const before = await refundsOfOrder();
		const declined = { field: ['transactions', '0'], message: `The payment gateway declined the refund ${run}` };
		await standin('shopify', '/__standin/faults', { method: 'POST', body: JSON.stringify({ userErrors: [declined], match: 'refundCreate' }) });
		expect(await refund('3.00', key)).toEqual({ refund: null, userErrors: [declined] });
		expect(await refundsOfOrder()).toBe(before);
		expect(await refusal('3.00', key)).toEqual([PREVIOUS_FAILED]);
		expect(await refundsOfOrder()).toBe(before);
	});

	it('while the first attempt runs, the same key is answered IDEMPOTENCY_CONCURRENT_REQUEST; after, it replays that attempt\'s refund', async () => {
		const key = randomUUID();
		const before = await refundsOfOrder();
		await standin('shopify', '/__standin/faults', { method: 'POST', body: JSON.stringify({ delayMs: 1500, match: 'refundCreate' }) });
		const first = refund('4.00', key);
		while ((await keyState(key)) !== 'running') await new Promise((resolve) => setTimeout(resolve, 20));
		expect(await refusal('4.00', key)).toEqual([IN_PROGRESS]);
		const made = await first;
		expect(made.refund.id).toMatch(/^gid:\/\/shopify\/Refund\//);
		expect(await keyState(key)).toBe('done');
		expect((await refund('4.00', key)).refund.id).toBe(made.refund.id);
		expect(await refundsOfOrder()).toBe(before + 1);
	});

	it('the same key with other arguments is answered IDEMPOTENCY_KEY_PARAMETER_MISMATCH, whatever its first attempt did', async () => {
		const key = randomUUID();
		await refund('5.00', key);
		expect(await refusal('6.00', key)).toEqual([{ message: 'The same idempotency key cannot be used with different operation parameters.', code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH' }]);
	});

	it('refuses a fault it cannot apply', async () => {
		for (const fault of [{ userErrors: 'declined' }, { userErrors: [{ field: 'amount', message: 'x' }] }, { userErrors: [{ message: 'x' }], status: 500 }, { delayMs: -1 }]) {
			expect((await rejectionOf<Error>(standin('shopify', '/__standin/faults', { method: 'POST', body: JSON.stringify(fault) }))).message).toMatch(/HTTP 400/);
		}
	});
});

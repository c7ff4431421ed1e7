/**
 * The Shopify stand-in's payout side, driven through the real @shopify/shopify-api SDK as a late-delivery
 * workflow meets it in 2026-10: store credit for the customer, a partial refund of the order, a single-use
 * discount code for that customer, and the paged orders read that finds late deliveries within the cost limit.
 * The tests read the state they start from instead of resetting the store, so they can run again on the same
 * stand-in. Needs NODE_EXTRA_CA_CERTS pointing at the stand-in's CA (scripts/run.sh).
 */
import '@shopify/shopify-api/adapters/node';
import { randomUUID } from 'node:crypto';
import { GraphqlQueryError } from '@shopify/shopify-api';
import { shopifyGraphqlClient } from '../../support/shopify';
import { rejectionOf, setShopifyBucket, standin } from '../../support/context';
import { dayFromAnchor, fromAnchor, shopifyTime } from '../../support/standins';

const run = randomUUID().slice(0, 8);
const DAY_MS = 86_400_000;
const LATE_CUSTOMER = 'gid://shopify/Customer/1007';
/** Refunds go to another order: the late one stays unrefunded for the suites that compensate it. */
const REFUND_ORDER = 'gid://shopify/Order/5010';

const client = shopifyGraphqlClient();

async function query<T = any>(document: string, variables?: Record<string, unknown>): Promise<{ data: T; extensions: any }> {
	const response = await client.request<T>(document, { variables });
	return { data: response.data as T, extensions: response.extensions };
}

/**
 * A query that waits out THROTTLED as a client must: Shopify answers it with HTTP 200 and the bucket's state,
 * and the SDK does not retry it, so wait until the bucket holds the requested cost and ask again.
 */
async function paced<T = any>(document: string, variables?: Record<string, unknown>): Promise<{ data: T; extensions: any }> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await query<T>(document, variables);
		} catch (error: any) {
			const throttled = error instanceof GraphqlQueryError && (error.body as any)?.errors?.graphQLErrors?.[0]?.extensions?.code === 'THROTTLED';
			if (!throttled || attempt >= 5) throw error;
			const { requestedQueryCost, throttleStatus } = (error.body as any).extensions.cost;
			const seconds = Math.max(0, requestedQueryCost - throttleStatus.currentlyAvailable) / throttleStatus.restoreRate;
			await new Promise((resolve) => setTimeout(resolve, Math.ceil(seconds * 1000) + 50));
		}
	}
}

/** Paging drains the cost bucket; the suites after this one expect it full, as at start. */
const refillBucket = () => setShopifyBucket(2000);

const cents = (money: { amount: string }) => Math.round(Number.parseFloat(money.amount) * 100);
/** Shopify's Decimal as it writes it: "25.0", "12.5", "1044.95". */
const decimal = (value: number) => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0').replace(/0$/, '') || '0'}`;
const dollars = (value: number) => `$${(value / 100).toFixed(2)}`;

describe('Shopify stand-in: store credit, refunds, discount codes and late-delivery orders (2026-10, @shopify/shopify-api)', () => {
	afterAll(refillBucket);

	describe('storeCreditAccountCredit', () => {
		const CREDIT = `mutation Credit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
			storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
				storeCreditAccountTransaction {
					amount { amount currencyCode }
					balanceAfterTransaction { amount currencyCode }
					expiresAt
					account { id balance { amount currencyCode } }
				}
				userErrors { field message code }
			}
		}`;
		const ACCOUNTS = `query Accounts($id: ID!) {
			customer(id: $id) { storeCreditAccounts(first: 5) { nodes { id balance { amount currencyCode } } } }
		}`;

		async function usdBalance(): Promise<{ id?: string; cents: number }> {
			const { data } = await query(ACCOUNTS, { id: LATE_CUSTOMER });
			const account = data.customer.storeCreditAccounts.nodes.find((node: any) => node.balance.currencyCode === 'USD');
			return { id: account?.id, cents: account ? cents(account.balance) : 0 };
		}

		it('credits the late-delivery customer, creating the USD account on first use, and reads the balance back', async () => {
			const { data: found } = await query('query Find($email: String!) { customerByIdentifier(identifier: { emailAddress: $email }) { id } }', { email: 'late.delivery@example-store.test' });
			expect(found.customerByIdentifier.id).toBe(LATE_CUSTOMER);
			const before = await usdBalance();

			const { data } = await query(CREDIT, {
				id: LATE_CUSTOMER,
				creditInput: { creditAmount: { amount: '15.00', currencyCode: 'USD' }, expiresAt: fromAnchor(1157), notify: true },
			});
			const { storeCreditAccountTransaction: transaction, userErrors } = data.storeCreditAccountCredit;
			expect(userErrors).toEqual([]);
			expect(transaction).toMatchObject({
				amount: { amount: '15.0', currencyCode: 'USD' },
				balanceAfterTransaction: { amount: decimal(before.cents + 1500), currencyCode: 'USD' },
				expiresAt: shopifyTime(fromAnchor(1157)),
				account: { id: expect.stringMatching(/^gid:\/\/shopify\/StoreCreditAccount\/\d+$/), balance: { amount: decimal(before.cents + 1500), currencyCode: 'USD' } },
			});
			if (before.id) expect(transaction.account.id).toBe(before.id);

			const after = await usdBalance();
			expect(after).toEqual({ id: transaction.account.id, cents: before.cents + 1500 });
			const { data: byId } = await query('query Account($id: ID!) { storeCreditAccount(id: $id) { balance { amount } owner { ... on Customer { id } } transactions(first: 50) { nodes { amount { amount } } } } }', { id: after.id });
			expect(byId.storeCreditAccount.owner).toEqual({ id: LATE_CUSTOMER });
			expect(byId.storeCreditAccount.transactions.nodes.at(-1)).toEqual({ amount: { amount: '15.0' } });

			const state = await standin<any>('shopify', '/__standin/state');
			expect(state.storeCreditAccounts).toContainEqual(expect.objectContaining({ id: after.id, ownerId: LATE_CUSTOMER, balance: { amount: decimal(after.cents), currencyCode: 'USD' } }));
		});

		it('refuses an unknown customer, a non-positive amount and a currency the account is not in, as Shopify does', async () => {
			const before = await usdBalance();
			const credit = async (id: string, amount: string, currencyCode: string) =>
				(await query(CREDIT, { id, creditInput: { creditAmount: { amount, currencyCode } } })).data.storeCreditAccountCredit;

			expect(await credit('gid://shopify/Customer/999999', '5.00', 'USD')).toEqual({
				storeCreditAccountTransaction: null,
				userErrors: [{ field: ['id'], message: 'Owner does not exist', code: 'OWNER_NOT_FOUND' }],
			});
			expect(await credit(LATE_CUSTOMER, '0', 'USD')).toEqual({
				storeCreditAccountTransaction: null,
				userErrors: [{ field: ['creditInput', 'creditAmount', 'amount'], message: 'A positive amount must be used to credit a store credit account', code: 'NEGATIVE_OR_ZERO_AMOUNT' }],
			});
			expect(await credit(LATE_CUSTOMER, '-100.00', 'USD')).toMatchObject({ userErrors: [{ code: 'NEGATIVE_OR_ZERO_AMOUNT' }] });
			expect(await credit(before.id!, '5.00', 'EUR')).toEqual({
				storeCreditAccountTransaction: null,
				userErrors: [{ field: ['creditInput', 'creditAmount', 'currencyCode'], message: 'The currency provided does not match the currency of the store credit account', code: 'MISMATCHING_CURRENCY' }],
			});
			expect(await usdBalance()).toEqual(before);
		});
	});

	describe('refundCreate', () => {
		const ORDER = `query Order($id: ID!) {
			order(id: $id) {
				id name displayFinancialStatus
				totalPriceSet { shopMoney { amount currencyCode } }
				totalRefundedSet { shopMoney { amount currencyCode } }
				transactions(first: 20) { id kind status gateway amountSet { shopMoney { amount currencyCode } } parentTransaction { id } }
				refunds(first: 20) { id note totalRefundedSet { shopMoney { amount } } }
			}
		}`;
		// from 2026-04 Shopify refuses refundCreate without @idempotent(key:)
		const REFUND = `mutation Refund($input: RefundInput!, $key: String!) {
			refundCreate(input: $input) @idempotent(key: $key) {
				refund { id note totalRefundedSet { shopMoney { amount currencyCode } } transactions(first: 5) { nodes { kind status gateway amountSet { shopMoney { amount } } parentTransaction { id } } } }
				order { id displayFinancialStatus totalRefundedSet { shopMoney { amount currencyCode } } }
				userErrors { field message }
			}
		}`;

		async function readOrder() {
			const { data } = await query(ORDER, { id: REFUND_ORDER });
			const order = data.order;
			const sale = order.transactions.find((transaction: any) => transaction.kind === 'SALE' && transaction.status === 'SUCCESS');
			return { order, sale, remaining: cents(order.totalPriceSet.shopMoney) - cents(order.totalRefundedSet.shopMoney) };
		}

		const refundInput = (sale: any, amount: string) => ({
			orderId: REFUND_ORDER,
			note: `Late delivery goodwill ${run}`,
			notify: true,
			transactions: [{ orderId: REFUND_ORDER, parentId: sale.id, amount, gateway: sale.gateway, kind: 'REFUND' }],
		});

		it('refunds part of #1010 against its SALE, and the order shows it', async () => {
			const { order, sale, remaining } = await readOrder();
			expect(order.name).toBe('#1010');
			expect(sale).toMatchObject({ gateway: 'shopify_payments', amountSet: { shopMoney: { amount: order.totalPriceSet.shopMoney.amount, currencyCode: 'USD' } } });
			expect(remaining).toBeGreaterThan(2000);

			const key = randomUUID();
			const { data } = await query(REFUND, { input: refundInput(sale, '20.00'), key });
			const { refund, order: after, userErrors } = data.refundCreate;
			expect(userErrors).toEqual([]);
			expect(refund).toMatchObject({
				note: `Late delivery goodwill ${run}`,
				totalRefundedSet: { shopMoney: { amount: '20.0', currencyCode: 'USD' } },
				transactions: { nodes: [{ kind: 'REFUND', status: 'SUCCESS', gateway: 'shopify_payments', amountSet: { shopMoney: { amount: '20.0' } }, parentTransaction: { id: sale.id } }] },
			});
			expect(after).toEqual({
				id: REFUND_ORDER,
				displayFinancialStatus: 'PARTIALLY_REFUNDED',
				totalRefundedSet: { shopMoney: { amount: decimal(cents(order.totalRefundedSet.shopMoney) + 2000), currencyCode: 'USD' } },
			});

			// a retry with the same key is answered with the first refund, not a second one
			const { data: retried } = await query(REFUND, { input: refundInput(sale, '20.00'), key });
			expect(retried.refundCreate.refund.id).toBe(refund.id);

			const read = await readOrder();
			expect(read.remaining).toBe(remaining - 2000);
			expect(read.order.refunds.filter((one: any) => one.id === refund.id)).toEqual([{ id: refund.id, note: `Late delivery goodwill ${run}`, totalRefundedSet: { shopMoney: { amount: '20.0' } } }]);
			expect(read.order.transactions).toContainEqual(expect.objectContaining({ kind: 'REFUND', parentTransaction: { id: sale.id }, amountSet: { shopMoney: { amount: '20.0', currencyCode: 'USD' } } }));
		});

		it('refuses to refund more than what remains, and leaves the order as it was', async () => {
			const { order, sale, remaining } = await readOrder();
			const tooMuch = remaining + 100;
			const { data } = await query(REFUND, { input: refundInput(sale, decimal(tooMuch)), key: randomUUID() });
			expect(data.refundCreate).toMatchObject({
				refund: null,
				userErrors: [{ field: null, message: `Refund amount ${dollars(tooMuch)} is greater than net payment received ${dollars(remaining)}` }],
			});
			const read = await readOrder();
			expect(read.order.totalRefundedSet).toEqual(order.totalRefundedSet);
			expect(read.order.refunds).toHaveLength(order.refunds.length);
		});

		it('an order the customer paid in euros (#1012) is refunded only with currency EUR, the amount in euros, as Shopify requires', async () => {
			const EURO_ORDER = 'gid://shopify/Order/5012';
			const read = async () => (await query(`query Euro($id: ID!) {
				order(id: $id) {
					name currencyCode presentmentCurrencyCode
					totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
					totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
					refunds(first: 20) { id }
					transactions(first: 20) { id kind status gateway }
				}
			}`, { id: EURO_ORDER })).data.order;
			const before = await read();
			expect(before).toMatchObject({ name: '#1012', currencyCode: 'USD', presentmentCurrencyCode: 'EUR' });
			// the shop's dollars at 0.92 euro each
			expect(cents(before.totalPriceSet.presentmentMoney)).toBe(Math.round(cents(before.totalPriceSet.shopMoney) * 0.92));
			const sale = before.transactions.find((transaction: any) => transaction.kind === 'SALE');
			const input = { orderId: EURO_ORDER, note: `Euro goodwill ${run}`, notify: false, transactions: [{ orderId: EURO_ORDER, parentId: sale.id, amount: '9.20', gateway: sale.gateway, kind: 'REFUND' }] };

			const { data: missing } = await query(REFUND, { input, key: randomUUID() });
			expect(missing.refundCreate).toMatchObject({ refund: null, userErrors: [{ field: ['currency'], message: 'Currency is required: the order was paid in EUR, not the shop\'s currency USD' }] });
			const { data: wrong } = await query(REFUND, { input: { ...input, currency: 'USD' }, key: randomUUID() });
			expect(wrong.refundCreate).toMatchObject({ refund: null, userErrors: [{ field: ['currency'], message: 'Currency USD does not match the order\'s presentment currency EUR' }] });
			expect((await read()).refunds).toHaveLength(before.refunds.length);

			const { data } = await query(REFUND, { input: { ...input, currency: 'EUR' }, key: randomUUID() });
			expect(data.refundCreate.userErrors).toEqual([]);
			// €9.20 is $10.00 of the shop's money
			const after = await read();
			expect(cents(after.totalRefundedSet.shopMoney) - cents(before.totalRefundedSet.shopMoney)).toBe(1000);
			expect(cents(after.totalRefundedSet.presentmentMoney) - cents(before.totalRefundedSet.presentmentMoney)).toBe(920);
			expect(after.totalRefundedSet.presentmentMoney.currencyCode).toBe('EUR');
		});

		it('refuses refundCreate without @idempotent in 2026-10, as Shopify does from 2026-04', async () => {
			const { sale } = await readOrder();
			const error = await rejectionOf(query(REFUND.replace(' @idempotent(key: $key)', '').replace(', $key: String!', ''), { input: refundInput(sale, '1.00') }));
			expect(error).toBeInstanceOf(GraphqlQueryError);
			expect(error.body.errors.graphQLErrors).toEqual([expect.objectContaining({
				message: 'The @idempotent directive is required for this mutation but was not provided.',
				path: ['refundCreate'],
				extensions: { code: 'BAD_REQUEST' },
			})]);
		});
	});

	describe('discountCodeBasicCreate', () => {
		const CREATE = `mutation Create($discount: DiscountCodeBasicInput!) {
			discountCodeBasicCreate(basicCodeDiscount: $discount) {
				codeDiscountNode { id }
				userErrors { field message code }
			}
		}`;
		const BY_CODE = `query ByCode($code: String!) {
			codeDiscountNodeByCode(code: $code) {
				id
				codeDiscount {
					__typename
					... on DiscountCodeBasic {
						title status startsAt endsAt usageLimit appliesOncePerCustomer asyncUsageCount
						codes(first: 1) { nodes { code } }
						context { __typename ... on DiscountCustomers { customers { id displayName } } }
						customerGets {
							value { __typename ... on DiscountAmount { amount { amount currencyCode } appliesOnEachItem } }
							items { __typename ... on AllDiscountItems { allItems } }
						}
					}
				}
			}
		}`;
		const code = `LATE-${run}`.toUpperCase();
		const discount = {
			title: `Late delivery apology ${run}`,
			code,
			startsAt: fromAnchor(0),
			endsAt: fromAnchor(91, '23:59:59'),
			context: { customers: { add: [LATE_CUSTOMER] } },
			customerGets: { value: { discountAmount: { amount: '25.00', appliesOnEachItem: false } }, items: { all: true } },
			usageLimit: 1,
			appliesOncePerCustomer: true,
		};

		it('creates a single-use, fixed-amount code for one customer and reads it back by code', async () => {
			const { data } = await query(CREATE, { discount });
			expect(data.discountCodeBasicCreate.userErrors).toEqual([]);
			const { data: read } = await query(BY_CODE, { code: code.toLowerCase() });
			expect(read.codeDiscountNodeByCode).toEqual({
				id: data.discountCodeBasicCreate.codeDiscountNode.id,
				codeDiscount: {
					__typename: 'DiscountCodeBasic',
					title: discount.title,
					status: expect.stringMatching(/^(ACTIVE|SCHEDULED)$/),
					startsAt: shopifyTime(fromAnchor(0)),
					endsAt: shopifyTime(fromAnchor(91, '23:59:59')),
					usageLimit: 1,
					appliesOncePerCustomer: true,
					asyncUsageCount: 0,
					codes: { nodes: [{ code }] },
					context: { __typename: 'DiscountCustomers', customers: [{ id: LATE_CUSTOMER, displayName: 'Lars Waitlonger' }] },
					customerGets: {
						value: { __typename: 'DiscountAmount', amount: { amount: '25.0', currencyCode: 'USD' }, appliesOnEachItem: false },
						items: { __typename: 'AllDiscountItems', allItems: true },
					},
				},
			});
		});

		it('refuses the same code again, an unknown customer, and context together with customerSelection', async () => {
			const refused = async (input: Record<string, unknown>) => (await query(CREATE, { discount: { ...discount, ...input } })).data.discountCodeBasicCreate;
			expect(await refused({})).toEqual({
				codeDiscountNode: null,
				userErrors: [{ field: ['basicCodeDiscount', 'code'], message: 'Code must be unique. Please try a different code.', code: 'TAKEN' }],
			});
			expect(await refused({ code: `${code}-B`, context: { customers: { add: ['gid://shopify/Customer/999999'] } } })).toMatchObject({
				codeDiscountNode: null,
				userErrors: [{ field: ['basicCodeDiscount', 'context', 'customers', 'add'], code: 'INVALID' }],
			});
			expect(await refused({ code: `${code}-C`, customerSelection: { customers: { add: [LATE_CUSTOMER] } } })).toEqual({
				codeDiscountNode: null,
				userErrors: [{ field: ['basicCodeDiscount', 'context'], message: 'Only one of context or customerSelection can be provided.', code: 'INVALID' }],
			});
		});
	});

	describe('orders for late-delivery checks', () => {
		const SEARCH = `processed_at:>=${dayFromAnchor(-61)} AND (fulfillment_status:unfulfilled OR fulfillment_status:shipped OR fulfillment_status:fulfilled)`;
		const ordersQuery = (orders: number, fulfillments: number, events: number) => `query LateDeliveries($after: String, $search: String!) {
			orders(first: ${orders}, after: $after, query: $search, sortKey: PROCESSED_AT) {
				nodes {
					id name processedAt cancelledAt displayFulfillmentStatus
					totalPriceSet { shopMoney { amount currencyCode } }
					totalRefundedSet { shopMoney { amount currencyCode } }
					customer { id email firstName tags amountSpent { amount currencyCode } }
					fulfillments(first: ${fulfillments}) {
						createdAt inTransitAt estimatedDeliveryAt deliveredAt displayStatus
						events(first: ${events}) { nodes { status happenedAt message } }
					}
				}
				pageInfo { hasNextPage endCursor }
			}
		}`;

		it('refuses 50 orders × 5 fulfillments × 20 events: the requested cost is far above 1000', async () => {
			const error = await rejectionOf(query(ordersQuery(50, 5, 20), { search: SEARCH }));
			expect(error).toBeInstanceOf(GraphqlQueryError);
			// 2 + 50 × (1 + 2 + 2 + 2 + 5 × (1 + 2 + 20))
			expect(error.body.errors.graphQLErrors[0].extensions).toEqual(expect.objectContaining({ code: 'MAX_COST_EXCEEDED', cost: 6102, maxCost: 1000 }));
		});

		it('pages 25 orders at a time to the end, under 1000 points a page and paced by the bucket, with the late fixtures in it', async () => {
			await refillBucket();
			const document = ordersQuery(25, 2, 10);
			const orders: any[] = [];
			let after: string | null = null;
			do {
				const { data, extensions }: { data: any; extensions: any } = await paced(document, { search: SEARCH, after });
				// 2 + 25 × (1 + 2 + 2 + 2 + 2 × (1 + 2 + 10))
				expect(extensions.cost.requestedQueryCost).toBe(827);
				expect(extensions.search).toBeUndefined();
				orders.push(...data.orders.nodes);
				after = data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null;
			} while (after);

			const { data: counted } = await query('query Count($search: String!) { ordersCount(query: $search, limit: null) { count } }', { search: SEARCH });
			expect(orders).toHaveLength(counted.ordersCount.count);
			expect(new Set(orders.map((order) => order.id)).size).toBe(orders.length);
			expect(orders.every((order) => order.processedAt >= dayFromAnchor(-61))).toBe(true);
			expect(orders.map((order) => order.processedAt)).toEqual([...orders.map((order) => order.processedAt)].sort());
			expect(orders.every((order) => ['FULFILLED', 'UNFULFILLED', 'PARTIALLY_FULFILLED'].includes(order.displayFulfillmentStatus))).toBe(true);

			const byName = new Map(orders.map((order) => [order.name, order]));
			const late = byName.get('#1013');
			expect(late.customer).toMatchObject({ id: LATE_CUSTOMER, email: 'late.delivery@example-store.test', firstName: 'Lars', tags: expect.any(Array), amountSpent: { currencyCode: 'USD' } });
			const [shipment] = late.fulfillments;
			expect(shipment.displayStatus).toBe('DELIVERED');
			expect((Date.parse(shipment.deliveredAt) - Date.parse(shipment.estimatedDeliveryAt)) / DAY_MS).toBe(10);
			expect(shipment.events.nodes.map((event: any) => event.status)).toEqual(['CONFIRMED', 'IN_TRANSIT', 'DELAYED', 'OUT_FOR_DELIVERY', 'DELIVERED']);

			const travelling = byName.get('#1016').fulfillments[0];
			expect(travelling).toMatchObject({ displayStatus: 'DELAYED', deliveredAt: null });
			expect(Date.parse(travelling.estimatedDeliveryAt)).toBeLessThan(Date.parse(fromAnchor(0)));
			expect(byName.get('#1015')).toMatchObject({ displayFulfillmentStatus: 'UNFULFILLED', fulfillments: [] });
		});
	});
});

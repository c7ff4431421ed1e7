/**
 * The Shopify stand-in, driven through the real @shopify/shopify-api SDK: the sample store's fixtures, paging,
 * cost and throttling, validation against the real Admin schema, authentication and mutations, as the pack's
 * Shopify service will meet them. Needs NODE_EXTRA_CA_CERTS pointing at the stand-in's CA (scripts/run.sh).
 */
import '@shopify/shopify-api/adapters/node';
import { randomUUID } from 'node:crypto';
import {
	GraphqlQueryError,
	HttpResponseError,
	LogSeverity,
	Session,
	shopifyApi,
	type ApiVersion,
} from '@shopify/shopify-api';
import { dayFromAnchor, fromAnchor, standinsEnv } from '../../support/standins';
import { rejectionOf, setShopifyBucket } from '../../support/context';

const env = standinsEnv().shopify;
const run = randomUUID().slice(0, 8);
const DAY_MS = 86_400_000;
const ANCHOR = Date.parse(fromAnchor(0));

/** A custom-app client; customAppSession() only accepts *.myshopify.com, so the session is built directly. */
function graphqlClient(accessToken = env.accessToken) {
	const shopify = shopifyApi({
		apiSecretKey: 'unused',
		adminApiAccessToken: accessToken,
		isCustomStoreApp: true,
		isEmbeddedApp: false,
		hostName: 'localhost',
		apiVersion: env.apiVersion as ApiVersion,
		logger: { level: LogSeverity.Error, log: async () => {} },
	});
	const session = new Session({ id: `offline_${env.shopDomain}`, shop: env.shopDomain, state: '', isOnline: false, accessToken });
	return new shopify.clients.Graphql({ session });
}

const client = graphqlClient();

async function query<T = any>(document: string, variables?: Record<string, unknown>): Promise<{ data: T; extensions: any }> {
	const response = await client.request<T>(document, { variables });
	return { data: response.data as T, extensions: response.extensions };
}

const CUSTOMER = `
	id email displayName tags numberOfOrders
	amountSpent { amount currencyCode }
	emailMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt }
	defaultEmailAddress { emailAddress marketingState }
	lastOrder {
		id name processedAt displayFulfillmentStatus displayFinancialStatus
		totalPriceSet { shopMoney { amount currencyCode } }
		fulfillments(first: 1) {
			status displayStatus createdAt inTransitAt estimatedDeliveryAt deliveredAt
			trackingInfo { company number url }
			events(first: 10, sortKey: HAPPENED_AT) { nodes { status happenedAt message } }
		}
		refunds(first: 1) { createdAt note totalRefundedSet { shopMoney { amount } } }
	}`;

const dollars = (money: { amount: string }) => Number.parseFloat(money.amount);

describe('Shopify stand-in (Admin GraphQL through @shopify/shopify-api)', () => {
	// suites before this one page through orders and may leave the cost bucket low; start full, as a shop does after a pause
	beforeAll(async () => {
		await setShopifyBucket(2000);
	});

	it('finds the fixture customers by email, with spend, orders, tags, consent and the last order\'s tracking', async () => {
		const emails = ['vip.tagged', 'vip.spender', 'premium.buyer', 'regular.buyer', 'dormant.once', 'unsubscribed', 'late.delivery', 'in.transit', 'unfulfilled', 'refunded']
			.map((name) => `${name}@example-store.test`);
		const search = emails.map((email) => `email:"${email}"`).join(' OR ');
		// ten customers with their last order's tracking cost about 250 points, well under the 1000 limit
		const { data, extensions } = await query(`query Fixtures($search: String!) { customers(first: 10, query: $search) { nodes { ${CUSTOMER} } } }`, { search });
		expect(extensions.cost.requestedQueryCost).toBeLessThan(1000);
		const byEmail = new Map<string, any>(data.customers.nodes.map((node: any) => [node.email, node]));
		expect([...byEmail.keys()].sort()).toEqual([...emails].sort());

		const vip = byEmail.get('vip.tagged@example-store.test');
		expect(vip).toMatchObject({ id: 'gid://shopify/Customer/1001', numberOfOrders: '3', amountSpent: { currencyCode: 'USD' } });
		expect(vip.tags).toContain('VIP');
		expect(vip.emailMarketingConsent.marketingState).toBe('SUBSCRIBED');
		expect(vip.defaultEmailAddress).toEqual({ emailAddress: vip.email, marketingState: 'SUBSCRIBED' });
		const shipment = vip.lastOrder.fulfillments[0];
		expect(shipment).toMatchObject({ status: 'SUCCESS', displayStatus: 'DELIVERED', trackingInfo: [{ company: expect.any(String), number: expect.any(String), url: expect.stringMatching(/^https:/) }] });
		expect(shipment.events.nodes.map((event: any) => event.status)).toEqual(['CONFIRMED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']);

		const spender = byEmail.get('vip.spender@example-store.test');
		expect(dollars(spender.amountSpent)).toBeGreaterThan(1000);
		expect(spender.tags).not.toContain('VIP');
		expect(dollars(byEmail.get('premium.buyer@example-store.test').amountSpent)).toBeGreaterThan(500);
		expect(dollars(byEmail.get('premium.buyer@example-store.test').amountSpent)).toBeLessThanOrEqual(1000);
		expect(dollars(byEmail.get('regular.buyer@example-store.test').amountSpent)).toBeLessThan(500);
		expect(byEmail.get('unsubscribed@example-store.test').emailMarketingConsent.marketingState).toBe('UNSUBSCRIBED');

		const dormant = byEmail.get('dormant.once@example-store.test');
		expect(dormant.numberOfOrders).toBe('1');
		expect(Math.round((ANCHOR - Date.parse(dormant.lastOrder.processedAt)) / DAY_MS)).toBe(300);

		const late = byEmail.get('late.delivery@example-store.test').lastOrder.fulfillments[0];
		expect((Date.parse(late.deliveredAt) - Date.parse(late.estimatedDeliveryAt)) / DAY_MS).toBe(10);

		const travelling = byEmail.get('in.transit@example-store.test').lastOrder;
		expect(travelling.fulfillments[0].deliveredAt).toBeNull();
		expect(travelling.fulfillments[0].displayStatus).toBe('DELAYED');
		expect(travelling.fulfillments[0].events.nodes.map((event: any) => event.status)).toContain('DELAYED');

		const waiting = byEmail.get('unfulfilled@example-store.test').lastOrder;
		expect(waiting.displayFulfillmentStatus).toBe('UNFULFILLED');
		expect(waiting.fulfillments).toEqual([]);
		expect((ANCHOR - Date.parse(waiting.processedAt)) / DAY_MS).toBe(15);

		const refunded = byEmail.get('refunded@example-store.test').lastOrder;
		expect(refunded.displayFinancialStatus).toBe('PARTIALLY_REFUNDED');
		expect(refunded.refunds).toEqual([expect.objectContaining({ note: expect.any(String), totalRefundedSet: { shopMoney: { amount: '56.0' } } })]);
	});

	it('answers nodes(ids:) for customers and orders at once, null for an unknown id', async () => {
		const { data } = await query(`query Batch($ids: [ID!]!) {
			nodes(ids: $ids) { __typename id ... on Customer { email } ... on Order { name customer { id } } }
		}`, { ids: ['gid://shopify/Customer/1002', 'gid://shopify/Order/5013', 'gid://shopify/Customer/999999'] });
		expect(data.nodes).toEqual([
			{ __typename: 'Customer', id: 'gid://shopify/Customer/1002', email: 'vip.spender@example-store.test' },
			{ __typename: 'Order', id: 'gid://shopify/Order/5013', name: '#1013', customer: { id: 'gid://shopify/Customer/1007' } },
			null,
		]);
	});

	it('pages through every customer with opaque cursors, forwards and backwards', async () => {
		const { data: counted } = await query('{ customersCount { count precision } }');
		const ids: string[] = [];
		let after: string | null = null;
		let pages = 0;
		do {
			const { data }: { data: any } = await query('query Page($after: String) { customers(first: 100, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }', { after });
			ids.push(...data.customers.edges.map((edge: any) => edge.node.id));
			after = data.customers.pageInfo.hasNextPage ? data.customers.pageInfo.endCursor : null;
			pages++;
		} while (after);
		expect(counted.customersCount.precision).toBe('EXACT');
		expect(ids).toHaveLength(counted.customersCount.count);
		expect(new Set(ids).size).toBe(ids.length);
		expect(pages).toBe(Math.ceil(ids.length / 100));

		const { data: forward } = await query('{ customers(first: 5) { pageInfo { endCursor } } }');
		const { data: backward } = await query('query Back($before: String) { customers(last: 2, before: $before) { nodes { id } pageInfo { hasPreviousPage hasNextPage } } }', { before: forward.customers.pageInfo.endCursor });
		expect(backward.customers.nodes.map((node: any) => node.id)).toEqual(ids.slice(2, 4));
		expect(backward.customers.pageInfo).toEqual({ hasPreviousPage: true, hasNextPage: true });
	});

	it('searches orders with comparisons on dates and sorts them', async () => {
		const { data } = await query(`{
			orders(first: 250, query: "processed_at:>=${dayFromAnchor(-17)} fulfillment_status:unfulfilled", sortKey: PROCESSED_AT, reverse: true) {
				nodes { name processedAt displayFulfillmentStatus }
			}
		}`);
		const orders = data.orders.nodes;
		expect(orders.map((order: any) => order.name)).toContain('#1015');
		expect(orders.every((order: any) => order.processedAt >= dayFromAnchor(-17) && order.displayFulfillmentStatus === 'UNFULFILLED')).toBe(true);
		expect([...orders].sort((a: any, b: any) => b.processedAt.localeCompare(a.processedAt))).toEqual(orders);
	});

	it('reports the query cost and the bucket in extensions.cost', async () => {
		const { extensions } = await query('{ customers(first: 10) { nodes { id amountSpent { amount } } } }');
		expect(extensions.cost).toMatchObject({
			requestedQueryCost: 2 + 10 * 2,
			actualQueryCost: 2 + 10 * 2,
			throttleStatus: { maximumAvailable: 2000, currentlyAvailable: expect.any(Number), restoreRate: 100 },
		});
	});

	it('refuses a query above 1000 points and throttles when the bucket is empty', async () => {
		const tooDear = await rejectionOf(query('{ customers(first: 250) { nodes { orders(first: 10) { nodes { id } } } } }'));
		expect(tooDear).toBeInstanceOf(GraphqlQueryError);
		expect(tooDear.body.errors.graphQLErrors[0].extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', maxCost: 1000 });

		await setShopifyBucket(0);
		try {
			const throttled = await rejectionOf(query('{ customers(first: 50) { nodes { id } } }'));
			expect(throttled).toBeInstanceOf(GraphqlQueryError);
			expect(throttled.body.errors.graphQLErrors[0]).toMatchObject({ message: 'Throttled', extensions: { code: 'THROTTLED' } });
			expect(throttled.body.extensions.cost).toMatchObject({ requestedQueryCost: 52, actualQueryCost: null });
		} finally {
			await setShopifyBucket(2000);
		}
	});

	it('rejects a field the real Admin schema does not have, as Shopify does', async () => {
		const error = await rejectionOf(query('{ customer(id: "gid://shopify/Customer/1001") { id loyaltyPoints } }'));
		expect(error).toBeInstanceOf(GraphqlQueryError);
		expect(error.body.errors.graphQLErrors).toEqual([{
			message: "Field 'loyaltyPoints' doesn't exist on type 'Customer'",
			locations: [{ line: 1, column: 52 }],
			path: ['query', 'customer', 'loyaltyPoints'],
			extensions: { code: 'undefinedField', typeName: 'Customer', fieldName: 'loyaltyPoints' },
		}]);
	});

	it('answers a wrong access token with HTTP 401', async () => {
		const error = await rejectionOf(graphqlClient('shpat_wrong').request('{ shop { name } }'));
		expect(error).toBeInstanceOf(HttpResponseError);
		expect(error.response.code).toBe(401);
		// the SDK keeps only the status; the body is Shopify's
		const raw = await fetch(env.adminUrl, { method: 'POST', headers: { 'X-Shopify-Access-Token': 'shpat_wrong', 'Content-Type': 'application/json' }, body: '{"query":"{ shop { name } }"}' });
		expect(raw.status).toBe(401);
		expect(await raw.json()).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
	});

	it('adds a tag that reads back, and removes it again', async () => {
		const tag = `cx-test-${run}`;
		const add = await query(`mutation Add($id: ID!, $tags: [String!]!) {
			tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } }
		}`, { id: 'gid://shopify/Customer/1004', tags: [tag] });
		expect(add.data.tagsAdd).toEqual({ node: { id: 'gid://shopify/Customer/1004' }, userErrors: [] });
		const read = await query('{ customer(id: "gid://shopify/Customer/1004") { tags } }');
		expect(read.data.customer.tags).toContain(tag);

		await query('mutation Remove($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { userErrors { message } } }', { id: 'gid://shopify/Customer/1004', tags: [tag] });
		const after = await query('{ customer(id: "gid://shopify/Customer/1004") { tags } }');
		expect(after.data.customer.tags).not.toContain(tag);

		const missing = await query('mutation { tagsAdd(id: "gid://shopify/Customer/999999", tags: ["x"]) { node { id } userErrors { field message } } }');
		expect(missing.data.tagsAdd).toEqual({ node: null, userErrors: [{ field: ['id'], message: 'Customer does not exist' }] });
	});

	it('creates a discount code once and answers the duplicate with a TAKEN user error', async () => {
		const create = `mutation Create($discount: DiscountCodeBasicInput!) {
			discountCodeBasicCreate(basicCodeDiscount: $discount) {
				codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title codes(first: 1) { nodes { code } } } } }
				userErrors { field message code }
			}
		}`;
		const discount = {
			title: `Delay credit ${run}`,
			code: `SORRY-${run}`,
			startsAt: fromAnchor(0),
			customerGets: { value: { discountAmount: { amount: '25.00', appliesOnEachItem: false } }, items: { all: true } },
			context: { customers: { add: ['gid://shopify/Customer/1007'] } },
			appliesOncePerCustomer: true,
			usageLimit: 1,
		};
		const first = await query(create, { discount });
		expect(first.data.discountCodeBasicCreate.userErrors).toEqual([]);
		expect(first.data.discountCodeBasicCreate.codeDiscountNode.codeDiscount.codes.nodes).toEqual([{ code: `SORRY-${run}` }]);

		const again = await query(create, { discount: { ...discount, code: `sorry-${run}` } });
		expect(again.data.discountCodeBasicCreate).toEqual({
			codeDiscountNode: null,
			userErrors: [{ field: ['basicCodeDiscount', 'code'], message: 'Code must be unique. Please try a different code.', code: 'TAKEN' }],
		});
	});

	it('refuses a mutation it does not carry out, without touching the store', async () => {
		const error = await rejectionOf(query('mutation { customerDelete(input: { id: "gid://shopify/Customer/1001" }) { deletedCustomerId } }'));
		expect(error).toBeInstanceOf(GraphqlQueryError);
		expect(error.body.errors.graphQLErrors).toEqual([{ message: 'customerDelete is not supported by the local stand-in' }]);
	});
});

/**
 * Bulk query operations on the Shopify stand-in, through the real @shopify/shopify-api SDK: bulkOperationRunQuery
 * over the whole store, polled with currentBulkOperation / node / bulkOperation until COMPLETED, the JSONL
 * fetched from the signed `url` without the access token, Shopify's bulk rules and concurrency limits.
 */
import '@shopify/shopify-api/adapters/node';
import { shopifyGraphqlClient } from '../../support/shopify';
import { standinsEnv } from '../../support/standins';

const env = standinsEnv().shopify;

const client = shopifyGraphqlClient();
// up to 2025-10 Shopify runs one bulk query at a time per shop; from 2026-01 up to five
const client2510 = shopifyGraphqlClient('2025-10');

async function query<T = any>(document: string, variables?: Record<string, unknown>, on = client): Promise<T> {
	const response = await on.request<T>(document, { variables });
	return response.data as T;
}

const RUN = `mutation Run($query: String!) {
	bulkOperationRunQuery(query: $query) {
		bulkOperation { id status }
		userErrors { field message code }
	}
}`;
const FIELDS = 'id status errorCode createdAt completedAt objectCount fileSize url partialDataUrl query rootObjectCount type';
const CURRENT = `query { currentBulkOperation(type: QUERY) { ${FIELDS} } }`;
const CANCEL = 'mutation Cancel($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } } }';

const CUSTOMERS_WITH_ORDERS = `{
	customers {
		edges {
			node {
				id email firstName numberOfOrders
				amountSpent { amount currencyCode }
				emailMarketingConsent { marketingState }
				tags
				orders { edges { node { id processedAt } } }
			}
		}
	}
}`;

const run = (inner: string, on = client) => query(RUN, { query: inner }, on).then((data) => data.bulkOperationRunQuery);

async function waitFor(id: string, timeoutMs = 60_000): Promise<any> {
	const deadline = Date.now() + timeoutMs;
	const seen = new Set<string>();
	for (;;) {
		const { node } = await query(`query Op($id: ID!) { node(id: $id) { ... on BulkOperation { ${FIELDS} } } }`, { id });
		seen.add(node.status);
		if (!['CREATED', 'RUNNING', 'CANCELING'].includes(node.status)) return { ...node, seen: [...seen] };
		if (Date.now() > deadline) throw new Error(`bulk operation ${id} still ${node.status}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe('Shopify stand-in bulk query operations', () => {
	it('refuses inner queries that break the schema or the bulk rules, with INVALID user errors', async () => {
		const cases = [
			'{ customers { edges { node { id noSuchField } } } }',
			'{ customers { edges { node { id orders { edges { node { id lineItems { edges { node { id } } } } } } } } } }',
			'{ shop { name } }',
			'{ customers { edges { node { email orders { edges { node { id } } } } } } }',
			'mutation { tagsAdd(id: "gid://shopify/Customer/1001", tags: ["x"]) { userErrors { message } } }',
		];
		for (const inner of cases) {
			const result = await run(inner);
			expect(result.bulkOperation).toBeNull();
			expect(result.userErrors).toEqual([expect.objectContaining({ field: ['query'], code: 'INVALID', message: expect.any(String) })]);
		}
		const [unknown, tooDeep, noConnection, noParentId] = await Promise.all(cases.slice(0, 4).map((inner) => run(inner)));
		expect(unknown.userErrors[0].message).toMatch(/noSuchField/);
		expect(tooDeep.userErrors[0].message).toMatch(/nesting depth/);
		expect(noConnection.userErrors[0].message).toMatch(/at least one connection/);
		expect(noParentId.userErrors[0].message).toMatch(/must select the 'id' field/);
	});

	it('exports every customer with nested orders as JSONL behind a signed URL, one query at a time on 2025-10', async () => {
		const { customersCount } = await query('{ customersCount(limit: null) { count } }');
		const started = await run(CUSTOMERS_WITH_ORDERS);
		expect(started.userErrors).toEqual([]);
		expect(started.bulkOperation).toEqual({ id: expect.stringMatching(/^gid:\/\/shopify\/BulkOperation\/\d+$/), status: 'CREATED' });
		const { id } = started.bulkOperation;

		// a second bulk query while the first runs: refused on 2025-10 as Shopify does
		const second = await run('{ orders { nodes { id } } }', client2510);
		expect(second.bulkOperation).toBeNull();
		expect(second.userErrors).toEqual([{ field: null, code: 'OPERATION_IN_PROGRESS', message: `A bulk query operation for this app and shop is already in progress: ${id}.` }]);

		const done = await waitFor(id);
		expect(done.seen).toContain('RUNNING');
		expect(done).toMatchObject({ id, status: 'COMPLETED', errorCode: null, type: 'QUERY', query: CUSTOMERS_WITH_ORDERS, partialDataUrl: null });
		expect(Date.parse(done.completedAt)).toBeGreaterThanOrEqual(Date.parse(done.createdAt));
		const current = (await query(CURRENT)).currentBulkOperation;
		const byId = (await query(`query Op($id: ID!) { bulkOperation(id: $id) { ${FIELDS} } }`, { id })).bulkOperation;
		const { seen, ...readBack } = done;
		expect(current).toEqual(readBack);
		expect(byId).toEqual(readBack);

		// the URL is signed: no access token header, and a wrong token is a 404
		expect(done.url).toMatch(new RegExp(`^https://${env.shopDomain.replace(/\./g, '\\.')}/__standin/bulk/\\d+\\.jsonl\\?token=\\w+$`));
		const forged = await fetch(done.url.replace(/token=\w+/, 'token=forged'));
		expect(forged.status).toBe(404);
		const response = await fetch(done.url);
		expect(response.status).toBe(200);
		const text = await response.text();
		expect(Buffer.byteLength(text)).toBe(Number(done.fileSize));
		const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line));

		const customers = lines.filter((line) => line.id.startsWith('gid://shopify/Customer/'));
		const orders = lines.filter((line) => line.id.startsWith('gid://shopify/Order/'));
		expect(customers.length + orders.length).toBe(lines.length);
		expect(lines.length).toBe(Number(done.objectCount));
		expect(customers.length).toBe(Number(done.rootObjectCount));
		expect(customers.length).toBe(customersCount.count);
		expect(new Set(customers.map((customer) => customer.id)).size).toBe(customers.length);
		// checked in bulk, not with one expect per line: the store may hold 100,000 customers
		expect(customers.filter((customer) => '__parentId' in customer || 'orders' in customer)).toEqual([]);

		// every order points at a customer that came before it, and each customer's orders add up
		const position = new Map(lines.map((line, index) => [line.id, index]));
		const ordersOf = new Map<string, number>();
		const misplaced = orders.filter((order) => Object.keys(order).join() !== 'id,processedAt,__parentId' || !(position.get(order.__parentId)! < position.get(order.id)!));
		expect(misplaced).toEqual([]);
		for (const order of orders) ordersOf.set(order.__parentId, (ordersOf.get(order.__parentId) ?? 0) + 1);
		expect(customers.filter((customer) => (ordersOf.get(customer.id) ?? 0) !== Number(customer.numberOfOrders))).toEqual([]);

		const vip = customers.find((customer) => customer.id === 'gid://shopify/Customer/1001');
		expect(vip).toMatchObject({ email: 'vip.tagged@example-store.test', numberOfOrders: '3', amountSpent: { currencyCode: 'USD' }, emailMarketingConsent: { marketingState: 'SUBSCRIBED' } });
		expect(vip.tags).toContain('VIP');
	});

	it('runs up to five bulk queries at once on 2026-10, refuses a sixth with LIMIT_REACHED and cancels them', async () => {
		const started = [];
		for (let i = 0; i < 5; i++) started.push(await run('{ orders(query: "financial_status:paid") { nodes { id name } } }'));
		for (const result of started) expect(result).toEqual({ bulkOperation: { id: expect.any(String), status: 'CREATED' }, userErrors: [] });
		const sixth = await run('{ customers { nodes { id } } }');
		expect(sixth.bulkOperation).toBeNull();
		expect(sixth.userErrors).toEqual([expect.objectContaining({ field: null, code: 'LIMIT_REACHED' })]);

		const ids = started.map((result) => result.bulkOperation.id);
		const canceled = await query(CANCEL, { id: ids[0] });
		expect(canceled.bulkOperationCancel).toEqual({ bulkOperation: { id: ids[0], status: 'CANCELING' }, userErrors: [] });
		const finals = await Promise.all(ids.map((id) => waitFor(id)));
		expect(finals[0]).toMatchObject({ status: 'CANCELED', url: null });
		for (const final of finals.slice(1)) expect(final).toMatchObject({ status: 'COMPLETED', url: expect.stringMatching(/^https:/) });
		const again = await query(CANCEL, { id: ids[1] });
		expect(again.bulkOperationCancel.userErrors).toEqual([{ field: null, message: 'A bulk operation cannot be canceled when it is completed' }]);
	});
});

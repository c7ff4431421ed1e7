/**
 * The Shopify stand-in's Returns API (Admin API 2026-10, scripts/standins/shopify-returns.js), driven through the
 * real @shopify/shopify-api SDK: the seeded return requests and the fields a returns desk reads, each return
 * mutation's happy path and user errors, quantities that refuse a second processing, money back to the card and as
 * store credit, stock after a restock or an exchange, Order.returnStatus and its search, scopes, query cost and the
 * generator of return requests. The file starts from the seed (test/support/freshStandins.ts).
 */
import '@shopify/shopify-api/adapters/node';
import { GraphqlQueryError } from '@shopify/shopify-api';
import { shopifyGraphqlClient } from '../../support/shopify';
import { rejectionOf, setShopifyBucket, standin } from '../../support/context';
import { fromAnchor } from '../../support/standins';

const client = shopifyGraphqlClient();

async function query<T = any>(document: string, variables?: Record<string, unknown>): Promise<{ data: T; extensions: any }> {
	const response = await client.request<T>(document, { variables });
	return { data: response.data as T, extensions: response.extensions };
}

const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;
const HOUR_MS = 3_600_000;
const shopify = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

/** The seeded requests, in seed order (shopify-returns.js seedRequests). */
const SEEDED = {
	vera: { id: gid('Return', 94001), line: gid('ReturnLineItem', 95001), order: gid('Order', 5014) },
	lars: { id: gid('Return', 94002), line: gid('ReturnLineItem', 95002), order: gid('Order', 5013) },
	priya: { id: gid('Return', 94003), line: gid('ReturnLineItem', 95003), order: gid('Order', 5009) },
	rory: { id: gid('Return', 94004), line: gid('ReturnLineItem', 95004), order: gid('Order', 5012) },
	finalSale: { id: gid('Return', 94005), line: gid('ReturnLineItem', 95005), order: gid('Order', 5905) },
	twoPrints: { id: gid('Return', 94006), line: gid('ReturnLineItem', 95006), order: gid('Order', 5923) },
};
const LOCATION = gid('Location', 76001);
const VARIANT = { oak: gid('ProductVariant', 8107), black: gid('ProductVariant', 8108), white: gid('ProductVariant', 8109), a3Harbour: gid('ProductVariant', 8105), canvasBloom: gid('ProductVariant', 8110) };

const RETURN = `id name status createdAt requestApprovedAt closedAt totalQuantity decline { reason note } order { id returnStatus }
	returnLineItems(first: 10) { nodes { id quantity processedQuantity unprocessedQuantity processableQuantity refundableQuantity refundedQuantity returnReason } }`;
const USER_ERRORS = 'userErrors { field message code }';

const APPROVE = `mutation Approve($input: ReturnApproveRequestInput!) { returnApproveRequest(input: $input) { return { ${RETURN} reverseFulfillmentOrders(first: 2) { nodes { status lineItems(first: 5) { nodes { id totalQuantity dispositions { type quantity } } } } } } ${USER_ERRORS} } }`;
const DECLINE = `mutation Decline($input: ReturnDeclineRequestInput!) { returnDeclineRequest(input: $input) { return { ${RETURN} } ${USER_ERRORS} } }`;
const REQUEST = `mutation Request($input: ReturnRequestInput!) { returnRequest(input: $input) { return { ${RETURN} } ${USER_ERRORS} } }`;
const CREATE = `mutation Create($returnInput: ReturnInput!) { returnCreate(returnInput: $returnInput) { return { ${RETURN}
	order { id closed returnStatus }
	returnShippingFees { amountSet { shopMoney { amount currencyCode } } }
	exchangeLineItems(first: 5) { nodes { id variantId productId title variantTitle variantSku quantity processedQuantity processableQuantity unprocessedQuantity lineItems { id } } }
	reverseFulfillmentOrders(first: 2) { nodes { status lineItems(first: 5) { nodes { id totalQuantity } } } }
	returnLineItems(first: 10) { nodes { ... on ReturnLineItem { customerNote returnReasonNote restockingFee { percentage amountSet { shopMoney { amount } } } withCodeDiscountedTotalPriceSet { shopMoney { amount } } } } }
} ${USER_ERRORS} } }`;
const PROCESS = `mutation Process($input: ReturnProcessInput!) { returnProcess(input: $input) { return { ${RETURN} refunds(first: 5) { nodes { totalRefundedSet { shopMoney { amount } } } } } ${USER_ERRORS} } }`;
const CLOSE = `mutation Close($id: ID!) { returnClose(id: $id) { return { id status closedAt order { returnStatus } } ${USER_ERRORS} } }`;
const REOPEN = `mutation Reopen($id: ID!) { returnReopen(id: $id) { return { id status closedAt order { returnStatus } } ${USER_ERRORS} } }`;
const CANCEL = `mutation Cancel($id: ID!) { returnCancel(id: $id) { return { id status order { returnStatus } } ${USER_ERRORS} } }`;
const READ = `query Read($id: ID!) { return(id: $id) { ${RETURN} reverseFulfillmentOrders(first: 2) { nodes { status lineItems(first: 5) { nodes { id totalQuantity dispositions { type quantity location { id } } } } } } } }`;

/** An order's fulfillment line items by SKU, its SALE transaction and its money. */
async function orderFacts(id: string) {
	const { data } = await query(`query Facts($id: ID!) { order(id: $id) { name closed returnStatus displayFinancialStatus
		totalRefundedSet { shopMoney { amount } } transactions { id kind amountSet { shopMoney { amount } } }
		fulfillments { fulfillmentLineItems(first: 10) { nodes { id quantity lineItem { sku } } } }
		returns(first: 10) { nodes { id name status } } } }`, { id });
	const order = data.order;
	const lines = Object.fromEntries(order.fulfillments.flatMap((f: any) => f.fulfillmentLineItems.nodes).map((line: any) => [line.lineItem.sku, line.id]));
	return { ...order, lines, sale: order.transactions.find((one: any) => one.kind === 'SALE').id as string };
}

const inventory = async (id: string) => (await query('query Stock($id: ID!) { productVariant(id: $id) { inventoryQuantity availableForSale } }', { id })).data.productVariant;
const returnStatusOf = async (id: string) => (await query('query Status($id: ID!) { order(id: $id) { returnStatus } }', { id })).data.order.returnStatus;
/** returnProcess closes a finished return right after answering: read it again once the answer is in. */
const reread = async (id: string) => (await query(READ, { id })).data.return;

describe('Shopify stand-in: the Returns API (2026-10, @shopify/shopify-api)', () => {
	// the tests read whole returns, a few hundred points each: each starts with a full cost bucket, as the file does
	beforeEach(() => setShopifyBucket(2000));
	afterAll(() => setShopifyBucket(2000));

	describe('the seeded return requests', () => {
		it('puts six REQUESTED returns on six orders, found by return_status:return_requested, across reasons, windows and countries', async () => {
			const { data } = await query(`{
				orders(first: 10, sortKey: PROCESSED_AT, query: "return_status:return_requested") { nodes { name returnStatus shippingAddress { countryCodeV2 }
					returns(first: 2) { nodes { id name status totalQuantity returnLineItems(first: 2) { nodes { ... on ReturnLineItem { quantity returnReason
						fulfillmentLineItem { quantity lineItem { sku variant { id } product { productType tags } } } } } } } } } }
				requested: ordersCount(query: "return_status:return_requested") { count precision }
				none: ordersCount(query: "return_status:no_return") { count }
				all: ordersCount { count }
			}`);
			const rows = data.orders.nodes.map((order: any) => {
				const [ret] = order.returns.nodes;
				const [line] = ret.returnLineItems.nodes;
				return [order.name, order.returnStatus, order.shippingAddress.countryCodeV2, ret.name, ret.status, line.returnReason, line.fulfillmentLineItem.lineItem.sku, `${line.quantity}/${line.fulfillmentLineItem.quantity}`, line.fulfillmentLineItem.lineItem.product.productType, line.fulfillmentLineItem.lineItem.product.tags];
			});
			expect(rows).toEqual([
				['#1009', 'RETURN_REQUESTED', 'US', '#1009-R1', 'REQUESTED', 'SIZE_TOO_SMALL', 'FRM-5070-COAST', '1/1', 'Framed Print', ['framed', 'ready-to-hang']],
				['#1012', 'RETURN_REQUESTED', 'DE', '#1012-R1', 'REQUESTED', 'WRONG_ITEM', 'PRT-A4-HARBOUR', '1/1', 'Art Print', ['art-print']],
				['#1013', 'RETURN_REQUESTED', 'US', '#1013-R1', 'REQUESTED', 'DEFECTIVE', 'CNV-6090-BLOOM', '1/1', 'Canvas', ['canvas', 'made-to-order']],
				['#1014', 'RETURN_REQUESTED', 'US', '#1014-R1', 'REQUESTED', 'COLOR', 'FRM-5070-COAST', '1/1', 'Framed Print', ['framed', 'ready-to-hang']],
				['#1905', 'RETURN_REQUESTED', 'FR', '#1905-R1', 'REQUESTED', 'STYLE', 'LTD-GCL-LAKE', '1/2', 'Limited Edition Print', ['final-sale', 'limited-edition']],
				['#1923', 'RETURN_REQUESTED', 'US', '#1923-R1', 'REQUESTED', 'UNWANTED', 'PRT-A4-HARBOUR', '1/2', 'Art Print', ['art-print']],
			]);
			expect(data.requested).toEqual({ count: 6, precision: 'EXACT' });
			expect(data.none.count).toBe(data.all.count - 6);
		});

		it('dates the requests from the deliveries: two within a 30-day window, two after it, one 14-day EU case', async () => {
			const { data } = await query(`{ nodes(ids: ${JSON.stringify(Object.values(SEEDED).map((one) => one.id))}) { ... on Return { name createdAt order { fulfillments(first: 1) { deliveredAt } } } } }`);
			const after = Object.fromEntries(data.nodes.map((ret: any) => [ret.name, (Date.parse(ret.createdAt) - Date.parse(ret.order.fulfillments[0].deliveredAt)) / HOUR_MS]));
			expect(after).toEqual({ '#1014-R1': 3 * 24 + 10, '#1013-R1': 2 * 24 + 10, '#1009-R1': 41 * 24 + 10, '#1012-R1': 33 * 24 + 10, '#1905-R1': 2 * 24 + 10, '#1923-R1': expect.any(Number) });
			const delivered = Object.fromEntries(data.nodes.map((ret: any) => [ret.name, ret.order.fulfillments[0].deliveredAt]));
			expect([delivered['#1014-R1'], delivered['#1009-R1'], delivered['#1012-R1']]).toEqual([fromAnchor(-19, '14:00'), fromAnchor(-84, '14:00'), fromAnchor(-39, '14:00')].map(shopify));
			expect(Date.parse(delivered['#1905-R1'])).toBeGreaterThan(Date.parse(fromAnchor(-14)));
			expect(after['#1923-R1']).toBeGreaterThan(0);
			expect(Date.parse(data.nodes[5].createdAt)).toBeLessThanOrEqual(Date.parse(fromAnchor(0)));
		});

		it('reads a return with its order, customer, shipping country, deliveries, line items, variants and product tags in one query', async () => {
			const { data } = await query(`query One($id: ID!) { return(id: $id) {
				id name status createdAt
				order { id name currencyCode customer { id email tags } shippingAddress { countryCodeV2 city } billingAddress { countryCodeV2 }
					fulfillments(first: 5) { deliveredAt fulfillmentLineItems(first: 10) { nodes { id } } } }
				returnLineItems(first: 10) { nodes { ... on ReturnLineItem { id quantity returnReason customerNote returnReasonNote returnReasonDefinition { handle name }
					withCodeDiscountedTotalPriceSet { shopMoney { amount currencyCode } }
					fulfillmentLineItem { id quantity lineItem { title variantTitle sku discountedUnitPriceAfterAllDiscountsSet { shopMoney { amount } }
						variant { id title }
						product { id productType tags variants(first: 10) { nodes { id title sku inventoryQuantity availableForSale inventoryPolicy price } } } } } } } }
			} }`, { id: SEEDED.vera.id });
			const ret = data.return;
			expect(ret).toEqual({
				id: SEEDED.vera.id, name: '#1014-R1', status: 'REQUESTED', createdAt: shopify(fromAnchor(-15)),
				order: {
					id: SEEDED.vera.order, name: '#1014', currencyCode: 'USD',
					customer: { id: gid('Customer', 1001), email: 'vip.tagged@example-store.test', tags: ['newsletter', 'VIP'] },
					shippingAddress: { countryCodeV2: 'US', city: 'Portland' }, billingAddress: { countryCodeV2: 'US' },
					fulfillments: [{ deliveredAt: shopify(fromAnchor(-19, '14:00')), fulfillmentLineItems: { nodes: [{ id: expect.stringMatching(/^gid:\/\/shopify\/FulfillmentLineItem\/\d+$/) }] } }],
				},
				returnLineItems: { nodes: [{
					id: SEEDED.vera.line, quantity: 1, returnReason: 'COLOR', customerNote: 'The oak frame looks warmer than in the photos; could I have the black frame instead?', returnReasonNote: '',
					returnReasonDefinition: { handle: 'color', name: 'Color' },
					withCodeDiscountedTotalPriceSet: { shopMoney: { amount: '189.0', currencyCode: 'USD' } },
					fulfillmentLineItem: {
						id: ret.order.fulfillments[0].fulfillmentLineItems.nodes[0].id, quantity: 1,
						lineItem: {
							title: 'Framed Print 50x70', variantTitle: 'Coastal Lines / Oak frame', sku: 'FRM-5070-COAST', discountedUnitPriceAfterAllDiscountsSet: { shopMoney: { amount: '189.0' } },
							variant: { id: VARIANT.oak, title: 'Coastal Lines / Oak frame' },
							product: {
								id: gid('Product', 8003), productType: 'Framed Print', tags: ['framed', 'ready-to-hang'],
								variants: { nodes: [
									{ id: VARIANT.oak, title: 'Coastal Lines / Oak frame', sku: 'FRM-5070-COAST', inventoryQuantity: 6, availableForSale: true, inventoryPolicy: 'DENY', price: '189.0' },
									{ id: VARIANT.black, title: 'Coastal Lines / Black frame', sku: 'FRM-5070-COAST-BLK', inventoryQuantity: 4, availableForSale: true, inventoryPolicy: 'DENY', price: '189.0' },
									{ id: VARIANT.white, title: 'Coastal Lines / White frame', sku: 'FRM-5070-COAST-WHT', inventoryQuantity: 0, availableForSale: false, inventoryPolicy: 'DENY', price: '189.0' },
								] },
							},
						},
					},
				}] },
			});
		});

		it('resolves returns, return line items, variants, products and the location through nodes(ids:)', async () => {
			const { data } = await query(`{ nodes(ids: ["${SEEDED.lars.id}", "${SEEDED.lars.line}", "${VARIANT.canvasBloom}", "gid://shopify/Product/8005", "${LOCATION}", "gid://shopify/Return/1"]) {
				__typename id ... on Return { name } ... on ReturnLineItem { quantity } ... on ProductVariant { sku inventoryPolicy availableForSale inventoryQuantity } ... on Product { tags } ... on Location { name } } }`);
			expect(data.nodes).toEqual([
				{ __typename: 'Return', id: SEEDED.lars.id, name: '#1013-R1' },
				{ __typename: 'ReturnLineItem', id: SEEDED.lars.line, quantity: 1 },
				{ __typename: 'ProductVariant', id: VARIANT.canvasBloom, sku: 'CNV-6090-BLOOM', inventoryPolicy: 'CONTINUE', availableForSale: true, inventoryQuantity: 0 },
				{ __typename: 'Product', id: gid('Product', 8005), tags: ['final-sale', 'limited-edition'] },
				{ __typename: 'Location', id: LOCATION, name: 'Studio Warehouse' },
				null,
			]);
		});

		it('lists what is still returnable of an order: fulfilled, less what returns claim', async () => {
			const twoPrints = await orderFacts(SEEDED.twoPrints.order);
			const returnable = async (orderId: string) => (await query(`query R($orderId: ID!) { returnableFulfillments(orderId: $orderId, first: 5) { nodes { id returnableFulfillmentLineItems(first: 5) { nodes { quantity fulfillmentLineItem { id } } } } } }`, { orderId })).data.returnableFulfillments.nodes;
			expect(await returnable(SEEDED.twoPrints.order)).toEqual([{ id: expect.stringMatching(/^gid:\/\/shopify\/ReturnableFulfillment\/\d+$/), returnableFulfillmentLineItems: { nodes: [{ quantity: 1, fulfillmentLineItem: { id: twoPrints.lines['PRT-A4-HARBOUR'] } }] } }]);
			expect(await returnable(SEEDED.vera.order)).toEqual([]);
			expect(await returnable(gid('Order', 5015))).toEqual([]);
		});
	});

	describe('returnApproveRequest', () => {
		it('opens a requested return once, with its reverse fulfillment order, and refuses a second approval', async () => {
			const { data } = await query(APPROVE, { input: { id: SEEDED.vera.id, notifyCustomer: false } });
			const approved = data.returnApproveRequest;
			expect(approved.userErrors).toEqual([]);
			expect(approved.return).toMatchObject({
				id: SEEDED.vera.id, status: 'OPEN', closedAt: null, decline: null, totalQuantity: 1, order: { id: SEEDED.vera.order, returnStatus: 'IN_PROGRESS' },
				returnLineItems: { nodes: [{ id: SEEDED.vera.line, quantity: 1, processedQuantity: 0, unprocessedQuantity: 1, processableQuantity: 1, refundableQuantity: 1, refundedQuantity: 0, returnReason: 'COLOR' }] },
				reverseFulfillmentOrders: { nodes: [{ status: 'OPEN', lineItems: { nodes: [{ id: gid('ReverseFulfillmentOrderLineItem', 97501), totalQuantity: 1, dispositions: [] }] } }] },
			});
			expect(Date.parse(approved.return.requestApprovedAt)).toBeGreaterThan(Date.now() - 60_000);

			const again = (await query(APPROVE, { input: { id: SEEDED.vera.id } })).data.returnApproveRequest;
			expect(again).toEqual({ return: null, userErrors: [{ field: ['input', 'id'], message: 'Return is not approvable. Only returns with status REQUESTED can be approved.', code: 'INVALID_STATE' }] });
			const read = await reread(SEEDED.vera.id);
			expect(read.reverseFulfillmentOrders.nodes).toHaveLength(1);
			expect(read.requestApprovedAt).toBe(approved.return.requestApprovedAt);
		});

		it('answers an unknown return NOT_FOUND and an id that is no GID with a top-level error', async () => {
			expect((await query(APPROVE, { input: { id: gid('Return', 1) } })).data.returnApproveRequest).toEqual({ return: null, userErrors: [{ field: ['input', 'id'], message: 'Return not found.', code: 'NOT_FOUND' }] });
			const error = await rejectionOf<GraphqlQueryError>(query(APPROVE, { input: { id: '94001' } }));
			expect((error.body as any).errors.graphQLErrors[0].message).toBe("Invalid global id '94001'");
		});
	});

	describe('returnDeclineRequest', () => {
		it('declines a request with Shopify\'s reason and a note, frees its units for a new return, and refuses to decline or approve it again', async () => {
			const note = 'Our return window is 30 days from delivery; yours ended on the 18th.';
			const declined = (await query(DECLINE, { input: { id: SEEDED.priya.id, declineReason: 'RETURN_PERIOD_ENDED', declineNote: note, notifyCustomer: false } })).data.returnDeclineRequest;
			expect(declined).toMatchObject({ userErrors: [], return: { id: SEEDED.priya.id, status: 'DECLINED', decline: { reason: 'RETURN_PERIOD_ENDED', note }, order: { returnStatus: 'NO_RETURN' } } });
			expect((await query(DECLINE, { input: { id: SEEDED.priya.id, declineReason: 'OTHER' } })).data.returnDeclineRequest.userErrors).toEqual([{ field: ['input', 'id'], message: 'The return is already declined.', code: 'INVALID_STATE' }]);
			expect((await query(APPROVE, { input: { id: SEEDED.priya.id } })).data.returnApproveRequest.userErrors[0].code).toBe('INVALID_STATE');
			// an OPEN return is not declinable
			expect((await query(DECLINE, { input: { id: SEEDED.vera.id, declineReason: 'OTHER' } })).data.returnDeclineRequest.userErrors).toEqual([{ field: ['input', 'id'], message: 'Return is not declinable. Only non-refunded returns with status REQUESTED can be declined.', code: 'INVALID_STATE' }]);

			const order = await orderFacts(SEEDED.priya.order);
			const again = (await query(REQUEST, { input: { orderId: SEEDED.priya.order, returnLineItems: [{ fulfillmentLineItemId: order.lines['FRM-5070-COAST'], quantity: 1, returnReason: 'SIZE_TOO_SMALL' }] } })).data.returnRequest;
			expect(again.userErrors).toEqual([]);
			expect(again.return).toMatchObject({ name: '#1009-R2', status: 'REQUESTED', order: { returnStatus: 'RETURN_REQUESTED' } });
		});

		it('refuses a note over 500 characters and an unknown return, changing nothing', async () => {
			expect((await query(DECLINE, { input: { id: SEEDED.lars.id, declineReason: 'OTHER', declineNote: 'x'.repeat(501) } })).data.returnDeclineRequest).toEqual({
				return: null, userErrors: [{ field: ['input', 'declineNote'], message: 'Decline note is too long (maximum is 500 characters)', code: 'TOO_LONG' }],
			});
			expect((await query(DECLINE, { input: { id: gid('Return', 5), declineReason: 'OTHER' } })).data.returnDeclineRequest.userErrors).toEqual([{ field: ['input', 'id'], message: 'Return not found.', code: 'NOT_FOUND' }]);
			expect((await reread(SEEDED.lars.id)).status).toBe('REQUESTED');
		});
	});

	describe('returnRequest', () => {
		it('refuses bad input with Shopify\'s codes and changes nothing', async () => {
			const twoPrints = await orderFacts(SEEDED.twoPrints.order);
			const line = twoPrints.lines['PRT-A4-HARBOUR'];
			const vera = await orderFacts(SEEDED.vera.order);
			const request = async (input: Record<string, unknown>) => (await query(REQUEST, { input })).data.returnRequest;
			const base = { orderId: SEEDED.twoPrints.order };
			expect(await request({ ...base, returnLineItems: [] })).toEqual({ return: null, userErrors: [{ field: ['returnLineItems'], message: 'Return must include at least one line item.', code: 'INVALID' }] });
			expect(await request({ ...base, returnLineItems: [{ fulfillmentLineItemId: line, quantity: 1 }] })).toEqual({ return: null, userErrors: [{ field: ['input', 'returnLineItems', '0', 'returnReason'], message: "Return reason can't be blank", code: 'BLANK' }] });
			expect(await request({ ...base, returnLineItems: [{ fulfillmentLineItemId: line, quantity: 1, returnReasonDefinitionId: gid('ReturnReasonDefinition', 999) }] })).toEqual({ return: null, userErrors: [{ field: ['input', 'returnLineItems', '0', 'returnReasonDefinitionId'], message: 'Return reason definition does not exist.', code: 'NOT_FOUND' }] });
			expect(await request({ orderId: gid('Order', 1), returnLineItems: [{ fulfillmentLineItemId: line, quantity: 1, returnReason: 'UNWANTED' }] })).toEqual({ return: null, userErrors: [{ field: ['input', 'orderId'], message: 'Order does not exist.', code: 'NOT_FOUND' }] });
			// another order's fulfillment line item
			expect(await request({ ...base, returnLineItems: [{ fulfillmentLineItemId: vera.lines['FRM-5070-COAST'], quantity: 1, returnReason: 'UNWANTED' }] })).toEqual({ return: null, userErrors: [{ field: ['input', 'returnLineItems', '0', 'fulfillmentLineItemId'], message: 'Fulfillment line item does not exist.', code: 'NOT_FOUND' }] });
			// two fulfilled, one on the seeded request: two more are too many, and zero is none
			const invalidQuantity = { field: ['input', 'returnLineItems', '0', 'quantity'], message: 'Return line item has an invalid quantity.', code: 'INVALID' };
			expect(await request({ ...base, returnLineItems: [{ fulfillmentLineItemId: line, quantity: 2, returnReason: 'UNWANTED' }] })).toEqual({ return: null, userErrors: [invalidQuantity] });
			expect(await request({ ...base, returnLineItems: [{ fulfillmentLineItemId: line, quantity: 0, returnReason: 'UNWANTED' }] })).toEqual({ return: null, userErrors: [invalidQuantity] });
			expect(await request({ ...base, returnLineItems: [{ fulfillmentLineItemId: line, quantity: 1, returnReason: 'UNWANTED', customerNote: 'n'.repeat(301) }, { fulfillmentLineItemId: line, quantity: 1, returnReason: 'STYLE' }] })).toEqual({
				return: null,
				userErrors: [
					{ field: ['input', 'returnLineItems', '0', 'customerNote'], message: 'Customer note is too long (maximum is 300 characters)', code: 'TOO_LONG' },
					{ field: ['input', 'returnLineItems', '1', 'quantity'], message: 'Return line item has an invalid quantity.', code: 'INVALID' },
				],
			});
			expect((await orderFacts(SEEDED.twoPrints.order)).returns.nodes).toEqual([{ id: SEEDED.twoPrints.id, name: '#1923-R1', status: 'REQUESTED' }]);
		});

		it('requests the last unit, after which nothing is returnable', async () => {
			const line = (await orderFacts(SEEDED.twoPrints.order)).lines['PRT-A4-HARBOUR'];
			const made = (await query(REQUEST, { input: { orderId: SEEDED.twoPrints.order, returnLineItems: [{ fulfillmentLineItemId: line, quantity: 1, returnReason: 'UNWANTED', customerNote: 'The second one too.' }] } })).data.returnRequest;
			expect(made).toMatchObject({ userErrors: [], return: { name: '#1923-R2', status: 'REQUESTED', requestApprovedAt: null, totalQuantity: 1, returnLineItems: { nodes: [{ quantity: 1, processableQuantity: 0, refundableQuantity: 0, returnReason: 'UNWANTED' }] } } });
			const more = (await query(REQUEST, { input: { orderId: SEEDED.twoPrints.order, returnLineItems: [{ fulfillmentLineItemId: line, quantity: 1, returnReason: 'UNWANTED' }] } })).data.returnRequest;
			expect(more.userErrors).toEqual([{ field: ['input', 'returnLineItems', '0', 'quantity'], message: 'Return line item has an invalid quantity.', code: 'INVALID' }]);
		});
	});

	describe('returnCreate', () => {
		it('opens a return at once with an exchange, a restocking fee and a return shipping fee, and unarchives the order', async () => {
			const order = await orderFacts(gid('Order', 5007));
			expect(order).toMatchObject({ name: '#1007', closed: true, returnStatus: 'NO_RETURN' });
			const created = (await query(CREATE, { returnInput: {
				orderId: gid('Order', 5007),
				returnLineItems: [{ fulfillmentLineItemId: order.lines['PRT-A3-FOREST'], quantity: 1, returnReason: 'COLOR', returnReasonNote: 'Darker than on screen', restockingFee: { percentage: 10 } }],
				exchangeLineItems: [{ variantId: VARIANT.a3Harbour, quantity: 1, appliedDiscount: { description: 'Exchange', value: { percentage: 10 } } }],
				returnShippingFee: { amount: { amount: '5.00', currencyCode: 'USD' } },
			} })).data.returnCreate;
			expect(created.userErrors).toEqual([]);
			expect(created.return).toEqual({
				id: expect.stringMatching(/^gid:\/\/shopify\/Return\/\d+$/), name: '#1007-R1', status: 'OPEN', createdAt: expect.any(String), requestApprovedAt: null, closedAt: null, totalQuantity: 1, decline: null,
				order: { id: gid('Order', 5007), closed: false, returnStatus: 'IN_PROGRESS' },
				returnLineItems: { nodes: [{
					id: expect.stringMatching(/^gid:\/\/shopify\/ReturnLineItem\/\d+$/), quantity: 1, processedQuantity: 0, unprocessedQuantity: 1, processableQuantity: 1, refundableQuantity: 1, refundedQuantity: 0, returnReason: 'COLOR',
					customerNote: null, returnReasonNote: 'Darker than on screen', restockingFee: { percentage: 10, amountSet: { shopMoney: { amount: '5.6' } } }, withCodeDiscountedTotalPriceSet: { shopMoney: { amount: '56.0' } },
				}] },
				returnShippingFees: [{ amountSet: { shopMoney: { amount: '5.0', currencyCode: 'USD' } } }],
				exchangeLineItems: { nodes: [{ id: expect.stringMatching(/^gid:\/\/shopify\/ExchangeLineItem\/\d+$/), variantId: VARIANT.a3Harbour, productId: gid('Product', 8002), title: 'Art Print A3', variantTitle: 'Harbour at Dawn', variantSku: 'PRT-A3-HARBOUR', quantity: 1, processedQuantity: 0, processableQuantity: 1, unprocessedQuantity: 1, lineItems: [] }] },
				reverseFulfillmentOrders: { nodes: [{ status: 'OPEN', lineItems: { nodes: [{ id: expect.stringMatching(/^gid:\/\/shopify\/ReverseFulfillmentOrderLineItem\/\d+$/), totalQuantity: 1 }] } }] },
			});
		});

		it('refuses unknown and out-of-stock exchange variants, fees out of range and reasons Shopify wants, changing nothing', async () => {
			const order = await orderFacts(gid('Order', 5005));
			const line = order.lines['LTD-GCL-LAKE'];
			const create = async (returnInput: Record<string, unknown>) => (await query(CREATE, { returnInput: { orderId: gid('Order', 5005), ...returnInput } })).data.returnCreate;
			const ok = { fulfillmentLineItemId: line, quantity: 1, returnReason: 'DEFECTIVE' };
			expect(await create({ returnLineItems: [{ fulfillmentLineItemId: line, quantity: 1 }] })).toEqual({ return: null, userErrors: [{ field: ['returnInput', 'returnLineItems', '0'], message: 'Return line items Either return reason or return reason definition must be provided', code: 'NOT_FOUND' }] });
			expect(await create({ returnLineItems: [{ fulfillmentLineItemId: line, quantity: 1, returnReason: 'OTHER' }] })).toEqual({ return: null, userErrors: [{ field: ['returnInput', 'returnLineItems', '0', 'returnReasonNote'], message: 'Return line items return reason note The note is required when the return reason is "Other"', code: 'BLANK' }] });
			expect(await create({ returnLineItems: [{ ...ok, restockingFee: { percentage: 150 } }] })).toEqual({ return: null, userErrors: [{ field: ['returnInput', 'returnLineItems', '0', 'restockingFee', 'percentage'], message: 'Percentage must be less than or equal to 100', code: 'LESS_THAN_OR_EQUAL_TO' }] });
			expect(await create({ returnLineItems: [ok], exchangeLineItems: [{ variantId: gid('ProductVariant', 1), quantity: 1 }, { variantId: VARIANT.white, quantity: 1 }, { variantId: VARIANT.black, quantity: 5 }] })).toEqual({
				return: null,
				userErrors: [
					{ field: ['returnInput', 'exchangeLineItems', '0', 'variantId'], message: 'Variant does not exist.', code: 'NOT_FOUND' },
					{ field: ['returnInput', 'exchangeLineItems', '1', 'quantity'], message: 'Not enough inventory: 0 of Framed Print 50x70 - Coastal Lines / White frame available, 1 requested.', code: 'INVALID' },
					{ field: ['returnInput', 'exchangeLineItems', '2', 'quantity'], message: 'Not enough inventory: 4 of Framed Print 50x70 - Coastal Lines / Black frame available, 5 requested.', code: 'INVALID' },
				],
			});
			expect(await create({ returnLineItems: [ok], returnShippingFee: { amount: { amount: '-1.00', currencyCode: 'USD' } } })).toEqual({ return: null, userErrors: [{ field: ['returnInput', 'returnShippingFee', 'amount', 'amount'], message: 'Amount must be greater than or equal to 0', code: 'GREATER_THAN_OR_EQUAL_TO' }] });
			expect(await create({ returnLineItems: [ok], returnShippingFee: { amount: { amount: '5.00', currencyCode: 'EUR' } } })).toEqual({ return: null, userErrors: [{ field: ['returnInput', 'returnShippingFee', 'amount', 'currencyCode'], message: "Currency code must be the order's presentment currency, USD", code: 'INVALID' }] });
			expect(await orderFacts(gid('Order', 5005))).toMatchObject({ closed: true, returnStatus: 'NO_RETURN', returns: { nodes: [] } });
			expect(await inventory(VARIANT.black)).toEqual({ inventoryQuantity: 4, availableForSale: true });
		});
	});

	describe('returnProcess', () => {
		it('refunds as store credit, restocks and closes the return; a closed return is not processed again', async () => {
			const before = await inventory(VARIANT.oak);
			expect(before).toEqual({ inventoryQuantity: 6, availableForSale: true });
			const { data } = await query(PROCESS, { input: {
				returnId: SEEDED.vera.id,
				returnLineItems: [{ id: SEEDED.vera.line, quantity: 1, dispositions: [{ reverseFulfillmentOrderLineItemId: gid('ReverseFulfillmentOrderLineItem', 97501), quantity: 1, dispositionType: 'RESTOCKED', locationId: LOCATION }] }],
				financialTransfer: { issueRefund: { orderTransactions: [], refundMethods: [{ storeCreditRefund: { amount: { amount: '189.00', currencyCode: 'USD' } } }] } },
				note: 'Store credit for the returned frame',
				notifyCustomer: false,
			} });
			const processed = data.returnProcess;
			expect(processed.userErrors).toEqual([]);
			// answered before Shopify closes it: still OPEN in the payload
			expect(processed.return).toMatchObject({
				status: 'OPEN', closedAt: null, order: { returnStatus: 'IN_PROGRESS' },
				returnLineItems: { nodes: [{ quantity: 1, processedQuantity: 1, unprocessedQuantity: 0, processableQuantity: 0, refundedQuantity: 1, refundableQuantity: 0 }] },
				refunds: { nodes: [{ totalRefundedSet: { shopMoney: { amount: '189.0' } } }] },
			});
			const read = await reread(SEEDED.vera.id);
			expect(read).toMatchObject({ status: 'CLOSED', order: { returnStatus: 'RETURNED' }, reverseFulfillmentOrders: { nodes: [{ status: 'CLOSED', lineItems: { nodes: [{ totalQuantity: 1, dispositions: [{ type: 'RESTOCKED', quantity: 1, location: { id: LOCATION } }] }] } }] } });
			expect(Date.parse(read.closedAt)).toBeGreaterThan(Date.now() - 60_000);
			expect(await inventory(VARIANT.oak)).toEqual({ inventoryQuantity: 7, availableForSale: true });

			const customer = (await query(`{ customer(id: "${gid('Customer', 1001)}") { storeCreditAccounts(first: 5) { nodes { balance { amount currencyCode } transactions(first: 5) { nodes { amount { amount } ... on StoreCreditAccountCreditTransaction { event } } } } } } }`)).data.customer;
			expect(customer.storeCreditAccounts.nodes).toEqual([{ balance: { amount: '189.0', currencyCode: 'USD' }, transactions: { nodes: [{ amount: { amount: '189.0' }, event: 'ORDER_REFUND' }] } }]);
			const order = (await query(`{ order(id: "${SEEDED.vera.order}") { displayFinancialStatus totalRefundedSet { shopMoney { amount } } refunds { note totalRefundedSet { shopMoney { amount } } return { id } refundLineItems(first: 5) { nodes { quantity restockType } } } } }`)).data.order;
			expect(order).toEqual({ displayFinancialStatus: 'REFUNDED', totalRefundedSet: { shopMoney: { amount: '189.0' } }, refunds: [{ note: 'Store credit for the returned frame', totalRefundedSet: { shopMoney: { amount: '189.0' } }, return: { id: SEEDED.vera.id }, refundLineItems: { nodes: [{ quantity: 1, restockType: 'RETURN' }] } }] });

			const again = (await query(PROCESS, { input: { returnId: SEEDED.vera.id, returnLineItems: [{ id: SEEDED.vera.line, quantity: 1 }] } })).data.returnProcess;
			expect(again).toEqual({ return: null, userErrors: [{ field: ['input', 'returnId'], message: 'Return is not processable. Only returns with status OPEN can be processed.', code: 'INVALID_STATE' }] });
			const state = await standin<{ storeCreditAccounts: Array<{ ownerId: string; balance: { amount: string } }>; mutationLog: Array<{ mutation: string }> }>('shopify', '/__standin/state');
			expect(state.storeCreditAccounts).toEqual([expect.objectContaining({ ownerId: gid('Customer', 1001), balance: { amount: '189.0', currencyCode: 'USD' } })]);
			expect(state.mutationLog.map((entry) => entry.mutation)).not.toContain('refundCreate');
		});

		it('processes a return line and its exchange once: the same quantities a second time are refused by the processable quantity', async () => {
			const order = await orderFacts(gid('Order', 5007));
			const ret = (await query(`{ return(id: "${order.returns.nodes[0].id}") { returnLineItems(first: 5) { nodes { id } } exchangeLineItems(first: 5) { nodes { id } } } }`)).data.return;
			const input = { returnId: order.returns.nodes[0].id, returnLineItems: [{ id: ret.returnLineItems.nodes[0].id, quantity: 1 }], exchangeLineItems: [{ id: ret.exchangeLineItems.nodes[0].id, quantity: 1 }] };
			expect(await inventory(VARIANT.a3Harbour)).toEqual({ inventoryQuantity: 8, availableForSale: true });
			const first = (await query(PROCESS, { input })).data.returnProcess;
			expect(first.userErrors).toEqual([]);
			expect(first.return.returnLineItems.nodes[0]).toMatchObject({ processedQuantity: 1, processableQuantity: 0, refundedQuantity: 0 });
			expect(await inventory(VARIANT.a3Harbour)).toEqual({ inventoryQuantity: 7, availableForSale: true });

			const second = (await query(PROCESS, { input })).data.returnProcess;
			expect(second).toEqual({
				return: null,
				userErrors: [
					{ field: ['input', 'returnLineItems', '0', 'quantity'], message: 'Quantity is not processable. The processable quantity is 0.', code: 'INVALID' },
					{ field: ['input', 'exchangeLineItems', '0', 'quantity'], message: 'Quantity is not processable. The processable quantity is 0.', code: 'INVALID' },
				],
			});
			// no disposition yet: the return stays OPEN until it gets one or returnClose closes it
			const read = (await query(`{ return(id: "${input.returnId}") { status exchangeLineItems(first: 2) { nodes { processedQuantity processableQuantity lineItems { sku quantity variant { id } } } } order { returnStatus displayFulfillmentStatus lineItems(first: 5) { nodes { sku } } } } }`)).data.return;
			expect(read).toEqual({
				status: 'OPEN',
				exchangeLineItems: { nodes: [{ processedQuantity: 1, processableQuantity: 0, lineItems: [{ sku: 'PRT-A3-HARBOUR', quantity: 1, variant: { id: VARIANT.a3Harbour } }] }] },
				order: { returnStatus: 'IN_PROGRESS', displayFulfillmentStatus: 'PARTIALLY_FULFILLED', lineItems: { nodes: [{ sku: 'PRT-A3-FOREST' }, { sku: 'PRT-A3-HARBOUR' }] } },
			});
			expect(await inventory(VARIANT.a3Harbour)).toEqual({ inventoryQuantity: 7, availableForSale: true });
		});

		it('refuses an over-refund, a restock without a location, a requested return and unknown lines, changing nothing; then refunds to the card', async () => {
			const order = await orderFacts(SEEDED.lars.order);
			expect(order.transactions).toEqual([{ id: order.sale, kind: 'SALE', amountSet: { shopMoney: { amount: '265.0' } } }]);
			const process = async (input: Record<string, unknown>) => (await query(PROCESS, { input: { returnId: SEEDED.lars.id, ...input } })).data.returnProcess;
			const line = { id: SEEDED.lars.line, quantity: 1 };
			expect(await process({ returnLineItems: [line] })).toEqual({ return: null, userErrors: [{ field: ['input', 'returnId'], message: 'Return is not processable. Only returns with status OPEN can be processed.', code: 'INVALID_STATE' }] });
			const approved = (await query(APPROVE, { input: { id: SEEDED.lars.id } })).data.returnApproveRequest.return;
			const reverseLine = approved.reverseFulfillmentOrders.nodes[0].lineItems.nodes[0].id;

			const refund = (amount: string, extra: Record<string, unknown> = {}) => ({ financialTransfer: { issueRefund: { orderTransactions: [{ parentId: order.sale, transactionAmount: { amount, currencyCode: 'USD' } }], ...extra } } });
			expect(await process({ returnLineItems: [line], ...refund('300.00') })).toEqual({ return: null, userErrors: [{ field: ['input', 'financialTransfer', 'issueRefund', 'orderTransactions', '0', 'transactionAmount', 'amount'], message: `Refund amount $300.00 is greater than the refundable amount $265.00 of transaction ${order.sale}`, code: 'INVALID' }] });
			expect(await process({ returnLineItems: [line], ...refund('200.00', { refundMethods: [{ storeCreditRefund: { amount: { amount: '100.00', currencyCode: 'USD' } } }] }) })).toEqual({ return: null, userErrors: [{ field: ['input', 'financialTransfer', 'issueRefund'], message: 'Refund amount $300.00 is greater than net payment received $265.00', code: 'INVALID' }] });
			expect(await process({ returnLineItems: [{ ...line, dispositions: [{ reverseFulfillmentOrderLineItemId: reverseLine, quantity: 1, dispositionType: 'RESTOCKED' }] }] })).toEqual({ return: null, userErrors: [{ field: ['input', 'returnLineItems', '0', 'dispositions', '0', 'locationId'], message: 'Location is required when the disposition type is RESTOCKED.', code: 'BLANK' }] });
			expect(await process({ returnLineItems: [{ ...line, dispositions: [{ reverseFulfillmentOrderLineItemId: gid('ReverseFulfillmentOrderLineItem', 97501), quantity: 1, dispositionType: 'NOT_RESTOCKED' }] }] })).toEqual({ return: null, userErrors: [{ field: ['input', 'returnLineItems', '0', 'dispositions', '0', 'reverseFulfillmentOrderLineItemId'], message: 'Reverse fulfillment order line item was not found.', code: 'NOT_FOUND' }] });
			expect(await process({ returnLineItems: [{ id: SEEDED.vera.line, quantity: 1 }, { id: SEEDED.lars.line, quantity: 2 }] })).toEqual({
				return: null,
				userErrors: [
					{ field: ['input', 'returnLineItems', '0', 'id'], message: 'Return line item does not exist.', code: 'NOT_FOUND' },
					{ field: ['input', 'returnLineItems', '1', 'quantity'], message: 'Quantity is not processable. The processable quantity is 1.', code: 'INVALID' },
				],
			});
			expect(await process({})).toEqual({ return: null, userErrors: [{ field: ['input', 'returnLineItems'], message: 'Return line items or exchange line items are required.', code: 'BLANK' }] });
			expect((await reread(SEEDED.lars.id)).returnLineItems.nodes[0]).toMatchObject({ processedQuantity: 0, processableQuantity: 1, refundedQuantity: 0 });
			expect(await orderFacts(SEEDED.lars.order)).toMatchObject({ displayFinancialStatus: 'PAID', totalRefundedSet: { shopMoney: { amount: '0.0' } } });

			const done = await process({ returnLineItems: [{ ...line, dispositions: [{ reverseFulfillmentOrderLineItemId: reverseLine, quantity: 1, dispositionType: 'RESTOCKED', locationId: LOCATION }] }], ...refund('265.00'), refundShipping: { fullRefund: true } });
			expect(done.userErrors).toEqual([]);
			expect(done.return.refunds.nodes).toEqual([{ totalRefundedSet: { shopMoney: { amount: '265.0' } } }]);
			const after = await orderFacts(SEEDED.lars.order);
			expect(after).toMatchObject({ displayFinancialStatus: 'REFUNDED', totalRefundedSet: { shopMoney: { amount: '265.0' } }, returnStatus: 'RETURNED' });
			expect(after.transactions.map((one: any) => [one.kind, one.amountSet.shopMoney.amount])).toEqual([['SALE', '265.0'], ['REFUND', '265.0']]);
			// made to order (inventoryPolicy CONTINUE): the restocked canvas is one in stock
			expect(await inventory(VARIANT.canvasBloom)).toEqual({ inventoryQuantity: 1, availableForSale: true });
		});
	});

	describe('returnClose, returnReopen, returnCancel and Order.returnStatus', () => {
		it('moves an order\'s returnStatus through requested, in progress, returned and no return, and finds it by return_status', async () => {
			const orderId = gid('Order', 5002);
			const order = await orderFacts(orderId);
			const request = async (sku: string) => (await query(REQUEST, { input: { orderId, returnLineItems: [{ fulfillmentLineItemId: order.lines[sku], quantity: 1, returnReason: 'UNWANTED' }] } })).data.returnRequest.return;
			const byStatus = async (status: string) => (await query(`{ orders(first: 50, query: "return_status:${status}") { nodes { name } } }`)).data.orders.nodes.map((one: any) => one.name);
			const steps: string[] = [await returnStatusOf(orderId)];

			const print = await request('PRT-A4-HARBOUR');
			steps.push(print.order.returnStatus);
			expect(await byStatus('return_requested')).toContain('#1002');
			// a REQUESTED return is neither closed nor canceled
			expect((await query(CLOSE, { id: print.id })).data.returnClose).toEqual({ return: null, userErrors: [{ field: ['id'], message: 'Return status is invalid.', code: 'INVALID_STATE' }] });
			expect((await query(CANCEL, { id: print.id })).data.returnCancel).toEqual({ return: null, userErrors: [{ field: ['id'], message: 'Return is not cancelable.', code: 'INVALID_STATE' }] });
			steps.push((await query(APPROVE, { input: { id: print.id } })).data.returnApproveRequest.return.order.returnStatus);
			expect(await byStatus('in_progress')).toContain('#1002');

			const cards = await request('CRD-SET-BOTAN');
			steps.push(cards.order.returnStatus);
			steps.push((await query(DECLINE, { input: { id: cards.id, declineReason: 'FINAL_SALE' } })).data.returnDeclineRequest.return.order.returnStatus);
			const closed = (await query(CLOSE, { id: print.id })).data.returnClose;
			steps.push(closed.return.order.returnStatus);
			expect(closed.return.status).toBe('CLOSED');
			expect(await byStatus('returned')).toContain('#1002');
			// closing a CLOSED return changes nothing
			expect((await query(CLOSE, { id: print.id })).data.returnClose).toEqual({ return: { id: print.id, status: 'CLOSED', closedAt: closed.return.closedAt, order: { returnStatus: 'RETURNED' } }, userErrors: [] });
			steps.push((await query(REOPEN, { id: print.id })).data.returnReopen.return.order.returnStatus);
			const canceled = (await query(CANCEL, { id: print.id })).data.returnCancel;
			expect(canceled).toEqual({ return: { id: print.id, status: 'CANCELED', order: { returnStatus: 'NO_RETURN' } }, userErrors: [] });
			steps.push(canceled.return.order.returnStatus);
			expect(steps).toEqual(['NO_RETURN', 'RETURN_REQUESTED', 'IN_PROGRESS', 'RETURN_REQUESTED', 'IN_PROGRESS', 'RETURNED', 'IN_PROGRESS', 'NO_RETURN']);
			// canceled and declined returns give their units back
			expect((await request('PRT-A4-HARBOUR')).name).toBe('#1002-R3');
			const { data } = await query(`{ order(id: "${orderId}") { returns(first: 10, query: "status:REQUESTED") { nodes { name } } all: returns(first: 10) { nodes { name status } } } }`);
			expect(data.order).toEqual({ returns: { nodes: [{ name: '#1002-R3' }] }, all: { nodes: [{ name: '#1002-R1', status: 'CANCELED' }, { name: '#1002-R2', status: 'DECLINED' }, { name: '#1002-R3', status: 'REQUESTED' }] } });
		});

		it('refuses to cancel a return once work was done on it, and answers unknown returns NOT_FOUND', async () => {
			expect((await query(CANCEL, { id: SEEDED.vera.id })).data.returnCancel.userErrors).toEqual([{ field: ['id'], message: 'Return is not cancelable.', code: 'INVALID_STATE' }]);
			const open = (await orderFacts(gid('Order', 5007))).returns.nodes[0].id;
			expect((await query(CANCEL, { id: open })).data.returnCancel.userErrors).toEqual([{ field: ['id'], message: 'Return is not cancelable.', code: 'INVALID_STATE' }]);
			for (const mutation of [CLOSE, REOPEN, CANCEL]) {
				const payload = Object.values((await query(mutation, { id: gid('Return', 3) })).data)[0];
				expect(payload).toEqual({ return: null, userErrors: [{ field: ['id'], message: 'Return not found.', code: 'NOT_FOUND' }] });
			}
		});
	});

	describe('scopes and cost', () => {
		afterAll(() => standin('shopify', '/__standin/access-scopes', { method: 'POST', body: JSON.stringify({ scopes: 'default' }) }));

		it('refuses every return mutation without write_returns, changing nothing', async () => {
			await standin('shopify', '/__standin/access-scopes', { method: 'POST', body: JSON.stringify({ scopes: ['read_orders', 'read_returns', 'read_products'] }) });
			const error = await rejectionOf<GraphqlQueryError>(query(APPROVE, { input: { id: SEEDED.rory.id } }));
			expect((error.body as any).errors.graphQLErrors).toEqual([expect.objectContaining({ message: 'Access denied for returnApproveRequest field. Required access: `write_returns` access scope.', extensions: expect.objectContaining({ code: 'ACCESS_DENIED' }) })]);
			await standin('shopify', '/__standin/access-scopes', { method: 'POST', body: JSON.stringify({ scopes: 'default' }) });
			expect((await reread(SEEDED.rory.id)).status).toBe('REQUESTED');
		});

		it('prices return connections like every other connection', async () => {
			const orderReturns = await query(`{ order(id: "${SEEDED.rory.order}") { returns(first: 5) { nodes { id } } } }`);
			expect(orderReturns.extensions.cost.requestedQueryCost).toBe(1 + 2 + 5);
			const lines = await query(`{ return(id: "${SEEDED.rory.id}") { returnLineItems(first: 10) { nodes { ... on ReturnLineItem { fulfillmentLineItem { id } } } } reverseFulfillmentOrders(first: 2) { nodes { id } } } }`);
			expect(lines.extensions.cost).toMatchObject({ requestedQueryCost: 1 + (2 + 10 * 2) + (2 + 2), actualQueryCost: 1 + (2 + 2) + 2 });
		});
	});

	describe('the return-request generator', () => {
		afterAll(() => standin('shopify', '/__standin/return-requests', { method: 'POST', body: JSON.stringify({ count: 0 }) }));

		it('adds N deterministic requests, a few serial returners among them, and keeps them through a reset', async () => {
			type Answer = { returnRequests: number; returns: { total: number; byStatus: Record<string, number>; generatedRequests: number } };
			const made = await standin<Answer>('shopify', '/__standin/return-requests', { method: 'POST', body: JSON.stringify({ count: 40 }) });
			expect(made).toEqual({ returnRequests: 40, returns: { total: 50, byStatus: { REQUESTED: 46, CLOSED: 4 }, generatedRequests: 40 } });
			const REQUESTED_ORDERS = `orders(first: 50, query: "return_status:return_requested") { nodes { name customer { id } shippingAddress { countryCodeV2 } returns(first: 1) { nodes { name createdAt returnLineItems(first: 2) { nodes { ... on ReturnLineItem { returnReason } } } } } } }`;
			const { data } = await query(`{ requested: ordersCount(query: "return_status:return_requested") { count } returned: orders(first: 10, query: "return_status:returned") { nodes { customer { id } } } ${REQUESTED_ORDERS} }`);
			expect(data.requested.count).toBe(46);
			// one serial returner: four refunded, closed returns in the last 365 days and a new request
			expect(data.returned.nodes).toHaveLength(4);
			const serial = data.returned.nodes[0].customer.id;
			expect(new Set(data.returned.nodes.map((order: any) => order.customer.id))).toEqual(new Set([serial]));
			const history = (await query(`{ customer(id: "${serial}") { orders(first: 20) { nodes { returns(first: 5) { nodes { status createdAt refunds(first: 2) { nodes { id } } } } } } } }`)).data.customer.orders.nodes.flatMap((order: any) => order.returns.nodes);
			expect(history.map((ret: any) => ret.status).sort()).toEqual(['CLOSED', 'CLOSED', 'CLOSED', 'CLOSED', 'REQUESTED']);
			expect(history.every((ret: any) => Date.parse(ret.createdAt) > Date.parse(fromAnchor(-365)))).toBe(true);
			expect(history.filter((ret: any) => ret.status === 'CLOSED').every((ret: any) => ret.refunds.nodes.length === 1)).toBe(true);
			const reasons = new Set(data.orders.nodes.flatMap((order: any) => order.returns.nodes.flatMap((ret: any) => ret.returnLineItems.nodes.map((line: any) => line.returnReason))));
			expect(reasons.size).toBeGreaterThanOrEqual(8);
			expect(data.orders.nodes.filter((order: any) => order.shippingAddress.countryCodeV2 !== 'US').length).toBeGreaterThanOrEqual(4);
			const again = await standin<Answer>('shopify', '/__standin/reset', { method: 'POST' });
			expect(again).toMatchObject({ reset: true });
			await setShopifyBucket(2000);
			const second = await query(`{ ${REQUESTED_ORDERS} }`);
			expect(second.data.orders.nodes).toEqual(data.orders.nodes);
			const state = await standin<{ returns: Answer['returns'] }>('shopify', '/__standin/state');
			expect(state.returns).toEqual(made.returns);
		});
	});
});

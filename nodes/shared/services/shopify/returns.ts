/**
 * Shopify returns (Admin API Returns objects): the requested returns of a store, a return with everything its
 * decision reads (order, customer, lines, product tags, variants to exchange for, delivery), a customer's
 * returns over a year, and the return mutations: approve, decline, process. Each mutation is sent once
 * (`once`): a retry is the caller's, after reading the return's state and quantities again.
 */
import type { ReturnReason, ReturnStatus, StoredReturn } from '../../contract/returnRequest';
import { moneyFromDecimal, moneyToDecimal, type Money } from '../../money';
import { paceByCost, userErrorsToApiError, type QueryCost, type ShopifyService } from './client';

interface MoneyBag {
	shopMoney: { amount: string; currencyCode: string };
	presentmentMoney?: { amount: string; currencyCode: string } | null;
}
type UserError = { code: string | null; message: string; field: string[] | null };

/** Returns per request: a return with its order, lines and the variants to exchange for asks for about 350 points. */
const RETURNS_PER_REQUEST = 2;
/** Orders per page of the requested-returns search. */
const ORDERS_PER_PAGE = 40;

/** What a return decision reads of the order: where it went, the customer, the payments, the parcels, other returns. */
const ORDER_FIELDS = `id name tags currencyCode
		totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
		shippingAddress { countryCodeV2 } billingAddress { countryCodeV2 }
		totalShippingPriceSet { shopMoney { amount currencyCode } }
		customer { id email displayName tags }
		transactions(first: 10) { id kind status gateway amountSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } }
		fulfillments(first: 5) { createdAt deliveredAt location { id } fulfillmentLineItems(first: 10) { nodes { id } } }
		returns(first: 10) { nodes { id status } }`;

/** A fulfilled line as a return reads it: the item, its price, its product's tags and the variants to exchange for. */
const FULFILLMENT_LINE_FIELDS = `id
					lineItem {
						title variantTitle
						discountedUnitPriceAfterAllDiscountsSet { shopMoney { amount currencyCode } }
						variant { id }
						product { productType tags variants(first: 10) { nodes { id title inventoryQuantity price } } }
					}`;

const RETURN_FIELDS = `id name status createdAt
	order { ${ORDER_FIELDS} }
	returnLineItems(first: 10) {
		nodes {
			... on ReturnLineItem {
				id quantity returnReason returnReasonNote customerNote
				processableQuantity processedQuantity refundableQuantity refundedQuantity
				fulfillmentLineItem { ${FULFILLMENT_LINE_FIELDS} }
			}
		}
	}
	exchangeLineItems(first: 10) { nodes { id variantId quantity processableQuantity } }
	reverseFulfillmentOrders(first: 2) { nodes { lineItems(first: 10) { nodes { id fulfillmentLineItem { id } } } } }
	refunds(first: 5) { nodes { totalRefundedSet { shopMoney { amount currencyCode } } } }`;

type FulfillmentLineNode = {
	id: string;
	lineItem: {
		title: string;
		variantTitle: string | null;
		discountedUnitPriceAfterAllDiscountsSet: MoneyBag;
		variant: { id: string } | null;
		product: { productType: string; tags: string[]; variants: { nodes: Array<{ id: string; title: string; inventoryQuantity: number | null; price: string }> } } | null;
	};
};

interface OrderNode {
	id: string;
	name: string;
	tags: string[];
	currencyCode: string;
	totalPriceSet: MoneyBag;
	shippingAddress: { countryCodeV2: string | null } | null;
	billingAddress: { countryCodeV2: string | null } | null;
	totalShippingPriceSet: MoneyBag;
	customer: { id: string; email: string | null; displayName: string; tags: string[] } | null;
	transactions: Array<{ id: string; kind: string; status: string; gateway: string | null; amountSet: MoneyBag }>;
	fulfillments: Array<{ createdAt: string | null; deliveredAt: string | null; location: { id: string } | null; fulfillmentLineItems: { nodes: Array<{ id: string }> } }>;
	returns: { nodes: Array<{ id: string; status: ReturnStatus }> };
}

interface ReturnNode {
	id: string;
	name: string;
	status: ReturnStatus;
	createdAt: string;
	order: OrderNode;
	returnLineItems: {
		nodes: Array<{
			id?: string;
			quantity: number;
			returnReason: ReturnReason;
			returnReasonNote: string;
			customerNote: string | null;
			processableQuantity: number;
			processedQuantity: number;
			refundableQuantity: number;
			refundedQuantity: number;
			fulfillmentLineItem: FulfillmentLineNode;
		}>;
	};
	exchangeLineItems: { nodes: Array<{ id: string; variantId: string | null; quantity: number; processableQuantity: number }> };
	reverseFulfillmentOrders: { nodes: Array<{ lineItems: { nodes: Array<{ id: string; fulfillmentLineItem: { id: string } | null }> } }> };
	refunds: { nodes: Array<{ totalRefundedSet: MoneyBag }> };
}

const moneyOf = (bag: MoneyBag): Money => moneyFromDecimal(bag.shopMoney.amount, bag.shopMoney.currencyCode);
/** Still a return on the order: declined and canceled requests are not. */
const LIVE_RETURN: ReadonlySet<ReturnStatus> = new Set<ReturnStatus>(['REQUESTED', 'OPEN', 'CLOSED']);
const latest = (dates: Array<string | null>) => dates.filter((date): date is string => !!date).sort().at(-1);

/** A line coming back, as the decision reads it: the fulfilled item, its price and product, and why. */
export interface ReturningLine {
	id: string;
	fulfillmentLineItem: FulfillmentLineNode;
	quantity: number;
	reason: ReturnReason;
	note?: string;
}

/**
 * The request of these lines on this order (amounts in the shop's currency, as the order's transactions are): the
 * parcels that carried them give the delivery, the order its country, customer and payments.
 */
function requestOf(order: OrderNode, lines: ReturningLine[], request: { returnId?: string; source: 'shopify_return' | 'ticket'; requestedAt: Date }): Pick<StoredReturn, 'request' | 'saleTransactions' | 'restockLocationId' | 'presentment'> {
	const currency = order.currencyCode;
	const returnedFulfillmentLines = new Set(lines.map((line) => line.fulfillmentLineItem.id));
	// the parcels that carried the returned lines: the latest delivery among them starts the window
	const parcels = order.fulfillments.filter((parcel) => parcel.fulfillmentLineItems.nodes.some((item) => returnedFulfillmentLines.has(item.id)));
	const deliveredAt = parcels.length && parcels.every((parcel) => parcel.deliveredAt) ? latest(parcels.map((parcel) => parcel.deliveredAt)) : undefined;
	const fulfilledAt = latest(parcels.map((parcel) => parcel.createdAt));
	const countryCode = order.shippingAddress?.countryCodeV2 ?? order.billingAddress?.countryCodeV2 ?? undefined;
	const location = parcels.find((parcel) => parcel.location)?.location;
	const paid = order.totalPriceSet.presentmentMoney;
	const presentment = paid ? moneyFromDecimal(paid.amount, paid.currencyCode) : undefined;
	return {
		request: {
			...(request.returnId ? { returnId: request.returnId } : {}),
			source: request.source,
			orderId: order.id,
			orderName: order.name,
			orderTags: order.tags,
			...(countryCode ? { countryCode } : {}),
			currency,
			...(deliveredAt ? { deliveredAt: new Date(deliveredAt) } : {}),
			...(fulfilledAt ? { fulfilledAt: new Date(fulfilledAt) } : {}),
			requestedAt: request.requestedAt,
			shippingPaid: moneyOf(order.totalShippingPriceSet),
			customer: order.customer
				? { id: order.customer.id, ...(order.customer.email ? { email: order.customer.email } : {}), name: order.customer.displayName, tags: order.customer.tags }
				: { tags: [] },
			otherReturnsOnOrder: order.returns.nodes.filter((other) => other.id !== request.returnId && LIVE_RETURN.has(other.status)).length,
			lines: lines.map((line) => {
				const item = line.fulfillmentLineItem.lineItem;
				return {
					id: line.id,
					fulfillmentLineItemId: line.fulfillmentLineItem.id,
					title: item.title,
					...(item.variantTitle ? { variantTitle: item.variantTitle } : {}),
					...(item.variant ? { variantId: item.variant.id } : {}),
					...(item.product ? { productType: item.product.productType } : {}),
					productTags: item.product?.tags ?? [],
					quantity: line.quantity,
					unitPrice: moneyOf(item.discountedUnitPriceAfterAllDiscountsSet),
					reason: line.reason,
					...(line.note ? { note: line.note } : {}),
					exchangeVariants: (item.product?.variants.nodes ?? []).map((variant) => ({
						variantId: variant.id,
						title: variant.title,
						available: variant.inventoryQuantity ?? 0,
						price: moneyFromDecimal(variant.price, currency),
					})),
				};
			}),
		},
		saleTransactions: order.transactions
			.filter((transaction) => (transaction.kind === 'SALE' || transaction.kind === 'CAPTURE') && transaction.status === 'SUCCESS')
			.map((transaction) => ({
				id: transaction.id,
				amount: moneyOf(transaction.amountSet),
				...(transaction.amountSet.presentmentMoney ? { presentmentAmount: moneyFromDecimal(transaction.amountSet.presentmentMoney.amount, transaction.amountSet.presentmentMoney.currencyCode) } : {}),
				...(transaction.gateway ? { gateway: transaction.gateway } : {}),
			})),
		...(location ? { restockLocationId: location.id } : {}),
		...(presentment && presentment.currency !== currency ? { presentment: { shopTotal: moneyOf(order.totalPriceSet), presentmentTotal: presentment } } : {}),
	};
}

/** The domain shape of a return node. */
function storedReturn(node: ReturnNode): StoredReturn {
	const lines = node.returnLineItems.nodes.filter((line): line is typeof line & { id: string } => !!line.id);
	const reverseLineOf = new Map(node.reverseFulfillmentOrders.nodes.flatMap((reverse) => reverse.lineItems.nodes.flatMap((line) => (line.fulfillmentLineItem ? [[line.fulfillmentLineItem.id, line.id] as const] : []))));
	const refunded = node.refunds.nodes.reduce((sum, refund) => sum + moneyOf(refund.totalRefundedSet).cents, 0);
	const returning = lines.map((line) => {
		const note = [line.returnReasonNote, line.customerNote].map((text) => (text ?? '').trim()).filter(Boolean).join(' / ');
		return { id: line.id, fulfillmentLineItem: line.fulfillmentLineItem, quantity: line.quantity, reason: line.returnReason, ...(note ? { note } : {}) };
	});
	return {
		...requestOf(node.order, returning, { returnId: node.id, source: 'shopify_return', requestedAt: new Date(node.createdAt) }),
		status: node.status,
		name: node.name,
		quantities: Object.fromEntries(
			lines.map((line) => {
				const reverseLineItemId = reverseLineOf.get(line.fulfillmentLineItem.id);
				return [line.id, { processable: line.processableQuantity, processed: line.processedQuantity, refundable: line.refundableQuantity, refunded: line.refundedQuantity, ...(reverseLineItemId ? { reverseLineItemId } : {}) }];
			}),
		),
		exchangeLineItems: node.exchangeLineItems.nodes.map((item) => ({ id: item.id, ...(item.variantId ? { variantId: item.variantId } : {}), quantity: item.quantity, processable: item.processableQuantity })),
		refunded: { cents: refunded, currency: node.order.currencyCode },
	};
}

/** Returns by id (GIDs), RETURNS_PER_REQUEST a request paced by the cost bucket; an id Shopify does not know is left out. */
export async function returnsById(shopify: ShopifyService, ids: string[]): Promise<Map<string, StoredReturn>> {
	const found = new Map<string, StoredReturn>();
	const unique = [...new Set(ids)];
	for (let i = 0; i < unique.length; i += RETURNS_PER_REQUEST) {
		const { data, cost }: { data: { nodes: Array<ReturnNode | null> }; cost?: QueryCost } = await shopify.query(
			`query CxReturns($ids: [ID!]!) {\n\tnodes(ids: $ids) {\n\t\t... on Return {\n${RETURN_FIELDS}\n\t\t}\n\t}\n}`,
			{ ids: unique.slice(i, i + RETURNS_PER_REQUEST) },
		);
		for (const node of data.nodes) if (node?.id) found.set(node.id, storedReturn(node));
		await paceByCost(cost);
	}
	return found;
}

/** The ids of every return waiting for the store's answer (REQUESTED), oldest order first. */
export async function requestedReturnIds(shopify: ShopifyService): Promise<string[]> {
	const ids: string[] = [];
	let after: string | null = null;
	do {
		const { data, cost }: { data: { orders: { nodes: Array<{ returns: { nodes: Array<{ id: string; status: ReturnStatus }> } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }; cost?: QueryCost } = await shopify.query(
			`query CxRequestedReturns($after: String) {
	orders(first: ${ORDERS_PER_PAGE}, after: $after, sortKey: PROCESSED_AT, query: "return_status:return_requested") {
		nodes { returns(first: 10) { nodes { id status } } }
		pageInfo { hasNextPage endCursor }
	}
}`,
			{ after },
		);
		for (const order of data.orders.nodes) for (const request of order.returns.nodes) if (request.status === 'REQUESTED') ids.push(request.id);
		after = data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null;
		await paceByCost(cost);
	} while (after);
	return ids;
}

/**
 * A customer's returns over a year: how many (declined and canceled ones aside), the money refunded on the orders
 * they returned from (what their returns cost the store), and what the customer spent.
 */
export interface CustomerReturns {
	returnsCount: number;
	returnedValue: Money;
	spentValue: Money;
}

/** Orders of a customer read per request for the history (about 10 points each); a customer with more is read page by page. */
const HISTORY_ORDERS_PER_PAGE = 50;

/** A customer's year of returns, with the ids of the returns counted (so the one being decided can be left out). */
export type CustomerReturnHistory = CustomerReturns & { returnIds: string[] };

/** Each customer's orders processed since `since`, with their returns (the return being decided is left out by the caller). */
export async function customerReturnHistory(shopify: ShopifyService, customerIds: string[], since: Date, currency: string): Promise<Map<string, CustomerReturnHistory>> {
	const history = new Map<string, CustomerReturnHistory>();
	for (const customerId of [...new Set(customerIds)]) {
		const numeric = customerId.slice(customerId.lastIndexOf('/') + 1);
		let after: string | null = null;
		const entry = { returnsCount: 0, returnedValue: { cents: 0, currency }, spentValue: { cents: 0, currency }, returnIds: [] as string[] };
		do {
			type Page = {
				orders: {
					nodes: Array<{ totalPriceSet: MoneyBag; totalRefundedSet: MoneyBag; returns: { nodes: Array<{ id: string; status: ReturnStatus }> } }>;
					pageInfo: { hasNextPage: boolean; endCursor: string | null };
				};
			};
			const { data, cost }: { data: Page; cost?: QueryCost } = await shopify.query(
				`query CxCustomerReturns($query: String!, $after: String) {
	orders(first: ${HISTORY_ORDERS_PER_PAGE}, after: $after, query: $query) {
		nodes { totalPriceSet { shopMoney { amount currencyCode } } totalRefundedSet { shopMoney { amount currencyCode } } returns(first: 5) { nodes { id status } } }
		pageInfo { hasNextPage endCursor }
	}
}`,
				{ query: `customer_id:${numeric} AND processed_at:>=${since.toISOString().slice(0, 10)}`, after },
			);
			for (const order of data.orders.nodes) {
				const spent = moneyOf(order.totalPriceSet);
				// another currency's amounts are not added to this one's: the thresholds are shares and counts
				if (spent.currency === currency) entry.spentValue.cents += spent.cents;
				const live = order.returns.nodes.filter((request) => LIVE_RETURN.has(request.status));
				entry.returnsCount += live.length;
				entry.returnIds.push(...live.map((request) => request.id));
				const refunded = moneyOf(order.totalRefundedSet);
				if (live.length && refunded.currency === currency) entry.returnedValue.cents += refunded.cents;
			}
			after = data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null;
			await paceByCost(cost);
		} while (after);
		history.set(customerId, entry);
	}
	return history;
}

/** A return's status now (one point): what the desk checks before it answers a request. */
export async function returnStatusOf(shopify: ShopifyService, returnId: string): Promise<ReturnStatus | undefined> {
	const { data } = await shopify.query<{ return: { status: ReturnStatus } | null }>(`query CxReturnStatus($id: ID!) { return(id: $id) { status } }`, { id: returnId });
	return data.return?.status;
}

/** Approves a requested return (REQUESTED -> OPEN); Shopify's own notification stays off: the desk's email tells the customer. */
export async function approveReturn(shopify: ShopifyService, returnId: string): Promise<ReturnStatus> {
	const { data } = await shopify.query<{ returnApproveRequest: { return: { status: ReturnStatus } | null; userErrors: UserError[] } }>(
		`mutation CxReturnApprove($input: ReturnApproveRequestInput!) { returnApproveRequest(input: $input) { return { status } userErrors { code field message } } }`,
		{ input: { id: returnId, notifyCustomer: false } },
		{ once: true },
	);
	const result = data.returnApproveRequest;
	if (!result.return) throw userErrorsToApiError(shopify.ctx, 'approve the return', result.userErrors);
	return result.return.status;
}

/** Declines a requested return with Shopify's reason and a note the customer can read. */
export async function declineReturn(shopify: ShopifyService, returnId: string, reason: string, note: string): Promise<ReturnStatus> {
	const { data } = await shopify.query<{ returnDeclineRequest: { return: { status: ReturnStatus } | null; userErrors: UserError[] } }>(
		`mutation CxReturnDecline($input: ReturnDeclineRequestInput!) { returnDeclineRequest(input: $input) { return { status } userErrors { code field message } } }`,
		{ input: { id: returnId, declineReason: reason, declineNote: note, notifyCustomer: false } },
		{ once: true },
	);
	const result = data.returnDeclineRequest;
	if (!result.return) throw userErrorsToApiError(shopify.ctx, 'decline the return', result.userErrors);
	return result.return.status;
}

/** What processing a received return does: each line's quantity and disposition, and the money or exchange. */
export interface ReturnProcessing {
	returnId: string;
	lines: Array<{ id: string; quantity: number; reverseLineItemId?: string; disposition: 'RESTOCKED' | 'NOT_RESTOCKED' }>;
	/** Where restocked items go back (Shopify needs a location for RESTOCKED). */
	restockLocationId?: string;
	exchangeLineItems: Array<{ id: string; quantity: number }>;
	/** Money to the original payment, spread over the sale transactions. */
	refund?: { transactions: Array<{ parentId: string; amount: Money }> };
	/** Money as store credit, through the return's refund. */
	storeCredit?: Money;
	shippingRefund?: Money;
	note: string;
}

/** Processes a received return (returnProcess, which replaces the deprecated returnRefund). */
export async function processReturn(shopify: ShopifyService, processing: ReturnProcessing): Promise<ReturnStatus> {
	const decimal = (money: Money) => ({ amount: moneyToDecimal(money), currencyCode: money.currency });
	const financialTransfer =
		processing.refund || processing.storeCredit
			? {
					issueRefund: {
						orderTransactions: (processing.refund?.transactions ?? []).map((transaction) => ({ parentId: transaction.parentId, transactionAmount: decimal(transaction.amount) })),
						...(processing.storeCredit ? { refundMethods: [{ storeCreditRefund: { amount: decimal(processing.storeCredit) } }] } : {}),
					},
				}
			: undefined;
	const { data } = await shopify.query<{ returnProcess: { return: { status: ReturnStatus } | null; userErrors: UserError[] } }>(
		`mutation CxReturnProcess($input: ReturnProcessInput!) { returnProcess(input: $input) { return { status } userErrors { code field message } } }`,
		{
			input: {
				returnId: processing.returnId,
				returnLineItems: processing.lines.map((line) => ({
					id: line.id,
					quantity: line.quantity,
					...(line.reverseLineItemId
						? {
								dispositions: [
									{
										reverseFulfillmentOrderLineItemId: line.reverseLineItemId,
										quantity: line.quantity,
										dispositionType: line.disposition,
										...(line.disposition === 'RESTOCKED' && processing.restockLocationId ? { locationId: processing.restockLocationId } : {}),
									},
								],
							}
						: {}),
				})),
				exchangeLineItems: processing.exchangeLineItems,
				...(financialTransfer ? { financialTransfer } : {}),
				...(processing.shippingRefund && processing.shippingRefund.cents > 0 ? { refundShipping: { shippingRefundAmount: decimal(processing.shippingRefund) } } : {}),
				note: processing.note,
				notifyCustomer: false,
			},
		},
		{ once: true },
	);
	const result = data.returnProcess;
	if (!result.return) throw userErrorsToApiError(shopify.ctx, 'process the return', result.userErrors);
	return result.return.status;
}

/**
 * A ticket's return request on an order (a GID): every item Shopify says is still returnable, each with the reason
 * and note the ticket gives; undefined for an order Shopify does not know, and no lines when nothing is returnable.
 */
export async function ticketReturnRequest(
	shopify: ShopifyService,
	orderId: string,
	ticket: { requestedAt: Date; reason: ReturnReason; note?: string },
): Promise<Pick<StoredReturn, 'request' | 'saleTransactions' | 'restockLocationId' | 'presentment'> | undefined> {
	type Answer = {
		order: OrderNode | null;
		returnableFulfillments: { nodes: Array<{ returnableFulfillmentLineItems: { nodes: Array<{ quantity: number; fulfillmentLineItem: FulfillmentLineNode }> } }> };
	};
	// four parcels of ten lines each: 905 points with the order's fields, under Shopify's 1,000 a query (five were 1,098)
	const { data, cost }: { data: Answer; cost?: QueryCost } = await shopify.query(
		`query CxTicketReturn($id: ID!) {
	order(id: $id) { ${ORDER_FIELDS} }
	returnableFulfillments(orderId: $id, first: 4) {
		nodes { returnableFulfillmentLineItems(first: 10) { nodes { quantity fulfillmentLineItem { ${FULFILLMENT_LINE_FIELDS} } } } }
	}
}`,
		{ id: orderId },
	);
	await paceByCost(cost);
	if (!data.order) return undefined;
	const lines = data.returnableFulfillments.nodes.flatMap((returnable) =>
		returnable.returnableFulfillmentLineItems.nodes
			.filter((item) => item.quantity > 0)
			.map((item) => ({ id: item.fulfillmentLineItem.id, fulfillmentLineItem: item.fulfillmentLineItem, quantity: item.quantity, reason: ticket.reason, ...(ticket.note ? { note: ticket.note } : {}) })),
	);
	return requestOf(data.order, lines, { source: 'ticket', requestedAt: ticket.requestedAt });
}

/** A return on an order as the desk made it: to find one a run made before it could write so down. */
export interface OrderReturn {
	id: string;
	name: string;
	status: ReturnStatus;
	createdAt: string;
	lines: Array<{ fulfillmentLineItemId: string; quantity: number }>;
}

/** The returns on an order, with their lines. */
export async function returnsOfOrder(shopify: ShopifyService, orderId: string): Promise<OrderReturn[]> {
	type Answer = { order: { returns: { nodes: Array<{ id: string; name: string; status: ReturnStatus; createdAt: string; returnLineItems: { nodes: Array<{ quantity?: number; fulfillmentLineItem?: { id: string } }> } }> } } | null };
	const { data }: { data: Answer } = await shopify.query(
		`query CxOrderReturns($id: ID!) { order(id: $id) { returns(first: 20) { nodes { id name status createdAt returnLineItems(first: 10) { nodes { ... on ReturnLineItem { quantity fulfillmentLineItem { id } } } } } } } }`,
		{ id: orderId },
	);
	return (data.order?.returns.nodes ?? []).map((entry) => ({
		id: entry.id,
		name: entry.name,
		status: entry.status,
		createdAt: entry.createdAt,
		lines: entry.returnLineItems.nodes.flatMap((line) => (line.fulfillmentLineItem && line.quantity !== undefined ? [{ fulfillmentLineItemId: line.fulfillmentLineItem.id, quantity: line.quantity }] : [])),
	}));
}

/** A return the desk opens for a ticket: approved at once (returnCreate, with the exchange items), or requested for a person (returnRequest). */
export interface NewReturn {
	orderId: string;
	lines: Array<{ fulfillmentLineItemId: string; quantity: number; reason: ReturnReason; note?: string }>;
	exchangeLineItems?: Array<{ variantId: string; quantity: number; discount?: Money }>;
	restockingPercent?: number;
	returnShippingFee?: Money;
	requestedAt: Date;
}

/** Opens an approved return (returnCreate: OPEN at once, with its exchange items); sent once. */
export async function createReturn(shopify: ShopifyService, input: NewReturn): Promise<{ id: string; name: string; status: ReturnStatus }> {
	const decimal = (money: Money) => ({ amount: moneyToDecimal(money), currencyCode: money.currency });
	const { data } = await shopify.query<{ returnCreate: { return: { id: string; name: string; status: ReturnStatus } | null; userErrors: UserError[] } }>(
		`mutation CxReturnCreate($input: ReturnInput!) { returnCreate(returnInput: $input) { return { id name status } userErrors { code field message } } }`,
		{
			input: {
				orderId: input.orderId,
				requestedAt: input.requestedAt.toISOString(),
				returnLineItems: input.lines.map((line) => ({
					fulfillmentLineItemId: line.fulfillmentLineItemId,
					quantity: line.quantity,
					returnReason: line.reason,
					returnReasonNote: (line.note ?? '').slice(0, 255),
					...(input.restockingPercent ? { restockingFee: { percentage: input.restockingPercent } } : {}),
				})),
				...(input.exchangeLineItems?.length
					? {
							exchangeLineItems: input.exchangeLineItems.map((item) => ({
								variantId: item.variantId,
								quantity: item.quantity,
								...(item.discount && item.discount.cents > 0 ? { appliedDiscount: { description: 'Exchange bonus', value: { amount: decimal(item.discount) } } } : {}),
							})),
						}
					: {}),
				...(input.returnShippingFee && input.returnShippingFee.cents > 0 ? { returnShippingFee: { amount: decimal(input.returnShippingFee) } } : {}),
			},
		},
		{ once: true },
	);
	const result = data.returnCreate;
	if (!result.return) throw userErrorsToApiError(shopify.ctx, 'open the return', result.userErrors);
	return result.return;
}

/** Requests a return for a person to answer in Shopify (returnRequest: REQUESTED); sent once. */
export async function requestReturn(shopify: ShopifyService, input: NewReturn): Promise<{ id: string; name: string; status: ReturnStatus }> {
	const { data } = await shopify.query<{ returnRequest: { return: { id: string; name: string; status: ReturnStatus } | null; userErrors: UserError[] } }>(
		`mutation CxReturnRequest($input: ReturnRequestInput!) { returnRequest(input: $input) { return { id name status } userErrors { code field message } } }`,
		{
			input: {
				orderId: input.orderId,
				returnLineItems: input.lines.map((line) => ({ fulfillmentLineItemId: line.fulfillmentLineItemId, quantity: line.quantity, returnReason: line.reason, customerNote: (line.note ?? '').slice(0, 300) })),
			},
		},
		{ once: true },
	);
	const result = data.returnRequest;
	if (!result.return) throw userErrorsToApiError(shopify.ctx, 'request the return', result.userErrors);
	return result.return;
}

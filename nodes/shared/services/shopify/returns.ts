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
}
type UserError = { code: string | null; message: string; field: string[] | null };

/** Returns per request: a return with its order, lines and variants costs about 60 points. */
const RETURNS_PER_REQUEST = 10;
/** Orders per page of the requested-returns search. */
const ORDERS_PER_PAGE = 50;

const RETURN_FIELDS = `id name status createdAt
	order {
		id name tags currencyCode
		shippingAddress { countryCodeV2 } billingAddress { countryCodeV2 }
		totalShippingPriceSet { shopMoney { amount currencyCode } }
		customer { id email displayName tags }
		transactions(first: 20) { id kind status gateway amountSet { shopMoney { amount currencyCode } } }
		fulfillments(first: 20) { createdAt deliveredAt fulfillmentLineItems(first: 50) { nodes { id } } }
		returns(first: 20) { nodes { id status } }
	}
	returnLineItems(first: 50) {
		nodes {
			... on ReturnLineItem {
				id quantity returnReason returnReasonNote customerNote
				processableQuantity processedQuantity refundableQuantity refundedQuantity
				fulfillmentLineItem {
					id
					lineItem {
						title variantTitle
						discountedUnitPriceAfterAllDiscountsSet { shopMoney { amount currencyCode } }
						variant { id }
						product { productType tags variants(first: 20) { nodes { id title inventoryQuantity price } } }
					}
				}
			}
		}
	}
	exchangeLineItems(first: 20) { nodes { id variantId quantity processableQuantity } }
	reverseFulfillmentOrders(first: 5) { nodes { lineItems(first: 50) { nodes { id fulfillmentLineItem { id } } } } }
	refunds(first: 10) { nodes { totalRefundedSet { shopMoney { amount currencyCode } } } }`;

interface ReturnNode {
	id: string;
	name: string;
	status: ReturnStatus;
	createdAt: string;
	order: {
		id: string;
		name: string;
		tags: string[];
		currencyCode: string;
		shippingAddress: { countryCodeV2: string | null } | null;
		billingAddress: { countryCodeV2: string | null } | null;
		totalShippingPriceSet: MoneyBag;
		customer: { id: string; email: string | null; displayName: string; tags: string[] } | null;
		transactions: Array<{ id: string; kind: string; status: string; gateway: string | null; amountSet: MoneyBag }>;
		fulfillments: Array<{ createdAt: string | null; deliveredAt: string | null; fulfillmentLineItems: { nodes: Array<{ id: string }> } }>;
		returns: { nodes: Array<{ id: string; status: ReturnStatus }> };
	};
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
			fulfillmentLineItem: {
				id: string;
				lineItem: {
					title: string;
					variantTitle: string | null;
					discountedUnitPriceAfterAllDiscountsSet: MoneyBag;
					variant: { id: string } | null;
					product: { productType: string; tags: string[]; variants: { nodes: Array<{ id: string; title: string; inventoryQuantity: number | null; price: string }> } } | null;
				};
			};
		}>;
	};
	exchangeLineItems: { nodes: Array<{ id: string; variantId: string | null; quantity: number; processableQuantity: number }> };
	reverseFulfillmentOrders: { nodes: Array<{ lineItems: { nodes: Array<{ id: string; fulfillmentLineItem: { id: string } | null }> } }> };
	refunds: { nodes: Array<{ totalRefundedSet: MoneyBag }> };
}

const moneyOf = (bag: MoneyBag): Money => moneyFromDecimal(bag.shopMoney.amount, bag.shopMoney.currencyCode);
const instantOf = (text: string | null | undefined): Date | undefined => (text ? new Date(text) : undefined);
/** Still a return on the order: declined and canceled requests are not. */
const LIVE_RETURN: ReadonlySet<ReturnStatus> = new Set<ReturnStatus>(['REQUESTED', 'OPEN', 'CLOSED']);

/** The domain shape of a return node (amounts in the shop's currency, as the order's transactions are). */
export function storedReturn(node: ReturnNode): StoredReturn {
	const order = node.order;
	const currency = order.currencyCode;
	const lines = node.returnLineItems.nodes.filter((line) => line.id);
	const returnedFulfillmentLines = new Set(lines.map((line) => line.fulfillmentLineItem.id));
	// the parcels that carried the returned lines: the latest delivery among them starts the window
	const parcels = order.fulfillments.filter((parcel) => parcel.fulfillmentLineItems.nodes.some((item) => returnedFulfillmentLines.has(item.id)));
	const latest = (dates: Array<string | null>) => dates.filter((date): date is string => !!date).sort().at(-1);
	const reverseLineOf = new Map(node.reverseFulfillmentOrders.nodes.flatMap((order) => order.lineItems.nodes.flatMap((line) => (line.fulfillmentLineItem ? [[line.fulfillmentLineItem.id, line.id] as const] : []))));
	const deliveredAt = parcels.length && parcels.every((parcel) => parcel.deliveredAt) ? latest(parcels.map((parcel) => parcel.deliveredAt)) : undefined;
	const countryCode = order.shippingAddress?.countryCodeV2 ?? order.billingAddress?.countryCodeV2 ?? undefined;
	const refunded = node.refunds.nodes.reduce((sum, refund) => sum + moneyOf(refund.totalRefundedSet).cents, 0);
	return {
		status: node.status,
		name: node.name,
		request: {
			returnId: node.id,
			source: 'shopify_return',
			orderId: order.id,
			orderName: order.name,
			orderTags: order.tags,
			...(countryCode ? { countryCode } : {}),
			currency,
			...(deliveredAt ? { deliveredAt: new Date(deliveredAt) } : {}),
			...(latest(parcels.map((parcel) => parcel.createdAt)) ? { fulfilledAt: instantOf(latest(parcels.map((parcel) => parcel.createdAt))) } : {}),
			requestedAt: new Date(node.createdAt),
			shippingPaid: moneyOf(order.totalShippingPriceSet),
			customer: order.customer
				? { id: order.customer.id, ...(order.customer.email ? { email: order.customer.email } : {}), name: order.customer.displayName, tags: order.customer.tags }
				: { tags: [] },
			otherReturnsOnOrder: order.returns.nodes.filter((other) => other.id !== node.id && LIVE_RETURN.has(other.status)).length,
			lines: lines.map((line) => {
				const item = line.fulfillmentLineItem.lineItem;
				const note = [line.returnReasonNote, line.customerNote].map((text) => (text ?? '').trim()).filter(Boolean).join(' / ');
				return {
					id: line.id!,
					fulfillmentLineItemId: line.fulfillmentLineItem.id,
					title: item.title,
					...(item.variantTitle ? { variantTitle: item.variantTitle } : {}),
					...(item.variant ? { variantId: item.variant.id } : {}),
					...(item.product ? { productType: item.product.productType } : {}),
					productTags: item.product?.tags ?? [],
					quantity: line.quantity,
					unitPrice: moneyOf(item.discountedUnitPriceAfterAllDiscountsSet),
					reason: line.returnReason,
					...(note ? { note } : {}),
					exchangeVariants: (item.product?.variants.nodes ?? []).map((variant) => ({
						variantId: variant.id,
						title: variant.title,
						available: variant.inventoryQuantity ?? 0,
						price: moneyFromDecimal(variant.price, currency),
					})),
				};
			}),
		},
		quantities: Object.fromEntries(
			lines.map((line) => [
				line.id!,
				{
					processable: line.processableQuantity,
					processed: line.processedQuantity,
					refundable: line.refundableQuantity,
					refunded: line.refundedQuantity,
					...(reverseLineOf.get(line.fulfillmentLineItem.id) ? { reverseLineItemId: reverseLineOf.get(line.fulfillmentLineItem.id) } : {}),
				},
			]),
		),
		exchangeLineItems: node.exchangeLineItems.nodes.map((item) => ({ id: item.id, ...(item.variantId ? { variantId: item.variantId } : {}), quantity: item.quantity, processable: item.processableQuantity })),
		saleTransactions: order.transactions
			.filter((transaction) => (transaction.kind === 'SALE' || transaction.kind === 'CAPTURE') && transaction.status === 'SUCCESS')
			.map((transaction) => ({ id: transaction.id, amount: moneyOf(transaction.amountSet), ...(transaction.gateway ? { gateway: transaction.gateway } : {}) })),
		refunded: { cents: refunded, currency },
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
		nodes { returns(first: 20) { nodes { id status } } }
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

/** A customer's returns over a year: how many (declined and canceled ones aside), their value, and what the customer spent. */
export interface CustomerReturns {
	returnsCount: number;
	returnedValue: Money;
	spentValue: Money;
}

/** Orders of a customer read per request for the history; a customer with more is read page by page. */
const HISTORY_ORDERS_PER_PAGE = 50;

/** Each customer's orders processed since `since`, with their returns (the return being decided is left out by the caller). */
export async function customerReturnHistory(shopify: ShopifyService, customerIds: string[], since: Date, currency: string): Promise<Map<string, CustomerReturns & { returnIds: string[] }>> {
	const history = new Map<string, CustomerReturns & { returnIds: string[] }>();
	for (const customerId of [...new Set(customerIds)]) {
		const numeric = customerId.slice(customerId.lastIndexOf('/') + 1);
		let after: string | null = null;
		const entry = { returnsCount: 0, returnedValue: { cents: 0, currency }, spentValue: { cents: 0, currency }, returnIds: [] as string[] };
		do {
			type Page = {
				orders: {
					nodes: Array<{ totalPriceSet: MoneyBag; returns: { nodes: Array<{ id: string; status: ReturnStatus; returnLineItems: { nodes: Array<{ quantity?: number; withCodeDiscountedTotalPriceSet?: MoneyBag }> } }> } }>;
					pageInfo: { hasNextPage: boolean; endCursor: string | null };
				};
			};
			const { data, cost }: { data: Page; cost?: QueryCost } = await shopify.query(
				`query CxCustomerReturns($query: String!, $after: String) {
	orders(first: ${HISTORY_ORDERS_PER_PAGE}, after: $after, query: $query) {
		nodes {
			totalPriceSet { shopMoney { amount currencyCode } }
			returns(first: 10) { nodes { id status returnLineItems(first: 20) { nodes { ... on ReturnLineItem { quantity withCodeDiscountedTotalPriceSet { shopMoney { amount currencyCode } } } } } } }
		}
		pageInfo { hasNextPage endCursor }
	}
}`,
				{ query: `customer_id:${numeric} AND processed_at:>=${since.toISOString().slice(0, 10)}`, after },
			);
			for (const order of data.orders.nodes) {
				const spent = moneyOf(order.totalPriceSet);
				// another currency's amounts are not added to this one's: the thresholds are shares and counts
				if (spent.currency === currency) entry.spentValue.cents += spent.cents;
				for (const request of order.returns.nodes) {
					if (!LIVE_RETURN.has(request.status)) continue;
					entry.returnsCount += 1;
					entry.returnIds.push(request.id);
					for (const line of request.returnLineItems.nodes) {
						const value = line.withCodeDiscountedTotalPriceSet ? moneyOf(line.withCodeDiscountedTotalPriceSet) : undefined;
						if (value?.currency === currency) entry.returnedValue.cents += value.cents;
					}
				}
			}
			after = data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null;
			await paceByCost(cost);
		} while (after);
		history.set(customerId, entry);
	}
	return history;
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
					...(line.reverseLineItemId ? { dispositions: [{ reverseFulfillmentOrderLineItemId: line.reverseLineItemId, quantity: line.quantity, dispositionType: line.disposition }] } : {}),
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

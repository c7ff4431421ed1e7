/**
 * The source "Shopify, Orders Named in Items" (options.ts NAMED_ORDERS_SOURCE), read the same way by every node that
 * offers it: each item's order ID from the Order ID Field, each order read once (answering the first item that names
 * it), and an item whose ID is not one, or names an order the read did not return, an error item naming it.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import { InputProblem, namedOrder } from '../items';

export async function readNamedOrders<T>(
	ctx: IExecuteFunctions,
	fail: (itemIndex: number, error: NodeOperationError) => void,
	read: (ids: string[]) => Promise<T[]>,
	idOf: (order: T) => string,
	notFound = (id: string) => `Shopify has no order ${id}`,
): Promise<Array<{ itemIndex: number; order: T }>> {
	const field = ctx.getNodeParameter('orderIdField', 0, 'order_id') as string;
	const wanted = new Map<string, number>();
	ctx.getInputData().forEach((item, itemIndex) => {
		const named = namedOrder(item.json, field);
		if (named instanceof InputProblem) fail(itemIndex, new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${named.message}`, { itemIndex, description: named.fix }));
		else if (!wanted.has(named)) wanted.set(named, itemIndex);
	});
	const found = new Map((wanted.size ? await read([...wanted.keys()]) : []).map((order) => [idOf(order), order]));
	const orders: Array<{ itemIndex: number; order: T }> = [];
	for (const [id, itemIndex] of wanted) {
		const order = found.get(id);
		if (order) orders.push({ itemIndex, order });
		else fail(itemIndex, new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${notFound(id)}`, { itemIndex, description: 'Check that the order is in this store: a test delivery from Shopify\'s admin names an order that does not exist.' }));
	}
	return orders;
}

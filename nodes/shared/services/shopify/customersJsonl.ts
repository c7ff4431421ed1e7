/**
 * Reading a Shopify bulk operation's JSONL result (shopify.dev "Perform bulk operations"): one object per
 * line, nested connection nodes on their own lines carrying `__parentId`. Pure: the Shopify service feeds
 * lines in as they download, so the file is never held in memory, only the customers it describes.
 */
import type { RetentionCustomer } from '../../contract/customer';
import { CUSTOMER_RETURN_STATUSES } from '../../contract/order';
import { moneyFromDecimal } from '../../money';

/** A customer's own fields the retention nodes read, in the bulk read and in the look-up by id alike. */
export const RETENTION_CUSTOMER_FIELDS = 'id email firstName lastName numberOfOrders tags amountSpent { amount currencyCode } emailMarketingConsent { marketingState }';
/** An order's fields the retention nodes read (returnStatus is a scalar: no connection added to the bulk read). */
export const RETENTION_ORDER_FIELDS = 'id processedAt cancelledAt returnStatus refunds { createdAt }';

/** The bulk query behind RetentionJsonlReader: every customer with every order's date, return status and refunds. */
export const RETENTION_BULK_QUERY = `{
	customers {
		edges {
			node {
				${RETENTION_CUSTOMER_FIELDS}
				orders {
					edges { node { ${RETENTION_ORDER_FIELDS} } }
				}
			}
		}
	}
}`;

interface CustomerLine {
	id: string;
	email?: string | null;
	firstName?: string | null;
	lastName?: string | null;
	numberOfOrders?: string | number;
	tags?: string[];
	amountSpent?: { amount: string; currencyCode: string } | null;
	emailMarketingConsent?: { marketingState: string } | null;
}

interface OrderLine {
	id: string;
	processedAt?: string | null;
	cancelledAt?: string | null;
	/** Shopify's OrderReturnStatus: NO_RETURN, RETURN_REQUESTED, IN_PROGRESS, INSPECTION_COMPLETE, RETURNED, RETURN_FAILED. */
	returnStatus?: string | null;
	refunds?: Array<{ createdAt?: string | null }> | null;
	__parentId: string;
}

/** Collects customers line by line; orders attach to their customer whatever line order Shopify uses. */
export class RetentionJsonlReader {
	private readonly byId = new Map<string, RetentionCustomer>();

	/** Orders whose customer line has not been read yet (Shopify writes parents first, but does not promise it). */
	private readonly waiting = new Map<string, OrderLine[]>();

	lines = 0;

	add(value: Record<string, unknown>): void {
		this.lines++;
		const parentId = value.__parentId;
		if (typeof parentId === 'string') {
			const order = value as unknown as OrderLine;
			const customer = this.byId.get(parentId);
			if (customer) addOrder(customer, order);
			else {
				const early = this.waiting.get(parentId);
				if (early) early.push(order);
				else this.waiting.set(parentId, [order]);
			}
			return;
		}
		const line = value as unknown as CustomerLine;
		if (typeof line.id !== 'string' || !line.id.startsWith('gid://shopify/Customer/')) return;
		const spent = line.amountSpent ?? { amount: '0', currencyCode: 'USD' };
		const customer: RetentionCustomer = {
			customerId: line.id,
			...(line.email ? { email: line.email } : {}),
			...(line.firstName ? { firstName: line.firstName } : {}),
			...(line.lastName ? { lastName: line.lastName } : {}),
			orderCount: Number(line.numberOfOrders ?? 0) || 0,
			amountSpent: moneyFromDecimal(spent.amount, spent.currencyCode),
			// no consent record (no email on file): not subscribed, so never mailed
			marketingConsent: line.emailMarketingConsent?.marketingState ?? 'NOT_SUBSCRIBED',
			tags: line.tags ?? [],
			orderDates: [],
			refundDates: [],
			returnDates: [],
		};
		this.byId.set(line.id, customer);
		const early = this.waiting.get(line.id);
		if (early) {
			for (const order of early) addOrder(customer, order);
			this.waiting.delete(line.id);
		}
	}

	customers(): RetentionCustomer[] {
		return [...this.byId.values()];
	}
}

function addOrder(customer: RetentionCustomer, order: OrderLine): void {
	// a cancelled order is not a purchase: it neither ends dormancy nor counts as one
	if (order.cancelledAt || !order.processedAt) return;
	customer.orderDates.push(order.processedAt);
	const refunds = (order.refunds ?? []).flatMap((refund) => (refund.createdAt ? [refund.createdAt] : []));
	if (!order.returnStatus || !CUSTOMER_RETURN_STATUSES.includes(order.returnStatus)) {
		// a refund without a return (goodwill, a cancelled line, a price fix) is still a refund
		customer.refundDates.push(...refunds);
		return;
	}
	// a returned order is one return however many refunds settle it, dated by the last of them. An exchange or a request
	// has no refund: then the order's processedAt, since the return's own date sits behind Order.returns, a third level
	// of nested connections that a bulk operation may not have (two at most; the look-up by id reads the same fields);
	// a return comes after its order, as a rule within the return window, so the date errs early by weeks
	const latestRefund = refunds.reduce<string | undefined>((latest, date) => (latest === undefined || Date.parse(date) > Date.parse(latest) ? date : latest), undefined);
	customer.returnDates.push(latestRefund ?? order.processedAt);
}

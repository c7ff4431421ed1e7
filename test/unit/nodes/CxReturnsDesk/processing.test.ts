import type { StoredReturn } from '../../../../nodes/shared/contract/returnRequest';
import { RETURN_POLICY } from '../../../../nodes/shared/policy';
import { inPaidCurrency, planProcessing, type ProcessingPlan } from '../../../../nodes/CxReturnsDesk/processing';
import { decideReturn } from '../../../../nodes/CxReturnsDesk/returnDecision';

const usd = (cents: number) => ({ cents, currency: 'USD' });
const REQUESTED_AT = new Date('2030-03-10T12:00:00Z');
const toUsd = (amount: number) => usd(Math.round(amount * 100));

function stored(reason: 'SIZE_TOO_SMALL' | 'DEFECTIVE' | 'UNWANTED', change: Partial<StoredReturn> = {}): StoredReturn {
	return {
		status: 'OPEN',
		name: '#1042-R1',
		request: {
			returnId: 'gid://shopify/Return/1',
			source: 'shopify_return',
			orderId: 'gid://shopify/Order/1042',
			orderName: '#1042',
			orderTags: [],
			countryCode: 'US',
			currency: 'USD',
			deliveredAt: new Date('2030-03-01T12:00:00Z'),
			requestedAt: REQUESTED_AT,
			shippingPaid: usd(800),
			customer: { id: 'gid://shopify/Customer/7', email: 'ana@example.test', name: 'Ana Lima', tags: [] },
			otherReturnsOnOrder: 0,
			lines: [
				{
					id: 'gid://shopify/ReturnLineItem/11',
					fulfillmentLineItemId: 'gid://shopify/FulfillmentLineItem/21',
					title: 'Harbour print',
					variantId: 'gid://shopify/ProductVariant/31',
					productTags: [],
					quantity: 2,
					unitPrice: usd(4_000),
					reason,
					exchangeVariants: [
						{ variantId: 'gid://shopify/ProductVariant/31', title: 'A4', available: 9, price: usd(4_000) },
						{ variantId: 'gid://shopify/ProductVariant/32', title: 'A3', available: 9, price: usd(4_000) },
					],
				},
			],
		},
		quantities: { 'gid://shopify/ReturnLineItem/11': { processable: 2, processed: 0, refundable: 2, refunded: 0, reverseLineItemId: 'gid://shopify/ReverseFulfillmentOrderLineItem/41' } },
		exchangeLineItems: [],
		saleTransactions: [
			{ id: 'gid://shopify/OrderTransaction/51', amount: usd(5_000) },
			{ id: 'gid://shopify/OrderTransaction/52', amount: usd(3_800) },
		],
		refunded: usd(0),
		...change,
	};
}
const decide = (entry: StoredReturn) =>
	decideReturn({ ...entry.request, history: { returnsCount: 0, returnedValue: usd(0), spentValue: usd(0) } }, RETURN_POLICY, REQUESTED_AT, toUsd);

describe('processing a received return', () => {
	it('refunds a defective item with the shipping, over the largest payment first, and keeps it off the shelf', () => {
		const entry = stored('DEFECTIVE');
		expect(planProcessing(entry, decide(entry), 'refund', 10)).toEqual({
			resolution: 'refund',
			lines: [{ id: 'gid://shopify/ReturnLineItem/11', quantity: 2, reverseLineItemId: 'gid://shopify/ReverseFulfillmentOrderLineItem/41', disposition: 'NOT_RESTOCKED' }],
			exchangeLineItems: [],
			refund: { transactions: [{ parentId: 'gid://shopify/OrderTransaction/51', amount: usd(5_000) }, { parentId: 'gid://shopify/OrderTransaction/52', amount: usd(3_800) }] },
			shippingRefund: usd(800),
			reasons: ['resolution_refund'],
		});
	});

	it('gives store credit for an unwanted item, restocked, with its bonus credited apart', () => {
		const entry = stored('UNWANTED');
		const plan = planProcessing(entry, decide(entry), undefined, 10);
		expect(plan).toMatchObject({ resolution: 'store_credit', storeCredit: usd(8_000), creditBonus: usd(800), lines: [{ disposition: 'RESTOCKED', quantity: 2 }] });
	});

	it('processes only what Shopify shows left, and nothing once all is processed', () => {
		const half = stored('UNWANTED', { quantities: { 'gid://shopify/ReturnLineItem/11': { processable: 1, processed: 1, refundable: 1, refunded: 1 } }, refunded: usd(4_000) });
		expect(planProcessing(half, decide(half), undefined, 10)).toMatchObject({ lines: [{ quantity: 1 }], storeCredit: usd(4_000) });
		const done = stored('UNWANTED', { quantities: { 'gid://shopify/ReturnLineItem/11': { processable: 0, processed: 2, refundable: 0, refunded: 2 } } });
		expect(planProcessing(done, decide(done), undefined, 10)).toEqual({ kind: 'done', reason: 'nothing_left_to_process', message: 'Every item of return #1042-R1 is processed already.' });
		expect(planProcessing(stored('UNWANTED', { status: 'CLOSED' }), decide(done), undefined, 10)).toMatchObject({ kind: 'done', reason: 'return_closed' });
	});

	it('sends an exchange offered without an exchange item on the return to a person, and refuses a choice not offered', () => {
		const entry = stored('SIZE_TOO_SMALL');
		expect(decide(entry).offers).toEqual(['exchange', 'store_credit', 'refund']);
		expect(planProcessing(entry, decide(entry), undefined, 10)).toMatchObject({ kind: 'review', reason: 'exchange_not_on_return' });
		const withExchange = stored('SIZE_TOO_SMALL', { exchangeLineItems: [{ id: 'gid://shopify/ExchangeLineItem/61', variantId: 'gid://shopify/ProductVariant/32', quantity: 2, processable: 2 }] });
		expect(planProcessing(withExchange, decide(withExchange), undefined, 10)).toMatchObject({ resolution: 'exchange', exchangeLineItems: [{ id: 'gid://shopify/ExchangeLineItem/61', quantity: 2 }], lines: [{ disposition: 'RESTOCKED' }] });
		const unwanted = stored('UNWANTED');
		expect(planProcessing(unwanted, decide(unwanted), 'exchange', 10)).toMatchObject({ kind: 'review', reason: 'resolution_not_offered' });
		expect(planProcessing(stored('UNWANTED', { status: 'DECLINED' }), decide(unwanted), undefined, 10)).toMatchObject({ kind: 'not_open', reason: 'return_declined' });
	});

	it('sends a refund the payments cannot cover to a person', () => {
		const entry = stored('DEFECTIVE', { saleTransactions: [{ id: 'gid://shopify/OrderTransaction/51', amount: usd(5_000) }] });
		expect(planProcessing(entry, decide(entry), 'refund', 10)).toMatchObject({ kind: 'review', reason: 'payment_not_enough', message: 'Return #1042-R1: the order\'s payments cover $50.00 of the $88.00 owed; a person refunds it.' });
	});
});

describe('a plan in the currency the customer paid in', () => {
	it('converts every amount at the order\'s own rate and caps a refund at what its payment took', () => {
		const eur = (cents: number) => ({ cents, currency: 'EUR' });
		const entry = stored('DEFECTIVE', {
			presentment: { shopTotal: usd(8_800), presentmentTotal: eur(8_000) },
			saleTransactions: [
				{ id: 'gid://shopify/OrderTransaction/51', amount: usd(5_000), presentmentAmount: eur(4_545) },
				{ id: 'gid://shopify/OrderTransaction/52', amount: usd(3_800), presentmentAmount: eur(3_455) },
			],
		});
		const plan = planProcessing(entry, decide(entry), 'refund', 10);
		expect(inPaidCurrency(plan as ProcessingPlan, entry)).toMatchObject({
			refund: { transactions: [{ parentId: 'gid://shopify/OrderTransaction/51', amount: eur(4_545) }, { parentId: 'gid://shopify/OrderTransaction/52', amount: eur(3_455) }] },
			shippingRefund: eur(727),
		});
		const unwanted = stored('UNWANTED', { presentment: { shopTotal: usd(8_800), presentmentTotal: eur(8_000) } });
		expect(inPaidCurrency(planProcessing(unwanted, decide(unwanted), undefined, 10) as ProcessingPlan, unwanted)).toMatchObject({ storeCredit: eur(7_273), creditBonus: eur(727) });
		expect(inPaidCurrency(plan as ProcessingPlan, stored('DEFECTIVE'))).toBe(plan);
	});
});

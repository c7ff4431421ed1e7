import { fakeContext } from '../../../support/fakeContext';
import type { IDataObject } from 'n8n-workflow';
import { CxDelayCompensation } from '../../../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { renderApologyEmail } from '../../../../nodes/CxDelayCompensation/apologyEmail';
import { DELAY_POLICY, TIER_POLICY } from '../../../../nodes/shared/policy';

/** A dry run from items touches no service: the shell, the reading and the decision alone. */
function dryRun(items: IDataObject[], options: IDataObject = {}, continueOnFail = false) {
	const parameters: IDataObject = { source: 'items', payoutMethod: 'discountCode', dryRun: true, notifyCustomer: false, options: { now: '2026-11-01T00:00:00Z', ...options } };
	const context = fakeContext({ node: 'CX Delay Compensation', items, parameters: parameters, continueOnFail: continueOnFail, credentials: { cxShopifyAdminApi: { shopDomain: 'example-store.myshopify.com', accessToken: 'test-token-not-used', apiVersion: '2026-10' } } });
	return new CxDelayCompensation().execute.call(context);
}

const order = (change: IDataObject = {}): IDataObject => ({
	order_id: 'O-1',
	name: '#2001',
	processed_at: '2026-09-21T10:00:00Z',
	total: 120,
	currency: 'USD',
	customer_email: 'sam.sample@example-store.test',
	checkout_promise_at: '2026-09-30T12:00:00Z',
	fulfillments: [{ estimated_delivery_at: '2026-09-30T12:00:00Z', delivered_at: '2026-10-10T12:00:00Z' }],
	...change,
});
const compensation = (item: { json: IDataObject }) => item.json.compensation as IDataObject;

describe('CX Delay Compensation node (dry run, items)', () => {
	it('routes by outcome with amounts in the order\'s currency and the reasons', async () => {
		const [compensate, approve, notEligible] = await dryRun([
			order(),
			order({ order_id: 'O-2', name: '#2002', checkout_promise_at: '2026-10-05T12:00:00Z', fulfillments: [{ estimated_delivery_at: '2026-10-05T12:00:00Z', delivered_at: '2026-10-10T12:00:00Z' }] }),
			order({ order_id: 'O-3', name: '#2003', refunded: 10 }),
		]);
		expect(compensate.map((item) => [compensation(item).dryRun, compensation(item).amount])).toEqual([[true, { cents: 5000, currency: 'USD', formatted: '$50.00' }]]);
		expect(approve.map((item) => compensation(item).reasons)).toEqual([expect.arrayContaining(['order_partly_refunded'])]);
		expect(notEligible.map((item) => compensation(item).reasons)).toEqual([expect.arrayContaining(['late_5_days_not_over_7'])]);
		expect([compensate[0].pairedItem, approve[0].pairedItem, notEligible[0].pairedItem]).toEqual([{ item: 0 }, { item: 2 }, { item: 1 }]);
	});

	it('takes the policy from the options: amounts, bands and the cap', async () => {
		const [compensate, approve] = await dryRun([order(), order({ order_id: 'O-9', name: '#2009', total: 900 })], { standardAmount: 30, valueBands: '0:10, 500:250', instantCap: 200 });
		expect(compensation(compensate[0]).amount).toMatchObject({ cents: 3000 });
		expect(compensation(approve[0])).toMatchObject({ amount: { cents: 25000 }, reasons: expect.arrayContaining(['over_instant_cap_200']) });
	});

	it('a customer tagged with the store\'s own VIP tag, or past its VIP spend, is compensated as VIP, as triage and escalation tier them', async () => {
		const [compensate] = await dryRun(
			[
				order({ order_id: 'O-T', name: '#2010', customer_tags: 'Gold Member, newsletter' }),
				order({ order_id: 'O-S', name: '#2011', customer_amount_spent: 650 }),
				order({ order_id: 'O-R', name: '#2012', customer_tags: ['VIP'], customer_amount_spent: 100 }),
				order({ order_id: 'O-I', name: '#2013', tier: 'regular', customer_tags: 'Gold Member' }),
			],
			{ vipTag: 'Gold Member', vipLifetimeSpend: 600 },
		);
		const byName = Object.fromEntries(compensate.map((item) => [(item.json.order as IDataObject).name as string, compensation(item)]));
		expect(byName['#2010']).toMatchObject({ amount: { cents: 5000 }, perks: ['expedited_shipping_next_order'], reasons: expect.arrayContaining(['tier_vip:50']) });
		expect(byName['#2011']).toMatchObject({ perks: ['expedited_shipping_next_order'], reasons: expect.arrayContaining(['tier_vip:50']) });
		// the default tag is not this store's VIP tag, and $100 is under its threshold
		expect(byName['#2012']).toMatchObject({ perks: [], reasons: expect.arrayContaining(['tier_regular:25']) });
		// the item's own tier wins, as in escalation
		expect(byName['#2013']).toMatchObject({ perks: [], reasons: expect.arrayContaining(['tier_regular:25']) });
	});

	it('a yen order is paid from the store\'s yen amounts, and with none it goes to a person instead of being paid raw', async () => {
		const yen = order({ order_id: 'O-Y', name: '#2020', total: 30000, currency: 'JPY' });
		const [, approve] = await dryRun([yen]);
		expect(compensation(approve[0])).toMatchObject({ outcome: 'needs_approval', reasons: ['late_10_days_over_7', 'no_delay_amounts_for_JPY'] });
		expect(compensation(approve[0]).amount).toBeUndefined();
		const table = JSON.stringify({ JPY: { standardAmount: 3000, vipAmount: 6000, valueBands: '0:3000, 15000:6000', instantCap: 30000 } });
		const [compensate] = await dryRun([yen], { amountsByCurrency: table });
		expect(compensation(compensate[0]).amount).toEqual({ cents: 6000, currency: 'JPY', formatted: '¥6,000' });
		// a euro order in a dollar shop: decided on its dollar amounts, paid in euros at the order's rate
		const [euros] = await dryRun([order({ order_id: 'O-E', name: '#2021', total: 276, currency: 'EUR', shop_total: 300, shop_currency: 'USD' })]);
		expect(compensation(euros[0])).toMatchObject({ amount: { cents: 9200, currency: 'EUR', formatted: '€92.00' }, shopAmount: { cents: 10000, currency: 'USD', formatted: '$100.00' } });
		await expect(dryRun([yen], { amountsByCurrency: '{"JPY": {"standardAmount": 3000}}' })).rejects.toThrow('Option "Amounts in Other Currencies, JPY": "valueBands" must be value:amount pairs');
		await expect(dryRun([yen], { currency: 'YEN' })).rejects.toThrow('Option "Policy Currency" is "YEN", not an ISO 4217 currency code');
		await expect(dryRun([order({ currency: 'EUR', shop_currency: 'USD' })])).rejects.toThrow('Item 0: Field "shop_total" is missing or not above 0 for an order paid in EUR in a USD shop');
	});

	it('names the item and the field of bad input, and the option of a bad policy', async () => {
		await expect(dryRun([order({ fulfillments: 'soon' })])).rejects.toThrow('Item 0: Field "fulfillments" must be a list');
		await expect(dryRun([order({ currency: 'DOLLARS' })])).rejects.toThrow('Item 0: Field "currency"');
		const [, , notEligible] = await dryRun([order({ processed_at: undefined }), order({ order_id: 'O-2' })], {}, true);
		expect(notEligible[0]).toMatchObject({ json: { error: 'Item 0: Field "processed_at" is missing' }, pairedItem: { item: 0 } });
		await expect(dryRun([order()], { valueBands: '0-25' })).rejects.toThrow('"0-25" is not a value:amount pair');
		await expect(dryRun([order()], { holidays: '25/12/2026' })).rejects.toThrow('Holiday "25/12/2026" is not a date');
		await expect(dryRun([order()], { timeZone: 'Moon/Base' })).rejects.toThrow('Option "Store Time Zone" is "Moon/Base", not an IANA time zone');
	});

	it('shows the policy defaults (n8n reads literal defaults; these must match the policy\'s sources)', () => {
		const options = new CxDelayCompensation().description.properties.find((property) => property.name === 'options')!.options as Array<{ name: string; default: unknown }>;
		const defaults = Object.fromEntries(options.map((option) => [option.name, option.default]));
		expect(defaults).toMatchObject({
			thresholdDays: DELAY_POLICY.thresholdDays,
			productionBusinessDays: DELAY_POLICY.productionBusinessDays,
			transitDays: DELAY_POLICY.transitDays,
			instantCap: DELAY_POLICY.instantCap,
			standardAmount: DELAY_POLICY.tierAmounts.regular,
			vipAmount: DELAY_POLICY.tierAmounts.vip,
			valueBands: DELAY_POLICY.valueBands.map((band) => `${band.from}:${band.amount}`).join(', '),
			currency: DELAY_POLICY.currency,
			vipTag: TIER_POLICY.vipTag,
			vipLifetimeSpend: TIER_POLICY.vipLifetimeSpend,
			premiumLifetimeSpend: TIER_POLICY.premiumLifetimeSpend,
		});
	});
});

describe('the built-in apology', () => {
	it('escapes what comes from the store and the customer, and says what they get', () => {
		const email = renderApologyEmail({
			firstName: '<b>Sam</b> & "Co"',
			orderName: '#2001<script>',
			daysLate: 10,
			amount: { cents: 5000, currency: 'USD' },
			method: 'discountCode',
			discountCode: 'SORRY-ABC',
			codeExpiresAt: '2027-01-30T00:00:00.000Z',
			perks: ['expedited_shipping_next_order'],
			storeName: 'Example & Store',
		});
		expect(email.html).toContain('Hi &lt;b&gt;Sam&lt;/b&gt; &amp; &quot;Co&quot;,');
		expect(email.html).toContain('#2001&lt;script&gt;');
		expect(email.html).not.toMatch(/<script|<b>/);
		expect(email.text).toContain('a $50.00 discount code for your next order: SORRY-ABC (valid until 2027-01-30)');
		expect(email.text).toContain('Your next order ships expedited');
		expect(email.subject).toBe('Sorry your order #2001<script> was late');
	});
});

describe('CX Delay Compensation node: Notify Late Orders (dry run, items)', () => {
	const notifyDryRun = (items: IDataObject[], continueOnFail = false) =>
		new CxDelayCompensation().execute.call(fakeContext({
			node: 'CX Delay Compensation',
			items,
			parameters: { operation: 'notifyLate', source: 'items', dryRun: true, options: { now: '2026-11-12T09:00:00Z' } },
			continueOnFail,
		}));
	// processed Monday 2 November: made by Wednesday 11 November, promised for Monday 16 November
	const unshipped = (change: IDataObject = {}): IDataObject => ({ order_id: 'N-1', name: '#3001', processed_at: '2026-11-02T10:00:00Z', total: 60, currency: 'USD', customer_email: 'sam.sample@example-store.test', fulfillments: [], ...change });

	it('an order not made in time goes out on Notified, one on its way before the promise on Not Notified, each paired with its item', async () => {
		const [notified, notNotified] = await notifyDryRun([
			unshipped(),
			unshipped({ order_id: 'N-2', name: '#3002', fulfillments: [{ status: 'IN_TRANSIT', estimated_delivery_at: '2026-11-14T12:00:00Z' }] }),
		]);
		expect(notified).toEqual([{ json: expect.objectContaining({ order: { id: 'N-1', name: '#3001', customer_email: 'sam.sample@example-store.test' } }), pairedItem: { item: 0 } }]);
		expect(notified[0].json.lateNotice).toMatchObject({ outcome: 'notify', status: 'dry_run', dryRun: true, lateReasons: ['production_not_started_in_time'], promisedDeliveryDate: '2026-11-16T10:00:00.000Z' });
		expect(notNotified).toEqual([{ json: expect.objectContaining({ lateNotice: expect.objectContaining({ outcome: 'no_notice', status: 'not_notified', reasons: ['on_track_for_2026-11-16'] }) }), pairedItem: { item: 1 } }]);
	});

	it('an item without processed_at is an error item naming the field, with Continue On Fail', async () => {
		const [notified, notNotified] = await notifyDryRun([unshipped({ processed_at: undefined })], true);
		expect(notified).toHaveLength(0);
		expect(notNotified).toEqual([{ json: { error: 'Item 0: Field "processed_at" is missing', details: 'Give the time the order was processed (ISO 8601).' }, pairedItem: { item: 0 } }]);
	});
});

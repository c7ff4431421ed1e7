import { fakeContext } from '../../../support/fakeContext';
import { NodeHelpers, type IDataObject, type INodeProperties } from 'n8n-workflow';
import { CxCustomerHealth } from '../../../../nodes/CxCustomerHealth/CxCustomerHealth.node';
import { describeHealth, scoreHealth } from '../../../../nodes/CxCustomerHealth/health';
import { healthInputOf } from '../../../../nodes/CxCustomerHealth/healthInput';
import { customerIdForms } from '../../../../nodes/shared/contract/customer';
import { readsSignalsWhole, scoredOnOf, signalsFromRows, WHOLE_READ_ABOVE_CUSTOMERS } from '../../../../nodes/CxCustomerHealth/healthRun';
import { LATE_DELIVERY_REASONS } from '../../../../nodes/shared/contract/compensation';
import { readCustomerItem } from '../../../../nodes/shared/customerInput';
import { RetentionJsonlReader } from '../../../../nodes/shared/services/shopify/customersJsonl';
import { rejectionOf } from '../../../support/context';
import { HEALTH_POLICY } from '../../../../nodes/shared/policy';

const now = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

/** From items with Supabase off: the shell, the reading and the decision alone, no service touched. */
function score(items: IDataObject[], parameters: IDataObject = {}, continueOnFail = false) {
	const all: IDataObject = { source: 'items', supabaseSignals: false, storeScores: false, ...parameters, options: { now: now.toISOString(), ...(parameters.options as IDataObject) } };
	const context = fakeContext({ node: 'CX Customer Health', items, parameters: all, continueOnFail: continueOnFail });
	return new CxCustomerHealth().execute.call(context);
}

// the three customers of test/unit/health.test.ts, as items
const loyal: IDataObject = {
	customer_id: 'gid://shopify/Customer/1',
	email: 'loyal.buyer@example-store.test',
	first_name: 'Lena',
	amount_spent: '1500.00',
	currency: 'USD',
	email_marketing_consent: 'subscribed',
	tags: 'VIP',
	order_dates: [73, 120, 180, 240, 300, 360].map(daysAgo),
	latest_csat: 5,
};
const middling: IDataObject = {
	customer_id: '2',
	email: 'middling.buyer@example-store.test',
	amount_spent: 250,
	order_dates: [146, 200, 260].map(daysAgo).join(','),
	refund_dates: [daysAgo(150)],
	latest_csat: 4,
	latest_nps: 2,
	open_tickets: 1,
};
const atRisk: IDataObject = {
	customer_id: 'gid://shopify/Customer/3',
	email: 'at.risk@example-store.test',
	amount_spent: 0,
	order_dates: [daysAgo(212), daysAgo(500)],
	refund_dates: [daysAgo(100), daysAgo(200), daysAgo(400)],
	open_tickets: 2,
	late_deliveries_last_365: 1,
};
const health = (item: { json: IDataObject }) => item.json.health as IDataObject;

describe('CX Customer Health node: customers given by id alone', () => {
	it('asks for Shopify for the whole store and for items looked up by id, and not for items when the look-up is off', () => {
		const description = new CxCustomerHealth().description;
		const shopify = description.credentials!.filter((credential) => credential.name === 'cxShopifyAdminApi');
		// Shopify Authentication as n8n fills it in (its default, the Admin API credential)
		const shown = (parameters: IDataObject) => shopify.some((entry) => NodeHelpers.displayParameter({ authentication: 'adminApi', ...parameters } as never, entry, null, description));
		// n8n leaves out a parameter that is not shown: Look Up is shown for Input Items only
		expect(shown({ source: 'shopify', supabaseSignals: true })).toBe(true);
		expect(shown({ source: 'items', lookUpInShopify: true, supabaseSignals: true })).toBe(true);
		expect(shown({ source: 'items', supabaseSignals: true })).toBe(true);
		expect(shown({ source: 'items', lookUpInShopify: false, supabaseSignals: true })).toBe(false);
		expect(description.properties.find((property) => property.name === 'lookUpInShopify')).toMatchObject({ default: true, displayOptions: { show: { source: ['items'] } } });
	});

	it('a store that turned the look-up off under Input Items and switched back to Shopify is still asked for its Shopify credential, and a run finds it', () => {
		const description = new CxCustomerHealth().description;
		const node = { typeVersion: 1 };
		const entries = description.credentials!.filter((credential) => credential.name === 'cxShopifyAdminApi');
		const showing = (parameters: IDataObject) => entries.filter((entry) => NodeHelpers.displayParameter({ authentication: 'adminApi', ...parameters } as never, entry, node, description)).length;
		// what the editor may hold: the hidden look-up still off, as raw parameters and as n8n fills them in with defaults
		const raw = { source: 'shopify', lookUpInShopify: false, supabaseSignals: true };
		const filled = NodeHelpers.getNodeParameters(description.properties, raw as never, true, false, node as never, description) as IDataObject;
		const kept = NodeHelpers.getNodeParameters(description.properties, raw as never, true, true, node as never, description) as IDataObject;
		expect(kept.lookUpInShopify).toBe(false);
		// one Shopify credential shows in every form of the parameters: never none, never two
		for (const parameters of [raw, filled, kept, { source: 'shopify' }, { source: 'items' }, { source: 'items', lookUpInShopify: true }]) expect(showing(parameters)).toBe(1);
		expect(showing({ source: 'items', lookUpInShopify: false })).toBe(0);
		// a run reads the first entry (n8n's getCredentials), against the parameters as a workflow fills them in
		const runs = (parameters: IDataObject) => NodeHelpers.displayParameter(NodeHelpers.getNodeParameters(description.properties, parameters as never, true, false, node as never, description)!, entries[0], node, description);
		expect(runs(raw)).toBe(true);
		expect(runs({ source: 'items' })).toBe(true);
		expect(runs({ source: 'items', lookUpInShopify: false })).toBe(false);
		expect(entries).toHaveLength(2);
		expect(entries.every((entry) => entry.required === true)).toBe(true);
		// a partner app's store: the OAuth2 credential instead, under the same conditions
		const partner = description.credentials!.filter((credential) => credential.name === 'cxShopifyOAuth2Api');
		const partnerShowing = (parameters: IDataObject) => partner.filter((entry) => NodeHelpers.displayParameter({ authentication: 'oAuth2', ...parameters } as never, entry, node, description)).length;
		expect(partnerShowing({ source: 'shopify' })).toBe(1);
		expect(partnerShowing({ source: 'items', lookUpInShopify: false })).toBe(0);
		expect(showing({ source: 'shopify', authentication: 'oAuth2' })).toBe(0);
	});

	it('with the look-up off, an item with only an id scores as a customer without orders, without asking Shopify', async () => {
		const [red] = await score([{ customer_id: 'gid://shopify/Customer/5' }], { lookUpInShopify: false });
		expect(red.map((item) => [item.json.customer_id, (health(item).components as Record<string, IDataObject>).recency.detail])).toEqual([['gid://shopify/Customer/5', 'no_order_on_record']]);
	});
});

describe('CX Customer Health node (items, Supabase off)', () => {
	it('routes red, yellow and green with the score, its components and reasons, each paired with its item', async () => {
		const [red, yellow, green] = await score([loyal, middling, atRisk]);
		expect(red.map((item) => [item.json.customer_id, health(item).score, item.pairedItem])).toEqual([['gid://shopify/Customer/3', 29, { item: 2 }]]);
		expect(yellow.map((item) => [item.json.customer_id, health(item).score, item.pairedItem])).toEqual([['2', 58, { item: 1 }]]);
		expect(green.map((item) => [item.json.customer_id, health(item).score, item.pairedItem])).toEqual([['gid://shopify/Customer/1', 95, { item: 0 }]]);
		expect(health(red[0])).toMatchObject({
			band: 'red',
			trend: 'new',
			change: null,
			previousScore: null,
			scoredOn: '2026-06-01',
			stored: false,
			summary: 'Health 29 of 100 (red), first score; weakest: spend, recency, frequency, refunds, openTickets.',
		});
		expect(health(red[0]).components).toMatchObject({
			recency: { value: 41.92, weight: 25, points: 10.48, detail: '212_days_since_last_order' },
			satisfaction: { value: 50, unknown: true, detail: 'no_csat_or_nps' },
			delays: { value: 50, points: 2.5, detail: '1_late_delivery_in_last_365_days' },
		});
		expect(health(green[0]).reasons).toEqual(['band_green', 'trend_new']);
	});

	it('writes the customer under the names CX Win-Back reads, with the signals that were used', async () => {
		const [red, yellow, green] = await score([loyal, middling, atRisk]);
		expect(green[0].json).toMatchObject({
			customer_id: 'gid://shopify/Customer/1',
			email: 'loyal.buyer@example-store.test',
			first_name: 'Lena',
			orders_count: 6,
			amount_spent: '1500.00',
			currency: 'USD',
			email_marketing_consent: 'SUBSCRIBED',
			tags: ['VIP'],
			latest_csat: 5,
			latest_nps: null,
			open_tickets: 0,
			late_deliveries_last_365: 0,
		});
		expect(yellow[0].json).toMatchObject({ latest_csat: 4, latest_nps: 2, open_tickets: 1, refund_dates: [daysAgo(150)] });
		// the item round-trips: what the node writes, the shared reader reads back as the same customer
		expect(readCustomerItem(red[0].json)).toEqual(readCustomerItem(atRisk));
	});

	it('takes weights and band limits from the parameters', async () => {
		const weights = { values: { recency: 50, frequency: 0, spend: 0, satisfaction: 50, openTickets: 0, refunds: 0, delays: 0 } };
		const [, yellow] = await score([middling], { weights });
		// recency 60 * 50% + CSAT 4: 75 * 50% = 67.5 -> 68 (health.test.ts)
		expect(health(yellow[0])).toMatchObject({ score: 68, components: { spend: { weight: 0, points: 0 } } });
		const [red] = await score([middling], { options: { redUpTo: 60, yellowUpTo: 80 } });
		expect(health(red[0])).toMatchObject({ score: 58, band: 'red' });
	});

	it('names the option when the weights do not sum to 100 or the bands are out of order', async () => {
		await expect(score([loyal], { weights: { values: { recency: 30 } } })).rejects.toThrow('Weights: The health weights sum to 105; they must sum to 100.');
		await expect(score([loyal], { weights: { values: { delays: -5, recency: 35 } } })).rejects.toThrow('Weights: The health weight for delays is -5; weights cannot be negative.');
		const error = await rejectionOf<{ description: string }>(score([loyal], { weights: { values: { recency: 30 } } }));
		expect(error.description).toContain('summing to 100; now recency 30, frequency 15');
		await expect(score([loyal], { options: { redUpTo: 80, yellowUpTo: 75 } })).rejects.toThrow('Option "Yellow Up To" (75) is below "Red Up To" (80)');
		await expect(score([loyal], { options: { redUpTo: 120 } })).rejects.toThrow('Option "Red Up To" must be a number from 0 to 100');
		await expect(score([loyal], { options: { currency: 'DOLLARS' } })).rejects.toThrow('Option "Currency for Items Without One" is "DOLLARS"');
		await expect(score([loyal], { options: { now: 'yesterday' } })).rejects.toThrow('Option "Now" is not a date');
		await expect(score([loyal], { options: { visitGapHours: -1 } })).rejects.toThrow('Option "Orders Within Hours Are One Visit" must be a number of 0 or more, not -1');
		// two orders twenty minutes apart: one visit by default, two when the store counts every order
		const basket = { customer_id: '8', amount_spent: 60, order_dates: [daysAgo(30), new Date(Date.parse(daysAgo(30)) + 20 * 60_000).toISOString()] };
		const frequencyOf = async (options: IDataObject) => ((health((await score([basket], { options })).flat()[0]).components as Record<string, IDataObject>).frequency.detail);
		expect(await frequencyOf({})).toBe('1_visit_in_last_365_days');
		expect(await frequencyOf({ visitGapHours: 0 })).toBe('2_visits_in_last_365_days');
	});

	it('names the item and the field of bad input', async () => {
		await expect(score([loyal, { ...middling, customer_id: '' }])).rejects.toThrow('Item 1: Field "customer_id" is missing or empty');
		await expect(score([{ ...loyal, latest_csat: 7 }])).rejects.toThrow('Item 0: Field "latest_csat" is 7; it must be a whole number from 1 to 5');
		await expect(score([{ ...loyal, open_tickets: 1.5 }])).rejects.toThrow('Item 0: Field "open_tickets" is 1.5; it must be a whole number of 0 or more');
		await expect(score([{ ...loyal, order_dates: ['soon'] }])).rejects.toThrow('Item 0: Field "order_dates" has an entry that is not a date');
		const error = await rejectionOf<{ description: string; context: IDataObject }>(score([{ ...loyal, latest_nps: 11 }]));
		expect(error.description).toBe('Map "latest_nps" to the latest NPS answer, 0 to 10, or leave it out to read it from Supabase.');
		expect(error.context.itemIndex).toBe(0);
	});

	it('with Continue On Fail, turns bad items into error items on the green output and scores the rest', async () => {
		const [red, yellow, green] = await score([{ ...loyal, latest_csat: 'great' }, middling, { ...atRisk, amount_spent: -1 }], {}, true);
		expect(red).toEqual([]);
		expect(yellow.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(green).toEqual([
			{ json: { error: 'Item 0: Field "latest_csat" is not a number: "great"', details: 'Map "latest_csat" to the latest CSAT rating, 1 to 5, or leave it out to read it from Supabase.' }, pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ error: expect.stringMatching(/^Item 2: Field "amount_spent" is -1/) }), pairedItem: { item: 2 } },
		]);
	});

	it('shows the policy defaults (n8n reads literal defaults; these must match HEALTH_POLICY)', () => {
		const properties = new CxCustomerHealth().description.properties;
		const weights = properties.find((property) => property.name === 'weights')!.options![0] as { values: INodeProperties[] };
		expect(Object.fromEntries(weights.values.map((value) => [value.name, value.default]))).toEqual(HEALTH_POLICY.weights);
		const options = properties.find((property) => property.name === 'options')!.options as INodeProperties[];
		const defaults = Object.fromEntries(options.map((option) => [option.name, option.default]));
		expect(defaults).toMatchObject({ redUpTo: HEALTH_POLICY.bands.red, yellowUpTo: HEALTH_POLICY.bands.yellow, currency: 'USD', now: '', visitGapHours: HEALTH_POLICY.visitGapHours });
		expect(properties.find((property) => property.name === 'supabaseSignals')!.default).toBe(true);
		expect(properties.find((property) => property.name === 'storeScores')!.default).toBe(true);
		expect(new CxCustomerHealth().description.outputNames).toEqual(['Red', 'Yellow', 'Green']);
	});
});

describe('customer health signals', () => {
	it('derives recency, frequency and refunds from the customer as of now', () => {
		const customer = readCustomerItem(atRisk);
		expect(healthInputOf(customer, {}, undefined, now)).toEqual({
			customerId: 'gid://shopify/Customer/3',
			lastOrderAt: daysAgo(212),
			ordersLast365: 1,
			lifetimeSpend: { cents: 0, currency: 'USD' },
			latestCsat: null,
			latestNps: null,
			openTickets: 0,
			returnsLast365: 0,
			refundsLast365: 2,
			lateDeliveriesLast365: 0,
			previousScore: null,
		});
		// the item's signals win over Supabase's; Supabase fills what the item leaves out
		const stored = { latestCsat: 2, latestNps: 9, openTickets: 4, lateDeliveriesLast365: 3, previousScore: 61, previousScoredOn: '2026-05-31' };
		expect(healthInputOf(customer, { openTickets: 0, latestNps: 10 }, stored, now)).toMatchObject({ latestCsat: 2, latestNps: 10, openTickets: 0, lateDeliveriesLast365: 3, previousScore: 61 });
	});

	describe('returns and refunds', () => {
		/** Customers from bulk lines as Shopify writes them: each order [processedAt, returnStatus, refund times]. */
		const fromShopify = (orders: Record<number, Array<[string, string, string[]]>>) => {
			const reader = new RetentionJsonlReader();
			for (const [id, lines] of Object.entries(orders)) {
				reader.add({ id: `gid://shopify/Customer/${id}`, numberOfOrders: String(lines.length), amountSpent: { amount: '300.00', currencyCode: 'USD' } });
				lines.forEach(([processedAt, returnStatus, refunds], index) => reader.add({
					id: `gid://shopify/Order/${id}${index}`, processedAt, cancelledAt: null, returnStatus, refunds: refunds.map((createdAt) => ({ createdAt })), __parentId: `gid://shopify/Customer/${id}`,
				}));
			}
			return new Map(reader.customers().map((customer) => [customer.customerId.slice('gid://shopify/Customer/'.length), customer]));
		};
		const refundsOf = (customer: ReturnType<typeof readCustomerItem>) => {
			const input = healthInputOf(customer, {}, undefined, now);
			return [input.returnsLast365, input.refundsLast365, scoreHealth(input, HEALTH_POLICY, now).components.refunds];
		};
		// an exchange: a Return, no Refund; a refund with no return; a return settled by two refunds; one a year and more ago
		const exchange: [string, string, string[]] = [daysAgo(30), 'IN_PROGRESS', []];
		const refundOnly: [string, string, string[]] = [daysAgo(90), 'NO_RETURN', [daysAgo(80)]];
		const twoRefunds: [string, string, string[]] = [daysAgo(200), 'RETURNED', [daysAgo(185), daysAgo(170)]];
		const old: [string, string, string[]] = [daysAgo(420), 'RETURNED', [daysAgo(400)]];

		it('counts an order returned from once, dated by its latest refund or else its processedAt, and a refund without a return as before', () => {
			const customers = fromShopify({ 40: [exchange, refundOnly, twoRefunds, old], 41: [exchange], 42: [refundOnly], 43: [twoRefunds], 44: [old] });
			// the returned orders' refunds are the return's: in returnDates, once each, not in refundDates
			expect(customers.get('40')).toMatchObject({ orderDates: [daysAgo(30), daysAgo(90), daysAgo(200), daysAgo(420)], returnDates: [daysAgo(30), daysAgo(170), daysAgo(400)], refundDates: [daysAgo(80)] });
			// 2 returns (the exchange, the return with two refunds; the old one is out) + 1 refund: 100 - 3 * 50, floored at 0
			expect(refundsOf(customers.get('40')!)).toEqual([2, 1, { value: 0, weight: 10, points: 0, detail: '2_returns_and_1_refund_in_last_365_days' }]);
			expect(refundsOf(customers.get('41')!)).toEqual([1, 0, { value: 50, weight: 10, points: 5, detail: '1_return_and_0_refunds_in_last_365_days' }]);
			expect(refundsOf(customers.get('42')!)).toEqual([0, 1, { value: 50, weight: 10, points: 5, detail: '0_returns_and_1_refund_in_last_365_days' }]);
			// one return, not three (the return and its two refunds)
			expect(refundsOf(customers.get('43')!)).toEqual([1, 0, { value: 50, weight: 10, points: 5, detail: '1_return_and_0_refunds_in_last_365_days' }]);
			expect(refundsOf(customers.get('44')!)).toEqual([0, 0, { value: 100, weight: 10, points: 10, detail: '0_returns_and_0_refunds_in_last_365_days' }]);
		});

		it('counts a request not yet approved, dates a refunded return by its refund even when the order is older than a year, and reads a failed return\'s refunds as refunds', () => {
			const customers = fromShopify({
				50: [[daysAgo(12), 'RETURN_REQUESTED', []]],
				// ordered 380 days ago, returned and refunded 350 days ago: counted; an exchange of an order 380 days old is not
				51: [[daysAgo(380), 'RETURNED', [daysAgo(350)]], [daysAgo(380), 'INSPECTION_COMPLETE', []]],
				52: [[daysAgo(60), 'RETURN_FAILED', [daysAgo(50)]], [daysAgo(70), 'NO_RETURN', [daysAgo(65), daysAgo(64)]]],
			});
			expect(refundsOf(customers.get('50')!)).toEqual([1, 0, expect.objectContaining({ value: 50 })]);
			expect(customers.get('51')!.returnDates).toEqual([daysAgo(350), daysAgo(380)]);
			expect(refundsOf(customers.get('51')!)).toEqual([1, 0, expect.objectContaining({ value: 50 })]);
			expect(refundsOf(customers.get('52')!)).toEqual([0, 3, expect.objectContaining({ value: 0, detail: '0_returns_and_3_refunds_in_last_365_days' })]);
		});

		it('a cancelled order counts for nothing, returned or not', () => {
			const reader = new RetentionJsonlReader();
			reader.add({ id: 'gid://shopify/Customer/60' });
			reader.add({ id: 'gid://shopify/Order/601', processedAt: daysAgo(20), cancelledAt: daysAgo(19), returnStatus: 'RETURNED', refunds: [{ createdAt: daysAgo(19) }], __parentId: 'gid://shopify/Customer/60' });
			expect(reader.customers()[0]).toMatchObject({ orderDates: [], refundDates: [], returnDates: [] });
		});

		it('reads return_dates from items beside refund_dates, writes them back, and names the field of a bad one', async () => {
			// middling's one refund and a return 20 days ago: 100 - 2 * 50 = 0 -> 0 points instead of 5: 57.85 - 5 = 52.85 -> 53
			const [, yellow] = await score([{ ...middling, return_dates: [daysAgo(20)] }]);
			expect(health(yellow[0])).toMatchObject({ score: 53, components: { refunds: { value: 0, points: 0, detail: '1_return_and_1_refund_in_last_365_days' } } });
			expect(health(yellow[0]).reasons).toContain('weak_refunds:1_return_and_1_refund_in_last_365_days');
			expect(yellow[0].json).toMatchObject({ refund_dates: [daysAgo(150)], return_dates: [daysAgo(20)] });
			// left out, as before returns were read: none
			expect((await score([middling]))[1][0].json).toMatchObject({ return_dates: [] });
			await expect(score([{ ...middling, return_dates: [daysAgo(20), 'after the holidays'] }])).rejects.toThrow('Item 0: Field "return_dates" has an entry that is not a date (position 2): "after the holidays"');
			await expect(score([{ ...middling, return_dates: ['2027-06-01T00:00:00Z'] }])).rejects.toThrow('Item 0: Field "return_dates[0]" is 2027-06-01T00:00:00.000Z, after the run\'s time');
		});
	});

	it('a customer who placed a second order twenty minutes after the first made one visit: frequency counts visits, not orders, and its detail says visits', () => {
		const at = (days: number, minutes = 0) => new Date(now.getTime() - days * 86_400_000 + minutes * 60_000).toISOString();
		const customer = readCustomerItem({ customer_id: 'gid://shopify/Customer/9', amount_spent: 80, order_dates: [at(40), at(40, 20), at(100), at(100, 600)] });
		expect(healthInputOf(customer, {}, undefined, now).ordersLast365).toBe(2);
		// a store that counts every order sets the visit gap to 0 hours
		expect(healthInputOf(customer, {}, undefined, now, 0).ordersLast365).toBe(4);
		const frequency = scoreHealth(healthInputOf(customer, {}, undefined, now), HEALTH_POLICY, now).components.frequency;
		expect(frequency).toMatchObject({ value: 33.33, detail: '2_visits_in_last_365_days' });
	});

	it('matches a customer whether a table holds the GID or the bare number', () => {
		expect(customerIdForms('gid://shopify/Customer/42')).toEqual(['gid://shopify/Customer/42', '42']);
		expect(customerIdForms('42')).toEqual(['42', 'gid://shopify/Customer/42']);
		expect(customerIdForms('helpdesk-7')).toEqual(['helpdesk-7']);
		const signals = signalsFromRows({
			openTickets: [{ customer_id: '42' }, { customer_id: 'gid://shopify/Customer/42' }, { customer_id: 'helpdesk-7' }],
			surveyAnswers: [
				{ customer_id: '42', type: 'csat', score: 2, responded_at: '2026-05-01T00:00:00Z' },
				{ customer_id: 'gid://shopify/Customer/42', type: 'csat', score: '5', responded_at: '2026-05-20T00:00:00Z' },
				// off the 1-5 scale: not a CSAT answer, the one before it counts
				{ customer_id: '42', type: 'csat', score: 9, responded_at: '2026-05-30T00:00:00Z' },
				{ customer_id: '42', type: 'nps', score: 3, responded_at: '2026-05-10T00:00:00Z' },
			],
			compensations: [
				{ customer_id: 'gid://shopify/Customer/42', order_id: 'gid://shopify/Order/1' },
				// the same order under another policy version is one late delivery
				{ customer_id: 'gid://shopify/Customer/42', order_id: 'gid://shopify/Order/1' },
				{ customer_id: '42', order_id: 'gid://shopify/Order/2' },
			],
			previousScores: [
				{ customer_id: '42', score: 40, scored_on: '2026-05-01' },
				{ customer_id: 'gid://shopify/Customer/42', score: 55, scored_on: '2026-05-30' },
			],
		});
		expect(signals.get('gid://shopify/Customer/42')).toEqual({ openTickets: 2, lateDeliveriesLast365: 2, latestCsat: 5, latestNps: 3, previousScore: 55, previousScoredOn: '2026-05-30' });
		expect(signals.get('helpdesk-7')).toEqual({ openTickets: 1, lateDeliveriesLast365: 0 });
	});

	it('reads the signal tables whole for the whole store or more than 2,000 items, by customer id otherwise', () => {
		expect(WHOLE_READ_ABOVE_CUSTOMERS).toBe(2_000);
		expect(readsSignalsWhole('shopify', 3)).toBe(true);
		expect(readsSignalsWhole('items', 2_000)).toBe(false);
		expect(readsSignalsWhole('items', 2_001)).toBe(true);
		expect(readsSignalsWhole('items', 3, 2)).toBe(true);
	});

	it('counts what CX Delay Compensation records as a late delivery, and stores under the UTC day', () => {
		expect(LATE_DELIVERY_REASONS).toEqual(['shipping_delay']);
		expect(scoredOnOf(new Date('2026-06-01T23:59:59-05:00'))).toBe('2026-06-02');
	});

	it('says the trend in a sentence', () => {
		const base = healthInputOf(readCustomerItem(loyal), { latestCsat: 5 }, undefined, now);
		expect(describeHealth(scoreHealth({ ...base, previousScore: 88 }, HEALTH_POLICY, now))).toBe('Health 95 of 100 (green), up 7 from 88.');
		expect(describeHealth(scoreHealth({ ...base, previousScore: 93 }, HEALTH_POLICY, now))).toBe('Health 95 of 100 (green), stable against 93.');
	});
});

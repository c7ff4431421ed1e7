import { moneyFromDecimal } from '../../../../nodes/shared/money';
import type { DeliveryFacts, FulfillmentFacts } from '../../../../nodes/shared/contract/order';
import { addBusinessDays, daysBetween } from '../../../../nodes/shared/time';
import { needsTrackingEvents, needsTrackingEventsToCompensate } from '../../../../nodes/shared/delivery';
import {
	DEFAULT_DELAY_POLICY,
	decideDelayCompensation,
	policyVersionOf,
	promisedDeliveryDate,
	type DelayPolicy,
} from '../../../../nodes/CxDelayCompensation/delay';

const weekdays = [1, 2, 3, 4, 5];
const iso = (date: Date) => date.toISOString();

describe('addBusinessDays', () => {
	it('skips a weekend and holidays, keeping the time of day', () => {
		const calendar = { timeZone: 'UTC', days: weekdays, holidays: ['2026-12-25', '2027-01-01'] };
		// Thu 24 Dec: (Fri 25 off), Mon 28, Tue 29, Wed 30, Thu 31, (Fri 1 Jan off), Mon 4, Tue 5, Wed 6
		expect(iso(addBusinessDays(new Date('2026-12-24T10:00:00Z'), 7, calendar))).toBe('2027-01-06T10:00:00.000Z');
		// Without the holidays: Fri 25, Mon 28 ... Thu 31, Fri 1, Mon 4
		expect(iso(addBusinessDays(new Date('2026-12-24T10:00:00Z'), 7, { timeZone: 'UTC', days: weekdays }))).toBe('2027-01-04T10:00:00.000Z');
		// A start on a Saturday counts from Monday
		expect(iso(addBusinessDays(new Date('2026-11-07T09:15:30.250Z'), 1, calendar))).toBe('2026-11-09T09:15:30.250Z');
		expect(iso(addBusinessDays(new Date('2026-11-07T09:00:00Z'), 0, calendar))).toBe('2026-11-07T09:00:00.000Z');
	});

	it('counts days in the store\'s zone where its date differs from UTC', () => {
		// 03:30Z Saturday 7 Nov is 19:30 Friday 6 Nov in Los Angeles (PST, UTC-8)
		const start = new Date('2026-11-07T03:30:00Z');
		// Los Angeles: Fri 6 -> Mon 9 (1) ... Fri 13 (5), Mon 16 (6), Tue 17 (7) at 19:30 PST
		expect(iso(addBusinessDays(start, 7, { timeZone: 'America/Los_Angeles', days: weekdays }))).toBe('2026-11-18T03:30:00.000Z');
		// UTC: Sat 7 -> Mon 9 (1) ... Tue 17 (7) at 03:30: a day earlier
		expect(iso(addBusinessDays(start, 7, { timeZone: 'UTC', days: weekdays }))).toBe('2026-11-17T03:30:00.000Z');
		// 16:00Z Friday is 01:00 Saturday in Tokyo: the first business day there is Monday
		expect(iso(addBusinessDays(new Date('2026-11-06T16:00:00Z'), 1, { timeZone: 'Asia/Tokyo', days: weekdays }))).toBe('2026-11-08T16:00:00.000Z');
		// A holiday is a date in the store's zone: Wed 11 Nov off in Los Angeles moves the promise a day
		const withHoliday = { timeZone: 'America/Los_Angeles', days: weekdays, holidays: ['2026-11-11'] };
		expect(iso(addBusinessDays(start, 7, withHoliday))).toBe('2026-11-19T03:30:00.000Z');
	});

	it('keeps the wall-clock time across a DST change', () => {
		// Fri 30 Oct 10:00 EDT (14:00Z); New York falls back on Sun 1 Nov; Tue 10 Nov 10:00 EST is 15:00Z
		const calendar = { timeZone: 'America/New_York', days: weekdays };
		expect(iso(addBusinessDays(new Date('2026-10-30T14:00:00Z'), 7, calendar))).toBe('2026-11-10T15:00:00.000Z');
		expect(daysBetween(new Date('2026-10-30T14:00:00Z'), new Date('2026-11-10T15:00:00Z'))).toBeCloseTo(11 + 1 / 24, 10);
	});

	it('refuses a calendar with no working day and a part or negative day', () => {
		expect(() => addBusinessDays(new Date('2026-11-02T00:00:00Z'), 1, { timeZone: 'UTC', days: [] })).toThrow('at least one working day');
		expect(() => addBusinessDays(new Date('2026-11-02T00:00:00Z'), 1.5, { timeZone: 'UTC', days: weekdays })).toThrow('whole');
		expect(() => addBusinessDays(new Date('2026-11-02T00:00:00Z'), -1, { timeZone: 'UTC', days: weekdays })).toThrow('whole');
	});
});

// Processed Mon 2 Nov 15:00Z: 7 business days -> Wed 11 Nov, 5 calendar days -> promised Mon 16 Nov 15:00Z.
const PROCESSED = '2026-11-02T15:00:00Z';
const PROMISED = '2026-11-16T15:00:00.000Z';

const delivered = (deliveredAt: string, change: Partial<FulfillmentFacts> = {}): FulfillmentFacts => ({
	createdAt: '2026-11-10T12:00:00Z',
	inTransitAt: '2026-11-11T12:00:00Z',
	deliveredAt,
	displayStatus: 'DELIVERED',
	events: [{ status: 'DELIVERED', happenedAt: deliveredAt, message: null }],
	...change,
});

const inTransit = (change: Partial<FulfillmentFacts> = {}): FulfillmentFacts => ({
	createdAt: '2026-11-10T12:00:00Z',
	inTransitAt: '2026-11-11T12:00:00Z',
	displayStatus: 'IN_TRANSIT',
	events: [{ status: 'IN_TRANSIT', happenedAt: '2026-11-11T12:00:00Z' }],
	...change,
});

const order = (change: Partial<DeliveryFacts> = {}): DeliveryFacts => ({
	orderId: 'gid://shopify/Order/1001',
	name: '#1001',
	processedAt: PROCESSED,
	total: moneyFromDecimal('80.00', 'USD'),
	tier: 'regular',
	fulfillments: [],
	...change,
});

const TEN_DAYS_LATE = '2026-11-26T15:00:00Z';
const decide = (change: Partial<DeliveryFacts> = {}, now = new Date('2026-12-01T00:00:00Z'), policy: DelayPolicy = DEFAULT_DELAY_POLICY) =>
	decideDelayCompensation(order(change), policy, now);
const lateBy10 = (change: Partial<DeliveryFacts> = {}) => decide({ fulfillments: [delivered(TEN_DAYS_LATE)], ...change });

describe('promisedDeliveryDate (DESIGN.md Delay: made to order, 5-7 business days + transit)', () => {
	it('is processedAt + 7 business days + 5 calendar days without an estimate', () => {
		expect(promisedDeliveryDate(order(), DEFAULT_DELAY_POLICY)).toEqual({ date: new Date(PROMISED), from: 'production_window' });
	});

	it('keeps the store\'s window when parcels carry a carrier estimate: the estimate is information, not a later promise', () => {
		const fulfillments = [
			inTransit({ estimatedDeliveryAt: '2026-11-14T20:00:00Z' }),
			inTransit({ estimatedDeliveryAt: '2026-11-19T20:00:00Z' }),
			inTransit({ estimatedDeliveryAt: null }),
		];
		expect(promisedDeliveryDate(order({ fulfillments }), DEFAULT_DELAY_POLICY)).toEqual({ date: new Date(PROMISED), from: 'production_window', carrierEstimate: new Date('2026-11-19T20:00:00Z') });
	});

	it('is the delivery date checkout showed the customer, where Shopify holds one for the order', () => {
		const fulfillments = [inTransit({ estimatedDeliveryAt: '2026-11-30T20:00:00Z' })];
		expect(promisedDeliveryDate(order({ fulfillments, checkoutPromiseAt: '2026-11-13T23:59:59Z' }), DEFAULT_DELAY_POLICY)).toEqual({
			date: new Date('2026-11-13T23:59:59Z'),
			from: 'checkout_promise',
			carrierEstimate: new Date('2026-11-30T20:00:00Z'),
		});
	});

	it('counts the window in the store\'s zone', () => {
		// Fri 6 Nov 19:30 in Los Angeles: Tue 17 Nov 19:30 PST + 5 days = Sun 22 Nov 19:30 PST = 23 Nov 03:30Z
		const policy = { ...DEFAULT_DELAY_POLICY, calendar: { ...DEFAULT_DELAY_POLICY.calendar, timeZone: 'America/Los_Angeles' } };
		expect(iso(promisedDeliveryDate(order({ processedAt: '2026-11-07T03:30:00Z' }), policy).date)).toBe('2026-11-23T03:30:00.000Z');
		// 23:30Z on Fri 6 Nov is 15:30 Friday there too: Tue 17 + 5 = Sun 22 Nov 15:30 PST
		expect(iso(promisedDeliveryDate(order({ processedAt: '2026-11-06T23:30:00Z' }), policy).date)).toBe('2026-11-22T23:30:00.000Z');
	});
});

describe('needsTrackingEvents (which orders the Shopify read fetches tracking events for)', () => {
	const withoutEvents = (fulfillment: FulfillmentFacts): FulfillmentFacts => ({ ...fulfillment, events: [] });
	it('fetches none for an order delivered by its promise: its decision cannot change and it has no delay to explain', () => {
		expect(needsTrackingEvents(order({ fulfillments: [withoutEvents(delivered('2026-11-16T15:00:00Z'))] }), DEFAULT_DELAY_POLICY)).toBe(false);
	});
	it('fetches them for an order that arrived after its promise: its delivery issues go with the compensation', () => {
		expect(needsTrackingEvents(order({ fulfillments: [withoutEvents(delivered(TEN_DAYS_LATE))] }), DEFAULT_DELAY_POLICY)).toBe(true);
		// one minute past a checkout promise is after it
		expect(needsTrackingEvents(order({ checkoutPromiseAt: '2026-11-10T00:00:00Z', fulfillments: [withoutEvents(delivered('2026-11-10T00:01:00Z'))] }), DEFAULT_DELAY_POLICY)).toBe(true);
	});
	it('fetches them while a live parcel has no recorded arrival (a DELIVERED event may tell it), not for a cancelled one or an unshipped order', () => {
		expect(needsTrackingEvents(order({ fulfillments: [withoutEvents(delivered('2026-11-12T15:00:00Z')), withoutEvents(inTransit())] }), DEFAULT_DELAY_POLICY)).toBe(true);
		expect(needsTrackingEvents(order({ fulfillments: [withoutEvents(delivered('2026-11-12T15:00:00Z')), withoutEvents(inTransit({ displayStatus: 'CANCELED' }))] }), DEFAULT_DELAY_POLICY)).toBe(false);
		expect(needsTrackingEvents(order({ fulfillments: [withoutEvents(inTransit({ displayStatus: 'CANCELED' }))] }), DEFAULT_DELAY_POLICY)).toBe(false);
		expect(needsTrackingEvents(order(), DEFAULT_DELAY_POLICY)).toBe(false);
	});
});

describe('needsTrackingEventsToCompensate (the events a compensation run reads)', () => {
	const withoutEvents = (fulfillment: FulfillmentFacts): FulfillmentFacts => ({ ...fulfillment, events: [] });
	const at = (days: number, hours = 0) => new Date(Date.parse(PROMISED) + days * 86_400_000 + hours * 3_600_000);
	const needs = (facts: DeliveryFacts, now: Date) => needsTrackingEventsToCompensate(facts, DEFAULT_DELAY_POLICY, now, DEFAULT_DELAY_POLICY.thresholdDays);

	it('reads them for an order late by more than the threshold, arrived or still on its way', () => {
		expect(needs(order({ fulfillments: [withoutEvents(delivered(TEN_DAYS_LATE))] }), at(20))).toBe(true);
		expect(needs(order({ fulfillments: [withoutEvents(inTransit())] }), at(8))).toBe(true);
	});

	it('reads none for an order late by the threshold or less, arrived or on its way, nor for one on time or unshipped', () => {
		expect(needs(order({ fulfillments: [withoutEvents(delivered(iso(at(3))))] }), at(20))).toBe(false);
		expect(needs(order({ fulfillments: [withoutEvents(inTransit())] }), at(7, 23))).toBe(false);
		expect(needs(order({ fulfillments: [withoutEvents(delivered(iso(at(-1))))] }), at(20))).toBe(false);
		expect(needs(order(), at(30))).toBe(false);
	});

	it('leaves out only orders whose decision the events cannot change: the same outcome, amount and lateness with them as without', () => {
		const trail = (arrivedAt: Date | undefined): FulfillmentFacts['events'] => [
			{ status: 'DELAYED', happenedAt: iso(at(1)), message: 'Weather' },
			...(arrivedAt ? [{ status: 'DELIVERED', happenedAt: iso(arrivedAt), message: null }] : []),
		];
		let checked = 0;
		for (const nowDays of [0, 3, 7, 8, 12, 30]) {
			for (const arrivedDays of [undefined, -2, 2, 7, 8, 15]) {
				const now = at(nowDays, 1);
				const arrived = arrivedDays === undefined ? undefined : at(arrivedDays);
				if (arrived && arrived > now) continue;
				// Shopify may record the arrival as a field, or only as a DELIVERED event
				for (const recorded of [true, false]) {
					const bare = inTransit({ ...(arrived && recorded ? { deliveredAt: iso(arrived), displayStatus: 'DELIVERED' } : {}), events: [] });
					const withEvents = { ...bare, events: trail(arrived) };
					if (needs(order({ fulfillments: [bare] }), now)) continue;
					const without = decideDelayCompensation(order({ fulfillments: [bare] }), DEFAULT_DELAY_POLICY, now);
					const full = decideDelayCompensation(order({ fulfillments: [withEvents] }), DEFAULT_DELAY_POLICY, now);
					expect({ outcome: full.outcome, amount: full.amount }).toEqual({ outcome: without.outcome, amount: without.amount });
					expect(full.outcome).toBe('not_eligible');
					checked++;
				}
			}
		}
		expect(checked).toBe(27);
	});
});

describe('decideDelayCompensation (seeds: compensation for shipping delays > 7 days)', () => {
	it('compensates an order delivered 10 days late, and says why', () => {
		const decision = lateBy10();
		expect(decision).toEqual({
			outcome: 'compensate',
			reason: 'shipping_delay',
			policyVersion: policyVersionOf(DEFAULT_DELAY_POLICY),
			promisedDeliveryDate: PROMISED,
			promisedFrom: 'production_window',
			deliveredAt: '2026-11-26T15:00:00.000Z',
			daysLate: 10,
			deliveryIssues: [],
			amount: { cents: 2500, currency: 'USD' },
			perks: [],
			reasons: ['late_10_days_over_7', 'tier_regular:25', 'order_value_band_0:25'],
			summary: '#1001 arrived 10 days after the promised 2026-11-16: $25.00 credit.',
		});
	});

	it('does not compensate 7 days late exactly, nor 7 days and 23 hours', () => {
		for (const arrived of ['2026-11-23T15:00:00Z', '2026-11-24T14:00:00Z']) {
			const decision = decide({ fulfillments: [delivered(arrived)] });
			expect(decision).toMatchObject({ outcome: 'not_eligible', daysLate: 7, reasons: ['late_7_days_not_over_7'], perks: [] });
			expect(decision.amount).toBeUndefined();
		}
		expect(decide({ fulfillments: [delivered('2026-11-24T15:00:00Z')] })).toMatchObject({ outcome: 'compensate', daysLate: 8 });
	});

	it('is never negative: delivered early is 0 days late', () => {
		expect(decide({ fulfillments: [delivered('2026-11-12T15:00:00Z')] })).toMatchObject({ outcome: 'not_eligible', daysLate: 0, reasons: ['late_0_days_not_over_7'] });
	});

	it('an order processed Monday 2 Nov, promised 16 Nov, that shipped 26 Nov with a carrier estimate of 30 Nov and arrived 30 Nov is 14 days late', () => {
		const arrived = '2026-11-30T15:00:00Z';
		const fulfillments = [delivered(arrived, { createdAt: '2026-11-26T12:00:00Z', inTransitAt: '2026-11-26T18:00:00Z', estimatedDeliveryAt: arrived })];
		const decision = decide({ fulfillments }, new Date('2026-12-02T00:00:00Z'));
		expect(decision).toMatchObject({
			outcome: 'compensate',
			promisedFrom: 'production_window',
			promisedDeliveryDate: PROMISED,
			carrierEstimate: '2026-11-30T15:00:00.000Z',
			daysLate: 14,
			amount: { cents: 2500, currency: 'USD' },
		});
		expect(decision.summary).toBe('#1001 arrived 14 days after the promised 2026-11-16: $25.00 credit.');
	});

	it('measures against the delivery date checkout promised, not against a carrier estimate set at shipping', () => {
		const fulfillments = [delivered(TEN_DAYS_LATE, { estimatedDeliveryAt: '2026-11-24T15:00:00Z' })];
		// checkout promised 20 Nov: 6 days late, whatever the carrier later estimated
		expect(decide({ fulfillments, checkoutPromiseAt: '2026-11-20T15:00:00Z' })).toMatchObject({
			promisedFrom: 'checkout_promise', promisedDeliveryDate: '2026-11-20T15:00:00.000Z', carrierEstimate: '2026-11-24T15:00:00.000Z', daysLate: 6, outcome: 'not_eligible',
		});
	});

	it('waits for the last fulfillment: one still in transit measures against now', () => {
		const fulfillments = [delivered('2026-11-18T15:00:00Z'), inTransit()];
		const decision = decide({ fulfillments }, new Date('2026-11-27T16:00:00Z'));
		expect(decision.deliveredAt).toBeUndefined();
		expect(decision).toMatchObject({ daysLate: 11, outcome: 'compensate' });
		const both = decide({ fulfillments: [delivered('2026-11-18T15:00:00Z'), delivered(TEN_DAYS_LATE)] });
		expect(both).toMatchObject({ deliveredAt: '2026-11-26T15:00:00.000Z', daysLate: 10 });
		// A cancelled fulfillment will never arrive; the delivered one decides
		const cancelled = decide({ fulfillments: [delivered(TEN_DAYS_LATE), inTransit({ displayStatus: 'CANCELED' })] });
		expect(cancelled).toMatchObject({ deliveredAt: '2026-11-26T15:00:00.000Z', daysLate: 10 });
	});

	it('reports delivery issues whatever the outcome: in transit past the promise with a DELAYED event', () => {
		const events = [
			{ status: 'IN_TRANSIT', happenedAt: '2026-11-11T12:00:00Z' },
			{ status: 'ATTEMPTED_DELIVERY', happenedAt: '2026-11-17T18:00:00Z', message: null },
			{ status: 'DELAYED', happenedAt: '2026-11-15T08:00:00Z', message: 'Weather delay at the regional hub' },
		];
		const late = decide({ fulfillments: [inTransit({ events })] }, new Date('2026-11-25T16:00:00Z'));
		expect(late).toMatchObject({ outcome: 'compensate', daysLate: 9 });
		expect(late.deliveryIssues).toEqual([
			{ status: 'DELAYED', happenedAt: '2026-11-15T08:00:00.000Z', message: 'Weather delay at the regional hub' },
			{ status: 'ATTEMPTED_DELIVERY', happenedAt: '2026-11-17T18:00:00.000Z' },
		]);
		const early = decide({ fulfillments: [inTransit({ events })] }, new Date('2026-11-18T16:00:00Z'));
		expect(early).toMatchObject({ outcome: 'not_eligible', daysLate: 2 });
		expect(early.deliveryIssues).toHaveLength(2);
		const failed = decide({ cancelledAt: '2026-11-20T00:00:00Z', fulfillments: [inTransit({ events: [{ status: 'FAILURE', happenedAt: '2026-11-19T10:00:00Z' }] })] });
		expect(failed.deliveryIssues).toEqual([{ status: 'FAILURE', happenedAt: '2026-11-19T10:00:00.000Z' }]);
	});

	it('compensates an unfulfilled order 15 days past the promise', () => {
		const decision = decide({ fulfillments: [] }, new Date('2026-12-01T15:00:00Z'));
		expect(decision).toMatchObject({ outcome: 'compensate', daysLate: 15, amount: { cents: 2500, currency: 'USD' } });
		expect(decision.summary).toBe('#1001 is 15 days past the promised 2026-11-16 and not delivered: $25.00 credit.');
	});

	it('counts a day across DST as one day late', () => {
		// New York springs forward on Sun 14 Mar 2027: 10:00 EST on 10 Mar to 10:00 EDT on 18 Mar is 8 days, 191 hours
		const policy = { ...DEFAULT_DELAY_POLICY, calendar: { ...DEFAULT_DELAY_POLICY.calendar, timeZone: 'America/New_York' } };
		const fulfillments = [delivered('2027-03-18T14:00:00Z')];
		expect(decideDelayCompensation(order({ fulfillments, checkoutPromiseAt: '2027-03-10T15:00:00Z' }), policy, new Date('2027-04-01T00:00:00Z'))).toMatchObject({ daysLate: 8, outcome: 'compensate' });
		expect(decideDelayCompensation(order({ fulfillments, checkoutPromiseAt: '2027-03-10T15:00:00Z' }), DEFAULT_DELAY_POLICY, new Date('2027-04-01T00:00:00Z'))).toMatchObject({ daysLate: 7, outcome: 'not_eligible' });
	});

	it('does not compensate a cancelled order, an order that cost nothing, or one refunded in full', () => {
		expect(lateBy10({ cancelledAt: '2026-11-20T00:00:00Z' })).toMatchObject({ outcome: 'not_eligible', reasons: ['order_cancelled'], daysLate: 10 });
		expect(lateBy10({ total: moneyFromDecimal('0.00', 'USD') })).toMatchObject({ outcome: 'not_eligible', reasons: ['order_total_zero'] });
		expect(lateBy10({ refunded: moneyFromDecimal('80.00', 'USD') })).toMatchObject({ outcome: 'not_eligible', reasons: ['order_fully_refunded'] });
	});

	it('asks a person when the order is partly refunded, never stacking credit on the refund', () => {
		const decision = lateBy10({ refunded: moneyFromDecimal('60.00', 'USD') });
		expect(decision).toMatchObject({ outcome: 'needs_approval', amount: { cents: 2000, currency: 'USD' } });
		expect(decision.reasons).toEqual(['late_10_days_over_7', 'tier_regular:25', 'order_value_band_0:25', 'capped_at_unrefunded_total:20.00', 'order_partly_refunded']);
		expect(lateBy10({ refunded: moneyFromDecimal('0.00', 'USD') }).outcome).toBe('compensate');
	});
});

describe('the amount (DESIGN.md: $25 standard, $50 + expedited shipping VIP; by value $25/$50/$100/$200; the larger)', () => {
	it.each([
		['regular', 25, []],
		['premium', 25, []],
		['vip', 50, ['expedited_shipping_next_order']],
	] as const)('tier %s: %i and perks %j', (tier, amount, perks) => {
		const decision = lateBy10({ tier });
		expect(decision).toMatchObject({ outcome: 'compensate', amount: moneyFromDecimal(amount, 'USD'), perks });
		expect(decision.reasons).toContain(`tier_${tier}:${amount}`);
		if (tier === 'vip') expect(decision.reasons).toContain('vip_perk:expedited_shipping_next_order');
		if (tier === 'vip') expect(decision.summary).toBe('#1001 arrived 10 days after the promised 2026-11-16: $50.00 credit and expedited_shipping_next_order.');
	});

	it.each([
		['99.99', 0, 25],
		['100.00', 100, 50],
		['249.99', 100, 50],
		['250.00', 250, 100],
		['499.99', 250, 100],
		['500.00', 500, 200],
	])('an order of %s is in band %i: %i', (total, band, amount) => {
		const decision = lateBy10({ total: moneyFromDecimal(total, 'USD') });
		expect(decision).toMatchObject({ outcome: 'compensate', amount: moneyFromDecimal(amount, 'USD') });
		expect(decision.reasons).toContain(`order_value_band_${band}:${amount}`);
	});

	it('takes the larger of tier and value band', () => {
		expect(lateBy10({ tier: 'vip', total: moneyFromDecimal('99.99', 'USD') }).amount).toEqual(moneyFromDecimal(50, 'USD'));
		expect(lateBy10({ tier: 'vip', total: moneyFromDecimal('300.00', 'USD') })).toMatchObject({
			amount: moneyFromDecimal(100, 'USD'),
			reasons: ['late_10_days_over_7', 'tier_vip:50', 'order_value_band_250:100', 'vip_perk:expedited_shipping_next_order'],
		});
	});

	it('is never above the order total', () => {
		const decision = lateBy10({ tier: 'vip', total: moneyFromDecimal('12.00', 'USD') });
		expect(decision).toMatchObject({ outcome: 'compensate', amount: { cents: 1200, currency: 'USD' } });
		expect(decision.reasons).toContain('capped_at_order_total:12.00');
	});

	it('asks a person above the instant cap of 200', () => {
		const policy = { ...DEFAULT_DELAY_POLICY, valueBands: [...DEFAULT_DELAY_POLICY.valueBands, { from: 1000, amount: 300 }] };
		const decision = decide({ fulfillments: [delivered(TEN_DAYS_LATE)], total: moneyFromDecimal('1200.00', 'USD') }, undefined, policy);
		expect(decision).toMatchObject({ outcome: 'needs_approval', amount: moneyFromDecimal(300, 'USD') });
		expect(decision.reasons).toEqual(['late_10_days_over_7', 'tier_regular:25', 'order_value_band_1000:300', 'over_instant_cap_200']);
		expect(decision.summary).toBe('#1001 arrived 10 days after the promised 2026-11-16: $300.00 credit proposed, a person approves (over_instant_cap_200).');
		// 200 itself is within the cap
		expect(lateBy10({ total: moneyFromDecimal('900.00', 'USD') })).toMatchObject({ outcome: 'compensate', amount: moneyFromDecimal(200, 'USD') });
	});

	it('a 30,000 yen order in a shop whose policy is in dollars is not paid 200 yen: a person decides, with the reason', () => {
		const yen = lateBy10({ total: moneyFromDecimal('30000', 'JPY') });
		expect(yen).toMatchObject({ outcome: 'needs_approval', reasons: ['late_10_days_over_7', 'no_delay_amounts_for_JPY'] });
		expect(yen.amount).toBeUndefined();
		expect(yen.summary).toBe('#1001 arrived 10 days after the promised 2026-11-16: the delay policy names no amounts in JPY, so nothing is paid raw; a person decides (no_delay_amounts_for_JPY). Write the policy\'s amounts in JPY to pay such orders.');
	});

	it('a yen shop with its policy written in yen pays yen amounts, bands and cap (zero-decimal)', () => {
		const policy: DelayPolicy = {
			...DEFAULT_DELAY_POLICY,
			currency: 'JPY',
			tierAmounts: { regular: 3000, premium: 3000, vip: 6000 },
			valueBands: [{ from: 0, amount: 3000 }, { from: 15000, amount: 6000 }, { from: 40000, amount: 12000 }],
			instantCap: 20000,
		};
		const yen = decide({ fulfillments: [delivered(TEN_DAYS_LATE)], total: moneyFromDecimal('30000', 'JPY') }, undefined, policy);
		expect(yen).toMatchObject({ outcome: 'compensate', amount: { cents: 6000, currency: 'JPY' }, reasons: ['late_10_days_over_7', 'tier_regular:3000', 'order_value_band_15000:6000'] });
		expect(yen.summary).toContain('¥6,000 credit');
		// the same amounts given as a table beside a dollar policy
		const table = { ...DEFAULT_DELAY_POLICY, amountsByCurrency: { JPY: { tierAmounts: policy.tierAmounts, valueBands: policy.valueBands, instantCap: policy.instantCap } } };
		expect(decide({ fulfillments: [delivered(TEN_DAYS_LATE)], total: moneyFromDecimal('30000', 'JPY') }, undefined, table).amount).toEqual({ cents: 6000, currency: 'JPY' });
		expect(decide({ fulfillments: [delivered(TEN_DAYS_LATE)], total: moneyFromDecimal('50000', 'JPY') }, undefined, table)).toMatchObject({ outcome: 'compensate', amount: { cents: 12000, currency: 'JPY' } });
	});

	it('a dollar shop\'s order paid in euros is decided on its dollar amounts and paid in euros at that order\'s own rate', () => {
		// $300.00 in the shop's money, €276.00 paid: the $100 band becomes €92.00
		const decision = lateBy10({ total: moneyFromDecimal('300.00', 'USD'), presentment: { total: moneyFromDecimal('276.00', 'EUR') } });
		expect(decision).toMatchObject({ outcome: 'compensate', amount: { cents: 9200, currency: 'EUR' }, shopAmount: { cents: 10000, currency: 'USD' } });
		expect(decision.reasons).toEqual(['late_10_days_over_7', 'tier_regular:25', 'order_value_band_250:100', 'converted_at_order_rate:100.00_USD_to_92.00_EUR']);
		expect(decision.summary).toBe('#1001 arrived 10 days after the promised 2026-11-16: €92.00 credit.');
		// paid in yen: $80.00 shop money, ¥12,000 paid: the $25 becomes ¥3,750
		expect(lateBy10({ presentment: { total: moneyFromDecimal('12000', 'JPY') } })).toMatchObject({ amount: { cents: 3750, currency: 'JPY' }, shopAmount: { cents: 2500, currency: 'USD' } });
		// the cap is the policy's, in the policy's currency: $900 of goods, the $200 band is within it whatever the euro amount
		expect(lateBy10({ total: moneyFromDecimal('900.00', 'USD'), presentment: { total: moneyFromDecimal('828.00', 'EUR') } })).toMatchObject({ outcome: 'compensate', amount: { cents: 18400, currency: 'EUR' } });
	});

	it('a euro shop that has not written its amounts in euros gets no dollar figures paid as euros: a person decides', () => {
		expect(lateBy10({ total: moneyFromDecimal('300.00', 'EUR') })).toMatchObject({ outcome: 'needs_approval', reasons: ['late_10_days_over_7', 'no_delay_amounts_for_EUR'] });
		const euros = { ...DEFAULT_DELAY_POLICY, currency: 'EUR' };
		expect(decide({ fulfillments: [delivered(TEN_DAYS_LATE)], total: moneyFromDecimal('300.00', 'EUR') }, undefined, euros)).toMatchObject({ outcome: 'compensate', amount: { cents: 10000, currency: 'EUR' } });
	});
});

describe('determinism and the policy version', () => {
	it('gives the same decision for the same facts and leaves them as they were', () => {
		const facts = order({ tier: 'vip', fulfillments: [delivered(TEN_DAYS_LATE), inTransit({ estimatedDeliveryAt: '2026-11-14T20:00:00Z', displayStatus: 'CANCELED' })] });
		const copy = structuredClone(facts);
		const now = new Date('2026-12-01T00:00:00Z');
		const first = decideDelayCompensation(facts, DEFAULT_DELAY_POLICY, now);
		expect(decideDelayCompensation(copy, structuredClone(DEFAULT_DELAY_POLICY), new Date(now))).toEqual(first);
		expect(facts).toEqual(copy);
		first.perks.push('changed');
		expect(DEFAULT_DELAY_POLICY.vipPerks).toEqual(['expedited_shipping_next_order']);
	});

	it('is stable for the same policy and changes with any value', () => {
		const version = policyVersionOf(DEFAULT_DELAY_POLICY);
		expect(version).toMatch(/^delay-v1-[0-9a-f]{8}$/);
		expect(policyVersionOf(structuredClone(DEFAULT_DELAY_POLICY))).toBe(version);
		const reordered = { ...DEFAULT_DELAY_POLICY, valueBands: [...DEFAULT_DELAY_POLICY.valueBands].reverse(), instantCap: 200 };
		expect(policyVersionOf(reordered)).toBe(version);
		expect(policyVersionOf({ ...DEFAULT_DELAY_POLICY, thresholdDays: 8 })).not.toBe(version);
		expect(policyVersionOf({ ...DEFAULT_DELAY_POLICY, tierAmounts: { regular: 25, premium: 30, vip: 50 } })).not.toBe(version);
		expect(policyVersionOf({ ...DEFAULT_DELAY_POLICY, calendar: { ...DEFAULT_DELAY_POLICY.calendar, holidays: ['2026-12-25'] } })).not.toBe(version);
	});
});

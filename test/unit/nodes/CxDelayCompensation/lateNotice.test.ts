import type { DeliveryFacts, FulfillmentFacts } from '../../../../nodes/shared/contract/order';
import { decideLateNotice } from '../../../../nodes/CxDelayCompensation/lateNotice';
import { renderLateNoticeEmail } from '../../../../nodes/CxDelayCompensation/lateNoticeEmail';
import { DEFAULT_DELAY_POLICY } from '../../../../nodes/CxDelayCompensation/delay';

// the store's window: 7 business days (Monday to Friday, UTC) of production, then 5 days' transit
const policy = DEFAULT_DELAY_POLICY;
const at = (iso: string) => new Date(iso);
const parcel = (change: Partial<FulfillmentFacts> = {}): FulfillmentFacts => ({ createdAt: '2026-11-13T09:00:00Z', estimatedDeliveryAt: null, deliveredAt: null, displayStatus: 'IN_TRANSIT', events: [], ...change });
/** Processed Monday 2 November 2026 at 10:00: made by Wednesday 11 November, promised for Monday 16 November. */
const order = (change: Partial<DeliveryFacts> = {}): DeliveryFacts => ({
	orderId: 'gid://shopify/Order/7001',
	name: '#7001',
	processedAt: '2026-11-02T10:00:00Z',
	total: { cents: 12000, currency: 'USD' },
	refunded: { cents: 0, currency: 'USD' },
	checkoutPromiseAt: null,
	tier: 'regular',
	fulfillments: [],
	...change,
});

describe('running-late notice: which orders will miss their promise', () => {
	it('an order not made within the 7 business days of production is told on the day after, not before', () => {
		// shipped on Wednesday 11 November with 5 days' transit it still arrives on the promised Monday
		const onTheLastDay = decideLateNotice(order(), policy, at('2026-11-11T09:00:00Z'));
		expect(onTheLastDay).toMatchObject({ outcome: 'no_notice', promisedDeliveryDate: '2026-11-16T10:00:00.000Z', promisedFrom: 'production_window', shipBy: '2026-11-11T10:00:00.000Z', reasons: ['on_track_for_2026-11-16'] });
		const dayAfter = decideLateNotice(order(), policy, at('2026-11-12T09:00:00Z'));
		expect(dayAfter).toMatchObject({
			outcome: 'notify',
			lateReasons: ['production_not_started_in_time'],
			reasons: ['not_shipped_2026-11-12_with_5_transit_days_arrives_2026-11-17_after_promised_2026-11-16'],
		});
		expect(dayAfter.expectedDeliveryAt).toBeUndefined();
	});

	it('an order promised for 20 November at checkout and not shipped by the 15th (5 days\' transit) is told on the 16th', () => {
		const promised = order({ checkoutPromiseAt: '2026-11-20T23:00:00Z' });
		expect(decideLateNotice(promised, policy, at('2026-11-15T12:00:00Z'))).toMatchObject({ outcome: 'no_notice', promisedFrom: 'checkout_promise' });
		expect(decideLateNotice(promised, policy, at('2026-11-16T12:00:00Z'))).toMatchObject({ outcome: 'notify', lateReasons: ['production_not_started_in_time'] });
	});

	it('a parcel whose only fulfillment was cancelled has not shipped', () => {
		const cancelledParcel = order({ fulfillments: [parcel({ displayStatus: 'CANCELED', estimatedDeliveryAt: '2026-11-14T12:00:00Z' })] });
		expect(decideLateNotice(cancelledParcel, policy, at('2026-11-12T09:00:00Z'))).toMatchObject({ outcome: 'notify', lateReasons: ['production_not_started_in_time'] });
	});

	it('a shipped order whose carrier now expects 23 November, after the 20 November checkout promised, is told with the new date before the promise passes', () => {
		const decision = decideLateNotice(order({ checkoutPromiseAt: '2026-11-20T23:00:00Z', fulfillments: [parcel({ estimatedDeliveryAt: '2026-11-23T18:00:00Z' })] }), policy, at('2026-11-16T08:00:00Z'));
		expect(decision).toMatchObject({
			outcome: 'notify',
			lateReasons: ['carrier_estimate_after_promise'],
			expectedDeliveryAt: '2026-11-23T18:00:00.000Z',
			carrierEstimate: '2026-11-23T18:00:00.000Z',
			reasons: ['carrier_estimate_2026-11-23_after_promised_2026-11-20'],
		});
	});

	it('a carrier estimate later on the promised day itself is on time', () => {
		const decision = decideLateNotice(order({ checkoutPromiseAt: '2026-11-20T09:00:00Z', fulfillments: [parcel({ estimatedDeliveryAt: '2026-11-20T18:00:00Z' })] }), policy, at('2026-11-16T08:00:00Z'));
		expect(decision).toMatchObject({ outcome: 'no_notice', reasons: ['on_track_for_2026-11-20'], expectedDeliveryAt: '2026-11-20T18:00:00.000Z' });
	});

	it('an order shipped but still not delivered the day after its promise is told, even when the carrier\'s estimate said it would make it', () => {
		const decision = decideLateNotice(order({ fulfillments: [parcel({ estimatedDeliveryAt: '2026-11-15T12:00:00Z' })] }), policy, at('2026-11-17T08:00:00Z'));
		expect(decision).toMatchObject({ outcome: 'notify', lateReasons: ['past_promise_undelivered'], reasons: ['past_promised_2026-11-16_undelivered_on_2026-11-17'], carrierEstimate: '2026-11-15T12:00:00.000Z' });
		// the estimate has passed: it is no new date to give the customer
		expect(decision.expectedDeliveryAt).toBeUndefined();
	});

	it('a carrier estimate is never the promise: a parcel estimated for the 15th that has not come by the 17th is late against the window\'s 16th', () => {
		const decision = decideLateNotice(order({ fulfillments: [parcel({ estimatedDeliveryAt: '2026-11-15T12:00:00Z' })] }), policy, at('2026-11-16T20:00:00Z'));
		// still the promised day: nothing yet
		expect(decision).toMatchObject({ outcome: 'no_notice', promisedDeliveryDate: '2026-11-16T10:00:00.000Z' });
	});

	it('an order on its way with the carrier expecting it before the promise gets nothing', () => {
		const decision = decideLateNotice(order({ fulfillments: [parcel({ estimatedDeliveryAt: '2026-11-14T12:00:00Z' })] }), policy, at('2026-11-13T12:00:00Z'));
		expect(decision).toMatchObject({ outcome: 'no_notice', lateReasons: [], reasons: ['on_track_for_2026-11-16'], summary: '#7001 is on track for the promised 2026-11-16: no running-late notice.' });
	});

	it('an order delivered (even late), cancelled, refunded in full or already compensated gets nothing', () => {
		const now = at('2026-11-25T08:00:00Z');
		const cases: Array<[Partial<DeliveryFacts>, boolean, string]> = [
			[{ fulfillments: [parcel({ estimatedDeliveryAt: '2026-11-15T12:00:00Z', deliveredAt: '2026-11-24T12:00:00Z', displayStatus: 'DELIVERED' })] }, false, 'delivered'],
			[{ fulfillments: [parcel({ events: [{ status: 'DELIVERED', happenedAt: '2026-11-23T12:00:00Z' }] })] }, false, 'delivered'],
			[{ cancelledAt: '2026-11-05T12:00:00Z' }, false, 'order_cancelled'],
			[{ refunded: { cents: 12000, currency: 'USD' } }, false, 'order_fully_refunded'],
			[{ total: { cents: 11000, currency: 'USD' }, presentment: { total: { cents: 10000, currency: 'EUR' }, refunded: { cents: 10000, currency: 'EUR' } } }, false, 'order_fully_refunded'],
			[{}, true, 'already_compensated'],
		];
		for (const [change, compensated, reason] of cases) {
			expect(decideLateNotice(order(change), policy, now, { compensated })).toMatchObject({ outcome: 'no_notice', lateReasons: [], reasons: [reason] });
		}
		// the same order, none of these: it is told
		expect(decideLateNotice(order(), policy, now)).toMatchObject({ outcome: 'notify', lateReasons: ['production_not_started_in_time', 'past_promise_undelivered'] });
	});

	it('days are the store\'s: in New York a parcel estimated for 02:00 UTC on the 21st arrives on the promised 20th', () => {
		const newYork = { ...policy, calendar: { ...policy.calendar, timeZone: 'America/New_York' } };
		const decision = decideLateNotice(order({ checkoutPromiseAt: '2026-11-20T20:00:00Z', fulfillments: [parcel({ estimatedDeliveryAt: '2026-11-21T02:00:00Z' })] }), newYork, at('2026-11-16T08:00:00Z'));
		expect(decision).toMatchObject({ outcome: 'no_notice', reasons: ['on_track_for_2026-11-20'] });
		expect(decideLateNotice(order({ checkoutPromiseAt: '2026-11-20T20:00:00Z', fulfillments: [parcel({ estimatedDeliveryAt: '2026-11-21T02:00:00Z' })] }), policy, at('2026-11-16T08:00:00Z'))).toMatchObject({ outcome: 'notify' });
	});
});

describe('running-late notice email', () => {
	it('says the order is running late, gives the carrier\'s new date and apologises, with the customer\'s text escaped', () => {
		const email = renderLateNoticeEmail({ firstName: 'Zoë <b>', orderName: '#7001', promisedDeliveryDate: '2026-11-20T23:00:00Z', expectedDeliveryAt: '2026-11-23T18:00:00Z', notShipped: false, timeZone: 'UTC', storeName: 'Tom & Co' });
		expect(email.subject).toBe('Your order #7001 is running late');
		expect(email.text).toBe([
			'Hi Zoë <b>,',
			'Your order #7001 is running late: it will not reach you by Nov 20, 2026, the date we promised.',
			'The carrier now expects to deliver it on Nov 23, 2026.',
			'We are sorry for the wait, and we wanted you to hear it from us first. You do not need to do anything.',
			'Tom & Co',
		].join('\n\n'));
		expect(email.html).toContain('Hi Zoë &lt;b&gt;,');
		expect(email.html).toContain('Tom &amp; Co');
		expect(email.html).not.toContain('<b>');
	});

	it('an order not shipped yet is said to be still in the making, with no date made up', () => {
		const email = renderLateNoticeEmail({ orderName: '#7002', promisedDeliveryDate: '2026-11-16T10:00:00Z', notShipped: true, timeZone: 'UTC' });
		expect(email.text.split('\n\n')).toEqual([
			'Hello,',
			'Your order #7002 is running late: it will not reach you by Nov 16, 2026, the date we promised.',
			'It is still being made and has not shipped yet; we will send you the tracking details as soon as it does.',
			'We are sorry for the wait, and we wanted you to hear it from us first. You do not need to do anything.',
		]);
	});
});

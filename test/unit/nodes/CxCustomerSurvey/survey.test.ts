import { consentAllows, customerKeys, DEFAULT_SURVEY_POLICY, deliveryWindow, isSurveyToken, planSurveys, readScore, type KnownInvite, type SurveyPolicy } from '../../../../nodes/CxCustomerSurvey/survey';
import type { DeliveredOrder } from '../../../../nodes/shared/contract/order';
import { SURVEY_POLICY } from '../../../../nodes/shared/policy';

const now = new Date('2026-10-20T11:00:00Z');
const policy: SurveyPolicy = DEFAULT_SURVEY_POLICY;

function order(orderId: string, deliveredAt: string | undefined, overrides: Partial<DeliveredOrder> = {}): DeliveredOrder {
	return {
		orderId,
		orderName: `#${orderId}`,
		customerId: `gid://shopify/Customer/${orderId}`,
		email: `buyer.${orderId}@example-store.test`,
		firstName: 'Sam',
		...(deliveredAt ? { deliveredAt } : {}),
		marketingConsent: 'SUBSCRIBED',
		...overrides,
	};
}

const decide = (orders: DeliveredOrder[], invites: KnownInvite[] = [], type: 'csat' | 'nps' = 'csat', with_: Partial<SurveyPolicy> = {}) => planSurveys(orders, invites, type, { ...policy, ...with_ }, now);

describe('the survey policy', () => {
	it('asks 3 days after delivery, catches up a week and throttles to one survey per customer per 30 days', () => {
		expect(DEFAULT_SURVEY_POLICY).toEqual({ daysAfterDelivery: SURVEY_POLICY.daysAfterDelivery, catchUpDays: 7, throttleDays: SURVEY_POLICY.throttleDays, consent: 'subscribed' });
		expect(SURVEY_POLICY).toEqual({ daysAfterDelivery: 3, throttleDays: 30 });
	});
});

describe('deliveryWindow', () => {
	it('takes deliveries at least N days ago and at most the catch-up days before that', () => {
		const window = deliveryWindow(now, { daysAfterDelivery: 3, catchUpDays: 7 });
		expect(window.to.toISOString()).toBe('2026-10-17T11:00:00.000Z');
		expect(window.from.toISOString()).toBe('2026-10-10T11:00:00.000Z');
	});

	it('is one day wide without catch-up: a daily run sees each delivery once', () => {
		const window = deliveryWindow(now, { daysAfterDelivery: 5, catchUpDays: 1 });
		expect(window.to.getTime() - window.from.getTime()).toBe(86_400_000);
	});
});

describe('deliveryWindow: catching up from the latest delivery asked about', () => {
	it('the daily run was down for 12 days: the window reaches back to the last delivery asked about, less an hour', () => {
		const window = deliveryWindow(now, { daysAfterDelivery: 3, catchUpDays: 7 }, new Date('2026-10-05T08:00:00Z'));
		expect(window).toEqual({ from: new Date('2026-10-05T07:00:00Z'), to: new Date('2026-10-17T11:00:00Z'), catchUp: true });
	});

	it('a recent last delivery asked about keeps the week of catch-up days', () => {
		expect(deliveryWindow(now, { daysAfterDelivery: 3, catchUpDays: 7 }, new Date('2026-10-16T08:00:00Z'))).toEqual({ from: new Date('2026-10-10T11:00:00Z'), to: new Date('2026-10-17T11:00:00Z') });
	});

	it('a delivery asked about as of a later Now (a replay of an earlier day) does not count', () => {
		expect(deliveryWindow(now, { daysAfterDelivery: 3, catchUpDays: 7 }, new Date('2026-10-18T08:00:00Z'))).toEqual({ from: new Date('2026-10-10T11:00:00Z'), to: new Date('2026-10-17T11:00:00Z') });
	});

	it('after 12 days without a run, the orders delivered in those days are asked about; the one asked about before is not asked again', () => {
		const asked: KnownInvite = { orderId: 'before', type: 'csat', status: 'sent', customerId: 'gid://shopify/Customer/before', sentAt: '2026-10-08T11:00:00Z' };
		const orders = [order('before', '2026-10-05T08:00:00Z'), order('gap1', '2026-10-06T09:00:00Z'), order('gap2', '2026-10-09T09:00:00Z'), order('older', '2026-10-05T06:00:00Z')];
		const { decisions, summary } = planSurveys(orders, [asked], 'csat', policy, now, new Date('2026-10-05T08:00:00Z'));
		expect(decisions.map((decision) => [decision.order.orderId, decision.survey, decision.reasons.at(-1)])).toEqual([
			['before', false, 'already_surveyed:sent'],
			['gap1', true, 'ask:csat'],
			['gap2', true, 'ask:csat'],
			['older', false, 'delivered_before_window:15d_ago'],
		]);
		expect(summary).toEqual({ orders: 4, deliveredInWindow: 3, toSurvey: 2, skipped: { already_surveyed: 1 } });
		// without the catch-up the fixed week would have dropped both
		expect(decide(orders.slice(1, 3)).summary.toSurvey).toBe(0);
	});
});

describe('planSurveys: the window', () => {
	it('asks about an order delivered inside the window, with its reasons', () => {
		const { decisions, summary } = decide([order('1', '2026-10-16T09:00:00Z')]);
		expect(decisions[0]).toMatchObject({ inWindow: true, survey: true, resume: false, reasons: ['delivered:2026-10-16:4d_ago', 'ask:csat'] });
		expect(summary).toEqual({ orders: 1, deliveredInWindow: 1, toSurvey: 1, skipped: {} });
	});

	it('includes the window\'s end and excludes its start', () => {
		const { decisions } = decide([order('end', '2026-10-17T11:00:00Z'), order('start', '2026-10-10T11:00:00Z')]);
		expect(decisions.map((decision) => decision.survey)).toEqual([true, false]);
		expect(decisions[1].reasons).toEqual(['delivered_before_window:10d_ago']);
	});

	it('leaves out orders not delivered, delivered too recently, or delivered before the catch-up, without counting them as skipped', () => {
		const { decisions, summary } = decide([order('transit', undefined), order('fresh', '2026-10-19T08:00:00Z'), order('old', '2026-09-01T08:00:00Z')]);
		expect(decisions.map((decision) => decision.reasons)).toEqual([['not_delivered'], ['delivered_too_recently:1d_ago'], ['delivered_before_window:49d_ago']]);
		expect(decisions.every((decision) => !decision.inWindow && !decision.survey)).toBe(true);
		expect(summary).toEqual({ orders: 3, deliveredInWindow: 0, toSurvey: 0, skipped: {} });
	});
});

describe('planSurveys: consent and email', () => {
	it('asks only subscribed customers by default, naming the consent state of the others', () => {
		const orders = ['SUBSCRIBED', 'NOT_SUBSCRIBED', 'UNSUBSCRIBED', 'PENDING'].map((state, index) => order(String(index), '2026-10-15T10:00:00Z', { marketingConsent: state }));
		const { decisions, summary } = decide(orders);
		expect(decisions.map((decision) => decision.survey)).toEqual([true, false, false, false]);
		expect(decisions[2].reasons).toContain('consent_unsubscribed');
		expect(summary.skipped).toEqual({ consent_not_subscribed: 1, consent_unsubscribed: 1, consent_pending: 1 });
	});

	it('under "not opted out" also asks customers who never chose, never those who unsubscribed', () => {
		const orders = ['NOT_SUBSCRIBED', 'PENDING', 'UNSUBSCRIBED', 'INVALID', 'REDACTED'].map((state, index) => order(String(index), '2026-10-15T10:00:00Z', { marketingConsent: state }));
		expect(decide(orders, [], 'csat', { consent: 'notOptedOut' }).decisions.map((decision) => decision.survey)).toEqual([true, true, false, false, false]);
	});

	it('consentAllows reads the state whatever its case', () => {
		expect(consentAllows(' subscribed ', 'subscribed')).toBe(true);
		expect(consentAllows('not_subscribed', 'notOptedOut')).toBe(true);
		expect(consentAllows('unsubscribed', 'notOptedOut')).toBe(false);
	});

	it('skips an order without an email', () => {
		const { decisions, summary } = decide([order('1', '2026-10-15T10:00:00Z', { email: undefined })]);
		expect(decisions[0].reasons).toEqual(['delivered:2026-10-15:5d_ago', 'no_email']);
		expect(summary.skipped).toEqual({ no_email: 1 });
	});
});

describe('planSurveys: once per order, once a month per customer', () => {
	const invite = (orderId: string, status: string, at: string, overrides: Partial<KnownInvite> = {}): KnownInvite => ({
		orderId,
		type: 'csat',
		customerId: `gid://shopify/Customer/${orderId}`,
		customerEmail: `buyer.${orderId}@example-store.test`,
		status,
		...(status === 'sent' ? { sentAt: at } : {}),
		createdAt: at,
		...overrides,
	});

	it('never asks about an order twice: an invitation sent or sending stops it', () => {
		const orders = [order('1', '2026-10-15T10:00:00Z'), order('2', '2026-10-15T10:00:00Z')];
		const { decisions, summary } = decide(orders, [invite('1', 'sent', '2026-10-18T11:00:00Z'), invite('2', 'sending', '2026-10-18T11:00:00Z')]);
		expect(decisions.map((decision) => decision.reasons.at(-1))).toEqual(['already_surveyed:sent', 'already_surveyed:sending']);
		expect(summary.skipped).toEqual({ already_surveyed: 2 });
	});

	it('resumes an order whose invitation was recorded but never sent', () => {
		const { decisions } = decide([order('1', '2026-10-15T10:00:00Z')], [invite('1', 'pending', '2026-10-18T11:00:00Z')]);
		expect(decisions[0]).toMatchObject({ survey: true, resume: true });
		expect(decisions[0].reasons.at(-1)).toBe('resume:invite_recorded_not_sent');
	});

	it('a survey of the other question does not count as this order\'s, but it throttles the customer', () => {
		const { decisions } = decide([order('1', '2026-10-15T10:00:00Z')], [invite('1', 'sent', '2026-10-18T11:00:00Z', { type: 'nps' })]);
		expect(decisions[0].survey).toBe(false);
		expect(decisions[0].reasons.at(-1)).toBe('throttled:surveyed_2026-10-18:within_30d');
	});

	it('throttles a customer surveyed about another order within 30 days, by id or by email', () => {
		const orders = [
			order('1', '2026-10-15T10:00:00Z', { customerId: 'gid://shopify/Customer/77' }),
			order('2', '2026-10-15T10:00:00Z', { customerId: undefined, email: 'Returning.Buyer@Example-Store.test' }),
			order('3', '2026-10-15T10:00:00Z', { customerId: 'gid://shopify/Customer/78' }),
		];
		const invites = [
			invite('old-a', 'sent', '2026-09-25T11:00:00Z', { customerId: 'gid://shopify/Customer/77' }),
			invite('old-b', 'sent', '2026-10-01T11:00:00Z', { customerId: undefined, customerEmail: 'returning.buyer@example-store.test' }),
			// 31 days ago: past the throttle
			invite('old-c', 'sent', '2026-09-19T10:00:00Z', { customerId: 'gid://shopify/Customer/78' }),
		];
		const { decisions, summary } = decide(orders, invites);
		expect(decisions.map((decision) => decision.survey)).toEqual([false, false, true]);
		expect(decisions[0].reasons.at(-1)).toBe('throttled:surveyed_2026-09-25:within_30d');
		expect(decisions[1].reasons.at(-1)).toBe('throttled:surveyed_2026-10-01:within_30d');
		expect(summary.skipped).toEqual({ throttled: 2 });
	});

	it('counts an invitation on its way (pending or sending) as a survey of its customer', () => {
		const { decisions } = decide([order('new', '2026-10-15T10:00:00Z', { customerId: 'gid://shopify/Customer/9' })], [invite('other', 'pending', '2026-10-19T11:00:00Z', { customerId: 'gid://shopify/Customer/9' })]);
		expect(decisions[0].reasons.at(-1)).toBe('throttled:surveyed_2026-10-19:within_30d');
	});

	it('asks a customer with two orders in the window about the earliest delivered one only', () => {
		const later = order('later', '2026-10-16T10:00:00Z', { customerId: 'gid://shopify/Customer/5', email: 'two.orders@example-store.test' });
		const earlier = order('earlier', '2026-10-12T10:00:00Z', { customerId: 'gid://shopify/Customer/5', email: 'two.orders@example-store.test' });
		const { decisions, summary } = decide([later, earlier]);
		expect(decisions.map((decision) => [decision.order.orderId, decision.survey])).toEqual([['later', false], ['earlier', true]]);
		expect(decisions[0].reasons.at(-1)).toBe('throttled:another_order_this_run');
		expect(summary).toMatchObject({ deliveredInWindow: 2, toSurvey: 1, skipped: { throttled: 1 } });
	});

	it('throttle 0 turns the per-customer limit off, but not the per-order one', () => {
		const orders = [order('a', '2026-10-12T10:00:00Z', { customerId: 'gid://shopify/Customer/5' }), order('b', '2026-10-16T10:00:00Z', { customerId: 'gid://shopify/Customer/5' })];
		const { decisions } = decide(orders, [invite('x', 'sent', '2026-10-19T11:00:00Z', { customerId: 'gid://shopify/Customer/5' })], 'csat', { throttleDays: 0 });
		// the run itself still asks each customer once
		expect(decisions.map((decision) => decision.survey)).toEqual([true, false]);
	});

	it('customerKeys: the id as given, the email lower-cased', () => {
		expect(customerKeys({ customerId: 'gid://shopify/Customer/1', email: ' Sam@Example-Store.test ' })).toEqual(['id:gid://shopify/Customer/1', 'email:sam@example-store.test']);
		expect(customerKeys({})).toEqual([]);
	});
});

describe('readScore', () => {
	it('takes the whole numbers of each scale: CSAT 1-5, NPS 0-10', () => {
		expect([1, 2, 3, 4, 5].map((score) => readScore('csat', String(score)))).toEqual([1, 2, 3, 4, 5]);
		expect(Array.from({ length: 11 }, (_, score) => readScore('nps', String(score)))).toEqual(Array.from({ length: 11 }, (_, score) => score));
		expect(readScore('nps', 7)).toBe(7);
		expect(readScore('csat', ' 4 ')).toBe(4);
	});

	it('refuses scores outside the scale of the question, saying which', () => {
		expect(readScore('csat', '0')).toBe('the score 0 is outside the CSAT scale of 1 to 5');
		expect(readScore('csat', '6')).toBe('the score 6 is outside the CSAT scale of 1 to 5');
		expect(readScore('nps', '11')).toBe('the score 11 is outside the NPS scale of 0 to 10');
	});

	it('refuses what is not a whole number', () => {
		for (const raw of ['', '4.5', '-1', '1e1', 'five', '007', undefined, null, ['4'], '4; drop table']) {
			expect(readScore('csat', raw)).toMatch(/is not a whole number from 1 to 5|outside/);
		}
	});
});

describe('isSurveyToken', () => {
	it('takes 24 characters of lower-case base32 only', () => {
		expect(isSurveyToken('abcdefghijklmnopqrstuvwx')).toBe(true);
		expect(isSurveyToken('a2345672345672345672345z')).toBe(true);
		expect(isSurveyToken('abcdefghijklmnopqrstuvw')).toBe(false);
		expect(isSurveyToken('abcdefghijklmnopqrstuvwxy')).toBe(false);
		// 0, 1, 8, 9 are not base32
		expect(isSurveyToken('abcdefghijklmnopqrstuvw1')).toBe(false);
		expect(isSurveyToken('ABCDEFGHIJKLMNOPQRSTUVWX')).toBe(false);
	});
});

import { bandOf, checkHealthInput, scoreHealth, validateWeights, type HealthInput, type HealthScore } from '../../../../nodes/CxCustomerHealth/health';
import { HEALTH_COMPONENTS, HEALTH_POLICY, type HealthPolicy } from '../../../../nodes/shared/policy';

const now = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const usd = (cents: number) => ({ cents, currency: 'USD' });

/** Full marks everywhere but recency (73 days: 80) and no previous score. */
const loyal: HealthInput = {
	customerId: 'gid://shopify/Customer/1',
	lastOrderAt: daysAgo(73),
	ordersLast365: 6,
	lifetimeSpend: usd(150_000),
	latestCsat: 5,
	openTickets: 0,
	returnsLast365: 0,
	refundsLast365: 0,
	lateDeliveriesLast365: 0,
	previousScore: 88,
};

const middling: HealthInput = {
	customerId: 'gid://shopify/Customer/2',
	lastOrderAt: daysAgo(146),
	ordersLast365: 3,
	lifetimeSpend: usd(25_000),
	latestCsat: 4,
	latestNps: 2,
	openTickets: 1,
	returnsLast365: 0,
	refundsLast365: 1,
	lateDeliveriesLast365: 0,
	previousScore: 61,
};

const atRisk: HealthInput = {
	customerId: 'gid://shopify/Customer/3',
	lastOrderAt: daysAgo(212),
	ordersLast365: 1,
	lifetimeSpend: usd(0),
	openTickets: 2,
	returnsLast365: 0,
	refundsLast365: 2,
	lateDeliveriesLast365: 1,
	previousScore: 45,
};

const pointsOf = (result: HealthScore) => HEALTH_COMPONENTS.map((component) => result.components[component].points);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const withWeights = (weights: Partial<HealthPolicy['weights']>): HealthPolicy => ({
	...HEALTH_POLICY,
	weights: { recency: 0, frequency: 0, spend: 0, satisfaction: 0, openTickets: 0, refunds: 0, delays: 0, ...weights },
});

describe('scoreHealth, hand-worked', () => {
	it('scores a loyal customer green and trending up', () => {
		const result = scoreHealth(loyal, HEALTH_POLICY, now);
		// recency 73 days: 100*(1-73/365) = 80 -> 80*25% = 20
		// frequency 6 orders: 100 -> 15;  spend 1500.00 >= 1000: 100 -> 15;  CSAT 5: (5-1)/4*100 = 100 -> 20
		// no open tickets 100 -> 10;  no refunds 100 -> 10;  no late deliveries 100 -> 5
		// 20 + 15 + 15 + 20 + 10 + 10 + 5 = 95; 95 - 88 = +7 > 5: up
		expect(pointsOf(result)).toEqual([20, 15, 15, 20, 10, 10, 5]);
		expect(result).toMatchObject({ customerId: loyal.customerId, score: 95, band: 'green', trend: 'up', change: 7 });
		expect(result.components.recency).toEqual({ value: 80, weight: 25, points: 20, detail: '73_days_since_last_order' });
		expect(result.components.satisfaction.detail).toBe('csat_5_of_5');
		expect(result.reasons).toEqual(['band_green', 'trend_up:+7']);
	});

	it('scores a middling customer yellow and stable', () => {
		const result = scoreHealth(middling, HEALTH_POLICY, now);
		// recency 146 days: 100*(1-146/365) = 60 -> 15;  frequency 3/6 = 50 -> 7.5;  spend 250/1000 = 25 -> 3.75
		// CSAT 4 (NPS 2 ignored): 75 -> 15;  1 open ticket: 100-34 = 66 -> 6.6;  1 refund: 50 -> 5;  no delays -> 5
		// 15 + 7.5 + 3.75 + 15 + 6.6 + 5 + 5 = 57.85 -> 58; 58 - 61 = -3, within 5: stable
		expect(pointsOf(result)).toEqual([15, 7.5, 3.75, 15, 6.6, 5, 5]);
		expect(result).toMatchObject({ score: 58, band: 'yellow', trend: 'stable', change: -3 });
		expect(result.components.spend.detail).toBe('lifetime_spend_250.00_USD');
		// spend (25) is below 50; frequency and refunds are at 50, not below it
		expect(result.reasons).toEqual(['band_yellow', 'weak_spend:lifetime_spend_250.00_USD', 'trend_stable:-3']);
	});

	it('scores an at-risk customer red and trending down, weakest components first', () => {
		const result = scoreHealth(atRisk, HEALTH_POLICY, now);
		// recency 212 days: 100*(1-212/365) = 41.917.. -> 41.92 -> 41.92*25% = 10.48
		// frequency 1/6 = 16.666.. -> 16.67 -> 16.67*15% = 2.5005 -> 2.5;  spend 0 -> 0
		// no CSAT, no NPS: neutral 50 -> 10 (unknown);  2 open tickets: 100-68 = 32 -> 3.2
		// 2 refunds: 0 -> 0;  1 late delivery: 50 -> 2.5
		// 10.48 + 2.5 + 0 + 10 + 3.2 + 0 + 2.5 = 28.68 -> 29; 29 - 45 = -16: down
		expect(pointsOf(result)).toEqual([10.48, 2.5, 0, 10, 3.2, 0, 2.5]);
		expect(result).toMatchObject({ score: 29, band: 'red', trend: 'down', change: -16 });
		// points lost: spend 15, recency 14.52, frequency 12.5, refunds 10, openTickets 6.8 (delays at 50 is not weak)
		expect(result.reasons).toEqual([
			'band_red',
			'weak_spend:lifetime_spend_0.00_USD',
			'weak_recency:212_days_since_last_order',
			'weak_frequency:1_visit_in_last_365_days',
			'weak_refunds:0_returns_and_2_refunds_in_last_365_days',
			'weak_openTickets:2_open_tickets',
			'unknown_satisfaction:no_csat_or_nps',
			'trend_down:-16',
		]);
	});

	it('always gives every component, with points summing to the score within rounding', () => {
		for (const input of [loyal, middling, atRisk, { ...atRisk, lastOrderAt: null, ordersLast365: 0 }]) {
			const result = scoreHealth(input, HEALTH_POLICY, now);
			expect(Object.keys(result.components).sort()).toEqual([...HEALTH_COMPONENTS].sort());
			for (const component of HEALTH_COMPONENTS) {
				const { value, weight, points } = result.components[component];
				expect(value).toBeGreaterThanOrEqual(0);
				expect(value).toBeLessThanOrEqual(100);
				expect(weight).toBe(HEALTH_POLICY.weights[component]);
				expect(points).toBeCloseTo((value * weight) / 100, 2);
			}
			expect(Number.isInteger(result.score)).toBe(true);
			expect(Math.abs(sum(pointsOf(result)) - result.score)).toBeLessThanOrEqual(0.5);
		}
	});

	it('gives no order on record a recency of 0, and an order stamped after now counts as today', () => {
		const never = scoreHealth({ ...atRisk, lastOrderAt: null }, HEALTH_POLICY, now);
		expect(never.components.recency).toMatchObject({ value: 0, points: 0, detail: 'no_order_on_record' });
		const future = scoreHealth({ ...atRisk, lastOrderAt: daysAgo(-2) }, HEALTH_POLICY, now);
		expect(future.components.recency).toMatchObject({ value: 100, detail: '0_days_since_last_order' });
		const yearOld = scoreHealth({ ...atRisk, lastOrderAt: daysAgo(400) }, HEALTH_POLICY, now);
		expect(yearOld.components.recency.value).toBe(0);
	});
});

describe('bands', () => {
	it('puts 50 in red, 51 and 75 in yellow, 76 in green', () => {
		expect([0, 50, 51, 75, 76, 100].map((score) => bandOf(score, HEALTH_POLICY.bands))).toEqual(['red', 'red', 'yellow', 'yellow', 'green', 'green']);
	});

	it('bands whole scores at the edges', () => {
		// all weight on spend: 500.00 of 1000 is 50 points, 510.00 is 51, and so on
		const policy = withWeights({ spend: 100 });
		const bandAt = (cents: number) => {
			const result = scoreHealth({ ...middling, lifetimeSpend: usd(cents) }, policy, now);
			return [result.score, result.band];
		};
		expect(bandAt(50_000)).toEqual([50, 'red']);
		expect(bandAt(51_000)).toEqual([51, 'yellow']);
		expect(bandAt(75_000)).toEqual([75, 'yellow']);
		expect(bandAt(76_000)).toEqual([76, 'green']);
	});
});

describe('weights', () => {
	it('accepts the defaults and fractional weights summing to 100', () => {
		expect(sum(Object.values(HEALTH_POLICY.weights))).toBe(100);
		expect(validateWeights(HEALTH_POLICY.weights)).toBeUndefined();
		expect(validateWeights({ ...withWeights({ recency: 33.3, spend: 33.3, satisfaction: 33.4 }).weights })).toBeUndefined();
	});

	it('names the problem with weights that do not sum to 100, are negative or not numbers', () => {
		const base = HEALTH_POLICY.weights;
		expect(validateWeights({ ...base, delays: 0 })).toBe('The health weights sum to 95; they must sum to 100.');
		expect(validateWeights({ ...base, delays: 10 })).toBe('The health weights sum to 105; they must sum to 100.');
		expect(validateWeights({ ...base, recency: 35, delays: -5 })).toBe('The health weight for delays is -5; weights cannot be negative.');
		expect(validateWeights({ ...base, spend: '15' })).toBe('The health weight for spend must be a number, not "15".');
		expect(validateWeights({ ...base, spend: Number.NaN })).toMatch(/spend must be a number/);
		expect(validateWeights({ ...base, spend: Number.POSITIVE_INFINITY })).toMatch(/spend must be a number/);
		const { refunds: _refunds, ...missing } = base;
		expect(validateWeights(missing)).toBe('The health weight for refunds is missing.');
		expect(validateWeights({ ...base, loyalty: 0 })).toMatch(/^Unknown health weight "loyalty"/);
		expect(validateWeights(null)).toMatch(/must be an object/);
		expect(validateWeights([25, 75])).toMatch(/must be an object/);
	});

	it('scores with custom weights, keeping zero-weight components', () => {
		const result = scoreHealth(middling, withWeights({ recency: 50, satisfaction: 50 }), now);
		// recency 60*50% = 30, CSAT 4: 75*50% = 37.5; 67.5 -> 68
		expect(result.score).toBe(68);
		expect(result.band).toBe('yellow');
		expect(result.components.spend).toEqual({ value: 25, weight: 0, points: 0, detail: 'lifetime_spend_250.00_USD' });
	});

	it('refuses to score with invalid weights', () => {
		expect(() => scoreHealth(loyal, { ...HEALTH_POLICY, weights: { ...HEALTH_POLICY.weights, delays: 0 } }, now)).toThrow(
			'must sum to 100',
		);
	});
});

describe('satisfaction', () => {
	it('prefers CSAT over NPS', () => {
		const result = scoreHealth({ ...atRisk, latestCsat: 2, latestNps: 10 }, HEALTH_POLICY, now);
		// (2-1)/4*100 = 25, not NPS 10 -> 100
		expect(result.components.satisfaction).toEqual({ value: 25, weight: 20, points: 5, detail: 'csat_2_of_5' });
	});

	it('uses NPS when there is no CSAT', () => {
		const result = scoreHealth({ ...atRisk, latestCsat: null, latestNps: 7 }, HEALTH_POLICY, now);
		expect(result.components.satisfaction).toEqual({ value: 70, weight: 20, points: 14, detail: 'nps_7_of_10' });
	});

	it('scores neither as neutral 50 and marks it unknown', () => {
		const result = scoreHealth({ ...loyal, latestCsat: undefined, latestNps: null }, HEALTH_POLICY, now);
		expect(result.components.satisfaction).toEqual({ value: 50, weight: 20, points: 10, detail: 'no_csat_or_nps', unknown: true });
		expect(result.reasons).toContain('unknown_satisfaction:no_csat_or_nps');
		expect(result.reasons.some((reason) => reason.startsWith('weak_satisfaction'))).toBe(false);
	});
});

describe('checkHealthInput', () => {
	it('accepts good input, with or without the optional fields', () => {
		for (const input of [loyal, middling, atRisk]) expect(checkHealthInput(input)).toBeUndefined();
		expect(checkHealthInput({ ...atRisk, lastOrderAt: undefined, previousScore: undefined, latestCsat: 1, latestNps: 0 })).toBeUndefined();
		expect(checkHealthInput({ ...atRisk, latestCsat: 5, latestNps: 10, previousScore: 100 })).toBeUndefined();
	});

	const cases: Array<[string, Partial<HealthInput>, string]> = [
		['CSAT below 1', { latestCsat: 0 }, 'latestCsat'],
		['CSAT above 5', { latestCsat: 5.5 }, 'latestCsat'],
		['CSAT not a number', { latestCsat: Number.NaN }, 'latestCsat'],
		['NPS below 0', { latestNps: -1 }, 'latestNps'],
		['NPS above 10', { latestNps: 11 }, 'latestNps'],
		['NPS infinite', { latestNps: Number.POSITIVE_INFINITY }, 'latestNps'],
		['negative orders', { ordersLast365: -1 }, 'ordersLast365'],
		['fractional orders', { ordersLast365: 1.5 }, 'ordersLast365'],
		['negative open tickets', { openTickets: -2 }, 'openTickets'],
		['infinite open tickets', { openTickets: Number.POSITIVE_INFINITY }, 'openTickets'],
		['negative returns', { returnsLast365: -1 }, 'returnsLast365'],
		['fractional returns', { returnsLast365: 0.5 }, 'returnsLast365'],
		['negative refunds', { refundsLast365: -1 }, 'refundsLast365'],
		['NaN late deliveries', { lateDeliveriesLast365: Number.NaN }, 'lateDeliveriesLast365'],
		['negative late deliveries', { lateDeliveriesLast365: -1 }, 'lateDeliveriesLast365'],
		['negative spend', { lifetimeSpend: usd(-100) }, 'lifetimeSpend.cents'],
		['fractional cents', { lifetimeSpend: usd(10.5) }, 'lifetimeSpend.cents'],
		['NaN spend', { lifetimeSpend: usd(Number.NaN) }, 'lifetimeSpend.cents'],
		['unknown currency', { lifetimeSpend: { cents: 100, currency: 'XYZQ' } }, 'lifetimeSpend.currency'],
		['previous score above 100', { previousScore: 101 }, 'previousScore'],
		['previous score below 0', { previousScore: -1 }, 'previousScore'],
		['previous score NaN', { previousScore: Number.NaN }, 'previousScore'],
		['unparseable last order date', { lastOrderAt: 'last tuesday' }, 'lastOrderAt'],
		['empty customer ID', { customerId: ' ' }, 'customerId'],
	];
	it.each(cases)('names the field for %s, and scoreHealth refuses it', (_name, change, field) => {
		const input = { ...middling, ...change };
		const problem = checkHealthInput(input);
		expect(problem?.field).toBe(field);
		expect(problem?.problem).toEqual(expect.any(String));
		expect(() => scoreHealth(input, HEALTH_POLICY, now)).toThrow(RangeError);
	});
});

describe('trend', () => {
	// loyal scores 95, middling 58
	const trendOf = (input: HealthInput, previousScore: number | null | undefined) => {
		const { trend, change } = scoreHealth({ ...input, previousScore }, HEALTH_POLICY, now);
		return [trend, change];
	};

	it('is new without a previous score', () => {
		expect(trendOf(loyal, null)).toEqual(['new', null]);
		expect(trendOf(loyal, undefined)).toEqual(['new', null]);
		expect(scoreHealth({ ...loyal, previousScore: null }, HEALTH_POLICY, now).reasons).toContain('trend_new');
	});

	it('is stable within ±5 points and moves beyond them', () => {
		expect(trendOf(loyal, 95)).toEqual(['stable', 0]);
		expect(trendOf(loyal, 90)).toEqual(['stable', 5]);
		expect(trendOf(loyal, 89)).toEqual(['up', 6]);
		expect(trendOf(middling, 63)).toEqual(['stable', -5]);
		expect(trendOf(middling, 64)).toEqual(['down', -6]);
		expect(trendOf(middling, 63.5)).toEqual(['down', -5.5]);
	});

	it('follows the policy threshold', () => {
		const result = scoreHealth({ ...loyal, previousScore: 89 }, { ...HEALTH_POLICY, trendThreshold: 10 }, now);
		expect(result).toMatchObject({ trend: 'stable', change: 6 });
	});
});

import { SEGMENT_RULES, campaignWindow, dormancy, planWinBack, rfmScores, segmentOf, suppressionOf, type Contacts, type WinBackCustomer } from '../../../../nodes/CxWinBack/winback';
import { SEGMENTS, WINBACK_POLICY, type Segment } from '../../../../nodes/shared/policy';

const DAY = 86_400_000;
const now = new Date('2026-11-16T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY).toISOString();

function customer(overrides: Partial<WinBackCustomer> = {}): WinBackCustomer {
	return {
		customerId: 'c1',
		email: 'ada@example.com',
		firstName: 'Ada',
		orderDates: [daysAgo(200)],
		amountSpent: { cents: 10_000, currency: 'USD' },
		marketingConsent: 'SUBSCRIBED',
		tags: [],
		...overrides,
	};
}

const noContacts = (): Contacts => ({ openTicketCustomerIds: new Set(), compensatedSince: new Map(), lastWinBackAt: new Map() });

describe('dormancy', () => {
	it('takes the median gap of orders on days 0, 30 and 90 as 45, dormant past 3 x 45 = 135 days', () => {
		// gaps 30 and 60, in any input order
		const orders = (sinceLast: number) => [daysAgo(sinceLast + 60), daysAgo(sinceLast + 90), daysAgo(sinceLast)];
		const at135 = dormancy(customer({ orderDates: orders(135) }), WINBACK_POLICY, now);
		expect(at135).toMatchObject({ isDormant: false, daysSinceLastOrder: 135, medianGapDays: 45, thresholdDays: 135, reason: 'median_gap' });
		expect(dormancy(customer({ orderDates: orders(136) }), WINBACK_POLICY, now)).toMatchObject({ isDormant: true, daysSinceLastOrder: 136 });
	});

	it('puts the one-time buyer floor at 180 days: 181 is dormant, 180 and 179 are not', () => {
		const after = (days: number) => dormancy(customer({ orderDates: [daysAgo(days)] }), WINBACK_POLICY, now);
		expect(after(181)).toMatchObject({ isDormant: true, medianGapDays: null, thresholdDays: 180, reason: 'one_time_buyer_floor' });
		expect(after(180).isDormant).toBe(false);
		expect(after(179).isDormant).toBe(false);
	});

	it('ends dormancy with a new order', () => {
		const dormant = customer({ orderDates: [daysAgo(500), daysAgo(400)] }); // gap 100, threshold 300
		expect(dormancy(dormant, WINBACK_POLICY, now).isDormant).toBe(true);
		const back = { ...dormant, orderDates: [...dormant.orderDates, daysAgo(2)] };
		expect(dormancy(back, WINBACK_POLICY, now)).toMatchObject({ isDormant: false, daysSinceLastOrder: 2 });
	});

	it('keeps a weekly buyer active until the 30-day minimum gap, and calls no orders not dormant', () => {
		const weekly = (sinceLast: number) => customer({ orderDates: [daysAgo(sinceLast + 14), daysAgo(sinceLast + 7), daysAgo(sinceLast)] });
		expect(dormancy(weekly(30), WINBACK_POLICY, now)).toMatchObject({ isDormant: false, medianGapDays: 7, thresholdDays: 30, reason: 'minimum_gap' });
		expect(dormancy(weekly(31), WINBACK_POLICY, now).isDormant).toBe(true);
		expect(dormancy(customer({ orderDates: [] }), WINBACK_POLICY, now)).toMatchObject({ isDormant: false, daysSinceLastOrder: null, reason: 'no_orders' });
		expect(dormancy(customer({ orderDates: ['not a date'] }), WINBACK_POLICY, now).reason).toBe('no_orders');
	});
});

describe('rfmScores', () => {
	const population = (values: number[], make: (value: number) => Partial<WinBackCustomer>) =>
		values.map((value, index) => customer({ customerId: `c${index}`, ...make(value) }));

	it('scores recency against the store\'s days: up to 30 days 5, 90 4, 180 3, 365 2, later 1', () => {
		const scores = rfmScores(population([0, 30, 31, 90, 91, 180, 181, 365, 366, 900], (v) => ({ orderDates: [daysAgo(v)] })), now);
		expect([...scores.values()].map((s) => s.recency)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
	});

	it('scores frequency by visits: one visit 1, two 2, three 3, four or five 4, six or more 5', () => {
		const scores = rfmScores(population([1, 2, 3, 4, 5, 6, 12], (v) => ({ orderDates: Array.from({ length: v }, (_, i) => daysAgo(10 + 20 * i)) })), now);
		expect([...scores.values()].map((s) => s.frequency)).toEqual([1, 2, 3, 4, 4, 5, 5]);
	});

	it('scores spend from $100 (2), $250 (3), $500 (4) and $1000 (5), each in the customer\'s own currency', () => {
		const scores = rfmScores(population([99_99, 100_00, 249_99, 250_00, 500_00, 1000_00], (v) => ({ amountSpent: { cents: v, currency: 'USD' } })), now);
		expect([...scores.values()].map((s) => s.monetary)).toEqual([1, 2, 2, 3, 4, 5]);
		// JPY has no minor unit: 1000 is 1000 yen
		const yen = rfmScores([customer({ customerId: 'jpy', amountSpent: { cents: 1000, currency: 'JPY' } })], now);
		expect(yen.get('jpy')?.monetary).toBe(5);
	});

	it('a customer alone in a run (the director\'s retention request) gets the scores the whole store would give them, not 3, 3, 3', () => {
		const dora = customer({ customerId: 'dora', orderDates: [daysAgo(300)], amountSpent: { cents: 42_000, currency: 'USD' } });
		const others = population([5, 40, 100, 200, 400, 700], (v) => ({ orderDates: [daysAgo(v), daysAgo(v + 30)], amountSpent: { cents: v * 1000, currency: 'USD' } }));
		const alone = rfmScores([dora], now).get('dora');
		expect(alone).toEqual({ recency: 2, frequency: 1, monetary: 3 });
		expect(rfmScores([...others, dora], now).get('dora')).toEqual(alone);
		// and a filtered run (only the subscribed, only one city) scores the same as well
		expect(rfmScores([others[0], dora], now).get('dora')).toEqual(alone);
		expect(segmentOf(alone!)).toBe('hibernating');
		const { decisions } = planWinBack([dora], noContacts(), WINBACK_POLICY, now);
		expect(decisions[0]).toMatchObject({ segment: 'hibernating', offerPercent: 10, rfm: { recency: 2, frequency: 1, monetary: 3 } });
	});

	it('in a store where most buyers order once, a customer with two orders is not a frequent buyer', () => {
		const onceBuyers = population(Array.from({ length: 8 }, (_, i) => i), (i) => ({ orderDates: [daysAgo(220 + i)] }));
		const twice = customer({ customerId: 'twice', orderDates: [daysAgo(330), daysAgo(300)], amountSpent: { cents: 8_000, currency: 'USD' } });
		const scores = rfmScores([...onceBuyers, twice], now);
		expect(scores.get('twice')).toEqual({ recency: 2, frequency: 2, monetary: 1 });
		// "bought often, long ago" (at risk, 15% off) needs frequency 3: two orders long ago are few orders long ago
		const { decisions } = planWinBack([...onceBuyers, twice], noContacts(), WINBACK_POLICY, now);
		expect(decisions.find((d) => d.customerId === 'twice')).toMatchObject({ segment: 'lost', offerPercent: 0 });
	});

	it('takes the store\'s own thresholds from the policy', () => {
		const rfm = { recencyDays: [7, 14, 21, 28], visits: [3, 5, 8, 13], spend: [10, 20, 30, 40] } as const;
		const scores = rfmScores([customer({ orderDates: [daysAgo(20), daysAgo(50), daysAgo(80)], amountSpent: { cents: 25_00, currency: 'USD' } })], now, { rfm: { recencyDays: [...rfm.recencyDays], visits: [...rfm.visits], spend: [...rfm.spend] } });
		expect(scores.get('c1')).toEqual({ recency: 3, frequency: 2, monetary: 3 });
	});

	it('scores customers without orders lowest on recency', () => {
		const scores = rfmScores([customer({ customerId: 'none', orderDates: [] }), customer({ customerId: 'some' })], now);
		expect(scores.get('none')?.recency).toBe(1);
		expect(scores.get('some')?.recency).toBe(2);
	});
});

describe('visits', () => {
	it('a customer who ordered twice twenty minutes apart 40 days ago is a one-time buyer: not dormant until the 180-day floor', () => {
		const first = new Date(now.getTime() - 40 * DAY);
		const twoOrders = customer({ orderDates: [first.toISOString(), new Date(first.getTime() + 20 * 60_000).toISOString()], orderCount: 2 });
		expect(dormancy(twoOrders, WINBACK_POLICY, now)).toMatchObject({ isDormant: false, daysSinceLastOrder: 39, medianGapDays: null, thresholdDays: 180, reason: 'one_time_buyer_floor' });
		expect(rfmScores([twoOrders], now).get('c1')?.frequency).toBe(1);
		// counted order by order (a gap of 0 hours), the twenty minutes would be the rhythm and the 30-day minimum would make them dormant
		expect(dormancy(twoOrders, { ...WINBACK_POLICY, visitGapHours: 0 }, now)).toMatchObject({ isDormant: true, reason: 'minimum_gap' });
	});

	it('orders within a day of a visit\'s first order are one visit; the gap between visits is the buying rhythm', () => {
		const at = (days: number, hours = 0) => new Date(now.getTime() - days * DAY + hours * 3_600_000).toISOString();
		// visits 100 and 40 days ago, each of two orders a few hours apart: one gap of 60 days, dormant past 180
		const orders = [at(100), at(100, 5), at(40), at(40, 23)];
		const state = dormancy(customer({ orderDates: orders }), WINBACK_POLICY, now);
		expect(state).toMatchObject({ medianGapDays: 60, thresholdDays: 180, reason: 'median_gap', isDormant: false });
		expect(rfmScores([customer({ orderDates: orders })], now).get('c1')?.frequency).toBe(2);
		// 25 hours after the visit's first order is a new visit
		expect(rfmScores([customer({ orderDates: [at(40), at(40, 25)] })], now).get('c1')?.frequency).toBe(2);
	});
});

describe('segmentOf', () => {
	const rows: Array<[Segment, number, number, number]> = [
		['champions', 5, 4, 1],
		['cant_lose', 2, 4, 4],
		['at_risk', 1, 3, 5],
		['at_risk', 2, 5, 3],
		['loyal', 3, 3, 1],
		['loyal', 3, 5, 5],
		['hibernating', 2, 2, 3],
		['lost', 1, 1, 2],
		['loyal', 4, 1, 1],
	];
	it.each(rows)('gives %s for R%i F%i M%i', (segment, recency, frequency, monetary) => {
		expect(segmentOf({ recency, frequency, monetary })).toBe(segment);
	});

	it('matches every one of the 125 score combinations with a rule, and every rule is reachable', () => {
		const used = new Set<number>();
		for (let recency = 1; recency <= 5; recency++)
			for (let frequency = 1; frequency <= 5; frequency++)
				for (let monetary = 1; monetary <= 5; monetary++) {
					const fits = (score: number, range?: readonly [number, number]) => !range || (score >= range[0] && score <= range[1]);
					const index = SEGMENT_RULES.findIndex(
						(rule) => fits(recency, rule.recency) && fits(frequency, rule.frequency) && fits(monetary, rule.monetary),
					);
					expect(index).toBeGreaterThanOrEqual(0);
					used.add(index);
					expect(segmentOf({ recency, frequency, monetary })).toBe(SEGMENT_RULES[index].segment);
				}
		expect(used.size).toBe(SEGMENT_RULES.length);
	});
});

describe('suppressionOf', () => {
	const at = (c: WinBackCustomer, contacts: Contacts = noContacts()) => suppressionOf(c, contacts, WINBACK_POLICY, now);

	it('suppresses in order: no email, consent, open ticket, recent compensation, cooldown', () => {
		const everything: Contacts = {
			openTicketCustomerIds: new Set(['c1']),
			compensatedSince: new Map([['c1', daysAgo(3)]]),
			lastWinBackAt: new Map([['c1', daysAgo(3)]]),
		};
		expect(at(customer({ email: undefined, marketingConsent: 'UNSUBSCRIBED' }), everything)).toBe('no_email');
		expect(at(customer({ email: '  ', marketingConsent: 'UNSUBSCRIBED' }), everything)).toBe('no_email');
		expect(at(customer({ marketingConsent: 'UNSUBSCRIBED' }), everything)).toBe('consent_unsubscribed');
		expect(at(customer(), everything)).toBe('open_ticket');
		expect(at(customer(), { ...everything, openTicketCustomerIds: new Set() })).toBe('recent_compensation');
		expect(at(customer(), { ...everything, openTicketCustomerIds: new Set(), compensatedSince: new Map() })).toBe('cooldown');
		expect(at(customer())).toBeUndefined();
	});

	it.each(['NOT_SUBSCRIBED', 'PENDING', 'INVALID', 'REDACTED'])('names the consent state %s', (state) => {
		expect(at(customer({ marketingConsent: state }))).toBe(`consent_${state.toLowerCase()}`);
	});

	it('lets a win-back go exactly 30 days after the last, not a millisecond sooner', () => {
		const last = (iso: string): Contacts => ({ ...noContacts(), lastWinBackAt: new Map([['c1', iso]]) });
		expect(at(customer(), last(daysAgo(30)))).toBeUndefined();
		expect(at(customer(), last(new Date(now.getTime() - 30 * DAY + 1).toISOString()))).toBe('cooldown');
		expect(at(customer(), last('garbage'))).toBe('cooldown');
		const compensated = (iso: string): Contacts => ({ ...noContacts(), compensatedSince: new Map([['c1', iso]]) });
		expect(at(customer(), compensated(daysAgo(30)))).toBeUndefined();
		expect(at(customer(), compensated(daysAgo(29)))).toBe('recent_compensation');
	});
});

describe('campaignWindow', () => {
	it('is stable within a 30-day window and changes across it', () => {
		// day 20773 (2026-11-16) - 20773 % 30 = day 20760, 2026-11-03
		expect(campaignWindow(now, 30)).toBe('2026-11-03/30d');
		expect(campaignWindow(new Date('2026-11-03T00:00:00Z'), 30)).toBe('2026-11-03/30d');
		expect(campaignWindow(new Date('2026-12-02T23:59:59.999Z'), 30)).toBe('2026-11-03/30d');
		expect(campaignWindow(new Date('2026-12-03T00:00:00Z'), 30)).toBe('2026-12-03/30d');
		expect(campaignWindow(new Date('2026-11-02T23:59:59Z'), 30)).toBe('2026-10-04/30d');
		expect(campaignWindow(now, 1)).toBe('2026-11-16/1d');
	});
});

describe('planWinBack', () => {
	it('decides per customer with offers by segment and reasons', () => {
		const customers = [
			customer({ customerId: 'dormant', orderDates: [daysAgo(400)] }),
			customer({ customerId: 'active', orderDates: [daysAgo(10)], orderCount: 5, amountSpent: { cents: 90_000, currency: 'USD' } }),
			customer({ customerId: 'ticket', orderDates: [daysAgo(300)] }),
		];
		const contacts = { ...noContacts(), openTicketCustomerIds: new Set(['ticket']) };
		const { decisions, summary } = planWinBack(customers, contacts, WINBACK_POLICY, now);
		const [dormant, active, ticket] = decisions;
		// dormant: 400 days (R1), one visit (F1), $100 spent (M2): lost, a plain mail
		expect(dormant).toMatchObject({ isDormant: true, toMail: true, segment: 'lost', offerPercent: 0, rfm: { recency: 1, frequency: 1, monetary: 2 } });
		expect(dormant.reasons).toEqual(['dormant:400d_since_last_order:threshold_180d:one_time_buyer_floor', 'segment_lost:R1F1M2', 'offer:plain_we_miss_you']);
		expect(active).toMatchObject({ isDormant: false, toMail: false, offerPercent: null });
		expect(ticket).toMatchObject({ isDormant: true, toMail: false, suppressed: 'open_ticket', offerPercent: null });
		expect(summary).toMatchObject({ customers: 3, dormant: 2, toMail: 1, suppressed: { open_ticket: 1 } });
		expect(summary.bySegment.lost).toEqual({ dormant: 2, toMail: 1 });
	});

	it('plans 100,000 customers with counts that add up', () => {
		let seed = 42;
		const random = () => {
			// mulberry32
			seed = (seed + 0x6d2b79f5) | 0;
			let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
			t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
			return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		};
		const consents = ['SUBSCRIBED', 'SUBSCRIBED', 'SUBSCRIBED', 'NOT_SUBSCRIBED', 'UNSUBSCRIBED', 'PENDING'];
		const contacts = noContacts();
		const customers: WinBackCustomer[] = [];
		for (let i = 0; i < 100_000; i++) {
			const customerId = `gid://shopify/Customer/${i}`;
			const orders = 1 + Math.floor(random() * 6);
			const orderDates: string[] = [];
			for (let o = 0; o < orders; o++) orderDates.push(daysAgo(Math.floor(random() * 1000)));
			customers.push({
				customerId,
				email: random() < 0.05 ? undefined : `c${i}@example.com`,
				orderDates,
				amountSpent: { cents: Math.floor(random() * 200_000), currency: random() < 0.8 ? 'USD' : 'EUR' },
				marketingConsent: consents[Math.floor(random() * consents.length)],
				tags: [],
			});
			if (random() < 0.02) contacts.openTicketCustomerIds.add(customerId);
			if (random() < 0.02) contacts.compensatedSince.set(customerId, daysAgo(random() * 60));
			if (random() < 0.05) contacts.lastWinBackAt.set(customerId, daysAgo(random() * 60));
		}
		const { decisions, summary } = planWinBack(customers, contacts, WINBACK_POLICY, now);
		expect(decisions).toHaveLength(100_000);
		expect(summary.customers).toBe(100_000);
		const dormant = decisions.filter((d) => d.isDormant);
		const mailed = decisions.filter((d) => d.toMail);
		expect(summary.dormant).toBe(dormant.length);
		expect(summary.toMail).toBe(mailed.length);
		expect(dormant.length).toBeGreaterThan(10_000);
		expect(mailed.length).toBeGreaterThan(1_000);
		const suppressed: Record<string, number> = {};
		for (const d of dormant) if (d.suppressed) suppressed[d.suppressed] = (suppressed[d.suppressed] ?? 0) + 1;
		expect(summary.suppressed).toEqual(suppressed);
		expect(Object.values(summary.suppressed).reduce((a, b) => a + b, 0) + summary.toMail).toBe(summary.dormant);
		for (const key of ['no_email', 'consent_not_subscribed', 'consent_unsubscribed', 'consent_pending', 'open_ticket', 'recent_compensation', 'cooldown']) {
			expect(summary.suppressed[key]).toBeGreaterThan(0);
		}
		for (const segment of SEGMENTS) {
			expect(summary.bySegment[segment].dormant).toBe(dormant.filter((d) => d.segment === segment).length);
			expect(summary.bySegment[segment].toMail).toBe(mailed.filter((d) => d.segment === segment).length);
		}
		expect(decisions.every((d) => (d.toMail ? d.offerPercent === WINBACK_POLICY.offers[d.segment] : d.offerPercent === null))).toBe(true);
		expect(decisions.every((d) => !d.suppressed || (d.isDormant && !d.toMail))).toBe(true);
	});
});

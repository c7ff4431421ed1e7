/** The customer cache's freshness decision, by the run's Now (injected): which tickets it answers, what Shopify is asked. */
import { answeredFromCache, isFresh, type CachedCustomer } from '../../../../nodes/shared/store/customerContext';

const NOW = new Date('2026-11-20T12:00:00Z');
const minutesBefore = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

describe('isFresh', () => {
	it('an entry read less than the window before Now stands in for Shopify; one read the window or more before does not', () => {
		expect(isFresh(minutesBefore(0), NOW, 15)).toBe(true);
		expect(isFresh(minutesBefore(14.99), NOW, 15)).toBe(true);
		expect(isFresh(minutesBefore(15), NOW, 15)).toBe(false);
		expect(isFresh(minutesBefore(60 * 24), NOW, 15)).toBe(false);
	});

	it('0 minutes turns the cache off', () => {
		expect(isFresh(NOW, NOW, 0)).toBe(false);
	});

	it('an entry from after Now (a run whose Now was set back) is read again, past a minute for clocks', () => {
		expect(isFresh(minutesBefore(-0.5), NOW, 15)).toBe(true);
		expect(isFresh(minutesBefore(-2), NOW, 15)).toBe(false);
		expect(isFresh(new Date('not a date'), NOW, 15)).toBe(false);
	});

	it('judges by the Now it is given, never the wall clock', () => {
		const longAgo = new Date('2020-01-01T00:00:00Z');
		expect(isFresh(longAgo, new Date('2020-01-01T00:10:00Z'), 15)).toBe(true);
		expect(isFresh(longAgo, new Date('2020-01-01T00:20:00Z'), 15)).toBe(false);
	});
});

describe('answeredFromCache', () => {
	const entry = (customerId: string, email: string, minutesOld: number): CachedCustomer => ({
		fetchedAt: minutesBefore(minutesOld),
		profile: { customerId, email, lifetimeSpend: { cents: 120_000, currency: 'USD' }, orderCount: 3, tags: [] },
	});
	const cache = (...entries: CachedCustomer[]) => new Map(entries.flatMap((cached) => [[cached.profile.customerId, cached], [cached.profile.email!.toLowerCase(), cached]] as const));

	it('answers fresh customers by address (any case) or Shopify id, and asks Shopify only for the rest', () => {
		const cached = cache(entry('gid://shopify/Customer/1', 'ana@example-store.test', 5), entry('gid://shopify/Customer/2', 'ben@example-store.test', 20));
		const { profiles, toRead } = answeredFromCache(
			[{ customerEmail: 'ANA@example-store.test' }, { customerId: '1' }, { customerEmail: 'ben@example-store.test' }, { customerEmail: 'new@example-store.test' }],
			cached,
			NOW,
			15,
		);
		expect([...new Set(profiles.values())].map((profile) => profile.customerId)).toEqual(['gid://shopify/Customer/1']);
		expect(toRead).toEqual({ emails: ['ben@example-store.test', 'new@example-store.test'], ids: [] });
	});

	it('a ticket with a Shopify id is answered by that id only, as Shopify would find it first', () => {
		const cached = cache(entry('gid://shopify/Customer/1', 'ana@example-store.test', 5));
		const { profiles, toRead } = answeredFromCache([{ customerId: '7', customerEmail: 'ana@example-store.test' }], cached, NOW, 15);
		expect(profiles.size).toBe(0);
		expect(toRead).toEqual({ emails: ['ana@example-store.test'], ids: ['7'] });
	});

	it('with 0 minutes every customer is read from Shopify', () => {
		const cached = cache(entry('gid://shopify/Customer/1', 'ana@example-store.test', 0));
		expect(answeredFromCache([{ customerEmail: 'ana@example-store.test' }], cached, NOW, 0).toRead).toEqual({ emails: ['ana@example-store.test'], ids: [] });
	});

	it('for an escalation (with detail) an entry answers only when its last name, phone and latest orders were read within the window too', () => {
		const withDetail = (detailMinutesOld: number | undefined, minutesOld = 1): CachedCustomer => ({
			...entry('gid://shopify/Customer/1', 'ana@example-store.test', minutesOld),
			...(detailMinutesOld === undefined ? {} : { detailFetchedAt: minutesBefore(detailMinutesOld) }),
		});
		const asked = (cached: CachedCustomer) => answeredFromCache([{ customerEmail: 'ana@example-store.test' }], cache(cached), NOW, 15, { detail: { recentOrders: 3 } }).toRead.emails;
		// triage wrote it a minute ago, and no escalation ever read its detail
		expect(asked(withDetail(undefined))).toEqual(['ana@example-store.test']);
		expect(asked(withDetail(20))).toEqual(['ana@example-store.test']);
		expect(asked(withDetail(14))).toEqual([]);
		// fresh detail with stale tier inputs is read again as well
		expect(asked(withDetail(1, 16))).toEqual(['ana@example-store.test']);
		// triage's own reading needs no detail
		expect(answeredFromCache([{ customerEmail: 'ana@example-store.test' }], cache(withDetail(undefined)), NOW, 15).toRead.emails).toEqual([]);
	});
});


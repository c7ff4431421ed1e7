import { compensationRefundNote, isCompensationRefundNote } from '../../../nodes/shared/contract/compensation';
import { convertAtOrderRate, formatMoney, isOver, moneyFromDecimal, moneyToDecimal } from '../../../nodes/shared/money';
import { addBusinessMinutes, businessMillisBetween, dueAfterPauses, instantAt, isoTime } from '../../../nodes/shared/time';
import { formatInstant, formatTime } from '../../../nodes/shared/email/text';
import { retryAfterMs, withRetry } from '../../../nodes/shared/retry';
import { CxTicketTriage } from '../../../nodes/CxTicketTriage/CxTicketTriage.node';
import { CxVipEscalation } from '../../../nodes/CxVipEscalation/CxVipEscalation.node';
import { BUSINESS_HOURS, CUSTOMER_CACHE_MINUTES, ESCALATION_POLICY, INPUT_LIMITS, TIER_POLICY } from '../../../nodes/shared/policy';

describe('money', () => {
	it('parses decimals exactly into minor units of the currency', () => {
		expect(moneyFromDecimal('1234.50', 'usd')).toEqual({ cents: 123450, currency: 'USD' });
		expect(moneyFromDecimal('0.1', 'USD').cents + moneyFromDecimal('0.2', 'USD').cents).toBe(30);
		expect(moneyFromDecimal('1999', 'JPY')).toEqual({ cents: 1999, currency: 'JPY' });
		expect(moneyFromDecimal('1.2345', 'KWD').cents).toBe(1235);
		expect(moneyFromDecimal(19.99, 'USD').cents).toBe(1999);
		expect(moneyToDecimal({ cents: -1005, currency: 'USD' })).toBe('-10.05');
		expect(formatMoney({ cents: 123450, currency: 'USD' })).toBe('$1,234.50');
	});

	it('refuses what is not money', () => {
		expect(() => moneyFromDecimal('12,50', 'USD')).toThrow('not a decimal amount');
		expect(() => moneyFromDecimal('10', 'XYZ1')).toThrow('ISO 4217');
		expect(() => isOver({ cents: 1, currency: 'USD' }, { cents: 1, currency: 'EUR' })).toThrow('cannot compare');
	});

	it('converts a credit at the rate one order was paid at, into the other currency\'s own minor unit', () => {
		// $200.00 of shop money paid as ¥30,000: $25 is ¥3,750, whole yen
		expect(convertAtOrderRate(moneyFromDecimal('25.00', 'USD'), moneyFromDecimal('200.00', 'USD'), moneyFromDecimal('30000', 'JPY'))).toEqual({ cents: 3750, currency: 'JPY' });
		// the other way: ¥3,000 of a ¥30,000 order paid as $200.00 is $20.00
		expect(convertAtOrderRate(moneyFromDecimal('3000', 'JPY'), moneyFromDecimal('30000', 'JPY'), moneyFromDecimal('200.00', 'USD'))).toEqual({ cents: 2000, currency: 'USD' });
		// three decimals (KWD), rounded half away from zero
		expect(convertAtOrderRate(moneyFromDecimal('10.00', 'USD'), moneyFromDecimal('30.00', 'USD'), moneyFromDecimal('9.215', 'KWD'))).toEqual({ cents: 3072, currency: 'KWD' });
		expect(() => convertAtOrderRate(moneyFromDecimal('1', 'EUR'), moneyFromDecimal('30.00', 'USD'), moneyFromDecimal('10', 'JPY'))).toThrow('cannot convert EUR at a USD rate');
	});
});

describe('time', () => {
	it('writes an instant as toISOString does, to the millisecond, on every day, and leaves the edges to the engine', () => {
		const instants = [
			0,
			Date.UTC(2024, 1, 29, 23, 59, 59, 5),
			Date.UTC(2026, 11, 31, 23, 59, 59, 50),
			Date.UTC(2027, 0, 1, 0, 0, 0, 999),
			253_402_300_799_999,
			253_402_300_800_000,
			-1,
			Date.UTC(1969, 6, 20, 20, 17, 40, 0),
		];
		// a day every 7 days and 13 hours, 1 millisecond on, over 60 years, so every hour and many days and years are written
		for (let at = Date.UTC(1990, 0, 1); at < Date.UTC(2050, 0, 1); at += 7 * 86_400_000 + 13 * 3_600_000 + 60_001) instants.push(at);
		for (const at of instants) expect(isoTime(new Date(at))).toBe(new Date(at).toISOString());
		expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
	});

	it('shows an instant in hand as formatTime shows its ISO text', () => {
		const at = new Date('2026-11-02T10:00:00.000Z');
		expect(formatInstant(at, 'Europe/Berlin')).toBe('Mon, Nov 2, 2026, 11:00 (Europe/Berlin)');
		expect(formatInstant(at, 'America/New_York', false)).toBe(formatTime(at.toISOString(), 'America/New_York', false));
	});

	it('finds the instant of a wall-clock time across DST', () => {
		expect(instantAt(2026, 3, 30, 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-03-30T07:00:00.000Z');
		expect(instantAt(2026, 3, 27, 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-03-27T08:00:00.000Z');
	});

	it('remembers instants per zone: the same wall clock in two zones, a day past the month end, and a DST gap, asked twice', () => {
		for (let round = 0; round < 2; round++) {
			expect(instantAt(2026, 3, 30, 9 * 60, 'America/New_York').toISOString()).toBe('2026-03-30T13:00:00.000Z');
			expect(instantAt(2026, 3, 30, 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-03-30T07:00:00.000Z');
			// 32 March is 1 April (what a return window's last day past the month's end asks)
			expect(instantAt(2026, 3, 32, 0, 'Europe/Berlin').toISOString()).toBe('2026-03-31T22:00:00.000Z');
			// 02:30 on 29 March does not exist in Berlin: the later reading, 03:30 summer time
			expect(instantAt(2026, 3, 29, 150, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
		}
	});

	it('adds business minutes, starting at the next opening', () => {
		const hours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
		// Saturday night -> Monday 09:00 + 60 min
		expect(addBusinessMinutes(new Date('2026-11-07T22:00:00Z'), 60, hours).toISOString()).toBe('2026-11-09T09:00:00.000Z');
		// 16:00 Tuesday + 2 h -> 10:00 Wednesday (CET = UTC+1)
		expect(addBusinessMinutes(new Date('2026-11-10T15:00:00Z'), 120, hours).toISOString()).toBe('2026-11-11T09:00:00.000Z');
	});

	it('a store closed for the holidays does not count them: 4 hours from Wednesday 15:00 before Christmas run to Monday 11:00', () => {
		const hours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: ['2026-12-24', '2026-12-25'] };
		// Wednesday 23rd 15:00 Berlin (14:00Z): 2 h that day, Thursday and Friday off, the weekend, 2 h Monday 28th -> 11:00 (10:00Z)
		expect(addBusinessMinutes(new Date('2026-12-23T14:00:00Z'), 240, hours).toISOString()).toBe('2026-12-28T10:00:00.000Z');
		// a ticket that arrives on a holiday starts its clock at the next working opening
		expect(addBusinessMinutes(new Date('2026-12-24T10:00:00Z'), 60, hours).toISOString()).toBe('2026-12-28T09:00:00.000Z');
	});

	it('counts the working time between two instants, skipping nights, weekends and holidays', () => {
		const hours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: ['2026-12-24', '2026-12-25'] };
		// Wednesday 23rd 15:00 Berlin to Monday 28th 11:00: 2 h + 2 h
		expect(businessMillisBetween(new Date('2026-12-23T14:00:00Z'), new Date('2026-12-28T10:00:00Z'), hours)).toBe(4 * 3_600_000);
		expect(businessMillisBetween(new Date('2026-12-28T10:00:00Z'), new Date('2026-12-23T14:00:00Z'), hours)).toBe(0);
	});

	it('a wait on the customer moves a due time on: by the time waited around the clock, by the working time waited on business hours', () => {
		const due = new Date('2026-12-28T12:00:00Z');
		const now = new Date('2026-12-28T08:00:00Z');
		// waited since Wednesday 23rd 14:00Z, 114 h to now, plus 30 min earlier: 114.5 h later
		expect(dueAfterPauses(due, 1_800, new Date('2026-12-23T14:00:00Z'), now).toISOString()).toBe('2027-01-02T06:30:00.000Z');
		const hours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: ['2026-12-24', '2026-12-25'] };
		// on business hours: 2 h Wednesday (Thursday and Friday are holidays, Monday not yet open) + 30 min = 2.5 working hours after Monday 13:00 Berlin
		expect(dueAfterPauses(due, 1_800, new Date('2026-12-23T14:00:00Z'), now, hours).toISOString()).toBe('2026-12-28T14:30:00.000Z');
		expect(dueAfterPauses(due, 0, undefined, now, hours).toISOString()).toBe(due.toISOString());
	});
});

describe('retry', () => {
	it('retries what is transient, up to the attempts, and stops at what is not', async () => {
		let calls = 0;
		const result = await withRetry(async () => {
			calls++;
			if (calls < 3) throw new Error('503');
			return 'ok';
		}, () => ({ retry: true }), { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 });
		expect([result, calls]).toEqual(['ok', 3]);

		calls = 0;
		await expect(withRetry(async () => {
			calls++;
			throw new Error('400');
		}, () => ({ retry: false }), { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 })).rejects.toThrow('400');
		expect(calls).toBe(1);
	});

	it('waits out a paced answer (a throttle that says when it refills) without counting it as an attempt, up to the paced budget', async () => {
		let calls = 0;
		const throttledFiveTimes = async () => {
			calls++;
			if (calls <= 5) throw new Error('THROTTLED');
			return 'ok';
		};
		const paced = () => ({ retry: true as const, paced: true, afterMs: 2 });
		// five throttles, two attempts allowed: the throttles are not attempts
		expect(await withRetry(throttledFiveTimes, paced, { attempts: 2, baseDelayMs: 1, maxDelayMs: 2, pacedWaitMs: 100 })).toBe('ok');
		expect(calls).toBe(6);
		// past the paced budget the throttles count as attempts again, and the last one fails
		calls = 0;
		await expect(withRetry(throttledFiveTimes, paced, { attempts: 2, baseDelayMs: 1, maxDelayMs: 2, pacedWaitMs: 4 })).rejects.toThrow('THROTTLED');
		expect(calls).toBe(4);
	});

	it('reads Retry-After as seconds or a date', () => {
		expect(retryAfterMs('2')).toBe(2000);
		expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
		expect(retryAfterMs('soon')).toBeUndefined();
	});
});

describe('the node description', () => {
	it('shows the policy defaults (n8n reads literal defaults; these must match the policy\'s sources)', () => {
		const options = new CxTicketTriage().description.properties.find((property) => property.name === 'options')!.options as Array<{ name: string; default: unknown; options?: unknown }>;
		const defaults = Object.fromEntries(options.map((option) => [option.name, option.default]));
		expect(defaults).toMatchObject({
			escalateOrderValueOver: ESCALATION_POLICY.escalateOrderValueOver,
			escalateThreatening: ESCALATION_POLICY.escalateThreatening,
			escalateUrgent: ESCALATION_POLICY.escalateUrgent,
			escalateVip: ESCALATION_POLICY.escalateVip,
			maxBodyLength: INPUT_LIMITS.maxBodyLength,
			premiumLifetimeSpend: TIER_POLICY.premiumLifetimeSpend,
			vipLifetimeSpend: TIER_POLICY.vipLifetimeSpend,
			vipTag: TIER_POLICY.vipTag,
			customerCacheMinutes: CUSTOMER_CACHE_MINUTES,
		});
		// the escalation reads the same cache, with the same window by default
		const escalationOptions = new CxVipEscalation().description.properties.find((property) => property.name === 'options')!.options as Array<{ name: string; default: unknown }>;
		expect(escalationOptions.find((option) => option.name === 'customerCacheMinutes')?.default).toBe(CUSTOMER_CACHE_MINUTES);
		const hours = (options.find((option) => option.name === 'businessHours')!.options as Array<{ values: Array<{ name: string; default: unknown }> }>)[0].values;
		expect(Object.fromEntries(hours.map((value) => [value.name, value.default]))).toMatchObject({
			days: BUSINESS_HOURS.days,
			start: BUSINESS_HOURS.start,
			end: BUSINESS_HOURS.end,
		});
	});
});

describe('compensation refunds', () => {
	it('the note CX Delay Compensation writes on its refund is the one the return rate leaves out; a customer\'s own refund note is not', () => {
		expect(compensationRefundNote('shipping_delay:gid://shopify/Order/1012')).toBe('Delay compensation shipping_delay:gid://shopify/Order/1012');
		expect(isCompensationRefundNote(compensationRefundNote('shipping_delay:gid://shopify/Order/1012'))).toBe(true);
		expect(isCompensationRefundNote('Returned: print faded')).toBe(false);
		expect(isCompensationRefundNote('Delay compensation')).toBe(false);
	});
});

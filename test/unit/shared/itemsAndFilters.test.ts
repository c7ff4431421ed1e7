import { InputProblem, decimalOf, isEmailAddress, optionalDate, optionalNumber, optionalString, wellFormed } from '../../../nodes/shared/items';
import { inList } from '../../../nodes/shared/services/supabase';

describe('a PostgREST in list', () => {
	it('quotes every value and escapes quotes and backslashes, so a value matches only itself', () => {
		expect(inList(['T-1', 'x","T-2', 'a,b', 'c\\"d', 'T-1'])).toBe('("T-1","x\\",\\"T-2","a,b","c\\\\\\"d")');
		expect(inList([42])).toBe('("42")');
	});
});

describe('text read from items', () => {
	it('has half an emoji replaced, so the services take it; whole emoji and other text stay as they are', () => {
		expect(optionalString({ body: 'broken \uD83D here' }, 'body')).toBe('broken \uFFFD here');
		expect(optionalString({ body: 'tail \uDE00' }, 'body')).toBe('tail \uFFFD');
		expect(wellFormed('whole 😀 emoji, é, 日本')).toBe('whole 😀 emoji, é, 日本');
		expect(() => JSON.parse(JSON.stringify(optionalString({ body: '\uD83D' }, 'body')))).not.toThrow();
		expect(Buffer.from(optionalString({ body: 'a\uD83Db' }, 'body')!, 'utf8').toString('utf8')).toBe('a\uFFFDb');
	});
});

describe('dates read from items', () => {
	const read = (value: unknown) => optionalDate({ at: value as never }, 'at');

	it('take ISO 8601 dates and times, a time without a zone as UTC, and Unix times', () => {
		expect(read('2026-11-02')).toEqual(new Date('2026-11-02T00:00:00Z'));
		expect(read('2026-11-02T14:30:00Z')).toEqual(new Date('2026-11-02T14:30:00Z'));
		expect(read('2026-11-02 14:30:00.123+01:00')).toEqual(new Date('2026-11-02T13:30:00.123Z'));
		expect(read('2026-11-02T14:30')).toEqual(new Date('2026-11-02T14:30:00Z'));
		expect(read(1793629800)).toEqual(new Date('2026-11-02T14:30:00Z'));
		expect(read(1793629800000)).toEqual(new Date('2026-11-02T14:30:00Z'));
	});

	it('refuse what they would have to guess at, naming the field', () => {
		for (const value of ['2026-02-30', 'Ticket 12', '02/11/2026', '2026-11-02T25:00:00Z', 'Tue, 03 Nov 2026 10:00:00 GMT', -1, 0, '1793629800']) {
			expect(() => read(value)).toThrow(InputProblem);
		}
		expect(() => read('2026-02-30')).toThrow('Field "at" is not a valid date: "2026-02-30"');
	});
});

describe('numbers and email addresses as items give them', () => {
	it('reads a decimal as people write one, and nothing Number() would stretch into one', () => {
		expect(['129.90', ' -3 ', '.5', '+2', '7.'].map(decimalOf)).toEqual([129.9, -3, 0.5, 2, 7]);
		for (const text of ['0x9', '1e1', '12abc', '', ' ', 'Infinity', '1,5', '--1']) expect(decimalOf(text)).toBeNaN();
		expect(() => optionalNumber({ score: '0x9' }, 'score')).toThrow('Field "score" is not a number: "0x9"');
		expect(optionalNumber({ score: 10 }, 'score')).toBe(10);
	});

	it('takes one plain address, and refuses two, a missing domain, brackets and invisible characters', () => {
		for (const good of ['ana@example-store.test', 'first.last+tag@mail.example.co.uk', "o'neil@example.test"]) expect(isEmailAddress(good)).toBe(true);
		const bad = ['not-an-email', 'a@example.test, b@example.test', 'a@example.test;b@example.test', 'a\u200b@example.test', 'a@exam\u200eple.test', 'Ana <ana@example.test>', 'a@b', 'a@example.', 'a@.example.test', 'a@example..test', 'a b@example.test', `${'x'.repeat(65)}@example.test`, 'a@example.t'];
		expect(bad.filter(isEmailAddress)).toEqual([]);
	});
});

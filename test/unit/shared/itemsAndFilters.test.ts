import { InputProblem, optionalDate, optionalString, wellFormed } from '../../../nodes/shared/items';
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

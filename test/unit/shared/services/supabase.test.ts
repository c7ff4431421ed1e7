import { optionalString, wellFormed } from '../../../../nodes/shared/items';
import { inList } from '../../../../nodes/shared/services/supabase';

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

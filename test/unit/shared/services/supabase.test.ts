import { inList } from '../../../../nodes/shared/services/supabase';

describe('a PostgREST in list', () => {
	it('quotes every value and escapes quotes and backslashes, so a value matches only itself', () => {
		expect(inList(['T-1', 'x","T-2', 'a,b', 'c\\"d', 'T-1'])).toBe('("T-1","x\\",\\"T-2","a,b","c\\\\\\"d")');
		expect(inList([42])).toBe('("42")');
	});
});

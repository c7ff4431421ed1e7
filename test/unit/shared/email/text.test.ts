import { formatTime } from '../../../../nodes/shared/email/text';

/** What Intl itself writes: the reference formatTime must match, minute for minute, in every zone. */
function reference(iso: string, timeZone: string, withTime: boolean): string {
	const parts: Record<string, string> = {};
	const format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'short', day: 'numeric', ...(withTime ? { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}) });
	for (const part of format.formatToParts(new Date(iso))) parts[part.type] = part.value;
	const date = `${parts.month} ${parts.day}, ${parts.year}`;
	return withTime ? `${parts.weekday}, ${date}, ${parts.hour}:${parts.minute} (${timeZone})` : date;
}

describe('times shown to people', () => {
	it('read like a person writes them, in the store\'s zone', () => {
		expect(formatTime('2026-12-04T12:17:53.713Z', 'UTC')).toBe('Fri, Dec 4, 2026, 12:17 (UTC)');
		expect(formatTime('2026-11-02T10:00:00Z', 'Europe/Berlin')).toBe('Mon, Nov 2, 2026, 11:00 (Europe/Berlin)');
		expect(formatTime('2026-11-02T10:00:00Z', 'America/New_York', false)).toBe('Nov 2, 2026');
		expect(formatTime('not a time', 'UTC')).toBe('not a time');
	});

	it('match Intl across daylight-saving changes and zones with half and quarter hours', () => {
		const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham'];
		// every 7 minutes 13 seconds across 2026: each zone's changes fall between samples and on them
		for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2027, 0, 1); at += 433_000 * 97) {
			const iso = new Date(at).toISOString();
			for (const zone of zones) expect(formatTime(iso, zone)).toBe(reference(iso, zone, true));
		}
		for (const zone of zones) {
			for (const iso of ['2026-03-08T06:59:00Z', '2026-03-08T07:00:00Z', '2026-03-29T00:59:59Z', '2026-03-29T01:00:00Z', '2026-04-05T14:59:00Z', '2026-04-05T15:00:00Z', '2026-10-25T00:59:00Z', '2026-10-25T01:00:00Z', '2026-11-01T05:59:00Z', '2026-11-01T06:00:00Z']) {
				expect(formatTime(iso, zone)).toBe(reference(iso, zone, true));
				expect(formatTime(iso, zone, false)).toBe(reference(iso, zone, false));
			}
		}
	});
});

/**
 * A survey answer's time is read the way the pack reads every time (shared/items.ts dateValue), whichever path
 * reads it: the quick one for the form PostgREST and toISOString write, the general one for any other text.
 */
import { dateValue, InputProblem } from '../../../../nodes/shared/items';
import { SATISFACTION_POLICY } from '../../../../nodes/shared/policy';
import { readSurveyAnswer } from '../../../../nodes/CxSatisfactionMetrics/metrics';

const scales = SATISFACTION_POLICY.scales;
const timeOf = (respondedAt: unknown) => {
	const answer = readSurveyAnswer({ type: 'csat', score: 4, responded_at: respondedAt }, 'Item 1', scales);
	return answer instanceof InputProblem ? Number.NaN : answer.respondedAt;
};
const general = (text: string) => dateValue(text.trim())?.getTime() ?? Number.NaN;

describe('the time of a survey answer', () => {
	it('reads the forms PostgREST and toISOString write, to the millisecond', () => {
		expect(timeOf('2026-11-10T08:00:00Z')).toBe(Date.UTC(2026, 10, 10, 8));
		expect(timeOf('2026-11-10T08:00:00.123Z')).toBe(Date.UTC(2026, 10, 10, 8, 0, 0, 123));
		expect(timeOf('2026-11-10T08:00:00.123456+00:00')).toBe(Date.UTC(2026, 10, 10, 8, 0, 0, 123));
		expect(timeOf('2026-11-10T08:00:00.5+00:00')).toBe(Date.UTC(2026, 10, 10, 8, 0, 0, 500));
		expect(timeOf('2026-11-10T09:30:00+01:30')).toBe(Date.UTC(2026, 10, 10, 8));
		expect(timeOf('2026-11-10T03:00:00-05:00')).toBe(Date.UTC(2026, 10, 10, 8));
	});

	it('refuses what the pack refuses everywhere: days and times that do not exist, years before 100', () => {
		for (const text of ['2026-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-11-10T24:00:00Z', '2026-11-10T08:60:00Z', '2026-11-10T08:00:60Z', '0099-01-01T00:00:00Z', '2026-13-01T00:00:00Z']) {
			expect(timeOf(text)).toBeNaN();
		}
		expect(timeOf('2024-02-29T12:00:00Z')).toBe(Date.UTC(2024, 1, 29, 12));
		expect(readSurveyAnswer({ type: 'nps', score: 9, responded_at: '2026-02-30T00:00:00Z' }, 'survey_responses row 7', scales)).toMatchObject({
			field: 'responded_at',
			message: 'survey_responses row 7: field "responded_at" is "2026-02-30T00:00:00Z", not a date',
		});
	});

	it('agrees with the general reader on every form, near misses included', () => {
		let seed = 11;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
		const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
		const pad = (value: number, width: number) => String(value).padStart(width, '0');
		const texts = ['2026-11-09', '2026-11-09T10:00', '2026-11-09 10:00:00Z', '2026-11-09t10:00:00z', ' 2026-11-09T10:00:00Z ', '2026-11-09T10:00:00+0530', '2026-11-09T10:00:00+05', '2026-11-09T10:00:00.Z', '2026-11-09T10:00:00.1234567890Z', '+002026-11-09T10:00:00Z'];
		for (let n = 0; n < 20_000; n++) {
			const year = pick([50, 99, 100, 1900, 1970, 2000, 2024, 2026, 9999]);
			const date = `${pad(year, 4)}-${pad(Math.floor(random() * 14), 2)}-${pad(Math.floor(random() * 33), 2)}`;
			const time = `${pad(Math.floor(random() * 26), 2)}:${pad(Math.floor(random() * 62), 2)}:${pad(Math.floor(random() * 62), 2)}`;
			const fraction = pick(['', '.5', '.05', '.123', '.999999', '.123456789']);
			const zone = pick(['Z', '+00:00', '-00:00', '+05:30', '-08:00', '+23:59', '+24:00', '-12:60', '']);
			texts.push(`${date}T${time}${fraction}${zone}`);
		}
		const disagreements = texts.filter((text) => !Object.is(timeOf(text), general(text)));
		expect(disagreements).toEqual([]);
	});

	it('names the row in a problem only when there is one, from a function of the row', () => {
		const name = jest.fn((row: Record<string, unknown>) => `survey_responses row ${String(row.id)}`);
		expect(readSurveyAnswer({ id: 'r1', type: 'ces', score: 6, responded_at: '2026-11-10T08:00:00Z' }, name, scales)).not.toBeInstanceOf(InputProblem);
		expect(name).not.toHaveBeenCalled();
		expect(readSurveyAnswer({ id: 'r2', type: 'ces', score: 9, responded_at: '2026-11-10T08:00:00Z' }, name, scales)).toMatchObject({
			field: 'score',
			message: 'survey_responses row r2: field "score" is 9, outside the CES scale 1-7 (whole numbers)',
		});
	});
});

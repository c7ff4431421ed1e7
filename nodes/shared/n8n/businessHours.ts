/**
 * The store's business hours as a node option, read one way by every node whose SLA clocks may run only inside
 * them (CX Ticket Triage sets the due times, CX VIP Escalation's sweep moves them on by the time waited): a time
 * zone, working days, opening and closing times, and store holidays the clocks skip.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { BUSINESS_HOURS } from '../policy';
import { parseClockTime, type BusinessHours } from '../time';
import { readTimeZone } from './options';

export const BUSINESS_HOURS_OPTION: INodeProperties = {
	displayName: 'Business Hours',
	name: 'businessHours',
	type: 'fixedCollection',
	default: {},
	description: 'Run SLA clocks only during these hours, as a helpdesk does; without them, clocks run around the clock',
	options: [
		{
			displayName: 'Hours',
			name: 'hours',
			values: [
				{ displayName: 'Closes At', name: 'end', type: 'string', default: '17:00', placeholder: '17:00' },
				{
					displayName: 'Holidays',
					name: 'holidays',
					type: 'string',
					default: '',
					placeholder: '2026-12-24, 2026-12-25',
					description: 'Days the team does not work, YYYY-MM-DD in the time zone above, comma-separated: SLA clocks skip them',
				},
				{ displayName: 'Opens At', name: 'start', type: 'string', default: '09:00', placeholder: '09:00' },
				{
					displayName: 'Time Zone',
					name: 'timeZone',
					type: 'string',
					default: '',
					placeholder: 'Europe/Berlin',
					description: 'IANA time zone; empty uses the workflow\'s time zone',
				},
				{
					displayName: 'Working Days',
					name: 'days',
					type: 'multiOptions',
					default: [1, 2, 3, 4, 5],
					options: [
						{ name: 'Monday', value: 1 },
						{ name: 'Tuesday', value: 2 },
						{ name: 'Wednesday', value: 3 },
						{ name: 'Thursday', value: 4 },
						{ name: 'Friday', value: 5 },
						{ name: 'Saturday', value: 6 },
						{ name: 'Sunday', value: 7 },
					],
				},
			],
		},
	],
};

/** Options > Business Hours, or null when not added (the clocks run around the clock). */
export function readBusinessHours(ctx: IExecuteFunctions, options: IDataObject): BusinessHours | null {
	const hours = (options.businessHours as IDataObject | undefined)?.hours as IDataObject | undefined;
	if (!hours) return null;
	const timeZone = readTimeZone(ctx, 'Business Hours > Time Zone', hours.timeZone);
	const days = (hours.days as number[] | undefined) ?? BUSINESS_HOURS.days;
	const start = String(hours.start ?? BUSINESS_HOURS.start);
	const end = String(hours.end ?? BUSINESS_HOURS.end);
	const problem = days.length === 0 ? 'no working day is selected' : (checkClock(start) ?? checkClock(end) ?? checkOrder(start, end));
	if (problem) {
		throw new NodeOperationError(ctx.getNode(), `Business hours: ${problem}`, { description: 'Fix Options > Business Hours.' });
	}
	const holidays = String(hours.holidays ?? '').split(/[,\s]+/).filter(Boolean);
	const bad = holidays.find((day) => !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)));
	if (bad) {
		throw new NodeOperationError(ctx.getNode(), `Business hours: holiday "${bad}" is not a date in YYYY-MM-DD form`, { description: 'List holidays in Options > Business Hours > Holidays as 2026-12-24, 2026-12-25.' });
	}
	return { timeZone, days, start, end, ...(holidays.length ? { holidays } : {}) };
}

function checkOrder(start: string, end: string): string | undefined {
	return parseClockTime(end) > parseClockTime(start) ? undefined : `closing time ${end} must be after opening time ${start}`;
}

function checkClock(text: string): string | undefined {
	try {
		parseClockTime(text);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

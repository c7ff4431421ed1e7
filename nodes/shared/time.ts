/**
 * Time-zone aware clock arithmetic for SLA due times, with no dependency: Intl tells the wall-clock time
 * in a zone, and business hours are walked day by day in that zone (so DST changes are honoured).
 */

export interface BusinessHours {
	timeZone: string;
	/** ISO weekdays the team works: 1 = Monday ... 7 = Sunday. */
	days: number[];
	/** Opening and closing wall-clock times, "HH:MM", closing after opening. */
	start: string;
	end: string;
}

interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	weekday: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function isValidTimeZone(timeZone: string): boolean {
	try {
		formatter(timeZone);
		return true;
	} catch {
		return false;
	}
}

function formatter(timeZone: string): Intl.DateTimeFormat {
	let cached = formatters.get(timeZone);
	if (!cached) {
		cached = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			weekday: 'short',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
		formatters.set(timeZone, cached);
	}
	return cached;
}

export function wallClock(instant: Date, timeZone: string): WallClock {
	const parts: Record<string, string> = {};
	for (const part of formatter(timeZone).formatToParts(instant)) parts[part.type] = part.value;
	return {
		year: Number(parts.year),
		month: Number(parts.month),
		day: Number(parts.day),
		hour: Number(parts.hour),
		minute: Number(parts.minute),
		second: Number(parts.second),
		weekday: WEEKDAYS[parts.weekday],
	};
}

function offsetMs(instant: Date, timeZone: string): number {
	const clock = wallClock(instant, timeZone);
	const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
	return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** Openings and closings repeat across a run's tickets; Intl is the slow part, so they are remembered. */
const instants = new Map<string, number>();
const MAX_REMEMBERED = 50_000;

/** The instant at which the zone's clocks show this date and time (the later one in a DST gap). */
export function instantAt(year: number, month: number, day: number, minutesOfDay: number, timeZone: string): Date {
	const key = `${timeZone}|${year}-${month}-${day}|${minutesOfDay}`;
	let instant = instants.get(key);
	if (instant === undefined) {
		const naive = Date.UTC(year, month - 1, day) + minutesOfDay * MINUTE;
		const first = naive - offsetMs(new Date(naive), timeZone);
		instant = naive - offsetMs(new Date(first), timeZone);
		if (instants.size >= MAX_REMEMBERED) instants.clear();
		instants.set(key, instant);
	}
	return new Date(instant);
}

export function parseClockTime(text: string): number {
	const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
	if (!match) throw new Error(`"${text}" is not a time of day in HH:MM form`);
	return Number(match[1]) * 60 + Number(match[2]);
}

export function addMinutes(start: Date, minutes: number): Date {
	return new Date(start.getTime() + Math.round(minutes * MINUTE));
}

/**
 * Adds working time: the clock runs only inside business hours. A ticket that arrives at night starts
 * its clock at the next opening.
 */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHours): Date {
	const open = parseClockTime(hours.start);
	const close = parseClockTime(hours.end);
	if (close <= open) throw new Error(`business hours end (${hours.end}) must be after their start (${hours.start})`);
	if (!hours.days.length) throw new Error('business hours need at least one working day');
	let remaining = Math.round(minutes * MINUTE);
	let cursor = start.getTime();
	// A year of calendar days is more than any SLA needs; the bound only guards against a bad calendar.
	for (let guard = 0; guard < 370; guard++) {
		const clock = wallClock(new Date(cursor), hours.timeZone);
		const opensAt = instantAt(clock.year, clock.month, clock.day, open, hours.timeZone).getTime();
		const closesAt = instantAt(clock.year, clock.month, clock.day, close, hours.timeZone).getTime();
		if (hours.days.includes(clock.weekday) && cursor < closesAt) {
			const from = Math.max(cursor, opensAt);
			if (from + remaining <= closesAt) return new Date(from + remaining);
			remaining -= closesAt - from;
		}
		const next = new Date(Date.UTC(clock.year, clock.month - 1, clock.day) + DAY);
		cursor = instantAt(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, hours.timeZone).getTime();
	}
	throw new Error('business hours never open within a year');
}

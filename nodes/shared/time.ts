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
	/** Days the team does not work although they are working weekdays (store holidays), "YYYY-MM-DD" in the zone. */
	holidays?: string[];
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

/**
 * The zone's wall clock at `instant`: the instant shifted by the zone's offset then (remembered per quarter hour,
 * zoneOffsetMs) and read as UTC, so Intl is asked once per zone and quarter hour rather than once per reading.
 */
export function wallClock(instant: Date, timeZone: string): WallClock {
	const shifted = new Date(instant.getTime() + zoneOffsetMs(instant, timeZone));
	return {
		year: shifted.getUTCFullYear(),
		month: shifted.getUTCMonth() + 1,
		day: shifted.getUTCDate(),
		hour: shifted.getUTCHours(),
		minute: shifted.getUTCMinutes(),
		second: shifted.getUTCSeconds(),
		weekday: shifted.getUTCDay() || 7,
	};
}

/** The zone's wall clock at `instant` as Intl reads it (what wallClock's offsets are learned from). */
function intlWallClock(instant: Date, timeZone: string): WallClock {
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
	const clock = intlWallClock(instant, timeZone);
	const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
	return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** Zones change their offset on a quarter hour at the finest: one Intl reading serves the whole quarter. */
const QUARTER_HOUR = 15 * MINUTE;
/** Per zone, keyed by a number (so a look-up builds no text): offsets by quarter hour, instants by naive time. */
const offsets = new Map<string, Map<number, number>>();
const instants = new Map<string, Map<number, number>>();
/** Openings and closings repeat across a run's tickets; Intl is the slow part, so they are remembered, this many a zone. */
const MAX_REMEMBERED = 50_000;

function zoneTable(tables: Map<string, Map<number, number>>, timeZone: string): Map<number, number> {
	let table = tables.get(timeZone);
	if (!table) {
		table = new Map();
		tables.set(timeZone, table);
	} else if (table.size >= MAX_REMEMBERED) {
		table.clear();
	}
	return table;
}

/** How far the zone's clocks are ahead of UTC at `instant`, in ms; remembered per zone and quarter hour. */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
	const quarter = Math.floor(instant.getTime() / QUARTER_HOUR);
	const table = zoneTable(offsets, timeZone);
	let offset = table.get(quarter);
	if (offset === undefined) {
		offset = offsetMs(new Date(quarter * QUARTER_HOUR), timeZone);
		table.set(quarter, offset);
	}
	return offset;
}

/** The instant at which the zone's clocks show this date and time (the later one in a DST gap). */
export function instantAt(year: number, month: number, day: number, minutesOfDay: number, timeZone: string): Date {
	// the answer depends only on the zone and the date and time read as UTC (a day past the month's end included)
	const naive = Date.UTC(year, month - 1, day) + minutesOfDay * MINUTE;
	const table = zoneTable(instants, timeZone);
	let instant = table.get(naive);
	if (instant === undefined) {
		const first = naive - offsetMs(new Date(naive), timeZone);
		instant = naive - offsetMs(new Date(first), timeZone);
		table.set(naive, instant);
	}
	return new Date(instant);
}

/** The date part ("2026-11-20T") of each UTC day an ISO time was written for, by day number; cleared past MAX_ISO_DAYS. */
const isoDays = new Map<number, string>();
const MAX_ISO_DAYS = 4096;
/** The last instant the ISO format is written for by isoTime itself (9999-12-31T23:59:59.999Z). */
const LAST_ISO_MS = 253_402_300_799_999;
const pad2 = (value: number) => (value < 10 ? '0' : '') + value;

/**
 * `instant.toISOString()`, the same text, in about a fifth of the time: the day's part is the engine's, kept per
 * day, the time of day is written here. Instants before 1970 or after 9999, and invalid ones (which throw), are the
 * engine's.
 */
export function isoTime(instant: Date): string {
	const ms = instant.getTime();
	if (!(ms >= 0 && ms <= LAST_ISO_MS)) return instant.toISOString();
	const day = Math.floor(ms / 86_400_000);
	let date = isoDays.get(day);
	if (date === undefined) {
		if (isoDays.size >= MAX_ISO_DAYS) isoDays.clear();
		date = instant.toISOString().slice(0, 11);
		isoDays.set(day, date);
	}
	let rest = ms - day * 86_400_000;
	const hours = Math.floor(rest / 3_600_000);
	rest -= hours * 3_600_000;
	const minutes = Math.floor(rest / 60_000);
	rest -= minutes * 60_000;
	const seconds = Math.floor(rest / 1000);
	const millis = rest - seconds * 1000;
	return `${date}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** Business hours' "HH:MM" texts, read once each (a run asks for the same two for every ticket). */
const clockTimes = new Map<string, number>();

export function parseClockTime(text: string): number {
	const known = clockTimes.get(text);
	if (known !== undefined) return known;
	const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
	if (!match) throw new Error(`"${text}" is not a time of day in HH:MM form`);
	const minutes = Number(match[1]) * 60 + Number(match[2]);
	if (clockTimes.size < 1_000) clockTimes.set(text, minutes);
	return minutes;
}

export function addMinutes(start: Date, minutes: number): Date {
	return new Date(start.getTime() + Math.round(minutes * MINUTE));
}

/**
 * Adds working time: the clock runs only inside business hours, never on a holiday. A ticket that arrives at
 * night (or on a holiday) starts its clock at the next opening.
 */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHours): Date {
	const open = parseClockTime(hours.start);
	const close = parseClockTime(hours.end);
	if (close <= open) throw new Error(`business hours end (${hours.end}) must be after their start (${hours.start})`);
	if (!hours.days.length) throw new Error('business hours need at least one working day');
	const holidays = hours.holidays?.length ? new Set(hours.holidays) : undefined;
	let remaining = Math.round(minutes * MINUTE);
	let cursor = start.getTime();
	// A year of calendar days is more than any SLA needs; the bound only guards against a bad calendar.
	for (let guard = 0; guard < 370; guard++) {
		const clock = wallClock(new Date(cursor), hours.timeZone);
		const opensAt = instantAt(clock.year, clock.month, clock.day, open, hours.timeZone).getTime();
		const closesAt = instantAt(clock.year, clock.month, clock.day, close, hours.timeZone).getTime();
		const working = hours.days.includes(clock.weekday) && !holidays?.has(isoDate(clock.year, clock.month, clock.day));
		if (working && cursor < closesAt) {
			const from = Math.max(cursor, opensAt);
			if (from + remaining <= closesAt) return new Date(from + remaining);
			remaining -= closesAt - from;
		}
		const next = new Date(Date.UTC(clock.year, clock.month - 1, clock.day) + DAY);
		cursor = instantAt(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, hours.timeZone).getTime();
	}
	throw new Error('business hours never open within a year');
}

/** Working days for day counts (production windows): ISO weekdays worked and dates off, in the store's zone. */
export interface WorkingCalendar {
	timeZone: string;
	/** ISO weekdays worked: 1 = Monday ... 7 = Sunday. */
	days: number[];
	/** Days off, "YYYY-MM-DD" in the calendar's zone. */
	holidays?: string[];
}

function isoDate(year: number, month: number, day: number): string {
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Adds whole working days: walks the zone's calendar date by date, counts the working days that are not
 * holidays, and lands at the start's wall-clock time of day (so a DST change moves the instant, not the
 * clock). A start on a day off counts from the next working day.
 */
export function addBusinessDays(start: Date, days: number, calendar: WorkingCalendar): Date {
	if (!Number.isInteger(days) || days < 0) throw new Error(`${days} is not a whole, non-negative number of days`);
	if (!calendar.days.length) throw new Error('a working calendar needs at least one working day');
	if (days === 0) return new Date(start.getTime());
	const clock = wallClock(start, calendar.timeZone);
	const holidays = new Set(calendar.holidays ?? []);
	// The zone's calendar date held as a UTC midnight: plain date arithmetic, free of the zone's offsets.
	let date = Date.UTC(clock.year, clock.month - 1, clock.day);
	let remaining = days;
	let sinceWorkingDay = 0;
	while (remaining > 0) {
		date += DAY;
		const next = new Date(date);
		const weekday = next.getUTCDay() || 7;
		const day = isoDate(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
		if (calendar.days.includes(weekday) && !holidays.has(day)) {
			remaining--;
			sinceWorkingDay = 0;
		} else if (++sinceWorkingDay > 366) {
			throw new Error('the working calendar has no working day within a year');
		}
	}
	const end = new Date(date);
	const milliseconds = ((start.getTime() % 1000) + 1000) % 1000;
	const minutesOfDay = clock.hour * 60 + clock.minute;
	const at = instantAt(end.getUTCFullYear(), end.getUTCMonth() + 1, end.getUTCDate(), minutesOfDay, calendar.timeZone);
	return new Date(at.getTime() + clock.second * 1000 + milliseconds);
}

/**
 * Working time between two instants, in ms: only what falls inside business hours on a working day that is not a
 * holiday. Zero when `to` is not after `from`.
 */
export function businessMillisBetween(from: Date, to: Date, hours: BusinessHours): number {
	const open = parseClockTime(hours.start);
	const close = parseClockTime(hours.end);
	if (close <= open) throw new Error(`business hours end (${hours.end}) must be after their start (${hours.start})`);
	const holidays = new Set(hours.holidays ?? []);
	const end = to.getTime();
	let cursor = from.getTime();
	let total = 0;
	while (cursor < end) {
		const clock = wallClock(new Date(cursor), hours.timeZone);
		const opensAt = instantAt(clock.year, clock.month, clock.day, open, hours.timeZone).getTime();
		const closesAt = instantAt(clock.year, clock.month, clock.day, close, hours.timeZone).getTime();
		if (hours.days.includes(clock.weekday) && !holidays.has(isoDate(clock.year, clock.month, clock.day))) {
			total += Math.max(0, Math.min(end, closesAt) - Math.max(cursor, opensAt));
		}
		const next = new Date(Date.UTC(clock.year, clock.month - 1, clock.day) + DAY);
		cursor = instantAt(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, hours.timeZone).getTime();
	}
	return total;
}

/**
 * A due time moved on by the time spent waiting (a paused SLA clock): the seconds of earlier pauses and, while a
 * pause is under way, the time since it began, up to `now`. On a business-hours clock the current pause counts
 * only its working time (holidays skipped), earlier pauses count as the clock counted them, and the due time moves
 * on by that much working time.
 */
export function dueAfterPauses(due: Date, pausedSeconds: number | undefined, pausedSince: Date | undefined, now: Date, hours?: BusinessHours | null): Date {
	const earlier = Math.max(0, Number(pausedSeconds ?? 0) || 0) * 1000;
	const since = pausedSince?.getTime() ?? Number.NaN;
	if (hours) {
		const current = Number.isNaN(since) ? 0 : businessMillisBetween(new Date(since), now, hours);
		return earlier + current > 0 ? addBusinessMinutes(due, (earlier + current) / MINUTE, hours) : new Date(due.getTime());
	}
	const current = Number.isNaN(since) ? 0 : Math.max(0, now.getTime() - since);
	return new Date(due.getTime() + earlier + current);
}

/** Elapsed time in 24-hour days, fractional; negative when `to` is before `from`. */
export function daysBetween(from: Date, to: Date): number {
	return (to.getTime() - from.getTime()) / DAY;
}

/** Epoch milliseconds of an ISO time; null for none or for text that is not a time. */
export const epochOrNull = (value: unknown): number | null => {
	if (typeof value !== 'string' || !value) return null;
	const epoch = Date.parse(value);
	return Number.isNaN(epoch) ? null : epoch;
};


/**
 * Satisfaction metrics for one period against the one before it: NPS, CSAT and CES with their intervals,
 * first-response times, return / refund rate, lifetime value by cohort and the backlog, then KPI statuses,
 * alerts and reasons (DESIGN.md "Metrics"). Pure: no n8n, no I/O, no clock (periods are given).
 *
 * Streaming and memory-flat: answers, tickets and orders are added one at a time and only counts are kept
 * (per score value, per minute of response time), so a million answers cost what a thousand do. The one
 * exception is lifetime value, which needs each customer's first order: a few numbers per customer, and per
 * order only for the orders of the last few months (new customers' value at a fixed age), never per answer.
 *
 * What each KPI measures (seeds/000, read per ticket and per cohort): response time is the share of tickets
 * answered within the target; the return rate is over orders old enough for their return window to have
 * closed, the pack's own delay compensations left out; lifetime value growth compares new customers at the
 * same age, so a week of new buyers does not read as decline. From the ticket's lifecycle (seeds/001): resolution
 * time per solved ticket against the 48-hour commitment, less its time waiting on the customer; first-contact
 * resolution and the reopen rate over the tickets first solved in the period. Beside the KPIs, the returns CX Returns
 * Desk decided in each period: outcomes, resolutions (exchange first), fault, reasons and value, per currency.
 */
import { isCompensationRefundNote } from '../shared/contract/compensation';
import { isOpenStatus } from '../shared/contract/ticket';
import type { OrderSale } from '../shared/contract/order';
import { RETURN_REASONS, type Resolution, type ReturnReason } from '../shared/contract/returnRequest';
import { FUTURE_GRACE_MS, InputProblem, dateValue, decimalOf, isBlank } from '../shared/items';
import { SATISFACTION_POLICY } from '../shared/policy';
import { instantAt, wallClock } from '../shared/time';
import type { Alert, CohortValue, Dimension, Interval, Kpi, KpiStatus, MetricsReport, PeriodMetrics, ResolutionTimeMetric, ResponseTimeMetric, ReturnsMetric, ScoreMetric } from '../shared/contract/metricsReport';

type FullPolicy = typeof SATISFACTION_POLICY;
/** Targets that may be left out of a policy: their SATISFACTION_POLICY defaults apply. */
type OptionalTarget = 'firstResponseMetPercent' | 'resolutionHours' | 'resolutionMetPercent' | 'firstContactResolutionPercent' | 'reopenRatePercent';
/** SATISFACTION_POLICY's shape; the shares that count as met, the ticket-lifecycle targets and the cohort ages may be left out (their defaults apply). */
export type SatisfactionPolicy = Omit<FullPolicy, 'targets' | 'cohorts'> & {
	targets: Omit<FullPolicy['targets'], OptionalTarget> & Partial<Pick<FullPolicy['targets'], OptionalTarget>>;
	cohorts?: Partial<FullPolicy['cohorts']>;
};

/** The share of tickets within the first-response target that counts as met, percent. */
export const firstResponseMetPercentOf = (policy: SatisfactionPolicy) => policy.targets.firstResponseMetPercent ?? SATISFACTION_POLICY.targets.firstResponseMetPercent;
/** The resolution commitment for each solved ticket, hours (seeds/001: 48). */
export const resolutionHoursOf = (policy: SatisfactionPolicy) => policy.targets.resolutionHours ?? SATISFACTION_POLICY.targets.resolutionHours;
/** The share of solved tickets within the resolution commitment that counts as met, percent. */
export const resolutionMetPercentOf = (policy: SatisfactionPolicy) => policy.targets.resolutionMetPercent ?? SATISFACTION_POLICY.targets.resolutionMetPercent;
/** First-contact resolution is met above this percent. */
export const firstContactResolutionPercentOf = (policy: SatisfactionPolicy) => policy.targets.firstContactResolutionPercent ?? SATISFACTION_POLICY.targets.firstContactResolutionPercent;
/** The reopen rate is met below this percent. */
export const reopenRatePercentOf = (policy: SatisfactionPolicy) => policy.targets.reopenRatePercent ?? SATISFACTION_POLICY.targets.reopenRatePercent;
/** How old an order must be for its return window to have closed, days. */
export const returnAgeDaysOf = (policy: SatisfactionPolicy) => policy.cohorts?.returnAgeDays ?? SATISFACTION_POLICY.cohorts.returnAgeDays;
/** The age at which new customers' value is compared, days. */
export const valueAgeDaysOf = (policy: SatisfactionPolicy) => policy.cohorts?.valueAgeDays ?? SATISFACTION_POLICY.cohorts.valueAgeDays;
export type SurveyType = 'nps' | 'csat' | 'ces';
export const SURVEY_TYPES: readonly SurveyType[] = ['nps', 'csat', 'ces'];
export const DIMENSIONS: readonly Dimension[] = ['tier', 'channel', 'issue_type'];

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

// ---- periods ---------------------------------------------------------------------------------------------

/** [start, end) as epoch milliseconds. */
export interface Period {
	start: number;
	end: number;
}

export interface Periods {
	current: Period;
	previous: Period;
}

/** The last `days` full days, ending at the start of today in the store's time zone, and the `days` before them. */
export function presetPeriods(days: number, now: Date, timeZone: string): Periods {
	const today = wallClock(now, timeZone);
	// calendar days in the store's zone: a week across a DST change is 167 or 169 hours, as the store's clocks say
	const midnight = (daysBack: number) => {
		const date = new Date(Date.UTC(today.year, today.month - 1, today.day - daysBack));
		return instantAt(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), 0, timeZone).getTime();
	};
	return { current: { start: midnight(days), end: midnight(0) }, previous: { start: midnight(2 * days), end: midnight(days) } };
}

/** A chosen [start, end), and the previous period of the same length right before it. */
export function customPeriods(start: Date, end: Date): Periods | InputProblem {
	const from = start.getTime();
	const to = end.getTime();
	if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
		return new InputProblem('periodEnd', 'The period must end after it starts', 'Set "Period End" after "Period Start"; the end itself is not part of the period.');
	}
	return { current: { start: from, end: to }, previous: { start: from - (to - from), end: from } };
}

// ---- survey answers ----------------------------------------------------------------------------------------

export interface SurveyAnswer {
	type: SurveyType;
	/** null: the survey was sent and not rated; counted apart, never in a score. */
	score: number | null;
	/** Epoch milliseconds. */
	respondedAt: number;
	tier: string | null;
	channel: string | null;
	issueType: string | null;
}

/** The fields of a survey response, as an input item or a survey_responses row carries them. */
export const SURVEY_ITEM_FIELDS = 'type (nps, csat or ces), score, responded_at, and optionally tier, channel, issue_type';

const SCALE_NAMES: Record<SurveyType, string> = { nps: 'NPS', csat: 'CSAT', ces: 'CES' };


function shown(value: unknown): string {
	if (value === undefined) return 'missing';
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
	if (value === null || typeof value !== 'object') return String(value);
	return Array.isArray(value) ? 'a list' : 'an object';
}

/** A time as the pack reads every time (shared/items.ts dateValue: ISO 8601 of a real day, or a positive Unix time). */
function epochOf(value: unknown): number {
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'string') {
		// the form PostgREST and toISOString write, read without the general reader's regular expressions and three
		// Date objects: at a million rows that reader was most of the time; any other text takes the general path
		const epoch = canonicalEpoch(value);
		if (!Number.isNaN(epoch)) return epoch;
	}
	return dateValue(typeof value === 'string' ? value.trim() : value)?.getTime() ?? Number.NaN;
}

// character codes the quick reader compares: '0' 48, '-' 45, 'T' 84, ':' 58, '.' 46, 'Z' 90, '+' 43
const ZERO = 48;

/** The decimal number of text[at..at+length), or -1 when a character there is not a digit. */
function digitsAt(text: string, at: number, length: number): number {
	let value = 0;
	for (let i = at; i < at + length; i++) {
		const digit = text.charCodeAt(i) - ZERO;
		if (digit < 0 || digit > 9) return -1;
		value = value * 10 + digit;
	}
	return value;
}

const daysInMonth = (year: number, month: number) =>
	month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;

/**
 * Epoch milliseconds of "YYYY-MM-DDTHH:MM:SS[.fraction]" followed by "Z" or "+HH:MM"/"-HH:MM", a real day and time
 * (what dateValue accepts of that form, to the same millisecond: the fraction cut after three digits, as Date does);
 * NaN for any other text, which the general reader then decides on. Years before 100 are left to it too (Date.UTC
 * reads them as 19xx, and dateValue refuses them).
 */
function canonicalEpoch(text: string): number {
	const length = text.length;
	if (length < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Number.NaN;
	const year = digitsAt(text, 0, 4);
	const month = digitsAt(text, 5, 2);
	const day = digitsAt(text, 8, 2);
	const hour = digitsAt(text, 11, 2);
	const minute = digitsAt(text, 14, 2);
	const second = digitsAt(text, 17, 2);
	if (year < 100 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
	if (day > daysInMonth(year, month)) return Number.NaN;
	let at = 19;
	let ms = 0;
	if (text.charCodeAt(at) === 46) {
		at++;
		const from = at;
		for (; at < length; at++) {
			const digit = text.charCodeAt(at) - ZERO;
			if (digit < 0 || digit > 9) break;
			if (at - from < 3) ms += digit * (at === from ? 100 : at === from + 1 ? 10 : 1);
		}
		if (at === from || at - from > 9) return Number.NaN;
	}
	const zone = text.charCodeAt(at);
	let offsetMinutes = 0;
	if (zone === 90 && at + 1 === length) offsetMinutes = 0;
	else if ((zone === 43 || zone === 45) && at + 6 === length && text.charCodeAt(at + 3) === 58) {
		const hours = digitsAt(text, at + 1, 2);
		const minutes = digitsAt(text, at + 4, 2);
		if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return Number.NaN;
		offsetMinutes = (zone === 45 ? -1 : 1) * (hours * 60 + minutes);
	} else return Number.NaN;
	return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * MINUTE;
}

/** The longest segment name (a tier, a channel, an issue type) a response may carry. */
const DIMENSION_LIMIT = 100;

function dimensionValue(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const text = value.trim().toLowerCase();
	return text || null;
}

/** How a reader names the response in a problem: the text, or a function of the raw response called only for a problem. */
export type AnswerPlace = string | ((raw: Record<string, unknown>) => string);

/** One segment of a response (tier, channel or issue type): its name, null when absent, or the problem. */
function readDimension(raw: Record<string, unknown>, field: 'tier' | 'channel' | 'issue_type', where: AnswerPlace): string | null | InputProblem {
	const value = raw[field];
	if (value === undefined || value === null || value === '') return null;
	if (!(typeof value === 'string' && value.length <= DIMENSION_LIMIT) && !(typeof value === 'number' && Number.isFinite(value))) {
		return new InputProblem(field, `${placeOf(where, raw)}: field "${field}" is ${shown(value)}, not a ${field.replace('_', ' ')} name`, `Give "${field}" as text of up to ${DIMENSION_LIMIT} characters, such as vip, email or shipping, or leave it out.`);
	}
	return dimensionValue(value);
}

const placeOf = (where: AnswerPlace, raw: Record<string, unknown>) => (typeof where === 'string' ? where : where(raw));

/** The survey type of a raw `type`: the exact names at once, any other text trimmed and lowercased first. */
function surveyTypeOf(rawType: unknown): SurveyType | null {
	if (rawType === 'nps' || rawType === 'csat' || rawType === 'ces') return rawType;
	const type = typeof rawType === 'string' ? rawType.trim().toLowerCase() : '';
	return (SURVEY_TYPES as readonly string[]).includes(type) ? (type as SurveyType) : null;
}

/**
 * Reads one survey response; `where` names it in a problem ("Item 3", "survey_responses row <id>"), as text or as
 * a function of the row that is called only when there is a problem (a million rows need no million names). A score
 * that is not a whole number on its scale is a problem for the caller to raise or to turn into an error item:
 * it is never counted, and never silently dropped.
 */
export function readSurveyAnswer(raw: Record<string, unknown>, where: AnswerPlace, scales: SatisfactionPolicy['scales'], now?: number): SurveyAnswer | InputProblem {
	const rawType = raw.type;
	const surveyType = surveyTypeOf(rawType);
	if (surveyType === null) {
		return new InputProblem('type', `${placeOf(where, raw)}: field "type" is ${shown(rawType)}, not one of nps, csat, ces`, 'Give every survey response a "type" of nps, csat or ces.');
	}
	const scale = scales[surveyType];
	let score: number | null = null;
	const rawScore = raw.score;
	if (!isBlank(rawScore)) {
		const number = typeof rawScore === 'string' ? decimalOf(rawScore) : rawScore;
		if (typeof number !== 'number' || !Number.isFinite(number)) {
			const range = `${SCALE_NAMES[surveyType]} scale ${scale.min}-${scale.max}`;
			return new InputProblem('score', `${placeOf(where, raw)}: field "score" is ${shown(rawScore)}, not a number on the ${range}`, `Send ${SCALE_NAMES[surveyType]} scores as whole numbers from ${scale.min} to ${scale.max}; leave "score" empty for a survey sent but not rated (counted as unrated).`);
		}
		if (!Number.isInteger(number) || number < scale.min || number > scale.max) {
			const range = `${SCALE_NAMES[surveyType]} scale ${scale.min}-${scale.max}`;
			return new InputProblem('score', `${placeOf(where, raw)}: field "score" is ${number}, outside the ${range} (whole numbers)`, `Send ${SCALE_NAMES[surveyType]} scores as whole numbers from ${scale.min} to ${scale.max}; a score on another scale must be converted before it is counted.`);
		}
		score = number;
	}
	const respondedAt = epochOf(raw.responded_at);
	if (!Number.isFinite(respondedAt)) {
		return new InputProblem('responded_at', `${placeOf(where, raw)}: field "responded_at" is ${shown(raw.responded_at)}, not a date`, 'Give every survey response a "responded_at" time, such as 2026-11-02T14:30:00Z.');
	}
	if (now !== undefined && respondedAt > now + FUTURE_GRACE_MS) {
		return new InputProblem('responded_at', `${placeOf(where, raw)}: field "responded_at" is ${new Date(respondedAt).toISOString()}, after the run's time (${new Date(now).toISOString()})`, 'Give the time the customer answered; check the year and the time zone, or the node\'s Now option.');
	}
	// one field at a time, in this order, so the first bad one is the one reported
	const tier = readDimension(raw, 'tier', where);
	if (tier instanceof InputProblem) return tier;
	const channel = readDimension(raw, 'channel', where);
	if (channel instanceof InputProblem) return channel;
	const issueType = readDimension(raw, 'issue_type', where);
	if (issueType instanceof InputProblem) return issueType;
	return { type: surveyType, score, respondedAt, tier, channel, issueType };
}

// ---- statistics ------------------------------------------------------------------------------------------

/** Coefficients of AS 241, lowest power first: numerator and denominator for the centre, the shoulders and the tails. */
const AS241 = {
	centre: [
		[3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727],
		[1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852545925],
	],
	shoulder: [
		[1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4],
		[1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9],
	],
	tail: [
		[6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7],
		[1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15],
	],
};

const ratio = ([numerator, denominator]: number[][], x: number) => {
	const horner = (coefficients: number[]) => coefficients.reduceRight((sum, coefficient) => sum * x + coefficient, 0);
	return horner(numerator) / horner(denominator);
};

/**
 * The standard normal quantile: Wichura's algorithm AS 241 (PPND16, Applied Statistics 37:477-484, 1988),
 * accurate to about 1e-16.
 */
export function normalQuantile(p: number): number {
	const q = p - 0.5;
	if (Math.abs(q) <= 0.425) return q * ratio(AS241.centre, 0.180625 - q * q);
	const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
	const value = r <= 5 ? ratio(AS241.shoulder, r - 1.6) : ratio(AS241.tail, r - 5);
	return q < 0 ? -value : value;
}

/** The two-sided critical value: 1.959964 for 95%. */
export function criticalValue(confidence: number): number {
	return normalQuantile((1 + confidence) / 2);
}

/**
 * Wilson score interval for a proportion (Wilson 1927; Newcombe 1998, Statistics in Medicine 17:857-872,
 * method 3), as proportions 0-1. Stays inside [0, 1] and is sound for small samples and for 0% or 100%.
 */
export function wilsonInterval(positive: number, n: number, confidence: number): { low: number; high: number } {
	const z = criticalValue(confidence);
	const p = positive / n;
	const z2 = z * z;
	const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
	const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
	// at 0% and 100% the bound is exactly 0 or 1; floating point would leave 0.9999999999999999
	return { low: positive === 0 ? 0 : Math.max(0, centre - half), high: positive === n ? 1 : Math.min(1, centre + half) };
}

/** Pseudo-observations of the adjusted-Wald NPS interval: detractors, passives, promoters (3 in all). */
export const NPS_PSEUDO_OBSERVATIONS = { detractors: 0.75, passives: 1.5, promoters: 0.75 };

/**
 * Adjusted-Wald interval for the NPS, as -1..1 (Rocks 2016, "Interval Estimation for the 'Net Promoter
 * Score'", The American Statistician 70(4):365-372; his R package NPS, nps_test(test = "adjusted.wald");
 * MeasuringU, Sauro & Lewis 2021): add 3/4 to promoters, 3/4 to detractors and 3/2 to passives (3 to n), then
 * a Wald interval on the adjusted counts: NPS' = p' - d', var = p' + d' - NPS'^2, se = sqrt(var / n'),
 * NPS' ± z·se. Centred on the adjusted NPS, so it is not symmetric about the raw score; clipped to [-1, 1].
 */
export function adjustedWaldNpsInterval(promoters: number, passives: number, detractors: number, confidence: number): { low: number; high: number; adjustedNps: number; standardError: number } {
	const z = criticalValue(confidence);
	const pro = promoters + NPS_PSEUDO_OBSERVATIONS.promoters;
	const det = detractors + NPS_PSEUDO_OBSERVATIONS.detractors;
	const n = pro + det + passives + NPS_PSEUDO_OBSERVATIONS.passives;
	const p = pro / n;
	const d = det / n;
	const adjustedNps = p - d;
	const standardError = Math.sqrt((p + d - adjustedNps * adjustedNps) / n);
	return { low: Math.max(-1, adjustedNps - z * standardError), high: Math.min(1, adjustedNps + z * standardError), adjustedNps, standardError };
}

const round = (value: number, digits: number) => {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
};
const percent = (part: number, whole: number) => round((part / whole) * 100, 1);

// ---- tallies -------------------------------------------------------------------------------------------

/** Counts per score value and the unrated: O(1) memory whatever the number of answers. */
export class ScoreTally {
	readonly counts: Float64Array;

	unrated = 0;

	constructor(readonly min: number, readonly max: number) {
		this.counts = new Float64Array(max - min + 1);
	}

	add(score: number | null): void {
		if (score === null) this.unrated++;
		else this.counts[score - this.min]++;
	}

	/** Answers scored from..to inclusive. */
	between(from: number, to: number): number {
		let sum = 0;
		for (let score = Math.max(from, this.min); score <= Math.min(to, this.max); score++) sum += this.counts[score - this.min];
		return sum;
	}

	get rated(): number {
		return this.between(this.min, this.max);
	}
}

export function newScoreTally(type: SurveyType, scales: SatisfactionPolicy['scales']): ScoreTally {
	return new ScoreTally(scales[type].min, scales[type].max);
}

/** NPS from a tally (DESIGN.md: % promoters 9-10 - % detractors 0-6) with its adjusted-Wald interval. */
export function npsMetric(tally: ScoreTally, policy: SatisfactionPolicy): ScoreMetric {
	const scale = policy.scales.nps;
	const promoters = tally.between(scale.promoterFrom, scale.max);
	const detractors = tally.between(scale.min, scale.detractorUpTo);
	const n = tally.rated;
	const passives = n - promoters - detractors;
	const interval: Interval | null = n
		? (() => {
				const { low, high } = adjustedWaldNpsInterval(promoters, passives, detractors, policy.confidence);
				return { low: round(low * 100, 1), high: round(high * 100, 1), confidence: policy.confidence, method: 'adjusted_wald' as const };
			})()
		: null;
	return {
		value: n ? round(((promoters - detractors) / n) * 100, 1) : null,
		interval,
		sampleSize: n,
		counts: { promoters, passives, detractors },
		lowSample: n < policy.lowSampleBelow,
		unrated: tally.unrated,
	};
}

/** CSAT (% 4-5 of 1-5) or CES (% 5-7 of 7) from a tally, with its Wilson interval. */
export function proportionMetric(type: 'csat' | 'ces', tally: ScoreTally, policy: SatisfactionPolicy): ScoreMetric {
	const from = type === 'csat' ? policy.scales.csat.satisfiedFrom : policy.scales.ces.agreeFrom;
	const positive = tally.between(from, tally.max);
	const n = tally.rated;
	const interval: Interval | null = n
		? (() => {
				const { low, high } = wilsonInterval(positive, n, policy.confidence);
				return { low: round(low * 100, 1), high: round(high * 100, 1), confidence: policy.confidence, method: 'wilson' as const };
			})()
		: null;
	return {
		value: n ? percent(positive, n) : null,
		interval,
		sampleSize: n,
		counts: { positive, other: n - positive },
		lowSample: n < policy.lowSampleBelow,
		unrated: tally.unrated,
	};
}

/**
 * Response times in a fixed histogram of whole minutes, 0 to 30 days, plus one overflow bucket: 173 KB
 * whatever the number of tickets. Percentiles are exact to the minute (elapsed time rounded down to the
 * minute); the share within the target is counted exactly, to the millisecond, as tickets are added.
 */
export const RESPONSE_HISTOGRAM_MINUTES = 30 * 24 * 60;

export class ResponseTimeHistogram {
	private readonly minutes = new Uint32Array(RESPONSE_HISTOGRAM_MINUTES + 1);

	count = 0;

	withinTarget = 0;

	/** Tickets still open with no response whose target passed: each a miss in the share, absent from the percentiles. */
	unanswered = 0;

	constructor(readonly targetMs: number) {}

	addUnanswered(): void {
		this.unanswered++;
	}

	add(elapsedMs: number): void {
		this.minutes[Math.min(Math.floor(elapsedMs / MINUTE), RESPONSE_HISTOGRAM_MINUTES)]++;
		this.count++;
		if (elapsedMs <= this.targetMs) this.withinTarget++;
	}

	/** The k-th smallest time (0-based), in whole minutes; RESPONSE_HISTOGRAM_MINUTES when it is in the overflow. */
	nth(k: number): number {
		let seen = 0;
		for (let minute = 0; minute < RESPONSE_HISTOGRAM_MINUTES; minute++) {
			seen += this.minutes[minute];
			if (seen > k) return minute;
		}
		return RESPONSE_HISTOGRAM_MINUTES;
	}

	/**
	 * The p-th percentile in minutes, interpolated between order statistics as spreadsheets' PERCENTILE.INC
	 * and MEDIAN do (Hyndman & Fan 1996, definition 7): h = (n - 1)p, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
	 * One that reaches the overflow bucket is a lower bound (the overflow counts as 30 days), flagged overCap.
	 */
	percentile(p: number): { minutes: number; overCap: boolean } | null {
		if (!this.count) return null;
		const h = (this.count - 1) * p;
		const below = Math.floor(h);
		const low = this.nth(below);
		const high = h > below ? this.nth(below + 1) : low;
		return { minutes: low + (h - below) * (high - low), overCap: high >= RESPONSE_HISTOGRAM_MINUTES };
	}

	metric(): ResponseTimeMetric & { overCap: boolean } {
		const median = this.percentile(0.5);
		const p90 = this.percentile(0.9);
		const medianHours = median ? round(median.minutes / 60, 2) : null;
		return {
			responded: this.count,
			medianHours,
			p90Hours: p90 ? round(p90.minutes / 60, 2) : null,
			withinTargetPercent: this.count + this.unanswered ? percent(this.withinTarget, this.count + this.unanswered) : null,
			p50Hours: medianHours,
			withinTarget: this.withinTarget,
			unansweredPastTarget: this.unanswered,
			targetHours: round(this.targetMs / HOUR, 2),
			overCap: Boolean(median?.overCap || p90?.overCap),
		};
	}
}

/** A ticket as the metrics need it: epoch milliseconds, null when unknown. */
export interface TicketFacts {
	createdAt: number | null;
	firstRespondedAt: number | null;
	/** The latest solve (a reopened ticket may keep it until solved again). */
	resolvedAt: number | null;
	status: string | null;
	/** The first solve; absent or null: taken to be resolvedAt (a row not followed through its helpdesk events). */
	firstResolvedAt?: number | null;
	/** Seconds waiting on the customer (pending, on hold), left out of the resolution time. */
	pausedSeconds?: number | null;
	/** Times the ticket was opened again after a solve. */
	reopenCount?: number | null;
	/** Public agent replies before the first solve; null when not known. */
	repliesToResolution?: number | null;
}

const isSolvedStatus = (status: string | null) => status === 'solved' || status === 'closed';

/** When the ticket was first solved: first_resolved_at, else (a row without it) the resolution time. */
export const firstSolvedAt = (ticket: TicketFacts): number | null => ticket.firstResolvedAt ?? ticket.resolvedAt;

/**
 * Resolved at first contact: solved with exactly one public agent reply before the solve and never opened
 * again. A ticket solved with no reply (0) or after two is not; null when its replies are not known.
 */
export function isFirstContactResolution(ticket: TicketFacts): boolean | null {
	const replies = ticket.repliesToResolution;
	if (replies === undefined || replies === null) return null;
	return replies === 1 && !(ticket.reopenCount ?? 0);
}

/**
 * A solved ticket's resolution time, ms: creation to its latest solve, less the time it waited on the customer
 * (pending, on hold); null when it is not solved now or its times are unknown or do not add up.
 */
export function resolutionTimeOf(ticket: TicketFacts): number | null {
	if (!isSolvedStatus(ticket.status) || ticket.resolvedAt === null || ticket.createdAt === null) return null;
	const elapsed = ticket.resolvedAt - ticket.createdAt - Math.max(0, ticket.pausedSeconds ?? 0) * 1000;
	return elapsed >= 0 ? elapsed : null;
}

/**
 * Open at `at`: created before it and not resolved before it. Resolved means solved or closed with a
 * resolution time before `at`, or solved or closed with no time at all (when is unknown, so never counted
 * open); a ticket open, pending or on hold now whose resolved_at is set was reopened, and counts as open.
 */
export function isOpenAt(ticket: TicketFacts, at: number): boolean {
	if (ticket.createdAt === null || ticket.createdAt >= at) return false;
	const closed = ticket.status === 'solved' || ticket.status === 'closed';
	if (!closed) return isOpenStatus(ticket.status);
	return ticket.resolvedAt !== null && ticket.resolvedAt >= at;
}


/** An order kept for new customers' value at a fixed age: when, what was paid, and when each refund came. */
interface RecentOrder {
	at: number;
	cents: number;
	refunds: Array<{ at: number; cents: number }>;
}

/**
 * Lifetime value per customer at a few instants (checkpoints): for each customer the first order and what
 * they paid, net of refunds made by each checkpoint. Growable typed columns keyed by the customer: about
 * 50 bytes a customer. The orders of customers whose first order so far is from `recentFrom` on are also
 * kept, a few numbers each, for the value of new customers at a fixed age (which orders fall within that age
 * depends on a first order that may stream in last); an earlier order drops them.
 */
export class LifetimeValueTally {
	private readonly index = new Map<string | number, number>();

	private firstOrder = new Float64Array(1024);

	private spent: Float64Array[];

	private readonly recent = new Map<number, RecentOrder[]>();

	currency: string | null = null;

	private readonly lastCheckpoint: number;

	constructor(
		readonly checkpoints: number[],
		readonly recentFrom = Number.POSITIVE_INFINITY,
	) {
		this.spent = checkpoints.map(() => new Float64Array(1024));
		this.lastCheckpoint = checkpoints.reduce((last, checkpoint) => Math.max(last, checkpoint), Number.NEGATIVE_INFINITY);
	}

	get customers(): number {
		return this.index.size;
	}

	add(order: OrderSale): void {
		if (order.customerKey === null || order.cancelled || order.test) return;
		if (order.processedAt >= this.lastCheckpoint) return;
		let slot = this.index.get(order.customerKey);
		if (slot === undefined) {
			slot = this.index.size;
			if (slot === this.firstOrder.length) this.grow();
			this.index.set(order.customerKey, slot);
			this.firstOrder[slot] = order.processedAt;
		} else if (order.processedAt < this.firstOrder[slot]) {
			this.firstOrder[slot] = order.processedAt;
		}
		this.currency ??= order.currency;
		// a customer who bought before the cohorts is no new customer of theirs: nothing of theirs is kept
		if (this.firstOrder[slot] < this.recentFrom) this.recent.delete(slot);
		else {
			const kept: RecentOrder = { at: order.processedAt, cents: order.totalCents, refunds: order.refunds.map((refund) => ({ at: refund.at ?? order.processedAt, cents: refund.cents })) };
			const list = this.recent.get(slot);
			if (list) list.push(kept);
			else this.recent.set(slot, [kept]);
		}
		for (let k = 0; k < this.checkpoints.length; k++) {
			const at = this.checkpoints[k];
			if (order.processedAt >= at) continue;
			let net = order.totalCents;
			for (const refund of order.refunds) if ((refund.at ?? order.processedAt) < at) net -= refund.cents;
			this.spent[k][slot] += net;
		}
	}

	private grow(): void {
		const bigger = (column: Float64Array) => {
			const next = new Float64Array(column.length * 2);
			next.set(column);
			return next;
		};
		this.firstOrder = bigger(this.firstOrder);
		this.spent = this.spent.map(bigger);
	}

	/**
	 * New customers' value at a fixed age: customers whose first order was in [from, to), each with what they
	 * paid within `ageMs` of that first order, net of refunds made within it. `from` must not be before recentFrom.
	 */
	cohortValue(from: number, to: number, ageMs: number): { customers: number; totalCents: number } {
		let customers = 0;
		let totalCents = 0;
		for (let slot = 0; slot < this.index.size; slot++) {
			const first = this.firstOrder[slot];
			if (first < from || first >= to) continue;
			customers++;
			const until = first + ageMs;
			for (const order of this.recent.get(slot) ?? []) {
				if (order.at >= until) continue;
				totalCents += order.cents;
				for (const refund of order.refunds) if (refund.at < until) totalCents -= refund.cents;
			}
		}
		return { customers, totalCents };
	}

	/** Per checkpoint: customers with a first order before it, their value per customer, and by cohort ("YYYY-MM" of the first order). */
	atCheckpoint(k: number, cohortOf: (epoch: number) => string): { customers: number; totalCents: number; byCohort: Map<string, { customers: number; totalCents: number }> } {
		const at = this.checkpoints[k];
		const byCohort = new Map<string, { customers: number; totalCents: number }>();
		let customers = 0;
		let totalCents = 0;
		for (let slot = 0; slot < this.index.size; slot++) {
			if (this.firstOrder[slot] >= at) continue;
			customers++;
			totalCents += this.spent[k][slot];
			const cohort = cohortOf(this.firstOrder[slot]);
			const entry = byCohort.get(cohort);
			if (entry) {
				entry.customers++;
				entry.totalCents += this.spent[k][slot];
			} else {
				byCohort.set(cohort, { customers: 1, totalCents: this.spent[k][slot] });
			}
		}
		return { customers, totalCents, byCohort };
	}
}

// ---- returns decided ---------------------------------------------------------------------------------------

/** A return CX Returns Desk decided (a return_decisions row of the decide step), as the metrics count it. */
export interface DecidedReturn {
	/** When the desk decided it (the run's Now it wrote), epoch ms; null when unknown. */
	decidedAt: number | null;
	outcome: 'approve' | 'decline' | 'review' | null;
	resolution: Resolution | null;
	fault: 'store' | 'customer' | null;
	/** Its lines' reasons as stored; a reason given on two lines counts once for the return. */
	reasons: string[];
	/** ISO 4217, upper case; null when missing or not a currency. */
	currency: string | null;
	returnedCents: number;
}

const KNOWN_RETURN_REASONS: ReadonlySet<string> = new Set(RETURN_REASONS);
/** ISO 4217's code for "no currency": where a value without a known currency is kept apart, never added to another. */
const NO_CURRENCY = 'XXX';

/**
 * Returns decided in one period: counts per outcome, resolution, fault and reason, and value per currency. A few
 * dozen numbers whatever the number of returns (ten reasons, the currencies the store sells in).
 */
export class ReturnTally {
	decided = 0;

	readonly outcomes = { approved: 0, declined: 0, review: 0 };

	readonly resolutions: Record<Resolution, number> = { exchange: 0, store_credit: 0, refund: 0 };

	readonly fault = { store: 0, customer: 0 };

	private readonly reasons = new Map<ReturnReason, number>();

	private readonly value = new Map<string, { cents: number; returns: number }>();

	add(decided: DecidedReturn): void {
		this.decided++;
		if (decided.outcome === 'approve') {
			this.outcomes.approved++;
			// what was granted: a review's proposal is a person's to confirm, a decline has none
			if (decided.resolution) this.resolutions[decided.resolution]++;
		} else if (decided.outcome === 'decline') this.outcomes.declined++;
		else if (decided.outcome === 'review') this.outcomes.review++;
		if (decided.fault) this.fault[decided.fault]++;
		// a reason Shopify may add later is not a name of its own here: counted as UNKNOWN, so the map stays ten long
		const reasons = new Set<ReturnReason>(decided.reasons.map((reason) => (KNOWN_RETURN_REASONS.has(reason) ? (reason as ReturnReason) : 'UNKNOWN')));
		for (const reason of reasons) this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
		const currency = decided.currency ?? NO_CURRENCY;
		const value = this.value.get(currency) ?? { cents: 0, returns: 0 };
		value.cents += decided.returnedCents;
		value.returns++;
		this.value.set(currency, value);
	}

	metric(definition: string): ReturnsMetric {
		const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
		return {
			decided: this.decided,
			outcomes: { ...this.outcomes },
			resolutions: { ...this.resolutions },
			exchangeSharePercent: this.outcomes.approved ? percent(this.resolutions.exchange, this.outcomes.approved) : null,
			fault: { ...this.fault },
			topReasons: [...this.reasons.entries()].sort(([a, countA], [b, countB]) => countB - countA || byName(a, b)).map(([reason, count]) => ({ reason, count })),
			returnedValue: [...this.value.entries()].sort(([a], [b]) => byName(a, b)).map(([currency, { cents, returns }]) => ({ currency, cents, returns })),
			definition,
		};
	}
}

// ---- the accumulator ---------------------------------------------------------------------------------------

type PeriodKey = 'current' | 'previous';
type TypeTallies = Record<SurveyType, ScoreTally>;

/** Distinct values per breakdown dimension; more are counted under "other" (a free-text field would grow without end). */
export const MAX_BREAKDOWN_VALUES = 50;
const OTHER = 'other';
const UNKNOWN = 'unknown';

class PeriodTallies {
	readonly scores: TypeTallies;

	readonly breakdowns: Record<Dimension, Map<string, TypeTallies>> = { tier: new Map(), channel: new Map(), issue_type: new Map() };

	readonly responseTimes: ResponseTimeHistogram;

	readonly resolutionTimes: ResponseTimeHistogram;

	/** Time waiting on the customer left out of the resolution times, ms. */
	waitingExcludedMs = 0;

	/** Tickets first solved in the period, those of them reopened since, and those resolved at first contact. */
	solved = 0;

	reopened = 0;

	firstContact = 0;

	/** Tickets first solved in the period whose agent replies are not known (left out of first-contact resolution). */
	repliesUnknown = 0;

	orders = 0;

	returnedOrRefunded = 0;

	/** Orders of the cohort with one of the pack's own compensations (left out of the rate unless returned or refunded too). */
	compensated = 0;

	/** Returns CX Returns Desk decided in the period. */
	readonly returns = new ReturnTally();

	constructor(
		private readonly policy: SatisfactionPolicy,
		readonly capped: Set<Dimension>,
	) {
		this.scores = this.tallies();
		this.responseTimes = new ResponseTimeHistogram(policy.targets.firstResponseHours * HOUR);
		this.resolutionTimes = new ResponseTimeHistogram(resolutionHoursOf(policy) * HOUR);
	}

	tallies(): TypeTallies {
		return { nps: newScoreTally('nps', this.policy.scales), csat: newScoreTally('csat', this.policy.scales), ces: newScoreTally('ces', this.policy.scales) };
	}

	add(answer: SurveyAnswer): void {
		this.scores[answer.type].add(answer.score);
		this.addTo('tier', answer.tier, answer);
		this.addTo('channel', answer.channel, answer);
		this.addTo('issue_type', answer.issueType, answer);
	}

	private addTo(dimension: Dimension, value: string | null, answer: SurveyAnswer): void {
		const values = this.breakdowns[dimension];
		let key = value ?? UNKNOWN;
		let tallies = values.get(key);
		if (!tallies) {
			if (values.size >= MAX_BREAKDOWN_VALUES - 1 && key !== OTHER) {
				this.capped.add(dimension);
				key = OTHER;
				tallies = values.get(key);
			}
			if (!tallies) {
				tallies = this.tallies();
				values.set(key, tallies);
			}
		}
		tallies[answer.type].add(answer.score);
	}
}

export interface MetricsSettings {
	periods: Periods;
	/** The report's now (epoch ms): an unanswered ticket counts as a miss only once its target has passed. */
	now?: number;
	policy: SatisfactionPolicy;
	/** The store's time zone: period labels and lifetime-value cohorts. */
	timeZone: string;
}

/**
 * One of the pack's own compensations paid as a Shopify refund (a compensation_ledger row): goodwill for a
 * late parcel, not a sale undone. orderId as Shopify gives it (GID or number); refundId when the payout is known.
 */
export interface PackCompensation {
	orderId: string | null;
	refundId: string | null;
	cents: number | null;
}

/** The number at the end of a Shopify id, so a GID and its number match: "gid://shopify/Order/5011" and "5011". */
const idNumber = (id: unknown) => (typeof id === 'string' || typeof id === 'number' ? /(\d+)\s*$/.exec(String(id))?.[1] ?? null : null);

/** What was read, so that "no data" and "not asked for" can be told apart. */
export interface MetricsSources {
	responses: 'supabase' | 'items';
	tickets: boolean;
	orders: 'shopify' | 'items' | 'none';
	/** Whether return_decisions was read (only when the run reads Supabase); false: the returns are zero and the reasons say so. */
	returns?: boolean;
}

export class SatisfactionMetrics {
	private readonly tallies: Record<PeriodKey, PeriodTallies>;

	private readonly capped = new Set<Dimension>();

	private readonly backlogAt: Record<PeriodKey, number> = { current: 0, previous: 0 };

	private readonly lifetimeValue: LifetimeValueTally;

	/** Each period's return-rate cohort: the period moved back by the return age. */
	readonly returnCohorts: Periods;

	/** Each period's new-customer cohort (first orders), the period moved back by the value age; `earlier` for the previous growth. */
	readonly valueCohorts: Periods & { earlier: Period };

	private readonly compensationRefunds = new Set<string>();

	private readonly compensationsByOrder = new Map<string, Array<{ refundId: string | null; cents: number | null }>>();

	/** Answers outside both periods (input items may carry any). */
	outsidePeriods = 0;

	/** Tickets responded in a period but with no creation time, or a response before their creation. */
	ticketsWithoutTimes = 0;

	/** Inputs that could not be counted (Continue On Fail). */
	rejected = 0;

	constructor(readonly settings: MetricsSettings) {
		this.tallies = { current: new PeriodTallies(settings.policy, this.capped), previous: new PeriodTallies(settings.policy, this.capped) };
		const { current, previous } = settings.periods;
		const back = (period: Period, ms: number): Period => ({ start: period.start - ms, end: period.end - ms });
		const returnAge = returnAgeDaysOf(settings.policy) * DAY;
		this.returnCohorts = { current: back(current, returnAge), previous: back(previous, returnAge) };
		const valueAge = valueAgeDaysOf(settings.policy) * DAY;
		const earlier = back(previous, current.end - current.start);
		this.valueCohorts = { current: back(current, valueAge), previous: back(previous, valueAge), earlier: back(earlier, valueAge) };
		// the previous period's start too: the growth of the previous period needs the value before it
		this.lifetimeValue = new LifetimeValueTally([previous.start, previous.end, current.end], this.valueCohorts.earlier.start);
	}

	/** The pack's own compensations, before the orders: their refunds are goodwill, not returns. */
	addCompensation(compensation: PackCompensation): void {
		if (compensation.refundId) this.compensationRefunds.add(compensation.refundId);
		const order = idNumber(compensation.orderId);
		if (!order) return;
		const list = this.compensationsByOrder.get(order) ?? [];
		list.push({ refundId: compensation.refundId, cents: compensation.cents });
		this.compensationsByOrder.set(order, list);
	}

	/**
	 * A refund that is the pack's own compensation: marked so, with the note CX Delay Compensation writes, the
	 * refund a compensation_ledger row paid, or (without a refund id to match) the ledger's amount on that order.
	 */
	isCompensation(order: OrderSale, refund: OrderSale['refunds'][number]): boolean {
		if (refund.compensation === true || isCompensationRefundNote(refund.note)) return true;
		if (refund.id && this.compensationRefunds.has(refund.id)) return true;
		const ledger = this.compensationsByOrder.get(idNumber(order.orderId) ?? '');
		if (!ledger) return false;
		return ledger.some((entry) => (entry.refundId && refund.id ? entry.refundId === refund.id : entry.cents !== null && entry.cents === refund.cents));
	}

	/** Each ticket's first-response target, in milliseconds (the same in both periods). */
	get firstResponseTargetMs(): number {
		return this.tallies.current.responseTimes.targetMs;
	}

	private periodOf(at: number): PeriodKey | null {
		const { current, previous } = this.settings.periods;
		if (at >= current.start && at < current.end) return 'current';
		if (at >= previous.start && at < previous.end) return 'previous';
		return null;
	}

	/** Counts one answer in its period; answers outside both periods are only counted as such. */
	addAnswer(answer: SurveyAnswer): void {
		const period = this.periodOf(answer.respondedAt);
		if (period) this.tallies[period].add(answer);
		else this.outsidePeriods++;
	}

	/**
	 * A ticket first responded in a period adds its first-response time to that period. A ticket still open that
	 * nobody has answered counts as a miss in the period its target fell due in, once that time has passed: a
	 * customer left waiting is not left out of the share. One solved or closed without a reply (spam, a merge, a
	 * duplicate) has no first response to judge.
	 */
	addResponseTime(ticket: TicketFacts): void {
		if (ticket.firstRespondedAt === null) {
			if (ticket.createdAt === null || !isOpenStatus(ticket.status)) return;
			const due = ticket.createdAt + this.firstResponseTargetMs;
			const period = due <= (this.settings.now ?? Number.POSITIVE_INFINITY) ? this.periodOf(due) : null;
			if (period) this.tallies[period].responseTimes.addUnanswered();
			return;
		}
		const period = this.periodOf(ticket.firstRespondedAt);
		if (!period) return;
		const elapsed = ticket.createdAt === null ? Number.NaN : ticket.firstRespondedAt - ticket.createdAt;
		if (!(elapsed >= 0)) {
			this.ticketsWithoutTimes++;
			return;
		}
		this.tallies[period].responseTimes.add(elapsed);
	}

	/**
	 * A ticket solved in a period (its latest solve, still solved or closed) adds its resolution time, less the
	 * time it waited on the customer, to that period.
	 */
	addResolution(ticket: TicketFacts): void {
		if (!isSolvedStatus(ticket.status) || ticket.resolvedAt === null) return;
		const period = this.periodOf(ticket.resolvedAt);
		if (!period) return;
		const elapsed = resolutionTimeOf(ticket);
		if (elapsed === null) {
			this.ticketsWithoutTimes++;
			return;
		}
		const tallies = this.tallies[period];
		tallies.resolutionTimes.add(elapsed);
		tallies.waitingExcludedMs += Math.max(0, ticket.pausedSeconds ?? 0) * 1000;
	}

	/**
	 * A ticket first solved in a period counts in that period's first-contact resolution and reopen rates,
	 * whatever its status now: one reopened since counts as reopened, never as resolved at first contact.
	 */
	addSolved(ticket: TicketFacts): void {
		const at = firstSolvedAt(ticket);
		if (at === null) return;
		const period = this.periodOf(at);
		if (!period) return;
		const tallies = this.tallies[period];
		tallies.solved++;
		if ((ticket.reopenCount ?? 0) > 0) tallies.reopened++;
		const firstContact = isFirstContactResolution(ticket);
		if (firstContact === null) tallies.repliesUnknown++;
		else if (firstContact) tallies.firstContact++;
	}

	/** One ticket given whole (an input item): its first response, backlog, resolution and solve, each where it falls. */
	addTicket(ticket: TicketFacts): void {
		this.addResponseTime(ticket);
		this.addBacklog(ticket);
		this.addResolution(ticket);
		this.addSolved(ticket);
	}

	/** A ticket counts in the backlog of each period it was open at the end of. */
	addBacklog(ticket: TicketFacts): void {
		if (isOpenAt(ticket, this.settings.periods.current.end)) this.backlogAt.current++;
		if (isOpenAt(ticket, this.settings.periods.previous.end)) this.backlogAt.previous++;
	}

	/**
	 * An order counts in every customer's lifetime value, and in the return rate of the period whose cohort it
	 * belongs to: placed the return age before the period, so its return window has closed. It counts as
	 * returned or refunded when a return is under way or done, or a refund other than the pack's own
	 * compensations was made by the period's end.
	 */
	addOrder(order: OrderSale): void {
		this.lifetimeValue.add(order);
		if (order.cancelled || order.test) return;
		const { current, previous } = this.returnCohorts;
		const period: PeriodKey | null = order.processedAt >= current.start && order.processedAt < current.end ? 'current' : order.processedAt >= previous.start && order.processedAt < previous.end ? 'previous' : null;
		if (!period) return;
		const end = this.settings.periods[period].end;
		let undone = order.returned;
		let compensated = false;
		for (const refund of order.refunds) {
			if ((refund.at ?? order.processedAt) >= end) continue;
			if (this.isCompensation(order, refund)) compensated = true;
			else undone = true;
		}
		const tallies = this.tallies[period];
		tallies.orders++;
		if (undone) tallies.returnedOrRefunded++;
		if (compensated) tallies.compensated++;
	}

	/** A return decided in a period counts in that period's returns; one decided outside both is not counted. */
	addReturn(decided: DecidedReturn): void {
		const period = decided.decidedAt === null ? null : this.periodOf(decided.decidedAt);
		if (period) this.tallies[period].returns.add(decided);
	}

	reject(count = 1): void {
		this.rejected += count;
	}

	report(sources: MetricsSources): MetricsReport {
		return buildReport(this, sources);
	}

	/** @internal for buildReport */
	parts() {
		return { tallies: this.tallies, capped: this.capped, backlogAt: this.backlogAt, lifetimeValue: this.lifetimeValue, returnCohorts: this.returnCohorts, valueCohorts: this.valueCohorts };
	}
}

// ---- the report ----------------------------------------------------------------------------------------

/** First-contact resolution, in words (the report carries it). */
export const FIRST_CONTACT_DEFINITION =
	'tickets first solved in the period with exactly one agent reply before the solve and never reopened, over the tickets first solved in the period whose replies are known';
/** The reopen rate, in words. */
export const REOPEN_DEFINITION = 'tickets first solved in the period that were opened again, over the tickets first solved in the period';

function cohortLabeller(timeZone: string): (epoch: number) => string {
	// Intl is the slow part; a first order's month is the same all hour long, whatever the zone's offset
	const byHour = new Map<number, string>();
	return (epoch) => {
		const hour = Math.floor(epoch / HOUR);
		let label = byHour.get(hour);
		if (label === undefined) {
			const clock = wallClock(new Date(epoch), timeZone);
			label = `${String(clock.year).padStart(4, '0')}-${String(clock.month).padStart(2, '0')}`;
			byHour.set(hour, label);
		}
		return label;
	};
}

function dateLabel(epoch: number, timeZone: string): string {
	const clock = wallClock(new Date(epoch), timeZone);
	return `${String(clock.year).padStart(4, '0')}-${String(clock.month).padStart(2, '0')}-${String(clock.day).padStart(2, '0')}`;
}

/** 4, 2.5: a number as a person writes it, no trailing zeros. */
const decimalText = (value: number) => String(round(value, 2));

const growthPercent = (value: number | null, base: number | null) => (value === null || base === null || base <= 0 ? null : round(((value - base) / base) * 100, 1));

function buildReport(metrics: SatisfactionMetrics, sources: MetricsSources): MetricsReport {
	const { policy, periods, timeZone } = metrics.settings;
	const { tallies, capped, backlogAt, lifetimeValue, returnCohorts, valueCohorts } = metrics.parts();
	const cohortOf = cohortLabeller(timeZone);
	const metPercent = firstResponseMetPercentOf(policy);
	const returnAgeDays = returnAgeDaysOf(policy);
	const valueAgeDays = valueAgeDaysOf(policy);
	const dayRange = (period: Period) => `${dateLabel(period.start, timeZone)} to ${dateLabel(period.end - 1, timeZone)}`;
	const cohortValueOf = (period: Period, against?: Period): CohortValue => {
		const { customers, totalCents } = lifetimeValue.cohortValue(period.start, period.end, valueAgeDays * DAY);
		return {
			ageDays: valueAgeDays,
			firstOrdersFrom: new Date(period.start).toISOString(),
			firstOrdersTo: new Date(period.end).toISOString(),
			customers,
			perCustomer: customers ? Math.round(totalCents / customers) : null,
			definition: `net spend per new customer within ${valueAgeDays} days of their first order, customers who first bought ${dayRange(period)}${against ? ` against those who first bought ${dayRange(against)}` : ''}`,
		};
	};
	const cohortValues = {
		current: cohortValueOf(valueCohorts.current, valueCohorts.previous),
		previous: cohortValueOf(valueCohorts.previous, valueCohorts.earlier),
		earlier: cohortValueOf(valueCohorts.earlier),
	};
	const ltv = [0, 1, 2].map((k) => {
		const at = lifetimeValue.atCheckpoint(k, cohortOf);
		return {
			customers: at.customers,
			perCustomer: at.customers ? Math.round(at.totalCents / at.customers) : null,
			byCohort: [...at.byCohort.entries()]
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([cohort, entry]) => ({ cohort, customers: entry.customers, perCustomer: Math.round(entry.totalCents / entry.customers) })),
		};
	});
	const ordersRead = sources.orders !== 'none';
	const resolutionHours = resolutionHoursOf(policy);
	const resolutionMetPercent = resolutionMetPercentOf(policy);
	const resolutionText = decimalText(resolutionHours);
	const resolutionOf = (period: PeriodTallies): { metric: ResolutionTimeMetric; overCap: boolean } => {
		const { overCap, responded, medianHours, p90Hours, withinTargetPercent, withinTarget } = period.resolutionTimes.metric();
		const read = sources.tickets;
		return {
			metric: {
				resolved: read ? responded : 0,
				p50Hours: read ? medianHours : null,
				p90Hours: read ? p90Hours : null,
				withinTargetPercent: read ? withinTargetPercent : null,
				withinTarget: read ? withinTarget ?? 0 : 0,
				targetHours: resolutionHours,
				metPercent: resolutionMetPercent,
				waitingHoursExcluded: read ? round(period.waitingExcludedMs / HOUR, 2) : 0,
				definition: `each ticket solved in the period (its latest solve), from creation to solve less the time it waited on the customer (pending, on hold), against ${resolutionText} h; met when at least ${decimalText(resolutionMetPercent)}% of tickets are resolved in time`,
			},
			overCap: read && overCap,
		};
	};
	const rateOf = (count: number, solved: number) => (sources.tickets && solved ? percent(count, solved) : null);
	const periodMetrics = (key: PeriodKey, checkpoint: number): { metrics: PeriodMetrics; firstResponseOverCap: boolean; resolutionOverCap: boolean } => {
		const period = tallies[key];
		const { overCap, ...firstResponse } = period.responseTimes.metric();
		const resolution = resolutionOf(period);
		const fcrSolved = period.solved - period.repliesUnknown;
		const breakdowns = {} as PeriodMetrics['breakdowns'];
		for (const dimension of DIMENSIONS) {
			breakdowns[dimension] = {};
			for (const [value, byType] of [...period.breakdowns[dimension].entries()].sort(([a], [b]) => a.localeCompare(b))) {
				breakdowns[dimension][value] = { nps: npsMetric(byType.nps, policy), csat: proportionMetric('csat', byType.csat, policy), ces: proportionMetric('ces', byType.ces, policy) };
			}
		}
		const metrics: PeriodMetrics = {
			start: new Date(periods[key].start).toISOString(),
			end: new Date(periods[key].end).toISOString(),
			nps: npsMetric(period.scores.nps, policy),
			csat: proportionMetric('csat', period.scores.csat, policy),
			ces: proportionMetric('ces', period.scores.ces, policy),
			firstResponse: {
				...(sources.tickets ? firstResponse : { responded: 0, medianHours: null, p90Hours: null, withinTargetPercent: null, p50Hours: null, withinTarget: 0 }),
				targetHours: policy.targets.firstResponseHours,
				metPercent,
			},
			orders: {
				count: period.orders,
				returnedOrRefunded: period.returnedOrRefunded,
				ratePercent: ordersRead && period.orders ? percent(period.returnedOrRefunded, period.orders) : null,
				ageDays: returnAgeDays,
				cohortStart: new Date(returnCohorts[key].start).toISOString(),
				cohortEnd: new Date(returnCohorts[key].end).toISOString(),
				compensationsExcluded: period.compensated,
			},
			lifetimeValue: ordersRead
				? { currency: lifetimeValue.currency, perCustomer: ltv[checkpoint].perCustomer, customers: ltv[checkpoint].customers, byCohort: ltv[checkpoint].byCohort, cohortValue: cohortValues[key] }
				: { currency: null, perCustomer: null, customers: 0, byCohort: [] },
			backlog: sources.tickets ? backlogAt[key] : null,
			resolution: resolution.metric,
			firstContactResolution: {
				solved: sources.tickets ? fcrSolved : 0,
				count: sources.tickets ? period.firstContact : 0,
				ratePercent: rateOf(period.firstContact, fcrSolved),
				unknown: sources.tickets ? period.repliesUnknown : 0,
				definition: FIRST_CONTACT_DEFINITION,
			},
			reopens: {
				solved: sources.tickets ? period.solved : 0,
				count: sources.tickets ? period.reopened : 0,
				ratePercent: rateOf(period.reopened, period.solved),
				definition: REOPEN_DEFINITION,
			},
			breakdowns,
			returns: period.returns.metric(`returns CX Returns Desk decided ${dayRange(periods[key])}; resolutions and the exchange share are of the approved ones, each reason counted once per return, value per currency`),
		};
		return { metrics, firstResponseOverCap: sources.tickets && overCap, resolutionOverCap: resolution.overCap };
	};
	const { metrics: current, firstResponseOverCap, resolutionOverCap } = periodMetrics('current', 2);
	const { metrics: previous } = periodMetrics('previous', 1);

	// new customers at the same age, this cohort against the one before: buyers who just arrived are in no cohort yet
	const ltvGrowth = ordersRead ? growthPercent(cohortValues.current.perCustomer, cohortValues.previous.perCustomer) : null;
	const previousLtvGrowth = ordersRead ? growthPercent(cohortValues.previous.perCustomer, cohortValues.earlier.perCustomer) : null;
	const targets = policy.targets;
	const kpi = (key: Kpi['key'], label: string, value: number | null, before: number | null, target: number, direction: Kpi['direction'], unit: Kpi['unit'], extra: Pick<Kpi, 'atLeast' | 'definition'> = {}): Kpi => {
		// seeds/000 states every KPI as a strict inequality: "> 90%", "> 50", "< 5%", growth; the share of tickets
		// answered in time is met at the share itself ("at least 90% within 4 h")
		const passed = direction === 'above' ? value! > target || (extra.atLeast === true && value === target) : value! < target || (extra.atLeast === true && value === target);
		const status: KpiStatus = value === null ? 'no_data' : passed ? 'met' : 'missed';
		return { key, label, value, previous: before, change: value === null || before === null ? null : round(value - before, 2), target, direction, unit, status, ...extra };
	};
	const hoursText = decimalText(targets.firstResponseHours);
	const response = current.firstResponse;
	const resolved = current.resolution!;
	const fcr = current.firstContactResolution!;
	const reopens = current.reopens!;
	const kpis: Kpi[] = [
		kpi('first_response', `Tickets answered within ${hoursText} h`, response.withinTargetPercent, previous.firstResponse.withinTargetPercent, metPercent, 'above', 'percent', {
			atLeast: true,
			definition: `each ticket's first response against ${hoursText} h; met when at least ${decimalText(metPercent)}% of tickets are answered in time; a ticket still unanswered past the target counts as missed${firstResponseCounts(response)}`,
		}),
		kpi('csat', 'CSAT', current.csat.value, previous.csat.value, targets.csatPercent, 'above', 'percent'),
		kpi('nps', 'NPS', current.nps.value, previous.nps.value, targets.nps, 'above', 'score'),
		kpi('return_rate', 'Return / refund rate', current.orders.ratePercent, previous.orders.ratePercent, targets.returnRatePercent, 'below', 'percent', {
			definition: `orders placed ${dayRange(returnCohorts.current)} (${returnAgeDays} days before the period, their return window closed) with a return or a refund by the period's end; the pack's own delay compensations are not returns`,
		}),
		kpi('ltv_growth', `New-customer value at ${valueAgeDays} days, growth`, ltvGrowth, previousLtvGrowth, targets.ltvGrowthPercent, 'above', 'percent', { definition: cohortValues.current.definition }),
		kpi('resolution_time', `Tickets resolved within ${resolutionText} h`, resolved.withinTargetPercent, previous.resolution?.withinTargetPercent ?? null, resolutionMetPercent, 'above', 'percent', {
			atLeast: true,
			definition: `${resolved.definition}${resolved.resolved ? ` (${resolved.withinTarget} of ${resolved.resolved}; p50 ${decimalText(resolved.p50Hours ?? 0)} h, p90 ${decimalText(resolved.p90Hours ?? 0)} h)` : ''}`,
		}),
		kpi('first_contact_resolution', 'First-contact resolution', fcr.ratePercent, previous.firstContactResolution?.ratePercent ?? null, firstContactResolutionPercentOf(policy), 'above', 'percent', {
			definition: `${fcr.definition}${fcr.solved ? ` (${fcr.count} of ${fcr.solved})` : ''}`,
		}),
		kpi('reopen_rate', 'Reopen rate', reopens.ratePercent, previous.reopens?.ratePercent ?? null, reopenRatePercentOf(policy), 'below', 'percent', {
			definition: `${reopens.definition}${reopens.solved ? ` (${reopens.count} of ${reopens.solved})` : ''}`,
		}),
	];

	const alerts: Alert[] = [];
	const limits = policy.alerts;
	if (current.csat.value !== null && previous.csat.value !== null && previous.csat.value - current.csat.value >= limits.csatDropPoints) {
		const drop = round(previous.csat.value - current.csat.value, 1);
		alerts.push({ key: 'csat_drop', message: `CSAT fell ${drop} points, from ${previous.csat.value}% to ${current.csat.value}%`, value: drop, threshold: limits.csatDropPoints });
	}
	if (current.nps.value !== null && previous.nps.value !== null && previous.nps.value - current.nps.value >= limits.npsDropPoints) {
		const drop = round(previous.nps.value - current.nps.value, 1);
		alerts.push({ key: 'nps_drop', message: `NPS fell ${drop} points, from ${previous.nps.value} to ${current.nps.value}`, value: drop, threshold: limits.npsDropPoints });
	}
	if (current.orders.ratePercent !== null && current.orders.ratePercent > limits.returnRatePercent) {
		alerts.push({ key: 'return_rate', message: `Return / refund rate is ${current.orders.ratePercent}% (${current.orders.returnedOrRefunded} of ${current.orders.count} orders)`, value: current.orders.ratePercent, threshold: limits.returnRatePercent });
	}
	if (current.firstResponse.medianHours !== null && current.firstResponse.medianHours > limits.firstResponseHours) {
		alerts.push({ key: 'response_time', message: `Median first response is ${current.firstResponse.medianHours} h`, value: current.firstResponse.medianHours, threshold: limits.firstResponseHours });
	}
	if (current.backlog !== null && current.backlog > limits.backlog) {
		alerts.push({ key: 'backlog', message: `${current.backlog} tickets were open at the period's end`, value: current.backlog, threshold: limits.backlog });
	}

	const reasons: string[] = [`period:${dateLabel(periods.current.start, timeZone)}..${dateLabel(periods.current.end - 1, timeZone)}`];
	for (const entry of kpis) reasons.push(`${entry.key}:${entry.status}`);
	for (const type of SURVEY_TYPES) {
		if (current[type].sampleSize && current[type].lowSample) reasons.push(`low_sample_${type}:${current[type].sampleSize}`);
		if (current[type].unrated) reasons.push(`unrated_${type}:${current[type].unrated}`);
	}
	for (const alert of alerts) reasons.push(`alert_${alert.key}:${alert.value}`);
	if (!sources.tickets) reasons.push('tickets:not_read');
	if (!ordersRead) reasons.push('orders:not_read');
	if (sources.returns === false) reasons.push('returns:not_read');
	if (firstResponseOverCap) reasons.push('first_response_over_30_days');
	if (resolutionOverCap) reasons.push('resolution_over_30_days');
	if (sources.tickets && fcr.unknown) reasons.push(`first_contact_unknown:${fcr.unknown}`);
	if (metrics.ticketsWithoutTimes) reasons.push(`tickets_without_times:${metrics.ticketsWithoutTimes}`);
	if (metrics.outsidePeriods) reasons.push(`responses_outside_periods:${metrics.outsidePeriods}`);
	for (const dimension of capped) reasons.push(`breakdown_capped_${dimension}:${MAX_BREAKDOWN_VALUES}`);
	if (metrics.rejected) reasons.push(`rejected:${metrics.rejected}`);

	return { current, previous, kpis, alerts, reasons, summary: summarise(kpis, alerts, periods.current, timeZone), rejected: metrics.rejected };
}

function summarise(kpis: Kpi[], alerts: Alert[], period: Period, timeZone: string): string {
	const shownValue = (entry: Kpi) => {
		if (entry.value === null) return 'no data';
		if (entry.key === 'ltv_growth') return `${entry.value > 0 ? '+' : ''}${entry.value}%`;
		return entry.unit === 'hours' ? `${entry.value} h` : entry.unit === 'percent' ? `${entry.value}%` : String(entry.value);
	};
	const parts = kpis.map((entry) => `${entry.label} ${shownValue(entry)}${entry.status === 'no_data' ? '' : ` (${entry.status === 'met' ? 'met' : 'missed'})`}`);
	const met = kpis.filter((entry) => entry.status === 'met').length;
	const known = kpis.filter((entry) => entry.status !== 'no_data').length;
	const days = Math.round((period.end - period.start) / DAY);
	const alertText = alerts.length ? `; ${alerts.length === 1 ? 'alert' : `${alerts.length} alerts`}: ${alerts.map((alert) => alert.message).join('; ')}` : '; no alerts';
	return `${dateLabel(period.start, timeZone)} to ${dateLabel(period.end - 1, timeZone)} (${days} days): ${met} of ${known} KPIs met, ${parts.join(', ')}${alertText}.`;
}

/** " (45 of 50, 5 of them still unanswered; p50 0.5 h, p90 0.75 h)": the first-response KPI's counts, empty when none. */
function firstResponseCounts(response: ResponseTimeMetric): string {
	const unanswered = response.unansweredPastTarget ?? 0;
	const judged = response.responded + unanswered;
	if (!judged) return '';
	const waiting = unanswered ? `, ${unanswered} of them still unanswered` : '';
	const times = response.responded ? `; p50 ${decimalText(response.medianHours ?? 0)} h, p90 ${decimalText(response.p90Hours ?? 0)} h` : '';
	return ` (${response.withinTarget ?? 0} of ${judged}${waiting}${times})`;
}

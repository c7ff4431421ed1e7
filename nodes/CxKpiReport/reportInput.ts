/**
 * Reading an item's `metrics` (the MetricsReport CX Satisfaction Metrics puts out) with errors that name
 * the field and say what to fix. The parts every report has (the two periods, their scores, the KPIs and
 * the alerts) are required; the rest is checked when present and shown as "no data" when not.
 */
import type { IDataObject } from 'n8n-workflow';
import { InputProblem, dateValue } from '../shared/items';
import type { MetricsReport } from '../shared/contract/metricsReport';

export const METRICS_FIELD = 'metrics';

const STATUSES = ['met', 'missed', 'no_data'];
const UNITS = ['hours', 'percent', 'score'];
const DIRECTIONS = ['above', 'below'];
const FIX = 'Connect CX Satisfaction Metrics before this node: each item it puts out carries "metrics", the report to render.';

const isObject = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isNumberOrNull = (value: unknown) => value === null || isNumber(value);
const isCount = (value: unknown) => isNumber(value) && Number.isInteger(value) && value >= 0;
const isText = (value: unknown, limit: number) => typeof value === 'string' && value.trim() !== '' && value.length <= limit;

/** What each number of a report may be: counts are whole and not negative, hours and money not negative, percents 0-100. */
const COUNTS = ['responded', 'count', 'returnedOrRefunded', 'customers', 'resolved', 'withinTarget', 'unansweredPastTarget', 'solved', 'unknown', 'compensationsExcluded'];
const NOT_NEGATIVE = ['medianHours', 'p90Hours', 'p50Hours', 'targetHours', 'waitingHoursExcluded', 'ageDays', 'perCustomer'];
const PERCENTS = ['withinTargetPercent', 'ratePercent', 'metPercent'];
function numberRule(key: string): { ok: (value: number) => boolean; expected: string } {
	if (COUNTS.includes(key)) return { ok: (value) => Number.isInteger(value) && value >= 0, expected: 'a whole number of 0 or more, or null' };
	if (NOT_NEGATIVE.includes(key)) return { ok: (value) => value >= 0, expected: 'a number of 0 or more, or null' };
	if (PERCENTS.includes(key)) return { ok: (value) => value >= 0 && value <= 100, expected: 'a percentage from 0 to 100, or null' };
	return { ok: () => true, expected: 'a number or null' };
}
/** Longest texts a report may carry into the email: a KPI's label, an alert, the summary. */
const LABEL_LIMIT = 200;
const ALERT_LIMIT = 2_000;
const SUMMARY_LIMIT = 20_000;
/** Entries of a returns list: ten reasons, the currencies a store sells in. */
const LIST_LIMIT = 200;

function describe(value: unknown): string {
	if (value === undefined) return 'missing';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
	return `${typeof value} ${String(value)}`;
}

class Reader {
	check(ok: boolean, path: string, expected: string, value: unknown): void {
		if (!ok) throw new InputProblem(path, `"${path}" must be ${expected} but is ${describe(value)}`, FIX);
	}

	object(parent: IDataObject, key: string, path: string): IDataObject {
		const value = parent[key];
		this.check(isObject(value), path, 'an object', value);
		return value as IDataObject;
	}

	optionalObject(parent: IDataObject, key: string, path: string): IDataObject | undefined {
		const value = parent[key];
		if (value === undefined || value === null) return undefined;
		this.check(isObject(value), path, 'an object', value);
		return value as IDataObject;
	}

	date(parent: IDataObject, key: string, path: string): number {
		const value = parent[key];
		// the pack's one reading of a date: "2026-02-30" or "Ticket 12" is none
		const time = typeof value === 'string' ? (dateValue(value)?.getTime() ?? Number.NaN) : Number.NaN;
		this.check(Number.isFinite(time), path, 'an ISO 8601 time', value);
		return time;
	}

	score(parent: IDataObject, key: string, path: string, required: boolean): void {
		const score = required ? this.object(parent, key, path) : this.optionalObject(parent, key, path);
		if (!score) return;
		this.check(isNumberOrNull(score.value), `${path}.value`, 'a number or null', score.value);
		this.check(isCount(score.sampleSize), `${path}.sampleSize`, 'a count', score.sampleSize);
		if (score.interval !== undefined && score.interval !== null) {
			const interval = this.object(score, 'interval', `${path}.interval`);
			this.check(isNumber(interval.low) && isNumber(interval.high), `${path}.interval`, 'low and high numbers', interval);
			this.check(isNumber(interval.confidence) && interval.confidence > 0 && interval.confidence < 1, `${path}.interval.confidence`, 'a number between 0 and 1', interval.confidence);
		}
		if (score.unrated !== undefined) this.check(isCount(score.unrated), `${path}.unrated`, 'a count', score.unrated);
		if (score.counts !== undefined) this.check(isObject(score.counts), `${path}.counts`, 'an object of counts', score.counts);
	}

	numbers(parent: IDataObject | undefined, keys: string[], path: string): void {
		if (!parent) return;
		for (const key of keys) {
			const value = parent[key];
			if (value === undefined) continue;
			const rule = numberRule(key);
			this.check(value === null || (isNumber(value) && rule.ok(value)), `${path}.${key}`, rule.expected, value);
		}
	}

	period(report: IDataObject, key: 'current' | 'previous'): void {
		const period = this.object(report, key, `metrics.${key}`);
		const start = this.date(period, 'start', `metrics.${key}.start`);
		const end = this.date(period, 'end', `metrics.${key}.end`);
		this.check(end > start, `metrics.${key}.end`, `after metrics.${key}.start (${String(period.start)})`, period.end);
		for (const score of ['nps', 'csat', 'ces']) this.score(period, score, `metrics.${key}.${score}`, true);
		this.numbers(this.optionalObject(period, 'firstResponse', `metrics.${key}.firstResponse`), ['responded', 'medianHours', 'p90Hours', 'withinTargetPercent', 'p50Hours', 'withinTarget', 'unansweredPastTarget', 'targetHours', 'metPercent'], `metrics.${key}.firstResponse`);
		this.numbers(this.optionalObject(period, 'orders', `metrics.${key}.orders`), ['count', 'returnedOrRefunded', 'ratePercent', 'ageDays', 'compensationsExcluded'], `metrics.${key}.orders`);
		const value = this.optionalObject(period, 'lifetimeValue', `metrics.${key}.lifetimeValue`);
		this.numbers(value, ['perCustomer', 'customers'], `metrics.${key}.lifetimeValue`);
		if (value?.byCohort !== undefined) {
			this.check(Array.isArray(value.byCohort), `metrics.${key}.lifetimeValue.byCohort`, 'a list', value.byCohort);
			(value.byCohort as unknown[]).forEach((cohort, index) => {
				const path = `metrics.${key}.lifetimeValue.byCohort[${index}]`;
				this.check(isObject(cohort) && isNumber(cohort.perCustomer) && cohort.perCustomer >= 0 && isCount(cohort.customers), path, 'a cohort with a count of customers and a perCustomer amount of 0 or more', cohort);
			});
		}
		if (period.backlog !== undefined) this.check(period.backlog === null || isCount(period.backlog), `metrics.${key}.backlog`, 'a count or null', period.backlog);
		const resolution = this.optionalObject(period, 'resolution', `metrics.${key}.resolution`);
		this.numbers(resolution, ['resolved', 'p50Hours', 'p90Hours', 'withinTargetPercent', 'withinTarget', 'targetHours', 'metPercent', 'waitingHoursExcluded'], `metrics.${key}.resolution`);
		for (const rate of ['firstContactResolution', 'reopens']) {
			const value = this.optionalObject(period, rate, `metrics.${key}.${rate}`);
			this.numbers(value, ['solved', 'count', 'ratePercent', 'unknown'], `metrics.${key}.${rate}`);
			if (value?.definition !== undefined) this.check(typeof value.definition === 'string', `metrics.${key}.${rate}.definition`, 'text', value.definition);
		}
		if (resolution?.definition !== undefined) this.check(typeof resolution.definition === 'string', `metrics.${key}.resolution.definition`, 'text', resolution.definition);
		this.returns(period, `metrics.${key}.returns`);
		const breakdowns = this.optionalObject(period, 'breakdowns', `metrics.${key}.breakdowns`);
		for (const [dimension, segments] of Object.entries(breakdowns ?? {})) {
			if (segments === undefined || segments === null) continue;
			this.check(isObject(segments), `metrics.${key}.breakdowns.${dimension}`, 'an object of segments', segments);
			for (const [segment, scores] of Object.entries(segments as IDataObject)) {
				const path = `metrics.${key}.breakdowns.${dimension}.${segment}`;
				this.check(segment.length <= LABEL_LIMIT && isObject(scores) && ['nps', 'csat', 'ces'].some((score) => isObject(scores[score])), path, 'an object with nps, csat or ces', scores);
				for (const score of ['nps', 'csat', 'ces']) this.score(scores as IDataObject, score, `${path}.${score}`, false);
			}
		}
	}

	/** The returns decided in a period: counts, the exchange share, reasons by name and value per currency. */
	returns(period: IDataObject, path: string): void {
		const returns = this.optionalObject(period, 'returns', path);
		if (!returns) return;
		this.check(isCount(returns.decided), `${path}.decided`, 'a count', returns.decided);
		for (const [part, keys] of [['outcomes', ['approved', 'declined', 'review']], ['resolutions', ['exchange', 'store_credit', 'refund']], ['fault', ['store', 'customer']]] as const) {
			const counts = this.optionalObject(returns, part, `${path}.${part}`);
			for (const count of keys) if (counts?.[count] !== undefined) this.check(isCount(counts[count]), `${path}.${part}.${count}`, 'a count', counts[count]);
		}
		const share = returns.exchangeSharePercent;
		if (share !== undefined) this.check(share === null || (isNumber(share) && share >= 0 && share <= 100), `${path}.exchangeSharePercent`, 'a percentage from 0 to 100, or null', share);
		for (const list of ['topReasons', 'returnedValue']) {
			if (returns[list] !== undefined) this.check(Array.isArray(returns[list]) && (returns[list] as unknown[]).length <= LIST_LIMIT, `${path}.${list}`, `a list of up to ${LIST_LIMIT}`, returns[list]);
		}
		((returns.topReasons ?? []) as unknown[]).forEach((entry, index) => {
			this.check(isObject(entry) && isText(entry.reason, LABEL_LIMIT) && isCount(entry.count), `${path}.topReasons[${index}]`, 'a reason with a count', entry);
		});
		((returns.returnedValue ?? []) as unknown[]).forEach((entry, index) => {
			this.check(isObject(entry) && isText(entry.currency, 3) && isNumber(entry.cents) && entry.cents >= 0 && isCount(entry.returns), `${path}.returnedValue[${index}]`, 'a currency code with cents of 0 or more and a count of returns', entry);
		});
		if (returns.definition !== undefined) this.check(typeof returns.definition === 'string' && returns.definition.length <= ALERT_LIMIT, `${path}.definition`, 'text', returns.definition);
	}

	kpis(report: IDataObject): void {
		this.check(Array.isArray(report.kpis), 'metrics.kpis', 'a list', report.kpis);
		(report.kpis as unknown[]).forEach((kpi, index) => {
			const path = `metrics.kpis[${index}]`;
			this.check(isObject(kpi), path, 'an object', kpi);
			const entry = kpi as IDataObject;
			this.check(typeof entry.key === 'string' && entry.key !== '', `${path}.key`, 'text', entry.key);
			this.check(isText(entry.label, LABEL_LIMIT), `${path}.label`, `text of up to ${LABEL_LIMIT} characters`, entry.label);
			this.check(isNumberOrNull(entry.value), `${path}.value`, 'a number or null', entry.value);
			this.check(entry.previous === undefined || isNumberOrNull(entry.previous), `${path}.previous`, 'a number or null', entry.previous);
			this.check(entry.change === undefined || isNumberOrNull(entry.change), `${path}.change`, 'a number or null', entry.change);
			this.check(isNumber(entry.target), `${path}.target`, 'a number', entry.target);
			this.check(STATUSES.includes(entry.status as string), `${path}.status`, `one of ${STATUSES.join(', ')}`, entry.status);
			this.check(UNITS.includes(entry.unit as string), `${path}.unit`, `one of ${UNITS.join(', ')}`, entry.unit);
			this.check(DIRECTIONS.includes(entry.direction as string), `${path}.direction`, `one of ${DIRECTIONS.join(', ')}`, entry.direction);
			this.check(entry.atLeast === undefined || typeof entry.atLeast === 'boolean', `${path}.atLeast`, 'true or false', entry.atLeast);
			this.check(entry.definition === undefined || typeof entry.definition === 'string', `${path}.definition`, 'text', entry.definition);
		});
	}

	alerts(report: IDataObject): void {
		this.check(Array.isArray(report.alerts), 'metrics.alerts', 'a list', report.alerts);
		(report.alerts as unknown[]).forEach((alert, index) => {
			const path = `metrics.alerts[${index}]`;
			this.check(isObject(alert) && isText(alert.message, ALERT_LIMIT), path, `an alert with a message of up to ${ALERT_LIMIT.toLocaleString('en-US')} characters`, alert);
		});
	}
}

/** The item's report, or the problem with it. */
export function tryReadMetricsReport(json: IDataObject): MetricsReport | InputProblem {
	const value = json[METRICS_FIELD];
	if (value === undefined || value === null) {
		return new InputProblem(METRICS_FIELD, 'no "metrics" field', FIX);
	}
	if (!isObject(value)) return new InputProblem(METRICS_FIELD, `"metrics" must be an object but is ${describe(value)}`, FIX);
	const reader = new Reader();
	try {
		reader.period(value, 'current');
		reader.period(value, 'previous');
		reader.kpis(value);
		reader.alerts(value);
		if (value.summary !== undefined) reader.check(typeof value.summary === 'string' && value.summary.length <= SUMMARY_LIMIT, 'metrics.summary', `text of up to ${SUMMARY_LIMIT.toLocaleString('en-US')} characters`, value.summary);
		if (value.reasons !== undefined) reader.check(Array.isArray(value.reasons), 'metrics.reasons', 'a list', value.reasons);
		if (value.rejected !== undefined) reader.check(isCount(value.rejected), 'metrics.rejected', 'a count', value.rejected);
	} catch (problem) {
		if (problem instanceof InputProblem) return problem;
		return new InputProblem(METRICS_FIELD, `"metrics" could not be read: ${String(problem)}`, FIX);
	}
	return value as unknown as MetricsReport;
}

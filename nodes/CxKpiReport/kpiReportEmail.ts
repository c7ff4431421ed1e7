/**
 * The weekly KPI report email: MetricsReport -> subject, HTML and plain-text body for the business manager.
 * Pure: no n8n, no I/O, no clock (the time it was prepared arrives as an ISO string).
 *
 * Written for email clients, not browsers: nested tables with inline styles only, as Outlook desktop (Word's
 * renderer) lays out nothing else reliably and Gmail drops <style> blocks in many views; no script, no SVG,
 * no external CSS. Charts are bars made of table cells with percentage widths and bgcolor, which every
 * client paints. Status is never told by colour alone: each badge carries a word and a sign (seeds/000
 * "report satisfaction weekly to the business manager"). Every text that comes from data goes through
 * escapeHtml; the text part says the same facts.
 */
import { LAYOUT_TABLE } from '../shared/email/layout';
import { escapeHtml } from '../shared/email/html';
import { oneLine } from '../shared/email/text';
import { wellFormed } from '../shared/items';
import { formatMoney, isCurrency } from '../shared/money';
import { isValidTimeZone } from '../shared/time';
import type { Alert, Dimension, Interval, Kpi, KpiStatus, MetricsReport, PeriodMetrics, ReturnsMetric, ScoreMetric } from '../shared/contract/metricsReport';

export interface KpiReportEmailOptions {
	storeName?: string;
	/** IANA zone the dates are shown in; 'UTC' when empty or unknown. */
	timeZone?: string;
	/** When the report was prepared, ISO. */
	preparedAt?: string;
}

export interface RenderedReport {
	subject: string;
	html: string;
	text: string;
}

/** Rows per breakdown: Gmail clips a message past 102 KB, and the long tail of channels is noise. */
export const MAX_SEGMENTS = 10;
/** Cohort rows: two years of monthly cohorts. */
export const MAX_COHORTS = 24;
/** Return reasons shown per period: the few a store acts on. */
export const TOP_RETURN_REASONS = 3;
const MAX_NAME = 40;

export const STATUS_WORDS: Record<KpiStatus, string> = { met: 'Met', missed: 'Missed', no_data: 'No data' };
const STATUS_SIGNS: Record<KpiStatus, string> = { met: '✓', missed: '✗', no_data: '–' };
const STATUS_COLOURS: Record<KpiStatus, { fg: string; bg: string }> = {
	met: { fg: '#137333', bg: '#e6f4ea' },
	missed: { fg: '#b3261e', bg: '#fce8e6' },
	no_data: { fg: '#5f6368', bg: '#f1f3f4' },
};
const COLOUR = {
	text: '#202124',
	muted: '#5f6368',
	border: '#dadce0',
	page: '#f4f5f7',
	thisWeek: '#1a73e8',
	lastWeek: '#a8c7fa',
	track: '#e8eaed',
	better: '#137333',
	worse: '#b3261e',
	promoters: '#188038',
	passives: '#9aa0a6',
	detractors: '#d93025',
	alert: '#b3261e',
	alertBg: '#fce8e6',
	alertBorder: '#d93025',
};
const FONT = 'font-family:Arial,Helvetica,sans-serif';
const DIMENSIONS: Array<{ key: Dimension; title: string }> = [
	{ key: 'tier', title: 'By customer tier' },
	{ key: 'channel', title: 'By channel' },
	{ key: 'issue_type', title: 'By issue type' },
];
const SCORES: Array<{ key: 'nps' | 'csat' | 'ces'; name: string; meaning: string }> = [
	{ key: 'nps', name: 'NPS', meaning: 'promoters minus detractors, -100 to 100' },
	{ key: 'csat', name: 'CSAT', meaning: 'share of satisfied answers' },
	{ key: 'ces', name: 'CES', meaning: 'share agreeing the issue was easy to handle' },
];

/* ------------------------------------------------------------------------------------------------ */
/* Numbers and words                                                                                 */
/* ------------------------------------------------------------------------------------------------ */

const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export function formatNumber(value: number | null | undefined): string {
	return isNumber(value) ? decimal.format(value) : 'no data';
}

export function formatValue(value: number | null | undefined, unit: Kpi['unit']): string {
	if (!isNumber(value)) return 'no data';
	return unit === 'hours' ? `${decimal.format(value)} h` : unit === 'percent' ? `${decimal.format(value)}%` : decimal.format(value);
}

/** "> 90%", "< 4 h" or "≥ 90%" (met at the target itself): the side of the target a KPI must stay on. */
export function formatTarget(kpi: Pick<Kpi, 'target' | 'direction' | 'unit' | 'atLeast'>): string {
	const sign = kpi.direction === 'below' ? (kpi.atLeast ? '≤' : '<') : kpi.atLeast ? '≥' : '>';
	return `${sign} ${formatValue(kpi.target, kpi.unit)}`;
}

export type Trend = 'up' | 'down' | 'flat' | 'none';

/** Below a tenth the change shows as 0.0: no change worth an arrow. */
export function trendOf(change: number | null | undefined): Trend {
	if (!isNumber(change)) return 'none';
	return Math.abs(change) < 0.05 ? 'flat' : change > 0 ? 'up' : 'down';
}

/** Whether the change moved the KPI the good way: up for scores, down for response time and returns. */
export function isBetter(kpi: Pick<Kpi, 'change' | 'direction'>): boolean | null {
	const trend = trendOf(kpi.change);
	if (trend === 'none' || trend === 'flat') return null;
	return (trend === 'up') === (kpi.direction === 'above');
}

/** "▲ +2.5 pts", "▼ -0.8 h", "no change"; percentages change by points, not percent. */
export function formatChange(change: number | null | undefined, unit: Kpi['unit']): string {
	const trend = trendOf(change);
	if (trend === 'none') return 'no comparison';
	if (trend === 'flat') return 'no change';
	const amount = `${change! > 0 ? '+' : '-'}${decimal.format(Math.abs(change!))}`;
	return `${trend === 'up' ? '▲' : '▼'} ${amount}${unit === 'hours' ? ' h' : ' pts'}`;
}

function changeSentence(kpi: Kpi, words: PeriodWords): string {
	const better = isBetter(kpi);
	const judgement = better === null ? '' : better ? ' (better)' : ' (worse)';
	const change = formatChange(kpi.change, kpi.unit);
	return change === 'no comparison' ? `no comparison with ${words.lastPeriod}` : `${change} vs ${words.lastPeriod}${judgement}`;
}

/** A bar's width: a percent clamped to 0-100 and rounded, 0 for anything that is not a number. */
export function barWidth(percent: number | null | undefined): number {
	if (!isNumber(percent)) return 0;
	return Math.round(Math.min(100, Math.max(0, percent)));
}

/** Parts of a whole as whole percents that add up to 100 (largest remainder), all 0 when the whole is 0. */
export function shares(counts: number[]): number[] {
	const clean = counts.map((count) => (isNumber(count) && count > 0 ? count : 0));
	const total = clean.reduce((sum, count) => sum + count, 0);
	if (!total) return clean.map(() => 0);
	const exact = clean.map((count) => (count / total) * 100);
	const floors = exact.map(Math.floor);
	let left = 100 - floors.reduce((sum, value) => sum + value, 0);
	const order = exact.map((value, index) => ({ index, rest: value - floors[index] })).sort((a, b) => b.rest - a.rest);
	for (const { index } of order) {
		if (left <= 0) break;
		floors[index]++;
		left--;
	}
	return floors;
}

function zoneOf(timeZone: string | undefined): string {
	return timeZone && isValidTimeZone(timeZone) ? timeZone : 'UTC';
}

function day(instant: number, timeZone: string): string {
	return new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric', year: 'numeric' }).format(new Date(instant));
}

/** "Nov 16, 2026 to Nov 22, 2026": the period is [start, end), so its last day is the one before end. */
export function periodLabel(period: Pick<PeriodMetrics, 'start' | 'end'>, timeZone?: string): string {
	const zone = zoneOf(timeZone);
	const start = Date.parse(period.start);
	const end = Date.parse(period.end);
	if (!Number.isFinite(start) || !Number.isFinite(end)) return `${period.start} to ${period.end}`;
	return `${day(start, zone)} to ${day(Math.max(start, end - 1), zone)}`;
}

function moment(iso: string | undefined, timeZone: string): string {
	const at = iso ? Date.parse(iso) : NaN;
	if (!Number.isFinite(at)) return '';
	return new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(new Date(at));
}

/** A name from the data, shortened so one odd value cannot stretch the layout. */
function shortName(name: string): string {
	const readable = name.replace(/_/g, ' ').trim() || '(none)';
	return readable.length > MAX_NAME ? `${readable.slice(0, MAX_NAME - 1)}…` : readable;
}

/** How the report names its periods: a week is "this week" and "last week", any other length "this period". */
export interface PeriodWords {
	thisPeriod: string;
	lastPeriod: string;
	periodEnd: string;
	title: string;
	subject: string;
}

const DAY = 86_400_000;

export function periodWords(report: Pick<MetricsReport, 'current'>): PeriodWords {
	const days = (Date.parse(report.current.end) - Date.parse(report.current.start)) / DAY;
	// a week across a DST change is 167 or 169 hours
	return Math.round(days) === 7
		? { thisPeriod: 'this week', lastPeriod: 'last week', periodEnd: 'the week\'s end', title: 'Weekly customer experience report', subject: 'weekly CX report' }
		: { thisPeriod: 'this period', lastPeriod: 'previous period', periodEnd: 'the period\'s end', title: 'Customer experience report', subject: 'CX report' };
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function intervalText(interval: Interval | null | undefined, unit: 'score' | 'percent'): string {
	if (!interval || !isNumber(interval.low) || !isNumber(interval.high)) return '';
	const suffix = unit === 'percent' ? '%' : '';
	return `${decimal.format(Math.round((interval.confidence ?? 0.95) * 100))}% CI ${decimal.format(interval.low)}${suffix} to ${decimal.format(interval.high)}${suffix}`;
}

function scoreUnit(key: 'nps' | 'csat' | 'ces'): 'score' | 'percent' {
	return key === 'nps' ? 'score' : 'percent';
}

function scoreValue(score: ScoreMetric | undefined, key: 'nps' | 'csat' | 'ces'): string {
	return formatValue(score?.value ?? null, scoreUnit(key));
}

/** "95% CI 41 to 66, n 120, 4 unrated, low sample": what a score rests on, in words. */
function scoreFacts(score: ScoreMetric | undefined, key: 'nps' | 'csat' | 'ces'): string {
	if (!score) return 'no data';
	const unrated = isNumber(score.unrated) && score.unrated > 0 ? `${formatNumber(score.unrated)} unrated` : '';
	return [intervalText(score.interval, scoreUnit(key)), `n ${formatNumber(score.sampleSize ?? 0)}`, unrated, score.lowSample ? 'low sample' : ''].filter(Boolean).join(', ');
}

/** NPS runs -100..100: the bar shows where it sits on that scale. */
function scoreBarPercent(score: ScoreMetric | undefined, key: 'nps' | 'csat' | 'ces'): number {
	const value = score?.value;
	if (!isNumber(value)) return 0;
	return key === 'nps' ? (value + 100) / 2 : value;
}

function npsMix(score: ScoreMetric | undefined): { promoters: number; passives: number; detractors: number; shares: number[] } {
	const counts = score?.counts ?? {};
	const promoters = Number(counts.promoters ?? 0) || 0;
	const passives = Number(counts.passives ?? 0) || 0;
	const detractors = Number(counts.detractors ?? 0) || 0;
	return { promoters, passives, detractors, shares: shares([promoters, passives, detractors]) };
}

function alertValue(alert: Alert, value: number): string {
	switch (alert.key) {
		case 'csat_drop':
		case 'nps_drop':
			return `${decimal.format(value)} pts`;
		case 'return_rate':
			return `${decimal.format(value)}%`;
		case 'response_time':
			return `${decimal.format(value)} h`;
		default:
			return decimal.format(value);
	}
}

function alertFacts(alert: Alert): string {
	const parts = [isNumber(alert.value) ? `now ${alertValue(alert, alert.value)}` : '', isNumber(alert.threshold) ? `threshold ${alertValue(alert, alert.threshold)}` : ''].filter(Boolean);
	return parts.join(', ');
}

function money(minor: number | null | undefined, currency: string | null | undefined): string {
	if (!isNumber(minor)) return 'no data';
	if (currency && isCurrency(currency)) return formatMoney({ cents: Math.round(minor), currency: currency.toUpperCase() });
	return decimal.format(minor / 100);
}

interface SegmentRow {
	name: string;
	scores: { nps?: ScoreMetric; csat?: ScoreMetric; ces?: ScoreMetric };
	answers: number;
}

/** A dimension's segments, most answers first, cut to MAX_SEGMENTS. */
function segmentsOf(period: PeriodMetrics, dimension: Dimension): { rows: SegmentRow[]; more: number } {
	const entries = Object.entries(period.breakdowns?.[dimension] ?? {});
	const rows = entries
		.map(([name, scores]) => ({
			name,
			scores: scores ?? {},
			answers: (scores?.nps?.sampleSize ?? 0) + (scores?.csat?.sampleSize ?? 0) + (scores?.ces?.sampleSize ?? 0),
		}))
		.sort((a, b) => b.answers - a.answers || a.name.localeCompare(b.name));
	return { rows: rows.slice(0, MAX_SEGMENTS), more: Math.max(0, rows.length - MAX_SEGMENTS) };
}

function headline(report: MetricsReport): { met: number; counted: number } {
	const kpis = report.kpis ?? [];
	return { met: kpis.filter((kpi) => kpi.status === 'met').length, counted: kpis.length };
}

export function reportSubject(report: MetricsReport, options: KpiReportEmailOptions = {}): string {
	const { met, counted } = headline(report);
	const alerts = report.alerts?.length ?? 0;
	const store = options.storeName ? `${oneLine(options.storeName)}: ` : '';
	const alertText = alerts ? `, ${alerts} alert${alerts === 1 ? '' : 's'}` : '';
	// one line: a store name or a period date with a line break in it would end the header
	return oneLine(`${store}${periodWords(report).subject}, ${periodLabel(report.current, options.timeZone)}: ${met} of ${counted} KPIs met${alertText}`);
}

/* ------------------------------------------------------------------------------------------------ */
/* HTML pieces                                                                                       */
/* ------------------------------------------------------------------------------------------------ */


/** One painted cell: bgcolor for Outlook, background-color for the rest; a space so no client collapses it. */
function paint(widthPercent: number, colour: string, height = 12): string {
	return `<td width="${widthPercent}%" height="${height}" bgcolor="${colour}" style="width:${widthPercent}%;height:${height}px;background-color:${colour};font-size:1px;line-height:${height}px">&nbsp;</td>`;
}

/** A horizontal bar: a filled part and the track after it; a part of 0% is left out, as Outlook would still draw it. */
export function bar(percent: number | null | undefined, colour: string): string {
	const width = barWidth(percent);
	const cells = (width > 0 ? paint(width, colour) : '') + (width < 100 ? paint(100 - width, COLOUR.track) : '');
	return `<table ${LAYOUT_TABLE} width="100%" style="width:100%;border-collapse:collapse"><tr>${cells}</tr></table>`;
}

/** A bar of parts that add up to 100%. */
function stackedBar(parts: Array<{ percent: number; colour: string }>): string {
	const shown = parts.filter((part) => part.percent > 0);
	const cells = shown.length ? shown.map((part) => paint(part.percent, part.colour)).join('') : paint(100, COLOUR.track);
	return `<table ${LAYOUT_TABLE} width="100%" style="width:100%;border-collapse:collapse"><tr>${cells}</tr></table>`;
}

function badge(status: KpiStatus): string {
	const colours = STATUS_COLOURS[status] ?? STATUS_COLOURS.no_data;
	return `<span style="display:inline-block;padding:2px 8px;border-radius:10px;background-color:${colours.bg};color:${colours.fg};font-size:12px;font-weight:bold">${STATUS_SIGNS[status] ?? '–'} ${STATUS_WORDS[status] ?? 'No data'}</span>`;
}

function lowSampleMark(score: ScoreMetric | undefined): string {
	return score?.lowSample ? ` <span style="color:${COLOUR.worse};font-size:11px">&#8224; low sample</span>` : '';
}

function section(title: string, body: string): string {
	return `<tr><td style="padding:20px 24px 0"><h2 style="margin:0 0 8px;${FONT};font-size:16px;color:${COLOUR.text}">${escapeHtml(title)}</h2>${body}</td></tr>`;
}

const cellStyle = `padding:6px 8px;border-bottom:1px solid ${COLOUR.border};${FONT};font-size:13px;color:${COLOUR.text};vertical-align:middle`;
const headStyle = `padding:6px 8px;border-bottom:2px solid ${COLOUR.border};${FONT};font-size:12px;color:${COLOUR.muted};text-align:left;font-weight:bold`;

/** A table of facts; cells are HTML already escaped by their makers. */
function dataTable(headers: string[], rows: string[][], widths: string[] = []): string {
	const head = `<tr>${headers.map((header, index) => `<th align="left"${widths[index] ? ` width="${widths[index]}"` : ''} style="${headStyle}">${escapeHtml(header)}</th>`).join('')}</tr>`;
	const body = rows.map((row) => `<tr>${row.map((cell) => `<td style="${cellStyle}">${cell}</td>`).join('')}</tr>`).join('');
	return `<table ${LAYOUT_TABLE} width="100%" style="width:100%;border-collapse:collapse">${head}${body}</table>`;
}

function note(html: string): string {
	return `<p style="margin:6px 0 0;${FONT};font-size:11px;color:${COLOUR.muted}">${html}</p>`;
}

function kpiTile(kpi: Kpi, report: MetricsReport, words: PeriodWords): string {
	const score = kpi.key === 'nps' ? report.current.nps : kpi.key === 'csat' ? report.current.csat : undefined;
	const better = isBetter(kpi);
	const changeColour = better === null ? COLOUR.muted : better ? COLOUR.better : COLOUR.worse;
	const factsText = score ? scoreFacts(score, kpi.key as 'nps' | 'csat') : kpi.definition ?? '';
	const facts = factsText ? `<div style="font-size:11px;color:${COLOUR.muted};padding-top:2px">${escapeHtml(factsText)}</div>` : '';
	return (
		`<td width="33%" valign="top" style="width:33%;padding:6px;vertical-align:top">` +
		`<table ${LAYOUT_TABLE} width="100%" style="width:100%;border:1px solid ${COLOUR.border};border-radius:6px;border-collapse:separate">` +
		`<tr><td style="padding:12px;${FONT};color:${COLOUR.text}">` +
		`<div style="font-size:12px;color:${COLOUR.muted}">${escapeHtml(kpi.label)}</div>` +
		`<div style="font-size:24px;font-weight:bold;padding:4px 0">${escapeHtml(formatValue(kpi.value, kpi.unit))}</div>` +
		facts +
		`<div style="font-size:12px;color:${COLOUR.muted};padding:4px 0">Target ${escapeHtml(formatTarget(kpi))}</div>` +
		`<div style="padding:2px 0 6px">${badge(kpi.status)}</div>` +
		`<div style="font-size:12px;color:${changeColour}">${escapeHtml(changeSentence(kpi, words))}</div>` +
		`<div style="font-size:11px;color:${COLOUR.muted};padding-top:2px">${capital(words.lastPeriod)} ${escapeHtml(formatValue(kpi.previous, kpi.unit))}</div>` +
		`</td></tr></table></td>`
	);
}

function kpiTiles(report: MetricsReport): string {
	const kpis = report.kpis ?? [];
	if (!kpis.length) return note('No KPIs in this report.');
	const rows: string[] = [];
	for (let i = 0; i < kpis.length; i += 3) {
		const tiles = kpis.slice(i, i + 3).map((kpi) => kpiTile(kpi, report, periodWords(report)));
		while (tiles.length < 3) tiles.push('<td width="33%" style="width:33%">&nbsp;</td>');
		rows.push(`<tr>${tiles.join('')}</tr>`);
	}
	return `<table ${LAYOUT_TABLE} width="100%" style="width:100%">${rows.join('')}</table>`;
}

function alertsBox(report: MetricsReport): string {
	const alerts = report.alerts ?? [];
	if (!alerts.length) return '';
	const items = alerts
		.map((alert) => {
			const facts = alertFacts(alert);
			return `<li style="margin:4px 0">${escapeHtml(alert.message)}${facts ? ` <span style="color:${COLOUR.muted}">(${escapeHtml(facts)})</span>` : ''}</li>`;
		})
		.join('');
	return (
		`<tr><td style="padding:20px 24px 0">` +
		`<table ${LAYOUT_TABLE} width="100%" style="width:100%;border-collapse:collapse"><tr>` +
		`<td bgcolor="${COLOUR.alertBg}" style="background-color:${COLOUR.alertBg};border-left:4px solid ${COLOUR.alertBorder};padding:12px 16px;${FONT};font-size:13px;color:${COLOUR.text}">` +
		`<strong style="color:${COLOUR.alert}">&#9888; ${alerts.length} alert${alerts.length === 1 ? '' : 's'} ${periodWords(report).thisPeriod}</strong>` +
		`<ul style="margin:8px 0 0;padding-left:20px">${items}</ul>` +
		`</td></tr></table></td></tr>`
	);
}

function scoresChart(report: MetricsReport): string {
	const words = periodWords(report);
	const rows: string[] = [];
	const label = (text: string) => `<td width="120" style="width:120px;padding:3px 8px 3px 0;${FONT};font-size:12px;color:${COLOUR.muted};white-space:nowrap">${text}</td>`;
	const facts = (html: string) => `<td width="210" style="width:210px;padding:3px 0 3px 8px;${FONT};font-size:12px;color:${COLOUR.text}">${html}</td>`;
	for (const score of SCORES) {
		rows.push(`<tr><td colspan="3" style="padding:10px 0 4px;${FONT};font-size:13px;color:${COLOUR.text}"><strong>${score.name}</strong> <span style="color:${COLOUR.muted}">${escapeHtml(score.meaning)}</span></td></tr>`);
		for (const [name, period, colour] of [[capital(words.thisPeriod), report.current, COLOUR.thisWeek], [capital(words.lastPeriod), report.previous, COLOUR.lastWeek]] as const) {
			const metric = period[score.key];
			const value = `<strong>${escapeHtml(scoreValue(metric, score.key))}</strong> <span style="color:${COLOUR.muted}">${escapeHtml(scoreFacts(metric, score.key).replace(/, low sample$/, ''))}</span>${lowSampleMark(metric)}`;
			rows.push(`<tr>${label(name)}<td style="padding:3px 0">${bar(scoreBarPercent(metric, score.key), colour)}</td>${facts(value)}</tr>`);
		}
		if (score.key === 'nps') {
			for (const [name, period] of [[`Mix ${words.thisPeriod}`, report.current], [`Mix ${words.lastPeriod}`, report.previous]] as const) {
				const mix = npsMix(period.nps);
				const [promoters, passives, detractors] = mix.shares;
				const text = `<span style="color:${COLOUR.promoters}">promoters ${promoters}%</span>, passives ${passives}%, <span style="color:${COLOUR.detractors}">detractors ${detractors}%</span>`;
				rows.push(
					`<tr>${label(name)}<td style="padding:3px 0">${stackedBar([
						{ percent: promoters, colour: COLOUR.promoters },
						{ percent: passives, colour: COLOUR.passives },
						{ percent: detractors, colour: COLOUR.detractors },
					])}</td>${facts(text)}</tr>`,
				);
			}
		}
	}
	const legend = note(
		`<span style="color:${COLOUR.thisWeek}">&#9632;</span> ${words.thisPeriod} &nbsp; <span style="color:${COLOUR.lastWeek}">&#9632;</span> ${words.lastPeriod}. NPS bars run from -100 (empty) to 100 (full). &#8224; low sample: too few answers for a firm figure.`,
	);
	return `<table ${LAYOUT_TABLE} width="100%" style="width:100%;border-collapse:collapse">${rows.join('')}</table>${legend}`;
}

function breakdownTable(report: MetricsReport, dimension: Dimension): string {
	const words = periodWords(report);
	const { rows, more } = segmentsOf(report.current, dimension);
	if (!rows.length) return '';
	const cell = (metric: ScoreMetric | undefined, key: 'nps' | 'csat' | 'ces', before: ScoreMetric | undefined) =>
		`${escapeHtml(scoreValue(metric, key))} <span style="color:${COLOUR.muted};font-size:11px">n ${escapeHtml(formatNumber(metric?.sampleSize ?? 0))}</span>${lowSampleMark(metric)}` +
		(isNumber(before?.value) ? `<div style="color:${COLOUR.muted};font-size:11px">${words.lastPeriod} ${escapeHtml(scoreValue(before, key))}</div>` : '');
	const body = rows.map((row) => {
		const before = report.previous.breakdowns?.[dimension]?.[row.name];
		return [
			escapeHtml(shortName(row.name)),
			`${bar(row.scores.csat?.value, COLOUR.thisWeek)}<div style="padding-top:2px">${cell(row.scores.csat, 'csat', before?.csat)}</div>`,
			cell(row.scores.nps, 'nps', before?.nps),
			cell(row.scores.ces, 'ces', before?.ces),
		];
	});
	const moreNote = more ? note(`And ${more} more with fewer answers.`) : '';
	return dataTable(['Segment', 'CSAT', 'NPS', 'CES'], body, ['28%', '36%', '18%', '18%']) + moreNote;
}

function firstResponseTable(report: MetricsReport, targetHours: number): string {
	const now = report.current.firstResponse;
	const before = report.previous.firstResponse;
	if (!now && !before) return note('No first-response data.');
	const hours = (value: number | null | undefined) => escapeHtml(formatValue(value ?? null, 'hours'));
	const within = (value: number | null | undefined, colour: string) => `${bar(value, colour)}<div style="padding-top:2px">${escapeHtml(formatValue(value ?? null, 'percent'))}</div>`;
	return dataTable(
		['', capital(periodWords(report).thisPeriod), capital(periodWords(report).lastPeriod)],
		[
			['Median (p50)', hours(now?.medianHours), hours(before?.medianHours)],
			['90th percentile (p90)', hours(now?.p90Hours), hours(before?.p90Hours)],
			[`Answered within ${escapeHtml(decimal.format(targetHours))} h`, within(now?.withinTargetPercent, COLOUR.thisWeek), within(before?.withinTargetPercent, COLOUR.lastWeek)],
			['Tickets answered', escapeHtml(formatNumber(now?.responded)), escapeHtml(formatNumber(before?.responded))],
			['Still unanswered past the target', escapeHtml(formatNumber(now?.unansweredPastTarget ?? 0)), escapeHtml(formatNumber(before?.unansweredPastTarget ?? 0))],
		],
		['40%', '30%', '30%'],
	) + (responseRule(report, targetHours) ? note(escapeHtml(responseRule(report, targetHours))) : '');
}

/** How response time is judged, in words: each ticket against the target, met at a share of tickets; '' for a report judged otherwise. */
function responseRule(report: MetricsReport, targetHours: number): string {
	const kpi = (report.kpis ?? []).find((candidate) => candidate.key === 'first_response');
	const metPercent = report.current.firstResponse?.metPercent ?? (kpi?.unit === 'percent' && isNumber(kpi.target) ? kpi.target : null);
	if (!isNumber(metPercent)) return '';
	return `Each ticket's first response is held to ${decimal.format(targetHours)} h; met when at least ${decimal.format(metPercent)}% of tickets are answered in time.`;
}

/** The per-ticket hours: from the report, else a KPI in hours (reports made before the share was the KPI), else the seed's 4 h. */
function responseTargetHours(report: MetricsReport): number {
	const given = report.current.firstResponse?.targetHours;
	if (isNumber(given)) return given;
	const kpi = (report.kpis ?? []).find((candidate) => candidate.key === 'first_response');
	return kpi && kpi.unit === 'hours' && isNumber(kpi.target) ? kpi.target : DEFAULT_TARGETS.firstResponseHours;
}

/** "Orders placed Sep 21, 2026 to Sep 27, 2026 (46 days before the period), ...": the return rate's cohort in words. */
function returnsRule(report: MetricsReport, timeZone?: string): string {
	const orders = report.current.orders;
	if (!orders?.cohortStart || !orders.cohortEnd) return '';
	const excluded = isNumber(orders.compensationsExcluded) && orders.compensationsExcluded > 0 ? ` ${formatNumber(orders.compensationsExcluded)} with the store's own delay compensation, which is not a return.` : '';
	return `Orders placed ${periodLabel({ start: orders.cohortStart, end: orders.cohortEnd }, timeZone)}${isNumber(orders.ageDays) ? ` (${formatNumber(orders.ageDays)} days before the period, so their return window has closed)` : ''}, returned or refunded by ${periodWords(report).periodEnd}.${excluded}`;
}

function returnsTable(report: MetricsReport, targetPercent: number, timeZone?: string): string {
	const now = report.current.orders;
	const before = report.previous.orders;
	if (!now && !before) return note('No order data.');
	const table = dataTable(
		['', capital(periodWords(report).thisPeriod), capital(periodWords(report).lastPeriod)],
		[
			['Orders', escapeHtml(formatNumber(now?.count)), escapeHtml(formatNumber(before?.count))],
			['Returned or refunded', escapeHtml(formatNumber(now?.returnedOrRefunded)), escapeHtml(formatNumber(before?.returnedOrRefunded))],
			[`Return rate (target &lt; ${escapeHtml(decimal.format(targetPercent))}%)`, escapeHtml(formatValue(now?.ratePercent ?? null, 'percent')), escapeHtml(formatValue(before?.ratePercent ?? null, 'percent'))],
		],
		['40%', '30%', '30%'],
	);
	const rule = returnsRule(report, timeZone);
	return rule ? table + note(escapeHtml(rule)) : table;
}

function lifetimeValueSection(report: MetricsReport): string {
	const now = report.current.lifetimeValue;
	const before = report.previous.lifetimeValue;
	if (!now && !before) return note('No lifetime value data.');
	const summary = dataTable(
		['', capital(periodWords(report).thisPeriod), capital(periodWords(report).lastPeriod)],
		[
			['Per customer', escapeHtml(money(now?.perCustomer, now?.currency)), escapeHtml(money(before?.perCustomer, before?.currency))],
			['Customers', escapeHtml(formatNumber(now?.customers)), escapeHtml(formatNumber(before?.customers))],
			...(now?.cohortValue || before?.cohortValue
				? [
						[`New customers' value at ${escapeHtml(formatNumber(now?.cohortValue?.ageDays ?? before?.cohortValue?.ageDays))} days`, escapeHtml(money(now?.cohortValue?.perCustomer, now?.currency)), escapeHtml(money(before?.cohortValue?.perCustomer, before?.currency))],
						['New customers in that cohort', escapeHtml(formatNumber(now?.cohortValue?.customers)), escapeHtml(formatNumber(before?.cohortValue?.customers))],
					]
				: []),
		],
		['40%', '30%', '30%'],
	) + (now?.cohortValue?.definition ? note(escapeHtml(`Growth compares ${now.cohortValue.definition}.`)) : '');
	const cohorts = (now?.byCohort ?? []).slice(-MAX_COHORTS);
	if (!cohorts.length) return summary;
	const top = cohorts.reduce((most, cohort) => Math.max(most, isNumber(cohort.perCustomer) ? cohort.perCustomer : 0), Number.NEGATIVE_INFINITY);
	const rows = cohorts.map((cohort) => [
		escapeHtml(shortName(String(cohort.cohort))),
		escapeHtml(formatNumber(cohort.customers)),
		`${bar(top > 0 ? (cohort.perCustomer / top) * 100 : 0, COLOUR.thisWeek)}<div style="padding-top:2px">${escapeHtml(money(cohort.perCustomer, now?.currency))}</div>`,
	]);
	return `${summary}<div style="height:12px;line-height:12px;font-size:1px">&nbsp;</div>${dataTable(['Cohort (first order)', 'Customers', 'Lifetime value per customer'], rows, ['30%', '20%', '50%'])}${note('Bars are relative to the highest cohort.')}`;
}

/** One row of a table of facts (ticket resolution, returns): a name, its definition under it, this period and the last. */
interface ResolutionRow {
	name: string;
	definition: string;
	now: string;
	before: string;
}

/**
 * Resolution time, first-contact resolution and reopens, each a row with its definition; none for a report made
 * before the ticket's lifecycle was measured (it has none of the three).
 */
function resolutionRows(report: MetricsReport): ResolutionRow[] {
	const now = report.current;
	const before = report.previous;
	if (!now.resolution && !before.resolution && !now.firstContactResolution && !before.firstContactResolution && !now.reopens && !before.reopens) return [];
	const hours = (value: number | null | undefined) => formatValue(value ?? null, 'hours');
	const share = (value: number | null | undefined) => formatValue(value ?? null, 'percent');
	const of = (count: number | undefined, whole: number | undefined) => (isNumber(whole) && whole > 0 ? `, ${formatNumber(count ?? 0)} of ${formatNumber(whole)}` : '');
	const resolution = now.resolution ?? before.resolution;
	const target = isNumber(resolution?.targetHours) ? resolution.targetHours : 48;
	const waited = isNumber(now.resolution?.waitingHoursExcluded) && now.resolution.waitingHoursExcluded > 0 ? ` ${formatValue(now.resolution.waitingHoursExcluded, 'hours')} waiting on customers left out ${periodWords(report).thisPeriod}.` : '';
	const resolutionDefinition = `${capital(resolution?.definition ?? `each solved ticket from creation to solve, against ${decimal.format(target)} h`)}.${waited}`;
	const fcr = now.firstContactResolution ?? before.firstContactResolution;
	const reopens = now.reopens ?? before.reopens;
	return [
		{ name: 'Resolution time, median (p50)', definition: '', now: hours(now.resolution?.p50Hours), before: hours(before.resolution?.p50Hours) },
		{ name: 'Resolution time, 90th percentile (p90)', definition: '', now: hours(now.resolution?.p90Hours), before: hours(before.resolution?.p90Hours) },
		{
			name: `Resolved within ${decimal.format(target)} h`,
			definition: resolutionDefinition,
			now: `${share(now.resolution?.withinTargetPercent)}${of(now.resolution?.withinTarget, now.resolution?.resolved)}`,
			before: `${share(before.resolution?.withinTargetPercent)}${of(before.resolution?.withinTarget, before.resolution?.resolved)}`,
		},
		{
			name: 'First-contact resolution',
			definition: fcr?.definition ? `${capital(fcr.definition)}.` : '',
			now: `${share(now.firstContactResolution?.ratePercent)}${of(now.firstContactResolution?.count, now.firstContactResolution?.solved)}`,
			before: `${share(before.firstContactResolution?.ratePercent)}${of(before.firstContactResolution?.count, before.firstContactResolution?.solved)}`,
		},
		{
			name: 'Reopen rate',
			definition: reopens?.definition ? `${capital(reopens.definition)}.` : '',
			now: `${share(now.reopens?.ratePercent)}${of(now.reopens?.count, now.reopens?.solved)}`,
			before: `${share(before.reopens?.ratePercent)}${of(before.reopens?.count, before.reopens?.solved)}`,
		},
	];
}

/** "Size too small 3, Defective 2, Color 1": a period's top return reasons with their counts; "none" without returns. */
function topReasonsText(returns: ReturnsMetric | undefined): string {
	const reasons = (returns?.topReasons ?? []).slice(0, TOP_RETURN_REASONS);
	if (!reasons.length) return returns ? 'none' : 'no data';
	return reasons.map((entry) => `${capital(shortName(String(entry.reason).toLowerCase()))} ${formatNumber(entry.count)}`).join(', ');
}

/**
 * The returns CX Returns Desk decided: how many, the top reasons, the share resolved by exchange and those declined,
 * each a row with this period and the last; none for a report made before returns were counted.
 */
function returnRows(report: MetricsReport): ResolutionRow[] {
	const now = report.current.returns;
	const before = report.previous.returns;
	if (!now && !before) return [];
	const count = (returns: ReturnsMetric | undefined, value: number | undefined) => (returns ? formatNumber(value ?? 0) : 'no data');
	const exchange = (returns: ReturnsMetric | undefined) => {
		const approved = returns?.outcomes?.approved ?? 0;
		return `${formatValue(returns?.exchangeSharePercent ?? null, 'percent')}${approved > 0 ? `, ${formatNumber(returns?.resolutions?.exchange ?? 0)} of ${formatNumber(approved)} approved` : ''}`;
	};
	return [
		{ name: 'Returns decided', definition: now?.definition ? `${capital(now.definition)}.` : '', now: count(now, now?.decided), before: count(before, before?.decided) },
		{ name: 'Top reasons', definition: '', now: topReasonsText(now), before: topReasonsText(before) },
		{ name: 'Resolved by exchange', definition: 'Exchanges over approved returns: the store keeps the sale.', now: exchange(now), before: exchange(before) },
		{ name: 'Declined', definition: '', now: count(now, now?.outcomes?.declined), before: count(before, before?.outcomes?.declined) },
	];
}

function factRowsTable(report: MetricsReport, rows: ResolutionRow[]): string {
	const words = periodWords(report);
	return dataTable(
		['', capital(words.thisPeriod), capital(words.lastPeriod)],
		rows.map((row) => [
			`${escapeHtml(row.name)}${row.definition ? `<div style="font-size:11px;color:${COLOUR.muted};padding-top:2px">${escapeHtml(row.definition)}</div>` : ''}`,
			escapeHtml(row.now),
			escapeHtml(row.before),
		]),
		['40%', '30%', '30%'],
	);
}

function returnsDecidedTable(report: MetricsReport): string {
	const rows = returnRows(report);
	return rows.length ? factRowsTable(report, rows) : '';
}

function resolutionTable(report: MetricsReport): string {
	const rows = resolutionRows(report);
	return rows.length ? factRowsTable(report, rows) : '';
}

function backlogTable(report: MetricsReport): string {
	const words = periodWords(report);
	return dataTable(['', capital(words.thisPeriod), capital(words.lastPeriod)], [[`Open tickets at ${words.periodEnd}`, escapeHtml(formatNumber(report.current.backlog)), escapeHtml(formatNumber(report.previous.backlog))]], ['40%', '30%', '30%']);
}

function methodNote(report: MetricsReport): string {
	const methods = new Set<string>();
	for (const score of SCORES) {
		const interval = report.current[score.key]?.interval;
		if (interval) methods.add(`${score.name} ${interval.method === 'adjusted_wald' ? 'adjusted Wald' : 'Wilson'} at ${decimal.format(Math.round(interval.confidence * 100))}%`);
	}
	return methods.size ? `Confidence intervals: ${[...methods].join(', ')}. Unrated answers are not counted.` : '';
}

function targetOf(report: MetricsReport, key: Kpi['key'], fallback: number): number {
	const kpi = (report.kpis ?? []).find((candidate) => candidate.key === key);
	return kpi && isNumber(kpi.target) ? kpi.target : fallback;
}

/* ------------------------------------------------------------------------------------------------ */
/* The email                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

/** seeds/000 KPIs, used only when the report carries no KPI of that key to take the target from. */
const DEFAULT_TARGETS = { firstResponseHours: 4, returnRatePercent: 5 };

export function renderKpiReportEmail(report: MetricsReport, options: KpiReportEmailOptions = {}): RenderedReport {
	const zone = zoneOf(options.timeZone);
	const words = periodWords(report);
	const subject = reportSubject(report, { ...options, timeZone: zone });
	const thisWeek = periodLabel(report.current, zone);
	const lastWeek = periodLabel(report.previous, zone);
	const { met, counted } = headline(report);
	const responseTarget = responseTargetHours(report);
	const returnTarget = targetOf(report, 'return_rate', DEFAULT_TARGETS.returnRatePercent);
	const store = options.storeName ? oneLine(options.storeName) : '';
	const prepared = moment(options.preparedAt, zone);
	const rejected = isNumber(report.rejected) && report.rejected > 0 ? report.rejected : 0;
	const resolution = resolutionTable(report);
	const returnsDecided = returnsDecidedTable(report);

	const header =
		`<tr><td bgcolor="${COLOUR.thisWeek}" style="background-color:${COLOUR.thisWeek};padding:20px 24px;${FONT};color:#ffffff">` +
		(store ? `<div style="font-size:13px">${escapeHtml(store)}</div>` : '') +
		`<div style="font-size:20px;font-weight:bold;padding:2px 0">${words.title}</div>` +
		`<div style="font-size:13px">${escapeHtml(thisWeek)}, against ${escapeHtml(lastWeek)}</div>` +
		`</td></tr>`;
	const summary =
		`<tr><td style="padding:20px 24px 0;${FONT};font-size:14px;color:${COLOUR.text}">` +
		`<strong>${met} of ${counted} KPIs met.</strong> ${escapeHtml(report.summary ?? '')}` +
		(rejected ? `<div style="padding-top:6px;font-size:12px;color:${COLOUR.worse}">${rejected} input item${rejected === 1 ? '' : 's'} could not be counted; see the metrics node's error output.</div>` : '') +
		`</td></tr>`;
	const breakdowns = DIMENSIONS.map(({ key, title }) => {
		const table = breakdownTable(report, key);
		return table ? section(title, table) : '';
	}).join('');
	const method = methodNote(report);
	const reasons = (report.reasons ?? []).map(String);
	const footer =
		`<tr><td style="padding:24px;${FONT};font-size:11px;color:${COLOUR.muted}">` +
		(method ? `<div>${escapeHtml(method)}</div>` : '') +
		(reasons.length ? `<div style="padding-top:4px">Reasons: ${escapeHtml(reasons.join(', '))}</div>` : '') +
		`<div style="padding-top:4px">Prepared by CX KPI Report${prepared ? ` on ${escapeHtml(prepared)}` : ''}.</div>` +
		`</td></tr>`;
	// shown by most clients as the preview line beside the subject, and nowhere in the body
	const preheader = `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:${COLOUR.page}">${escapeHtml(`${met} of ${counted} KPIs met. ${report.summary ?? ''}`)}</div>`;

	const html =
		'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
		`<title>${escapeHtml(subject)}</title></head>` +
		`<body style="margin:0;padding:0;background-color:${COLOUR.page}">${preheader}` +
		`<table ${LAYOUT_TABLE} width="100%" bgcolor="${COLOUR.page}" style="width:100%;background-color:${COLOUR.page}"><tr><td align="center" style="padding:16px 8px">` +
		`<table ${LAYOUT_TABLE} width="640" bgcolor="#ffffff" style="width:640px;max-width:640px;background-color:#ffffff;border:1px solid ${COLOUR.border}">` +
		header +
		alertsBox(report) +
		summary +
		section('Headline KPIs', kpiTiles(report)) +
		section(`Satisfaction: ${words.thisPeriod} against ${words.lastPeriod}`, scoresChart(report)) +
		breakdowns +
		section('First response', firstResponseTable(report, responseTarget)) +
		(resolution ? section('Ticket resolution', resolution) : '') +
		section('Orders and returns', returnsTable(report, returnTarget, zone)) +
		(returnsDecided ? section('Returns', returnsDecided) : '') +
		section('Customer lifetime value', lifetimeValueSection(report)) +
		section('Backlog', backlogTable(report)) +
		footer +
		'</table></td></tr></table></body></html>';

	return { subject, html, text: renderText(report, { subject, thisWeek, lastWeek, responseTarget, returnTarget, store, prepared, rejected, method, reasons, zone }) };
}

/* ------------------------------------------------------------------------------------------------ */
/* The plain-text part: the same facts, one per line                                                 */
/* ------------------------------------------------------------------------------------------------ */

function renderText(
	report: MetricsReport,
	facts: { subject: string; thisWeek: string; lastWeek: string; responseTarget: number; returnTarget: number; store: string; prepared: string; rejected: number; method: string; reasons: string[]; zone: string },
): string {
	const { met, counted } = headline(report);
	const words = periodWords(report);
	const lines: string[] = [];
	const block = (title: string, body: string[]) => {
		if (!body.length) return;
		lines.push('', title.toUpperCase(), ...body);
	};
	lines.push(`${words.title}${facts.store ? `: ${facts.store}` : ''}`, `${facts.thisWeek}, against ${facts.lastWeek}`);
	const alerts = report.alerts ?? [];
	block(
		`Alerts (${alerts.length})`,
		alerts.map((alert) => {
			const detail = alertFacts(alert);
			return `- ${alert.message}${detail ? ` (${detail})` : ''}`;
		}),
	);
	block('Summary', [`${met} of ${counted} KPIs met. ${report.summary ?? ''}`.trim(), ...(facts.rejected ? [`${facts.rejected} input item${facts.rejected === 1 ? '' : 's'} could not be counted.`] : [])]);
	block(
		'Headline KPIs',
		(report.kpis ?? []).map((kpi) => {
			const score = kpi.key === 'nps' ? report.current.nps : kpi.key === 'csat' ? report.current.csat : undefined;
			const rests = score ? ` [${scoreFacts(score, kpi.key as 'nps' | 'csat')}]` : kpi.definition ? ` [${kpi.definition}]` : '';
			return `- ${kpi.label}: ${formatValue(kpi.value, kpi.unit)}${rests}, target ${formatTarget(kpi)}: ${STATUS_WORDS[kpi.status] ?? kpi.status}; ${changeSentence(kpi, words)}; ${words.lastPeriod} ${formatValue(kpi.previous, kpi.unit)}`;
		}),
	);
	const scoreLines: string[] = [];
	for (const score of SCORES) {
		const now = report.current[score.key];
		const before = report.previous[score.key];
		scoreLines.push(`- ${score.name} (${score.meaning}): ${words.thisPeriod} ${scoreValue(now, score.key)} (${scoreFacts(now, score.key)}); ${words.lastPeriod} ${scoreValue(before, score.key)} (${scoreFacts(before, score.key)})`);
		if (score.key === 'nps') {
			for (const [name, period] of [[words.thisPeriod, report.current], [words.lastPeriod, report.previous]] as const) {
				const mix = npsMix(period.nps);
				scoreLines.push(`  NPS mix ${name}: promoters ${mix.shares[0]}% (${mix.promoters}), passives ${mix.shares[1]}% (${mix.passives}), detractors ${mix.shares[2]}% (${mix.detractors})`);
			}
		}
	}
	block(`Satisfaction: ${words.thisPeriod} against ${words.lastPeriod}`, scoreLines);
	for (const { key, title } of DIMENSIONS) {
		const { rows, more } = segmentsOf(report.current, key);
		const part = (metric: ScoreMetric | undefined, name: 'nps' | 'csat' | 'ces', before: ScoreMetric | undefined) =>
			`${name.toUpperCase()} ${scoreValue(metric, name)} (n ${formatNumber(metric?.sampleSize ?? 0)}${metric?.lowSample ? ', low sample' : ''}${isNumber(before?.value) ? `, ${words.lastPeriod} ${scoreValue(before, name)}` : ''})`;
		block(title, [
			...rows.map((row) => {
				const before = report.previous.breakdowns?.[key]?.[row.name];
				return `- ${shortName(row.name)}: ${part(row.scores.csat, 'csat', before?.csat)}, ${part(row.scores.nps, 'nps', before?.nps)}, ${part(row.scores.ces, 'ces', before?.ces)}`;
			}),
			...(more ? [`  and ${more} more with fewer answers`] : []),
		]);
	}
	const now = report.current;
	const before = report.previous;
	block('First response', [
		`- Median (p50): ${formatValue(now.firstResponse?.medianHours ?? null, 'hours')} (${words.lastPeriod} ${formatValue(before.firstResponse?.medianHours ?? null, 'hours')})`,
		`- 90th percentile (p90): ${formatValue(now.firstResponse?.p90Hours ?? null, 'hours')} (${words.lastPeriod} ${formatValue(before.firstResponse?.p90Hours ?? null, 'hours')})`,
		`- Answered within ${decimal.format(facts.responseTarget)} h: ${formatValue(now.firstResponse?.withinTargetPercent ?? null, 'percent')} (${words.lastPeriod} ${formatValue(before.firstResponse?.withinTargetPercent ?? null, 'percent')})`,
		`- Tickets answered: ${formatNumber(now.firstResponse?.responded)} (${words.lastPeriod} ${formatNumber(before.firstResponse?.responded)})`,
		`- Still unanswered past the target: ${formatNumber(now.firstResponse?.unansweredPastTarget ?? 0)} (${words.lastPeriod} ${formatNumber(before.firstResponse?.unansweredPastTarget ?? 0)})`,
		...(responseRule(report, facts.responseTarget) ? [`  ${responseRule(report, facts.responseTarget)}`] : []),
	]);
	block(
		'Ticket resolution',
		resolutionRows(report).flatMap((row) => [`- ${row.name}: ${row.now} (${words.lastPeriod} ${row.before})`, ...(row.definition ? [`  ${row.definition}`] : [])]),
	);
	block('Orders and returns', [
		`- Orders: ${formatNumber(now.orders?.count)} (${words.lastPeriod} ${formatNumber(before.orders?.count)})`,
		`- Returned or refunded: ${formatNumber(now.orders?.returnedOrRefunded)} (${words.lastPeriod} ${formatNumber(before.orders?.returnedOrRefunded)})`,
		`- Return rate: ${formatValue(now.orders?.ratePercent ?? null, 'percent')}, target < ${decimal.format(facts.returnTarget)}% (${words.lastPeriod} ${formatValue(before.orders?.ratePercent ?? null, 'percent')})`,
		...(returnsRule(report, facts.zone) ? [`  ${returnsRule(report, facts.zone)}`] : []),
	]);
	block(
		'Returns',
		returnRows(report).flatMap((row) => [`- ${row.name}: ${row.now} (${words.lastPeriod} ${row.before})`, ...(row.definition ? [`  ${row.definition}`] : [])]),
	);
	block('Customer lifetime value', [
		`- Per customer: ${money(now.lifetimeValue?.perCustomer, now.lifetimeValue?.currency)} (${words.lastPeriod} ${money(before.lifetimeValue?.perCustomer, before.lifetimeValue?.currency)})`,
		`- Customers: ${formatNumber(now.lifetimeValue?.customers)} (${words.lastPeriod} ${formatNumber(before.lifetimeValue?.customers)})`,
		...(now.lifetimeValue?.cohortValue
			? [
					`- New customers' value at ${formatNumber(now.lifetimeValue.cohortValue.ageDays)} days: ${money(now.lifetimeValue.cohortValue.perCustomer, now.lifetimeValue.currency)}, ${formatNumber(now.lifetimeValue.cohortValue.customers)} customers (${words.lastPeriod} ${money(before.lifetimeValue?.cohortValue?.perCustomer, before.lifetimeValue?.currency)}, ${formatNumber(before.lifetimeValue?.cohortValue?.customers)} customers)`,
					`  Growth compares ${now.lifetimeValue.cohortValue.definition}.`,
				]
			: []),
		...(now.lifetimeValue?.byCohort ?? []).slice(-MAX_COHORTS).map((cohort) => `- Cohort ${shortName(String(cohort.cohort))}: ${money(cohort.perCustomer, now.lifetimeValue?.currency)} per customer, ${formatNumber(cohort.customers)} customers`),
	]);
	block('Backlog', [`- Open tickets at ${words.periodEnd}: ${formatNumber(now.backlog)} (${words.lastPeriod} ${formatNumber(before.backlog)})`]);
	lines.push('');
	if (facts.method) lines.push(facts.method);
	if (facts.reasons.length) lines.push(`Reasons: ${facts.reasons.join(', ')}`);
	lines.push(`Prepared by CX KPI Report${facts.prepared ? ` on ${facts.prepared}` : ''}.`);
	// the report's own words (summary, alerts, labels) as they came: only a lone surrogate is replaced
	return wellFormed(lines.join('\n'));
}

/* ------------------------------------------------------------------------------------------------ */
/* Dynamic template data                                                                             */
/* ------------------------------------------------------------------------------------------------ */

/**
 * What a SendGrid dynamic template receives instead of the built-in body: the report as it is, plus the
 * words the built-in email shows (formatted values, status words, period labels), so a template need not
 * compute anything. Handlebars escapes {{ }} values itself.
 */
export function kpiReportTemplateData(report: MetricsReport, options: KpiReportEmailOptions = {}): Record<string, unknown> {
	const zone = zoneOf(options.timeZone);
	const { met, counted } = headline(report);
	return {
		subject: reportSubject(report, { ...options, timeZone: zone }),
		store_name: oneLine(options.storeName),
		period: { start: report.current.start, end: report.current.end, label: periodLabel(report.current, zone) },
		previous_period: { start: report.previous.start, end: report.previous.end, label: periodLabel(report.previous, zone) },
		summary: report.summary ?? '',
		kpis_met: met,
		kpis_counted: counted,
		has_alerts: (report.alerts ?? []).length > 0,
		alerts: (report.alerts ?? []).map((alert) => ({ ...alert, facts: alertFacts(alert) })),
		kpis: (report.kpis ?? []).map((kpi) => ({
			...kpi,
			formatted_value: formatValue(kpi.value, kpi.unit),
			formatted_previous: formatValue(kpi.previous, kpi.unit),
			formatted_target: formatTarget(kpi),
			formatted_change: formatChange(kpi.change, kpi.unit),
			status_word: STATUS_WORDS[kpi.status] ?? kpi.status,
			trend: trendOf(kpi.change),
			better: isBetter(kpi),
		})),
		current: report.current,
		previous: report.previous,
		// the ticket-resolution rows as the built-in email shows them (none for a report made before they were measured)
		ticket_resolution: resolutionRows(report),
		// the returns rows as the built-in email shows them (none for a report made before returns were counted)
		returns: returnRows(report),
		rejected: report.rejected ?? 0,
		reasons: report.reasons ?? [],
		prepared_at: oneLine(options.preparedAt),
	};
}

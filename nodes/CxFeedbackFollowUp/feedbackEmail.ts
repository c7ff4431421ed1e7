/**
 * The follow-up emails: a reminder to an owner listing their items due soon, and an escalation listing the
 * overdue ones. Pure: no n8n, no I/O, no clock (times arrive as ISO strings, day counts are computed by the
 * caller). Summaries are stored as plain text; they are escaped here, for the HTML part only.
 */
import { LAYOUT_TABLE } from '../shared/email/layout';
import { escapeHtml } from '../shared/email/html';
import { isValidTimeZone } from '../shared/time';
import { excerpt, formatTime, oneLine, type RenderedEmail } from '../shared/email/text';

/** What an email shows of a summary: enough to recognise the item; the whole text is in feedback_items. */
export const EMAIL_SUMMARY_LIMIT = 300;

export interface FeedbackLine {
	source: string;
	sourceId: string;
	customerId?: string;
	summary: string;
	owner?: string;
	/** ISO time */
	dueAt: string;
	daysLeft?: number;
	daysOverdue?: number;
}

export interface ReminderEmailInput {
	items: FeedbackLine[];
	remindDaysBefore: number;
	/** the items have no usable owner: the email goes to the escalation recipients instead */
	unowned?: boolean;
	storeName?: string;
	timeZone?: string;
}

export interface EscalationEmailInput {
	items: FeedbackLine[];
	storeName?: string;
	timeZone?: string;
}

interface Column {
	title: string;
	value: (line: FeedbackLine) => string;
	/** the cell may be long: it wraps */
	wide?: boolean;
}

interface Content {
	subject: string;
	heading: string;
	intro: string[];
	columns: Column[];
	rows: FeedbackLine[];
	timeZone: string;
	/** banner colour: blue for a reminder, red for an escalation */
	colour: string;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const zoneOf = (timeZone: string | undefined) => {
	const requested = oneLine(timeZone) || 'UTC';
	return isValidTimeZone(requested) ? requested : 'UTC';
};
const prefix = (storeName: string | undefined) => (oneLine(storeName) ? `[${oneLine(storeName)}] ` : '');
const SOURCE_NAMES: Record<string, string> = { survey: 'Survey comment', ticket: 'Ticket' };

function sourceText(line: FeedbackLine): string {
	const name = SOURCE_NAMES[line.source] ?? oneLine(line.source);
	return line.source === 'survey' ? name : `${name} ${oneLine(line.sourceId)}`;
}

function summaryText(line: FeedbackLine): string {
	return excerpt(oneLine(line.summary), EMAIL_SUMMARY_LIMIT) || '(no text)';
}

const due = (timeZone: string) => (line: FeedbackLine) => formatTime(line.dueAt, timeZone, false);

/** The earliest due date of the items, shown in the subject: what the owner must act on first. */
function earliestDue(items: FeedbackLine[], timeZone: string): string {
	const first = [...items].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
	return first ? formatTime(first.dueAt, timeZone, false) : '';
}

function reminderContent(input: ReminderEmailInput): Content {
	const timeZone = zoneOf(input.timeZone);
	const rows = [...input.items].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.sourceId.localeCompare(b.sourceId));
	const count = plural(rows.length, 'feedback item');
	const first = earliestDue(rows, timeZone);
	return {
		subject: oneLine(
			input.unowned
				? `${prefix(input.storeName)}Feedback without an owner: ${count} due soon${first ? `, the first on ${first}` : ''}`
				: `${prefix(input.storeName)}Feedback to follow up: ${count} due soon${first ? `, the first on ${first}` : ''}`,
		),
		heading: input.unowned ? 'Feedback without an owner' : 'Feedback due soon',
		intro: [
			input.unowned
				? `${count[0].toUpperCase()}${count.slice(1)} due within ${plural(input.remindDaysBefore, 'day')} ${rows.length === 1 ? 'has' : 'have'} no owner with an email address. Please give each an owner.`
				: `${count[0].toUpperCase()}${count.slice(1)} you own ${rows.length === 1 ? 'is' : 'are'} due within ${plural(input.remindDaysBefore, 'day')}.`,
			'When an item is done, set its status to resolved in feedback_items; an item still open after its due date is escalated.',
		],
		columns: [
			{ title: 'Due', value: due(timeZone) },
			{ title: 'Days left', value: (line) => (line.daysLeft === 0 ? 'due today' : String(line.daysLeft ?? '')) },
			{ title: 'Feedback', value: summaryText, wide: true },
			{ title: 'Customer', value: (line) => oneLine(line.customerId) },
			{ title: 'Source', value: sourceText },
		],
		rows,
		timeZone,
		colour: '#1d4ed8',
	};
}

function escalationContent(input: EscalationEmailInput): Content {
	const timeZone = zoneOf(input.timeZone);
	const rows = [...input.items].sort((a, b) => (b.daysOverdue ?? 0) - (a.daysOverdue ?? 0) || a.sourceId.localeCompare(b.sourceId));
	const count = plural(rows.length, 'feedback item');
	const most = rows[0]?.daysOverdue;
	return {
		subject: oneLine(`${prefix(input.storeName)}Overdue feedback: ${count} past due${most ? `, up to ${plural(most, 'day')} late` : ''}`),
		heading: 'Overdue feedback',
		intro: [
			`${count[0].toUpperCase()}${count.slice(1)} passed ${rows.length === 1 ? 'its' : 'their'} due date without being resolved.`,
			'Please follow up with each owner; an item stays open until its status is set to resolved in feedback_items.',
		],
		columns: [
			{ title: 'Days overdue', value: (line) => String(line.daysOverdue ?? '') },
			{ title: 'Due', value: due(timeZone) },
			{ title: 'Owner', value: (line) => oneLine(line.owner) || 'no owner' },
			{ title: 'Feedback', value: summaryText, wide: true },
			{ title: 'Customer', value: (line) => oneLine(line.customerId) },
			{ title: 'Source', value: sourceText },
		],
		rows,
		timeZone,
		colour: '#b91c1c',
	};
}

function renderText(content: Content): string {
	const lines = [content.heading, '', ...content.intro, ''];
	for (const row of content.rows) {
		const [first, ...rest] = content.columns;
		lines.push(`- ${first.title}: ${first.value(row)}`);
		for (const column of rest) {
			const value = column.value(row);
			if (value) lines.push(`  ${column.title}: ${value}`);
		}
	}
	lines.push('', `Dates are shown in ${content.timeZone}.`);
	return lines.join('\n') + '\n';
}

const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const CELL = `${FONT}font-size:14px;line-height:1.5;color:#18181b;padding:6px 8px;vertical-align:top;border-bottom:1px solid #e4e4e7;`;

function renderHtml(content: Content): string {
	const head = content.columns.map((column) => `<th align="left" style="${CELL}color:#52525b;white-space:nowrap;">${escapeHtml(column.title)}</th>`).join('');
	const rows = content.rows
		.map((row) => `<tr>${content.columns.map((column) => `<td style="${CELL}${column.wide ? 'word-break:break-word;' : 'white-space:nowrap;'}">${escapeHtml(column.value(row))}</td>`).join('')}</tr>`)
		.join('');
	const intro = content.intro.map((paragraph) => `<p style="${FONT}font-size:14px;line-height:1.5;color:#18181b;margin:0 0 8px 0;">${escapeHtml(paragraph)}</p>`).join('');
	return (
		'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
		`<title>${escapeHtml(content.subject)}</title></head><body style="margin:0;padding:0;background-color:#f4f4f5;">` +
		`<table ${LAYOUT_TABLE} width="100%" bgcolor="#f4f4f5" style="background-color:#f4f4f5;"><tr><td align="center" style="padding:24px 12px;">` +
		`<table ${LAYOUT_TABLE} width="720" bgcolor="#ffffff" style="width:100%;max-width:720px;background-color:#ffffff;border:1px solid #e4e4e7;">` +
		`<tr><td bgcolor="${content.colour}" style="${FONT}background-color:${content.colour};color:#ffffff;padding:16px 24px;">` +
		`<h1 style="${FONT}margin:0;font-size:20px;line-height:1.3;color:#ffffff;">${escapeHtml(content.heading)}</h1></td></tr>` +
		`<tr><td style="padding:16px 24px;">${intro}` +
		`<table ${LAYOUT_TABLE} width="100%" style="border-collapse:collapse;margin-top:8px;"><tr>${head}</tr>${rows}</table></td></tr>` +
		`<tr><td style="${FONT}font-size:12px;line-height:1.5;color:#71717a;padding:12px 24px;border-top:1px solid #e4e4e7;">Dates are shown in ${escapeHtml(content.timeZone)}.</td></tr>` +
		'</table></td></tr></table></body></html>'
	);
}

function render(content: Content): RenderedEmail {
	return { subject: content.subject, html: renderHtml(content), text: renderText(content) };
}

/** One owner's reminder: every item of theirs due soon, in one email. */
export function renderReminderEmail(input: ReminderEmailInput): RenderedEmail {
	return render(reminderContent(input));
}

/** The escalation: every overdue item, with its owner and days overdue, in one email. */
export function renderOverdueEmail(input: EscalationEmailInput): RenderedEmail {
	return render(escalationContent(input));
}

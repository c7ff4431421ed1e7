/**
 * Text for people, the same in every email: one-line and multi-line clean-up (no control characters, so no
 * header injection), excerpts cut at a word and a code point, and times in a time zone as a person writes them.
 */

/** What every email module renders: the subject and both parts. */
export interface RenderedEmail {
	subject: string;
	html: string;
	text: string;
}

/** Characters of a customer's text an email quotes. */
export const BODY_EXCERPT_LIMIT = 1000;
const ELLIPSIS = '…';

/** One line, no control characters: CR/LF in an email subject would let text inject mail headers. */
export function oneLine(text: unknown): string {
	return String(text ?? '')
		.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

/** Keeps line breaks (as \n) and drops other control characters. */
export function multiLine(text: unknown): string {
	return String(text ?? '')
		.replace(/\r\n?|[\u2028\u2029]/g, '\n')
		.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ')
		.replace(/[ \t]+\n/g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/** Cuts at a code-point boundary, so no half of a surrogate pair is left behind. */
function codePointSlice(text: string, length: number): string {
	return Array.from(text).slice(0, length).join('');
}

export function truncate(text: string, limit: number): string {
	if (Array.from(text).length <= limit) return text;
	return codePointSlice(text, limit - 1).trimEnd() + ELLIPSIS;
}

/** Cuts at a word boundary within the limit, with an ellipsis; a single giant word is cut hard. */
export function excerpt(text: string, limit = BODY_EXCERPT_LIMIT): string {
	const characters = Array.from(text);
	if (characters.length <= limit) return text;
	const head = characters.slice(0, limit).join('');
	const nextIsSpace = /\s/.test(characters[limit]);
	const lastSpace = head.search(/\s\S*$/);
	// a word longer than half the excerpt (a pasted link, say) is cut hard rather than dropped whole
	const cut = nextIsSpace ? head : lastSpace >= limit / 2 ? head.slice(0, lastSpace) : head;
	return cut.trimEnd() + ELLIPSIS;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
	const key = `${timeZone}|${withTime}`;
	let format = dateTimeFormats.get(key);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			year: 'numeric',
			month: 'short',
			day: 'numeric',
			...(withTime ? { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
		});
		dateTimeFormats.set(key, format);
	}
	return format;
}

/** "Mon, Nov 2, 2026, 11:00 (Europe/Berlin)"; text that is not a time is shown as it came. */
export function formatTime(iso: string, timeZone: string, withTime = true): string {
	const instant = new Date(iso);
	if (!iso || Number.isNaN(instant.getTime())) return oneLine(iso);
	const parts: Record<string, string> = {};
	for (const part of dateTimeFormat(timeZone, withTime).formatToParts(instant)) parts[part.type] = part.value;
	const date = `${parts.month} ${parts.day}, ${parts.year}`;
	return withTime ? `${parts.weekday}, ${date}, ${parts.hour}:${parts.minute} (${timeZone})` : date;
}

/**
 * Text for people, the same in every email: one-line and multi-line clean-up (no control characters, so no
 * header injection), excerpts cut at a word and a code point, and times in a time zone as a person writes them.
 */

import { wellFormed } from '../items';
import { zoneOffsetMs } from '../time';

/** What every email module renders: the subject and both parts. */
export interface RenderedEmail {
	subject: string;
	html: string;
	text: string;
}

/** Characters of a customer's text an email quotes. */
export const BODY_EXCERPT_LIMIT = 1000;
const ELLIPSIS = '…';

/**
 * Text that goes into a body SendGrid fills in with substitutions: a "{{" or "}}" in it is broken up, so store or
 * customer text cannot become a tag that SendGrid replaces with another value (one escaped for another part).
 */
export function untagged(text: string): string {
	return text.replace(/\{\{/g, '{ {').replace(/\}\}/g, '} }');
}

/** One line, no control characters: CR/LF in an email subject would let text inject mail headers. */
export function oneLine(text: unknown): string {
	// a lone surrogate (half an emoji) would make the message refused as JSON or written as invalid UTF-8
	return wellFormed(String(text ?? ''))
		.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

/** Keeps line breaks (as \n) and drops other control characters. */
export function multiLine(text: unknown): string {
	return wellFormed(String(text ?? ''))
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

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const twoDigits = (value: number) => String(value).padStart(2, '0');

/** "Mon, Nov 2, 2026, 11:00 (Europe/Berlin)"; text that is not a time is shown as it came. */
export function formatTime(iso: string, timeZone: string, withTime = true): string {
	const instant = new Date(iso);
	if (!iso || Number.isNaN(instant.getTime())) return oneLine(iso);
	return formatInstant(instant, timeZone, withTime);
}

/** formatTime for an instant in hand (a valid Date): "Mon, Nov 2, 2026, 11:00 (Europe/Berlin)". */
export function formatInstant(instant: Date, timeZone: string, withTime = true): string {
	// the zone's wall clock read off the shifted instant: Intl once per zone and quarter hour, not once per time shown
	const local = new Date(instant.getTime() + zoneOffsetMs(instant, timeZone));
	const date = `${MONTHS[local.getUTCMonth()]} ${local.getUTCDate()}, ${local.getUTCFullYear()}`;
	return withTime ? `${WEEKDAYS[local.getUTCDay()]}, ${date}, ${twoDigits(local.getUTCHours())}:${twoDigits(local.getUTCMinutes())} (${timeZone})` : date;
}

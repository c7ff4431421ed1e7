/**
 * Reading fields from input items, with errors that name the field and say what to fix. Field names are
 * parameters (a helpdesk export may say `description` where we say `body`), and may be dot paths.
 */
import type { IDataObject } from 'n8n-workflow';
import { orderGid } from './contract/order';

export class InputProblem extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly fix: string,
	) {
		super(message);
		this.name = 'InputProblem';
	}
}

export function readPath(json: IDataObject, path: string): unknown {
	if (Object.hasOwn(json, path)) return json[path];
	let value: unknown = json;
	for (const key of path.split('.')) {
		// own fields only: "constructor" or "__proto__" in a path is never the object's machinery
		if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

/** Half an emoji (a surrogate without its pair) cannot be stored as JSON or sent to Shopify: it becomes U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** Text as the services take it: a lone surrogate replaced, so one broken character never fails a whole batch. */
export function wellFormed(text: string): string {
	return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, '\uFFFD') : text;
}

/** Absent, null, or text of nothing but spaces. */
export const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** Text, or for identifiers (`numbersAsText`) a number: ids and order numbers often arrive as numbers. */
export function optionalString(json: IDataObject, path: string, maxLength = 10_000, numbersAsText = false): string | undefined {
	const value = readPath(json, path);
	if (isBlank(value)) return undefined;
	if (numbersAsText && typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	if (typeof value !== 'string') {
		throw new InputProblem(path, `Field "${path}" must be text but is ${describeValue(value)}`, `Map "${path}" to a text value, or change the field name in the node's Input Fields.`);
	}
	if (value.length > maxLength) {
		throw new InputProblem(
			path,
			`Field "${path}" is ${value.length.toLocaleString('en-US')} characters long; the limit is ${maxLength.toLocaleString('en-US')}`,
			`Trim "${path}" (quoted history or a pasted attachment, usually) or raise the limit in the node's options.`,
		);
	}
	return wellFormed(value.trim());
}

export function requiredString(json: IDataObject, path: string, maxLength?: number): string {
	const value = optionalString(json, path, maxLength);
	if (value === undefined) {
		throw new InputProblem(path, `Field "${path}" is missing or empty`, `Give every item a "${path}", or point the node's Input Fields at the field that holds it.`);
	}
	return value;
}

/**
 * An ISO 8601 date or time as the services and helpdesks write it: 2026-11-02, 2026-11-02T14:30:00Z,
 * 2026-11-02 14:30:00.123+01:00. Anything else ("Ticket 12", "02/11/2026") is refused rather than guessed at.
 */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** The date of a text, or undefined: ISO 8601 only, and a day that exists ("2026-02-30" is not March 2). */
function isoDate(text: string): Date | undefined {
	const parts = ISO_TIME.exec(text.trim());
	if (!parts) return undefined;
	const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
	const calendar = new Date(Date.UTC(year, month - 1, day));
	if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
	if (parts[4] !== undefined && (Number(parts[4]) > 23 || Number(parts[5]) > 59 || Number(parts[6] ?? 0) > 59)) return undefined;
	// a time without a zone is UTC, as the pack stores every time
	const zoned = parts[4] !== undefined && !/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(text.trim()) ? `${text.trim().replace(' ', 'T')}Z` : text.trim().replace(' ', 'T');
	const date = new Date(parts[4] === undefined ? `${text.trim()}T00:00:00Z` : zoned);
	return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The date a value names, or undefined: an ISO 8601 text of a day that exists, or a Unix time in seconds or
 * milliseconds after 1970 (a negative one is a mistake, not 1969).
 */
export function dateValue(value: unknown): Date | undefined {
	const date = typeof value === 'number' ? (value > 0 && Number.isFinite(value) ? new Date(value < 1e12 ? value * 1000 : value) : undefined) : typeof value === 'string' ? isoDate(value) : undefined;
	return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

export function optionalDate(json: IDataObject, path: string): Date | undefined {
	const value = readPath(json, path);
	if (isBlank(value)) return undefined;
	const date = dateValue(value);
	if (!date) {
		throw new InputProblem(path, `Field "${path}" is not a valid date: ${describeValue(value)}`, `Use an ISO 8601 time such as 2026-11-02T14:30:00Z, or a Unix timestamp.`);
	}
	return date;
}

/**
 * An email address as the pack accepts one, wherever it comes from (an item, a recipient list, an option): one
 * address, an "@" with a dotted domain, no spaces, no list separators or brackets, and no invisible characters (a
 * zero-width space or a direction mark makes an address that looks right and bounces, or is another person's).
 */
export function isEmailAddress(text: string): boolean {
	if (text.length > 254 || /[\p{Cc}\p{Cf}\p{Z}]/u.test(text)) return false;
	const match = /^([^\s@,;<>()[\]"\\]+)@([^\s@,;<>()[\]"\\]+\.[^\s@,;<>()[\]"\\.]{2,})$/.exec(text);
	return !!match && match[1].length <= 64 && !match[2].split('.').some((label) => !label);
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** The number a text writes as a decimal ("129.90", "-3", ".5"), else NaN: "0x9", "1e1", "12abc" and "" are none. */
export function decimalOf(text: string): number {
	const trimmed = text.trim();
	return DECIMAL.test(trimmed) ? Number(trimmed) : Number.NaN;
}

export function optionalNumber(json: IDataObject, path: string): number | undefined {
	const value = readPath(json, path);
	if (isBlank(value)) return undefined;
	// a decimal as people write one: "0x9", "1e1" and "12abc" are not the 9, 10 and 12 Number() makes of them
	const number = typeof value === 'string' ? decimalOf(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) {
		throw new InputProblem(path, `Field "${path}" is not a number: ${describeValue(value)}`, `Map "${path}" to a number such as 129.90.`);
	}
	return number;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], path: string): T | undefined {
	if (value === undefined) return undefined;
	const normalised = value.trim().toLowerCase();
	if (!(allowed as readonly string[]).includes(normalised)) {
		throw new InputProblem(path, `Field "${path}" is "${value}", which is not one of ${allowed.join(', ')}`, `Map "${path}" to one of: ${allowed.join(', ')}.`);
	}
	return normalised as T;
}

/** A money amount given as a number or a decimal text: 0 or more (a negative amount is a mistake, never a credit). */
export function optionalAmount(json: IDataObject, path: string): number | undefined {
	const amount = optionalNumber(json, path);
	if (amount !== undefined && amount < 0) {
		throw new InputProblem(path, `Field "${path}" is ${amount}; an amount cannot be negative`, `Map "${path}" to an amount of 0 or more, such as 129.90.`);
	}
	return amount;
}

/** A whole number from `min` to `max` (a score, a count): 4.5 or 11 on a 0-10 scale is refused, not rounded or clipped. */
export function optionalWholeNumber(json: IDataObject, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
	const number = optionalNumber(json, path);
	if (number !== undefined && (!Number.isInteger(number) || number < min || number > max)) {
		const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
		throw new InputProblem(path, `Field "${path}" is ${number}; it must be a whole number ${range}`, `Map "${path}" to a whole number ${range}.`);
	}
	return number;
}

/** How far after the run's "now" a time may be before it is refused as a time that has not come: clocks differ a little. */
export const FUTURE_GRACE_MS = 86_400_000;

/** A time that has passed (an order placed, a ticket opened, a parcel delivered): a date, and not later than `now` allows. */
export function pastDate(json: IDataObject, path: string, now: Date | undefined): Date | undefined {
	const date = optionalDate(json, path);
	if (date && now) notInFuture(date, path, now);
	return date;
}

/** Throws an InputProblem naming `path` when `date` is later than `now` allows. */
export function notInFuture(date: Date, path: string, now: Date): void {
	if (date.getTime() > now.getTime() + FUTURE_GRACE_MS) {
		throw new InputProblem(path, `Field "${path}" is ${date.toISOString()}, after the run's time (${now.toISOString()})`, `Map "${path}" to a time that has passed; check the year and the time zone, or the node's Now option.`);
	}
}

/** One email address (isEmailAddress), or undefined when the field is empty. */
export function optionalEmail(json: IDataObject, path: string): string | undefined {
	const email = optionalString(json, path, 320);
	if (email !== undefined && !isEmailAddress(email)) {
		throw new InputProblem(path, `Field "${path}" is ${JSON.stringify(email.slice(0, 80))}, which is not one email address`, `Map "${path}" to the customer's email address, or leave it empty.`);
	}
	return email;
}

/** Shopify allows a tag of up to 255 characters. */
const MAX_TAG_LENGTH = 255;

/** Tags as a list of texts or a comma-separated text ("VIP, wholesale"); undefined when the field is empty. */
export function optionalTags(json: IDataObject, path: string): string[] | undefined {
	const value = readPath(json, path);
	if (isBlank(value)) return undefined;
	const fix = `Map "${path}" to the customer's tags: a list of texts, or a comma-separated text such as "VIP, wholesale".`;
	const entries = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
	if (!entries) throw new InputProblem(path, `Field "${path}" must be a list of tags or a comma-separated text, not ${describeValue(value)}`, fix);
	return entries
		.map((entry, index) => {
			if (typeof entry !== 'string' && !(typeof entry === 'number' && Number.isFinite(entry))) {
				throw new InputProblem(path, `Field "${path}" has a tag that is not text (position ${index + 1}): ${describeValue(entry)}`, fix);
			}
			const tag = wellFormed(String(entry).trim());
			if (tag.length > MAX_TAG_LENGTH) throw new InputProblem(path, `Field "${path}" has a tag of ${tag.length.toLocaleString('en-US')} characters (position ${index + 1}); Shopify allows ${MAX_TAG_LENGTH}`, fix);
			return tag;
		})
		.filter(Boolean);
}

/** A value as an error message names it: its kind, or the text itself (cut at 40 characters). */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
	return `${typeof value} ${String(value)}`;
}

/**
 * The Shopify order an item names in `path` (a numeric ID, as a Shopify webhook's `id` or `order_id` gives it, or
 * a GID), as a GID; or the problem, naming the field.
 */
export function namedOrder(json: IDataObject, path: string): string | InputProblem {
	const value = readPath(json, path);
	const gid = orderGid(value);
	if (gid) return gid;
	const what = value === undefined || value === null || value === '' ? 'is missing' : `is "${String(value)}", not a Shopify order ID`;
	return new InputProblem(path, `Field "${path}" ${what}`, 'Map it to the order\'s numeric ID (a Shopify webhook\'s id, or order_id for a fulfillment or refund) or its GID (gid://shopify/Order/...).');
}

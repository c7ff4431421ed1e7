'use strict';
/**
 * SendGrid's Email Activity Feed, `GET /v3/messages?query=...&limit=...`, read from the stand-in's outbox
 * (https://www.twilio.com/docs/sendgrid/api-reference/email-activity/filter-all-messages). Each recipient (to, cc and
 * bcc) of an accepted request is a message of its own; its msg_id starts with the request's X-Message-Id and a dot,
 * as SendGrid's do (`<X-Message-Id>.filterdrecv-...`), so `msg_id LIKE '<X-Message-Id>%'` finds a whole request
 * (https://support.sendgrid.com/hc/en-us/articles/35804743679259). Newest first, `limit` (1-1000, default 10) at most.
 *
 * The query language, the part of it a client uses (https://www.twilio.com/docs/sendgrid/for-developers/sending-email/getting-started-email-activity-api#query-reference):
 *   to_email="a@b.c"  from_email="..."  subject="..."  msg_id="..."  status="processed"|"delivered"|"not_delivered"
 *   template_id="..."  categories="..."  Contains(categories,"...")  unique_args['name']="value"  unique_args="value"
 *   operators = != LIKE NOT LIKE ('%' any run, '_' one character) IN ("a","b") NOT IN; terms joined by AND / OR (AND
 *   first, keywords in any case), parentheses; strings in double or single quotes, `\` escapes. Email addresses compare
 *   without case. unique_args are the request's custom_args with the personalization's over them, as SendGrid shows them.
 * Anything else is a 400 `{errors: [{message: "invalid syntax: ..."}]}` naming the problem, as SendGrid words its own.
 */

/** Fields SendGrid knows; those the stand-in can filter on map to the entry's own. */
const FIELDS = {
	msg_id: 'msg_id',
	from_email: 'from_email',
	to_email: 'to_email',
	subject: 'subject',
	status: 'status',
	template_id: 'template_id',
	categories: 'categories',
	unique_args: 'unique_args',
};
/** In SendGrid's query reference, but not kept by the stand-in: refused by name rather than matched wrongly. */
const UNSUPPORTED = [
	'template_name', 'campaign_name', 'campaign_id', 'api_key_id', 'api_key_name', 'events', 'originating_ip', 'outbound_ip',
	'last_event_time', 'clicks', 'opens', 'unsubscribe_group_name', 'unsubscribe_group_id', 'asm_group_id', 'teammate',
];
const CASELESS = new Set(['to_email', 'from_email']);
/** What SendGrid answers for each message ("Abbv. Message"); the other fields of an entry serve the query only. */
const SHOWN = ['from_email', 'msg_id', 'subject', 'to_email', 'status', 'opens_count', 'clicks_count', 'last_event_time'];
const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 10;

class QueryError extends Error {}
const syntax = (message) => new QueryError(`invalid syntax: ${message}`);

function tokenize(text) {
	const tokens = [];
	let at = 0;
	while (at < text.length) {
		const c = text[at];
		if (/\s/.test(c)) {
			at += 1;
			continue;
		}
		if (c === '"' || c === "'") {
			let value = '';
			let end = at + 1;
			for (; end < text.length && text[end] !== c; end += 1) {
				if (text[end] === '\\' && end + 1 < text.length) end += 1;
				value += text[end];
			}
			if (end >= text.length) throw syntax(`the string at position ${at} has no closing ${c}`);
			tokens.push({ type: 'string', value, at });
			at = end + 1;
			continue;
		}
		if (c === '!' && text[at + 1] === '=') {
			tokens.push({ type: 'op', value: '!=', at });
			at += 2;
			continue;
		}
		if ('()[],='.includes(c)) {
			tokens.push({ type: c === '=' ? 'op' : 'punct', value: c, at });
			at += 1;
			continue;
		}
		const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(at));
		if (word) {
			const upper = word[0].toUpperCase();
			const keyword = ['AND', 'OR', 'NOT', 'LIKE', 'IN'].includes(upper);
			tokens.push({ type: keyword ? 'keyword' : 'word', value: keyword ? upper : word[0], at });
			at += word[0].length;
			continue;
		}
		const number = /^-?\d+(\.\d+)?/.exec(text.slice(at));
		if (number) {
			tokens.push({ type: 'string', value: number[0], at });
			at += number[0].length;
			continue;
		}
		throw syntax(`unexpected '${c}' at position ${at}`);
	}
	return tokens;
}

/** The query as a tree of `{and|or: [...]}` and conditions `{field, key?, op, values}`. */
function parseQuery(text) {
	const tokens = tokenize(text);
	let i = 0;
	const peek = () => tokens[i];
	const describe = (token) => (token ? `'${token.type === 'string' ? `"${token.value}"` : token.value}' at position ${token.at}` : 'the end of the query');
	const expect = (type, value) => {
		const token = tokens[i];
		if (!token || token.type !== type || (value !== undefined && token.value !== value)) {
			throw syntax(`expected ${value ?? (type === 'string' ? 'a quoted value' : type)}, found ${describe(token)}`);
		}
		i += 1;
		return token;
	};
	const isKeyword = (value) => peek()?.type === 'keyword' && peek().value === value;

	function field() {
		const name = expect('word').value;
		const lower = name.toLowerCase();
		if (UNSUPPORTED.includes(lower)) throw syntax(`'${name}' is a SendGrid field the stand-in does not filter on (it filters on ${Object.keys(FIELDS).join(', ')})`);
		if (!FIELDS[lower]) throw syntax(`'${name}' is not a known field`);
		let key;
		if (peek()?.value === '[') {
			if (lower !== 'unique_args') throw syntax(`only unique_args takes a key, not '${name}'`);
			i += 1;
			key = expect('string').value;
			expect('punct', ']');
		}
		return { field: FIELDS[lower], key };
	}

	function condition() {
		// Contains(categories, "x"): a value in a list field
		if (peek()?.type === 'word' && peek().value.toLowerCase() === 'contains' && tokens[i + 1]?.value === '(') {
			i += 2;
			const target = field();
			if (target.field !== 'categories') throw syntax('Contains() takes categories and a value: Contains(categories,"value")');
			expect('punct', ',');
			const value = expect('string').value;
			expect('punct', ')');
			return { ...target, op: '=', values: [value] };
		}
		const target = field();
		let negated = false;
		if (isKeyword('NOT')) {
			negated = true;
			i += 1;
			if (!isKeyword('LIKE') && !isKeyword('IN')) throw syntax(`expected LIKE or IN after NOT, found ${describe(peek())}`);
		}
		const token = peek();
		let op;
		if (token?.type === 'op') op = token.value;
		else if (token?.type === 'keyword' && (token.value === 'LIKE' || token.value === 'IN')) op = token.value;
		else throw syntax(`expected an operator (=, !=, LIKE, IN) after ${target.field}, found ${describe(token)}`);
		i += 1;
		let values;
		if (op === 'IN') {
			expect('punct', '(');
			values = [expect('string').value];
			while (peek()?.value === ',') {
				i += 1;
				values.push(expect('string').value);
			}
			expect('punct', ')');
		} else {
			values = [expect('string').value];
		}
		return { ...target, op: negated ? `NOT ${op}` : op, values };
	}

	function unary() {
		if (peek()?.value === '(') {
			i += 1;
			const inner = disjunction();
			expect('punct', ')');
			return inner;
		}
		return condition();
	}

	function conjunction() {
		const terms = [unary()];
		while (isKeyword('AND')) {
			i += 1;
			terms.push(unary());
		}
		return terms.length === 1 ? terms[0] : { and: terms };
	}

	function disjunction() {
		const terms = [conjunction()];
		while (isKeyword('OR')) {
			i += 1;
			terms.push(conjunction());
		}
		return terms.length === 1 ? terms[0] : { or: terms };
	}

	if (tokens.length === 0) return undefined;
	const tree = disjunction();
	if (i < tokens.length) throw syntax(`unexpected ${describe(tokens[i])}; join terms with AND or OR`);
	return tree;
}

/** SQL LIKE: `%` any run, `_` one character, `\` escapes either. */
function likePattern(pattern, caseless) {
	let source = '';
	for (let k = 0; k < pattern.length; k += 1) {
		const c = pattern[k];
		if (c === '\\' && k + 1 < pattern.length) source += pattern[++k].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		else if (c === '%') source += '[\\s\\S]*';
		else if (c === '_') source += '[\\s\\S]';
		else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${source}$`, caseless ? 'i' : '');
}

function matches(node, entry) {
	if (!node) return true;
	if (node.and) return node.and.every((term) => matches(term, entry));
	if (node.or) return node.or.some((term) => matches(term, entry));
	const caseless = CASELESS.has(node.field);
	let candidates;
	if (node.field === 'categories') candidates = entry.categories;
	else if (node.field === 'unique_args') candidates = node.key === undefined ? Object.values(entry.unique_args) : [entry.unique_args[node.key]];
	else candidates = [entry[node.field]];
	candidates = candidates.filter((value) => value !== undefined && value !== null).map(String);
	// SQL: a missing value matches no comparison, negated or not
	if (candidates.length === 0) return false;
	const norm = (value) => (caseless ? value.toLowerCase() : value);
	const equal = (value) => node.values.some((wanted) => norm(value) === norm(wanted));
	const like = (value) => likePattern(node.values[0], caseless).test(value);
	switch (node.op) {
		case '=':
		case 'IN':
			return candidates.some(equal);
		case '!=':
		case 'NOT IN':
			return !candidates.some(equal);
		case 'LIKE':
			return candidates.some(like);
		case 'NOT LIKE':
			return !candidates.some(like);
		default:
			return false;
	}
}

const isoSeconds = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** One feed entry per recipient of each accepted request, newest request first. */
function feedEntries(messages, { now, visibleAfterMs, deliveredAfterMs }) {
	const entries = [];
	for (const message of [...messages].reverse()) {
		const received = Date.parse(message.receivedAt);
		// SendGrid's feed shows a message some time after it was accepted
		if (now - received < visibleAfterMs) continue;
		const delivered = now - received >= deliveredAfterMs;
		const stamp = Math.floor(received / 1000).toString(16).toUpperCase();
		let n = 0;
		for (const delivery of message.deliveries) {
			for (const recipient of [...delivery.to, ...delivery.cc, ...delivery.bcc]) {
				entries.push({
					from_email: delivery.from?.email ?? null,
					msg_id: `${message.messageId}.filterdrecv-standin-1-${stamp}-${n.toString(16).toUpperCase()}.0`,
					subject: delivery.subject ?? '',
					to_email: recipient.email,
					status: delivered ? 'delivered' : 'processed',
					opens_count: 0,
					clicks_count: 0,
					last_event_time: isoSeconds(delivered ? received + deliveredAfterMs : received),
					template_id: delivery.templateId,
					categories: delivery.categories,
					unique_args: delivery.customArgs,
				});
				n += 1;
			}
		}
	}
	return entries;
}

/** `limit` as SendGrid takes it: an integer from 1 to 1000, 10 when absent. */
function parseLimit(raw) {
	if (raw === undefined) return DEFAULT_LIMIT;
	const text = String(raw).trim();
	const limit = /^\d+$/.test(text) ? Number(text) : Number.NaN;
	if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new QueryError(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
	return limit;
}

const DEFAULTS = { enabled: true, visibleAfterMs: 0, deliveredAfterMs: 0 };

/** The add-on's switch and the feed's timing, set by the tests (POST /__standin/activity). */
class ActivitySettings {
	constructor() {
		this.reset();
	}

	configure({ enabled, visibleAfterMs, deliveredAfterMs }) {
		if (enabled !== undefined && typeof enabled !== 'boolean') throw new Error('enabled must be true or false');
		for (const [name, value] of Object.entries({ visibleAfterMs, deliveredAfterMs })) {
			if (value !== undefined && !(Number(value) >= 0)) throw new Error(`${name} must be a number of milliseconds, 0 or more`);
		}
		if (enabled !== undefined) this.enabled = enabled;
		if (visibleAfterMs !== undefined) this.visibleAfterMs = Number(visibleAfterMs);
		if (deliveredAfterMs !== undefined) this.deliveredAfterMs = Number(deliveredAfterMs);
		return this.state();
	}

	reset() {
		Object.assign(this, DEFAULTS);
		return this.state();
	}

	state() {
		return { enabled: this.enabled, visibleAfterMs: this.visibleAfterMs, deliveredAfterMs: this.deliveredAfterMs };
	}
}

/** The answer to `GET /v3/messages`: `{status, body}`. */
function filterMessages(outbox, settings, { query, limit }) {
	try {
		const max = parseLimit(limit);
		if (Array.isArray(query)) throw new QueryError('invalid syntax: give one query');
		const tree = parseQuery(String(query ?? ''));
		const entries = feedEntries(outbox.messages, { now: Date.now(), visibleAfterMs: settings.visibleAfterMs, deliveredAfterMs: settings.deliveredAfterMs });
		const messages = entries
			.filter((entry) => matches(tree, entry))
			.slice(0, max)
			.map((entry) => Object.fromEntries(SHOWN.map((name) => [name, entry[name]])));
		return { status: 200, body: { messages } };
	} catch (error) {
		if (!(error instanceof QueryError)) throw error;
		const field = error.message.startsWith('limit') ? { field: 'limit' } : {};
		return { status: 400, body: { errors: [{ ...field, message: error.message }] } };
	}
}

module.exports = { filterMessages, parseQuery, ActivitySettings };

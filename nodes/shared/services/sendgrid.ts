/**
 * SendGrid: the only module that sends email, through the official client. A client per execution from
 * the credential (the SDK's default export is a process-wide singleton, unsafe between credentials),
 * personalizations batched up to SendGrid's 1000 per request, rate limits waited out.
 */
import { Client } from '@sendgrid/client';
import { MailService, type MailDataRequired } from '@sendgrid/mail';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { NEVER_REACHED, withRetry, type Transience } from '../retry';

export const SENDGRID_CREDENTIAL = 'cxSendGridApi';

/** SendGrid v3 mail/send accepts at most 1000 personalizations per request. */
export const MAX_PERSONALIZATIONS = 1000;

/**
 * Recipients cut into the requests SendGrid takes: at most MAX_PERSONALIZATIONS each, and an address at most once in
 * a request ("Each unique email address in the personalizations array should only be included once": a customer
 * with two tickets, or two customers sharing an address, would fail the whole request). In their order; a repeated
 * address goes to the next request that does not hold it yet.
 */
export function mailBatches<T>(entries: T[], emailOf: (entry: T) => string, size = MAX_PERSONALIZATIONS): T[][] {
	const batches: Array<{ entries: T[]; addresses: Set<string> }> = [];
	let open = 0;
	for (const entry of entries) {
		const address = emailOf(entry).trim().toLowerCase();
		let at = open;
		while (at < batches.length && (batches[at].entries.length >= size || batches[at].addresses.has(address))) at++;
		if (at === batches.length) batches.push({ entries: [], addresses: new Set() });
		batches[at].entries.push(entry);
		batches[at].addresses.add(address);
		while (open < batches.length && batches[open].entries.length >= size) open++;
	}
	return batches.map((batch) => batch.entries);
}

/**
 * A display name as SendGrid reads it. SendGrid takes a name and its address as one mailbox ("name <email>"), so a
 * comma or semicolon in a name ("Smith, Jo") splits it into addresses that are none and the whole request is
 * refused; wrapped in double quotes (inner quotes and backslashes escaped) the name arrives as written. Line breaks
 * become spaces; a name that is only blanks is left out. Only names that need it are quoted: some mail programs
 * show the quotes.
 */
export function mailboxName(name: string | undefined): string | undefined {
	if (typeof name !== 'string') return undefined;
	const plain = name.replace(/[\r\n\t]+/g, ' ').trim();
	if (!plain) return undefined;
	return /[,;]/.test(plain) ? `"${plain.replace(/["\\]/g, (character) => `\\${character}`)}"` : plain;
}

type Mailbox = { email: string; name?: string };

/** Every name of a message's mailboxes (sender, reply-to, recipients, per personalization) as SendGrid reads them. */
function readableMailboxes<T extends object>(data: T): T {
	const mailbox = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(mailbox);
		if (!value || typeof value !== 'object' || !('email' in value)) return value;
		const { name, ...rest } = value as Mailbox;
		const readable = mailboxName(name);
		return readable === undefined ? rest : { ...rest, name: readable };
	};
	const fields = (object: Record<string, unknown>) => {
		const copy = { ...object };
		for (const key of ['from', 'to', 'cc', 'bcc', 'replyTo']) if (key in copy) copy[key] = mailbox(copy[key]);
		return copy;
	};
	const message = fields(data as Record<string, unknown>);
	if (Array.isArray(message.personalizations)) message.personalizations = message.personalizations.map((personalization: Record<string, unknown>) => fields(personalization));
	return message as T;
}

interface SendGridCredentials {
	apiKey: string;
	senderEmail: string;
	senderName?: string;
	baseUrl?: string;
}

export interface Recipient {
	email: string;
	name?: string;
	/** Dynamic template data, or substitutions for a built-in body. */
	data?: Record<string, unknown>;
	customArgs?: Record<string, string>;
	/** Legacy substitutions for a built-in body: each key is replaced literally in the subject and content. */
	substitutions?: Record<string, string>;
	/** This recipient's subject, over the message's. */
	subject?: string;
}

interface SendGridError {
	/** The HTTP status, or (no answer) the connection's error code such as ECONNREFUSED. */
	code?: number | string;
	message: string;
	response?: { headers?: Record<string, string>; body?: { errors?: Array<{ message: string; field?: string | null }> } };
}

export class SendGridService {
	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly mail: MailService,
		private readonly client: Client,
		readonly sender: { email: string; name?: string },
	) {}

	static async connect(ctx: IExecuteFunctions): Promise<SendGridService> {
		const credentials = (await ctx.getCredentials(SENDGRID_CREDENTIAL)) as unknown as SendGridCredentials;
		const client = new Client();
		client.setApiKey(credentials.apiKey);
		// setApiKey resets the base URL, so the base URL comes after it
		if (credentials.baseUrl) client.setDefaultRequest('baseUrl', credentials.baseUrl.replace(/\/+$/, ''));
		const mail = new MailService();
		mail.setClient(client);
		return new SendGridService(ctx, mail, client, { email: credentials.senderEmail, ...(credentials.senderName ? { name: credentials.senderName } : {}) });
	}

	/** One message; returns SendGrid's X-Message-Id. */
	async send(message: Omit<MailDataRequired, 'from'> & { from?: MailDataRequired['from'] }): Promise<string | undefined> {
		const data = readableMailboxes({ from: this.sender, ...message }) as MailDataRequired;
		try {
			const [response] = await withRetry(async () => this.mail.send(data), classifySendGridError);
			const header = response.headers['x-message-id'];
			return Array.isArray(header) ? header[0] : (header as string | undefined);
		} catch (error) {
			throw sendGridApiError(this.ctx, error as SendGridError, typeof data.from === 'string' ? data.from : data.from?.email);
		}
	}

	/**
	 * The same message to many recipients, one personalization each, in requests of up to 1000.
	 * Returns one message id per request, in order.
	 */
	async sendToMany(base: Omit<MailDataRequired, 'from' | 'to' | 'personalizations'>, recipients: Recipient[]): Promise<Array<{ messageId: string | undefined; recipients: Recipient[] }>> {
		const sent = [];
		for (let i = 0; i < recipients.length; i += MAX_PERSONALIZATIONS) {
			const chunk = recipients.slice(i, i + MAX_PERSONALIZATIONS);
			sent.push({ messageId: await this.sendBatch(base, chunk), recipients: chunk });
		}
		return sent;
	}

	/**
	 * The emails SendGrid's Email Activity holds that match `query` (GET /v3/messages, at most `limit`), or undefined
	 * when it cannot tell: the account has no Email Activity (a paid add-on: 400 "authorization required"), the key
	 * no access to it (403, the email_activity.read scope), or a value cannot be put in a query. Its rate limit (6
	 * requests a minute) is waited out; any other failure is thrown.
	 */
	async activity(query: ActivityQuery, limit = 10): Promise<ActivityMessage[] | undefined> {
		const text = activityQuery(query);
		if (!text) return undefined;
		try {
			const [, body] = await withRetry(
				async () => this.client.request({ method: 'GET', url: '/v3/messages', qs: { query: text, limit } }),
				classifySendGridError,
			);
			const messages = (body as { messages?: Array<{ msg_id?: unknown; to_email?: unknown; status?: unknown }> })?.messages ?? [];
			return messages.map((message) => ({ msgId: String(message.msg_id ?? ''), to: String(message.to_email ?? ''), status: String(message.status ?? '') }));
		} catch (error) {
			const { code, message, response } = error as SendGridError;
			if (code === 403 || (code === 400 && (response?.body?.errors ?? []).some((item) => /authorization required/i.test(item.message)))) return undefined;
			throw new NodeApiError(this.ctx.getNode(), { message } as JsonObject, {
				message: `SendGrid's email activity could not be read${typeof code === 'number' ? ` (HTTP ${code})` : ''}: ${message}`,
				description: 'Whether the email went out is not known; it is not sent again until SendGrid can tell.',
				...(typeof code === 'number' ? { httpCode: String(code) } : {}),
			});
		}
	}

	/** One request for up to 1000 recipients, one personalization each; returns SendGrid's X-Message-Id. */
	async sendBatch(base: Omit<MailDataRequired, 'from' | 'to' | 'personalizations'>, recipients: Recipient[]): Promise<string | undefined> {
		if (recipients.length > MAX_PERSONALIZATIONS) throw new RangeError(`SendGrid takes at most ${MAX_PERSONALIZATIONS} recipients per request`);
		const personalizations = recipients.map((recipient) => ({
			to: [{ email: recipient.email, ...(recipient.name ? { name: recipient.name } : {}) }],
			...(recipient.subject ? { subject: recipient.subject } : {}),
			...(recipient.data ? { dynamicTemplateData: recipient.data } : {}),
			...(recipient.substitutions ? { substitutions: inertSubstitutions(recipient.substitutions) } : {}),
			...(recipient.customArgs ? { customArgs: recipient.customArgs } : {}),
		}));
		return this.send({ ...base, personalizations } as MailDataRequired);
	}
}

/** One email as SendGrid's Email Activity shows it: each recipient of a request is a message of its own. */
export interface ActivityMessage {
	msgId: string;
	to: string;
	status: string;
}

/** What an Email Activity search asks for: every term must hold. */
export interface ActivityQuery {
	/** The custom arguments the email was sent with (SendGrid's unique_args). */
	customArgs?: Record<string, string>;
	/** A custom argument that has one of these values. */
	customArgIn?: { name: string; values: string[] };
	to?: string;
}

/** A value SendGrid's query language takes between double quotes as written: nothing that could end or escape it. */
const QUOTABLE = /^[^"'\\\u0000-\u001f]{1,500}$/u;

/** An Email Activity query (`unique_args['cx_order']="123" AND to_email="a@b.test"`), or undefined when a value cannot be quoted. */
export function activityQuery(query: ActivityQuery): string | undefined {
	const terms: string[] = [];
	const argName = (name: string) => /^[A-Za-z0-9_]{1,100}$/.test(name);
	for (const [name, value] of Object.entries(query.customArgs ?? {})) {
		if (!argName(name) || !QUOTABLE.test(value)) return undefined;
		terms.push(`unique_args['${name}']="${value}"`);
	}
	if (query.customArgIn) {
		const { name, values } = query.customArgIn;
		if (!argName(name) || !values.length || !values.every((value) => QUOTABLE.test(value))) return undefined;
		terms.push(`unique_args['${name}'] IN (${values.map((value) => `"${value}"`).join(',')})`);
	}
	if (query.to !== undefined) {
		if (!QUOTABLE.test(query.to)) return undefined;
		terms.push(`to_email="${query.to}"`);
	}
	return terms.length ? terms.join(' AND ') : undefined;
}

/**
 * The wrappers the SDK puts around a substitution key (`{{key}}`). SendGrid applies a recipient's substitutions one
 * after another, so a value that holds another key's tag (a first name of "{{cx_first_name}}<script>") would be
 * replaced again, by a value escaped for another part (the plain name, unescaped, inside the HTML).
 */
const SUBSTITUTION_OPEN = '{{';
const SUBSTITUTION_CLOSE = '}}';
/** Between two braces: they show as typed, and no key matches them. */
const BREAK = '\u200c';

/** Substitution values that no substitution can act on again: a "{{" or "}}" in a value is broken up. */
export function inertSubstitutions(substitutions: Record<string, string>): Record<string, string> {
	const inert: Record<string, string> = {};
	for (const [key, value] of Object.entries(substitutions)) {
		inert[key] = String(value).split(SUBSTITUTION_OPEN).join(`{${BREAK}{`).split(SUBSTITUTION_CLOSE).join(`}${BREAK}}`);
	}
	return inert;
}

/**
 * What a SendGrid failure says about the message, for the ledger (shared/ledger.ts afterSendFailure). A 4xx (429
 * once its waits ran out) or a gateway 502/503/504 (retried by this module because nothing was accepted) means
 * nothing went out; a 500 or no status at all is unclear: the message may have been accepted.
 */
export function isDefiniteRefusal(error: NodeApiError): boolean {
	if (error.context?.[NOT_REACHED] === true) return true;
	const status = Number(error.httpCode);
	return (status >= 400 && status < 500) || status === 502 || status === 503 || status === 504;
}

/**
 * Failures to reach SendGrid at all (retry.ts NEVER_REACHED): the request never left, so nothing went out; they are
 * retried, and at the end count as a refusal. A reset or a timeout may come after SendGrid took the message: those
 * stay unclear.
 */
const UNREACHABLE = Object.keys(NEVER_REACHED);
/** Marks a NodeApiError of a request that never reached SendGrid. */
const NOT_REACHED = 'sendGridNotReached';

/** Marks a NodeApiError with the fields SendGrid named in its refusal. */
const REFUSED_FIELDS = 'sendGridFields';

/**
 * Fields that are the same in every message a node sends (the sender, the template, the unsubscribe group): refused
 * for one of them, every other message would be refused too.
 */
const SHARED_FIELD = /^(from|from\.email|template_id|asm\.group_id|asm\.groups_to_display|ip_pool_name)$/;

/**
 * Refused for this message's content or recipients (400, 413): the other messages of a run may still go. Not when
 * SendGrid names a field every message shares (an unknown template or unsubscribe group, a bad sender address).
 */
export function refusesOnlyThisMessage(error: NodeApiError): boolean {
	if (!['400', '413'].includes(String(error.httpCode))) return false;
	const fields = error.context?.[REFUSED_FIELDS];
	return !(Array.isArray(fields) && fields.some((field) => SHARED_FIELD.test(String(field))));
}

/**
 * 429 was not accepted: wait until X-RateLimit-Reset (SendGrid sends no Retry-After) and retry. Of the
 * 5xx answers only gateway failures are retried; after a 500 the message may have been accepted, and an
 * email sent twice is worse than one reported as failed.
 */
function classifySendGridError(error: unknown): Transience {
	const { code, response } = error as SendGridError;
	if (code === 429) {
		const reset = Number(response?.headers?.['x-ratelimit-reset']);
		return { retry: true, ...(Number.isFinite(reset) && reset > 0 ? { afterMs: Math.max(0, reset * 1000 - Date.now()) } : {}) };
	}
	return { retry: code === 502 || code === 503 || code === 504 || UNREACHABLE.includes(String(code)) };
}

/**
 * What the store owner does about a refusal, by its status and the fields SendGrid names. A 403 naming `from` (or
 * the Sender Identity) is the sender: SendGrid sends only from an address it has verified, and says so with 403
 * {"errors":[{"message":"The from address does not match a verified Sender Identity. ...","field":"from"}]}.
 */
function refusalDescription(code: number | undefined, errors: Array<{ message: string; field?: string | null }>, sender?: string): string {
	const names = (field: string) => errors.some((item) => item.field === field);
	if (code === 403 && (names('from') || errors.some((item) => /sender identity/i.test(item.message ?? '')))) {
		return `SendGrid sends only from a verified Sender Identity, and ${sender ? `${sender} (Sender Email in the SendGrid credential)` : 'the sender address'} is not one. Verify the sender in SendGrid under Settings > Sender Authentication (Single Sender Verification, or Domain Authentication for its domain), or set the credential's Sender Email to an address verified there. Nothing was sent.`;
	}
	if (code === 401) return 'Check the API key in the SendGrid credential and that it has the Mail Send permission.';
	if (code === 403) {
		return 'Check the API key in the SendGrid credential and that it has the Mail Send permission, and that its Sender Email is verified in SendGrid (Settings > Sender Authentication). Nothing was sent.';
	}
	if (code === 400 && names('template_id')) {
		return 'The Template ID is not a template of this SendGrid account: copy the ID (d-...) of a dynamic template from SendGrid (Email API > Dynamic Templates), or leave Template ID empty for the built-in email. Nothing was sent.';
	}
	if (code === 400 && names('asm.group_id')) {
		return 'The Unsubscribe Group ID is not a group of this SendGrid account: use the ID of one of its groups (Marketing > Unsubscribe Groups). Nothing was sent.';
	}
	if (code === 400) return 'SendGrid refused the message; the fields it names need fixing (a verified sender is required).';
	return 'SendGrid did not accept the message; rate limits and gateway failures were retried.';
}

function sendGridApiError(ctx: IExecuteFunctions, error: SendGridError, sender?: string): NodeApiError {
	if (typeof error.code === 'string' || error.code === undefined) {
		const unreachable = UNREACHABLE.includes(String(error.code));
		// no `code` in the response: n8n would put its own words for a refused connection over this message
		const failure = new NodeApiError(ctx.getNode(), { message: error.message } as JsonObject, {
			// in words: n8n puts its own sentence over a message that names a code such as ECONNREFUSED
			message: `SendGrid did not send the email: ${unreachable ? `SendGrid could not be reached (${NEVER_REACHED[String(error.code)]})` : 'the connection broke before SendGrid answered'}`,
			description: unreachable
				? 'Nothing was sent. Check the network and the Base URL in the SendGrid credential; the next run sends it.'
				: 'The connection broke before SendGrid answered: the email may have gone out.',
		});
		if (unreachable) failure.context[NOT_REACHED] = true;
		return failure;
	}
	const fieldErrors = error.response?.body?.errors ?? [];
	const detail = fieldErrors.map((item) => (item.field ? `${item.field}: ${item.message}` : item.message)).join('; ');
	const failure = new NodeApiError(ctx.getNode(), { message: error.message, code: error.code ?? null } as JsonObject, {
		message: `SendGrid did not send the email${error.code ? ` (HTTP ${error.code})` : ''}${detail ? `: ${detail}` : ''}`,
		description: refusalDescription(error.code, fieldErrors, sender),
		...(error.code ? { httpCode: String(error.code) } : {}),
	});
	failure.context[REFUSED_FIELDS] = fieldErrors.map((item) => item.field).filter((field): field is string => typeof field === 'string');
	return failure;
}

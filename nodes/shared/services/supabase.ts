/**
 * Supabase: the only module that talks to the store's database, through the official supabase-js
 * client (PostgREST underneath). A client per execution from the credential; writes are upserts on the
 * tables' unique keys, so a replay or a retry never stores a row twice.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { isTransientStatus, withRetry } from '../retry';

export const SUPABASE_CREDENTIAL = 'cxSupabaseApi';

/** PostgREST takes large bodies, but a few hundred rows a request keeps each one well under a second. */
const ROWS_PER_REQUEST = 500;
/** Rows per page of a read; Supabase's default max-rows is 1000. */
const PAGE_ROWS = 1000;
/** Keys per `in.(...)` filter: a URL stays far below proxies' 8 KB limit. */
const KEYS_PER_FILTER = 100;

interface SupabaseCredentials {
	url: string;
	serviceRoleKey: string;
}

/** A failure supabase-js returned (it does not throw), with the HTTP status it came with. */
class SupabaseFailure extends Error {
	constructor(
		readonly status: number,
		readonly code: string | undefined,
		message: string,
		readonly hint?: string,
	) {
		super(message);
	}
}

export type Row = Record<string, unknown>;

export class SupabaseService {
	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly client: SupabaseClient,
	) {}

	static async connect(ctx: IExecuteFunctions): Promise<SupabaseService> {
		const credentials = (await ctx.getCredentials(SUPABASE_CREDENTIAL)) as unknown as SupabaseCredentials;
		const client = createClient(credentials.url.replace(/\/+$/, ''), credentials.serviceRoleKey, {
			auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		});
		return new SupabaseService(ctx, client);
	}

	/** Which of these keys already have a row: lets a node say "updated" rather than "inserted" on a replay. */
	async existingKeys(table: string, column: string, keys: string[]): Promise<Set<string>> {
		const found = new Set<string>();
		const unique = [...new Set(keys)];
		for (let i = 0; i < unique.length; i += KEYS_PER_FILTER) {
			const chunk = unique.slice(i, i + KEYS_PER_FILTER);
			const rows = await this.run(`read ${table}`, async () =>
				this.client.from(table).select(column).in(column, chunk),
			);
			for (const row of rows as unknown as Row[]) found.add(String(row[column]));
		}
		return found;
	}

	/** Insert or update on the table's unique key; columns not given keep their stored values. */
	async upsert(table: string, rows: Row[], onConflict: string): Promise<void> {
		for (let i = 0; i < rows.length; i += ROWS_PER_REQUEST) {
			const chunk = rows.slice(i, i + ROWS_PER_REQUEST);
			await this.run(`write ${table}`, async () =>
				this.client.from(table).upsert(chunk, { onConflict, defaultToNull: false }),
			);
		}
	}

	/** Inserts the rows whose unique key is not taken yet; rows already there are left as they are. */
	async insertMissing(table: string, rows: Row[], onConflict: string): Promise<void> {
		for (let i = 0; i < rows.length; i += ROWS_PER_REQUEST) {
			const chunk = rows.slice(i, i + ROWS_PER_REQUEST);
			await this.run(`write ${table}`, async () =>
				this.client.from(table).upsert(chunk, { onConflict, ignoreDuplicates: true }),
			);
		}
	}

	/** Rows whose `column` is one of `values`. */
	async rowsWhereIn(table: string, column: string, values: string[]): Promise<Row[]> {
		const rows: Row[] = [];
		const unique = [...new Set(values)];
		for (let i = 0; i < unique.length; i += KEYS_PER_FILTER) {
			const chunk = unique.slice(i, i + KEYS_PER_FILTER);
			rows.push(...((await this.run(`read ${table}`, async () => this.client.from(table).select('*').in(column, chunk))) as unknown as Row[]));
		}
		return rows;
	}

	async updateById(table: string, id: string, patch: Row): Promise<void> {
		await this.run(`update ${table}`, async () => this.client.from(table).update(patch).eq('id', id));
	}

	/** Raises a ticket's escalation level; never lowers it, and a ticket not stored is left alone. */
	async raiseTicketEscalationLevel(externalId: string, level: number): Promise<void> {
		await this.run('update tickets', async () =>
			this.client.from('tickets').update({ escalation_level: level }).eq('external_id', externalId).lt('escalation_level', level),
		);
	}

	/**
	 * Open tickets whose first response or resolution is past due at `now` and that can still climb
	 * (escalation level below 3), oldest due first, page by page.
	 */
	async overdueTickets(now: Date, limit = 5_000): Promise<Row[]> {
		const at = now.toISOString();
		const rows: Row[] = [];
		for (let from = 0; from < limit; from += ROWS_PER_REQUEST) {
			const page = (await this.run('read overdue tickets', async () =>
				this.client
					.from('tickets')
					.select('*')
					.in('status', ['open', 'pending'])
					.lt('escalation_level', 3)
					.or(`and(first_responded_at.is.null,first_response_due_at.lt."${at}"),and(resolved_at.is.null,resolution_due_at.lt."${at}")`)
					.order('first_response_due_at', { ascending: true })
					.order('external_id', { ascending: true })
					.range(from, Math.min(from + ROWS_PER_REQUEST, limit) - 1),
			)) as unknown as Row[];
			rows.push(...page);
			if (page.length < ROWS_PER_REQUEST) break;
		}
		return rows;
	}

	/**
	 * Customer ids and emails on open or pending tickets: a store has hundreds of those, not one per
	 * customer, so they are read whole instead of looked up customer by customer.
	 */
	async openTicketCustomers(): Promise<Row[]> {
		return this.readPaged('read open tickets', (from, to) =>
			this.client.from('tickets').select('id, customer_id, customer_email').in('status', ['open', 'pending']).order('id').range(from, to),
		);
	}

	/** Compensations recorded since `since` (any status but skipped): who was compensated lately. */
	async compensationsSince(since: Date): Promise<Row[]> {
		return this.readPaged('read compensation_ledger', (from, to) =>
			this.client.from('compensation_ledger').select('id, customer_id, customer_email, created_at, status').gte('created_at', since.toISOString()).neq('status', 'skipped').order('id').range(from, to),
		);
	}

	/** Win-back rows sent since `since`, or of the campaign window `window` whatever their status. */
	async winbackSends(since: Date, window: string): Promise<Row[]> {
		return this.readPaged('read winback_sends', (from, to) =>
			this.client
				.from('winback_sends')
				.select('id, customer_id, customer_email, campaign_window, segment, offer, offer_percent, discount_code, discount_id, message_id, status, sent_at')
				.or(`sent_at.gte."${since.toISOString()}",campaign_window.eq."${window}"`)
				.order('id')
				.range(from, to),
		);
	}

	/**
	 * Moves win-back sends to `to` from one of the states `from`, in one statement per 1000 rows, and returns
	 * the ids it moved: a row another run moved first is not returned, so it is neither set back nor mailed twice.
	 */
	async moveWinbackSends(ids: string[], from: string[], to: string, set: { discountId?: string; lastError?: string } = {}): Promise<Set<string>> {
		const moved = new Set<string>();
		for (let i = 0; i < ids.length; i += PAGE_ROWS) {
			const chunk = ids.slice(i, i + PAGE_ROWS);
			const rows = (await this.run('update winback_sends', async () =>
				this.client.rpc('cx_move_winback_sends', {
					send_ids: chunk,
					from_statuses: from,
					to_status: to,
					new_discount_id: set.discountId ?? null,
					new_last_error: set.lastError ?? null,
				}),
			)) as unknown as Array<string | Row> | null;
			// a set of scalars comes back as plain values, or as one-column rows depending on the PostgREST version
			for (const entry of rows ?? []) moved.add(typeof entry === 'string' ? entry : String(Object.values(entry)[0]));
		}
		return moved;
	}

	/**
	 * Every row matching `filters`, a page of PAGE_ROWS at a time in `id` order (keyset: a deep page costs what
	 * the first does), handed to `onPage` and then dropped: a million survey answers never sit in memory at once.
	 */
	async eachPage(table: string, options: { columns?: string; filters?: RowFilter[] }, onPage: (rows: Row[]) => void | Promise<void>): Promise<number> {
		let count = 0;
		for (let after: string | null = null; ; ) {
			const from = after;
			const page = (await this.run(`read ${table}`, async () => {
				const query = applyFilters(this.client.from(table).select(options.columns ? `id, ${options.columns}` : '*'), options.filters ?? []);
				return (from === null ? query : query.gt('id', from)).order('id').limit(PAGE_ROWS);
			})) as unknown as Row[];
			count += page.length;
			if (page.length) await onPage(page);
			if (page.length < PAGE_ROWS) return count;
			after = String(page[page.length - 1].id);
		}
	}

	/** Every row matching `filters` (for reads known to be small: use eachPage for large ones). */
	async readWhere(table: string, options: { columns?: string; filters?: RowFilter[] } = {}): Promise<Row[]> {
		const rows: Row[] = [];
		await this.eachPage(table, options, (page) => {
			rows.push(...page);
		});
		return rows;
	}

	/**
	 * Updates the rows matching `filters` in one statement and returns them as updated: with a filter on the
	 * state to leave (e.g. reminded_at is null), two runs at once never both act on one row.
	 */
	async updateWhere(table: string, filters: RowFilter[], patch: Row): Promise<Row[]> {
		if (!filters.length) throw new RangeError('updateWhere needs at least one filter');
		return (await this.run(`update ${table}`, async () => applyFilters(this.client.from(table).update(patch), filters).select())) as Row[];
	}

	/** Every page of a read, PAGE_ROWS at a time (PostgREST caps a response at its max-rows). */
	private async readPaged(what: string, page: (from: number, to: number) => PromiseLike<{ data: unknown; error: { message: string; code?: string; hint?: string | null } | null; status: number }>): Promise<Row[]> {
		const rows: Row[] = [];
		for (let from = 0; ; from += PAGE_ROWS) {
			const chunk = (await this.run(what, async () => page(from, from + PAGE_ROWS - 1))) as Row[];
			rows.push(...chunk);
			if (chunk.length < PAGE_ROWS) return rows;
		}
	}

	private async run<T>(what: string, request: () => PromiseLike<{ data: T; error: { message: string; code?: string; hint?: string | null } | null; status: number }>): Promise<T> {
		try {
			return await withRetry(
				async () => {
					const { data, error, status } = await request();
					if (error) throw new SupabaseFailure(status, error.code, error.message, error.hint ?? undefined);
					return data;
				},
				(error) => ({ retry: error instanceof SupabaseFailure ? isTransientStatus(error.status) : true }),
			);
		} catch (error) {
			throw supabaseApiError(this.ctx, what, error);
		}
	}

	// Customer health: the signals of many customers, never one request per customer. Keyed reads filter
	// KEYS_PER_FILTER ids a request; whole reads take the table PAGE_ROWS rows a request, however many customers.

	/** Open and pending tickets of these customers (ids in every form they may be stored in); `whole` reads all and keeps theirs. */
	async openTicketsOf(customerIds: string[], whole = false): Promise<Row[]> {
		return this.readForCustomers('read open tickets', 'tickets', 'customer_id', customerIds, whole, (query) => query.in('status', ['open', 'pending']));
	}

	/** These customers' survey answers of these types given up to `until`. */
	async surveyAnswersOf(customerIds: string[], types: string[], until: Date, whole = false): Promise<Row[]> {
		return this.readForCustomers('read survey_responses', 'survey_responses', 'customer_id, type, score, responded_at', customerIds, whole, (query) =>
			query.in('type', types).lte('responded_at', until.toISOString()),
		);
	}

	/** These customers' compensations for these reasons recorded between `since` and `until`, skipped ones left out. */
	async compensationsOf(customerIds: string[], reasons: string[], since: Date, until: Date, whole = false): Promise<Row[]> {
		return this.readForCustomers('read compensation_ledger', 'compensation_ledger', 'customer_id, order_id', customerIds, whole, (query) =>
			query.in('reason', reasons).neq('status', 'skipped').gte('created_at', since.toISOString()).lte('created_at', until.toISOString()),
		);
	}

	/** Each of these customer ids' latest health score on a day before `day` (YYYY-MM-DD): one row per id at most. */
	async previousHealthScores(customerIds: string[], day: string, whole = false): Promise<Row[]> {
		const columns = 'customer_id, score, scored_on';
		const rows: Row[] = [];
		const unique = [...new Set(customerIds)];
		if (!whole) {
			for (let i = 0; i < unique.length; i += KEYS_PER_FILTER) {
				const chunk = unique.slice(i, i + KEYS_PER_FILTER);
				rows.push(...((await this.run('read customer_health_scores', async () => this.client.rpc('cx_previous_health_scores', { customer_ids: chunk, before_day: day }).select(columns))) as Row[]));
			}
			return rows;
		}
		// every customer's, a page after the last customer id of the one before (the function orders by it)
		const wanted = new Set(unique);
		for (let after: string | null = null; ; ) {
			const page = (await this.run('read customer_health_scores', async () =>
				this.client.rpc('cx_previous_health_scores', { customer_ids: null, before_day: day, after_customer_id: after, max_rows: PAGE_ROWS }).select(columns),
			)) as Row[];
			rows.push(...page.filter((row) => wanted.has(String(row.customer_id))));
			if (page.length < PAGE_ROWS) return rows;
			after = String(page[page.length - 1].customer_id);
		}
	}

	/**
	 * The rows of `table` (columns, filtered) whose customer_id is one of `keys`. Keyed: a paged read per
	 * KEYS_PER_FILTER keys. Whole: the table's rows with a customer id, PAGE_ROWS a request after the last id
	 * read (an offset would rescan the pages before it), the other customers' rows dropped page by page.
	 */
	private async readForCustomers(what: string, table: string, columns: string, keys: string[], whole: boolean, filter: (query: SelectQuery) => SelectQuery): Promise<Row[]> {
		const rows: Row[] = [];
		const unique = [...new Set(keys)];
		if (!whole) {
			for (let i = 0; i < unique.length; i += KEYS_PER_FILTER) {
				const chunk = unique.slice(i, i + KEYS_PER_FILTER);
				rows.push(...(await this.readPaged(what, (from, to) => filter(this.client.from(table).select(columns)).in('customer_id', chunk).order('id').range(from, to))));
			}
			return rows;
		}
		const wanted = new Set(unique);
		for (let after: string | null = null; ; ) {
			const from = after;
			const page = (await this.run(what, async () => {
				const query = filter(this.client.from(table).select(`id, ${columns}`)).not('customer_id', 'is', null);
				return (from === null ? query : query.gt('id', from)).order('id').limit(PAGE_ROWS);
			})) as Row[];
			rows.push(...page.filter((row) => wanted.has(String(row.customer_id))));
			if (page.length < PAGE_ROWS) return rows;
			after = String(page[page.length - 1].id);
		}
	}
}

/** A table read with its columns chosen, before its filters (customer health's signal reads). */
/** A PostgREST filter: column, operator, value (`in` takes a list, `is` null/true/false). */
export interface RowFilter {
	column: string;
	op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'is' | 'like' | 'not.is';
	value: unknown;
}

function applyFilters<Q extends { eq: any; neq: any; gt: any; gte: any; lt: any; lte: any; in: any; is: any; like: any; not: any }>(query: Q, filters: RowFilter[]): Q {
	let out = query;
	for (const { column, op, value } of filters) {
		if (op === 'in') out = out.in(column, value as unknown[]);
		else if (op === 'not.is') out = out.not(column, 'is', value);
		else out = out[op](column, value);
	}
	return out;
}

type SelectQuery = ReturnType<ReturnType<SupabaseClient['from']>['select']>;

function supabaseApiError(ctx: IExecuteFunctions, what: string, error: unknown): NodeApiError {
	if (error instanceof SupabaseFailure) {
		const description =
			error.status === 401 || error.status === 403 || error.code === '42501'
				? 'Check the service role key in the Supabase credential (the anon key cannot write these tables).'
				: error.code === '42P01' || error.code === 'PGRST205' || error.code === 'PGRST202'
					? 'The table or function is missing: apply the pack\'s migrations (supabase/migrations) to the project.'
					: (error.hint ?? 'Supabase answered with an error; transient failures were retried.');
		return new NodeApiError(ctx.getNode(), { message: error.message, code: error.code ?? null } as JsonObject, {
			message: `Supabase could not ${what}: ${error.message}`,
			description,
			httpCode: String(error.status),
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		message: `Could not reach Supabase to ${what}: ${message}`,
		description: 'Check the project URL in the Supabase credential.',
	});
}

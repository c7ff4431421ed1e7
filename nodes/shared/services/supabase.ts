/**
 * Supabase: the only module that talks to the store's database, through the official supabase-js
 * client (PostgREST underneath). A client per execution from the credential; writes are upserts on the
 * tables' unique keys, so a replay or a retry never stores a row twice. Generic reads and writes live here;
 * each table's name, unique key and own queries live in shared/store/<table>.ts.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { isTransientStatus, withRetry } from '../retry';

export const SUPABASE_CREDENTIAL = 'cxSupabaseApi';

/** PostgREST takes large bodies, but a few hundred rows a request keeps each one well under a second. */
const ROWS_PER_REQUEST = 500;
/** Rows per page of a read; Supabase's default max-rows is 1000. */
export const PAGE_ROWS = 1000;
/** Keys per `in.(...)` filter: a URL stays far below proxies' 8 KB limit. */
export const KEYS_PER_FILTER = 100;

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
				this.client.from(table).select(column).filter(column, 'in', inList(chunk)),
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

	/**
	 * Inserts the rows whose unique key is not taken yet and returns those it inserted (the database's answer, so of
	 * two calls at once with the same key, only one gets the row back).
	 */
	async insertNew(table: string, rows: Row[], onConflict: string): Promise<Row[]> {
		const inserted: Row[] = [];
		for (let i = 0; i < rows.length; i += ROWS_PER_REQUEST) {
			const chunk = rows.slice(i, i + ROWS_PER_REQUEST);
			inserted.push(...((await this.run(`write ${table}`, async () => this.client.from(table).upsert(chunk, { onConflict, ignoreDuplicates: true }).select())) as Row[]));
		}
		return inserted;
	}

	/**
	 * Rows whose `column` is one of `values`, every one: a column that is not a key (a customer's survey invitations)
	 * can hold more rows than the 1,000 hosted Supabase answers a request, so each filter is read page by page.
	 */
	async rowsWhereIn(table: string, column: string, values: string[]): Promise<Row[]> {
		const rows: Row[] = [];
		const unique = [...new Set(values)];
		for (let i = 0; i < unique.length; i += KEYS_PER_FILTER) {
			const chunk = unique.slice(i, i + KEYS_PER_FILTER);
			rows.push(...(await this.readPaged(`read ${table}`, (from, to) => this.client.from(table).select('*').filter(column, 'in', inList(chunk)).order('id').range(from, to))));
		}
		return rows;
	}

	async updateById(table: string, id: string, patch: Row): Promise<void> {
		await this.run(`update ${table}`, async () => this.client.from(table).update(patch).eq('id', id));
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

	/**
	 * Every row of `table` a query shaped by `shape` returns (it sets the filters and a stable order), PAGE_ROWS
	 * a request, at most `limit`: for the store modules' own queries (shared/store/).
	 */
	async selectAll(what: string, table: string, columns: string, shape: (query: SelectQuery) => SelectQuery, limit = Number.POSITIVE_INFINITY): Promise<Row[]> {
		const rows: Row[] = [];
		for (let from = 0; from < limit; from += PAGE_ROWS) {
			const to = Math.min(from + PAGE_ROWS, limit) - 1;
			const page = (await this.run(what, async () => shape(this.client.from(table).select(columns)).range(from, to))) as unknown as Row[];
			rows.push(...page);
			if (page.length < to - from + 1) break;
		}
		return rows;
	}

	/** A database function of the pack's migrations (rpc), with the columns it returns. */
	async callFunction<T>(what: string, fn: string, args: Record<string, unknown>, columns?: string): Promise<T> {
		return (await this.run(what, async () => (columns ? this.client.rpc(fn, args).select(columns) : this.client.rpc(fn, args)))) as T;
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

	/**
	 * The rows of `table` (columns, filtered) whose customer_id is one of `keys`. Keyed: a paged read per
	 * KEYS_PER_FILTER keys. Whole: the table's rows with a customer id, PAGE_ROWS a request after the last id
	 * read (an offset would rescan the pages before it), the other customers' rows dropped page by page.
	 */
	async readForCustomers(what: string, table: string, columns: string, keys: string[], whole: boolean, filter: (query: SelectQuery) => SelectQuery): Promise<Row[]> {
		const rows: Row[] = [];
		const unique = [...new Set(keys)];
		if (!whole) {
			for (let i = 0; i < unique.length; i += KEYS_PER_FILTER) {
				const chunk = unique.slice(i, i + KEYS_PER_FILTER);
				rows.push(...(await this.readPaged(what, (from, to) => filter(this.client.from(table).select(columns)).filter('customer_id', 'in', inList(chunk)).order('id').range(from, to))));
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

/**
 * A PostgREST `in` list with every value quoted and its quotes and backslashes escaped, as PostgREST reads them:
 * a value from a customer or a helpdesk ("a\",\"b", a comma, a parenthesis) matches only itself. supabase-js's own
 * `in` quotes a value only when it holds a reserved character and leaves a quote inside it as it is, so such a
 * value could add values of its own to the filter.
 */
export function inList(values: unknown[]): string {
	const quoted = [...new Set(values.map((value) => String(value)))].map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
	return `(${quoted.join(',')})`;
}

/** A PostgREST filter: column, operator, value (`in` takes a list, `is` null/true/false). */
export interface RowFilter {
	column: string;
	op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'is' | 'like' | 'not.is';
	value: unknown;
}

function applyFilters<Q extends { eq: any; neq: any; gt: any; gte: any; lt: any; lte: any; in: any; is: any; like: any; not: any; filter: any }>(query: Q, filters: RowFilter[]): Q {
	let out = query;
	for (const { column, op, value } of filters) {
		if (op === 'in') out = out.filter(column, 'in', inList(value as unknown[]));
		else if (op === 'not.is') out = out.not(column, 'is', value);
		else out = out[op](column, value);
	}
	return out;
}

/** A select on one table before its filters and order: what a store module shapes. */
export type SelectQuery = ReturnType<ReturnType<SupabaseClient['from']>['select']>;

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

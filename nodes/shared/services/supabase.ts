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
}

function supabaseApiError(ctx: IExecuteFunctions, what: string, error: unknown): NodeApiError {
	if (error instanceof SupabaseFailure) {
		const description =
			error.status === 401 || error.status === 403 || error.code === '42501'
				? 'Check the service role key in the Supabase credential (the anon key cannot write these tables).'
				: error.code === '42P01' || error.code === 'PGRST205'
					? 'The table is missing: apply the pack\'s migration (supabase/migrations) to the project.'
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

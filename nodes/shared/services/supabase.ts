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

	// Customer health: the signals of many customers, KEYS_PER_FILTER ids a request, never one per customer.

	/** Open and pending tickets of these customers (ids in every form they may be stored in). */
	async openTicketsOf(customerIds: string[]): Promise<Row[]> {
		return this.readForKeys('read open tickets', customerIds, (chunk, from, to) =>
			this.client.from('tickets').select('id, customer_id, external_id').in('customer_id', chunk).in('status', ['open', 'pending']).order('id').range(from, to),
		);
	}

	/** These customers' survey answers of these types given up to `until`. */
	async surveyAnswersOf(customerIds: string[], types: string[], until: Date): Promise<Row[]> {
		return this.readForKeys('read survey_responses', customerIds, (chunk, from, to) =>
			this.client
				.from('survey_responses')
				.select('id, customer_id, type, score, responded_at')
				.in('customer_id', chunk)
				.in('type', types)
				.lte('responded_at', until.toISOString())
				.order('id')
				.range(from, to),
		);
	}

	/** These customers' compensations for these reasons recorded between `since` and `until`, skipped ones left out. */
	async compensationsOf(customerIds: string[], reasons: string[], since: Date, until: Date): Promise<Row[]> {
		return this.readForKeys('read compensation_ledger', customerIds, (chunk, from, to) =>
			this.client
				.from('compensation_ledger')
				.select('id, customer_id, order_id, reason, status, created_at')
				.in('customer_id', chunk)
				.in('reason', reasons)
				.neq('status', 'skipped')
				.gte('created_at', since.toISOString())
				.lte('created_at', until.toISOString())
				.order('id')
				.range(from, to),
		);
	}

	/** Each of these customer ids' latest health score on a day before `day` (YYYY-MM-DD): one row per id at most. */
	async previousHealthScores(customerIds: string[], day: string): Promise<Row[]> {
		const rows: Row[] = [];
		const unique = [...new Set(customerIds)];
		for (let i = 0; i < unique.length; i += KEYS_PER_FILTER) {
			const chunk = unique.slice(i, i + KEYS_PER_FILTER);
			rows.push(...((await this.run('read customer_health_scores', async () => this.client.rpc('cx_previous_health_scores', { customer_ids: chunk, before_day: day }))) as Row[]));
		}
		return rows;
	}

	/** A paged read per KEYS_PER_FILTER keys. */
	private async readForKeys(
		what: string,
		keys: string[],
		page: (chunk: string[], from: number, to: number) => PromiseLike<{ data: unknown; error: { message: string; code?: string; hint?: string | null } | null; status: number }>,
	): Promise<Row[]> {
		const rows: Row[] = [];
		const unique = [...new Set(keys)];
		for (let i = 0; i < unique.length; i += KEYS_PER_FILTER) {
			const chunk = unique.slice(i, i + KEYS_PER_FILTER);
			rows.push(...(await this.readPaged(what, (from, to) => page(chunk, from, to))));
		}
		return rows;
	}
}

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

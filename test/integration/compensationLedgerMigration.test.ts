import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, standinsEnv } from '../support/standins';

interface Db {
	connect(): Promise<void>;
	query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
	end(): Promise<void>;
}

const MIGRATION = join(repoRoot, 'supabase', 'migrations', '20261204100000_compensation_once_per_order.sql');

/**
 * The migration to one compensation per order and reason, run again over a ledger that still has the old key and
 * rows it let in twice, inside a transaction that is rolled back: the stand-ins' database is left as it was.
 */
describe('compensation ledger: one row per order and reason', () => {
	const { Client } = require('pg') as { Client: new (options: { connectionString: string }) => Db };
	let db: Db;

	beforeAll(async () => {
		db = new Client({ connectionString: standinsEnv().supabase.dbUrl });
		await db.connect();
	});
	afterAll(async () => {
		await db.end();
	});

	it('an order compensated twice under two policy versions keeps the paid row; the repeat is moved aside, not lost, and no third row can be written', async () => {
		await db.query('begin');
		try {
			// the ledger as it was: unique per order, reason and policy version
			await db.query('alter table public.compensation_ledger drop constraint compensation_ledger_order_reason_key');
			await db.query('alter table public.compensation_ledger add constraint compensation_ledger_order_reason_policy_key unique (order_id, reason, policy_version)');
			const row = (order: string, version: string, status: string, created: string, reference: string | null) =>
				db.query(
					`insert into public.compensation_ledger (order_id, reason, policy_version, amount_cents, currency, method, status, idempotency_key, payout_reference, created_at)
					 values ($1, 'shipping_delay', $2, 2500, 'USD', 'discountCode', $3, $4, $5, $6) returning id`,
					[order, version, status, `migration-${order}-${version}`, reference, created],
				);
			// paid under v1, then a pending repeat under v2 after a holiday was added
			const paid = (await row('migration-order-1', 'v1', 'completed', '2026-10-01T00:00:00Z', 'gid://shopify/DiscountCodeNode/1')).rows[0].id;
			await row('migration-order-1', 'v2', 'pending', '2026-10-02T00:00:00Z', null);
			// an older row that never paid, and a later one that did: the paid one stays
			await row('migration-order-2', 'v1', 'failed', '2026-10-01T00:00:00Z', null);
			const paidLater = (await row('migration-order-2', 'v2', 'completed', '2026-10-03T00:00:00Z', 'gid://shopify/DiscountCodeNode/2')).rows[0].id;
			// neither paid: the earliest stays
			const earliest = (await row('migration-order-3', 'v1', 'pending', '2026-10-01T00:00:00Z', null)).rows[0].id;
			await row('migration-order-3', 'v2', 'pending', '2026-10-05T00:00:00Z', null);

			await db.query(readFileSync(MIGRATION, 'utf8'));

			const kept = await db.query<{ id: string; order_id: string; policy_version: string }>(
				`select id, order_id, policy_version from public.compensation_ledger where order_id like 'migration-order-%' order by order_id`,
			);
			expect(kept.rows).toEqual([
				{ id: paid, order_id: 'migration-order-1', policy_version: 'v1' },
				{ id: paidLater, order_id: 'migration-order-2', policy_version: 'v2' },
				{ id: earliest, order_id: 'migration-order-3', policy_version: 'v1' },
			]);
			const moved = await db.query<{ order_id: string; policy_version: string; status: string; superseded_by: string }>(
				`select order_id, policy_version, status, superseded_by from public.compensation_ledger_superseded where order_id like 'migration-order-%' order by order_id`,
			);
			expect(moved.rows).toEqual([
				{ order_id: 'migration-order-1', policy_version: 'v2', status: 'pending', superseded_by: paid },
				{ order_id: 'migration-order-2', policy_version: 'v1', status: 'failed', superseded_by: paidLater },
				{ order_id: 'migration-order-3', policy_version: 'v2', status: 'pending', superseded_by: earliest },
			]);
			await db.query('savepoint third');
			await expect(row('migration-order-1', 'v3', 'pending', '2026-10-09T00:00:00Z', null)).rejects.toThrow(/compensation_ledger_order_reason_key/);
			await db.query('rollback to savepoint third');
		} finally {
			await db.query('rollback');
		}
	});
});

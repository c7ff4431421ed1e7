/**
 * The Supabase stand-in and the pack's migrations, through the real supabase-js client:
 * the unique keys make reruns harmless, the API keys grant what they grant on Supabase.
 * Needs the stand-ins running (`npm run standins start`).
 */
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { standinsEnv } from '../../support/standins';

const env = standinsEnv().supabase;
const options = { auth: { persistSession: false, autoRefreshToken: false } };
const service: SupabaseClient = createClient(env.url, env.serviceRoleKey, options);
const anon: SupabaseClient = createClient(env.url, env.anonKey, options);

/** Every row this run creates carries this prefix, so parallel runs do not collide and cleanup is exact. */
const run = `it-supabase-${randomUUID()}`;

/** Tables and the column holding the run prefix, for cleanup. */
const created: Array<[table: string, column: string]> = [
	['tickets', 'external_id'],
	['escalations', 'ticket_external_id'],
	['compensation_ledger', 'order_id'],
	['winback_sends', 'customer_id'],
	['survey_responses', 'external_id'],
	['feedback_items', 'source_id'],
];

afterAll(async () => {
	for (const [table, column] of created) {
		const { error } = await service.from(table).delete().like(column, `${run}%`);
		expect(error).toBeNull();
	}
});

async function countRows(table: string, column: string, value: string): Promise<number> {
	const { count, error } = await service.from(table).select('id', { count: 'exact', head: true }).eq(column, value);
	expect(error).toBeNull();
	return count ?? -1;
}

describe('Supabase stand-in with the cx_director migration', () => {
	test('tickets: insert, then upsert on external_id twice, keeps one row and updates it', async () => {
		const externalId = `${run}-ticket`;
		const inserted = await service
			.from('tickets')
			.insert({ external_id: externalId, channel: 'email', subject: 'Where is my order?', intents: ['order_status'] })
			.select()
			.single();
		expect(inserted.error).toBeNull();
		expect(inserted.data).toMatchObject({ external_id: externalId, status: 'open', escalation_level: 0 });

		for (const priority of ['high', 'urgent']) {
			const upserted = await service
				.from('tickets')
				.upsert(
					{ external_id: externalId, priority, triage: { priority }, reasons: ['late delivery'] },
					{ onConflict: 'external_id' },
				)
				.select()
				.single();
			expect(upserted.error).toBeNull();
			expect(upserted.data.id).toBe(inserted.data.id);
		}

		expect(await countRows('tickets', 'external_id', externalId)).toBe(1);
		const { data, error } = await service.from('tickets').select('*').eq('external_id', externalId).single();
		expect(error).toBeNull();
		expect(data).toMatchObject({ priority: 'urgent', triage: { priority: 'urgent' }, subject: 'Where is my order?' });
		// the trigger keeps updated_at current
		expect(new Date(data.updated_at).getTime()).toBeGreaterThan(new Date(data.created_at).getTime());
	});

	test('tickets: a status outside open|pending|solved|closed is refused', async () => {
		const { error } = await service.from('tickets').insert({ external_id: `${run}-bad-status`, status: 'lost' });
		expect(error?.code).toBe('23514');
	});

	test('escalations: a second insert for the same ticket and level is a unique violation; upsert ignoring duplicates keeps one row', async () => {
		const ticket = `${run}-escalated`;
		const row = { ticket_external_id: ticket, level: 1, tier: 'vip', recipients: ['lead@example.com'] };

		const first = await service.from('escalations').insert(row);
		expect(first.error).toBeNull();

		const second = await service.from('escalations').insert(row);
		expect(second.error?.code).toBe('23505');
		expect(second.status).toBe(409);

		const again = await service
			.from('escalations')
			.upsert({ ...row, status: 'notified' }, { onConflict: 'ticket_external_id,level', ignoreDuplicates: true })
			.select();
		expect(again.error).toBeNull();
		expect(again.data).toEqual([]);

		const { data, error } = await service.from('escalations').select('level, status').eq('ticket_external_id', ticket);
		expect(error).toBeNull();
		expect(data).toEqual([{ level: 1, status: 'pending' }]);

		const nextLevel = await service.from('escalations').insert({ ...row, level: 2 });
		expect(nextLevel.error).toBeNull();
		const outOfRange = await service.from('escalations').insert({ ...row, level: 4 });
		expect(outOfRange.error?.code).toBe('23514');
	});

	test.each<[string, Record<string, unknown>]>([
		['compensation_ledger', { order_id: `${run}-order`, reason: 'late_delivery', policy_version: '2026-11', amount_cents: 500, currency: 'USD' }],
		['winback_sends', { customer_id: `${run}-customer`, campaign_window: '2026-11' }],
		['survey_responses', { external_id: `${run}-response`, type: 'nps', score: 9 }],
		['feedback_items', { source: 'survey', source_id: `${run}-feedback`, summary: 'Box arrived damaged' }],
	])('%s: a duplicate of the side effect key is refused', async (table, row) => {
		expect((await service.from(table).insert(row)).error).toBeNull();
		const duplicate = await service.from(table).insert(row);
		expect(duplicate.error?.code).toBe('23505');
	});

	test('the anon key cannot read or write the tables', async () => {
		for (const [table] of created) {
			const read = await anon.from(table).select('id').limit(1);
			expect(read.error?.code).toBe('42501');
			expect(read.status).toBe(401);
		}
		const write = await anon.from('tickets').insert({ external_id: `${run}-anon` });
		expect(write.error?.code).toBe('42501');
	});

	test('a key that is not the project\'s gets 401 from the gateway', async () => {
		const stranger = createClient(env.url, 'not-a-supabase-key', options);
		const result = await stranger.from('tickets').select('id').limit(1);
		expect(result.status).toBe(401);
		expect(result.error?.message).toBe('Invalid API key');

		const noKey = await fetch(`${env.url}/rest/v1/tickets`);
		expect(noKey.status).toBe(401);
	});

	test('the apikey header alone authorizes, as on Supabase, and /rest/v1/ serves the schema', async () => {
		const tickets = await fetch(`${env.url}/rest/v1/tickets?select=id&limit=1`, {
			headers: { apikey: env.serviceRoleKey },
		});
		expect(tickets.status).toBe(200);
		expect(Array.isArray(await tickets.json())).toBe(true);

		const schema = await fetch(`${env.url}/rest/v1/`, { headers: { apikey: env.serviceRoleKey } });
		expect(schema.status).toBe(200);
		const openapi = (await schema.json()) as { paths: Record<string, unknown> };
		expect(Object.keys(openapi.paths)).toEqual(
			expect.arrayContaining(['/tickets', '/escalations', '/compensation_ledger', '/winback_sends', '/survey_responses', '/feedback_items']),
		);
	});
});

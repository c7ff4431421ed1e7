import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxTicketTriage } from '../../nodes/CxTicketTriage/CxTicketTriage.node';
import { executeContext, shopifyRequests } from '../support/context';
import { fromAnchor, standinsEnv, storedTime } from '../support/standins';

const run = randomUUID().slice(0, 8);
const tickets: IDataObject[] = [
	{ id: `it-${run}-1`, channel: 'email', customer_email: 'vip.tagged@example-store.test', created_at: fromAnchor(19, '09:00'), subject: 'Sizes', body: 'What sizes do you offer?' },
	{ id: `it-${run}-2`, channel: 'chat', customer_email: 'regular.buyer@example-store.test', created_at: fromAnchor(19, '09:05'), subject: 'Where is my order?', body: 'Where is my order? Tracking number please.' },
	{ id: `it-${run}-3`, channel: 'phone', customer_id: '1002', created_at: fromAnchor(19, '09:10'), subject: 'Wrong size', body: 'I received the wrong size.' },
	{ id: `it-${run}-4`, channel: 'email', customer_email: 'premium.buyer@example-store.test', created_at: fromAnchor(19, '09:20'), subject: 'Damaged', body: 'It arrived damaged. I will file a chargeback.' },
	{ id: `it-${run}-5`, channel: 'social', customer_email: 'first.contact@example-store.test', created_at: fromAnchor(19, '09:30'), subject: 'Thanks', body: 'Love the print!' },
];

/** The tickets' day (the sample store's anchor + 19), at noon: the run's time, so no calendar day changes what it reads. */
const NOW = fromAnchor(19, '12:00');
const triage = async (items: IDataObject[]) =>
	new CxTicketTriage().execute.call(executeContext({ items, parameters: { enrichFromShopify: true, storeInSupabase: true, options: { now: NOW } } }));
type Result = IDataObject & { triage: IDataObject; stored: IDataObject };
const byId = (outputs: INodeExecutionData[][]): Record<string, Result> =>
	Object.fromEntries(outputs.flat().map((item) => [((item.json as IDataObject).ticket as IDataObject).id, item.json as Result]));

describe('CX Ticket Triage with Shopify enrichment and Supabase storage, against the stand-ins', () => {
	const env = standinsEnv();
	const admin = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	afterAll(async () => {
		await admin.from('tickets').delete().like('external_id', `it-${run}-%`);
	});

	it('a ticket with half an emoji in it is triaged, enriched and stored with the rest of its batch', async () => {
		const broken = [
			{ id: `half-${run}-1`, channel: 'chat', customer_email: 'vip.tagged@example-store.test', created_at: fromAnchor(19, '10:00'), subject: 'Late \uD83D', body: 'My order is late \uD83D again' },
			{ id: `half-${run}-2`, channel: 'email', customer_email: 'regular.buyer@example-store.test', created_at: fromAnchor(19, '10:05'), subject: 'Sizes', body: 'What sizes do you offer?' },
		];
		const results = byId(await triage(broken));
		expect(results[`half-${run}-1`].triage).toMatchObject({ tier: 'vip', tierSource: 'shopify' });
		expect(results[`half-${run}-2`].triage).toMatchObject({ tierSource: 'shopify' });
		const { data } = await admin.from('tickets').select('external_id, body').in('external_id', [`half-${run}-1`, `half-${run}-2`]).order('external_id');
		expect(data).toEqual([{ external_id: `half-${run}-1`, body: 'My order is late \uFFFD again' }, { external_id: `half-${run}-2`, body: 'What sizes do you offer?' }]);
		await admin.from('tickets').delete().like('external_id', `half-${run}-%`);
	});

	it('a ticket given twice in one run is stored once, from its last item, and the earlier item says so', async () => {
		const twice = [
			{ id: `twice-${run}`, channel: 'email', customer_email: 'regular.buyer@example-store.test', created_at: fromAnchor(19, '11:00'), subject: 'Where is it', body: 'Where is my order?' },
			{ id: `twice-${run}`, channel: 'email', customer_email: 'regular.buyer@example-store.test', created_at: fromAnchor(19, '11:00'), subject: 'Where is it', body: 'Where is my order? It is late now.' },
		];
		const outputs = await triage(twice);
		const byItem = Object.fromEntries(outputs.flat().map((item) => [(item.pairedItem as { item: number }).item, item.json.stored]));
		expect(byItem).toEqual({ 0: { table: 'tickets', action: 'superseded', storedFromItem: 1 }, 1: { table: 'tickets', action: 'inserted' } });
		const { data } = await admin.from('tickets').select('external_id, body').eq('external_id', `twice-${run}`);
		expect(data).toEqual([{ external_id: `twice-${run}`, body: 'Where is my order? It is late now.' }]);
		await admin.from('tickets').delete().eq('external_id', `twice-${run}`);
	});

	it('tiers customers from the store, routes them, and stores one row per ticket', async () => {
		const before = await shopifyRequests();
		const [escalate, queue] = await triage(tickets);
		// five tickets, four customers by email or id: one batched request
		expect((await shopifyRequests()) - before).toBe(1);
		const results = byId([escalate, queue]);
		// the VIP's wrong size is an issue and escalates; the VIP's calm question about sizes waits its turn (seeds/000: VIP issues)
		expect(escalate.map((item) => ((item.json as IDataObject).ticket as IDataObject).id).sort()).toEqual([`it-${run}-3`, `it-${run}-4`]);
		expect(results[`it-${run}-1`].triage).toMatchObject({ tier: 'vip', tierSource: 'shopify', escalate: false, escalationReasons: [], intent: 'product_question', classifier: 'learned' });
		expect(results[`it-${run}-1`].triage.reasons).toEqual(expect.arrayContaining(['tier_vip:tag_VIP', 'vip_not_escalated:product_question_neutral']));
		expect(results[`it-${run}-3`].triage).toMatchObject({ tier: 'vip', tierSource: 'shopify', intent: 'wrong_item', escalate: true, escalationReasons: expect.arrayContaining(['tier_vip']) });
		expect(results[`it-${run}-4`].triage).toMatchObject({ tier: 'premium', escalate: true, flags: { threatening: true } });
		expect(results[`it-${run}-2`].triage).toMatchObject({ tier: 'regular', tierSource: 'shopify', escalate: false });
		expect(results[`it-${run}-5`].triage).toMatchObject({ tier: 'regular', tierSource: 'default' });
		expect((results[`it-${run}-1`].triage.customer as IDataObject).latestOrder).toMatchObject({ name: expect.stringMatching(/^#/) });
		expect(Object.values(results).map((result) => result.stored.action)).toEqual(Array(5).fill('inserted'));

		const { data: rows } = await admin.from('tickets').select('*').like('external_id', `it-${run}-%`).order('external_id');
		expect(rows).toHaveLength(5);
		expect(rows![0]).toMatchObject({
			external_id: `it-${run}-1`,
			tier: 'vip',
			priority: 'low',
			interaction_type: 'support_ticket',
			status: 'open',
			first_response_due_at: storedTime(fromAnchor(19, '09:30')),
			request: { customer_details: { tier: 'vip' } },
		});
		expect(rows![0].reasons).toEqual(results[`it-${run}-1`].triage.reasons);
	});

	it('a replay stores nothing twice and keeps what agents changed', async () => {
		await admin.from('tickets').update({ status: 'pending', first_responded_at: fromAnchor(19, '09:12') }).eq('external_id', `it-${run}-1`);
		const [escalate, queue] = await triage(tickets);
		expect(Object.values(byId([escalate, queue])).map((result) => result.stored.action)).toEqual(Array(5).fill('updated'));
		const { data: rows } = await admin.from('tickets').select('external_id, status, first_responded_at').like('external_id', `it-${run}-%`).order('external_id');
		expect(rows).toHaveLength(5);
		expect(rows![0]).toMatchObject({ status: 'pending', first_responded_at: storedTime(fromAnchor(19, '09:12')) });
	});

	it('a ticket posted again without its created time keeps the time it was first seen, and its due times', async () => {
		const posted = { id: `it-${run}-6`, channel: 'email', customer_email: 'regular.buyer@example-store.test', subject: 'Tracking', body: 'Where is my order? Tracking number please.' };
		const at = async (now: string) => byId(await new CxTicketTriage().execute.call(executeContext({ items: [posted], parameters: { enrichFromShopify: true, storeInSupabase: true, options: { now } } })))[`it-${run}-6`];
		const first = await at(fromAnchor(19, '09:00'));
		// shipping by email: 2 h from when it was first seen
		expect(first.triage.sla).toMatchObject({ firstResponseDueAt: fromAnchor(19, '11:00'), firstResponseOverdue: false });
		const again = await at(fromAnchor(19, '12:00'));
		expect(again.stored.action).toBe('updated');
		expect(again.triage.sla).toMatchObject({ firstResponseDueAt: fromAnchor(19, '11:00'), resolutionDueAt: (first.triage.sla as IDataObject).resolutionDueAt, firstResponseOverdue: true });
		const { data: row } = await admin.from('tickets').select('ticket_created_at, first_response_due_at, resolution_due_at').eq('external_id', `it-${run}-6`).single();
		expect(row).toEqual({
			ticket_created_at: storedTime(fromAnchor(19, '09:00')),
			first_response_due_at: storedTime(fromAnchor(19, '11:00')),
			resolution_due_at: storedTime(String((first.triage.sla as IDataObject).resolutionDueAt)),
		});
	});

	it('a ticket posted on hold is stored on hold with its waiting time, and a later post without them keeps them', async () => {
		const posted = { id: `it-${run}-7`, channel: 'email', customer_email: 'regular.buyer@example-store.test', created_at: fromAnchor(19, '09:00'), subject: 'Size', body: 'What sizes do you offer?' };
		const post = (...input: IDataObject[]) => new CxTicketTriage().execute.call(executeContext({ items: input, parameters: { storeInSupabase: true, options: { now: fromAnchor(19, '12:00') } } }));
		await post({ ...posted, status: 'on_hold', paused_since: fromAnchor(19, '10:00'), paused_seconds: 900 });
		const stored = async (n: number) => (await admin.from('tickets').select('status, paused_since, paused_seconds').eq('external_id', `it-${run}-${n}`).single()).data;
		expect(await stored(7)).toEqual({ status: 'on_hold', paused_since: storedTime(fromAnchor(19, '10:00')), paused_seconds: 900 });
		// two tickets in one run, one saying its status and one not: neither takes the other's
		await post(posted, { ...posted, id: `it-${run}-8`, status: 'pending' });
		expect(await stored(7)).toEqual({ status: 'on_hold', paused_since: storedTime(fromAnchor(19, '10:00')), paused_seconds: 900 });
		expect(await stored(8)).toEqual({ status: 'pending', paused_since: null, paused_seconds: 0 });
	});
});

/**
 * Record Helpdesk Events against the stand-ins: events kept once in ticket_events, the ticket rows folded from all
 * their events, triage's columns left alone, and a ticket not triaged yet given a minimal row that triage then
 * fills in without wiping its lifecycle.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxTicketTriage } from '../../nodes/CxTicketTriage/CxTicketTriage.node';
import { executeContext } from '../support/context';
import { fromAnchor, standinsEnv, storedTime } from '../support/standins';
import { deliveriesFor } from '../support/helpdesk/deliveries';
import { SupabaseService } from '../../nodes/shared/services/supabase';
import { writeLifecycle } from '../../nodes/shared/store/ticketEvents';

const run = randomUUID().slice(0, 8);
const id = (n: number) => `lc-${run}-${n}`;
const LIFECYCLE = 'external_id, status, first_responded_at, first_resolved_at, resolved_at, requester_wait_seconds, on_hold_seconds, paused_seconds, paused_since, agent_replies, customer_replies, replies_to_resolution, reopen_count, assignee, last_event_at, event_count';

const node = new CxTicketTriage();
const record = async (items: IDataObject[], parameters: IDataObject = { eventSource: 'fields', sourceName: `it-${run}` }, continueOnFail = false) =>
	(await node.execute.call(executeContext({ items, parameters: { operation: 'recordEvents', ...parameters }, continueOnFail })))[0].map((item: INodeExecutionData) => item.json as IDataObject);
const ev = (n: number, ticket: number, kind: string, at: string, extra: IDataObject = {}): IDataObject => ({ event_id: `${run}-${n}`, ticket_id: id(ticket), kind, occurred_at: at, ...extra });

describe('Record Helpdesk Events against the stand-ins', () => {
	const env = standinsEnv();
	const admin = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const row = async (ticket: string, columns = LIFECYCLE) => (await admin.from('tickets').select(columns).eq('external_id', ticket).single()).data as unknown as IDataObject;
	afterAll(async () => {
		await admin.from('ticket_events').delete().like('ticket_external_id', `lc-${run}-%`);
		await admin.from('tickets').delete().like('external_id', `lc-${run}-%`);
	});

	it('a triaged ticket\'s replies, pending and solve arrive out of order and twice: each event is kept once and the row says exactly what happened, triage\'s columns untouched', async () => {
		await node.execute.call(executeContext({ items: [{ id: id(1), channel: 'chat', customer_email: 'regular.buyer@example-store.test', created_at: fromAnchor(-2, '09:00'), subject: 'Late parcel', body: 'Where is my order?' }], parameters: { storeInSupabase: true } }));
		const before = await row(id(1), 'tier, priority, first_response_due_at, resolution_due_at, ticket_created_at');
		const events = [
			ev(1, 1, 'assignment', fromAnchor(-2, '09:01'), { assignee: 'ana@example-store.test' }),
			ev(2, 1, 'agent_reply', fromAnchor(-2, '09:02')),
			ev(3, 1, 'status_change', fromAnchor(-2, '09:02:30'), { status: 'pending' }),
			ev(4, 1, 'customer_reply', fromAnchor(-2, '10:02:30')),
			ev(5, 1, 'agent_reply', fromAnchor(-2, '10:10')),
			ev(6, 1, 'status_change', fromAnchor(-2, '10:12:30'), { status: 'solved' }),
		];
		// the solve and the second reply first, the first reply delivered twice
		const first = await record([events[5], events[4], events[1], events[1]]);
		expect(first.map((item) => item.recorded)).toEqual(['recorded', 'recorded', 'recorded', 'recorded']);
		const second = await record([events[0], events[2], events[3], events[1]]);
		expect(second.map((item) => item.recorded)).toEqual(['recorded', 'recorded', 'recorded', 'duplicate']);
		expect(await row(id(1))).toEqual({
			external_id: id(1),
			status: 'solved',
			first_responded_at: storedTime(fromAnchor(-2, '09:02')),
			first_resolved_at: storedTime(fromAnchor(-2, '10:12:30')),
			resolved_at: storedTime(fromAnchor(-2, '10:12:30')),
			requester_wait_seconds: 150 + 600,
			on_hold_seconds: 0,
			paused_seconds: 3600,
			paused_since: null,
			agent_replies: 2,
			customer_replies: 1,
			replies_to_resolution: 2,
			reopen_count: 0,
			assignee: 'ana@example-store.test',
			last_event_at: storedTime(fromAnchor(-2, '10:12:30')),
			event_count: 6,
		});
		expect(await row(id(1), 'tier, priority, first_response_due_at, resolution_due_at, ticket_created_at')).toEqual(before);
		const { count } = await admin.from('ticket_events').select('*', { count: 'exact', head: true }).eq('ticket_external_id', id(1));
		expect(count).toBe(6);

		// the whole batch delivered again: nothing new, the row as it was
		const replay = await record(events);
		expect(replay.map((item) => item.recorded)).toEqual(Array(6).fill('duplicate'));
		expect((await row(id(1))).event_count).toBe(6);
	});

	it('events for a ticket not triaged yet make a minimal row at once; triage then fills in its columns and the lifecycle stays', async () => {
		const [out] = await record([ev(10, 2, 'agent_reply', fromAnchor(-1, '08:30')), ev(11, 2, 'status_change', fromAnchor(-1, '08:31'), { status: 'on_hold' })]);
		expect(out.ticket).toMatchObject({ external_id: id(2), row_created: true, status: 'on_hold', paused_since: fromAnchor(-1, '08:31') });
		expect(await row(id(2), 'status, ticket_created_at, tier, first_response_due_at, first_responded_at, paused_since, event_count')).toEqual({
			status: 'on_hold', ticket_created_at: storedTime(fromAnchor(-1, '08:30')), tier: null, first_response_due_at: null,
			first_responded_at: storedTime(fromAnchor(-1, '08:30')), paused_since: storedTime(fromAnchor(-1, '08:31')), event_count: 2,
		});
		await node.execute.call(executeContext({ items: [{ id: id(2), channel: 'email', customer_email: 'regular.buyer@example-store.test', created_at: fromAnchor(-1, '08:00'), subject: 'Refund', body: 'I want a refund' }], parameters: { storeInSupabase: true } }));
		expect(await row(id(2), 'status, ticket_created_at, tier, first_responded_at, paused_since, event_count')).toEqual({
			status: 'on_hold', ticket_created_at: storedTime(fromAnchor(-1, '08:00')), tier: 'regular',
			first_responded_at: storedTime(fromAnchor(-1, '08:30')), paused_since: storedTime(fromAnchor(-1, '08:31')), event_count: 2,
		});
		// the next event folds from the triaged created time: the customer waited from 08:00
		await record([ev(12, 2, 'status_change', fromAnchor(-1, '09:31'), { status: 'open' })]);
		expect(await row(id(2), 'status, requester_wait_seconds, on_hold_seconds, paused_seconds, paused_since')).toEqual({ status: 'open', requester_wait_seconds: 1860, on_hold_seconds: 3600, paused_seconds: 3600, paused_since: null });
	});

	it('a triage item replayed with its own status and waiting clock after the helpdesk solved the ticket leaves the solve and the clocks the events told', async () => {
		await record([ev(30, 5, 'agent_reply', fromAnchor(-1, '11:00')), ev(31, 5, 'status_change', fromAnchor(-1, '11:05'), { status: 'solved' })]);
		const triage = { id: id(5), channel: 'email', customer_email: 'regular.buyer@example-store.test', created_at: fromAnchor(-1, '10:30'), subject: 'Refund', body: 'I want a refund' };
		await node.execute.call(executeContext({ items: [{ ...triage, status: 'open', paused_since: fromAnchor(-1, '10:40'), paused_seconds: 900 }], parameters: { storeInSupabase: true } }));
		expect(await row(id(5), 'status, resolved_at, paused_since, paused_seconds, requester_wait_seconds, tier, event_count')).toEqual({
			status: 'solved', resolved_at: storedTime(fromAnchor(-1, '11:05')), paused_since: null, paused_seconds: 0, requester_wait_seconds: 300, tier: 'regular', event_count: 2,
		});
		// a ticket no helpdesk event has told of yet takes the item's status as before
		await node.execute.call(executeContext({ items: [{ ...triage, id: id(6), status: 'pending', paused_since: fromAnchor(-1, '10:40') }], parameters: { storeInSupabase: true } }));
		expect(await row(id(6), 'status, paused_since, event_count')).toEqual({ status: 'pending', paused_since: storedTime(fromAnchor(-1, '10:40')), event_count: 0 });
	});

	it('two deliveries handled at once: the run that read fewer events never overwrites the row folded from more', async () => {
		await record([ev(20, 4, 'status_change', fromAnchor(-1, '10:00'), { status: 'open' }), ev(21, 4, 'agent_reply', fromAnchor(-1, '10:05')), ev(22, 4, 'status_change', fromAnchor(-1, '10:06'), { status: 'solved' })]);
		const supabase = await SupabaseService.connect(executeContext());
		// a slower run that had read only the first two events writes last
		expect(await writeLifecycle(supabase, id(4), { status: 'open', resolved_at: null, event_count: 2 }, 2)).toBe(false);
		expect(await row(id(4), 'status, resolved_at, event_count')).toEqual({ status: 'solved', resolved_at: storedTime(fromAnchor(-1, '10:06')), event_count: 3 });
	});

	it('a Zendesk webhook sequence, delivered through the preset, gives the row of the helpdesk\'s ticket', async () => {
		const deliveries = deliveriesFor('zendesk', { start: fromAnchor(-3, '09:00'), ticketId: id(3), tag: run });
		const out = await record(deliveries as unknown as IDataObject[], { eventSource: 'zendesk' });
		expect(out.map((item) => item.recorded)).toEqual([...Array(9).fill('recorded'), 'ignored']);
		expect(await row(id(3))).toEqual({
			external_id: id(3), status: 'solved', first_responded_at: storedTime(fromAnchor(-3, '09:20')), first_resolved_at: storedTime(fromAnchor(-3, '12:00:05')),
			resolved_at: storedTime(fromAnchor(-3, '12:00:05')), requester_wait_seconds: 4810, on_hold_seconds: 0, paused_seconds: 5995, paused_since: null,
			agent_replies: 2, customer_replies: 1, replies_to_resolution: 2, reopen_count: 0, assignee: '384027146512', last_event_at: storedTime(fromAnchor(-3, '12:00:05')), event_count: 9,
		});
		const { data: stored } = await admin.from('ticket_events').select('source, kind, status, actor').eq('ticket_external_id', id(3)).order('occurred_at');
		expect(stored!.map((event) => `${event.source}:${event.kind}:${event.status ?? ''}`)).toEqual([
			'zendesk:status_change:open', 'zendesk:assignment:', 'zendesk:agent_reply:', 'zendesk:status_change:pending', 'zendesk:customer_reply:',
			'zendesk:status_change:open', 'zendesk:internal_note:', 'zendesk:agent_reply:', 'zendesk:status_change:solved',
		]);
	});
});

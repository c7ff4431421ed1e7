/**
 * The helpdesk-events template in a real n8n, then the SLA sweep template: 50 triaged tickets whose helpdesks
 * (Zendesk, Gorgias, Freshdesk, Help Scout) post their realistic webhook sequences, each ticket's deliveries out of
 * order and one of them twice, behind the shared-secret header (Help Scout, which cannot send one, signs each
 * call and posts to the signed path). The rows are asserted exactly; the sweep then
 * escalates only the tickets nobody answered, none that were answered, solved or pending; and CX Satisfaction
 * Metrics, given the rows the events left, measures the same sequence: first response, resolution time,
 * first-contact resolution, reopens and the backlog.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder, workflowAsOf, type RunningN8n } from './n8n';
import { fromAnchor, repoRoot, standinsEnv, storedTime } from '../support/standins';
import { deliveriesFor, type Delivery, type Helpdesk } from '../support/helpdesk/deliveries';

const EVENTS_WORKFLOW = join(repoRoot, 'workflows', 'helpdesk-events.json');
const SWEEP_WORKFLOW = join(repoRoot, 'workflows', 'sla-breach-sweep.json');
const SECRET = `e2e-${randomUUID()}`;
/** Help Scout's webhook secret key: it signs each call rather than sending a header. */
const SIGNING_SECRET = `hs-${randomUUID().slice(0, 30)}`;
const run = randomUUID().slice(0, 8);
const NOW = fromAnchor(0, '12:00');
const MINUTE = 60_000;

type Scenario = 'zendeskSolved' | 'gorgiasReopenedSolved' | 'freshdeskClosed' | 'helpscoutPending' | 'zendeskAnswered' | 'zendeskUnanswered';
/** Which deliveries of which fixture each scenario posts. */
const SCENARIOS: Record<Scenario, { helpdesk: Helpdesk; take: number }> = {
	zendeskSolved: { helpdesk: 'zendesk', take: 10 },
	gorgiasReopenedSolved: { helpdesk: 'gorgias', take: 9 },
	freshdeskClosed: { helpdesk: 'freshdesk', take: 9 },
	helpscoutPending: { helpdesk: 'helpscout', take: 4 },
	zendeskAnswered: { helpdesk: 'zendesk', take: 3 },
	zendeskUnanswered: { helpdesk: 'zendesk', take: 2 },
};
/** 45 tickets answered, solved or pending, and 5 nobody answered. */
const ORDER: Scenario[] = ['zendeskSolved', 'gorgiasReopenedSolved', 'freshdeskClosed', 'helpscoutPending', 'zendeskAnswered'];
const TICKETS = Array.from({ length: 50 }, (_, i) => ({
	id: `hx-${run}-${String(i + 1).padStart(2, '0')}`,
	scenario: i < 45 ? ORDER[i % 5] : ('zendeskUnanswered' as Scenario),
	start: new Date(new Date(fromAnchor(-4, '08:00')).getTime() + i * 10 * MINUTE).toISOString(),
}));

/** The row each scenario leaves, its times counted from the ticket's start. */
function expectedRow(id: string, scenario: Scenario, start: string): Record<string, unknown> {
	const at = (seconds: number) => storedTime(new Date(new Date(start).getTime() + seconds * 1000).toISOString());
	const base = { external_id: id, on_hold_seconds: 0, paused_seconds: 0, paused_since: null, reopen_count: 0, customer_replies: 0, first_resolved_at: null, resolved_at: null, replies_to_resolution: null };
	switch (scenario) {
		case 'zendeskSolved':
			return { ...base, status: 'solved', first_responded_at: at(1200), first_resolved_at: at(10805), resolved_at: at(10805), requester_wait_seconds: 4810, paused_seconds: 5995, agent_replies: 2, customer_replies: 1, replies_to_resolution: 2, assignee: '384027146512', last_event_at: at(10805), event_count: 9 };
		case 'gorgiasReopenedSolved':
			return { ...base, status: 'solved', first_responded_at: at(1800), first_resolved_at: at(1860), resolved_at: at(66060), requester_wait_seconds: 3120, agent_replies: 2, customer_replies: 2, replies_to_resolution: 1, reopen_count: 1, assignee: 'ana@example-store.test', last_event_at: at(66060), event_count: 9 };
		case 'freshdeskClosed':
			return { ...base, status: 'closed', first_responded_at: at(2400), first_resolved_at: at(24660), resolved_at: at(24660), requester_wait_seconds: 3060, on_hold_seconds: 21600, paused_seconds: 21600, agent_replies: 2, replies_to_resolution: 2, assignee: 'sam@example-store.test', last_event_at: at(197460), event_count: 8 };
		case 'helpscoutPending':
			return { ...base, status: 'pending', first_responded_at: at(2700), requester_wait_seconds: 2730, paused_since: at(2730), agent_replies: 1, assignee: 'lee@example-store.test', last_event_at: at(2730), event_count: 4 };
		case 'zendeskAnswered':
			return { ...base, status: 'open', first_responded_at: at(1200), requester_wait_seconds: 1200, agent_replies: 1, assignee: '384027146512', last_event_at: at(1200), event_count: 3 };
		case 'zendeskUnanswered':
			return { ...base, status: 'open', first_responded_at: null, requester_wait_seconds: 300, agent_replies: 0, assignee: '384027146512', last_event_at: at(300), event_count: 2 };
	}
}

/** Each ticket's deliveries out of order (reversed, or rotated), with its third delivery sent twice. */
function postingOrder(deliveries: Delivery[], index: number): Delivery[] {
	const shuffled = index % 2 ? [...deliveries].reverse() : [...deliveries.slice(1), deliveries[0]];
	return [...shuffled, deliveries[Math.min(2, deliveries.length - 1)]];
}

describe('helpdesk-events and sla-breach-sweep templates in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const ids = TICKETS.map((ticket) => ticket.id);
	let server: RunningN8n | undefined;

	const cleanUp = async () => {
		await supabase.from('escalations').delete().in('ticket_external_id', ids).throwOnError();
		await supabase.from('ticket_events').delete().in('ticket_external_id', ids).throwOnError();
		await supabase.from('tickets').delete().in('external_id', ids).throwOnError();
	};
	const post = (helpdesk: Helpdesk, delivery: Delivery, secret: string | null = SECRET) => {
		const body = JSON.stringify(delivery.body);
		const headers = { ...Object.fromEntries(Object.entries(delivery.headers).filter(([name]) => !['host', 'content-length', 'x-cx-webhook-secret', 'x-helpscout-signature'].includes(name))), 'content-type': 'application/json' };
		// Help Scout signs the body with its secret key and calls the signed path; the others send the shared-secret header
		if (helpdesk === 'helpscout') {
			const signature = createHmac('sha1', secret === SECRET ? SIGNING_SECRET : String(secret)).update(body).digest('base64');
			return fetch(`${server!.url}/webhook/cx-helpdesk-events-signed`, { method: 'POST', headers: { ...headers, ...(secret ? { 'x-helpscout-signature': signature } : {}) }, body });
		}
		return fetch(`${server!.url}/webhook/cx-helpdesk-events?helpdesk=${helpdesk}`, { method: 'POST', headers: { ...headers, ...(secret ? { 'x-cx-webhook-secret': secret } : {}) }, body });
	};

	beforeAll(async () => {
		await cleanUp();
		// the 50 tickets as triage stored them: first reply due an hour after they were written, resolution a day after
		// (a week for the ones nobody answered, so they are overdue for their first response only)
		const rows = TICKETS.map(({ id, scenario, start }) => ({
			external_id: id,
			channel: 'email',
			subject: 'Order question',
			body: 'Where is my order?',
			customer_email: 'regular.buyer@example-store.test',
			tier: 'regular',
			priority: 'medium',
			status: 'open',
			ticket_created_at: start,
			first_response_due_at: new Date(new Date(start).getTime() + 60 * MINUTE).toISOString(),
			resolution_due_at: new Date(new Date(start).getTime() + (scenario === 'zendeskUnanswered' || scenario === 'zendeskAnswered' ? 7 * 24 * 60 : 24 * 60) * MINUTE).toISOString(),
			triaged_at: start,
		}));
		await supabase.from('tickets').insert(rows).throwOnError();
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		await n8n.importCredentials({ userFolder: folder.path, credentials: [
			{ id: 'cxHelpdeskWebhookSecret', name: 'Helpdesk webhook secret', type: 'httpHeaderAuth', data: { name: 'X-CX-Webhook-Secret', value: SECRET } },
			{ id: 'cxHelpScoutSigningSecret', name: 'Help Scout signing secret', type: 'cxHelpdeskSignatureApi', data: { secret: SIGNING_SECRET } },
		] });
		await n8n.importWorkflows({ userFolder: folder.path, files: [EVENTS_WORKFLOW, workflowAsOf(SWEEP_WORKFLOW, folder.path, NOW)] });
		await n8n.publishWorkflow({ userFolder: folder.path, id: 'cxHelpdeskEvents1' });
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
		await cleanUp();
		folder.done(3);
	});

	it('refuses a call without the shared secret or Help Scout\'s signature; keeps 50 tickets\' events once, out of order and repeated, and writes each row exactly', async () => {
		server = await n8n.startN8n({ userFolder: folder.path, port: Number(process.env.N8N_PORT) || (await n8n.freePort()) });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-helpdesk-events' });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-helpdesk-events-signed' });
		const sample = deliveriesFor('zendesk', { start: TICKETS[0].start, ticketId: ids[0], tag: ids[0] })[0];
		expect((await post('zendesk', sample, null)).status).toBe(403);
		expect((await post('zendesk', sample, 'not-the-secret')).status).toBe(403);
		// Help Scout's call unsigned, or signed with another key: refused with the reason, nothing recorded
		const signed = deliveriesFor('helpscout', { start: TICKETS[3].start, ticketId: ids[3], tag: ids[3] })[0];
		const unsigned = await post('helpscout', signed, null);
		expect(unsigned.status).toBe(401);
		expect(await unsigned.json()).toEqual({ refused: ['Item 0: delivery refused: the Help Scout signature header x-helpscout-signature is missing'] });
		const forged = await post('helpscout', signed, 'another-secret-key');
		expect(forged.status).toBe(401);
		expect(await forged.json()).toEqual({ refused: ['Item 0: delivery refused: the Help Scout signature does not match the body'] });
		expect((await supabase.from('ticket_events').select('*', { count: 'exact', head: true }).in('ticket_external_id', ids)).count).toBe(0);

		const answers: Record<string, number> = { recorded: 0, duplicate: 0, ignored: 0 };
		// five tickets at a time, each ticket's deliveries one after the other as its helpdesk sends them
		for (let i = 0; i < TICKETS.length; i += 5) {
			await Promise.all(
				TICKETS.slice(i, i + 5).map(async ({ id, scenario, start }, offset) => {
					const { helpdesk, take } = SCENARIOS[scenario];
					const deliveries = deliveriesFor(helpdesk, { start, ticketId: id, tag: id }).slice(0, take);
					for (const delivery of postingOrder(deliveries, i + offset)) {
						const response = await post(helpdesk, delivery);
						expect(response.status).toBe(200);
						const answer = (await response.json()) as { received: number; recorded: string[] };
						expect(answer.received).toBe(1);
						answers[answer.recorded[0]] += 1;
					}
				}),
			);
		}
		// 9 of each of five scenarios and 5 unanswered: 9 x (9 + 9 + 8 + 4 + 3) + 5 x 2 events, each ticket's third delivery twice
		// (the Freshdesk fixture repeats a reply already), the Zendesk priority change ignored
		expect(answers).toEqual({ recorded: 9 * 33 + 5 * 2, duplicate: 50 + 9, ignored: 9 * 1 });

		const { data: rows } = await supabase
			.from('tickets')
			.select('external_id, status, first_responded_at, first_resolved_at, resolved_at, requester_wait_seconds, on_hold_seconds, paused_seconds, paused_since, agent_replies, customer_replies, replies_to_resolution, reopen_count, assignee, last_event_at, event_count')
			.in('external_id', ids)
			.order('external_id');
		expect(rows).toEqual(TICKETS.map(({ id, scenario, start }) => expectedRow(id, scenario, start)));
		// triage's columns stay as triage stored them
		const { data: kept } = await supabase.from('tickets').select('tier, priority, subject').in('external_id', ids);
		expect(kept!.every((row) => row.tier === 'regular' && row.priority === 'medium' && row.subject === 'Order question')).toBe(true);
		expect((await supabase.from('ticket_events').select('*', { count: 'exact', head: true }).in('ticket_external_id', ids)).count).toBe(9 * 33 + 5 * 2);
		await server.stop();
		server = undefined;
		folder.passed();
	}, 900_000);

	it('the SLA sweep on that state escalates only the 5 tickets nobody answered: none answered, solved or pending', async () => {
		const result = await n8n.executeWorkflow({ userFolder: folder.path, id: 'cxSlaBreachSweep1', timeoutMs: 300_000 });
		expect(result.status).toBe('success');
		const swept = n8n.nodeOutput(result, 'CX VIP Escalation').filter((item) => ids.includes(String((item.ticket as { id: string }).id)));
		const unanswered = TICKETS.filter((ticket) => ticket.scenario === 'zendeskUnanswered').map((ticket) => ticket.id);
		expect(swept.map((item) => (item.ticket as { id: string }).id).sort()).toEqual(unanswered);
		for (const item of swept) expect(item.escalation).toMatchObject({ escalate: true, level: 1, reasons: ['sla_breach:first_response'] });
		const { data: levels } = await supabase.from('tickets').select('external_id, escalation_level').in('external_id', ids).gt('escalation_level', 0).order('external_id');
		expect(levels).toEqual(unanswered.map((id) => ({ external_id: id, escalation_level: 1 })));
		folder.passed();
	}, 600_000);
	it('CX Satisfaction Metrics, given the rows those events left, measures the sequence: 90% answered within 4 h, 27 solved, none at first contact, 9 reopened, 23 in the backlog', async () => {
		const { data: rows } = await supabase.from('tickets').select('external_id, ticket_created_at, status, first_responded_at, first_resolved_at, resolved_at, paused_seconds, reopen_count, replies_to_resolution').in('external_id', ids).throwOnError();
		expect(rows).toHaveLength(50);
		// the rows go in as items, so no other ticket in the store's table counts; the period holds the whole sequence
		const id = 'cxHelpdeskMetrics1';
		const file = join(folder.path, `${id}.json`);
		writeFileSync(file, JSON.stringify({
			id,
			name: 'Metrics of the helpdesk sequence',
			nodes: [
				{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: `${id}-rows`, name: 'Ticket Rows', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));` } },
				{
					id: `${id}-metrics`,
					name: 'CX Satisfaction Metrics',
					type: 'n8n-nodes-cx-director.cxSatisfactionMetrics',
					typeVersion: 1,
					position: [440, 0],
					parameters: { period: 'custom', periodStart: fromAnchor(-4, '00:00'), periodEnd: NOW, responsesFrom: 'supabase', includeTickets: true, ticketsFrom: 'items', ordersFrom: 'none', options: { now: NOW, timeZone: 'UTC' } },
					credentials: { cxSupabaseApi: { id: n8n.CREDENTIAL_IDS.supabase, name: 'Supabase (local stand-in)' } },
				},
			],
			connections: { Start: { main: [[{ node: 'Ticket Rows', type: 'main', index: 0 }]] }, 'Ticket Rows': { main: [[{ node: 'CX Satisfaction Metrics', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		}));
		await n8n.importWorkflows({ userFolder: folder.path, files: [file] });
		const result = await n8n.executeWorkflow({ userFolder: folder.path, id, timeoutMs: 300_000 });
		const [{ metrics }] = n8n.nodeOutput(result, 'CX Satisfaction Metrics') as Array<{ metrics: { current: Record<string, unknown>; kpis: Array<Record<string, unknown>> } }>;
		// first replies after 20 min (18 tickets), 30 min (9), 40 min (9) and 45 min (9); the 5 nobody answered are misses
		expect(metrics.current.firstResponse).toEqual({ responded: 45, withinTarget: 45, unansweredPastTarget: 5, withinTargetPercent: 90, medianHours: 0.5, p50Hours: 0.5, p90Hours: 0.75, targetHours: 4, metPercent: 90 });
		// solved: 9 Zendesk in 1 h 20 min after 1 h 40 min pending, 9 Freshdesk in 51 min after 6 h on hold, 9 Gorgias at their
		// second solve 18 h 21 min after they were written
		expect(metrics.current.resolution).toMatchObject({ resolved: 27, withinTarget: 27, withinTargetPercent: 100, p50Hours: 1.33, p90Hours: 18.35, targetHours: 48, waitingHoursExcluded: 68.99 });
		// two agent replies before the Zendesk and Freshdesk solves, one before the Gorgias solve that the customer reopened
		expect(metrics.current.firstContactResolution).toMatchObject({ solved: 27, count: 0, ratePercent: 0, unknown: 0 });
		expect(metrics.current.reopens).toMatchObject({ solved: 27, count: 9, ratePercent: 33.3 });
		// 9 pending (Help Scout), 9 answered and open, 5 unanswered
		expect(metrics.current.backlog).toBe(23);
		const kpi = (key: string) => metrics.kpis.find((entry) => entry.key === key);
		expect(kpi('first_response')).toMatchObject({ value: 90, status: 'met' });
		expect(kpi('first_contact_resolution')).toMatchObject({ value: 0, status: 'missed' });
		expect(kpi('reopen_rate')).toMatchObject({ value: 33.3, status: 'missed' });
		folder.passed();
	}, 600_000);
});

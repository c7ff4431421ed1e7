/**
 * The returns desk in a real n8n 2.x that loads the pack as a community package. CX: daily returns desk, as of the
 * stand-in store's anchor, decides the six seeded requests as the integration test does (approved #1013 #1014 #1905
 * #1923, declined #1009, #1012 to a person) and is run twice more: nothing is approved, declined or emailed again
 * (SendGrid's cx-returns messages, return_decisions rows, the returns' status and the return mutations in Shopify).
 * CX: Shopify return requests decides a request the moment Shopify's signed returns/request call comes (a retry is a
 * duplicate, a forged call 401); and the director sends a customer's return ticket to CX Returns Desk, once.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { directorCaller, n8n, tempUserFolder, workflowAsOf, type RunningN8n, type WorkflowRun } from './n8n';
import { standin } from '../support/context';
import { shopifyGraphqlClient } from '../support/shopify';
import { fromAnchor, repoRoot, standinsEnv } from '../support/standins';

const DAILY = join(repoRoot, 'workflows', 'daily-returns-desk.json');
const WEBHOOK = join(repoRoot, 'workflows', 'shopify-return-requests.json');
const DIRECTOR = join(repoRoot, 'workflows', 'cx-director.json');
const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;
/** The seeded requests (scripts/standins/shopify-returns.js seedRequests), by order. */
const RETURNS: Record<string, string> = {
	'#1014': gid('Return', 94001),
	'#1013': gid('Return', 94002),
	'#1009': gid('Return', 94003),
	'#1012': gid('Return', 94004),
	'#1905': gid('Return', 94005),
	'#1923': gid('Return', 94006),
};
const APPROVED = ['#1013', '#1014', '#1905', '#1923'];
/** What the desk does in Shopify (scripts/standins/shopify-returns.js logs each mutation). */
const RETURN_MUTATIONS = ['returnApproveRequest', 'returnDeclineRequest', 'returnCreate', 'returnRequest'];
/** A generated order of the 300-customer test store: one Coastal Lines print in an oak frame, delivered 11 days before the anchor, no return. */
const TICKET_ORDER = { id: gid('Order', 5893), name: '#1893' };
/** Another: the same print, delivered the day before the anchor; its customer asks in Shopify. */
const WEBHOOK_ORDER = { id: gid('Order', 5922), name: '#1922' };

interface Message { body: { custom_args?: Record<string, string>; categories?: string[] }; deliveries: Array<{ to: Array<{ email: string }>; subject: string }> }
type Decided = { return: { id: string | null; name: string }; order: { name: string }; returnDecision: Record<string, any> };
type Answer = Record<string, any> & { decision: string; reasons: string[] };

const run = randomUUID().slice(0, 8);
const TICKET_ID = `ret-${run}-colour`;

const caller = (request: unknown) => directorCaller(`cxReturnTicket${run}`, `Asks the CX director about a return (${run})`, request);

/** A node's items on one output, none when it did not run (n8n runs no node without input). */
function outputOf(result: WorkflowRun, node: string, output = 0): Array<Record<string, any>> {
	return result.data.resultData.runData[node] ? n8n.nodeOutput(result, node, { output }) : [];
}
const names = (items: Array<Record<string, any>>) => items.map((item) => (item as Decided).order.name).sort();

describe('the returns desk templates in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const shopify = shopifyGraphqlClient();
	const query = async <T = any>(document: string, variables?: Record<string, unknown>) => (await shopify.request<T>(document, { variables })).data as T;
	const eventIds = { first: `${run}-return-requested`, forged: `${run}-forged` };
	let server: RunningN8n | undefined;
	let requested: { id: string; name: string } | undefined;
	let customerEmail = '';

	const statuses = async (ids: string[]) => {
		const { nodes } = await query<{ nodes: Array<{ id: string; status: string } | null> }>('query($ids: [ID!]!) { nodes(ids: $ids) { ... on Return { id status } } }', { ids });
		return Object.fromEntries(nodes.map((node, at) => [ids[at], node?.status ?? 'missing']));
	};
	const mail = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-returns'));
	const decisions = async () => (await supabase.from('return_decisions').select('return_key, return_id, source, outcome, resolution, status, customer_email_status, staff_email_status').eq('step', 'decide').order('return_key').throwOnError()).data ?? [];
	const mutations = async () => {
		const { mutationLog } = await standin<{ mutationLog: Array<{ mutation: string; returnId?: string; userErrors?: unknown[] }> }>('shopify', '/__standin/state');
		return mutationLog.filter((entry) => RETURN_MUTATIONS.includes(entry.mutation) && !entry.userErrors?.length);
	};
	const returnsOf = async (orderId: string) =>
		(await query<{ order: { returns: { nodes: Array<{ id: string; status: string; exchangeLineItems: { nodes: Array<{ variantId: string; quantity: number }> } }> } } }>(
			'query($id: ID!) { order(id: $id) { returns(first: 10) { nodes { id status exchangeLineItems(first: 5) { nodes { variantId quantity } } } } } }',
			{ id: orderId },
		)).order.returns.nodes;
	/** Waits until `check` holds (the desk works after Shopify is answered), up to a minute. */
	const eventually = async (check: () => Promise<boolean>) => {
		for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 500))) if (await check()) return;
		throw new Error('the workflow did not finish its work within a minute');
	};

	const cleanUp = async () => {
		await supabase.from('return_decisions').delete().neq('return_key', '').throwOnError();
		await supabase.from('escalations').delete().like('ticket_external_id', 'return-%').throwOnError();
		await supabase.from('tickets').delete().eq('external_id', TICKET_ID).throwOnError();
		await supabase.from('shopify_events').delete().in('event_id', Object.values(eventIds)).throwOnError();
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		// the seeded requests back to Requested, with no other return on the store's orders
		await standin('shopify', '/__standin/reset', { method: 'POST' });
	};

	beforeAll(async () => {
		await cleanUp();
		const { returns } = await standin<{ returns: { generatedRequests: number } }>('shopify', '/__standin/state');
		if (returns.generatedRequests) await standin('shopify', '/__standin/return-requests', { method: 'POST', body: JSON.stringify({ count: 0 }) });
		expect(await statuses(Object.values(RETURNS))).toEqual(Object.fromEntries(Object.values(RETURNS).map((id) => [id, 'REQUESTED'])));
		for (const order of [TICKET_ORDER, WEBHOOK_ORDER]) expect(await returnsOf(order.id)).toEqual([]);

		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		const { order } = await query<{ order: { customer: { id: string; email: string } } }>('query($id: ID!) { order(id: $id) { customer { id email } } }', { id: TICKET_ORDER.id });
		customerEmail = order.customer.email;
		const request = {
			trigger_source: 'helpdesk',
			interaction_type: 'support_ticket',
			customer_details: { customer_id: order.customer.id, tier: 'regular', issue_type: 'product', sentiment: 'neutral' },
			action_parameters: { priority: 'medium', resolution_type: 'replacement', follow_up: 'optional' },
			ticket: {
				id: TICKET_ID,
				channel: 'email',
				customer_email: customerEmail,
				order_id: TICKET_ORDER.name,
				created_at: fromAnchor(-1, '15:00'),
				subject: 'Exchange the frame colour',
				body: `Hello, my Coastal Lines print from order ${TICKET_ORDER.name} arrived safely, but the oak frame colour is too warm for my room. Could I exchange it for the black frame?`,
			},
		};
		const callerFile = join(folder.path, 'caller.json');
		writeFileSync(callerFile, JSON.stringify(caller(request)));
		// the daily desk and the director as of the store's anchor (the seeded requests' windows are counted from it);
		// the webhook as of the real time, when the customer asks
		await n8n.importWorkflows({ userFolder: folder.path, files: [workflowAsOf(DAILY, folder.path, env.anchor), WEBHOOK, workflowAsOf(DIRECTOR, folder.path, env.anchor), callerFile] });
		await n8n.publishWorkflow({ userFolder: folder.path, id: 'cxShopifyReturns1' });
		await n8n.publishWorkflow({ userFolder: folder.path, id: 'cxDirector1' });
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
		await cleanUp();
		folder.done(3);
	});

	it('decides the six seeded requests on the first run, and approves, declines and emails nothing on the two runs after', async () => {
		const seeded = Object.values(RETURNS);
		const after: Array<{ mail: number; rows: number; mutations: number; statuses: Record<string, string> }> = [];
		const runs: WorkflowRun[] = [];
		for (let attempt = 0; attempt < 3; attempt++) {
			const result = await n8n.executeWorkflow({ userFolder: folder.path, id: 'cxDailyReturnsDesk1', timeoutMs: 240_000 });
			expect(result.status).toBe('success');
			runs.push(result);
			after.push({ mail: (await mail()).length, rows: (await decisions()).length, mutations: (await mutations()).length, statuses: await statuses(seeded) });
		}
		const [first, ...later] = runs;

		// the first run: four approved, one declined, one for a person; as test/integration/returnsDesk.test.ts decides them
		expect(names(outputOf(first, 'Approved'))).toEqual(APPROVED);
		expect(names(outputOf(first, 'Declined'))).toEqual(['#1009']);
		const review = outputOf(first, 'CX Returns Desk', 2);
		expect(names(review)).toEqual(['#1012']);
		const decided = Object.fromEntries([...outputOf(first, 'Approved'), ...outputOf(first, 'Declined'), ...review].map((item) => [(item as Decided).order.name, (item as Decided).returnDecision]));
		expect(decided['#1014']).toMatchObject({ status: 'approved', resolution: 'exchange', customerEmail: { status: 'sent' } });
		expect(decided['#1013']).toMatchObject({ status: 'approved', fault: 'store', resolution: 'store_credit' });
		expect(decided['#1905']).toMatchObject({ status: 'approved', window: { euFloor: true }, lines: [{ finalSale: true }] });
		expect(decided['#1009']).toMatchObject({ status: 'declined', declineReason: 'RETURN_PERIOD_ENDED', customerEmail: { status: 'sent' } });
		expect(decided['#1012']).toMatchObject({ status: 'needs_review', reviewReasons: ['fault_claim_after_window'], customerEmail: { status: 'sent' }, staffEmail: { status: 'sent' } });
		// decided by this run: none of the six was decided before
		expect(Object.values(decided).filter((decision) => decision.alreadyDecided)).toEqual([]);
		// a regular customer's return worth less than $500: the returns inbox has it, the team lead is not paged
		expect(outputOf(first, 'Escalated to the team lead')).toEqual([]);
		expect(outputOf(first, 'In the returns inbox').map((item) => [item.id, item.subject, item.escalation.escalate])).toEqual([['return-94004', 'Return to review: #1012-R1', false]]);
		expect(outputOf(first, 'Not decided: the next run tries again')).toEqual([]);

		// the two runs after: the five answered returns are no longer Requested, #1012 still waits for its person
		for (const again of later) {
			expect(outputOf(again, 'Approved')).toEqual([]);
			expect(outputOf(again, 'Declined')).toEqual([]);
			const waiting = outputOf(again, 'CX Returns Desk', 2);
			expect(names(waiting)).toEqual(['#1012']);
			expect(waiting[0].returnDecision).toMatchObject({ status: 'needs_review', alreadyDecided: true, customerEmail: { status: 'already_sent' }, staffEmail: { status: 'already_sent' } });
		}

		// what a store owner checks after each run: 7 emails (6 customers, 1 staff), 6 rows, 5 answers in Shopify
		const expected = { mail: 7, rows: 6, mutations: 5, statuses: { ...Object.fromEntries(APPROVED.map((name) => [RETURNS[name], 'OPEN'])), [RETURNS['#1009']]: 'DECLINED', [RETURNS['#1012']]: 'REQUESTED' } };
		expect(after).toEqual([expected, expected, expected]);
		const rows = await decisions();
		expect(rows.map((row) => [row.return_key, row.outcome, row.status, row.customer_email_status])).toEqual(
			Object.entries(RETURNS)
				.map(([name, id]) => [id, name === '#1009' ? 'decline' : name === '#1012' ? 'review' : 'approve', name === '#1012' ? 'needs_review' : 'done', 'sent'])
				.sort((a, b) => (a[0] < b[0] ? -1 : 1)),
		);
		const sent = await mail();
		expect(sent.filter((message) => message.body.custom_args?.cx_email === 'staff').map((message) => [message.deliveries[0].to[0].email, message.deliveries[0].subject])).toEqual([['returns@example-store.test', 'Return to review: #1012']]);
		expect(new Set(sent.map((message) => `${message.body.custom_args?.cx_return}:${message.body.custom_args?.cx_email}`)).size).toBe(7);
		folder.passed();
	}, 900_000);

	it('decides a return the moment Shopify\'s signed returns/request call comes, once however often it is delivered', async () => {
		// the customer asks in Shopify: a Requested return on #1922, for the frame's colour
		const { returnableFulfillments } = await query<{ returnableFulfillments: { nodes: Array<{ returnableFulfillmentLineItems: { nodes: Array<{ quantity: number; fulfillmentLineItem: { id: string } }> } }> } }>(
			'query($id: ID!) { returnableFulfillments(orderId: $id, first: 5) { nodes { returnableFulfillmentLineItems(first: 10) { nodes { quantity fulfillmentLineItem { id } } } } } }',
			{ id: WEBHOOK_ORDER.id },
		);
		const [line] = returnableFulfillments.nodes[0].returnableFulfillmentLineItems.nodes;
		const { returnRequest } = await query<{ returnRequest: { return: { id: string; name: string; returnLineItems: { nodes: Array<{ id: string }> } } | null; userErrors: unknown[] } }>(
			'mutation($input: ReturnRequestInput!) { returnRequest(input: $input) { return { id name returnLineItems(first: 5) { nodes { ... on ReturnLineItem { id } } } } userErrors { field message code } } }',
			{ input: { orderId: WEBHOOK_ORDER.id, returnLineItems: [{ fulfillmentLineItemId: line.fulfillmentLineItem.id, quantity: 1, returnReason: 'COLOR', customerNote: 'The oak looks too warm; the black frame would suit the room.' }] } },
		);
		expect(returnRequest.userErrors).toEqual([]);
		requested = returnRequest.return!;
		const number = Number(requested.id.split('/').pop());
		const payload = {
			id: number,
			admin_graphql_api_id: requested.id,
			name: requested.name,
			status: 'requested',
			order: { id: 5922, admin_graphql_api_id: WEBHOOK_ORDER.id },
			total_return_line_items: 1,
			return_line_items: returnRequest.return!.returnLineItems.nodes.map((item) => ({ id: Number(item.id.split('/').pop()), admin_graphql_api_id: item.id, quantity: 1, return_reason: 'color' })),
		};
		const call = (eventId: string, secret: string) => {
			const text = JSON.stringify(payload);
			return {
				method: 'POST',
				body: text,
				headers: {
					'content-type': 'application/json',
					'x-shopify-topic': 'returns/request',
					'x-shopify-shop-domain': env.shopify.shopDomain,
					'x-shopify-event-id': eventId,
					'x-shopify-webhook-id': 'c3a1f7e2-5d84-4b69-9e20-7f1b3d5a8c46',
					'x-shopify-triggered-at': new Date().toISOString(),
					'x-shopify-api-version': '2026-10',
					'x-shopify-hmac-sha256': createHmac('sha256', secret).update(text).digest('base64'),
				},
			};
		};
		server = await n8n.startN8n({ userFolder: folder.path, port: await n8n.freePort() });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-shopify-returns' });
		const post = async (init: RequestInit) => {
			const started = Date.now();
			const response = await fetch(`${server!.url}/webhook/cx-shopify-returns`, init);
			return { status: response.status, json: (await response.json()) as Record<string, unknown>, ms: Date.now() - started };
		};
		const before = { mail: (await mail()).length, mutations: (await mutations()).length };

		// signed with another app's secret: 401, nothing recorded or decided
		expect(await post(call(eventIds.forged, 'shpss_another_apps_secret'))).toMatchObject({ status: 401, json: { refused: ['Item 0: delivery refused: the Shopify signature (header "x-shopify-hmac-sha256") does not match the body'] } });
		// the app's own call: answered at once, then decided: the black frame in stock, approved with the exchange
		const first = await post(call(eventIds.first, env.shopify.clientSecret));
		expect(first).toMatchObject({ status: 200, json: { received: 1, routes: ['return_request'] } });
		expect(first.ms).toBeLessThan(5000);
		await eventually(async () => (await statuses([requested!.id]))[requested!.id] === 'OPEN' && (await mail()).length > before.mail);
		// Shopify retries the call: a duplicate, decided and told nothing again
		expect(await post(call(eventIds.first, env.shopify.clientSecret))).toMatchObject({ status: 200, json: { received: 1, routes: ['duplicate'] } });
		await new Promise((resolve) => setTimeout(resolve, 3000));

		const rows = (await decisions()).filter((row) => row.return_key === requested!.id);
		expect(rows).toEqual([expect.objectContaining({ source: 'shopify_return', outcome: 'approve', resolution: 'exchange', status: 'done', customer_email_status: 'sent' })]);
		expect((await mail()).filter((message) => message.body.custom_args?.cx_return === requested!.id).map((message) => message.deliveries[0].subject)).toEqual([`Your return for order ${WEBHOOK_ORDER.name} is approved`]);
		expect((await mutations()).slice(before.mutations).map((entry) => [entry.mutation, entry.returnId])).toEqual([['returnApproveRequest', requested.id]]);
		const { data: events } = await supabase.from('shopify_events').select('event_id, topic, route, order_id').in('event_id', Object.values(eventIds)).throwOnError();
		expect(events).toEqual([{ event_id: eventIds.first, topic: 'returns/request', route: 'return_request', order_id: WEBHOOK_ORDER.id }]);
		await server.stop();
		server = undefined;
		folder.passed();
	}, 300_000);

	it('the director sends a customer\'s return ticket to the desk: the exchange opened in Shopify once, the customer told once', async () => {
		const ask = async () => {
			const result = await n8n.executeWorkflow({ userFolder: folder.path, id: `cxReturnTicket${run}`, timeoutMs: 240_000 });
			expect(result.status).toBe('success');
			const answers = n8n.nodeOutput(result, 'Ask the director') as Answer[];
			expect(answers).toHaveLength(1);
			return answers[0];
		};
		const answer = await ask();
		expect(answer).toMatchObject({
			interaction_type: 'support_ticket',
			trigger_source: 'helpdesk',
			decision: 'return_approved',
			ticket_id: TICKET_ID,
			tier: 'regular',
			escalation: null,
			return: { order: TICKET_ORDER.name, outcome: 'approve', status: 'approved', already_decided: false, offers: ['exchange', 'store_credit', 'refund'], resolution: 'exchange', customer_email: 'sent' },
			classified_as: { interaction_type: 'support_ticket' },
			stored: { table: 'tickets', action: 'inserted' },
		});
		expect(answer.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^intent_exchange_request:/), 'within_window', 'customer_fault', 'exchange_offered']));
		expect(answer.summary).toMatch(new RegExp(`^${TICKET_ORDER.name}: approve the return of 1 item worth \\$[\\d,.]+ \\(the customer's reason\\); offer exchange, then store credit, then refund`));
		// opened in Shopify at once, with the black frame going out
		const opened = await returnsOf(TICKET_ORDER.id);
		expect(opened).toEqual([{ id: answer.return.id, status: 'OPEN', exchangeLineItems: { nodes: [{ variantId: gid('ProductVariant', 8108), quantity: 1 }] } }]);
		const row = (await decisions()).find((entry) => entry.return_key === `ticket:${TICKET_ID}`);
		expect(row).toMatchObject({ source: 'ticket', outcome: 'approve', resolution: 'exchange', status: 'done', return_id: answer.return.id, customer_email_status: 'sent' });
		const told = async () => (await mail()).filter((message) => message.body.custom_args?.cx_return === `ticket:${TICKET_ID}`);
		expect((await told()).map((message) => [message.deliveries[0].to[0].email, message.deliveries[0].subject])).toEqual([[customerEmail, `Your return for order ${TICKET_ORDER.name} is approved`]]);

		// the helpdesk sends the same ticket again: the first decision stands, nothing opened or told twice
		const again = await ask();
		expect(again).toMatchObject({ decision: 'return_approved', ticket_id: TICKET_ID, return: { id: answer.return.id, already_decided: true, customer_email: 'already_sent' } });
		expect(await returnsOf(TICKET_ORDER.id)).toHaveLength(1);
		expect(await told()).toHaveLength(1);
		folder.passed();
	}, 600_000);
});

/**
 * The director and the support ticket intake in a real n8n 2.x that loads the pack as a community package:
 * requests of each interaction type posted to the director's webhook and answered with the decision and its
 * reasons (the VIP's ticket escalated once with the email to the level's people, a plain question queued, an
 * agent's escalation, a customer's health and win-back eligibility, feedback recorded once), unknown and
 * incomplete requests refused with HTTP 400, the director called from another workflow through its Execute
 * Workflow trigger with the same decision, and a ticket posted to the intake: stored, acknowledged to the
 * customer with the SLA promise, escalated, answered with its id, priority, due times and reasons; a customer's
 * return ticket naming its order decided by CX Returns Desk and opened in Shopify once.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { directorCaller, n8n, tempUserFolder, type RunningN8n } from './n8n';
import { standin } from '../support/context';
import { fromAnchor, repoRoot, standinsEnv } from '../support/standins';
import { promiseSentence } from '../../nodes/CxTicketTriage/acknowledgementEmail';
import { shopifyGraphqlClient } from '../support/shopify';

const DIRECTOR = join(repoRoot, 'workflows', 'cx-director.json');
const INTAKE = join(repoRoot, 'workflows', 'support-ticket-intake.json');
const LEAD = 'support-lead@example-store.test';
const DIRECTOR_EMAIL = 'cx-director@example-store.test';
const FEEDBACK_OWNER = 'feedback-owner@example-store.test';
const DAY = 86_400_000;

const run = randomUUID().slice(0, 8);
const ticketId = (name: string) => `dir-${run}-${name}`;
const customerId = (name: string) => `dir-${run}-${name}`;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

interface Delivery { to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }>; customArgs: Record<string, string> }
interface Message { messageId: string; body: { categories?: string[] }; deliveries: Delivery[] }
type Answer = Record<string, any> & { interaction_type: string; decision: string; reasons: string[] };

const contract = (interactionType: string, details: Record<string, string>, action: Record<string, string> = {}) => ({
	trigger_source: 'support_agent',
	interaction_type: interactionType,
	customer_details: { customer_id: customerId('anyone'), tier: 'regular', issue_type: 'general', sentiment: 'neutral', ...details },
	action_parameters: { priority: 'medium', resolution_type: 'information', follow_up: 'optional', ...action },
});

/** An agent's escalation with the contract alone: a VIP with a high-priority order issue. */
const agentEscalation = (customer: string) =>
	contract('escalation', { customer_id: customerId(customer), tier: 'vip', issue_type: 'order', sentiment: 'negative' }, { priority: 'high', resolution_type: 'refund', follow_up: 'required' });
const AGENT_ESCALATION = agentEscalation('agent');

const callerOf = (id: string, request: unknown) => directorCaller(id, `Asks the CX director (${id})`, request);
// the request the webhook was sent before, and the same kind of request for another customer
const CALLERS = { again: callerOf(`cxDirectorAgain${run}`, AGENT_ESCALATION), fresh: callerOf(`cxDirectorFresh${run}`, agentEscalation('caller')) };

describe('the CX director and the support ticket intake in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	let server: RunningN8n | undefined;
	let viaWebhook: Answer;

	const post = async (path: string, body: unknown) => {
		const response = await fetch(`${server!.url}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		return { status: response.status, answer: (await response.json()) as Answer };
	};
	const ask = (body: unknown) => post('cx-director', body);
	const messages = async () => standin<Message[]>('sendgrid', '/__standin/messages');
	const about = (ticket: string, list: Message[]) => list.filter((message) => message.deliveries.some((delivery) => delivery.customArgs?.cx_ticket === ticket));
	const part = (delivery: Delivery, type: string) => delivery.content.find((block) => block.type === type)!.value;
	const rows = async (table: string, column: string, value: string) => {
		const { data, error } = await supabase.from(table).select('*').eq(column, value);
		expect(error).toBeNull();
		return data!;
	};

	const cleanUp = async () => {
		const customers = ['agent', 'caller', 'dormant', 'unsubscribed', 'loyal', 'feedback'].map(customerId);
		await supabase.from('escalations').delete().like('ticket_external_id', `dir-${run}-%`);
		await supabase.from('escalations').delete().in('customer_id', customers);
		await supabase.from('tickets').delete().like('external_id', `dir-${run}-%`);
		await supabase.from('customer_health_scores').delete().in('customer_id', customers);
		await supabase.from('feedback_items').delete().like('source_id', `dir-${run}-%`);
		await supabase.from('return_decisions').delete().like('return_key', `ticket:dir-${run}-%`);
	};

	beforeAll(async () => {
		await cleanUp();
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		const callerFiles = Object.values(CALLERS).map((caller) => {
			const file = join(folder.path, `${caller.id}.json`);
			writeFileSync(file, JSON.stringify(caller));
			return file;
		});
		await n8n.importWorkflows({ userFolder: folder.path, files: [DIRECTOR, INTAKE, ...callerFiles] });
		// both start from a Webhook node: the demo publishes them and its run-all leaves them out
		expect(n8n.webhookWorkflowIds([DIRECTOR, INTAKE, ...callerFiles])).toEqual(['cxDirector1', 'cxSupportTicketIntake1']);
		await n8n.publishWorkflow({ userFolder: folder.path, id: 'cxDirector1' });
		await n8n.publishWorkflow({ userFolder: folder.path, id: 'cxSupportTicketIntake1' });
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
		await cleanUp();
		folder.done(9);
	});

	it('a VIP\'s support ticket is triaged, stored and escalated once, with the reasons, the SLA and the email to the team lead', async () => {
		server = await n8n.startN8n({ userFolder: folder.path, port: await n8n.freePort() });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-director' });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-ticket' });

		const createdAt = minutesAgo(5);
		const request = {
			// "regular" is what a caller sends when it does not know: Shopify's VIP tag decides
			...contract('support_ticket', { customer_id: 'gid://shopify/Customer/1001', tier: 'regular', issue_type: 'product' }),
			ticket: {
				id: ticketId('vip'),
				channel: 'email',
				customer_email: 'vip.tagged@example-store.test',
				created_at: createdAt,
				// an issue: a VIP's calm question is not escalated for the tier (seeds/000 escalates VIP issues)
				subject: 'Ocean print not here yet',
				body: 'Hello! My large ocean print was due last Friday and the tracking has not moved since Tuesday. Could you tell me where it is? It is a present for my sister.',
			},
		};
		const { status, answer } = await ask(request);
		expect(status).toBe(200);
		expect(answer).toMatchObject({
			interaction_type: 'support_ticket',
			trigger_source: 'support_agent',
			customer_id: 'gid://shopify/Customer/1001',
			decision: 'escalated',
			ticket_id: ticketId('vip'),
			priority: 'high',
			tier: 'vip',
			// VIP: a first reply within 30 minutes of the customer's message, resolution within 24 hours
			sla: { first_response_due_at: plus(createdAt, 30), resolution_due_at: plus(createdAt, 24 * 60) },
			escalation: { level: 1, level_name: 'team lead', status: 'notified', recipients: [LEAD], message_id: expect.any(String) },
			classified_as: { interaction_type: 'escalation', customer_details: { tier: 'vip' }, action_parameters: { priority: 'high' } },
			stored: { table: 'tickets', action: 'inserted' },
		});
		expect(answer.reasons).toEqual(expect.arrayContaining(['tier_vip:tag_VIP', 'escalate:tier_vip', 'first_response_30m:tier_vip', 'tier_vip', 'level_1:one_rule']));
		expect(answer.summary).toMatch(/^High priority .* from a vip customer on email/);

		// what an operator checks: the ticket row, the escalation ledger, the email to the team lead
		const [ticket] = await rows('tickets', 'external_id', ticketId('vip'));
		expect(ticket).toMatchObject({ tier: 'vip', priority: 'high', status: 'open', escalation_level: 1, customer_email: 'vip.tagged@example-store.test' });
		expect(new Date(ticket.first_response_due_at).toISOString()).toBe(plus(createdAt, 30));
		const ledger = await rows('escalations', 'ticket_external_id', ticketId('vip'));
		expect(ledger).toEqual([expect.objectContaining({ level: 1, status: 'notified', message_id: answer.escalation.message_id, recipients: [LEAD] })]);
		const sent = about(ticketId('vip'), await messages());
		expect(sent).toHaveLength(1);
		expect(sent[0].messageId).toBe(answer.escalation.message_id);
		const [delivery] = sent[0].deliveries;
		expect(delivery.to.map((to) => to.email)).toEqual([LEAD]);
		expect(delivery.subject).toBe('[Escalation L1 · HIGH · VIP] Ocean print not here yet (Vera)');
		expect(part(delivery, 'text/html')).toContain('For the team lead');

		// the same request again: the same decision, nobody told twice
		const again = await ask(request);
		expect(again.status).toBe(200);
		expect(again.answer).toMatchObject({ decision: 'escalated', escalation: { level: 1, status: 'already_escalated' }, stored: { action: 'updated' } });
		expect(again.answer.summary).toBe(answer.summary);
		expect(about(ticketId('vip'), await messages())).toHaveLength(1);
		expect(await rows('escalations', 'ticket_external_id', ticketId('vip'))).toHaveLength(1);
		folder.passed();
	}, 300_000);

	it('a plain question from a regular customer is queued with its SLA and pages nobody', async () => {
		const createdAt = minutesAgo(2);
		const { status, answer } = await ask({
			...contract('support_ticket', { customer_id: 'gid://shopify/Customer/1004' }),
			ticket: { id: ticketId('question'), customer_email: 'regular.buyer@example-store.test', created_at: createdAt, subject: 'Sizes', body: 'What sizes do you offer for the forest print?' },
		});
		expect(status).toBe(200);
		expect(answer).toMatchObject({
			decision: 'queued',
			ticket_id: ticketId('question'),
			priority: 'low',
			tier: 'regular',
			// an email ticket: a first reply within 2 hours
			sla: { first_response_due_at: plus(createdAt, 120) },
			escalation: null,
			classified_as: { interaction_type: 'support_ticket' },
		});
		expect(answer.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^intent_product_question:(high|medium):\d+%$/), 'queue:no_escalation_rule_met', 'first_response_2h:channel_email', 'no_escalation_rule_met']));
		expect(await rows('tickets', 'external_id', ticketId('question'))).toEqual([expect.objectContaining({ priority: 'low', escalation_level: 0 })]);
		expect(await rows('escalations', 'ticket_external_id', ticketId('question'))).toEqual([]);
		expect(about(ticketId('question'), await messages())).toEqual([]);
		folder.passed();
	}, 120_000);

	it('an agent\'s escalation with the contract alone: the level follows tier and priority, and the same request again tells nobody twice', async () => {
		const first = await ask(AGENT_ESCALATION);
		expect(first.status).toBe(200);
		viaWebhook = first.answer;
		expect(first.answer).toMatchObject({
			interaction_type: 'escalation',
			trigger_source: 'support_agent',
			customer_id: customerId('agent'),
			decision: 'escalated',
			reasons: ['tier_vip', 'level_1:one_rule'],
			priority: 'high',
			tier: 'vip',
			escalation: { level: 1, level_name: 'team lead', status: 'notified', recipients: [LEAD], message_id: expect.any(String), ledger_id: expect.any(String) },
		});
		// the ledger row and the email to the team lead, written from the contract alone
		const [ledger] = await rows('escalations', 'customer_id', customerId('agent'));
		expect(ledger).toMatchObject({ id: first.answer.escalation.ledger_id, level: 1, status: 'notified', tier: 'vip', priority: 'high', message_id: first.answer.escalation.message_id });
		const [mail] = await standin<Message[]>('sendgrid', `/__standin/messages?messageId=${first.answer.escalation.message_id}`);
		expect(mail.deliveries[0].to.map((to) => to.email)).toEqual([LEAD]);
		expect(mail.deliveries[0].subject).toBe('[Escalation L1 · HIGH · VIP] Escalation from support_agent');
		expect(part(mail.deliveries[0], 'text/plain')).toContain('Escalated by support_agent: order issue, customer sentiment negative, resolution wanted: refund.');

		const same = await ask(AGENT_ESCALATION);
		expect(same.answer).toMatchObject({ decision: 'escalated', reasons: first.answer.reasons, escalation: { level: 1, status: 'already_escalated', ledger_id: first.answer.escalation.ledger_id } });
		expect(same.answer.summary).toBe('Escalated to the team lead (level 1) before: nobody was told twice.');
		expect(await rows('escalations', 'customer_id', customerId('agent'))).toHaveLength(1);

		const urgent = await ask({
			...contract('escalation', { customer_id: 'gid://shopify/Customer/1002', tier: 'vip', issue_type: 'shipping', sentiment: 'negative' }, { priority: 'urgent' }),
			ticket: { id: ticketId('urgent'), customer_email: 'vip.spender@example-store.test', subject: 'Wedding gift still not here', body: 'The print for the wedding on Saturday has not arrived.' },
		});
		expect(urgent.status).toBe(200);
		expect(urgent.answer).toMatchObject({
			decision: 'escalated',
			reasons: ['tier_vip', 'priority_urgent', 'level_2:several_rules'],
			escalation: { level: 2, level_name: 'director', status: 'notified', recipients: [LEAD, DIRECTOR_EMAIL] },
		});
		const [urgentMail] = await standin<Message[]>('sendgrid', `/__standin/messages?messageId=${urgent.answer.escalation.message_id}`);
		expect(urgentMail.deliveries[0].to.map((to) => to.email)).toEqual([LEAD, DIRECTOR_EMAIL]);
		expect(urgentMail.deliveries[0].subject).toBe('[Escalation L2 · URGENT · VIP] Wedding gift still not here (Victor)');
		folder.passed();
	}, 120_000);

	it('a retention request scores the customer and keeps the score; a red, dormant customer is eligible for win-back, an unsubscribed one suppressed, a healthy one left alone', async () => {
		const longAgo = new Date(Date.now() - 300 * DAY).toISOString();
		const retention = (name: string, customer: Record<string, unknown>) =>
			ask({ ...contract('retention_campaign', { customer_id: customerId(name) }), customer: { email: `${name}-${run}@example-store.test`, first_name: 'Sam', currency: 'USD', ...customer } });
		const oneTimeBuyer = { orders_count: 1, amount_spent: 45, order_dates: [longAgo] };

		const dormant = await retention('dormant', { ...oneTimeBuyer, email_marketing_consent: 'SUBSCRIBED' });
		expect(dormant.status).toBe(200);
		expect(dormant.answer).toMatchObject({
			interaction_type: 'retention_campaign',
			customer_id: customerId('dormant'),
			decision: 'winback_eligible',
			health: { band: 'red', trend: 'new' },
			winback: { dry_run: true, dormant: true, eligible: true, suppressed: null },
		});
		expect(dormant.answer.reasons).toEqual(expect.arrayContaining(['band_red', 'weak_recency:300_days_since_last_order', 'dormant:300d_since_last_order:threshold_180d:one_time_buyer_floor']));
		const [score] = await rows('customer_health_scores', 'customer_id', customerId('dormant'));
		expect(score).toMatchObject({ score: dormant.answer.health.score, band: 'red' });

		const unsubscribed = await retention('unsubscribed', { ...oneTimeBuyer, email_marketing_consent: 'UNSUBSCRIBED' });
		expect(unsubscribed.answer).toMatchObject({ decision: 'winback_suppressed', winback: { dormant: true, eligible: false, suppressed: 'consent_unsubscribed' } });
		expect(unsubscribed.answer.reasons).toContain('suppressed:consent_unsubscribed');

		const week = (weeks: number) => new Date(Date.now() - weeks * 7 * DAY).toISOString();
		const loyal = await retention('loyal', { orders_count: 8, amount_spent: 1800, email_marketing_consent: 'SUBSCRIBED', order_dates: [week(1), week(6), week(12), week(20), week(30), week(40)], latest_csat: 5, open_tickets: 0 });
		expect(loyal.answer).toMatchObject({ decision: 'no_winback_needed', health: { band: 'green' }, winback: null });
		expect(loyal.answer.reasons).toEqual(expect.arrayContaining(['band_green', 'no_winback:health_green']));
		expect(await rows('customer_health_scores', 'customer_id', customerId('loyal'))).toHaveLength(1);

		// the contract alone: only customer_details.customer_id, a customer of the store; she is looked up in Shopify.
		// Dora's one order was 300 days before the anchor; the director counts the days to its own run's time, so the
		// days are counted here from the same order to the times just before and after the run (the stand-ins may have
		// started before a midnight the run comes after)
		const daysSinceDorasOrder = () => Math.floor((Date.now() - Date.parse(fromAnchor(-300))) / DAY);
		const daysBefore = daysSinceDorasOrder();
		const byIdOnly = await ask(contract('retention_campaign', { customer_id: 'gid://shopify/Customer/1005' }));
		const days = [...new Set([daysBefore, daysSinceDorasOrder()])].join('|');
		expect(byIdOnly.status).toBe(200);
		expect(byIdOnly.answer).toMatchObject({ customer_id: 'gid://shopify/Customer/1005', health: { band: 'red' }, winback: { dry_run: true, dormant: true } });
		expect(byIdOnly.answer.reasons).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^weak_recency:(?:${days})_days_since_last_order$`)), expect.stringMatching(new RegExp(`^dormant:(?:${days})d_since_last_order:threshold_180d:one_time_buyer_floor$`))]));
		expect(byIdOnly.answer.reasons).not.toContain('weak_recency:no_order_on_record');

		// a preview only: no win-back row, no email
		for (const name of ['dormant', 'unsubscribed', 'loyal']) expect(await rows('winback_sends', 'customer_id', customerId(name))).toEqual([]);
		expect((await messages()).filter((message) => message.body.categories?.some((category) => category.startsWith('cx-winback')))).toEqual([]);
		folder.passed();
	}, 120_000);

	it('feedback is recorded once, with an owner and a due date 30 days after the customer gave it', async () => {
		// the director runs as of the real time; three days before the anchor is always in the past
		const request = {
			...contract('feedback_analysis', { customer_id: customerId('feedback'), tier: 'premium', issue_type: 'product', sentiment: 'negative' }),
			feedback: { id: ticketId('feedback'), source: 'review', summary: 'The hanging wire on the frame is too thin for the large canvas.', feedback_at: fromAnchor(-3, '10:00') },
		};
		const first = await ask(request);
		expect(first.status).toBe(200);
		expect(first.answer).toMatchObject({
			interaction_type: 'feedback_analysis',
			customer_id: customerId('feedback'),
			decision: 'feedback_recorded',
			reasons: ['owner:default', 'due_in_30_days'],
			feedback: { source: 'review', source_id: ticketId('feedback'), owner: FEEDBACK_OWNER, due_at: fromAnchor(27, '10:00'), status: 'recorded' },
		});
		const stored = await rows('feedback_items', 'source_id', ticketId('feedback'));
		expect(stored).toEqual([expect.objectContaining({ id: first.answer.feedback.id, source: 'review', owner: FEEDBACK_OWNER, status: 'open', tier: 'premium', issue_type: 'product' })]);
		expect(new Date(stored[0].due_at).toISOString()).toBe(fromAnchor(27, '10:00'));

		const again = await ask(request);
		expect(again.answer).toMatchObject({ decision: 'feedback_already_recorded', feedback: { id: first.answer.feedback.id, status: 'already_recorded' } });
		expect(await rows('feedback_items', 'source_id', ticketId('feedback'))).toHaveLength(1);
		folder.passed();
	}, 120_000);

	it('refuses an unknown interaction type and an incomplete request with HTTP 400 and says what is missing', async () => {
		const unknown = await ask({ ...contract('refund', {}), interaction_type: 'refund' });
		expect(unknown.status).toBe(400);
		expect(unknown.answer).toEqual({
			interaction_type: 'refund',
			decision: 'refused',
			error: 'interaction_type must be one of support_ticket, retention_campaign, feedback_analysis, escalation; it is "refund"',
			reasons: ['unknown_interaction_type'],
		});
		const missing = await ask({ trigger_source: 'support_agent' });
		expect(missing.status).toBe(400);
		expect(missing.answer.error).toBe('interaction_type must be one of support_ticket, retention_campaign, feedback_analysis, escalation; it is null');

		const noTicket = await ask(contract('support_ticket', { customer_id: customerId('anyone') }));
		expect(noTicket.status).toBe(400);
		expect(noTicket.answer).toMatchObject({ decision: 'refused', error: 'A support_ticket request needs the customer\'s message in ticket.body', reasons: ['incomplete_request:support_ticket'] });
		const noFeedback = await ask({ ...contract('feedback_analysis', {}), feedback: { summary: 'no id' } });
		expect(noFeedback.status).toBe(400);
		expect(noFeedback.answer.error).toBe('A feedback_analysis request needs feedback.id and feedback.summary');
		folder.passed();
	}, 120_000);

	it('a customer\'s return ticket naming its order goes on to CX Returns Desk: approved with the exchange and opened in Shopify once; without an order, or from someone else, it is not opened', async () => {
		// a generated order of the 300-customer test store: one Coastal Lines print in an oak frame, delivered 11 days before the anchor
		const order = { id: 'gid://shopify/Order/5893', name: '#1893' };
		const shopify = shopifyGraphqlClient();
		const returnsOf = async () =>
			(await shopify.request<{ order: { customer: { id: string; email: string }; returns: { nodes: Array<{ id: string; status: string; exchangeLineItems: { nodes: Array<{ variantId: string }> } }> } } }>(
				'query($id: ID!) { order(id: $id) { customer { id email } returns(first: 10) { nodes { id status exchangeLineItems(first: 5) { nodes { variantId } } } } } }',
				{ variables: { id: order.id } },
			)).data!.order;
		const before = await returnsOf();
		expect(before.returns.nodes).toEqual([]);
		const request = (name: string, ticket: Record<string, unknown>) => ({
			...contract('support_ticket', { customer_id: before.customer.id, issue_type: 'product' }, { resolution_type: 'replacement' }),
			ticket: { id: ticketId(name), channel: 'email', customer_email: before.customer.email, created_at: minutesAgo(3), subject: 'Exchange the frame colour', body: `Hello, my Coastal Lines print from order ${order.name} arrived safely, but the oak frame colour is too warm for my room. Could I exchange it for the black frame?`, ...ticket },
		});
		const exchange = request('return', { order_id: order.name });
		const { status, answer } = await ask(exchange);
		expect(status).toBe(200);
		expect(answer).toMatchObject({
			interaction_type: 'support_ticket',
			decision: 'return_approved',
			ticket_id: ticketId('return'),
			tier: 'regular',
			escalation: null,
			return: { order: order.name, outcome: 'approve', status: 'approved', already_decided: false, offers: ['exchange', 'store_credit', 'refund'], resolution: 'exchange', customer_email: 'sent' },
			stored: { table: 'tickets', action: 'inserted' },
		});
		expect(answer.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^intent_exchange_request:/), 'within_window', 'exchange_offered']));
		const opened = (await returnsOf()).returns.nodes;
		expect(opened).toEqual([{ id: answer.return.id, status: 'OPEN', exchangeLineItems: { nodes: [{ variantId: 'gid://shopify/ProductVariant/8108' }] } }]);
		const told = async () => (await messages()).filter((message) => message.body.categories?.includes('cx-returns'));
		expect((await told()).map((message) => message.deliveries[0].subject)).toEqual([`Your return for order ${order.name} is approved`]);
		expect(await rows('return_decisions', 'return_key', `ticket:${ticketId('return')}`)).toEqual([expect.objectContaining({ source: 'ticket', outcome: 'approve', status: 'done', return_id: answer.return.id })]);

		// the helpdesk sends it again: the first decision stands, nothing opened or told twice
		const again = await ask(exchange);
		expect(again.answer).toMatchObject({ decision: 'return_approved', return: { id: answer.return.id, already_decided: true, customer_email: 'already_sent' } });
		expect((await returnsOf()).returns.nodes).toHaveLength(1);
		expect(await told()).toHaveLength(1);

		// no order named: the ticket is answered as before, by triage and escalation
		const noOrder = await ask(request('return-no-order', {}));
		expect(noOrder.answer).toMatchObject({ decision: 'queued', ticket_id: ticketId('return-no-order') });
		expect(noOrder.answer.return).toBeUndefined();
		// someone else writes about the order: a person checks who is asking, nothing is opened
		const stranger = await ask(request('return-stranger', { order_id: order.name, customer_email: 'someone.else@example-store.test' }));
		expect(stranger.answer).toMatchObject({ decision: 'return_needs_review', reasons: expect.arrayContaining(['return_not_decided']), return: { error: expect.stringContaining('the ticket comes from someone.else@example-store.test, not from the customer of order #1893') } });
		expect((await returnsOf()).returns.nodes).toHaveLength(1);
		expect(await told()).toHaveLength(1);
		folder.passed();
	}, 120_000);

	it('the intake stores a ticket, tells the customer by when the first reply is due, escalates the VIP, and answers with the ticket id, priority, due times and reasons', async () => {
		const createdAt = minutesAgo(2);
		const id = ticketId('intake');
		const ticket = {
			id,
			customer_email: 'vip.spender@example-store.test',
			created_at: createdAt,
			subject: 'Wrong size <b>delivered</b>',
			body: 'I received the wrong size canvas, 16x20 instead of 24x36.',
		};
		const before = (await messages()).length;
		const { status, answer } = await post('cx-ticket', ticket);
		expect(status).toBe(200);
		expect(answer).toMatchObject({
			ticket_id: id,
			decision: 'escalated',
			priority: 'urgent',
			tier: 'vip',
			sla: { first_response_due_at: plus(createdAt, 30), first_response_minutes: 30, resolution_due_at: plus(createdAt, 8 * 60), resolution_hours: 8 },
			acknowledgement: { status: 'sent', to: 'vip.spender@example-store.test', promisedBy: plus(createdAt, 30), messageId: expect.any(String) },
			escalation: { level: 2, level_name: 'director', status: 'notified', recipients: [LEAD, DIRECTOR_EMAIL] },
			stored: { action: 'inserted' },
		});
		expect(answer.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^intent_wrong_item:high:\d+%$/), 'priority_urgent:tier_vip', 'first_response_30m:priority_urgent', 'level_2:several_rules']));
		// a VIP by lifetime spend in Shopify (what other suites refund moves the amount, never below the line)
		expect(answer.reasons).toContainEqual(expect.stringMatching(/^tier_vip:lifetime_spend_\$[\d,]+\.\d{2}_over_1000$/));
		// the promise states the SLA's due time, in the workflow's time zone
		const zone = /\(([^)]+)\), within/.exec(answer.acknowledgement.promise)![1];
		expect(answer.acknowledgement.promise).toBe(
			promiseSentence({ ticketId: id, subject: ticket.subject, firstResponseDueAt: plus(createdAt, 30), firstResponseMinutes: 30, clock: 'calendar' }, { timeZone: zone }),
		);

		// the customer's acknowledgement: the ticket number and the promise, their subject escaped in the HTML
		const sent = about(id, await messages());
		expect(sent).toHaveLength(2);
		const acknowledgement = sent.find((message) => message.body.categories?.includes('cx-acknowledgement'))!;
		expect(acknowledgement.messageId).toBe(answer.acknowledgement.messageId);
		const [toCustomer] = acknowledgement.deliveries;
		expect(toCustomer.to).toEqual([{ email: 'vip.spender@example-store.test', name: 'Victor' }]);
		expect(toCustomer.subject).toBe(`Re: Wrong size <b>delivered</b> [ticket ${id}]`);
		const text = part(toCustomer, 'text/plain');
		expect(text).toContain('Hi Victor,');
		expect(text).toContain(`Thank you for contacting Example Store. We have received your message "Wrong size <b>delivered</b>" (ticket ${id}).`);
		expect(text).toContain(answer.acknowledgement.promise);
		const html = part(toCustomer, 'text/html');
		expect(html).toContain('&quot;Wrong size &lt;b&gt;delivered&lt;/b&gt;&quot;');
		expect(html).toContain(`<strong>${answer.acknowledgement.promise}</strong>`);
		// and the escalation to the director's level
		const escalation = sent.find((message) => message !== acknowledgement)!;
		expect(escalation.deliveries[0].to.map((to) => to.email)).toEqual([LEAD, DIRECTOR_EMAIL]);
		expect(escalation.deliveries[0].subject).toBe('[Escalation L2 · URGENT · VIP] Wrong size <b>delivered</b> (Victor)');

		const [row] = await rows('tickets', 'external_id', id);
		expect(row).toMatchObject({ tier: 'vip', priority: 'urgent', escalation_level: 2, acknowledgement_message_id: answer.acknowledgement.messageId, acknowledgement_error: null });
		expect(new Date(row.acknowledged_at).toISOString()).toBe(answer.acknowledgement.acknowledgedAt);

		// the helpdesk posts the same ticket again: stored once, acknowledged once, escalated once
		const again = await post('cx-ticket', ticket);
		expect(again.answer).toMatchObject({
			ticket_id: id,
			stored: { action: 'updated' },
			acknowledgement: { status: 'already_acknowledged', messageId: answer.acknowledgement.messageId },
			escalation: { level: 2, status: 'already_escalated' },
		});
		expect(about(id, await messages())).toHaveLength(2);
		expect((await messages()).length).toBe(before + 2);

		// a ticket without a message is refused, and nothing is stored for it
		const refused = await post('cx-ticket', { id: ticketId('empty'), customer_email: 'vip.spender@example-store.test', subject: 'Hello' });
		expect(refused.status).toBe(400);
		expect(refused.answer).toEqual({ decision: 'refused', error: 'The ticket needs the customer\'s message in "body"', reasons: ['missing_field:body'] });
		expect(await rows('tickets', 'external_id', ticketId('empty'))).toEqual([]);
		folder.passed();
	}, 120_000);

	it('a workflow that calls the director through its Execute Workflow trigger gets the same decision, and the director acts for it', async () => {
		// the calling workflow runs on its own (n8n execute) and calls the director's published version
		await server?.stop();
		server = undefined;
		const before = (await messages()).length;
		const answerOf = async (id: string) => {
			const result = await n8n.executeWorkflow({ userFolder: folder.path, id, timeoutMs: 240_000 });
			expect(result.status).toBe('success');
			const answers = n8n.nodeOutput(result, 'Ask the director') as Answer[];
			expect(answers).toHaveLength(1);
			return answers[0];
		};
		const again = await answerOf(CALLERS.again.id);
		// the request the webhook answered: the same decision and reasons, the same ledger row, nobody told twice
		expect(again).toMatchObject({
			interaction_type: 'escalation',
			customer_id: customerId('agent'),
			decision: viaWebhook.decision,
			reasons: viaWebhook.reasons,
			escalation: { level: viaWebhook.escalation.level, status: 'already_escalated', ledger_id: viaWebhook.escalation.ledger_id },
		});
		expect(again.summary).toBe('Escalated to the team lead (level 1) before: nobody was told twice.');
		expect(await rows('escalations', 'customer_id', customerId('agent'))).toHaveLength(1);
		// the same request for another customer: escalated and told, as through the webhook
		const fresh = await answerOf(CALLERS.fresh.id);
		expect(fresh).toMatchObject({
			interaction_type: 'escalation',
			trigger_source: 'support_agent',
			customer_id: customerId('caller'),
			decision: 'escalated',
			reasons: ['tier_vip', 'level_1:one_rule'],
			escalation: { level: 1, level_name: 'team lead', status: 'notified', recipients: [LEAD], message_id: expect.any(String) },
		});
		const [ledger] = await rows('escalations', 'customer_id', customerId('caller'));
		expect(ledger).toMatchObject({ level: 1, status: 'notified', message_id: fresh.escalation.message_id });
		expect((await messages()).length).toBe(before + 1);
		folder.passed();
	}, 300_000);
});

/**
 * A ticket about a big order that does not say the order's total, in a real n8n 2.x that loads the pack as a
 * community package: posted to the support ticket intake (where only triage's Escalate output reaches CX VIP
 * Escalation, so a ticket triage queues is never escalated) and run through the VIP escalation template (triage,
 * then escalation). Both read the total from Shopify and escalate the same: the same level, rule and people, one
 * ledger row and one email each.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder, workflowAsOf, type RunningN8n } from './n8n';
import { standin } from '../support/context';
import { fromAnchor, repoRoot, standinsEnv } from '../support/standins';

const INTAKE = join(repoRoot, 'workflows', 'support-ticket-intake.json');
const VIP_ESCALATION = join(repoRoot, 'workflows', 'vip-escalation.json');
const LEAD = 'support-lead@example-store.test';
const RORY = 'regular.buyer@example-store.test';
// the sample store's order #1001: one original watercolour, $780 (over the $500 escalation line)
const ORDER = '#1001';
const ORDER_GID = 'gid://shopify/Order/5001';
const RORY_GID = 'gid://shopify/Customer/1004';

const run = randomUUID().slice(0, 8);
const ticketId = (path: string) => `total-${run}-${path}`;
// the store's morning, nineteen days after the anchor: the ticket came in at 10:00, both templates act at 10:05
const CREATED_AT = fromAnchor(19, '10:00');
const NOW = fromAnchor(19, '10:05');
const SUBJECT = 'When does my order ship?';
/** The ticket as the helpdesk sends it: the order's number, not its total. */
const ticket = (id: string) => ({
	id,
	channel: 'email',
	customer_email: RORY,
	created_at: CREATED_AT,
	order_id: ORDER,
	subject: SUBJECT,
	body: `Hello, can you tell me when order ${ORDER} ships? I have not had a shipping email yet.`,
});

interface Delivery { to: Array<{ email: string }>; subject: string; customArgs: Record<string, string> }
interface Message { messageId: string; body: { categories?: string[]; custom_args?: Record<string, string> }; deliveries: Delivery[] }
type Item = Record<string, any>;

describe('a ticket about a $780 order that does not say its total, through the intake and through the VIP escalation template', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	let server: RunningN8n | undefined;
	let vipWorkflowId: string;

	const cleanUp = async () => {
		await supabase.from('escalations').delete().like('ticket_external_id', `total-${run}-%`);
		await supabase.from('tickets').delete().like('external_id', `total-${run}-%`);
	};

	/** The escalation emails about one ticket (the intake also acknowledges the ticket to the customer). */
	const escalationEmails = async (id: string) =>
		(await standin<Message[]>('sendgrid', '/__standin/messages')).filter(
			(message) => message.body.custom_args?.cx_ticket === id && !message.body.categories?.includes('cx-acknowledgement'),
		);

	/** The ledger row, the email and the ticket's stored level: what an operator checks after an escalation. */
	const escalationOf = async (id: string) => {
		const { data: ledger, error } = await supabase.from('escalations').select('ticket_external_id, level, customer_email, tier, reasons, recipients, status, message_id, attempts, last_error').eq('ticket_external_id', id);
		expect(error).toBeNull();
		const { data: stored } = await supabase.from('tickets').select('external_id, tier, priority, escalation_level').eq('external_id', id);
		const emails = (await escalationEmails(id)).map((message) => ({
			messageId: message.messageId,
			deliveries: message.deliveries.map((delivery) => ({ to: delivery.to.map((to) => to.email), subject: delivery.subject, level: delivery.customArgs.cx_escalation_level })),
		}));
		return { ledger, stored, emails };
	};

	/** The one escalation both paths must make: level 1 for the order's value alone, to the team lead. */
	const expected = (id: string, messageId: string) => ({
		ledger: [
			{
				ticket_external_id: id,
				level: 1,
				customer_email: RORY,
				tier: 'regular',
				reasons: ['order_value_over_500'],
				recipients: [LEAD],
				status: 'notified',
				message_id: messageId,
				attempts: 1,
				last_error: null,
			},
		],
		stored: [{ external_id: id, tier: 'regular', priority: 'high', escalation_level: 1 }],
		emails: [{ messageId, deliveries: [{ to: [LEAD], subject: `[Escalation L1 · HIGH · REGULAR] ${SUBJECT} (Rory)`, level: '1' }] }],
	});

	beforeAll(async () => {
		await cleanUp();
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		// both templates act as of the store's 10:05; the VIP escalation template's sample tickets are replaced by this
		// ticket, as an operator replaces them with a ticket source
		const vip = JSON.parse(readFileSync(VIP_ESCALATION, 'utf8')) as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
		vip.nodes.find((node) => node.name === 'Sample tickets')!.parameters.jsCode = `return ${JSON.stringify([ticket(ticketId('vip'))])}.map((json) => ({ json }));`;
		const vipFile = join(folder.path, 'vip-escalation.json');
		writeFileSync(vipFile, JSON.stringify(vip));
		const [intake, { id }] = await n8n.importWorkflows({ userFolder: folder.path, files: [workflowAsOf(INTAKE, folder.path, NOW), workflowAsOf(vipFile, folder.path, NOW)] });
		vipWorkflowId = id;
		await n8n.publishWorkflow({ userFolder: folder.path, id: intake.id });
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
		await cleanUp();
		folder.done(2);
	});

	it('posted to the intake, it is not queued: it is escalated to the team lead for the order\'s value, one ledger row and one email', async () => {
		server = await n8n.startN8n({ userFolder: folder.path, port: process.env.N8N_PORT ? Number(process.env.N8N_PORT) : await n8n.freePort() });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-ticket' });
		const id = ticketId('intake');
		const response = await fetch(`${server.url}/webhook/cx-ticket`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ticket(id)) });
		expect(response.status).toBe(200);
		const answer = (await response.json()) as Item;
		expect(answer).toMatchObject({
			ticket_id: id,
			decision: 'escalated',
			priority: 'high',
			tier: 'regular',
			escalation: { level: 1, level_name: 'team lead', status: 'notified', recipients: [LEAD] },
		});
		expect(answer.reasons).toEqual(expect.arrayContaining(['order_value_over_500', 'level_1:one_rule']));
		// the answer does not carry the email's id: the ledger's, which the email must have too
		const seen = await escalationOf(id);
		expect(seen).toEqual(expected(id, seen.ledger![0].message_id));
		await server.stop();
		server = undefined;
		folder.passed();
	}, 300_000);

	it('run through the VIP escalation template (triage, then escalation), it is escalated the same: the same level, rule, people, row and email', async () => {
		const id = ticketId('vip');
		const result = await n8n.executeWorkflow({ userFolder: folder.path, id: vipWorkflowId, timeoutMs: 240_000 });
		expect(result.data.resultData.error).toBeUndefined();
		expect(result.status).toBe('success');
		// triage reads the total from Shopify and sends the ticket on its Escalate output, nothing on Work queue
		const triaged = n8n.nodeOutput(result, 'CX Ticket Triage') as Item[];
		expect(triaged.map((item) => [item.ticket.id, item.ticket.order_value, item.triage.escalationReasons])).toEqual([[id, '780.00', ['order_value_over_500']]]);
		expect(n8n.nodeOutput(result, 'CX Ticket Triage', { output: 1 })).toEqual([]);
		const escalated = n8n.nodeOutput(result, 'CX VIP Escalation') as Item[];
		expect(n8n.nodeOutput(result, 'CX VIP Escalation', { output: 1 })).toEqual([]);
		expect(n8n.nodeOutput(result, 'Escalated')).toEqual(escalated);
		expect(escalated).toHaveLength(1);
		expect(escalated[0].escalation).toMatchObject({ escalate: true, tier: 'regular', level: 1, levelName: 'team lead', status: 'notified', recipients: [LEAD], tagged: [RORY_GID, ORDER_GID] });
		expect(escalated[0].escalation.reasons).toEqual(['order_value_over_500', 'level_1:one_rule']);
		expect(await escalationOf(id)).toEqual(expected(id, escalated[0].escalation.messageId));
		folder.passed();
	}, 300_000);
});

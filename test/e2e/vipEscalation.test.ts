/**
 * The VIP escalation and SLA breach sweep templates, run by a real n8n 2.x that loads the pack as a
 * community package: tickets triaged and escalated by rule and level, one email per ticket to the level's
 * people, a ledger row per ticket and level, the customer tagged in Shopify; a replay that notifies no one
 * twice; and a sweep that climbs an overdue ticket one level up, once, and leaves a level-3 ticket alone.
 */
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder, type WorkflowRun } from './n8n';
import { standin } from '../support/context';
import { repoRoot, standinsEnv } from '../support/standins';

const VIP_WORKFLOW = join(repoRoot, 'workflows', 'vip-escalation.json');
const SWEEP_WORKFLOW = join(repoRoot, 'workflows', 'sla-breach-sweep.json');
const TICKETS = ['E-2001', 'E-2002', 'E-2003', 'E-2004', 'E-2005'];
const ESCALATED = ['E-2001', 'E-2002', 'E-2003', 'E-2005'];

const LEAD = 'support-lead@example-store.test';
const DIRECTOR = 'cx-director@example-store.test';
const FOUNDER = 'founder@example-store.test';
const RECIPIENTS: Record<number, string[]> = { 1: [LEAD], 2: [LEAD, DIRECTOR], 3: [LEAD, DIRECTOR, FOUNDER] };
const LEVEL_NAMES: Record<number, string> = { 1: 'team lead', 2: 'director', 3: 'executive' };

const CUSTOMERS = {
	vipTagged: 'gid://shopify/Customer/1001',
	vipSpender: 'gid://shopify/Customer/1002',
	premium: 'gid://shopify/Customer/1003',
	regular: 'gid://shopify/Customer/1004',
};
const ORDER_1009 = 'gid://shopify/Order/5009';

interface Escalation {
	escalate: boolean;
	tier: string;
	tierSource?: string;
	reasons: string[];
	level?: number;
	levelName?: string;
	status?: string;
	alreadyEscalated?: boolean;
	recipients?: string[];
	messageId?: string;
	ledgerId?: string;
	tagged?: string[];
	breach?: { kind: string; dueAt: string };
}

type Item = Record<string, unknown> & {
	ticket: { id: string; subject: string };
	triage?: { tier: string; priority: string };
	escalation: Escalation;
};

interface Delivery {
	to: Array<{ email: string }>;
	subject: string;
	content: Array<{ type: string; value: string }>;
	customArgs: Record<string, string>;
}
interface Message {
	messageId: string;
	body: { custom_args?: Record<string, string> };
	deliveries: Delivery[];
}

/** A node's items on one output over all its runs (a node fed by two outputs runs once per output). */
function outputOf(run: WorkflowRun, nodeName: string, output = 0): Item[] {
	return (run.data.resultData.runData[nodeName] ?? []).flatMap((task) => {
		if (task.error) throw new Error(`node "${nodeName}" failed: ${task.error.message}`);
		return (task.data?.main?.[output] ?? []).map((item) => item.json as Item);
	});
}

const ids = (items: Item[]) => items.map((item) => item.ticket.id).sort();
const mine = (items: Item[]) => items.filter((item) => TICKETS.includes(item.ticket.id));

describe('vip-escalation and sla-breach-sweep workflows in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	let vipWorkflowId: string;
	let sweepWorkflowId: string;
	let firstRun: Record<string, Item>;

	const cleanUp = async () => {
		await supabase.from('escalations').delete().in('ticket_external_id', TICKETS);
		await supabase.from('tickets').delete().in('external_id', TICKETS);
	};

	/** The SendGrid stand-in's messages about this suite's tickets. */
	const messages = async () =>
		(await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => TICKETS.includes(message.body.custom_args?.cx_ticket ?? ''));
	const messagesFor = async (ticketId: string) => (await messages()).filter((message) => message.body.custom_args?.cx_ticket === ticketId);

	const shopifyTags = async (gids: Record<string, string>) => {
		const query = `{ ${Object.entries(gids)
			.map(([alias, gid]) => `${alias}: node(id: "${gid}") { ... on Customer { tags } ... on Order { tags } }`)
			.join(' ')} }`;
		const response = await fetch(env.shopify.adminUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'X-Shopify-Access-Token': env.shopify.accessToken },
			body: JSON.stringify({ query }),
		});
		expect(response.status).toBe(200);
		const { data, errors } = (await response.json()) as { data: Record<string, { tags: string[] }>; errors?: unknown };
		expect(errors).toBeUndefined();
		return Object.fromEntries(Object.entries(data).map(([alias, node]) => [alias, node.tags]));
	};

	const ticketLevels = async () => {
		const { data, error } = await supabase.from('tickets').select('external_id, escalation_level').in('external_id', TICKETS).order('external_id');
		expect(error).toBeNull();
		return Object.fromEntries(data!.map((row) => [row.external_id, row.escalation_level]));
	};

	beforeAll(async () => {
		await cleanUp();
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		[{ id: vipWorkflowId }, { id: sweepWorkflowId }] = await n8n.importWorkflows({ userFolder: folder.path, files: [VIP_WORKFLOW, SWEEP_WORKFLOW] });
	}, 300_000);
	afterAll(async () => {
		await cleanUp();
		folder.done(3);
	});

	const executeEscalation = async () => {
		const run = await n8n.executeWorkflow({ userFolder: folder.path, id: vipWorkflowId });
		expect(run.data.resultData.error).toBeUndefined();
		expect(run.status).toBe('success');
		const escalated = outputOf(run, 'CX VIP Escalation', 0);
		const notEscalated = outputOf(run, 'CX VIP Escalation', 1);
		// the template's two NoOps receive exactly what the node put on each output
		expect(ids(outputOf(run, 'Escalated'))).toEqual(ids(escalated));
		expect(ids(outputOf(run, 'Not escalated'))).toEqual(ids(notEscalated));
		return { escalated, notEscalated, byId: Object.fromEntries([...escalated, ...notEscalated].map((item) => [item.ticket.id, item])) };
	};

	const executeSweep = async () => {
		const run = await n8n.executeWorkflow({ userFolder: folder.path, id: sweepWorkflowId });
		expect(run.data.resultData.error).toBeUndefined();
		expect(run.status).toBe('success');
		// other suites' overdue tickets may be in the table too: only this suite's are looked at
		return mine(outputOf(run, 'CX VIP Escalation', 0));
	};

	it('escalates by rule and level, emails the level\'s people once per ticket, records the ledger and tags the customer', async () => {
		const { escalated, notEscalated, byId } = await executeEscalation();
		expect(ids(escalated)).toEqual(ESCALATED);
		expect(ids(notEscalated)).toEqual(['E-2004']);
		firstRun = byId;

		// levels and reasons
		expect(byId['E-2001'].escalation).toMatchObject({ escalate: true, tier: 'vip', level: 1, levelName: 'team lead', status: 'notified', alreadyEscalated: false });
		expect(byId['E-2001'].escalation.reasons).toEqual(['tier_vip', 'level_1:one_rule']);
		expect(byId['E-2002'].escalation).toMatchObject({ escalate: true, tier: 'premium', level: 2, levelName: 'director', status: 'notified', alreadyEscalated: false });
		expect(byId['E-2002'].escalation.reasons).toEqual(expect.arrayContaining(['threatening_language:chargeback', 'level_2:chargeback_threat']));
		expect(byId['E-2003'].escalation).toMatchObject({ escalate: true, tier: 'regular', level: 3, levelName: 'executive', status: 'notified', alreadyEscalated: false });
		expect(byId['E-2003'].escalation.reasons).toEqual(expect.arrayContaining(['threatening_language:legal', 'level_3:legal_threat']));
		expect(byId['E-2005'].escalation).toMatchObject({ escalate: true, tier: 'vip', level: 1, levelName: 'team lead', status: 'notified', alreadyEscalated: false });
		expect(byId['E-2005'].escalation.reasons).toEqual(['tier_vip', 'level_1:one_rule']);
		expect(byId['E-2004'].escalation).toEqual({ escalate: false, tier: 'regular', tierSource: 'item', reasons: ['no_escalation_rule_met'] });
		for (const id of ESCALATED) {
			const { escalation } = byId[id];
			expect(escalation.recipients).toEqual(RECIPIENTS[escalation.level!]);
			expect(escalation.messageId).toEqual(expect.any(String));
			expect(escalation.ledgerId).toEqual(expect.any(String));
		}
		// the customer (and the order, when known) is tagged
		expect(byId['E-2001'].escalation.tagged).toEqual([CUSTOMERS.vipTagged]);
		expect(byId['E-2002'].escalation.tagged).toEqual(expect.arrayContaining([CUSTOMERS.premium, ORDER_1009]));
		expect(byId['E-2003'].escalation.tagged).toEqual([CUSTOMERS.regular]);
		expect(byId['E-2005'].escalation.tagged).toEqual([CUSTOMERS.vipSpender]);

		// exactly one email per escalated ticket, to the level's people and those of the levels below
		const sent = await messages();
		expect(sent.map((message) => message.body.custom_args!.cx_ticket).sort()).toEqual(ESCALATED);
		for (const id of ESCALATED) {
			const { escalation, triage } = byId[id];
			const [message] = await messagesFor(id);
			expect(message.messageId).toBe(escalation.messageId);
			expect(message.deliveries).toHaveLength(1);
			const [delivery] = message.deliveries;
			expect(delivery.to.map((recipient) => recipient.email)).toEqual(RECIPIENTS[escalation.level!]);
			expect(delivery.customArgs).toMatchObject({ cx_ticket: id, cx_escalation_level: String(escalation.level) });
			expect(delivery.subject).toContain(`[Escalation L${escalation.level} · ${triage!.priority.toUpperCase()} · ${triage!.tier.toUpperCase()}]`);
			expect(delivery.subject).toContain(byId[id].ticket.subject);
			const html = delivery.content.find((block) => block.type === 'text/html')!.value;
			expect(html).toContain(`For the ${LEVEL_NAMES[escalation.level!]}`);
			expect(html).not.toMatch(/<script/i);
		}
		// the customer's text is escaped in the HTML, and kept as written in the plain text
		const [{ deliveries: [scripted] }] = await messagesFor('E-2005');
		const html = scripted.content.find((block) => block.type === 'text/html')!.value;
		const text = scripted.content.find((block) => block.type === 'text/plain')!.value;
		expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;');
		expect(text).toContain('<script>alert("x")</script> & "quotes"');

		// one ledger row per ticket and level, notified, with the message id
		const { data: rows } = await supabase
			.from('escalations')
			.select('ticket_external_id, level, status, message_id, recipients, attempts, tagged_at, notified_at, last_error')
			.in('ticket_external_id', TICKETS)
			.order('ticket_external_id');
		expect(rows!.map((row) => `${row.ticket_external_id}:${row.level}`)).toEqual(['E-2001:1', 'E-2002:2', 'E-2003:3', 'E-2005:1']);
		for (const row of rows!) {
			const { escalation } = byId[row.ticket_external_id];
			expect(row).toMatchObject({ status: 'notified', message_id: escalation.messageId, recipients: RECIPIENTS[row.level], attempts: 1, last_error: null });
			expect(row.notified_at).toEqual(expect.any(String));
			expect(row.tagged_at).toEqual(expect.any(String));
		}
		// the tickets' rows carry the level they were escalated to
		expect(await ticketLevels()).toEqual({ 'E-2001': 1, 'E-2002': 2, 'E-2003': 3, 'E-2004': 0, 'E-2005': 1 });

		// the tag in the Shopify stand-in
		const tags = await shopifyTags({ vipTagged: CUSTOMERS.vipTagged, vipSpender: CUSTOMERS.vipSpender, premium: CUSTOMERS.premium, regular: CUSTOMERS.regular, order1009: ORDER_1009 });
		for (const [alias, list] of Object.entries(tags)) expect({ alias, tagged: list.includes('cx-escalated') }).toEqual({ alias, tagged: true });
		folder.passed();
	}, 240_000);

	it('run again, it notifies no one twice', async () => {
		const { escalated, notEscalated, byId } = await executeEscalation();
		expect(ids(escalated)).toEqual(ESCALATED);
		expect(ids(notEscalated)).toEqual(['E-2004']);
		for (const id of ESCALATED) {
			expect(byId[id].escalation).toMatchObject({
				status: 'already_escalated',
				alreadyEscalated: true,
				level: firstRun[id].escalation.level,
				levelName: firstRun[id].escalation.levelName,
				ledgerId: firstRun[id].escalation.ledgerId,
				recipients: RECIPIENTS[firstRun[id].escalation.level!],
				tagged: [],
			});
			expect(byId[id].escalation.reasons).toEqual(firstRun[id].escalation.reasons);
		}
		expect((await messages()).map((message) => message.body.custom_args!.cx_ticket).sort()).toEqual(ESCALATED);
		const { count } = await supabase.from('escalations').select('*', { count: 'exact', head: true }).in('ticket_external_id', TICKETS);
		expect(count).toBe(4);
		// triage stores the tickets again, but their escalation level stays where the escalation left it
		expect(await ticketLevels()).toEqual({ 'E-2001': 1, 'E-2002': 2, 'E-2003': 3, 'E-2004': 0, 'E-2005': 1 });
		folder.passed();
	}, 240_000);

	it('the SLA sweep climbs an overdue ticket one level up once, and never sweeps a level-3 ticket', async () => {
		const levels = await ticketLevels();
		const hour = 60 * 60 * 1000;
		const at = (offset: number) => new Date(Date.now() + offset).toISOString();
		// only E-2002 (left at level 2) and E-2003 (left at level 3) are overdue; the others are on time
		const onTime = TICKETS.filter((id) => id !== 'E-2002' && id !== 'E-2003');
		const updates = [
			supabase.from('tickets').update({ first_response_due_at: at(24 * hour), resolution_due_at: at(48 * hour), first_responded_at: null, resolved_at: null }).in('external_id', onTime),
			supabase.from('tickets').update({ first_response_due_at: at(-hour), first_responded_at: null, resolved_at: null, escalation_level: levels['E-2002'] }).eq('external_id', 'E-2002'),
			supabase.from('tickets').update({ first_response_due_at: at(-2 * hour), first_responded_at: null, resolved_at: null, escalation_level: 3 }).eq('external_id', 'E-2003'),
		];
		for (const { error } of await Promise.all(updates)) expect(error).toBeNull();
		expect(levels['E-2002']).toBe(2);
		const before = (await messages()).length;

		const swept = await executeSweep();
		expect(ids(swept)).toEqual(['E-2002']);
		const [item] = swept;
		expect(item.escalation).toMatchObject({ escalate: true, level: levels['E-2002'] + 1, levelName: 'executive', status: 'notified', alreadyEscalated: false, recipients: RECIPIENTS[3] });
		expect(item.escalation.reasons).toEqual(['sla_breach:first_response']);
		expect(item.escalation.breach).toMatchObject({ kind: 'first_response' });
		expect(item.ticket).toMatchObject({ id: 'E-2002', customer_email: 'premium.buyer@example-store.test', order_id: '#1009' });

		// one new email, to the new level's people, saying the SLA was breached
		expect(await messages()).toHaveLength(before + 1);
		const mails = await messagesFor('E-2002');
		expect(mails).toHaveLength(2);
		const sweepMail = mails.find((message) => message.messageId === item.escalation.messageId)!;
		expect(sweepMail).toBeDefined();
		const [delivery] = sweepMail.deliveries;
		expect(delivery.to.map((recipient) => recipient.email)).toEqual(RECIPIENTS[3]);
		expect(delivery.customArgs).toMatchObject({ cx_ticket: 'E-2002', cx_escalation_level: '3' });
		expect(delivery.subject).toContain('[Escalation L3 ');
		expect(delivery.subject).toContain('SLA breach');

		const { data: rows } = await supabase.from('escalations').select('level, status, message_id, reasons').eq('ticket_external_id', 'E-2002').order('level');
		expect(rows).toEqual([
			expect.objectContaining({ level: 2, status: 'notified', message_id: firstRun['E-2002'].escalation.messageId }),
			{ level: 3, status: 'notified', message_id: item.escalation.messageId, reasons: ['sla_breach:first_response'] },
		]);
		expect(await ticketLevels()).toMatchObject({ 'E-2002': 3, 'E-2003': 3 });

		// again: E-2002 is now at level 3 and E-2003 was there already; nothing is swept, no one hears twice
		const again = await executeSweep();
		expect(ids(again)).toEqual([]);
		expect(await messages()).toHaveLength(before + 1);
		const { count } = await supabase.from('escalations').select('*', { count: 'exact', head: true }).in('ticket_external_id', TICKETS);
		expect(count).toBe(5);
		folder.passed();
	}, 240_000);
});

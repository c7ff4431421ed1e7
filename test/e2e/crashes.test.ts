/**
 * n8n killed mid-run (SIGKILL, as a machine or a container dies) in the two templates that pay and mail, at each
 * point the ledger has to survive: after the ledger's claim and before the payout or the email, and after the payout
 * or the email and before the ledger records it. The stand-in holds the chosen request unanswered (before or after
 * doing its work) and n8n is killed while it waits; then the template is run again, as the next scheduled run, 15
 * minutes on (a left email claim is judged by SendGrid's activity only once it is 10 minutes old). Counted against
 * the stand-ins: one discount code and one apology for the late order, one win-back email per customer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { campaignWindow } from '../../nodes/CxWinBack/winback';
import { n8n, tempUserFolder, workflowAsOf } from './n8n';
import { standin } from '../support/context';
import { repoRoot, standinsEnv } from '../support/standins';

const COMPENSATION = join(repoRoot, 'workflows', 'daily-delay-compensation.json');
const WIN_BACK = join(repoRoot, 'workflows', 'weekly-win-back.json');
type Service = 'shopify' | 'sendgrid';
interface Message { body: { categories?: string[]; custom_args?: Record<string, string>; personalizations?: Array<{ to: Array<{ email: string }> }> } }
interface Held { holding: number; held: number }

/** A copy of a template as of `now`, a workflow of its own (its id and name tagged), beside the others in `folder`. */
function templateAsOf(file: string, folder: string, now: string, tag: string): string {
	const copy = workflowAsOf(file, folder, now);
	const workflow = JSON.parse(readFileSync(copy, 'utf8')) as { id: string; name: string };
	const tagged = join(folder, `${tag}-${basename(copy)}`);
	writeFileSync(tagged, JSON.stringify({ ...workflow, id: `${workflow.id}${tag}`, name: `${workflow.name} (${tag})` }));
	return tagged;
}

describe('n8n killed in the middle of paying and mailing', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const anchor = new Date(env.anchor);
	const later = new Date(anchor.getTime() + 15 * 60_000).toISOString();
	const ids: Record<string, string> = {};
	const messages = async () => standin<Message[]>('sendgrid', '/__standin/messages');
	/** Runs the workflow and kills n8n as soon as `service` holds a request; then lets the stand-in go. */
	const crash = async (id: string, service: Service) => {
		await n8n.executeWorkflowUntilKilled({ userFolder: folder.path, id, timeoutMs: 240_000, killWhen: async () => (await standin<Held>(service, '/__standin/held')).holding > 0 });
		expect((await standin<Held>(service, '/__standin/held')).held).toBeGreaterThan(0);
		await standin(service, '/__standin/faults', { method: 'DELETE' });
	};
	const runOk = async (id: string) => {
		const result = await n8n.executeWorkflow({ userFolder: folder.path, id, timeoutMs: 240_000 });
		expect(result.status).toBe('success');
		return result;
	};

	beforeAll(async () => {
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		const files = [
			templateAsOf(COMPENSATION, folder.path, env.anchor, 'first'),
			templateAsOf(COMPENSATION, folder.path, later, 'next'),
			templateAsOf(WIN_BACK, folder.path, env.anchor, 'first'),
			templateAsOf(WIN_BACK, folder.path, later, 'next'),
		];
		const imported = await n8n.importWorkflows({ userFolder: folder.path, files });
		[ids.compensation, ids.compensationNext, ids.winBack, ids.winBackNext] = imported.map((workflow) => workflow.id);
	}, 300_000);
	afterAll(async () => {
		await supabase.from('compensation_ledger').delete().not('id', 'is', null);
		await supabase.from('late_notices').delete().not('id', 'is', null);
		await supabase.from('winback_sends').delete().eq('campaign_window', campaignWindow(anchor, 30));
		folder.done(6);
	});

	describe('daily delay compensation: the late order #1013 gets one discount code and one apology', () => {
		const scenarios: Array<[string, Service, Record<string, unknown>]> = [
			['after the claim, before Shopify makes the code', 'shopify', { hold: true, when: 'before', match: 'CxDiscountCode' }],
			['after Shopify made the code, before the ledger records it', 'shopify', { hold: true, when: 'after', match: 'CxDiscountCode' }],
			['after the apology is claimed, before SendGrid takes it', 'sendgrid', { hold: true, when: 'before' }],
			['after SendGrid took the apology, before the ledger records it', 'sendgrid', { hold: true, when: 'after' }],
		];
		it.each(scenarios)('killed %s', async (_, service, fault) => {
			await supabase.from('compensation_ledger').delete().not('id', 'is', null);
			await supabase.from('late_notices').delete().not('id', 'is', null);
			await standin('shopify', '/__standin/reset', { method: 'POST' });
			await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
			const codesBefore = (await standin<{ discountCodes: number }>('shopify', '/__standin/state')).discountCodes;
			await standin(service, '/__standin/faults', { method: 'POST', body: JSON.stringify({ count: 1, ...fault }) });

			await crash(ids.compensation, service);
			const { data: left } = await supabase.from('compensation_ledger').select('order_id, status, customer_notified_at');
			// the dead run left its row unfinished: paying (the code) or without the apology recorded
			expect(left).toHaveLength(1);
			expect(left![0].status === 'paying' || !left![0].customer_notified_at).toBe(true);

			const next = await runOk(ids.compensationNext);
			const compensated = n8n.nodeOutput(next, 'Compensated') as unknown as Array<{ order: { name: string }; compensation: { status: string } }>;
			expect(compensated.map((item) => item.order.name)).toEqual(['#1013']);
			const { data: rows } = await supabase.from('compensation_ledger').select('order_id, status, payout_reference, customer_notified_at, message_id');
			expect(rows).toHaveLength(1);
			expect(rows![0]).toMatchObject({ status: 'completed', payout_reference: expect.stringMatching(/^gid:\/\/shopify\/DiscountCodeNode\//), customer_notified_at: expect.any(String), message_id: expect.stringMatching(/\S/) });
			const orderId = rows![0].order_id as string;
			expect((await standin<{ discountCodes: number }>('shopify', '/__standin/state')).discountCodes).toBe(codesBefore + 1);
			const apologies = (await messages()).filter((message) => message.body.custom_args?.cx_order === orderId && message.body.categories?.includes('cx-delay-compensation'));
			expect(apologies).toHaveLength(1);

			// and a third run changes nothing
			const third = n8n.nodeOutput(await runOk(ids.compensationNext), 'Compensated') as unknown as Array<{ compensation: { status: string } }>;
			expect(third.map((item) => item.compensation.status)).toEqual(['already_compensated']);
			expect((await messages()).filter((message) => message.body.custom_args?.cx_order === orderId && message.body.categories?.includes('cx-delay-compensation'))).toHaveLength(1);
			folder.passed();
		}, 900_000);
	});

	describe('weekly win-back: each of the 42 dormant subscribed customers gets one email', () => {
		const window = campaignWindow(anchor, 30);
		const scenarios: Array<[string, Record<string, unknown>]> = [
			['after its first batch is claimed, before SendGrid takes it', { hold: true, when: 'before' }],
			['after SendGrid took its first batch, before the ledger records it', { hold: true, when: 'after' }],
		];
		it.each(scenarios)('killed %s', async (_, fault) => {
			expect(campaignWindow(new Date(later), 30)).toBe(window);
			await supabase.from('winback_sends').delete().eq('campaign_window', window);
			await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
			await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ count: 1, ...fault }) });

			await crash(ids.winBack, 'sendgrid');
			const { data: left } = await supabase.from('winback_sends').select('status').eq('campaign_window', window);
			expect(left!.filter((row) => row.status === 'sending').length).toBeGreaterThan(0);

			const next = await runOk(ids.winBackNext);
			const summary = (n8n.nodeOutput(next, 'Campaign summary') as unknown as Array<{ toMail: number; sent: number; unconfirmed: number }>)[0];
			expect(summary).toMatchObject({ toMail: 42, sent: 42, unconfirmed: 0 });
			const { data: rows } = await supabase.from('winback_sends').select('customer_email, status').eq('campaign_window', window);
			expect(rows).toHaveLength(42);
			expect(rows!.every((row) => row.status === 'sent')).toBe(true);
			const perAddress = new Map<string, number>();
			for (const message of (await messages()).filter((entry) => entry.body.categories?.includes('cx-winback'))) {
				for (const personalization of message.body.personalizations ?? []) for (const to of personalization.to) perAddress.set(to.email, (perAddress.get(to.email) ?? 0) + 1);
			}
			expect(perAddress.size).toBe(42);
			expect([...perAddress.values()].filter((count) => count !== 1)).toEqual([]);
			folder.passed();
		}, 900_000);
	});
});

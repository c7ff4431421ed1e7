/**
 * The weekly win-back template in a real n8n, run twice against the sample store: the first run mails each
 * dormant, subscribed customer once with their own code; the second mails nobody.
 */
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { campaignWindow } from '../../nodes/CxWinBack/winback';
import { n8n, tempUserFolder } from './n8n';
import { standin } from '../support/context';
import { repoRoot, standinsEnv } from '../support/standins';

const WORKFLOW = join(repoRoot, 'workflows', 'weekly-win-back.json');
type Mailed = { customer_id: string; email: string; winback: { status: string; segment: string; offerPercent: number; discountCode?: string; campaignWindow: string } };
type Summary = { campaignWindow: string; customers: number; dormant: number; toMail: number; sent: number; suppressed: Record<string, number> };
interface Message { body: { categories?: string[]; asm?: { group_id: number } }; deliveries: Array<{ to: Array<{ email: string }> }> }

describe('weekly-win-back workflow in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	// the workflow acts as of now: its window is this one (the next, should the runs straddle a boundary)
	const windows = [campaignWindow(new Date(), 30), campaignWindow(new Date(Date.now() + 86_400_000), 30)];
	const winBackMails = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-winback'));
	let workflowId: string;

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await supabase.from('winback_sends').delete().in('campaign_window', windows);
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		[{ id: workflowId }] = await n8n.importWorkflows({ userFolder: folder.path, files: [WORKFLOW] });
	}, 300_000);
	afterAll(async () => {
		await supabase.from('winback_sends').delete().in('campaign_window', windows);
		folder.done(1);
	});

	it('run twice, mails each dormant subscribed customer once: the second run sends nothing', async () => {
		const runs: Array<{ mailed: Mailed[]; summary: Summary }> = [];
		for (let run = 0; run < 2; run++) {
			const result = await n8n.executeWorkflow({ userFolder: folder.path, id: workflowId, timeoutMs: 240_000 });
			expect(result.data.resultData.error).toBeUndefined();
			expect(result.status).toBe('success');
			runs.push({
				// the node's own outputs: with nobody mailed, n8n does not run the node after an empty output
				mailed: n8n.nodeOutput(result, 'CX Win-Back', { output: 0 }) as unknown as Mailed[],
				summary: (n8n.nodeOutput(result, 'Campaign summary') as unknown as Summary[])[0],
			});
		}
		const [first, second] = runs;
		expect(first.summary.customers).toBe(300);
		expect(first.summary.sent).toBeGreaterThan(0);
		expect(first.mailed).toHaveLength(first.summary.sent);
		expect(first.mailed.every((item) => item.winback.status === 'sent')).toBe(true);
		expect(first.mailed.filter((item) => item.winback.offerPercent > 0).every((item) => /^WB-[A-Z2-9]{10}$/.test(item.winback.discountCode ?? ''))).toBe(true);
		// the unsubscribed fixture customer is never mailed
		expect(first.mailed.some((item) => item.customer_id === 'gid://shopify/Customer/1006')).toBe(false);
		expect(first.summary.suppressed.consent_unsubscribed).toBeGreaterThan(0);

		expect(second.mailed).toHaveLength(0);
		expect(second.summary).toMatchObject({ sent: 0, toMail: 0 });
		expect(second.summary.suppressed.cooldown).toBe(first.summary.sent);

		// what the store sees: one email per mailed customer, all with the marketing unsubscribe group; one sent row each
		const mails = await winBackMails();
		const recipients = mails.flatMap((message) => message.deliveries.map((delivery) => delivery.to[0].email));
		expect(recipients.sort()).toEqual(first.mailed.map((item) => item.email).sort());
		expect(mails.every((message) => typeof message.body.asm?.group_id === 'number')).toBe(true);
		const { data: rows } = await supabase.from('winback_sends').select('customer_id, status').eq('campaign_window', first.mailed[0].winback.campaignWindow);
		expect(rows).toHaveLength(first.summary.sent);
		expect(rows!.every((row) => row.status === 'sent')).toBe(true);
		folder.passed();
	}, 900_000);
});

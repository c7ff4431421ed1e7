/**
 * The weekly win-back template in a real n8n, run twice against the sample store as of its anchor: the first run
 * mails each dormant, subscribed customer once with their own code; the second mails nobody.
 */
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { campaignWindow } from '../../nodes/CxWinBack/winback';
import { n8n, tempUserFolder, workflowAsOf } from './n8n';
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
	// the workflow acts as of the stand-ins' anchor, the day the sample store's history ends: its window is the anchor's
	const window = campaignWindow(new Date(env.anchor), 30);
	const winBackMails = async () => (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-winback'));
	let workflowId: string;

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await supabase.from('winback_sends').delete().eq('campaign_window', window);
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		// the counts below are the seeded store's as of its anchor, the same on any date (test/integration/winBack.test.ts)
		[{ id: workflowId }] = await n8n.importWorkflows({ userFolder: folder.path, files: [workflowAsOf(WORKFLOW, folder.path, env.anchor)] });
	}, 300_000);
	afterAll(async () => {
		await supabase.from('winback_sends').delete().eq('campaign_window', window);
		folder.done(1);
	});

	it('run twice as of the store\'s anchor, mails its 42 dormant subscribed customers once, 15 with their own code: the second run sends nothing', async () => {
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
		// the seeded store as of its anchor: 300 customers, 82 dormant, 42 of them subscribed and mailed, 40 not by consent
		const consent = { consent_unsubscribed: 21, consent_not_subscribed: 16, consent_pending: 3 };
		expect(first.summary).toMatchObject({ campaignWindow: window, customers: 300, dormant: 82, toMail: 42, sent: 42 });
		expect(first.summary.suppressed).toEqual(consent);
		expect(first.mailed).toHaveLength(42);
		expect(first.mailed.every((item) => item.winback.status === 'sent' && item.winback.campaignWindow === window)).toBe(true);
		// the offers by segment: loyal 4 and hibernating 4 at 10%, at risk 7 at 15%, each with its own code; champions 4 and lost 23 a plain mail
		const offers = first.mailed.reduce<Record<string, number>>((count, item) => {
			const key = `${item.winback.segment}:${item.winback.offerPercent}`;
			return { ...count, [key]: (count[key] ?? 0) + 1 };
		}, {});
		expect(offers).toEqual({ 'champions:0': 4, 'loyal:10': 4, 'at_risk:15': 7, 'hibernating:10': 4, 'lost:0': 23 });
		const codes = first.mailed.filter((item) => item.winback.offerPercent > 0).map((item) => item.winback.discountCode ?? '');
		expect(codes).toHaveLength(15);
		expect(codes.filter((code) => /^WB-[A-Z2-9]{10}$/.test(code))).toHaveLength(15);
		expect(new Set(codes).size).toBe(15);
		expect(first.mailed.filter((item) => item.winback.offerPercent === 0 && item.winback.discountCode !== undefined)).toEqual([]);
		// Dora, a one-time buyer 300 days before the anchor, is mailed; the unsubscribed fixture customer never is
		expect(first.mailed.filter((item) => item.customer_id === 'gid://shopify/Customer/1005').map((item) => item.email)).toEqual(['dormant.once@example-store.test']);
		expect(first.mailed.some((item) => item.customer_id === 'gid://shopify/Customer/1006')).toBe(false);

		// the second run: the same 42 are in their cooldown, the same 40 without consent
		expect(second.mailed).toHaveLength(0);
		expect(second.summary).toMatchObject({ campaignWindow: window, customers: 300, dormant: 82, toMail: 0, sent: 0 });
		expect(second.summary.suppressed).toEqual({ ...consent, cooldown: 42 });

		// what the store sees: one email per mailed customer, all with the marketing unsubscribe group; one sent row each
		const mails = await winBackMails();
		const recipients = mails.flatMap((message) => message.deliveries.map((delivery) => delivery.to[0].email));
		expect(recipients).toHaveLength(42);
		expect(recipients.sort()).toEqual(first.mailed.map((item) => item.email).sort());
		expect(mails.filter((message) => typeof message.body.asm?.group_id !== 'number')).toEqual([]);
		const { data: rows } = await supabase.from('winback_sends').select('customer_id, status, discount_code').eq('campaign_window', window);
		expect(rows).toHaveLength(42);
		expect(rows!.filter((row) => row.status !== 'sent')).toEqual([]);
		expect(rows!.map((row) => row.discount_code).filter((code) => code !== null).sort()).toEqual([...codes].sort());
		folder.passed();
	}, 900_000);
});

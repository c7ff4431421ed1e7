/**
 * The daily delay-compensation template in a real n8n, run three times in a row against the sample
 * store: every late order is compensated exactly once (one ledger row, one code, one email).
 */
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder, workflowAsOf } from './n8n';
import { standin } from '../support/context';
import { repoRoot, standinsEnv } from '../support/standins';

const WORKFLOW = join(repoRoot, 'workflows', 'daily-delay-compensation.json');
type Compensation = { order: { id: string; name: string }; compensation: { status: string; outcome: string; discountCode?: string; policyVersion: string } };
interface Message { body: { custom_args?: Record<string, string> } }

describe('daily-delay-compensation workflow in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	let workflowId: string;
	const versions = new Set<string>();

	beforeAll(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		// as of the stand-ins' anchor, the day the sample store's history ends: the counts below are the store's, on any date
		[{ id: workflowId }] = await n8n.importWorkflows({ userFolder: folder.path, files: [workflowAsOf(WORKFLOW, folder.path, env.anchor)] });
	}, 300_000);
	afterAll(async () => {
		for (const version of versions) await supabase.from('compensation_ledger').delete().eq('policy_version', version);
		folder.done(1);
	});

	it('run three times, compensates each late order exactly once', async () => {
		const runs: Array<{ compensated: Compensation[]; notEligible: Compensation[] }> = [];
		for (let run = 0; run < 3; run++) {
			const result = await n8n.executeWorkflow({ userFolder: folder.path, id: workflowId, timeoutMs: 240_000 });
			expect(result.data.resultData.error).toBeUndefined();
			expect(result.status).toBe('success');
			runs.push({
				compensated: n8n.nodeOutput(result, 'Compensated') as unknown as Compensation[],
				notEligible: n8n.nodeOutput(result, 'Not eligible') as unknown as Compensation[],
			});
		}
		const [first, second, third] = runs;
		// the sample store's 60 days before its anchor: 13 orders late by more than 7 days, 176 on time or not late enough
		expect(first.compensated).toHaveLength(13);
		expect(first.notEligible).toHaveLength(176);
		expect(first.compensated.every((item) => item.compensation.status === 'compensated' && item.compensation.discountCode)).toBe(true);
		for (const later of [second, third]) {
			expect(later.compensated.map((item) => item.order.id).sort()).toEqual(first.compensated.map((item) => item.order.id).sort());
			expect(later.compensated.every((item) => item.compensation.status === 'already_compensated')).toBe(true);
		}
		for (const item of first.compensated) versions.add(item.compensation.policyVersion);

		const ids = first.compensated.map((item) => item.order.id);
		const { data: rows } = await supabase.from('compensation_ledger').select('order_id, status, payout_reference').in('order_id', ids).in('policy_version', [...versions]);
		expect(rows).toHaveLength(ids.length);
		expect(rows!.every((row) => row.status === 'completed' && row.payout_reference)).toBe(true);
		const mails = (await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => ids.includes(message.body.custom_args?.cx_order ?? ''));
		const emailed = first.compensated.filter((item) => item.order && (item as unknown as { order: { customer_email: string | null } }).order.customer_email).length;
		expect(mails).toHaveLength(emailed);
		folder.passed();
	}, 900_000);
});

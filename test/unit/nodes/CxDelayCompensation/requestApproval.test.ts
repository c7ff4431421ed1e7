import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { CxDelayCompensation } from '../../../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { SupabaseService } from '../../../../nodes/shared/services/supabase';
import { fakeContext } from '../../../support/fakeContext';

describe('Request Approval', () => {
	it('refuses a Resume URL the approver\'s buttons could not be (javascript:, no host) before anything is claimed', async () => {
		const claims: unknown[] = [];
		const store = jest.spyOn(SupabaseService, 'connect').mockResolvedValue({ updateWhere: async (...args: unknown[]) => (claims.push(args), []) } as unknown as SupabaseService);
		try {
			const item = { order: { id: 'gid://shopify/Order/1', name: '#1001' }, compensation: { ledgerId: '0b5c3c7e-1d2a-4d7e-9b1f-1a2b3c4d5e6f' } };
			const run = (resumeUrl: string) =>
				new CxDelayCompensation().execute.call(
					fakeContext({ items: [item as IDataObject], continueOnFail: true, credentials: { cxSendGridApi: { apiKey: 'SG.not-used', senderEmail: 'support@example-store.test' } }, parameters: { operation: 'requestApproval', approverEmail: 'owner@example-store.test', resumeUrl, options: { now: '2026-11-01T00:00:00Z' } } }),
				) as Promise<INodeExecutionData[][]>;
			for (const resumeUrl of ['javascript:alert(1)//https://', 'https://', ' data:text/html,<b>x</b>']) {
				const errors = (await run(resumeUrl)).flat().filter((out) => out.json.error);
				expect(errors.map((out) => String(out.json.error))).toEqual([`Item 0: Resume URL "${resumeUrl}" is not a web address`]);
			}
			expect(claims).toEqual([]);
		} finally {
			store.mockRestore();
		}
	});
});

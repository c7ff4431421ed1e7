/**
 * The support-ticket triage template, run by a real n8n 2.x that loads the pack as a community package:
 * tickets in, triage decisions out on the right outputs, rows in Supabase, and a replay that stores
 * nothing twice. Also the credentials' own tests, as n8n runs them when a user saves a credential.
 */
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder, type RunningN8n } from './n8n';
import { repoRoot, standinsEnv } from '../support/standins';
import { standin } from '../support/context';

const WORKFLOW = join(repoRoot, 'workflows', 'support-ticket-triage.json');
const TICKETS = ['T-1001', 'T-1002', 'T-1003', 'T-1004', 'T-1005', 'T-1006'];

type Item = Record<string, unknown> & {
	ticket: { id: string };
	triage: { tier: string; tierSource: string; escalate: boolean; escalationReasons: string[]; reasons: string[]; intent: string; priority: string };
	stored: { action: string };
};

describe('support-ticket-triage workflow in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	let workflowId: string;

	beforeAll(async () => {
		await supabase.from('tickets').delete().in('external_id', TICKETS);
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		[{ id: workflowId }] = await n8n.importWorkflows({ userFolder: folder.path, files: [WORKFLOW] });
	}, 300_000);
	afterAll(async () => {
		await supabase.from('tickets').delete().in('external_id', TICKETS);
		folder.done(3);
	});

	const execute = async () => {
		const run = await n8n.executeWorkflow({ userFolder: folder.path, id: workflowId });
		expect(run.data.resultData.error).toBeUndefined();
		expect(run.status).toBe('success');
		const escalated = n8n.nodeOutput(run, 'Escalate to a person') as Item[];
		const queued = n8n.nodeOutput(run, 'Work queue') as Item[];
		return { escalated, queued, byId: Object.fromEntries([...escalated, ...queued].map((item) => [item.ticket.id, item])) };
	};

	it('triages the tickets with Shopify tiers, routes them, and stores one row each', async () => {
		const { escalated, queued, byId } = await execute();
		// the VIP's framing question waits its turn; the VIP's wrong size is an issue and escalates (seeds/000: VIP issues)
		expect(escalated.map((item) => item.ticket.id).sort()).toEqual(['T-1003', 'T-1006']);
		expect(queued.map((item) => item.ticket.id).sort()).toEqual(['T-1001', 'T-1002', 'T-1004', 'T-1005']);
		// a question either way: the model reads a product or a general question, and says when it is unsure
		expect(byId['T-1001'].triage).toMatchObject({ tier: 'vip', tierSource: 'shopify', intent: expect.stringMatching(/^(product_question|general)$/), escalate: false, escalationReasons: [] });
		expect(byId['T-1001'].triage.reasons).toContain(`vip_not_escalated:${byId['T-1001'].triage.intent}_neutral`);
		// a wrong size and an exchange asked for: either reading is the order's issue (docs/triage-corpus.md: the request stressed most)
		expect(byId['T-1006'].triage).toMatchObject({ tier: 'vip', intent: expect.stringMatching(/^(wrong_item|exchange_request)$/), escalationReasons: expect.arrayContaining(['tier_vip']) });
		// the damage is reported, the refund is what is asked for (docs/triage-corpus.md: the money first)
		expect(byId['T-1003'].triage).toMatchObject({ tier: 'premium', priority: 'urgent', intent: 'refund_request' });
		expect(byId['T-1003'].action_parameters).toMatchObject({ resolution_type: 'refund' });
		expect(byId['T-1003'].triage.reasons).toContain('threatening:chargeback');
		expect(byId['T-1002']).toMatchObject({
			interaction_type: 'support_ticket',
			customer_details: { tier: 'regular', issue_type: 'shipping' },
			action_parameters: { resolution_type: 'information' },
		});
		expect(byId['T-1005']).toMatchObject({ interaction_type: 'feedback_analysis', customer_details: { sentiment: 'positive' } });
		expect(TICKETS.map((id) => byId[id].stored.action)).toEqual(Array(6).fill('inserted'));

		const { data: rows } = await supabase.from('tickets').select('external_id, tier, priority, status').in('external_id', TICKETS).order('external_id');
		expect(rows).toHaveLength(6);
		// the question's priority follows its intent: low for a product question, medium for a general one
		expect(rows![0]).toEqual({ external_id: 'T-1001', tier: 'vip', priority: byId['T-1001'].triage.intent === 'general' ? 'medium' : 'low', status: 'open' });
		folder.passed();
	}, 180_000);

	it('run again, it stores nothing twice', async () => {
		const { byId } = await execute();
		expect(TICKETS.map((id) => byId[id].stored.action)).toEqual(Array(6).fill('updated'));
		const { count } = await supabase.from('tickets').select('*', { count: 'exact', head: true }).in('external_id', TICKETS);
		expect(count).toBe(6);
		folder.passed();
	}, 180_000);

	describe('credential tests, as n8n runs them when a credential is saved', () => {
		let server: RunningN8n;
		const browserId = 'cx-e2e-browser';
		let cookie: string;

		beforeAll(async () => {
			server = await n8n.startN8n({ userFolder: folder.path, port: await n8n.freePort() });
			const password = 'Sample-Owner-Pass1';
			await n8n.setupOwner({ url: server.url, email: 'owner@example-store.test', password });
			const response = await fetch(`${server.url}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'browser-id': browserId },
				body: JSON.stringify({ emailOrLdapLoginId: 'owner@example-store.test', password }),
			});
			expect(response.status).toBe(200);
			cookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='))!.split(';')[0];
		}, 120_000);
		afterAll(async () => server?.stop());

		// as the editor does: read the credential (secrets come back redacted), then test what the form holds
		const test = async (id: string, type: string, changes: Record<string, unknown> = {}) => {
			const headers = { 'content-type': 'application/json', cookie, 'browser-id': browserId };
			const stored = await fetch(`${server.url}/rest/credentials/${id}?includeData=true`, { headers });
			expect(stored.status).toBe(200);
			const { data: credential } = (await stored.json()) as { data: { name: string; data: Record<string, unknown> } };
			const response = await fetch(`${server.url}/rest/credentials/test`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ credentials: { id, name: credential.name, type, data: { ...credential.data, ...changes } } }),
			});
			expect(response.status).toBe(200);
			const { data: result } = (await response.json()) as { data: { status: string; message: string } };
			// status and message in one string, so a failure shows n8n's reason
			return `${result.status}: ${result.message}`;
		};

		it('each of the four credentials passes its test against the stand-ins, and a wrong key fails', async () => {
			expect(await test('cxShopifyLocal', 'cxShopifyAdminApi')).toMatch(/^OK: /);
			expect(await test('cxSendGridLocal', 'cxSendGridApi')).toMatch(/^OK: /);
			expect(await test('cxSupabaseLocal', 'cxSupabaseApi')).toMatch(/^OK: /);
			expect(await test('cxStripeLocal', 'cxStripeApi')).toMatch(/^OK: /);
			expect(await test('cxSendGridLocal', 'cxSendGridApi', { apiKey: 'SG.not-the-key' })).toMatch(/^Error: /);
			expect(await test('cxShopifyLocal', 'cxShopifyAdminApi', { shopDomain: `https://${env.shopify.shopDomain}/` })).toMatch(/^OK: /);
			expect(await test('cxShopifyLocal', 'cxShopifyAdminApi', { shopDomain: '127.0.0.1:1' })).toMatch(/^Error: /);
			// an app without the write scopes: the test names the nodes that need them (n8n finds the test by testedBy)
			await standin('shopify', '/__standin/access-scopes', { method: 'POST', body: JSON.stringify({ scopes: ['read_customers', 'read_orders'] }) });
			try {
				expect(await test('cxShopifyLocal', 'cxShopifyAdminApi')).toMatch(/^Error: Connected to .+, but the app lacks scopes: CX VIP Escalation \(tagging the customer and the order\) needs write_customers, write_orders; CX Delay Compensation \(discount code payouts\) needs write_discounts;/);
			} finally {
				await standin('shopify', '/__standin/access-scopes', { method: 'POST', body: JSON.stringify({ scopes: 'default' }) });
			}
			folder.passed();
		}, 120_000);
	});
});

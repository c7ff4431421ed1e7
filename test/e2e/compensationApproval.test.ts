/**
 * The approval path in a real n8n: CX: daily delay compensation (its copy here started by a webhook, with the
 * instant cap at $50, so the sample store's late #1013 and its $100 waits for a person) hands the compensation to
 * CX: compensation approval, which emails the approver approve and decline links to its Wait node. Approved: paid
 * once (one ledger row completed, one code, one apology) however often the link is clicked. Declined: recorded
 * with who and when, and the next daily run neither pays nor asks again. Unanswered: the wait runs out (a minute
 * in this copy) and the request is settled as expired, nothing paid.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder, workflowAsOf, type RunningN8n } from './n8n';
import { standin } from '../support/context';
import { repoRoot, standinsEnv, storedTime } from '../support/standins';

const DAILY = join(repoRoot, 'workflows', 'daily-delay-compensation.json');
const APPROVAL = join(repoRoot, 'workflows', 'compensation-approval.json');
const ORDER = 'gid://shopify/Order/5013';
const APPROVER = 'owner@example-store.test';
interface Message { body: { custom_args?: Record<string, string> }; deliveries: Array<{ to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }> }> }
type Node = { name: string; type: string; parameters: Record<string, unknown>; position?: number[]; webhookId?: string; typeVersion?: number; id?: string };

describe('compensation approval in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	let server: RunningN8n | undefined;

	const forget = async () => {
		await supabase.from('compensation_ledger').delete().eq('order_id', ORDER).throwOnError();
	};
	const messages = async () => standin<Message[]>('sendgrid', '/__standin/messages');
	const requests = async () => (await messages()).filter((message) => message.body.custom_args?.cx_reason === 'approval_request');
	const apologies = async () => (await messages()).filter((message) => message.body.custom_args?.cx_order === ORDER && message.body.custom_args?.cx_reason === 'shipping_delay');
	const row = async () => (await supabase.from('compensation_ledger').select('status, amount_cents, payout_reference, approval_decision, approval_decided_by, approval_decided_at, approval_requested_to').eq('order_id', ORDER).throwOnError()).data!;
	const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000): Promise<T> => {
		for (const until = Date.now() + ms; ; await new Promise((resolve) => setTimeout(resolve, 500))) {
			const value = await read();
			if (done(value) || Date.now() > until) return value;
		}
	};
	/**
	 * A person's first click on a link. The approval email leaves before n8n has saved the execution as waiting, and
	 * until then n8n answers 409 "is running already"; a person a second later finds it waiting. Clicked again only
	 * for that answer, for up to half a minute.
	 */
	const click = async (url: string) => {
		for (const until = Date.now() + 30_000; ; await new Promise((resolve) => setTimeout(resolve, 500))) {
			const answer = await fetch(url);
			if (answer.status !== 409 || Date.now() > until) return answer;
			const { message } = (await answer.clone().json()) as { message: string };
			if (!/is running already/.test(message)) return answer;
		}
	};
	/** The daily run, as its schedule would start it. */
	const runDaily = async () => expect((await fetch(`${server!.url}/webhook/cx-daily-e2e`, { method: 'POST' })).status).toBe(200);
	/** The link of the newest approval request, pointed at this n8n. */
	const link = async (label: 'Approve and pay' | 'Decline', count: number) => {
		const [request] = (await eventually(requests, (found) => found.length >= count)).slice(-1);
		expect(request.deliveries[0].to).toEqual([{ email: APPROVER }]);
		const html = request.deliveries[0].content.find((part) => part.type === 'text/html')!.value;
		const href = new RegExp(`href="([^"]+)"[^>]*>${label}<`).exec(html)![1].replace(/&amp;/g, '&');
		return `${server!.url}${new URL(href).pathname}${new URL(href).search}`;
	};

	beforeAll(async () => {
		await forget();
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		// the daily template, started by a webhook, with the cap at $50 and without its running-late branch
		const daily = JSON.parse(readFileSync(workflowAsOf(DAILY, folder.path, env.anchor), 'utf8')) as { id: string; nodes: Node[]; connections: Record<string, unknown> };
		const trigger: Node = { id: 'e2e-daily-webhook', name: 'Every day at 9', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: '3f1e5c2a-7b9d-4e8f-a0c1-d2e3f4a5b6c7', parameters: { httpMethod: 'POST', path: 'cx-daily-e2e', responseMode: 'onReceived', options: {} } };
		daily.nodes = daily.nodes.filter((node) => !['n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.manualTrigger'].includes(node.type) && node.name !== 'Tell customers their order is running late').concat(trigger);
		const compensate = daily.nodes.find((node) => node.name === 'CX Delay Compensation')!;
		compensate.parameters.options = { ...(compensate.parameters.options as object), instantCap: 50 };
		daily.connections = { 'Every day at 9': { main: [[{ node: 'CX Delay Compensation', type: 'main', index: 0 }]] }, 'CX Delay Compensation': (daily.connections as Record<string, unknown>)['CX Delay Compensation'] };
		daily.id = 'cxDailyDelayCompE2e';
		const dailyFile = join(folder.path, 'daily-e2e.json');
		writeFileSync(dailyFile, JSON.stringify(daily));
		// the approval template as shipped, but its wait runs out after a minute
		const approval = JSON.parse(readFileSync(workflowAsOf(APPROVAL, folder.path, env.anchor), 'utf8')) as { nodes: Node[] };
		Object.assign(approval.nodes.find((node) => node.type === 'n8n-nodes-base.wait')!.parameters, { resumeAmount: 1, resumeUnit: 'minutes' });
		const approvalFile = join(folder.path, 'approval-e2e.json');
		writeFileSync(approvalFile, JSON.stringify(approval));
		await n8n.importWorkflows({ userFolder: folder.path, files: [approvalFile, dailyFile] });
		// n8n runs only published sub-workflows
		await n8n.publishWorkflow({ userFolder: folder.path, id: 'cxCompensationApproval1' });
		await n8n.publishWorkflow({ userFolder: folder.path, id: 'cxDailyDelayCompE2e' });
		server = await n8n.startN8n({ userFolder: folder.path, port: Number(process.env.N8N_PORT) || (await n8n.freePort()) });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-daily-e2e' });
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
		await forget();
		folder.done(3);
	});

	it('approved: pays once, however often the link is clicked', async () => {
		await runDaily();
		const approve = await link('Approve and pay', 1);
		const [request] = await requests();
		expect(request.deliveries[0].subject).toBe('Approve $100.00 delay compensation for order #1013?');
		expect(await row()).toEqual([expect.objectContaining({ status: 'needs_approval', amount_cents: 10000, approval_decision: null, approval_requested_to: APPROVER })]);

		const answer = await click(approve);
		expect(answer.status).toBe(200);
		expect(await answer.text()).toContain('Approved: $100.00 for #1013 is paid, once, and the customer is told.');
		expect(await row()).toEqual([{ status: 'completed', amount_cents: 10000, payout_reference: expect.any(String), approval_decision: 'approved', approval_decided_by: APPROVER, approval_decided_at: storedTime(env.anchor), approval_requested_to: APPROVER }]);
		expect(await apologies()).toHaveLength(1);

		// the link again: n8n refuses it, the wait being over (the execution still finishing, or finished), and the
		// ledger would pay nothing anyway
		const again = await fetch(approve);
		expect(again.status).toBe(409);
		expect(((await again.json()) as { message: string }).message).toMatch(/^The execution "\d+"? (is running|has finished) already\.$/);
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect((await row())[0]).toMatchObject({ status: 'completed', approval_decision: 'approved' });
		expect(await apologies()).toHaveLength(1);
		// and the next daily run finds it compensated: no new request
		await runDaily();
		await new Promise((resolve) => setTimeout(resolve, 5000));
		expect(await requests()).toHaveLength(1);
		folder.passed();
	}, 300_000);

	it('declined: recorded with who and when; the next daily run neither pays nor asks again', async () => {
		await forget();
		await runDaily();
		const decline = await link('Decline', 2);
		const answer = await click(decline);
		expect(answer.status).toBe(200);
		expect(await answer.text()).toContain('Declined: nothing is paid for #1013. Your answer is recorded.');
		expect(await row()).toEqual([{ status: 'declined', amount_cents: 10000, payout_reference: null, approval_decision: 'declined', approval_decided_by: APPROVER, approval_decided_at: storedTime(env.anchor), approval_requested_to: APPROVER }]);
		await runDaily();
		await new Promise((resolve) => setTimeout(resolve, 5000));
		expect(await requests()).toHaveLength(2);
		expect(await apologies()).toHaveLength(1);
		folder.passed();
	}, 300_000);

	it('unanswered: the request expires when the wait runs out, and nothing is paid', async () => {
		await forget();
		await runDaily();
		await link('Approve and pay', 3);
		const settled = await eventually(row, (rows) => rows[0]?.status === 'expired', 180_000);
		expect(settled).toEqual([{ status: 'expired', amount_cents: 10000, payout_reference: null, approval_decision: 'expired', approval_decided_by: null, approval_decided_at: storedTime(env.anchor), approval_requested_to: APPROVER }]);
		expect(await apologies()).toHaveLength(1);
		folder.passed();
	}, 300_000);
});

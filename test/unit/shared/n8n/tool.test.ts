/**
 * The pack's nodes as AI Agent tools: n8n hands an agent only a tool's first output, so a node run as a tool puts
 * every item on one output with the route it would have taken, and reads the items the agent hands it.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { fakeContext } from '../../../support/fakeContext';
import { asToolOutput, routeName } from '../../../../nodes/shared/n8n/tool';
import { CxTicketTriage } from '../../../../nodes/CxTicketTriage/CxTicketTriage.node';
import { CxCustomerHealth } from '../../../../nodes/CxCustomerHealth/CxCustomerHealth.node';
import { CxDelayCompensation } from '../../../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { CxVipEscalation } from '../../../../nodes/CxVipEscalation/CxVipEscalation.node';
import { CxWinBack } from '../../../../nodes/CxWinBack/CxWinBack.node';
import { CxKpiReport } from '../../../../nodes/CxKpiReport/CxKpiReport.node';
import { CxSatisfactionMetrics } from '../../../../nodes/CxSatisfactionMetrics/CxSatisfactionMetrics.node';
import { CxCustomerSurvey } from '../../../../nodes/CxCustomerSurvey/CxCustomerSurvey.node';
import { CxFeedbackFollowUp } from '../../../../nodes/CxFeedbackFollowUp/CxFeedbackFollowUp.node';

const routes = (outputs: INodeExecutionData[][]) => outputs.map((items) => items.map((item) => item.json.route));

describe('a node\'s outputs as one tool output', () => {
	it('names routes as an agent reads them', () => {
		expect(['Escalate', 'Needs Approval', 'Not Escalated', 'Red'].map(routeName)).toEqual(['escalate', 'needs_approval', 'not_escalated', 'red']);
	});

	it('puts every item on one output with its route, in the order of the items they answer, a summary last', () => {
		const outputs: INodeExecutionData[][] = [
			[{ json: { id: 'b', route: 'the customer\'s own field' }, pairedItem: { item: 1 } }],
			[{ json: { id: 'a' }, pairedItem: { item: 0 } }, { json: { id: 'c' }, pairedItem: [{ item: 2 }] }],
			[{ json: { error: 'Item 3: Field "body" is missing', details: 'Give the ticket a body.' }, pairedItem: { item: 3 } }, { json: { summary: true } }],
		];
		const [only, ...rest] = asToolOutput(outputs, ['Escalate', 'Queue', 'Green']);
		expect(rest).toEqual([]);
		expect(only.map((item) => [item.json.route, item.json.id ?? item.json.error ?? 'summary'])).toEqual([
			['queue', 'a'],
			['escalate', 'b'],
			['queue', 'c'],
			['error', 'Item 3: Field "body" is missing'],
			['green', 'summary'],
		]);
	});
});

describe('the nodes run as an AI Agent\'s tool', () => {
	it('triage hands the agent every ticket it was given, the escalated and the queued, each with its route and reasons', async () => {
		const tickets: IDataObject[] = [
			{ id: 'A-1', subject: 'Sizes', body: 'What sizes do you offer for the forest print?', channel: 'chat', customer_email: 'sam.sample@example-store.test' },
			{ id: 'A-2', subject: 'Cracked frame', body: 'The frame arrived cracked. Refund me or I will file a chargeback with my bank.', channel: 'email', customer_email: 'robin.example@example-store.test' },
			{ id: 'A-3', subject: 'Thanks', body: 'Love the print, thank you!', channel: 'social', customer_email: 'alex.example@example-store.test' },
		];
		// n8n's tool call: one item holding the agent's arguments; the tickets come through Items From the Agent
		const context = fakeContext({ node: 'CX Ticket Triage', tool: true, items: [{ tickets }], parameters: { toolItems: tickets } });
		const outputs = await new CxTicketTriage().execute.call(context);
		expect(routes(outputs)).toEqual([['queue', 'escalate', 'queue']]);
		const [queued, escalated] = outputs[0];
		expect(queued.json).toMatchObject({ ticket: { id: 'A-1' }, triage: { escalate: false, intent: 'product_question' } });
		expect(escalated.json).toMatchObject({ ticket: { id: 'A-2' }, triage: { escalate: true, flags: { threats: ['chargeback'] } } });
		expect((escalated.json.triage as IDataObject).reasons).toEqual(expect.arrayContaining(['threatening:chargeback']));
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('knows it is a tool by its type too: n8n 2.41\'s AI Agent runs a tool node as an ordinary node, its input the tool call\'s arguments', async () => {
		const tickets = [{ id: 'C-1', subject: 'Late', body: 'I will file a chargeback if it is not here by Friday.', channel: 'email', customer_email: 'sam.sample@example-store.test' }];
		const context = fakeContext({ node: 'Triage tickets', tool: 'type', items: [{ tickets, toolCallId: 'call_1' }], parameters: { toolItems: tickets } });
		expect(routes(await new CxTicketTriage().execute.call(context))).toEqual([['escalate']]);
	});

	it('the same node outside an agent routes to its outputs as before, with no route field', async () => {
		const context = fakeContext({ node: 'CX Ticket Triage', items: [{ id: 'A-2', subject: 'Cracked', body: 'I will file a chargeback.', channel: 'email', customer_email: 'robin.example@example-store.test' }] });
		const [escalate, queue] = await new CxTicketTriage().execute.call(context);
		expect([escalate.length, queue.length, escalate[0].json.route]).toEqual([1, 0, undefined]);
	});

	it('triage as a tool names a bad ticket in an error item with route error under Continue On Fail, and refuses items that are not objects', async () => {
		const tickets = [{ id: 'B-1', subject: 'Hi', channel: 'email', customer_email: 'sam.sample@example-store.test' }, { id: 'B-2', subject: 'Late', body: 'Still no parcel.', channel: 'chat', customer_email: 'sam.sample@example-store.test' }];
		const [only] = await new CxTicketTriage().execute.call(fakeContext({ tool: true, items: [{}], parameters: { toolItems: tickets }, continueOnFail: true }));
		expect(only.map((item) => [item.json.route, item.json.error ?? (item.json.ticket as IDataObject).id])).toEqual([
			['error', expect.stringMatching(/^Item 0: .*body/)],
			['queue', 'B-2'],
		]);
		await expect(new CxTicketTriage().execute.call(fakeContext({ tool: true, items: [{}], parameters: { toolItems: '["not an object"]' } }))).rejects.toThrow('Parameter "Items From the Agent" must be a JSON object or an array of objects');
		await expect(new CxTicketTriage().execute.call(fakeContext({ tool: true, items: [{}], parameters: { toolItems: '{oops' } }))).rejects.toThrow('Parameter "Items From the Agent" is not JSON');
	});

	it('customer health hands the agent the red, the yellow and the green customers, each with its route', async () => {
		const now = new Date('2026-06-01T00:00:00Z');
		const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
		const customers: IDataObject[] = [
			{ customer_id: '1', email: 'loyal.buyer@example-store.test', amount_spent: '1500.00', currency: 'USD', email_marketing_consent: 'subscribed', tags: 'VIP', order_dates: [73, 120, 180, 240, 300, 360].map(daysAgo), latest_csat: 5 },
			{ customer_id: '2', email: 'middling.buyer@example-store.test', amount_spent: 250, order_dates: [146, 200, 260].map(daysAgo), refund_dates: [daysAgo(150)], latest_csat: 4, latest_nps: 2, open_tickets: 1 },
			{ customer_id: '3', email: 'at.risk@example-store.test', amount_spent: 0, order_dates: [daysAgo(212), daysAgo(500)], refund_dates: [daysAgo(100), daysAgo(200), daysAgo(400)], open_tickets: 2, late_deliveries_last_365: 1 },
		];
		const parameters = { source: 'items', supabaseSignals: false, storeScores: false, toolItems: JSON.stringify(customers), options: { now: now.toISOString() } };
		const outputs = await new CxCustomerHealth().execute.call(fakeContext({ node: 'CX Customer Health', tool: true, items: [{}], parameters }));
		expect(outputs[0].map((item) => [item.json.route, item.json.customer_id ?? (item.json.customer as IDataObject)?.customer_id ?? item.json.email])).toEqual([
			['green', expect.anything()],
			['yellow', expect.anything()],
			['red', expect.anything()],
		]);
		expect(outputs).toHaveLength(1);
	});

	it('delay compensation (dry run) hands the agent the compensated, the ones needing approval and the not eligible', async () => {
		const order = (change: IDataObject = {}): IDataObject => ({
			order_id: 'O-1', name: '#2001', processed_at: '2026-09-21T10:00:00Z', total: 120, currency: 'USD', customer_email: 'sam.sample@example-store.test', checkout_promise_at: '2026-09-30T12:00:00Z',
			fulfillments: [{ estimated_delivery_at: '2026-09-30T12:00:00Z', delivered_at: '2026-10-10T12:00:00Z' }], ...change,
		});
		const orders = [
			order(),
			order({ order_id: 'O-2', name: '#2002', checkout_promise_at: '2026-10-05T12:00:00Z', fulfillments: [{ estimated_delivery_at: '2026-10-05T12:00:00Z', delivered_at: '2026-10-10T12:00:00Z' }] }),
			order({ order_id: 'O-3', name: '#2003', refunded: 10 }),
		];
		const parameters = { source: 'items', payoutMethod: 'discountCode', dryRun: true, notifyCustomer: false, toolItems: orders, options: { now: '2026-11-01T00:00:00Z' } };
		const context = fakeContext({ node: 'CX Delay Compensation', tool: true, items: [{}], parameters, credentials: { cxShopifyAdminApi: { shopDomain: 'example-store.myshopify.com', accessToken: 'test-token-not-used', apiVersion: '2026-10' } } });
		const [only] = await new CxDelayCompensation().execute.call(context);
		expect(only.map((item) => [item.json.route, (item.json.order as IDataObject).name])).toEqual([
			['compensated', '#2001'],
			['not_eligible', '#2002'],
			['needs_approval', '#2003'],
		]);
	});

	it('every node says in its tool description what it does, what it needs and what it changes', () => {
		for (const node of [new CxTicketTriage(), new CxVipEscalation(), new CxDelayCompensation(), new CxCustomerHealth(), new CxWinBack(), new CxCustomerSurvey(), new CxFeedbackFollowUp(), new CxKpiReport(), new CxSatisfactionMetrics()]) {
			const usable = node.description.usableAsTool;
			expect(typeof usable === 'object' && usable.replacements?.description).toMatch(/Returns (every|the) .* route "[a-z_]+"[\s\S]*Changes/);
		}
	});
});

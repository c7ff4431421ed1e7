/**
 * The pack's nodes as tools of n8n's AI Agent, in a real n8n 2.x: Manual Trigger -> AI Agent with n8n's OpenAI Chat
 * Model, whose OpenAI credential's Base URL points at the scripted OpenAI stand-in (scripts/standins/openai.js), and
 * CX Ticket Triage, CX Customer Health and CX Delay Compensation connected as tools. The stand-in plays a script of
 * three tool calls, one per tool, each handing the tool its items through `$fromAI` in the tool-only parameter
 * `toolItems`, and records what n8n sends back. The product requirement: the agent receives every item a tool
 * decided, each with `route`, the output the node would have taken (lower-case, underscores).
 */
import { join } from 'node:path';
import { n8n, tempUserFolder, type WorkflowRun } from './n8n';
import { repoRoot, standinsEnv } from '../support/standins';
import { openAiRequests, openaiStandinEnv, setOpenAiScript, toolMessages, type RecordedRequest, type ScriptedToolCall } from '../support/openaiStandin';

const WORKFLOW = join(repoRoot, 'test', 'e2e', 'fixtures', 'ai-agent-tools.json');
const OPENAI_CREDENTIAL = { id: 'cxOpenAiLocal', name: 'OpenAI (local stand-in)', type: 'openAiApi' };
/** n8n names a tool after its node (nodeNameToToolName: anything but letters, digits, _ and - becomes _). */
const TOOL = { triage: 'Triage_tickets', health: 'Score_customer_health', delay: 'Compensate_late_orders' } as const;

// Triage as of 2026-11-20T15:00Z (the node's Options > Now), without Shopify: every customer is regular. The chargeback
// threat escalates (threatening language, DESIGN "Escalate"); a product question and a thank-you wait in the queue.
const TICKETS = [
	{ id: 'T-2001', channel: 'email', customer_email: 'premium.buyer@example-store.test', subject: 'Frame arrived cracked', body: 'The framed print arrived damaged, the glass is cracked. This is unacceptable. If I do not get a refund I will file a chargeback.' },
	{ id: 'T-2002', channel: 'email', customer_email: 'curious.buyer@example-store.test', subject: 'Framing question', body: 'Hello! Do you offer framing options for the large ocean print? I would like it for my studio.' },
	{ id: 'T-2003', channel: 'chat', customer_email: 'happy.buyer@example-store.test', subject: 'Thank you', body: 'Just wanted to say I love the print, beautiful colours and great packaging!' },
];

// Health as of 2026-06-01T00:00Z, default weights and bands, no Supabase: the three customers of
// test/unit/nodes/CxCustomerHealth (scores 95 green, 58 yellow, 29 red), their dates written out from that day.
const CUSTOMERS = [
	{
		customer_id: 'C-3001',
		email: 'loyal.buyer@example-store.test',
		amount_spent: '1500.00',
		currency: 'USD',
		order_dates: ['2026-03-20T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2025-12-03T00:00:00.000Z', '2025-10-04T00:00:00.000Z', '2025-08-05T00:00:00.000Z', '2025-06-06T00:00:00.000Z'],
		latest_csat: 5,
	},
	{
		customer_id: 'C-3002',
		email: 'middling.buyer@example-store.test',
		amount_spent: 250,
		currency: 'USD',
		order_dates: ['2026-01-06T00:00:00.000Z', '2025-11-13T00:00:00.000Z', '2025-09-14T00:00:00.000Z'],
		refund_dates: ['2026-01-02T00:00:00.000Z'],
		latest_csat: 4,
		latest_nps: 2,
		open_tickets: 1,
	},
	{
		customer_id: 'C-3003',
		email: 'at.risk@example-store.test',
		amount_spent: 0,
		currency: 'USD',
		order_dates: ['2025-11-01T00:00:00.000Z', '2025-01-17T00:00:00.000Z'],
		refund_dates: ['2026-02-21T00:00:00.000Z', '2025-11-13T00:00:00.000Z', '2025-04-27T00:00:00.000Z'],
		open_tickets: 2,
		late_deliveries_last_365: 1,
	},
];

// Delay compensation as of 2026-11-01T00:00Z, a dry run, the default policy (test/unit/nodes/CxDelayCompensation):
// delivered 10 days after the promise -> $50 (compensated); the same, partly refunded -> a person decides
// (needs approval: never stack credit and refund); delivered 5 days late -> not over 7 (not eligible).
const delivered = (promise: string, deliveredAt: string) => ({ checkout_promise_at: promise, fulfillments: [{ estimated_delivery_at: promise, delivered_at: deliveredAt }] });
const ORDERS = [
	{ order_id: 'O-4001', name: '#4001', processed_at: '2026-09-21T10:00:00Z', total: 120, currency: 'USD', customer_email: 'sam.sample@example-store.test', ...delivered('2026-09-30T12:00:00Z', '2026-10-10T12:00:00Z') },
	{ order_id: 'O-4002', name: '#4002', processed_at: '2026-09-21T10:00:00Z', total: 120, currency: 'USD', refunded: 10, customer_email: 'refunded.buyer@example-store.test', ...delivered('2026-09-30T12:00:00Z', '2026-10-10T12:00:00Z') },
	{ order_id: 'O-4003', name: '#4003', processed_at: '2026-09-21T10:00:00Z', total: 120, currency: 'USD', customer_email: 'nearly.on.time@example-store.test', ...delivered('2026-10-05T12:00:00Z', '2026-10-10T12:00:00Z') },
];

const SCRIPT: ScriptedToolCall[] = [
	{ name: TOOL.triage, arguments: { tickets: TICKETS } },
	{ name: TOOL.health, arguments: { customers: CUSTOMERS } },
	{ name: TOOL.delay, arguments: { orders: ORDERS } },
];
const FINAL = 'T-2001 escalated; T-2002 and T-2003 queued. C-3003 red, C-3002 yellow, C-3001 green. #4001 compensated, #4002 needs approval, #4003 not eligible.';

type Json = Record<string, unknown>;

describe("the pack's nodes as tools of n8n's AI Agent (OpenAI chat model on the scripted stand-in)", () => {
	const folder = tempUserFolder('cx-n8n-e2e-agent-');
	let run: WorkflowRun | undefined;
	let runError: Error | undefined;
	let requests: RecordedRequest[] = [];

	beforeAll(async () => {
		const env = standinsEnv();
		const openai = openaiStandinEnv();
		await n8n.installPack({ userFolder: folder.path });
		// Shopify and Supabase as every suite has them (Delay Compensation asks for both, a dry run from items calls neither)
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		// n8n's own OpenAI credential, its Base URL on the stand-in, as a user fills in the form
		await n8n.importCredentials({
			userFolder: folder.path,
			credentials: [{ ...OPENAI_CREDENTIAL, data: { apiKey: openai.apiKey, organizationId: '', url: openai.baseUrl, header: false } }],
		});
		await n8n.importWorkflows({ userFolder: folder.path, files: [WORKFLOW] });
		await setOpenAiScript(SCRIPT, FINAL);
		try {
			run = await n8n.executeWorkflow({ userFolder: folder.path, id: 'cxAiAgentTools1', timeoutMs: 240_000 });
		} catch (error) {
			runError = error as Error;
		}
		requests = await openAiRequests();
	}, 600_000);
	afterAll(() => folder.done(6));

	const ran = (): WorkflowRun => {
		if (runError) throw runError;
		return run!;
	};
	const chats = () => requests.filter((request) => request.path === '/v1/chat/completions');

	/** The tool's result as the agent got it: the content of the tool message answering the stand-in's call to `name`. */
	const toolResult = (name: string): Json[] => {
		const call = chats()
			.flatMap((request) => request.response?.choices?.[0]?.message?.tool_calls ?? [])
			.find((toolCall) => toolCall.function.name === name);
		if (!call) throw new Error(`the stand-in never called ${name}`);
		const message = toolMessages(requests).find((candidate) => candidate.tool_call_id === call.id);
		if (!message) throw new Error(`no tool message answers the call to ${name} (${call.id})`);
		const content = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
		const parsed = JSON.parse(content) as unknown;
		if (!Array.isArray(parsed)) throw new Error(`${name} sent back ${content}, not an array of items`);
		return parsed as Json[];
	};
	const routes = (items: Json[], id: (item: Json) => unknown) => items.map((item) => [id(item), item.route ?? `(no route; item: ${JSON.stringify(item).slice(0, 300)})`]).sort();

	it('n8n runs the agent on the credential\'s Base URL and key, offers it the three tools, and runs each tool once', () => {
		const result = ran();
		expect(result.status).toBe('success');
		expect(n8n.nodeOutput(result, 'AI Agent')).toEqual([{ output: FINAL }]);
		// the script's three tool calls, then the final answer: four completions, each with the credential's key
		expect(chats().map((request) => [request.status, request.authorized, request.body?.model, request.body?.stream ?? false])).toEqual(Array(4).fill([200, true, 'gpt-4.1-mini', false]));
		expect(chats().map((request) => request.response?.choices?.[0]?.finish_reason)).toEqual(['tool_calls', 'tool_calls', 'tool_calls', 'stop']);
		expect(requests.filter((request) => request.path !== '/v1/chat/completions')).toEqual([]);
		for (const request of chats()) expect((request.body?.tools ?? []).map((tool) => tool.function.name).sort()).toEqual([TOOL.delay, TOOL.health, TOOL.triage]);
		// each tool node ran once, as the agent's tool (its run is logged on the ai_tool connection)
		for (const node of ['Triage tickets', 'Score customer health', 'Compensate late orders']) {
			expect(result.data.resultData.runData[node]).toHaveLength(1);
		}
		folder.passed();
	});

	it('the agent sends back one tool message per call, answering it, with the tool\'s items as a JSON array', () => {
		ran();
		const calls = chats().flatMap((request) => request.response?.choices?.[0]?.message?.tool_calls ?? []);
		expect(calls.map((call) => [call.function.name, JSON.parse(call.function.arguments)])).toEqual(SCRIPT.map((step) => [step.name, step.arguments]));
		expect(toolMessages(requests).map((message) => message.tool_call_id)).toEqual(calls.map((call) => call.id));
		for (const name of Object.values(TOOL)) expect(Array.isArray(toolResult(name))).toBe(true);
		folder.passed();
	});

	it('each tool asks the agent for its items ($fromAI in the tool-only parameter toolItems)', () => {
		ran();
		const [first] = chats();
		const properties = Object.fromEntries((first?.body?.tools ?? []).map((tool) => [tool.function.name, Object.keys((tool.function.parameters?.properties ?? {}) as Json)]));
		expect(properties).toEqual({ [TOOL.triage]: ['tickets'], [TOOL.health]: ['customers'], [TOOL.delay]: ['orders'] });
		folder.passed();
	});

	it('triage: the agent gets all three tickets, the chargeback threat on escalate and the others on queue', () => {
		ran();
		expect(routes(toolResult(TOOL.triage), (item) => (item.ticket as Json | undefined)?.id)).toEqual([
			['T-2001', 'escalate'],
			['T-2002', 'queue'],
			['T-2003', 'queue'],
		]);
		folder.passed();
	});

	it('customer health: the agent gets all three customers, each with its band as route', () => {
		ran();
		expect(routes(toolResult(TOOL.health), (item) => item.customer_id)).toEqual([
			['C-3001', 'green'],
			['C-3002', 'yellow'],
			['C-3003', 'red'],
		]);
		folder.passed();
	});

	it('delay compensation: the agent gets all three orders, compensated, needs approval and not eligible', () => {
		ran();
		expect(routes(toolResult(TOOL.delay), (item) => (item.order as Json | undefined)?.id)).toEqual([
			['O-4001', 'compensated'],
			['O-4002', 'needs_approval'],
			['O-4003', 'not_eligible'],
		]);
		folder.passed();
	});
});

describe('the OpenAI stand-in holds to the API', () => {
	const post = async (body: unknown, key = openaiStandinEnv().apiKey) => {
		const response = await fetch(`${openaiStandinEnv().baseUrl}/chat/completions`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as { error?: { message: string; type: string; param: string | null; code: string | null } } };
	};

	it('refuses a wrong key, a missing model or messages, an unknown model and a tool message that answers no call', async () => {
		const messages = [{ role: 'user', content: 'hello' }];
		expect(await post({ model: 'gpt-4.1-mini', messages }, 'sk-not-the-key-000000')).toMatchObject({ status: 401, body: { error: { type: 'invalid_request_error', code: 'invalid_api_key' } } });
		expect(await post({ messages })).toMatchObject({ status: 400, body: { error: { message: 'you must provide a model parameter', type: 'invalid_request_error' } } });
		expect(await post({ model: 'gpt-4.1-mini' })).toMatchObject({ status: 400, body: { error: { param: 'messages', code: 'missing_required_parameter' } } });
		expect(await post({ model: 'gpt-0', messages })).toMatchObject({ status: 404, body: { error: { code: 'model_not_found' } } });
		expect(await post({ model: 'gpt-4.1-mini', messages: [...messages, { role: 'tool', tool_call_id: 'call_x', content: '[]' }] })).toMatchObject({ status: 400, body: { error: { param: 'messages.[1].role' } } });
		expect(await post('{"model": ')).toMatchObject({ status: 400, body: { error: { type: 'invalid_request_error' } } });
		// what the OpenAI credential's test and the node's model list call
		const models = await fetch(`${openaiStandinEnv().baseUrl}/models`, { headers: { Authorization: `Bearer ${openaiStandinEnv().apiKey}` } });
		expect(await models.json()).toMatchObject({ object: 'list', data: expect.arrayContaining([expect.objectContaining({ id: 'gpt-4.1-mini', object: 'model' })]) });
	});

	it('answers the next scripted call by counting tool results, then the final message', async () => {
		await setOpenAiScript([{ name: 'lookup', arguments: { q: 1 } }], 'done');
		const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }];
		const first = await post({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'go' }], tools });
		const call = (first.body as { choices: Array<{ finish_reason: string; message: { tool_calls: Array<{ id: string; function: { name: string; arguments: string } }> } }> }).choices[0];
		expect(call.finish_reason).toBe('tool_calls');
		expect(call.message.tool_calls[0].function).toEqual({ name: 'lookup', arguments: '{"q":1}' });
		const second = await post({
			model: 'gpt-4.1-mini',
			tools,
			messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: null, tool_calls: call.message.tool_calls }, { role: 'tool', tool_call_id: call.message.tool_calls[0].id, content: '[]' }],
		});
		expect(second.body).toMatchObject({ object: 'chat.completion', choices: [{ finish_reason: 'stop', message: { role: 'assistant', content: 'done' } }] });
		const requests = await openAiRequests();
		expect(requests.map((request) => request.status)).toEqual([200, 200]);
	});
});

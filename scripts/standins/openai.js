'use strict';
/**
 * A local OpenAI API for n8n's OpenAI Chat Model node (@n8n/n8n-nodes-langchain.lmChatOpenAi) pointed at it by
 * the Base URL of its OpenAI credential (openAiApi `url`). What that node calls, read in n8n 2.41.1's code:
 *   - the node (Use Responses API off) builds @langchain/openai's ChatOpenAI, which posts to
 *     `<base URL>/chat/completions` through the openai SDK, with `Authorization: Bearer <apiKey>`;
 *     the AI Agent binds the connected tools as `tools: [{type: 'function', function: {name, description, parameters}}]`
 *     and sends `stream: false` unless the execution streams (a chat trigger with streaming; never `n8n execute`);
 *   - the credential's test and the editor's model list call `GET <base URL>/models`.
 * With Use Responses API on (the node's default from version 1.3) the node calls `POST /responses` instead, which
 * this stand-in does not serve: it answers 404 as OpenAI does for an unknown path.
 *
 * The model is a script, not a model: the test sets a list of tool calls (POST /__standin/script). On each chat
 * completion the stand-in counts the tool-result messages (role "tool") already in the conversation and answers
 * with the next scripted tool call (finish_reason "tool_calls"), or, once every call has its result, with the
 * script's final assistant message (finish_reason "stop"). Same conversation in, same answer out.
 *
 * Strict like the real API on what it checks: the Bearer key generated at start (401 otherwise), a JSON body with
 * `model` (one the stand-in lists, else 404 model_not_found) and a non-empty `messages` array of known roles,
 * tool messages answering the assistant's tool calls and every tool call answered (400), well-formed `tools`
 * (400), all in OpenAI's error shape {error: {message, type, param, code}}. `stream: true` is refused (400):
 * nothing that uses this stand-in streams.
 *
 * Test endpoints (same key):
 *   POST   /__standin/script    {steps: [{name, arguments}], final?: string}: the script for the next run;
 *                               forgets the requests recorded so far
 *   GET    /__standin/script
 *   GET    /__standin/requests  every request received since (chat completions and model lists, refused ones too):
 *                               [{at, method, path, status, authorized, body, response}]
 *   DELETE /__standin/requests
 */
const crypto = require('node:crypto');
const http = require('node:http');
const express = require('express');

/** The models the stand-in answers as; GET /v1/models lists them. */
const MODELS = ['gpt-4.1-mini', 'gpt-4o-mini', 'gpt-5-mini'];
const MODELS_CREATED = 1_735_689_600; // 2025-01-01, a fixed "created" for the model list
const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const DEFAULT_FINAL = 'All scripted tool calls are done.';

/** OpenAI's error body. */
const apiError = (message, { type = 'invalid_request_error', param = null, code = null } = {}) => ({ error: { message, type, param, code } });

class RequestProblem extends Error {
	constructor(status, body) {
		super(body.error.message);
		this.status = status;
		this.body = body;
	}
}
const invalid = (message, param = null, code = null) => new RequestProblem(400, apiError(message, { param, code }));

/** Keys look like OpenAI's project keys: `sk-proj-` and 48 characters. */
function newApiKey() {
	return `sk-proj-standin${crypto.randomBytes(33).toString('base64url')}`;
}

const sha = (text) => crypto.createHash('sha256').update(text).digest('hex');
/** A tool call's id: the same step of the same script always gets the same id (OpenAI's are `call_` + 24 characters). */
const toolCallId = (index, step) => `call_${sha(JSON.stringify([index, step.name, step.arguments])).slice(0, 24)}`;
/** Roughly what OpenAI's tokenizer counts: four characters a token. */
const tokens = (value) => Math.ceil(JSON.stringify(value ?? '').length / 4);

/** A script as the test sends it, checked: [{name, arguments}] plus an optional final message. */
function readScript(body) {
	if (!body || typeof body !== 'object' || !Array.isArray(body.steps)) throw invalid('A script is {"steps": [{"name", "arguments"}], "final"?}.', 'steps');
	const steps = body.steps.map((step, index) => {
		if (!step || typeof step.name !== 'string' || !TOOL_NAME.test(step.name)) throw invalid(`steps[${index}].name must be a tool name (letters, digits, _ and -, up to 64).`, `steps[${index}].name`);
		const args = step.arguments ?? {};
		if (typeof args !== 'object' && typeof args !== 'string') throw invalid(`steps[${index}].arguments must be an object or a JSON string.`, `steps[${index}].arguments`);
		return { name: step.name, arguments: typeof args === 'string' ? args : JSON.stringify(args) };
	});
	if (body.final !== undefined && typeof body.final !== 'string') throw invalid('final must be a string.', 'final');
	return { steps, final: body.final ?? DEFAULT_FINAL };
}

function checkTools(tools) {
	if (tools === undefined || tools === null) return [];
	if (!Array.isArray(tools)) throw invalid(`Invalid type for 'tools': expected an array, but got ${typeof tools} instead.`, 'tools', 'invalid_type');
	return tools.map((tool, index) => {
		if (!tool || tool.type !== 'function') throw invalid(`Invalid value: '${tool?.type}'. Supported values are: 'function' and 'custom'.`, `tools[${index}].type`, 'invalid_value');
		const name = tool.function?.name;
		if (typeof name !== 'string') throw invalid(`Missing required parameter: 'tools[${index}].function.name'.`, `tools[${index}].function.name`, 'missing_required_parameter');
		if (!TOOL_NAME.test(name)) throw invalid(`Invalid 'tools[${index}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, `tools[${index}].function.name`, 'invalid_value');
		const parameters = tool.function.parameters;
		if (parameters !== undefined && (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))) {
			throw invalid(`Invalid type for 'tools[${index}].function.parameters': expected an object.`, `tools[${index}].function.parameters`, 'invalid_type');
		}
		return name;
	});
}

/** The conversation's shape as the real API checks it: roles, and tool messages answering the assistant's tool calls. */
function checkMessages(messages) {
	if (messages === undefined) throw invalid("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
	if (!Array.isArray(messages)) throw invalid(`Invalid type for 'messages': expected an array of objects, but got ${typeof messages} instead.`, 'messages', 'invalid_type');
	if (messages.length === 0) throw invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array');
	let open = []; // tool_call ids of the latest assistant message still waiting for their tool message
	messages.forEach((message, index) => {
		if (!message || typeof message !== 'object') throw invalid(`Invalid type for 'messages[${index}]': expected an object.`, `messages[${index}]`, 'invalid_type');
		if (!ROLES.includes(message.role)) {
			throw invalid(`Invalid value: '${message.role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`, `messages[${index}].role`, 'invalid_value');
		}
		if (message.role === 'tool') {
			if (typeof message.tool_call_id !== 'string') throw invalid(`Missing required parameter: 'messages[${index}].tool_call_id'.`, `messages[${index}].tool_call_id`, 'missing_required_parameter');
			if (!open.includes(message.tool_call_id)) {
				throw invalid("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", `messages.[${index}].role`);
			}
			open = open.filter((id) => id !== message.tool_call_id);
			return;
		}
		if (open.length) {
			throw invalid(`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${open.join(', ')}`, `messages.[${index}].role`);
		}
		if (message.role === 'assistant' && Array.isArray(message.tool_calls)) open = message.tool_calls.map((call) => call?.id);
	});
	if (open.length) {
		throw invalid(`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${open.join(', ')}`, `messages.[${messages.length}].role`);
	}
}

function chatCompletion(body, script, sequence) {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('The body of your request must be a JSON object.');
	if (body.model === undefined || body.model === '') throw invalid('you must provide a model parameter');
	if (typeof body.model !== 'string') throw invalid(`Invalid type for 'model': expected a string, but got ${typeof body.model} instead.`, 'model', 'invalid_type');
	if (!MODELS.includes(body.model)) throw new RequestProblem(404, apiError(`The model \`${body.model}\` does not exist or you do not have access to it.`, { code: 'model_not_found' }));
	checkMessages(body.messages);
	const offered = checkTools(body.tools);
	if (body.stream === true) throw invalid('stream: this stand-in answers whole completions only; nothing that uses it streams.', 'stream', 'unsupported_value');

	const results = body.messages.filter((message) => message.role === 'tool').length;
	const step = script.steps[results];
	let message;
	let finishReason;
	if (step && body.tool_choice !== 'none') {
		if (!offered.includes(step.name)) {
			// a model calls only the tools it is offered: the script and the workflow disagree
			throw invalid(`stand-in script: step ${results + 1} calls "${step.name}", but the request offers ${offered.length ? offered.map((name) => `"${name}"`).join(', ') : 'no tools'}.`, 'tools', 'standin_script_mismatch');
		}
		message = {
			role: 'assistant',
			content: null,
			tool_calls: [{ id: toolCallId(results, step), type: 'function', function: { name: step.name, arguments: step.arguments } }],
			refusal: null,
			annotations: [],
		};
		finishReason = 'tool_calls';
	} else {
		message = { role: 'assistant', content: script.final, refusal: null, annotations: [] };
		finishReason = 'stop';
	}
	const promptTokens = tokens(body.messages) + tokens(body.tools);
	const completionTokens = tokens(message.content ?? message.tool_calls);
	return {
		id: `chatcmpl-standin${sha(`${sequence}:${JSON.stringify(body.messages)}`).slice(0, 22)}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: body.model,
		choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
		usage: {
			prompt_tokens: promptTokens,
			completion_tokens: completionTokens,
			total_tokens: promptTokens + completionTokens,
			prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
			completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
		},
		service_tier: 'default',
		system_fingerprint: 'fp_standin',
	};
}

const modelObject = (id) => ({ id, object: 'model', created: MODELS_CREATED, owned_by: 'system' });

/**
 * @param {{host: string, port: number}} options
 * @returns {Promise<{env: {baseUrl: string, apiKey: string, model: string, models: string[]}, stop: () => Promise<void>}>}
 */
async function start({ host, port }) {
	const apiKey = newApiKey();
	let script = { steps: [], final: DEFAULT_FINAL };
	let requests = [];
	let sequence = 0;

	const app = express();
	app.disable('x-powered-by');
	app.set('etag', false);
	app.use((req, res, next) => {
		res.set({ 'x-request-id': `req_${crypto.randomBytes(16).toString('hex')}`, 'openai-version': '2020-10-01', 'openai-processing-ms': '1' });
		next();
	});
	// every API request is recorded, refused ones too; the key is checked before the body is read, as OpenAI does
	app.use((req, res, next) => {
		const header = req.get('Authorization') ?? '';
		const given = /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : '';
		const authorized = given === apiKey;
		if (req.path.startsWith('/v1/')) {
			const record = { at: new Date().toISOString(), method: req.method, path: req.path, authorized, body: null };
			requests.push(record);
			req.record = record;
			const send = res.json.bind(res);
			res.json = (payload) => {
				record.status = res.statusCode;
				record.response = payload;
				return send(payload);
			};
		}
		if (authorized) return next();
		if (!given) {
			return res.status(401).json(apiError("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys."));
		}
		const shown = given.length > 8 ? `${given.slice(0, 3)}${'*'.repeat(Math.max(0, given.length - 7))}${given.slice(-4)}` : given;
		return res.status(401).json(apiError(`Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`, { code: 'invalid_api_key' }));
	});
	// the API's body is JSON whatever the Content-Type says; one it cannot parse gets OpenAI's own message (below)
	app.use(express.json({ limit: '50mb', type: () => true }));
	app.use((req, res, next) => {
		if (req.record) req.record.body = req.body ?? null;
		next();
	});

	app.post('/__standin/script', (req, res) => {
		try {
			script = readScript(req.body);
			requests = [];
			res.json(script);
		} catch (error) {
			res.status(error.status ?? 400).json(error.body ?? apiError(error.message));
		}
	});
	app.get('/__standin/script', (req, res) => res.json(script));
	app.get('/__standin/requests', (req, res) => res.json(requests));
	app.delete('/__standin/requests', (req, res) => {
		requests = [];
		res.status(204).end();
	});

	app.get('/v1/models', (req, res) => res.json({ object: 'list', data: MODELS.map(modelObject) }));
	app.get('/v1/models/:model', (req, res) => {
		if (!MODELS.includes(req.params.model)) {
			return res.status(404).json(apiError(`The model '${req.params.model}' does not exist`, { param: 'model', code: 'model_not_found' }));
		}
		res.json(modelObject(req.params.model));
	});
	app.post('/v1/chat/completions', (req, res) => {
		sequence += 1;
		try {
			res.json(chatCompletion(req.body, script, sequence));
		} catch (error) {
			if (!(error instanceof RequestProblem)) throw error;
			res.status(error.status).json(error.body);
		}
	});
	app.use((req, res) => res.status(404).json(apiError(`Invalid URL (${req.method} ${req.path})`)));
	app.use((error, req, res, next) => {
		void next;
		if (error.type === 'entity.parse.failed') {
			return res.status(400).json(apiError("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)"));
		}
		res.status(error.status ?? 500).json(apiError(error.status === 413 ? 'Request too large.' : 'The server had an error while processing your request.', { type: error.status === 413 ? 'invalid_request_error' : 'server_error' }));
	});

	const server = http.createServer(app);
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, resolve);
	});
	return {
		env: { baseUrl: `http://${host}:${port}/v1`, apiKey, model: MODELS[0], models: [...MODELS] },
		stop: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

module.exports = { start };

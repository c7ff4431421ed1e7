/**
 * The scripted OpenAI stand-in (scripts/standins/openai.js) from a test: its place in env.json, the script of tool
 * calls it plays, and the requests it recorded (what n8n's AI Agent sent it, tool results included).
 */
import { standinsEnv } from './standins';

/** env.json's `openai` entry, written by `node scripts/standins.js start`. */
export interface OpenAiStandinEnv {
	/** What the OpenAI credential's Base URL (`url`) takes: http://127.0.0.1:<port>/v1 */
	baseUrl: string;
	apiKey: string;
	/** A model the stand-in answers as. */
	model: string;
	models: string[];
}

/** One scripted tool call; `arguments` is sent as the tool call's JSON arguments. */
export interface ScriptedToolCall {
	name: string;
	arguments: Record<string, unknown>;
}

export interface ChatMessage {
	role: string;
	content?: unknown;
	tool_call_id?: string;
	tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
}

export interface RecordedRequest {
	at: string;
	method: string;
	path: string;
	status?: number;
	authorized: boolean;
	body: ({ model?: string; messages?: ChatMessage[]; tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: Record<string, unknown> } }>; stream?: boolean } & Record<string, unknown>) | null;
	response?: { choices?: Array<{ finish_reason: string; message: ChatMessage }> } & Record<string, unknown>;
}

export function openaiStandinEnv(): OpenAiStandinEnv {
	const env = standinsEnv() as unknown as { openai?: OpenAiStandinEnv };
	if (!env.openai) throw new Error('env.json has no "openai" entry: restart the stand-ins (`npm run standins stop`, then `start`) so the OpenAI stand-in runs too.');
	return env.openai;
}

async function control<T>(path: string, init: RequestInit = {}): Promise<T> {
	const { baseUrl, apiKey } = openaiStandinEnv();
	const response = await fetch(`${new URL(baseUrl).origin}${path}`, {
		...init,
		headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}`, ...(init.headers as Record<string, string>) },
	});
	if (!response.ok) throw new Error(`openai stand-in ${path}: HTTP ${response.status} ${await response.text()}`);
	return (response.status === 204 ? undefined : await response.json()) as T;
}

/** The tool calls the stand-in makes, in order, then `final` as the assistant's answer; forgets earlier requests. */
export async function setOpenAiScript(steps: ScriptedToolCall[], final?: string): Promise<void> {
	await control('/__standin/script', { method: 'POST', body: JSON.stringify({ steps, ...(final === undefined ? {} : { final }) }) });
}

export async function openAiRequests(): Promise<RecordedRequest[]> {
	return await control<RecordedRequest[]>('/__standin/requests');
}

/** The tool results the agent sent back, from the last chat completion request (it carries the whole conversation). */
export function toolMessages(requests: RecordedRequest[]): ChatMessage[] {
	const chats = requests.filter((request) => request.path === '/v1/chat/completions' && request.body?.messages);
	return (chats.at(-1)?.body?.messages ?? []).filter((message) => message.role === 'tool');
}

/**
 * Typed access to scripts/n8n-local.js for the end-to-end suites: a real n8n 2.x with the pack installed as
 * a community package, one user folder per suite.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { StandinsEnv } from '../support/standins';

export interface ImportedCredential {
	id: string;
	name: string;
	type: string;
}

export interface ImportedWorkflow {
	id: string;
	name: string;
	file: string;
}

export interface InstalledPack {
	name: string;
	version: string;
	directory: string;
	skipped: boolean;
	reusedDependencies?: boolean;
	ms: number;
}

export interface NodeItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}

export interface TaskData {
	executionStatus?: string;
	error?: { message: string; description?: string };
	data?: { main: Array<NodeItem[] | null> };
}

/** What `n8n execute --rawOutput` prints: n8n's IRun. */
export interface WorkflowRun {
	status: string;
	finished: boolean;
	mode: string;
	data: {
		resultData: {
			runData: Record<string, TaskData[]>;
			lastNodeExecuted?: string;
			error?: { message: string; description?: string; node?: { name: string } };
		};
	};
}

export interface RunningN8n {
	/** http://127.0.0.1:<port>, for requests from tests */
	url: string;
	/** http://localhost:<port>/, what a person opens */
	editorUrl: string;
	port: number;
	pid: number;
	logFile?: string;
	/** Ends n8n and its task runners. */
	stop(): Promise<void>;
	exited: Promise<number | string>;
}

export interface N8nLocal {
	CREDENTIAL_IDS: { shopify: string; sendgrid: string; supabase: string; stripe: string };
	installPack(options: { userFolder: string; packageDir?: string }): Promise<InstalledPack>;
	/** `env`: variables for the n8n command beyond the user folder's (queue mode's database: QueueMode.env). */
	writeCredentials(options: { userFolder: string; standins?: StandinsEnv; env?: Record<string, string> }): Promise<ImportedCredential[]>;
	importCredentials(options: {
		userFolder: string;
		credentials: Array<ImportedCredential & { data: Record<string, unknown> }>;
		env?: Record<string, string>;
	}): Promise<ImportedCredential[]>;
	importWorkflows(options: { userFolder: string; files: string[]; env?: Record<string, string> }): Promise<ImportedWorkflow[]>;
	publishWorkflow(options: { userFolder: string; id: string; env?: Record<string, string> }): Promise<void>;
	webhookWorkflowIds(files: string[]): string[];
	executeWorkflow(options: { userFolder: string; id: string; timeoutMs?: number }): Promise<WorkflowRun>;
	executeWorkflowUntilKilled(options: { userFolder: string; id: string; killWhen: () => boolean | Promise<boolean>; timeoutMs?: number }): Promise<{ killed: true; signal: string | null }>;
	nodeOutput(run: WorkflowRun, nodeName: string, options?: { output?: number; runIndex?: number }): Array<Record<string, unknown>>;
	listNodeTypes(options: { userFolder: string }): Promise<string[]>;
	startN8n(options: { userFolder: string; port?: number; output?: string; timeoutMs?: number; env?: Record<string, string> }): Promise<RunningN8n>;
	setupOwner(options: {
		url: string;
		email: string;
		password: string;
		firstName?: string;
		lastName?: string;
	}): Promise<{ created: boolean }>;
	login(options: { url: string; email: string; password: string }): Promise<string | undefined>;
	waitForWebhook(options: { url: string; path: string; method?: string; timeoutMs?: number }): Promise<void>;
	ownerPassword(userFolder: string): string;
	freePort(): Promise<number>;
	runN8n(
		userFolder: string,
		args: string[],
		options?: { timeoutMs?: number; env?: Record<string, string>; check?: boolean },
	): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const n8n = require('../../scripts/n8n-local.js') as N8nLocal;

/** A worker of a queue-mode setup (scripts/n8n-queue.js): its own user folder, with the pack installed in it. */
export interface QueueWorker {
	name: string;
	userFolder: string;
	/** its process group's id while it runs */
	pid?: number;
	/** http://127.0.0.1:<QUEUE_HEALTH_CHECK_PORT> (/healthz/readiness) */
	healthUrl?: string;
	logFile: string;
}

/** n8n in queue mode: Redis, a PostgreSQL database, one main and its workers (startQueueMode). */
export interface QueueMode {
	/** the main: webhooks, editor, REST (http://127.0.0.1:<port>) */
	url: string;
	editorUrl: string;
	port: number;
	/** the main's user folder (the workers' are `<userFolder>/worker-<n>`) */
	userFolder: string;
	readonly mainLogFile?: string;
	redis: { host: string; port: number; logFile: string };
	database: { name: string };
	/** what every process shares (EXECUTIONS_MODE, QUEUE_BULL_REDIS_*, DB_*, N8N_ENCRYPTION_KEY): `env` for n8n-local.js commands */
	env: Record<string, string>;
	/** the pack's installation in the main's, then each worker's, user folder */
	installed: InstalledPack[];
	readonly workers: QueueWorker[];
	/** Starts a stopped (or killed) worker again and waits until it takes jobs. */
	startWorker(index: number): Promise<QueueWorker>;
	/** Kills a worker's process group (SIGKILL unless told): its running executions are left to stall. */
	killWorker(index: number, signal?: string): Promise<QueueWorker>;
	writeCredentials(options?: { standins?: StandinsEnv }): Promise<ImportedCredential[]>;
	importWorkflows(files: string[]): Promise<ImportedWorkflow[]>;
	/** Takes effect at the main's next start (restartMain). */
	publishWorkflow(id: string): Promise<void>;
	/** n8n's executions by status (success, error, crashed, ...), read from its database. */
	executionStatuses(): Promise<Record<string, number>>;
	/** Restarts the main, the workers keep running; resolves with its URL (the same port). */
	restartMain(): Promise<string>;
	/** Stops workers, main and Redis; drops the database. */
	stop(): Promise<void>;
}

export interface N8nQueue {
	startQueueMode(options: {
		userFolder: string;
		workers?: number;
		/** jobs a worker runs at once (n8n worker --concurrency, default 10) */
		concurrency?: number;
		port?: number;
		packageDir?: string;
		/** a PostgreSQL URL whose user may create databases (default: the stand-ins') */
		databaseUrl?: string;
		/** the stand-ins' credentials to import: env.json's content, or true for the running stand-ins' */
		standins?: StandinsEnv | true;
		workflows?: string[];
		publish?: string[];
		env?: Record<string, string>;
		timeoutMs?: number;
	}): Promise<QueueMode>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const queueMode = require('../../scripts/n8n-queue.js') as N8nQueue;

/**
 * A copy of a workflow template whose pack nodes act as of `now` (their Options > Now), written into `folder`:
 * what an operator does to replay a day, and what lets a test run a template as of the stand-ins' anchor.
 */
export function workflowAsOf(file: string, folder: string, now: string): string {
	const workflow = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Array<{ type: string; parameters?: { options?: Record<string, unknown> } }> };
	for (const node of workflow.nodes) {
		if (!node.type.startsWith('n8n-nodes-cx-director.')) continue;
		node.parameters = { ...node.parameters, options: { ...node.parameters?.options, now } };
	}
	const copy = join(folder, `as-of-${basename(file)}`);
	writeFileSync(copy, JSON.stringify(workflow));
	return copy;
}

/** The smallest workflow that asks the CX director: a request, then an Execute Workflow node (one request per call). */
export function directorCaller(id: string, name: string, request: unknown): { id: string; name: string } & Record<string, unknown> {
	return {
		id,
		name,
		active: false,
		nodes: [
			{ id: `${id}-1`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: `${id}-2`, name: 'Request', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [220, 0], parameters: { mode: 'raw', jsonOutput: JSON.stringify(request), options: {} } },
			{
				id: `${id}-3`,
				name: 'Ask the director',
				type: 'n8n-nodes-base.executeWorkflow',
				typeVersion: 1.2,
				position: [440, 0],
				parameters: {
					source: 'database',
					workflowId: { __rl: true, value: 'cxDirector1', mode: 'id' },
					mode: 'once',
					workflowInputs: { mappingMode: 'defineBelow', value: {}, matchingColumns: [], schema: [], attemptToConvertTypes: false, convertFieldsToString: true },
					options: { waitForSubWorkflow: true },
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Request', type: 'main', index: 0 }]] },
			Request: { main: [[{ node: 'Ask the director', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * A fresh user folder for one suite. `done()` removes it when every test passed and keeps it for
 * inspection otherwise; call `passed()` at the end of each test.
 */
export function tempUserFolder(prefix = 'cx-n8n-e2e-'): { path: string; passed(): void; done(expectedTests: number): void } {
	const path = mkdtempSync(join(tmpdir(), prefix));
	let passedTests = 0;
	return {
		path,
		passed: () => {
			passedTests += 1;
		},
		done: (expectedTests: number) => {
			if (passedTests === expectedTests) rmSync(path, { recursive: true, force: true });
			else process.stderr.write(`n8n user folder kept for inspection: ${path}\n`);
		},
	};
}

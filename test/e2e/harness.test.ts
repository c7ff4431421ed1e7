/**
 * The harness itself, in a throwaway user folder: the pack installs where n8n loads community packages,
 * n8n lists its node types, credentials keep their fixed ids, and a workflow imported from JSON runs from
 * the command line and behind a published webhook. Needs `npm run build` first; not the stand-ins.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { n8n, tempUserFolder } from './n8n';
import type { StandinsEnv } from '../support/standins';

const PACK = 'n8n-nodes-cx-director';
const folder = tempUserFolder('cx-n8n-harness-');
const userFolder = folder.path;

const manualTrigger = (id: string) => ({
	id: `${id}-trigger`,
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
});

const setNode = (id: string, jsonOutput: string) => ({
	id: `${id}-set`,
	name: 'Set',
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position: [220, 0],
	parameters: { mode: 'raw', jsonOutput, options: {} },
});

function writeWorkflow(workflow: { id: string; name: string; nodes: object[]; connections: object; settings?: object }): string {
	const file = join(userFolder, `${workflow.id}.json`);
	writeFileSync(file, JSON.stringify(workflow, null, 2));
	return file;
}

afterAll(() => folder.done(5));

test('installs the pack as n8n installs a community package, and skips an unchanged one', async () => {
	const installed = await n8n.installPack({ userFolder });
	expect(installed.name).toBe(PACK);
	expect(installed.directory).toBe(join(userFolder, '.n8n', 'nodes', 'node_modules', PACK));
	const packageJson = JSON.parse(readFileSync(join(installed.directory, 'package.json'), 'utf8'));
	expect(packageJson.name).toBe(PACK);
	expect(packageJson.n8n.n8nNodesApiVersion).toBe(1);
	// n8n drops the peer dependency, so the pack uses n8n's own n8n-workflow
	expect(packageJson.peerDependencies).toBeUndefined();
	expect(existsSync(join(installed.directory, 'node_modules', 'n8n-workflow'))).toBe(false);
	for (const dependency of Object.keys(packageJson.dependencies ?? {})) {
		expect(existsSync(join(installed.directory, 'node_modules', dependency, 'package.json'))).toBe(true);
	}
	const ledger = JSON.parse(readFileSync(join(userFolder, '.n8n', 'nodes', 'package.json'), 'utf8'));
	expect(ledger.dependencies[PACK]).toBe(packageJson.version);

	const again = await n8n.installPack({ userFolder });
	expect(again.skipped).toBe(true);
	expect(again.ms).toBeLessThan(10_000);
	folder.passed();
}, 300_000);

test("n8n loads the pack's node types under the package's name", async () => {
	const types = await n8n.listNodeTypes({ userFolder });
	expect(types).toContain('n8n-nodes-base.manualTrigger');
	const packDir = join(userFolder, '.n8n', 'nodes', 'node_modules', PACK);
	const declared: string[] = JSON.parse(readFileSync(join(packDir, 'package.json'), 'utf8')).n8n.nodes;
	expect(declared.filter((file) => !existsSync(join(packDir, file)))).toEqual([]);
	// each node's codex (categories, aliases, documentation) ships beside it, where n8n looks for it
	expect(declared.map((file) => file.replace(/\.js$/, '.json')).filter((file) => !existsSync(join(packDir, file)))).toEqual([]);
	// one node type per node file the package declares, named <package>.<node>
	const packTypes = types.filter((type) => type.startsWith(`${PACK}.`));
	// n8n adds a `<node>Tool` variant, for AI agents, of each node marked usableAsTool
	const nodeTypes = packTypes.filter((type) => !(type.endsWith('Tool') && packTypes.includes(type.slice(0, -4))));
	expect(nodeTypes).toHaveLength(declared.length);
	expect(packTypes).toContain(`${PACK}.cxTicketTriage`);
	folder.passed();
}, 120_000);

test('imports the stand-in credentials under their fixed ids', async () => {
	const plain = (what: string) => `plain-text-${what}`;
	const standins: StandinsEnv = {
		anchor: '2026-11-01T00:00:00.000Z',
		supabase: { url: 'http://127.0.0.1:1', serviceRoleKey: plain('role'), anonKey: plain('anon'), dbUrl: 'postgres://x' },
		shopify: { shopDomain: 'localhost:2', accessToken: plain('token'), apiVersion: '2025-10', caFile: 'ca.pem', adminUrl: 'x', clientId: 'client-id', clientSecret: plain('client-secret'), foreignClientId: 'foreign-id', foreignClientSecret: plain('foreign-secret') },
		sendgrid: { baseUrl: 'http://127.0.0.1:3', apiKey: plain('key'), senderEmail: 'support@example-store.test', mailboxUrl: 'http://127.0.0.1:3/mailbox' },
		stripe: { apiBase: 'http://127.0.0.1:4', secretKey: plain('secret') },
	};
	await n8n.writeCredentials({ userFolder, standins });
	// twice: re-importing updates in place
	const imported = await n8n.writeCredentials({ userFolder, standins });
	expect(imported.map(({ id }) => id).sort()).toEqual(Object.values(n8n.CREDENTIAL_IDS).sort());

	const exported = join(userFolder, 'credentials-export.json');
	await n8n.runN8n(userFolder, ['export:credentials', '--all', `--output=${exported}`]);
	const stored: Array<{ id: string; type: string; data: unknown }> = JSON.parse(readFileSync(exported, 'utf8'));
	expect(stored.map(({ id, type }) => `${id}:${type}`).sort()).toEqual([
		'cxSendGridLocal:cxSendGridApi',
		'cxShopifyLocal:cxShopifyAdminApi',
		'cxStripeLocal:cxStripeApi',
		'cxSupabaseLocal:cxSupabaseApi',
	]);
	// encrypted at rest, and the import file with the plain values is gone
	for (const { data } of stored) expect(typeof data).toBe('string');
	expect(readFileSync(exported, 'utf8')).not.toContain('plain-text-');
	expect(existsSync(join(userFolder, `credentials-import-${process.pid}.json`))).toBe(false);
	folder.passed();
}, 120_000);

test('imports a workflow and executes it from the command line', async () => {
	const id = 'cxHarnessManual';
	const file = writeWorkflow({
		id,
		name: 'Harness: manual trigger to Set',
		nodes: [manualTrigger(id), setNode(id, '={{ { "greeting": "hello", "sum": 40 + 2 } }}')],
		connections: { Start: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});
	expect(await n8n.importWorkflows({ userFolder, files: [file] })).toEqual([
		{ id, name: 'Harness: manual trigger to Set', file },
	]);
	const run = await n8n.executeWorkflow({ userFolder, id });
	expect(run.status).toBe('success');
	expect(n8n.nodeOutput(run, 'Set')).toEqual([{ greeting: 'hello', sum: 42 }]);

	const failing = 'cxHarnessFailing';
	await n8n.importWorkflows({
		userFolder,
		files: [
			writeWorkflow({
				id: failing,
				name: 'Harness: fails on purpose',
				nodes: [
					manualTrigger(failing),
					{
						id: `${failing}-stop`,
						name: 'Stop',
						type: 'n8n-nodes-base.stopAndError',
						typeVersion: 1,
						position: [220, 0],
						parameters: { errorMessage: 'failing on purpose' },
					},
				],
				connections: { Start: { main: [[{ node: 'Stop', type: 'main', index: 0 }]] } },
			}),
		],
	});
	await expect(n8n.executeWorkflow({ userFolder, id: failing })).rejects.toThrow(/failing on purpose.*"Stop"/);
	folder.passed();
}, 120_000);

test('serves the editor and a published webhook, sets up the owner once, and stops cleanly', async () => {
	const id = 'cxHarnessWebhook';
	const file = writeWorkflow({
		id,
		name: 'Harness: webhook echo',
		nodes: [
			{
				id: `${id}-webhook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '0b8f6a55-4a53-4b7e-9d7e-2f1f3b6c9a10',
				parameters: { httpMethod: 'POST', path: 'cx-harness-echo', responseMode: 'lastNode', options: {} },
			},
			{ ...setNode(id, '={{ { "echo": $json.body.ping } }}'), position: [220, 0] },
		],
		connections: { Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
	});
	await n8n.importWorkflows({ userFolder, files: [file] });
	expect(n8n.webhookWorkflowIds([file])).toEqual([id]);
	await n8n.publishWorkflow({ userFolder, id });

	const server = await n8n.startN8n({ userFolder, port: await n8n.freePort() });
	try {
		const owner = { url: server.url, email: 'owner@example-store.test', password: n8n.ownerPassword(userFolder) };
		expect(await n8n.setupOwner(owner)).toEqual({ created: true });
		expect(await n8n.setupOwner(owner)).toEqual({ created: false });
		await expect(n8n.setupOwner({ ...owner, password: 'Not-the-password-1' })).rejects.toThrow(/401/);
		expect(await n8n.login(owner)).toMatch(/^n8n-auth=/);

		await n8n.waitForWebhook({ url: server.url, path: 'cx-harness-echo' });
		const response = await fetch(`${server.url}/webhook/cx-harness-echo`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ ping: 'pong' }),
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ echo: 'pong' });
	} finally {
		await server.stop();
	}
	// n8n and its task runner share one process group; none of it is left
	expect(() => process.kill(-server.pid, 0)).toThrow();
	folder.passed();
}, 240_000);

#!/usr/bin/env node
'use strict';
/**
 * Runs the pack in a real n8n 2.x (the version scripts/provision.sh installs), for the end-to-end tests and
 * the demo. Every function takes an explicit user folder, so two callers never share a database, a key or
 * an installed pack.
 *
 * As a module:   const n8n = require('./scripts/n8n-local.js');
 *                await n8n.installPack({ userFolder });  await n8n.executeWorkflow({ userFolder, id });
 * As a command:  node scripts/n8n-local.js <install|credentials|import|publish|execute|node-types|serve>
 *                  --user-folder <dir> [...]   (`node scripts/n8n-local.js help` lists the options)
 *
 * What n8n 2.41 does, read in its own code (node_modules/n8n/dist):
 * - community packages: every `n8n-nodes-*` directory in <user folder>/.n8n/nodes/node_modules is loaded at
 *   startup by every command (modules/community-packages/community-packages.module.js `nodeLoaders`);
 *   node types become `<package>.<node>`. The UI installs a package by `npm pack`, unpacking it into that
 *   directory, dropping its dev/peer/optional dependencies, `npm install` inside it, and recording it in
 *   nodes/package.json (community-packages.service.js `downloadPackage`); installPack does the same.
 * - import:credentials wants an array of { id, name, type, data } and encrypts a plain `data` object.
 * - every command that runs workflows starts a task broker on N8N_RUNNERS_BROKER_PORT (5679 by default) and
 *   spawns `node` from PATH as its task runner; two n8n processes on one port collide, so each gets a free one.
 * - `execute --rawOutput` logs to stdout before the run's JSON; a failed run logs the JSON, then exits 1.
 * - `/healthz` answers as soon as the port is bound; `/healthz/readiness` once the server is fully started.
 * - POST /rest/owner/setup { email, firstName, lastName, password } claims the instance once (password:
 *   8-64 characters, a digit and an uppercase letter); later calls answer 400 "Instance owner already setup".
 * - publish:workflow --id writes the database only: publish before `n8n start`; the running instance then
 *   activates published workflows in the background (waitForWebhook waits for a webhook to answer).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const crypto = require('node:crypto');
const { spawn, execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const standinsDir = () => process.env.CX_STANDINS_DIR || path.join(root, '.standins');
const PACKAGE_NAME = require(path.join(root, 'package.json')).name;

/** The fixed credential ids the exported workflows reference. */
const CREDENTIAL_IDS = {
	shopify: 'cxShopifyLocal',
	sendgrid: 'cxSendGridLocal',
	supabase: 'cxSupabaseLocal',
	stripe: 'cxStripeLocal',
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tail = (text, lines = 40) => String(text).trimEnd().split('\n').slice(-lines).join('\n');

// ---------------------------------------------------------------------------------------------------------
// Runtime: Node 24 and the cached n8n, both from scripts/provision.sh (installed on first use).

let runtimeCache;

function runtime() {
	if (runtimeCache) return runtimeCache;
	let nodeBinDir = process.env.CX_NODE_BIN;
	let n8nBin = process.env.CX_N8N_BIN;
	if (!nodeBinDir || !n8nBin || !fs.existsSync(n8nBin)) {
		const out = execFileSync(
			'bash',
			['-c', 'source scripts/provision.sh && cx_provision node n8n >&2 && printf "%s\\n%s\\n" "$CX_NODE_BIN" "$CX_N8N_BIN"'],
			{ cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
		);
		[nodeBinDir, n8nBin] = out.trim().split('\n');
	}
	runtimeCache = { nodeBinDir, node: path.join(nodeBinDir, 'node'), n8nBin };
	return runtimeCache;
}

/** PATH with Node 24 first: n8n spawns its task runner as `node` from PATH. */
const pathWithNode = () => `${runtime().nodeBinDir}${path.delimiter}${process.env.PATH}`;

// ---------------------------------------------------------------------------------------------------------
// The user folder and what it keeps: n8n's own folder (.n8n: database, settings, installed packages),
// the encryption key and the owner's password (mode 600, generated once).

function prepareUserFolder(userFolder) {
	if (!userFolder) throw new Error('userFolder is required');
	const dir = path.resolve(userFolder);
	fs.mkdirSync(path.join(dir, '.n8n', 'nodes'), { recursive: true });
	return dir;
}

function readOrCreateSecret(file, create) {
	try {
		const value = fs.readFileSync(file, 'utf8').trim();
		if (value) return value;
	} catch {
		// first use of this user folder
	}
	const value = create();
	fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
	fs.chmodSync(file, 0o600);
	return value;
}

function encryptionKey(userFolder) {
	const dir = prepareUserFolder(userFolder);
	return readOrCreateSecret(path.join(dir, 'encryption-key'), () => {
		// a folder n8n already initialised keeps its key in .n8n/config; a different one would be refused
		try {
			const existing = JSON.parse(fs.readFileSync(path.join(dir, '.n8n', 'config'), 'utf8')).encryptionKey;
			if (existing) return existing;
		} catch {
			// no settings file yet
		}
		return crypto.randomBytes(24).toString('base64');
	});
}

/** The owner's password for this user folder: meets n8n's rule (8-64 chars, a digit, an uppercase letter). */
function ownerPassword(userFolder) {
	const dir = prepareUserFolder(userFolder);
	return readOrCreateSecret(path.join(dir, 'owner-password'), () => `Cx-${crypto.randomBytes(12).toString('base64url')}-7Q`);
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function portInUse(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: '127.0.0.1' });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** Variables a caller's shell may carry for another n8n; dropped so runs depend on the user folder only. */
const FOREIGN_ENV = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$)/;
const KEPT_ENV = new Set(['N8N_LOG_LEVEL']);

/** The environment every n8n command needs for this user folder. */
async function n8nEnv(userFolder, extra = {}) {
	const dir = prepareUserFolder(userFolder);
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!FOREIGN_ENV.test(key) || KEPT_ENV.has(key)) env[key] = value;
	}
	Object.assign(env, {
		// as in n8n's Docker image; jest sets NODE_ENV=test, under which n8n refuses to load nodes
		NODE_ENV: 'production',
		PATH: pathWithNode(),
		N8N_USER_FOLDER: dir,
		N8N_ENCRYPTION_KEY: encryptionKey(dir),
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LOG_OUTPUT: 'console',
		N8N_SECURE_COOKIE: 'false',
		// loads whatever sits in <user folder>/.n8n/nodes/node_modules; never fetches from the registry itself
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_PREVENT_LOADING: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
	});
	// the Shopify stand-in speaks https with its own CA; the bundle keeps what the caller already trusted
	const ca = path.join(standinsDir(), 'ca-bundle.pem');
	if (fs.existsSync(ca)) env.NODE_EXTRA_CA_CERTS = ca;
	return Object.assign(env, extra);
}

// ---------------------------------------------------------------------------------------------------------
// Running n8n commands. Each runs in its own process group, so a timeout can end n8n and its task runners.

const running = new Set();
process.on('exit', () => {
	for (const pid of running) killGroup(pid, 'SIGKILL');
});

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

function groupAlive(pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Stops a process group: SIGTERM, then SIGKILL after `graceMs`; resolves when no member is left. */
async function stopGroup(pid, graceMs = 20_000) {
	killGroup(pid, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
	if (groupAlive(pid)) {
		killGroup(pid, 'SIGKILL');
		while (groupAlive(pid)) await sleep(50);
	}
	running.delete(pid);
}

/**
 * Runs `n8n <args>` for a user folder; resolves { code, stdout, stderr }, rejects on a non-zero exit. n8n's
 * stdout goes to a file, not a pipe: n8n ends with process.exit(), which drops what a pipe has not taken yet,
 * and `execute --rawOutput` writes a run of thousands of items (megabytes of JSON) just before it.
 */
async function runN8n(userFolder, args, { timeoutMs = 300_000, env: extraEnv, check = true, killWhen } = {}) {
	const dir = prepareUserFolder(userFolder);
	const env = await n8nEnv(dir, extraEnv);
	const { node, n8nBin } = runtime();
	const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-n8n-out-'));
	const outFile = path.join(outDir, 'stdout');
	const outFd = fs.openSync(outFile, 'w');
	let out;
	const readOut = () => {
		if (out === undefined) {
			out = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : '';
			fs.rmSync(outDir, { recursive: true, force: true });
		}
		return out;
	};
	return await new Promise((resolve, reject) => {
		// cwd: n8n reads a .env file from its working directory; the user folder has none
		const child = spawn(node, [n8nBin, ...args], { cwd: dir, env, detached: true, stdio: ['ignore', outFd, 'pipe'] });
		fs.closeSync(outFd);
		running.add(child.pid);
		let stderr = '';
		let timedOut = false;
		child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			timedOut = true;
			void stopGroup(child.pid, 5_000);
		}, timeoutMs);
		// a crash on cue: `killWhen` is asked every 100 ms, and once it says so n8n dies at once (SIGKILL), as a
		// machine or a container does, with no chance to write anything down
		let killed = false;
		let asking = false;
		const watch = killWhen
			? setInterval(() => {
					if (killed || asking) return;
					asking = true;
					Promise.resolve(killWhen())
						.then((now) => {
							if (now && !killed) {
								killed = true;
								killGroup(child.pid, 'SIGKILL');
							}
						})
						.catch(() => undefined)
						.finally(() => (asking = false));
				}, 100)
			: undefined;
		child.on('error', (error) => {
			if (watch) clearInterval(watch);
			clearTimeout(timer);
			running.delete(child.pid);
			readOut();
			reject(error);
		});
		child.on('close', (code, signal) => {
			if (watch) clearInterval(watch);
			clearTimeout(timer);
			// a task runner may outlive n8n by a moment; leave nothing behind
			if (groupAlive(child.pid)) void stopGroup(child.pid, 2_000);
			else running.delete(child.pid);
			const stdout = readOut();
			const result = { code, signal, stdout, stderr, killed };
			if (check && (code !== 0 || timedOut) && !killed) {
				const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
				const error = new Error(`n8n ${args[0]} ${why}\n--- n8n output (tail) ---\n${tail(`${stdout}\n${stderr}`)}`);
				Object.assign(error, result);
				reject(error);
				return;
			}
			resolve(result);
		});
	});
}

// ---------------------------------------------------------------------------------------------------------
// installPack: as n8n 2.41 installs a community package from the UI (community-packages.service.js
// `downloadPackage`), from the tarball `npm pack` makes of the built repository instead of the registry.

function npm(args, cwd) {
	return execFileSync('npm', args, {
		cwd,
		encoding: 'utf8',
		env: { ...process.env, PATH: pathWithNode(), npm_config_update_notifier: 'false' },
		stdio: ['ignore', 'pipe', 'pipe'],
		maxBuffer: 64 * 1024 * 1024,
	});
}

function runNpm(args, cwd) {
	try {
		return npm(args, cwd);
	} catch (error) {
		throw new Error(`npm ${args.join(' ')} failed in ${cwd}\n${tail(`${error.stdout ?? ''}\n${error.stderr ?? ''}`)}`);
	}
}

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * Packs `packageDir` (the repository, already built) and installs the tarball into
 * <user folder>/.n8n/nodes/node_modules/<package>. Skips when the tarball is unchanged; when only the code
 * changed (same dependencies), keeps the installed dependencies instead of resolving them again.
 */
async function installPack({ userFolder, packageDir = root } = {}) {
	const dir = prepareUserFolder(userFolder);
	const started = Date.now();
	if (!fs.existsSync(path.join(packageDir, 'dist'))) {
		throw new Error(`${packageDir}/dist is missing: run \`npm run build\` first`);
	}
	const nodesDir = path.join(dir, '.n8n', 'nodes');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-pack-'));
	try {
		const [packed] = JSON.parse(runNpm(['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], packageDir));
		const tarball = path.join(tmp, packed.filename);
		const tarballHash = sha256(fs.readFileSync(tarball));
		const name = packed.name;
		const packageDirectory = path.join(nodesDir, 'node_modules', name);
		const stampFile = path.join(nodesDir, `.${name}.install.json`);
		let stamp = {};
		try {
			stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
		} catch {
			// not installed yet
		}
		if (stamp.tarballHash === tarballHash && fs.existsSync(path.join(packageDirectory, 'package.json'))) {
			return { name, version: packed.version, directory: packageDirectory, skipped: true, ms: Date.now() - started };
		}

		// staged beside its final place (same file system), then swapped in with a rename
		const staging = path.join(nodesDir, `.staging-${process.pid}`);
		fs.rmSync(staging, { recursive: true, force: true });
		fs.mkdirSync(staging, { recursive: true });
		execFileSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
		const packageJsonPath = path.join(staging, 'package.json');
		const packageJson = JSON.parse(fs.readFileSync(packageJsonPath, 'utf8'));
		// n8n drops these before installing: n8n-workflow (a peer) then resolves to n8n's own copy
		for (const key of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete packageJson[key];
		fs.writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2));
		const dependenciesHash = sha256(JSON.stringify(packageJson.dependencies ?? {}));

		const previousModules = path.join(packageDirectory, 'node_modules');
		const reuse = stamp.dependenciesHash === dependenciesHash && fs.existsSync(previousModules);
		try {
			if (reuse) fs.renameSync(previousModules, path.join(staging, 'node_modules'));
			else {
				runNpm(
					[
						'install',
						'--audit=false',
						'--fund=false',
						'--bin-links=false',
						'--install-strategy=shallow',
						'--ignore-scripts=true',
						'--package-lock=false',
					],
					staging,
				);
			}
			fs.rmSync(packageDirectory, { recursive: true, force: true });
			fs.mkdirSync(path.dirname(packageDirectory), { recursive: true });
			fs.renameSync(staging, packageDirectory);
		} finally {
			fs.rmSync(staging, { recursive: true, force: true });
		}

		// the ledger n8n keeps of installed community packages (community-packages.service.js `ensurePackageJson`)
		const ledgerPath = path.join(nodesDir, 'package.json');
		let ledger = { name: 'installed-nodes', private: true, dependencies: {} };
		try {
			const existing = JSON.parse(fs.readFileSync(ledgerPath, 'utf8'));
			if (existing && existing.dependencies) ledger = existing;
		} catch {
			// first package in this folder
		}
		ledger.dependencies[name] = packageJson.version;
		fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2));
		fs.writeFileSync(stampFile, JSON.stringify({ tarballHash, dependenciesHash, version: packageJson.version }, null, 2));
		return {
			name,
			version: packageJson.version,
			directory: packageDirectory,
			skipped: false,
			reusedDependencies: reuse,
			ms: Date.now() - started,
		};
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------------------
// Credentials and workflows

function readStandinsEnv() {
	const file = path.join(standinsDir(), 'env.json');
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		throw new Error(`The stand-ins are not running (${file} missing): run \`node scripts/standins.js start\` first.`);
	}
}

/** The four credentials, pointing at the local stand-ins, under the fixed ids the workflows reference. */
function standinCredentials(standins) {
	const { shopify, sendgrid, supabase, stripe } = standins;
	return [
		{
			id: CREDENTIAL_IDS.shopify,
			name: 'Shopify (local stand-in)',
			type: 'cxShopifyAdminApi',
			data: { shopDomain: shopify.shopDomain, accessToken: shopify.accessToken, apiVersion: shopify.apiVersion, webhookSecret: shopify.clientSecret },
		},
		{
			id: CREDENTIAL_IDS.sendgrid,
			name: 'SendGrid (local stand-in)',
			type: 'cxSendGridApi',
			data: {
				apiKey: sendgrid.apiKey,
				senderEmail: sendgrid.senderEmail,
				senderName: 'Example Store Support',
				baseUrl: sendgrid.baseUrl,
			},
		},
		{
			id: CREDENTIAL_IDS.supabase,
			name: 'Supabase (local stand-in)',
			type: 'cxSupabaseApi',
			data: { url: supabase.url, serviceRoleKey: supabase.serviceRoleKey },
		},
		{
			id: CREDENTIAL_IDS.stripe,
			name: 'Stripe (local stand-in)',
			type: 'cxStripeApi',
			data: { secretKey: stripe.secretKey, apiBase: stripe.apiBase },
		},
	];
}

/**
 * Imports credentials ({ id, name, type, data } with plain data; n8n encrypts it). Re-importing updates them.
 * `env`: variables for the n8n command beyond the user folder's (another database: scripts/n8n-queue.js).
 */
async function importCredentials({ userFolder, credentials, env }) {
	const dir = prepareUserFolder(userFolder);
	const file = path.join(dir, `credentials-import-${process.pid}.json`);
	fs.rmSync(file, { force: true });
	try {
		fs.writeFileSync(file, JSON.stringify(credentials), { mode: 0o600, flag: 'wx' });
		await runN8n(dir, ['import:credentials', `--input=${file}`], { env });
	} finally {
		fs.rmSync(file, { force: true });
	}
	return credentials.map(({ id, name, type }) => ({ id, name, type }));
}

/** Imports the stand-ins' credentials (from `standins`, or .standins/env.json when omitted). */
async function writeCredentials({ userFolder, standins, env } = {}) {
	return await importCredentials({ userFolder, credentials: standinCredentials(standins ?? readStandinsEnv()), env });
}

function readWorkflow(file) {
	let workflow;
	try {
		workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (error) {
		throw new Error(`${file}: not a workflow JSON file (${error.message})`);
	}
	if (!workflow || typeof workflow !== 'object' || !Array.isArray(workflow.nodes) || !workflow.connections) {
		throw new Error(`${file}: not a workflow (needs nodes and connections)`);
	}
	if (!workflow.id) throw new Error(`${file}: the workflow needs a fixed "id" so tests and the demo can run it`);
	return withStandinSettings(workflow);
}

/** The SendGrid stand-in's marketing unsubscribe group: what a store fills in from its own SendGrid account. */
const STANDIN_MARKETING_GROUP = 4100;

/**
 * Settings a store must give before a template can run (the sticky notes say which), filled in with the
 * stand-ins' values: the demo and the end-to-end tests run the templates as a configured store would. By
 * parameter, not by node, so a new node that asks for the same settings needs nothing here: an unsubscribe group
 * the node requires, left 0 where it sends (not a dry run), and an empty answer link.
 */
function withStandinSettings(workflow) {
	for (const node of workflow.nodes) {
		if (!node.type.startsWith(`${PACKAGE_NAME}.`)) continue;
		const parameters = node.parameters ?? {};
		const sends = !parameters.dryRun && (parameters.operation ?? 'sendSurveys') !== 'recordAnswer';
		if (sends && !Number(parameters.unsubscribeGroupId) && requiredParameters(node.type).has('unsubscribeGroupId')) {
			node.parameters = { ...node.parameters, unsubscribeGroupId: STANDIN_MARKETING_GROUP };
		}
		if (sends && 'answerUrl' in parameters && !parameters.answerUrl) {
			// the port `serve` will use is not known at import: the demo's (N8N_PORT, default 5678); tests rewrite it
			node.parameters = { ...node.parameters, answerUrl: `http://localhost:${process.env.N8N_PORT || 5678}/webhook/cx-survey` };
		}
	}
	return workflow;
}

/** The parameters a pack node marks required, read from the built package's own description (dist/). */
function requiredParameters(type) {
	const name = type.slice(PACKAGE_NAME.length + 1);
	const { n8n } = require(path.join(root, 'package.json'));
	for (const file of n8n.nodes) {
		const exported = require(path.join(root, file));
		for (const NodeClass of Object.values(exported)) {
			const description = typeof NodeClass === 'function' ? new NodeClass().description : undefined;
			if (description?.name === name) return new Set(description.properties.filter((property) => property.required).map((property) => property.name));
		}
	}
	return new Set();
}

/** Imports workflow files (each keeps its `id`) in one n8n run; returns [{ id, name, file }]. `env` as importCredentials. */
async function importWorkflows({ userFolder, files, env }) {
	const dir = prepareUserFolder(userFolder);
	const workflows = files.map((file) => ({ file: path.resolve(file), workflow: readWorkflow(path.resolve(file)) }));
	if (workflows.length === 0) return [];
	const input = path.join(dir, `workflows-import-${process.pid}.json`);
	try {
		fs.writeFileSync(input, JSON.stringify(workflows.map(({ workflow }) => workflow)));
		try {
			await runN8n(dir, ['import:workflow', `--input=${input}`], { env });
		} catch (error) {
			// importing again over a published workflow (a second `npm run demo` in the same folder): n8n refuses to
			// deactivate it from the command line; unpublish the ones imported here that are published, then import
			if (!/permission to deactivate/.test(`${error.stdout ?? ''}${error.stderr ?? ''}`)) throw error;
			for (const { workflow } of workflows) if (publishedOnImport(workflow)) await runN8n(dir, ['unpublish:workflow', `--id=${workflow.id}`], { env });
			await runN8n(dir, ['import:workflow', `--input=${input}`], { env });
		}
	} finally {
		fs.rmSync(input, { force: true });
	}
	return workflows.map(({ file, workflow }) => ({ id: workflow.id, name: workflow.name, file }));
}

/** Marks a workflow's current version published (2.x); takes effect at the next `n8n start`. `env` as importCredentials. */
async function publishWorkflow({ userFolder, id, env }) {
	await runN8n(userFolder, ['publish:workflow', `--id=${id}`], { env });
}

const webhookNodes = (workflow) =>
	workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.webhook' && !node.disabled);

/** A workflow another one calls (Execute Workflow): n8n 2.x runs only published sub-workflows. */
const isSubWorkflow = (workflow) => workflow.nodes.some((node) => node.type === 'n8n-nodes-base.executeWorkflowTrigger' && !node.disabled);

/** Whether the demo publishes a workflow: it starts from a Webhook node, or other workflows call it. */
const publishedOnImport = (workflow) => webhookNodes(workflow).length > 0 || isSubWorkflow(workflow);

/** The ids of workflows among `files` that the demo publishes and runs only when called (webhooks, sub-workflows). */
function webhookWorkflowIds(files) {
	return files
		.map((file) => readWorkflow(path.resolve(file)))
		.filter(publishedOnImport)
		.map((workflow) => workflow.id);
}

// ---------------------------------------------------------------------------------------------------------
// Executing a workflow from the command line

/**
 * The run's JSON in `execute` output: a top-level object printed with two-space indentation after log lines.
 * Returns { run, logs } (logs: the output before the JSON), or undefined when there is none.
 */
function parseRunOutput(stdout) {
	const lines = stdout.split('\n');
	for (let start = 0; start < lines.length; start++) {
		if (lines[start].trimEnd() !== '{') continue;
		for (let end = lines.length - 1; end > start; end--) {
			if (lines[end].trimEnd() !== '}') continue;
			try {
				const run = JSON.parse(lines.slice(start, end + 1).join('\n'));
				return { run, logs: [...lines.slice(0, start), ...lines.slice(end + 1)].join('\n') };
			} catch {
				// a log line that happens to be a brace; keep looking
			}
		}
	}
	return undefined;
}

/** Signals a process dies of by a fault of its own (not a timeout's SIGTERM or SIGKILL). */
const CRASH_SIGNALS = ['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGABRT'];
/** How many times a run that died of one of them before it began is started again. */
const CRASH_RETRIES = 2;

/**
 * Runs a workflow (`n8n execute --id --rawOutput`) and returns n8n's run data
 * ({ status, data: { resultData: { runData, lastNodeExecuted } } }). Throws when the run fails, with n8n's
 * error and output; the error carries `run` when n8n printed one.
 */
async function executeWorkflow({ userFolder, id, timeoutMs }) {
	const args = ['execute', `--id=${id}`, '--rawOutput'];
	let result = await runN8n(userFolder, args, { timeoutMs, check: false });
	// n8n's own process can die of a native fault (SIGSEGV, seen on a loaded machine, with nothing on stderr). Before
	// it printed a run, the workflow is run again, as a scheduler would, which the pack's ledgers make safe; a third
	// death fails below with each death's output
	const deaths = [];
	while (CRASH_SIGNALS.includes(result.signal) && !parseRunOutput(result.stdout) && deaths.length < CRASH_RETRIES) {
		deaths.push(`attempt ${deaths.length + 1} died of ${result.signal}:\n${tail(result.stderr)}`);
		process.stderr.write(`n8n execute --id=${id} died of ${result.signal} before it printed a run; running it again\n`);
		await new Promise((resolve) => setTimeout(resolve, 2_000 * deaths.length));
		result = await runN8n(userFolder, args, { timeoutMs, check: false });
	}
	if (deaths.length > 0 && result.signal) result = { ...result, stderr: `${deaths.join('\n')}\n${result.stderr}` };
	const { run, logs } = parseRunOutput(result.stdout) ?? { logs: result.stdout };
	// after it printed a finished run (stored in its database first), the death is n8n's shutdown, not the run's
	const diedAfterRun = CRASH_SIGNALS.includes(result.signal) && run?.finished === true && run.status === 'success';
	if (diedAfterRun) process.stderr.write(`n8n execute --id=${id} died of ${result.signal} after it printed a finished run; the run stands\n`);
	const failed = (result.code !== 0 && !diedAfterRun) || !run || run.status === 'error' || run.data?.resultData?.error;
	if (!failed) return run;
	const runError = run?.data?.resultData?.error;
	const reason = runError
		? `${runError.message}${runError.description ? ` (${runError.description})` : ''}${runError.node?.name ? ` in node "${runError.node.name}"` : ''}`
		: `n8n exited with ${result.code ?? result.signal}`;
	const error = new Error(
		`workflow ${id} failed: ${reason}\n--- n8n output without the run data (tail) ---\n${tail(`${logs}\n${result.stderr}`)}`,
	);
	Object.assign(error, { run, code: result.code, stdout: result.stdout, stderr: result.stderr });
	throw error;
}

/**
 * Runs a workflow and kills n8n (SIGKILL, its whole process group) as soon as `killWhen()` resolves true, as a
 * crash would; resolves once n8n is gone. Throws when the run ended before the cue came: the crash did not happen.
 */
async function executeWorkflowUntilKilled({ userFolder, id, killWhen, timeoutMs }) {
	const result = await runN8n(userFolder, ['execute', `--id=${id}`, '--rawOutput'], { timeoutMs, check: false, killWhen });
	if (!result.killed) {
		throw new Error(`workflow ${id} ended (${result.code ?? result.signal}) before it was to be killed\n--- n8n output (tail) ---\n${tail(`${result.stdout}\n${result.stderr}`)}`);
	}
	return result;
}

/** The JSON items a node emitted in a run (its last run, first output unless told). */
function nodeOutput(run, nodeName, { output = 0, runIndex } = {}) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs || runs.length === 0) throw new Error(`node "${nodeName}" did not run`);
	const taskData = runs[runIndex ?? runs.length - 1];
	if (taskData.error) throw new Error(`node "${nodeName}" failed: ${taskData.error.message}`);
	return (taskData.data?.main?.[output] ?? []).map((item) => item.json);
}

/** Every node type n8n loads for this user folder (`export:nodes`), e.g. `n8n-nodes-cx-director.cxTicketTriage`. */
async function listNodeTypes({ userFolder }) {
	const dir = prepareUserFolder(userFolder);
	const output = path.join(dir, `node-types-${process.pid}.json`);
	try {
		await runN8n(dir, ['export:nodes', `--output=${output}`]);
		// written by a stream n8n does not await before exiting: wait until the array is complete
		for (let attempt = 0; ; attempt++) {
			try {
				return [...new Set(JSON.parse(fs.readFileSync(output, 'utf8')).map((node) => node.name))];
			} catch (error) {
				if (attempt > 50) throw error;
				await sleep(100);
			}
		}
	} finally {
		fs.rmSync(output, { force: true });
	}
}

// ---------------------------------------------------------------------------------------------------------
// n8n as a server: the editor for a person, webhooks for tests

/**
 * Starts `n8n start` in the background on 127.0.0.1:<port> and waits until it is fully started.
 * Output goes to <user folder>/n8n.log (or the caller's terminal with output: 'inherit').
 * Returns { url, editorUrl, pid, logFile, stop, exited }; stop() ends n8n and its task runners.
 * `env`: variables beyond the user folder's, applied last (queue mode's: scripts/n8n-queue.js).
 */
async function startN8n({ userFolder, port = 5678, output, timeoutMs = 180_000, env: extraEnv }) {
	const dir = prepareUserFolder(userFolder);
	if (await portInUse(port)) throw new Error(`port ${port} is already in use on 127.0.0.1; choose another (N8N_PORT)`);
	const env = await n8nEnv(dir, {
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://localhost:${port}/`,
		N8N_WEBHOOK_URL: `http://localhost:${port}/`,
		...extraEnv,
	});
	const logFile = output === 'inherit' ? undefined : (output ?? path.join(dir, 'n8n.log'));
	const out = logFile ? fs.openSync(logFile, 'a') : 'inherit';
	const { node, n8nBin } = runtime();
	const child = spawn(node, [n8nBin, 'start'], { cwd: dir, env, detached: true, stdio: ['ignore', out, out] });
	if (typeof out === 'number') fs.closeSync(out);
	running.add(child.pid);
	let exitCode;
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exitCode = code ?? signal;
			resolve(exitCode);
		});
	});
	const url = `http://127.0.0.1:${port}`;
	let stopping;
	const stop = () => (stopping ??= stopGroup(child.pid));
	const logTail = () => (logFile && fs.existsSync(logFile) ? tail(fs.readFileSync(logFile, 'utf8')) : '(output went to the terminal)');

	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exitCode !== undefined) {
			await stop();
			throw new Error(`n8n start exited with ${exitCode}\n--- ${logFile ?? 'n8n output'} (tail) ---\n${logTail()}`);
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n did not become ready on ${url} within ${timeoutMs} ms\n--- ${logFile} (tail) ---\n${logTail()}`);
		}
		try {
			const response = await fetch(`${url}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		await sleep(250);
	}
	return { url, editorUrl: `http://localhost:${port}/`, port, pid: child.pid, logFile, stop, exited };
}

async function rest(url, method, route, body, headers = {}) {
	const response = await fetch(`${url}/rest${route}`, {
		method,
		headers: { 'content-type': 'application/json', ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	const message = json?.message ?? text.slice(0, 300);
	return { status: response.status, json, text, message, headers: response.headers };
}

/** Logs in through the REST API; returns the session cookie (`n8n-auth=...`). */
async function login({ url, email, password }) {
	const response = await rest(url, 'POST', '/login', { emailOrLdapLoginId: email, password });
	if (response.status !== 200) throw new Error(`login as ${email} failed: HTTP ${response.status} ${response.message}`);
	const cookie = (response.headers.getSetCookie?.() ?? []).find((c) => c.startsWith('n8n-auth='));
	return cookie ? cookie.split(';')[0] : undefined;
}

/**
 * Claims the instance for an owner account (POST /rest/owner/setup) so a person can log in. Idempotent:
 * when an owner exists, checks that these credentials log in. Returns { created }.
 */
async function setupOwner({ url, email, password, firstName = 'Store', lastName = 'Owner' }) {
	const response = await rest(url, 'POST', '/owner/setup', { email, password, firstName, lastName });
	if (response.status === 200) return { created: true };
	if (response.status === 400 && /already setup/i.test(response.text)) {
		await login({ url, email, password });
		return { created: false };
	}
	throw new Error(`owner setup failed: HTTP ${response.status} ${response.message}`);
}

/**
 * Waits until a published workflow's webhook is registered (a running n8n activates published workflows
 * in the background after it reports ready). Probes with a CORS preflight, which runs no workflow.
 */
async function waitForWebhook({ url, path: webhookPath, method = 'POST', timeoutMs = 60_000 }) {
	const deadline = Date.now() + timeoutMs;
	let last;
	while (Date.now() < deadline) {
		const response = await fetch(`${url}/webhook/${webhookPath.replace(/^\//, '')}`, {
			method: 'OPTIONS',
			headers: { origin: url, 'access-control-request-method': method },
		});
		last = response.status;
		if (response.status >= 200 && response.status < 300) return;
		await sleep(250);
	}
	throw new Error(`webhook ${method} /webhook/${webhookPath} not registered after ${timeoutMs} ms (last HTTP ${last})`);
}

// ---------------------------------------------------------------------------------------------------------
// Command line (used by scripts/demo.sh)

const USAGE = `usage: node scripts/n8n-local.js <command> --user-folder <dir> [options]
  install                          pack the built repository and install it as a community package
  credentials [--standins <file>]  import the four stand-in credentials (default: .standins/env.json)
  import [--publish-webhooks] <workflow.json>...
                                   import workflows; publish those that start from a Webhook node
  publish --id <id>                publish a workflow (before \`serve\`; takes effect at start)
  execute --id <id>                run a workflow once and print its run data
  run-all <workflow.json>...       run each (non-webhook) workflow once and print what its nodes decided
  node-types                       list the node types n8n loads
  serve [--port <p>] [--owner-email <e>]
                                   start n8n, set up the owner account, print the editor URL and the
                                   login, run until Ctrl-C (logs in <user folder>/n8n.log)`;

const BOOLEAN_FLAGS = new Set(['publish-webhooks', 'help']);

function parseArgs(argv) {
	const options = { _: [] };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) {
			options._.push(arg);
			continue;
		}
		const [key, inline] = arg.slice(2).split(/=(.*)/s);
		if (inline !== undefined) options[key] = inline;
		else if (!BOOLEAN_FLAGS.has(key) && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) options[key] = argv[++i];
		else options[key] = true;
	}
	return options;
}

/**
 * Runs each workflow once (webhook workflows excepted: they wait for a request) and prints what every node
 * put out, and each decision's one-line summary: the demo's --headless mode.
 */
/** One line for what a pack node decided about an item. */
function describeItem(json) {
	if (json.error) return `error: ${json.error}`;
	const id = json.ticket?.id ?? json.id ?? '';
	if (json.escalation) {
		const { escalation } = json;
		return escalation.escalate
			? `${id}: level ${escalation.level} (${escalation.levelName ?? ''}) ${escalation.status ?? ''}: ${escalation.reasons.join(', ')}`
			: `${id}: not escalated: ${escalation.reasons.join(', ')}`;
	}
	if (json.compensation) {
		const { compensation } = json;
		// not-eligible orders are the many; the count line says how many
		if (compensation.outcome === 'not_eligible') return undefined;
		return `${json.order?.name ?? ''}: ${compensation.status ?? compensation.outcome}${compensation.amount ? ` ${compensation.amount.formatted}` : ''} (${compensation.daysLate} days late): ${compensation.reasons.join(', ')}`;
	}
	if (json.winback) {
		// mailed customers are the many; the campaign summary says how many and why the others were not
		return undefined;
	}
	// feedback items are the many; the follow-up summary counts them
	if (json.feedback) return undefined;
	if (json.operation === 'record' && json.read) {
		const skipped = Object.entries(json.skipped ?? {}).map(([reason, count]) => `${reason} ${count}`).join(', ');
		return `feedback: ${json.recorded} recorded, ${json.alreadyRecorded} already recorded, from ${json.read.surveyComments} survey comments and ${json.read.tickets} tickets read; skipped: ${skipped || 'none'}`;
	}
	if (json.operation === 'remind' && json.reminders) {
		const { reminders, escalations } = json;
		return `follow-up: ${reminders.sent} item(s) due soon in ${reminders.emails} reminder(s) to ${reminders.owners} owner(s); ${escalations.sent} overdue item(s) escalated to ${(escalations.recipients ?? []).join(', ') || 'nobody'}`;
	}
	if (json.metrics?.summary) return json.metrics.summary;
	if (json.survey && typeof json.survey === 'object') return undefined;
	if (typeof json.survey === 'string' && json.deliveredInWindow !== undefined) {
		const skipped = Object.entries(json.skipped ?? {}).map(([reason, count]) => `${reason} ${count}`).join(', ');
		return `${json.survey.toUpperCase()} survey: ${json.deliveredInWindow} of ${json.orders} orders delivered ${json.deliveredFrom.slice(0, 10)}..${json.deliveredTo.slice(0, 10)}, ${json.sent} asked; not asked: ${skipped || 'none'}`;
	}
	if (json.answer?.type) return `${json.answer.type.toUpperCase()} answer ${json.answer.score} for order ${json.answer.orderName ?? json.answer.orderId}`;
	if (json.campaignWindow) {
		const suppressed = Object.entries(json.suppressed ?? {}).map(([reason, count]) => `${reason} ${count}`).join(', ');
		return `campaign ${json.campaignWindow}: ${json.customers} customers, ${json.dormant} dormant, ${json.dryRun ? `${json.toMail} to mail (dry run)` : `${json.sent} mailed`}; not mailed: ${suppressed || 'none'}`;
	}
	if (json.report?.period) {
		const { report } = json;
		const to = report.sentTo?.length ? ` to ${report.sentTo.join(', ')}` : '';
		return `report from ${report.period.start.slice(0, 10)} until ${report.period.end.slice(0, 10)}: ${report.status}${to}; ${report.kpisMet} KPIs met, ${report.kpisMissed} missed, ${report.alerts} alert(s)`;
	}
	if (json.triage?.summary) return `${id}: ${json.triage.summary}`;
	// any other node's result: the first `summary` sentence it carries, so a new node's items read without an edit here
	const summary = Object.values(json).find((value) => value && typeof value === 'object' && typeof value.summary === 'string')?.summary;
	return summary ? `${id ? `${id}: ` : ''}${summary}` : `${id}`;
}

/** Item lines shown per node; the count lines below them sum up all items. */
const MAX_ITEM_LINES = 12;

const tally = (values) => values.reduce((counts, value) => ((counts[value] = (counts[value] ?? 0) + 1), counts), {});
const listTally = (counts, order = Object.keys(counts)) => order.filter((key) => counts[key]).map((key) => `${key} ${counts[key]}`).join(', ') || 'none';

/** Count lines for a pack node's items: tickets by priority, escalations, compensations, win-back sends. */
function describeCounts(jsons) {
	const lines = [];
	// escalation items carry the triage they came with: counted as escalations only
	const triaged = jsons.filter((json) => json.triage?.priority && !json.escalation);
	if (triaged.length) {
		const escalate = triaged.filter((json) => json.triage.escalate).length;
		lines.push(`tickets by priority: ${listTally(tally(triaged.map((json) => json.triage.priority)), ['urgent', 'high', 'medium', 'low'])}; escalate ${escalate}, queue ${triaged.length - escalate}`);
	}
	const escalations = jsons.filter((json) => json.escalation);
	if (escalations.length) {
		const escalated = escalations.filter((json) => json.escalation.escalate);
		const levels = listTally(tally(escalated.map((json) => `level ${json.escalation.level}`)), ['level 1', 'level 2', 'level 3']);
		const statuses = listTally(tally(escalated.map((json) => json.escalation.status ?? 'planned')));
		lines.push(`escalations: ${escalated.length} (${levels}; ${statuses}), not escalated ${escalations.length - escalated.length}`);
	}
	const compensations = jsons.filter((json) => json.compensation);
	if (compensations.length) {
		const totals = {};
		for (const { compensation } of compensations) {
			if (compensation.status !== 'compensated' || !compensation.amount) continue;
			totals[compensation.amount.currency] = (totals[compensation.amount.currency] ?? 0) + compensation.amount.cents;
		}
		const paid = Object.entries(totals).map(([currency, cents]) => `${(cents / 100).toFixed(2)} ${currency}`).join(' + ');
		const outcomes = listTally(tally(compensations.map(({ compensation }) => compensation.status ?? compensation.outcome)), ['compensated', 'already_compensated', 'needs_approval', 'compensate', 'not_eligible']);
		lines.push(`compensations: ${outcomes}${paid ? `; paid out ${paid}` : ''}`);
	}
	const winbacks = jsons.filter((json) => json.winback);
	if (winbacks.length) {
		const segments = listTally(tally(winbacks.map((json) => json.winback.segment)), ['champions', 'loyal', 'at_risk', 'cant_lose', 'hibernating', 'lost']);
		lines.push(`win-back sends: ${listTally(tally(winbacks.map((json) => json.winback.status)))} (${segments})`);
	}
	return lines;
}

/** How long one template may run in `demo --headless`. */
const HEADLESS_RUN_TIMEOUT_MS = 20 * 60_000;

async function runAll({ userFolder, files }) {
	const webhooks = new Set(webhookWorkflowIds(files));
	for (const file of files) {
		const { id, name, nodes } = JSON.parse(fs.readFileSync(file, 'utf8'));
		const packNodes = new Set(nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`)).map((node) => node.name));
		if (webhooks.has(id)) {
			const routes = webhookNodes({ nodes }).map(({ parameters = {} }) => `${parameters.httpMethod ?? 'GET'} /webhook/${parameters.path}`);
			console.log(`\n${name}: ${routes.length ? `waits for a request (${routes.join(', ')})` : 'runs when another workflow calls it'}; skipped`);
			continue;
		}
		// a scheduled job reads the whole store, paced by Shopify's cost limit: on the demo's larger store a daily job
		// can take minutes, and the time each template took is printed
		const started = Date.now();
		const run = await executeWorkflow({ userFolder, id, timeoutMs: HEADLESS_RUN_TIMEOUT_MS });
		console.log(`\n${name}: ${run.status} in ${Math.round((Date.now() - started) / 1000)} s`);
		for (const [nodeName, tasks] of Object.entries(run.data.resultData.runData)) {
			// a node with two inputs runs once per input: count and show every run
			const outputs = [];
			for (const task of tasks) (task.data?.main ?? []).forEach((items, index) => (outputs[index] = (outputs[index] ?? []).concat(items ?? [])));
			console.log(`  ${nodeName}: ${outputs.map((items) => items.length).join(' / ') || 0} item(s)`);
			if (!packNodes.has(nodeName)) continue;
			const jsons = outputs.flat().map(({ json }) => json);
			const lines = jsons.map(describeItem).filter((line) => line !== undefined);
			for (const line of lines.slice(0, MAX_ITEM_LINES)) console.log(`    ${line}`);
			if (lines.length > MAX_ITEM_LINES) console.log(`    ... and ${lines.length - MAX_ITEM_LINES} more`);
			for (const line of describeCounts(jsons)) console.log(`    ${line}`);
		}
	}
}

async function serve({ userFolder, port, ownerEmail }) {
	const server = await startN8n({ userFolder, port });
	let shuttingDown = false;
	const shutdown = async (code) => {
		if (shuttingDown) return;
		shuttingDown = true;
		console.log('\nstopping n8n ...');
		await server.stop();
		process.exit(code);
	};
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));
	try {
		const password = ownerPassword(userFolder);
		await setupOwner({ url: server.url, email: ownerEmail, password, firstName: 'Store', lastName: 'Owner' });
		console.log(
			[
				'',
				'n8n is running with the CX Director pack, its credentials and workflows.',
				`  Editor:    ${server.editorUrl}`,
				`  Email:     ${ownerEmail}`,
				`  Password:  ${password}`,
				`  (kept in ${path.join(path.resolve(userFolder), 'owner-password')})`,
				`  n8n log:   ${server.logFile}`,
				'Press Ctrl-C to stop.',
				'',
			].join('\n'),
		);
	} catch (error) {
		console.error(error.message);
		await shutdown(1);
		return;
	}
	const code = await server.exited;
	if (!shuttingDown) {
		console.error(`n8n exited unexpectedly (${code}); see ${server.logFile}`);
		await shutdown(1);
	}
}

async function main(argv) {
	const [command, ...rest] = argv;
	const options = parseArgs(rest);
	const userFolder = options['user-folder'];
	if (!command || command === 'help' || options.help) {
		console.log(USAGE);
		return;
	}
	if (!userFolder) throw new Error(`--user-folder is required\n${USAGE}`);
	switch (command) {
		case 'install': {
			const result = await installPack({ userFolder });
			const how = result.skipped ? 'unchanged, kept' : result.reusedDependencies ? 'updated (dependencies kept)' : 'installed';
			console.log(`${result.name}@${result.version} ${how} in ${result.directory} (${(result.ms / 1000).toFixed(1)} s)`);
			break;
		}
		case 'credentials': {
			const standins = options.standins ? JSON.parse(fs.readFileSync(options.standins, 'utf8')) : undefined;
			const imported = await writeCredentials({ userFolder, standins });
			console.log(`imported credentials: ${imported.map(({ id, type }) => `${id} (${type})`).join(', ')}`);
			break;
		}
		case 'import': {
			const files = options._;
			if (files.length === 0) {
				console.log('no workflow files to import');
				break;
			}
			const imported = await importWorkflows({ userFolder, files });
			console.log(`imported ${imported.length} workflow(s): ${imported.map(({ id, name }) => `${id} "${name}"`).join(', ')}`);
			if (options['publish-webhooks']) {
				for (const file of files) {
					const workflow = readWorkflow(path.resolve(file));
					if (!publishedOnImport(workflow)) continue;
					await publishWorkflow({ userFolder, id: workflow.id });
					const routes = webhookNodes(workflow).map(({ parameters = {} }) => `${parameters.httpMethod ?? 'GET'} /webhook/${parameters.path}`);
					console.log(`published ${workflow.id} "${workflow.name}": ${routes.length ? routes.join(', ') : 'called by other workflows'}`);
				}
			}
			break;
		}
		case 'publish':
			if (!options.id) throw new Error('--id is required');
			await publishWorkflow({ userFolder, id: options.id });
			console.log(`published ${options.id}`);
			break;
		case 'execute':
			if (!options.id) throw new Error('--id is required');
			console.log(JSON.stringify(await executeWorkflow({ userFolder, id: options.id }), null, 2));
			break;
		case 'run-all':
			await runAll({ userFolder, files: options._.map((file) => path.resolve(file)) });
			break;
		case 'node-types':
			console.log((await listNodeTypes({ userFolder })).join('\n'));
			break;
		case 'serve':
			await serve({
				userFolder,
				port: Number(options.port ?? process.env.N8N_PORT ?? 5678),
				ownerEmail: options['owner-email'] ?? 'owner@example-store.test',
			});
			break;
		default:
			throw new Error(`unknown command: ${command}\n${USAGE}`);
	}
}

module.exports = {
	CREDENTIAL_IDS,
	runtime,
	n8nEnv,
	runN8n,
	installPack,
	standinCredentials,
	importCredentials,
	writeCredentials,
	importWorkflows,
	publishWorkflow,
	webhookWorkflowIds,
	executeWorkflow,
	executeWorkflowUntilKilled,
	parseRunOutput,
	nodeOutput,
	listNodeTypes,
	startN8n,
	setupOwner,
	login,
	waitForWebhook,
	ownerPassword,
	freePort,
	killGroup,
	stopGroup,
};

if (require.main === module) {
	main(process.argv.slice(2)).catch((error) => {
		console.error(error.message);
		process.exit(1);
	});
}

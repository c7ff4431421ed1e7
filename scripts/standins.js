#!/usr/bin/env node
'use strict';
/**
 * The local stand-ins for Shopify, SendGrid, Supabase and Stripe, started and stopped with one command:
 *
 *   node scripts/standins.js start    starts all four in a background process, waits until they answer,
 *                                     writes .standins/env.json (URLs and freshly generated keys) and
 *                                     .standins/ca-bundle.pem (for NODE_EXTRA_CA_CERTS)
 *   node scripts/standins.js stop     stops them (PostgreSQL and PostgREST included)
 *   node scripts/standins.js status   prints env.json when they run
 *   node scripts/standins.js serve    runs them in the foreground (what `start` runs in the background)
 *
 * Every stand-in listens on 127.0.0.1 only. Each module in scripts/standins/ exports
 * `start({ host, port, dataDir, root }) -> { env, stop }`; `env` lands in env.json under the module's name.
 * Keys are generated at each start, so no secret is ever committed.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const stateDir = process.env.CX_STANDINS_DIR || path.join(root, '.standins');
const envFile = path.join(stateDir, 'env.json');
const pidFile = path.join(stateDir, 'pid');
const logFile = path.join(stateDir, 'standins.log');
const caBundleFile = path.join(stateDir, 'ca-bundle.pem');
const host = '127.0.0.1';
// below 32768, where Linux picks no client's ephemeral port (ip_local_port_range 32768-60999): a port in that range
// can be held for a moment by any outgoing connection, and a listen on it then fails with EADDRINUSE
const basePort = Number(process.env.CX_STANDINS_BASE_PORT || 24320);

/** Order matters for stop (reverse): the Supabase gateway needs its database first. */
const services = [
	{ name: 'supabase', port: basePort + 1 }, // gateway :24321, PostgREST :24323, PostgreSQL :24322
	{ name: 'shopify', port: basePort + 20 },
	{ name: 'sendgrid', port: basePort + 30 },
	{ name: 'stripe', port: basePort + 40 },
	{ name: 'openai', port: basePort + 50 }, // OpenAI-compatible chat completions, scripted, for n8n's AI Agent (test/e2e/aiAgent.test.ts)
];

function readPid() {
	try {
		const pid = Number(fs.readFileSync(pidFile, 'utf8'));
		process.kill(pid, 0);
		return pid;
	} catch {
		return undefined;
	}
}

/**
 * Node reads one NODE_EXTRA_CA_CERTS file: the bundle holds the certificates the caller already trusts
 * (a proxy's CA, say, which npm needs) and the Shopify stand-in's own CA. Processes that talk to the
 * stand-ins point NODE_EXTRA_CA_CERTS at it.
 */
function writeCaBundle(standinCa) {
	// scripts/run.sh keeps the caller's own file in CX_TRUSTED_CA_FILE before pointing Node at the bundle
	const inherited = process.env.CX_TRUSTED_CA_FILE ?? process.env.NODE_EXTRA_CA_CERTS;
	const parts = [];
	if (inherited && path.resolve(inherited) !== caBundleFile && fs.existsSync(inherited)) parts.push(fs.readFileSync(inherited, 'utf8'));
	parts.push(fs.readFileSync(standinCa, 'utf8'));
	fs.writeFileSync(caBundleFile, parts.map((part) => part.trim()).join('\n') + '\n');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function serve() {
	fs.mkdirSync(stateDir, { recursive: true });
	fs.rmSync(envFile, { force: true });
	const running = [];
	// the day the sample store's history ends (shopify-records.js): the one anchor stand-ins and tests share
	const anchor = require('./standins/shopify-records.js').ANCHOR.toISOString();
	const env = { anchor };
	let stopping = false;
	const stopAll = async (code) => {
		if (stopping) return;
		stopping = true;
		for (const service of running.reverse()) {
			try {
				await service.stop();
			} catch (error) {
				console.error(`[standins] stopping ${service.name}: ${error.message}`);
			}
		}
		fs.rmSync(envFile, { force: true });
		fs.rmSync(pidFile, { force: true });
		process.exit(code);
	};
	process.on('SIGTERM', () => stopAll(0));
	process.on('SIGINT', () => stopAll(0));
	try {
		for (const { name, port } of services) {
			const dataDir = path.join(stateDir, name);
			fs.mkdirSync(dataDir, { recursive: true });
			const started = await require(`./standins/${name}.js`).start({ host, port, dataDir, root });
			running.push({ name, stop: started.stop });
			env[name] = started.env;
			console.log(`[standins] ${name} ready`);
		}
	} catch (error) {
		console.error(`[standins] failed to start: ${error.stack || error.message}`);
		await stopAll(1);
		return;
	}
	writeCaBundle(env.shopify.caFile);
	fs.writeFileSync(pidFile, String(process.pid));
	// the keys are throwaway, but still keys: readable by this user only
	fs.writeFileSync(envFile, JSON.stringify(env, null, 2), { mode: 0o600 });
	console.log(`[standins] all ready: ${envFile}`);
}

async function start() {
	if (readPid() && fs.existsSync(envFile)) {
		console.log(`stand-ins already running: ${envFile}`);
		return;
	}
	fs.mkdirSync(stateDir, { recursive: true });
	fs.rmSync(envFile, { force: true });
	const out = fs.openSync(logFile, 'w');
	const child = spawn(process.execPath, [__filename, 'serve'], {
		detached: true,
		stdio: ['ignore', out, out],
		env: process.env,
	});
	let exited = false;
	child.on('exit', () => (exited = true));
	child.unref();
	const deadline = Date.now() + 120_000;
	while (!fs.existsSync(envFile)) {
		if (exited || Date.now() > deadline) {
			process.stderr.write(fs.readFileSync(logFile, 'utf8'));
			throw new Error(`stand-ins did not start; log: ${logFile}`);
		}
		await sleep(200);
	}
	console.log(`stand-ins running (pid ${child.pid}); URLs and keys in ${envFile}`);
}

async function stop() {
	const pid = readPid();
	if (!pid) {
		console.log('stand-ins are not running');
		return;
	}
	process.kill(pid, 'SIGTERM');
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		try {
			process.kill(pid, 0);
		} catch {
			console.log('stand-ins stopped');
			return;
		}
		await sleep(200);
	}
	process.kill(pid, 'SIGKILL');
	console.log('stand-ins killed after 30 s');
}

const commands = { start, stop, serve, status: async () => console.log(fs.readFileSync(envFile, 'utf8')) };
const command = commands[process.argv[2]];
if (!command) {
	console.error('usage: node scripts/standins.js start|stop|status|serve');
	process.exit(2);
}
command().catch((error) => {
	console.error(error.message);
	process.exit(1);
});

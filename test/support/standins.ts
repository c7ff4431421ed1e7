import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `node scripts/standins.js start` wrote: URLs and the keys generated at that start. */
export interface StandinsEnv {
	supabase: { url: string; serviceRoleKey: string; anonKey: string; dbUrl: string };
	shopify: { shopDomain: string; accessToken: string; apiVersion: string; caFile: string; adminUrl: string };
	sendgrid: { baseUrl: string; apiKey: string; senderEmail: string; mailboxUrl: string };
	stripe: { apiBase: string; secretKey: string };
}

export const repoRoot = join(__dirname, '..', '..');

export function standinsEnv(): StandinsEnv {
	const file = join(process.env.CX_STANDINS_DIR ?? join(repoRoot, '.standins'), 'env.json');
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as StandinsEnv;
	} catch {
		throw new Error(`The stand-ins are not running (${file} missing): run \`npm run standins start\` first.`);
	}
}

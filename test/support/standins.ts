import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `node scripts/standins.js start` wrote: URLs and the keys generated at that start. */
export interface StandinsEnv {
	/** The day the sample store's history ends (ISO, 00:00 UTC): every fixture counts from it. */
	anchor: string;
	supabase: { url: string; serviceRoleKey: string; anonKey: string; dbUrl: string };
	shopify: { shopDomain: string; accessToken: string; apiVersion: string; caFile: string; adminUrl: string; clientId: string; clientSecret: string; foreignClientId: string; foreignClientSecret: string };
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

const DAY_MS = 86_400_000;

/** The anchor the stand-ins and the tests share: the day the sample store's history ends (a Sunday, 00:00 UTC). */
export function storeAnchor(): Date {
	return new Date(standinsEnv().anchor);
}

/**
 * A time counted from the anchor, as ISO 8601: `fromAnchor(-15, '12:00')` is noon fifteen days before it (`HH:MM` or `HH:MM:SS`, UTC). The
 * anchor keeps its weekday, so a fixture's weekday never changes; it moves with the calendar, so no fixture expires.
 */
export function fromAnchor(days: number, time = '00:00', anchor: Date = storeAnchor()): string {
	const [hours, minutes, seconds = 0] = time.split(':').map(Number);
	return new Date(anchor.getTime() + days * DAY_MS + ((hours * 60 + minutes) * 60 + seconds) * 1000).toISOString();
}

/** The UTC day (YYYY-MM-DD) `days` from the anchor. */
export function dayFromAnchor(days: number, anchor: Date = storeAnchor()): string {
	return fromAnchor(days, '00:00', anchor).slice(0, 10);
}

/** An ISO time as PostgREST returns a timestamptz: `2026-11-01T09:00:00+00:00`. */
export function storedTime(iso: string): string {
	return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, (_, ms: string) => (ms === '000' ? '+00:00' : `.${ms}+00:00`));
}

/** An ISO time as Shopify's Admin API writes a DateTime: whole seconds, `2026-11-01T09:00:00Z`. */
export function shopifyTime(iso: string): string {
	return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** HTML for emails and pages: the one escaper, and the one rule for what may become a link. */
import { wellFormed } from '../items';
import { oneLine } from './text';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** The pack's one HTML escaper: customer text goes into email bodies only through this (and comes out well-formed). */
export function escapeHtml(text: unknown): string {
	return wellFormed(String(text ?? '')).replace(/[&<>"'`]/g, (character) => ENTITIES[character]);
}

/**
 * The address a link may point to: an http(s) URL as the URL parser reads it, or undefined for anything else
 * (javascript:, data:, a scheme hidden behind spaces or control characters, text that is no URL). Braces are
 * percent-encoded, so an address never carries a SendGrid substitution tag. Escape it for the attribute as any text.
 */
export function safeLink(url: unknown): string | undefined {
	const candidate = oneLine(url);
	if (!/^https?:\/\//i.test(candidate)) return undefined;
	try {
		const parsed = new URL(candidate);
		if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) return undefined;
		return parsed.href.replace(/\{/g, '%7B').replace(/\}/g, '%7D');
	} catch {
		return undefined;
	}
}

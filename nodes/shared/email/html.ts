/** The pack's one HTML escaper: customer text goes into email bodies only through this. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: unknown): string {
	return String(text ?? '').replace(/[&<>"'`]/g, (character) => ENTITIES[character]);
}

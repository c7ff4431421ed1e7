/**
 * `shopify_events` (migration 20261205000000_shopify_events): each Shopify webhook event once, unique by
 * X-Shopify-Event-Id. CX Shopify Events claims an event by inserting its row: of two deliveries of one event, even
 * at the same moment, only the one whose row went in goes on.
 */
import type { Row, SupabaseService } from '../services/supabase';

export const SHOPIFY_EVENTS_TABLE = 'shopify_events';
/** The unique key a delivery received again is known by. */
export const SHOPIFY_EVENTS_KEY = 'event_id';

/** Inserts the events whose id is not stored yet and returns the ids this call inserted: the first deliveries. */
export async function claimEvents(supabase: SupabaseService, rows: Row[]): Promise<Set<string>> {
	if (!rows.length) return new Set();
	const inserted = await supabase.insertNew(SHOPIFY_EVENTS_TABLE, rows, SHOPIFY_EVENTS_KEY);
	return new Set(inserted.map((row) => String(row[SHOPIFY_EVENTS_KEY])));
}

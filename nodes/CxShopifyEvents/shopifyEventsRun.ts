/**
 * CX Shopify Events, the run: each event claimed once in `shopify_events` (the first delivery of an event goes
 * on, every later one, a retry or the same event through a second subscription, is a duplicate).
 */
import type { SupabaseService } from '../shared/services/supabase';
import { claimEvents } from '../shared/store/shopifyEvents';
import type { ShopifyDelivery } from './eventInput';
import type { EventReading } from './shopifyEvents';

export interface ReadDelivery {
	delivery: ShopifyDelivery;
	reading: EventReading;
}

/** Claims the deliveries' events; returns, per delivery in order, whether it is the event's first delivery. */
export async function claimDeliveries(supabase: SupabaseService, deliveries: ReadDelivery[], now: Date): Promise<boolean[]> {
	const firstOf = new Map<string, number>();
	deliveries.forEach(({ delivery }, index) => {
		if (!firstOf.has(delivery.eventId)) firstOf.set(delivery.eventId, index);
	});
	const rows = [...firstOf.values()].map((index) => {
		const { delivery, reading } = deliveries[index];
		return {
			event_id: delivery.eventId,
			topic: delivery.topic,
			shop_domain: delivery.shopDomain ?? null,
			webhook_id: delivery.webhookId ?? null,
			order_id: reading.orderId ? `gid://shopify/Order/${reading.orderId}` : null,
			route: reading.route,
			triggered_at: delivery.triggeredAt?.toISOString() ?? null,
			received_at: now.toISOString(),
		};
	});
	const claimed = await claimEvents(supabase, rows);
	return deliveries.map(({ delivery }, index) => claimed.has(delivery.eventId) && firstOf.get(delivery.eventId) === index);
}

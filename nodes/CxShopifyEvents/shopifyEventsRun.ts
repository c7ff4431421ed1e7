/**
 * CX Shopify Events, the run: each event claimed once in `shopify_events` (the first delivery of an event goes
 * on, every later one, a retry or the same event through a second subscription, is a duplicate). A compliance
 * webhook's request is carried out before its event is claimed, on every delivery: an export reads, an erasure
 * changes nothing the second time, so a delivery that failed half way is simply done again when Shopify retries.
 */
import type { IDataObject } from 'n8n-workflow';
import type { Row, SupabaseService } from '../shared/services/supabase';
import { completePrivacyRequest, eraseShop, eraseSubject, exportSubject, recordPrivacyRequest } from '../shared/store/privacy';
import { claimEvents } from '../shared/store/shopifyEvents';
import type { ShopifyDelivery } from './eventInput';
import type { EventReading, PrivacyAsk } from './shopifyEvents';

/**
 * Carries out a compliance webhook's request, recorded in privacy_requests with its due date: customers/data_request
 * exports every row held about the customer (in `export`, for the store to hand over); customers/redact erases the
 * customer's personal data; shop/redact the shop's. Returns what the item reports.
 */
export async function carryOutPrivacy(supabase: SupabaseService, delivery: ShopifyDelivery, ask: PrivacyAsk, now: Date): Promise<IDataObject> {
	const request = await recordPrivacyRequest(supabase, ask.topic, ask.requestId ?? delivery.eventId, delivery.shopDomain, now);
	const subject = { customerIds: ask.customerIds, emails: ask.emails, orderIds: ask.orderIds };
	let result: Row;
	let exported: Record<string, Row[]> | undefined;
	if (ask.topic === 'customers/data_request') {
		exported = await exportSubject(supabase, subject);
		result = { exported: Object.fromEntries(Object.entries(exported).map(([table, rows]) => [table, rows.length])) };
	} else if (ask.topic === 'customers/redact') {
		result = { erased: await eraseSubject(supabase, subject, String(request.id), now) };
	} else {
		result = { erased: await eraseShop(supabase) };
	}
	await completePrivacyRequest(supabase, String(request.id), now, result);
	return {
		request: String(request.id),
		kind: ask.topic,
		received_at: new Date(String(request.received_at)).toISOString(),
		due_at: new Date(String(request.due_at)).toISOString(),
		completed_at: now.toISOString(),
		...result,
		...(exported ? { export: exported as unknown as IDataObject } : {}),
	};
}

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

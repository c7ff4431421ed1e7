/**
 * The helpdesk webhook fixtures (one realistic delivery per event, as n8n's Webhook node hands them on) made into
 * a run's own: their times moved so the sequence starts on a given day (integration and end-to-end fixtures count
 * from the stand-ins' anchor), their ticket and event ids tagged (a tag per ticket: event ids are unique per helpdesk, not per ticket) so no two tickets or runs share an event.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Helpdesk = 'zendesk' | 'gorgias' | 'freshdesk' | 'helpscout';
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface Delivery {
	headers: Record<string, string>;
	body: Record<string, Json>;
}

/** Where each fixture's sequence starts (its first event), and its ticket id. */
export const FIXTURE_START: Record<Helpdesk, string> = {
	zendesk: '2026-11-02T09:00:00Z',
	gorgias: '2026-11-03T14:00:00Z',
	freshdesk: '2026-11-05T10:00:00Z',
	helpscout: '2026-11-06T08:00:00Z',
};

export function fixtureDeliveries(helpdesk: Helpdesk): Delivery[] {
	return JSON.parse(readFileSync(join(__dirname, `${helpdesk}-webhooks.json`), 'utf8')) as Delivery[];
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function shift(value: Json, by: number): Json {
	if (typeof value === 'string') return ISO.test(value) ? new Date(new Date(value).getTime() + by).toISOString() : value;
	if (Array.isArray(value)) return value.map((entry) => shift(entry, by));
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, shift(entry, by)]));
	return value;
}

/**
 * The fixture's deliveries starting at `start` (ISO), with ticket id `ticketId` and event ids tagged with `tag`. Returns
 * the deliveries in the fixture's order.
 */
export function deliveriesFor(helpdesk: Helpdesk, options: { start: string; ticketId: string; tag: string }): Delivery[] {
	const by = new Date(options.start).getTime() - new Date(FIXTURE_START[helpdesk]).getTime();
	return fixtureDeliveries(helpdesk).map((delivery) => {
		const body = shift(delivery.body, by) as Record<string, any>;
		const headers = shift(delivery.headers, by) as Record<string, string>;
		if (helpdesk === 'zendesk') {
			body.id = `${body.id}-${options.tag}`;
			body.subject = `zen:ticket:${options.ticketId}`;
			body.detail.id = options.ticketId;
		} else if (helpdesk === 'gorgias') {
			body.ticket.id = options.ticketId;
			if (body.message) body.message.id = `${body.message.id}-${options.tag}`;
		} else if (helpdesk === 'freshdesk') {
			body.freshdesk_webhook.ticket_id = options.ticketId;
		} else {
			body.id = options.ticketId;
			for (const thread of body._embedded.threads) thread.id = `${thread.id}-${options.tag}`;
		}
		return { headers, body };
	});
}

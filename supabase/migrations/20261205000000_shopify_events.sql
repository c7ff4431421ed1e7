-- CX Director: Shopify webhook deliveries, each event kept once. Shopify retries a delivery it did not see
-- answered within five seconds, and an event reaches every subscription to its topic: each delivery of one
-- event carries the same X-Shopify-Event-Id, so the first delivery claims the row and the others are duplicates.
-- CX Shopify Events writes it; the survey and delay compensation it hands orders to keep their own ledgers.
-- Idempotent, like the other migrations.
create table if not exists public.shopify_events (
	id uuid primary key default gen_random_uuid(),
	-- X-Shopify-Event-Id: the same for every delivery of one event.
	event_id text not null,
	-- X-Shopify-Topic (orders/updated, fulfillments/update, refunds/create, ...).
	topic text not null,
	shop_domain text,
	-- X-Shopify-Webhook-Id: the subscription that delivered it first.
	webhook_id text,
	-- The order the event is about (its GID), when it names one.
	order_id text,
	-- What the pack made of it: delivered, shipping_update, order_update, refund, cancelled, other.
	route text not null,
	-- X-Shopify-Triggered-At: when the event happened in Shopify.
	triggered_at timestamptz,
	-- When the pack first received it (the run's Now).
	received_at timestamptz not null,
	created_at timestamptz not null default now(),
	constraint shopify_events_event_key unique (event_id)
);

comment on table public.shopify_events is 'Shopify webhook events, each kept once by its event id (CX Director): a retried or repeated delivery is a duplicate.';

create index if not exists shopify_events_order_idx on public.shopify_events (order_id, triggered_at);

alter table public.shopify_events enable row level security;
revoke all on table public.shopify_events from anon, authenticated;
grant all on table public.shopify_events to service_role;

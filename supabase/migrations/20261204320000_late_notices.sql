-- CX Director: the running-late notice, once per order. An order that will miss the date it was promised gets
-- one email before the customer asks; its row is written before the email goes out (unique by order id, ever),
-- claimed by a conditional update (notify_claimed_at + notification_claim, as the delay apology's claim), and
-- settled with SendGrid's message id. A later run, or a second run at once, finds the row and sends nothing.
-- Idempotent, like the other migrations.
create table if not exists public.late_notices (
	id uuid primary key default gen_random_uuid(),
	-- The Shopify order id (GID) or the order id an item gave.
	order_id text not null,
	order_name text,
	customer_id text,
	customer_email text,
	-- Why the order will miss its promise: production_not_started_in_time, carrier_estimate_after_promise,
	-- past_promise_undelivered (the first that applied).
	reason text not null,
	promised_delivery_date timestamptz not null,
	-- The carrier's estimate when a parcel on its way carries one: the new expected date the email gives.
	expected_delivery_at timestamptz,
	-- The decision with its reasons, as the node put it out.
	decision jsonb,
	-- The run's Now when the notice was recorded.
	created_at timestamptz not null default now(),
	notify_claimed_at timestamptz,
	notification_claim text,
	sent_at timestamptz,
	message_id text,
	last_error text,
	constraint late_notices_order_key unique (order_id),
	constraint late_notices_reason_check check (reason in ('production_not_started_in_time', 'carrier_estimate_after_promise', 'past_promise_undelivered'))
);

comment on table public.late_notices is 'One running-late notice per order, ever, claimed before it is sent (CX Director, CX Delay Compensation: Notify Late Orders).';

alter table public.late_notices enable row level security;
revoke all on table public.late_notices from anon, authenticated;
grant all on table public.late_notices to service_role;

-- CX Director: CX VIP Escalation reads the customer context cache too. An escalation shows the person it notifies
-- the customer's last name, phone and latest orders besides what triage reads (tier inputs, first name, the latest
-- order's state). At Shopify's standard budget each escalated ticket read them again (about 13 query points, three
-- recent orders), though triage had read the same customer a moment before and a customer who writes twice in a
-- burst is escalated twice. CX VIP Escalation now keeps them here with when it read them, and asks Shopify again only
-- for a customer whose entry (tier inputs and these) is older than its Options > Customer Cache Minutes.
--
-- After tagging a customer in Shopify it adds the tag to the cached row (cx_customer_context_add_tag), so an
-- escalation read from the cache knows the customer carries it and sends no second tagsAdd.
--
-- The new columns are personal data like the rest of the row: cx_privacy_export lists whole rows (to_jsonb), and
-- cx_privacy_erase deletes them. Idempotent, like the other migrations.

alter table public.customer_context add column if not exists last_name text;
alter table public.customer_context add column if not exists phone text;
-- the latest orders, newest first: id, name, processedAt, fulfillmentStatus, total { cents, currency }
alter table public.customer_context add column if not exists recent_orders jsonb;
-- when the last name, phone and latest orders were read from Shopify, by the reading run's Now (null: never; triage
-- reads none of them and leaves them as they are)
alter table public.customer_context add column if not exists detail_fetched_at timestamptz;

comment on table public.customer_context is 'What CX Ticket Triage and CX VIP Escalation last read from Shopify about a customer, with when (CX Director): a cache, erased with the customer.';

-- Adds `tag` to the cached rows of these customers that do not carry it yet (Shopify's tagsAdd keeps a tag once);
-- returns how many rows changed. The table's trigger still refuses an erased customer's row.
create or replace function public.cx_customer_context_add_tag(customer_ids text[], tag text)
returns integer
language sql
volatile
set search_path = ''
as $$
	with changed as (
		update public.customer_context c
		set tags = array_append(c.tags, tag)
		where c.customer_id = any (customer_ids) and not (tag = any (c.tags))
		returning 1
	)
	select count(*)::integer from changed;
$$;

revoke all on function public.cx_customer_context_add_tag(text[], text) from public, anon, authenticated;
grant execute on function public.cx_customer_context_add_tag(text[], text) to service_role;

-- CX Director: the customer context cache. CX Ticket Triage reads each ticket's customer from Shopify (tier inputs:
-- tags, amount spent, number of orders; the latest order's state). At Shopify's standard budget (100 query points a
-- second) a burst of tickets from the same customers spends the store's API budget on answers triage already had a
-- minute ago, so triage keeps what it read here, keyed by Shopify's customer GID, and asks Shopify again only for
-- customers it has not read within Options > Customer Cache Minutes (judged by the run's Now).
--
-- It is a copy of personal data Shopify holds, so privacy requests reach it: cx_privacy_export lists its rows,
-- cx_privacy_erase and cx_privacy_erase_shop delete them (replaced below with the table added, their behaviour
-- otherwise unchanged), and a trigger refuses to store a customer whose keys are in erased_customers, so a triage
-- that read Shopify before an erasure cannot put the customer back after it.
-- Idempotent, like the other migrations.

create table if not exists public.customer_context (
	-- Shopify's customer GID (gid://shopify/Customer/123)
	customer_id text primary key,
	-- the address as Shopify holds it; looked up lower-cased (email_key), as tickets name customers in any case
	customer_email text,
	email_key text generated always as (lower(customer_email)) stored,
	first_name text,
	tags text[] not null default '{}',
	amount_spent_cents bigint not null,
	currency text not null,
	number_of_orders integer not null,
	-- the latest order's summary: id, name, processedAt, fulfillmentStatus, deliveryStatus, estimatedDeliveryAt, deliveredAt
	latest_order jsonb,
	-- when it was read from Shopify, by the reading run's Now
	fetched_at timestamptz not null
);

create index if not exists customer_context_email_key_idx on public.customer_context (email_key);

comment on table public.customer_context is 'What CX Ticket Triage last read from Shopify about a customer, with when (CX Director): a cache, erased with the customer.';

alter table public.customer_context enable row level security;
revoke all on public.customer_context from anon, authenticated;
grant all on table public.customer_context to service_role;

-- The bare number of a Shopify customer GID (ids reach privacy requests in either form); the text itself otherwise.
create or replace function public.cx_customer_number(customer_id text)
returns text
language sql
immutable
set search_path = ''
as $$
	select regexp_replace(customer_id, '^gid://shopify/Customer/(\d+)$', '\1');
$$;

-- Never a cached copy of an erased customer: a row whose id (either form) or address hashes to a key in
-- erased_customers is skipped (SHA-256 hex, as store/privacy.ts subjectKeys makes them).
create or replace function public.cx_customer_context_not_erased()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
	if exists (
		select 1 from public.erased_customers e
		where e.key_hash in (
			encode(sha256(convert_to(new.customer_id, 'UTF8')), 'hex'),
			encode(sha256(convert_to(public.cx_customer_number(new.customer_id), 'UTF8')), 'hex'),
			encode(sha256(convert_to(lower(coalesce(new.customer_email, '')), 'UTF8')), 'hex')
		)
	) then
		return null;
	end if;
	return new;
end;
$$;

drop trigger if exists customer_context_not_erased on public.customer_context;
create trigger customer_context_not_erased before insert or update on public.customer_context
	for each row execute function public.cx_customer_context_not_erased();

-- cx_privacy_export as in 20261205120000_privacy_requests, with the cached profiles.
create or replace function public.cx_privacy_export(customer_ids text[], emails text[], order_ids text[])
returns jsonb
language sql
stable
set search_path = ''
as $$
	with
	ids as (select unnest(coalesce(customer_ids, '{}')) as id),
	mails as (select lower(unnest(coalesce(emails, '{}'))) as email),
	orders as (select unnest(coalesce(order_ids, '{}')) as id),
	their_tickets as (
		select t.* from public.tickets t
		where t.customer_id in (select id from ids) or lower(t.customer_email) in (select email from mails) or t.order_id in (select id from orders)
	)
	select jsonb_build_object(
		'tickets', coalesce((select jsonb_agg(to_jsonb(t) order by t.created_at) from their_tickets t), '[]'),
		'ticket_events', coalesce((select jsonb_agg(to_jsonb(e) order by e.occurred_at) from public.ticket_events e where e.ticket_external_id in (select external_id from their_tickets)), '[]'),
		'escalations', coalesce((select jsonb_agg(to_jsonb(e) order by e.created_at) from public.escalations e
			where e.customer_id in (select id from ids) or lower(e.customer_email) in (select email from mails) or e.ticket_external_id in (select external_id from their_tickets)), '[]'),
		'compensation_ledger', coalesce((select jsonb_agg(to_jsonb(c) order by c.created_at) from public.compensation_ledger c
			where c.customer_id in (select id from ids) or lower(c.customer_email) in (select email from mails) or c.order_id in (select id from orders)), '[]'),
		'compensation_ledger_superseded', coalesce((select jsonb_agg(to_jsonb(c) order by c.created_at) from public.compensation_ledger_superseded c
			where c.customer_id in (select id from ids) or lower(c.customer_email) in (select email from mails) or c.order_id in (select id from orders)), '[]'),
		'late_notices', coalesce((select jsonb_agg(to_jsonb(n) order by n.created_at) from public.late_notices n
			where n.customer_id in (select id from ids) or lower(n.customer_email) in (select email from mails) or n.order_id in (select id from orders)), '[]'),
		'survey_invites', coalesce((select jsonb_agg(to_jsonb(s) order by s.created_at) from public.survey_invites s
			where s.customer_id in (select id from ids) or lower(s.customer_email) in (select email from mails) or s.order_id in (select id from orders)), '[]'),
		'survey_responses', coalesce((select jsonb_agg(to_jsonb(s) order by s.responded_at) from public.survey_responses s
			where s.customer_id in (select id from ids) or lower(s.customer_email) in (select email from mails) or s.order_id in (select id from orders)), '[]'),
		'feedback_items', coalesce((select jsonb_agg(to_jsonb(f) order by f.created_at) from public.feedback_items f
			where f.customer_id in (select id from ids) or f.source_id in (select external_id from their_tickets)), '[]'),
		'winback_sends', coalesce((select jsonb_agg(to_jsonb(w) order by w.created_at) from public.winback_sends w
			where w.customer_id in (select id from ids) or lower(w.customer_email) in (select email from mails)), '[]'),
		'customer_health_scores', coalesce((select jsonb_agg(to_jsonb(h) order by h.scored_at) from public.customer_health_scores h
			where h.customer_id in (select id from ids)), '[]'),
		'customer_context', coalesce((select jsonb_agg(to_jsonb(c) order by c.fetched_at) from public.customer_context c
			where c.customer_id in (select id from ids) or public.cx_customer_number(c.customer_id) in (select id from ids)
				or c.email_key in (select email from mails)), '[]')
	);
$$;

-- cx_privacy_erase as in 20261205120000_privacy_requests, with the cached profiles deleted.
create or replace function public.cx_privacy_erase(customer_ids text[], emails text[], order_ids text[], pseudonym text)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
	ids text[] := coalesce(customer_ids, '{}');
	mails text[] := (select coalesce(array_agg(lower(m)), '{}') from unnest(coalesce(emails, '{}')) m);
	orders text[] := coalesce(order_ids, '{}');
	ticket_ids text[];
	counts jsonb := '{}';
	n integer;
	m integer;
begin
	select coalesce(array_agg(external_id), '{}') into ticket_ids from public.tickets
		where (customer_id = any (ids) or lower(customer_email) = any (mails) or order_id = any (orders)) and coalesce(customer_id, '') not like 'erased:%';

	update public.ticket_events set payload = null, actor = null where ticket_external_id = any (ticket_ids) and (payload is not null or actor is not null);
	get diagnostics n = row_count; counts := counts || jsonb_build_object('ticket_events', n);

	update public.escalations set customer_id = pseudonym, customer_email = null
		where (customer_id = any (ids) or lower(customer_email) = any (mails) or ticket_external_id = any (ticket_ids)) and coalesce(customer_id, '') not like 'erased:%';
	get diagnostics n = row_count; counts := counts || jsonb_build_object('escalations', n);

	update public.feedback_items set customer_id = pseudonym, summary = '[erased]'
		where (customer_id = any (ids) or source_id = any (ticket_ids)) and coalesce(customer_id, '') not like 'erased:%';
	get diagnostics n = row_count; counts := counts || jsonb_build_object('feedback_items', n);

	update public.tickets set customer_id = pseudonym, customer_email = null, subject = null, body = '[erased]', request = null, triage = null, reasons = null
		where external_id = any (ticket_ids) and coalesce(customer_id, '') not like 'erased:%';
	get diagnostics n = row_count; counts := counts || jsonb_build_object('tickets', n);

	update public.compensation_ledger set customer_id = pseudonym, customer_email = null, order_name = null,
		decision = case when decision is null then null else decision - 'customer' - 'orderName' end
		where (customer_id = any (ids) or lower(customer_email) = any (mails) or order_id = any (orders)) and coalesce(customer_id, '') not like 'erased:%';
	get diagnostics n = row_count; counts := counts || jsonb_build_object('compensation_ledger', n);

	update public.compensation_ledger_superseded set customer_id = pseudonym, customer_email = null, order_name = null,
		decision = case when decision is null then null else decision - 'customer' - 'orderName' end
		where (customer_id = any (ids) or lower(customer_email) = any (mails) or order_id = any (orders)) and coalesce(customer_id, '') not like 'erased:%';
	get diagnostics n = row_count; counts := counts || jsonb_build_object('compensation_ledger_superseded', n);

	update public.late_notices set customer_id = pseudonym, customer_email = null, order_name = null
		where (customer_id = any (ids) or lower(customer_email) = any (mails) or order_id = any (orders)) and coalesce(customer_id, '') not like 'erased:%';
	get diagnostics n = row_count; counts := counts || jsonb_build_object('late_notices', n);

	-- an invitation not sent yet is not sent at all; the others keep their dates and status
	delete from public.survey_invites where status = 'pending'
		and (customer_id = any (ids) or lower(customer_email) = any (mails) or order_id = any (orders));
	get diagnostics n = row_count;
	update public.survey_invites set customer_id = pseudonym, customer_email = '', order_name = null
		where (customer_id = any (ids) or lower(customer_email) = any (mails) or order_id = any (orders)) and coalesce(customer_id, '') not like 'erased:%';
	get diagnostics m = row_count; counts := counts || jsonb_build_object('survey_invites', n + m);

	update public.survey_responses set customer_id = pseudonym, customer_email = null, comment = null
		where (customer_id = any (ids) or lower(customer_email) = any (mails) or order_id = any (orders)) and coalesce(customer_id, '') not like 'erased:%';
	get diagnostics n = row_count; counts := counts || jsonb_build_object('survey_responses', n);

	update public.winback_sends set customer_id = pseudonym, customer_email = null
		where (customer_id = any (ids) or lower(customer_email) = any (mails)) and coalesce(customer_id, '') not like 'erased:%';
	get diagnostics n = row_count; counts := counts || jsonb_build_object('winback_sends', n);

	delete from public.customer_health_scores where customer_id = any (ids);
	get diagnostics n = row_count; counts := counts || jsonb_build_object('customer_health_scores', n);

	-- a copy of what Shopify holds, kept only to spare Shopify's API budget: deleted, never pseudonymised
	delete from public.customer_context
		where customer_id = any (ids) or public.cx_customer_number(customer_id) = any (ids) or email_key = any (mails);
	get diagnostics n = row_count; counts := counts || jsonb_build_object('customer_context', n);

	return counts;
end;
$$;

revoke all on function public.cx_privacy_export(text[], text[], text[]) from public, anon, authenticated;
grant execute on function public.cx_privacy_export(text[], text[], text[]) to service_role;
revoke all on function public.cx_privacy_erase(text[], text[], text[], text) from public, anon, authenticated;
grant execute on function public.cx_privacy_erase(text[], text[], text[], text) to service_role;

-- cx_privacy_erase_shop as in 20261205120000_privacy_requests, with every cached profile deleted.
create or replace function public.cx_privacy_erase_shop()
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
	salt text := gen_random_uuid()::text;
	ids text[];
	mails text[];
	counts jsonb := '{}';
	person record;
	changed jsonb;
	total jsonb;
	n integer;
begin
	for person in
		select distinct coalesce(customer_id, lower(customer_email)) as who, customer_id, lower(customer_email) as email from (
			select customer_id, customer_email from public.tickets
			union all select customer_id, customer_email from public.escalations
			union all select customer_id, customer_email from public.compensation_ledger
			union all select customer_id, customer_email from public.compensation_ledger_superseded
			union all select customer_id, customer_email from public.late_notices
			union all select customer_id, nullif(customer_email, '') from public.survey_invites
			union all select customer_id, customer_email from public.survey_responses
			union all select customer_id, customer_email from public.winback_sends
			union all select customer_id, null from public.feedback_items
			union all select customer_id, null from public.customer_health_scores
		) everyone
		where (customer_id is not null and customer_id not like 'erased:%') or customer_email is not null
	loop
		ids := case when person.customer_id is null or person.customer_id like 'erased:%' then '{}' else array[person.customer_id] end;
		mails := case when person.email is null or person.email = '' then '{}' else array[person.email] end;
		changed := public.cx_privacy_erase(ids, mails, '{}', 'erased:' || substr(md5(salt || person.who), 1, 20));
		select coalesce(jsonb_object_agg(key, coalesce((counts ->> key)::int, 0) + value::int), '{}') into total from jsonb_each_text(changed);
		counts := counts || total;
	end loop;
	-- the cached profiles of customers no other table names go too: the shop's whole copy of Shopify's data
	delete from public.customer_context where true;
	get diagnostics n = row_count;
	counts := counts || jsonb_build_object('customer_context', coalesce((counts ->> 'customer_context')::int, 0) + n);
	return counts;
end;
$$;

revoke all on function public.cx_privacy_erase_shop() from public, anon, authenticated;
grant execute on function public.cx_privacy_erase_shop() to service_role;
revoke all on function public.cx_customer_context_not_erased() from public, anon, authenticated;

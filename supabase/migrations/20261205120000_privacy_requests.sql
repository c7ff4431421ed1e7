-- CX Director: privacy requests (Shopify's mandatory compliance webhooks customers/data_request, customers/redact and
-- shop/redact, and a person's own request). The pack copies personal data into these tables; a request is recorded
-- with when it came and the date it must be answered by, then carried out in one transaction each:
--   cx_privacy_export: every row held about the customer, as JSON, for the store to hand over;
--   cx_privacy_erase: the customer's rows pseudonymised: contact details and free text removed, the customer's id
--     replaced by a pseudonym shared by their rows (so counts and amounts, which accounting keeps, still add up);
--     derived scores deleted. The customer's keys (SHA-256 of each id form and of the address, never the values)
--     are kept in erased_customers, so no node contacts or scores them again.
-- Idempotent, like the other migrations.

create table if not exists public.privacy_requests (
	id uuid primary key default gen_random_uuid(),
	-- customers/data_request, customers/redact, shop/redact, or manual/export, manual/erase
	kind text not null,
	shop_domain text,
	-- Shopify's id of the request (data_request.id) or the webhook's event id; the person's reference otherwise
	reference text,
	received_at timestamptz not null,
	-- the date the law (and Shopify) gives to answer: 30 days from receipt
	due_at timestamptz not null,
	completed_at timestamptz,
	-- what was done: rows exported or erased per table; never the personal data itself
	result jsonb,
	created_at timestamptz not null default now(),
	constraint privacy_requests_kind_check check (kind in ('customers/data_request', 'customers/redact', 'shop/redact', 'manual/export', 'manual/erase')),
	-- a request received again (Shopify retries a delivery) is the same request
	constraint privacy_requests_kind_reference_key unique (kind, reference)
);

comment on table public.privacy_requests is 'Privacy requests received and carried out, with their legal due date (CX Director); no personal data.';

create table if not exists public.erased_customers (
	id uuid primary key default gen_random_uuid(),
	key_hash text not null unique,
	erased_at timestamptz not null,
	request_id uuid references public.privacy_requests (id) on delete set null
);

comment on table public.erased_customers is 'SHA-256 of the ids and addresses of erased customers: no node contacts or scores them again (CX Director).';

alter table public.privacy_requests enable row level security;
alter table public.erased_customers enable row level security;
revoke all on public.privacy_requests, public.erased_customers from anon, authenticated;
grant all on table public.privacy_requests, public.erased_customers to service_role;

-- The rows of a customer: by any form of their id, their address (any case), or one of their orders.
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
			where h.customer_id in (select id from ids)), '[]')
	);
$$;

-- Pseudonymises (or, for derived scores, deletes) the rows cx_privacy_export finds, in one transaction; returns the
-- rows changed per table. Rows erased before keep their pseudonym: a request carried out again changes nothing. Amounts, dates, statuses and classifications stay; addresses, free text and the customer's
-- id go (the id becomes `pseudonym`).
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

	return counts;
end;
$$;

revoke all on function public.cx_privacy_export(text[], text[], text[]) from public, anon, authenticated;
grant execute on function public.cx_privacy_export(text[], text[], text[]) to service_role;
revoke all on function public.cx_privacy_erase(text[], text[], text[], text) from public, anon, authenticated;
grant execute on function public.cx_privacy_erase(text[], text[], text[], text) to service_role;

-- shop/redact: the store's personal data everywhere, 48 hours after the app was uninstalled; each customer's rows
-- keep one pseudonym (a salted hash, the salt forgotten), so the store's own totals still add up.
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
	return counts;
end;
$$;

revoke all on function public.cx_privacy_erase_shop() from public, anon, authenticated;
grant execute on function public.cx_privacy_erase_shop() to service_role;

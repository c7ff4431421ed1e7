-- Before it plans, a win-back run reads who was in touch lately: customers with a ticket still open, customers
-- compensated lately, the win-back sends within the cooldown and this campaign window's rows, and the erased
-- customers' key hashes. One call returns all four as one JSON value (sets of rows would be cut at PostgREST's
-- max-rows and cost a request a page each). The filters come from the caller, where each table's rules live
-- (which ticket statuses are open, which ledger statuses are not compensations).
create or replace function public.cx_winback_context(
	open_statuses text[],
	compensated_since timestamptz,
	not_compensation_statuses text[],
	sent_since timestamptz,
	plan_window text
)
returns jsonb
language sql
stable
set search_path = ''
as $$
	select jsonb_build_object(
		'open_tickets', coalesce((
			select jsonb_agg(jsonb_build_object('id', t.id, 'customer_id', t.customer_id, 'customer_email', t.customer_email) order by t.id)
			from public.tickets t
			where t.status = any (open_statuses)
		), '[]'::jsonb),
		'compensations', coalesce((
			select jsonb_agg(jsonb_build_object('id', c.id, 'customer_id', c.customer_id, 'customer_email', c.customer_email, 'created_at', c.created_at, 'status', c.status) order by c.id)
			from public.compensation_ledger c
			where c.created_at >= compensated_since and not (c.status = any (not_compensation_statuses))
		), '[]'::jsonb),
		'sends', coalesce((
			select jsonb_agg(to_jsonb(w) order by w.id)
			from (
				select s.id, s.customer_id, s.customer_email, s.campaign_window, s.segment, s.offer, s.offer_percent, s.discount_code,
					s.discount_id, s.message_id, s.status, s.sent_at, s.sending_since
				from public.winback_sends s
				where s.sent_at >= sent_since or s.campaign_window = plan_window
			) w
		), '[]'::jsonb),
		'erased_keys', coalesce((select jsonb_agg(e.key_hash order by e.key_hash) from public.erased_customers e), '[]'::jsonb)
	);
$$;

comment on function public.cx_winback_context(text[], timestamptz, text[], timestamptz, text) is 'What a win-back run reads before it plans, in one JSON value: open tickets'' customers, recent compensations, win-back sends within the cooldown and of the window, erased customers'' key hashes (CX Director).';

-- service_role only, as the tables
revoke all on function public.cx_winback_context(text[], timestamptz, text[], timestamptz, text) from public, anon, authenticated;
grant execute on function public.cx_winback_context(text[], timestamptz, text[], timestamptz, text) to service_role;

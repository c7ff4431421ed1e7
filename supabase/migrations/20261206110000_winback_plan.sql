-- A win-back run writes the rows of the customers it will mail (a row already there, from an earlier run of the
-- window, keeps its code and status) and reads them back to act on what the ledger holds. Both are made one call,
-- the rows read back as one JSON value (a set of rows would be cut at PostgREST's max-rows), so a campaign's plan
-- costs one Supabase request instead of one per 500 rows written and one per 1,000 read.
create or replace function public.cx_winback_plan(plan_window text, planned jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
begin
	insert into public.winback_sends (customer_id, customer_email, campaign_window, segment, offer, offer_percent, rfm, discount_code, status)
	select r.customer_id, r.customer_email, plan_window, r.segment, r.offer, r.offer_percent, r.rfm, r.discount_code, r.status
	from jsonb_to_recordset(planned) as r(customer_id text, customer_email text, segment text, offer text, offer_percent numeric, rfm text, discount_code text, status text)
	on conflict (customer_id, campaign_window) do nothing;
	return coalesce((
		select jsonb_agg(to_jsonb(w) order by w.id)
		from (
			select s.id, s.customer_id, s.customer_email, s.campaign_window, s.segment, s.offer, s.offer_percent, s.discount_code,
				s.discount_id, s.message_id, s.status, s.sent_at, s.sending_since
			from public.winback_sends s
			where s.campaign_window = plan_window
				and s.customer_id in (select p.customer_id from jsonb_to_recordset(planned) as p(customer_id text))
		) w
	), '[]'::jsonb);
end;
$$;

comment on function public.cx_winback_plan(text, jsonb) is 'Writes the win-back rows of a campaign window that are not there yet and returns those customers'' rows as they stand (CX Director).';

-- service_role only, as the tables
revoke all on function public.cx_winback_plan(text, jsonb) from public, anon, authenticated;
grant execute on function public.cx_winback_plan(text, jsonb) to service_role;

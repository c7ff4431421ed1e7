-- CX Director: the previous health score of many customers in one request. PostgREST alone cannot pick
-- each customer's latest row, and reading every earlier score of a customer scored daily grows without end.
-- Idempotent, like the other migrations.
create or replace function public.cx_previous_health_scores(customer_ids text[], before_day date)
returns setof public.customer_health_scores
language sql
stable
set search_path = ''
as $$
	-- one row per stored customer id: its latest score on a day before before_day (index customer_health_scores_latest_idx)
	select distinct on (s.customer_id) s.*
	from public.customer_health_scores s
	where s.customer_id = any (customer_ids) and s.scored_on < before_day
	order by s.customer_id, s.scored_on desc;
$$;

comment on function public.cx_previous_health_scores(text[], date) is 'Each customer''s latest health score before a day (CX Director).';

-- service_role only, as the tables (see the first migration's header)
revoke all on function public.cx_previous_health_scores(text[], date) from public, anon, authenticated;
grant execute on function public.cx_previous_health_scores(text[], date) to service_role;

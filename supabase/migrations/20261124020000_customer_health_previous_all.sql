-- CX Director: the previous health scores of every customer, for runs that score the whole store. customer_ids
-- null means every customer, read a page at a time after a customer id: an offset would make each page redo
-- the pages before it. Idempotent, like the other migrations.

-- the two-argument form goes: beside the four-argument one PostgREST could not tell which a call means
drop function if exists public.cx_previous_health_scores(text[], date);

create or replace function public.cx_previous_health_scores(customer_ids text[], before_day date, after_customer_id text default null, max_rows integer default null)
returns setof public.customer_health_scores
language plpgsql
stable
set search_path = ''
as $$
begin
	-- one row per stored customer id, ordered by it: its latest score on a day before before_day (index
	-- customer_health_scores_latest_idx); two queries, so neither plan carries the other's filter
	if customer_ids is null then
		return query
			select distinct on (s.customer_id) s.*
			from public.customer_health_scores s
			where s.customer_id > coalesce(after_customer_id, '') and s.scored_on < before_day
			order by s.customer_id, s.scored_on desc
			limit max_rows;
	else
		return query
			select distinct on (s.customer_id) s.*
			from public.customer_health_scores s
			where s.customer_id = any (customer_ids) and s.customer_id > coalesce(after_customer_id, '') and s.scored_on < before_day
			order by s.customer_id, s.scored_on desc
			limit max_rows;
	end if;
end;
$$;

comment on function public.cx_previous_health_scores(text[], date, text, integer) is 'Each customer''s latest health score before a day, of these customers or of every one, a page at a time (CX Director).';

-- service_role only, as the tables (see the first migration's header)
revoke all on function public.cx_previous_health_scores(text[], date, text, integer) from public, anon, authenticated;
grant execute on function public.cx_previous_health_scores(text[], date, text, integer) to service_role;

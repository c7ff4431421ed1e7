-- CX Director: moving win-back sends from one state to the next only from the states allowed before it,
-- in one statement, so two runs of the same campaign at once never set a row back (a row one run sent is
-- not made `coded` again by the other) and each mails only the rows it moved to `sending` itself.
create or replace function public.cx_move_winback_sends(
	send_ids uuid[],
	from_statuses text[],
	to_status text,
	new_discount_id text default null,
	new_last_error text default null
)
returns setof uuid
language sql
volatile
set search_path = ''
as $$
	update public.winback_sends
	set status = to_status,
		discount_id = coalesce(new_discount_id, discount_id),
		last_error = new_last_error,
		updated_at = now()
	where id = any (send_ids) and status = any (from_statuses)
	returning id;
$$;

comment on function public.cx_move_winback_sends(uuid[], text[], text, text, text) is 'Moves win-back sends between states, only from the given ones, and returns those it moved (CX Director).';

-- service_role only, as the tables
revoke all on function public.cx_move_winback_sends(uuid[], text[], text, text, text) from public, anon, authenticated;
grant execute on function public.cx_move_winback_sends(uuid[], text[], text, text, text) to service_role;

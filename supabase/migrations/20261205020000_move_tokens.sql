-- A move between states (pending -> sending, coded -> sending) is the claim that keeps an email from going out twice.
-- When the move is made but its answer is lost (a 5xx after the update, a cut connection), the retried move finds
-- the rows already moved and returns none: the rows stayed "sending" and were never mailed. Each move now carries a
-- token the rows it moved keep, so a retried move recognises them as its own.
alter table public.winback_sends add column if not exists move_token uuid;
alter table public.survey_invites add column if not exists move_token uuid;

drop function if exists public.cx_move_winback_sends(uuid[], text[], text, text, text);

create or replace function public.cx_move_winback_sends(
	send_ids uuid[],
	from_statuses text[],
	to_status text,
	new_discount_id text default null,
	new_last_error text default null,
	new_move_token uuid default null
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
		move_token = new_move_token,
		updated_at = now()
	where id = any (send_ids)
		and (status = any (from_statuses) or (new_move_token is not null and move_token = new_move_token and status = to_status))
	returning id;
$$;

comment on function public.cx_move_winback_sends(uuid[], text[], text, text, text, uuid) is 'Moves win-back sends between states, only from the given ones (or again, by the same move), and returns those it moved (CX Director).';

-- service_role only, as the tables
revoke all on function public.cx_move_winback_sends(uuid[], text[], text, text, text, uuid) from public, anon, authenticated;
grant execute on function public.cx_move_winback_sends(uuid[], text[], text, text, text, uuid) to service_role;

-- CX Director: a win-back send moved to "sending" records when (the run's Now), so a row a run left there (n8n was
-- stopped, the worker died, SendGrid's answer was unclear) can be judged later by SendGrid's Email Activity: shown
-- there, it is sent; surely absent once the activity has had time to show it, it goes back to "coded" and is mailed.
-- Idempotent, like the other migrations.
alter table public.winback_sends add column if not exists sending_since timestamptz;

comment on column public.winback_sends.sending_since is 'When a run moved the row to sending (its Now): a row still sending long after was left by a run that did not finish.';

drop function if exists public.cx_move_winback_sends(uuid[], text[], text, text, text, uuid);

create or replace function public.cx_move_winback_sends(
	send_ids uuid[],
	from_statuses text[],
	to_status text,
	new_discount_id text default null,
	new_last_error text default null,
	new_move_token uuid default null,
	new_sending_since timestamptz default null
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
		sending_since = case when to_status = 'sending' then coalesce(new_sending_since, sending_since) else null end,
		updated_at = now()
	where id = any (send_ids)
		and (status = any (from_statuses) or (new_move_token is not null and move_token = new_move_token and status = to_status))
	returning id;
$$;

comment on function public.cx_move_winback_sends(uuid[], text[], text, text, text, uuid, timestamptz) is 'Moves win-back sends between states, only from the given ones (or again, by the same move), and returns those it moved (CX Director).';

-- service_role only, as the tables
revoke all on function public.cx_move_winback_sends(uuid[], text[], text, text, text, uuid, timestamptz) from public, anon, authenticated;
grant execute on function public.cx_move_winback_sends(uuid[], text[], text, text, text, uuid, timestamptz) to service_role;

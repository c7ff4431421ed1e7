-- A win-back run sends its batches one after another: each batch is claimed (coded -> sending) before its email
-- request and marked sent after it. Marking one batch sent and claiming the next are made one call, in one
-- transaction, so a campaign costs one Supabase request a batch instead of two. What a crash leaves is unchanged:
-- a batch whose request went out and whose "sent" was not written stays sending, for the next run to settle by
-- SendGrid's activity, exactly as before.
create or replace function public.cx_winback_sent_and_claim(
	sent_ids uuid[],
	sent_message_id text,
	sent_at_time timestamptz,
	claim_ids uuid[],
	claim_move_token uuid,
	claim_sending_since timestamptz
)
returns setof uuid
language plpgsql
volatile
set search_path = ''
as $$
begin
	-- what the earlier "sent" write set, and only that: status, SendGrid's message id, when, no error
	update public.winback_sends
	set status = 'sent',
		message_id = sent_message_id,
		sent_at = sent_at_time,
		last_error = null,
		updated_at = sent_at_time
	where id = any (coalesce(sent_ids, '{}'));
	-- the claim, as cx_move_winback_sends makes it (its token lets a retried call find the rows it claimed)
	return query select public.cx_move_winback_sends(coalesce(claim_ids, '{}'), array['coded'], 'sending', null, null, claim_move_token, claim_sending_since);
end;
$$;

comment on function public.cx_winback_sent_and_claim(uuid[], text, timestamptz, uuid[], uuid, timestamptz) is 'Marks a win-back batch sent and claims the next one in one transaction; returns the ids it claimed (CX Director).';

-- service_role only, as the tables
revoke all on function public.cx_winback_sent_and_claim(uuid[], text, timestamptz, uuid[], uuid, timestamptz) from public, anon, authenticated;
grant execute on function public.cx_winback_sent_and_claim(uuid[], text, timestamptz, uuid[], uuid, timestamptz) to service_role;

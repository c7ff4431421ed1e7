-- A win-back run sends its batches one after another: each batch is claimed (coded -> sending) before its email
-- request and marked sent after it. Marking one batch sent and claiming the next are made one call, in one
-- transaction, so a campaign costs one Supabase request a batch instead of two; the first call also marks coded the
-- rows whose discount codes the run has just made. What a crash leaves is unchanged: a batch whose request went out
-- and whose "sent" was not written stays sending, for the next run to settle by SendGrid's activity; rows whose codes
-- were made and not yet marked coded stay pending, and the next run adds the same codes again (Shopify answers that
-- they are there) and goes on.
create or replace function public.cx_winback_sent_and_claim(
	coded_ids uuid[],
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
	-- codes made: pending (or failed before) -> coded, as cx_move_winback_sends moves them
	perform public.cx_move_winback_sends(coalesce(coded_ids, '{}'), array['pending', 'failed'], 'coded', null, null, null, null);
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

comment on function public.cx_winback_sent_and_claim(uuid[], uuid[], text, timestamptz, uuid[], uuid, timestamptz) is 'Marks win-back rows coded, a batch sent, and claims the next batch, in one transaction; returns the ids it claimed (CX Director).';

-- service_role only, as the tables
revoke all on function public.cx_winback_sent_and_claim(uuid[], uuid[], text, timestamptz, uuid[], uuid, timestamptz) from public, anon, authenticated;
grant execute on function public.cx_winback_sent_and_claim(uuid[], uuid[], text, timestamptz, uuid[], uuid, timestamptz) to service_role;

-- A claim whose call failed past its retries may still have been made (the answer lost each time): the run gives it
-- back by its token before it stops, so the rows are not left claimed and unmailed until SendGrid's activity shows
-- they were not sent. Only the rows that claim took (its token, still sending) go back to coded.
create or replace function public.cx_winback_release_claim(claim_move_token uuid)
returns setof uuid
language sql
volatile
set search_path = ''
as $$
	update public.winback_sends
	set status = 'coded',
		move_token = null,
		sending_since = null,
		updated_at = now()
	where claim_move_token is not null and move_token = claim_move_token and status = 'sending'
	returning id;
$$;

comment on function public.cx_winback_release_claim(uuid) is 'Gives back the win-back rows one claim took, by its token, while they are still sending (CX Director).';

revoke all on function public.cx_winback_release_claim(uuid) from public, anon, authenticated;
grant execute on function public.cx_winback_release_claim(uuid) to service_role;

-- CX Director: an escalation's email is claimed before it is sent, as every email of the pack is (the ledger's
-- one rule, docs/architecture.md "Exactly once"): notify_claimed_at is set from null with the claim's token in
-- one conditional update, so two runs at once page a level once; a refusal or a gateway failure releases it for
-- the next run; an unclear answer keeps it, and the escalation is reported unconfirmed rather than paged twice.
-- Idempotent, like the other migrations; RLS and grants are those of the first migration.
alter table public.escalations
	add column if not exists notify_claimed_at timestamptz,
	add column if not exists notification_claim text;

comment on column public.escalations.notify_claimed_at is 'When a run claimed this escalation''s email (the run''s Now); null while unclaimed.';
comment on column public.escalations.notification_claim is 'The token of that claim: only the run that made it settles or releases it.';

-- CX Director: the apology for a compensation is claimed before it is sent, as every email of the pack is (the
-- ledger's one rule, docs/architecture.md "Exactly once"): notify_claimed_at is set from null with the claim's
-- token in one conditional update; a refusal or a gateway failure releases it for the next run; an unclear answer
-- keeps it, and the apology is reported unconfirmed rather than sent twice.
-- Idempotent, like the other migrations; RLS and grants are those of the first migration.
alter table public.compensation_ledger
	add column if not exists notify_claimed_at timestamptz,
	add column if not exists notification_claim text;

comment on column public.compensation_ledger.notify_claimed_at is 'When a run claimed the apology email (the run''s Now); null while unclaimed.';
comment on column public.compensation_ledger.notification_claim is 'The token of that claim: only the run that made it settles or releases it.';

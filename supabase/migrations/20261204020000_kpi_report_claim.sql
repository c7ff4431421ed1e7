-- CX Director: a week's report email is claimed before it is sent, as every email of the pack is (the ledger's
-- one rule, docs/architecture.md "Exactly once"): send_claimed_at is set from null with the claim's token in one
-- conditional update; a refusal or a gateway failure releases it for the next run; an unclear answer keeps it,
-- and the week is reported unconfirmed rather than mailed twice.
-- Idempotent, like the other migrations; RLS and grants are those of the first migration.
alter table public.kpi_reports
	add column if not exists send_claimed_at timestamptz,
	add column if not exists send_claim text;

comment on column public.kpi_reports.send_claimed_at is 'When a run claimed this week''s email (the run''s Now); null while unclaimed.';
comment on column public.kpi_reports.send_claim is 'The token of that claim: only the run that made it settles or releases it.';

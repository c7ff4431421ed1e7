-- CX Director: a payout is claimed before it is made. CX Delay Compensation moves a ledger row to "paying" (with a
-- token of that attempt, the run's Now and one more attempt) in one conditional update before it asks Stripe or
-- Shopify for money, and completes it after. A row left "paying" was being paid by a run that did not finish (n8n
-- was stopped, the worker died): the next run checks the service for the payout before asking again (Stripe by the
-- row's key in the balance transaction's metadata, Shopify by the refund's note or the discount code's name) and
-- gives a store credit, which Shopify cannot look up by key, to a person. Idempotent, like the other migrations.
alter table public.compensation_ledger
	add column if not exists payout_claim uuid,
	add column if not exists payout_claimed_at timestamptz;

alter table public.compensation_ledger_superseded
	add column if not exists payout_claim uuid,
	add column if not exists payout_claimed_at timestamptz;

comment on column public.compensation_ledger.payout_claim is 'The token of the latest payout attempt: the run that set it completes the row.';
comment on column public.compensation_ledger.payout_claimed_at is 'When that attempt began (the run''s Now); a row still "paying" long after it was left by a run that did not finish.';

alter table public.compensation_ledger drop constraint if exists compensation_ledger_status_check;
alter table public.compensation_ledger add constraint compensation_ledger_status_check
	check (status in ('pending', 'paying', 'completed', 'failed', 'needs_approval', 'skipped', 'declined', 'expired'));

drop index if exists public.compensation_ledger_open_idx;
create index if not exists compensation_ledger_open_idx
	on public.compensation_ledger (created_at)
	where status in ('pending', 'paying', 'failed', 'needs_approval');

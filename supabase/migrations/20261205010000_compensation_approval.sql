-- CX Director: a person's approval of a compensation that waits for one (Needs Approval). CX Delay Compensation's
-- Request Approval claims the row for one request (approval_requested_at from null, with a token that only the
-- approver's links carry), and Settle Approval records the answer once: approved (then paid, once), declined, or
-- expired when nobody answered in time. Declined and expired rows are not compensations: nothing was paid.
-- Idempotent, like the other migrations.
alter table public.compensation_ledger
	add column if not exists order_name text,
	add column if not exists approval_token text,
	add column if not exists approval_requested_to text,
	add column if not exists approval_requested_at timestamptz,
	add column if not exists approval_expires_at timestamptz,
	add column if not exists approval_decision text,
	add column if not exists approval_decided_by text,
	add column if not exists approval_decided_at timestamptz;

-- the rows moved aside by 20261204100000 keep every column of the ledger
alter table public.compensation_ledger_superseded
	add column if not exists order_name text,
	add column if not exists approval_token text,
	add column if not exists approval_requested_to text,
	add column if not exists approval_requested_at timestamptz,
	add column if not exists approval_expires_at timestamptz,
	add column if not exists approval_decision text,
	add column if not exists approval_decided_by text,
	add column if not exists approval_decided_at timestamptz;

comment on column public.compensation_ledger.order_name is 'The order''s name (#1013) as the approval request showed it.';
comment on column public.compensation_ledger.approval_token is 'The token of the approval request: the approver''s approve and decline links carry it; null until a request is sent.';
comment on column public.compensation_ledger.approval_requested_to is 'Who was asked to approve (the approver''s email).';
comment on column public.compensation_ledger.approval_decision is 'approved, declined or expired; null while the request is open.';
comment on column public.compensation_ledger.approval_decided_by is 'Who answered: the approver the request went to; "nobody" when it expired.';

do $$
begin
	if not exists (select 1 from pg_constraint where conname = 'compensation_ledger_approval_token_key') then
		alter table public.compensation_ledger add constraint compensation_ledger_approval_token_key unique (approval_token);
	end if;
end $$;

alter table public.compensation_ledger drop constraint if exists compensation_ledger_status_check;
alter table public.compensation_ledger add constraint compensation_ledger_status_check
	check (status in ('pending', 'completed', 'failed', 'needs_approval', 'skipped', 'declined', 'expired'));

alter table public.compensation_ledger drop constraint if exists compensation_ledger_approval_decision_check;
alter table public.compensation_ledger add constraint compensation_ledger_approval_decision_check
	check (approval_decision is null or approval_decision in ('approved', 'declined', 'expired'));

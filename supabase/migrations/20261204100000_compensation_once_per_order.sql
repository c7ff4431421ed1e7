-- CX Director: one compensation per order and reason, ever. The unique key was (order, reason, policy version),
-- so any policy edit (a holiday added, the time zone set) made every compensated order in the lookback eligible
-- for a second code and a second apology. The key is now (order, reason); policy_version stays on the row as the
-- version the compensation was decided under, and a changed policy applies only to orders not yet compensated.
--
-- Rows that the old key let in twice for one order and reason are not deleted: each is moved to
-- compensation_ledger_superseded (same columns, plus when and why), so no record of money paid is lost. The row
-- kept is the one that paid (completed, or with a payout reference), else the earliest (created_at, then id).
-- Idempotent, like the other migrations.

create table if not exists public.compensation_ledger_superseded (
	like public.compensation_ledger including defaults,
	superseded_at timestamptz not null default now(),
	superseded_by uuid
);

comment on table public.compensation_ledger_superseded is
	'Compensation ledger rows that repeated an order and reason under another policy version, moved here when the ledger became one row per order and reason (CX Director).';

with ranked as (
	select
		id,
		first_value(id) over w as kept_id,
		row_number() over w as rank
	from public.compensation_ledger
	window w as (
		partition by order_id, reason
		order by (status = 'completed' or payout_reference is not null) desc, created_at, id
	)
),
moved as (
	-- by column name, not position: the ledger gains columns in later migrations, added to both tables
	insert into public.compensation_ledger_superseded
	select (jsonb_populate_record(null::public.compensation_ledger_superseded, to_jsonb(ledger) || jsonb_build_object('superseded_at', now(), 'superseded_by', ranked.kept_id))).*
	from public.compensation_ledger ledger
	join ranked on ranked.id = ledger.id
	where ranked.rank > 1
	returning id
)
delete from public.compensation_ledger where id in (select id from moved);

alter table public.compensation_ledger drop constraint if exists compensation_ledger_order_reason_policy_key;

do $$
begin
	if not exists (select 1 from pg_constraint where conname = 'compensation_ledger_order_reason_key') then
		alter table public.compensation_ledger
			add constraint compensation_ledger_order_reason_key unique (order_id, reason);
	end if;
end $$;

comment on table public.compensation_ledger is 'Compensation granted once per order and reason, with the policy version it was decided under (CX Director).';
comment on column public.compensation_ledger.policy_version is 'The delay policy version the compensation was decided under; a later policy does not compensate the order again.';

-- Access: service_role only, as the first migration sets for every table.
alter table public.compensation_ledger_superseded enable row level security;
revoke all on table public.compensation_ledger_superseded from anon, authenticated;
grant all on table public.compensation_ledger_superseded to service_role;

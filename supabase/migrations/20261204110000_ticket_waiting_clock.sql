-- CX Director: a ticket can wait on the customer, and while it waits its resolution clock is paused, as
-- helpdesks do. Status on_hold joins open, pending, solved and closed; paused_since (when the current wait
-- began, null while the clock runs) and paused_seconds (time spent waiting in earlier pauses) record the
-- paused time. The SLA sweep reads the resolution as due at resolution_due_at + paused_seconds (+ the time
-- since paused_since while paused) and never escalates a pending or on-hold ticket for its resolution.
-- Idempotent, like the other migrations; RLS and grants are those of the first migration.
alter table public.tickets
	add column if not exists paused_since timestamptz,
	add column if not exists paused_seconds integer not null default 0;

alter table public.tickets drop constraint if exists tickets_status_check;
alter table public.tickets
	add constraint tickets_status_check check (status in ('open', 'pending', 'on_hold', 'solved', 'closed'));
alter table public.tickets drop constraint if exists tickets_paused_seconds_check;
alter table public.tickets
	add constraint tickets_paused_seconds_check check (paused_seconds >= 0);

comment on column public.tickets.paused_since is 'When the ticket began waiting on the customer (its resolution clock paused since); null while the clock runs.';
comment on column public.tickets.paused_seconds is 'Seconds the ticket waited on the customer in earlier pauses: they do not count towards the resolution target.';

-- The SLA sweep's partial indexes cover the tickets still waiting for the store, on hold included.
drop index if exists public.tickets_first_response_due_idx;
create index if not exists tickets_first_response_due_idx
	on public.tickets (first_response_due_at)
	where status in ('open', 'pending', 'on_hold') and first_responded_at is null;
drop index if exists public.tickets_resolution_due_idx;
create index if not exists tickets_resolution_due_idx
	on public.tickets (resolution_due_at)
	where status in ('open', 'pending', 'on_hold') and resolved_at is null;

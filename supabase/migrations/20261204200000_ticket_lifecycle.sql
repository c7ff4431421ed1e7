-- CX Director: the ticket's life after triage, as the helpdesk tells it. Every helpdesk event (an agent or a
-- customer reply, a status change, a reopen, an assignment) is kept once in ticket_events, unique by its
-- source and the source's event id, so a webhook delivered twice is one event. The ticket's lifecycle
-- columns are folded from all its events in time order, so a late, duplicated or out-of-order event never
-- moves a clock backwards and a closed ticket is reopened once per real reopen.
-- Idempotent, like the other migrations.
create table if not exists public.ticket_events (
	id uuid primary key default gen_random_uuid(),
	-- The helpdesk (zendesk, gorgias, freshdesk, helpscout, or the store's own name) and its event id.
	source text not null,
	event_id text not null,
	-- tickets.external_id of the ticket the event belongs to.
	ticket_external_id text not null,
	-- agent_reply, customer_reply, status_change, reopen, assignment, internal_note
	kind text not null,
	-- For a status change: the status after it (open, pending, on_hold, solved, closed).
	status text,
	-- For an assignment: the agent now assigned (null when unassigned).
	assignee text,
	-- Who acted: the agent's or the customer's id or email, as the helpdesk names them.
	actor text,
	occurred_at timestamptz not null,
	-- The payload as received, trimmed to what the pack reads (never a credential).
	payload jsonb,
	created_at timestamptz not null default now(),
	constraint ticket_events_source_event_key unique (source, event_id),
	constraint ticket_events_kind_check check (kind in ('agent_reply', 'customer_reply', 'status_change', 'reopen', 'assignment', 'internal_note')),
	constraint ticket_events_status_check check (status is null or status in ('open', 'pending', 'on_hold', 'solved', 'closed'))
);

comment on table public.ticket_events is 'Helpdesk events per ticket, each kept once (CX Director): the ticket lifecycle is folded from them.';

create index if not exists ticket_events_ticket_idx on public.ticket_events (ticket_external_id, occurred_at);

alter table public.ticket_events enable row level security;
revoke all on table public.ticket_events from anon, authenticated;
grant all on table public.ticket_events to service_role;

-- The lifecycle columns, folded from the events (first_responded_at, resolved_at, status, paused_since and
-- paused_seconds exist already).
alter table public.tickets
	add column if not exists assignee text,
	-- When the ticket was first solved (resolved_at is the latest solve).
	add column if not exists first_resolved_at timestamptz,
	-- Times a solved or closed ticket was opened again.
	add column if not exists reopen_count integer not null default 0,
	-- Public agent replies before the first solve (first-contact resolution: one reply, never reopened).
	add column if not exists replies_to_resolution integer,
	add column if not exists agent_replies integer not null default 0,
	add column if not exists customer_replies integer not null default 0,
	-- Time the customer waited on the store (open, not solved, not pending, not on hold), in seconds.
	add column if not exists requester_wait_seconds integer not null default 0,
	-- Time on hold (waiting on a third party), in seconds; paused_seconds holds pending and on hold together.
	add column if not exists on_hold_seconds integer not null default 0,
	-- The latest event folded in, and how many events the row is folded from.
	add column if not exists last_event_at timestamptz,
	add column if not exists event_count integer not null default 0;

alter table public.tickets drop constraint if exists tickets_lifecycle_counts_check;
alter table public.tickets
	add constraint tickets_lifecycle_counts_check check (
		reopen_count >= 0 and agent_replies >= 0 and customer_replies >= 0 and requester_wait_seconds >= 0
		and on_hold_seconds >= 0 and event_count >= 0 and (replies_to_resolution is null or replies_to_resolution >= 0)
	);

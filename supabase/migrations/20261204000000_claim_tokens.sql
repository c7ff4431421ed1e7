-- CX Director: claims carry a token of their own. acknowledged_at, reminded_at and escalated_at hold the run's
-- Now (a replay or a test may set it), so two runs as of the same Now would stamp the same time: the token,
-- random per claim, is what a run settles or takes back, so it never touches a claim another run made.
-- Idempotent, like the other migrations; RLS and grants are those of the first migration.
alter table public.tickets
	add column if not exists acknowledgement_claim text;

alter table public.feedback_items
	add column if not exists reminder_claim text,
	add column if not exists escalation_claim text;

comment on column public.tickets.acknowledgement_claim is 'The token of the claim behind acknowledged_at: the run that set it settles or releases it, no other.';
comment on column public.feedback_items.reminder_claim is 'The token of the claim behind reminded_at.';
comment on column public.feedback_items.escalation_claim is 'The token of the claim behind escalated_at.';

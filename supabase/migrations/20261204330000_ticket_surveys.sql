-- CX Director: satisfaction after support. Once a ticket is solved, its customer gets one CSAT question about
-- it through the survey machinery: the invitation names the ticket and the agent who solved it, and the answer
-- inherits both, so support CSAT can be read per ticket and per agent.
-- A ticket's invitation has no order (order_id null: the post-purchase survey's one question per order and type
-- is left as it is, and null order ids never meet in its unique key); its own key is one question per ticket
-- and type, so a ticket solved, reopened and solved again is still asked once.
-- ticket_resolved_at is the solve the invitation was made for: the next run catches up from the latest one.
-- Idempotent, like the other migrations; RLS and grants are those of the earlier migrations.
alter table public.survey_invites
	alter column order_id drop not null,
	add column if not exists ticket_id text,
	add column if not exists agent text,
	add column if not exists ticket_resolved_at timestamptz;

alter table public.survey_invites drop constraint if exists survey_invites_ticket_type_key;
alter table public.survey_invites add constraint survey_invites_ticket_type_key unique (ticket_id, type);

-- Every invitation is about an order or a ticket.
alter table public.survey_invites drop constraint if exists survey_invites_subject_check;
alter table public.survey_invites add constraint survey_invites_subject_check check (order_id is not null or ticket_id is not null);

-- Where the support survey's catch-up starts: the latest solve already asked about.
create index if not exists survey_invites_ticket_resolved_idx on public.survey_invites (type, ticket_resolved_at desc) where ticket_id is not null;

alter table public.survey_responses
	add column if not exists ticket_id text,
	add column if not exists agent text;

create index if not exists survey_responses_ticket_idx on public.survey_responses (ticket_id) where ticket_id is not null;
create index if not exists survey_responses_agent_idx on public.survey_responses (agent, responded_at) where agent is not null;

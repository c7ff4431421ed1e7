-- CX Director: post-purchase survey invitations, one per order and question type, written before the email.
-- The token in the answer links is the key of the answer too: survey_responses.external_id = token, so a
-- second click replaces the first answer and a repeated webhook delivery stores one row.
-- An invite moves pending -> sending -> sent, each step only from the one before: two runs at once mail an
-- order once, and an invite whose send ended unclear stays `sending` and is never mailed again.
create table if not exists public.survey_invites (
	id uuid primary key default gen_random_uuid(),
	-- Random and unguessable (120 bits, base32): whoever holds it may answer for this order, nothing more.
	token text not null,
	order_id text not null,
	order_name text,
	customer_id text,
	-- Lower-cased, so the per-customer throttle finds a customer by email as well as by id.
	customer_email text not null,
	type text not null,
	tier text,
	delivered_at timestamptz,
	status text not null default 'pending',
	message_id text,
	last_error text,
	sent_at timestamptz,
	answered_at timestamptz,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	constraint survey_invites_token_key unique (token),
	-- One survey of a kind per order: a rerun, or two runs at once, never asks about an order twice.
	constraint survey_invites_order_type_key unique (order_id, type),
	constraint survey_invites_type_check check (type in ('nps', 'csat')),
	constraint survey_invites_status_check check (status in ('pending', 'sending', 'sent'))
);

comment on table public.survey_invites is 'Post-purchase survey invitations and their answer tokens (CX Director).';

-- The throttle: a customer's invites, by id and by email.
create index if not exists survey_invites_customer_idx on public.survey_invites (customer_id);
create index if not exists survey_invites_email_idx on public.survey_invites (customer_email);

create or replace trigger survey_invites_set_updated_at
	before update on public.survey_invites
	for each row execute function public.cx_set_updated_at();

-- service_role only, as the other tables (20261122000000_cx_director.sql, "Access")
alter table public.survey_invites enable row level security;
revoke all on table public.survey_invites from anon, authenticated;
grant all on table public.survey_invites to service_role;

-- CX Director: the tables the pack's nodes read and write.
--
-- Apply with the Supabase CLI (`supabase db push` / `supabase migration up`) or paste into the SQL editor.
-- Every statement is idempotent, so running the file again is harmless.
--
-- Every table that records a side effect (an escalation e-mail, a refund or credit, a win-back send)
-- carries the unique key that identifies that side effect, so a workflow retried after a crash or
-- a timeout finds the earlier row instead of acting twice.
--
-- Access: the nodes use the service_role key. Supabase grants anon and authenticated every table in
-- public by default; these tables hold customer data, so that access is revoked and row level security
-- is enabled with no policies (service_role bypasses RLS; anon and authenticated see nothing).
-- Ids are uuids, so there are no sequences to grant.

-- Keeps updated_at current on every update, whoever writes the row.
-- An empty search_path keeps the function safe from objects created in other schemas.
create or replace function public.cx_set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
	new.updated_at := now();
	return new;
end;
$$;

revoke all on function public.cx_set_updated_at() from public, anon, authenticated;

-- ---------------------------------------------------------------------------------------------------
-- tickets: one row per support ticket, with the triage decision that classified it.
create table if not exists public.tickets (
	id uuid primary key default gen_random_uuid(),
	-- The help desk's id: triage upserts on it, so triaging a ticket again updates its row.
	external_id text not null,
	channel text,
	subject text,
	body text,
	customer_id text,
	customer_email text,
	order_id text,
	tier text,
	interaction_type text,
	issue_type text,
	sentiment text,
	sentiment_score numeric,
	priority text,
	resolution_type text,
	follow_up text,
	primary_intent text,
	intents text[],
	tags text[],
	threatening boolean,
	urgent boolean,
	confidence text,
	reasons jsonb,
	request jsonb,
	triage jsonb,
	status text not null default 'open',
	ticket_created_at timestamptz,
	first_response_due_at timestamptz,
	resolution_due_at timestamptz,
	first_responded_at timestamptz,
	resolved_at timestamptz,
	escalation_level int not null default 0,
	triaged_at timestamptz,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	-- Upsert key (onConflict: 'external_id'): a ticket triaged twice stays one row.
	constraint tickets_external_id_key unique (external_id),
	constraint tickets_status_check check (status in ('open', 'pending', 'solved', 'closed'))
);

comment on table public.tickets is 'Support tickets and their triage decision (CX Director).';
comment on column public.tickets.request is 'The triage request as received.';
comment on column public.tickets.triage is 'The whole triage decision.';

-- The SLA watcher looks for open tickets whose first response or resolution is due.
create index if not exists tickets_first_response_due_idx
	on public.tickets (first_response_due_at)
	where status in ('open', 'pending') and first_responded_at is null;
create index if not exists tickets_resolution_due_idx
	on public.tickets (resolution_due_at)
	where status in ('open', 'pending') and resolved_at is null;
create index if not exists tickets_customer_idx on public.tickets (customer_id);

create or replace trigger tickets_set_updated_at
	before update on public.tickets
	for each row execute function public.cx_set_updated_at();

-- ---------------------------------------------------------------------------------------------------
-- escalations: one row per ticket and escalation level (1 team lead, 2 director, 3 executive).
create table if not exists public.escalations (
	id uuid primary key default gen_random_uuid(),
	ticket_external_id text not null,
	level smallint not null,
	customer_id text,
	customer_email text,
	tier text,
	priority text,
	reasons jsonb,
	recipients text[],
	status text not null default 'pending',
	message_id text,
	tagged_at timestamptz,
	notified_at timestamptz,
	attempts int not null default 0,
	last_error text,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	-- One notification per ticket and level: a rerun finds the row and does not page anyone twice.
	constraint escalations_ticket_level_key unique (ticket_external_id, level),
	constraint escalations_level_check check (level between 1 and 3),
	constraint escalations_status_check check (status in ('pending', 'notified', 'failed')),
	constraint escalations_attempts_check check (attempts >= 0)
);

comment on table public.escalations is 'Escalations sent per ticket and level (CX Director).';

-- Retries pick up escalations that were recorded but not yet notified.
create index if not exists escalations_unsent_idx
	on public.escalations (created_at)
	where status in ('pending', 'failed');

create or replace trigger escalations_set_updated_at
	before update on public.escalations
	for each row execute function public.cx_set_updated_at();

-- ---------------------------------------------------------------------------------------------------
-- compensation_ledger: refunds, credits and discount codes granted for a delay or a fault.
create table if not exists public.compensation_ledger (
	id uuid primary key default gen_random_uuid(),
	order_id text not null,
	reason text not null,
	policy_version text not null,
	customer_id text,
	customer_email text,
	amount_cents bigint,
	currency char(3),
	method text,
	status text not null default 'pending',
	-- Sent to the payment provider, so a retried payout is not paid twice there either.
	idempotency_key text,
	payout_reference text,
	decision jsonb,
	last_error text,
	created_at timestamptz not null default now(),
	completed_at timestamptz,
	updated_at timestamptz not null default now(),
	-- One compensation per order, reason and policy version: a rerun never pays twice,
	-- while a new policy version may compensate the same order again on purpose.
	constraint compensation_ledger_order_reason_policy_key unique (order_id, reason, policy_version),
	-- One ledger row per provider idempotency key.
	constraint compensation_ledger_idempotency_key_key unique (idempotency_key),
	constraint compensation_ledger_amount_check check (amount_cents >= 0),
	constraint compensation_ledger_status_check
		check (status in ('pending', 'completed', 'failed', 'needs_approval', 'skipped'))
);

comment on table public.compensation_ledger is 'Compensation granted per order, reason and policy version (CX Director).';

create index if not exists compensation_ledger_customer_idx on public.compensation_ledger (customer_id);
create index if not exists compensation_ledger_open_idx
	on public.compensation_ledger (created_at)
	where status in ('pending', 'failed', 'needs_approval');

create or replace trigger compensation_ledger_set_updated_at
	before update on public.compensation_ledger
	for each row execute function public.cx_set_updated_at();

-- ---------------------------------------------------------------------------------------------------
-- winback_sends: win-back offers sent to lapsing customers.
create table if not exists public.winback_sends (
	id uuid primary key default gen_random_uuid(),
	customer_id text not null,
	customer_email text,
	campaign_window text not null,
	segment text,
	offer text,
	discount_code text,
	message_id text,
	status text not null default 'pending',
	sent_at timestamptz,
	created_at timestamptz not null default now(),
	-- One offer per customer and campaign window: a rerun of the campaign sends nothing twice.
	constraint winback_sends_customer_window_key unique (customer_id, campaign_window)
);

comment on table public.winback_sends is 'Win-back offers sent per customer and campaign window (CX Director).';

-- ---------------------------------------------------------------------------------------------------
-- survey_responses: NPS, CSAT and CES answers, the source of the KPI reports.
create table if not exists public.survey_responses (
	id uuid primary key default gen_random_uuid(),
	-- The survey tool's response id: a webhook delivered twice stores one answer.
	external_id text,
	customer_id text,
	customer_email text,
	order_id text,
	type text,
	score numeric,
	comment text,
	channel text,
	tier text,
	issue_type text,
	responded_at timestamptz not null default now(),
	created_at timestamptz not null default now(),
	constraint survey_responses_external_id_key unique (external_id),
	constraint survey_responses_type_check check (type in ('nps', 'csat', 'ces'))
);

comment on table public.survey_responses is 'NPS, CSAT and CES survey answers (CX Director).';

create index if not exists survey_responses_type_responded_idx on public.survey_responses (type, responded_at);
create index if not exists survey_responses_customer_idx on public.survey_responses (customer_id);

-- ---------------------------------------------------------------------------------------------------
-- feedback_items: detractor feedback and complaints that need an owner and a follow-up.
create table if not exists public.feedback_items (
	id uuid primary key default gen_random_uuid(),
	source text not null,
	source_id text not null,
	customer_id text,
	summary text,
	owner text,
	due_at timestamptz,
	status text not null default 'open',
	reminded_at timestamptz,
	escalated_at timestamptz,
	resolved_at timestamptz,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	-- One follow-up per source item (e.g. survey response, review): a rerun does not open it twice.
	constraint feedback_items_source_key unique (source, source_id)
);

comment on table public.feedback_items is 'Feedback that needs a follow-up, with owner and due date (CX Director).';

-- Reminders look for open items by due date.
create index if not exists feedback_items_open_due_idx
	on public.feedback_items (due_at)
	where resolved_at is null;

create or replace trigger feedback_items_set_updated_at
	before update on public.feedback_items
	for each row execute function public.cx_set_updated_at();

-- ---------------------------------------------------------------------------------------------------
-- Access: service_role only (see the header).
alter table public.tickets enable row level security;
alter table public.escalations enable row level security;
alter table public.compensation_ledger enable row level security;
alter table public.winback_sends enable row level security;
alter table public.survey_responses enable row level security;
alter table public.feedback_items enable row level security;

revoke all on table
	public.tickets,
	public.escalations,
	public.compensation_ledger,
	public.winback_sends,
	public.survey_responses,
	public.feedback_items
from anon, authenticated;

grant all on table
	public.tickets,
	public.escalations,
	public.compensation_ledger,
	public.winback_sends,
	public.survey_responses,
	public.feedback_items
to service_role;

-- CX Director: the returns ledger. CX Returns Desk decides each return request once and acts on it through
-- Shopify's Returns API (approve, decline, create, process). A row per return and step is written before any of
-- that, and the Shopify action and each email are claimed on the row (a conditional update) before they happen, so
-- of two runs at once one acts, and a rerun, a retry or a run after a crash never approves, refunds, credits or
-- emails twice: before it acts again, a run reads the return's state and processed quantities in Shopify.
-- It feeds the return rate and return reasons of CX Satisfaction Metrics and CX Customer Health.
-- Idempotent, like the other migrations.

create table if not exists public.return_decisions (
	id bigserial primary key,
	-- Shopify's return GID; for a ticket's request that has no return yet, 'ticket:<ticket id>' until it is created
	return_key text not null,
	-- 'decide' (approve, decline or a person's review) or 'process' (the items received: refund, credit, exchange)
	step text not null check (step in ('decide', 'process')),
	return_id text,
	-- no customer's name, address or id: the order's id is what privacy requests and the reports join on
	order_id text not null,
	source text not null check (source in ('shopify_return', 'ticket')),
	-- approve | decline | review (decide); the resolution carried out (process)
	outcome text not null check (outcome in ('approve', 'decline', 'review', 'processed')),
	resolution text check (resolution in ('exchange', 'store_credit', 'refund')),
	decline_reason text,
	fault text check (fault in ('store', 'customer')),
	-- Shopify's return reasons of its lines (SIZE_TOO_SMALL, DEFECTIVE, ...), for the return-reason report
	return_reasons text[] not null default '{}',
	reasons text[] not null default '{}',
	review_reasons text[] not null default '{}',
	currency text not null,
	returned_cents bigint not null default 0,
	amount_due_cents bigint not null default 0,
	-- the whole decision as the node put it out (amounts, lines, window, offers)
	decision jsonb not null,
	-- pending -> acting (claimed) -> done; needs_review waits for a person; failed keeps Shopify's answer
	status text not null default 'pending' check (status in ('pending', 'acting', 'done', 'needs_review', 'failed')),
	action_claimed_at timestamptz,
	action_token text,
	action_done_at timestamptz,
	action_error text,
	-- a ticket's return: the order's returns just before the desk opened one, so a run after a crash finds the one it
	-- opened (any other) and never opens a second
	known_return_ids text[],
	-- store credit's bonus (process), credited apart from the return's refund, claimed before it is credited
	bonus_claimed_at timestamptz,
	bonus_token text,
	bonus_transaction_id text,
	-- the customer's email and the staff's, each claimed before it is sent (ledger.ts)
	customer_email_claimed_at timestamptz,
	customer_email_token text,
	customer_email_status text,
	customer_message_id text,
	staff_email_claimed_at timestamptz,
	staff_email_token text,
	staff_email_status text,
	staff_message_id text,
	-- the run's Now when the row was written
	created_at timestamptz not null,
	unique (return_key, step)
);

create index if not exists return_decisions_order_idx on public.return_decisions (order_id);
create index if not exists return_decisions_created_idx on public.return_decisions (created_at);

comment on table public.return_decisions is 'CX Returns Desk: each return request decided and processed once, with its reasons (CX Director).';

alter table public.return_decisions enable row level security;
revoke all on public.return_decisions from anon, authenticated;
grant all on table public.return_decisions to service_role;
grant usage, select on sequence public.return_decisions_id_seq to service_role;

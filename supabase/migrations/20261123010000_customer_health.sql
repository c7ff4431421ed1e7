-- CX Director: customer health scores, kept so each score can say its trend against the previous one.
create table if not exists public.customer_health_scores (
	id uuid primary key default gen_random_uuid(),
	customer_id text not null,
	score smallint not null,
	band text not null,
	components jsonb not null,
	scored_on date not null,
	scored_at timestamptz not null default now(),
	-- One score per customer and day: a rerun the same day replaces it; the trend compares with an earlier day.
	constraint customer_health_scores_customer_day_key unique (customer_id, scored_on),
	constraint customer_health_scores_score_check check (score between 0 and 100),
	constraint customer_health_scores_band_check check (band in ('red', 'yellow', 'green'))
);

comment on table public.customer_health_scores is 'Customer health scores per customer and day (CX Director).';

-- The previous score of many customers at once: their latest rows first.
create index if not exists customer_health_scores_latest_idx
	on public.customer_health_scores (customer_id, scored_on desc);

alter table public.customer_health_scores enable row level security;
revoke all on table public.customer_health_scores from anon, authenticated;
grant all on table public.customer_health_scores to service_role;

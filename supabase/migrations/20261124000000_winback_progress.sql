-- CX Director: a win-back send moves pending -> coded -> sending -> sent, each step written before the next,
-- so a rerun after a crash finishes what was started and never mails a customer twice in a window.
alter table public.winback_sends
	add column if not exists offer_percent numeric,
	add column if not exists discount_id text,
	add column if not exists rfm text,
	add column if not exists last_error text,
	add column if not exists updated_at timestamptz not null default now();

-- The cooldown read: who was mailed since a given time.
create index if not exists winback_sends_sent_at_idx on public.winback_sends (sent_at) where sent_at is not null;
create index if not exists winback_sends_window_idx on public.winback_sends (campaign_window);

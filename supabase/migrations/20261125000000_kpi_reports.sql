-- CX Director: the weekly satisfaction reports sent to the business manager (seeds/000 "report
-- satisfaction weekly"), one row per reported period. CX KPI Report writes the row before it emails and
-- reads it back: a row with a message id or a send time was mailed, so a rerun of the week mails nobody twice.
create table if not exists public.kpi_reports (
	id uuid primary key default gen_random_uuid(),
	period_start timestamptz not null,
	period_end timestamptz not null,
	-- The MetricsReport as computed (KPIs, trends, breakdowns, alerts).
	report jsonb not null,
	-- The email as rendered, so the report can be read again as the manager saw it.
	html text,
	sent_to text[],
	message_id text,
	sent_at timestamptz,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	-- One report per period: the rerun of a week finds the earlier row instead of sending again.
	constraint kpi_reports_period_key unique (period_start, period_end),
	constraint kpi_reports_period_check check (period_end > period_start)
);

comment on table public.kpi_reports is 'Weekly satisfaction reports per period, as emailed to the business manager (CX Director).';

create or replace trigger kpi_reports_set_updated_at
	before update on public.kpi_reports
	for each row execute function public.cx_set_updated_at();

-- Access: service_role only, as every table of the pack.
alter table public.kpi_reports enable row level security;
revoke all on table public.kpi_reports from anon, authenticated;
grant all on table public.kpi_reports to service_role;

-- CX Director: the compensation ledger records the customer's email too, so a rerun after a payout
-- whose email failed sends the email and does not pay again.
alter table public.compensation_ledger
	add column if not exists attempts int not null default 0,
	add column if not exists customer_notified_at timestamptz,
	add column if not exists message_id text;

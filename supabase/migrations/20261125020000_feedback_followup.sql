-- CX Director: feedback follow-up within 30 days (seeds/000 "Implement feedback within 30 days").
-- A feedback item remembers when the customer gave it (the due date counts from then), what routed it to its
-- owner, and which reminder and escalation emails went out, so a person can check what SendGrid was asked to
-- send. reminded_at and escalated_at (first migration) are the claims that make each email go out once.
-- Idempotent, like the other migrations; RLS and grants are those of the first migration.
alter table public.feedback_items
	add column if not exists feedback_at timestamptz,
	add column if not exists issue_type text,
	add column if not exists tier text,
	add column if not exists owner_reason text,
	add column if not exists reminder_message_id text,
	add column if not exists escalation_message_id text,
	add column if not exists escalated_to text[],
	add column if not exists last_error text;

comment on column public.feedback_items.feedback_at is 'When the customer gave the feedback (survey answer or ticket); due_at counts from it.';
comment on column public.feedback_items.owner_reason is 'Why the item went to its owner: item, tier:<tier>, issue_type:<type> or default.';
comment on column public.feedback_items.last_error is 'The last email failure; a reminder or escalation whose answer was unclear is not sent again.';

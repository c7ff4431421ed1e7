-- CX Director: the customer's acknowledgement of a ticket, with the promised first-reply time (CX Ticket
-- Triage > Acknowledge Customer). acknowledged_at is the claim that makes the email go out once per ticket:
-- triage sets it from null in one conditional update before sending, so a replay of the ticket, or two runs
-- at once, mail the customer once. A refusal clears it again (the next triage of the ticket sends it); an
-- unclear answer keeps it, with the error, so a person can check SendGrid rather than the customer hear twice.
-- Idempotent, like the other migrations; RLS and grants are those of the first migration.
alter table public.tickets
	add column if not exists acknowledged_at timestamptz,
	add column if not exists acknowledgement_message_id text,
	add column if not exists acknowledgement_error text;

comment on column public.tickets.acknowledged_at is 'When the customer was told the ticket arrived and when the first reply is due; set before sending, once per ticket.';
comment on column public.tickets.acknowledgement_message_id is 'SendGrid''s X-Message-Id of the acknowledgement (one per request: shared by the tickets of one batch).';
comment on column public.tickets.acknowledgement_error is 'The last acknowledgement failure; "unconfirmed ..." when SendGrid''s answer was unclear and it is not sent again.';

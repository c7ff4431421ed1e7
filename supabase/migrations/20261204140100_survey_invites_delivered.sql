-- CX Director: the post-purchase survey catches up from the latest delivery it already asked about, not from a
-- fixed window: each run reads the latest delivered_at among a question's invitations (recorded up to its Now)
-- and looks at every order delivered since then, so runs missed for longer than the catch-up days lose no order.
-- This index finds that delivery without reading the table.
-- Idempotent, like the other migrations; RLS and grants are those of the first migration.
create index if not exists survey_invites_type_delivered_idx on public.survey_invites (type, delivered_at desc);

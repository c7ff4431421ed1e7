-- CX Director: the feedback follow-up catches up from what it last recorded, not from a fixed window. Each
-- feedback item keeps the time its source row was stored or last changed when it was read
-- (survey_responses.created_at, tickets.updated_at); the next run reads every source row from the latest such
-- time it recorded (less an overlap), so a run missed for days loses nothing, and a re-read records nothing
-- twice (the item is unique by source and source id).
-- Idempotent, like the other migrations; RLS and grants are those of the first migration.
alter table public.feedback_items
	add column if not exists source_changed_at timestamptz;

comment on column public.feedback_items.source_changed_at is 'When the source row was stored or last changed as read (survey answer created_at, ticket updated_at): the next run reads from the latest one recorded.';

-- The mark: the latest source time recorded per source, found without reading the table.
create index if not exists feedback_items_source_changed_idx on public.feedback_items (source, source_changed_at desc);

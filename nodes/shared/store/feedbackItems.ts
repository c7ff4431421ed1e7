/** `feedback_items` (migrations: 20261122000000_cx_director, ..._feedback_followup, ..._claim_tokens): one row per piece of feedback (its source and id), with its owner, due date and the claims of its reminder and escalation. */

export const FEEDBACK_ITEMS_TABLE = 'feedback_items';
/** The table's unique key: what an insert or upsert conflicts on. */
export const FEEDBACK_ITEMS_KEY = 'source,source_id';

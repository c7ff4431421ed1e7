/** `escalations` (migrations: 20261122000000_cx_director): one row per ticket and escalation level: the ledger that makes each level's email and tags happen once. */

export const ESCALATIONS_TABLE = 'escalations';
/** The table's unique key: what an insert or upsert conflicts on. */
export const ESCALATIONS_KEY = 'ticket_external_id,level';

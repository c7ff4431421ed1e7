/** `survey_invites` (migrations: 20261125010000_survey_invites): one invitation per order and survey type, written before it is sent, with the token the answer links carry. */

export const SURVEY_INVITES_TABLE = 'survey_invites';
/** The table's unique key: what an insert or upsert conflicts on. */
export const SURVEY_INVITES_KEY = 'order_id,type';

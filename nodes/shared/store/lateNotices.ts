/**
 * `late_notices` (migration 20261204320000_late_notices): one running-late notice per order, ever, written
 * before the email is sent and claimed for it (notify_claimed_at + notification_claim). CX Delay Compensation's
 * Notify Late Orders writes it.
 */
export const LATE_NOTICES_TABLE = 'late_notices';
/** The unique key that makes a notice happen once. */
export const LATE_NOTICES_KEY = 'order_id';

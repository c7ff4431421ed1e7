/** Why a compensation_ledger row was written: CX Delay Compensation writes it, CX Customer Health reads it. */
export type CompensationReason = 'shipping_delay';

/** The ledger reasons that mean a delivery was late. */
export const LATE_DELIVERY_REASONS: CompensationReason[] = ['shipping_delay'];

/**
 * The note CX Delay Compensation writes on a Shopify refund it makes ("Delay compensation <ledger key>"):
 * goodwill money, not a sale undone, so the return / refund rate leaves it out.
 */
export const COMPENSATION_REFUND_NOTE = 'Delay compensation';

/** The note on a refund the pack makes as compensation: the metrics know it by this. */
export function compensationRefundNote(ledgerKey: string): string {
	return `${COMPENSATION_REFUND_NOTE} ${ledgerKey}`;
}

/** Whether a Shopify refund's note marks it as the pack's own compensation. */
export function isCompensationRefundNote(note: unknown): boolean {
	return typeof note === 'string' && note.trim().startsWith(`${COMPENSATION_REFUND_NOTE} `);
}

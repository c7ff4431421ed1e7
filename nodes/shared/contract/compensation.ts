/** Why a compensation_ledger row was written: CX Delay Compensation writes it, CX Customer Health reads it. */
export type CompensationReason = 'shipping_delay';

/** The ledger reasons that mean a delivery was late. */
export const LATE_DELIVERY_REASONS: CompensationReason[] = ['shipping_delay'];

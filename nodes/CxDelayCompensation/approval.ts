/**
 * A person's approval of a compensation that waits for one: what an answer does to its ledger row. Pure (no n8n,
 * no I/O, no clock: now is passed in). The answer is paid once at most: a second click, an answer after the
 * request expired, or an approval after the order was compensated another way (paid under another row, refunded
 * or cancelled since) pays nothing and says why.
 */

export type ApprovalAnswer = 'approve' | 'decline' | 'timeout';

/** What the settlement reads of the ledger row. */
export interface ApprovalRow {
	status: string;
	approvalDecision: string | null;
	approvalExpiresAt: string | null;
}

export type Settlement =
	| { action: 'pay'; reasons: string[] }
	| { action: 'decline'; reasons: string[] }
	| { action: 'expire'; reasons: string[] }
	| { action: 'nothing'; skipRow: boolean; reasons: string[] };

export interface OrderNow {
	/** Paid under another ledger row of the order. */
	paidOtherwise: boolean;
	/** The delay decision on the order as Shopify holds it now, when it could be read: not_eligible after a refund or cancellation. */
	eligibleNow?: { eligible: boolean; reason: string };
}

export function settleApproval(row: ApprovalRow | undefined, answer: ApprovalAnswer, now: Date, order: OrderNow = { paidOtherwise: false }): Settlement {
	if (!row) return { action: 'nothing', skipRow: false, reasons: ['unknown_approval_request'] };
	if (row.approvalDecision) return { action: 'nothing', skipRow: false, reasons: [`already_${row.approvalDecision}`] };
	if (row.status === 'completed') return { action: 'nothing', skipRow: false, reasons: ['already_compensated'] };
	if (row.status !== 'needs_approval') return { action: 'nothing', skipRow: false, reasons: [`not_waiting_for_approval:${row.status}`] };
	const expired = row.approvalExpiresAt !== null && now.getTime() >= Date.parse(row.approvalExpiresAt);
	if (answer === 'timeout') return { action: 'expire', reasons: ['approval_expired:no_answer'] };
	if (expired) return { action: 'expire', reasons: [`approval_expired:${answer}_came_after_${row.approvalExpiresAt}`] };
	if (answer === 'decline') return { action: 'decline', reasons: ['approval_declined'] };
	if (order.paidOtherwise) return { action: 'nothing', skipRow: true, reasons: ['approved', 'compensated_another_way'] };
	if (order.eligibleNow && !order.eligibleNow.eligible) return { action: 'nothing', skipRow: true, reasons: ['approved', `no_longer_eligible:${order.eligibleNow.reason}`] };
	return { action: 'pay', reasons: ['approved'] };
}

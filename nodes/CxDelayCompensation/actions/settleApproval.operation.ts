/**
 * Settle Approval: after the Wait node of an approval request, the approver's answer (their click resumed the
 * workflow: `query.decision` and `query.token`) or the request itself when the wait ran out (`approval.token`).
 * The answer is recorded once on the ledger row, with who and when; an approval pays once, through the same
 * payout as Compensate Late Orders (the row's idempotency key, the apology once). A second click, a click after
 * the request expired, or an approval after the order was compensated another way (paid under another row, or
 * refunded in full or cancelled in Shopify since) pays nothing and says why.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { orderGid, type OrderToCheck } from '../../shared/contract/order';
import { escapeHtml } from '../../shared/email/html';
import { formatMoney } from '../../shared/money';
import { failureSink } from '../../shared/n8n/errorItems';
import { readNow } from '../../shared/n8n/options';
import { readTierPolicy } from '../../shared/n8n/policyOptions';
import { SendGridService } from '../../shared/services/sendgrid';
import { ShopifyService } from '../../shared/services/shopify/client';
import { ordersForDelayCheckById } from '../../shared/services/shopify/orders';
import { StripeService } from '../../shared/services/stripe';
import { SupabaseService, type Row } from '../../shared/services/supabase';
import { answerApproval, paidOtherwise, rowOfApproval } from '../../shared/store/compensationLedger';
import type { PayoutMethod } from '../apologyEmail';
import { settleApproval as settle, type ApprovalAnswer, type OrderNow } from '../approval';
import { payOut, rowAmount, type CompensationServices } from '../compensationRun';
import type { DelayDecision } from '../delay';
import { readPayoutSettings, readStripeRequestsPerSecond } from './compensate.operation';

const PAID = 0;
const DECLINED = 1;
const EXPIRED = 2;
const NOT_PAID = 3;

/** The answer an item carries, or what is wrong with it. */
function answerOf(json: IDataObject): { answer: ApprovalAnswer; token: string } | string {
	const query = json.query as IDataObject | undefined;
	if (query && typeof query === 'object' && (query.decision !== undefined || query.token !== undefined)) {
		const decision = String(query.decision ?? '');
		if (decision !== 'approve' && decision !== 'decline') return `the answer "${decision}" is neither approve nor decline`;
		if (typeof query.token !== 'string' || !query.token) return 'the answer carries no token';
		return { answer: decision, token: query.token };
	}
	const approval = json.approval as IDataObject | undefined;
	if (approval && typeof approval.token === 'string' && approval.token) return { answer: 'timeout', token: approval.token };
	return 'the item is neither an approver\'s answer (query.decision and query.token) nor a request whose wait ran out (approval.token)';
}

/** A short page for the approver's browser: what their click did. */
function page(message: string): string {
	return `<!doctype html><html><head><meta charset="utf-8"><title>Compensation approval</title></head><body style="font-family:Arial,Helvetica,sans-serif;max-width:560px;margin:40px auto;font-size:16px"><p>${escapeHtml(message)}</p></body></html>`;
}

export async function settleApprovals(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const settings = readPayoutSettings.call(this, 'discountCode', options);
	const outputs: INodeExecutionData[][] = [[], [], [], []];
	const fail = failureSink(this, outputs[NOT_PAID]);
	if (!items.length) return outputs;
	const supabase = await SupabaseService.connect(this);
	let services: CompensationServices | undefined;

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const read = answerOf(items[itemIndex].json);
		if (typeof read === 'string') {
			fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${read}`, { itemIndex, description: 'Put this node right after the Wait node that follows Request Approval.' }));
			continue;
		}
		const { answer, token } = read;
		const row = await rowOfApproval(supabase, token);
		const state = row ? { status: String(row.status), approvalDecision: row.approval_decision ? String(row.approval_decision) : null, approvalExpiresAt: row.approval_expires_at ? String(row.approval_expires_at) : null } : undefined;
		// an approval looks at the order again: paid another way, or refunded or cancelled in Shopify since
		let order: OrderToCheck | undefined;
		const orderNow: OrderNow = { paidOtherwise: false };
		if (row && answer === 'approve' && state?.status === 'needs_approval' && !state.approvalDecision) {
			orderNow.paidOtherwise = await paidOtherwise(supabase, String(row.order_id), String(row.id));
			const gid = orderGid(String(row.order_id));
			if (gid) {
				[order] = await ordersForDelayCheckById(await ShopifyService.connect(this), [gid], readTierPolicy(options), () => false);
				const refunded = order?.facts.refunded;
				orderNow.eligibleNow = !order
					? { eligible: false, reason: 'order_not_in_shopify' }
					: order.facts.cancelledAt
						? { eligible: false, reason: 'order_cancelled' }
						: refunded && refunded.currency === order.facts.total.currency && refunded.cents >= order.facts.total.cents
							? { eligible: false, reason: 'order_fully_refunded' }
							: { eligible: true, reason: 'order_unchanged' };
			}
		}
		const settlement = settle(state, answer, now, orderNow);
		const who = row?.approval_requested_to ? String(row.approval_requested_to) : null;
		const decided = (decision: string, status: string, by: string | null, extra: Row = {}) =>
			answerApproval(supabase, token, { approval_decision: decision, approval_decided_by: by, approval_decided_at: now.toISOString(), status, ...extra });
		const base = (reasons: string[], extra: IDataObject = {}): IDataObject => ({
			order: { id: row ? String(row.order_id) : null, name: row?.order_name ? String(row.order_name) : (order?.facts.name ?? null) },
			compensation: {
				ledgerId: row ? String(row.id) : null,
				...(row ? { amount: { cents: Number(row.amount_cents), currency: String(row.currency).trim(), formatted: formatMoney(rowAmount(row)) } } : {}),
				reasons,
				...extra,
			},
		});
		const orderName = row?.order_name ? String(row.order_name) : row ? String(row.order_id) : 'the order';
		const push = (output: number, reasons: string[], approval: IDataObject, message: string, extra: IDataObject = {}) =>
			outputs[output].push({ json: { ...base(reasons, extra), approval: { ...approval, answer, message, page: page(message) } }, pairedItem: { item: itemIndex } });

		if (settlement.action === 'decline') {
			const updated = await decided('declined', 'declined', who);
			if (updated) push(DECLINED, settlement.reasons, { status: 'declined', decidedBy: who, decidedAt: now.toISOString() }, `Declined: nothing is paid for ${orderName}. Your answer is recorded.`);
			else push(NOT_PAID, ['already_answered'], { status: 'not_paid' }, `This request for ${orderName} was answered already; nothing changed.`);
			continue;
		}
		if (settlement.action === 'expire') {
			const updated = await decided('expired', 'expired', null);
			const message = `This request for ${orderName} expired before it was answered; nothing is paid.`;
			// the wait ran out: reported on Expired; a click that came too late is answered on Not Paid
			push(answer === 'timeout' ? EXPIRED : NOT_PAID, updated ? settlement.reasons : [...settlement.reasons, 'already_answered'], { status: 'expired', decidedAt: now.toISOString() }, message);
			continue;
		}
		if (settlement.action === 'nothing') {
			if (settlement.skipRow) await decided('approved', 'skipped', who, { last_error: settlement.reasons.join(', ') });
			push(answer === 'timeout' ? EXPIRED : NOT_PAID, settlement.reasons, { status: 'not_paid' }, `Nothing is paid for ${orderName}: ${settlement.reasons.join(', ').replace(/_/g, ' ')}.`);
			continue;
		}
		// approved: the row is claimed for payment by the answer itself, so a second click finds it answered
		const claimed = await decided('approved', 'pending', who);
		if (!claimed) {
			push(NOT_PAID, ['already_answered'], { status: 'not_paid' }, `This request for ${orderName} was answered already; nothing is paid again.`);
			continue;
		}
		const method = String(claimed.method) as PayoutMethod;
		services ??= {
			supabase,
			shopify: await ShopifyService.connect(this),
			...(settings.notify ? { sendgrid: await SendGridService.connect(this) } : {}),
		};
		if (method === 'stripeBalance' && !services.stripe) services.stripe = await StripeService.connect(this, { requestsPerSecond: readStripeRequestsPerSecond(this, options) });
		const decision = { ...(claimed.decision as unknown as DelayDecision), amount: rowAmount(claimed) };
		const compensation = {
			order: order ?? { facts: { orderId: String(claimed.order_id), name: orderName } as OrderToCheck['facts'], customer: { ...(claimed.customer_id ? { id: String(claimed.customer_id) } : {}), ...(claimed.customer_email ? { email: String(claimed.customer_email) } : {}) } },
			decision,
		};
		const outcome = await payOut(this, services, { ...settings, method }, compensation, claimed, now);
		if (outcome instanceof NodeApiError) {
			fail(itemIndex, new NodeApiError(this.getNode(), { message: outcome.message }, {
				message: `Item ${itemIndex} (order ${orderName}): ${outcome.message}`,
				description: `${outcome.description ?? ''} The approval is recorded and the compensation stays pending: Compensate Late Orders finishes it without paying twice.`.trim(),
				itemIndex,
			}));
			continue;
		}
		const paid = outcome.status === 'compensated' || outcome.status === 'already_compensated';
		push(paid ? PAID : NOT_PAID, [...settlement.reasons, ...outcome.reasons], { status: paid ? 'approved' : 'not_paid', decidedBy: who, decidedAt: now.toISOString() }, paid ? `Approved: ${formatMoney(rowAmount(claimed))} for ${orderName} is paid, once, and the customer is told.` : `Approved, but not paid yet for ${orderName}: ${outcome.note ?? outcome.reasons.join(', ')}.`, {
			status: outcome.status,
			method: outcome.method,
			...(outcome.discountCode ? { discountCode: outcome.discountCode } : {}),
			...(outcome.payoutReference ? { payoutReference: outcome.payoutReference } : {}),
		});
	}
	return outputs;
}

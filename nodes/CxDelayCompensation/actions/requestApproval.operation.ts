/**
 * Request Approval: each compensation that waits for a person (a Needs Approval item) is put to the approver by
 * email, once: the row is claimed for one request (a daily run repeating itself asks nobody twice), and the
 * email's approve and decline links resume the workflow's Wait node. A request whose email certainly did not go
 * out is withdrawn, so the next run asks again.
 */
import { isEmailAddress } from '../../shared/items';
import { randomBytes } from 'node:crypto';
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { afterSendFailure } from '../../shared/ledger';
import { formatMoney } from '../../shared/money';
import { failureSink } from '../../shared/n8n/errorItems';
import { readNow, readNumberOption, readTimeZone } from '../../shared/n8n/options';
import { SendGridService } from '../../shared/services/sendgrid';
import { SupabaseService } from '../../shared/services/supabase';
import { claimApprovalRequest, ledgerRow, releaseApprovalRequest } from '../../shared/store/compensationLedger';
import { renderApprovalEmail } from '../approvalEmail';
import { safeLink } from '../../shared/email/html';

const REQUESTED = 0;
const NOT_REQUESTED = 1;

/** The resume URL with the answer and the request's token added (n8n's own query, such as its signature, kept). */
export function answerLink(resumeUrl: string, decision: 'approve' | 'decline', token: string): string {
	const url = new URL(resumeUrl);
	url.searchParams.set('decision', decision);
	url.searchParams.set('token', token);
	return url.toString();
}

export async function requestApproval(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const timeZone = readTimeZone(this, 'Store Time Zone', options.timeZone);
	const approver = String(this.getNodeParameter('approverEmail', 0, '')).trim();
	if (!isEmailAddress(approver)) {
		throw new NodeOperationError(this.getNode(), `Approver Email "${approver}" is not an email address`, { description: 'Set Approver Email to the person who decides compensations above the cap.' });
	}
	const hours = readNumberOption(this, 'Expires After (Hours)', this.getNodeParameter('approvalHours', 0, 72), 72, 1);
	const outputs: INodeExecutionData[][] = [[], []];
	const fail = failureSink(this, outputs[NOT_REQUESTED]);
	if (!items.length) return outputs;
	const supabase = await SupabaseService.connect(this);
	const sendgrid = await SendGridService.connect(this);

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const json = items[itemIndex].json;
		const compensation = (json.compensation ?? {}) as IDataObject;
		const order = (json.order ?? {}) as IDataObject;
		const ledgerId = typeof compensation.ledgerId === 'string' ? compensation.ledgerId : '';
		if (!ledgerId) {
			fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: Field "compensation.ledgerId" is missing`, { itemIndex, description: 'Connect this node to the Needs Approval output of Compensate Late Orders (not a dry run): its items carry the ledger row to approve.' }));
			continue;
		}
		const resumeUrl = String(this.getNodeParameter('resumeUrl', itemIndex, '') ?? '');
		// the approver's buttons are this address: one the email's link rule takes (http or https, with a host), or none is sent
		if (!safeLink(resumeUrl)) {
			fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: Resume URL "${resumeUrl}" is not a web address`, { itemIndex, description: 'Put a Wait node (Resume: On Webhook Call) after this node and leave Resume URL as {{ $execution.resumeUrl }}.' }));
			continue;
		}
		const token = randomBytes(18).toString('base64url');
		const expiresAt = new Date(now.getTime() + hours * 3_600_000);
		const orderName = String(order.name ?? order.id ?? ledgerId);
		if (!(await claimApprovalRequest(supabase, ledgerId, { token, to: approver, at: now, expiresAt, orderName }))) {
			const row = await ledgerRow(supabase, ledgerId);
			const why = !row
				? 'no_ledger_row'
				: row.approval_decision
					? `already_${String(row.approval_decision)}:${String(row.approval_decided_at)}`
					: row.approval_requested_at
						? `approval_already_requested:${String(row.approval_requested_at)}`
						: `not_waiting_for_approval:${String(row.status)}`;
			outputs[NOT_REQUESTED].push({ json: { ...json, approval: { status: 'not_requested', reasons: [why] } }, pairedItem: { item: itemIndex } });
			continue;
		}
		// what the approver is asked about is what the row will pay, and the decision it was recorded with
		const row = (await ledgerRow(supabase, ledgerId)) ?? {};
		const recorded = (row.decision ?? {}) as IDataObject;
		const amount = row.amount_cents !== undefined ? formatMoney({ cents: Number(row.amount_cents), currency: String(row.currency).trim() }) : String((compensation.amount as IDataObject | undefined)?.formatted ?? '');
		const reasons = Array.isArray(recorded.reasons) ? recorded.reasons : Array.isArray(compensation.reasons) ? compensation.reasons : [];
		const email = renderApprovalEmail({
			orderName,
			...(typeof order.customer_email === 'string' ? { customerEmail: order.customer_email } : {}),
			amount,
			summary: String(recorded.summary ?? compensation.summary ?? ''),
			reasons: reasons.map(String),
			approveUrl: answerLink(resumeUrl, 'approve', token),
			declineUrl: answerLink(resumeUrl, 'decline', token),
			expiresAt: expiresAt.toISOString(),
			timeZone,
			...(options.storeName ? { storeName: String(options.storeName) } : {}),
		});
		try {
			await sendgrid.send({ to: approver, subject: email.subject, html: email.html, text: email.text, customArgs: { cx_ledger: ledgerId, cx_reason: 'approval_request' }, categories: ['cx-compensation-approval'] });
		} catch (error) {
			const failure = error instanceof NodeApiError ? error : new NodeApiError(this.getNode(), { message: String(error) });
			const release = afterSendFailure(failure) === 'release';
			if (release) await releaseApprovalRequest(supabase, token);
			fail(itemIndex, new NodeApiError(this.getNode(), { message: failure.message }, {
				message: `Item ${itemIndex} (order ${orderName}): ${failure.message}`,
				description: release ? 'Nothing went out: the request is withdrawn and the next run asks again.' : 'SendGrid may have accepted the request: it is not sent again. Check SendGrid\'s activity for the custom argument cx_ledger.',
				itemIndex,
			}));
			continue;
		}
		outputs[REQUESTED].push({
			json: { ...json, approval: { status: 'requested', ledgerId, token, requestedTo: approver, requestedAt: now.toISOString(), expiresAt: expiresAt.toISOString() } },
			pairedItem: { item: itemIndex },
		});
	}
	return outputs;
}

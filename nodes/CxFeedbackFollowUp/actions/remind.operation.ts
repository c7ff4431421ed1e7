/** Remind and Escalate: owners reminded of what is due soon and the overdue escalated, each item and stage once. */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { FEEDBACK_POLICY } from '../../shared/policy';
import { SendGridService } from '../../shared/services/sendgrid';
import { SupabaseService } from '../../shared/services/supabase';
import { readTimeZone, readWholeNumberOption } from '../../shared/n8n/options';
import { isEmail } from '../feedbackInput';
import { ITEMS_PER_EMAIL, remindAndEscalate, type ActedOn, type FollowUpReport } from '../followUpRun';

const FEEDBACK = 0;
const SUMMARY = 1;

export async function remind(this: IExecuteFunctions, options: IDataObject, now: Date): Promise<INodeExecutionData[][]> {
	const escalateTo = String(this.getNodeParameter('escalateTo', 0, '') ?? '')
		.split(/[,;\s]+/)
		.map((email) => email.trim())
		.filter(Boolean);
	const bad = escalateTo.find((email) => !isEmail(email));
	if (bad) throw new NodeOperationError(this.getNode(), `"${bad}" in Escalate To is not an email address`, { description: 'Separate addresses with commas.' });
	if (!escalateTo.length) {
		throw new NodeOperationError(this.getNode(), 'No Escalate To email is set', { description: 'Set "Escalate To" to who hears of overdue feedback, such as the CX director or the business manager.' });
	}
	const timeZone = readTimeZone(this, 'Time Zone for Emails', options.timeZone);
	const remindDaysBefore = readWholeNumberOption(this, 'Remind Days Before', options.remindDaysBefore, FEEDBACK_POLICY.remindDaysBefore, 0);
	const services = { supabase: await SupabaseService.connect(this), sendgrid: await SendGridService.connect(this) };
	const report = await remindAndEscalate(this, services, { escalateTo, remindDaysBefore, timeZone, itemsPerEmail: ITEMS_PER_EMAIL, ...(options.storeName ? { storeName: String(options.storeName) } : {}) }, now);

	const outputs: INodeExecutionData[][] = [[], []];
	const failures = report.acted.filter((acted) => acted.status === 'failed' || acted.status === 'not_sent');
	if (failures.length && !this.continueOnFail()) throw failureError.call(this, failures, report);
	for (const acted of report.acted) outputs[FEEDBACK].push({ json: { feedback: actedJson(acted) }, pairedItem: { item: 0 } });
	outputs[SUMMARY].push({ json: summaryJson(report, now, remindDaysBefore, escalateTo), pairedItem: { item: 0 } });
	return outputs;
}

function actedJson(acted: ActedOn): IDataObject {
	const { item, stage, decision, status } = acted;
	return {
		id: item.id,
		stage: stage === 'remind' ? 'reminded' : 'escalated',
		status,
		source: item.source,
		sourceId: item.sourceId,
		customerId: item.customerId ?? null,
		summary: item.summary,
		owner: item.owner ?? null,
		dueAt: item.dueAt?.toISOString() ?? null,
		...(decision.daysLeft !== undefined ? { daysLeft: decision.daysLeft } : {}),
		...(decision.daysOverdue !== undefined ? { daysOverdue: decision.daysOverdue } : {}),
		recipients: acted.recipients,
		...(acted.unowned ? { unowned: true } : {}),
		...(acted.messageId ? { messageId: acted.messageId } : {}),
		...(acted.error ? { error: acted.error.message } : {}),
		...(status === 'unconfirmed'
			? { note: 'SendGrid\'s answer was unclear, so the email is not sent again: check SendGrid\'s activity for category cx-feedback.' }
			: status === 'failed'
				? { note: 'SendGrid refused the email; the next run sends it again.' }
				: status === 'not_sent'
					? { note: 'Not sent after an earlier email of this run failed; the next run sends it.' }
					: {}),
	};
}

function summaryJson(report: FollowUpReport, now: Date, remindDaysBefore: number, escalateTo: string[]): IDataObject {
	const count = (stage: 'remind' | 'escalate', status: string) => report.acted.filter((acted) => acted.stage === stage && acted.status === status).length;
	const owners = new Set(report.acted.filter((acted) => acted.stage === 'remind' && acted.status === 'sent' && !acted.unowned).map((acted) => acted.recipients[0].toLowerCase()));
	const stage = (name: 'remind' | 'escalate') => ({
		found: report.found[name],
		emails: report.emails[name],
		sent: count(name, 'sent'),
		unconfirmed: count(name, 'unconfirmed'),
		failed: count(name, 'failed'),
		notSent: count(name, 'not_sent'),
	});
	return {
		operation: 'remind',
		now: now.toISOString(),
		remindDaysBefore,
		reminders: { ...stage('remind'), owners: owners.size, unowned: report.acted.filter((acted) => acted.unowned).length },
		escalations: { ...stage('escalate'), recipients: escalateTo },
		claimedElsewhere: report.claimedElsewhere,
	};
}

function failureError(this: IExecuteFunctions, failures: ActedOn[], report: FollowUpReport): NodeApiError {
	const first = failures[0].error;
	const sent = report.acted.filter((acted) => acted.status === 'sent').length;
	return new NodeApiError(this.getNode(), { message: first?.message ?? 'email not sent' }, {
		message: `${failures.length} feedback ${failures.length === 1 ? 'item was' : 'items were'} neither reminded nor escalated: ${first?.message ?? 'unknown failure'}`,
		description: `${first?.description ?? ''} ${sent} item(s) were mailed and are not mailed again. The ones not sent keep their stage open, so the next run sends them once.`.trim(),
		...(first?.httpCode ? { httpCode: first.httpCode } : {}),
	});
}

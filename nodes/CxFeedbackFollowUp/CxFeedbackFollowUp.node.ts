import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { CUSTOMER_TIERS, ISSUE_TYPES, type CustomerTier, type IssueType } from '../shared/contract/request';
import { InputProblem } from '../shared/items';
import { FEEDBACK_POLICY } from '../shared/policy';
import { SendGridService } from '../shared/services/sendgrid';
import { SupabaseService, type Row } from '../shared/services/supabase';
import { readNow, readTimeZone, readWholeNumberOption } from '../shared/n8n/options';
import { isEmail, surveyCandidate, ticketCandidate, tryReadFeedbackItem } from './feedbackInput';
import { FEEDBACK_TICKET_TAGS, planFeedback, type FeedbackCandidate, type OwnerRouting } from './followUp';
import { ITEMS_PER_EMAIL, recordFeedback, remindAndEscalate, type ActedOn, type FollowUpReport, type RecordOutcome } from './followUpRun';
import { SURVEY_RESPONSES_TABLE } from '../shared/store/surveyResponses';
import { TICKETS_TABLE } from '../shared/store/tickets';
import { failureSink } from '../shared/n8n/errorItems';

const FEEDBACK = 0;
const SUMMARY = 1;
const DAY = 86_400_000;

import { properties } from './properties';

export class CxFeedbackFollowUp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Feedback Follow-Up',
		name: 'cxFeedbackFollowUp',
		icon: { light: 'file:feedbackFollowUp.svg', dark: 'file:feedbackFollowUp.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "remind" ? "Remind and escalate" : "Record feedback"}}',
		description:
			'Records survey comments and feedback tickets as feedback items with an owner and a due date 30 days out, reminds owners before the due date and escalates what is overdue, once per item and stage',
		defaults: { name: 'CX Feedback Follow-Up' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Feedback', 'Summary'],
		credentials: [
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { operation: ['remind'] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const now = readNow(this, options.now);
		return operation === 'remind' ? remind.call(this, options, now) : record.call(this, options, now);
	}
}


function emailParameter(this: IExecuteFunctions, label: string, value: unknown): string | undefined {
	const text = String(value ?? '').trim();
	if (!text) return undefined;
	if (!isEmail(text)) throw new NodeOperationError(this.getNode(), `${label} is "${text}", which is not an email address`, { description: `Give ${label} one email address.` });
	return text;
}

function readRouting(this: IExecuteFunctions): OwnerRouting {
	const defaultOwner = emailParameter.call(this, 'Default Owner', this.getNodeParameter('defaultOwner', 0, ''));
	if (!defaultOwner) {
		throw new NodeOperationError(this.getNode(), 'No Default Owner is set', { description: 'Set "Default Owner" to the email of who follows up feedback that no other rule assigns: every feedback item needs an owner.' });
	}
	const byTierGiven = this.getNodeParameter('ownersByTier', 0, {}) as IDataObject;
	const byIssueGiven = this.getNodeParameter('ownersByIssueType', 0, {}) as IDataObject;
	const byTier: Partial<Record<CustomerTier, string>> = {};
	for (const tier of CUSTOMER_TIERS) {
		const owner = emailParameter.call(this, `Owners by Tier > ${tier}`, byTierGiven[tier]);
		if (owner) byTier[tier] = owner;
	}
	const byIssueType: Partial<Record<IssueType, string>> = {};
	for (const issueType of ISSUE_TYPES) {
		const owner = emailParameter.call(this, `Owners by Issue Type > ${issueType}`, byIssueGiven[issueType]);
		if (owner) byIssueType[issueType] = owner;
	}
	return { defaultOwner, byTier, byIssueType };
}

async function record(this: IExecuteFunctions, options: IDataObject, now: Date): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const source = this.getNodeParameter('source', 0, 'supabase') as string;
	const dueDays = readWholeNumberOption(this, 'Due in Days', options.dueDays, FEEDBACK_POLICY.dueDays, 1);
	const lookbackDays = readWholeNumberOption(this, 'Look Back Days', options.lookbackDays, 2, 1);
	const feedbackTags = String(options.feedbackTicketTags || FEEDBACK_TICKET_TAGS.join(', ')).split(',').map((tag) => tag.trim()).filter(Boolean);
	const routing = readRouting.call(this);
	const outputs: INodeExecutionData[][] = [[], []];
	const fail = failureSink(this, outputs[FEEDBACK]);

	const supabase = await SupabaseService.connect(this);
	const candidates: Array<{ itemIndex: number; candidate: FeedbackCandidate }> = [];
	const skipped: Record<string, number> = {};
	const read = { surveyComments: 0, tickets: 0, items: 0 };
	const take = (result: FeedbackCandidate | { skip: string }) => {
		if ('skip' in result) skipped[result.skip] = (skipped[result.skip] ?? 0) + 1;
		else candidates.push({ itemIndex: 0, candidate: result });
	};
	const since = new Date(now.getTime() - lookbackDays * DAY).toISOString();
	if (source === 'supabase') {
		const surveys = this.getNodeParameter('surveyComments', 0, true) as boolean;
		const tickets = this.getNodeParameter('feedbackTickets', 0, true) as boolean;
		if (!surveys && !tickets) {
			throw new NodeOperationError(this.getNode(), 'Neither survey comments nor feedback tickets are read', { description: 'Turn on "Survey Comments" or "Feedback Tickets", or take feedback from input items.' });
		}
		const unhappyOnly = options.unhappyOnly === true;
		// stored since the lookback, not answered: an answer delivered late is still picked up
		if (surveys) {
			read.surveyComments = await supabase.eachPage(
				SURVEY_RESPONSES_TABLE,
				{ columns: 'customer_id, type, score, comment, tier, issue_type, responded_at, created_at', filters: [{ column: 'comment', op: 'not.is', value: null }, { column: 'created_at', op: 'gte', value: since }] },
				(rows) => rows.forEach((row) => take(surveyCandidate(row as IDataObject, unhappyOnly))),
			);
		}
		// changed since the lookback: a ticket tagged as feedback by a person after triage is picked up too
		if (tickets) {
			read.tickets = await supabase.eachPage(
				TICKETS_TABLE,
				{ columns: 'external_id, subject, body, customer_id, customer_email, tier, issue_type, tags, ticket_created_at, created_at', filters: [{ column: 'updated_at', op: 'gte', value: since }] },
				(rows) => rows.forEach((row) => take(ticketCandidate(row as IDataObject, feedbackTags))),
			);
		}
	} else {
		read.items = items.length;
		items.forEach((item, itemIndex) => {
			const result = tryReadFeedbackItem(item.json);
			if (result instanceof InputProblem) fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${result.message}`, { itemIndex, description: result.fix }));
			else candidates.push({ itemIndex, candidate: result });
		});
	}

	const planned = candidates.map(({ candidate }) => planFeedback(candidate, routing, { dueDays }, now));
	const outcomes = planned.length ? await recordFeedback(supabase, planned) : [];
	const counts = { recorded: 0, alreadyRecorded: 0 };
	outcomes.forEach((outcome, index) => {
		if (outcome.status === 'recorded') counts.recorded++;
		else counts.alreadyRecorded++;
		outputs[FEEDBACK].push({ json: { feedback: recordedJson(outcome) }, pairedItem: { item: candidates[index].itemIndex } });
	});
	outputs[SUMMARY].push({
		json: {
			operation: 'record',
			source,
			...(source === 'supabase' ? { since } : {}),
			read,
			candidates: planned.length,
			...counts,
			skipped,
			dueDays,
		} as IDataObject,
		pairedItem: source === 'items' ? items.map((_, item) => ({ item })) : { item: 0 },
	});
	return outputs;
}

const iso = (value: unknown) => (typeof value === 'string' ? new Date(value).toISOString() : null);

function recordedJson({ planned, status, row }: RecordOutcome): IDataObject {
	// an item recorded before keeps its stored owner and due date: those are what the follow-up uses
	const stored = (row ?? {}) as Row;
	return {
		status,
		...(stored.id ? { id: String(stored.id) } : {}),
		source: planned.source,
		sourceId: planned.sourceId,
		customerId: planned.customerId ?? null,
		summary: typeof stored.summary === 'string' ? stored.summary : planned.summary,
		owner: typeof stored.owner === 'string' ? stored.owner : planned.owner,
		ownerReason: typeof stored.owner_reason === 'string' ? stored.owner_reason : planned.ownerReason,
		feedbackAt: iso(stored.feedback_at) ?? planned.feedbackAt.toISOString(),
		dueAt: iso(stored.due_at) ?? planned.dueAt.toISOString(),
		...(planned.issueType ? { issueType: planned.issueType } : {}),
		...(planned.tier ? { tier: planned.tier } : {}),
		reasons: planned.reasons,
	};
}

async function remind(this: IExecuteFunctions, options: IDataObject, now: Date): Promise<INodeExecutionData[][]> {
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

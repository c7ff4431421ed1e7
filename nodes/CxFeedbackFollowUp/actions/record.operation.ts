/** Record Feedback: survey comments, feedback tickets or items, each recorded once with its owner and a due date. */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { CUSTOMER_TIERS, ISSUE_TYPES, type CustomerTier, type IssueType } from '../../shared/contract/request';
import { InputProblem } from '../../shared/items';
import { FEEDBACK_POLICY } from '../../shared/policy';
import { SupabaseService, type Row } from '../../shared/services/supabase';
import { readWholeNumberOption } from '../../shared/n8n/options';
import { isEmail, surveyCandidate, ticketCandidate, tryReadFeedbackItem } from '../feedbackInput';
import { FEEDBACK_TICKET_TAGS, planFeedback, readFrom, type FeedbackCandidate, type OwnerRouting } from '../followUp';
import { lastRecordedChange, recordFeedback, type RecordOutcome } from '../followUpRun';
import { SURVEY_RESPONSES_TABLE } from '../../shared/store/surveyResponses';
import { TICKETS_TABLE } from '../../shared/store/tickets';
import { failureSink } from '../../shared/n8n/errorItems';

const FEEDBACK = 0;
const SUMMARY = 1;

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

export async function record(this: IExecuteFunctions, options: IDataObject, now: Date): Promise<INodeExecutionData[][]> {
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
	// each source is read from the latest source time recorded (a missed run is caught up), at least the look-back
	const readFromOf: Record<string, { since: string; reason: string }> = {};
	const until = now.toISOString();
	const sinceOf = async (from: string) => {
		const decided = readFrom(now, lookbackDays, await lastRecordedChange(supabase, from, now));
		readFromOf[from] = { since: decided.since.toISOString(), reason: decided.reason };
		return decided.since.toISOString();
	};
	if (source === 'supabase') {
		const surveys = this.getNodeParameter('surveyComments', 0, true) as boolean;
		const tickets = this.getNodeParameter('feedbackTickets', 0, true) as boolean;
		if (!surveys && !tickets) {
			throw new NodeOperationError(this.getNode(), 'Neither survey comments nor feedback tickets are read', { description: 'Turn on "Survey Comments" or "Feedback Tickets", or take feedback from input items.' });
		}
		const unhappyOnly = options.unhappyOnly === true;
		// stored since the mark, not answered: an answer delivered late is still picked up; stored up to Now, as of which the run acts
		if (surveys) {
			const since = await sinceOf('survey');
			read.surveyComments = await supabase.eachPage(
				SURVEY_RESPONSES_TABLE,
				{
					columns: 'customer_id, type, score, comment, tier, issue_type, responded_at, created_at',
					filters: [{ column: 'comment', op: 'not.is', value: null }, { column: 'created_at', op: 'gte', value: since }, { column: 'created_at', op: 'lte', value: until }],
				},
				(rows) => rows.forEach((row) => take(surveyCandidate(row as IDataObject, unhappyOnly))),
			);
		}
		// changed since the mark: a ticket tagged as feedback by a person after triage is picked up too
		if (tickets) {
			const since = await sinceOf('ticket');
			read.tickets = await supabase.eachPage(
				TICKETS_TABLE,
				{
					columns: 'external_id, subject, body, customer_id, customer_email, tier, issue_type, tags, ticket_created_at, created_at, updated_at',
					filters: [{ column: 'updated_at', op: 'gte', value: since }, { column: 'updated_at', op: 'lte', value: until }],
				},
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
			...(source === 'supabase' ? { since: Object.values(readFromOf).map((entry) => entry.since).sort()[0], readFrom: readFromOf } : {}),
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

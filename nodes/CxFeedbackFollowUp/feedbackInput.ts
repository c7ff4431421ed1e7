/**
 * Where feedback comes from: a survey answer with a comment, a ticket tagged as feedback (Supabase rows), or
 * an input item. Each becomes a FeedbackCandidate, or says why it is not one.
 */
import type { IDataObject } from 'n8n-workflow';
import { CUSTOMER_TIERS, ISSUE_TYPES } from '../shared/contract/request';
import { InputProblem, isEmailAddress, oneOf, optionalDate, optionalString, requiredString } from '../shared/items';
import { asIssueType, asTier, feedbackSummary, isFeedbackTicket, isUnhappyAnswer, type FeedbackCandidate } from './followUp';

/** An email address as the pack checks them (shared/items.ts isEmailAddress), spaces around it aside. */
export const isEmail = (text: string): boolean => isEmailAddress(text.trim());

/** The fields an input item may carry; source, source_id and summary are required. */
export const FEEDBACK_ITEM_FIELDS = 'source, source_id, summary, and optionally customer_id, owner (an email), issue_type, tier, feedback_at';

export type Skip = { skip: string };

const dateOf = (value: unknown): Date | undefined => {
	if (typeof value !== 'string' || !value) return undefined;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? undefined : date;
};

const textOf = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : undefined);

/** A survey_responses row: its comment is the feedback; with `unhappyOnly`, only detractors' and dissatisfied answers count. */
export function surveyCandidate(row: IDataObject, unhappyOnly: boolean): FeedbackCandidate | Skip {
	const summary = feedbackSummary(row.comment);
	if (!summary) return { skip: 'empty_comment' };
	if (unhappyOnly && !isUnhappyAnswer(row.type, row.score)) return { skip: 'satisfied_answer' };
	const customerId = textOf(row.customer_id);
	const feedbackAt = dateOf(row.responded_at) ?? dateOf(row.created_at);
	const sourceChangedAt = dateOf(row.created_at);
	const tier = asTier(row.tier);
	const issueType = asIssueType(row.issue_type);
	return {
		source: 'survey',
		sourceId: String(row.id),
		summary,
		...(customerId ? { customerId } : {}),
		...(feedbackAt ? { feedbackAt } : {}),
		...(sourceChangedAt ? { sourceChangedAt } : {}),
		...(tier ? { tier } : {}),
		...(issueType ? { issueType } : {}),
	};
}

/** A tickets row: feedback when its tags say so (triage's intent:feedback, or a person's feedback tag). */
export function ticketCandidate(row: IDataObject, feedbackTags: string[]): FeedbackCandidate | Skip {
	if (!isFeedbackTicket(row.tags, feedbackTags)) return { skip: 'not_feedback_ticket' };
	const summary = feedbackSummary(row.subject, row.body);
	if (!summary) return { skip: 'empty_ticket' };
	const customerId = textOf(row.customer_id) ?? textOf(row.customer_email);
	const feedbackAt = dateOf(row.ticket_created_at) ?? dateOf(row.created_at);
	const sourceChangedAt = dateOf(row.updated_at) ?? dateOf(row.created_at);
	const tier = asTier(row.tier);
	const issueType = asIssueType(row.issue_type);
	return {
		source: 'ticket',
		sourceId: String(row.external_id),
		summary,
		...(customerId ? { customerId } : {}),
		...(feedbackAt ? { feedbackAt } : {}),
		...(sourceChangedAt ? { sourceChangedAt } : {}),
		...(tier ? { tier } : {}),
		...(issueType ? { issueType } : {}),
	};
}

/** An input item with the fields of FEEDBACK_ITEM_FIELDS. */
export function tryReadFeedbackItem(json: IDataObject): FeedbackCandidate | InputProblem {
	try {
		const source = requiredString(json, 'source', 100).toLowerCase();
		const sourceId = optionalString(json, 'source_id', 500, true);
		if (!sourceId) throw new InputProblem('source_id', 'Field "source_id" is missing or empty', 'Give every item the id of the feedback in its source (a review id, a message id): with source it keeps a rerun from recording it twice.');
		const summary = feedbackSummary(requiredString(json, 'summary', 100_000));
		const owner = optionalString(json, 'owner', 320);
		if (owner && !isEmail(owner)) throw new InputProblem('owner', `Field "owner" is "${owner}", which is not an email address`, 'Give the owner\'s email address, or leave "owner" out for the node\'s owner settings to decide.');
		const customerId = optionalString(json, 'customer_id', 500, true);
		const issueType = oneOf(optionalString(json, 'issue_type', 50), ISSUE_TYPES, 'issue_type');
		const tier = oneOf(optionalString(json, 'tier', 50), CUSTOMER_TIERS, 'tier');
		const feedbackAt = optionalDate(json, 'feedback_at');
		return {
			source,
			sourceId,
			summary,
			...(customerId ? { customerId } : {}),
			...(owner ? { owner } : {}),
			...(issueType ? { issueType } : {}),
			...(tier ? { tier } : {}),
			...(feedbackAt ? { feedbackAt } : {}),
		};
	} catch (error) {
		if (error instanceof InputProblem) return error;
		return new InputProblem('', `Could not read the feedback: ${(error as Error).message}`, 'Check the item\'s fields.');
	}
}

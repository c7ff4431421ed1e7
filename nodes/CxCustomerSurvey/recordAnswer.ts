/**
 * Recording the answers the survey links bring in (an n8n Webhook node receives them). The token names
 * the invitation, and the invitation says who answered, about which order, on which scale: nothing the
 * customer could change in the link but the score. The answer is stored in survey_responses with the
 * token as its external id, so a second click replaces the first answer and a webhook delivered twice
 * stores one row.
 */
import type { IDataObject } from 'n8n-workflow';
import { InputProblem, readPath } from '../shared/items';
import type { Row, SupabaseService } from '../shared/services/supabase';
import { isSurveyToken, readScore, SURVEY_TYPES, type SurveyType } from './survey';
import { renderThankYouPage } from './surveyEmail';
import { SURVEY_RESPONSES_KEY, SURVEY_RESPONSES_TABLE } from '../shared/store/surveyResponses';
import { SURVEY_INVITES_TABLE } from '../shared/store/surveyInvites';

/** Longer comments are cut: the form allows 2000 characters, a link carries about that much. */
export const MAX_COMMENT_LENGTH = 2000;

export interface AnswerInput {
	token: string;
	rawScore: unknown;
	comment?: string;
}

export interface RecordedAnswer {
	type: SurveyType;
	score: number;
	orderId: string;
	orderName?: string;
	commented: boolean;
	respondedAt: string;
	thankYouHtml: string;
}

/** The first of these paths that holds a value: the Webhook node's query, a form's body, or the item itself. */
function firstValue(json: IDataObject, paths: string[]): unknown {
	for (const path of paths) {
		const value = readPath(json, path);
		if (value !== undefined && value !== null && value !== '') return value;
	}
	return undefined;
}

/** What an answer link brought: `t` (token), `s` (score), optional `comment`. Problems name the parameter. */
export function readAnswerItem(json: IDataObject): AnswerInput | InputProblem {
	const rawToken = firstValue(json, ['query.t', 'body.t', 't']);
	const token = typeof rawToken === 'string' ? rawToken.trim().toLowerCase() : '';
	if (!isSurveyToken(token)) {
		return new InputProblem('t', 'The survey link has no valid token (query parameter "t")', 'Answers come from the links in the survey email: `t` is the 24-character token the email carries.');
	}
	const rawScore = firstValue(json, ['query.s', 'body.s', 's']);
	if (rawScore === undefined) {
		return new InputProblem('s', 'The survey link has no score (query parameter "s")', 'Answers come from the links in the survey email: `s` is the number the customer clicked.');
	}
	const rawComment = firstValue(json, ['query.comment', 'body.comment', 'comment']);
	const comment = typeof rawComment === 'string' ? rawComment.trim().slice(0, MAX_COMMENT_LENGTH) : undefined;
	return { token, rawScore, ...(comment ? { comment } : {}) };
}

/** Each answer's outcome, in input order: the recorded answer, or a problem naming the parameter. */
export async function recordAnswers(supabase: SupabaseService, answers: AnswerInput[], now: Date, storeName?: string): Promise<Array<RecordedAnswer | InputProblem>> {
	const invites = new Map((await supabase.rowsWhereIn(SURVEY_INVITES_TABLE, 'token', answers.map((answer) => answer.token))).map((row) => [String(row.token), row]));
	const respondedAt = now.toISOString();
	const results: Array<RecordedAnswer | InputProblem> = [];
	// one row per token: the last answer of this batch wins, as a later click does
	const rows = new Map<string, Row>();
	for (const answer of answers) {
		const invite = invites.get(answer.token);
		if (!invite) {
			results.push(new InputProblem('t', 'The survey link\'s token is not one this store sent (query parameter "t")', 'The answer was not stored. A token comes from a survey email; a link copied in part or made up does not match one.'));
			continue;
		}
		const type = String(invite.type) as SurveyType;
		if (!(SURVEY_TYPES as readonly string[]).includes(type)) {
			results.push(new InputProblem('t', `The survey invitation has the question type "${type}", which this node does not know`, 'Check the row of survey_invites with this token.'));
			continue;
		}
		const score = readScore(type, answer.rawScore);
		if (typeof score === 'string') {
			results.push(new InputProblem('s', `The survey link's score is not an answer to this question (query parameter "s"): ${score}`, 'The answer was not stored. The links in the email carry the scores the question allows.'));
			continue;
		}
		rows.set(answer.token, {
			external_id: answer.token,
			customer_id: invite.customer_id ?? null,
			customer_email: invite.customer_email ?? null,
			order_id: invite.order_id,
			type,
			score,
			channel: 'email',
			tier: invite.tier ?? null,
			responded_at: respondedAt,
			...(answer.comment ? { comment: answer.comment } : {}),
		});
		results.push({
			type,
			score,
			orderId: String(invite.order_id),
			...(invite.order_name ? { orderName: String(invite.order_name) } : {}),
			commented: Boolean(answer.comment),
			respondedAt,
			thankYouHtml: renderThankYouPage({ type, score, token: answer.token, commented: Boolean(answer.comment), ...(storeName ? { storeName } : {}) }),
		});
	}
	const stored = [...rows.values()];
	// a click without a comment leaves a comment given before in place: the two kinds go in separate writes,
	// so the column is not part of the write that has none
	const withComment = stored.filter((row) => 'comment' in row);
	const withoutComment = stored.filter((row) => !('comment' in row));
	if (withoutComment.length) await supabase.upsert(SURVEY_RESPONSES_TABLE, withoutComment, SURVEY_RESPONSES_KEY);
	if (withComment.length) await supabase.upsert(SURVEY_RESPONSES_TABLE, withComment, SURVEY_RESPONSES_KEY);
	if (stored.length) {
		// answered_at keeps the first answer's time; the response row has the latest
		const tokens = stored.map((row) => String(row.external_id));
		for (let i = 0; i < tokens.length; i += 100) {
			await supabase.updateWhere(SURVEY_INVITES_TABLE, [{ column: 'token', op: 'in', value: tokens.slice(i, i + 100) }, { column: 'answered_at', op: 'is', value: null }], { answered_at: respondedAt });
		}
	}
	return results;
}

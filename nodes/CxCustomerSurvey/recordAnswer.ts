/**
 * The answers the survey links bring in (an n8n Webhook node receives them). The token names the
 * invitation, and the invitation says who answered, about which order, on which scale: nothing the
 * customer could change in the link but the score.
 *
 * A link in the email is followed with a GET, and mail security scanners (Safe Links, Proofpoint) follow
 * every link of an email before the customer sees it: a link click therefore records nothing. It gets a
 * page with the chosen score preselected and one button that sends the answer as a form (POST); that form
 * is what records it. The answer is stored in survey_responses with the token as its external id, so a
 * second send replaces the first answer and a form sent twice stores one row.
 */
import type { IDataObject } from 'n8n-workflow';
import { InputProblem, readPath, wellFormed } from '../shared/items';
import type { Row, SupabaseService } from '../shared/services/supabase';
import { isSurveyToken, readScore, SURVEY_TYPES, type SurveyType } from './survey';
import { renderAnswerPage, renderThankYouPage } from './surveyEmail';
import { SURVEY_RESPONSES_KEY, SURVEY_RESPONSES_TABLE } from '../shared/store/surveyResponses';
import { SURVEY_INVITES_TABLE } from '../shared/store/surveyInvites';

/** Longer comments are cut: the form allows 2000 characters, a link carries about that much. */
export const MAX_COMMENT_LENGTH = 2000;

/** link: a click on the email's link (GET: shows the answer page, records nothing); form: the page's form (POST: records). */
export type AnswerVia = 'link' | 'form';

export interface AnswerInput {
	token: string;
	rawScore: unknown;
	comment?: string;
	/** How the answer came; recordAnswers records whatever it is given, the operation sends a link to answerPages. */
	via?: AnswerVia;
}

/** The page a link click gets: the answer preselected, one button to send it. Nothing is recorded. */
export interface AnswerPage {
	type: SurveyType;
	score: number;
	/** The order asked about; empty for a question after support. */
	orderId: string;
	orderName?: string;
	/** The ticket asked about (a question after support). */
	ticketId?: string;
	pageHtml: string;
}

export interface RecordedAnswer {
	type: SurveyType;
	score: number;
	/** The order asked about; empty for a question after support. */
	orderId: string;
	orderName?: string;
	/** The ticket and the agent asked about (a question after support): the response row carries them too. */
	ticketId?: string;
	agent?: string;
	commented: boolean;
	respondedAt: string;
	thankYouHtml: string;
	/** the same page as thankYouHtml: what the webhook answers, for a link's page and a form's thank-you alike */
	pageHtml: string;
}

/** The first of these paths that holds a value: the Webhook node's query, a form's body, or the item itself. */
function firstValue(json: IDataObject, paths: string[]): unknown {
	for (const path of paths) {
		const value = readPath(json, path);
		if (value !== undefined && value !== null && value !== '') return value;
	}
	return undefined;
}

const given = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * How an item came: a form (POST) when the item says so (`method`) or carries the answer in its body or as
 * its own fields; a link (GET) when the answer is only in the query string, as a link in an email carries it.
 */
export function answerVia(json: IDataObject): AnswerVia {
	const method = typeof json.method === 'string' ? json.method.trim().toUpperCase() : typeof json.httpMethod === 'string' ? json.httpMethod.trim().toUpperCase() : '';
	if (method) return method === 'POST' ? 'form' : 'link';
	const body = json.body && typeof json.body === 'object' ? (json.body as IDataObject) : {};
	return given(body.t) || given(body.s) || given(json.t) || given(json.s) ? 'form' : 'link';
}

/**
 * What an answer link or form brought: `t` (token), `s` (score), optional `comment`, and how it came
 * (answerVia). A form is read from its body first: the page's form is sent to the link's own address, whose
 * query string still holds the score the link had, while the customer may have picked another. Problems
 * name the parameter.
 */
export function readAnswerItem(json: IDataObject): AnswerInput | InputProblem {
	const via = answerVia(json);
	const from = (name: string) => (via === 'form' ? [`body.${name}`, name, `query.${name}`] : [`query.${name}`, name, `body.${name}`]);
	const rawToken = firstValue(json, from('t'));
	const token = typeof rawToken === 'string' ? rawToken.trim().toLowerCase() : '';
	if (!isSurveyToken(token)) {
		return new InputProblem('t', 'The survey link has no valid token (query parameter "t")', 'Answers come from the links in the survey email: `t` is the 24-character token the email carries.');
	}
	const rawScore = firstValue(json, from('s'));
	if (rawScore === undefined) {
		return new InputProblem('s', 'The survey link has no score (query parameter "s")', 'Answers come from the links in the survey email: `s` is the number the customer clicked.');
	}
	const rawComment = firstValue(json, from('comment'));
	// a comment that is not text is a mapping mistake, not a comment to drop without a word
	if (rawComment !== undefined && typeof rawComment !== 'string') {
		return new InputProblem('comment', `The survey answer's comment (parameter "comment") must be text but is ${Array.isArray(rawComment) ? 'a list' : typeof rawComment === 'object' ? 'an object' : `${typeof rawComment} ${String(rawComment)}`}`, 'Answers come from the survey page\'s form: `comment` is the text the customer wrote, or left out.');
	}
	const comment = typeof rawComment === 'string' ? wellFormed(rawComment.trim().slice(0, MAX_COMMENT_LENGTH)) : undefined;
	return { token, rawScore, ...(comment ? { comment } : {}), via };
}

/** The invitation of a token and the score checked against its question, or a problem naming the parameter. */
function checkAnswer(invites: Map<string, Row>, answer: AnswerInput): { invite: Row; type: SurveyType; score: number } | InputProblem {
	const invite = invites.get(answer.token);
	if (!invite) {
		return new InputProblem('t', 'The survey link\'s token is not one this store sent (query parameter "t")', 'The answer was not stored. A token comes from a survey email; a link copied in part or made up does not match one.');
	}
	const type = String(invite.type) as SurveyType;
	if (!(SURVEY_TYPES as readonly string[]).includes(type)) {
		return new InputProblem('t', `The survey invitation has the question type "${type}", which this node does not know`, 'Check the row of survey_invites with this token.');
	}
	const score = readScore(type, answer.rawScore);
	if (typeof score === 'string') {
		return new InputProblem('s', `The survey link's score is not an answer to this question (query parameter "s"): ${score}`, 'The answer was not stored. The links in the email carry the scores the question allows.');
	}
	return { invite, type, score };
}

const invitesOf = async (supabase: SupabaseService, answers: AnswerInput[]) =>
	new Map((await supabase.rowsWhereIn(SURVEY_INVITES_TABLE, 'token', answers.map((answer) => answer.token))).map((row) => [String(row.token), row]));

/**
 * The pages for link clicks: the token and score are checked (a read), nothing is written, so a scanner
 * that follows the link answers nothing. Each page, in input order, or a problem naming the parameter.
 */
export async function answerPages(supabase: SupabaseService, answers: AnswerInput[], storeName?: string): Promise<Array<AnswerPage | InputProblem>> {
	const invites = await invitesOf(supabase, answers);
	return answers.map((answer) => {
		const checked = checkAnswer(invites, answer);
		if (checked instanceof InputProblem) return checked;
		const { invite, type, score } = checked;
		const orderName = invite.order_name ? String(invite.order_name) : undefined;
		const ticketId = invite.ticket_id ? String(invite.ticket_id) : undefined;
		return {
			type,
			score,
			orderId: invite.order_id ? String(invite.order_id) : '',
			...(orderName ? { orderName } : {}),
			...(ticketId ? { ticketId } : {}),
			pageHtml: renderAnswerPage({ type, score, token: answer.token, ...(orderName ? { orderName } : {}), ...(ticketId ? { about: 'ticket' as const } : {}), ...(storeName ? { storeName } : {}) }),
		};
	});
}

/** Records the answers sent by the answer page's form (or given as items). Each answer's outcome, in input order: the recorded answer, or a problem naming the parameter. */
export async function recordAnswers(supabase: SupabaseService, answers: AnswerInput[], now: Date, storeName?: string): Promise<Array<RecordedAnswer | InputProblem>> {
	const invites = await invitesOf(supabase, answers);
	const respondedAt = now.toISOString();
	const results: Array<RecordedAnswer | InputProblem> = [];
	// one row per token: the last answer of this batch wins, as a later click does
	const rows = new Map<string, Row>();
	for (const answer of answers) {
		const checked = checkAnswer(invites, answer);
		if (checked instanceof InputProblem) {
			results.push(checked);
			continue;
		}
		const { invite, type, score } = checked;
		const page = renderThankYouPage({ type, score, token: answer.token, commented: Boolean(answer.comment), ...(storeName ? { storeName } : {}) });
		rows.set(answer.token, {
			external_id: answer.token,
			customer_id: invite.customer_id ?? null,
			customer_email: invite.customer_email ?? null,
			order_id: invite.order_id ?? null,
			// a question after support: the answer is the ticket's and its agent's
			...(invite.ticket_id ? { ticket_id: invite.ticket_id, agent: invite.agent ?? null } : {}),
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
			orderId: invite.order_id ? String(invite.order_id) : '',
			...(invite.order_name ? { orderName: String(invite.order_name) } : {}),
			...(invite.ticket_id ? { ticketId: String(invite.ticket_id) } : {}),
			...(invite.agent ? { agent: String(invite.agent) } : {}),
			commented: Boolean(answer.comment),
			respondedAt,
			thankYouHtml: page,
			pageHtml: page,
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

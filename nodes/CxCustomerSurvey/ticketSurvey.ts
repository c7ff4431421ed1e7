/**
 * Satisfaction after support: which solved tickets get one CSAT question about the help the customer got.
 * Pure: the solved tickets, the invitations already recorded and the clock come in, decisions with their
 * reasons go out. The same machinery as the post-purchase survey (survey.ts): one invitation per ticket, the
 * per-customer throttle across every survey, and the consent rule "not opted out".
 *
 * Consent: the question is a service message about the customer's own ticket, not marketing, so it does not
 * wait for an email marketing subscription (the post-purchase survey's option "not opted out", here always);
 * a customer known to have opted out (UNSUBSCRIBED, INVALID, REDACTED) is never asked, and every survey email
 * carries the survey unsubscribe group, so whoever left it is not mailed.
 */
import { consentAllows, customerKeys, latestOtherSurvey, surveysSince, type KnownInvite } from './survey';
import { SURVEY_POLICY } from '../shared/policy';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A solved (or closed) ticket as the tickets table holds it. */
export interface SolvedTicket {
	/** tickets.external_id: the helpdesk's id. */
	ticketId: string;
	status: string;
	/** When it was (last) solved. */
	resolvedAt?: string;
	customerId?: string;
	email?: string;
	firstName?: string;
	subject?: string;
	/** The agent the ticket was assigned to when solved. */
	agent?: string;
	tags: string[];
	orderId?: string;
	tier?: string;
	channel?: string;
	/** Shopify's email marketing state when known; unknown is "never chose". */
	marketingConsent?: string;
}

export interface TicketSurveyPolicy {
	/** Ask this many hours after the solve: a ticket reopened in that time is not asked about yet. */
	hoursAfterSolve: number;
	/** Solves up to this many days before that are looked at; after missed runs, every solve since the latest one asked about. */
	catchUpDays: number;
	/** One survey (of any kind) per customer in this many days. */
	throttleDays: number;
	/** Tags (besides the spam and merge tags) that mean "do not ask about this ticket". */
	skipTags: string[];
}

export const DEFAULT_TICKET_SURVEY_POLICY: TicketSurveyPolicy = {
	// Zendesk's default automation asks for a satisfaction rating 24 hours after a ticket is solved
	hoursAfterSolve: 24,
	catchUpDays: 7,
	throttleDays: SURVEY_POLICY.throttleDays,
	skipTags: [],
};

/** A solve up to this long before the latest one asked about is looked at again: a solve recorded late is not lost. */
export const SOLVE_OVERLAP_MS = HOUR;

const SOLVED = new Set(['solved', 'closed']);

/**
 * Whether a tag says the ticket was closed as spam or merged into another, as helpdesks tag them: a tag whose
 * words (split on anything not a letter or digit, any case) include spam, merged or merge, e.g. `spam`,
 * `Spam`, `marked-as-spam`, `merged`, `merged_into_4821`, Zendesk's `closed_by_merge`. Such a ticket was no
 * conversation with the customer: nobody is asked about it.
 */
export function isSpamOrMergedTag(tag: string): boolean {
	const words = tag.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
	return words.some((word) => word === 'spam' || word === 'merged' || word === 'merge');
}

/** Solves in (from, to]: at least `hoursAfterSolve` ago, back to the latest solve asked about (less an hour), never less than `catchUpDays` before `to`. */
export function solveWindow(now: Date, policy: Pick<TicketSurveyPolicy, 'hoursAfterSolve' | 'catchUpDays'>, lastAsked?: Date): { from: Date; to: Date; catchUp?: true } {
	const to = new Date(now.getTime() - policy.hoursAfterSolve * HOUR);
	const from = to.getTime() - policy.catchUpDays * DAY;
	if (lastAsked && lastAsked.getTime() <= to.getTime() && lastAsked.getTime() - SOLVE_OVERLAP_MS < from) {
		return { from: new Date(lastAsked.getTime() - SOLVE_OVERLAP_MS), to, catchUp: true };
	}
	return { from: new Date(from), to };
}

export interface TicketSurveyDecision {
	ticket: SolvedTicket;
	inWindow: boolean;
	survey: boolean;
	/** The ticket's invitation is recorded but was never claimed for sending (an earlier run stopped first). */
	resume: boolean;
	reasons: string[];
}

export interface TicketSurveySummary {
	tickets: number;
	solvedInWindow: number;
	toSurvey: number;
	skipped: Record<string, number>;
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * Decides every ticket: asked when solved (or closed) inside the window, not closed as spam or merged (nor with
 * a skip tag), not asked about before (one CSAT per ticket, whatever reopens followed), with an email, not
 * opted out, and with no other survey to the customer within the throttle. A customer with several solved
 * tickets is asked about the earliest solved one; the others wait for the throttle.
 */
export function planTicketSurveys(tickets: SolvedTicket[], invites: KnownInvite[], policy: TicketSurveyPolicy, now: Date, lastAsked?: Date): { decisions: TicketSurveyDecision[]; summary: TicketSurveySummary } {
	const window = solveWindow(now, policy, lastAsked);
	const throttleSince = now.getTime() - policy.throttleDays * DAY;
	const skipTags = new Set(policy.skipTags.map((tag) => tag.trim().toLowerCase()).filter(Boolean));
	const ownInvite = new Map<string, KnownInvite>();
	for (const invite of invites) if (invite.ticketId && invite.type === 'csat') ownInvite.set(invite.ticketId, invite);
	const surveyed = surveysSince(invites, throttleSince);
	const summary: TicketSurveySummary = { tickets: tickets.length, solvedInWindow: 0, toSurvey: 0, skipped: {} };
	const decisions = new Map<SolvedTicket, TicketSurveyDecision>();
	const skip = (decision: TicketSurveyDecision, reason: string) => {
		decision.reasons.push(reason);
		const key = reason.split(':')[0];
		summary.skipped[key] = (summary.skipped[key] ?? 0) + 1;
	};
	const inWindow: SolvedTicket[] = [];
	for (const ticket of tickets) {
		const decision: TicketSurveyDecision = { ticket, inWindow: false, survey: false, resume: false, reasons: [] };
		decisions.set(ticket, decision);
		const solved = ticket.resolvedAt ? Date.parse(ticket.resolvedAt) : Number.NaN;
		if (!SOLVED.has(ticket.status.trim().toLowerCase())) decision.reasons.push(`not_solved:${ticket.status || 'unknown'}`);
		else if (Number.isNaN(solved)) decision.reasons.push('no_resolved_at');
		else if (solved > window.to.getTime()) decision.reasons.push(`solved_too_recently:${Math.floor((now.getTime() - solved) / HOUR)}h_ago`);
		else if (solved <= window.from.getTime()) decision.reasons.push(`solved_before_window:${Math.floor((now.getTime() - solved) / DAY)}d_ago`);
		else inWindow.push(ticket);
	}
	inWindow.sort((a, b) => Date.parse(a.resolvedAt!) - Date.parse(b.resolvedAt!) || a.ticketId.localeCompare(b.ticketId));
	const chosenThisRun = new Set<string>();
	for (const ticket of inWindow) {
		const decision = decisions.get(ticket)!;
		decision.inWindow = true;
		summary.solvedInWindow++;
		decision.reasons.push(`solved:${day(new Date(ticket.resolvedAt!).toISOString())}`);
		const own = ownInvite.get(ticket.ticketId);
		if (own && own.status !== 'pending') {
			skip(decision, `already_surveyed:${own.status}`);
			continue;
		}
		const spamOrMerged = ticket.tags.find(isSpamOrMergedTag);
		if (spamOrMerged !== undefined) {
			skip(decision, `spam_or_merged:${spamOrMerged}`);
			continue;
		}
		const skipTag = ticket.tags.find((tag) => skipTags.has(tag.trim().toLowerCase()));
		if (skipTag !== undefined) {
			skip(decision, `skip_tag:${skipTag}`);
			continue;
		}
		if (!ticket.email) {
			skip(decision, 'no_email');
			continue;
		}
		const consent = ticket.marketingConsent ?? 'NOT_SUBSCRIBED';
		if (!consentAllows(consent, 'notOptedOut')) {
			skip(decision, `consent_${consent.trim().toLowerCase()}`);
			continue;
		}
		const keys = customerKeys(ticket);
		if (keys.some((key) => chosenThisRun.has(key))) {
			skip(decision, 'throttled:another_ticket_this_run');
			continue;
		}
		const latest = latestOtherSurvey(surveyed, keys, (entry) => entry.ticketId === ticket.ticketId);
		if (latest !== undefined) {
			skip(decision, `throttled:surveyed_${day(new Date(latest).toISOString())}:within_${policy.throttleDays}d`);
			continue;
		}
		for (const key of keys) chosenThisRun.add(key);
		decision.survey = true;
		decision.resume = own?.status === 'pending';
		decision.reasons.push(decision.resume ? 'resume:invite_recorded_not_sent' : 'ask:csat_after_support');
		summary.toSurvey++;
	}
	return { decisions: tickets.map((ticket) => decisions.get(ticket)!), summary };
}

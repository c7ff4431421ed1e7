/**
 * The post-purchase survey decisions (seeds/000 "Reach out after each purchase"): which delivered orders
 * get a thank-you with a question, and whether an answer is one the question allows. Pure: the orders, the
 * invitations already recorded and the clock come in, decisions with their reasons go out.
 */
import type { DeliveredOrder } from '../shared/contract/order';
import { SATISFACTION_POLICY, SURVEY_POLICY } from '../shared/policy';

const DAY = 86_400_000;

export const SURVEY_TYPES = ['csat', 'nps'] as const;
export type SurveyType = (typeof SURVEY_TYPES)[number];

/** The answers each question allows: CSAT 1-5, NPS 0-10 (SATISFACTION_POLICY.scales, DESIGN.md "Metrics"). */
export const SURVEY_SCALES: Record<SurveyType, { min: number; max: number }> = {
	csat: { min: SATISFACTION_POLICY.scales.csat.min, max: SATISFACTION_POLICY.scales.csat.max },
	nps: { min: SATISFACTION_POLICY.scales.nps.min, max: SATISFACTION_POLICY.scales.nps.max },
};

/**
 * Whose email consent lets them be asked. `subscribed`: only customers subscribed to email marketing, as
 * win-back. `notOptedOut`: also customers who never chose (NOT_SUBSCRIBED, PENDING), for stores whose law
 * lets them ask their own customers about a purchase without marketing consent; never anyone who opted out.
 */
export type ConsentRule = 'subscribed' | 'notOptedOut';

/** Shopify's CustomerEmailMarketingState values that mean "do not email" whatever the rule. */
const OPTED_OUT = new Set(['UNSUBSCRIBED', 'INVALID', 'REDACTED']);

export interface SurveyPolicy {
	/** Ask this many days after the (last) parcel arrived. */
	daysAfterDelivery: number;
	/** Orders delivered up to this many days before that still get asked: a missed run is caught up, not lost. */
	catchUpDays: number;
	/** One survey per customer in this many days. */
	throttleDays: number;
	consent: ConsentRule;
}

export const DEFAULT_SURVEY_POLICY: SurveyPolicy = {
	daysAfterDelivery: SURVEY_POLICY.daysAfterDelivery,
	// the pack's choice: a week of missed daily runs is caught up; older deliveries are not asked about
	catchUpDays: 7,
	throttleDays: SURVEY_POLICY.throttleDays,
	consent: 'subscribed',
};


/** An invitation already in the ledger (survey_invites). */
export interface KnownInvite {
	/** The order asked about; empty for an invitation about a ticket. */
	orderId: string;
	/** The ticket asked about (satisfaction after support, ticketSurvey.ts). */
	ticketId?: string;
	type: string;
	customerId?: string;
	customerEmail?: string;
	status: string;
	sentAt?: string;
	createdAt?: string;
}

export interface SurveyDecision {
	order: DeliveredOrder;
	/** Delivered inside the window: the orders the summary accounts for. */
	inWindow: boolean;
	survey: boolean;
	/** The order's invitation is recorded but was never claimed for sending (an earlier run stopped first). */
	resume: boolean;
	reasons: string[];
}

export interface SurveySummary {
	orders: number;
	deliveredInWindow: number;
	toSurvey: number;
	/** In-window orders not asked, by reason. */
	skipped: Record<string, number>;
}

/** A delivery up to this long before the latest one asked about is looked at again: a delivery recorded late is not lost. */
export const CATCH_UP_OVERLAP_MS = 60 * 60 * 1000;

/**
 * Deliveries in (from, to]: at least `daysAfterDelivery` days ago, and back to the latest delivery the
 * survey was already sent for (`lastAsked`, less CATCH_UP_OVERLAP_MS), so runs missed for longer than
 * `catchUpDays` lose no order; never less than `catchUpDays` days before `to`, which also bounds the first
 * run. A `lastAsked` after `to` (recorded as of a later Now) does not count. `catchUp` is set when the
 * latest delivery asked about reaches further back than `catchUpDays`.
 */
export function deliveryWindow(now: Date, policy: Pick<SurveyPolicy, 'daysAfterDelivery' | 'catchUpDays'>, lastAsked?: Date): { from: Date; to: Date; catchUp?: true } {
	const to = new Date(now.getTime() - policy.daysAfterDelivery * DAY);
	const from = to.getTime() - policy.catchUpDays * DAY;
	if (lastAsked && lastAsked.getTime() <= to.getTime() && lastAsked.getTime() - CATCH_UP_OVERLAP_MS < from) {
		return { from: new Date(lastAsked.getTime() - CATCH_UP_OVERLAP_MS), to, catchUp: true };
	}
	return { from: new Date(from), to };
}

export function consentAllows(state: string, rule: ConsentRule): boolean {
	const normalised = state.trim().toUpperCase();
	if (rule === 'subscribed') return normalised === 'SUBSCRIBED';
	return !OPTED_OUT.has(normalised);
}

/** The keys a customer is known by: the id as given, and the email lower-cased. */
export function customerKeys(customer: { customerId?: string; email?: string }): string[] {
	return [...(customer.customerId ? [`id:${customer.customerId}`] : []), ...(customer.email ? [`email:${customer.email.trim().toLowerCase()}`] : [])];
}

const day = (iso: string) => iso.slice(0, 10);
const daysBetween = (earlier: number, later: number) => Math.floor((later - earlier) / DAY);

/** A survey a customer was sent (or that is on its way): the order or ticket and question it was for, and when. */
export interface SurveyedEntry {
	orderId: string;
	type: string;
	ticketId?: string;
	at: number;
}

/**
 * Every survey sent or on its way (pending, sending) since `throttleSince`, per customer key (id and email): what
 * the throttle reads, for order surveys and ticket surveys alike.
 */
export function surveysSince(invites: KnownInvite[], throttleSince: number): Map<string, SurveyedEntry[]> {
	const surveyed = new Map<string, SurveyedEntry[]>();
	for (const invite of invites) {
		const inFlight = invite.status === 'pending' || invite.status === 'sending';
		const at = Date.parse(String((invite.status === 'sent' ? invite.sentAt : invite.createdAt) ?? ''));
		if (!(invite.status === 'sent' || inFlight) || Number.isNaN(at) || at < throttleSince) continue;
		for (const key of customerKeys({ customerId: invite.customerId, email: invite.customerEmail })) {
			const entry: SurveyedEntry = { orderId: invite.orderId, type: invite.type, ...(invite.ticketId ? { ticketId: invite.ticketId } : {}), at };
			const list = surveyed.get(key);
			if (list) list.push(entry);
			else surveyed.set(key, [entry]);
		}
	}
	return surveyed;
}

/** When the customer (any of their keys) was last surveyed, leaving out the invitation being decided (`own`). */
export function latestOtherSurvey(surveyed: Map<string, SurveyedEntry[]>, keys: string[], own: (entry: SurveyedEntry) => boolean): number | undefined {
	return keys
		.flatMap((key) => surveyed.get(key) ?? [])
		.filter((entry) => !own(entry))
		.reduce<number | undefined>((max, entry) => (max === undefined || entry.at > max ? entry.at : max), undefined);
}

/**
 * Decides every order: asked when delivered inside the window (deliveryWindow, caught up from `lastAsked`), not asked about before (this question),
 * with an email, with consent under the rule, and with no other survey to the customer within the
 * throttle (sent, or on its way). A customer with several orders in the window is asked about the
 * earliest delivered one; the others wait for the throttle like any other.
 */
export function planSurveys(orders: DeliveredOrder[], invites: KnownInvite[], type: SurveyType, policy: SurveyPolicy, now: Date, lastAsked?: Date): { decisions: SurveyDecision[]; summary: SurveySummary } {
	const window = deliveryWindow(now, policy, lastAsked);
	const throttleSince = now.getTime() - policy.throttleDays * DAY;
	const ownInvite = new Map<string, KnownInvite>();
	for (const invite of invites) if (invite.type === type && !invite.ticketId) ownInvite.set(invite.orderId, invite);
	// the customer's surveys, per key, with the order and question they were for (an order's own invitation does not throttle it)
	const surveyed = surveysSince(invites, throttleSince);
	const chosenThisRun = new Set<string>();
	const summary: SurveySummary = { orders: orders.length, deliveredInWindow: 0, toSurvey: 0, skipped: {} };
	const decisions = new Map<DeliveredOrder, SurveyDecision>();
	const skip = (decision: SurveyDecision, reason: string) => {
		decision.reasons.push(reason);
		const key = reason.split(':')[0];
		summary.skipped[key] = (summary.skipped[key] ?? 0) + 1;
	};

	const inWindow: DeliveredOrder[] = [];
	for (const order of orders) {
		const delivered = order.deliveredAt ? Date.parse(order.deliveredAt) : Number.NaN;
		const decision: SurveyDecision = { order, inWindow: false, survey: false, resume: false, reasons: [] };
		decisions.set(order, decision);
		if (Number.isNaN(delivered)) decision.reasons.push('not_delivered');
		else if (delivered > window.to.getTime()) decision.reasons.push(`delivered_too_recently:${daysBetween(delivered, now.getTime())}d_ago`);
		else if (delivered <= window.from.getTime()) decision.reasons.push(`delivered_before_window:${daysBetween(delivered, now.getTime())}d_ago`);
		else inWindow.push(order);
	}
	// earliest delivery first, so the order whose catch-up ends first is the one asked about
	inWindow.sort((a, b) => Date.parse(a.deliveredAt!) - Date.parse(b.deliveredAt!) || a.orderId.localeCompare(b.orderId));
	for (const order of inWindow) {
		const decision = decisions.get(order)!;
		decision.inWindow = true;
		summary.deliveredInWindow++;
		const delivered = Date.parse(order.deliveredAt!);
		decision.reasons.push(`delivered:${day(order.deliveredAt!)}:${daysBetween(delivered, now.getTime())}d_ago`);
		const own = ownInvite.get(order.orderId);
		if (own && own.status !== 'pending') {
			skip(decision, `already_surveyed:${own.status}`);
			continue;
		}
		if (!order.email) {
			skip(decision, 'no_email');
			continue;
		}
		if (!consentAllows(order.marketingConsent, policy.consent)) {
			skip(decision, `consent_${order.marketingConsent.trim().toLowerCase() || 'unknown'}`);
			continue;
		}
		const keys = customerKeys(order);
		if (keys.some((key) => chosenThisRun.has(key))) {
			skip(decision, 'throttled:another_order_this_run');
			continue;
		}
		const latest = latestOtherSurvey(surveyed, keys, (entry) => entry.orderId === order.orderId && entry.type === type && !entry.ticketId);
		if (latest !== undefined) {
			skip(decision, `throttled:surveyed_${day(new Date(latest).toISOString())}:within_${policy.throttleDays}d`);
			continue;
		}
		for (const key of keys) chosenThisRun.add(key);
		decision.survey = true;
		decision.resume = own?.status === 'pending';
		decision.reasons.push(decision.resume ? 'resume:invite_recorded_not_sent' : `ask:${type}`);
		summary.toSurvey++;
	}
	return { decisions: orders.map((order) => decisions.get(order)!), summary };
}

/** A survey token as the node makes them: 24 characters of RFC 4648 base32 (lower case), 120 random bits. */
export function isSurveyToken(text: string): boolean {
	return /^[a-z2-7]{24}$/.test(text);
}

/** A score as an error shows it: text quoted (cut at 40 characters), a list or an object named as such. */
function shownScore(raw: unknown): string {
	if (Array.isArray(raw)) return 'given as a list';
	if (raw !== null && typeof raw === 'object') return 'given as an object';
	const text = String(raw ?? '');
	return `"${text.length > 40 ? `${text.slice(0, 40)}...` : text}"`;
}

/** The answer as the link gives it, checked against the question's scale; a string says what is wrong. */
export function readScore(type: SurveyType, raw: unknown): number | string {
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	const { min, max } = SURVEY_SCALES[type];
	if (!/^\d{1,2}$/.test(text)) return `the score ${shownScore(raw)} is not a whole number from ${min} to ${max}`;
	const score = Number(text);
	if (score < min || score > max) return `the score ${score} is outside the ${type.toUpperCase()} scale of ${min} to ${max}`;
	return score;
}

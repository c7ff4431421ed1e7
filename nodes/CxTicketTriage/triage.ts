/**
 * The triage decision: (ticket, customer profile, policy, now) -> the director's request contract plus
 * intents, sentiment, flags, tier, priority, SLA due times and the reasons for each. Pure: no n8n, no I/O.
 */
import { formatTime } from '../shared/email/text';
import {
	higherPriority,
	priorityRank,
	raisePriority,
	type Channel,
	type CustomerTier,
	type DirectorRequest,
	type FollowUp,
	type InteractionType,
	type IssueType,
	type Priority,
	type ResolutionType,
	type Sentiment,
} from '../shared/contract/request';
import { formatMoney, isOver, moneyFromDecimal } from '../shared/money';
import { ESCALATION_POLICY, FIRST_RESPONSE_MINUTES, RESOLUTION_HOURS, TIER_POLICY, type TierPolicy } from '../shared/policy';
import { addBusinessMinutes, addMinutes, dueAfterPauses, type BusinessHours } from '../shared/time';
import { tierFromProfile, type CustomerProfile } from '../shared/contract/customer';
import type { Ticket } from '../shared/contract/ticket';
import { readSignals, type Intent, type IntentMatch } from './language';

export interface TriagePolicy {
	tiers: TierPolicy;
	escalation: typeof ESCALATION_POLICY;
	firstResponse: typeof FIRST_RESPONSE_MINUTES;
	resolutionHours: typeof RESOLUTION_HOURS;
	/** Off (null): SLA clocks run around the clock. */
	businessHours: BusinessHours | null;
}

export const DEFAULT_TRIAGE_POLICY: TriagePolicy = {
	tiers: TIER_POLICY,
	escalation: ESCALATION_POLICY,
	firstResponse: FIRST_RESPONSE_MINUTES,
	resolutionHours: RESOLUTION_HOURS,
	businessHours: null,
};

export type Confidence = 'high' | 'medium' | null;

export interface TriageResult {
	ticketId: string;
	channel: Channel;
	/** 'general' when no intent is clear: never a guess presented as certain. */
	intent: Intent;
	/** null when unsure. */
	confidence: Confidence;
	intents: IntentMatch[];
	sentiment: { label: Sentiment; score: number };
	flags: { threatening: boolean; urgent: boolean; threats: string[]; urgency: string[] };
	tier: CustomerTier;
	tierSource: 'input' | 'shopify' | 'default';
	priority: Priority;
	escalate: boolean;
	escalationReasons: string[];
	tags: string[];
	sla: {
		firstResponseMinutes: number;
		firstResponseDueAt: string;
		resolutionHours: number;
		resolutionDueAt: string;
		clock: 'business_hours' | 'calendar';
		timeZone?: string;
		/** Store holidays the business-hours clock skips. */
		holidays?: string[];
		firstResponseOverdue: boolean;
		/** Never while the ticket waits on the customer: its resolution clock is paused. */
		resolutionOverdue: boolean;
		/** The ticket waits on the customer (pending, on hold, or a pause under way): the resolution clock is paused. */
		resolutionPaused: boolean;
		/** How far waiting on the customer has moved the resolution on, in seconds (earlier pauses and the current one up to now; on a business-hours clock the current one counts its working time, and the move is working time too). */
		pausedSeconds: number;
		/** When the resolution is due once the wait so far is added: resolutionDueAt moved on by pausedSeconds. */
		resolutionDueAfterWaitAt: string;
	};
	customer?: {
		lifetimeSpend: string;
		orderCount: number;
		tags: string[];
		latestOrder?: CustomerProfile['latestOrder'];
	};
	reasons: string[];
	summary: string;
}

export interface TriageDecision {
	request: DirectorRequest;
	triage: TriageResult;
}

const QUALITY_INTENTS: Intent[] = ['damaged', 'wrong_item', 'missing_item'];

const ISSUE_BY_INTENT: Record<Intent, IssueType> = {
	shipping_status: 'shipping',
	shipping_delay: 'shipping',
	damaged: 'product',
	wrong_item: 'order',
	missing_item: 'order',
	refund_request: 'order',
	return_request: 'order',
	exchange_request: 'order',
	cancellation: 'order',
	billing: 'order',
	order_change: 'order',
	discount_issue: 'order',
	product_question: 'product',
	feedback: 'general',
	praise: 'general',
	general: 'general',
};

const RESOLUTION_BY_INTENT: Partial<Record<Intent, ResolutionType>> = {
	damaged: 'replacement',
	wrong_item: 'replacement',
	missing_item: 'replacement',
	exchange_request: 'replacement',
	refund_request: 'refund',
	return_request: 'refund',
	cancellation: 'refund',
	discount_issue: 'credit',
};

/** Base priority by what the customer needs: broken goods and money first, questions last. */
const PRIORITY_BY_INTENT: Record<Intent, Priority> = {
	damaged: 'high',
	wrong_item: 'high',
	missing_item: 'high',
	billing: 'high',
	cancellation: 'high',
	order_change: 'high',
	shipping_delay: 'medium',
	refund_request: 'medium',
	return_request: 'medium',
	exchange_request: 'medium',
	discount_issue: 'medium',
	general: 'medium',
	shipping_status: 'low',
	product_question: 'low',
	feedback: 'low',
	praise: 'low',
};

/** An intent needs at least one clear cue (weight 1) to be named; weaker evidence stays 'general'. */
const MIN_INTENT_SCORE = 1;
const SENTIMENT_NEGATIVE = -0.2;
const SENTIMENT_POSITIVE = 0.2;
const VERY_NEGATIVE = -0.6;


function sentimentLabel(score: number): Sentiment {
	if (score <= SENTIMENT_NEGATIVE) return 'negative';
	if (score >= SENTIMENT_POSITIVE) return 'positive';
	return 'neutral';
}

function chooseIntent(intents: IntentMatch[]): { intent: Intent; confidence: Confidence } {
	// praise rides along with complaints ("love your shop, but ..."): it names the ticket only when alone
	const issues = intents.filter((match) => match.intent !== 'praise');
	const ranked = issues.length ? issues : intents;
	const [first, second] = ranked;
	if (!first || first.score < MIN_INTENT_SCORE) return { intent: 'general', confidence: null };
	const clear = first.score >= 2 && (!second || first.score >= 2 * second.score);
	return { intent: first.intent, confidence: clear ? 'high' : 'medium' };
}

function firstResponseTarget(
	policy: TriagePolicy['firstResponse'],
	ticket: Ticket,
	intent: Intent,
	tier: CustomerTier,
	priority: Priority,
): { minutes: number; reason: string } {
	const issueTarget = QUALITY_INTENTS.includes(intent)
		? ['quality', policy.byIssue.quality]
		: ISSUE_BY_INTENT[intent] === 'shipping'
			? ['shipping', policy.byIssue.shipping]
			: ['general', policy.byIssue.general];
	const candidates: Array<[string, number | undefined]> = [
		['overall', policy.overall],
		[`issue_${issueTarget[0]}`, issueTarget[1] as number],
		[`channel_${ticket.channel}`, policy.byChannel[ticket.channel]],
		[`priority_${priority}`, policy.byPriority[priority]],
		['tier_vip', tier === 'vip' ? policy.vip : undefined],
	];
	let best: [string, number] = ['overall', policy.overall];
	for (const [name, minutes] of candidates) {
		if (minutes !== undefined && minutes > 0 && minutes < best[1]) best = [name, minutes];
	}
	return { minutes: best[1], reason: `first_response_${formatDuration(best[1])}:${best[0]}` };
}

function formatDuration(minutes: number): string {
	if (minutes < 1) return `${Math.round(minutes * 60)}s`;
	if (minutes < 60 || minutes % 60) return `${minutes}m`;
	return `${minutes / 60}h`;
}

export function triageTicket(
	ticket: Ticket,
	profile: CustomerProfile | undefined,
	policy: TriagePolicy,
	now: Date,
): TriageDecision {
	const reasons: string[] = [];
	const signals = readSignals(ticket.subject, ticket.body);
	const { intent, confidence } = chooseIntent(signals.intents);
	reasons.push(confidence ? `intent_${intent}:${confidence}` : 'intent_general:no_clear_intent');

	const sentiment = { label: sentimentLabel(signals.sentimentScore), score: signals.sentimentScore };
	reasons.push(`sentiment_${sentiment.label}:${sentiment.score}`);
	const threatening = signals.threats.length > 0;
	const urgent = signals.urgency.length > 0;
	if (threatening) reasons.push(`threatening:${signals.threats.join('+')}`);
	if (urgent) reasons.push(`urgent_language:${signals.urgency.join('+')}`);

	let tier: CustomerTier = 'regular';
	let tierSource: TriageResult['tierSource'] = 'default';
	if (ticket.tier) {
		tier = ticket.tier;
		tierSource = 'input';
		reasons.push(`tier_${tier}:from_ticket`);
	} else if (profile) {
		const fromProfile = tierFromProfile(profile, policy.tiers);
		tier = fromProfile.tier;
		tierSource = 'shopify';
		reasons.push(fromProfile.reason);
	} else {
		reasons.push('tier_regular:unknown_customer');
	}

	let priority = PRIORITY_BY_INTENT[intent];
	reasons.push(`priority_base_${priority}:intent_${intent}`);
	const raise = (to: Priority, why: string) => {
		if (priorityRank(to) > priorityRank(priority)) {
			priority = to;
			reasons.push(`priority_${to}:${why}`);
		}
	};
	if (sentiment.score <= VERY_NEGATIVE) raise(raisePriority(priority), 'very_negative_sentiment');
	if (urgent) raise(sentiment.label === 'negative' ? 'urgent' : 'high', 'urgent_language');
	if (tier === 'vip') raise(higherPriority(raisePriority(priority), 'high'), 'tier_vip');
	const orderValueLimit = policy.escalation.escalateOrderValueOver;
	const bigOrder =
		ticket.orderValue !== undefined &&
		orderValueLimit > 0 &&
		isOver(ticket.orderValue, moneyFromDecimal(orderValueLimit, ticket.orderValue.currency));
	if (bigOrder) raise('high', `order_value_over_${orderValueLimit}`);
	if (threatening) raise('urgent', 'threatening_language');

	const escalationReasons: string[] = [];
	if (policy.escalation.escalateVip && tier === 'vip') escalationReasons.push('tier_vip');
	if (policy.escalation.escalateUrgent && priority === 'urgent') escalationReasons.push('priority_urgent');
	if (policy.escalation.escalateThreatening && threatening) escalationReasons.push('threatening_language');
	if (bigOrder) escalationReasons.push(`order_value_over_${orderValueLimit}`);
	const escalate = escalationReasons.length > 0;
	reasons.push(escalate ? `escalate:${escalationReasons.join('+')}` : 'queue:no_escalation_rule_met');

	const issueType = ISSUE_BY_INTENT[intent];
	const asksRefund = signals.intents.some((match) => match.intent === 'refund_request' && match.score >= MIN_INTENT_SCORE);
	const resolutionType: ResolutionType = asksRefund ? 'refund' : (RESOLUTION_BY_INTENT[intent] ?? 'information');
	if (asksRefund && intent !== 'refund_request') reasons.push('resolution_refund:customer_asked_for_refund');
	const followUp: FollowUp =
		escalate || priorityRank(priority) >= priorityRank('high') || resolutionType !== 'information' || sentiment.label === 'negative'
			? 'required'
			: 'optional';

	const interactionType: InteractionType = escalate
		? 'escalation'
		: intent === 'praise' || intent === 'feedback'
			? 'feedback_analysis'
			: 'support_ticket';

	const start = ticket.createdAt ?? now;
	if (!ticket.createdAt) reasons.push('sla_clock_from_now:no_created_time');
	const firstResponse = firstResponseTarget(policy.firstResponse, ticket, intent, tier, priority);
	reasons.push(firstResponse.reason);
	const resolutionHours = tier === 'vip'
		? Math.min(policy.resolutionHours[priority], policy.resolutionHours.vip)
		: policy.resolutionHours[priority];
	const due = (minutes: number) =>
		policy.businessHours ? addBusinessMinutes(start, minutes, policy.businessHours) : addMinutes(start, minutes);
	const firstResponseDueAt = due(firstResponse.minutes);
	const resolutionDueAt = due(resolutionHours * 60);
	// waiting on the customer pauses the resolution clock: the time waited moves the due time on, and a waiting
	// ticket is not overdue for its resolution
	const resolutionPaused = ticket.status === 'pending' || ticket.status === 'on_hold' || !!ticket.pausedSince;
	const resolutionDueNow = dueAfterPauses(resolutionDueAt, ticket.pausedSeconds, ticket.pausedSince, now, policy.businessHours);
	const pausedSeconds = Math.round((resolutionDueNow.getTime() - resolutionDueAt.getTime()) / 1000);
	if (resolutionPaused) reasons.push('resolution_clock_paused:waiting_on_customer');

	const tags = [
		`intent:${intent}`,
		...signals.intents.filter((match) => match.intent !== intent && match.score >= MIN_INTENT_SCORE).map((match) => `intent:${match.intent}`),
		`channel:${ticket.channel}`,
		`tier:${tier}`,
		`priority:${priority}`,
		`sentiment:${sentiment.label}`,
		...(threatening ? ['threatening'] : []),
		...(urgent ? ['urgent'] : []),
		...(escalate ? ['escalate'] : []),
	];

	const customerId = ticket.customerId ?? profile?.customerId ?? ticket.customerEmail ?? '';
	const request: DirectorRequest = {
		trigger_source: ticket.triggerSource ?? 'cx_ticket_triage',
		interaction_type: interactionType,
		customer_details: { customer_id: customerId, tier, issue_type: issueType, sentiment: sentiment.label },
		action_parameters: { priority, resolution_type: resolutionType, follow_up: followUp },
	};

	const summary =
		`${priority[0].toUpperCase()}${priority.slice(1)} priority ${intent === 'general' ? 'general ticket (no clear intent)' : intent.replace(/_/g, ' ')}` +
		` from a ${tier} customer on ${ticket.channel}, sentiment ${sentiment.label}` +
		`${threatening ? `, threatening (${signals.threats.join(', ')})` : ''}` +
		`${escalate ? `; escalate: ${escalationReasons.join(', ').replace(/_/g, ' ')}` : '; queue'}` +
		// read by people (the escalation email quotes it): the time as a person writes it, in the store's business-hours zone
		`; first response due ${formatTime(firstResponseDueAt.toISOString(), policy.businessHours?.timeZone ?? 'UTC')}.`;

	return {
		request,
		triage: {
			ticketId: ticket.ticketId,
			channel: ticket.channel,
			intent,
			confidence,
			intents: signals.intents,
			sentiment,
			flags: { threatening, urgent, threats: signals.threats, urgency: signals.urgency },
			tier,
			tierSource,
			priority,
			escalate,
			escalationReasons,
			tags,
			sla: {
				firstResponseMinutes: firstResponse.minutes,
				firstResponseDueAt: firstResponseDueAt.toISOString(),
				resolutionHours,
				resolutionDueAt: resolutionDueAt.toISOString(),
				clock: policy.businessHours ? 'business_hours' : 'calendar',
				...(policy.businessHours ? { timeZone: policy.businessHours.timeZone } : {}),
				...(policy.businessHours?.holidays?.length ? { holidays: [...policy.businessHours.holidays] } : {}),
				// a target is met up to and including its due time
				firstResponseOverdue: now.getTime() > firstResponseDueAt.getTime(),
				resolutionOverdue: !resolutionPaused && now.getTime() > resolutionDueNow.getTime(),
				resolutionPaused,
				pausedSeconds,
				resolutionDueAfterWaitAt: resolutionDueNow.toISOString(),
			},
			...(profile
				? {
						customer: {
							lifetimeSpend: formatMoney(profile.lifetimeSpend),
							orderCount: profile.orderCount,
							tags: profile.tags,
							...(profile.latestOrder ? { latestOrder: profile.latestOrder } : {}),
						},
					}
				: {}),
			reasons,
			summary,
		},
	};
}

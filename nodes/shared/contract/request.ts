/**
 * The director's request contract (seeds/000 "Input Requirements"). Triage emits exactly this shape, so
 * every downstream node and the director workflow speak one language.
 */

export const INTERACTION_TYPES = ['support_ticket', 'retention_campaign', 'feedback_analysis', 'escalation'] as const;
export const CUSTOMER_TIERS = ['regular', 'premium', 'vip'] as const;
export const ISSUE_TYPES = ['order', 'product', 'shipping', 'general'] as const;
export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export const RESOLUTION_TYPES = ['refund', 'replacement', 'credit', 'information'] as const;
export const FOLLOW_UPS = ['required', 'optional'] as const;

/** Channels a ticket arrives on (seeds/000 tools and seeds/001 response targets). */
export const CHANNELS = ['email', 'chat', 'phone', 'social', 'whatsapp'] as const;

export type InteractionType = (typeof INTERACTION_TYPES)[number];
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];
export type IssueType = (typeof ISSUE_TYPES)[number];
export type Sentiment = (typeof SENTIMENTS)[number];
export type Priority = (typeof PRIORITIES)[number];
export type ResolutionType = (typeof RESOLUTION_TYPES)[number];
export type FollowUp = (typeof FOLLOW_UPS)[number];
export type Channel = (typeof CHANNELS)[number];

export interface DirectorRequest {
	trigger_source: string;
	interaction_type: InteractionType;
	customer_details: {
		customer_id: string;
		tier: CustomerTier;
		issue_type: IssueType;
		sentiment: Sentiment;
	};
	action_parameters: {
		priority: Priority;
		resolution_type: ResolutionType;
		follow_up: FollowUp;
	};
}

/** Priorities in rising order, so a rule can raise a priority by one step or to at least a level. */
export function priorityRank(priority: Priority): number {
	return PRIORITIES.indexOf(priority);
}

export function higherPriority(a: Priority, b: Priority): Priority {
	return priorityRank(a) >= priorityRank(b) ? a : b;
}

export function raisePriority(priority: Priority): Priority {
	return PRIORITIES[Math.min(priorityRank(priority) + 1, PRIORITIES.length - 1)];
}

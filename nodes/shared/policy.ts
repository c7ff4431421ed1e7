/**
 * Default policy values, each with its source. Nodes expose every one of them as a parameter; these are
 * what a store gets when it changes nothing. Sources: seeds/000 (the director's KPIs and decision
 * framework), seeds/001 (response-time benchmarks), and the source project's own policy notes.
 */
import type { Channel, Priority } from './contract';

export const TIER_POLICY = {
	/** vip when lifetime spend is over this, in the store's currency (source project). */
	vipLifetimeSpend: 1000,
	/** premium when lifetime spend is over this (source project). */
	premiumLifetimeSpend: 500,
	/** A customer tag that makes a customer vip whatever they spent (source project). */
	vipTag: 'VIP',
	/** Order-count thresholds; 0 turns them off, as the source policy tiers by spend and tag only. */
	vipMinOrders: 0,
	premiumMinOrders: 0,
};

export const ESCALATION_POLICY = {
	/** seeds/000 Decision Framework: "Escalate VIP customer issues immediately". */
	escalateVip: true,
	escalateUrgent: true,
	/** Chargeback, dispute, lawyer and public-review threats (DESIGN.md). */
	escalateThreatening: true,
	/** Orders over this value escalate (DESIGN.md, source project); 0 turns the rule off. */
	escalateOrderValueOver: 500,
};

/** First-response targets in minutes. The due time is the tightest target that applies. */
export const FIRST_RESPONSE_MINUTES = {
	/** seeds/000 KPI: customer service response time < 4 hours. */
	overall: 240,
	/** Source project: VIP 30 min, quality issues 1 h, shipping 2 h, general 4 h. */
	vip: 30,
	byIssue: { quality: 60, shipping: 120, general: 240 },
	/** seeds/001 "Response Time Targets": chat 30 s, social 1 h, email 2 h. Phone is answered live;
	 * WhatsApp is instant messaging (seeds/000), so it follows chat. */
	byChannel: { chat: 0.5, whatsapp: 0.5, social: 60, email: 120 } as Partial<Record<Channel, number>>,
	/** Helpdesk practice: an urgent ticket is answered within 30 min, a high one within 1 h. */
	byPriority: { urgent: 30, high: 60, medium: 240, low: 240 } as Record<Priority, number>,
};

/** Resolution targets in hours, by priority. Medium follows seeds/001 "48-hour issue resolution commitment". */
export const RESOLUTION_HOURS: Record<Priority, number> & { vip: number } = {
	urgent: 8,
	high: 24,
	medium: 48,
	low: 72,
	/** VIP issues resolve within a day whatever their priority (source project: VIP first). */
	vip: 24,
};

/** Business hours are optional: off, the clock runs around the clock as most stores' inboxes do. */
export const BUSINESS_HOURS = {
	enabled: false,
	days: [1, 2, 3, 4, 5],
	start: '09:00',
	end: '17:00',
};

/** Input limits: a longer body is almost always quoted history or a pasted attachment. */
export const INPUT_LIMITS = {
	maxBodyLength: 100_000,
};

/**
 * Who hears of an escalation. Level 1 (team lead) for any escalation rule; level 2 (director) when a
 * customer threatens a chargeback, a dispute or a public review, when two rules meet (a VIP with an urgent
 * issue), or for an order worth four times the escalation threshold; level 3 (executive) for legal or
 * regulator threats, and for a VIP who threatens. The pack's own policy: the seeds name the escalation
 * rules, not the ladder.
 */
export const ESCALATION_LEVELS = {
	levelTwoThreats: ['chargeback', 'dispute', 'public_review', 'social_media', 'fraud_claim'],
	levelThreeThreats: ['legal', 'regulator'],
	levelTwoOrderValueMultiple: 4,
	/** The tag put on the customer (and the order) in Shopify. */
	shopifyTag: 'cx-escalated',
};

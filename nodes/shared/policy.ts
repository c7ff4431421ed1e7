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

/**
 * Shipping-delay compensation (DESIGN.md "Delay"). Amounts are in the store's currency units and are
 * paid in the order's currency.
 */
export const DELAY_POLICY = {
	/** seeds: "Offer compensation for shipping delays > 7 days"; late by more than this many days. */
	thresholdDays: 7,
	/** Made to order in 5-7 business days (source project); the promise is the end of the window. */
	productionBusinessDays: 7,
	/** Carrier transit estimate in calendar days, when no fulfillment carries an estimated delivery (the pack's default). */
	transitDays: 5,
	/** The store's time zone for business days; UTC until the store's own zone is given. */
	timeZone: 'UTC',
	/** Production works Monday to Friday (ISO weekdays), as the business-hours default. */
	workingDays: [1, 2, 3, 4, 5],
	/** Days off, "YYYY-MM-DD" in the store's zone; none unless the store lists them. */
	holidays: [] as string[],
	/** DESIGN.md: standard $25 credit, VIP $50 (premium is standard: the source policy names no premium amount). */
	tierAmounts: { regular: 25, premium: 25, vip: 50 },
	/** DESIGN.md: VIP compensation adds expedited shipping. */
	vipPerks: ['expedited_shipping_next_order'],
	/** DESIGN.md: by order value $25 / $50 / $100 / $200, from each band's lower bound up. */
	valueBands: [
		{ from: 0, amount: 25 },
		{ from: 100, amount: 50 },
		{ from: 250, amount: 100 },
		{ from: 500, amount: 200 },
	],
	/** DESIGN.md: instant credit capped at $200; above that a person approves. */
	instantCap: 200,
};

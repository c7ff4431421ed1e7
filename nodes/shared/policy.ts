/**
 * Default policy values, each with its source. Nodes expose every one of them as a parameter; these are
 * what a store gets when it changes nothing. Sources: seeds/000 (the director's KPIs and decision
 * framework), seeds/001 (response-time benchmarks), and the source project's own policy notes.
 */
import type { Channel, Priority } from './contract/request';

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

/** Tier thresholds: the shape every node's tier options read into. */
export type TierPolicy = typeof TIER_POLICY;

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

/**
 * Options > Customer Cache Minutes (CX Ticket Triage, CX VIP Escalation): how long what Shopify said about a customer
 * is reused from customer_context. Shopify's standard plan refills 100 query points a second; a quarter of an hour
 * covers a burst of tickets from the same customers while a change in Shopify (a new VIP tag) still arrives soon.
 */
export const CUSTOMER_CACHE_MINUTES = 15;

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
 * Shipping-delay compensation (DESIGN.md "Delay"). Amounts, bands and the cap are in `currency`; an order in
 * another currency is decided on its amounts in that currency (its shop money) and the credit converted at
 * the order's own rate; an order with no amounts in its currency goes to a person.
 */
export const DELAY_POLICY = {
	/** DESIGN.md writes the amounts in dollars. */
	currency: 'USD',
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

/**
 * Returns, exchanges and refunds (CX Returns Desk). Amounts are in the shop's currency, as returns, refunds and
 * transactions are read in it (Shopify's shopMoney). Shopify's Admin API 2026-10 exposes no return rules of the
 * store (return policy profiles are only in its unstable version), so eligibility comes from these values.
 */
export const RETURN_POLICY = {
	/** Shopify's default return rule: 30 days, counted from delivery. */
	windowDays: 30,
	windowStartsAt: 'delivery' as 'delivery' | 'fulfillment',
	/** When no delivery is recorded: the fulfilment plus this many days of transit (DELAY_POLICY's transit). */
	transitDays: 5,
	/** The zone whose calendar days the window and the EU floor count (a day ends at its midnight); UTC until the store's own is given, as DELAY_POLICY. */
	timeZone: 'UTC',
	/** EU Consumer Rights Directive 2011/83/EU art. 9: 14 days to withdraw, from delivery; art. 16(c): not for goods made to the buyer's specification. */
	euFloorDays: 14,
	/** Shipping countries whose orders carry the EU withdrawal right (the EU 27; EEA states follow the same directive). */
	euCountries: ['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO'],
	/** Product or order tags, and product types, that mark an item final sale (matched without case). */
	finalSaleTags: ['final-sale', 'final sale', 'no-returns-item'],
	finalSaleProductTypes: [] as string[],
	/** Product tags or types that mark an item made to order (the store's 5-7 day production window). */
	madeToOrderTags: ['made-to-order', 'custom', 'personalised', 'personalized'],
	madeToOrderProductTypes: [] as string[],
	/** A customer's own fault (changed mind, size, colour, style): a restocking percentage and a return-shipping fee; none by default. */
	restockingPercent: 0,
	returnShippingFee: 0,
	/** Exchange first (seeds/000 "handle returns, exchanges, and refunds"; keeps the sale): then store credit, then money back. */
	ladder: ['exchange', 'store_credit', 'refund'] as Array<'exchange' | 'store_credit' | 'refund'>,
	/** An exchange's bonus in the policy currency (0: none); store credit's bonus in percent of the returned value. */
	exchangeBonus: 0,
	creditBonusPercent: 10,
	/** Risk goes to a person: serial returners over 365 days (either threshold), a return worth more than the cap. */
	serialReturnsCount: 5,
	serialReturnedSharePercent: 50,
	reviewValueOver: 500,
	/** A customer tag that sends every return of theirs to a person. */
	noReturnsTag: 'no-returns',
};

export type ReturnPolicy = typeof RETURN_POLICY;

/** Win-back of dormant customers (DESIGN.md "Win-back"). */
/** RFM segments of a win-back run. */
export type Segment = 'champions' | 'loyal' | 'at_risk' | 'cant_lose' | 'hibernating' | 'lost';
export const SEGMENTS: readonly Segment[] = ['champions', 'loyal', 'at_risk', 'cant_lose', 'hibernating', 'lost'];

/**
 * Orders placed within this many hours of a visit's first order are one visit: for frequency, the gap between
 * orders (dormancy) and segments, in win-back and health. The pack's choice: a day covers the forgotten item
 * ordered twenty minutes later and the split cart, and no real buying rhythm is shorter than a day.
 */
export const VISIT_GAP_HOURS = 24;

/**
 * RFM scores against fixed thresholds, so a customer's scores mean the same whoever else is in the run (a run
 * of one customer, a filtered list, the whole store). Each list holds the bound of scores 5, 4, 3, 2 (recency:
 * at most this many days since the last order) or 2, 3, 4, 5 (visits, spend: at least this much); the rest
 * score 1.
 */
export interface RfmThresholds {
	/** Days since the last order for recency 5, 4, 3, 2. */
	recencyDays: [number, number, number, number];
	/** Visits for frequency 2, 3, 4, 5. */
	visits: [number, number, number, number];
	/** Lifetime spend in the customer's currency for monetary 2, 3, 4, 5. */
	spend: [number, number, number, number];
}

export const RFM_THRESHOLDS: RfmThresholds = {
	// 30: the cooldown and the minimum gap; 90: a quarter; 180: the one-time-buyer floor; 365: health's zero recency
	recencyDays: [30, 90, 180, 365],
	// a second visit is a repeat buyer, not yet "often" (most buyers order once); 6: health's full marks, one every two months
	visits: [2, 3, 4, 6],
	// 100 and 250: DELAY_POLICY's order-value bands; 500 and 1000: TIER_POLICY's premium and VIP lines
	spend: [100, 250, 500, 1000],
};

export interface WinBackPolicy {
	dormancyMultiple: number;
	oneTimeBuyerFloorDays: number;
	minimumGapDays: number;
	cooldownDays: number;
	recentContactDays: number;
	/** Percent off per segment; null: no offer line at all, 0: a plain we-miss-you. */
	offers: Record<Segment, number | null>;
	/** RFM thresholds; RFM_THRESHOLDS when not given. */
	rfm?: RfmThresholds;
	/** Orders within this many hours are one visit; VISIT_GAP_HOURS when not given. */
	visitGapHours?: number;
}

export const WINBACK_POLICY: WinBackPolicy = {
	// k: dormant past k x the customer's own median gap between orders (DESIGN.md "Win-back")
	dormancyMultiple: 3,
	// one-time buyers have no gap: dormant after this many days (DESIGN.md "Win-back", default 180)
	oneTimeBuyerFloorDays: 180,
	// the pack's choice: a floor under k x median so a weekly buyer is not dormant after three weeks
	minimumGapDays: 30,
	// one win-back per customer per 30 days (DESIGN.md "Win-back")
	cooldownDays: 30,
	// the pack's choice: no marketing mail on top of an open ticket or a compensation in the last 30 days
	recentContactDays: 30,
	// the pack's choice, by RFM segment: best customers get no discount, the ones we can't lose the most
	offers: { champions: 0, loyal: 10, at_risk: 15, cant_lose: 20, hibernating: 10, lost: 0 },
	rfm: RFM_THRESHOLDS,
	visitGapHours: VISIT_GAP_HOURS,
};

/** Customer health (DESIGN.md "Health", seeds/004). */
/** The components of a health score, each weighted. */
export const HEALTH_COMPONENTS = ['recency', 'frequency', 'spend', 'satisfaction', 'openTickets', 'refunds', 'delays'] as const;
export type HealthComponent = (typeof HEALTH_COMPONENTS)[number];
export type HealthWeights = Record<HealthComponent, number>;

export interface HealthPolicy {
	/** Points each component can give; they sum to 100. */
	weights: HealthWeights;
	/** A score up to `red` is red, up to `yellow` is yellow, above is green (both inclusive). */
	bands: { red: number; yellow: number };
	scales: {
		recency: { zeroAtDays: number };
		frequency: { fullAtOrders: number };
		spend: { fullAtAmount: number };
		satisfaction: { neutral: number };
		openTickets: { minusPerTicket: number };
		refunds: { minusPerRefund: number };
		delays: { minusPerLateDelivery: number };
	};
	/** A change of at most this many points either way is `stable`. */
	trendThreshold: number;
	/** A component whose value is below this is named in the reasons. */
	weakBelow: number;
	/** Orders within this many hours are one visit for frequency; VISIT_GAP_HOURS when not given. */
	visitGapHours?: number;
}

export const HEALTH_POLICY: HealthPolicy = {
	/** The pack's defaults; seeds/004 "Customer Health Scoring Framework" names the kinds of signal (usage, support, satisfaction). */
	weights: { recency: 25, frequency: 15, spend: 15, satisfaction: 20, openTickets: 10, refunds: 10, delays: 5 },
	/** DESIGN.md "Health": red 0-50, yellow 51-75, green 76-100. */
	bands: { red: 50, yellow: 75 },
	scales: {
		/** 100 on the day of an order, falling linearly to 0 a year later (the pack's default). */
		recency: { zeroAtDays: 365 },
		/** Orders in the last 365 days; six a year (one every two months) is full marks (the pack's default). */
		frequency: { fullAtOrders: 6 },
		/** Lifetime spend in the store's currency; 1000 is full marks, the VIP line in TIER_POLICY. */
		spend: { fullAtAmount: 1000 },
		/** No CSAT and no NPS: neither good nor bad, and the component is marked unknown (the pack's default). */
		satisfaction: { neutral: 50 },
		/** Three open tickets bring the component to 0 (the pack's default). */
		openTickets: { minusPerTicket: 34 },
		/** Two returns or refunds in a year bring the component to 0 (the pack's default); a returned order counts once. */
		refunds: { minusPerRefund: 50 },
		/** Two late deliveries in a year bring the component to 0 (the pack's default). */
		delays: { minusPerLateDelivery: 50 },
	},
	/** Changes within ±5 points are noise, not a trend (the pack's default). */
	trendThreshold: 5,
	/** Below half marks a component is worth naming (the pack's default). */
	weakBelow: 50,
	visitGapHours: VISIT_GAP_HOURS,
};

/** Satisfaction metrics, KPI targets and alerts (DESIGN.md "Metrics", seeds/000 KPIs). */
export const SATISFACTION_POLICY = {
	scales: {
		/** NPS: 0-10; promoters 9-10, detractors 0-6 (the Net Promoter System's definition). */
		nps: { min: 0, max: 10, promoterFrom: 9, detractorUpTo: 6 },
		/** CSAT: 1-5; satisfied = 4 or 5 (DESIGN.md). */
		csat: { min: 1, max: 5, satisfiedFrom: 4 },
		/** CES: 1-7; agreeing the issue was easy to handle = 5-7 (DESIGN.md). */
		ces: { min: 1, max: 7, agreeFrom: 5 },
	},
	/** Confidence of the NPS (adjusted Wald) and CSAT / CES (Wilson) intervals. */
	confidence: 0.95,
	/** Fewer answers than this and a score is flagged low-sample (the pack's default: intervals wider than ±15 points). */
	lowSampleBelow: 30,
	/** seeds/000 KPIs. */
	targets: {
		/** "Customer service response time < 4 hours": a target for each ticket's first response. */
		firstResponseHours: 4,
		/**
		 * Met when at least this share of the period's tickets got their first response within firstResponseHours.
		 * The seed gives the per-ticket target, not a share: 90% is the pack's default (the share the seeds ask of
		 * satisfaction, "> 90%"), so one ticket in ten may run late, not four.
		 */
		firstResponseMetPercent: 90,
		/** "Customer Satisfaction Score (CSAT) > 90%". */
		csatPercent: 90,
		/** "Net Promoter Score (NPS) > 50". */
		nps: 50,
		/** "Return/refund rate < 5%". */
		returnRatePercent: 5,
		/** "Customer lifetime value growth": the value of a new customer at a fixed age up on the cohort before. */
		ltvGrowthPercent: 0,
		/** seeds/001 "48-hour issue resolution commitment": each solved ticket, less its time waiting on the customer. */
		resolutionHours: 48,
		/** Met when at least this share of solved tickets was resolved within resolutionHours: the pack's default, as for first response. */
		resolutionMetPercent: 90,
		/**
		 * seeds/001 "Quality Thresholds: First-call resolution > 80%" (its other lines ask 85% and 90%+ of a new
		 * support system; the standing threshold, like its CSAT > 90%, is the one the pack holds).
		 */
		firstContactResolutionPercent: 80,
		/** Share of solved tickets opened again: the seeds give none, so under 10% is the pack's default (an option). */
		reopenRatePercent: 10,
	},
	/** Cohorts old enough to compare (the pack's defaults). */
	cohorts: {
		/**
		 * Return rate: orders at least this many days old, so their return window has closed: a 30-day return
		 * window from delivery, after up to 11 calendar days to make (7 business days, DELAY_POLICY) and 5 in
		 * transit. The period's rate is over the orders placed this many days before it.
		 */
		returnAgeDays: 46,
		/** Customer value: net spend within this many days of a customer's first order (a quarter). */
		valueAgeDays: 90,
	},
	/** DESIGN.md "Metrics" alerts. */
	alerts: {
		/** CSAT falls by 10 percentage points or more against the previous period. */
		csatDropPoints: 10,
		/** NPS falls by 15 points or more against the previous period. */
		npsDropPoints: 15,
		/** Return / refund rate above 7%. */
		returnRatePercent: 7,
		/** Median first response above 8 hours. */
		firstResponseHours: 8,
		/** More than 50 open tickets. */
		backlog: 50,
	},
};

/** Feedback within 30 days (seeds/000 "Implement feedback within 30 days"). */
export const FEEDBACK_POLICY = {
	dueDays: 30,
	/** Owners are reminded this many days before the due date (the pack's default). */
	remindDaysBefore: 7,
};

/** Post-purchase surveys (seeds/000 "Reach out after each purchase"). */
export const SURVEY_POLICY = {
	/** Days after delivery the thank-you with its question goes out (the pack's default). */
	daysAfterDelivery: 3,
	/** One survey per customer per 30 days (the pack's default, as win-back). */
	throttleDays: 30,
};

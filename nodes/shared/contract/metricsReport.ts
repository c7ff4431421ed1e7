/**
 * The shape CX Satisfaction Metrics puts out (item `metrics`) and CX KPI Report renders, emails and stores:
 * one period against the previous one, headline KPIs with their status against targets, breakdowns and
 * alerts. Plain data: numbers are percentages 0-100 (or NPS -100..100), hours, counts; null when unknown.
 */
import type { Resolution, ReturnReason } from './returnRequest';

export type KpiStatus = 'met' | 'missed' | 'no_data';
export type Dimension = 'tier' | 'channel' | 'issue_type';

export interface Interval {
	low: number;
	high: number;
	/** e.g. 0.95 */
	confidence: number;
	method: 'adjusted_wald' | 'wilson';
}

export interface ScoreMetric {
	/** NPS -100..100; CSAT / CES the percent satisfied / agreeing, 0-100; null with no answers. */
	value: number | null;
	interval: Interval | null;
	/** Rated answers counted (unrated excluded). */
	sampleSize: number;
	/** NPS: promoters / passives / detractors; CSAT / CES: positive / other. */
	counts: Record<string, number>;
	lowSample: boolean;
	/** Answers without a score (survey sent, not rated): excluded from sampleSize and from the score. */
	unrated?: number;
}

export interface ResponseTimeMetric {
	/** Tickets that got a first response in the period. */
	responded: number;
	medianHours: number | null;
	p90Hours: number | null;
	/** Percent answered within the target (4 h by default): the KPI's value, each ticket judged on its own. */
	withinTargetPercent: number | null;
	/** The median again, under the name the report shows beside p90. */
	p50Hours?: number | null;
	/** Tickets answered within the target. */
	withinTarget?: number;
	/** Tickets still open and unanswered whose target fell due in the period: misses in the share, not in the percentiles. */
	unansweredPastTarget?: number;
	/** The per-ticket target, in hours. */
	targetHours?: number;
	/** The share of tickets within the target that counts as met, percent. */
	metPercent?: number;
}

/**
 * Resolution time of the tickets solved in the period (by their latest solve, still solved or closed): from
 * creation to that solve, less the time waiting on the customer (pending, on hold: paused_seconds), each
 * ticket judged against the target (48 h, seeds/001), as first response is.
 */
export interface ResolutionTimeMetric {
	resolved: number;
	p50Hours: number | null;
	p90Hours: number | null;
	/** Percent resolved within the target: the KPI's value. */
	withinTargetPercent: number | null;
	withinTarget: number;
	targetHours: number;
	/** The share within the target that counts as met, percent. */
	metPercent: number;
	/** Hours waiting on the customer left out, summed over the tickets counted. */
	waitingHoursExcluded: number;
	definition: string;
}

/**
 * A share of the tickets first solved in the period (first_resolved_at, else resolved_at): first-contact
 * resolution (solved with exactly one agent reply and never reopened) or reopens (opened again since).
 */
export interface SolvedTicketRate {
	/** Tickets first solved in the period that the rate is over. */
	solved: number;
	/** Those that count: resolved at first contact, or reopened. */
	count: number;
	ratePercent: number | null;
	/** First-contact resolution: solved tickets whose agent replies are not known, left out of `solved`. */
	unknown?: number;
	definition: string;
}

export interface PeriodMetrics {
	/** ISO instants, [start, end). */
	start: string;
	end: string;
	nps: ScoreMetric;
	csat: ScoreMetric;
	ces: ScoreMetric;
	firstResponse: ResponseTimeMetric;
	/**
	 * The return / refund rate's cohort: orders placed in [cohortStart, cohortEnd), the period moved back by
	 * ageDays so their return window has closed; those returned or refunded (the pack's own compensations left
	 * out, counted in compensationsExcluded) by the period's end.
	 */
	orders: { count: number; returnedOrRefunded: number; ratePercent: number | null; ageDays?: number; cohortStart?: string; cohortEnd?: string; compensationsExcluded?: number };
	/**
	 * Lifetime value per customer, by cohort (the month of the first order, "YYYY-MM"), in minor units of `currency`.
	 * cohortValue is what the growth KPI compares: customers whose first order fell in [firstOrdersFrom,
	 * firstOrdersTo) (the period moved back by ageDays), and their net spend within ageDays of that first order.
	 */
	lifetimeValue: {
		currency: string | null;
		perCustomer: number | null;
		customers: number;
		byCohort: Array<{ cohort: string; customers: number; perCustomer: number }>;
		cohortValue?: CohortValue;
	};
	/** Open tickets at the period's end. */
	backlog: number | null;
	/** From the ticket's lifecycle (absent in reports made before it was measured). */
	resolution?: ResolutionTimeMetric;
	firstContactResolution?: SolvedTicketRate;
	reopens?: SolvedTicketRate;
	breakdowns: Record<Dimension, Record<string, { nps: ScoreMetric; csat: ScoreMetric; ces: ScoreMetric }>>;
	/**
	 * The returns CX Returns Desk decided in the period (return_decisions, step decide, by the run's Now it wrote);
	 * all zero when the run did not read Supabase (absent in reports made before returns were counted). Beside the
	 * return / refund rate of `orders`, which stays the KPI.
	 */
	returns?: ReturnsMetric;
}

/** Returns decided in a period: outcomes, resolutions, fault, the customers' reasons and the value sent back. */
export interface ReturnsMetric {
	/** Returns decided (approved, declined or left to a person). */
	decided: number;
	outcomes: { approved: number; declined: number; review: number };
	/** The resolution of each approved return (a review's proposal is not one yet). */
	resolutions: Record<Resolution, number>;
	/** "Exchange first": exchanges over approved returns, percent; null with none approved. */
	exchangeSharePercent: number | null;
	/** Whose fault: the store's (defective, wrong item, not as described) or the customer's reason; every return decided. */
	fault: { store: number; customer: number };
	/** Shopify's return reasons, each counted once per return whatever its lines, most first, then by name; only those given. */
	topReasons: Array<{ reason: ReturnReason; count: number }>;
	/** The value of the lines of every return decided, per currency (minor units), by currency code; never added across currencies. */
	returnedValue: Array<{ currency: string; cents: number; returns: number }>;
	/** In words, for the report. */
	definition: string;
}

/** New customers' value at a fixed age: what lifetime value growth compares, so new buyers never read as decline. */
export interface CohortValue {
	ageDays: number;
	firstOrdersFrom: string;
	firstOrdersTo: string;
	customers: number;
	/** Minor units; null without customers. */
	perCustomer: number | null;
	/** In words, for the report. */
	definition: string;
}

export interface Kpi {
	key: 'first_response' | 'csat' | 'nps' | 'return_rate' | 'ltv_growth' | 'resolution_time' | 'first_contact_resolution' | 'reopen_rate';
	label: string;
	value: number | null;
	previous: number | null;
	/** value - previous, in the KPI's unit; null when either is unknown. */
	change: number | null;
	target: number;
	/** 'below' when the value must stay under the target (response time, return rate). */
	direction: 'above' | 'below';
	unit: 'hours' | 'percent' | 'score';
	status: KpiStatus;
	/** Met at the target itself too ("at least 90%"); otherwise the target must be passed. */
	atLeast?: boolean;
	/** How the value is measured, in words (e.g. the cohort lifetime value growth compares). */
	definition?: string;
}

export interface Alert {
	key: 'csat_drop' | 'nps_drop' | 'return_rate' | 'response_time' | 'backlog';
	message: string;
	value: number;
	threshold: number;
}

export interface MetricsReport {
	current: PeriodMetrics;
	previous: PeriodMetrics;
	kpis: Kpi[];
	alerts: Alert[];
	/** Short machine-readable strings, as every decision of the pack has. */
	reasons: string[];
	/** One sentence for a person. */
	summary: string;
	/** Input items that could not be counted (with Continue On Fail); never silently dropped. */
	rejected: number;
}

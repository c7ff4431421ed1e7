/**
 * The win-back decision: (customers, recent contacts, policy, now) -> who is dormant, their RFM segment,
 * the offer, and why anyone dormant is not mailed. Pure: no n8n, no I/O, no clock (`now` is given).
 * Dormancy is measured against each customer's own rhythm, not a shop-wide cut-off (DESIGN.md "Win-back");
 * RFM scores against the store's fixed thresholds, so a customer's segment does not depend on who else is in the run.
 */
import { visitCount, visitStarts } from '../shared/contract/customer';
import { moneyFromDecimal, type Money } from '../shared/money';
import { RFM_THRESHOLDS, SEGMENTS, VISIT_GAP_HOURS, type RfmThresholds, type Segment, type WinBackPolicy } from '../shared/policy';

const DAY = 86_400_000;


export interface WinBackCustomer {
	customerId: string;
	email?: string;
	firstName?: string;
	/** ISO timestamps of the customer's orders, in any order. */
	orderDates: string[];
	amountSpent: Money;
	/** Shopify's numberOfOrders when known (it may exceed the dates fetched); else orderDates.length. */
	orderCount?: number;
	/** Shopify's CustomerEmailMarketingState. */
	marketingConsent: 'SUBSCRIBED' | 'NOT_SUBSCRIBED' | 'UNSUBSCRIBED' | 'PENDING' | 'INVALID' | 'REDACTED' | string;
	tags: string[];
}

export interface Contacts {
	openTicketCustomerIds: Set<string>;
	/** Customers whose personal data was erased on their request: never contacted again. */
	erasedCustomerIds?: Set<string>;
	/** customerId -> ISO time of the customer's latest compensation. */
	compensatedSince: Map<string, string>;
	/** customerId -> ISO time of the customer's latest win-back send. */
	lastWinBackAt: Map<string, string>;
}

export interface Dormancy {
	isDormant: boolean;
	/** Whole days since the latest order; null without orders. */
	daysSinceLastOrder: number | null;
	/** Median gap between consecutive orders, in days; null with fewer than two orders. */
	medianGapDays: number | null;
	/** Dormant when daysSinceLastOrder is more than this. */
	thresholdDays: number;
	reason: 'no_orders' | 'one_time_buyer_floor' | 'median_gap' | 'minimum_gap';
}

export interface Rfm {
	recency: number;
	frequency: number;
	monetary: number;
}

export interface WinBackDecision {
	customerId: string;
	isDormant: boolean;
	segment: Segment;
	rfm: Rfm;
	/** Set only when the customer is mailed: the percent off, 0 for a plain mail, null for no offer line. */
	offerPercent: number | null;
	toMail: boolean;
	suppressed?: string;
	reasons: string[];
}

export interface WinBackSummary {
	customers: number;
	dormant: number;
	toMail: number;
	/** Dormant customers not mailed, by suppression reason. */
	suppressed: Record<string, number>;
	bySegment: Record<Segment, { dormant: number; toMail: number }>;
}

function orderTimes(customer: WinBackCustomer): number[] {
	const times: number[] = [];
	for (const text of customer.orderDates) {
		const time = Date.parse(text);
		if (!Number.isNaN(time)) times.push(time);
	}
	return times;
}

function median(sorted: number[]): number {
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Dormant when the whole days since the latest order exceed k x the median gap between visits (at least
 * minimumGapDays), or the one-time-buyer floor with a single visit. Orders within the policy's visit gap
 * (24 hours unless set) are one visit, so two orders twenty minutes apart are a one-time buyer, not a
 * customer whose rhythm is twenty minutes. Unreadable dates are left out.
 */
export function dormancy(customer: WinBackCustomer, policy: WinBackPolicy, now: Date): Dormancy {
	const latest = orderTimes(customer).reduce((max, time) => (time > max ? time : max), -Infinity);
	if (latest === -Infinity) {
		return { isDormant: false, daysSinceLastOrder: null, medianGapDays: null, thresholdDays: policy.oneTimeBuyerFloorDays, reason: 'no_orders' };
	}
	const daysSinceLastOrder = Math.floor((now.getTime() - latest) / DAY);
	const visits = visitStarts(customer.orderDates, policy.visitGapHours ?? VISIT_GAP_HOURS);
	if (visits.length === 1) {
		const thresholdDays = policy.oneTimeBuyerFloorDays;
		return { isDormant: daysSinceLastOrder > thresholdDays, daysSinceLastOrder, medianGapDays: null, thresholdDays, reason: 'one_time_buyer_floor' };
	}
	const gaps: number[] = [];
	for (let i = 1; i < visits.length; i++) gaps.push((visits[i] - visits[i - 1]) / DAY);
	const medianGapDays = median(gaps.sort((a, b) => a - b));
	const byGap = policy.dormancyMultiple * medianGapDays;
	const thresholdDays = Math.max(byGap, policy.minimumGapDays);
	return {
		isDormant: daysSinceLastOrder > thresholdDays,
		daysSinceLastOrder,
		medianGapDays,
		thresholdDays,
		reason: byGap >= policy.minimumGapDays ? 'median_gap' : 'minimum_gap',
	};
}

/** 5 for at most the first bound, 4 for the second, ...; 1 beyond the last (recency: fewer days, higher). */
function scoreAtMost(value: number, bounds: readonly number[]): number {
	for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]) return 5 - i;
	return 1;
}

/** 1 below the first bound, 2 from it, ... 5 from the last (visits, spend: more, higher). */
function scoreAtLeast(value: number, bounds: readonly number[]): number {
	let score = 1;
	for (let i = 0; i < bounds.length; i++) if (value >= bounds[i]) score = i + 2;
	return score;
}

/**
 * One customer's RFM scores against the store's fixed thresholds: the same whoever else is in the run.
 * Recency: whole days since the latest order (no orders: 1). Frequency: visits (orders within the visit gap
 * are one). Monetary: lifetime spend, the thresholds read in the customer's own currency.
 */
export function rfmScoreOf(customer: WinBackCustomer, now: Date, thresholds: RfmThresholds = RFM_THRESHOLDS, visitGapHours = VISIT_GAP_HOURS): Rfm {
	return scored(customer, now, thresholds, visitGapHours, spendBounds(thresholds, customer.amountSpent.currency));
}

/** The spend thresholds in the currency's minor units. */
function spendBounds(thresholds: RfmThresholds, currency: string): number[] {
	return thresholds.spend.map((amount) => moneyFromDecimal(amount, currency).cents);
}

function scored(customer: WinBackCustomer, now: Date, thresholds: RfmThresholds, visitGapHours: number, spendCents: number[]): Rfm {
	const latest = orderTimes(customer).reduce((max, time) => (time > max ? time : max), -Infinity);
	// an order stamped after now (clock skew) counts as today
	const recency = latest === -Infinity ? 1 : scoreAtMost(Math.max(0, Math.floor((now.getTime() - latest) / DAY)), thresholds.recencyDays);
	const frequency = scoreAtLeast(visitCount(customer, visitGapHours), thresholds.visits);
	return { recency, frequency, monetary: scoreAtLeast(customer.amountSpent.cents, spendCents) };
}

/**
 * RFM scores of the customers of a run, each against the fixed thresholds (the policy's, else RFM_THRESHOLDS):
 * a customer scores the same in a run of one as in the whole store.
 */
export function rfmScores(customers: WinBackCustomer[], now: Date, policy?: Pick<WinBackPolicy, 'rfm' | 'visitGapHours'>): Map<string, Rfm> {
	const thresholds = policy?.rfm ?? RFM_THRESHOLDS;
	const gap = policy?.visitGapHours ?? VISIT_GAP_HOURS;
	const boundsByCurrency = new Map<string, number[]>();
	const scores = new Map<string, Rfm>();
	for (const customer of customers) {
		const currency = customer.amountSpent.currency.toUpperCase();
		let bounds = boundsByCurrency.get(currency);
		if (!bounds) boundsByCurrency.set(currency, (bounds = spendBounds(thresholds, currency)));
		scores.set(customer.customerId, scored(customer, now, thresholds, gap, bounds));
	}
	return scores;
}

type Range = readonly [number, number];

export interface SegmentRule {
	segment: Segment;
	recency?: Range;
	frequency?: Range;
	monetary?: Range;
	why: string;
}

/** First matching row wins; the rows cover all 125 score combinations. */
export const SEGMENT_RULES: readonly SegmentRule[] = [
	{ segment: 'champions', recency: [4, 5], frequency: [4, 5], why: 'bought recently and often' },
	{ segment: 'cant_lose', recency: [1, 2], frequency: [4, 5], monetary: [4, 5], why: 'bought often and much, long ago' },
	{ segment: 'at_risk', recency: [1, 2], frequency: [3, 5], why: 'bought often, long ago' },
	{ segment: 'loyal', recency: [3, 5], frequency: [3, 5], why: 'bought fairly recently and often' },
	{ segment: 'hibernating', recency: [1, 2], frequency: [1, 2], monetary: [3, 5], why: 'few orders long ago, but spent' },
	{ segment: 'lost', recency: [1, 2], why: 'few small orders long ago' },
	// closest rule for recent but infrequent buyers: loyal's recency holds, only frequency falls short
	{ segment: 'loyal', recency: [3, 5], frequency: [1, 2], why: 'bought recently, not yet often' },
];

const within = (score: number, range?: Range) => !range || (score >= range[0] && score <= range[1]);

export function segmentRuleOf(rfm: Rfm): SegmentRule {
	const rule = SEGMENT_RULES.find(
		(row) => within(rfm.recency, row.recency) && within(rfm.frequency, row.frequency) && within(rfm.monetary, row.monetary),
	);
	// unreachable for scores 1-5; out-of-range scores fall to the last row rather than throwing
	return rule ?? SEGMENT_RULES[SEGMENT_RULES.length - 1];
}

export function segmentOf(rfm: Rfm): Segment {
	return segmentRuleOf(rfm).segment;
}

/** True when `iso` is less than `days` ago; an unreadable or future time counts as recent (do not mail). */
function isWithinDays(iso: string, days: number, now: Date): boolean {
	const time = Date.parse(iso);
	if (Number.isNaN(time)) return true;
	return now.getTime() - time < days * DAY;
}

/** Why a customer must not get a win-back mail, first reason in this order; undefined when they may. */
export function suppressionOf(customer: WinBackCustomer, contacts: Contacts, policy: WinBackPolicy, now: Date): string | undefined {
	if (!customer.email || customer.email.trim() === '') return 'no_email';
	if (contacts.erasedCustomerIds?.has(customer.customerId)) return 'erased_on_request';
	// only SUBSCRIBED customers may get marketing mail (DESIGN.md "Win-back")
	if (customer.marketingConsent !== 'SUBSCRIBED') return `consent_${(customer.marketingConsent || 'unknown').toLowerCase()}`;
	if (contacts.openTicketCustomerIds.has(customer.customerId)) return 'open_ticket';
	const compensatedAt = contacts.compensatedSince.get(customer.customerId);
	if (compensatedAt !== undefined && isWithinDays(compensatedAt, policy.recentContactDays, now)) return 'recent_compensation';
	const lastWinBackAt = contacts.lastWinBackAt.get(customer.customerId);
	if (lastWinBackAt !== undefined && isWithinDays(lastWinBackAt, policy.cooldownDays, now)) return 'cooldown';
	return undefined;
}

function round1(value: number): number {
	return Math.round(value * 10) / 10;
}

function dormancyReason(state: Dormancy): string {
	if (state.reason === 'no_orders') return 'no_orders';
	const threshold = `${round1(state.thresholdDays)}d`;
	const basis =
		state.reason === 'one_time_buyer_floor'
			? 'one_time_buyer_floor'
			: state.reason === 'minimum_gap'
				? 'minimum_gap'
				: `median_gap_${round1(state.medianGapDays ?? 0)}d`;
	return `${state.isDormant ? 'dormant' : 'active'}:${state.daysSinceLastOrder ?? 0}d_since_last_order:threshold_${threshold}:${basis}`;
}

/** Plans one win-back run: a decision per customer and a summary whose counts add up to the decisions. */
export function planWinBack(
	customers: WinBackCustomer[],
	contacts: Contacts,
	policy: WinBackPolicy,
	now: Date,
): { decisions: WinBackDecision[]; summary: WinBackSummary } {
	const scores = rfmScores(customers, now, policy);
	const summary: WinBackSummary = {
		customers: customers.length,
		dormant: 0,
		toMail: 0,
		suppressed: {},
		bySegment: Object.fromEntries(SEGMENTS.map((segment) => [segment, { dormant: 0, toMail: 0 }])) as Record<Segment, { dormant: number; toMail: number }>,
	};
	const decisions: WinBackDecision[] = customers.map((customer) => {
		const state = dormancy(customer, policy, now);
		const rfm = scores.get(customer.customerId) ?? { recency: 1, frequency: 1, monetary: 1 };
		const segment = segmentOf(rfm);
		const reasons = [dormancyReason(state), `segment_${segment}:R${rfm.recency}F${rfm.frequency}M${rfm.monetary}`];
		if (!state.isDormant) return { customerId: customer.customerId, isDormant: false, segment, rfm, offerPercent: null, toMail: false, reasons };
		summary.dormant++;
		summary.bySegment[segment].dormant++;
		const suppressed = suppressionOf(customer, contacts, policy, now);
		if (suppressed) {
			summary.suppressed[suppressed] = (summary.suppressed[suppressed] ?? 0) + 1;
			reasons.push(`suppressed:${suppressed}`);
			return { customerId: customer.customerId, isDormant: true, segment, rfm, offerPercent: null, toMail: false, suppressed, reasons };
		}
		summary.toMail++;
		summary.bySegment[segment].toMail++;
		const offerPercent = policy.offers[segment];
		reasons.push(offerPercent === null ? 'offer:none' : offerPercent === 0 ? 'offer:plain_we_miss_you' : `offer:${offerPercent}%`);
		return { customerId: customer.customerId, isDormant: true, segment, rfm, offerPercent, toMail: true, reasons };
	});
	return { decisions, summary };
}

/**
 * The campaign window `now` falls in, as "YYYY-MM-DD/<n>d" (the window's first UTC day): windows are
 * cooldownDays long, aligned on whole days since 1970-01-01. Part of the winback_sends unique key.
 * A cooldown below one day or fractional is read as whole days, at least 1.
 */
export function campaignWindow(now: Date, cooldownDays: number): string {
	const length = Math.max(1, Math.floor(cooldownDays));
	const day = Math.floor(now.getTime() / DAY);
	const start = day - (((day % length) + length) % length);
	return `${new Date(start * DAY).toISOString().slice(0, 10)}/${length}d`;
}

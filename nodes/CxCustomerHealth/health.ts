/**
 * The customer health decision: (customer facts, policy, now) -> a 0-100 score, its band, its trend against
 * the previous score, and every weighted component with the reason it scored what it did. Pure: no n8n,
 * no I/O, no clock (`now` is given, for replays). Inputs are checked by `checkHealthInput` first, so the
 * node can name the field to fix; `scoreHealth` throws on input that check would refuse.
 */
import { isCurrency, minorUnitDigits, moneyToDecimal, type Money } from '../shared/money';
import { daysBetween } from '../shared/time';
import { HEALTH_COMPONENTS, type HealthComponent, type HealthPolicy } from '../shared/policy';

export type HealthBand = 'red' | 'yellow' | 'green';
export type HealthTrend = 'up' | 'down' | 'stable' | 'new';

export interface HealthInput {
	customerId: string;
	lastOrderAt?: string | null;
	/** Visits in the last 365 days: orders within the visit gap of a visit's first order are one (healthInputOf counts them). */
	ordersLast365: number;
	lifetimeSpend: Money;
	/** Latest CSAT rating, 1-5. */
	latestCsat?: number | null;
	/** Latest NPS answer, 0-10. */
	latestNps?: number | null;
	openTickets: number;
	/** Orders returned from in the last 365 days, one each however many refunds (RetentionCustomer.returnDates). */
	returnsLast365: number;
	/** Refunds in the last 365 days on orders not returned from (RetentionCustomer.refundDates). */
	refundsLast365: number;
	lateDeliveriesLast365: number;
	/** The score from the last run, 0-100; none for a customer scored the first time. */
	previousScore?: number | null;
}

export interface HealthComponentScore {
	/** 0-100, two decimals. */
	value: number;
	weight: number;
	/** value * weight / 100, two decimals. */
	points: number;
	detail: string;
	unknown?: true;
}

export interface HealthScore {
	customerId: string;
	/** Integer 0-100: the sum of the components' points, rounded. */
	score: number;
	band: HealthBand;
	components: Record<HealthComponent, HealthComponentScore>;
	trend: HealthTrend;
	/** score - previousScore; null when there is no previous score. */
	change: number | null;
	reasons: string[];
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const clamp100 = (value: number) => Math.min(100, Math.max(0, value));
const plural = (count: number, one: string, many: string) => `${count}_${count === 1 ? one : many}`;

/** A problem sentence when the weights are not one non-negative number per component summing to 100. */
export function validateWeights(weights: unknown): string | undefined {
	if (weights === null || typeof weights !== 'object' || Array.isArray(weights)) {
		return 'Health weights must be an object with one number per component.';
	}
	const given = weights as Record<string, unknown>;
	const extra = Object.keys(given).filter((key) => !(HEALTH_COMPONENTS as readonly string[]).includes(key));
	if (extra.length) return `Unknown health weight "${extra[0]}"; the components are ${HEALTH_COMPONENTS.join(', ')}.`;
	let sum = 0;
	for (const component of HEALTH_COMPONENTS) {
		const weight = given[component];
		if (weight === undefined) return `The health weight for ${component} is missing.`;
		if (typeof weight !== 'number' || !Number.isFinite(weight)) {
			return `The health weight for ${component} must be a number, not ${JSON.stringify(weight) ?? String(weight)}.`;
		}
		if (weight < 0) return `The health weight for ${component} is ${weight}; weights cannot be negative.`;
		sum += weight;
	}
	// A small tolerance lets fractional weights such as 33.3 + 33.3 + 33.4 through.
	if (Math.abs(sum - 100) > 1e-9) return `The health weights sum to ${round2(sum)}; they must sum to 100.`;
	return undefined;
}

function isWholeCount(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isFiniteNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/** The first field that cannot be scored and why, or undefined when the input is fine. */
export function checkHealthInput(input: HealthInput): { field: string; problem: string } | undefined {
	if (typeof input.customerId !== 'string' || !input.customerId.trim()) {
		return { field: 'customerId', problem: 'The customer ID is empty.' };
	}
	if (input.lastOrderAt !== undefined && input.lastOrderAt !== null) {
		if (typeof input.lastOrderAt !== 'string' || Number.isNaN(new Date(input.lastOrderAt).getTime())) {
			return { field: 'lastOrderAt', problem: `"${String(input.lastOrderAt)}" is not a date and time; use ISO 8601.` };
		}
	}
	const counts = [
		['ordersLast365', input.ordersLast365],
		['openTickets', input.openTickets],
		['returnsLast365', input.returnsLast365],
		['refundsLast365', input.refundsLast365],
		['lateDeliveriesLast365', input.lateDeliveriesLast365],
	] as const;
	for (const [field, count] of counts) {
		if (!isWholeCount(count)) return { field, problem: `${String(count)} is not a count; use a whole number, 0 or more.` };
	}
	const spend = input.lifetimeSpend as Money | undefined;
	if (!spend || typeof spend !== 'object') return { field: 'lifetimeSpend', problem: 'The lifetime spend is missing.' };
	if (typeof spend.currency !== 'string' || !isCurrency(spend.currency)) {
		return { field: 'lifetimeSpend.currency', problem: `"${String(spend.currency)}" is not an ISO 4217 currency code.` };
	}
	if (!Number.isSafeInteger(spend.cents) || spend.cents < 0) {
		return { field: 'lifetimeSpend.cents', problem: `${String(spend.cents)} is not an amount; use whole minor units, 0 or more.` };
	}
	if (input.latestCsat !== undefined && input.latestCsat !== null) {
		if (!isFiniteNumber(input.latestCsat) || input.latestCsat < 1 || input.latestCsat > 5) {
			return { field: 'latestCsat', problem: `CSAT ${String(input.latestCsat)} is outside 1-5.` };
		}
	}
	if (input.latestNps !== undefined && input.latestNps !== null) {
		if (!isFiniteNumber(input.latestNps) || input.latestNps < 0 || input.latestNps > 10) {
			return { field: 'latestNps', problem: `NPS ${String(input.latestNps)} is outside 0-10.` };
		}
	}
	if (input.previousScore !== undefined && input.previousScore !== null) {
		if (!isFiniteNumber(input.previousScore) || input.previousScore < 0 || input.previousScore > 100) {
			return { field: 'previousScore', problem: `The previous score ${String(input.previousScore)} is outside 0-100.` };
		}
	}
	return undefined;
}

type Valued = Omit<HealthComponentScore, 'weight' | 'points'>;

function recencyOf(input: HealthInput, policy: HealthPolicy, now: Date): Valued {
	if (!input.lastOrderAt) return { value: 0, detail: 'no_order_on_record' };
	// An order stamped after `now` (clock skew) counts as today.
	const days = Math.max(0, Math.floor(daysBetween(new Date(input.lastOrderAt), now)));
	const value = clamp100(100 * (1 - days / policy.scales.recency.zeroAtDays));
	return { value, detail: `${plural(days, 'day', 'days')}_since_last_order` };
}

function spendOf(spend: Money, policy: HealthPolicy): Valued {
	const fullAtCents = policy.scales.spend.fullAtAmount * 10 ** minorUnitDigits(spend.currency);
	return { value: clamp100((spend.cents / fullAtCents) * 100), detail: `lifetime_spend_${moneyToDecimal(spend)}_${spend.currency}` };
}

function satisfactionOf(input: HealthInput, policy: HealthPolicy): Valued {
	// CSAT rates this shop's service; NPS is broader, so CSAT wins when both are known.
	if (isFiniteNumber(input.latestCsat)) return { value: ((input.latestCsat - 1) / 4) * 100, detail: `csat_${input.latestCsat}_of_5` };
	if (isFiniteNumber(input.latestNps)) return { value: input.latestNps * 10, detail: `nps_${input.latestNps}_of_10` };
	return { value: policy.scales.satisfaction.neutral, detail: 'no_csat_or_nps', unknown: true };
}

export function bandOf(score: number, bands: HealthPolicy['bands']): HealthBand {
	if (score <= bands.red) return 'red';
	if (score <= bands.yellow) return 'yellow';
	return 'green';
}

export function scoreHealth(input: HealthInput, policy: HealthPolicy, now: Date): HealthScore {
	const inputProblem = checkHealthInput(input);
	if (inputProblem) throw new RangeError(`${inputProblem.field}: ${inputProblem.problem}`);
	const weightProblem = validateWeights(policy.weights);
	if (weightProblem) throw new RangeError(weightProblem);
	const { scales } = policy;

	const valued: Record<HealthComponent, Valued> = {
		recency: recencyOf(input, policy, now),
		frequency: {
			value: clamp100((input.ordersLast365 / scales.frequency.fullAtOrders) * 100),
			detail: `${plural(input.ordersLast365, 'visit', 'visits')}_in_last_365_days`,
		},
		spend: spendOf(input.lifetimeSpend, policy),
		satisfaction: satisfactionOf(input, policy),
		openTickets: {
			value: clamp100(100 - input.openTickets * scales.openTickets.minusPerTicket),
			detail: `${plural(input.openTickets, 'open_ticket', 'open_tickets')}`,
		},
		// returns and refunds: the component keeps its name `refunds`, the key of stored weights
		refunds: {
			value: clamp100(100 - (input.returnsLast365 + input.refundsLast365) * scales.refunds.minusPerRefund),
			detail: `${plural(input.returnsLast365, 'return', 'returns')}_and_${plural(input.refundsLast365, 'refund', 'refunds')}_in_last_365_days`,
		},
		delays: {
			value: clamp100(100 - input.lateDeliveriesLast365 * scales.delays.minusPerLateDelivery),
			detail: `${plural(input.lateDeliveriesLast365, 'late_delivery', 'late_deliveries')}_in_last_365_days`,
		},
	};

	const components = {} as Record<HealthComponent, HealthComponentScore>;
	let total = 0;
	for (const component of HEALTH_COMPONENTS) {
		const { value, detail, unknown } = valued[component];
		const weight = policy.weights[component];
		const rounded = round2(value);
		const points = round2((rounded * weight) / 100);
		total += points;
		components[component] = { value: rounded, weight, points, detail, ...(unknown ? { unknown } : {}) };
	}
	// Rounding the two-decimal sum first keeps float noise (50.4999...) from moving the score.
	const score = Math.min(100, Math.max(0, Math.round(round2(total))));
	const band = bandOf(score, policy.bands);

	const previous = input.previousScore ?? null;
	const change = previous === null ? null : round2(score - previous);
	let trend: HealthTrend = 'new';
	if (change !== null) trend = change > policy.trendThreshold ? 'up' : change < -policy.trendThreshold ? 'down' : 'stable';

	const reasons = [`band_${band}`];
	// Weakest first: the component that costs the most points heads the list.
	const weak = HEALTH_COMPONENTS.filter((component) => !components[component].unknown && components[component].value < policy.weakBelow).sort(
		(a, b) => components[b].weight - components[b].points - (components[a].weight - components[a].points),
	);
	for (const component of weak) reasons.push(`weak_${component}:${components[component].detail}`);
	for (const component of HEALTH_COMPONENTS) {
		if (components[component].unknown) reasons.push(`unknown_${component}:${components[component].detail}`);
	}
	reasons.push(change === null ? 'trend_new' : `trend_${trend}:${change > 0 ? '+' : ''}${change}`);

	return { customerId: input.customerId, score, band, components, trend, change, reasons };
}

/** One sentence for a person: the score, its band, the trend and the weakest components. */
export function describeHealth(result: HealthScore): string {
	const previous = result.change === null ? null : round2(result.score - result.change);
	const trend =
		result.change === null
			? 'first score'
			: result.trend === 'stable'
				? `stable against ${previous}`
				: `${result.trend} ${Math.abs(result.change)} from ${previous}`;
	const weak = result.reasons.filter((reason) => reason.startsWith('weak_')).map((reason) => reason.slice('weak_'.length, reason.indexOf(':')));
	return `Health ${result.score} of 100 (${result.band}), ${trend}${weak.length ? `; weakest: ${weak.join(', ')}` : ''}.`;
}

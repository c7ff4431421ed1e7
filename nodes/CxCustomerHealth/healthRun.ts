/**
 * Customer health against Supabase: the signals of many customers read in a few batched requests (open
 * tickets, the latest CSAT and NPS answers, late deliveries from the compensation ledger, the previous
 * score), and each day's score stored once per customer and day, so a rerun the same day replaces it.
 * Ids match whether a table holds a Shopify GID or the bare number. A few customers' signals are read by
 * their ids; many customers' (the whole store) by reading each table whole and keeping their rows.
 */
import type { Row, SupabaseService } from '../shared/services/supabase';
import { LATE_DELIVERY_REASONS } from '../shared/contract/compensation';
import type { HealthScore } from './health';
import { customerIdForms } from '../shared/contract/customer';
import { customerKey, HEALTH_WINDOW_DAYS, type StoredSignals } from './healthInput';
import { compensationsOf } from '../shared/store/compensationLedger';
import { CUSTOMER_HEALTH_SCORES_KEY, CUSTOMER_HEALTH_SCORES_TABLE, previousHealthScores } from '../shared/store/customerHealthScores';
import { surveyAnswersOf } from '../shared/store/surveyResponses';
import { openTicketsOf } from '../shared/store/tickets';

const DAY = 86_400_000;

/** The UTC day a score belongs to: one row per customer and day in customer_health_scores. */
export function scoredOnOf(now: Date): string {
	return now.toISOString().slice(0, 10);
}

export interface SignalRows {
	openTickets: Row[];
	surveyAnswers: Row[];
	compensations: Row[];
	previousScores: Row[];
}

// keyed reads cost 4 x ceil(2N / 100) requests: 160 at 2,000 customers, as many as reading 160,000 signal rows whole
export const WHOLE_READ_ABOVE_CUSTOMERS = 2_000;

/** Whether a run reads the signal tables whole: the whole Shopify store, or more customers than WHOLE_READ_ABOVE_CUSTOMERS. */
export function readsSignalsWhole(source: string, customers: number, above = WHOLE_READ_ABOVE_CUSTOMERS): boolean {
	return source === 'shopify' || customers > above;
}

/**
 * The signal rows of these customers. Keyed: 4 x ceil(id forms / 100) requests (more when 100 ids hold 1,000
 * rows or more). Whole: per table, floor(rows / 1000) + 1 requests, rows being the table's within its bounds
 * (open tickets, CSAT and NPS answers to now, late deliveries of the window, customers with an earlier score).
 */
export async function readSignalRows(supabase: SupabaseService, customerIds: string[], now: Date, whole = false): Promise<SignalRows> {
	const ids = [...new Set(customerIds.flatMap(customerIdForms))];
	if (!ids.length) return { openTickets: [], surveyAnswers: [], compensations: [], previousScores: [] };
	const [openTickets, surveyAnswers, compensations, previousScores] = await Promise.all([
		openTicketsOf(supabase, ids, whole),
		// the latest answer counts however old it is (health.ts), so answers are not bounded by the window
		surveyAnswersOf(supabase, ids, ['csat', 'nps'], now, whole),
		compensationsOf(supabase, ids, LATE_DELIVERY_REASONS, new Date(now.getTime() - HEALTH_WINDOW_DAYS * DAY), now, whole),
		previousHealthScores(supabase, ids, scoredOnOf(now), whole),
	]);
	return { openTickets, surveyAnswers, compensations, previousScores };
}

/** Each customer's signals from the rows, keyed by customerKey. */
export function signalsFromRows(rows: SignalRows): Map<string, StoredSignals> {
	const signals = new Map<string, StoredSignals>();
	const of = (row: Row) => {
		const key = customerKey(String(row.customer_id));
		let entry = signals.get(key);
		if (!entry) signals.set(key, (entry = { openTickets: 0, lateDeliveriesLast365: 0 }));
		return entry;
	};

	for (const row of rows.openTickets) of(row).openTickets += 1;

	// one late delivery per order, however many ledger rows (policy versions) it has
	const lateOrders = new Map<string, Set<string>>();
	for (const row of rows.compensations) {
		const key = customerKey(String(row.customer_id));
		if (!lateOrders.has(key)) lateOrders.set(key, new Set());
		lateOrders.get(key)!.add(String(row.order_id));
		of(row);
	}
	for (const [key, orders] of lateOrders) signals.get(key)!.lateDeliveriesLast365 = orders.size;

	const latestAnswer = new Map<string, number>();
	for (const row of rows.surveyAnswers) {
		const type = String(row.type);
		const score = Number(row.score);
		// an answer off its scale (CSAT 1-5, NPS 0-10) is not this customer's rating: the next one counts
		if (!Number.isFinite(score) || (type === 'csat' ? score < 1 || score > 5 : type === 'nps' ? score < 0 || score > 10 : true)) continue;
		const at = Date.parse(String(row.responded_at));
		const entry = of(row);
		const slot = `${customerKey(String(row.customer_id))}\u0000${type}`;
		if ((latestAnswer.get(slot) ?? -Infinity) >= at) continue;
		latestAnswer.set(slot, at);
		if (type === 'csat') entry.latestCsat = score;
		else entry.latestNps = score;
	}

	for (const row of rows.previousScores) {
		const entry = of(row);
		const day = String(row.scored_on);
		if (entry.previousScoredOn && entry.previousScoredOn >= day) continue;
		entry.previousScore = Number(row.score);
		entry.previousScoredOn = day;
	}
	return signals;
}

export async function readStoredSignals(supabase: SupabaseService, customerIds: string[], now: Date, whole = false): Promise<Map<string, StoredSignals>> {
	return signalsFromRows(await readSignalRows(supabase, customerIds, now, whole));
}

/** Upserts the day's scores on (customer_id, scored_on); a customer scored twice in one run keeps the last. */
export async function storeHealthScores(supabase: SupabaseService, scores: HealthScore[], now: Date): Promise<void> {
	const scoredOn = scoredOnOf(now);
	const rows = new Map<string, Row>();
	for (const score of scores) {
		const customerId = customerKey(score.customerId);
		rows.set(customerId, { customer_id: customerId, score: score.score, band: score.band, components: score.components, scored_on: scoredOn, scored_at: now.toISOString() });
	}
	if (rows.size) await supabase.upsert(CUSTOMER_HEALTH_SCORES_TABLE, [...rows.values()], CUSTOMER_HEALTH_SCORES_KEY);
}

/**
 * The reads behind CX Satisfaction Metrics: survey answers, tickets and decided returns from Supabase a page at a time
 * (keyset pages of 1,000 rows, each counted and dropped), orders from Shopify in one bulk operation streamed
 * line by line. Nothing is held but the accumulators' counts.
 */
import { InputProblem } from '../shared/items';
import type { ShopifyService } from '../shared/services/shopify/client';
import { soldOrders } from '../shared/services/shopify/orders';
import type { SupabaseService } from '../shared/services/supabase';
import { readSurveyAnswer, type Periods, type SatisfactionMetrics } from './metrics';
import { compensationFacts, decidedReturnFacts, readTicketItem, TICKET_FACT_COLUMNS, ticketFacts } from './metricsInput';
import { COMPENSATION_LEDGER_TABLE } from '../shared/store/compensationLedger';
import { SURVEY_RESPONSES_TABLE } from '../shared/store/surveyResponses';
import { OPEN_TICKET_STATUSES, TICKETS_TABLE } from '../shared/store/tickets';
import { eachReturnDecidedBetween } from '../shared/store/returnDecisions';

const iso = (epoch: number) => new Date(epoch).toISOString();

/** How a problem names a stored answer; called only for a bad row, not for each of a million good ones. */
const storedRowName = (row: Record<string, unknown>) => `survey_responses row ${String(row.id)}`;

/** survey_responses answered from the previous period's start to the current period's end; a bad row goes to `onProblem`. */
export async function readStoredAnswers(
	supabase: SupabaseService,
	metrics: SatisfactionMetrics,
	periods: Periods,
	onProblem: (problem: InputProblem) => void,
): Promise<number> {
	const scales = metrics.settings.policy.scales;
	return supabase.eachPage(
		SURVEY_RESPONSES_TABLE,
		{
			columns: 'type, score, responded_at, tier, channel, issue_type',
			filters: [
				{ column: 'responded_at', op: 'gte', value: iso(periods.previous.start) },
				{ column: 'responded_at', op: 'lt', value: iso(periods.current.end) },
			],
		},
		(rows) => {
			for (const row of rows) {
				const answer = readSurveyAnswer(row, storedRowName, scales);
				if (answer instanceof InputProblem) onProblem(answer);
				else metrics.addAnswer(answer);
			}
		},
	);
}

/**
 * Tickets: those first answered in either period (response times) and those open and unanswered past a target
 * due in either period (misses); those open, pending or on hold now and
 * those solved since the previous period's end (the backlog at each period's end); those solved in either
 * period (resolution times, and the first-contact and reopen rates of the tickets first solved then); and
 * those first solved in either period and solved again later or reopened (those rates). Returns the rows read.
 */
export async function readStoredTickets(supabase: SupabaseService, metrics: SatisfactionMetrics, periods: Periods): Promise<number> {
	const from = iso(periods.previous.start);
	const to = iso(periods.current.end);
	const responded = await supabase.eachPage(
		TICKETS_TABLE,
		{
			columns: 'ticket_created_at, created_at, first_responded_at',
			filters: [
				{ column: 'first_responded_at', op: 'gte', value: from },
				{ column: 'first_responded_at', op: 'lt', value: to },
			],
		},
		(rows) => {
			for (const row of rows) metrics.addResponseTime(ticketFacts(row));
		},
	);
	// open and unanswered, their target due in either period (created the target's length before it)
	const targetMs = metrics.firstResponseTargetMs;
	const unanswered = await supabase.eachPage(
		TICKETS_TABLE,
		{
			columns: 'ticket_created_at, created_at, first_responded_at, status',
			filters: [
				{ column: 'first_responded_at', op: 'is', value: null },
				{ column: 'status', op: 'in', value: [...OPEN_TICKET_STATUSES] },
				{ column: 'ticket_created_at', op: 'gte', value: iso(periods.previous.start - targetMs) },
				{ column: 'ticket_created_at', op: 'lt', value: iso(periods.current.end - targetMs) },
			],
		},
		(rows) => {
			for (const row of rows) metrics.addResponseTime(ticketFacts(row));
		},
	);
	const columns = 'ticket_created_at, created_at, status, resolved_at';
	const open = await supabase.eachPage(TICKETS_TABLE, { columns, filters: [{ column: 'status', op: 'in', value: [...OPEN_TICKET_STATUSES] }] }, (rows) => {
		for (const row of rows) metrics.addBacklog(ticketFacts(row));
	});
	const solvedSince = await supabase.eachPage(
		TICKETS_TABLE,
		{
			columns,
			filters: [
				{ column: 'status', op: 'in', value: ['solved', 'closed'] },
				{ column: 'resolved_at', op: 'gte', value: iso(periods.previous.end) },
			],
		},
		(rows) => {
			for (const row of rows) metrics.addBacklog(ticketFacts(row));
		},
	);
	const inPeriods = (epoch: number | null) => epoch !== null && epoch >= periods.previous.start && epoch < periods.current.end;
	const resolved = await supabase.eachPage(
		TICKETS_TABLE,
		{ columns: TICKET_FACT_COLUMNS, filters: [{ column: 'resolved_at', op: 'gte', value: from }, { column: 'resolved_at', op: 'lt', value: to }] },
		(rows) => {
			for (const row of rows) {
				const ticket = ticketFacts(row);
				metrics.addResolution(ticket);
				metrics.addSolved(ticket);
			}
		},
	);
	// first solved in the periods, their latest solve outside them (or cleared by a reopen): not read above
	const firstSolved = await supabase.eachPage(
		TICKETS_TABLE,
		{ columns: TICKET_FACT_COLUMNS, filters: [{ column: 'first_resolved_at', op: 'gte', value: from }, { column: 'first_resolved_at', op: 'lt', value: to }] },
		(rows) => {
			for (const row of rows) {
				const ticket = ticketFacts(row);
				if (!inPeriods(ticket.resolvedAt)) metrics.addSolved(ticket);
			}
		},
	);
	return responded + unanswered + open + solvedSince + resolved + firstSolved;
}

/** Returns CX Returns Desk decided from the previous period's start to the current period's end, counted page by page. */
export async function readDecidedReturns(supabase: SupabaseService, metrics: SatisfactionMetrics, periods: Periods): Promise<number> {
	return eachReturnDecidedBetween(supabase, new Date(periods.previous.start), new Date(periods.current.end), (rows) => {
		for (const row of rows) metrics.addReturn(decidedReturnFacts(row));
	});
}

/** Tickets given as input items, one per item (TICKET_ITEM_FIELDS); a bad one goes to `onProblem` with its index. */
export function readTicketItems(items: Array<{ json: Record<string, unknown> }>, metrics: SatisfactionMetrics, onProblem: (itemIndex: number, problem: InputProblem) => void): void {
	items.forEach((item, itemIndex) => {
		const ticket = readTicketItem(item.json, `Item ${itemIndex}`);
		if (ticket instanceof InputProblem) onProblem(itemIndex, ticket);
		else metrics.addTicket(ticket);
	});
}

/**
 * The pack's own compensations paid as Shopify refunds (compensation_ledger, method partialRefund, any status
 * but skipped: a payout under way may already be in Shopify), recorded since the previous return cohort
 * began. Read before the orders, so their refunds are told apart from returns as the orders stream in.
 */
export async function readCompensations(supabase: SupabaseService, metrics: SatisfactionMetrics): Promise<number> {
	return supabase.eachPage(
		COMPENSATION_LEDGER_TABLE,
		{
			columns: 'order_id, payout_reference, amount_cents',
			filters: [
				{ column: 'method', op: 'eq', value: 'partialRefund' },
				{ column: 'status', op: 'neq', value: 'skipped' },
				{ column: 'created_at', op: 'gte', value: iso(metrics.returnCohorts.previous.start) },
			],
		},
		(rows) => {
			for (const row of rows) metrics.addCompensation(compensationFacts(row));
		},
	);
}

/** Every order processed before the current period's end, in one bulk operation, each line counted as it downloads. */
export async function readShopifyOrders(shopify: ShopifyService, metrics: SatisfactionMetrics, periods: Periods): Promise<{ orders: number; requests: number }> {
	let orders = 0;
	const { requests } = await soldOrders(shopify, new Date(periods.current.end), (order) => {
		orders++;
		metrics.addOrder(order);
	});
	return { orders, requests };
}

/** Measure: the period's answers, tickets, orders and decided returns counted as they stream in, the report with KPIs, breakdowns and alerts out. */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { InputProblem } from '../../shared/items';
import { SATISFACTION_POLICY } from '../../shared/policy';
import { ShopifyService } from '../../shared/services/shopify/client';
import { SupabaseService } from '../../shared/services/supabase';
import { instantAt } from '../../shared/time';
import { readNow, readTimeZone } from '../../shared/n8n/options';
import { customPeriods, presetPeriods, readSurveyAnswer, SatisfactionMetrics, type MetricsSources, type Periods, type SatisfactionPolicy } from '../metrics';
import { readOrderItem } from '../metricsInput';
import { readCompensations, readDecidedReturns, readShopifyOrders, readStoredAnswers, readStoredTickets, readTicketItems } from '../metricsRun';
import { errorItem } from '../../shared/n8n/errorItems';

/** Error items for bad survey_responses rows, at most: the rest are counted in `rejected` and named in one last item. */
type PeriodChoice = 'last7Days' | 'last30Days' | 'custom';
const MAX_ROW_ERROR_ITEMS = 1_000;

export async function measureSatisfaction(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const timeZone = readTimeZone(this, 'Store Time Zone', options.timeZone);
	const policy = readPolicy.call(this, options);
	const periods = readPeriods.call(this, now, timeZone);
	const sources: MetricsSources = {
		responses: this.getNodeParameter('responsesFrom', 0, 'supabase') as MetricsSources['responses'],
		tickets: this.getNodeParameter('includeTickets', 0, true) as boolean,
		orders: this.getNodeParameter('ordersFrom', 0, 'shopify') as MetricsSources['orders'],
	};
	const ticketsFrom = sources.tickets ? (this.getNodeParameter('ticketsFrom', 0, 'supabase') as 'supabase' | 'items') : 'none';
	if (sources.responses === 'items' && sources.orders === 'items') {
		throw new NodeOperationError(this.getNode(), 'Input items carry survey responses or orders, not both in one run', {
			description: 'Set "Responses From" to Supabase to count order items, or "Orders From" to Shopify or None to count response items.',
		});
	}
	if (ticketsFrom === 'items' && (sources.responses === 'items' || sources.orders === 'items')) {
		throw new NodeOperationError(this.getNode(), 'Input items carry one kind of record per run: tickets, survey responses or orders', {
			description: 'With "Tickets From" set to Input Items, set "Responses From" to Supabase and "Orders From" to Shopify or None.',
		});
	}

	const metrics = new SatisfactionMetrics({ periods, policy, timeZone, now: now.getTime() });
	const errorItems: INodeExecutionData[] = [];
	const itemProblem = (itemIndex: number, problem: InputProblem) => {
		const error = new NodeOperationError(this.getNode(), problem.message, { itemIndex, description: problem.fix });
		if (!this.continueOnFail()) throw error;
		metrics.reject();
		errorItems.push(errorItem(error, itemIndex));
	};
	let rowErrorsLeftOut = 0;
	const rowProblem = (problem: InputProblem) => {
		const description = `${problem.fix} Fix the row in survey_responses, or turn on Continue On Fail to count the other rows and list the bad ones.`;
		if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), problem.message, { description });
		metrics.reject();
		if (errorItems.length < MAX_ROW_ERROR_ITEMS) errorItems.push(errorItem({ message: problem.message, description: problem.fix }, 0));
		else rowErrorsLeftOut++;
	};

	const supabase = sources.responses === 'supabase' || sources.tickets || sources.orders !== 'none' ? await SupabaseService.connect(this) : undefined;
	if (sources.responses === 'items') {
		items.forEach((item, itemIndex) => {
			const answer = readSurveyAnswer(item.json, `Item ${itemIndex}`, policy.scales, now.getTime());
			if (answer instanceof InputProblem) itemProblem(itemIndex, answer);
			else metrics.addAnswer(answer);
		});
	} else {
		await readStoredAnswers(supabase!, metrics, periods, rowProblem);
	}
	// the pack's own compensations first: as the orders stream in, their refunds are told apart from returns
	if (sources.orders !== 'none') await readCompensations(supabase!, metrics);
	if (sources.orders === 'items') {
		const defaultCurrency = String(options.currency || 'USD').trim().toUpperCase();
		let currency: string | undefined;
		items.forEach((item, itemIndex) => {
			const order = readOrderItem(item.json, `Item ${itemIndex}`, defaultCurrency);
			if (order instanceof InputProblem) return itemProblem(itemIndex, order);
			currency ??= order.currency ?? undefined;
			if (order.currency !== currency) {
				return itemProblem(itemIndex, new InputProblem('currency', `Item ${itemIndex}: the order is in ${String(order.currency)}, the others in ${currency}`, 'Lifetime value adds up one currency: convert the orders to the shop\'s currency first.'));
			}
			metrics.addOrder(order);
		});
	}
	if (ticketsFrom === 'items') readTicketItems(items, metrics, itemProblem);
	else if (sources.tickets) await readStoredTickets(supabase!, metrics, periods);
	// the returns CX Returns Desk decided, whenever the run reads Supabase anyway; without it they are zero and said so
	sources.returns = supabase !== undefined;
	if (supabase) await readDecidedReturns(supabase, metrics, periods);
	if (sources.orders === 'shopify') await readShopifyOrders(await ShopifyService.connect(this), metrics, periods);

	if (rowErrorsLeftOut) {
		errorItems.push({ json: { error: `${rowErrorsLeftOut} more survey_responses rows could not be counted`, description: `Only the first ${MAX_ROW_ERROR_ITEMS} bad rows are listed; all of them are in metrics.rejected.` }, pairedItem: { item: 0 } });
	}
	const report = metrics.report(sources);
	const pairedItem = sources.responses === 'items' || sources.orders === 'items' || ticketsFrom === 'items' ? items.map((_, item) => ({ item })) : { item: 0 };
	return [[{ json: { metrics: report } as unknown as IDataObject, pairedItem }, ...errorItems]];
}

/** A time from the Custom period: with an offset (or Z) as given, without one in the store's time zone. */
function storeTime(value: unknown, timeZone: string): Date {
	const text = value instanceof Date ? value.toISOString() : String(value ?? '').trim();
	const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/.exec(text);
	if (!local) return new Date(text);
	const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0'] = local;
	const midnight = instantAt(Number(year), Number(month), Number(day), Number(hour) * 60 + Number(minute), timeZone);
	return new Date(midnight.getTime() + Number(second) * 1000 + Number(fraction.padEnd(3, '0')));
}

function readPeriods(this: IExecuteFunctions, now: Date, timeZone: string): Periods {
	const choice = this.getNodeParameter('period', 0, 'last7Days') as PeriodChoice;
	if (choice === 'last7Days' || choice === 'last30Days') return presetPeriods(choice === 'last7Days' ? 7 : 30, now, timeZone);
	const start = storeTime(this.getNodeParameter('periodStart', 0, ''), timeZone);
	const end = storeTime(this.getNodeParameter('periodEnd', 0, ''), timeZone);
	for (const [name, date] of [['Period Start', start], ['Period End', end]] as const) {
		if (Number.isNaN(date.getTime())) throw new NodeOperationError(this.getNode(), `"${name}" is not a date`, { description: `Set ${name} to a date such as 2026-11-09T00:00:00.` });
	}
	const periods = customPeriods(start, end);
	if (periods instanceof InputProblem) throw new NodeOperationError(this.getNode(), periods.message, { description: periods.fix });
	return periods;
}

function numberOption(this: IExecuteFunctions, collection: IDataObject, name: string, label: string, fallback: number, check: (value: number) => boolean, rule: string): number {
	const given = collection[name];
	const value = given === undefined || given === '' ? fallback : Number(given);
	if (!Number.isFinite(value) || !check(value)) {
		throw new NodeOperationError(this.getNode(), `${label} is ${String(given)}; it must be ${rule}`, { description: `Fix ${label}.` });
	}
	return value;
}

/** The policy with the node's targets, alert thresholds and options; unset ones keep SATISFACTION_POLICY. */
function readPolicy(this: IExecuteFunctions, options: IDataObject): SatisfactionPolicy {
	const targets = this.getNodeParameter('targets', 0, {}) as IDataObject;
	const alerts = this.getNodeParameter('alerts', 0, {}) as IDataObject;
	const any = () => true;
	const positive = (value: number) => value > 0;
	const atLeastZero = (value: number) => value >= 0;
	const percent = (value: number) => value >= 0 && value <= 100;
	const read = numberOption.bind(this);
	const t = SATISFACTION_POLICY.targets;
	const a = SATISFACTION_POLICY.alerts;
	return {
		...SATISFACTION_POLICY,
		confidence: read(options, 'confidence', 'Options > Confidence', SATISFACTION_POLICY.confidence, (value) => value >= 0.5 && value < 1, 'from 0.5 to below 1, e.g. 0.95'),
		lowSampleBelow: read(options, 'lowSampleBelow', 'Options > Low Sample Below', SATISFACTION_POLICY.lowSampleBelow, atLeastZero, '0 or more'),
		targets: {
			firstResponseHours: read(targets, 'firstResponseHours', 'Targets > First Response Under (Hours)', t.firstResponseHours, positive, 'more than 0'),
			firstResponseMetPercent: read(targets, 'firstResponseMetPercent', 'Targets > Tickets Answered in Time (%)', t.firstResponseMetPercent, percent, 'a percent from 0 to 100'),
			csatPercent: read(targets, 'csatPercent', 'Targets > CSAT Over (%)', t.csatPercent, percent, 'a percent from 0 to 100'),
			nps: read(targets, 'nps', 'Targets > NPS Over', t.nps, (value) => value >= -100 && value <= 100, 'from -100 to 100'),
			returnRatePercent: read(targets, 'returnRatePercent', 'Targets > Return Rate Under (%)', t.returnRatePercent, percent, 'a percent from 0 to 100'),
			ltvGrowthPercent: read(targets, 'ltvGrowthPercent', 'Targets > Lifetime Value Growth Over (%)', t.ltvGrowthPercent, any, 'a number'),
			resolutionHours: read(targets, 'resolutionHours', 'Targets > Resolution Under (Hours)', t.resolutionHours, positive, 'more than 0'),
			resolutionMetPercent: read(targets, 'resolutionMetPercent', 'Targets > Tickets Resolved in Time (%)', t.resolutionMetPercent, percent, 'a percent from 0 to 100'),
			firstContactResolutionPercent: read(targets, 'firstContactResolutionPercent', 'Targets > First-Contact Resolution Over (%)', t.firstContactResolutionPercent, percent, 'a percent from 0 to 100'),
			reopenRatePercent: read(targets, 'reopenRatePercent', 'Targets > Reopen Rate Under (%)', t.reopenRatePercent, percent, 'a percent from 0 to 100'),
		},
		cohorts: {
			returnAgeDays: read(options, 'returnAgeDays', 'Options > Return Window Closed After (Days)', SATISFACTION_POLICY.cohorts.returnAgeDays, atLeastZero, '0 or more days'),
			valueAgeDays: read(options, 'valueAgeDays', 'Options > Customer Value Within (Days)', SATISFACTION_POLICY.cohorts.valueAgeDays, positive, 'more than 0 days'),
		},
		alerts: {
			csatDropPoints: read(alerts, 'csatDropPoints', 'Alerts > CSAT Drop (Points)', a.csatDropPoints, positive, 'more than 0'),
			npsDropPoints: read(alerts, 'npsDropPoints', 'Alerts > NPS Drop (Points)', a.npsDropPoints, positive, 'more than 0'),
			returnRatePercent: read(alerts, 'returnRatePercent', 'Alerts > Return Rate Over (%)', a.returnRatePercent, percent, 'a percent from 0 to 100'),
			firstResponseHours: read(alerts, 'firstResponseHours', 'Alerts > First Response Over (Hours)', a.firstResponseHours, positive, 'more than 0'),
			backlog: read(alerts, 'backlog', 'Alerts > Backlog Over', a.backlog, atLeastZero, '0 or more'),
		},
	};
}

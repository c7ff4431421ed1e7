import type { INodeProperties } from 'n8n-workflow';
import { SURVEY_ITEM_FIELDS } from './metrics';
import { ORDER_ITEM_FIELDS } from './metricsInput';

/** The parameters of CX Satisfaction Metrics as the editor shows them (its description in CxSatisfactionMetrics.node.ts). */
export const properties: INodeProperties[] = [
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		noDataExpression: true,
		default: 'last7Days',
		options: [
			{ name: 'Last 7 Days', value: 'last7Days', description: 'The 7 full days before today, in the store\'s time zone, against the 7 days before them' },
			{ name: 'Last 30 Days', value: 'last30Days', description: 'The 30 full days before today, against the 30 days before them' },
			{ name: 'Custom', value: 'custom', description: 'From a start to an end, against as long a period right before it' },
		],
	},
	{
		displayName: 'Period Start',
		name: 'periodStart',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'The first moment counted; a time without an offset is in the store\'s time zone',
		displayOptions: { show: { period: ['custom'] } },
	},
	{
		displayName: 'Period End',
		name: 'periodEnd',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'The first moment no longer counted (e.g. the Monday after a week)',
		displayOptions: { show: { period: ['custom'] } },
	},
	{
		displayName: 'Responses From',
		name: 'responsesFrom',
		type: 'options',
		noDataExpression: true,
		default: 'supabase',
		options: [
			{ name: 'Supabase', value: 'supabase', description: 'The survey_responses table, read a page at a time' },
			{ name: 'Input Items', value: 'items', description: `One survey response per item: ${SURVEY_ITEM_FIELDS}` },
		],
	},
	{
		displayName: 'Include Tickets',
		name: 'includeTickets',
		type: 'boolean',
		default: true,
		description: 'Whether to read the tickets table in Supabase for first-response times and the backlog',
	},
	{
		displayName: 'Orders From',
		name: 'ordersFrom',
		type: 'options',
		noDataExpression: true,
		default: 'shopify',
		description: 'Input items carry one kind of record per run: with responses from items, orders come from Shopify or not at all',
		options: [
			{ name: 'Shopify', value: 'shopify', description: 'Every order up to the period\'s end, in one bulk operation: return rate and lifetime value' },
			{ name: 'None', value: 'none', description: 'No return rate or lifetime value' },
			{ name: 'Input Items', value: 'items', description: `One order per item (responses then come from Supabase): ${ORDER_ITEM_FIELDS}` },
		],
	},
	{
		displayName: 'Targets',
		name: 'targets',
		type: 'collection',
		placeholder: 'Change a Target',
		default: {},
		description: 'KPI targets; the defaults are the director\'s KPIs',
		options: [
			{ displayName: 'CSAT Over (%)', name: 'csatPercent', type: 'number', default: 90, description: 'Met when CSAT is above this' },
			{ displayName: 'First Response Under (Hours)', name: 'firstResponseHours', type: 'number', default: 4, description: 'The target for each ticket\'s first response' },
			{ displayName: 'Lifetime Value Growth Over (%)', name: 'ltvGrowthPercent', type: 'number', default: 0, description: 'Met when new customers\' value at a fixed age (Options > Customer Value Within) grew by more than this on the cohort before' },
			{ displayName: 'NPS Over', name: 'nps', type: 'number', default: 50, description: 'Met when the NPS is above this' },
			{ displayName: 'Return Rate Under (%)', name: 'returnRatePercent', type: 'number', default: 5, description: 'Met when the share of orders returned or refunded is under this' },
			{ displayName: 'Tickets Answered in Time (%)', name: 'firstResponseMetPercent', type: 'number', default: 90, description: 'Response time is met when at least this share of tickets got a first response within the target hours' },
		],
	},
	{
		displayName: 'Alerts',
		name: 'alerts',
		type: 'collection',
		placeholder: 'Change an Alert Threshold',
		default: {},
		options: [
			{ displayName: 'Backlog Over', name: 'backlog', type: 'number', default: 50, description: 'Alert when more tickets than this are open at the period\'s end' },
			{ displayName: 'CSAT Drop (Points)', name: 'csatDropPoints', type: 'number', default: 10, description: 'Alert when CSAT falls by this many percentage points or more against the previous period' },
			{ displayName: 'First Response Over (Hours)', name: 'firstResponseHours', type: 'number', default: 8, description: 'Alert when the median first response is over this' },
			{ displayName: 'NPS Drop (Points)', name: 'npsDropPoints', type: 'number', default: 15, description: 'Alert when the NPS falls by this many points or more against the previous period' },
			{ displayName: 'Return Rate Over (%)', name: 'returnRatePercent', type: 'number', default: 7, description: 'Alert when the return / refund rate is over this' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Confidence', name: 'confidence', type: 'number', default: 0.95, typeOptions: { minValue: 0.5, maxValue: 0.999, numberPrecision: 3 }, description: 'Confidence of the NPS, CSAT and CES intervals' },
			{ displayName: 'Currency for Order Items', name: 'currency', type: 'string', default: 'USD', description: 'For order items without a currency field' },
			{ displayName: 'Customer Value Within (Days)', name: 'valueAgeDays', type: 'number', default: 90, description: 'Lifetime value growth compares new customers\' net spend within this many days of their first order, this cohort against the one before' },
			{ displayName: 'Low Sample Below', name: 'lowSampleBelow', type: 'number', default: 30, description: 'Scores from fewer answers than this are flagged low-sample' },
			{ displayName: 'Now', name: 'now', type: 'dateTime', default: '', description: 'The time the report is made as of (for replays and tests); empty is the current time' },
			{ displayName: 'Return Window Closed After (Days)', name: 'returnAgeDays', type: 'number', default: 46, description: 'The return rate counts orders at least this old, placed this many days before the period: made, delivered and past their return window' },
			{ displayName: 'Store Time Zone', name: 'timeZone', type: 'string', default: '', placeholder: 'America/New_York', description: 'Where days start, for the periods and the cohorts\' months; empty uses the workflow\'s time zone' },
		],
	},
];

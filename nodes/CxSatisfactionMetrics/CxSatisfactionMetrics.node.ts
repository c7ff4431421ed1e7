import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { measureSatisfaction } from './actions/measure.operation';
import { properties } from './properties';

export class CxSatisfactionMetrics implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Satisfaction Metrics',
		name: 'cxSatisfactionMetrics',
		icon: { light: 'file:satisfactionMetrics.svg', dark: 'file:satisfactionMetrics.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["period"] === "custom" ? "custom period" : $parameter["period"] === "last30Days" ? "last 30 days" : "last 7 days"}}',
		description: 'Measures NPS, CSAT and CES with confidence intervals, first-response and resolution times, first-contact resolution, reopen rate, return rate, lifetime value and backlog for a period against the one before, with KPI statuses and alerts',
		defaults: { name: 'CX Satisfaction Metrics' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxShopifyAdminApi', required: true, displayOptions: { show: { ordersFrom: ['shopify'] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await measureSatisfaction.call(this);
	}
}

import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { measureSatisfaction } from './actions/measure.operation';
import { properties } from './properties';
import { runAsNodeOrTool } from '../shared/n8n/tool';
import { testShopifyCredential } from '../shared/services/shopify/credentialCheck';

/** What an AI Agent reads about this node as a tool: what it does, what it needs, what it changes. */
const TOOL_DESCRIPTION =
	'Measure customer satisfaction for a period: CSAT, NPS, first-response and resolution times against their targets, from survey answers and tickets. Returns the measures with route "metrics". Changes nothing.';

/** The outputs' names for the operation run (as a tool, each item carries its output's name as `route`). */
const OUTPUT_NAMES = () => ['Metrics'];

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
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'], ordersFrom: ['shopify'] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'], ordersFrom: ['shopify'] } } },
		],
		properties,
	};

	/** The Shopify credential's test: the shop, and the scopes the app lacks for which node. */
	methods = { credentialTest: { cxShopifyAdminApiTest: testShopifyCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAsNodeOrTool(this, measureSatisfaction, OUTPUT_NAMES);
	}
}

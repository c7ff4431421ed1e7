import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { winBackCustomers } from './actions/winBack.operation';
import { properties } from './properties';
import { runAsNodeOrTool } from '../shared/n8n/tool';
import { testShopifyCredential } from '../shared/services/shopify/credentialCheck';

/** What an AI Agent reads about this node as a tool: what it does, what it needs, what it changes. */
const TOOL_DESCRIPTION =
	'Win back lapsed customers: segments them by recency, frequency and spend and plans an offer for each. Returns every customer with route "customers" (the segment, the offer, whether it was sent and why) and the run\'s summary with route "summary". Changes: creates one discount code and sends one email per customer, never twice within the cool-off; with Dry Run on, nothing is created or sent.';

/** The outputs' names for the operation run (as a tool, each item carries its output's name as `route`). */
const OUTPUT_NAMES = () => ['Customers', 'Summary'];

export class CxWinBack implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Win-Back',
		name: 'cxWinBack',
		icon: { light: 'file:winBack.svg', dark: 'file:winBack.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["dryRun"] ? "dry run" : "send"}}',
		description: 'Finds dormant customers by their own buying rhythm, scores them by RFM and mails each segment its offer, once per campaign window',
		defaults: { name: 'CX Win-Back' },
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Customers', 'Summary'],
		credentials: [
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { dryRun: [false] } } },
		],
		properties,
	};

	/** The Shopify credential's test: the shop, and the scopes the app lacks for which node. */
	methods = { credentialTest: { cxShopifyAdminApiTest: testShopifyCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAsNodeOrTool(this, winBackCustomers, OUTPUT_NAMES);
	}
}

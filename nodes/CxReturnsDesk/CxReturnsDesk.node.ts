import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { properties } from './properties';
import { runAsNodeOrTool } from '../shared/n8n/tool';
import { testShopifyCredential } from '../shared/services/shopify/credentialCheck';

/** The outputs of each operation, by name (as a tool, each item carries its output's name as `route`). */
const OUTPUTS_BY_OPERATION: Record<string, string[]> = {
	decide: ['Approved', 'Declined', 'Needs Review'],
	process: ['Processed', 'Needs Review'],
};
/** Each operation's outputs (OUTPUTS_BY_OPERATION), as n8n reads them from the description. */
const OUTPUTS =
	'={{ $parameter["operation"] === "process" ? [{ "type": "main", "displayName": "Processed" }, { "type": "main", "displayName": "Needs Review" }]' +
	' : [{ "type": "main", "displayName": "Approved" }, { "type": "main", "displayName": "Declined" }, { "type": "main", "displayName": "Needs Review" }] }}' as `={{${string}}}`;
const OUTPUT_NAMES = (context: IExecuteFunctions) => OUTPUTS_BY_OPERATION[context.getNodeParameter('operation', 0, 'decide') as string] ?? OUTPUTS_BY_OPERATION.decide;

/** What an AI Agent reads about this node as a tool: what it does, what it needs, what it changes. */
const TOOL_DESCRIPTION =
	'Decide customers\' return requests by the store\'s return policy. Needs nothing (it reads every requested return from Shopify), or the returns to decide as {"return_id": "gid://shopify/Return/123"}. Returns each return with route "approved", "declined" or "needs_review" (Process Received Returns: "processed" or "needs_review"), with the reasons, the fault, the fees, what the customer is offered (exchange first, then store credit, then a refund) and the amount due. Changes: approves or declines the return in Shopify and emails the customer (and the staff for a review), once per return however often it is called; with Dry Run on, nothing changes. Risky returns go to a person, never to an automatic decline.';

export class CxReturnsDesk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Returns Desk',
		name: 'cxReturnsDesk',
		icon: { light: 'file:returnsDesk.svg', dark: 'file:returnsDesk.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ ($parameter["operation"] === "process" ? "process received returns" : "decide return requests") + ($parameter["dryRun"] ? " (dry run)" : "") }}',
		description: 'Decides return requests by the store\'s policy (window, final sale, made to order, the EU floor), exchange first, risk to a person; approves or declines each in Shopify and tells the customer once',
		defaults: { name: 'CX Returns Desk' },
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS,
		credentials: [
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: 'cxSupabaseApi', required: true, displayOptions: { show: { dryRun: [false] } } },
			{ name: 'cxSendGridApi', required: false, displayOptions: { show: { dryRun: [false] } } },
		],
		properties,
	};

	/** The Shopify credential's test: the shop, and the scopes the app lacks for which node. */
	methods = { credentialTest: { cxShopifyAdminApiTest: testShopifyCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAsNodeOrTool(this, router, OUTPUT_NAMES);
	}
}

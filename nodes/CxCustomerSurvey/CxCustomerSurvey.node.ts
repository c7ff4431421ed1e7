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

/** Send Surveys and Ask After Support: Surveyed and Summary. Record Answer: the answers (and, with "On Error: Continue", the refused ones). */
const OUTPUTS = '={{ $parameter["operation"] === "recordAnswer" ? ["main"] : [{ "type": "main", "displayName": "Surveyed" }, { "type": "main", "displayName": "Summary" }] }}';

/** What an AI Agent reads about this node as a tool: what it does, what it needs, what it changes. */
const TOOL_DESCRIPTION =
	'Send satisfaction surveys (CSAT or NPS) to customers whose orders arrived or whose tickets were solved, or record an answer. Returns every customer asked with route "surveyed" and the run\'s summary with route "summary". Changes: emails each customer once per order or ticket and records the survey in Supabase.';

/** The outputs' names for the operation run (as a tool, each item carries its output's name as `route`). */
const OUTPUT_NAMES = (context: IExecuteFunctions) => (context.getNodeParameter('operation', 0, 'sendSurveys') === 'recordAnswer' ? ['Recorded'] : ['Surveyed', 'Summary']);

export class CxCustomerSurvey implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Customer Survey',
		name: 'cxCustomerSurvey',
		icon: { light: 'file:customerSurvey.svg', dark: 'file:customerSurvey.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "recordAnswer" ? "record answer" : $parameter["operation"] === "askAfterSupport" ? "ask after support" : "send " + ($parameter["questionType"] || "csat").toUpperCase() + " surveys"}}',
		description: 'Thanks customers a few days after delivery with a CSAT or NPS question, once per order, asks about the help once a ticket is solved, at most once a month per customer, and records the answers',
		defaults: { name: 'CX Customer Survey' },
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS,
		credentials: [
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'], operation: ['sendSurveys'], source: ['shopify', 'shopifyOrders'] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'], operation: ['sendSurveys'], source: ['shopify', 'shopifyOrders'] } } },
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { operation: ['sendSurveys', 'askAfterSupport'] } } },
		],
		properties,
	};

	/** The Shopify credential's test: the shop, and the scopes the app lacks for which node. */
	methods = { credentialTest: { cxShopifyAdminApiTest: testShopifyCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAsNodeOrTool(this, router, OUTPUT_NAMES);
	}
}

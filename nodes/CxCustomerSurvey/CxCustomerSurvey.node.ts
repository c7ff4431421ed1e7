import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { router } from './actions/router';
import { properties } from './properties';

/** Send Surveys and Ask After Support: Surveyed and Summary. Record Answer: the answers (and, with "On Error: Continue", the refused ones). */
const OUTPUTS = '={{ $parameter["operation"] === "recordAnswer" ? ["main"] : [{ "type": "main", "displayName": "Surveyed" }, { "type": "main", "displayName": "Summary" }] }}';

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
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS,
		credentials: [
			{ name: 'cxShopifyAdminApi', required: true, displayOptions: { show: { operation: ['sendSurveys'], source: ['shopify'] } } },
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { operation: ['sendSurveys', 'askAfterSupport'] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

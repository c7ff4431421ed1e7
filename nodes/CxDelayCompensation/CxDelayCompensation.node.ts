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
	compensate: ['Compensated', 'Needs Approval', 'Not Eligible'],
	notifyLate: ['Notified', 'Not Notified'],
	requestApproval: ['Requested', 'Not Requested'],
	settleApproval: ['Paid', 'Declined', 'Expired', 'Not Paid'],
};
/** Each operation's outputs (OUTPUTS_BY_OPERATION), as n8n reads them from the description. */
const OUTPUTS =
	'={{ $parameter["operation"] === "notifyLate" ? [{ "type": "main", "displayName": "Notified" }, { "type": "main", "displayName": "Not Notified" }]' +
	' : $parameter["operation"] === "requestApproval" ? [{ "type": "main", "displayName": "Requested" }, { "type": "main", "displayName": "Not Requested" }]' +
	' : $parameter["operation"] === "settleApproval" ? [{ "type": "main", "displayName": "Paid" }, { "type": "main", "displayName": "Declined" }, { "type": "main", "displayName": "Expired" }, { "type": "main", "displayName": "Not Paid" }]' +
	' : [{ "type": "main", "displayName": "Compensated" }, { "type": "main", "displayName": "Needs Approval" }, { "type": "main", "displayName": "Not Eligible" }] }}' as `={{${string}}}`;

/** What an AI Agent reads about this node as a tool: what it does, what it needs, what it changes. */
const TOOL_DESCRIPTION =
	'Find orders delivered late and compensate them by the store\'s policy. Needs nothing with Orders From: Shopify (it reads the recent orders itself); with Input Items, the orders (Items From the Agent). Returns every order with route "compensated", "needs_approval" (above the cap: a person decides) or "not_eligible", with the days late, the amount and the reasons (Notify Late Orders: "notified" or "not_notified"). Changes: pays store credit or refunds and emails an apology, once per order however often it is called; with Dry Run on, nothing is paid or sent. Approvals are a person\'s: an agent cannot approve a compensation.';

/** The outputs' names for the operation run (as a tool, each item carries its output's name as `route`). */
const OUTPUT_NAMES = (context: IExecuteFunctions) => OUTPUTS_BY_OPERATION[context.getNodeParameter('operation', 0, 'compensate') as string] ?? OUTPUTS_BY_OPERATION.compensate;

export class CxDelayCompensation implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Delay Compensation',
		name: 'cxDelayCompensation',
		icon: { light: 'file:delayCompensation.svg', dark: 'file:delayCompensation.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "requestApproval" ? "request approval" : $parameter["operation"] === "settleApproval" ? "settle approval" : ($parameter["operation"] === "notifyLate" ? "notify late orders" : $parameter["payoutMethod"]) + ($parameter["dryRun"] ? " (dry run)" : "") }}',
		description: 'Finds orders delivered later than promised, compensates each by policy exactly once, and tells the customer; tells customers once, before they ask, when an order will miss its promise',
		defaults: { name: 'CX Delay Compensation' },
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS,
		credentials: [
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'] }, hide: { operation: ['requestApproval'] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] }, hide: { operation: ['requestApproval'] } } },
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxStripeApi', required: true, displayOptions: { show: { operation: ['compensate'], payoutMethod: ['stripeBalance'] } } },
			// an approved compensation is paid by the method its row was decided with: Stripe when that was Stripe
			{ name: 'cxStripeApi', required: false, displayOptions: { show: { operation: ['settleApproval'] } } },
			// hidden only when the apology is turned off: Notify Late Orders, which hides that switch, always sends
			{ name: 'cxSendGridApi', required: true, displayOptions: { hide: { notifyCustomer: [false] } } },
		],
		properties,
	};

	/** The Shopify credential's test: the shop, and the scopes the app lacks for which node. */
	methods = { credentialTest: { cxShopifyAdminApiTest: testShopifyCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAsNodeOrTool(this, router, OUTPUT_NAMES);
	}
}

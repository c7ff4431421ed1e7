import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { properties } from './properties';

/** Compensate: Compensated, Needs Approval, Not Eligible. Notify Late Orders: Notified, Not Notified. */
const OUTPUTS = '={{ $parameter["operation"] === "notifyLate" ? [{ "type": "main", "displayName": "Notified" }, { "type": "main", "displayName": "Not Notified" }] : [{ "type": "main", "displayName": "Compensated" }, { "type": "main", "displayName": "Needs Approval" }, { "type": "main", "displayName": "Not Eligible" }] }}';

export class CxDelayCompensation implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Delay Compensation',
		name: 'cxDelayCompensation',
		icon: { light: 'file:delayCompensation.svg', dark: 'file:delayCompensation.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{($parameter["operation"] === "notifyLate" ? "notify late orders" : $parameter["payoutMethod"]) + ($parameter["dryRun"] ? " (dry run)" : "")}}',
		description: 'Finds orders delivered later than promised, compensates each by policy exactly once, and tells the customer; tells customers once, before they ask, when an order will miss its promise',
		defaults: { name: 'CX Delay Compensation' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS,
		credentials: [
			{ name: 'cxShopifyAdminApi', required: true },
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxStripeApi', required: true, displayOptions: { show: { operation: ['compensate'], payoutMethod: ['stripeBalance'] } } },
			// hidden only when the apology is turned off: Notify Late Orders, which hides that switch, always sends
			{ name: 'cxSendGridApi', required: true, displayOptions: { hide: { notifyCustomer: [false] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { compensateDelays } from './actions/compensate.operation';
import { properties } from './properties';

export class CxDelayCompensation implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Delay Compensation',
		name: 'cxDelayCompensation',
		icon: { light: 'file:delayCompensation.svg', dark: 'file:delayCompensation.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["dryRun"] ? "dry run" : $parameter["payoutMethod"]}}',
		description: 'Finds orders delivered later than promised, compensates each by policy exactly once, and tells the customer',
		defaults: { name: 'CX Delay Compensation' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Compensated', 'Needs Approval', 'Not Eligible'],
		credentials: [
			{ name: 'cxShopifyAdminApi', required: true },
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxStripeApi', required: true, displayOptions: { show: { payoutMethod: ['stripeBalance'] } } },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { notifyCustomer: [true] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await compensateDelays.call(this);
	}
}

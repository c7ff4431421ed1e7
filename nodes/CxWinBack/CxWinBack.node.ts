import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { winBackCustomers } from './actions/winBack.operation';
import { properties } from './properties';

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
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Customers', 'Summary'],
		credentials: [
			{ name: 'cxShopifyAdminApi', required: true },
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { dryRun: [false] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await winBackCustomers.call(this);
	}
}

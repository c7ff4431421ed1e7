import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { triageTickets } from './actions/triage.operation';
import { properties } from './properties';

export class CxTicketTriage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Ticket Triage',
		name: 'cxTicketTriage',
		icon: { light: 'file:ticketTriage.svg', dark: 'file:ticketTriage.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["enrichFromShopify"] ? "with Shopify customer data" : "from ticket text"}}',
		description:
			'Reads support tickets and decides intent, sentiment, priority, tier and SLA due times, with reasons; routes VIP, urgent and threatening tickets to Escalate',
		defaults: { name: 'CX Ticket Triage' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Escalate', 'Queue'],
		credentials: [
			{ name: 'cxShopifyAdminApi', required: true, displayOptions: { show: { enrichFromShopify: [true] } } },
			{ name: 'cxSupabaseApi', required: true, displayOptions: { show: { storeInSupabase: [true] } } },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { acknowledgeCustomer: [true] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await triageTickets.call(this);
	}
}

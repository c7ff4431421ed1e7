import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { properties } from './properties';

export class CxVipEscalation implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX VIP Escalation',
		name: 'cxVipEscalation',
		icon: { light: 'file:vipEscalation.svg', dark: 'file:vipEscalation.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "slaSweep" ? "SLA breach sweep" : "Escalate"}}',
		description:
			'Escalates VIP, urgent and threatening customer issues to a person at once, exactly once per ticket and level, and climbs a level when an SLA is breached',
		defaults: { name: 'CX VIP Escalation' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Escalated', 'Not Escalated'],
		credentials: [
			{ name: 'cxSupabaseApi', required: true, displayOptions: { show: { recordInSupabase: [true] } } },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { notifyByEmail: [true] } } },
			{ name: 'cxShopifyAdminApi', required: true, displayOptions: { show: { useShopify: [true] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

/** Profiles and orders for all the run's cases: two Shopify requests however many items. */
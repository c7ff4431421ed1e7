import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { reportKpis } from './actions/report.operation';
import { properties } from './properties';

export class CxKpiReport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX KPI Report',
		name: 'cxKpiReport',
		icon: { light: 'file:kpiReport.svg', dark: 'file:kpiReport.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["sendEmail"] ? "email the report" : "store the report"}}',
		description: 'Emails the business manager the weekly satisfaction report (KPIs against targets, trends, breakdowns, alerts and charts) and keeps it in Supabase, once per week',
		defaults: { name: 'CX KPI Report' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { sendEmail: [true] } } },
			{ name: 'cxSupabaseApi', required: true, displayOptions: { show: { storeInSupabase: [true] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await reportKpis.call(this);
	}
}

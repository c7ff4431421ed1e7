import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { reportKpis } from './actions/report.operation';
import { properties } from './properties';
import { runAsNodeOrTool } from '../shared/n8n/tool';

/** What an AI Agent reads about this node as a tool: what it does, what it needs, what it changes. */
const TOOL_DESCRIPTION =
	'Build the customer-experience KPI report (CSAT, NPS, response and resolution times, against their targets) from CX Satisfaction Metrics\' output and email it to the business managers. Returns the report with route "report". Changes: sends the report email and stores it in Supabase when set to.';

/** The outputs' names for the operation run (as a tool, each item carries its output's name as `route`). */
const OUTPUT_NAMES = () => ['Report'];

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
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { sendEmail: [true] } } },
			{ name: 'cxSupabaseApi', required: true, displayOptions: { show: { storeInSupabase: [true] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAsNodeOrTool(this, reportKpis, OUTPUT_NAMES);
	}
}

import type { INodeProperties } from 'n8n-workflow';

/** The parameters of CX KPI Report as the editor shows them (its description in CxKpiReport.node.ts). */
export const properties: INodeProperties[] = [
	{
		displayName: 'Each input item carries "metrics", the report CX Satisfaction Metrics puts out; one email per item. Error items from it are passed on as they are.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Send Email',
		name: 'sendEmail',
		type: 'boolean',
		default: true,
		description: 'Whether to email the report through SendGrid; a week already mailed is not mailed again when the report is stored in Supabase',
	},
	{
		displayName: 'Business Manager Emails',
		name: 'recipients',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'manager@example.com, owner@example.com',
		description: 'Comma-separated; each gets the report',
		displayOptions: { show: { sendEmail: [true] } },
	},
	{
		displayName: 'SendGrid Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		placeholder: 'd-0123456789abcdef',
		description: 'A dynamic template to use instead of the built-in email; it receives the report (kpis with formatted values and status words, alerts, current, previous, period, summary, store_name)',
		displayOptions: { show: { sendEmail: [true] } },
	},
	{
		displayName: 'Store in Supabase',
		name: 'storeInSupabase',
		type: 'boolean',
		default: true,
		description: 'Whether to keep each report in the "kpi_reports" table, one row per week, written before the email so a rerun of the week sends nothing twice',
	},
	{
		displayName: 'Store Name',
		name: 'storeName',
		type: 'string',
		default: '',
		placeholder: 'Example Store',
		description: 'Shown at the top of the report and in its subject',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Now',
				name: 'now',
				type: 'dateTime',
				default: '',
				description: 'The time the run acts as of (for replays and tests); empty is the current time',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description: 'How the report\'s dates are shown; empty uses the workflow\'s time zone',
			},
		],
	},
];

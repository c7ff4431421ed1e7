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

/** What an AI Agent reads about this node as a tool: what it does, what it needs, what it changes. */
const TOOL_DESCRIPTION =
	'Follow customer feedback up: records survey comments and feedback tickets with an owner and a due date 30 days out, or reminds owners and escalates what is overdue. Returns every feedback item with route "feedback" and the run\'s summary with route "summary". Changes: writes the feedback to Supabase and emails owners, once per item and stage.';

/** The outputs' names for the operation run (as a tool, each item carries its output's name as `route`). */
const OUTPUT_NAMES = () => ['Feedback', 'Summary'];

export class CxFeedbackFollowUp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Feedback Follow-Up',
		name: 'cxFeedbackFollowUp',
		icon: { light: 'file:feedbackFollowUp.svg', dark: 'file:feedbackFollowUp.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "remind" ? "Remind and escalate" : "Record feedback"}}',
		description:
			'Records survey comments and feedback tickets as feedback items with an owner and a due date 30 days out, reminds owners before the due date and escalates what is overdue, once per item and stage',
		defaults: { name: 'CX Feedback Follow-Up' },
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Feedback', 'Summary'],
		credentials: [
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { operation: ['remind'] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAsNodeOrTool(this, router, OUTPUT_NAMES);
	}
}

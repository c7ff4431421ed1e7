import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { properties } from './properties';

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
		usableAsTool: true,
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
		return await router.call(this);
	}
}

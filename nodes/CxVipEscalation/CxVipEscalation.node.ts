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
import { testShopifyCredential } from '../shared/services/shopify/credentialCheck';

/** What an AI Agent reads about this node as a tool: what it does, what it needs, what it changes. */
const TOOL_DESCRIPTION =
	'Escalate support tickets to people by level. Needs: the tickets (Items From the Agent), each with id, subject, body and customer_email or customer_id, or CX Ticket Triage\'s output. Decides whether each escalates and to which level (1 team lead, 2 director, 3 executive), with reasons. Returns every ticket with route "escalated" or "not_escalated". Changes: records each escalation in Supabase and emails that level\'s people once per ticket and level (called again, it tells nobody twice); tags the customer in Shopify when set to.';

/** The outputs' names for the operation run (as a tool, each item carries its output's name as `route`). */
const OUTPUT_NAMES = () => ['Escalated', 'Not Escalated'];

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
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Escalated', 'Not Escalated'],
		credentials: [
			{ name: 'cxSupabaseApi', required: true, displayOptions: { show: { recordInSupabase: [true] } } },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { notifyByEmail: [true] } } },
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'], useShopify: [true] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'], useShopify: [true] } } },
		],
		properties,
	};

	/** The Shopify credential's test: the shop, and the scopes the app lacks for which node. */
	methods = { credentialTest: { cxShopifyAdminApiTest: testShopifyCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAsNodeOrTool(this, router, OUTPUT_NAMES);
	}
}

/** Profiles and orders for all the run's cases: two Shopify requests however many items. */
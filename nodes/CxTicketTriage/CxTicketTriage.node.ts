import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type INodeCredentialTestResult,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { properties } from './properties';
import { signingSecretProblem } from './webhookSignature';
import { runAsNodeOrTool } from '../shared/n8n/tool';
import { testShopifyCredential } from '../shared/services/shopify/credentialCheck';

/** Triage: Escalate and Queue. Record Helpdesk Events: the recorded events (and, with "On Error: Continue", the refused ones). Settle Acknowledgements: one item per ticket settled. */
const OUTPUTS = '={{ ["recordEvents", "settleAcknowledgements"].includes($parameter["operation"]) ? ["main"] : [{ "type": "main", "displayName": "Escalate" }, { "type": "main", "displayName": "Queue" }] }}';

/** What an AI Agent reads about this node as a tool: what it does, what it needs, what it changes. */
const TOOL_DESCRIPTION =
	'Triage support tickets. Needs: the tickets (Items From the Agent), each with id, subject, body, channel (email, chat, phone, social, whatsapp) and customer_email or customer_id; optionally created_at, order_id, order_value, tier. Decides for each its intent, issue type, sentiment, threats, priority, tier and first-response and resolution due times, with reasons and a confidence. Returns every ticket with route "escalate" (a VIP\'s issue, urgent, threatening or a large order: a person should act now) or "queue". Changes nothing unless the node stores tickets in Supabase or emails acknowledgements, and then once per ticket however often it is called.';

/** The outputs' names for the operation run (as a tool, each item carries its output's name as `route`). */
const OUTPUT_NAMES = (context: IExecuteFunctions) => {
	const operation = context.getNodeParameter('operation', 0, 'triage');
	return operation === 'recordEvents' ? ['Recorded'] : operation === 'settleAcknowledgements' ? ['Settled'] : ['Escalate', 'Queue'];
};

export class CxTicketTriage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Ticket Triage',
		name: 'cxTicketTriage',
		icon: { light: 'file:ticketTriage.svg', dark: 'file:ticketTriage.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "recordEvents" ? "record " + $parameter["eventSource"] + " events" : $parameter["enrichFromShopify"] ? "with Shopify customer data" : "from ticket text"}}',
		description:
			'Reads support tickets and decides intent, sentiment, priority, tier and SLA due times, with reasons; routes VIP, urgent and threatening tickets to Escalate',
		defaults: { name: 'CX Ticket Triage' },
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS,
		credentials: [
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'], enrichFromShopify: [true] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'], enrichFromShopify: [true] } } },
			// shown for Triage with Store in Supabase, and for Record Helpdesk Events (whose parameters have no storeInSupabase)
			{ name: 'cxSupabaseApi', required: true, displayOptions: { hide: { storeInSupabase: [false] } } },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { acknowledgeCustomer: [true] } } },
			{ name: 'cxHelpdeskSignatureApi', required: true, testedBy: 'cxHelpdeskSigningSecret', displayOptions: { show: { operation: ['recordEvents'], verifySignature: [true] } } },
		],
		properties,
	};

	methods = {
		credentialTest: {
			/** The Shopify credential's test: the shop, and the scopes the app lacks for which node. */
			cxShopifyAdminApiTest: testShopifyCredential,
			/** Nothing is called with a signing secret: the test checks it is one the helpdesks issue or accept. */
			async cxHelpdeskSigningSecret(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const problem = signingSecretProblem(String(credential.data?.secret ?? ''));
				return problem ? { status: 'Error', message: problem } : { status: 'OK', message: 'The secret can verify signatures; a wrong one shows as refused deliveries' };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAsNodeOrTool(this, router, OUTPUT_NAMES);
	}
}

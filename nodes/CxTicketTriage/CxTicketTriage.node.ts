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

/** Triage: Escalate and Queue. Record Helpdesk Events: the recorded events (and, with "On Error: Continue", the refused ones). */
const OUTPUTS = '={{ $parameter["operation"] === "recordEvents" ? ["main"] : [{ "type": "main", "displayName": "Escalate" }, { "type": "main", "displayName": "Queue" }] }}';

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
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS,
		credentials: [
			{ name: 'cxShopifyAdminApi', required: true, displayOptions: { show: { enrichFromShopify: [true] } } },
			// shown for Triage with Store in Supabase, and for Record Helpdesk Events (whose parameters have no storeInSupabase)
			{ name: 'cxSupabaseApi', required: true, displayOptions: { hide: { storeInSupabase: [false] } } },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { acknowledgeCustomer: [true] } } },
			{ name: 'cxHelpdeskSignatureApi', required: true, testedBy: 'cxHelpdeskSigningSecret', displayOptions: { show: { operation: ['recordEvents'], verifySignature: [true] } } },
		],
		properties,
	};

	methods = {
		credentialTest: {
			/** Nothing is called with a signing secret: the test checks it is one the helpdesks issue or accept. */
			async cxHelpdeskSigningSecret(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const problem = signingSecretProblem(String(credential.data?.secret ?? ''));
				return problem ? { status: 'Error', message: problem } : { status: 'OK', message: 'The secret can verify signatures; a wrong one shows as refused deliveries' };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

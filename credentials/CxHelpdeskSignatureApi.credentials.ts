import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret a helpdesk signs its webhooks with (Help Scout: the webhook's secret key; Zendesk: the webhook's
 * signing secret). Nothing is called with it, so there is nothing to test: a wrong secret shows as refused
 * deliveries, each naming the signature that did not match.
 */
export class CxHelpdeskSignatureApi implements ICredentialType {
	name = 'cxHelpdeskSignatureApi';

	displayName = 'CX Helpdesk Webhook Signing Secret API';

	icon = 'file:../nodes/CxTicketTriage/ticketTriage.svg' as const;

	documentationUrl = 'https://developer.helpscout.com/webhooks/';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Help Scout: the secret key you gave the webhook. Zendesk: the webhook\'s signing secret (Webhooks > the webhook > Signing secret).',
		},
	];
}

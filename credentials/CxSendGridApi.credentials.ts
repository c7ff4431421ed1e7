import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class CxSendGridApi implements ICredentialType {
	name = 'cxSendGridApi';

	displayName = 'CX SendGrid API';

	icon = 'file:../icons/sendgrid.svg' as const;

	documentationUrl = 'https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A SendGrid API key with the Mail Send permission',
		},
		{
			displayName: 'Sender Email',
			name: 'senderEmail',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
			description: 'Default From address: a verified sender or an address on an authenticated domain',
		},
		{
			displayName: 'Sender Name',
			name: 'senderName',
			type: 'string',
			default: '',
			description: 'Default From name, for example the store\'s name',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.sendgrid.com',
			description: 'Use https://api.eu.sendgrid.com for EU data residency',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/$/, "")}}',
			url: '/v3/scopes',
		},
	};
}

import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class CxStripeApi implements ICredentialType {
	name = 'cxStripeApi';

	displayName = 'CX Stripe API';

	icon = 'file:../icons/stripe.svg' as const;

	documentationUrl = 'https://docs.stripe.com/keys';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A secret or restricted key (sk_live_, sk_test_ or rk_) with write access to customers, coupons and refunds',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBase',
			type: 'string',
			default: 'https://api.stripe.com',
			description: 'Leave as is for Stripe; set only to reach a local test server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.secretKey}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.apiBase.replace(/\\/$/, "")}}',
			url: '/v1/balance',
		},
	};
}

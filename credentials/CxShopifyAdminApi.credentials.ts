import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class CxShopifyAdminApi implements ICredentialType {
	name = 'cxShopifyAdminApi';

	displayName = 'CX Shopify Admin API';

	icon = { light: 'file:../icons/shopify.svg', dark: 'file:../icons/shopify.dark.svg' } as const;

	documentationUrl = 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/generate-app-access-tokens-admin';

	properties: INodeProperties[] = [
		{
			displayName: 'Shop Domain',
			name: 'shopDomain',
			type: 'string',
			default: '',
			placeholder: 'my-store.myshopify.com',
			required: true,
			description: 'The store\'s myshopify.com domain, without https://',
		},
		{
			displayName: 'Admin API Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The Admin API access token of the store\'s custom app (starts with shpat_)',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '2026-10',
			description: 'Admin API version, for example 2026-10',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-Shopify-Access-Token': '={{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			// a pasted "https://my-store.myshopify.com/" works as well as the bare domain
			baseURL: '=https://{{$credentials.shopDomain.replace(/^https?:\\/\\//, "").replace(/\\/+$/, "")}}/admin/api/{{$credentials.apiVersion}}',
			url: '/graphql.json',
			method: 'POST',
			body: { query: '{ shop { name } }' },
		},
	};
}

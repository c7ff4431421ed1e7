import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A Shopify app a partner built for a client's store: n8n's own OAuth2 (authorization code) gets an offline access
 * token for the store, which the nodes send as X-Shopify-Access-Token. For an app of the store's own organization,
 * CX Shopify Admin API's client credentials need no browser step.
 */
export class CxShopifyOAuth2Api implements ICredentialType {
	name = 'cxShopifyOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'CX Shopify OAuth2 API';

	icon = { light: 'file:../icons/shopify.svg', dark: 'file:../icons/shopify.dark.svg' } as const;

	documentationUrl = 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant';

	properties: INodeProperties[] = [
		{
			displayName: 'Shop Domain',
			name: 'shopDomain',
			type: 'string',
			default: '',
			placeholder: 'my-store.myshopify.com',
			required: true,
			description: 'The store the app is installed on',
		},
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The app\'s client ID (Partner Dashboard or Dev Dashboard > the app > Settings)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The app\'s client secret',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '=https://{{$self["shopDomain"].trim().replace(/^https?:\\/\\//i, "").replace(/\\/.*$/, "")}}/admin/oauth/authorize',
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '=https://{{$self["shopDomain"].trim().replace(/^https?:\\/\\//i, "").replace(/\\/.*$/, "")}}/admin/oauth/access_token',
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: 'read_customers,write_customers,read_orders,write_orders,write_discounts,write_store_credit_account_transactions',
			description: 'The access scopes to ask for, comma-separated: those of the nodes you use (the README lists them per node)',
		},
		// an offline token (the default without grant_options[]=per-user): the workflows run with nobody logged in
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '2026-10',
			description: 'Admin API version, for example 2026-10',
		},
	];
}

import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';
import { clientCredentialsGrant } from '../nodes/shared/services/shopify/grant';

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
			displayName: 'Authentication',
			name: 'authMode',
			type: 'options',
			options: [
				{
					name: 'Client Credentials (Dev Dashboard App)',
					value: 'clientCredentials',
					description: 'An app made in the Dev Dashboard by the store\'s own organization: its client ID and secret, exchanged for an access token that expires (renewed before it does)',
				},
				{
					name: 'Access Token (Existing Custom App)',
					value: 'accessToken',
					description: 'A custom app made in the store admin before 2026: its Admin API access token (shpat_)',
				},
			],
			default: 'clientCredentials',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authMode: ['clientCredentials'] } },
			description: 'The app\'s client ID (Dev Dashboard > the app > Settings)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMode: ['clientCredentials'] } },
			description: 'The app\'s client secret (Dev Dashboard > the app > Settings)',
		},
		{
			// shown in both modes: n8n drops a field its options hide when it loads a credential, and a credential saved
			// before Authentication existed reads as Client Credentials (the default) with its token here
			displayName: 'Admin API Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Access Token only: the Admin API access token of the store\'s custom app (shpat_), or a partner app\'s OAuth access token. Leave empty for Client Credentials.',
		},
		{
			// the access token the client credentials were exchanged for: n8n renews it when empty or refused
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'For CX Shopify Events: the secret Shopify signs webhooks with. Leave empty for a Dev Dashboard app, whose webhooks are signed with its client secret; for an existing custom app, its API secret key (or the key shown under Settings > Notifications > Webhooks for webhooks made there).',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '2026-10',
			description: 'Admin API version, for example 2026-10',
		},
	];

	/** Client credentials: the access token for the client ID and secret (Shopify's client-credentials grant). */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authMode === 'accessToken' || !credentials.clientId) return {};
		const grant = clientCredentialsGrant(String(credentials.shopDomain ?? ''), String(credentials.clientId), String(credentials.clientSecret ?? ''));
		const answer = (await this.helpers.httpRequest({
			method: 'POST',
			url: grant.url,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: grant.body,
		})) as { access_token?: string };
		return { sessionToken: answer.access_token ?? '' };
	}

	// the test: cxShopifyAdminApiTest on every node that uses this credential (nodes/shared/services/shopify/credentialCheck.ts), which also
	// says which scopes the app lacks for which node
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-Shopify-Access-Token': '={{$credentials.authMode === "accessToken" || !$credentials.clientId ? $credentials.accessToken : $credentials.sessionToken}}' },
		},
	};
}

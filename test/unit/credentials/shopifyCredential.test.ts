/**
 * The Shopify credential as n8n loads it: n8n fills in defaults and drops every field its options hide
 * (CredentialsHelper: NodeHelpers.getNodeParameters with returnDefaults on, hidden fields off). A credential saved
 * before Authentication existed must keep its token; a Dev Dashboard app's must keep its client ID and secret.
 */
import { NodeHelpers, type INodeParameters } from 'n8n-workflow';
import { CxShopifyAdminApi } from '../../../credentials/CxShopifyAdminApi.credentials';

const properties = new CxShopifyAdminApi().properties;
const asLoaded = (stored: INodeParameters) => NodeHelpers.getNodeParameters(properties, stored, true, false, null, null) as INodeParameters;

describe('the Shopify credential as n8n loads it', () => {
	it('keeps the token of a credential saved before Authentication existed (it reads as Client Credentials without a client ID)', () => {
		const loaded = asLoaded({ shopDomain: 'my-store.myshopify.com', accessToken: 'shpat_0123', apiVersion: '2026-10' });
		expect(loaded).toMatchObject({ authMode: 'clientCredentials', accessToken: 'shpat_0123', clientId: '' });
	});

	it('keeps a Dev Dashboard app\'s client ID and secret, and a custom app\'s token under Access Token', () => {
		expect(asLoaded({ shopDomain: 'my-store.myshopify.com', authMode: 'clientCredentials', clientId: 'abc', clientSecret: 'shpss_1' })).toMatchObject({ clientId: 'abc', clientSecret: 'shpss_1' });
		expect(asLoaded({ shopDomain: 'my-store.myshopify.com', authMode: 'accessToken', accessToken: 'shpat_9', clientId: 'left-over' })).toMatchObject({ accessToken: 'shpat_9' });
	});

	it('defaults new setups to Client Credentials', () => {
		expect(properties.find((property) => property.name === 'authMode')?.default).toBe('clientCredentials');
	});
});

/**
 * Shopify's client-credentials grant for a Dev Dashboard app, and the store's host as a person types it: one
 * home for the credential's pre-authentication and the nodes' Shopify client. Pure: no SDK, no request sent.
 */

/** The store's host from what a person types: no scheme, no path ("https://my-store.myshopify.com/" -> my-store.myshopify.com). */
export function normaliseShopDomain(domain: string): string {
	return domain.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
}

/** Where to post the grant and its form body (application/x-www-form-urlencoded), for an app's client ID and secret. */
export function clientCredentialsGrant(shopDomain: string, clientId: string, clientSecret: string): { url: string; body: string } {
	return {
		url: `https://${normaliseShopDomain(shopDomain)}/admin/oauth/access_token`,
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
	};
}

import '@shopify/shopify-api/adapters/node';
import { LogSeverity, Session, shopifyApi, type ApiVersion } from '@shopify/shopify-api';
import { standinsEnv } from './standins';

/**
 * A GraphQL client of the real @shopify/shopify-api SDK for the Shopify stand-in, as a custom app with an
 * offline session sees the store; `apiVersion` to speak an older version than the stand-in's default.
 */
export function shopifyGraphqlClient(apiVersion?: string) {
	const env = standinsEnv().shopify;
	const version = (apiVersion ?? env.apiVersion) as ApiVersion;
	const shopify = shopifyApi({
		apiSecretKey: 'unused',
		adminApiAccessToken: env.accessToken,
		isCustomStoreApp: true,
		isEmbeddedApp: false,
		hostName: 'localhost',
		apiVersion: version,
		logger: { level: LogSeverity.Error, log: async () => {} },
	});
	const session = new Session({ id: `offline_${env.shopDomain}`, shop: env.shopDomain, state: '', isOnline: false, accessToken: env.accessToken });
	return new shopify.clients.Graphql({ session, apiVersion: version });
}

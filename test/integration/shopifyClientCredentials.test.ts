/**
 * The Shopify credential of a Dev Dashboard app (since 2026-01-01 the only new kind): its client ID and secret are
 * exchanged for an access token that expires (Shopify's client-credentials grant), against the Shopify stand-in,
 * which issues expiring tokens and answers 401 once they expire. A node runs across an expiry without failing.
 */
import { createHmac } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import { CxTicketTriage } from '../../nodes/CxTicketTriage/CxTicketTriage.node';
import { CxShopifyAdminApi } from '../../credentials/CxShopifyAdminApi.credentials';
import { executeContext, rejectionOf, standin } from '../support/context';
import { standinsEnv } from '../support/standins';
import { testShopifyCredential } from '../../nodes/shared/services/shopify/credentialCheck';

const env = standinsEnv();
const app = (clientId = env.shopify.clientId, clientSecret = env.shopify.clientSecret): IDataObject => ({
	shopDomain: env.shopify.shopDomain,
	authMode: 'clientCredentials',
	clientId,
	clientSecret,
	apiVersion: env.shopify.apiVersion,
});
const vipTicket = (id: string): IDataObject => ({ id, channel: 'email', customer_email: 'vip.tagged@example-store.test', subject: 'Late', body: 'My parcel is a week late.', created_at: '2026-11-20T09:00:00Z' });
/** The run's time, after the ticket's: no calendar day changes what the run reads. */
const NOW = '2026-11-20T12:00:00Z';
const triage = async (credential: IDataObject, id: string) => {
	const [escalate, queue] = await new CxTicketTriage().execute.call(executeContext({ items: [vipTicket(id)], parameters: { enrichFromShopify: true, options: { now: NOW } }, shopifyCredential: credential }));
	return [...escalate, ...queue].map((item) => item.json.triage as IDataObject)[0];
};
const state = async () => await standin<{ tokensIssued: number; graphqlRequests: number }>('shopify', '/__standin/state');

describe('the Shopify credential with a Dev Dashboard app\'s client credentials', () => {
	afterAll(async () => {
		await standin('shopify', '/__standin/token-lifetime', { method: 'POST', body: JSON.stringify({ seconds: 86_399 }) });
	});

	it('exchanges the client ID and secret for a token once, and the next run uses the same token', async () => {
		const before = (await state()).tokensIssued;
		expect(await triage(app(), 'cc-1')).toMatchObject({ tier: 'vip', tierSource: 'shopify' });
		expect((await state()).tokensIssued).toBe(before + 1);
		expect(await triage(app(), 'cc-2')).toMatchObject({ tier: 'vip', tierSource: 'shopify' });
		expect((await state()).tokensIssued).toBe(before + 1);
	});

	it('runs across an expiry: a token Shopify refuses (401) is exchanged again once and the request repeated', async () => {
		await triage(app(), 'cc-3');
		const before = await state();
		await standin('shopify', '/__standin/expire-tokens', { method: 'POST' });
		expect(await triage(app(), 'cc-4')).toMatchObject({ tier: 'vip', tierSource: 'shopify', escalationReasons: ['tier_vip'] });
		const after = await state();
		expect(after.tokensIssued).toBe(before.tokensIssued + 1);
		// the repeat (the stand-in counts answered requests; the refused one got 401)
		expect(after.graphqlRequests).toBe(before.graphqlRequests + 1);
	});

	it('renews a token that is about to expire before using it, rather than meeting the expiry mid-run', async () => {
		await standin('shopify', '/__standin/token-lifetime', { method: 'POST', body: JSON.stringify({ seconds: 60 }) });
		await standin('shopify', '/__standin/expire-tokens', { method: 'POST' });
		const before = (await state()).tokensIssued;
		await triage(app(), 'cc-5');
		await triage(app(), 'cc-6');
		// a token of 60 seconds is inside the five-minute margin: each run takes a fresh one
		expect((await state()).tokensIssued).toBe(before + 2);
	});

	it('names the cause when the app belongs to another organization (shop_not_permitted) or the secret is wrong', async () => {
		const foreign = await rejectionOf<Error & { description?: string }>(triage(app(env.shopify.foreignClientId, env.shopify.foreignClientSecret), 'cc-7'));
		expect(foreign.message).toMatch(/shop_not_permitted\): the app and the store belong to different organizations/);
		expect(foreign.description).toMatch(/use its OAuth access token \(Authentication: Access Token\)/);
		const wrong = await rejectionOf<Error & { description?: string }>(triage(app(env.shopify.clientId, 'shpss_not-the-secret'), 'cc-8'));
		expect(wrong.message).toBe(`Shopify refused the app's client credentials for ${env.shopify.shopDomain} (HTTP 401, invalid_client)`);
		expect(JSON.stringify(wrong)).not.toContain('shpss_not-the-secret');
	});

	it('keeps an existing credential working: no client ID, its custom app\'s access token', async () => {
		const existing = { shopDomain: env.shopify.shopDomain, authMode: 'clientCredentials', accessToken: env.shopify.accessToken, apiVersion: env.shopify.apiVersion };
		expect(await triage(existing, 'cc-9')).toMatchObject({ tier: 'vip', tierSource: 'shopify' });
		expect(await triage({ ...existing, authMode: 'accessToken', clientId: 'left-over' }, 'cc-10')).toMatchObject({ tier: 'vip', tierSource: 'shopify' });
	});

	it('n8n\'s own requests (the credential test) take the token from pre-authentication, sent as X-Shopify-Access-Token', async () => {
		const credential = new CxShopifyAdminApi();
		const httpRequest = async (options: { url: string; body: string; method: string }) => {
			const response = await fetch(options.url, { method: options.method, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: options.body });
			return await response.json();
		};
		const output = await credential.preAuthentication.call({ helpers: { httpRequest } } as never, app() as never);
		expect(output.sessionToken).toMatch(/^shpat_[0-9a-f]{32}$/);
		expect(await credential.preAuthentication.call({ helpers: { httpRequest } } as never, { ...app(), authMode: 'accessToken' } as never)).toEqual({});
		expect(credential.authenticate.properties.headers!['X-Shopify-Access-Token']).toBe('={{$credentials.authMode === "accessToken" || !$credentials.clientId ? $credentials.accessToken : $credentials.sessionToken}}');
	});
});

describe('the Shopify credential\'s test, as n8n runs it when the credential is saved', () => {
	const test = async (data: IDataObject) => await testShopifyCredential.call(undefined, { data: data as never });
	const token = (): IDataObject => ({ shopDomain: env.shopify.shopDomain, authMode: 'accessToken', accessToken: env.shopify.accessToken, apiVersion: env.shopify.apiVersion });
	afterAll(async () => {
		await standin('shopify', '/__standin/access-scopes', { method: 'POST', body: JSON.stringify({ scopes: 'default' }) });
	});

	it('passes a custom app\'s token and a Dev Dashboard app holding every scope the pack uses', async () => {
		const shop = (await standin<{ data: { shop: { name: string } } }>('shopify', `/admin/api/${env.shopify.apiVersion}/graphql.json`, { method: 'POST', body: JSON.stringify({ query: '{ shop { name } }' }) })).data.shop.name;
		const passed = { status: 'OK', message: `Connected to ${shop}; the app has every scope the pack's nodes use.` };
		expect(await test(token())).toEqual(passed);
		expect(await test(app())).toEqual(passed);
	});

	it('names the nodes an app\'s scopes leave out, and what for', async () => {
		await standin('shopify', '/__standin/access-scopes', { method: 'POST', body: JSON.stringify({ scopes: ['read_customers', 'read_orders', 'write_discounts'] }) });
		const result = await test(app());
		expect(result.status).toBe('Error');
		expect(result.message).toContain('but the app lacks scopes: CX VIP Escalation (tagging the customer and the order) needs write_customers, write_orders; CX Delay Compensation (partial refund payouts) needs write_orders; CX Delay Compensation (store credit payouts) needs write_store_credit_account_transactions; CX Returns Desk needs read_products, write_returns. Nodes not named here work.');
	});

	it('says what Shopify refused: another organization\'s app, a wrong secret, a wrong token', async () => {
		expect(await test(app(env.shopify.foreignClientId, env.shopify.foreignClientSecret))).toEqual({ status: 'Error', message: expect.stringContaining('shop_not_permitted: the app and the store are not in the same organization') });
		expect(await test(app(env.shopify.clientId, 'shpss_not_the_secret'))).toEqual({ status: 'Error', message: 'The client credentials were not exchanged for a token: Shopify answered invalid_client: check the Client ID and Client Secret.' });
		expect(await test({ ...token(), accessToken: 'shpat_not_a_token' })).toEqual({ status: 'Error', message: 'The shop could not be read: Shopify refused the access token (401): check it, or that the app is still installed.' });
	});
});

describe('a partner\'s app through n8n\'s OAuth2 (authorization code), the third way in', () => {
	/** What n8n's OAuth2 does when a person presses Connect: the authorize URL, Shopify's redirect, the code exchanged. */
	const install = async (clientId: string, clientSecret: string) => {
		const redirect = 'http://localhost:5678/rest/oauth2-credential/callback';
		const authorize = await fetch(`https://${env.shopify.shopDomain}/admin/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(redirect)}&scope=read_customers%20read_orders&state=s-1`, { redirect: 'manual' });
		expect(authorize.status).toBe(302);
		const back = new URL(authorize.headers.get('location')!);
		const { hmac, ...rest } = Object.fromEntries(back.searchParams);
		// Shopify signs the callback: n8n's or any app's check holds
		expect(hmac).toBe(createHmac('sha256', clientSecret).update(new URLSearchParams(Object.entries(rest).sort()).toString()).digest('hex'));
		const exchange = (code: string) => fetch(`https://${env.shopify.shopDomain}/admin/oauth/access_token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect, client_id: clientId, client_secret: clientSecret }) });
		const token = await exchange(rest.code);
		expect(token.status).toBe(200);
		// a code is good once
		expect((await exchange(rest.code)).status).toBe(400);
		return ((await token.json()) as { access_token: string; scope: string });
	};

	it('installs another organization\'s app with an offline token, which a node uses with Shopify Authentication: OAuth2', async () => {
		const token = await install(env.shopify.foreignClientId, env.shopify.foreignClientSecret);
		expect(token.scope).toBe('read_customers,read_orders');
		const oauth = { shopDomain: env.shopify.shopDomain, apiVersion: env.shopify.apiVersion, clientId: env.shopify.foreignClientId, clientSecret: env.shopify.foreignClientSecret, oauthTokenData: { access_token: token.access_token } };
		const [escalate, queue] = await new CxTicketTriage().execute.call(
			executeContext({ items: [vipTicket('oauth-1')], parameters: { enrichFromShopify: true, authentication: 'oAuth2', options: { now: NOW } }, shopifyCredential: { shopDomain: 'not-used.myshopify.com', accessToken: 'shpat_not_used' }, shopifyOAuth2Credential: oauth }),
		);
		expect([...escalate, ...queue].map((item) => item.json.triage as IDataObject)[0]).toMatchObject({ tier: 'vip', tierSource: 'shopify' });
	});

	it('an OAuth2 credential not connected yet says how to connect it', async () => {
		const error = await rejectionOf(
			new CxTicketTriage().execute.call(executeContext({ items: [vipTicket('oauth-2')], parameters: { enrichFromShopify: true, authentication: 'oAuth2', options: { now: NOW } }, shopifyOAuth2Credential: { shopDomain: env.shopify.shopDomain, apiVersion: env.shopify.apiVersion } })),
		);
		expect(error).toMatchObject({ message: 'The Shopify OAuth2 credential is not connected to the store yet', description: expect.stringContaining('Connect my account') });
	});
});

/**
 * The Shopify credential's test (n8n runs it when the credential is saved; every node that uses the credential
 * names it, testedBy, as n8n looks for a credential's test function on such a node): the token exchange for a Dev
 * Dashboard app, the shop's name, and the app's granted scopes against those the pack's nodes use (scopes.ts).
 * Two plain HTTPS requests (a credential test gets no request helper but n8n's deprecated one); nothing here is
 * logged, and n8n masks the credential's secrets in the message.
 */
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { clientCredentialsGrant, normaliseShopDomain } from './grant';
import { scopeReport } from './scopes';

const QUERY = '{ shop { name } currentAppInstallation { accessScopes { handle } } }';

/** What Shopify answered, as the test says it. */
function refusal(what: string, status: number, body: string): string {
	if (/shop_not_permitted/.test(body)) return `${what}: Shopify answered shop_not_permitted: the app and the store are not in the same organization. Use Access Token with a token from the app's OAuth installation.`;
	if (/invalid_client/.test(body)) return `${what}: Shopify answered invalid_client: check the Client ID and Client Secret.`;
	if (status === 401) return `${what}: Shopify refused the access token (401): check it, or that the app is still installed.`;
	if (status === 404) return `${what}: Shopify answered 404: check the shop domain (my-store.myshopify.com) and the API version.`;
	return `${what}: Shopify answered ${status}.`;
}

/** A POST, its status and its body as text; a network failure as a message. */
async function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string } | string> {
	try {
		const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
		return { status: response.status, text: await response.text() };
	} catch (error) {
		return `no answer from ${new URL(url).host} (${(error as Error).message})`;
	}
}

export async function testShopifyCredential(this: ICredentialTestFunctions | void, credential: { data?: ICredentialDataDecryptedObject }): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const shop = normaliseShopDomain(String(data.shopDomain ?? ''));
	if (!shop) return { status: 'Error', message: 'Shop Domain is empty: give the store\'s my-store.myshopify.com domain.' };
	let token = String(data.accessToken ?? '');
	if (data.authMode !== 'accessToken' && data.clientId) {
		const grant = clientCredentialsGrant(shop, String(data.clientId), String(data.clientSecret ?? ''));
		const answer = await post(grant.url, { 'Content-Type': 'application/x-www-form-urlencoded' }, grant.body);
		if (typeof answer === 'string') return { status: 'Error', message: `The client credentials were not exchanged for a token: ${answer}` };
		if (answer.status !== 200) return { status: 'Error', message: refusal('The client credentials were not exchanged for a token', answer.status, answer.text) };
		token = String((JSON.parse(answer.text) as { access_token?: string }).access_token ?? '');
	}
	if (!token) return { status: 'Error', message: 'No token to test: give the Client ID and Client Secret (Client Credentials) or the Admin API Access Token.' };
	const answer = await post(`https://${shop}/admin/api/${String(data.apiVersion || '2026-10')}/graphql.json`, { 'X-Shopify-Access-Token': token, 'Content-Type': 'application/json' }, JSON.stringify({ query: QUERY }));
	if (typeof answer === 'string') return { status: 'Error', message: `The shop could not be read: ${answer}` };
	if (answer.status !== 200) return { status: 'Error', message: refusal('The shop could not be read', answer.status, answer.text) };
	const read = JSON.parse(answer.text) as { data?: { shop?: { name?: string }; currentAppInstallation?: { accessScopes?: Array<{ handle: string }> } }; errors?: unknown };
	if (!read.data?.shop) return { status: 'Error', message: `Shopify did not answer the test query: ${JSON.stringify(read.errors ?? read).slice(0, 300)}` };
	return scopeReport(read.data.shop.name ?? shop, (read.data.currentAppInstallation?.accessScopes ?? []).map((scope) => scope.handle));
}

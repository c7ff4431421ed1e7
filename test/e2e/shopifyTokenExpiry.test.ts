/**
 * A Dev Dashboard app's credential in a real n8n: CX Ticket Triage, behind a webhook, looks each customer up in
 * Shopify with the token its client ID and secret were exchanged for. The token is taken once and used across
 * executions; when Shopify expires it (the stand-in answers 401 afterwards, as Shopify does), the next execution
 * exchanges the credentials again once and runs as if nothing happened.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { n8n, tempUserFolder, type RunningN8n } from './n8n';
import { standin } from '../support/context';
import { standinsEnv } from '../support/standins';

describe('a Dev Dashboard app\'s expiring token in n8n', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	let server: RunningN8n | undefined;
	const issued = async () => (await standin<{ tokensIssued: number }>('shopify', '/__standin/state')).tokensIssued;
	const triage = async (id: string) => {
		const response = await fetch(`${server!.url}/webhook/cx-token-e2e`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, channel: 'email', customer_email: 'vip.tagged@example-store.test', subject: 'Late', body: 'My parcel is a week late.' }) });
		expect(response.status).toBe(200);
		return (await response.json()) as { tier: string; tierSource: string };
	};

	beforeAll(async () => {
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		// the store's credential as a Dev Dashboard app: client ID and secret, no token
		await n8n.importCredentials({ userFolder: folder.path, credentials: [
			{ id: 'cxShopifyLocal', name: 'Shopify (local stand-in)', type: 'cxShopifyAdminApi', data: { shopDomain: env.shopify.shopDomain, authMode: 'clientCredentials', clientId: env.shopify.clientId, clientSecret: env.shopify.clientSecret, apiVersion: env.shopify.apiVersion } },
		] });
		const workflow = {
			id: 'cxTokenExpiryE2e',
			name: 'token expiry e2e',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{ id: 'w1', name: 'Ticket', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: '6a0f1b2c-3d4e-4f50-8a61-7b8c9d0e1f23', parameters: { httpMethod: 'POST', path: 'cx-token-e2e', responseMode: 'responseNode', options: {} } },
				{ id: 'w2', name: 'Body', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [200, 0], parameters: { mode: 'raw', jsonOutput: '={{ JSON.stringify($json.body) }}', options: {} } },
				{ id: 'w3', name: 'CX Ticket Triage', type: 'n8n-nodes-cx-director.cxTicketTriage', typeVersion: 1, position: [400, 0], parameters: { enrichFromShopify: true }, credentials: { cxShopifyAdminApi: { id: 'cxShopifyLocal', name: 'Shopify (local stand-in)' } } },
				{ id: 'w4', name: 'Answer', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.5, position: [600, 0], parameters: { respondWith: 'json', responseBody: '={{ JSON.stringify({ tier: $json.triage.tier, tierSource: $json.triage.tierSource }) }}', options: {} } },
			],
			connections: {
				Ticket: { main: [[{ node: 'Body', type: 'main', index: 0 }]] },
				Body: { main: [[{ node: 'CX Ticket Triage', type: 'main', index: 0 }]] },
				'CX Ticket Triage': { main: [[{ node: 'Answer', type: 'main', index: 0 }], [{ node: 'Answer', type: 'main', index: 0 }]] },
			},
		};
		const file = join(folder.path, 'token-expiry.json');
		writeFileSync(file, JSON.stringify(workflow));
		await n8n.importWorkflows({ userFolder: folder.path, files: [file] });
		await n8n.publishWorkflow({ userFolder: folder.path, id: 'cxTokenExpiryE2e' });
		server = await n8n.startN8n({ userFolder: folder.path, port: Number(process.env.N8N_PORT) || (await n8n.freePort()) });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-token-e2e' });
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
		folder.done(1);
	});

	it('takes a token once, keeps it across executions, and after Shopify expires it exchanges again once', async () => {
		const before = await issued();
		expect(await triage('tok-1')).toEqual({ tier: 'vip', tierSource: 'shopify' });
		expect(await issued()).toBe(before + 1);
		expect(await triage('tok-2')).toEqual({ tier: 'vip', tierSource: 'shopify' });
		expect(await issued()).toBe(before + 1);
		// Shopify expires every token issued so far: the stand-in answers 401 for it from now on
		await standin('shopify', '/__standin/expire-tokens', { method: 'POST' });
		expect(await triage('tok-3')).toEqual({ tier: 'vip', tierSource: 'shopify' });
		expect(await issued()).toBe(before + 2);
		expect(await triage('tok-4')).toEqual({ tier: 'vip', tierSource: 'shopify' });
		expect(await issued()).toBe(before + 2);
		folder.passed();
	}, 300_000);
});

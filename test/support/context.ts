import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { fakeContext } from './fakeContext';
import { standinsEnv } from './standins';

/**
 * The part of n8n's execute context that nodes and services use, with credentials pointing at the
 * running stand-ins. Only n8n is stood in for here: every service call goes through the real SDK.
 */
export function executeContext(options: { items?: IDataObject[]; parameters?: IDataObject; continueOnFail?: boolean; shopifyCredential?: IDataObject; shopifyOAuth2Credential?: IDataObject; sendGridCredential?: IDataObject } = {}): IExecuteFunctions {
	const env = standinsEnv();
	const credentials: Record<string, IDataObject> = {
		cxShopifyAdminApi: options.shopifyCredential ?? { shopDomain: env.shopify.shopDomain, accessToken: env.shopify.accessToken, apiVersion: env.shopify.apiVersion },
		cxSupabaseApi: { url: env.supabase.url, serviceRoleKey: env.supabase.serviceRoleKey },
		cxSendGridApi: { apiKey: env.sendgrid.apiKey, senderEmail: env.sendgrid.senderEmail, senderName: 'Example Store Support', baseUrl: env.sendgrid.baseUrl, ...options.sendGridCredential },
		cxStripeApi: { secretKey: env.stripe.secretKey, apiBase: env.stripe.apiBase },
		...(options.shopifyOAuth2Credential ? { cxShopifyOAuth2Api: options.shopifyOAuth2Credential } : {}),
	};
	const { shopifyCredential: _given, shopifyOAuth2Credential: _oauth, sendGridCredential: _sendGrid, ...rest } = options;
	return fakeContext({ ...rest, credentials });
}

/** A test endpoint of a stand-in (same key as its API). */
export async function standin<T>(service: 'sendgrid' | 'stripe' | 'shopify', path: string, init: RequestInit = {}): Promise<T> {
	const env = standinsEnv();
	const [base, headers]: [string, Record<string, string>] =
		service === 'sendgrid'
			? [env.sendgrid.baseUrl, { Authorization: `Bearer ${env.sendgrid.apiKey}` }]
			: service === 'stripe'
				? [env.stripe.apiBase, { Authorization: `Bearer ${env.stripe.secretKey}` }]
				: [`https://${env.shopify.shopDomain}`, { 'X-Shopify-Access-Token': env.shopify.accessToken }];
	const response = await fetch(`${base}${path}`, { ...init, headers: { 'Content-Type': 'application/json', ...headers, ...(init.headers as Record<string, string>) } });
	if (!response.ok) throw new Error(`${service} ${path}: HTTP ${response.status} ${await response.text()}`);
	return (response.status === 204 ? undefined : await response.json()) as T;
}

/** How many GraphQL requests the Shopify stand-in has answered so far (a test takes the difference across a run). */
export async function shopifyRequests(): Promise<number> {
	return (await standin<{ graphqlRequests: number }>('shopify', '/__standin/state')).graphqlRequests;
}

/** Sets the Shopify stand-in's cost bucket: full (2000) after a suite that pages, or empty to provoke THROTTLED. */
export async function setShopifyBucket(currentlyAvailable: number): Promise<void> {
	await standin('shopify', '/__standin/bucket', { method: 'POST', body: JSON.stringify({ currentlyAvailable }) });
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf<E = any>(promise: Promise<unknown>): Promise<E> {
	try {
		await promise;
	} catch (error) {
		return error as E;
	}
	throw new Error('expected the request to fail');
}

/**
 * Every stand-in back to its known start: the pack's Supabase tables emptied, the Shopify store and Stripe back
 * to their seeds, SendGrid's outbox, faults and rate limit cleared. A test file calls it first, so it never reads
 * what another file left behind.
 */
export async function resetStandins(): Promise<void> {
	const env = standinsEnv();
	const { Client } = require('pg') as { Client: new (options: { connectionString: string }) => PgClient };
	const db = new Client({ connectionString: env.supabase.dbUrl });
	await db.connect();
	try {
		const { rows } = await db.query(`select format('%I.%I', table_schema, table_name) as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
		if (rows.length) await db.query(`truncate ${rows.map((row) => row.name).join(', ')} restart identity cascade`);
	} finally {
		await db.end();
	}
	await standin('shopify', '/__standin/reset', { method: 'POST' });
	await standin('stripe', '/__standin/reset', { method: 'POST' });
	await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
	await standin('sendgrid', '/__standin/faults', { method: 'DELETE' });
	await standin('sendgrid', '/__standin/rate-limit', { method: 'DELETE' });
	await standin('sendgrid', '/__standin/activity', { method: 'DELETE' });
	await standin('sendgrid', '/__standin/scopes', { method: 'DELETE' });
	for (const account of ['senders', 'templates', 'groups']) await standin('sendgrid', `/__standin/${account}`, { method: 'DELETE' });
}

interface PgClient {
	connect(): Promise<void>;
	query(text: string): Promise<{ rows: Array<{ name: string }> }>;
	end(): Promise<void>;
}

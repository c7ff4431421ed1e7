import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { InputProblem } from '../shared/items';
import { failureSink } from '../shared/n8n/errorItems';
import { readNow, SHOPIFY_AUTHENTICATION_PROPERTY } from '../shared/n8n/options';
import { runAsNodeOrTool } from '../shared/n8n/tool';
import { SHOPIFY_CREDENTIAL, SHOPIFY_PARTNER_APP_CREDENTIAL } from '../shared/services/shopify/client';
import { testShopifyCredential } from '../shared/services/shopify/credentialCheck';
import { checkShopifyWebhook } from '../shared/services/shopify/webhooks';
import { SupabaseService } from '../shared/services/supabase';
import { SHOPIFY_EVENTS_TABLE } from '../shared/store/shopifyEvents';
import { headersOf, readDelivery, type ShopifyDelivery } from './eventInput';
import { readEvent } from './shopifyEvents';
import { carryOutPrivacy, claimDeliveries, type ReadDelivery } from './shopifyEventsRun';

/** What an AI Agent reads about this node as a tool: what it does, what it needs, what it changes. */
const TOOL_DESCRIPTION =
	'Check Shopify webhook deliveries (signature, topic, event) and say what each means: route "delivered", "shipping_update", "order_update", "refund", "cancelled", "return_request", "privacy", "other", or "duplicate" for an event already received, with the order ID (and a requested return\'s ID). Needs the deliveries as the Webhook node gives them. Changes: records each event once in Supabase; for Shopify\'s privacy webhooks exports (customers/data_request) or erases (customers/redact, shop/redact) the customer\'s data held in Supabase.';

export class CxShopifyEvents implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Shopify Events',
		name: 'cxShopifyEvents',
		icon: { light: 'file:shopifyEvents.svg', dark: 'file:shopifyEvents.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'check and route order events',
		description: 'After a Webhook node that Shopify calls: checks each delivery\'s signature, keeps each event once (a retried delivery is a duplicate) and says what it means for the store: delivered, a shipping update, a refund, a return requested; carries out Shopify\'s privacy requests (export, erasure)',
		defaults: { name: 'CX Shopify Events' },
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// the Shopify credential's test lives here (n8n looks for it on a node that uses the credential)
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: 'cxSupabaseApi', required: true },
		],
		properties: [
			SHOPIFY_AUTHENTICATION_PROPERTY,
			{
				displayName:
					'Put this node after a Webhook node (POST, Raw Body on, Respond: Using \'Respond to Webhook\' Node) and answer Shopify right after it: Shopify counts a delivery failed after five seconds. With On Error: Continue, a refused delivery comes out with its error, for a 401.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{ displayName: 'Now', name: 'now', type: 'string', default: '', placeholder: '2026-11-02T09:00:00Z', description: 'The time the run acts as of (for replays and tests); empty for the current time' },
				],
			},
		],
	};

	methods = { credentialTest: { cxShopifyAdminApiTest: testShopifyCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAsNodeOrTool(this, receiveEvents, () => ['Events']);
	}
}

async function receiveEvents(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const partnerApp = this.getNodeParameter('authentication', 0, 'adminApi') === 'oAuth2';
	const credentials = await this.getCredentials(partnerApp ? SHOPIFY_PARTNER_APP_CREDENTIAL : SHOPIFY_CREDENTIAL);
	// an app signs its webhooks with its client secret; an admin-made custom app with its own key
	const secret = String(credentials.webhookSecret || credentials.clientSecret || '');
	const output: INodeExecutionData[] = [];
	const fail = failureSink(this, output);

	const read: Array<ReadDelivery & { itemIndex: number }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		// the signature first: a delivery that fails it is not read at all
		const rawBody = items[itemIndex].binary?.data ? await this.helpers.getBinaryDataBuffer(itemIndex, 'data') : undefined;
		const verdict = checkShopifyWebhook(headersOf(items[itemIndex].json), rawBody, secret);
		if (!verdict.ok) {
			fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: delivery refused: ${verdict.problem}`, { itemIndex, description: verdict.fix }));
			continue;
		}
		const delivery = readDelivery(items[itemIndex].json);
		if (delivery instanceof InputProblem) {
			fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${delivery.message}`, { itemIndex, description: delivery.fix }));
			continue;
		}
		read.push({ itemIndex, delivery, reading: readEvent(delivery.topic, delivery.payload) });
	}

	const answers = new Map<number, IDataObject>();
	const privacy = new Map<number, IDataObject>();
	try {
		const supabase = read.length ? await SupabaseService.connect(this) : undefined;
		// a privacy request is carried out before its event is claimed: a failure leaves it to Shopify's retry
		for (const entry of [...read]) {
			if (!entry.reading.privacy) continue;
			try {
				privacy.set(entry.itemIndex, await carryOutPrivacy(supabase!, entry.delivery, entry.reading.privacy, now));
			} catch (error) {
				read.splice(read.indexOf(entry), 1);
				const cause = error as Error;
				fail(entry.itemIndex, new NodeApiError(this.getNode(), { message: cause.message }, {
					message: `Item ${entry.itemIndex}: the privacy request (${entry.delivery.topic}) was not carried out: ${cause.message}`,
					description: 'Answer Shopify with an error: it delivers the request again, and it is carried out then (an erasure done in part is completed, never doubled).',
					itemIndex: entry.itemIndex,
				}));
			}
		}
		const first = read.length ? await claimDeliveries(supabase!, read, now) : [];
		read.forEach((entry, index) => answers.set(entry.itemIndex, { ...eventJson(entry.delivery, entry.reading, first[index]), ...(privacy.has(entry.itemIndex) ? { privacy: privacy.get(entry.itemIndex)! } : {}) }));
	} catch (error) {
		// a store failure touches every delivery: Shopify is answered with an error and delivers them again
		const failure = error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
		if (!this.continueOnFail()) throw failure;
		for (const { itemIndex } of read) fail(itemIndex, failure);
	}
	// error items and answers, in the order of the items they answer
	for (const [itemIndex, json] of answers) output.push({ json, pairedItem: { item: itemIndex } });
	return [output.sort((a, b) => itemOf(a) - itemOf(b))];
}

const itemOf = (item: INodeExecutionData) => (Array.isArray(item.pairedItem) ? item.pairedItem[0]?.item : typeof item.pairedItem === 'object' ? item.pairedItem.item : 0) ?? 0;

function eventJson(delivery: ShopifyDelivery, reading: ReturnType<typeof readEvent>, first: boolean): IDataObject {
	const route = first ? reading.route : 'duplicate';
	return {
		route,
		...(reading.orderId ? { order_id: reading.orderId } : {}),
		...(reading.returnId ? { return_id: reading.returnId } : {}),
		event: {
			id: delivery.eventId,
			topic: delivery.topic,
			route: reading.route,
			shop_domain: delivery.shopDomain ?? null,
			webhook_id: delivery.webhookId ?? null,
			triggered_at: delivery.triggeredAt?.toISOString() ?? null,
			api_version: delivery.apiVersion ?? null,
			table: SHOPIFY_EVENTS_TABLE,
		},
		reasons: first ? reading.reasons : [...reading.reasons, 'duplicate:event_already_received'],
		summary: first
			? `Shopify ${delivery.topic}${reading.orderId ? ` for order ${reading.orderId}` : ''}: ${reading.route.replace(/_/g, ' ')}`
			: `Shopify ${delivery.topic}${reading.orderId ? ` for order ${reading.orderId}` : ''}: already received (event ${delivery.eventId}), nothing done again`,
	};
}


import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { scoreCustomers } from './actions/score.operation';
import { properties } from './properties';
import { runAsNodeOrTool } from '../shared/n8n/tool';
import { testShopifyCredential } from '../shared/services/shopify/credentialCheck';

/** What an AI Agent reads about this node as a tool: what it does, what it needs, what it changes. */
const TOOL_DESCRIPTION =
	'Score customers\' health from 0 to 100 (recency, frequency, spend, satisfaction, open tickets, returns and refunds, late deliveries). Needs nothing with Customers From: Shopify (it reads every customer itself); with Input Items, the customers (Items From the Agent), each with customer_id or email, orders_count, amount_spent, order_dates. Returns every customer with route "red" (at risk: act), "yellow" or "green", the score and the reasons. Changes: stores the scores in Supabase when set to; sends nothing.';

/** The outputs' names for the operation run (as a tool, each item carries its output's name as `route`). */
const OUTPUT_NAMES = () => ['Red', 'Yellow', 'Green'];

export class CxCustomerHealth implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Customer Health',
		name: 'cxCustomerHealth',
		icon: { light: 'file:customerHealth.svg', dark: 'file:customerHealth.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["source"] === "shopify" ? "whole store" : "from items"}}',
		description: 'Scores each customer 0-100 from weighted signals, with the trend against the last score, and routes red, yellow and green',
		defaults: { name: 'CX Customer Health' },
		usableAsTool: { replacements: { description: TOOL_DESCRIPTION } },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Red', 'Yellow', 'Green'],
		credentials: [
			// Shopify whenever the node calls it: for the whole store, and for items that carry only a customer id (Look Up
			// Customers Given by ID Only, on by default). n8n's rules cannot say "Shopify, or the look-up on" in one entry, and a
			// look-up turned off under Input Items can stay in the parameters after switching back to Shopify: the second entry
			// shows the credential then. The two never show together; a run reads the first (n8n drops the hidden look-up first).
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'] }, hide: { lookUpInShopify: [false] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] }, hide: { lookUpInShopify: [false] } } },
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'], source: ['shopify'], lookUpInShopify: [false] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'], source: ['shopify'], lookUpInShopify: [false] } } },
			{ name: 'cxSupabaseApi', required: true, displayOptions: { show: { supabaseSignals: [true] } } },
		],
		properties,
	};

	/** The Shopify credential's test: the shop, and the scopes the app lacks for which node. */
	methods = { credentialTest: { cxShopifyAdminApiTest: testShopifyCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runAsNodeOrTool(this, scoreCustomers, OUTPUT_NAMES);
	}
}

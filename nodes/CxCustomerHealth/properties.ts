import type { INodeProperties } from 'n8n-workflow';
import { toolItemsProperty } from '../shared/n8n/tool';
import { SHOPIFY_AUTHENTICATION_PROPERTY } from '../shared/n8n/options';

/** The parameters of CX Customer Health as the editor shows them (its description in CxCustomerHealth.node.ts). */
export const properties: INodeProperties[] = [
	SHOPIFY_AUTHENTICATION_PROPERTY,
	{
		displayName: 'Customers From',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		default: 'shopify',
		options: [
			{ name: 'Input Items', value: 'items', description: 'One customer per item: customer_id, email, first_name, last_name, orders_count, amount_spent, currency, email_marketing_consent, tags, order_dates, refund_dates; optionally return_dates (one time per order returned from, its refunds left out of refund_dates), latest_csat, latest_nps, open_tickets, late_deliveries_last_365' },
			{ name: 'Shopify', value: 'shopify', description: 'Every customer of the store, read in one bulk operation' },
		],
	},
	{
		displayName: 'Look Up Customers Given by ID Only',
		name: 'lookUpInShopify',
		type: 'boolean',
		default: true,
		description: 'Whether an item that carries only a customer_id (as the director\'s retention_campaign request does) is looked up in Shopify: the customer, their orders, returns and refunds. Off, such an item is scored as a customer without orders.',
		displayOptions: { show: { source: ['items'] } },
	},
	{
		displayName: 'Read Supabase Signals',
		name: 'supabaseSignals',
		type: 'boolean',
		default: true,
		description: 'Whether to read open tickets, the latest CSAT and NPS answers, late deliveries (compensation ledger) and the previous score from Supabase; an item\'s own latest_csat, latest_nps, open_tickets or late_deliveries_last_365 wins',
	},
	{
		displayName: 'Store Scores',
		name: 'storeScores',
		type: 'boolean',
		default: true,
		description: 'Whether to keep each score in Supabase (customer_health_scores), one per customer and day, for the next run\'s trend; a rerun the same day replaces it',
		displayOptions: { show: { supabaseSignals: [true] } },
	},
	{
		displayName: 'Weights',
		name: 'weights',
		type: 'fixedCollection',
		placeholder: 'Set Weights',
		default: {},
		description: 'Points each component can give; the seven must sum to 100',
		options: [
			{
				displayName: 'Weights',
				name: 'values',
				values: [
					{ displayName: 'Delays', name: 'delays', type: 'number', default: 5, description: 'Late deliveries in the last 365 days (compensation ledger)' },
					{ displayName: 'Frequency', name: 'frequency', type: 'number', default: 15, description: 'Visits in the last 365 days (orders within the visit gap are one)' },
					{ displayName: 'Open Tickets', name: 'openTickets', type: 'number', default: 10, description: 'Support tickets open, pending or on hold now (solved and closed ones never count)' },
					{ displayName: 'Recency', name: 'recency', type: 'number', default: 25, description: 'Days since the last order' },
					{ displayName: 'Returns and Refunds', name: 'refunds', type: 'number', default: 10, description: 'Returns and refunds in the last 365 days: an order returned from (an exchange too) counts once however many refunds it had; a refund without a return counts on its own' },
					{ displayName: 'Satisfaction', name: 'satisfaction', type: 'number', default: 20, description: 'The latest CSAT answer, else the latest NPS answer' },
					{ displayName: 'Spend', name: 'spend', type: 'number', default: 15, description: 'Lifetime spend' },
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Currency for Items Without One', name: 'currency', type: 'string', default: 'USD', description: 'ISO 4217 code of amount_spent when an item has no currency' },
			{ displayName: 'Now', name: 'now', type: 'dateTime', default: '', description: 'The time the run scores as of (for replays and tests); empty is the current time. Its UTC day is the day the score is stored under.' },
			{ displayName: 'Orders Within Hours Are One Visit', name: 'visitGapHours', type: 'number', default: 24, description: 'Frequency counts visits: orders placed within this many hours of a visit\'s first order are one visit (as in CX Win-Back); 0 counts every order' },
			{ displayName: 'Red Up To', name: 'redUpTo', type: 'number', default: 50, description: 'A score up to this is red (DESIGN: red 0-50)' },
			{ displayName: 'Yellow Up To', name: 'yellowUpTo', type: 'number', default: 75, description: 'A score above Red Up To and up to this is yellow, above it green (DESIGN: yellow 51-75, green 76-100)' },
		],
	},
	// as an AI Agent's tool, with Input Items: the items the agent hands it
	{ ...toolItemsProperty('the customers to score: a JSON array of objects with customer_id, email, orders_count, amount_spent, currency and order_dates (ISO dates)', 'customers'), displayOptions: { show: { '@tool': [true], source: ['items'] } } },
];

import type { INodeProperties } from 'n8n-workflow';
import { CUSTOMER_ITEM_FIELDS } from '../shared/customerInput';
import { SHOPIFY_AUTHENTICATION_PROPERTY } from '../shared/n8n/options';

/** The parameters of CX Win-Back as the editor shows them (its description in CxWinBack.node.ts). */
export const properties: INodeProperties[] = [
	SHOPIFY_AUTHENTICATION_PROPERTY,
	{
		displayName: 'Customers From',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		default: 'shopify',
		options: [
			{ name: 'Shopify', value: 'shopify', description: 'Every customer of the store, read in one bulk operation' },
			{ name: 'Input Items', value: 'items', description: `One customer per item: ${CUSTOMER_ITEM_FIELDS}` },
		],
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to only decide, with reasons, for a person to preview: no code is made, nothing is sent or recorded',
	},
	{
		displayName: 'Discount Codes',
		name: 'codeMode',
		type: 'options',
		default: 'perCustomer',
		options: [
			{ name: 'One Code per Customer', value: 'perCustomer', description: 'A unique single-use code for each customer' },
			{ name: 'One Code per Segment', value: 'perSegment', description: 'A shared code per segment and campaign window, once per customer' },
		],
	},
	{
		displayName: 'Offers (% Off)',
		name: 'offers',
		type: 'collection',
		placeholder: 'Change an Offer',
		default: {},
		description: 'Percent off per RFM segment; 0 sends a plain we-miss-you without a code',
		options: [
			{ displayName: 'At Risk', name: 'at_risk', type: 'number', default: 15, description: 'Bought often, long ago' },
			{ displayName: 'Can\'t Lose', name: 'cant_lose', type: 'number', default: 20, description: 'Bought often and much, long ago' },
			{ displayName: 'Champions', name: 'champions', type: 'number', default: 0, description: 'Bought recently and often' },
			{ displayName: 'Hibernating', name: 'hibernating', type: 'number', default: 10, description: 'Few orders long ago, but spent' },
			{ displayName: 'Lost', name: 'lost', type: 'number', default: 0, description: 'Few small orders long ago' },
			{ displayName: 'Loyal', name: 'loyal', type: 'number', default: 10, description: 'Bought fairly recently and often' },
		],
	},
	{
		displayName: 'Marketing Unsubscribe Group ID',
		name: 'unsubscribeGroupId',
		type: 'number',
		default: 0,
		required: true,
		description: 'The SendGrid unsubscribe group for marketing mail: win-back is marketing, so every email carries its unsubscribe link',
		displayOptions: { show: { dryRun: [false] } },
	},
	{
		displayName: 'SendGrid Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		placeholder: 'd-0123456789abcdef',
		description: 'A dynamic template to use instead of the built-in email; it receives first_name, segment, offer_percent, discount_code, code_expires_at, shop_link and store_name',
		displayOptions: { show: { dryRun: [false] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Code Valid for Days', name: 'codeValidDays', type: 'number', default: 30, description: 'How long a discount code works' },
			{ displayName: 'Cooldown Days', name: 'cooldownDays', type: 'number', default: 30, description: 'One win-back per customer in this many days; also the length of a campaign window' },
			{ displayName: 'Currency for Items', name: 'currency', type: 'string', default: 'USD', description: 'For items without a currency field' },
			{ displayName: 'Dormant After (× Own Median Gap)', name: 'dormancyMultiple', type: 'number', default: 3, description: 'Dormant when the days since the last order exceed this many times the customer\'s median gap between orders' },
			{ displayName: 'Minimum Gap Days', name: 'minimumGapDays', type: 'number', default: 30, description: 'Nobody is dormant sooner than this, however often they bought' },
			{ displayName: 'No Mail After Contact for Days', name: 'recentContactDays', type: 'number', default: 30, description: 'No win-back for customers compensated within this many days' },
			{ displayName: 'Now', name: 'now', type: 'dateTime', default: '', description: 'The time the run acts as of (for replays and tests); empty is the current time' },
			{ displayName: 'One-Time Buyer Floor Days', name: 'oneTimeBuyerFloorDays', type: 'number', default: 180, description: 'A customer with one order is dormant after this many days' },
			{ displayName: 'Orders Within Hours Are One Visit', name: 'visitGapHours', type: 'number', default: 24, description: 'Orders placed within this many hours of a visit\'s first order count as one visit, for frequency, the gap between orders and segments; 0 counts every order' },
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'perCustomer',
				description: 'What the Customers output holds. At 100,000 customers one item each makes the execution n8n saves large; the summary alone keeps it small.',
				options: [
					{ name: 'One Item per Customer', value: 'perCustomer', description: 'Each customer mailed or planned, with segment, offer, code, status and reasons' },
					{ name: 'Summary Only', value: 'summary', description: 'Only the Summary output\'s counts; a customer whose send failed still comes out as an error item under Continue On Fail' },
				],
			},
			{ displayName: 'RFM Recency Days (Scores 5 to 2)', name: 'rfmRecencyDays', type: 'string', default: '30, 90, 180, 365', description: 'Recency scores 5, 4, 3, 2 up to this many days since the last order; later scores 1. Fixed thresholds: a customer scores the same whoever else is in the run.' },
			{ displayName: 'RFM Spend (Scores 2 to 5)', name: 'rfmSpend', type: 'string', default: '100, 250, 500, 1000', description: 'Monetary scores 2, 3, 4, 5 from this lifetime spend in the customer\'s currency; less scores 1' },
			{ displayName: 'RFM Visits (Scores 2 to 5)', name: 'rfmVisits', type: 'string', default: '2, 3, 4, 6', description: 'Frequency scores 2, 3, 4, 5 from this many visits; one visit scores 1' },
			{ displayName: 'Store Name', name: 'storeName', type: 'string', default: '', description: 'Signs the built-in email' },
			{ displayName: 'Store URL', name: 'storeUrl', type: 'string', default: '', placeholder: 'https://shop.example.com', description: 'The button links here; with a code, to /discount/&lt;code&gt; so the code applies itself' },
		],
	},
];

import type { INodeProperties } from 'n8n-workflow';
import { SHOPIFY_AUTHENTICATION_PROPERTY } from '../shared/n8n/options';
import { toolItemsProperty } from '../shared/n8n/tool';

/** The parameters of CX Returns Desk as the editor shows them (its description in CxReturnsDesk.node.ts). */
export const properties: INodeProperties[] = [
	SHOPIFY_AUTHENTICATION_PROPERTY,
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'decide',
		options: [
			{ name: 'Decide Return Requests', value: 'decide', description: 'Approve, decline or hand to a person each return a customer requested, by the store\'s return policy, once', action: 'Decide return requests' },
		],
	},
	{
		displayName: 'Returns From',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		default: 'shopify',
		options: [
			{ name: 'Shopify, Every Requested Return', value: 'shopify', description: 'Every return waiting for the store\'s answer (status Requested)' },
			{ name: 'Shopify, Returns Named in Items', value: 'shopifyReturns', description: 'Each item names a return (a returns/request webhook, or a return ID); the return is read from Shopify as it is now' },
		],
	},
	{
		displayName: 'Return ID Field',
		name: 'returnIdField',
		type: 'string',
		default: 'return_id',
		placeholder: 'return_id',
		description: 'The item field holding the return\'s numeric ID or GID; a returns/request webhook\'s own ID is read without it',
		displayOptions: { show: { source: ['shopifyReturns'] } },
	},
	toolItemsProperty('the returns to decide, each as {"return_id": "gid://shopify/Return/123"}', 'returns'),
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to decide only: nothing is approved, declined, recorded or sent',
	},
	{
		displayName: 'Email the Customer',
		name: 'notifyCustomer',
		type: 'boolean',
		default: true,
		description: 'Whether to tell the customer the outcome and the next step, once per return (Shopify\'s own return notifications stay off)',
	},
	{
		displayName: 'Staff Email',
		name: 'staffEmail',
		type: 'string',
		placeholder: 'returns@example-store.com',
		default: '',
		description: 'Who hears of each return that needs a person\'s review, once per return, with why; empty: nobody is emailed',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Credit Bonus (%)', name: 'creditBonusPercent', type: 'number', default: 10, description: 'Added to the returned value when the customer takes store credit' },
			{ displayName: 'EU Floor Days', name: 'euFloorDays', type: 'number', default: 14, description: 'Days from delivery within which an order shipped to the EU may be returned whatever the store\'s window or final-sale mark, unless made to order (Consumer Rights Directive art. 9, 16(c)).' },
			{ displayName: 'Exchange Bonus', name: 'exchangeBonus', type: 'number', default: 0, description: 'Taken off the exchange item, in the store\'s currency; 0: none' },
			{ displayName: 'Final-Sale Tags', name: 'finalSaleTags', type: 'string', default: 'final-sale, final sale, no-returns-item', description: 'Product or order tags that mark an item final sale, comma-separated' },
			{ displayName: 'Made-to-Order Tags', name: 'madeToOrderTags', type: 'string', default: 'made-to-order, custom, personalised, personalized', description: 'Product tags that mark an item made to order (returned only when defective or wrong), comma-separated' },
			{ displayName: 'No-Returns Customer Tag', name: 'noReturnsTag', type: 'string', default: 'no-returns', description: 'A customer tag that sends every return of theirs to a person' },
			{ displayName: 'Now', name: 'now', type: 'string', default: '', description: 'The run\'s time (ISO 8601); empty: the moment the run starts. Set it to replay a day.' },
			{
				displayName: 'Resolution Ladder',
				name: 'ladder',
				type: 'string',
				default: 'exchange, store_credit, refund',
				description: 'What is offered, first to last: exchange, store_credit, refund (an exchange only for size, colour or style, with a variant in stock)',
			},
			{ displayName: 'Restocking Fee (%)', name: 'restockingPercent', type: 'number', default: 0, description: 'Kept from items returned by the customer\'s choice; never when the store is at fault' },
			{ displayName: 'Return Shipping Fee', name: 'returnShippingFee', type: 'number', default: 0, description: 'Kept once per return by the customer\'s choice, in the store\'s currency; never when the store is at fault' },
			{ displayName: 'Review Returns Worth Over', name: 'reviewValueOver', type: 'number', default: 500, description: 'A return worth more than this goes to a person, in the store\'s currency' },
			{ displayName: 'Serial Returner: Returns in a Year', name: 'serialReturnsCount', type: 'number', default: 5, description: 'A customer with this many returns in the last 365 days goes to a person' },
			{ displayName: 'Serial Returner: Share Returned (%)', name: 'serialReturnedSharePercent', type: 'number', default: 50, description: 'A customer who returned this share of what they spent in the last 365 days goes to a person' },
			{ displayName: 'Store Name', name: 'storeName', type: 'string', default: '', description: 'Signs the customer\'s email' },
			{ displayName: 'Transit Days', name: 'transitDays', type: 'number', default: 5, description: 'When no delivery is recorded, the window starts this many days after the fulfilment' },
			{ displayName: 'Window Days', name: 'windowDays', type: 'number', default: 30, description: 'Days within which a return may be requested' },
			{
				displayName: 'Window Starts At',
				name: 'windowStartsAt',
				type: 'options',
				default: 'delivery',
				options: [
					{ name: 'Delivery', value: 'delivery' },
					{ name: 'Fulfillment', value: 'fulfillment' },
				],
			},
		],
	},
];

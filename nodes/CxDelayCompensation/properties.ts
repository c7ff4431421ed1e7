import type { INodeProperties } from 'n8n-workflow';
import { TIER_OPTIONS } from '../shared/n8n/policyOptions';
import { toolItemsProperty } from '../shared/n8n/tool';
import { NAMED_ORDERS_SOURCE, orderIdFieldProperty, SHOPIFY_AUTHENTICATION_PROPERTY } from '../shared/n8n/options';

const COMPENSATE = { show: { operation: ['compensate'] } };
/** The operations that read orders (the approval ones work on ledger rows). */
const READS_ORDERS = ['compensate', 'notifyLate'];
/** The operations that pay and tell the customer: compensating, and settling an approval. */
const PAYS = ['compensate', 'settleApproval'];
/** Inside the Options collection: shown for the compensate operation only. */
const COMPENSATE_OPTION = { show: { '/operation': ['compensate'] } };

/** The parameters of CX Delay Compensation as the editor shows them (its description in CxDelayCompensation.node.ts). */
export const properties: INodeProperties[] = [
	SHOPIFY_AUTHENTICATION_PROPERTY,
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'compensate',
		options: [
			{ name: 'Compensate Late Orders', value: 'compensate', description: 'Pay orders delivered later than promised, once, and send the apology', action: 'Compensate late orders' },
			{ name: 'Notify Late Orders', value: 'notifyLate', description: 'Tell customers once, before they ask, that an order will miss its promised date', action: 'Notify late orders' },
			{ name: 'Request Approval', value: 'requestApproval', description: 'Email the approver each Needs Approval compensation, once, with approve and decline links that resume a Wait node', action: 'Request approval of a compensation' },
			{ name: 'Settle Approval', value: 'settleApproval', description: 'After the Wait node: record the approver\'s answer once; an approval pays once, an unanswered request expires', action: 'Settle an approval' },
		],
	},
	{
		displayName: 'Orders From',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { operation: READS_ORDERS } },
		default: 'shopify',
		options: [
			{ name: 'Shopify', value: 'shopify', description: 'Orders processed in the lookback window, read in one Shopify bulk operation' },
			NAMED_ORDERS_SOURCE,
			{ name: 'Input Items', value: 'items', description: 'One order per item: order_id, name, processed_at, total, currency (shop_total and shop_currency when paid in another currency), checkout_promise_at, customer_ID, customer_email, tier or customer_tags and customer_amount_spent, fulfillments' },
		],
	},
	orderIdFieldProperty({ operation: READS_ORDERS }),
	{
		displayName: 'Lookback Days',
		name: 'lookbackDays',
		type: 'number',
		default: 60,
		description: 'How far back to read orders, by processed date',
		displayOptions: { show: { operation: READS_ORDERS, source: ['shopify'] } },
	},
	{
		displayName: 'Approver Email',
		name: 'approverEmail',
		type: 'string',
		placeholder: 'owner@example-store.com',
		default: '',
		required: true,
		description: 'Who decides compensations above the cap: they get the decision, its reasons and the approve and decline links',
		displayOptions: { show: { operation: ['requestApproval'] } },
	},
	{
		displayName: 'Resume URL',
		name: 'resumeUrl',
		type: 'string',
		default: '={{ $execution.resumeUrl }}',
		description: 'Where the approve and decline links point: the resume URL of the Wait node (Resume: On Webhook Call) right after this node',
		displayOptions: { show: { operation: ['requestApproval'] } },
	},
	{
		displayName: 'Expires After (Hours)',
		name: 'approvalHours',
		type: 'number',
		default: 72,
		description: 'How long the approver has; set the Wait node\'s time limit to the same, so an unanswered request is settled as expired',
		displayOptions: { show: { operation: ['requestApproval'] } },
	},
	{
		displayName: 'Payout Method',
		name: 'payoutMethod',
		displayOptions: COMPENSATE,
		type: 'options',
		default: 'discountCode',
		options: [
			{ name: 'Discount Code', value: 'discountCode', description: 'A single-use Shopify code for that customer, with an expiry' },
			{ name: 'Partial Refund', value: 'partialRefund', description: 'Refund the amount to the order\'s payment' },
			{ name: 'Shopify Store Credit', value: 'storeCredit', description: 'Store credit on the customer\'s Shopify account' },
			{ name: 'Stripe Customer Balance', value: 'stripeBalance', description: 'A credit on the Stripe customer with the same email' },
		],
	},
	{
		displayName: 'Code Valid for Days',
		name: 'discountValidDays',
		type: 'number',
		default: 90,
		displayOptions: { show: { operation: PAYS, payoutMethod: ['discountCode'] } },
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		displayOptions: { show: { operation: READS_ORDERS } },
		default: false,
		description: 'Whether to only decide, with reasons, for a person to preview: nothing is paid, sent or recorded',
	},
	{
		displayName: 'Notify Customer',
		name: 'notifyCustomer',
		displayOptions: { show: { operation: PAYS } },
		type: 'boolean',
		default: true,
		description: 'Whether to email the customer an apology with the code or credit (SendGrid, transactional)',
	},
	{
		displayName: 'SendGrid Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		placeholder: 'd-0123456789abcdef',
		description: 'A dynamic template to use instead of the built-in apology; it receives first_name, order_name, days_late, amount and discount_code',
		displayOptions: { show: { operation: PAYS, notifyCustomer: [true] } },
	},
	{
		displayName: 'Notice SendGrid Template ID',
		name: 'noticeTemplateId',
		type: 'string',
		default: '',
		placeholder: 'd-0123456789abcdef',
		description: 'A dynamic template to use instead of the built-in running-late notice; it receives first_name, order_name, promised_date, expected_date, not_shipped and store_name',
		displayOptions: { show: { operation: ['notifyLate'] } },
	},
	{
		displayName: 'Transactional Unsubscribe Group ID',
		name: 'unsubscribeGroupId',
		type: 'number',
		default: 0,
		description: 'The SendGrid unsubscribe group for service messages (0: none)',
		displayOptions: { show: { operation: [...PAYS, 'notifyLate'], notifyCustomer: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Amount by Order Value', name: 'valueBands', displayOptions: COMPENSATE_OPTION, type: 'string', default: '0:25, 100:50, 250:100, 500:200', description: 'From an order value up: the compensation, as value:amount pairs in the Policy Currency' },
			{ displayName: 'Amount for Standard Customers', name: 'standardAmount', displayOptions: COMPENSATE_OPTION, type: 'number', default: 25, description: 'Regular and premium customers; the larger of this and the order-value amount is paid' },
			{ displayName: 'Amount for VIP Customers', name: 'vipAmount', displayOptions: COMPENSATE_OPTION, type: 'number', default: 50, description: 'VIP customers also get expedited shipping on their next order' },
			{
				displayName: 'Amounts in Other Currencies',
				name: 'amountsByCurrency',
				displayOptions: COMPENSATE_OPTION,
				type: 'json',
				default: '{}',
				description: 'Amounts for orders paid in another currency, by ISO code, e.g. {"JPY": {"standardAmount": 3000, "vipAmount": 6000, "valueBands": "0:3000, 15000:6000", "instantCap": 30000}}. Other orders are decided on their amounts in the Policy Currency and paid at the order\'s own rate; an order with neither goes to a person.',
			},
			{ displayName: 'Holidays', name: 'holidays', type: 'string', default: '', placeholder: '2026-12-24, 2026-12-25', description: 'Days production does not work, YYYY-MM-DD, comma-separated' },
			{ displayName: 'Instant Cap', name: 'instantCap', displayOptions: COMPENSATE_OPTION, type: 'number', default: 200, description: 'Compensation above this waits for a person (Needs Approval)' },
			{ displayName: 'Late by More Than (Days)', name: 'thresholdDays', displayOptions: COMPENSATE_OPTION, type: 'number', default: 7, description: 'Seeds: "Offer compensation for shipping delays > 7 days"' },
			{ displayName: 'Now', name: 'now', type: 'dateTime', default: '', description: 'The time the run acts as of (for replays and tests); empty is the current time' },
			{ displayName: 'Policy Currency', name: 'currency', displayOptions: COMPENSATE_OPTION, type: 'string', default: 'USD', description: 'The currency the amounts, bands and cap are written in (ISO 4217); orders in it are paid in it' },
			{ displayName: 'Production Business Days', name: 'productionBusinessDays', type: 'number', default: 7, description: 'Made-to-order production window, in business days' },
			{ displayName: 'Store Name', name: 'storeName', type: 'string', default: '', description: 'Signs the built-in apology and running-late notice' },
			{ displayName: 'Store Time Zone', name: 'timeZone', type: 'string', default: '', placeholder: 'America/New_York', description: 'For business days; empty uses the workflow\'s time zone' },
			{
				displayName: 'Stripe Requests per Second',
				name: 'stripeRequestsPerSecond',
				displayOptions: { show: { '/operation': PAYS } },
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 1 },
				default: 0,
				description: 'The most Stripe requests this run makes per second, so a run of many Stripe balance credits stays under the account\'s rate limit. 0 chooses by the key: 20 for a test key (sandbox limit 25), 40 for a live key (limit 100 in all, 25 per endpoint).',
			},
			{ displayName: 'Transit Days', name: 'transitDays', type: 'number', default: 5, description: 'Transit days after production in the store\'s promise, for orders whose checkout showed no delivery date' },
			...TIER_OPTIONS,
		],
	},
	// as an AI Agent's tool, with Input Items: the items the agent hands it
	{ ...toolItemsProperty('the orders to check: a JSON array of objects with order_id, name, processed_at, total, currency, customer_email and fulfillments', 'orders'), displayOptions: { show: { '@tool': [true], source: ['items'] } } },
];

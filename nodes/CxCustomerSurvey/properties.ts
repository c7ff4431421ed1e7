import type { INodeProperties } from 'n8n-workflow';
import { TIER_OPTIONS } from '../shared/n8n/policyOptions';
import { ORDER_ITEM_FIELDS } from './surveyInput';
import { NAMED_ORDERS_SOURCE, orderIdFieldProperty, SHOPIFY_AUTHENTICATION_PROPERTY } from '../shared/n8n/options';

/** A tier option as the survey describes it: from Shopify, the tier each survey is recorded with. */
const tierOption = (name: string): INodeProperties => {
	const option = TIER_OPTIONS.find((candidate) => candidate.name === name)!;
	return { ...option, description: `${option.description} (from Shopify: the tier each survey and its answer are recorded with)` };
};

/** The parameters of CX Customer Survey as the editor shows them (its description in CxCustomerSurvey.node.ts). */
export const properties: INodeProperties[] = [
	SHOPIFY_AUTHENTICATION_PROPERTY,
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'sendSurveys',
		options: [
			{ name: 'Send Surveys', value: 'sendSurveys', description: 'Email a thank-you with the question to customers whose order arrived a few days ago', action: 'Send surveys' },
			{ name: 'Ask After Support', value: 'askAfterSupport', description: 'Email one CSAT question about the help to each customer whose ticket was solved (Supabase tickets), once per ticket, tied to the ticket and its agent', action: 'Ask after support' },
			{ name: 'Record Answer', value: 'recordAnswer', description: 'After a Webhook node taking GET and POST: a survey link (GET) gets a page with its answer to confirm and records nothing; that page\'s form (POST) stores the answer', action: 'Record an answer' },
		],
	},
	{
		displayName: 'Orders From',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		default: 'shopify',
		options: [
			{ name: 'Shopify', value: 'shopify', description: 'Orders placed in the lookback, read in one bulk operation' },
			NAMED_ORDERS_SOURCE,
			{ name: 'Input Items', value: 'items', description: `One order per item: ${ORDER_ITEM_FIELDS}` },
		],
		displayOptions: { show: { operation: ['sendSurveys'] } },
	},
	orderIdFieldProperty({ operation: ['sendSurveys'] }),
	{
		displayName: 'Question',
		name: 'questionType',
		type: 'options',
		default: 'csat',
		options: [
			{ name: 'CSAT (1-5)', value: 'csat', description: 'How satisfied are you with your order?' },
			{ name: 'NPS (0-10)', value: 'nps', description: 'How likely are you to recommend us to a friend or colleague?' },
		],
		displayOptions: { show: { operation: ['sendSurveys'] } },
	},
	{
		displayName: 'Survey Answer URL',
		name: 'answerUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://n8n.example.com/webhook/cx-survey',
		description: 'The production URL of the Webhook node of the workflow that records the answers (template: survey-answer-webhook); each button links here with ?t=&lt;token&gt;&s=&lt;score&gt;',
		displayOptions: { show: { operation: ['sendSurveys', 'askAfterSupport'] } },
	},
	{
		displayName: 'Unsubscribe Group ID',
		name: 'unsubscribeGroupId',
		type: 'number',
		default: 0,
		required: true,
		description: 'The SendGrid unsubscribe group for these emails: every survey carries its unsubscribe link, and SendGrid skips customers who left the group',
		displayOptions: { show: { operation: ['sendSurveys', 'askAfterSupport'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['sendSurveys'] } },
		options: [
			{ displayName: 'Catch-Up Days', name: 'catchUpDays', type: 'number', default: 7, description: 'Orders delivered up to this many days before the usual day are always looked at; after missed runs, every order delivered since the latest one asked about is too. A first run looks at these days only.' },
			{
				displayName: 'Consent',
				name: 'consent',
				type: 'options',
				default: 'subscribed',
				options: [
					{ name: 'Subscribed to Email Marketing', value: 'subscribed', description: 'Only customers whose email marketing consent is SUBSCRIBED' },
					{ name: 'Not Opted Out', value: 'notOptedOut', description: 'Also customers who never chose (not subscribed, pending); never those who unsubscribed. Only where the law lets a store ask its customers about a purchase without marketing consent.' },
				],
			},
			{ displayName: 'Days After Delivery', name: 'daysAfterDelivery', type: 'number', default: 3, description: 'Ask this many days after the last parcel of the order arrived' },
			{ displayName: 'Lookback Days', name: 'lookbackDays', type: 'number', default: 60, description: 'From Shopify: orders placed within this many days are read; an order delivered later than this after purchase is not asked about' },
			{ displayName: 'Now', name: 'now', type: 'dateTime', default: '', description: 'The time the run acts as of (for replays and tests); empty is the current time' },
			{ displayName: 'One Survey per Customer in Days', name: 'throttleDays', type: 'number', default: 30, description: 'A customer asked within this many days is not asked again' },
			tierOption('premiumLifetimeSpend'),
			{ displayName: 'Store Name', name: 'storeName', type: 'string', default: '', description: 'Named in the question and signs the email' },
			tierOption('vipLifetimeSpend'),
			tierOption('vipTag'),
		],
	},
	{
		displayName: 'Options',
		name: 'supportOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['askAfterSupport'] } },
		options: [
			{ displayName: 'Catch-Up Days', name: 'catchUpDays', type: 'number', default: 7, description: 'Tickets solved up to this many days before the usual time are always looked at; after missed runs, every ticket solved since the latest one asked about is too. A first run looks at these days only.' },
			{ displayName: 'Hours After Solve', name: 'hoursAfterSolve', type: 'number', default: 24, description: 'Ask this many hours after the ticket was solved: a ticket reopened in that time is not asked about until it is solved again' },
			{ displayName: 'Now', name: 'now', type: 'dateTime', default: '', description: 'The time the run acts as of (for replays and tests); empty is the current time' },
			{ displayName: 'One Survey per Customer in Days', name: 'throttleDays', type: 'number', default: 30, description: 'A customer asked (about an order or a ticket) within this many days is not asked again' },
			{ displayName: 'Skip Tags', name: 'skipTags', type: 'string', default: '', placeholder: 'no_csat, internal', description: 'Comma-separated ticket tags that mean "do not ask"; tickets tagged as spam or merged are never asked about' },
			{ displayName: 'Store Name', name: 'storeName', type: 'string', default: '', description: 'Named in the email and signs it' },
		],
	},
	{
		displayName: 'Options',
		name: 'answerOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['recordAnswer'] } },
		options: [
			{ displayName: 'Now', name: 'now', type: 'dateTime', default: '', description: 'The time the answer counts as given (for replays and tests); empty is the current time' },
			{ displayName: 'Store Name', name: 'storeName', type: 'string', default: '', description: 'Signs the thank-you page' },
		],
	},
	{
		displayName: 'Answers come from the Webhook node before this one: it reads the query parameters <code>t</code> (token) and <code>s</code> (score), and an optional <code>comment</code>. Connect a Respond to Webhook node that answers with <code>{{ $json.answer.thankYouHtml }}</code> as text/html.',
		name: 'answerNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['recordAnswer'] } },
	},
];

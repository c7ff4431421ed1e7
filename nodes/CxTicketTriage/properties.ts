import type { INodeProperties } from 'n8n-workflow';
import { BUSINESS_HOURS_OPTION } from '../shared/n8n/businessHours';
import { customerCacheOption, ESCALATION_RULE_OPTIONS, TIER_OPTIONS } from '../shared/n8n/policyOptions';
import { TICKET_FIELDS_PROPERTY } from '../shared/ticketInput';
import { EVENT_FIELDS_PROPERTY } from './helpdeskEvents';
import { toolItemsProperty } from '../shared/n8n/tool';
import { SHOPIFY_AUTHENTICATION_PROPERTY } from '../shared/n8n/options';

/** The parameters of the Triage operation. */
const triageProperties: INodeProperties[] = [
	{
		displayName: 'Enrich From Shopify',
		name: 'enrichFromShopify',
		type: 'boolean',
		default: false,
		description:
			'Whether to look up each customer in Shopify (one batched query per run) for tier by lifetime spend and tags, and the latest order\'s fulfillment',
	},
	{
		displayName: 'Store in Supabase',
		name: 'storeInSupabase',
		type: 'boolean',
		default: false,
		description: 'Whether to upsert each ticket and its decision into the Supabase "tickets" table, keyed by the ticket ID, so a replay stores nothing twice',
	},
	{
		displayName: 'Acknowledge Customer',
		name: 'acknowledgeCustomer',
		type: 'boolean',
		default: false,
		description:
			'Whether to email each customer, once per ticket, that their message arrived and by when the first reply is due (the SLA promise); needs Store in Supabase, whose ticket row keeps that it was sent',
	},
	{
		displayName: 'Acknowledgement Options',
		name: 'acknowledgementOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { acknowledgeCustomer: [true] } },
		options: [
			{ displayName: 'Store Name', name: 'storeName', type: 'string', default: '', description: 'Named in the email and signs it' },
			{
				displayName: 'Time Zone for Emails',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description: 'How the promised reply time is shown; empty uses the business hours\' time zone, else the workflow\'s',
			},
		],
	},
	{
		displayName: 'Answer "Where Is My Order"',
		name: 'orderStatusAnswer',
		type: 'options',
		default: 'off',
		options: [
			{
				name: 'Draft for an Agent',
				value: 'draft',
				description: 'Put the answer (subject, text, HTML) in the output item for the helpdesk; no email',
			},
			{
				name: 'Email the Customer',
				value: 'email',
				description: 'Email the answer in place of the acknowledgement, once per ticket, recorded as the first response; needs Acknowledge Customer',
			},
			{ name: 'Off', value: 'off' },
		],
		description:
			'For tickets asking where their order is: the order\'s live status from Shopify (fulfilment, carrier, tracking, estimated delivery, an apology when late). The order is the one the ticket names, else the customer\'s one open order; when it cannot be told, a person answers. Needs Enrich From Shopify.',
	},
	{
		displayName: 'Order Status Options',
		name: 'orderStatusOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { hide: { orderStatusAnswer: ['off'] } },
		options: [
			{
				displayName: 'Production Business Days',
				name: 'productionBusinessDays',
				type: 'number',
				default: 7,
				description: 'The store\'s production window, for orders whose checkout showed no delivery date: the promise is the order date plus these business days plus transit',
			},
			{ displayName: 'Store Name', name: 'storeName', type: 'string', default: '', description: 'Named in the email and signs it; empty uses the acknowledgement\'s' },
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description: 'The store\'s time zone, for business days and the dates in the email; empty uses the acknowledgement\'s, else the business hours\', else UTC',
			},
			{ displayName: 'Transit Days', name: 'transitDays', type: 'number', default: 5, description: 'Calendar days in transit after production, for the store\'s window' },
		],
	},
	TICKET_FIELDS_PROPERTY,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			BUSINESS_HOURS_OPTION,
			{
				displayName: 'Classifier',
				name: 'classifier',
				type: 'options',
				default: 'learned',
				options: [
					{ name: 'Learned Model', value: 'learned', description: 'Intent and sentiment from the model trained on the pack\'s corpus of labelled tickets, with its probability and the words that weighed most' },
					{ name: 'Hand-Written Rules', value: 'rules', description: 'Intent and sentiment from keyword cues and a word lexicon, as before the model' },
				],
				description: 'What reads each ticket\'s intent and sentiment; threats and urgency are always hand-written rules, where precision matters most',
			},
			customerCacheOption('Enrich From Shopify and Store in Supabase', 'tier inputs, latest order'),
			...ESCALATION_RULE_OPTIONS,
			{
				displayName: 'Max Body Length',
				name: 'maxBodyLength',
				type: 'number',
				default: 100000,
				description: 'Longest body accepted, in characters; a longer one is reported as bad input',
			},
			{ displayName: 'Now', name: 'now', type: 'dateTime', default: '', description: 'The time the run triages as of (for replays and tests): SLA due dates and the acknowledgement are counted from it; empty is the current time' },
			...TIER_OPTIONS,
		],
	},
];

/** The parameters of the Record Helpdesk Events operation. */
const recordEventsProperties: INodeProperties[] = [
	{
		displayName: 'Helpdesk',
		name: 'eventSource',
		type: 'options',
		default: 'zendesk',
		options: [
			{ name: 'Freshdesk', value: 'freshdesk', description: 'Freshdesk automation rules triggering a webhook with the body given in the template\'s note' },
			{ name: 'Gorgias', value: 'gorgias', description: 'A Gorgias HTTP integration with the body given in the template\'s note' },
			{ name: 'Help Scout', value: 'helpscout', description: 'Help Scout webhooks (conversation created, replies, notes, status, assigned)' },
			{ name: 'Input Fields', value: 'fields', description: 'Any other source: one event per item, read from the Input Fields' },
			{ name: 'Zendesk', value: 'zendesk', description: 'Zendesk event webhooks subscribed to ticket events (created, status changed, comment added, agent assignment changed)' },
		],
		description: 'Whose webhook payloads the items are; an expression reading the webhook\'s query (?helpdesk=gorgias) lets one webhook take several helpdesks (read from the first item)',
	},
	{
		displayName: 'Source Name',
		name: 'sourceName',
		type: 'string',
		default: 'helpdesk',
		displayOptions: { show: { eventSource: ['fields'] } },
		description: 'The helpdesk\'s name, recorded with each event: event IDs are unique per source',
	},
	{ ...EVENT_FIELDS_PROPERTY, displayOptions: { show: { eventSource: ['fields'] } } },
	{
		displayName: 'Verify Signature',
		name: 'verifySignature',
		type: 'boolean',
		default: false,
		displayOptions: { show: { eventSource: ['helpscout', 'zendesk'] } },
		description:
			'Whether to check each delivery\'s signature (Help Scout: X-HelpScout-Signature; Zendesk: X-Zendesk-Webhook-Signature) against the signing secret before anything is recorded; needs the Webhook node\'s Raw Body option. A delivery that fails is refused as an error item.',
	},
];

/** The parameters of the Settle Acknowledgements operation. */
const settleProperties: INodeProperties[] = [
	{
		displayName:
			'For a schedule: open tickets whose acknowledgement a run claimed and never settled (n8n stopped, a worker died, SendGrid answered unclearly) are checked in SendGrid\'s Email Activity once the claim is 10 minutes old, and sent when it shows they were not. Needs the Email Activity add-on and a SendGrid key with email_activity.read; without them they stay unconfirmed.',
		name: 'settleNotice',
		type: 'notice',
		default: '',
	},
	// the SendGrid credential is shown where acknowledgeCustomer is on: this operation always mails
	{ displayName: 'Acknowledge Customer', name: 'acknowledgeCustomer', type: 'hidden', default: true },
	{
		displayName: 'Options',
		name: 'settleOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Now', name: 'now', type: 'dateTime', default: '', description: 'The time the run acts as of (for replays and tests); empty is the current time' },
			{ displayName: 'Store Name', name: 'storeName', type: 'string', default: '', description: 'Named in the email and signs it (as in Triage\'s acknowledgement)' },
			{ displayName: 'Time Zone for Emails', name: 'timeZone', type: 'string', default: '', placeholder: 'Europe/Berlin', description: 'How the promised reply time is shown; empty is UTC' },
		],
	},
];

const only = (operation: string) => (property: INodeProperties): INodeProperties => ({
	...property,
	displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, operation: [operation] } },
});

/** The parameters of CX Ticket Triage as the editor shows them (its description in CxTicketTriage.node.ts). */
export const properties: INodeProperties[] = [
	SHOPIFY_AUTHENTICATION_PROPERTY,
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'triage',
		options: [
			{ name: 'Triage', value: 'triage', description: 'Decide intent, sentiment, priority, tier and SLA due times for each ticket', action: 'Triage tickets' },
			{
				name: 'Record Helpdesk Events',
				value: 'recordEvents',
				description: 'After a helpdesk webhook: keep each event once and update the ticket\'s status, first response, resolution, wait and hold times, replies, reopens and assignee',
				action: 'Record helpdesk events',
			},
			{
				name: 'Settle Acknowledgements',
				value: 'settleAcknowledgements',
				description: 'For a schedule: acknowledgements a stopped run left unconfirmed, checked in SendGrid\'s Email Activity and sent when they were not',
				action: 'Settle acknowledgements',
			},
		],
	},
	...triageProperties.map(only('triage')),
	...recordEventsProperties.map(only('recordEvents')),
	...settleProperties.map(only('settleAcknowledgements')),
	// as an AI Agent's tool: the items the agent hands it
	toolItemsProperty('the support tickets to triage: a JSON array of objects with id, subject, body, channel (email, chat, phone, social, whatsapp) and customer_email', 'tickets'),
];

import type { INodeProperties } from 'n8n-workflow';
import { BUSINESS_HOURS_OPTION } from '../shared/n8n/businessHours';
import { customerCacheOption, ESCALATION_RULE_OPTIONS, TIER_OPTIONS } from '../shared/n8n/policyOptions';
import { TICKET_FIELDS_PROPERTY } from '../shared/ticketInput';
import { toolItemsProperty } from '../shared/n8n/tool';
import { SHOPIFY_AUTHENTICATION_PROPERTY } from '../shared/n8n/options';

/** The parameters of CX VIP Escalation as the editor shows them (its description in CxVipEscalation.node.ts). */
export const properties: INodeProperties[] = [
	SHOPIFY_AUTHENTICATION_PROPERTY,
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'escalate',
		options: [
			{
				name: 'Escalate',
				value: 'escalate',
				action: 'Escalate tickets that meet a rule',
				description: 'Decide for each incoming ticket whether and how high to escalate it, then act',
			},
			{
				name: 'SLA Breach Sweep',
				value: 'slaSweep',
				action: 'Escalate overdue tickets one level up',
				description: 'Read open tickets past their first-response or resolution due time from Supabase and escalate each one level up',
			},
		],
	},
	{
		...TICKET_FIELDS_PROPERTY,
		description: 'For items that did not come from CX Ticket Triage: where each ticket field is; dot paths work',
		displayOptions: { show: { operation: ['escalate'] } },
	},
	{
		displayName: 'Record in Supabase',
		name: 'recordInSupabase',
		type: 'boolean',
		default: true,
		description:
			'Whether to record each escalation in the "escalations" table before anything else, so a replay escalates nothing twice (the SLA breach sweep needs it)',
	},
	{
		displayName: 'Notify by Email',
		name: 'notifyByEmail',
		type: 'boolean',
		default: true,
		description: 'Whether to email the people of the escalation\'s level through SendGrid',
	},
	{
		displayName: 'Team Lead Emails (Level 1)',
		name: 'recipientsLevel1',
		type: 'string',
		default: '',
		placeholder: 'support-lead@example.com',
		description: 'Comma-separated; they hear of every escalation',
		displayOptions: { show: { notifyByEmail: [true] } },
	},
	{
		displayName: 'Director Emails (Level 2)',
		name: 'recipientsLevel2',
		type: 'string',
		default: '',
		description: 'Comma-separated; they hear of level 2 and 3 escalations',
		displayOptions: { show: { notifyByEmail: [true] } },
	},
	{
		displayName: 'Executive Emails (Level 3)',
		name: 'recipientsLevel3',
		type: 'string',
		default: '',
		description: 'Comma-separated; they hear of level 3 escalations',
		displayOptions: { show: { notifyByEmail: [true] } },
	},
	{
		displayName: 'Leave Out Personal Data',
		name: 'redactPersonalData',
		type: 'boolean',
		default: false,
		description: 'Whether the email names the customer by first name only: no last name, email, phone or ID, and addresses and numbers in the text masked',
		displayOptions: { show: { notifyByEmail: [true] } },
	},
	{
		displayName: 'Use Shopify',
		name: 'useShopify',
		type: 'boolean',
		default: true,
		description: 'Whether to look customers up in Shopify (tier, lifetime value, recent orders; one batched query per run) and tag them',
	},
	{
		displayName: 'Tag in Shopify',
		name: 'tagInShopify',
		type: 'boolean',
		default: true,
		description: 'Whether to tag the customer, and the order when known, in Shopify',
		displayOptions: { show: { useShopify: [true] } },
	},
	{
		displayName: 'Tag',
		name: 'tag',
		type: 'string',
		default: 'cx-escalated',
		displayOptions: { show: { useShopify: [true], tagInShopify: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			BUSINESS_HOURS_OPTION,
			customerCacheOption('Use Shopify and Record in Supabase', 'tier inputs, name and phone, latest orders'),
			...ESCALATION_RULE_OPTIONS,
			{
				displayName: 'Now',
				name: 'now',
				type: 'dateTime',
				default: '',
				description: 'The time the run acts as of (for replays and tests); empty is the current time',
			},
			{
				displayName: 'Time Zone for Emails',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description: 'How due times are shown in the email; empty uses the workflow\'s time zone',
			},
			...TIER_OPTIONS,
		],
	},
	// as an AI Agent's tool: the items the agent hands it
	toolItemsProperty('the support tickets to escalate: a JSON array of objects with id, subject, body and customer_email, or CX Ticket Triage\'s output items', 'tickets'),
];

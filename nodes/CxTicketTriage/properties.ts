import type { INodeProperties } from 'n8n-workflow';
import { ESCALATION_RULE_OPTIONS, TIER_OPTIONS } from '../shared/n8n/policyOptions';
import { TICKET_FIELDS_PROPERTY } from '../shared/ticketInput';

/** The parameters of CX Ticket Triage as the editor shows them (its description in CxTicketTriage.node.ts). */
export const properties: INodeProperties[] = [
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
	TICKET_FIELDS_PROPERTY,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Business Hours',
				name: 'businessHours',
				type: 'fixedCollection',
				default: {},
				description: 'Run SLA clocks only during these hours, as a helpdesk does; without them, clocks run around the clock',
				options: [
					{
						displayName: 'Hours',
						name: 'hours',
						values: [
							{ displayName: 'Closes At', name: 'end', type: 'string', default: '17:00', placeholder: '17:00' },
							{
								displayName: 'Holidays',
								name: 'holidays',
								type: 'string',
								default: '',
								placeholder: '2026-12-24, 2026-12-25',
								description: 'Days the team does not work, YYYY-MM-DD in the time zone above, comma-separated: SLA clocks skip them',
							},
							{ displayName: 'Opens At', name: 'start', type: 'string', default: '09:00', placeholder: '09:00' },
							{
								displayName: 'Time Zone',
								name: 'timeZone',
								type: 'string',
								default: '',
								placeholder: 'Europe/Berlin',
								description: 'IANA time zone; empty uses the workflow\'s time zone',
							},
							{
								displayName: 'Working Days',
								name: 'days',
								type: 'multiOptions',
								default: [1, 2, 3, 4, 5],
								options: [
									{ name: 'Monday', value: 1 },
									{ name: 'Tuesday', value: 2 },
									{ name: 'Wednesday', value: 3 },
									{ name: 'Thursday', value: 4 },
									{ name: 'Friday', value: 5 },
									{ name: 'Saturday', value: 6 },
									{ name: 'Sunday', value: 7 },
								],
							},
						],
					},
				],
			},
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

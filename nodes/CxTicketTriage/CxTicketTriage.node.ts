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
import { moneyToDecimal } from '../shared/money';
import { BUSINESS_HOURS, INPUT_LIMITS } from '../shared/policy';
import { ESCALATION_RULE_OPTIONS, TIER_OPTIONS, readEscalationRules, readTierPolicy } from '../shared/policyOptions';
import { ShopifyService, profileFor } from '../shared/services/shopify';
import { SupabaseService } from '../shared/services/supabase';
import { isValidTimeZone, parseClockTime } from '../shared/time';
import { FIELD_DEFAULTS, TICKET_FIELDS_PROPERTY, tryReadTicket, type FieldNames } from './ticketInput';
import { DEFAULT_TRIAGE_POLICY, triageTicket, type CustomerProfile, type Ticket, type TriageDecision, type TriagePolicy } from './triage';

const ESCALATE = 0;
const QUEUE = 1;


export class CxTicketTriage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX Ticket Triage',
		name: 'cxTicketTriage',
		icon: { light: 'file:ticketTriage.svg', dark: 'file:ticketTriage.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["enrichFromShopify"] ? "with Shopify customer data" : "from ticket text"}}',
		description:
			'Reads support tickets and decides intent, sentiment, priority, tier and SLA due times, with reasons; routes VIP, urgent and threatening tickets to Escalate',
		defaults: { name: 'CX Ticket Triage' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Escalate', 'Queue'],
		credentials: [
			{ name: 'cxShopifyAdminApi', required: true, displayOptions: { show: { enrichFromShopify: [true] } } },
			{ name: 'cxSupabaseApi', required: true, displayOptions: { show: { storeInSupabase: [true] } } },
		],
		properties: [
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
									{ displayName: 'Opens At', name: 'start', type: 'string', default: '09:00', placeholder: '09:00' },
									{ displayName: 'Closes At', name: 'end', type: 'string', default: '17:00', placeholder: '17:00' },
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
					...TIER_OPTIONS,
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const now = new Date();
		const fields = { ...FIELD_DEFAULTS, ...(this.getNodeParameter('fields', 0, {}) as Partial<FieldNames>) };
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const policy = readPolicy.call(this, options);
		const maxBodyLength = Number(options.maxBodyLength ?? INPUT_LIMITS.maxBodyLength);
		const outputs: INodeExecutionData[][] = [[], []];

		const fail = (itemIndex: number, error: NodeOperationError | Error) => {
			if (!this.continueOnFail()) throw error;
			outputs[QUEUE].push({
				json: { error: error.message, ...('description' in error && error.description ? { description: error.description } : {}) },
				pairedItem: { item: itemIndex },
			});
		};

		const tickets: Array<{ itemIndex: number; ticket: Ticket }> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const read = tryReadTicket(items[itemIndex].json, fields, maxBodyLength);
			if (read instanceof InputProblem) {
				fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${read.message}`, { itemIndex, description: read.fix }));
			} else {
				tickets.push({ itemIndex, ticket: read });
			}
		}

		try {
			const profiles = this.getNodeParameter('enrichFromShopify', 0, false)
				? await (await ShopifyService.connect(this)).customerProfiles({
						emails: tickets.flatMap(({ ticket }) => (ticket.customerEmail ? [ticket.customerEmail] : [])),
						ids: tickets.flatMap(({ ticket }) => (ticket.customerId ? [ticket.customerId] : [])),
					})
				: new Map<string, CustomerProfile>();

			const decisions = tickets.map(({ itemIndex, ticket }) => ({
				itemIndex,
				ticket,
				decision: triageTicket(ticket, profileFor(profiles, ticket), policy, now),
			}));

			let stored: Map<string, 'inserted' | 'updated'> | undefined;
			if (this.getNodeParameter('storeInSupabase', 0, false) && decisions.length) {
				const supabase = await SupabaseService.connect(this);
				const ids = decisions.map(({ ticket }) => ticket.ticketId);
				const existing = await supabase.existingKeys('tickets', 'external_id', ids);
				await supabase.upsert('tickets', dedupeByTicket(decisions).map(({ ticket, decision }) => ticketRow(ticket, decision, now)), 'external_id');
				stored = new Map(ids.map((id) => [id, existing.has(id) ? 'updated' : 'inserted']));
			}

			for (const { itemIndex, ticket, decision } of decisions) {
				outputs[decision.triage.escalate ? ESCALATE : QUEUE].push({
					json: {
						...decision.request,
						triage: decision.triage,
						ticket: ticketJson(ticket),
						...(stored ? { stored: { table: 'tickets', action: stored.get(ticket.ticketId) } } : {}),
					} as unknown as IDataObject,
					pairedItem: { item: itemIndex },
				});
			}
		} catch (error) {
			// a service failure touches every ticket of the run: under Continue On Fail each becomes an error item
			const failure =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error);
			if (!this.continueOnFail()) throw failure;
			for (const { itemIndex } of tickets) fail(itemIndex, failure);
		}
		return outputs;
	}
}

function readPolicy(this: IExecuteFunctions, options: IDataObject): TriagePolicy {
	const hours = (options.businessHours as IDataObject | undefined)?.hours as IDataObject | undefined;
	let businessHours: TriagePolicy['businessHours'] = null;
	if (hours) {
		const timeZone = String(hours.timeZone || this.getTimezone());
		const days = (hours.days as number[] | undefined) ?? BUSINESS_HOURS.days;
		const problem = !isValidTimeZone(timeZone)
			? `"${timeZone}" is not an IANA time zone such as Europe/Berlin`
			: days.length === 0
				? 'no working day is selected'
				: (checkClock(String(hours.start)) ?? checkClock(String(hours.end)) ?? checkOrder(String(hours.start), String(hours.end)));
		if (problem) {
			throw new NodeOperationError(this.getNode(), `Business hours: ${problem}`, { description: 'Fix Options > Business Hours.' });
		}
		businessHours = { timeZone, days, start: String(hours.start), end: String(hours.end) };
	}
	return { ...DEFAULT_TRIAGE_POLICY, businessHours, tiers: readTierPolicy(options), escalation: readEscalationRules(options) };
}

function checkOrder(start: string, end: string): string | undefined {
	return parseClockTime(end) > parseClockTime(start) ? undefined : `closing time ${end} must be after opening time ${start}`;
}

function checkClock(text: string): string | undefined {
	try {
		parseClockTime(text);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

/** One row per ticket ID: the same ticket twice in one run would make Postgres refuse the whole upsert. */
function dedupeByTicket<T extends { ticket: Ticket }>(decisions: T[]): T[] {
	return [...new Map(decisions.map((entry) => [entry.ticket.ticketId, entry])).values()];
}

function ticketJson(ticket: Ticket): IDataObject {
	return {
		id: ticket.ticketId,
		subject: ticket.subject,
		body: ticket.body,
		channel: ticket.channel,
		customer_email: ticket.customerEmail ?? null,
		customer_id: ticket.customerId ?? null,
		order_id: ticket.orderId ?? null,
		order_value: ticket.orderValue ? moneyToDecimal(ticket.orderValue) : null,
		currency: ticket.orderValue?.currency ?? null,
		created_at: ticket.createdAt?.toISOString() ?? null,
	};
}

function ticketRow(ticket: Ticket, decision: TriageDecision, now: Date): IDataObject {
	const { request, triage } = decision;
	return {
		external_id: ticket.ticketId,
		channel: ticket.channel,
		subject: ticket.subject,
		body: ticket.body,
		customer_id: request.customer_details.customer_id,
		customer_email: ticket.customerEmail ?? null,
		order_id: ticket.orderId ?? null,
		tier: triage.tier,
		interaction_type: request.interaction_type,
		issue_type: request.customer_details.issue_type,
		sentiment: triage.sentiment.label,
		sentiment_score: triage.sentiment.score,
		priority: triage.priority,
		resolution_type: request.action_parameters.resolution_type,
		follow_up: request.action_parameters.follow_up,
		primary_intent: triage.intent,
		intents: triage.intents.map((match) => match.intent),
		tags: triage.tags,
		threatening: triage.flags.threatening,
		urgent: triage.flags.urgent,
		confidence: triage.confidence,
		reasons: triage.reasons,
		request,
		triage,
		ticket_created_at: (ticket.createdAt ?? now).toISOString(),
		first_response_due_at: triage.sla.firstResponseDueAt,
		resolution_due_at: triage.sla.resolutionDueAt,
		triaged_at: now.toISOString(),
	} as unknown as IDataObject;
}

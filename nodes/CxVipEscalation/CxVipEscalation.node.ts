import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';
import { InputProblem } from '../shared/items';
import type { Money } from '../shared/money';
import { ESCALATION_LEVELS, INPUT_LIMITS, type TIER_POLICY } from '../shared/policy';
import { readEscalationRules, readTierPolicy } from '../shared/n8n/policyOptions';
import { SendGridService } from '../shared/services/sendgrid';
import { ShopifyService } from '../shared/services/shopify/client';
import { customerProfiles, profileFor } from '../shared/services/shopify/customers';
import { ordersByReference } from '../shared/services/shopify/orders';
import { SupabaseService, type Row } from '../shared/services/supabase';
import { readNow } from '../shared/n8n/options';
import { FIELD_DEFAULTS } from '../shared/ticketInput';
import { tierFromProfile, type CustomerProfile } from '../shared/contract/customer';
import { tryReadCase, type EscalationInput } from './caseInput';
import { decideEscalation, missedTarget, nextLevelForBreach, type EscalationLevel, type EscalationPolicy } from './escalation';
import { LEVEL_NAMES } from './escalationEmail';
import { carryOut, type EscalationOutcome, type EscalationSettings, type PlannedEscalation, type Services } from './escalationRun';
import { overdueTickets } from '../shared/store/tickets';
import { ESCALATIONS_TABLE } from '../shared/store/escalations';
import { errorItem, failureSink } from '../shared/n8n/errorItems';

const ESCALATED = 0;
const NOT_ESCALATED = 1;
const EMAIL_LIST = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

import { properties } from './properties';

export class CxVipEscalation implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CX VIP Escalation',
		name: 'cxVipEscalation',
		icon: { light: 'file:vipEscalation.svg', dark: 'file:vipEscalation.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "slaSweep" ? "SLA breach sweep" : "Escalate"}}',
		description:
			'Escalates VIP, urgent and threatening customer issues to a person at once, exactly once per ticket and level, and climbs a level when an SLA is breached',
		defaults: { name: 'CX VIP Escalation' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Escalated', 'Not Escalated'],
		credentials: [
			{ name: 'cxSupabaseApi', required: true, displayOptions: { show: { recordInSupabase: [true] } } },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { notifyByEmail: [true] } } },
			{ name: 'cxShopifyAdminApi', required: true, displayOptions: { show: { useShopify: [true] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const now = readNow(this, options.now);
		const settings = readSettings.call(this, options);
		const record = this.getNodeParameter('recordInSupabase', 0, true) as boolean;
		const useShopify = this.getNodeParameter('useShopify', 0, true) as boolean;
		if (operation === 'slaSweep' && !record) {
			throw new NodeOperationError(this.getNode(), 'The SLA breach sweep reads open tickets from Supabase', { description: 'Turn on "Record in Supabase" and choose a Supabase credential.' });
		}
		const services: Services = {
			...(record ? { supabase: await SupabaseService.connect(this) } : {}),
			...(useShopify ? { shopify: await ShopifyService.connect(this) } : {}),
			...(settings.notify ? { sendgrid: await SendGridService.connect(this) } : {}),
		};
		const policy = readPolicy(options);
		return operation === 'slaSweep'
			? sweep.call(this, services, settings, policy, now)
			: escalate.call(this, services, settings, policy, now);
	}
}

function readSettings(this: IExecuteFunctions, options: IDataObject): EscalationSettings {
	const notify = this.getNodeParameter('notifyByEmail', 0, true) as boolean;
	const list = (level: EscalationLevel): string[] => {
		if (!notify) return [];
		const text = String(this.getNodeParameter(`recipientsLevel${level}`, 0, '') ?? '');
		const emails = text.split(/[,;\s]+/).map((email) => email.trim()).filter(Boolean);
		const bad = emails.find((email) => !EMAIL_LIST.test(email));
		if (bad) {
			throw new NodeOperationError(this.getNode(), `"${bad}" in the ${LEVEL_NAMES[level]} emails is not an email address`, { description: 'Separate addresses with commas.' });
		}
		return emails;
	};
	const recipients = { 1: list(1), 2: list(2), 3: list(3) };
	if (notify && !recipients[1].length) {
		throw new NodeOperationError(this.getNode(), 'Notify by Email is on but no team lead (level 1) email is set', { description: 'Set "Team Lead Emails (Level 1)": every escalation goes to them.' });
	}
	const useShopify = this.getNodeParameter('useShopify', 0, true) as boolean;
	return {
		notify,
		tag: useShopify && (this.getNodeParameter('tagInShopify', 0, true) as boolean),
		tagName: String(this.getNodeParameter('tag', 0, ESCALATION_LEVELS.shopifyTag) || ESCALATION_LEVELS.shopifyTag),
		recipients,
		redactPersonalData: notify && (this.getNodeParameter('redactPersonalData', 0, false) as boolean),
		timeZone: String(options.timeZone || this.getTimezone()),
	};
}

function readPolicy(options: IDataObject): EscalationPolicy & { tiers: typeof TIER_POLICY } {
	return { rules: readEscalationRules(options), levels: ESCALATION_LEVELS, tiers: readTierPolicy(options) };
}

/** Profiles and orders for all the run's cases: two Shopify requests however many items. */
async function lookUp(services: Services, cases: Array<Pick<EscalationInput, 'customerEmail' | 'customerId' | 'orderId'>>) {
	if (!services.shopify) return { profiles: new Map<string, CustomerProfile>(), orders: new Map() };
	const profiles = await customerProfiles(services.shopify, 
		{
			emails: cases.flatMap((each) => (each.customerEmail ? [each.customerEmail] : [])),
			ids: cases.flatMap((each) => (each.customerId ? [each.customerId] : [])),
		},
		{ recentOrders: 3 },
	);
	const orders = await ordersByReference(services.shopify, cases.flatMap((each) => (each.orderId ? [each.orderId] : [])));
	return { profiles, orders };
}

function orderOf(orders: Map<string, { id: string; name: string; total: Money }>, orderId?: string) {
	if (!orderId) return undefined;
	return orders.get(orderId) ?? orders.get(orderId.startsWith('#') ? orderId : `#${orderId}`) ?? orders.get(`gid://shopify/Order/${orderId}`);
}

function failure(this: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

function outcomeJson(outcome: EscalationOutcome, level: EscalationLevel): IDataObject {
	return {
		status: outcome.status,
		alreadyEscalated: outcome.status === 'already_escalated',
		level,
		levelName: LEVEL_NAMES[level],
		recipients: outcome.recipients,
		...(outcome.messageId ? { messageId: outcome.messageId } : {}),
		...(outcome.ledgerId ? { ledgerId: outcome.ledgerId } : {}),
		tagged: outcome.tagged,
	};
}

async function escalate(
	this: IExecuteFunctions,
	services: Services,
	settings: EscalationSettings,
	policy: ReturnType<typeof readPolicy>,
	now: Date,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const outputs: INodeExecutionData[][] = [[], []];
	const fail = failureSink(this, outputs[NOT_ESCALATED]);
	const fields = { ...FIELD_DEFAULTS, ...(this.getNodeParameter('fields', 0, {}) as Partial<typeof FIELD_DEFAULTS>), priority: 'priority' };
	const cases: Array<{ itemIndex: number; input: EscalationInput }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const read = tryReadCase(items[itemIndex].json, fields, INPUT_LIMITS.maxBodyLength, now);
		if (read instanceof InputProblem) {
			fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${read.message}`, { itemIndex, description: read.fix }));
		} else {
			cases.push({ itemIndex, input: read });
		}
	}

	let lookups;
	try {
		lookups = await lookUp(services, cases.map(({ input }) => input));
	} catch (error) {
		const problem = failure.call(this, error, 0);
		if (!this.continueOnFail()) throw problem;
		for (const { itemIndex } of cases) fail(itemIndex, problem);
		return outputs;
	}

	const planned: PlannedEscalation[] = [];
	const decided: Array<{ itemIndex: number; json: IDataObject; plannedIndex?: number }> = [];
	for (const { itemIndex, input } of cases) {
		const profile = profileFor(lookups.profiles, input);
		const fromStore = profile ? tierFromProfile(profile, policy.tiers) : undefined;
		// the item's tier when it has one; else the store's, the same for every ticket of one customer
		const tier = input.tier ?? fromStore?.tier ?? 'regular';
		const tierSource = input.tier ? 'item' : fromStore ? 'shopify' : 'default';
		const order = orderOf(lookups.orders, input.orderId);
		const orderValue = input.orderValue ?? order?.total;
		const decision = decideEscalation({ tier, priority: input.priority, threats: input.threats, ...(orderValue ? { orderValue } : {}) }, policy);
		const escalation: IDataObject = {
			escalate: decision.escalate,
			tier,
			tierSource,
			reasons: [...decision.reasons, ...(decision.escalate ? [decision.levelReason] : []), ...(fromStore && !input.tier ? [fromStore.reason] : [])],
		};
		const json = { ...items[itemIndex].json, escalation };
		if (!decision.escalate) {
			decided.push({ itemIndex, json });
			continue;
		}
		escalation.level = decision.level;
		decided.push({ itemIndex, json, plannedIndex: planned.length });
		planned.push({
			itemIndex,
			ticketId: input.ticketId,
			level: decision.level,
			reasons: decision.reasons,
			tier,
			priority: input.priority,
			subject: input.subject,
			body: input.body,
			...(input.channel ? { channel: input.channel } : {}),
			...(input.createdAt ? { createdAt: input.createdAt } : {}),
			...(input.summary ? { summary: input.summary } : {}),
			...(input.customerEmail ? { customerEmail: input.customerEmail } : {}),
			...(input.customerId ? { customerId: input.customerId } : {}),
			...(profile ? { profile } : {}),
			...(order || input.orderId || orderValue
				? { order: { ...(order ? { id: order.id, name: order.name } : { name: input.orderId }), ...(orderValue ? { value: orderValue } : {}) } }
				: {}),
			...(input.sla ? { sla: input.sla } : {}),
		});
	}

	let outcomes: Array<EscalationOutcome | NodeApiError>;
	try {
		outcomes = await carryOut(this, services, settings, planned, now);
	} catch (error) {
		const problem = failure.call(this, error, 0);
		if (!this.continueOnFail()) throw problem;
		for (const { itemIndex } of planned) fail(itemIndex, problem);
		outcomes = [];
	}
	for (const { itemIndex, json, plannedIndex } of decided) {
		if (plannedIndex === undefined) {
			outputs[NOT_ESCALATED].push({ json, pairedItem: { item: itemIndex } });
			continue;
		}
		const outcome = outcomes[plannedIndex];
		if (!outcome) continue;
		if (outcome instanceof NodeApiError) {
			const named = new NodeApiError(this.getNode(), { message: outcome.message } as unknown as JsonObject, {
				message: `Item ${itemIndex}: ${outcome.message}`,
				description: `${outcome.description ?? ''} The escalation is recorded and will be finished by the next run.`.trim(),
				itemIndex,
			});
			fail(itemIndex, named);
			continue;
		}
		Object.assign(json.escalation as IDataObject, outcomeJson(outcome, planned[plannedIndex].level));
		outputs[ESCALATED].push({ json, pairedItem: { item: itemIndex } });
	}
	return outputs;
}

async function sweep(
	this: IExecuteFunctions,
	services: Services,
	settings: EscalationSettings,
	_policy: ReturnType<typeof readPolicy>,
	now: Date,
): Promise<INodeExecutionData[][]> {
	const outputs: INodeExecutionData[][] = [[], []];
	let rows: Row[];
	let lookups;
	try {
		rows = await overdueTickets(services.supabase!, now);
		lookups = await lookUp(services, rows.map((row) => ({
			...(row.customer_email ? { customerEmail: String(row.customer_email) } : {}),
			...(row.customer_id ? { customerId: String(row.customer_id) } : {}),
			...(row.order_id ? { orderId: String(row.order_id) } : {}),
		})));
	} catch (error) {
		throw failure.call(this, error, 0);
	}
	// one climb per missed target: a ticket still overdue at the next sweep is not paged up again for the same breach
	const climbed = new Set<string>();
	try {
		const previous = await services.supabase!.rowsWhereIn(ESCALATIONS_TABLE, 'ticket_external_id', rows.map((row) => String(row.external_id)));
		for (const escalation of previous) {
			for (const reason of (escalation.reasons as string[] | null) ?? []) climbed.add(`${String(escalation.ticket_external_id)}|${reason}`);
		}
	} catch (error) {
		throw failure.call(this, error, 0);
	}
	const planned: PlannedEscalation[] = [];
	for (const row of rows) {
		const breach = missedTarget({
			firstResponseDueAt: row.first_response_due_at as string | null,
			firstRespondedAt: row.first_responded_at as string | null,
			resolutionDueAt: row.resolution_due_at as string | null,
			resolvedAt: row.resolved_at as string | null,
		}, now);
		const level = nextLevelForBreach(Number(row.escalation_level ?? 0));
		if (!breach || !level) continue;
		if (climbed.has(`${String(row.external_id)}|sla_breach:${breach.kind}`)) {
			outputs[NOT_ESCALATED].push({
				json: {
					ticket: { id: String(row.external_id), subject: String(row.subject ?? '') },
					escalation: { escalate: false, level: Number(row.escalation_level), breach, reasons: [`already_escalated_for:sla_breach:${breach.kind}`] },
				} as unknown as IDataObject,
				pairedItem: { item: 0 },
			});
			continue;
		}
		const each = {
			...(row.customer_email ? { customerEmail: String(row.customer_email) } : {}),
			...(row.customer_id ? { customerId: String(row.customer_id) } : {}),
		};
		const profile = profileFor(lookups.profiles, each);
		const order = orderOf(lookups.orders, row.order_id ? String(row.order_id) : undefined);
		planned.push({
			itemIndex: 0,
			ticketId: String(row.external_id),
			level,
			reasons: [`sla_breach:${breach.kind}`],
			tier: (row.tier as PlannedEscalation['tier']) ?? 'regular',
			priority: (row.priority as PlannedEscalation['priority']) ?? 'medium',
			subject: String(row.subject ?? ''),
			body: String(row.body ?? ''),
			...(row.channel ? { channel: String(row.channel) } : {}),
			...(row.ticket_created_at ? { createdAt: new Date(String(row.ticket_created_at)).toISOString() } : {}),
			...each,
			...(profile ? { profile } : {}),
			...(order ? { order: { id: order.id, name: order.name, value: order.total } } : row.order_id ? { order: { name: String(row.order_id) } } : {}),
			sla: {
				...(row.first_response_due_at ? { firstResponseDueAt: new Date(String(row.first_response_due_at)).toISOString() } : {}),
				...(row.resolution_due_at ? { resolutionDueAt: new Date(String(row.resolution_due_at)).toISOString() } : {}),
			},
			breach,
		});
	}
	const outcomes = await carryOut(this, services, settings, planned, now).catch((error: unknown) => {
		throw failure.call(this, error, 0);
	});
	const errors: NodeApiError[] = [];
	outcomes.forEach((outcome, index) => {
		const escalation = planned[index];
		if (outcome instanceof NodeApiError) {
			errors.push(outcome);
			if (this.continueOnFail()) {
				outputs[NOT_ESCALATED].push(errorItem({ message: `Ticket ${escalation.ticketId}: ${outcome.message}`, description: outcome.description }, 0));
			}
			return;
		}
		outputs[ESCALATED].push({
			json: {
				ticket: { id: escalation.ticketId, subject: escalation.subject, customer_email: escalation.customerEmail ?? null, order_id: escalation.order?.name ?? null },
				escalation: { escalate: true, tier: escalation.tier, reasons: escalation.reasons, breach: escalation.breach, ...outcomeJson(outcome, escalation.level) },
			} as unknown as IDataObject,
			pairedItem: { item: 0 },
		});
	});
	if (errors.length && !this.continueOnFail()) {
		throw new NodeApiError(this.getNode(), { message: errors[0].message } as unknown as JsonObject, {
			message: `${errors.length} of ${planned.length} overdue tickets could not be escalated: ${errors[0].message}`,
			description: 'Their escalations are recorded; the next sweep finishes them without notifying anyone twice.',
		});
	}
	return outputs;
}

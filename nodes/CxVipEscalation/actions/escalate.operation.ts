/** Escalate: each case (any ticket source, triaged or not) decided, then carried out once per ticket and level. */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { InputProblem } from '../../shared/items';
import { INPUT_LIMITS } from '../../shared/policy';
import { profileFor } from '../../shared/services/shopify/customers';
import { FIELD_DEFAULTS } from '../../shared/ticketInput';
import { tierFromProfile } from '../../shared/contract/customer';
import { tryReadCase, type EscalationInput } from '../caseInput';
import { caseTier, decideEscalation } from '../escalation';
import { carryOut, type EscalationOutcome, type EscalationSettings, type PlannedEscalation, type Services } from '../escalationRun';
import { failureSink } from '../../shared/n8n/errorItems';
import { failure, lookUp, orderOf, outcomeJson, type readPolicy } from './common';

const ESCALATED = 0;
const NOT_ESCALATED = 1;

export async function escalate(
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
		const read = tryReadCase(items[itemIndex].json, fields, INPUT_LIMITS.maxBodyLength, now, policy.businessHours);
		if (read instanceof InputProblem) {
			fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${read.message}`, { itemIndex, description: read.fix }));
		} else {
			cases.push({ itemIndex, input: read });
		}
	}

	let lookups;
	try {
		lookups = await lookUp(services, cases.map(({ input }) => input), now, settings.customerCacheMinutes);
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
		const { tier, source: tierSource, reasons: tierReasons } = caseTier(input.tier, profile ? tierFromProfile(profile, policy.tiers) : undefined);
		const order = orderOf(lookups.orders, input.orderId);
		const orderValue = input.orderValue ?? order?.total;
		const decision = decideEscalation({ tier, priority: input.priority, threats: input.threats, ...(orderValue ? { orderValue } : {}), ...(input.notAnIssue ? { notAnIssue: input.notAnIssue } : {}) }, policy);
		const escalation: IDataObject = {
			escalate: decision.escalate,
			tier,
			tierSource,
			reasons: [...decision.reasons, ...(decision.escalate ? [decision.levelReason] : []), ...tierReasons],
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
				? { order: { ...(order ? { id: order.id, name: order.name, tags: order.tags } : { name: input.orderId }), ...(orderValue ? { value: orderValue } : {}) } }
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
				description: `${outcome.description ?? ''}${outcome.context.unconfirmed ? '' : ' The escalation is recorded and will be finished by the next run.'}`.trim(),
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

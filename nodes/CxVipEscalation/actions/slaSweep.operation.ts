/** SLA Breach Sweep: open tickets past a target climb one level per missed target, once per target. */
import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { profileFor } from '../../shared/services/shopify/customers';
import type { Row } from '../../shared/services/supabase';
import { resolutionDueAt, slaSteps, type OpenTicket } from '../escalation';
import { carryOut, type EscalationSettings, type PlannedEscalation, type Services } from '../escalationRun';
import { overdueTickets } from '../../shared/store/tickets';
import { ESCALATIONS_TABLE } from '../../shared/store/escalations';
import { errorItem } from '../../shared/n8n/errorItems';
import { failure, lookUp, orderOf, outcomeJson, type readPolicy } from './common';

const ESCALATED = 0;
const NOT_ESCALATED = 1;

export async function sweep(
	this: IExecuteFunctions,
	services: Services,
	settings: EscalationSettings,
	policy: ReturnType<typeof readPolicy>,
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
		})), now, settings.customerCacheMinutes);
	} catch (error) {
		throw failure.call(this, error, 0);
	}
	// the breaches each ticket was escalated for before (a breach climbs once), and those recorded but not
	// carried out (a failed email or tag): the sweep finishes these at their recorded level
	const escalatedFor = new Map<string, Set<string>>();
	const unfinishedFor = new Map<string, Map<string, number>>();
	try {
		const previous = await services.supabase!.rowsWhereIn(ESCALATIONS_TABLE, 'ticket_external_id', rows.map((row) => String(row.external_id)));
		for (const escalation of previous) {
			const id = String(escalation.ticket_external_id);
			const reasons = escalatedFor.get(id) ?? new Set<string>();
			const unfinished = unfinishedFor.get(id) ?? new Map<string, number>();
			for (const reason of (escalation.reasons as string[] | null) ?? []) {
				if (escalation.status !== 'notified' && reason.startsWith('sla_breach:')) unfinished.set(reason, Number(escalation.level));
				else reasons.add(reason);
			}
			escalatedFor.set(id, reasons);
			unfinishedFor.set(id, unfinished);
		}
	} catch (error) {
		throw failure.call(this, error, 0);
	}
	const planned: PlannedEscalation[] = [];
	for (const row of rows) {
		const open: OpenTicket = {
			firstResponseDueAt: row.first_response_due_at as string | null,
			firstRespondedAt: row.first_responded_at as string | null,
			resolutionDueAt: row.resolution_due_at as string | null,
			resolvedAt: row.resolved_at as string | null,
			status: row.status as string | null,
			pausedSince: (row.paused_since as string | null | undefined) ?? null,
			pausedSeconds: Number(row.paused_seconds ?? 0),
			businessHours: policy.businessHours,
		};
		// the resolution due time the email shows: moved on by the time the ticket waited on the customer
		const resolutionDue = resolutionDueAt(open, now);
		const steps = slaSteps({ ...open, escalationLevel: Number(row.escalation_level ?? 0) }, escalatedFor.get(String(row.external_id)) ?? new Set(), now, unfinishedFor.get(String(row.external_id)));
		const holds = steps.filter((step) => step.action === 'hold');
		if (holds.length && holds.length === steps.length) {
			outputs[NOT_ESCALATED].push({
				json: {
					ticket: { id: String(row.external_id), subject: String(row.subject ?? '') },
					escalation: { escalate: false, level: Number(row.escalation_level), breach: holds[0].breach, reasons: holds.map((step) => step.reason) },
				} as unknown as IDataObject,
				pairedItem: { item: 0 },
			});
			continue;
		}
		for (const climb of steps) {
			if (climb.action !== 'climb') continue;
			const { breach } = climb;
			const { level } = climb;
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
				reasons: [climb.reason],
				tier: (row.tier as PlannedEscalation['tier']) ?? 'regular',
				priority: (row.priority as PlannedEscalation['priority']) ?? 'medium',
				subject: String(row.subject ?? ''),
				body: String(row.body ?? ''),
				...(row.channel ? { channel: String(row.channel) } : {}),
				...(row.ticket_created_at ? { createdAt: new Date(String(row.ticket_created_at)).toISOString() } : {}),
				...each,
				...(profile ? { profile } : {}),
				...(order ? { order: { id: order.id, name: order.name, value: order.total, tags: order.tags } } : row.order_id ? { order: { name: String(row.order_id) } } : {}),
				sla: {
					...(row.first_response_due_at ? { firstResponseDueAt: new Date(String(row.first_response_due_at)).toISOString() } : {}),
					...(resolutionDue ? { resolutionDueAt: resolutionDue.toISOString() } : {}),
				},
				breach,
			});
		}
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

/**
 * A triaged ticket as its row in Supabase `tickets`: the ticket, the director's request and the triage
 * decision with its reasons and SLA due times. One mapping, used by the node and by the demo's seed.
 */
import type { TriageDecision } from './triage';
import type { Ticket } from '../shared/contract/ticket';

export function ticketRow(ticket: Ticket, decision: TriageDecision, now: Date): Record<string, unknown> {
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
		// the waiting clock only when the source says it: a replay without it keeps what the helpdesk recorded
		...(ticket.status ? { status: ticket.status } : {}),
		...(ticket.pausedSince ? { paused_since: ticket.pausedSince.toISOString() } : {}),
		...(ticket.pausedSeconds !== undefined ? { paused_seconds: ticket.pausedSeconds } : {}),
	};
}

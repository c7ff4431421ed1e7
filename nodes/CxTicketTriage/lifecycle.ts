/**
 * The ticket's life after triage, folded from its helpdesk events: status, first response, resolution, the
 * requester's wait, time on hold, the pause of the resolution clock, replies, reopens and assignee. Pure: the run
 * reads ALL stored events of a ticket and folds them again in time order, so a late, duplicated or out-of-order
 * event never moves a clock backwards and a solved ticket is reopened once per real reopen.
 *
 * The rules, as helpdesks keep them:
 * - the ticket is open from its first event (or its created time, when earlier) until a status says otherwise;
 * - a customer reply on a solved or closed ticket reopens it (Zendesk, Gorgias, Freshdesk and Help Scout all do;
 *   Zendesk makes a follow-up ticket of a closed one, which arrives under its own ticket id); on a pending ticket it
 *   ends the wait on the customer (open again); on hold stays on hold (the third party still owes the answer);
 * - a reopen, or a status change from solved/closed to open, pending or on hold, reopens it once: a reopen already
 *   made by the customer's reply is not counted again;
 * - the first response is the first public agent reply; an internal note is no reply;
 * - resolved_at is the latest solve (closing a solved ticket keeps it), cleared while the ticket is reopened;
 *   first_resolved_at is the first solve, and replies_to_resolution the public agent replies before it;
 * - requester wait (open) and time on hold are counted up to the latest event; the resolution clock's pause
 *   (pending and on hold) is paused_seconds for pauses that ended and paused_since for the one in progress, as the
 *   SLA sweep reads them (shared/time.ts dueAfterPauses).
 */
import type { TicketStatus } from '../shared/contract/ticket';

export const HELPDESK_EVENT_KINDS = ['agent_reply', 'customer_reply', 'status_change', 'reopen', 'assignment', 'internal_note'] as const;
export type HelpdeskEventKind = (typeof HELPDESK_EVENT_KINDS)[number];

/** One helpdesk event, as the item reader makes it of any source's payload. */
export interface HelpdeskEvent {
	/** The helpdesk (zendesk, gorgias, freshdesk, helpscout, or the store's own name). */
	source: string;
	/** The source's id of the event: with the source, what makes a delivery received twice one event. */
	eventId: string;
	/** The ticket's external id, as triage stores it. */
	ticketId: string;
	kind: HelpdeskEventKind;
	/** For a status change: the status after it. */
	status?: TicketStatus;
	/** For an assignment: the agent now assigned (null when unassigned). */
	assignee?: string | null;
	/** Who acted, as the helpdesk names them. */
	actor?: string;
	occurredAt: Date;
}

export interface TicketLifecycle {
	status: TicketStatus;
	firstRespondedAt: Date | null;
	firstResolvedAt: Date | null;
	resolvedAt: Date | null;
	requesterWaitSeconds: number;
	onHoldSeconds: number;
	pausedSeconds: number;
	pausedSince: Date | null;
	agentReplies: number;
	customerReplies: number;
	repliesToResolution: number | null;
	reopenCount: number;
	assignee: string | null;
	lastEventAt: Date | null;
	eventCount: number;
}

const DONE: readonly TicketStatus[] = ['solved', 'closed'];
const PAUSED: readonly TicketStatus[] = ['pending', 'on_hold'];

/** Each event once (by source and event id), in time order, then by event id: the order every fold uses. */
export function orderEvents(events: HelpdeskEvent[]): HelpdeskEvent[] {
	const once = new Map<string, HelpdeskEvent>();
	for (const event of events) {
		const key = `${event.source}\u0000${event.eventId}`;
		if (!once.has(key)) once.set(key, event);
	}
	return [...once.values()].sort(
		(a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0) || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0),
	);
}

/**
 * The ticket's lifecycle from all its events (any order, duplicates allowed). `createdAt`, when the ticket's row
 * knows it and it is earlier than the first event, starts the requester's wait; `firstRespondedAt`, the row's own
 * first response, is kept when no event tells of an earlier one.
 */
export function foldLifecycle(events: HelpdeskEvent[], options: { createdAt?: Date | null; firstRespondedAt?: Date | null } = {}): TicketLifecycle {
	const ordered = orderEvents(events);
	const first = ordered[0]?.occurredAt;
	const start = options.createdAt && (!first || options.createdAt < first) ? options.createdAt : first;
	let status = 'open' as TicketStatus;
	let clock = start?.getTime() ?? 0;
	let waitMs = 0;
	let onHoldMs = 0;
	let pausedMs = 0;
	let pauseMs = 0;
	let pausedSince: Date | null = null;
	let firstRespondedAt: Date | null = null;
	let firstResolvedAt: Date | null = null;
	let resolvedAt: Date | null = null;
	let agentReplies = 0;
	let customerReplies = 0;
	let repliesToResolution: number | null = null;
	let reopenCount = 0;
	let assignee: string | null = null;

	const advance = (at: Date) => {
		const time = at.getTime();
		const span = Math.max(0, time - clock);
		if (status === 'open') waitMs += span;
		if (status === 'on_hold') onHoldMs += span;
		if (PAUSED.includes(status)) pauseMs += span;
		clock = Math.max(clock, time);
	};
	const moveTo = (next: TicketStatus, at: Date) => {
		if (next === status) return;
		const wasDone = DONE.includes(status);
		const willBeDone = DONE.includes(next);
		if (wasDone && !willBeDone) {
			reopenCount += 1;
			resolvedAt = null;
		} else if (!wasDone && willBeDone) {
			resolvedAt = at;
			if (!firstResolvedAt) {
				firstResolvedAt = at;
				repliesToResolution = agentReplies;
			}
		}
		const wasPaused = PAUSED.includes(status);
		const willPause = PAUSED.includes(next);
		if (wasPaused && !willPause) {
			pausedMs += pauseMs;
			pauseMs = 0;
			pausedSince = null;
		} else if (!wasPaused && willPause) {
			pausedSince = at;
		}
		status = next;
	};

	for (const event of ordered) {
		const at = event.occurredAt;
		advance(at);
		switch (event.kind) {
			case 'agent_reply':
				agentReplies += 1;
				if (!firstRespondedAt) firstRespondedAt = at;
				break;
			case 'customer_reply':
				customerReplies += 1;
				if (DONE.includes(status) || status === 'pending') moveTo('open', at);
				break;
			case 'reopen':
				if (DONE.includes(status)) moveTo('open', at);
				break;
			case 'status_change':
				if (event.status) moveTo(event.status, at);
				break;
			case 'assignment':
				assignee = event.assignee ?? null;
				break;
			case 'internal_note':
				break;
		}
	}

	// A first response the row holds already and no event tells of (the pack's own where-is-my-order reply, sent
	// by email, not through the helpdesk) stays: the first response is the earliest known, never cleared.
	const known = options.firstRespondedAt ?? null;
	if (known && (!firstRespondedAt || known < firstRespondedAt)) firstRespondedAt = known;
	return {
		status,
		firstRespondedAt,
		firstResolvedAt,
		resolvedAt,
		requesterWaitSeconds: Math.round(waitMs / 1000),
		onHoldSeconds: Math.round(onHoldMs / 1000),
		pausedSeconds: Math.round(pausedMs / 1000),
		pausedSince,
		agentReplies,
		customerReplies,
		repliesToResolution,
		reopenCount,
		assignee,
		lastEventAt: ordered.length ? ordered[ordered.length - 1].occurredAt : null,
		eventCount: ordered.length,
	};
}

/** The lifecycle as the columns of the ticket's row in Supabase `tickets`. */
export function lifecycleColumns(lifecycle: TicketLifecycle): Record<string, unknown> {
	const iso = (date: Date | null) => date?.toISOString() ?? null;
	return {
		status: lifecycle.status,
		first_responded_at: iso(lifecycle.firstRespondedAt),
		first_resolved_at: iso(lifecycle.firstResolvedAt),
		resolved_at: iso(lifecycle.resolvedAt),
		requester_wait_seconds: lifecycle.requesterWaitSeconds,
		on_hold_seconds: lifecycle.onHoldSeconds,
		paused_seconds: lifecycle.pausedSeconds,
		paused_since: iso(lifecycle.pausedSince),
		agent_replies: lifecycle.agentReplies,
		customer_replies: lifecycle.customerReplies,
		replies_to_resolution: lifecycle.repliesToResolution,
		reopen_count: lifecycle.reopenCount,
		assignee: lifecycle.assignee,
		last_event_at: iso(lifecycle.lastEventAt),
		event_count: lifecycle.eventCount,
	};
}

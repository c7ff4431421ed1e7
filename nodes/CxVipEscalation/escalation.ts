/**
 * The escalation decision: (case, policy) -> escalate or not, at which level, and why. Pure: no n8n, no
 * I/O. A case is what any ticket source can say: tier, priority, threats and the order's value.
 */
import type { CustomerTier, Priority } from '../shared/contract/request';
import { isOver, moneyFromDecimal, type Money } from '../shared/money';
import { ESCALATION_LEVELS, ESCALATION_POLICY } from '../shared/policy';
import { dueAfterPauses, type BusinessHours } from '../shared/time';

export type EscalationLevel = 1 | 2 | 3;

export interface EscalationCase {
	tier: CustomerTier;
	priority: Priority;
	/** Threat kinds from the ticket's words: chargeback, dispute, legal, regulator, public_review, ... */
	threats: string[];
	orderValue?: Money;
	/**
	 * Set when the ticket reads as praise, feedback or a question asked without complaint (triage's notAnIssue,
	 * `<intent>_<sentiment>`): a VIP's tier alone does not escalate it. The other rules still apply.
	 */
	notAnIssue?: string;
}

export interface EscalationPolicy {
	rules: typeof ESCALATION_POLICY;
	levels: typeof ESCALATION_LEVELS;
}

export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = { rules: ESCALATION_POLICY, levels: ESCALATION_LEVELS };

export type EscalationDecision =
	| { escalate: true; level: EscalationLevel; reasons: string[]; levelReason: string }
	| { escalate: false; reasons: string[] };

export function decideEscalation(escalationCase: EscalationCase, policy: EscalationPolicy): EscalationDecision {
	const { rules, levels } = policy;
	const reasons: string[] = [];
	const vip = rules.escalateVip && escalationCase.tier === 'vip' && !escalationCase.notAnIssue;
	if (vip) reasons.push('tier_vip');
	const vipAside = rules.escalateVip && escalationCase.tier === 'vip' && escalationCase.notAnIssue ? [`vip_not_escalated:${escalationCase.notAnIssue}`] : [];
	if (rules.escalateUrgent && escalationCase.priority === 'urgent') reasons.push('priority_urgent');
	const threats = rules.escalateThreatening ? escalationCase.threats : [];
	if (threats.length) reasons.push(`threatening_language:${threats.join('+')}`);
	const limit = rules.escalateOrderValueOver;
	const value = escalationCase.orderValue;
	const overLimit = (multiple: number) => limit > 0 && value !== undefined && isOver(value, moneyFromDecimal(limit * multiple, value.currency));
	if (overLimit(1)) reasons.push(`order_value_over_${limit}`);
	if (!reasons.length) return { escalate: false, reasons: ['no_escalation_rule_met', ...vipAside] };

	const levelThree = threats.find((threat) => levels.levelThreeThreats.includes(threat));
	if (levelThree) return { escalate: true, level: 3, reasons, levelReason: `level_3:${levelThree}_threat` };
	if (vip && threats.length) return { escalate: true, level: 3, reasons, levelReason: 'level_3:vip_threatening' };
	const levelTwo = threats.find((threat) => levels.levelTwoThreats.includes(threat));
	if (levelTwo) return { escalate: true, level: 2, reasons, levelReason: `level_2:${levelTwo}_threat` };
	if (reasons.length >= 2) return { escalate: true, level: 2, reasons, levelReason: 'level_2:several_rules' };
	if (overLimit(levels.levelTwoOrderValueMultiple)) {
		return { escalate: true, level: 2, reasons, levelReason: `level_2:order_value_over_${limit * levels.levelTwoOrderValueMultiple}` };
	}
	return { escalate: true, level: 1, reasons, levelReason: 'level_1:one_rule' };
}

/** The SLA sweep: a ticket past due climbs one level from where it stands, never past 3. */
export function nextLevelForBreach(currentLevel: number): EscalationLevel | undefined {
	const next = Math.max(0, Math.floor(currentLevel)) + 1;
	return next <= 3 ? (next as EscalationLevel) : undefined;
}

export type BreachKind = 'first_response' | 'resolution';

/** Statuses in which the ticket waits on the customer (or a third party): its resolution clock is paused. */
export const WAITING_STATUSES: readonly string[] = ['pending', 'on_hold'];

export interface OpenTicket {
	firstResponseDueAt?: string | null;
	firstRespondedAt?: string | null;
	/** The resolution due time as triage set it: without the time the ticket has waited on the customer. */
	resolutionDueAt?: string | null;
	resolvedAt?: string | null;
	/** open, pending, on_hold, ...: pending and on hold pause the resolution clock. */
	status?: string | null;
	/** When the current wait on the customer began (the clock is paused since then). */
	pausedSince?: string | null;
	/** Time spent waiting in earlier pauses, in seconds: it does not count towards the resolution target. */
	pausedSeconds?: number | null;
	/** The store's business hours when its SLA clocks run only inside them: the wait then counts only its working time. */
	businessHours?: BusinessHours | null;
}

/** Whether the ticket waits on the customer at `now`: a waiting status or a pause under way. */
export function isWaiting(ticket: OpenTicket): boolean {
	return (!!ticket.status && WAITING_STATUSES.includes(ticket.status)) || !!ticket.pausedSince;
}

/**
 * When the resolution is due at `now`: the stored due time moved on by the time spent waiting, the earlier
 * pauses and, while paused, the current one so far. Undefined when the ticket has no resolution target.
 */
export function resolutionDueAt(ticket: OpenTicket, now: Date): Date | undefined {
	if (!ticket.resolutionDueAt) return undefined;
	return dueAfterPauses(new Date(ticket.resolutionDueAt), ticket.pausedSeconds ?? undefined, ticket.pausedSince ? new Date(ticket.pausedSince) : undefined, now, ticket.businessHours);
}

/**
 * A target is met when its work is done at or before its due time ("within target" counts the due minute
 * itself), and missed once `now` is past the due time with the work not done.
 */
export function targetMet(dueAt: string | Date, doneAt: string | Date): boolean {
	return new Date(doneAt).getTime() <= new Date(dueAt).getTime();
}

/**
 * Every SLA target a ticket has missed at `now`, each on its own, the first response first: a first response
 * still owed past its due time; a resolution still owed past its due time (moved on by the time the ticket
 * waited on the customer), unless the ticket waits on the customer now, when its resolution clock is paused.
 * Due at exactly `now` is not missed yet.
 */
export function missedTargets(ticket: OpenTicket, now: Date): Array<{ kind: BreachKind; dueAt: string }> {
	const missed: Array<{ kind: BreachKind; dueAt: string }> = [];
	const past = (due: Date) => !Number.isNaN(due.getTime()) && due.getTime() < now.getTime();
	if (!ticket.firstRespondedAt && ticket.firstResponseDueAt && past(new Date(ticket.firstResponseDueAt))) {
		missed.push({ kind: 'first_response', dueAt: new Date(ticket.firstResponseDueAt).toISOString() });
	}
	const resolutionDue = resolutionDueAt(ticket, now);
	if (!ticket.resolvedAt && resolutionDue && !isWaiting(ticket) && past(resolutionDue)) {
		missed.push({ kind: 'resolution', dueAt: resolutionDue.toISOString() });
	}
	return missed;
}

/** Which SLA target a ticket has missed at `now`, the first response first (see missedTargets for all of them). */
export function missedTarget(ticket: OpenTicket, now: Date): { kind: BreachKind; dueAt: string } | undefined {
	return missedTargets(ticket, now)[0];
}

/**
 * The tier a case is escalated as: the item's own tier when it names one (the helpdesk knows best), else the
 * store's from the customer's profile (the same for every ticket of one customer), else regular.
 */
export function caseTier(itemTier: CustomerTier | undefined, fromStore: { tier: CustomerTier; reason: string } | undefined): { tier: CustomerTier; source: 'item' | 'shopify' | 'default'; reasons: string[] } {
	if (itemTier) return { tier: itemTier, source: 'item', reasons: [] };
	if (fromStore) return { tier: fromStore.tier, source: 'shopify', reasons: [fromStore.reason] };
	return { tier: 'regular', source: 'default', reasons: [] };
}

export type SlaStep =
	| { action: 'climb'; level: EscalationLevel; breach: { kind: BreachKind; dueAt: string }; reason: string }
	| { action: 'hold'; breach: { kind: BreachKind; dueAt: string }; reason: string };

/**
 * What the SLA sweep does with an open ticket at `now`, one step per missed target: each missed target (first
 * response, resolution) climbs one level of its own, whether or not the other target was met, so a ticket never
 * answered and past both targets climbs twice, the first response first, never past level 3. A target escalated
 * before is held: a ticket still overdue at the next sweep is not paged up again for the same breach.
 * `unfinished` names the breaches whose escalation was recorded at a level but not carried out (a failed email
 * or tag): they are taken up again at that level, so the sweep finishes them instead of holding them forever.
 */
export function slaSteps(
	ticket: OpenTicket & { escalationLevel: number },
	escalatedReasons: ReadonlySet<string>,
	now: Date,
	unfinished: ReadonlyMap<string, number> = new Map(),
): SlaStep[] {
	const steps: SlaStep[] = [];
	let level = Math.max(0, Math.floor(ticket.escalationLevel));
	for (const breach of missedTargets(ticket, now)) {
		const reason = `sla_breach:${breach.kind}`;
		const recorded = unfinished.get(reason);
		if (recorded !== undefined && recorded >= 1 && recorded <= 3) {
			steps.push({ action: 'climb', level: recorded as EscalationLevel, breach, reason });
			level = Math.max(level, recorded);
			continue;
		}
		if (escalatedReasons.has(reason)) {
			steps.push({ action: 'hold', breach, reason: `already_escalated_for:${reason}` });
			continue;
		}
		const next = nextLevelForBreach(level);
		if (!next) continue;
		steps.push({ action: 'climb', level: next, breach, reason });
		level = next;
	}
	return steps;
}

/**
 * The reasons a ledger row carries once an escalation is carried out on it: those it was recorded with, then
 * the escalation's own it lacks. One row serves a ticket and level, so the sweep can finish a row the Escalate
 * operation recorded (its email failed) at the level a breach climbs to; the breach must be written on it, or
 * the next sweep, not finding the breach escalated, pages the level above for it.
 */
export function ledgerReasons(recorded: readonly string[] | null | undefined, carriedOut: readonly string[]): string[] {
	const reasons = [...(recorded ?? [])];
	for (const reason of carriedOut) if (!reasons.includes(reason)) reasons.push(reason);
	return reasons;
}

/**
 * The sweep's first step for a ticket (see slaSteps for every step): the first climb, else the first hold;
 * undefined when no target is missed or the ticket cannot climb.
 */
export function slaClimb(
	ticket: OpenTicket & { escalationLevel: number },
	escalatedReasons: ReadonlySet<string>,
	now: Date,
): SlaStep | undefined {
	const steps = slaSteps(ticket, escalatedReasons, now);
	return steps.find((step) => step.action === 'climb') ?? steps[0];
}

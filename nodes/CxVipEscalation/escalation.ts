/**
 * The escalation decision: (case, policy) -> escalate or not, at which level, and why. Pure: no n8n, no
 * I/O. A case is what any ticket source can say: tier, priority, threats and the order's value.
 */
import type { CustomerTier, Priority } from '../shared/contract/request';
import { isOver, moneyFromDecimal, type Money } from '../shared/money';
import { ESCALATION_LEVELS, ESCALATION_POLICY } from '../shared/policy';

export type EscalationLevel = 1 | 2 | 3;

export interface EscalationCase {
	tier: CustomerTier;
	priority: Priority;
	/** Threat kinds from the ticket's words: chargeback, dispute, legal, regulator, public_review, ... */
	threats: string[];
	orderValue?: Money;
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
	const vip = rules.escalateVip && escalationCase.tier === 'vip';
	if (vip) reasons.push('tier_vip');
	if (rules.escalateUrgent && escalationCase.priority === 'urgent') reasons.push('priority_urgent');
	const threats = rules.escalateThreatening ? escalationCase.threats : [];
	if (threats.length) reasons.push(`threatening_language:${threats.join('+')}`);
	const limit = rules.escalateOrderValueOver;
	const value = escalationCase.orderValue;
	const overLimit = (multiple: number) => limit > 0 && value !== undefined && isOver(value, moneyFromDecimal(limit * multiple, value.currency));
	if (overLimit(1)) reasons.push(`order_value_over_${limit}`);
	if (!reasons.length) return { escalate: false, reasons: ['no_escalation_rule_met'] };

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

export interface OpenTicket {
	firstResponseDueAt?: string | null;
	firstRespondedAt?: string | null;
	resolutionDueAt?: string | null;
	resolvedAt?: string | null;
}

/** Which SLA target a ticket has missed at `now`, the first response first. */
export function missedTarget(ticket: OpenTicket, now: Date): { kind: BreachKind; dueAt: string } | undefined {
	const past = (due?: string | null) => !!due && new Date(due).getTime() < now.getTime();
	if (!ticket.firstRespondedAt && past(ticket.firstResponseDueAt)) return { kind: 'first_response', dueAt: new Date(ticket.firstResponseDueAt!).toISOString() };
	if (!ticket.resolvedAt && past(ticket.resolutionDueAt)) return { kind: 'resolution', dueAt: new Date(ticket.resolutionDueAt!).toISOString() };
	return undefined;
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

/**
 * What the SLA sweep does with an open ticket at `now`: nothing (no target missed, or already at level 3), climb
 * one level for the target it missed, or hold it, because that breach was escalated before: one climb per missed
 * target, so a ticket still overdue at the next sweep is not paged up again for the same breach.
 */
export function slaClimb(
	ticket: OpenTicket & { escalationLevel: number },
	escalatedReasons: ReadonlySet<string>,
	now: Date,
): { action: 'climb'; level: EscalationLevel; breach: { kind: BreachKind; dueAt: string }; reason: string } | { action: 'hold'; breach: { kind: BreachKind; dueAt: string }; reason: string } | undefined {
	const breach = missedTarget(ticket, now);
	const level = nextLevelForBreach(ticket.escalationLevel);
	if (!breach || !level) return undefined;
	const reason = `sla_breach:${breach.kind}`;
	return escalatedReasons.has(reason) ? { action: 'hold', breach, reason: `already_escalated_for:${reason}` } : { action: 'climb', level, breach, reason };
}

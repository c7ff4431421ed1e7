import { moneyFromDecimal } from '../../../../nodes/shared/money';
import { caseTier, DEFAULT_ESCALATION_POLICY, decideEscalation, missedTarget, nextLevelForBreach, slaClimb, type EscalationCase } from '../../../../nodes/CxVipEscalation/escalation';

const decide = (change: Partial<EscalationCase>) =>
	decideEscalation({ tier: 'regular', priority: 'medium', threats: [], ...change }, DEFAULT_ESCALATION_POLICY);

describe('escalation rules (seeds/000: escalate VIP customer issues immediately; DESIGN.md)', () => {
	it('does not escalate a regular, medium, calm ticket, and says why', () => {
		expect(decide({})).toEqual({ escalate: false, reasons: ['no_escalation_rule_met'] });
	});

	it.each([
		[{ tier: 'vip' as const }, ['tier_vip'], 1],
		[{ priority: 'urgent' as const }, ['priority_urgent'], 1],
		[{ orderValue: moneyFromDecimal('500.01', 'USD') }, ['order_value_over_500'], 1],
		[{ orderValue: moneyFromDecimal('2000.01', 'USD') }, ['order_value_over_500'], 2],
		[{ threats: ['chargeback'] }, ['threatening_language:chargeback'], 2],
		[{ threats: ['public_review'] }, ['threatening_language:public_review'], 2],
		[{ threats: ['legal'] }, ['threatening_language:legal'], 3],
		[{ tier: 'vip' as const, priority: 'urgent' as const }, ['tier_vip', 'priority_urgent'], 2],
		[{ tier: 'vip' as const, threats: ['public_review'] }, ['tier_vip', 'threatening_language:public_review'], 3],
	])('%j -> %j at level %i', (change, reasons, level) => {
		const decision = decide(change);
		expect(decision).toMatchObject({ escalate: true, reasons, level });
	});

	it('an order of exactly $500 does not escalate; the rule can be turned off', () => {
		expect(decide({ orderValue: moneyFromDecimal('500.00', 'USD') }).escalate).toBe(false);
		const off = { ...DEFAULT_ESCALATION_POLICY, rules: { ...DEFAULT_ESCALATION_POLICY.rules, escalateVip: false } };
		expect(decideEscalation({ tier: 'vip', priority: 'low', threats: [] }, off).escalate).toBe(false);
	});

	it('every level carries the reason for its level', () => {
		const decision = decide({ threats: ['legal', 'chargeback'] });
		expect(decision).toMatchObject({ level: 3, levelReason: 'level_3:legal_threat' });
	});
});

describe('SLA breach sweep', () => {
	const now = new Date('2026-11-20T12:00:00Z');

	it('climbs one level, never past 3', () => {
		expect([0, 1, 2, 3].map(nextLevelForBreach)).toEqual([1, 2, 3, undefined]);
	});

	it('finds the missed target: first response before resolution, neither once answered or solved', () => {
		expect(missedTarget({ firstResponseDueAt: '2026-11-20T11:00:00Z', resolutionDueAt: '2026-11-20T11:30:00Z' }, now)).toEqual({ kind: 'first_response', dueAt: '2026-11-20T11:00:00.000Z' });
		expect(missedTarget({ firstResponseDueAt: '2026-11-20T11:00:00Z', firstRespondedAt: '2026-11-20T10:00:00Z', resolutionDueAt: '2026-11-20T11:30:00Z' }, now)).toEqual({ kind: 'resolution', dueAt: '2026-11-20T11:30:00.000Z' });
		expect(missedTarget({ firstResponseDueAt: '2026-11-20T13:00:00Z', resolutionDueAt: '2026-11-21T11:30:00Z' }, now)).toBeUndefined();
		expect(missedTarget({ firstResponseDueAt: '2026-11-20T11:00:00Z', firstRespondedAt: '2026-11-20T10:59:00Z', resolutionDueAt: '2026-11-20T11:30:00Z', resolvedAt: '2026-11-20T11:29:00Z' }, now)).toBeUndefined();
	});
});

describe('the tier a case is escalated as', () => {
	it('takes the item\'s tier first, then the store\'s with its reason, else regular', () => {
		const store = { tier: 'vip' as const, reason: 'tier_vip:tag_VIP' };
		expect(caseTier('premium', store)).toEqual({ tier: 'premium', source: 'item', reasons: [] });
		expect(caseTier(undefined, store)).toEqual({ tier: 'vip', source: 'shopify', reasons: ['tier_vip:tag_VIP'] });
		expect(caseTier(undefined, undefined)).toEqual({ tier: 'regular', source: 'default', reasons: [] });
	});
});

describe('the SLA sweep climbs once per missed target', () => {
	const now = new Date('2026-11-20T12:00:00Z');
	const late = { firstResponseDueAt: '2026-11-20T10:00:00Z', resolutionDueAt: '2026-11-22T09:00:00Z', escalationLevel: 0 };
	it('climbs one level for the first target missed', () => {
		expect(slaClimb(late, new Set(), now)).toEqual({ action: 'climb', level: 1, breach: { kind: 'first_response', dueAt: '2026-11-20T10:00:00.000Z' }, reason: 'sla_breach:first_response' });
	});
	it('holds a ticket already escalated for that breach, and climbs again for the next one', () => {
		expect(slaClimb({ ...late, escalationLevel: 1 }, new Set(['sla_breach:first_response']), now)).toMatchObject({ action: 'hold', reason: 'already_escalated_for:sla_breach:first_response' });
		const answeredButUnresolved = { ...late, firstRespondedAt: '2026-11-20T11:00:00Z', resolutionDueAt: '2026-11-20T11:30:00Z', escalationLevel: 1 };
		expect(slaClimb(answeredButUnresolved, new Set(['sla_breach:first_response']), now)).toMatchObject({ action: 'climb', level: 2, reason: 'sla_breach:resolution' });
	});
	it('does nothing for a ticket on time or already at the top level', () => {
		expect(slaClimb({ ...late, firstResponseDueAt: '2026-11-20T13:00:00Z' }, new Set(), now)).toBeUndefined();
		expect(slaClimb({ ...late, escalationLevel: 3 }, new Set(), now)).toBeUndefined();
	});
});

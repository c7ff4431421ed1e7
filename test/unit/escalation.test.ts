import { moneyFromDecimal } from '../../nodes/shared/money';
import { DEFAULT_ESCALATION_POLICY, decideEscalation, missedTarget, nextLevelForBreach, type EscalationCase } from '../../nodes/CxVipEscalation/escalation';

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

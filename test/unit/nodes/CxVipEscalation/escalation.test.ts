import { moneyFromDecimal } from '../../../../nodes/shared/money';
import { caseTier, DEFAULT_ESCALATION_POLICY, decideEscalation, ledgerReasons, missedTarget, missedTargets, nextLevelForBreach, resolutionDueAt, slaClimb, slaSteps, targetMet, type EscalationCase } from '../../../../nodes/CxVipEscalation/escalation';

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

	it('a VIP\'s praise, feedback or calm question is not escalated for the tier; a threat or an urgent priority still is', () => {
		expect(decide({ tier: 'vip', notAnIssue: 'praise_positive' })).toEqual({ escalate: false, reasons: ['no_escalation_rule_met', 'vip_not_escalated:praise_positive'] });
		expect(decide({ tier: 'regular', notAnIssue: 'praise_positive' })).toEqual({ escalate: false, reasons: ['no_escalation_rule_met'] });
		expect(decide({ tier: 'vip', notAnIssue: 'general_neutral', threats: ['public_review'] })).toMatchObject({ escalate: true, level: 2, reasons: ['threatening_language:public_review'] });
		expect(decide({ tier: 'vip', notAnIssue: 'product_question_neutral', priority: 'urgent' })).toMatchObject({ escalate: true, level: 1, reasons: ['priority_urgent'] });
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

describe('each missed SLA target escalates on its own', () => {
	const now = new Date('2026-11-20T12:00:00Z');
	const neverAnswered = { firstResponseDueAt: '2026-11-20T08:00:00Z', resolutionDueAt: '2026-11-20T11:00:00Z', escalationLevel: 0 };

	it('a ticket nobody answered, past its first-response and its resolution targets, climbs for both: team lead for the first response, director for the resolution', () => {
		expect(slaSteps(neverAnswered, new Set(), now)).toEqual([
			{ action: 'climb', level: 1, breach: { kind: 'first_response', dueAt: '2026-11-20T08:00:00.000Z' }, reason: 'sla_breach:first_response' },
			{ action: 'climb', level: 2, breach: { kind: 'resolution', dueAt: '2026-11-20T11:00:00.000Z' }, reason: 'sla_breach:resolution' },
		]);
		expect(missedTargets(neverAnswered, now).map((breach) => breach.kind)).toEqual(['first_response', 'resolution']);
	});

	it('a ticket nobody answered, escalated for its first response, climbs again once its resolution is overdue too', () => {
		expect(slaSteps({ ...neverAnswered, escalationLevel: 1 }, new Set(['sla_breach:first_response']), now)).toEqual([
			{ action: 'hold', breach: { kind: 'first_response', dueAt: '2026-11-20T08:00:00.000Z' }, reason: 'already_escalated_for:sla_breach:first_response' },
			{ action: 'climb', level: 2, breach: { kind: 'resolution', dueAt: '2026-11-20T11:00:00.000Z' }, reason: 'sla_breach:resolution' },
		]);
		expect(slaClimb({ ...neverAnswered, escalationLevel: 1 }, new Set(['sla_breach:first_response']), now)).toEqual({ action: 'climb', level: 2, breach: { kind: 'resolution', dueAt: '2026-11-20T11:00:00.000Z' }, reason: 'sla_breach:resolution' });
	});

	it('the worst ticket climbs at least as far as one answered late: never answered and past both reaches the level an answered-late one reaches', () => {
		const answeredLate = { ...neverAnswered, firstRespondedAt: '2026-11-20T09:00:00Z' };
		const climbs = (ticket: typeof neverAnswered, escalated: string[]) => slaSteps(ticket, new Set(escalated), now).filter((step) => step.action === 'climb').length;
		// both escalated for the first response at level 1 while unanswered
		expect(climbs({ ...answeredLate, escalationLevel: 1 }, ['sla_breach:first_response'])).toBe(1);
		expect(climbs({ ...neverAnswered, escalationLevel: 1 }, ['sla_breach:first_response'])).toBe(1);
	});

	it('a ticket held for both breaches already escalated is not paged again', () => {
		expect(slaSteps({ ...neverAnswered, escalationLevel: 2 }, new Set(['sla_breach:first_response', 'sla_breach:resolution']), now).map((step) => step.action)).toEqual(['hold', 'hold']);
	});

	it('never climbs past the executive: a ticket at level 2 past both targets climbs once, to level 3', () => {
		expect(slaSteps({ ...neverAnswered, escalationLevel: 2 }, new Set(), now)).toEqual([
			{ action: 'climb', level: 3, breach: { kind: 'first_response', dueAt: '2026-11-20T08:00:00.000Z' }, reason: 'sla_breach:first_response' },
		]);
	});

	it('a VIP\'s ticket whose escalation email failed, then past its first-reply time: the sweep tells the team lead once for it, and the next sweep does not page the director for the same late reply', () => {
		const unanswered = { firstResponseDueAt: '2026-11-20T08:00:00Z', escalationLevel: 0 };
		// the Escalate operation's row at level 1 (reason tier_vip) failed, so the ticket is still at level 0: the sweep climbs to 1, onto that row
		expect(slaSteps(unanswered, new Set(['tier_vip']), now)).toEqual([
			{ action: 'climb', level: 1, breach: { kind: 'first_response', dueAt: '2026-11-20T08:00:00.000Z' }, reason: 'sla_breach:first_response' },
		]);
		// carried out, the row keeps its rule and takes the breach
		const row = ledgerReasons(['tier_vip'], ['sla_breach:first_response']);
		expect(row).toEqual(['tier_vip', 'sla_breach:first_response']);
		expect(slaSteps({ ...unanswered, escalationLevel: 1 }, new Set(row), now)).toEqual([
			{ action: 'hold', breach: { kind: 'first_response', dueAt: '2026-11-20T08:00:00.000Z' }, reason: 'already_escalated_for:sla_breach:first_response' },
		]);
		// a row left with its first reason alone would have the same late reply climb again, to the director
		expect(slaSteps({ ...unanswered, escalationLevel: 1 }, new Set(['tier_vip']), now)[0]).toMatchObject({ action: 'climb', level: 2 });
		// a reason already on the row is not written twice
		expect(ledgerReasons(['sla_breach:first_response'], ['sla_breach:first_response'])).toEqual(['sla_breach:first_response']);
		expect(ledgerReasons(null, ['tier_vip'])).toEqual(['tier_vip']);
	});

	it('an escalation recorded for a breach but never sent (its email failed) is taken up again at its level, not held', () => {
		expect(slaSteps({ ...neverAnswered, escalationLevel: 0 }, new Set(), now, new Map([['sla_breach:first_response', 1]]))).toEqual([
			{ action: 'climb', level: 1, breach: { kind: 'first_response', dueAt: '2026-11-20T08:00:00.000Z' }, reason: 'sla_breach:first_response' },
			{ action: 'climb', level: 2, breach: { kind: 'resolution', dueAt: '2026-11-20T11:00:00.000Z' }, reason: 'sla_breach:resolution' },
		]);
	});
});

describe('waiting on the customer pauses the resolution clock', () => {
	const now = new Date('2026-11-20T12:00:00Z');
	const overdue = { firstResponseDueAt: '2026-11-20T08:00:00Z', firstRespondedAt: '2026-11-20T07:30:00Z', resolutionDueAt: '2026-11-20T10:00:00Z', escalationLevel: 0 };

	it.each(['pending', 'on_hold'])('a ticket %s (waiting on the customer) is not escalated for its resolution', (status) => {
		expect(missedTargets({ ...overdue, status }, now)).toEqual([]);
		expect(slaSteps({ ...overdue, status }, new Set(), now)).toEqual([]);
	});

	it('a pending ticket nobody answered is still escalated for its first response, not for its resolution', () => {
		expect(missedTargets({ ...overdue, firstRespondedAt: null, status: 'pending' }, now)).toEqual([{ kind: 'first_response', dueAt: '2026-11-20T08:00:00.000Z' }]);
	});

	it('a ticket that waited 3 hours on the customer before it was reopened is due 3 hours later: due at 10:00, not overdue at 12:00, overdue after 13:00', () => {
		const reopened = { ...overdue, status: 'open', pausedSeconds: 3 * 3600 };
		expect(resolutionDueAt(reopened, now)!.toISOString()).toBe('2026-11-20T13:00:00.000Z');
		expect(missedTargets(reopened, now)).toEqual([]);
		expect(missedTargets(reopened, new Date('2026-11-20T13:00:01Z'))).toEqual([{ kind: 'resolution', dueAt: '2026-11-20T13:00:00.000Z' }]);
	});

	it('while paused the due time moves on with the clock: paused since 09:00 with an hour waited before, due at 10:00 moves to 14:00 at noon', () => {
		const paused = { ...overdue, status: 'on_hold', pausedSince: '2026-11-20T09:00:00Z', pausedSeconds: 3600 };
		expect(resolutionDueAt(paused, now)!.toISOString()).toBe('2026-11-20T14:00:00.000Z');
		expect(missedTargets(paused, now)).toEqual([]);
	});
});

describe('a store on business hours with holidays', () => {
	const hours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: ['2026-12-24', '2026-12-25'] };
	it('a ticket that waited on the customer over Christmas is due later by the working hours it waited, not by the holidays', () => {
		// due Wednesday 23rd 16:00 Berlin; on hold from 15:00 that day until Monday 28th 09:00 Berlin: 2 working hours waited
		const reopened = { firstResponseDueAt: '2026-12-23T08:00:00Z', firstRespondedAt: '2026-12-23T07:00:00Z', resolutionDueAt: '2026-12-23T15:00:00Z', status: 'open', pausedSeconds: 2 * 3600, businessHours: hours, escalationLevel: 0 };
		// 1 working hour left on Wednesday, then 1 h from Monday 09:00: due Monday 10:00 Berlin (09:00Z)
		expect(resolutionDueAt(reopened, new Date('2026-12-28T08:30:00Z'))!.toISOString()).toBe('2026-12-28T09:00:00.000Z');
		expect(slaSteps(reopened, new Set(), new Date('2026-12-28T08:59:00Z'))).toEqual([]);
		expect(slaSteps(reopened, new Set(), new Date('2026-12-28T09:01:00Z'))).toEqual([{ action: 'climb', level: 1, breach: { kind: 'resolution', dueAt: '2026-12-28T09:00:00.000Z' }, reason: 'sla_breach:resolution' }]);
	});
});

describe('a target met on the minute is met', () => {
	it('a ticket answered exactly at its due time met its first-response target, and the sweep does not escalate it', () => {
		expect(targetMet('2026-11-20T10:00:00Z', '2026-11-20T10:00:00Z')).toBe(true);
		expect(targetMet('2026-11-20T10:00:00Z', '2026-11-20T10:00:01Z')).toBe(false);
		const answeredOnTheMinute = { firstResponseDueAt: '2026-11-20T10:00:00Z', firstRespondedAt: '2026-11-20T10:00:00Z', resolutionDueAt: '2026-11-22T10:00:00Z', escalationLevel: 0 };
		expect(slaSteps(answeredOnTheMinute, new Set(), new Date('2026-11-20T12:00:00Z'))).toEqual([]);
	});

	it('a ticket still unanswered at exactly its due time is not late yet; a second later it is', () => {
		const unanswered = { firstResponseDueAt: '2026-11-20T10:00:00Z', resolutionDueAt: '2026-11-22T10:00:00Z' };
		expect(missedTarget(unanswered, new Date('2026-11-20T10:00:00Z'))).toBeUndefined();
		expect(missedTarget(unanswered, new Date('2026-11-20T10:00:01Z'))).toEqual({ kind: 'first_response', dueAt: '2026-11-20T10:00:00.000Z' });
	});
});

describe('the Escalate Threatening Language option', () => {
	const policy = (escalateThreatening: boolean) => ({ ...DEFAULT_ESCALATION_POLICY, rules: { ...DEFAULT_ESCALATION_POLICY.rules, escalateThreatening } });
	it('a regular customer who threatens a chargeback on a medium ticket reaches the director; switched off, nobody is paged', () => {
		const threat: EscalationCase = { tier: 'regular', priority: 'medium', threats: ['chargeback'] };
		expect(decideEscalation(threat, policy(true))).toEqual({ escalate: true, level: 2, reasons: ['threatening_language:chargeback'], levelReason: 'level_2:chargeback_threat' });
		expect(decideEscalation(threat, policy(false))).toEqual({ escalate: false, reasons: ['no_escalation_rule_met'] });
	});
	it('a VIP who threatens a lawyer reaches the executive; switched off, the team lead hears of the VIP only', () => {
		const threat: EscalationCase = { tier: 'vip', priority: 'high', threats: ['legal'] };
		expect(decideEscalation(threat, policy(true))).toMatchObject({ escalate: true, level: 3 });
		expect(decideEscalation(threat, policy(false))).toEqual({ escalate: true, level: 1, reasons: ['tier_vip'], levelReason: 'level_1:one_rule' });
	});
});

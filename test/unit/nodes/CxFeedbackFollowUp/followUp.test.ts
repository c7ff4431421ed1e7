import { surveyCandidate, ticketCandidate, tryReadFeedbackItem } from '../../../../nodes/CxFeedbackFollowUp/feedbackInput';
import {
	daysLeft,
	daysOverdue,
	dueDate,
	escalationBatches,
	feedbackSummary,
	isFeedbackTicket,
	isUnhappyAnswer,
	ownerFor,
	planFeedback,
	READ_OVERLAP_MS,
	readFrom,
	reminderBatches,
	stageFor,
	SUMMARY_LIMIT,
	type OpenFeedback,
	type OwnerRouting,
} from '../../../../nodes/CxFeedbackFollowUp/followUp';
import { openFeedback } from '../../../../nodes/CxFeedbackFollowUp/followUpRun';
import { filterChunks } from '../../../../nodes/shared/idChunks';
import { isDefiniteRefusal } from '../../../../nodes/shared/services/sendgrid';
import { InputProblem } from '../../../../nodes/shared/items';
import { FEEDBACK_POLICY } from '../../../../nodes/shared/policy';
import { NodeApiError, type INode } from 'n8n-workflow';

const DAY = 86_400_000;
const NOW = new Date('2026-11-25T08:30:00Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const isEmail = (text: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);

const routing: OwnerRouting = {
	defaultOwner: 'feedback-owner@example-store.test',
	byTier: { vip: 'vip-care@example-store.test' },
	byIssueType: { product: 'product@example-store.test', shipping: 'fulfilment@example-store.test' },
};

describe('due dates', () => {
	it('is 30 calendar days after the feedback by default (seeds/000 "Implement feedback within 30 days")', () => {
		expect(FEEDBACK_POLICY).toEqual({ dueDays: 30, remindDaysBefore: 7 });
		expect(dueDate(new Date('2026-11-01T10:15:00Z'), FEEDBACK_POLICY.dueDays).toISOString()).toBe('2026-12-01T10:15:00.000Z');
		// across a month end and a year end, to the minute
		expect(dueDate(new Date('2026-12-20T23:59:00Z'), 30).toISOString()).toBe('2027-01-19T23:59:00.000Z');
	});

	it('counts from when the customer gave the feedback, not from when it was recorded', () => {
		const planned = planFeedback({ source: 'survey', sourceId: 's-1', summary: 'More frame sizes', feedbackAt: new Date('2026-11-10T09:00:00Z') }, routing, FEEDBACK_POLICY, NOW);
		expect(planned.feedbackAt.toISOString()).toBe('2026-11-10T09:00:00.000Z');
		expect(planned.dueAt.toISOString()).toBe('2026-12-10T09:00:00.000Z');
		expect(planned.reasons).toEqual(['owner:default', 'due_in_30_days']);
	});

	it('counts from now when the time is unknown or in the future, and says so', () => {
		const unknown = planFeedback({ source: 'manual', sourceId: 'm-1', summary: 'x' }, routing, FEEDBACK_POLICY, NOW);
		expect(unknown.dueAt).toEqual(at(30 * DAY));
		expect(unknown.reasons[0]).toBe('feedback_time_unknown:counted_from_now');
		const future = planFeedback({ source: 'manual', sourceId: 'm-2', summary: 'x', feedbackAt: at(DAY) }, routing, { dueDays: 14 }, NOW);
		expect(future.dueAt).toEqual(at(14 * DAY));
		expect(future.reasons).toEqual(['feedback_time_in_future:counted_from_now', 'owner:default', 'due_in_14_days']);
	});
});

describe('owners', () => {
	it('takes the item\'s own owner first, then the tier\'s, then the issue type\'s, then the default', () => {
		expect(ownerFor({ owner: 'lena@example-store.test', tier: 'vip', issueType: 'product' }, routing)).toEqual({ owner: 'lena@example-store.test', reason: 'item' });
		expect(ownerFor({ tier: 'vip', issueType: 'product' }, routing)).toEqual({ owner: 'vip-care@example-store.test', reason: 'tier:vip' });
		expect(ownerFor({ tier: 'premium', issueType: 'product' }, routing)).toEqual({ owner: 'product@example-store.test', reason: 'issue_type:product' });
		expect(ownerFor({ tier: 'regular', issueType: 'order' }, routing)).toEqual({ owner: 'feedback-owner@example-store.test', reason: 'default' });
		expect(ownerFor({}, routing)).toEqual({ owner: 'feedback-owner@example-store.test', reason: 'default' });
	});
});

describe('which feedback is recorded', () => {
	it('a survey answer with a comment, as plain text on one line; an empty or blank comment is not feedback', () => {
		const row = { id: 'a1b2', customer_id: 'gid://shopify/Customer/7', type: 'nps', score: 3, comment: '  The frame <b>cracked</b>\n\nin transit & "packaging" was thin  ', tier: 'premium', issue_type: 'shipping', responded_at: '2026-11-20T10:00:00Z', created_at: '2026-11-24T10:00:00Z' };
		expect(surveyCandidate(row, false)).toEqual({
			source: 'survey',
			sourceId: 'a1b2',
			customerId: 'gid://shopify/Customer/7',
			summary: 'The frame <b>cracked</b> in transit & "packaging" was thin',
			feedbackAt: new Date('2026-11-20T10:00:00Z'),
			// stored four days after it was given: the next run reads from the stored time
			sourceChangedAt: new Date('2026-11-24T10:00:00Z'),
			tier: 'premium',
			issueType: 'shipping',
		});
		expect(surveyCandidate({ ...row, comment: ' \n\t ' }, false)).toEqual({ skip: 'empty_comment' });
		expect(surveyCandidate({ ...row, comment: null }, false)).toEqual({ skip: 'empty_comment' });
		// an unknown tier or issue type routes by the default owner, not by a guess
		expect(surveyCandidate({ ...row, tier: 'gold', issue_type: 'other' }, false)).not.toHaveProperty('tier');
	});

	it('with "only unhappy" keeps detractors, CSAT 1-3 and CES 1-4, and answers without a score', () => {
		expect([0, 6, 7, 10].map((score) => isUnhappyAnswer('nps', score))).toEqual([true, true, false, false]);
		expect([1, 3, 4, 5].map((score) => isUnhappyAnswer('csat', score))).toEqual([true, true, false, false]);
		expect([1, 4, 5, 7].map((score) => isUnhappyAnswer('ces', score))).toEqual([true, true, false, false]);
		expect(isUnhappyAnswer('nps', null)).toBe(true);
		expect(isUnhappyAnswer('nps', '9')).toBe(false);
		expect(surveyCandidate({ id: 'p', type: 'nps', score: 10, comment: 'Love it' }, true)).toEqual({ skip: 'satisfied_answer' });
		expect(surveyCandidate({ id: 'p', type: 'nps', score: 10, comment: 'Love it' }, false)).toMatchObject({ source: 'survey', summary: 'Love it' });
	});

	it('a ticket tagged as feedback by triage (intent:feedback) or by a person (feedback), whatever the case', () => {
		expect(isFeedbackTicket(['intent:feedback', 'channel:email'])).toBe(true);
		expect(isFeedbackTicket(['intent:shipping_status', 'intent:feedback'])).toBe(true);
		expect(isFeedbackTicket([' Feedback '])).toBe(true);
		expect(isFeedbackTicket(['intent:praise', 'channel:email'])).toBe(false);
		expect(isFeedbackTicket(null)).toBe(false);
		expect(isFeedbackTicket('intent:feedback')).toBe(false);
		expect(isFeedbackTicket(['voc'], ['voc'])).toBe(true);
		const ticket = { external_id: 'T-9', subject: 'Suggestion', body: 'It would be great if you offered gift wrapping.', customer_id: null, customer_email: 'sam@example-store.test', tags: ['intent:feedback'], ticket_created_at: '2026-11-23T12:00:00Z', tier: 'vip', issue_type: 'general' };
		expect(ticketCandidate(ticket, ['intent:feedback'])).toEqual({
			source: 'ticket',
			sourceId: 'T-9',
			customerId: 'sam@example-store.test',
			summary: 'Suggestion: It would be great if you offered gift wrapping.',
			feedbackAt: new Date('2026-11-23T12:00:00Z'),
			tier: 'vip',
			issueType: 'general',
		});
		expect(ticketCandidate({ ...ticket, tags: ['intent:praise'] }, ['intent:feedback'])).toEqual({ skip: 'not_feedback_ticket' });
	});

	it('summaries: a body that repeats its subject once, and long text cut at a word with an ellipsis', () => {
		expect(feedbackSummary('Gift wrap', 'Gift wrap would be lovely')).toBe('Gift wrap would be lovely');
		expect(feedbackSummary('', 'Only a body')).toBe('Only a body');
		expect(feedbackSummary('Only a subject', '')).toBe('Only a subject');
		const long = feedbackSummary('word '.repeat(600));
		expect(Array.from(long).length).toBeLessThanOrEqual(SUMMARY_LIMIT + 1);
		expect(long.endsWith('word…')).toBe(true);
	});

	it('input items: source, source_id and summary required, owner an email, tier and issue type from their lists', () => {
		expect(tryReadFeedbackItem({ source: 'Review', source_id: 881, summary: ' Colours differ from the photos ', owner: 'lena@example-store.test', tier: 'VIP', issue_type: 'product', feedback_at: '2026-11-20T08:00:00Z', customer_id: 'c-1' })).toEqual({
			source: 'review',
			sourceId: '881',
			summary: 'Colours differ from the photos',
			owner: 'lena@example-store.test',
			tier: 'vip',
			issueType: 'product',
			feedbackAt: new Date('2026-11-20T08:00:00Z'),
			customerId: 'c-1',
		});
		const problems = [
			tryReadFeedbackItem({ source_id: '1', summary: 'x' }),
			tryReadFeedbackItem({ source: 'review', summary: 'x' }),
			tryReadFeedbackItem({ source: 'review', source_id: '1' }),
			tryReadFeedbackItem({ source: 'review', source_id: '1', summary: 'x', owner: 'Lena' }),
			tryReadFeedbackItem({ source: 'review', source_id: '1', summary: 'x', tier: 'gold' }),
			tryReadFeedbackItem({ source: 'review', source_id: '1', summary: 'x', feedback_at: 'yesterday' }),
		];
		expect(problems.every((problem) => problem instanceof InputProblem)).toBe(true);
		expect(problems.map((problem) => (problem as InputProblem).field)).toEqual(['source', 'source_id', 'summary', 'owner', 'tier', 'feedback_at']);
	});
});

describe('which stage applies on which day', () => {
	const item = (dueAt: Date | undefined, extra: Partial<OpenFeedback> = {}): OpenFeedback => ({ id: 'i', source: 'survey', sourceId: 's', summary: 'x', owner: 'o@example-store.test', status: 'open', ...(dueAt ? { dueAt } : {}), ...extra });
	const policy = { remindDaysBefore: 7 };

	it('nothing until 7 days before the due date; a reminder from exactly 7 days before', () => {
		expect(stageFor(item(at(7 * DAY + 1)), NOW, policy)).toEqual({ reason: 'not_due_yet', daysLeft: 7 });
		expect(stageFor(item(at(7 * DAY)), NOW, policy)).toEqual({ stage: 'remind', reason: 'due_in_7_days', daysLeft: 7 });
		expect(stageFor(item(at(6.5 * DAY)), NOW, policy)).toEqual({ stage: 'remind', reason: 'due_in_6_days', daysLeft: 6 });
		expect(stageFor(item(at(DAY)), NOW, policy)).toEqual({ stage: 'remind', reason: 'due_in_1_days', daysLeft: 1 });
	});

	it('at the due instant itself the item is still on time: a reminder, due today', () => {
		expect(stageFor(item(NOW), NOW, policy)).toEqual({ stage: 'remind', reason: 'due_in_0_days', daysLeft: 0 });
	});

	it('a moment after the due date: an escalation, 1 day overdue through the first day', () => {
		expect(stageFor(item(at(-1)), NOW, policy)).toEqual({ stage: 'escalate', reason: 'overdue_1_days', daysOverdue: 1 });
		expect(stageFor(item(at(-DAY)), NOW, policy)).toEqual({ stage: 'escalate', reason: 'overdue_1_days', daysOverdue: 1 });
		expect(stageFor(item(at(-2 * DAY + 1)), NOW, policy)).toEqual({ stage: 'escalate', reason: 'overdue_1_days', daysOverdue: 1 });
		expect(stageFor(item(at(-2 * DAY)), NOW, policy)).toEqual({ stage: 'escalate', reason: 'overdue_2_days', daysOverdue: 2 });
	});

	it('each stage once: a reminded item is not reminded again, an escalated one not escalated again', () => {
		expect(stageFor(item(at(3 * DAY), { remindedAt: at(-DAY) }), NOW, policy)).toEqual({ reason: 'already_reminded', daysLeft: 3 });
		expect(stageFor(item(at(-3 * DAY), { remindedAt: at(-9 * DAY), escalatedAt: at(-2 * DAY) }), NOW, policy)).toEqual({ reason: 'already_escalated', daysOverdue: 3 });
		// reminded before the due date, overdue now: the escalation is next
		expect(stageFor(item(at(-3 * DAY), { remindedAt: at(-9 * DAY) }), NOW, policy).stage).toBe('escalate');
	});

	it('an item overdue before it was ever reminded is escalated only', () => {
		expect(stageFor(item(at(-2 * DAY)), NOW, policy).stage).toBe('escalate');
	});

	it('resolved, closed or undated items have no stage; in progress ones do', () => {
		expect(stageFor(item(at(-DAY), { status: 'resolved' }), NOW, policy)).toEqual({ reason: 'not_open' });
		expect(stageFor(item(at(-DAY), { resolvedAt: at(-1) }), NOW, policy)).toEqual({ reason: 'not_open' });
		expect(stageFor(item(at(-DAY), { status: 'closed' }), NOW, policy)).toEqual({ reason: 'not_open' });
		expect(stageFor(item(undefined), NOW, policy)).toEqual({ reason: 'no_due_date' });
		expect(stageFor(item(at(2 * DAY), { status: 'in_progress' }), NOW, policy).stage).toBe('remind');
	});

	it('0 days before means reminders only on the due day; a longer window reminds earlier', () => {
		expect(stageFor(item(at(1)), NOW, { remindDaysBefore: 0 }).stage).toBeUndefined();
		expect(stageFor(item(NOW), NOW, { remindDaysBefore: 0 }).stage).toBe('remind');
		expect(stageFor(item(at(14 * DAY)), NOW, { remindDaysBefore: 14 }).stage).toBe('remind');
	});

	it('day counts: whole days as a calendar counts them; overdue is at least 1 day once past', () => {
		expect(daysLeft(at(DAY + 1), NOW)).toBe(1);
		expect(daysLeft(at(DAY - 1), NOW)).toBe(0);
		expect(daysLeft(at(-5), NOW)).toBe(0);
		expect(daysOverdue(at(-(3 * DAY)), NOW)).toBe(3);
		expect(daysOverdue(at(-(3 * DAY) + 1), NOW)).toBe(2);
		expect(daysOverdue(NOW, NOW)).toBe(0);
		expect(daysOverdue(at(5), NOW)).toBe(0);
	});

	it('a stored row reads as an open item: dates as dates, owner trimmed, nothing invented', () => {
		expect(openFeedback({ id: 'u1', source: 'ticket', source_id: 'T-1', customer_id: null, summary: 'x', owner: ' o@example-store.test ', status: 'open', due_at: '2026-12-01T10:00:00+00:00', reminded_at: null, escalated_at: null, resolved_at: null })).toEqual({
			id: 'u1',
			source: 'ticket',
			sourceId: 'T-1',
			summary: 'x',
			owner: 'o@example-store.test',
			status: 'open',
			dueAt: new Date('2026-12-01T10:00:00Z'),
		});
	});
});

describe('grouping into emails', () => {
	const escalateTo = ['cx-director@example-store.test', 'manager@example-store.test'];
	const owned = (id: string, owner?: string) => ({ id, ...(owner !== undefined ? { owner } : {}) });

	it('one reminder per owner listing all their items, the owner\'s address case aside', () => {
		const batches = reminderBatches([owned('1', 'Ana@Example-Store.test'), owned('2', 'ben@example-store.test'), owned('3', 'ana@example-store.test'), owned('4', 'ben@example-store.test')], escalateTo, 200, isEmail);
		expect(batches).toEqual([
			{ stage: 'remind', recipients: ['Ana@Example-Store.test'], items: [owned('1', 'Ana@Example-Store.test'), owned('3', 'ana@example-store.test')] },
			{ stage: 'remind', recipients: ['ben@example-store.test'], items: [owned('2', 'ben@example-store.test'), owned('4', 'ben@example-store.test')] },
		]);
	});

	it('items without an owner\'s email go to the escalation recipients in one email of their own', () => {
		const batches = reminderBatches([owned('1', 'ana@example-store.test'), owned('2'), owned('3', 'Ana from support')], escalateTo, 200, isEmail);
		expect(batches).toEqual([
			{ stage: 'remind', recipients: ['ana@example-store.test'], items: [owned('1', 'ana@example-store.test')] },
			{ stage: 'remind', recipients: escalateTo, items: [owned('2'), owned('3', 'Ana from support')], unowned: true },
		]);
	});

	it('a long list is split into emails of at most the given size', () => {
		const items = Array.from({ length: 5 }, (_, index) => owned(String(index), 'ana@example-store.test'));
		expect(reminderBatches(items, escalateTo, 2, isEmail).map((batch) => batch.items.map((item) => item.id))).toEqual([['0', '1'], ['2', '3'], ['4']]);
		expect(escalationBatches(items, escalateTo, 3).map((batch) => [batch.stage, batch.recipients, batch.items.length])).toEqual([
			['escalate', escalateTo, 3],
			['escalate', escalateTo, 2],
		]);
		expect(escalationBatches([], escalateTo, 3)).toEqual([]);
	});
});

describe('SendGrid failures', () => {
	const node = { name: 'CX Feedback Follow-Up', type: 'n8n-nodes-cx-director.cxFeedbackFollowUp', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
	const failure = (httpCode?: string) => new NodeApiError(node, { message: 'x' }, { message: 'SendGrid did not send the email', ...(httpCode ? { httpCode } : {}) });

	it('a 4xx or a gateway 5xx is a refusal (the claim is taken back); a 500 or no answer is unclear (the claim stays)', () => {
		expect(['400', '401', '403', '413', '429', '502', '503', '504'].map((code) => isDefiniteRefusal(failure(code)))).toEqual(Array(8).fill(true));
		expect(isDefiniteRefusal(failure('500'))).toBe(false);
		expect(isDefiniteRefusal(failure())).toBe(false);
	});
});

describe('filterChunks', () => {
	it('keeps a request URL short: at most 100 ids, and about 4000 characters, a filter', () => {
		const uuids = Array.from({ length: 250 }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`);
		expect(filterChunks(uuids).map((chunk) => chunk.length)).toEqual([100, 100, 50]);
		const long = Array.from({ length: 20 }, (_, index) => `${'x'.repeat(499)}${index % 10}`);
		const chunks = filterChunks(long);
		expect(chunks.every((chunk) => chunk.join(',').length <= 4000)).toBe(true);
		expect(chunks.flat()).toEqual(long);
		// one id longer than the limit still goes, alone
		expect(filterChunks(['y'.repeat(5000), 'a'])).toEqual([['y'.repeat(5000)], ['a']]);
		expect(filterChunks([])).toEqual([]);
	});
});

describe('readFrom: a run reads from what it last recorded', () => {
	const now = new Date('2026-03-12T09:00:00.000Z');

	it('the first run (nothing recorded yet) reads its look-back days', () => {
		expect(readFrom(now, 2)).toEqual({ since: new Date('2026-03-10T09:00:00.000Z'), reason: 'look_back' });
	});

	it('after three days without a run, it reads back to the last comment recorded, less an hour', () => {
		expect(READ_OVERLAP_MS).toBe(3_600_000);
		expect(readFrom(now, 2, new Date('2026-03-08T08:50:00.000Z'))).toEqual({ since: new Date('2026-03-08T07:50:00.000Z'), reason: 'catch_up' });
	});

	it('a daily run whose last comment is recent still reads its look-back days', () => {
		expect(readFrom(now, 2, new Date('2026-03-11T20:00:00.000Z'))).toEqual({ since: new Date('2026-03-10T09:00:00.000Z'), reason: 'look_back' });
	});

	it('a last comment recorded after this run\'s Now (a replay of an earlier day) does not count', () => {
		expect(readFrom(now, 2, new Date('2026-03-20T00:00:00.000Z'))).toEqual({ since: new Date('2026-03-10T09:00:00.000Z'), reason: 'look_back' });
	});
});

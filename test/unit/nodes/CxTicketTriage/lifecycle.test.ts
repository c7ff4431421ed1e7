import { foldLifecycle, lifecycleColumns, orderEvents, type HelpdeskEvent } from '../../../../nodes/CxTicketTriage/lifecycle';

let counter = 0;
const at = (time: string) => new Date(`2026-11-02T${time}Z`);
const event = (time: string, kind: HelpdeskEvent['kind'], extra: Partial<HelpdeskEvent> = {}): HelpdeskEvent => ({
	source: 'zendesk',
	eventId: `e${String(++counter).padStart(3, '0')}`,
	ticketId: '35436',
	kind,
	occurredAt: at(time),
	...extra,
});
const status = (time: string, to: HelpdeskEvent['status']) => event(time, 'status_change', { status: to });
/** Every order of a list (for the out-of-order cases). */
const shuffled = (events: HelpdeskEvent[]) => [[...events].reverse(), [...events.slice(3), ...events.slice(0, 3)], [...events].sort((a, b) => (a.eventId < b.eventId ? 1 : -1))];

describe('the ticket lifecycle, folded from its helpdesk events', () => {
	beforeEach(() => {
		counter = 0;
	});

	it('the where-is-my-order reply the pack emailed at 09:01 stays the first response: the helpdesk tells only of a later reply, or of none', () => {
		const pack = at('09:01:00');
		const laterReply = [status('09:00:00', 'open'), event('09:40:00', 'agent_reply'), status('09:40:05', 'solved')];
		expect(foldLifecycle(laterReply, { firstRespondedAt: pack }).firstRespondedAt).toEqual(pack);
		expect(foldLifecycle([status('09:00:00', 'open'), event('09:30:00', 'customer_reply')], { firstRespondedAt: pack }).firstRespondedAt).toEqual(pack);
		// an earlier helpdesk reply (its event late to arrive) is the first response
		expect(foldLifecycle([status('08:50:00', 'open'), event('08:55:00', 'agent_reply')], { firstRespondedAt: pack }).firstRespondedAt).toEqual(at('08:55:00'));
		// without a stored first response the events alone decide
		expect(foldLifecycle(laterReply).firstRespondedAt).toEqual(at('09:40:00'));
	});

	it('a ticket answered, waiting on the customer, answered again and solved: first response at the first public reply, the pending time paused, the wait only while open', () => {
		const events = [
			status('09:00:00', 'open'),
			event('09:05:00', 'assignment', { assignee: 'ana@example-store.test' }),
			event('09:20:00', 'agent_reply'),
			status('09:20:05', 'pending'),
			event('11:00:00', 'customer_reply'),
			event('11:30:00', 'internal_note'),
			event('12:00:00', 'agent_reply'),
			status('12:00:05', 'solved'),
		];
		expect(foldLifecycle(events)).toEqual({
			status: 'solved',
			firstRespondedAt: at('09:20:00'),
			firstResolvedAt: at('12:00:05'),
			resolvedAt: at('12:00:05'),
			requesterWaitSeconds: 1205 + 3605,
			onHoldSeconds: 0,
			pausedSeconds: 5995,
			pausedSince: null,
			agentReplies: 2,
			customerReplies: 1,
			repliesToResolution: 2,
			reopenCount: 0,
			assignee: 'ana@example-store.test',
			lastEventAt: at('12:00:05'),
			eventCount: 8,
		});
		for (const order of shuffled(events)) expect(foldLifecycle(order)).toEqual(foldLifecycle(events));
	});

	it('a webhook delivered twice is one event: the counts and clocks are those of one delivery', () => {
		const events = [status('09:00:00', 'open'), event('09:20:00', 'agent_reply'), status('09:30:00', 'solved')];
		const twice = [...events, ...events.map((copy) => ({ ...copy }))];
		expect(foldLifecycle(twice)).toEqual(foldLifecycle(events));
		expect(foldLifecycle(twice)).toMatchObject({ agentReplies: 1, eventCount: 3, requesterWaitSeconds: 1800 });
	});

	it('a late reply that happened before the solve counts towards the replies to resolution and moves the first response to when it really was, never later', () => {
		const onTime = [status('09:00:00', 'open'), event('10:00:00', 'agent_reply'), status('10:05:00', 'solved')];
		const late = event('09:10:00', 'agent_reply');
		expect(foldLifecycle(onTime)).toMatchObject({ firstRespondedAt: at('10:00:00'), repliesToResolution: 1 });
		expect(foldLifecycle([...onTime, late])).toMatchObject({ firstRespondedAt: at('09:10:00'), repliesToResolution: 2, resolvedAt: at('10:05:00'), status: 'solved' });
	});

	it('an old status change arriving after the solve does not reopen the solved ticket: it happened before the solve', () => {
		const events = [status('09:00:00', 'open'), event('09:20:00', 'agent_reply'), status('09:30:00', 'solved')];
		const late = status('09:25:00', 'pending');
		expect(foldLifecycle([...events, late])).toMatchObject({ status: 'solved', reopenCount: 0, resolvedAt: at('09:30:00'), pausedSeconds: 300, pausedSince: null, requesterWaitSeconds: 1500 });
	});

	it('a customer writing back on a solved ticket reopens it once, even when the helpdesk also sends the status change to open; the resolution is cleared until it is solved again', () => {
		const events = [
			status('09:00:00', 'open'),
			event('09:20:00', 'agent_reply'),
			status('09:30:00', 'solved'),
			event('10:00:00', 'customer_reply'),
			status('10:00:01', 'open'),
			event('10:00:02', 'reopen'),
		];
		expect(foldLifecycle(events)).toMatchObject({ status: 'open', reopenCount: 1, resolvedAt: null, firstResolvedAt: at('09:30:00'), repliesToResolution: 1, customerReplies: 1 });
		const solvedAgain = [...events, event('10:10:00', 'agent_reply'), status('10:15:00', 'solved'), status('12:15:00', 'closed')];
		expect(foldLifecycle(solvedAgain)).toMatchObject({ status: 'closed', reopenCount: 1, resolvedAt: at('10:15:00'), firstResolvedAt: at('09:30:00'), repliesToResolution: 1, agentReplies: 2, requesterWaitSeconds: 1800 + 900 });
	});

	it('each real reopen counts: reopened twice is two reopens', () => {
		const events = [status('09:00:00', 'open'), status('09:10:00', 'solved'), event('09:20:00', 'reopen'), status('09:30:00', 'closed'), event('09:40:00', 'customer_reply')];
		expect(foldLifecycle(events)).toMatchObject({ status: 'open', reopenCount: 2, resolvedAt: null });
	});

	it('on hold counts as time on hold and pauses the resolution clock; the pause in progress is paused_since, the ones that ended paused_seconds', () => {
		const events = [
			status('09:00:00', 'open'),
			status('09:10:00', 'on_hold'),
			event('10:10:00', 'customer_reply'),
			status('11:10:00', 'open'),
			status('11:20:00', 'pending'),
			event('11:50:00', 'assignment', { assignee: 'sam@example-store.test' }),
		];
		expect(foldLifecycle(events)).toMatchObject({
			status: 'pending',
			onHoldSeconds: 7200,
			pausedSeconds: 7200,
			pausedSince: at('11:20:00'),
			requesterWaitSeconds: 600 + 600,
			customerReplies: 1,
		});
	});

	it('a pending ticket whose customer writes back is open again: the wait on the store starts over', () => {
		const events = [status('09:00:00', 'open'), event('09:10:00', 'agent_reply'), status('09:10:00', 'pending'), event('10:10:00', 'customer_reply'), event('10:40:00', 'assignment', { assignee: null })];
		expect(foldLifecycle(events)).toMatchObject({ status: 'open', pausedSeconds: 3600, pausedSince: null, requesterWaitSeconds: 600 + 1800, assignee: null });
	});

	it('an internal note is no first response', () => {
		expect(foldLifecycle([status('09:00:00', 'open'), event('09:05:00', 'internal_note')])).toMatchObject({ firstRespondedAt: null, agentReplies: 0, repliesToResolution: null });
	});

	it('the assignee is the latest assignment in time, whatever order they arrive in', () => {
		const first = event('09:05:00', 'assignment', { assignee: 'ana@example-store.test' });
		const second = event('09:50:00', 'assignment', { assignee: 'sam@example-store.test' });
		expect(foldLifecycle([second, first]).assignee).toBe('sam@example-store.test');
	});

	it('the wait starts at the ticket\'s created time when it is earlier than its first event', () => {
		expect(foldLifecycle([event('09:30:00', 'agent_reply')], { createdAt: at('09:00:00') })).toMatchObject({ requesterWaitSeconds: 1800, firstRespondedAt: at('09:30:00') });
		expect(foldLifecycle([event('09:30:00', 'agent_reply')], { createdAt: at('10:00:00') })).toMatchObject({ requesterWaitSeconds: 0 });
	});

	it('events at the same second are ordered by their event id, so every fold of them agrees', () => {
		const a = { ...status('09:00:00', 'solved'), eventId: 'a' };
		const b = { ...event('09:00:00', 'customer_reply'), eventId: 'b' };
		expect(orderEvents([b, a]).map((one) => one.eventId)).toEqual(['a', 'b']);
		expect(foldLifecycle([b, a])).toMatchObject({ status: 'open', reopenCount: 1 });
	});

	it('writes the columns of the ticket row', () => {
		const lifecycle = foldLifecycle([status('09:00:00', 'open'), event('09:20:00', 'agent_reply'), status('09:30:00', 'pending')]);
		expect(lifecycleColumns(lifecycle)).toEqual({
			status: 'pending',
			first_responded_at: '2026-11-02T09:20:00.000Z',
			first_resolved_at: null,
			resolved_at: null,
			requester_wait_seconds: 1800,
			on_hold_seconds: 0,
			paused_seconds: 0,
			paused_since: '2026-11-02T09:30:00.000Z',
			agent_replies: 1,
			customer_replies: 0,
			replies_to_resolution: null,
			reopen_count: 0,
			assignee: null,
			last_event_at: '2026-11-02T09:30:00.000Z',
			event_count: 3,
		});
	});
});

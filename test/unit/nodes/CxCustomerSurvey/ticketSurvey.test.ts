import { DEFAULT_TICKET_SURVEY_POLICY, isSpamOrMergedTag, planTicketSurveys, solveWindow, type SolvedTicket, type TicketSurveyPolicy } from '../../../../nodes/CxCustomerSurvey/ticketSurvey';
import { planSurveys, type KnownInvite } from '../../../../nodes/CxCustomerSurvey/survey';
import { solvedTicketFromRow } from '../../../../nodes/CxCustomerSurvey/actions/askAfterSupport.operation';
import { renderAnswerPage, renderSurveyEmail, surveySubstitutions } from '../../../../nodes/CxCustomerSurvey/surveyEmail';

const now = new Date('2026-10-20T11:00:00Z');
const policy: TicketSurveyPolicy = DEFAULT_TICKET_SURVEY_POLICY;

function ticket(ticketId: string, resolvedAt: string | undefined, overrides: Partial<SolvedTicket> = {}): SolvedTicket {
	return {
		ticketId,
		status: 'solved',
		...(resolvedAt ? { resolvedAt } : {}),
		customerId: `gid://shopify/Customer/${ticketId}`,
		email: `buyer.${ticketId}@example-store.test`,
		subject: 'Where is my parcel?',
		agent: 'maria@example-store.test',
		tags: [],
		...overrides,
	};
}

const decide = (tickets: SolvedTicket[], invites: KnownInvite[] = [], with_: Partial<TicketSurveyPolicy> = {}, lastAsked?: Date) => planTicketSurveys(tickets, invites, { ...policy, ...with_ }, now, lastAsked);
const reasonsOf = (tickets: SolvedTicket[], invites: KnownInvite[] = [], with_: Partial<TicketSurveyPolicy> = {}) => decide(tickets, invites, with_).decisions.map((decision) => [decision.ticket.ticketId, decision.survey, decision.reasons]);

describe('satisfaction after support: the policy', () => {
	it('asks 24 hours after the solve (Zendesk\'s default), catches up a week and shares the 30-day survey throttle', () => {
		expect(DEFAULT_TICKET_SURVEY_POLICY).toEqual({ hoursAfterSolve: 24, catchUpDays: 7, throttleDays: 30, skipTags: [] });
		expect(solveWindow(now, policy)).toEqual({ from: new Date('2026-10-12T11:00:00Z'), to: new Date('2026-10-19T11:00:00Z') });
	});

	it('after 12 days without a run, the window reaches back to the latest solve asked about, less an hour', () => {
		expect(solveWindow(now, policy, new Date('2026-10-05T08:00:00Z'))).toEqual({ from: new Date('2026-10-05T07:00:00Z'), to: new Date('2026-10-19T11:00:00Z'), catchUp: true });
		// a solve asked about as of a later Now (a replay) does not count
		expect(solveWindow(now, policy, new Date('2026-10-19T12:00:00Z'))).toEqual({ from: new Date('2026-10-12T11:00:00Z'), to: new Date('2026-10-19T11:00:00Z') });
	});
});

describe('satisfaction after support: who is asked', () => {
	it('a ticket solved yesterday morning gets one CSAT question to its customer', () => {
		const { decisions, summary } = decide([ticket('T-1', '2026-10-19T09:00:00Z')]);
		expect(decisions.map((decision) => [decision.survey, decision.resume, decision.reasons])).toEqual([[true, false, ['solved:2026-10-19', 'ask:csat_after_support']]]);
		expect(summary).toEqual({ tickets: 1, solvedInWindow: 1, toSurvey: 1, skipped: {} });
	});

	it('a closed ticket is asked about as a solved one; an open, pending or on-hold one is not', () => {
		expect(reasonsOf([
			ticket('closed', '2026-10-18T09:00:00Z', { status: 'closed' }),
			ticket('open', '2026-10-18T09:00:00Z', { status: 'open' }),
			ticket('pending', undefined, { status: 'pending' }),
			ticket('hold', undefined, { status: 'on_hold' }),
		])).toEqual([
			['closed', true, ['solved:2026-10-18', 'ask:csat_after_support']],
			['open', false, ['not_solved:open']],
			['pending', false, ['not_solved:pending']],
			['hold', false, ['not_solved:on_hold']],
		]);
	});

	it('a ticket solved an hour ago waits for the 24 hours; one solved two weeks ago is not asked about', () => {
		expect(reasonsOf([ticket('recent', '2026-10-20T10:00:00Z'), ticket('old', '2026-10-06T10:00:00Z'), ticket('undated', undefined)])).toEqual([
			['recent', false, ['solved_too_recently:1h_ago']],
			['old', false, ['solved_before_window:14d_ago']],
			['undated', false, ['no_resolved_at']],
		]);
	});

	it('a ticket closed as spam, or merged into another, is never asked about, whatever the helpdesk calls the tag', () => {
		const tagged = (id: string, tags: string[]) => ticket(id, '2026-10-19T09:00:00Z', { tags, customerId: `c-${id}`, email: `${id}@example-store.test` });
		const { decisions, summary } = decide([
			tagged('spam', ['Spam']),
			tagged('marked', ['vip', 'marked-as-spam']),
			tagged('merged', ['merged']),
			tagged('into', ['merged_into_4821']),
			tagged('zendesk', ['closed_by_merge']),
			tagged('real', ['shipping', 'spammy-looking-but-real']),
		]);
		expect(decisions.map((decision) => [decision.ticket.ticketId, decision.survey, decision.reasons[1]])).toEqual([
			['spam', false, 'spam_or_merged:Spam'],
			['marked', false, 'spam_or_merged:marked-as-spam'],
			['merged', false, 'spam_or_merged:merged'],
			['into', false, 'spam_or_merged:merged_into_4821'],
			['zendesk', false, 'spam_or_merged:closed_by_merge'],
			['real', true, 'ask:csat_after_support'],
		]);
		expect(summary.skipped).toEqual({ spam_or_merged: 5 });
		expect(['emerge', 'spammy', 'merger'].map(isSpamOrMergedTag)).toEqual([false, false, false]);
	});

	it('a store that tags tickets "no_csat" keeps them out with Skip Tags', () => {
		expect(reasonsOf([ticket('T-9', '2026-10-19T09:00:00Z', { tags: ['NO_CSAT'] })], [], { skipTags: ['no_csat'] })).toEqual([['T-9', false, ['solved:2026-10-19', 'skip_tag:NO_CSAT']]]);
	});

	it('a customer asked about an order last week is not asked about their ticket: one survey per customer in 30 days, of any kind', () => {
		const asked: KnownInvite = { orderId: 'gid://shopify/Order/7', type: 'csat', status: 'sent', customerId: 'gid://shopify/Customer/T-2', sentAt: '2026-10-13T11:00:00Z' };
		expect(reasonsOf([ticket('T-2', '2026-10-19T09:00:00Z')], [asked])).toEqual([['T-2', false, ['solved:2026-10-19', 'throttled:surveyed_2026-10-13:within_30d']]]);
		// and by email, when the ticket knows the customer by email only
		const byEmail: KnownInvite = { orderId: 'o', type: 'nps', status: 'sent', customerEmail: 'buyer.t-3@example-store.test', sentAt: '2026-10-01T11:00:00Z' };
		expect(reasonsOf([ticket('T-3', '2026-10-19T09:00:00Z', { customerId: undefined, email: 'Buyer.T-3@example-store.test' })], [byEmail])[0][1]).toBe(false);
		// asked 31 days ago: asked again
		expect(reasonsOf([ticket('T-2', '2026-10-19T09:00:00Z')], [{ ...asked, sentAt: '2026-09-19T10:00:00Z' }])[0][1]).toBe(true);
	});

	it('a customer with two tickets solved this week is asked about the first one solved only', () => {
		const two = [ticket('B', '2026-10-18T09:00:00Z', { customerId: 'c-1' }), ticket('A', '2026-10-15T09:00:00Z', { customerId: 'c-1', email: 'other@example-store.test' })];
		expect(reasonsOf(two)).toEqual([
			['B', false, ['solved:2026-10-18', 'throttled:another_ticket_this_run']],
			['A', true, ['solved:2026-10-15', 'ask:csat_after_support']],
		]);
	});

	it('a ticket already asked about is not asked again', () => {
		const own: KnownInvite = { orderId: '', ticketId: 'T-4', type: 'csat', status: 'sent', customerId: 'gid://shopify/Customer/T-4', sentAt: '2026-10-19T12:00:00Z' };
		expect(reasonsOf([ticket('T-4', '2026-10-19T09:00:00Z')], [own])).toEqual([['T-4', false, ['solved:2026-10-19', 'already_surveyed:sent']]]);
		// its invitation recorded but never sent (a run stopped): it is sent now, as the same invitation
		const { decisions } = decide([ticket('T-4', '2026-10-19T09:00:00Z')], [{ ...own, status: 'pending', sentAt: undefined, createdAt: '2026-10-19T12:00:00Z' }]);
		expect(decisions.map((decision) => [decision.survey, decision.resume, decision.reasons])).toEqual([[true, true, ['solved:2026-10-19', 'resume:invite_recorded_not_sent']]]);
	});

	it('a ticket solved, asked about, reopened and solved again is still asked once', () => {
		// asked after the first solve on 10-12; reopened on 10-14, solved again on 10-18
		const own: KnownInvite = { orderId: '', ticketId: 'T-5', type: 'csat', status: 'sent', customerId: 'gid://shopify/Customer/T-5', sentAt: '2026-10-13T12:00:00Z' };
		expect(reasonsOf([ticket('T-5', '2026-10-18T09:00:00Z')], [own])).toEqual([['T-5', false, ['solved:2026-10-18', 'already_surveyed:sent']]]);
		// reopened before it was asked: not asked while open, asked once after the second solve
		expect(reasonsOf([ticket('T-6', '2026-10-12T09:00:00Z', { status: 'open' })])).toEqual([['T-6', false, ['not_solved:open']]]);
		expect(reasonsOf([ticket('T-6', '2026-10-18T09:00:00Z')])).toEqual([['T-6', true, ['solved:2026-10-18', 'ask:csat_after_support']]]);
	});

	it('a service message about their own ticket: customers who never chose marketing email are asked, those who opted out never; without an email nobody', () => {
		expect(reasonsOf([
			ticket('never', '2026-10-19T09:00:00Z'),
			ticket('pending', '2026-10-19T09:00:00Z', { marketingConsent: 'PENDING' }),
			ticket('out', '2026-10-19T09:00:00Z', { marketingConsent: 'UNSUBSCRIBED' }),
			ticket('none', '2026-10-19T09:00:00Z', { email: undefined }),
		]).map(([id, survey, reasons]) => [id, survey, (reasons as string[])[1]])).toEqual([
			['never', true, 'ask:csat_after_support'],
			['pending', true, 'ask:csat_after_support'],
			['out', false, 'consent_unsubscribed'],
			['none', false, 'no_email'],
		]);
	});

	it('a ticket\'s invitation never counts as the post-purchase invitation of an order, and still throttles its customer there', () => {
		const ticketInvite: KnownInvite = { orderId: '', ticketId: 'T-7', type: 'csat', status: 'sent', customerId: 'c-7', sentAt: '2026-10-18T11:00:00Z' };
		const order = { orderId: 'o-7', customerId: 'c-7', email: 'x@example-store.test', deliveredAt: '2026-10-15T09:00:00Z', marketingConsent: 'SUBSCRIBED' };
		const { decisions } = planSurveys([order], [ticketInvite], 'csat', { daysAfterDelivery: 3, catchUpDays: 7, throttleDays: 30, consent: 'subscribed' }, now);
		expect(decisions[0].reasons).toEqual(['delivered:2026-10-15:5d_ago', 'throttled:surveyed_2026-10-18:within_30d']);
	});
});

describe('satisfaction after support: the ticket row and the email', () => {
	it('reads a tickets row: the assignee is the agent, tags as stored', () => {
		expect(solvedTicketFromRow({ external_id: 'ZD-1', status: 'solved', resolved_at: '2026-10-19T09:00:00+00:00', customer_id: null, customer_email: 'a@example-store.test', subject: 'Refund', assignee: 'maria', tags: ['refund'], order_id: null, tier: 'vip', channel: 'email' })).toEqual({
			ticketId: 'ZD-1', status: 'solved', resolvedAt: '2026-10-19T09:00:00+00:00', email: 'a@example-store.test', subject: 'Refund', agent: 'maria', tags: ['refund'], tier: 'vip', channel: 'email',
		});
		expect(solvedTicketFromRow({ external_id: 12, status: 'closed', tags: null })).toEqual({ ticketId: '12', status: 'closed', tags: [] });
		// a Shopify customer number is the customer the post-purchase survey knows by GID: one throttle for both
		expect(solvedTicketFromRow({ external_id: 'ZD-2', status: 'solved', customer_id: '1001', tags: [] }).customerId).toBe('gid://shopify/Customer/1001');
		expect(solvedTicketFromRow({ external_id: 'ZD-3', status: 'solved', customer_id: 'gid://shopify/Customer/1001', tags: [] }).customerId).toBe('gid://shopify/Customer/1001');
	});

	it('asks about the help with the request named, the subject escaped in HTML', () => {
		const body = renderSurveyEmail('csat', 'https://n8n.example.com/webhook/cx-survey', { storeName: 'Example Store', about: 'ticket' });
		expect(body.subject).toBe('Your request{{cx_order}}: how did we do?');
		expect(body.text).toContain('How satisfied are you with the help you received?');
		expect(body.text).toContain('Thank you for contacting Example Store. Your request{{cx_order}} is solved, and we would love to know how we helped.');
		expect(body.html).not.toContain('your order');
		expect(surveySubstitutions({ token: 'k3m7q2w5x4z6cavazbtdnrsy', ticketSubject: 'Box <damaged>' })).toMatchObject({ cx_order: ' "Box <damaged>"', cx_order_html: ' &quot;Box &lt;damaged&gt;&quot;' });
		// the post-purchase email is as before
		expect(renderSurveyEmail('csat', 'https://n8n.example.com/webhook/cx-survey', {}).subject).toBe('Thank you for your order{{cx_order}}: how did we do?');
		expect(renderAnswerPage({ type: 'csat', score: 4, token: 'k3m7q2w5x4z6cavazbtdnrsy', about: 'ticket' })).toContain('How satisfied are you with the help you received?');
	});
});

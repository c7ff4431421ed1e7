import { triageModel } from '../../../../nodes/CxTicketTriage/triageModel';
import { modelFromFile } from '../../../../nodes/CxTicketTriage/learnedModel';
import { customerWords, sentimentOf, threatsIn, urgencyIn } from '../../../../nodes/CxTicketTriage/language';
import { moneyFromDecimal } from '../../../../nodes/shared/money';
import { DEFAULT_TRIAGE_POLICY, triageTicket } from '../../../../nodes/CxTicketTriage/triage';
import type { Ticket } from '../../../../nodes/shared/contract/ticket';
import { tierFromProfile, type CustomerProfile } from '../../../../nodes/shared/contract/customer';

const now = new Date('2026-11-02T10:00:00Z');
const ticket = (overrides: Partial<Ticket>): Ticket => ({
	ticketId: 'T-1',
	subject: '',
	body: '',
	channel: 'email',
	customerEmail: 'sam.sample@example-store.test',
	createdAt: new Date('2026-11-02T09:00:00Z'),
	...overrides,
});
const profile = (spend: string, tags: string[] = [], orders = 3): CustomerProfile => ({
	customerId: 'gid://shopify/Customer/1',
	lifetimeSpend: moneyFromDecimal(spend, 'USD'),
	orderCount: orders,
	tags,
});
const triage = (overrides: Partial<Ticket>, customer?: CustomerProfile) =>
	triageTicket(ticket(overrides), customer, DEFAULT_TRIAGE_POLICY, now);

describe('intent, issue type and resolution', () => {
	it.each([
		['Where is my order?', 'Can you send me the tracking number please?', 'shipping_status', 'shipping', 'information'],
		['Order still not here', 'It has still not arrived, two weeks late.', 'shipping_delay', 'shipping', 'information'],
		['Broken frame', 'The print arrived damaged, the glass is cracked.', 'damaged', 'product', 'replacement'],
		['Wrong print', 'I received the wrong print, not what I ordered.', 'wrong_item', 'order', 'replacement'],
		['Refund', 'I would like a refund for order #1042.', 'refund_request', 'order', 'refund'],
		['Return', 'How do I return it? I need a return label.', 'return_request', 'order', 'refund'],
		['Cancel', 'Please cancel my order, I ordered by mistake.', 'cancellation', 'order', 'refund'],
		['Charged twice', 'I was charged twice for the same order.', 'billing', 'order', 'information'],
		['Sizes', 'What sizes do you offer for the ocean print? Is it available in 24x36?', 'product_question', 'product', 'information'],
	])('%s -> %s', (subject, body, intent, issueType, resolution) => {
		const { request, triage: result } = triage({ subject, body });
		expect(result.intent).toBe(intent);
		expect(result.confidence).not.toBeNull();
		expect(request.customer_details.issue_type).toBe(issueType);
		expect(request.action_parameters.resolution_type).toBe(resolution);
		expect(result.reasons).toContain(`intent_${intent}:${result.confidence}`);
	});

	it('says general with no confidence when nothing is clear, never a guess presented as certain', () => {
		const { request, triage: result } = triage({ subject: 'Hello', body: 'Hi there, quick note about something.' });
		expect(result.intent).toBe('general');
		expect(result.confidence).toBeNull();
		expect(request.customer_details.issue_type).toBe('general');
		expect(result.reasons).toContain('intent_general:no_clear_intent');
	});

	it('names the complaint, not the praise that rides along with it', () => {
		const { triage: result } = triage({ subject: 'Love your shop but', body: 'I love your prints, but this one arrived damaged.' });
		expect(result.intent).toBe('damaged');
	});

	it('a customer who asks for a refund for a damaged item gets refund, with the reason', () => {
		const { request, triage: result } = triage({ subject: 'Damaged', body: 'The frame arrived broken. I want a refund.' });
		expect(result.intent).toBe('damaged');
		expect(request.action_parameters.resolution_type).toBe('refund');
		expect(result.reasons).toContain('resolution_refund:customer_asked_for_refund');
	});

	it('praise alone is feedback, low priority, follow-up optional, positive', () => {
		const { request, triage: result } = triage({ subject: 'Thank you!', body: 'I love it! Beautiful print and great packaging.' });
		expect(result.intent).toBe('praise');
		expect(request.interaction_type).toBe('feedback_analysis');
		expect(request.customer_details.sentiment).toBe('positive');
		expect(request.action_parameters).toEqual({ priority: 'low', resolution_type: 'information', follow_up: 'optional' });
		expect(result.escalate).toBe(false);
	});

	it('ignores quoted history when reading the customer', () => {
		const body = 'Thanks, that works for me.\n\nOn Mon, 2 Nov 2026 at 09:00, Support wrote:\n> Sorry your print arrived damaged and broken, terrible.';
		const { triage: result } = triage({ subject: 'Re: your order', body });
		expect(result.intent).not.toBe('damaged');
		expect(result.sentiment.label).not.toBe('negative');
	});

	it('drops the signature but keeps what the customer still writes after it: a P.S., or a sentence in their own voice', () => {
		const signed = 'Please ship it this week or refund me.\n\nMelissa\n\nSent from my iPhone\n\nAlso I have the chargeback form from my bank right here, I will send it Monday.';
		expect(customerWords(signed)).toBe('Please ship it this week or refund me.\n\nMelissa\n\nAlso I have the chargeback form from my bank right here, I will send it Monday.');
		expect(triage({ subject: 'Where is my order?', body: signed }).triage.flags.threats).toEqual(['chargeback']);
		const titled = 'Could you send the invoice?\n--\nAnna Reyes\nLegal Counsel | Reyes & Calder LLP\nThis email is confidential and intended only for the recipient named above.\nP.S. I will be away next week.';
		expect(customerWords(titled)).toBe('Could you send the invoice?\nP.S. I will be away next week.');
		expect(triage({ subject: 'Invoice', body: titled }).triage.flags.threats).toEqual([]);
		// a reply's header below the signature is the shop's message, not the customer's
		const replied = 'Refund me please.\n--\nAnna\nFrom: Support <help@shop.example>\nWe will refund you once our team has checked the parcel.';
		expect(customerWords(replied)).toBe('Refund me please.');
		// under a sign-off: who signs (a name, a title, a firm) is dropped, a P.S. kept; a sign-off as the first line is a greeting
		const regards = 'Hello,\nCould you send a VAT invoice for order 5521?\n\nKind regards,\nTom Hale\nPartner, Hale & Marsh Solicitors\n12 Mill Lane, Leeds\nPS I will be at the office until six.';
		expect(customerWords(regards)).toBe('Hello,\nCould you send a VAT invoice for order 5521?\n\nKind regards,\nPS I will be at the office until six.');
		expect(triage({ subject: 'VAT invoice', body: regards }).triage.flags.threats).toEqual([]);
		expect(customerWords('Thanks,\nmy order 4410 has not arrived\nJo')).toBe('Thanks,\nmy order 4410 has not arrived\nJo');
	});
});

describe('sentiment and flags', () => {
	it('scores any word: a word that names an object property ("constructor", "toString") is not in the lexicon', () => {
		expect(sentimentOf('the constructor of the toString frame is TERRIBLE')).toBeCloseTo(-4.5 / Math.sqrt(4.5 * 4.5 + 15), 3);
		expect(sentimentOf('constructor hasOwnProperty valueOf')).toBe(0);
	});

	it('weighs an emoji whose feeling is plain as a word, negation included, and passes over the others', () => {
		const normalised = (total: number) => total / Math.sqrt(total * total + 15);
		expect(sentimentOf('where is my parcel 🤬')).toBeCloseTo(normalised(-3.5), 3);
		expect(sentimentOf('the new frames 😻')).toBeCloseTo(normalised(2.5), 3);
		expect(sentimentOf('not ❤️ at all')).toBeCloseTo(normalised(-1.5), 3);
		// used both ways, or no feeling: no score, and no place in the negation's three words
		expect(sentimentOf('the poster 📦 came 😂 😭')).toBe(0);
		expect(sentimentOf('not 📦 happy')).toBe(sentimentOf('not happy'));
	});

	it('scores anger negative and a negated positive negative', () => {
		expect(triage({ body: 'This is terrible, I am furious and very disappointed!!' }).triage.sentiment.score).toBeLessThan(-0.6);
		expect(triage({ body: 'I am not happy with this at all.' }).triage.sentiment.label).toBe('negative');
	});

	it.each([
		['I will file a chargeback with my bank.', 'chargeback'],
		['My lawyer will be in touch.', 'legal'],
		['I will leave a 1-star review on Trustpilot.', 'public_review'],
		['I am going to dispute the charge.', 'dispute'],
	])('"%s" is threatening (%s): urgent and escalated', (body, threat) => {
		const { request, triage: result } = triage({ subject: 'Order', body });
		expect(result.flags.threatening).toBe(true);
		expect(result.flags.threats).toContain(threat);
		expect(request.action_parameters.priority).toBe('urgent');
		expect(request.interaction_type).toBe('escalation');
		expect(result.escalationReasons).toEqual(expect.arrayContaining(['threatening_language', 'priority_urgent']));
	});

	it('urgent words with anger make a ticket urgent; alone they make it high', () => {
		expect(triage({ body: 'I need it by Friday for the wedding, this is so frustrating and unacceptable!' }).triage.priority).toBe('urgent');
		expect(triage({ body: 'Could you check my tracking number asap?' }).triage.priority).toBe('high');
	});
});

describe('tier', () => {
	it('follows the source policy: VIP tag, spend over $1000, premium over $500', () => {
		const tiers = DEFAULT_TRIAGE_POLICY.tiers;
		expect(tierFromProfile(profile('20.00', ['vip']), tiers).tier).toBe('vip');
		expect(tierFromProfile(profile('1000.01'), tiers).tier).toBe('vip');
		expect(tierFromProfile(profile('1000.00'), tiers).tier).toBe('premium');
		expect(tierFromProfile(profile('500.01'), tiers).tier).toBe('premium');
		expect(tierFromProfile(profile('500.00'), tiers).tier).toBe('regular');
	});

	it('takes the tier the ticket carries before the store\'s, and says where it came from', () => {
		expect(triage({ tier: 'premium' }, profile('5000')).triage).toMatchObject({ tier: 'premium', tierSource: 'input' });
		expect(triage({}, profile('5000')).triage).toMatchObject({ tier: 'vip', tierSource: 'shopify' });
		expect(triage({}).triage).toMatchObject({ tier: 'regular', tierSource: 'default' });
	});

	it('a VIP\'s issue escalates (seeds/000: escalate VIP issues immediately) and is at least high; a VIP\'s calm question or thank-you note waits its turn', () => {
		const { triage: issue } = triage({ subject: 'Late', body: 'Where is my order? It should have arrived last week.' }, profile('2400', ['VIP']));
		expect(issue).toMatchObject({ escalate: true, escalationReasons: ['tier_vip'], priority: 'high' });
		const { triage: question } = triage({ subject: 'Sizes', body: 'What sizes do you offer?' }, profile('2400', ['VIP']));
		expect(question).toMatchObject({ escalate: false, escalationReasons: [] });
		expect(question.priority).not.toBe('high');
		expect(question.reasons).toContain('vip_not_escalated:product_question_neutral');
		// read by the learned model, as the node does by default
		const { triage: thanks } = triageTicket(ticket({ subject: 'Thank you', body: 'The print is beautiful, thank you so much!' }), profile('2400', ['VIP']), DEFAULT_TRIAGE_POLICY, now, triageModel());
		expect(thanks).toMatchObject({ intent: 'praise', classifier: 'learned', sentiment: { label: 'positive' }, escalate: false, escalationReasons: [] });
	});

	it('an order over $500 escalates and is at least high; the rule can be turned off', () => {
		const big = { orderValue: moneyFromDecimal('749.00', 'USD'), subject: 'Sizes', body: 'What sizes do you offer?' };
		expect(triage(big).triage).toMatchObject({ escalate: true, priority: 'high', escalationReasons: ['order_value_over_500'] });
		const off = { ...DEFAULT_TRIAGE_POLICY, escalation: { ...DEFAULT_TRIAGE_POLICY.escalation, escalateOrderValueOver: 0 } };
		expect(triageTicket(ticket(big), undefined, off, now).triage.escalate).toBe(false);
	});

	it('a chargeback threat escalates for the threat; with Escalate Threatening Language off it escalates only for its urgency, and with both off it waits in the queue', () => {
		const threat = { subject: 'Frame', body: 'Fix this or I will file a chargeback.' };
		const rules = (change: Partial<typeof DEFAULT_TRIAGE_POLICY.escalation>) => ({ ...DEFAULT_TRIAGE_POLICY, escalation: { ...DEFAULT_TRIAGE_POLICY.escalation, ...change } });
		expect(triage(threat).triage).toMatchObject({ priority: 'urgent', escalate: true, escalationReasons: ['priority_urgent', 'threatening_language'] });
		expect(triageTicket(ticket(threat), undefined, rules({ escalateThreatening: false }), now).triage).toMatchObject({ escalate: true, escalationReasons: ['priority_urgent'] });
		expect(triageTicket(ticket(threat), undefined, rules({ escalateThreatening: false, escalateUrgent: false }), now).triage).toMatchObject({ escalate: false, escalationReasons: [] });
		expect(triageTicket(ticket(threat), undefined, rules({ escalateUrgent: false }), now).triage).toMatchObject({ escalate: true, escalationReasons: ['threatening_language'] });
	});
});

describe('SLA targets and due times', () => {
	const created = new Date('2026-11-02T09:00:00Z');
	const due = (minutes: number) => new Date(created.getTime() + minutes * 60_000).toISOString();

	it('takes the tightest target that applies', () => {
		// shipping on email: 2 h (source project, seeds/001)
		expect(triage({ body: 'Where is my order? tracking number please' }).triage.sla).toMatchObject({ firstResponseMinutes: 120, firstResponseDueAt: due(120) });
		// damage is a quality issue: 1 h
		expect(triage({ body: 'It arrived damaged.' }).triage.sla.firstResponseMinutes).toBe(60);
		// chat: 30 s (seeds/001)
		expect(triage({ channel: 'chat', body: 'What sizes do you offer?' }).triage.sla.firstResponseMinutes).toBe(0.5);
		// VIP: 30 min
		expect(triage({ body: 'What sizes do you offer?' }, profile('3000')).triage.sla.firstResponseMinutes).toBe(30);
		// nothing tighter: the 4 h KPI (seeds/000)
		expect(triage({ channel: 'phone', body: 'What sizes do you offer?' }).triage.sla.firstResponseMinutes).toBe(240);
	});

	it('resolution by priority, a VIP within a day', () => {
		expect(triage({ body: 'What sizes do you offer?' }).triage.sla).toMatchObject({ resolutionHours: 72, resolutionDueAt: due(72 * 60) });
		expect(triage({ body: 'What sizes do you offer?' }, profile('3000')).triage.sla.resolutionHours).toBe(24);
	});

	it('an urgent ticket from a VIP must be resolved within 8 hours, not the VIP day', () => {
		const urgentVip = triage({ body: 'It arrived damaged. I will file a chargeback.' }, profile('3000')).triage;
		expect(urgentVip).toMatchObject({ tier: 'vip', priority: 'urgent' });
		expect(urgentVip.sla).toMatchObject({ resolutionHours: 8, resolutionDueAt: due(8 * 60) });
		// a VIP's calm question still resolves within the VIP day, not the 72 h of a low ticket
		expect(triage({ body: 'What sizes do you offer?' }, profile('3000')).triage.sla).toMatchObject({ resolutionHours: 24, resolutionDueAt: due(24 * 60) });
	});

	it('the clocks skip the store\'s holidays: an email at 16:00 on the eve of a holiday is answered by 10:00 the working day after', () => {
		const hours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
		// Wednesday 2026-12-23 16:00 Berlin (15:00Z); 2 business hours: 1 h Wednesday, Thursday 24th and Friday 25th off, 1 h Monday 28th
		const eve = ticket({ body: 'Where is my order? tracking number please', createdAt: new Date('2026-12-23T15:00:00Z') });
		const withHolidays = triageTicket(eve, undefined, { ...DEFAULT_TRIAGE_POLICY, businessHours: { ...hours, holidays: ['2026-12-24', '2026-12-25'] } }, now).triage.sla;
		expect(withHolidays).toMatchObject({ firstResponseMinutes: 120, firstResponseDueAt: '2026-12-28T09:00:00.000Z', holidays: ['2026-12-24', '2026-12-25'] });
		const without = triageTicket(eve, undefined, { ...DEFAULT_TRIAGE_POLICY, businessHours: hours }, now).triage.sla;
		expect(without.firstResponseDueAt).toBe('2026-12-24T09:00:00.000Z');
	});

	it('a ticket waiting on the customer is not overdue for its resolution: its clock is paused, and the time waited moves the due time on', () => {
		const later = new Date('2026-11-06T10:00:00Z');
		const question = { body: 'What sizes do you offer?' };
		// low priority: 72 h from 2026-11-02 09:00 -> 2026-11-05 09:00, overdue on the 6th while open
		expect(triageTicket(ticket(question), undefined, DEFAULT_TRIAGE_POLICY, later).triage.sla).toMatchObject({ resolutionDueAt: due(72 * 60), resolutionOverdue: true, resolutionPaused: false, pausedSeconds: 0 });
		const pending = triageTicket(ticket({ ...question, status: 'pending', pausedSince: new Date('2026-11-03T10:00:00Z') }), undefined, DEFAULT_TRIAGE_POLICY, later).triage;
		expect(pending.sla).toMatchObject({ resolutionDueAt: due(72 * 60), resolutionOverdue: false, resolutionPaused: true, pausedSeconds: 3 * 86_400 });
		expect(pending.reasons).toContain('resolution_clock_paused:waiting_on_customer');
		// reopened after waiting two days: due two days later, 2026-11-07 09:00, not overdue on the 6th
		expect(triageTicket(ticket({ ...question, status: 'open', pausedSeconds: 2 * 86_400 }), undefined, DEFAULT_TRIAGE_POLICY, later).triage.sla).toMatchObject({ resolutionOverdue: false, resolutionPaused: false, pausedSeconds: 2 * 86_400 });
	});

	it('a first response due exactly now is not overdue: the due minute is still within target', () => {
		const atDue = new Date(new Date('2026-11-02T09:00:00Z').getTime() + 120 * 60_000);
		expect(triageTicket(ticket({ body: 'Where is my order? tracking number please' }), undefined, DEFAULT_TRIAGE_POLICY, atDue).triage.sla.firstResponseOverdue).toBe(false);
		expect(triageTicket(ticket({ body: 'Where is my order? tracking number please' }), undefined, DEFAULT_TRIAGE_POLICY, new Date(atDue.getTime() + 1000)).triage.sla.firstResponseOverdue).toBe(true);
	});

	it('counts only business hours in the team\'s time zone, across a weekend', () => {
		const policy = { ...DEFAULT_TRIAGE_POLICY, businessHours: { timeZone: 'America/New_York', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } };
		// Friday 2026-11-06 16:30 New York (21:30Z); 4 business hours: 30 min Friday, 3.5 h Monday from 09:00 -> 12:30 EST (17:30Z)
		const friday = ticket({ channel: 'phone', body: 'What sizes do you offer?', createdAt: new Date('2026-11-06T21:30:00Z') });
		const result = triageTicket(friday, undefined, policy, now).triage.sla;
		expect(result).toMatchObject({ clock: 'business_hours', timeZone: 'America/New_York', firstResponseDueAt: '2026-11-09T17:30:00.000Z' });
	});

	it('starts the clock now when the ticket has no created time, and says so', () => {
		const result = triage({ createdAt: undefined, body: 'What sizes do you offer?' }).triage;
		// email: 2 h (seeds/001)
		expect(result.sla.firstResponseDueAt).toBe(new Date(now.getTime() + 120 * 60_000).toISOString());
		expect(result.reasons).toContain('sla_clock_from_now:no_created_time');
	});

	it('marks overdue against now, so a replay shows what is late', () => {
		const old = triage({ createdAt: new Date('2026-10-01T00:00:00Z'), body: 'What sizes do you offer?' }).triage.sla;
		expect(old).toMatchObject({ firstResponseOverdue: true, resolutionOverdue: true });
	});
});

describe('the contract', () => {
	it('emits exactly the seed\'s request shape, with reasons and a sentence', () => {
		const { request, triage: result } = triage({ subject: 'Broken', body: 'Arrived broken, please send a replacement.' });
		expect(Object.keys(request).sort()).toEqual(['action_parameters', 'customer_details', 'interaction_type', 'trigger_source']);
		expect(Object.keys(request.customer_details).sort()).toEqual(['customer_id', 'issue_type', 'sentiment', 'tier']);
		expect(Object.keys(request.action_parameters).sort()).toEqual(['follow_up', 'priority', 'resolution_type']);
		expect(request.customer_details.customer_id).toBe('sam.sample@example-store.test');
		expect(result.summary).toMatch(/^High priority damaged from a regular customer on email/);
		// people read it (the escalation email quotes it): the due time as a person writes it, not an ISO stamp
		expect(result.summary).toMatch(/; first response due \w{3}, \w{3} \d{1,2}, \d{4}, \d{2}:\d{2} \(UTC\)\.$/);
		expect(result.tags).toEqual(expect.arrayContaining(['intent:damaged', 'channel:email', 'tier:regular', 'priority:high']));
	});

	it('is deterministic: the same ticket gives the same decision', () => {
		const input = { subject: 'Late', body: 'My order is two weeks late and nobody answers. Unacceptable!' };
		expect(triage(input)).toEqual(triage(input));
	});
});

describe('the learned reading (Classifier: Learned Model, the node\'s default)', () => {
	const model = triageModel();
	const read = (body: string, subject = '', tier?: 'vip') =>
		triageTicket(ticket({ subject, body, ...(tier ? { tier } : {}) }), undefined, DEFAULT_TRIAGE_POLICY, now, model);

	// the plain cases the rules sent to "general" (named in the issue that brought the model: a regression check,
	// not a held-out measure; npm run eval:triage measures on the frozen test split)
	it.each([
		['my order is late AGAIN. third time this year', 'shipping'],
		['parcel held at customs for 12 days', 'shipping'],
		['tracking says delivered but there is no package', 'shipping'],
		['print faded after a month', 'product'],
		['the blue is much darker than on your product page', 'product'],
		['please send a VAT invoice for order 8012', 'order'],
		['an order on my card I did not make, this is fraud', 'order'],
		['only two of the three prints arrived', 'order'],
	])('reads "%s" as a %s issue, with the words that weighed', (body, issueType) => {
		const { request, triage: result } = read(body);
		expect(request.customer_details.issue_type).toBe(issueType);
		expect(result.classifier).toBe('learned');
		expect(result.reasons.find((reason) => reason.startsWith('intent_words:'))).toMatch(/"/);
	});

	it('says which words weighed most for the sentiment, right after the sentiment itself', () => {
		const { triage: result } = read('This is the third time I write. Nobody answers. Absolutely ridiculous, I want my money back.');
		expect(result.sentiment.label).toBe('negative');
		const at = result.reasons.findIndex((reason) => reason.startsWith('sentiment_negative:'));
		expect(result.reasons[at + 1]).toMatch(/^sentiment_words:(?:"[^"]+"|\w+ words|ALL CAPS)(, (?:"[^"]+"|\w+ words|ALL CAPS))*$/);
		expect(result.reasons[at + 1]).toContain('"nobody answer"');
	});

	it('weighs the sentiment by the intent read and says so when that changes it: a change by choice, asked for impatiently, is neutral', () => {
		const { triage: result } = read('anyone there?? need to change the size on order 70905 before it ships');
		expect(result).toMatchObject({ intent: 'order_change', sentiment: { label: 'neutral' } });
		expect(result.reasons).toContain('sentiment_by_intent:order_change:negative_to_neutral');
		// an exchange by choice told with a grumble is neutral too (today's model reads it so by its own words)
		expect(read('hi!! can i swap my white frame for a black one? the white shows every single mark lol. order 70905').triage).toMatchObject({ intent: 'exchange_request', sentiment: { label: 'neutral' } });
		// a wrong item told without feeling is negative, by its own words now (the intent has nothing to change)
		expect(read('my order came with the wrong poster').triage).toMatchObject({ intent: 'wrong_item', sentiment: { label: 'negative' } });
		// a ticket whose sentiment the intent does not change says nothing of it
		expect(read('This is the third time I write. Nobody answers. Absolutely ridiculous, I want my money back.').triage.reasons.some((reason) => reason.startsWith('sentiment_by_intent:'))).toBe(false);
	});

	it('does not take a threat under negation, a review mentioned as praise or a policy question for one; a real one stands', () => {
		expect(read('I will not file a chargeback, I just want to know where my order is').triage.flags).toMatchObject({ threatening: false, threats: [] });
		expect(read('I found you through your great reviews on Trustpilot, love the print').triage).toMatchObject({ flags: { threatening: false }, escalate: false });
		expect(read('What happens if my bank reverses the payment?').triage.flags.threatening).toBe(false);
		// the same question in a public post or a chat, after the shop's handle and a greeting; a claim stays one
		expect(read('@ShopHelp is this sale legit or a scam? the prices look too good').triage).toMatchObject({ flags: { threatening: false, threats: [] }, escalate: false });
		expect(threatsIn('@shophelp hi, do you accept chargebacks on gift cards?')).toEqual([]);
		expect(threatsIn('@shophelp this is a scam, where is my order?')).toEqual(['fraud_claim']);
		expect(threatsIn('@shophelp @shopceo is this how you treat customers? i will file a chargeback')).toEqual(['chargeback']);
		expect(read('Thanks, all sorted!\n\nOn Mon, 2 Nov 2026, Support wrote:\n> Please do not file a chargeback, we are on it').triage.flags.threatening).toBe(false);
		expect(read('If this isn\'t fixed by Friday I will file a chargeback').triage).toMatchObject({ flags: { threatening: true, threats: ['chargeback'] }, escalate: true });
		expect(read('an order on my card I did not make, this is fraud').triage.flags.threats).toEqual(['fraud_claim']);
		expect(read('O lo cancelan hoy o llamo al banco para que me devuelvan el cargo, así de claro.').triage.flags.threats).toEqual(['chargeback']);
		// the same in Spanish, French and German, threatened or negated
		expect(threatsIn('si no me devuelven el dinero, voy a hablar con mi banco para anular el pago')).toEqual(['chargeback']);
		expect(threatsIn('sans remboursement sous 48h, je fais opposition auprès de ma banque')).toEqual(['chargeback']);
		expect(threatsIn('je ne vais pas faire opposition pour une somme pareille, mais je trouve ça limite')).toEqual([]);
		expect(threatsIn('je vais porter plainte')).toEqual(['legal']);
		expect(threatsIn('ohne erstattung buche ich die zahlung über meine bank zurück')).toEqual(['chargeback']);
		expect(threatsIn('ich schicke das bild zurück, bitte buchen sie mir den betrag zurück')).toEqual([]);
		// the card-company wordings, a dare, an opened dispute; a negated one is not a threat
		expect(threatsIn("if it's not back by friday i'm charging it back through my bank")).toEqual(['chargeback']);
		expect(threatsIn("cancel it and refund me. don't make me go to my bank.")).toEqual(['chargeback']);
		expect(threatsIn("i've opened a dispute on paypal, so you can explain it to them")).toEqual(['dispute']);
		expect(threatsIn('i will not dispute the charge, i just want my order')).toEqual([]);
		// done already: a dispute filed, a case filed with the payment provider, a charge reported to the card's company
		expect(threatsIn('@shophelp filed a claim with paypal, good luck')).toEqual(['dispute']);
		expect(threatsIn("i've raised a klarna dispute for the missing frame")).toEqual(['dispute']);
		expect(threatsIn("i've reported this to my credit card company, they are investigating")).toEqual(['chargeback']);
		// a claim with the courier, a bank that flagged a payment, a customer's own trade: none is a threat
		expect(threatsIn('i filed a claim with the courier for the lost parcel, what else do you need?')).toEqual([]);
		expect(threatsIn("i'll file a claim with royal mail then, can you send me the proof of postage?")).toEqual([]);
		expect(threatsIn("i'll file a claim with paypal then")).toEqual(['dispute']);
		expect(threatsIn('my bank flagged your payment as suspicious, can you help?')).toEqual([]);
		expect(threatsIn("i'm a lawyer and need a frame for my office, do you do a1?")).toEqual([]);
		expect(threatsIn("do you offer gift receipts? it's for my lawyer friend")).toEqual([]);
		expect(threatsIn("i've asked my bank to get my money back")).toEqual(['chargeback']);
		expect(threatsIn("going through my credit card for a refund since you won't answer")).toEqual(['chargeback']);
		expect(threatsIn('taking legal advice on this')).toEqual(['legal']);
		expect(threatsIn('i want my money back or i will be contacting my credit card provider')).toEqual(['chargeback']);
		expect(threatsIn('this is my final warning before i involve my bank')).toEqual(['chargeback']);
		expect(threatsIn("i've submitted a section 75 claim")).toEqual(['chargeback']);
		expect(threatsIn("i'm going to get my money back through my bank")).toEqual(['chargeback']);
		expect(threatsIn("i'm going to sue")).toEqual(['legal']);
		expect(threatsIn('consider this a formal complaint. next step is legal')).toEqual(['legal']);
		expect(threatsIn('sue from your team was lovely on the phone, thank you')).toEqual([]);
		expect(threatsIn('will be telling all my friends to avoid you')).toEqual(['social_media']);
		expect(threatsIn('my lawyer will be in touch')).toEqual(['legal']);
		// past tense, a call note's "charged back", every payment at once, through the payment provider
		expect(threatsIn("i've disputed it with my card company")).toEqual(['chargeback']);
		expect(threatsIn("said he's ringing his bank straight after this call to have it charged back")).toEqual(['chargeback']);
		expect(threatsIn("you took payment 3 times, if no answer today i'm disputing all of them")).toEqual(['dispute']);
		expect(threatsIn("cancel it now or i'm disputing every charge through paypal")).toEqual(['chargeback', 'dispute']);
		expect(threatsIn('wenn bis freitag nichts kommt, hole ich mir das geld über paypal zurück')).toEqual(['dispute']);
		expect(threatsIn('i have not disputed anything, i just want the tracking')).toEqual([]);
		expect(threatsIn("no refund by friday and i'm calling my bank")).toEqual(['chargeback']);
		expect(threatsIn('no reply, no chargeback, just send the parcel')).toEqual([]);
		// a post or a review mentioned with praise praises; with a complaint it stands
		expect(threatsIn("the postcard set is gorgeous, i'll be posting it on insta!")).toEqual([]);
		expect(threatsIn('saw your post on tiktok and had to order!')).toEqual([]);
		expect(threatsIn("thanks so much, i'll be happy to leave a review once it's up on the wall")).toEqual([]);
		expect(threatsIn("thanks for nothing, i'll be leaving a one-star review")).toEqual(['public_review']);
		// a review promised for when the order is there is not a threat; one promised for when it goes wrong is
		expect(threatsIn("i'll leave a review once it arrives, can you just confirm it shipped?")).toEqual([]);
		expect(threatsIn("will write an honest review on trustpilot when i've had a chance to use it")).toEqual([]);
		expect(threatsIn("i'll leave a bad review when i get home if nobody answers")).toEqual(['public_review']);
		expect(threatsIn("if it comes wrong again i'm leaving a review everyone will see")).toEqual(['public_review']);
		expect(threatsIn('will you post the new collection on instagram first?')).toEqual([]);
		expect(threatsIn("no reply in a week, so i'm posting this on twitter")).toEqual(['social_media']);
		// someone else's words quoted are not the customer's threat; a caller's own words in a call note are
		expect(threatsIn('my husband said "just charge it back and buy it somewhere else" but i\'d rather you replaced it')).toEqual([]);
		expect(threatsIn('your terms and conditions say: "customers who file chargebacks may have their accounts closed". is that right?')).toEqual([]);
		expect(threatsIn('i know my last email said "i\'ll report this to my bank" - no need now, the charge is reversed')).toEqual([]);
		expect(threatsIn('call 10:05 - caller very upset. her words: "i\'m giving you until friday and then i\'m calling my bank"')).toEqual(['chargeback']);
		expect(threatsIn('told the agent he will "put the whole thing on tiktok" tonight')).toEqual(['social_media']);
		// a negated cue does not hide a real one later in the sentence
		expect(threatsIn("i won't go to my bank yet, but if nothing comes by friday i'll go to my bank")).toEqual(['chargeback']);
		expect(threatsIn("saw your post on tiktok and now i'm posting my own on tiktok about the broken frame")).toEqual(['social_media']);
		expect(threatsIn("the prints are gorgeous but the delivery was awful, i'll be posting this on tiktok")).toEqual(['social_media']);
	});

	it('names a chargeback, dispute or legal threat no cue names when the threat head is sure of it, with its words; not where no threat word is there, nor over a cue the rules set aside unless all but sure', () => {
		const card = read("Honestly my card company can have this one, I'm done waiting on you.").triage;
		expect(card.flags).toMatchObject({ threatening: true, threats: ['chargeback'] });
		expect(card.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^threat_model:chargeback:\d+%$/), expect.stringMatching(/^threat_words:.*card company/)]));
		expect(card.escalate).toBe(true);
		const letter = read('My daughter is a paralegal and has already drafted the letter to your head office.').triage;
		expect(letter.flags.threats).toEqual(['legal']);
		expect(letter.reasons.some((reason) => /^threat_model:legal:\d+%$/.test(reason))).toBe(true);
		// no bank, card, provider, lawyer or court named: the head is not asked (a summary of the case, a late order)
		expect(read('VIP order 1043 five days late, customer wants an update today').triage.flags.threats).toEqual([]);
		// a cue the rules read and set aside stands set aside where the head is less than all but sure
		const negated = read('I will not file a chargeback, I just want to know where my order is').triage;
		expect(negated.flags.threats).toEqual([]);
		expect(negated.reasons.some((reason) => reason.startsWith('threat_model'))).toBe(false);
	});

	it('reads chargeback, dispute and legal threats worded as stores receive them, and leaves the same words in calm messages alone', () => {
		const threats: Array<[string, string]> = [
			["ok. i'll let mastercard sort it out then", 'chargeback'],
			['my card company can decide whether a torn lining counts as final sale', 'chargeback'],
			["i've reported both charges to chase", 'chargeback'],
			['filed a claim with capital one this morning', 'chargeback'],
			['amex is dealing with it now', 'chargeback'],
			['either you send it or wells fargo takes it', 'chargeback'],
			["i paid with klarna and i'll let klarna decide", 'dispute'],
			['refund me by tonight, otherwise paypal gets involved', 'dispute'],
			['still no parcel 📦 paypal dispute going in tomorrow', 'dispute'],
			["we've retained counsel", 'legal'],
			['no refund = court', 'legal'],
			["you'll be hearing from my lawyers", 'legal'],
			["i'm putting in a small claim for the lot", 'legal'],
			["i don't want to go down the legal route. but i will.", 'legal'],
			["see you in court, i'm not joking", 'legal'],
			// a case not yet resolved, a chargeback started, advice taken: still threats
			["if this case isn't resolved by friday i'm going to court", 'legal'],
			['i started a chargeback but will cancel it if you refund', 'chargeback'],
			["my husband told me to call my bank, which i'm doing today", 'chargeback'],
			['o me devolvéis el dinero o nos vemos en el juzgado', 'legal'],
			["j'ai contesté le paiement auprès de ma banque", 'chargeback'],
			['ich habe bei meiner bank beantragt, die zahlung zurückzubuchen', 'chargeback'],
			// the card's company or bank with what it does, however worded
			["i'm contesting the extra fee with discover", 'chargeback'],
			['our accounts team has asked the card provider to recall the payment', 'chargeback'],
			["i'll be getting every penny back from my credit card company", 'chargeback'],
			['by monday it goes into the hands of my bank', 'chargeback'],
			['my bank has a process for exactly this', 'chargeback'],
			["i'm placing a stop payment on the cheque tomorrow", 'chargeback'],
			["i'll be seeking the money back through my card issuer", 'chargeback'],
			['either the label arrives today or i go through my bank for the refund', 'chargeback'],
			['raising a complaint on apple pay about it tonight', 'dispute'],
			['afterpay will sort you out then', 'dispute'],
			["j'ouvre un litige demain matin", 'dispute'],
			// legal: an action instituted, the shop named in a claim, a relative's or a firm's lawyer acting
			['we shall not hesitate to institute proceedings against your company', 'legal'],
			["you'll both be named in the claim", 'legal'],
			["my cousin's a solicitor and has a letter ready to go", 'legal'],
			["my son is an attorney. he'll be handling this from now on", 'legal'],
			['from today you will be dealing with baines & row solicitors', 'legal'],
			['our solicitors will recover the costs from you', 'legal'],
			['i talked to a paralegal about small claims', 'legal'],
			// a dispute resolved later, or another shop named further back with this shop's threat after it
			["dispute opened with paypal and i'm not paying until it's resolved", 'dispute'],
			['after what another shop did to me i know the drill: i will open a claim with paypal tonight', 'dispute'],
			// an ultimatum however worded, a provisional credit, a dispute lodged, the shop's legal team contacted
			['si no llega mañana le pido al banco que me devuelva el dinero', 'chargeback'],
			["i'll raise the problem on google pay tonight", 'dispute'],
			["should i just ask amex to pull the payment? that's exactly where this is going", 'chargeback'],
			['the card company has given me a provisional credit', 'chargeback'],
			["if you won't refund it i'll go through my bank", 'chargeback'],
			['laybuy dispute lodged this morning', 'dispute'],
			["i've reported the transaction in my wallet app", 'dispute'],
			["i've passed the matter to our legal department", 'legal'],
			['our counsel will be contacting your legal team', 'legal'],
			["our solicitor is satisfied the goods were faulty. she'll be writing to you on monday", 'legal'],
			// a reversal however said, a provider gone to, a marketplace's guarantee, a procedure by its name
			["i'll ring hsbc tomorrow to have the transaction reversed", 'chargeback'],
			["they're recalling the payment as we speak", 'chargeback'],
			["i've asked barclaycard to claw back both charges", 'chargeback'],
			["i've asked nationwide to refund it under the direct debit guarantee", 'chargeback'],
			['card claim opened for order 4471', 'chargeback'],
			["stopped the payment, don't bother sending it", 'chargeback'],
			['refund me or my bank will', 'chargeback'],
			["the money is back in my account while they investigate", 'chargeback'],
			['gonna lodge it w klarna', 'dispute'],
			["if this isn't fixed i'm going straight to afterpay", 'dispute'],
			["i'll let klarna do the chasing", 'dispute'],
			["zip is still taking repayments so i've raised it with zip", 'dispute'],
			["i'll ask etsy to step in", 'dispute'],
			['i will file a complaint for adjudication under the consumer act', 'legal'],
			['we have filed for arbitration', 'legal'],
			['the judge can decide who is right', 'legal'],
			['notice of intended proceedings', 'legal'],
			['sonst beauftrage ich einen rechtsanwalt', 'legal'],
			['it goes out to your registered office on friday', 'legal'],
			['the law centre will be writing to you', 'legal'],
			["i've forwarded everything to the firm that represents me", 'legal'],
			['their legal team will be pursuing your company for the cost', 'legal'],
			// what the look-alikes above must not hide
			['you ruined my retirement gift, see you in court', 'legal'],
			["i'll do a chargeback like i did with the last shop", 'chargeback'],
			['smith jones solicitors are acting for me', 'legal'],
			["ignore my last email, i'm going to my bank now", 'chargeback'],
			// hints, misspellings, texting, a relative's plan, a question that is a threat
			['my nephew deals with this sort of thing for a living', 'legal'],
			['i have spoken to my atorney', 'legal'],
			["his mum is getting legal involved", 'legal'],
			['ich habe einen käuferschutzfall eröffnet', 'dispute'],
			["one call and that money comes straight back to me, and you get hit with the fee", 'chargeback'],
			["i'm off to the branch to get the payment revursed", 'chargeback'],
			['just call ur bank, i did the cb yesterday', 'chargeback'],
			['my bank is looking into it now', 'chargeback'],
			['my husband is on the phone with visa right now', 'chargeback'],
			["cash app has a dispute button and i'm about to press it", 'dispute'],
			["i'll report it to venmo purchase protection", 'dispute'],
			['should i just do a chargeback at this point?', 'chargeback'],
			['someone said i should do a chargeback and i will', 'chargeback'],
			['my sister is a lawyer and says we will see you in court', 'legal'],
			// an implied chargeback, a marketplace's case, a claim put in, a reversal by its bank's name
			["j'ai ouvert un litige auprès de paypal", 'dispute'],
			['opening an etsy case today', 'dispute'],
			['my stubhub fanprotect claim against your listing is filed', 'dispute'],
			['a district judge will enjoy this when i put the claim in', 'legal'],
			['i know exactly what my card company will say', 'chargeback'],
			['i went into my bank on tuesday and they have everything', 'chargeback'],
			['visa has always been helpful with merchants like you', 'chargeback'],
			["i'm calling bdo tomorrow to have it reversed", 'chargeback'],
			// what the look-alikes above must not hide
			['nothing left but to call my bank', 'chargeback'],
			["the replies are right, i'm talking about taking you to court", 'legal'],
			// the card company already heard, every payment charged back, a question with its answer after it, a firm's letter
			['talked to my card company earlier, they went through my options with me', 'chargeback'],
			['the bank is charging back both payments as we speak', 'chargeback'],
			["how long does a klarna dispute take? i'm about to open one", 'dispute'],
			["would it be simpler if i just had my card company charge it back? that's what i'm going to do", 'chargeback'],
			['we act for mrs d. osei in relation to order 5521', 'legal'],
			['this is a pre-action letter about the faulty boiler', 'legal'],
			['mi banco puede cancelar el cargo y lo haré el lunes', 'chargeback'],
			// what the look-alikes below must not hide
			["my sister said i should report it to my bank, and i'm going to", 'chargeback'],
			['order 4410\nthe frame is cracked again.\nkind regards,\njo\nps my solicitor has the paperwork ready', 'legal'],
			['order 4410\nwhere is my refund?\nthanks,\nsee you in court', 'legal'],
			['order 4410\nstill nothing.\ncheers,\nmy lawyer will be in touch', 'legal'],
			// consumer commissions and their formal English, a letter to expect, an item-not-received request, a marketplace
			// holding the money, both charges disputed on a card, the provider that has the case, a question's answer after it
			['failing which i shall be constrained to initiate proceedings', 'legal'],
			['a complaint to the state consumer disputes redressal commission is ready', 'legal'],
			['selling me a broken blender was bold. expect a letter', 'legal'],
			['i have put in an item not received request with ebay', 'dispute'],
			['amazon is holding the payment until you answer my return/refund request', 'dispute'],
			["i'm disputing both on my debit card tonight", 'chargeback'],
			['case open on etsy now, let etsy decide', 'dispute'],
			['today i call my credit card bank for take back the money', 'chargeback'],
			['what will it take, a letter from my lawyer? because that can be arranged', 'legal'],
			['reported it in the shop app, so shop pay has it now', 'dispute'],
			["she said 'i know where the consumer court is' and hung up", 'legal'],
			// what the look-alikes below must not hide
			['should i just ring amex and have them claw the £240 back? because that is where this is heading', 'chargeback'],
			["my husband thought i should call my bank, and i'm doing it today", 'chargeback'],
		];
		for (const [text, kind] of threats) expect([text, threatsIn(text)]).toEqual([text, expect.arrayContaining([kind])]);
		const calm = [
			"i'm not going to do a chargeback or anything, i just want to know where it is",
			"i don't want to go down the chargeback route, please just cancel it",
			"my husband said i should just ring the bank but i'd rather sort it with you",
			"my bank suggested i raise a dispute but i'm sure it's a glitch",
			'could you reissue the invoice under the reverse-charge mechanism for vat?',
			'i expected the delivery charge back too',
			'my card was declined and my bank sent a fraud alert, can i try again?',
			"we're a small law firm and would like 40 notebooks with our logo",
			'are these shoes ok on clay courts?',
			'this email and any attachments are confidential and may be legally privileged',
			'my lawyer will be in touch 😂 jk, can i order two more boxes',
			'the bank has cancelled the chargeback since you refunded me, thanks',
			'i have a family court hearing on the 14th, will the blazer arrive in time?',
			"i'm in a dispute with my landlord and need a copy of the receipt",
			// started by mistake, withdrawn, someone else's shop, a trade, a day in court, a tone apologised for
			'the chargeback i raised by mistake has now been closed',
			'sorry, i opened a klarna case by accident',
			"my bank reported it as unauthorised. i've since withdrawn it, the charge was mine",
			'my bank is handling a chargeback with another shop right now, can i still pay by card?',
			'a different store left me no choice but to do a chargeback last year, so i check returns first',
			'the caller is a solicitor and wanted the invoice made out to her firm',
			'my aunt is a lawyer and she says your returns page is very clear',
			"he's been cast as the defence attorney in the school play, do you have a black gown?",
			'i need a smart suit to wear for court next week, i am a witness',
			'i work at the county court and we need 30 lever arch files',
			'does she need a court order to close the account?',
			'i used to be a chargeback analyst so i know how rare good service is',
			"sorry if my email came across like i was going to sue, i wasn't",
			'is the court of public opinion ready for a fourth candle order this month?',
			'harper & vance solicitors would like a quote for 12 chairs',
			// an earlier message taken back, hearsay, a plan given up, the bank's or a lawyer's word, a question
			'please ignore my earlier email about going to my bank, it turned up',
			'saw on tiktok someone is suing you, is that real?',
			'i considered calling my bank but decided to give you a chance',
			"my bank told me i could do a chargeback but i'd rather you just fixed it",
			'paypal case closed, thank you',
			'could you please stop the payment on my wine club subscription?',
			'our solicitor is happy with your terms, please send the contract',
			"i'm the executor and the family solicitor has the paperwork",
			'does section 75 cover an order split across two cards?',
			'i took the courier to small claims last year, so please use a different one',
			'keine sorge, ich will nichts zurückbuchen',
			"my bank flagged the payment as suspicious, i've approved it now, please retry",
			'just got my refund on my visa, thanks for sorting it',
			// a legal charity's order, a friend's case, the last shop's, a court's staff, a sport, a gift, an FSA, a zip
			"we're a legal advice charity ordering 30 mugs",
			"my friend had to go to court over a sofa from another brand, so i'm careful",
			'please ignore my last msg about calling my bank',
			'the last shop i used, i had to take to small claims. you were great',
			"sorry for the delay, i've been in court all week",
			'lowe & hart llp is regulated by the solicitors regulation authority',
			'the courts are clay at my club, which shoe?',
			'do you have court line tape?',
			'can you engrave a gift for a judge retiring from the county court?',
			'i pay with my visa and claim it back from my fsa',
			'my bank auto-opened a dispute. i asked them to cancel it',
			'the moot court team needs eight blazers',
			'hartley vane solicitors would like a quote for desks',
			'the zip file you sent will not open',
			'i went to paypal to pay and it failed',
			// a solicitor's own court sittings, a stolen card, a scam text quoted, a threat disowned, a law office's own lawyers
			"i'm a solicitor and need the chairs before court sittings start",
			'her bank reversed the payment because her card was stolen',
			"i got a text saying 'your chargeback has been approved', is it a scam?",
			"i'm not one of those people who threatens lawyers and chargebacks",
			'i work on the front desk at the crown court, can you deliver there?',
			'watched a video about people suing brands lol, is the green one in stock?',
			'i accidentally hit report a problem on paypal and closed it right away',
			'my sister is a lawyer and needs a blazer for court',
			'customer had mentioned disputing with afterpay but the parcel came and she is happy',
			'almost did a chargeback before realising it was at my neighbours',
			'someone in the comments said they did a chargeback, i never would',
			'explained he should contact the bank if the refund has not shown in ten days',
			'our club needs nets for all four courts',
			'we are a small law firm. our attorneys need itemised invoices',
			// the courier taken to court, a court's ceremony, an address, a card compromised, a chargeback against the writer
			"i'm taking the courier company to the small claims court over my gate",
			'we are having a court marriage next month, need an ivory outfit',
			'flat 6, harbour court',
			"my card was compromised and i've disputed a list of charges with the bank, yours isn't one of them",
			'one of our own customers raised a chargeback against us, can you send the spec sheet?',
			"nothing's going to the bank, obviously",
			"there's no question of involving a solicitor now",
			'last time i ordered glasses online i had to take the company to small claims, you were great',
			"i'm putting a claim in with evri for the damage",
			"i'm an attorney and want your contract drafting course",
			'penrose adeyemi solicitors',
			// a refund's way back, a reversal not asked for, a lost card, a case elsewhere, a lawyer in the family or given a
			// gift, someone suing the customer, a joke owned after it, a firm's name, a signature, a court's building
			"if you can refund the duty, i'd like to get it back on my visa.",
			'my bank reversed the payment and i never asked them to, so please send me a new payment link.',
			'the card on file was cancelled by my bank after i reported it lost, so here is the new one.',
			'a few years ago i had to take a kitchen company to small claims, so i read warranties closely now',
			'last year i took another furniture company to small claims over a wobbly table, so i check warranties now',
			'the last time (another shop, not yours!) the bag was fake and i had to go through my card company to get my money back',
			'birthday mug for my attorney, can you print her name on it.',
			'buying this for my lawyer cousin, she loves the band.',
			'the bank is going to take me to court over my overdraft, anyway is the hoodie back in stock?',
			"if the restock sells out again i'm suing 😤 (jk, love you guys)",
			'booking the christmas lunch for marsh hale solicitors.',
			"my sister said i should just do a chargeback, but you've been lovely and i'm not going to do that",
			'proof of purchase\ncould you send proof of purchase for the audit?\n\nkind regards,\nrita\nlegal counsel\ngrey & finch llp, solicitors',
			'quote for benches in the waiting rooms at the new county court building',
			// a firm describing itself, advice turned down, courts that are places or sports, a witness, a new lawyer, a wink,
			// no intention of it, a lawyer's stationery, an apology for an earlier message, an estate's solicitors, a pet suing,
			// a hypothetical, a mistake owned and withdrawn, a friend's quoted advice
			'we are a firm of advocates practising before the high court and need 500 letterheads.',
			"my neighbour reckons i should just ring the bank and get the money reversed, but i'd rather sort it with you.",
			'each court is 36 metres long, how many nets do we need?',
			"i've been called as a witness at the crown court that day, so can the delivery move to monday.",
			'she is now officially a lawyer, so please gift wrap the pen.',
			"if the kettle isn't here by saturday i'm taking you to the international court of justice. ;-)",
			"no, i haven't opened anything with paypal and i've no intention of doing so.",
			'please print 300 business cards for attorney jane rowe.',
			"in my email yesterday i said i'd take you to small claims. i was upset and i'm sorry.",
			'we act as solicitors for the executor of the late mr rowe of 4 elm court, please close his account.',
			'could you tell me if our seats face centre court?',
			'lol my dog is suing you for emotional damage, she loves the toy',
			"was gonna say i'd charge back but you replied fast so it's fine",
			'he played basketball on the court in them all day, do they come in 10',
			"chargeback on order 5521 - my mistake, i've phoned the bank to withdraw the dispute.",
			'please ignore what i said this morning about going to my bank, it came.',
			"the estate of my late mother is being wound up. i'll forward your confirmation to the solicitors.",
			"my friend say 'make chargeback to bank, it is faster' but i don't want this.",
			'he is advocate in the district court complex, please deliver to chamber 12.',
			"i panicked and opened a chargeback but it came. i've asked the bank to cancel the dispute.",
			'the lawyer costume from the halloween drop, still in stock?',
		];
		for (const text of calm) expect([text, threatsIn(text)]).toEqual([text, []]);
		// a provider named only as "shop pay": its word is one the threat readers wait for
		expect(read("just letting you know i've raised it with shop pay, the lipstick was empty").triage.flags.threats).toEqual(['dispute']);
		const sarcastic = read("so your 'no returns' policy applies even when YOU made the mistake? ok. cool. my lawyer will love that one");
		expect(sarcastic.triage).toMatchObject({ flags: { threatening: true, threats: ['legal'] }, escalate: true });
		expect(sarcastic.triage.reasons.some((reason) => reason.startsWith('threat_cue_set_aside:legal'))).toBe(false);
	});

	it('sets a chargeback, dispute or legal cue aside only where the threat head reads the ticket, and the sentence the cue is in, as calm', () => {
		// the rules read "i could sue" as a legal threat; the head reads the whole and the sentence as calm
		const joke = read('Your courier left my parcel in the rain again, honestly I could sue the weather. Could you ask them to use the porch next time? Otherwise all good, love the tea.');
		expect(joke.triage.flags).toMatchObject({ threatening: false, threats: [] });
		expect(joke.triage.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^threat_cue_set_aside:legal:calm_\d+(\.\d)?%:cue_sentence_calm_\d+(\.\d)?%$/)]));
		expect(joke.triage.escalate).toBe(false);
		// a warm message reads as calm as a whole around the one sentence that is a threat: the sentence keeps it
		const warm = read(
			'What a lovely surprise this morning! The box was beautifully wrapped, the ribbon matched the card, the chocolates were perfect and my mum adored the little note you tucked in. Thank you, really, it made her birthday. The one thing: the bouquet in the photo had peonies and we got carnations, and your chat bot just keeps saying sorry. So I have asked Monzo to claw back the fifty pounds for the flowers. Everything else was wonderful, thanks again.',
		);
		expect(warm.triage).toMatchObject({ flags: { threatening: true, threats: ['chargeback'] }, escalate: true });
		expect(warm.triage.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^threat_cue_doubted:chargeback:calm_/)]));
		expect(warm.triage.reasons.some((reason) => reason.startsWith('threat_cue_set_aside'))).toBe(false);
	});

	it('reads urgency sentence by sentence: "not urgent" and "no pressure" are not urgent; a deadline or "right away" after a negation still is', () => {
		expect(urgencyIn('@shophelp not urgent at all, just wondering when the restock is')).toEqual([]);
		expect(urgencyIn('nothing urgent, but could you give me a rough idea of when they might arrive?')).toEqual([]);
		expect(urgencyIn('as soon as possible would be great but no pressure')).toEqual([]);
		expect(urgencyIn("it's not urgent, but the frame is chipped. actually i need it by friday, it's urgent")).toEqual(['urgent', 'deadline']);
		expect(urgencyIn("it won't arrive before the wedding at this rate")).toEqual(['deadline']);
		expect(urgencyIn("if you don't answer right away i'm cancelling")).toEqual(['immediately']);
		expect(read('not urgent at all, just wondering when the A2 frames are back in stock').triage).toMatchObject({ flags: { urgent: false }, priority: 'low' });
	});

	it('tags a ticket that is not English with its language and is less sure of it, rather than misreading it with confidence', () => {
		// Spanish, French and German, which the model learned: one step less sure than the model is
		const spanish = read('Hola, mi pedido 4412 no ha llegado todavía y ya pasaron tres semanas').triage;
		expect(spanish).toMatchObject({ language: 'es', intent: 'shipping_delay' });
		const step = spanish.reasons.find((reason) => reason.startsWith('language_es:'));
		expect(step).toMatch(/^language_es:confidence_(?:high_to_medium|medium_to_low)$/);
		expect(step?.endsWith(`_to_${spanish.confidence}`)).toBe(true);
		expect(spanish.tags).toEqual(expect.arrayContaining(['language:es']));
		// a language it did not learn: low, whatever the model says, and tagged for a person to check
		const italian = read('Buongiorno, il mio ordine non è ancora arrivato, potete aiutarmi?').triage;
		expect(italian).toMatchObject({ language: 'it', confidence: 'low' });
		expect(italian.tags).toEqual(expect.arrayContaining(['language:it', 'low_confidence']));
		expect(read('refund pls').triage).toMatchObject({ language: 'en', intent: 'refund_request', confidence: 'high' });
	});

	it('names a second request when the model says there is one and a piece of the ticket asks for it alone', () => {
		// a two-feature model: "crack" speaks for damaged, "address" for order_change, evenly; "again" says a second request
		const labels = ['damaged', 'order_change'];
		const codes = (weights: number[]) => Buffer.from(Int8Array.from(weights).buffer).toString('base64');
		const tiny = (requestCodes: number[]) =>
			modelFromFile({
				version: 'two-issues',
				features: ['w:address', 'w:crack'],
				heads: {
					intent: { labels, bias: [0, 0], codes: codes([0, 100, 100, 0]), scale: 0.05 },
					sentiment: { labels: ['negative', 'neutral', 'positive'], bias: [0, 1, 0], codes: codes([0, 0, 0, 0, 0, 0]), scale: 1 },
					threat: { labels: ['none', 'threat'], bias: [5, 0], codes: codes([0, 0, 0, 0]), scale: 1 },
					requests: { labels: ['one', 'two'], bias: [0, 0], codes: codes(requestCodes), scale: 0.05 },
				},
			});
		const twoRequests = tiny([0, 0, 0, 0]);
		const body = 'The frame came with a crack. Also please change my address';
		const both = triageTicket(ticket({ subject: '', body }), undefined, DEFAULT_TRIAGE_POLICY, now, twoRequests).triage;
		expect(both).toMatchObject({ intent: 'damaged', secondaryIntent: 'order_change', confidence: 'medium' });
		expect(both.tags).toEqual(expect.arrayContaining(['intent:damaged', 'intent:order_change']));
		expect(both.reasons).toEqual(expect.arrayContaining(['intent_damaged:medium:50%', 'second_intent_order_change:87%']));
		// the model sure there is one request: the pieces are not read
		const oneRequest = tiny([127, -127, 127, -127]);
		expect(triageTicket(ticket({ subject: '', body }), undefined, DEFAULT_TRIAGE_POLICY, now, oneRequest).triage).toMatchObject({ secondaryIntent: null });
		// no piece asks for anything else
		const one = triageTicket(ticket({ subject: '', body: 'The frame came with a crack!' }), undefined, DEFAULT_TRIAGE_POLICY, now, twoRequests).triage;
		expect(one).toMatchObject({ intent: 'damaged', secondaryIntent: null });
	});
});

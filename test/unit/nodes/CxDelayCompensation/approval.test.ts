import { settleApproval } from '../../../../nodes/CxDelayCompensation/approval';
import { renderApprovalEmail } from '../../../../nodes/CxDelayCompensation/approvalEmail';
import { answerLink } from '../../../../nodes/CxDelayCompensation/actions/requestApproval.operation';

const NOW = new Date('2030-03-04T10:00:00Z');
const waiting = { status: 'needs_approval', approvalDecision: null, approvalExpiresAt: '2030-03-06T10:00:00.000Z' };

describe('settling an approval', () => {
	it('pays an approval once, records a decline, and expires a request nobody answered', () => {
		expect(settleApproval(waiting, 'approve', NOW)).toEqual({ action: 'pay', reasons: ['approved'] });
		expect(settleApproval(waiting, 'decline', NOW)).toEqual({ action: 'decline', reasons: ['approval_declined'] });
		expect(settleApproval(waiting, 'timeout', NOW)).toEqual({ action: 'expire', reasons: ['approval_expired:no_answer'] });
	});

	it('pays nothing on a second click, whatever the first answer was', () => {
		for (const decision of ['approved', 'declined', 'expired']) {
			expect(settleApproval({ ...waiting, status: decision === 'approved' ? 'completed' : decision, approvalDecision: decision }, 'approve', NOW)).toEqual({ action: 'nothing', skipRow: false, reasons: [`already_${decision}`] });
		}
		expect(settleApproval({ ...waiting, status: 'completed' }, 'approve', NOW)).toMatchObject({ action: 'nothing', reasons: ['already_compensated'] });
		expect(settleApproval(undefined, 'approve', NOW)).toMatchObject({ action: 'nothing', reasons: ['unknown_approval_request'] });
	});

	it('expires an answer that came after the request ran out, even before the wait noticed', () => {
		const late = new Date('2030-03-06T10:00:00Z');
		expect(settleApproval(waiting, 'approve', late)).toEqual({ action: 'expire', reasons: ['approval_expired:approve_came_after_2030-03-06T10:00:00.000Z'] });
	});

	it('pays nothing when the order was compensated another way since, and says how', () => {
		expect(settleApproval(waiting, 'approve', NOW, { paidOtherwise: true })).toEqual({ action: 'nothing', skipRow: true, reasons: ['approved', 'compensated_another_way'] });
		expect(settleApproval(waiting, 'approve', NOW, { paidOtherwise: false, eligibleNow: { eligible: false, reason: 'order_fully_refunded' } })).toEqual({ action: 'nothing', skipRow: true, reasons: ['approved', 'no_longer_eligible:order_fully_refunded'] });
		// a decline is recorded whatever happened to the order
		expect(settleApproval(waiting, 'decline', NOW, { paidOtherwise: true })).toMatchObject({ action: 'decline' });
	});
});

describe('the approval request email', () => {
	const links = { approveUrl: answerLink('https://n8n.example-store.test/webhook-waiting/812?signature=abc', 'approve', 'tok_1'), declineUrl: answerLink('https://n8n.example-store.test/webhook-waiting/812?signature=abc', 'decline', 'tok_1') };

	it('links to the resume URL with the answer and the token, keeping n8n\'s own query', () => {
		expect(links.approveUrl).toBe('https://n8n.example-store.test/webhook-waiting/812?signature=abc&decision=approve&token=tok_1');
		expect(links.declineUrl).toBe('https://n8n.example-store.test/webhook-waiting/812?signature=abc&decision=decline&token=tok_1');
	});

	it('shows the decision and its reasons, and escapes the store\'s and customer\'s text', () => {
		const email = renderApprovalEmail({ orderName: '#1013 <b>rush</b>', customerEmail: 'o\'brien@example.test', amount: '$250.00', summary: '#1013 arrived 10 days late: $250.00 credit proposed', reasons: ['late_10_days_over_7', 'over_instant_cap_200'], ...links, expiresAt: '2030-03-07T10:00:00Z', timeZone: 'UTC', storeName: 'Ink & Oak' });
		expect(email.subject).toBe('Approve $250.00 delay compensation for order #1013 <b>rush</b>?');
		expect(email.html).toContain('#1013 &lt;b&gt;rush&lt;/b&gt;');
		expect(email.html).not.toContain('<b>rush</b>');
		expect(email.html).toContain('Ink &amp; Oak');
		expect(email.html).toContain('href="https://n8n.example-store.test/webhook-waiting/812?signature=abc&amp;decision=approve&amp;token=tok_1"');
		expect(email.text).toContain('late_10_days_over_7, over_instant_cap_200');
		expect(email.text).toContain('expires Thu, Mar 7, 2030, 10:00 (UTC)');
	});
});

import { renderCustomerEmail, renderReviewEmail, type ReturnEmailFacts } from '../../../../nodes/CxReturnsDesk/returnEmails';

const usd = (cents: number) => ({ cents, currency: 'USD' });
const base: ReturnEmailFacts = { firstName: 'Ana', orderName: '#1042', outcome: 'approve', amountDue: usd(0), bonus: usd(0), restockingFee: usd(0), returnShippingFee: usd(0), storeName: 'Example Prints' };

describe('the returns desk\'s emails', () => {
	it('offers the exchange first, with its bonus, and says how to take credit or money instead', () => {
		const email = renderCustomerEmail({ ...base, resolution: 'exchange', exchangeTitle: 'A3 / Matte', bonus: usd(500) });
		expect(email.subject).toBe('Your return for order #1042 is approved');
		expect(email.text).toContain('Once it arrives, we send you the A3 / Matte instead, with $5.00 off it, at no cost. If you would rather have store credit or your money back, just reply to this email.');
	});

	it('says the store credit with its bonus, and the fees kept', () => {
		const email = renderCustomerEmail({ ...base, resolution: 'store_credit', amountDue: usd(4_950), bonus: usd(450), restockingFee: usd(500), returnShippingFee: usd(0) });
		expect(email.text).toContain('you get $49.50 in store credit, which includes a $4.50 bonus');
		expect(email.text).toContain('As set out in our return policy, $5.00 is kept for restocking and return shipping.');
	});

	it('tells a declined customer why, and that a person looks again on a reply', () => {
		const email = renderCustomerEmail({ ...base, outcome: 'decline', declineNote: 'This print was sold as final sale.' });
		expect(email.subject).toBe('Your return request for order #1042');
		expect(email.text).toBe('Hi Ana,\n\nWe have looked at your return request for order #1042 and cannot accept it.\n\nThis print was sold as final sale.\n\nIf you think we have this wrong, reply to this email and a person will look at it again.\n\nExample Prints');
	});

	it('escapes customer and store text in the HTML', () => {
		const email = renderCustomerEmail({ ...base, firstName: '<b>Ana</b>', outcome: 'decline', declineNote: 'Final sale <script>alert(1)</script>', storeName: 'A & B' });
		expect(email.html).not.toContain('<script>');
		expect(email.html).toContain('&lt;script&gt;');
		expect(email.html).toContain('A &amp; B');
		const review = renderReviewEmail({ orderName: '#1042', customerName: '<i>Ana</i>', reviewReasons: ['serial_returner'], summary: 's', returnedValue: usd(100) });
		expect(review.html).not.toContain('<i>');
		expect(review.text).toContain('Why: the customer returns often');
	});
});

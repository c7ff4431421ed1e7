import { customerIdForms, type RetentionCustomer } from '../../../../nodes/shared/contract/customer';
import { campaignWindow } from '../../../../nodes/CxWinBack/winback';
import { SEGMENTS } from '../../../../nodes/shared/policy';
import { contactsFor, customerCode, segmentCode } from '../../../../nodes/CxWinBack/winbackRun';

function customer(customerId: string, email?: string): RetentionCustomer {
	return {
		customerId,
		...(email ? { email } : {}),
		orderCount: 1,
		amountSpent: { cents: 4200, currency: 'USD' },
		marketingConsent: 'SUBSCRIBED',
		tags: [],
		orderDates: ['2026-01-10T10:00:00Z'],
		refundDates: [],
		returnDates: [],
	};
}

describe('customerIdForms', () => {
	it('gives a Shopify customer GID and its bare number as the same customer', () => {
		expect(customerIdForms('gid://shopify/Customer/7301')).toEqual(['gid://shopify/Customer/7301', '7301']);
		expect(customerIdForms('7301')).toEqual(['7301', 'gid://shopify/Customer/7301']);
	});

	it('keeps other ids as they are and ignores what is not an id', () => {
		expect(customerIdForms('cus_helpdesk_42')).toEqual(['cus_helpdesk_42']);
		// another resource's GID is not a customer's number
		expect(customerIdForms('gid://shopify/Order/7301')).toEqual(['gid://shopify/Order/7301']);
		expect(customerIdForms('')).toEqual([]);
		expect(customerIdForms(null)).toEqual([]);
		expect(customerIdForms(undefined)).toEqual([]);
		expect(customerIdForms(7301)).toEqual([]);
	});
});

describe('contactsFor', () => {
	const byGid = customer('gid://shopify/Customer/100', 'Gina.Gid@Example-Store.test');
	const byNumber = customer('200', 'nora.number@example-store.test');
	const byEmailOnly = customer('gid://shopify/Customer/300', 'Erin.Email@example-store.test');
	const untouched = customer('gid://shopify/Customer/400', 'quiet.customer@example-store.test');
	const customers = [byGid, byNumber, byEmailOnly, untouched];

	it('matches open tickets by GID, by bare number and by email whatever its case', () => {
		const contacts = contactsFor(customers, [
			{ id: 1, customer_id: '100', customer_email: null },
			{ id: 2, customer_id: 'gid://shopify/Customer/200', customer_email: null },
			{ id: 3, customer_id: null, customer_email: 'ERIN.EMAIL@EXAMPLE-STORE.TEST' },
			{ id: 4, customer_id: 'gid://shopify/Customer/999', customer_email: 'stranger@example-store.test' },
			{ id: 5, customer_id: null, customer_email: null },
		], [], []);
		expect([...contacts.openTicketCustomerIds].sort()).toEqual(['200', 'gid://shopify/Customer/100', 'gid://shopify/Customer/300']);
	});

	it('matches a ticket whose id is unknown but whose email is a customer\'s', () => {
		const contacts = contactsFor(customers, [{ id: 1, customer_id: 'helpdesk-user-77', customer_email: 'gina.gid@example-store.test' }], [], []);
		expect([...contacts.openTicketCustomerIds]).toEqual(['gid://shopify/Customer/100']);
	});

	it('keeps the latest compensation per customer, whatever order the rows come in', () => {
		const contacts = contactsFor(customers, [], [
			{ id: 1, customer_id: '100', created_at: '2026-11-01T09:00:00Z' },
			{ id: 2, customer_id: 'gid://shopify/Customer/100', created_at: '2026-11-10T09:00:00Z' },
			{ id: 3, customer_id: null, customer_email: 'gina.gid@example-store.test', created_at: '2026-11-05T09:00:00Z' },
			{ id: 4, customer_id: '200', created_at: '2026-10-20T00:00:00+00:00' },
			{ id: 5, customer_id: '200', created_at: '2026-10-19T23:00:00-02:00' },
			{ id: 6, customer_id: '999', created_at: '2026-11-15T00:00:00Z' },
		], []);
		expect(Object.fromEntries(contacts.compensatedSince)).toEqual({
			'gid://shopify/Customer/100': '2026-11-10T09:00:00Z',
			// 23:00 at -02:00 is 01:00Z on the 20th: later than midnight UTC
			'200': '2026-10-19T23:00:00-02:00',
		});
	});

	it('counts only win-back rows that were sent, the latest per customer', () => {
		const contacts = contactsFor(customers, [], [], [
			{ id: 1, customer_id: 'gid://shopify/Customer/100', status: 'sent', sent_at: '2026-10-01T08:00:00Z' },
			{ id: 2, customer_id: 'gid://shopify/Customer/100', status: 'sent', sent_at: '2026-10-31T08:00:00Z' },
			{ id: 3, customer_id: '200', status: 'sending', sent_at: null },
			{ id: 4, customer_id: '200', status: 'pending', sent_at: null },
			{ id: 5, customer_id: 'gid://shopify/Customer/300', status: 'failed', sent_at: null },
			{ id: 6, customer_id: 'gid://shopify/Customer/300', status: 'coded', sent_at: '2026-11-02T08:00:00Z' },
			{ id: 7, customer_id: 'gid://shopify/Customer/999', status: 'sent', sent_at: '2026-11-02T08:00:00Z' },
			// a row kept under the GID of a customer the items name by number
			{ id: 8, customer_id: 'gid://shopify/Customer/200', status: 'sent', sent_at: '2026-09-01T08:00:00Z' },
		]);
		expect(Object.fromEntries(contacts.lastWinBackAt)).toEqual({ 'gid://shopify/Customer/100': '2026-10-31T08:00:00Z', '200': '2026-09-01T08:00:00Z' });
	});

	it('leaves a customer nobody was in touch with out of every list', () => {
		const contacts = contactsFor(customers, [{ customer_id: '999' }], [{ customer_id: 'stranger@example-store.test', created_at: '2026-11-01T00:00:00Z' }], []);
		for (const id of customers.map((entry) => entry.customerId)) {
			expect(contacts.openTicketCustomerIds.has(id)).toBe(false);
			expect(contacts.compensatedSince.has(id)).toBe(false);
			expect(contacts.lastWinBackAt.has(id)).toBe(false);
		}
	});
});

describe('segmentCode', () => {
	const window = campaignWindow(new Date('2026-11-16T12:00:00Z'), 30);

	it('reads BACK<percent>-<segment>-<first day of the window>', () => {
		expect(window).toBe('2026-11-03/30d');
		expect(segmentCode('at_risk', 15, window)).toBe('BACK15-ATRISK-20261103');
		expect(segmentCode('cant_lose', 20, window)).toBe('BACK20-VALUED-20261103');
		for (const segment of SEGMENTS) expect(segmentCode(segment, 10, window)).toMatch(/^BACK10-[A-Z]+-\d{8}$/);
	});

	it('is the same code on every day of a window and a new one in the next', () => {
		const first = campaignWindow(new Date('2026-11-03T00:00:00Z'), 30);
		const last = campaignWindow(new Date('2026-12-02T23:59:59Z'), 30);
		const next = campaignWindow(new Date('2026-12-03T00:00:00Z'), 30);
		expect(segmentCode('loyal', 10, first)).toBe(segmentCode('loyal', 10, window));
		expect(segmentCode('loyal', 10, last)).toBe(segmentCode('loyal', 10, window));
		expect(segmentCode('loyal', 10, next)).toBe('BACK10-LOYAL-20261203');
	});

	it('differs between segments and offers of one window', () => {
		const codes = SEGMENTS.flatMap((segment) => [10, 15].map((percent) => segmentCode(segment, percent, window)));
		expect(new Set(codes).size).toBe(codes.length);
	});
});

describe('customerCode', () => {
	it('is WB- and ten characters a customer can read aloud: no 0, O, 1 or I', () => {
		for (let i = 0; i < 500; i++) expect(customerCode()).toMatch(/^WB-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{10}$/);
	});

	it('does not repeat over 10,000 draws and uses the whole alphabet', () => {
		const codes = Array.from({ length: 10_000 }, customerCode);
		expect(new Set(codes).size).toBe(codes.length);
		const seen = new Set(codes.join('').replace(/WB-/g, ''));
		expect(seen.size).toBe(32);
	});
});

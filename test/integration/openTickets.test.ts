/**
 * Win-back and health count only tickets really open (open, pending, on hold: OPEN_TICKET_STATUSES): a
 * customer whose tickets were all solved or closed is neither kept from a win-back mail nor marked down.
 */
import { createClient } from '@supabase/supabase-js';
import { customerKey } from '../../nodes/CxCustomerHealth/healthInput';
import { signalsFromRows, readSignalRows } from '../../nodes/CxCustomerHealth/healthRun';
import { suppressionOf } from '../../nodes/CxWinBack/winback';
import type { RetentionCustomer } from '../../nodes/shared/contract/customer';
import { contactsFor } from '../../nodes/CxWinBack/winbackRun';
import { moneyFromDecimal } from '../../nodes/shared/money';
import { WINBACK_POLICY } from '../../nodes/shared/policy';
import { SupabaseService } from '../../nodes/shared/services/supabase';
import { openTicketsOf } from '../../nodes/shared/store/tickets';
import { winbackContext } from '../../nodes/shared/store/winbackSends';
import { OPEN_TICKET_STATUSES } from '../../nodes/shared/contract/ticket';
import { NOT_COMPENSATION_STATUSES } from '../../nodes/shared/store/compensationLedger';
import { executeContext } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

const run = `${Date.now() % 1_000_000}${Math.floor(Math.random() * 1000)}`;
const id = (n: number) => `77${run}${n}`;

describe('tickets really open, for win-back and health', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const now = new Date(fromAnchor(0, '12:00'));
	const customer = (n: number): RetentionCustomer => ({ customerId: id(n), email: `open-tickets-${run}-${n}@example-store.test`, orderCount: 1, orderDates: [fromAnchor(-400)], refundDates: [], returnDates: [], amountSpent: moneyFromDecimal('80.00', 'USD'), marketingConsent: 'SUBSCRIBED', tags: [] });
	// 1: every ticket solved or closed, one of them reopened once and solved again; 2: one on hold; 3: one pending; 4: one open
	const tickets = [
		{ n: 1, status: 'solved', reopen_count: 1 },
		{ n: 1, status: 'closed', reopen_count: 0 },
		{ n: 1, status: 'solved', reopen_count: 0 },
		{ n: 2, status: 'on_hold', reopen_count: 0 },
		{ n: 2, status: 'closed', reopen_count: 0 },
		{ n: 3, status: 'pending', reopen_count: 0 },
		{ n: 4, status: 'open', reopen_count: 2 },
	].map((ticket, index) => ({
		external_id: `ot-${run}-${index}`,
		channel: 'email',
		customer_id: id(ticket.n),
		customer_email: customer(ticket.n).email,
		status: ticket.status,
		reopen_count: ticket.reopen_count,
		ticket_created_at: fromAnchor(-20),
		resolved_at: ['solved', 'closed'].includes(ticket.status) ? fromAnchor(-19) : null,
	}));

	beforeAll(async () => {
		await supabase.from('tickets').insert(tickets).throwOnError();
	});

	afterAll(async () => {
		await supabase.from('tickets').delete().like('external_id', `ot-${run}-%`);
	});

	it('a customer whose tickets were all solved or closed gets the win-back mail; one with a ticket on hold, pending or open does not', async () => {
		const service = await SupabaseService.connect(executeContext());
		const customers = [1, 2, 3, 4].map(customer);
		// win-back's read of who was in touch lately
		const context = await winbackContext(service, { openStatuses: OPEN_TICKET_STATUSES, compensatedSince: new Date(now), notCompensationStatuses: NOT_COMPENSATION_STATUSES, sentSince: new Date(now), window: `ot-${run}` });
		const rows = context.openTickets.filter((row) => String(row.customer_id).startsWith(`77${run}`));
		expect(rows.map((row) => String(row.customer_id)).sort()).toEqual([id(2), id(3), id(4)]);
		const contacts = contactsFor(customers, rows, [], []);
		expect(customers.map((entry) => suppressionOf(entry, contacts, WINBACK_POLICY, now) ?? 'mailed')).toEqual(['mailed', 'open_ticket', 'open_ticket', 'open_ticket']);
	});

	it('health counts a customer\'s tickets open, pending or on hold, never the solved or closed ones', async () => {
		const service = await SupabaseService.connect(executeContext());
		const ids = [1, 2, 3, 4].map(id);
		expect((await openTicketsOf(service, ids)).map((row) => String(row.customer_id)).sort()).toEqual([id(2), id(3), id(4)]);
		for (const whole of [false, true]) {
			const signals = signalsFromRows(await readSignalRows(service, ids, now, whole));
			expect(ids.map((key) => signals.get(customerKey(key))?.openTickets ?? 0)).toEqual([0, 1, 1, 1]);
		}
	});
});

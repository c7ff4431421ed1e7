/**
 * Faults as services have them, at a rate: a fifth of the requests to Stripe and to Supabase fail (429 with
 * Retry-After, 500/502/503 before the work or after it, a connection cut after the work; seeded, the same every
 * run) while CX Delay Compensation pays late orders by Stripe balance credit, run after run as a schedule would,
 * Continue On Fail on. Every order ends compensated, each paid exactly once (one balance transaction per order),
 * none lost, every failure an error item naming its order; then a run without faults changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { createClient } from '@supabase/supabase-js';
import { CxDelayCompensation } from '../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { CxTicketTriage } from '../../nodes/CxTicketTriage/CxTicketTriage.node';
import { CxWinBack } from '../../nodes/CxWinBack/CxWinBack.node';
import { executeContext, standin } from '../support/context';
import { fromAnchor, standinsEnv } from '../support/standins';

jest.setTimeout(600_000);

const run = randomUUID().slice(0, 8);
const ORDERS = 24;
const RATE = 0.2;
const MAX_RUNS = 8;
/** The Stripe stand-in's two customers: each late order's customer is one of them. */
const CUSTOMERS = ['ava.morgan@example-store.test', 'leo.park@example-store.test'];
// delivered ten days after the checkout's promise: a $50 credit each
const order = (batch: string, n: number): IDataObject => ({
	order_id: `faults-${batch}-${n}`,
	name: `#F-${batch}-${n}`,
	processed_at: fromAnchor(-41, '10:00'),
	total: 189,
	currency: 'USD',
	customer_email: CUSTOMERS[n % CUSTOMERS.length],
	checkout_promise_at: fromAnchor(-32, '12:00'),
	fulfillments: [{ estimated_delivery_at: fromAnchor(-32, '12:00'), delivered_at: fromAnchor(-22, '12:00') }],
});

type Faults = { rate: number; requests: number; injected: Record<string, number> };

const restFaults = async (init: RequestInit = {}) => (await (await fetch(`${standinsEnv().supabase.url}/__standin/random-faults`, init)).json()) as Faults;
/** Faults at RATE on Shopify, SendGrid and Supabase, each its own seed from `seed`. */
async function faultsOn(seed: number): Promise<void> {
	await standin('shopify', '/__standin/random-faults', { method: 'POST', body: JSON.stringify({ rate: RATE, seed }) });
	await standin('sendgrid', '/__standin/random-faults', { method: 'POST', body: JSON.stringify({ rate: RATE, seed: seed + 1 }) });
	await restFaults({ method: 'POST', body: JSON.stringify({ rate: RATE, seed: seed + 2 }) });
}
/** Faults off; what each service had injected, and of how many requests. */
async function faultsOff(): Promise<Record<'shopify' | 'sendgrid' | 'supabase', Faults>> {
	const injected = { shopify: await standin<Faults>('shopify', '/__standin/random-faults'), sendgrid: await standin<Faults>('sendgrid', '/__standin/random-faults'), supabase: await restFaults() };
	for (const service of ['shopify', 'sendgrid'] as const) await standin(service, '/__standin/random-faults', { method: 'DELETE' });
	await restFaults({ method: 'DELETE' });
	return injected;
}
const injectedCount = (faults: Faults) => Object.values(faults.injected).reduce((sum, n) => sum + n, 0);
const faultLine = (injected: Record<'shopify' | 'sendgrid' | 'supabase', Faults>) =>
	`faults injected: Shopify ${injectedCount(injected.shopify)} of ${injected.shopify.requests} requests, Supabase ${injectedCount(injected.supabase)} of ${injected.supabase.requests}, SendGrid ${injectedCount(injected.sendgrid)} of ${injected.sendgrid.requests}`;
/** How many emails of a category each address starting with `prefix` got. */
async function mailedTo(prefix: string, category: string): Promise<Map<string, number>> {
	const messages = await standin<Array<{ body: { categories?: string[]; personalizations: Array<{ to: Array<{ email: string }> }> } }>>('sendgrid', '/__standin/messages');
	const mailed = new Map<string, number>();
	for (const message of messages.filter((entry) => entry.body.categories?.includes(category))) {
		for (const personalization of message.body.personalizations) for (const to of personalization.to) if (to.email.startsWith(prefix)) mailed.set(to.email, (mailed.get(to.email) ?? 0) + 1);
	}
	return mailed;
}

describe('a fifth of the requests to Stripe and Supabase failing: every late order is paid exactly once, none lost', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const idOf = (item: INodeExecutionData) => String((item.json.order as IDataObject | undefined)?.id ?? '');

	afterAll(async () => {
		await standin('stripe', '/__standin/random-faults', { method: 'DELETE' });
		await restFaults({ method: 'DELETE' });
		await supabase.from('compensation_ledger').delete().like('order_id', `faults-${run}-%`);
	});

	// two seeds: the retries absorb most faults within a run; an order whose request fails past its retries is an error
	// item that a later run pays (delayCompensation.test.ts makes every ledger update fail to check that path each time)
	it.each([17, 3])('seed %i: pays each order once across the runs it takes, with every failure an error item that names its order', async (seed) => {
		const batch = `${run}-${seed}`;
		const items = Array.from({ length: ORDERS }, (_, n) => order(batch, n));
		const compensate = async () =>
			(await new CxDelayCompensation().execute.call(
				executeContext({ items, continueOnFail: true, parameters: { source: 'items', payoutMethod: 'stripeBalance', dryRun: false, notifyCustomer: false, options: { now: fromAnchor(1, '09:00') } } }),
			)) as INodeExecutionData[][];
		await standin('stripe', '/__standin/random-faults', { method: 'POST', body: JSON.stringify({ rate: RATE, seed }) });
		await restFaults({ method: 'POST', body: JSON.stringify({ rate: RATE, seed: seed + 12 }) });
		const paid = new Set<string>();
		const report = { runs: 0, errorItems: 0, runsThatStopped: 0 };
		for (let attempt = 0; attempt < MAX_RUNS && paid.size < ORDERS; attempt++) {
			report.runs++;
			let outputs: INodeExecutionData[][];
			try {
				outputs = await compensate();
			} catch {
				// a failure no item owns (the ledger read itself) stops the run; the next run takes it up
				report.runsThatStopped++;
				continue;
			}
			const [compensated, needsApproval, notEligible] = outputs;
			for (const item of compensated) if (['compensated', 'already_compensated'].includes(String((item.json.compensation as IDataObject).status))) paid.add(idOf(item));
			const errors = [...compensated, ...needsApproval, ...notEligible].filter((item) => typeof item.json.error === 'string');
			report.errorItems += errors.length;
			// an error names the item and its order; nothing else comes out of a failing order
			for (const error of errors) expect(String(error.json.error)).toMatch(/^Item \d+ \(order #F-/);
			expect(needsApproval.filter((item) => !item.json.error)).toEqual([]);
		}
		const stripeFaults = await standin<Faults>('stripe', '/__standin/random-faults');
		const restInjected = await restFaults();
		await standin('stripe', '/__standin/random-faults', { method: 'DELETE' });
		await restFaults({ method: 'DELETE' });

		expect(paid.size).toBe(ORDERS);
		// a run without faults finds every order paid, and pays nothing
		const [again] = await compensate();
		expect(again.map((item) => (item.json.compensation as IDataObject).status)).toEqual(Array(ORDERS).fill('already_compensated'));
		// Stripe holds one balance credit per order: none twice, none lost
		const state = await standin<{ objects: Record<string, Array<{ metadata?: Record<string, string> }>> }>('stripe', '/__standin/state');
		const credits = Object.values(state.objects).flat().filter((object) => object.metadata?.order_id?.startsWith(`faults-${batch}-`));
		const perOrder = new Map<string, number>();
		for (const credit of credits) perOrder.set(credit.metadata!.order_id, (perOrder.get(credit.metadata!.order_id) ?? 0) + 1);
		expect([...perOrder.values()].filter((count) => count !== 1)).toEqual([]);
		expect(perOrder.size).toBe(ORDERS);
		const { data: rows } = await supabase.from('compensation_ledger').select('order_id, status').like('order_id', `faults-${batch}-%`);
		expect(rows!.map((row) => row.status)).toEqual(Array(ORDERS).fill('completed'));
		const injected = (faults: Faults) => Object.values(faults.injected).reduce((sum, count) => sum + count, 0);
		expect(injected(stripeFaults)).toBeGreaterThan(0);
		expect(injected(restInjected)).toBeGreaterThan(0);
		console.info(
			`faults (seed ${seed}): ${ORDERS} orders, ${report.runs} runs (${report.runsThatStopped} stopped before any item), ${report.errorItems} error items; ` +
				`Stripe ${stripeFaults.requests} requests, ${injected(stripeFaults)} faults ${JSON.stringify(stripeFaults.injected)}; ` +
				`Supabase ${restInjected.requests} requests, ${injected(restInjected)} faults ${JSON.stringify(restInjected.injected)}; paid twice 0, lost 0`,
		);
	});
});

describe('a fifth of the requests to Shopify, Supabase and SendGrid failing: every ticket stored once, no customer told twice', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	/** Waves of tickets as an intake receives them, each wave one triage run (rerun, as a helpdesk resends, until settled). */
	const WAVES = 12;
	const PER_WAVE = 25;
	const email = (wave: number, n: number) => `faults-${run}-w${wave}c${n}@example-store.test`;
	const wave = (w: number) =>
		Array.from({ length: PER_WAVE }, (_, n) => ({ id: `faults-${run}-w${w}t${n}`, channel: 'email', customer_email: email(w, n), created_at: fromAnchor(1, '08:00'), subject: `Order question ${n}`, body: 'Where is my order? It has not arrived yet.' }));
	const triage = async (items: IDataObject[]) =>
		(await new CxTicketTriage().execute.call(
			executeContext({
				items,
				continueOnFail: true,
				parameters: { enrichFromShopify: true, storeInSupabase: true, acknowledgeCustomer: true, acknowledgementOptions: { storeName: 'Example Store' }, options: { now: fromAnchor(1, '09:00') } },
			}),
		)) as INodeExecutionData[][];
	afterAll(async () => {
		await faultsOff();
		await supabase.from('tickets').delete().like('external_id', `faults-${run}-w%`);
	});

	it('stores each ticket once and tells each customer at most once; a ticket SendGrid gave no clear answer for is reported unconfirmed, never sent again', async () => {
		await faultsOn(5);
		const settled = new Map<string, string>();
		const report = { runs: 0, runsThatStopped: 0, errorItems: 0 };
		const all = Array.from({ length: WAVES }, (_, w) => wave(w));
		for (const tickets of all) {
			for (let attempt = 0; attempt < MAX_RUNS && tickets.some((ticket) => !settled.has(ticket.id)); attempt++) {
				report.runs++;
				let outputs: INodeExecutionData[][];
				try {
					outputs = await triage(tickets);
				} catch {
					report.runsThatStopped++;
					continue;
				}
				for (const item of outputs.flat()) {
					if (typeof item.json.error === 'string') {
						report.errorItems++;
						expect(String(item.json.error)).toMatch(/^Item \d+/);
						continue;
					}
					const status = String((item.json.acknowledgement as IDataObject | undefined)?.status ?? '');
					const id = String((item.json.ticket as IDataObject).id);
					if (['sent', 'already_acknowledged', 'unconfirmed'].includes(status) && !settled.has(id)) settled.set(id, status);
				}
			}
		}
		const injected = await faultsOff();
		const ids = all.flat().map((ticket) => ticket.id);
		expect(ids.filter((id) => !settled.has(id))).toEqual([]);

		// one row per ticket
		const stored: string[] = [];
		for (let from = 0; ; from += 1000) {
			const { data, error } = await supabase.from('tickets').select('external_id').like('external_id', `faults-${run}-w%`).order('external_id').range(from, from + 999);
			if (error) throw new Error(error.message);
			stored.push(...(data as Array<{ external_id: string }>).map((row) => row.external_id));
			if (data.length < 1000) break;
		}
		expect(stored.sort()).toEqual([...ids].sort());
		// no customer told twice; every one told, or the ticket reported unconfirmed
		const told = await mailedTo(`faults-${run}-`, 'cx-acknowledgement');
		expect([...told.values()].filter((count) => count > 1)).toEqual([]);
		const emailOf = (id: string) => all.flat().find((ticket) => ticket.id === id)!.customer_email;
		const unconfirmed = [...settled].filter(([, status]) => status === 'unconfirmed').map(([id]) => id);
		expect(ids.filter((id) => !told.has(emailOf(id)) && !unconfirmed.includes(id))).toEqual([]);
		const unconfirmedButDelivered = unconfirmed.filter((id) => told.has(emailOf(id)));
		// a run without faults sends nothing more
		const before = (await standin<unknown[]>('sendgrid', '/__standin/messages')).length;
		for (const tickets of all) await triage(tickets);
		expect((await standin<unknown[]>('sendgrid', '/__standin/messages')).length).toBe(before);
		console.info(
			`faults (triage): ${ids.length} tickets in ${WAVES} waves, ${report.runs} runs (${report.runsThatStopped} stopped), ${report.errorItems} error items; stored once each; ` +
				`told once ${told.size}, unconfirmed ${unconfirmed.length} (of them delivered ${unconfirmedButDelivered.length}), told twice 0; ${faultLine(injected)}`,
		);
	});
});

describe('a fifth of the requests to Shopify, Supabase and SendGrid failing: win-back mails each customer at most once, with one code each', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const CAMPAIGNS = 6;
	const PER_CAMPAIGN = 20;
	// monthly buyers who stopped half a year ago: dormant, each offered a code of their own
	const customer = (campaign: number, n: number): IDataObject => ({
		customer_id: `faults-${run}-k${campaign}c${n}`,
		email: `faults-${run}-k${campaign}c${n}@example-store.test`,
		first_name: 'Kim',
		orders_count: 5,
		amount_spent: 640,
		currency: 'USD',
		email_marketing_consent: 'SUBSCRIBED',
		order_dates: [-300, -269, -241, -210, -180].map((day) => fromAnchor(day, '10:00')),
	});
	const winBack = async (customers: IDataObject[], campaign: number) =>
		(await new CxWinBack().execute.call(
			executeContext({
				items: customers,
				continueOnFail: true,
				// each campaign its own day, so its own window and codes
				parameters: { source: 'items', dryRun: false, codeMode: 'perCustomer', unsubscribeGroupId: 4242, options: { now: fromAnchor(200 + campaign * 40, '09:00'), storeName: 'Example Store', storeUrl: 'https://shop.example-store.test' } },
			}),
		)) as INodeExecutionData[][];
	afterAll(async () => {
		await faultsOff();
		await supabase.from('winback_sends').delete().like('customer_id', `faults-${run}-k%`);
	});

	it('sends each campaign to each customer once or reports it unconfirmed, and never leaves a customer claimed and unmailed', async () => {
		await faultsOn(11);
		const report = { runs: 0, runsThatStopped: 0 };
		for (let campaign = 0; campaign < CAMPAIGNS; campaign++) {
			const customers = Array.from({ length: PER_CAMPAIGN }, (_, n) => customer(campaign, n));
			for (let attempt = 0; attempt < MAX_RUNS; attempt++) {
				report.runs++;
				try {
					const [, [summary]] = await winBack(customers, campaign);
					const { toMail, sent, unconfirmed } = summary.json as { toMail: number; sent: number; unconfirmed: number };
					if (toMail === 0 || sent + unconfirmed >= toMail) break;
				} catch {
					report.runsThatStopped++;
				}
			}
		}
		const injected = await faultsOff();
		const { data: rows } = await supabase.from('winback_sends').select('customer_id, customer_email, status, discount_code, last_error').like('customer_id', `faults-${run}-k%`);
		const mailed = await mailedTo(`faults-${run}-`, 'cx-winback');
		expect(rows).toHaveLength(CAMPAIGNS * PER_CAMPAIGN);
		expect([...mailed.values()].filter((count) => count > 1)).toEqual([]);
		// every row ended sent, or sending after an unclear answer from SendGrid (reported unconfirmed); none left coded
		// or pending, and every sent row's customer got the email
		const byStatus = (status: string) => rows!.filter((row) => row.status === status);
		expect(rows!.filter((row) => !['sent', 'sending'].includes(row.status))).toEqual([]);
		expect(byStatus('sent').filter((row) => !mailed.has(row.customer_email))).toEqual([]);
		// a row left sending is one SendGrid answered unclearly (its error kept), or one SendGrid took whose "sent" the
		// run could not write before Supabase failed it (the next run records it from SendGrid's activity): never one
		// whose claim was lost on the way, claimed and not mailed
		expect(byStatus('sending').filter((row) => !/SendGrid/.test(String(row.last_error ?? '')) && !mailed.has(row.customer_email))).toEqual([]);
		// codes: one per customer, all different
		expect(new Set(rows!.map((row) => row.discount_code)).size).toBe(rows!.length);
		const sending = byStatus('sending');
		console.info(
			`faults (win-back): ${rows!.length} customers in ${CAMPAIGNS} campaigns, ${report.runs} runs (${report.runsThatStopped} stopped); sent ${byStatus('sent').length}, ` +
				`unconfirmed ${sending.length} (of them delivered ${sending.filter((row) => mailed.has(row.customer_email)).length}), mailed twice 0; ${faultLine(injected)}`,
		);
	});
});

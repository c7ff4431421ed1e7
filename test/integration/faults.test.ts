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

describe('a fifth of the requests to Stripe and Supabase failing: every late order is paid exactly once, none lost', () => {
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const supabaseFaults = async (init: RequestInit = {}) => (await (await fetch(`${env.supabase.url}/__standin/random-faults`, init)).json()) as Faults;
	const idOf = (item: INodeExecutionData) => String((item.json.order as IDataObject | undefined)?.id ?? '');

	afterAll(async () => {
		await standin('stripe', '/__standin/random-faults', { method: 'DELETE' });
		await supabaseFaults({ method: 'DELETE' });
		await supabase.from('compensation_ledger').delete().like('order_id', `faults-${run}-%`);
	});

	// two seeds: one the retries absorb within a run, one where an order fails a run and the next run pays it
	it.each([17, 3])('seed %i: pays each order once across the runs it takes, with every failure an error item that names its order', async (seed) => {
		const batch = `${run}-${seed}`;
		const items = Array.from({ length: ORDERS }, (_, n) => order(batch, n));
		const compensate = async () =>
			(await new CxDelayCompensation().execute.call(
				executeContext({ items, continueOnFail: true, parameters: { source: 'items', payoutMethod: 'stripeBalance', dryRun: false, notifyCustomer: false, options: { now: fromAnchor(1, '09:00') } } }),
			)) as INodeExecutionData[][];
		await standin('stripe', '/__standin/random-faults', { method: 'POST', body: JSON.stringify({ rate: RATE, seed }) });
		await supabaseFaults({ method: 'POST', body: JSON.stringify({ rate: RATE, seed: seed + 12 }) });
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
		const restFaults = await supabaseFaults();
		await standin('stripe', '/__standin/random-faults', { method: 'DELETE' });
		await supabaseFaults({ method: 'DELETE' });

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
		expect(injected(restFaults)).toBeGreaterThan(0);
		console.info(
			`faults (seed ${seed}): ${ORDERS} orders, ${report.runs} runs (${report.runsThatStopped} stopped before any item), ${report.errorItems} error items; ` +
				`Stripe ${stripeFaults.requests} requests, ${injected(stripeFaults)} faults ${JSON.stringify(stripeFaults.injected)}; ` +
				`Supabase ${restFaults.requests} requests, ${injected(restFaults)} faults ${JSON.stringify(restFaults.injected)}; paid twice 0, lost 0`,
		);
	});
});

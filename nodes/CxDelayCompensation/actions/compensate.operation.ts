/** Compensate: each order checked against its promise; late ones recorded in the ledger first, then paid and told once. */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { InputProblem } from '../../shared/items';
import { readNamedOrders } from '../../shared/n8n/namedOrders';
import { formatMoney, isCurrency, moneyToDecimal, type Money } from '../../shared/money';
import { readTierPolicy } from '../../shared/n8n/policyOptions';
import type { TierPolicy } from '../../shared/policy';
import { SendGridService } from '../../shared/services/sendgrid';
import { ShopifyService } from '../../shared/services/shopify/client';
import { ordersForDelayCheck, ordersForDelayCheckById } from '../../shared/services/shopify/orders';
import { StripeService } from '../../shared/services/stripe';
import { SupabaseService } from '../../shared/services/supabase';
import { readNow, readNumberOption, readTimeZone, readWholeNumberParameter } from '../../shared/n8n/options';
import type { PayoutMethod } from '../apologyEmail';
import { finishLeftApology, ledgerRowFor, payOut, recordInLedger, rowAmount, type Compensation, type CompensationServices, type PayoutSettings, type Told } from '../compensationRun';
import { DEFAULT_DELAY_POLICY, decideDelayCompensation, type DelayAmounts, type DelayDecision, type DelayPolicy } from '../delay';
import { tryReadOrder } from '../orderInput';
import type { OrderToCheck } from '../../shared/contract/order';
import { failureSink } from '../../shared/n8n/errorItems';
import { needsTrackingEvents, needsTrackingEventsToCompensate, type PromisePolicy } from '../../shared/delivery';
import { inOrder } from '../../shared/inOrder';

const COMPENSATED = 0;
const NEEDS_APPROVAL = 1;
const NOT_ELIGIBLE = 2;
/** Orders paid at once: a few, so a run keeps near the services' limits; each service's pacer holds to its own. */
const PAYOUTS_AT_ONCE = 4;

export async function compensateDelays(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const policy = readPolicy.call(this, options);
	// the store's tier rule, the same options and reading as triage and escalation
	const tiers = readTierPolicy(options);
	const source = this.getNodeParameter('source', 0) as string;
	const dryRun = this.getNodeParameter('dryRun', 0, false) as boolean;
	const settings = readPayoutSettings.call(this, this.getNodeParameter('payoutMethod', 0) as PayoutMethod, options);
	const outputs: INodeExecutionData[][] = [[], [], []];
	const fail = failureSink(this, outputs[NOT_ELIGIBLE]);

	const shopify = await ShopifyService.connect(this);
	// tracking events only for the orders late enough to be paid: no other decision can change with them
	const needsEvents = (facts: OrderToCheck['facts']) => needsTrackingEventsToCompensate(facts, policy, now, policy.thresholdDays);
	const orders = await readOrdersToCheck.call(this, source, now, tiers, policy, fail, shopify, needsEvents);

	const decided = orders.map((entry) => ({ ...entry, decision: decideDelayCompensation(entry.order.facts, policy, now) }));
	const json = (order: OrderToCheck, decision: DelayDecision, extra: IDataObject = {}): IDataObject => ({
		order: { id: order.facts.orderId, name: order.facts.name, total: moneyToDecimal(order.facts.total), currency: order.facts.total.currency, customer_email: order.customer.email ?? null },
		compensation: {
			...decision,
			...(decision.amount ? { amount: moneyText(decision.amount) } : {}),
			...(decision.shopAmount ? { shopAmount: moneyText(decision.shopAmount) } : {}),
			...extra,
		},
	}) as unknown as IDataObject;

	for (const { itemIndex, order, decision } of decided) {
		if (decision.outcome === 'not_eligible') outputs[NOT_ELIGIBLE].push({ json: json(order, decision), pairedItem: { item: itemIndex } });
		else if (dryRun) outputs[decision.outcome === 'compensate' ? COMPENSATED : NEEDS_APPROVAL].push({ json: json(order, decision, { dryRun: true, method: settings.method }), pairedItem: { item: itemIndex } });
	}
	if (dryRun) return outputs;

	// no amounts in the order's currency: a person decides; nothing is recorded or paid raw
	for (const { itemIndex, order, decision } of decided) {
		if (decision.outcome === 'needs_approval' && !decision.amount) outputs[NEEDS_APPROVAL].push({ json: json(order, decision, { status: 'needs_approval' }), pairedItem: { item: itemIndex } });
	}
	const eligible = decided.filter((entry): entry is typeof entry & { decision: DelayDecision & { amount: Money } } => entry.decision.outcome !== 'not_eligible' && !!entry.decision.amount);
	const services: CompensationServices = {
		supabase: await SupabaseService.connect(this),
		shopify,
		...(settings.method === 'stripeBalance' ? { stripe: await StripeService.connect(this, { requestsPerSecond: readStripeRequestsPerSecond(this, options) }) } : {}),
		...(settings.notify ? { sendgrid: await SendGridService.connect(this) } : {}),
	};
	// the ledger first, for every eligible order: nothing is paid that is not written down
	const ledger = await recordInLedger(
		services,
		eligible.map(({ order, decision }) => ({ order, decision, status: decision.outcome === 'compensate' ? 'pending' : 'needs_approval' })),
		settings.method,
		now,
	);
	// each order settled on its own (its ledger row claimed by its own token), a few at once: one after another, a
	// run of thousands would wait on every round trip and leave Stripe's and Shopify's limits unused; the items
	// come out in the orders' order all the same
	type Said = { output: number; item: INodeExecutionData } | { itemIndex: number; failure: NodeApiError };
	const said = (output: number, item: INodeExecutionData): Said => ({ output, item });
	const failed = (itemIndex: number, failure: NodeApiError): Said => ({ itemIndex, failure });
	const settle = async ({ itemIndex, order, decision }: (typeof eligible)[number]): Promise<Said> => {
		const compensation: Compensation = { order, decision };
		const row = ledgerRowFor(ledger, compensation);
		if (!row) {
			return failed(itemIndex, new NodeApiError(this.getNode(), { message: 'ledger row missing' }, { message: `Item ${itemIndex}: the ledger row for ${order.facts.name} could not be read back` }));
		}
		// compensated already (under this policy or an earlier one): nothing is paid or sent again
		if (row.status === 'completed') {
			const earlier = String(row.policy_version);
			let told: Told | undefined;
			try {
				told = await finishLeftApology(services, settings, compensation, row, now);
			} catch (error) {
				return failed(itemIndex, new NodeApiError(this.getNode(), { message: (error as Error).message }, {
					message: `Item ${itemIndex} (order ${order.facts.name}): paid earlier, but its apology was not sent: ${(error as Error).message}`,
					description: 'The payout is complete; the apology is sent by the next run.',
					itemIndex,
				}));
			}
			return said(COMPENSATED, {
				json: json(order, decision, {
					status: 'already_compensated',
					alreadyCompensated: true,
					ledgerId: String(row.id),
					method: String(row.method),
					compensatedUnderPolicy: earlier,
					// what was paid, as the row recorded it (an earlier policy may have decided another amount)
					amount: moneyText(rowAmount(row)),
					...(row.payout_reference ? { payoutReference: String(row.payout_reference) } : {}),
					...(told?.messageId ? { messageId: told.messageId } : {}),
					...(told ? { apology: told.status, ...(told.why ? { note: `The apology is not sent again: ${told.why}.` } : {}) } : {}),
				}),
				pairedItem: { item: itemIndex },
			});
		}
		// a person declined it, or nobody answered in time: not paid, and not asked again
		if (row.status === 'declined' || row.status === 'expired') {
			return said(NOT_ELIGIBLE, {
				json: json(order, { ...decision, reasons: [...decision.reasons, `approval_${String(row.status)}`] }, {
					status: `approval_${String(row.status)}`,
					ledgerId: String(row.id),
					approval: { decision: row.approval_decision ?? null, decidedBy: row.approval_decided_by ?? null, decidedAt: row.approval_decided_at ?? null },
				}),
				pairedItem: { item: itemIndex },
			});
		}
		// a row a person holds is not paid here
		if (decision.outcome === 'needs_approval' || row.status === 'needs_approval') {
			return said(NEEDS_APPROVAL, { json: json(order, decision, { status: 'needs_approval', ledgerId: String(row.id), method: String(row.method) }), pairedItem: { item: itemIndex } });
		}
		let outcome: Awaited<ReturnType<typeof payOut>>;
		try {
			outcome = await payOut(this, services, settings, compensation, row, now);
		} catch (error) {
			// the ledger itself failed (claiming the row, or recording a failed attempt): this order's failure, not the run's
			const message = (error as Error).message;
			return failed(itemIndex, new NodeApiError(this.getNode(), { message }, {
				message: `Item ${itemIndex} (order ${order.facts.name}): ${message}`,
				description: 'The compensation ledger could not be written. The row stays unfinished; the next run takes it up with the same payout key and pays it at most once.',
				itemIndex,
			}));
		}
		if (outcome instanceof NodeApiError) {
			return failed(itemIndex, new NodeApiError(this.getNode(), { message: outcome.message }, {
				message: `Item ${itemIndex} (order ${order.facts.name}): ${outcome.message}`,
				description: `${outcome.description ?? ''} The ledger keeps the compensation pending; the next run finishes it without paying twice.`.trim(),
				itemIndex,
			}));
		}
		const target = outcome.status === 'needs_approval' || outcome.status === 'not_paid' ? NEEDS_APPROVAL : COMPENSATED;
		return said(target, {
			json: json(order, { ...decision, reasons: outcome.reasons }, {
				status: outcome.status,
				alreadyCompensated: outcome.status === 'already_compensated',
				ledgerId: outcome.ledgerId,
				method: outcome.method,
				// the row's amount is what is paid: a row written under an earlier policy keeps its own
				amount: moneyText(rowAmount(row)),
				...(outcome.payoutReference ? { payoutReference: outcome.payoutReference } : {}),
				...(outcome.discountCode ? { discountCode: outcome.discountCode } : {}),
				...(outcome.messageId ? { messageId: outcome.messageId } : {}),
				...(outcome.note ? { note: outcome.note } : {}),
			}),
			pairedItem: { item: itemIndex },
		});
	};
	// without Continue On Fail the first failure stops the run: no payout is started after it
	const keepGoing = this.continueOnFail();
	for (const result of await inOrder(eligible, PAYOUTS_AT_ONCE, settle, (result) => 'failure' in result && !keepGoing)) {
		if ('failure' in result) fail(result.itemIndex, result.failure);
		else outputs[result.output].push(result.item);
	}
	return outputs;
}

function moneyText(money: Money): IDataObject {
	return { cents: money.cents, currency: money.currency, formatted: formatMoney(money) };
}

/** The delay policy from the Options (both operations read the promise's window, calendar and time zone here). */
export function readPolicy(this: IExecuteFunctions, options: IDataObject): DelayPolicy {
	const timeZone = readTimeZone(this, 'Store Time Zone', options.timeZone);
	const holidays = String(options.holidays ?? '').split(/[,\s]+/).filter(Boolean);
	const bad = holidays.find((day) => !/^\d{4}-\d{2}-\d{2}$/.test(day));
	if (bad) throw new NodeOperationError(this.getNode(), `Holiday "${bad}" is not a date in YYYY-MM-DD form`, { description: 'List holidays as 2026-12-25, 2026-12-26.' });
	const number = (name: string, fallback: number) => {
		const value = options[name] === undefined ? fallback : Number(options[name]);
		if (!Number.isFinite(value) || value < 0) throw new NodeOperationError(this.getNode(), `Option "${name}" must be a number of 0 or more`);
		return value;
	};
	const standard = number('standardAmount', DEFAULT_DELAY_POLICY.tierAmounts.regular);
	const currency = String(options.currency || DEFAULT_DELAY_POLICY.currency).trim().toUpperCase();
	if (!isCurrency(currency)) throw new NodeOperationError(this.getNode(), `Option "Policy Currency" is "${currency}", not an ISO 4217 currency code`, { description: 'Write the currency the amounts are in, such as USD or EUR.' });
	const amountsByCurrency = readAmountsByCurrency.call(this, options.amountsByCurrency);
	return {
		...DEFAULT_DELAY_POLICY,
		currency,
		...(Object.keys(amountsByCurrency).length ? { amountsByCurrency } : {}),
		tierAmounts: { regular: standard, premium: standard, vip: number('vipAmount', DEFAULT_DELAY_POLICY.tierAmounts.vip) },
		valueBands: options.valueBands === undefined ? DEFAULT_DELAY_POLICY.valueBands : readValueBands.call(this, String(options.valueBands)),
		thresholdDays: number('thresholdDays', DEFAULT_DELAY_POLICY.thresholdDays),
		productionBusinessDays: number('productionBusinessDays', DEFAULT_DELAY_POLICY.productionBusinessDays),
		transitDays: number('transitDays', DEFAULT_DELAY_POLICY.transitDays),
		instantCap: number('instantCap', DEFAULT_DELAY_POLICY.instantCap),
		calendar: { ...DEFAULT_DELAY_POLICY.calendar, timeZone, holidays },
	};
}

/** { "JPY": { standardAmount, vipAmount, valueBands, instantCap } }: every amount named, so none is taken from another currency. */
function readAmountsByCurrency(this: IExecuteFunctions, raw: unknown): Record<string, DelayAmounts> {
	if (raw === undefined || raw === null || raw === '') return {};
	let parsed: unknown = raw;
	if (typeof raw === 'string') {
		try {
			parsed = JSON.parse(raw);
		} catch {
			throw new NodeOperationError(this.getNode(), 'Option "Amounts in Other Currencies" is not JSON', { description: 'Write it as {"JPY": {"standardAmount": 3000, "vipAmount": 6000, "valueBands": "0:3000, 15000:6000", "instantCap": 30000}}.' });
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(this.getNode(), 'Option "Amounts in Other Currencies" must be an object by currency code', { description: 'Write it as {"JPY": {...}}.' });
	}
	const tables: Record<string, DelayAmounts> = {};
	for (const [code, value] of Object.entries(parsed as Record<string, unknown>)) {
		const currency = code.trim().toUpperCase();
		const where = `Amounts in Other Currencies, ${code}`;
		if (!isCurrency(currency)) throw new NodeOperationError(this.getNode(), `Option "${where}": "${code}" is not an ISO 4217 currency code`);
		const table = (value ?? {}) as IDataObject;
		const amount = (name: string) => {
			const number = Number(table[name]);
			if (table[name] === undefined || table[name] === '' || !Number.isFinite(number) || number < 0) {
				throw new NodeOperationError(this.getNode(), `Option "${where}": "${name}" must be a number of 0 or more`, { description: 'Name standardAmount, vipAmount, valueBands and instantCap for each currency.' });
			}
			return number;
		};
		if (typeof table.valueBands !== 'string') throw new NodeOperationError(this.getNode(), `Option "${where}": "valueBands" must be value:amount pairs such as "0:3000, 15000:6000"`);
		const standard = amount('standardAmount');
		tables[currency] = { tierAmounts: { regular: standard, premium: standard, vip: amount('vipAmount') }, valueBands: readValueBands.call(this, table.valueBands), instantCap: amount('instantCap') };
	}
	return tables;
}

function readValueBands(this: IExecuteFunctions, text: string): DelayPolicy['valueBands'] {
	const bands = text.split(',').map((pair) => pair.trim()).filter(Boolean).map((pair) => {
		const match = /^(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)$/.exec(pair);
		if (!match) {
			throw new NodeOperationError(this.getNode(), `Amount by Order Value: "${pair}" is not a value:amount pair`, { description: 'Write the bands as 0:25, 100:50, 250:100, 500:200.' });
		}
		return { from: Number(match[1]), amount: Number(match[2]) };
	});
	if (!bands.length) throw new NodeOperationError(this.getNode(), 'Amount by Order Value has no band', { description: 'Write at least one band, such as 0:25.' });
	return bands.sort((a, b) => a.from - b.from);
}

/** How a payout is made and told, for compensate and settle approval: the node's parameters, read once per run. */
export function readPayoutSettings(this: IExecuteFunctions, method: PayoutMethod, options: IDataObject): PayoutSettings {
	const unsubscribeGroupId = readWholeNumberParameter(this, 'unsubscribeGroupId', 'Transactional Unsubscribe Group ID', 0, 0);
	return {
		method,
		discountValidDays: readWholeNumberParameter(this, 'discountValidDays', 'Code Valid for Days', 90, 1),
		notify: this.getNodeParameter('notifyCustomer', 0, true) as boolean,
		...(String(this.getNodeParameter('templateId', 0, '') || '') ? { templateId: String(this.getNodeParameter('templateId', 0)) } : {}),
		...(unsubscribeGroupId ? { unsubscribeGroupId } : {}),
		...(options.storeName ? { storeName: String(options.storeName) } : {}),
	};
}

/** Options > Stripe Requests per Second: the pace of this run's Stripe requests; 0 (the default) chooses by the key. */
export function readStripeRequestsPerSecond(ctx: IExecuteFunctions, options: IDataObject): number {
	return readNumberOption(ctx, 'Stripe Requests per Second', options.stripeRequestsPerSecond, 0, 0);
}

/**
 * The orders to check, for both operations: Shopify's orders processed in the lookback, or the input items read
 * as orders (an item that is not one goes to `fail`, naming its field). Each with the item it answers.
 */
export async function readOrdersToCheck(
	this: IExecuteFunctions,
	source: string,
	now: Date,
	tiers: TierPolicy,
	policy: PromisePolicy,
	fail: (itemIndex: number, error: NodeOperationError) => void,
	shopify?: ShopifyService,
	needsEvents: (facts: OrderToCheck['facts']) => boolean = (facts) => needsTrackingEvents(facts, policy),
): Promise<Array<{ itemIndex: number; order: OrderToCheck }>> {
	const orders: Array<{ itemIndex: number; order: OrderToCheck }> = [];
	if (source === 'shopify') {
		const since = new Date(now.getTime() - readWholeNumberParameter(this, 'lookbackDays', 'Lookback Days', 60, 1) * 86_400_000);
		const read = await ordersForDelayCheck(shopify ?? (await ShopifyService.connect(this)), since, tiers, needsEvents);
		for (const order of read) orders.push({ itemIndex: 0, order });
	} else if (source === 'shopifyOrders') {
		orders.push(...(await readNamedOrders(this, fail, async (ids) => ordersForDelayCheckById(shopify ?? (await ShopifyService.connect(this)), ids, tiers, needsEvents), (order) => order.facts.orderId)));
	} else {
		// an order is compensated once: an item naming an order an earlier item named is refused, not reported paid twice
		const firstItemOf = new Map<string, number>();
		this.getInputData().forEach((item, itemIndex) => {
			const read = tryReadOrder(item.json, tiers, now);
			if (read instanceof InputProblem) {
				fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${read.message}`, { itemIndex, description: read.fix }));
				return;
			}
			const first = firstItemOf.get(read.facts.orderId);
			if (first !== undefined) {
				fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: Field "order_id" is "${read.facts.orderId}", the order item ${first} of this run already names`, { itemIndex, description: 'Give each order once: the first item naming it is the one decided and paid.' }));
				return;
			}
			firstItemOf.set(read.facts.orderId, itemIndex);
			orders.push({ itemIndex, order: read });
		});
	}
	return orders;
}

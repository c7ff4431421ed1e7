/** Decide Return Requests: each requested return decided by the store's policy, recorded first, carried out and told once. */
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type JsonObject } from 'n8n-workflow';
import { returnKeyOf, type StoredReturn } from '../../shared/contract/returnRequest';
import { returnDecisionsOf } from '../../shared/store/returnDecisions';
import { InputProblem, isEmailAddress } from '../../shared/items';
import { formatMoney, moneyToDecimal, type Money } from '../../shared/money';
import { failureSink } from '../../shared/n8n/errorItems';
import { readNow, readNumberOption } from '../../shared/n8n/options';
import { RETURN_POLICY, type ReturnPolicy } from '../../shared/policy';
import { SendGridService } from '../../shared/services/sendgrid';
import { ShopifyService } from '../../shared/services/shopify/client';
import { requestedReturnIds, returnsById, ticketReturnRequest } from '../../shared/services/shopify/returns';
import { SupabaseService } from '../../shared/services/supabase';
import { namedReturn, readTicketReturn, type TicketReturnInput } from '../returnInput';
import { RETURN_INTENTS, ticketReturnReason } from '../returnDecision';
import { oneLine } from '../../shared/email/text';
import { findOrder, ordersByReference } from '../../shared/services/shopify/orders';
import { decideReturns, type DeskOutcome, type DeskSettings } from '../returnRun';

const APPROVED = 0;
const DECLINED = 1;
const NEEDS_REVIEW = 2;
const OUTPUT_OF = { approve: APPROVED, decline: DECLINED, review: NEEDS_REVIEW } as const;

export async function decideReturnRequests(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const settings = readSettings.call(this, options);
	const outputs: INodeExecutionData[][] = [[], [], []];
	// a return that could not be read or carried out waits for a person: its error item goes there
	const fail = failureSink(this, outputs[NEEDS_REVIEW]);
	const shopify = await ShopifyService.connect(this);
	const supabase = settings.dryRun ? undefined : await SupabaseService.connect(this);

	const read: Array<{ itemIndex: number; stored: StoredReturn }> = [];
	const source = this.getNodeParameter('source', 0, 'shopify') as string;
	if (source === 'tickets') read.push(...(await readTicketRequests.call(this, shopify, supabase, now, fail)));
	else {
		const wanted: Array<{ itemIndex: number; returnId: string }> = [];
		if (source === 'shopify') {
			for (const returnId of await requestedReturnIds(shopify)) wanted.push({ itemIndex: 0, returnId });
		} else {
			const field = this.getNodeParameter('returnIdField', 0, 'return_id') as string;
			const seen = new Set<string>();
			this.getInputData().forEach((item, itemIndex) => {
				const returnId = namedReturn(item.json, field);
				if (returnId instanceof InputProblem) fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${returnId.message}`, { itemIndex, description: returnId.fix }));
				// a return is decided once a run: a second item naming it adds nothing
				else if (!seen.has(returnId)) {
					seen.add(returnId);
					wanted.push({ itemIndex, returnId });
				}
			});
		}
		const found = await returnsById(shopify, wanted.map((entry) => entry.returnId));
		for (const { itemIndex, returnId } of wanted) {
			const stored = found.get(returnId);
			if (stored) read.push({ itemIndex, stored });
			else fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: Shopify has no return ${returnId}`, { itemIndex, description: 'Check that the return is in this store and that the app has the read_returns scope.' }));
		}
	}

	const services = {
		shopify,
		...(supabase ? { supabase } : {}),
		...(!settings.dryRun && (settings.notifyCustomer || settings.staffEmail) ? { sendgrid: await SendGridService.connect(this) } : {}),
	};
	const outcomes = await decideReturns(services, settings, read.map((entry) => entry.stored), now);
	outcomes.forEach((outcome, at) => {
		const itemIndex = read[at].itemIndex;
		if (outcome.failure) {
			const failure = outcome.failure;
			fail(itemIndex, new NodeApiError(this.getNode(), { message: failure.message } as JsonObject, {
				message: `Item ${itemIndex} (return ${outcome.stored.name}): ${failure.message}`,
				description: `${failure.description ?? ''} The decision is recorded; the next run carries it out without doing anything twice.`.trim(),
				itemIndex,
			}));
			return;
		}
		// a return someone answered in Shopify, never decided here, is reported for a person to see, whatever policy says
		const output = outcome.status === 'not_requested' ? NEEDS_REVIEW : OUTPUT_OF[outcome.decision.outcome];
		outputs[output].push({ json: itemJson(outcome), pairedItem: { item: itemIndex } });
	});
	return outputs;
}

export /**
 * Tickets asking for a return, each read as a request on its order: every item still returnable, with the reason
 * the ticket gives. A ticket whose sender is not the order's customer is a person's to answer, not the desk's.
 */
async function readTicketRequests(
	this: IExecuteFunctions,
	shopify: ShopifyService,
	supabase: SupabaseService | undefined,
	now: Date,
	fail: (itemIndex: number, error: NodeOperationError) => void,
): Promise<Array<{ itemIndex: number; stored: StoredReturn }>> {
	const tickets: Array<{ itemIndex: number; ticket: TicketReturnInput }> = [];
	const seen = new Set<string>();
	this.getInputData().forEach((item, itemIndex) => {
		const ticket = readTicketReturn(item.json, RETURN_INTENTS);
		if (ticket instanceof InputProblem) fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${ticket.message}`, { itemIndex, description: ticket.fix }));
		else if (!seen.has(ticket.ticketId)) {
			seen.add(ticket.ticketId);
			tickets.push({ itemIndex, ticket });
		}
	});
	// a ticket decided before whose return was opened: that return is the request now (its items are no longer
	// returnable), so a resend reports the first decision instead of failing
	const decided = supabase && tickets.length ? await returnDecisionsOf(supabase, 'decide', tickets.map(({ ticket }) => returnKeyOf({ ticketId: ticket.ticketId }))) : new Map();
	const openedFor = new Map([...decided.values()].filter((row) => row.return_id).map((row) => [String(row.return_key), String(row.return_id)]));
	const opened = openedFor.size ? await returnsById(shopify, [...openedFor.values()]) : new Map<string, StoredReturn>();
	const orders = tickets.length ? await ordersByReference(shopify, tickets.map(({ ticket }) => ticket.orderReference)) : new Map();
	const read: Array<{ itemIndex: number; stored: StoredReturn }> = [];
	for (const { itemIndex, ticket } of tickets) {
		const earlier = opened.get(openedFor.get(returnKeyOf({ ticketId: ticket.ticketId })) ?? '');
		if (earlier) {
			read.push({ itemIndex, stored: { ...earlier, status: 'REQUESTED', request: { ...earlier.request, source: 'ticket', ticketId: ticket.ticketId } } });
			continue;
		}
		const order = findOrder(orders, ticket.orderReference);
		const problem = (message: string, description: string) => fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ticket ${ticket.ticketId}: ${message}`, { itemIndex, description }));
		if (!order) {
			problem(`Shopify has no order ${ticket.orderReference}`, 'Check the order the customer named; a person answers the ticket.');
			continue;
		}
		const request = await ticketReturnRequest(shopify, order.id, { requestedAt: ticket.requestedAt ?? now, reason: ticketReturnReason(ticket.intents, ticket.text), note: oneLine(ticket.text).slice(0, 255) });
		if (!request) {
			problem(`Shopify has no order ${ticket.orderReference}`, 'Check the order the customer named; a person answers the ticket.');
			continue;
		}
		const ordered = request.request.customer.email?.toLowerCase();
		if (ticket.customerEmail && ordered !== ticket.customerEmail.toLowerCase()) {
			problem(`the ticket comes from ${ticket.customerEmail}, not from the customer of order ${request.request.orderName}`, 'Nothing is opened for someone else\'s order: a person checks who is asking.');
			continue;
		}
		if (!request.request.lines.length) {
			problem(`nothing on order ${request.request.orderName} can be returned (not fulfilled yet, or returned already)`, 'A person answers the ticket: an order not shipped yet is cancelled or changed, not returned.');
			continue;
		}
		read.push({
			itemIndex,
			stored: {
				...request,
				request: { ...request.request, ticketId: ticket.ticketId },
				status: 'REQUESTED',
				name: `${request.request.orderName} (ticket ${ticket.ticketId})`,
				quantities: {},
				exchangeLineItems: [],
				refunded: { cents: 0, currency: request.request.currency },
			},
		});
	}
	return read;
}

export function moneyText(money: Money): IDataObject {
	return { cents: money.cents, currency: money.currency, amount: moneyToDecimal(money), formatted: formatMoney(money) };
}

function itemJson(outcome: DeskOutcome): IDataObject {
	const { stored, decision } = outcome;
	const request = stored.request;
	return {
		return: { id: request.returnId ?? null, name: stored.name, status: stored.status, requestedAt: request.requestedAt.toISOString(), ...(request.ticketId ? { ticketId: request.ticketId } : {}) },
		order: { id: request.orderId, name: request.orderName, customer_id: request.customer.id ?? null, customer_email: request.customer.email ?? null },
		returnDecision: {
			outcome: decision.outcome,
			status: outcome.status,
			...(outcome.alreadyDecided ? { alreadyDecided: true } : {}),
			...(decision.declineReason ? { declineReason: decision.declineReason, declineNote: decision.declineNote ?? '' } : {}),
			fault: decision.fault,
			offers: decision.offers,
			resolution: decision.resolution ?? null,
			returnedValue: moneyText(decision.returnedValue),
			restockingFee: moneyText(decision.restockingFee),
			returnShippingFee: moneyText(decision.returnShippingFee),
			shippingRefund: moneyText(decision.shippingRefund),
			bonus: moneyText(decision.bonus),
			amountDue: moneyText(decision.amountDue),
			window: decision.window,
			lines: decision.lines.map((line) => ({
				id: line.id,
				fault: line.fault,
				finalSale: line.finalSale,
				madeToOrder: line.madeToOrder,
				value: moneyText(line.value),
				...(line.exchangeVariant ? { exchangeVariant: { id: line.exchangeVariant.variantId, title: line.exchangeVariant.title } } : {}),
			})),
			reviewReasons: decision.reviewReasons,
			reasons: decision.reasons,
			summary: decision.summary,
			...(outcome.ledgerId ? { ledgerId: outcome.ledgerId } : {}),
			...(outcome.customerEmail ? { customerEmail: outcome.customerEmail as unknown as IDataObject } : {}),
			...(outcome.staffEmail ? { staffEmail: outcome.staffEmail as unknown as IDataObject } : {}),
		},
	} as IDataObject;
}

const list = (value: unknown, fallback: string[]) => (value === undefined ? fallback : String(value).split(',').map((entry) => entry.trim()).filter(Boolean));

/** The policy and what the run does, from the parameters; a value out of range names its option. */
export function readSettings(this: IExecuteFunctions, options: IDataObject): DeskSettings {
	const number = (name: keyof ReturnPolicy & string, label: string, minimum = 0) => readNumberOption(this, label, options[name], RETURN_POLICY[name] as number, minimum);
	const ladder = list(options.ladder, RETURN_POLICY.ladder);
	const bad = ladder.find((rung) => !['exchange', 'store_credit', 'refund'].includes(rung));
	if (bad) throw new NodeOperationError(this.getNode(), `Option "Resolution Ladder" names "${bad}", which is not exchange, store_credit or refund`, { description: 'List the resolutions first to last, such as exchange, store_credit, refund.' });
	const windowStartsAt = String(options.windowStartsAt ?? RETURN_POLICY.windowStartsAt);
	const policy: ReturnPolicy = {
		...RETURN_POLICY,
		windowDays: number('windowDays', 'Window Days'),
		windowStartsAt: windowStartsAt === 'fulfillment' ? 'fulfillment' : 'delivery',
		transitDays: number('transitDays', 'Transit Days'),
		euFloorDays: number('euFloorDays', 'EU Floor Days'),
		finalSaleTags: list(options.finalSaleTags, RETURN_POLICY.finalSaleTags),
		madeToOrderTags: list(options.madeToOrderTags, RETURN_POLICY.madeToOrderTags),
		restockingPercent: number('restockingPercent', 'Restocking Fee (%)'),
		returnShippingFee: number('returnShippingFee', 'Return Shipping Fee'),
		ladder: ladder as ReturnPolicy['ladder'],
		exchangeBonus: number('exchangeBonus', 'Exchange Bonus'),
		creditBonusPercent: number('creditBonusPercent', 'Credit Bonus (%)'),
		serialReturnsCount: number('serialReturnsCount', 'Serial Returner: Returns in a Year', 1),
		serialReturnedSharePercent: number('serialReturnedSharePercent', 'Serial Returner: Share Returned (%)'),
		reviewValueOver: number('reviewValueOver', 'Review Returns Worth Over'),
		noReturnsTag: String(options.noReturnsTag ?? RETURN_POLICY.noReturnsTag).trim(),
	};
	if (policy.restockingPercent > 100) throw new NodeOperationError(this.getNode(), 'Option "Restocking Fee (%)" must be 100 or less');
	const staffEmail = String(this.getNodeParameter('staffEmail', 0, '') ?? '').trim();
	if (staffEmail && !isEmailAddress(staffEmail)) throw new NodeOperationError(this.getNode(), `Parameter "Staff Email" is "${staffEmail}", not an email address`, { description: 'Give the address that reviews returns, such as returns@example-store.com, or leave it empty.' });
	return {
		policy,
		dryRun: this.getNodeParameter('dryRun', 0, false) as boolean,
		notifyCustomer: this.getNodeParameter('notifyCustomer', 0, true) as boolean,
		...(staffEmail ? { staffEmail } : {}),
		...(options.storeName ? { storeName: String(options.storeName) } : {}),
	};
}

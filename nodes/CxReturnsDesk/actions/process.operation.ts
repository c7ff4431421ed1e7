/** Process Received Returns: each approved return whose items are back, processed once by its decision. */
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type JsonObject } from 'n8n-workflow';
import type { Resolution } from '../../shared/contract/returnRequest';
import { InputProblem, readPath } from '../../shared/items';
import { failureSink } from '../../shared/n8n/errorItems';
import { readNow } from '../../shared/n8n/options';
import { SendGridService } from '../../shared/services/sendgrid';
import { ShopifyService } from '../../shared/services/shopify/client';
import { returnsById } from '../../shared/services/shopify/returns';
import { SupabaseService } from '../../shared/services/supabase';
import type { ProcessOutcome, ReceivedReturn } from '../processRun';
import { processReturns } from '../processRun';
import { refundedCents } from '../processing';
import { namedReturn } from '../returnInput';
import { moneyText, readSettings } from './decide.operation';

const PROCESSED = 0;
const NEEDS_REVIEW = 1;
const RESOLUTIONS: readonly Resolution[] = ['exchange', 'store_credit', 'refund'];

export async function processReceivedReturns(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const settings = readSettings.call(this, options);
	const outputs: INodeExecutionData[][] = [[], []];
	const fail = failureSink(this, outputs[NEEDS_REVIEW]);
	const shopify = await ShopifyService.connect(this);
	const field = this.getNodeParameter('returnIdField', 0, 'return_id') as string;
	const resolutionField = String(this.getNodeParameter('resolutionField', 0, 'resolution') || '');

	const wanted: Array<{ itemIndex: number; returnId: string; chosen?: Resolution }> = [];
	const seen = new Set<string>();
	this.getInputData().forEach((item, itemIndex) => {
		const returnId = namedReturn(item.json, field);
		if (returnId instanceof InputProblem) return fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${returnId.message}`, { itemIndex, description: returnId.fix }));
		const raw = resolutionField ? readPath(item.json, resolutionField) : undefined;
		const chosen = raw === undefined || raw === null || raw === '' ? undefined : String(raw).trim().toLowerCase().replace(/[\s-]+/g, '_');
		if (chosen !== undefined && !RESOLUTIONS.includes(chosen as Resolution)) {
			return fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: Field "${resolutionField}" is "${String(raw)}", not exchange, store_credit or refund`, { itemIndex, description: 'Give the customer\'s choice among the return\'s offers, or leave the field out for the first offer.' }));
		}
		if (seen.has(returnId)) return undefined;
		seen.add(returnId);
		wanted.push({ itemIndex, returnId, ...(chosen ? { chosen: chosen as Resolution } : {}) });
		return undefined;
	});
	const found = await returnsById(shopify, wanted.map((entry) => entry.returnId));
	const received: Array<ReceivedReturn & { itemIndex: number }> = [];
	for (const { itemIndex, returnId, chosen } of wanted) {
		const stored = found.get(returnId);
		if (stored) received.push({ itemIndex, stored, ...(chosen ? { chosen } : {}) });
		else fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: Shopify has no return ${returnId}`, { itemIndex, description: 'Check that the return is in this store and that the app has the read_returns scope.' }));
	}
	const services = {
		shopify,
		...(settings.dryRun ? {} : { supabase: await SupabaseService.connect(this) }),
		...(!settings.dryRun && settings.notifyCustomer ? { sendgrid: await SendGridService.connect(this) } : {}),
	};
	const outcomes = await processReturns(services, settings, received, now);
	outcomes.forEach((outcome, at) => {
		const itemIndex = received[at].itemIndex;
		if (outcome.failure) {
			fail(itemIndex, new NodeApiError(this.getNode(), { message: outcome.failure.message } as JsonObject, {
				message: `Item ${itemIndex} (return ${outcome.stored.name}): ${outcome.failure.message}`,
				description: `${outcome.failure.description ?? ''} The processing is recorded; the next run reads the return's quantities in Shopify and does nothing twice.`.trim(),
				itemIndex,
			}));
			return;
		}
		outputs[outcome.status === 'needs_review' ? NEEDS_REVIEW : PROCESSED].push({ json: itemJson(outcome), pairedItem: { item: itemIndex } });
	});
	return outputs;
}

function itemJson(outcome: ProcessOutcome): IDataObject {
	const { stored, plan } = outcome;
	const refunded = plan ? refundedCents(plan) : 0;
	return {
		return: { id: stored.request.returnId ?? null, name: stored.name, status: stored.status },
		order: { id: stored.request.orderId, name: stored.request.orderName, customer_id: stored.request.customer.id ?? null, customer_email: stored.request.customer.email ?? null },
		returnProcessing: {
			status: outcome.status,
			...(outcome.alreadyProcessed ? { alreadyProcessed: true } : {}),
			...(outcome.reason ? { reason: outcome.reason, message: outcome.message ?? '' } : {}),
			...(plan
				? {
						resolution: plan.resolution,
						lines: plan.lines.map((line) => ({ id: line.id, quantity: line.quantity, disposition: line.disposition })),
						...(plan.exchangeLineItems.length ? { exchangeLineItems: plan.exchangeLineItems } : {}),
						...(refunded ? { refunded: moneyText({ cents: refunded, currency: stored.request.currency }) } : {}),
						...(plan.storeCredit ? { storeCredit: moneyText(plan.storeCredit) } : {}),
						...(plan.creditBonus ? { creditBonus: moneyText(plan.creditBonus) } : {}),
						...(plan.shippingRefund ? { shippingRefund: moneyText(plan.shippingRefund) } : {}),
						reasons: plan.reasons,
					}
				: {}),
			...(outcome.ledgerId ? { ledgerId: outcome.ledgerId } : {}),
			...(outcome.bonus ? { bonus: outcome.bonus as unknown as IDataObject } : {}),
			...(outcome.customerEmail ? { customerEmail: outcome.customerEmail as unknown as IDataObject } : {}),
		},
	} as IDataObject;
}

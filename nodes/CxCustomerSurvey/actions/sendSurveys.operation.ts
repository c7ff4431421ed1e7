/** Send Surveys: delivered orders from Shopify or items, planned, recorded and mailed once; a summary of who was asked and why not. */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { InputProblem } from '../../shared/items';
import { readNamedOrders } from '../../shared/n8n/namedOrders';
import { SendGridService } from '../../shared/services/sendgrid';
import { ShopifyService } from '../../shared/services/shopify/client';
import { deliveredOrders, deliveredOrdersById } from '../../shared/services/shopify/orders';
import { SupabaseService } from '../../shared/services/supabase';
import { latestDeliveryAsked } from '../../shared/store/surveyInvites';
import { readNow, readWebAddress, readWholeNumberOption, readWholeNumberParameter } from '../../shared/n8n/options';
import { readTierPolicy } from '../../shared/n8n/policyOptions';
import { invitesFor, knownInvite, recordInvites, sendInvites, type SendOutcome, type SurveySettings, type ToSurvey } from '../sendSurveys';
import { DEFAULT_SURVEY_POLICY, deliveryWindow, planSurveys, type ConsentRule, type SurveyDecision, type SurveyPolicy, type SurveyType } from '../survey';
import type { DeliveredOrder } from '../../shared/contract/order';
import { tryReadOrderItem } from '../surveyInput';
import { failureSink } from '../../shared/n8n/errorItems';
import { erasedAmong } from '../../shared/store/privacy';

const SURVEYED = 0;
const SUMMARY = 1;
const DAY = 86_400_000;

export function readSettings(this: IExecuteFunctions, options: IDataObject): SurveySettings {
	const where = 'Set it to the production URL of the answer workflow\'s Webhook node (e.g. https://n8n.example.com/webhook/cx-survey), and activate that workflow.';
	const answerUrl = readWebAddress(this, 'Survey Answer URL', this.getNodeParameter('answerUrl', 0, ''), where);
	if (!answerUrl) throw new NodeOperationError(this.getNode(), '"Survey Answer URL" is empty', { description: where });
	const unsubscribeGroupId = readWholeNumberParameter(this, 'unsubscribeGroupId', 'Unsubscribe Group ID', 0, 0);
	if (!(Number.isInteger(unsubscribeGroupId) && unsubscribeGroupId > 0)) {
		throw new NodeOperationError(this.getNode(), 'Survey email needs an unsubscribe group', {
			description: 'Set "Unsubscribe Group ID" to a SendGrid group (Marketing > Unsubscribe Groups): every survey carries its unsubscribe link.',
		});
	}
	return {
		type: this.getNodeParameter('questionType', 0, 'csat') as SurveyType,
		answerUrl,
		unsubscribeGroupId,
		...(options.storeName ? { storeName: String(options.storeName) } : {}),
	};
}

function readPolicy(this: IExecuteFunctions, options: IDataObject): SurveyPolicy {
	return {
		daysAfterDelivery: readWholeNumberOption(this, 'daysAfterDelivery', options.daysAfterDelivery, DEFAULT_SURVEY_POLICY.daysAfterDelivery, 0),
		catchUpDays: readWholeNumberOption(this, 'catchUpDays', options.catchUpDays, DEFAULT_SURVEY_POLICY.catchUpDays, 1),
		throttleDays: readWholeNumberOption(this, 'throttleDays', options.throttleDays, DEFAULT_SURVEY_POLICY.throttleDays, 0),
		consent: (options.consent === 'notOptedOut' ? 'notOptedOut' : 'subscribed') as ConsentRule,
	};
}

export async function sendSurveys(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const policy = readPolicy.call(this, options);
	const settings = readSettings.call(this, options);
	const source = this.getNodeParameter('source', 0, 'shopify') as string;
	const outputs: INodeExecutionData[][] = [[], []];
	const fail = failureSink(this, outputs[SURVEYED]);

	const orders: DeliveredOrder[] = [];
	const itemOf: number[] = [];
	if (source === 'shopify') {
		const lookbackDays = readWholeNumberOption(this, 'lookbackDays', options.lookbackDays, 60, 1);
		const since = new Date(now.getTime() - lookbackDays * DAY).toISOString().slice(0, 10);
		const shopify = await ShopifyService.connect(this);
		// each customer's tier as the store defines it (its VIP tag and thresholds): the answers' breakdown and routing by tier use it
		await deliveredOrders(shopify, since, (order) => {
			orders.push(order);
			itemOf.push(0);
		}, readTierPolicy(options));
	} else if (source === 'shopifyOrders') {
		const named = await readNamedOrders(this, fail, async (ids) => deliveredOrdersById(await ShopifyService.connect(this), ids, readTierPolicy(options)), (order) => order.orderId, (id) => `Shopify has no order ${id} that is not cancelled`);
		for (const { itemIndex, order } of named) {
			orders.push(order);
			itemOf.push(itemIndex);
		}
	} else {
		items.forEach((item, itemIndex) => {
			const read = tryReadOrderItem(item.json);
			if (read instanceof InputProblem) {
				fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${read.message}`, { itemIndex, description: read.fix }));
			} else {
				orders.push(read);
				itemOf.push(itemIndex);
			}
		});
	}

	const supabase = await SupabaseService.connect(this);
	// the window reaches back to the latest delivery already asked about: a run missed for longer than Catch Up Days loses no order
	const lastAsked = await latestDeliveryAsked(supabase, settings.type, now);
	// only the orders delivered in the window can be asked: the ledger is read for them and their customers
	const window = deliveryWindow(now, policy, lastAsked);
	const inWindow = orders.filter((order) => {
		const at = order.deliveredAt ? Date.parse(order.deliveredAt) : Number.NaN;
		return at > window.from.getTime() && at <= window.to.getTime();
	});
	const invites = inWindow.length ? (await invitesFor(supabase, inWindow)).map(knownInvite) : [];
	const { decisions, summary } = planSurveys(orders, invites, settings.type, policy, now, lastAsked);
	const toSurvey: ToSurvey[] = [];
	// a customer whose data was erased on request is never asked again
	const erased = await erasedAmong(supabase, orders.map((order, index) => (decisions[index].survey ? { id: order.customerId ?? null, email: order.email ?? null } : {})));
	decisions.forEach((decision, index) => {
		if (decision.survey && erased.has(index)) {
			summary.toSurvey--;
			summary.skipped.erased_on_request = (summary.skipped.erased_on_request ?? 0) + 1;
		} else if (decision.survey) toSurvey.push({ itemIndex: itemOf[index], order: orders[index], decision });
	});

	const counts = { sent: 0, unconfirmed: 0, failed: 0 };
	if (toSurvey.length) {
		const services = { supabase, sendgrid: await SendGridService.connect(this) };
		// the ledger first: nobody is mailed who is not written down with their token
		const ledger = await recordInvites(supabase, toSurvey, settings.type, now);
		for (const outcome of await sendInvites(this, services, settings, toSurvey, ledger, now)) {
			counts[outcome.status]++;
			// a SendGrid failure in this run is reported, whether the batch is sent again (failed) or not (unconfirmed)
			if (outcome.error) {
				const after = outcome.status === 'failed'
					? 'The invitation stays pending in survey_invites; the next run sends it, once.'
					: 'SendGrid may have accepted it: the invitation stays "sending" and is never sent again. Check SendGrid\'s activity for custom argument cx_survey.';
				fail(outcome.entry.itemIndex, new NodeApiError(this.getNode(), { message: outcome.error.message }, {
					message: `Order ${outcome.entry.order.orderId}: ${outcome.error.message}`,
					description: `${outcome.error.description ?? ''} ${after}`.trim(),
					itemIndex: outcome.entry.itemIndex,
				}));
				continue;
			}
			outputs[SURVEYED].push({ json: orderJson(outcome.entry.order, outcome.entry.decision as SurveyDecision, outcomeJson(outcome, settings.type)), pairedItem: { item: outcome.entry.itemIndex } });
		}
	}

	outputs[SUMMARY].push({
		json: {
			survey: settings.type,
			deliveredFrom: window.from.toISOString(),
			deliveredTo: window.to.toISOString(),
			...(window.catchUp ? { caughtUpFrom: lastAsked!.toISOString() } : {}),
			orders: summary.orders,
			deliveredInWindow: summary.deliveredInWindow,
			toSurvey: summary.toSurvey,
			...counts,
			skipped: summary.skipped,
			skippedTotal: Object.values(summary.skipped).reduce((sum, count) => sum + count, 0),
			consent: policy.consent,
		} as unknown as IDataObject,
		pairedItem: source === 'shopify' ? { item: 0 } : items.map((_, item) => ({ item })),
	});
	return outputs;
}

function orderJson(order: DeliveredOrder, decision: SurveyDecision, extra: IDataObject): IDataObject {
	return {
		order_id: order.orderId,
		order_name: order.orderName ?? null,
		customer_id: order.customerId ?? null,
		email: order.email ?? null,
		first_name: order.firstName ?? null,
		delivered_at: order.deliveredAt ?? null,
		tier: order.tier ?? null,
		survey: { ...extra, reasons: decision.reasons },
	};
}

export function outcomeJson(outcome: SendOutcome, type: SurveyType): IDataObject {
	return {
		type,
		status: outcome.status,
		...(outcome.inviteId ? { inviteId: outcome.inviteId } : {}),
		...(outcome.messageId ? { messageId: outcome.messageId } : {}),
		...(outcome.status === 'unconfirmed'
			? { note: 'An earlier attempt may have sent this survey; it is not sent again. Check SendGrid\'s activity for custom argument cx_survey.' }
			: {}),
	};
}

/** Win back: the store's customers planned by dormancy and RFM, suppressed where contact is recent, coded and mailed once per campaign window. */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { carriesOnlyCustomerId, customerIdOf, customerToItem, lookedUpCustomer, tryReadCustomerItem } from '../../shared/customerInput';
import type { RetentionCustomer } from '../../shared/contract/customer';
import { InputProblem } from '../../shared/items';
import { RFM_THRESHOLDS, type RfmThresholds, type Segment, SEGMENTS, VISIT_GAP_HOURS, WINBACK_POLICY, type WinBackPolicy } from '../../shared/policy';
import { SendGridService } from '../../shared/services/sendgrid';
import { ShopifyService } from '../../shared/services/shopify/client';
import { retentionCustomers, retentionCustomersByIds } from '../../shared/services/shopify/customers';
import { SupabaseService } from '../../shared/services/supabase';
import { readNumberOption, readNow, readWebAddress, readWholeNumberParameter } from '../../shared/n8n/options';
import { campaignWindow, planWinBack, type WinBackDecision } from '../winback';
import { contactsFor, makeCodes, recordPlannedSends, sendMail, type CodeMode, type SendOutcome, type ToMail, type WinBackSettings } from '../winbackRun';
import { NOT_COMPENSATION_STATUSES } from '../../shared/store/compensationLedger';
import { OPEN_TICKET_STATUSES } from '../../shared/contract/ticket';
import { winbackContext } from '../../shared/store/winbackSends';
import { failureSink } from '../../shared/n8n/errorItems';
import { erasedAmongKeys } from '../../shared/store/privacy';

const CUSTOMERS = 0;
const SUMMARY = 1;
const DAY = 86_400_000;

export async function winBackCustomers(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const policy = readPolicy.call(this, options);
	const source = this.getNodeParameter('source', 0) as string;
	const dryRun = this.getNodeParameter('dryRun', 0, false) as boolean;
	// the summary alone: a store of 100,000 customers would otherwise put 100,000 items into the execution n8n saves
	const perCustomer = options.output !== 'summary';
	const settings: WinBackSettings = {
		codeMode: this.getNodeParameter('codeMode', 0, 'perCustomer') as CodeMode,
		codeValidDays: readNumberOption(this, 'codeValidDays', options.codeValidDays, 30, 1),
		unsubscribeGroupId: dryRun ? 0 : readWholeNumberParameter(this, 'unsubscribeGroupId', 'Marketing Unsubscribe Group ID', 0, 0),
		...(!dryRun && this.getNodeParameter('templateId', 0, '') ? { templateId: String(this.getNodeParameter('templateId', 0)) } : {}),
		...(options.storeName ? { storeName: String(options.storeName) } : {}),
		...(options.storeUrl ? { storeUrl: readWebAddress(this, 'Store URL', options.storeUrl, 'Fix Options > Store URL: the shop\'s address, such as https://shop.example.com.') } : {}),
	};
	if (!dryRun && !(Number.isInteger(settings.unsubscribeGroupId) && settings.unsubscribeGroupId > 0)) {
		throw new NodeOperationError(this.getNode(), 'Win-back email needs a marketing unsubscribe group', {
			description: 'Set "Marketing Unsubscribe Group ID" to the SendGrid group for marketing mail (Marketing > Unsubscribe Groups), or turn on Dry Run.',
		});
	}
	const outputs: INodeExecutionData[][] = [[], []];
	const fail = failureSink(this, outputs[CUSTOMERS]);

	const shopify = await ShopifyService.connect(this);
	const supabase = await SupabaseService.connect(this);
	const customers: RetentionCustomer[] = [];
	const itemOf: number[] = [];
	if (source === 'shopify') {
		for (const customer of await retentionCustomers(shopify)) {
			customers.push(customer);
			itemOf.push(0);
		}
	} else {
		const currency = String(options.currency || 'USD');
		// items that name the customer by id alone (the director's retention_campaign) are looked up in Shopify, in one read
		const idOnly = items.map((item) => carriesOnlyCustomerId(item.json));
		const found = idOnly.some(Boolean)
			? await retentionCustomersByIds(shopify, items.filter((_, index) => idOnly[index]).map((item) => String(customerIdOf(item.json) ?? '')))
			: new Map<string, RetentionCustomer>();
		items.forEach((item, itemIndex) => {
			const read = idOnly[itemIndex] ? lookedUpCustomer(item.json, found) : tryReadCustomerItem(item.json, currency, now);
			if (read instanceof InputProblem) {
				fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${read.message}`, { itemIndex, description: read.fix }));
			} else {
				customers.push(read);
				itemOf.push(itemIndex);
			}
		});
	}

	const window = campaignWindow(now, policy.cooldownDays);
	const since = (days: number) => new Date(now.getTime() - days * DAY);
	// who was in touch lately, in one read: open tickets, recent compensations, everything sent within the cooldown and
	// every row of this window whatever its state, and the erased customers
	const context = await winbackContext(supabase, {
		openStatuses: OPEN_TICKET_STATUSES,
		compensatedSince: since(policy.recentContactDays),
		notCompensationStatuses: NOT_COMPENSATION_STATUSES,
		sentSince: since(policy.cooldownDays),
		window,
	});
	const contacts = contactsFor(customers, context.openTickets, context.compensations, context.sends);
	// a customer whose data was erased on request is never mailed again
	const erased = erasedAmongKeys(context.erasedKeys, customers.map((customer) => ({ id: customer.customerId, email: customer.email ?? null })));
	contacts.erasedCustomerIds = new Set([...erased].map((index) => customers[index].customerId));
	const { decisions, summary } = planWinBack(customers, contacts, policy, now);
	const toMail: ToMail[] = [];
	decisions.forEach((decision, index) => {
		if (decision.toMail) toMail.push({ itemIndex: itemOf[index], customer: customers[index], decision });
	});

	const counts = { sent: 0, unconfirmed: 0, failed: 0, notSent: 0 };
	let codesNotMade: string | undefined;
	if (dryRun) {
		if (perCustomer) for (const entry of toMail) outputs[CUSTOMERS].push({ json: customerJson(entry.customer, entry.decision, { status: 'planned', campaignWindow: window, dryRun: true }), pairedItem: { item: entry.itemIndex } });
	} else if (toMail.length) {
		const services = { supabase, shopify, sendgrid: await SendGridService.connect(this) };
		// the ledger first: nothing is coded or sent that is not written down
		const ledger = await recordPlannedSends(supabase, toMail, window, settings.codeMode);
		const codeProblems = await makeCodes(services, settings, ledger, now);
		codesNotMade = codeProblems.expired?.message;
		const outcomes = await sendMail(this, services, settings, toMail, new Map(ledger.map((row) => [String(row.customer_id), row])), codeProblems, now);
		for (const outcome of outcomes) {
			counts[outcome.status === 'not_sent' ? 'notSent' : outcome.status]++;
			if (outcome.error && outcome.status === 'failed') {
				fail(outcome.entry.itemIndex, new NodeApiError(this.getNode(), { message: outcome.error.message }, {
					message: `Customer ${outcome.entry.customer.customerId}: ${outcome.error.message}`,
					description: `${outcome.error.description ?? ''} The win-back row stays in winback_sends; the next run of this campaign window sends it, once.`.trim(),
					itemIndex: outcome.entry.itemIndex,
				}));
				continue;
			}
			if (perCustomer) outputs[CUSTOMERS].push({ json: customerJson(outcome.entry.customer, outcome.entry.decision, outcomeJson(outcome, window)), pairedItem: { item: outcome.entry.itemIndex } });
		}
	}

	outputs[SUMMARY].push({
		json: {
			campaignWindow: window,
			dryRun,
			customers: summary.customers,
			dormant: summary.dormant,
			toMail: summary.toMail,
			...(dryRun ? {} : counts),
			...(codesNotMade ? { codesNotMade } : {}),
			suppressed: summary.suppressed,
			suppressedTotal: Object.values(summary.suppressed).reduce((sum, count) => sum + count, 0),
			bySegment: summary.bySegment,
			codeMode: settings.codeMode,
			offers: policy.offers,
		} as unknown as IDataObject,
		pairedItem: source === 'items' ? items.map((_, item) => ({ item })) : { item: 0 },
	});
	return outputs;
}

function customerJson(customer: RetentionCustomer, decision: WinBackDecision, extra: IDataObject): IDataObject {
	// win-back decides on orders, not on refunds or returns: its items leave both out
	const { order_dates: orderDates, refund_dates: refundDates, return_dates: returnDates, ...fields } = customerToItem(customer);
	void refundDates;
	void returnDates;
	return {
		...fields,
		last_order_at: (orderDates as string[]).reduce<string | null>((latest, date) => (!latest || Date.parse(date) > Date.parse(latest) ? date : latest), null),
		winback: {
			segment: decision.segment,
			rfm: decision.rfm,
			offerPercent: decision.offerPercent,
			reasons: decision.reasons,
			...extra,
		},
	} as unknown as IDataObject;
}

function outcomeJson(outcome: SendOutcome, window: string): IDataObject {
	return {
		status: outcome.status,
		campaignWindow: window,
		...(outcome.discountCode ? { discountCode: outcome.discountCode } : {}),
		...(outcome.messageId ? { messageId: outcome.messageId } : {}),
		...(outcome.reason ? { reason: outcome.reason } : {}),
		...(outcome.status === 'unconfirmed'
			? { note: 'An earlier attempt may have sent this email; it is not sent again. Check SendGrid\'s activity for custom argument cx_winback.' }
			: {}),
	};
}

function readPolicy(this: IExecuteFunctions, options: IDataObject): WinBackPolicy {
	const offersGiven = this.getNodeParameter('offers', 0, {}) as IDataObject;
	const offers = { ...WINBACK_POLICY.offers };
	for (const segment of SEGMENTS) {
		if (offersGiven[segment] === undefined) continue;
		const percent = Number(offersGiven[segment]);
		if (!Number.isFinite(percent) || percent < 0 || percent >= 100) {
			throw new NodeOperationError(this.getNode(), `The offer for ${segment} is ${String(offersGiven[segment])}; it must be a percent from 0 to 99`, { description: 'Fix Offers (% Off): 0 sends a plain we-miss-you.' });
		}
		offers[segment as Segment] = percent;
	}
	return {
		dormancyMultiple: readNumberOption(this, 'dormancyMultiple', options.dormancyMultiple, WINBACK_POLICY.dormancyMultiple, 1),
		oneTimeBuyerFloorDays: readNumberOption(this, 'oneTimeBuyerFloorDays', options.oneTimeBuyerFloorDays, WINBACK_POLICY.oneTimeBuyerFloorDays, 1),
		minimumGapDays: readNumberOption(this, 'minimumGapDays', options.minimumGapDays, WINBACK_POLICY.minimumGapDays, 0),
		cooldownDays: readNumberOption(this, 'cooldownDays', options.cooldownDays, WINBACK_POLICY.cooldownDays, 1),
		recentContactDays: readNumberOption(this, 'recentContactDays', options.recentContactDays, WINBACK_POLICY.recentContactDays, 0),
		offers,
		rfm: {
			recencyDays: readThresholds.call(this, 'RFM Recency Days (Scores 5 to 2)', options.rfmRecencyDays, RFM_THRESHOLDS.recencyDays, 'days since the last order, at most'),
			visits: readThresholds.call(this, 'RFM Visits (Scores 2 to 5)', options.rfmVisits, RFM_THRESHOLDS.visits, 'visits, at least'),
			spend: readThresholds.call(this, 'RFM Spend (Scores 2 to 5)', options.rfmSpend, RFM_THRESHOLDS.spend, 'lifetime spend, at least'),
		},
		visitGapHours: readNumberOption(this, 'Orders Within Hours Are One Visit', options.visitGapHours, VISIT_GAP_HOURS, 0),
	};
}

/** Four rising numbers, 0 or more, as a comma-separated text; empty takes the default. The label names the option. */
function readThresholds(this: IExecuteFunctions, label: string, value: unknown, fallback: RfmThresholds['spend'], what: string): RfmThresholds['spend'] {
	if (value === undefined || value === null || value === '') return fallback;
	const numbers = String(value).split(',').map((part) => Number(part.trim()));
	const rising = numbers.every((number, index) => index === 0 || number > numbers[index - 1]);
	if (numbers.length !== 4 || numbers.some((number) => !Number.isFinite(number) || number < 0) || !rising) {
		throw new NodeOperationError(this.getNode(), `Option "${label}" must be four rising numbers of 0 or more (${what}), not "${String(value)}"`, {
			description: `Fix Options > ${label}, e.g. "${fallback.join(', ')}" (the default).`,
		});
	}
	return numbers as RfmThresholds['spend'];
}

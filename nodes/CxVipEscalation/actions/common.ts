/** What both operations of CX VIP Escalation share: their settings and policy, the Shopify look-ups, and the output's shape. */
import { isEmailAddress } from '../../shared/items';
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
} from 'n8n-workflow';
import type { BusinessHours } from '../../shared/time';
import { ESCALATION_LEVELS, type TIER_POLICY } from '../../shared/policy';
import { readCustomerCacheMinutes, readEscalationRules, readTierPolicy } from '../../shared/n8n/policyOptions';
import { findOrder, ordersByReference, type OrderReference } from '../../shared/services/shopify/orders';
import type { CustomerProfile } from '../../shared/contract/customer';
import { profilesThroughCache } from '../../shared/store/customerContext';
import type { EscalationInput } from '../caseInput';
import type { EscalationLevel, EscalationPolicy } from '../escalation';
import { LEVEL_NAMES } from '../escalationEmail';
import type { EscalationOutcome, EscalationSettings, Services } from '../escalationRun';


export function readSettings(this: IExecuteFunctions, options: IDataObject): EscalationSettings {
	const notify = this.getNodeParameter('notifyByEmail', 0, true) as boolean;
	const list = (level: EscalationLevel): string[] => {
		if (!notify) return [];
		const text = String(this.getNodeParameter(`recipientsLevel${level}`, 0, '') ?? '');
		const emails = text.split(/[,;\s]+/).map((email) => email.trim()).filter(Boolean);
		const bad = emails.find((email) => !isEmailAddress(email));
		if (bad) {
			throw new NodeOperationError(this.getNode(), `"${bad}" in the ${LEVEL_NAMES[level]} emails is not an email address`, { description: 'Separate addresses with commas.' });
		}
		return emails;
	};
	const recipients = { 1: list(1), 2: list(2), 3: list(3) };
	if (notify && !recipients[1].length) {
		throw new NodeOperationError(this.getNode(), 'Notify by Email is on but no team lead (level 1) email is set', { description: 'Set "Team Lead Emails (Level 1)": every escalation goes to them.' });
	}
	const useShopify = this.getNodeParameter('useShopify', 0, true) as boolean;
	return {
		notify,
		tag: useShopify && (this.getNodeParameter('tagInShopify', 0, true) as boolean),
		tagName: String(this.getNodeParameter('tag', 0, ESCALATION_LEVELS.shopifyTag) || ESCALATION_LEVELS.shopifyTag),
		recipients,
		redactPersonalData: notify && (this.getNodeParameter('redactPersonalData', 0, false) as boolean),
		timeZone: String(options.timeZone || this.getTimezone()),
		customerCacheMinutes: readCustomerCacheMinutes(this, options),
	};
}

/** The rules, levels and tiers from the options; with the store's business hours when given (Options > Business Hours). */
export function readPolicy(options: IDataObject, businessHours: BusinessHours | null = null): EscalationPolicy & { tiers: typeof TIER_POLICY; businessHours: BusinessHours | null } {
	return { rules: readEscalationRules(options), levels: ESCALATION_LEVELS, tiers: readTierPolicy(options), businessHours };
}

/** What an escalation email shows of the customer's orders: their latest few. */
const RECENT_ORDERS = 3;

/**
 * The cases' customers (with last name, phone and latest orders, for the person notified) and orders from Shopify,
 * batched; customers read within Options > Customer Cache Minutes of the run's Now come from customer_context (with
 * Record in Supabase), so a customer escalated again, or read by triage a moment before, costs Shopify less.
 */
export async function lookUp(services: Services, cases: Array<Pick<EscalationInput, 'customerEmail' | 'customerId' | 'orderId'>>, now: Date, cacheMinutes: number) {
	if (!services.shopify) return { profiles: new Map<string, CustomerProfile>(), orders: new Map() };
	const profiles = await profilesThroughCache(services.shopify, services.supabase, cases, now, cacheMinutes, { detail: { recentOrders: RECENT_ORDERS } });
	const orders = await ordersByReference(services.shopify, cases.flatMap((each) => (each.orderId ? [each.orderId] : [])));
	return { profiles, orders };
}

export function orderOf(orders: Map<string, OrderReference>, orderId?: string) {
	return findOrder(orders, orderId);
}

export function failure(this: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

export function outcomeJson(outcome: EscalationOutcome, level: EscalationLevel): IDataObject {
	return {
		status: outcome.status,
		alreadyEscalated: outcome.status === 'already_escalated',
		level,
		levelName: LEVEL_NAMES[level],
		recipients: outcome.recipients,
		...(outcome.messageId ? { messageId: outcome.messageId } : {}),
		...(outcome.ledgerId ? { ledgerId: outcome.ledgerId } : {}),
		tagged: outcome.tagged,
	};
}

/**
 * Node options that more than one node offers, with one reader each: the escalation rules, the tier thresholds and
 * the customer cache's window. Defaults are literals because n8n reads them so; unit tests hold them equal to
 * policy.ts.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { CUSTOMER_CACHE_MINUTES, ESCALATION_POLICY, TIER_POLICY } from '../policy';
import { readWholeNumberOption } from './options';

export const ESCALATION_RULE_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Escalate Order Value Over',
		name: 'escalateOrderValueOver',
		type: 'number',
		default: 500,
		description: 'Escalate issues about orders worth more than this (0 turns the rule off)',
	},
	{
		displayName: 'Escalate Threatening Language',
		name: 'escalateThreatening',
		type: 'boolean',
		default: true,
		description: 'Whether chargeback, dispute, lawyer and public-review threats escalate',
	},
	{
		displayName: 'Escalate Urgent',
		name: 'escalateUrgent',
		type: 'boolean',
		default: true,
		description: 'Whether urgent-priority issues escalate',
	},
	{
		displayName: 'Escalate VIP',
		name: 'escalateVip',
		type: 'boolean',
		default: true,
		description: 'Whether every VIP customer\'s issue escalates (seeds: "Escalate VIP customer issues immediately")',
	},
];

export const TIER_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Premium Lifetime Spend Over',
		name: 'premiumLifetimeSpend',
		type: 'number',
		default: 500,
		description: 'Premium tier above this lifetime spend, in the store\'s currency',
	},
	{
		displayName: 'VIP Lifetime Spend Over',
		name: 'vipLifetimeSpend',
		type: 'number',
		default: 1000,
		description: 'VIP tier above this lifetime spend, in the store\'s currency',
	},
	{
		displayName: 'VIP Tag',
		name: 'vipTag',
		type: 'string',
		default: 'VIP',
		description: 'A Shopify customer tag that makes a customer VIP',
	},
];

const numberOption = (options: IDataObject, name: string, fallback: number) => (options[name] === undefined ? fallback : Number(options[name]));
const flagOption = (options: IDataObject, name: string, fallback: boolean) => (options[name] === undefined ? fallback : Boolean(options[name]));

export function readEscalationRules(options: IDataObject): typeof ESCALATION_POLICY {
	return {
		escalateVip: flagOption(options, 'escalateVip', ESCALATION_POLICY.escalateVip),
		escalateUrgent: flagOption(options, 'escalateUrgent', ESCALATION_POLICY.escalateUrgent),
		escalateThreatening: flagOption(options, 'escalateThreatening', ESCALATION_POLICY.escalateThreatening),
		escalateOrderValueOver: numberOption(options, 'escalateOrderValueOver', ESCALATION_POLICY.escalateOrderValueOver),
	};
}

export function readTierPolicy(options: IDataObject): typeof TIER_POLICY {
	return {
		...TIER_POLICY,
		vipTag: String(options.vipTag ?? TIER_POLICY.vipTag),
		vipLifetimeSpend: numberOption(options, 'vipLifetimeSpend', TIER_POLICY.vipLifetimeSpend),
		premiumLifetimeSpend: numberOption(options, 'premiumLifetimeSpend', TIER_POLICY.premiumLifetimeSpend),
	};
}

/**
 * Options > Customer Cache Minutes (CX Ticket Triage, CX VIP Escalation; policy.ts CUSTOMER_CACHE_MINUTES): how long
 * a customer read from Shopify is reused from customer_context. `needs`: the parameters it takes effect with; `kept`:
 * what the node keeps of the customer there.
 */
export function customerCacheOption(needs: string, kept: string): INodeProperties {
	return {
		displayName: 'Customer Cache Minutes',
		name: 'customerCacheMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 15,
		description: `With ${needs}: how long what Shopify said about a customer (${kept}) is reused from the customer_context table instead of asked again, by the run's Now; 0 asks Shopify for every run`,
	};
}

/** Options > Customer Cache Minutes as a whole number of 0 or more (0: the cache is off). */
export function readCustomerCacheMinutes(ctx: IExecuteFunctions, options: IDataObject): number {
	return readWholeNumberOption(ctx, 'Customer Cache Minutes', options.customerCacheMinutes, CUSTOMER_CACHE_MINUTES, 0);
}

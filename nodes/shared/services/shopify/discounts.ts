/**
 * Shopify discounts: a code discount made once (its code chosen by the caller from its ledger, looked up
 * before it is made) and unique codes added to it in bulk.
 */
import { sleep } from 'n8n-workflow';
import { moneyToDecimal, type Money } from '../../money';
import { userErrorsToApiError, type ShopifyService } from './client';

/** discountRedeemCodeBulkAdd takes at most 250 codes (shopify.dev). */
const REDEEM_CODES_PER_REQUEST = 250;
/** A code already in the shop: Shopify answers with this message and no error code (seen on 2026-04). */
const TAKEN_CODE = /^must be unique\. Please try a different code\.$/;

/**
 * A discount whose end the run's Now puts at or before Shopify's own clock: Shopify would make a code that is
 * already expired. Returned, not thrown: nothing was made, and the caller reports it with the reason instead of
 * handing out a dead code.
 */
export class DiscountEndsInPast extends Error {
	constructor(
		readonly endsAt: Date,
		readonly shopNow: Date,
	) {
		super(`The code would end ${endsAt.toISOString()}, which is already past on Shopify's clock (${shopNow.toISOString()}): the run's Now is too early. Leave Options > Now empty, or set it to the current time, to make this code.`);
		this.name = 'DiscountEndsInPast';
	}
}

/**
 * A code discount: fixed amount or percent off, for one customer or for anyone with the code. The code
 * is chosen by the caller from its ledger, so a retry finds the code it already made instead of making
 * a second one.
 */
export async function createDiscountCode(shopify: ShopifyService, input: {
	code: string;
	title: string;
	value: { amount: Money } | { percent: number };
	/** Only this customer may use it; none: anyone with the code. */
	customerId?: string;
	/** Uses in all (per code once a discount has several codes); null: unlimited. */
	usageLimit: number | null;
	/** The run's Now: the code is valid from the moment the run acts as of. */
	startsAt: Date;
	endsAt: Date;
}): Promise<{ id: string; code: string; created: boolean } | DiscountEndsInPast> {
	const existing = await discountByCode(shopify, input.code);
	if (existing) return { ...existing, created: false };
	// the lookup above has just read Shopify's clock (second precision, as its Date header gives it)
	if (shopify.shopNow && input.endsAt.getTime() <= shopify.shopNow.getTime()) return new DiscountEndsInPast(input.endsAt, shopify.shopNow);
	const value = 'amount' in input.value
		? { discountAmount: { amount: moneyToDecimal(input.value.amount), appliesOnEachItem: false } }
		: { percentage: input.value.percent / 100 };
	const { data } = await shopify.query<{ discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: Array<{ code: string | null; message: string; field: string[] | null }> } }>(
		`mutation CxDiscountCode($discount: DiscountCodeBasicInput!) {
			discountCodeBasicCreate(basicCodeDiscount: $discount) { codeDiscountNode { id } userErrors { code field message } }
		}`,
		{
			discount: {
				title: input.title,
				code: input.code,
				startsAt: input.startsAt.toISOString(),
				endsAt: input.endsAt.toISOString(),
				...(input.customerId ? { context: { customers: { add: [input.customerId] } } } : {}),
				customerGets: { value, items: { all: true } },
				usageLimit: input.usageLimit,
				appliesOncePerCustomer: true,
			},
		},
	);
	const result = data.discountCodeBasicCreate;
	if (result.codeDiscountNode) return { id: result.codeDiscountNode.id, code: input.code, created: true };
	// TAKEN: an earlier attempt made it after all
	const again = await discountByCode(shopify, input.code);
	if (again) return { ...again, created: false };
	throw userErrorsToApiError(shopify.ctx, 'create the discount code', result.userErrors);
}


/**
 * Adds unique codes to a discount: 250 per request as Shopify allows, created by Shopify in the
 * background and waited for. A code Shopify reports as taken was added by an earlier attempt (codes
 * come from the caller's ledger) and counts as there; other per-code errors are returned by code.
 */
export async function addRedeemCodes(shopify: ShopifyService, discountId: string, codes: string[], timeoutMs = 10 * 60_000): Promise<{ added: number; failed: Map<string, string>; requests: number }> {
	const failed = new Map<string, string>();
	let added = 0;
	let requests = 0;
	const creations: string[] = [];
	for (let i = 0; i < codes.length; i += REDEEM_CODES_PER_REQUEST) {
		const chunk = codes.slice(i, i + REDEEM_CODES_PER_REQUEST);
		const { data } = await shopify.query<{ discountRedeemCodeBulkAdd: { bulkCreation: { id: string } | null; userErrors: Array<{ code: string | null; message: string; field: string[] | null }> } }>(
			`mutation CxRedeemCodes($discountId: ID!, $codes: [DiscountRedeemCodeInput!]!) {
				discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes) { bulkCreation { id } userErrors { code field message } }
			}`,
			{ discountId, codes: chunk.map((code) => ({ code })) },
		);
		requests++;
		const result = data.discountRedeemCodeBulkAdd;
		if (!result.bulkCreation) throw userErrorsToApiError(shopify.ctx, 'add the discount codes', result.userErrors);
		creations.push(result.bulkCreation.id);
	}
	const deadline = Date.now() + timeoutMs;
	for (const id of creations) {
		let wait = 250;
		for (;;) {
			type Creation = { done: boolean; importedCount: number; failedCount: number; codes?: { nodes: Array<{ code: string; errors: Array<{ code: string | null; message: string }> }> } };
			const { data } = await shopify.query<{ discountRedeemCodeBulkCreation: Creation | null }>(
				'query CxRedeemCodeCreation($id: ID!) { discountRedeemCodeBulkCreation(id: $id) { done importedCount failedCount } }',
				{ id },
			);
			requests++;
			const creation = data.discountRedeemCodeBulkCreation;
			if (creation?.done) {
				added += creation.importedCount;
				if (creation.failedCount > 0) {
					const { data: detail } = await shopify.query<{ discountRedeemCodeBulkCreation: Creation }>(
						`query CxRedeemCodeErrors($id: ID!) {
							discountRedeemCodeBulkCreation(id: $id) { done importedCount failedCount codes(first: ${REDEEM_CODES_PER_REQUEST}) { nodes { code errors { code message } } } }
						}`,
						{ id },
					);
					requests++;
					for (const entry of detail.discountRedeemCodeBulkCreation.codes?.nodes ?? []) {
						if (!entry.errors.length) continue;
						// codes come from the caller's ledger and are random: one already in the shop is this ledger's, added by an earlier attempt
						if (entry.errors.every((error) => TAKEN_CODE.test(error.message))) added++;
						else failed.set(entry.code, entry.errors.map((error) => error.message).join('; '));
					}
				}
				break;
			}
			if (Date.now() > deadline) {
				throw userErrorsToApiError(shopify.ctx, 'add the discount codes', [{ code: 'TIMEOUT', field: null, message: `Shopify had not finished creating codes (${id}) after ${Math.round(timeoutMs / 1000)} s` }]);
			}
			await sleep(wait);
			wait = Math.min(wait * 2, 5_000);
		}
	}
	return { added, failed, requests };
}


export async function discountByCode(shopify: ShopifyService, code: string): Promise<{ id: string; code: string } | undefined> {
	const { data } = await shopify.query<{ codeDiscountNodeByCode: { id: string } | null }>(
		'query CxDiscountByCode($code: String!) { codeDiscountNodeByCode(code: $code) { id } }',
		{ code },
	);
	return data.codeDiscountNodeByCode ? { id: data.codeDiscountNodeByCode.id, code } : undefined;
}


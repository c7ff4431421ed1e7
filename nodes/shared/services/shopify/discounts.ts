/**
 * Shopify discounts: a code discount made once (its code chosen by the caller from its ledger, looked up
 * before it is made, or several made in one request), and unique codes added to discounts in bulk.
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

/** What a code discount is made from. */
export interface DiscountCodeInput {
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
}

type UserErrors = Array<{ code: string | null; message: string; field: string[] | null }>;
/** A mutation costs 10 points and one request may cost 1,000: 50 a request leaves room for what they return. */
const MUTATIONS_PER_REQUEST = 50;
/** nodes(ids:) takes at most 250 ids (shopify.dev). */
const NODES_PER_QUERY = 250;

function discountInput(input: DiscountCodeInput): Record<string, unknown> {
	const value = 'amount' in input.value
		? { discountAmount: { amount: moneyToDecimal(input.value.amount), appliesOnEachItem: false } }
		: { percentage: input.value.percent / 100 };
	return {
		title: input.title,
		code: input.code,
		startsAt: input.startsAt.toISOString(),
		endsAt: input.endsAt.toISOString(),
		...(input.customerId ? { context: { customers: { add: [input.customerId] } } } : {}),
		customerGets: { value, items: { all: true } },
		usageLimit: input.usageLimit,
		appliesOncePerCustomer: true,
	};
}

/**
 * A code discount: fixed amount or percent off, for one customer or for anyone with the code. The code
 * is chosen by the caller from its ledger, so a retry finds the code it already made instead of making
 * a second one.
 */
export async function createDiscountCode(shopify: ShopifyService, input: DiscountCodeInput): Promise<{ id: string; code: string; created: boolean } | DiscountEndsInPast> {
	const existing = await discountByCode(shopify, input.code);
	if (existing) return { ...existing, created: false };
	// the lookup above has just read Shopify's clock (second precision, as its Date header gives it): made as one of several
	const made = await createDiscountCodes(shopify, [input]);
	return made instanceof DiscountEndsInPast ? made : made[0];
}

/**
 * Several code discounts made in one request (one aliased discountCodeBasicCreate each, 50 a request), in the
 * order given. A code Shopify reports as taken was made by an earlier attempt (the caller's ledger chose it) and
 * is looked up instead. When any of them would end at or before Shopify's clock nothing is made and that is
 * returned: the caller's run is too early. Shopify's clock is the one its latest answer gave; before any answer
 * one look-up of the first code reads it (and finds that code if an earlier attempt made it).
 */
export async function createDiscountCodes(shopify: ShopifyService, inputs: DiscountCodeInput[]): Promise<Array<{ id: string; code: string; created: boolean }> | DiscountEndsInPast> {
	if (!inputs.length) return [];
	const found = new Map<number, { id: string; code: string }>();
	if (!shopify.shopNow) {
		const existing = await discountByCode(shopify, inputs[0].code);
		if (existing) found.set(0, existing);
	}
	const shopNow = shopify.shopNow;
	const early = shopNow && inputs.find((input) => input.endsAt.getTime() <= shopNow.getTime());
	if (early && shopNow) return new DiscountEndsInPast(early.endsAt, shopNow);
	const made: Array<{ id: string; code: string; created: boolean }> = [];
	const toMake = inputs.map((input, index) => ({ input, index })).filter(({ index }) => !found.has(index));
	const answers = new Map<number, { codeDiscountNode: { id: string } | null; userErrors: UserErrors }>();
	for (let i = 0; i < toMake.length; i += MUTATIONS_PER_REQUEST) {
		const chunk = toMake.slice(i, i + MUTATIONS_PER_REQUEST);
		const { data } = await shopify.query<Record<string, { codeDiscountNode: { id: string } | null; userErrors: UserErrors }>>(
			`mutation CxDiscountCodes(${chunk.map((_, k) => `$d${k}: DiscountCodeBasicInput!`).join(', ')}) {
				${chunk.map((_, k) => `d${k}: discountCodeBasicCreate(basicCodeDiscount: $d${k}) { codeDiscountNode { id } userErrors { code field message } }`).join('\n\t\t\t\t')}
			}`,
			Object.fromEntries(chunk.map(({ input }, k) => [`d${k}`, discountInput(input)])),
		);
		chunk.forEach(({ index }, k) => answers.set(index, data[`d${k}`]));
	}
	for (const [index, input] of inputs.entries()) {
		const existing = found.get(index);
		if (existing) {
			made.push({ ...existing, created: false });
			continue;
		}
		const answer = answers.get(index)!;
		if (answer.codeDiscountNode) {
			made.push({ id: answer.codeDiscountNode.id, code: input.code, created: true });
			continue;
		}
		// TAKEN: an earlier attempt made it after all
		const again = await discountByCode(shopify, input.code);
		if (!again) throw userErrorsToApiError(shopify.ctx, 'create the discount code', answer.userErrors);
		made.push({ ...again, created: false });
	}
	return made;
}

type Creation = { id: string; done: boolean; importedCount: number; failedCount: number; codes?: { nodes: Array<{ code: string; errors: Array<{ code: string | null; message: string }> }> } };

/**
 * Adds unique codes to several discounts at once: every discount's codes in chunks of 250 (as Shopify allows), 50
 * chunks a request as aliased discountRedeemCodeBulkAdd, then all the creations Shopify makes in the background
 * waited for together, one nodes(ids:) query a round. A code Shopify reports as taken was added by an earlier
 * attempt (codes come from the caller's ledger) and counts as there; other per-code errors are returned by code.
 */
export async function addRedeemCodesToDiscounts(shopify: ShopifyService, jobs: Array<{ discountId: string; codes: string[] }>, timeoutMs = 10 * 60_000): Promise<{ added: number; failed: Map<string, string>; requests: number }> {
	const failed = new Map<string, string>();
	let added = 0;
	let requests = 0;
	const chunks = jobs.flatMap(({ discountId, codes }) => {
		const out: Array<{ discountId: string; codes: string[] }> = [];
		for (let i = 0; i < codes.length; i += REDEEM_CODES_PER_REQUEST) out.push({ discountId, codes: codes.slice(i, i + REDEEM_CODES_PER_REQUEST) });
		return out;
	});
	const creations: string[] = [];
	for (let i = 0; i < chunks.length; i += MUTATIONS_PER_REQUEST) {
		const batch = chunks.slice(i, i + MUTATIONS_PER_REQUEST);
		const { data } = await shopify.query<Record<string, { bulkCreation: { id: string } | null; userErrors: UserErrors }>>(
			`mutation CxRedeemCodes(${batch.map((_, k) => `$id${k}: ID!, $codes${k}: [DiscountRedeemCodeInput!]!`).join(', ')}) {
				${batch.map((_, k) => `c${k}: discountRedeemCodeBulkAdd(discountId: $id${k}, codes: $codes${k}) { bulkCreation { id } userErrors { code field message } }`).join('\n\t\t\t\t')}
			}`,
			Object.fromEntries(batch.flatMap((chunk, k) => [[`id${k}`, chunk.discountId], [`codes${k}`, chunk.codes.map((code) => ({ code }))]])),
		);
		requests++;
		for (let k = 0; k < batch.length; k++) {
			const result = data[`c${k}`];
			if (!result.bulkCreation) throw userErrorsToApiError(shopify.ctx, 'add the discount codes', result.userErrors);
			creations.push(result.bulkCreation.id);
		}
	}
	const deadline = Date.now() + timeoutMs;
	let waiting = creations;
	// Shopify makes the codes in the background: the first look comes after a pause, as a look at once finds none done
	let wait = 500;
	while (waiting.length) {
		await sleep(wait);
		wait = Math.min(wait * 2, 5_000);
		const stillWaiting: string[] = [];
		for (let i = 0; i < waiting.length; i += NODES_PER_QUERY) {
			const ids = waiting.slice(i, i + NODES_PER_QUERY);
			const { data } = await shopify.query<{ nodes: Array<Creation | null> }>(
				'query CxRedeemCodeCreations($ids: [ID!]!) { nodes(ids: $ids) { ... on DiscountRedeemCodeBulkCreation { id done importedCount failedCount } } }',
				{ ids },
			);
			requests++;
			for (const [k, creation] of data.nodes.entries()) {
				if (!creation?.done) {
					stillWaiting.push(ids[k]);
					continue;
				}
				added += creation.importedCount;
				if (creation.failedCount > 0) {
					const { data: detail } = await shopify.query<{ discountRedeemCodeBulkCreation: Creation }>(
						`query CxRedeemCodeErrors($id: ID!) {
							discountRedeemCodeBulkCreation(id: $id) { id done importedCount failedCount codes(first: ${REDEEM_CODES_PER_REQUEST}) { nodes { code errors { code message } } } }
						}`,
						{ id: ids[k] },
					);
					requests++;
					for (const entry of detail.discountRedeemCodeBulkCreation.codes?.nodes ?? []) {
						if (!entry.errors.length) continue;
						// codes come from the caller's ledger and are random: one already in the shop is this ledger's, added by an earlier attempt
						if (entry.errors.every((error) => TAKEN_CODE.test(error.message))) added++;
						else failed.set(entry.code, entry.errors.map((error) => error.message).join('; '));
					}
				}
			}
		}
		waiting = stillWaiting;
		if (waiting.length && Date.now() > deadline) {
			throw userErrorsToApiError(shopify.ctx, 'add the discount codes', [{ code: 'TIMEOUT', field: null, message: `Shopify had not finished creating codes (${waiting.join(', ')}) after ${Math.round(timeoutMs / 1000)} s` }]);
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


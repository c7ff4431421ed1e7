'use strict';
/**
 * Unique codes added to a code discount in bulk (https://shopify.dev/docs/api/admin-graphql/latest/mutations/discountRedeemCodeBulkAdd):
 * discountRedeemCodeBulkAdd answers at once with a DiscountRedeemCodeBulkCreation that is not done yet (every
 * code listed, no errors, no discountRedeemCode); a moment later the codes are created in order and the
 * creation is done, with importedCount / failedCount and a per-code error where a code could not be created.
 * Clients poll discountRedeemCodeBulkCreation(id:) or node(id:) until `done`.
 *
 * Messages, fields and codes are those a live 2026-04 shop returns (captured in airhorns/shopify-draft-proxy,
 * fixtures/conformance/.../discounts/discount-redeem-code-bulk-add-validation.json):
 *   unknown discount   userErrors [{ field: ['discountId'], message: 'Code discount does not exist.', code: 'INVALID' }]
 *   no codes           userErrors [{ field: ['codes'], message: "Codes can't be blank", code: 'BLANK' }]
 *   more than 250      a top-level MAX_INPUT_SIZE_EXCEEDED error, no data (INPUT_LIMITS, shopify-graphql.js)
 *   per code           { field: ['code'], code: null, extraInfo: null } with the messages in redeemCodeError()
 * A code already on any discount of the shop (the discount's own codes included), compared case-insensitively,
 * fails with "must be unique. Please try a different code."; adding the same codes again fails every one so.
 */
const { requireGid } = require('./shopify-gid.js');
const { gid, iso } = require('./shopify-records.js');

/** The `codes` argument's maximum (its description in the 2025-10 ... 2026-10 schemas: "Maximum: 250 codes."). */
const MAX_CODES = 250;
const CODE_MAX_LENGTH = 255;
/** The creation stays queued this long, so clients see `done: false` and poll, as with Shopify. */
const CREATION_DELAY_MS = 150;

const userError = (field, message, code) => ({ field, message, code, extraInfo: null });
const codeError = (message) => userError(['code'], message, null);

/** The error a code gets when it cannot be created, or null; `seen` holds this batch's earlier codes. */
function redeemCodeError(code, seen, taken) {
	if (!code.length) return codeError('is too short (minimum is 1 character)');
	if (/[\r\n]/.test(code)) return codeError('cannot contain newline characters.');
	// characters, not UTF-16 units, as Rails counts them
	if ([...code].length > CODE_MAX_LENGTH) return codeError(`is too long (maximum is ${CODE_MAX_LENGTH} characters)`);
	const key = code.toLowerCase();
	if (seen.has(key)) return codeError('Codes must be unique within BulkDiscountCodeCreation');
	seen.add(key);
	if (taken.has(key)) return codeError('must be unique. Please try a different code.');
	return null;
}

/** Creates the codes of a queued creation on its discount; codes taken by then (elsewhere too) fail. */
function runCreation(creation, store) {
	const node = creation.discountCode;
	// the store was reset meanwhile: the discount and this creation are gone
	if (!store.discounts.includes(node)) return;
	const taken = new Set(store.discounts.flatMap((discount) => discount._codes.map((redeem) => redeem.code.toLowerCase())));
	const seen = new Set();
	for (const entry of creation.codes) {
		// surrounding spaces are dropped, as discountCodeBasicCreate does with its code
		const code = entry.code.trim();
		const error = redeemCodeError(code, seen, taken);
		if (error) {
			entry.errors = [error];
			creation.failedCount += 1;
			continue;
		}
		const redeemCode = { __typename: 'DiscountRedeemCode', id: gid('DiscountRedeemCode', store.nextId('DiscountRedeemCode')), code, asyncUsageCount: 0, createdBy: null };
		node._codes.push(redeemCode);
		taken.add(code.toLowerCase());
		entry.discountRedeemCode = redeemCode;
		creation.importedCount += 1;
	}
	node.codeDiscount.codesCount = { count: node._codes.length, precision: 'EXACT' };
	creation.done = true;
}

function discountRedeemCodeBulkAdd({ discountId, codes }, { store }) {
	requireGid(discountId);
	const node = store.find(discountId);
	let userErrors = [];
	if (node?.__typename !== 'DiscountCodeNode' || !store.discounts.includes(node)) {
		userErrors = [userError(['discountId'], 'Code discount does not exist.', 'INVALID')];
	} else if (!codes.length) {
		userErrors = [userError(['codes'], "Codes can't be blank", 'BLANK')];
	}
	if (userErrors.length) {
		store.log({ mutation: 'discountRedeemCodeBulkAdd', discountId, codes: codes.length, userErrors });
		return { bulkCreation: null, userErrors };
	}
	const creation = store.add({
		__typename: 'DiscountRedeemCodeBulkCreation',
		id: gid('DiscountRedeemCodeBulkCreation', store.nextId('DiscountRedeemCodeBulkCreation')),
		done: false,
		codesCount: codes.length,
		importedCount: 0,
		failedCount: 0,
		createdAt: iso(new Date()),
		discountCode: node,
		codes: codes.map(({ code }) => ({ __typename: 'DiscountRedeemCodeBulkCreationCode', code, errors: [], discountRedeemCode: null })),
	});
	store.log({ mutation: 'discountRedeemCodeBulkAdd', id: creation.id, discountId, codes: codes.length, userErrors });
	setTimeout(() => {
		try {
			runCreation(creation, store);
		} catch (error) {
			console.error(`[shopify] redeem code creation ${creation.id} failed: ${error.stack}`);
		}
	}, CREATION_DELAY_MS).unref();
	return { bulkCreation: creation, userErrors };
}

module.exports = { discountRedeemCodeBulkAdd, MAX_CODES };

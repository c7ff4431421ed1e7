'use strict';
/**
 * The mutations the stand-in carries out on the in-memory store: tagsAdd, tagsRemove, customerUpdate,
 * discountCodeBasicCreate, discountRedeemCodeBulkAdd (shopify-redeem-codes.js), storeCreditAccountCredit and refundCreate
 * (shopify-payouts.js), bulkOperationRunQuery and bulkOperationCancel (shopify-bulk.js), and the return mutations
 * (returnRequest, returnCreate, returnApproveRequest, returnDeclineRequest, returnProcess, returnClose,
 * returnReopen, returnCancel: shopify-returns.js). Payloads and
 * userErrors follow the Admin API reference; every call lands in the mutation log (GET /__standin/state).
 * Any other mutation is refused before execution (see shopify-graphql.js).
 */
const { GraphQLError } = require('graphql');
const { requireGid } = require('./shopify-gid.js');
const { gid, iso, money, sortedTags } = require('./shopify-records.js');
const { storeCreditAccountCredit, refundCreate } = require('./shopify-payouts.js');
const { bulkOperationRunQuery, bulkOperationCancel } = require('./shopify-bulk.js');
const { discountRedeemCodeBulkAdd } = require('./shopify-redeem-codes.js');
const returns = require('./shopify-returns.js');

/** Of the resources Shopify can tag (Product, Customer, Order, DraftOrder, Article), the store holds these. */
const TAGGABLE = new Set(['Customer', 'Order']);
const TAG_MAX_LENGTH = 255;

/** Shopify accepts each tag entry as a comma-separated list: ["a, b"] adds a and b. */
const splitTags = (tags) => tags.flatMap((tag) => String(tag).split(',')).map((tag) => tag.trim()).filter(Boolean);

function taggable(store, id) {
	requireGid(id);
	const record = store.find(id);
	if (record && TAGGABLE.has(record.__typename)) return { record };
	const type = /^gid:\/\/shopify\/(\w+)\//.exec(id)[1];
	return { error: { field: ['id'], message: `${type} does not exist` } };
}

function changeTags(args, ctx, operation, change) {
	const { store } = ctx;
	const { record, error } = taggable(store, args.id);
	const tags = splitTags(args.tags);
	const tooLong = tags.find((tag) => tag.length > TAG_MAX_LENGTH);
	const userErrors = error ? [error] : tooLong ? [{ field: ['tags'], message: `Tag '${tooLong.slice(0, 20)}...' is too long (maximum is ${TAG_MAX_LENGTH} characters)` }] : [];
	if (!userErrors.length) {
		record.tags = sortedTags(change(record.tags, tags));
		record.updatedAt = iso(new Date());
	}
	store.log({ mutation: operation, id: args.id, tags, userErrors });
	return { node: userErrors.length ? null : record, userErrors };
}

const lowerSet = (tags) => new Set(tags.map((tag) => tag.toLowerCase()));

function tagsAdd(args, ctx) {
	return changeTags(args, ctx, 'tagsAdd', (current, added) => {
		const have = lowerSet(current);
		return [...current, ...added.filter((tag) => !have.has(tag.toLowerCase()))];
	});
}

function tagsRemove(args, ctx) {
	return changeTags(args, ctx, 'tagsRemove', (current, removed) => {
		const drop = lowerSet(removed);
		return current.filter((tag) => !drop.has(tag.toLowerCase()));
	});
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function customerUpdate({ input }, { store }) {
	const userErrors = [];
	const customer = input.id ? (requireGid(input.id), store.find(input.id)) : undefined;
	if (!customer || customer.__typename !== 'Customer') {
		userErrors.push({ field: ['id'], message: 'Customer does not exist' });
	} else {
		if (input.email !== undefined && input.email !== null) {
			const other = store.customerByEmail(input.email);
			if (!EMAIL.test(input.email)) userErrors.push({ field: ['email'], message: 'Email is invalid' });
			else if (other && other !== customer) userErrors.push({ field: ['email'], message: 'Email has already been taken' });
		}
		if (input.phone) {
			const other = store.customerByPhone(input.phone);
			if (!/^\+[1-9]\d{6,14}$/.test(input.phone)) userErrors.push({ field: ['phone'], message: 'Phone is invalid' });
			else if (other && other !== customer) userErrors.push({ field: ['phone'], message: 'Phone has already been taken' });
		}
		if (input.emailMarketingConsent) {
			// since 2022-04 consent changes go through their own mutation
			userErrors.push({ field: ['emailMarketingConsent'], message: 'To update emailMarketingConsent, please use the customerEmailMarketingConsentUpdate Mutation instead' });
		}
	}
	if (!userErrors.length) {
		if (input.tags !== undefined) customer.tags = sortedTags(splitTags(input.tags ?? []));
		if (input.note !== undefined) customer.note = input.note;
		if (input.firstName !== undefined) customer.firstName = input.firstName;
		if (input.lastName !== undefined) customer.lastName = input.lastName;
		if (input.locale) customer.locale = input.locale;
		if (input.email !== undefined) {
			customer.email = input.email;
			if (customer.defaultEmailAddress) customer.defaultEmailAddress.emailAddress = input.email;
		}
		if (input.phone !== undefined) customer.phone = input.phone;
		customer.displayName = [customer.firstName, customer.lastName].filter(Boolean).join(' ') || customer.email;
		customer.updatedAt = iso(new Date());
	}
	store.log({ mutation: 'customerUpdate', id: input.id ?? null, input, userErrors });
	return { customer: userErrors.length ? null : customer, userErrors };
}

const discountError = (field, message, code) => ({ field: ['basicCodeDiscount', ...field], message, code, extraInfo: null });

function discountValue(value) {
	if (value?.discountAmount) {
		const cents = Math.round(Number.parseFloat(value.discountAmount.amount) * 100);
		return { __typename: 'DiscountAmount', amount: money(cents), appliesOnEachItem: Boolean(value.discountAmount.appliesOnEachItem) };
	}
	if (value?.percentage !== undefined && value?.percentage !== null) return { __typename: 'DiscountPercentage', percentage: value.percentage };
	return null;
}

function discountSummary(value, input) {
	const amount = value.__typename === 'DiscountAmount'
		? `$${Number.parseFloat(value.amount.amount).toFixed(2)} off`
		: `${Math.round(value.percentage * 100)}% off`;
	const parts = [`${amount} entire order`];
	if (input.appliesOncePerCustomer) parts.push('One use per customer');
	if (input.usageLimit) parts.push(`Limit of ${input.usageLimit} ${input.usageLimit === 1 ? 'use' : 'uses'}`);
	return parts.join(' • ');
}

function validateDiscount(input, store) {
	const errors = [];
	if (!input.title?.trim()) errors.push(discountError(['title'], "Title can't be blank", 'BLANK'));
	if (!input.code?.trim()) errors.push(discountError(['code'], "Code can't be blank", 'BLANK'));
	else if (input.code.length > 255) errors.push(discountError(['code'], 'Code is too long (maximum is 255 characters)', 'TOO_LONG'));
	else if (store.discountByCode(input.code)) errors.push(discountError(['code'], 'Code must be unique. Please try a different code.', 'TAKEN'));
	if (!input.startsAt) errors.push(discountError(['startsAt'], "Starts at can't be blank", 'BLANK'));
	if (input.startsAt && input.endsAt && Date.parse(input.endsAt) <= Date.parse(input.startsAt)) {
		errors.push(discountError(['endsAt'], 'Ends at needs to be after starts_at', 'END_DATE_BEFORE_START_DATE'));
	}
	const value = discountValue(input.customerGets?.value);
	if (!value) errors.push(discountError(['customerGets', 'value'], "Value can't be blank", 'BLANK'));
	else if (value.__typename === 'DiscountPercentage' && (value.percentage <= 0 || value.percentage > 1)) {
		errors.push(discountError(['customerGets', 'value', 'percentage'], 'Value must be between 0.0 and 1.0', 'VALUE_OUTSIDE_RANGE'));
	} else if (value.__typename === 'DiscountAmount' && !(Number.parseFloat(value.amount.amount) > 0)) {
		errors.push(discountError(['customerGets', 'value', 'discountAmount', 'amount'], 'Value must be greater than 0', 'GREATER_THAN'));
	}
	if (!input.customerGets?.items) errors.push(discountError(['customerGets', 'items'], "Items can't be blank", 'BLANK'));
	if (input.usageLimit != null && input.usageLimit <= 0) errors.push(discountError(['usageLimit'], 'Usage limit must be greater than 0', 'GREATER_THAN'));
	errors.push(...buyerErrors(input, store));
	return { errors, value };
}

/**
 * Who may use the code: `context` (2026-10) or the deprecated `customerSelection`, never both. Returns the
 * input field used and its value, e.g. { field: 'context', selection: { customers: { add: [gid] } } }.
 */
function buyerInput(input) {
	if (input.context != null) return { field: 'context', selection: input.context };
	if (input.customerSelection != null) return { field: 'customerSelection', selection: input.customerSelection };
	return { field: 'context', selection: {} };
}

function buyerErrors(input, store) {
	if (input.context != null && input.customerSelection != null) {
		return [discountError(['context'], 'Only one of context or customerSelection can be provided.', 'INVALID')];
	}
	const { field, selection } = buyerInput(input);
	const unknown = (selection.customers?.add ?? []).filter((id) => {
		requireGid(id);
		return store.find(id)?.__typename !== 'Customer';
	});
	return unknown.length ? [discountError([field, 'customers', 'add'], `Customer does not exist: ${unknown.join(', ')}`, 'INVALID')] : [];
}

/** The buyers as both output unions show them: `context` (DiscountContext) and `customerSelection`. */
function discountBuyers(input, store) {
	const { selection } = buyerInput(input);
	const customers = (selection.customers?.add ?? []).map((id) => store.find(id));
	if (customers.length) {
		const buyers = { __typename: 'DiscountCustomers', customers };
		return { context: buyers, customerSelection: buyers };
	}
	if (selection.customerSegments) {
		const segments = { __typename: 'DiscountCustomerSegments', segments: [] };
		return { context: segments, customerSelection: segments };
	}
	return {
		context: { __typename: 'DiscountBuyerSelectionAll', all: 'ALL' },
		customerSelection: { __typename: 'DiscountCustomerAll', allCustomers: true },
	};
}

function discountCodeBasicCreate({ basicCodeDiscount: input }, { store }) {
	const { errors, value } = validateDiscount(input, store);
	if (errors.length) {
		store.log({ mutation: 'discountCodeBasicCreate', code: input.code ?? null, userErrors: errors });
		return { codeDiscountNode: null, userErrors: errors };
	}
	const now = new Date();
	const startsAt = new Date(input.startsAt);
	const endsAt = input.endsAt ? new Date(input.endsAt) : null;
	const status = startsAt > now ? 'SCHEDULED' : endsAt && endsAt <= now ? 'EXPIRED' : 'ACTIVE';
	const redeemCode = { __typename: 'DiscountRedeemCode', id: gid('DiscountRedeemCode', store.nextId('DiscountRedeemCode')), code: input.code.trim(), asyncUsageCount: 0, createdBy: null };
	const summary = discountSummary(value, input);
	// one list behind codes, codesCount and lookups by code, so codes added later (shopify-redeem-codes.js) show everywhere
	const codes = [redeemCode];
	const node = {
		__typename: 'DiscountCodeNode',
		id: gid('DiscountCodeNode', store.nextId('DiscountCodeNode')),
		codeDiscount: {
			__typename: 'DiscountCodeBasic',
			title: input.title,
			status,
			summary,
			shortSummary: summary,
			startsAt: iso(startsAt),
			endsAt: iso(endsAt),
			createdAt: iso(now),
			updatedAt: iso(now),
			usageLimit: input.usageLimit ?? null,
			appliesOncePerCustomer: Boolean(input.appliesOncePerCustomer),
			asyncUsageCount: 0,
			recurringCycleLimit: input.recurringCycleLimit ?? null,
			codes,
			codesCount: { count: 1, precision: 'EXACT' },
			combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false, ...input.combinesWith },
			customerGets: {
				appliesOnOneTimePurchase: input.customerGets.appliesOnOneTimePurchase ?? true,
				appliesOnSubscription: input.customerGets.appliesOnSubscription ?? false,
				items: { __typename: 'AllDiscountItems', allItems: true },
				value,
			},
			...discountBuyers(input, store),
			discountClasses: ['ORDER'],
			minimumRequirement: null,
			tags: input.tags ?? [],
			totalSales: money(0),
			shareableUrls: [],
			hasTimelineComment: false,
		},
		_codes: codes,
	};
	store.discounts.push(store.add(node));
	store.add(redeemCode);
	store.log({ mutation: 'discountCodeBasicCreate', code: redeemCode.code, id: node.id, userErrors: [] });
	return { codeDiscountNode: node, userErrors: [] };
}

/**
 * The access scope each mutation needs, as Shopify checks it before running it (tags by the resource tagged); an app
 * without it gets ACCESS_DENIED with the scope named, and nothing changes. Bulk operations check the scopes of what
 * they read when they run (shopify-bulk.js).
 */
const REQUIRED_SCOPE = {
	tagsAdd: (args) => (/^gid:\/\/shopify\/Order\//.test(String(args.id)) ? 'write_orders' : 'write_customers'),
	tagsRemove: (args) => (/^gid:\/\/shopify\/Order\//.test(String(args.id)) ? 'write_orders' : 'write_customers'),
	customerUpdate: () => 'write_customers',
	discountCodeBasicCreate: () => 'write_discounts',
	discountRedeemCodeBulkAdd: () => 'write_discounts',
	storeCreditAccountCredit: () => 'write_store_credit_account_transactions',
	refundCreate: () => 'write_orders',
	// Shopify: "Requires write_returns access scope or write_marketplace_returns access scope"
	returnRequest: () => 'write_returns',
	returnCreate: () => 'write_returns',
	returnApproveRequest: () => 'write_returns',
	returnDeclineRequest: () => 'write_returns',
	returnProcess: () => 'write_returns',
	returnClose: () => 'write_returns',
	returnReopen: () => 'write_returns',
	returnCancel: () => 'write_returns',
};

function withScope(name, mutation) {
	const required = REQUIRED_SCOPE[name];
	if (!required) return mutation;
	return (args, ctx, info) => {
		const scope = required(args);
		if (ctx.store.accessScopes && !ctx.store.accessScopes.includes(scope)) {
			throw new GraphQLError(`Access denied for ${name} field. Required access: \`${scope}\` access scope.`, {
				extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess: `\`${scope}\` access scope.` },
			});
		}
		return mutation(args, ctx, info);
	};
}

const MUTATIONS = Object.fromEntries(
	Object.entries({
		tagsAdd,
		tagsRemove,
		customerUpdate,
		discountCodeBasicCreate,
		discountRedeemCodeBulkAdd,
		storeCreditAccountCredit,
		refundCreate,
		bulkOperationRunQuery,
		bulkOperationCancel,
		returnRequest: returns.returnRequest,
		returnCreate: returns.returnCreate,
		returnApproveRequest: returns.returnApproveRequest,
		returnDeclineRequest: returns.returnDeclineRequest,
		returnProcess: returns.returnProcess,
		returnClose: returns.returnClose,
		returnReopen: returns.returnReopen,
		returnCancel: returns.returnCancel,
	}).map(([name, mutation]) => [name, withScope(name, mutation)]),
);

module.exports = { MUTATIONS };

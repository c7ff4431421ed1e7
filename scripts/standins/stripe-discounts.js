'use strict';
/**
 * Coupons (https://docs.stripe.com/api/coupons) and promotion codes (https://docs.stripe.com/api/promotion_codes).
 *
 * Since API version 2025-09-30.clover a promotion code points at its coupon through
 * `promotion: {type: 'coupon', coupon}` (request and response); before it, through `coupon`. The stand-in
 * accepts either parameter and answers in the shape of the request's `Stripe-Version` (the current shape
 * when the header is absent).
 */
const { StripeError, invalidRequest } = require('./stripe-errors.js');
const p = require('./stripe-params.js');
const { randomString, clone } = require('./stripe-store.js');

const PROMOTION_FIELD_SINCE = '2025-09-30';
const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function couponIsValid(store, coupon) {
	return (
		!coupon.deleted &&
		(coupon.redeem_by === null || store.now() < coupon.redeem_by) &&
		(coupon.max_redemptions === null || coupon.times_redeemed < coupon.max_redemptions)
	);
}

/** `valid` is derived from the clock and the redemptions, so it is computed whenever a coupon is shown. */
function showCoupon(store, coupon) {
	return coupon.deleted ? coupon : { ...coupon, valid: couponIsValid(store, coupon) };
}

function createCoupon(store, params) {
	p.allowOnly(params, [
		'amount_off', 'applies_to', 'currency', 'currency_options', 'duration', 'duration_in_months', 'id',
		'max_redemptions', 'metadata', 'name', 'percent_off', 'redeem_by',
	]);
	const amountOff = p.integer(params, 'amount_off', { min: 1 });
	const percentOff = p.decimal(params, 'percent_off', { min: 0, max: 100 });
	if ((amountOff === undefined) === (percentOff === undefined)) {
		throw invalidRequest('You must pass exactly one of amount_off or percent_off.', amountOff === undefined ? 'percent_off' : 'amount_off');
	}
	const currency = p.currency(params, 'currency');
	if (amountOff !== undefined && !currency) {
		throw invalidRequest('You must pass currency when passing amount_off.', 'currency', 'parameter_missing');
	}
	const duration = p.oneOf(params, 'duration', ['forever', 'once', 'repeating']) ?? 'once';
	const durationInMonths = p.integer(params, 'duration_in_months', { min: 1 });
	if (duration === 'repeating' && durationInMonths === undefined) {
		throw invalidRequest('You must pass duration_in_months when duration is repeating.', 'duration_in_months', 'parameter_missing');
	}
	const redeemBy = p.integer(params, 'redeem_by');
	if (redeemBy !== undefined && redeemBy <= store.now()) {
		throw invalidRequest('Invalid redeem_by: must be in the future', 'redeem_by');
	}
	const id = p.string(params, 'id', { maxLength: 200 }) ?? randomString(8, UPPER_ALPHANUMERIC);
	if (store.find('coupon', id) && !store.find('coupon', id).deleted) {
		throw invalidRequest('Coupon already exists.', 'id', 'resource_already_exists');
	}
	return store.insert({
		id,
		object: 'coupon',
		amount_off: amountOff ?? null,
		created: store.now(),
		currency: amountOff !== undefined ? currency : null,
		duration,
		duration_in_months: duration === 'repeating' ? durationInMonths : null,
		livemode: false,
		max_redemptions: p.integer(params, 'max_redemptions', { min: 1 }) ?? null,
		metadata: p.metadata(params),
		name: p.string(params, 'name', { maxLength: 40 }) ?? null,
		percent_off: percentOff ?? null,
		redeem_by: redeemBy ?? null,
		times_redeemed: 0,
		valid: true,
	});
}

function promotionCodeIsActive(store, code) {
	const coupon = store.find('coupon', code.promotion.coupon);
	return (
		code.active &&
		Boolean(coupon) &&
		couponIsValid(store, coupon) &&
		(code.expires_at === null || store.now() < code.expires_at) &&
		(code.max_redemptions === null || code.times_redeemed < code.max_redemptions)
	);
}

/** The promotion code as the request's API version shows it (see the header comment). */
function showPromotionCode(store, code, version) {
	const shown = { ...clone(code), active: promotionCodeIsActive(store, code) };
	if (version && version.slice(0, 10) < PROMOTION_FIELD_SINCE) {
		const coupon = store.find('coupon', code.promotion.coupon);
		delete shown.promotion;
		shown.coupon = coupon ? showCoupon(store, coupon) : null;
	}
	return shown;
}

/**
 * A code must be unique, regardless of case, among active promotion codes for a customer
 * (https://docs.stripe.com/api/promotion_codes/create#create_promotion_code-code); a code open to everyone
 * collides with every customer's.
 */
function assertCodeAvailable(store, code, customer, exceptId) {
	const taken = store.all('promotion_code').some(
		(other) =>
			other.id !== exceptId &&
			other.code.toLowerCase() === code.toLowerCase() &&
			promotionCodeIsActive(store, other) &&
			(other.customer === null || customer === null || other.customer === customer),
	);
	if (taken) {
		throw invalidRequest(`An active promotion code with \`code: ${code}\` already exists.`, 'code', 'resource_already_exists');
	}
}

function createPromotionCode(store, params) {
	p.allowOnly(params, [
		'promotion', 'coupon', 'active', 'code', 'customer', 'customer_account', 'expires_at', 'max_redemptions',
		'metadata', 'restrictions',
	]);
	const promotion = typeof params.promotion === 'object' && params.promotion !== null ? params.promotion : undefined;
	if (promotion && promotion.type !== 'coupon') {
		throw invalidRequest('Invalid promotion[type]: must be coupon', 'promotion[type]');
	}
	const couponId = promotion ? promotion.coupon : params.coupon;
	const couponParam = promotion ? 'promotion[coupon]' : 'coupon';
	if (!couponId) throw invalidRequest('Missing required param: promotion.', 'promotion', 'parameter_missing');
	const coupon = store.mustFind('coupon', couponId, couponParam);

	const customer = p.string(params, 'customer') ?? null;
	if (customer) store.mustFind('customer', customer, 'customer');
	const code = p.string(params, 'code', { maxLength: 500 }) ?? randomString(8, UPPER_ALPHANUMERIC);
	if (!/^[a-zA-Z0-9-]+$/.test(code)) {
		throw invalidRequest('Invalid code: codes may only contain letters (a-z, A-Z), digits (0-9) and dashes (-).', 'code');
	}
	const expiresAt = p.integer(params, 'expires_at') ?? null;
	if (expiresAt !== null && expiresAt <= store.now()) {
		throw invalidRequest('Invalid expires_at: must be in the future', 'expires_at');
	}
	if (expiresAt !== null && coupon.redeem_by !== null && expiresAt > coupon.redeem_by) {
		throw invalidRequest("The promotion code's `expires_at` may not be after the coupon's `redeem_by`.", 'expires_at');
	}
	const maxRedemptions = p.integer(params, 'max_redemptions', { min: 1 }) ?? null;
	if (maxRedemptions !== null && coupon.max_redemptions !== null && maxRedemptions > coupon.max_redemptions) {
		throw invalidRequest(
			"The promotion code's `max_redemptions` may not be greater than the coupon's `max_redemptions`.",
			'max_redemptions',
		);
	}
	const active = p.boolean(params, 'active') ?? true;
	if (active) assertCodeAvailable(store, code, customer);
	const restrictions = params.restrictions ?? {};
	return store.insert({
		id: store.newId('promo'),
		object: 'promotion_code',
		active,
		code,
		created: store.now(),
		customer,
		customer_account: null,
		expires_at: expiresAt,
		livemode: false,
		max_redemptions: maxRedemptions,
		metadata: p.metadata(params),
		promotion: { type: 'coupon', coupon: coupon.id },
		restrictions: {
			first_time_transaction: restrictions.first_time_transaction === 'true',
			minimum_amount: restrictions.minimum_amount !== undefined ? Number(restrictions.minimum_amount) : null,
			minimum_amount_currency: restrictions.minimum_amount_currency ?? null,
		},
		times_redeemed: 0,
	});
}

function updatePromotionCode(store, id, params) {
	p.allowOnly(params, ['active', 'metadata', 'restrictions']);
	const code = store.mustFind('promotion_code', id, 'id', 'promotion code');
	const active = p.boolean(params, 'active');
	if (active === true && !code.active) assertCodeAvailable(store, code.code, code.customer, code.id);
	if (active !== undefined) code.active = active;
	code.metadata = p.metadata(params, code.metadata);
	return code;
}

/** What checkout does when a customer applies a code; Stripe has no endpoint for it, tests use this one. */
function redeemPromotionCode(store, id, params) {
	const code = store.mustFind('promotion_code', id, 'id', 'promotion code');
	if (!promotionCodeIsActive(store, code)) {
		throw invalidRequest(`This promotion code cannot be redeemed because it is inactive.`, 'promotion_code');
	}
	if (code.customer && params.customer !== code.customer) {
		throw new StripeError(400, {
			type: 'invalid_request_error',
			message: 'This promotion code cannot be redeemed because the associated customer does not match.',
			param: 'customer',
		});
	}
	const coupon = store.find('coupon', code.promotion.coupon);
	code.times_redeemed += 1;
	coupon.times_redeemed += 1;
	return code;
}

const routes = [
	{ method: 'POST', path: '/v1/coupons', handler: ({ store, params }) => showCoupon(store, createCoupon(store, params)) },
	{
		method: 'GET',
		path: '/v1/coupons',
		handler: ({ store, params }) => {
			p.allowOnly(params, ['created', 'ending_before', 'limit', 'starting_after']);
			const page = store.paginate(store.newestFirst('coupon'), params, '/v1/coupons', 'coupon');
			return { ...page, data: page.data.map((coupon) => showCoupon(store, coupon)) };
		},
	},
	{ method: 'GET', path: '/v1/coupons/:id', handler: ({ store, path }) => showCoupon(store, store.mustFind('coupon', path.id)) },
	{
		method: 'POST',
		path: '/v1/coupons/:id',
		handler: ({ store, path, params }) => {
			p.allowOnly(params, ['currency_options', 'metadata', 'name']);
			const coupon = store.mustFind('coupon', path.id);
			const name = p.string(params, 'name', { maxLength: 40 });
			if (name !== undefined) coupon.name = name;
			coupon.metadata = p.metadata(params, coupon.metadata);
			return showCoupon(store, coupon);
		},
	},
	{
		method: 'DELETE',
		path: '/v1/coupons/:id',
		handler: ({ store, path }) => {
			store.mustFind('coupon', path.id);
			const stub = { id: path.id, object: 'coupon', deleted: true };
			store.collection('coupon').set(path.id, stub);
			return stub;
		},
	},
	{
		method: 'POST',
		path: '/v1/promotion_codes',
		handler: ({ store, params, version }) => showPromotionCode(store, createPromotionCode(store, params), version),
	},
	{
		method: 'GET',
		path: '/v1/promotion_codes',
		handler: ({ store, params, version }) => {
			p.allowOnly(params, ['active', 'code', 'coupon', 'created', 'customer', 'customer_account', 'ending_before', 'limit', 'starting_after']);
			const active = p.boolean(params, 'active');
			const items = store.newestFirst(
				'promotion_code',
				(code) =>
					(active === undefined || promotionCodeIsActive(store, code) === active) &&
					// the code filter is case-insensitive (https://docs.stripe.com/api/promotion_codes/list)
					(params.code === undefined || code.code.toLowerCase() === String(params.code).toLowerCase()) &&
					(params.coupon === undefined || code.promotion.coupon === params.coupon) &&
					(params.customer === undefined || code.customer === params.customer),
			);
			const page = store.paginate(items, params, '/v1/promotion_codes', 'promotion code');
			return { ...page, data: page.data.map((code) => showPromotionCode(store, code, version)) };
		},
	},
	{
		method: 'GET',
		path: '/v1/promotion_codes/:id',
		handler: ({ store, path, version }) =>
			showPromotionCode(store, store.mustFind('promotion_code', path.id, 'id', 'promotion code'), version),
	},
	{
		method: 'POST',
		path: '/v1/promotion_codes/:id',
		handler: ({ store, path, params, version }) => showPromotionCode(store, updatePromotionCode(store, path.id, params), version),
	},
];

const standinRoutes = [
	{
		method: 'POST',
		path: '/__standin/promotion_codes/:id/redeem',
		handler: ({ store, path, params, version }) =>
			showPromotionCode(store, redeemPromotionCode(store, path.id, params), version),
	},
];

module.exports = { routes, standinRoutes, createCoupon, createPromotionCode };

/**
 * The return decision: a return request (Shopify's requested return, or a ticket asking for one) against the
 * store's return policy, decided as approve, decline or a person's review, with the fault, the fees and the
 * resolution ladder (exchange first). Pure: no n8n, no I/O, no clock (now is passed in).
 */
import { formatMoney, type Money } from '../shared/money';
import type { ReturnPolicy } from '../shared/policy';
import { instantAt, wallClock } from '../shared/time';

import type { DeclineReason, ExchangeVariant, Resolution, ReturnCase, ReturnLine, ReturnReason } from '../shared/contract/returnRequest';

export type { DeclineReason, ExchangeVariant, Resolution, ReturnCase, ReturnHistory, ReturnLine, ReturnReason } from '../shared/contract/returnRequest';

export type Fault = 'store' | 'customer';

export interface LineDecision {
	id: string;
	fault: Fault;
	finalSale: boolean;
	madeToOrder: boolean;
	/** Returned value of the line (unit price x quantity). */
	value: Money;
	/** The fee kept from this line (restocking), when the customer is at fault. */
	restockingFee: Money;
	/** Exchange offered for this line: the variant, when one is in stock. */
	exchangeVariant?: ExchangeVariant;
	/** Set when this line alone is declined: the reason it would carry (the return's own may be OTHER for mixed lines). */
	declineReason?: DeclineReason;
	/** Set when this line needs a person (no_delivery_date, fault_claim_after_window). */
	reviewReason?: string;
}

export interface ReturnDecision {
	outcome: 'approve' | 'decline' | 'review';
	/** With outcome decline: Shopify's reason and a note for the customer. */
	declineReason?: DeclineReason;
	declineNote?: string;
	/** The store's fault when any line is (defective, wrong, not as described): no fees, shipping refunded. */
	fault: Fault;
	lines: LineDecision[];
	/** What the customer is offered, in order (the ladder, less the rungs that do not apply); the first is chosen. */
	offers: Resolution[];
	resolution?: Resolution;
	/** Totals in the order's currency. returnedValue is every line's; fees and amountDue count only the lines not declined. */
	returnedValue: Money;
	/** Set when some lines are declined and others not (a person decides): the value of those not declined, which the fees and amountDue are of. */
	returnableValue?: Money;
	restockingFee: Money;
	returnShippingFee: Money;
	/** The shipping refunded (the store's fault), else zero. */
	shippingRefund: Money;
	/** The bonus of the chosen resolution (exchange bonus, or store credit's percentage), else zero. */
	bonus: Money;
	/** What the customer gets back with the chosen resolution: returned value - fees + shipping refund (+ bonus for credit). */
	amountDue: Money;
	/** The window that applied: its days, where it starts, when it ends, and whether the EU floor extended it. */
	window: {
		days: number;
		startsAt: 'delivery' | 'fulfillment' | 'fulfillment_plus_transit';
		/** The last instant of the store's window (the end of its last calendar day), when a start date is known. */
		endsAt?: string;
		euFloor: boolean;
		/** An EU shipping country with a known arrival: the last instant of the withdrawal period (not for made-to-order lines). */
		euFloorEndsAt?: string;
	};
	/** Why a person reviews it (serial_returner, over_value_cap, second_return_on_order, no_returns_tag, ...). */
	reviewReasons: string[];
	/** Short machine-readable reasons, in the order they weighed. */
	reasons: string[];
	/** One sentence a person reads. */
	summary: string;
}

/**
 * Policy amounts are in the policy's currency; the run passes a converter into the order's currency. The amount is
 * the policy's value as written (500 for reviewValueOver: 500.00 USD); the result is in the order's minor units.
 */
export type ToOrderCurrency = (amountInPolicyCurrency: number) => Money;


const DAY_MS = 86_400_000;
/** Shopify's reasons that say the store sent something wrong: no fees, shipping refunded. */
const STORE_FAULT_REASONS: ReadonlySet<ReturnReason> = new Set<ReturnReason>(['DEFECTIVE', 'WRONG_ITEM', 'NOT_AS_DESCRIBED']);
/** Reasons a different variant of the same product answers. */
const VARIANT_REASONS: ReadonlySet<ReturnReason> = new Set<ReturnReason>(['SIZE_TOO_SMALL', 'SIZE_TOO_LARGE', 'COLOR', 'STYLE']);
/** Shopify's declineReturn note is shown to the customer; kept well inside what a notification shows. */
const NOTE_LIMIT = 300;

function isStoreFault(reason: ReturnReason): boolean {
	return STORE_FAULT_REASONS.has(reason);
}

const normalised = (text: string): string => text.trim().toLowerCase();

function anyIn(values: readonly string[], listed: readonly string[]): boolean {
	if (!listed.length || !values.length) return false;
	const wanted = new Set(listed.map(normalised));
	return values.some((value) => wanted.has(normalised(value)));
}

function isMadeToOrder(line: ReturnLine, policy: ReturnPolicy): boolean {
	return anyIn(line.productTags, policy.madeToOrderTags) || anyIn(line.productType ? [line.productType] : [], policy.madeToOrderProductTypes);
}

function isFinalSale(line: ReturnLine, orderTags: readonly string[], policy: ReturnPolicy): boolean {
	return (
		anyIn(line.productTags, policy.finalSaleTags) ||
		anyIn(orderTags, policy.finalSaleTags) ||
		anyIn(line.productType ? [line.productType] : [], policy.finalSaleProductTypes)
	);
}

/** The last instant of the calendar day `days` after `start`'s day in `timeZone`: a window of N days ends at that midnight. */
function endOfDayAfter(start: Date, days: number, timeZone: string): Date {
	if (timeZone === 'UTC') {
		const midnight = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + days + 1);
		return new Date(midnight - 1);
	}
	const day = wallClock(start, timeZone);
	return new Date(instantAt(day.year, day.month, day.day + days + 1, 0, timeZone).getTime() - 1);
}

/** Where the window starts and ends, and where the EU floor does; dates absent when nothing was recorded. */
interface ReturnWindow {
	startsAt: ReturnDecision['window']['startsAt'];
	start?: Date;
	endsAt?: Date;
	eu: boolean;
	euFloorEndsAt?: Date;
}

function returnWindowOf(request: ReturnCase, policy: ReturnPolicy): ReturnWindow {
	const eu = !!request.countryCode && policy.euCountries.some((code) => code.toUpperCase() === request.countryCode!.trim().toUpperCase());
	// the goods' arrival: recorded, else shipped plus the usual transit (the EU floor counts from it whatever the store's rule)
	const arrival = request.deliveredAt ?? (request.fulfilledAt ? new Date(request.fulfilledAt.getTime() + policy.transitDays * DAY_MS) : undefined);
	const arrivalFrom = request.deliveredAt ? 'delivery' : 'fulfillment_plus_transit';
	let startsAt: ReturnWindow['startsAt'] = policy.windowStartsAt === 'fulfillment' ? 'fulfillment' : 'delivery';
	let start: Date | undefined;
	if (policy.windowStartsAt === 'fulfillment' && request.fulfilledAt) start = request.fulfilledAt;
	// counted from fulfilment but only a delivery recorded: the later date, in the customer's favour
	else if (arrival) [start, startsAt] = [arrival, arrivalFrom];
	const window: ReturnWindow = { startsAt, eu };
	if (start) {
		window.start = start;
		window.endsAt = endOfDayAfter(start, policy.windowDays, policy.timeZone);
	}
	if (eu && arrival) window.euFloorEndsAt = endOfDayAfter(arrival, policy.euFloorDays, policy.timeZone);
	return window;
}

/** The variant a line could be exchanged for: a replacement of the same variant (store's fault), another size, colour or style. */
function exchangeFor(line: ReturnLine): { variant?: ExchangeVariant; outOfStock: boolean; wantedUnavailable: boolean } {
	const enough = (variant: ExchangeVariant) => variant.available >= line.quantity;
	if (isStoreFault(line.reason)) {
		const same = line.variantId ? line.exchangeVariants.filter((variant) => variant.variantId === line.variantId) : [];
		const variant = same.find(enough);
		return { ...(variant ? { variant } : {}), outOfStock: !variant && same.length > 0, wantedUnavailable: false };
	}
	if (!VARIANT_REASONS.has(line.reason)) return { outOfStock: false, wantedUnavailable: false };
	const others = line.exchangeVariants.filter((variant) => variant.variantId !== line.variantId);
	const inStock = others.filter(enough);
	const wanted = line.wantedVariantId ? inStock.find((variant) => variant.variantId === line.wantedVariantId) : undefined;
	const variant = wanted ?? inStock[0];
	return {
		...(variant ? { variant } : {}),
		outOfStock: !variant && others.length > 0,
		wantedUnavailable: !!line.wantedVariantId && line.wantedVariantId !== line.variantId && !wanted,
	};
}

/** How one line weighs: declined (and why, for the customer), under review, or returnable. */
interface LineVerdict {
	line: ReturnLine;
	decision: LineDecision;
	/** The customer's note for a declined line: made to order, final sale, final sale past the EU floor, or the window. */
	declinedFor?: 'made_to_order' | 'final_sale' | 'final_sale_after_eu_floor' | 'window';
	euFloorUsed: boolean;
}

function lineVerdict(line: ReturnLine, request: ReturnCase, policy: ReturnPolicy, window: ReturnWindow): LineVerdict {
	const fault: Fault = isStoreFault(line.reason) ? 'store' : 'customer';
	const madeToOrder = isMadeToOrder(line, policy);
	const finalSale = isFinalSale(line, request.orderTags, policy);
	const value: Money = { cents: line.unitPrice.cents * line.quantity, currency: request.currency };
	if (!Number.isSafeInteger(value.cents)) throw new Error(`line ${line.id}: ${line.quantity} x ${line.unitPrice.cents} is too large an amount`);
	const decision: LineDecision = { id: line.id, fault, finalSale, madeToOrder, value, restockingFee: { cents: 0, currency: request.currency } };
	const requested = request.requestedAt.getTime();
	const inWindow = window.endsAt ? requested <= window.endsAt.getTime() : undefined;
	// EU withdrawal right (CRD art. 9), never for goods made to the buyer's specification (art. 16(c))
	const inEuFloor = !madeToOrder && !!window.euFloorEndsAt && requested <= window.euFloorEndsAt.getTime();
	const verdict = (extra: Partial<LineVerdict> = {}): LineVerdict => ({ line, decision, euFloorUsed: false, ...extra });
	const decline = (reason: DeclineReason, declinedFor: LineVerdict['declinedFor']) => {
		decision.declineReason = reason;
		return verdict({ declinedFor });
	};
	const review = (reason: string) => {
		decision.reviewReason = reason;
		return verdict();
	};

	if (fault === 'store') {
		if (inEuFloor) return verdict({ euFloorUsed: inWindow === false });
		if (inWindow === undefined) return review('no_delivery_date');
		// a legal guarantee may still cover a fault found late: a person decides, never an automatic decline
		return inWindow ? verdict() : review('fault_claim_after_window');
	}
	if (madeToOrder) return decline('OTHER', 'made_to_order');
	if (inEuFloor) return verdict({ euFloorUsed: finalSale || inWindow === false });
	if (inWindow === undefined) {
		// final sale outside the EU needs no date to decline; anything else waits for one
		return finalSale && !window.eu ? decline('FINAL_SALE', 'final_sale') : review('no_delivery_date');
	}
	if (window.eu) {
		// past the floor: the store's window first, as the floor was the final-sale item's only way back
		if (!inWindow) return decline('RETURN_PERIOD_ENDED', 'window');
		if (finalSale) return decline('FINAL_SALE', 'final_sale_after_eu_floor');
		return verdict();
	}
	// a final-sale item was never returnable: saying "the window ended" would suggest it once was
	if (finalSale) return decline('FINAL_SALE', 'final_sale');
	if (!inWindow) return decline('RETURN_PERIOD_ENDED', 'window');
	return verdict();
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function customerDate(instant: Date, timeZone: string): string {
	let format = dateFormats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'long', day: 'numeric' });
		dateFormats.set(timeZone, format);
	}
	return format.format(instant);
}

function shortTitle(line: ReturnLine): string {
	const title = line.variantTitle ? `${line.title} (${line.variantTitle})` : line.title;
	return title.length > 40 ? `${title.slice(0, 39).trimEnd()}…` : title;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The note Shopify shows the customer with a declined return: plain words, no codes. */
function declineNoteOf(declined: LineVerdict[], request: ReturnCase, policy: ReturnPolicy, window: ReturnWindow): string {
	const windowEnd = [window.endsAt, window.eu ? window.euFloorEndsAt : undefined].reduce<Date | undefined>(
		(latest, end) => (end && (!latest || end > latest) ? end : latest),
		undefined,
	);
	const kinds = new Set(declined.map((verdict) => verdict.declinedFor));
	if (kinds.size === 1) {
		switch (declined[0].declinedFor) {
			case 'window':
				return `The return window for order ${request.orderName} ended on ${windowEnd ? customerDate(windowEnd, policy.timeZone) : 'its last day'}, so we can't accept this return.`;
			case 'final_sale':
				return `Items sold as final sale can't be returned, so we can't accept this return.`;
			case 'final_sale_after_eu_floor':
				return `Items sold as final sale can come back only within ${policy.euFloorDays} days of delivery, and that time has passed for order ${request.orderName}.`;
			default:
				return `Made-to-order items are made just for you, so they can come back only if they arrive defective or not as ordered. If yours did, reply and we'll put it right.`;
		}
	}
	const why = {
		window: 'is past the return window',
		final_sale: 'was sold as final sale',
		final_sale_after_eu_floor: 'was sold as final sale',
		made_to_order: 'was made to order (those come back only if defective or wrong)',
	};
	const each = `We can't accept this return: ${declined.map((verdict) => `${shortTitle(verdict.line)} ${why[verdict.declinedFor!]}`).join('; ')}.`;
	if (each.length < NOTE_LIMIT) return each;
	const count = (kind: string) => declined.filter((verdict) => verdict.declinedFor === kind || (kind === 'final_sale' && verdict.declinedFor === 'final_sale_after_eu_floor')).length;
	const parts = [
		count('window') ? `${plural(count('window'), 'item is', 'items are')} past the return window` : '',
		count('final_sale') ? `${plural(count('final_sale'), 'item was', 'items were')} sold as final sale` : '',
		count('made_to_order') ? `${plural(count('made_to_order'), 'item was', 'items were')} made to order (those come back only if defective or wrong)` : '',
	].filter(Boolean);
	return `We can't accept this return: ${parts.join(', ')}.`;
}

/** `what` names the amount in the error; a function, so that the check of every line builds no text. */
function checkMoney(money: Money, currency: string, what: () => string): void {
	if (money.currency !== currency && money.currency.toUpperCase() !== currency.toUpperCase()) {
		throw new Error(`${what()} is in ${money.currency}, the return in ${currency}: amounts of one return share its order's currency`);
	}
	if (!Number.isSafeInteger(money.cents)) throw new Error(`${what()} is not a whole number of minor units (${money.cents})`);
}

function checkDate(date: Date | undefined, what: string): void {
	if (date !== undefined && (!(date instanceof Date) || Number.isNaN(date.getTime()))) throw new Error(`${what} is not a valid date`);
}

/** Programmer mistakes only: the reader has validated the items, so these mean the run built the case wrong. */
function checkCase(request: ReturnCase): void {
	if (!request.lines.length) throw new Error(`return of ${request.orderName} has no lines`);
	checkDate(request.requestedAt, 'requestedAt');
	if (request.requestedAt === undefined) throw new Error('requestedAt is required');
	checkDate(request.deliveredAt, 'deliveredAt');
	checkDate(request.fulfilledAt, 'fulfilledAt');
	checkMoney(request.shippingPaid, request.currency, () => 'shippingPaid');
	if (request.history.returnedValue.currency !== request.history.spentValue.currency) {
		throw new Error(`history's returned value (${request.history.returnedValue.currency}) and spend (${request.history.spentValue.currency}) must share a currency`);
	}
	for (const line of request.lines) {
		checkMoney(line.unitPrice, request.currency, () => `line ${line.id}'s unit price`);
		if (!Number.isInteger(line.quantity) || line.quantity < 1) throw new Error(`line ${line.id}'s quantity must be a whole number of at least 1, not ${line.quantity}`);
	}
}

export function decideReturn(request: ReturnCase, policy: ReturnPolicy, now: Date, toOrderCurrency: ToOrderCurrency): ReturnDecision {
	// the window is judged at the request, not at the decision: a request made in time and decided later is in time
	void now;
	checkCase(request);
	const currency = request.currency;
	const zero = (): Money => ({ cents: 0, currency });
	const converted = (amount: number, what: string): Money => {
		if (amount <= 0) return zero();
		const money = toOrderCurrency(amount);
		checkMoney(money, currency, () => `toOrderCurrency(${amount}) for ${what}`);
		return money;
	};

	const window = returnWindowOf(request, policy);
	const verdicts = request.lines.map((line) => lineVerdict(line, request, policy, window));
	const declined = verdicts.filter((verdict) => verdict.decision.declineReason);
	const returnable = verdicts.filter((verdict) => !verdict.decision.declineReason);
	const storeFault = verdicts.some((verdict) => verdict.decision.fault === 'store');
	const euFloor = verdicts.some((verdict) => verdict.euFloorUsed);

	const reasons: string[] = [];
	if (!window.endsAt) reasons.push('no_delivery_date');
	else reasons.push(request.requestedAt <= window.endsAt ? 'within_window' : 'window_ended');
	if (euFloor) reasons.push('eu_floor');
	if (verdicts.some((verdict) => verdict.decision.finalSale)) reasons.push('final_sale');
	if (verdicts.some((verdict) => verdict.decision.madeToOrder)) reasons.push('made_to_order');
	if (storeFault) reasons.push('store_fault');
	if (verdicts.some((verdict) => verdict.decision.fault === 'customer')) reasons.push('customer_fault');
	if (request.lines.some((line) => line.reason === 'UNKNOWN')) reasons.push('reason_not_given');
	if (request.lines.some((line) => line.reason === 'OTHER')) reasons.push('reason_other');

	// money: fees and amounts are of the lines that come back; a store's fault anywhere waives every fee
	const returnedValue = zero();
	for (const verdict of verdicts) returnedValue.cents += verdict.decision.value.cents;
	const returnableValue = zero();
	const restockingFee = zero();
	for (const { decision } of returnable) {
		returnableValue.cents += decision.value.cents;
		if (storeFault || decision.fault !== 'customer' || policy.restockingPercent <= 0) continue;
		decision.restockingFee = { cents: Math.round((decision.value.cents * policy.restockingPercent) / 100), currency };
		restockingFee.cents += decision.restockingFee.cents;
	}
	const customerLinesBack = returnable.some((verdict) => verdict.decision.fault === 'customer');
	const returnShippingFee = !storeFault && customerLinesBack ? converted(policy.returnShippingFee, 'returnShippingFee') : zero();
	const shippingRefund = storeFault ? { ...request.shippingPaid, currency } : zero();
	if (restockingFee.cents > 0) reasons.push('restocking_fee');
	if (returnShippingFee.cents > 0) reasons.push('return_shipping_fee');
	if (shippingRefund.cents > 0) reasons.push('shipping_refunded');

	// the ladder, exchange first: an exchange only when every line coming back has a variant to go out
	const exchanges = returnable.map((verdict) => {
		const found = exchangeFor(verdict.line);
		if (found.variant) verdict.decision.exchangeVariant = found.variant;
		return found;
	});
	const exchangeable = returnable.length > 0 && exchanges.every((found) => found.variant);
	const allDeclined = returnable.length === 0;
	let offers: Resolution[] = [];
	if (!allDeclined) {
		offers = [...new Set(policy.ladder)].filter((rung) => rung !== 'exchange' || exchangeable);
		if (!offers.length) offers = ['refund'];
		if (policy.ladder.includes('exchange')) {
			if (exchangeable) reasons.push('exchange_offered');
			else if (exchanges.some((found) => found.outOfStock)) reasons.push('exchange_out_of_stock');
			else reasons.push('exchange_not_applicable');
			if (exchanges.some((found) => found.wantedUnavailable)) reasons.push('wanted_variant_unavailable');
		}
	}
	const resolution = offers[0];

	const net = zero();
	net.cents = Math.max(0, returnableValue.cents - restockingFee.cents - returnShippingFee.cents + shippingRefund.cents);
	let bonus = zero();
	let amountDue = zero();
	if (resolution === 'exchange') bonus = converted(policy.exchangeBonus, 'exchangeBonus');
	else if (resolution === 'store_credit') {
		bonus = { cents: Math.round((net.cents * policy.creditBonusPercent) / 100), currency };
		amountDue = { cents: net.cents + bonus.cents, currency };
	} else if (resolution === 'refund') amountDue = net;

	// risk goes to a person, never to an automatic decline
	const reviewReasons: string[] = [];
	for (const verdict of verdicts) {
		const why = verdict.decision.reviewReason;
		if (why && !reviewReasons.includes(why)) reviewReasons.push(why);
	}
	if (declined.length && !allDeclined) reviewReasons.push('some_lines_not_returnable');
	const risks: string[] = [];
	const { history } = request;
	const countSerial = policy.serialReturnsCount > 0 && history.returnsCount >= policy.serialReturnsCount;
	const shareSerial = policy.serialReturnedSharePercent > 0 && history.spentValue.cents > 0 && history.returnedValue.cents * 100 >= policy.serialReturnedSharePercent * history.spentValue.cents;
	if (countSerial || shareSerial) risks.push('serial_returner');
	if (policy.reviewValueOver > 0 && returnedValue.cents > converted(policy.reviewValueOver, 'reviewValueOver').cents) risks.push('over_value_cap');
	if (request.otherReturnsOnOrder > 0) risks.push('second_return_on_order');
	if (policy.noReturnsTag.trim() && anyIn(request.customer.tags, [policy.noReturnsTag])) risks.push('no_returns_tag');
	// a delay compensation and money back for the same order are never stacked
	if ((request.delayCompensationPaid?.cents ?? 0) > 0 && (resolution === 'store_credit' || resolution === 'refund')) risks.push('delay_compensation_paid');
	reasons.push(...reviewReasons.filter((why) => !reasons.includes(why)), ...risks);

	const lines = verdicts.map((verdict) => verdict.decision);
	const windowOut: ReturnDecision['window'] = {
		days: policy.windowDays,
		startsAt: window.startsAt,
		...(window.endsAt ? { endsAt: window.endsAt.toISOString() } : {}),
		euFloor,
		...(window.euFloorEndsAt ? { euFloorEndsAt: window.euFloorEndsAt.toISOString() } : {}),
	};
	const items = plural(request.lines.reduce((sum, line) => sum + line.quantity, 0), 'item', 'items');
	const faultText = storeFault ? "the store's fault" : "the customer's reason";

	if (allDeclined) {
		// Shopify declines a whole return: one reason when the lines share it, else OTHER with each line's in the note
		const shared = declined.every((verdict) => verdict.decision.declineReason === declined[0].decision.declineReason);
		const declineReason = shared ? declined[0].decision.declineReason! : 'OTHER';
		return {
			outcome: 'decline',
			declineReason,
			declineNote: declineNoteOf(declined, request, policy, window),
			fault: 'customer',
			lines,
			offers: [],
			returnedValue,
			restockingFee,
			returnShippingFee,
			shippingRefund,
			bonus,
			amountDue,
			window: windowOut,
			reviewReasons: [],
			reasons,
			summary: `${request.orderName}: decline the return of ${items} worth ${formatMoney(returnedValue)} (${declineReason}: ${[...new Set(declined.map((verdict) => verdict.declinedFor!.replace(/_/g, ' ')))].join(', ')}).`,
		};
	}

	reviewReasons.push(...risks);
	const outcome = reviewReasons.length ? 'review' : 'approve';
	const words = (rung: Resolution) => rung.replace('_', ' ');
	const proposal = `${offers.map(words).join(', then ')}${resolution === 'exchange' ? '' : ` (${formatMoney(amountDue)} with ${words(resolution)})`}`;
	const summary =
		outcome === 'approve'
			? `${request.orderName}: approve the return of ${items} worth ${formatMoney(returnedValue)} (${faultText}); offer ${proposal}.`
			: `${request.orderName}: a person decides on the return of ${items} worth ${formatMoney(returnedValue)} (${reviewReasons.join(', ')}); proposed ${proposal}.`;
	return {
		outcome,
		fault: storeFault ? 'store' : 'customer',
		lines,
		offers,
		resolution,
		returnedValue,
		...(declined.length ? { returnableValue } : {}),
		restockingFee,
		returnShippingFee,
		shippingRefund,
		bonus,
		amountDue,
		window: windowOut,
		reviewReasons,
		reasons,
		summary,
	};
}

/** Cues of each return reason in a ticket's words, most telling first; the first that matches names the reason. */
const TICKET_REASON_CUES: Array<[ReturnReason, RegExp]> = [
	['WRONG_ITEM', /\b(wrong (item|print|size|colou?r|design|order|one)|not what i ordered|someone else'?s order|sent me the wrong|different (item|print) than (i )?ordered)\b/i],
	['DEFECTIVE', /\b(broken|damaged|defect(ive)?|faded|fading|peeling|cracked|torn|ripped|scratch(ed)?|dent(ed)?|smudged?|stain(ed)?|not working|fell apart)\b/i],
	['NOT_AS_DESCRIBED', /\b(not as (described|pictured|shown)|(looks?|is) (nothing like|different from) the (photo|picture|listing|website|product page)|much (darker|lighter|smaller|bigger) than)\b/i],
	['SIZE_TOO_SMALL', /\b(too (small|tight|short|little)|smaller than (i )?expected|need (a )?(bigger|larger) (size|one))\b/i],
	['SIZE_TOO_LARGE', /\b(too (big|large|loose|long)|bigger than (i )?expected|need (a )?smaller (size|one))\b/i],
	['COLOR', /\b(colou?r|shade|tone)\b/i],
	['STYLE', /\b(style|doesn'?t (suit|match)|don'?t like (the|how) (look|it looks)|not my taste)\b/i],
	['UNWANTED', /\b(changed my mind|(don'?t|do not|no longer) (want|need)|ordered by mistake|gift (they|she|he) (didn'?t|did not) like)\b/i],
];

/** The intents triage gives a ticket that asks for a return, an exchange or money back (docs/triage-corpus.md). */
export const RETURN_INTENTS: readonly string[] = ['return_request', 'exchange_request', 'refund_request'];

/**
 * Why a ticket's items come back, in Shopify's terms: a damaged or wrong item triage named (its second intent), else
 * the ticket's words; an exchange asked for with no other cue is a size question at heart only when it says so, so it
 * stays OTHER; nothing found is UNKNOWN (a person reads the note).
 */
export function ticketReturnReason(intents: string[], text: string): ReturnReason {
	if (intents.includes('wrong_item')) return 'WRONG_ITEM';
	if (intents.includes('damaged')) return 'DEFECTIVE';
	const cue = TICKET_REASON_CUES.find(([, words]) => words.test(text));
	if (cue) return cue[0];
	return intents.includes('exchange_request') ? 'OTHER' : 'UNKNOWN';
}

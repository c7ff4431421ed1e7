/**
 * The returns desk's emails: the customer told the outcome and the next step, the staff told what needs their
 * review. Pure; every piece of customer and store text is escaped.
 */
import { escapeHtml } from '../shared/email/html';
import { letter } from '../shared/email/layout';
import { oneLine } from '../shared/email/text';
import { formatMoney, type Money } from '../shared/money';
import type { Resolution } from '../shared/contract/returnRequest';

export interface ReturnEmailFacts {
	firstName?: string;
	orderName: string;
	returnName?: string;
	outcome: 'approve' | 'decline' | 'review';
	declineNote?: string;
	resolution?: Resolution;
	/** The exchange offered: the variant's title. */
	exchangeTitle?: string;
	amountDue: Money;
	bonus: Money;
	restockingFee: Money;
	returnShippingFee: Money;
	storeName?: string;
}

const WHAT_YOU_GET: Record<Resolution, (facts: ReturnEmailFacts) => string> = {
	exchange: (facts) =>
		`Once it arrives, we send you ${facts.exchangeTitle ? `the ${oneLine(facts.exchangeTitle)} instead` : 'the item you choose instead'}${facts.bonus.cents > 0 ? `, with ${formatMoney(facts.bonus)} off it` : ''}, at no cost. If you would rather have store credit or your money back, just reply to this email.`,
	store_credit: (facts) =>
		`Once it arrives, you get ${formatMoney(facts.amountDue)} in store credit${facts.bonus.cents > 0 ? `, which includes a ${formatMoney(facts.bonus)} bonus` : ''}. If you would rather have your money back, just reply to this email.`,
	refund: (facts) => `Once it arrives, we refund ${formatMoney(facts.amountDue)} to your original payment method.`,
};

/** The customer's email for a decided return: approved (with what they get and what to do), or declined (with why). */
export function renderCustomerEmail(facts: ReturnEmailFacts): { subject: string; html: string; text: string } {
	const firstName = oneLine(facts.firstName);
	const orderName = oneLine(facts.orderName);
	const fees = [facts.restockingFee, facts.returnShippingFee].filter((fee) => fee.cents > 0);
	const lines =
		facts.outcome === 'decline'
			? [
					firstName ? `Hi ${firstName},` : 'Hello,',
					`We have looked at your return request for order ${orderName} and cannot accept it.`,
					oneLine(facts.declineNote),
					'If you think we have this wrong, reply to this email and a person will look at it again.',
					oneLine(facts.storeName),
				]
			: facts.outcome === 'review'
				? [
						firstName ? `Hi ${firstName},` : 'Hello,',
						`We have your return request for order ${orderName}. A member of our team is looking at it and will write to you within two business days.`,
						oneLine(facts.storeName),
					]
				: [
						firstName ? `Hi ${firstName},` : 'Hello,',
						`Your return for order ${orderName} is approved.`,
						'Please send the items back with the return details Shopify has emailed you, or reply to this email for a return label.',
						facts.resolution ? WHAT_YOU_GET[facts.resolution](facts) : '',
						fees.length ? `As set out in our return policy, ${fees.map((fee) => formatMoney(fee)).join(' and ')} ${fees.length > 1 ? 'are' : 'is'} kept for restocking and return shipping.` : '',
						oneLine(facts.storeName),
					];
	const subject = oneLine(
		facts.outcome === 'decline' ? `Your return request for order ${orderName}` : facts.outcome === 'review' ? `We are looking at your return for order ${orderName}` : `Your return for order ${orderName} is approved`,
	);
	const kept = lines.filter(Boolean);
	return { subject, html: letter(kept.map((line) => escapeHtml(line))), text: kept.join('\n\n') };
}

export interface ReviewEmailFacts {
	orderName: string;
	returnName?: string;
	customerName?: string;
	customerEmail?: string;
	reviewReasons: string[];
	summary: string;
	returnedValue: Money;
	/** Shopify admin link to the order, when the shop domain is known. */
	adminLink?: string;
}

const REVIEW_WORDS: Record<string, string> = {
	serial_returner: 'the customer returns often (the thresholds of Options > Serial Returner)',
	over_value_cap: 'the return is worth more than the review cap',
	second_return_on_order: 'the order has another return',
	no_returns_tag: 'the customer carries the no-returns tag',
	delay_compensation_paid: 'a delay compensation was already paid on this order',
	fault_claim_after_window: 'a fault is claimed after the return window',
	some_lines_not_returnable: 'some items are returnable and some are not',
	no_delivery_date: 'no delivery or fulfilment date is recorded',
};

/** The staff's email: a return that waits for a person, with why. */
export function renderReviewEmail(facts: ReviewEmailFacts): { subject: string; html: string; text: string } {
	const who = [oneLine(facts.customerName), facts.customerEmail ? `<${oneLine(facts.customerEmail)}>` : ''].filter(Boolean).join(' ');
	const lines = [
		`Return ${oneLine(facts.returnName ?? '')} on order ${oneLine(facts.orderName)}${who ? ` from ${who}` : ''} needs a decision (${formatMoney(facts.returnedValue)}).`,
		`Why: ${facts.reviewReasons.map((reason) => REVIEW_WORDS[reason] ?? reason).join('; ')}.`,
		oneLine(facts.summary),
		'It is neither approved nor declined: approve or decline it in Shopify (Orders > the order > Returns). The customer has been told a person is looking at it.',
		facts.adminLink ?? '',
	].filter(Boolean);
	return {
		subject: oneLine(`Return to review: ${facts.orderName}`),
		html: letter(lines.map((line) => escapeHtml(line))),
		text: lines.join('\n\n'),
	};
}

export interface ProcessedEmailFacts {
	firstName?: string;
	orderName: string;
	resolution: Resolution;
	/** Money back (refund) or credited (store credit, with its bonus). */
	amount: Money;
	bonus: Money;
	exchangeTitle?: string;
	storeName?: string;
}

const WHAT_HAPPENED: Record<Resolution, (facts: ProcessedEmailFacts) => string> = {
	exchange: (facts) => `Your exchange${facts.exchangeTitle ? ` (${oneLine(facts.exchangeTitle)})` : ''} is on its way; you will get its tracking as soon as it ships.`,
	store_credit: (facts) => `We have added ${formatMoney(facts.amount)} in store credit to your account${facts.bonus.cents > 0 ? `, with a ${formatMoney(facts.bonus)} bonus on top` : ''}. It is ready to use at checkout.`,
	refund: (facts) => `We have refunded ${formatMoney(facts.amount)} to your original payment method; banks take 5 to 10 business days to show it.`,
};

/** The customer's email once the returned items are received and the return processed. */
export function renderProcessedEmail(facts: ProcessedEmailFacts): { subject: string; html: string; text: string } {
	const firstName = oneLine(facts.firstName);
	const orderName = oneLine(facts.orderName);
	const lines = [firstName ? `Hi ${firstName},` : 'Hello,', `We have received the items you returned from order ${orderName}.`, WHAT_HAPPENED[facts.resolution](facts), oneLine(facts.storeName)].filter(Boolean);
	return { subject: oneLine(`Your return for order ${orderName} is complete`), html: letter(lines.map((line) => escapeHtml(line))), text: lines.join('\n\n') };
}

/**
 * The built-in apology a customer receives with their compensation. Pure; every piece of customer and
 * store text is escaped. Stores with their own design use a SendGrid dynamic template instead, which
 * receives the same facts as template data.
 */
import { letter } from '../shared/email/layout';
import { escapeHtml } from '../shared/email/html';
import { oneLine } from '../shared/email/text';
import { formatMoney, type Money } from '../shared/money';

export type PayoutMethod = 'discountCode' | 'storeCredit' | 'stripeBalance' | 'partialRefund';

export interface ApologyFacts {
	firstName?: string;
	orderName: string;
	daysLate: number;
	amount: Money;
	method: PayoutMethod;
	discountCode?: string;
	codeExpiresAt?: string;
	perks: string[];
	storeName?: string;
}

const WHAT_YOU_GET: Record<PayoutMethod, (amount: string, facts: ApologyFacts) => string> = {
	discountCode: (amount, facts) => `a ${amount} discount code for your next order: ${oneLine(facts.discountCode)}${facts.codeExpiresAt ? ` (valid until ${oneLine(facts.codeExpiresAt.slice(0, 10))})` : ''}`,
	storeCredit: (amount) => `${amount} in store credit, ready to use at checkout`,
	stripeBalance: (amount) => `a ${amount} credit on your account, used on your next payment`,
	partialRefund: (amount) => `a refund of ${amount} to your original payment method`,
};

/** The facts a dynamic template receives (SendGrid dynamic_template_data): plain text, as Handlebars escapes it; one line, as a template's subject may show it. */
export function apologyTemplateData(facts: ApologyFacts): Record<string, unknown> {
	return {
		first_name: oneLine(facts.firstName),
		order_name: oneLine(facts.orderName),
		days_late: facts.daysLate,
		amount: formatMoney(facts.amount),
		method: facts.method,
		discount_code: oneLine(facts.discountCode),
		code_expires_at: oneLine(facts.codeExpiresAt),
		expedited_shipping: facts.perks.includes('expedited_shipping_next_order'),
		store_name: oneLine(facts.storeName),
	};
}

export function renderApologyEmail(facts: ApologyFacts): { subject: string; html: string; text: string } {
	const amount = formatMoney(facts.amount);
	const firstName = oneLine(facts.firstName);
	const orderName = oneLine(facts.orderName);
	const greeting = firstName ? `Hi ${firstName},` : 'Hello,';
	const lines = [
		greeting,
		`We are sorry: your order ${orderName} reached you ${facts.daysLate} days later than we promised.`,
		`To make up for the wait, you get ${WHAT_YOU_GET[facts.method](amount, facts)}.`,
		...(facts.perks.includes('expedited_shipping_next_order') ? ['Your next order ships expedited, at no cost.'] : []),
		'Thank you for your patience.',
		oneLine(facts.storeName),
	].filter(Boolean);
	const subject = oneLine(`Sorry your order ${orderName} was late`);
	const html = letter(lines.map((line) => escapeHtml(line)));
	return { subject, html, text: lines.join('\n\n') };
}

/**
 * The pack's one money type: an integer amount in the currency's minor unit (cents for USD) plus the
 * ISO 4217 currency. Amounts from Shopify arrive as decimal strings ("1234.50") and are parsed without
 * floating point, so thresholds such as "lifetime spend over $1000" compare exactly.
 */
export interface Money {
	cents: number;
	currency: string;
}

/**
 * What Intl knows of currencies, asked once per code: building a currency formatter costs tens of microseconds,
 * which a run over 100,000 orders (each total, refund and amount read and written) would otherwise pay every time.
 */
let knownCurrencies: Set<string> | undefined;
const digitsOf = new Map<string, number>();
const formatters = new Map<string, Intl.NumberFormat>();

export function isCurrency(code: string): boolean {
	knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
	return /^[A-Za-z]{3}$/.test(code) && knownCurrencies.has(code.toUpperCase());
}

/** Digits after the decimal point for a currency (2 for USD, 0 for JPY, 3 for KWD), from Intl. */
export function minorUnitDigits(currency: string): number {
	const known = digitsOf.get(currency);
	if (known !== undefined) return known;
	if (!isCurrency(currency)) throw new Error(`"${currency}" is not an ISO 4217 currency code`);
	const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
	digitsOf.set(currency, digits);
	return digits;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses "1234.5" or 1234.5 into minor units, rounding half away from zero past the currency's digits. */
export function moneyFromDecimal(amount: string | number, currency: string): Money {
	const code = currency.trim().toUpperCase();
	const digits = minorUnitDigits(code);
	const text = typeof amount === 'number' ? amount.toFixed(Math.max(digits, 2) + 2) : amount.trim();
	const match = DECIMAL.exec(text);
	if (!match) throw new Error(`"${String(amount)}" is not a decimal amount`);
	const [, minus, whole, fraction = ''] = match;
	const kept = (fraction + '0'.repeat(digits)).slice(0, digits);
	let cents = Number(whole) * 10 ** digits + Number(kept || '0');
	if (Number(fraction.charAt(digits) || '0') >= 5) cents += 1;
	if (!Number.isSafeInteger(cents)) throw new Error(`"${String(amount)}" is too large an amount`);
	return { cents: minus && cents !== 0 ? -cents : cents, currency: code };
}

export function moneyToDecimal(money: Money): string {
	const digits = minorUnitDigits(money.currency);
	const sign = money.cents < 0 ? '-' : '';
	const abs = Math.abs(money.cents);
	if (digits === 0) return `${sign}${abs}`;
	const whole = Math.floor(abs / 10 ** digits);
	const fraction = String(abs % 10 ** digits).padStart(digits, '0');
	return `${sign}${whole}.${fraction}`;
}

export function formatMoney(money: Money, locale = 'en-US'): string {
	const digits = minorUnitDigits(money.currency);
	const key = `${locale} ${money.currency}`;
	let formatter = formatters.get(key);
	if (!formatter) {
		formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
		formatters.set(key, formatter);
	}
	return formatter.format(money.cents / 10 ** digits);
}

export function isOver(money: Money, threshold: Money): boolean {
	if (money.currency !== threshold.currency) {
		throw new Error(`cannot compare ${money.currency} with ${threshold.currency}`);
	}
	return money.cents > threshold.cents;
}

/**
 * `amount` (in `from`'s currency) at the rate one order was paid at: `to` is the same order's total in the other
 * currency. Minor units on both sides, so a zero-decimal currency (JPY) or a three-decimal one (KWD) comes out
 * in its own unit; rounded half away from zero.
 */
export function convertAtOrderRate(amount: Money, from: Money, to: Money): Money {
	if (amount.currency !== from.currency) throw new Error(`cannot convert ${amount.currency} at a ${from.currency} rate`);
	if (from.cents <= 0) throw new Error(`no rate from a total of ${from.cents} ${from.currency}`);
	const exact = (amount.cents * to.cents) / from.cents;
	const cents = Math.sign(exact) * Math.round(Math.abs(exact));
	if (!Number.isSafeInteger(cents)) throw new Error('the converted amount is too large');
	return { cents: cents === 0 ? 0 : cents, currency: to.currency };
}

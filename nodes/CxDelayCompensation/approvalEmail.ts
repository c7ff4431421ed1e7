/**
 * The approval request a person gets for a compensation that waits for one: the decision and its reasons, and two
 * links (approve, decline) that resume the waiting n8n workflow. Pure; every piece of store and customer text is
 * escaped. An internal email: no unsubscribe footer.
 */
import { letter } from '../shared/email/layout';
import { escapeHtml, safeLink } from '../shared/email/html';
import { formatTime, oneLine } from '../shared/email/text';
import { isValidTimeZone } from '../shared/time';

export interface ApprovalFacts {
	orderName: string;
	customerEmail?: string;
	amount: string;
	summary: string;
	reasons: string[];
	approveUrl: string;
	declineUrl: string;
	expiresAt: string;
	timeZone: string;
	storeName?: string;
}

const button = (href: string, label: string, color: string) =>
	`<a href="${escapeHtml(href)}" style="display:inline-block;padding:10px 18px;margin-right:12px;border-radius:4px;background:${color};color:#fff;text-decoration:none;font-weight:bold">${escapeHtml(label)}</a>`;

export function renderApprovalEmail(facts: ApprovalFacts): { subject: string; html: string; text: string } {
	const order = oneLine(facts.orderName);
	const amount = oneLine(facts.amount);
	const until = formatTime(facts.expiresAt, isValidTimeZone(facts.timeZone) ? facts.timeZone : 'UTC');
	const subject = oneLine(`Approve ${amount} delay compensation for order ${order}?`);
	const lines = [
		`Order ${order}${facts.customerEmail ? ` (${oneLine(facts.customerEmail)})` : ''}: ${oneLine(facts.summary)}`,
		`Proposed: ${amount}. Why it waits for you: ${facts.reasons.map(oneLine).join(', ')}.`,
		`Approving pays it once and tells the customer; declining records your answer. The request expires ${until}; after that nothing is paid.`,
	];
	// only web addresses become buttons: an answer link that is not one is left out (the request then expires unanswered)
	const answers = [
		{ url: safeLink(facts.approveUrl), label: 'Approve and pay', word: 'Approve', color: '#2e7d32' },
		{ url: safeLink(facts.declineUrl), label: 'Decline', word: 'Decline', color: '#b3261e' },
	].filter((answer): answer is typeof answer & { url: string } => answer.url !== undefined);
	const html = letter([
		...lines.map((line) => escapeHtml(line)),
		...(answers.length ? [answers.map((answer) => button(answer.url, answer.label, answer.color)).join('')] : []),
		...(facts.storeName ? [escapeHtml(oneLine(facts.storeName))] : []),
	]);
	const text = [...lines, ...answers.map((answer) => `${answer.word}: ${answer.url}`), ...(facts.storeName ? [oneLine(facts.storeName)] : [])].join('\n\n');
	return { subject, html, text };
}

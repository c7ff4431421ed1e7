/**
 * The approval request a person gets for a compensation that waits for one: the decision and its reasons, and two
 * links (approve, decline) that resume the waiting n8n workflow. Pure; every piece of store and customer text is
 * escaped. An internal email: no unsubscribe footer.
 */
import { letter } from '../shared/email/layout';
import { escapeHtml } from '../shared/email/html';
import { formatTime, oneLine } from '../shared/email/text';

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
	const until = formatTime(facts.expiresAt, facts.timeZone);
	const subject = `Approve ${facts.amount} delay compensation for order ${order}?`;
	const lines = [
		`Order ${order}${facts.customerEmail ? ` (${oneLine(facts.customerEmail)})` : ''}: ${oneLine(facts.summary)}`,
		`Proposed: ${facts.amount}. Why it waits for you: ${facts.reasons.map(oneLine).join(', ')}.`,
		`Approving pays it once and tells the customer; declining records your answer. The request expires ${until}; after that nothing is paid.`,
	];
	const html = letter([
		...lines.map((line) => escapeHtml(line)),
		`${button(facts.approveUrl, 'Approve and pay', '#2e7d32')}${button(facts.declineUrl, 'Decline', '#b3261e')}`,
		...(facts.storeName ? [escapeHtml(oneLine(facts.storeName))] : []),
	]);
	const text = [...lines, `Approve: ${facts.approveUrl}`, `Decline: ${facts.declineUrl}`, ...(facts.storeName ? [oneLine(facts.storeName)] : [])].join('\n\n');
	return { subject, html, text };
}

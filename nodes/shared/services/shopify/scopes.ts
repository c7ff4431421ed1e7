/**
 * The Admin API access scopes each node of the pack uses, and what an app's granted scopes leave out. Pure. The
 * README's scopes table says the same. A write scope grants its read scope (Shopify: write_orders reads orders).
 */

export interface ScopeNeed {
	node: string;
	scopes: string[];
	/** What the scopes are for, when only some of the node's work needs them. */
	forWhat?: string;
}

export const SCOPES_BY_NODE: ScopeNeed[] = [
	{ node: 'CX Ticket Triage', scopes: ['read_customers', 'read_orders'], forWhat: 'Enrich From Shopify, Answer "Where Is My Order"' },
	{ node: 'CX VIP Escalation', scopes: ['read_customers', 'read_orders'] },
	{ node: 'CX VIP Escalation', scopes: ['write_customers', 'write_orders'], forWhat: 'tagging the customer and the order' },
	{ node: 'CX Delay Compensation', scopes: ['read_customers', 'read_orders'] },
	{ node: 'CX Delay Compensation', scopes: ['write_discounts'], forWhat: 'discount code payouts' },
	{ node: 'CX Delay Compensation', scopes: ['write_orders'], forWhat: 'partial refund payouts' },
	{ node: 'CX Delay Compensation', scopes: ['write_store_credit_account_transactions'], forWhat: 'store credit payouts' },
	{ node: 'CX Win-Back', scopes: ['read_customers', 'read_orders', 'write_discounts'] },
	{ node: 'CX Customer Health', scopes: ['read_customers', 'read_orders'] },
	{ node: 'CX Satisfaction Metrics', scopes: ['read_customers', 'read_orders'] },
	{ node: 'CX Customer Survey', scopes: ['read_customers', 'read_orders'] },
	{ node: 'CX Returns Desk', scopes: ['read_customers', 'read_orders', 'read_products', 'write_returns'] },
	{ node: 'CX Shopify Events', scopes: ['read_orders'], forWhat: 'order, fulfillment and refund webhooks' },
];

/** Whether `granted` covers `scope` (a write scope covers its read scope). */
function covers(granted: Set<string>, scope: string): boolean {
	return granted.has(scope) || (scope.startsWith('read_') && granted.has(`write_${scope.slice('read_'.length)}`));
}

/** The needs `granted` leaves unmet, each with the scopes missing for it. */
export function missingScopes(granted: string[]): Array<ScopeNeed & { missing: string[] }> {
	const set = new Set(granted.map((scope) => scope.trim()).filter(Boolean));
	return SCOPES_BY_NODE.map((need) => ({ ...need, missing: need.scopes.filter((scope) => !covers(set, scope)) })).filter((need) => need.missing.length > 0);
}

/** The credential test's verdict on an app's scopes, in words a store owner can act on. */
export function scopeReport(shopName: string, granted: string[]): { status: 'OK' | 'Error'; message: string } {
	const unmet = missingScopes(granted);
	if (!unmet.length) return { status: 'OK', message: `Connected to ${shopName}; the app has every scope the pack's nodes use.` };
	const lines = unmet.map((need) => `${need.node}${need.forWhat ? ` (${need.forWhat})` : ''} needs ${need.missing.join(', ')}`);
	return {
		status: 'Error',
		message: `Connected to ${shopName}, but the app lacks scopes: ${lines.join('; ')}. Nodes not named here work. Add the scopes to the app (Dev Dashboard > the app > Versions, or shopify.app.toml), release a version and install it again.`,
	};
}

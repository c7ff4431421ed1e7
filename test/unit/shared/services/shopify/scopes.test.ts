import { missingScopes, scopeReport } from '../../../../../nodes/shared/services/shopify/scopes';

describe('the scopes an app holds, against the nodes\' needs', () => {
	it('passes an app with every scope the pack uses, a write scope covering its read scope', () => {
		expect(scopeReport('Example Store', ['write_customers', 'write_orders', 'write_discounts', 'write_store_credit_account_transactions', 'read_products', 'write_returns'])).toEqual({ status: 'OK', message: 'Connected to Example Store; the app has every scope the pack\'s nodes use.' });
	});

	it('names the nodes, and what for, an app\'s scopes leave out', () => {
		const granted = ['read_customers', 'read_orders', 'write_discounts'];
		expect(missingScopes(granted).map((need) => [need.node, need.missing])).toEqual([
			['CX VIP Escalation', ['write_customers', 'write_orders']],
			['CX Delay Compensation', ['write_orders']],
			['CX Delay Compensation', ['write_store_credit_account_transactions']],
			['CX Returns Desk', ['read_products', 'write_returns']],
		]);
		expect(scopeReport('Example Store', granted)).toEqual({
			status: 'Error',
			message:
				'Connected to Example Store, but the app lacks scopes: CX VIP Escalation (tagging the customer and the order) needs write_customers, write_orders; CX Delay Compensation (partial refund payouts) needs write_orders; CX Delay Compensation (store credit payouts) needs write_store_credit_account_transactions; CX Returns Desk needs read_products, write_returns. Nodes not named here work. Add the scopes to the app (Dev Dashboard > the app > Versions, or shopify.app.toml), release a version and install it again.',
		});
	});

	it('reads an app with no order access as failing every node that reads Shopify', () => {
		expect(new Set(missingScopes(['read_products']).map((need) => need.node)).size).toBe(9);
	});
});

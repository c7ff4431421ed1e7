import { InputProblem } from '../../../../nodes/shared/items';
import { namedReturn } from '../../../../nodes/CxReturnsDesk/returnInput';

describe('the return an item names', () => {
	it('reads a returns/request webhook by its GID, or by its numeric id beside its line items', () => {
		expect(namedReturn({ id: 9001, admin_graphql_api_id: 'gid://shopify/Return/9001', return_line_items: [] }, 'return_id')).toBe('gid://shopify/Return/9001');
		expect(namedReturn({ id: 9002, return_line_items: [{ id: 1 }] }, 'return_id')).toBe('gid://shopify/Return/9002');
	});

	it('reads a GID or a number from the field, a dot path reaching into the item', () => {
		expect(namedReturn({ return_id: 'gid://shopify/Return/17' }, 'return_id')).toBe('gid://shopify/Return/17');
		expect(namedReturn({ return_id: ' 17 ' }, 'return_id')).toBe('gid://shopify/Return/17');
		expect(namedReturn({ body: { return: { id: 18 } } }, 'body.return.id')).toBe('gid://shopify/Return/18');
	});

	it('names the field and what to fix when the item names no return', () => {
		const missing = namedReturn({ order_id: 'gid://shopify/Order/5' }, 'return_id') as InputProblem;
		expect(missing).toBeInstanceOf(InputProblem);
		expect(missing.message).toBe('Field "return_id" is missing');
		expect(missing.fix).toContain('gid://shopify/Return/123');
		const order = namedReturn({ return_id: 'gid://shopify/Order/5' }, 'return_id') as InputProblem;
		expect(order.message).toBe('Field "return_id" is "gid://shopify/Order/5", not a Shopify return ID');
	});
});

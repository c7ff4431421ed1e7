import { InputProblem } from '../../../../nodes/shared/items';
import { namedReturn, readTicketReturn } from '../../../../nodes/CxReturnsDesk/returnInput';
import { RETURN_INTENTS, ticketReturnReason } from '../../../../nodes/CxReturnsDesk/returnDecision';

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

describe('a ticket read as a return request', () => {
	const triaged = { ticket: { id: 'T-77', subject: 'Exchange please', body: 'The print is too small for my wall', order_id: '#1042', customer_email: 'ana@example.test', created_at: '2030-03-10T12:00:00Z' }, triage: { intent: 'exchange_request', secondaryIntent: null } };

	it('reads CX Ticket Triage\'s output: ticket id, order, intents, words and time', () => {
		expect(readTicketReturn(triaged, RETURN_INTENTS)).toEqual({
			ticketId: 'T-77',
			orderReference: '#1042',
			intents: ['exchange_request'],
			text: 'Exchange please\nThe print is too small for my wall',
			requestedAt: new Date('2030-03-10T12:00:00Z'),
			customerEmail: 'ana@example.test',
		});
	});

	it('refuses a ticket that names no order, or asks for something other than a return, naming the field', () => {
		expect((readTicketReturn({ ...triaged, ticket: { ...triaged.ticket, order_id: null } }, RETURN_INTENTS) as InputProblem).field).toBe('ticket.order_id');
		const question = readTicketReturn({ ...triaged, triage: { intent: 'shipping_status' } }, RETURN_INTENTS) as InputProblem;
		expect(question.message).toBe('Ticket T-77: its intent is "shipping_status", not a return, an exchange or a refund');
		expect((readTicketReturn({ ticket: { ...triaged.ticket, created_at: 'yesterday' }, triage: triaged.triage }, RETURN_INTENTS) as InputProblem).field).toBe('ticket.created_at');
	});
});

describe('why a ticket\'s items come back', () => {
	it.each([
		[['refund_request', 'damaged'], 'it is fine', 'DEFECTIVE'],
		[['return_request', 'wrong_item'], 'hello', 'WRONG_ITEM'],
		[['exchange_request'], 'The print is too small for my wall', 'SIZE_TOO_SMALL'],
		[['exchange_request'], 'It is way too big, I need a smaller one', 'SIZE_TOO_LARGE'],
		[['exchange_request'], 'Could I have the blue colour instead?', 'COLOR'],
		[['return_request'], 'The frame arrived cracked', 'DEFECTIVE'],
		[['return_request'], 'You sent me the wrong print', 'WRONG_ITEM'],
		[['refund_request'], 'I changed my mind, sorry', 'UNWANTED'],
		[['exchange_request'], 'Can I swap it?', 'OTHER'],
		[['return_request'], 'How do I send this back?', 'UNKNOWN'],
	])('%j "%s" is %s', (intents, text, reason) => {
		expect(ticketReturnReason(intents as string[], text as string)).toBe(reason);
	});
});

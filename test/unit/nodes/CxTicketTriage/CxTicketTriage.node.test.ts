import { fakeContext } from '../../../support/fakeContext';
import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { CxTicketTriage } from '../../../../nodes/CxTicketTriage/CxTicketTriage.node';
import { FIELD_DEFAULTS, TICKET_FIELDS_PROPERTY } from '../../../../nodes/shared/ticketInput';

/** Just enough of n8n's execute context to run the shell without services (no enrichment, no storage). */
/** The run's time: after every fixture's created_at, so no calendar day changes what a run reads. */
const NOW = '2026-11-02T12:00:00Z';

function run(items: IDataObject[], parameters: IDataObject = {}, continueOnFail = false) {
	const all = { ...parameters, options: { now: NOW, ...(parameters.options as IDataObject) } };
	const context = fakeContext({ node: 'CX Ticket Triage', items, parameters: all, continueOnFail: continueOnFail });
	return new CxTicketTriage().execute.call(context);
}

const good = (overrides: IDataObject = {}): IDataObject => ({
	id: 'T-100',
	subject: 'Damaged print',
	body: 'My print arrived damaged, the frame is cracked.',
	channel: 'email',
	customer_email: 'robin.example@example-store.test',
	created_at: '2026-11-02T09:00:00Z',
	...overrides,
});

const json = (output: INodeExecutionData[]) => output.map((item) => item.json as IDataObject);

describe('CX Ticket Triage node', () => {
	it('routes escalations to the first output and the rest to Queue, pairing each item', async () => {
		const [escalate, queue] = await run([
			good(),
			good({ id: 'T-101', body: 'I will file a chargeback if this is not fixed today.' }),
			good({ id: 'T-102', subject: 'Still waiting', body: 'My order is two weeks late and nobody answers my emails.', tier: 'VIP' }),
			// a VIP's calm question is not an issue to escalate (seeds/000 escalates VIP issues)
			good({ id: 'T-103', subject: 'Sizes', body: 'What sizes do you offer?', tier: 'VIP' }),
		]);
		expect(json(escalate).map((item) => (item.ticket as IDataObject).id)).toEqual(['T-101', 'T-102']);
		expect(json(queue).map((item) => (item.ticket as IDataObject).id)).toEqual(['T-100', 'T-103']);
		expect(escalate.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(queue.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
		expect(json(queue)[0]).toMatchObject({
			interaction_type: 'support_ticket',
			// a calm report of a problem: negative, as the customer is worse off however they put it (docs/triage-corpus.md)
			customer_details: { customer_id: 'robin.example@example-store.test', tier: 'regular', issue_type: 'product', sentiment: 'negative' },
			action_parameters: { priority: 'high', resolution_type: 'replacement', follow_up: 'required' },
			triage: { intent: 'damaged', escalate: false },
		});
	});

	it('reads renamed and nested fields', async () => {
		const [, queue] = await run(
			[{ ticket: { text: 'Where is my order? tracking number please', via: 'CHAT', from: 'a@example-store.test' } }],
			{ fields: { body: 'ticket.text', channel: 'ticket.via', customerEmail: 'ticket.from' } },
		);
		expect(json(queue)[0]).toMatchObject({ triage: { intent: 'shipping_status', channel: 'chat' } });
	});

	it('derives a stable ticket ID when the source has none, so a replay is the same ticket', async () => {
		const ticket = good({ id: undefined });
		const [first, second] = [await run([ticket]), await run([ticket])];
		const id = (json(first[1])[0].ticket as IDataObject).id;
		expect(id).toMatch(/^cx-[0-9a-f]{24}$/);
		expect((json(second[1])[0].ticket as IDataObject).id).toBe(id);
	});

	it.each([
		['a missing body', { body: undefined }, 'body', 'Field "body" is missing or empty'],
		['an unknown channel', { channel: 'fax' }, 'channel', 'Field "channel" is "fax", which is not one of email, chat, phone, social, whatsapp'],
		['an invalid date', { created_at: 'yesterday-ish' }, 'created_at', 'Field "created_at" is not a valid date'],
		['a body that is not text', { body: { html: '<p>hi</p>' } }, 'body', 'Field "body" must be text but is an object'],
		['a 1 MB body', { body: 'x'.repeat(1024 * 1024) }, 'body', 'Field "body" is 1,048,576 characters long; the limit is 100,000'],
		['no customer', { customer_email: undefined }, 'customer_email', 'Neither "customer_email" nor "customer_id" is set'],
		['a bad email', { customer_email: 'not-an-email' }, 'customer_email', 'Field "customer_email" is not an email address'],
		['an unknown currency', { order_value: 20, currency: 'ZZZ' }, 'currency', 'Field "currency" is "ZZZ", not an ISO 4217 currency code'],
		['a subject that is a number', { subject: 12 }, 'subject', 'Field "subject" must be text but is number 12'],
	])('stops on %s with an error naming the item and the field', async (_case, change, field, message) => {
		const failure = run([good(), good({ id: 'T-2', ...change })]);
		await expect(failure).rejects.toThrow(NodeOperationError);
		await expect(failure).rejects.toThrow(`Item 1: ${message}`);
		const error = (await failure.catch((caught: NodeOperationError) => caught)) as NodeOperationError;
		expect(error.message).toContain(`"${field}"`);
		expect(error.description).toBeTruthy();
	});

	it('under Continue On Fail turns a bad item into an error item and still triages the others', async () => {
		const [escalate, queue] = await run([good({ id: 'T-1', channel: 'fax' }), good({ id: 'T-2' }), good({ id: 'T-3', body: 42 as unknown as string })], {}, true);
		expect(escalate).toHaveLength(0);
		expect(queue.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }, { item: 1 }]);
		expect(json(queue)[0]).toMatchObject({ error: expect.stringContaining('Item 0: Field "channel" is "fax"') });
		expect(json(queue)[1]).toMatchObject({ error: 'Item 2: Field "body" must be text but is number 42', details: expect.stringContaining('Map "body"') });
		expect((json(queue)[2].ticket as IDataObject).id).toBe('T-2');
	});

	it('reads the helpdesk\'s status and waiting time: "hold" is on hold, and the resolution clock is paused while it waits', async () => {
		const [, queue] = await run([good({ subject: 'Sizes', body: 'What sizes do you offer?', status: 'Hold', paused_since: '2026-11-02T10:00:00Z', paused_seconds: 600 })], { options: { now: '2026-11-05T12:00:00Z' } });
		expect((json(queue)[0].triage as IDataObject).sla).toMatchObject({ resolutionPaused: true, resolutionOverdue: false, pausedSeconds: 600 + 74 * 3600 });
	});

	it('refuses a status it does not know and a negative waiting time, naming the field', async () => {
		await expect(run([good({ status: 'archived' })])).rejects.toThrow('Item 0: Field "status" is "archived", which is not one of open, pending, on_hold, solved, closed');
		await expect(run([good({ paused_seconds: -5 })])).rejects.toThrow('Item 0: Field "paused_seconds" is -5, a negative time');
	});

	it('refuses a holiday that is not a date', async () => {
		await expect(run([good()], { options: { businessHours: { hours: { timeZone: 'UTC', days: [1], start: '09:00', end: '17:00', holidays: '2026-12-24, Christmas' } } } }))
			.rejects.toThrow('Business hours: holiday "Christmas" is not a date in YYYY-MM-DD form');
	});

	it('rejects business hours in an unknown time zone with a clear error', async () => {
		await expect(run([good()], { options: { businessHours: { hours: { timeZone: 'Mars/Olympus', days: [1], start: '09:00', end: '17:00' } } } }))
			.rejects.toThrow('Option "Business Hours > Time Zone" is "Mars/Olympus", not an IANA time zone');
		await expect(run([good()], { options: { businessHours: { hours: { timeZone: 'UTC', days: [], start: '09:00', end: '17:00' } } } }))
			.rejects.toThrow('Business hours: no working day is selected');
		await expect(run([good()], { options: { businessHours: { hours: { timeZone: 'UTC', days: [1], start: '17:00', end: '09:00' } } } }))
			.rejects.toThrow('closing time 09:00 must be after opening time 17:00');
	});
});

describe('the Input Fields parameter', () => {
	it('an option that is not a whole number (an expression that gave "abc") stops the run naming it, rather than turning its rule off', async () => {
		const ticket = { id: 'T-1', channel: 'email', customer_email: 'sam.sample@example-store.test', subject: 'Hi', body: 'Where is my order?' };
		for (const maxBodyLength of ['abc', 2.5, 0, '']) {
			const failure = await run([ticket], { options: { maxBodyLength } }).then(() => undefined, (error: unknown) => error as Error);
			if (maxBodyLength === '') expect(failure).toBeUndefined();
			else expect(failure?.message).toBe(`Option "Max Body Length" must be a whole number of 1 or more, not ${JSON.stringify(maxBodyLength)}`);
		}
	});

	it('defaults to the field names the reader uses', () => {
		const defaults = Object.fromEntries((TICKET_FIELDS_PROPERTY.options as Array<{ name: string; default: string }>).map((option) => [option.name, option.default]));
		expect(defaults).toEqual(FIELD_DEFAULTS);
	});
});

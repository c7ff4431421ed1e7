import { NodeOperationError, type IDataObject, type INodeCredentialDescription, type INodeProperties } from 'n8n-workflow';
import { fakeContext, NO_SERVICE } from '../../../support/fakeContext';
import { CxTicketTriage } from '../../../../nodes/CxTicketTriage/CxTicketTriage.node';

const node = new CxTicketTriage();
const run = (items: IDataObject[], parameters: IDataObject, continueOnFail = false, credentialsAsked: string[] = []) =>
	node.execute.call(fakeContext({ node: 'CX Ticket Triage', items, parameters: { operation: 'recordEvents', ...parameters }, continueOnFail, credentialsAsked }));
const property = (name: string) => node.description.properties.find((candidate) => candidate.name === name) as INodeProperties;

describe('CX Ticket Triage: Record Helpdesk Events', () => {
	it('triage stays the default operation, so templates made before Record Helpdesk Events keep triaging', () => {
		expect(property('operation')).toMatchObject({ default: 'triage', noDataExpression: true });
		expect((property('operation').options as Array<{ value: string }>).map((option) => option.value)).toEqual(['triage', 'recordEvents', 'settleAcknowledgements']);
		expect(property('storeInSupabase').displayOptions).toEqual({ show: { operation: ['triage'] } });
		expect(property('acknowledgementOptions').displayOptions).toEqual({ show: { acknowledgeCustomer: [true], operation: ['triage'] } });
		expect(property('eventSource')).toMatchObject({ default: 'zendesk', displayOptions: { show: { operation: ['recordEvents'] } } });
		expect(property('eventFields').displayOptions).toEqual({ show: { eventSource: ['fields'], operation: ['recordEvents'] } });
	});

	it('asks for Supabase for recorded events (whose parameters have no Store in Supabase) and for triage that stores; Shopify and SendGrid only for triage', () => {
		const credentials = node.description.credentials as INodeCredentialDescription[];
		expect(credentials.find((credential) => credential.name === 'cxSupabaseApi')?.displayOptions).toEqual({ hide: { storeInSupabase: [false] } });
		expect(credentials.find((credential) => credential.name === 'cxShopifyAdminApi')?.displayOptions).toEqual({ show: { authentication: ['adminApi'], enrichFromShopify: [true] } });
		expect(credentials.find((credential) => credential.name === 'cxShopifyOAuth2Api')?.displayOptions).toEqual({ show: { authentication: ['oAuth2'], enrichFromShopify: [true] } });
		expect(node.description.outputs).toBe('={{ ["recordEvents", "settleAcknowledgements"].includes($parameter["operation"]) ? ["main"] : [{ "type": "main", "displayName": "Escalate" }, { "type": "main", "displayName": "Queue" }] }}');
	});

	it('a bad event stops the run with an error naming the item and the field, before anything is stored', async () => {
		const asked: string[] = [];
		const error = await run([{ event_id: 'e1', ticket_id: 'T-1', kind: 'agent_reply', occurred_at: '2026-11-02T10:00:00Z' }, { event_id: 'e2', kind: 'agent_reply', occurred_at: '2026-11-02T10:00:00Z' }], { eventSource: 'fields' }, false, asked).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe('Item 1: Field "ticket_id" is missing or empty');
		expect((error as NodeOperationError).description).toBe('Give every event its ticket\'s ID in "ticket_id", or point Input Fields at it.');
		expect(asked).toEqual([]);
	});

	it('with Continue On Fail a bad event is an error item paired with it, and a notification the lifecycle does not follow passes as ignored', async () => {
		const [output] = await run(
			[
				{ headers: { 'x-helpscout-event': 'convo.tags' }, body: { id: 2891123344, status: 'active' } },
				{ headers: { 'x-helpscout-event': 'convo.status' }, body: { id: 2891123344, status: 'archived', userUpdatedAt: '2026-11-06T08:00:00Z' } },
			],
			{ eventSource: 'helpscout' },
			true,
		);
		expect(output).toEqual([
			{ json: { error: 'Item 1: Field "body.status" is "archived", which is not a ticket status', details: 'Map "body.status" to one of open, pending, on_hold, solved, closed (or the helpdesk\'s own word: new, hold, resolved, waiting on customer).' }, pairedItem: { item: 1 } },
			{ json: { recorded: 'ignored', reason: 'not a lifecycle event: helpscout convo.tags' }, pairedItem: { item: 0 } },
		]);
	});

	it('good events need the Supabase credential: without it the run fails on the store, not on the events', async () => {
		const asked: string[] = [];
		await expect(run([{ event_id: 'e1', ticket_id: 'T-1', kind: 'agent_reply', occurred_at: '2026-11-02T10:00:00Z' }], { eventSource: 'fields' }, false, asked)).rejects.toThrow(NO_SERVICE);
		expect(asked).toEqual(['cxSupabaseApi']);
	});
});

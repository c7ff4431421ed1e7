/** Record Helpdesk Events: each item one helpdesk event, kept once; each touched ticket's lifecycle folded again from all its events. */
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { InputProblem } from '../../shared/items';
import { SupabaseService } from '../../shared/services/supabase';
import { failureSink } from '../../shared/n8n/errorItems';
import { TICKETS_TABLE } from '../../shared/store/tickets';
import { TICKET_EVENTS_TABLE } from '../../shared/store/ticketEvents';
import { EVENT_FIELD_DEFAULTS, EVENT_SOURCES, tryReadHelpdeskEvent, type EventFieldNames, type EventSource } from '../helpdeskEvents';
import { lifecycleColumns, type HelpdeskEvent } from '../lifecycle';
import { eventKey, recordHelpdeskEvents } from '../lifecycleRun';
import { checkSignature, isSigningHelpdesk } from '../webhookSignature';

export async function recordEvents(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const source = this.getNodeParameter('eventSource', 0, 'zendesk') as EventSource;
	if (!(EVENT_SOURCES as readonly string[]).includes(source)) {
		throw new NodeOperationError(this.getNode(), `Helpdesk "${String(source)}" is not one this node reads`, { description: 'Choose Zendesk, Gorgias, Freshdesk, Help Scout or Input Fields.' });
	}
	const fields = { ...EVENT_FIELD_DEFAULTS, ...(this.getNodeParameter('eventFields', 0, {}) as Partial<EventFieldNames>) };
	const sourceName = source === 'fields' ? (this.getNodeParameter('sourceName', 0, 'helpdesk') as string) : undefined;
	const output: INodeExecutionData[] = [];
	const fail = failureSink(this, output);

	// a signed helpdesk's deliveries are checked before anything is read from them: one that fails is refused
	const verify = isSigningHelpdesk(source) && (this.getNodeParameter('verifySignature', 0, false) as boolean);
	const secret = verify ? String((await this.getCredentials('cxHelpdeskSignatureApi')).secret ?? '') : '';

	const results = new Map<number, IDataObject>();
	const events: Array<{ itemIndex: number; event: HelpdeskEvent }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		if (verify && isSigningHelpdesk(source)) {
			const rawBody = items[itemIndex].binary?.data ? await this.helpers.getBinaryDataBuffer(itemIndex, 'data') : undefined;
			const verdict = checkSignature(source, (items[itemIndex].json.headers ?? {}) as Record<string, unknown>, rawBody, secret);
			if (!verdict.ok) {
				fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: delivery refused: ${verdict.problem}`, { itemIndex, description: verdict.fix }));
				continue;
			}
		}
		const read = tryReadHelpdeskEvent(items[itemIndex].json, { source, fields, ...(sourceName !== undefined ? { sourceName } : {}) });
		if (read instanceof InputProblem) {
			fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${read.message}`, { itemIndex, description: read.fix }));
		} else if ('ignored' in read) {
			results.set(itemIndex, { recorded: 'ignored', reason: `not a lifecycle event: ${read.ignored}` });
		} else {
			events.push({ itemIndex, event: read.event });
		}
	}

	try {
		if (events.length) {
			const supabase = await SupabaseService.connect(this);
			const report = await recordHelpdeskEvents(supabase, events.map(({ event }) => event));
			for (const { itemIndex, event } of events) {
				const ticket = report.tickets.get(event.ticketId)!;
				results.set(itemIndex, {
					recorded: report.recorded.get(eventKey(event)) ?? 'duplicate',
					table: TICKET_EVENTS_TABLE,
					event: eventJson(event),
					ticket: { table: TICKETS_TABLE, external_id: event.ticketId, row_created: ticket.rowCreated, ...lifecycleColumns(ticket.lifecycle) },
				});
			}
		}
	} catch (error) {
		// a store failure touches every event of the run: under Continue On Fail each becomes an error item
		const failure = error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
		if (!this.continueOnFail()) throw failure;
		for (const { itemIndex } of events) fail(itemIndex, failure);
		for (const { itemIndex } of events) results.delete(itemIndex);
	}

	for (const [itemIndex, json] of [...results.entries()].sort(([a], [b]) => a - b)) output.push({ json, pairedItem: { item: itemIndex } });
	return [output];
}

function eventJson(event: HelpdeskEvent): IDataObject {
	return {
		source: event.source,
		event_id: event.eventId,
		ticket_id: event.ticketId,
		kind: event.kind,
		status: event.status ?? null,
		...(event.kind === 'assignment' ? { assignee: event.assignee ?? null } : {}),
		actor: event.actor ?? null,
		occurred_at: event.occurredAt.toISOString(),
	};
}

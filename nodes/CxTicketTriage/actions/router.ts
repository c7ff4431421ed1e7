/** CX Ticket Triage's operations: the shell hands every run here, and each operation is a file of its own. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { recordEvents } from './recordEvents.operation';
import { settleAcknowledgements } from './settleAcknowledgements.operation';
import { triageTickets } from './triage.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// templates made before there were two operations have no operation: they triage
	const operation = this.getNodeParameter('operation', 0, 'triage') as string;
	if (operation === 'recordEvents') return await recordEvents.call(this);
	if (operation === 'settleAcknowledgements') return await settleAcknowledgements.call(this);
	return await triageTickets.call(this);
}

/** CX Delay Compensation's operations: the shell hands every run here, and each operation is a file of its own. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { compensateDelays } from './compensate.operation';
import { notifyLate } from './notifyLate.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// templates written before the notice name no operation: they compensate, as they always did
	const operation = this.getNodeParameter('operation', 0, 'compensate') as string;
	return operation === 'notifyLate' ? await notifyLate.call(this) : await compensateDelays.call(this);
}

/** CX Delay Compensation's operations: the shell hands every run here, and each operation is a file of its own. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { compensateDelays } from './compensate.operation';
import { notifyLate } from './notifyLate.operation';
import { requestApproval } from './requestApproval.operation';
import { settleApprovals } from './settleApproval.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// templates written before the notice name no operation: they compensate, as they always did
	const operation = this.getNodeParameter('operation', 0, 'compensate') as string;
	if (operation === 'notifyLate') return await notifyLate.call(this);
	if (operation === 'requestApproval') return await requestApproval.call(this);
	if (operation === 'settleApproval') return await settleApprovals.call(this);
	return await compensateDelays.call(this);
}

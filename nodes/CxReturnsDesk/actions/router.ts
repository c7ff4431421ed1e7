/** CX Returns Desk's operations: the shell hands every run here, and each operation is a file of its own. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { decideReturnRequests } from './decide.operation';
import { processReceivedReturns } from './process.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	if (this.getNodeParameter('operation', 0, 'decide') === 'process') return await processReceivedReturns.call(this);
	return await decideReturnRequests.call(this);
}

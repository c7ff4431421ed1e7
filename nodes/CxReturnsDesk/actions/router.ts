/** CX Returns Desk's operations: the shell hands every run here, and each operation is a file of its own. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { decideReturnRequests } from './decide.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await decideReturnRequests.call(this);
}

/** CX Feedback Follow-Up's operations: the shell hands every run here, and each operation is a file of its own. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { readNow } from '../../shared/n8n/options';
import { record } from './record.operation';
import { remind } from './remind.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	return operation === 'remind' ? await remind.call(this, options, now) : await record.call(this, options, now);
}

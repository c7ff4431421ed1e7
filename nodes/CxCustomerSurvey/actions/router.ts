/** CX Customer Survey's operations: the shell hands every run here, and each operation is a file of its own. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { askAfterSupport } from './askAfterSupport.operation';
import { recordAnswer } from './recordAnswer.operation';
import { sendSurveys } from './sendSurveys.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0, 'sendSurveys') as string;
	if (operation === 'recordAnswer') return await recordAnswer.call(this);
	if (operation === 'askAfterSupport') return await askAfterSupport.call(this);
	return await sendSurveys.call(this);
}

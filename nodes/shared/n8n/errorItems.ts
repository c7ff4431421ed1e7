/**
 * Continue On Fail, the same in every node: a failure becomes one error item paired with the item it came
 * from, or stops the run when Continue On Fail is off. The item holds `error` and `details` only: n8n 2.x routes
 * an item to the error output ("On Error: Continue (using error output)") when its keys are among error,
 * message and details (n8n-core WorkflowExecute.handleNodeErrorOutput); any other key keeps it on the node's
 * regular output, where an error would pass for a result.
 */
import type { IExecuteFunctions, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

/** What a failure says: the message (names the item and the field) and what to do about it. */
export interface Failure {
	message: string;
	description?: string | null;
}

/** The error item of a failure, paired with the item (or items) it came from. */
export function errorItem(failure: Failure, item: number | number[]): INodeExecutionData {
	return {
		json: { error: failure.message, ...(failure.description ? { details: failure.description } : {}) },
		pairedItem: Array.isArray(item) ? item.map((index) => ({ item: index })) : { item },
	};
}

/**
 * Where a node's failures go: under Continue On Fail an error item on `output`, else the error is thrown and the
 * run stops. Decide once per run, fail per item.
 */
export function failureSink(ctx: IExecuteFunctions, output: INodeExecutionData[]): (itemIndex: number, error: NodeApiError | NodeOperationError) => void {
	const keepGoing = ctx.continueOnFail();
	return (itemIndex, error) => {
		if (!keepGoing) throw error;
		output.push(errorItem(error, itemIndex));
	};
}

/** Record Answer: the answer links' clicks (token and score), each stored once per token, with a thank-you page. */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { InputProblem } from '../../shared/items';
import { SupabaseService } from '../../shared/services/supabase';
import { readNow } from '../../shared/n8n/options';
import { readAnswerItem, recordAnswers, type AnswerInput } from '../recordAnswer';
import { errorItem } from '../../shared/n8n/errorItems';

export async function recordAnswer(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('answerOptions', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const storeName = options.storeName ? String(options.storeName) : undefined;
	const output: INodeExecutionData[] = [];
	const fail = (itemIndex: number, problem: InputProblem) => {
		const error = new NodeOperationError(this.getNode(), problem.message, { itemIndex, description: problem.fix });
		if (!this.continueOnFail()) throw error;
		output.push(errorItem(error, itemIndex));
	};
	const answers: AnswerInput[] = [];
	const itemOf: number[] = [];
	items.forEach((item, itemIndex) => {
		const read = readAnswerItem(item.json);
		if (read instanceof InputProblem) fail(itemIndex, read);
		else {
			answers.push(read);
			itemOf.push(itemIndex);
		}
	});
	if (answers.length) {
		const supabase = await SupabaseService.connect(this);
		const results = await recordAnswers(supabase, answers, now, storeName);
		results.forEach((result, index) => {
			if (result instanceof InputProblem) fail(itemOf[index], result);
			else output.push({ json: { answer: result as unknown as IDataObject }, pairedItem: { item: itemOf[index] } });
		});
	}
	// error items first, then answers: put back in input order
	output.sort((a, b) => (a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item);
	return [output];
}

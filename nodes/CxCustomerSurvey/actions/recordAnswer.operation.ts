/**
 * Record Answer: a click on an answer link (GET) gets the answer page and records nothing, as mail scanners
 * follow links too; the page's form (POST) records the answer, once per token, and gets the thank-you page.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { InputProblem } from '../../shared/items';
import { SupabaseService } from '../../shared/services/supabase';
import { readNow } from '../../shared/n8n/options';
import { answerPages, readAnswerItem, recordAnswers, type AnswerInput } from '../recordAnswer';
import { errorItem } from '../../shared/n8n/errorItems';

export async function recordAnswer(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('answerOptions', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const storeName = options.storeName ? String(options.storeName) : undefined;
	const output: INodeExecutionData[] = [];
	const fail = (itemIndex: number, problem: InputProblem) => {
		const error = new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${problem.message}`, { itemIndex, description: problem.fix });
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
		const put = (indexes: number[], results: Array<InputProblem | IDataObject>, extra: IDataObject) =>
			results.forEach((result, index) => {
				if (result instanceof InputProblem) fail(itemOf[indexes[index]], result);
				else output.push({ json: { answer: { ...extra, ...result } }, pairedItem: { item: itemOf[indexes[index]] } });
			});
		// a link click (GET) only reads: the page with the answer preselected; the page's form (POST) records
		const links = answers.flatMap((answer, index) => (answer.via === 'link' ? [index] : []));
		const forms = answers.flatMap((answer, index) => (answer.via === 'link' ? [] : [index]));
		if (links.length) put(links, (await answerPages(supabase, links.map((index) => answers[index]), storeName)) as Array<InputProblem | IDataObject>, { step: 'confirm', recorded: false });
		if (forms.length) put(forms, (await recordAnswers(supabase, forms.map((index) => answers[index]), now, storeName)) as unknown as Array<InputProblem | IDataObject>, { step: 'recorded', recorded: true });
	}
	// error items first, then answers: put back in input order
	output.sort((a, b) => (a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item);
	return [output];
}

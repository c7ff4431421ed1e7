import { NodeOperationError, type INode } from 'n8n-workflow';
import { errorItem, failureSink } from '../../../../nodes/shared/n8n/errorItems';
import { fakeContext } from '../../../support/fakeContext';

const node: INode = { id: '1', name: 'CX test node', type: 'n8n-nodes-cx-director.test', typeVersion: 1, position: [0, 0], parameters: {} };
const context = (continueOnFail: boolean) => fakeContext({ continueOnFail });
const failure = () => new NodeOperationError(node, 'Item 2: Field "body" must be text but is number 42', { itemIndex: 2, description: 'Map "body" to the message text.' });

describe('the Continue On Fail error item', () => {
	it('holds the message and what to fix, paired with the item, and no key that would keep it off n8n\'s error output', () => {
		const item = errorItem(failure(), 2);
		expect(item).toEqual({ json: { error: 'Item 2: Field "body" must be text but is number 42', details: 'Map "body" to the message text.' }, pairedItem: { item: 2 } });
		// n8n-core's handleNodeErrorOutput moves an item to the error output when its keys are among these
		expect(Object.keys(item.json).every((key) => ['error', 'message', 'details'].includes(key))).toBe(true);
	});

	it('pairs a failure of several items with each of them, and leaves details out when there is nothing to add', () => {
		expect(errorItem({ message: 'Supabase could not read tickets' }, [0, 1])).toEqual({ json: { error: 'Supabase could not read tickets' }, pairedItem: [{ item: 0 }, { item: 1 }] });
	});

	it('stops the run when Continue On Fail is off, and puts out the error item when it is on', () => {
		const output: unknown[] = [];
		expect(() => failureSink(context(false), [])(2, failure())).toThrow('Item 2: Field "body" must be text but is number 42');
		failureSink(context(true), output as never)(2, failure());
		expect(output).toEqual([errorItem(failure(), 2)]);
	});
});

/**
 * The pack's nodes as tools of n8n's AI Agent, the same in every node. n8n runs a node's execute as a tool and
 * hands the agent only the items of the first output (n8n-core's tool invocation reads result[0]): a tool that
 * routed its items to several outputs would hide all but the first route from the agent. Run as a tool, a node
 * puts every item on one output, each with `route`, the output it would have taken, beside its own reasons.
 *
 * The items an agent gives a tool come from the tool-only parameter "Items From the Agent" (`toolItems`, set by the
 * user to a $fromAI() expression): a JSON array of objects, or one object, each read as an input item. Without it (a
 * tool that reads the store itself), the tool call's own item is the input, as n8n gives it.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

/**
 * Whether n8n runs the node as an AI Agent's tool: n8n's own flag, or the tool variant's type (n8n names it after
 * the node with "Tool" added). The flag alone is not enough: n8n 2.41's AI Agent (3.x) runs a tool node as an
 * ordinary node, whose isToolExecution() is false, and still hands the agent only the first output.
 */
export function isToolRun(context: IExecuteFunctions): boolean {
	if (typeof context.isToolExecution === 'function' && context.isToolExecution()) return true;
	return /Tool$/.test(context.getNode().type);
}

/** The name a route has for an agent: the output's name, lower case, words joined by "_" ("Needs Approval": needs_approval). */
export function routeName(outputName: string): string {
	return outputName.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** An error item (errorItems.ts: error and details only) goes out as route "error", whichever output held it. */
const isErrorItem = (json: IDataObject) => typeof json.error === 'string' && Object.keys(json).every((key) => key === 'error' || key === 'details');

/**
 * Every item of every output on one, each with its route (from `outputNames`, one per output), in the order of
 * the input items they answer (their pairedItem), then the items that answer none (a run's summary).
 */
export function asToolOutput(outputs: INodeExecutionData[][], outputNames: string[]): INodeExecutionData[][] {
	const routed = outputs.flatMap((items, output) =>
		items.map((item) => {
			const route = isErrorItem(item.json) ? 'error' : routeName(outputNames[output] ?? `output ${output + 1}`);
			// first for the agent to read, and never an item's own field of that name
			return { ...item, json: Object.assign({ route }, item.json, { route }) };
		}),
	);
	const firstItem = (item: INodeExecutionData) => {
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
		return typeof paired === 'object' && paired !== null ? paired.item : typeof paired === 'number' ? paired : Number.MAX_SAFE_INTEGER;
	};
	return [routed.map((item, at) => ({ item, at })).sort((a, b) => firstItem(a.item) - firstItem(b.item) || a.at - b.at).map(({ item }) => item)];
}

/**
 * The tool-only parameter that carries the agent's items (shown only on the node's tool variant). Required, with no
 * default: n8n builds a tool's arguments from the $fromAI() expressions saved in its parameters, and an editor does
 * not save a default, so the user sets it (the editor's "let the model define this parameter", or the expression).
 */
export function toolItemsProperty(what: string, key: string): INodeProperties {
	const expression = `{{ $fromAI('${key}', ${JSON.stringify(what)}, 'json') }}`;
	return {
		displayName: 'Items From the Agent',
		name: 'toolItems',
		type: 'json',
		default: '',
		required: true,
		placeholder: expression,
		displayOptions: { show: { '@tool': [true] } },
		description: `What the agent hands this tool: ${what}. Let the model define it, or set the expression ${expression}.`,
	};
}

/** The agent's items, read from Items From the Agent: an array of objects or one object. */
function agentItems(context: IExecuteFunctions): INodeExecutionData[] | undefined {
	const node = context.getNode();
	if (!('toolItems' in (node.parameters ?? {}))) return undefined;
	let value = context.getNodeParameter('toolItems', 0, undefined) as unknown;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			throw new NodeOperationError(node, 'Parameter "Items From the Agent" is not JSON', { description: 'Give a JSON array of objects, or one object.' });
		}
	}
	const list = Array.isArray(value) ? value : [value];
	if (!list.length || list.some((entry) => typeof entry !== 'object' || entry === null || Array.isArray(entry))) {
		throw new NodeOperationError(node, 'Parameter "Items From the Agent" must be a JSON object or an array of objects', { description: 'Each object is one item: a ticket, a customer or an order, with the fields the node reads.' });
	}
	return list.map((json: IDataObject) => ({ json }));
}

/**
 * Runs `run` as the node would, and as a tool puts its outputs on one with their routes. `outputNames(context)`:
 * the outputs' names for the operation being run.
 */
export async function runAsNodeOrTool(
	context: IExecuteFunctions,
	run: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>,
	outputNames: (context: IExecuteFunctions) => string[],
): Promise<INodeExecutionData[][]> {
	if (!isToolRun(context)) return await run.call(context);
	const items = agentItems(context);
	// the agent's items stand for the tool call's one item: parameters are read at the call (item 0), not per item
	const toolContext = items
		? new Proxy(context, {
				get(target, property) {
					if (property === 'getInputData') return () => items;
					if (property === 'getNodeParameter') return (name: string, _itemIndex: number, ...rest: unknown[]) => (target.getNodeParameter as (...args: unknown[]) => unknown)(name, 0, ...rest);
					const value = Reflect.get(target, property, target) as unknown;
					return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
				},
			})
		: context;
	return asToolOutput(await run.call(toolContext), outputNames(context));
}

/**
 * The one stand-in for n8n's execute context that the tests run nodes with: input items, parameters, Continue On
 * Fail, the workflow's time zone and credentials. Only n8n is stood in for; a node's services are real (the
 * integration tests hand it the stand-ins' credentials) or absent (a unit test's run asks for none, or fails
 * where it would).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

export const NO_SERVICE = 'no service is connected in this test';

export interface FakeContextOptions {
	/** The node's name, as n8n's getNode() gives it. */
	node?: string;
	/** Input items as json, or whole items. */
	items?: IDataObject[];
	input?: INodeExecutionData[];
	parameters?: IDataObject;
	continueOnFail?: boolean;
	timeZone?: string;
	/** The credentials a run may read, by type; a type not given fails with NO_SERVICE. */
	credentials?: Record<string, IDataObject>;
	/** Each credential type the run asked for, in order. */
	credentialsAsked?: string[];
	/** Run as an AI Agent's tool: n8n's isToolExecution and the tool variant's type ("type"), or the type alone (n8n 2.41's AI Agent 3.x). */
	tool?: boolean | 'type';
}

export function fakeContext(options: FakeContextOptions = {}): IExecuteFunctions {
	const parameters = options.parameters ?? {};
	const input: INodeExecutionData[] = options.input ?? (options.items ?? []).map((json) => ({ json }));
	return {
		getInputData: () => input,
		getNodeParameter: (name: string, _index: number, fallback?: unknown) => parameters[name] ?? fallback,
		getNode: () => ({ name: options.node ?? 'CX test node', type: options.tool ? 'n8n-nodes-cx-director.testTool' : 'n8n-nodes-cx-director.test', typeVersion: 1, position: [0, 0], parameters }),
		isToolExecution: () => options.tool === true,
		continueOnFail: () => options.continueOnFail ?? false,
		getTimezone: () => options.timeZone ?? 'UTC',
		// an item's binary data as n8n keeps it in memory: base64 in `data`
		helpers: {
			getBinaryDataBuffer: async (itemIndex: number, property: string) => {
				const binary = input[itemIndex]?.binary?.[property];
				if (!binary) throw new Error(`item ${itemIndex} has no binary property "${property}"`);
				return Buffer.from(binary.data, 'base64');
			},
		},
		getCredentials: async (type: string) => {
			options.credentialsAsked?.push(type);
			const credential = options.credentials?.[type];
			if (!credential) throw new Error(NO_SERVICE);
			return credential;
		},
	} as unknown as IExecuteFunctions;
}

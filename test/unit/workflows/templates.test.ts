/**
 * Every workflow template in workflows/, checked as n8n would meet it on import: a fixed id, connections between
 * nodes that exist, pack nodes the package lists with parameters and credentials those nodes declare (a renamed
 * parameter or option would otherwise be dropped by n8n without a word), one path per webhook across templates
 * (the demo publishes them all at once), and the note that says how to use it. A new template is covered by
 * being in the folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';

const root = join(__dirname, '..', '..', '..');
const pack = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; n8n: { nodes: string[]; credentials: string[] } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CREDENTIAL_IDS } = require(join(root, 'scripts', 'n8n-local.js')) as { CREDENTIAL_IDS: Record<string, string> };

/** The pack's node types (`<package>.<name>`) and their descriptions, from the sources package.json lists. */
const packNodes = new Map<string, INodeTypeDescription>(
	pack.n8n.nodes.map((built) => {
		const source = built.replace(/^dist\//, '').replace(/\.js$/, '.ts');
		const className = basename(source, '.node.ts');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const NodeClass = (require(join(root, source)) as Record<string, new () => INodeType>)[className];
		const { description } = new NodeClass();
		return [`${pack.name}.${description.name}`, description];
	}),
);
/** The credential types the package lists (dist/credentials/CxShopifyAdminApi.credentials.js -> cxShopifyAdminApi). */
const packCredentials = new Set(pack.n8n.credentials.map((file) => basename(file, '.credentials.js')).map((name) => name[0].toLowerCase() + name.slice(1)));

interface TemplateNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Template {
	id: string;
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }> | null> }>;
	settings?: Record<string, unknown>;
}

const folder = join(root, 'workflows');
const templates = readdirSync(folder)
	.filter((file) => file.endsWith('.json'))
	.sort()
	.map((file) => ({ file, workflow: JSON.parse(readFileSync(join(folder, file), 'utf8')) as Template }));

/** The credential types the demo and the tests import for the stand-ins (scripts/n8n-local.js standinCredentials). */
const STANDIN_TYPES = new Set(['cxShopifyAdminApi', 'cxSendGridApi', 'cxSupabaseApi', 'cxStripeApi']);
const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');
const optionValues = (property: INodeProperties) => ((property.options ?? []) as INodePropertyOptions[]).map((option) => option.value);

test('each template has its own fixed id and name, and each webhook path is served by one template', () => {
	expect(templates.length).toBeGreaterThan(0);
	const ids = templates.map(({ workflow }) => workflow.id);
	expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
	expect(new Set(ids).size).toBe(ids.length);
	const names = templates.map(({ workflow }) => workflow.name);
	expect(names.every((name) => name.startsWith('CX: '))).toBe(true);
	expect(new Set(names).size).toBe(names.length);
	const paths = templates.flatMap(({ workflow }) => workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.webhook').map((node) => `${String(node.parameters.httpMethod ?? 'GET')} ${String(node.parameters.path)}`));
	expect(paths.filter((path, index) => paths.indexOf(path) !== index)).toEqual([]);
});

describe.each(templates)('$file', ({ workflow }) => {
	const names = workflow.nodes.map((node) => node.name);
	const packUsed = workflow.nodes.filter((node) => node.type.startsWith(`${pack.name}.`));

	it('names each node once and connects only nodes that exist', () => {
		expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
		expect(new Set(workflow.nodes.map((node) => node.id)).size).toBe(workflow.nodes.length);
		for (const [source, outputs] of Object.entries(workflow.connections)) {
			expect({ source, exists: names.includes(source) }).toEqual({ source, exists: true });
			for (const target of (outputs.main ?? []).flat().filter((entry) => entry !== null)) {
				expect({ source, target: target.node, exists: names.includes(target.node) }).toEqual({ source, target: target.node, exists: true });
			}
		}
		expect(workflow.settings?.executionOrder).toBe('v1');
	});

	it('says how to use it in a sticky note', () => {
		const note = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote' && node.name === 'How to use this workflow');
		expect(String(note?.parameters.content ?? '')).toMatch(/^## /);
	});

	it('uses only nodes the package lists, with parameters and options those nodes declare', () => {
		for (const node of packUsed) {
			const description = packNodes.get(node.type);
			expect({ node: node.name, type: node.type, listed: Boolean(description) }).toEqual({ node: node.name, type: node.type, listed: true });
			expect(node.typeVersion).toBe(description!.version);
			const properties = description!.properties;
			for (const [name, value] of Object.entries(node.parameters)) {
				const declared = properties.filter((property) => property.name === name);
				expect({ node: node.name, parameter: name, declared: declared.length > 0 }).toEqual({ node: node.name, parameter: name, declared: true });
				const choices = declared.filter((property) => property.type === 'options').flatMap(optionValues);
				if (choices.length && !isExpression(value)) expect({ node: node.name, parameter: name, value, allowed: choices.includes(value as string) }).toEqual({ node: node.name, parameter: name, value, allowed: true });
				// a collection may be declared once per operation, each with its own options
				const collections = declared.filter((property) => property.type === 'collection');
				if (collections.length && value && typeof value === 'object') {
					const known = collections.flatMap((collection) => (collection.options ?? []) as Array<INodeProperties | INodePropertyCollection>).map((option) => option.name);
					for (const key of Object.keys(value)) expect({ node: node.name, option: `${name}.${key}`, declared: known.includes(key) }).toEqual({ node: node.name, option: `${name}.${key}`, declared: true });
				}
			}
		}
	});

	it('gives each pack node credentials it declares, the four services\' under the stand-ins\' fixed ids', () => {
		const standinIds = new Set(Object.values(CREDENTIAL_IDS));
		for (const node of packUsed) {
			const declared = (packNodes.get(node.type)?.credentials ?? []).map((credential) => credential.name);
			for (const [type, credential] of Object.entries(node.credentials ?? {})) {
				// the demo imports one credential per service (scripts/n8n-local.js); a helpdesk's signing secret is the store's own
				const standin = !STANDIN_TYPES.has(type) || standinIds.has(credential.id);
				expect({ node: node.name, type, declared: declared.includes(type), listed: packCredentials.has(type), standin }).toEqual({ node: node.name, type, declared: true, listed: true, standin: true });
			}
		}
	});
});

/**
 * Every node the package lists, checked the same way: what n8n needs to load it and show it (codex, icons, a
 * description n8n can read without running code) and to hand it to an AI Agent. A new node is covered by being
 * listed in package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { INodeProperties, INodeType } from 'n8n-workflow';

const root = join(__dirname, '..', '..', '..');
const pack = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; n8n: { nodes: string[] } };
/** dist/nodes/CxWinBack/CxWinBack.node.js -> nodes/CxWinBack/CxWinBack.node.ts, its source */
const nodes = pack.n8n.nodes.map((built) => {
	const source = built.replace(/^dist\//, '').replace(/\.js$/, '.ts');
	const className = basename(source, '.node.ts');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const NodeClass = (require(join(root, source)) as Record<string, new () => INodeType>)[className];
	return { className, folder: join(root, dirname(source)), node: new NodeClass() };
});

const literal = (value: unknown) => ['string', 'number', 'boolean'].includes(typeof value) || (typeof value === 'object' && value !== null && (Array.isArray(value) ? value.every(literal) : Object.values(value).every(literal)));

function* allProperties(properties: INodeProperties[]): Generator<INodeProperties> {
	for (const property of properties) {
		yield property;
		for (const option of (property.options ?? []) as Array<INodeProperties | { values?: INodeProperties[] }>) {
			if ('displayName' in option && 'type' in option) yield* allProperties([option as INodeProperties]);
			if ('values' in option && Array.isArray(option.values)) yield* allProperties(option.values);
		}
	}
}

test('the package lists its eleven nodes', () => {
	expect(nodes.map(({ className }) => className)).toEqual([
		'CxTicketTriage', 'CxVipEscalation', 'CxDelayCompensation', 'CxReturnsDesk', 'CxWinBack', 'CxCustomerHealth', 'CxKpiReport', 'CxCustomerSurvey', 'CxFeedbackFollowUp', 'CxSatisfactionMetrics', 'CxShopifyEvents',
	]);
});

describe.each(nodes)('$className', ({ className, folder, node }) => {
	const { description } = node;

	it('is named as n8n finds it, in its class and in its codex file', () => {
		expect(description.name).toBe(className[0].toLowerCase() + className.slice(1));
		const codex = JSON.parse(readFileSync(join(folder, `${className}.node.json`), 'utf8')) as { node: string; nodeVersion: string; codexVersion: string; categories: string[]; resources: { primaryDocumentation: Array<{ url: string }> } };
		expect(codex).toMatchObject({ node: `${pack.name}.${description.name}`, nodeVersion: '1.0', codexVersion: '1.0' });
		expect(codex.categories.length).toBeGreaterThan(0);
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
	});

	it('has a light and a dark icon, both in its folder', () => {
		const icon = description.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark]) {
			expect(file).toMatch(/^file:.+\.svg$/);
			expect(existsSync(join(folder, file.slice('file:'.length)))).toBe(true);
		}
		expect(icon.light).not.toBe(icon.dark);
	});

	it('can be used as a tool by an AI Agent, and says what it does', () => {
		// n8n makes the tool variant from the node; the replacement is what the agent reads (test/unit/shared/n8n/tool.test.ts)
		expect(description.usableAsTool).toEqual({ replacements: { description: expect.stringMatching(/ route "/) } });
		expect(description.description.length).toBeGreaterThan(40);
		expect(description.defaults.name).toBe(description.displayName);
	});

	it('has literal defaults only (n8n reads them without running code), and every parameter a name and a display name', () => {
		for (const property of allProperties(description.properties)) {
			expect(property.name).toMatch(/^[a-z][A-Za-z0-9_]*$/);
			expect(property.displayName.length).toBeGreaterThan(0);
			if ('default' in property) expect(literal(property.default)).toBe(true);
		}
	});
});

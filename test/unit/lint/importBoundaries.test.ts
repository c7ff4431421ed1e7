/**
 * The import rules of shared/DESIGN.md "Shape", enforced by lint (eslint.config.mjs): each probe is a file a
 * developer might write, linted by the project's own ESLint configuration in a separate Node process (ESLint
 * loads its flat config as an ES module).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

interface Probe {
	file: string;
	code: string;
}

/** The no-restricted-imports messages ESLint reports for each probe, in order. */
function restrictions(probes: Probe[]): string[][] {
	const script = `
		const { ESLint } = require('eslint');
		(async () => {
			const eslint = new ESLint({ cwd: process.argv[1] });
			const out = [];
			for (const probe of JSON.parse(process.argv[2])) {
				const [result] = await eslint.lintText(probe.code, { filePath: probe.file });
				out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
			}
			process.stdout.write(JSON.stringify(out));
		})().catch((error) => { console.error(error); process.exit(1); });`;
	const result = spawnSync(process.execPath, ['-e', script, root, JSON.stringify(probes)], { cwd: root, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(result.stderr);
	return JSON.parse(result.stdout) as string[][];
}

const probe = (file: string, from: string): Probe => ({ file: join(root, file), code: `import { x } from '${from}';\nexport const used = x;\n` });

test('lint refuses sideways, upward and impure imports, and allows the declared exception and imports that point down', () => {
	const [sideways, deeper, upward, upwardFromService, impureN8n, impureService, exception, notTheException, down] = restrictions([
		probe('nodes/CxDelayCompensation/probe.ts', '../CxWinBack/winback'),
		probe('nodes/CxKpiReport/actions/probe.ts', '../../CxSatisfactionMetrics/metrics'),
		probe('nodes/shared/probe.ts', '../CxTicketTriage/triage'),
		probe('nodes/shared/services/probe.ts', '../../CxTicketTriage/triage'),
		probe('nodes/CxWinBack/winback.ts', 'n8n-workflow'),
		probe('nodes/CxDelayCompensation/delay.ts', '../shared/services/shopify/discounts'),
		probe('nodes/CxVipEscalation/probe.ts', '../CxTicketTriage/triage'),
		probe('nodes/CxVipEscalation/probe.ts', '../CxTicketTriage/acknowledgementEmail'),
		probe('nodes/CxWinBack/winbackRun.ts', '../shared/services/shopify/discounts'),
	]);
	expect(sideways).toEqual([expect.stringContaining('A node folder imports only nodes/shared/')]);
	expect(deeper).toEqual([expect.stringContaining('A node folder imports only nodes/shared/')]);
	expect(upward).toEqual([expect.stringContaining('nodes/shared/ never imports a node')]);
	expect(upwardFromService).toEqual([expect.stringContaining('nodes/shared/ never imports a node')]);
	expect(impureN8n).toEqual([expect.stringContaining('A decision is pure: no n8n here')]);
	expect(impureService).toEqual([expect.stringContaining('A decision is pure: no service calls here')]);
	expect(exception).toEqual([]);
	expect(notTheException).toEqual([expect.stringContaining('A node folder imports only nodes/shared/')]);
	expect(down).toEqual([]);
}, 60_000);

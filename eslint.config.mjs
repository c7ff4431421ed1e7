// n8n's rule sets for community packages: eslint-plugin-n8n-nodes-base (package.json, credentials, nodes)
// and @n8n/eslint-plugin-community-nodes. Two rules are off on purpose: this pack uses the official
// Shopify, SendGrid, Supabase and Stripe SDKs at runtime, which n8n Cloud verification forbids.
import tseslint from 'typescript-eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const legacyRules = (config) => n8nNodesBase.configs[config].rules;

// Imports point down (shared/DESIGN.md "Shape"): a node folder never imports another node folder, shared/ never
// imports a node, and a decision (or an email's content) imports neither n8n nor a service.
const NODE_FOLDERS = ['../Cx*/**', '../../Cx*/**', '../../../Cx*/**'];
const SIDEWAYS = {
	group: NODE_FOLDERS,
	message: 'A node folder imports only nodes/shared/ (imports point down): move what both nodes need into nodes/shared/.',
};
/** The one declared exception: CX VIP Escalation triages tickets that come in untriaged, with triage's pure decision. */
const ESCALATION_MAY_TRIAGE = { ...SIDEWAYS, group: [...NODE_FOLDERS, '!../CxTicketTriage/triage'] };
const UPWARDS = { group: NODE_FOLDERS, message: 'nodes/shared/ never imports a node: it is what the nodes stand on.' };
const IMPURE = [
	{ group: ['n8n-workflow'], message: 'A decision is pure: no n8n here. Read items in the input module, act in the run.' },
	{ group: ['**/services/**', '**/services'], message: 'A decision is pure: no service calls here. Fetch in the run and pass the facts in.' },
];
/** Pure modules: the decisions and the emails' content. A new node adds its own here. */
const DECISIONS = [
	'nodes/*/triage.ts', 'nodes/*/language.ts', 'nodes/*/escalation.ts', 'nodes/*/delay.ts', 'nodes/*/returnDecision.ts', 'nodes/*/processing.ts', 'nodes/*/winback.ts',
	'nodes/*/health.ts', 'nodes/*/metrics.ts', 'nodes/*/survey.ts', 'nodes/*/ticketSurvey.ts', 'nodes/*/followUp.ts', 'nodes/*/*Email.ts', 'nodes/*/wismo.ts',
	'nodes/*/lifecycle.ts', 'nodes/*/lateNotice.ts', 'nodes/*/webhookSignature.ts', 'nodes/*/ticketText.ts', 'nodes/*/learnedModel.ts', 'nodes/*/triageModel.ts',
];
const restricted = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', '*.js', '*.mjs'] },
	{
		files: ['**/*.ts', 'package.json'],
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { sourceType: 'module', extraFileExtensions: ['.json'] },
		},
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{ files: ['package.json'], rules: legacyRules('community') },
	{ files: ['credentials/**/*.ts'], rules: legacyRules('credentials') },
	{ files: ['nodes/**/*.ts'], rules: legacyRules('nodes') },
	{
		...n8nCommunityNodesPlugin.configs.recommended,
		files: ['**/*.ts', 'package.json'],
	},
	{
		files: ['**/*.ts', 'package.json'],
		rules: {
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			// These two older rules demand the literal ['main']; the newer node-connection-type-literal rule
			// demands NodeConnectionTypes, and a node with two outputs cannot satisfy the older ones at all.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// Documented as "only applicable to nodes in the main repository" (n8n's own docs slugs); a
			// community credential links to the service's own documentation by full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	// last, so that each file gets the one restriction set that fits its place (a later block replaces the rule)
	{ files: ['nodes/Cx*/**/*.ts'], rules: restricted(SIDEWAYS) },
	{ files: ['nodes/CxVipEscalation/**/*.ts'], rules: restricted(ESCALATION_MAY_TRIAGE) },
	{ files: DECISIONS, rules: restricted(SIDEWAYS, ...IMPURE) },
	{ files: ['nodes/shared/**/*.ts'], rules: restricted(UPWARDS) },
];

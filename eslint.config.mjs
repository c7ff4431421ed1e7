// n8n's rule sets for community packages: eslint-plugin-n8n-nodes-base (package.json, credentials, nodes)
// and @n8n/eslint-plugin-community-nodes. Two rules are off on purpose: this pack uses the official
// Shopify, SendGrid, Supabase and Stripe SDKs at runtime, which n8n Cloud verification forbids.
import tseslint from 'typescript-eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const legacyRules = (config) => n8nNodesBase.configs[config].rules;

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
];

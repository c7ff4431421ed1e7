/**
 * Four suites, as users meet the pack: decisions alone, services against the stand-ins, real n8n, and the
 * n8n editor in a browser (Debian's Chromium driven by playwright-core; run with --runInBand).
 */
const project = (name, timeout, setup = []) => ({
	displayName: name,
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: [`<rootDir>/test/${name}`],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { warnOnly: false, ignoreCodes: [151002] } }] },
	...(timeout ? { testTimeout: timeout } : {}),
	...(setup.length ? { setupFilesAfterEnv: setup } : {}),
});

/** Files that talk to the stand-ins start from their known state (test/support/freshStandins.ts). */
const fresh = ['<rootDir>/test/support/freshStandins.ts'];

module.exports = {
	projects: [project('unit'), project('integration', undefined, fresh), project('e2e', undefined, fresh), project('browser', 600000)],
	testTimeout: 120000,
};

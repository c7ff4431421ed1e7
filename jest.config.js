/**
 * Four suites, as users meet the pack: decisions alone, services against the stand-ins, real n8n, and the
 * n8n editor in a browser (Debian's Chromium driven by playwright-core; run with --runInBand).
 */
const project = (name, timeout) => ({
	displayName: name,
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: [`<rootDir>/test/${name}`],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { warnOnly: false, ignoreCodes: [151002] } }] },
	...(timeout ? { testTimeout: timeout } : {}),
});

module.exports = {
	projects: [project('unit'), project('integration'), project('e2e'), project('browser', 600000)],
	testTimeout: 120000,
};

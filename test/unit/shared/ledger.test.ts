import { NodeApiError, type INode } from 'n8n-workflow';
import { afterSendFailure, newClaim } from '../../../nodes/shared/ledger';

const node: INode = { id: '1', name: 'CX test node', type: 'n8n-nodes-cx-director.test', typeVersion: 1, position: [0, 0], parameters: {} };
const sendGridFailure = (httpCode?: string) => new NodeApiError(node, { message: 'refused' }, { message: 'SendGrid did not send the email', ...(httpCode ? { httpCode } : {}) });

describe('one rule for a SendGrid failure after the retries, for every ledger', () => {
	it.each(['400', '401', '403', '413', '429', '502', '503', '504'])('HTTP %s: nothing went out, the claim is given back', (code) => {
		expect(afterSendFailure(sendGridFailure(code))).toBe('release');
	});
	it.each(['500', undefined])('HTTP %s: it may have gone out, the claim stays and the email is never sent again', (code) => {
		expect(afterSendFailure(sendGridFailure(code))).toBe('keep');
	});
});

describe('a claim', () => {
	it('carries the run\'s Now and a token of its own, so two runs as of one Now tell their claims apart', () => {
		const now = new Date('2026-11-20T09:00:00Z');
		const [a, b] = [newClaim(now), newClaim(now)];
		expect(a.at).toBe('2026-11-20T09:00:00.000Z');
		expect(b.at).toBe(a.at);
		expect(a.token).not.toBe(b.token);
	});
});

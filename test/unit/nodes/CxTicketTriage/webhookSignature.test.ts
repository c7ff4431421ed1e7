import { checkSignature, signingSecretProblem } from '../../../../nodes/CxTicketTriage/webhookSignature';

// expected signatures computed apart from the code under test, with openssl dgst -hmac ... -binary | base64
const HELPSCOUT_BODY = Buffer.from('{"id":1,"status":"closed"}');
const HELPSCOUT_SIGNATURE = 'igACVWuDwgMwusQg0Fa3bx3vtPU=';
const ZENDESK_BODY = Buffer.from('{"type":"zen:event-type:ticket.status_changed"}');
const ZENDESK_TIMESTAMP = '2026-11-06T08:00:00Z';
const ZENDESK_SIGNATURE = 'htZVza2FNPDvF/aeJgilJzcDJFDaEJobBNgY3/hQ8cE=';

describe('helpdesk webhook signatures', () => {
	it('accepts Help Scout\'s HMAC-SHA1 of the raw body, whatever the header\'s case', () => {
		expect(checkSignature('helpscout', { 'x-helpscout-signature': HELPSCOUT_SIGNATURE }, HELPSCOUT_BODY, 'hs-secret-key-1')).toEqual({ ok: true });
		expect(checkSignature('helpscout', { 'X-HelpScout-Signature': HELPSCOUT_SIGNATURE }, HELPSCOUT_BODY, 'hs-secret-key-1')).toEqual({ ok: true });
	});

	it('accepts Zendesk\'s HMAC-SHA256 of the timestamp and the raw body', () => {
		const headers = { 'x-zendesk-webhook-signature': ZENDESK_SIGNATURE, 'x-zendesk-webhook-signature-timestamp': ZENDESK_TIMESTAMP };
		expect(checkSignature('zendesk', headers, ZENDESK_BODY, 'zd-signing-secret-abcdef')).toEqual({ ok: true });
	});

	it('refuses a changed body, another secret, a replayed signature under a new timestamp, and says what to check', () => {
		expect(checkSignature('helpscout', { 'x-helpscout-signature': HELPSCOUT_SIGNATURE }, Buffer.from('{"id":1,"status":"active"}'), 'hs-secret-key-1')).toMatchObject({ ok: false, problem: 'the Help Scout signature does not match the body' });
		expect(checkSignature('helpscout', { 'x-helpscout-signature': HELPSCOUT_SIGNATURE }, HELPSCOUT_BODY, 'another-secret')).toMatchObject({ ok: false, fix: expect.stringContaining('credential holds the Help Scout webhook\'s secret') });
		const replayed = { 'x-zendesk-webhook-signature': ZENDESK_SIGNATURE, 'x-zendesk-webhook-signature-timestamp': '2026-11-07T08:00:00Z' };
		expect(checkSignature('zendesk', replayed, ZENDESK_BODY, 'zd-signing-secret-abcdef')).toMatchObject({ ok: false, problem: 'the Zendesk signature does not match the body' });
	});

	it('refuses a delivery without its signature or timestamp, and one whose raw body n8n did not keep', () => {
		expect(checkSignature('helpscout', {}, HELPSCOUT_BODY, 'hs-secret-key-1')).toMatchObject({ ok: false, problem: 'the Help Scout signature header x-helpscout-signature is missing' });
		expect(checkSignature('zendesk', { 'x-zendesk-webhook-signature': ZENDESK_SIGNATURE }, ZENDESK_BODY, 'zd-signing-secret-abcdef')).toMatchObject({ ok: false, problem: 'the Zendesk header x-zendesk-webhook-signature-timestamp is missing' });
		expect(checkSignature('helpscout', { 'x-helpscout-signature': HELPSCOUT_SIGNATURE }, undefined, 'hs-secret-key-1')).toMatchObject({ ok: false, fix: expect.stringContaining('Raw Body') });
	});

	it('tests a signing secret for what the helpdesks accept', () => {
		expect(signingSecretProblem('hs-secret-key-1')).toBeUndefined();
		expect(signingSecretProblem('')).toMatch(/empty/);
		expect(signingSecretProblem(' hs-secret-key-1')).toMatch(/space/);
		expect(signingSecretProblem('short')).toBe('The signing secret has 5 characters; the helpdesks use at least 8');
	});
});

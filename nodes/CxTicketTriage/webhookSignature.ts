/**
 * Helpdesk webhook signatures, as the helpdesks document them. Pure: the raw body, the headers and the secret in,
 * a verdict out. Help Scout signs every webhook: X-HelpScout-Signature is the base64 HMAC-SHA1 of the raw body
 * with the webhook's secret key. Zendesk signs its webhooks: X-Zendesk-Webhook-Signature is the base64
 * HMAC-SHA256 of X-Zendesk-Webhook-Signature-Timestamp followed by the raw body, with the webhook's signing
 * secret. Gorgias and Freshdesk sign nothing: their webhooks carry the shared-secret header instead.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The helpdesks whose webhooks carry a signature. */
export const SIGNING_HELPDESKS = ['helpscout', 'zendesk'] as const;
export type SigningHelpdesk = (typeof SIGNING_HELPDESKS)[number];

const NAMES: Record<SigningHelpdesk, string> = { helpscout: 'Help Scout', zendesk: 'Zendesk' };
const SIGNATURE_HEADER: Record<SigningHelpdesk, string> = { helpscout: 'x-helpscout-signature', zendesk: 'x-zendesk-webhook-signature' };
const ZENDESK_TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';

export const isSigningHelpdesk = (source: string): source is SigningHelpdesk => (SIGNING_HELPDESKS as readonly string[]).includes(source);

/** The signature the helpdesk would send for this body (and, for Zendesk, timestamp). */
export function signatureFor(helpdesk: SigningHelpdesk, secret: string, rawBody: Buffer, timestamp = ''): string {
	if (helpdesk === 'helpscout') return createHmac('sha1', secret).update(rawBody).digest('base64');
	return createHmac('sha256', secret).update(Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody])).digest('base64');
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
	const value = Array.isArray(found) ? found[0] : found;
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export type SignatureVerdict = { ok: true } | { ok: false; problem: string; fix: string };

/** Whether a delivery's signature is the helpdesk's for its raw body; compared in constant time. */
export function checkSignature(helpdesk: SigningHelpdesk, headers: Record<string, unknown>, rawBody: Buffer | undefined, secret: string): SignatureVerdict {
	const name = NAMES[helpdesk];
	const signatureHeader = SIGNATURE_HEADER[helpdesk];
	if (!rawBody) {
		return { ok: false, problem: 'the raw body is missing, so the signature cannot be checked', fix: 'Turn on the Webhook node\'s Raw Body option: the signature is over the bytes the helpdesk sent.' };
	}
	const given = header(headers, signatureHeader);
	if (!given) return { ok: false, problem: `the ${name} signature header ${signatureHeader} is missing`, fix: `Only ${name} can call this webhook: check that the webhook in ${name} points here.` };
	const timestamp = helpdesk === 'zendesk' ? header(headers, ZENDESK_TIMESTAMP_HEADER) : '';
	if (timestamp === undefined) return { ok: false, problem: `the ${name} header ${ZENDESK_TIMESTAMP_HEADER} is missing`, fix: 'Zendesk signs the timestamp with the body; a delivery without it is not Zendesk\'s.' };
	const expected = Buffer.from(signatureFor(helpdesk, secret, rawBody, timestamp));
	const received = Buffer.from(given);
	if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
		return { ok: false, problem: `the ${name} signature does not match the body`, fix: `Check that the credential holds the ${name} webhook's secret; a delivery someone else made or changed is refused.` };
	}
	return { ok: true };
}

/**
 * Why a signing secret cannot be the helpdesk's, or undefined: Help Scout takes a secret key of 8 to 40
 * characters; Zendesk issues a longer one. Spaces around it are a paste slip.
 */
export function signingSecretProblem(secret: string): string | undefined {
	if (!secret) return 'The signing secret is empty: paste the secret from the helpdesk\'s webhook settings';
	if (secret !== secret.trim()) return 'The signing secret starts or ends with a space: paste it without them';
	if (secret.length < 8) return `The signing secret has ${secret.length} characters; the helpdesks use at least 8`;
	return undefined;
}

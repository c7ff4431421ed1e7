'use strict';
/**
 * What the SendGrid account behind the stand-in's key holds, and the Mail Send refusals for what it does not hold,
 * worded and coded as SendGrid answers them:
 *
 *   verified Sender Identities   single senders (addresses) and authenticated domains (Domain Authentication verifies
 *                                every address at the domain: https://www.twilio.com/docs/sendgrid/api-reference/senders).
 *                                A `from.email` outside them: 403 with SendGrid's body, byte for byte (the 281 bytes a
 *                                real account answered, sendgrid/sendgrid-ruby#489; Twilio error 60222 says 403 too):
 *                                {"errors":[{"message":"The from address does not match a verified Sender Identity. Mail
 *                                cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/
 *                                sending-email/sender-identity/ to see the Sender Identity requirements","field":"from","help":null}]}
 *   templates                    a `template_id` the account does not have: 400, field template_id, "The Template ID must be a
 *                                valid template id for your account. You provided <id>." (Mail Send errors, Template Errors:
 *                                https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors). SDK threads from
 *                                2017-18 (sendgrid-go#255, sendgrid/docs#2616) saw a 202 and a drop in the activity instead;
 *                                the stand-in answers as the reference documents, the stricter of the two.
 *   unsubscribe (ASM) groups     an integer `asm.group_id` the account does not have: 400, field asm.group_id, "The ASM group
 *                                ID must be a valid Group ID on your account. You provided <id>." (Mail Send errors, ASM Errors)
 *
 * The template and group refusals join the other 400 errors of the request (sendgrid-validate.js); the sender is checked
 * after them, as a request must be valid before its sender is judged. Sandbox mode is refused the same way.
 *
 * Defaults: what the pack's tests, workflows and benchmarks send with, so that they pass as on a set-up account:
 * the sender the stand-in hands out (env.sendgrid.senderEmail), the dynamic templates test/integration uses, and the
 * unsubscribe groups test/, scripts/n8n-local.js (4100 for the e2e workflows) and bench/ use.
 */
const { isEmail } = require('./sendgrid-validate.js');

const SENDER_EMAIL = 'support@example-store.test';
const DEFAULT_SENDERS = { emails: [SENDER_EMAIL], domains: [] };
const DEFAULT_TEMPLATES = ['d-0000000000000000000000000000winback', 'd-kpireport0000000000000000000001'];
const DEFAULT_GROUPS = [42, 777, 4100, 4242, 4321, 4343];

const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';

/** SendGrid's own order of keys (message, field, help): the body is the bytes a real account sends. */
const UNVERIFIED_SENDER = {
	errors: [{
		message: 'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements',
		field: 'from',
		help: null,
	}],
};

const domainOf = (email) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

class SendGridAccount {
	constructor() {
		this.refused = { sender: 0, template: 0, group: 0 };
		this.resetSenders();
		this.resetTemplates();
		this.resetGroups();
	}

	resetSenders() {
		this.setSenders(DEFAULT_SENDERS);
	}

	resetTemplates() {
		this.setTemplates({ ids: DEFAULT_TEMPLATES });
	}

	resetGroups() {
		this.setGroups({ ids: DEFAULT_GROUPS });
	}

	/** The verified senders become exactly these: addresses (single senders) and authenticated domains. */
	setSenders({ emails = [], domains = [] } = {}) {
		if (!Array.isArray(emails) || !emails.every(isEmail)) throw new Error('emails must be a list of email addresses');
		if (!Array.isArray(domains) || !domains.every((domain) => typeof domain === 'string' && /^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(domain))) {
			throw new Error('domains must be a list of domain names');
		}
		this.senders = { emails: emails.map((email) => email.toLowerCase()), domains: domains.map((domain) => domain.toLowerCase()) };
		return this.senders;
	}

	setTemplates({ ids = [] } = {}) {
		if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && id.length > 0)) throw new Error('ids must be a list of template IDs');
		this.templates = [...ids];
		return this.templates;
	}

	setGroups({ ids = [] } = {}) {
		if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id) && id > 0)) throw new Error('ids must be a list of unsubscribe group IDs (positive integers)');
		this.groups = [...ids];
		return this.groups;
	}

	/** The 400 errors for what the request names that the account does not have (empty when it has all of it). */
	unknownIds(body) {
		if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
		const errors = [];
		const templateId = body.template_id;
		if (typeof templateId === 'string' && templateId.length > 0 && !this.templates.includes(templateId)) {
			this.refused.template += 1;
			errors.push({ message: `The Template ID must be a valid template id for your account. You provided ${templateId}.`, field: 'template_id', help: `${HELP}#message.template_id` });
		}
		const groupId = body.asm?.group_id;
		if (Number.isInteger(groupId) && !this.groups.includes(groupId)) {
			this.refused.group += 1;
			errors.push({ message: `The ASM group ID must be a valid Group ID on your account. You provided ${groupId}.`, field: 'asm.group_id', help: `${HELP}#message.asm.group_id` });
		}
		return errors;
	}

	/** SendGrid's 403 body when the message's from address is no verified Sender Identity; undefined when it is one. */
	senderRefusal(body) {
		const email = String(body?.from?.email ?? '').toLowerCase();
		if (this.senders.emails.includes(email) || this.senders.domains.includes(domainOf(email))) return undefined;
		this.refused.sender += 1;
		return UNVERIFIED_SENDER;
	}
}

module.exports = { SendGridAccount, SENDER_EMAIL, DEFAULT_SENDERS, DEFAULT_TEMPLATES, DEFAULT_GROUPS, UNVERIFIED_SENDER };

'use strict';
/**
 * The checks SendGrid's v3 Mail Send makes before it accepts a message, worded as SendGrid words them
 * (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors). SendGrid reports every problem
 * it finds, each as `{message, field, help}`, in one 400 response.
 */

const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';
const MAX_PERSONALIZATIONS = 1000;
const MAX_RECIPIENTS = 1000;
/** Categories per message, and characters per category. */
const MAX_CATEGORIES = 10;
const MAX_CATEGORY_LENGTH = 255;
/** custom_args (the message's and a personalization's together) and substitutions, each per personalization. */
const MAX_ARGS_BYTES = 10_000;

const MESSAGES = {
	fromMissing:
		'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.  e.g. {"email" : "example@example.com"}  or {"email" : "example@example.com", "name" : "Example Recipient"}.',
	fromInvalid: 'The from email does not contain a valid address.',
	replyToInvalid: 'The reply_to email does not contain a valid address.',
	personalizationsMissing: 'The personalizations field is required and must have at least one personalization.',
	tooManyPersonalizations: (n) =>
		`The personalization block is limited to ${MAX_PERSONALIZATIONS} personalizations per API request. You have provided ${n} personalizations. Please consider splitting this into multiple requests and resending your request.`,
	tooManyRecipients: `There is a limit of ${MAX_RECIPIENTS} total recipients (to + cc + bcc) per request.`,
	toMissing:
		'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
	addressInvalid: 'Does not contain a valid address.',
	duplicate: (email, field) =>
		`Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [${email}] in the ${field} field.`,
	subjectMissing:
		'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
	contentMissing:
		'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
	contentTypeMissing: 'A content type is required, this tells email clients how to display the email.',
	contentValueEmpty: 'The content value must be a string at least one character in length.',
	contentOrder:
		'Following RFC 1341, section 7.2, if either text/plain or text/html are to be sent in your email: text/plain needs to be first, followed by text/html, followed by any other content.',
	asmGroupId: 'The ASM group ID must be an integer.',
	addressTwice: (email) => `Each unique email address in the personalizations array should only be included once. You have included [${email}] more than once.`,
	tooManyCategories: `You may not have more than ${MAX_CATEGORIES} categories per request.`,
	categoryTooLong: `A category cannot be more than ${MAX_CATEGORY_LENGTH} characters.`,
	customArgsTooLarge: `The custom_args for each personalization, with the message's own, may not exceed ${MAX_ARGS_BYTES.toLocaleString('en-US')} bytes.`,
	substitutionsTooLarge: `The substitutions for each personalization may not exceed ${MAX_ARGS_BYTES.toLocaleString('en-US')} bytes.`,
};

const bytesOf = (object) => Buffer.byteLength(JSON.stringify(object ?? {}), 'utf8');

/** A plain address as SendGrid accepts it: something@domain.tld, no spaces or angle brackets. */
const isEmail = (value) => typeof value === 'string' && /^[^\s@<>(),;:"[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(value);

const error = (message, field, anchor) => ({ message, field, help: `${HELP}#${anchor}` });

/**
 * SendGrid reads a name and its address as one mailbox ("name <email>"), so a comma or semicolon in a name splits
 * it into addresses that are none; only a name wrapped in double quotes may hold them (SendGrid's own PHP library
 * wraps such names for that reason, its issue #368). Refused as the address it makes.
 */
const unreadableName = (name) => typeof name === 'string' && /[,;]/.test(name) && !/^"(?:[^"\\]|\\.)*"$/.test(name);

function validateRecipients(personalization, index, errors) {
	const seen = new Map();
	for (const list of ['to', 'cc', 'bcc']) {
		const recipients = personalization[list];
		if (recipients === undefined && list !== 'to') continue;
		if (list === 'to' && (!Array.isArray(recipients) || recipients.length === 0)) {
			errors.push(error(MESSAGES.toMissing, `personalizations.${index}.to`, 'message.personalizations.to'));
			continue;
		}
		if (!Array.isArray(recipients)) continue;
		recipients.forEach((recipient, j) => {
			const field = `personalizations.${index}.${list}.${j}.email`;
			if (!recipient || !isEmail(recipient.email)) {
				errors.push(error(MESSAGES.addressInvalid, field, `message.personalizations.${list}`));
				return;
			}
			if (unreadableName(recipient.name)) errors.push(error(MESSAGES.addressInvalid, `personalizations.${index}.${list}.${j}.name`, `message.personalizations.${list}`));
			const key = recipient.email.toLowerCase();
			if (seen.has(key)) {
				errors.push(error(MESSAGES.duplicate(recipient.email, `personalizations.${index}.${list}`), `personalizations.${index}`, 'message.personalizations'));
			}
			seen.set(key, list);
		});
	}
}

function validateContent(body, errors) {
	const hasTemplate = typeof body.template_id === 'string' && body.template_id.length > 0;
	if (!Array.isArray(body.content) || body.content.length === 0) {
		if (!hasTemplate) errors.push(error(MESSAGES.contentMissing, 'content', 'message.content'));
		return;
	}
	body.content.forEach((block, i) => {
		if (!block || typeof block.type !== 'string' || !block.type) {
			errors.push(error(MESSAGES.contentTypeMissing, `content.${i}.type`, 'message.content.type'));
		}
		if (!block || typeof block.value !== 'string' || block.value.length === 0) {
			errors.push(error(MESSAGES.contentValueEmpty, `content.${i}.value`, 'message.content.value'));
		}
	});
	const types = body.content.map((block) => block?.type);
	const plain = types.indexOf('text/plain');
	const html = types.indexOf('text/html');
	if ((plain > 0) || (html >= 0 && types.some((type, i) => i < html && type !== 'text/plain'))) {
		errors.push(error(MESSAGES.contentOrder, 'content', 'message.content'));
	}
}

/** Returns SendGrid's error list for a /v3/mail/send body; empty when SendGrid would accept it. */
function validateMail(body) {
	const errors = [];
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		return [{ message: 'Bad Request', field: null, help: null }];
	}

	if (!body.from || typeof body.from !== 'object' || !body.from.email) {
		errors.push(error(MESSAGES.fromMissing, 'from.email', 'message.from'));
	} else if (!isEmail(body.from.email)) {
		errors.push(error(MESSAGES.fromInvalid, 'from.email', 'message.from'));
	} else if (unreadableName(body.from.name)) {
		errors.push(error(MESSAGES.fromInvalid, 'from.name', 'message.from'));
	}
	if (body.reply_to !== undefined && (!body.reply_to || !isEmail(body.reply_to.email))) {
		errors.push(error(MESSAGES.replyToInvalid, 'reply_to.email', 'message.reply_to'));
	}

	const personalizations = body.personalizations;
	if (!Array.isArray(personalizations) || personalizations.length === 0) {
		errors.push(error(MESSAGES.personalizationsMissing, 'personalizations', 'message.personalizations'));
	} else {
		if (personalizations.length > MAX_PERSONALIZATIONS) {
			errors.push(error(MESSAGES.tooManyPersonalizations(personalizations.length), 'personalizations', 'message.personalizations'));
		}
		let recipients = 0;
		const everywhere = new Set();
		const reported = new Set();
		personalizations.forEach((personalization, i) => {
			validateRecipients(personalization ?? {}, i, errors);
			// one address once in the whole request: in two personalizations it is refused (within one, validateRecipients says so)
			const own = new Set(['to', 'cc', 'bcc'].flatMap((list) => (Array.isArray(personalization?.[list]) ? personalization[list] : [])).map((recipient) => recipient?.email).filter((email) => typeof email === 'string').map((email) => email.toLowerCase()));
			for (const key of own) {
				if (everywhere.has(key) && !reported.has(key)) {
					errors.push(error(MESSAGES.addressTwice(key), 'personalizations', 'message.personalizations'));
					reported.add(key);
				}
				everywhere.add(key);
			}
			if (bytesOf({ ...body.custom_args, ...personalization?.custom_args }) > MAX_ARGS_BYTES) {
				errors.push(error(MESSAGES.customArgsTooLarge, `personalizations.${i}.custom_args`, 'message.custom_args'));
			}
			if (bytesOf(personalization?.substitutions) > MAX_ARGS_BYTES) {
				errors.push(error(MESSAGES.substitutionsTooLarge, `personalizations.${i}.substitutions`, 'message.personalizations.substitutions'));
			}
			for (const list of ['to', 'cc', 'bcc']) {
				if (Array.isArray(personalization?.[list])) recipients += personalization[list].length;
			}
			if (personalization?.from !== undefined && !isEmail(personalization.from?.email)) {
				errors.push(error(MESSAGES.fromInvalid, `personalizations.${i}.from.email`, 'message.from'));
			}
		});
		if (recipients > MAX_RECIPIENTS) {
			errors.push(error(MESSAGES.tooManyRecipients, 'personalizations', 'message.personalizations'));
		}
	}

	const hasTemplate = typeof body.template_id === 'string' && body.template_id.length > 0;
	const everyHasSubject =
		Array.isArray(personalizations) &&
		personalizations.length > 0 &&
		personalizations.every((personalization) => typeof personalization?.subject === 'string' && personalization.subject.length > 0);
	if (!hasTemplate && !(typeof body.subject === 'string' && body.subject.length > 0) && !everyHasSubject) {
		errors.push(error(MESSAGES.subjectMissing, 'subject', 'message.subject'));
	}

	validateContent(body, errors);

	if (body.categories !== undefined) {
		if (Array.isArray(body.categories) && body.categories.length > MAX_CATEGORIES) errors.push(error(MESSAGES.tooManyCategories, 'categories', 'message.categories'));
		if (Array.isArray(body.categories) && body.categories.some((category) => typeof category !== 'string' || category.length > MAX_CATEGORY_LENGTH)) {
			errors.push(error(MESSAGES.categoryTooLong, 'categories', 'message.categories'));
		}
	}

	if (body.asm !== undefined && !Number.isInteger(body.asm?.group_id)) {
		errors.push(error(MESSAGES.asmGroupId, 'asm.group_id', 'message.asm.group_id'));
	}
	return errors;
}

module.exports = { validateMail, isEmail, MAX_PERSONALIZATIONS, MAX_RECIPIENTS };

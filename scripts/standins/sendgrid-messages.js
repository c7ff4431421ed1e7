'use strict';
/**
 * The stand-in's outbox. Each accepted request is kept with its X-Message-Id, the time it arrived and its
 * body, plus one delivery per personalization: the email one group of recipients would get, with the
 * personalization's subject, `substitutions` and `dynamic_template_data` applied
 * (https://www.twilio.com/docs/sendgrid/for-developers/sending-email/personalizations). Kept in memory and
 * appended to `<dataDir>/messages.jsonl`, one request a line, for people to read.
 */
const fs = require('node:fs');
const path = require('node:path');

const escapeHtml = (text) =>
	String(text).replace(/[&<>"'`=]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' })[c]);

const lookup = (data, dotted) => dotted.split('.').reduce((node, key) => (node == null ? undefined : node[key]), data);

/** `{{name}}` (escaped in HTML) and `{{{name}}}` (raw), dotted paths: the Handlebars subset templates use most. */
function renderHandlebars(text, data, html) {
	return text
		.replace(/\{\{\{\s*([\w.]+)\s*\}\}\}/g, (_, key) => String(lookup(data, key) ?? ''))
		.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, key) => {
			const value = lookup(data, key);
			if (value === undefined || value === null) return '';
			return html ? escapeHtml(value) : String(value);
		});
}

/** Legacy substitutions replace their keys literally, longest key first so `-name-` cannot eat `-name-full-`. */
function substitute(text, substitutions) {
	const keys = Object.keys(substitutions ?? {}).sort((a, b) => b.length - a.length);
	return keys.reduce((out, key) => out.split(key).join(String(substitutions[key])), text);
}

function render(text, personalization, type) {
	if (typeof text !== 'string') return text;
	let out = substitute(text, personalization.substitutions);
	if (personalization.dynamic_template_data) {
		out = renderHandlebars(out, personalization.dynamic_template_data, type === 'text/html');
	}
	return out;
}

function deliveriesOf(body) {
	return body.personalizations.map((personalization, index) => ({
		personalization: index,
		from: personalization.from ?? body.from,
		replyTo: body.reply_to ?? null,
		to: personalization.to,
		cc: personalization.cc ?? [],
		bcc: personalization.bcc ?? [],
		subject: render(personalization.subject ?? body.subject ?? null, personalization, 'text/plain'),
		content: (body.content ?? []).map((block) => ({ type: block.type, value: render(block.value, personalization, block.type) })),
		templateId: body.template_id ?? null,
		dynamicTemplateData: personalization.dynamic_template_data ?? null,
		substitutions: personalization.substitutions ?? null,
		customArgs: { ...(body.custom_args ?? {}), ...(personalization.custom_args ?? {}) },
		headers: { ...(body.headers ?? {}), ...(personalization.headers ?? {}) },
		categories: body.categories ?? [],
		asmGroupId: body.asm?.group_id ?? null,
		sendAt: personalization.send_at ?? body.send_at ?? null,
	}));
}

const recipientsOf = (delivery) => [...delivery.to, ...delivery.cc, ...delivery.bcc].map((r) => String(r.email).toLowerCase());

class Outbox {
	constructor(dataDir) {
		this.file = path.join(dataDir, 'messages.jsonl');
		this.messages = [];
		fs.writeFileSync(this.file, '');
	}

	add(messageId, body) {
		const message = { messageId, receivedAt: new Date().toISOString(), body, deliveries: deliveriesOf(body) };
		this.messages.push(message);
		fs.appendFileSync(this.file, `${JSON.stringify(message)}\n`);
		return message;
	}

	/** Messages with at least one delivery matching every filter given; `deliveries` holds the matching ones. */
	find({ to, subject, messageId } = {}) {
		const matches = (delivery) =>
			(!to || recipientsOf(delivery).includes(String(to).toLowerCase())) &&
			(!subject || String(delivery.subject ?? '').toLowerCase().includes(String(subject).toLowerCase()));
		return this.messages
			.filter((message) => !messageId || message.messageId === messageId)
			.map((message) => ({ ...message, deliveries: message.deliveries.filter(matches) }))
			.filter((message) => message.deliveries.length > 0);
	}

	clear() {
		this.messages = [];
		fs.writeFileSync(this.file, '');
	}
}

module.exports = { Outbox, renderHandlebars, substitute };

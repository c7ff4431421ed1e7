'use strict';
/**
 * The mailbox: the emails the workflows sent, for a person in a browser, newest first. No API key: the
 * stand-in listens on loopback only and holds synthetic mail. Each email opens with its headers, its HTML
 * in a sandboxed frame (no scripts, no navigation of this page) and its text part.
 *
 *   GET /mailbox?to=<email>&q=<subject text>   the list (one row per recipient)
 *   GET /mailbox/<messageId>/<n>               one email: the message's n-th personalization
 */

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value) => String(value ?? '').replace(/[&<>"']/g, (character) => ENTITIES[character]);
const addresses = (list) => (list ?? []).map((entry) => (entry.name ? `${entry.name} <${entry.email}>` : entry.email)).join(', ');

const STYLE = `
	body { font-family: Arial, Helvetica, sans-serif; margin: 0; color: #222; background: #f5f6f8 }
	header { background: #1d2430; color: #fff; padding: 14px 24px } header a { color: #fff; text-decoration: none }
	main { padding: 16px 24px } table { border-collapse: collapse; width: 100%; background: #fff }
	th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #e3e6ea; font-size: 14px; vertical-align: top }
	th { background: #eef0f3 } tr:hover td { background: #f9fafb } .muted { color: #777 } .tag { display: inline-block; background: #e8eefc; color: #234; border-radius: 3px; padding: 1px 6px; margin-right: 4px; font-size: 12px }
	form { margin: 0 0 12px } input { padding: 6px; font-size: 14px } dl { display: grid; grid-template-columns: 140px 1fr; gap: 4px 12px; background: #fff; padding: 12px }
	dt { color: #666 } iframe { width: 100%; height: 640px; border: 1px solid #d5d9de; background: #fff } pre { white-space: pre-wrap; background: #fff; padding: 12px; border: 1px solid #d5d9de }`;

function page(title, body) {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${STYLE}</style></head>` +
		`<body><header><a href="/mailbox"><strong>Mailbox</strong></a> <span class="muted">· emails sent through the SendGrid stand-in</span></header><main>${body}</main></body></html>`;
}

function listPage(outbox, query) {
	const rows = [];
	for (const message of outbox.find({ to: query.to || undefined, subject: query.q || undefined }).reverse()) {
		for (const delivery of message.deliveries) {
			rows.push(
				`<tr><td class="muted">${escape(message.receivedAt.replace('T', ' ').slice(0, 19))}</td>` +
					`<td>${escape(addresses(delivery.to))}</td>` +
					`<td><a href="/mailbox/${encodeURIComponent(message.messageId)}/${delivery.personalization}">${escape(delivery.subject || '(no subject)')}</a></td>` +
					`<td>${delivery.categories.map((category) => `<span class="tag">${escape(category)}</span>`).join('')}</td></tr>`,
			);
		}
	}
	const form =
		'<form method="get" action="/mailbox">' +
		`<input name="to" placeholder="to (email)" value="${escape(query.to ?? '')}"> <input name="q" placeholder="subject contains" value="${escape(query.q ?? '')}"> <button>Filter</button></form>`;
	const table = rows.length
		? `<table><thead><tr><th>Sent (UTC)</th><th>To</th><th>Subject</th><th>Categories</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
		: '<p class="muted">No emails yet. Run a workflow that sends one, then reload.</p>';
	return page('Mailbox', `${form}<p class="muted">${rows.length} email(s)</p>${table}`);
}

function emailPage(message, delivery) {
	const html = delivery.content.find((part) => part.type === 'text/html')?.value;
	const text = delivery.content.find((part) => part.type === 'text/plain')?.value;
	const facts = [
		['From', addresses([delivery.from])],
		['To', addresses(delivery.to)],
		['Subject', delivery.subject],
		['Sent', message.receivedAt],
		['Message id', message.messageId],
		['Template', delivery.templateId ?? ''],
		['Unsubscribe group', delivery.asmGroupId ?? ''],
		['Categories', delivery.categories.join(', ')],
		['Custom args', Object.entries(delivery.customArgs).map(([key, value]) => `${key}=${value}`).join(', ')],
	].filter(([, value]) => value !== '' && value !== null && value !== undefined);
	const body =
		`<h2>${escape(delivery.subject || '(no subject)')}</h2>` +
		`<dl>${facts.map(([label, value]) => `<dt>${escape(label)}</dt><dd>${escape(value)}</dd>`).join('')}</dl>` +
		(html ? `<h3>HTML</h3><iframe title="email" sandbox="" srcdoc="${escape(html)}"></iframe>` : '') +
		(text ? `<h3>Text</h3><pre>${escape(text)}</pre>` : '') +
		(delivery.dynamicTemplateData ? `<h3>Template data</h3><pre>${escape(JSON.stringify(delivery.dynamicTemplateData, null, 2))}</pre>` : '');
	return page(delivery.subject || 'Email', body);
}

/** Registers the mailbox before the API key check: it is for a person's browser. */
function mailboxRoutes(app, { outbox }) {
	app.get('/mailbox', (req, res) => {
		res.type('html').set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; img-src data:; form-action 'self'").send(listPage(outbox, req.query));
	});
	app.get('/mailbox/:messageId/:n', (req, res) => {
		const message = outbox.find({ messageId: req.params.messageId })[0];
		const delivery = message?.deliveries.find((entry) => String(entry.personalization) === req.params.n);
		if (!delivery) return res.status(404).type('html').send(page('Not found', '<p>No such email. <a href="/mailbox">Back to the mailbox</a>.</p>'));
		// the email's own HTML runs with no scripts and no network: a frame without permissions
		res.type('html').set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-src 'self'").send(emailPage(message, delivery));
	});
}

module.exports = { mailboxRoutes };

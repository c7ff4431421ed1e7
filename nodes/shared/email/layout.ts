/** The table layout emails are built from: tables and inline styles only, which every email client renders. */

/** The attributes of a layout table: read by screen readers as layout, not data, with no spacing of its own. */
export const LAYOUT_TABLE = 'role="presentation" cellpadding="0" cellspacing="0" border="0"';

/** A letter to a customer: paragraphs one under the other, in the pack's one font and size. */
export function letter(paragraphs: string[]): string {
	return (
		'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222">' +
		paragraphs.map(paragraph).join('') +
		'</table>'
	);
}

/** One paragraph of a letter (HTML, already escaped by the caller). */
export function paragraph(html: string): string {
	return `<tr><td style="padding:6px 0">${html}</td></tr>`;
}

/** The marketing footer: SendGrid replaces the tag with the unsubscribe link of the message's group (asm). */
export const UNSUBSCRIBE_LINK = '<a href="<%asm_group_unsubscribe_raw_url%>" style="color:#888;font-size:12px">Unsubscribe from these emails</a>';

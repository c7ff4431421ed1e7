/**
 * Customer and store text in every email the pack sends (and the pages its survey links open), probed: each render
 * function runs with hostile text in every customer- or store-controlled field, one field at a time and all at once,
 * and each result is read as its reader would: the HTML holds no tag, attribute or style the pack did not write (every
 * `<` of an inserted value is `&lt;`), no link that is not http(s); the subject is one line; the text part is the
 * plain text (not escaped, not interpreted). Bodies sent with SendGrid substitutions (acknowledgement, win-back,
 * survey) are checked as SendGrid delivers them: the values made inert as the service sends them, each `{{key}}`
 * replaced literally, in order (and in the reverse order).
 *
 * Table-driven: a new email path is one row of PATHS (a render function called through `v.text` / `v.url` for each
 * field it takes from customers or stores), a new dynamic template one row of TEMPLATE_DATA.
 */
import { acknowledgementSubject, acknowledgementSubstitutions, renderAcknowledgementEmail } from '../../../nodes/CxTicketTriage/acknowledgementEmail';
import { renderWismoEmail } from '../../../nodes/CxTicketTriage/wismoEmail';
import { renderEscalationEmail } from '../../../nodes/CxVipEscalation/escalationEmail';
import { apologyTemplateData, renderApologyEmail } from '../../../nodes/CxDelayCompensation/apologyEmail';
import { lateNoticeTemplateData, renderLateNoticeEmail } from '../../../nodes/CxDelayCompensation/lateNoticeEmail';
import { renderApprovalEmail } from '../../../nodes/CxDelayCompensation/approvalEmail';
import { renderWinBackEmail, winBackSubstitutions, winBackTemplateData } from '../../../nodes/CxWinBack/winbackEmail';
import { renderAnswerPage, renderSurveyEmail, renderThankYouPage, surveySubstitutions } from '../../../nodes/CxCustomerSurvey/surveyEmail';
import { renderOverdueEmail, renderReminderEmail } from '../../../nodes/CxFeedbackFollowUp/feedbackEmail';
import { kpiReportTemplateData, renderKpiReportEmail } from '../../../nodes/CxKpiReport/kpiReportEmail';
import { inertSubstitutions } from '../../../nodes/shared/services/sendgrid';
import { escapeHtml, safeLink } from '../../../nodes/shared/email/html';
import { multiLine, oneLine, untagged } from '../../../nodes/shared/email/text';
import { moneyFromDecimal } from '../../../nodes/shared/money';
import { metricsReportFixture } from '../../support/metricsReportFixture';

/* ------------------------------------------------------------------------------------------------ */
/* The table                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

/** A field's value: the hostile one when the field is under test, else the benign one given. */
interface Values {
	/** Text from a customer or a store: names, subjects, bodies, order names, store name, reasons, dates. */
	text(field: string, benign: string): string;
	/** A web address from a store or a service, or a part of one (a token in a link): it may become a link, never text of its own. */
	url(field: string, benign: string): string;
}

/** What a reader gets: an email (subject, HTML, text), or a page (HTML only). */
interface Delivered {
	subject?: string;
	html: string;
	text?: string;
}

interface EmailPath {
	name: string;
	/** An internal email that shows an address it would not link as text, for a person to look at (escalation). */
	showsRefusedAddresses?: true;
	/** Every way the same content reaches a reader (substituted bodies: the values applied in either order). */
	render(v: Values): Delivered[];
}

const usd = (amount: string) => moneyFromDecimal(amount, 'USD');
const one = (email: Delivered): Delivered[] => [email];

/** SendGrid's legacy substitutions: the service makes the values inert, SendGrid replaces each `{{key}}` literally, one key after another. */
function sendGridFill(email: { subject: string; html: string; text: string }, substitutions: Record<string, string>): Delivered[] {
	const values = Object.entries(inertSubstitutions(substitutions));
	const fill = (template: string, order: Array<[string, string]>) => order.reduce((out, [key, value]) => out.split(`{{${key}}}`).join(value), template);
	return [values, [...values].reverse()].map((order) => ({ subject: fill(email.subject, order), html: fill(email.html, order), text: fill(email.text, order) }));
}

const PATHS: EmailPath[] = [
	{
		name: 'ticket acknowledgement (CxTicketTriage, substitutions)',
		render: (v) => {
			const store = { storeName: v.text('storeName', 'Example Store'), timeZone: v.text('timeZone', 'Europe/Berlin') };
			const facts = {
				ticketId: v.text('ticketId', 'T-1042'),
				subject: v.text('subject', 'Cracked frame'),
				firstName: v.text('firstName', 'Ada'),
				firstResponseDueAt: v.text('firstResponseDueAt', '2026-11-02T11:00:00Z'),
				firstResponseMinutes: 120,
				clock: 'calendar' as const,
			};
			const body = renderAcknowledgementEmail(store);
			return sendGridFill({ subject: acknowledgementSubject(facts), html: body.html, text: body.text }, acknowledgementSubstitutions(facts, store));
		},
	},
	{
		name: '"where is my order" answer (CxTicketTriage)',
		render: (v) =>
			one(
				renderWismoEmail(
					{
						ticketId: v.text('ticketId', 'T-1042'),
						firstName: v.text('firstName', 'Ada'),
						answer: {
							orderId: 'gid://shopify/Order/5001',
							orderName: v.text('orderName', '#1042'),
							state: 'on_its_way',
							fulfillmentStatus: v.text('fulfillmentStatus', 'FULFILLED'),
							deliveryStatus: v.text('deliveryStatus', 'IN_TRANSIT'),
							carrier: v.text('carrier', 'UPS'),
							trackingNumber: v.text('trackingNumber', '1Z999'),
							trackingUrl: v.url('trackingUrl', 'https://track.example-carrier.test/1Z999'),
							estimatedDeliveryAt: v.text('estimatedDeliveryAt', '2026-11-09T12:00:00Z'),
							promisedDeliveryDate: v.text('promisedDeliveryDate', '2026-11-06T12:00:00Z'),
							promisedFrom: 'production_and_transit' as never,
							daysLate: 3,
							late: true,
							reasons: [],
						},
					},
					{ storeName: v.text('storeName', 'Example Store'), timeZone: v.text('timeZone', 'Europe/Berlin') },
				),
			),
	},
	...[false, true].map(
		(redactPersonalData): EmailPath => ({
			name: `escalation (CxVipEscalation${redactPersonalData ? ', personal data redacted' : ''})`,
			showsRefusedAddresses: true,
			render: (v) =>
				one(
					renderEscalationEmail({
						level: 2,
						reasons: [v.text('reason', 'tier_vip'), 'threatening_language:chargeback'],
						summary: v.text('summary', 'Urgent damaged order from a VIP customer.'),
						priority: 'urgent',
						tier: 'vip',
						ticket: {
							id: v.text('ticketId', 'T-1042'),
							subject: v.text('ticketSubject', 'Cracked frame'),
							body: v.text('ticketBody', 'The glass is cracked.\nPlease replace it.'),
							channel: v.text('channel', 'email'),
							createdAt: v.text('createdAt', '2026-11-02T09:00:00Z'),
						},
						customer: {
							firstName: v.text('firstName', 'Sam'),
							lastName: v.text('lastName', 'Sample'),
							email: v.text('customerEmail', 'sam@example-store.test'),
							phone: v.text('phone', '+1 555 010 0199'),
							id: v.text('customerId', 'gid://shopify/Customer/7001'),
							lifetimeSpend: usd('1465.00'),
							orderCount: 6,
							adminUrl: v.url('customerAdminUrl', 'https://admin.shopify.com/store/example-store/customers/7001'),
						},
						recentOrders: [
							{
								name: v.text('recentOrderName', '#1042'),
								processedAt: v.text('recentOrderProcessedAt', '2026-10-20T23:30:00Z'),
								total: usd('640.00'),
								fulfillmentStatus: v.text('recentOrderFulfillment', 'PARTIALLY_FULFILLED'),
								adminUrl: v.url('recentOrderAdminUrl', 'https://admin.shopify.com/store/example-store/orders/5001'),
							},
						],
						order: { name: v.text('orderName', '#1042'), adminUrl: v.url('orderAdminUrl', 'https://admin.shopify.com/store/example-store/orders/5001'), value: usd('640.00') },
						sla: { firstResponseDueAt: v.text('firstResponseDueAt', '2026-11-02T09:30:00Z'), resolutionDueAt: v.text('resolutionDueAt', '2026-11-03T09:00:00Z') },
						breach: { kind: 'first_response', dueAt: v.text('breachDueAt', '2026-11-02T09:30:00Z') },
						redactPersonalData,
						storeName: v.text('storeName', 'Example Store'),
						timeZone: v.text('timeZone', 'Europe/Berlin'),
					}),
				),
		}),
	),
	{
		name: 'delay-compensation apology (CxDelayCompensation)',
		render: (v) =>
			one(
				renderApologyEmail({
					firstName: v.text('firstName', 'Ada'),
					orderName: v.text('orderName', '#1042'),
					daysLate: 9,
					amount: usd('25.00'),
					method: 'discountCode',
					discountCode: v.text('discountCode', 'SORRY-ABC123'),
					codeExpiresAt: v.text('codeExpiresAt', '2026-12-31T00:00:00Z'),
					perks: ['expedited_shipping_next_order'],
					storeName: v.text('storeName', 'Example Store'),
				}),
			),
	},
	{
		name: 'running-late notice (CxDelayCompensation)',
		render: (v) =>
			one(
				renderLateNoticeEmail({
					firstName: v.text('firstName', 'Ada'),
					orderName: v.text('orderName', '#1042'),
					promisedDeliveryDate: v.text('promisedDeliveryDate', '2026-11-06T12:00:00Z'),
					expectedDeliveryAt: v.text('expectedDeliveryAt', '2026-11-12T12:00:00Z'),
					notShipped: false,
					timeZone: v.text('timeZone', 'Europe/Berlin'),
					storeName: v.text('storeName', 'Example Store'),
				}),
			),
	},
	{
		name: 'approval request (CxDelayCompensation)',
		render: (v) =>
			one(
				renderApprovalEmail({
					orderName: v.text('orderName', '#1042'),
					customerEmail: v.text('customerEmail', 'ada@example-store.test'),
					amount: v.text('amount', '$250.00'),
					summary: v.text('summary', 'Late by 12 days; the credit is over the instant cap.'),
					reasons: [v.text('reason', 'over_instant_cap'), 'late_12_days'],
					approveUrl: v.url('approveUrl', 'https://n8n.example-store.test/webhook-waiting/77?decision=approve&token=abc'),
					declineUrl: v.url('declineUrl', 'https://n8n.example-store.test/webhook-waiting/77?decision=decline&token=abc'),
					expiresAt: v.text('expiresAt', '2026-11-05T09:00:00Z'),
					timeZone: v.text('timeZone', 'Europe/Berlin'),
					storeName: v.text('storeName', 'Example Store'),
				}),
			),
	},
	{
		name: 'win-back (CxWinBack, substitutions)',
		render: (v) => {
			const codeExpiresAt = v.text('codeExpiresAt', '2026-12-16T00:00:00.000Z');
			const store = { storeName: v.text('storeName', 'Example Store'), storeUrl: v.url('storeUrl', 'https://shop.example-store.test') };
			const body = renderWinBackEmail('at_risk', 15, { ...store, codeExpiresAt });
			const values = winBackSubstitutions({ firstName: v.text('firstName', 'Ada'), segment: 'at_risk', offerPercent: 15, discountCode: v.text('discountCode', 'WB-ABCDEFGHJK'), codeExpiresAt, ...store });
			return sendGridFill(body, values);
		},
	},
	...(['csat', 'nps'] as const).flatMap((type) =>
		(['order', 'ticket'] as const).map(
			(about): EmailPath => ({
				name: `survey invitation, ${type} after ${about === 'order' ? 'an order' : 'support'} (CxCustomerSurvey, substitutions)`,
				render: (v) => {
					const body = renderSurveyEmail(type, v.url('answerUrl', 'https://n8n.example-store.test/webhook/cx-survey'), { storeName: v.text('storeName', 'Example Store'), about });
					const values = surveySubstitutions({
						firstName: v.text('firstName', 'Ada'),
						...(about === 'order' ? { orderName: v.text('orderName', '#1042') } : { ticketSubject: v.text('ticketSubject', 'Cracked frame') }),
						token: v.url('token', 'k3m7q2w5x4z6cavazbtdnrsy'),
					});
					return sendGridFill(body, values);
				},
			}),
		),
	),
	...(['order', 'ticket'] as const).map(
		(about): EmailPath => ({
			name: `survey answer page, after ${about === 'order' ? 'an order' : 'support'} (CxCustomerSurvey, a page)`,
			render: (v) =>
				one({
					html: renderAnswerPage({
						type: 'nps',
						score: 9,
						token: v.text('token', 'k3m7q2w5x4z6cavazbtdnrsy'),
						about,
						...(about === 'order' ? { orderName: v.text('orderName', '#1042') } : { ticketSubject: v.text('ticketSubject', 'Cracked frame') }),
						storeName: v.text('storeName', 'Example Store'),
					}),
				}),
		}),
	),
	...[false, true].map(
		(commented): EmailPath => ({
			name: `survey thank-you page${commented ? ' after a comment' : ''} (CxCustomerSurvey, a page)`,
			render: (v) => one({ html: renderThankYouPage({ type: 'csat', score: 4, token: v.text('token', 'k3m7q2w5x4z6cavazbtdnrsy'), commented, storeName: v.text('storeName', 'Example Store') }) }),
		}),
	),
	...(['reminder', 'unowned reminder', 'overdue escalation'] as const).map(
		(kind): EmailPath => ({
			name: `feedback ${kind} (CxFeedbackFollowUp)`,
			render: (v) => {
				const items = [
					{
						source: v.text('source', 'ticket'),
						sourceId: v.text('sourceId', 'T-7'),
						customerId: v.text('customerId', 'gid://shopify/Customer/7'),
						summary: v.text('summary', 'The frame arrived cracked.'),
						owner: v.text('owner', 'ana@example-store.test'),
						dueAt: v.text('dueAt', '2026-12-05T10:00:00Z'),
						daysLeft: 3,
						daysOverdue: 2,
					},
				];
				const store = { storeName: v.text('storeName', 'Example Store'), timeZone: v.text('timeZone', 'Europe/Berlin') };
				return one(kind === 'overdue escalation' ? renderOverdueEmail({ items, ...store }) : renderReminderEmail({ items, remindDaysBefore: 7, ...(kind === 'unowned reminder' ? { unowned: true } : {}), ...store }));
			},
		}),
	),
	{
		name: 'KPI report (CxKpiReport)',
		render: (v) => {
			const report = metricsReportFixture();
			report.current.start = v.text('periodStart', report.current.start);
			report.previous.end = v.text('previousEnd', report.previous.end);
			report.summary = v.text('summary', report.summary!);
			report.alerts![0].message = v.text('alertMessage', report.alerts![0].message);
			report.kpis![0].label = v.text('kpiLabel', report.kpis![0].label);
			report.kpis![0].definition = v.text('kpiDefinition', report.kpis![0].definition!);
			report.reasons = [v.text('reason', report.reasons![0])];
			report.current.breakdowns!.channel = { [v.text('segmentName', 'email')]: report.current.breakdowns!.channel!.email };
			report.current.lifetimeValue!.byCohort![0].cohort = v.text('cohort', '2026-09');
			report.current.lifetimeValue!.cohortValue!.definition = v.text('cohortDefinition', report.current.lifetimeValue!.cohortValue!.definition);
			report.current.orders!.cohortStart = v.text('returnsCohortStart', report.current.orders!.cohortStart!);
			return one(renderKpiReportEmail(report, { storeName: v.text('storeName', 'Example Store'), timeZone: v.text('timeZone', 'Europe/Berlin'), preparedAt: v.text('preparedAt', '2026-11-23T07:00:00Z') }));
		},
	},
];

/** What a SendGrid dynamic template receives: Handlebars escapes `{{value}}` itself, so the values are plain, one line where a subject may show them, and links are http(s). */
const TEMPLATE_DATA: Array<{ name: string; data(v: Values): Record<string, unknown> }> = [
	{
		name: 'delay-compensation apology',
		data: (v) =>
			apologyTemplateData({
				firstName: v.text('firstName', 'Ada'),
				orderName: v.text('orderName', '#1042'),
				daysLate: 9,
				amount: usd('25.00'),
				method: 'discountCode',
				discountCode: v.text('discountCode', 'SORRY-ABC123'),
				codeExpiresAt: v.text('codeExpiresAt', '2026-12-31T00:00:00Z'),
				perks: [],
				storeName: v.text('storeName', 'Example Store'),
			}),
	},
	{
		name: 'running-late notice',
		data: (v) =>
			lateNoticeTemplateData({
				firstName: v.text('firstName', 'Ada'),
				orderName: v.text('orderName', '#1042'),
				promisedDeliveryDate: v.text('promisedDeliveryDate', '2026-11-06T12:00:00Z'),
				expectedDeliveryAt: v.text('expectedDeliveryAt', '2026-11-12T12:00:00Z'),
				notShipped: false,
				timeZone: v.text('timeZone', 'Europe/Berlin'),
				storeName: v.text('storeName', 'Example Store'),
			}),
	},
	{
		name: 'win-back',
		data: (v) =>
			winBackTemplateData({
				firstName: v.text('firstName', 'Ada'),
				segment: 'at_risk',
				offerPercent: 15,
				discountCode: v.text('discountCode', 'WB-ABCDEFGHJK'),
				codeExpiresAt: v.text('codeExpiresAt', '2026-12-16T00:00:00.000Z'),
				storeName: v.text('storeName', 'Example Store'),
				storeUrl: v.url('storeUrl', 'https://shop.example-store.test'),
			}),
	},
	{
		name: 'KPI report',
		data: (v) => {
			const report = metricsReportFixture();
			report.current.start = v.text('periodStart', report.current.start);
			return kpiReportTemplateData(report, { storeName: v.text('storeName', 'Example Store'), timeZone: v.text('timeZone', 'Europe/Berlin'), preparedAt: v.text('preparedAt', '2026-11-23T07:00:00Z') });
		},
	},
];

/* ------------------------------------------------------------------------------------------------ */
/* The hostile values                                                                                */
/* ------------------------------------------------------------------------------------------------ */

/** Every substitution key the pack's bodies use, read off their substitution functions. */
const SUBSTITUTION_KEYS = [
	...Object.keys(acknowledgementSubstitutions({ ticketId: 'T', subject: 's', firstName: 'a', firstResponseDueAt: '2026-11-02T11:00:00Z', firstResponseMinutes: 60, clock: 'calendar' })),
	...Object.keys(winBackSubstitutions({ firstName: 'a', segment: 'lost', offerPercent: 10, discountCode: 'C', storeUrl: 'https://shop.example-store.test' })),
	...Object.keys(surveySubstitutions({ firstName: 'a', orderName: '#1', token: 't' })),
];
const ALL_TAGS = SUBSTITUTION_KEYS.map((key) => `{{${key}}}`).join('');

const HOSTILE: Array<[string, string]> = [
	['script', '<script>alert(1)</script>'],
	['attribute breakout', '"><img src=x onerror=alert(1)>'],
	['single-quote breakout', "'><svg onload=alert(1)>"],
	['backtick', '`><iframe src=//evil.test>'],
	['style injection', '</style><style>body{display:none}</style>'],
	['already escaped', '&lt;b&gt;bold&lt;/b&gt; &amp; &quot;'],
	['javascript: link', 'javascript:alert(1)'],
	['JaVaScRiPt: link', 'JaVaScRiPt:alert(1)'],
	['javascript: link after a space', ' javascript:alert(1)'],
	['javascript: link split by a tab and a newline', 'java\tscr\nipt:alert(1)'],
	['javascript: link with an entity', 'javascript&colon;alert(1)'],
	['data: link', 'data:text/html,<script>alert(1)</script>'],
	['vbscript: link', 'vbscript:msgbox(1)'],
	['web address breaking out of its attribute', 'https://shop.example-store.test/"><script>alert(1)</script>'],
	['web address with substitution tags', `https://shop.example-store.test/x?a=${ALL_TAGS}#${ALL_TAGS}`],
	['substitution tags', ALL_TAGS],
	['substitution tags and markup', `<script>alert(1)</script>${ALL_TAGS}"><img src=x onerror=alert(1)>`],
	['half tags', '{ {{ }} } {{cx_first_name'],
	['other substitution styles', '-cx_first_name- %cx_first_name% [%first_name%] -first_name- <%asm_group_unsubscribe_raw_url%>'],
	['header injection (CRLF)', 'Order\r\nBcc: victim@example.test\r\n\r\n<script>alert(1)</script>'],
	['header injection (LF)', 'Order\nSubject: pwned'],
	['unicode line separators', 'one\u2028two\u2029three\u0085four'],
	['control characters', 'a\u0000b\u0007c\u001bd\u007fe'],
	['lone high surrogate', 'x\ud800y'],
	['lone low surrogate at the end', 'x\udc00'],
];

/* ------------------------------------------------------------------------------------------------ */
/* Reading an HTML body as a mail client does                                                        */
/* ------------------------------------------------------------------------------------------------ */

const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const DOCTYPE = /<!doctype[^>]*>/gi;
/** Attributes that hold a link. */
const LINK_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'background', 'poster', 'xlink:href', 'srcset']);
/** Attributes whose value carries a value the pack fills per customer (a link, a form's token): checked as links or left alone. */
const VARYING_ATTRIBUTES = new Set(['href', 'value']);

interface Markup {
	/** Every tag as `name attr1 attr2` (attributes sorted). */
	tags: Set<string>;
	/** Every attribute value as `tag.attr=value`, but links and form values. */
	attributeValues: Set<string>;
	links: string[];
	/** Text left after the tags are taken out: a `<` here is a tag the pack did not write, or an unescaped `<`. */
	rest: string;
}

function readMarkup(html: string): Markup {
	const tags = new Set<string>();
	const attributeValues = new Set<string>();
	const links: string[] = [];
	const rest = html.replace(DOCTYPE, '').replace(TAG, (_whole, closing: string, name: string, attributes: string) => {
		const names: string[] = [];
		for (const [, attribute, double, single, bare] of attributes.matchAll(ATTRIBUTE)) {
			const key = attribute.toLowerCase();
			const value = double ?? single ?? bare ?? '';
			names.push(key);
			if (LINK_ATTRIBUTES.has(key)) links.push(decodeEntities(value));
			if (!VARYING_ATTRIBUTES.has(key)) attributeValues.add(`${name.toLowerCase()}.${key}=${value}`);
		}
		tags.add(`${closing}${name.toLowerCase()} ${names.sort().join(' ')}`.trim());
		return '';
	});
	return { tags, attributeValues, links, rest };
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n' };

/** An attribute's value as the browser reads it. */
function decodeEntities(value: string): string {
	return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, entity: string) => {
		if (entity[0] === '#') return String.fromCodePoint(entity[1].toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
		return NAMED[entity.toLowerCase()] ?? whole;
	});
}

/** A link a client may follow: http(s), or SendGrid's unsubscribe tag, or a form's own address (an empty action). */
function isSafeLink(link: string): boolean {
	// browsers drop ASCII whitespace and control characters anywhere in a scheme
	const squeezed = link.replace(/[\u0000-\u0020\u007f]/g, '');
	return /^https?:\/\//i.test(squeezed) || squeezed === '<%asm_group_unsubscribe_raw_url%>' || squeezed === '';
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const ENTITY = /&(?:lt|gt|quot|amp|#39|#96|#x27);/;
/** Tags the pack never writes (event-handler attributes and other tags are caught by comparing with the benign email). */
const DANGEROUS = /<\s*\/?\s*(?:script|img|svg|iframe|style|object|embed|base)\b/i;

/* ------------------------------------------------------------------------------------------------ */
/* The probe                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

type Kind = 'text' | 'url';

/** The fields a row reads, with their kind, found by rendering it once. */
function fieldsOf(render: (v: Values) => unknown): Map<string, Kind> {
	const fields = new Map<string, Kind>();
	const record = (kind: Kind) => (field: string, benign: string) => {
		fields.set(field, kind);
		return benign;
	};
	render({ text: record('text'), url: record('url') });
	return fields;
}

/** Values with `value` in the fields `hostile` names, the benign value elsewhere. */
function values(hostile: (field: string) => boolean, value: string): Values {
	const pick = (field: string, benign: string) => (hostile(field) ? value : benign);
	return { text: pick, url: pick };
}

const isWebAddress = (value: string) => /^https?:\/\/[^\s/]/i.test(value);

/** What is wrong with what a reader gets, against the same email with benign values; [] when nothing. */
function problems(delivered: Delivered[], baseline: Delivered[], payload: string, shownInText: boolean, urlField: boolean, refusedAddressAsText = false): string[] {
	const found: string[] = [];
	const base = readMarkup(baseline.map((email) => email.html).join(''));
	for (const email of delivered) {
		const markup = readMarkup(email.html);
		if (DANGEROUS.test(email.html)) found.push(`HTML holds markup the pack did not write: ${JSON.stringify(email.html.match(DANGEROUS)![0])}`);
		if (markup.rest.includes('<')) found.push(`HTML holds an unescaped "<": ${JSON.stringify(markup.rest.slice(Math.max(0, markup.rest.indexOf('<') - 30), markup.rest.indexOf('<') + 50))}`);
		for (const tag of markup.tags) if (!base.tags.has(tag)) found.push(`HTML holds a tag the pack did not write: <${tag}>`);
		for (const attribute of markup.attributeValues) if (!base.attributeValues.has(attribute)) found.push(`HTML holds an attribute value the pack did not write: ${attribute.slice(0, 160)}`);
		for (const link of markup.links) if (!isSafeLink(link)) found.push(`HTML links to ${JSON.stringify(link.slice(0, 120))}`);
		if (LONE_SURROGATE.test(email.html)) found.push('HTML holds a lone surrogate');
		if (email.subject !== undefined) {
			if (CONTROL.test(email.subject)) found.push(`subject holds a line break or control character: ${JSON.stringify(email.subject)}`);
			if (LONE_SURROGATE.test(email.subject)) found.push('subject holds a lone surrogate');
			if (!payload.includes('&') && ENTITY.test(email.subject)) found.push(`subject is HTML-escaped: ${JSON.stringify(email.subject)}`);
		}
		if (email.text !== undefined) {
			if (LONE_SURROGATE.test(email.text)) found.push('text part holds a lone surrogate');
			if (!payload.includes('&') && ENTITY.test(email.text) && !baseline.some((other) => ENTITY.test(other.text ?? ''))) found.push(`text part is HTML-escaped: ${JSON.stringify(email.text.match(new RegExp(`.{0,40}${ENTITY.source}.{0,40}`))![0])}`);
			// its start is enough: some fields are cut to a length or reworded (a reason's "a:b" becomes "a (b)")
			if (shownInText && !urlField && /^[<"'`]/.test(payload) && !payload.includes('{{') && !email.text.includes(payload.slice(0, 16))) found.push(`text part does not show ${JSON.stringify(payload)} as written`);
			if (urlField && !refusedAddressAsText && !isWebAddress(payload) && payload.trim() && email.text.includes(payload.trim())) found.push(`text part offers ${JSON.stringify(payload)} as a link`);
		}
	}
	return [...new Set(found)];
}

/** Renders, or what it threw; a refusal to render an email whose link is not a web address is an answer too. */
function attempt(render: () => Delivered[]): Delivered[] | Error {
	try {
		return render();
	} catch (error) {
		return error as Error;
	}
}

describe.each(PATHS.map((path) => [path.name, path] as const))('%s', (_name, path) => {
	const fields = fieldsOf(path.render);
	const baseline = path.render(values(() => false, ''));
	const marker = (field: string) => `Zq${field}qZ`;
	/** Fields the text part shows: a marker put in the field appears there. */
	const shown = new Set(
		[...fields]
			.filter(([field, kind]) => {
				const delivered = kind === 'text' ? attempt(() => path.render(values((name) => name === field, marker(field)))) : [];
				return !(delivered instanceof Error) && delivered.some((email) => (email.text ?? '').includes(marker(field)));
			})
			.map(([field]) => field),
	);

	it('reads customer or store text from at least one field', () => {
		expect(fields.size).toBeGreaterThan(0);
		expect(baseline.length).toBeGreaterThan(0);
	});

	it.each(HOSTILE)('%s, in each field alone and in all at once', (_label, payload) => {
		const report: string[] = [];
		/** Each field alone; every field ('*'); every text field, the links benign ('text*'). */
		const hostile = (target: string) => (field: string) => target === field || target === '*' || (target === 'text*' && fields.get(field) === 'text');
		for (const target of [...fields.keys(), '*', 'text*']) {
			const urlField = fields.get(target) === 'url';
			const delivered = attempt(() => path.render(values(hostile(target), payload)));
			if (delivered instanceof Error) {
				// an email whose link would not be a web address may be refused
				const linkRefused = [...fields].some(([field, kind]) => kind === 'url' && hostile(target)(field)) && !isWebAddress(payload.trim());
				if (!linkRefused) report.push(`${target}: render threw ${delivered.message}`);
				continue;
			}
			for (const problem of problems(delivered, baseline, payload, shown.has(target), urlField, path.showsRefusedAddresses)) report.push(`${target}: ${problem}`);
		}
		expect(report).toEqual([]);
	});
});

describe.each(TEMPLATE_DATA.map((row) => [row.name, row] as const))('dynamic template data: %s', (_name, row) => {
	const fields = fieldsOf(row.data);
	/** Values a template may put in a subject line. */
	const ONE_LINE = ['first_name', 'order_name', 'store_name', 'discount_code', 'code_expires_at', 'promised_date', 'expected_date', 'subject'];

	it.each(HOSTILE)('%s, in each field alone and in all at once', (_label, payload) => {
		const report: string[] = [];
		for (const target of [...fields.keys(), '*']) {
			const data = row.data(values((field) => target === '*' || field === target, payload));
			for (const [key, value] of Object.entries(data)) {
				if (typeof value !== 'string') continue;
				if (/link|url/.test(key) && value && !/^https?:\/\//i.test(value)) report.push(`${target}: ${key} is ${JSON.stringify(value)}, not a web address`);
				if (ONE_LINE.includes(key) && CONTROL.test(value)) report.push(`${target}: ${key} holds a line break or control character: ${JSON.stringify(value)}`);
				if (LONE_SURROGATE.test(value)) report.push(`${target}: ${key} holds a lone surrogate`);
				// Handlebars escapes {{value}}: a value escaped here would show its entities
				if (!payload.includes('&') && ENTITY.test(value)) report.push(`${target}: ${key} is HTML-escaped: ${JSON.stringify(value)}`);
			}
		}
		expect(report).toEqual([]);
	});
});

describe('the shared email kit', () => {
	it('links only http(s) addresses, as the URL parser reads them, with no substitution tag left in them', () => {
		for (const refused of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', '\u0000javascript:alert(1)', 'data:text/html,x', 'vbscript:x', '//evil.test/x', 'https://', 'shop.example-store.test', '', undefined, null]) {
			expect(safeLink(refused)).toBeUndefined();
		}
		expect(safeLink('  HTTPS://Shop.Example-Store.test/a b?q="x"&r=<y>  ')).toBe('https://shop.example-store.test/a%20b?q=%22x%22&r=%3Cy%3E');
		expect(safeLink('https://shop.example-store.test/{{cx_first_name}}?a={{cx_order}}#{{cx_token}}')).toBe('https://shop.example-store.test/%7B%7Bcx_first_name%7D%7D?a=%7B%7Bcx_order%7D%7D#%7B%7Bcx_token%7D%7D');
	});

	it('escapes every character that means something in HTML, and replaces a lone surrogate', () => {
		expect(escapeHtml(`<a href="x" onclick='y'>\`&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&#96;&amp;&lt;/a&gt;');
		expect(escapeHtml('x\ud800y\udc00 \ud83d\ude00')).toBe('x\ufffdy\ufffd \ud83d\ude00');
	});

	it('makes text one line or tidy lines, well-formed, and keeps tags out of bodies SendGrid fills in', () => {
		expect(oneLine('a\r\nBcc: x\u2028y\u0085z\ud800')).toBe('a Bcc: x y z\ufffd');
		expect(multiLine('a\r\nb\u0000c\udc00')).toBe('a\nb c\ufffd');
		expect(untagged('{{cx_first_name}} {{{x}}}')).toBe('{ {cx_first_name} } { {{x} }}');
		expect(untagged('{{{x}}}')).not.toMatch(/\{\{x\}\}/);
	});
});

/** Triage: each ticket read, enriched from Shopify in one batch, decided, stored once and acknowledged once; escalations and the work queue out. */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { InputProblem } from '../../shared/items';
import { readNow, readTimeZone, readWholeNumberOption } from '../../shared/n8n/options';
import { moneyToDecimal } from '../../shared/money';
import { INPUT_LIMITS } from '../../shared/policy';
import { readCustomerCacheMinutes, readEscalationRules, readTierPolicy } from '../../shared/n8n/policyOptions';
import { SendGridService } from '../../shared/services/sendgrid';
import { ShopifyService } from '../../shared/services/shopify/client';
import { profileFor } from '../../shared/services/shopify/customers';
import { profilesThroughCache } from '../../shared/store/customerContext';
import { findOrder, ordersByReference } from '../../shared/services/shopify/orders';
import { SupabaseService } from '../../shared/services/supabase';
import { readBusinessHours } from '../../shared/n8n/businessHours';
import type { AcknowledgementFacts, AcknowledgementStore } from '../acknowledgementEmail';
import { acknowledgeTickets, type AcknowledgementOutcome, type ToAcknowledge } from '../acknowledgementRun';
import { FIELD_DEFAULTS, tryReadTicket, type FieldNames } from '../../shared/ticketInput';
import { ticketRow } from '../ticketRow';
import { DEFAULT_TRIAGE_POLICY, triageTicket, type TriageDecision, type TriagePolicy } from '../triage';
import { triageModel } from '../triageModel';
import type { Ticket } from '../../shared/contract/ticket';
import type { CustomerProfile } from '../../shared/contract/customer';
import { storedTicketTimes, TICKETS_KEY, TICKETS_TABLE } from '../../shared/store/tickets';
import { failureSink } from '../../shared/n8n/errorItems';
import { DELAY_POLICY } from '../../shared/policy';
import { isValidTimeZone } from '../../shared/time';
import { asksOrderStatus } from '../wismo';
import { answerOrderStatus, type ToAnswer, type WismoOutcome, type WismoReport, type WismoSettings } from '../wismoRun';

const ESCALATE = 0;
const QUEUE = 1;

export async function triageTickets(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const fields = { ...FIELD_DEFAULTS, ...(this.getNodeParameter('fields', 0, {}) as Partial<FieldNames>) };
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const policy = readPolicy.call(this, options);
	const model = (options.classifier ?? 'learned') === 'learned' ? triageModel() : undefined;
	const maxBodyLength = readWholeNumberOption(this, 'Max Body Length', options.maxBodyLength, INPUT_LIMITS.maxBodyLength, 1);
	const cacheMinutes = readCustomerCacheMinutes(this, options);
	const storeTickets = this.getNodeParameter('storeInSupabase', 0, false) as boolean;
	const acknowledgement = readAcknowledgement.call(this, storeTickets, policy);
	const wismoSettings = readWismo.call(this, acknowledgement, policy);
	const outputs: INodeExecutionData[][] = [[], []];

	const fail = failureSink(this, outputs[QUEUE]);

	const tickets: Array<{ itemIndex: number; ticket: Ticket }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const read = tryReadTicket(items[itemIndex].json, fields, maxBodyLength, now);
		if (read instanceof InputProblem) {
			fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${read.message}`, { itemIndex, description: read.fix }));
		} else {
			tickets.push({ itemIndex, ticket: read });
		}
	}

	try {
		const enrich = this.getNodeParameter('enrichFromShopify', 0, false) as boolean;
		const shopify = enrich ? await ShopifyService.connect(this) : undefined;
		let supabase: SupabaseService | undefined = storeTickets && tickets.length ? await SupabaseService.connect(this) : undefined;
		const profiles = shopify
			? await profilesThroughCache(shopify, supabase, tickets.map(({ ticket }) => ticket), now, cacheMinutes)
			: new Map<string, CustomerProfile>();
		// a ticket that names an order without its total is judged on the order's total in Shopify, so the same ticket
		// escalates the same way on every path (CX VIP Escalation reads the total the same way)
		const unpriced = tickets.filter(({ ticket }) => ticket.orderId && !ticket.orderValue);
		if (shopify && unpriced.length) {
			const orders = await ordersByReference(shopify, unpriced.map(({ ticket }) => ticket.orderId!));
			for (const entry of unpriced) {
				const order = findOrder(orders, entry.ticket.orderId);
				if (order) entry.ticket = { ...entry.ticket, orderValue: order.total };
			}
		}

		// a ticket's clock starts when it was first seen: a ticket posted again without its created time keeps the
		// stored one, and with it its due times. Once helpdesk events tell a ticket's life (Record Helpdesk Events),
		// its status and waiting clock are theirs: a replayed item's status would undo a solve or a pause.
		let existing = new Set<string>();
		if (supabase) {
			const stored = await storedTicketTimes(supabase, tickets.map(({ ticket }) => ticket.ticketId));
			existing = new Set(stored.keys());
			for (const entry of tickets) {
				const row = stored.get(entry.ticket.ticketId);
				if (!row) continue;
				if (!entry.ticket.createdAt && row.createdAt) entry.ticket = { ...entry.ticket, createdAt: row.createdAt };
				if (row.followsEvents) entry.ticket = withoutLifecycle(entry.ticket);
			}
		}

		const decisions = tickets.map(({ itemIndex, ticket }) => {
			const profile = profileFor(profiles, ticket);
			return { itemIndex, ticket, profile, decision: triageTicket(ticket, profile, policy, now, model) };
		});

		let stored: Map<string, 'inserted' | 'updated'> | undefined;
		// a ticket given twice in one run is stored once, from its last item: the earlier items say so
		const lastItemOf = new Map(decisions.map(({ itemIndex, ticket }) => [ticket.ticketId, itemIndex]));
		let acknowledged: Map<string, AcknowledgementOutcome> | undefined;
		let wismo: WismoReport | undefined;
		if (supabase && decisions.length) {
			const ids = decisions.map(({ ticket }) => ticket.ticketId);
			for (const rows of byColumns(dedupeByTicket(decisions).map(({ ticket, decision }) => ticketRow(ticket, decision, now)))) {
				await supabase.upsert(TICKETS_TABLE, rows, TICKETS_KEY);
			}
			stored = new Map(ids.map((id) => [id, existing.has(id) ? 'updated' : 'inserted']));
		}
		// "where is my order": answered from Shopify before the plain acknowledgement, which it replaces
		if (wismoSettings && shopify) {
			const asking = dedupeByTicket(decisions).filter(({ decision }) => asksOrderStatus(decision.triage.intent));
			if (asking.length) {
				const sendgrid = wismoSettings.mode === 'email' ? await SendGridService.connect(this) : undefined;
				wismo = await answerOrderStatus(this, { shopify, ...(supabase ? { supabase } : {}), ...(sendgrid ? { sendgrid } : {}) }, wismoSettings, asking.map(toAnswer), now);
			}
		}
		if (supabase && decisions.length && acknowledgement) {
			const replaced = (ticketId: string) => replacedAcknowledgement(wismo?.outcomes.get(ticketId));
			acknowledged = await acknowledge.call(this, supabase, acknowledgement, dedupeByTicket(decisions).filter(({ ticket }) => !replaced(ticket.ticketId)), now);
			for (const { ticket } of decisions) {
				const reason = replaced(ticket.ticketId);
				if (reason) acknowledged.set(ticket.ticketId, { status: 'skipped', reason });
			}
		}
		if (wismo?.stopped && !this.continueOnFail()) throw wismoStopped.call(this, wismo, decisions);

		for (const { itemIndex, ticket, decision } of decisions) {
			outputs[decision.triage.escalate ? ESCALATE : QUEUE].push({
				json: {
					...decision.request,
					triage: decision.triage,
					ticket: ticketJson(ticket),
					...(stored
						? {
								stored:
									lastItemOf.get(ticket.ticketId) === itemIndex
										? { table: TICKETS_TABLE, action: stored.get(ticket.ticketId) }
										: { table: TICKETS_TABLE, action: 'superseded', storedFromItem: lastItemOf.get(ticket.ticketId) },
							}
						: {}),
					...(acknowledged ? { acknowledgement: acknowledgementJson(acknowledged.get(ticket.ticketId)) } : {}),
					...(wismo?.outcomes.has(ticket.ticketId) ? { orderStatus: wismoJson(wismo.outcomes.get(ticket.ticketId)!) } : {}),
				} as unknown as IDataObject,
				pairedItem: { item: itemIndex },
			});
		}
	} catch (error) {
		// a service failure touches every ticket of the run: under Continue On Fail each becomes an error item
		const failure =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error as Error);
		if (!this.continueOnFail()) throw failure;
		for (const { itemIndex } of tickets) fail(itemIndex, failure);
	}
	return outputs;
}

function readPolicy(this: IExecuteFunctions, options: IDataObject): TriagePolicy {
	return { ...DEFAULT_TRIAGE_POLICY, businessHours: readBusinessHours(this, options), tiers: readTierPolicy(options), escalation: readEscalationRules(options) };
}

/** The acknowledgement's settings when Acknowledge Customer is on; it needs the ticket rows to keep its once-per-ticket claim. */
function readAcknowledgement(this: IExecuteFunctions, storeTickets: boolean, policy: TriagePolicy): AcknowledgementStore | undefined {
	if (!(this.getNodeParameter('acknowledgeCustomer', 0, false) as boolean)) return undefined;
	if (!storeTickets) {
		throw new NodeOperationError(this.getNode(), 'Acknowledge Customer needs Store in Supabase', {
			description: 'Turn on "Store in Supabase": the ticket\'s row records the acknowledgement, so each customer hears once per ticket.',
		});
	}
	const given = this.getNodeParameter('acknowledgementOptions', 0, {}) as IDataObject;
	const timeZone = readTimeZone(this, 'Time Zone for Emails', given.timeZone, policy.businessHours?.timeZone);
	return { timeZone, ...(given.storeName ? { storeName: String(given.storeName) } : {}) };
}

/**
 * The "where is my order" settings when it is on. It reads Shopify (Enrich From Shopify); emailing it takes the
 * acknowledgement's place and its once-per-ticket claim, so it needs Acknowledge Customer.
 */
function readWismo(this: IExecuteFunctions, acknowledgement: AcknowledgementStore | undefined, policy: TriagePolicy): WismoSettings | undefined {
	const mode = this.getNodeParameter('orderStatusAnswer', 0, 'off') as string;
	if (mode !== 'email' && mode !== 'draft') return undefined;
	if (!(this.getNodeParameter('enrichFromShopify', 0, false) as boolean)) {
		throw new NodeOperationError(this.getNode(), 'Answer "Where Is My Order" needs Enrich From Shopify', {
			description: 'Turn on "Enrich From Shopify": the answer is the order\'s live status in Shopify.',
		});
	}
	if (mode === 'email' && !acknowledgement) {
		throw new NodeOperationError(this.getNode(), 'Emailing the order status needs Acknowledge Customer', {
			description: 'Turn on "Acknowledge Customer" (with Store in Supabase): the answer goes out in place of the acknowledgement, once per ticket. Or choose "Draft for an Agent".',
		});
	}
	const given = this.getNodeParameter('orderStatusOptions', 0, {}) as IDataObject;
	const days = (name: string, fallback: number) => {
		const value = given[name] === undefined || given[name] === '' ? fallback : Number(given[name]);
		if (!Number.isInteger(value) || value < 0 || value > 365) {
			throw new NodeOperationError(this.getNode(), `Order Status Options: ${name} must be a whole number of days from 0 to 365`, { description: `It is ${String(given[name])}.` });
		}
		return value;
	};
	const zone = String(given.timeZone ?? '').trim() || acknowledgement?.timeZone || policy.businessHours?.timeZone || DELAY_POLICY.timeZone;
	if (!isValidTimeZone(zone)) {
		throw new NodeOperationError(this.getNode(), `Order Status Options: "${zone}" is not a time zone`, { description: 'Give an IANA time zone such as Europe/Berlin.' });
	}
	const storeName = String(given.storeName ?? '').trim() || acknowledgement?.storeName;
	return {
		mode,
		store: { timeZone: zone, ...(storeName ? { storeName } : {}) },
		promise: {
			productionBusinessDays: days('productionBusinessDays', DELAY_POLICY.productionBusinessDays),
			transitDays: days('transitDays', DELAY_POLICY.transitDays),
			calendar: { timeZone: zone, days: [...DELAY_POLICY.workingDays], holidays: [...(policy.businessHours?.holidays ?? DELAY_POLICY.holidays)] },
		},
	};
}

function toAnswer({ ticket, profile, decision }: { ticket: Ticket; profile?: CustomerProfile; decision: TriageDecision }): ToAnswer {
	const email = ticket.customerEmail ?? profile?.email;
	const firstName = profile?.firstName;
	return {
		ticketId: ticket.ticketId,
		text: `${ticket.subject}\n${ticket.body}`,
		...(ticket.orderId ? { orderId: ticket.orderId } : {}),
		...(email ? { email } : {}),
		...(firstName ? { firstName } : {}),
		customerIds: [...new Set([ticket.customerId, profile?.customerId].filter((id): id is string => !!id))],
		firstResponseOverdue: decision.triage.sla.firstResponseOverdue,
	};
}

/**
 * Why the plain acknowledgement is not sent because the order status took its place (sent, or held by its claim),
 * or will (refused now, sent by the next triage); undefined when the acknowledgement goes out as before: a ticket a
 * person answers, a drafted one, or one the acknowledgement skips for its own reason (answered, closed).
 */
function replacedAcknowledgement(outcome: WismoOutcome | undefined): string | undefined {
	if (!outcome) return undefined;
	if (['sent', 'unconfirmed', 'already_acknowledged'].includes(outcome.status)) return 'answered_with_order_status';
	if (outcome.status === 'failed' || outcome.status === 'not_sent') return 'order_status_goes_out_instead';
	return undefined;
}

function wismoStopped(this: IExecuteFunctions, report: WismoReport, decisions: Array<{ itemIndex: number; ticket: Ticket }>): NodeApiError {
	const held = decisions.filter(({ ticket }) => ['failed', 'unconfirmed', 'not_sent'].includes(report.outcomes.get(ticket.ticketId)?.status ?? ''));
	const [first] = held;
	const stopped = report.stopped!;
	return new NodeApiError(this.getNode(), { message: stopped.message } as JsonObject, {
		message: `Ticket ${first?.ticket.ticketId ?? ''}: the order status was not sent: ${stopped.message}`,
		description: `${stopped.description ?? ''} The tickets are triaged and stored; order statuses not sent go out when the tickets are triaged again, and none twice.`.trim(),
		...(first ? { itemIndex: first.itemIndex } : {}),
		...(stopped.httpCode ? { httpCode: stopped.httpCode } : {}),
	});
}

function wismoJson(outcome: WismoOutcome): IDataObject {
	const { answer } = outcome;
	return {
		status: outcome.status,
		...(outcome.reason ? { reason: outcome.reason } : {}),
		...(outcome.status === 'to_person' ? { route: 'queue', note: 'The order could not be identified: a person answers.' } : {}),
		...(outcome.candidates ? { candidates: outcome.candidates } : {}),
		...(outcome.identifiedBy ? { identifiedBy: outcome.identifiedBy } : {}),
		...(answer ? { order: answer as unknown as IDataObject } : {}),
		...(outcome.to ? { to: outcome.to } : {}),
		...(outcome.messageId ? { messageId: outcome.messageId } : {}),
		...(outcome.answeredAt ? { answeredAt: outcome.answeredAt } : {}),
		...(outcome.draft ? { draft: outcome.draft } : {}),
		...(outcome.error ? { error: outcome.error.message } : {}),
		...(outcome.status === 'unconfirmed'
			? { note: 'SendGrid\'s answer was unclear, so the order status is not sent again: check SendGrid\'s activity for category cx-order-status.' }
			: outcome.status === 'failed' || outcome.status === 'not_sent'
				? { note: 'Not sent; it goes out when the ticket is triaged again.' }
				: {}),
	};
}

/**
 * Emails each stored ticket's customer the SLA promise, once per ticket. Tickets without an email address, and
 * tickets whose first reply is already due (a backlog import: no promise in the past), are skipped with the reason.
 */
async function acknowledge(
	this: IExecuteFunctions,
	supabase: SupabaseService,
	settings: AcknowledgementStore,
	decisions: Array<{ itemIndex: number; ticket: Ticket; profile?: CustomerProfile; decision: TriageDecision }>,
	now: Date,
): Promise<Map<string, AcknowledgementOutcome>> {
	const outcomes = new Map<string, AcknowledgementOutcome>();
	const toAcknowledge: Array<ToAcknowledge & { itemIndex: number }> = [];
	for (const { itemIndex, ticket, profile, decision } of decisions) {
		const { sla } = decision.triage;
		const facts: AcknowledgementFacts = {
			ticketId: ticket.ticketId,
			subject: ticket.subject,
			...(profile?.firstName ? { firstName: profile.firstName } : {}),
			firstResponseDueAt: sla.firstResponseDueAt,
			firstResponseMinutes: sla.firstResponseMinutes,
			clock: sla.clock,
		};
		const email = ticket.customerEmail ?? profile?.email;
		if (!email) outcomes.set(ticket.ticketId, { status: 'skipped', reason: 'no_customer_email' });
		else if (sla.firstResponseOverdue) outcomes.set(ticket.ticketId, { status: 'skipped', to: email, promisedBy: sla.firstResponseDueAt, reason: 'first_response_already_due' });
		else toAcknowledge.push({ itemIndex, ticketId: ticket.ticketId, email, facts });
	}
	if (!toAcknowledge.length) return outcomes;
	const report = await acknowledgeTickets(this, { supabase, sendgrid: await SendGridService.connect(this) }, settings, toAcknowledge, now);
	for (const [ticketId, outcome] of report.outcomes) outcomes.set(ticketId, outcome);
	if (report.stopped && !this.continueOnFail()) {
		const held = toAcknowledge.filter(({ ticketId }) => ['failed', 'unconfirmed', 'not_sent'].includes(outcomes.get(ticketId)?.status ?? ''));
		const [first] = held;
		throw new NodeApiError(this.getNode(), { message: report.stopped.message } as JsonObject, {
			message: `Ticket ${first?.ticketId ?? ''}: the customer's acknowledgement was not sent: ${report.stopped.message}`,
			description: `${report.stopped.description ?? ''} The tickets are triaged and stored; ${held.length} acknowledgement(s) not sent go out when the tickets are triaged again, and none twice.`.trim(),
			...(first ? { itemIndex: first.itemIndex } : {}),
			...(report.stopped.httpCode ? { httpCode: report.stopped.httpCode } : {}),
		});
	}
	return outcomes;
}

function acknowledgementJson(outcome: AcknowledgementOutcome | undefined): IDataObject {
	if (!outcome) return { status: 'skipped', reason: 'not_triaged' };
	return {
		status: outcome.status,
		to: outcome.to ?? null,
		promisedBy: outcome.promisedBy ?? null,
		...(outcome.promise ? { promise: outcome.promise } : {}),
		...(outcome.messageId ? { messageId: outcome.messageId } : {}),
		...(outcome.acknowledgedAt ? { acknowledgedAt: outcome.acknowledgedAt } : {}),
		...(outcome.reason ? { reason: outcome.reason } : {}),
		...(outcome.error ? { error: outcome.error.message } : {}),
		...(outcome.status === 'unconfirmed'
			? { note: 'SendGrid\'s answer was unclear, so the acknowledgement is not sent again: check SendGrid\'s activity for category cx-acknowledgement.' }
			: outcome.status === 'failed' || outcome.status === 'not_sent'
				? { note: 'Not sent; it goes out when the ticket is triaged again.' }
				: {}),
	};
}

/**
 * Rows grouped by the columns they carry: an upsert gives the columns a row leaves out their defaults, so a row
 * without a status (the source did not say) must not share a request with one that has it.
 */
function byColumns(rows: Array<Record<string, unknown>>): Array<Array<Record<string, unknown>>> {
	const groups = new Map<string, Array<Record<string, unknown>>>();
	for (const row of rows) {
		const key = Object.keys(row).sort().join(',');
		groups.set(key, [...(groups.get(key) ?? []), row]);
	}
	return [...groups.values()];
}

/** One row per ticket ID: the same ticket twice in one run would make Postgres refuse the whole upsert. */
function dedupeByTicket<T extends { ticket: Ticket }>(decisions: T[]): T[] {
	return [...new Map(decisions.map((entry) => [entry.ticket.ticketId, entry])).values()];
}

function ticketJson(ticket: Ticket): IDataObject {
	return {
		id: ticket.ticketId,
		subject: ticket.subject,
		body: ticket.body,
		channel: ticket.channel,
		customer_email: ticket.customerEmail ?? null,
		customer_id: ticket.customerId ?? null,
		order_id: ticket.orderId ?? null,
		order_value: ticket.orderValue ? moneyToDecimal(ticket.orderValue) : null,
		currency: ticket.orderValue?.currency ?? null,
		created_at: ticket.createdAt?.toISOString() ?? null,
	};
}

/** A ticket without the status and waiting clock its item carried: the stored, event-folded ones stay. */
function withoutLifecycle(ticket: Ticket): Ticket {
	const { status: _status, pausedSince: _pausedSince, pausedSeconds: _pausedSeconds, ...rest } = ticket;
	return rest;
}

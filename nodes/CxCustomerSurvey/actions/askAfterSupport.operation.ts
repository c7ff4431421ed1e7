/**
 * Ask After Support: the tickets solved since the latest solve asked about (Supabase `tickets`), planned,
 * recorded and mailed once each: one CSAT question about the help, tied to the ticket and its agent.
 */
import { NodeApiError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { customerGid } from '../../shared/contract/customer';
import { SendGridService } from '../../shared/services/sendgrid';
import { SupabaseService, type Row } from '../../shared/services/supabase';
import { latestSolveAsked } from '../../shared/store/surveyInvites';
import { solvedTicketsBetween } from '../../shared/store/tickets';
import { readWholeNumberOption, readNow } from '../../shared/n8n/options';
import { failureSink } from '../../shared/n8n/errorItems';
import { invitesForTickets, knownInvite, recordTicketInvites, sendInvites, type ToSurvey } from '../sendSurveys';
import { DEFAULT_TICKET_SURVEY_POLICY, planTicketSurveys, solveWindow, type SolvedTicket, type TicketSurveyDecision, type TicketSurveyPolicy } from '../ticketSurvey';
import { outcomeJson, readSettings } from './sendSurveys.operation';

const SURVEYED = 0;
const SUMMARY = 1;

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : undefined);

/** A row of `tickets` as the decision reads it. */
export function solvedTicketFromRow(row: Row): SolvedTicket {
	const tags = Array.isArray(row.tags) ? row.tags.filter((tag): tag is string => typeof tag === 'string') : [];
	const optional: Partial<SolvedTicket> = {};
	const put = <K extends keyof SolvedTicket>(key: K, value: SolvedTicket[K] | undefined) => {
		if (value !== undefined) optional[key] = value;
	};
	put('resolvedAt', text(row.resolved_at));
	// Shopify's numbers as GIDs, as the post-purchase survey stores them: one customer, one throttle
	const customerId = text(row.customer_id);
	put('customerId', customerId ? customerGid(customerId) ?? customerId : undefined);
	put('email', text(row.customer_email));
	put('subject', text(row.subject));
	put('agent', text(row.assignee));
	put('orderId', text(row.order_id));
	put('tier', text(row.tier));
	put('channel', text(row.channel));
	return { ticketId: String(row.external_id), status: String(row.status ?? ''), tags, ...optional };
}

function readPolicy(this: IExecuteFunctions, options: IDataObject): TicketSurveyPolicy {
	return {
		hoursAfterSolve: readWholeNumberOption(this, 'hoursAfterSolve', options.hoursAfterSolve, DEFAULT_TICKET_SURVEY_POLICY.hoursAfterSolve, 0),
		catchUpDays: readWholeNumberOption(this, 'catchUpDays', options.catchUpDays, DEFAULT_TICKET_SURVEY_POLICY.catchUpDays, 1),
		throttleDays: readWholeNumberOption(this, 'throttleDays', options.throttleDays, DEFAULT_TICKET_SURVEY_POLICY.throttleDays, 0),
		skipTags: String(options.skipTags ?? '').split(',').map((tag) => tag.trim()).filter(Boolean),
	};
}

export async function askAfterSupport(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const options = this.getNodeParameter('supportOptions', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const policy = readPolicy.call(this, options);
	// the question after support is always CSAT (1-5), about the help the customer got
	const settings = { ...readSettings.call(this, options), type: 'csat' as const, about: 'ticket' as const };
	const outputs: INodeExecutionData[][] = [[], []];
	const fail = failureSink(this, outputs[SURVEYED]);

	const supabase = await SupabaseService.connect(this);
	// catch up from the latest solve asked about: a run missed for longer than Catch-Up Days loses no ticket
	const lastAsked = await latestSolveAsked(supabase, now);
	const window = solveWindow(now, policy, lastAsked);
	const tickets = (await solvedTicketsBetween(supabase, window.from, window.to)).map(solvedTicketFromRow);
	const invites = tickets.length ? (await invitesForTickets(supabase, tickets)).map(knownInvite) : [];
	const { decisions, summary } = planTicketSurveys(tickets, invites, policy, now, lastAsked);
	const toSurvey: ToSurvey[] = decisions
		.filter((decision) => decision.survey)
		.map((decision) => ({
			itemIndex: 0,
			ticket: decision.ticket,
			decision,
			order: { orderId: '', ...(decision.ticket.customerId ? { customerId: decision.ticket.customerId } : {}), ...(decision.ticket.email ? { email: decision.ticket.email } : {}), ...(decision.ticket.firstName ? { firstName: decision.ticket.firstName } : {}), marketingConsent: decision.ticket.marketingConsent ?? 'NOT_SUBSCRIBED' },
		}));

	const counts = { sent: 0, unconfirmed: 0, failed: 0 };
	if (toSurvey.length) {
		const services = { supabase, sendgrid: await SendGridService.connect(this) };
		// the ledger first: nobody is mailed who is not written down with their token
		const ledger = await recordTicketInvites(supabase, toSurvey, now);
		for (const outcome of await sendInvites(this, services, settings, toSurvey, ledger, now)) {
			counts[outcome.status]++;
			const ticket = outcome.entry.ticket!;
			if (outcome.error) {
				const after = outcome.status === 'failed'
					? 'The invitation stays pending in survey_invites; the next run sends it, once.'
					: 'SendGrid may have accepted it: the invitation stays "sending" and is never sent again. Check SendGrid\'s activity for custom argument cx_survey.';
				fail(0, new NodeApiError(this.getNode(), { message: outcome.error.message }, {
					message: `Ticket ${ticket.ticketId}: ${outcome.error.message}`,
					description: `${outcome.error.description ?? ''} ${after}`.trim(),
					itemIndex: 0,
				}));
				continue;
			}
			outputs[SURVEYED].push({ json: ticketJson(ticket, outcome.entry.decision as TicketSurveyDecision, outcomeJson(outcome, 'csat')), pairedItem: { item: 0 } });
		}
	}

	outputs[SUMMARY].push({
		json: {
			survey: 'csat',
			about: 'ticket',
			solvedFrom: window.from.toISOString(),
			solvedTo: window.to.toISOString(),
			...(window.catchUp ? { caughtUpFrom: lastAsked!.toISOString() } : {}),
			tickets: summary.tickets,
			solvedInWindow: summary.solvedInWindow,
			toSurvey: summary.toSurvey,
			...counts,
			skipped: summary.skipped,
			skippedTotal: Object.values(summary.skipped).reduce((sum, count) => sum + count, 0),
			consent: 'notOptedOut',
		} as unknown as IDataObject,
		pairedItem: { item: 0 },
	});
	return outputs;
}

function ticketJson(ticket: SolvedTicket, decision: TicketSurveyDecision, extra: IDataObject): IDataObject {
	return {
		ticket_id: ticket.ticketId,
		agent: ticket.agent ?? null,
		customer_id: ticket.customerId ?? null,
		email: ticket.email ?? null,
		subject: ticket.subject ?? null,
		resolved_at: ticket.resolvedAt ?? null,
		order_id: ticket.orderId ?? null,
		tier: ticket.tier ?? null,
		survey: { ...extra, reasons: decision.reasons },
	};
}

/**
 * Settle Acknowledgements: for a schedule (the SLA breach sweep's template runs it every 15 minutes). Open tickets
 * whose acknowledgement a run claimed and never settled (n8n stopped, a worker died, SendGrid answered unclearly)
 * are judged by SendGrid's Email Activity once the claim is 10 minutes old: sent, recorded with SendGrid's message
 * id; not sent, sent now (acknowledgementRun.ts takes the claim over); unknown, reported unconfirmed with why.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { ACTIVITY_SETTLES_MS } from '../../shared/ledger';
import { readNow } from '../../shared/n8n/options';
import { SendGridService } from '../../shared/services/sendgrid';
import type { Row } from '../../shared/services/supabase';
import { SupabaseService } from '../../shared/services/supabase';
import { leftAcknowledgements } from '../../shared/store/tickets';
import type { AcknowledgementFacts } from '../acknowledgementEmail';
import { acknowledgeTickets, type ToAcknowledge } from '../acknowledgementRun';

/** The acknowledgement's facts as the ticket's row keeps them (its subject, and the triage's SLA). */
function factsOf(row: Row): AcknowledgementFacts | undefined {
	const sla = ((row.triage ?? {}) as { sla?: { firstResponseMinutes?: unknown; clock?: unknown } }).sla;
	if (!row.first_response_due_at || typeof sla?.firstResponseMinutes !== 'number') return undefined;
	return {
		ticketId: String(row.external_id),
		subject: typeof row.subject === 'string' ? row.subject : '',
		firstResponseDueAt: new Date(String(row.first_response_due_at)).toISOString(),
		firstResponseMinutes: sla.firstResponseMinutes,
		clock: sla.clock === 'business_hours' ? 'business_hours' : 'calendar',
	};
}

export async function settleAcknowledgements(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const options = this.getNodeParameter('settleOptions', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const supabase = await SupabaseService.connect(this);
	const rows = await leftAcknowledgements(supabase, new Date(now.getTime() - ACTIVITY_SETTLES_MS));
	const output: INodeExecutionData[] = [];
	const tickets: ToAcknowledge[] = [];
	for (const row of rows) {
		const facts = factsOf(row);
		const ticket = { id: String(row.external_id) };
		if (!row.customer_email || !facts) output.push({ json: { ticket, acknowledgement: { status: 'skipped', reason: row.customer_email ? 'no_sla_recorded' : 'no_customer_email' } }, pairedItem: { item: 0 } });
		else tickets.push({ ticketId: ticket.id, email: String(row.customer_email), facts });
	}
	if (tickets.length) {
		const sendgrid = await SendGridService.connect(this);
		const store = { ...(options.storeName ? { storeName: String(options.storeName) } : {}), ...(options.timeZone ? { timeZone: String(options.timeZone) } : {}) };
		const report = await acknowledgeTickets(this, { supabase, sendgrid }, store, tickets, now);
		for (const ticket of tickets) {
			const outcome = report.outcomes.get(ticket.ticketId);
			if (!outcome) throw new NodeOperationError(this.getNode(), `Ticket ${ticket.ticketId}: no outcome`);
			const { error, ...rest } = outcome;
			output.push({ json: { ticket: { id: ticket.ticketId }, acknowledgement: { ...rest, ...(error ? { error: error.message } : {}) } as IDataObject }, pairedItem: { item: 0 } });
		}
	}
	return [output];
}

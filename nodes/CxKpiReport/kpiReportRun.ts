/**
 * Storing and sending one weekly report, once per week. The row in Supabase `kpi_reports` (unique per
 * period) is written before anything is sent and read back; a row that already has a message id or a send
 * time was mailed by an earlier run and is not mailed again. After SendGrid accepts the email the row gets
 * its message id, recipients, and the report and HTML as sent. A send that fails leaves the row without a
 * message id, so the next run of the week sends it: for a report to the store's own manager, a second copy
 * after an unclear SendGrid answer is better than a missing week.
 */
import { afterSendFailure, claimRows, newClaim, released, settleClaim, type ClaimColumns } from '../shared/ledger';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import type { SendGridService } from '../shared/services/sendgrid';
import type { Row, SupabaseService } from '../shared/services/supabase';
import type { MetricsReport } from '../shared/contract/metricsReport';
import { kpiReportTemplateData, renderKpiReportEmail, type KpiReportEmailOptions, type RenderedReport } from './kpiReportEmail';
import { KPI_REPORTS_KEY, KPI_REPORTS_TABLE } from '../shared/store/kpiReports';

/** SendGrid category of the report email: how a store finds it in SendGrid's activity feed. */
export const CATEGORY = 'cx-kpi-report';

export interface ReportSettings {
	recipients: string[];
	storeName?: string;
	templateId?: string;
	timeZone: string;
}

export interface ReportServices {
	supabase?: SupabaseService;
	sendgrid?: SendGridService;
}

/** sent: mailed now; already_sent: mailed by an earlier run of this week; stored: kept, not mailed; rendered: neither. */
/** unconfirmed: an earlier send of the week got an unclear answer from SendGrid (or a run at the same time holds it); not mailed again. */
export type ReportStatus = 'sent' | 'already_sent' | 'stored' | 'rendered' | 'unconfirmed';

export interface ReportOutcome {
	/** The kpi_reports row's id; null when not stored. */
	id: string | null;
	period: { start: string; end: string };
	previousPeriod: { start: string; end: string };
	status: ReportStatus;
	subject: string;
	sentTo: string[];
	messageId: string | null;
	stored: boolean;
	kpisMet: number;
	kpisMissed: number;
	alerts: number;
	summary: string;
	email: RenderedReport;
}

const iso = (text: string) => new Date(text).toISOString();

/** The week's row key, as instants in one spelling so the same week always finds the same row. */
export function periodKey(report: MetricsReport): { period_start: string; period_end: string } {
	return { period_start: iso(report.current.start), period_end: iso(report.current.end) };
}

/** Where a week's email claim lives on its row. */
const SEND_CLAIM: ClaimColumns = { table: KPI_REPORTS_TABLE, key: 'id', at: 'send_claimed_at', token: 'send_claim' };

function wasSent(row: Row): boolean {
	return Boolean(row.message_id) || Boolean(row.sent_at);
}

export async function deliverReport(ctx: IExecuteFunctions, services: ReportServices, settings: ReportSettings, report: MetricsReport, now: Date): Promise<ReportOutcome> {
	const emailOptions: KpiReportEmailOptions = { timeZone: settings.timeZone, preparedAt: now.toISOString(), ...(settings.storeName ? { storeName: settings.storeName } : {}) };
	const email = renderKpiReportEmail(report, emailOptions);
	const key = periodKey(report);
	const outcome: ReportOutcome = {
		id: null,
		period: { start: key.period_start, end: key.period_end },
		previousPeriod: { start: iso(report.previous.start), end: iso(report.previous.end) },
		status: 'rendered',
		subject: email.subject,
		sentTo: [],
		messageId: null,
		stored: false,
		kpisMet: report.kpis.filter((kpi) => kpi.status === 'met').length,
		kpisMissed: report.kpis.filter((kpi) => kpi.status === 'missed').length,
		alerts: report.alerts.length,
		summary: report.summary ?? '',
		email,
	};
	const content = { ...key, report: report as unknown as Row, html: email.html };

	let row: Row | undefined;
	if (services.supabase) {
		// the row first: a rerun of the week finds it, whatever happens after this point
		await services.supabase.insertMissing(KPI_REPORTS_TABLE, [content], KPI_REPORTS_KEY);
		row = await readRow(ctx, services.supabase, key);
		outcome.id = String(row.id);
		outcome.stored = true;
		if (wasSent(row)) {
			return {
				...outcome,
				status: 'already_sent',
				sentTo: Array.isArray(row.sent_to) ? row.sent_to.map(String) : [],
				messageId: row.message_id ? String(row.message_id) : null,
			};
		}
	}

	if (!services.sendgrid) {
		// not mailed yet: the stored report follows the latest run of the week
		if (services.supabase) await services.supabase.upsert(KPI_REPORTS_TABLE, [content], KPI_REPORTS_KEY);
		return { ...outcome, status: services.supabase ? 'stored' : 'rendered' };
	}

	// the week's email is claimed first: of two runs, or after an unclear send, the manager gets it once
	const claim = newClaim(now);
	if (row && services.supabase && !(await claimRows(services.supabase, SEND_CLAIM, [String(row.id)], claim)).has(String(row.id))) {
		return { ...outcome, status: 'unconfirmed' };
	}
	const templateData = settings.templateId ? kpiReportTemplateData(report, emailOptions) : undefined;
	let messageId: string | undefined;
	try {
		messageId = await services.sendgrid.sendBatch(
			{
				categories: [CATEGORY],
				...(settings.templateId ? { templateId: settings.templateId } : { subject: email.subject, html: email.html, text: email.text }),
			} as Parameters<SendGridService['sendBatch']>[0],
			settings.recipients.map((recipient) => ({
				email: recipient,
				customArgs: { cx_kpi_report: `${key.period_start}/${key.period_end}` },
				...(templateData ? { data: templateData } : {}),
			})),
		);
	} catch (error) {
		if (!row || !services.supabase || !(error instanceof NodeApiError)) throw withDescription(ctx, error, '');
		if (afterSendFailure(error) === 'release') {
			await settleClaim(services.supabase, SEND_CLAIM, [String(row.id)], claim, released(SEND_CLAIM));
			throw withDescription(ctx, error, 'Nothing was marked sent: the next run of this week sends the report.');
		}
		throw withDescription(ctx, error, 'SendGrid may have accepted it, so it is not sent again: check SendGrid\'s activity for the custom argument cx_kpi_report.');
	}
	const sentAt = now.toISOString();
	if (services.supabase) {
		try {
			await services.supabase.upsert(KPI_REPORTS_TABLE, [{ ...content, sent_to: settings.recipients, message_id: messageId ?? null, sent_at: sentAt }], KPI_REPORTS_KEY);
		} catch (error) {
			throw withDescription(
				ctx,
				error,
				`The report was emailed (message ${messageId ?? 'without an id'}) but is not marked sent in kpi_reports: set sent_at of the row of ${key.period_start}, or the next run emails it again.`,
			);
		}
	}
	return { ...outcome, status: 'sent', sentTo: [...settings.recipients], messageId: messageId ?? null };
}

/** A service failure with what it means for the week added to its description. */
function withDescription(ctx: IExecuteFunctions, error: unknown, note: string): NodeApiError {
	const failure = error instanceof NodeApiError ? error : undefined;
	const message = failure?.message ?? (error instanceof Error ? error.message : String(error));
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		message,
		description: [failure?.description, note].filter(Boolean).join(' '),
		...(failure?.httpCode ? { httpCode: failure.httpCode } : {}),
	});
}

async function readRow(ctx: IExecuteFunctions, supabase: SupabaseService, key: { period_start: string; period_end: string }): Promise<Row> {
	const [row] = await supabase.readWhere(KPI_REPORTS_TABLE, {
		filters: [
			{ column: 'period_start', op: 'eq', value: key.period_start },
			{ column: 'period_end', op: 'eq', value: key.period_end },
		],
	});
	if (!row) {
		throw new NodeApiError(ctx.getNode(), { message: 'row not found after insert' } as JsonObject, {
			message: `The report row of ${key.period_start} to ${key.period_end} could not be read back from Supabase`,
			description: 'Check that the migration supabase/migrations/20261125000000_kpi_reports.sql is applied and that the credential uses the service role key.',
		});
	}
	return row;
}

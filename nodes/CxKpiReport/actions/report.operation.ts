/** Report: each metrics report rendered, stored once per period and mailed once to the business manager. */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { InputProblem, isEmailAddress } from '../../shared/items';
import { SendGridService } from '../../shared/services/sendgrid';
import { SupabaseService } from '../../shared/services/supabase';
import { readNow, readTimeZone } from '../../shared/n8n/options';
import type { MetricsReport } from '../../shared/contract/metricsReport';
import { deliverReport, type ReportServices, type ReportSettings } from '../kpiReportRun';
import { tryReadMetricsReport } from '../reportInput';
import { failureSink } from '../../shared/n8n/errorItems';


export async function reportKpis(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const settings = readSettings.call(this, options);
	const sendEmail = this.getNodeParameter('sendEmail', 0, true) as boolean;
	const storeInSupabase = this.getNodeParameter('storeInSupabase', 0, true) as boolean;

	const out: INodeExecutionData[] = [];
	const fail = failureSink(this, out);

	const reports: Array<{ itemIndex: number; report: MetricsReport }> = [];
	items.forEach((item, itemIndex) => {
		// CX Satisfaction Metrics with Continue On Fail puts its error items beside the report: passed on, not reported
		if (item.json.error !== undefined && item.json.metrics === undefined) {
			out.push({ json: item.json, pairedItem: { item: itemIndex } });
			return;
		}
		const read = tryReadMetricsReport(item.json);
		if (read instanceof InputProblem) {
			fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${read.message}`, { itemIndex, description: read.fix }));
		} else {
			reports.push({ itemIndex, report: read });
		}
	});
	if (!reports.length) return [out];

	const services: ReportServices = {
		...(storeInSupabase ? { supabase: await SupabaseService.connect(this) } : {}),
		...(sendEmail ? { sendgrid: await SendGridService.connect(this) } : {}),
	};
	// one report after the other: two items of the same week, the second finds the first one's row
	for (const { itemIndex, report } of reports) {
		try {
			const outcome = await deliverReport(this, services, settings, report, now);
			out.push({ json: { report: outcome as unknown as IDataObject }, pairedItem: { item: itemIndex } });
		} catch (error) {
			const failure =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeApiError(this.getNode(), { message: String(error) } as JsonObject, { message: `The report of item ${itemIndex} could not be delivered: ${String(error)}`, itemIndex });
			if (failure instanceof NodeApiError) failure.description = `Item ${itemIndex}: ${failure.description ?? ''}`.trim();
			fail(itemIndex, failure);
		}
	}
	out.sort((a, b) => pairedIndex(a) - pairedIndex(b));
	return [out];
}

function pairedIndex(item: INodeExecutionData): number {
	const paired = item.pairedItem;
	return typeof paired === 'object' && paired !== null && !Array.isArray(paired) ? paired.item : 0;
}

function readSettings(this: IExecuteFunctions, options: IDataObject): ReportSettings {
	const sendEmail = this.getNodeParameter('sendEmail', 0, true) as boolean;
	const recipients: string[] = [];
	if (sendEmail) {
		const text = String(this.getNodeParameter('recipients', 0, '') ?? '');
		for (const email of text.split(/[,;\s]+/).map((each) => each.trim()).filter(Boolean)) {
			if (!isEmailAddress(email)) {
				throw new NodeOperationError(this.getNode(), `"${email}" in Business Manager Emails is not an email address`, { description: 'Separate addresses with commas, e.g. manager@example.com, owner@example.com.' });
			}
			if (!recipients.some((known) => known.toLowerCase() === email.toLowerCase())) recipients.push(email);
		}
		if (!recipients.length) {
			throw new NodeOperationError(this.getNode(), 'Send Email is on but no business manager email is set', { description: 'Set "Business Manager Emails", or turn off Send Email to only store the report.' });
		}
	}
	const timeZone = readTimeZone(this, 'Time Zone', options.timeZone);
	const templateId = sendEmail ? String(this.getNodeParameter('templateId', 0, '') ?? '').trim() : '';
	const storeName = String(this.getNodeParameter('storeName', 0, '') ?? '').trim();
	return { recipients, timeZone, ...(templateId ? { templateId } : {}), ...(storeName ? { storeName } : {}) };
}

import { fakeContext } from '../../../support/fakeContext';
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { CxKpiReport } from '../../../../nodes/CxKpiReport/CxKpiReport.node';
import { deliverReport } from '../../../../nodes/CxKpiReport/kpiReportRun';
import { tryReadMetricsReport } from '../../../../nodes/CxKpiReport/reportInput';
import { InputProblem } from '../../../../nodes/shared/items';
import type { SendGridService } from '../../../../nodes/shared/services/sendgrid';
import type { SupabaseService } from '../../../../nodes/shared/services/supabase';
import { rejectionOf } from '../../../support/context';
import { metricsReportFixture } from '../../../support/metricsReportFixture';

const description = new CxKpiReport().description;
const property = (name: string) => description.properties.find((candidate) => candidate.name === name)!;

/** The node up to its services: credentials are the first thing a run past the checks asks for. */
function run(parameters: IDataObject, items: IDataObject[] = [{ metrics: metricsReportFixture() }], options: { continueOnFail?: boolean; credentialsAsked?: string[] } = {}) {
	const all: IDataObject = { sendEmail: true, storeInSupabase: true, recipients: 'manager@example-store.test', storeName: 'Example Store', ...parameters, options: { now: '2026-11-23T08:00:00Z', ...(parameters.options as IDataObject) } };
	const context = fakeContext({ node: 'CX KPI Report', items, parameters: all, continueOnFail: options.continueOnFail ?? false, ...(options.credentialsAsked ? { credentialsAsked: options.credentialsAsked } : {}) });
	return new CxKpiReport().execute.call(context);
}

describe('CX KPI Report node description', () => {
	it('sends and stores by default, and asks for each credential only when its switch is on', () => {
		expect(description.name).toBe('cxKpiReport');
		expect(property('sendEmail').default).toBe(true);
		expect(property('storeInSupabase').default).toBe(true);
		expect(description.credentials).toEqual([
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { sendEmail: [true] } } },
			{ name: 'cxSupabaseApi', required: true, displayOptions: { show: { storeInSupabase: [true] } } },
		]);
		expect(property('recipients')).toMatchObject({ type: 'string', default: '', required: true, displayOptions: { show: { sendEmail: [true] } } });
		expect(property('templateId')).toMatchObject({ default: '', displayOptions: { show: { sendEmail: [true] } } });
		expect(property('storeName').default).toBe('');
		const options = Object.fromEntries((property('options').options as INodeProperties[]).map((option) => [option.name, option.default]));
		expect(options).toEqual({ now: '', timeZone: '' });
	});

	it('has one output', () => {
		expect(description.outputs).toHaveLength(1);
		expect(description.inputs).toHaveLength(1);
	});
});

describe('CX KPI Report node: bad input', () => {
	it('names the item that has no metrics and says what to connect', async () => {
		const error = await rejectionOf<NodeOperationError>(run({}, [{ metrics: metricsReportFixture() }, { something: 'else' }]));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Item 1: no "metrics" field');
		expect(error.description).toMatch(/Connect CX Satisfaction Metrics/);
		expect((error as unknown as { context: IDataObject }).context.itemIndex).toBe(1);
	});

	it('names the field of a malformed report', async () => {
		const broken = metricsReportFixture() as unknown as IDataObject;
		(broken.current as IDataObject).start = 'last monday';
		expect((await rejectionOf<NodeOperationError>(run({}, [{ metrics: broken }]))).message).toBe('Item 0: "metrics.current.start" must be an ISO 8601 time but is "last monday"');
		const cases: Array<[(report: IDataObject) => void, string]> = [
			[(report) => (report.kpis = 'many'), '"metrics.kpis" must be a list but is "many"'],
			[(report) => ((report.kpis as IDataObject[])[2].status = 'great'), '"metrics.kpis[2].status" must be one of met, missed, no_data but is "great"'],
			[(report) => delete (report.previous as IDataObject).nps, '"metrics.previous.nps" must be an object but is missing'],
			[(report) => (((report.current as IDataObject).csat as IDataObject).value = '86%'), '"metrics.current.csat.value" must be a number or null but is "86%"'],
			[(report) => ((report.current as IDataObject).end = (report.current as IDataObject).start), '"metrics.current.end" must be after metrics.current.start (2026-11-16T00:00:00.000Z) but is "2026-11-16T00:00:00.000Z"'],
			[(report) => ((report.alerts as IDataObject[])[0] = { key: 'backlog' }), '"metrics.alerts[0]" must be an alert with a message of up to 2,000 characters but is an object'],
			[(report) => (((report.current as IDataObject).breakdowns as IDataObject).channel = { email: 3 }), '"metrics.current.breakdowns.channel.email" must be an object with nps, csat or ces but is number 3'],
		];
		for (const [spoil, message] of cases) {
			const report = metricsReportFixture() as unknown as IDataObject;
			spoil(report);
			const problem = tryReadMetricsReport({ metrics: report });
			expect(problem).toBeInstanceOf(InputProblem);
			expect((problem as InputProblem).message).toBe(message);
		}
		expect(tryReadMetricsReport({ metrics: 'report' })).toMatchObject({ message: '"metrics" must be an object but is "report"' });
		expect(tryReadMetricsReport({ metrics: metricsReportFixture() as unknown as IDataObject })).not.toBeInstanceOf(InputProblem);
	});

	it('with Continue On Fail puts out an error item per bad item and connects nothing when no report is left', async () => {
		const credentialsAsked: string[] = [];
		const [out] = await run({}, [{ nothing: true }, { metrics: { current: {} } }], { continueOnFail: true, credentialsAsked });
		expect(out).toHaveLength(2);
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(out[0].json).toMatchObject({ error: 'Item 0: no "metrics" field', details: expect.stringMatching(/CX Satisfaction Metrics/) });
		expect(out[1].json.error).toBe('Item 1: "metrics.current.start" must be an ISO 8601 time but is missing');
		expect(credentialsAsked).toEqual([]);
	});

	it('passes on the error items CX Satisfaction Metrics puts out beside its report, and reports the report', async () => {
		const upstreamError = { error: 'Row 12: field "score" is "ten", not a number on the 0-10 scale', field: 'score', row_id: 'r-12' };
		const [out] = await run({ sendEmail: false, storeInSupabase: false }, [{ metrics: metricsReportFixture() }, upstreamError]);
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect((out[0].json.report as IDataObject).status).toBe('rendered');
		expect(out[1].json).toEqual(upstreamError);
	});

	it('refuses recipients that are not email addresses, and sending to nobody', async () => {
		expect((await rejectionOf(run({ recipients: 'manager@example-store.test, the boss' }))).message).toBe('"the" in Business Manager Emails is not an email address');
		expect((await rejectionOf(run({ recipients: 'manager@example-store' }))).message).toBe('"manager@example-store" in Business Manager Emails is not an email address');
		const none = await rejectionOf<NodeOperationError>(run({ recipients: ' , ' }));
		expect(none.message).toBe('Send Email is on but no business manager email is set');
		expect(none.description).toMatch(/turn off Send Email/);
	});

	it('refuses a "Now" that is not a date and an unknown time zone', async () => {
		expect((await rejectionOf(run({ options: { now: 'monday morning' } }))).message).toBe('Option "Now" is not a date: monday morning');
		expect((await rejectionOf(run({ options: { timeZone: 'Mars/Olympus' } }))).message).toBe('Option "Time Zone" is "Mars/Olympus", not an IANA time zone');
	});

	it('asks for SendGrid and Supabase only when it sends and stores', async () => {
		const asked: string[] = [];
		await rejectionOf(run({ sendEmail: false }, undefined, { credentialsAsked: asked }));
		expect(asked).toEqual(['cxSupabaseApi']);
		asked.length = 0;
		await rejectionOf(run({ storeInSupabase: false }, undefined, { credentialsAsked: asked }));
		expect(asked).toEqual(['cxSendGridApi']);
	});
});

describe('CX KPI Report node: neither sending nor storing', () => {
	it('renders one report per item, paired, with the email for another node to send', async () => {
		const second = metricsReportFixture();
		second.current.start = '2026-11-23T00:00:00.000Z';
		second.current.end = '2026-11-30T00:00:00.000Z';
		const [out] = await run({ sendEmail: false, storeInSupabase: false, recipients: 'not checked when not sending' }, [{ metrics: metricsReportFixture() }, { metrics: second }]);
		expect(out).toHaveLength(2);
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const report = out[0].json.report as IDataObject;
		expect(report).toMatchObject({
			id: null,
			period: { start: '2026-11-16T00:00:00.000Z', end: '2026-11-23T00:00:00.000Z' },
			previousPeriod: { start: '2026-11-09T00:00:00.000Z', end: '2026-11-16T00:00:00.000Z' },
			status: 'rendered',
			sentTo: [],
			messageId: null,
			stored: false,
			kpisMet: 1,
			kpisMissed: 3,
			alerts: 3,
			subject: 'Example Store: weekly CX report, Nov 16, 2026 to Nov 22, 2026: 1 of 5 KPIs met, 3 alerts',
		});
		expect((report.email as IDataObject).html).toContain('Weekly customer experience report');
		expect((report.email as IDataObject).html).toContain('Prepared by CX KPI Report on Nov 23, 2026, 08:00 UTC.');
		expect(((out[1].json.report as IDataObject).period as IDataObject).start).toBe('2026-11-23T00:00:00.000Z');
	});
});

describe('deliverReport: the row before the email', () => {
	const context = { getNode: () => ({ name: 'CX KPI Report', type: 'n8n-nodes-cx-director.cxKpiReport', typeVersion: 1, position: [0, 0], parameters: {} }) } as unknown as IExecuteFunctions;
	const settings = { recipients: ['manager@example-store.test'], timeZone: 'UTC', storeName: 'Example Store' };
	const now = new Date('2026-11-23T08:00:00Z');

	/** Services that record what was asked of them, in order. */
	function fakes(row: IDataObject, options: { failUpsertAfterSend?: boolean } = {}) {
		const calls: string[] = [];
		const supabase = {
			insertMissing: async (table: string, rows: IDataObject[], key: string) => calls.push(`insertMissing ${table} ${key} ${String(rows[0].period_start)}`),
			readWhere: async () => (calls.push('readWhere'), [row]),
			// the claim: a conditional update that returns the row it claimed
			updateWhere: async () => (calls.push('claim'), [row]),
			upsert: async (_table: string, rows: IDataObject[]) => {
				calls.push(`upsert message_id=${String(rows[0].message_id)}`);
				if (options.failUpsertAfterSend && rows[0].message_id) throw new NodeApiError(context.getNode(), { message: 'timeout' }, { message: 'Supabase could not write kpi_reports: timeout' });
			},
		} as unknown as SupabaseService;
		const sendgrid = { sendBatch: async () => (calls.push('send'), 'msg-1') } as unknown as SendGridService;
		return { calls, services: { supabase, sendgrid } };
	}

	it('writes the row, reads it back, claims it, sends, then records the message id', async () => {
		const { calls, services } = fakes({ id: 'row-1', message_id: null, sent_at: null });
		const outcome = await deliverReport(context, services, settings, metricsReportFixture(), now);
		expect(calls).toEqual(['insertMissing kpi_reports period_start,period_end 2026-11-16T00:00:00.000Z', 'readWhere', 'claim', 'send', 'upsert message_id=msg-1']);
		expect(outcome).toMatchObject({ id: 'row-1', status: 'sent', messageId: 'msg-1', sentTo: ['manager@example-store.test'], stored: true });
	});

	it('does not send a week whose row already has a message id or a send time', async () => {
		for (const row of [{ id: 'row-1', message_id: 'msg-0', sent_to: ['earlier@example-store.test'] }, { id: 'row-1', message_id: null, sent_at: '2026-11-23T08:00:01Z' }]) {
			const { calls, services } = fakes(row);
			const outcome = await deliverReport(context, services, settings, metricsReportFixture(), now);
			expect(calls).toEqual(['insertMissing kpi_reports period_start,period_end 2026-11-16T00:00:00.000Z', 'readWhere']);
			expect(outcome.status).toBe('already_sent');
		}
	});

	it('says so when the email went out but could not be marked sent', async () => {
		const { services } = fakes({ id: 'row-1', message_id: null }, { failUpsertAfterSend: true });
		const error = await rejectionOf<NodeApiError>(deliverReport(context, services, settings, metricsReportFixture(), now));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Supabase could not write kpi_reports: timeout');
		expect(error.description).toMatch(/The report was emailed \(message msg-1\) but is not marked sent in kpi_reports: set sent_at of the row of 2026-11-16T00:00:00.000Z/);
	});
});

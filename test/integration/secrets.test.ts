/**
 * No secret from a credential in what a run leaves behind: every node that talks to a service runs with planted,
 * marked secrets in all four credentials while each service refuses them (wrong keys: 401) or cannot be reached,
 * with Continue On Fail on and off. Its items, its error (message, description, every property n8n may store or
 * log, the stack) and everything written to the console are searched for the marks.
 */
import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';
import { CxCustomerHealth } from '../../nodes/CxCustomerHealth/CxCustomerHealth.node';
import { CxCustomerSurvey } from '../../nodes/CxCustomerSurvey/CxCustomerSurvey.node';
import { CxDelayCompensation } from '../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { CxFeedbackFollowUp } from '../../nodes/CxFeedbackFollowUp/CxFeedbackFollowUp.node';
import { CxKpiReport } from '../../nodes/CxKpiReport/CxKpiReport.node';
import { CxSatisfactionMetrics } from '../../nodes/CxSatisfactionMetrics/CxSatisfactionMetrics.node';
import { CxTicketTriage } from '../../nodes/CxTicketTriage/CxTicketTriage.node';
import { CxVipEscalation } from '../../nodes/CxVipEscalation/CxVipEscalation.node';
import { CxWinBack } from '../../nodes/CxWinBack/CxWinBack.node';
import { fakeContext } from '../support/fakeContext';
import { metricsReportFixture } from '../support/metricsReportFixture';
import { fromAnchor, standinsEnv } from '../support/standins';

jest.setTimeout(120_000);

/** The mark every planted secret carries: found anywhere, a secret got out. */
const MARK = 'PLANTED-SECRET';
const SECRETS = {
	shopify: `shpat_${MARK}-shopify-0001`,
	supabase: `${MARK}-supabase-0002`,
	sendgrid: `SG.${MARK}-sendgrid-0003`,
	stripe: `sk_test_${MARK}-stripe-0004`,
	shopifyClientSecret: `${MARK}-client-secret-0005`,
};

/** Credentials with the planted secrets: the stand-ins' addresses (each refuses the key), or addresses nothing listens on. */
function credentials(reach: 'refused' | 'unreachable'): Record<string, IDataObject> {
	const env = standinsEnv();
	const nowhere = 'http://127.0.0.1:9';
	return {
		cxShopifyAdminApi: { shopDomain: reach === 'refused' ? env.shopify.shopDomain : '127.0.0.1:9', accessToken: SECRETS.shopify, clientSecret: SECRETS.shopifyClientSecret, apiVersion: env.shopify.apiVersion },
		cxSupabaseApi: { url: reach === 'refused' ? env.supabase.url : nowhere, serviceRoleKey: SECRETS.supabase },
		cxSendGridApi: { apiKey: SECRETS.sendgrid, senderEmail: env.sendgrid.senderEmail, baseUrl: reach === 'refused' ? env.sendgrid.baseUrl : nowhere },
		cxStripeApi: { secretKey: SECRETS.stripe, apiBase: reach === 'refused' ? env.stripe.apiBase : nowhere },
	};
}

const NOW = fromAnchor(19, '12:00');
const ticket = { id: 'secrets-1', channel: 'email', customer_email: 'vip.tagged@example-store.test', created_at: fromAnchor(19, '09:00'), subject: 'Late', body: 'Where is my order? I will file a chargeback.' };
// delivered ten days after the checkout's promise: compensated, so the run reaches Supabase, Stripe and SendGrid
const lateOrder = {
	order_id: 'secrets-order-1',
	name: '#SECRET-1',
	processed_at: fromAnchor(-41, '10:00'),
	total: 189,
	currency: 'USD',
	customer_id: '1007',
	customer_email: 'late.delivery@example-store.test',
	checkout_promise_at: fromAnchor(-32, '12:00'),
	fulfillments: [{ estimated_delivery_at: fromAnchor(-32, '12:00'), delivered_at: fromAnchor(-22, '12:00') }],
};

/** Every node that talks to a service, with parameters that make it do so. */
const RUNS: Array<{ name: string; node: INodeType; parameters: IDataObject; items: IDataObject[] }> = [
	{ name: 'CX Ticket Triage', node: new CxTicketTriage(), parameters: { enrichFromShopify: true, storeInSupabase: true, options: { now: NOW } }, items: [ticket] },
	{ name: 'CX VIP Escalation', node: new CxVipEscalation(), parameters: { operation: 'escalate', recordInSupabase: true, notifyByEmail: true, useShopify: true, recipientsLevel1: 'lead@example-store.test', recipientsLevel2: 'manager@example-store.test', recipientsLevel3: 'director@example-store.test', options: { now: NOW } }, items: [ticket] },
	{ name: 'CX Delay Compensation', node: new CxDelayCompensation(), parameters: { source: 'items', payoutMethod: 'stripeBalance', dryRun: false, notifyCustomer: true, options: { now: NOW } }, items: [lateOrder] },
	{ name: 'CX Win-Back', node: new CxWinBack(), parameters: { source: 'shopify', dryRun: false, codeMode: 'perCustomer', unsubscribeGroupId: 4242, options: { now: NOW } }, items: [{}] },
	{ name: 'CX Customer Health', node: new CxCustomerHealth(), parameters: { source: 'shopify', storeScores: true, options: { now: NOW } }, items: [{}] },
	{ name: 'CX Satisfaction Metrics', node: new CxSatisfactionMetrics(), parameters: { period: 'last7Days', responsesFrom: 'supabase', includeTickets: true, ordersFrom: 'shopify', options: { now: NOW, timeZone: 'UTC' } }, items: [{}] },
	{ name: 'CX KPI Report', node: new CxKpiReport(), parameters: { sendEmail: true, storeInSupabase: true, recipients: 'manager@example-store.test', storeName: 'Example Store', options: { now: NOW } }, items: [{ metrics: metricsReportFixture() as unknown as IDataObject }] },
	{ name: 'CX Customer Survey', node: new CxCustomerSurvey(), parameters: { operation: 'sendSurveys', source: 'shopify', questionType: 'csat', answerUrl: 'https://n8n.example-store.test/webhook/cx-survey', unsubscribeGroupId: 4242, options: { now: NOW } }, items: [{}] },
	{ name: 'CX Feedback Follow-Up', node: new CxFeedbackFollowUp(), parameters: { operation: 'remind', escalateTo: 'director@example-store.test', options: { now: NOW } }, items: [{}] },
];

/** Everything of an error n8n may keep in an execution or write to its log. */
function errorText(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const own = Object.fromEntries(Object.getOwnPropertyNames(error).map((key) => [key, (error as unknown as Record<string, unknown>)[key]]));
	let serialised: string;
	try {
		serialised = JSON.stringify(own, (_key, value: unknown) => (value instanceof Error ? { ...value, message: value.message, stack: value.stack } : value));
	} catch {
		serialised = String(own);
	}
	return [error.message, (error as { description?: string }).description ?? '', error.stack ?? '', serialised, String((error as { cause?: unknown }).cause ?? '')].join('\n');
}

describe('no secret from a credential in items, errors or logs', () => {
	const written: string[] = [];
	const spies: jest.SpyInstance[] = [];
	beforeAll(() => {
		for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
			spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))));
		}
	});
	afterAll(() => spies.forEach((spy) => spy.mockRestore()));

	const cases = RUNS.flatMap((run) => (['refused', 'unreachable'] as const).flatMap((reach) => [true, false].map((continueOnFail) => [run.name, reach, continueOnFail, run] as const)));
	it.each(cases)('%s, services %s, Continue On Fail %s', async (_name, reach, continueOnFail, run) => {
		written.length = 0;
		let outputs: INodeExecutionData[][] | undefined;
		let failure: unknown;
		try {
			outputs = (await run.node.execute!.call(fakeContext({ node: run.name, items: run.items, parameters: run.parameters, continueOnFail, credentials: credentials(reach) }))) as INodeExecutionData[][];
		} catch (error) {
			failure = error;
		}
		// the run met the failing services: it failed, or put out an error item
		const errorItems = (outputs ?? []).flat().filter((item) => typeof item.json.error === 'string');
		expect(failure !== undefined || errorItems.length > 0).toBe(true);
		const left = [JSON.stringify(outputs ?? null), errorText(failure), written.join('\n')].join('\n');
		const found = left.split('\n').filter((line) => line.includes(MARK));
		expect(found).toEqual([]);
	});
});

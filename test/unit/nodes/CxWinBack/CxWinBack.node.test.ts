import { fakeContext, NO_SERVICE } from '../../../support/fakeContext';
import { NodeOperationError, type IDataObject, type INodeProperties } from 'n8n-workflow';
import { CxWinBack } from '../../../../nodes/CxWinBack/CxWinBack.node';
import { RFM_THRESHOLDS, SEGMENTS, VISIT_GAP_HOURS, WINBACK_POLICY } from '../../../../nodes/shared/policy';
import { rejectionOf } from '../../../support/context';

const description = new CxWinBack().description;
const property = (name: string) => description.properties.find((candidate) => candidate.name === name)!;

/** The checks before any service is connected: credentials are the first thing a run past them asks for. */
function run(parameters: IDataObject, credentialsAsked: string[] = []) {
	const all: IDataObject = { source: 'items', dryRun: false, codeMode: 'perCustomer', unsubscribeGroupId: 4321, ...parameters, options: { now: '2026-11-16T12:00:00Z', ...(parameters.options as IDataObject) } };
	const context = fakeContext({ node: 'CX Win-Back', input: [{ json: { customer_id: 'gid://shopify/Customer/1', email: 'sam.sample@example-store.test', order_dates: ['2026-01-02T10:00:00Z'] } }], parameters: all, credentialsAsked: credentialsAsked });
	return new CxWinBack().execute.call(context);
}

describe('CX Win-Back node description', () => {
	it('shows the policy defaults (n8n reads literal defaults; these must match WINBACK_POLICY)', () => {
		const offers = property('offers').options as INodeProperties[];
		expect(offers.map((offer) => offer.name).sort()).toEqual([...SEGMENTS].sort());
		expect(Object.fromEntries(offers.map((offer) => [offer.name, offer.default]))).toEqual(WINBACK_POLICY.offers);
		const options = Object.fromEntries((property('options').options as INodeProperties[]).map((option) => [option.name, option.default]));
		expect(options).toMatchObject({
			dormancyMultiple: WINBACK_POLICY.dormancyMultiple,
			oneTimeBuyerFloorDays: WINBACK_POLICY.oneTimeBuyerFloorDays,
			minimumGapDays: WINBACK_POLICY.minimumGapDays,
			cooldownDays: WINBACK_POLICY.cooldownDays,
			recentContactDays: WINBACK_POLICY.recentContactDays,
			now: '',
			visitGapHours: VISIT_GAP_HOURS,
			rfmRecencyDays: RFM_THRESHOLDS.recencyDays.join(', '),
			rfmVisits: RFM_THRESHOLDS.visits.join(', '),
			rfmSpend: RFM_THRESHOLDS.spend.join(', '),
		});
		expect(property('dryRun').default).toBe(false);
		expect(property('codeMode').default).toBe('perCustomer');
	});

	it('puts out one item per customer unless Options > Output asks for the summary only', () => {
		const output = (property('options').options as INodeProperties[]).find((option) => option.name === 'output')!;
		expect(output.default).toBe('perCustomer');
		expect((output.options as Array<{ value: string }>).map((option) => option.value)).toEqual(['perCustomer', 'summary']);
	});

	it('has the outputs Customers and Summary', () => {
		expect(description.outputNames).toEqual(['Customers', 'Summary']);
		expect(description.outputs).toHaveLength(2);
	});

	it('asks for SendGrid, its unsubscribe group and template only when it sends', () => {
		expect(description.credentials).toEqual([
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { dryRun: [false] } } },
		]);
		expect(property('unsubscribeGroupId').displayOptions).toEqual({ show: { dryRun: [false] } });
		expect(property('templateId').displayOptions).toEqual({ show: { dryRun: [false] } });
	});
});

describe('CX Win-Back node: bad settings stop the run before any service is connected', () => {
	it('refuses RFM thresholds that are not four rising numbers, naming the option and showing the default', async () => {
		for (const [name, value, label] of [
			['rfmRecencyDays', '90, 30, 180, 365', 'RFM Recency Days (Scores 5 to 2)'],
			['rfmVisits', '2, 3, 4', 'RFM Visits (Scores 2 to 5)'],
			['rfmSpend', '100, 250, lots, 1000', 'RFM Spend (Scores 2 to 5)'],
		]) {
			const asked: string[] = [];
			const error = await rejectionOf<NodeOperationError>(run({ options: { [name]: value } }, asked));
			expect(error.message).toBe(`Option "${label}" must be four rising numbers of 0 or more (${name === 'rfmRecencyDays' ? 'days since the last order, at most' : name === 'rfmVisits' ? 'visits, at least' : 'lifetime spend, at least'}), not "${value}"`);
			expect(error.description).toContain(`Fix Options > ${label}`);
			expect(asked).toEqual([]);
		}
	});

	it('refuses an offer outside 0-99 percent, naming the segment', async () => {
		for (const offers of [{ at_risk: 100 }, { loyal: -5 }, { cant_lose: 'lots' }]) {
			const asked: string[] = [];
			const error = await rejectionOf<NodeOperationError>(run({ offers }, asked));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(/^The offer for (at_risk|loyal|cant_lose) is .+; it must be a percent from 0 to 99$/);
			expect(error.description).toContain('Offers (% Off)');
			expect(asked).toEqual([]);
		}
		await expect(run({ offers: { at_risk: 100 } })).rejects.toThrow('The offer for at_risk is 100');
	});

	it('refuses to send without a marketing unsubscribe group, and says how to fix it', async () => {
		for (const unsubscribeGroupId of [0, 1.5, -3]) {
			const asked: string[] = [];
			const error = await rejectionOf<NodeOperationError>(run({ unsubscribeGroupId }, asked));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(unsubscribeGroupId === 0 ? 'Win-back email needs a marketing unsubscribe group' : `"Marketing Unsubscribe Group ID" must be a whole number of 0 or more, not ${unsubscribeGroupId}`);
			expect(error.description).toContain('Marketing Unsubscribe Group ID');
			expect(asked).toEqual([]);
		}
	});

	it('refuses an unreadable "Now" and a cooldown under a day', async () => {
		await expect(run({ options: { now: 'next tuesday' } })).rejects.toThrow('Option "Now" is not a date: next tuesday');
		await expect(run({ options: { cooldownDays: 0 } })).rejects.toThrow('Option "cooldownDays" must be a number of 1 or more, not 0');
		await expect(run({ options: { codeValidDays: 'a month' } })).rejects.toThrow('Option "codeValidDays" must be a number of 1 or more');
	});

	it('lets a dry run without an unsubscribe group and good settings through to the services', async () => {
		const asked: string[] = [];
		await expect(run({ dryRun: true, unsubscribeGroupId: 0, offers: { at_risk: 0, cant_lose: 99 } }, asked)).rejects.toThrow(NO_SERVICE);
		expect(asked).toEqual(['cxShopifyAdminApi']);
	});
});

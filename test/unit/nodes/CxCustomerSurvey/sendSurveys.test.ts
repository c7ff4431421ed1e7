import { fakeContext, NO_SERVICE } from '../../../support/fakeContext';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeOperationError, type IDataObject, type INodeProperties } from 'n8n-workflow';
import { CxCustomerSurvey } from '../../../../nodes/CxCustomerSurvey/CxCustomerSurvey.node';
import { answerVia, MAX_COMMENT_LENGTH, readAnswerItem } from '../../../../nodes/CxCustomerSurvey/recordAnswer';
import { surveyToken } from '../../../../nodes/CxCustomerSurvey/sendSurveys';
import { DEFAULT_SURVEY_POLICY, isSurveyToken } from '../../../../nodes/CxCustomerSurvey/survey';
import { readOrderItem, tryReadOrderItem } from '../../../../nodes/CxCustomerSurvey/surveyInput';
import { deliveredOrdersQuery, deliveredOrderFromLine } from '../../../../nodes/shared/services/shopify/orders';
import { InputProblem } from '../../../../nodes/shared/items';
import { TIER_POLICY } from '../../../../nodes/shared/policy';
import { rejectionOf } from '../../../support/context';
import { repoRoot } from '../../../support/standins';

const TOKEN = 'k3m7q2w5x4z6cavazbtdnrsy';

describe('surveyToken', () => {
	it('is 24 characters of lower-case base32: 120 random bits', () => {
		for (let i = 0; i < 200; i++) expect(isSurveyToken(surveyToken())).toBe(true);
	});

	it('never repeats, and uses the whole alphabet evenly enough to be random', () => {
		const tokens = Array.from({ length: 5_000 }, surveyToken);
		expect(new Set(tokens).size).toBe(tokens.length);
		const counts = new Map<string, number>();
		for (const character of tokens.join('')) counts.set(character, (counts.get(character) ?? 0) + 1);
		expect(counts.size).toBe(32);
		// 120,000 characters over 32 letters: 3,750 each on average; a biased encoder would be far off
		for (const count of counts.values()) expect(Math.abs(count - 3_750)).toBeLessThan(400);
	});
});

describe('readAnswerItem', () => {
	const webhook = (query: IDataObject, body: IDataObject = {}) => ({ headers: {}, params: {}, query, body });

	it('reads the token, score and comment from the Webhook node\'s query: a link clicked in the email, which records nothing', () => {
		expect(readAnswerItem(webhook({ t: TOKEN, s: '4', comment: '  Lovely print  ' }))).toEqual({ token: TOKEN, rawScore: '4', comment: 'Lovely print', via: 'link' });
		expect(answerVia({ ...webhook({ t: TOKEN, s: '4' }), method: 'GET' })).toBe('link');
	});

	it('also from a form body, or from an item that carries them at the top: an answer sent by the page\'s form, which records', () => {
		expect(readAnswerItem(webhook({}, { t: TOKEN, s: '9', comment: 'Fast' }))).toEqual({ token: TOKEN, rawScore: '9', comment: 'Fast', via: 'form' });
		expect(readAnswerItem({ t: TOKEN, s: 3 })).toEqual({ token: TOKEN, rawScore: 3, via: 'form' });
		expect(answerVia({ ...webhook({ t: TOKEN, s: '4' }), method: 'post' })).toBe('form');
	});

	it('the customer picks 2 on a page the link for 4 opened: the form\'s score counts, not the one left in the address', () => {
		expect(readAnswerItem(webhook({ t: TOKEN, s: '4' }, { t: TOKEN, s: '2' }))).toEqual({ token: TOKEN, rawScore: '2', via: 'form' });
	});

	it('takes a token whatever its case, as some mail clients change links', () => {
		expect(readAnswerItem(webhook({ t: TOKEN.toUpperCase(), s: '1' }))).toMatchObject({ token: TOKEN });
	});

	it('names the parameter when the token is missing or malformed', () => {
		for (const query of [{ s: '4' }, { t: 'short', s: '4' }, { t: `${TOKEN}x`, s: '4' }, { t: ['a', 'b'], s: '4' }]) {
			const problem = readAnswerItem(webhook(query)) as InputProblem;
			expect(problem).toBeInstanceOf(InputProblem);
			expect(problem.field).toBe('t');
			expect(problem.message).toBe('The survey link has no valid token (query parameter "t")');
		}
	});

	it('names the parameter when the score is missing', () => {
		const problem = readAnswerItem(webhook({ t: TOKEN })) as InputProblem;
		expect(problem.field).toBe('s');
		expect(problem.message).toMatch(/query parameter "s"/);
	});

	it('cuts a comment longer than the form allows and ignores an empty one', () => {
		expect((readAnswerItem(webhook({ t: TOKEN, s: '2', comment: 'x'.repeat(5_000) })) as { comment: string }).comment).toHaveLength(MAX_COMMENT_LENGTH);
		expect(readAnswerItem(webhook({ t: TOKEN, s: '2', comment: '   ' }))).toEqual({ token: TOKEN, rawScore: '2', via: 'link' });
	});
});

describe('delivered orders from Shopify\'s bulk result', () => {
	const line = (overrides: IDataObject = {}) => ({
		id: 'gid://shopify/Order/5014',
		name: '#1014',
		cancelledAt: null,
		displayFulfillmentStatus: 'FULFILLED',
		customer: { id: 'gid://shopify/Customer/1001', email: 'vip.tagged@example-store.test', firstName: 'Vera', tags: ['VIP'], amountSpent: { amount: '365.00', currencyCode: 'USD' }, emailMarketingConsent: { marketingState: 'SUBSCRIBED' } },
		fulfillments: [{ status: 'SUCCESS', deliveredAt: '2026-10-13T14:00:00Z' }],
		...overrides,
	});

	it('reads an order, its customer, consent and tier, and when it arrived', () => {
		expect(deliveredOrderFromLine(line())).toEqual({
			orderId: 'gid://shopify/Order/5014',
			orderName: '#1014',
			customerId: 'gid://shopify/Customer/1001',
			email: 'vip.tagged@example-store.test',
			firstName: 'Vera',
			deliveredAt: '2026-10-13T14:00:00.000Z',
			marketingConsent: 'SUBSCRIBED',
			tier: 'vip',
		});
	});

	it('a store whose VIP tag is "Gold Member" surveys its gold members as VIP, and a customer tagged only "VIP" by what they spent', () => {
		const goldStore = { ...TIER_POLICY, vipTag: 'Gold Member' };
		const gold = line({ customer: { ...line().customer, tags: ['newsletter', 'gold member'], amountSpent: { amount: '120.00', currencyCode: 'EUR' } } });
		expect(deliveredOrderFromLine(gold, goldStore)?.tier).toBe('vip');
		// the default tag means nothing to this store: 365 spent is below its premium 500
		expect(deliveredOrderFromLine(line(), goldStore)?.tier).toBe('regular');
		// without the store's tiers, the defaults: "VIP" tags, "gold member" does not
		expect(deliveredOrderFromLine(gold)?.tier).toBe('regular');
		expect(deliveredOrderFromLine(line())?.tier).toBe('vip');
	});

	it('a store that makes customers VIP over 300 spent and premium over 150 surveys one who spent 365 as VIP and one who spent 200 as premium', () => {
		const smallStore = { ...TIER_POLICY, vipLifetimeSpend: 300, premiumLifetimeSpend: 150 };
		const spent = (amount: string) => line({ customer: { ...line().customer, tags: [], amountSpent: { amount, currencyCode: 'USD' } } });
		expect(deliveredOrderFromLine(spent('365.00'), smallStore)?.tier).toBe('vip');
		expect(deliveredOrderFromLine(spent('200.00'), smallStore)?.tier).toBe('premium');
		expect(deliveredOrderFromLine(spent('150.00'), smallStore)?.tier).toBe('regular');
		// by the defaults (VIP over 1000, premium over 500) both are regular
		expect(deliveredOrderFromLine(spent('365.00'))?.tier).toBe('regular');
		expect(deliveredOrderFromLine(spent('200.00'))?.tier).toBe('regular');
	});

	it('counts the last parcel\'s arrival, and none while a parcel is on its way', () => {
		const two = [{ status: 'SUCCESS', deliveredAt: '2026-10-13T14:00:00Z' }, { status: 'SUCCESS', deliveredAt: '2026-10-15T09:00:00Z' }];
		expect(deliveredOrderFromLine(line({ fulfillments: two }))?.deliveredAt).toBe('2026-10-15T09:00:00.000Z');
		expect(deliveredOrderFromLine(line({ fulfillments: [two[0], { status: 'SUCCESS', deliveredAt: null }] }))?.deliveredAt).toBeUndefined();
		// a cancelled parcel is not waited for
		expect(deliveredOrderFromLine(line({ fulfillments: [two[0], { status: 'CANCELLED', deliveredAt: null }] }))?.deliveredAt).toBe('2026-10-13T14:00:00.000Z');
		expect(deliveredOrderFromLine(line({ displayFulfillmentStatus: 'PARTIALLY_FULFILLED' }))?.deliveredAt).toBeUndefined();
		expect(deliveredOrderFromLine(line({ fulfillments: [] }))?.deliveredAt).toBeUndefined();
	});

	it('an order without a customer has no email and no consent', () => {
		expect(deliveredOrderFromLine(line({ customer: null }))).toEqual({ orderId: 'gid://shopify/Order/5014', orderName: '#1014', deliveredAt: '2026-10-13T14:00:00.000Z', marketingConsent: 'NOT_SUBSCRIBED' });
	});

	it('leaves out cancelled orders and lines that are not orders', () => {
		expect(deliveredOrderFromLine(line({ cancelledAt: '2026-10-02T10:00:00Z' }))).toBeUndefined();
		expect(deliveredOrderFromLine({ id: 'gid://shopify/Customer/1', __parentId: 'x' })).toBeUndefined();
	});

	it('the bulk query asks for shipped, not cancelled orders placed since the day given', () => {
		const query = deliveredOrdersQuery('2026-08-20');
		expect(query).toContain('orders(query: "processed_at:>=2026-08-20 AND -status:cancelled AND fulfillment_status:shipped")');
		expect(query).toContain('emailMarketingConsent { marketingState }');
		expect(query).toContain('fulfillments { status deliveredAt }');
		expect(() => deliveredOrdersQuery('2026-08-20" OR x')).toThrow(RangeError);
	});
});

describe('delivered orders from items', () => {
	it('reads the fields, Shopify customer numbers as GIDs', () => {
		expect(readOrderItem({ order_id: 5014, order_name: '#1014', customer_id: 1001, email: 'sam.sample@example-store.test', first_name: 'Sam', delivered_at: '2026-10-13T14:00:00Z', email_marketing_consent: 'subscribed', tier: 'VIP' })).toEqual({
			orderId: '5014',
			orderName: '#1014',
			customerId: 'gid://shopify/Customer/1001',
			email: 'sam.sample@example-store.test',
			firstName: 'Sam',
			deliveredAt: '2026-10-13T14:00:00.000Z',
			marketingConsent: 'SUBSCRIBED',
			tier: 'vip',
		});
	});

	it('names the field that is wrong', () => {
		expect((tryReadOrderItem({ email: 'sam.sample@example-store.test' }) as InputProblem).field).toBe('order_id');
		expect((tryReadOrderItem({ order_id: 'A1', email: 'not an address' }) as InputProblem).field).toBe('email');
		expect((tryReadOrderItem({ order_id: 'A1', delivered_at: 'yesterday-ish' }) as InputProblem).field).toBe('delivered_at');
		expect((tryReadOrderItem({ order_id: 'A1', tier: 'gold' }) as InputProblem).field).toBe('tier');
	});

	it('an order without consent on record is not subscribed', () => {
		expect(readOrderItem({ order_id: 'A1' }).marketingConsent).toBe('NOT_SUBSCRIBED');
	});
});

describe('CX Customer Survey node', () => {
	const nodeDir = join(repoRoot, 'nodes', 'CxCustomerSurvey');
	const description = new CxCustomerSurvey().description;
	const property = (name: string) => description.properties.find((candidate) => candidate.name === name)!;

	it('shows the policy defaults (n8n reads literal defaults; these must match the survey policy)', () => {
		const options = Object.fromEntries((property('options').options as INodeProperties[]).map((option) => [option.name, option.default]));
		expect(options).toMatchObject({
			daysAfterDelivery: DEFAULT_SURVEY_POLICY.daysAfterDelivery,
			catchUpDays: DEFAULT_SURVEY_POLICY.catchUpDays,
			throttleDays: DEFAULT_SURVEY_POLICY.throttleDays,
			consent: DEFAULT_SURVEY_POLICY.consent,
			now: '',
			vipTag: TIER_POLICY.vipTag,
			vipLifetimeSpend: TIER_POLICY.vipLifetimeSpend,
			premiumLifetimeSpend: TIER_POLICY.premiumLifetimeSpend,
		});
		expect(property('questionType').default).toBe('csat');
		expect(property('operation').default).toBe('sendSurveys');
	});

	it('asks for Shopify only to read its orders and for SendGrid only to send', () => {
		expect(description.credentials).toEqual([
			{ name: 'cxShopifyAdminApi', required: true, testedBy: 'cxShopifyAdminApiTest', displayOptions: { show: { authentication: ['adminApi'], operation: ['sendSurveys'], source: ['shopify', 'shopifyOrders'] } } },
			{ name: 'cxShopifyOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'], operation: ['sendSurveys'], source: ['shopify', 'shopifyOrders'] } } },
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { operation: ['sendSurveys', 'askAfterSupport'] } } },
		]);
		// outputs follow the operation: Surveyed and Summary, or the answers
		expect(description.outputs).toMatch(/^=\{\{.*recordAnswer.*Surveyed.*Summary.*\}\}$/);
	});

	it('has its icons and codex beside it', () => {
		expect(existsSync(join(nodeDir, 'customerSurvey.svg'))).toBe(true);
		expect(existsSync(join(nodeDir, 'customerSurvey.dark.svg'))).toBe(true);
		expect(JSON.parse(readFileSync(join(nodeDir, 'CxCustomerSurvey.node.json'), 'utf8')).node).toBe('n8n-nodes-cx-director.cxCustomerSurvey');
	});

	/** The checks before any service is connected: credentials are the first thing a run past them asks for. */
	function run(parameters: IDataObject, credentialsAsked: string[] = [], items: IDataObject[] = [{ order_id: 'A1' }]) {
		const all: IDataObject = { operation: 'sendSurveys', source: 'items', questionType: 'csat', answerUrl: 'https://n8n.example-store.test/webhook/cx-survey', unsubscribeGroupId: 4321, ...parameters };
		const context = fakeContext({ node: 'CX Customer Survey', items, parameters: all, credentialsAsked: credentialsAsked });
		return new CxCustomerSurvey().execute.call(context);
	}

	it('refuses to send without an answer URL or an unsubscribe group, before touching a service', async () => {
		const asked: string[] = [];
		const noUrl = await rejectionOf<NodeOperationError>(run({ answerUrl: '' }, asked));
		expect(noUrl).toBeInstanceOf(NodeOperationError);
		expect(noUrl.message).toBe('"Survey Answer URL" is empty');
		expect((await rejectionOf<NodeOperationError>(run({ answerUrl: 'javascript:alert(1)' }, asked))).message).toMatch(/must be a web address/);
		const noGroup = await rejectionOf<NodeOperationError>(run({ unsubscribeGroupId: 0 }, asked));
		expect(noGroup.message).toBe('Survey email needs an unsubscribe group');
		expect(asked).toEqual([]);
	});

	it('refuses options that are not whole numbers, naming them', async () => {
		expect((await rejectionOf<NodeOperationError>(run({ options: { throttleDays: -1 } }))).message).toBe('Option "throttleDays" must be a whole number of 0 or more, not -1');
		expect((await rejectionOf<NodeOperationError>(run({ options: { catchUpDays: 0 } }))).message).toMatch(/catchUpDays/);
		expect((await rejectionOf<NodeOperationError>(run({ options: { now: 'soon' } }))).message).toBe('Option "Now" is not a date: soon');
	});

	it('Ask After Support refuses to send without an answer URL or an unsubscribe group, and options that are not whole numbers, before touching a service', async () => {
		const asked: string[] = [];
		const support = (parameters: IDataObject) => run({ operation: 'askAfterSupport', ...parameters }, asked, [{}]);
		expect((await rejectionOf<NodeOperationError>(support({ answerUrl: '' }))).message).toBe('"Survey Answer URL" is empty');
		expect((await rejectionOf<NodeOperationError>(support({ unsubscribeGroupId: 0 }))).message).toBe('Survey email needs an unsubscribe group');
		expect((await rejectionOf<NodeOperationError>(support({ supportOptions: { hoursAfterSolve: 1.5 } }))).message).toBe('Option "hoursAfterSolve" must be a whole number of 0 or more, not 1.5');
		expect((await rejectionOf<NodeOperationError>(support({ supportOptions: { catchUpDays: 0 } }))).message).toMatch(/catchUpDays/);
		expect(asked).toEqual([]);
		// past the checks, it asks for Supabase first (never for Shopify)
		expect((await rejectionOf<Error>(support({}))).message).toBe(NO_SERVICE);
		expect(asked).toEqual(['cxSupabaseApi']);
	});

	it('Record Answer refuses a link without a valid token before reading the database, naming the parameter', async () => {
		const asked: string[] = [];
		const error = await rejectionOf<NodeOperationError>(run({ operation: 'recordAnswer' }, asked, [{ query: { t: 'guess', s: '5' } }]));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Item 0: The survey link has no valid token (query parameter "t")');
		expect(asked).toEqual([]);
	});
});

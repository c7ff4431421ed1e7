/**
 * Bad input, probed: the promise "bad input gets a clear error that names the item and the field and says what to
 * fix; with Continue On Fail it becomes an error item; never a bare TypeError, never NaN/Infinity or a negative money
 * amount in an output, one output item per input item", held against every node (its services stood in for, below).
 *
 * The corpus (badInputCorpus.ts) is data: per node a valid base item and, per field the node reads, bad values that fit
 * the field's type. Per node, all malformed items go through ONE run with Continue On Fail on, a valid item last; each
 * item is then also run alone with Continue On Fail off. Jest names each failing node and field; the failure lists
 * each bad value and what happened.
 *
 * No node is left out. The nodes that need Supabase run against an in-memory store (SupabaseService.connect stubbed,
 * a fresh store per run, with only the methods the operation calls): CX Win-Back's dry run reads an empty store;
 * CX Customer Survey's Record Answer finds an invitation for every token the corpus makes (surveyToken) and keeps
 * what it writes; CX Feedback Follow-Up's Record (from items) starts from an empty feedback_items table and reads
 * back what it inserted; CX Shopify Events claims events in an empty shopify_events table and carries out privacy
 * requests against an empty store. Its items are deliveries as the Webhook node gives them (Raw Body on): the test
 * puts the raw body (the item's `body` as JSON, or the corpus's RAW_BODY) in the binary "data" and signs it with
 * the credential's webhook secret where the corpus says SIGNED.
 */
import { createHmac } from 'node:crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { fakeContext } from '../../support/fakeContext';
import { CxTicketTriage } from '../../../nodes/CxTicketTriage/CxTicketTriage.node';
import { CxVipEscalation } from '../../../nodes/CxVipEscalation/CxVipEscalation.node';
import { CxCustomerHealth } from '../../../nodes/CxCustomerHealth/CxCustomerHealth.node';
import { CxSatisfactionMetrics } from '../../../nodes/CxSatisfactionMetrics/CxSatisfactionMetrics.node';
import { CxDelayCompensation } from '../../../nodes/CxDelayCompensation/CxDelayCompensation.node';
import { CxWinBack } from '../../../nodes/CxWinBack/CxWinBack.node';
import { CxKpiReport } from '../../../nodes/CxKpiReport/CxKpiReport.node';
import { CxCustomerSurvey } from '../../../nodes/CxCustomerSurvey/CxCustomerSurvey.node';
import { CxFeedbackFollowUp } from '../../../nodes/CxFeedbackFollowUp/CxFeedbackFollowUp.node';
import { CxShopifyEvents } from '../../../nodes/CxShopifyEvents/CxShopifyEvents.node';
import { SupabaseService, type Row, type RowFilter } from '../../../nodes/shared/services/supabase';
import * as shopifyCustomers from '../../../nodes/shared/services/shopify/customers';
import { CORPUS, corpusItems, knownNames, RAW_BODY, SIGNED, validItem, type CorpusItem, type NodeCorpus } from './badInputCorpus';

jest.setTimeout(60_000);

type Outputs = INodeExecutionData[][];
type Runner = (items: IDataObject[], continueOnFail: boolean) => Promise<Outputs>;

/** Credentials a dry run connects with and never uses (no request is made). */
const SHOPIFY = { cxShopifyAdminApi: { shopDomain: 'example-store.myshopify.com', accessToken: 'test-token-not-used', apiVersion: '2026-10' } };

const execute = (node: { execute(this: never): Promise<Outputs> }, name: string, parameters: IDataObject, credentials: Record<string, IDataObject> = {}): Runner =>
	(items, continueOnFail) => (node.execute as (this: unknown) => Promise<Outputs>).call(fakeContext({ node: name, items, parameters, continueOnFail, credentials }));

interface Aggregate {
	/** The item that answers every input item at once (a report, a summary). */
	is: (item: INodeExecutionData, output: number) => boolean;
	/** How many input items the aggregate item counts. */
	counted: (json: IDataObject) => number;
}

interface NodeUnderTest {
	corpus: NodeCorpus;
	title: string;
	outputNames: string[];
	run: Runner;
	/** Nodes that fan in: each bad item is an error item or counted in the aggregate (not paired one to one). */
	aggregate?: Aggregate;
	stubs?: () => () => void;
}

/** Every survey answer a metrics report counts: rated and unrated, both periods, every type. */
function answersCounted(json: IDataObject): number {
	const report = json.metrics as IDataObject;
	let sum = 0;
	for (const period of ['current', 'previous']) {
		for (const type of ['nps', 'csat', 'ces']) {
			const score = ((report[period] as IDataObject)?.[type] ?? {}) as IDataObject;
			sum += Number(score.sampleSize ?? 0) + Number(score.unrated ?? 0);
		}
	}
	return sum;
}

// ---- stand-ins for the services ----------------------------------------------------------------------------------

/** Whether a row passes the filters the operations use (eq, in, is null); others pass every row. */
function passes(row: Row, filters: RowFilter[] = []): boolean {
	return filters.every(({ column, op, value }) => {
		if (op === 'eq') return String(row[column]) === String(value);
		if (op === 'in') return (value as unknown[]).map(String).includes(String(row[column]));
		if (op === 'is') return (row[column] ?? null) === value;
		return true;
	});
}

/**
 * An in-memory store with the SupabaseService methods the operations under test call: it keeps what is written
 * (by table, unique by the conflict columns) and reads it back; `invitation` answers survey_invites by token.
 */
function memoryStore(invitation?: (token: string) => Row | undefined): SupabaseService {
	const tables = new Map<string, Row[]>();
	const rows = (table: string) => tables.get(table) ?? tables.set(table, []).get(table)!;
	const keyOf = (row: Row, onConflict: string) => onConflict.split(',').map((column) => String(row[column.trim()])).join('\u0000');
	let serial = 0;
	const insert = (table: string, given: Row[], onConflict: string, replace: boolean): Row[] => {
		const inserted: Row[] = [];
		for (const row of given) {
			const stored = rows(table).findIndex((existing) => keyOf(existing, onConflict) === keyOf(row, onConflict));
			if (stored >= 0 && !replace) continue;
			const copy = { id: `row-${++serial}`, ...row };
			if (stored >= 0) rows(table)[stored] = copy;
			else rows(table).push(copy);
			inserted.push(copy);
		}
		return inserted;
	};
	return {
		rowsWhereIn: async (table: string, column: string, values: string[]) =>
			table === 'survey_invites' && invitation ? values.flatMap((value) => invitation(value) ?? []) : rows(table).filter((row) => values.includes(String(row[column]))),
		readWhere: async (table: string, options: { filters?: RowFilter[] } = {}) => rows(table).filter((row) => passes(row, options.filters)),
		upsert: async (table: string, given: Row[], onConflict: string) => void insert(table, given, onConflict, true),
		insertMissing: async (table: string, given: Row[], onConflict: string) => void insert(table, given, onConflict, false),
		insertNew: async (table: string, given: Row[], onConflict: string) => insert(table, given, onConflict, false),
		updateWhere: async (table: string, filters: RowFilter[], patch: Row) => rows(table).filter((row) => passes(row, filters)).map((row) => Object.assign(row, patch)),
		// the privacy functions: nothing held about anyone, nothing erased
		callFunction: async () => ({}),
	} as unknown as SupabaseService;
}

/** SupabaseService.connect answers each run with a fresh store. */
function stubStore(invitation?: (token: string) => Row | undefined): () => () => void {
	return () => {
		const connect = jest.spyOn(SupabaseService, 'connect').mockImplementation(async () => memoryStore(invitation));
		return () => connect.mockRestore();
	};
}

/** The invitation of a token the corpus made (surveyToken): a CSAT or NPS question about an order. */
const surveyInvitation = (token: string): Row | undefined =>
	/^(csat|nps)tok/.test(token) ? { token, type: token.startsWith('nps') ? 'nps' : 'csat', order_id: 'gid://shopify/Order/1001', order_name: '#1001', customer_id: 'gid://shopify/Customer/1', customer_email: 'robin.example@example-store.test', tier: 'regular' } : undefined;

/** The secret the Shopify credential signs webhooks with in this test. */
const WEBHOOK_SECRET = 'test-webhook-secret-not-real';

/**
 * A delivery as n8n's Webhook node hands it over with Raw Body on: the json, and the raw body (the corpus's RAW_BODY,
 * else the body as JSON) as binary "data"; SIGNED in a header becomes the raw body's signature.
 */
function delivery(description: IDataObject): INodeExecutionData {
	const { [RAW_BODY]: rawBody, ...json } = description;
	const raw = rawBody === null ? undefined : Buffer.from(typeof rawBody === 'string' ? rawBody : (JSON.stringify(json.body) ?? ''));
	const signature = raw ? createHmac('sha256', WEBHOOK_SECRET).update(raw).digest('base64') : 'no-raw-body-to-sign';
	const sign = (value: unknown) => (value === SIGNED ? signature : Array.isArray(value) ? value.map((entry) => (entry === SIGNED ? signature : entry)) : value);
	const headers = json.headers;
	if (headers && typeof headers === 'object' && !Array.isArray(headers)) json.headers = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, sign(value)]));
	return { json, ...(raw ? { binary: { data: { data: raw.toString('base64'), mimeType: 'application/json' } } } : {}) };
}

const SHOPIFY_EVENTS_CREDENTIALS = { cxShopifyAdminApi: { ...SHOPIFY.cxShopifyAdminApi, webhookSecret: WEBHOOK_SECRET } };

const receiveDeliveries: Runner = (items, continueOnFail) =>
	(new CxShopifyEvents().execute as (this: unknown) => Promise<Outputs>).call(
		fakeContext({ node: 'CX Shopify Events', input: items.map(delivery), parameters: { authentication: 'adminApi', options: { now: '2026-11-16T12:00:00Z' } }, continueOnFail, credentials: SHOPIFY_EVENTS_CREDENTIALS }),
	);

const NODES: NodeUnderTest[] = [
	{
		corpus: CORPUS.triage,
		title: 'CX Ticket Triage (triage)',
		outputNames: ['Escalate', 'Queue'],
		run: execute(new CxTicketTriage(), 'CX Ticket Triage', { options: { now: '2026-11-05T12:00:00Z' } }),
	},
	{
		corpus: CORPUS.vip,
		title: 'CX VIP Escalation (escalate, no services)',
		outputNames: ['Escalated', 'Not Escalated'],
		run: execute(new CxVipEscalation(), 'CX VIP Escalation', { operation: 'escalate', recordInSupabase: false, notifyByEmail: false, useShopify: false, options: { now: '2026-11-05T12:00:00Z' } }),
	},
	{
		corpus: CORPUS.health,
		title: 'CX Customer Health (items, no Supabase signals, no look-up)',
		outputNames: ['Red', 'Yellow', 'Green'],
		run: execute(new CxCustomerHealth(), 'CX Customer Health', { source: 'items', lookUpInShopify: false, supabaseSignals: false, storeScores: false, options: { now: '2026-06-01T00:00:00Z' } }),
	},
	{
		corpus: CORPUS.metrics,
		title: 'CX Satisfaction Metrics (responses from items)',
		outputNames: ['Report'],
		run: execute(new CxSatisfactionMetrics(), 'CX Satisfaction Metrics', { period: 'last7Days', responsesFrom: 'items', includeTickets: false, ordersFrom: 'none', options: { now: '2026-11-16T12:00:00Z', timeZone: 'UTC' } }),
		// one report for all items: a bad answer is an error item (and metrics.rejected), a good one is counted in the report
		aggregate: { is: (item) => item.json.metrics !== undefined, counted: answersCounted },
	},
	{
		corpus: CORPUS.delay,
		title: 'CX Delay Compensation (compensate, dry run, items)',
		outputNames: ['Compensated', 'Needs Approval', 'Not Eligible'],
		run: execute(new CxDelayCompensation(), 'CX Delay Compensation', { operation: 'compensate', source: 'items', payoutMethod: 'discountCode', dryRun: true, notifyCustomer: false, options: { now: '2026-11-01T00:00:00Z' } }, SHOPIFY),
	},
	{
		corpus: CORPUS.delay,
		title: 'CX Delay Compensation (notify late orders, dry run, items)',
		outputNames: ['Notified', 'Not Notified'],
		run: execute(new CxDelayCompensation(), 'CX Delay Compensation', { operation: 'notifyLate', source: 'items', dryRun: true, options: { now: '2026-11-01T00:00:00Z' } }),
	},
	{
		corpus: CORPUS.winback,
		title: 'CX Win-Back (dry run, items, empty store)',
		outputNames: ['Customers', 'Summary'],
		run: execute(new CxWinBack(), 'CX Win-Back', { source: 'items', dryRun: true, codeMode: 'perCustomer', options: { now: '2026-11-16T12:00:00Z' } }, SHOPIFY),
		// Customers holds only the customers to mail; the Summary answers every item and counts the customers read
		aggregate: { is: (_item, output) => output === 1, counted: (json) => Number(json.customers ?? 0) },
		stubs: () => {
			// an empty store: nobody in touch lately (cx_winback_context), nothing read page by page
			const emptyContext = { open_tickets: [], compensations: [], sends: [], erased_keys: [] };
			const store = jest.spyOn(SupabaseService, 'connect').mockResolvedValue({ selectAll: async () => [], readWhere: async () => [], callFunction: async () => emptyContext } as unknown as SupabaseService);
			const lookUp = jest.spyOn(shopifyCustomers, 'retentionCustomersByIds').mockResolvedValue(new Map());
			return () => {
				store.mockRestore();
				lookUp.mockRestore();
			};
		},
	},
	{
		corpus: CORPUS.kpi,
		title: 'CX KPI Report (render only: no email, no Supabase)',
		outputNames: ['Report'],
		run: execute(new CxKpiReport(), 'CX KPI Report', { sendEmail: false, storeInSupabase: false, storeName: 'Example Store', options: { now: '2026-11-23T08:00:00Z', timeZone: 'UTC' } }),
	},
	{
		corpus: CORPUS.survey,
		title: 'CX Customer Survey (record answer, store with the invitations)',
		outputNames: ['Recorded'],
		run: execute(new CxCustomerSurvey(), 'CX Customer Survey', { operation: 'recordAnswer', answerOptions: { now: '2026-11-16T12:00:00Z', storeName: 'Example Store' } }),
		stubs: stubStore(surveyInvitation),
	},
	{
		corpus: CORPUS.feedback,
		title: 'CX Feedback Follow-Up (record from items, empty store)',
		outputNames: ['Feedback', 'Summary'],
		run: execute(new CxFeedbackFollowUp(), 'CX Feedback Follow-Up', { operation: 'record', source: 'items', defaultOwner: 'cx-lead@example-store.test', ownersByTier: {}, ownersByIssueType: {}, options: { now: '2026-11-16T12:00:00Z' } }),
		// Feedback holds an item per feedback read; the Summary answers every item and counts the candidates
		aggregate: { is: (_item, output) => output === 1, counted: (json) => Number(json.candidates ?? 0) },
		stubs: stubStore(),
	},
	{
		corpus: CORPUS.shopifyEvents,
		title: 'CX Shopify Events (signed deliveries, empty store)',
		outputNames: ['Events'],
		run: receiveDeliveries,
		stubs: stubStore(),
	},
];

// ---- reading the outputs -----------------------------------------------------------------------------------------

function pairedIndexes(item: INodeExecutionData): number[] {
	const paired = item.pairedItem as unknown;
	const list = Array.isArray(paired) ? paired : paired === undefined ? [] : [paired];
	return list.map((entry) => (typeof entry === 'number' ? entry : (entry as { item: number }).item));
}

const isErrorItem = (json: IDataObject) => json.error !== undefined;

interface Answer {
	output: number;
	json: IDataObject;
}

/** Per input item, the output items that answer it alone (aggregate items left out), and the aggregate items. */
function answersByItem(outputs: Outputs, aggregate?: Aggregate): { byItem: Map<number, Answer[]>; aggregates: IDataObject[] } {
	const byItem = new Map<number, Answer[]>();
	const aggregates: IDataObject[] = [];
	outputs.forEach((items, output) =>
		items.forEach((item) => {
			if (aggregate?.is(item, output)) return void aggregates.push(item.json);
			for (const index of pairedIndexes(item)) byItem.set(index, [...(byItem.get(index) ?? []), { output, json: item.json }]);
		}),
	);
	return { byItem, aggregates };
}

const short = (text: unknown, length = 160) => {
	const value = typeof text === 'string' ? text : JSON.stringify(text) ?? String(text);
	return value.length > length ? `${value.slice(0, length)}...` : value;
};

/** What a bare JavaScript failure says, as opposed to a message written for the user. */
const BARE_JS = [/is not a function/, /Cannot read properties/, /Maximum call stack/, /Invalid time value/, /\bundefined\b/, /Cannot use 'in' operator/, /is not iterable/, /Cannot convert/, /Invalid array length/, /\[object Object\]/, /is not a decimal amount/];

/** The problems of an error message: it must start with "Item <index>:", quote a field name, and not be a bare JS message. */
function messageProblems(message: unknown, index: number, names: string[]): string[] {
	if (typeof message !== 'string') return [`error is not text: ${short(message)}`];
	const problems: string[] = [];
	if (!message.startsWith(`Item ${index}:`)) problems.push(`error does not start with "Item ${index}:"`);
	// the field itself, or a part of it ("metrics.current" for a "metrics" that is an empty object)
	const quoted = [...message.matchAll(/"([^"]+)"/g)].map((match) => match[1]);
	if (!quoted.some((inMessage) => names.some((name) => inMessage === name || inMessage.startsWith(`${name}.`) || inMessage.startsWith(`${name}[`)))) problems.push(`error quotes none of ${names.map((name) => `"${name}"`).join(', ')}`);
	const bare = BARE_JS.find((pattern) => pattern.test(message));
	if (bare) problems.push(`bare JS message (${bare.source})`);
	return problems.length ? [`${problems.join('; ')}: ${short(message)}`] : [];
}

/** Money keys: an amount in any spelling; "value" only beside a currency. */
const MONEY_KEY = /amount|cents|price|total|spend|spent|order_?value|refunded/i;
const RENDERED_KEY = /^(html|text|subject|summary)$/;

/** NaN, Infinity, negative money, or text that shows them ("NaN", "[object Object]"), anywhere in `value`. */
function dirt(value: unknown, path = '', money = false, found: string[] = [], depth = 0): string[] {
	if (depth > 300 || found.length > 5) return found;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) found.push(`${path} is ${value}`);
		else if (money && value < 0) found.push(`${path} is a negative amount, ${value}`);
	} else if (typeof value === 'string') {
		if (money && /^\s*-\s*[\d$€£¥]/.test(value)) found.push(`${path} is a negative amount, ${short(value, 40)}`);
		// an email or summary that shows a negative amount of money ("-$0.05", "$-5.00")
		const negative = RENDERED_KEY.test(path.split('.').pop() ?? '') ? /-\s?[$€£¥]\s?\d|[$€£¥]\s?-\s?\d/.exec(value) : null;
		if (negative) found.push(`${path} shows a negative amount "${negative[0]}...": ...${short(value.slice(Math.max(0, negative.index - 60), negative.index + 30), 100)}...`);
		const shown = /\bNaN\b|\bInfinity\b|\[object Object\]/.exec(value) ?? (RENDERED_KEY.test(path.split('.').pop() ?? '') ? /\bundefined\b/.exec(value) : null);
		if (shown) found.push(`${path} shows "${shown[0]}": ...${short(value.slice(Math.max(0, shown.index - 40), shown.index + 40), 100)}...`);
	} else if (Array.isArray(value)) {
		value.forEach((entry, index) => dirt(entry, `${path}[${index}]`, money, found, depth + 1));
	} else if (value !== null && typeof value === 'object') {
		const object = value as IDataObject;
		for (const [key, inner] of Object.entries(object)) {
			const isMoney = MONEY_KEY.test(key) || (key === 'value' && 'currency' in object) || (money && key === 'formatted');
			dirt(inner, path ? `${path}.${key}` : key, isMoney, found, depth + 1);
		}
	}
	return found;
}

/** The value under `key` somewhere in `json` (the first found), to show what became of an accepted bad value. */
function findKey(json: unknown, key: string, depth = 0): unknown {
	if (depth > 8 || json === null || typeof json !== 'object') return undefined;
	if (!Array.isArray(json) && key in (json as object)) return (json as IDataObject)[key];
	for (const inner of Object.values(json as object)) {
		const found = findKey(inner, key, depth + 1);
		if (found !== undefined) return found;
	}
	return undefined;
}

function accepted(node: NodeUnderTest, item: CorpusItem, answers: Answer[]): string {
	if (!answers.length) return 'accepted: no error item (counted in the aggregate)';
	const { output, json } = answers[0];
	const key = item.field.split('.').pop()!;
	const echo = findKey(json, key);
	return `accepted, on output "${node.outputNames[output] ?? output}"${echo !== undefined ? `, ${key} = ${short(echo, 80)}` : ''}`;
}

// ---- the probe -----------------------------------------------------------------------------------------------------

describe.each(NODES)('bad input: $title', (node) => {
	const items = corpusItems(node.corpus);
	const valid = validItem(node.corpus);
	const all = [...items.map((item) => item.json), valid];
	const last = items.length;
	const names = knownNames(node.corpus);
	let restore: (() => void) | undefined;
	let outputs: Outputs | undefined;
	let failure: unknown;

	beforeAll(async () => {
		restore = node.stubs?.();
		try {
			outputs = await node.run(all, true);
		} catch (error) {
			failure = error;
		}
	});
	afterAll(() => restore?.());

	it(`the corpus has ${items.length} malformed items`, () => {
		expect(items.length).toBeGreaterThan(0);
	});

	it('1. resolves with all malformed items and a valid one in one run (Continue On Fail on)', () => {
		if (failure) throw new Error(`the run threw ${(failure as Error)?.constructor?.name}: ${(failure as Error)?.message}`);
		expect(outputs).toBeDefined();
	});

	it(node.aggregate ? '2. accounts for every item: an error item or counted in the aggregate, none twice' : '2. answers every input item exactly once (pairedItem)', () => {
		if (!outputs) throw new Error('no outputs (the run threw)');
		const { byItem, aggregates } = answersByItem(outputs, node.aggregate);
		const problems: string[] = [];
		for (let index = 0; index < all.length; index++) {
			const count = byItem.get(index)?.length ?? 0;
			if (!node.aggregate && count !== 1) problems.push(`item ${index} (${items[index] ? `${items[index].field} = ${items[index].label}` : 'valid'}) answered ${count} times`);
			if (node.aggregate && count > 1) problems.push(`item ${index} answered ${count} times`);
		}
		for (const index of byItem.keys()) if (index < 0 || index >= all.length) problems.push(`an output is paired with item ${index}, which does not exist`);
		if (node.aggregate) {
			const errors = [...byItem.values()].filter((answers) => answers.some(({ json }) => isErrorItem(json))).length;
			if (aggregates.length !== 1) problems.push(`${aggregates.length} aggregate items, not 1`);
			else {
				const counted = node.aggregate.counted(aggregates[0]);
				if (counted + errors !== all.length) problems.push(`${all.length} items, but ${errors} error items + ${counted} counted in the aggregate = ${counted + errors}: ${all.length - counted - errors} items vanished`);
			}
		}
		if (problems.length) throw new Error(problems.join('\n'));
	});

	it('3. the valid item at the end is processed normally', () => {
		if (!outputs) throw new Error('no outputs (the run threw)');
		const answers = answersByItem(outputs, node.aggregate).byItem.get(last) ?? [];
		const errors = answers.filter(({ json }) => isErrorItem(json));
		if (errors.length) throw new Error(`the valid item became an error item: ${short(errors[0].json.error, 400)}`);
		if (!node.aggregate) expect(answers).toHaveLength(1);
	});

	it('4. no output holds NaN, Infinity or a negative money amount', () => {
		if (!outputs) throw new Error('no outputs (the run threw)');
		// an error item may quote the bad value ("is number NaN"): that is the clear error, not a result
		const problems = outputs.flatMap((items, output) => items.filter((item) => !isErrorItem(item.json)).flatMap((item) => dirt(item.json).map((found) => `output "${node.outputNames[output]}", item paired with ${JSON.stringify(pairedIndexes(item).slice(0, 3))}: ${found}`)));
		if (problems.length) throw new Error(problems.slice(0, 40).join('\n'));
	});

	const fields = [...new Set(items.map((item) => `${item.group} › ${item.field}`))];
	it.each(fields)('5. field %s: each bad value is a clear error item (merged run) and a NodeOperationError "Item 0: ..." alone', async (groupField) => {
		const cases = items.map((item, index) => ({ item, index })).filter(({ item }) => `${item.group} › ${item.field}` === groupField);
		const byItem = outputs ? answersByItem(outputs, node.aggregate).byItem : new Map<number, Answer[]>();
		const problems: string[] = [];
		for (const { item, index } of cases) {
			const found: string[] = [];
			// in the run with every other item, Continue On Fail on
			if (outputs) {
				const answers = byItem.get(index) ?? [];
				const errors = answers.filter(({ json }) => isErrorItem(json));
				for (const { json } of errors) found.push(...messageProblems(json.error, index, item.names.length ? item.names : names));
				if (item.expect === 'error' && !errors.length) found.push(accepted(node, item, answers));
				for (const { json } of answers.filter((answer) => !isErrorItem(answer.json))) found.push(...dirt(json).map((what) => `output: ${what}`));
			}
			// alone, Continue On Fail off (not for the duplicates: they are about two items in one run)
			if (!item.field.startsWith('duplicate')) {
				try {
					const alone = await node.run([item.json], false);
					const { byItem: aloneByItem, aggregates } = answersByItem(alone, node.aggregate);
					const mergedError = (byItem.get(index) ?? []).some(({ json }) => isErrorItem(json));
					if (item.expect === 'error' && mergedError) found.push('alone (Continue On Fail off): resolved without an error, though it was an error item in the run with the others');
					if (node.aggregate && aggregates.length === 1 && node.aggregate.counted(aggregates[0]) !== 1) found.push(`alone: resolved, but the aggregate counts ${node.aggregate.counted(aggregates[0])} items: the item vanished`);
					if (!node.aggregate && (aloneByItem.get(0)?.length ?? 0) !== 1) found.push(`alone: answered ${aloneByItem.get(0)?.length ?? 0} times`);
				} catch (error) {
					const kind = (error as Error)?.constructor?.name;
					const message = String((error as Error)?.message);
					if (kind !== 'NodeOperationError' && kind !== 'NodeApiError') found.push(`alone: rejected with a ${kind}, not a NodeOperationError: ${short(message)}`);
					if (!message.startsWith('Item 0:')) found.push(`alone: the error does not start with "Item 0:": ${short(message)}`);
				}
			}
			if (found.length) problems.push(`[item ${index}] ${item.label} (${item.expect === 'error' ? 'bad input' : 'may be accepted'}): ${[...new Set(found)].join(' | ')}`);
		}
		if (problems.length) throw new Error(`${groupField}: ${problems.length} of ${cases.length} values fail\n${problems.join('\n')}`);
	});
});

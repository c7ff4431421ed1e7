/** Score: each customer's health from Shopify or items and the Supabase signals, stored once per customer and day, out by band. */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import type { RetentionCustomer } from '../../shared/contract/customer';
import { carriesOnlyCustomerId, customerIdOf, lookedUpCustomer } from '../../shared/customerInput';
import { InputProblem } from '../../shared/items';
import { isCurrency } from '../../shared/money';
import { ShopifyService } from '../../shared/services/shopify/client';
import { retentionCustomers, retentionCustomersByIds } from '../../shared/services/shopify/customers';
import { SupabaseService } from '../../shared/services/supabase';
import { readNow, readNumberOption } from '../../shared/n8n/options';
import { describeHealth, scoreHealth, validateWeights, type HealthScore } from '../health';
import { HEALTH_COMPONENTS, HEALTH_POLICY, VISIT_GAP_HOURS, type HealthPolicy } from '../../shared/policy';
import { customerKey, healthInputOf, healthInputProblem, healthItemOf, readHealthExtras, tryReadHealthItem, type CustomerToScore, type HealthExtras, type StoredSignals } from '../healthInput';
import { readsSignalsWhole, readStoredSignals, scoredOnOf, storeHealthScores } from '../healthRun';
import { failureSink } from '../../shared/n8n/errorItems';

const RED = 0;
const YELLOW = 1;
const GREEN = 2;
const OUTPUT_OF = { red: RED, yellow: YELLOW, green: GREEN } as const;

export async function scoreCustomers(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const policy = readPolicy.call(this, options);
	const currency = String(options.currency || 'USD').trim().toUpperCase();
	if (!isCurrency(currency)) throw new NodeOperationError(this.getNode(), `Option "Currency for Items Without One" is "${currency}", not an ISO 4217 currency code`, { description: 'Use a code such as USD or EUR.' });
	const source = this.getNodeParameter('source', 0) as string;
	const supabaseSignals = this.getNodeParameter('supabaseSignals', 0, true) as boolean;
	const store = supabaseSignals && (this.getNodeParameter('storeScores', 0, true) as boolean);

	const outputs: INodeExecutionData[][] = [[], [], []];
	// error items go with green, the output nothing acts on, so no error flows into escalation or win-back
	const fail = failureSink(this, outputs[GREEN]);

	const customers: Array<{ itemIndex: number; customer: RetentionCustomer; extras: HealthExtras }> = [];
	if (source === 'shopify') {
		for (const customer of await retentionCustomers(await ShopifyService.connect(this))) customers.push({ itemIndex: 0, customer, extras: {} });
	} else {
		// items that name the customer by id alone (the director's retention_campaign) are looked up in Shopify, in one read
		const lookUp = this.getNodeParameter('lookUpInShopify', 0, true) as boolean;
		const idOnly = items.map((item) => lookUp && carriesOnlyCustomerId(item.json));
		let found = new Map<string, RetentionCustomer>();
		let lookUpFailed = false;
		if (idOnly.some(Boolean)) {
			try {
				found = await retentionCustomersByIds(await ShopifyService.connect(this), items.filter((_, index) => idOnly[index]).map((item) => String(customerIdOf(item.json) ?? '')));
			} catch (error) {
				const problem = failure.call(this, error);
				if (!this.continueOnFail()) throw problem;
				lookUpFailed = true;
				items.forEach((_, itemIndex) => idOnly[itemIndex] && fail(itemIndex, problem));
			}
		}
		items.forEach((item, itemIndex) => {
			if (idOnly[itemIndex] && lookUpFailed) return;
			const read = idOnly[itemIndex] ? lookedUpHealthItem(item.json, found) : tryReadHealthItem(item.json, currency, now);
			if (read instanceof InputProblem) fail(itemIndex, new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${read.message}`, { itemIndex, description: read.fix }));
			else customers.push({ itemIndex, ...read });
		});
	}

	let signals = new Map<string, StoredSignals>();
	let supabase: SupabaseService | undefined;
	if (supabaseSignals && customers.length) {
		try {
			supabase = await SupabaseService.connect(this);
			signals = await readStoredSignals(supabase, customers.map(({ customer }) => customer.customerId), now, readsSignalsWhole(source, customers.length));
		} catch (error) {
			const problem = failure.call(this, error);
			if (!this.continueOnFail()) throw problem;
			for (const { itemIndex } of customers) fail(itemIndex, problem);
			return outputs;
		}
	}

	const scored: Array<{ itemIndex: number; json: IDataObject; result: HealthScore; previousScore: number | null; previousScoredOn: string | null }> = [];
	for (const { itemIndex, customer, extras } of customers) {
		const stored = signals.get(customerKey(customer.customerId));
		const input = healthInputOf(customer, extras, stored, now, policy.visitGapHours);
		const problem = healthInputProblem(input);
		if (problem) {
			const who = source === 'shopify' ? `Customer ${customer.customerId}` : `Item ${itemIndex}`;
			fail(itemIndex, new NodeOperationError(this.getNode(), `${who}: ${problem.message}`, { itemIndex, description: problem.fix }));
			continue;
		}
		scored.push({ itemIndex, json: healthItemOf(customer, input), result: scoreHealth(input, policy, now), previousScore: input.previousScore ?? null, previousScoredOn: stored?.previousScoredOn ?? null });
	}

	if (store && supabase && scored.length) {
		try {
			await storeHealthScores(supabase, scored.map(({ result }) => result), now);
		} catch (error) {
			const problem = failure.call(this, error);
			if (!this.continueOnFail()) throw problem;
			for (const { itemIndex } of scored) fail(itemIndex, problem);
			return outputs;
		}
	}

	const scoredOn = scoredOnOf(now);
	for (const { itemIndex, json, result, previousScore, previousScoredOn } of scored) {
		const health: IDataObject = {
			score: result.score,
			band: result.band,
			trend: result.trend,
			change: result.change,
			previousScore,
			previousScoredOn,
			components: result.components as unknown as IDataObject,
			reasons: result.reasons,
			summary: describeHealth(result),
			scoredOn,
			stored: store,
		};
		outputs[OUTPUT_OF[result.band]].push({ json: { ...json, health }, pairedItem: { item: itemIndex } });
	}
	return outputs;
}

/** An id-only item's customer as Shopify gave it, with the signals the item carries; problems name the field. */
function lookedUpHealthItem(json: IDataObject, found: Map<string, RetentionCustomer>): CustomerToScore | InputProblem {
	const customer = lookedUpCustomer(json, found);
	if (customer instanceof InputProblem) return customer;
	try {
		return { customer, extras: readHealthExtras(json) };
	} catch (error) {
		if (error instanceof InputProblem) return error;
		return new InputProblem('', `Could not read the item's signals: ${(error as Error).message}`, 'Check latest_csat, latest_nps, open_tickets and late_deliveries_last_365.');
	}
}

function failure(this: IExecuteFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(this.getNode(), error as Error);
}

function readPolicy(this: IExecuteFunctions, options: IDataObject): HealthPolicy {
	const given = ((this.getNodeParameter('weights', 0, {}) as IDataObject).values ?? {}) as IDataObject;
	const weights = Object.fromEntries(HEALTH_COMPONENTS.map((component) => [component, given[component] === undefined || given[component] === '' ? HEALTH_POLICY.weights[component] : given[component]]));
	const problem = validateWeights(weights);
	if (problem) {
		throw new NodeOperationError(this.getNode(), `Weights: ${problem}`, {
			description: `Set Weights so that the seven are numbers of 0 or more summing to 100; now ${HEALTH_COMPONENTS.map((component) => `${component} ${String(weights[component])}`).join(', ')}.`,
		});
	}
	const bound = (name: string, label: string, fallback: number) => {
		const value = options[name] === undefined || options[name] === '' ? fallback : Number(options[name]);
		if (!Number.isFinite(value) || value < 0 || value > 100) {
			throw new NodeOperationError(this.getNode(), `Option "${label}" must be a number from 0 to 100, not ${String(options[name])}`, { description: `Set ${label} between 0 and 100 (default ${fallback}).` });
		}
		return value;
	};
	const red = bound('redUpTo', 'Red Up To', HEALTH_POLICY.bands.red);
	const yellow = bound('yellowUpTo', 'Yellow Up To', HEALTH_POLICY.bands.yellow);
	if (yellow < red) {
		throw new NodeOperationError(this.getNode(), `Option "Yellow Up To" (${yellow}) is below "Red Up To" (${red})`, { description: 'Set Yellow Up To to Red Up To or more: red is the lowest band, green the highest.' });
	}
	const visitGapHours = readNumberOption(this, 'Orders Within Hours Are One Visit', options.visitGapHours, HEALTH_POLICY.visitGapHours ?? VISIT_GAP_HOURS, 0);
	return { ...HEALTH_POLICY, weights: weights as HealthPolicy['weights'], bands: { red, yellow }, visitGapHours };
}

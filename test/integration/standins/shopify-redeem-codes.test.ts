/**
 * Unique discount codes added in bulk on the Shopify stand-in, through the real @shopify/shopify-api SDK:
 * discountRedeemCodeBulkAdd answers with a creation that is not done yet, polled with
 * discountRedeemCodeBulkCreation / node until done; per-code errors as a live shop reports them (taken anywhere
 * in the shop, repeated in the batch, blank, too long, with a newline), the 250-code cap, and the added codes
 * found by codeDiscountNodeByCode and listed on the discount.
 */
import '@shopify/shopify-api/adapters/node';
import { randomUUID } from 'node:crypto';
import { GraphqlQueryError } from '@shopify/shopify-api';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { shopifyGraphqlClient } from '../../support/shopify';
import { rejectionOf, standin } from '../../support/context';

// the schema loader is the stand-in's own (plain CommonJS), so the documents are checked against the same files
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSchemaRegistry } = require('../../../scripts/standins/shopify-schema.js') as { createSchemaRegistry: () => { get: (version: string) => GraphQLSchema } };
import { fromAnchor } from '../../support/standins';

const run = randomUUID().slice(0, 8).toUpperCase();

const client = shopifyGraphqlClient();

async function request<T = any>(document: string, variables?: Record<string, unknown>): Promise<{ data: T; extensions: any }> {
	const response = await client.request<T>(document, { variables });
	return { data: response.data as T, extensions: response.extensions };
}

const CREATE = `mutation Create($discount: DiscountCodeBasicInput!) {
	discountCodeBasicCreate(basicCodeDiscount: $discount) {
		codeDiscountNode { id }
		userErrors { field message code }
	}
}`;
const ADD = `mutation Add($discountId: ID!, $codes: [DiscountRedeemCodeInput!]!) {
	discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes) {
		bulkCreation {
			id done codesCount importedCount failedCount createdAt
			discountCode { id }
			codes(first: 10) { nodes { code errors { field message code extraInfo } discountRedeemCode { id code } } }
		}
		userErrors { field message code extraInfo }
	}
}`;
const CREATION_FIELDS = `
	id done codesCount importedCount failedCount createdAt
	discountCode { id }
	codes(first: 250) {
		nodes { code errors { field message code extraInfo } discountRedeemCode { id code asyncUsageCount } }
		pageInfo { hasNextPage }
	}`;
const POLL = 'query Poll($id: ID!) { discountRedeemCodeBulkCreation(id: $id) { done } }';
const CREATION = `query Creation($id: ID!) { discountRedeemCodeBulkCreation(id: $id) { ${CREATION_FIELDS} } }`;
const CREATION_NODE = `query CreationNode($id: ID!) { node(id: $id) { __typename ... on DiscountRedeemCodeBulkCreation { ${CREATION_FIELDS} } } }`;
const DISCOUNT = `query Discount($id: ID!) {
	codeDiscountNode(id: $id) {
		codeDiscount { ... on DiscountCodeBasic { codes(first: 20) { nodes { id code asyncUsageCount } } codesCount { count precision } } }
	}
}`;
const BY_CODE = 'query ByCode($code: String!) { codeDiscountNodeByCode(code: $code) { id } }';
const DOCUMENTS = { CREATE, ADD, POLL, CREATION, CREATION_NODE, DISCOUNT, BY_CODE };

const TAKEN = { field: ['code'], message: 'must be unique. Please try a different code.', code: null, extraInfo: null };
const codeError = (message: string) => ({ field: ['code'], message, code: null, extraInfo: null });

async function createDiscount(code: string): Promise<string> {
	const { data } = await request(CREATE, {
		discount: {
			title: `Redeem codes ${code}`,
			code,
			startsAt: fromAnchor(-31),
			customerGets: { value: { percentage: 0.1 }, items: { all: true } },
			context: { all: 'ALL' },
		},
	});
	expect(data.discountCodeBasicCreate.userErrors).toEqual([]);
	return data.discountCodeBasicCreate.codeDiscountNode.id;
}

const add = (discountId: string, codes: string[]) =>
	request(ADD, { discountId, codes: codes.map((code) => ({ code })) }).then(({ data, extensions }) => ({ ...data.discountRedeemCodeBulkAdd, cost: extensions.cost }));

/** Polls (cheaply, `done` only) until the creation is done, then reads all of it; `polls` counts the not-done answers. */
async function waitForCreation(id: string, timeoutMs = 10_000): Promise<any> {
	const deadline = Date.now() + timeoutMs;
	let polls = 0;
	while (!(await request(POLL, { id })).data.discountRedeemCodeBulkCreation.done) {
		polls += 1;
		if (Date.now() > deadline) throw new Error(`redeem code creation ${id} still not done`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	return { ...(await request(CREATION, { id })).data.discountRedeemCodeBulkCreation, polls };
}

const codesOf = async (discountId: string) => (await request(DISCOUNT, { id: discountId })).data.codeDiscountNode.codeDiscount;
const addLogEntries = async () => (await standin<{ mutationLog: Array<{ mutation: string }> }>('shopify', '/__standin/state')).mutationLog.filter((entry) => entry.mutation === 'discountRedeemCodeBulkAdd').length;

describe('Shopify stand-in unique discount codes in bulk', () => {
	it('uses only documents that are valid against the 2026-10 Admin schema', () => {
		const schema = createSchemaRegistry().get('2026-10');
		for (const [name, document] of Object.entries(DOCUMENTS)) {
			expect({ name, errors: validate(schema, parse(document)).map((error) => error.message) }).toEqual({ name, errors: [] });
		}
	});

	it('refuses an unknown discount and an empty list with user errors, and logs every call', async () => {
		const before = await addLogEntries();
		const unknown = await add('gid://shopify/DiscountCodeNode/0', [`NOPE-${run}`]);
		expect(unknown).toMatchObject({
			bulkCreation: null,
			userErrors: [{ field: ['discountId'], message: 'Code discount does not exist.', code: 'INVALID', extraInfo: null }],
		});
		// a mutation costs 10 points whatever it selects
		expect(unknown.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });

		const discountId = await createDiscount(`EMPTY-${run}`);
		const empty = await add(discountId, []);
		expect(empty).toMatchObject({ bulkCreation: null, userErrors: [{ field: ['codes'], message: "Codes can't be blank", code: 'BLANK', extraInfo: null }] });
		expect(await addLogEntries()).toBe(before + 2);
	});

	it('takes at most 250 codes a call: 251 fail the whole request with MAX_INPUT_SIZE_EXCEEDED, 250 are created', async () => {
		const discountId = await createDiscount(`CAP-${run}`);
		const before = await addLogEntries();
		const codes = Array.from({ length: 251 }, (_, i) => `CAP-${run}-${String(i).padStart(3, '0')}`);

		const tooMany = await rejectionOf<GraphqlQueryError>(add(discountId, codes));
		expect(tooMany).toBeInstanceOf(GraphqlQueryError);
		const body = tooMany.body as any;
		expect(body.errors.graphQLErrors).toEqual([{
			message: 'The input array size of 251 is greater than the maximum allowed of 250.',
			locations: [{ line: 2, column: 2 }],
			path: ['discountRedeemCodeBulkAdd', 'codes'],
			extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' },
		}]);
		expect(body.data).toBeUndefined();
		expect(body.extensions.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: null });
		// refused before running: nothing logged, nothing added
		expect(await addLogEntries()).toBe(before);
		expect((await codesOf(discountId)).codesCount).toEqual({ count: 1, precision: 'EXACT' });

		const started = await add(discountId, codes.slice(0, 250));
		expect(started.userErrors).toEqual([]);
		expect(started.bulkCreation).toMatchObject({ done: false, codesCount: 250, importedCount: 0, failedCount: 0 });
		const done = await waitForCreation(started.bulkCreation.id);
		expect(done).toMatchObject({ done: true, codesCount: 250, importedCount: 250, failedCount: 0, codes: { pageInfo: { hasNextPage: false } } });
		expect(done.codes.nodes.map((entry: any) => entry.discountRedeemCode?.code)).toEqual(codes.slice(0, 250));
		expect((await codesOf(discountId)).codesCount).toEqual({ count: 251, precision: 'EXACT' });
		expect(await addLogEntries()).toBe(before + 1);
	});

	it('creates the codes in the background and reports each code that could not be created', async () => {
		const base = `BASE-${run}`;
		const other = `OTHER-${run}`;
		const discountId = await createDiscount(base);
		await createDiscount(other);
		const fresh = [`FRESH-${run}-1`, `FRESH-${run}-2`];
		const codes = [fresh[0], '', 'X'.repeat(256), `NL-${run}\nX`, base.toLowerCase(), other, fresh[1], fresh[0]];

		const started = await add(discountId, codes);
		expect(started.userErrors).toEqual([]);
		expect(started.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
		const { id } = started.bulkCreation;
		expect(id).toMatch(/^gid:\/\/shopify\/DiscountRedeemCodeBulkCreation\/\d+$/);
		// queued: every code listed, none created or refused yet
		expect(started.bulkCreation).toMatchObject({
			done: false, codesCount: 8, importedCount: 0, failedCount: 0, discountCode: { id: discountId },
			codes: { nodes: codes.map((code) => ({ code, errors: [], discountRedeemCode: null })) },
		});
		expect(Number.isNaN(Date.parse(started.bulkCreation.createdAt))).toBe(false);

		const done = await waitForCreation(id);
		// clients have to poll: the creation was still queued when first asked
		expect(done.polls).toBeGreaterThan(0);
		expect(done).toMatchObject({ id, done: true, codesCount: 8, importedCount: 2, failedCount: 6, discountCode: { id: discountId }, createdAt: started.bulkCreation.createdAt });
		expect(done.codes.nodes.map((entry: any) => ({ code: entry.code, errors: entry.errors, created: entry.discountRedeemCode?.code ?? null }))).toEqual([
			{ code: fresh[0], errors: [], created: fresh[0] },
			{ code: '', errors: [codeError('is too short (minimum is 1 character)')], created: null },
			{ code: codes[2], errors: [codeError('is too long (maximum is 255 characters)')], created: null },
			{ code: codes[3], errors: [codeError('cannot contain newline characters.')], created: null },
			// the discount's own code, in another case, and another discount's code: taken
			{ code: codes[4], errors: [TAKEN], created: null },
			{ code: other, errors: [TAKEN], created: null },
			{ code: fresh[1], errors: [], created: fresh[1] },
			{ code: fresh[0], errors: [codeError('Codes must be unique within BulkDiscountCodeCreation')], created: null },
		]);
		expect(done.codes.nodes[0].discountRedeemCode).toEqual({ id: expect.stringMatching(/^gid:\/\/shopify\/DiscountRedeemCode\/\d+$/), code: fresh[0], asyncUsageCount: 0 });

		const { node } = (await request(CREATION_NODE, { id })).data;
		const { polls: _polls, ...read } = done;
		expect(node).toEqual({ __typename: 'DiscountRedeemCodeBulkCreation', ...read });
	});

	it('fails every code as taken when the same codes are added again, leaving the discount as it was', async () => {
		const base = `AGAIN-${run}`;
		const discountId = await createDiscount(base);
		const codes = [`AGAIN-${run}-A`, `AGAIN-${run}-B`, `AGAIN-${run}-C`];
		const first = await waitForCreation((await add(discountId, codes)).bulkCreation.id);
		expect(first).toMatchObject({ importedCount: 3, failedCount: 0 });
		const listed = await codesOf(discountId);

		// a retry after a lost answer: Shopify refuses each code as taken, which a client reads as already there
		const again = await waitForCreation((await add(discountId, codes.map((code) => code.toLowerCase()))).bulkCreation.id);
		expect(again).toMatchObject({ done: true, codesCount: 3, importedCount: 0, failedCount: 3 });
		expect(again.codes.nodes).toEqual(codes.map((code) => ({ code: code.toLowerCase(), errors: [TAKEN], discountRedeemCode: null })));
		expect(await codesOf(discountId)).toEqual(listed);
	});

	it('finds added codes with codeDiscountNodeByCode in any case and lists them on the discount', async () => {
		const base = `FIND-${run}`;
		const discountId = await createDiscount(base);
		const added = [`FIND-${run}-ONE`, `FIND-${run}-TWO`];
		expect((await request(BY_CODE, { code: added[0] })).data.codeDiscountNodeByCode).toBeNull();

		await waitForCreation((await add(discountId, added)).bulkCreation.id);
		for (const code of [added[0], added[1].toLowerCase(), base]) {
			expect((await request(BY_CODE, { code })).data.codeDiscountNodeByCode).toEqual({ id: discountId });
		}
		const discount = await codesOf(discountId);
		expect(discount.codes.nodes.map((redeem: any) => redeem.code)).toEqual([base, ...added]);
		expect(discount.codesCount).toEqual({ count: 3, precision: 'EXACT' });

		// an added code is taken for a new discount too
		const { data } = await request(CREATE, {
			discount: { title: 'Clash', code: added[1], startsAt: fromAnchor(-31), customerGets: { value: { percentage: 0.1 }, items: { all: true } } },
		});
		expect(data.discountCodeBasicCreate).toEqual({
			codeDiscountNode: null,
			userErrors: [{ field: ['basicCodeDiscount', 'code'], message: 'Code must be unique. Please try a different code.', code: 'TAKEN' }],
		});
	});
});

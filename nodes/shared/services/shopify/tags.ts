/**
 * Tags on Shopify customers and orders.
 */
import type { ShopifyService } from './client';

/** A mutation costs 10 points: 50 of them stay well inside one request's 1000. */
const TAG_MUTATIONS_PER_REQUEST = 50;

/**
 * Adds tags to customers and orders (tagsAdd is idempotent: a tag already there stays once), many
 * per request. Returns Shopify's user errors by id; transport failures throw.
 */
export async function addTags(shopify: ShopifyService, targets: Array<{ id: string; tags: string[] }>): Promise<Map<string, string[]>> {
	const problems = new Map<string, string[]>();
	for (let i = 0; i < targets.length; i += TAG_MUTATIONS_PER_REQUEST) {
		const chunk = targets.slice(i, i + TAG_MUTATIONS_PER_REQUEST);
		const document = `mutation CxAddTags {\n${chunk
			.map((target, n) => `t${n}: tagsAdd(id: ${JSON.stringify(target.id)}, tags: ${JSON.stringify(target.tags)}) { userErrors { field message } }`)
			.join('\n')}\n}`;
		const { data } = await shopify.query<Record<string, { userErrors: Array<{ message: string }> }>>(document);
		chunk.forEach((target, n) => {
			const errors = data?.[`t${n}`]?.userErrors ?? [];
			if (errors.length) problems.set(target.id, errors.map((error) => error.message));
		});
	}
	return problems;
}


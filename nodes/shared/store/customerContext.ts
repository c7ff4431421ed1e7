/**
 * `customer_context` (migrations 20261205140000_customer_context_cache, 20261206130000_customer_context_escalation):
 * what CX Ticket Triage last read from Shopify about a customer (tier inputs: tags, amount spent, number of orders;
 * the latest order's state; first name and address for the acknowledgement), with when it was read, and what
 * CX VIP Escalation reads besides (last name, phone, the latest orders: the "detail"), with when. A burst of tickets
 * from the same customers then costs Shopify's API budget once per customer and window instead of once per ticket.
 *
 * A copy of personal data: erased with the customer (cx_privacy_erase, cx_privacy_erase_shop), listed in a data
 * request (cx_privacy_export), and never written for a customer the pack has erased (checked here, and by the
 * table's trigger for a triage that read Shopify before the erasure and writes after it).
 */
import { customerGid, type CustomerProfile } from '../contract/customer';
import { isCurrency } from '../money';
import { customerProfiles } from '../services/shopify/customers';
import type { ShopifyService } from '../services/shopify/client';
import { inList, KEYS_PER_FILTER, type Row, type SupabaseService } from '../services/supabase';
import { erasedAmong } from './privacy';

export const CUSTOMER_CONTEXT_TABLE = 'customer_context';
/** One row per Shopify customer. */
export const CUSTOMER_CONTEXT_KEY = 'customer_id';
/** An entry read up to this far after the run's Now still counts (runs started moments apart on other workers). */
const CLOCK_SKEW_MS = 60_000;

const COLUMNS = 'customer_id, customer_email, first_name, tags, amount_spent_cents, currency, number_of_orders, latest_order, fetched_at';
/** What an escalation reads besides (migration 20261206130000_customer_context_escalation). */
const DETAIL_COLUMNS = 'last_name, phone, recent_orders, detail_fetched_at';

export interface CachedCustomer {
	profile: CustomerProfile;
	fetchedAt: Date;
	/** When the last name, phone and latest orders were read; undefined when they never were (triage reads none). */
	detailFetchedAt?: Date;
}

/** What a reader needs of a customer: triage's fields, or with `detail` also the last name, phone and latest orders. */
export interface ProfileNeeds {
	detail?: { recentOrders: number };
}

/**
 * Whether an entry read at `fetchedAt` may stand in for Shopify at `now` (the run's Now): read less than `maxAgeMinutes`
 * ago. An entry from later than Now (a run whose Now was set back) is read again, past a minute's grace for clocks;
 * 0 minutes turns the cache off.
 */
export function isFresh(fetchedAt: Date, now: Date, maxAgeMinutes: number): boolean {
	if (!(maxAgeMinutes > 0) || Number.isNaN(fetchedAt.getTime())) return false;
	const age = now.getTime() - fetchedAt.getTime();
	return age < maxAgeMinutes * 60_000 && age >= -CLOCK_SKEW_MS;
}

/**
 * The cached customers behind these ids (number or GID) and addresses, keyed as customerProfiles keys its answer:
 * by GID and by lower-cased address. One request per KEYS_PER_FILTER keys (a run of one ticket: one request).
 */
export async function cachedCustomers(supabase: SupabaseService, refs: { emails: string[]; ids: string[] }, needs: ProfileNeeds = {}): Promise<Map<string, CachedCustomer>> {
	const emails = [...new Set(refs.emails.map((email) => email.trim().toLowerCase()).filter(Boolean))];
	const ids = [...new Set(refs.ids.map(customerGid).filter((id): id is string => id !== undefined))];
	const keys: Array<{ column: 'customer_id' | 'email_key'; value: string }> = [
		...ids.map((value) => ({ column: 'customer_id' as const, value })),
		...emails.map((value) => ({ column: 'email_key' as const, value })),
	];
	const found = new Map<string, CachedCustomer>();
	for (let i = 0; i < keys.length; i += KEYS_PER_FILTER) {
		const chunk = keys.slice(i, i + KEYS_PER_FILTER);
		const filter = (['customer_id', 'email_key'] as const)
			.map((column) => [column, chunk.filter((key) => key.column === column).map((key) => key.value)] as const)
			.filter(([, values]) => values.length)
			.map(([column, values]) => `${column}.in.${inList(values)}`)
			.join(',');
		const columns = needs.detail ? `${COLUMNS}, ${DETAIL_COLUMNS}` : COLUMNS;
		const rows = await supabase.selectAll(`read ${CUSTOMER_CONTEXT_TABLE}`, CUSTOMER_CONTEXT_TABLE, columns, (query) => query.or(filter).order('customer_id'));
		for (const row of rows) {
			const cached = fromRow(row, !!needs.detail);
			if (!cached) continue;
			found.set(cached.profile.customerId, cached);
			const email = cached.profile.email?.toLowerCase();
			// two rows with one address (an address moved between customers in Shopify): the one read last speaks
			const other = email ? found.get(email) : undefined;
			if (email && (!other || other.fetchedAt < cached.fetchedAt)) found.set(email, cached);
		}
	}
	return found;
}

/**
 * Stores what was read from Shopify at `now`, one row per customer (replacing the one before); customers the pack
 * has erased are left out. With `detail` the profiles were read with the last name, phone and latest orders, and
 * those are stored too; without, the row keeps the ones it has (and when they were read). Returns how many customers
 * were written.
 */
export async function saveCustomers(supabase: SupabaseService, profiles: CustomerProfile[], now: Date, needs: ProfileNeeds = {}): Promise<number> {
	const unique = [...new Map(profiles.map((profile) => [profile.customerId, profile])).values()].filter((profile) => customerGid(profile.customerId) === profile.customerId);
	if (!unique.length) return 0;
	const erased = await erasedAmong(supabase, unique.map((profile) => ({ id: profile.customerId, email: profile.email ?? null })));
	const rows = unique.filter((_, index) => !erased.has(index)).map((profile) => toRow(profile, now, !!needs.detail));
	if (rows.length) await supabase.upsert(CUSTOMER_CONTEXT_TABLE, rows, CUSTOMER_CONTEXT_KEY);
	return rows.length;
}

function toRow(profile: CustomerProfile, now: Date, detail: boolean): Row {
	return {
		...(detail
			? { last_name: profile.lastName ?? null, phone: profile.phone ?? null, recent_orders: profile.recentOrders ?? [], detail_fetched_at: now.toISOString() }
			: {}),
		customer_id: profile.customerId,
		customer_email: profile.email ?? null,
		first_name: profile.firstName ?? null,
		tags: profile.tags,
		amount_spent_cents: profile.lifetimeSpend.cents,
		currency: profile.lifetimeSpend.currency,
		number_of_orders: profile.orderCount,
		latest_order: profile.latestOrder ?? null,
		fetched_at: now.toISOString(),
	};
}

/**
 * Which of these tickets' customers the cache answers at `now` (read less than `maxAgeMinutes` before it), keyed as
 * customerProfiles keys its answer, and what Shopify must still be asked for the others. A ticket is answered by
 * what it would be found by in Shopify first: its Shopify id when it has one, else its address; so a ticket is
 * given the same customer with the cache as without it. With `detail`, an entry answers only when its detail was
 * read within the window too.
 */
export function answeredFromCache(
	customers: Array<{ customerId?: string; customerEmail?: string }>,
	cached: Map<string, CachedCustomer>,
	now: Date,
	maxAgeMinutes: number,
	needs: ProfileNeeds = {},
): { profiles: Map<string, CustomerProfile>; toRead: { emails: string[]; ids: string[] } } {
	const profiles = new Map<string, CustomerProfile>();
	const emails = new Set<string>();
	const ids = new Set<string>();
	for (const customer of customers) {
		const gid = customer.customerId ? customerGid(customer.customerId) : undefined;
		const key = gid ?? customer.customerEmail?.trim().toLowerCase();
		const entry = key ? cached.get(key) : undefined;
		if (entry && isFresh(entry.fetchedAt, now, maxAgeMinutes) && (!needs.detail || (entry.detailFetchedAt && isFresh(entry.detailFetchedAt, now, maxAgeMinutes)))) {
			profiles.set(entry.profile.customerId, entry.profile);
			if (entry.profile.email) profiles.set(entry.profile.email.toLowerCase(), entry.profile);
			continue;
		}
		if (customer.customerEmail) emails.add(customer.customerEmail);
		if (customer.customerId) ids.add(customer.customerId);
	}
	return { profiles, toRead: { emails: [...emails], ids: [...ids] } };
}

/** The latest order as customerProfiles gives it (jsonb keeps no key order), or undefined. */
function readLatestOrder(value: unknown): CustomerProfile['latestOrder'] {
	if (!value || typeof value !== 'object') return undefined;
	const order = value as Record<string, unknown>;
	const text = (key: string) => (typeof order[key] === 'string' && order[key] ? { [key]: order[key] as string } : {});
	if (typeof order.id !== 'string' || typeof order.name !== 'string') return undefined;
	return {
		id: order.id,
		name: order.name,
		...text('processedAt'),
		fulfillmentStatus: String(order.fulfillmentStatus ?? ''),
		...text('deliveryStatus'),
		...text('estimatedDeliveryAt'),
		...text('deliveredAt'),
	};
}

/** The latest orders as customerProfiles gives them, or undefined when the value is not such a list. */
function readRecentOrders(value: unknown): CustomerProfile['recentOrders'] {
	if (!Array.isArray(value)) return undefined;
	const orders: NonNullable<CustomerProfile['recentOrders']> = [];
	for (const entry of value as Array<Record<string, unknown>>) {
		const total = (entry?.total ?? {}) as Record<string, unknown>;
		if (typeof entry?.id !== 'string' || typeof entry.name !== 'string' || !Number.isSafeInteger(total.cents) || typeof total.currency !== 'string' || !isCurrency(total.currency)) return undefined;
		orders.push({
			id: entry.id,
			name: entry.name,
			...(typeof entry.processedAt === 'string' && entry.processedAt ? { processedAt: entry.processedAt } : {}),
			fulfillmentStatus: String(entry.fulfillmentStatus ?? ''),
			total: { cents: total.cents as number, currency: total.currency },
		});
	}
	return orders;
}

/**
 * The profile a row holds, in the shape customerProfiles gives it (with `detail`, as asked with the last name, phone
 * and latest orders); undefined for a row that cannot be read. A row whose detail cannot be read is given without
 * it, so it is read from Shopify again.
 */
function fromRow(row: Row, detail: boolean): CachedCustomer | undefined {
	const fetchedAt = new Date(String(row.fetched_at));
	const cents = Number(row.amount_spent_cents);
	const orderCount = Number(row.number_of_orders);
	if (typeof row.customer_id !== 'string' || Number.isNaN(fetchedAt.getTime()) || !Number.isSafeInteger(cents) || !Number.isSafeInteger(orderCount) || typeof row.currency !== 'string') {
		return undefined;
	}
	const latestOrder = readLatestOrder(row.latest_order);
	const detailFetchedAt = detail && row.detail_fetched_at ? new Date(String(row.detail_fetched_at)) : undefined;
	const recentOrders = detailFetchedAt ? readRecentOrders(row.recent_orders) : undefined;
	const withDetail = !!detailFetchedAt && !Number.isNaN(detailFetchedAt.getTime()) && recentOrders !== undefined;
	const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
	const lastName = withDetail ? text(row.last_name) : undefined;
	const phone = withDetail ? text(row.phone) : undefined;
	return {
		fetchedAt,
		...(withDetail ? { detailFetchedAt } : {}),
		profile: {
			customerId: row.customer_id,
			...(typeof row.customer_email === 'string' && row.customer_email ? { email: row.customer_email } : {}),
			...(typeof row.first_name === 'string' && row.first_name ? { firstName: row.first_name } : {}),
			...(lastName ? { lastName } : {}),
			...(phone ? { phone } : {}),
			...(withDetail ? { recentOrders } : {}),
			lifetimeSpend: { cents, currency: row.currency },
			orderCount,
			tags: Array.isArray(row.tags) ? row.tags.map(String) : [],
			...(latestOrder ? { latestOrder } : {}),
		},
	};
}

/**
 * The customers' profiles: from the cache for those read within `maxAgeMinutes` of `now` (the run's Now), from
 * Shopify in one batch for the others, whose answers are stored for the next runs. `cache` undefined or 0 minutes:
 * Shopify for all. The cache only spares Shopify's budget: when it cannot be read or written, Shopify is asked as
 * without it, and the run goes on. Keys as customerProfiles gives them (GID and lower-cased address).
 */
export async function profilesThroughCache(
	shopify: ShopifyService,
	cache: SupabaseService | undefined,
	customers: Array<{ customerId?: string; customerEmail?: string }>,
	now: Date,
	maxAgeMinutes: number,
	needs: ProfileNeeds = {},
): Promise<Map<string, CustomerProfile>> {
	const refs = {
		emails: customers.flatMap((customer) => (customer.customerEmail ? [customer.customerEmail] : [])),
		ids: customers.flatMap((customer) => (customer.customerId ? [customer.customerId] : [])),
	};
	// triage reads no last name or phone: they are not asked for, nor kept
	const read = (wanted: typeof refs) => customerProfiles(shopify, wanted, needs.detail ? { recentOrders: needs.detail.recentOrders } : { contact: false });
	if (!cache || !(maxAgeMinutes > 0)) return read(refs);
	const cached = await cachedCustomers(cache, refs, needs).catch(() => new Map<string, CachedCustomer>());
	const { profiles, toRead } = answeredFromCache(customers, cached, now, maxAgeMinutes, needs);
	if (!toRead.emails.length && !toRead.ids.length) return profiles;
	const fetched = await read(toRead);
	await saveCustomers(cache, [...fetched.values()], now, needs).catch(() => 0);
	for (const [key, profile] of fetched) profiles.set(key, profile);
	return profiles;
}

/**
 * After Shopify has tagged these customers: the tag added to their cached rows too (those that have one), so a
 * profile read from the cache says the customer carries it. Returns how many rows changed.
 */
export async function addCachedTag(supabase: SupabaseService, customerIds: string[], tag: string): Promise<number> {
	const ids = [...new Set(customerIds.map(customerGid).filter((id): id is string => id !== undefined))];
	let changed = 0;
	for (let i = 0; i < ids.length; i += KEYS_PER_FILTER) {
		changed += Number(await supabase.callFunction<number>(`tag ${CUSTOMER_CONTEXT_TABLE}`, 'cx_customer_context_add_tag', { customer_ids: ids.slice(i, i + KEYS_PER_FILTER), tag }));
	}
	return changed;
}

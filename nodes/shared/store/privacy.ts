/**
 * `privacy_requests` and `erased_customers` (migration 20261205120000_privacy_requests): a privacy request recorded
 * with its legal due date and carried out in one transaction (cx_privacy_export, cx_privacy_erase,
 * cx_privacy_erase_shop), and the keys of erased customers, which the nodes that contact or score customers skip.
 * A key is the SHA-256 of an id form or of the lower-case address: the table holds no personal data itself.
 */
import { createHash, randomUUID } from 'node:crypto';
import { customerIdForms } from '../contract/customer';
import type { Row, SupabaseService } from '../services/supabase';

export const PRIVACY_REQUESTS_TABLE = 'privacy_requests';
export const ERASED_CUSTOMERS_TABLE = 'erased_customers';
/** The time the law gives to answer a request (GDPR art. 12(3): one month; Shopify asks for 30 days). */
export const PRIVACY_DUE_DAYS = 30;

export type PrivacyKind = 'customers/data_request' | 'customers/redact' | 'shop/redact' | 'manual/export' | 'manual/erase';

/** Whose data: every form of their ids, their addresses, and the orders named. */
export interface DataSubject {
	customerIds: string[];
	emails: string[];
	orderIds: string[];
}

/** The keys a customer is known by in erased_customers: each id form and each address, hashed. */
export function subjectKeys(subject: { customerIds?: string[]; emails?: string[] }): string[] {
	const plain = [...(subject.customerIds ?? []).flatMap((id) => customerIdForms(id)), ...(subject.emails ?? []).map((email) => email.trim().toLowerCase())].filter(Boolean);
	return [...new Set(plain)].map((value) => createHash('sha256').update(value).digest('hex'));
}

/** Records a request (once: one received again is the same row) and returns its row. */
export async function recordPrivacyRequest(supabase: SupabaseService, kind: PrivacyKind, reference: string, shopDomain: string | undefined, receivedAt: Date): Promise<Row> {
	const dueAt = new Date(receivedAt.getTime() + PRIVACY_DUE_DAYS * 86_400_000);
	await supabase.insertMissing(PRIVACY_REQUESTS_TABLE, [{ kind, reference, shop_domain: shopDomain ?? null, received_at: receivedAt.toISOString(), due_at: dueAt.toISOString() }], 'kind,reference');
	const [row] = await supabase.readWhere(PRIVACY_REQUESTS_TABLE, { filters: [{ column: 'kind', op: 'eq', value: kind }, { column: 'reference', op: 'eq', value: reference }] });
	return row;
}

/** Everything held about the subject, table by table (read only). */
export async function exportSubject(supabase: SupabaseService, subject: DataSubject): Promise<Record<string, Row[]>> {
	return supabase.callFunction<Record<string, Row[]>>('export a customer\'s data', 'cx_privacy_export', { customer_ids: subject.customerIds, emails: subject.emails, order_ids: subject.orderIds });
}

/**
 * Erases the subject's personal data (one transaction: cx_privacy_erase; a rerun changes nothing more) and keeps
 * their keys so no node contacts or scores them again; returns the rows changed per table.
 */
export async function eraseSubject(supabase: SupabaseService, subject: DataSubject, requestId: string, now: Date): Promise<Record<string, number>> {
	const keys = subjectKeys(subject);
	// the keys first: from here on the customer is skipped, even if the erasure itself has to be run again
	if (keys.length) await supabase.insertMissing(ERASED_CUSTOMERS_TABLE, keys.map((key) => ({ key_hash: key, erased_at: now.toISOString(), request_id: requestId })), 'key_hash');
	return supabase.callFunction<Record<string, number>>('erase a customer\'s data', 'cx_privacy_erase', {
		customer_ids: subject.customerIds.flatMap((id) => customerIdForms(id)),
		emails: subject.emails,
		order_ids: subject.orderIds,
		pseudonym: `erased:${randomUUID()}`,
	});
}

/** shop/redact: the personal data of every customer (cx_privacy_erase_shop); returns the rows changed per table. */
export async function eraseShop(supabase: SupabaseService): Promise<Record<string, number>> {
	return supabase.callFunction<Record<string, number>>('erase the shop\'s personal data', 'cx_privacy_erase_shop', {});
}

/** Marks a request done, with what was done (counts, never the data). */
export async function completePrivacyRequest(supabase: SupabaseService, id: string, now: Date, result: Row): Promise<void> {
	await supabase.updateWhere(PRIVACY_REQUESTS_TABLE, [{ column: 'id', op: 'eq', value: id }], { completed_at: now.toISOString(), result });
}

/**
 * Which of `customers` (by position) were erased: any of their id forms or their address is among the erased keys.
 * The erased keys are read whole, a page at a time (a store erases few customers; it may check a hundred thousand).
 */
export async function erasedAmong(supabase: SupabaseService, customers: Array<{ id?: string | null; email?: string | null }>): Promise<Set<number>> {
	if (!customers.length) return new Set();
	return erasedAmongKeys(new Set((await supabase.readWhere(ERASED_CUSTOMERS_TABLE, { columns: 'key_hash' })).map((row) => String(row.key_hash))), customers);
}

/** Which of `customers` (by position) any of whose id forms or address is among `erased` (key hashes read already). */
export function erasedAmongKeys(erased: ReadonlySet<string>, customers: Array<{ id?: string | null; email?: string | null }>): Set<number> {
	const found = new Set<number>();
	if (!erased.size) return found;
	customers.forEach((customer, index) => {
		const keys = subjectKeys({ customerIds: customer.id ? [customer.id] : [], emails: customer.email ? [customer.email] : [] });
		if (keys.some((key) => erased.has(key))) found.add(index);
	});
	return found;
}

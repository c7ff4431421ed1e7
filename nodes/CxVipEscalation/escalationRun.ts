/**
 * Carrying escalations out, exactly once per ticket and level: the ledger row in Supabase first, then the
 * email and the Shopify tags, each marked done on the row as it succeeds. A failure leaves the row
 * pending with its error, so the next run finishes what is missing and repeats nothing that was done.
 */
import { checkLeftClaim, claimRows, newClaim, sendUnderClaim, takeOverClaim, type Claim, type ClaimColumns } from '../shared/ledger';
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import type { CustomerTier, Priority } from '../shared/contract/request';
import type { Money } from '../shared/money';
import type { SendGridService } from '../shared/services/sendgrid';
import type { ShopifyService } from '../shared/services/shopify/client';
import { addTags } from '../shared/services/shopify/tags';
import type { Row, SupabaseService } from '../shared/services/supabase';
import type { CustomerProfile } from '../shared/contract/customer';
import { ledgerReasons, type BreachKind, type EscalationLevel } from './escalation';
import { renderEscalationEmail } from './escalationEmail';
import { raiseTicketEscalationLevel } from '../shared/store/tickets';
import { ESCALATIONS_KEY, ESCALATIONS_TABLE } from '../shared/store/escalations';
import { addCachedTag } from '../shared/store/customerContext';

export interface EscalationSettings {
	notify: boolean;
	tag: boolean;
	tagName: string;
	/** Options > Customer Cache Minutes: how long a customer read from Shopify is reused from customer_context (0: never). */
	customerCacheMinutes: number;
	/** Who hears of each level: a level's email goes to its own recipients and those of the levels below. */
	recipients: Record<EscalationLevel, string[]>;
	redactPersonalData: boolean;
	timeZone: string;
}

export interface Services {
	supabase?: SupabaseService;
	shopify?: ShopifyService;
	sendgrid?: SendGridService;
}

/** One escalation to carry out, with what its email shows. */
export interface PlannedEscalation {
	itemIndex: number;
	ticketId: string;
	level: EscalationLevel;
	reasons: string[];
	tier: CustomerTier;
	priority: Priority;
	subject: string;
	body: string;
	channel?: string;
	createdAt?: string;
	summary?: string;
	customerEmail?: string;
	customerId?: string;
	profile?: CustomerProfile;
	/** `tags`: the order's tags as Shopify gave them in this run (a tag it already carries is not added again). */
	order?: { id?: string; name?: string; value?: Money; tags?: string[] };
	sla?: { firstResponseDueAt?: string; resolutionDueAt?: string };
	breach?: { kind: BreachKind; dueAt: string };
}

/** unconfirmed: the email was claimed by a send whose outcome SendGrid left unclear (or by a run at the same time); it is not sent again. */
export type EscalationStatus = 'notified' | 'recorded' | 'already_escalated' | 'unconfirmed';

export interface EscalationOutcome {
	status: EscalationStatus;
	ledgerId?: string;
	messageId?: string;
	recipients: string[];
	tagged: string[];
	attempts?: number;
}

export function recipientsFor(level: EscalationLevel, settings: EscalationSettings): string[] {
	const levels: EscalationLevel[] = level === 3 ? [1, 2, 3] : level === 2 ? [1, 2] : [1];
	return [...new Set(levels.flatMap((each) => settings.recipients[each]))];
}

const ledgerKey = (ticketId: string, level: number) => `${ticketId}\u0000${level}`;

/** Where an escalation's email claim lives on its row. */
const NOTIFY_CLAIM: ClaimColumns = { table: ESCALATIONS_TABLE, key: 'id', at: 'notify_claimed_at', token: 'notification_claim' };

/**
 * Records every escalation first (one request), then acts on each that is not done yet. Returns an
 * outcome or the service error for each escalation, in order; a failure is written to its row.
 */
export async function carryOut(
	ctx: IExecuteFunctions,
	services: Services,
	settings: EscalationSettings,
	planned: PlannedEscalation[],
	now: Date,
): Promise<Array<EscalationOutcome | NodeApiError>> {
	const ledger = new Map<string, Row>();
	if (services.supabase && planned.length) {
		await services.supabase.insertMissing(
			ESCALATIONS_TABLE,
			planned.map((escalation) => ({
				ticket_external_id: escalation.ticketId,
				level: escalation.level,
				customer_id: escalation.profile?.customerId ?? escalation.customerId ?? null,
				customer_email: escalation.customerEmail ?? null,
				tier: escalation.tier,
				priority: escalation.priority,
				reasons: escalation.reasons,
				recipients: settings.notify ? recipientsFor(escalation.level, settings) : [],
				status: 'pending',
			})),
			ESCALATIONS_KEY,
		);
		const rows = await services.supabase.rowsWhereIn(ESCALATIONS_TABLE, 'ticket_external_id', planned.map((escalation) => escalation.ticketId));
		for (const row of rows) ledger.set(ledgerKey(String(row.ticket_external_id), Number(row.level)), row);
	}

	// tags for every escalation not tagged yet, in one batch: tagsAdd keeps a tag once however often it is added, and a
	// customer or order whose tags, read from Shopify in this run, already hold it is not sent again (a mutation costs
	// 10 of Shopify's query points, and a customer escalated again mostly carries the tag from the first time)
	const tagTargets = new Map<number, string[]>();
	const toAdd = new Set<string>();
	const carries = (tags: string[] | undefined) => !!tags?.includes(settings.tagName);
	planned.forEach((escalation, index) => {
		const row = ledger.get(ledgerKey(escalation.ticketId, escalation.level));
		if (!settings.tag || !services.shopify || row?.status === 'notified' || row?.tagged_at) return;
		const owners = [
			{ id: escalation.profile?.customerId, tagged: carries(escalation.profile?.tags) },
			{ id: escalation.order?.id, tagged: carries(escalation.order?.tags) },
		].filter((owner): owner is { id: string; tagged: boolean } => !!owner.id?.startsWith('gid://shopify/'));
		for (const owner of owners) if (!owner.tagged) toAdd.add(owner.id);
		if (owners.length) tagTargets.set(index, owners.map((owner) => owner.id));
	});
	let tagProblems = new Map<string, string[]>();
	let tagFailure: NodeApiError | undefined;
	if (toAdd.size && services.shopify) {
		const targets = [...toAdd].map((id) => ({ id, tags: [settings.tagName] }));
		try {
			tagProblems = await addTags(services.shopify, targets);
		} catch (error) {
			tagFailure = error as NodeApiError;
		}
		// the customers now tagged carry the tag in the cache too, so an escalation read from it adds it no second time
		// (the cache only spares Shopify's budget: a row left without it costs one more tagsAdd)
		const tagged = tagFailure ? [] : [...toAdd].filter((id) => id.startsWith('gid://shopify/Customer/') && !tagProblems.has(id));
		if (services.supabase && tagged.length) await addCachedTag(services.supabase, tagged, settings.tagName).catch(() => 0);
	}

	const outcomes: Array<EscalationOutcome | NodeApiError> = [];
	for (const [index, escalation] of planned.entries()) {
		const row = ledger.get(ledgerKey(escalation.ticketId, escalation.level));
		const recipients = settings.notify ? recipientsFor(escalation.level, settings) : [];
		if (row?.status === 'notified') {
			outcomes.push({ status: 'already_escalated', ledgerId: String(row.id), recipients: (row.recipients as string[]) ?? [], tagged: [], attempts: Number(row.attempts) });
			continue;
		}
		const patch: Row = { attempts: Number(row?.attempts ?? 0) + 1 };
		// a row recorded for other reasons (the Escalate operation's, whose email failed) takes this escalation's too,
		// whether it succeeds or fails: the sweep reads a ticket's escalated breaches from its rows
		const recorded = (row?.reasons as string[] | null | undefined) ?? [];
		const reasons = ledgerReasons(recorded, escalation.reasons);
		if (row && reasons.length > recorded.length) patch.reasons = reasons;
		const tagged = tagTargets.get(index) ?? [];
		const problem = tagFailure ?? tagError(ctx, tagged, tagProblems);
		// the email is claimed before it is sent (when there is a ledger row): of two runs, or after an unclear send, nobody is paged twice
		const mails = settings.notify && !!services.sendgrid && !row?.notified_at;
		const claim = newClaim(now);
		// the email of a claim an earlier attempt left unsettled, found in SendGrid's activity: not sent again
		let sentBefore: string | undefined;
		if (mails && row && services.supabase && !(await claimRows(services.supabase, NOTIFY_CLAIM, [String(row.id)], claim)).has(String(row.id))) {
			const left = await judgeLeftClaim(services.supabase, services.sendgrid!, row, escalation, recipients, claim, now);
			if (left.verdict === 'sent') sentBefore = left.messageId;
			else if (!left.retaken) {
				outcomes.push({ status: 'unconfirmed', ledgerId: String(row.id), recipients, tagged: [], attempts: Number(row.attempts ?? 0) });
				continue;
			}
		}
		try {
			let messageId = sentBefore;
			if (sentBefore) {
				patch.notified_at = now.toISOString();
				patch.message_id = sentBefore;
			} else if (mails && services.sendgrid) {
				const email = renderEscalationEmail({
					level: escalation.level,
					reasons: escalation.reasons,
					...(escalation.summary ? { summary: escalation.summary } : {}),
					priority: escalation.priority,
					tier: escalation.tier,
					ticket: {
						id: escalation.ticketId,
						subject: escalation.subject,
						body: escalation.body,
						...(escalation.channel ? { channel: escalation.channel } : {}),
						...(escalation.createdAt ? { createdAt: escalation.createdAt } : {}),
					},
					customer: customerBlock(escalation, services.shopify),
					recentOrders: (escalation.profile?.recentOrders ?? []).map((order) => ({
						name: order.name,
						...(order.processedAt ? { processedAt: order.processedAt } : {}),
						total: order.total,
						fulfillmentStatus: order.fulfillmentStatus,
						...(services.shopify ? { adminUrl: services.shopify.adminUrl('orders', order.id) } : {}),
					})),
					...(escalation.order
						? {
								order: {
									...(escalation.order.name ? { name: escalation.order.name } : {}),
									...(escalation.order.value ? { value: escalation.order.value } : {}),
									...(escalation.order.id && services.shopify ? { adminUrl: services.shopify.adminUrl('orders', escalation.order.id) } : {}),
								},
							}
						: {}),
					...(escalation.sla ? { sla: escalation.sla } : {}),
					...(escalation.breach ? { breach: escalation.breach } : {}),
					redactPersonalData: settings.redactPersonalData,
					timeZone: settings.timeZone,
				});
				const send = () => services.sendgrid!.send({
					to: recipients,
					subject: email.subject,
					html: email.html,
					text: email.text,
					customArgs: { cx_ticket: escalation.ticketId, cx_escalation_level: String(escalation.level) },
					categories: ['cx-escalation'],
				});
				// no ledger row (Record in Supabase off): nothing to claim, release or keep
				messageId = row && services.supabase
					? await sendUnderClaim(services.supabase, NOTIFY_CLAIM, String(row.id), claim, send, 'SendGrid may have accepted the email, so it is not sent again: check SendGrid\'s activity for the custom argument cx_ticket before paging by hand.')
					: await send();
				patch.notified_at = now.toISOString();
				if (messageId) patch.message_id = messageId;
			}
			// a person hears first; a tag that failed is retried by the next run without a second email
			if (problem) throw problem;
			if (tagged.length) patch.tagged_at = now.toISOString();
			patch.status = 'notified';
			patch.last_error = null;
			if (row && services.supabase) {
				await services.supabase.updateById(ESCALATIONS_TABLE, String(row.id), patch);
				await raiseTicketEscalationLevel(services.supabase, escalation.ticketId, escalation.level);
			}
			outcomes.push({
				status: settings.notify ? 'notified' : 'recorded',
				...(row ? { ledgerId: String(row.id) } : {}),
				...(messageId ? { messageId } : {}),
				recipients,
				tagged,
				attempts: Number(patch.attempts),
			});
		} catch (error) {
			const failure = error instanceof NodeApiError ? error : new NodeApiError(ctx.getNode(), { message: String(error) } as JsonObject);
			if (row && services.supabase) {
				// the row stays retryable: pending work is finished by the next run
				await services.supabase.updateById(ESCALATIONS_TABLE, String(row.id), { ...patch, status: 'failed', last_error: failure.message.slice(0, 500) });
			}
			outcomes.push(failure);
		}
	}
	return outcomes;
}

function tagError(ctx: IExecuteFunctions, ids: string[], problems: Map<string, string[]>): NodeApiError | undefined {
	const messages = ids.flatMap((id) => (problems.get(id) ?? []).map((message) => `${id}: ${message}`));
	if (!messages.length) return undefined;
	return new NodeApiError(ctx.getNode(), { message: messages.join('; ') } as JsonObject, {
		message: `Shopify did not tag ${messages.join('; ')}`,
		description: 'Check that the Shopify app has the write_customers and write_orders scopes.',
	});
}

/**
 * An escalation email whose claim this run could not make: another run holds it, or one left it unsettled (n8n
 * stopped between the claim and the write after SendGrid's answer, a worker died, the answer was unclear). Judged
 * by SendGrid's activity (ledger.ts checkLeftClaim): sent, with its message id; surely not sent, the claim is taken
 * over (`retaken`) and this run pages; unknown, neither.
 */
async function judgeLeftClaim(
	supabase: SupabaseService,
	sendgrid: SendGridService,
	row: Row,
	escalation: PlannedEscalation,
	recipients: string[],
	claim: Claim,
	now: Date,
): Promise<{ verdict: 'sent'; messageId: string } | { verdict: 'not_sent' | 'unknown'; retaken: boolean }> {
	const [current] = await supabase.readWhere(ESCALATIONS_TABLE, { filters: [{ column: 'id', op: 'eq', value: String(row.id) }] });
	if (!current?.notify_claimed_at || current.notified_at) return { verdict: 'unknown', retaken: false };
	const found = await checkLeftClaim(sendgrid, 'cx_ticket', { id: escalation.ticketId, to: recipients[0], claimedAt: current.notify_claimed_at }, now, { cx_escalation_level: String(escalation.level) });
	if (found.verdict === 'sent') return found;
	const retaken = found.verdict === 'not_sent' && (await takeOverClaim(supabase, NOTIFY_CLAIM, String(row.id), String(current.notification_claim), claim));
	return { verdict: found.verdict, retaken };
}

function customerBlock(escalation: PlannedEscalation, shopify?: ShopifyService) {
	const profile = escalation.profile;
	return {
		...(profile?.firstName ? { firstName: profile.firstName } : {}),
		...(profile?.lastName ? { lastName: profile.lastName } : {}),
		...(escalation.customerEmail ?? profile?.email ? { email: escalation.customerEmail ?? profile?.email } : {}),
		...(profile?.phone ? { phone: profile.phone } : {}),
		...(profile?.customerId ?? escalation.customerId ? { id: profile?.customerId ?? escalation.customerId } : {}),
		...(profile ? { lifetimeSpend: profile.lifetimeSpend, orderCount: profile.orderCount } : {}),
		...(profile && shopify ? { adminUrl: shopify.adminUrl('customers', profile.customerId) } : {}),
	};
}

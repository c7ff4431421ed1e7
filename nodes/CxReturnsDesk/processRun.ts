/**
 * Processing received returns once: each return's decision is the one the desk recorded when it approved it (or,
 * for a return a person approved in Shopify, the policy's decision now); a `process` row is written before
 * anything happens; the return's processing is claimed on the row, Shopify's quantities are read again, and only
 * what is left to process is processed; store credit's bonus and the customer's email are each claimed and done once.
 */
import { NodeApiError, type JsonObject } from 'n8n-workflow';
import type { Resolution, StoredReturn } from '../shared/contract/returnRequest';
import { claimRows, newClaim, settleClaim } from '../shared/ledger';
import type { Money } from '../shared/money';
import { creditStoreCredit } from '../shared/services/shopify/moneyBack';
import { processReturn, returnsById } from '../shared/services/shopify/returns';
import type { Row } from '../shared/services/supabase';
import { BONUS_CLAIM, CUSTOMER_EMAIL_CLAIM, recordReturnDecisions, returnDecisionsByReturnId, returnDecisionsOf } from '../shared/store/returnDecisions';
import { inPaidCurrency, planProcessing, refundedCents, type ProcessingPlan } from './processing';
import { decideReturn, type ReturnDecision } from './returnDecision';
import { renderProcessedEmail } from './returnEmails';
import { casesFor, sendOnce, toOrderCurrency, underActionClaim, type DeskServices, type DeskSettings, type EmailOutcome } from './returnRun';

/** processed: now or by an earlier run (`alreadyProcessed`); needs_review: a person acts (why in `reason`); in_progress: another run holds it. */
export type ProcessStatus = 'processed' | 'needs_review' | 'in_progress' | 'dry_run';

export interface ProcessOutcome {
	stored: StoredReturn;
	decision: ReturnDecision;
	status: ProcessStatus;
	plan?: ProcessingPlan;
	alreadyProcessed?: boolean;
	reason?: string;
	message?: string;
	ledgerId?: string;
	bonus?: { status: 'credited' | 'already_credited' | 'unconfirmed'; transactionId?: string };
	customerEmail?: EmailOutcome;
	failure?: NodeApiError;
}

export interface ReceivedReturn {
	stored: StoredReturn;
	/** The customer's choice among the offers (a reply to the approval email), else the decision's first offer. */
	chosen?: Resolution;
}

const sum = (money: Money | undefined) => money?.cents ?? 0;

/** Processes every received return once. One outcome per return, in order. */
export async function processReturns(services: DeskServices, settings: DeskSettings, received: ReceivedReturn[], now: Date): Promise<ProcessOutcome[]> {
	const ids = received.map(({ stored }) => stored.request.returnId!);
	const supabase = services.supabase;
	const decided = supabase ? await returnDecisionsByReturnId(supabase, 'decide', ids) : new Map<string, Row>();
	// a return a person approved in Shopify was never approved here: the policy's decision now says what it is owed
	const undecided = received.filter(({ stored }) => !decided.has(stored.request.returnId!)).map(({ stored }) => stored);
	const cases = new Map((await casesFor(services, undecided, now)).map((request) => [request.returnId!, request]));
	const decisionOf = (stored: StoredReturn): ReturnDecision => {
		const row = decided.get(stored.request.returnId!);
		if (row) return { ...(row.decision as unknown as ReturnDecision), summary: '' };
		return decideReturn(cases.get(stored.request.returnId!)!, settings.policy, now, toOrderCurrency(stored.request.currency));
	};
	const planned = received.map(({ stored, chosen }) => {
		const decision = decisionOf(stored);
		return { stored, decision, plan: planProcessing(stored, decision, chosen, settings.policy.creditBonusPercent) };
	});
	if (settings.dryRun || !supabase) {
		return planned.map(({ stored, decision, plan }) =>
			'kind' in plan ? { stored, decision, status: plan.kind === 'done' ? 'processed' : 'needs_review', alreadyProcessed: plan.kind === 'done', reason: plan.reason, message: plan.message } : { stored, decision, status: 'dry_run', plan },
		);
	}

	const { rows } = await recordReturnDecisions(
		supabase,
		'process',
		planned.flatMap(({ stored, decision, plan }) =>
			'kind' in plan
				? []
				: [
						{
							return_key: stored.request.returnId,
							return_id: stored.request.returnId,
							order_id: stored.request.orderId,
							source: stored.request.source,
							outcome: 'processed',
							resolution: plan.resolution,
							fault: decision.fault,
							return_reasons: [...new Set(stored.request.lines.map((line) => line.reason))],
							reasons: plan.reasons,
							currency: stored.request.currency,
							returned_cents: decision.returnedValue.cents,
							amount_due_cents: sum(plan.storeCredit) + sum(plan.creditBonus) + refundedCents(plan),
							decision: plan as unknown as Row,
							status: 'pending',
							created_at: now.toISOString(),
						},
					],
		),
	);
	const earlier = await returnDecisionsOf(supabase, 'process', planned.filter(({ plan }) => 'kind' in plan).map(({ stored }) => stored.request.returnId!));

	const outcomes: ProcessOutcome[] = [];
	for (const { stored, decision, plan } of planned) {
		const row = rows.get(stored.request.returnId!) ?? earlier.get(stored.request.returnId!);
		if ('kind' in plan && !(plan.kind === 'done' && row)) {
			outcomes.push({ stored, decision, status: plan.kind === 'done' ? 'processed' : 'needs_review', alreadyProcessed: plan.kind === 'done', reason: plan.reason, message: plan.message, ...(row ? { ledgerId: String(row.id) } : {}) });
			continue;
		}
		try {
			// processed by an earlier run: its bonus and email are finished if they were left
			if ('kind' in plan) {
				outcomes.push(await finish(services, settings, stored, decision, row!.decision as unknown as ProcessingPlan, row!, now, true));
				continue;
			}
			const acted = await act(services, settings, stored, decision, plan, row!, now);
			if (acted === 'in_progress') outcomes.push({ stored, decision, status: 'in_progress', plan, ledgerId: String(row!.id) });
			else outcomes.push(await finish(services, settings, stored, decision, plan, row!, now, acted === 'done_before'));
		} catch (error) {
			outcomes.push({ stored, decision, status: 'processed', ...('kind' in plan ? {} : { plan }), ledgerId: String(row!.id), failure: error as NodeApiError });
		}
	}
	return outcomes;
}

/** The return's processing, once: claimed on the row, planned again from Shopify's quantities now, then sent. */
async function act(services: DeskServices, settings: DeskSettings, stored: StoredReturn, decision: ReturnDecision, plan: ProcessingPlan, row: Row, now: Date): Promise<'done' | 'done_before' | 'in_progress'> {
	return underActionClaim(services, stored, row, now, async () => {
		const returnId = stored.request.returnId!;
		// Shopify's quantities now: a run that stopped after processing left nothing to process, and nothing is sent twice
		const fresh = (await returnsById(services.shopify, [returnId])).get(returnId);
		const again = fresh ? planProcessing(fresh, decision, plan.resolution, settings.policy.creditBonusPercent) : { kind: 'not_open' as const, reason: 'return_gone', message: `Return ${stored.name} is no longer in Shopify.` };
		if ('kind' in again) {
			if (again.kind !== 'done') throw new NodeApiError(services.shopify.ctx.getNode(), { message: again.message } as JsonObject, { message: again.message, description: 'Nothing was processed; check the return in Shopify.' });
		} else {
			await processReturn(services.shopify, { returnId, ...inPaidCurrency(again, fresh!), ...(fresh?.restockLocationId ? { restockLocationId: fresh.restockLocationId } : {}), note: `CX Returns Desk: ${again.resolution.replace('_', ' ')}` });
		}
		return { status: 'done' };
	});
}

/** After the processing: store credit's bonus, then the customer's email, each once. */
async function finish(services: DeskServices, settings: DeskSettings, stored: StoredReturn, decision: ReturnDecision, plan: ProcessingPlan, row: Row, now: Date, alreadyProcessed: boolean): Promise<ProcessOutcome> {
	const outcome: ProcessOutcome = { stored, decision, status: 'processed', plan, ledgerId: String(row.id), ...(alreadyProcessed ? { alreadyProcessed: true } : {}) };
	const supabase = services.supabase!;
	const customerId = stored.request.customer.id;
	if (plan.creditBonus && plan.creditBonus.cents > 0 && customerId) {
		const claim = newClaim(now);
		if ((await claimRows(supabase, BONUS_CLAIM, [String(row.id)], claim)).has(String(row.id))) {
			// credited once: a failure after Shopify may have credited keeps the claim, and the bonus is not credited again
			const credited = await creditStoreCredit(services.shopify, customerId, inPaidCurrency(plan, stored).creditBonus!);
			await settleClaim(supabase, BONUS_CLAIM, [String(row.id)], claim, { bonus_transaction_id: credited.transactionId || 'credited' });
			outcome.bonus = { status: 'credited', ...(credited.transactionId ? { transactionId: credited.transactionId } : {}) };
		} else {
			const [current] = await supabase.readWhere(BONUS_CLAIM.table, { filters: [{ column: 'id', op: 'eq', value: String(row.id) }] });
			outcome.bonus = current?.bonus_transaction_id ? { status: 'already_credited', transactionId: String(current.bonus_transaction_id) } : { status: 'unconfirmed' };
		}
	}
	if (settings.notifyCustomer && services.sendgrid) {
		const to = stored.request.customer.email;
		if (!to) outcome.customerEmail = { status: 'not_sent', why: 'the order has no customer email' };
		else {
			const exchange = decision.lines.find((line) => line.exchangeVariant)?.exchangeVariant;
			// the customer is told in the currency they paid in, as Shopify paid it
			const paid = inPaidCurrency(plan, stored);
			const currency = stored.presentment?.presentmentTotal.currency ?? stored.request.currency;
			const amount = { cents: sum(paid.storeCredit) + refundedCents(paid), currency };
			const email = renderProcessedEmail({
				firstName: stored.request.customer.name?.split(' ')[0],
				orderName: stored.request.orderName,
				resolution: plan.resolution,
				amount,
				bonus: paid.creditBonus ?? { cents: 0, currency },
				...(exchange ? { exchangeTitle: exchange.title } : {}),
				...(settings.storeName ? { storeName: settings.storeName } : {}),
			});
			outcome.customerEmail = await sendOnce(services, CUSTOMER_EMAIL_CLAIM, 'customer', String(row.id), now, async () =>
				services.sendgrid!.send({ to, subject: email.subject, html: email.html, text: email.text, customArgs: { cx_return: stored.request.returnId!, cx_email: 'processed' }, categories: ['cx-returns'] }),
			);
		}
	}
	return outcome;
}

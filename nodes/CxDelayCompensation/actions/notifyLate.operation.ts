/** Notify Late Orders: each order that will miss its promise gets one running-late email before the customer asks. */
import { NodeApiError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { readNow, readWholeNumberParameter } from '../../shared/n8n/options';
import { readOrdersToCheck, readPolicy } from './compensate.operation';
import { readTierPolicy } from '../../shared/n8n/policyOptions';
import { SendGridService } from '../../shared/services/sendgrid';
import { SupabaseService } from '../../shared/services/supabase';
import { failureSink } from '../../shared/n8n/errorItems';
import { notifyLateOrders, type NoticeSettings } from '../lateNoticeRun';

const NOTIFIED = 0;
const NOT_NOTIFIED = 1;

export async function notifyLate(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	// the promise's window, calendar and time zone, read as compensation reads them
	const policy = readPolicy.call(this, options);
	const tiers = readTierPolicy(options);
	const source = this.getNodeParameter('source', 0) as string;
	const templateId = String(this.getNodeParameter('noticeTemplateId', 0, '') || '').trim();
	const group = readWholeNumberParameter(this, 'unsubscribeGroupId', 'Transactional Unsubscribe Group ID', 0, 0);
	const settings: NoticeSettings = {
		dryRun: this.getNodeParameter('dryRun', 0, false) as boolean,
		...(templateId ? { templateId } : {}),
		...(group > 0 ? { unsubscribeGroupId: group } : {}),
		...(options.storeName ? { storeName: String(options.storeName) } : {}),
	};
	const outputs: INodeExecutionData[][] = [[], []];
	const fail = failureSink(this, outputs[NOT_NOTIFIED]);

	const orders = await readOrdersToCheck.call(this, source, now, tiers, policy, fail);

	// a dry run decides only: nothing is read from or written to Supabase, nothing is sent
	const services = settings.dryRun ? {} : { supabase: await SupabaseService.connect(this), sendgrid: await SendGridService.connect(this) };
	const outcomes = await notifyLateOrders(services, orders.map(({ order }) => order), policy, settings, now);
	outcomes.forEach((outcome, index) => {
		const itemIndex = orders[index].itemIndex;
		const { order, decision } = outcome;
		if (outcome.failure) {
			const kept = outcome.status === 'unconfirmed';
			fail(itemIndex, new NodeApiError(this.getNode(), { message: outcome.failure.message }, {
				message: `Item ${itemIndex} (order ${order.facts.name}): the running-late notice failed: ${outcome.failure.message}`,
				description: kept
					? outcome.failure.description ?? 'SendGrid may have accepted it: it is not sent again.'
					: 'SendGrid took nothing: the notice is left for the next run.',
				itemIndex,
			}));
			return;
		}
		const json = {
			order: { id: order.facts.orderId, name: order.facts.name, customer_email: order.customer.email ?? null },
			lateNotice: {
				...decision,
				status: outcome.status,
				...(settings.dryRun ? { dryRun: true } : {}),
				...(outcome.noticeId ? { noticeId: outcome.noticeId } : {}),
				...(outcome.messageId ? { messageId: outcome.messageId } : {}),
				...(outcome.sentAt ? { sentAt: outcome.sentAt } : {}),
				...(outcome.status === 'unconfirmed' ? { note: 'An earlier notice got an unclear answer from SendGrid (or another run holds it): it is not sent again.' } : {}),
			},
		} as unknown as IDataObject;
		outputs[decision.outcome === 'notify' ? NOTIFIED : NOT_NOTIFIED].push({ json, pairedItem: { item: itemIndex } });
	});
	return outputs;
}

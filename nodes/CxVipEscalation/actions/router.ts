/** CX VIP Escalation's operations: the shared settings and services are read once here, then each operation runs from a file of its own. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { readNow } from '../../shared/n8n/options';
import { readBusinessHours } from '../../shared/n8n/businessHours';
import { SendGridService } from '../../shared/services/sendgrid';
import { ShopifyService } from '../../shared/services/shopify/client';
import { SupabaseService } from '../../shared/services/supabase';
import type { Services } from '../escalationRun';
import { readPolicy, readSettings } from './common';
import { escalate } from './escalate.operation';
import { sweep } from './slaSweep.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readNow(this, options.now);
	const settings = readSettings.call(this, options);
	const record = this.getNodeParameter('recordInSupabase', 0, true) as boolean;
	const useShopify = this.getNodeParameter('useShopify', 0, true) as boolean;
	if (operation === 'slaSweep' && !record) {
		throw new NodeOperationError(this.getNode(), 'The SLA breach sweep reads open tickets from Supabase', { description: 'Turn on "Record in Supabase" and choose a Supabase credential.' });
	}
	const services: Services = {
		...(record ? { supabase: await SupabaseService.connect(this) } : {}),
		...(useShopify ? { shopify: await ShopifyService.connect(this) } : {}),
		...(settings.notify ? { sendgrid: await SendGridService.connect(this) } : {}),
	};
	const policy = readPolicy(options, readBusinessHours(this, options));
	return operation === 'slaSweep'
		? sweep.call(this, services, settings, policy, now)
		: escalate.call(this, services, settings, policy, now);
}

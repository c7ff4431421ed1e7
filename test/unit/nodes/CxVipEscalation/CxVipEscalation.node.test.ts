import { fakeContext } from '../../../support/fakeContext';
import { NodeOperationError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import { CxTicketTriage } from '../../../../nodes/CxTicketTriage/CxTicketTriage.node';
import { CxVipEscalation } from '../../../../nodes/CxVipEscalation/CxVipEscalation.node';
import { ESCALATION_LEVELS, ESCALATION_POLICY, TIER_POLICY } from '../../../../nodes/shared/policy';

/** The shell alone: no services (recording, email and Shopify off), so only the decision and the routing run. */
function run(items: IDataObject[], parameters: IDataObject = {}, continueOnFail = false) {
	const all: IDataObject = { operation: 'escalate', recordInSupabase: false, notifyByEmail: false, useShopify: false, ...parameters, options: { now: '2026-11-02T12:00:00Z', ...(parameters.options as IDataObject) } };
	const context = fakeContext({ node: 'CX VIP Escalation', items, parameters: all, continueOnFail: continueOnFail });
	return new CxVipEscalation().execute.call(context);
}

const raw = (change: IDataObject = {}): IDataObject => ({ id: 'R-1', customer_email: 'sam.sample@example-store.test', subject: 'Order', body: 'What sizes do you offer?', ...change });

describe('CX VIP Escalation node (no services)', () => {
	it('escalates raw items by rule with levels and keeps their fields; the rest goes to Not Escalated', async () => {
		const [escalated, notEscalated] = await run([
			raw(),
			raw({ id: 'R-2', tier: 'vip', subject: 'Torn print', body: 'My print arrived with a torn corner.' }),
			raw({ id: 'R-3', body: 'My lawyer will contact you.' }),
			raw({ id: 'R-4', order_value: '749.00' }),
		]);
		expect(notEscalated.map((item) => [item.json.id, (item.json.escalation as IDataObject).reasons])).toEqual([['R-1', ['no_escalation_rule_met']]]);
		expect(escalated.map((item) => [item.json.id, (item.json.escalation as IDataObject).level, (item.json.escalation as IDataObject).status])).toEqual([
			['R-2', 2, 'recorded'],
			['R-3', 3, 'recorded'],
			['R-4', 1, 'recorded'],
		]);
		expect(escalated.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it('a triaged VIP\'s thank-you and calm question are not issues: the tier alone does not escalate them; the VIP\'s complaint is escalated', async () => {
		const vip = (id: string, subject: string, body: string) => ({ id, subject, body, channel: 'email', customer_email: 'sam.sample@example-store.test', tier: 'vip', created_at: '2026-11-02T09:00:00Z' });
		const triageContext = fakeContext({
			node: 'CX Ticket Triage',
			items: [
				vip('V-1', 'Thank you', 'The prints arrived today and they are gorgeous, thank you so much!'),
				vip('V-2', 'Sizes', 'What sizes do you offer for the ocean print?'),
				vip('V-3', 'Late again', 'My parcel is a week late and nobody has answered my emails.'),
			],
			parameters: { options: { now: '2026-11-02T12:00:00Z' } },
		});
		const triaged = (await new CxTicketTriage().execute.call(triageContext)).flat().map((item) => item.json);
		const [escalated, notEscalated] = await run(triaged);
		const idOf = (item: INodeExecutionData) => ((item.json.ticket as IDataObject).id as string);
		expect(escalated.map(idOf)).toEqual(['V-3']);
		expect(Object.fromEntries(notEscalated.map((item) => [idOf(item), (item.json.escalation as IDataObject).reasons]))).toEqual({
			'V-1': ['no_escalation_rule_met', 'vip_not_escalated:praise_positive'],
			'V-2': ['no_escalation_rule_met', 'vip_not_escalated:product_question_neutral'],
		});
	});

	it('a customer who threatens a chargeback reaches the director; with Escalate Threatening Language off, only the team lead hears (for the urgent priority)', async () => {
		const threat = [raw({ id: 'R-9', body: 'Fix this or I will file a chargeback with my bank.' })];
		const levelOf = async (options: IDataObject) => {
			const [escalated] = await run(threat, { options });
			return escalated.map((item) => [(item.json.escalation as IDataObject).level, (item.json.escalation as IDataObject).reasons]);
		};
		expect(await levelOf({})).toEqual([[2, ['priority_urgent', 'threatening_language:chargeback', 'level_2:chargeback_threat']]]);
		expect(await levelOf({ escalateThreatening: false })).toEqual([[1, ['priority_urgent', 'level_1:one_rule']]]);
	});

	it('reads items from other sources with the Input Fields names', async () => {
		const [escalated] = await run([{ ref: 'HD-7', from: 'sam.sample@example-store.test', text: 'I will file a chargeback.' }], { fields: { id: 'ref', customerEmail: 'from', body: 'text' } });
		expect(escalated.map((item) => [item.json.ref, (item.json.escalation as IDataObject).level])).toEqual([['HD-7', 2]]);
	});

	it('names the item and the field of bad input; under Continue On Fail it becomes an error item', async () => {
		await expect(run([raw(), raw({ id: 'R-2', body: undefined })])).rejects.toThrow('Item 1: Field "body" is missing or empty');
		const [, notEscalated] = await run([raw({ channel: 'fax' }), raw({ id: 'R-2' })], {}, true);
		expect(notEscalated.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(notEscalated[0].json.error).toBe('Item 0: Field "channel" is "fax", which is not one of email, chat, phone, social, whatsapp');
	});

	it('a triaged item whose threats are not a list, or whose tier is not a tier, is an error item naming the field; the other items go on', async () => {
		const triaged = (id: string, triage: IDataObject) => ({ ticket: { id, subject: 'Late', body: 'Where is my order?' }, triage: { priority: 'medium', flags: { threats: [] }, ...triage } });
		const outputs = await run(
			[triaged('T-1', { flags: { threats: 'chargeback' } }), triaged('T-2', { tier: 'gold', tierSource: 'shopify' }), triaged('T-3', { flags: { threats: ['chargeback'] } })],
			{},
			true,
		);
		const errors = outputs.flat().filter((item) => item.json.error);
		expect(errors.map((item) => [item.pairedItem, item.json.error])).toEqual([
			[{ item: 0 }, 'Item 0: Field "triage.flags.threats" is "chargeback", not a list of threat kinds'],
			[{ item: 1 }, 'Item 1: Field "triage.tier" is "gold", which is not one of regular, premium, vip'],
		]);
		expect(outputs[0].map((item) => [(item.json.ticket as IDataObject).id, (item.json.escalation as IDataObject).level])).toEqual([['T-3', 2]]);
	});

	it('refuses to notify nobody, and a recipient that is not an address', async () => {
		await expect(run([raw()], { notifyByEmail: true })).rejects.toThrow(NodeOperationError);
		await expect(run([raw()], { notifyByEmail: true })).rejects.toThrow('no team lead (level 1) email is set');
		await expect(run([raw()], { notifyByEmail: true, recipientsLevel1: 'lead@example-store.test, not-an-address' })).rejects.toThrow('"not-an-address" in the team lead emails is not an email address');
	});

	it('the sweep needs the Supabase ledger', async () => {
		await expect(run([{}], { operation: 'slaSweep' })).rejects.toThrow('The SLA breach sweep reads open tickets from Supabase');
	});
});

describe('the node description', () => {
	it('shows the policy defaults (n8n reads literal defaults; these must match the policy\'s sources)', () => {
		const properties = new CxVipEscalation().description.properties;
		const options = properties.find((property) => property.name === 'options')!.options as Array<{ name: string; default: unknown }>;
		expect(Object.fromEntries(options.map((option) => [option.name, option.default]))).toMatchObject({
			...ESCALATION_POLICY,
			vipTag: TIER_POLICY.vipTag,
			vipLifetimeSpend: TIER_POLICY.vipLifetimeSpend,
			premiumLifetimeSpend: TIER_POLICY.premiumLifetimeSpend,
		});
		expect(properties.find((property) => property.name === 'tag')!.default).toBe(ESCALATION_LEVELS.shopifyTag);
	});
});

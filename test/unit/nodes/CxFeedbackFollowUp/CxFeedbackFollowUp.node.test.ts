import { fakeContext, NO_SERVICE } from '../../../support/fakeContext';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeOperationError, type IDataObject, type INodeProperties } from 'n8n-workflow';
import { CxFeedbackFollowUp } from '../../../../nodes/CxFeedbackFollowUp/CxFeedbackFollowUp.node';
import { FEEDBACK_TICKET_TAGS } from '../../../../nodes/CxFeedbackFollowUp/followUp';
import { FEEDBACK_POLICY } from '../../../../nodes/shared/policy';
import { rejectionOf } from '../../../support/context';
import { repoRoot } from '../../../support/standins';

const nodeDir = join(repoRoot, 'nodes', 'CxFeedbackFollowUp');
const description = new CxFeedbackFollowUp().description;
const optionsOf = (operation: string) =>
	Object.fromEntries(
		(description.properties.find((property) => property.name === 'options' && property.displayOptions?.show?.operation?.includes(operation))!.options as INodeProperties[]).map((option) => [option.name, option.default]),
	);

/** The checks before any service is connected: the credentials are the first thing a run past them asks for. */
function run(parameters: IDataObject, credentialsAsked: string[] = [], items: IDataObject[] = [{}]) {
	const context = fakeContext({ node: 'CX Feedback Follow-Up', items, parameters: parameters, credentialsAsked: credentialsAsked });
	return new CxFeedbackFollowUp().execute.call(context);
}

describe('CX Feedback Follow-Up node description', () => {
	it('shows the policy defaults (n8n reads literal defaults; these must match FEEDBACK_POLICY)', () => {
		expect(optionsOf('record')).toMatchObject({ dueDays: FEEDBACK_POLICY.dueDays, lookbackDays: 2, feedbackTicketTags: FEEDBACK_TICKET_TAGS.join(', '), unhappyOnly: false, now: '' });
		expect(optionsOf('remind')).toMatchObject({ remindDaysBefore: FEEDBACK_POLICY.remindDaysBefore, storeName: '', timeZone: '', now: '' });
	});

	it('has the outputs Feedback and Summary, asks for SendGrid only to remind', () => {
		expect(description.outputNames).toEqual(['Feedback', 'Summary']);
		expect(description.outputs).toHaveLength(2);
		expect(description.credentials).toEqual([
			{ name: 'cxSupabaseApi', required: true },
			{ name: 'cxSendGridApi', required: true, displayOptions: { show: { operation: ['remind'] } } },
		]);
	});

	it('ships its icons and a codex naming the node', () => {
		expect(existsSync(join(nodeDir, 'feedbackFollowUp.svg'))).toBe(true);
		expect(existsSync(join(nodeDir, 'feedbackFollowUp.dark.svg'))).toBe(true);
		const codex = JSON.parse(readFileSync(join(nodeDir, 'CxFeedbackFollowUp.node.json'), 'utf8'));
		expect(codex.node).toBe('n8n-nodes-cx-director.cxFeedbackFollowUp');
	});
});

describe('CX Feedback Follow-Up settings checks', () => {
	const record = { operation: 'record', source: 'supabase', defaultOwner: 'feedback-owner@example-store.test' };
	const remind = { operation: 'remind', escalateTo: 'cx-director@example-store.test' };

	it('refuses to record without a default owner, or with an owner that is not an email', async () => {
		const asked: string[] = [];
		const missing = await rejectionOf<NodeOperationError>(run({ ...record, defaultOwner: '' }, asked));
		expect(missing).toBeInstanceOf(NodeOperationError);
		expect(missing.message).toBe('No Default Owner is set');
		const wrong = await rejectionOf<NodeOperationError>(run({ ...record, ownersByTier: { vip: 'VIP team' } }, asked));
		expect(wrong.message).toBe('Owners by Tier > vip is "VIP team", which is not an email address');
		expect(asked).toEqual([]);
	});

	it('refuses nonsense numbers and a Now that is not a time', async () => {
		expect((await rejectionOf<NodeOperationError>(run({ ...record, options: { dueDays: 0 } }))).message).toBe('Option "Due in Days" must be a whole number of 1 or more, not 0');
		expect((await rejectionOf<NodeOperationError>(run({ ...remind, options: { remindDaysBefore: -1 } }))).message).toBe('Option "Remind Days Before" must be a whole number of 0 or more, not -1');
		expect((await rejectionOf<NodeOperationError>(run({ ...record, options: { now: 'soon' } }))).message).toBe('Option "Now" is not a date: soon');
	});

	it('refuses to remind without a valid escalation recipient or with an unknown time zone', async () => {
		expect((await rejectionOf<NodeOperationError>(run({ ...remind, escalateTo: '' }))).message).toBe('No Escalate To email is set');
		expect((await rejectionOf<NodeOperationError>(run({ ...remind, escalateTo: 'cx-director@example-store.test, manager' }))).message).toBe('"manager" in Escalate To is not an email address');
		expect((await rejectionOf<NodeOperationError>(run({ ...remind, options: { timeZone: 'Mars/Olympus' } }))).message).toBe('Option "Time Zone for Emails" is "Mars/Olympus", not an IANA time zone');
	});

	it('with valid settings, goes on to the services: Supabase to record; Supabase and SendGrid to remind', async () => {
		const recordAsked: string[] = [];
		expect((await rejectionOf<Error>(run(record, recordAsked))).message).toBe(NO_SERVICE);
		expect(recordAsked).toEqual(['cxSupabaseApi']);
		const remindAsked: string[] = [];
		expect((await rejectionOf<Error>(run(remind, remindAsked))).message).toBe(NO_SERVICE);
		expect(remindAsked).toEqual(['cxSupabaseApi']);
	});
});

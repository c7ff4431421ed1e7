/**
 * "Where is my order #1013?" posted to the support ticket intake in a real n8n 2.x that loads the pack as a
 * community package: triage reads the order from the Shopify stand-in and answers the customer at once with its
 * live status, tracking and an apology for the days late, in place of the acknowledgement; the email is read
 * back from the SendGrid stand-in's mailbox, the ticket's first response from Supabase; posted again, nobody
 * hears twice.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { n8n, tempUserFolder, workflowAsOf, type RunningN8n } from './n8n';
import { standin } from '../support/context';
import { formatTime } from '../../nodes/shared/email/text';
import { fromAnchor, repoRoot, standinsEnv, storedTime } from '../support/standins';

const INTAKE = join(repoRoot, 'workflows', 'support-ticket-intake.json');
const LARS = 'late.delivery@example-store.test';
const run = randomUUID().slice(0, 8);
const ID = `wismo-e2e-${run}`;
// the store's morning, a day after the anchor: the ticket came in at 09:58, the intake acts at 10:00
const CREATED_AT = fromAnchor(1, '09:58');
const NOW = fromAnchor(1, '10:00');

interface Delivery { to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }>; customArgs?: Record<string, string> }
interface Message { messageId: string; body: { categories?: string[] }; deliveries: Delivery[] }
type Answer = Record<string, any>;

describe('"where is my order #1013" through the support ticket intake', () => {
	const folder = tempUserFolder();
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	let server: RunningN8n | undefined;

	const orderStatusEmails = async () =>
		(await standin<Message[]>('sendgrid', `/__standin/messages?to=${encodeURIComponent(LARS)}`))
			.filter((message) => message.body.categories?.includes('cx-order-status'))
			.flatMap((message) => message.deliveries.filter((delivery) => delivery.customArgs?.cx_ticket === ID).map((delivery) => ({ messageId: message.messageId, delivery })));

	beforeAll(async () => {
		await supabase.from('tickets').delete().eq('external_id', ID);
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		// the store keeps UTC (the workflow's time zone, which the dates in the email follow): a zone with a clock change
		// between the promise and the arrival would count the days late in its own calendar
		const asOf = workflowAsOf(INTAKE, folder.path, NOW);
		const workflow = JSON.parse(readFileSync(asOf, 'utf8')) as { settings?: Record<string, unknown> };
		writeFileSync(asOf, JSON.stringify({ ...workflow, settings: { ...workflow.settings, timezone: 'UTC' } }));
		const [intake] = await n8n.importWorkflows({ userFolder: folder.path, files: [asOf] });
		await n8n.publishWorkflow({ userFolder: folder.path, id: intake.id });
	}, 300_000);

	afterAll(async () => {
		await server?.stop();
		await supabase.from('tickets').delete().eq('external_id', ID);
		folder.done(1);
	});

	it('answers with the order\'s status, tracking and apology, once, recorded as the first response', async () => {
		server = await n8n.startN8n({ userFolder: folder.path, port: process.env.N8N_PORT ? Number(process.env.N8N_PORT) : await n8n.freePort() });
		await n8n.waitForWebhook({ url: server.url, path: 'cx-ticket' });
		const ticket = { id: ID, channel: 'email', customer_email: LARS, created_at: CREATED_AT, subject: 'Where is my order #1013?', body: 'Hello, where is my order #1013? Please send me the tracking link.' };
		const post = async () => {
			const response = await fetch(`${server!.url}/webhook/cx-ticket`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ticket) });
			expect(response.status).toBe(200);
			return (await response.json()) as Answer;
		};

		const answer = await post();
		expect(answer).toMatchObject({
			ticket_id: ID,
			decision: 'queued',
			acknowledgement: { status: 'skipped', reason: 'answered_with_order_status' },
			order_status: { status: 'sent', identifiedBy: 'order_number', to: LARS, answeredAt: NOW, order: { orderName: '#1013', state: 'delivered', carrier: 'UPS', daysLate: 10, late: true } },
		});
		const { trackingNumber, trackingUrl } = answer.order_status.order as { trackingNumber: string; trackingUrl: string };
		expect(trackingNumber).toMatch(/^1Z5X\d{12}$/);
		expect(trackingUrl).toBe(`https://www.ups.com/track?tracknum=${trackingNumber}`);

		const mails = await orderStatusEmails();
		expect(mails).toHaveLength(1);
		const [{ messageId, delivery }] = mails;
		expect(messageId).toBe(answer.order_status.messageId);
		expect(delivery.to).toEqual([{ email: LARS, name: 'Lars' }]);
		expect(delivery.subject).toBe(`Your order #1013 is delivered [ticket ${ID}]`);
		const text = delivery.content.find((block) => block.type === 'text/plain')!.value;
		const html = delivery.content.find((block) => block.type === 'text/html')!.value;
		expect(text.startsWith('Hi Lars,\n\nThank you for contacting Example Store. Here is the latest on your order #1013')).toBe(true);
		expect(text).toContain(`We are sorry: your order arrived 10 days after the delivery date we promised (${formatTime(fromAnchor(-32), 'UTC', false)}).`);
		expect(text).toContain(`Tracking number: ${trackingNumber}`);
		expect(text).toContain(`Track your parcel: ${trackingUrl}`);
		expect(html).toContain(`<a href="${trackingUrl}">Track your parcel</a>`);

		const { data: row } = await supabase.from('tickets').select('acknowledged_at, acknowledgement_message_id, first_responded_at').eq('external_id', ID).single();
		expect(row).toEqual({ acknowledged_at: storedTime(NOW), acknowledgement_message_id: messageId, first_responded_at: storedTime(NOW) });

		// the helpdesk posts the same ticket again: nobody hears twice
		const again = await post();
		expect(again.order_status).toMatchObject({ status: 'already_acknowledged', messageId });
		expect(await orderStatusEmails()).toHaveLength(1);
		await server.stop();
		server = undefined;
		folder.passed();
	}, 300_000);
});

/**
 * The editor as a store owner meets it, in Debian's Chromium driven by playwright-core: sign in to a real
 * n8n 2.x with the pack installed as a community package, open the CX director workflow, check that the
 * pack's nodes render with their names and icons (on the canvas and in the nodes panel), execute the
 * workflow from the editor, and find the escalation email it sent in the SendGrid stand-in's mailbox.
 *
 * Run alone (the stand-ins must be running, the pack built):
 *   npm run standins start && npm run test:browser
 * `npm test` runs it after the end-to-end tests, with the stand-ins it started.
 *
 * Screenshots of each step land in test/browser/artifacts/ (emptied at the start, kept after the run);
 * a failing step also saves the page's HTML there.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { n8n, tempUserFolder, type RunningN8n } from '../e2e/n8n';
import { standin } from '../support/context';
import { repoRoot, standinsEnv } from '../support/standins';

const ARTIFACTS = join(__dirname, 'artifacts');
const WORKFLOWS = join(repoRoot, 'workflows');
const DIRECTOR = { id: 'cxDirector1', file: join(WORKFLOWS, 'cx-director.json') };
const OWNER_EMAIL = 'owner@example-store.test';
// level 1 of the escalation: the team lead hears of every escalated ticket
const TEAM_LEAD = 'support-lead@example-store.test';
const CHROMIUM = {
	executablePath: '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const packageJson = require(join(repoRoot, 'package.json')) as { name: string; n8n: { nodes: string[] } };

interface PackNode {
	/** the node type as n8n knows it: <package>.<name> */
	type: string;
	displayName: string;
	/** the icon's path under n8n's /icons/<package>/ route, as the editor requests it */
	iconPath: string;
}

/** Every node the package declares, from the built descriptions (what n8n loads). */
function declaredNodes(): PackNode[] {
	return packageJson.n8n.nodes.map((file) => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(join(repoRoot, file)) as Record<string, new () => { description: { name: string; displayName: string; icon: unknown } }>;
		const { description } = new (Object.values(exported)[0])();
		const icon = typeof description.icon === 'string' ? description.icon : (description.icon as { light: string }).light;
		return {
			type: `${packageJson.name}.${description.name}`,
			displayName: description.displayName,
			iconPath: `/icons/${packageJson.name}/${join(file, '..', icon.replace(/^file:/, ''))}`,
		};
	});
}

interface Workflow {
	nodes: Array<{ name: string; type: string; parameters: { jsonOutput?: string } }>;
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	pinData?: Record<string, Array<{ json: { body?: unknown } }>>;
}

interface SampleRequest {
	interaction_type: string;
	customer_details: { tier: string };
	ticket: { id: string; subject: string };
}

/**
 * What executing the director from the editor runs: the Manual Trigger (when there is one) with the sample
 * request it feeds (a Set node's raw JSON), else the default trigger with the webhook's pinned request.
 */
function directorSample(file: string): { manualTrigger?: string; request: SampleRequest; workflowPackNodes: string[] } {
	const workflow = JSON.parse(readFileSync(file, 'utf8')) as Workflow;
	const workflowPackNodes = workflow.nodes.filter((node) => node.type.startsWith(`${packageJson.name}.`)).map((node) => node.name);
	const manualTrigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger')?.name;
	let request: SampleRequest;
	if (manualTrigger) {
		const sampleName = workflow.connections[manualTrigger].main[0][0].node;
		request = JSON.parse(workflow.nodes.find((node) => node.name === sampleName)!.parameters.jsonOutput!) as SampleRequest;
	} else {
		const webhook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook')!.name;
		request = workflow.pinData![webhook][0].json.body as SampleRequest;
	}
	// what the test expects of the run: a VIP customer's support ticket, escalated
	expect(request).toMatchObject({ interaction_type: 'support_ticket', customer_details: { tier: 'vip' }, ticket: { id: expect.any(String), subject: expect.any(String) } });
	return { manualTrigger, request, workflowPackNodes };
}

interface Message {
	messageId: string;
	body: { categories?: string[]; custom_args?: Record<string, string> };
	deliveries: Array<{ to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }>; customArgs: Record<string, string> }>;
}

const LEVEL_NAMES: Record<string, string> = { '1': 'team lead', '2': 'director', '3': 'executive' };

describe('the CX director in the n8n editor (Chromium)', () => {
	const folder = tempUserFolder('cx-n8n-browser-');
	const env = standinsEnv();
	const supabase = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const packNodes = declaredNodes();
	const { manualTrigger, request, workflowPackNodes } = directorSample(DIRECTOR.file);
	const { ticket } = request;
	let server: RunningN8n | undefined;
	let browser: Browser | undefined;
	let page: Page;
	let shot = 0;
	// the sample ticket, and any other a run escalates, are forgotten afterwards
	const escalatedTickets = new Set<string>([ticket.id]);

	/** A screenshot of the page, numbered in the order taken. */
	const screenshot = async (name: string, target: Page = page) => {
		shot += 1;
		await target.screenshot({ path: join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`) });
	};

	/** Runs a step; when it fails, keeps what the browser showed (screenshot and HTML) beside the others. */
	const step = async (name: string, body: () => Promise<void>, target: () => Page = () => page) => {
		try {
			await body();
		} catch (error) {
			const current = target();
			if (current && !current.isClosed()) {
				await current.screenshot({ path: join(ARTIFACTS, `failed-${name}.png`), fullPage: true }).catch(() => undefined);
				writeFileSync(join(ARTIFACTS, `failed-${name}.html`), await current.content().catch((reason: unknown) => `(no content: ${String(reason)})`));
			}
			throw error;
		}
	};

	const escalationMessages = async () =>
		(await standin<Message[]>('sendgrid', '/__standin/messages')).filter((message) => message.body.categories?.includes('cx-escalation'));

	/** The escalation ledger keeps each ticket and level once: forget this run's tickets so the next run mails again. */
	const forget = async (tickets: string[]) => {
		if (tickets.length === 0) return;
		await supabase.from('escalations').delete().in('ticket_external_id', tickets).throwOnError();
		await supabase.from('tickets').delete().in('external_id', tickets).throwOnError();
	};

	beforeAll(async () => {
		rmSync(ARTIFACTS, { recursive: true, force: true });
		mkdirSync(ARTIFACTS, { recursive: true });
		// a run that stopped before its clean-up left the sample ticket escalated: it would not be mailed again
		await forget([ticket.id]);
		await n8n.installPack({ userFolder: folder.path });
		await n8n.writeCredentials({ userFolder: folder.path, standins: env });
		const files = readdirSync(WORKFLOWS).filter((file) => file.endsWith('.json')).map((file) => join(WORKFLOWS, file));
		await n8n.importWorkflows({ userFolder: folder.path, files });
		server = await n8n.startN8n({ userFolder: folder.path, port: await n8n.freePort() });
		// generated for this user folder and kept there (mode 600); never printed
		await n8n.setupOwner({ url: server.url, email: OWNER_EMAIL, password: n8n.ownerPassword(folder.path) });
		browser = await chromium.launch(CHROMIUM);
		page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 2 });
		page.setDefaultTimeout(30_000);
	}, 300_000);

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await forget([...escalatedTickets].filter(Boolean));
		folder.done(5);
	}, 60_000);

	it('signs in through the sign-in page', async () => {
		await step('sign-in', async () => {
			await page.goto(`${server!.editorUrl}signin`);
			await page.locator('[data-test-id="signin-form"]').waitFor();
			await screenshot('sign-in-page');
			await page.locator('input#emailOrLdapLoginId').fill(OWNER_EMAIL);
			await page.locator('input#password').fill(n8n.ownerPassword(folder.path));
			await page.locator('[data-test-id="form-submit-button"]').click();
			await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
			await page.locator('[data-test-id="main-sidebar-settings"]').waitFor();
			await screenshot('signed-in');
		});
		folder.passed();
	}, 120_000);

	it('opens the director workflow: every pack node on the canvas shows its name and its icon', async () => {
		await step('canvas', async () => {
			await page.goto(`${server!.editorUrl}workflow/${DIRECTOR.id}`);
			await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
			await page.locator('[data-test-id="execute-workflow-button"]').waitFor();
			const onCanvas = page.locator(`[data-test-id="canvas-node"][data-node-type^="${packageJson.name}."]`);
			// every pack node of the workflow file is drawn, each once
			const drawn = await onCanvas.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node-name')));
			expect(drawn.sort()).toEqual(workflowPackNodes.sort());
			const count = drawn.length;
			for (let index = 0; index < count; index++) {
				const node = onCanvas.nth(index);
				const name = (await node.getAttribute('data-node-name'))!;
				const type = await node.getAttribute('data-node-type');
				const declared = packNodes.find((candidate) => candidate.type === type);
				expect({ name, declared: Boolean(declared) }).toEqual({ name, declared: true });
				await expect(visibleText(node.locator('[data-test-id="canvas-default-node"]'), name)).resolves.toBe(true);
				expect({ name, icon: await iconState(node.locator('[data-test-id="canvas-default-node"] .n8n-node-icon img')) }).toEqual({
					name,
					icon: { src: declared!.iconPath, loaded: true },
				});
			}
			await settled(page);
			await screenshot('director-canvas');
			// the same, closer: the part of the canvas that holds the pack's nodes (the page renders at twice the pixels)
			const boxes = (await Promise.all(Array.from({ length: count }, (_, index) => onCanvas.nth(index).boundingBox()))).filter((box) => box !== null);
			const margin = 60;
			const left = Math.max(0, Math.min(...boxes.map((box) => box.x)) - margin);
			const top = Math.max(0, Math.min(...boxes.map((box) => box.y)) - margin);
			const right = Math.max(...boxes.map((box) => box.x + box.width)) + margin;
			const bottom = Math.max(...boxes.map((box) => box.y + box.height)) + margin;
			shot += 1;
			await page.screenshot({ path: join(ARTIFACTS, `${String(shot).padStart(2, '0')}-director-pack-nodes.png`), clip: { x: left, y: top, width: right - left, height: bottom - top } });
		});
		folder.passed();
	}, 120_000);

	it('lists every node of the pack in the nodes panel, each with its name and its icon', async () => {
		await step('nodes-panel', async () => {
			await page.locator('[data-test-id="node-creator-plus-button"]').click();
			const search = page.locator('input[data-test-id="node-creator-search-bar"]');
			await search.fill('CX');
			await page.locator('[data-test-id="node-creator-node-item"]').first().waitFor();
			for (const node of packNodes) {
				// each entry of the list carries its node type in data-keyboard-nav-id ("<type>-<uuid>")
				const item = page.locator(`[data-test-id="node-creator"] [data-test-id="item-iterator-item"][data-keyboard-nav-id^="${node.type}-"]`);
				await expect(item.count()).resolves.toBe(1);
				await expect(item.locator('[data-test-id="node-creator-item-name"]').innerText()).resolves.toBe(node.displayName);
				// the first icon is the one shown; a second, hidden one follows the pointer while dragging
				expect({ node: node.displayName, icon: await iconState(item.locator('.n8n-node-icon img').first()) }).toEqual({
					node: node.displayName,
					icon: { src: node.iconPath, loaded: true },
				});
			}
			await settled(page);
			await screenshot('nodes-panel-cx');
			// the list is taller than the panel: its end, with the last of the pack's nodes
			await page.locator(`[data-test-id="node-creator"] [data-keyboard-nav-id^="${packNodes[packNodes.length - 1].type}-"]`).scrollIntoViewIfNeeded();
			await settled(page);
			await screenshot('nodes-panel-cx-end');
			await page.keyboard.press('Escape');
			await page.locator('[data-test-id="node-creator"]').waitFor({ state: 'detached' });
		});
		folder.passed();
	}, 120_000);

	it('executes the workflow from the editor, and the run succeeds', async () => {
		await step('execute', async () => {
			await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
			// with several triggers the button runs from the one chosen in its menu (a webhook without pinned data
			// would only wait for a call): choose the Manual Trigger, which feeds the sample request
			const chooseTrigger = page.locator('button[aria-label="Select trigger node"]');
			if (manualTrigger && (await chooseTrigger.isVisible())) {
				await chooseTrigger.click();
				await page.locator(`[role="menuitem"][data-test-id="action-${manualTrigger}"]`).click();
			}
			await page.locator('[data-test-id="execute-workflow-button"]').click();
			const toast = page.locator('.el-notification').filter({ hasText: 'Workflow executed successfully' });
			await toast.waitFor({ timeout: 120_000 });
			await settled(page);
			await screenshot('executed');
			await expect(page.locator('[data-test-id^="canvas-node-status-error"]').count()).resolves.toBe(0);
			// the pack's escalation node ran and succeeded
			const escalation = page.locator(`[data-test-id="canvas-node"][data-node-type="${packageJson.name}.cxVipEscalation"]`);
			await expect(escalation.locator('[data-test-id="canvas-node-status-success"]').count()).resolves.toBeGreaterThan(0);
			const sent = await escalationMessages();
			for (const message of sent) escalatedTickets.add(message.body.custom_args?.cx_ticket ?? '');
			expect(sent.map((message) => message.body.custom_args?.cx_ticket)).toEqual([ticket.id]);
		});
		folder.passed();
	}, 180_000);

	it('the mailbox shows the escalation email; opened, it tells the team lead about the VIP ticket', async () => {
		let mailbox: Page | undefined;
		await step(
			'mailbox',
			async () => {
				const [vip] = await escalationMessages();
				expect(vip.deliveries).toHaveLength(1);
				const [delivery] = vip.deliveries;
				mailbox = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
				await mailbox.goto(env.sendgrid.mailboxUrl);
				await screenshot('mailbox', mailbox);
				const row = mailbox.locator('tbody tr').filter({ has: mailbox.locator(`a[href="/mailbox/${encodeURIComponent(vip.messageId)}/0"]`) });
				await expect(row.count()).resolves.toBe(1);
				const rowText = await row.innerText();
				expect(rowText).toContain(TEAM_LEAD);
				expect(rowText).toContain(delivery.subject);
				expect(rowText).toContain('cx-escalation');

				await row.locator('a').click();
				await mailbox.waitForURL(`**/mailbox/${encodeURIComponent(vip.messageId)}/0`);
				await expect(mailbox.locator('h2').innerText()).resolves.toBe(delivery.subject);
				expect(delivery.subject).toMatch(/^\[Escalation L\d · [A-Z]+ · VIP\] /);
				expect(delivery.subject).toContain(ticket.subject);
				const facts = await mailbox.locator('dl').innerText();
				expect(facts).toContain(TEAM_LEAD);
				expect(facts).toContain(`cx_ticket=${ticket.id}`);
				const level = delivery.customArgs.cx_escalation_level;
				const email = mailbox.frameLocator('iframe[title="email"]').locator('body');
				await expect(email.innerText()).resolves.toContain(`For the ${LEVEL_NAMES[level]}`);
				const text = await mailbox.locator('pre').first().innerText();
				expect(text).toContain(`Escalation for the ${LEVEL_NAMES[level]}`);
				expect(text).toContain(`Ticket: ${ticket.id}`);
				expect(text).toContain(`Subject: ${ticket.subject}`);
				await screenshot('escalation-email', mailbox);
			},
			() => mailbox ?? page,
		);
		await mailbox?.close();
		folder.passed();
	}, 120_000);
});

/** Waits until the page's CSS transitions and animations have ended (the canvas fades in), for a screenshot. */
async function settled(page: Page): Promise<void> {
	await page
		.waitForFunction('document.getAnimations().every((animation) => animation.playState !== "running")', undefined, { timeout: 5_000 })
		.catch(() => undefined);
}

/** Whether `text` is shown, as written, inside `scope`. */
async function visibleText(scope: Locator, text: string): Promise<boolean> {
	return await scope.getByText(text, { exact: true }).first().isVisible();
}

/** An icon image's path (without host) and whether the browser loaded and decoded it. */
async function iconState(img: Locator): Promise<{ src: string; loaded: boolean }> {
	await img.waitFor({ state: 'attached' });
	return await img.evaluate(async (element) => {
		const image = element as unknown as { src: string; complete: boolean; naturalWidth: number; addEventListener(type: string, listener: () => void, options: object): void };
		// still loading: wait for the browser's verdict (a broken image ends with naturalWidth 0)
		if (!image.complete) {
			await new Promise<void>((resolve) => {
				['load', 'error'].forEach((type) => image.addEventListener(type, resolve, { once: true }));
				setTimeout(resolve, 15_000);
			});
		}
		return { src: new URL(image.src).pathname, loaded: image.naturalWidth > 0 };
	});
}

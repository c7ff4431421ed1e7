#!/usr/bin/env node
'use strict';
/**
 * CX Ticket Triage in a real n8n, against n8n's own floor: 10,000 tickets through the triage node and the same
 * 10,000 through n8n's No Operation node, end to end over a webhook. The requirement it checks: triage at most
 * 2x the floor.
 *
 *   node bench/triage-in-n8n.js [--tickets 10000] [--rounds 5] [--port 29700]     (after `npm run build`)
 *
 * n8n 2.x (scripts/provision.sh's, from its cache) starts in a fresh user folder with the pack installed as a
 * community package, as a store installs it, and three workflows that differ only in the node under test:
 *
 *   Webhook -> Make tickets (Code) -> [node under test] -> Merge (append) -> Count (Summarize) -> response
 *
 *   floor              No Operation
 *   triage             CX Ticket Triage, clocks around the clock
 *   triage, bus. hours CX Ticket Triage with Options > Business Hours (Mon-Fri 09:00-17:00 Europe/Berlin, two
 *                      holidays): every due time walks the store's calendar
 *
 * The triage node runs as a store without Shopify or Supabase would run it: Enrich From Shopify, Store in
 * Supabase and Acknowledge Customer off (their defaults), so it makes no request and needs no credential; Now is
 * fixed so that every run decides the same. Its two outputs (Escalate, Queue) both go into the Merge, so every
 * ticket reaches the count; the floor's single output goes into the same Merge. The webhook answers when the
 * run has ended (Respond: When Last Node Finishes) with the count, which is checked: every ticket went through.
 *
 * The tickets are made inside n8n by the Code node, the same 10,000 for every run (a seeded generator): email,
 * chat, phone, social and WhatsApp tickets of realistic lengths, in several languages' worth of phrasing,
 * emails with quoted history ("On ... wrote:" and "> " lines, forwarded headers) and signatures, some with
 * order numbers, values and tiers. Making them is the same work in every workflow.
 *
 * Each request is timed from the POST to the last byte of the answer. One untimed warm-up request per workflow
 * first (n8n compiles, the pack loads its model), then rounds in a rotating order, so each workflow runs first,
 * second and third equally often and a slow spell of the shared machine falls on all of them. Reported: each
 * workflow's median and every run, and the ratio of medians against the floor; and, from n8n's own record of
 * each run (its REST API, as the editor reads executions), the time n8n says each node took, so the node's own
 * share can be told from what n8n does around it (the Code node, moving items, saving the run).
 *
 * Saving: n8n saves every successful production run with all its items by default, and so does this benchmark
 * (what a store runs). Triage's items are larger than the floor's (the decision, its reasons, due times), so
 * saving them costs more: that is n8n's per-item cost, counted in the end-to-end time and shown apart below.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { performance } = require('node:perf_hooks');
const n8n = require('../scripts/n8n-local.js');

const root = path.resolve(__dirname, '..');
const PACKAGE_NAME = require(path.join(root, 'package.json')).name;
const NOW = '2026-11-20T16:00:00Z';

/** The Code node's program: the tickets, made inside n8n. `COUNT` is replaced with the number asked for. */
const MAKE_TICKETS = String.raw`// The same tickets on every run: a seeded generator, so each workflow triages the very same items.
const COUNT = __COUNT__;
let seed = 20261120;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (list) => list[Math.floor(random() * list.length)];
const firstNames = ['Anna', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kara', 'Luis', 'Maya', 'Noah', 'Olga', 'Priya'];
const lastNames = ['Schmidt', 'Okafor', 'Martin', 'Rossi', 'Nguyen', 'Kowalski', 'Dubois', 'Haddad', 'Silva', 'Jensen', 'Tanaka', 'Murphy'];
const prints = ['the large ocean print', 'the framed forest canvas', 'the 24x36 mountain poster', 'the gallery wrap of the harbour', 'the set of three botanical prints', 'the limited edition lighthouse print'];
const asks = [
  ['Where is my order?', 'Hi, where is my order #{order}? It was supposed to arrive last week and the tracking has not moved for five days. Could you check with the carrier please?'],
  ['Damaged on arrival', 'My order #{order} arrived today and {print} is damaged: the glass is cracked right across the corner and the frame is dented. The box itself looked fine. I would like a replacement as soon as possible.'],
  ['Wrong size delivered', 'I ordered {print} in 24x36 but received a 16x20. The packing slip says 24x36. Can you send the right size and tell me how to return this one?'],
  ['Refund please', 'I returned {print} two weeks ago (order #{order}) and still have not seen the refund on my card. The return was delivered to you on the 3rd according to the tracking.'],
  ['This is unacceptable', 'This is the third time I am writing about order #{order}. Nobody answers. If I do not get my money back by Friday I will file a chargeback with my bank and leave a review everywhere.'],
  ['Question about framing', 'Hello! Do you offer framing options for {print}? I would like it for my studio, ideally a thin black frame with a mat. What would the price be?'],
  ['Thank you!', 'Just wanted to say I love {print}. Beautiful colours, great packaging, and it arrived earlier than expected. It is already on the wall!'],
  ['Change my address', 'I just placed order #{order} and realised the shipping address is my old one. Can you change it to my new address before it ships? Sorry for the trouble.'],
  ['Cancel order', 'Please cancel order #{order}. I ordered {print} by mistake twice. I only need one.'],
  ['Discount code not working', 'The code from your newsletter is not accepted at checkout, it says expired but the email says it is valid until the end of the month.'],
  ['Exchange', 'Could I exchange {print} for a different colour? The blue does not match my living room as well as I hoped. It is unused and still in the packaging.'],
  ['Still waiting', 'My canvas still has not arrived and it is a week past the estimated date. What is going on? I need it for a gift on Saturday.'],
  ['Missing item', 'Order #{order} arrived but only two of the three botanical prints were in the box. The third one is missing.'],
  ['Invoice needed', 'Could you send me an invoice with my company name for order #{order}? I need it for my accounting.'],
];
const details = [
  'I have attached two photos of the damage.',
  'The order number is on the confirmation email from last Tuesday.',
  'I have been a customer for years and this has never happened before.',
  'My partner already asked on the chat but got no answer.',
  'Please reply by email, I cannot take calls during work hours.',
  'The courier left a note that they could not deliver, but I was at home all day.',
  'I paid with PayPal if that matters.',
  'It was meant to be a birthday present, so timing matters a lot.',
];
const quoted = [
  (name, date) => '\n\nOn ' + date + ', ' + name + ' Support <support@example-store.test> wrote:\n> Thank you for contacting us! We have received your message and will get back to you within 24 hours.\n> \n> Kind regards,\n> The Support Team',
  (name, date) => '\n\n-----Original Message-----\nFrom: Example Store <orders@example-store.test>\nSent: ' + date + '\nTo: ' + name + '\nSubject: Your order has shipped\n\nGood news! Your order is on its way. Track it here: https://tracking.example.test/ABC123\nEstimated delivery: 3-5 business days.',
  (name, date) => '\n\n> On ' + date + ' Example Store wrote:\n> > Hi ' + name + ',\n> > we are sorry to hear about the problem. Could you send us a photo?\n> > Best, Maria\n>\n> Here are the photos, see attachments.',
];
const signatures = [
  (name) => '\n\n--\n' + name + '\nSent from my iPhone',
  (name) => '\n\nBest regards,\n' + name + '\n+49 151 2345 6789\nwww.example-studio.test',
  (name) => '\n\nThanks,\n' + name,
  (name) => '\n\nCheers\n' + name.split(' ')[0] + '\n\nThis email and any attachments are confidential and intended solely for the addressee. If you received it in error, please delete it and notify the sender.',
  () => '',
];
const channels = ['email', 'email', 'email', 'chat', 'chat', 'phone', 'social', 'whatsapp'];
const tiers = [undefined, undefined, undefined, 'regular', 'premium', 'vip'];
const base = Date.parse('2026-11-16T00:00:00Z');
const out = [];
for (let n = 0; n < COUNT; n++) {
  const name = pick(firstNames) + ' ' + pick(lastNames);
  const [subject, ask] = pick(asks);
  const order = 1000 + Math.floor(random() * 4000);
  const channel = pick(channels);
  let body = ask.replace('{order}', String(order)).replace('{print}', pick(prints));
  const extra = Math.floor(random() * 4);
  for (let i = 0; i < extra; i++) body += ' ' + pick(details);
  const created = base + Math.floor(random() * 4.5 * 86400000);
  if (channel === 'email') {
    if (random() < 0.6) body += pick(quoted)(name, new Date(created - 86400000 * (1 + Math.floor(random() * 5))).toUTCString());
    body = 'Hello,\n\n' + body + pick(signatures)(name);
  }
  const ticket = {
    id: 'BN-' + (100000 + n),
    channel,
    customer_email: name.toLowerCase().replace(' ', '.') + '.' + (n % 3000) + '@example-mail.test',
    created_at: new Date(created).toISOString(),
    subject: channel === 'email' ? (random() < 0.3 ? 'Re: ' : '') + subject : '',
    body,
  };
  if (random() < 0.5) ticket.order_id = '#' + order;
  if (random() < 0.3) ticket.order_value = Math.round(20 + random() * 900) + 0.9;
  const tier = pick(tiers);
  if (tier) ticket.tier = tier;
  out.push({ json: ticket });
}
return out;
`;

const BUSINESS_HOURS = { hours: { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', holidays: '2026-12-24, 2026-12-25' } };

/** One benchmark workflow: the node under test between the ticket maker and the count. */
function workflow({ id, name, webhookPath, node, outputs, countField, tickets }) {
	const at = (x) => [x * 220, 300];
	const uuid = () => crypto.randomUUID();
	const mergeInputs = Array.from({ length: outputs }, (_, index) => [{ node: 'Merge', type: 'main', index }]);
	return {
		id,
		name,
		active: false,
		nodes: [
			{ id: uuid(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: at(0), webhookId: uuid(), parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} } },
			{ id: uuid(), name: 'Make tickets', type: 'n8n-nodes-base.code', typeVersion: 2, position: at(1), parameters: { jsCode: MAKE_TICKETS.replace('__COUNT__', String(tickets)) } },
			{ id: uuid(), name: 'Under test', position: at(2), ...node },
			{ id: uuid(), name: 'Merge', type: 'n8n-nodes-base.merge', typeVersion: 3.2, position: at(3), parameters: {} },
			{ id: uuid(), name: 'Count', type: 'n8n-nodes-base.summarize', typeVersion: 1.1, position: at(4), parameters: { fieldsToSummarize: { values: [{ aggregation: 'count', field: countField }] }, options: {} } },
		],
		connections: {
			Webhook: { main: [[{ node: 'Make tickets', type: 'main', index: 0 }]] },
			'Make tickets': { main: [[{ node: 'Under test', type: 'main', index: 0 }]] },
			'Under test': { main: mergeInputs },
			Merge: { main: [[{ node: 'Count', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

function triageNode(options) {
	return {
		type: `${PACKAGE_NAME}.cxTicketTriage`,
		typeVersion: 1,
		parameters: { operation: 'triage', enrichFromShopify: false, storeInSupabase: false, acknowledgeCustomer: false, fields: {}, options: { now: NOW, ...options } },
	};
}

/** n8n's installation: node_modules holding n8n and what it depends on (the binary is node_modules/.bin/n8n). */
const n8nModules = () => path.dirname(path.dirname(n8n.runtime().n8nBin));

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function post(url) {
	const began = performance.now();
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(30 * 60_000) });
	const text = await response.text();
	const ms = performance.now() - began;
	if (!response.ok) throw new Error(`POST ${url}: HTTP ${response.status} ${text.slice(0, 500)}`);
	return { ms, body: JSON.parse(text) };
}

/** n8n's own record of the latest runs of a workflow: per node, the time n8n says it took (ms). */
async function nodeTimes({ url, cookie, workflowId, limit }) {
	const flatted = require(path.join(n8nModules(), 'flatted'));
	const headers = { cookie, 'browser-id': 'cx-bench' };
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = await (await fetch(`${url}/rest/executions?filter=${filter}&limit=${limit}`, { headers })).json();
	const runs = [];
	for (const entry of list.data.results) {
		const detail = await (await fetch(`${url}/rest/executions/${entry.id}`, { headers })).json();
		const data = flatted.parse(detail.data.data);
		const times = {};
		for (const [nodeName, tasks] of Object.entries(data.resultData.runData)) times[nodeName] = tasks.reduce((sum, task) => sum + (task.executionTime ?? 0), 0);
		const started = Date.parse(detail.data.startedAt);
		const stopped = Date.parse(detail.data.stoppedAt);
		const first = runs.length === 0;
		runs.push({ id: entry.id, times, runMs: stopped - started, bytesIn: first ? bytesPerItem(data.resultData.runData['Make tickets']) : 0, bytesOut: first ? bytesPerItem(data.resultData.runData['Under test']) : 0 });
	}
	return runs;
}

/** Items' JSON size, bytes per item, of a node's first run (all its outputs). */
const bytesPerItem = (tasks) => {
	const items = (tasks?.[0]?.data?.main ?? []).flat().filter(Boolean);
	return items.length ? Buffer.byteLength(JSON.stringify(items.map((item) => item.json))) / items.length : 0;
};

/** The settings compared: n8n's default (every successful run saved with its items), and runs not saved. */
const SETTINGS = [
	{ key: 'saved', label: 'runs saved with their items (n8n\'s default)', env: {} },
	{ key: 'unsaved', label: 'successful runs not saved (EXECUTIONS_DATA_SAVE_ON_SUCCESS=none)', env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none' } },
];

/** One n8n start with `setting`: warm-ups, the timed rounds, and (when runs are saved) n8n's record of them. */
async function measure({ userFolder, port, setting, cases, tickets, rounds }) {
	const server = await n8n.startN8n({ userFolder, port, env: setting.env });
	try {
		for (const entry of cases) await n8n.waitForWebhook({ url: server.url, path: entry.path });
		const check = (entry, body) => {
			const counted = Object.values(body)[0];
			if (counted !== tickets) throw new Error(`${entry.label}: ${JSON.stringify(body)}, not ${tickets} items counted`);
		};
		const warmup = {};
		for (const entry of cases) {
			const { ms, body } = await post(`${server.url}/webhook/${entry.path}`);
			check(entry, body);
			warmup[entry.key] = ms;
			process.stderr.write(`[${setting.key}] warm-up ${entry.label}: ${ms.toFixed(0)} ms\n`);
		}
		const times = Object.fromEntries(cases.map((entry) => [entry.key, []]));
		for (let round = 0; round < rounds; round++) {
			const order = cases.map((_, index) => cases[(index + round) % cases.length]);
			for (const entry of order) {
				const { ms, body } = await post(`${server.url}/webhook/${entry.path}`);
				check(entry, body);
				times[entry.key].push(ms);
				process.stderr.write(`[${setting.key}] round ${round + 1} ${entry.label}: ${ms.toFixed(0)} ms\n`);
			}
		}
		// n8n's own account of the timed runs: what each node took, the run from start to stop, the items' sizes
		let breakdown;
		if (setting.key === 'saved') {
			try {
				const email = 'owner@example-store.test';
				const password = n8n.ownerPassword(userFolder);
				await n8n.setupOwner({ url: server.url, email, password });
				const cookie = await n8n.login({ url: server.url, email, password });
				breakdown = {};
				for (const entry of cases) breakdown[entry.key] = (await nodeTimes({ url: server.url, cookie, workflowId: entry.id, limit: rounds })).slice(0, rounds);
			} catch (error) {
				process.stderr.write(`n8n's per-node times could not be read: ${error.message}\n`);
			}
		}
		return { times, warmup, breakdown };
	} finally {
		await server.stop();
	}
}

async function main() {
	const args = process.argv.slice(2);
	const option = (name, fallback) => {
		const at = args.indexOf(`--${name}`);
		return at === -1 ? fallback : Number(args[at + 1]);
	};
	const tickets = option('tickets', 10_000);
	const rounds = option('rounds', 5);
	const port = option('port', Number(process.env.CX_BENCH_N8N_PORT || 29700));
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'cx-bench-triage-n8n-'));
	const cases = [
		{ key: 'floor', label: 'No Operation (floor)', path: 'cx-bench-floor', node: { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} }, outputs: 1, countField: 'id' },
		{ key: 'triage', label: 'CX Ticket Triage', path: 'cx-bench-triage', node: triageNode({}), outputs: 2, countField: 'ticket.id' },
		{ key: 'triageHours', label: 'CX Ticket Triage, business hours', path: 'cx-bench-triage-hours', node: triageNode({ businessHours: BUSINESS_HOURS }), outputs: 2, countField: 'ticket.id' },
	];
	try {
		const installed = await n8n.installPack({ userFolder });
		const files = cases.map((entry, index) => {
			entry.id = `cxBenchTriage${index + 1}`;
			const file = path.join(userFolder, `${entry.key}.json`);
			fs.writeFileSync(file, JSON.stringify(workflow({ id: entry.id, name: `bench: ${entry.label}`, webhookPath: entry.path, node: entry.node, outputs: entry.outputs, countField: entry.countField, tickets })));
			return file;
		});
		await n8n.importWorkflows({ userFolder, files });
		for (const entry of cases) await n8n.publishWorkflow({ userFolder, id: entry.id });
		const { version } = JSON.parse(fs.readFileSync(path.join(n8nModules(), 'n8n', 'package.json'), 'utf8'));
		process.stderr.write(`n8n ${version} on 127.0.0.1:${port}, ${installed.name}@${installed.version} installed in ${userFolder}\n`);

		console.log(`CX Ticket Triage in n8n ${version} against No Operation, ${tickets.toLocaleString('en-US')} tickets a run, end to end over a webhook (${rounds} rounds, rotating order, after one warm-up each; one n8n start per setting):`);
		for (const setting of SETTINGS) {
			const { times, warmup, breakdown } = await measure({ userFolder, port, setting, cases, tickets, rounds });
			const floor = median(times.floor);
			console.log(`${setting.label}:`);
			for (const entry of cases) {
				const value = median(times[entry.key]);
				const ratio = entry.key === 'floor' ? '' : `   ${(value / floor).toFixed(2)}x the floor (target <= 2.00x: ${value / floor <= 2 ? 'met' : 'MISSED'})`;
				console.log(`  ${entry.label.padEnd(34)} median ${`${value.toFixed(0)} ms`.padStart(9)}   runs: ${times[entry.key].map((ms) => ms.toFixed(0)).join(', ')} ms; warm-up ${warmup[entry.key].toFixed(0)} ms${ratio}`);
			}
			if (!breakdown) continue;
			console.log(`  n8n's own record of the same runs, medians (ms): the run from start to stop, what came after it (saving the run, answering), each node's execution time; items' JSON size:`);
			for (const entry of cases) {
				const runs = breakdown[entry.key];
				const nodes = Object.keys(runs[0]?.times ?? {});
				const cells = nodes.map((nodeName) => `${nodeName === 'Under test' ? entry.label : nodeName} ${median(runs.map((run) => run.times[nodeName] ?? 0)).toFixed(0)}`);
				const runMs = median(runs.map((run) => run.runMs));
				const sizes = `${runs[0].bytesIn.toFixed(0)} bytes an item in, ${runs[0].bytesOut.toFixed(0)} out`;
				console.log(`    ${entry.label.padEnd(34)} run ${runMs.toFixed(0)}, after it ${(median(times[entry.key]) - runMs).toFixed(0)}; ${cells.join(', ')}; ${sizes}`);
			}
		}
	} finally {
		if (process.env.CX_BENCH_KEEP_FOLDER) process.stderr.write(`user folder kept: ${userFolder}\n`);
		else fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});

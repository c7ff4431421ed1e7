import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { NodeApiError } from 'n8n-workflow';
import { escapeHtml } from '../../nodes/shared/email/html';
import { moneyFromDecimal } from '../../nodes/shared/money';
import { SendGridService } from '../../nodes/shared/services/sendgrid';
import { ShopifyService } from '../../nodes/shared/services/shopify/client';
import { customerProfiles } from '../../nodes/shared/services/shopify/customers';
import { addRedeemCodesToDiscounts, createDiscountCode, createDiscountCodes, DiscountEndsInPast } from '../../nodes/shared/services/shopify/discounts';
import { trackedOrders } from '../../nodes/shared/services/shopify/orderStatus';
import { ordersByReference } from '../../nodes/shared/services/shopify/orders';
import { StripeService } from '../../nodes/shared/services/stripe';
import { SupabaseService } from '../../nodes/shared/services/supabase';
import { markSentAndClaim } from '../../nodes/shared/store/winbackSends';
import { executeContext, rejectionOf, setShopifyBucket, standin } from '../support/context';
import { standinsEnv } from '../support/standins';

interface Delivery { to: Array<{ email: string }>; subject: string; content: Array<{ type: string; value: string }>; asmGroupId: number | null }
interface Message { messageId: string; deliveries: Delivery[] }

describe('Shopify service (Admin GraphQL through @shopify/shopify-api)', () => {
	it('waits for an empty cost bucket to refill instead of failing a burst: a throttle is pacing, not an error', async () => {
		const shopify = await ShopifyService.connect(executeContext());
		const throttled = async () => (await standin<{ queryPoints: { throttled: number } }>('shopify', '/__standin/state')).queryPoints.throttled;
		const throttledBefore = await throttled();
		// five customers with three recent orders each: 75 points requested, which an empty bucket refills in 750 ms
		// at the store's 100 a second, so the query always finds it short however long the request takes to arrive
		// (one customer, 4 points, found it refilled when the request took over 40 ms)
		const emails = ['VIP.Tagged@example-store.test', 'premium.buyer@example-store.test', 'regular.buyer@example-store.test', 'nobody.here@example-store.test', 'nobody.there@example-store.test'];
		await setShopifyBucket(0);
		try {
			const started = Date.now();
			const profiles = await customerProfiles(shopify, { emails, ids: [] }, { recentOrders: 3 });
			expect(profiles.get('vip.tagged@example-store.test')?.customerId).toBe('gid://shopify/Customer/1001');
			// Shopify answered THROTTLED, and the query waited for the points to refill before Shopify took it
			expect(await throttled()).toBeGreaterThan(throttledBefore);
			expect(Date.now() - started).toBeGreaterThanOrEqual(750);
		} finally {
			await setShopifyBucket(2000);
		}
	});

	it('looks up the customers of many tickets by email and by id in one request', async () => {
		const shopify = await ShopifyService.connect(executeContext());
		const profiles = await customerProfiles(shopify, {
			emails: ['VIP.Tagged@example-store.test', 'premium.buyer@example-store.test', 'regular.buyer@example-store.test', 'nobody.here@example-store.test'],
			ids: ['1002', 'gid://shopify/Customer/1007', 'helpdesk-4711'],
		});
		const vip = profiles.get('vip.tagged@example-store.test')!;
		expect(vip.tags).toContain('VIP');
		expect(vip.customerId).toBe('gid://shopify/Customer/1001');
		expect(vip.lifetimeSpend.currency).toBe('USD');
		expect(vip.latestOrder).toMatchObject({ name: expect.stringMatching(/^#\d+/), fulfillmentStatus: expect.any(String) });
		const spender = profiles.get('gid://shopify/Customer/1002')!;
		expect(spender.lifetimeSpend).toEqual({ cents: 146_500, currency: 'USD' }); // VIP by spend alone: $1,465 over the $1,000 line
		expect(profiles.get('premium.buyer@example-store.test')!.lifetimeSpend).toEqual({ cents: 64_700, currency: 'USD' }); // premium: $647 over $500
		expect(profiles.has('gid://shopify/Customer/1007')).toBe(true);
		expect(profiles.has('nobody.here@example-store.test')).toBe(false);
	});

	it('finds each customer by exactly the email given: one matching a whole domain by search crowds no one out, and quotes, commas or parentheses match only themselves', async () => {
		const shopify = await ShopifyService.connect(executeContext());
		// a search for "_@example-store.test" matches every customer of the domain (the stand-in tokenises as Shopify does)
		const greedy = ['_@example-store.test', 'example-store.test', '*@example-store.test', '"vip.tagged@example-store.test" OR email:premium.buyer@example-store.test', 'x),(email:*'];
		const profiles = await customerProfiles(shopify, { emails: [...greedy, 'VIP.Tagged@example-store.test', 'regular.buyer@example-store.test'], ids: [] });
		expect([...new Set(profiles.values())].map((profile) => profile.email).sort()).toEqual(['regular.buyer@example-store.test', 'vip.tagged@example-store.test']);
		expect(profiles.get('vip.tagged@example-store.test')!.tags).toContain('VIP');
	});

	it('finds orders by exactly the names given: a wildcard or a prefix crowds no other order off the page', async () => {
		const shopify = await ShopifyService.connect(executeContext());
		const { orders } = await trackedOrders(shopify, { references: ['*', '#*', '1', '#1001', '1002'], customerIds: [] });
		expect([...new Set([...orders.values()].map((order) => order.name))].sort()).toEqual(['#1001', '#1002']);
		const byReference = await ordersByReference(shopify, ['#*', '1*', '#1003']);
		expect([...new Set([...byReference.values()].map((order) => order.name))]).toEqual(['#1003']);
	});

	it('turns a bad token into a NodeApiError that says what to check, without the token', async () => {
		const context = executeContext();
		const getCredentials = context.getCredentials.bind(context);
		context.getCredentials = (async (type: string) => ({ ...(await getCredentials(type)), accessToken: 'shpat_wrong' })) as typeof context.getCredentials;
		const shopify = await ShopifyService.connect(context);
		const failure = await customerProfiles(shopify, { emails: ['vip.tagged@example-store.test'], ids: [] }).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(NodeApiError);
		expect((failure as NodeApiError).message).toContain('HTTP 401');
		expect((failure as NodeApiError).description).toContain('access token');
		expect(JSON.stringify(failure)).not.toContain('shpat_wrong');
	});
});

describe('Shopify discounts: several made in one request, codes added to several at once', () => {
	interface Logged { mutation: string; request?: string; codes?: number }
	const mutationLog = async () => (await standin<{ mutationLog: Logged[]; graphqlRequests: number }>('shopify', '/__standin/state'));
	const run = randomUUID().slice(0, 8).toUpperCase();
	const input = (code: string, endsAt = new Date(Date.now() + 30 * 86_400_000)) => ({ code, title: `Test ${code}`, value: { percent: 10 }, usageLimit: 1, startsAt: new Date(Date.now() - 60_000), endsAt });

	it('makes three discounts in one request; one an earlier attempt already made is found, not made again', async () => {
		const shopify = await ShopifyService.connect(executeContext());
		const earlier = await createDiscountCode(shopify, input(`CXT-${run}-A`));
		if (earlier instanceof DiscountEndsInPast) throw earlier;
		const before = await mutationLog();
		const made = await createDiscountCodes(shopify, [input(`CXT-${run}-A`), input(`CXT-${run}-B`), input(`CXT-${run}-C`)]);
		const after = await mutationLog();
		if (made instanceof DiscountEndsInPast) throw made;
		expect(made.map((entry) => [entry.code, entry.created])).toEqual([[`CXT-${run}-A`, false], [`CXT-${run}-B`, true], [`CXT-${run}-C`, true]]);
		expect(made[0].id).toBe(earlier.id);
		const creates = after.mutationLog.slice(before.mutationLog.length).filter((entry) => entry.mutation === 'discountCodeBasicCreate');
		// three asked in one request (Shopify refused A as taken); then A looked up: two requests in all
		expect(creates).toHaveLength(3);
		expect(new Set(creates.map((entry) => entry.request)).size).toBe(1);
		expect(after.graphqlRequests - before.graphqlRequests).toBe(2);
	});

	it('makes none when one would end before Shopify\'s clock, and says so', async () => {
		const shopify = await ShopifyService.connect(executeContext());
		const before = await mutationLog();
		const made = await createDiscountCodes(shopify, [input(`CXT-${run}-D`), input(`CXT-${run}-E`, new Date(Date.now() - 86_400_000))]);
		expect(made).toBeInstanceOf(DiscountEndsInPast);
		expect((await mutationLog()).mutationLog.length).toBe(before.mutationLog.length);
	});

	it('adds 301 codes to two discounts in one request, waits for every creation at once, counts a code already there as added and names a refused one', async () => {
		const shopify = await ShopifyService.connect(executeContext());
		const made = await createDiscountCodes(shopify, [input(`CXT-${run}-F`), input(`CXT-${run}-G`)]);
		if (made instanceof DiscountEndsInPast) throw made;
		const [first, second] = made;
		// one code added by an earlier attempt (to this discount) and so taken now
		const earlier = await addRedeemCodesToDiscounts(shopify, [{ discountId: first.id, codes: [`CXT-${run}-X0`] }]);
		expect(earlier).toMatchObject({ added: 1, failed: new Map() });
		const firstCodes = Array.from({ length: 260 }, (_, n) => `CXT-${run}-X${n}`);
		const secondCodes = [...Array.from({ length: 40 }, (_, n) => `CXT-${run}-Y${n}`), `CXT-${run}-BAD\nCODE`];
		const before = await mutationLog();
		const result = await addRedeemCodesToDiscounts(shopify, [{ discountId: first.id, codes: firstCodes }, { discountId: second.id, codes: secondCodes }]);
		const after = await mutationLog();
		expect(result.added).toBe(300);
		expect(result.failed).toEqual(new Map([[`CXT-${run}-BAD\nCODE`, 'cannot contain newline characters.']]));
		const adds = after.mutationLog.slice(before.mutationLog.length).filter((entry) => entry.mutation === 'discountRedeemCodeBulkAdd');
		// 250 + 10 codes to the first discount, 41 to the second: three chunks, one request
		expect(adds.map((entry) => entry.codes)).toEqual([250, 10, 41]);
		expect(new Set(adds.map((entry) => entry.request)).size).toBe(1);
		// the adds, one look at all three creations (each not done is looked at again), and the refused codes of the two
		// that refused some (the taken X0, the newline)
		expect(result.requests).toBe(after.graphqlRequests - before.graphqlRequests);
		expect(result.requests).toBeGreaterThanOrEqual(4);
	});
});

describe('Supabase service (supabase-js against PostgREST)', () => {
	const env = standinsEnv();
	const admin = createClient(env.supabase.url, env.supabase.serviceRoleKey, { auth: { persistSession: false } });
	const run = randomUUID().slice(0, 8);
	afterAll(async () => {
		await admin.from('tickets').delete().like('external_id', `svc-${run}-%`);
	});

	it('upserts on the unique key: a replay updates, never duplicates', async () => {
		const supabase = await SupabaseService.connect(executeContext());
		const rows = [1, 2, 3].map((n) => ({ external_id: `svc-${run}-${n}`, channel: 'email', subject: `Ticket ${n}`, priority: 'low' }));
		expect([...(await supabase.existingKeys('tickets', 'external_id', rows.map((row) => row.external_id)))]).toEqual([]);
		await supabase.upsert('tickets', rows, 'external_id');
		await supabase.upsert('tickets', rows.map((row) => ({ ...row, priority: 'high' })), 'external_id');
		const { data } = await admin.from('tickets').select('external_id, priority, status').like('external_id', `svc-${run}-%`).order('external_id');
		expect(data).toEqual(rows.map((row) => ({ external_id: row.external_id, priority: 'high', status: 'open' })));
		expect((await supabase.existingKeys('tickets', 'external_id', [`svc-${run}-1`, `svc-${run}-9`])).size).toBe(1);
	});

	it('marks a win-back batch sent, rows whose codes were made coded, and claims the next batch in one call; a row another run claimed, or one not coded, is not claimed', async () => {
		const supabase = await SupabaseService.connect(executeContext());
		const window = `svc-${run}`;
		const statuses = ['sending', 'sending', 'coded', 'coded', 'sending', 'pending', 'pending', 'failed'];
		const { data: inserted } = await admin.from('winback_sends').insert(statuses.map((status, n) => ({ customer_id: `svc-${run}-${n}`, campaign_window: window, status }))).select('id, customer_id').throwOnError();
		const ids = new Map(inserted!.map((row) => [String(row.customer_id), String(row.id)]));
		const id = (n: number) => ids.get(`svc-${run}-${n}`)!;
		try {
			const sentAt = new Date('2026-03-02T10:00:00Z');
			const claimed = await markSentAndClaim(supabase, { coded: [id(6), id(7)], sent: { ids: [id(0), id(1)], messageId: 'msg-1', sentAt }, claim: [id(2), id(3), id(4), id(5), id(6)], sendingSince: new Date('2026-03-02T10:00:05Z') });
			// 4 was claimed by another run already (sending), 5 has no code yet (pending); 6's code was just made
			expect(claimed).toEqual(new Set([id(2), id(3), id(6)]));
			const { data: rows } = await admin.from('winback_sends').select('customer_id, status, message_id, sent_at, sending_since').eq('campaign_window', window).order('customer_id');
			expect(rows!.map((row) => [row.status, row.message_id, row.sent_at && new Date(row.sent_at).toISOString(), row.sending_since && new Date(row.sending_since).toISOString()])).toEqual([
				['sent', 'msg-1', sentAt.toISOString(), null],
				['sent', 'msg-1', sentAt.toISOString(), null],
				['sending', null, null, '2026-03-02T10:00:05.000Z'],
				['sending', null, null, '2026-03-02T10:00:05.000Z'],
				['sending', null, null, null],
				['pending', null, null, null],
				['sending', null, null, '2026-03-02T10:00:05.000Z'],
				['coded', null, null, null],
			]);
			// the last batch: marked sent, nothing claimed; the same claim made again by another call claims nothing
			expect(await markSentAndClaim(supabase, { sent: { ids: [id(2), id(3)], messageId: 'msg-2', sentAt }, claim: [], sendingSince: sentAt })).toEqual(new Set());
			expect(await markSentAndClaim(supabase, { claim: [id(2), id(3)], sendingSince: sentAt })).toEqual(new Set());
			const { data: after } = await admin.from('winback_sends').select('status, message_id').in('id', [id(2), id(3)]);
			expect(after!.map((row) => [row.status, row.message_id])).toEqual([['sent', 'msg-2'], ['sent', 'msg-2']]);
		} finally {
			await admin.from('winback_sends').delete().eq('campaign_window', window);
		}
	});

	// the Supabase gateway stand-in's faults (scripts/standins/random-faults.js), here for one function alone
	const gatewayFaults = async (init: RequestInit) => (await fetch(`${env.supabase.url}/__standin/random-faults`, init)).json();

	it('a claim made with every answer lost is given back by its token before the error: its rows are not left claimed and unmailed', async () => {
		const supabase = await SupabaseService.connect(executeContext());
		const window = `svc-${run}-lost`;
		const { data: inserted } = await admin.from('winback_sends').insert([0, 1, 2].map((n) => ({ customer_id: `svc-${run}-lost-${n}`, campaign_window: window, status: n === 2 ? 'sending' : 'coded' }))).select('id, customer_id').order('customer_id').throwOnError();
		const [a, b, other] = inserted!.map((row) => String(row.id));
		try {
			// every attempt of the combined call is carried out and its answer lost (503 after the work); nothing else fails
			await gatewayFaults({ method: 'POST', body: JSON.stringify({ rate: 1, kinds: ['503-after'], paths: ['/rest/v1/rpc/cx_winback_sent_and_claim'] }) });
			const failure = await rejectionOf<Error>(markSentAndClaim(supabase, { claim: [a, b, other], sendingSince: new Date('2026-03-02T10:00:00Z') }));
			expect(failure.message).toMatch(/^Supabase could not update winback_sends/);
			await gatewayFaults({ method: 'DELETE' });
			const { data: rows } = await admin.from('winback_sends').select('id, status, sending_since').eq('campaign_window', window);
			const status = new Map(rows!.map((row) => [String(row.id), [row.status, row.sending_since]]));
			// a and b claimed by the lost call and given back; the row another run had claimed keeps its claim
			expect([status.get(a), status.get(b), status.get(other)]).toEqual([['coded', null], ['coded', null], ['sending', null]]);
		} finally {
			await gatewayFaults({ method: 'DELETE' });
			await admin.from('winback_sends').delete().eq('campaign_window', window);
		}
	});

	it('matches a key holding quotes, commas or parentheses only to itself, never to another row', async () => {
		const supabase = await SupabaseService.connect(executeContext());
		const other = `svc-${run}-other`;
		// a helpdesk id crafted to close the quote and add another ticket's id to the filter
		const crafted = [`svc-${run}-x","${other}`, `svc-${run}-(a,b)`, `svc-${run}-back\\slash"`];
		await supabase.upsert('tickets', [other, ...crafted].map((external_id) => ({ external_id, channel: 'email', subject: 'Injected', priority: 'low' })), 'external_id');
		// not stored itself: it finds nothing, not the ticket it names
		expect([...(await supabase.existingKeys('tickets', 'external_id', [`svc-${run}-y","${other}`]))]).toEqual([]);
		expect([...(await supabase.existingKeys('tickets', 'external_id', crafted))].sort()).toEqual([...crafted].sort());
		expect((await supabase.rowsWhereIn('tickets', 'external_id', [crafted[0]])).map((row) => row.external_id)).toEqual([crafted[0]]);
		const updated = await supabase.updateWhere('tickets', [{ column: 'external_id', op: 'in', value: [crafted[0]] }], { priority: 'high' });
		expect(updated.map((row) => row.external_id)).toEqual([crafted[0]]);
		const { data } = await admin.from('tickets').select('priority').eq('external_id', other);
		expect(data).toEqual([{ priority: 'low' }]);
	});

	it('reads page by page in id order, every row once, and filters as asked', async () => {
		const supabase = await SupabaseService.connect(executeContext());
		// 2,345 rows: two full pages of 1000 and a partial one
		const rows = Array.from({ length: 2345 }, (_, n) => ({ external_id: `svc-${run}-page-${n}`, channel: n % 5 === 0 ? 'chat' : 'email', subject: `Paged ${n}`, priority: 'low' }));
		await supabase.upsert('tickets', rows, 'external_id');
		const pages: number[] = [];
		const seen = new Set<string>();
		const count = await supabase.eachPage('tickets', { columns: 'external_id', filters: [{ column: 'external_id', op: 'like', value: `svc-${run}-page-%` }] }, (page) => {
			pages.push(page.length);
			for (const row of page) seen.add(String(row.external_id));
		});
		expect(pages).toEqual([1000, 1000, 345]);
		expect(count).toBe(2345);
		expect(seen.size).toBe(2345);
		const chats = await supabase.readWhere('tickets', { columns: 'external_id, channel', filters: [{ column: 'external_id', op: 'like', value: `svc-${run}-page-%` }, { column: 'channel', op: 'eq', value: 'chat' }] });
		expect(chats).toHaveLength(469);
		expect(chats.every((row) => row.channel === 'chat')).toBe(true);
		// as hosted Supabase does, the stand-in answers at most 1,000 rows a request: a read that does not page is cut short
		const { data: unpaged } = await createClient(standinsEnv().supabase.url, standinsEnv().supabase.serviceRoleKey, { auth: { persistSession: false } })
			.from('tickets')
			.select('external_id')
			.like('external_id', `svc-${run}-page-%`)
			.throwOnError();
		expect(unpaged).toHaveLength(1000);
		// the service's reads page: every row, also where one value of a column that is not a key has more than 1,000
		const every = await supabase.readWhere('tickets', { columns: 'external_id', filters: [{ column: 'external_id', op: 'like', value: `svc-${run}-page-%` }] });
		expect(every).toHaveLength(2345);
		await supabase.upsert('tickets', Array.from({ length: 1200 }, (_, n) => ({ external_id: `svc-${run}-same-${n}`, channel: 'email', subject: `svc-${run}-same`, priority: 'low' })), 'external_id');
		const same = await supabase.rowsWhereIn('tickets', 'subject', [`svc-${run}-same`, `svc-${run}-none`]);
		expect(new Set(same.map((row) => row.external_id)).size).toBe(1200);
	});

	it('updates conditionally and returns only the rows it changed: a second run changes none', async () => {
		const supabase = await SupabaseService.connect(executeContext());
		await supabase.upsert('tickets', [1, 2].map((n) => ({ external_id: `svc-${run}-claim-${n}`, channel: 'email', subject: 'Claim', priority: 'low' })), 'external_id');
		const filters = [{ column: 'external_id', op: 'like' as const, value: `svc-${run}-claim-%` }, { column: 'status', op: 'eq' as const, value: 'open' }];
		const [first, second] = [await supabase.updateWhere('tickets', filters, { status: 'pending' }), await supabase.updateWhere('tickets', filters, { status: 'pending' })];
		expect(first.map((row) => row.external_id).sort()).toEqual([`svc-${run}-claim-1`, `svc-${run}-claim-2`]);
		expect(second).toEqual([]);
		await expect(supabase.updateWhere('tickets', [], { status: 'closed' })).rejects.toThrow(/at least one filter/);
	});

	it('names the missing table when the migration was not applied', async () => {
		const supabase = await SupabaseService.connect(executeContext());
		await expect(supabase.upsert('no_such_table', [{ id: 1 }], 'id')).rejects.toThrow(NodeApiError);
	});
});

describe('SendGrid service (@sendgrid/mail with its own client)', () => {
	beforeEach(async () => {
		await standin('sendgrid', '/__standin/messages', { method: 'DELETE' });
	});

	it('sends from the credential\'s sender, with customer text escaped, and returns the message id', async () => {
		const sendgrid = await SendGridService.connect(executeContext());
		const customerText = '<script>alert("x")</script> & "quotes"';
		const messageId = await sendgrid.send({
			to: 'rory.example@example-store.test',
			subject: 'We received your message',
			html: `<p>You wrote: ${escapeHtml(customerText)}</p>`,
			text: `You wrote: ${customerText}`,
		});
		expect(messageId).toBeTruthy();
		const [message] = await standin<Message[]>('sendgrid', `/__standin/messages?messageId=${messageId}`);
		const html = message.deliveries[0].content.find((block) => block.type === 'text/html')!.value;
		expect(html).toBe('<p>You wrote: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;</p>');
		expect(message.deliveries[0].to).toEqual([{ email: 'rory.example@example-store.test' }]);
	});

	it('batches 1001 recipients into two requests of at most 1000 personalizations', async () => {
		const sendgrid = await SendGridService.connect(executeContext());
		const recipients = Array.from({ length: 1001 }, (_, n) => ({ email: `batch.${n}@example-store.test`, data: { first_name: `Sample${n}` } }));
		const sent = await sendgrid.sendToMany({ subject: 'Hello {{first_name}}', html: '<p>Hi {{first_name}}</p>', asm: { groupId: 42 } }, recipients);
		expect(sent.map((batch) => batch.recipients.length)).toEqual([1000, 1]);
		const messages = await standin<Message[]>('sendgrid', '/__standin/messages');
		expect(messages.map((message) => message.deliveries.length).sort((a, b) => a - b)).toEqual([1, 1000]);
	});

	it('sends to a name holding a comma, a semicolon or quotes (wrapped as SendGrid needs), and leaves a blank name out', async () => {
		const sendgrid = await SendGridService.connect(executeContext());
		const recipients = [
			{ email: 'smith.jo@example-store.test', name: 'Smith, Jo' },
			{ email: 'ann.lee@example-store.test', name: 'Ann; "Annie" Lee' },
			{ email: 'plain.name@example-store.test', name: 'Maya\nRossi' },
			{ email: 'blank.name@example-store.test', name: '  ' },
		];
		const [{ messageId }] = await sendgrid.sendToMany({ subject: 'Hello', text: 'Hello' }, recipients);
		const [message] = await standin<Message[]>('sendgrid', `/__standin/messages?messageId=${messageId}`);
		expect(message.deliveries.map((delivery) => delivery.to)).toEqual([
			[{ email: 'smith.jo@example-store.test', name: '"Smith, Jo"' }],
			[{ email: 'ann.lee@example-store.test', name: '"Ann; \\"Annie\\" Lee"' }],
			[{ email: 'plain.name@example-store.test', name: 'Maya Rossi' }],
			[{ email: 'blank.name@example-store.test' }],
		]);
	});

	it('waits out a 429 and sends once', async () => {
		const sendgrid = await SendGridService.connect(executeContext());
		await standin('sendgrid', '/__standin/faults', { method: 'POST', body: JSON.stringify({ status: 429, count: 1 }) });
		const messageId = await sendgrid.send({ to: 'rate.limited@example-store.test', subject: 'Once', text: 'Only once' });
		expect(await standin<Message[]>('sendgrid', '/__standin/messages?to=rate.limited@example-store.test')).toHaveLength(1);
		expect(messageId).toBeTruthy();
	});

	it('reports a 400 with SendGrid\'s field errors', async () => {
		const sendgrid = await SendGridService.connect(executeContext());
		await expect(sendgrid.send({ to: 'not-an-email', subject: 'x', text: 'x' })).rejects.toThrow(/SendGrid did not send the email \(HTTP 400\)/);
	});
});

describe('Stripe service (stripe SDK)', () => {
	it('credits a customer balance exactly once per idempotency key', async () => {
		const stripe = await StripeService.connect(executeContext());
		const customer = await stripe.findCustomerByEmail('ava.morgan@example-store.test');
		expect(customer).toBeDefined();
		const key = `test-credit-${randomUUID()}`;
		const amount = moneyFromDecimal('25.00', 'USD');
		const first = await stripe.creditBalance(customer!.id, amount, key, 'Delay compensation', { order_id: '#1013' });
		const again = await stripe.creditBalance(customer!.id, amount, key, 'Delay compensation', { order_id: '#1013' });
		expect(again.id).toBe(first.id);
		expect(first.amount).toBe(-2500);
		const state = await standin<{ objects: { customer: Array<{ id: string; balance: number }> } }>('stripe', '/__standin/state');
		expect(state.objects.customer.find((item) => item.id === customer!.id)!.balance).toBe((customer!.balance ?? 0) - 2500);
	});
});

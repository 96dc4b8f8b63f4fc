/**
 * Webhooks end to end on both backends: endpoint CRUD, validation and isolation; real account changes
 * delivered to a local receiver and verified with the SDK's `verifyWebhookPayload`; retries with
 * backoff; the delivery log; test events; refused verifications and secret rotation; leases between
 * concurrent dispatchers; the SDK client; and the server's own delivery timer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentgateClient, NotFoundError, WebhookVerificationError, verifyWebhookPayload } from '@agentgate/sdk';
import { DEFAULT_BACKOFF_SECONDS, deliverDueWebhooks, type DeliverOptions } from '../src/domain/webhooks/dispatcher.ts';
import { assertError, assertNoSecrets, issuePaths } from './helpers/api-assertions.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './helpers/webhook-receiver.ts';

const BASE = '/api/v1/webhooks/endpoints';
const ENDPOINT_KEYS = ['created_at', 'description', 'enabled', 'event_types', 'id', 'updated_at', 'url'];
const ENVELOPE_KEYS = ['data', 'environment_id', 'id', 'object', 'occurred_at', 'spec_version', 'type'];
const SECRET_SHAPE = /^whsec_[A-Za-z0-9+/]{43}=$/;

for (const backend of BACKENDS) {
  describe(`webhooks (${backend})`, () => {
    let gw: TestGateway;
    let receiver: WebhookReceiver;
    let skewMs = 0;
    before(async () => {
      receiver = await startWebhookReceiver();
      gw = await startTestGateway(backend, {
        // The background sender stays idle (first pass after an hour): tests drive deliveries themselves.
        env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true', AGENTGATE_WEBHOOK_INTERVAL_MS: '3600000' },
        clock: () => new Date(Date.now() + skewMs),
      });
    });
    after(async () => {
      await gw?.close();
      await receiver?.close();
    });

    const deliver = (options: DeliverOptions = {}) => deliverDueWebhooks(gw.gateway.ctx, options);
    const verify = (secret: string, r: ReceivedWebhook) => verifyWebhookPayload(secret, r.headers, r.body, { now: gw.gateway.ctx.clock() });
    const to = (name: string) => `${receiver.url}?to=${name}`;
    const since = (mark: number, name?: string) => receiver.received.slice(mark).filter((r) => name === undefined || r.path.endsWith(`?to=${name}`));
    const refused = (reason: string, run: () => unknown) =>
      assert.throws(run, (e: unknown) => e instanceof WebhookVerificationError && e.reason === reason);

    /** A fresh environment per test (own endpoints and accounts), so no test sees another's deliveries. */
    async function tenant() {
      const env = await gw.newEnvironment(unique('wh'));
      const token = await gw.tokenFor(env.clientId, env.clientSecret);
      const api = (method: string, path: string, body?: unknown) => gw.api(method, path, body, { token });
      assert.equal((await api('POST', '/api/v1/connections', { connection: { provider: 'zendesk', name: 'zd', type: 'API_KEY' } })).status, 201);
      const endpoint = async (body: Record<string, unknown> = {}) => {
        const r = await api('POST', BASE, { url: receiver.url, ...body });
        assert.equal(r.status, 201, r.text);
        return { id: r.body.webhook_endpoint.id as string, secret: r.body.secret as string };
      };
      const apiToken = unique('zd-api-token');
      const createAccount = async () => {
        const auth = { static_auth: { domain: 'acme', email: 'a@acme.test', api_token: apiToken } };
        const r = await api('POST', '/api/v1/connected_accounts', { connection_name: 'zd', identifier: unique('user'), authorization_details: auth });
        assert.equal(r.status, 201, r.text);
        return r.body.connected_account.id as string;
      };
      const deliveries = async (endpointId: string, query = '') => (await api('GET', `${BASE}/${endpointId}/deliveries${query}`)).body;
      const testEvent = (type: string) => api('POST', `/api/v1/webhooks/test-event/${type}`);
      return { ...env, api, endpoint, createAccount, apiToken, deliveries, testEvent };
    }

    it('creates, reads, lists, updates, rotates and deletes endpoints; the secret shows only on create and rotate', async () => {
      const t = await tenant();
      const created = await t.api('POST', BASE, { url: receiver.url, description: 'ops', event_types: ['connected_account.deleted'] });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(Object.keys(created.body).sort(), ['secret', 'webhook_endpoint']);
      const { webhook_endpoint: e, secret } = created.body;
      assert.deepEqual(Object.keys(e).sort(), ENDPOINT_KEYS);
      assert.match(e.id, /^whe_[0-9a-z]{26}$/);
      assert.match(secret, SECRET_SHAPE);
      assert.deepEqual([e.url, e.description, e.event_types, e.enabled], [receiver.url, 'ops', ['connected_account.deleted'], true]);
      const got = await t.api('GET', `${BASE}/${e.id}`);
      assert.deepEqual(got.body, { webhook_endpoint: e });
      const list = await t.api('GET', BASE);
      assert.deepEqual([list.body.webhook_endpoints, list.body.total_size, list.body.next_page_token], [[e], 1, '']);
      const patched = await t.api('PATCH', `${BASE}/${e.id}`, { url: to('patched'), description: '', event_types: [], enabled: false });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual([patched.body.webhook_endpoint.url, patched.body.webhook_endpoint.event_types, patched.body.webhook_endpoint.enabled], [to('patched'), [], false]);
      const rotated = await t.api('POST', `${BASE}/${e.id}:rotate_secret`);
      assert.equal(rotated.status, 200, rotated.text);
      assert.match(rotated.body.secret, SECRET_SHAPE);
      assert.notEqual(rotated.body.secret, secret);
      const secrets = [secret, rotated.body.secret, secret.slice(6), rotated.body.secret.slice(6)];
      for (const r of [got, list, patched]) assertNoSecrets(r.text, secrets, 'a read answer');
      const row = await gw.gateway.database.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', e.id).executeTakeFirstOrThrow();
      assertNoSecrets(JSON.stringify(row), secrets, 'the stored row (sealed only)');
      assert.ok(row.secret_sealed.startsWith('v1.') && row.previous_secret_sealed?.startsWith('v1.'));
      assertNoSecrets(gw.logs.join('\n'), secrets, 'the logs');
      assert.deepEqual((await t.api('DELETE', `${BASE}/${e.id}`)).body, {});
      assertError(await t.api('GET', `${BASE}/${e.id}`), 404, 'webhook_endpoint_not_found');
      assertError(await t.api('DELETE', `${BASE}/${e.id}`), 404, 'webhook_endpoint_not_found');
    });

    it('validates bodies, URLs, event types and ids, and caps endpoints per environment', async () => {
      const t = await tenant();
      const bad = async (body: unknown, status: number, code: string, path?: string) => {
        const error = assertError(await t.api('POST', BASE, body), status, code);
        if (path !== undefined) assert.ok(issuePaths(error).includes(path), JSON.stringify(error));
      };
      await bad({}, 400, 'validation_failed', 'url');
      await bad({ url: receiver.url, secret: 'whsec_mine' }, 400, 'validation_failed', 'secret');
      await bad({ url: receiver.url, event_types: ['connection.created'] }, 400, 'validation_failed', 'event_types.0');
      await bad({ url: receiver.url, enabled: 'yes' }, 400, 'validation_failed', 'enabled');
      await bad({ url: 'not a url' }, 400, 'validation_failed', 'url');
      await bad({ url: 'ftp://hooks.example.com/x' }, 400, 'insecure_endpoint');
      await bad({ url: 'https://user:pw@hooks.example.com/x' }, 400, 'insecure_endpoint');
      const { id } = await t.endpoint();
      assertError(await t.api('PATCH', `${BASE}/${id}`, { url: 'ftp://x.example.com' }), 400, 'insecure_endpoint');
      assertError(await t.api('PATCH', `${BASE}/${id}`, { secret: 'x' }), 400, 'validation_failed');
      for (const other of ['whe_00000000000000000000000000', 'conn_123', 'x'.repeat(64)]) assertError(await t.api('GET', `${BASE}/${other}`), 404, 'webhook_endpoint_not_found');
      for (let i = 1; i < 20; i++) await t.endpoint();
      const error = assertError(await t.api('POST', BASE, { url: receiver.url }), 409, 'webhook_endpoint_limit_reached');
      assert.equal(error.details?.['limit'], 20);
    });

    it("isolates environments: another environment's endpoint is a 404 and never gets its events", async () => {
      const [a, b] = [await tenant(), await tenant()];
      const ea = await a.endpoint({ url: to('iso-a') });
      for (const [method, path] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['POST', ':rotate_secret'], ['GET', '/deliveries']] as const) {
        assertError(await b.api(method, `${BASE}/${ea.id}${path}`, method === 'PATCH' ? { enabled: false } : undefined), 404, 'webhook_endpoint_not_found');
      }
      assert.equal((await b.api('GET', BASE)).body.total_size, 0);
      const mark = receiver.received.length;
      await b.createAccount();
      assert.deepEqual((await b.testEvent('connected_account.created')).body.delivery_ids, []);
      await deliver();
      assert.equal(since(mark).length, 0, 'nothing from environment B reached A');
      assert.equal((await a.deliveries(ea.id)).total_size, 0);
      await a.createAccount();
      await deliver();
      assert.deepEqual(since(mark).map((r) => JSON.parse(r.body).environment_id), [a.environmentId]);
    });

    it('real account changes are delivered signed, verified with the SDK, with no secret in any payload', async () => {
      const t = await tenant();
      const all = await t.endpoint({ url: to('all') });
      const deletedOnly = await t.endpoint({ url: to('deleted'), event_types: ['connected_account.deleted'] });
      await t.endpoint({ url: to('off'), enabled: false });
      const [clientSecret, access, refresh] = [unique('client-secret'), unique('access'), unique('refresh')];
      const oauth = { connection: { provider: 'gmail', name: 'gm', oauth_config: { client_id: 'c', client_secret: clientSecret } } };
      assert.equal((await t.api('POST', '/api/v1/connections', oauth)).status, 201);
      const mark = receiver.received.length;
      const id = await t.createAccount();
      const newToken = unique('zd-new-token');
      const update = { id, authorization_details: { static_auth: { domain: 'acme', email: 'a@acme.test', api_token: newToken } } };
      assert.equal((await t.api('PUT', '/api/v1/connected_accounts', update)).status, 200);
      assert.equal((await t.api('POST', `/api/v1/connected_accounts/${id}:disconnect`)).status, 200);
      assert.equal((await t.api('POST', '/api/v1/connected_accounts:delete', { id })).status, 200);
      const tokens = { oauth_token: { access_token: access, refresh_token: refresh, expires_in: 3600 } };
      assert.equal((await t.api('POST', '/api/v1/connected_accounts', { connection_name: 'gm', identifier: 'u', authorization_details: tokens })).status, 201);
      const report = await deliver();
      assert.deepEqual(report, { attempted: 7, succeeded: 7, retrying: 0, failed: 0 });

      const logged = (await t.api('POST', '/api/v1/events', { page_size: 100 })).body.events.filter((e: { type: string }) => e.type.startsWith('connected_account.'));
      const received = since(mark);
      assert.equal(since(mark, 'off').length, 0, 'a disabled endpoint gets nothing');
      assert.deepEqual(since(mark, 'deleted').map((r) => verify(deletedOnly.secret, r).type), ['connected_account.deleted']);
      const toAll = since(mark, 'all');
      assert.deepEqual(toAll.map((r) => r.headers['webhook-id']).sort(), logged.map((e: { id: string }) => e.id).sort(), 'one delivery per logged account event');
      assert.deepEqual(
        toAll.map((r) => verify(all.secret, r).type).sort(),
        ['created', 'created', 'deleted', 'disconnected', 'status_updated', 'updated'].map((v) => `connected_account.${v}`),
      );
      for (const r of toAll) {
        const payload = verify(all.secret, r);
        const event = logged.find((e: { id: string }) => e.id === payload.id);
        assert.deepEqual(Object.keys(payload).sort(), ENVELOPE_KEYS);
        assert.deepEqual(payload, { spec_version: '1', ...event });
        assert.equal(r.headers['content-type'], 'application/json');
        assert.match(String(r.headers['webhook-timestamp']), /^\d{10}$/);
        assert.match(String(r.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]{43}=$/);
      }
      for (const r of received) assertNoSecrets(r.body, [t.apiToken, newToken, clientSecret, access, refresh, all.secret.slice(6), 'whsec_'], 'a webhook payload');
      const log = await t.deliveries(all.id, '?page_size=100');
      assert.equal(log.total_size, 6);
      for (const d of log.deliveries) {
        assert.deepEqual([d.status, d.attempts, d.last_status_code, d.last_error, d.next_attempt_at], ['succeeded', 1, 200, null, null]);
        assert.deepEqual(d.payload, JSON.parse(toAll.find((r) => r.headers['webhook-id'] === d.event_id)?.body ?? '{}'));
      }
    });

    it('retries with exponential backoff: a 500, nothing before the backoff is over, then 200', async () => {
      const t = await tenant();
      const { id, secret } = await t.endpoint({ url: to('retry') });
      receiver.answer(500);
      const mark = receiver.received.length;
      await t.createAccount();
      assert.deepEqual(await deliver(), { attempted: 1, succeeded: 0, retrying: 1, failed: 0 });
      const [first] = (await t.deliveries(id)).deliveries;
      assert.deepEqual([first.status, first.attempts, first.last_status_code], ['pending', 1, 500]);
      assert.match(first.last_error, /^HTTP 500: receiver says 500$/);
      assert.equal(Date.parse(first.next_attempt_at) - Date.parse(first.updated_at), DEFAULT_BACKOFF_SECONDS[0]! * 1000);
      assert.equal((await deliver()).attempted, 0, 'not due before the backoff has passed');
      skewMs += DEFAULT_BACKOFF_SECONDS[0]! * 1000 + 1;
      assert.deepEqual(await deliver(), { attempted: 1, succeeded: 1, retrying: 0, failed: 0 });
      const [done] = (await t.deliveries(id)).deliveries;
      assert.deepEqual([done.status, done.attempts, done.last_status_code, done.last_error, done.next_attempt_at], ['succeeded', 2, 200, null, null]);
      const sent = since(mark, 'retry');
      assert.equal(sent.length, 2);
      assert.equal(sent[0]!.headers['webhook-id'], sent[1]!.headers['webhook-id'], 'a retry keeps its webhook-id');
      for (const r of sent) assert.equal(verify(secret, r).id, done.event_id);
    });

    it('gives up when the (shortened) schedule runs out, recording status codes, timeouts and refused connections', async () => {
      const t = await tenant();
      const { id } = await t.endpoint({ url: to('failing') });
      const closed = await t.endpoint({ url: 'http://127.0.0.1:1/hooks' });
      receiver.answer(503, 500);
      await t.createAccount();
      const fast = { backoffSeconds: [0, 0] };
      assert.equal((await deliver(fast)).retrying, 2);
      assert.equal((await deliver(fast)).retrying, 2);
      receiver.hang(true);
      try {
        assert.deepEqual(await deliver({ ...fast, timeoutMs: 300 }), { attempted: 2, succeeded: 0, retrying: 0, failed: 2 });
      } finally {
        receiver.hang(false);
      }
      const [failed] = (await t.deliveries(id)).deliveries;
      assert.deepEqual([failed.status, failed.attempts, failed.last_status_code, failed.next_attempt_at], ['failed', 3, null, null]);
      assert.match(failed.last_error, /within 300 ms/);
      const [refusedDelivery] = (await t.deliveries(closed.id)).deliveries;
      assert.deepEqual([refusedDelivery.status, refusedDelivery.attempts], ['failed', 3]);
      assert.match(refusedDelivery.last_error, /Could not reach 127\.0\.0\.1:1/);
      assert.equal((await deliver(fast)).attempted, 0, 'failed deliveries are not retried');
    });

    it('test events reach every subscribed enabled endpoint; the delivery log pages newest first', async () => {
      const t = await tenant();
      const all = await t.endpoint({ url: to('test-all') });
      const statusOnly = await t.endpoint({ url: to('test-status'), event_types: ['connected_account.status_updated'] });
      await t.endpoint({ url: to('test-created'), event_types: ['connected_account.created'] });
      await t.endpoint({ url: to('test-off'), enabled: false });
      const mark = receiver.received.length;
      const sent = await t.testEvent('connected_account.status_updated');
      assert.equal(sent.status, 202, sent.text);
      assert.deepEqual(Object.keys(sent.body).sort(), ['delivery_ids', 'event_id']);
      assert.equal(sent.body.delivery_ids.length, 2);
      for (const path of ['connection.created', 'connected_account.nope']) assertError(await t.testEvent(path), 400, 'validation_failed');
      await deliver();
      assert.deepEqual(since(mark).map((r) => r.path.split('?to=')[1]).sort(), ['test-all', 'test-status']);
      const payload = verify(statusOnly.secret, since(mark, 'test-status')[0]!);
      assert.deepEqual([payload.id, payload.type, payload.test, payload.data['old_status']], [sent.body.event_id, 'connected_account.status_updated', true, 'PENDING_AUTH']);
      const events = (await t.api('POST', '/api/v1/events', {})).body.events as { id: string }[];
      assert.ok(!events.some((e) => e.id === sent.body.event_id), 'a test event is not written to the event log');

      const later = [(await t.testEvent('connected_account.created')).body.delivery_ids, (await t.testEvent('connected_account.deleted')).body.delivery_ids];
      const page1 = await t.deliveries(all.id, '?page_size=2');
      assert.equal(page1.total_size, 3);
      const page2 = await t.deliveries(all.id, `?page_size=2&page_token=${encodeURIComponent(page1.next_page_token)}`);
      assert.equal(page2.next_page_token, '');
      const order = [...page1.deliveries, ...page2.deliveries].map((d: { event_type: string }) => d.event_type);
      assert.deepEqual(order, ['connected_account.deleted', 'connected_account.created', 'connected_account.status_updated'], 'newest first');
      assert.ok(later.flat().includes(page1.deliveries[0].id));
      assertError(await t.api('GET', `${BASE}/${all.id}/deliveries?page_token=bogus`), 400, 'validation_failed');
      await deliver();
    });

    it('a tampered body, a wrong secret and a timestamp outside 5 minutes fail; after rotation both secrets verify for a while', async () => {
      const t = await tenant();
      const ep = await t.endpoint({ url: to('verify') });
      const other = await t.endpoint({ url: to('verify-other'), event_types: ['connected_account.deleted'] });
      let mark = receiver.received.length;
      await t.testEvent('connected_account.created');
      await deliver();
      const [r] = since(mark, 'verify');
      assert.ok(r !== undefined);
      const now = gw.gateway.ctx.clock().getTime();
      assert.equal(verify(ep.secret, r).type, 'connected_account.created');
      refused('invalid_signature', () => verifyWebhookPayload(ep.secret, r.headers, r.body.replace('"ACTIVE"', '"EXPIRED"'), { now }));
      refused('invalid_signature', () => verifyWebhookPayload(other.secret, r.headers, r.body, { now }));
      refused('invalid_signature', () => verifyWebhookPayload(ep.secret, { ...r.headers, 'webhook-timestamp': String(Number(r.headers['webhook-timestamp']) + 1) }, r.body, { now }));
      refused('timestamp_too_old', () => verifyWebhookPayload(ep.secret, r.headers, r.body, { now: now + 301_000 }));
      refused('timestamp_too_new', () => verifyWebhookPayload(ep.secret, r.headers, r.body, { now: now - 301_000 }));

      const rotated = (await t.api('POST', `${BASE}/${ep.id}:rotate_secret`)).body.secret as string;
      mark = receiver.received.length;
      await t.testEvent('connected_account.created');
      await deliver();
      const [both] = since(mark, 'verify');
      assert.equal(String(both!.headers['webhook-signature']).split(' ').length, 2, 'signed with the new and the previous secret');
      for (const secret of [rotated, ep.secret]) assert.equal(verify(secret, both!).type, 'connected_account.created');
      refused('invalid_signature', () => verify(other.secret, both!));
      // Once the grace period is over, only the new secret signs.
      await gw.gateway.database.db.updateTable('webhook_endpoints').set({ previous_secret_expires_at: new Date(now - 1000) }).where('id', '=', ep.id).execute();
      mark = receiver.received.length;
      await t.testEvent('connected_account.created');
      await deliver();
      const [single] = since(mark, 'verify');
      assert.equal(verify(rotated, single!).type, 'connected_account.created');
      refused('invalid_signature', () => verify(ep.secret, single!));
    });

    it('concurrent dispatchers never send one delivery twice, and a leased delivery is left to its owner', async () => {
      const t = await tenant();
      const { id } = await t.endpoint({ url: to('race') });
      for (let i = 0; i < 12; i++) await t.testEvent('connected_account.updated');
      const mark = receiver.received.length;
      const reports = await Promise.all([1, 2, 3, 4].map(() => deliver({ limit: 5 })));
      assert.equal(reports.reduce((n, r) => n + r.attempted, 0), 12);
      const ids = since(mark, 'race').map((r) => r.headers['webhook-id']);
      assert.equal(ids.length, 12);
      assert.equal(new Set(ids).size, 12);

      await t.testEvent('connected_account.updated');
      const now = gw.gateway.ctx.clock();
      const [leased] = await gw.gateway.store.webhooks.leaseDue(now, new Date(now.getTime() + 60_000), 10);
      assert.ok(leased !== undefined && leased.endpointId === id);
      assert.equal((await deliver()).attempted, 0, 'another dispatcher holds the lease');
      const stolen = { status: 'failed' as const, attempts: 9, nextAttemptAt: null, lastStatusCode: null, lastError: 'x', updatedAt: now };
      assert.equal(await gw.gateway.store.webhooks.completeAttempt(leased.id, new Date(now.getTime() + 1), stolen), false, 'only the lease holder writes');
      assert.equal(await gw.gateway.store.webhooks.completeAttempt(leased.id, leased.leaseUntil!, { ...stolen, status: 'pending', attempts: 0, nextAttemptAt: now }), true);
      assert.equal((await deliver()).succeeded, 1);
    });

    it('the SDK client manages endpoints, the delivery log and test events', async () => {
      const t = await tenant();
      const client = new AgentgateClient({ envUrl: gw.url, clientId: t.clientId, clientSecret: t.clientSecret });
      const { webhookEndpoint, secret } = await client.webhooks.createEndpoint({ url: to('sdk'), eventTypes: ['connected_account.created'] });
      assert.match(secret, SECRET_SHAPE);
      assert.deepEqual((await client.webhooks.listEndpoints()).webhookEndpoints, [webhookEndpoint]);
      assert.equal((await client.webhooks.updateEndpoint(webhookEndpoint.id, { description: 'sdk' })).description, 'sdk');
      const rotated = await client.webhooks.rotateSecret(webhookEndpoint.id);
      const { deliveryIds, eventId } = await client.webhooks.sendTestEvent('connected_account.created');
      assert.equal(deliveryIds.length, 1);
      const mark = receiver.received.length;
      await deliver();
      assert.equal(verify(rotated.secret, since(mark, 'sdk')[0]!).id, eventId);
      const { deliveries } = await client.webhooks.listDeliveries(webhookEndpoint.id);
      assert.deepEqual([deliveries[0]?.id, deliveries[0]?.status, deliveries[0]?.eventId], [deliveryIds[0], 'succeeded', eventId]);
      assert.equal(deliveries[0]?.payload['spec_version'], '1', 'the payload keeps its wire keys');
      await client.webhooks.deleteEndpoint(webhookEndpoint.id);
      await assert.rejects(client.webhooks.getEndpoint(webhookEndpoint.id), (e: unknown) => e instanceof NotFoundError && e.code === 'webhook_endpoint_not_found');
    });

    it("the gateway's own timer sends due deliveries (AGENTGATE_WEBHOOK_INTERVAL_MS)", async () => {
      const fast = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true', AGENTGATE_WEBHOOK_INTERVAL_MS: '100' } });
      try {
        const { secret } = (await fast.api('POST', BASE, { url: to('timer') })).body;
        const mark = receiver.received.length;
        const { event_id } = (await fast.api('POST', '/api/v1/webhooks/test-event/connected_account.created')).body;
        for (let i = 0; i < 100 && since(mark, 'timer').length === 0; i++) await sleep(50);
        const [r] = since(mark, 'timer');
        assert.ok(r !== undefined, 'delivered without anyone calling the dispatcher');
        assert.equal(verifyWebhookPayload(secret, r.headers, r.body).id, event_id);
      } finally {
        await fast.close();
      }
    });
  });
}

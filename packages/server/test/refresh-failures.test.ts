/**
 * Refresh failure classes against a real authorization server (oidc-provider, rotating refresh tokens),
 * with provider quirks injected by Koa middleware (security-test-plan §3.7): 5xx, 429, dropped
 * connections and timeouts are retryable (503 + Retry-After, status unchanged, recovery works, a
 * cool-down after repeated failures); invalid_grant expires the account with both events; providers
 * that send no new refresh token or no expires_in; the background worker; the refresh history; and the
 * RFC 7009 revocation on disconnect and delete, which never blocks the user's action.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { refreshAccount } from '../src/domain/tokens/refresh.ts';
import { GatewayError } from '../src/errors.ts';
import { deliverDueWebhooks } from '../src/domain/webhooks/dispatcher.ts';
import { verifyWebhookPayload } from '../../sdk/src/webhook-verify.ts';
import { startWebhookReceiver } from './helpers/webhook-receiver.ts';
import { adminEnvironmentId, createAsConnection, eventsOf, startFlowGateway, type AsConnection } from './helpers/browser-leg.ts';
import { assertUnavailable, connectAccount, historyOf, isActiveAtAs, refresh, refreshGrants, skipVerification, sleep, storedTokens } from './helpers/refresh-fixtures.ts';
import { startTestAuthorizationServer, type OidcProvider, type TestAuthorizationServer } from './helpers/test-authorization-server.ts';
import { BACKENDS, type ApiResponse, type TestGateway } from './helpers/test-gateway.ts';

/** Provider misbehaviour, switched on per test (middleware registered before `provider.callback()`). */
interface Quirks {
  /** The next n token requests answer 429 with this Retry-After. */
  tooManyRequests: { count: number; retryAfter: number };
  /** The next n token requests lose their connection before an answer. */
  dropConnections: number;
  /** The next n refreshes are processed (the token rotated), then the answer is lost. */
  loseResponses: number;
  stripRefreshToken: boolean;
  stripExpiresIn: boolean;
  /** The revocation endpoint answers this status instead of revoking. */
  revocationStatus: number | undefined;
}

function quirky(quirks: Quirks) {
  return (provider: OidcProvider) => {
    provider.use(async (ctx, next) => {
      if (ctx.method === 'POST' && ctx.path === '/token/revocation' && quirks.revocationStatus !== undefined) {
        ctx.status = quirks.revocationStatus;
        ctx.body = { error: 'server_error' };
        return;
      }
      if (ctx.method !== 'POST' || ctx.path !== '/token') return next();
      if (quirks.tooManyRequests.count > 0) {
        quirks.tooManyRequests.count--;
        ctx.status = 429;
        ctx.set('retry-after', String(quirks.tooManyRequests.retryAfter));
        ctx.body = { error: 'rate_limited' };
        return;
      }
      if (quirks.dropConnections > 0) {
        quirks.dropConnections--;
        ctx.req.socket.destroy();
        return;
      }
      await next();
      if (quirks.loseResponses > 0 && ctx.oidc?.params?.['grant_type'] === 'refresh_token') {
        quirks.loseResponses--;
        ctx.req.socket.destroy();
        return;
      }
      const body = ctx.body as Record<string, unknown> | undefined;
      if (ctx.status !== 200 || body === undefined || ctx.oidc?.params?.['grant_type'] !== 'refresh_token') return;
      if (quirks.stripRefreshToken) delete body['refresh_token'];
      if (quirks.stripExpiresIn) delete body['expires_in'];
    });
  };
}

const freshQuirks = (): Quirks => ({ tooManyRequests: { count: 0, retryAfter: 0 }, dropConnections: 0, loseResponses: 0, stripRefreshToken: false, stripExpiresIn: false, revocationStatus: undefined });
const LEASE_SECONDS = 5; // the provider exchange's whole budget is the lease minus 3 s: 2 s

for (const backend of BACKENDS) {
  describe(`refresh failures (${backend})`, () => {
    let as: TestAuthorizationServer;
    let gw: TestGateway;
    let conn: AsConnection;
    const quirks = freshQuirks();

    before(async () => {
      as = await startTestAuthorizationServer({ rotateRefreshToken: true, scopes: ['openid', 'offline_access', 'api:read', 'api', 'refresh_token'], setup: quirky(quirks) });
      gw = await startFlowGateway(backend, { env: { AGENTGATE_REFRESH_LEASE_SECONDS: String(LEASE_SECONDS), AGENTGATE_REFRESH_INTERVAL_SECONDS: '0' } });
      await skipVerification(gw);
      conn = await createAsConnection(gw, as);
    });
    after(async () => {
      await gw?.close();
      await as?.close();
    });

    /** A transient failure: 503 + Retry-After, at most 3 provider calls, status and tokens unchanged, then recovery. */
    async function assertTransient(id: string, provoke: () => void, reason: string, recover = () => {}): Promise<ApiResponse> {
      const before = await storedTokens(gw, id);
      const hits = as.hits.token;
      provoke();
      const failed = await refresh(gw, id);
      assertUnavailable(failed);
      assert.ok(as.hits.token - hits >= 1 && as.hits.token - hits <= 3, `provider calls for one refresh: ${as.hits.token - hits}`);
      const after = await storedTokens(gw, id);
      assert.deepEqual(after, before, 'a transient failure changed the account');
      assert.equal(after.status, 'ACTIVE');
      assert.equal(await isActiveAtAs(as, conn, before.refreshToken!), true, 'the failed refresh consumed the refresh token');
      const [latest] = await historyOf(gw, id);
      assert.deepEqual([latest?.trigger, latest?.outcome, latest?.reason], ['manual', 'failed_transient', reason]);
      recover();
      const recovered = await refresh(gw, id);
      assert.equal(recovered.status, 200, `after recovery: ${recovered.text}`);
      assert.notEqual((await storedTokens(gw, id)).accessToken, before.accessToken);
      return failed;
    }

    for (const status of [500, 503]) {
      it(`treats a provider ${status} as transient: 503 token_refresh_unavailable with Retry-After, still ACTIVE, recovers`, async () => {
        const id = await connectAccount(gw, conn);
        await assertTransient(id, () => [1, 2, 3].forEach(() => as.failNextToken(status)), `http_${status}`);
        assert.equal(as.hits.tokenRequests.filter((r) => r.status === status).length >= 3, true);
      });
    }

    it('passes a 429 Retry-After on to the caller', async () => {
      const id = await connectAccount(gw, conn);
      const failed = await assertTransient(id, () => (quirks.tooManyRequests = { count: 3, retryAfter: 42 }), 'http_429');
      assert.equal(failed.headers.get('retry-after'), '42');
      assert.equal(quirks.tooManyRequests.count, 0);
    });

    it('treats dropped connections as transient', async () => {
      const id = await connectAccount(gw, conn);
      await assertTransient(id, () => (quirks.dropConnections = 3), 'network');
      assert.equal(quirks.dropConnections, 0);
    });

    it('documents the residual risk of a response lost after the provider rotated (RT-07): EXPIRED once, never a stale ACTIVE', async () => {
      const id = await connectAccount(gw, conn);
      const grants = refreshGrants(as);
      quirks.loseResponses = 1;
      const lost = await refresh(gw, id);
      assert.equal(quirks.loseResponses, 0);
      // The retry presents the consumed refresh token: a strict provider revokes the grant; nothing can save it.
      assert.equal(refreshGrants(as), grants + 2);
      assert.equal(lost.status, 409, lost.text);
      assert.equal(lost.body.error.code, 'token_refresh_rejected');
      assert.equal((await storedTokens(gw, id)).status, 'EXPIRED');
      assert.equal((await eventsOf(gw, id)).filter((e) => e.type === 'connected_account.token_refresh_failed').length, 1);
    });

    it('gives up on a provider slower than the lease budget (timeout) and recovers once it is fast again', async () => {
      const id = await connectAccount(gw, conn);
      const started = Date.now();
      const answered = as.hits.tokenRequests.length;
      try {
        await assertTransient(id, () => as.setTokenDelay(3000), 'timeout', () => as.setTokenDelay(0));
      } finally {
        as.setTokenDelay(0);
      }
      const [, timedOut] = await historyOf(gw, id);
      assert.ok(timedOut !== undefined && timedOut.duration_ms >= 1500 && timedOut.duration_ms < LEASE_SECONDS * 1000, `timed-out attempt took ${timedOut?.duration_ms} ms`);
      assert.ok(Date.now() - started < 15_000);
      // The abandoned request is still asleep at the AS: let it finish before the next test queues failures.
      while (as.hits.tokenRequests.length < answered + 2) await sleep(100);
    });

    it('cools down after 3 transient failures: a background refresh is skipped, a manual one still goes through', async () => {
      const id = await connectAccount(gw, conn);
      for (let i = 0; i < 3; i++) {
        [1, 2, 3].forEach(() => as.failNextToken(500));
        const failed = await refresh(gw, id);
        assertUnavailable(failed);
        if (i === 2) assert.ok(Number(failed.headers.get('retry-after')) >= 30, `Retry-After after the third failure: ${failed.headers.get('retry-after')}`);
      }
      const hits = as.hits.token;
      const environmentId = await adminEnvironmentId(gw);
      await assert.rejects(refreshAccount(gw.gateway.ctx, environmentId, id, { trigger: 'background', force: true }), (error: unknown) => error instanceof GatewayError && error.code === 'token_refresh_unavailable');
      assert.equal(as.hits.token, hits, 'a cooling-down account reached the provider');
      const [skipped] = await historyOf(gw, id);
      assert.deepEqual([skipped?.trigger, skipped?.outcome], ['background', 'skipped_cooldown']);
      const manual = await refresh(gw, id);
      assert.equal(manual.status, 200, manual.text);
      // A success ends the cool-down.
      await refreshAccount(gw.gateway.ctx, environmentId, id, { trigger: 'background', force: true });
      assert.deepEqual((await historyOf(gw, id)).slice(0, 2).map((a) => [a.trigger, a.outcome]), [['background', 'succeeded'], ['manual', 'succeeded']]);
    });

    it('expires the account on invalid_grant (refresh token revoked at the provider), with both events and signed webhooks', async () => {
      const receiver = await startWebhookReceiver();
      const endpoint = await gw.api('POST', '/api/v1/webhooks/endpoints', { url: `${receiver.url}/hooks`, event_types: ['connected_account.token_refresh_failed', 'connected_account.status_updated'] });
      assert.equal(endpoint.status, 201, endpoint.text);
      const id = await connectAccount(gw, conn);
      const { refreshToken } = await storedTokens(gw, id);
      const revoked = await fetch(as.endpoints.revocation, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken!, client_id: conn.clientId, client_secret: conn.clientSecret }),
      });
      assert.equal(revoked.status, 200);
      const rejected = await refresh(gw, id);
      assert.equal(rejected.status, 409, rejected.text);
      assert.equal(rejected.body.error.code, 'token_refresh_rejected');
      assert.equal(rejected.body.error.details?.reason, 'invalid_grant', rejected.text);
      assert.equal((await gw.api('GET', `/api/v1/connected_accounts/${id}`)).body.connected_account.status, 'EXPIRED');
      const events = await eventsOf(gw, id);
      const failed = events.filter((e) => e.type === 'connected_account.token_refresh_failed');
      assert.equal(failed.length, 1, JSON.stringify(events.map((e) => e.type)));
      assert.equal(failed[0]?.data.reason, 'invalid_grant');
      const statusUpdates = events.filter((e) => e.type === 'connected_account.status_updated' && e.data.status === 'EXPIRED');
      assert.equal(statusUpdates.length, 1);
      assert.equal(statusUpdates[0]?.data.old_status, 'ACTIVE');
      const [latest] = await historyOf(gw, id);
      assert.deepEqual([latest?.outcome, latest?.reason], ['failed_permanent', 'invalid_grant']);
      // Both events reach the developer's endpoint, signed with its secret.
      try {
        // The gateway's own dispatcher may have leased these deliveries first: deliver and wait until both arrive.
        const expired = () => receiver.received.filter((hook) => hook.body.includes(id) && (hook.body.includes('token_refresh_failed') || hook.body.includes('"EXPIRED"')));
        for (let waited = 0; expired().length < 2 && waited < 15_000; waited += 250) {
          await deliverDueWebhooks(gw.gateway.ctx, {});
          if (expired().length < 2) await sleep(250);
        }
        const mine = receiver.received
          .map((hook) => ({ hook, payload: verifyWebhookPayload(endpoint.body.secret, hook.headers as Record<string, string>, hook.body) }))
          .filter(({ payload }) => (payload.data as { id?: string }).id === id)
          // The account's activation earlier in this test was a status_updated too; keep the expiry's events.
          .filter(({ payload }) => payload.type === 'connected_account.token_refresh_failed' || (payload.data as { status?: string }).status === 'EXPIRED');
        assert.deepEqual(mine.map(({ payload }) => payload.type).sort(), ['connected_account.status_updated', 'connected_account.token_refresh_failed']);
        assert.throws(() => verifyWebhookPayload(endpoint.body.secret, mine[0]?.hook.headers as Record<string, string>, `${mine[0]?.hook.body} `));
      } finally {
        await gw.api('DELETE', `/api/v1/webhooks/endpoints/${endpoint.body.webhook_endpoint.id}`);
        await receiver.close();
      }
    });

    it('keeps a developer\'s credentials written during a refresh the provider rejects: no false EXPIRED', async () => {
      const id = await connectAccount(gw, conn);
      as.setTokenDelay(800);
      as.failNextToken(400, { error: 'invalid_grant', error_description: 'grant revoked' });
      const pending = refresh(gw, id);
      await sleep(300);
      as.setTokenDelay(0);
      const put = await gw.api('PUT', '/api/v1/connected_accounts', { id, authorization_details: { oauth_token: { access_token: 'developer-access', refresh_token: 'developer-refresh' } } });
      assert.equal(put.status, 200, put.text);
      const answered = await pending;
      const stored = await storedTokens(gw, id);
      assert.deepEqual([stored.status, stored.accessToken, stored.refreshToken], ['ACTIVE', 'developer-access', 'developer-refresh']);
      const types = (await eventsOf(gw, id)).map((e) => e.type);
      assert.ok(!types.includes('connected_account.token_refresh_failed'), `a refresh failure was announced for an account the developer had just renewed: ${types.join(', ')}`);
      assert.equal(answered.status, 200, `the caller was told the account expired: ${answered.text}`);
      assert.equal(answered.body.connected_account.status, 'ACTIVE');
    });

    it('without expires_in: no expiry on a connector without a default lifetime, the default on one with it', async () => {
      quirks.stripExpiresIn = true;
      try {
        const id = await connectAccount(gw, conn);
        assert.ok((await storedTokens(gw, id)).expiresAt !== null, 'the initial exchange had expires_in');
        const refreshed = await refresh(gw, id);
        assert.equal(refreshed.status, 200, refreshed.text);
        assert.equal(refreshed.body.connected_account.token_expires_at, null);

        const salesforce = await createAsConnection(gw, as, { provider: 'salesforce', scopes: ['api', 'refresh_token'], issuer: null });
        const sfId = await connectAccount(gw, salesforce);
        const before = Date.now();
        const sf = await refresh(gw, sfId);
        assert.equal(sf.status, 200, sf.text);
        const expiresIn = (Date.parse(sf.body.connected_account.token_expires_at) - before) / 1000;
        assert.ok(Math.abs(expiresIn - 7200) < 60, `salesforce token_lifetime_seconds 7200, got ${expiresIn} s`);
      } finally {
        quirks.stripExpiresIn = false;
      }
    });

    it('revokes the grant at the provider on disconnect and on delete, and never blocks either when revocation fails', async () => {
      const revocationOf = async (id: string) => (await eventsOf(gw, id)).filter((e) => e.type === 'connected_account.provider_revocation').map((e) => e.data.outcome);
      const disconnected = await connectAccount(gw, conn);
      const { refreshToken } = await storedTokens(gw, disconnected);
      let hits = as.hits.revocation;
      const disconnect = await gw.api('POST', `/api/v1/connected_accounts/${disconnected}:disconnect`);
      assert.equal(disconnect.status, 200, disconnect.text);
      assert.equal(as.hits.revocation, hits + 1);
      assert.deepEqual(await revocationOf(disconnected), ['revoked']);
      assert.equal(await isActiveAtAs(as, conn, refreshToken!), false, 'the refresh token survived the disconnect');

      const deleted = await connectAccount(gw, conn);
      hits = as.hits.revocation;
      const removal = await gw.api('POST', '/api/v1/connected_accounts:delete', { id: deleted });
      assert.equal(removal.status, 200, removal.text);
      assert.equal(as.hits.revocation, hits + 1);
      assert.deepEqual(await revocationOf(deleted), ['revoked']);

      quirks.revocationStatus = 500;
      try {
        const [a, b] = [await connectAccount(gw, conn), await connectAccount(gw, conn)];
        hits = as.hits.revocation;
        const failingDisconnect = await gw.api('POST', `/api/v1/connected_accounts/${a}:disconnect`);
        assert.equal(failingDisconnect.status, 200, failingDisconnect.text);
        assert.equal(failingDisconnect.body.connected_account.status, 'DISCONNECTED');
        const failingDelete = await gw.api('POST', '/api/v1/connected_accounts:delete', { id: b });
        assert.equal(failingDelete.status, 200, failingDelete.text);
        assert.equal((await gw.api('GET', `/api/v1/connected_accounts/${b}`)).status, 404);
        assert.equal(as.hits.revocation, hits + 2);
        assert.deepEqual([await revocationOf(a), await revocationOf(b)], [['failed'], ['failed']]);
      } finally {
        quirks.revocationStatus = undefined;
      }
    });
  });

  describe(`providers that send no new refresh token (${backend})`, () => {
    it('keep working on the old refresh token across two refreshes', async () => {
      const quirks = { ...freshQuirks(), stripRefreshToken: true };
      const as = await startTestAuthorizationServer({ rotateRefreshToken: false, setup: quirky(quirks) });
      const gw = await startFlowGateway(backend, { env: { AGENTGATE_REFRESH_INTERVAL_SECONDS: '0' } });
      try {
        await skipVerification(gw);
        const conn = await createAsConnection(gw, as);
        const id = await connectAccount(gw, conn);
        const original = await storedTokens(gw, id);
        const seen = new Set([original.accessToken]);
        for (let i = 0; i < 2; i++) {
          const refreshed = await refresh(gw, id);
          assert.equal(refreshed.status, 200, refreshed.text);
          const now = await storedTokens(gw, id);
          assert.equal(now.refreshToken, original.refreshToken, 'the old refresh token was not kept');
          assert.ok(!seen.has(now.accessToken), 'no new access token');
          seen.add(now.accessToken);
        }
        assert.equal(refreshGrants(as), 2);
        assert.ok(as.hits.tokenRequests.every((r) => r.status === 200));
      } finally {
        await gw.close();
        await as.close();
      }
    });
  });

  describe(`the background worker (${backend})`, () => {
    it('refreshes an account about to expire on its own, and records each attempt', async () => {
      const as = await startTestAuthorizationServer({ rotateRefreshToken: true, accessTtl: 60 });
      // Every token the AS issues expires within the margin: each pass refreshes it again.
      const gw = await startFlowGateway(backend, { env: { AGENTGATE_REFRESH_INTERVAL_SECONDS: '1', AGENTGATE_REFRESH_MARGIN_SECONDS: '120' } });
      try {
        await skipVerification(gw);
        const conn = await createAsConnection(gw, as);
        const id = await connectAccount(gw, conn);
        const first = await storedTokens(gw, id);
        let attempts: Awaited<ReturnType<typeof historyOf>> = [];
        for (let waited = 0; waited < 10_000 && attempts.filter((a) => a.outcome === 'succeeded').length < 2; waited += 250) {
          await sleep(250);
          attempts = await historyOf(gw, id);
        }
        assert.ok(attempts.filter((a) => a.outcome === 'succeeded').length >= 2, `background history: ${JSON.stringify(attempts)}`);
        for (const attempt of attempts) {
          assert.equal(attempt.trigger, 'background');
          assert.equal(attempt.outcome, 'succeeded');
          assert.ok(Number.isInteger(attempt.duration_ms) && attempt.duration_ms >= 0);
          assert.ok(!Number.isNaN(Date.parse(attempt.started_at)));
        }
        const starts = attempts.map((a) => Date.parse(a.started_at));
        assert.deepEqual(starts, [...starts].sort((x, y) => y - x), 'history is not newest first');
        const now = await storedTokens(gw, id);
        assert.notEqual(now.refreshToken, first.refreshToken);
        assert.equal(await isActiveAtAs(as, conn, now.refreshToken!), true, 'the background refreshes lost the grant');
        assert.equal(as.hits.tokenRequests.filter((r) => r.grant_type === 'refresh_token' && r.status !== 200).length, 0);
        assert.equal((await gw.api('GET', `/api/v1/connected_accounts/${id}`)).body.connected_account.status, 'ACTIVE');
      } finally {
        await gw.close();
        await as.close();
      }
    });
  });
}

for (const backend of BACKENDS) {
  describe(`refresh on demand (${backend})`, () => {
    it('hands out a near-expiry token only after refreshing it (GET /auth with token retrieval on)', async () => {
      // Access tokens live 60 s and the margin is 120 s: every token is "about to expire".
      const as = await startTestAuthorizationServer({ rotateRefreshToken: true, accessTtl: 60 });
      const gw = await startFlowGateway(backend, { env: { AGENTGATE_REFRESH_INTERVAL_SECONDS: '0', AGENTGATE_REFRESH_MARGIN_SECONDS: '120' } });
      try {
        await skipVerification(gw);
        const conn = await createAsConnection(gw, as);
        const id = await connectAccount(gw, conn);
        const before = await storedTokens(gw, id);
        assert.equal(refreshGrants(as), 0);
        assert.equal((await gw.api('PATCH', '/api/v1/settings', { token_retrieval_enabled: true })).status, 200);
        const auth = await gw.api('GET', `/api/v1/connected_accounts/auth?id=${id}`);
        assert.equal(auth.status, 200, auth.text);
        const handedOut = auth.body.connected_account.authorization_details.oauth_token.access_token as string;
        assert.equal(refreshGrants(as), 1);
        assert.notEqual(handedOut, before.accessToken);
        assert.equal(handedOut, (await storedTokens(gw, id)).accessToken, 'the token handed out is the one saved');
        assert.equal(await isActiveAtAs(as, conn, handedOut), true);
        assert.deepEqual((await historyOf(gw, id)).map((a) => [a.trigger, a.outcome]), [['on_demand', 'succeeded']]);
      } finally {
        await gw.close();
        await as.close();
      }
    });
  });
}

/**
 * Refused callbacks and links (security-test-plan SEC-02/05/06/08, ATK-01..11): every refusal lands on
 * the hosted error page with the right code, no token request reaches the provider (`hits.token`
 * counted at the AS), and the account keeps its status. Verification is off in this file
 * (`user_verification: none`) so a wrongly accepted callback would show as ACTIVE at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import {
  CookieJar,
  accountOf,
  assertErrorRedirect,
  assertHostedPageHeaders,
  assertNoCredentialInUrl,
  authorizeAtProvider,
  browserFetch,
  continueToProvider,
  createAsConnection,
  createLink,
  deliverCallback,
  openLink,
  publicUrlOf,
  runFlow,
  runToCallback,
  startFlowGateway,
  type AsConnection,
  type BrowserResponse,
} from './helpers/browser-leg.ts';
import { sleep } from './helpers/api-assertions.ts';
import { startTestAuthorizationServer, type TestAuthorizationServer } from './helpers/test-authorization-server.ts';
import { BACKENDS, unique, type TestGateway } from './helpers/test-gateway.ts';

const TTL_SECONDS = 3;

/** A callback URL with some query parameters replaced (null removes one). */
function tamper(callbackUrl: string, changes: Record<string, string | null>): string {
  const url = new URL(callbackUrl);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  return url.toString();
}

for (const backend of BACKENDS) {
  describe(`OAuth callback and link attacks (${backend})`, () => {
    let gw: TestGateway;
    let as: TestAuthorizationServer;
    let as2: TestAuthorizationServer;
    let conn: AsConnection;
    let publicUrl: string;
    const codes = new Set<string>();

    before(async () => {
      [as, as2] = await Promise.all([startTestAuthorizationServer(), startTestAuthorizationServer()]);
      gw = await startFlowGateway(backend, { env: { AGENTGATE_FLOW_TTL_SECONDS: String(TTL_SECONDS), AGENTGATE_LINK_TTL_SECONDS: String(TTL_SECONDS) } });
      publicUrl = publicUrlOf(gw);
      assert.equal((await gw.api('PATCH', '/api/v1/settings', { user_verification: 'none' })).status, 200);
      conn = await createAsConnection(gw, as);
      // The second AS knows the same client and redirect URI: the mix-up setting of §3.8.
      as2.clients.register({ client_id: conn.clientId, client_secret: conn.clientSecret, redirect_uris: [conn.redirectUri] });
    });
    after(async () => {
      await gw?.close();
      await Promise.all([as?.close(), as2?.close()]);
    });

    /** A fresh account with a started flow: the callback URL the AS produced, not delivered yet. */
    async function startedFlow(loginHint = 'provider-user') {
      const identifier = unique('victim');
      const { link } = await createLink(gw, { connection_name: conn.name, identifier });
      const jar = new CookieJar();
      const { callbackUrl, authorizeUrl } = await runToCallback(link, jar, { loginHint });
      const code = new URL(callbackUrl).searchParams.get('code');
      if (code !== null) codes.add(code);
      return { identifier, link, jar, callbackUrl, authorizeUrl };
    }

    /** Delivers `url` and checks: error page with `code`, no token request, the account still PENDING_AUTH. */
    async function assertRefused(url: string, jar: CookieJar, identifier: string, code: string): Promise<BrowserResponse> {
      const before = [as.hits.token, as2.hits.token];
      const response = await deliverCallback(url, jar);
      assertErrorRedirect(response, publicUrl, code);
      assertNoCredentialInUrl(response.location, [...codes]);
      assert.deepEqual([as.hits.token, as2.hits.token], before, 'a token request reached a provider');
      assert.equal((await accountOf(gw, conn.name, identifier)).status, 'PENDING_AUTH');
      return response;
    }

    it('refuses a forged state (and the genuine callback still works)', async () => {
      const flow = await startedFlow();
      await assertRefused(tamper(flow.callbackUrl, { state: oauth.generateRandomState() }), flow.jar, flow.identifier, 'invalid_state');
      await assertRefused(tamper(flow.callbackUrl, { state: null }), flow.jar, flow.identifier, 'invalid_state');
      const genuine = await deliverCallback(flow.callbackUrl, flow.jar);
      assert.ok(genuine.location?.startsWith(`${publicUrl}/connect/success`), `genuine callback after forgeries: ${genuine.location}`);
      assert.equal((await accountOf(gw, conn.name, flow.identifier)).status, 'ACTIVE');
    });

    it('refuses a replayed state and a reused code without a second token request', async () => {
      const flow = await startedFlow();
      const first = await deliverCallback(flow.callbackUrl, flow.jar);
      assert.ok(first.location?.startsWith(`${publicUrl}/connect/success`), first.location);
      const hits = as.hits.token;
      const before = await accountOf(gw, conn.name, flow.identifier);
      for (const jar of [flow.jar, new CookieJar()]) {
        const replay = await deliverCallback(flow.callbackUrl, jar);
        assertErrorRedirect(replay, publicUrl, 'invalid_state');
      }
      assert.equal(as.hits.token, hits, 'the replay reached the token endpoint');
      const after = await accountOf(gw, conn.name, flow.identifier);
      assert.equal(after.status, 'ACTIVE');
      assert.equal(after.updated_at, before.updated_at, 'the replay changed the account');
    });

    it('refuses a callback delivered to another browser, and burns that state', async () => {
      const flow = await startedFlow();
      await assertRefused(flow.callbackUrl, new CookieJar(), flow.identifier, 'invalid_state');
      // The state was consumed by the failed attempt: the right browser cannot use it any more (ATK-03).
      await assertRefused(flow.callbackUrl, flow.jar, flow.identifier, 'invalid_state');

      const other = await startedFlow();
      const binding = other.jar.find((name) => /ag_flow_/.test(name));
      assert.ok(binding !== undefined);
      const forgedJar = other.jar.clone();
      forgedJar.setValue(binding.name, `${binding.value.slice(0, -2)}xx`);
      await assertRefused(other.callbackUrl, forgedJar, other.identifier, 'invalid_state');
    });

    it('refuses an expired flow (session_expired) and an expired link (link_expired)', async () => {
      const flow = await startedFlow();
      const { link } = await createLink(gw, { connection_name: conn.name, identifier: unique('late') });
      await sleep(TTL_SECONDS * 1000 + 600);
      await assertRefused(flow.callbackUrl, flow.jar, flow.identifier, 'session_expired');
      assertErrorRedirect(await browserFetch(link, new CookieJar()), publicUrl, 'link_expired');
    });

    it('refuses a reused link and an unknown link', async () => {
      const identifier = unique('once');
      const { link } = await createLink(gw, { connection_name: conn.name, identifier });
      const jar = new CookieJar();
      await continueToProvider(await openLink(link, jar), jar);
      for (const browser of [jar, new CookieJar()]) assertErrorRedirect(await browserFetch(link, browser), publicUrl, 'link_already_used');
      assertErrorRedirect(await browserFetch(`${publicUrl}/connect/link/${oauth.generateRandomState()}`, new CookieJar()), publicUrl, 'invalid_link');
      assertErrorRedirect(await browserFetch(`${publicUrl}/connect/link/x`, new CookieJar()), publicUrl, 'invalid_link');
    });

    it('refuses an iss of another authorization server (mix-up), with no token request at either', async () => {
      // A code and iss obtained at AS-2 pasted into a flow started at AS-1.
      const flow = await startedFlow();
      const verifier = oauth.generateRandomCodeVerifier();
      const at2 = new URL(as2.endpoints.authorize);
      at2.search = new URLSearchParams({
        client_id: conn.clientId, redirect_uri: conn.redirectUri, response_type: 'code', scope: 'openid', state: 'attacker',
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      }).toString();
      const callback2 = new URL(await authorizeAtProvider(at2.toString(), { loginHint: 'attacker' }));
      assert.equal(callback2.searchParams.get('iss'), as2.issuer);
      codes.add(callback2.searchParams.get('code')!);
      const mixed = tamper(flow.callbackUrl, { code: callback2.searchParams.get('code'), iss: as2.issuer });
      await assertRefused(mixed, flow.jar, flow.identifier, 'issuer_mismatch');

      const second = await startedFlow();
      await assertRefused(tamper(second.callbackUrl, { iss: as2.issuer }), second.jar, second.identifier, 'issuer_mismatch');
      const third = await startedFlow();
      await assertRefused(tamper(third.callbackUrl, { iss: `${as.issuer}/` }), third.jar, third.identifier, 'issuer_mismatch');
    });

    it('shows access_denied with the provider description escaped, and makes no token request', async () => {
      const script = `<script>alert("owned")</script>`;
      as.denyDescription = script;
      try {
        const flow = await startedFlow('deny');
        assert.equal(new URL(flow.callbackUrl).searchParams.get('error'), 'access_denied');
        const response = await assertRefused(flow.callbackUrl, flow.jar, flow.identifier, 'access_denied');
        const page = await browserFetch(response.location!, flow.jar);
        assertHostedPageHeaders(page.headers, 'access_denied page');
        assert.ok(!page.text.includes(script) && !page.text.includes('<script>alert'), 'the provider description is shown unescaped');
      } finally {
        as.denyDescription = 'user denied';
      }
    });

    it('turns a token endpoint 500 into failed_to_exchange_token with a logged correlation id', async () => {
      const flow = await startedFlow();
      as.failNextToken(500);
      const before = as.hits.token;
      const response = await deliverCallback(flow.callbackUrl, flow.jar);
      const { ref } = assertErrorRedirect(response, publicUrl, 'failed_to_exchange_token');
      assert.equal(as.hits.token - before, 1, 'exactly the one failed exchange');
      assert.equal((await accountOf(gw, conn.name, flow.identifier)).status, 'PENDING_AUTH');
      assert.ok(ref !== null && ref.length >= 8, 'the error page has a correlation ref');
      const lines = gw.logs.filter((l) => l.includes(ref));
      assert.ok(lines.length > 0, 'no log line carries the ref shown on the error page');
      assert.ok(lines.some((l) => /server_error|"(provider_)?status(_code)?":500/.test(l)), `the provider's raw error (500 server_error) is not logged with the ref: ${lines.join('\n')}`);
      const page = await browserFetch(response.location!, flow.jar);
      assert.ok(page.text.includes(ref), 'the error page shows the ref');
    });

    it('refuses a code from another flow (code injection): the account never activates', async () => {
      const victim = await startedFlow();
      const attacker = await startedFlow('attacker');
      assert.ok((await deliverCallback(attacker.callbackUrl, attacker.jar)).location?.startsWith(`${publicUrl}/connect/success`));
      const before = as.hits.token;
      const injected = await deliverCallback(tamper(victim.callbackUrl, { code: new URL(attacker.callbackUrl).searchParams.get('code') }), victim.jar);
      assertErrorRedirect(injected, publicUrl, 'failed_to_exchange_token');
      assert.ok(as.hits.token - before <= 1);
      if (as.hits.token > before) assert.equal(as.hits.tokenRequests.at(-1)?.status, 400, 'the AS must have refused the reused code');
      assert.equal((await accountOf(gw, conn.name, victim.identifier)).status, 'PENDING_AUTH');
    });

    it('exchanges once when the same callback arrives three times at once', async () => {
      const flow = await startedFlow();
      as.setTokenDelay(300);
      const before = as.hits.token;
      let responses: BrowserResponse[];
      try {
        responses = await Promise.all([flow.jar, flow.jar.clone(), flow.jar.clone()].map((jar) => deliverCallback(flow.callbackUrl, jar)));
      } finally {
        as.setTokenDelay(0);
      }
      assert.equal(as.hits.token - before, 1, 'duplicate callbacks made several token requests');
      const successes = responses.filter((r) => r.location?.startsWith(`${publicUrl}/connect/success`));
      assert.ok(successes.length >= 1, `no callback succeeded: ${responses.map((r) => r.location).join(', ')}`);
      for (const r of responses) assert.equal(r.status, 303);
      assert.equal((await accountOf(gw, conn.name, flow.identifier)).status, 'ACTIVE');
    });

    it('refuses malformed callbacks: no code, code and error together, duplicated or oversized parameters', async () => {
      const noCode = await startedFlow();
      const refused = async (url: string, flow: { jar: CookieJar; identifier: string }) => {
        const before = as.hits.token;
        const response = await deliverCallback(url, flow.jar);
        assert.ok(response.status >= 400 || response.location?.startsWith(`${publicUrl}/ui-handlers/connect/callback/error`), `accepted: ${response.status} ${response.location}`);
        assert.equal(as.hits.token, before);
        assert.equal((await accountOf(gw, conn.name, flow.identifier)).status, 'PENDING_AUTH');
      };
      await refused(tamper(noCode.callbackUrl, { code: null }), noCode);
      const both = await startedFlow();
      await refused(tamper(both.callbackUrl, { error: 'access_denied' }), both);
      const dup = await startedFlow();
      const duplicated = new URL(dup.callbackUrl);
      duplicated.searchParams.append('state', oauth.generateRandomState());
      await refused(duplicated.toString(), dup);
      const big = await startedFlow();
      await refused(tamper(big.callbackUrl, { state: 'a'.repeat(10_000) }), big);
      await refused(tamper(big.callbackUrl, { code: 'c'.repeat(6_000) }), big);
    });

    it('builds links and redirect URIs from the configured public URL, never from forwarded headers', async () => {
      const identifier = unique('host');
      const created = await gw.api('POST', '/api/v1/connected_accounts/magic_link', { connection_name: conn.name, identifier }, { headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } });
      assert.equal(created.status, 200, created.text);
      assert.ok(created.body.link.startsWith(`${publicUrl}/connect/link/`), created.body.link);
      const jar = new CookieJar();
      const landing = await openLink(created.body.link, jar);
      const authorizeUrl = await continueToProvider(landing, jar, { headers: { 'x-forwarded-host': 'evil.example', forwarded: 'host=evil.example;proto=https' } });
      assert.equal(new URL(authorizeUrl).searchParams.get('redirect_uri'), conn.redirectUri);
    });

    it('accepts a flow completed within the TTL after all the attacks above', async () => {
      const identifier = unique('fine');
      const { callback, callbackUrl } = await runFlow((await createLink(gw, { connection_name: conn.name, identifier })).link, new CookieJar());
      codes.add(new URL(callbackUrl).searchParams.get('code')!);
      assert.ok(callback.location?.startsWith(`${publicUrl}/connect/success`), callback.location);
      assert.equal((await accountOf(gw, conn.name, identifier)).status, 'ACTIVE');
    });

    it('never writes a code, token or client secret to the logs', () => {
      const logs = gw.logs.join('\n');
      for (const secret of [...codes, ...as.issued, ...as2.issued, conn.clientSecret]) assert.ok(!logs.includes(secret), 'a code, token or secret appears in the gateway logs');
    });
  });
}

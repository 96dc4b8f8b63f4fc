/**
 * User verification (SPEC §3 step 4, security-test-plan SEC-03, SEC-13, ATK-14..16): the handshake
 * through the example developer app (examples/verify-app), identifier mismatch, reuse, expiry, a
 * forwarded link completed by someone else, a link without user_verify_url, and the open-redirect
 * corpus for user_verify_url.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startVerifyApp, type VerifyApp } from '../../../examples/verify-app/server.ts';
import { assertError, sleep } from './helpers/api-assertions.ts';
import {
  CookieJar,
  accountOf,
  assertErrorRedirect,
  assertNoCredentialInUrl,
  browserFetch,
  createAsConnection,
  createLink,
  publicUrlOf,
  runFlow,
  startFlowGateway,
  type AsConnection,
} from './helpers/browser-leg.ts';
import { startTestAuthorizationServer, type TestAuthorizationServer } from './helpers/test-authorization-server.ts';
import { BACKENDS, unique, type TestGateway } from './helpers/test-gateway.ts';

const VERIFY_TTL_SECONDS = 3;

/** ATK-16: every one must be refused at link creation when only https://app.example.com is allowed. */
const OPEN_REDIRECT_CORPUS: readonly [string, string][] = [
  ['other host', 'https://evil.com/verify'],
  ['scheme-relative', '//evil.com/verify'],
  ['allowed host as a subdomain of evil', 'https://app.example.com.evil.com/verify'],
  ['userinfo trick', 'https://app.example.com@evil.com/verify'],
  ['userinfo on the allowed host', 'https://user:pass@app.example.com/verify'],
  ['backslash authority', 'https:/\\evil.com/verify'],
  ['backslash after the host', 'https://app.example.com\\@evil.com/verify'],
  ['encoded slashes, relative', '/%2F%2Fevil.com'],
  ['relative path', '/verify'],
  ['javascript:', 'javascript:alert(1)'],
  ['javascript: with the allowed host in a comment', 'javascript://app.example.com/%0aalert(1)'],
  ['data:', 'data:text/html,<script>alert(1)</script>'],
  ['http downgrade', 'http://app.example.com/verify'],
  ['other port', 'https://app.example.com:8443/verify'],
  ['IDN homoglyph (Cyrillic а)', 'https://\u0430pp.example.com/verify'],
  ['IDN homoglyph, punycode', 'https://xn--pp-8cd.example.com/verify'],
  ['trailing dot', 'https://app.example.com./verify'],
  ['tab in the host', 'https://app.exa\tmple.com/verify'],
  ['newline in the path', 'https://app.example.com/ver\nify'],
  ['carriage return', 'https://app.example.com/\r\nverify'],
  ['leading newline', '\nhttps://app.example.com/verify'],
  ['fragment to another host', 'https://evil.com#https://app.example.com'],
  ['empty', ''],
];

for (const backend of BACKENDS) {
  describe(`user verification (${backend})`, () => {
    let gw: TestGateway;
    let as: TestAuthorizationServer;
    let app: VerifyApp;
    let conn: AsConnection;
    let publicUrl: string;

    before(async () => {
      as = await startTestAuthorizationServer();
      gw = await startFlowGateway(backend, { env: { AGENTGATE_VERIFY_TTL_SECONDS: String(VERIFY_TTL_SECONDS) } });
      publicUrl = publicUrlOf(gw);
      app = await startVerifyApp({ gatewayUrl: gw.url, clientId: gw.admin.clientId, clientSecret: gw.admin.clientSecret });
      assert.equal((await gw.api('PATCH', '/api/v1/settings', { allowed_redirect_origins: [new URL(app.url).origin] })).status, 200);
      conn = await createAsConnection(gw, as);
    });
    after(async () => {
      await app?.close();
      await gw?.close();
      await as?.close();
    });

    const verify = (authRequestId: string, identifier: string, token?: string) =>
      gw.api('POST', '/api/v1/connected_accounts/user/verify', { auth_request_id: authRequestId, identifier }, token === undefined ? {} : { token });
    const signIn = async (jar: CookieJar, user: string) => assert.equal((await browserFetch(`${app.url}/login?user=${encodeURIComponent(user)}`, jar)).status, 200);

    /** A link for `identifier` with the app's verify URL, completed at the provider: the verify-URL redirect. */
    async function toVerification(identifier: string, state = 'dev-state') {
      const { link } = await createLink(gw, { connection_name: conn.name, identifier, state, user_verify_url: app.verifyUrl });
      const jar = new CookieJar();
      const { callback } = await runFlow(link, jar, { loginHint: `provider-${identifier}` });
      assert.equal(callback.status, 303, callback.text);
      const target = new URL(callback.location!);
      assert.equal(`${target.origin}${target.pathname}`, app.verifyUrl);
      assertNoCredentialInUrl(callback.location);
      const authRequestId = target.searchParams.get('auth_request_id');
      assert.ok(authRequestId !== null && authRequestId.length >= 16);
      assert.equal((await accountOf(gw, conn.name, identifier)).status, 'PENDING_VERIFICATION');
      return { jar, verifyUrl: callback.location!, authRequestId, state: target.searchParams.get('state') };
    }

    it('promotes the tokens on a matching identifier, once; a second or unknown id is 404', async () => {
      const identifier = unique('alice');
      const state = 'opaque & "quoted" state #1';
      const flow = await toVerification(identifier, state);
      assert.equal(flow.state, state, 'the developer state comes back untouched');
      const ok = await verify(flow.authRequestId, identifier);
      assert.equal(ok.status, 200, ok.text);
      assert.deepEqual(Object.keys(ok.body), ['post_user_verify_redirect_url']);
      assertNoCredentialInUrl(ok.body.post_user_verify_redirect_url);
      const account = await accountOf(gw, conn.name, identifier);
      assert.equal(account.status, 'ACTIVE');
      assert.deepEqual(account.scopes, ['openid', 'offline_access', 'api:read']);
      assertError(await verify(flow.authRequestId, identifier), 404, 'auth_request_not_found');
      assertError(await verify('ar_unknown_0000000000000000', identifier), 404, 'auth_request_not_found');
      assert.equal((await accountOf(gw, conn.name, identifier)).status, 'ACTIVE');
    });

    it('answers 403 on another identifier, promotes nothing, and consumes the request', async () => {
      const identifier = unique('victim');
      const flow = await toVerification(identifier);
      const revocations = as.hits.revocation;
      assertError(await verify(flow.authRequestId, unique('attacker')), 403, 'verification_identifier_mismatch');
      // The held tokens are discarded and revoked at the provider (SEC-03 step 5); the call may run after the answer.
      for (let i = 0; i < 20 && as.hits.revocation === revocations; i++) await sleep(100);
      assert.ok(as.hits.revocation > revocations, 'the pending tokens were not revoked at the provider');
      assert.equal((await accountOf(gw, conn.name, identifier)).status, 'PENDING_AUTH', 'the account goes back to its status before the flow');
      assertError(await verify(flow.authRequestId, identifier), 404, 'auth_request_not_found');
      assert.notEqual((await accountOf(gw, conn.name, identifier)).status, 'ACTIVE');
    });

    it("answers 404 to another environment's credential (no cross-environment verification)", async () => {
      const identifier = unique('tenant');
      const flow = await toVerification(identifier);
      const other = await gw.newEnvironment(unique('env'));
      const token = await gw.tokenFor(other.clientId, other.clientSecret);
      assertError(await verify(flow.authRequestId, identifier, token), 404, 'auth_request_not_found');
      assert.notEqual((await accountOf(gw, conn.name, identifier)).status, 'ACTIVE');
    });

    it('discards a pending verification after its TTL', async () => {
      const identifier = unique('slow');
      const flow = await toVerification(identifier);
      await sleep(VERIFY_TTL_SECONDS * 1000 + 600);
      assertError(await verify(flow.authRequestId, identifier), 404, 'auth_request_not_found');
      assert.notEqual((await accountOf(gw, conn.name, identifier)).status, 'ACTIVE');
    });

    it('fails with failed_to_exchange when the link has no user_verify_url', async () => {
      const identifier = unique('nourl');
      const { link } = await createLink(gw, { connection_name: conn.name, identifier });
      const { callback } = await runFlow(link, new CookieJar());
      const { description } = assertErrorRedirect(callback, publicUrl, 'failed_to_exchange');
      assert.match(description ?? '', /user_verify_url not configured for verification redirect/);
      assert.notEqual((await accountOf(gw, conn.name, identifier)).status, 'ACTIVE');
    });

    it('runs the handshake through the example app: the signed-in user is verified and lands on the gateway', async () => {
      const user = unique('appuser');
      const jar = new CookieJar();
      await signIn(jar, user);
      const connect = await browserFetch(`${app.url}/connect?connection=${encodeURIComponent(conn.name)}`, jar);
      assert.equal(connect.status, 303, connect.text);
      const { callback } = await runFlow(connect.location!, jar, { loginHint: 'provider-appuser' });
      assert.ok(callback.location?.startsWith(`${app.verifyUrl}?`), callback.location);
      const done = await browserFetch(callback.location!, jar);
      assert.equal(done.status, 303, done.text);
      assert.equal((await accountOf(gw, conn.name, user)).status, 'ACTIVE');
    });

    it('never activates a forwarded link completed by someone else (verify app session = B, link for A)', async () => {
      const alice = unique('alice');
      const bob = unique('bob');
      const aliceJar = new CookieJar();
      await signIn(aliceJar, alice);
      const connect = await browserFetch(`${app.url}/connect?connection=${encodeURIComponent(conn.name)}`, aliceJar);
      const forwardedLink = connect.location!;

      // Bob, signed in to the app as himself, opens Alice's link and consents with his provider account.
      const bobJar = new CookieJar();
      await signIn(bobJar, bob);
      const { callback } = await runFlow(forwardedLink, bobJar, { loginHint: 'provider-bob' });
      assert.ok(callback.location?.startsWith(`${app.verifyUrl}?`), callback.location);
      const authRequestId = new URL(callback.location!).searchParams.get('auth_request_id')!;
      const refused = await browserFetch(callback.location!, bobJar);
      assert.equal(refused.status, 403, `the verify app should show the mismatch page: ${refused.status} ${refused.text.slice(0, 200)}`);
      assert.match(refused.text, /different user|another user/i);
      assert.equal(refused.location, undefined);

      assert.equal((await accountOf(gw, conn.name, alice)).status, 'PENDING_AUTH', "Alice's account never becomes ACTIVE");
      const bobs = await gw.api('GET', `/api/v1/connected_accounts?${new URLSearchParams({ connection_name: conn.name, identifier: bob })}`);
      assert.ok(bobs.body.connected_accounts.every((a: { status: string }) => a.status !== 'ACTIVE'), 'no account became ACTIVE for Bob either');
      // Even Alice cannot finish that request afterwards: it was consumed by the mismatch.
      assertError(await verify(authRequestId, alice), 404, 'auth_request_not_found');
      assert.equal((await accountOf(gw, conn.name, alice)).status, 'PENDING_AUTH');
    });

    it('lets the verify app refuse to call verify without a session, leaving the request usable', async () => {
      const user = unique('later');
      const flow = await toVerification(user);
      const anonymous = new CookieJar();
      const page = await browserFetch(flow.verifyUrl, anonymous);
      assert.equal(page.status, 401, page.text.slice(0, 200));
      await signIn(anonymous, user);
      const done = await browserFetch(flow.verifyUrl, anonymous);
      assert.equal(done.status, 303, done.text);
      assert.equal((await accountOf(gw, conn.name, user)).status, 'ACTIVE');
    });

    it('refuses the user_verify_url open-redirect corpus at link creation (ATK-16)', async () => {
      const allowed = ['https://app.example.com', new URL(app.url).origin];
      assert.equal((await gw.api('PATCH', '/api/v1/settings', { allowed_redirect_origins: allowed })).status, 200);
      const identifier = unique('redirect');
      const link = (url: string) => gw.api('POST', '/api/v1/connected_accounts/magic_link', { connection_name: conn.name, identifier, user_verify_url: url });
      for (const good of ['https://app.example.com/verify', 'https://app.example.com/auth/verify?tenant=7']) {
        const response = await link(good);
        assert.equal(response.status, 200, `${good} should be accepted: ${response.text}`);
      }
      const accepted: string[] = [];
      for (const [name, url] of OPEN_REDIRECT_CORPUS) {
        const response = await link(url);
        if (response.status !== 400) accepted.push(`${name} (${JSON.stringify(url)}) → ${response.status}`);
        else assert.match(response.headers.get('content-type') ?? '', /application\/json/, `${name}: the refusal is not JSON`);
      }
      assert.deepEqual(accepted, [], 'user_verify_url values that should be refused with 400');
    });
  });
}

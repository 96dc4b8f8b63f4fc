/**
 * The hosted OAuth flow end to end against a real authorization server (oidc-provider): link →
 * landing page → provider login/consent → callback → user verification through the example
 * developer app → ACTIVE; without verification; re-authorization; granted scopes; the hosted pages.
 * (Attacks: oauth-attacks.test.ts; verification failures: verification.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { startVerifyApp, type VerifyApp } from '../../../examples/verify-app/server.ts';
import {
  CookieJar,
  accountOf,
  assertHostedPageHeaders,
  assertNoCredentialInUrl,
  authorizeAtProvider,
  browserFetch,
  continueToProvider,
  createAsConnection,
  createLink,
  deliverCallback,
  eventsOf,
  forceStatus,
  openLink,
  publicUrlOf,
  runFlow,
  startFlowGateway,
  type AsConnection,
} from './helpers/browser-leg.ts';
import { startTestAuthorizationServer, type TestAuthorizationServer } from './helpers/test-authorization-server.ts';
import { BACKENDS, unique, type TestGateway } from './helpers/test-gateway.ts';

const SCOPES = ['openid', 'offline_access', 'api:read'];

describe('test authorization server (harness self-check with oauth4webapi)', () => {
  it('runs a full code flow with PKCE, refresh rotation, code-reuse detection, revocation, denial and a forced 500', async () => {
    const as = await startTestAuthorizationServer();
    try {
      const redirectUri = 'http://127.0.0.1:9/callback';
      as.clients.register({ client_id: 'self-check', client_secret: 'self-check-secret', redirect_uris: [redirectUri] });
      const insecure = { [oauth.allowInsecureRequests]: true } as const;
      const issuer = new URL(as.issuer);
      const server = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oidc' }));
      assert.equal(server.authorization_response_iss_parameter_supported, true);
      assert.deepEqual(server.code_challenge_methods_supported, ['S256']);
      const client = { client_id: 'self-check' };
      const post = oauth.ClientSecretPost('self-check-secret');
      const authorize = async (loginHint: string) => {
        const verifier = oauth.generateRandomCodeVerifier();
        const state = oauth.generateRandomState();
        const url = new URL(as.endpoints.authorize);
        url.search = new URLSearchParams({
          client_id: client.client_id, redirect_uri: redirectUri, response_type: 'code', scope: SCOPES.join(' '), state, prompt: 'consent',
          code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
        }).toString();
        return { verifier, state, callback: new URL(await authorizeAtProvider(url.toString(), { loginHint })) };
      };

      const first = await authorize('alice');
      const params = oauth.validateAuthResponse(server, client, first.callback, first.state);
      const tokens = await oauth.processAuthorizationCodeResponse(server, client, await oauth.authorizationCodeGrantRequest(server, client, post, params, redirectUri, first.verifier, insecure));
      assert.equal(tokens.scope, SCOPES.join(' '));
      assert.equal(oauth.getValidatedIdTokenClaims(tokens)?.sub, 'alice');
      assert.ok(tokens.refresh_token !== undefined && as.issued.includes(tokens.refresh_token));
      assert.equal(as.hits.token, 1);

      // The same code again: invalid_grant (and the grant is revoked).
      await assert.rejects(oauth.processAuthorizationCodeResponse(server, client, await oauth.authorizationCodeGrantRequest(server, client, post, params, redirectUri, first.verifier, insecure)), (e: any) => e.error === 'invalid_grant');

      // client_secret_basic works as well; refresh rotates; revocation kills the refresh token.
      const basic = oauth.ClientSecretBasic('self-check-secret');
      const second = await authorize('bob');
      const bob = await oauth.processAuthorizationCodeResponse(server, client, await oauth.authorizationCodeGrantRequest(server, client, basic, oauth.validateAuthResponse(server, client, second.callback, second.state), redirectUri, second.verifier, insecure));
      const refreshed = await oauth.processRefreshTokenResponse(server, client, await oauth.refreshTokenGrantRequest(server, client, basic, bob.refresh_token!, insecure));
      assert.notEqual(refreshed.refresh_token, bob.refresh_token);
      await oauth.processRevocationResponse(await oauth.revocationRequest(server, client, post, refreshed.refresh_token!, insecure));
      assert.equal(as.hits.revocation, 1);
      await assert.rejects(oauth.processRefreshTokenResponse(server, client, await oauth.refreshTokenGrantRequest(server, client, post, refreshed.refresh_token!, insecure)), (e: any) => e.error === 'invalid_grant');

      // login_hint=deny → access_denied with the configured description, state and iss.
      as.denyDescription = '<b>no</b>';
      const denied = await authorize('deny');
      assert.equal(denied.callback.searchParams.get('error'), 'access_denied');
      assert.equal(denied.callback.searchParams.get('error_description'), '<b>no</b>');
      assert.equal(denied.callback.searchParams.get('iss'), as.issuer);

      // failNextToken answers once without processing; a tampered iss fails oauth4webapi's check.
      const third = await authorize('carol');
      as.failNextToken(500);
      const failed = await oauth.authorizationCodeGrantRequest(server, client, post, oauth.validateAuthResponse(server, client, third.callback, third.state), redirectUri, third.verifier, insecure);
      assert.equal(failed.status, 500);
      const tampered = new URL(third.callback);
      tampered.searchParams.set('iss', 'http://127.0.0.1:1');
      assert.throws(() => oauth.validateAuthResponse(server, client, tampered, third.state), /unexpected "iss"/);
      assert.deepEqual(as.logins, ['alice', 'bob', 'carol']);
      assert.deepEqual(as.hits.tokenRequests.map((r) => [r.grant_type ?? 'failed', r.status]), [
        ['authorization_code', 200], ['authorization_code', 400], ['authorization_code', 200], ['refresh_token', 200], ['refresh_token', 400], ['failed', 500],
      ]);
    } finally {
      await as.close();
    }
  });
});

for (const backend of BACKENDS) {
  describe(`hosted OAuth flow (${backend})`, () => {
    let gw: TestGateway;
    let as: TestAuthorizationServer;
    let app: VerifyApp;
    let conn: AsConnection;
    let publicUrl: string;
    const codes = new Set<string>();

    before(async () => {
      as = await startTestAuthorizationServer();
      gw = await startFlowGateway(backend);
      publicUrl = publicUrlOf(gw);
      app = await startVerifyApp({ gatewayUrl: gw.url, clientId: gw.admin.clientId, clientSecret: gw.admin.clientSecret });
      const settings = await gw.api('PATCH', '/api/v1/settings', { allowed_redirect_origins: [new URL(app.url).origin] });
      assert.equal(settings.status, 200, settings.text);
      assert.equal(settings.body.settings.user_verification, 'custom', 'verification is on by default');
      conn = await createAsConnection(gw, as, { scopes: SCOPES });
    });
    after(async () => {
      await app?.close();
      await gw?.close();
      await as?.close();
    });

    const setVerification = async (mode: 'custom' | 'none') => assert.equal((await gw.api('PATCH', '/api/v1/settings', { user_verification: mode })).status, 200);
    const remember = (callbackUrl: string) => {
      const code = new URL(callbackUrl).searchParams.get('code');
      if (code !== null) codes.add(code);
    };

    it('link → landing → provider → callback → verify app → ACTIVE with the granted scopes', async () => {
      const user = unique('alice');
      const jar = new CookieJar();
      assert.equal((await browserFetch(`${app.url}/login?user=${encodeURIComponent(user)}`, jar)).status, 200);
      const connect = await browserFetch(`${app.url}/connect?connection=${encodeURIComponent(conn.name)}`, jar);
      assert.equal(connect.status, 303, connect.text);
      const link = connect.location!;
      assert.ok(link.startsWith(`${publicUrl}/connect/link/`), link);
      const pending = await accountOf(gw, conn.name, user);
      assert.equal(pending.status, 'PENDING_AUTH');

      const landing = await openLink(link, jar);
      assertHostedPageHeaders(landing.response.headers, 'landing page');
      assert.equal(landing.formAction, link, 'the landing form posts back to the link');
      assert.ok(!landing.landingHtml.includes(conn.clientSecret));
      const authorizeUrl = await continueToProvider(landing, jar);
      assert.deepEqual(jar.rejected, [], 'a browser would refuse some gateway cookie');
      const binding = jar.find((name) => /^(__Host-)?ag_flow_/.test(name));
      assert.ok(binding !== undefined, `no browser-binding cookie: ${JSON.stringify(jar.all().map((c) => c.name))}`);
      assert.equal(binding.httpOnly, true, 'the binding cookie is HttpOnly');

      const authorize = new URL(authorizeUrl);
      assert.equal(`${authorize.origin}${authorize.pathname}`, as.endpoints.authorize);
      const q = authorize.searchParams;
      assert.equal(q.get('response_type'), 'code');
      assert.equal(q.get('client_id'), conn.clientId);
      assert.equal(q.get('redirect_uri'), conn.redirectUri);
      assert.equal(q.get('code_challenge_method'), 'S256');
      assert.match(q.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.match(q.get('state') ?? '', /^[A-Za-z0-9_-]{32,128}$/, 'state is long and opaque');
      assert.deepEqual((q.get('scope') ?? '').split(' '), SCOPES);
      assert.equal(q.get('prompt'), 'consent');
      assert.equal(q.get('access_type'), 'offline');
      assert.ok(!authorizeUrl.includes(conn.clientSecret), 'the client secret is not in the authorize URL');

      const callbackUrl = await authorizeAtProvider(authorizeUrl, { loginHint: 'provider-alice' });
      remember(callbackUrl);
      assert.ok(callbackUrl.startsWith(`${conn.redirectUri}?`), callbackUrl);
      const before = as.hits.token;
      const callback = await deliverCallback(callbackUrl, jar);
      assert.equal(callback.status, 303, callback.text);
      assert.equal(as.hits.token - before, 1, 'exactly one token request');
      const exchange = as.hits.tokenRequests.at(-1)!;
      assert.deepEqual([exchange.grant_type, exchange.redirect_uri, exchange.has_code_verifier, exchange.status], ['authorization_code', conn.redirectUri, true, 200]);

      const verify = new URL(callback.location!);
      assert.equal(`${verify.origin}${verify.pathname}`, app.verifyUrl, 'the browser goes to the developer verify URL');
      assert.ok((verify.searchParams.get('auth_request_id') ?? '').length >= 16);
      assert.equal(verify.searchParams.get('state'), conn.name, 'the developer state comes back untouched');
      assertNoCredentialInUrl(callback.location, [...codes]);
      assert.equal((await accountOf(gw, conn.name, user)).status, 'PENDING_VERIFICATION');

      const verified = await browserFetch(callback.location!, jar);
      assert.equal(verified.status, 303, `verify app: ${verified.text}`);
      assertNoCredentialInUrl(verified.location, [...codes]);
      const account = await accountOf(gw, conn.name, user);
      assert.equal(account.status, 'ACTIVE');
      assert.deepEqual(account.scopes, SCOPES);
      assert.ok(account.token_expires_at !== null && Date.parse(account.token_expires_at) > Date.now());

      const types = (await eventsOf(gw, account.id)).map((e) => e.type);
      for (const type of ['magic_link_generated', 'oauth_tokens_fetched', 'oauth_succeeded', 'status_updated']) {
        assert.ok(types.includes(`connected_account.${type}`), `event ${type} missing from ${JSON.stringify(types)}`);
      }
      assert.ok(types.indexOf('connected_account.magic_link_generated') < types.indexOf('connected_account.oauth_succeeded'));
      if (verified.location!.startsWith(publicUrl)) {
        const done = await browserFetch(verified.location!, jar);
        assert.equal(done.status, 200, done.text);
        assertHostedPageHeaders(done.headers, 'page after verification');
      }
    });

    describe('with user_verification = none', () => {
      before(() => setVerification('none'));
      after(() => setVerification('custom'));

      it('activates on the callback and lands on the success page', async () => {
        const identifier = unique('solo');
        const { link } = await createLink(gw, { connection_name: conn.name, identifier });
        const jar = new CookieJar();
        const before = as.hits.token;
        const { callbackUrl, callback } = await runFlow(link, jar, { loginHint: 'provider-solo' });
        remember(callbackUrl);
        assert.equal(callback.status, 303, callback.text);
        assert.ok(callback.location!.startsWith(`${publicUrl}/connect/success`), callback.location);
        assertNoCredentialInUrl(callback.location, [...codes]);
        assert.equal(as.hits.token - before, 1);
        const account = await accountOf(gw, conn.name, identifier);
        assert.equal(account.status, 'ACTIVE');
        assert.deepEqual(account.scopes, SCOPES);
        const success = await browserFetch(callback.location!, jar);
        assert.equal(success.status, 200, success.text);
        assertHostedPageHeaders(success.headers, 'success page');
        assert.ok(jar.find((name) => /ag_flow_/.test(name)) === undefined, 'the binding cookie is cleared after the callback');
      });

      it('re-authorizes EXPIRED, DISCONNECTED and ACTIVE accounts with a new link', async () => {
        const identifier = unique('again');
        const first = await runFlow((await createLink(gw, { connection_name: conn.name, identifier })).link, new CookieJar(), { loginHint: 'provider-1' });
        remember(first.callbackUrl);
        const account = await accountOf(gw, conn.name, identifier);
        assert.equal(account.status, 'ACTIVE');

        const reauthorize = async (hint: string) => {
          const { link } = await createLink(gw, { connection_name: conn.name, identifier });
          const { callbackUrl, callback } = await runFlow(link, new CookieJar(), { loginHint: hint });
          remember(callbackUrl);
          assert.ok(callback.location!.startsWith(`${publicUrl}/connect/success`), `${hint}: ${callback.location}`);
          const now = await accountOf(gw, conn.name, identifier);
          assert.equal(now.id, account.id, 'the same account is re-authorized, not a new one');
          assert.equal(now.status, 'ACTIVE', hint);
        };
        await forceStatus(gw, account.id, 'EXPIRED');
        assert.equal((await accountOf(gw, conn.name, identifier)).status, 'EXPIRED');
        await reauthorize('provider-2');

        const disconnected = await gw.api('POST', `/api/v1/connected_accounts/${account.id}:disconnect`);
        assert.equal(disconnected.status, 200, disconnected.text);
        assert.equal(disconnected.body.connected_account.status, 'DISCONNECTED');
        await reauthorize('provider-3');
        await reauthorize('provider-4');
      });

      it('records the scopes the provider granted when it narrows them', async () => {
        const identifier = unique('narrow');
        as.tokenScopeOverride = 'openid api:read';
        try {
          const { callbackUrl } = await runFlow((await createLink(gw, { connection_name: conn.name, identifier })).link, new CookieJar());
          remember(callbackUrl);
        } finally {
          as.tokenScopeOverride = undefined;
        }
        const account = await accountOf(gw, conn.name, identifier);
        assert.equal(account.status, 'ACTIVE');
        assert.deepEqual([...account.scopes].sort(), ['api:read', 'openid']);
      });
    });

    it('explains every documented error code on a hosted page, escaped, and as JSON on request', async () => {
      const codesToExplain = [
        'failed_to_exchange_token', 'failed_to_exchange', 'session_expired', 'invalid_state', 'redirect_uri_mismatch', 'access_denied',
        'invalid_request', 'unauthorized_client', 'invalid_scope', 'server_error', 'temporarily_unavailable',
      ];
      const texts = new Set<string>();
      for (const code of codesToExplain) {
        const url = `${publicUrl}/ui-handlers/connect/callback/error?${new URLSearchParams({ error: code, error_description: `<img src=x onerror=alert(1)> ${code}`, ref: 'req-1' })}`;
        const page = await browserFetch(url, new CookieJar());
        assert.ok(page.status === 200 || (page.status >= 400 && page.status < 600), `${code}: ${page.status}`);
        assert.match(page.headers.get('content-type') ?? '', /text\/html/);
        assertHostedPageHeaders(page.headers, `error page ${code}`);
        assert.ok(!page.text.includes('<img src=x'), `${code}: the description is reflected unescaped`);
        assert.ok(page.text.includes(code), `${code}: the page does not name the code`);
        assert.ok(page.text.includes('req-1'), `${code}: the page does not show the reference`);
        assert.match(page.text, /troubleshooting/i, `${code}: no link to the troubleshooting guide`);
        assert.ok(!/<script\b/i.test(page.text) && !/https?:\/\/(?!127\.0\.0\.1)[^"'\s<]*\.(js|css)\b/.test(page.text), `${code}: third-party or inline script`);
        texts.add(page.text.replace(new RegExp(code, 'g'), '').replace(/<img[^]*?alert\(1\)&gt;|&lt;img[^]*?&gt;/g, ''));
        const json = await fetch(url, { headers: { accept: 'application/json' } });
        assert.match(json.headers.get('content-type') ?? '', /application\/json/, code);
        const body = JSON.stringify(await json.json());
        assert.ok(body.includes(`"${code}"`), `${code}: JSON answer ${body}`);
      }
      assert.ok(texts.size >= codesToExplain.length - 2, 'the codes share the same explanation');
    });

    it('never writes a code, token or client secret to the logs', async () => {
      const logs = gw.logs.join('\n');
      assert.ok(codes.size > 0 && as.issued.length > 0);
      for (const secret of [...codes, ...as.issued, conn.clientSecret]) assert.ok(!logs.includes(secret), 'a code, token or secret appears in the gateway logs');
    });
  });
}

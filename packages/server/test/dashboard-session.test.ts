/**
 * The dashboard's front door over real HTTP: sign-in with an API credential (as POST /oauth/token
 * checks it, failure limiter included), the session cookie's flags, redirects without a session,
 * CSRF refusals, sign-out, revocation ending a session, and a session accepted by a second gateway
 * on the same PostgreSQL database (when TEST_DATABASE_URL is set).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CookieJar } from './helpers/browser-leg.ts';
import { csrfOf, dashboardClient, postSignIn, signInDashboard } from './helpers/dashboard-client.ts';
import { startFlowGateway } from './helpers/browser-leg.ts';
import { BACKENDS, createScratchDatabase, startTestGateway, type Backend, type TestGateway } from './helpers/test-gateway.ts';

const EXPECTED_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function assertDashboardHeaders(headers: Headers, where: string): void {
  assert.equal(headers.get('content-security-policy'), EXPECTED_CSP, `${where}: CSP`);
  assert.equal(headers.get('x-frame-options'), 'DENY', `${where}: X-Frame-Options`);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', `${where}: Referrer-Policy`);
  assert.equal(headers.get('cache-control'), 'no-store', `${where}: Cache-Control`);
  assert.equal(headers.get('x-content-type-options'), 'nosniff', `${where}: nosniff`);
}

for (const backend of BACKENDS) {
  describe(`dashboard sessions (${backend})`, () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startFlowGateway(backend);
    });
    after(async () => {
      await gw?.close();
    });

    it('without a session every page redirects to sign-in, keeping where it was going', async () => {
      const client = dashboardClient(gw.url);
      const root = await client.get('/dashboard');
      assert.equal(root.status, 303);
      assert.equal(root.location, `${gw.url}/dashboard/sign-in`);
      assertDashboardHeaders(root.headers, 'redirect');
      const deep = await client.get('/dashboard/connectors?q=mail');
      assert.equal(deep.status, 303);
      assert.equal(deep.location, `${gw.url}/dashboard/sign-in?next=${encodeURIComponent('/dashboard/connectors?q=mail')}`);
      const page = await client.get('/dashboard/sign-in');
      assert.equal(page.status, 200);
      assertDashboardHeaders(page.headers, 'sign-in page');
      assert.match(page.text, /<label for="field-client_id">Client id<\/label>/);
      assert.match(page.text, /<label for="field-client_secret">Client secret<\/label>/);
      assert.doesNotMatch(page.text, /<script>|style="/, 'no inline script or style');
    });

    it('signs in with the admin credential: a __Host- session cookie, HttpOnly, Secure, SameSite=Strict, 12 h', async () => {
      const client = dashboardClient(gw.url);
      const response = await postSignIn(client, gw.admin.clientId, gw.admin.clientSecret);
      assert.equal(response.status, 303, response.text.slice(0, 300));
      assert.equal(response.location, `${gw.url}/dashboard/connections`);
      const header = response.setCookies.find((c) => c.startsWith('__Host-ag_dashboard='));
      assert.ok(header !== undefined, `no session cookie in ${response.setCookies.join(' | ')}`);
      assert.match(header, /; Path=\/(;|$)/);
      assert.match(header, /; HttpOnly(;|$)/);
      assert.match(header, /; Secure(;|$)/);
      assert.match(header, /; SameSite=Strict(;|$)/);
      assert.match(header, /; Max-Age=43200(;|$)/);
      assert.doesNotMatch(header, /Domain=/i);
      assert.deepEqual(client.jar.rejected, [], 'a browser accepts every cookie');
      assert.ok(!header.includes(gw.admin.clientSecret), 'the secret is not in the cookie');
      const home = await client.get('/dashboard/connectors');
      assert.equal(home.status, 200);
      assert.match(home.text, /role="status">Signed in\.<\/p>/, 'the flash message is shown once');
      assert.match(home.text, /Environment <strong>default<\/strong>/);
      const again = await client.get('/dashboard/connectors');
      assert.doesNotMatch(again.text, /Signed in\./, 'and only once');
    });

    it('a wrong secret or an unknown client id is refused with 401 and no session', async () => {
      for (const [id, secret] of [[gw.admin.clientId, 'sec_wrong'], ['cli_nobody', 'sec_x']] as const) {
        const client = dashboardClient(gw.url);
        const response = await postSignIn(client, id, secret);
        assert.equal(response.status, 401);
        assert.match(response.text, /The client id or secret is wrong, or the credential was revoked\./);
        assert.ok(!response.setCookies.some((c) => c.startsWith('__Host-ag_dashboard=')), 'no session cookie');
        assert.ok(!response.text.includes(secret), 'the typed secret is not echoed');
        assert.match(response.text, new RegExp(`value="${id}"`), 'the client id is kept');
      }
      const empty = await postSignIn(dashboardClient(gw.url), '', '');
      assert.equal(empty.status, 400);
      assert.match(empty.text, /id="field-client_id-error">Enter the client id\./);
    });

    it('refuses a sign-in without its CSRF token or from another origin', async () => {
      const client = dashboardClient(gw.url);
      await client.get('/dashboard/sign-in');
      const noToken = await client.post('/dashboard/sign-in', { client_id: gw.admin.clientId, client_secret: gw.admin.clientSecret }, { csrf: null });
      assert.equal(noToken.status, 403);
      const page = await client.get('/dashboard/sign-in');
      const crossSite = await client.post('/dashboard/sign-in', { client_id: gw.admin.clientId, client_secret: gw.admin.clientSecret }, { csrf: csrfOf(page.text), headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
      assert.equal(crossSite.status, 403);
      assert.ok(!crossSite.setCookies.some((c) => c.startsWith('__Host-ag_dashboard=')));
      // The token of another browser (no nonce cookie in this jar) does not work either.
      const other = dashboardClient(gw.url);
      const stolen = await other.post('/dashboard/sign-in', { client_id: gw.admin.clientId, client_secret: gw.admin.clientSecret }, { csrf: csrfOf(page.text) });
      assert.equal(stolen.status, 403);
    });

    it('refuses a session POST without the CSRF token, with a wrong one, or cross-site', async () => {
      const client = await signInDashboard(gw);
      const token = await client.csrfToken();
      const cases: [string, Parameters<typeof client.post>[2]][] = [
        ['no token', { csrf: null }],
        ['wrong token', { csrf: `${token.slice(0, -2)}xx` }],
        ['cross-site origin', { csrf: token, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } }],
        ['same-site subdomain', { csrf: token, headers: { origin: 'null', 'sec-fetch-site': 'same-site' } }],
        ['null origin without Sec-Fetch-Site', { csrf: token, headers: { origin: 'null', 'sec-fetch-site': '' } }],
        ['neither Origin nor Sec-Fetch-Site', { csrf: token, headers: { origin: '', 'sec-fetch-site': '' } }],
      ];
      for (const [what, options] of cases) {
        const response = await client.post('/dashboard/sign-out', {}, options);
        assert.equal(response.status, 403, `${what}: ${response.status}`);
        assert.match(response.text, /Form refused/);
      }
      const still = await client.get('/dashboard/connectors');
      assert.equal(still.status, 200, 'none of them signed the session out');
      const same = await client.post('/dashboard/sign-out', {}, { csrf: token, headers: { origin: gw.url, 'sec-fetch-site': 'same-origin' } });
      assert.equal(same.status, 303, 'an exact Origin is accepted too');
    });

    it('the session cookie is not an API bearer token, and an API token is not a session', async () => {
      const client = await signInDashboard(gw);
      const session = client.jar.find((n) => n === '__Host-ag_dashboard');
      assert.ok(session !== undefined);
      const api = await gw.api('GET', '/api/v1/connections', undefined, { token: session.value });
      assert.equal(api.status, 401);
      const jar = new CookieJar();
      jar.store(gw.url, [`__Host-ag_dashboard=${await gw.token()}; Path=/; Secure; HttpOnly; SameSite=Strict`]);
      const page = await dashboardClient(gw.url, jar).get('/dashboard/connectors');
      assert.equal(page.status, 303, 'an API token in the session cookie is no session');
    });

    it('signing out ends the session in this browser', async () => {
      const client = await signInDashboard(gw);
      const out = await client.post('/dashboard/sign-out', {});
      assert.equal(out.status, 303);
      assert.equal(out.location, `${gw.url}/dashboard/sign-in`);
      assert.ok(out.setCookies.some((c) => /^__Host-ag_dashboard=;.*Max-Age=0/.test(c)), out.setCookies.join(' | '));
      const after = await client.get('/dashboard/connectors');
      assert.equal(after.status, 303);
      const signInPage = await client.get('/dashboard/sign-in');
      assert.match(signInPage.text, /Signed out\./);
    });

    it('revoking the credential ends its sessions at once', async () => {
      const other = await gw.newEnvironment(`dash-revoke-${backend}-${Date.now()}`);
      const client = await signInDashboard(gw, other);
      assert.equal((await client.get('/dashboard/connectors')).status, 200);
      await gw.gateway.store.credentials.revoke(other.clientId, new Date());
      const page = await client.get('/dashboard/connectors');
      assert.equal(page.status, 303, 'the next page is the sign-in page');
      const post = await client.post('/dashboard/sign-out', {}, { csrf: 'anything' });
      assert.equal(post.status, 303);
      assert.match(post.location ?? '', /\/dashboard\/sign-in$/);
      const again = await postSignIn(dashboardClient(gw.url), other.clientId, other.clientSecret);
      assert.equal(again.status, 401, 'and the revoked credential cannot sign in');
    });

    it('a session shows only its own environment', async () => {
      const name = `dash-env-${backend}-${Date.now()}`;
      const other = await gw.newEnvironment(name);
      const client = await signInDashboard(gw, other);
      const page = await client.get('/dashboard/connectors');
      assert.match(page.text, new RegExp(`Environment <strong>${name}</strong>`));
    });

    it('unknown dashboard paths are an HTML 404 page, assets are served with their type', async () => {
      const client = await signInDashboard(gw);
      const missing = await client.get('/dashboard/nope');
      assert.equal(missing.status, 404);
      assert.match(missing.headers.get('content-type') ?? '', /text\/html/);
      assertDashboardHeaders(missing.headers, '404');
      const css = await client.get('/dashboard/assets/dashboard.css');
      assert.equal(css.status, 200);
      assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
      const js = await client.get('/dashboard/assets/dashboard.js');
      assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.equal((await client.get('/dashboard/assets/..%2fsession.ts')).status, 404);
    });
  });
}

describe('dashboard sign-in failure limiter (shared with POST /oauth/token)', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startFlowGateway('pglite', { env: { AGENTGATE_TOKEN_RATE_LIMIT: '3' } });
  });
  after(async () => {
    await gw?.close();
  });

  it('answers 429 with Retry-After once the failures of the token endpoint and the form add up', async () => {
    for (let i = 0; i < 2; i++) {
      const token = await fetch(`${gw.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: gw.admin.clientId, client_secret: 'sec_wrong' }) });
      assert.equal(token.status, 401);
    }
    const client = dashboardClient(gw.url);
    assert.equal((await postSignIn(client, gw.admin.clientId, 'sec_wrong')).status, 401);
    const limited = await postSignIn(client, gw.admin.clientId, gw.admin.clientSecret);
    assert.equal(limited.status, 429, 'even the right secret waits');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.match(limited.text, /Too many failed attempts/);
  });
});

describe('a dashboard session on two gateways sharing one PostgreSQL database', { skip: BACKENDS.includes('postgres') ? false : 'TEST_DATABASE_URL is not set' }, () => {
  let first: TestGateway;
  let second: TestGateway;
  let drop: (() => Promise<void>) | undefined;
  before(async () => {
    const scratch = await createScratchDatabase();
    drop = scratch.drop;
    const backend: Backend = 'postgres';
    first = await startFlowGateway(backend, { databaseUrl: scratch.url });
    // Same public URL as the first one (replicas behind one address): the cookie's issuer is the public URL.
    second = await startTestGateway(backend, { databaseUrl: scratch.url, env: { AGENTGATE_PUBLIC_URL: first.gateway.ctx.publicUrl, AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' } });
  });
  after(async () => {
    await second?.close();
    await first?.close();
    await drop?.();
  });

  it('a cookie issued by one replica is accepted by the other, and revocation seen by both', async () => {
    // Both gateways seed cli_test_admin; the second start replaced its secret with its own.
    const client = await signInDashboard(first, second.admin);
    const onSecond = dashboardClient(second.url, client.jar);
    // The jar is keyed by host (127.0.0.1), not port: the same browser cookie goes to both replicas.
    const page = await onSecond.get('/dashboard/connectors');
    assert.equal(page.status, 200, `${page.status} ${page.location ?? ''}`);
    const env = await first.newEnvironment(`replica-${Date.now()}`);
    const other = await signInDashboard(first, env);
    assert.equal((await dashboardClient(second.url, other.jar).get('/dashboard/connectors')).status, 200);
    await first.gateway.store.credentials.revoke(env.clientId, new Date());
    assert.equal((await dashboardClient(second.url, other.jar).get('/dashboard/connectors')).status, 303);
  });
});

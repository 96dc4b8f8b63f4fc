/**
 * The hosted credential form of static-credential connectors (zendesk, API_KEY), issue 3 item 6 and
 * security-test-plan SEC-14/15, ATK-33..35: CSRF and Origin checks, per-field explanations, the live
 * check against the provider (a fake Zendesk on loopback via `api_config.base_url`), and the secret
 * never appearing in a page, a URL or the logs.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  CookieJar,
  accountOf,
  assertErrorRedirect,
  assertHostedPageHeaders,
  assertNoCredentialInUrl,
  browserFetch,
  createLink,
  openLink,
  parseForm,
  publicUrlOf,
  submitForm,
  startFlowGateway,
  type BrowserResponse,
  type LandingPage,
} from './helpers/browser-leg.ts';
import { BACKENDS, unique, type TestGateway } from './helpers/test-gateway.ts';

const LABELS = { domain: 'Zendesk subdomain', email: 'Agent email', api_token: 'API token' } as const;

/** Zendesk's `GET /api/v2/users/me.json`: 200 for the one accepted email/token pair, 401 otherwise. */
async function startFakeZendesk(accept: { email: string; token: string }) {
  const requests: { path: string; authorization: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const expected = `Basic ${Buffer.from(`${accept.email}/token:${accept.token}`).toString('base64')}`;
    const ok = req.url === '/api/v2/users/me.json' && req.headers.authorization === expected;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { user: { email: accept.email } } : { error: 'Couldn\'t authenticate you' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const backend of BACKENDS) {
  describe(`hosted credential form (${backend})`, () => {
    let gw: TestGateway;
    let zendesk: Awaited<ReturnType<typeof startFakeZendesk>>;
    let connection: string;
    let publicUrl: string;
    const goodToken = unique('zd-good-token');
    const goodEmail = 'agent@acme.test';
    /** Every secret value submitted: none may show up in a page, a URL or a log line. */
    const secrets = new Set<string>([goodToken]);

    before(async () => {
      zendesk = await startFakeZendesk({ email: goodEmail, token: goodToken });
      gw = await startFlowGateway(backend);
      publicUrl = publicUrlOf(gw);
      connection = unique('zendesk');
      const created = await gw.api('POST', '/api/v1/connections', { connection: { provider: 'zendesk', name: connection, type: 'API_KEY', api_config: { base_url: zendesk.url } } });
      assert.equal(created.status, 201, created.text);
    });
    after(async () => {
      await gw?.close();
      await zendesk?.close();
    });

    async function formFor(identifier: string, jar = new CookieJar()): Promise<{ page: LandingPage; jar: CookieJar; link: string }> {
      const { link } = await createLink(gw, { connection_name: connection, identifier });
      return { page: await openLink(link, jar), jar, link };
    }
    const assertNoSecretIn = (response: BrowserResponse, where: string) => {
      for (const secret of secrets) assert.ok(!response.text.includes(secret), `${where}: a submitted secret is echoed in the page`);
      for (const value of [response.url, response.location]) assertNoCredentialInUrl(value, [...secrets]);
    };

    it('renders a form from the catalog fields with a CSRF token and the hosted-page headers', async () => {
      const { page, jar } = await formFor(unique('user'));
      assertHostedPageHeaders(page.response.headers, 'credential form');
      assert.deepEqual(page.form.names.filter((n) => n !== 'csrf_token').sort(), ['api_token', 'domain', 'email']);
      for (const label of Object.values(LABELS)) assert.ok(page.landingHtml.includes(label), `label ${label} missing`);
      assert.equal(page.form.inputs['api_token'], '', 'the secret field starts empty');
      assert.deepEqual(jar.rejected, []);
      assert.ok(jar.all().length > 0, 'no CSRF cookie was set');
    });

    it('refuses a post without the CSRF token, with a foreign token, or from another Origin (403), storing nothing', async () => {
      const identifier = unique('csrf');
      const { page, jar } = await formFor(identifier);
      const values = { domain: 'acme', email: goodEmail, api_token: goodToken };
      const attempts: [string, () => Promise<BrowserResponse>][] = [
        ['no csrf_token', () => submitForm(page, jar, { fields: { ...values, csrf_token: undefined } })],
        ['wrong csrf_token', () => submitForm(page, jar, { fields: { ...values, csrf_token: `${page.csrfToken.slice(0, -3)}abc` } })],
        ['another Origin', () => submitForm(page, jar, { fields: values, origin: 'https://evil.example' })],
        ['null Origin', () => submitForm(page, jar, { fields: values, origin: 'null' })],
        ['a cross-site Sec-Fetch-Site', () => submitForm(page, jar, { fields: values, headers: { 'sec-fetch-site': 'cross-site' } })],
        // Our pages send no Referer (no-referrer), so one naming our origin proves nothing: no Origin, no Sec-Fetch-Site → refused.
        ['no Origin nor Sec-Fetch-Site, only a Referer', () => submitForm(page, jar, { fields: values, origin: null, headers: { referer: `${gw.gateway.ctx.publicUrl}/connect/link/x` } })],
        ['the right token from a browser without the cookie', () => submitForm(page, new CookieJar(), { fields: values })],
      ];
      for (const [name, attempt] of attempts) {
        const response = await attempt();
        assert.equal(response.status, 403, `${name}: ${response.status}`);
        assertNoSecretIn(response, name);
        assertHostedPageHeaders(response.headers, `403 page (${name})`);
      }
      assert.equal(zendesk.requests.length, 0, 'a refused post still reached the provider check');
      assert.equal((await accountOf(gw, connection, identifier)).status, 'PENDING_AUTH');
    });

    it('explains bad fields on the re-rendered form (400) without echoing the secret or calling the provider', async () => {
      const identifier = unique('typo');
      const { page, jar } = await formFor(identifier);
      const secret = unique('typo-secret');
      secrets.add(secret);
      const response = await submitForm(page, jar, { fields: { domain: 'not a domain!', email: 'nope', api_token: secret } });
      assert.equal(response.status, 400, response.text.slice(0, 300));
      assertHostedPageHeaders(response.headers, 'form with errors');
      assertNoSecretIn(response, 'form with errors');
      const form = parseForm(response.text, response.url);
      assert.ok(form !== undefined && form.inputs['csrf_token'] !== undefined, 'the form is not rendered again');
      assert.equal(form.inputs['api_token'] ?? '', '', 'the secret is put back into the form');
      for (const field of ['domain', 'email'] as const) {
        assert.ok(response.text.split(LABELS[field]).length - 1 >= 2, `no explanation for ${field}`);
      }
      assert.equal(zendesk.requests.length, 0, 'invalid fields were sent to the provider');
      assert.equal((await accountOf(gw, connection, identifier)).status, 'PENDING_AUTH');
    });

    it('refuses values the provider rejects, escapes echoed fields, caps lengths, then accepts a correction on the same link', async () => {
      const identifier = unique('retry');
      const { page, jar, link } = await formFor(identifier);
      const wrong = unique('wrong-token');
      secrets.add(wrong);
      const before = zendesk.requests.length;
      const hostile = '"><script>alert(1)</script>@x.test';
      const rejected = await submitForm(page, jar, { fields: { domain: 'acme', email: hostile, api_token: wrong } });
      assert.equal(rejected.status, 400, rejected.text.slice(0, 300));
      assert.equal(zendesk.requests.length - before, 1, 'the live check ran once');
      assert.match(rejected.text, /Zendesk/);
      assert.ok(!rejected.text.includes('<script>alert(1)'), 'a posted value is reflected unescaped');
      assertNoSecretIn(rejected, 'provider-rejected form');

      const long = 'x'.repeat(9000);
      const retryPage = { form: parseForm(rejected.text, rejected.url)! };
      const tooLong = await submitForm(retryPage, jar, { fields: { domain: 'acme', email: goodEmail, api_token: long } });
      assert.equal(tooLong.status, 400);
      assert.ok(!tooLong.text.includes(long), 'the long secret is reflected');
      assert.equal((await accountOf(gw, connection, identifier)).status, 'PENDING_AUTH');

      const fixed = await submitForm({ form: parseForm(tooLong.text, tooLong.url)! }, jar, { fields: { domain: 'acme', email: goodEmail, api_token: goodToken } });
      assert.equal(fixed.status, 303, fixed.text.slice(0, 300));
      assert.ok(fixed.location?.startsWith(`${publicUrl}/connect/success`), fixed.location);
      assertNoSecretIn(fixed, 'success redirect');
      const account = await accountOf(gw, connection, identifier);
      assert.equal(account.status, 'ACTIVE');
      const success = await browserFetch(fixed.location!, jar);
      assert.equal(success.status, 200);
      assertHostedPageHeaders(success.headers, 'success page');
      assertNoSecretIn(success, 'success page');

      // Stored as typed (read back with token retrieval on), and the link is spent.
      assert.equal((await gw.api('PATCH', '/api/v1/settings', { token_retrieval_enabled: true })).status, 200);
      try {
        const auth = await gw.api('GET', `/api/v1/connected_accounts/auth?${new URLSearchParams({ connection_name: connection, identifier })}`);
        assert.deepEqual(auth.body.connected_account.authorization_details.static_auth, { domain: 'acme', email: goodEmail, api_token: goodToken });
      } finally {
        assert.equal((await gw.api('PATCH', '/api/v1/settings', { token_retrieval_enabled: false })).status, 200);
      }
      assertErrorRedirect(await browserFetch(link, new CookieJar()), publicUrl, 'link_already_used');
    });

    it('never writes a submitted secret to the logs', () => {
      const logs = gw.logs.join('\n');
      assert.ok(gw.logs.length > 0);
      for (const secret of secrets) assert.ok(!logs.includes(secret), 'a submitted secret appears in the gateway logs');
    });
  });
}

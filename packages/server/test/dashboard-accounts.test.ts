/**
 * Dashboard connected accounts over real HTTP (PGlite, and PostgreSQL when TEST_DATABASE_URL is set):
 * the list with its filters and cursor pages, adding an account by hand (static credentials checked
 * against the connector's fields, secrets never echoed), the account page (status meaning, missing
 * scopes, refresh history, events, executions), its actions against the real `oidc-provider` test
 * authorization server (authorization link, refresh, disconnect, delete with a confirmation that
 * works without script, diagnose), escaping of hostile identifiers, CSRF on every action, and
 * isolation between environments.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { accountOf, createAsConnection, forceStatus, startFlowGateway, type AsConnection } from './helpers/browser-leg.ts';
import { signInDashboard, type DashboardClient } from './helpers/dashboard-client.ts';
import { connectAccount, historyOf, skipVerification } from './helpers/refresh-fixtures.ts';
import { startTestAuthorizationServer, type TestAuthorizationServer } from './helpers/test-authorization-server.ts';
import { BACKENDS, unique, type TestGateway } from './helpers/test-gateway.ts';

const HOSTILE = '<img src=x onerror=alert(1)>"\'';
const HOSTILE_ESCAPED = '&lt;img src=x onerror=alert(1)&gt;&quot;&#39;';

for (const backend of BACKENDS) {
  describe(`dashboard connected accounts (${backend})`, () => {
    let gw: TestGateway;
    let as: TestAuthorizationServer;
    let client: DashboardClient;
    let conn: AsConnection;
    let zendesk: string;

    before(async () => {
      as = await startTestAuthorizationServer();
      gw = await startFlowGateway(backend);
      await skipVerification(gw);
      conn = await createAsConnection(gw, as, { scopes: ['openid', 'offline_access', 'api:read', 'api:write'] });
      zendesk = unique('zd');
      const created = await gw.api('POST', '/api/v1/connections', { connection: { provider: 'zendesk', name: zendesk, type: 'API_KEY' } });
      assert.equal(created.status, 201, created.text);
      client = await signInDashboard(gw);
    });
    after(async () => {
      await gw?.close();
      await as?.close();
    });

    async function pendingAccount(identifier = unique('user')): Promise<string> {
      const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: conn.name, identifier });
      assert.equal(created.status, 201, created.text);
      return created.body.connected_account.id;
    }

    it('lists accounts with status, identifier, connection, last used and expiry; filters by status, connection and search', async () => {
      const tag = unique('list');
      const active = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: zendesk, identifier: `${tag}-zd`, authorization_details: { static_auth: { domain: 'acme', email: 'a@acme.test', api_token: 'tok-123456' } } });
      assert.equal(active.status, 201, active.text);
      const pendingId = await pendingAccount(`${tag}-oauth`);
      const all = await client.get(`/dashboard/accounts?q=${tag}`);
      assert.equal(all.status, 200);
      assert.match(all.text, /<th scope="col">Status<\/th><th scope="col">Identifier<\/th><th scope="col">Connection<\/th><th scope="col">Last used<\/th><th scope="col">Token expiry<\/th>/);
      assert.match(all.text, /2 connected accounts match/);
      assert.ok(all.text.includes(`href="/dashboard/accounts/${pendingId}">${tag}-oauth</a>`));
      assert.match(all.text, /class="badge status-active"[^>]*>ACTIVE</);
      assert.match(all.text, /class="badge status-pending-auth"[^>]*>PENDING_AUTH</);
      assert.ok(all.text.includes('does not expire'), 'static credentials have no expiry');
      assert.ok(!all.text.includes('tok-123456'), 'no credential on the list');

      const byStatus = await client.get(`/dashboard/accounts?q=${tag}&status=ACTIVE`);
      assert.match(byStatus.text, /1 connected account match/);
      assert.ok(byStatus.text.includes(`${tag}-zd</a>`) && !byStatus.text.includes(`${tag}-oauth</a>`));
      assert.match(byStatus.text, /<option value="ACTIVE" selected>/);
      const byConnection = await client.get(`/dashboard/accounts?q=${tag}&connection=${encodeURIComponent(conn.name)}`);
      assert.ok(byConnection.text.includes(`${tag}-oauth</a>`) && !byConnection.text.includes(`${tag}-zd</a>`));
      const none = await client.get(`/dashboard/accounts?q=${unique('nothing')}`);
      assert.match(none.text, /No connected account matches these filters\./);
      const junk = await client.get('/dashboard/accounts?status=BOGUS');
      assert.equal(junk.status, 200, 'an unknown status is ignored, not an error');
    });

    it('pages through the accounts with cursor links that keep the filters', async () => {
      const tag = unique('page');
      for (let i = 0; i < 27; i++) await pendingAccount(`${tag}-${String(i).padStart(2, '0')}`);
      const first = await client.get(`/dashboard/accounts?q=${tag}`);
      assert.match(first.text, /27 connected accounts match/);
      assert.equal((first.text.match(/<tr>\n<td><span class="badge/g) ?? []).length, 25);
      const next = /href="(\/dashboard\/accounts\?[^"]+)" rel="next"/.exec(first.text)?.[1];
      assert.ok(next !== undefined, 'a next page link');
      const nextUrl = next.replace(/&amp;/g, '&');
      assert.ok(new URL(nextUrl, gw.url).searchParams.get('q') === tag, 'the filter is kept');
      const second = await client.get(nextUrl);
      assert.equal((second.text.match(/<tr>\n<td><span class="badge/g) ?? []).length, 2);
      assert.match(second.text, /rel="prev">Previous page/);
      assert.doesNotMatch(second.text, /rel="next"/);
      const bad = await client.get('/dashboard/accounts?page_token=not-a-token');
      assert.equal(bad.status, 400, 'a forged page token is refused');
    });

    it('adds a static-credential account by hand: fields from the connector, secrets write-only, errors by field', async () => {
      const form = await client.get(`/dashboard/accounts/new?connection=${encodeURIComponent(zendesk)}`);
      assert.equal(form.status, 200);
      for (const label of ['Identifier', 'Zendesk subdomain', 'Agent email', 'API token']) assert.match(form.text, new RegExp(`<label for="[^"]+">${label}`), label);
      assert.match(form.text, /<input id="field-cred_api_token" name="cred_api_token" type="password"/);
      const identifier = unique('by-hand');
      const bad = await client.post('/dashboard/accounts', { connection: zendesk, identifier, cred_domain: 'acme', cred_email: 'not an email', cred_api_token: 'secret-token-value' });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /id="field-cred_email-error">Agent email does not have the expected format/);
      assert.ok(bad.text.includes('value="acme"'), 'non-secret values are kept');
      assert.ok(!bad.text.includes('secret-token-value'), 'the secret is not echoed');
      const good = await client.post('/dashboard/accounts', { connection: zendesk, identifier, cred_domain: 'acme', cred_email: 'agent@acme.test', cred_api_token: 'secret-token-value' });
      assert.equal(good.status, 303, good.text.slice(0, 500));
      const api = await accountOf(gw, zendesk, identifier);
      assert.equal(api.status, 'ACTIVE');
      const page = await client.get(new URL(good.location ?? '').pathname);
      assert.match(page.text, /Account &quot;by-hand-[^&]+&quot; added\. It is ACTIVE\./);
      assert.ok(!page.text.includes('secret-token-value'));
      const duplicate = await client.post('/dashboard/accounts', { connection: zendesk, identifier, cred_domain: 'acme', cred_email: 'agent@acme.test', cred_api_token: 'x-123' });
      assert.equal(duplicate.status, 400);
      assert.match(duplicate.text, /id="field-identifier-error">Connection &quot;[^&]+&quot; already has an account/);
      const chooser = await client.get('/dashboard/accounts/new');
      assert.match(chooser.text, /<select id="field-connection" name="connection"/);
    });

    it('adds an OAuth account as PENDING_AUTH and mints an authorization link that starts the flow', async () => {
      const identifier = unique('oauth-hand');
      const added = await client.post('/dashboard/accounts', { connection: conn.name, identifier });
      assert.equal(added.status, 303, added.text.slice(0, 400));
      const path = new URL(added.location ?? '').pathname;
      const page = await client.get(path);
      assert.match(page.text, /class="badge status-pending-auth"/);
      assert.ok(page.text.includes('The user has not finished authorizing yet'), 'the status is explained');
      const minted = await client.post(`${path}/link`, {});
      assert.equal(minted.status, 200, minted.text.slice(0, 400));
      const link = /id="authorization-link" type="text" readonly value="([^"]+)"/.exec(minted.text)?.[1] ?? '';
      assert.ok(link.startsWith(`${gw.url}/connect/link/`), `a link: ${link}`);
      assert.match(minted.text, /data-copy="authorization-link"/);
      const landing = await fetch(link, { redirect: 'manual' });
      assert.equal(landing.status, 200, 'the link opens the landing page');
      assert.ok(!(await client.get(path)).text.includes(link), 'the link is shown once, not on the page afterwards');
    });

    it('refresh succeeds against the authorization server and appears in the refresh history; events and scopes are shown', async () => {
      // The provider grants less than the connection asks for: api:write is left out.
      as.tokenScopeOverride = 'openid offline_access api:read';
      const accountId = await connectAccount(gw, conn);
      const path = `/dashboard/accounts/${accountId}`;
      const refreshed = await client.post(`${path}/refresh`, {}).finally(() => (as.tokenScopeOverride = undefined));
      assert.equal(refreshed.status, 303);
      const page = await client.get(path);
      assert.match(page.text, /role="status">Token refreshed\. The account is ACTIVE\./);
      assert.match(page.text, /<table id="refresh-history">[\s\S]*<td>manual<\/td><td><span class="badge result-ok">succeeded<\/span>/);
      assert.equal((await historyOf(gw, accountId))[0]?.outcome, 'succeeded');
      assert.match(page.text, /<code>connected_account\.token_refresh_succeeded<\/code> <span class="muted">trigger manual<\/span>/);
      assert.match(page.text, /<code>connected_account\.created<\/code>/);
      assert.match(page.text, /<code>api:write<\/code><\/td><td>yes<\/td><td><strong class="missing">missing<\/strong>/, 'a configured scope the AS did not grant is marked missing');
      assert.match(page.text, /<code>api:read<\/code><\/td><td>yes<\/td><td>yes<\/td>/);
    });

    it('a refused refresh is a message, not a crash', async () => {
      const path = `/dashboard/accounts/${await pendingAccount()}`;
      const refused = await client.post(`${path}/refresh`, {});
      assert.equal(refused.status, 303);
      assert.match((await client.get(path)).text, /role="alert">Refresh failed: Account ca_[^ ]+ is PENDING_AUTH/);
    });

    it('diagnose on an EXPIRED account shows the failing status finding with its fix and docs link', async () => {
      const accountId = await connectAccount(gw, conn);
      await forceStatus(gw, accountId, 'EXPIRED');
      const answer = await client.post(`/dashboard/accounts/${accountId}/diagnose`, {});
      assert.equal(answer.status, 200, answer.text.slice(0, 400));
      assert.match(answer.text, /<h2 id="diagnosis-title">Diagnosis: <span class="badge result-fail">Failing<\/span>/);
      const status = /<li class="fail" data-check="status">([\s\S]*?)<\/li>/.exec(answer.text)?.[1] ?? '';
      assert.match(status, /The account is EXPIRED/);
      assert.match(status, /<strong>Fix:<\/strong> Try a refresh first/);
      assert.match(status, /<a href="[^"]+troubleshooting[^"]*#[^"]+" rel="noreferrer">/);
      // With the refresh option the refresh engine runs first and the account comes back.
      const healed = await client.post(`/dashboard/accounts/${accountId}/diagnose`, { refresh: 'on' });
      assert.match(healed.text, /<li class="ok" data-check="refresh">/);
      assert.equal((await gw.api('GET', `/api/v1/connected_accounts/details?id=${accountId}`)).body.connected_account.status, 'ACTIVE');
    });

    it('disconnect and delete ask first (a page without script), then act', async () => {
      const accountId = await connectAccount(gw, conn);
      const path = `/dashboard/accounts/${accountId}`;
      const ask = await client.post(`${path}/disconnect`, {});
      assert.equal(ask.status, 200);
      assert.match(ask.text, /<h1>Disconnect [^<]+\?<\/h1>[\s\S]*name="confirmed" value="yes"/);
      assert.equal((await accountOf(gw, conn.name, (await gw.api('GET', `/api/v1/connected_accounts/details?id=${accountId}`)).body.connected_account.identifier)).status, 'ACTIVE', 'nothing happened yet');
      const done = await client.post(`${path}/disconnect`, { confirmed: 'yes' });
      assert.equal(done.status, 303);
      assert.match((await client.get(path)).text, /disconnected\.[\s\S]*class="badge status-disconnected"/);
      const askDelete = await client.post(`${path}/delete`, {});
      assert.match(askDelete.text, /<h1>Delete [^<]+\?<\/h1>/);
      const deleted = await client.post(`${path}/delete`, { confirmed: 'yes' });
      assert.equal(deleted.location, `${gw.url}/dashboard/accounts`);
      assert.equal((await client.get(path)).status, 404);
    });

    it('escapes a hostile identifier everywhere it is shown', async () => {
      const id = await pendingAccount(`${HOSTILE}${unique('x')}`);
      for (const path of [`/dashboard/accounts/${id}`, `/dashboard/accounts?q=${encodeURIComponent('onerror')}`]) {
        const page = await client.get(path);
        assert.equal(page.status, 200);
        assert.ok(!page.text.includes('<img src=x'), `${path}: the identifier is not markup`);
        assert.ok(page.text.includes(HOSTILE_ESCAPED), `${path}: shown escaped`);
      }
      const typed = await client.post('/dashboard/accounts', { connection: zendesk, identifier: unique('i'), cred_domain: HOSTILE, cred_email: 'a@b.c', cred_api_token: 'x-1' });
      assert.equal(typed.status, 400);
      assert.ok(!typed.text.includes('<img src=x') && typed.text.includes(`value="${HOSTILE_ESCAPED}"`));
    });

    it('refuses every account action without the CSRF token or from another site', async () => {
      const id = await pendingAccount();
      const actions: [string, Record<string, string>][] = [
        ['/dashboard/accounts', { connection: zendesk, identifier: unique('csrf') }],
        [`/dashboard/accounts/${id}/link`, {}],
        [`/dashboard/accounts/${id}/refresh`, {}],
        [`/dashboard/accounts/${id}/disconnect`, { confirmed: 'yes' }],
        [`/dashboard/accounts/${id}/delete`, { confirmed: 'yes' }],
        [`/dashboard/accounts/${id}/diagnose`, {}],
      ];
      for (const [path, fields] of actions) {
        assert.equal((await client.post(path, fields, { csrf: null })).status, 403, `${path} without a token`);
        assert.equal((await client.post(path, fields, { csrf: 'forged' })).status, 403, `${path} with a forged token`);
        assert.equal((await client.post(path, fields, { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })).status, 403, `${path} cross-site`);
      }
      const still = await gw.api('GET', `/api/v1/connected_accounts/details?id=${id}`);
      assert.equal(still.body.connected_account.status, 'PENDING_AUTH', 'nothing changed');
    });

    it("another environment's account is not found", async () => {
      const other = await signInDashboard(gw, await gw.newEnvironment(unique('acct-iso')));
      const id = await pendingAccount();
      assert.equal((await other.get(`/dashboard/accounts/${id}`)).status, 404);
      assert.equal((await other.post(`/dashboard/accounts/${id}/delete`, { confirmed: 'yes' })).status, 404);
      assert.equal((await gw.api('GET', `/api/v1/connected_accounts/details?id=${id}`)).status, 200);
    });
  });
}

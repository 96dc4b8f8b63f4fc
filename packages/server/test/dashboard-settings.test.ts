/**
 * Dashboard settings over real HTTP (PGlite, and PostgreSQL when TEST_DATABASE_URL is set): the
 * environment settings (same as PATCH /api/v1/settings), webhooks (secret shown once, test event,
 * delete, escaped description), API credentials (secret shown once, revoke ends sessions) and the
 * encryption key status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFlowGateway } from './helpers/browser-leg.ts';
import { dashboardClient, postSignIn, signInDashboard, type DashboardClient } from './helpers/dashboard-client.ts';
import { BACKENDS, unique, type TestGateway } from './helpers/test-gateway.ts';

for (const backend of BACKENDS) {
  describe(`dashboard settings (${backend})`, () => {
    let gw: TestGateway;
    let client: DashboardClient;
    before(async () => {
      gw = await startFlowGateway(backend);
      client = await signInDashboard(gw);
    });
    after(async () => {
      await gw?.close();
    });

    const base = { user_verification: 'custom', allowed_redirect_origins: '' };

    it('saves the environment settings as PATCH /api/v1/settings would, and unticked boxes turn them off', async () => {
      const page = await client.get('/dashboard/settings');
      assert.equal(page.status, 200);
      assert.match(page.text, /<option value="custom" selected>/);
      const saved = await client.post('/dashboard/settings', { user_verification: 'none', allowed_redirect_origins: 'https://app.example.com\nhttp://localhost:3000', token_retrieval_enabled: 'on', proxy_enabled: 'on', tool_call_payloads_enabled: 'on' });
      assert.equal(saved.status, 303, saved.text.slice(0, 300));
      const api = (await gw.api('GET', '/api/v1/settings')).body.settings;
      assert.deepEqual(api, { user_verification: 'none', allowed_redirect_origins: ['https://app.example.com', 'http://localhost:3000'], token_retrieval_enabled: true, proxy_enabled: true, tool_call_payloads_enabled: true });
      const shown = await client.get('/dashboard/settings');
      assert.match(shown.text, /role="status">Settings saved\./);
      assert.match(shown.text, /name="token_retrieval_enabled" value="on" checked/);
      assert.equal((await client.post('/dashboard/settings', base)).status, 303);
      const off = (await gw.api('GET', '/api/v1/settings')).body.settings;
      assert.deepEqual(off, { user_verification: 'custom', allowed_redirect_origins: [], token_retrieval_enabled: false, proxy_enabled: false, tool_call_payloads_enabled: false });
    });

    it('an origin with a path is refused next to its field, and nothing is saved', async () => {
      const bad = await client.post('/dashboard/settings', { ...base, allowed_redirect_origins: 'https://ok.example.com\nhttps://app.example.com/verify', proxy_enabled: 'on' });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /id="field-allowed_redirect_origins-error">&quot;https:\/\/app\.example\.com\/verify&quot; is not an origin/);
      assert.match(bad.text, /https:\/\/app\.example\.com\/verify<\/textarea>/, 'what was typed is kept');
      assert.equal((await gw.api('GET', '/api/v1/settings')).body.settings.proxy_enabled, false);
      const mode = await client.post('/dashboard/settings', { ...base, user_verification: 'everyone' });
      assert.equal(mode.status, 400);
      assert.match(mode.text, /id="field-user_verification-error">Choose custom or none\./);
    });

    it('webhooks: the secret is shown once, the description is escaped, a test event is queued, delete asks first', async () => {
      const url = `http://127.0.0.1:9/${unique('hook')}`;
      const hostile = '<img src=x onerror=alert(1)>';
      const created = await client.post('/dashboard/settings/webhooks', { url, description: hostile, event_types: ['connected_account.status_updated', 'connected_account.created'] });
      assert.equal(created.status, 200, created.text.slice(0, 300));
      const secret = /id="webhook-secret" type="text" readonly value="(whsec_[^"]+)"/.exec(created.text)?.[1];
      assert.ok(secret !== undefined, 'the signing secret is on the page');
      const endpoints = (await gw.api('GET', '/api/v1/webhooks/endpoints')).body.webhook_endpoints as { id: string; url: string; event_types: string[] }[];
      const endpoint = endpoints.find((e) => e.url === url);
      assert.ok(endpoint !== undefined);
      assert.deepEqual([...endpoint.event_types].sort(), ['connected_account.created', 'connected_account.status_updated']);
      const settings = await client.get('/dashboard/settings');
      assert.ok(settings.text.includes(url));
      assert.ok(!settings.text.includes(secret), 'the secret is never shown again');
      assert.ok(!settings.text.includes('<img src=x'), 'the description is not markup');
      assert.ok(settings.text.includes('&lt;img src=x onerror=alert(1)&gt;'));

      const test = await client.post('/dashboard/settings/webhooks/test', { event_type: 'connected_account.status_updated' });
      assert.equal(test.status, 303);
      assert.match((await client.get('/dashboard/settings')).text, /Test event connected_account\.status_updated queued for 1 endpoint\./);
      const deliveries = await gw.api('GET', `/api/v1/webhooks/endpoints/${endpoint.id}/deliveries`);
      assert.equal(deliveries.body.deliveries.length, 1);

      const ask = await client.post(`/dashboard/settings/webhooks/${endpoint.id}/delete`, {});
      assert.equal(ask.status, 200);
      assert.match(ask.text, /<h1>Delete webhook endpoint\?<\/h1>/);
      const done = await client.post(`/dashboard/settings/webhooks/${endpoint.id}/delete`, { confirmed: 'yes' });
      assert.equal(done.status, 303);
      assert.equal((await gw.api('GET', `/api/v1/webhooks/endpoints/${endpoint.id}`)).status, 404);
    });

    it('webhooks: a URL the gateway will not call is refused next to the field', async () => {
      const bad = await client.post('/dashboard/settings/webhooks', { url: 'ftp://example.com/hook', description: '' });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /id="field-url-error">url must use https/);
      const empty = await client.post('/dashboard/settings/webhooks', { url: '' });
      assert.match(empty.text, /id="field-url-error">Enter the URL/);
    });

    it('API credentials: created with the secret shown once, usable at once; revoking ends its sessions', async () => {
      const name = unique('dash-cred');
      const created = await client.post('/dashboard/settings/credentials', { name });
      assert.equal(created.status, 200);
      const clientId = /id="credential-id" type="text" readonly value="(cli_[^"]+)"/.exec(created.text)?.[1];
      const clientSecret = /id="credential-secret" type="text" readonly value="(sec_[^"]+)"/.exec(created.text)?.[1];
      assert.ok(clientId !== undefined && clientSecret !== undefined, 'client id and secret are shown');
      assert.equal((await gw.tokenFor(clientId, clientSecret)).length > 20, true, 'the new credential gets API tokens');
      const listed = await client.get('/dashboard/settings');
      assert.ok(listed.text.includes(clientId));
      assert.ok(!listed.text.includes(clientSecret), 'the secret is never shown again');

      const other = await signInDashboard(gw, { clientId, clientSecret });
      assert.equal((await other.get('/dashboard/settings')).status, 200);
      const ask = await client.post(`/dashboard/settings/credentials/${clientId}/revoke`, {});
      assert.equal(ask.status, 200);
      assert.match(ask.text, /stop working at once/);
      const revoked = await client.post(`/dashboard/settings/credentials/${clientId}/revoke`, { confirmed: 'yes' });
      assert.equal(revoked.status, 303);
      assert.equal((await other.get('/dashboard/settings')).status, 303, 'the session of the revoked credential ended');
      assert.equal((await client.get('/dashboard/settings')).status, 200, 'this session goes on');
      assert.match((await client.get('/dashboard/settings')).text, /<span class="badge off">Revoked<\/span>/);
    });

    it('revoking the credential a session signed in with signs it out', async () => {
      const env = await gw.newEnvironment(unique('dash-self'));
      const own = await signInDashboard(gw, env);
      const done = await own.post(`/dashboard/settings/credentials/${env.clientId}/revoke`, { confirmed: 'yes' });
      assert.equal(done.status, 303);
      assert.equal(done.location, `${gw.url}/dashboard/sign-in`);
      assert.equal((await own.get('/dashboard/settings')).status, 303);
      assert.equal((await postSignIn(dashboardClient(gw.url), env.clientId, env.clientSecret)).status, 401);
    });

    it('cannot revoke another environment\'s credential', async () => {
      const env = await gw.newEnvironment(unique('dash-foreign'));
      const refused = await client.post(`/dashboard/settings/credentials/${env.clientId}/revoke`, { confirmed: 'yes' });
      assert.equal(refused.status, 404);
      assert.equal((await gw.gateway.store.credentials.findById(env.clientId))?.revokedAt, null);
    });


    it('a form over the body limit, or a body that is not a form, is a 4xx page that says so, and creates nothing', async () => {
      const name = unique('dash-huge');
      const huge = await client.post('/dashboard/settings/credentials', { name: `${name}${'x'.repeat(1024 * 1024)}` });
      assert.equal(huge.status, 413);
      assert.match(huge.text, /<h1>That did not work<\/h1>\s*<p>The form was larger than this server accepts\./);
      const url = `${client.base}/dashboard/settings/credentials`;
      const plain = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'text/plain', origin: 'null', 'sec-fetch-site': 'same-origin', cookie: client.jar.header(url) ?? '' },
        body: `name=${name}&csrf_token=${await client.csrfToken()}`,
      });
      assert.equal(plain.status, 415);
      assert.match(await plain.text(), /The request could not be read\./);
      assert.ok(!(await client.get('/dashboard/settings')).text.includes(name), 'no credential was created');
    });
    it('shows the encryption key versions and how many stored values each one sealed', async () => {
      const page = await client.get('/dashboard/settings');
      assert.match(page.text, /<strong>v1<\/strong> \(primary: encrypts new values\)/);
      assert.match(page.text, /<td><code>signing_keys\.secret<\/code><\/td><td>1<\/td><td>1<\/td><\/tr>/);
      assert.match(page.text, /Every readable value is on the primary key v1\./);
    });
  });
}

/**
 * Dashboard connections over real HTTP (PGlite, and PostgreSQL when TEST_DATABASE_URL is set): the
 * form adapts to the auth type, posts become the same connection the REST API returns, errors are
 * shown next to their field (escaped: XSS), the secret is write-only, enable/disable and delete with
 * a confirmation that works without script.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFlowGateway } from './helpers/browser-leg.ts';
import { signInDashboard, type DashboardClient } from './helpers/dashboard-client.ts';
import { BACKENDS, unique, type TestGateway } from './helpers/test-gateway.ts';

const GMAIL_READ = 'https://www.googleapis.com/auth/gmail.readonly';
const GMAIL_SEND = 'https://www.googleapis.com/auth/gmail.send';

for (const backend of BACKENDS) {
  describe(`dashboard connections (${backend})`, () => {
    let gw: TestGateway;
    let client: DashboardClient;
    before(async () => {
      gw = await startFlowGateway(backend);
      client = await signInDashboard(gw);
    });
    after(async () => {
      await gw?.close();
    });

    async function createGmail(name: string, extra: Record<string, string | string[]> = {}) {
      return client.post('/dashboard/connections', { provider: 'gmail', type: 'OAUTH', name, client_id: 'client-1', client_secret: 'very-secret-value', scopes: [GMAIL_READ, GMAIL_SEND], extra_scopes: 'openid offline_access', ...extra });
    }

    it('the new-connection form of an OAuth connector has client id, secret and scope checkboxes; a static one only a name', async () => {
      const oauth = await client.get('/dashboard/connections/new?provider=gmail');
      assert.equal(oauth.status, 200);
      for (const label of ['Connection name', 'OAuth client id', 'OAuth client secret', 'Extra scopes', 'Authorization URL']) assert.match(oauth.text, new RegExp(`<label for="[^"]+">${label}`), label);
      assert.match(oauth.text, new RegExp(`type="checkbox" id="scope-0" name="scopes" value="${GMAIL_READ.replace(/[.]/g, '\\.')}" checked`), 'default scopes are ticked');
      assert.match(oauth.text, /<input id="field-client_secret" name="client_secret" type="password"/);
      const stat = await client.get('/dashboard/connections/new?provider=zendesk');
      assert.equal(stat.status, 200);
      assert.match(stat.text, /API key: each end user enters their own credentials/);
      assert.doesNotMatch(stat.text, /client_secret|name="scopes"/);
      const chooser = await client.get('/dashboard/connections/new');
      assert.match(chooser.text, /<select id="field-provider" name="provider">/);
    });

    it('creates an OAuth connection: the API sees the same connection, the page shows the redirect URI, never the secret', async () => {
      const name = unique('dash-gmail');
      const created = await createGmail(name);
      assert.equal(created.status, 303, created.text.slice(0, 400));
      const id = /\/dashboard\/connections\/(conn_[^/?]+)$/.exec(created.location ?? '')?.[1];
      assert.ok(id !== undefined, `redirected to ${created.location}`);
      const api = await gw.api('GET', `/api/v1/connections/${id}`);
      assert.equal(api.status, 200);
      const c = api.body.connection;
      assert.equal(c.name, name);
      assert.equal(c.provider, 'gmail');
      assert.equal(c.type, 'OAUTH');
      assert.equal(c.oauth_config.client_id, 'client-1');
      assert.equal(c.oauth_config.client_secret_set, true);
      assert.deepEqual(c.oauth_config.scopes, [GMAIL_READ, GMAIL_SEND, 'openid', 'offline_access']);
      const page = await client.get(`/dashboard/connections/${id}`);
      assert.equal(page.status, 200);
      assert.match(page.text, /role="status">Connection &quot;[^&]+&quot; created\. Register the redirect URI below with Gmail\./);
      assert.ok(page.text.includes(`value="${c.oauth_config.redirect_uri}"`), 'the redirect URI is shown');
      assert.ok(!page.text.includes('very-secret-value'), 'the secret is never shown');
      assert.match(page.text, /<label for="field-extra_scopes">Extra scopes.*<\/label>[\s\S]*>openid offline_access<\/textarea>/, 'unknown scopes are in the free-text field');
      const list = await client.get('/dashboard/connections');
      assert.ok(list.text.includes(`>${name}</a>`));
    });

    it('creates a static-credential connection with just a name', async () => {
      const name = unique('dash-zendesk');
      const created = await client.post('/dashboard/connections', { provider: 'zendesk', type: 'API_KEY', name });
      assert.equal(created.status, 303, created.text.slice(0, 400));
      const api = await gw.api('GET', `/api/v1/connections/${name}`);
      assert.equal(api.body.connection.type, 'API_KEY');
      assert.equal(api.body.connection.oauth_config, undefined);
    });

    it('shows each refusal next to its field, escaped, and keeps what was typed except the secret', async () => {
      const hostile = '<script>alert(1)</script>';
      const bad = await createGmail(hostile);
      assert.equal(bad.status, 400);
      assert.ok(!bad.text.includes('<script>alert'), 'the name is not markup');
      assert.ok(bad.text.includes('value="&lt;script&gt;alert(1)&lt;/script&gt;"'), 'the typed name is kept, escaped');
      assert.match(bad.text, /id="field-name" [^>]*aria-invalid="true">[\s\S]*?<p class="error" id="field-name-error">Use letters, digits/);
      assert.ok(!bad.text.includes('very-secret-value'), 'the secret is not echoed');

      const name = unique('dash-dup');
      assert.equal((await createGmail(name)).status, 303);
      const duplicate = await createGmail(name);
      assert.equal(duplicate.status, 400);
      assert.match(duplicate.text, /id="field-name-error">A connection named &quot;[^&]+&quot; already exists/);

      const insecure = await createGmail(unique('dash-insecure'), { authorize_uri: 'ftp://example.com/auth' });
      assert.equal(insecure.status, 400);
      assert.match(insecure.text, /id="field-authorize_uri-error">oauth_config\.authorize_uri must use https/);
      assert.match(insecure.text, /<details open>/, 'the endpoints section opens to show its error');
    });

    it('overrides the endpoints with their issuer, and shows them when editing', async () => {
      const name = unique('dash-issuer');
      const endpoints = { authorize_uri: 'https://login.example.com/authorize', token_uri: 'https://login.example.com/token', issuer: 'https://login.example.com' };
      const created = await createGmail(name, endpoints);
      assert.equal(created.status, 303, created.text.slice(0, 400));
      const api = await gw.api('GET', `/api/v1/connections/${name}`);
      assert.equal(api.body.connection.oauth_config.issuer, endpoints.issuer);
      assert.equal(api.body.connection.oauth_config.token_uri, endpoints.token_uri);
      const page = await client.get(new URL(created.location ?? '').pathname);
      assert.match(page.text, /<label for="field-issuer">Issuer [\s\S]*?id="field-issuer" name="issuer" [^>]*value="https:\/\/login\.example\.com"/);
      const bad = await createGmail(unique('dash-issuer-bad'), { ...endpoints, issuer: 'ftp://login.example.com' });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /id="field-issuer-error">/);
    });

    it('edits: scopes change, an empty secret keeps the stored one, a new one replaces it', async () => {
      const name = unique('dash-edit');
      const created = await createGmail(name);
      const path = new URL(created.location ?? '').pathname;
      const id = path.split('/').pop() ?? '';
      const environmentId = (await gw.gateway.store.credentials.findById(gw.admin.clientId))?.environmentId ?? '';
      const sealedBefore = (await gw.gateway.store.connections.findById(environmentId, id))?.clientSecretSealed;
      const edited = await client.post(path, { type: 'OAUTH', name, client_id: 'client-2', client_secret: '', scopes: [GMAIL_READ], extra_scopes: '' });
      assert.equal(edited.status, 303, edited.text.slice(0, 400));
      const after = await gw.gateway.store.connections.findById(environmentId, id);
      assert.equal(after?.oauthConfig.client_id, 'client-2');
      assert.deepEqual(after?.oauthConfig.scopes, [GMAIL_READ]);
      assert.equal(after?.clientSecretSealed, sealedBefore, 'an empty secret field keeps the stored secret');
      await client.post(path, { type: 'OAUTH', name, client_id: 'client-2', client_secret: 'another-secret', scopes: [GMAIL_READ] });
      assert.notEqual((await gw.gateway.store.connections.findById(environmentId, id))?.clientSecretSealed, sealedBefore);
      const page = await client.get(path);
      assert.match(page.text, /<label for="field-client_secret">New OAuth client secret/);
      assert.match(page.text, /A secret is stored and never shown/);
    });

    it('disables and enables', async () => {
      const name = unique('dash-toggle');
      const path = new URL((await createGmail(name)).location ?? '').pathname;
      const off = await client.post(`${path}/enabled`, { enabled: 'false' });
      assert.equal(off.status, 303);
      assert.equal((await gw.api('GET', `/api/v1/connections/${name}`)).body.connection.enabled, false);
      assert.match((await client.get(path)).text, /Connection disabled\.[\s\S]*Enable connection/);
      await client.post(`${path}/enabled`, { enabled: 'true' });
      assert.equal((await gw.api('GET', `/api/v1/connections/${name}`)).body.connection.enabled, true);
    });

    it('delete asks first (a page without script), refuses while accounts exist, then deletes', async () => {
      const name = unique('dash-delete');
      const path = new URL((await createGmail(name)).location ?? '').pathname;
      const ask = await client.post(`${path}/delete`, {});
      assert.equal(ask.status, 200);
      assert.match(ask.text, /<h1>Delete [^<]+\?<\/h1>/);
      assert.match(ask.text, /<input type="hidden" name="confirmed" value="yes">/);
      assert.equal((await gw.api('GET', `/api/v1/connections/${name}`)).status, 200, 'nothing deleted yet');

      const account = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: unique('user') });
      assert.equal(account.status, 201, account.text);
      const refused = await client.post(`${path}/delete`, { confirmed: 'yes' });
      assert.equal(refused.status, 303);
      assert.match((await client.get(path)).text, /role="alert">Connection &quot;[^&]+&quot; still has 1 connected account/);
    });

    it('deletes a connection without accounts once confirmed', async () => {
      const name = unique('dash-delete2');
      const path = new URL((await createGmail(name)).location ?? '').pathname;
      const done = await client.post(`${path}/delete`, { confirmed: 'yes' });
      assert.equal(done.status, 303);
      assert.equal(done.location, `${gw.url}/dashboard/connections`);
      assert.equal((await gw.api('GET', `/api/v1/connections/${name}`)).status, 404);
      assert.equal((await client.get(path)).status, 404, 'its page is a 404 page now');
    });

    it('another environment\'s connection is not found', async () => {
      const other = await gw.newEnvironment(unique('dash-iso'));
      const otherClient = await signInDashboard(gw, other);
      const name = unique('dash-mine');
      const path = new URL((await createGmail(name)).location ?? '').pathname;
      assert.equal((await otherClient.get(path)).status, 404);
      assert.equal((await otherClient.post(`${path}/delete`, { confirmed: 'yes' })).status, 404);
      assert.equal((await gw.api('GET', `/api/v1/connections/${name}`)).status, 200);
    });
  });
}

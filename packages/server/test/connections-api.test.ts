import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allKeys, assertError, assertNoSecrets, issuePaths, query } from './helpers/api-assertions.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

for (const backend of BACKENDS) {
  describe(`connections API (${backend})`, () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway(backend);
    });
    after(async () => {
      await gw.close();
    });

    const create = (connection: Record<string, unknown>, token?: string) => gw.api('POST', '/api/v1/connections', { connection }, token === undefined ? {} : { token });
    const provider = async (key: string) => {
      const response = await gw.api('GET', `/api/v1/providers/${key}`);
      assert.equal(response.status, 200, response.text);
      return response.body.provider;
    };
    /** A fresh environment, so a list holds only what the test put there. */
    const freshEnvironment = async () => {
      const env = await gw.newEnvironment(unique('env'));
      return gw.tokenFor(env.clientId, env.clientSecret);
    };

    it('creates an OAuth connection with a client secret it never returns', async () => {
      const name = unique('gmail');
      const secret = `shh-${unique('secret')}`;
      const created = await create({ provider: 'gmail', name, oauth_config: { client_id: 'client-123', client_secret: secret } });
      assert.equal(created.status, 201, created.text);
      const c = created.body.connection;
      assert.match(c.id, /^conn_[0-9a-z]{26}$/);
      assert.equal(c.name, name);
      assert.equal(c.connection_name, name);
      assert.equal(c.provider, 'gmail');
      assert.equal(c.type, 'OAUTH');
      assert.equal(c.enabled, true);
      assert.equal(c.status, 'COMPLETED');
      assert.equal(c.oauth_config.client_id, 'client-123');
      assert.equal(c.oauth_config.client_secret_set, true);
      assert.equal(c.oauth_config.redirect_uri, `${gw.gateway.ctx.publicUrl}/connect/callback/${c.id}`);
      const gmail = await provider('gmail');
      assert.ok(gmail.oauth.default_scopes.length > 0);
      assert.deepEqual(c.oauth_config.scopes, gmail.oauth.default_scopes);
      assert.equal(typeof c.oauth_config.pkce_enabled, 'boolean');
      assert.match(c.created_at, ISO);
      assert.match(c.updated_at, ISO);
      for (const response of [
        created,
        await gw.api('GET', `/api/v1/connections/${c.id}`),
        await gw.api('GET', `/api/v1/connections/${name}`),
        await gw.api('GET', '/api/v1/connections?page_size=100'),
        await gw.api('GET', '/api/v1/connections/app?page_size=100'),
      ]) {
        assert.equal(response.status, 200 + (response === created ? 1 : 0), response.text);
        assertNoSecrets(response.text, [secret], 'connection answer');
        assert.ok(!allKeys(response.body).includes('client_secret'), 'client_secret key returned');
      }
    });

    it('creates static-credential connections with only provider, name and type', async () => {
      const name = unique('zendesk');
      const created = await create({ provider: 'zendesk', name, type: 'API_KEY' });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.connection.type, 'API_KEY');
      assert.equal(created.body.connection.status, 'COMPLETED');
      assert.equal(created.body.connection.enabled, true);
      assert.equal(created.body.connection.oauth_config, undefined);
      assert.deepEqual(created.body.connection.api_config, {});
    });

    it("defaults the type to the connector's first auth type", async () => {
      for (const key of ['gmail', 'zendesk', 'snowflake', 'sendgrid', 'freshdesk']) {
        const created = await create({ provider: key, name: unique(key) });
        assert.equal(created.status, 201, created.text);
        assert.equal(created.body.connection.type, (await provider(key)).auth_types[0], key);
      }
    });

    it('is a DRAFT until it has both a client id and a client secret', async () => {
      const bare = await create({ provider: 'slack', name: unique('slack') });
      assert.equal(bare.status, 201, bare.text);
      assert.equal(bare.body.connection.status, 'DRAFT');
      assert.equal(bare.body.connection.oauth_config.client_id, null);
      assert.equal(bare.body.connection.oauth_config.client_secret_set, false);
      const idOnly = await create({ provider: 'slack', name: unique('slack'), oauth_config: { client_id: 'only-id' } });
      assert.equal(idOnly.body.connection.status, 'DRAFT');
      const secretOnly = await create({ provider: 'slack', name: unique('slack'), oauth_config: { client_secret: 'only-secret' } });
      assert.equal(secretOnly.body.connection.status, 'DRAFT');
      assert.equal(secretOnly.body.connection.oauth_config.client_secret_set, true);
      const completed = await gw.api('PATCH', `/api/v1/connections/${idOnly.body.connection.id}`, { connection: { oauth_config: { client_secret: 'now-set' } } });
      assert.equal(completed.status, 200, completed.text);
      assert.equal(completed.body.connection.status, 'COMPLETED');
      assert.equal(completed.body.connection.oauth_config.client_id, 'only-id');
    });

    it('takes explicit scopes and holds several connections per connector', async () => {
      const token = await freshEnvironment();
      const names = [unique('gh-a'), unique('gh-b'), unique('gh-c')];
      const ids: string[] = [];
      for (const [i, name] of names.entries()) {
        const created = await create({ provider: 'github', name, oauth_config: { client_id: `id-${i}`, client_secret: 's', scopes: ['repo', `scope-${i}`] } }, token);
        assert.equal(created.status, 201, created.text);
        assert.deepEqual(created.body.connection.oauth_config.scopes, ['repo', `scope-${i}`]);
        ids.push(created.body.connection.id);
      }
      await create({ provider: 'gitlab', name: unique('gl') }, token);
      const listed = await gw.api('GET', '/api/v1/connections?provider=github', undefined, { token });
      assert.equal(listed.status, 200, listed.text);
      assert.deepEqual(listed.body.connections.map((c: any) => c.name), names);
      assert.equal(listed.body.total_size, 3);
      assert.equal(new Set(listed.body.connections.map((c: any) => c.oauth_config.redirect_uri)).size, 3);
      assert.deepEqual(listed.body.connections.map((c: any) => c.id), ids);
    });

    it('lists with page_size limits and stable cursors in both directions', async () => {
      const token = await freshEnvironment();
      for (const size of ['0', '101', '-1', 'abc', '2.5']) {
        const response = await gw.api('GET', `/api/v1/connections?page_size=${size}`, undefined, { token });
        assert.deepEqual(issuePaths(assertError(response, 400, 'validation_failed')), ['query.page_size'], size);
      }
      for (const garbage of ['garbage', 'eyJ4IjoxfQ', '%%%']) {
        assertError(await gw.api('GET', `/api/v1/connections?page_token=${encodeURIComponent(garbage)}`, undefined, { token }), 400, 'validation_failed');
      }
      const ids: string[] = [];
      const add = async () => {
        const created = await create({ provider: 'zendesk', name: unique('z') }, token);
        assert.equal(created.status, 201, created.text);
        ids.push(created.body.connection.id);
      };
      for (let i = 0; i < 5; i++) await add();
      const page = async (pageToken?: string) => {
        const response = await gw.api('GET', `/api/v1/connections${query({ page_size: 2, page_token: pageToken })}`, undefined, { token });
        assert.equal(response.status, 200, response.text);
        return { ids: response.body.connections.map((c: any) => c.id), body: response.body };
      };
      const p1 = await page();
      assert.deepEqual(p1.ids, ids.slice(0, 2));
      assert.equal(p1.body.prev_page_token, '');
      assert.equal(p1.body.total_size, 5);
      assert.notEqual(p1.body.next_page_token, '');
      await add(); // rows added while walking do not shift the pages
      await add();
      const p2 = await page(p1.body.next_page_token);
      assert.deepEqual(p2.ids, ids.slice(2, 4));
      assert.equal(p2.body.total_size, 7);
      const p3 = await page(p2.body.next_page_token);
      assert.deepEqual(p3.ids, ids.slice(4, 6));
      const p4 = await page(p3.body.next_page_token);
      assert.deepEqual(p4.ids, ids.slice(6));
      assert.equal(p4.body.next_page_token, '');
      const back3 = await page(p4.body.prev_page_token);
      assert.deepEqual(back3.ids, ids.slice(4, 6));
      const back2 = await page(back3.body.prev_page_token);
      assert.deepEqual(back2.ids, ids.slice(2, 4));
      const back1 = await page(back2.body.prev_page_token);
      assert.deepEqual(back1.ids, ids.slice(0, 2));
      assert.equal(back1.body.prev_page_token, '');
      assert.equal((await page(p1.body.next_page_token)).ids.join(), p2.ids.join(), 'a token read twice gives the same page');
      const all = await gw.api('GET', '/api/v1/connections?page_size=100', undefined, { token });
      assert.deepEqual(all.body.connections.map((c: any) => c.id), ids);
      assert.equal(all.body.next_page_token, '');
    });

    it('gets by id and by name; unknown ones are 404', async () => {
      const name = unique('notion');
      const created = await create({ provider: 'notion', name });
      const byId = await gw.api('GET', `/api/v1/connections/${created.body.connection.id}`);
      const byName = await gw.api('GET', `/api/v1/connections/${name}`);
      assert.equal(byId.status, 200, byId.text);
      assert.deepEqual(byId.body, created.body);
      assert.deepEqual(byName.body, created.body);
      assertError(await gw.api('GET', `/api/v1/connections/conn_${'0'.repeat(26)}`), 404, 'connection_not_found');
      assertError(await gw.api('GET', `/api/v1/connections/${unique('missing')}`), 404, 'connection_not_found');
      const other = await freshEnvironment();
      assertError(await gw.api('GET', `/api/v1/connections/${created.body.connection.id}`, undefined, { token: other }), 404, 'connection_not_found');
      assertError(await gw.api('GET', `/api/v1/connections/${name}`, undefined, { token: other }), 404, 'connection_not_found');
    });

    it('renames, changes scopes and rotates the secret; provider and type are immutable', async () => {
      const name = unique('hub');
      const created = await create({ provider: 'hubspot', name, oauth_config: { client_id: 'cid', client_secret: 'first-secret-value' } });
      const id = created.body.connection.id;
      const renamed = unique('hub-renamed');
      const patched = await gw.api('PATCH', `/api/v1/connections/${name}`, { connection: { name: renamed } });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.connection.id, id);
      assert.equal(patched.body.connection.name, renamed);
      assert.equal(patched.body.connection.connection_name, renamed);
      assert.deepEqual(patched.body.connection.oauth_config.scopes, created.body.connection.oauth_config.scopes, 'untouched fields keep their value');
      assertError(await gw.api('GET', `/api/v1/connections/${name}`), 404, 'connection_not_found');
      assert.equal((await gw.api('GET', `/api/v1/connections/${renamed}`)).body.connection.id, id);

      const scoped = await gw.api('PATCH', `/api/v1/connections/${id}`, { connection: { oauth_config: { scopes: ['oauth', 'crm.objects.deals.read'] } } });
      assert.deepEqual(scoped.body.connection.oauth_config.scopes, ['oauth', 'crm.objects.deals.read']);
      assert.equal(scoped.body.connection.oauth_config.client_id, 'cid');

      const rotated = await gw.api('PATCH', `/api/v1/connections/${id}`, { connection: { oauth_config: { client_secret: 'second-secret-value' } } });
      assert.equal(rotated.status, 200, rotated.text);
      assert.equal(rotated.body.connection.oauth_config.client_secret_set, true);
      assert.equal(rotated.body.connection.status, 'COMPLETED');
      assertNoSecrets(rotated.text, ['first-secret-value', 'second-secret-value'], 'rotation answer');
      assert.ok(rotated.body.connection.updated_at >= created.body.connection.updated_at);

      const providerChange = assertError(await gw.api('PATCH', `/api/v1/connections/${id}`, { connection: { provider: 'slack' } }), 400, 'validation_failed');
      assert.deepEqual(issuePaths(providerChange), ['connection.provider']);
      assertError(await gw.api('PATCH', `/api/v1/connections/${id}`, { connection: { type: 'API_KEY' } }), 400, 'validation_failed');
      const unknown = assertError(await gw.api('PATCH', `/api/v1/connections/${id}`, { connection: { colour: 'blue' } }), 400, 'validation_failed');
      assert.deepEqual(issuePaths(unknown), ['connection.colour']);
      assertError(await gw.api('PATCH', `/api/v1/connections/${id}`, { connection: {}, extra: 1 }), 400, 'validation_failed');
      assertError(await gw.api('PATCH', `/api/v1/connections/${id}`, { connection: { oauth_config: { client_idd: 'x' } } }), 400, 'validation_failed');
      const after = await gw.api('GET', `/api/v1/connections/${id}`);
      assert.equal(after.body.connection.provider, 'hubspot');
      assert.equal(after.body.connection.type, 'OAUTH');
      assertError(await gw.api('PATCH', `/api/v1/connections/${unique('nope')}`, { connection: { name: unique('x') } }), 404, 'connection_not_found');
    });

    it('refuses a duplicate name, on create and on rename', async () => {
      const name = unique('dup');
      assert.equal((await create({ provider: 'linear', name })).status, 201);
      assertError(await create({ provider: 'linear', name }), 409, 'connection_name_taken');
      assertError(await create({ provider: 'asana', name }), 409, 'connection_name_taken');
      const other = await create({ provider: 'linear', name: unique('dup-other') });
      assertError(await gw.api('PATCH', `/api/v1/connections/${other.body.connection.id}`, { connection: { name } }), 409, 'connection_name_taken');
      assert.equal((await gw.api('GET', `/api/v1/connections/${other.body.connection.id}`)).body.connection.name, other.body.connection.name);
      const elsewhere = await freshEnvironment();
      assert.equal((await create({ provider: 'linear', name }, elsewhere)).status, 201, 'names are unique per environment only');
    });

    it('refuses unknown providers, unsupported auth types, oauth_config on static connections and bad names', async () => {
      const unknown = assertError(await create({ provider: 'myspace', name: unique('x') }), 400, 'unknown_provider');
      assert.ok(unknown.message.length > 0);
      assertError(await create({ provider: 'gmail', name: unique('x'), type: 'API_KEY' }), 400, 'invalid_auth_type');
      assertError(await create({ provider: 'zendesk', name: unique('x'), type: 'OAUTH' }), 400, 'invalid_auth_type');
      assertError(await create({ provider: 'zendesk', name: unique('x'), type: 'PASSWORD' }), 400, 'validation_failed');
      const staticOAuth = assertError(await create({ provider: 'zendesk', name: unique('x'), oauth_config: { client_id: 'a' } }), 400, 'validation_failed');
      assert.deepEqual(issuePaths(staticOAuth), ['connection.oauth_config']);
      const zen = await create({ provider: 'zendesk', name: unique('zen') });
      assertError(await gw.api('PATCH', `/api/v1/connections/${zen.body.connection.id}`, { connection: { oauth_config: { client_id: 'a' } } }), 400, 'validation_failed');
      for (const name of ['', 'has space', 'x'.repeat(65), '-leading', 'slash/name', 'colon:name']) {
        assertError(await create({ provider: 'zendesk', name }), 400, 'validation_failed');
      }
      assertError(await create({ name: unique('x') }), 400, 'validation_failed');
      assertError(await gw.api('POST', '/api/v1/connections', { provider: 'gmail', name: unique('x') }), 400, 'validation_failed');
      assertError(await gw.api('POST', '/api/v1/connections', undefined, { raw: '{"connection": ', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
    });

    it('refuses plain-http and private OAuth and API endpoints', async () => {
      const bad: Array<[string, Record<string, unknown>]> = [
        ['oauth_config.authorize_uri', { oauth_config: { authorize_uri: 'http://accounts.example.com/o/oauth2/auth' } }],
        ['oauth_config.authorize_uri', { oauth_config: { authorize_uri: 'https://127.0.0.1/authorize' } }],
        ['oauth_config.authorize_uri', { oauth_config: { authorize_uri: 'https://localhost:8443/authorize' } }],
        ['oauth_config.token_uri', { oauth_config: { token_uri: 'https://10.1.2.3/token' } }],
        ['oauth_config.token_uri', { oauth_config: { token_uri: 'https://192.168.0.10/token' } }],
        ['oauth_config.revoke_uri', { oauth_config: { revoke_uri: 'https://169.254.169.254/latest' } }],
        ['oauth_config.userinfo_uri', { oauth_config: { userinfo_uri: 'https://[::1]/me' } }],
        ['api_config.base_url', { api_config: { base_url: 'http://api.example.com' } }],
        ['api_config.base_url', { api_config: { base_url: 'https://172.16.0.1/api' } }],
      ];
      for (const [field, config] of bad) {
        const error = assertError(await create({ provider: 'gmail', name: unique('sec'), ...config }), 400, 'insecure_endpoint');
        assert.equal(error.details?.['field'], field, JSON.stringify(config));
      }
      const good = await create({
        provider: 'gmail',
        name: unique('sec-ok'),
        oauth_config: { authorize_uri: 'https://sso.example.com/authorize', token_uri: 'https://sso.example.com/token' },
        api_config: { base_url: 'https://gmail.example.com/v1' },
      });
      assert.equal(good.status, 201, good.text);
      assert.equal(good.body.connection.oauth_config.authorize_uri, 'https://sso.example.com/authorize');
      assert.equal(good.body.connection.api_config.base_url, 'https://gmail.example.com/v1');
      const patched = await gw.api('PATCH', `/api/v1/connections/${good.body.connection.id}`, { connection: { oauth_config: { authorize_uri: 'http://sso.example.com/authorize' } } });
      assertError(patched, 400, 'insecure_endpoint');
      assert.equal((await gw.api('GET', `/api/v1/connections/${good.body.connection.id}`)).body.connection.oauth_config.authorize_uri, 'https://sso.example.com/authorize');
      assertError(await create({ provider: 'gmail', name: unique('sec'), oauth_config: { authorize_uri: 'not a url' } }), 400, 'validation_failed');
    });

    it('disables and enables (PATCH and POST); a disabled connection takes no new accounts', async () => {
      const name = unique('toggle');
      const created = await create({ provider: 'zendesk', name });
      const id = created.body.connection.id;
      const disabled = await gw.api('PATCH', `/api/v1/connections/${id}:disable`);
      assert.equal(disabled.status, 200, disabled.text);
      assert.equal(disabled.body.connection.enabled, false);
      assert.equal((await gw.api('GET', `/api/v1/connections/${id}`)).body.connection.enabled, false);
      assertError(await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: 'u1' }), 409, 'connection_disabled');
      const enabled = await gw.api('POST', `/api/v1/connections/${name}:enable`);
      assert.equal(enabled.status, 200, enabled.text);
      assert.equal(enabled.body.connection.enabled, true);
      assert.equal((await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: 'u1' })).status, 201);
      assert.equal((await gw.api('POST', `/api/v1/connections/${id}:disable`)).body.connection.enabled, false);
      assert.equal((await gw.api('PATCH', `/api/v1/connections/${name}:enable`)).body.connection.enabled, true);
      assertError(await gw.api('PATCH', `/api/v1/connections/${unique('nope')}:disable`), 404, 'connection_not_found');
      assertError(await gw.api('PATCH', `/api/v1/connections/${id}:explode`), 404, 'route_not_found');
      const createdDisabled = await create({ provider: 'zendesk', name: unique('off'), enabled: false });
      assert.equal(createdDisabled.body.connection.enabled, false);
    });

    it('deletes only a connection without accounts', async () => {
      const name = unique('del');
      const created = await create({ provider: 'zendesk', name });
      const id = created.body.connection.id;
      const account = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: 'someone' });
      assert.equal(account.status, 201, account.text);
      const blocked = assertError(await gw.api('DELETE', `/api/v1/connections/${id}`), 409, 'connection_has_accounts');
      assert.equal(blocked.details?.['connected_accounts'], 1);
      assert.equal((await gw.api('GET', `/api/v1/connections/${id}`)).status, 200);
      assert.equal((await gw.api('POST', '/api/v1/connected_accounts:delete', { id: account.body.connected_account.id })).status, 200);
      const deleted = await gw.api('DELETE', `/api/v1/connections/${name}`);
      assert.equal(deleted.status, 200, deleted.text);
      assert.deepEqual(deleted.body, {});
      assertError(await gw.api('GET', `/api/v1/connections/${id}`), 404, 'connection_not_found');
      assertError(await gw.api('DELETE', `/api/v1/connections/${id}`), 404, 'connection_not_found');
      assert.equal((await create({ provider: 'zendesk', name })).status, 201, 'the name is free again');
    });

    it('needs a bearer token', async () => {
      assertError(await gw.api('GET', '/api/v1/connections', undefined, { token: null }), 401, 'unauthenticated');
      assertError(await gw.api('POST', '/api/v1/connections', { connection: { provider: 'gmail', name: unique('x') } }, { token: 'nope' }), 401, 'invalid_token');
    });
  });
}

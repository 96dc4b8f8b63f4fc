import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allKeys, assertError, assertNoSecrets, issuePaths, query } from './helpers/api-assertions.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

const ACCOUNT_KEYS = [
  'api_config', 'authorization_type', 'connection_id', 'connection_name', 'created_at', 'id', 'identifier', 'last_used_at',
  'organization_id', 'provider', 'scopes', 'status', 'token_expires_at', 'updated_at', 'user_id',
];

/** Identifiers that break naive SQL, encoding, markup or length handling. */
const HOSTILE_IDENTIFIERS = [
  `o'brien "the quoted" \`tick\``,
  `'; DROP TABLE connected_accounts; --`,
  `x' OR '1'='1`,
  '😀👍🏽 family 👨‍👩‍👧 𝕏',
  'مرحبا بالعالم user',
  '日本語のユーザー 用户 사용자',
  '<script>alert("x")</script>&amp;',
  'back\\slash %percent% _under_ ?q=1&a=2#frag',
  '  padded with spaces  ',
  'e\u0301 (decomposed) vs é',
  'line\nbreak\ttab',
  'x'.repeat(255),
  '🎉'.repeat(63),
];

for (const backend of BACKENDS) {
  describe(`connected accounts API (${backend})`, () => {
    let gw: TestGateway;
    let gmail: string;
    let zendesk: string;
    before(async () => {
      gw = await startTestGateway(backend);
      gmail = unique('gmail');
      zendesk = unique('zendesk');
      assert.equal((await gw.api('POST', '/api/v1/connections', { connection: { provider: 'gmail', name: gmail, oauth_config: { client_id: 'c', client_secret: 's' } } })).status, 201);
      assert.equal((await gw.api('POST', '/api/v1/connections', { connection: { provider: 'zendesk', name: zendesk, type: 'API_KEY' } })).status, 201);
    });
    after(async () => {
      await gw.close();
    });

    const create = (body: Record<string, unknown>, token?: string) => gw.api('POST', '/api/v1/connected_accounts', body, token === undefined ? {} : { token });
    const zendeskAuth = (over: Record<string, string> = {}) => ({ static_auth: { domain: 'acme', email: 'agent@acme.test', api_token: unique('zdtok'), ...over } });

    it('creates PENDING_AUTH accounts without credentials or with an empty oauth_token', async () => {
      for (const extra of [{}, { authorization_details: { oauth_token: {} } }]) {
        const created = await create({ connection_name: gmail, identifier: unique('user'), ...extra });
        assert.equal(created.status, 201, created.text);
        const a = created.body.connected_account;
        assert.deepEqual(Object.keys(a).sort(), ACCOUNT_KEYS);
        assert.match(a.id, /^ca_[0-9a-z]{26}$/);
        assert.equal(a.status, 'PENDING_AUTH');
        assert.equal(a.connection_name, gmail);
        assert.equal(a.provider, 'gmail');
        assert.equal(a.authorization_type, 'OAUTH');
        assert.deepEqual(a.scopes, []);
        assert.equal(a.token_expires_at, null);
        assert.equal(a.organization_id, null);
        assert.equal(a.user_id, null);
        assert.equal(a.last_used_at, null);
      }
    });

    it('creates ACTIVE accounts from an oauth_token, with scopes and expiry', async () => {
      const access = unique('at');
      const created = await create({ connection_name: gmail, identifier: unique('user'), authorization_details: { oauth_token: { access_token: access, refresh_token: unique('rt'), scopes: ['a', 'b'], expires_in: 3600 } } });
      assert.equal(created.status, 201, created.text);
      const a = created.body.connected_account;
      assert.equal(a.status, 'ACTIVE');
      assert.deepEqual(a.scopes, ['a', 'b']);
      assert.equal(Date.parse(a.token_expires_at) - Date.parse(a.created_at), 3600 * 1000);
      assertNoSecrets(created.text, [access], 'create answer');
      assertError(await create({ connection_name: gmail, identifier: unique('u'), authorization_details: { oauth_token: { access_token: 'x', expires_in: 'soon' } } }), 400, 'validation_failed');
    });

    it('validates static_auth against the connector fields and auth types against the connection', async () => {
      const ok = await create({ connection_name: zendesk, identifier: unique('zd'), authorization_details: zendeskAuth() });
      assert.equal(ok.status, 201, ok.text);
      assert.equal(ok.body.connected_account.status, 'ACTIVE');
      assert.equal(ok.body.connected_account.authorization_type, 'API_KEY');
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ static_auth: { domain: 'acme', api_token: 'tok' } }, 'email'],
        [{ static_auth: { ...zendeskAuth().static_auth, password: 'hunter2' } }, 'password'],
        [{ static_auth: { ...zendeskAuth().static_auth, domain: 'not a domain!' } }, 'domain'],
        [{ static_auth: { ...zendeskAuth().static_auth, email: 'no-at-sign' } }, 'email'],
      ];
      for (const [details, field] of cases) {
        const error = assertError(await create({ connection_name: zendesk, identifier: unique('zd'), authorization_details: details }), 400, 'invalid_credentials');
        assert.ok(issuePaths(error).some((p) => p.endsWith(field)), `${field} not named in ${JSON.stringify(error)}`);
        assertNoSecrets(JSON.stringify(error), ['hunter2'], 'invalid_credentials error');
      }
      assertError(await create({ connection_name: gmail, identifier: unique('u'), authorization_details: zendeskAuth() }), 400, 'invalid_auth_type');
      assertError(await create({ connection_name: zendesk, identifier: unique('u'), authorization_details: { oauth_token: { access_token: 'x' } } }), 400, 'invalid_auth_type');
      assertError(await create({ connection_name: zendesk, identifier: unique('u'), authorization_details: { oauth_token: {}, static_auth: {} } }), 400, 'validation_failed');
    });

    it('accepts connector as an alias and the nested reference shape', async () => {
      const viaAlias = await create({ connector: gmail, identifier: unique('alias') });
      assert.equal(viaAlias.status, 201, viaAlias.text);
      assert.equal(viaAlias.body.connected_account.connection_name, gmail);
      assertError(await create({ connector: gmail, connection_name: zendesk, identifier: unique('u') }), 400, 'validation_failed');
      assertError(await create({ identifier: unique('u') }), 400, 'validation_failed');
      assertError(await create({ connection_name: unique('missing'), identifier: unique('u') }), 404, 'connection_not_found');
      const nested = await create({
        connector: gmail,
        identifier: unique('nested'),
        connected_account: { authorization_details: { oauth_token: { access_token: unique('at'), scopes: ['s1'] } }, api_config: { region: 'eu' } },
      });
      assert.equal(nested.status, 201, nested.text);
      assert.equal(nested.body.connected_account.status, 'ACTIVE');
      assert.deepEqual(nested.body.connected_account.scopes, ['s1']);
      assert.deepEqual(nested.body.connected_account.api_config, { region: 'eu' });
      const both = { connector: gmail, identifier: unique('u'), api_config: {}, connected_account: { api_config: {} } };
      assertError(await create(both), 400, 'validation_failed');
      assertError(await create({ connector: gmail, identifier: unique('u'), connected_account: { bogus: 1 } }), 400, 'validation_failed');
      assertError(await create({ connector: gmail, identifier: unique('u'), api_config: { base_url: 'http://10.0.0.1' } }), 400, 'insecure_endpoint');
    });

    it('refuses duplicates but keeps organizations apart', async () => {
      const identifier = unique('dup');
      const first = await create({ connection_name: gmail, identifier });
      assert.equal(first.status, 201);
      assertError(await create({ connection_name: gmail, identifier }), 409, 'already_exists');
      assertError(await create({ connector: gmail, identifier, authorization_details: { oauth_token: { access_token: 'x' } } }), 409, 'already_exists');
      const orgA = await create({ connection_name: gmail, identifier, organization_id: 'org-a' });
      const orgB = await create({ connection_name: gmail, identifier, organization_id: 'org-b', user_id: 'u-1' });
      assert.equal(orgA.status, 201, orgA.text);
      assert.equal(orgB.status, 201, orgB.text);
      assert.equal(new Set([first.body.connected_account.id, orgA.body.connected_account.id, orgB.body.connected_account.id]).size, 3);
      assert.equal(orgA.body.connected_account.organization_id, 'org-a');
      assert.equal(orgB.body.connected_account.user_id, 'u-1');
      assertError(await create({ connection_name: gmail, identifier, organization_id: 'org-a' }), 409, 'already_exists');
      const details = await gw.api('GET', `/api/v1/connected_accounts/details${query({ connection_name: gmail, identifier, organization_id: 'org-a' })}`);
      assert.equal(details.body.connected_account.id, orgA.body.connected_account.id);
      const plain = await gw.api('GET', `/api/v1/connected_accounts/details${query({ connection_name: gmail, identifier })}`);
      assert.equal(plain.body.connected_account.id, first.body.connected_account.id);
    });

    it('keeps hostile identifiers byte for byte and finds them by exact identifier', async () => {
      for (const identifier of HOSTILE_IDENTIFIERS) {
        const created = await create({ connection_name: zendesk, identifier });
        assert.equal(created.status, 201, `${JSON.stringify(identifier)}: ${created.text}`);
        const id = created.body.connected_account.id;
        assert.equal(created.body.connected_account.identifier, identifier);
        assert.equal((await gw.api('GET', `/api/v1/connected_accounts/${id}`)).body.connected_account.identifier, identifier);
        const found = await gw.api('GET', `/api/v1/connected_accounts${query({ connection_name: zendesk, identifier })}`);
        assert.equal(found.status, 200, found.text);
        assert.deepEqual(found.body.connected_accounts.map((a: any) => [a.id, a.identifier]), [[id, identifier]], JSON.stringify(identifier));
        assert.equal(found.body.total_size, 1);
        const details = await gw.api('GET', `/api/v1/connected_accounts/details${query({ connection_name: zendesk, identifier })}`);
        assert.equal(details.body.connected_account?.id, id, JSON.stringify(identifier));
      }
      assert.equal((await gw.api('GET', `/api/v1/connections/${zendesk}`)).status, 200);
      const tooLong = assertError(await create({ connection_name: zendesk, identifier: 'x'.repeat(256) }), 400, 'validation_failed');
      assert.deepEqual(issuePaths(tooLong), ['identifier']);
      // The limit counts characters, not UTF-16 units: 255 emoji fit, 256 do not.
      const emoji = '\u{1F600}'.repeat(255);
      const fits = await create({ connection_name: zendesk, identifier: emoji });
      assert.equal(fits.status, 201, fits.text);
      assert.equal(fits.body.connected_account.identifier, emoji);
      assertError(await create({ connection_name: zendesk, identifier: `${emoji}\u{1F600}` }), 400, 'validation_failed');
      assertError(await create({ connection_name: zendesk, identifier: '' }), 400, 'validation_failed');
      assertError(await create({ connection_name: zendesk, identifier: 'nul\u0000byte' }), 400, 'validation_failed');
      assertError(await gw.api('GET', `/api/v1/connected_accounts${query({ identifier: 'x'.repeat(256) })}`), 400, 'validation_failed');
    });

    it('updates by id or by connection name + identifier: credentials make it ACTIVE, api_config merges', async () => {
      const identifier = unique('upd');
      const created = await create({ connection_name: gmail, identifier, api_config: { region: 'eu', base_url: 'https://gmail.example.com' } });
      const id = created.body.connected_account.id;
      const byId = await gw.api('PUT', '/api/v1/connected_accounts', { id, authorization_details: { oauth_token: { access_token: unique('at'), scopes: ['x'] } } });
      assert.equal(byId.status, 200, byId.text);
      assert.equal(byId.body.connected_account.status, 'ACTIVE');
      assert.deepEqual(byId.body.connected_account.scopes, ['x']);
      const merged = await gw.api('PUT', '/api/v1/connected_accounts', { connection_name: gmail, identifier, api_config: { tenant: 't1' } });
      assert.equal(merged.status, 200, merged.text);
      assert.deepEqual(merged.body.connected_account.api_config, { region: 'eu', base_url: 'https://gmail.example.com', tenant: 't1' });
      assert.equal(merged.body.connected_account.status, 'ACTIVE');
      assert.equal((await gw.api('POST', `/api/v1/connected_accounts/${id}:disconnect`)).body.connected_account.status, 'DISCONNECTED');
      const revived = await gw.api('PUT', '/api/v1/connected_accounts', { connector: gmail, identifier, connected_account: { authorization_details: { oauth_token: { access_token: unique('at') } } } });
      assert.equal(revived.status, 200, revived.text);
      assert.equal(revived.body.connected_account.status, 'ACTIVE');
      assert.equal(revived.body.connected_account.id, id);
      const zd = await create({ connection_name: zendesk, identifier: unique('zd') });
      assert.equal(zd.body.connected_account.status, 'PENDING_AUTH');
      const zdActive = await gw.api('PUT', '/api/v1/connected_accounts', { id: zd.body.connected_account.id, authorization_details: zendeskAuth() });
      assert.equal(zdActive.body.connected_account.status, 'ACTIVE');
      const badStatic = await gw.api('PUT', '/api/v1/connected_accounts', { id: zd.body.connected_account.id, authorization_details: { static_auth: { domain: 'acme' } } });
      assertError(badStatic, 400, 'invalid_credentials');
      assertError(await gw.api('PUT', '/api/v1/connected_accounts', { id: `ca_${'0'.repeat(26)}`, api_config: {} }), 404, 'connected_account_not_found');
      assertError(await gw.api('PUT', '/api/v1/connected_accounts', { connection_name: gmail, identifier: unique('nobody'), api_config: {} }), 404, 'connected_account_not_found');
      assertError(await gw.api('PUT', '/api/v1/connected_accounts', { api_config: {} }), 400, 'validation_failed');
      assertError(await gw.api('PUT', '/api/v1/connected_accounts', { id, status: 'ACTIVE' }), 400, 'validation_failed');
    });

    it('deletes by id and by name + identifier, then answers 404', async () => {
      const a = await create({ connection_name: gmail, identifier: unique('del') });
      const identifier = unique('del');
      await create({ connection_name: zendesk, identifier });
      const byId = await gw.api('POST', '/api/v1/connected_accounts:delete', { id: a.body.connected_account.id });
      assert.equal(byId.status, 200, byId.text);
      assert.deepEqual(byId.body, {});
      assertError(await gw.api('GET', `/api/v1/connected_accounts/${a.body.connected_account.id}`), 404, 'connected_account_not_found');
      assertError(await gw.api('POST', '/api/v1/connected_accounts:delete', { id: a.body.connected_account.id }), 404, 'connected_account_not_found');
      assert.equal((await gw.api('POST', '/api/v1/connected_accounts:delete', { connector: zendesk, identifier })).status, 200);
      assertError(await gw.api('GET', `/api/v1/connected_accounts/details${query({ connection_name: zendesk, identifier })}`), 404, 'connected_account_not_found');
      assert.equal((await create({ connection_name: zendesk, identifier })).status, 201, 'the key is free again');
    });

    it('get, the seed path and details agree and never carry credentials', async () => {
      const identifier = unique('get');
      const access = unique('at-secret');
      const refresh = unique('rt-secret');
      const created = await create({ connection_name: gmail, identifier, authorization_details: { oauth_token: { access_token: access, refresh_token: refresh } } });
      const id = created.body.connected_account.id;
      const got = await gw.api('GET', `/api/v1/connected_accounts/${id}`);
      const seed = await gw.api('GET', `/v1/connect/accounts/${id}`);
      const detailsById = await gw.api('GET', `/api/v1/connected_accounts/details?id=${id}`);
      const detailsByName = await gw.api('GET', `/api/v1/connected_accounts/details${query({ connector: gmail, identifier })}`);
      for (const response of [got, seed, detailsById, detailsByName]) {
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(response.body, created.body);
        assertNoSecrets(response.text, [access, refresh], 'account answer');
        assert.ok(!allKeys(response.body).includes('authorization_details'));
      }
      assertError(await gw.api('GET', '/api/v1/connected_accounts/details'), 400, 'validation_failed');
      assertError(await gw.api('GET', `/api/v1/connected_accounts/details${query({ connection_name: gmail })}`), 400, 'validation_failed');
    });

    it('answers 404 connected_account_not_found for unknown, malformed and foreign ids', async () => {
      const env = await gw.newEnvironment(unique('env'));
      const foreignToken = await gw.tokenFor(env.clientId, env.clientSecret);
      const mine = await create({ connection_name: gmail, identifier: unique('mine') });
      const ids = [`ca_${'0'.repeat(26)}`, 'nope', 'ca_', "x'OR'1'='1", encodeURIComponent('😀'), `conn_${'1'.repeat(26)}`];
      for (const id of ids) {
        assertError(await gw.api('GET', `/api/v1/connected_accounts/${id}`), 404, 'connected_account_not_found');
        assertError(await gw.api('GET', `/v1/connect/accounts/${id}`), 404, 'connected_account_not_found');
        assertError(await gw.api('GET', `/api/v1/connected_accounts/details?id=${id}`), 404, 'connected_account_not_found');
        assertError(await gw.api('GET', `/api/v1/connected_accounts/auth?id=${id}`), 404, 'connected_account_not_found');
        assertError(await gw.api('POST', `/api/v1/connected_accounts/${id}:disconnect`), 404, 'connected_account_not_found');
      }
      const foreign = mine.body.connected_account.id;
      assertError(await gw.api('GET', `/api/v1/connected_accounts/${foreign}`, undefined, { token: foreignToken }), 404, 'connected_account_not_found');
      assertError(await gw.api('GET', `/api/v1/connected_accounts/auth?id=${foreign}`, undefined, { token: foreignToken }), 404, 'connected_account_not_found');
      assertError(await gw.api('POST', '/api/v1/connected_accounts:delete', { id: foreign }, { token: foreignToken }), 404, 'connected_account_not_found');
      assert.equal((await gw.api('GET', `/api/v1/connected_accounts/${foreign}`)).status, 200, 'still there for its owner');
    });

    it('auth redacts credentials until token retrieval is enabled, and disconnect erases them', async () => {
      const env = await gw.newEnvironment(unique('env'));
      const token = await gw.tokenFor(env.clientId, env.clientSecret);
      const call = (method: string, path: string, body?: unknown) => gw.api(method, path, body, { token });
      const conn = unique('gm');
      const zd = unique('zd');
      assert.equal((await call('POST', '/api/v1/connections', { connection: { provider: 'gmail', name: conn } })).status, 201);
      assert.equal((await call('POST', '/api/v1/connections', { connection: { provider: 'zendesk', name: zd } })).status, 201);
      const access = unique('access-secret');
      const refresh = unique('refresh-secret');
      const zdAuth = zendeskAuth();
      const oauthAccount = await create({ connection_name: conn, identifier: 'alice', authorization_details: { oauth_token: { access_token: access, refresh_token: refresh, scopes: ['s'] } } }, token);
      const staticAccount = await create({ connection_name: zd, identifier: 'bob', authorization_details: zdAuth }, token);
      const secrets = [access, refresh, zdAuth.static_auth.api_token];
      const auth = (params: Record<string, string>) => call('GET', `/api/v1/connected_accounts/auth${query(params)}`);

      const redacted = await auth({ id: oauthAccount.body.connected_account.id });
      assert.equal(redacted.status, 200, redacted.text);
      assertNoSecrets(redacted.text, secrets, 'redacted auth');
      const { authorization_details: details, ...rest } = redacted.body.connected_account;
      assert.deepEqual(rest, oauthAccount.body.connected_account);
      assert.equal(details.redacted, 'token_access_disabled');
      assert.match(details.docs_url, /^https?:\/\/\S+$/);
      assert.equal(details.oauth_token.access_token, '');
      assert.equal(details.oauth_token.refresh_token, '');
      const staticRedacted = await auth({ connection_name: zd, identifier: 'bob' });
      assertNoSecrets(staticRedacted.text, secrets, 'redacted static auth');
      assert.equal(staticRedacted.body.connected_account.authorization_details.redacted, 'token_access_disabled');
      assert.deepEqual(staticRedacted.body.connected_account.authorization_details.static_auth, { domain: '', email: '', api_token: '' });

      const enabled = await call('PATCH', '/api/v1/settings', { token_retrieval_enabled: true });
      assert.equal(enabled.body.settings.token_retrieval_enabled, true);
      const real = await auth({ connector: conn, identifier: 'alice' });
      assert.equal(real.status, 200, real.text);
      const tokenDetails = real.body.connected_account.authorization_details;
      assert.equal(tokenDetails.oauth_token.access_token, access);
      assert.equal(tokenDetails.oauth_token.refresh_token, refresh);
      assert.equal(tokenDetails.redacted, undefined);
      const realStatic = await auth({ id: staticAccount.body.connected_account.id });
      assert.deepEqual(realStatic.body.connected_account.authorization_details.static_auth, zdAuth.static_auth);
      assert.equal(realStatic.headers.get('cache-control'), 'no-store');
      assert.equal((await gw.api('GET', `/api/v1/connected_accounts/auth?id=${oauthAccount.body.connected_account.id}`)).status, 404, 'default environment cannot read it');

      const disconnected = await call('POST', `/api/v1/connected_accounts/${oauthAccount.body.connected_account.id}:disconnect`);
      assert.equal(disconnected.status, 200, disconnected.text);
      assert.equal(disconnected.body.connected_account.status, 'DISCONNECTED');
      assert.equal(disconnected.body.connected_account.token_expires_at, null);
      const erased = await auth({ id: oauthAccount.body.connected_account.id });
      assert.equal(erased.status, 200, erased.text);
      assertNoSecrets(erased.text, [access, refresh], 'auth after disconnect');
      assert.equal(erased.body.connected_account.status, 'DISCONNECTED');
      assert.equal(erased.body.connected_account.authorization_details.oauth_token.access_token, '');
      assert.equal(erased.body.connected_account.authorization_details.oauth_token.refresh_token, '');
      await call('POST', `/api/v1/connected_accounts/${staticAccount.body.connected_account.id}:disconnect`);
      const erasedStatic = await auth({ id: staticAccount.body.connected_account.id });
      assertNoSecrets(erasedStatic.text, secrets, 'static auth after disconnect');
      assert.deepEqual(erasedStatic.body.connected_account.authorization_details.static_auth, { domain: '', email: '', api_token: '' });
    });
  });
}

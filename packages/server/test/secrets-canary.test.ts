import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { credentialsContext } from '../src/domain/accounts/authorization-details.ts';
import { BACKENDS, startTestGateway, unique, type ApiResponse, type TestGateway } from './helpers/test-gateway.ts';

const tag = randomBytes(6).toString('hex');
/** Unique strings planted as secrets; none may show up where a secret must not. */
const CANARY = {
  connectionSecret: `CANARYconnsecret${tag}`,
  connectionSecretPatched: `CANARYconnsecretpatched${tag}`,
  zendeskToken: `CANARYzendesk${tag}`,
  stripeKey: `sk_test_CANARYstripe${tag}`,
  accessToken: `CANARYaccess${tag}`,
  refreshToken: `CANARYrefresh${tag}`,
  accessTokenUpdated: `CANARYaccessupdated${tag}`,
};

for (const backend of BACKENDS) {
  describe(`secrets never leak (${backend})`, () => {
    let gw: TestGateway;
    /** Every answer seen, and whether it may carry credentials (only `auth` with retrieval on). */
    const seen: { label: string; res: ApiResponse; mayCarrySecrets: boolean }[] = [];
    const ids = { gmailConn: '', gmailAccount: '', zendeskAccount: '', stripeAccount: '', swapTarget: '' };
    const names = { gmail: unique('gmail'), zendesk: unique('zendesk'), stripe: unique('stripe') };
    let secrets: string[] = [];

    before(async () => {
      gw = await startTestGateway(backend);
      secrets = [...Object.values(CANARY), gw.admin.clientSecret];
    });
    after(async () => {
      await gw.close();
    });

    async function call(label: string, method: string, path: string, body?: unknown, options: Parameters<TestGateway['api']>[3] & { mayCarrySecrets?: boolean } = {}) {
      const { mayCarrySecrets = false, ...requestOptions } = options;
      const res = await gw.api(method, path, body, requestOptions);
      seen.push({ label, res, mayCarrySecrets });
      return res;
    }
    const expect = async (status: number, ...args: Parameters<typeof call>) => {
      const res = await call(...args);
      assert.equal(res.status, status, `${args[0]}: ${res.text}`);
      return res;
    };
    const leaked = (text: string) => secrets.filter((s) => text.includes(s));

    it('exercises every endpoint with planted secrets', async () => {
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const tokenForm = (secret: string) => new URLSearchParams({ grant_type: 'client_credentials', client_id: gw.admin.clientId, client_secret: secret }).toString();
      await expect(200, 'token form', 'POST', '/oauth/token', undefined, { token: null, raw: tokenForm(gw.admin.clientSecret), headers: form });
      await expect(200, 'token basic', 'POST', '/oauth/token', undefined, {
        token: null,
        raw: 'grant_type=client_credentials',
        headers: { ...form, authorization: `Basic ${Buffer.from(`${gw.admin.clientId}:${gw.admin.clientSecret}`).toString('base64')}` },
      });
      await expect(401, 'token wrong secret', 'POST', '/oauth/token', undefined, { token: null, raw: tokenForm(CANARY.zendeskToken), headers: form });
      await expect(200, 'token json', 'POST', '/oauth/token', { grant_type: 'client_credentials', client_id: gw.admin.clientId, client_secret: gw.admin.clientSecret }, { token: null });

      const gmail = await expect(201, 'create gmail', 'POST', '/api/v1/connections', { connection: { provider: 'gmail', name: names.gmail, oauth_config: { client_id: 'cid', client_secret: CANARY.connectionSecret } } });
      assert.equal(gmail.body.connection.oauth_config.client_secret_set, true);
      ids.gmailConn = gmail.body.connection.id;
      await expect(201, 'create zendesk', 'POST', '/api/v1/connections', { connection: { provider: 'zendesk', name: names.zendesk, type: 'API_KEY' } });
      await expect(201, 'create stripe', 'POST', '/api/v1/connections', { connection: { provider: 'stripe', name: names.stripe } });

      const oauthToken = { access_token: CANARY.accessToken, refresh_token: CANARY.refreshToken, expires_in: 3600, scopes: ['a'] };
      ids.gmailAccount = (await expect(201, 'create oauth account', 'POST', '/api/v1/connected_accounts', { connection_name: names.gmail, identifier: 'alice', authorization_details: { oauth_token: oauthToken } })).body.connected_account.id;
      const zendeskAuth = { static_auth: { domain: 'acme', email: 'agent@acme.test', api_token: CANARY.zendeskToken } };
      ids.zendeskAccount = (await expect(201, 'create zendesk account', 'POST', '/api/v1/connected_accounts', { connector: names.zendesk, identifier: 'bob', connected_account: { authorization_details: zendeskAuth } })).body.connected_account.id;
      ids.stripeAccount = (await expect(201, 'create stripe account', 'POST', '/api/v1/connected_accounts', { connection_name: names.stripe, identifier: 'carol', authorization_details: { static_auth: { secret_key: CANARY.stripeKey } } })).body.connected_account.id;
      ids.swapTarget = (await expect(201, 'create swap target', 'POST', '/api/v1/connected_accounts', { connection_name: names.gmail, identifier: 'mallory', authorization_details: { oauth_token: { access_token: 'mallory-own-token' } } })).body.connected_account.id;

      // Error paths that carry (or echo) the secret-bearing input.
      await expect(409, 'duplicate account', 'POST', '/api/v1/connected_accounts', { connection_name: names.gmail, identifier: 'alice', authorization_details: { oauth_token: oauthToken } });
      await expect(400, 'bad stripe key', 'POST', '/api/v1/connected_accounts', { connection_name: names.stripe, identifier: 'dave', authorization_details: { static_auth: { secret_key: `sk_prod_${CANARY.stripeKey}` } } });
      await expect(400, 'unknown static field', 'POST', '/api/v1/connected_accounts', { connection_name: names.zendesk, identifier: 'erin', authorization_details: { static_auth: { ...zendeskAuth.static_auth, token: CANARY.zendeskToken } } });
      await expect(400, 'oauth on static', 'POST', '/api/v1/connected_accounts', { connection_name: names.zendesk, identifier: 'frank', authorization_details: { oauth_token: { access_token: CANARY.accessToken } } });
      await expect(400, 'static on oauth', 'POST', '/api/v1/connected_accounts', { connection_name: names.gmail, identifier: 'grace', authorization_details: { static_auth: { api_token: CANARY.zendeskToken } } });
      await expect(400, 'refresh without access', 'POST', '/api/v1/connected_accounts', { connection_name: names.gmail, identifier: 'heidi', authorization_details: { oauth_token: { refresh_token: CANARY.refreshToken } } });
      await expect(400, 'bad expires_at', 'PUT', '/api/v1/connected_accounts', { id: ids.gmailAccount, authorization_details: { oauth_token: { access_token: CANARY.accessToken, expires_at: 'soon' } } });
      await expect(400, 'wrong type next to a token', 'PUT', '/api/v1/connected_accounts', { id: ids.gmailAccount, authorization_details: { oauth_token: { access_token: 42, refresh_token: CANARY.refreshToken } } });
      await expect(400, 'unknown oauth_config field', 'POST', '/api/v1/connections', { connection: { provider: 'gmail', name: unique('g'), oauth_config: { client_secret: CANARY.connectionSecret, client_secrett: CANARY.connectionSecret } } });
      await expect(400, 'secret too long', 'POST', '/api/v1/connections', { connection: { provider: 'gmail', name: unique('g'), oauth_config: { client_secret: `${'x'.repeat(5000)}${CANARY.connectionSecret}` } } });
      await expect(409, 'name taken with a secret', 'POST', '/api/v1/connections', { connection: { provider: 'gmail', name: names.gmail, oauth_config: { client_secret: CANARY.connectionSecret } } });
      await expect(400, 'malformed json', 'POST', '/api/v1/connections', undefined, { raw: `{"connection": {"oauth_config": {"client_secret": "${CANARY.connectionSecret}"`, headers: { 'content-type': 'application/json' } });
      await expect(404, 'update unknown account', 'PUT', '/api/v1/connected_accounts', { connection_name: names.gmail, identifier: 'nobody', authorization_details: { oauth_token: { access_token: CANARY.accessToken } } });
      await expect(404, 'patch unknown connection', 'PATCH', '/api/v1/connections/nope-nope', { connection: { oauth_config: { client_secret: CANARY.connectionSecretPatched } } });

      // Updates with new secrets.
      await expect(200, 'update oauth account', 'PUT', '/api/v1/connected_accounts', { connection_name: names.gmail, identifier: 'alice', authorization_details: { oauth_token: { access_token: CANARY.accessTokenUpdated, refresh_token: CANARY.refreshToken, expires_in: 3600 } } });
      const patched = await expect(200, 'patch connection secret', 'PATCH', `/api/v1/connections/${names.gmail}`, { connection: { oauth_config: { client_secret: CANARY.connectionSecretPatched } } });
      assert.equal(patched.body.connection.oauth_config.client_secret_set, true);

      // Reads.
      await expect(200, 'list connections', 'GET', '/api/v1/connections');
      await expect(200, 'get connection', 'GET', `/api/v1/connections/${ids.gmailConn}`);
      await expect(200, 'get connection by name', 'GET', `/api/v1/connections/${names.gmail}`);
      await expect(200, 'list accounts', 'GET', '/api/v1/connected_accounts?page_size=100');
      await expect(200, 'search accounts', 'GET', '/api/v1/connected_accounts:search?query=ali');
      for (const id of [ids.gmailAccount, ids.zendeskAccount, ids.stripeAccount]) {
        await expect(200, 'get account', 'GET', `/api/v1/connected_accounts/${id}`);
        await expect(200, 'seed path', 'GET', `/v1/connect/accounts/${id}`);
        await expect(200, 'details', 'GET', `/api/v1/connected_accounts/details?id=${id}`);
        const auth = await expect(200, 'auth, retrieval off', 'GET', `/api/v1/connected_accounts/auth?id=${id}`);
        assert.equal(auth.body.connected_account.authorization_details.redacted, 'token_access_disabled');
      }
      await expect(200, 'details by name', 'GET', `/api/v1/connected_accounts/details?connection_name=${names.zendesk}&identifier=bob`);
      await expect(200, 'settings', 'GET', '/api/v1/settings');
      await expect(200, 'events', 'POST', '/api/v1/events', { page_size: 100 });
      await expect(200, 'events of an account', 'POST', '/api/v1/events', { connected_account_id: ids.gmailAccount });

      // Retrieval on: `auth` (and only it) now carries the credentials — the control that the canaries are real.
      await expect(200, 'retrieval on', 'PATCH', '/api/v1/settings', { token_retrieval_enabled: true });
      const open = async (id: string) => expect(200, 'auth, retrieval on', 'GET', `/api/v1/connected_accounts/auth?id=${id}`, undefined, { mayCarrySecrets: true });
      const gmailAuth = (await open(ids.gmailAccount)).body.connected_account.authorization_details.oauth_token;
      assert.equal(gmailAuth.access_token, CANARY.accessTokenUpdated);
      assert.equal(gmailAuth.refresh_token, CANARY.refreshToken);
      assert.equal((await open(ids.zendeskAccount)).body.connected_account.authorization_details.static_auth.api_token, CANARY.zendeskToken);
      assert.equal((await open(ids.stripeAccount)).body.connected_account.authorization_details.static_auth.secret_key, CANARY.stripeKey);
      await expect(200, 'details with retrieval on', 'GET', `/api/v1/connected_accounts/details?id=${ids.gmailAccount}`);
      await expect(200, 'list with retrieval on', 'GET', '/api/v1/connected_accounts?page_size=100');

      // A ciphertext copied onto another row must fail closed, not hand out alice's token.
      const db = gw.gateway.database.db;
      const source = await db.selectFrom('connected_accounts').select('credentials_sealed').where('id', '=', ids.gmailAccount).executeTakeFirstOrThrow();
      await db.updateTable('connected_accounts').set({ credentials_sealed: source.credentials_sealed }).where('id', '=', ids.swapTarget).execute();
      const swapped = await expect(500, 'swapped ciphertext', 'GET', `/api/v1/connected_accounts/auth?id=${ids.swapTarget}`);
      assert.equal(swapped.body.error.code, 'server_error');

      await expect(200, 'disconnect', 'POST', `/api/v1/connected_accounts/${ids.stripeAccount}:disconnect`);
      const afterDisconnect = await expect(200, 'auth after disconnect', 'GET', `/api/v1/connected_accounts/auth?id=${ids.stripeAccount}`);
      assert.equal(afterDisconnect.body.connected_account.authorization_details.static_auth.secret_key, '');
      await expect(200, 'retrieval off', 'PATCH', '/api/v1/settings', { token_retrieval_enabled: false });
      await expect(200, 'delete swap target', 'POST', '/api/v1/connected_accounts:delete', { id: ids.swapTarget });
      // An authorization link's token is a bearer secret: answered once to the caller, never logged.
      await expect(200, 'verify origin', 'PATCH', '/api/v1/settings', { allowed_redirect_origins: ['https://app.example.com'] });
      const link = await expect(200, 'authorization link', 'POST', '/api/v1/connected_accounts/magic_link', { connection_name: names.gmail, identifier: 'carol', user_verify_url: 'https://app.example.com/verify' }, { mayCarrySecrets: true });
      const linkPath = new URL(link.body.link as string).pathname;
      const linkToken = linkPath.split('/').pop() ?? '';
      assert.ok(linkToken.length >= 20, linkPath);
      secrets.push(linkToken);
      assert.equal((await fetch(`${gw.url}${linkPath}`)).status, 200, 'the link page was opened');
      await expect(200, 'all events', 'POST', '/api/v1/events', { page_size: 100 });
    });

    it('no response carries a secret, except auth with retrieval on', () => {
      assert.ok(seen.length > 40, `only ${seen.length} responses recorded`);
      for (const { label, res, mayCarrySecrets } of seen) {
        if (mayCarrySecrets) continue;
        const headers = JSON.stringify([...res.headers.entries()]);
        assert.deepEqual(leaked(res.text + headers), [], `${label} leaked`);
      }
      assert.ok(seen.some((s) => s.mayCarrySecrets && s.res.text.includes(CANARY.accessTokenUpdated)), 'control: the canaries are retrievable where allowed');
    });

    it('no event carries a secret (API and raw table)', async () => {
      const events = await gw.api('POST', '/api/v1/events', { page_size: 100 });
      assert.ok(events.body.events.length >= 10);
      const types = new Set(events.body.events.map((e: { type: string }) => e.type));
      for (const type of ['connection.created', 'connection.updated', 'connected_account.created', 'connected_account.updated', 'connected_account.disconnected', 'settings.updated']) assert.ok(types.has(type), type);
      assert.deepEqual(leaked(events.text), []);
      const rows = await gw.gateway.database.db.selectFrom('events').selectAll().execute();
      assert.deepEqual(leaked(JSON.stringify(rows)), []);
    });

    it('no secret appears anywhere in the logs (debug level)', async () => {
      assert.ok(gw.logs.length > 20, 'logs were captured');
      assert.ok(gw.logs.some((line) => line.includes('"level":20')) || gw.logs.some((line) => line.includes('"path":"/api/v1/connected_accounts/auth"')), 'request logs are there');
      assert.ok(gw.logs.some((line) => line.includes('"level":50')), 'the swapped-ciphertext failure was logged');
      const all = gw.logs.join('\n');
      assert.deepEqual(leaked(all), []);
      assert.ok(!all.includes(await gw.token()), 'no bearer token in the logs');
      assert.ok(!all.includes(Buffer.from(`${gw.admin.clientId}:${gw.admin.clientSecret}`).toString('base64')), 'no Basic header in the logs');
    });

    it('the database holds only ciphertext: no plaintext in any table', async () => {
      const db = gw.gateway.database.db;
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
      assert.ok(tables.rows.some((t) => t.table_name === 'connected_accounts'));
      for (const { table_name } of tables.rows) {
        const rows = await sql`select * from ${sql.table(table_name)}`.execute(db);
        assert.deepEqual(leaked(JSON.stringify(rows.rows)), [], table_name);
      }
      const connection = await db.selectFrom('connections').select(['client_secret_sealed']).where('id', '=', ids.gmailConn).executeTakeFirstOrThrow();
      assert.match(connection.client_secret_sealed ?? '', /^v1\.1\./);
      const accounts = await db.selectFrom('connected_accounts').select(['id', 'credentials_sealed']).where('id', 'in', [ids.gmailAccount, ids.zendeskAccount]).execute();
      assert.equal(accounts.length, 2);
      for (const row of accounts) assert.match(row.credentials_sealed ?? '', /^v1\.1\./);
      const stripe = await db.selectFrom('connected_accounts').select('credentials_sealed').where('id', '=', ids.stripeAccount).executeTakeFirstOrThrow();
      assert.equal(stripe.credentials_sealed, null, 'disconnect erased the credentials');
    });

    it('a sealed value only decrypts in its own row and field', async () => {
      const db = gw.gateway.database.db;
      const vault = gw.gateway.ctx.vault;
      const account = await db.selectFrom('connected_accounts').select('credentials_sealed').where('id', '=', ids.zendeskAccount).executeTakeFirstOrThrow();
      const sealed = account.credentials_sealed ?? '';
      assert.ok(vault.decrypt(sealed, credentialsContext(ids.zendeskAccount)).includes(CANARY.zendeskToken), 'control: decrypts in place');
      assert.throws(() => vault.decrypt(sealed, credentialsContext(ids.gmailAccount)), /failed authentication/);
      assert.throws(() => vault.decrypt(sealed, { ...credentialsContext(ids.zendeskAccount), field: 'other' }), /failed authentication/);
      assert.throws(() => vault.decrypt(sealed, { ...credentialsContext(ids.zendeskAccount), table: 'connections' }), /failed authentication/);

      const connection = await db.selectFrom('connections').select('client_secret_sealed').where('id', '=', ids.gmailConn).executeTakeFirstOrThrow();
      const secret = connection.client_secret_sealed ?? '';
      assert.equal(vault.decrypt(secret, { table: 'connections', id: ids.gmailConn, field: 'client_secret' }), CANARY.connectionSecretPatched);
      const other = await db.selectFrom('connections').select('id').where('name', '=', names.zendesk).executeTakeFirstOrThrow();
      assert.throws(() => vault.decrypt(secret, { table: 'connections', id: other.id, field: 'client_secret' }), /failed authentication/);
      assert.throws(() => vault.decrypt(secret, credentialsContext(ids.gmailConn)), /failed authentication/);
    });
  });
}

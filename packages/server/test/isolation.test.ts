import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../src/ids.ts';
import { BACKENDS, startTestGateway, unique, type ApiResponse, type TestGateway } from './helpers/test-gateway.ts';

interface Ids {
  connId: string;
  connName: string;
  accountId: string;
  identifier: string;
}

type Probe = [label: string, method: string, path: (ids: Ids) => string, body?: (ids: Ids) => unknown];

const q = encodeURIComponent;

/** Every call that names a connection or an account; run with another environment's token they must find nothing. */
const PROBES: Probe[] = [
  ['get connection by id', 'GET', (i) => `/api/v1/connections/${i.connId}`],
  ['get connection by name', 'GET', (i) => `/api/v1/connections/${q(i.connName)}`],
  ['patch connection by id', 'PATCH', (i) => `/api/v1/connections/${i.connId}`, () => ({ connection: { enabled: false } })],
  ['patch connection by name (new secret)', 'PATCH', (i) => `/api/v1/connections/${q(i.connName)}`, () => ({ connection: { oauth_config: { client_secret: 'hijack' } } })],
  ['disable connection', 'PATCH', (i) => `/api/v1/connections/${i.connId}:disable`],
  ['enable connection (POST)', 'POST', (i) => `/api/v1/connections/${q(i.connName)}:enable`],
  ['delete connection by id', 'DELETE', (i) => `/api/v1/connections/${i.connId}`],
  ['delete connection by name', 'DELETE', (i) => `/api/v1/connections/${q(i.connName)}`],
  ['get account', 'GET', (i) => `/api/v1/connected_accounts/${i.accountId}`],
  ['get account (seed path)', 'GET', (i) => `/v1/connect/accounts/${i.accountId}`],
  ['details by id', 'GET', (i) => `/api/v1/connected_accounts/details?id=${i.accountId}`],
  ['details by name', 'GET', (i) => `/api/v1/connected_accounts/details?connection_name=${q(i.connName)}&identifier=${q(i.identifier)}`],
  ['auth by id', 'GET', (i) => `/api/v1/connected_accounts/auth?id=${i.accountId}`],
  ['auth by connector alias', 'GET', (i) => `/api/v1/connected_accounts/auth?connector=${q(i.connName)}&identifier=${q(i.identifier)}`],
  ['disconnect', 'POST', (i) => `/api/v1/connected_accounts/${i.accountId}:disconnect`],
  ['update by id', 'PUT', () => '/api/v1/connected_accounts', (i) => ({ id: i.accountId, authorization_details: { oauth_token: { access_token: 'planted' } } })],
  ['update by name', 'PUT', () => '/api/v1/connected_accounts', (i) => ({ connection_name: i.connName, identifier: i.identifier, api_config: { base_url: 'https://evil.example' } })],
  ['delete account by id', 'POST', () => '/api/v1/connected_accounts:delete', (i) => ({ id: i.accountId })],
  ['delete account by name', 'POST', () => '/api/v1/connected_accounts:delete', (i) => ({ connection_name: i.connName, identifier: i.identifier })],
  ['create account on the connection', 'POST', () => '/api/v1/connected_accounts', (i) => ({ connection_name: i.connName, identifier: `${i.identifier}-intruder` })],
  ['create account (reference shape)', 'POST', () => '/api/v1/connected_accounts', (i) => ({ connector: i.connName, identifier: `${i.identifier}-intruder` })],
];

/** List calls that must come back empty for another environment, even when filtered by the first one's ids. */
const LISTS: [label: string, method: string, path: (ids: Ids) => string, key: string, body?: (ids: Ids) => unknown][] = [
  ['connections', 'GET', () => '/api/v1/connections', 'connections'],
  ['connections/app', 'GET', () => '/api/v1/connections/app?provider=gmail', 'connections'],
  ['accounts', 'GET', () => '/api/v1/connected_accounts', 'connected_accounts'],
  ['accounts by connection_name', 'GET', (i) => `/api/v1/connected_accounts?connection_name=${q(i.connName)}`, 'connected_accounts'],
  ['accounts by connection_names', 'GET', (i) => `/api/v1/connected_accounts?connection_names=${q(i.connName)}`, 'connected_accounts'],
  ['accounts by identifier', 'GET', (i) => `/api/v1/connected_accounts?identifier=${q(i.identifier)}`, 'connected_accounts'],
  ['account search', 'GET', (i) => `/api/v1/connected_accounts:search?query=${q(i.identifier)}`, 'connected_accounts'],
  ['events', 'POST', () => '/api/v1/events', 'events', () => ({})],
  ['events by account id', 'POST', () => '/api/v1/events', 'events', (i) => ({ connected_account_id: i.accountId })],
  ['events by connection id', 'POST', () => '/api/v1/events', 'events', (i) => ({ connection_id: i.connId })],
  ['events by connection name', 'POST', () => '/api/v1/events', 'events', (i) => ({ connection_name: i.connName })],
];

/** The body with the probed ids replaced by placeholders, so an owned id and an unknown id compare equal. */
function normalized(res: ApiResponse, ids: Ids): string {
  let text = res.text;
  for (const [key, value] of Object.entries(ids) as [keyof Ids, string][]) text = text.split(value).join(`<${key}>`).split(q(value)).join(`<${key}>`);
  return text.replace(/request [0-9a-f-]{36}/g, 'request <id>');
}

for (const backend of BACKENDS) {
  describe(`environment isolation (${backend})`, () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway(backend);
    });
    after(async () => {
      await gw.close();
    });

    async function environment(label: string) {
      const env = await gw.newEnvironment(unique(label));
      const token = await gw.tokenFor(env.clientId, env.clientSecret);
      const call = (method: string, path: string, body?: unknown) => gw.api(method, path, body, { token });
      return { ...env, token, call };
    }

    /** An OAuth connection with an ACTIVE account (credentials in the vault) in the given environment. */
    async function seed(call: Awaited<ReturnType<typeof environment>>['call'], connName = unique('gmail'), identifier = unique('user')): Promise<Ids> {
      const conn = await call('POST', '/api/v1/connections', { connection: { provider: 'gmail', name: connName, oauth_config: { client_id: 'cid', client_secret: 'csecret' } } });
      assert.equal(conn.status, 201, conn.text);
      const account = await call('POST', '/api/v1/connected_accounts', { connection_name: connName, identifier, authorization_details: { oauth_token: { access_token: 'at-owner', refresh_token: 'rt-owner' } } });
      assert.equal(account.status, 201, account.text);
      return { connId: conn.body.connection.id, connName, accountId: account.body.connected_account.id, identifier };
    }

    it("every id of one environment answers 404 in another, exactly like an unknown id, and changes nothing", async () => {
      const a = await environment('env-a');
      const b = await environment('env-b');
      const owned = await seed(a.call);
      const unknown: Ids = { connId: newId('conn'), connName: unique('gmail'), accountId: newId('ca'), identifier: owned.identifier };
      const eventsBefore = (await a.call('POST', '/api/v1/events', { page_size: 100 })).body.total_size as number;

      for (const [label, method, path, body] of PROBES) {
        const foreign = await b.call(method, path(owned), body?.(owned));
        const missing = await b.call(method, path(unknown), body?.(unknown));
        assert.equal(foreign.status, 404, `${label}: ${foreign.text}`);
        assert.match(foreign.body.error.code, /^(connection|connected_account)_not_found$/, label);
        assert.equal(missing.status, foreign.status, label);
        assert.equal(normalized(foreign, owned), normalized(missing, unknown), `${label}: the answer must not reveal that the id exists`);
      }

      // The owner's data is untouched.
      const conn = await a.call('GET', `/api/v1/connections/${owned.connId}`);
      assert.equal(conn.status, 200);
      assert.equal(conn.body.connection.enabled, true);
      assert.equal(conn.body.connection.status, 'COMPLETED');
      const account = await a.call('GET', `/api/v1/connected_accounts/${owned.accountId}`);
      assert.equal(account.status, 200);
      assert.equal(account.body.connected_account.status, 'ACTIVE');
      assert.deepEqual(account.body.connected_account.api_config, {});
      assert.equal((await a.call('POST', '/api/v1/events', { page_size: 100 })).body.total_size, eventsBefore, 'no event was written for the owner');
      const auth = await a.call('GET', `/api/v1/connected_accounts/auth?id=${owned.accountId}`);
      assert.equal(auth.status, 200);
      assert.equal(auth.body.connected_account.authorization_details.redacted, 'token_access_disabled');
    });

    it("lists and event queries of another environment are empty, even filtered by the first one's ids", async () => {
      const a = await environment('env-a');
      const b = await environment('env-b');
      const owned = await seed(a.call);
      for (const [label, method, path, key, body] of LISTS) {
        const mine = await a.call(method, path(owned), body?.(owned));
        assert.equal(mine.status, 200, `${label}: ${mine.text}`);
        assert.ok(mine.body[key].length > 0, `${label}: the owner sees its rows (control)`);
        const theirs = await b.call(method, path(owned), body?.(owned));
        assert.equal(theirs.status, 200, `${label}: ${theirs.text}`);
        assert.deepEqual(theirs.body[key], [], label);
        assert.equal(theirs.body.total_size, 0, label);
      }
    });

    it('writes in one environment never show in the other, even with the same names', async () => {
      const a = await environment('env-a');
      const b = await environment('env-b');
      const inA = await seed(a.call);
      const inB = await seed(b.call, inA.connName, inA.identifier);
      assert.notEqual(inB.connId, inA.connId);
      assert.notEqual(inB.accountId, inA.accountId);

      for (const [env, own, other] of [[a, inA, inB], [b, inB, inA]] as const) {
        const byName = await env.call('GET', `/api/v1/connections/${q(own.connName)}`);
        assert.equal(byName.body.connection.id, own.connId);
        const connections = await env.call('GET', '/api/v1/connections?page_size=100');
        assert.deepEqual(connections.body.connections.map((c: { id: string }) => c.id), [own.connId]);
        const accounts = await env.call('GET', `/api/v1/connected_accounts?identifier=${q(own.identifier)}`);
        assert.deepEqual(accounts.body.connected_accounts.map((c: { id: string }) => c.id), [own.accountId]);
        const details = await env.call('GET', `/api/v1/connected_accounts/details?connection_name=${q(own.connName)}&identifier=${q(own.identifier)}`);
        assert.equal(details.body.connected_account.id, own.accountId);
        const events = await env.call('POST', '/api/v1/events', { page_size: 100 });
        const text = JSON.stringify(events.body.events);
        assert.ok(text.includes(own.accountId));
        assert.ok(!text.includes(other.accountId) && !text.includes(other.connId), 'no event of the other environment');
        assert.ok(events.body.events.every((e: { environment_id: string }) => e.environment_id === env.environmentId));
      }

      // Deleting in B leaves A's namesakes alone.
      assert.equal((await b.call('POST', '/api/v1/connected_accounts:delete', { connection_name: inB.connName, identifier: inB.identifier })).status, 200);
      assert.equal((await b.call('DELETE', `/api/v1/connections/${q(inB.connName)}`)).status, 200);
      assert.equal((await a.call('GET', `/api/v1/connections/${q(inA.connName)}`)).body.connection.id, inA.connId);
      assert.equal((await a.call('GET', `/api/v1/connected_accounts/${inA.accountId}`)).status, 200);
    });

    it('settings are per environment', async () => {
      const a = await environment('env-a');
      const b = await environment('env-b');
      const owned = await seed(a.call);
      const before = await a.call('GET', '/api/v1/settings');
      assert.equal(before.body.settings.token_retrieval_enabled, false);

      const patched = await b.call('PATCH', '/api/v1/settings', { token_retrieval_enabled: true, user_verification: 'none', allowed_redirect_origins: ['https://b.example'] });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.settings.token_retrieval_enabled, true);
      assert.deepEqual((await a.call('GET', '/api/v1/settings')).body, before.body, "A's settings did not move");
      // B enabling token retrieval must not open A's vault.
      const auth = await a.call('GET', `/api/v1/connected_accounts/auth?id=${owned.accountId}`);
      assert.equal(auth.body.connected_account.authorization_details.redacted, 'token_access_disabled');
      assert.ok(!auth.text.includes('at-owner'));
      const events = await a.call('POST', '/api/v1/events', { event_types: ['settings.updated'] });
      assert.deepEqual(events.body.events, []);

      await a.call('PATCH', '/api/v1/settings', { allowed_redirect_origins: ['https://a.example'] });
      assert.deepEqual((await b.call('GET', '/api/v1/settings')).body.settings.allowed_redirect_origins, ['https://b.example']);
      assert.equal((await b.call('GET', '/api/v1/settings')).body.settings.user_verification, 'none');
      assert.equal((await a.call('GET', '/api/v1/settings')).body.settings.user_verification, 'custom');
    });
  });
}

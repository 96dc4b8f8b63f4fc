import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allKeys, assertError, assertNoSecrets, issuePaths, sleep } from './helpers/api-assertions.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

const CONNECTORS = [
  'airtable', 'asana', 'confluence', 'datadog', 'dropbox', 'freshdesk', 'github', 'gitlab', 'gmail', 'googlecalendar', 'googledrive', 'googlesheets', 'hubspot',
  'intercom', 'jira', 'linear', 'microsoft365', 'notion', 'salesforce', 'sendgrid', 'slack', 'snowflake', 'stripe', 'zendesk', 'zoom', 'zoominfo',
];
const DEFAULT_SETTINGS = { user_verification: 'custom', token_retrieval_enabled: false, proxy_enabled: false, tool_call_payloads_enabled: false, allowed_redirect_origins: [] };
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

for (const backend of BACKENDS) {
  describe(`events, settings and providers API (${backend})`, () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway(backend);
    });
    after(async () => {
      await gw.close();
    });

    const events = (body?: Record<string, unknown>, token?: string) => gw.api('POST', '/api/v1/events', body, token === undefined ? {} : { token });
    const allEvents = async (filter: Record<string, unknown>, token?: string) => {
      const response = await events({ ...filter, page_size: 100 }, token);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.next_page_token, '', 'more than one page');
      return response.body.events as any[];
    };
    const ok = async <T>(promise: Promise<{ status: number; text: string; body: T }>, status = 200) => {
      const response = await promise;
      assert.equal(response.status, status, response.text);
      return response.body;
    };

    it('records the whole lifecycle, newest first, without secrets', async () => {
      const conn = unique('ev');
      const secrets = { client: unique('client-secret'), client2: unique('client-secret2'), at1: unique('at'), rt1: unique('rt'), at2: unique('at2'), zd: unique('zdtoken') };
      const connection = (await ok(gw.api('POST', '/api/v1/connections', { connection: { provider: 'gmail', name: conn, oauth_config: { client_id: 'c', client_secret: secrets.client } } }), 201)) as any;
      const account = (await ok(gw.api('POST', '/api/v1/connected_accounts', { connection_name: conn, identifier: 'ev-user' }), 201)) as any;
      const accountId = account.connected_account.id;
      await ok(gw.api('PUT', '/api/v1/connected_accounts', { id: accountId, authorization_details: { oauth_token: { access_token: secrets.at1, refresh_token: secrets.rt1 } } }));
      await ok(gw.api('PUT', '/api/v1/connected_accounts', { id: accountId, api_config: { region: 'eu' } }));
      await ok(gw.api('PATCH', `/api/v1/connections/${conn}`, { connection: { oauth_config: { client_secret: secrets.client2, scopes: ['x'] } } }));
      await ok(gw.api('POST', `/api/v1/connected_accounts/${accountId}:disconnect`));
      await ok(gw.api('PUT', '/api/v1/connected_accounts', { connection_name: conn, identifier: 'ev-user', authorization_details: { oauth_token: { access_token: secrets.at2 } } }));
      await ok(gw.api('POST', '/api/v1/connected_accounts:delete', { id: accountId }));
      await ok(gw.api('DELETE', `/api/v1/connections/${conn}`));
      const zd = unique('ev-zd');
      await ok(gw.api('POST', '/api/v1/connections', { connection: { provider: 'zendesk', name: zd } }), 201);
      await ok(gw.api('POST', '/api/v1/connected_accounts', { connection_name: zd, identifier: 'z', authorization_details: { static_auth: { domain: 'acme', email: 'a@b.c', api_token: secrets.zd } } }), 201);

      const chronological = [
        'connection.created',
        'connected_account.created',
        'connected_account.updated', 'connected_account.status_updated',
        'connected_account.updated',
        'connection.updated',
        // Disconnect and delete of an OAuth account try to revoke the grant at the provider and record the outcome.
        'connected_account.disconnected', 'connected_account.status_updated', 'connected_account.provider_revocation',
        'connected_account.updated', 'connected_account.status_updated',
        'connected_account.deleted', 'connected_account.provider_revocation',
        'connection.deleted',
      ];
      const list = await allEvents({ connection_name: conn });
      assert.deepEqual(list.map((e) => e.type), [...chronological].reverse());
      for (const [i, event] of list.entries()) {
        assert.deepEqual(Object.keys(event).sort(), ['data', 'environment_id', 'id', 'object', 'occurred_at', 'type']);
        assert.match(event.id, /^evt_[0-9a-z]{26}$/);
        assert.match(event.occurred_at, ISO);
        assert.equal(event.object, event.type.startsWith('connection.') ? 'Connection' : 'ConnectedAccount');
        if (i > 0) assert.ok(event.occurred_at <= list[i - 1].occurred_at, 'newest first');
        if (event.object === 'ConnectedAccount') {
          assert.equal(event.data.id, accountId);
          assert.equal(event.data.identifier, 'ev-user');
          assert.equal(event.data.connection_name, conn);
        } else {
          assert.equal(event.data.id, connection.connection.id);
        }
      }
      assert.equal(new Set(list.map((e) => e.environment_id)).size, 1);
      const statusMoves = list.filter((e) => e.type === 'connected_account.status_updated').map((e) => [e.data.old_status, e.data.status]);
      assert.deepEqual(statusMoves, [['DISCONNECTED', 'ACTIVE'], ['ACTIVE', 'DISCONNECTED'], ['PENDING_AUTH', 'ACTIVE']]);

      const byAccount = await allEvents({ connected_account_id: accountId });
      assert.deepEqual(byAccount.map((e) => e.id), list.filter((e) => e.object === 'ConnectedAccount').map((e) => e.id));
      const byConnectionId = await allEvents({ connection_id: connection.connection.id });
      assert.deepEqual(byConnectionId.map((e) => e.id), list.map((e) => e.id));
      const typed = await allEvents({ connection_name: conn, event_types: ['connection.created', 'connected_account.deleted'] });
      assert.deepEqual(typed.map((e) => e.type), ['connected_account.deleted', 'connection.created']);
      assert.deepEqual(await allEvents({ connection_name: unique('nothing') }), []);

      const everything: any[] = [];
      let pageToken: string | undefined;
      do {
        const page = await events({ page_size: 100, ...(pageToken === undefined ? {} : { page_token: pageToken }) });
        assert.equal(page.status, 200, page.text);
        assertNoSecrets(page.text, Object.values(secrets), 'event log');
        everything.push(...page.body.events);
        pageToken = page.body.next_page_token;
      } while (pageToken !== '');
      assert.ok(everything.some((e) => e.connection_name === zd || e.data.connection_name === zd), 'the static account events are in the scanned log');
      for (const key of ['access_token', 'refresh_token', 'client_secret', 'api_token', 'static_auth', 'authorization_details']) {
        assert.ok(!allKeys(everything).includes(key), `an event carries ${key}`);
      }
    });

    it('filters by time range', async () => {
      const conn = unique('time');
      const times: string[] = [];
      for (const step of ['a', 'b', 'c']) {
        if (step === 'a') await ok(gw.api('POST', '/api/v1/connections', { connection: { provider: 'zendesk', name: conn } }), 201);
        else await ok(gw.api('POST', '/api/v1/connected_accounts', { connection_name: conn, identifier: step }), 201);
        const [latest] = await allEvents({ connection_name: conn });
        times.push(latest.occurred_at);
        await sleep(30);
      }
      const [a = '', b = '', c = ''] = times;
      const mid = (t: string) => new Date(Date.parse(t) + 15).toISOString();
      const types = async (filter: Record<string, unknown>) => (await allEvents({ connection_name: conn, ...filter })).map((e) => e.occurred_at);
      assert.deepEqual(await types({}), [c, b, a]);
      assert.deepEqual(await types({ start_time: mid(a) }), [c, b]);
      assert.deepEqual(await types({ end_time: mid(b) }), [b, a]);
      assert.deepEqual(await types({ start_time: mid(a), end_time: mid(b) }), [b]);
      assert.deepEqual(await types({ start_time: mid(c) }), []);
      assert.deepEqual(await types({ start_time: mid(a).replace('Z', '+00:00') }), [c, b]);
      for (const bad of ['yesterday', '2024-13-01T00:00:00Z', 12]) {
        assert.deepEqual(issuePaths(assertError(await events({ start_time: bad }), 400, 'validation_failed')), ['start_time']);
      }
    });

    it('pages events and validates the query', async () => {
      const conn = unique('evpage');
      await ok(gw.api('POST', '/api/v1/connections', { connection: { provider: 'zendesk', name: conn } }), 201);
      for (let i = 0; i < 6; i++) await ok(gw.api('POST', '/api/v1/connected_accounts', { connection_name: conn, identifier: `u${i}` }), 201);
      const full = await allEvents({ connection_name: conn });
      assert.equal(full.length, 7);
      const walked: any[] = [];
      let pageToken: string | undefined;
      const tokens: string[] = [];
      do {
        const page = await events({ connection_name: conn, page_size: 3, ...(pageToken === undefined ? {} : { page_token: pageToken }) });
        assert.equal(page.status, 200, page.text);
        assert.equal(page.body.total_size, 7);
        assert.ok(page.body.events.length <= 3);
        walked.push(...page.body.events);
        pageToken = page.body.next_page_token;
        tokens.push(page.body.next_page_token);
      } while (pageToken !== '');
      assert.deepEqual(walked.map((e) => e.id), full.map((e) => e.id));
      assert.equal(tokens.length, 3);
      assert.equal((await events()).status, 200, 'no body is all events');
      for (const body of [{ page_size: 0 }, { page_size: 101 }, { page_size: '5' }, { event_types: 'connection.created' }, { colour: 'red' }, { page_token: 'garbage' }]) {
        assertError(await events(body), 400, 'validation_failed');
      }
      assertError(await gw.api('POST', '/api/v1/events', undefined, { raw: '{"page_size":', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
    });

    it('reads and changes settings, refusing bad origins, unknown fields and wrong types', async () => {
      const env = await gw.newEnvironment(unique('settings'));
      const token = await gw.tokenFor(env.clientId, env.clientSecret);
      const get = async () => (await ok(gw.api('GET', '/api/v1/settings', undefined, { token })) as any).settings;
      const patch = (body: unknown) => gw.api('PATCH', '/api/v1/settings', body, { token });
      assert.deepEqual(await get(), DEFAULT_SETTINGS);

      const expected: Record<string, unknown> = { ...DEFAULT_SETTINGS };
      const changes: Array<Record<string, unknown>> = [
        { token_retrieval_enabled: true },
        { allowed_redirect_origins: ['https://app.example.com', 'http://localhost:3000', 'https://app.example.com:8443'] },
        { user_verification: 'none', proxy_enabled: true },
        { token_retrieval_enabled: false },
      ];
      for (const change of changes) {
        Object.assign(expected, change);
        const response = await patch(change);
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(response.body.settings, expected, JSON.stringify(change));
        assert.deepEqual(await get(), expected);
      }

      const bad: unknown[] = [
        { allowed_redirect_origins: ['https://app.example.com/callback'] },
        { allowed_redirect_origins: ['not a url'] },
        { allowed_redirect_origins: ['ftp://files.example.com'] },
        { allowed_redirect_origins: ['https://app.example.com?x=1'] },
        { allowed_redirect_origins: ['https://app.example.com', 'javascript:alert(1)'] },
        { allowed_redirect_origins: 'https://app.example.com' },
        { colour: 'red' },
        { token_retrieval_enabled: 'yes' },
        { proxy_enabled: 1 },
        { user_verification: 'maybe' },
        { allowed_redirect_origins: [42] },
        [],
      ];
      for (const body of bad) assertError(await patch(body), 400, 'validation_failed');
      assert.deepEqual(issuePaths(assertError(await patch({ colour: 'red' }), 400, 'validation_failed')), ['colour']);
      assert.deepEqual(await get(), expected, 'failed patches change nothing');

      const recorded = await allEvents({ event_types: ['settings.updated'] }, token);
      assert.equal(recorded.length, changes.length);
      assert.deepEqual(recorded[0].data, expected);
      assert.equal(recorded[0].object, 'Environment');
      assert.equal(recorded[0].environment_id, env.environmentId);

      const other = await gw.newEnvironment(unique('settings-other'));
      const otherToken = await gw.tokenFor(other.clientId, other.clientSecret);
      assert.deepEqual((await ok(gw.api('GET', '/api/v1/settings', undefined, { token: otherToken })) as any).settings, DEFAULT_SETTINGS);
      assert.deepEqual(await allEvents({ event_types: ['settings.updated'] }, otherToken), []);
    });

    it('lists the 26 connectors and filters them', async () => {
      const all = (await ok(gw.api('GET', '/api/v1/providers'))) as any;
      const keys = all.providers.map((p: any) => p.key);
      assert.deepEqual([...keys].sort(), CONNECTORS);
      assert.equal(all.total_size, 26);
      for (const p of all.providers) {
        for (const field of ['key', 'display_name', 'description']) assert.equal(typeof p[field], 'string', `${p.key}.${field}`);
        assert.ok(Array.isArray(p.categories) && p.categories.length > 0, p.key);
        assert.ok(Array.isArray(p.auth_types) && p.auth_types.length > 0, p.key);
        assert.equal(typeof p.api.base_url, 'string', p.key);
        if (p.auth_types.includes('OAUTH')) assert.ok(Array.isArray(p.oauth.default_scopes), p.key);
        else assert.ok(Array.isArray(p.fields) && p.fields.length > 0, p.key);
      }
      const keysOf = async (q: string) => {
        const body = (await ok(gw.api('GET', `/api/v1/providers?${q}`))) as any;
        assert.equal(body.total_size, body.providers.length);
        return body.providers.map((p: any) => p.key).sort();
      };
      const byAuth = (type: string) => all.providers.filter((p: any) => p.auth_types.includes(type)).map((p: any) => p.key).sort();
      assert.deepEqual(await keysOf('auth_type=API_KEY'), ['datadog', 'zendesk']);
      assert.deepEqual(await keysOf('auth_type=KEY_PAIR'), ['snowflake']);
      assert.deepEqual(await keysOf('auth_type=BEARER_TOKEN'), ['sendgrid', 'stripe']);
      assert.deepEqual(await keysOf('auth_type=OAUTH'), byAuth('OAUTH'));
      assert.equal(byAuth('OAUTH').length, 20);
      assert.deepEqual(await keysOf(`category=${encodeURIComponent('Customer Support')}`), ['freshdesk', 'intercom', 'zendesk']);
      assert.deepEqual(await keysOf(`category=${encodeURIComponent('Customer Support')}&auth_type=OAUTH`), ['intercom']);
      assert.deepEqual(await keysOf('query=SLACK'), ['slack']);
      assert.deepEqual(await keysOf('query=Zen'), ['zendesk']);
      const google = await keysOf('query=google');
      for (const key of ['googlecalendar', 'googledrive', 'googlesheets']) assert.ok(google.includes(key), key);
      assert.ok(!google.includes('slack'));
      assert.deepEqual(await keysOf('query=no-such-thing'), []);
      assertError(await gw.api('GET', '/api/v1/providers?auth_type=PASSWORD'), 400, 'validation_failed');
      assertError(await gw.api('GET', '/api/v1/providers?colour=red'), 400, 'validation_failed');
      assertError(await gw.api('GET', '/api/v1/providers', undefined, { token: null }), 401, 'unauthenticated');
    });

    it('gets one connector by key', async () => {
      const gmail = (await ok(gw.api('GET', '/api/v1/providers/gmail'))) as any;
      assert.equal(gmail.provider.key, 'gmail');
      assert.deepEqual(gmail.provider.auth_types, ['OAUTH']);
      assert.match(gmail.provider.oauth.authorize_url, /^https:\/\//);
      const listed = ((await ok(gw.api('GET', '/api/v1/providers?query=gmail'))) as any).providers.find((p: any) => p.key === 'gmail');
      assert.deepEqual(gmail.provider, listed);
      const zendesk = (await ok(gw.api('GET', '/api/v1/providers/zendesk'))) as any;
      assert.deepEqual(zendesk.provider.fields.map((f: any) => f.name), ['domain', 'email', 'api_token']);
      assertError(await gw.api('GET', '/api/v1/providers/myspace'), 404, 'provider_not_found');
      assertError(await gw.api('GET', '/api/v1/providers/GMAIL'), 404, 'provider_not_found');
    });
  });
}

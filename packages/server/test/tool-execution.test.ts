/**
 * Tool execution end to end (reference §5.3): the ways to name the account, the seed path, accounts
 * that cannot act (PENDING_AUTH, DISCONNECTED, EXPIRED) with the cache dropping a disconnect at once,
 * parameter validation before any upstream request, unknown tools and versions, a token about to
 * expire refreshed first and an upstream 401 answered with one refresh and one retry (against a real
 * oidc-provider), static credentials refused upstream, and the tool call logs with their filters,
 * isolation and opt-in payloads. The provider is a small emulator defined here; every request it
 * receives is recorded so each test asserts what went upstream (and what did not).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, issuePaths, query, sleep, walkPages } from './helpers/api-assertions.ts';
import { createAsConnection, startFlowGateway, type AsConnection } from './helpers/browser-leg.ts';
import { defineEmulator, startEmulator, type RunningEmulator } from './helpers/emulator.ts';
import { connectAccount, historyOf, refreshGrants, skipVerification, storedTokens } from './helpers/refresh-fixtures.ts';
import { startTestAuthorizationServer, type TestAuthorizationServer } from './helpers/test-authorization-server.ts';
import { BACKENDS, unique, type ApiResponse, type TestGateway } from './helpers/test-gateway.ts';

const PROFILE = { emailAddress: 'ada@example.com', messagesTotal: 42, threadsTotal: 7, historyId: '991' };
const PROFILE_DATA = { email_address: 'ada@example.com', messages_total: 42, threads_total: 7, history_id: '991' };
const ZENDESK_KEY = 'zd_tok_execution_suite_5b1f0c2e9d';

const providerApi = defineEmulator({
  name: 'execution',
  routes: [
    { method: 'GET', path: '/gmail/v1/users/me/profile', reply: () => ({ json: PROFILE }) },
    { method: 'POST', path: '/gmail/v1/users/me/messages/send', reply: () => ({ json: { id: 'msg-1', threadId: 'thr-1', labelIds: ['SENT'] } }) },
    { method: 'GET', path: '/acme.zendesk.com/api/v2/tickets/:file', reply: () => ({ json: { ticket: { id: 1042, subject: 'Checkout page returns 500', status: 'open' } } }) },
  ],
});

for (const backend of BACKENDS) {
  describe(`tool execution (${backend})`, () => {
    let as: TestAuthorizationServer;
    let gw: TestGateway;
    let emulator: RunningEmulator;
    /** The gateway's clock runs this far ahead of the real one (token expiry tests). */
    let clockOffsetMs = 0;
    let gmail: string;
    let gmailOther: string;
    let zendesk: string;
    let asConn: AsConnection;

    const execute = (body: Record<string, unknown>, token?: string): Promise<ApiResponse> => gw.api('POST', '/api/v1/execute_tool', body, token === undefined ? {} : { token });

    async function createConnection(provider: string, extra: Record<string, unknown>): Promise<string> {
      const name = unique(provider);
      const created = await gw.api('POST', '/api/v1/connections', { connection: { provider, name, ...extra } });
      assert.equal(created.status, 201, created.text);
      return name;
    }

    /** An ACTIVE gmail account holding a plain access token (no refresh token). */
    async function gmailAccount(connectionName = gmail, identifier = unique('user'), accessToken = unique('ya29')): Promise<{ id: string; identifier: string; accessToken: string }> {
      const created = await gw.api('POST', '/api/v1/connected_accounts', {
        connection_name: connectionName,
        identifier,
        authorization_details: { oauth_token: { access_token: accessToken, scopes: ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.send'] } },
      });
      assert.equal(created.status, 201, created.text);
      return { id: created.body.connected_account.id, identifier, accessToken };
    }

    async function accountStatus(id: string): Promise<string> {
      const response = await gw.api('GET', `/api/v1/connected_accounts/${id}`);
      assert.equal(response.status, 200, response.text);
      return response.body.connected_account.status;
    }

    /** Asserts nothing reached the provider while `work` ran. */
    async function noUpstream<T>(work: () => Promise<T>): Promise<T> {
      const count = emulator.requests.length;
      const result = await work();
      assert.equal(emulator.requests.length, count, `unexpected upstream request(s): ${JSON.stringify(emulator.requests.slice(count).map((r) => `${r.method} ${r.path}`))}`);
      return result;
    }

    function assertProfile(response: ApiResponse, accessToken: string): void {
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(Object.keys(response.body).sort(), ['data', 'execution_id']);
      assert.deepEqual(response.body.data, PROFILE_DATA);
      assert.match(response.body.execution_id, /^exec_/);
      const sent = emulator.last();
      assert.equal(sent.method, 'GET');
      assert.equal(sent.path, '/gmail/v1/users/me/profile');
      assert.equal(sent.headers['authorization'], `Bearer ${accessToken}`);
    }

    before(async () => {
      emulator = await startEmulator(providerApi);
      as = await startTestAuthorizationServer({ scopes: ['openid', 'offline_access', 'api:read'] });
      gw = await startFlowGateway(backend, { clock: () => new Date(Date.now() + clockOffsetMs), env: { AGENTGATE_REFRESH_INTERVAL_SECONDS: '0' } });
      await skipVerification(gw);
      const oauth = { type: 'OAUTH', oauth_config: { client_id: 'test-client', client_secret: 'test-secret' }, api_config: { base_url: emulator.url } };
      gmail = await createConnection('gmail', oauth);
      gmailOther = await createConnection('gmail', oauth);
      zendesk = await createConnection('zendesk', { type: 'API_KEY', api_config: { base_url: `${emulator.url}/{{domain}}.zendesk.com` } });
      // A gmail connection whose OAuth endpoints are the real oidc-provider and whose API is the emulator.
      asConn = await createAsConnection(gw, as);
      const patched = await gw.api('PATCH', `/api/v1/connections/${asConn.id}`, { connection: { api_config: { base_url: emulator.url } } });
      assert.equal(patched.status, 200, patched.text);
    });
    after(async () => {
      await gw?.close();
      await as?.close();
      await emulator?.close();
    });

    describe('naming the account', () => {
      it('by connected_account_id: the credential is injected and the answer shaped', async () => {
        const account = await gmailAccount();
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id }), account.accessToken);
      });

      it('by connection_name + identifier, and by the connector alias + identifier', async () => {
        const account = await gmailAccount();
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connection_name: gmail, identifier: account.identifier }), account.accessToken);
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connector: gmail, identifier: account.identifier }), account.accessToken);
      });

      it('by identifier alone: one account of the tool’s connector → runs; the same identifier on two gmail connections → 400 account_ambiguous', async () => {
        const identifier = unique('solo');
        const first = await gmailAccount(gmail, identifier);
        // A zendesk account with the same identifier is another connector: not a candidate for a gmail tool.
        const zd = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: zendesk, identifier, authorization_details: { static_auth: { domain: 'acme', email: 'agent@acme.test', api_token: ZENDESK_KEY } } });
        assert.equal(zd.status, 201, zd.text);
        assertProfile(await execute({ tool_name: 'gmail_get_profile', identifier }), first.accessToken);

        await gmailAccount(gmailOther, identifier);
        const ambiguous = await noUpstream(() => execute({ tool_name: 'gmail_get_profile', identifier }));
        assertError(ambiguous, 400, 'account_ambiguous');
        // Naming the connection settles it.
        assertProfile(await execute({ tool_name: 'gmail_get_profile', identifier, connection_name: gmail }), first.accessToken);
      });

      it('connection_name + identifier names the unscoped account, even after the organization-scoped one with that identifier was cached', async () => {
        const identifier = unique('shared');
        const plain = await gmailAccount(gmail, identifier, unique('ya29-plain'));
        const scopedToken = unique('ya29-org');
        const created = await gw.api('POST', '/api/v1/connected_accounts', {
          connection_name: gmail,
          identifier,
          organization_id: 'org-1',
          authorization_details: { oauth_token: { access_token: scopedToken } },
        });
        assert.equal(created.status, 201, created.text);
        const scopedId = created.body.connected_account.id as string;
        // The organization's account runs by id (and is cached)...
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connected_account_id: scopedId }), scopedToken);
        // ...which must not make it the answer to a lookup that names no organization.
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connection_name: gmail, identifier }), plain.accessToken);
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connected_account_id: plain.id }), plain.accessToken);
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connection_name: gmail, identifier }), plain.accessToken);
      });

      it('connection_name + identifier + organization_id names the organization’s account', async () => {
        const identifier = unique('org-user');
        const plain = await gmailAccount(gmail, identifier, unique('ya29-plain'));
        const scopedToken = unique('ya29-org');
        const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: gmail, identifier, organization_id: 'org-2', authorization_details: { oauth_token: { access_token: scopedToken } } });
        assert.equal(created.status, 201, created.text);
        const response = await execute({ tool_name: 'gmail_get_profile', connection_name: gmail, identifier, organization_id: 'org-2' });
        assert.notEqual(emulator.last().headers['authorization'], `Bearer ${plain.accessToken}`, 'ran as the unscoped account');
        assertProfile(response, scopedToken);
      });

      it('an identifier nobody has → 404 connected_account_not_found; no account named at all → 400 validation_failed', async () => {
        assertError(await noUpstream(() => execute({ tool_name: 'gmail_get_profile', identifier: unique('nobody') })), 404, 'connected_account_not_found');
        assertError(await noUpstream(() => execute({ tool_name: 'gmail_get_profile', connected_account_id: 'ca_doesnotexist' })), 404, 'connected_account_not_found');
        assertError(await noUpstream(() => execute({ tool_name: 'gmail_get_profile' })), 400, 'validation_failed');
      });

      it('connection_name and its alias connector naming different connections → 400 validation_failed, nothing sent', async () => {
        const account = await gmailAccount();
        const error = assertError(
          await noUpstream(() => execute({ tool_name: 'gmail_get_profile', connection_name: gmail, connector: unique('other'), identifier: account.identifier })),
          400,
          'validation_failed',
        );
        assert.deepEqual(issuePaths(error), ['connector']);
      });

      it('the seed path POST /v1/connect/tools/execute {connected_account_id, tool_name, tool_input} → {data, execution_id}', async () => {
        const account = await gmailAccount();
        const response = await gw.api('POST', '/v1/connect/tools/execute', { connected_account_id: account.id, tool_name: 'gmail_get_profile', tool_input: {} });
        assertProfile(response, account.accessToken);
        const sent = await gw.api('POST', '/v1/connect/tools/execute', { connected_account_id: account.id, tool_name: 'gmail_send_email', tool_input: { to: ['bob@example.com'], subject: 'Hi', body: 'Hello Bob' } });
        assert.equal(sent.status, 200, sent.text);
        assert.deepEqual(sent.body.data, { id: 'msg-1', thread_id: 'thr-1', label_ids: ['SENT'] });
        assert.equal(emulator.last().method, 'POST');
        assert.equal(emulator.last().path, '/gmail/v1/users/me/messages/send');
        const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${sent.body.execution_id}`);
        assert.equal(log.status, 200, log.text);
        assert.equal(log.body.tool_call_log.source, 'seed');
      });
    });

    describe('accounts that cannot act', () => {
      function assertNotActive(response: ApiResponse, account: { id: string; identifier: string }, connectionName: string, status: string): void {
        const error = assertError(response, 409, 'account_not_active');
        assert.equal(error.details?.['connected_account_id'], account.id);
        assert.equal(error.details?.['status'], status);
        assert.equal(typeof error.details?.['fix'], 'string');
        assert.ok((error.details?.['fix'] as string).length > 10, response.text);
        assert.deepEqual(error.details?.['authorization_link'], {
          method: 'POST',
          path: '/api/v1/connected_accounts/magic_link',
          body: { connection_name: connectionName, identifier: account.identifier },
        });
      }

      it('PENDING_AUTH (created without authorization_details) → 409 account_not_active with status, fix and the link call', async () => {
        const identifier = unique('pending');
        const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: gmail, identifier });
        assert.equal(created.status, 201, created.text);
        assert.equal(created.body.connected_account.status, 'PENDING_AUTH');
        const account = { id: created.body.connected_account.id as string, identifier };
        assertNotActive(await noUpstream(() => execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id })), account, gmail, 'PENDING_AUTH');
        assertNotActive(await noUpstream(() => execute({ tool_name: 'gmail_get_profile', connection_name: gmail, identifier })), account, gmail, 'PENDING_AUTH');
      });

      it('DISCONNECTED takes effect on the very next call (the warm cache entry is dropped), by id and by name', async () => {
        const account = await gmailAccount();
        // Warm both cache paths.
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id }), account.accessToken);
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connection_name: gmail, identifier: account.identifier }), account.accessToken);
        const disconnected = await gw.api('POST', `/api/v1/connected_accounts/${account.id}:disconnect`);
        assert.equal(disconnected.status, 200, disconnected.text);
        assertNotActive(await noUpstream(() => execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id })), account, gmail, 'DISCONNECTED');
        assertNotActive(await noUpstream(() => execute({ tool_name: 'gmail_get_profile', connection_name: gmail, identifier: account.identifier })), account, gmail, 'DISCONNECTED');
        assertNotActive(await noUpstream(() => gw.api('POST', '/v1/connect/tools/execute', { connected_account_id: account.id, tool_name: 'gmail_get_profile', tool_input: {} })), account, gmail, 'DISCONNECTED');
      });

      it('new credentials through PUT /api/v1/connected_accounts are used on the very next call', async () => {
        const account = await gmailAccount();
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id }), account.accessToken);
        const rotated = unique('ya29-rotated');
        const updated = await gw.api('PUT', '/api/v1/connected_accounts', { id: account.id, authorization_details: { oauth_token: { access_token: rotated } } });
        assert.equal(updated.status, 200, updated.text);
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id }), rotated);
      });

      it('a disabled connection refuses its accounts at once', async () => {
        const name = await createConnection('gmail', { type: 'OAUTH', oauth_config: { client_id: 'c', client_secret: 's' }, api_config: { base_url: emulator.url } });
        const account = await gmailAccount(name);
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id }), account.accessToken);
        const connection = await gw.api('GET', `/api/v1/connections/${name}`);
        assert.equal(connection.status, 200, connection.text);
        const disabled = await gw.api('PATCH', `/api/v1/connections/${connection.body.connection.id}`, { connection: { enabled: false } });
        assert.equal(disabled.status, 200, disabled.text);
        const refused = await noUpstream(() => execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id }));
        assert.equal(refused.body.error?.code, 'connection_disabled', refused.text);
      });
    });

    describe('parameters and tools', () => {
      it('invalid params → 400 validation_failed naming every field (missing, wrong type, unknown); nothing sent upstream', async () => {
        const account = await gmailAccount();
        const response = await noUpstream(() => execute({ tool_name: 'gmail_send_email', connected_account_id: account.id, params: { to: 42, subject: 'Hi', bogus: 1 } }));
        const error = assertError(response, 400, 'validation_failed');
        const paths = issuePaths(error);
        for (const path of ['params.body', 'params.to', 'params.bogus']) assert.ok(paths.includes(path), `${path} missing from ${JSON.stringify(paths)}`);
        const issues = error.details?.['issues'] as { path: string; message: string; constraint: string }[];
        assert.equal(issues.find((i) => i.path === 'params.body')?.constraint, 'required');
        assert.equal(issues.find((i) => i.path === 'params.to')?.constraint, 'type');
        assert.equal(issues.find((i) => i.path === 'params.bogus')?.constraint, 'additionalProperties');
        // A wrong type nested in an array is named by its index.
        const nested = await noUpstream(() => execute({ tool_name: 'gmail_send_email', connected_account_id: account.id, params: { to: ['bob@example.com', 7], subject: 'Hi', body: 'x' } }));
        assert.ok(issuePaths(assertError(nested, 400, 'validation_failed')).includes('params.to.1'), nested.text);
      });

      it('tool_not_found 404 for an unknown tool; tool_not_for_account 400 for another connector’s tool', async () => {
        const account = await gmailAccount();
        const unknown = assertError(await noUpstream(() => execute({ tool_name: 'gmail_teleport', connected_account_id: account.id })), 404, 'tool_not_found');
        assert.equal(unknown.details?.['tool_name'], 'gmail_teleport');
        const other = assertError(await noUpstream(() => execute({ tool_name: 'github_create_issue', connected_account_id: account.id, params: { owner: 'o', repo: 'r', title: 't' } })), 400, 'tool_not_for_account');
        assert.equal(other.details?.['tool_provider'], 'github');
        assert.equal(other.details?.['account_provider'], 'gmail');
        assertError(await noUpstream(() => gw.api('POST', '/v1/connect/tools/execute', { connected_account_id: account.id, tool_name: 'nope_tool', tool_input: {} })), 404, 'tool_not_found');
      });

      it('tool_version pins: the existing version runs (top level or inside params, never sent upstream); a missing version → 404', async () => {
        const account = await gmailAccount();
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id, tool_version: '1' }), account.accessToken);
        assertProfile(await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id, params: { tool_version: '1', schema_version: '1' } }), account.accessToken);
        assert.deepEqual(emulator.last().query, {});
        const missing = assertError(await noUpstream(() => execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id, tool_version: '99' })), 404, 'tool_not_found');
        assert.equal(missing.details?.['tool_version'], '99');
        assertError(await noUpstream(() => execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id, params: { tool_version: '99' } })), 404, 'tool_not_found');
      });
    });

    describe('OAuth tokens against a real authorization server', () => {
      it('a token about to expire is refreshed first (on_demand) and the provider sees the NEW token', async () => {
        const id = await connectAccount(gw, asConn, 'exec-near-expiry');
        const before = await storedTokens(gw, id);
        assert.ok(before.expiresAt !== null);
        const grants = refreshGrants(as);
        try {
          // 60 s before expiry: inside the 300 s refresh margin, still valid.
          clockOffsetMs = before.expiresAt.getTime() - Date.now() - 60_000;
          const response = await execute({ tool_name: 'gmail_get_profile', connected_account_id: id });
          const after = await storedTokens(gw, id);
          assert.notEqual(after.accessToken, before.accessToken, 'the token was not refreshed');
          assertProfile(response, after.accessToken);
          assert.equal(refreshGrants(as), grants + 1);
          const [latest] = await historyOf(gw, id);
          assert.deepEqual([latest?.trigger, latest?.outcome], ['on_demand', 'succeeded']);
          // The refreshed token is good for another hour: the next call refreshes nothing.
          assertProfile(await execute({ tool_name: 'gmail_get_profile', connected_account_id: id }), after.accessToken);
          assert.equal(refreshGrants(as), grants + 1);
        } finally {
          clockOffsetMs = 0;
        }
      });

      it('an upstream 401 → exactly one refresh (trigger upstream_401) and one retry with the new token', async () => {
        const id = await connectAccount(gw, asConn, 'exec-401-once');
        const before = await storedTokens(gw, id);
        const grants = refreshGrants(as);
        const count = emulator.requests.length;
        emulator.enqueue({ status: 401, json: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } });
        const response = await execute({ tool_name: 'gmail_get_profile', connected_account_id: id });
        const after = await storedTokens(gw, id);
        assertProfile(response, after.accessToken);
        assert.notEqual(after.accessToken, before.accessToken);
        const sent = emulator.requests.slice(count);
        assert.equal(sent.length, 2, 'one attempt and one retry');
        assert.equal(sent[0]?.headers['authorization'], `Bearer ${before.accessToken}`);
        assert.equal(sent[1]?.headers['authorization'], `Bearer ${after.accessToken}`);
        assert.equal(refreshGrants(as), grants + 1);
        const history = await historyOf(gw, id);
        assert.deepEqual(history.map((h) => [h.trigger, h.outcome]).slice(0, 1), [['upstream_401', 'succeeded']]);
        assert.equal(history.filter((h) => h.trigger === 'upstream_401').length, 1);
        assert.equal(after.status, 'ACTIVE');
        const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${response.body.execution_id}`);
        assert.equal(log.body.tool_call_log.status, 'SUCCESS');
        assert.equal(log.body.tool_call_log.attempts, 2);
      });

      it('a 401 again after the refresh → 401 tool_error kind unauthorized; the account becomes EXPIRED and the next call is 409', async () => {
        const id = await connectAccount(gw, asConn, 'exec-401-twice');
        const grants = refreshGrants(as);
        const count = emulator.requests.length;
        emulator.enqueue({ status: 401, json: { error: 'invalid_token' } }, { status: 401, json: { error: 'invalid_token' } });
        const response = await execute({ tool_name: 'gmail_get_profile', connected_account_id: id });
        const error = assertError(response, 401, 'tool_error');
        assert.equal(error.details?.['tier'], 'provider');
        assert.equal(error.details?.['tool_error']?.kind, 'unauthorized');
        assert.equal(error.details?.['tool_error']?.upstream_status, 401);
        assert.match(error.details?.['fix'], /authoriz/);
        assert.equal(emulator.requests.length - count, 2, 'exactly one retry');
        assert.equal(refreshGrants(as), grants + 1, 'exactly one refresh');
        assert.equal(await accountStatus(id), 'EXPIRED');
        const next = await noUpstream(() => execute({ tool_name: 'gmail_get_profile', connected_account_id: id }));
        assert.equal(assertError(next, 409, 'account_not_active').details?.['status'], 'EXPIRED');
      });

      it('a 401 whose refresh fails transiently (provider 503) → 503 token_refresh_unavailable, the account stays ACTIVE and works afterwards', async () => {
        const id = await connectAccount(gw, asConn, 'exec-401-transient');
        const before = await storedTokens(gw, id);
        emulator.enqueue({ status: 401, json: { error: 'invalid_token' } });
        for (let i = 0; i < 3; i++) as.failNextToken(503);
        const response = await execute({ tool_name: 'gmail_get_profile', connected_account_id: id });
        assert.equal(response.status, 503, response.text);
        assert.equal(response.body.error.code, 'token_refresh_unavailable', response.text);
        assert.equal(await accountStatus(id), 'ACTIVE', 'a provider outage during the refresh must not expire the account');
        const [latest] = await historyOf(gw, id);
        assert.deepEqual([latest?.trigger, latest?.outcome], ['upstream_401', 'failed_transient']);
        // The provider is back: the next 401 is answered by a refresh that works.
        emulator.enqueue({ status: 401, json: { error: 'invalid_token' } });
        const recovered = await execute({ tool_name: 'gmail_get_profile', connected_account_id: id });
        const after = await storedTokens(gw, id);
        assert.notEqual(after.accessToken, before.accessToken);
        assertProfile(recovered, after.accessToken);
      });

      it('an account without a refresh token: an upstream 401 → 401 tool_error and EXPIRED, no refresh attempted', async () => {
        const account = await gmailAccount();
        const grants = refreshGrants(as);
        const count = emulator.requests.length;
        emulator.enqueue({ status: 401, json: { error: 'invalid_token' } });
        const response = await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id });
        assert.equal(assertError(response, 401, 'tool_error').details?.['tool_error']?.kind, 'unauthorized');
        assert.equal(emulator.requests.length - count, 1);
        assert.equal(refreshGrants(as), grants);
        assert.equal(await accountStatus(account.id), 'EXPIRED');
      });

      it('a static credential (API key) refused with 401 → 401 tool_error, one request, the account stays ACTIVE', async () => {
        const created = await gw.api('POST', '/api/v1/connected_accounts', {
          connection_name: zendesk,
          identifier: unique('agent'),
          authorization_details: { static_auth: { domain: 'acme', email: 'agent@acme.test', api_token: ZENDESK_KEY } },
        });
        assert.equal(created.status, 201, created.text);
        const id = created.body.connected_account.id as string;
        const ok = await execute({ tool_name: 'zendesk_get_ticket', connected_account_id: id, params: { ticket_id: 1042 } });
        assert.equal(ok.status, 200, ok.text);
        assert.equal(emulator.last().path, '/acme.zendesk.com/api/v2/tickets/1042.json');
        assert.equal(emulator.last().headers['authorization'], `Basic ${Buffer.from(`agent@acme.test/token:${ZENDESK_KEY}`).toString('base64')}`);
        const count = emulator.requests.length;
        emulator.enqueue({ status: 401, json: { error: 'Couldn’t authenticate you' } });
        const refused = await execute({ tool_name: 'zendesk_get_ticket', connected_account_id: id, params: { ticket_id: 1042 } });
        const error = assertError(refused, 401, 'tool_error');
        assert.equal(error.details?.['tool_error']?.kind, 'unauthorized');
        assert.match(error.details?.['fix'], /PUT \/api\/v1\/connected_accounts/);
        assert.equal(emulator.requests.length - count, 1, 'no retry for a static credential');
        assert.ok(!refused.text.includes(ZENDESK_KEY));
        assert.equal(await accountStatus(id), 'ACTIVE');
      });
    });

    describe('tool call logs', () => {
      const LOG_FIELDS = ['execution_id', 'agent_run_id', 'tool_name', 'provider', 'connected_account_id', 'status', 'error_tier', 'error_code', 'upstream_status', 'duration_ms', 'attempts'];

      async function logsOf(params: Record<string, string | readonly string[] | undefined>, token?: string): Promise<any[]> {
        const response = await gw.api('GET', `/api/v1/agentkit/tool_call_logs${query({ page_size: '100', ...params })}`, undefined, token === undefined ? {} : { token });
        assert.equal(response.status, 200, response.text);
        return response.body.tool_call_logs;
      }

      it('bad filters are refused, not silently empty: an unknown status, a malformed time, an unknown field', async () => {
        for (const params of [{ status: 'DONE' }, { start_time: 'yesterday' }, { colour: 'red' }]) {
          assertError(await gw.api('GET', `/api/v1/agentkit/tool_call_logs${query(params)}`), 400, 'validation_failed');
        }
        assertError(await gw.api('GET', '/api/v1/agentkit/tool_call_logs/exec_doesnotexist'), 404, 'tool_call_log_not_found');
      });

      it('every call, success and failure, is logged with its outcome; filters and lookup by execution_id work', async () => {
        const account = await gmailAccount();
        const run = unique('run');
        const ok = await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id, agent_run_id: run });
        assert.equal(ok.status, 200, ok.text);
        emulator.enqueue({ status: 404, json: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } } });
        const notFound = await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id, agent_run_id: run });
        const upstreamError = assertError(notFound, 404, 'tool_error');
        const invalid = await execute({ tool_name: 'gmail_send_email', connected_account_id: account.id, agent_run_id: run, params: {} });
        assertError(invalid, 400, 'validation_failed');
        const unknown = await execute({ tool_name: 'gmail_unknown_tool', connected_account_id: account.id, agent_run_id: run });
        assertError(unknown, 404, 'tool_not_found');

        const logs = await logsOf({ agent_run_id: run });
        assert.equal(logs.length, 4, JSON.stringify(logs));
        for (const log of logs) for (const field of LOG_FIELDS) assert.ok(field in log, `${field} missing in ${JSON.stringify(log)}`);
        // Newest first.
        assert.deepEqual(
          logs.map((l) => l.tool_name),
          ['gmail_unknown_tool', 'gmail_send_email', 'gmail_get_profile', 'gmail_get_profile'],
        );
        const byId = new Map(logs.map((l) => [l.execution_id, l]));
        const success = byId.get(ok.body.execution_id);
        assert.equal(success.status, 'SUCCESS');
        assert.equal(success.agent_run_id, run);
        assert.equal(success.provider, 'gmail');
        assert.equal(success.connected_account_id, account.id);
        assert.equal(success.connection_name, gmail);
        assert.equal(success.identifier, account.identifier);
        assert.equal(success.error_tier, null);
        assert.equal(success.error_code, null);
        assert.equal(success.upstream_status, 200);
        assert.equal(success.attempts, 1);
        assert.equal(success.source, 'api');
        assert.ok(Number.isInteger(success.duration_ms) && success.duration_ms >= 0);
        assert.equal(success.payload, null, 'payloads are off by default');

        const failed = byId.get(upstreamError.details?.['tool_error']?.execution_id);
        assert.ok(failed !== undefined, 'the tool_error execution_id is the logged one');
        assert.deepEqual([failed.status, failed.error_tier, failed.error_code, failed.upstream_status, failed.attempts], ['FAILED', 'provider', 'not_found', 404, 1]);
        assert.match(failed.error_message, /not found/i);
        const rejected = logs.find((l) => l.tool_name === 'gmail_send_email');
        assert.deepEqual([rejected.status, rejected.error_tier, rejected.error_code, rejected.upstream_status, rejected.attempts], ['FAILED', 'platform', 'validation_failed', null, 0]);
        const missing = logs.find((l) => l.tool_name === 'gmail_unknown_tool');
        assert.deepEqual([missing.status, missing.error_code, missing.provider], ['FAILED', 'tool_not_found', null]);

        // Filters.
        assert.deepEqual((await logsOf({ agent_run_id: run, status: 'SUCCESS' })).map((l) => l.execution_id), [ok.body.execution_id]);
        assert.equal((await logsOf({ agent_run_id: run, status: 'failed' })).length, 3);
        assert.equal((await logsOf({ agent_run_id: run, tool_name: 'gmail_get_profile' })).length, 2);
        assert.equal((await logsOf({ connected_account_id: account.id })).length, 4);
        assert.equal((await logsOf({ connected_account_id: account.id, tool_name: 'gmail_send_email' })).length, 1);
        assert.equal((await logsOf({ agent_run_id: unique('other-run') })).length, 0);

        const one = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${ok.body.execution_id}`);
        assert.equal(one.status, 200, one.text);
        assert.deepEqual(one.body.tool_call_log, success);
        assertError(await gw.api('GET', '/api/v1/agentkit/tool_call_logs/exec_doesnotexist'), 404, 'tool_call_log_not_found');
      });

      it('pages: next_page_token walks every call of a run once, newest first', async () => {
        const account = await gmailAccount();
        const run = unique('run');
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const ok = await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id, agent_run_id: run });
          assert.equal(ok.status, 200, ok.text);
          ids.push(ok.body.execution_id);
        }
        const walked = await walkPages(gw, '/api/v1/agentkit/tool_call_logs', 'tool_call_logs', { agent_run_id: run, page_size: 2 });
        assert.deepEqual(walked.items.map((l) => l.execution_id), [...ids].reverse());
        assert.equal(walked.pages.length, 3);
        const startTime = new Date(Date.now() + 60_000).toISOString();
        assert.equal((await logsOf({ agent_run_id: run, start_time: startTime })).length, 0);
        assert.equal((await logsOf({ agent_run_id: run, end_time: startTime })).length, 5);
      });

      it('another environment sees none of them', async () => {
        const account = await gmailAccount();
        const run = unique('run');
        const ok = await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id, agent_run_id: run });
        assert.equal(ok.status, 200, ok.text);
        const other = await gw.newEnvironment(unique('env'));
        const token = await gw.tokenFor(other.clientId, other.clientSecret);
        assert.equal((await logsOf({ agent_run_id: run }, token)).length, 0);
        assert.equal((await logsOf({ connected_account_id: account.id }, token)).length, 0);
        assert.ok((await logsOf({}, token)).every((l) => l.execution_id !== ok.body.execution_id));
        assertError(await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${ok.body.execution_id}`, undefined, { token }), 404, 'tool_call_log_not_found');
        // Nor can it run a tool as this environment's account.
        assertError(await noUpstream(() => execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id }, token)), 404, 'connected_account_not_found');
      });

      it('params and data are kept only after PATCH /api/v1/settings {"tool_call_payloads_enabled": true}', async () => {
        const account = await gmailAccount();
        const params = { to: ['bob@example.com'], subject: 'Quarterly numbers', body: 'See attached.' };
        const off = await execute({ tool_name: 'gmail_send_email', connected_account_id: account.id, params });
        assert.equal(off.status, 200, off.text);
        const enabled = await gw.api('PATCH', '/api/v1/settings', { tool_call_payloads_enabled: true });
        assert.equal(enabled.status, 200, enabled.text);
        try {
          const on = await execute({ tool_name: 'gmail_send_email', connected_account_id: account.id, params });
          assert.equal(on.status, 200, on.text);
          const offLog = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${off.body.execution_id}`);
          assert.equal(offLog.body.tool_call_log.payload, null);
          const onLog = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${on.body.execution_id}`);
          assert.equal(onLog.status, 200, onLog.text);
          assert.deepEqual(onLog.body.tool_call_log.payload, { params: { ...params, is_html: false }, data: { id: 'msg-1', thread_id: 'thr-1', label_ids: ['SENT'] } });
          // The credential is never part of a payload.
          assert.ok(!onLog.text.includes(account.accessToken));
        } finally {
          const disabled = await gw.api('PATCH', '/api/v1/settings', { tool_call_payloads_enabled: false });
          assert.equal(disabled.status, 200, disabled.text);
        }
      });

      // The record must be in the batch before the answer leaves, even when the settings (payload
      // logging) have to be read from the database first.
      it('a call is in the logs as soon as its answer is (no wait), also right after a settings change', async () => {
        const account = await gmailAccount();
        for (let i = 0; i < 5; i++) {
          // A settings write drops the cached settings, so the call has to read them again.
          const patched = await gw.api('PATCH', '/api/v1/settings', { tool_call_payloads_enabled: false });
          assert.equal(patched.status, 200, patched.text);
          const ok = await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id });
          assert.equal(ok.status, 200, ok.text);
          const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${ok.body.execution_id}`);
          assert.equal(log.status, 200, `call ${i}: ${log.text}`);
        }
      });

      it('last_used_at of the account is set by a call', async () => {
        const account = await gmailAccount();
        const before = await gw.api('GET', `/api/v1/connected_accounts/${account.id}`);
        assert.equal(before.body.connected_account.last_used_at, null);
        const ok = await execute({ tool_name: 'gmail_get_profile', connected_account_id: account.id });
        assert.equal(ok.status, 200, ok.text);
        // Reading the logs flushes the batch that also carries last_used_at; poll briefly in case the batch was already in flight.
        const [log] = await logsOf({ connected_account_id: account.id });
        let lastUsed: string | null = null;
        for (let i = 0; i < 20 && lastUsed === null; i++) {
          lastUsed = (await gw.api('GET', `/api/v1/connected_accounts/${account.id}`)).body.connected_account.last_used_at;
          if (lastUsed === null) await sleep(50);
        }
        assert.ok(lastUsed !== null, 'last_used_at was not set');
        assert.equal(new Date(lastUsed).getTime(), new Date(log.started_at).getTime());
      });
    });
  });
}

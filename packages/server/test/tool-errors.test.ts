/**
 * Upstream failure classes of tool execution (reference §5.3–5.4, docs/errors.md `tool_error`): each
 * provider answer or transport failure becomes the documented status, `details.tool_error.kind`,
 * `details.tier` and `details.fix`, with the retry rules checked by counting the requests the provider
 * emulator received: 429 waits out a short Retry-After (writes too), hands a long one back; 5xx and
 * timeouts are retried for idempotent tools only; redirects are never followed. No error answer and
 * no log line ever carries the access token or API key.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { assertError, assertNoSecrets } from './helpers/api-assertions.ts';
import { defineEmulator, startEmulator, type EmulatorReply, type RunningEmulator } from './helpers/emulator.ts';
import { BACKENDS, startTestGateway, unique, unusedPort, type ApiResponse, type TestGateway } from './helpers/test-gateway.ts';

const GMAIL_TOKEN = 'ya29.tool-errors-suite-gmail-9c41d7e2ab';
const GITHUB_TOKEN = 'gho_toolErrorsSuiteGithub7f3a9e21c0';
const SLACK_TOKEN = 'xoxb-tool-errors-suite-4c2d8e1f60';
const ZENDESK_KEY = 'zd_tok_tool_errors_suite_1d9e6b3a7c';
const SECRETS = [GMAIL_TOKEN, GITHUB_TOKEN, SLACK_TOKEN, ZENDESK_KEY, Buffer.from(`agent@acme.test/token:${ZENDESK_KEY}`).toString('base64')];

const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
const SEND_SCOPES = ['https://www.googleapis.com/auth/gmail.send', 'https://www.googleapis.com/auth/gmail.compose', 'https://www.googleapis.com/auth/gmail.modify', 'https://mail.google.com/'];

/** When set, every routed request gets this answer (a failure that repeats, unlike `enqueue`'s one-offs). */
let always: EmulatorReply | undefined;
const routed = (reply: EmulatorReply) => () => always ?? reply;

const providerApi = defineEmulator({
  name: 'tool-errors',
  routes: [
    { method: 'GET', path: '/gmail/v1/users/me/profile', reply: routed({ json: { emailAddress: 'ada@example.com', messagesTotal: 1, threadsTotal: 1, historyId: '5' } }) },
    { method: 'POST', path: '/gmail/v1/users/me/messages/send', reply: routed({ json: { id: 'msg-1', threadId: 'thr-1', labelIds: ['SENT'] } }) },
    { method: 'POST', path: '/repos/:owner/:repo/issues', reply: routed({ status: 201, json: { number: 7, title: 'Bug', state: 'open', labels: [], assignees: [], html_url: 'https://github.com/o/r/issues/7', created_at: '2024-05-01T00:00:00Z' } }) },
    { method: 'POST', path: '/chat.postMessage', reply: routed({ json: { ok: true, channel: 'C1', ts: '1.2', message: { text: 'hi' } } }) },
    { method: 'GET', path: '/acme.zendesk.com/api/v2/tickets/:file', reply: routed({ json: { ticket: { id: 1042, subject: 'Checkout page returns 500' } } }) },
  ],
});

/** A server that accepts requests and never answers them. */
async function startSilentServer(): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const sockets = new Set<Socket>();
  const server = http.createServer(() => {
    hits++;
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

for (const backend of BACKENDS) {
  describe(`tool errors (${backend})`, () => {
    let gw: TestGateway;
    let emulator: RunningEmulator;
    const accounts: Record<'gmail' | 'gmailReadonly' | 'github' | 'slack' | 'zendesk' | 'unreachable', string> = {
      gmail: '',
      gmailReadonly: '',
      github: '',
      slack: '',
      zendesk: '',
      unreachable: '',
    };
    /** Every answer of this suite, scanned for secrets at the end. */
    const answers: ApiResponse[] = [];

    async function account(provider: string, baseUrl: string, type: string, details: Record<string, unknown>): Promise<string> {
      const name = unique(provider);
      const connection = await gw.api('POST', '/api/v1/connections', {
        connection: { provider, name, type, ...(type === 'OAUTH' ? { oauth_config: { client_id: 'c', client_secret: 's' } } : {}), api_config: { base_url: baseUrl } },
      });
      assert.equal(connection.status, 201, connection.text);
      const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: unique('user'), authorization_details: details });
      assert.equal(created.status, 201, created.text);
      return created.body.connected_account.id;
    }

    /** Runs a tool; returns the answer and how many requests the emulator got meanwhile. */
    async function run(tool: string, accountId: string, params: Record<string, unknown> = {}): Promise<{ response: ApiResponse; requests: number; ms: number }> {
      const count = emulator.requests.length;
      const started = Date.now();
      const response = await gw.api('POST', '/api/v1/execute_tool', { tool_name: tool, connected_account_id: accountId, params });
      answers.push(response);
      return { response, requests: emulator.requests.length - count, ms: Date.now() - started };
    }

    function toolError(response: ApiResponse, status: number, kind: string, tier = 'provider'): Record<string, any> {
      const error = assertError(response, status, 'tool_error');
      assert.equal(error.details?.['tier'], tier, response.text);
      assert.equal(typeof error.details?.['fix'], 'string');
      const detail = error.details?.['tool_error'];
      assert.equal(detail?.kind, kind, response.text);
      assert.match(detail?.execution_id, /^exec_/);
      return { ...detail, fix: error.details?.['fix'] };
    }

    const send = { to: ['bob@example.com'], subject: 'Hi', body: 'Hello' };
    const issue = { owner: 'octo', repo: 'hello', title: 'Bug' };

    before(async () => {
      emulator = await startEmulator(providerApi);
      gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' } });
      accounts.gmail = await account('gmail', emulator.url, 'OAUTH', { oauth_token: { access_token: GMAIL_TOKEN, scopes: [READONLY, SEND_SCOPES[0]] } });
      accounts.gmailReadonly = await account('gmail', emulator.url, 'OAUTH', { oauth_token: { access_token: GMAIL_TOKEN, scopes: [READONLY] } });
      accounts.github = await account('github', emulator.url, 'OAUTH', { oauth_token: { access_token: GITHUB_TOKEN, scopes: ['repo'] } });
      accounts.slack = await account('slack', emulator.url, 'OAUTH', { oauth_token: { access_token: SLACK_TOKEN, scopes: ['chat:write'] } });
      accounts.zendesk = await account('zendesk', `${emulator.url}/{{domain}}.zendesk.com`, 'API_KEY', { static_auth: { domain: 'acme', email: 'agent@acme.test', api_token: ZENDESK_KEY } });
      accounts.unreachable = await account('gmail', `http://127.0.0.1:${await unusedPort()}`, 'OAUTH', { oauth_token: { access_token: GMAIL_TOKEN, scopes: [READONLY] } });
    });
    after(async () => {
      await gw?.close();
      await emulator?.close();
    });

    it('403 on a tool whose scopes the account lacks → 403 forbidden with required_scopes, missing_scopes and a fix naming them', async () => {
      emulator.enqueue({ status: 403, json: { error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED' } } });
      const { response, requests } = await run('gmail_send_email', accounts.gmailReadonly, send);
      const detail = toolError(response, 403, 'forbidden');
      assert.equal(requests, 1);
      assert.deepEqual(detail['required_scopes'], SEND_SCOPES);
      assert.deepEqual(detail['missing_scopes'], SEND_SCOPES);
      for (const scope of SEND_SCOPES) assert.ok(detail['fix'].includes(scope), `fix does not name ${scope}: ${detail['fix']}`);
      assert.equal(detail['upstream_status'], 403);
      assert.equal(detail['provider_code'], 'PERMISSION_DENIED');
      assert.equal(detail['message'], 'Request had insufficient authentication scopes.');
    });

    it('403 when the account has a suitable scope → missing_scopes empty, the fix points at the user’s permissions', async () => {
      emulator.enqueue({ status: 403, json: { message: 'Resource not accessible by integration' } });
      const { response } = await run('gmail_send_email', accounts.gmail, send);
      const detail = toolError(response, 403, 'forbidden');
      assert.deepEqual(detail['missing_scopes'], []);
      assert.match(detail['fix'], /permission/);
    });

    it('429 with Retry-After: 1, then 200 → success after one wait (2 upstream requests)', async () => {
      emulator.enqueue({ status: 429, headers: { 'retry-after': '1' }, json: { error: { code: 429, message: 'Rate Limit Exceeded' } } });
      const { response, requests, ms } = await run('gmail_get_profile', accounts.gmail);
      assert.equal(response.status, 200, response.text);
      assert.equal(requests, 2);
      assert.ok(ms >= 950, `the Retry-After was not waited out (${ms} ms)`);
      const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${response.body.execution_id}`);
      assert.equal(log.body.tool_call_log.attempts, 2);
    });

    it('429 on a write is waited out too (the provider refused it, nothing happened)', async () => {
      emulator.enqueue({ status: 429, headers: { 'retry-after': '0' }, json: { message: 'slow down' } });
      const { response, requests } = await run('github_create_issue', accounts.github, issue);
      assert.equal(response.status, 200, response.text);
      assert.equal(requests, 2);
    });

    it('429 with Retry-After: 120 → 429 rate_limited with retry_after_seconds at once (1 request)', async () => {
      emulator.enqueue({ status: 429, headers: { 'retry-after': '120' }, json: { error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } } });
      const { response, requests, ms } = await run('gmail_get_profile', accounts.gmail);
      const detail = toolError(response, 429, 'rate_limited');
      assert.equal(requests, 1);
      assert.equal(detail['retry_after_seconds'], 120);
      assert.equal(response.headers.get('retry-after'), '120', 'the wait is also an HTTP Retry-After header');
      assert.ok(ms < 5000, `waited ${ms} ms`);
      assert.match(detail['fix'], /wait/i);
    });

    it('a 429 that keeps coming with short waits → a bounded number of attempts, then 429 rate_limited', async () => {
      always = { status: 429, headers: { 'retry-after': '0' }, json: { message: 'slow down' } };
      try {
        const { response, requests } = await run('gmail_get_profile', accounts.gmail);
        const detail = toolError(response, 429, 'rate_limited');
        assert.ok(requests >= 2 && requests <= 3, `attempts: ${requests}`);
        assert.equal(detail['attempts'], requests);
      } finally {
        always = undefined;
      }
    });

    // TODO(lead): execution.ts upstreamFailure sets retry_after_seconds to `Number(header) || header`: the
    // raw header string for an HTTP date, and the string "0" for `Retry-After: 0`. tool-errors.ts has
    // retryAfterSeconds() for this.
    it('retry_after_seconds is a number of seconds, also for an HTTP-date Retry-After', async () => {
      emulator.enqueue({ status: 429, headers: { 'retry-after': new Date(Date.now() + 120_000).toUTCString() }, json: { message: 'slow down' } });
      const dated = toolError((await run('gmail_get_profile', accounts.gmail)).response, 429, 'rate_limited');
      assert.equal(typeof dated['retry_after_seconds'], 'number', JSON.stringify(dated));
      assert.ok(dated['retry_after_seconds'] > 100 && dated['retry_after_seconds'] <= 120);
      always = { status: 429, headers: { 'retry-after': '0' }, json: { message: 'slow down' } };
      try {
        const zero = toolError((await run('gmail_get_profile', accounts.gmail)).response, 429, 'rate_limited');
        assert.equal(zero['retry_after_seconds'], 0);
      } finally {
        always = undefined;
      }
    });

    it('503 on a read (idempotent) → retried, then success', async () => {
      emulator.enqueue({ status: 503, json: { error: { code: 503, message: 'Backend Error' } } });
      const { response, requests } = await run('gmail_get_profile', accounts.gmail);
      assert.equal(response.status, 200, response.text);
      assert.equal(requests, 2);
    });

    it('503 on every attempt of a read → 2–3 requests, then 502 upstream_error', async () => {
      always = { status: 503, json: { error: { code: 503, message: 'Backend Error', status: 'UNAVAILABLE' } } };
      try {
        const { response, requests } = await run('gmail_get_profile', accounts.gmail);
        const detail = toolError(response, 502, 'upstream_error');
        assert.ok(requests >= 2 && requests <= 3, `attempts: ${requests}`);
        assert.equal(detail['attempts'], requests);
        assert.equal(detail['upstream_status'], 503);
        assert.equal(detail['provider_code'], 'UNAVAILABLE');
      } finally {
        always = undefined;
      }
    });

    for (const [tool, which, params] of [
      ['gmail_send_email', 'gmail', send],
      ['github_create_issue', 'github', issue],
    ] as const) {
      it(`503 on a write (${tool}) → exactly ONE upstream request and 502 upstream_error`, async () => {
        always = { status: 503, json: { message: 'Service Unavailable' } };
        try {
          const { response, requests } = await run(tool, accounts[which], params);
          const detail = toolError(response, 502, 'upstream_error');
          assert.equal(requests, 1, 'a write was retried');
          assert.equal(detail['attempts'], 1);
          assert.match(detail['fix'], /not retried/);
        } finally {
          always = undefined;
        }
      });
    }

    it('other provider refusals mirror their class: 400 bad_request, 404 not_found, 409 conflict', async () => {
      for (const [status, kind] of [
        [400, 'bad_request'],
        [404, 'not_found'],
        [409, 'conflict'],
        [422, 'bad_request'],
      ] as const) {
        emulator.enqueue({ status, json: { message: `refused with ${status}`, errors: [{ code: 'invalid' }] } });
        const { response, requests } = await run('github_create_issue', accounts.github, issue);
        const detail = toolError(response, status === 422 ? 400 : status, kind);
        assert.equal(requests, 1);
        assert.equal(detail['upstream_status'], status);
        assert.equal(detail['message'], `refused with ${status}`);
      }
    });

    it('a redirect (302) → 502 upstream_error; the Location is not followed', async () => {
      const count = emulator.requests.length;
      emulator.enqueue({ status: 302, headers: { location: `${emulator.url}/gmail/v1/users/me/profile?followed=1` } });
      const { response } = await run('gmail_get_profile', accounts.gmail);
      const detail = toolError(response, 502, 'upstream_error');
      assert.equal(detail['upstream_status'], 302);
      assert.match(detail['fix'], /base_url/);
      assert.equal(emulator.requests.length - count, 1, 'the redirect was followed');
      assert.ok(emulator.requests.slice(count).every((r) => r.query['followed'] === undefined));
    });

    it('Slack-style 200 {ok:false, error} → tool_error with provider_code channel_not_found', async () => {
      emulator.enqueue({ json: { ok: false, error: 'channel_not_found' } });
      const { response, requests } = await run('slack_send_message', accounts.slack, { channel: 'C0NOTHERE', text: 'hi' });
      const detail = toolError(response, 400, 'bad_request');
      assert.equal(requests, 1);
      assert.equal(detail['provider_code'], 'channel_not_found');
      assert.equal(detail['upstream_status'], 200);
      const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${detail['execution_id']}`);
      assert.deepEqual([log.body.tool_call_log.status, log.body.tool_call_log.error_tier, log.body.tool_call_log.error_code], ['FAILED', 'provider', 'bad_request']);
    });

    it('a response above the size cap (5 MiB) → 502 response_too_large', async () => {
      emulator.enqueue({ text: JSON.stringify({ emailAddress: 'x'.repeat(6 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } });
      const { response, requests } = await run('gmail_get_profile', accounts.gmail);
      toolError(response, 502, 'response_too_large');
      assert.equal(requests, 1, 'an oversized answer is not retried');
    });

    it('an unreachable API (nothing listening) → 502 network, tier provider', async () => {
      const { response } = await run('gmail_get_profile', accounts.unreachable);
      const detail = toolError(response, 502, 'network');
      assert.equal(detail['upstream_status'], null);
      assert.match(detail['fix'], /base_url/);
    });

    it('no error answer and no log line carries an access token or API key', async () => {
      // A static credential refused: the provider's text comes back, the key does not.
      emulator.enqueue({ status: 401, json: { error: 'Couldn’t authenticate you' } });
      answers.push((await run('zendesk_get_ticket', accounts.zendesk, { ticket_id: 1 })).response);
      assert.ok(answers.length >= 15, `answers collected: ${answers.length}`);
      for (const answer of answers) assertNoSecrets(`${answer.text}\n${JSON.stringify([...answer.headers])}`, SECRETS, `answer ${answer.status}`);
      const logs = await gw.api('GET', '/api/v1/agentkit/tool_call_logs?page_size=100');
      assert.equal(logs.status, 200);
      assertNoSecrets(logs.text, SECRETS, 'tool call logs');
      assert.ok(gw.logs.length > 0);
      assertNoSecrets(gw.logs.join('\n'), SECRETS, 'gateway logs');
    });

    // TODO(lead): execution.ts upstreamFailure passes the provider's message through unredacted.
    it('a provider that echoes the credential in its error text does not get it to the caller', async () => {
      emulator.enqueue({ status: 400, json: { error: { code: 400, message: `Invalid credentials: Bearer ${GMAIL_TOKEN}`, status: 'INVALID_ARGUMENT' } } });
      const { response } = await run('gmail_get_profile', accounts.gmail);
      toolError(response, 400, 'bad_request');
      assertNoSecrets(response.text, SECRETS, 'tool_error with an echoing provider');
      const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${response.body.error.details.tool_error.execution_id}`);
      assertNoSecrets(log.text, SECRETS, 'the logged error_message');
    });
  });
}

for (const backend of BACKENDS) {
  describe(`tool call limits: AGENTGATE_TOOL_TIMEOUT_MS and AGENTGATE_TOOL_MAX_RESPONSE_BYTES (${backend})`, () => {
    const TIMEOUT_MS = 1500;
    const MAX_BYTES = 4096;
    let gw: TestGateway;
    let emulator: RunningEmulator;
    let silent: Awaited<ReturnType<typeof startSilentServer>>;
    /** An account whose API never answers. */
    let silentAccount: string;
    let gmail: string;

    async function account(baseUrl: string): Promise<string> {
      const name = unique('gmail');
      const connection = await gw.api('POST', '/api/v1/connections', { connection: { provider: 'gmail', name, type: 'OAUTH', oauth_config: { client_id: 'c', client_secret: 's' }, api_config: { base_url: baseUrl } } });
      assert.equal(connection.status, 201, connection.text);
      const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: unique('user'), authorization_details: { oauth_token: { access_token: GMAIL_TOKEN, scopes: [READONLY] } } });
      assert.equal(created.status, 201, created.text);
      return created.body.connected_account.id;
    }

    before(async () => {
      emulator = await startEmulator(providerApi);
      silent = await startSilentServer();
      gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true', AGENTGATE_TOOL_TIMEOUT_MS: String(TIMEOUT_MS), AGENTGATE_TOOL_MAX_RESPONSE_BYTES: String(MAX_BYTES) } });
      silentAccount = await account(silent.url);
      gmail = await account(emulator.url);
    });
    after(async () => {
      await gw?.close();
      await emulator?.close();
      await silent?.close();
    });

    async function timed(tool: string, accountId: string, params: Record<string, unknown> = {}) {
      const hits = silent.hits();
      const started = Date.now();
      const response = await gw.api('POST', '/api/v1/execute_tool', { tool_name: tool, connected_account_id: accountId, params });
      return { response, ms: Date.now() - started, hits: silent.hits() - hits };
    }

    it('an API that never answers a read → 504 timeout once the whole-call deadline is spent (retries included)', async () => {
      const { response, ms, hits } = await timed('gmail_get_profile', silentAccount);
      const error = assertError(response, 504, 'tool_error');
      assert.equal(error.details?.['tool_error']?.kind, 'timeout');
      assert.equal(error.details?.['tier'], 'provider');
      assert.equal(error.details?.['tool_error']?.upstream_status, null);
      assert.ok(hits >= 1 && hits <= 3, `attempts: ${hits}`);
      assert.ok(ms >= TIMEOUT_MS - 100 && ms < TIMEOUT_MS + 2000, `the call took ${ms} ms for a ${TIMEOUT_MS} ms deadline`);
      assertNoSecrets(response.text, SECRETS, 'timeout answer');
    });

    it('an API that never answers a write → 504 after exactly one attempt', async () => {
      const { response, ms, hits } = await timed('gmail_send_email', silentAccount, { to: ['bob@example.com'], subject: 'Hi', body: 'Hello' });
      assert.equal(assertError(response, 504, 'tool_error').details?.['tool_error']?.kind, 'timeout');
      assert.equal(hits, 1, 'a write that may have happened was sent again');
      assert.ok(ms < TIMEOUT_MS + 2000, `took ${ms} ms`);
    });

    it('an answer above AGENTGATE_TOOL_MAX_RESPONSE_BYTES → 502 response_too_large; one just below it is fine', async () => {
      const count = emulator.requests.length;
      emulator.enqueue({ json: { emailAddress: 'x'.repeat(MAX_BYTES + 1) } });
      const big = await gw.api('POST', '/api/v1/execute_tool', { tool_name: 'gmail_get_profile', connected_account_id: gmail });
      assert.equal(assertError(big, 502, 'tool_error').details?.['tool_error']?.kind, 'response_too_large');
      assert.equal(emulator.requests.length - count, 1, 'an oversized answer is not retried');
      emulator.enqueue({ json: { emailAddress: 'x'.repeat(MAX_BYTES - 100) } });
      const fits = await gw.api('POST', '/api/v1/execute_tool', { tool_name: 'gmail_get_profile', connected_account_id: gmail });
      assert.equal(fits.status, 200, fits.text.slice(0, 300));
      assert.equal(fits.body.data.email_address.length, MAX_BYTES - 100);
    });
  });
}

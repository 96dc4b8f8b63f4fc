/**
 * The MCP endpoint end to end: a real MCP client (the SDK's Client + StreamableHTTPClientTransport)
 * with a session token lists a config's tools and calls one against the Gmail emulator; tokens that
 * are missing, expired, forged or for another config are refused with 401 and WWW-Authenticate; a
 * token for one user never reaches another user's account, whatever the call carries; a mapping the
 * user has not connected answers with an authorization link. PGlite always, PostgreSQL when
 * TEST_DATABASE_URL is set.
 */
import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { gmailEmulator, GMAIL_TOKEN } from './emulators/gmail.ts';
import { defineEmulator, startEmulator, type RunningEmulator } from './helpers/emulator.ts';
import { connectMcp, createConfig, endpointOn, INITIALIZE, LIST_TOOLS, mintToken, postMcp } from './helpers/mcp.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

const USER_B_TOKEN = 'ya29.user-b-token-never-to-be-used-for-a';
const VERIFY_URL = 'http://localhost:5999/verify';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const partsOf = (token: string) => token.split('.') as [string, string, string];
const claimsOf = (token: string) => JSON.parse(Buffer.from(partsOf(token)[1], 'base64url').toString('utf8')) as Record<string, unknown>;
const headerOf = (token: string) => JSON.parse(Buffer.from(partsOf(token)[0], 'base64url').toString('utf8')) as Record<string, unknown>;
const textOf = (result: Record<string, unknown>) => ((result['content'] as { type: string; text: string }[] | undefined) ?? []).map((c) => c.text).join('\n');

/** The real time plus an offset a test moves (and puts back). */
function movableClock() {
  let offsetMs = 0;
  return { now: () => new Date(Date.now() + offsetMs), set: (ms: number) => void (offsetMs = ms) };
}

for (const backend of BACKENDS) {
  describe(`MCP server (${backend})`, () => {
    const clock = movableClock();
    let gw: TestGateway;
    let emulator: RunningEmulator;
    let gmail: string;
    let slack: string;
    let userA: string;
    let userB: string;
    let accountB: string;
    let config: { id: string; mcp_server_url: string };
    let url: string;

    before(async () => {
      emulator = await startEmulator(gmailEmulator);
      gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' }, clock: clock.now });
      gmail = unique('gmail');
      slack = unique('slack');
      for (const [provider, name] of [['gmail', gmail], ['slack', slack]] as const) {
        const created = await gw.api('POST', '/api/v1/connections', {
          connection: { provider, name, type: 'OAUTH', oauth_config: { client_id: `${provider}-client`, client_secret: `${provider}-secret` }, api_config: { base_url: emulator.url } },
        });
        assert.equal(created.status, 201, created.text);
      }
      userA = unique('ada@example.com');
      userB = unique('bob@example.com');
      const a = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: gmail, identifier: userA, authorization_details: { oauth_token: { access_token: GMAIL_TOKEN } } });
      assert.equal(a.status, 201, a.text);
      const b = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: gmail, identifier: userB, authorization_details: { oauth_token: { access_token: USER_B_TOKEN } } });
      assert.equal(b.status, 201, b.text);
      accountB = b.body.connected_account.id;
      config = await createConfig(gw, {
        name: unique('assistant'),
        description: 'Mail and chat for the assistant',
        connection_tool_mappings: [
          { connection_name: gmail, tools: ['gmail_get_profile', 'gmail_list_labels'] },
          { connection_name: slack, tools: ['slack_send_message'] },
        ],
        user_verify_url: VERIFY_URL,
      });
      url = endpointOn(gw, config.mcp_server_url);
    });
    after(async () => {
      await gw?.close();
      await emulator?.close();
    });

    it('lists exactly the mapped tools, in MCP shape, and keeps no session', async () => {
      const { token } = await mintToken(gw, config.id, userA);
      const client = await connectMcp(url, token);
      try {
        const { tools } = await client.listTools();
        assert.deepEqual(tools.map((t) => t.name), ['gmail_get_profile', 'gmail_list_labels', 'slack_send_message']);
        const profile = tools[0]!;
        assert.equal(profile.inputSchema.type, 'object');
        assert.equal(profile.title, 'Get Gmail profile');
        assert.deepEqual(profile.annotations, { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true });
        assert.match(profile.description ?? '', /Gmail account's profile/);
        assert.equal(client.getInstructions(), 'Mail and chat for the assistant');
      } finally {
        await client.close();
      }
      const raw = await postMcp(url, `Bearer ${token}`, INITIALIZE);
      assert.equal(raw.status, 200);
      assert.equal(raw.headers.get('mcp-session-id'), null, 'stateless: no session id');
      assert.equal(raw.body.result.serverInfo.name, `agentgate/${(await gw.api('GET', `/api/v1/mcp/configs/${config.id}`)).body.config.name}`);
    });

    it("calls a tool through the execution path as the token's user: the emulator's answer, logged with source mcp and the agent run", async () => {
      const { token } = await mintToken(gw, config.id, userA);
      const client = await connectMcp(url, token);
      const before = emulator.requests.length;
      try {
        const result = await client.callTool({ name: 'gmail_get_profile', arguments: {}, _meta: { agent_run_id: 'run-mcp-1' } });
        assert.equal(result.isError, undefined, textOf(result));
        assert.deepEqual(JSON.parse(textOf(result)), { email_address: 'ada@example.com', messages_total: 1234, threads_total: 987, history_id: '55501' });
        assert.equal(emulator.requests.length, before + 1);
        assert.equal(emulator.last().path, '/gmail/v1/users/me/profile');
        assert.equal(emulator.last().headers['authorization'], `Bearer ${GMAIL_TOKEN}`);
        const executionId = (result._meta as Record<string, string>)['agentgate/execution_id'];
        assert.match(executionId ?? '', /^exec_/);
        const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${executionId}`);
        assert.equal(log.status, 200, log.text);
        const entry = log.body.tool_call_log ?? log.body;
        assert.equal(entry.source, 'mcp');
        assert.equal(entry.identifier, userA);
        assert.equal(entry.connection_name, gmail);
        assert.equal(entry.agent_run_id, 'run-mcp-1');
        assert.equal(entry.status, 'SUCCESS');
      } finally {
        await client.close();
      }
    });

    it('a tool_version in the arguments pins nothing: the version tools/list exposed runs', async () => {
      const { token } = await mintToken(gw, config.id, userA);
      const client = await connectMcp(url, token);
      try {
        const result = await client.callTool({ name: 'gmail_get_profile', arguments: { tool_version: '99', schema_version: '99' } });
        assert.equal(result.isError, undefined, textOf(result));
        assert.equal(emulator.last().path, '/gmail/v1/users/me/profile');
        const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${(result._meta as Record<string, string>)['agentgate/execution_id']}`);
        assert.equal((log.body.tool_call_log ?? log.body).tool_version, '1');
      } finally {
        await client.close();
      }
    });

    it('the agent run can also come from the X-Agent-Run-Id header', async () => {
      const { token } = await mintToken(gw, config.id, userA);
      const client = await connectMcp(url, token, { 'x-agent-run-id': 'run-from-header' });
      try {
        const result = await client.callTool({ name: 'gmail_list_labels', arguments: {} });
        assert.equal(result.isError, undefined, textOf(result));
        const executionId = (result._meta as Record<string, string>)['agentgate/execution_id'];
        const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${executionId}`);
        assert.equal((log.body.tool_call_log ?? log.body).agent_run_id, 'run-from-header');
      } finally {
        await client.close();
      }
    });

    it('tool failures are results with isError and the readable message; an unknown tool is a protocol error', async () => {
      const { token } = await mintToken(gw, config.id, userA);
      const client = await connectMcp(url, token);
      try {
        const invalid = await client.callTool({ name: 'gmail_get_profile', arguments: { format: 'full' } });
        assert.equal(invalid.isError, true);
        assert.match(textOf(invalid), /do not match gmail_get_profile's input schema: params\.format: unknown parameter/);
        emulator.enqueue({ status: 403, json: { error: { code: 403, message: 'Insufficient Permission', status: 'PERMISSION_DENIED' } } });
        const refused = await client.callTool({ name: 'gmail_get_profile', arguments: {} });
        assert.equal(refused.isError, true);
        assert.match(textOf(refused), /Insufficient Permission/);
        assert.equal((refused._meta as Record<string, string>)['agentgate/error_code'], 'tool_error');
        assert.match((refused._meta as Record<string, string>)['agentgate/execution_id'] ?? '', /^exec_/);
        await assert.rejects(client.callTool({ name: 'gmail_send_email', arguments: {} }), (error: unknown) => error instanceof McpError && error.code === -32602 && /no tool named "gmail_send_email"/.test(error.message));
      } finally {
        await client.close();
      }
    });

    it("a token for user A never reaches user B's account, whatever the call carries", async () => {
      const { token } = await mintToken(gw, config.id, userA);
      const client = await connectMcp(url, token);
      const before = emulator.requests.length;
      try {
        // Account-naming arguments are not tool parameters: refused before any upstream call.
        const smuggled = await client.callTool({ name: 'gmail_get_profile', arguments: { connected_account_id: accountB, identifier: userB, connection_name: gmail, connector: gmail } });
        assert.equal(smuggled.isError, true);
        assert.match(textOf(smuggled), /unknown parameter/);
        assert.equal(emulator.requests.length, before, 'nothing was sent upstream');
        // In _meta, or in headers, they are simply not read: the call runs as A.
        const viaMeta = await client.callTool({ name: 'gmail_get_profile', arguments: {}, _meta: { connected_account_id: accountB, identifier: userB } });
        assert.equal(viaMeta.isError, undefined, textOf(viaMeta));
        assert.equal(emulator.last().headers['authorization'], `Bearer ${GMAIL_TOKEN}`);
      } finally {
        await client.close();
      }
      const headered = await connectMcp(url, token, { identifier: userB, connection_name: gmail, 'x-connected-account-id': accountB });
      try {
        const result = await headered.callTool({ name: 'gmail_get_profile', arguments: {} });
        assert.equal(result.isError, undefined, textOf(result));
      } finally {
        await headered.close();
      }
      const sentByA = emulator.requests.slice(before);
      assert.ok(sentByA.length >= 2);
      assert.ok(sentByA.every((r) => r.headers['authorization'] === `Bearer ${GMAIL_TOKEN}`), "B's credential was never sent");
      // B's own token acts as B (the emulator refuses B's credential, so the call fails: as B).
      const forB = await mintToken(gw, config.id, userB);
      const clientB = await connectMcp(url, forB.token);
      try {
        const result = await clientB.callTool({ name: 'gmail_get_profile', arguments: {} });
        assert.equal(result.isError, true);
        assert.equal(emulator.last().headers['authorization'], `Bearer ${USER_B_TOKEN}`);
        const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${(result._meta as Record<string, string>)['agentgate/execution_id']}`);
        assert.equal((log.body.tool_call_log ?? log.body).connected_account_id, accountB);
      } finally {
        await clientB.close();
      }
    });

    it('a mapping the user has not connected answers with a fresh authorization link, and the account waits in PENDING_AUTH', async () => {
      const { token } = await mintToken(gw, config.id, userA);
      const client = await connectMcp(url, token);
      try {
        const result = await client.callTool({ name: 'slack_send_message', arguments: { channel: 'C1', text: 'hi' } });
        assert.equal(result.isError, true);
        const authorization = (result._meta as Record<string, Record<string, string>>)['agentgate/authorization']!;
        assert.equal(authorization['connection_name'], slack);
        assert.equal(authorization['status'], 'NOT_CONNECTED');
        assert.match(authorization['link'] ?? '', new RegExp(`^${gw.gateway.ctx.publicUrl}/connect/link/`));
        assert.ok(textOf(result).includes(authorization['link']!), 'the link is in the text the model reads');
        assert.match(textOf(result), /Ask the user to open this link/);
        const account = await gw.api('GET', `/api/v1/connected_accounts/details?connection_name=${slack}&identifier=${encodeURIComponent(userA)}`);
        assert.equal(account.status, 200, account.text);
        assert.equal(account.body.connected_account.status, 'PENDING_AUTH');
        // Called again: still not connected (PENDING_AUTH now), and a new link each time.
        const again = await client.callTool({ name: 'slack_send_message', arguments: { channel: 'C1', text: 'hi' } });
        const second = (again._meta as Record<string, Record<string, string>>)['agentgate/authorization']!;
        assert.equal(second['status'], 'PENDING_AUTH');
        assert.notEqual(second['link'], authorization['link']);
        assert.match(textOf(again), /has not finished authorizing/);
      } finally {
        await client.close();
      }
    });

    it('a disconnected account answers with a link and the fix; without user_verify_url the result says what the developer must set', async () => {
      const userC = unique('carol');
      const c = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: gmail, identifier: userC, authorization_details: { oauth_token: { access_token: GMAIL_TOKEN } } });
      assert.equal(c.status, 201, c.text);
      assert.equal((await gw.api('POST', `/api/v1/connected_accounts/${c.body.connected_account.id}:disconnect`)).status, 200);
      const { token } = await mintToken(gw, config.id, userC);
      const client = await connectMcp(url, token);
      try {
        const result = await client.callTool({ name: 'gmail_get_profile', arguments: {} });
        assert.equal(result.isError, true);
        assert.match(textOf(result), /DISCONNECTED \(it was disconnected/);
        assert.match(textOf(result), /\/connect\/link\//);
      } finally {
        await client.close();
      }
      const bare = await createConfig(gw, { name: unique('bare'), connection_tool_mappings: [{ connection_name: slack, tools: ['slack_send_message'] }] });
      const minted = await mintToken(gw, bare.id, userC);
      const bareClient = await connectMcp(endpointOn(gw, bare.mcp_server_url), minted.token);
      try {
        const result = await bareClient.callTool({ name: 'slack_send_message', arguments: { channel: 'C1', text: 'hi' } });
        assert.equal(result.isError, true);
        assert.match(textOf(result), /has no user_verify_url\. The developer sets one with PUT \/api\/v1\/mcp\/configs\//);
        assert.doesNotMatch(textOf(result), /\/connect\/link\//);
      } finally {
        await bareClient.close();
      }
    });

    it('an account waiting for verification answers with the verify fix and no link (a new link would restart the flow)', async () => {
      const userE = unique('erin');
      const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: gmail, identifier: userE, authorization_details: { oauth_token: { access_token: GMAIL_TOKEN } } });
      assert.equal(created.status, 201, created.text);
      const id = created.body.connected_account.id as string;
      // PENDING_VERIFICATION comes from a completed flow awaiting the app's verify call; set it directly.
      const environmentId = (await gw.gateway.store.credentials.findById(gw.admin.clientId))!.environmentId;
      const account = (await gw.gateway.store.accounts.findById(environmentId, id))!;
      assert.ok(await gw.gateway.store.accounts.update({ ...account, status: 'PENDING_VERIFICATION', version: account.version + 1 }));
      const { token } = await mintToken(gw, config.id, userE);
      const client = await connectMcp(url, token);
      try {
        const result = await client.callTool({ name: 'gmail_get_profile', arguments: {} });
        assert.equal(result.isError, true);
        assert.match(textOf(result), /PENDING_VERIFICATION/);
        assert.match(textOf(result), /POST \/api\/v1\/connected_accounts\/user\/verify/);
        assert.doesNotMatch(textOf(result), /\/connect\/link\//);
        const authorization = (result._meta as Record<string, Record<string, string>>)['agentgate/authorization']!;
        assert.deepEqual(authorization, { connection_name: gmail, status: 'PENDING_VERIFICATION' });
      } finally {
        await client.close();
      }
      const after = await gw.api('GET', `/api/v1/connected_accounts/${id}`);
      assert.equal(after.body.connected_account.status, 'PENDING_VERIFICATION', 'the pending flow is left alone');
    });

    it('a refresh the provider refuses (invalid_grant) makes the account EXPIRED and the result carries a link', async () => {
      const tokenEndpoint = await startEmulator(defineEmulator({ name: 'oauth', routes: [{ method: 'POST', path: '/token', reply: () => ({ status: 400, json: { error: 'invalid_grant', error_description: 'Token has been revoked.' } }) }] }));
      try {
        const name = unique('gmail-refresh');
        const connection = await gw.api('POST', '/api/v1/connections', {
          connection: { provider: 'gmail', name, type: 'OAUTH', oauth_config: { client_id: 'c', client_secret: 's', token_uri: `${tokenEndpoint.url}/token` }, api_config: { base_url: emulator.url } },
        });
        assert.equal(connection.status, 201, connection.text);
        const user = unique('dora');
        const expired = new Date(Date.now() - 3600_000).toISOString();
        const account = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: user, authorization_details: { oauth_token: { access_token: 'old', refresh_token: 'revoked', expires_at: expired } } });
        assert.equal(account.status, 201, account.text);
        const refreshing = await createConfig(gw, { name: unique('refresh'), connection_tool_mappings: [{ connection_name: name, tools: ['gmail_get_profile'] }], user_verify_url: VERIFY_URL });
        const { token } = await mintToken(gw, refreshing.id, user);
        const client = await connectMcp(endpointOn(gw, refreshing.mcp_server_url), token);
        try {
          const result = await client.callTool({ name: 'gmail_get_profile', arguments: {} });
          assert.equal(result.isError, true);
          const authorization = (result._meta as Record<string, Record<string, string>>)['agentgate/authorization']!;
          assert.equal(authorization['status'], 'EXPIRED');
          assert.match(authorization['link'] ?? '', /\/connect\/link\//);
          assert.equal(tokenEndpoint.requests.length, 1, 'one refresh attempt');
        } finally {
          await client.close();
        }
        const after = await gw.api('GET', `/api/v1/connected_accounts/${account.body.connected_account.id}`);
        assert.equal(after.body.connected_account.status, 'EXPIRED');
      } finally {
        await tokenEndpoint.close();
      }
    });

    it('no token, a malformed header or a garbage token: 401 with a Bearer challenge', async () => {
      const none = await postMcp(url, null, INITIALIZE);
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="agentgate-mcp"');
      assert.equal(none.body.error.code, 'unauthenticated');
      const basic = await postMcp(url, 'Basic YTpi', INITIALIZE);
      assert.equal(basic.status, 401);
      assert.match(basic.headers.get('www-authenticate') ?? '', /^Bearer realm="agentgate-mcp", error="invalid_token"/);
      const garbage = await postMcp(url, 'Bearer not.a.jwt', INITIALIZE);
      assert.equal(garbage.status, 401);
      assert.equal(garbage.body.error.code, 'invalid_token');
      // The management API's own bearer token is not a session token (HS256, another audience).
      const apiToken = await gw.token();
      const wrongKind = await postMcp(url, `Bearer ${apiToken}`, INITIALIZE);
      assert.equal(wrongKind.status, 401);
      assert.equal(wrongKind.body.error.details.reason, 'unsupported_algorithm');
      // The real client surfaces the 401 too.
      await assert.rejects(connectMcp(url, 'not.a.jwt'), (error: unknown) => error instanceof StreamableHTTPError && error.code === 401);
    });

    it('an expired token is refused (the clock moved past exp); shortly before, it works', async () => {
      const { token, expires_at } = await mintToken(gw, config.id, userA, '60s');
      const claims = claimsOf(token);
      assert.equal(Number(claims['exp']) - Number(claims['iat']), 60);
      assert.equal(new Date(expires_at).getTime(), Number(claims['exp']) * 1000);
      try {
        // Token times are whole seconds: 58 s later is before exp whatever the sub-second start.
        clock.set(58_000);
        assert.equal((await postMcp(url, `Bearer ${token}`, LIST_TOOLS)).status, 200);
        clock.set(61_000);
        const expired = await postMcp(url, `Bearer ${token}`, LIST_TOOLS);
        assert.equal(expired.status, 401);
        assert.equal(expired.body.error.details.reason, 'expired');
        assert.match(expired.headers.get('www-authenticate') ?? '', /error="invalid_token", error_description="The session token has expired/);
      } finally {
        clock.set(0);
      }
    });

    it('forged tokens are refused: another key under our kid, alg none, HS256 keyed with the public key, edited claims', async () => {
      const { token } = await mintToken(gw, config.id, userA);
      const [header, payload] = partsOf(token);
      const claims = claimsOf(token);
      const kid = headerOf(token)['kid'];
      const forge = (h: unknown, c: unknown, signer: (input: string) => string) => {
        const input = `${b64(h)}.${b64(c)}`;
        return `${input}.${signer(input)}`;
      };
      const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const jwks = await gw.api('GET', '/keys', undefined, { token: null });
      const publicPem = createPublicKey({ key: jwks.body.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
      const asB = { ...claims, sub: userB };
      const attempts: Record<string, [string, string]> = {
        'wrong key': [forge({ alg: 'RS256', typ: 'JWT', kid }, asB, (input) => sign('sha256', Buffer.from(input), attacker).toString('base64url')), 'bad_signature'],
        'alg none': [`${b64({ alg: 'none', typ: 'JWT', kid })}.${b64(asB)}.`, 'malformed'],
        'alg none with a signature part': [`${b64({ alg: 'none', typ: 'JWT', kid })}.${b64(asB)}.${partsOf(token)[2]}`, 'unsupported_algorithm'],
        'HS256 with the public key': [forge({ alg: 'HS256', typ: 'JWT', kid }, asB, (input) => createHmac('sha256', publicPem).update(input).digest('base64url')), 'unsupported_algorithm'],
        'edited claims, original signature': [`${header}.${b64(asB)}.${partsOf(token)[2]}`, 'bad_signature'],
        'unknown kid': [`${b64({ alg: 'RS256', typ: 'JWT', kid: 'other' })}.${payload}.${partsOf(token)[2]}`, 'unknown_key'],
      };
      for (const [name, [forged, reason]] of Object.entries(attempts)) {
        const answer = await postMcp(url, `Bearer ${forged}`, LIST_TOOLS);
        assert.equal(answer.status, 401, name);
        assert.equal(answer.body.error.details.reason, reason, name);
        assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer /, name);
      }
    });

    it("a token for another config (or another environment's config) is refused; a deleted config's URL stops at once", async () => {
      const other = await createConfig(gw, { name: unique('other'), connection_tool_mappings: [{ connection_name: gmail, tools: ['gmail_list_labels'] }] });
      const forOther = await mintToken(gw, other.id, userA);
      const refused = await postMcp(url, `Bearer ${forOther.token}`, LIST_TOOLS);
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error.details.reason, 'wrong_audience');
      const stranger = await gw.newEnvironment(unique('mcp-env'));
      const strangerToken = await gw.tokenFor(stranger.clientId, stranger.clientSecret);
      assert.equal((await gw.api('POST', `/api/v1/mcp/configs/${config.id}/tokens`, { identifier: userA }, { token: strangerToken })).status, 404);
      const own = await mintToken(gw, other.id, userA);
      const otherUrl = endpointOn(gw, other.mcp_server_url);
      assert.equal((await postMcp(otherUrl, `Bearer ${own.token}`, LIST_TOOLS)).status, 200);
      assert.equal((await gw.api('DELETE', `/api/v1/mcp/configs/${other.id}`)).status, 200);
      const gone = await postMcp(otherUrl, `Bearer ${own.token}`, LIST_TOOLS);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error.code, 'mcp_config_not_found');
    });

    it('GET and DELETE are 405 (stateless: no stream, no session); non-JSON bodies are 415', async () => {
      const { token } = await mintToken(gw, config.id, userA);
      for (const method of ['GET', 'DELETE']) {
        const answer = await postMcp(url, `Bearer ${token}`, undefined, method);
        assert.equal(answer.status, 405, method);
        assert.equal(answer.headers.get('allow'), 'POST');
      }
      const text = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain', accept: 'application/json, text/event-stream' }, body: 'hello' });
      assert.equal(text.status, 415);
    });

    it('the JWKS at /keys verifies a minted token (RS256, kid, claims)', async () => {
      const { token, mcp_server_url } = await mintToken(gw, config.id, userA, 900);
      const jwks = await gw.api('GET', '/keys', undefined, { token: null });
      assert.equal(jwks.status, 200);
      assert.equal(jwks.body.keys.length, 1);
      const jwk = jwks.body.keys[0];
      assert.deepEqual(Object.keys(jwk).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use'], 'public parts only');
      const header = headerOf(token);
      assert.deepEqual(header, { alg: 'RS256', typ: 'JWT', kid: jwk.kid });
      const [h, p, s] = partsOf(token);
      const { verify } = await import('node:crypto');
      assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url')));
      const claims = claimsOf(token);
      assert.equal(claims['sub'], userA);
      assert.equal(claims['aud'], mcp_server_url);
      assert.equal(claims['mcp_cfg'], config.id);
      assert.equal(claims['iss'], gw.gateway.ctx.publicUrl);
      assert.equal(Number(claims['exp']) - Number(claims['iat']), 900);
      assert.equal(mcp_server_url, config.mcp_server_url);
    });
  });
}

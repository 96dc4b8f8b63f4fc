/**
 * The MCP config API (reference §1.9): config CRUD and its validation, session tokens (expiry
 * rules), one user's account states with authorization links, and, on PostgreSQL, two gateway
 * replicas on one database: a token minted by one is accepted by the other, because both use the
 * one signing key they agreed on through the database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AgentgateClient, BadRequestError, ConflictError, NotFoundError } from '@agentgate/sdk';
import { connectMcp, createConfig, endpointOn, LIST_TOOLS, mintToken, postMcp } from './helpers/mcp.ts';
import { BACKENDS, createScratchDatabase, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

const VERIFY_URL = 'http://localhost:5999/verify';
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, number | string>;
const issuesOf = (body: any) => (body.error.details.issues as { path: string; message: string }[]).map((i) => i.path);

async function newConnection(gw: TestGateway, provider: string, type = 'OAUTH'): Promise<string> {
  const name = unique(provider);
  const response = await gw.api('POST', '/api/v1/connections', {
    connection: { provider, name, type, ...(type === 'OAUTH' ? { oauth_config: { client_id: 'id', client_secret: 'secret' } } : {}) },
  });
  assert.equal(response.status, 201, response.text);
  return name;
}

for (const backend of BACKENDS) {
  describe(`MCP configs API (${backend})`, () => {
    let gw: TestGateway;
    let gmail: string;
    let gmail2: string;
    let slack: string;

    before(async () => {
      gw = await startTestGateway(backend);
      gmail = await newConnection(gw, 'gmail');
      gmail2 = await newConnection(gw, 'gmail');
      slack = await newConnection(gw, 'slack');
    });
    after(async () => {
      await gw?.close();
    });

    it('creates a config: 201 with id, mappings, server URL and timestamps; every tool of a connector when tools is empty', async () => {
      const name = unique('support');
      const created = await gw.api('POST', '/api/v1/mcp/configs', { config: { name, description: 'Support agent', connection_tool_mappings: [{ connection_name: gmail, tools: ['gmail_get_profile'] }, { connection_name: slack }] } });
      assert.equal(created.status, 201, created.text);
      const config = created.body.config;
      assert.match(config.id, /^cfg_[0-9a-z]{26}$/);
      assert.equal(config.name, name);
      assert.equal(config.description, 'Support agent');
      assert.deepEqual(config.connection_tool_mappings, [
        { connection_name: gmail, tools: ['gmail_get_profile'] },
        { connection_name: slack, tools: [] },
      ]);
      assert.equal(config.user_verify_url, null);
      assert.equal(config.mcp_server_url, `${gw.gateway.ctx.publicUrl}/mcp/${config.id}`);
      assert.equal(config.created_at, config.updated_at);
      const { token } = await mintToken(gw, config.id, 'u1');
      const client = await connectMcp(endpointOn(gw, config.mcp_server_url), token);
      try {
        const names = (await client.listTools()).tools.map((t) => t.name);
        const slackTools = (await gw.api('GET', '/api/v1/tools?provider=slack&summary=true')).body.tool_names as string[];
        assert.deepEqual(names, ['gmail_get_profile', ...slackTools]);
      } finally {
        await client.close();
      }
    });

    it('refuses bad bodies with every field named', async () => {
      const post = (config: unknown) => gw.api('POST', '/api/v1/mcp/configs', { config });
      const cases: [unknown, string[]][] = [
        [{ name: 'Has Caps', connection_tool_mappings: [{ connection_name: gmail }] }, ['config.name']],
        [{ name: 'x'.repeat(101), connection_tool_mappings: [{ connection_name: gmail }] }, ['config.name']],
        [{ name: unique('ok'), connection_tool_mappings: [] }, ['config.connection_tool_mappings']],
        [{ name: unique('ok'), connection_tool_mappings: Array.from({ length: 26 }, () => ({ connection_name: gmail })) }, ['config.connection_tool_mappings']],
        [{ name: unique('ok'), connection_tool_mappings: [{ connection_name: gmail }], surprise: 1 }, ['config.surprise']],
        [{ name: unique('ok'), connection_tool_mappings: [{ connection_name: 'no-such-connection' }] }, ['config.connection_tool_mappings.0.connection_name']],
        [{ name: unique('ok'), connection_tool_mappings: [{ connection_name: gmail, tools: ['gmail_get_profile', 'gmail_no_such_tool', 'slack_send_message'] }] }, ['config.connection_tool_mappings.0.tools.1', 'config.connection_tool_mappings.0.tools.2']],
        [{ name: unique('ok'), connection_tool_mappings: [{ connection_name: gmail, tools: ['gmail_get_profile'] }, { connection_name: gmail, tools: ['gmail_list_labels'] }] }, ['config.connection_tool_mappings.1.connection_name']],
        // Two gmail connections exposing the same tool name: the name would be ambiguous.
        [{ name: unique('ok'), connection_tool_mappings: [{ connection_name: gmail }, { connection_name: gmail2, tools: ['gmail_get_profile'] }] }, ['config.connection_tool_mappings.1.tools']],
      ];
      for (const [config, paths] of cases) {
        const response = await post(config);
        assert.equal(response.status, 400, `${JSON.stringify(config).slice(0, 120)}: ${response.text}`);
        assert.equal(response.body.error.code, 'validation_failed');
        assert.deepEqual(issuesOf(response.body), paths, response.text);
      }
      const unwrapped = await gw.api('POST', '/api/v1/mcp/configs', { name: unique('ok'), connection_tool_mappings: [{ connection_name: gmail }] });
      assert.equal(unwrapped.status, 400);
      const badOrigin = await post({ name: unique('ok'), connection_tool_mappings: [{ connection_name: gmail }], user_verify_url: 'https://evil.example.com/verify' });
      assert.equal(badOrigin.status, 400);
      assert.equal(badOrigin.body.error.code, 'invalid_redirect_url');
      // Different connections of one connector may share a config when their tools do not overlap.
      await createConfig(gw, { name: unique('split'), connection_tool_mappings: [{ connection_name: gmail, tools: ['gmail_get_profile'] }, { connection_name: gmail2, tools: ['gmail_list_labels'] }] });
    });

    it('a name is unique in its environment (409) but free in another one', async () => {
      const name = unique('dup');
      await createConfig(gw, { name, connection_tool_mappings: [{ connection_name: gmail }] });
      const again = await gw.api('POST', '/api/v1/mcp/configs', { config: { name, connection_tool_mappings: [{ connection_name: slack }] } });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'mcp_config_name_taken');
      const other = await gw.newEnvironment(unique('env'));
      const token = await gw.tokenFor(other.clientId, other.clientSecret);
      const created = await gw.api('POST', '/api/v1/connections', { connection: { provider: 'slack', name: 'slack', type: 'OAUTH', oauth_config: { client_id: 'a', client_secret: 'b' } } }, { token });
      assert.equal(created.status, 201, created.text);
      const elsewhere = await createConfig(gw, { name, connection_tool_mappings: [{ connection_name: 'slack' }] }, token);
      // Not visible from the first environment.
      assert.equal((await gw.api('GET', `/api/v1/mcp/configs/${elsewhere.id}`)).status, 404);
      assert.equal((await gw.api('GET', `/api/v1/mcp/configs?name=${name}`)).body.configs.length, 1);
    });

    it('gets, lists (name, search, pages), updates and deletes', async () => {
      const prefix = unique('crud');
      const configs = [];
      for (const suffix of ['a', 'b', 'c']) configs.push(await createConfig(gw, { name: `${prefix}-${suffix}`, connection_tool_mappings: [{ connection_name: gmail, tools: ['gmail_get_profile'] }] }));
      const one = await gw.api('GET', `/api/v1/mcp/configs/${configs[0]!.id}`);
      assert.equal(one.status, 200);
      assert.deepEqual(one.body.config, configs[0]);
      assert.equal((await gw.api('GET', '/api/v1/mcp/configs/cfg_nope')).body.error.code, 'mcp_config_not_found');

      const byName = await gw.api('GET', `/api/v1/mcp/configs?name=${prefix.toUpperCase()}-B`);
      assert.deepEqual(byName.body.configs.map((c: { id: string }) => c.id), [configs[1]!.id]);
      const firstPage = await gw.api('GET', `/api/v1/mcp/configs?search=${prefix}&page_size=2`);
      assert.equal(firstPage.body.total_size, 3);
      assert.deepEqual(firstPage.body.configs.map((c: { name: string }) => c.name), [`${prefix}-a`, `${prefix}-b`]);
      const secondPage = await gw.api('GET', `/api/v1/mcp/configs?search=${prefix}&page_size=2&page_token=${firstPage.body.next_page_token}`);
      assert.deepEqual(secondPage.body.configs.map((c: { name: string }) => c.name), [`${prefix}-c`]);
      assert.equal(secondPage.body.next_page_token, '');
      assert.equal((await gw.api('GET', '/api/v1/mcp/configs?page_size=31')).status, 400);
      assert.equal((await gw.api('GET', '/api/v1/mcp/configs?search=%25')).body.total_size, 0, 'LIKE wildcards match themselves only');

      const id = configs[0]!.id;
      const updated = await gw.api('PUT', `/api/v1/mcp/configs/${id}`, { config: { name: `${prefix}-a`, description: 'now with slack', connection_tool_mappings: [{ connection_name: slack, tools: ['slack_send_message'] }], user_verify_url: VERIFY_URL } });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.body.config.description, 'now with slack');
      assert.deepEqual(updated.body.config.connection_tool_mappings, [{ connection_name: slack, tools: ['slack_send_message'] }]);
      assert.equal(updated.body.config.user_verify_url, VERIFY_URL);
      assert.equal(updated.body.config.created_at, configs[0]!['created_at']);
      const described = await gw.api('PUT', `/api/v1/mcp/configs/${id}`, { config: { user_verify_url: null } });
      assert.equal(described.body.config.user_verify_url, null);
      assert.equal(described.body.config.description, 'now with slack', 'fields left out keep their value');
      const renamed = await gw.api('PUT', `/api/v1/mcp/configs/${id}`, { config: { name: 'another-name' } });
      assert.equal(renamed.status, 400);
      assert.deepEqual(issuesOf(renamed.body), ['config.name']);
      const badMapping = await gw.api('PUT', `/api/v1/mcp/configs/${id}`, { config: { connection_tool_mappings: [{ connection_name: slack, tools: ['gmail_get_profile'] }] } });
      assert.deepEqual(issuesOf(badMapping.body), ['config.connection_tool_mappings.0.tools.0']);
      assert.equal((await gw.api('PUT', '/api/v1/mcp/configs/cfg_nope', { config: {} })).status, 404);

      assert.equal((await gw.api('DELETE', `/api/v1/mcp/configs/${id}`)).status, 200);
      assert.equal((await gw.api('GET', `/api/v1/mcp/configs/${id}`)).status, 404);
      assert.equal((await gw.api('DELETE', `/api/v1/mcp/configs/${id}`)).status, 404);
    });

    it('session tokens: expiry from 60 s to 24 h (seconds or "<n>s"), default 1 h; bad values are 400 naming expiry', async () => {
      const config = await createConfig(gw, { name: unique('tokens'), connection_tool_mappings: [{ connection_name: gmail }] });
      const lifetime = (token: string) => Number(claimsOf(token)['exp']) - Number(claimsOf(token)['iat']);
      assert.equal(lifetime((await mintToken(gw, config.id, 'user-1')).token), 3600);
      assert.equal(lifetime((await mintToken(gw, config.id, 'user-1', 60)).token), 60);
      assert.equal(lifetime((await mintToken(gw, config.id, 'user-1', '86400s')).token), 86400);
      const minted = await mintToken(gw, config.id, 'ünïcode user@example.com', '900s');
      assert.equal(claimsOf(minted.token)['sub'], 'ünïcode user@example.com');
      assert.equal(minted.mcp_server_url, config.mcp_server_url);
      for (const expiry of [59, 86401, 1.5, '3600', 'abc', '-60s', true, '1h']) {
        const response = await gw.api('POST', `/api/v1/mcp/configs/${config.id}/tokens`, { identifier: 'user-1', expiry });
        assert.equal(response.status, 400, `expiry ${JSON.stringify(expiry)}: ${response.text}`);
        assert.deepEqual(issuesOf(response.body), ['expiry'], `expiry ${JSON.stringify(expiry)}`);
      }
      for (const body of [{}, { identifier: '' }, { identifier: 'x'.repeat(256) }, { identifier: 'u', extra: 1 }]) {
        assert.equal((await gw.api('POST', `/api/v1/mcp/configs/${config.id}/tokens`, body)).status, 400, JSON.stringify(body).slice(0, 60));
      }
      assert.equal((await gw.api('POST', '/api/v1/mcp/configs/cfg_nope/tokens', { identifier: 'u' })).status, 404);
      assert.equal((await gw.api('POST', `/api/v1/mcp/configs/${config.id}/tokens`, { identifier: 'u' }, { token: null })).status, 401);
    });

    it("connected_accounts: each mapping's account and status; include_auth_link creates missing accounts and links those not ACTIVE", async () => {
      const user = unique('user');
      const active = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: gmail, identifier: user, authorization_details: { oauth_token: { access_token: 'at' } } });
      assert.equal(active.status, 201, active.text);
      const config = await createConfig(gw, { name: unique('accounts'), connection_tool_mappings: [{ connection_name: gmail, tools: ['gmail_get_profile'] }, { connection_name: slack, tools: ['slack_send_message'] }] });
      const path = `/api/v1/mcp/configs/${config.id}/connected_accounts`;

      const plain = await gw.api('POST', path, { identifier: user });
      assert.equal(plain.status, 200, plain.text);
      assert.deepEqual(plain.body.connected_accounts, [
        { connection_name: gmail, connection_id: plain.body.connected_accounts[0].connection_id, provider: 'gmail', connected_account_id: active.body.connected_account.id, connected_account_status: 'ACTIVE', authentication_link: null, authentication_link_expires_at: null },
        { connection_name: slack, connection_id: plain.body.connected_accounts[1].connection_id, provider: 'slack', connected_account_id: null, connected_account_status: null, authentication_link: null, authentication_link_expires_at: null },
      ]);
      assert.match(plain.body.connected_accounts[1].connection_id, /^conn_/);

      // The environment verifies users (the default): links need a user_verify_url.
      const noVerifyUrl = await gw.api('POST', path, { identifier: user, include_auth_link: true });
      assert.equal(noVerifyUrl.status, 400);
      assert.deepEqual(issuesOf(noVerifyUrl.body), ['user_verify_url']);

      const linked = await gw.api('POST', path, { identifier: user, include_auth_link: true, user_verify_url: VERIFY_URL });
      assert.equal(linked.status, 200, linked.text);
      const [gmailState, slackState] = linked.body.connected_accounts;
      assert.equal(gmailState.authentication_link, null, 'an ACTIVE account needs no link');
      assert.equal(slackState.connected_account_status, 'PENDING_AUTH');
      assert.match(slackState.connected_account_id, /^ca_/);
      assert.match(slackState.authentication_link, new RegExp(`^${gw.gateway.ctx.publicUrl}/connect/link/`));
      assert.ok(Date.parse(slackState.authentication_link_expires_at) > Date.now());
      // The alias, and the config's own user_verify_url.
      assert.equal((await gw.api('PUT', `/api/v1/mcp/configs/${config.id}`, { config: { user_verify_url: VERIFY_URL } })).status, 200);
      const again = await gw.api('POST', path, { identifier: user, create_links: true });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.connected_accounts[1].connected_account_id, slackState.connected_account_id, 'the same account');
      assert.notEqual(again.body.connected_accounts[1].authentication_link, slackState.authentication_link, 'a fresh link');

      // An account waiting for the app's verify call gets no new link: it would restart the user's flow.
      const environmentId = (await gw.gateway.store.credentials.findById(gw.admin.clientId))!.environmentId;
      const waiting = (await gw.gateway.store.accounts.findById(environmentId, slackState.connected_account_id))!;
      assert.ok(await gw.gateway.store.accounts.update({ ...waiting, status: 'PENDING_VERIFICATION', version: waiting.version + 1 }));
      const verifying = await gw.api('POST', path, { identifier: user, include_auth_link: true });
      assert.equal(verifying.status, 200, verifying.text);
      assert.equal(verifying.body.connected_accounts[1].connected_account_status, 'PENDING_VERIFICATION');
      assert.equal(verifying.body.connected_accounts[1].authentication_link, null);

      // A mapped connection deleted since: reported, not fatal.
      const doomed = await newConnection(gw, 'slack');
      const withDoomed = await createConfig(gw, { name: unique('doomed'), connection_tool_mappings: [{ connection_name: doomed }] });
      assert.equal((await gw.api('DELETE', `/api/v1/connections/${doomed}`)).status, 200);
      const states = await gw.api('POST', `/api/v1/mcp/configs/${withDoomed.id}/connected_accounts`, { identifier: user });
      assert.deepEqual(states.body.connected_accounts, [{ connection_name: doomed, connection_id: null, provider: null, connected_account_id: null, connected_account_status: null, authentication_link: null, authentication_link_expires_at: null }]);
      assert.equal((await gw.api('POST', path, { identifier: '' })).status, 400);
    });

    it('the SDK: client.mcp creates, lists, reads, updates and deletes configs, mints tokens and reads account states', async () => {
      const client = new AgentgateClient({ envUrl: gw.url, clientId: gw.admin.clientId, clientSecret: gw.admin.clientSecret });
      const name = unique('sdk');
      const config = await client.mcp.createConfig({ name, description: 'from the SDK', connectionToolMappings: [{ connectionName: gmail, tools: ['gmail_get_profile'] }, { connectionName: slack }] });
      assert.match(config.id, /^cfg_/);
      assert.deepEqual(config.connectionToolMappings, [{ connectionName: gmail, tools: ['gmail_get_profile'] }, { connectionName: slack, tools: [] }]);
      assert.equal(config.mcpServerUrl, `${gw.gateway.ctx.publicUrl}/mcp/${config.id}`);
      await assert.rejects(client.mcp.createConfig({ name, connectionToolMappings: [{ connectionName: gmail }] }), (e: unknown) => e instanceof ConflictError && e.code === 'mcp_config_name_taken');
      await assert.rejects(client.mcp.createConfig({ name: unique('sdk'), connectionToolMappings: [{ connectionName: 'nope' }] }), (e: unknown) => e instanceof BadRequestError && e.code === 'validation_failed');
      assert.deepEqual(await client.mcp.getConfig(config.id), config);
      const page = await client.mcp.listConfigs({ name });
      assert.deepEqual(page.configs.map((c) => c.id), [config.id]);
      assert.equal(page.totalSize, 1);
      const updated = await client.mcp.updateConfig(config.id, { description: 'changed', userVerifyUrl: VERIFY_URL });
      assert.equal(updated.description, 'changed');
      assert.equal(updated.userVerifyUrl, VERIFY_URL);
      assert.equal((await client.mcp.updateConfig(config.id, { userVerifyUrl: null })).userVerifyUrl, null);
      const minted = await client.mcp.createToken(config.id, { identifier: 'sdk-user', expiry: '120s' });
      assert.equal(minted.mcpServerUrl, config.mcpServerUrl);
      assert.equal(Number(claimsOf(minted.token)['exp']) - Number(claimsOf(minted.token)['iat']), 120);
      assert.equal(new Date(minted.expiresAt).getTime(), Number(claimsOf(minted.token)['exp']) * 1000);
      await assert.rejects(client.mcp.createToken(config.id, { identifier: 'sdk-user', expiry: 30 }), (e: unknown) => e instanceof BadRequestError);
      const states = await client.mcp.connectedAccounts(config.id, { identifier: 'sdk-user', includeAuthLink: true, userVerifyUrl: VERIFY_URL });
      assert.deepEqual(states.map((s) => [s.connectionName, s.connectedAccountStatus, s.authenticationLink?.includes('/connect/link/')]), [
        [gmail, 'PENDING_AUTH', true],
        [slack, 'PENDING_AUTH', true],
      ]);
      await client.mcp.deleteConfig(config.id);
      await assert.rejects(client.mcp.getConfig(config.id), (e: unknown) => e instanceof NotFoundError && e.code === 'mcp_config_not_found');
    });

    it('JWKS at /keys: no token needed, public parts only, cacheable', async () => {
      const response = await fetch(`${gw.url}/keys`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('cache-control') ?? '', /max-age=300/);
      const body = (await response.json()) as { keys: Record<string, string>[] };
      assert.equal(body.keys.length, 1);
      const key = body.keys[0]!;
      assert.equal(key['kty'], 'RSA');
      assert.equal(key['alg'], 'RS256');
      assert.equal(key['use'], 'sig');
      for (const privatePart of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(key[privatePart], undefined, privatePart);
      assert.ok(Buffer.from(key['n'] ?? '', 'base64url').length >= 256, 'a 2048-bit modulus');
    });
  });
}

const POSTGRES = process.env['TEST_DATABASE_URL'] === undefined ? 'TEST_DATABASE_URL is not set' : false;

describe('MCP session tokens across replicas (postgres: one key for all)', { skip: POSTGRES }, () => {
  const shared = { AGENTGATE_ADMIN_CLIENT_ID: 'cli_mcp_replicas', AGENTGATE_ADMIN_CLIENT_SECRET: `sec_${unique('replicas')}_${unique('x')}`, AGENTGATE_PUBLIC_URL: 'http://agentgate.replicas.test' };
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let a: TestGateway;
  let b: TestGateway;

  before(async () => {
    scratch = await createScratchDatabase();
    [a, b] = await Promise.all([startTestGateway('postgres', { databaseUrl: scratch.url, env: shared }), startTestGateway('postgres', { databaseUrl: scratch.url, env: shared })]);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await scratch?.drop();
  });

  it('two replicas creating the key at once agree on it; a token minted by either is accepted by both', async () => {
    const tokenA = await a.tokenFor(shared.AGENTGATE_ADMIN_CLIENT_ID, shared.AGENTGATE_ADMIN_CLIENT_SECRET);
    const tokenB = await b.tokenFor(shared.AGENTGATE_ADMIN_CLIENT_ID, shared.AGENTGATE_ADMIN_CLIENT_SECRET);
    const connection = await a.api('POST', '/api/v1/connections', { connection: { provider: 'gmail', name: 'gmail', type: 'OAUTH', oauth_config: { client_id: 'a', client_secret: 'b' } } }, { token: tokenA });
    assert.equal(connection.status, 201, connection.text);
    const config = await createConfig(a, { name: 'replicated', connection_tool_mappings: [{ connection_name: 'gmail', tools: ['gmail_get_profile'] }] }, tokenA);
    // Neither replica has a key yet: both create one concurrently, and must end with the same.
    const [fromA, fromB] = await Promise.all([mintToken(a, config.id, 'user-1', undefined, tokenA), mintToken(b, config.id, 'user-1', undefined, tokenB)]);
    const [keysA, keysB] = await Promise.all([a.api('GET', '/keys', undefined, { token: null }), b.api('GET', '/keys', undefined, { token: null })]);
    assert.deepEqual(keysA.body, keysB.body);
    for (const [minted, by] of [[fromA, 'A'], [fromB, 'B']] as const) {
      for (const [gw, on] of [[a, 'A'], [b, 'B']] as const) {
        const answer = await postMcp(endpointOn(gw, config.mcp_server_url), `Bearer ${minted.token}`, LIST_TOOLS);
        assert.equal(answer.status, 200, `minted by ${by}, used on ${on}: ${JSON.stringify(answer.body)}`);
        assert.deepEqual(answer.body.result.tools.map((t: { name: string }) => t.name), ['gmail_get_profile']);
      }
    }
    const client = await connectMcp(endpointOn(b, fromA.mcp_server_url), fromA.token);
    try {
      assert.equal((await client.listTools()).tools.length, 1);
    } finally {
      await client.close();
    }
  });
});

/**
 * Wire shapes of the `actions` facade and the resource clients: what each method sends and how
 * the answer is converted, against the scripted {@link FakeGateway}.
 */

import * as assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'

import { AgentgateClient, NotFoundError } from '../src/index.js'
import { CLIENT_ID, CLIENT_SECRET, FakeGateway } from './fake-gateway.js'

const ACCOUNTS = '/api/v1/connected_accounts'
const WIRE_ACCOUNT = {
  id: 'ca_1',
  identifier: 'user_42',
  connection_name: 'gmail',
  connection_id: 'conn_1',
  provider: 'gmail',
  status: 'ACTIVE',
  authorization_type: 'OAUTH',
  scopes: ['mail'],
  token_expires_at: null,
  api_config: {},
  organization_id: null,
  user_id: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  last_used_at: null,
}

let gateway: FakeGateway
let client: AgentgateClient

beforeEach(async () => {
  gateway = await FakeGateway.start()
  client = new AgentgateClient({ envUrl: gateway.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, retryBaseMs: 1 })
})

afterEach(async () => {
  await gateway.close()
})

const sent = () => gateway.requests.map((r) => `${r.method} ${r.path}`)

describe('actions: connected accounts', () => {
  test('getConnectedAccount reads through the auth route and wraps the account', async () => {
    gateway.on('GET', `${ACCOUNTS}/auth`, {
      body: { connected_account: { ...WIRE_ACCOUNT, authorization_details: { oauth_token: { access_token: 'at', refresh_token: 'rt' } } } },
    })
    const { connectedAccount } = await client.actions.getConnectedAccount({ connectedAccountId: 'ca_1' })
    assert.equal(gateway.requests[0]?.query.toString(), 'id=ca_1')
    assert.deepEqual(connectedAccount.authorizationDetails.oauthToken, { accessToken: 'at', refreshToken: 'rt' })
  })

  test('listConnectedAccounts returns camelCase page fields', async () => {
    gateway.on('GET', ACCOUNTS, { body: { connected_accounts: [WIRE_ACCOUNT], total_size: 3, next_page_token: 'n', prev_page_token: 'p' } })
    const page = await client.actions.listConnectedAccounts({ connectionName: 'gmail' })
    assert.deepEqual(Object.keys(page).sort(), ['connectedAccounts', 'nextPageToken', 'prevPageToken', 'totalSize'])
    assert.equal(page.nextPageToken, 'n')
    assert.equal(page.connectedAccounts[0]?.connectionId, 'conn_1')
  })

  test('searchConnectedAccounts calls :search', async () => {
    gateway.on('GET', `${ACCOUNTS}:search`, { body: { connected_accounts: [], total_size: 0, next_page_token: '', prev_page_token: '' } })
    await client.actions.searchConnectedAccounts({ query: 'ali' })
    assert.deepEqual(sent(), [`GET ${ACCOUNTS}:search`])
    assert.equal(gateway.requests[0]?.query.get('query'), 'ali')
  })

  test('deleteConnectedAccount needs an id or connection + identifier', async () => {
    await assert.rejects(client.actions.deleteConnectedAccount({ connectionName: 'gmail' }), {
      message: 'either connectedAccountId or connectionName + identifier is required',
    })
    assert.equal(gateway.requests.length, 0)
    gateway.on('POST', `${ACCOUNTS}:delete`, { body: {} })
    await client.actions.deleteConnectedAccount({ connectionName: 'gmail', identifier: 'user_42' })
    assert.deepEqual(gateway.requests[0]?.json, { connection_name: 'gmail', identifier: 'user_42' })
  })

  test('update narrowed by organization resolves the id first', async () => {
    gateway.on('GET', `${ACCOUNTS}/details`, { body: { connected_account: WIRE_ACCOUNT } })
    gateway.on('PUT', ACCOUNTS, { body: { connected_account: WIRE_ACCOUNT } })
    await client.actions.updateConnectedAccount({ connectionName: 'gmail', identifier: 'user_42', organizationId: 'org_1', apiConfig: { v: 1 } })
    assert.deepEqual(sent(), [`GET ${ACCOUNTS}/details`, `PUT ${ACCOUNTS}`])
    assert.equal(gateway.requests[0]?.query.get('organization_id'), 'org_1')
    assert.deepEqual(gateway.requests[1]?.json, { id: 'ca_1', api_config: { v: 1 } })
  })

  test('disconnectConnectedAccount by name resolves the id, then calls :disconnect', async () => {
    gateway.on('GET', `${ACCOUNTS}/details`, { body: { connected_account: WIRE_ACCOUNT } })
    gateway.on('POST', `${ACCOUNTS}/ca_1:disconnect`, { body: { connected_account: { ...WIRE_ACCOUNT, status: 'DISCONNECTED' } } })
    const { connectedAccount } = await client.actions.disconnectConnectedAccount({ connectionName: 'gmail', identifier: 'user_42' })
    assert.equal(connectedAccount.status, 'DISCONNECTED')
    assert.deepEqual(sent(), [`GET ${ACCOUNTS}/details`, `POST ${ACCOUNTS}/ca_1:disconnect`])
  })

  test('getAuthorizationLink posts to magic_link', async () => {
    gateway.on('POST', `${ACCOUNTS}/magic_link`, { body: { link: 'https://gw/connect/x', expiry: '2026-01-01T00:10:00Z' } })
    const link = await client.actions.getAuthorizationLink({
      connectionName: 'gmail',
      identifier: 'user_42',
      state: 's1',
      userVerifyUrl: 'https://app/verify',
    })
    assert.deepEqual(link, { link: 'https://gw/connect/x', expiry: '2026-01-01T00:10:00Z' })
    assert.deepEqual(gateway.requests[0]?.json, { connection_name: 'gmail', identifier: 'user_42', state: 's1', user_verify_url: 'https://app/verify' })
  })

  test('verifyConnectedAccountUser posts to user/verify', async () => {
    gateway.on('POST', `${ACCOUNTS}/user/verify`, { body: { post_user_verify_redirect_url: 'https://app/done' } })
    const result = await client.actions.verifyConnectedAccountUser({ authRequestId: ' req_1 ', identifier: 'user_42' })
    assert.deepEqual(result, { postUserVerifyRedirectUrl: 'https://app/done' })
    assert.deepEqual(gateway.requests[0]?.json, { auth_request_id: 'req_1', identifier: 'user_42' })
    await assert.rejects(client.actions.verifyConnectedAccountUser({ authRequestId: '', identifier: 'u' }), { message: 'authRequestId is required' })
  })

  test('refreshConnectedAccount resolves the id via details, then calls :refresh', async () => {
    gateway.on('GET', `${ACCOUNTS}/details`, { body: { connected_account: WIRE_ACCOUNT } })
    gateway.on('POST', `${ACCOUNTS}/ca_1:refresh`, { body: { connected_account: WIRE_ACCOUNT } })
    await client.actions.refreshConnectedAccount({ connectionName: 'gmail', identifier: 'user_42' })
    assert.deepEqual(sent(), [`GET ${ACCOUNTS}/details`, `POST ${ACCOUNTS}/ca_1:refresh`])
  })

  test('a route the server does not have yet surfaces as NotFoundError', async () => {
    const error = await client.actions.refreshConnectedAccount({ connectedAccountId: 'ca_1' }).catch((e: unknown) => e)
    assert.ok(error instanceof NotFoundError)
    assert.equal(error.code, 'route_not_found')
  })
})

describe('actions: tools and proxy', () => {
  test('executeTool sends tool_name + params verbatim and returns data + executionId', async () => {
    gateway.on('POST', '/api/v1/execute_tool', { body: { data: { next_page_token: 'x', messages: [] }, execution_id: 'exe_9' } })
    const result = await client.actions.executeTool({
      toolName: 'gmail_fetch_mails',
      toolInput: { max_results: 5, labelIds: ['INBOX'] },
      connectionName: 'gmail',
      identifier: 'user_42',
      agentRunId: 'run_1',
    })
    assert.deepEqual(gateway.requests[0]?.json, {
      tool_name: 'gmail_fetch_mails',
      params: { max_results: 5, labelIds: ['INBOX'] },
      connection_name: 'gmail',
      identifier: 'user_42',
      agent_run_id: 'run_1',
    })
    assert.deepEqual(result, { data: { next_page_token: 'x', messages: [] }, executionId: 'exe_9' })
    await assert.rejects(client.actions.executeTool({ toolName: ' ', toolInput: {} }), { message: 'toolName is required' })
  })

  test('listTools and listScopedTools use repeated query keys', async () => {
    gateway.on('GET', '/api/v1/tools', { body: { tools: [], tool_names: ['a'], total_size: 1, next_page_token: '', prev_page_token: '' } })
    gateway.on('GET', '/api/v1/tools/scoped', {
      body: { tools: [{ tool: { id: 't', definition: { name: 'n', input_schema: { properties: { max_results: {} } } } }, identifier: 'u', connected_account_id: 'ca_1' }] },
    })
    const page = await client.actions.listTools({ toolNames: ['a', 'b'], summary: true })
    assert.deepEqual(page.toolNames, ['a'])
    assert.equal(gateway.requests[0]?.query.toString(), 'summary=true&tool_name=a&tool_name=b')
    const scoped = await client.actions.listScopedTools({ identifier: 'u', connectionNames: ['gmail', 'slack'] })
    assert.equal(gateway.requests[1]?.query.toString(), 'identifier=u&connection_names=gmail&connection_names=slack')
    assert.equal(scoped.tools[0]?.connectedAccountId, 'ca_1')
    assert.deepEqual(scoped.tools[0]?.tool.definition.inputSchema, { properties: { max_results: {} } })
  })

  test('request proxies with connection_name and identifier headers', async () => {
    gateway.on('POST', '/proxy/gmail/v1/users/me/messages', (request) => ({
      status: 200,
      headers: { 'x-upstream': 'yes' },
      body: { echoed: request.json },
    }))
    const response = await client.actions.request({
      connectionName: 'gmail',
      identifier: 'user_42',
      path: 'gmail/v1/users/me/messages',
      method: 'post',
      queryParams: { q: 'from:me', labelIds: ['A', 'B'] },
      body: { raw_field: 1 },
      headers: { identifier: 'someone_else', 'x-custom': 'c' },
    })
    const request = gateway.requests[0]
    assert.equal(request?.headers['connection_name'], 'gmail')
    assert.equal(request?.headers['identifier'], 'user_42')
    assert.equal(request?.headers['x-custom'], 'c')
    assert.equal(request?.query.toString(), 'q=from%3Ame&labelIds=A&labelIds=B')
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('x-upstream'), 'yes')
    assert.deepEqual(await response.json(), { echoed: { raw_field: 1 } })
    assert.equal(await response.text(), '{"echoed":{"raw_field":1}}')
  })

  test('request raises upstream errors as typed errors and checks its inputs first', async () => {
    gateway.on('GET', '/proxy/missing', { status: 404, body: 'Not Found' })
    const error = await client.actions.request({ connectionName: 'gmail', identifier: 'u', path: '/missing' }).catch((e: unknown) => e)
    assert.ok(error instanceof NotFoundError)
    assert.equal(error.code, 'http_404')
    const before = gateway.requests.length
    await assert.rejects(client.actions.request({ connectionName: '', identifier: 'u', path: '/x' }), { message: 'connectionName is required' })
    await assert.rejects(client.actions.request({ connectionName: 'g', identifier: 'u', path: ' ' }), { message: 'path is required' })
    assert.equal(gateway.requests.length, before)
  })
})

describe('resource clients', () => {
  test('connections: create wraps the input, enable posts :enable, names are path-encoded', async () => {
    const wire = { id: 'conn_1', name: 'my.gmail', connection_name: 'my.gmail', provider: 'gmail', type: 'OAUTH', enabled: true, status: 'DRAFT', api_config: {}, created_at: 'x', updated_at: 'x' }
    gateway.on('POST', '/api/v1/connections', { status: 201, body: { connection: wire } })
    gateway.on('POST', '/api/v1/connections/my.gmail:enable', { body: { connection: wire } })
    const created = await client.connections.create({
      provider: 'gmail',
      name: 'my.gmail',
      oauthConfig: { clientId: 'id', extraAuthorizeParams: { login_hint: 'x' } },
    })
    assert.deepEqual(gateway.requests[0]?.json, {
      connection: { provider: 'gmail', name: 'my.gmail', oauth_config: { client_id: 'id', extra_authorize_params: { login_hint: 'x' } } },
    })
    assert.equal(created.connectionName, 'my.gmail')
    await client.connections.enable('my.gmail')
    assert.equal(gateway.requests[1]?.path, '/api/v1/connections/my.gmail:enable')
  })

  test('events: dates become RFC 3339 and event data keeps its keys', async () => {
    gateway.on('POST', '/api/v1/events', {
      body: { events: [{ id: 'evt_1', type: 'connected_account.status_updated', occurred_at: 't', environment_id: 'env_1', object: 'connected_account', data: { old_status: 'ACTIVE' } }], total_size: 1, next_page_token: '' },
    })
    const page = await client.events.list({ eventTypes: ['connected_account.status_updated'], startTime: new Date('2026-01-01T00:00:00Z') })
    assert.deepEqual(gateway.requests[0]?.json, { event_types: ['connected_account.status_updated'], start_time: '2026-01-01T00:00:00.000Z' })
    assert.deepEqual(page.events[0]?.data, { old_status: 'ACTIVE' })
    assert.equal(page.events[0]?.environmentId, 'env_1')
  })

  test('settings: update sends snake_case', async () => {
    gateway.on('PATCH', '/api/v1/settings', (request) => ({ body: { settings: { user_verification: 'none', ...(request.json as object) } } }))
    const settings = await client.settings.update({ tokenRetrievalEnabled: true })
    assert.deepEqual(gateway.requests[0]?.json, { token_retrieval_enabled: true })
    assert.equal(settings.tokenRetrievalEnabled, true)
  })

  test('providers: authorize_params are kept verbatim', async () => {
    gateway.on('GET', '/api/v1/providers/google', {
      body: { provider: { key: 'google', display_name: 'Google', oauth: { authorize_url: 'u', authorize_params: { access_type: 'offline' } }, api: { base_url: 'b' } } },
    })
    const provider = await client.providers.get('google')
    assert.equal(provider.displayName, 'Google')
    assert.deepEqual(provider.oauth?.authorizeParams, { access_type: 'offline' })
    assert.equal(provider.api.baseUrl, 'b')
  })
})

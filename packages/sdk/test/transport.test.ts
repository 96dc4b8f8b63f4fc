/**
 * Transport behaviour of the SDK: token handling, retries, timeouts, typed errors, query
 * encoding, and the get-or-create algorithm, against the scripted {@link FakeGateway}.
 */

import * as assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, test } from 'node:test'

import {
  AgentgateClient,
  AgentgateError,
  AgentgateTimeoutError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  SDK_VERSION,
  ServerError,
  ServiceUnavailableError,
  ToolError,
  UnauthorizedError,
  isAgentgateError,
  isNotFoundError,
  isToolError,
  type AgentgateClientOptions,
} from '../src/index.js'
import { backoffDelay } from '../src/retry.js'
import { CLIENT_ID, CLIENT_SECRET, FakeGateway } from './fake-gateway.js'

const SETTINGS = { settings: { user_verification: 'none', token_retrieval_enabled: false, proxy_enabled: false, allowed_redirect_origins: [] } }
const ACCOUNTS = '/api/v1/connected_accounts'

const WIRE_ACCOUNT = {
  id: 'ca_1',
  identifier: 'user_42',
  connection_name: 'gmail',
  connection_id: 'conn_1',
  provider: 'gmail',
  status: 'ACTIVE',
  authorization_type: 'OAUTH',
  scopes: [],
  token_expires_at: null,
  api_config: { base_url: 'https://example.test', tenant_name: 'acme' },
  organization_id: null,
  user_id: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  last_used_at: null,
}

let gateway: FakeGateway

beforeEach(async () => {
  gateway = await FakeGateway.start()
  gateway.on('GET', '/api/v1/settings', { body: SETTINGS })
})

afterEach(async () => {
  await gateway.close()
})

function client(options: Partial<AgentgateClientOptions> = {}): AgentgateClient {
  return new AgentgateClient({ envUrl: gateway.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, retryBaseMs: 5, ...options })
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  assert.fail('expected the call to be rejected')
}

describe('constructor', () => {
  const valid = { envUrl: 'https://agentgate.example.com/', clientId: 'cli_1', clientSecret: 's' }

  test('rejects an envUrl that is not an http(s) URL', () => {
    assert.throws(() => new AgentgateClient({ ...valid, envUrl: 'agentgate.example.com' }), TypeError)
    assert.throws(() => new AgentgateClient({ ...valid, envUrl: '' }), TypeError)
    assert.throws(() => new AgentgateClient({ ...valid, envUrl: 'ftp://agentgate.example.com' }), /http or https/)
  })

  for (const name of ['timeoutMs', 'toolTimeoutMs'] as const) {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      test(`rejects ${name} = ${bad}`, () => {
        assert.throws(() => new AgentgateClient({ ...valid, [name]: bad }), (error: unknown) => {
          assert.ok(error instanceof RangeError)
          assert.match(error.message, new RegExp(name))
          return true
        })
      })
    }
  }

  test('rejects missing credentials', () => {
    assert.throws(() => new AgentgateClient({ ...valid, clientId: '' }), /clientId is required/)
    assert.throws(() => new AgentgateClient({ ...valid, clientSecret: ' ' }), /clientSecret is required/)
  })

  test('accepts valid options, normalizes the URL and does no I/O', () => {
    const built = client({ envUrl: `${gateway.url}/` })
    assert.equal(built.envUrl, gateway.url)
    for (const part of ['actions', 'connectedAccounts', 'connections', 'providers', 'events', 'settings'] as const) {
      assert.ok(built[part], part)
    }
    assert.equal(gateway.tokenRequests.length, 0)
    assert.equal(gateway.requests.length, 0)
  })
})

describe('token', () => {
  test('is fetched once, by form-encoded client credentials, for concurrent first calls', async () => {
    const sdk = client()
    const results = await Promise.all(Array.from({ length: 5 }, () => sdk.settings.get()))
    assert.equal(results.length, 5)
    assert.equal(results[0]?.userVerification, 'none')
    assert.equal(gateway.tokenRequests.length, 1)

    const tokenRequest = gateway.tokenRequests[0]
    assert.equal(tokenRequest?.method, 'POST')
    assert.match(String(tokenRequest?.headers['content-type']), /^application\/x-www-form-urlencoded/)
    const form = new URLSearchParams(tokenRequest?.body)
    assert.equal(form.get('grant_type'), 'client_credentials')
    assert.equal(form.get('client_id'), CLIENT_ID)
    assert.equal(form.get('client_secret'), CLIENT_SECRET)

    assert.equal(gateway.requests.length, 5)
    for (const request of gateway.requests) assert.equal(request.headers.authorization, 'Bearer tok-1')
  })

  test('is cached across calls', async () => {
    const sdk = client()
    await sdk.settings.get()
    await sdk.settings.get()
    await sdk.settings.get()
    assert.equal(gateway.tokenRequests.length, 1)
  })

  test('is renewed when its lifetime has run out', async () => {
    gateway.tokenExpiresIn = 0
    const sdk = client()
    await sdk.settings.get()
    await sdk.settings.get()
    assert.equal(gateway.tokenRequests.length, 2)
    assert.deepEqual(gateway.requests.map((r) => r.headers.authorization), ['Bearer tok-1', 'Bearer tok-2'])
  })

  test('a 401 renews the token once and repeats the call once', async () => {
    const sdk = client()
    await sdk.settings.get()
    gateway.revokeTokens()
    const settings = await sdk.settings.get()
    assert.equal(settings.proxyEnabled, false)
    assert.equal(gateway.tokenRequests.length, 2)
    assert.deepEqual(gateway.requests.map((r) => r.headers.authorization), ['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2'])
  })

  test('concurrent calls that all see a 401 share one renewal', async () => {
    const sdk = client()
    await sdk.settings.get()
    gateway.revokeTokens()
    await Promise.all([sdk.settings.get(), sdk.settings.get(), sdk.settings.get()])
    assert.equal(gateway.tokenRequests.length, 2)
  })

  test('a second 401 surfaces as UnauthorizedError', async () => {
    gateway.on('GET', '/api/v1/settings', { status: 401, body: { error: { code: 'unauthenticated', message: 'nope' } } })
    const error = await rejection(client().settings.get())
    assert.ok(error instanceof UnauthorizedError)
    assert.equal(error.status, 401)
    assert.equal(error.code, 'unauthenticated')
    assert.equal(gateway.tokenRequests.length, 2)
    assert.equal(gateway.calls('/api/v1/settings').length, 2)
  })

  test('bad client credentials surface as UnauthorizedError without any API call', async () => {
    const error = await rejection(client({ clientSecret: 'wrong' }).settings.get())
    assert.ok(error instanceof UnauthorizedError)
    assert.equal(error.code, 'invalid_client')
    assert.equal(gateway.requests.length, 0)
  })

  test('requests carry the SDK user-agent and accept JSON', async () => {
    await client().settings.get()
    const request = gateway.requests[0]
    assert.match(String(request?.headers['user-agent']), /^agentgate-sdk\/\d+\.\d+\.\d+ node\/\d+\.\d+\.\d+$/)
    assert.equal(request?.headers['user-agent'], `agentgate-sdk/${SDK_VERSION} node/${process.versions.node}`)
    assert.equal(request?.headers.accept, 'application/json')
  })

  test('SDK_VERSION matches package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    assert.equal(SDK_VERSION, manifest.version)
  })
})

describe('retries', () => {
  const unavailable = { status: 503, body: { error: { code: 'unavailable', message: 'try later' } } }

  test('503 is retried with jittered backoff, then succeeds', async () => {
    gateway.on('GET', '/api/v1/settings', [unavailable, unavailable, { body: SETTINGS }])
    const started = performance.now()
    const settings = await client({ retryBaseMs: 20 }).settings.get()
    const elapsed = performance.now() - started
    assert.equal(settings.userVerification, 'none')
    assert.equal(gateway.calls('/api/v1/settings').length, 3)
    // Two waits of at least half their ceiling: 20·2^0·0.5 + 20·2^1·0.5 = 30 ms.
    assert.ok(elapsed >= 29, `expected at least 30 ms of backoff, got ${elapsed}`)
  })

  test('backoff is min(base·2^attempt, 30 s) times a jitter in [0.5, 1)', () => {
    const policy = { baseMs: 1000, maxMs: 30_000 }
    assert.equal(backoffDelay(0, { ...policy, random: () => 0 }), 500)
    assert.equal(backoffDelay(2, { ...policy, random: () => 0 }), 2000)
    assert.ok(backoffDelay(2, { ...policy, random: () => 0.999999 }) < 4000)
    assert.ok(backoffDelay(2, { ...policy, random: () => 0.999999 }) > 3999)
    assert.equal(backoffDelay(10, { ...policy, random: () => 0 }), 15_000)
    const delays = Array.from({ length: 200 }, () => backoffDelay(1, { ...policy, random: Math.random }))
    assert.ok(delays.every((d) => d >= 1000 && d < 2000))
    assert.ok(new Set(delays).size > 1, 'jitter must vary')
  })

  test('503 exhausted after 3 retries → ServiceUnavailableError', async () => {
    gateway.on('GET', '/api/v1/settings', unavailable)
    const error = await rejection(client().settings.get())
    assert.ok(error instanceof ServiceUnavailableError)
    assert.ok(error instanceof ServerError)
    assert.equal(error.code, 'unavailable')
    assert.equal(gateway.calls('/api/v1/settings').length, 4)
  })

  test('Retry-After is honoured', async () => {
    gateway.on('GET', '/api/v1/settings', [{ ...unavailable, headers: { 'retry-after': '1' } }, { body: SETTINGS }])
    const started = performance.now()
    await client({ retryBaseMs: 1 }).settings.get()
    assert.ok(performance.now() - started >= 950, 'waited for Retry-After: 1')
    assert.equal(gateway.calls('/api/v1/settings').length, 2)
  })

  test('a Retry-After longer than the backoff cap is raised at once', async () => {
    gateway.on('GET', '/api/v1/settings', { ...unavailable, headers: { 'retry-after': '120' } })
    const error = await rejection(client().settings.get())
    assert.ok(error instanceof ServiceUnavailableError)
    assert.equal(error.retryAfter, 120)
    assert.equal(gateway.calls('/api/v1/settings').length, 1)
  })

  const execute = () => client().actions.executeTool({ toolName: 'gmail_send_email', toolInput: { to: 'a@example.com' }, identifier: 'u' })
  const EXECUTE = '/api/v1/execute_tool'

  test('a write is not repeated after a 503 the gateway did not send before work (a proxy page after forwarding)', async () => {
    const proxyPage = { status: 503, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>' }
    for (const reply of [proxyPage, unavailable]) {
      const before = gateway.calls(EXECUTE).length
      gateway.on('POST', EXECUTE, reply)
      const error = await rejection(execute())
      assert.ok(error instanceof ServiceUnavailableError, String(error))
      assert.equal(gateway.calls(EXECUTE).length - before, 1, 'sent once')
    }
  })

  test("a write is retried after the gateway's own 503 sent before any work (not_ready, token_refresh_unavailable)", async () => {
    for (const code of ['not_ready', 'token_refresh_unavailable']) {
      const before = gateway.calls(EXECUTE).length
      gateway.on('POST', EXECUTE, [{ status: 503, body: { error: { code, message: 'x' } } }, { body: { data: { id: 'm1' }, execution_id: 'exec_1' } }])
      assert.equal((await execute()).executionId, 'exec_1')
      assert.equal(gateway.calls(EXECUTE).length - before, 2, `${code}: retried once`)
    }
  })

  test('a read is retried after any 503 that is not a tool error, a proxy page included', async () => {
    gateway.on('GET', '/api/v1/settings', [{ status: 503, headers: { 'content-type': 'text/html' }, body: '<html>503</html>' }, { body: SETTINGS }])
    await client().settings.get()
    assert.equal(gateway.calls('/api/v1/settings').length, 2)
  })

  test('429 is not retried and carries retryAfter', async () => {
    gateway.on('GET', '/api/v1/settings', {
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { code: 'rate_limited', message: 'slow down' } },
    })
    const error = await rejection(client().settings.get())
    assert.ok(error instanceof RateLimitedError)
    assert.equal(error.retryAfter, 7)
    assert.equal(error.code, 'rate_limited')
    assert.equal(gateway.calls('/api/v1/settings').length, 1)
  })
})

describe('errors', () => {
  test('404 → NotFoundError with the server code, message and request id', async () => {
    gateway.on('GET', '/api/v1/connections/nope', {
      status: 404,
      headers: { 'x-request-id': 'req_123' },
      body: { error: { code: 'connection_not_found', message: 'No connection named nope', details: { name: 'nope' } } },
    })
    const error = await rejection(client().connections.get('nope'))
    assert.ok(error instanceof NotFoundError)
    assert.ok(error instanceof AgentgateError)
    assert.equal(error.code, 'connection_not_found')
    assert.equal(error.message, 'No connection named nope')
    assert.deepEqual(error.details, { name: 'nope' })
    assert.equal(error.requestId, 'req_123')
    assert.ok(isNotFoundError(error))
    assert.ok(isAgentgateError(error))
    assert.equal(isToolError(error), false)
  })

  const cases = [
    [400, BadRequestError],
    [403, ForbiddenError],
    [409, ConflictError],
    [413, PayloadTooLargeError],
    [500, ServerError],
    [502, ServerError],
  ] as const
  for (const [status, ErrorClass] of cases) {
    test(`${status} with a non-JSON body → ${ErrorClass.name} with code http_${status}`, async () => {
      gateway.on('GET', '/api/v1/settings', { status, body: '<html>upstream broke</html>' })
      const error = await rejection(client().settings.get())
      assert.ok(error instanceof ErrorClass, `got ${String(error)}`)
      assert.equal((error as AgentgateError).status, status)
      assert.equal((error as AgentgateError).code, `http_${status}`)
      assert.equal(gateway.calls('/api/v1/settings').length, 1)
    })
  }

  const toolFailure = (status: number) => ({
    status,
    body: {
      error: {
        code: 'tool_error',
        message: 'Gmail answered 503',
        details: {
          tier: 'provider',
          fix: 'Retry later.',
          tool_error: { execution_id: 'exe_1', kind: 'upstream_error', upstream_status: status, provider_code: 'backendError', message: 'Backend Error' },
        },
      },
    },
  })

  test('tool_error → ToolError, never retried even on 503', async () => {
    gateway.on('POST', '/api/v1/execute_tool', toolFailure(503))
    const error = await rejection(client().actions.executeTool({ toolName: 'gmail_fetch_mails', toolInput: {}, connectedAccountId: 'ca_1' }))
    assert.ok(error instanceof ToolError)
    assert.ok(isToolError(error))
    assert.equal(isNotFoundError(error), false)
    assert.equal(error.details.tool_error.execution_id, 'exe_1')
    assert.equal(error.details.tier, 'provider')
    assert.equal(error.executionId, 'exe_1')
    assert.equal(error.upstreamStatus, 503)
    assert.equal(error.toolErrorCode, 'backendError')
    assert.equal(error.toolErrorMessage, 'Backend Error')
    assert.equal(error.tier, 'provider')
    assert.equal(gateway.calls('/api/v1/execute_tool').length, 1)
  })

  test('a tool_error 401 (upstream token refused) does not renew the client token', async () => {
    gateway.on('POST', '/api/v1/execute_tool', toolFailure(401))
    const error = await rejection(client().actions.executeTool({ toolName: 'gmail_fetch_mails', toolInput: {}, connectedAccountId: 'ca_1' }))
    assert.ok(isToolError(error))
    assert.equal(gateway.tokenRequests.length, 1)
    assert.equal(gateway.calls('/api/v1/execute_tool').length, 1)
  })

  test('a slow answer → AgentgateTimeoutError after timeoutMs', async () => {
    gateway.on('GET', '/api/v1/settings', { delayMs: 500, body: SETTINGS })
    const started = performance.now()
    const error = await rejection(client({ timeoutMs: 50 }).settings.get())
    assert.ok(error instanceof AgentgateTimeoutError)
    assert.equal(error.timeoutMs, 50)
    assert.ok(performance.now() - started < 450, 'gave up before the answer came')
  })

  test('tool runs use toolTimeoutMs, not timeoutMs', async () => {
    gateway.on('POST', '/api/v1/execute_tool', { delayMs: 500, body: { data: {}, execution_id: 'exe_1' } })
    const error = await rejection(
      client({ timeoutMs: 10_000, toolTimeoutMs: 50 }).actions.executeTool({ toolName: 't', toolInput: {}, connectedAccountId: 'ca_1' }),
    )
    assert.ok(error instanceof AgentgateTimeoutError)
    assert.equal(error.timeoutMs, 50)
  })
})

describe('getOrCreate', () => {
  const notFound = { status: 404, body: { error: { code: 'connected_account_not_found', message: 'none' } } }

  test('not found → create with an empty OAuth token', async () => {
    gateway.on('GET', `${ACCOUNTS}/auth`, notFound)
    gateway.on('POST', ACCOUNTS, { status: 201, body: { connected_account: { ...WIRE_ACCOUNT, status: 'PENDING_AUTH' } } })
    const account = await client().connectedAccounts.getOrCreate({ connectionName: 'gmail', identifier: 'user_42', organizationId: 'org_1' })

    assert.deepEqual(gateway.requests.map((r) => `${r.method} ${r.path}`), [`GET ${ACCOUNTS}/auth`, `POST ${ACCOUNTS}`])
    const lookup = gateway.requests[0]
    assert.equal(lookup?.query.get('connection_name'), 'gmail')
    assert.equal(lookup?.query.get('identifier'), 'user_42')
    assert.equal(lookup?.query.get('organization_id'), 'org_1')
    assert.deepEqual(gateway.requests[1]?.json, {
      connection_name: 'gmail',
      identifier: 'user_42',
      organization_id: 'org_1',
      authorization_details: { oauth_token: {} },
    })
    assert.equal(account.status, 'PENDING_AUTH')
    assert.equal(account.connectionName, 'gmail')
  })

  test('found without credentials → returned as read, nothing written', async () => {
    gateway.on('GET', `${ACCOUNTS}/auth`, { body: { connected_account: { ...WIRE_ACCOUNT, authorization_details: { oauth_token: { access_token: '' } } } } })
    const account = await client().connectedAccounts.getOrCreate({ connectionName: 'gmail', identifier: 'user_42' })
    assert.deepEqual(gateway.requests.map((r) => `${r.method} ${r.path}`), [`GET ${ACCOUNTS}/auth`])
    assert.equal(account.id, 'ca_1')
    // Free-form api_config keeps its wire keys; the rest is camelCase.
    assert.deepEqual(account.apiConfig, { base_url: 'https://example.test', tenant_name: 'acme' })
    assert.equal(account.authorizationType, 'OAUTH')
  })

  test('found with credentials → update applies them whatever the status', async () => {
    gateway.on('GET', `${ACCOUNTS}/auth`, { body: { connected_account: { ...WIRE_ACCOUNT, status: 'EXPIRED' } } })
    gateway.on('PUT', ACCOUNTS, { body: { connected_account: WIRE_ACCOUNT } })
    const account = await client().connectedAccounts.upsert({
      connectionName: 'gmail',
      identifier: 'user_42',
      authorizationDetails: { staticAuth: { api_key: 'k_1', subDomain: 'acme' } },
      apiConfig: { base_url: 'https://eu.example.test' },
    })
    assert.deepEqual(gateway.requests.map((r) => `${r.method} ${r.path}`), [`GET ${ACCOUNTS}/auth`, `PUT ${ACCOUNTS}`])
    assert.deepEqual(gateway.requests[1]?.json, {
      id: 'ca_1',
      authorization_details: { static_auth: { api_key: 'k_1', subDomain: 'acme' } },
      api_config: { base_url: 'https://eu.example.test' },
    })
    assert.equal(account.status, 'ACTIVE')
  })

  test('other errors are rethrown without creating', async () => {
    gateway.on('GET', `${ACCOUNTS}/auth`, { status: 403, body: { error: { code: 'forbidden', message: 'no' } } })
    const error = await rejection(client().connectedAccounts.getOrCreate({ connectionName: 'gmail', identifier: 'user_42' }))
    assert.ok(error instanceof ForbiddenError)
    assert.deepEqual(gateway.requests.map((r) => `${r.method} ${r.path}`), [`GET ${ACCOUNTS}/auth`])
  })

  test('missing connectionName or identifier throws before any network call', async () => {
    const sdk = client()
    await assert.rejects(sdk.connectedAccounts.getOrCreate({ connectionName: '', identifier: 'u' }), { message: 'connectionName is required' })
    await assert.rejects(sdk.actions.getOrCreateConnectedAccount({ connectionName: 'gmail', identifier: '  ' }), {
      message: 'identifier is required',
    })
    assert.equal(gateway.tokenRequests.length, 0)
    assert.equal(gateway.requests.length, 0)
  })
})

describe('query encoding', () => {
  test('arrays become repeated keys; blanks are left out; strings are trimmed', async () => {
    gateway.on('GET', ACCOUNTS, { body: { connected_accounts: [WIRE_ACCOUNT], total_size: 1, next_page_token: '', prev_page_token: '' } })
    const page = await client().connectedAccounts.list({
      connectionNames: ['gmail', ' slack ', ''],
      identifier: '   ',
      provider: ' gmail ',
      query: undefined,
      pageSize: 10,
    })
    const request = gateway.requests[0]
    assert.deepEqual(request?.query.getAll('connection_names'), ['gmail', 'slack'])
    assert.equal(request?.query.has('identifier'), false)
    assert.equal(request?.query.has('query'), false)
    assert.equal(request?.query.get('provider'), 'gmail')
    assert.equal(request?.query.get('page_size'), '10')
    assert.equal(request?.query.toString(), 'connection_names=gmail&connection_names=slack&provider=gmail&page_size=10')
    assert.equal(page.totalSize, 1)
    assert.equal(page.connectedAccounts[0]?.connectionName, 'gmail')
  })
})

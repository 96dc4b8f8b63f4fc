/**
 * Tool routes of the SDK against the documented wire contract, served by the scripted
 * {@link FakeGateway}: what each tool method sends, how answers are converted, and how tool
 * failures map to typed errors (never retried, never renewing the SDK's own token). The fake is
 * used because the failure modes (a provider's 401/403/429/503 relayed as `tool_error`) cannot be
 * produced on demand by a real gateway without a provider; the end-to-end tests of the real
 * gateway live with the server.
 */

import * as assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'

import {
  AccountNotActiveError,
  AgentgateClient,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  ToolError,
  ToolForbiddenError,
  ToolRateLimitError,
  ToolUnauthorizedError,
  UnauthorizedError,
  isNotFoundError,
  isToolError,
} from '../src/index.js'
import { CLIENT_ID, CLIENT_SECRET, FakeGateway, type Reply } from './fake-gateway.js'

const EXECUTE = '/api/v1/execute_tool'

const WIRE_TOOL = {
  id: 'tool_1',
  provider: 'gmail',
  definition: {
    name: 'gmail_fetch_mails',
    description: 'List messages in the mailbox, newest first.',
    input_schema: { type: 'object', properties: { max_results: { type: 'integer' }, page_token: { type: 'string' } }, required: ['max_results'] },
    annotations: { title: 'Fetch Gmail messages', read_only_hint: true, destructive_hint: false, idempotent_hint: true, open_world_hint: true },
  },
  metadata: {
    tool_version: '1',
    required_scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
    method: 'GET',
    pagination: { input: 'page_token', output: 'next_page_token' },
  },
  tags: ['email'],
  is_default: true,
}

const WIRE_LOG = {
  id: 'tcl_1',
  execution_id: 'exe_1',
  environment_id: 'env_1',
  agent_run_id: 'run_1',
  tool_name: 'gmail_fetch_mails',
  tool_version: '1',
  provider: 'gmail',
  connected_account_id: 'ca_1',
  connection_id: 'conn_1',
  connection_name: 'gmail',
  identifier: 'user_42',
  source: 'api',
  status: 'FAILED',
  error_tier: 'provider',
  error_code: 'tool_error',
  error_message: 'Rate limit exceeded',
  upstream_status: 429,
  attempts: 3,
  duration_ms: 812,
  started_at: '2026-01-01T00:00:00.000Z',
  payload: { params: { max_results: 5 }, data: null },
}

/** A `tool_error` answer exactly as the contract documents it. */
function toolFailure(status: number, toolError: Record<string, unknown>, extra: { headers?: Record<string, string>; tier?: string } = {}): Reply {
  return {
    status,
    ...(extra.headers === undefined ? {} : { headers: extra.headers }),
    body: {
      error: {
        code: 'tool_error',
        message: String(toolError['message'] ?? 'The provider failed the tool call.'),
        details: {
          tier: extra.tier ?? 'provider',
          fix: 'Do the documented thing.',
          tool_error: { execution_id: 'exe_42', upstream_status: status, provider_code: null, message: 'upstream said no', ...toolError },
        },
      },
    },
  }
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

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  assert.fail('expected the call to be rejected')
}

const run = () => client.actions.executeTool({ toolName: 'gmail_fetch_mails', toolInput: { max_results: 5 }, connectedAccountId: 'ca_1' })

describe('tool errors', () => {
  test('401 tool_error → ToolUnauthorizedError: no token renewal, no retry', async () => {
    gateway.on('POST', EXECUTE, toolFailure(401, { kind: 'unauthorized', provider_code: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' }))
    const error = await rejection(run())
    assert.ok(error instanceof ToolUnauthorizedError, `got ${String(error)}`)
    assert.ok(error instanceof UnauthorizedError, 'also the plain 401 class')
    assert.ok(error instanceof ToolError, 'instanceof ToolError through Symbol.hasInstance')
    assert.ok(isToolError(error))
    assert.equal(error.name, 'ToolUnauthorizedError')
    assert.equal(error.status, 401)
    assert.equal(error.code, 'tool_error')
    assert.equal(error.toolErrorKind, 'unauthorized')
    assert.equal(error.toolErrorCode, 'UNAUTHENTICATED')
    assert.equal(error.toolErrorMessage, 'Request had invalid authentication credentials.')
    assert.equal(error.upstreamStatus, 401)
    assert.equal(error.executionId, 'exe_42')
    assert.equal(error.tier, 'provider')
    assert.equal(error.fix, 'Do the documented thing.')
    assert.equal(gateway.tokenRequests.length, 1, 'the SDK token was not renewed')
    assert.equal(gateway.calls(EXECUTE).length, 1, 'the call was not repeated')
  })

  test('the gateway refusing the SDK token (401 unauthenticated) still renews once and repeats', async () => {
    gateway.on('POST', EXECUTE, { body: { data: { ok: true }, execution_id: 'exe_1' } })
    await run()
    gateway.revokeTokens()
    const result = await run()
    assert.deepEqual(result, { data: { ok: true }, executionId: 'exe_1' })
    assert.equal(gateway.tokenRequests.length, 2)
    assert.equal(gateway.calls(EXECUTE).length, 3)
  })

  test('503 tool_error is not retried (a plain 503 would be)', async () => {
    gateway.on('POST', EXECUTE, toolFailure(503, { kind: 'upstream_error', provider_code: 'backendError' }))
    const error = await rejection(run())
    assert.ok(error instanceof ToolError)
    assert.equal(error instanceof ServerError, false)
    assert.equal(error.toolErrorKind, 'upstream_error')
    assert.equal(gateway.calls(EXECUTE).length, 1)
  })

  test('429 tool_error → ToolRateLimitError with retryAfterSeconds, not retried', async () => {
    gateway.on('POST', EXECUTE, toolFailure(429, { kind: 'rate_limited', provider_code: 'rateLimitExceeded', retry_after_seconds: 17 }))
    const error = await rejection(run())
    assert.ok(error instanceof ToolRateLimitError, `got ${String(error)}`)
    assert.ok(error instanceof RateLimitedError)
    assert.ok(error instanceof ToolError)
    assert.equal(error.retryAfterSeconds, 17)
    assert.equal(error.retryAfter, 17)
    assert.equal(error.toolErrorCode, 'rateLimitExceeded')
    assert.equal(gateway.calls(EXECUTE).length, 1)
    assert.equal(gateway.tokenRequests.length, 1)
  })

  test('429 tool_error without retry_after_seconds falls back to Retry-After', async () => {
    gateway.on('POST', EXECUTE, toolFailure(429, { kind: 'rate_limited' }, { headers: { 'retry-after': '9' } }))
    const error = await rejection(run())
    assert.ok(error instanceof ToolRateLimitError)
    assert.equal(error.retryAfterSeconds, 9)
  })

  test('403 tool_error → ToolForbiddenError with missingScopes and requiredScopes', async () => {
    gateway.on(
      'POST',
      EXECUTE,
      toolFailure(403, {
        kind: 'forbidden',
        provider_code: 'PERMISSION_DENIED',
        required_scopes: ['gmail.readonly', 'gmail.modify'],
        missing_scopes: ['gmail.readonly', 'gmail.modify'],
      }),
    )
    const error = await rejection(run())
    assert.ok(error instanceof ToolForbiddenError, `got ${String(error)}`)
    assert.ok(error instanceof ForbiddenError)
    assert.ok(error instanceof ToolError)
    assert.deepEqual(error.missingScopes, ['gmail.readonly', 'gmail.modify'])
    assert.deepEqual(error.requiredScopes, ['gmail.readonly', 'gmail.modify'])
    assert.equal(error.toolErrorCode, 'PERMISSION_DENIED')
    assert.deepEqual(error.details.tool_error.missing_scopes, ['gmail.readonly', 'gmail.modify'])
  })

  test('other kinds are plain ToolErrors, never the gateway-level class of their status', async () => {
    gateway.on('POST', EXECUTE, [
      toolFailure(404, { kind: 'not_found', provider_code: 'notFound' }),
      toolFailure(504, { kind: 'timeout', upstream_status: null }, { tier: 'platform' }),
      toolFailure(400, { kind: 'bad_request' }),
    ])
    const notFound = await rejection(run())
    assert.ok(notFound instanceof ToolError)
    assert.equal(notFound instanceof NotFoundError, false)
    assert.equal(isNotFoundError(notFound), false)
    assert.equal(notFound.toolErrorKind, 'not_found')

    const timeout = await rejection(run())
    assert.ok(timeout instanceof ToolError)
    assert.equal(timeout.upstreamStatus, null)
    assert.equal(timeout.tier, 'platform')
    assert.equal(timeout.toolErrorKind, 'timeout')

    const badRequest = await rejection(run())
    assert.ok(badRequest instanceof ToolError)
    assert.equal(badRequest instanceof BadRequestError, false)
    assert.equal(gateway.calls(EXECUTE).length, 3)
  })

  test('a tool_error without kind takes it from the status; a sparse body still gives usable fields', async () => {
    gateway.on('POST', EXECUTE, { status: 429, body: { error: { code: 'tool_error', message: 'Slow down' } } })
    const error = await rejection(run())
    assert.ok(error instanceof ToolRateLimitError)
    assert.equal(error.toolErrorKind, 'rate_limited')
    assert.equal(error.toolErrorMessage, 'Slow down')
    assert.equal(error.executionId, '')
    assert.equal(error.toolErrorCode, null)
    assert.equal(error.upstreamStatus, null)
    assert.equal(error.tier, undefined)
    assert.equal(error.fix, '')
    assert.deepEqual(error.details.tool_error, {})
  })

  test('gateway refusals keep their plain classes: not a ToolError', async () => {
    gateway.on('POST', EXECUTE, [
      { status: 404, body: { error: { code: 'tool_not_found', message: 'No tool with that name (and version).' } } },
      { status: 400, body: { error: { code: 'validation_failed', message: 'The request is not valid.', details: { issues: [{ path: 'params.max_results', message: 'must be an integer' }] } } } },
    ])
    const unknown = await rejection(run())
    assert.ok(unknown instanceof NotFoundError)
    assert.ok(isNotFoundError(unknown))
    assert.equal(unknown instanceof ToolError, false)
    assert.equal(isToolError(unknown), false)
    assert.equal(unknown.code, 'tool_not_found')

    const invalid = await rejection(run())
    assert.ok(invalid instanceof BadRequestError)
    assert.deepEqual(invalid.details['issues'], [{ path: 'params.max_results', message: 'must be an integer' }])
  })

  test('409 account_not_active → AccountNotActiveError whose authorizationLink feeds getAuthorizationLink', async () => {
    gateway.on('POST', EXECUTE, {
      status: 409,
      body: {
        error: {
          code: 'account_not_active',
          message: 'The connected account is not ACTIVE, so it cannot be used.',
          details: {
            connected_account_id: 'ca_1',
            status: 'EXPIRED',
            fix: 'Send the user an authorization link.',
            authorization_link: { method: 'POST', path: '/api/v1/connected_accounts/magic_link', body: { connection_name: 'gmail', identifier: 'user_42' } },
          },
        },
      },
    })
    gateway.on('POST', '/api/v1/connected_accounts/magic_link', { body: { link: 'https://gw/connect/x', expiry: '2026-01-01T00:10:00Z' } })
    const error = await rejection(run())
    assert.ok(error instanceof AccountNotActiveError, `got ${String(error)}`)
    assert.ok(error instanceof ConflictError)
    assert.equal(isToolError(error), false)
    assert.equal(error.status, 409)
    assert.equal(error.accountStatus, 'EXPIRED')
    assert.equal(error.connectedAccountId, 'ca_1')
    assert.equal(error.fix, 'Send the user an authorization link.')
    assert.deepEqual(error.authorizationLink, {
      method: 'POST',
      path: '/api/v1/connected_accounts/magic_link',
      body: { connectionName: 'gmail', identifier: 'user_42' },
    })
    await client.actions.getAuthorizationLink(error.authorizationLink?.body ?? {})
    assert.deepEqual(gateway.calls('/api/v1/connected_accounts/magic_link')[0]?.json, { connection_name: 'gmail', identifier: 'user_42' })
  })
})

describe('tool routes', () => {
  test('executeTool sends the contract body: params (or toolInput), account, agent run, version', async () => {
    gateway.on('POST', EXECUTE, { body: { data: { messages: [{ thread_id: 't1' }] }, execution_id: 'exe_9' } })
    const result = await client.actions.executeTool<{ messages: { thread_id: string }[] }>({
      toolName: 'gmail_fetch_mails',
      params: { max_results: 5 },
      identifier: 'user_42',
      agentRunId: 'run_1',
      toolVersion: '2',
    })
    assert.deepEqual(gateway.requests[0]?.json, { tool_name: 'gmail_fetch_mails', params: { max_results: 5 }, identifier: 'user_42', agent_run_id: 'run_1', tool_version: '2' })
    assert.equal(result.data.messages[0]?.thread_id, 't1')
    assert.equal(result.executionId, 'exe_9')

    await client.actions.executeTool({ toolName: 'gmail_get_profile', connectedAccountId: 'ca_1' })
    assert.deepEqual(gateway.requests[1]?.json, { tool_name: 'gmail_get_profile', params: {}, connected_account_id: 'ca_1' })
    await assert.rejects(client.actions.executeTool({ toolName: 't', toolInput: { a: 1 }, params: { a: 2 } }), { message: 'give toolInput or params, not both' })
    assert.equal(gateway.requests.length, 2)
  })

  test('getTool reads one tool; metadata and annotations are camelCase, schemas verbatim', async () => {
    gateway.on('GET', '/api/v1/tools/gmail_fetch_mails', { body: { tool: WIRE_TOOL } })
    const { tool } = await client.actions.getTool('gmail_fetch_mails', { toolVersion: '1' })
    assert.equal(gateway.requests[0]?.query.toString(), 'tool_version=1')
    assert.deepEqual(tool.definition.annotations, { title: 'Fetch Gmail messages', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true })
    assert.deepEqual(tool.definition.inputSchema, WIRE_TOOL.definition.input_schema)
    assert.deepEqual(tool.metadata, {
      toolVersion: '1',
      requiredScopes: ['https://www.googleapis.com/auth/gmail.readonly'],
      method: 'GET',
      pagination: { input: 'page_token', output: 'next_page_token' },
    })
    assert.equal(tool.isDefault, true)

    const missing = await rejection(client.actions.getTool('nope_tool'))
    assert.ok(missing instanceof NotFoundError)
    await assert.rejects(client.actions.getTool(' '), { message: 'toolName is required' })
  })

  test('listTools sends repeated tool_name and returns tools or, with summary, tool names', async () => {
    gateway.on('GET', '/api/v1/tools', (request) => ({
      body:
        request.query.get('summary') === 'true'
          ? { tool_names: ['gmail_fetch_mails'], total_size: 1, next_page_token: '', prev_page_token: '' }
          : { tools: [WIRE_TOOL], total_size: 7, next_page_token: 'n2', prev_page_token: '' },
    }))
    const page = await client.actions.listTools({ provider: 'gmail', query: 'mail', toolNames: ['a', 'b'], pageSize: 5, pageToken: 'p1' })
    assert.equal(gateway.requests[0]?.query.toString(), 'provider=gmail&query=mail&page_size=5&page_token=p1&tool_name=a&tool_name=b')
    assert.equal(page.tools[0]?.definition.name, 'gmail_fetch_mails')
    assert.deepEqual([page.totalSize, page.nextPageToken, page.prevPageToken, page.toolNames], [7, 'n2', '', []])
    const summary = await client.tools.list({ summary: true })
    assert.deepEqual(summary.toolNames, ['gmail_fetch_mails'])
    assert.deepEqual(summary.tools, [])
  })

  test('listScopedTools sends plural repeated filters and returns the account of each tool', async () => {
    gateway.on('GET', '/api/v1/tools/scoped', {
      body: { tools: [{ tool: WIRE_TOOL, identifier: 'user_42', connected_account_id: 'ca_1', connection_name: 'gmail' }], total_size: 1, next_page_token: '', prev_page_token: '' },
    })
    const page = await client.actions.listScopedTools({ identifier: 'user_42', providers: ['gmail', 'slack'], toolNames: ['x'], connectionNames: ['gmail'], pageSize: 10 })
    assert.equal(gateway.requests[0]?.query.toString(), 'identifier=user_42&providers=gmail&providers=slack&tool_names=x&connection_names=gmail&page_size=10')
    assert.deepEqual(
      page.tools.map((t) => [t.tool.definition.name, t.identifier, t.connectedAccountId, t.connectionName]),
      [['gmail_fetch_mails', 'user_42', 'ca_1', 'gmail']],
    )
    await assert.rejects(client.actions.listScopedTools({ identifier: '' }), { message: 'identifier is required' })
  })

  test('listToolCallLogs sends every filter as a query parameter; getToolCallLog reads one', async () => {
    gateway.on('GET', '/api/v1/agentkit/tool_call_logs', { body: { tool_call_logs: [WIRE_LOG], next_page_token: 'n', prev_page_token: '' } })
    gateway.on('GET', '/api/v1/agentkit/tool_call_logs/exe_1', { body: { tool_call_log: WIRE_LOG } })
    const page = await client.actions.listToolCallLogs({
      connectedAccountId: 'ca_1',
      identifier: 'user_42',
      connectionName: 'gmail',
      agentRunId: 'run_1',
      toolName: 'gmail_fetch_mails',
      status: 'FAILED',
      provider: 'gmail',
      startTime: new Date('2026-01-01T00:00:00Z'),
      endTime: '2026-01-02T00:00:00Z',
      pageSize: 20,
      pageToken: 'p',
    })
    assert.deepEqual(Object.fromEntries(gateway.requests[0]?.query ?? []), {
      connected_account_id: 'ca_1',
      identifier: 'user_42',
      connection_name: 'gmail',
      agent_run_id: 'run_1',
      tool_name: 'gmail_fetch_mails',
      status: 'FAILED',
      provider: 'gmail',
      start_time: '2026-01-01T00:00:00.000Z',
      end_time: '2026-01-02T00:00:00Z',
      page_size: '20',
      page_token: 'p',
    })
    assert.deepEqual(Object.keys(page).sort(), ['nextPageToken', 'prevPageToken', 'toolCallLogs'])
    assert.equal(page.toolCallLogs[0]?.executionId, 'exe_1')
    assert.equal(page.toolCallLogs[0]?.durationMs, 812)

    const { toolCallLog } = await client.actions.getToolCallLog('exe_1')
    assert.equal(toolCallLog.errorTier, 'provider')
    assert.equal(toolCallLog.upstreamStatus, 429)
    assert.deepEqual(toolCallLog.payload, { params: { max_results: 5 }, data: null })
    await assert.rejects(client.actions.getToolCallLog(''), { message: 'executionId is required' })
  })
})

describe('proxy: the provider’s own answers', () => {
  const proxied = () => client.actions.request({ connectionName: 'gmail', identifier: 'user_42', path: '/gmail/v1/users/me/profile' })
  // The gateway marks every provider answer it relays with the call's execution id.
  const relayed = { 'x-agentgate-execution-id': 'exec_1' }

  test("the provider's 401 (even in the gateway's own error shape) neither renews the token nor repeats", async () => {
    gateway.on('GET', '/proxy/gmail/v1/users/me/profile', {
      status: 401,
      headers: relayed,
      body: { error: { code: 'unauthenticated', message: 'Request had invalid authentication credentials.' } },
    })
    const error = await rejection(proxied())
    assert.ok(error instanceof UnauthorizedError)
    assert.equal(gateway.tokenRequests.length, 1)
    assert.equal(gateway.calls('/proxy/gmail/v1/users/me/profile').length, 1)
  })

  test("the provider's 503 is not retried; the gateway's own not_ready is", async () => {
    gateway.on('GET', '/proxy/gmail/v1/users/me/profile', [
      { status: 503, headers: relayed, body: 'upstream overloaded' },
      { status: 503, body: { error: { code: 'not_ready', message: 'The gateway is not ready.' } } },
      { status: 200, headers: relayed, body: { emailAddress: 'a@b.c' } },
    ])
    const error = await rejection(proxied())
    assert.ok(error instanceof ServerError)
    assert.equal(gateway.calls('/proxy/gmail/v1/users/me/profile').length, 1)
    const response = await proxied()
    assert.deepEqual(await response.json(), { emailAddress: 'a@b.c' })
    assert.equal(response.executionId, 'exec_1')
    assert.equal(gateway.calls('/proxy/gmail/v1/users/me/profile').length, 3)
  })

  test("the gateway's own 401 on a proxied call renews the token once", async () => {
    gateway.on('GET', '/proxy/gmail/v1/users/me/profile', { status: 200, body: { emailAddress: 'a@b.c' } })
    await proxied()
    gateway.revokeTokens()
    const response = await proxied()
    assert.equal(response.status, 200)
    assert.equal(gateway.tokenRequests.length, 2)
  })
})

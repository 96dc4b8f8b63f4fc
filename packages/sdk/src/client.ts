/**
 * @module client — `AgentgateClient`, the SDK's entry point.
 */

import { ActionsClient } from './actions.js'
import { ConnectedAccountsClient } from './connected-accounts.js'
import { ConnectionsClient } from './connections.js'
import { EventsClient } from './events.js'
import { McpClient } from './mcp.js'
import { ProvidersClient } from './providers.js'
import { DEFAULT_RETRY_POLICY } from './retry.js'
import { SettingsClient } from './settings.js'
import { ToolsClient } from './tools.js'
import { Transport } from './transport.js'
import { WebhooksClient } from './webhooks.js'

/** Options of {@link AgentgateClient}. */
export interface AgentgateClientOptions {
  /** The gateway's base URL, e.g. `https://agentgate.example.com` (a path prefix is kept). */
  envUrl: string
  /** API client id (`cli_…`) of the environment. */
  clientId: string
  clientSecret: string
  /** Per-attempt timeout of control-plane calls, in ms. Default 20 000. */
  timeoutMs?: number | undefined
  /** Per-attempt timeout of tool runs and proxied requests, in ms. Default 60 000. */
  toolTimeoutMs?: number | undefined
  /** A `fetch` to use instead of the global one (tests, instrumentation, custom agents). */
  fetch?: typeof fetch | undefined
  /**
   * Base of the 503 backoff, in ms: retry n waits `min(retryBaseMs·2^n, 30000) × [0.5, 1)`.
   * Default 1000; lower it in tests.
   */
  retryBaseMs?: number | undefined
}

const DEFAULT_TIMEOUT_MS = 20_000
const DEFAULT_TOOL_TIMEOUT_MS = 60_000

/**
 * Client of one Agentgate environment. Construction does no I/O; the first call fetches a bearer
 * token with the client credentials.
 *
 * @example
 * ```ts
 * import { AgentgateClient } from '@agentgate/sdk'
 *
 * const client = new AgentgateClient({
 *   envUrl: process.env.AGENTGATE_URL ?? 'http://localhost:8080',
 *   clientId: process.env.AGENTGATE_CLIENT_ID ?? '',
 *   clientSecret: process.env.AGENTGATE_CLIENT_SECRET ?? '',
 * })
 * const { connectedAccount } = await client.actions.getOrCreateConnectedAccount({ connectionName: 'gmail', identifier: 'user_42' })
 * ```
 */
export class AgentgateClient {
  /** The normalized base URL (no trailing slash). */
  readonly envUrl: string
  /** The documented facade: accounts, authorization links, tools, proxy. */
  readonly actions: ActionsClient
  /** Low-level connected-account routes. */
  readonly connectedAccounts: ConnectedAccountsClient
  /** Connection configuration. */
  readonly connections: ConnectionsClient
  /** Connector catalog. */
  readonly providers: ProvidersClient
  /** Event log. */
  readonly events: EventsClient
  /** Environment settings. */
  readonly settings: SettingsClient
  /** Webhook endpoints, their delivery log and test events (verify requests with `verifyWebhookPayload`). */
  readonly webhooks: WebhooksClient
  /** Low-level tool routes: catalog, scoped tools, execution, call log (the facade is `actions`). */
  readonly tools: ToolsClient
  /** Virtual MCP servers: configs, session tokens for one end user, that user's account states. */
  readonly mcp: McpClient

  constructor(options: AgentgateClientOptions) {
    this.envUrl = normalizeEnvUrl(options.envUrl)
    const clientId = requireCredential(options.clientId, 'clientId')
    const clientSecret = requireCredential(options.clientSecret, 'clientSecret')
    const timeoutMs = positiveMs(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs')
    const toolTimeoutMs = positiveMs(options.toolTimeoutMs, DEFAULT_TOOL_TIMEOUT_MS, 'toolTimeoutMs')
    const retryBaseMs = options.retryBaseMs ?? DEFAULT_RETRY_POLICY.baseMs
    if (!Number.isFinite(retryBaseMs) || retryBaseMs < 0) {
      throw new RangeError(`retryBaseMs must be a finite number >= 0, got ${String(options.retryBaseMs)}`)
    }
    const fetchImpl = options.fetch ?? globalThis.fetch
    if (typeof fetchImpl !== 'function') throw new TypeError('no fetch available: pass options.fetch (Node 20+ has one built in)')

    const transport = new Transport({
      envUrl: this.envUrl,
      clientId,
      clientSecret,
      timeoutMs,
      // Called as a plain function: invoking the global fetch as a method of another object
      // throws "Illegal invocation" in browsers and some edge runtimes.
      fetch: (input, init) => fetchImpl(input, init),
      retry: { ...DEFAULT_RETRY_POLICY, baseMs: retryBaseMs },
    })
    this.connectedAccounts = new ConnectedAccountsClient(transport)
    this.connections = new ConnectionsClient(transport)
    this.providers = new ProvidersClient(transport)
    this.events = new EventsClient(transport)
    this.settings = new SettingsClient(transport)
    this.webhooks = new WebhooksClient(transport)
    this.tools = new ToolsClient(transport, toolTimeoutMs)
    this.mcp = new McpClient(transport)
    this.actions = new ActionsClient({
      transport,
      connectedAccounts: this.connectedAccounts,
      connections: this.connections,
      tools: this.tools,
      toolTimeoutMs,
    })
  }
}

function normalizeEnvUrl(envUrl: string): string {
  let url: URL
  try {
    url = new URL(envUrl)
  } catch {
    throw new TypeError(`envUrl must be an absolute URL such as https://agentgate.example.com, got ${JSON.stringify(envUrl)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`envUrl must use http or https, got ${url.protocol}`)
  }
  if (url.search || url.hash) throw new TypeError('envUrl must not contain a query or fragment')
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

function requireCredential(value: string, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${name} is required`)
  return value
}

// A zero, negative or infinite timeout would either abort every call at once or never abort a
// hung one; both are configuration mistakes better reported at start-up than at the first call.
function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number of milliseconds > 0, got ${String(value)}`)
  }
  return value
}

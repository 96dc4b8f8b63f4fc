/**
 * @module transport — authenticated HTTP to the gateway: token, retries, timeouts, typed errors.
 */

import { AgentgateConnectionError, AgentgateError, AgentgateTimeoutError } from './errors.js'
import { encodeQuery, type QueryParams } from './query.js'
import { errorFromResponse, parseRetryAfter } from './response-errors.js'
import { backoffDelay, sleep, type RetryPolicy } from './retry.js'
import { TokenCache, type IssuedToken } from './token-cache.js'
import { SDK_VERSION } from './version.js'

/** Everything the transport needs; {@link AgentgateClient} validates these before building one. */
export interface TransportOptions {
  /** Gateway base URL without a trailing slash. */
  envUrl: string
  clientId: string
  clientSecret: string
  /** Default per-attempt timeout. */
  timeoutMs: number
  fetch: typeof fetch
  retry: RetryPolicy
}

/** One call to the gateway. */
export interface TransportRequest {
  method: string
  /** Path below the env URL, starting with `/`, already percent-encoded. */
  path: string
  query?: QueryParams | undefined
  /** A JSON body (already in wire shape); sent with `content-type: application/json`. */
  json?: unknown
  /** A raw body, for the proxy; wins over `json`. */
  body?: BodyInit | undefined
  headers?: Readonly<Record<string, string>> | undefined
  /** Overrides the default timeout for this call (per attempt). */
  timeoutMs?: number | undefined
  /** Hand 3xx answers back instead of raising them (the proxy returns upstream redirects as they are). */
  passRedirects?: boolean | undefined
}

/** An answer whose body has been read completely (within the timeout). */
export interface BufferedResponse {
  status: number
  statusText: string
  ok: boolean
  url: string
  headers: Headers
  body: Uint8Array
}

const USER_AGENT = `agentgate-sdk/${SDK_VERSION} node/${globalThis.process?.versions?.node ?? 'unknown'}`
const decoder = new TextDecoder()

/**
 * Sends authenticated requests to the gateway.
 *
 * - The bearer token comes from `POST {envUrl}/oauth/token` (client credentials), fetched on the
 *   first call, cached until shortly before `expires_in`, shared by concurrent callers.
 * - A 401 answer renews the token once and repeats the call once; a second 401 is raised. A
 *   `tool_error` 401 is the provider refusing the END USER's token: no renewal, no repeat.
 * - A 503 answer is retried up to 3 times with jittered exponential backoff (or after
 *   `Retry-After`); for a method other than GET/HEAD only when it is the gateway's own `not_ready`
 *   or `token_refresh_unavailable` (answered before any work), since another 503 (a reverse
 *   proxy's) may come after the call ran. Nothing else is retried: a 429 means "slow down", not "try again now", and
 *   a tool error (whatever its status) means the upstream provider failed, which a repeat would
 *   only make worse (the gateway already retried what was safe to retry).
 * - Neither is done for a provider's answer the proxy relays (marked `x-agentgate-execution-id`):
 *   its 401 refuses the END USER's token and its 503 is the caller's to retry.
 * - Every failure becomes an {@link AgentgateError} subclass.
 *
 * @example
 * ```ts
 * const transport = new Transport({ envUrl, clientId, clientSecret, timeoutMs: 20_000, fetch, retry: DEFAULT_RETRY_POLICY })
 * const body = await transport.json<{ settings: unknown }>({ method: 'GET', path: '/api/v1/settings' })
 * ```
 */
export class Transport {
  readonly envUrl: string
  readonly #options: TransportOptions
  readonly #tokens: TokenCache

  constructor(options: TransportOptions) {
    this.envUrl = options.envUrl
    this.#options = options
    this.#tokens = new TokenCache(() => this.#fetchToken())
  }

  /**
   * Sends `request` and parses the JSON answer (an empty body reads as `{}`).
   *
   * @example
   * ```ts
   * const wire = await transport.json({ method: 'POST', path: '/api/v1/events', json: { page_size: 10 } })
   * ```
   */
  async json<T = unknown>(request: TransportRequest): Promise<T> {
    const response = await this.send(request)
    const text = decoder.decode(response.body)
    if (text.trim() === '') return {} as T
    try {
      return JSON.parse(text) as T
    } catch (cause) {
      throw new AgentgateError({
        status: response.status,
        code: 'invalid_response',
        message: `Agentgate answered ${request.method} ${request.path} with a body that is not JSON`,
        requestId: response.headers.get('x-request-id') ?? undefined,
        cause,
      })
    }
  }

  /**
   * Sends `request` with the bearer token and returns the answer, or throws the typed error for a
   * non-2xx answer.
   *
   * @example
   * ```ts
   * const response = await transport.send({ method: 'GET', path: '/proxy/v1/me', headers })
   * ```
   */
  async send(request: TransportRequest): Promise<BufferedResponse> {
    const timeoutMs = request.timeoutMs ?? this.#options.timeoutMs
    const repeatable = SAFE_METHODS.has(request.method.toUpperCase())
    const attempt = (token: string) => this.#withRetries(() => this.#sendOnce(request, timeoutMs, token), repeatable)

    let token = await this.#tokens.get()
    let response = await attempt(token)
    if (response.status === 401 && isGatewayFailure(response)) {
      // The token may have been revoked or expired early on the server: renew once, and only
      // once, so bad credentials surface as an error instead of a loop.
      this.#tokens.invalidate(token)
      token = await this.#tokens.get()
      response = await attempt(token)
    }
    if (response.ok) return response
    if (request.passRedirects && response.status >= 300 && response.status < 400) return response
    throw errorOf(response)
  }

  async #sendOnce(request: TransportRequest, timeoutMs: number, token: string): Promise<BufferedResponse> {
    const query = encodeQuery(request.query)
    const url = `${this.envUrl}${request.path}${query ? `?${query}` : ''}`
    const headers = new Headers({ accept: 'application/json', 'user-agent': USER_AGENT })
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value)
    let body: BodyInit | undefined = request.body
    if (body === undefined && request.json !== undefined) {
      body = JSON.stringify(request.json)
      if (!headers.has('content-type')) headers.set('content-type', 'application/json')
    }
    headers.set('authorization', `Bearer ${token}`)
    return this.#fetch(url, { method: request.method, headers, body: body ?? null }, timeoutMs)
  }

  async #fetchToken(): Promise<IssuedToken> {
    const url = `${this.envUrl}/oauth/token`
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.#options.clientId,
      client_secret: this.#options.clientSecret,
    })
    const init = {
      method: 'POST',
      headers: { accept: 'application/json', 'user-agent': USER_AGENT, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    }
    // A client-credentials grant creates nothing but a token: repeating it is always safe.
    const response = await this.#withRetries(() => this.#fetch(url, init, this.#options.timeoutMs), true)
    if (!response.ok) throw errorOf(response)
    let parsed: unknown
    try {
      parsed = JSON.parse(decoder.decode(response.body))
    } catch {
      parsed = undefined
    }
    const accessToken = isRecord(parsed) ? parsed['access_token'] : undefined
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new AgentgateError({
        status: response.status,
        code: 'invalid_token_response',
        message: 'The token endpoint answered without an access_token',
      })
    }
    const expiresIn = isRecord(parsed) ? parsed['expires_in'] : undefined
    // Without expires_in, assume an hour; a token that dies sooner is renewed by the 401 path.
    return { accessToken, expiresIn: typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? expiresIn : 3600 }
  }

  async #withRetries(send: () => Promise<BufferedResponse>, repeatable: boolean): Promise<BufferedResponse> {
    const policy = this.#options.retry
    for (let attempt = 0; ; attempt++) {
      const response = await send()
      if (response.status !== 503 || attempt >= policy.maxRetries) return response
      if (!isGatewayFailure(response)) return response
      // A write is repeated only after a 503 the gateway sends before doing any work: any other
      // (a reverse proxy's page after forwarding the call, say) may come after the tool ran.
      if (!repeatable && !BEFORE_WORK_503.has(errorOf(response).code)) return response
      const retryAfter = parseRetryAfter(response.headers)
      const delay = retryAfter === undefined ? backoffDelay(attempt, policy) : retryAfter * 1000
      // A server asking for a longer pause than we would ever back off gets its answer raised
      // now (with retryAfter) instead of silently holding the caller for minutes.
      if (delay > policy.maxMs) return response
      await sleep(delay)
    }
  }

  async #fetch(url: string, init: RequestInit, timeoutMs: number): Promise<BufferedResponse> {
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      // Redirects are not followed: the bearer token must only ever go to the configured env URL.
      const response = await this.#options.fetch(url, { ...init, signal, redirect: 'manual' })
      // Read the body under the same signal so a server that stalls mid-body also times out.
      const body = new Uint8Array(await response.arrayBuffer())
      return {
        status: response.status,
        statusText: response.statusText,
        ok: response.ok,
        url,
        headers: response.headers,
        body,
      }
    } catch (cause) {
      if (signal.aborted) throw new AgentgateTimeoutError(timeoutMs, cause)
      if (cause instanceof AgentgateError) throw cause
      throw new AgentgateConnectionError(url, cause)
    }
  }
}

/** Methods a repeat cannot do twice: any 503 but a tool error is retried for them. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD'])

/**
 * The gateway's 503 codes, both answered before any work is done: `not_ready` (the database does not
 * answer) and `token_refresh_unavailable` (the token could not be refreshed; no provider call made).
 */
const BEFORE_WORK_503: ReadonlySet<string> = new Set(['not_ready', 'token_refresh_unavailable'])

function errorOf(response: BufferedResponse): AgentgateError {
  return errorFromResponse({
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    bodyText: decoder.decode(response.body),
  })
}

/**
 * Header the gateway puts on a provider's answer it relays through `/proxy` (never on its own
 * answers), with the call's id in the tool call log.
 */
export const EXECUTION_ID_HEADER = 'x-agentgate-execution-id'

/**
 * Whether a 401 or 503 is the gateway's own about this call, the only kind a token renewal or a
 * retry can help. Not a tool error (the provider refused or failed; a 401 there refuses the END
 * USER's token) and not a provider answer relayed by the proxy.
 */
function isGatewayFailure(response: BufferedResponse): boolean {
  if (response.headers.has(EXECUTION_ID_HEADER)) return false
  return errorOf(response).code !== 'tool_error'
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

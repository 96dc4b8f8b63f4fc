/**
 * @module errors — typed errors for every failure the gateway (or the network) can produce.
 */


/** Marks our errors so the guards still work when two copies of the SDK are loaded (instanceof would not). */
const BRAND = Symbol.for('agentgate.sdk.error')

/** Constructor input shared by every {@link AgentgateError}. */
export interface AgentgateErrorInit {
  status: number
  code: string
  message: string
  details?: Record<string, unknown> | undefined
  requestId?: string | undefined
  /** Link to the documentation of `code` (the gateway's `error.docs`). */
  docs?: string | undefined
  cause?: unknown
}

/**
 * Base class of every error the SDK raises for a failed call. `status` is the HTTP status
 * (0 when no answer arrived), `code` the server's stable error code (or `http_<status>` when the
 * body was not the gateway's JSON error shape), `docs` a link to that code's cause and fix.
 *
 * @example
 * ```ts
 * try {
 *   await client.connections.get('gmail')
 * } catch (err) {
 *   if (isAgentgateError(err)) console.error(err.status, err.code, err.requestId, err.docs)
 *   else throw err
 * }
 * ```
 */
export class AgentgateError extends Error {
  readonly status: number
  readonly code: string
  readonly details: Record<string, unknown>
  readonly requestId: string | undefined
  /**
   * Link to the section of the gateway's error reference that explains `code`, with its cause and
   * fix (`undefined` for errors without a gateway answer, or from gateways that send none).
   */
  readonly docs: string | undefined

  constructor(init: AgentgateErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = new.target.name
    this.status = init.status
    this.code = init.code
    this.details = init.details ?? {}
    this.requestId = init.requestId
    this.docs = init.docs
    // Non-enumerable so logging or serialising the error does not show SDK plumbing.
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/**
 * 400: the request was malformed or failed validation (`details.issues` lists what).
 *
 * @example
 * ```ts
 * if (err instanceof BadRequestError) console.error(err.details['issues'])
 * ```
 */
export class BadRequestError extends AgentgateError {}

/**
 * 401: the client credentials were refused, or a fresh token was refused again after one renewal.
 * Its subclass {@link ToolUnauthorizedError} is different: the provider refused the END USER's
 * authorization during a tool run, and the SDK's own credentials are fine.
 *
 * @example
 * ```ts
 * if (err instanceof ToolUnauthorizedError) console.error('re-authorize the connected account')
 * else if (err instanceof UnauthorizedError) console.error('check AGENTGATE_CLIENT_SECRET')
 * ```
 */
export class UnauthorizedError extends AgentgateError {}

/**
 * 403: authenticated but not allowed (for example a user-verification identifier mismatch, or
 * `proxy_disabled`). Its subclass {@link ToolForbiddenError} is the provider refusing a tool run.
 *
 * @example
 * ```ts
 * if (err instanceof ForbiddenError) console.error(err.code)
 * ```
 */
export class ForbiddenError extends AgentgateError {}

/**
 * 404: the object does not exist in this environment (ids of other environments answer the same).
 *
 * @example
 * ```ts
 * if (err instanceof NotFoundError && err.code === 'connected_account_not_found') { ... }
 * ```
 */
export class NotFoundError extends AgentgateError {}

/**
 * 409: the object already exists, or is still in use (`connection_has_accounts`). Its subclass
 * {@link AccountNotActiveError} is a tool run or proxied call on an account that is not `ACTIVE`.
 *
 * @example
 * ```ts
 * if (err instanceof ConflictError) console.error(err.code)
 * ```
 */
export class ConflictError extends AgentgateError {}

/**
 * 413: the request body is larger than the gateway accepts.
 *
 * @example
 * ```ts
 * if (err instanceof PayloadTooLargeError) console.error('send a smaller body')
 * ```
 */
export class PayloadTooLargeError extends AgentgateError {}

/** Constructor input of errors that may carry a `Retry-After` hint. */
export interface RetryAfterErrorInit extends AgentgateErrorInit {
  retryAfter?: number | undefined
}

/**
 * 429: too many requests. The SDK never retries these itself; `retryAfter` (seconds) says when to try again.
 * Its subclass {@link ToolRateLimitError} is the provider rate-limiting a tool run.
 *
 * @example
 * ```ts
 * if (err instanceof RateLimitedError) await sleep((err.retryAfter ?? 1) * 1000)
 * ```
 */
export class RateLimitedError extends AgentgateError {
  /** Seconds to wait, from the `Retry-After` header; `undefined` when the server gave none. */
  readonly retryAfter: number | undefined

  constructor(init: RetryAfterErrorInit) {
    super(init)
    this.retryAfter = init.retryAfter
  }
}

/**
 * Any 5xx answer. 5xx bodies never carry server internals, so `message` is generic.
 *
 * @example
 * ```ts
 * if (err instanceof ServerError) report(err.requestId)
 * ```
 */
export class ServerError extends AgentgateError {}

/**
 * 503, raised once the SDK's retries (up to 3, jittered) are used up.
 *
 * @example
 * ```ts
 * if (err instanceof ServiceUnavailableError) console.error('gateway down, retry after', err.retryAfter)
 * ```
 */
export class ServiceUnavailableError extends ServerError {
  /** Seconds from the last answer's `Retry-After` header, when present. */
  readonly retryAfter: number | undefined

  constructor(init: RetryAfterErrorInit) {
    super(init)
    this.retryAfter = init.retryAfter
  }
}

/**
 * No answer arrived within the call's timeout (`timeoutMs`, or `toolTimeoutMs` for tools and the proxy).
 *
 * @example
 * ```ts
 * if (err instanceof AgentgateTimeoutError) console.error(`gave up after ${err.timeoutMs} ms`)
 * ```
 */
export class AgentgateTimeoutError extends AgentgateError {
  readonly timeoutMs: number

  constructor(timeoutMs: number, cause?: unknown) {
    super({ status: 0, code: 'timeout', message: `Agentgate did not answer within ${timeoutMs} ms`, cause })
    this.timeoutMs = timeoutMs
  }
}

/**
 * The request never got an HTTP answer (DNS failure, refused connection, reset socket).
 * Not retried: the SDK cannot know whether a non-idempotent call reached the server.
 *
 * @example
 * ```ts
 * if (err instanceof AgentgateConnectionError) console.error('is the gateway running?', err.cause)
 * ```
 */
export class AgentgateConnectionError extends AgentgateError {
  constructor(url: string, cause: unknown) {
    super({ status: 0, code: 'connection_failed', message: `Could not reach Agentgate at ${url}`, cause })
  }
}

/**
 * True for every error raised by this SDK for a failed call (including timeouts and tool errors).
 *
 * @example
 * ```ts
 * catch (err) { if (isAgentgateError(err) && err.status === 409) return }
 * ```
 */
export function isAgentgateError(value: unknown): value is AgentgateError {
  return value instanceof AgentgateError || (isRecord(value) && value[BRAND] === true)
}

/**
 * True for a gateway 404 (not for a tool whose upstream answered 404: that is a tool error).
 *
 * @example
 * ```ts
 * catch (err) { if (isNotFoundError(err)) return null }
 * ```
 */
export function isNotFoundError(value: unknown): value is NotFoundError {
  return isAgentgateError(value) && value.status === 404 && value.code !== 'tool_error'
}

function isRecord(value: unknown): value is Record<PropertyKey, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * @module tool-errors — the typed errors of a tool call the provider (or the way to it) failed:
 * `tool_error` answers, and `account_not_active`.
 */

import { toCamel } from './casing.js'
import {
  AgentgateError,
  ConflictError,
  ForbiddenError,
  RateLimitedError,
  UnauthorizedError,
  isAgentgateError,
  type AgentgateErrorInit,
  type RetryAfterErrorInit,
} from './errors.js'
import type { ConnectedAccountStatus } from './types.js'

/** Marks the tool errors, whose classes do not share one prototype chain (see {@link ToolError}). */
const TOOL_BRAND = Symbol.for('agentgate.sdk.tool_error')

/** Kinds of upstream failure the gateway reports in `details.tool_error.kind`. */
export type ToolErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'not_found'
  | 'bad_request'
  | 'conflict'
  | 'upstream_error'
  | 'timeout'
  | 'network'
  | 'tls'
  | 'response_too_large'
  | 'blocked'

/** Whose side failed: the upstream API (`provider`) or the gateway reaching it (`platform`). */
export type ToolErrorTier = 'provider' | 'platform'

/**
 * `details.tool_error` of a `tool_error` answer, in wire (snake_case) form: `details` is shown as
 * the server sent it.
 */
export interface ToolErrorWire {
  execution_id?: string
  kind?: ToolErrorKind | (string & {})
  /** The provider's HTTP status; `null` when no answer came (timeout, network, TLS, blocked). */
  upstream_status?: number | null
  /** The provider's own error code (e.g. Google's `PERMISSION_DENIED`), when it gave one. */
  provider_code?: string | null
  message?: string
  retry_after_seconds?: number
  /** Scopes the tool needs (any one of them suffices). */
  required_scopes?: string[]
  /** Of those, the ones the account was not granted. */
  missing_scopes?: string[]
  [key: string]: unknown
}

/** `details` of a `tool_error` answer. */
export interface ToolErrorDetails {
  tier?: ToolErrorTier | (string & {})
  /** What to do about it, in one sentence. */
  fix?: string
  tool_error: ToolErrorWire
  [key: string]: unknown
}

/** The fields every tool error class has, read from `details`. */
export interface ToolErrorFields {
  /** Id of the run in the tool call log (`getToolCallLog(executionId)`); `''` if the gateway gave none. */
  readonly executionId: string
  /** What failed; derived from the HTTP status when the gateway did not say. */
  readonly toolErrorKind: ToolErrorKind | (string & {})
  /** The provider's own error code (`details.tool_error.provider_code`), or `null`. */
  readonly toolErrorCode: string | null
  /** The provider's (or gateway's) description of the failure. */
  readonly toolErrorMessage: string
  /** The provider's HTTP status, or `null` when no upstream answer arrived. */
  readonly upstreamStatus: number | null
  readonly tier: ToolErrorTier | undefined
  /** The next step, e.g. "Ask the user to re-authorize the account"; `''` if none was given. */
  readonly fix: string
}

/**
 * A tool run failed upstream: any answer whose error code is `tool_error`, whatever its HTTP status
 * (401, 403, 429, 400, 404, 409, 502, 504 mirror the failure). Never retried and never causes a
 * token renewal, because the gateway's own credentials were fine (the gateway already retried
 * what was safe to retry).
 *
 * Three kinds have their own class, each ALSO an instance of the matching plain class, so a
 * `catch (err) { if (err instanceof RateLimitedError) … }` written for the gateway's own answers
 * also sees the provider's: {@link ToolUnauthorizedError} (a {@link UnauthorizedError}),
 * {@link ToolForbiddenError} (a {@link ForbiddenError}) and {@link ToolRateLimitError} (a
 * {@link RateLimitedError}). Every other kind is a plain `ToolError`. JavaScript has single
 * inheritance, so those three do not extend `ToolError`; `instanceof ToolError` is still true for
 * all of them (through `Symbol.hasInstance`), as is {@link isToolError}.
 *
 * @example
 * ```ts
 * try {
 *   await client.actions.executeTool({ toolName: 'gmail_fetch_mails', toolInput: {}, connectedAccountId })
 * } catch (err) {
 *   if (err instanceof ToolUnauthorizedError) await sendReauthorizationLink()
 *   else if (err instanceof ToolError) console.error(err.toolErrorKind, err.upstreamStatus, err.fix, err.executionId)
 *   else throw err
 * }
 * ```
 */
export class ToolError extends AgentgateError {
  declare readonly details: ToolErrorDetails

  constructor(init: AgentgateErrorInit) {
    super(toolErrorInit(init))
    assignToolFields(this, init)
  }

  /** True for every tool error class (they do not all inherit from this one). */
  static override [Symbol.hasInstance](value: unknown): value is ToolError {
    if (this !== ToolError) return Function.prototype[Symbol.hasInstance].call(this, value)
    return isToolError(value)
  }
}
// Declaration merging gives the class the fields assignToolFields sets.
export interface ToolError extends ToolErrorFields {}

/**
 * The provider refused the end user's authorization (tool error kind `unauthorized`, HTTP 401):
 * the token was revoked or expired beyond refresh. Re-authorize the connected account
 * (`getAuthorizationLink`); the SDK's own credentials are fine and are NOT renewed.
 *
 * @example
 * ```ts
 * if (err instanceof ToolUnauthorizedError) console.error(err.fix)
 * ```
 */
export class ToolUnauthorizedError extends UnauthorizedError {
  declare readonly details: ToolErrorDetails
  constructor(init: AgentgateErrorInit) {
    super(toolErrorInit(init))
    assignToolFields(this, init)
  }
}
export interface ToolUnauthorizedError extends ToolErrorFields {}

/**
 * The provider refused the call (tool error kind `forbidden`, HTTP 403), typically for a missing
 * scope: `missingScopes` lists what the account lacks, `requiredScopes` what the tool needs (any
 * one of them suffices).
 *
 * @example
 * ```ts
 * if (err instanceof ToolForbiddenError) console.error('grant one of', err.requiredScopes)
 * ```
 */
export class ToolForbiddenError extends ForbiddenError {
  declare readonly details: ToolErrorDetails
  readonly requiredScopes: string[]
  readonly missingScopes: string[]

  constructor(init: AgentgateErrorInit) {
    super(toolErrorInit(init))
    const wire = assignToolFields(this, init)
    this.requiredScopes = stringList(wire.required_scopes)
    this.missingScopes = stringList(wire.missing_scopes)
  }
}
export interface ToolForbiddenError extends ToolErrorFields {}

/**
 * The provider rate-limited the call (tool error kind `rate_limited`, HTTP 429) and the gateway's
 * own retries did not get through. Not retried by the SDK: wait `retryAfterSeconds` first.
 *
 * @example
 * ```ts
 * if (err instanceof ToolRateLimitError) await sleep((err.retryAfterSeconds ?? 10) * 1000)
 * ```
 */
export class ToolRateLimitError extends RateLimitedError {
  declare readonly details: ToolErrorDetails
  /** `details.tool_error.retry_after_seconds`, else the answer's `Retry-After`; same value as `retryAfter`. */
  readonly retryAfterSeconds: number | undefined

  constructor(init: RetryAfterErrorInit) {
    const normalized = toolErrorInit(init)
    const fromBody = normalized.details.tool_error.retry_after_seconds
    const retryAfter = typeof fromBody === 'number' && Number.isFinite(fromBody) ? fromBody : init.retryAfter
    super({ ...normalized, retryAfter })
    assignToolFields(this, init)
    this.retryAfterSeconds = retryAfter
  }
}
export interface ToolRateLimitError extends ToolErrorFields {}

/** Where to mint an authorization link for an account that is not usable (`details.authorization_link`). */
export interface AuthorizationLinkHint {
  method: string
  /** `/api/v1/connected_accounts/magic_link` */
  path: string
  /** Pass it to `client.actions.getAuthorizationLink(…)` as is. */
  body: { connectionName?: string; identifier?: string; connectedAccountId?: string }
}

/**
 * 409 `account_not_active`: the tool run or proxied call names an account that is not `ACTIVE`
 * (still `PENDING_AUTH`, `EXPIRED`, `DISCONNECTED`…). Send the end user an authorization link.
 *
 * @example
 * ```ts
 * if (err instanceof AccountNotActiveError && err.authorizationLink) {
 *   const { link } = await client.actions.getAuthorizationLink(err.authorizationLink.body)
 * }
 * ```
 */
export class AccountNotActiveError extends ConflictError {
  readonly connectedAccountId: string | undefined
  /** The account's status (the HTTP status is `status`). */
  readonly accountStatus: ConnectedAccountStatus | (string & {}) | undefined
  readonly fix: string
  /** camelCase view of `details.authorization_link`. */
  readonly authorizationLink: AuthorizationLinkHint | undefined

  constructor(init: AgentgateErrorInit) {
    super(init)
    this.connectedAccountId = stringOrUndefined(this.details['connected_account_id'])
    this.accountStatus = stringOrUndefined(this.details['status'])
    this.fix = stringOrUndefined(this.details['fix']) ?? ''
    const link = this.details['authorization_link']
    this.authorizationLink =
      isRecord(link) && typeof link['path'] === 'string'
        ? {
            method: stringOrUndefined(link['method']) ?? 'POST',
            path: link['path'],
            body: isRecord(link['body']) ? (toCamel(link['body']) as AuthorizationLinkHint['body']) : {},
          }
        : undefined
  }
}

/**
 * True for every tool error ({@link ToolError} and its kind-specific classes), also across two
 * loaded copies of the SDK.
 *
 * @example
 * ```ts
 * catch (err) { if (isToolError(err)) console.error(err.toolErrorKind, err.toolErrorCode, err.executionId) }
 * ```
 */
export function isToolError(value: unknown): value is ToolError {
  return isAgentgateError(value) && (value as unknown as Record<PropertyKey, unknown>)[TOOL_BRAND] === true
}

function isRecord(value: unknown): value is Record<PropertyKey, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

const KIND_BY_STATUS: Readonly<Record<number, ToolErrorKind>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
  504: 'timeout',
}

/**
 * The tool error kind of a `tool_error` answer: `details.tool_error.kind`, else derived from the
 * HTTP status (the gateway mirrors the kind in the status).
 *
 * @example
 * ```ts
 * toolErrorKindOf(429, { tool_error: {} }) // 'rate_limited'
 * ```
 */
export function toolErrorKindOf(status: number, details: Record<string, unknown> | undefined): ToolErrorKind | (string & {}) {
  const wire = details?.['tool_error']
  const kind = isRecord(wire) ? wire['kind'] : undefined
  if (typeof kind === 'string' && kind !== '') return kind
  return KIND_BY_STATUS[status] ?? 'upstream_error'
}

// `details.tool_error` is always an object afterwards, so `err.details.tool_error.x` never throws.
function toolErrorInit<T extends AgentgateErrorInit>(init: T): T & { details: ToolErrorDetails } {
  const raw = init.details?.['tool_error']
  return { ...init, details: { ...init.details, tool_error: isRecord(raw) ? (raw as ToolErrorWire) : {} } }
}

function assignToolFields(error: AgentgateError, init: AgentgateErrorInit): ToolErrorWire {
  const details = error.details as ToolErrorDetails
  const wire = details.tool_error
  const tier: unknown = details.tier
  const fields: ToolErrorFields = {
    executionId: stringOrUndefined(wire.execution_id) ?? '',
    toolErrorKind: toolErrorKindOf(init.status, details),
    toolErrorCode: typeof wire.provider_code === 'string' ? wire.provider_code : null,
    toolErrorMessage: stringOrUndefined(wire.message) ?? init.message,
    upstreamStatus: typeof wire.upstream_status === 'number' ? wire.upstream_status : null,
    tier: tier === 'provider' || tier === 'platform' ? tier : undefined,
    fix: stringOrUndefined(details.fix) ?? '',
  }
  Object.assign(error, fields)
  Object.defineProperty(error, TOOL_BRAND, { value: true })
  return wire
}

/**
 * @module response-errors — turns a non-2xx HTTP answer into the matching typed error.
 */

import {
  AgentgateError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServerError,
  ServiceUnavailableError,
  UnauthorizedError,
  type AgentgateErrorInit,
} from './errors.js'
import { AccountNotActiveError, ToolError, ToolForbiddenError, ToolRateLimitError, ToolUnauthorizedError, toolErrorKindOf } from './tool-errors.js'

/** The parts of an HTTP answer needed to build an error (the body already read). */
export interface ErrorSource {
  status: number
  statusText: string
  headers: Headers
  bodyText: string
}

const BY_STATUS: Readonly<Record<number, new (init: AgentgateErrorInit) => AgentgateError>> = {
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
}

/**
 * Builds the typed error for a failed answer. The gateway's shape is
 * `{"error": {"code", "message", "details"?, "docs"}}`; the token endpoint may answer in OAuth's
 * `{"error": "invalid_client", "error_description"}` shape; anything else (a proxy's HTML page,
 * an empty body) still yields a typed error with code `http_<status>`.
 *
 * @example
 * ```ts
 * const err = errorFromResponse({ status: 404, statusText: 'Not Found', headers: new Headers(), bodyText: '' })
 * err instanceof NotFoundError // true, err.code === 'http_404'
 * ```
 */
export function errorFromResponse(source: ErrorSource): AgentgateError {
  const { status } = source
  const parsed = parseErrorBody(source.bodyText)
  const init: AgentgateErrorInit = {
    status,
    code: parsed?.code ?? `http_${status}`,
    message: parsed?.message ?? `Agentgate answered HTTP ${status}${source.statusText ? ` ${source.statusText}` : ''}`,
    details: parsed?.details,
    requestId: source.headers.get('x-request-id') ?? undefined,
    docs: parsed?.docs,
  }
  // A tool error keeps its own type whatever status mirrors the upstream failure, so callers
  // (and the retry loop) can tell "the provider failed" from "the gateway failed".
  if (init.code === 'tool_error') return toolErrorFrom(init, source.headers)
  if (init.code === 'account_not_active') return new AccountNotActiveError(init)
  if (status === 429) return new RateLimitedError({ ...init, retryAfter: parseRetryAfter(source.headers) })
  if (status === 503) return new ServiceUnavailableError({ ...init, retryAfter: parseRetryAfter(source.headers) })
  if (status >= 500) return new ServerError(init)
  const ErrorClass = BY_STATUS[status] ?? AgentgateError
  return new ErrorClass(init)
}

/** The kind-specific class of a `tool_error` answer (kind from the body, else from the status). */
function toolErrorFrom(init: AgentgateErrorInit, headers: Headers): AgentgateError {
  switch (toolErrorKindOf(init.status, init.details)) {
    case 'unauthorized':
      return new ToolUnauthorizedError(init)
    case 'forbidden':
      return new ToolForbiddenError(init)
    case 'rate_limited':
      return new ToolRateLimitError({ ...init, retryAfter: parseRetryAfter(headers) })
    default:
      return new ToolError(init)
  }
}

/**
 * Reads `Retry-After` as seconds; accepts both delta-seconds and an HTTP date.
 *
 * @example
 * ```ts
 * parseRetryAfter(new Headers({ 'retry-after': '7' })) // 7
 * ```
 */
export function parseRetryAfter(headers: Headers): number | undefined {
  const raw = headers.get('retry-after')?.trim()
  if (!raw) return undefined
  if (/^\d+$/.test(raw)) return Number(raw)
  const at = Date.parse(raw)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, Math.ceil((at - Date.now()) / 1000))
}

interface ParsedError {
  code: string
  message: string | undefined
  details: Record<string, unknown> | undefined
  docs: string | undefined
}

function parseErrorBody(text: string): ParsedError | undefined {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isRecord(body)) return undefined
  const error = body['error']
  if (isRecord(error) && typeof error['code'] === 'string') {
    return {
      code: error['code'],
      message: typeof error['message'] === 'string' ? error['message'] : undefined,
      details: isRecord(error['details']) ? error['details'] : undefined,
      docs: typeof error['docs'] === 'string' ? error['docs'] : undefined,
    }
  }
  if (typeof error === 'string') {
    const description = body['error_description']
    return { code: error, message: typeof description === 'string' ? description : undefined, details: undefined, docs: undefined }
  }
  return undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

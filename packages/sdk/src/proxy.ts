/**
 * @module proxy — calls a provider's API through the gateway's `/proxy` with an account's credentials.
 */

import type { QueryParams } from './query.js'
import { EXECUTION_ID_HEADER, type Transport } from './transport.js'
import { required } from './wire.js'

/** Parameters of {@link proxyRequest} (`actions.request`). */
export interface ProxyRequestParams {
  connectionName: string
  identifier: string
  /** The provider API path, e.g. `/gmail/v1/users/me/profile`; a missing leading `/` is added. */
  path: string
  /** Default `GET`. */
  method?: string | undefined
  /** Sent as-is (keys are not renamed); arrays become repeated keys. */
  queryParams?: QueryParams | undefined
  /**
   * A string, bytes, `Blob`, `FormData` or `URLSearchParams` is sent raw (set `content-type`
   * yourself, e.g. for SOAP); any other value is sent as JSON, keys unchanged.
   */
  body?: unknown
  headers?: Readonly<Record<string, string>> | undefined
  /** Default: the client's `toolTimeoutMs`. */
  timeoutMs?: number | undefined
}

/** The upstream answer, read completely; `json()` and `text()` may both be called, repeatedly. */
export interface ProxyResponse {
  status: number
  statusText: string
  ok: boolean
  headers: Headers
  /** Id of the call in the tool call log (`getToolCallLog`), from `x-agentgate-execution-id`. */
  executionId: string | undefined
  json<T = unknown>(): Promise<T>
  text(): Promise<string>
  arrayBuffer(): Promise<ArrayBuffer>
}

/**
 * Sends one proxied request. Upstream 4xx/5xx answers are raised as typed errors (a 404 as
 * `NotFoundError`, and so on); 2xx and 3xx answers are returned. A provider's answer (marked by
 * the gateway with `x-agentgate-execution-id`) is never retried and its 401 (the provider refusing
 * the end user's token) never renews the SDK's token; the gateway's own 401 and 503 are handled
 * as for every call.
 *
 * @example
 * ```ts
 * const response = await proxyRequest(transport, { connectionName: 'gmail', identifier: 'user_42', path: 'gmail/v1/users/me/profile' }, 60_000)
 * const profile = await response.json<{ emailAddress: string }>()
 * ```
 */
export async function proxyRequest(transport: Transport, params: ProxyRequestParams, defaultTimeoutMs: number): Promise<ProxyResponse> {
  const connectionName = required(params.connectionName, 'connectionName')
  const identifier = required(params.identifier, 'identifier')
  const path = required(params.path, 'path')
  const method = (params.method ?? 'GET').trim().toUpperCase()
  // Checked here because fetch would reject these with a TypeError that reads like a network failure.
  if ((method === 'GET' || method === 'HEAD') && params.body !== undefined) {
    throw new Error(`a ${method} request cannot have a body`)
  }
  if (params.body instanceof ReadableStream) {
    // The gateway's own 503 or 401 re-sends the request, which a one-shot stream cannot do.
    throw new Error('stream bodies are not supported: pass a string, bytes or Blob')
  }
  // The gateway picks the account from these two headers; set last so caller headers cannot
  // point the call at another user's account by accident.
  const headers = { ...params.headers, connection_name: connectionName, identifier }
  const raw = isRawBody(params.body)
  const response = await transport.send({
    method,
    path: `/proxy${path.startsWith('/') ? path : `/${path}`}`,
    query: params.queryParams,
    headers,
    body: raw ? (params.body as BodyInit) : undefined,
    json: raw ? undefined : params.body,
    timeoutMs: params.timeoutMs ?? defaultTimeoutMs,
    passRedirects: true,
  })
  const bytes = response.body
  const text = () => new TextDecoder().decode(bytes)
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers: response.headers,
    executionId: response.headers.get(EXECUTION_ID_HEADER) ?? undefined,
    json: async <T>() => JSON.parse(text()) as T,
    text: async () => text(),
    arrayBuffer: async () => new Uint8Array(bytes).buffer,
  }
}

function isRawBody(body: unknown): boolean {
  return (
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof Blob ||
    body instanceof FormData ||
    body instanceof URLSearchParams
  )
}

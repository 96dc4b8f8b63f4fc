/**
 * @module wire — small helpers the resource clients share to build requests and read answers.
 */

import { toCamel, toSnake } from './casing.js'
import type { QueryParams } from './query.js'
import type { PageInfo } from './types.js'

/**
 * Converts a wire answer to its SDK type. The gateway validates its own output against the
 * documented schemas, so the SDK trusts the shape instead of re-validating every field.
 *
 * @example
 * ```ts
 * const account = fromWire<ConnectedAccount>(body.connected_account)
 * ```
 */
export function fromWire<T>(value: unknown): T {
  return toCamel(value) as T
}

/**
 * Converts SDK input to a wire JSON object.
 *
 * @example
 * ```ts
 * toWire({ pageSize: 10 }) // { page_size: 10 }
 * ```
 */
export function toWire(value: object): Record<string, unknown> {
  return toSnake(value) as Record<string, unknown>
}

/**
 * Converts camelCase filter parameters to wire query parameters.
 *
 * @example
 * ```ts
 * toQuery({ connectionNames: ['a', 'b'] }) // { connection_names: ['a', 'b'] }
 * ```
 */
export function toQuery(value: object): QueryParams {
  return toSnake(value) as QueryParams
}

/**
 * Percent-encodes one path segment, refusing blanks so a missing id can never turn
 * `/connections/{id}` into `/connections/` (the list route).
 *
 * @example
 * ```ts
 * segment('conn_123', 'idOrName') // 'conn_123'
 * ```
 */
export function segment(value: string | undefined, name: string): string {
  return encodeURIComponent(required(value, name))
}

/**
 * The trimmed value, or `Error('<name> is required')` before any network call.
 *
 * @example
 * ```ts
 * const identifier = required(params.identifier, 'identifier')
 * ```
 */
export function required(value: string | undefined, name: string): string {
  const trimmed = typeof value === 'string' ? value.trim() : ''
  if (trimmed === '') throw new Error(`${name} is required`)
  return trimmed
}

/**
 * The trimmed value, or `undefined` when absent or blank.
 *
 * @example
 * ```ts
 * optional('  ') // undefined
 * ```
 */
export function optional(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}

/**
 * Fills the page cursor fields with their documented defaults, so callers can test
 * `nextPageToken === ''` without also guarding against a missing field.
 *
 * @example
 * ```ts
 * const page = withPageInfo(fromWire<Partial<PageInfo>>(body))
 * ```
 */
export function withPageInfo<T extends Partial<PageInfo>>(page: T): T & PageInfo {
  return { ...page, totalSize: page.totalSize ?? 0, nextPageToken: page.nextPageToken ?? '', prevPageToken: page.prevPageToken ?? '' }
}

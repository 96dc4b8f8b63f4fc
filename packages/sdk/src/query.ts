/**
 * @module query — encodes query parameters the way the gateway reads them.
 */

/** One query value; arrays become repeated keys. */
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[]

/** Query parameters by wire name. */
export type QueryParams = Readonly<Record<string, QueryValue>>

/**
 * Encodes `params` as a query string (without `?`). Arrays are sent as repeated keys
 * (`connection_names=a&connection_names=b`); strings are trimmed; `undefined`, `null` and
 * strings that are empty after trimming are left out, because for the gateway an empty filter
 * is a validation error rather than "no filter".
 *
 * @example
 * ```ts
 * encodeQuery({ connection_names: ['gmail', ' slack '], identifier: '  ', page_size: 10 })
 * // 'connection_names=gmail&connection_names=slack&page_size=10'
 * ```
 */
export function encodeQuery(params: QueryParams | undefined): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params ?? {})) {
    const values = Array.isArray(value) ? value : [value]
    for (const item of values) {
      const text = scalar(item)
      if (text !== undefined) search.append(key, text)
    }
  }
  return search.toString()
}

function scalar(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') {
    const trimmed = value.trim()
    return trimmed === '' ? undefined : trimmed
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

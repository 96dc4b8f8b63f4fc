/**
 * @module casing — converts between the wire's snake_case keys and the SDK's camelCase keys.
 *
 * Keys are converted deeply, EXCEPT the values under free-form keys. Those objects belong to
 * someone else (a connector's credential field names, a provider's authorize parameters, a
 * tool's JSON input and output, an event's payload, JSON Schemas) and renaming their keys would
 * change their meaning: `static_auth: {api_key}` must reach the server as `api_key`, and a
 * tool's `params: {max_results: 5}` must reach the tool unchanged. The key itself is still
 * converted (`api_config` ↔ `apiConfig`); only what it holds is passed through verbatim, in both
 * directions, so what you send is exactly what the server stores and returns.
 */

/**
 * Wire keys whose values are passed through without key conversion. See the module comment.
 *
 * @example
 * ```ts
 * FREE_FORM_KEYS.has('api_config') // true
 * ```
 */
export const FREE_FORM_KEYS: ReadonlySet<string> = new Set([
  'api_config',
  'static_auth',
  'extra_authorize_params',
  'authorize_params',
  'params',
  'data',
  'input_schema',
  'output_schema',
])

const FREE_FORM_CAMEL_KEYS: ReadonlySet<string> = new Set([...FREE_FORM_KEYS].map(snakeToCamel))

/**
 * `connection_name` → `connectionName`.
 *
 * @example
 * ```ts
 * snakeToCamel('next_page_token') // 'nextPageToken'
 * ```
 */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_match, char: string) => char.toUpperCase())
}

/**
 * `connectionName` → `connection_name`.
 *
 * @example
 * ```ts
 * camelToSnake('pageToken') // 'page_token'
 * ```
 */
export function camelToSnake(key: string): string {
  return key.replace(/[A-Z]/g, (char) => `_${char.toLowerCase()}`)
}

/**
 * Deeply converts an answer from the wire to SDK shape (snake_case keys → camelCase),
 * leaving the contents of {@link FREE_FORM_KEYS} untouched.
 *
 * @example
 * ```ts
 * toCamel({ connected_account: { api_config: { base_url: 'x' } } })
 * // { connectedAccount: { apiConfig: { base_url: 'x' } } }
 * ```
 */
export function toCamel(value: unknown): unknown {
  return convert(value, snakeToCamel, FREE_FORM_KEYS)
}

/**
 * Deeply converts SDK input to wire shape (camelCase keys → snake_case), leaving the contents
 * of free-form keys untouched and dropping `undefined` members.
 *
 * @example
 * ```ts
 * toSnake({ connectionName: 'gmail', authorizationDetails: { staticAuth: { apiKey: 'k' } } })
 * // { connection_name: 'gmail', authorization_details: { static_auth: { apiKey: 'k' } } }
 * ```
 */
export function toSnake(value: unknown): unknown {
  return convert(value, camelToSnake, FREE_FORM_CAMEL_KEYS)
}

function convert(value: unknown, rename: (key: string) => string, freeForm: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => convert(item, rename, freeForm))
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue
    out[rename(key)] = freeForm.has(key) ? member : convert(member, rename, freeForm)
  }
  return out
}

// Only plain objects are walked: a Date, Map or class instance keeps its identity and methods.
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * @module providers — client of the connector catalog, `/api/v1/providers`.
 */

import type { Transport } from './transport.js'
import type { AuthType, Provider, ProviderList } from './types.js'
import { fromWire, segment, toQuery } from './wire.js'

/** Filters of {@link ProvidersClient.list}. */
export interface ListProvidersParams {
  query?: string | undefined
  authType?: AuthType | undefined
  category?: string | undefined
}

/**
 * Reads the connector catalog.
 *
 * @example
 * ```ts
 * const { providers } = await client.providers.list({ authType: 'OAUTH', category: 'email' })
 * ```
 */
export class ProvidersClient {
  readonly #transport: Transport

  constructor(transport: Transport) {
    this.#transport = transport
  }

  /**
   * Lists connectors matching the filters.
   *
   * @example
   * ```ts
   * const { providers, totalSize } = await client.providers.list({ query: 'google' })
   * ```
   */
  async list(params: ListProvidersParams = {}): Promise<ProviderList> {
    const body = await this.#transport.json({ method: 'GET', path: '/api/v1/providers', query: toQuery(params) })
    const list = fromWire<Partial<ProviderList>>(body)
    return { providers: list.providers ?? [], totalSize: list.totalSize ?? 0 }
  }

  /**
   * Reads one connector by key.
   *
   * @example
   * ```ts
   * const gmail = await client.providers.get('gmail')
   * ```
   */
  async get(key: string): Promise<Provider> {
    const body = await this.#transport.json({ method: 'GET', path: `/api/v1/providers/${segment(key, 'key')}` })
    return fromWire<{ provider: Provider }>(body).provider
  }
}

/**
 * @module connections — client of `/api/v1/connections` (a developer's connector configurations).
 */

import type { Transport } from './transport.js'
import type { Connection, ConnectionInput, ConnectionPage, ConnectionUpdate } from './types.js'
import { fromWire, segment, toQuery, toWire, withPageInfo } from './wire.js'

const BASE = '/api/v1/connections'

/** Filters of {@link ConnectionsClient.list}. */
export interface ListConnectionsParams {
  /** Connector key, e.g. `gmail` (case-sensitive). */
  provider?: string | undefined
  /** 1–100, default 30. */
  pageSize?: number | undefined
  pageToken?: string | undefined
}

/**
 * Creates, reads and changes connections. Every method that takes `idOrName` accepts either the
 * `conn_…` id or the connection's unique name.
 *
 * @example
 * ```ts
 * await client.connections.create({ provider: 'gmail', name: 'gmail', oauthConfig: { clientId, clientSecret } })
 * await client.connections.disable('gmail')
 * ```
 */
export class ConnectionsClient {
  readonly #transport: Transport

  constructor(transport: Transport) {
    this.#transport = transport
  }

  /**
   * Creates a connection; an OAuth connection without client id or secret is created as `DRAFT`.
   *
   * @example
   * ```ts
   * const connection = await client.connections.create({ provider: 'stripe', name: 'stripe-live' })
   * ```
   */
  async create(input: ConnectionInput): Promise<Connection> {
    const body = await this.#transport.json({ method: 'POST', path: BASE, json: { connection: toWire(input) } })
    return connectionOf(body)
  }

  /**
   * Lists connections, oldest first.
   *
   * @example
   * ```ts
   * const { connections } = await client.connections.list({ provider: 'gmail' })
   * ```
   */
  async list(params: ListConnectionsParams = {}): Promise<ConnectionPage> {
    const body = await this.#transport.json({ method: 'GET', path: BASE, query: toQuery(params) })
    return withPageInfo({ connections: [], ...fromWire<Partial<ConnectionPage>>(body) })
  }

  /**
   * Reads one connection.
   *
   * @example
   * ```ts
   * const connection = await client.connections.get('gmail')
   * ```
   */
  async get(idOrName: string): Promise<Connection> {
    return connectionOf(await this.#transport.json({ method: 'GET', path: pathOf(idOrName) }))
  }

  /**
   * Changes any part of a connection except its provider.
   *
   * @example
   * ```ts
   * await client.connections.update('gmail', { oauthConfig: { scopes: ['https://mail.google.com/'] } })
   * ```
   */
  async update(idOrName: string, patch: ConnectionUpdate): Promise<Connection> {
    const body = await this.#transport.json({ method: 'PATCH', path: pathOf(idOrName), json: { connection: toWire(patch) } })
    return connectionOf(body)
  }

  /**
   * Deletes a connection; `ConflictError` (`connection_has_accounts`) while accounts use it.
   *
   * @example
   * ```ts
   * await client.connections.delete('gmail-old')
   * ```
   */
  async delete(idOrName: string): Promise<void> {
    await this.#transport.json({ method: 'DELETE', path: pathOf(idOrName) })
  }

  /**
   * Enables a connection.
   *
   * @example
   * ```ts
   * await client.connections.enable('gmail')
   * ```
   */
  async enable(idOrName: string): Promise<Connection> {
    return connectionOf(await this.#transport.json({ method: 'POST', path: `${pathOf(idOrName)}:enable` }))
  }

  /**
   * Disables a connection.
   *
   * @example
   * ```ts
   * await client.connections.disable('gmail')
   * ```
   */
  async disable(idOrName: string): Promise<Connection> {
    return connectionOf(await this.#transport.json({ method: 'POST', path: `${pathOf(idOrName)}:disable` }))
  }
}

function pathOf(idOrName: string): string {
  return `${BASE}/${segment(idOrName, 'idOrName')}`
}

function connectionOf(body: unknown): Connection {
  return fromWire<{ connection: Connection }>(body).connection
}

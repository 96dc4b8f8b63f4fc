/**
 * @module events — client of the event log, `POST /api/v1/events`.
 */

import type { Transport } from './transport.js'
import type { AgentgateEventType, EventPage } from './types.js'
import { fromWire, toWire } from './wire.js'

/** Filters of {@link EventsClient.list}. */
export interface EventFilter {
  eventTypes?: readonly (AgentgateEventType | (string & {}))[] | undefined
  connectedAccountId?: string | undefined
  connectionName?: string | undefined
  connectionId?: string | undefined
  /** A `Date` or an RFC 3339 string. */
  startTime?: Date | string | undefined
  endTime?: Date | string | undefined
  /** 1–100, default 30. */
  pageSize?: number | undefined
  pageToken?: string | undefined
}

/**
 * Reads the environment's event log (every change, newest first, never with secrets).
 *
 * @example
 * ```ts
 * const { events } = await client.events.list({ connectionName: 'gmail', startTime: new Date(Date.now() - 3_600_000) })
 * ```
 */
export class EventsClient {
  readonly #transport: Transport

  constructor(transport: Transport) {
    this.#transport = transport
  }

  /**
   * Lists events matching `filter`.
   *
   * @example
   * ```ts
   * const page = await client.events.list({ eventTypes: ['connected_account.created'], pageSize: 100 })
   * ```
   */
  async list(filter: EventFilter = {}): Promise<EventPage> {
    const json = toWire({ ...filter, startTime: timeOf(filter.startTime), endTime: timeOf(filter.endTime) })
    const page = fromWire<Partial<EventPage>>(await this.#transport.json({ method: 'POST', path: '/api/v1/events', json }))
    return { events: page.events ?? [], totalSize: page.totalSize ?? 0, nextPageToken: page.nextPageToken ?? '' }
  }
}

function timeOf(value: Date | string | undefined): string | undefined {
  return value instanceof Date ? value.toISOString() : value
}

/**
 * @module webhooks — client of `/api/v1/webhooks`: endpoints, secret rotation, the delivery log and
 * test events. Verifying incoming requests is {@link verifyWebhookPayload} (module `webhook-verify`).
 */

import type { Transport } from './transport.js'
import { fromWire, segment, toQuery, toWire, withPageInfo } from './wire.js'

const BASE = '/api/v1/webhooks/endpoints'

/** Event types an endpoint can subscribe to. */
export type WebhookEventType =
  | 'connected_account.created'
  | 'connected_account.updated'
  | 'connected_account.status_updated'
  | 'connected_account.deleted'
  | 'connected_account.disconnected'
  | 'connected_account.magic_link_generated'
  | 'connected_account.oauth_tokens_fetched'
  | 'connected_account.oauth_succeeded'
  | 'connected_account.verification_failed'
  | 'connected_account.authorization_failed'
  | 'connected_account.token_refresh_succeeded'
  | 'connected_account.token_refresh_failed'
  | 'connected_account.provider_revocation'

/** A registered receiver. Its secret is never part of it (see {@link WebhookEndpointWithSecret}). */
export interface WebhookEndpoint {
  id: string
  url: string
  description: string
  /** Subscribed types; empty means every `connected_account.*` event. */
  eventTypes: WebhookEventType[]
  enabled: boolean
  createdAt: string
  updatedAt: string
}

/** Answer of create and rotate: the only two places the `whsec_…` secret is ever shown. */
export interface WebhookEndpointWithSecret {
  webhookEndpoint: WebhookEndpoint
  secret: string
}

/** Input of {@link WebhooksClient.createEndpoint}. */
export interface WebhookEndpointInput {
  /** https on a public host (private addresses only when the gateway allows them, in development). */
  url: string
  description?: string | undefined
  eventTypes?: readonly WebhookEventType[] | undefined
  enabled?: boolean | undefined
}

/** One event on its way to one endpoint. `payload` is kept exactly as sent (snake_case). */
export interface WebhookDelivery {
  id: string
  endpointId: string
  /** Also the `webhook-id` header, the same on every retry. */
  eventId: string
  eventType: string
  status: 'pending' | 'succeeded' | 'failed'
  attempts: number
  nextAttemptAt: string | null
  lastStatusCode: number | null
  lastError: string | null
  payload: Record<string, unknown>
  createdAt: string
  updatedAt: string
}

/** Paging parameters. */
export interface WebhookPageParams {
  /** 1–100, default 30. */
  pageSize?: number | undefined
  pageToken?: string | undefined
}

/** A page of endpoints, oldest first. */
export interface WebhookEndpointPage {
  webhookEndpoints: WebhookEndpoint[]
  totalSize: number
  nextPageToken: string
  prevPageToken: string
}

/** A page of the delivery log, newest first. */
export interface WebhookDeliveryPage {
  deliveries: WebhookDelivery[]
  totalSize: number
  nextPageToken: string
  prevPageToken: string
}

/**
 * Manages the environment's webhook endpoints.
 *
 * @example
 * ```ts
 * const { webhookEndpoint, secret } = await client.webhooks.createEndpoint({ url: 'https://example.com/hooks/agentgate' })
 * // store `secret` (whsec_…) where your receiver reads it: it is not shown again
 * ```
 */
export class WebhooksClient {
  readonly #transport: Transport

  constructor(transport: Transport) {
    this.#transport = transport
  }

  /**
   * Registers an endpoint and returns it with its signing secret (shown only now).
   *
   * @example
   * ```ts
   * await client.webhooks.createEndpoint({ url, eventTypes: ['connected_account.status_updated'] })
   * ```
   */
  async createEndpoint(input: WebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    return fromWire<WebhookEndpointWithSecret>(await this.#transport.json({ method: 'POST', path: BASE, json: toWire(input) }))
  }

  /**
   * Lists endpoints, oldest first.
   *
   * @example
   * ```ts
   * const { webhookEndpoints } = await client.webhooks.listEndpoints()
   * ```
   */
  async listEndpoints(params: WebhookPageParams = {}): Promise<WebhookEndpointPage> {
    const body = await this.#transport.json({ method: 'GET', path: BASE, query: toQuery(params) })
    return withPageInfo({ webhookEndpoints: [], ...fromWire<Partial<WebhookEndpointPage>>(body) })
  }

  /**
   * Reads one endpoint (`NotFoundError` for an unknown id or one of another environment).
   *
   * @example
   * ```ts
   * const endpoint = await client.webhooks.getEndpoint('whe_…')
   * ```
   */
  async getEndpoint(id: string): Promise<WebhookEndpoint> {
    return endpointOf(await this.#transport.json({ method: 'GET', path: pathOf(id) }))
  }

  /**
   * Changes any of url, description, event types and enabled.
   *
   * @example
   * ```ts
   * await client.webhooks.updateEndpoint('whe_…', { enabled: false })
   * ```
   */
  async updateEndpoint(id: string, patch: Partial<WebhookEndpointInput>): Promise<WebhookEndpoint> {
    return endpointOf(await this.#transport.json({ method: 'PATCH', path: pathOf(id), json: toWire(patch) }))
  }

  /**
   * Deletes an endpoint with its queued deliveries and log.
   *
   * @example
   * ```ts
   * await client.webhooks.deleteEndpoint('whe_…')
   * ```
   */
  async deleteEndpoint(id: string): Promise<void> {
    await this.#transport.json({ method: 'DELETE', path: pathOf(id) })
  }

  /**
   * Replaces the signing secret; the old one keeps signing alongside the new one for 24 hours.
   *
   * @example
   * ```ts
   * const { secret } = await client.webhooks.rotateSecret('whe_…')
   * ```
   */
  async rotateSecret(id: string): Promise<WebhookEndpointWithSecret> {
    return fromWire<WebhookEndpointWithSecret>(await this.#transport.json({ method: 'POST', path: `${pathOf(id)}:rotate_secret` }))
  }

  /**
   * Reads the delivery log of an endpoint, newest first.
   *
   * @example
   * ```ts
   * const { deliveries } = await client.webhooks.listDeliveries('whe_…', { pageSize: 10 })
   * ```
   */
  async listDeliveries(id: string, params: WebhookPageParams = {}): Promise<WebhookDeliveryPage> {
    const body = (await this.#transport.json({ method: 'GET', path: `${pathOf(id)}/deliveries`, query: toQuery(params) })) as { deliveries?: { payload?: unknown }[] }
    // The payload is shown as it was signed and sent, so its keys are not camel-cased.
    const payloads = (body.deliveries ?? []).map((d) => d.payload)
    const page = withPageInfo({ deliveries: [], ...fromWire<Partial<WebhookDeliveryPage>>(body) })
    page.deliveries.forEach((delivery, i) => (delivery.payload = (payloads[i] ?? {}) as Record<string, unknown>))
    return page
  }

  /**
   * Queues a synthetic event (payload `test: true`) to every enabled endpoint subscribed to `eventType`.
   *
   * @example
   * ```ts
   * const { deliveryIds } = await client.webhooks.sendTestEvent('connected_account.created')
   * ```
   */
  async sendTestEvent(eventType: WebhookEventType): Promise<{ eventId: string; deliveryIds: string[] }> {
    const path = `/api/v1/webhooks/test-event/${segment(eventType, 'eventType')}`
    return fromWire<{ eventId: string; deliveryIds: string[] }>(await this.#transport.json({ method: 'POST', path }))
  }
}

function pathOf(id: string): string {
  return `${BASE}/${segment(id, 'id')}`
}

function endpointOf(body: unknown): WebhookEndpoint {
  return fromWire<{ webhookEndpoint: WebhookEndpoint }>(body).webhookEndpoint
}

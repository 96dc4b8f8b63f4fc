/**
 * @module Turning events into queued webhook deliveries. `recordEvent` calls `enqueueWebhookDeliveries`
 * with the Store it was given, so inside a transaction the deliveries commit or roll back with the
 * change and its event: no webhook for a change that did not happen, none lost for one that did.
 */
import { newId } from '../../ids.ts';
import type { GatewayEvent } from '../model.ts';
import type { Store } from '../ports.ts';
import type { WebhookDelivery, WebhookEndpoint } from './webhook-port.ts';

/** Only account events go out as webhooks (reference §7.4); connection and settings events stay in the log. */
export const WEBHOOK_EVENT_PREFIX = 'connected_account.';

/**
 * The envelope of reference §7.4. Built from the stored event only, and events never carry secrets
 * (their data is `accountEventData` or similar public fields), so neither does a payload.
 */
export function webhookEnvelope(event: GatewayEvent, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    spec_version: '1',
    id: event.id,
    type: event.type,
    occurred_at: event.occurredAt.toISOString(),
    environment_id: event.environmentId,
    object: event.object,
    data: { ...event.data },
    ...extra,
  };
}

function deliveriesFor(endpoints: readonly WebhookEndpoint[], event: GatewayEvent, payload: Record<string, unknown>, now: Date): WebhookDelivery[] {
  return endpoints.map((endpoint) => ({
    id: newId('whd', now.getTime()),
    environmentId: event.environmentId,
    endpointId: endpoint.id,
    eventId: event.id,
    eventType: event.type,
    payload,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastStatusCode: null,
    lastError: null,
    leaseUntil: null,
    createdAt: now,
    updatedAt: now,
  }));
}

/**
 * Queues one delivery per enabled endpoint of the event's environment subscribed to its type.
 * Non-account events are ignored. Returns the deliveries queued.
 */
export async function enqueueWebhookDeliveries(store: Store, event: GatewayEvent, extra?: Readonly<Record<string, unknown>>): Promise<WebhookDelivery[]> {
  if (!event.type.startsWith(WEBHOOK_EVENT_PREFIX)) return [];
  const endpoints = await store.webhooks.subscribedEndpoints(event.environmentId, event.type);
  if (endpoints.length === 0) return [];
  const deliveries = deliveriesFor(endpoints, event, webhookEnvelope(event, extra), event.occurredAt);
  await store.webhooks.insertDeliveries(deliveries);
  return deliveries;
}

/**
 * @module Webhook records and their storage port. Kept beside the webhook domain (and re-exported
 * through `Store.webhooks` in ports.ts) so the feature's storage contract reads in one place.
 */
import type { PageWindow } from '../ports.ts';

/** The `connected_account.*` types an endpoint can subscribe to (an empty list means all of them). */
export const WEBHOOK_EVENT_TYPES = [
  'connected_account.created',
  'connected_account.updated',
  'connected_account.status_updated',
  'connected_account.deleted',
  'connected_account.disconnected',
  'connected_account.magic_link_generated',
  'connected_account.oauth_tokens_fetched',
  'connected_account.oauth_succeeded',
  'connected_account.verification_failed',
  'connected_account.authorization_failed',
  'connected_account.token_refresh_succeeded',
  'connected_account.token_refresh_failed',
  'connected_account.provider_revocation',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEndpoint {
  readonly id: string;
  readonly environmentId: string;
  readonly url: string;
  readonly description: string;
  /** Subscribed types; empty: every `connected_account.*` event. */
  readonly eventTypes: readonly string[];
  /** `whsec_…` sealed by the vault (AAD: this row, field `secret`). */
  readonly secretSealed: string;
  /** The secret before the last rotation, still signed with until `previousSecretExpiresAt` (KEY-07). */
  readonly previousSecretSealed: string | null;
  readonly previousSecretExpiresAt: Date | null;
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event on its way to one endpoint: the queue row and the delivery log entry at once. */
export interface WebhookDelivery {
  readonly id: string;
  readonly environmentId: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly eventType: string;
  /** The envelope exactly as it will be sent (secret-free by construction: events carry no secret). */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  /** When the next attempt is due; null once the delivery succeeded or failed for good. */
  readonly nextAttemptAt: Date | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  /** Set while one dispatcher owns the row; its exact value is that dispatcher's fencing token. */
  readonly leaseUntil: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What one attempt changes. */
export interface DeliveryOutcome {
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly updatedAt: Date;
}

export interface WebhookRepository {
  insertEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  findEndpoint(environmentId: string, id: string): Promise<WebhookEndpoint | undefined>;
  /** Oldest first. */
  listEndpoints(environmentId: string, window: PageWindow): Promise<WebhookEndpoint[]>;
  countEndpoints(environmentId: string): Promise<number>;
  updateEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  /** False when there was no such endpoint in the environment. Its deliveries go with it. */
  deleteEndpoint(environmentId: string, id: string): Promise<boolean>;
  /** Enabled endpoints of the environment subscribed to `eventType` (explicitly or through an empty list). */
  subscribedEndpoints(environmentId: string, eventType: string): Promise<WebhookEndpoint[]>;
  insertDeliveries(deliveries: readonly WebhookDelivery[]): Promise<void>;
  /** Newest first. */
  listDeliveries(environmentId: string, endpointId: string, window: PageWindow): Promise<WebhookDelivery[]>;
  countDeliveries(environmentId: string, endpointId: string): Promise<number>;
  /**
   * Atomically takes up to `limit` pending deliveries that are due and not leased by anyone else
   * (`FOR UPDATE SKIP LOCKED` plus a re-checked lease), setting their lease to `leaseUntil`.
   */
  leaseDue(now: Date, leaseUntil: Date, limit: number): Promise<WebhookDelivery[]>;
  /** Writes an attempt's outcome and drops the lease, only if the lease is still `leaseUntil` (ours). */
  completeAttempt(id: string, leaseUntil: Date, outcome: DeliveryOutcome): Promise<boolean>;
}

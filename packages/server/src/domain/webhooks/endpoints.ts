/**
 * @module Webhook endpoints of an environment: CRUD, secret rotation, the delivery log and test events.
 * Every lookup is scoped by environment, so another environment's endpoint is simply not found (404).
 */
import { GatewayError } from '../../errors.ts';
import { looksLikeId, newId } from '../../ids.ts';
import type { DomainContext } from '../context.ts';
import type { GatewayEvent } from '../model.ts';
import { assertOutboundUrl } from '../outbound-url.ts';
import { paginate, type PageRequest } from '../pagination.ts';
import type { Vault } from '../vault/vault.ts';
import { enqueueWebhookDeliveries } from './enqueue.ts';
import { generateWebhookSecret } from './signing.ts';
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from './webhook-port.ts';

/** Bounds the fan-out of one event (each endpoint is a queued row and an outbound request). */
export const MAX_ENDPOINTS_PER_ENVIRONMENT = 20;

/**
 * How long the secret replaced by `:rotate_secret` still signs deliveries (alongside the new one), so
 * receivers can switch secrets without rejecting anything in between (KEY-07).
 */
export const PREVIOUS_SECRET_GRACE_SECONDS = 24 * 3600;

export interface EndpointInput {
  readonly url: string;
  readonly description?: string | undefined;
  readonly eventTypes?: readonly WebhookEventType[] | undefined;
  readonly enabled?: boolean | undefined;
}

export type EndpointChanges = { readonly [K in keyof EndpointInput]?: EndpointInput[K] | undefined };

/** An endpoint with its plaintext secret: only ever returned by create and rotate. */
export interface EndpointWithSecret {
  readonly endpoint: WebhookEndpoint;
  readonly secret: string;
}

const sealContext = (id: string, field: 'secret' | 'previous_secret') => ({ table: 'webhook_endpoints', id, field });

export function sealEndpointSecret(vault: Vault, endpointId: string, secret: string, field: 'secret' | 'previous_secret' = 'secret'): string {
  return vault.encrypt(secret, sealContext(endpointId, field));
}

/** The secrets a delivery is signed with right now: the current one, and the previous one during its grace period. */
export function signingSecrets(vault: Vault, endpoint: WebhookEndpoint, now: Date): string[] {
  const secrets = [vault.decrypt(endpoint.secretSealed, sealContext(endpoint.id, 'secret'))];
  if (endpoint.previousSecretSealed !== null && endpoint.previousSecretExpiresAt !== null && endpoint.previousSecretExpiresAt > now) {
    secrets.push(vault.decrypt(endpoint.previousSecretSealed, sealContext(endpoint.id, 'previous_secret')));
  }
  return secrets;
}

function checkUrl(ctx: DomainContext, url: string): void {
  // Same rule as every other configured upstream: https on a public host. The outbound fetch checks
  // the resolved address again at every delivery (DNS can change after this check).
  assertOutboundUrl('url', url, ctx.allowPrivateUpstreams);
}

export async function createWebhookEndpoint(ctx: DomainContext, environmentId: string, input: EndpointInput): Promise<EndpointWithSecret> {
  checkUrl(ctx, input.url);
  if ((await ctx.store.webhooks.countEndpoints(environmentId)) >= MAX_ENDPOINTS_PER_ENVIRONMENT) {
    throw new GatewayError('webhook_endpoint_limit_reached', `An environment can have at most ${MAX_ENDPOINTS_PER_ENVIRONMENT} webhook endpoints; delete one first.`, {
      details: { limit: MAX_ENDPOINTS_PER_ENVIRONMENT },
    });
  }
  const now = ctx.clock();
  const id = newId('whe', now.getTime());
  const secret = generateWebhookSecret();
  const endpoint: WebhookEndpoint = {
    id,
    environmentId,
    url: input.url,
    description: input.description ?? '',
    eventTypes: [...new Set(input.eventTypes ?? [])],
    secretSealed: sealEndpointSecret(ctx.vault, id, secret),
    previousSecretSealed: null,
    previousSecretExpiresAt: null,
    enabled: input.enabled ?? true,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.webhooks.insertEndpoint(endpoint);
  return { endpoint, secret };
}

export async function findWebhookEndpoint(ctx: DomainContext, environmentId: string, id: string): Promise<WebhookEndpoint> {
  const endpoint = looksLikeId('whe', id) ? await ctx.store.webhooks.findEndpoint(environmentId, id) : undefined;
  if (endpoint === undefined) {
    throw new GatewayError('webhook_endpoint_not_found', `No webhook endpoint "${id}" in this environment; GET /api/v1/webhooks/endpoints lists them.`, {
      details: { id },
    });
  }
  return endpoint;
}

export async function listWebhookEndpoints(ctx: DomainContext, environmentId: string, page: PageRequest) {
  const [result, total] = await Promise.all([
    paginate(page, (window) => ctx.store.webhooks.listEndpoints(environmentId, window)),
    ctx.store.webhooks.countEndpoints(environmentId),
  ]);
  return { ...result, total };
}

export async function updateWebhookEndpoint(ctx: DomainContext, environmentId: string, id: string, changes: EndpointChanges): Promise<WebhookEndpoint> {
  const endpoint = await findWebhookEndpoint(ctx, environmentId, id);
  if (changes.url !== undefined) checkUrl(ctx, changes.url);
  const updated: WebhookEndpoint = {
    ...endpoint,
    ...(changes.url === undefined ? {} : { url: changes.url }),
    ...(changes.description === undefined ? {} : { description: changes.description }),
    ...(changes.eventTypes === undefined ? {} : { eventTypes: [...new Set(changes.eventTypes)] }),
    ...(changes.enabled === undefined ? {} : { enabled: changes.enabled }),
    updatedAt: ctx.clock(),
  };
  await ctx.store.webhooks.updateEndpoint(updated);
  return updated;
}

export async function deleteWebhookEndpoint(ctx: DomainContext, environmentId: string, id: string): Promise<void> {
  const endpoint = await findWebhookEndpoint(ctx, environmentId, id);
  await ctx.store.webhooks.deleteEndpoint(environmentId, endpoint.id);
}

/**
 * Replaces the signing secret and returns the new one (the only time it is shown). The old secret
 * keeps signing, next to the new one, for {@link PREVIOUS_SECRET_GRACE_SECONDS}.
 */
export async function rotateWebhookSecret(ctx: DomainContext, environmentId: string, id: string): Promise<EndpointWithSecret> {
  const endpoint = await findWebhookEndpoint(ctx, environmentId, id);
  const now = ctx.clock();
  const current = ctx.vault.decrypt(endpoint.secretSealed, sealContext(endpoint.id, 'secret'));
  const secret = generateWebhookSecret();
  const rotated: WebhookEndpoint = {
    ...endpoint,
    secretSealed: sealEndpointSecret(ctx.vault, endpoint.id, secret),
    previousSecretSealed: sealEndpointSecret(ctx.vault, endpoint.id, current, 'previous_secret'),
    previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_GRACE_SECONDS * 1000),
    updatedAt: now,
  };
  await ctx.store.webhooks.updateEndpoint(rotated);
  return { endpoint: rotated, secret };
}

/** The delivery log of one endpoint, newest first. */
export async function listWebhookDeliveries(ctx: DomainContext, environmentId: string, endpointId: string, page: PageRequest) {
  const endpoint = await findWebhookEndpoint(ctx, environmentId, endpointId);
  const [result, total] = await Promise.all([
    paginate(page, (window) => ctx.store.webhooks.listDeliveries(environmentId, endpoint.id, window)),
    ctx.store.webhooks.countDeliveries(environmentId, endpoint.id),
  ]);
  return { ...result, total };
}

/**
 * Queues a synthetic event of `type` to every enabled endpoint subscribed to it. The event is not
 * written to the event log (nothing happened); its payload says `test: true` and its account is made up.
 */
export async function sendTestEvent(ctx: DomainContext, environmentId: string, type: WebhookEventType): Promise<{ event: GatewayEvent; deliveries: WebhookDelivery[] }> {
  const now = ctx.clock();
  const accountId = newId('ca', now.getTime());
  const event: GatewayEvent = {
    id: newId('evt', now.getTime()),
    environmentId,
    type,
    object: 'ConnectedAccount',
    connectedAccountId: accountId,
    connectionId: null,
    connectionName: 'test-connection',
    occurredAt: now,
    data: {
      id: accountId,
      identifier: 'test-user',
      connection_id: 'conn_test',
      connection_name: 'test-connection',
      provider: 'test',
      authorization_type: 'OAUTH',
      status: 'ACTIVE',
      token_expires_at: null,
      last_used_at: null,
      ...(type === 'connected_account.status_updated' ? { old_status: 'PENDING_AUTH' } : {}),
    },
  };
  const deliveries = await enqueueWebhookDeliveries(ctx.store, event, { test: true });
  return { event, deliveries };
}

/**
 * @module /api/v1/webhooks: endpoint CRUD, secret rotation, the delivery log and test events. The
 * signing secret appears in exactly two answers (create and `:rotate_secret`); nothing else returns it.
 */
import { z } from 'zod';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  findWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhookEndpoint,
} from '../../domain/webhooks/endpoints.ts';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES, type WebhookDelivery, type WebhookEndpoint } from '../../domain/webhooks/webhook-port.ts';
import { PageSize } from '../inputs.ts';
import { callerOf, defineRoute, type RouteSpec } from '../route.ts';
import type { HttpServices } from '../services.ts';
import { pageFields } from '../wire.ts';

const timestamp = z.string().describe('RFC 3339 timestamp');
const EventType = z.enum(WEBHOOK_EVENT_TYPES);

export const WebhookEndpointWire = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  event_types: z.array(z.string()).describe('Subscribed event types; empty means every connected_account.* event.'),
  enabled: z.boolean(),
  created_at: timestamp,
  updated_at: timestamp,
});

export const WebhookDeliveryWire = z.object({
  id: z.string(),
  endpoint_id: z.string(),
  event_id: z.string().describe('Also the webhook-id header: the same on every retry.'),
  event_type: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  next_attempt_at: timestamp.nullable(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  created_at: timestamp,
  updated_at: timestamp,
});

function formatEndpoint(e: WebhookEndpoint): z.infer<typeof WebhookEndpointWire> {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    event_types: [...e.eventTypes],
    enabled: e.enabled,
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

function formatDelivery(d: WebhookDelivery): z.infer<typeof WebhookDeliveryWire> {
  return {
    id: d.id,
    endpoint_id: d.endpointId,
    event_id: d.eventId,
    event_type: d.eventType,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt?.toISOString() ?? null,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    payload: { ...d.payload },
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

const EndpointFields = {
  url: z.string().min(1).max(2048),
  description: z.string().max(500).optional(),
  event_types: z.array(EventType).max(WEBHOOK_EVENT_TYPES.length * 2).optional(),
  enabled: z.boolean().optional(),
};
const CreateBody = z.object(EndpointFields).strict();
const UpdateBody = z.object({ ...EndpointFields, url: EndpointFields.url.optional() }).strict();
const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();
const PageQuery = z.object({ page_size: PageSize(100, 30), page_token: z.string().max(512).optional() }).strict();
const One = z.object({ webhook_endpoint: WebhookEndpointWire });
const WithSecret = z.object({ webhook_endpoint: WebhookEndpointWire, secret: z.string().describe('whsec_…: shown only in this answer.') });

const NOT_FOUND = ['webhook_endpoint_not_found', 'validation_failed'] as const;
const TAG = 'webhooks';

export function webhookRoutes({ ctx }: HttpServices): RouteSpec[] {
  const env = (request: Parameters<typeof callerOf>[0]) => callerOf(request).environmentId;
  const base = '/api/v1/webhooks/endpoints';
  return [
    defineRoute({
      method: 'POST',
      path: base,
      operationId: 'createWebhookEndpoint',
      summary: 'Register a webhook endpoint; the answer carries its signing secret, shown only this once.',
      tag: TAG,
      auth: true,
      status: 201,
      body: CreateBody,
      response: WithSecret,
      errors: ['validation_failed', 'insecure_endpoint', 'webhook_endpoint_limit_reached'],
      handler: async ({ body, request }) => {
        const { endpoint, secret } = await createWebhookEndpoint(ctx, env(request), {
          url: body.url,
          description: body.description,
          eventTypes: body.event_types,
          enabled: body.enabled,
        });
        return { webhook_endpoint: formatEndpoint(endpoint), secret };
      },
    }),
    defineRoute({
      method: 'GET',
      path: base,
      operationId: 'listWebhookEndpoints',
      summary: 'List the webhook endpoints of the environment, oldest first.',
      tag: TAG,
      auth: true,
      query: PageQuery,
      response: z.object({ webhook_endpoints: z.array(WebhookEndpointWire), ...pageFields }),
      errors: ['validation_failed'],
      handler: async ({ query, request }) => {
        const page = await listWebhookEndpoints(ctx, env(request), { pageSize: query.page_size, pageToken: query.page_token });
        return { webhook_endpoints: page.items.map(formatEndpoint), total_size: page.total, next_page_token: page.nextPageToken, prev_page_token: page.prevPageToken };
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${base}/{id}`,
      operationId: 'getWebhookEndpoint',
      summary: 'Get a webhook endpoint (never its secret).',
      tag: TAG,
      auth: true,
      params: IdParams,
      response: One,
      errors: [...NOT_FOUND],
      handler: async ({ params, request }) => ({ webhook_endpoint: formatEndpoint(await findWebhookEndpoint(ctx, env(request), params.id)) }),
    }),
    defineRoute({
      method: 'PATCH',
      path: `${base}/{id}`,
      operationId: 'updateWebhookEndpoint',
      summary: 'Change a webhook endpoint; fields left out keep their value.',
      tag: TAG,
      auth: true,
      params: IdParams,
      body: UpdateBody,
      response: One,
      errors: [...NOT_FOUND, 'insecure_endpoint'],
      handler: async ({ params, body, request }) => {
        const endpoint = await updateWebhookEndpoint(ctx, env(request), params.id, {
          url: body.url,
          description: body.description,
          eventTypes: body.event_types,
          enabled: body.enabled,
        });
        return { webhook_endpoint: formatEndpoint(endpoint) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: `${base}/{id}`,
      operationId: 'deleteWebhookEndpoint',
      summary: 'Delete a webhook endpoint and its delivery log; queued deliveries are dropped.',
      tag: TAG,
      auth: true,
      params: IdParams,
      response: z.object({}),
      errors: [...NOT_FOUND],
      handler: async ({ params, request }) => {
        await deleteWebhookEndpoint(ctx, env(request), params.id);
        return {};
      },
    }),
    defineRoute({
      method: 'POST',
      path: `${base}/{id}:rotate_secret`,
      operationId: 'rotateWebhookSecret',
      summary: 'Replace the signing secret (shown only in this answer); the old one keeps signing alongside it for 24 hours.',
      tag: TAG,
      auth: true,
      params: IdParams,
      response: WithSecret,
      errors: [...NOT_FOUND],
      handler: async ({ params, request }) => {
        const { endpoint, secret } = await rotateWebhookSecret(ctx, env(request), params.id);
        return { webhook_endpoint: formatEndpoint(endpoint), secret };
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${base}/{id}/deliveries`,
      operationId: 'listWebhookDeliveries',
      summary: 'The delivery log of an endpoint, newest first: status, attempts, last answer, next retry.',
      tag: TAG,
      auth: true,
      params: IdParams,
      query: PageQuery,
      response: z.object({ deliveries: z.array(WebhookDeliveryWire), ...pageFields }),
      errors: [...NOT_FOUND],
      handler: async ({ params, query, request }) => {
        const page = await listWebhookDeliveries(ctx, env(request), params.id, { pageSize: query.page_size, pageToken: query.page_token });
        return { deliveries: page.items.map(formatDelivery), total_size: page.total, next_page_token: page.nextPageToken, prev_page_token: page.prevPageToken };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/webhooks/test-event/{event_type}',
      operationId: 'sendWebhookTestEvent',
      summary: 'Queue a synthetic event of this type (payload `test: true`) to every enabled endpoint subscribed to it.',
      tag: TAG,
      auth: true,
      status: 202,
      params: z.object({ event_type: EventType }).strict(),
      response: z.object({ event_id: z.string(), delivery_ids: z.array(z.string()) }),
      errors: ['validation_failed'],
      handler: async ({ params, request }) => {
        const { event, deliveries } = await sendTestEvent(ctx, env(request), params.event_type);
        return { event_id: event.id, delivery_ids: deliveries.map((d) => d.id) };
      },
    }),
  ];
}

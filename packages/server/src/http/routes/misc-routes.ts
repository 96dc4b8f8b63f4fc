/** @module Providers (the catalog), events and environment settings. */
import { z } from 'zod';
import { updateSettings } from '../../domain/environments/environments.ts';
import { listEvents } from '../../domain/events/record-event.ts';
import { AUTH_TYPES } from '../../domain/model.ts';
import { paginate } from '../../domain/pagination.ts';
import { GatewayError } from '../../errors.ts';
import { ConnectionRef } from '../inputs.ts';
import { callerOf, defineRoute, type RouteSpec } from '../route.ts';
import type { HttpServices } from '../services.ts';
import { EventWire, ProviderWire, SettingsWire, formatEvent, formatProvider, formatSettings } from '../wire.ts';

const EventQuery = z
  .object({
    event_types: z.array(z.string().max(128)).max(50).optional(),
    connected_account_id: z.string().max(64).optional(),
    connection_name: ConnectionRef.optional(),
    connection_id: z.string().max(64).optional(),
    start_time: z.iso.datetime({ offset: true }).optional(),
    end_time: z.iso.datetime({ offset: true }).optional(),
    page_size: z.number().int().min(1).max(100).default(30),
    page_token: z.string().max(512).optional(),
  })
  .strict();

const SettingsPatch = SettingsWire.partial().strict().extend({ allowed_redirect_origins: z.array(z.string().max(512)).max(50).optional() });

export function miscRoutes({ ctx }: HttpServices): RouteSpec[] {
  const environmentOf = async (id: string) => {
    const environment = await ctx.store.environments.findById(id);
    if (environment === undefined) throw new GatewayError('invalid_token', 'The environment of this token no longer exists.');
    return environment;
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/providers',
      operationId: 'listProviders',
      summary: 'List the connectors of the catalog.',
      tag: 'providers',
      auth: true,
      query: z.object({ query: z.string().max(100).optional(), auth_type: z.enum(AUTH_TYPES).optional(), category: z.string().max(64).optional() }).strict(),
      response: z.object({ providers: z.array(ProviderWire), total_size: z.number().int() }),
      errors: ['validation_failed'],
      handler: async ({ query }) => {
        const text = query.query?.toLowerCase();
        const providers = ctx.catalog.list().filter(
          (c) =>
            (text === undefined || c.key.includes(text) || c.display_name.toLowerCase().includes(text)) &&
            (query.auth_type === undefined || (c.auth_types as readonly string[]).includes(query.auth_type)) &&
            (query.category === undefined || (c.categories as readonly string[]).includes(query.category)),
        );
        return { providers: providers.map(formatProvider), total_size: providers.length };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/providers/{key}',
      operationId: 'getProvider',
      summary: 'Get one connector of the catalog.',
      tag: 'providers',
      auth: true,
      params: z.object({ key: z.string().max(64) }).strict(),
      response: z.object({ provider: ProviderWire }),
      errors: ['provider_not_found'],
      handler: async ({ params }) => {
        const connector = ctx.catalog.get(params.key);
        if (connector === undefined) throw new GatewayError('provider_not_found', `No connector "${params.key}"; GET /api/v1/providers lists them.`);
        return { provider: formatProvider(connector) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/events',
      operationId: 'listEvents',
      summary: 'Query the event log (newest first) by type, account, connection and time range.',
      tag: 'events',
      auth: true,
      body: EventQuery.optional(),
      response: z.object({ events: z.array(EventWire), total_size: z.number().int(), next_page_token: z.string(), prev_page_token: z.string() }),
      errors: ['validation_failed'],
      handler: async ({ body, request }) => {
        const q = EventQuery.parse(body ?? {});
        const filter = {
          ...(q.event_types === undefined ? {} : { types: q.event_types }),
          ...(q.connected_account_id === undefined ? {} : { connectedAccountId: q.connected_account_id }),
          ...(q.connection_name === undefined ? {} : { connectionName: q.connection_name }),
          ...(q.connection_id === undefined ? {} : { connectionId: q.connection_id }),
          ...(q.start_time === undefined ? {} : { from: new Date(q.start_time) }),
          ...(q.end_time === undefined ? {} : { to: new Date(q.end_time) }),
        };
        const environmentId = callerOf(request).environmentId;
        const [page, total] = await Promise.all([
          paginate({ pageSize: q.page_size, pageToken: q.page_token }, (window) => listEvents(ctx.store, environmentId, filter, window).then((r) => r.events)),
          ctx.store.events.count(environmentId, filter),
        ]);
        return { events: page.items.map(formatEvent), total_size: total, next_page_token: page.nextPageToken, prev_page_token: page.prevPageToken };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/settings',
      operationId: 'getSettings',
      summary: 'Get the environment settings.',
      tag: 'settings',
      auth: true,
      response: z.object({ settings: SettingsWire }),
      errors: [],
      handler: async ({ request }) => ({ settings: formatSettings((await environmentOf(callerOf(request).environmentId)).settings) }),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/settings',
      operationId: 'updateSettings',
      summary: 'Change some environment settings; fields left out keep their value.',
      tag: 'settings',
      auth: true,
      body: SettingsPatch,
      response: z.object({ settings: SettingsWire }),
      errors: ['validation_failed'],
      handler: async ({ body, request }) => {
        const environment = await environmentOf(callerOf(request).environmentId);
        const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
        return { settings: formatSettings(await updateSettings(ctx.store, environment, changes, ctx.clock())) };
      },
    }),
  ];
}

/** @module /api/v1/connections: create, list, get, update, delete, enable, disable. */
import { z } from 'zod';
import {
  createConnection,
  deleteConnection,
  findConnection,
  listConnections,
  setConnectionEnabled,
  updateConnection,
} from '../../domain/connections/connections.ts';
import { AUTH_TYPES } from '../../domain/model.ts';
import { ApiConfigInput, ConnectionName, ConnectionRef, PageSize } from '../inputs.ts';
import { callerOf, defineRoute, type RouteSpec } from '../route.ts';
import type { HttpServices } from '../services.ts';
import { ConnectionWire, formatConnection, pageFields } from '../wire.ts';

const url = z.string().max(2048);

const OAuthConfigInput = z
  .object({
    client_id: z.string().min(1).max(512).optional(),
    client_secret: z.string().min(1).max(4096).optional(),
    scopes: z.array(z.string().min(1).max(512)).max(200).optional(),
    pkce_enabled: z.boolean().optional(),
    prompt: z.string().max(64).optional(),
    access_type: z.string().max(64).optional(),
    tenant_id: z.string().max(128).optional(),
    extra_authorize_params: z.record(z.string().max(64), z.string().max(1024)).optional(),
    authorize_uri: url.optional(),
    token_uri: url.optional(),
    revoke_uri: url.optional(),
    userinfo_uri: url.optional(),
    issuer: url.optional(),
  })
  .strict();

const ConnectionFields = {
  name: ConnectionName,
  type: z.enum(AUTH_TYPES).optional(),
  enabled: z.boolean().optional(),
  oauth_config: OAuthConfigInput.optional(),
  api_config: ApiConfigInput.optional(),
};

const CreateBody = z.object({ connection: z.object({ provider: z.string().min(1).max(64), ...ConnectionFields }).strict() }).strict();
const UpdateBody = z.object({ connection: z.object({ ...ConnectionFields, name: ConnectionName.optional() }).strict() }).strict();
const IdParams = z.object({ id: ConnectionRef }).strict();
const ListQuery = z.object({ provider: z.string().max(64).optional(), page_size: PageSize(100, 30), page_token: z.string().max(512).optional() }).strict();
const One = z.object({ connection: ConnectionWire });

const NOT_FOUND = ['connection_not_found', 'validation_failed'] as const;

export function connectionRoutes({ ctx }: HttpServices): RouteSpec[] {
  const format = (c: Parameters<typeof formatConnection>[0]) => ({ connection: formatConnection(c, ctx.publicUrl) });
  const list = defineRoute({
    method: 'GET',
    path: '/api/v1/connections',
    operationId: 'listConnections',
    summary: 'List the connections of the environment.',
    tag: 'connections',
    auth: true,
    query: ListQuery,
    response: z.object({ connections: z.array(ConnectionWire), ...pageFields }),
    errors: ['validation_failed'],
    handler: async ({ query, request }) => {
      const filter = query.provider === undefined ? {} : { provider: query.provider };
      const page = await listConnections(ctx, callerOf(request).environmentId, filter, { pageSize: query.page_size, pageToken: query.page_token });
      return {
        connections: page.items.map((c) => formatConnection(c, ctx.publicUrl)),
        total_size: page.total,
        next_page_token: page.nextPageToken,
        prev_page_token: page.prevPageToken,
      };
    },
  });
  const toggle = (enabled: boolean) =>
    (['PATCH', 'POST'] as const).map((method) =>
      defineRoute({
        method,
        path: `/api/v1/connections/{id}:${enabled ? 'enable' : 'disable'}`,
        operationId: `${enabled ? 'enable' : 'disable'}Connection${method === 'POST' ? 'Post' : ''}`,
        summary: `${enabled ? 'Enable' : 'Disable'} a connection (by id or name).`,
        tag: 'connections',
        auth: true,
        hidden: method === 'POST',
        params: IdParams,
        response: One,
        errors: [...NOT_FOUND],
        handler: async ({ params, request }) => format(await setConnectionEnabled(ctx, callerOf(request).environmentId, params.id, enabled)),
      }),
    );
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/connections',
      operationId: 'createConnection',
      summary: 'Create a connection of a connector (OAuth client settings, or just a name for static credentials).',
      tag: 'connections',
      auth: true,
      status: 201,
      body: CreateBody,
      response: One,
      errors: ['validation_failed', 'unknown_provider', 'invalid_auth_type', 'insecure_endpoint', 'connection_name_taken'],
      handler: async ({ body, request }) => format(await createConnection(ctx, callerOf(request).environmentId, body.connection)),
    }),
    list,
    { ...list, path: '/api/v1/connections/app', operationId: 'listAppConnections', hidden: true },
    defineRoute({
      method: 'GET',
      path: '/api/v1/connections/{id}',
      operationId: 'getConnection',
      summary: 'Get a connection by id or name.',
      tag: 'connections',
      auth: true,
      params: IdParams,
      response: One,
      errors: [...NOT_FOUND],
      handler: async ({ params, request }) => format(await findConnection(ctx, callerOf(request).environmentId, params.id)),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/connections/{id}',
      operationId: 'updateConnection',
      summary: 'Change a connection; fields left out keep their value. The provider and type cannot change.',
      tag: 'connections',
      auth: true,
      params: IdParams,
      body: UpdateBody,
      response: One,
      errors: [...NOT_FOUND, 'insecure_endpoint', 'connection_name_taken'],
      handler: async ({ params, body, request }) => format(await updateConnection(ctx, callerOf(request).environmentId, params.id, body.connection)),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/connections/{id}',
      operationId: 'deleteConnection',
      summary: 'Delete a connection that has no connected accounts.',
      tag: 'connections',
      auth: true,
      params: IdParams,
      response: z.object({}),
      errors: [...NOT_FOUND, 'connection_has_accounts'],
      handler: async ({ params, request }) => {
        await deleteConnection(ctx, callerOf(request).environmentId, params.id);
        return {};
      },
    }),
    ...toggle(true),
    ...toggle(false),
  ];
}

/** @module Changing connected accounts: create, update (upsert credentials), delete, disconnect. */
import { z } from 'zod';
import { createAccount, deleteAccount, disconnectAccount, updateAccount } from '../../domain/accounts/accounts.ts';
import type { AuthorizationDetailsInput as DomainDetails } from '../../domain/accounts/authorization-details.ts';
import { GatewayError } from '../../errors.ts';
import { LocatorFields, connectionNameOf, locatorOf } from '../account-inputs.ts';
import { ApiConfigInput, AuthorizationDetailsInput, ConnectionRef, Identifier, ScopeKey } from '../inputs.ts';
import { callerOf, defineRoute, type RouteSpec } from '../route.ts';
import type { HttpServices } from '../services.ts';
import { ConnectedAccountWire, formatAccount } from '../wire.ts';

/** The reference API nests the changes under `connected_account`; both shapes are accepted. */
const Nested = z.object({ authorization_details: AuthorizationDetailsInput.optional(), api_config: ApiConfigInput.optional() }).strict();

const CreateBody = z
  .object({
    connection_name: ConnectionRef.optional(),
    connector: ConnectionRef.optional(),
    identifier: Identifier,
    organization_id: ScopeKey,
    user_id: ScopeKey,
    authorization_details: AuthorizationDetailsInput.optional(),
    api_config: ApiConfigInput.optional(),
    connected_account: Nested.optional(),
  })
  .strict();

const UpdateBody = z
  .object({ ...LocatorFields, authorization_details: AuthorizationDetailsInput.optional(), api_config: ApiConfigInput.optional(), connected_account: Nested.optional() })
  .strict();

const DeleteBody = z.object(LocatorFields).strict();
const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();
const One = z.object({ connected_account: ConnectedAccountWire });

function changesOf(body: z.infer<typeof CreateBody> | z.infer<typeof UpdateBody>) {
  const nested = body.connected_account;
  if (nested !== undefined && (body.authorization_details !== undefined || body.api_config !== undefined)) {
    throw new GatewayError('validation_failed', 'Send authorization_details and api_config either at the top level or inside connected_account, not both.', {
      details: { issues: [{ path: 'connected_account', message: 'conflicts with top-level fields' }] },
    });
  }
  return {
    authorizationDetails: (nested?.authorization_details ?? body.authorization_details) as DomainDetails | undefined,
    apiConfig: nested?.api_config ?? body.api_config,
  };
}

export function accountWriteRoutes({ ctx }: HttpServices): RouteSpec[] {
  const disconnect = defineRoute({
    method: 'POST',
    path: '/api/v1/connected_accounts/{id}:disconnect',
    operationId: 'disconnectConnectedAccount',
    summary: 'Disconnect an account: credentials erased, status DISCONNECTED; a new authorization link reconnects it.',
    tag: 'connected accounts',
    auth: true,
    params: IdParams,
    response: One,
    errors: ['connected_account_not_found'],
    handler: async ({ params, request }) => {
      const view = await disconnectAccount(ctx, callerOf(request).environmentId, { id: params.id });
      return { connected_account: formatAccount(view.account, view.connection) };
    },
  });
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/connected_accounts',
      operationId: 'createConnectedAccount',
      summary: 'Create a connected account: PENDING_AUTH without credentials, ACTIVE with oauth_token or static_auth.',
      tag: 'connected accounts',
      auth: true,
      status: 201,
      body: CreateBody,
      response: One,
      errors: ['validation_failed', 'connection_not_found', 'connection_disabled', 'already_exists', 'invalid_credentials', 'invalid_auth_type', 'insecure_endpoint'],
      handler: async ({ body, request }) => {
        const connectionName = connectionNameOf(body);
        if (connectionName === undefined) {
          throw new GatewayError('validation_failed', 'connection_name is required.', { details: { issues: [{ path: 'connection_name', message: 'required' }] } });
        }
        const view = await createAccount(ctx, callerOf(request).environmentId, {
          connectionName,
          identifier: body.identifier,
          organizationId: body.organization_id,
          userId: body.user_id,
          ...changesOf(body),
        });
        return { connected_account: formatAccount(view.account, view.connection) };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/connected_accounts',
      operationId: 'updateConnectedAccount',
      summary: 'Update an account by id or connection name + identifier; new credentials apply whatever the status and make it ACTIVE.',
      tag: 'connected accounts',
      auth: true,
      body: UpdateBody,
      response: One,
      errors: ['validation_failed', 'connected_account_not_found', 'connection_not_found', 'invalid_credentials', 'invalid_auth_type', 'insecure_endpoint'],
      handler: async ({ body, request }) => {
        const view = await updateAccount(ctx, callerOf(request).environmentId, locatorOf(body), changesOf(body));
        return { connected_account: formatAccount(view.account, view.connection) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/connected_accounts:delete',
      operationId: 'deleteConnectedAccount',
      summary: 'Delete an account and its credentials for good.',
      tag: 'connected accounts',
      auth: true,
      body: DeleteBody,
      response: z.object({}),
      errors: ['validation_failed', 'connected_account_not_found', 'connection_not_found'],
      handler: async ({ body, request }) => {
        await deleteAccount(ctx, callerOf(request).environmentId, locatorOf(body));
        return {};
      },
    }),
    disconnect,
  ];
}

/** @module Reading connected accounts: list, search, get, details, auth (credentials). */
import { z } from 'zod';
import { findAccount, listAccounts, type AccountListFilter } from '../../domain/accounts/accounts.ts';
import { openCredentials } from '../../domain/accounts/authorization-details.ts';
import { needsRefresh, refreshAccount } from '../../domain/tokens/refresh.ts';
import type { ConnectedAccount, Connection } from '../../domain/model.ts';
import { GatewayError } from '../../errors.ts';
import { LocatorQuery, connectionNameOf, locatorOf } from '../account-inputs.ts';
import { AccountStatusInput, ConnectionRef, Identifier, PageSize, ScopeKey, StringList } from '../inputs.ts';
import { callerOf, defineRoute, type RouteSpec } from '../route.ts';
import type { HttpServices } from '../services.ts';
import { ConnectedAccountWire, formatAccount, pageFields } from '../wire.ts';

const ListQuery = z
  .object({
    connection_name: ConnectionRef.optional(),
    connector: ConnectionRef.optional(),
    connection_names: StringList.optional(),
    provider: z.string().max(64).optional(),
    identifier: Identifier.optional(),
    status: AccountStatusInput.optional(),
    query: z.string().max(255).optional(),
    organization_id: ScopeKey,
    user_id: ScopeKey,
    page_size: PageSize(100, 30),
    page_token: z.string().max(512).optional(),
  })
  .strict();

const SearchQuery = z
  .object({
    query: z.string().trim().min(3, 'at least 3 characters').max(255),
    connection_name: ConnectionRef.optional(),
    page_size: PageSize(100, 30),
    page_token: z.string().max(512).optional(),
  })
  .strict();

const Many = z.object({ connected_accounts: z.array(ConnectedAccountWire), ...pageFields });
const One = z.object({ connected_account: ConnectedAccountWire });
const WithAuth = z.object({ connected_account: ConnectedAccountWire.extend({ authorization_details: z.record(z.string(), z.unknown()) }) });
const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();
const LOOKUP_ERRORS = ['connected_account_not_found', 'connection_not_found', 'validation_failed'] as const;

export function accountReadRoutes(services: HttpServices): RouteSpec[] {
  const { ctx } = services;

  async function page(environmentId: string, filter: AccountListFilter, pageSize: number, pageToken: string | undefined) {
    const result = await listAccounts(ctx, environmentId, filter, { pageSize, pageToken });
    return {
      connected_accounts: result.views.map((v) => formatAccount(v.account, v.connection)),
      total_size: result.total,
      next_page_token: result.nextPageToken,
      prev_page_token: result.prevPageToken,
    };
  }

  /** Empty token fields plus an explicit marker, so nobody wonders why the tokens are blank (seed 000). */
  function authorizationDetails(account: ConnectedAccount, connection: Connection, retrievalEnabled: boolean): Record<string, unknown> {
    const emptyOAuth = { access_token: '', refresh_token: '', scopes: [...account.scopes] };
    const emptyStatic = () => Object.fromEntries((ctx.catalog.get(connection.provider)?.fields ?? []).map((f) => [f.name, '']));
    const empty = account.authorizationType === 'OAUTH' ? { oauth_token: emptyOAuth } : { static_auth: emptyStatic() };
    if (account.credentialsSealed === null) return empty;
    if (!retrievalEnabled) {
      return { ...empty, redacted: 'token_access_disabled', docs_url: `${ctx.flow.docsUrl}/troubleshooting.md#blank-tokens-on-a-connected-account` };
    }
    const credentials = openCredentials(ctx.vault, account.id, account.credentialsSealed);
    if (credentials.kind === 'static_auth') return { static_auth: { ...credentials.fields } };
    const { kind: _kind, ...token } = credentials;
    void _kind;
    return { oauth_token: { refresh_token: '', ...token, scopes: [...account.scopes], expires_at: account.tokenExpiresAt?.toISOString() ?? null } };
  }

  const getById = defineRoute({
    method: 'GET',
    path: '/api/v1/connected_accounts/{id}',
    operationId: 'getConnectedAccount',
    summary: 'Get a connected account by id (no credentials).',
    tag: 'connected accounts',
    auth: true,
    params: IdParams,
    response: One,
    errors: ['connected_account_not_found'],
    handler: async ({ params, request }) => {
      const view = await findAccount(ctx, callerOf(request).environmentId, { id: params.id });
      return { connected_account: formatAccount(view.account, view.connection) };
    },
  });

  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/connected_accounts',
      operationId: 'listConnectedAccounts',
      summary: 'List connected accounts with filters and cursor pagination (never credentials).',
      tag: 'connected accounts',
      auth: true,
      query: ListQuery,
      response: Many,
      errors: ['validation_failed'],
      handler: async ({ query, request }) => {
        const connectionName = connectionNameOf(query);
        if (query.connection_names !== undefined && query.connection_names.length > 20) {
          throw new GatewayError('validation_failed', 'connection_names takes at most 20 names.', { details: { issues: [{ path: 'connection_names', message: 'at most 20' }] } });
        }
        if (query.connection_names !== undefined && connectionName !== undefined) {
          throw new GatewayError('validation_failed', 'connection_names cannot be combined with connection_name.', {
            details: { issues: [{ path: 'connection_names', message: 'not with connection_name' }] },
          });
        }
        const names = query.connection_names ?? (connectionName === undefined ? undefined : [connectionName]);
        const filter: AccountListFilter = {
          ...(names === undefined ? {} : { connectionNames: names }),
          ...(query.provider === undefined ? {} : { provider: query.provider }),
          ...(query.identifier === undefined ? {} : { identifier: query.identifier }),
          ...(query.status === undefined ? {} : { status: query.status }),
          ...(query.query === undefined || query.query === '' ? {} : { query: query.query }),
          ...(query.organization_id === undefined ? {} : { organizationId: query.organization_id }),
          ...(query.user_id === undefined ? {} : { userId: query.user_id }),
        };
        return page(callerOf(request).environmentId, filter, query.page_size, query.page_token);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/connected_accounts:search',
      operationId: 'searchConnectedAccounts',
      summary: 'Search connected accounts by identifier, connection name or provider (case-insensitive, ≥ 3 characters).',
      tag: 'connected accounts',
      auth: true,
      query: SearchQuery,
      response: Many,
      errors: ['validation_failed'],
      handler: async ({ query, request }) => {
        const filter: AccountListFilter = { query: query.query, ...(query.connection_name === undefined ? {} : { connectionNames: [query.connection_name] }) };
        return page(callerOf(request).environmentId, filter, query.page_size, query.page_token);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/connected_accounts/details',
      operationId: 'getConnectedAccountDetails',
      summary: 'Get one connected account by id or connection name + identifier, without credentials.',
      tag: 'connected accounts',
      auth: true,
      query: LocatorQuery,
      response: One,
      errors: [...LOOKUP_ERRORS],
      handler: async ({ query, request }) => {
        const view = await findAccount(ctx, callerOf(request).environmentId, locatorOf(query));
        return { connected_account: formatAccount(view.account, view.connection) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/connected_accounts/auth',
      operationId: 'getConnectedAccountAuth',
      summary: 'Get one connected account with its credentials when token retrieval is enabled; otherwise empty token fields and a marker.',
      tag: 'connected accounts',
      auth: true,
      query: LocatorQuery,
      response: WithAuth,
      errors: [...LOOKUP_ERRORS, 'token_refresh_rejected', 'token_refresh_unavailable'],
      handler: async ({ query, request, reply }) => {
        const caller = callerOf(request);
        let view = await findAccount(ctx, caller.environmentId, locatorOf(query));
        const environment = await ctx.store.environments.findById(caller.environmentId);
        const retrieval = environment?.settings.token_retrieval_enabled === true;
        // A token handed out is a token used: refresh one that is about to expire first (single flight).
        if (retrieval && view.account.status === 'ACTIVE' && view.account.authorizationType === 'OAUTH' && needsRefresh(ctx, view.account)) {
          view = await refreshAccount(ctx, caller.environmentId, view.account.id, { trigger: 'on_demand', force: false });
        }
        void reply.header('cache-control', 'no-store');
        return {
          connected_account: {
            ...formatAccount(view.account, view.connection),
            authorization_details: authorizationDetails(view.account, view.connection, retrieval),
          },
        };
      },
    }),
    getById,
    { ...getById, path: '/v1/connect/accounts/{id}', operationId: 'getConnectedAccountSeedPath', summary: 'Same as GET /api/v1/connected_accounts/{id} (path printed in the troubleshooting guides).' },
  ];
}

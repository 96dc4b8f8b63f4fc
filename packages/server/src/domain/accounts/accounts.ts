/** @module Connected accounts: one end user's authorization on one connection. */
import { GatewayError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { Connector } from '../../catalog/connector-schema.ts';
import type { DomainContext } from '../context.ts';
import type { ApiConfig, ConnectedAccount, Connection } from '../model.ts';
import { UniqueViolation, type AccountFilter } from '../ports.ts';
import { findConnection } from '../connections/connections.ts';
import { recordAccountChange } from '../events/record-event.ts';
import { assertOutboundUrl } from '../outbound-url.ts';
import { paginate, type PageRequest } from '../pagination.ts';
import { applyAuthorizationDetails, type AuthorizationDetailsInput } from './authorization-details.ts';
import { revokeGrant } from '../tokens/revoke-grant.ts';

/** Names one account: by id, or by connection name + identifier (+ optional organization and user). */
export type AccountLocator =
  | { readonly id: string }
  | { readonly connectionName: string; readonly identifier: string; readonly organizationId?: string | undefined; readonly userId?: string | undefined };

export interface CreateAccountInput {
  readonly connectionName: string;
  readonly identifier: string;
  readonly organizationId?: string | undefined;
  readonly userId?: string | undefined;
  readonly authorizationDetails?: AuthorizationDetailsInput | undefined;
  readonly apiConfig?: ApiConfig | undefined;
}

export interface AccountView {
  readonly account: ConnectedAccount;
  readonly connection: Connection;
}

function connectorFor(ctx: DomainContext, connection: Connection): Connector {
  const connector = ctx.catalog.get(connection.provider);
  // A connection outlives a connector removed from the catalog; say so instead of failing obscurely.
  if (connector === undefined) throw new GatewayError('unknown_provider', `Connector "${connection.provider}" of connection "${connection.name}" is no longer in the catalog.`);
  return connector;
}

function checkApiConfig(ctx: DomainContext, apiConfig: ApiConfig | undefined): void {
  if (typeof apiConfig?.base_url === 'string') assertOutboundUrl('api_config.base_url', apiConfig.base_url, ctx.allowPrivateUpstreams);
}

function notFound(): GatewayError {
  return new GatewayError('connected_account_not_found', 'No connected account matches; list them with GET /api/v1/connected_accounts.');
}

export async function findAccount(ctx: DomainContext, environmentId: string, locator: AccountLocator): Promise<AccountView> {
  if ('id' in locator) {
    const view = await ctx.store.accounts.findWithConnection(environmentId, locator.id);
    if (view === undefined) throw notFound();
    return view;
  }
  const connection = await findConnection(ctx, environmentId, locator.connectionName);
  const account = await ctx.store.accounts.findByKey(environmentId, {
    connectionId: connection.id,
    identifier: locator.identifier,
    organizationId: locator.organizationId ?? '',
    userId: locator.userId ?? '',
  });
  if (account === undefined) throw notFound();
  return { account, connection };
}

export async function createAccount(ctx: DomainContext, environmentId: string, input: CreateAccountInput): Promise<AccountView> {
  const connection = await findConnection(ctx, environmentId, input.connectionName);
  if (!connection.enabled) throw new GatewayError('connection_disabled', `Connection "${connection.name}" is disabled; enable it first.`);
  checkApiConfig(ctx, input.apiConfig);
  const now = ctx.clock();
  const id = newId('ca', now.getTime());
  const applied = applyAuthorizationDetails(
    { details: input.authorizationDetails, connection, connector: connectorFor(ctx, connection), accountId: id, now },
    ctx.vault,
  );
  const account: ConnectedAccount = {
    id,
    environmentId,
    connectionId: connection.id,
    identifier: input.identifier,
    organizationId: input.organizationId ?? '',
    userId: input.userId ?? '',
    authorizationType: connection.type,
    ...applied,
    apiConfig: input.apiConfig ?? {},
    version: 1,
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
  };
  await ctx.store.transaction(async (tx) => {
    try {
      await tx.accounts.insert(account);
    } catch (error) {
      if (error instanceof UniqueViolation) {
        throw new GatewayError('already_exists', `Connection "${connection.name}" already has an account for this identifier; update it with PUT /api/v1/connected_accounts.`);
      }
      throw error;
    }
    await recordAccountChange(tx, { verb: 'created', account, connection }, now);
  });
  return { account, connection };
}

/**
 * Applies a change with optimistic concurrency: re-read and re-apply when another writer (a refresh,
 * a second replica) got there first, so no write is silently lost.
 */
async function writeAccount(
  ctx: DomainContext,
  environmentId: string,
  locator: AccountLocator,
  change: (view: AccountView, now: Date) => ConnectedAccount | null,
  verb: 'updated' | 'disconnected',
): Promise<AccountView> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const view = await findAccount(ctx, environmentId, locator);
    const now = ctx.clock();
    const changed = change(view, now);
    if (changed === null) return view;
    const next = { ...changed, version: view.account.version + 1, updatedAt: now };
    const written = await ctx.store.transaction(async (tx) => {
      if (!(await tx.accounts.update(next))) return false;
      await recordAccountChange(tx, { verb, account: next, connection: view.connection, oldStatus: view.account.status }, now);
      return true;
    });
    if (written) return { account: next, connection: view.connection };
  }
  throw new Error('connected account kept changing under five consecutive writes');
}

export function updateAccount(
  ctx: DomainContext,
  environmentId: string,
  locator: AccountLocator,
  input: { authorizationDetails?: AuthorizationDetailsInput | undefined; apiConfig?: ApiConfig | undefined },
): Promise<AccountView> {
  checkApiConfig(ctx, input.apiConfig);
  return writeAccount(
    ctx,
    environmentId,
    locator,
    ({ account, connection }, now) => {
      const applied =
        input.authorizationDetails === undefined
          ? undefined
          : applyAuthorizationDetails({ details: input.authorizationDetails, connection, connector: connectorFor(ctx, connection), accountId: account.id, now }, ctx.vault);
      return {
        ...account,
        ...(applied ?? {}),
        apiConfig: input.apiConfig === undefined ? account.apiConfig : { ...account.apiConfig, ...input.apiConfig },
      };
    },
    'updated',
  );
}

/** Erases the credentials and marks the account DISCONNECTED; a new authorization reconnects it. */
export async function disconnectAccount(ctx: DomainContext, environmentId: string, locator: AccountLocator): Promise<AccountView> {
  const before = await findAccount(ctx, environmentId, locator);
  const after = await writeAccount(
    ctx,
    environmentId,
    locator,
    ({ account }) => ({ ...account, status: 'DISCONNECTED', credentialsSealed: null, tokenExpiresAt: null }),
    'disconnected',
  );
  await revokeGrant(ctx, before);
  return after;
}

export async function deleteAccount(ctx: DomainContext, environmentId: string, locator: AccountLocator): Promise<void> {
  const { account, connection } = await findAccount(ctx, environmentId, locator);
  const now = ctx.clock();
  await ctx.store.transaction(async (tx) => {
    await tx.accounts.delete(environmentId, account.id);
    await recordAccountChange(tx, { verb: 'deleted', account, connection }, now);
  });
  await revokeGrant(ctx, { account, connection });
}

/**
 * Moves an account to `status`, recording `status_updated`. With `onlyFrom`, an account whose status
 * is not listed is left alone (it moved on meanwhile, e.g. a verification that completed first).
 */
export function setAccountStatus(
  ctx: DomainContext,
  environmentId: string,
  accountId: string,
  status: ConnectedAccount['status'],
  onlyFrom?: readonly ConnectedAccount['status'][],
): Promise<AccountView> {
  return writeAccount(
    ctx,
    environmentId,
    { id: accountId },
    ({ account }) => (account.status === status || (onlyFrom !== undefined && !onlyFrom.includes(account.status)) ? null : { ...account, status }),
    'updated',
  );
}

export interface AccountListFilter extends Omit<AccountFilter, 'connectionIds'> {
  readonly connectionNames?: readonly string[];
}

export async function listAccounts(ctx: DomainContext, environmentId: string, filter: AccountListFilter, page: PageRequest) {
  const { connectionNames, ...rest } = filter;
  let storeFilter: AccountFilter = rest;
  if (connectionNames !== undefined) {
    const connections = await ctx.store.connections.findByNames(environmentId, connectionNames);
    storeFilter = { ...rest, connectionIds: connections.map((c) => c.id) };
  }
  const [result, total] = await Promise.all([
    paginate(page, (window) => ctx.store.accounts.list(environmentId, storeFilter, window)),
    ctx.store.accounts.count(environmentId, storeFilter),
  ]);
  const connections = await ctx.store.connections.findByIds(environmentId, [...new Set(result.items.map((a) => a.connectionId))]);
  const byId = new Map(connections.map((c) => [c.id, c]));
  const views = result.items.flatMap((account) => {
    const connection = byId.get(account.connectionId);
    return connection === undefined ? [] : [{ account, connection }];
  });
  return { views, total, nextPageToken: result.nextPageToken, prevPageToken: result.prevPageToken };
}

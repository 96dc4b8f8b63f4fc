/** @module Connections: a developer's configuration of one connector, named uniquely per environment. */
import { GatewayError } from '../../errors.ts';
import { looksLikeId, newId } from '../../ids.ts';
import type { Connector } from '../../catalog/connector-schema.ts';
import type { DomainContext } from '../context.ts';
import type { ApiConfig, AuthType, Connection, OAuthConfig } from '../model.ts';
import { UniqueViolation } from '../ports.ts';
import { recordEvent } from '../events/record-event.ts';
import { assertOutboundUrl } from '../outbound-url.ts';
import { paginate, type PageRequest } from '../pagination.ts';

export interface ConnectionInput {
  readonly provider: string;
  readonly name: string;
  readonly type?: AuthType | undefined;
  readonly enabled?: boolean | undefined;
  readonly oauth_config?: (OAuthConfig & { readonly client_secret?: string | undefined }) | undefined;
  readonly api_config?: ApiConfig | undefined;
}

export type ConnectionChanges = { readonly [K in keyof Omit<ConnectionInput, 'provider'>]?: ConnectionInput[K] | undefined };

const SECRET_FIELD = 'client_secret';

function connectorOf(ctx: DomainContext, key: string): Connector {
  const connector = ctx.catalog.get(key);
  if (connector === undefined) {
    throw new GatewayError('unknown_provider', `No connector "${key}" in the catalog; GET /api/v1/providers lists them.`, { details: { provider: key } });
  }
  return connector;
}

function checkUrls(ctx: DomainContext, oauth: OAuthConfig | undefined, api: ApiConfig | undefined): void {
  for (const field of ['authorize_uri', 'token_uri', 'revoke_uri', 'userinfo_uri', 'issuer'] as const) {
    const value = oauth?.[field];
    if (value !== undefined) assertOutboundUrl(`oauth_config.${field}`, value, ctx.allowPrivateUpstreams);
  }
  if (typeof api?.base_url === 'string') assertOutboundUrl('api_config.base_url', api.base_url, ctx.allowPrivateUpstreams);
}

function withoutSecret(oauth: ConnectionInput['oauth_config']): OAuthConfig {
  if (oauth === undefined) return {};
  const { client_secret: _secret, ...rest } = oauth;
  void _secret;
  // Absent fields must not overwrite stored ones when merged into an update.
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)) as OAuthConfig;
}

/** The redirect URI to register at the provider: exact, generated, read-only. */
export function redirectUriOf(ctx: Pick<DomainContext, 'publicUrl'>, connection: Pick<Connection, 'id'>): string {
  return `${ctx.publicUrl}/connect/callback/${connection.id}`;
}

export async function createConnection(ctx: DomainContext, environmentId: string, input: ConnectionInput): Promise<Connection> {
  const connector = connectorOf(ctx, input.provider);
  const type = input.type ?? (connector.auth_types[0] as AuthType);
  if (!(connector.auth_types as readonly string[]).includes(type)) {
    throw new GatewayError('invalid_auth_type', `${connector.display_name} supports ${connector.auth_types.join(', ')}, not ${type}.`, {
      details: { supported: connector.auth_types },
    });
  }
  if (type !== 'OAUTH' && input.oauth_config !== undefined) {
    throw new GatewayError('validation_failed', `oauth_config applies only to OAUTH connections; this one is ${type}.`, {
      details: { issues: [{ path: 'connection.oauth_config', message: 'not allowed for this type' }] },
    });
  }
  checkUrls(ctx, input.oauth_config, input.api_config);
  const now = ctx.clock();
  const id = newId('conn', now.getTime());
  const oauthConfig: OAuthConfig =
    type === 'OAUTH' ? { scopes: connector.oauth?.default_scopes ?? [], pkce_enabled: connector.oauth?.pkce ?? true, ...withoutSecret(input.oauth_config) } : {};
  const secret = input.oauth_config?.client_secret;
  const connection: Connection = {
    id,
    environmentId,
    name: input.name,
    provider: connector.key,
    type,
    enabled: input.enabled ?? true,
    oauthConfig,
    clientSecretSealed: secret === undefined ? null : ctx.vault.encrypt(secret, { table: 'connections', id, field: SECRET_FIELD }),
    apiConfig: input.api_config ?? {},
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.transaction(async (tx) => {
    try {
      await tx.connections.insert(connection);
    } catch (error) {
      if (error instanceof UniqueViolation) throw nameTaken(input.name);
      throw error;
    }
    await recordEvent(tx, { environmentId, type: 'connection.created', object: 'Connection', connection, data: connectionEventData(connection) }, now);
  });
  return connection;
}

function nameTaken(name: string): GatewayError {
  return new GatewayError('connection_name_taken', `A connection named "${name}" already exists in this environment.`, { details: { name } });
}

function connectionEventData(c: Connection) {
  return { id: c.id, name: c.name, provider: c.provider, type: c.type, enabled: c.enabled };
}

export async function findConnection(ctx: DomainContext, environmentId: string, idOrName: string): Promise<Connection> {
  const connection =
    (looksLikeId('conn', idOrName) ? await ctx.store.connections.findById(environmentId, idOrName) : undefined) ??
    (await ctx.store.connections.findByName(environmentId, idOrName));
  if (connection === undefined) {
    throw new GatewayError('connection_not_found', `No connection "${idOrName}" in this environment.`, { details: { connection: idOrName } });
  }
  return connection;
}

export async function listConnections(ctx: DomainContext, environmentId: string, filter: { provider?: string }, page: PageRequest) {
  const [result, total] = await Promise.all([
    paginate(page, (window) => ctx.store.connections.list(environmentId, filter, window)),
    ctx.store.connections.count(environmentId, filter),
  ]);
  return { ...result, total };
}

export async function updateConnection(ctx: DomainContext, environmentId: string, idOrName: string, changes: ConnectionChanges): Promise<Connection> {
  const current = await findConnection(ctx, environmentId, idOrName);
  if (changes.type !== undefined && changes.type !== current.type) {
    throw new GatewayError('validation_failed', `A connection's type cannot change (it is ${current.type}); create a new connection instead.`, {
      details: { issues: [{ path: 'connection.type', message: 'immutable' }] },
    });
  }
  if (current.type !== 'OAUTH' && changes.oauth_config !== undefined) {
    throw new GatewayError('validation_failed', `oauth_config applies only to OAUTH connections; this one is ${current.type}.`, {
      details: { issues: [{ path: 'connection.oauth_config', message: 'not allowed for this type' }] },
    });
  }
  checkUrls(ctx, changes.oauth_config, changes.api_config);
  const now = ctx.clock();
  const secret = changes.oauth_config?.client_secret;
  const updated: Connection = {
    ...current,
    name: changes.name ?? current.name,
    enabled: changes.enabled ?? current.enabled,
    oauthConfig: changes.oauth_config === undefined ? current.oauthConfig : { ...current.oauthConfig, ...withoutSecret(changes.oauth_config) },
    clientSecretSealed: secret === undefined ? current.clientSecretSealed : ctx.vault.encrypt(secret, { table: 'connections', id: current.id, field: SECRET_FIELD }),
    apiConfig: changes.api_config === undefined ? current.apiConfig : { ...current.apiConfig, ...changes.api_config },
    updatedAt: now,
  };
  await ctx.store.transaction(async (tx) => {
    try {
      await tx.connections.update(updated);
    } catch (error) {
      if (error instanceof UniqueViolation) throw nameTaken(updated.name);
      throw error;
    }
    await recordEvent(tx, { environmentId, type: 'connection.updated', object: 'Connection', connection: updated, data: connectionEventData(updated) }, now);
  });
  return updated;
}

export function setConnectionEnabled(ctx: DomainContext, environmentId: string, idOrName: string, enabled: boolean): Promise<Connection> {
  return updateConnection(ctx, environmentId, idOrName, { enabled });
}

export async function deleteConnection(ctx: DomainContext, environmentId: string, idOrName: string): Promise<void> {
  const connection = await findConnection(ctx, environmentId, idOrName);
  const now = ctx.clock();
  await ctx.store.transaction(async (tx) => {
    const accounts = await tx.connections.countAccounts(connection.id);
    if (accounts > 0) {
      throw new GatewayError('connection_has_accounts', `Connection "${connection.name}" still has ${accounts} connected account(s); delete them first.`, {
        details: { connected_accounts: accounts },
      });
    }
    await tx.connections.delete(environmentId, connection.id);
    await recordEvent(tx, { environmentId, type: 'connection.deleted', object: 'Connection', connection, data: connectionEventData(connection) }, now);
  });
}

/** Whether an OAuth connection has what a flow needs; static connections are always complete. */
export function connectionStatus(connection: Connection): 'COMPLETED' | 'DRAFT' {
  if (connection.type !== 'OAUTH') return 'COMPLETED';
  return connection.oauthConfig.client_id !== undefined && connection.clientSecretSealed !== null ? 'COMPLETED' : 'DRAFT';
}

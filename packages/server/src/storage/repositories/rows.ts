/** @module Row ↔ record mapping: the only place that knows column names and JSON columns. */
import type { AccountStatus, ApiCredential, AuthType, ConnectedAccount, Connection, Environment, GatewayEvent, Settings } from '../../domain/model.ts';
import { DEFAULT_SETTINGS } from '../../domain/model.ts';
import type { DbAccount, DbConnection, DbCredential, DbEnvironment, DbEvent } from '../database.ts';
import { UniqueViolation } from '../../domain/ports.ts';

export const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
export const toDateOrNull = (value: Date | string | null): Date | null => (value === null ? null : toDate(value));

export function environmentFromRow(row: DbEnvironment): Environment {
  return { id: row.id, name: row.name, settings: { ...DEFAULT_SETTINGS, ...(row.settings as Partial<Settings>) }, createdAt: toDate(row.created_at) };
}

export function credentialFromRow(row: DbCredential): ApiCredential {
  return {
    id: row.id,
    environmentId: row.environment_id,
    name: row.name,
    secretHash: row.secret_hash,
    createdAt: toDate(row.created_at),
    revokedAt: toDateOrNull(row.revoked_at),
    lastUsedAt: toDateOrNull(row.last_used_at),
  };
}

export function connectionFromRow(row: DbConnection): Connection {
  return {
    id: row.id,
    environmentId: row.environment_id,
    name: row.name,
    provider: row.provider,
    type: row.type as AuthType,
    enabled: row.enabled,
    oauthConfig: row.oauth_config,
    clientSecretSealed: row.client_secret_sealed,
    apiConfig: row.api_config,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

export function connectionToRow(c: Connection) {
  return {
    id: c.id,
    environment_id: c.environmentId,
    name: c.name,
    provider: c.provider,
    type: c.type,
    enabled: c.enabled,
    oauth_config: JSON.stringify(c.oauthConfig),
    client_secret_sealed: c.clientSecretSealed,
    api_config: JSON.stringify(c.apiConfig),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

/** The refresh worker's columns are not part of the account (the tool-call lookup does not select them). */
type DbAccountFields = Omit<DbAccount, 'refresh_lease_until' | 'refresh_lease_owner' | 'refresh_failures' | 'refresh_cooldown_until' | 'last_refreshed_at'>;

export function accountFromRow(row: DbAccountFields): ConnectedAccount {
  return {
    id: row.id,
    environmentId: row.environment_id,
    connectionId: row.connection_id,
    identifier: row.identifier,
    organizationId: row.organization_id,
    userId: row.user_id,
    status: row.status as AccountStatus,
    authorizationType: row.authorization_type as AuthType,
    credentialsSealed: row.credentials_sealed,
    scopes: row.scopes,
    tokenExpiresAt: toDateOrNull(row.token_expires_at),
    apiConfig: row.api_config,
    version: row.version,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    lastUsedAt: toDateOrNull(row.last_used_at),
  };
}

export function accountToRow(a: ConnectedAccount) {
  return {
    id: a.id,
    environment_id: a.environmentId,
    connection_id: a.connectionId,
    identifier: a.identifier,
    organization_id: a.organizationId,
    user_id: a.userId,
    status: a.status,
    authorization_type: a.authorizationType,
    credentials_sealed: a.credentialsSealed,
    scopes: JSON.stringify(a.scopes),
    token_expires_at: a.tokenExpiresAt,
    api_config: JSON.stringify(a.apiConfig),
    version: a.version,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    last_used_at: a.lastUsedAt,
  };
}

export function eventFromRow(row: DbEvent): GatewayEvent {
  return {
    id: row.id,
    environmentId: row.environment_id,
    type: row.type,
    object: row.object as GatewayEvent['object'],
    connectedAccountId: row.connected_account_id,
    connectionId: row.connection_id,
    connectionName: row.connection_name,
    occurredAt: toDate(row.occurred_at),
    data: row.data,
  };
}

/** Turns PostgreSQL's unique_violation (23505) into the port's error; rethrows anything else. */
export async function mapUnique<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505') {
      throw new UniqueViolation((error as Error).message, { cause: error });
    }
    throw error;
  }
}
